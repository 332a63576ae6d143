//! thresh's persistent index: incremental deduplication of a daily crawl
//! against every document seen before.
//!
//! ```
//! use thresh_engine::{Document, MatchConfig};
//! use thresh_index::{Index, Verdict};
//!
//! let dir = tempfile::tempdir()?;
//! let index = Index::create(&dir.path().join("idx"), &MatchConfig::default())?;
//! let day_one = [Document::new("a", "Ferries will not sail before Wednesday, the port said.")];
//! let mut batch = index.begin()?;
//! index.push(&mut batch, &day_one)?;
//! index.commit(batch)?;
//!
//! // The next day, the same story comes again.
//! let day_two = [Document::new("b", "Ferries will not sail before Wednesday, the port said.")];
//! let mut batch = index.begin()?;
//! let verdicts = index.push(&mut batch, &day_two)?;
//! assert!(matches!(&verdicts[0], Verdict::Duplicate(m) if m.matched.source_id == "a"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! An index is a directory holding one store file (`index.redb`), run files
//! (`run-FIRST-END.thr`) and a lock file (`LOCK`). The store holds, as byte
//! keys that sort usefully:
//!
//! | key | value |
//! |---|---|
//! | `H` | header: format version and the fixed [`MatchConfig`](thresh_engine::MatchConfig) (JSON) |
//! | `N` | committed counts: documents, kept, duplicates, batches (JSON) |
//! | `R` | manifest: the live run files, oldest documents first (JSON) |
//! | `C` batch (u64 BE) | that batch: first document id, counts (JSON) |
//! | `D` id (u64 BE) | document: exact hash, decision, signature, date, source id, checksum |
//!
//! Every key a commit writes is new and larger than the ones before (or one
//! of `N`, `R`): the store only appends. The look-up entries live in the
//! runs, immutable files sorted by key (see `runs.rs`): one exact-hash
//! entry per first copy of a normalized text and one entry per LSH band of
//! each such first copy that has words. A batch's entries become one run,
//! merged with the newest runs so that their number stays logarithmic.
//!
//! Documents get stable ids in the order they were added (0, 1, …). Only the
//! first copy of each normalized text that has words gets a signature and
//! band entries: exact copies match through its exact-hash entry and share
//! that signature.
//!
//! # Decisions
//!
//! A new document is a duplicate when its normalized text equals an earlier
//! document's (exact), or when it shares an LSH band with an earlier document
//! (kept or itself a duplicate) whose signature estimates a Jaccard
//! similarity at or above the threshold (near): the same candidate and
//! verification rules as [`thresh_engine::Deduplicator`], through the
//! engine's own [`Fingerprinter`](thresh_engine::dedup::Fingerprinter),
//! [`band_keys_into`](thresh_engine::lsh::band_keys_into) and
//! [`estimate_jaccard`](thresh_engine::minhash::estimate_jaccard). Earlier means committed before, or earlier in the
//! same batch, in input order.
//!
//! The decision is final when a document is added: a later document that
//! bridges two earlier, dissimilar ones does not remove the later of them,
//! where `thresh dedup --keep first` (transitive clusters) would. See
//! `tests/batches.rs` for the equivalence that holds and the one case that
//! differs.

// One module per concern:
mod batch; // the uncommitted batch: decisions in input order, its buckets
mod check; // the integrity check
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod header; // what an index fixes, and the comparison with a configuration
mod index; // Index: create, open, begin, push, commit, check
mod layout; // the store's keys and its small JSON records
mod live_runs; // the run files over time: cache, merge at commit, deletion
mod lock; // the writer lock
mod matching; // a document matched against the committed index
mod probe; // run keys, and one sorted look-up of a push's keys
mod record; // the document record and its status
mod runs; // the run file format
mod store; // redb
mod verdict; // what a push answers // entry points for the fuzz targets in `fuzz/`

pub use batch::Batch;
pub use header::{Header, FORMAT_VERSION};
pub use index::Index;
pub use layout::{BatchSummary, Counts};
pub use matching::MAX_BUCKET_SCAN;
pub use verdict::{DocRef, Match, Verdict};

/// Everything that can go wrong with an index, with messages a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("index is locked by PID {pid} (another `thresh index add` is writing to it)")]
    Locked { pid: String },
    #[error("{0}: not a thresh index (no index.redb; create one with `thresh index create`)")]
    NotAnIndex(String),
    #[error("{0}: an index already exists there")]
    AlreadyExists(String),
    #[error(
        "index format version {found} is not supported by this thresh (it reads version {supported}): build the index again from its inputs with this thresh"
    )]
    FormatVersion { found: u32, supported: u32 },
    #[error("parameters differ from the index's: {0}")]
    ParameterMismatch(String),
    #[error("invalid parameters: {0}")]
    InvalidConfig(String),
    #[error("the index was opened read-only")]
    ReadOnly,
    #[error("the index changed under this batch (another writer?); nothing was committed")]
    Conflict,
    #[error("the index is full: it holds at most {0} documents")]
    Full(u64),
    #[error("the index is damaged: {0}")]
    Corrupt(String),
    #[error("index store: {0}")]
    Store(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}
