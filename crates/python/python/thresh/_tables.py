"""What users hold, as Arrow, and back: the one place that knows pandas,
polars, Hugging Face datasets, Arrow C streams and plain lists.

A table held in memory goes to Rust as a table (its batches are kept
between the two passes without a copy); a stream goes as a stream and is
spooled to disk, so that memory stays bounded.
"""

from __future__ import annotations

import itertools
from typing import Any, Iterable, Iterator, Optional, Tuple

import pyarrow as pa

# Rows per batch when a plain iterable is turned into Arrow.
_CHUNK = 8192


def as_stream(data: Any, text_column: str) -> Tuple[str, Any, bool]:
    """``(kind, arrow_stream, spool)`` for ``data``: the kind to give back,
    something with the Arrow C stream interface, and whether it is a stream
    (read once, spooled) rather than a table held in memory."""
    if isinstance(data, pa.Table):
        return "table", data, False
    if isinstance(data, pa.RecordBatch):
        return "table", pa.Table.from_batches([data]), False
    if isinstance(data, pa.RecordBatchReader):
        return "reader", data, True
    if isinstance(data, (pa.Array, pa.ChunkedArray)):
        return "table", pa.table({text_column: data}), False
    module = type(data).__module__.split(".")[0]
    kind = type(data).__name__
    if module == "polars" and kind == "LazyFrame":
        return "polars", data.collect().to_arrow(), False
    if module == "polars" and kind == "Series":
        return "polars", pa.table({text_column: data.to_arrow()}), False
    if module == "polars" and hasattr(data, "to_arrow"):
        return "polars", data.to_arrow(), False
    if module == "pandas" and kind == "Series":
        return "pandas", pa.table({text_column: pa.array(data, from_pandas=True)}), False
    if module == "pandas" and hasattr(data, "columns"):
        return "pandas", pa.Table.from_pandas(data, preserve_index=False), False
    if module == "datasets" and hasattr(data, "data") and hasattr(data.data, "table"):
        return "datasets", data.data.table, False
    if hasattr(data, "__arrow_c_stream__"):
        return "reader", data, True
    if isinstance(data, (str, bytes)):
        raise TypeError("data must be a collection of documents, not one string")
    if isinstance(data, (list, tuple)) or _is_numpy_array(data):
        return "table", _table_of(list(data), text_column), False
    if isinstance(data, Iterable):
        return "reader", _reader_of(iter(data), text_column), True
    raise TypeError(
        f"cannot read {type(data).__name__} as documents: give a pyarrow Table or "
        "RecordBatchReader, a polars or pandas DataFrame, a datasets.Dataset, or "
        "a list of strings or dicts"
    )


def _is_numpy_array(data: Any) -> bool:
    return type(data).__module__ == "numpy" and type(data).__name__ == "ndarray"


def restore_kind(kind: str, reader: pa.RecordBatchReader) -> Any:
    """The annotated rows as the kind of thing the user gave."""
    if kind == "reader":
        return reader
    table = reader.read_all()
    if kind == "polars":
        import polars as pl

        return pl.from_arrow(table)
    if kind == "pandas":
        return table.to_pandas()
    if kind == "datasets":
        import datasets

        return datasets.Dataset(table)
    return table


def _table_of(items: list, text_column: str) -> pa.Table:
    if all(isinstance(item, str) for item in items):
        return pa.table({text_column: pa.array(items, type=pa.large_string())})
    if all(isinstance(item, dict) for item in items):
        return pa.Table.from_pylist(list(items))
    raise TypeError("documents must be all strings or all dicts")


def _reader_of(items: Iterator, text_column: str) -> pa.RecordBatchReader:
    """A stream of batches of ``_CHUNK`` rows; the first batch fixes the schema."""
    first = list(itertools.islice(items, _CHUNK))
    schema = _table_of(first, text_column).schema if first else pa.schema(
        [(text_column, pa.large_string())]
    )

    def batches() -> Iterator[pa.RecordBatch]:
        chunk = first
        while chunk:
            table = _table_of(chunk, text_column)
            yield from table.cast(schema).to_batches()
            chunk = list(itertools.islice(items, _CHUNK))

    return pa.RecordBatchReader.from_batches(schema, batches())


def records_of(
    documents: Any,
    *,
    id_field: str = "id",
    text_field: str = "text",
    date_field: str = "date",
    url_field: str = "url",
) -> Tuple[list, list, list, list]:
    """Parallel lists of ids, texts, dates and urls. Strings take their
    position as id; a missing date or url is None."""
    if isinstance(documents, (str, bytes)):
        raise TypeError("documents must be a collection, not one string")
    if not isinstance(documents, (list, tuple)):
        kind, stream, _ = as_stream(documents, text_field)
        documents = pa.RecordBatchReader.from_stream(stream).read_all().to_pylist() if kind == "reader" else stream.to_pylist()
    if all(isinstance(d, str) for d in documents):
        return [str(i) for i in range(len(documents))], list(documents), [None] * len(documents), [None] * len(documents)
    ids, texts, dates, urls = [], [], [], []
    for row, record in enumerate(documents):
        if not isinstance(record, dict):
            raise TypeError(f"document {row} is a {type(record).__name__}: give strings or dicts")
        text = record.get(text_field)
        if not isinstance(text, str):
            raise ValueError(f"document {row} has no text field {text_field!r}")
        ids.append(str(record.get(id_field, row)))
        texts.append(text)
        dates.append(_optional_str(record.get(date_field)))
        urls.append(_optional_str(record.get(url_field)))
    return ids, texts, dates, urls


def _optional_str(value: Any) -> Optional[str]:
    return None if value is None else str(value)
