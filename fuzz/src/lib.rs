//! What the fuzz targets share: arbitrary bytes written to a file of a
//! given name and read the way every thresh command reads its inputs.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use thresh_io::{Document, DocumentReader, Input, ReadOptions};

/// A directory for this fuzzing process's files, removed at exit.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary directory"))
        .path()
}

/// Writes `bytes` as `name` and reads every document of it (errors are
/// values; only a panic, abort or hang is a finding). Returns the
/// documents read.
pub fn read_file(name: &str, bytes: &[u8], options: ReadOptions) -> Vec<Document> {
    let path: PathBuf = scratch().join(name);
    std::fs::write(&path, bytes).expect("the scratch file is written");
    DocumentReader::new(vec![Input::file(path)], options)
        .filter_map(Result::ok)
        .collect()
}
