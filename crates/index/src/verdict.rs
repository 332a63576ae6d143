//! What a push answers for each document: new, or a duplicate of which
//! earlier document.

use serde::Serialize;
use thresh_engine::dedup::MatchKind;

/// A document of the index, as a match names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocRef {
    /// Stable index id.
    pub id: u64,
    /// The id the document had in its input.
    pub source_id: String,
    pub date: Option<String>,
}

/// Why a document is a duplicate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub kind: MatchKind,
    /// The earlier document it matched (the earliest such one).
    pub matched: DocRef,
    /// Estimated Jaccard similarity to `matched` (1.0 for exact copies).
    pub similarity: f64,
    /// The kept document `matched` leads back to (`matched` itself when it
    /// was kept): the representative of its cluster.
    pub root: DocRef,
}

/// The decision for one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Verdict {
    New,
    Duplicate(Match),
}

impl Verdict {
    pub fn is_new(&self) -> bool {
        matches!(self, Verdict::New)
    }
}
