#!/usr/bin/env python3
"""thresh.spark.dedup in Spark local mode against the command line on the
same JSONL corpus: wall time, and whether the clusters are the same.

    bench/python_setup.sh
    bench/.venv-python/bin/python bench/spark_speed.py /tmp/1m.jsonl \\
        --thresh target/release/thresh --cores 2

Spark reads the file with an explicit schema (id, text, date), in file
order; the job ends by writing the kept rows' ids to Parquet, which runs
every stage. The command line runs `dedup --verify signature --dry-run`
(verification on signatures, as the Spark job does). The clusters are
compared as sets of (representative, members); the figures are one run
each, side by side.

text-dedup's Spark MinHash (text_dedup/minhash_spark.py, PyPI 0.4.0) is
not run: it finds components with GraphFrames, whose JVM package Spark
fetches from spark-packages at start-up, and this machine reaches no Maven
repository (the graphframes-py wheel holds no jar).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def spark_session(cores: int, memory: str):
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("thresh-bench")
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", str(cores * 8))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def run_spark(corpus: str, cores: int, memory: str, threshold: float):
    import thresh.spark

    spark = spark_session(cores, memory)
    started = time.perf_counter()
    df = spark.read.schema("id string, text string, date string").json(corpus)
    result = thresh.spark.dedup(df, text_col="text", id_col="id", date_col="date", threshold=threshold)
    with tempfile.TemporaryDirectory() as out:
        result.where("kept").select("id").write.parquet(os.path.join(out, "kept"))
        seconds = time.perf_counter() - started
    rows = result.where("cluster is not null").select("id", "cluster", "kept").collect()
    spark.stop()
    clusters = {}
    for row in rows:
        representative, members = clusters.setdefault(row["cluster"], [None, set()])
        if row["kept"]:
            clusters[row["cluster"]][0] = row["id"]
        else:
            members.add(row["id"])
    return seconds, {(rep, frozenset(members)) for rep, members in clusters.values()}


def run_cli(thresh: str, corpus: str, threshold: float):
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        subprocess.run(
            [thresh, "dedup", corpus, "--out", out, "--force", "--dry-run", "--quiet",
             "--verify", "signature", "--date-field", "date", "--threshold", str(threshold)],
            check=True,
        )
        seconds = time.perf_counter() - started
        clusters = set()
        with open(os.path.join(out, "clusters.jsonl")) as f:
            for line in f:
                record = json.loads(line)
                members = frozenset(m["id"] for m in record["members"])
                clusters.add((record["representative"], members))
    return seconds, clusters


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--thresh", default="target/release/thresh")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--memory", default="6g", help="Spark driver memory")
    parser.add_argument("--threshold", type=float, default=0.7)
    args = parser.parse_args()
    cli_seconds, cli_clusters = run_cli(args.thresh, args.corpus, args.threshold)
    spark_seconds, spark_clusters = run_spark(args.corpus, args.cores, args.memory, args.threshold)
    same = cli_clusters == spark_clusters
    print(f"corpus {args.corpus}, threshold {args.threshold}, verification on signatures, one run each")
    print("| run | seconds | ÷ CLI | clusters |")
    print("|---|---|---|---|")
    print(f"| thresh dedup (CLI, {args.cores} threads) | {cli_seconds:.1f} | 1.00 | {len(cli_clusters)} |")
    print(f"| thresh.spark.dedup (local[{args.cores}]) | {spark_seconds:.1f} | {spark_seconds / cli_seconds:.1f} | {len(spark_clusters)} |")
    print(f"clusters identical: {same}")
    if not same:
        print(f"only in CLI: {len(cli_clusters - spark_clusters)}, only in Spark: {len(spark_clusters - cli_clusters)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
