"""Type stubs of thresh's Rust module (crates/python/src). The public API is
``thresh`` (``__init__.py``); these are the functions and classes it calls."""

from os import PathLike
from typing import Any, Optional, Tuple

import pyarrow as pa

__version__: str
MAX_BUCKET_ALL_PAIRS: int

class ThreshError(Exception):
    """A run failed; the message is the command line's."""

def dedup_stream(
    stream: Any,
    *,
    text_column: str = "text",
    id_column: Optional[str] = None,
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
    spool: bool = False,
    temp_dir: Optional[str | PathLike[str]] = None,
) -> pa.RecordBatchReader: ...
def timeline_json(
    snapshots: list[str],
    kind: str,
    *,
    names: Optional[list[str]] = None,
    group_by: str = "auto",
) -> Tuple[str, list[str]]: ...
def signature_similarity(a: pa.Array, b: pa.Array, rounded: bool = False) -> pa.Array: ...

class MinHasher:
    def __init__(
        self,
        *,
        num_perm: Optional[int] = None,
        ngram: Optional[int] = None,
        seed: Optional[int] = None,
        threshold: Optional[float] = None,
        verify: str = "exact",
    ) -> None: ...
    @property
    def num_perm(self) -> int: ...
    @property
    def ngram(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def threshold(self) -> float: ...
    @property
    def banding(self) -> Tuple[int, int]: ...
    def signatures_flat(self, texts: pa.Array) -> pa.Array: ...
    def band_keys_flat(
        self, texts: pa.Array, bands: Optional[int] = None, rows: Optional[int] = None
    ) -> pa.Array: ...
    def fingerprints(self, texts: pa.Array) -> pa.RecordBatch: ...

_Columns = Tuple[list[str], list[str], list[Optional[str]], list[Optional[str]]]

class Index:
    def __init__(self, path: str | PathLike[str]) -> None: ...
    @staticmethod
    def create(
        path: str | PathLike[str],
        *,
        threshold: Optional[float] = None,
        ngram: Optional[int] = None,
        num_perm: Optional[int] = None,
        seed: Optional[int] = None,
        bands: Optional[int] = None,
        rows: Optional[int] = None,
    ) -> Index: ...
    @property
    def path(self) -> str: ...
    def add_json(self, columns: _Columns) -> list[str]: ...
    def query_json(self, columns: _Columns) -> list[str]: ...
    def stats_json(self) -> str: ...
