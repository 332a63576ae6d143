//! [`FileBandKeys`]: the band keys LSH keeps until candidates are sought.

use std::io;
use std::path::{Path, PathBuf};

use anyhow::Result;
use thresh_engine::lsh::{whole_column_as_one_part, BandKeyStore};

use super::partitioned::PARTS;
use super::{Partitioned, SpillFile};

/// A [`BandKeyStore`] in a temporary file. Each batch of documents is
/// written band after band, so that a band's column is read back as one
/// piece per batch; memory holds one entry per batch. A column whose
/// entries would take more than `share` bytes to sort is sorted in parts,
/// by the keys' high byte (`spill::partitioned`).
pub struct FileBandKeys {
    file: SpillFile,
    dir: PathBuf,
    /// Where each batch begins, and how many documents it holds.
    batches: Vec<(u64, usize)>,
    bytes: Vec<u8>,
    share: u64,
}

/// Bytes of one (key, document) entry of a column while it is sorted:
/// the entry and its place in the sort's second array.
const SORTED_ENTRY_BYTES: u64 = 2 * 12;

impl FileBandKeys {
    /// A store in a new unlinked file in `dir`, sorting a column in parts
    /// when it needs more than `share` bytes of memory.
    pub fn create_in(dir: &Path, share: u64) -> Result<Self> {
        Ok(FileBandKeys {
            file: SpillFile::create_in(dir, "the band keys of every document")?,
            dir: dir.to_path_buf(),
            batches: Vec::new(),
            bytes: Vec::new(),
            share,
        })
    }

    fn documents(&self) -> usize {
        self.batches.iter().map(|&(_, docs)| docs).sum()
    }

    /// Band `band`'s keys, batch by batch: `each(first document, keys)`.
    fn for_each_batch(
        &self,
        band: usize,
        mut each: impl FnMut(usize, &[u64]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut bytes = Vec::new();
        let mut keys = Vec::new();
        let mut first = 0;
        for &(start, docs) in &self.batches {
            bytes.resize(docs * 8, 0);
            self.file
                .read_at(&mut bytes, start + (band * docs * 8) as u64)?;
            keys.clear();
            keys.extend(
                bytes
                    .chunks_exact(8)
                    .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes"))),
            );
            each(first, &keys)?;
            first += docs;
        }
        Ok(())
    }
}

impl BandKeyStore for FileBandKeys {
    fn append(&mut self, keys: &[u64], bands: usize) -> io::Result<()> {
        let documents = keys.len() / bands.max(1);
        self.bytes.clear();
        for band in 0..bands {
            for doc in 0..documents {
                self.bytes
                    .extend_from_slice(&keys[doc * bands + band].to_le_bytes());
            }
        }
        let start = self.file.append(&self.bytes)?;
        self.batches.push((start, documents));
        Ok(())
    }

    fn seal(&mut self) -> io::Result<()> {
        self.file.seal()
    }

    fn column(&self, band: usize) -> io::Result<Vec<u64>> {
        let mut column = Vec::with_capacity(self.documents());
        self.for_each_batch(band, |_, keys| {
            column.extend_from_slice(keys);
            Ok(())
        })?;
        Ok(column)
    }

    fn for_each_part(
        &self,
        band: usize,
        participates: &[bool],
        each: &mut dyn FnMut(Vec<(u64, u32)>),
    ) -> io::Result<()> {
        if self.documents() as u64 * SORTED_ENTRY_BYTES <= self.share {
            return whole_column_as_one_part(self, band, participates, each);
        }
        assert_eq!(
            self.documents(),
            participates.len(),
            "band {band} column size"
        );
        // Half the share for the parts' buffers, half for sorting a part.
        let mut parts = Partitioned::new(
            &self.dir,
            "one band's keys, sorted in parts",
            self.share / 2,
        );
        let mut record = [0u8; 12];
        self.for_each_batch(band, |first, keys| {
            for (doc, &key) in (first..).zip(keys) {
                if participates[doc] {
                    record[..8].copy_from_slice(&key.to_le_bytes());
                    record[8..].copy_from_slice(&(doc as u32).to_le_bytes());
                    parts.push((key >> 56) as u8, &record)?;
                }
            }
            Ok(())
        })?;
        parts.seal()?;
        for part in 0..PARTS {
            let entries = parts
                .part(part)?
                .chunks_exact(12)
                .map(|r| {
                    let key = u64::from_le_bytes(r[..8].try_into().expect("8 bytes"));
                    (key, u32::from_le_bytes(r[8..].try_into().expect("4 bytes")))
                })
                .collect();
            each(entries);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use thresh_engine::lsh::{candidate_pairs, candidate_pairs_from};

    #[test]
    fn band_columns_read_back_in_document_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = FileBandKeys::create_in(dir.path(), 1 << 20).unwrap();
        // Two batches, three bands: key = 10 × document + band.
        store.append(&[0, 1, 2, 10, 11, 12], 3).unwrap();
        store.append(&[20, 21, 22], 3).unwrap();
        store.seal().unwrap();
        assert_eq!(store.column(0).unwrap(), [0, 10, 20]);
        assert_eq!(store.column(2).unwrap(), [2, 12, 22]);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn columns_sorted_in_parts_give_the_candidates_of_one_sort() {
        // 3,000 documents, 4 bands; keys from few values so that buckets
        // are many and large, with high bytes that differ.
        let (documents, bands) = (3000usize, 4usize);
        let keys: Vec<u64> = (0..documents * bands)
            .map(|i| ((i as u64 * 2_654_435_761) % 97).rotate_right(7))
            .collect();
        let participates: Vec<bool> = (0..documents).map(|doc| doc % 5 != 0).collect();
        let expected = candidate_pairs(&keys, bands, &participates);
        assert!(expected.len() > 10_000);
        let dir = tempfile::tempdir().unwrap();
        // A share far below one column: every column is sorted in parts,
        // and the parts' buffers go to a file.
        let mut store = FileBandKeys::create_in(dir.path(), 4096).unwrap();
        for batch in keys.chunks(700 * bands) {
            store.append(batch, bands).unwrap();
        }
        store.seal().unwrap();
        assert_eq!(
            candidate_pairs_from(&store, bands, &participates).unwrap(),
            expected
        );
    }
}
