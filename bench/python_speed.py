#!/usr/bin/env python3
"""thresh.dedup from Python against the command line and against rensa
driven from Python, on one corpus, in one run.

    bench/python_setup.sh                      # a venv with thresh (release), rensa, pyspark
    bench/.venv-python/bin/python bench/python_speed.py /tmp/100k.jsonl \\
        --thresh target/release/thresh --runs 3

Each measurement runs in its own process (so peak RSS is its own), in turn,
`--runs` times; the table reports medians and min–max spreads:

- `cli`: `thresh dedup CORPUS --out DIR --dry-run` (reads the JSONL itself);
- `python`: the JSONL read into a pyarrow Table (timed apart, as `load`),
  then `thresh.dedup(table, id_column="id")`;
- `rensa`: the same Table, its texts tokenized into word 5-gram shingles in
  Python (bench/peers/common.py, as the rensa adapter of bench/run does),
  one RMinHash per document, RMinHashLSH, candidates verified on the
  signature, union-find: how a Python user drives rensa.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def child_python(corpus: str, threshold: float) -> dict:
    import pyarrow.json as pj

    import thresh

    started = time.perf_counter()
    table = pj.read_json(corpus)
    loaded = time.perf_counter()
    result = thresh.dedup(table, id_column="id", threshold=threshold)
    done = time.perf_counter()
    removed = len(result) - sum(result["kept"].to_pylist())
    return {"load": loaded - started, "seconds": done - loaded, "removed": removed}


def child_rensa(corpus: str, threshold: float) -> dict:
    import pyarrow.json as pj
    from rensa import RMinHash, RMinHashLSH

    sys.path.insert(0, os.path.join(HERE, "peers"))
    import common  # noqa: E402
    from rensa_peer import bands_dividing  # noqa: E402

    table = pj.read_json(corpus)
    started = time.perf_counter()
    texts = table["text"].to_pylist()
    signatures = []
    for text in texts:
        shingles = common.shingles(text or "", 5)
        if shingles:
            minhash = RMinHash(num_perm=128, seed=1)
            minhash.update(list(shingles))
            signatures.append(minhash)
        else:
            signatures.append(None)
    bands = bands_dividing(threshold, 128)
    lsh = RMinHashLSH(threshold=threshold, num_perm=128, num_bands=bands)
    for i, minhash in enumerate(signatures):
        if minhash is not None:
            lsh.insert(i, minhash)
    union = common.UnionFind()
    for i, minhash in enumerate(signatures):
        if minhash is None:
            continue
        for j in lsh.query(minhash):
            if j != i and minhash.jaccard(signatures[j]) >= threshold:
                union.union(i, j)
    removed = sum(len(group) - 1 for group in union.groups())
    return {"seconds": time.perf_counter() - started, "removed": removed}


def run_child(kind: str, corpus: str, threshold: float) -> dict:
    command = [sys.executable, __file__, corpus, "--child", kind, "--threshold", str(threshold)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_cli(thresh: str, corpus: str, threshold: float) -> dict:
    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(
            [thresh, "dedup", corpus, "--out", out, "--dry-run", "--quiet", "--force",
             "--threshold", str(threshold)],
            check=True,
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        summary = json.load(open(os.path.join(out, "summary.json")))
    return {
        "seconds": seconds,
        "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "removed": summary["documents"] - summary["kept"],
    }


def spread(values):
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--thresh", default="target/release/thresh")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threshold", type=float, default=0.7)
    parser.add_argument("--no-rensa", action="store_true")
    parser.add_argument("--child", choices=["python", "rensa"])
    args = parser.parse_args()
    if args.child:
        measure = child_python if args.child == "python" else child_rensa
        result = measure(args.corpus, args.threshold)
        result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    kinds = ["cli", "python"] + ([] if args.no_rensa else ["rensa"])
    results = {kind: [] for kind in kinds}
    for _ in range(args.runs):
        for kind in kinds:
            if kind == "cli":
                results[kind].append(run_cli(args.thresh, args.corpus, args.threshold))
            else:
                results[kind].append(run_child(kind, args.corpus, args.threshold))
    cli = statistics.median(r["seconds"] for r in results["cli"])
    print(f"corpus {args.corpus}, threshold {args.threshold}, {args.runs} runs, medians (min–max)")
    print("| tool | seconds | ÷ CLI | table load s | peak RSS MB | removed |")
    print("|---|---|---|---|---|---|")
    for kind in kinds:
        rows = results[kind]
        seconds = [r["seconds"] for r in rows]
        load = spread([r["load"] for r in rows]) if "load" in rows[0] else "–"
        rss = spread([r["max_rss_mb"] for r in rows]) if "max_rss_mb" in rows[0] else "–"
        print(
            f"| {kind} | {spread(seconds)} | {statistics.median(seconds) / cli:.2f} | {load} | {rss} | {rows[0]['removed']} |"
        )


if __name__ == "__main__":
    main()
