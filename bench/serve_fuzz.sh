#!/usr/bin/env bash
# Fuzzes `thresh serve` against its own OpenAPI description with
# schemathesis (from PyPI, in bench/.venv-serve): generated requests, valid
# and not, to every route; every answer must match the description (status
# codes, JSON shapes) and no request may take the server down (500s and
# dropped connections fail the run). Afterwards the server must still
# answer /healthz.
#
#   python3 -m venv bench/.venv-serve && bench/.venv-serve/bin/pip install schemathesis
#   bench/serve_fuzz.sh [MAX_EXAMPLES]      # default 200 per operation
set -euo pipefail
cd "$(dirname "$0")/.."
ST=bench/.venv-serve/bin/schemathesis
if [ ! -x "$ST" ]; then
    echo "skipped: $ST is missing (see the comment at the top of this script)"
    exit 0
fi
EXAMPLES=${1:-200}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release -q -p thresh-cli
BIN=$CARGO_TARGET_DIR/release/thresh
WORK=$(mktemp -d)
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
"$BIN" index create "$WORK/index"
source bench/serve_start.sh
start_server "$BIN" "$WORK/index" "$WORK/server.log" --max-documents 100
echo "fuzzing $URL ($EXAMPLES examples per operation)"
"$ST" run "$URL/v1/openapi.json" --url "$URL" --checks all \
    --max-examples "$EXAMPLES" --seed 1
curl -sf "$URL/healthz" > /dev/null && echo "server still up"
