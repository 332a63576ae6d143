"""thresh: separate the news from its repeats.

The same Rust pipelines as the ``thresh`` command line, for data held in
Python: Arrow tables and streams (pyarrow, polars, duckdb), pandas, Hugging
Face datasets, or plain lists of strings and records.

- :func:`dedup`: exact and near-duplicate documents (and repeated
  paragraphs); every row comes back with ``cluster``, ``duplicate_of``,
  ``similarity`` and ``kept``.
- :class:`MinHasher`: signatures and LSH band keys of a batch of texts, as
  NumPy arrays.
- :class:`Index`: the persistent index, in the command line's format.
- :func:`timeline`: repeated crawls of live blogs into timelines, as the
  command line's JSON.
- :mod:`thresh.spark`: dedup of a PySpark DataFrame on a cluster.

Rust works with the GIL released. A failed run raises :class:`ThreshError`
with the command line's message; a bad argument raises ``ValueError``.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Iterable, Optional

import pyarrow as pa

from . import _thresh
from ._thresh import ThreshError, __version__
from ._tables import as_stream, records_of, restore_kind

__all__ = [
    "dedup",
    "timeline",
    "MinHasher",
    "Index",
    "ThreshError",
    "__version__",
]

_log = logging.getLogger("thresh")


def dedup(
    data: Any,
    text_column: str = "text",
    id_column: Optional[str] = None,
    *,
    date_column: Optional[str] = None,
    threshold: Optional[float] = None,
    ngram: Optional[int] = None,
    num_perm: Optional[int] = None,
    seed: Optional[int] = None,
    bands: Optional[int] = None,
    rows: Optional[int] = None,
    level: str = "doc",
    keep: str = "earliest",
    verify: str = "exact",
    min_paragraph_words: int = 0,
    min_span: int = 50,
    unit: str = "token",
    keep_spans: bool = False,
    span_shards: int = 1,
    temp_dir: Optional[str] = None,
) -> Any:
    """Find exact and near-duplicate documents; return every row annotated.

    ``data`` is a pyarrow ``Table``, ``RecordBatchReader`` or string
    ``Array``, anything with the Arrow C stream interface (polars, duckdb),
    a polars or pandas ``DataFrame`` or ``Series`` (a series is the text
    column), a polars ``LazyFrame``, a Hugging Face ``datasets.Dataset``, or
    an iterable of strings or dicts. The result is of the same kind (a
    ``DataFrame`` for a series, a ``pyarrow.Table`` for lists and arrays),
    with the input's columns and, in input order:

    - ``cluster``: the document's cluster (numbered from 1 as in the command
      line's ``clusters.jsonl``), null when it has no duplicate;
    - ``duplicate_of``: for a removed document, its cluster's
      representative (its id, or its row number without ``id_column``);
    - ``similarity``: for a removed document, its Jaccard similarity to the
      representative (exact by default);
    - ``kept``: whether the document stays (``table.filter(table["kept"])``);
    - ``paragraphs_removed`` at ``level="paragraph"`` or ``"both"``, where
      the text column of kept rows loses its repeated paragraphs;
    - ``spans_removed`` at ``level="substring"`` or ``"all"``, where the
      text column of kept rows loses every span of ``min_span`` units
      (``unit`` ``"token"`` or ``"byte"``) that stands earlier in the input
      (kept in place, and only counted, with ``keep_spans=True``);
      ``span_shards=N`` searches them in N shards, two in memory at a time,
      for inputs larger than memory (the kept texts wait in ``temp_dir``;
      the same spans go, in about N times the time).

    Options are the command line's (``thresh dedup --help``): ``threshold``
    0.7, ``ngram`` 5, ``num_perm`` 128 and ``seed`` 42 by default; ``keep``
    is ``earliest`` (by ``date_column``), ``latest``, ``longest`` or
    ``first``; ``verify`` is ``exact`` or ``signature``. The same input and
    options give the same clusters as ``thresh dedup``.

    Band keys and (for exact verification) shingles wait in unlinked files
    under ``temp_dir`` (the system's temporary directory by default), as
    the command line's do in its output directory. A stream (a
    ``RecordBatchReader``, an Arrow C stream, a generator) is read once and
    spooled there too, and the result is a ``RecordBatchReader``: memory
    stays bounded on inputs larger than RAM.
    """
    kind, stream, spool = as_stream(data, text_column)
    reader = _thresh.dedup_stream(
        stream,
        text_column=text_column,
        id_column=id_column,
        date_column=date_column,
        threshold=threshold,
        ngram=ngram,
        num_perm=num_perm,
        seed=seed,
        bands=bands,
        rows=rows,
        level=level,
        keep=keep,
        verify=verify,
        min_paragraph_words=min_paragraph_words,
        min_span=min_span,
        unit=unit,
        keep_spans=keep_spans,
        span_shards=span_shards,
        spool=spool,
        temp_dir=temp_dir,
    )
    return restore_kind(kind, reader)


def timeline(
    snapshots: Iterable[Any], *, names: Optional[list] = None, group_by: str = "auto"
) -> dict:
    """Repeated crawls of live blogs into timelines of unique posts.

    ``snapshots`` are texts (a page's text, optionally starting with the
    command line's `` date YYYY-MM-DD Title`` header line) or dicts with
    ``text`` (or ``html``), ``url``, ``date`` and ``title``, in any order.
    ``names`` (texts only) are the snapshots' names in the provenance
    (``snapshot-1.txt``, … by default). Returns the structure of ``thresh
    timeline --format json`` (see the README); notes for the user go to the
    ``thresh`` logger.
    """
    snapshots = list(snapshots)
    if snapshots and all(isinstance(s, str) for s in snapshots):
        items, kind = snapshots, "text"
    elif names is not None:
        raise ValueError("names go with snapshots given as texts")
    elif all(isinstance(s, dict) for s in snapshots):
        items = [json.dumps(s, ensure_ascii=False) for s in snapshots]
        kind = "jsonl"
    else:
        raise TypeError("snapshots must be all strings or all dicts")
    rendered, notes = _thresh.timeline_json(items, kind, names=names, group_by=group_by)
    for note in notes:
        _log.info("thresh timeline: %s", note)
    return json.loads(rendered)


class MinHasher:
    """MinHash signatures and LSH band keys, exactly as ``thresh dedup``
    computes them (same normalization, shingles and hash functions).

    >>> hasher = MinHasher(num_perm=128, ngram=5)
    >>> hasher.signatures(["a b c d e f", "x y z"]).shape
    (2, 128)
    """

    def __init__(
        self,
        num_perm: Optional[int] = None,
        ngram: Optional[int] = None,
        seed: Optional[int] = None,
        threshold: Optional[float] = None,
        verify: str = "exact",
    ):
        self._inner = _thresh.MinHasher(
            num_perm=num_perm, ngram=ngram, seed=seed, threshold=threshold, verify=verify
        )

    @property
    def num_perm(self) -> int:
        return self._inner.num_perm

    @property
    def ngram(self) -> int:
        return self._inner.ngram

    @property
    def seed(self) -> int:
        return self._inner.seed

    @property
    def banding(self) -> tuple:
        """``(bands, rows)``: dedup's banding for this threshold and verification."""
        return self._inner.banding

    def signatures(self, texts: Any):
        """A ``(len(texts), num_perm)`` ``uint32`` NumPy array."""
        texts = _string_array(texts)
        flat = self._inner.signatures_flat(texts)
        return _matrix(flat, len(texts), self.num_perm)

    def band_keys(self, texts: Any, bands: Optional[int] = None, rows: Optional[int] = None):
        """A ``(len(texts), bands)`` ``uint64`` NumPy array: two texts are
        candidates when they share a key in the same column."""
        texts = _string_array(texts)
        flat = self._inner.band_keys_flat(texts, bands, rows)
        width = bands if bands is not None else self.banding[0]
        return _matrix(flat, len(texts), width)


class Index:
    """The persistent index of ``thresh index``: the same directory can be
    used from the command line and from Python.

    ``add`` checks documents against everything the index holds and adds
    them in one commit (durable when it returns); ``query`` checks without
    adding. Both return one verdict per document, in order, as ``thresh
    index query`` writes them: ``{"id", "new", "kind", "similarity",
    "matched", "representative"}``.
    """

    def __init__(self, path: str):
        self._inner = _thresh.Index(str(path))

    @classmethod
    def create(
        cls,
        path: str,
        *,
        threshold: Optional[float] = None,
        ngram: Optional[int] = None,
        num_perm: Optional[int] = None,
        seed: Optional[int] = None,
        bands: Optional[int] = None,
        rows: Optional[int] = None,
    ) -> "Index":
        """Create an index in ``path``, fixing its matching parameters."""
        _thresh.Index.create(
            str(path),
            threshold=threshold,
            ngram=ngram,
            num_perm=num_perm,
            seed=seed,
            bands=bands,
            rows=rows,
        )
        return cls(path)

    @property
    def path(self) -> str:
        return str(self._inner.path)

    def add(self, documents: Any, **fields: str) -> list:
        """Check ``documents`` (strings, dicts or a table with ``id``,
        ``text``, ``date``, ``url``; other names with ``text_field=`` …) and
        add them."""
        verdicts = self._inner.add_json(records_of(documents, **fields))
        return [json.loads(v) for v in verdicts]

    def query(self, documents: Any, **fields: str) -> list:
        """Check ``documents`` without adding them."""
        verdicts = self._inner.query_json(records_of(documents, **fields))
        return [json.loads(v) for v in verdicts]

    def stats(self) -> dict:
        """What ``thresh index stats`` prints."""
        return json.loads(self._inner.stats_json())


def _string_array(texts: Any) -> pa.Array:
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if isinstance(texts, pa.Array):
        return texts
    if isinstance(texts, str):
        raise TypeError("texts must be a list of strings, not one string")
    return pa.array(list(texts), type=pa.large_string())


def _matrix(flat: pa.Array, rows: int, width: int):
    return flat.to_numpy(zero_copy_only=True).reshape(rows, width)
