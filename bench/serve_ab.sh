#!/usr/bin/env bash
# Two builds of `thresh serve` side by side: the same index of DOCS
# generated documents (a copy each), checks only, wrk at each of
# CONNECTIONS, the two servers taking turns for ROUNDS rounds so that the
# machine's noise falls on both. Prints one line per server, round and
# connection count; compare the medians.
#
#   bench/serve_ab.sh OLD_THRESH NEW_THRESH [DOCS]     # default 100000
#   CONNECTIONS="64 1" ROUNDS=3 SECONDS_PER_RUN=8 bench/serve_ab.sh …
#
# Build OLD_THRESH from the commit to compare against, e.g.
#   git worktree add /tmp/old REV && cargo build --release -p thresh-cli \
#     --manifest-path /tmp/old/Cargo.toml --target-dir /tmp/old-target
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=$(realpath "$1")
NEW=$(realpath "$2")
DOCS=${3:-100000}
if ! command -v wrk > /dev/null; then
    echo "skipped: wrk is not installed (apt-get install wrk)"
    exit 0
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release -q -p thresh-gen
WORK=$(mktemp -d)
cleanup() {
    kill "${SERVER:-}" 2> /dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

"$CARGO_TARGET_DIR/release/thresh-gen" --docs "$DOCS" --seed 1 --out "$WORK/corpus.jsonl"
"$CARGO_TARGET_DIR/release/thresh-gen" --docs 1000 --seed 2 --out "$WORK/queries.jsonl"
"$OLD" index create "$WORK/base" > /dev/null
"$OLD" index add "$WORK/base" "$WORK/corpus.jsonl" --out "$WORK/added" > /dev/null
python3 bench/serve_requests.py "$WORK/queries.jsonl" "$WORK"

source bench/serve_start.sh
printf "%-5s %-6s %-12s %10s %10s %10s\n" build round connections "checks/s" p50 p99
for round in $(seq "${ROUNDS:-3}"); do
    for build in old new; do
        bin=$OLD
        [ "$build" = new ] && bin=$NEW
        rm -rf "$WORK/index"
        cp -r "$WORK/base" "$WORK/index"
        rm -f "$WORK/index/LOCK"
        start_server "$bin" "$WORK/index" "$WORK/server.log"
        for c in ${CONNECTIONS:-64 8 1}; do
            threads=$((c < 2 ? c : 2))
            wrk -t"$threads" -c"$c" -d"${SECONDS_PER_RUN:-8}s" --latency -s "$WORK/check.lua" \
                "$URL/v1/check" > "$WORK/wrk.txt"
            printf "%-5s %-6s %-12s %10s %10s %10s\n" "$build" "$round" "$c" \
                "$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.txt")" \
                "$(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt")" \
                "$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")"
        done
        kill "$SERVER"
        wait "$SERVER" 2> /dev/null || true
    done
done
