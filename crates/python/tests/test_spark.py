"""thresh.spark.dedup in Spark local mode: the command line's clusters and
representatives, computed on the executors."""

import json
import os
import shutil
import sys

import pytest

pyspark = pytest.importorskip("pyspark", reason="PySpark is not installed (test.sh installs it where Java is)")
if shutil.which("java") is None:
    pytest.skip("no Java runtime: Spark cannot start (.ci/run installs one)", allow_module_level=True)

import thresh  # noqa: E402
import thresh.spark  # noqa: E402
from test_dedup import cli_clusters  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("thresh-tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def spark_clusters(result) -> dict:
    clusters = {}
    for row in result.where("cluster is not null").collect():
        representative, members = clusters.setdefault(row["cluster"], [None, {}])
        if row["kept"]:
            clusters[row["cluster"]][0] = row["id"]
        else:
            members[row["id"]] = row["similarity"]
    return {number: (rep, members) for number, (rep, members) in clusters.items()}


@pytest.mark.parametrize("keep", ["earliest", "longest"])
def test_spark_clusters_equal_the_command_lines(spark, thresh_bin, corpus, corpus_file, tmp_path, keep):
    df = spark.createDataFrame(corpus, "id string, text string, date string").repartition(3)
    df = df.sortWithinPartitions("id")  # an order Spark keeps: by id within each partition
    ordered = df.localCheckpoint()
    # The command line reads the rows in the order Spark does.
    rows = ordered.collect()
    ordered_file = tmp_path / "ordered.jsonl"
    ordered_file.write_text("".join(json.dumps(r.asDict()) + "\n" for r in rows))
    result = thresh.spark.dedup(ordered, text_col="text", id_col="id", date_col="date", keep=keep)
    expected = cli_clusters(thresh_bin, ordered_file, tmp_path / "out", "--verify", "signature", "--keep", keep)
    assert len(expected) > 50
    assert spark_clusters(result) == expected
    assert result.count() == len(corpus)
    assert result.columns == ["id", "text", "date", "cluster", "duplicate_of", "similarity", "kept"]


def test_large_buckets_and_long_chains_give_the_local_clusters(spark):
    # 80 versions of one story, each with one word changed: past the
    # all-pairs limit in most bands. And a chain of near duplicates, each
    # one word from the last, whose ends are not near each other.
    story = [f"w{i % 50}" for i in range(200)]
    versions = []
    for i in range(80):
        words = list(story)
        words[(i * 7) % 200] = f"changed{i}"
        versions.append(" ".join(words))
    words = [f"c{i}" for i in range(40)]
    chain = []
    for i in range(12):
        words = words[2:] + [f"x{i}", f"y{i}"]
        chain.append(" ".join(words))
    rows = [{"id": f"r{i}", "text": t} for i, t in enumerate(versions + chain)]
    result = thresh.spark.dedup(spark.createDataFrame(rows, "id string, text string").coalesce(1), threshold=0.8)
    local = thresh.dedup(rows, id_column="id", verify="signature", threshold=0.8)
    got = {r["id"]: (r["cluster"], r["duplicate_of"], r["similarity"], r["kept"]) for r in result.collect()}
    expected = {r["id"]: (r["cluster"], r["duplicate_of"], r["similarity"], r["kept"]) for r in local.to_pylist()}
    assert got == expected
    assert sum(1 for v in got.values() if v[3]) < 20


def test_bad_options_fail_before_any_job(spark):
    df = spark.createDataFrame([{"id": "a", "text": "x"}])
    with pytest.raises(ValueError, match="keep"):
        thresh.spark.dedup(df, keep="oldest")
    with pytest.raises(ValueError, match="threshold"):
        thresh.spark.dedup(df, threshold=2.0)
    with pytest.raises(thresh.ThreshError, match=r'the id column "url" is not in the input \(its columns: id, text\)'):
        thresh.spark.dedup(df, id_col="url")
