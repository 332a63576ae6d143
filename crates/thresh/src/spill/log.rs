//! [`SpillLog`]: bytes appended once and read back at offsets, in memory
//! until they pass a limit, then in an unlinked temporary file.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::SpillFile;

/// Bytes [`SpillLog::read_in_order`] reads at once.
const WINDOW: usize = 1 << 20;

/// An append-only log of bytes read back at offsets. It lives in memory
/// until it would pass `limit` bytes; then everything moves to a temporary
/// file and later appends go there. Reads give the same bytes either way.
pub(crate) struct SpillLog {
    dir: PathBuf,
    what: &'static str,
    limit: u64,
    memory: Vec<u8>,
    file: Option<SpillFile>,
    len: u64,
}

impl SpillLog {
    /// A log that moves to a file in `dir` past `limit` bytes; `what` names
    /// what it keeps in messages.
    pub(crate) fn new(dir: &Path, what: &'static str, limit: u64) -> Self {
        SpillLog {
            dir: dir.to_path_buf(),
            what,
            limit,
            memory: Vec::new(),
            file: None,
            len: 0,
        }
    }

    /// A log that never leaves memory.
    pub(crate) fn in_memory(what: &'static str) -> Self {
        SpillLog::new(Path::new("."), what, u64::MAX)
    }

    /// Bytes appended so far.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Appends `bytes`; returns the offset they start at.
    pub(crate) fn append(&mut self, bytes: &[u8]) -> io::Result<u64> {
        let start = self.len;
        self.len += bytes.len() as u64;
        if self.file.is_none() && self.len > self.limit {
            let mut file = SpillFile::create_in(&self.dir, self.what)?;
            file.append(&self.memory)?;
            self.memory = Vec::new();
            self.file = Some(file);
        }
        match self.file.as_mut() {
            Some(file) => {
                file.append(bytes)?;
            }
            None => self.append_in_memory(bytes),
        }
        Ok(start)
    }

    /// Grows the buffer by at most what the limit allows, never doubling
    /// past it.
    fn append_in_memory(&mut self, bytes: &[u8]) {
        let needed = self.memory.len() + bytes.len();
        if needed > self.memory.capacity() {
            let grown = (self.memory.capacity() * 2)
                .max(4096)
                .min(self.limit as usize)
                .max(needed);
            self.memory.reserve_exact(grown - self.memory.len());
        }
        self.memory.extend_from_slice(bytes);
    }

    /// Every append is in; reads may begin.
    pub(crate) fn seal(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(file) => file.seal(),
            None => Ok(()),
        }
    }

    /// Fills `bytes` from `offset`.
    pub(crate) fn read_at(&self, bytes: &mut [u8], offset: u64) -> io::Result<()> {
        match &self.file {
            Some(file) => file.read_at(bytes, offset),
            None => {
                let start = offset as usize;
                bytes.copy_from_slice(&self.memory[start..start + bytes.len()]);
                Ok(())
            }
        }
    }

    /// In a log of little-endian `u64` ends (where each item of another
    /// log ends), where item `index` begins and ends.
    pub(crate) fn span(&self, index: u64) -> io::Result<(u64, u64)> {
        let mut ends = [0u8; 16];
        let word = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
        if index == 0 {
            self.read_at(&mut ends[8..], 0)?;
            return Ok((0, word(&ends[8..])));
        }
        self.read_at(&mut ends, (index - 1) * 8)?;
        Ok((word(&ends[..8]), word(&ends[8..])))
    }

    /// Reads `ranges` and hands each one's bytes to `each`, in order,
    /// through a window of [`WINDOW`] bytes: when the ranges come in
    /// increasing order (the records of documents sorted by number) that is
    /// one read per window instead of one per range, and the file is read
    /// from start to end, which a disk does fast and a random read per
    /// record does not (at a hundred million documents, a file no longer
    /// in the page cache took hours that way).
    pub(crate) fn read_in_order(
        &self,
        ranges: impl IntoIterator<Item = Range<u64>>,
        mut each: impl FnMut(&[u8]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut window = Vec::new();
        let mut window_start = 0u64;
        for range in ranges {
            let len = (range.end - range.start) as usize;
            let window_end = window_start + window.len() as u64;
            if range.start < window_start || range.end > window_end {
                window_start = range.start;
                let size = (WINDOW as u64).max(len as u64).min(self.len - range.start);
                window.resize(size as usize, 0);
                self.read_at(&mut window, window_start)?;
            }
            let at = (range.start - window_start) as usize;
            each(&window[at..at + len])?;
        }
        Ok(())
    }

    /// Whether the log has moved to its file.
    #[cfg(test)]
    pub(crate) fn spilled(&self) -> bool {
        self.file.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(limit: u64) -> (tempfile::TempDir, SpillLog, Vec<u64>) {
        let dir = tempfile::tempdir().unwrap();
        let mut log = SpillLog::new(dir.path(), "test bytes", limit);
        let offsets = ["alpha", "", "beta", "gamma delta"]
            .iter()
            .map(|piece| log.append(piece.as_bytes()).unwrap())
            .collect();
        log.seal().unwrap();
        (dir, log, offsets)
    }

    #[test]
    fn bytes_read_back_the_same_in_memory_and_spilled() {
        for (limit, spills) in [(1 << 20, false), (6, true)] {
            let (dir, log, offsets) = filled(limit);
            assert_eq!(log.spilled(), spills);
            assert_eq!(offsets, [0, 5, 5, 9]);
            let mut bytes = [0u8; 5];
            log.read_at(&mut bytes, 9).unwrap();
            assert_eq!(&bytes, b"gamma");
            log.read_at(&mut bytes, 0).unwrap();
            assert_eq!(&bytes, b"alpha");
            assert_eq!(log.len(), 20);
            let mut pieces = Vec::new();
            log.read_in_order([0..5, 9..14, 14..20, 1..3], |bytes| {
                pieces.push(String::from_utf8(bytes.to_vec()).unwrap());
                Ok(())
            })
            .unwrap();
            assert_eq!(pieces, ["alpha", "gamma", " delta", "lp"]);
            // The file has no name.
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }
}
