//! [`FileShingles`]: the shingles exact verification keeps until the
//! candidates are known.

use std::io;
use std::path::Path;

use anyhow::Result;
use thresh_engine::shingle_store::ShingleStore;

use super::{SpillFile, SpillLog};

/// Bytes a stored shingle takes.
const SHINGLE_BYTES: usize = 4;

/// A [`ShingleStore`] in a temporary file: appended through a buffer,
/// read back at offsets. Where each document's shingles end (8 bytes a
/// document) is kept in memory up to `share` bytes, then in a file too.
pub struct FileShingles {
    file: SpillFile,
    /// Byte offset where each document's shingles end, 8 bytes each.
    ends: SpillLog,
    /// Scratch for one document's bytes while appending.
    bytes: Vec<u8>,
}

impl FileShingles {
    /// A store in a new unlinked file in `dir`, keeping its offsets in
    /// memory up to `share` bytes.
    pub fn create_in(dir: &Path, share: u64) -> Result<Self> {
        Ok(FileShingles {
            file: SpillFile::create_in(
                dir,
                "the shingles exact verification keeps (4 bytes a word of input; \
                 verification on signatures needs none)",
            )?,
            ends: SpillLog::new(dir, "where each document's shingles end", share),
            bytes: Vec::new(),
        })
    }

    /// The bytes document `doc`'s shingles take in the file.
    fn span(&self, doc: u32) -> io::Result<(u64, u64)> {
        self.ends.span(doc as u64)
    }
}

impl ShingleStore for FileShingles {
    fn append(&mut self, shingles: &[u32]) -> io::Result<()> {
        self.bytes.clear();
        self.bytes
            .extend(shingles.iter().flat_map(|s| s.to_le_bytes()));
        let start = self.file.append(&self.bytes)?;
        let end = start + self.bytes.len() as u64;
        self.ends.append(&end.to_le_bytes())?;
        Ok(())
    }

    fn seal(&mut self) -> io::Result<()> {
        self.file.seal()?;
        self.ends.seal()
    }

    fn read(&self, doc: u32, out: &mut Vec<u32>) -> io::Result<()> {
        let (start, end) = self.span(doc)?;
        let mut bytes = vec![0u8; (end - start) as usize];
        self.file.read_at(&mut bytes, start)?;
        out.clear();
        out.extend(
            bytes
                .chunks_exact(SHINGLE_BYTES)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_read_back_as_appended_and_no_file_is_left() {
        // Offsets in memory, then in their own file.
        for share in [1 << 20, 9] {
            let dir = tempfile::tempdir().unwrap();
            let mut store = FileShingles::create_in(dir.path(), share).unwrap();
            store.append(&[1, u32::MAX, 1]).unwrap();
            store.append(&[]).unwrap();
            store.append(&[42]).unwrap();
            store.seal().unwrap();
            let mut out = Vec::new();
            store.read(2, &mut out).unwrap();
            assert_eq!(out, [42]);
            store.read(0, &mut out).unwrap();
            assert_eq!(out, [1, u32::MAX, 1]);
            store.read(1, &mut out).unwrap();
            assert!(out.is_empty());
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }

    #[test]
    fn a_directory_that_cannot_hold_the_file_is_named() {
        let error = FileShingles::create_in(Path::new("/nonexistent/place"), 1 << 20)
            .err()
            .unwrap();
        assert!(format!("{error:#}").contains("/nonexistent/place"));
    }
}
