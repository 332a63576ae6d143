//! Dedup at substring level: the repeated spans of the kept documents'
//! text, found by the engine's [`SpanFinder`] over every kept document,
//! then cut out of each document as it is written.
//!
//! The engine names spans in units (tokens or bytes); this module maps
//! them to byte ranges of the text as it stands after the document and
//! paragraph levels, so that what is removed is exact and the rest of the
//! text is untouched. A first copy's byte range is learnt when its
//! document passes, which is always before (or while) a later copy's
//! document passes, since first copies come earlier in input order.

mod shards;

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Serialize;
use thresh_engine::normalize::Normalizer;
use thresh_engine::substring::{unit_ranges, Piece, SpanFinder, SubstringConfig, Unit};

use crate::ids::IdList;
use crate::records::{RemovedSpanRecord, SpanPlace};

/// What the substring level looks for and what it does with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SubstringOptions {
    pub config: SubstringConfig,
    /// Report the spans without cutting them from the kept text.
    pub keep_spans: bool,
    /// Search the corpus in this many shards of about equal size, two in
    /// memory at a time, for corpora larger than memory (0 and 1: all at
    /// once). The same spans are removed whatever the number.
    pub shards: usize,
}

/// The substring level's parameters as `summary.json` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SubstringParameters {
    pub unit: Unit,
    pub min_span: usize,
    pub keep_spans: bool,
    /// The shards the corpus was searched in (1: all at once); the same
    /// spans go, but a shard boundary may split a record in two.
    pub shards: usize,
}

impl From<&SubstringOptions> for SubstringParameters {
    fn from(options: &SubstringOptions) -> Self {
        SubstringParameters {
            unit: options.config.unit,
            min_span: options.config.min_span,
            keep_spans: options.keep_spans,
            shards: options.shards.max(1),
        }
    }
}

/// Collects the kept documents' texts in input order (the library's
/// pipeline, or a front end that holds its documents).
pub struct SpanSearch {
    config: SubstringConfig,
    texts: SearchTexts,
    /// The input index of each document added, in order.
    indices: Vec<u32>,
}

/// Where the texts wait for the search.
enum SearchTexts {
    /// In the engine's finder, searched all at once.
    Whole(SpanFinder),
    /// In a temporary file, searched in shards ([`shards`]).
    Sharded { spool: shards::Spool, shards: usize },
}

impl SpanSearch {
    /// A search over all the texts at once, in memory.
    pub fn new(config: SubstringConfig) -> Result<Self> {
        Ok(SpanSearch {
            config,
            texts: SearchTexts::Whole(SpanFinder::new(config)?),
            indices: Vec::new(),
        })
    }

    /// A search in `shards` shards, the texts waiting in a temporary file
    /// in `temp_dir` (the system's when `None`); with fewer than two
    /// shards, [`SpanSearch::new`].
    pub fn sharded(
        config: SubstringConfig,
        shards: usize,
        temp_dir: Option<&Path>,
    ) -> Result<Self> {
        if shards < 2 {
            return Self::new(config);
        }
        // Refuses a minimum span of 0 before any text is read.
        SpanFinder::new(config)?;
        Ok(SpanSearch {
            config,
            texts: SearchTexts::Sharded {
                spool: shards::Spool::create(temp_dir)?,
                shards,
            },
            indices: Vec::new(),
        })
    }

    /// Kept documents as (input index, text), in input order.
    pub fn add(&mut self, documents: &[(usize, &str)]) -> Result<()> {
        let texts: Vec<&str> = documents.iter().map(|(_, text)| *text).collect();
        match &mut self.texts {
            SearchTexts::Whole(finder) => finder.add_texts(&texts),
            SearchTexts::Sharded { spool, .. } => spool.add(&texts)?,
        }
        self.indices
            .extend(documents.iter().map(|(index, _)| *index as u32));
        Ok(())
    }

    /// Every repeated span, by input index, ready to cut; the search holds
    /// at most `budget` bytes of window hashes at once (the rest of its
    /// memory grows with the text, or with two shards' text). A search
    /// that cannot fit in the memory and swap the machine (or its cgroup)
    /// has free is refused before it starts, rather than stopped by the
    /// system halfway: before any work, or, in shards, before the first
    /// pair of shards too large.
    pub fn finish(self, options: SubstringOptions, budget: u64) -> Result<SpanCuts> {
        let threads = rayon::current_num_threads();
        let search = |finder: SpanFinder| -> Result<Vec<Piece>> {
            let needed = finder.memory_needed(budget);
            // The units are in memory already: what is free comes on top.
            let room = crate::memory::free().map(|free| free + finder.memory_held());
            check_memory(needed, room, finder.units(), options)?;
            finder
                .finish(threads, budget)
                .context("the substring level failed")
        };
        let mut pieces = match self.texts {
            SearchTexts::Whole(finder) => search(finder)?,
            SearchTexts::Sharded { spool, shards } => {
                shards::pieces(spool, shards, self.config, search)?
            }
        };
        // The search numbers the documents it was given; the cuts go by
        // input index.
        for piece in &mut pieces {
            piece.doc = self.indices[piece.doc as usize];
            piece.first_doc = self.indices[piece.first_doc as usize];
        }
        Ok(SpanCuts::new(pieces, options))
    }
}

/// An error saying what the search needs when it is more than `free`
/// (what is free and what the search holds already).
fn check_memory(
    needed: u64,
    free: Option<u64>,
    units: u64,
    options: SubstringOptions,
) -> Result<()> {
    let advice = match options.config.unit {
        Unit::Byte => "--unit token needs less than half of what bytes need; or search in more --span-shards, or dedup",
        Unit::Token => "search in more --span-shards, or dedup",
    };
    match free {
        Some(free) if needed > free => bail!(
            "the substring level needs at least {} of memory to search {units} \
             {}s, and {} is free; {advice} a part of the corpus at a time",
            gigabytes(needed),
            options.config.unit.name(),
            gigabytes(free)
        ),
        _ => Ok(()),
    }
}

fn gigabytes(bytes: u64) -> String {
    format!("{:.1} GB", bytes as f64 / 1e9)
}

/// Cuts repeated spans out of kept documents, one document at a time in
/// input order.
pub struct SpanCuts {
    options: SubstringOptions,
    normalizer: Normalizer,
    /// Pieces by document, in order within each.
    pieces: BTreeMap<u32, Vec<Piece>>,
    /// First copies still to place, by the document they stand in.
    firsts_wanted: BTreeMap<u32, Vec<Range<usize>>>,
    /// First copies placed: (document, unit range) → byte range.
    firsts: HashMap<(u32, usize, usize), Range<usize>>,
}

/// What cutting did to one document.
pub struct Cut {
    /// The text without its repeated spans (the same text when the spans
    /// are only reported).
    pub text: String,
    pub records: Vec<RemovedSpanRecord>,
}

impl SpanCuts {
    fn new(pieces: Vec<Piece>, options: SubstringOptions) -> Self {
        let mut by_doc: BTreeMap<u32, Vec<Piece>> = BTreeMap::new();
        let mut firsts_wanted: BTreeMap<u32, Vec<Range<usize>>> = BTreeMap::new();
        for piece in pieces {
            firsts_wanted
                .entry(piece.first_doc)
                .or_default()
                .push(piece.first_start..piece.first_end);
            by_doc.entry(piece.doc).or_default().push(piece);
        }
        SpanCuts {
            options,
            normalizer: Normalizer::new(options.config.normalize),
            pieces: by_doc,
            firsts_wanted,
            firsts: HashMap::new(),
        }
    }

    /// Document `index` (its text after the levels before this one), cut;
    /// `None` when no span of it is repeated. Called for every kept
    /// document in input order.
    pub fn cut(&mut self, index: usize, id: &str, text: &str, ids: &IdList) -> Result<Option<Cut>> {
        let index = index as u32;
        let wanted = self.firsts_wanted.remove(&index);
        let pieces = self.pieces.remove(&index);
        if wanted.is_none() && pieces.is_none() {
            return Ok(None);
        }
        let unit = self.options.config.unit;
        let ranges = match unit {
            Unit::Token => unit_ranges(text, unit, &self.normalizer),
            Unit::Byte => Vec::new(),
        };
        let bytes = UnitBytes { unit, text, ranges };
        for first in wanted.into_iter().flatten() {
            let placed = bytes.inward(first.clone());
            self.firsts.insert((index, first.start, first.end), placed);
        }
        let Some(pieces) = pieces else {
            return Ok(None);
        };
        let records = self.records(&pieces, &bytes, id, ids)?;
        let text = match self.options.keep_spans {
            true => text.to_owned(),
            false => without(text, records.iter().map(|r| r.start..r.end)),
        };
        Ok(Some(Cut { text, records }))
    }

    fn records(
        &self,
        pieces: &[Piece],
        bytes: &UnitBytes,
        id: &str,
        ids: &IdList,
    ) -> Result<Vec<RemovedSpanRecord>> {
        let mut records = Vec::with_capacity(pieces.len());
        for (at, piece) in pieces.iter().enumerate() {
            // Pieces that follow each other without a gap tile one
            // removed region: each ends where the next begins, so the
            // white space and punctuation between them go too.
            let next = pieces.get(at + 1).filter(|next| next.start == piece.end);
            let range = bytes.piece(piece.start..piece.end, next.map(|n| n.start));
            if range.is_empty() {
                continue;
            }
            let first_key = (piece.first_doc, piece.first_start, piece.first_end);
            let Some(first) = self.firsts.get(&first_key) else {
                bail!(
                    "internal error: the first copy of a span of {id} (in document {}) \
                     was not seen before it",
                    ids.get(piece.first_doc as usize)?
                );
            };
            records.push(RemovedSpanRecord {
                id: id.to_owned(),
                start: range.start,
                end: range.end,
                text: bytes.text[range].to_owned(),
                first: SpanPlace {
                    id: ids.get(piece.first_doc as usize)?,
                    start: first.start,
                    end: first.end,
                },
            });
        }
        Ok(records)
    }
}

/// A document's text and where its units stand in it.
struct UnitBytes<'a> {
    unit: Unit,
    text: &'a str,
    /// Each token's byte range (empty for bytes).
    ranges: Vec<Range<usize>>,
}

impl UnitBytes<'_> {
    /// The bytes of units `units`, moved inward to whole characters.
    fn inward(&self, units: Range<usize>) -> Range<usize> {
        match self.unit {
            Unit::Token => self.ranges[units.start].start..self.ranges[units.end - 1].end,
            Unit::Byte => {
                let start = self.boundary_up(units.start);
                start..self.boundary_down(units.end).max(start)
            }
        }
    }

    /// The bytes of a removed piece: to the start of the piece that
    /// follows it without a gap, if one does.
    fn piece(&self, units: Range<usize>, next_start: Option<usize>) -> Range<usize> {
        let range = self.inward(units);
        match next_start {
            None => range,
            Some(next) => {
                let end = match self.unit {
                    Unit::Token => self.ranges[next].start,
                    Unit::Byte => self.boundary_up(next),
                };
                range.start..end.max(range.start)
            }
        }
    }

    fn boundary_up(&self, mut at: usize) -> usize {
        while !self.text.is_char_boundary(at) {
            at += 1;
        }
        at
    }

    fn boundary_down(&self, mut at: usize) -> usize {
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

/// `text` without the byte ranges `cut` (in order, not overlapping).
fn without(text: &str, cut: impl Iterator<Item = Range<usize>>) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut from = 0;
    for range in cut {
        kept.push_str(&text[from..range.start]);
        from = range.end;
    }
    kept.push_str(&text[from..]);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutting_keeps_everything_between_the_ranges() {
        assert_eq!(without("abcdefg", [1..3, 4..5].into_iter()), "adfg");
        assert_eq!(without("abc", std::iter::empty()), "abc");
    }

    #[test]
    fn a_suffix_array_larger_than_free_memory_is_refused_with_what_it_needs() {
        let options = SubstringOptions::default();
        let refused = check_memory(12_000_000_000, Some(8_000_000_000), 1_500_000_000, options);
        let message = refused.unwrap_err().to_string();
        assert!(message.contains("at least 12.0 GB"), "{message}");
        assert!(message.contains("1500000000 tokens"), "{message}");
        assert!(
            message.contains("8.0 GB is free; search in more --span-shards, or dedup a part"),
            "{message}"
        );
        let bytes = SubstringOptions {
            config: SubstringConfig {
                unit: Unit::Byte,
                ..SubstringConfig::default()
            },
            ..SubstringOptions::default()
        };
        let message = check_memory(9, Some(8), 9, bytes).unwrap_err().to_string();
        assert!(
            message.contains("9 bytes") && message.contains("--unit token"),
            "{message}"
        );
        assert!(check_memory(1_000, Some(8_000), 10, options).is_ok());
        // Where the system does not say, the run goes ahead.
        assert!(check_memory(u64::MAX, None, 10, options).is_ok());
    }

    #[test]
    fn byte_ranges_move_inward_to_whole_characters() {
        let bytes = UnitBytes {
            unit: Unit::Byte,
            text: "aéb",
            ranges: Vec::new(),
        };
        // é is bytes 1..3: a range starting or ending inside it leaves it.
        assert_eq!(bytes.inward(2..4), 3..4);
        assert_eq!(bytes.inward(0..2), 0..1);
    }
}
