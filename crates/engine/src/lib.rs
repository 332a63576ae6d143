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

pub mod document;
pub mod normalize;
pub mod timeline;

pub use document::{Document, Origin};
