#!/usr/bin/env bash
# The benchmark environment for thresh's Python package and Spark job:
# bench/.venv-python with thresh built in release mode, rensa (the peer a
# Python user would otherwise drive), and PySpark. Needs PyPI once.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$root/bench/.venv-python
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
    'maturin>=1.7,<2' pyarrow numpy rensa==0.5.0 'pyspark>=3.5' 'pandas<3' regex
cd "$root/crates/python"
VIRTUAL_ENV=$venv PATH="$venv/bin:$PATH" maturin develop --release --quiet
