//! thresh's engine: it turns documents into fingerprints, fingerprints into
//! matches, and matches into clusters and timelines.
//!
//! Data flows one way, each stage a module with plain data at its borders:
//!
//! ```text
//! Document ─▶ normalize ─▶ shingle ─▶ fingerprint ─▶ lsh ─▶ cluster ─▶ dedup result
//!                                           └──────▶ paragraph (exact, streaming)
//! Document ─▶ segment ─▶ timeline
//! ```
//!
//! The engine does no I/O and prints nothing: readers and writers live in
//! `thresh-io`, the command line in `thresh-cli`.

pub mod cluster;
pub mod dedup;
pub mod document;
pub mod lsh;
pub mod minhash;
pub mod normalize;
pub mod paragraph;
pub mod shingle;
pub mod timeline;

pub use dedup::{DedupConfig, DedupOutcome, Deduplicator, MatchConfig};
pub use document::{Document, Origin};
