//! Where exact verification keeps each document's shingles between
//! fingerprinting and verification.
//!
//! Candidates are known only once every document is fingerprinted, so the
//! shingles of every document must be kept until then; verification then
//! reads back only the few documents that are candidates. A store holds
//! them as appended: each shingle as the high 32 bits of its 64-bit hash,
//! in text order, repeats included (4 bytes a word), and sorting happens at
//! verification time, for the candidates alone. [`MemoryShingles`] keeps
//! them in one array; a caller with a disk (the `thresh` library) provides
//! a store backed by a temporary file, so that memory does not grow with
//! the corpus's words.
//!
//! Exact Jaccard on 32-bit shingle hashes differs from Jaccard on the 64-bit
//! hashes only when two distinct shingles of a pair share their high 32
//! bits: about one pair of shingles in 2^32, far below a rounding of the
//! reported similarity.

use std::io;

/// The 32 bits of a shingle hash a store keeps.
pub fn stored_shingle(hash: u64) -> u32 {
    (hash >> 32) as u32
}

/// Shingles of documents in input order, appended once, then read back.
pub trait ShingleStore: Send + Sync {
    /// Appends the next document's shingles (see [`stored_shingle`]).
    fn append(&mut self, shingles: &[u32]) -> io::Result<()>;
    /// Every document is in; reads may begin.
    fn seal(&mut self) -> io::Result<()>;
    /// Document `doc`'s shingles, as appended, into `out` (cleared first).
    fn read(&self, doc: u32, out: &mut Vec<u32>) -> io::Result<()>;
}

/// A [`ShingleStore`] in memory: one array of shingles and where each
/// document's begin.
#[derive(Debug, Default)]
pub struct MemoryShingles {
    shingles: Vec<u32>,
    /// `starts[d]..starts[d + 1]` are document `d`'s shingles.
    starts: Vec<usize>,
}

impl ShingleStore for MemoryShingles {
    fn append(&mut self, shingles: &[u32]) -> io::Result<()> {
        if self.starts.is_empty() {
            self.starts.push(0);
        }
        self.shingles.extend_from_slice(shingles);
        self.starts.push(self.shingles.len());
        Ok(())
    }

    fn seal(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn read(&self, doc: u32, out: &mut Vec<u32>) -> io::Result<()> {
        let doc = doc as usize;
        out.clear();
        out.extend_from_slice(&self.shingles[self.starts[doc]..self.starts[doc + 1]]);
        Ok(())
    }
}

/// Turns what a store gave back into a set: sorted, without repeats.
pub fn into_set(shingles: &mut Vec<u32>) {
    shingles.sort_unstable();
    shingles.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_read_back_as_appended() {
        let mut store = MemoryShingles::default();
        store.append(&[3, 1, 3]).unwrap();
        store.append(&[]).unwrap();
        store.append(&[7]).unwrap();
        store.seal().unwrap();
        let mut out = vec![99];
        store.read(0, &mut out).unwrap();
        assert_eq!(out, [3, 1, 3]);
        store.read(1, &mut out).unwrap();
        assert!(out.is_empty());
        store.read(2, &mut out).unwrap();
        assert_eq!(out, [7]);
    }

    #[test]
    fn a_set_is_sorted_without_repeats() {
        let mut shingles = vec![3, 1, 3, 2];
        into_set(&mut shingles);
        assert_eq!(shingles, [1, 2, 3]);
    }
}
