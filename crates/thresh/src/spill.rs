//! Temporary files for what a run must keep but need not hold in memory:
//! the shingles exact verification keeps until the candidates are known
//! ([`FileShingles`]) and the band keys LSH keeps until candidates are
//! sought ([`FileBandKeys`]).
//!
//! Each file is created unlinked, so it has no name to clean up: it is gone
//! when the run ends, however it ends.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use thresh_engine::lsh::BandKeyStore;
use thresh_engine::paged::Paged;
use thresh_engine::shingle_store::ShingleStore;

/// Bytes a stored shingle takes.
const SHINGLE_BYTES: usize = 4;

/// A new unlinked file in `dir`, for `what`.
fn temporary_file(dir: &Path, what: &str) -> Result<File> {
    tempfile::tempfile_in(dir).with_context(|| {
        format!(
            "{}: cannot create the temporary file for {what}",
            dir.display()
        )
    })
}

/// `error`, met while writing `written` bytes of `what` in `dir`, with what
/// to do about it when the disk is full.
fn no_room(dir: &Path, what: &str, written: u64, error: io::Error) -> io::Error {
    let megabytes = written as f64 / 1e6;
    let advice = match error.kind() {
        io::ErrorKind::StorageFull => "; choose a temporary directory with more room",
        _ => "",
    };
    io::Error::new(
        error.kind(),
        format!(
            "{}: cannot keep {what} ({megabytes:.0} MB kept so far): {error}{advice}",
            dir.display()
        ),
    )
}

/// `error`, met while reading `what` back from `dir`.
fn unreadable(dir: &Path, what: &str, error: io::Error) -> io::Error {
    io::Error::new(
        error.kind(),
        format!("{}: cannot read back {what}: {error}", dir.display()),
    )
}

/// A [`BandKeyStore`] in a temporary file. Each batch of documents is
/// written band after band, so that a band's column is read back as one
/// piece per batch; memory holds one entry per batch.
pub struct FileBandKeys {
    dir: PathBuf,
    file: File,
    writer: Option<BufWriter<File>>,
    /// Where each batch begins, and how many documents it holds.
    batches: Vec<(u64, usize)>,
    written: u64,
    bytes: Vec<u8>,
}

impl FileBandKeys {
    const WHAT: &'static str = "the band keys of every document";

    /// A store in a new unlinked file in `dir`.
    pub fn create_in(dir: &Path) -> Result<Self> {
        let file = temporary_file(dir, Self::WHAT)?;
        let writer = BufWriter::with_capacity(1 << 20, file.try_clone()?);
        Ok(FileBandKeys {
            dir: dir.to_path_buf(),
            file,
            writer: Some(writer),
            batches: Vec::new(),
            written: 0,
            bytes: Vec::new(),
        })
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
        let writer = self.writer.as_mut().expect("append after seal");
        if let Err(error) = writer.write_all(&self.bytes) {
            return Err(no_room(&self.dir, Self::WHAT, self.written, error));
        }
        self.batches.push((self.written, documents));
        self.written += self.bytes.len() as u64;
        Ok(())
    }

    fn seal(&mut self) -> io::Result<()> {
        if let Some(mut writer) = self.writer.take() {
            if let Err(error) = writer.flush() {
                return Err(no_room(&self.dir, Self::WHAT, self.written, error));
            }
        }
        Ok(())
    }

    fn column(&self, band: usize) -> io::Result<Vec<u64>> {
        let documents = self.batches.iter().map(|&(_, docs)| docs).sum();
        let mut column = Vec::with_capacity(documents);
        let mut bytes = Vec::new();
        for &(start, docs) in &self.batches {
            bytes.resize(docs * 8, 0);
            self.file
                .read_exact_at(&mut bytes, start + (band * docs * 8) as u64)
                .map_err(|error| unreadable(&self.dir, Self::WHAT, error))?;
            column.extend(
                bytes
                    .chunks_exact(8)
                    .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes"))),
            );
        }
        Ok(column)
    }
}

/// A [`ShingleStore`] in a temporary file: appended through a buffer,
/// read back at offsets. Memory holds one offset per document.
pub struct FileShingles {
    dir: PathBuf,
    file: File,
    /// Present while documents are appended.
    writer: Option<BufWriter<File>>,
    /// Byte offset where each document's shingles begin, and one past the last.
    starts: Paged<u64>,
    /// Scratch for one document's bytes while appending.
    bytes: Vec<u8>,
}

impl FileShingles {
    const WHAT: &'static str =
        "the shingles exact verification keeps (4 bytes a word of input; verification on signatures needs none)";

    /// A store in a new unlinked file in `dir`.
    pub fn create_in(dir: &Path) -> Result<Self> {
        let file = temporary_file(dir, Self::WHAT)?;
        let writer = BufWriter::with_capacity(1 << 20, file.try_clone()?);
        let mut starts = Paged::new();
        starts.push(0);
        Ok(FileShingles {
            dir: dir.to_path_buf(),
            file,
            writer: Some(writer),
            starts,
            bytes: Vec::new(),
        })
    }

    fn written(&self) -> u64 {
        self.starts.get(self.starts.len() - 1)
    }

    /// `error` with where it happened and what to do about it.
    fn explained(&self, error: io::Error) -> io::Error {
        no_room(&self.dir, Self::WHAT, self.written(), error)
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
        let (start, end) = (
            self.starts.get(doc as usize),
            self.starts.get(doc as usize + 1),
        );
        let mut bytes = vec![0u8; (end - start) as usize];
        self.file
            .read_exact_at(&mut bytes, start)
            .map_err(|error| unreadable(&self.dir, Self::WHAT, error))?;
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
    fn band_columns_read_back_in_document_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = FileBandKeys::create_in(dir.path()).unwrap();
        // Two batches, three bands: key = 10 × document + band.
        store.append(&[0, 1, 2, 10, 11, 12], 3).unwrap();
        store.append(&[20, 21, 22], 3).unwrap();
        store.seal().unwrap();
        assert_eq!(store.column(0).unwrap(), [0, 10, 20]);
        assert_eq!(store.column(2).unwrap(), [2, 12, 22]);
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
