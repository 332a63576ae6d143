#!/usr/bin/env bash
# The Python package's tests: a virtual environment under the Cargo target
# directory, the package built into it (maturin develop), the command line
# the tests compare with, then pytest. `cargo test -p thresh-python` (and so
# `cargo test --workspace`) runs this; it can also be run by hand.
#
# PySpark is installed, and the Spark tests run, where a Java runtime is
# found (`.ci/run` installs one); elsewhere they are skipped with a message.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
venv=${THRESH_PYTHON_VENV:-$target/python-venv}
python=${PYTHON:-python3}

[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
requirements=("$here/requirements-test.txt")
if command -v java >/dev/null 2>&1; then
    requirements+=("$here/requirements-spark.txt")
fi
# Install only when the requirements changed since the last install.
stamp="$venv/.thresh-requirements"
wanted=$(cat "${requirements[@]}")
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    for file in "${requirements[@]}"; do
        "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$file"
    done
    printf '%s' "$wanted" > "$stamp"
fi

cd "$here"
VIRTUAL_ENV=$venv PATH="$venv/bin:$PATH" maturin develop --quiet
cargo build --quiet -p thresh-cli
THRESH_BIN="$target/debug/thresh" "$venv/bin/python" -m pytest -q -ra "$here/tests" "$@"
