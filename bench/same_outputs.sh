#!/usr/bin/env bash
# Do two builds of thresh write the same outputs? Runs every subcommand
# (dedup at each level and output format, index create/add/query/stats,
# timeline in each format, extract) with both binaries over the examples
# and a generated corpus, and compares the outputs byte for byte, after
# masking what must differ (seconds, temporary paths).
#
#   bench/same_outputs.sh BEFORE_BIN AFTER_BIN [DOCS]
#
# BEFORE_BIN is typically a release build of the previous commit
# (git worktree add /tmp/before HEAD~1 && cargo build --release there).
# DOCS (default 10000) is the size of the generated corpus; thresh-gen is
# built from this tree. Lists every file that differs and exits non-zero.
set -euo pipefail

before=$(realpath "$1")
after=$(realpath "$2")
docs=${3:-10000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release -q -p thresh-gen --manifest-path "$root/Cargo.toml"
gen="$root/target/release/thresh-gen"
"$gen" --docs "$docs" --seed 1 --out "$work/corpus.jsonl"
examples="$root/examples"
corpus="$work/corpus.jsonl"

# Paths and timings differ between the two runs by design.
mask() {
    sed -E -e "s#$work/(before|after)#WORK#g" \
        -e 's/("(read|fingerprint|candidates|verify|cluster|write|total|match)": )[0-9.e-]+/\1T/g' "$1"
}

# run NAME ARGS...: run both binaries with ARGS, where the word OUT stands
# for a per-binary output path and IDX for a per-binary index directory;
# keep stdout as OUT.stdout.
run() {
    local name=$1
    shift
    for side in before after; do
        local bin=${!side}
        local out="$work/$side/$name"
        mkdir -p "$(dirname "$out")"
        local args=()
        for a in "$@"; do
            a=${a//OUT/$out}
            args+=("${a//IDX/$work/$side/idx}")
        done
        (cd "$work" && "$bin" "${args[@]}" >"$out.stdout" 2>"$out.stderr") || {
            echo "$side: thresh ${args[*]} failed:" >&2
            cat "$out.stderr" >&2
            exit 1
        }
    done
}

run dedup-doc dedup -q "$examples" "$corpus" --out OUT
run dedup-both dedup -q "$examples" "$corpus" --out OUT --level both
run dedup-paragraph dedup -q "$corpus" --out OUT --level paragraph --min-paragraph-words 3
run dedup-exact dedup -q "$corpus" --out OUT --verify exact --keep longest
run dedup-parquet dedup -q "$corpus" --out OUT --output-format parquet --level both
run dedup-dry dedup -q "$corpus" --out OUT --dry-run --json
head -n $((docs / 2)) "$corpus" >"$work/day1.jsonl"
tail -n +$((docs / 2 + 1)) "$corpus" >"$work/day2.jsonl"
run index-create index create IDX
run index-add1 index add IDX "$work/day1.jsonl" --out OUT -q
run index-add2 index add IDX "$work/day2.jsonl" --out OUT -q --commit-every 2000
run index-query index query IDX "$corpus" -q
run index-stats index stats IDX
run timeline-md timeline "$examples"
run timeline-json timeline "$examples" --format json
run timeline-html timeline "$examples" --format html
run extract extract "$examples" "$corpus" --out OUT.jsonl -q

status=0
cd "$work/before"
while IFS= read -r file; do
    if ! cmp -s <(mask "$work/before/$file") <(mask "$work/after/$file"); then
        echo "differs: $file"
        diff <(mask "$work/before/$file") <(mask "$work/after/$file") | head -20 || true
        status=1
    fi
done < <(find . -path ./idx -prune -o -type f ! -name '*.stderr' -print | sort)
[ "$status" = 0 ] && echo "same outputs: $(find . -path ./idx -prune -o -type f ! -name '*.stderr' -print | wc -l) files (before $before, after $after, $docs generated documents)"
exit $status
