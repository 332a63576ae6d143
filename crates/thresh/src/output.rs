//! Output directories and files: the one place that decides which files a
//! run writes, what they are called and how records become lines.
//!
//! A dedup run and an index add write the same family of files to an
//! output directory: `kept.jsonl` (or `kept.parquet`), `clusters.jsonl`,
//! `removed_paragraphs.jsonl` (dedup at paragraph level),
//! `removed_spans.jsonl` (at substring level) and `summary.json`.
//!
//! No result passes for complete before it is: each is written under a
//! `.partial` name and renamed into place at the end ([`OutputDir`],
//! [`PendingFile`]), and a marker stands in the directory meanwhile.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use thresh_engine::Document;
use thresh_io::{FieldNames, KeptWriter, OutputFormat};

use crate::dedup::{DedupSink, Level};
use crate::records::{
    json_line, json_pretty, ClusterRecord, RemovedParagraphRecord, RemovedSpanRecord,
};

pub const CLUSTERS: &str = "clusters.jsonl";
pub const REMOVED_PARAGRAPHS: &str = "removed_paragraphs.jsonl";
pub const REMOVED_SPANS: &str = "removed_spans.jsonl";
pub const SUMMARY: &str = "summary.json";
/// The page of a dedup run for people to look at ([`crate::report`]).
pub const REPORT: &str = "report.html";

/// The file of kept documents in `format`.
pub fn kept_file(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Jsonl => "kept.jsonl",
        OutputFormat::Parquet => "kept.parquet",
    }
}

/// Every file a run may write. Those an earlier run left and this one does
/// not write are removed when it finishes; under their [`PARTIAL`] names,
/// when it starts.
pub const RESULTS: [&str; 7] = [
    "kept.jsonl",
    "kept.parquet",
    CLUSTERS,
    REMOVED_PARAGRAPHS,
    REMOVED_SPANS,
    REPORT,
    SUMMARY,
];

/// The suffix of a result while it is written: `kept.jsonl.partial` becomes
/// `kept.jsonl` only once complete, so no reader takes a cut file for a
/// whole one.
pub const PARTIAL: &str = ".partial";

/// Stands in an output directory from the start of a run until every result
/// is in place: a directory holding it is an interrupted run's, which the
/// next run replaces without `--force`.
pub const INCOMPLETE_MARKER: &str = "thresh.incomplete";

/// A file written under a temporary name beside its target and renamed into
/// place by [`PendingFile::commit`]. Dropped uncommitted (the run failed),
/// the temporary file is removed; a killed process leaves it under its
/// `.partial` name, which never passes for the result.
///
/// A target that is a symbolic link or not a regular file (`/dev/null`,
/// `/dev/stdout`, a named pipe, a terminal) is written directly, as any
/// program writes it: renaming over it would replace the device or the
/// link with a file (as root, `/dev/null` itself), and resolving the link
/// first would replace the file behind `/dev/stdout`.
pub struct PendingFile {
    target: PathBuf,
    /// Where the data goes until commit; `None` when written directly.
    partial: Option<PathBuf>,
    committed: bool,
}

impl PendingFile {
    /// Reserves `target`'s temporary name; the caller creates the file at
    /// [`PendingFile::path`].
    pub fn new(target: &Path) -> Self {
        let is_link = fs::symlink_metadata(target).is_ok_and(|meta| meta.is_symlink());
        let is_special = fs::metadata(target).is_ok_and(|meta| !meta.is_file());
        let partial = (!is_link && !is_special).then(|| {
            let mut partial = target.as_os_str().to_owned();
            partial.push(PARTIAL);
            PathBuf::from(partial)
        });
        PendingFile {
            target: target.to_path_buf(),
            partial,
            committed: false,
        }
    }

    /// Where the file is written until it is committed.
    pub fn path(&self) -> &Path {
        self.partial.as_deref().unwrap_or(&self.target)
    }

    /// Moves the finished file into place, its data on disk first, so a
    /// crash after the rename cannot leave a named but empty result.
    pub fn commit(mut self) -> Result<()> {
        if let Some(partial) = &self.partial {
            fs::File::open(partial)
                .and_then(|file| file.sync_all())
                .with_context(|| format!("{}: could not write", partial.display()))?;
            fs::rename(partial, &self.target).with_context(|| {
                format!(
                    "{}: could not move into place as {}",
                    partial.display(),
                    self.target.display()
                )
            })?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if let (false, Some(partial)) = (self.committed, &self.partial) {
            let _ = fs::remove_file(partial);
        }
    }
}

/// An output directory being written. Each result is written under its
/// `.partial` name and a [`INCOMPLETE_MARKER`] stands in the directory until
/// [`OutputDir::finish`] has moved every result into place, the summary
/// last. A run that fails removes what it wrote; one that is killed leaves
/// only partial names and the marker, and the next run replaces them.
pub struct OutputDir {
    dir: PathBuf,
    pending: Vec<PendingFile>,
    replaced_incomplete: bool,
    finished: bool,
}

impl OutputDir {
    /// Prepares `out` for a run. A directory holding an earlier run's
    /// results is refused unless `force`, and those results stay until this
    /// run's replace them (a run that fails leaves them as they were). What
    /// an interrupted run left is cleared without `force`. A new or empty
    /// directory is used as it is. Only thresh's own results are removed.
    pub fn prepare(out: &Path, force: bool) -> Result<Self> {
        let mut replaced_incomplete = false;
        if out.exists() {
            if !out.is_dir() {
                bail!("{}: exists and is not a directory", out.display());
            }
            replaced_incomplete = out.join(INCOMPLETE_MARKER).exists();
            if replaced_incomplete {
                remove_files(out, &RESULTS)?;
            } else if !force && RESULTS.iter().any(|name| out.join(name).exists()) {
                bail!(
                    "{}: output directory exists and holds an earlier run's results \
                     (use --force to replace them)",
                    out.display()
                );
            }
            remove_files(out, &RESULTS.map(|name| format!("{name}{PARTIAL}")))?;
        }
        fs::create_dir_all(out).with_context(|| format!("{}: could not create", out.display()))?;
        let marker = out.join(INCOMPLETE_MARKER);
        fs::write(
            &marker,
            "thresh is writing this directory, or was stopped before it finished: \
             its results are not complete while this file stands.\n",
        )
        .with_context(|| format!("{}: could not write", marker.display()))?;
        Ok(OutputDir {
            dir: out.to_path_buf(),
            pending: Vec::new(),
            replaced_incomplete,
            finished: false,
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Whether an interrupted run's results were cleared to make way.
    pub fn replaced_incomplete(&self) -> bool {
        self.replaced_incomplete
    }

    /// The path to write result `name` to until the run finishes.
    pub fn file(&mut self, name: &str) -> PathBuf {
        let pending = PendingFile::new(&self.dir.join(name));
        let path = pending.path().to_path_buf();
        self.pending.push(pending);
        path
    }

    /// Writes `summary` as `summary.json` and moves every result into
    /// place, the summary last, then removes an earlier run's results this
    /// run did not write, and the marker: from here on the directory holds
    /// one complete run. Returns the summary's text.
    pub fn finish<T: Serialize>(mut self, summary: &T) -> Result<String> {
        let summary_path = self.file(SUMMARY);
        let text = json_pretty(summary)?;
        fs::write(&summary_path, format!("{text}\n"))
            .with_context(|| format!("{}: could not write", summary_path.display()))?;
        let mut written = Vec::new();
        for pending in std::mem::take(&mut self.pending) {
            written.push(pending.target.clone());
            pending.commit()?;
        }
        let stale: Vec<&str> = RESULTS
            .into_iter()
            .filter(|name| !written.contains(&self.dir.join(name)))
            .collect();
        remove_files(&self.dir, &stale)?;
        fs::File::open(&self.dir)
            .and_then(|dir| dir.sync_all())
            .with_context(|| format!("{}: could not write", self.dir.display()))?;
        remove_files(&self.dir, &[INCOMPLETE_MARKER])?;
        self.finished = true;
        Ok(text)
    }
}

impl Drop for OutputDir {
    /// A failed run takes back what it wrote (the pending files remove
    /// themselves), so only what was there before is left.
    fn drop(&mut self) {
        if !self.finished {
            self.pending.clear();
            let _ = fs::remove_file(self.dir.join(INCOMPLETE_MARKER));
        }
    }
}

/// Removes the files `names` from `dir` where they exist.
fn remove_files(dir: &Path, names: &[impl AsRef<str>]) -> Result<()> {
    for name in names {
        let path = dir.join(name.as_ref());
        if path.exists() {
            fs::remove_file(&path)
                .with_context(|| format!("{}: could not remove", path.display()))?;
        }
    }
    Ok(())
}

/// A file of JSON lines, one record a line, keys sorted.
pub struct JsonLines {
    path: PathBuf,
    out: BufWriter<fs::File>,
}

impl JsonLines {
    pub fn create(path: PathBuf) -> Result<Self> {
        let file = fs::File::create(&path)
            .with_context(|| format!("{}: could not create", path.display()))?;
        Ok(JsonLines {
            out: BufWriter::with_capacity(256 * 1024, file),
            path,
        })
    }

    pub fn write<T: Serialize>(&mut self, record: &T) -> Result<()> {
        let line = json_line(record)?;
        writeln!(self.out, "{line}").with_context(|| self.failed())
    }

    pub fn finish(mut self) -> Result<()> {
        self.out.flush().with_context(|| self.failed())
    }

    fn failed(&self) -> String {
        format!("{}: could not write", self.path.display())
    }
}

/// Writes the kept documents of a run; closes them on `finish`, returning
/// the bytes written.
pub struct KeptFile {
    path: PathBuf,
    writer: Option<KeptWriter>,
}

impl KeptFile {
    pub fn create(dir: &mut OutputDir, format: OutputFormat, fields: FieldNames) -> Result<Self> {
        let path = dir.file(kept_file(format));
        let writer = KeptWriter::create(&path, format, fields)?;
        Ok(KeptFile {
            path,
            writer: Some(writer),
        })
    }

    pub fn write(&mut self, doc: &Document, new_text: Option<&str>) -> Result<()> {
        match self.writer.as_mut() {
            Some(writer) => Ok(writer.write(doc, new_text)?),
            None => bail!("{}: written after it was closed", self.path.display()),
        }
    }

    pub fn finish(&mut self) -> Result<u64> {
        if let Some(writer) = self.writer.take() {
            writer.finish()?;
        }
        Ok(fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0))
    }
}

/// A dedup run's output directory, as a [`DedupSink`]. A dry run writes
/// only `clusters.jsonl` (and the summary the caller writes).
pub struct DedupDir {
    clusters: Option<JsonLines>,
    kept: Option<KeptFile>,
    removed: Option<JsonLines>,
    spans: Option<JsonLines>,
}

impl DedupDir {
    /// Create the files in `dir` for a run at `level`; a dry run writes
    /// only the clusters (and the summary).
    pub fn create(
        dir: &mut OutputDir,
        format: OutputFormat,
        fields: FieldNames,
        level: Level,
        dry_run: bool,
    ) -> Result<Self> {
        let clusters = Some(JsonLines::create(dir.file(CLUSTERS))?);
        if dry_run {
            return Ok(DedupDir {
                clusters,
                kept: None,
                removed: None,
                spans: None,
            });
        }
        let mut optional = |wanted: bool, name: &str| -> Result<Option<JsonLines>> {
            wanted
                .then(|| JsonLines::create(dir.file(name)))
                .transpose()
        };
        let removed = optional(level.paragraphs(), REMOVED_PARAGRAPHS)?;
        let spans = optional(level.substrings(), REMOVED_SPANS)?;
        Ok(DedupDir {
            clusters,
            kept: Some(KeptFile::create(dir, format, fields)?),
            removed,
            spans,
        })
    }
}

impl DedupSink for DedupDir {
    fn wants_documents(&self) -> bool {
        self.kept.is_some()
    }

    fn cluster(&mut self, record: &ClusterRecord) -> Result<()> {
        match self.clusters.as_mut() {
            Some(out) => out.write(record),
            None => Ok(()),
        }
    }

    fn kept(&mut self, doc: &Document, new_text: Option<&str>) -> Result<()> {
        match self.kept.as_mut() {
            Some(kept) => kept.write(doc, new_text),
            None => Ok(()),
        }
    }

    fn removed_paragraph(&mut self, record: &RemovedParagraphRecord) -> Result<()> {
        match self.removed.as_mut() {
            Some(out) => out.write(record),
            None => Ok(()),
        }
    }

    fn removed_span(&mut self, record: &RemovedSpanRecord) -> Result<()> {
        match self.spans.as_mut() {
            Some(out) => out.write(record),
            None => Ok(()),
        }
    }

    fn finish(&mut self) -> Result<u64> {
        for out in [self.clusters.take(), self.removed.take(), self.spans.take()]
            .into_iter()
            .flatten()
        {
            out.finish()?;
        }
        match self.kept.as_mut() {
            Some(kept) => kept.finish(),
            None => Ok(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::FileTypeExt;

    fn write_pending(target: &Path, text: &str) -> Result<()> {
        let pending = PendingFile::new(target);
        fs::write(pending.path(), text)?;
        pending.commit()
    }

    #[test]
    fn a_regular_file_appears_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.jsonl");
        let pending = PendingFile::new(&target);
        fs::write(pending.path(), "data").unwrap();
        assert!(!target.exists());
        pending.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "data");
        assert!(!dir.path().join("out.jsonl.partial").exists());
    }

    #[test]
    fn a_named_pipe_is_written_directly_and_stays_a_pipe() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|status| status.success()) {
            eprintln!("skipped: mkfifo is not available here");
            return;
        }
        // Opened for reading and writing, a pipe's open never waits for the
        // other end, and what is written stays in the pipe's buffer.
        let mut reader = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&fifo)
            .unwrap();
        write_pending(&fifo, "through the pipe").unwrap();
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());
        let mut received = [0u8; 16];
        std::io::Read::read_exact(&mut reader, &mut received).unwrap();
        assert_eq!(&received, b"through the pipe");
        assert!(!dir.path().join("pipe.partial").exists());
    }

    #[test]
    fn a_symbolic_link_is_written_through_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        let link = dir.path().join("link.json");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_pending(&link, "new").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }
}
