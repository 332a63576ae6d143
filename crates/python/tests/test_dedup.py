"""thresh.dedup: the rows annotated, the same clusters as the command line,
every kind of input given back as its own kind, and clear errors."""

import json
import threading
import time

import pyarrow as pa
import pytest

import thresh
from conftest import make_corpus, run_cli


def clusters_of(table: pa.Table, id_column: str = "id") -> dict:
    """{cluster: (representative, {member: similarity})} from the columns."""
    rows = table.select([id_column, "cluster", "duplicate_of", "similarity", "kept"]).to_pylist()
    clusters = {}
    for row in rows:
        if row["cluster"] is None:
            continue
        representative, members = clusters.setdefault(row["cluster"], [None, {}])
        if row["kept"]:
            clusters[row["cluster"]][0] = row[id_column]
        else:
            members[row[id_column]] = row["similarity"]
            assert row["duplicate_of"] is not None
    return {number: (rep, members) for number, (rep, members) in clusters.items()}


def cli_clusters(thresh_bin, corpus_file, out, *options) -> dict:
    run_cli(thresh_bin, "dedup", str(corpus_file), "--out", str(out), "--quiet", *options)
    clusters = {}
    for line in (out / "clusters.jsonl").read_text().splitlines():
        record = json.loads(line)
        members = {m["id"]: m["similarity"] for m in record["members"]}
        clusters[record["cluster"]] = (record["representative"], members)
    return clusters


def test_the_readme_example_keeps_one_of_two_copies():
    table = thresh.dedup(["a b c d e f", "a b c d e f", "x y z"])
    assert table["kept"].to_pylist() == [True, False, True]
    assert table["cluster"].to_pylist() == [1, 1, None]
    assert table["duplicate_of"].to_pylist() == [None, 0, None]
    assert table["similarity"].to_pylist() == [None, 1.0, None]
    assert table["text"].to_pylist() == ["a b c d e f", "a b c d e f", "x y z"]


@pytest.mark.parametrize("verify", ["exact", "signature"])
def test_clusters_equal_the_command_lines(thresh_bin, corpus, corpus_file, tmp_path, verify):
    table = pa.Table.from_pylist(corpus)
    result = thresh.dedup(table, id_column="id", date_column="date", verify=verify)
    expected = cli_clusters(thresh_bin, corpus_file, tmp_path / "out", "--verify", verify)
    assert len(expected) > 50, "the corpus should have many clusters"
    assert clusters_of(result) == expected
    # The representative is named in the id column's type, for every member.
    removed = result.filter(pa.compute.invert(result["kept"]))
    assert removed["duplicate_of"].type == pa.string()
    assert set(removed["duplicate_of"].to_pylist()) <= set(result["id"].to_pylist())


def test_options_reach_the_engine_as_on_the_command_line(thresh_bin, corpus, corpus_file, tmp_path):
    options = dict(threshold=0.9, ngram=3, num_perm=64, keep="latest", seed=5)
    result = thresh.dedup(pa.Table.from_pylist(corpus), id_column="id", date_column="date", **options)
    flags = ["--threshold", "0.9", "--ngram", "3", "--num-perm", "64", "--keep", "latest", "--seed", "5"]
    assert clusters_of(result) == cli_clusters(thresh_bin, corpus_file, tmp_path / "out", *flags)


def test_a_stream_gives_the_same_rows_as_a_table(corpus):
    table = pa.Table.from_pylist(corpus)
    whole = thresh.dedup(table, id_column="id", date_column="date")
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=97))
    streamed = thresh.dedup(reader, id_column="id", date_column="date")
    assert isinstance(streamed, pa.RecordBatchReader)
    assert streamed.read_all().equals(whole.combine_chunks())
    generated = thresh.dedup((r for r in corpus), id_column="id", date_column="date")
    assert generated.read_all().equals(whole.combine_chunks())


def test_without_an_id_column_duplicates_point_at_row_numbers(corpus):
    result = thresh.dedup([r["text"] for r in corpus])
    for row, (kept, duplicate_of) in enumerate(
        zip(result["kept"].to_pylist(), result["duplicate_of"].to_pylist())
    ):
        assert (duplicate_of is None) == kept
        if duplicate_of is not None:
            assert result["kept"][duplicate_of].as_py() is True


def test_integer_ids_come_back_as_integers():
    table = pa.table({"id": [10, 20, 30], "text": ["one two three four five six"] * 2 + ["x"]})
    result = thresh.dedup(table, id_column="id")
    assert result["duplicate_of"].type == pa.int64()
    assert result["duplicate_of"].to_pylist() == [None, 10, None]


def test_polars_pandas_and_lists_come_back_as_themselves(corpus):
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    expected = thresh.dedup(pa.Table.from_pylist(corpus), id_column="id")["kept"].to_pylist()
    as_pandas = thresh.dedup(pd.DataFrame(corpus), id_column="id")
    assert isinstance(as_pandas, pd.DataFrame) and list(as_pandas["kept"]) == expected
    as_polars = thresh.dedup(pl.DataFrame(corpus), id_column="id")
    assert isinstance(as_polars, pl.DataFrame) and as_polars["kept"].to_list() == expected
    as_list = thresh.dedup(list(corpus), id_column="id")
    assert isinstance(as_list, pa.Table) and as_list["kept"].to_pylist() == expected


def test_paragraph_level_removes_repeated_paragraphs_from_kept_rows():
    shared = "The same boilerplate paragraph closes every story on this site today."
    texts = [
        "First story opens with its own words about the weather.\n" + shared,
        "Second story is about something else entirely, the markets.\n" + shared,
    ]
    result = thresh.dedup(texts, level="paragraph")
    assert result["text"].to_pylist() == [texts[0], texts[1].split("\n")[0]]
    assert result["paragraphs_removed"].to_pylist() == [0, 1]
    assert result["kept"].to_pylist() == [True, True]


def test_bad_input_is_an_error_naming_the_place():
    with pytest.raises(thresh.ThreshError, match=r'the text column "body" is not in the input \(its columns: text\)'):
        thresh.dedup([{"text": "a"}], text_column="body")
    with pytest.raises(thresh.ThreshError, match=r'document id "a" is given twice, at row 0 and at row 2'):
        thresh.dedup([{"id": "a", "text": "x"}, {"id": "b", "text": "y"}, {"id": "a", "text": "z"}], id_column="id")
    with pytest.raises(thresh.ThreshError, match=r"row 1: the text column \"text\" is null"):
        thresh.dedup(pa.table({"text": ["a", None]}))
    with pytest.raises(ValueError, match="invalid value \"oldest\" for keep: expected one of earliest, latest, longest, first"):
        thresh.dedup(["a"], keep="oldest")
    with pytest.raises(ValueError, match="threshold"):
        thresh.dedup(["a"], threshold=1.5)
    with pytest.raises(ValueError, match="min_span must be at least 1"):
        thresh.dedup(["a"], level="substring", min_span=0)
    with pytest.raises(ValueError, match="invalid value \"word\" for unit"):
        thresh.dedup(["a"], level="substring", unit="word")
    with pytest.raises(thresh.ThreshError, match='already has a column "kept"'):
        thresh.dedup(pa.table({"text": ["a"], "kept": [1]}))


def test_other_python_threads_run_while_rust_works():
    corpus = pa.Table.from_pylist(make_corpus(6000, seed=3))
    done = threading.Event()

    def work():
        thresh.dedup(corpus, id_column="id")
        done.set()

    worker = threading.Thread(target=work)
    started = time.perf_counter()
    worker.start()
    last, longest_gap = started, 0.0
    while not done.is_set():
        now = time.perf_counter()
        longest_gap, last = max(longest_gap, now - last), now
    worker.join()
    took = time.perf_counter() - started
    # Holding the GIL would stop this loop for about the whole run.
    assert longest_gap < took / 2, (longest_gap, took)


def test_both_levels_keep_the_command_lines_documents_and_texts(thresh_bin, corpus, corpus_file, tmp_path):
    out = tmp_path / "out"
    run_cli(thresh_bin, "dedup", str(corpus_file), "--out", str(out), "--quiet", "--level", "both")
    expected = {}
    for line in (out / "kept.jsonl").read_text().splitlines():
        record = json.loads(line)
        expected[record["id"]] = record["text"]
    result = thresh.dedup(pa.Table.from_pylist(corpus), id_column="id", date_column="date", level="both")
    kept = result.filter(result["kept"])
    assert dict(zip(kept["id"].to_pylist(), kept["text"].to_pylist())) == expected
    assert sum(result["paragraphs_removed"].to_pylist()) > 0


@pytest.mark.parametrize("level,shards", [("substring", 1), ("all", 1), ("substring", 3)])
def test_span_levels_keep_the_command_lines_texts_from_a_table_and_a_stream(
    thresh_bin, corpus, corpus_file, tmp_path, level, shards
):
    out = tmp_path / "out"
    flags = ["--level", level, "--min-span", "8", "--span-shards", str(shards)]
    run_cli(thresh_bin, "dedup", str(corpus_file), "--out", str(out), "--quiet", *flags)
    expected = {}
    for line in (out / "kept.jsonl").read_text().splitlines():
        record = json.loads(line)
        expected[record["id"]] = record["text"]
    spans = len((out / "removed_spans.jsonl").read_text().splitlines())
    assert spans > 0
    table = pa.Table.from_pylist(corpus)
    options = dict(id_column="id", date_column="date", level=level, min_span=8, span_shards=shards)
    for data in (table, pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=7))):
        result = thresh.dedup(data, **options)
        if isinstance(result, pa.RecordBatchReader):
            result = result.read_all()
        kept = result.filter(result["kept"])
        assert dict(zip(kept["id"].to_pylist(), kept["text"].to_pylist())) == expected
        assert sum(result["spans_removed"].to_pylist()) == spans


def test_the_type_stubs_name_everything_the_rust_module_has():
    import ast
    from pathlib import Path

    from thresh import _thresh

    stubs = ast.parse((Path(thresh.__file__).parent / "_thresh.pyi").read_text())
    stubbed = set()
    for node in stubs.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stubbed.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            stubbed.add(node.target.id)
    public = {name for name in dir(_thresh) if not name.startswith("_")} | {"__version__"}
    assert public - {"_thresh"} <= stubbed | {"__version__"}
    for cls in ("MinHasher", "Index"):
        methods = {n.name for n in next(c for c in stubs.body if getattr(c, "name", "") == cls).body if isinstance(n, ast.FunctionDef)}
        assert {m for m in dir(getattr(_thresh, cls)) if not m.startswith("_")} <= methods


def test_hugging_face_datasets_and_duckdb_are_read_as_arrow(corpus):
    expected = thresh.dedup(pa.Table.from_pylist(corpus), id_column="id")["kept"].to_pylist()
    datasets = pytest.importorskip("datasets")
    dataset = datasets.Dataset.from_list(corpus)
    result = thresh.dedup(dataset, id_column="id")
    assert isinstance(result, datasets.Dataset) and result["kept"] == expected
    duckdb = pytest.importorskip("duckdb")
    news = pa.Table.from_pylist(corpus)  # noqa: F841 (read by the query below)
    relation = duckdb.sql("select * from news")
    streamed = thresh.dedup(relation, id_column="id")
    assert isinstance(streamed, pa.RecordBatchReader)
    assert streamed.read_all()["kept"].to_pylist() == expected


def test_series_arrays_lazy_frames_and_empty_inputs():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    texts = ["one two three four five", "one two three four five", "six seven"]
    expected = [True, False, True]
    assert thresh.dedup(pa.array(texts))["kept"].to_pylist() == expected
    assert thresh.dedup(pa.chunked_array([texts[:1], texts[1:]]))["kept"].to_pylist() == expected
    from_pandas = thresh.dedup(pd.Series(texts))
    assert isinstance(from_pandas, pd.DataFrame) and list(from_pandas["kept"]) == expected
    from_polars = thresh.dedup(pl.Series("body", texts), text_column="body")
    assert isinstance(from_polars, pl.DataFrame) and from_polars["kept"].to_list() == expected
    lazy = pl.DataFrame({"text": texts}).lazy()
    assert thresh.dedup(lazy)["kept"].to_list() == expected
    empty = thresh.dedup([])
    assert empty.num_rows == 0 and empty.column_names == ["text", "cluster", "duplicate_of", "similarity", "kept"]
