//! Temporary files for what a run must keep but need not hold in memory:
//! the shingles exact verification keeps until the candidates are known
//! ([`FileShingles`]).
//!
//! The file is created unlinked, so it has no name to clean up: it is gone
//! when the run ends, however it ends.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use thresh_engine::shingle_store::ShingleStore;

/// Bytes a stored shingle takes.
const SHINGLE_BYTES: usize = 4;

/// A [`ShingleStore`] in a temporary file: appended through a buffer,
/// read back at offsets. Memory holds one offset per document.
pub struct FileShingles {
    dir: PathBuf,
    file: File,
    /// Present while documents are appended.
    writer: Option<BufWriter<File>>,
    /// Byte offset where each document's shingles begin, and one past the last.
    starts: Vec<u64>,
    /// Scratch for one document's bytes while appending.
    bytes: Vec<u8>,
}

impl FileShingles {
    /// A store in a new unlinked file in `dir`.
    pub fn create_in(dir: &Path) -> Result<Self> {
        let file = tempfile::tempfile_in(dir).with_context(|| {
            format!(
                "{}: cannot create the temporary file exact verification keeps shingles in",
                dir.display()
            )
        })?;
        let writer = BufWriter::with_capacity(1 << 20, file.try_clone()?);
        Ok(FileShingles {
            dir: dir.to_path_buf(),
            file,
            writer: Some(writer),
            starts: vec![0],
            bytes: Vec::new(),
        })
    }

    fn written(&self) -> u64 {
        self.starts.last().copied().unwrap_or(0)
    }

    /// `error` with where it happened and what to do about it.
    fn explained(&self, error: io::Error) -> io::Error {
        let megabytes = self.written() as f64 / 1e6;
        io::Error::new(
            error.kind(),
            format!(
                "{}: cannot keep the shingles for exact verification ({megabytes:.0} MB \
                 written; about 4 bytes a word of input are needed): {error}; choose a \
                 temporary directory with more room, or verification on signatures",
                self.dir.display()
            ),
        )
    }
}

impl ShingleStore for FileShingles {
    fn append(&mut self, shingles: &[u32]) -> io::Result<()> {
        self.bytes.clear();
        self.bytes
            .extend(shingles.iter().flat_map(|s| s.to_le_bytes()));
        let writer = self.writer.as_mut().expect("append after seal");
        if let Err(error) = writer.write_all(&self.bytes) {
            return Err(self.explained(error));
        }
        let end = self.written() + self.bytes.len() as u64;
        self.starts.push(end);
        Ok(())
    }

    fn seal(&mut self) -> io::Result<()> {
        if let Some(mut writer) = self.writer.take() {
            if let Err(error) = writer.flush() {
                return Err(self.explained(error));
            }
        }
        Ok(())
    }

    fn read(&self, doc: u32, out: &mut Vec<u32>) -> io::Result<()> {
        let (start, end) = (self.starts[doc as usize], self.starts[doc as usize + 1]);
        let mut bytes = vec![0u8; (end - start) as usize];
        self.file.read_exact_at(&mut bytes, start)?;
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
        let dir = tempfile::tempdir().unwrap();
        let mut store = FileShingles::create_in(dir.path()).unwrap();
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

    #[test]
    fn a_directory_that_cannot_hold_the_file_is_named() {
        let error = FileShingles::create_in(Path::new("/nonexistent/place"))
            .err()
            .unwrap();
        assert!(format!("{error:#}").contains("/nonexistent/place"));
    }
}
