"""Dedup of a PySpark DataFrame on a cluster, with no single-machine step.

``dedup(df, text_col="text", id_col="id", ...)`` returns ``df`` with the
columns :func:`thresh.dedup` adds (``cluster``, ``duplicate_of``,
``similarity``, ``kept``), and the same clusters and representatives as
``thresh dedup --verify signature`` on the same rows in the same order.

How it runs, stage by stage (each a DataFrame, so each runs on the
executors):

1. **Fingerprints** (``mapInArrow``): each partition's texts go through
   thresh's Rust code, as on one machine: the exact hash of the normalized
   text, the MinHash signature, the LSH band keys.
2. **Exact copies**: grouped by exact hash; each copy points at the first
   in input order.
3. **Candidates**: first copies grouped by (band, key). A bucket of up to
   ``MAX_BUCKET_ALL_PAIRS`` documents gives all its pairs; a larger one
   gives star edges to its first member plus a chain through its members,
   so m documents give O(m) pairs. This is the command line's rule, which
   is why the candidates, and so the clusters, are the same.
4. **Verification on signatures**: each candidate pair's estimated Jaccard,
   computed in Rust on the executors, against the threshold.
5. **Connected components** of the verified pairs and exact-copy edges by
   alternating Large-Star and Small-Star (Kiveris et al., "Connected
   Components in MapReduce and Beyond", SoCC 2014): each round is a
   group-by and a join, it needs O(log² n) rounds, never gathers a
   component on one machine (unlike union-find on the driver), and ends with
   every node pointing at its component's smallest member, which is the
   number the command line orders clusters by.
6. **Representatives** by the keep policy, in a window per component;
   clusters numbered in order of their first member (a distributed sort and
   ``zipWithIndex``); each member's similarity to its representative.
"""

from __future__ import annotations

import json
from typing import Iterator, Optional

import pyarrow as pa

from . import _thresh

# The column holding each row's place in the run: a monotonically increasing
# id follows partition order and row order within a partition, so it
# orders rows as the input does (it is not consecutive, and needs not be).
_ORDER = "_thresh_order"

_KEEP_ORDER = {
    "earliest": lambda F: [F.col("date").isNull(), F.col("date").asc(), F.col("node").asc()],
    "latest": lambda F: [F.col("date").isNull(), F.col("date").desc(), F.col("node").asc()],
    "longest": lambda F: [F.col("length").desc(), F.col("node").asc()],
    "first": lambda F: [F.col("node").asc()],
}


def dedup(
    df,
    text_col: str = "text",
    id_col: str = "id",
    *,
    date_col: Optional[str] = None,
    threshold: Optional[float] = None,
    ngram: Optional[int] = None,
    num_perm: Optional[int] = None,
    seed: Optional[int] = None,
    keep: str = "earliest",
    max_rounds: int = 100,
):
    """``df`` with ``cluster``, ``duplicate_of`` (the representative's id),
    ``similarity`` and ``kept``; filter on ``kept`` for the rows to keep.

    Options are those of :func:`thresh.dedup` (verification is on
    signatures here). The same rows in the same order give the same clusters
    and representatives as ``thresh dedup --verify signature``. The input
    order is the order Spark reads ``df`` in, so ``df`` must read the same
    way each time it is evaluated (a file source does; checkpoint a shuffled
    one first). The fingerprints stay persisted while the result is used.
    """
    from pyspark.sql import functions as F

    if keep not in _KEEP_ORDER:
        raise ValueError(
            f"invalid value {_quote(keep)} for keep: expected one of {', '.join(_KEEP_ORDER)}"
        )
    for role, name in (("text", text_col), ("id", id_col), ("date", date_col)):
        if name is not None and name not in df.columns:
            raise _thresh.ThreshError(
                f"the {role} column {_quote(name)} is not in the input (its columns: {', '.join(df.columns)})"
            )
    for name in ("cluster", "duplicate_of", "similarity", "kept", _ORDER):
        if name in df.columns:
            raise _thresh.ThreshError(
                f"the input already has a column {_quote(name)}, which dedup adds: rename it first"
            )
    options = dict(threshold=threshold, ngram=ngram, num_perm=num_perm, seed=seed)
    # Checks the options where the user is, before any job runs.
    threshold = _thresh.MinHasher(verify="signature", **options).threshold

    rows = df.withColumn(_ORDER, F.monotonically_increasing_id())
    nodes = _fingerprints(rows, text_col, date_col, options).persist()
    copies = _first_copies(nodes)
    pairs = _candidate_pairs(nodes, copies)
    verified = _verified(pairs, nodes, threshold)
    exact_edges = copies.where("node != first").select(
        F.col("node").alias("u"), F.col("first").alias("v")
    )
    labels = _components(verified.unionByName(exact_edges), max_rounds)
    annotations = _annotations(labels, nodes, rows.select(_ORDER, id_col), keep, id_col)
    result = rows.join(annotations, rows[_ORDER] == annotations["node"], "left")
    result = result.withColumn("kept", F.coalesce(F.col("kept"), F.lit(True)))
    result = result.orderBy(_ORDER).drop(_ORDER, "node")
    return result


def _quote(name: str) -> str:
    """A name quoted as the Rust side's messages quote it."""
    return json.dumps(name, ensure_ascii=False)


def _fingerprints(rows, text_col, date_col, options):
    """One row per document: node (its order), exact, signature, band keys,
    has_words, length, date."""
    from pyspark.sql import functions as F

    date = F.col(date_col).cast("string") if date_col else F.lit(None).cast("string")
    texts = rows.select(
        F.col(_ORDER).alias("node"), F.col(text_col).alias("text"), date.alias("date")
    )
    schema = (
        "node long, exact binary, signature binary, band_keys array<long>, "
        "has_words boolean, length long, date string"
    )

    def fingerprint(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from thresh import _thresh as rust

        worker_hasher = rust.MinHasher(verify="signature", **options)
        for batch in batches:
            texts = batch.column("text")
            if texts.null_count:
                raise rust.ThreshError("the text column holds a null: every row needs a text")
            found = worker_hasher.fingerprints(texts)
            yield pa.RecordBatch.from_arrays(
                [batch.column("node"), *found.columns, batch.column("date")],
                names=["node", *found.schema.names, "date"],
            )

    return texts.mapInArrow(fingerprint, schema)


def _first_copies(nodes):
    """(node, first): the first document in input order with the same exact hash."""
    from pyspark.sql import functions as F

    firsts = nodes.groupBy("exact").agg(F.min("node").alias("first"))
    return nodes.select("node", "exact").join(firsts, "exact").select("node", "first")


def _candidate_pairs(nodes, copies):
    """(a, b), a < b: first copies with words that share a band key, by the
    command line's rule for buckets (all pairs up to MAX_BUCKET_ALL_PAIRS,
    star and chain edges beyond)."""
    from pyspark.sql import functions as F

    participants = (
        nodes.join(copies.where("node = first").select("node"), "node")
        .where("has_words")
        .select("node", F.posexplode("band_keys").alias("band", "key"))
    )
    buckets = (
        participants.groupBy("band", "key")
        .agg(F.array_sort(F.collect_list("node")).alias("m"))
        .where(F.size("m") >= 2)
    )
    limit = _thresh.MAX_BUCKET_ALL_PAIRS
    all_pairs = F.expr(
        "flatten(transform(sequence(0, size(m) - 2), i -> "
        "transform(slice(m, i + 2, size(m) - i - 1), b -> named_struct('a', m[i], 'b', b))))"
    )
    star_and_chain = F.expr(
        "flatten(transform(sequence(1, size(m) - 1), i -> "
        "if(i = 1, array(named_struct('a', m[0], 'b', m[1])), "
        "array(named_struct('a', m[0], 'b', m[i]), named_struct('a', m[i - 1], 'b', m[i])))))"
    )
    pairs = buckets.select(
        F.explode(F.when(F.size("m") <= limit, all_pairs).otherwise(star_and_chain)).alias("p")
    )
    return pairs.select(F.col("p.a").alias("a"), F.col("p.b").alias("b")).distinct()


def _with_similarity(frame, left, right, rounded):
    """``frame`` with ``similarity`` of the signatures in columns left and right."""

    def similarity(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from thresh import _thresh as rust

        for batch in batches:
            values = rust.signature_similarity(
                batch.column(left), batch.column(right), rounded
            )
            yield batch.append_column("similarity", values)

    from pyspark.sql.types import DoubleType, StructField, StructType

    schema = StructType([*frame.schema.fields, StructField("similarity", DoubleType())])
    return frame.mapInArrow(similarity, schema)


def _verified(pairs, nodes, threshold):
    """(u, v), u > v: candidate pairs whose signatures agree at the threshold."""
    from pyspark.sql import functions as F

    signatures = nodes.select("node", "signature")
    joined = (
        pairs.join(signatures.withColumnRenamed("node", "a").withColumnRenamed("signature", "sa"), "a")
        .join(signatures.withColumnRenamed("node", "b").withColumnRenamed("signature", "sb"), "b")
    )
    scored = _with_similarity(joined, "sa", "sb", rounded=False)
    return scored.where(F.col("similarity") >= threshold).select(
        F.col("b").alias("u"), F.col("a").alias("v")
    )


def _components(edges, max_rounds):
    """(node, label): each node of an edge, labelled with the smallest node
    of its connected component, by alternating Large-Star and Small-Star.
    Edges are kept as (u, v) with u > v; each round is checkpointed so that
    the plan does not grow with the rounds."""
    from pyspark.sql import functions as F

    edges = edges.select("u", "v").distinct().localCheckpoint()
    for _ in range(max_rounds):
        larger = _small_star(_large_star(edges)).localCheckpoint()
        changed = larger.exceptAll(edges).limit(1).count() + edges.exceptAll(larger).limit(1).count()
        edges = larger
        if changed == 0:
            break
    else:
        raise _thresh.ThreshError(f"connected components did not settle in {max_rounds} rounds")
    # Settled: a star per component, every other node pointing at its smallest.
    roots = edges.select(F.col("v").alias("node"), F.col("v").alias("label")).distinct()
    return edges.select(F.col("u").alias("node"), F.col("v").alias("label")).unionByName(roots)


def _both_ways(edges):
    from pyspark.sql import functions as F

    return edges.unionByName(edges.select(F.col("v").alias("u"), F.col("u").alias("v")))


def _large_star(edges):
    """Each node's larger neighbours are linked to its smallest neighbour
    (or itself)."""
    from pyspark.sql import functions as F

    both = _both_ways(edges)
    smallest = both.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
    return (
        both.join(smallest, "u")
        .where(F.col("v") > F.col("u"))
        .select(F.col("v").alias("u"), F.col("m").alias("v"))
        .distinct()
    )


def _small_star(edges):
    """Each node and its smaller neighbours are linked to the smallest of them."""
    from pyspark.sql import functions as F

    both = _both_ways(edges)
    smaller = both.where(F.col("v") < F.col("u"))
    smallest = smaller.groupBy("u").agg(F.min("v").alias("m"))
    neighbours = (
        smaller.join(smallest, "u")
        .where(F.col("v") != F.col("m"))
        .select(F.col("v").alias("u"), F.col("m").alias("v"))
    )
    selves = smallest.select("u", F.col("m").alias("v"))
    return neighbours.unionByName(selves).distinct()


def _annotations(labels, nodes, ids, keep, id_col):
    """(node, cluster, duplicate_of, similarity, kept) for every node of a
    cluster."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    members = labels.join(
        nodes.select("node", "exact", "signature", "date", "length"), "node"
    )
    by_policy = Window.partitionBy("label").orderBy(*_KEEP_ORDER[keep](F))
    ranked = members.withColumn("rank", F.row_number().over(by_policy))
    representatives = ranked.where("rank = 1").select(
        "label",
        F.col("node").alias("rep"),
        F.col("exact").alias("rep_exact"),
        F.col("signature").alias("rep_signature"),
    )
    # Clusters numbered from 1 in order of their first member (the label).
    spark = labels.sparkSession
    numbered = (
        representatives.select("label")
        .rdd.map(lambda row: row[0])
        .sortBy(lambda label: label)
        .zipWithIndex()
        .map(lambda pair: (pair[0], pair[1] + 1))
    )
    numbers = spark.createDataFrame(numbered, "label long, cluster long")
    joined = members.join(representatives, "label").join(numbers, "label")
    scored = _with_similarity(joined, "signature", "rep_signature", rounded=True)
    rep_ids = ids.select(F.col(_ORDER).alias("rep"), F.col(id_col).alias("duplicate_of"))
    is_rep = F.col("node") == F.col("rep")
    return scored.join(rep_ids, "rep").select(
        "node",
        F.col("cluster"),
        F.when(is_rep, None).otherwise(F.col("duplicate_of")).alias("duplicate_of"),
        F.when(is_rep, None)
        .when(F.col("exact") == F.col("rep_exact"), 1.0)
        .otherwise(F.col("similarity"))
        .alias("similarity"),
        is_rep.alias("kept"),
    )
