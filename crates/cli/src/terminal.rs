//! What a command prints on standard output, and the notes about the output
//! directory it says on standard error.
//!
//! Standard output may be a full device or a pipe closed early (`thresh …
//! | head -1`): printing returns the error instead of panicking, and
//! `main` ends quietly on a closed pipe ([`is_closed_pipe`]).

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use thresh::output::OutputDir;
use thresh_io::Input;

/// Writes `text` to standard output and flushes it.
pub fn print(text: &str) -> Result<()> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .context("cannot write to standard output")
}

/// Writes `text` and a newline to standard output.
pub fn print_line(text: &str) -> Result<()> {
    print(&format!("{text}\n"))
}

/// Whether `error` comes from writing to a pipe whose reader has gone,
/// which ends a run quietly: the reader asked for no more.
pub fn is_closed_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = match cause.downcast_ref::<thresh_io::IoError>() {
            Some(error) => Some(error.source.kind()),
            None => cause.downcast_ref::<io::Error>().map(io::Error::kind),
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

/// Says that an interrupted run's results were cleared from `dir`.
pub fn note_replaced(dir: &OutputDir, quiet: bool) {
    if dir.replaced_incomplete() && !quiet {
        eprintln!(
            "thresh: {}: replacing the incomplete results of an interrupted run",
            dir.path().display()
        );
    }
}

/// Warns about each directory among `paths` that holds no input file: an
/// empty input is no error (the run goes on, exit 0), but never silent.
/// Returns how many there were.
pub fn warn_empty_directories(paths: &[PathBuf], inputs: &[Input], quiet: bool) -> usize {
    let mut empty = 0;
    for dir in paths.iter().filter(|path| path.is_dir()) {
        let files = inputs
            .iter()
            .filter(|input| input.path().is_some_and(|path| path.starts_with(dir)))
            .count();
        if files == 0 {
            empty += 1;
            if !quiet {
                eprintln!(
                    "thresh: warning: {}: no input files in this directory (0 read)",
                    dir.display()
                );
            }
        }
    }
    empty
}
