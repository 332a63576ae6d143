//! [`Partitioned`]: fixed-size records sorted into parts by a key's high
//! byte, so that a set larger than memory is sorted one part at a time
//! (an external sort by distribution: hashes spread evenly over the parts).

use std::io;
use std::path::{Path, PathBuf};

use super::SpillFile;

/// Parts records are sorted into: one per value of a key's high byte.
pub(crate) const PARTS: usize = 256;

/// Bytes of a (128-bit hash, document) record.
const HASH_RECORD_BYTES: usize = 20;

/// Records in [`PARTS`] parts. They wait in one buffer per part; when the
/// buffers pass `limit` bytes together, each is written to one temporary
/// file as a chunk and emptied. A part reads back as its chunks and what
/// its buffer still holds, in the order the records came: one file however
/// many parts, and reads at offsets.
pub(crate) struct Partitioned {
    dir: PathBuf,
    what: &'static str,
    limit: u64,
    buffers: Vec<Vec<u8>>,
    buffered: u64,
    file: Option<SpillFile>,
    /// Each part's chunks in the file: (offset, bytes).
    chunks: Vec<Vec<(u64, usize)>>,
}

impl Partitioned {
    /// Records that move to a file in `dir` past `limit` bytes in memory;
    /// `what` names them in messages.
    pub(crate) fn new(dir: &Path, what: &'static str, limit: u64) -> Self {
        Partitioned {
            dir: dir.to_path_buf(),
            what,
            limit,
            buffers: vec![Vec::new(); PARTS],
            buffered: 0,
            file: None,
            chunks: vec![Vec::new(); PARTS],
        }
    }

    /// Records that never leave memory.
    pub(crate) fn in_memory(what: &'static str) -> Self {
        Partitioned::new(Path::new("."), what, u64::MAX)
    }

    /// Adds `record` to part `part`.
    pub(crate) fn push(&mut self, part: u8, record: &[u8]) -> io::Result<()> {
        self.buffers[part as usize].extend_from_slice(record);
        self.buffered += record.len() as u64;
        if self.buffered > self.limit {
            self.write_buffers()?;
        }
        Ok(())
    }

    fn write_buffers(&mut self) -> io::Result<()> {
        if self.file.is_none() {
            self.file = Some(SpillFile::create_in(&self.dir, self.what)?);
        }
        let file = self.file.as_mut().expect("created above");
        for (buffer, chunks) in self.buffers.iter_mut().zip(&mut self.chunks) {
            if !buffer.is_empty() {
                chunks.push((file.append(buffer)?, buffer.len()));
                // Emptied and given back: a part's buffer may be large.
                *buffer = Vec::new();
            }
        }
        self.buffered = 0;
        Ok(())
    }

    /// Every record is in; parts may be read.
    pub(crate) fn seal(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(file) => file.seal(),
            None => Ok(()),
        }
    }

    /// Part `part`'s records, in the order they came.
    pub(crate) fn part(&self, part: usize) -> io::Result<Vec<u8>> {
        let on_disk: usize = self.chunks[part].iter().map(|&(_, bytes)| bytes).sum();
        let mut records = vec![0u8; on_disk];
        let mut at = 0;
        for &(offset, bytes) in &self.chunks[part] {
            let file = self.file.as_ref().expect("chunks are in the file");
            file.read_at(&mut records[at..at + bytes], offset)?;
            at += bytes;
        }
        records.extend_from_slice(&self.buffers[part]);
        Ok(records)
    }

    /// Adds a (128-bit hash, document) record to the part of the hash's
    /// high byte: how exact copies and repeated ids are found.
    pub(crate) fn push_hash(&mut self, hash: u128, doc: u32) -> io::Result<()> {
        let mut record = [0u8; HASH_RECORD_BYTES];
        record[..16].copy_from_slice(&hash.to_le_bytes());
        record[16..].copy_from_slice(&doc.to_le_bytes());
        self.push((hash >> 120) as u8, &record)
    }

    /// Part `part`'s records added with [`Partitioned::push_hash`].
    pub(crate) fn hash_part(&self, part: usize) -> io::Result<Vec<(u128, u32)>> {
        Ok(self
            .part(part)?
            .chunks_exact(HASH_RECORD_BYTES)
            .map(|r| {
                let hash = u128::from_le_bytes(r[..16].try_into().expect("16 bytes"));
                (
                    hash,
                    u32::from_le_bytes(r[16..].try_into().expect("4 bytes")),
                )
            })
            .collect())
    }

    /// Whether records have gone to the file.
    #[cfg(test)]
    pub(crate) fn spilled(&self) -> bool {
        self.file.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_read_back_in_arrival_order_in_memory_and_spilled() {
        for (limit, spills) in [(1 << 20, false), (5, true)] {
            let dir = tempfile::tempdir().unwrap();
            let mut parts = Partitioned::new(dir.path(), "test records", limit);
            for (part, record) in [(3u8, *b"ab"), (200, *b"cd"), (3, *b"ef"), (3, *b"gh")] {
                parts.push(part, &record).unwrap();
            }
            parts.seal().unwrap();
            assert_eq!(parts.spilled(), spills);
            assert_eq!(parts.part(3).unwrap(), b"abefgh");
            assert_eq!(parts.part(200).unwrap(), b"cd");
            assert!(parts.part(0).unwrap().is_empty());
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }
}
