#!/usr/bin/env bash
# How `thresh dedup --dry-run` scales with documents (issue 13): generated
# corpora of one-sentence documents (thresh-gen --max-paragraphs 1
# --max-sentences 1, about 400 bytes of JSONL each) streamed from the
# generator through a named pipe, so that the disk holds only thresh's
# temporary files (about 270 bytes a document: shingles, band keys, spilled
# facts and ids). One run per size, under the default memory budget unless
# THRESH_MEMORY is set (passed as --memory). The generator shares the two
# cores with thresh in every run, so times per document compare across sizes.
#
# Usage: bench/scale.sh [DOCS ...]   (default: 1000000 10000000 100000000)
# Writes one JSON line per run to bench/results/scale.jsonl (appended);
# bench/scale_plot.py draws bench/results/scale.svg from it.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 10000000 100000000)
cargo build --release -q -p thresh-cli -p thresh-gen
work=$(mktemp -d "${TMPDIR:-/tmp}/thresh-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
memory_flag=()
[ -n "${THRESH_MEMORY:-}" ] && memory_flag=(--memory "$THRESH_MEMORY")
for docs in "${sizes[@]}"; do
    pipe="$work/corpus.jsonl"
    rm -f "$pipe" && mkfifo "$pipe"
    target/release/thresh-gen --docs "$docs" --seed 2 --max-paragraphs 1 \
        --max-sentences 1 --out "$pipe" 2> "$work/gen.log" &
    # The disk the temporary files take: the most used space seen, less
    # what was used before (sampled every second; other users of the disk
    # count too).
    before=$(df --output=used -B1 "$work" | tail -1)
    (peak=$before; while sleep 1; do
        used=$(df --output=used -B1 "$work" | tail -1)
        [ "$used" -gt "$peak" ] && peak=$used && echo $((peak - before)) > "$work/disk"
    done) &
    sampler=$!
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" target/release/thresh dedup "$pipe" \
        -o "$work/out" --force --dry-run -q "${memory_flag[@]}"
    kill $sampler; wait $sampler 2>/dev/null || true
    wait
    read -r wall user sys rss_kb < "$work/time"
    disk=$(cat "$work/disk" 2>/dev/null || echo 0)
    python3 - "$docs" "$wall" "$user" "$sys" "$rss_kb" "$disk" "${THRESH_MEMORY:-default}" \
        "$work/out/summary.json" "$(git rev-parse --short HEAD)" <<'PY' | tee -a bench/results/scale.jsonl
import json, sys
docs, wall, user, sys_s, rss_kb, disk, memory, summary, commit = sys.argv[1:]
s = json.load(open(summary))
print(json.dumps({
    "docs": int(docs), "wall_s": float(wall), "cpu_s": round(float(user) + float(sys_s), 2),
    "peak_rss_mb": round(int(rss_kb) / 1024), "temp_disk_gb": round(int(disk) / 1e9, 2),
    "us_per_doc": round(float(wall) / int(docs) * 1e6, 2), "memory": memory,
    "bytes_in": s["bytes_in"], "clusters": s["clusters"], "candidate_pairs": s["candidate_pairs"],
    "seconds": {k: round(v, 2) for k, v in s["seconds"].items()}, "commit": commit,
}))
PY
done
