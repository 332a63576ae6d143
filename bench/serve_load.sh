#!/usr/bin/env bash
# Load on `thresh serve`: an index of DOCS generated news documents, then
# wrk (Debian's package) checking one document per request at 1, 8 and 64
# connections for SECONDS each, while a client adds documents one request
# after another. Prints checks/s, p50 and p99 latency per run, adds done,
# and the server's resident memory before and after.
#
#   bench/serve_load.sh [DOCS] [SECONDS]      # defaults: 100000 10
#   ADDS=0 bench/serve_load.sh …              # checks only, no adds beside
#   CONNECTIONS="64 8 1" bench/serve_load.sh … # the runs in another order
#   CONNECTIONS=8 RSS_EVERY=30 bench/serve_load.sh 1000000 600
#                                               # a 10-minute soak, the
#                                               # server's memory every 30 s
#   RATE=2000 bench/serve_load.sh …           # paced: each connection waits
#                                               # CONNECTIONS/RATE s between
#                                               # its checks, so all of them
#                                               # together ask about RATE/s
#                                               # (a bit less: the answer's
#                                               # own time adds to the wait)
#
# wrk runs on the same machine as the server (2 threads), so the figures
# are those of a shared machine; read them as a lower bound.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${1:-100000}
SECONDS_PER_RUN=${2:-10}
if ! command -v wrk > /dev/null; then
    echo "skipped: wrk is not installed (apt-get install wrk)"
    exit 0
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release -q -p thresh-cli -p thresh-gen
BIN=$CARGO_TARGET_DIR/release/thresh
WORK=$(mktemp -d)
cleanup() {
    kill "${ADDER:-}" "${SAMPLER:-}" "${SERVER:-}" 2> /dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# The index holds DOCS documents; the requests use documents it has not
# seen (a second seed), so every check does the full work of matching.
"$CARGO_TARGET_DIR/release/thresh-gen" --docs "$DOCS" --seed 1 --out "$WORK/corpus.jsonl"
"$CARGO_TARGET_DIR/release/thresh-gen" --docs 2000 --seed 2 --out "$WORK/queries.jsonl"
"$BIN" index create "$WORK/index"
/usr/bin/time -f "index add: %e s, %M KB" "$BIN" index add "$WORK/index" "$WORK/corpus.jsonl" \
    --out "$WORK/added" 2>&1 | grep "index add:"

python3 bench/serve_requests.py "$WORK/queries.jsonl" "$WORK" ${RATE:+--paced}

source bench/serve_start.sh
start_server "$BIN" "$WORK/index" "$WORK/server.log"
rss() { ps -o rss= -p "$SERVER" | tr -d ' '; }
echo "server RSS before: $(rss) KB"

# Adds, one request after another, for as long as the checks run: the
# 1,000 documents, then again under new ids (copies of what was added).
if [ "${ADDS:-1}" = 0 ]; then : > "$WORK/adds.jsonl"; fi
(
    n=0
    round=0
    while [ -s "$WORK/adds.jsonl" ]; do
        while read -r body; do
            body=${body//\"id\": \"add-/\"id\": \"add-$round-}
            curl -sf -o /dev/null -H 'Content-Type: application/json' -d "$body" "$URL/v1/add" || exit 1
            n=$((n + 1))
            echo "$n" > "$WORK/adds.count"
        done < "$WORK/adds.jsonl"
        round=$((round + 1))
    done
) &
ADDER=$!

# The server's memory, every RSS_EVERY seconds while the checks run.
if [ -n "${RSS_EVERY:-}" ]; then
    (
        started=$(date +%s)
        while sleep "$RSS_EVERY"; do
            echo "  after $(($(date +%s) - started)) s: server RSS $(rss) KB, adds $(cat "$WORK/adds.count" 2> /dev/null || echo 0)"
        done
    ) &
    SAMPLER=$!
fi

printf "%-12s %10s %10s %10s\n" connections "checks/s" p50 p99
for c in ${CONNECTIONS:-1 8 64}; do
    threads=$((c < 2 ? c : 2))
    pause_ms=0
    if [ -n "${RATE:-}" ]; then pause_ms=$((c * 1000 / RATE)); fi
    wrk -t"$threads" -c"$c" -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/check.lua" "$URL/v1/check" -- "$pause_ms" \
        > "$WORK/wrk.$c.txt"
    rate=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk.$c.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk.$c.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.$c.txt")
    errors=$(grep -E "Non-2xx|Socket errors" "$WORK/wrk.$c.txt" || true)
    printf "%-12s %10s %10s %10s %s\n" "$c" "$rate" "$p50" "$p99" "$errors"
done
kill "$ADDER" "${SAMPLER:-}" 2> /dev/null || true
echo "adds answered during the checks: $(cat "$WORK/adds.count" 2> /dev/null || echo 0)"
echo "server RSS after: $(rss) KB"
