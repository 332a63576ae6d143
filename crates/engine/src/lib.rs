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
//! `thresh-io`, the pipelines that string them together in `thresh`, the
//! command line in `thresh-cli`.
//!
//! ```
//! use thresh_engine::{DedupConfig, Deduplicator, Document};
//!
//! let story = "The harbour closed on Monday after the storm broke two moorings \
//!              and sank a fishing boat, the port authority said on its website.";
//! let docs = [
//!     Document::new("a", story),
//!     Document::new("b", story.replace("website", "site")),
//!     Document::new("c", "Ferries to the islands will not sail before Wednesday."),
//! ];
//! let mut dedup = Deduplicator::new(DedupConfig::default());
//! dedup.add_documents(&docs)?;
//! let outcome = dedup.finish()?;
//! assert_eq!(outcome.kept, [true, false, true]); // b is a near copy of a
//! # Ok::<(), std::io::Error>(())
//! ```

pub mod cluster;
pub mod dedup;
pub mod document;
pub mod fact_store;
pub mod lsh;
pub mod markup;
pub mod minhash;
pub mod normalize;
pub mod paged;
pub mod paragraph;
pub mod shingle;
pub mod shingle_store;
pub mod substring;
pub mod timeline;

pub use dedup::{DedupConfig, DedupOutcome, Deduplicator, MatchConfig, Stores};
pub use document::{Document, Origin};
