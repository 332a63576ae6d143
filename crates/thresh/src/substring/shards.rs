//! The substring level for corpora larger than memory: the kept texts
//! wait in one unlinked temporary file, the corpus is split into shards
//! of about equal size in input order, and each shard is searched against
//! itself and against every shard before it, two shards in memory at a
//! time. Where those searches both find a unit repeated, it goes with the
//! earliest first copy, so the spans removed are exactly those one search
//! over the whole corpus removes (how they are cut into records may
//! differ: a shard boundary can split one record in two).
//!
//! ```text
//! kept texts ─▶ spool file ─▶ shards S0 … Sk
//!   for each Sj: search Sj, then Si + Sj for every i < j ─▶ pieces in Sj
//!   ─▶ merged (each unit with its earliest first copy)
//! ```
//!
//! Memory: one search over two shards (their texts are read from the
//! file into it and let go); the file is the only one open, and it
//! vanishes with the run, finished or not. Time: about `k` times one
//! search over the whole corpus, for `k` shards (each shard is searched
//! with every shard before it; in tokens, each search tokenizes its two
//! shards again).

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::Path;

use anyhow::{Context, Result};
use thresh_engine::substring::{Piece, SpanFinder, SubstringConfig};

/// The kept texts in order, in a temporary file.
pub(super) struct Spool {
    file: BufWriter<File>,
    /// Where each document's text ends in the file.
    ends: Vec<u64>,
    /// What the file is and where, for messages.
    what: String,
}

impl Spool {
    /// A spool in `dir` (the system's temporary directory when `None`).
    pub(super) fn create(dir: Option<&Path>) -> Result<Self> {
        let dir = dir.map_or_else(std::env::temp_dir, Path::to_path_buf);
        let what = format!(
            "the temporary file of the substring level's shards (in {})",
            dir.display()
        );
        let file = tempfile::tempfile_in(&dir).with_context(|| format!("cannot create {what}"))?;
        Ok(Spool {
            file: BufWriter::new(file),
            ends: Vec::new(),
            what,
        })
    }

    pub(super) fn add(&mut self, texts: &[&str]) -> Result<()> {
        for text in texts {
            self.file
                .write_all(text.as_bytes())
                .with_context(|| format!("cannot write {}", self.what))?;
            let start = self.ends.last().copied().unwrap_or(0);
            self.ends.push(start + text.len() as u64);
        }
        Ok(())
    }
}

/// Every repeated span of the spooled texts, searched `shards` shards at
/// a time as the module describes; documents are numbered in spool order.
/// `search` runs one search over the texts it is given (in order) and
/// returns its pieces, numbered as it was given them.
pub(super) fn pieces(
    spool: Spool,
    shards: usize,
    config: SubstringConfig,
    mut search: impl FnMut(SpanFinder) -> Result<Vec<Piece>>,
) -> Result<Vec<Piece>> {
    let Spool { file, ends, what } = spool;
    let mut file = file
        .into_inner()
        .map_err(|error| error.into_error())
        .with_context(|| format!("cannot write {what}"))?;
    let bounds = shard_bounds(&ends, shards);
    let mut found = Vec::new();
    let shards: Vec<Range<usize>> = bounds.windows(2).map(|w| w[0]..w[1]).collect();
    for (j, later) in shards.iter().enumerate() {
        for earlier in &shards[..=j] {
            let same = earlier == later;
            // The texts are read for the finder and let go at once: the
            // finder keeps its own units, and two shards' texts need not
            // wait beside them.
            let mut finder = SpanFinder::new(config)?;
            if !same {
                finder.add_texts(&read_texts(&mut file, &ends, earlier.clone(), &what)?.all());
            }
            finder.add_texts(&read_texts(&mut file, &ends, later.clone(), &what)?.all());
            let given = earlier.len() * usize::from(!same);
            for mut piece in search(finder)? {
                // Only the later shard's pieces: the earlier one's were
                // found when it was the later one.
                let Some(doc) = (piece.doc as usize).checked_sub(given) else {
                    continue;
                };
                piece.doc = (later.start + doc) as u32;
                let first = piece.first_doc as usize;
                piece.first_doc = match first.checked_sub(given) {
                    Some(doc) => later.start + doc,
                    None => earlier.start + first,
                } as u32;
                found.push(piece);
            }
        }
    }
    Ok(merge(found))
}

/// Document indices where the shards begin, and the end: `shards` runs of
/// documents of about equal bytes (fewer when there are fewer documents).
fn shard_bounds(ends: &[u64], shards: usize) -> Vec<usize> {
    let total = ends.last().copied().unwrap_or(0);
    let shards = shards.max(1) as u64;
    let mut bounds = vec![0];
    for shard in 1..shards {
        let target = total * shard / shards;
        // The first document that ends past the target closes the shard.
        let bound = ends
            .partition_point(|&end| end <= target)
            .max(*bounds.last().unwrap());
        if bound > *bounds.last().unwrap() && bound < ends.len() {
            bounds.push(bound);
        }
    }
    bounds.push(ends.len());
    bounds
}

/// Consecutive documents' texts, read back from the spool.
#[derive(Default)]
struct Texts {
    text: String,
    /// Each document's range in `text`.
    ranges: Vec<Range<usize>>,
}

impl Texts {
    fn all(&self) -> Vec<&str> {
        self.ranges.iter().map(|r| &self.text[r.clone()]).collect()
    }
}

fn read_texts(file: &mut File, ends: &[u64], docs: Range<usize>, what: &str) -> Result<Texts> {
    let start = text_start(ends, docs.start);
    let end = text_start(ends, docs.end);
    let mut bytes = vec![0; (end - start) as usize];
    file.seek(SeekFrom::Start(start))
        .and_then(|_| file.read_exact(&mut bytes))
        .with_context(|| format!("cannot read back {what}"))?;
    let text = String::from_utf8(bytes).with_context(|| format!("{what} changed under the run"))?;
    let ranges = docs
        .map(|doc| (text_start(ends, doc) - start) as usize..(ends[doc] - start) as usize)
        .collect();
    Ok(Texts { text, ranges })
}

/// Where document `doc`'s text starts in the spool (the end of all the
/// texts for one past the last).
fn text_start(ends: &[u64], doc: usize) -> u64 {
    doc.checked_sub(1).map_or(0, |before| ends[before])
}

/// Pieces from searches over overlapping parts of the corpus as one
/// tiling, sorted by document and position: where pieces overlap, each
/// unit goes with the piece whose first copy of it stands earliest.
fn merge(mut pieces: Vec<Piece>) -> Vec<Piece> {
    pieces.sort_unstable_by_key(|p| (p.doc, p.start, p.end, p.first_doc, p.first_start));
    pieces.dedup();
    let mut merged = Vec::with_capacity(pieces.len());
    for document in pieces.chunk_by(|a, b| a.doc == b.doc) {
        merge_document(document, &mut merged);
    }
    merged
}

/// [`merge`] for one document's pieces, sorted by start.
fn merge_document(pieces: &[Piece], merged: &mut Vec<Piece>) {
    let mut cuts: Vec<usize> = pieces.iter().flat_map(|p| [p.start, p.end]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut covering: Vec<&Piece> = Vec::new();
    let mut next = 0;
    for cut in cuts.windows(2) {
        let (from, to) = (cut[0], cut[1]);
        covering.retain(|p| p.end > from);
        // Every start is a cut: the pieces starting here join now.
        while next < pieces.len() && pieces[next].start == from {
            covering.push(&pieces[next]);
            next += 1;
        }
        let Some(best) = covering
            .iter()
            .min_by_key(|p| (p.first_doc, p.first_start + (from - p.start)))
        else {
            continue;
        };
        let first_start = best.first_start + (from - best.start);
        let piece = Piece {
            doc: best.doc,
            start: from,
            end: to,
            first_doc: best.first_doc,
            first_start,
            first_end: first_start + (to - from),
        };
        match merged.last_mut() {
            // The same copy read on: one piece.
            Some(last)
                if last.doc == piece.doc
                    && last.end == from
                    && last.first_doc == piece.first_doc
                    && last.first_end == first_start =>
            {
                last.end = to;
                last.first_end = piece.first_end;
            }
            _ => merged.push(piece),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;
    use thresh_engine::substring::Unit;

    use super::*;

    /// Every (document, unit) a tiling removes.
    fn removed(pieces: &[Piece]) -> BTreeSet<(u32, usize)> {
        pieces
            .iter()
            .flat_map(|p| (p.start..p.end).map(move |unit| (p.doc, unit)))
            .collect()
    }

    fn search(finder: SpanFinder) -> Result<Vec<Piece>> {
        Ok(finder.finish(1, 1 << 20)?)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Sharded, the same bytes go as in one search, each piece equals
        /// its first copy, which stands earlier, and pieces do not overlap.
        #[test]
        fn shards_remove_what_one_search_removes(
            texts in prop::collection::vec("[ab ]{0,40}", 1..12),
            shards in 2usize..6,
            min_span in 3usize..8,
        ) {
            let config = SubstringConfig { unit: Unit::Byte, min_span, ..SubstringConfig::default() };
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let mut whole = SpanFinder::new(config).unwrap();
            whole.add_texts(&texts);
            let whole = search(whole).unwrap();
            let mut spool = Spool::create(None).unwrap();
            spool.add(&texts).unwrap();
            let sharded = pieces(spool, shards, config, search).unwrap();
            prop_assert_eq!(removed(&sharded), removed(&whole));
            for (at, p) in sharded.iter().enumerate() {
                let copy = &texts[p.doc as usize].as_bytes()[p.start..p.end];
                let first = &texts[p.first_doc as usize].as_bytes()[p.first_start..p.first_end];
                prop_assert_eq!(copy, first);
                prop_assert!((p.first_doc, p.first_start) < (p.doc, p.start));
                if let Some(next) = sharded.get(at + 1) {
                    prop_assert!((p.doc, p.end) <= (next.doc, next.start));
                }
            }
        }
    }

    fn piece(doc: u32, units: Range<usize>, first_doc: u32, first_start: usize) -> Piece {
        Piece {
            doc,
            start: units.start,
            end: units.end,
            first_doc,
            first_start,
            first_end: first_start + units.len(),
        }
    }

    #[test]
    fn overlapping_pieces_go_with_the_earliest_first_copy() {
        // Units 10..30 of document 5 copy document 3; units 20..40 copy
        // document 1, which is earlier: 20..30 go with document 1.
        let merged = merge(vec![piece(5, 20..40, 1, 100), piece(5, 10..30, 3, 0)]);
        assert_eq!(merged, [piece(5, 10..20, 3, 0), piece(5, 20..40, 1, 100)]);
        // The same piece found by two searches is one piece.
        let merged = merge(vec![piece(2, 0..8, 0, 4), piece(2, 0..8, 0, 4)]);
        assert_eq!(merged, [piece(2, 0..8, 0, 4)]);
    }

    #[test]
    fn shards_split_the_bytes_about_evenly_at_document_ends() {
        let ends = [10, 20, 30, 40, 100];
        assert_eq!(shard_bounds(&ends, 1), [0, 5]);
        assert_eq!(shard_bounds(&ends, 2), [0, 4, 5]);
        assert_eq!(shard_bounds(&ends, 4), [0, 2, 4, 5]);
        assert_eq!(shard_bounds(&[], 3), [0, 0]);
        assert_eq!(shard_bounds(&[5], 3), [0, 1]);
    }
}
