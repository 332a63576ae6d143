//! Where the deduplicator keeps the fixed facts of each document between
//! fingerprinting and clustering: the exact hash of its normalized text
//! (which groups exact copies) and the two facts the keep policy needs
//! (length and date).
//!
//! These are the only facts kept for every document, so at a hundred
//! million documents they are what fills memory (28 bytes a document).
//! [`MemoryFacts`] keeps them in memory; a caller with a disk (the
//! `thresh` library) provides a store that moves them to temporary files
//! once they pass a memory budget, and groups exact copies by an external
//! sort. Both give the same first copies and the same facts.

use std::io;

use rayon::prelude::*;

use crate::paged::Paged;

/// What is kept of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentFacts {
    /// xxh3-128 of the normalized text.
    pub exact: u128,
    /// Bytes of the original text.
    pub length: u64,
    /// The date's number in the deduplicator's table of dates, or
    /// [`NO_DATE`].
    pub date: u32,
}

/// Stands for a document without a date in [`DocumentFacts::date`].
pub const NO_DATE: u32 = u32::MAX;

/// The facts of documents in input order, appended once, then read back.
pub trait FactStore: Send + Sync {
    /// Appends the facts of the next documents.
    fn append(&mut self, facts: &[DocumentFacts]) -> io::Result<()>;
    /// Every document is in; reads may begin.
    fn seal(&mut self) -> io::Result<()>;
    /// For each document, the first document with the same exact hash
    /// (itself when it is the first).
    fn first_copies(&self) -> io::Result<Vec<u32>>;
    /// Document `doc`'s length and date number.
    fn keep_facts(&self, doc: u32) -> io::Result<(u64, u32)>;
    /// [`FactStore::keep_facts`] of each of `docs` (sorted), in order: a
    /// store on disk reads them in one pass from start to end.
    fn keep_facts_of(&self, docs: &[u32]) -> io::Result<Vec<(u64, u32)>> {
        docs.iter().map(|&doc| self.keep_facts(doc)).collect()
    }
}

/// A [`FactStore`] in memory, in pages (28 bytes a document).
#[derive(Debug, Default)]
pub struct MemoryFacts {
    exact: Paged<u128>,
    lengths: Paged<u64>,
    dates: Paged<u32>,
}

impl FactStore for MemoryFacts {
    fn append(&mut self, facts: &[DocumentFacts]) -> io::Result<()> {
        for fact in facts {
            self.exact.push(fact.exact);
            self.lengths.push(fact.length);
            self.dates.push(fact.date);
        }
        Ok(())
    }

    fn seal(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// Found by sorting the documents by hash rather than with a table
    /// kept while documents are added: 4 bytes a document, for a moment.
    fn first_copies(&self) -> io::Result<Vec<u32>> {
        let exact = &self.exact;
        let mut order: Vec<u32> = (0..exact.len() as u32).collect();
        order.par_sort_unstable_by_key(|&doc| (exact.get(doc as usize), doc));
        let mut first_copy = vec![0u32; exact.len()];
        for run in order.chunk_by(|&a, &b| exact.get(a as usize) == exact.get(b as usize)) {
            for &doc in run {
                first_copy[doc as usize] = run[0];
            }
        }
        Ok(first_copy)
    }

    fn keep_facts(&self, doc: u32) -> io::Result<(u64, u32)> {
        let doc = doc as usize;
        Ok((self.lengths.get(doc), self.dates.get(doc)))
    }
}

/// Fills `first_copy` for the documents of `entries` (exact hash,
/// document), which hold every document of their hashes: how a store that
/// sorts its hashes in parts (all of a hash in one part) finds first copies.
pub fn first_copies_in(entries: &mut [(u128, u32)], first_copy: &mut [u32]) {
    entries.sort_unstable();
    for run in entries.chunk_by(|a, b| a.0 == b.0) {
        for &(_, doc) in run {
            first_copy[doc as usize] = run[0].1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(exact: &[u128]) -> Vec<DocumentFacts> {
        exact
            .iter()
            .enumerate()
            .map(|(doc, &exact)| DocumentFacts {
                exact,
                length: doc as u64 * 10,
                date: if doc % 2 == 0 { NO_DATE } else { doc as u32 },
            })
            .collect()
    }

    #[test]
    fn first_copies_point_at_the_earliest_equal_hash() {
        let mut store = MemoryFacts::default();
        store.append(&facts(&[7, 3, 7, 9])).unwrap();
        store.append(&facts(&[3, 7])).unwrap();
        store.seal().unwrap();
        assert_eq!(store.first_copies().unwrap(), [0, 1, 0, 3, 1, 0]);
        assert_eq!(store.keep_facts(3).unwrap(), (30, 3));
        assert_eq!(store.keep_facts(4).unwrap(), (0, NO_DATE));
    }

    #[test]
    fn first_copies_in_parts_equal_first_copies_in_one() {
        let hashes = [5u128, 1, 5, 2, 1, 5, 8];
        let mut whole = MemoryFacts::default();
        whole.append(&facts(&hashes)).unwrap();
        // Two parts, split by hash: odd hashes, then even ones; each part
        // in an order other than the input's.
        let mut first_copy = vec![u32::MAX; hashes.len()];
        for odd in [true, false] {
            let mut part: Vec<(u128, u32)> = (0..hashes.len() as u32)
                .rev()
                .map(|doc| (hashes[doc as usize], doc))
                .filter(|&(hash, _)| (hash % 2 == 1) == odd)
                .collect();
            first_copies_in(&mut part, &mut first_copy);
        }
        assert_eq!(first_copy, whole.first_copies().unwrap());
    }
}
