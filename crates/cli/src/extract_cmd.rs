//! `thresh extract`: read inputs of any format thresh reads (WARC, HTML
//! pages, JSONL, text, Parquet) and write the documents as JSONL with
//! `id`, `url`, `date`, `title`, `byline` and `text`, for users who want
//! only the extracted articles.
//!
//! Records that are fine but not articles (WARC requests, redirects,
//! images, pages without main text) are counted and reported on stderr.
//! A damaged record stops the run with its file and offset, unless
//! `--skip-bad`, which counts it by cause instead.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use serde::Serialize;
use thresh_io::{discover, Document, DocumentReader, InputFormat, ReadOptions};

#[derive(clap::Args, Debug)]
pub struct ExtractArgs {
    /// Input files or directories: .warc/.warc.gz, .html/.htm, .jsonl,
    /// .parquet or text (`-` for standard input).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,

    /// Where to write the documents, one JSON object per line (`-` for
    /// standard output).
    #[arg(long, short)]
    pub out: PathBuf,

    /// Read every input as this format (text, jsonl, parquet, warc, html)
    /// instead of detecting it from the file name.
    #[arg(long)]
    pub format: Option<InputFormat>,

    /// Count damaged records (corrupt gzip members, malformed WARC headers,
    /// wrong lengths, binary or oversized pages) and go on, instead of
    /// stopping at the first.
    #[arg(long)]
    pub skip_bad: bool,

    /// Pages (or documents) larger than this many bytes are damaged records.
    #[arg(long, default_value_t = thresh_io::DEFAULT_MAX_DOCUMENT_BYTES)]
    pub max_document_bytes: u64,

    /// Print nothing on stderr but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// One output line.
#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    url: Option<&'a str>,
    date: Option<&'a str>,
    title: Option<&'a str>,
    byline: Option<String>,
    text: &'a str,
}

pub fn run(args: ExtractArgs) -> Result<()> {
    let inputs = discover(&args.inputs)?;
    let options = ReadOptions {
        format: args.format,
        max_document_bytes: args.max_document_bytes,
        ..ReadOptions::default()
    };
    let mut reader = DocumentReader::new(inputs, options);

    let sink: Box<dyn Write> = if args.out.as_os_str() == "-" {
        Box::new(io::stdout().lock())
    } else {
        let file = File::create(&args.out)
            .with_context(|| format!("cannot create {}", args.out.display()))?;
        Box::new(file)
    };
    let mut out = BufWriter::new(sink);
    let mut written = 0u64;
    let mut bad: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut line = Vec::new();
    for item in reader.by_ref() {
        match item {
            Ok(doc) => {
                line.clear();
                serde_json::to_writer(&mut line, &record(&doc))?;
                line.push(b'\n');
                out.write_all(&line)
                    .with_context(|| format!("cannot write {}", args.out.display()))?;
                written += 1;
            }
            Err(error) if args.skip_bad => *bad.entry(error.kind.name()).or_default() += 1,
            Err(error) => bail!("{error} (use --skip-bad to skip damaged records)"),
        }
    }
    out.flush()
        .with_context(|| format!("cannot write {}", args.out.display()))?;

    if !args.quiet {
        let mut summary = format!("thresh: extracted {written} documents");
        let skipped = reader.skipped();
        if skipped.total() > 0 {
            let reasons: Vec<String> = skipped.iter().map(|(r, n)| format!("{r} {n}")).collect();
            summary += &format!(
                "; skipped {} records ({})",
                skipped.total(),
                reasons.join(", ")
            );
        }
        if !bad.is_empty() {
            let total: u64 = bad.values().sum();
            let kinds: Vec<String> = bad.iter().map(|(k, n)| format!("{k} {n}")).collect();
            summary += &format!("; {total} damaged records ({})", kinds.join(", "));
        }
        eprintln!("{summary}");
    }
    Ok(())
}

fn record(doc: &Document) -> Record<'_> {
    // Readers of HTML put the byline in the document's raw record.
    let byline = doc
        .raw
        .as_deref()
        .and_then(|raw| serde_json::from_str::<serde_json::Value>(raw).ok())
        .and_then(|raw| raw.get("byline")?.as_str().map(str::to_string));
    Record {
        id: &doc.id,
        url: doc.url.as_deref(),
        date: doc.date.as_deref(),
        title: doc.title.as_deref(),
        byline,
        text: &doc.text,
    }
}
