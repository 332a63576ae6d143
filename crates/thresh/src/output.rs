//! Output directories and files: the one place that decides which files a
//! run writes, what they are called and how records become lines.
//!
//! A dedup run and an index add write the same family of files to an
//! output directory: `kept.jsonl` (or `kept.parquet`), `clusters.jsonl`,
//! `removed_paragraphs.jsonl` (dedup at paragraph level) and
//! `summary.json`.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use thresh_engine::Document;
use thresh_io::{FieldNames, KeptWriter, OutputFormat};

use crate::dedup::DedupSink;
use crate::records::{json_line, json_pretty, ClusterRecord, RemovedParagraphRecord};

pub const CLUSTERS: &str = "clusters.jsonl";
pub const REMOVED_PARAGRAPHS: &str = "removed_paragraphs.jsonl";
pub const SUMMARY: &str = "summary.json";

/// The file of kept documents in `format`.
pub fn kept_file(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Jsonl => "kept.jsonl",
        OutputFormat::Parquet => "kept.parquet",
    }
}

/// Every file a run may write, removed first when `--force` reuses a
/// directory.
pub const RESULTS: [&str; 5] = [
    "kept.jsonl",
    "kept.parquet",
    CLUSTERS,
    REMOVED_PARAGRAPHS,
    SUMMARY,
];

/// Refuse an existing directory unless `force`; with `force`, remove the
/// results an earlier run wrote there (and nothing else).
pub fn prepare_output_dir(out: &Path, force: bool) -> Result<()> {
    if out.exists() {
        if !force {
            bail!(
                "{}: output directory exists (use --force to replace its results)",
                out.display()
            );
        }
        if !out.is_dir() {
            bail!("{}: exists and is not a directory", out.display());
        }
        for name in RESULTS {
            let path = out.join(name);
            if path.exists() {
                fs::remove_file(&path)
                    .with_context(|| format!("{}: could not remove", path.display()))?;
            }
        }
    }
    fs::create_dir_all(out).with_context(|| format!("{}: could not create", out.display()))
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

/// Write `record` to `path` as indented JSON (keys sorted); returns the text.
pub fn write_pretty<T: Serialize>(path: &Path, record: &T) -> Result<String> {
    let text = json_pretty(record)?;
    fs::write(path, format!("{text}\n"))
        .with_context(|| format!("{}: could not write", path.display()))?;
    Ok(text)
}

/// Writes the kept documents of a run; closes them on `finish`, returning
/// the bytes written.
pub struct KeptFile {
    path: PathBuf,
    writer: Option<KeptWriter>,
}

impl KeptFile {
    pub fn create(dir: &Path, format: OutputFormat, fields: FieldNames) -> Result<Self> {
        let path = dir.join(kept_file(format));
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
}

impl DedupDir {
    /// Create the files in `dir` (prepared with [`prepare_output_dir`]).
    pub fn create(
        dir: &Path,
        format: OutputFormat,
        fields: FieldNames,
        paragraphs: bool,
        dry_run: bool,
    ) -> Result<Self> {
        let clusters = Some(JsonLines::create(dir.join(CLUSTERS))?);
        let (kept, removed) = if dry_run {
            (None, None)
        } else {
            let removed = match paragraphs {
                true => Some(JsonLines::create(dir.join(REMOVED_PARAGRAPHS))?),
                false => None,
            };
            (Some(KeptFile::create(dir, format, fields)?), removed)
        };
        Ok(DedupDir {
            clusters,
            kept,
            removed,
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

    fn finish(&mut self) -> Result<u64> {
        for out in [self.clusters.take(), self.removed.take()]
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
