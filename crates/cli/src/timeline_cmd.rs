//! `thresh timeline SNAPSHOT...`: consolidate repeated crawls of a live blog
//! into one timeline of unique posts (issue 3).
//!
//! This module reads the snapshots, hands them to
//! `thresh_engine::timeline`, and writes Markdown, JSON or HTML. Reading is
//! done here rather than through `thresh_io` for one reason: the timeline
//! reports removed lines by their line number in the input, so a text
//! file's ` date YYYY-MM-DD Title` header must stay in the text (the engine
//! reads it and numbers it line 1), while `thresh_io`'s text reader strips
//! it. Empty files are also snapshots here (with a note), not errors.
//! Web archives and HTML pages (`.warc`, `.warc.gz`, `.html`) are the
//! exception: they go through `thresh_io`, which extracts each captured
//! page's article (one snapshot per page, with its URL and capture date).

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use thresh_engine::timeline::{build_timelines, render, GroupBy, TimelineOptions};
use thresh_engine::{Document, Origin};
use thresh_io::{discover, DocumentReader, InputFormat, ReadOptions};

/// Arguments of `thresh timeline`.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Snapshots: text files (first line ` date YYYY-MM-DD Title` optional),
    /// JSONL files of records with url, date, title and text, WARC files
    /// (each HTML capture one snapshot), HTML pages, or directories of them.
    /// `-` reads standard input.
    #[arg(required = true, value_name = "SNAPSHOT")]
    pub inputs: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,

    /// Which snapshots make one timeline: same URL (falling back to the
    /// title), same title, or all of them. `auto` uses URLs when the inputs
    /// have any.
    #[arg(long, value_enum, default_value_t = GroupArg::Auto)]
    pub group_by: GroupArg,

    /// Write the output to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Do not print notes (inferred dates, empty snapshots) to standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[value(alias = "md")]
    Markdown,
    Json,
    /// One self-contained page.
    Html,
}

/// Grouping choices (see `GroupBy` in the engine).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupArg {
    Auto,
    Url,
    Title,
    None,
}

/// Run `thresh timeline`.
pub fn run(args: TimelineArgs) -> Result<()> {
    let mut notes = Vec::new();
    let docs = read_snapshots(&args.inputs, &mut notes)?;
    if docs.is_empty() {
        bail!("no snapshots to read in {}", describe(&args.inputs));
    }
    let options = TimelineOptions {
        group_by: match args.group_by {
            GroupArg::Auto => GroupBy::Auto,
            GroupArg::Url => GroupBy::Url,
            GroupArg::Title => GroupBy::Title,
            GroupArg::None => GroupBy::None,
        },
        ..TimelineOptions::default()
    };
    let timelines = build_timelines(&docs, &options);
    notes.extend(timelines.iter().flat_map(|t| t.notes.iter().cloned()));
    if timelines.len() > 1 {
        notes.push(format!(
            "{} pages among the snapshots: one timeline each",
            timelines.len()
        ));
    }
    if !args.quiet {
        for note in &notes {
            eprintln!("thresh timeline: {note}");
        }
    }
    let rendered = match args.format {
        Format::Markdown => render::markdown(&timelines),
        Format::Json => {
            let mut json = render::json(&timelines);
            json.push('\n');
            json
        }
        Format::Html => render::html(&timelines),
    };
    write_output(args.output.as_deref(), &rendered)
}

fn describe(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A closed pipe (`thresh timeline … | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
    }
}

// ------------------------------------------------------------- reading
// A small private reader; see the module comment for why not thresh_io.

/// Every snapshot under `paths`, in the order given (directories sorted).
fn read_snapshots(paths: &[PathBuf], notes: &mut Vec<String>) -> Result<Vec<Document>> {
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            files.push(path.clone());
        } else if path.is_dir() {
            collect_dir(path, &mut files)
                .with_context(|| format!("cannot list {}", path.display()))?;
        } else if path.exists() {
            files.push(path.clone());
        } else {
            bail!("{}: no such file or directory", path.display());
        }
    }
    let mut docs = Vec::new();
    for file in files {
        read_file(&file, &mut docs, notes)?;
    }
    Ok(docs)
}

/// Files under a directory, recursively, sorted by name; hidden ones skipped.
fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect_dir(&entry, out)?;
        } else {
            out.push(entry);
        }
    }
    Ok(())
}

fn read_file(path: &Path, docs: &mut Vec<Document>, notes: &mut Vec<String>) -> Result<()> {
    if matches!(
        InputFormat::from_path(path),
        InputFormat::Warc | InputFormat::Html
    ) {
        read_web_archive(path, docs, notes);
        return Ok(());
    }
    let source = path.display().to_string();
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        if std::io::stdin().is_terminal() {
            bail!("`-` reads snapshots from standard input, but it is a terminal");
        }
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        bytes = std::fs::read(path).with_context(|| format!("cannot read {source}"))?;
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    // NUL bytes never occur in text: this is not a crawl.
    if bytes.contains(&0) {
        notes.push(format!("{source}: binary file, skipped"));
        return Ok(());
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(e) => {
            notes.push(format!(
                "{source}: not valid UTF-8 (first bad byte at offset {}); undecodable bytes replaced",
                e.valid_up_to()
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    if is_jsonl(path, &text) {
        read_jsonl(&source, &text, docs, notes);
    } else {
        docs.push(Document {
            id: source.clone(),
            text: text.into_owned(),
            date: None,
            title: None,
            url: None,
            raw: None,
            origin: Origin { source, record: 0 },
        });
    }
    Ok(())
}

/// Each page of a WARC file (or an HTML file) is a snapshot: its article,
/// with the capture's URL and date. Records that hold no page, and damaged
/// ones, are noted and skipped, as bad lines of a JSONL snapshot are.
fn read_web_archive(path: &Path, docs: &mut Vec<Document>, notes: &mut Vec<String>) {
    let source = path.display().to_string();
    let inputs = match discover(&[path.to_path_buf()]) {
        Ok(inputs) => inputs,
        Err(error) => {
            notes.push(format!("{source}: {error}; skipped"));
            return;
        }
    };
    let mut reader = DocumentReader::new(inputs, ReadOptions::default());
    let mut damaged = Vec::new();
    for item in reader.by_ref() {
        match item {
            Ok(doc) => docs.push(doc),
            Err(error) => damaged.push(error.to_string()),
        }
    }
    let skipped = reader.skipped();
    if skipped.total() > 0 {
        let reasons: Vec<String> = skipped.iter().map(|(r, n)| format!("{r} {n}")).collect();
        notes.push(format!(
            "{source}: {} records held no page ({})",
            skipped.total(),
            reasons.join(", ")
        ));
    }
    for error in damaged.iter().take(5) {
        notes.push(format!("{error}; skipped"));
    }
    if damaged.len() > 5 {
        notes.push(format!(
            "{source}: {} more damaged records skipped",
            damaged.len() - 5
        ));
    }
}

fn is_jsonl(path: &Path, text: &str) -> bool {
    let by_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "jsonl" | "ndjson"));
    by_name || text.trim_start().starts_with('{')
}

/// One document per JSON object line: `text` (or `content`, `body`),
/// with optional `url`, `date`, `title` and `id`.
fn read_jsonl(source: &str, text: &str, docs: &mut Vec<Document>, notes: &mut Vec<String>) {
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let record = (i + 1) as u64;
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = match serde_json::from_str(line) {
            Ok(value) => value,
            Err(_) => {
                bad.push(record);
                continue;
            }
        };
        let field = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| value.get(*n).and_then(|v| v.as_str()))
                .map(str::to_string)
        };
        let Some(body) = field(&["text", "content", "body"]) else {
            bad.push(record);
            continue;
        };
        docs.push(Document {
            id: field(&["id"]).unwrap_or_else(|| format!("{source}:{record}")),
            text: body,
            date: field(&["date", "timestamp", "crawl_date"]),
            title: field(&["title"]),
            url: field(&["url"]),
            raw: None,
            origin: Origin {
                source: source.to_string(),
                record,
            },
        });
    }
    if !bad.is_empty() {
        let shown: Vec<String> = bad.iter().take(5).map(u64::to_string).collect();
        notes.push(format!(
            "{source}: {} line(s) skipped, not JSON objects with a text field (line {}{})",
            bad.len(),
            shown.join(", "),
            if bad.len() > 5 { ", …" } else { "" }
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_records_become_documents_and_bad_lines_notes() {
        let mut docs = Vec::new();
        let mut notes = Vec::new();
        let text =
            "{\"url\":\"u\",\"date\":\"2024-11-01\",\"text\":\"A.\\nB.\"}\nnot json\n{\"x\":1}\n";
        read_jsonl("f.jsonl", text, &mut docs, &mut notes);
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].origin.to_string(), "f.jsonl:1");
        assert_eq!(docs[0].date.as_deref(), Some("2024-11-01"));
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("2 line(s) skipped"), "{}", notes[0]);
    }
}
