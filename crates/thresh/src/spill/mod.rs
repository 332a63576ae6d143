//! Temporary files for what a run must keep but need not hold in memory,
//! one store per file of this module:
//!
//! - `shingles`: the shingles exact verification keeps until the
//!   candidates are known ([`FileShingles`]; always on disk, as they are
//!   as large as the text's words);
//! - `band_keys`: the band keys LSH keeps until candidates are sought
//!   ([`FileBandKeys`]), each band's column sorted in parts when it is
//!   larger than its share of the memory budget;
//! - `facts`: each document's exact hash, length and date
//!   ([`FileFacts`]), exact copies grouped by an external sort;
//! - `log` and `partitioned`, what those are made of: a log of bytes read
//!   at offsets, and records sorted into parts by their key's high bits,
//!   both in memory until they pass their share of the [`MemoryBudget`].
//!
//! Each file is created unlinked, so it has no name to clean up: it is gone
//! when the run ends, however it ends.

mod band_keys;
mod facts;
mod log;
mod partitioned;
mod shingles;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

pub use band_keys::FileBandKeys;
pub use facts::FileFacts;
pub(crate) use log::SpillLog;
pub(crate) use partitioned::{Partitioned, PARTS};
pub use shingles::FileShingles;

/// How much a run's stores may hold in memory before they move what they
/// keep to temporary files (`--memory`). It bounds what grows with the
/// number of documents: each store holds at most a [`share`] of it (the
/// band keys being sorted, one share on each thread), so that memory stays
/// about this budget plus a few bytes a document that are never spilled
/// (see the architecture notes) and the candidate pairs.
///
/// [`share`]: MemoryBudget::share
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryBudget {
    bytes: u64,
}

impl MemoryBudget {
    /// Shares the budget is cut into: one for each store (facts, first
    /// copies, ids, id checks, shingle offsets) and for each band being
    /// sorted, with room to spare.
    const SHARES: u64 = 8;

    /// The default budget's cap: enough to keep ten million documents in
    /// memory, small enough for a laptop.
    const DEFAULT_CAP: u64 = 2 << 30;

    pub fn new(bytes: u64) -> Self {
        MemoryBudget { bytes }
    }

    /// A quarter of the memory this process may use (the machine's, or
    /// its cgroup's limit), at most 2 GiB (2 GiB when the system does not
    /// say).
    pub fn for_this_machine() -> Self {
        let total = crate::memory::total().unwrap_or(4 * Self::DEFAULT_CAP);
        MemoryBudget::new((total / 4).min(Self::DEFAULT_CAP))
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// What one store may hold in memory.
    pub fn share(&self) -> u64 {
        (self.bytes / Self::SHARES).max(1)
    }
}

impl Default for MemoryBudget {
    fn default() -> Self {
        MemoryBudget::for_this_machine()
    }
}

/// An unlinked temporary file written once from start to end, through a
/// buffer, then read at offsets: what both stores below are made of. Its
/// errors name the directory and what was kept.
pub(crate) struct SpillFile {
    dir: PathBuf,
    /// What the file keeps, for messages.
    what: &'static str,
    file: File,
    /// Present while the file is written.
    writer: Option<BufWriter<File>>,
    written: u64,
}

impl SpillFile {
    pub(crate) fn create_in(dir: &Path, what: &'static str) -> io::Result<Self> {
        let file = tempfile::tempfile_in(dir).map_err(|error| {
            io::Error::new(
                error.kind(),
                format!(
                    "{}: cannot create the temporary file for {what}: {error}",
                    dir.display()
                ),
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
    pub(crate) fn append(&mut self, bytes: &[u8]) -> io::Result<u64> {
        let writer = self.writer.as_mut().expect("append after seal");
        if let Err(error) = writer.write_all(bytes) {
            return Err(self.no_room(error));
        }
        let start = self.written;
        self.written += bytes.len() as u64;
        Ok(start)
    }

    pub(crate) fn seal(&mut self) -> io::Result<()> {
        if let Some(mut writer) = self.writer.take() {
            if let Err(error) = writer.flush() {
                return Err(self.no_room(error));
            }
        }
        Ok(())
    }

    pub(crate) fn read_at(&self, bytes: &mut [u8], offset: u64) -> io::Result<()> {
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
