//! A batch: documents pushed but not yet committed. It decides each one in
//! input order, against its match in the committed index (found before, see
//! `matching.rs`) and against the batch's earlier documents, and holds what
//! the commit writes. Memory grows with the batch, never with the index.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use thresh_engine::dedup::MatchKind;
use thresh_engine::minhash::estimate_jaccard;
use thresh_engine::Document;

use crate::layout::{find_record, Counts};
use crate::matching::{Prepared, MAX_BUCKET_SCAN};
use crate::probe::{band_run_key, exact_run_key};
use crate::record::{Record, Status};
use crate::runs::{Entry, Run, RunMeta};
use crate::store::Reader;
use crate::verdict::{DocRef, Match, Verdict};

/// A decided document, waiting for the commit.
pub(crate) struct Pending {
    pub record: Record,
    /// Band keys, for first copies with words only.
    pub keys: Vec<u64>,
}

/// Documents matched but not yet committed, with what later documents of
/// the same batch are matched against. Begun by [`Index::begin`], filled by
/// [`Index::push`], written by [`Index::commit`].
///
/// [`Index::begin`]: crate::Index::begin
/// [`Index::push`]: crate::Index::push
/// [`Index::commit`]: crate::Index::commit
pub struct Batch {
    /// The committed snapshot the batch is matched against.
    pub(crate) reader: Reader,
    /// Counts of that snapshot: the batch's ids start at `base.documents`.
    pub(crate) base: Counts,
    /// The runs of the snapshot, as named and opened.
    pub(crate) manifest: Vec<RunMeta>,
    pub(crate) runs: Vec<Arc<Run>>,
    /// The batch's documents by slot (id − `base.documents`).
    pub(crate) docs: Vec<Pending>,
    /// First copy of each exact hash in the batch (slot).
    exact: HashMap<u128, u32>,
    /// (band, key) → slots, in order.
    bands: Buckets,
    pub(crate) kept: u64,
    pub(crate) exact_duplicates: u64,
    pub(crate) near_duplicates: u64,
}

impl Batch {
    pub(crate) fn new(
        reader: Reader,
        base: Counts,
        manifest: Vec<RunMeta>,
        runs: Vec<Arc<Run>>,
    ) -> Self {
        Batch {
            reader,
            base,
            manifest,
            runs,
            docs: Vec::new(),
            exact: HashMap::new(),
            bands: Buckets::default(),
            kept: 0,
            exact_duplicates: 0,
            near_duplicates: 0,
        }
    }

    /// Documents pushed so far.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Index id the next pushed document will get.
    pub fn next_id(&self) -> u64 {
        self.base.documents + self.docs.len() as u64
    }

    /// Decide `documents` (with `prepared`, one each, their committed
    /// matches found) in input order, and record them. One verdict each.
    pub(crate) fn decide(
        &mut self,
        documents: &[Document],
        prepared: Vec<Prepared>,
        threshold: f64,
    ) -> Vec<Verdict> {
        documents
            .iter()
            .zip(prepared)
            .map(|(doc, mut p)| {
                let found = self.find(&mut p, threshold);
                self.record(doc, p, found)
            })
            .collect()
    }

    /// The match that decides `p`. Exact before near, earlier before
    /// later: committed exact, batch exact, committed near, batch near.
    fn find(&self, p: &mut Prepared, threshold: f64) -> Option<Match> {
        let stored = p.stored.take();
        if stored.as_ref().is_some_and(|m| m.kind == MatchKind::Exact) {
            return stored;
        }
        self.match_exact(p)
            .or(stored)
            .or_else(|| self.match_near(p, threshold))
    }

    /// Add `doc` with its decision; a first copy also becomes a candidate
    /// for the batch's later documents.
    fn record(&mut self, doc: &Document, p: Prepared, found: Option<Match>) -> Verdict {
        let slot = self.docs.len() as u32;
        let id = self.base.documents + slot as u64;
        let (status, matched, root) = match &found {
            Some(m) => (Status::duplicate(m.kind), m.matched.id, m.root.id),
            None => (Status::Kept, id, id),
        };
        match status {
            Status::Kept => self.kept += 1,
            Status::Exact => self.exact_duplicates += 1,
            Status::Near => self.near_duplicates += 1,
        }
        if status.is_first_copy() {
            self.exact.insert(p.fp.exact, slot);
        }
        let indexed = status.is_first_copy() && p.has_bands();
        let (signature, keys) = if indexed {
            for (band, &key) in p.keys.iter().enumerate() {
                self.bands.push((band as u16, key), slot);
            }
            (p.fp.signature, p.keys)
        } else {
            (Vec::new(), Vec::new())
        };
        let record = Record {
            exact: p.fp.exact,
            status,
            matched,
            root,
            signature,
            date: doc.date.clone(),
            source_id: doc.id.clone(),
        };
        self.docs.push(Pending { record, keys });
        found.map_or(Verdict::New, Verdict::Duplicate)
    }

    /// The batch's first copy with `p`'s exact hash.
    fn match_exact(&self, p: &Prepared) -> Option<Match> {
        let &slot = self.exact.get(&p.fp.exact)?;
        Some(self.match_with(slot, MatchKind::Exact, 1.0))
    }

    /// The batch's earliest first copy that shares a band with `p` and
    /// passes verification.
    fn match_near(&self, p: &Prepared, threshold: f64) -> Option<Match> {
        let mut candidates: Vec<u32> = p
            .keys
            .iter()
            .enumerate()
            .flat_map(|(band, &key)| self.bands.slots((band as u16, key)).take(MAX_BUCKET_SCAN))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates.into_iter().find_map(|slot| {
            let signature = &self.docs[slot as usize].record.signature;
            let similarity = estimate_jaccard(&p.fp.signature, signature);
            (similarity >= threshold).then(|| self.match_with(slot, MatchKind::Near, similarity))
        })
    }

    /// A match with the batch's document in `slot`.
    fn match_with(&self, slot: u32, kind: MatchKind, similarity: f64) -> Match {
        Match {
            kind,
            matched: self.doc_ref(slot),
            similarity,
            root: self.root_ref(slot),
        }
    }

    fn doc_ref(&self, slot: u32) -> DocRef {
        let record = &self.docs[slot as usize].record;
        record.doc_ref(self.base.documents + slot as u64)
    }

    /// Root of a batch document as a DocRef (it may be a committed one).
    fn root_ref(&self, slot: u32) -> DocRef {
        let root = self.docs[slot as usize].record.root;
        if root >= self.base.documents {
            return self.doc_ref((root - self.base.documents) as u32);
        }
        // A batch document whose root is committed: its match named it.
        match find_record(&self.reader, root) {
            Ok(Some(record)) => record.doc_ref(root),
            _ => DocRef {
                id: root,
                source_id: String::new(),
                date: None,
            },
        }
    }
}

/// The run entries of a batch's documents (ids from `first_id`), sorted:
/// an exact-hash entry per first copy, a bucket entry per band of each
/// first copy with words.
pub(crate) fn run_entries(docs: &[Pending], first_id: u64) -> Vec<Entry> {
    let mut entries: Vec<Entry> = docs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(slot, pending)| {
            // Fits: commit refuses ids past MAX_DOCUMENTS.
            let id = (first_id + slot as u64) as u32;
            let first_copy = pending.record.status.is_first_copy();
            let exact = first_copy.then(|| (exact_run_key(pending.record.exact), id));
            let bands = pending
                .keys
                .iter()
                .enumerate()
                .map(move |(band, &key)| (band_run_key(band, key), id));
            exact.into_iter().chain(bands)
        })
        .collect();
    entries.par_sort_unstable();
    entries
}

const NO_LINK: u32 = u32::MAX;

/// A batch's LSH buckets: (band, key) → slots in order, kept as chains in
/// one vector rather than a vector per bucket (a batch has about 20
/// buckets per document, nearly all of one slot: one allocation each was
/// a measurable part of `push`).
#[derive(Default)]
struct Buckets {
    /// Bucket → (first link, last link).
    ends: HashMap<(u16, u64), (u32, u32)>,
    /// (slot, next link of the same bucket or `NO_LINK`).
    links: Vec<(u32, u32)>,
}

impl Buckets {
    fn push(&mut self, bucket: (u16, u64), slot: u32) {
        let link = self.links.len() as u32;
        self.links.push((slot, NO_LINK));
        if let Some(ends) = self.ends.get_mut(&bucket) {
            self.links[ends.1 as usize].1 = link;
            ends.1 = link;
        } else {
            self.ends.insert(bucket, (link, link));
        }
    }

    /// The slots of `bucket`, earliest first.
    fn slots(&self, bucket: (u16, u64)) -> impl Iterator<Item = u32> + '_ {
        let mut link = self.ends.get(&bucket).map_or(NO_LINK, |ends| ends.0);
        std::iter::from_fn(move || {
            let (slot, next) = *self.links.get(link as usize)?;
            link = next;
            Some(slot)
        })
    }
}
