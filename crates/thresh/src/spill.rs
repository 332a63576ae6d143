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

/// An unlinked temporary file written once from start to end, through a
/// buffer, then read at offsets: what both stores below are made of. Its
/// errors name the directory and what was kept.
struct SpillFile {
    dir: PathBuf,
    /// What the file keeps, for messages.
    what: &'static str,
    file: File,
    /// Present while the file is written.
    writer: Option<BufWriter<File>>,
    written: u64,
}

impl SpillFile {
    fn create_in(dir: &Path, what: &'static str) -> Result<Self> {
        let file = tempfile::tempfile_in(dir).with_context(|| {
            format!(
                "{}: cannot create the temporary file for {what}",
                dir.display()
            )
        })?;
        let writer = BufWriter::with_capacity(1 << 20, file.try_clone()?);
        Ok(SpillFile {
            dir: dir.to_path_buf(),
            what,
            file,
            writer: Some(writer),
            written: 0,
        })
    }

    /// Appends `bytes`; returns the offset they start at.
    fn append(&mut self, bytes: &[u8]) -> io::Result<u64> {
        let writer = self.writer.as_mut().expect("append after seal");
        if let Err(error) = writer.write_all(bytes) {
            return Err(self.no_room(error));
        }
        let start = self.written;
        self.written += bytes.len() as u64;
        Ok(start)
    }

    fn seal(&mut self) -> io::Result<()> {
        if let Some(mut writer) = self.writer.take() {
            if let Err(error) = writer.flush() {
                return Err(self.no_room(error));
            }
        }
        Ok(())
    }

    fn read_at(&self, bytes: &mut [u8], offset: u64) -> io::Result<()> {
        self.file.read_exact_at(bytes, offset).map_err(|error| {
            io::Error::new(
                error.kind(),
                format!(
                    "{}: cannot read back {}: {error}",
                    self.dir.display(),
                    self.what
                ),
            )
        })
    }

    /// `error`, met while writing, with what to do about it when the disk
    /// is full.
    fn no_room(&self, error: io::Error) -> io::Error {
        let megabytes = self.written as f64 / 1e6;
        let advice = match error.kind() {
            io::ErrorKind::StorageFull => "; choose a temporary directory with more room",
            _ => "",
        };
        io::Error::new(
            error.kind(),
            format!(
                "{}: cannot keep {} ({megabytes:.0} MB kept so far): {error}{advice}",
                self.dir.display(),
                self.what
            ),
        )
    }
}

/// A [`BandKeyStore`] in a temporary file. Each batch of documents is
/// written band after band, so that a band's column is read back as one
/// piece per batch; memory holds one entry per batch.
pub struct FileBandKeys {
    file: SpillFile,
    /// Where each batch begins, and how many documents it holds.
    batches: Vec<(u64, usize)>,
    bytes: Vec<u8>,
}

impl FileBandKeys {
    /// A store in a new unlinked file in `dir`.
    pub fn create_in(dir: &Path) -> Result<Self> {
        Ok(FileBandKeys {
            file: SpillFile::create_in(dir, "the band keys of every document")?,
            batches: Vec::new(),
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
        let start = self.file.append(&self.bytes)?;
        self.batches.push((start, documents));
        Ok(())
    }

    fn seal(&mut self) -> io::Result<()> {
        self.file.seal()
    }

    fn column(&self, band: usize) -> io::Result<Vec<u64>> {
        let documents = self.batches.iter().map(|&(_, docs)| docs).sum();
        let mut column = Vec::with_capacity(documents);
        let mut bytes = Vec::new();
        for &(start, docs) in &self.batches {
            bytes.resize(docs * 8, 0);
            self.file
                .read_at(&mut bytes, start + (band * docs * 8) as u64)?;
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
    file: SpillFile,
    /// Byte offset where each document's shingles begin, and one past the last.
    starts: Paged<u64>,
    /// Scratch for one document's bytes while appending.
    bytes: Vec<u8>,
}

impl FileShingles {
    /// A store in a new unlinked file in `dir`.
    pub fn create_in(dir: &Path) -> Result<Self> {
        let mut starts = Paged::new();
        starts.push(0);
        Ok(FileShingles {
            file: SpillFile::create_in(
                dir,
                "the shingles exact verification keeps (4 bytes a word of input; \
                 verification on signatures needs none)",
            )?,
            starts,
            bytes: Vec::new(),
        })
    }
}

impl ShingleStore for FileShingles {
    fn append(&mut self, shingles: &[u32]) -> io::Result<()> {
        self.bytes.clear();
        self.bytes
            .extend(shingles.iter().flat_map(|s| s.to_le_bytes()));
        let start = self.file.append(&self.bytes)?;
        self.starts.push(start + self.bytes.len() as u64);
        Ok(())
    }

    fn seal(&mut self) -> io::Result<()> {
        self.file.seal()
    }

    fn read(&self, doc: u32, out: &mut Vec<u32>) -> io::Result<()> {
        let (start, end) = (
            self.starts.get(doc as usize),
            self.starts.get(doc as usize + 1),
        );
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
