//! Paragraph-level exact deduplication.
//!
//! A paragraph (a non-blank line, see [`crate::document::paragraphs`]) is
//! removed when its normalized text was already seen earlier in the same
//! document or in an earlier document. The seeds show why both matter: one
//! page prints a post twice (once with ’, once with '), and consecutive
//! crawls repeat their opening paragraphs.
//!
//! The work is split so callers can stream: [`ParagraphDeduper::hash`] is
//! pure and runs in parallel over a batch; [`ParagraphDeduper::decide`] is
//! the only stateful step and runs in input order, so the result is the same
//! whatever the thread count. Memory grows with the number of distinct
//! paragraphs (about 40 bytes each), not with their text.

use std::collections::HashMap;

use serde::Serialize;
use xxhash_rust::xxh3::xxh3_128;

use crate::document::paragraphs;
use crate::normalize::{NormalizeOptions, Normalizer};

/// Where a paragraph stands: document index (input order), paragraph index
/// within it (0-based, blank lines not counted) and 0-based line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ParagraphRef {
    pub doc: u32,
    pub paragraph: u32,
    pub line: u32,
}

/// A paragraph of a document, hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashedParagraph {
    pub paragraph: u32,
    pub line: u32,
    pub hash: u128,
    /// Long enough to be deduplicated (see `min_words`).
    pub eligible: bool,
}

/// A paragraph that repeats an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RemovedParagraph {
    pub paragraph: u32,
    pub line: u32,
    /// Where the first copy stands.
    pub first: ParagraphRef,
}

/// Remembers every paragraph seen so far.
pub struct ParagraphDeduper {
    normalizer: Normalizer,
    min_words: usize,
    seen: HashMap<u128, ParagraphRef>,
}

impl ParagraphDeduper {
    /// Paragraphs of fewer than `min_words` words are never removed (0 and
    /// 1 mean every paragraph is considered).
    pub fn new(options: NormalizeOptions, min_words: usize) -> Self {
        ParagraphDeduper {
            normalizer: Normalizer::new(options),
            min_words,
            seen: HashMap::new(),
        }
    }

    /// Number of distinct paragraphs seen.
    pub fn distinct(&self) -> usize {
        self.seen.len()
    }

    /// Hash each paragraph of `text`. Pure: safe to call from many threads.
    pub fn hash(&self, text: &str) -> Vec<HashedParagraph> {
        let mut normalized = String::new();
        paragraphs(text)
            .enumerate()
            .map(|(paragraph, (line, body))| {
                self.normalizer.normalize_into(body, &mut normalized);
                let words = if self.min_words > 1 {
                    crate::normalize::tokens(&normalized).len()
                } else {
                    usize::MAX
                };
                HashedParagraph {
                    paragraph: paragraph as u32,
                    line: line as u32,
                    hash: xxh3_128(normalized.as_bytes()),
                    eligible: words >= self.min_words,
                }
            })
            .collect()
    }

    /// Record document `doc`'s paragraphs and return those seen before.
    /// Documents must be decided in input order.
    pub fn decide(&mut self, doc: u32, hashed: &[HashedParagraph]) -> Vec<RemovedParagraph> {
        let mut removed = Vec::new();
        for p in hashed.iter().filter(|p| p.eligible) {
            let here = ParagraphRef {
                doc,
                paragraph: p.paragraph,
                line: p.line,
            };
            match self.seen.entry(p.hash) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    removed.push(RemovedParagraph {
                        paragraph: p.paragraph,
                        line: p.line,
                        first: *first.get(),
                    });
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(here);
                }
            }
        }
        removed
    }
}

/// `text` without the given 0-based lines (sorted). Runs of blank lines
/// left behind are collapsed to one, and no blank line leads or trails.
pub fn remove_lines(text: &str, removed: &[u32]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut removed = removed.iter().peekable();
    let mut blank_pending = false;
    for (index, line) in text.lines().enumerate() {
        if removed.peek() == Some(&&(index as u32)) {
            removed.next();
            continue;
        }
        if line.trim().is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank_pending {
                out.push('\n');
            }
        }
        blank_pending = false;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dedup_all(texts: &[&str], min_words: usize) -> Vec<Vec<RemovedParagraph>> {
        let mut deduper = ParagraphDeduper::new(NormalizeOptions::default(), min_words);
        texts
            .iter()
            .enumerate()
            .map(|(doc, text)| {
                let hashed = deduper.hash(text);
                deduper.decide(doc as u32, &hashed)
            })
            .collect()
    }

    #[test]
    fn repeat_within_a_document_is_removed_with_its_first_copy() {
        let text = "Intro.\nIt was Russia\u{2019}s second attack.\nMiddle.\nIt was Russia's second attack.";
        let removed = dedup_all(&[text], 0);
        assert_eq!(removed[0].len(), 1);
        assert_eq!(removed[0][0].line, 3);
        assert_eq!(
            removed[0][0].first,
            ParagraphRef {
                doc: 0,
                paragraph: 1,
                line: 1
            }
        );
    }

    #[test]
    fn repeat_across_documents_points_at_the_earlier_document() {
        let removed = dedup_all(&["Shared lead.\nOwn one.", "Other.\n\nShared  LEAD."], 0);
        assert!(removed[0].is_empty());
        assert_eq!(removed[1].len(), 1);
        assert_eq!(removed[1][0].first.doc, 0);
        assert_eq!(removed[1][0].line, 2);
        assert_eq!(removed[1][0].paragraph, 1);
    }

    #[test]
    fn short_paragraphs_can_be_spared() {
        let removed = dedup_all(
            &[
                "Comments\nA long shared line here.",
                "Comments\nA long shared line here.",
            ],
            3,
        );
        assert_eq!(removed[1].len(), 1);
        assert_eq!(removed[1][0].line, 1);
    }

    #[test]
    fn removing_lines_keeps_the_rest_and_tidies_blank_lines() {
        assert_eq!(remove_lines("a\nb\nc", &[1]), "a\nc");
        assert_eq!(remove_lines("a\n\nb\n\nc", &[2]), "a\n\nc");
        assert_eq!(remove_lines("a\n\nb", &[0]), "b");
        assert_eq!(remove_lines("a\nb", &[0, 1]), "");
        assert_eq!(remove_lines("a\nb", &[]), "a\nb");
    }
}
