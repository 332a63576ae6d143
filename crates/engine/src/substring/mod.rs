//! Exact-substring deduplication: every span of at least `min_span` units
//! that occurs more than once in the corpus is kept where it occurs first
//! (in input order) and found wherever it occurs again.
//!
//! ```text
//! texts ─▶ units (tokens or bytes, with byte ranges) ─▶ later windows ─▶ pieces
//!                                    hashed (default) or suffix array ┘
//! ```
//!
//! [`SpanFinder`] takes the texts in input order and turns each into units
//! ([`units`]): tokens get dense ids. A separator unit follows each
//! document, so windows never cross from one document into the next.
//! [`SpanFinder::finish`] finds every window of `min_span` units with an
//! earlier copy, by one of two indexes ([`SpanIndex`]) that find the same
//! windows, and tells the union of those windows as pieces, each with the
//! place of its first copy ([`pieces`]). The result is the same whatever
//! the index and the number of threads.
//!
//! - **Hashed** (`hashed`, the default): every window's rolling hash, a
//!   share of them at a time within a memory budget, sorted, and equal
//!   hashes compared unit for unit. Memory: the units, half a byte a unit
//!   of bitmaps, and one share of 8-byte entries (16 past 2^32 units): a
//!   sixth of all at most, less when the budget says so.
//! - **Suffix array** ([`suffix`]): the suffix array of all units
//!   (libsais), one linear pass that compares neighbours. Memory: 5 bytes
//!   per unit for bytes, 8 for tokens (9 and 16 past 2^31 units), a bit
//!   per unit for the links, two for the later windows and their ranks,
//!   and 4 bytes per later window (8 past 2^32 units) for its first copy.
//!
//! A piece names units; [`units::unit_ranges`] maps them back to bytes of
//! the original text, so a caller can cut the text exactly.

mod hashed;
mod pages;
pub mod pieces;
pub mod suffix;
pub mod units;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::normalize::{NormalizeOptions, Normalizer};
pub use units::{unit_ranges, Unit};

/// Follows every document's bytes: no UTF-8 text holds the byte 0xFF, so
/// no repeat runs through it into the next document.
const BYTE_SEPARATOR: u8 = 0xFF;

/// Follows every document's tokens, whose ids start at 1.
const TOKEN_SEPARATOR: i32 = 0;

/// What a substring run looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubstringConfig {
    pub unit: Unit,
    /// The shortest repeat that counts, in units.
    pub min_span: usize,
    /// How tokens are compared (bytes are compared as they are).
    pub normalize: NormalizeOptions,
    /// How the repeats are found; both find the same.
    pub index: SpanIndex,
}

/// How [`SpanFinder`] finds the windows with an earlier copy. Both give
/// the same pieces; they differ in time and memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum SpanIndex {
    /// Hash every window, a share of the hashes at a time within the
    /// memory budget, and compare equal hashes unit for unit
    /// (`hashed`): the units and half a byte a unit of bitmaps, besides
    /// one share of the hashes.
    #[default]
    Hashed,
    /// The suffix array of all units (libsais), scanned for neighbours
    /// that share a window ([`suffix`]): 5 bytes a byte, 8 a token.
    SuffixArray,
}

impl Default for SubstringConfig {
    fn default() -> Self {
        SubstringConfig {
            unit: Unit::Token,
            min_span: 50,
            normalize: NormalizeOptions::default(),
            index: SpanIndex::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubstringError {
    /// `min_span` was 0.
    EmptySpan,
    /// libsais refused or failed.
    SuffixArray(String),
}

impl std::fmt::Display for SubstringError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SubstringError::EmptySpan => write!(f, "the minimum span must be at least 1 unit"),
            SubstringError::SuffixArray(why) => {
                write!(f, "the suffix array could not be built ({why})")
            }
        }
    }
}

impl std::error::Error for SubstringError {}

/// A repeat to remove: units `start..end` of document `doc` (indices of
/// the document's own units) equal units `first_start..first_end` of
/// document `first_doc`, which come earlier in input order (an earlier
/// document, or earlier in the same one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub doc: u32,
    pub start: usize,
    pub end: usize,
    pub first_doc: u32,
    pub first_start: usize,
    pub first_end: usize,
}

/// The corpus's units as they are added, then the repeats among them.
pub struct SpanFinder {
    config: SubstringConfig,
    normalizer: Normalizer,
    units: Units,
    /// Where each document's units begin (each document's units are
    /// followed by a separator); one more entry, the end, is added by
    /// `finish`.
    doc_starts: Vec<u64>,
}

enum Units {
    Bytes(Vec<u8>),
    Tokens {
        ids: Vec<i32>,
        vocabulary: HashMap<u64, i32>,
    },
}

impl SpanFinder {
    pub fn new(config: SubstringConfig) -> Result<Self, SubstringError> {
        if config.min_span == 0 {
            return Err(SubstringError::EmptySpan);
        }
        let units = match config.unit {
            Unit::Byte => Units::Bytes(Vec::new()),
            Unit::Token => Units::Tokens {
                ids: Vec::new(),
                vocabulary: HashMap::new(),
            },
        };
        Ok(SpanFinder {
            config,
            normalizer: Normalizer::new(config.normalize),
            units,
            doc_starts: Vec::new(),
        })
    }

    /// Documents added so far.
    pub fn documents(&self) -> usize {
        self.doc_starts.len()
    }

    /// Units added so far, separators included.
    pub fn units(&self) -> u64 {
        match &self.units {
            Units::Bytes(bytes) => bytes.len() as u64,
            Units::Tokens { ids, .. } => ids.len() as u64,
        }
    }

    /// The memory the units added so far take, in bytes: part of what
    /// [`SpanFinder::memory_needed`] counts, held already.
    pub fn memory_held(&self) -> u64 {
        match &self.units {
            Units::Bytes(bytes) => bytes.len() as u64,
            Units::Tokens { ids, .. } => ids.len() as u64 * 4,
        }
    }

    /// The least memory [`SpanFinder::finish`] needs with `budget`, in
    /// bytes. With the suffix array: the units and their array side by
    /// side, and the scan's bitmaps (the first copies of later windows
    /// come on top, 4 bytes each). Hashed: the units, bitmaps, and the
    /// window hashes held at once.
    pub fn memory_needed(&self, budget: u64) -> u64 {
        let units = self.units();
        let unit_size = match &self.units {
            Units::Bytes(_) => 1,
            Units::Tokens { .. } => 4,
        };
        match self.config.index {
            SpanIndex::Hashed => hashed::memory_needed(units, unit_size, budget),
            SpanIndex::SuffixArray => {
                let array_size = match (&self.units, suffix::narrow(units)) {
                    (_, true) => 4,
                    (Units::Bytes(_), false) => 8,
                    // The ids are widened to 64 bits for libsais past 2^31.
                    (Units::Tokens { .. }, false) => 8 + 8,
                };
                units * (unit_size + array_size) + units.div_ceil(64) * 8 * 3
            }
        }
    }

    /// The next documents in input order. Tokens are found in parallel;
    /// ids are given in order of first appearance.
    pub fn add_texts(&mut self, texts: &[&str]) {
        match &mut self.units {
            Units::Bytes(bytes) => {
                for text in texts {
                    self.doc_starts.push(bytes.len() as u64);
                    bytes.extend_from_slice(text.as_bytes());
                    bytes.push(BYTE_SEPARATOR);
                }
            }
            Units::Tokens { ids, vocabulary } => {
                let normalizer = self.normalizer;
                let keyed: Vec<Vec<u64>> = texts
                    .par_iter()
                    .map(|text| {
                        let mut keys = Vec::new();
                        units::for_each_token_key(text, &normalizer, |_, key| keys.push(key));
                        keys
                    })
                    .collect();
                for keys in keyed {
                    self.doc_starts.push(ids.len() as u64);
                    for key in keys {
                        let next = vocabulary.len() as i32 + 1;
                        ids.push(*vocabulary.entry(key).or_insert(next));
                    }
                    ids.push(TOKEN_SEPARATOR);
                }
            }
        }
    }

    /// Every repeat of at least `min_span` units after its first copy,
    /// sorted by document and position. `threads` build the suffix array
    /// (the hashed index works on rayon's threads); the hashed index holds
    /// at most `budget` bytes of window hashes at once.
    pub fn finish(self, threads: usize, budget: u64) -> Result<Vec<Piece>, SubstringError> {
        let SpanFinder {
            config,
            units,
            mut doc_starts,
            ..
        } = self;
        let span = config.min_span;
        let global = match units {
            Units::Bytes(bytes) => {
                doc_starts.push(bytes.len() as u64);
                match config.index {
                    SpanIndex::Hashed => hashed::pieces(&bytes, span, BYTE_SEPARATOR, budget),
                    SpanIndex::SuffixArray => {
                        let suffixes = suffix::of_bytes(&bytes, threads)?;
                        let windows =
                            suffix::later_windows(&bytes, &suffixes, span, BYTE_SEPARATOR);
                        drop(suffixes);
                        windows.pieces(&bytes, span as u64)
                    }
                }
            }
            Units::Tokens {
                mut ids,
                vocabulary,
            } => {
                doc_starts.push(ids.len() as u64);
                // Token ids and the separator, 0.
                let alphabet = vocabulary.len() + 1;
                drop(vocabulary);
                match config.index {
                    SpanIndex::Hashed => hashed::pieces(&ids, span, TOKEN_SEPARATOR, budget),
                    SpanIndex::SuffixArray => {
                        let suffixes = suffix::of_tokens(&mut ids, alphabet, threads)?;
                        let windows = suffix::later_windows(&ids, &suffixes, span, TOKEN_SEPARATOR);
                        drop(suffixes);
                        windows.pieces(&ids, span as u64)
                    }
                }
            }
        };
        Ok(global
            .into_iter()
            .map(|piece| local_piece(piece, &doc_starts))
            .collect())
    }
}

/// A piece in positions of the whole corpus as one in its documents' units.
fn local_piece(piece: pieces::GlobalPiece, doc_starts: &[u64]) -> Piece {
    let doc = document_of(piece.start, doc_starts);
    let first_doc = document_of(piece.first, doc_starts);
    let first_start = (piece.first - doc_starts[first_doc]) as usize;
    let start = (piece.start - doc_starts[doc]) as usize;
    Piece {
        doc: doc as u32,
        start,
        end: start + (piece.end - piece.start) as usize,
        first_doc: first_doc as u32,
        first_start,
        first_end: first_start + (piece.end - piece.start) as usize,
    }
}

/// The document holding unit `at` (the last one starting at or before it;
/// empty documents hold nothing).
fn document_of(at: u64, doc_starts: &[u64]) -> usize {
    doc_starts.partition_point(|&start| start <= at) - 1
}

#[cfg(test)]
mod tests;
