//! `thresh dedup`: the command that exposes the engine's deduplication.
//!
//! Two streaming passes over the input:
//! 1. read every document, fingerprint it (in parallel, batch by batch) and
//!    keep only the fingerprints; then match and cluster;
//! 2. read again, and write each kept document (at paragraph level, without
//!    its repeated paragraphs) while recording what was removed.
//!
//! Standard input is spooled to a temporary file so it can be read twice.
//! Files written to `--out`: `kept.jsonl` (or `.parquet`), `clusters.jsonl`,
//! `removed_paragraphs.jsonl` (paragraph level), `summary.json`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde_json::json;
use thresh_engine::cluster::KeepPolicy;
use thresh_engine::dedup::{DedupConfig, DedupOutcome, Deduplicator, MatchConfig, Verify};
use thresh_engine::lsh::LshParams;
use thresh_engine::minhash::MinHashScheme;
use thresh_engine::normalize::NormalizeOptions;
use thresh_engine::paragraph::{remove_lines, ParagraphDeduper};
use thresh_engine::Document;
use thresh_io::{
    DocumentReader, FieldNames, Input, InputFormat, KeptWriter, OutputFormat, ReadError,
    ReadOptions, Skipped,
};

use crate::common::{
    good_documents, kind_name, prepare_output_dir, resolve_inputs, round4, start_threads,
};
use crate::progress;

/// The files a run writes, removed first when `--force` reuses a directory.
const RESULTS: [&str; 5] = [
    "kept.jsonl",
    "kept.parquet",
    "clusters.jsonl",
    "removed_paragraphs.jsonl",
    "summary.json",
];

/// Documents read and fingerprinted together; large enough to keep both
/// cores busy, small enough that a batch's text stays in cache-friendly RAM.
const BATCH: usize = 2048;

#[derive(Args, Debug)]
pub struct DedupArgs {
    /// Files or directories (searched recursively) to read; `-` reads standard input.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,

    /// Directory for the results (refused if it exists, unless --force).
    #[arg(long, short)]
    pub out: PathBuf,

    /// Replace the results in an existing output directory.
    #[arg(long)]
    pub force: bool,

    /// Input format; by default each file's extension decides (.jsonl,
    /// .parquet, .warc, .html/.htm, anything else is plain text; .gz and .zst
    /// are decompressed).
    #[arg(long, value_enum)]
    pub input_format: Option<FormatArg>,

    /// Format of the kept documents.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub output_format: OutputArg,

    /// JSONL/Parquet field holding the document id.
    #[arg(long, default_value = "id")]
    pub id_field: String,
    /// JSONL/Parquet field holding the text.
    #[arg(long, default_value = "text")]
    pub text_field: String,
    /// JSONL/Parquet field holding the date (ISO 8601).
    #[arg(long, default_value = "date")]
    pub date_field: String,
    /// JSONL/Parquet field holding the URL.
    #[arg(long, default_value = "url")]
    pub url_field: String,

    /// What to deduplicate: whole documents, paragraphs, or both.
    #[arg(long, value_enum, default_value = "doc")]
    pub level: Level,

    /// Words per shingle for near-duplicate detection.
    #[arg(long, default_value_t = 5)]
    pub ngram: usize,
    /// MinHash signature length.
    #[arg(long, default_value_t = 128)]
    pub num_perm: usize,
    /// Jaccard similarity at or above which documents are near duplicates.
    #[arg(long, default_value_t = 0.7)]
    pub threshold: f64,
    /// LSH bands (with --rows; default: chosen from --threshold).
    #[arg(long, requires = "rows")]
    pub bands: Option<usize>,
    /// LSH rows per band (with --bands).
    #[arg(long, requires = "bands")]
    pub rows: Option<usize>,
    /// How candidate pairs are confirmed: on the signatures, or on the exact
    /// shingle sets (slower, more memory, exact similarities).
    #[arg(long, value_enum, default_value = "signature")]
    pub verify: VerifyArg,
    /// MinHash construction.
    #[arg(long, value_enum, default_value = "one-permutation")]
    pub minhash: SchemeArg,
    /// Only exact duplicates (no MinHash).
    #[arg(long)]
    pub exact_only: bool,
    /// Seed of the hash functions.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,

    /// Which copy of a cluster survives.
    #[arg(long, value_enum, default_value = "earliest")]
    pub keep: KeepArg,

    /// At paragraph level, never remove paragraphs shorter than this many words.
    #[arg(long, default_value_t = 0)]
    pub min_paragraph_words: usize,

    /// Keep case / typographic punctuation / compatibility forms when normalizing.
    #[arg(long)]
    pub keep_case: bool,
    #[arg(long)]
    pub keep_punctuation: bool,
    #[arg(long)]
    pub no_nfkc: bool,

    /// Documents larger than this many bytes are bad input.
    #[arg(long, default_value_t = thresh_io::DEFAULT_MAX_DOCUMENT_BYTES)]
    pub max_document_bytes: u64,

    /// Skip bad records (invalid UTF-8, malformed lines, missing text, empty
    /// or huge documents, unreadable files) and count them, instead of stopping.
    #[arg(long)]
    pub skip_bad: bool,

    /// Write only clusters.jsonl and summary.json.
    #[arg(long)]
    pub dry_run: bool,

    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,

    /// No progress display.
    #[arg(long, short)]
    pub quiet: bool,

    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FormatArg {
    Text,
    Jsonl,
    Parquet,
    Warc,
    Html,
}

impl FormatArg {
    pub fn input_format(self) -> InputFormat {
        match self {
            FormatArg::Text => InputFormat::Text,
            FormatArg::Jsonl => InputFormat::Jsonl,
            FormatArg::Parquet => InputFormat::Parquet,
            FormatArg::Warc => InputFormat::Warc,
            FormatArg::Html => InputFormat::Html,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum OutputArg {
    Jsonl,
    Parquet,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Doc,
    Paragraph,
    Both,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum VerifyArg {
    Signature,
    Exact,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum SchemeArg {
    OnePermutation,
    Classic,
    Circulant,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum KeepArg {
    Earliest,
    Latest,
    Longest,
    First,
}

impl DedupArgs {
    fn config(&self) -> DedupConfig {
        DedupConfig {
            matching: MatchConfig {
                normalize: NormalizeOptions {
                    nfkc: !self.no_nfkc,
                    fold_punctuation: !self.keep_punctuation,
                    lowercase: !self.keep_case,
                },
                ngram: self.ngram,
                num_perm: self.num_perm,
                threshold: self.threshold,
                lsh: self
                    .bands
                    .zip(self.rows)
                    .map(|(bands, rows)| LshParams { bands, rows }),
                scheme: match self.minhash {
                    SchemeArg::OnePermutation => MinHashScheme::OnePermutation,
                    SchemeArg::Classic => MinHashScheme::Classic,
                    SchemeArg::Circulant => MinHashScheme::Circulant,
                },
                near_duplicates: !self.exact_only,
                seed: self.seed,
            },
            verify: match self.verify {
                VerifyArg::Signature => Verify::Signature,
                VerifyArg::Exact => Verify::Exact,
            },
            keep: match self.keep {
                KeepArg::Earliest => KeepPolicy::Earliest,
                KeepArg::Latest => KeepPolicy::Latest,
                KeepArg::Longest => KeepPolicy::Longest,
                KeepArg::First => KeepPolicy::First,
            },
        }
    }

    fn read_options(&self) -> ReadOptions {
        ReadOptions {
            format: self.input_format.map(FormatArg::input_format),
            fields: self.fields(),
            max_document_bytes: self.max_document_bytes,
        }
    }

    fn fields(&self) -> FieldNames {
        FieldNames {
            id: self.id_field.clone(),
            text: self.text_field.clone(),
            date: self.date_field.clone(),
            url: self.url_field.clone(),
            ..FieldNames::default()
        }
    }

    fn documents_level(&self) -> bool {
        self.level != Level::Paragraph
    }

    fn paragraph_level(&self) -> bool {
        self.level != Level::Doc
    }
}

/// Counts and times gathered along the way, for `summary.json`.
#[derive(Default)]
struct Tally {
    documents: usize,
    bytes_in: u64,
    skipped: BTreeMap<&'static str, usize>,
    /// Records read fine that hold no document (WARC requests, non-HTML
    /// responses, pages without article text), by reason.
    not_documents: Skipped,
    read_time: Duration,
    paragraphs_removed: usize,
    documents_emptied: usize,
    write_time: Duration,
}

pub fn run(args: DedupArgs) -> Result<()> {
    let started = Instant::now();
    let config = args.config();
    if let Err(message) = config.matching.validate() {
        bail!("{message}");
    }
    start_threads(args.threads)?;
    prepare_output_dir(&args.out, args.force, &RESULTS)?;
    let inputs = resolve_inputs(&args.inputs, &args.out)?;

    let mut tally = Tally::default();
    let mut ids = Vec::new();
    let outcome = first_pass(&args, &config, &inputs, &mut ids, &mut tally)?;
    write_clusters(&args.out.join("clusters.jsonl"), &outcome, &ids)?;
    if !args.dry_run || args.paragraph_level() {
        second_pass(&args, &inputs, &outcome, &ids, &mut tally)?;
    }
    let summary = summary(&args, &config, &outcome, &tally, started.elapsed());
    let text = serde_json::to_string_pretty(&summary)?;
    fs::write(args.out.join("summary.json"), format!("{text}\n")).with_context(|| {
        format!(
            "{}: could not write",
            args.out.join("summary.json").display()
        )
    })?;
    if args.json {
        println!("{text}");
    } else if !args.quiet {
        eprintln!(
            "thresh: {} documents, {} kept, {} exact and {} near duplicates in {} clusters → {}",
            tally.documents,
            outcome.kept_count(),
            outcome.exact_duplicates,
            outcome.near_duplicates,
            outcome.clusters.len(),
            args.out.display()
        );
        if tally.not_documents.total() > 0 {
            let reasons: Vec<String> = tally
                .not_documents
                .iter()
                .map(|(reason, n)| format!("{reason} {n}"))
                .collect();
            eprintln!(
                "thresh: {} records held no document ({})",
                tally.not_documents.total(),
                reasons.join(", ")
            );
        }
    }
    Ok(())
}

/// Stream the documents in batches from a reader thread, so reading and
/// parsing overlap with the caller's parallel work on the previous batch.
/// Bad records stop the run, or are counted with `--skip-bad`.
fn for_each_batch(
    args: &DedupArgs,
    inputs: &[Input],
    tally: &mut Tally,
    mut work: impl FnMut(Vec<Document>) -> Result<()>,
) -> Result<()> {
    let mut reader = DocumentReader::new(inputs.to_vec(), args.read_options());
    let (sender, receiver) = sync_channel::<(Vec<Result<Document, ReadError>>, Duration)>(2);
    std::thread::scope(|scope| {
        let reading = scope.spawn(move || {
            loop {
                let started = Instant::now();
                let batch = reader.next_batch(BATCH);
                let done = batch.is_empty();
                if sender.send((batch, started.elapsed())).is_err() || done {
                    break;
                }
            }
            reader.skipped().clone()
        });
        // Owned here so that returning early (on the first error) drops it,
        // which ends the reader thread's `send` before the scope joins it.
        let receiver = receiver;
        for (batch, read_time) in receiver.iter() {
            if batch.is_empty() {
                break;
            }
            tally.read_time += read_time;
            let documents = good_documents(batch, args.skip_bad, &mut tally.skipped)?;
            work(documents)?;
        }
        match reading.join() {
            Ok(not_documents) => tally.not_documents = not_documents,
            Err(panic) => std::panic::resume_unwind(panic),
        }
        Ok(())
    })
}

fn first_pass(
    args: &DedupArgs,
    config: &DedupConfig,
    inputs: &[Input],
    ids: &mut Vec<String>,
    tally: &mut Tally,
) -> Result<DedupOutcome> {
    let bar = progress::documents(args.quiet, "fingerprinting");
    let mut dedup = args
        .documents_level()
        .then(|| Deduplicator::new(config.clone()));
    let mut documents = 0;
    let mut bytes_in = 0;
    let result = for_each_batch(args, inputs, tally, |batch| {
        documents += batch.len();
        bytes_in += batch.iter().map(|d| d.text.len() as u64).sum::<u64>();
        if let Some(dedup) = dedup.as_mut() {
            dedup.add_documents(&batch);
        }
        ids.extend(batch.into_iter().map(|d| d.id));
        bar.set_position(documents as u64);
        Ok(())
    });
    bar.finish_and_clear();
    result?;
    tally.documents = documents;
    tally.bytes_in = bytes_in;
    Ok(match dedup {
        Some(dedup) => dedup.finish(),
        None => DedupOutcome::keep_all(documents, config.matching.lsh_params()),
    })
}

fn write_clusters(path: &Path, outcome: &DedupOutcome, ids: &[String]) -> Result<()> {
    let mut out = create(path)?;
    for (number, cluster) in outcome.clusters.iter().enumerate() {
        let members: Vec<_> = cluster
            .members
            .iter()
            .map(|m| {
                json!({
                    "id": ids[m.doc as usize],
                    "similarity": round4(m.similarity),
                    "kind": kind_name(m.kind),
                })
            })
            .collect();
        let line = json!({
            "cluster": number + 1,
            "representative": ids[cluster.representative as usize],
            "members": members,
        });
        writeln!(out, "{line}").with_context(|| format!("{}: could not write", path.display()))?;
    }
    out.flush()
        .with_context(|| format!("{}: could not write", path.display()))
}

/// Read the input again; write kept documents, minus repeated paragraphs at
/// paragraph level, and the record of what was removed.
fn second_pass(
    args: &DedupArgs,
    inputs: &[Input],
    outcome: &DedupOutcome,
    ids: &[String],
    tally: &mut Tally,
) -> Result<()> {
    let started = Instant::now();
    let kept_path = args.out.join(match args.output_format {
        OutputArg::Jsonl => "kept.jsonl",
        OutputArg::Parquet => "kept.parquet",
    });
    let mut kept_writer = if args.dry_run {
        None
    } else {
        let format = match args.output_format {
            OutputArg::Jsonl => OutputFormat::Jsonl,
            OutputArg::Parquet => OutputFormat::Parquet,
        };
        Some(KeptWriter::create(&kept_path, format, args.fields())?)
    };
    let removed_path = args.out.join("removed_paragraphs.jsonl");
    let mut removed_out = match (args.paragraph_level(), args.dry_run) {
        (true, false) => Some(create(&removed_path)?),
        _ => None,
    };
    let mut paragraphs =
        ParagraphDeduper::new(args.config().matching.normalize, args.min_paragraph_words);
    let bar = progress::documents(args.quiet, "writing");
    let mut next_doc = 0usize;
    let mut scratch_tally = Tally::default();
    let mut paragraphs_removed = 0;
    let mut documents_emptied = 0;
    for_each_batch(args, inputs, &mut scratch_tally, |batch| {
        let first = next_doc;
        next_doc += batch.len();
        if next_doc > outcome.kept.len() {
            bail!("the input changed while thresh was reading it");
        }
        let kept: Vec<(usize, Document)> = batch
            .into_iter()
            .enumerate()
            .map(|(i, doc)| (first + i, doc))
            .filter(|(index, _)| outcome.kept[*index])
            .collect();
        let hashed: Vec<_> = if args.paragraph_level() {
            kept.par_iter()
                .map(|(_, doc)| paragraphs.hash(&doc.text))
                .collect()
        } else {
            Vec::new()
        };
        for (slot, (index, doc)) in kept.iter().enumerate() {
            let mut new_text = None;
            if let Some(hashed) = hashed.get(slot) {
                let removed = paragraphs.decide(*index as u32, hashed);
                if !removed.is_empty() {
                    paragraphs_removed += removed.len();
                    let lines: Vec<u32> = removed.iter().map(|r| r.line).collect();
                    let text = remove_lines(&doc.text, &lines);
                    if text.is_empty() {
                        documents_emptied += 1;
                    }
                    if let Some(out) = removed_out.as_mut() {
                        write_removed(out, doc, &removed, ids).with_context(|| {
                            format!("{}: could not write", removed_path.display())
                        })?;
                    }
                    new_text = Some(text);
                }
            }
            if let Some(writer) = kept_writer.as_mut() {
                writer.write(doc, new_text.as_deref())?;
            }
        }
        bar.set_position(next_doc as u64);
        Ok(())
    })?;
    bar.finish_and_clear();
    if let Some(writer) = kept_writer {
        writer.finish()?;
    }
    if let Some(mut out) = removed_out {
        out.flush()
            .with_context(|| format!("{}: could not write", removed_path.display()))?;
    }
    tally.paragraphs_removed = paragraphs_removed;
    tally.documents_emptied = documents_emptied;
    tally.write_time = started.elapsed();
    Ok(())
}

fn write_removed(
    out: &mut impl Write,
    doc: &Document,
    removed: &[thresh_engine::paragraph::RemovedParagraph],
    ids: &[String],
) -> std::io::Result<()> {
    let lines: Vec<&str> = doc.text.lines().collect();
    for r in removed {
        let line = json!({
            "id": doc.id,
            "line": r.line + 1,
            "paragraph": r.paragraph + 1,
            "text": lines.get(r.line as usize).map(|l| l.trim()).unwrap_or(""),
            "first": {
                "id": ids[r.first.doc as usize],
                "line": r.first.line + 1,
                "paragraph": r.first.paragraph + 1,
            },
        });
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn create(path: &Path) -> Result<BufWriter<fs::File>> {
    let file =
        fs::File::create(path).with_context(|| format!("{}: could not create", path.display()))?;
    Ok(BufWriter::with_capacity(256 * 1024, file))
}

fn file_size(path: &Path) -> u64 {
    fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn summary(
    args: &DedupArgs,
    config: &DedupConfig,
    outcome: &DedupOutcome,
    tally: &Tally,
    total: Duration,
) -> serde_json::Value {
    let bytes_out = ["kept.jsonl", "kept.parquet"]
        .iter()
        .map(|name| file_size(&args.out.join(name)))
        .sum::<u64>();
    let skipped_bad: usize = tally.skipped.values().sum();
    let times = outcome.times;
    json!({
        "documents": tally.documents,
        "kept": outcome.kept_count(),
        "exact_duplicates": outcome.exact_duplicates,
        "near_duplicates": outcome.near_duplicates,
        "clusters": outcome.clusters.len(),
        "skipped_bad": skipped_bad,
        "skipped_by_reason": tally.skipped,
        "not_documents": tally.not_documents.total(),
        "not_documents_by_reason": tally.not_documents.iter().collect::<BTreeMap<_, _>>(),
        "paragraphs_removed": tally.paragraphs_removed,
        "documents_emptied": tally.documents_emptied,
        "candidate_pairs": outcome.candidate_pairs,
        "verified_pairs": outcome.verified_pairs,
        "bytes_in": tally.bytes_in,
        "bytes_out": bytes_out,
        "seconds": {
            "read": tally.read_time.as_secs_f64(),
            "fingerprint": times.fingerprint.as_secs_f64(),
            "candidates": times.candidates.as_secs_f64(),
            "verify": times.verify.as_secs_f64(),
            "cluster": times.cluster.as_secs_f64(),
            "write": tally.write_time.as_secs_f64(),
            "total": total.as_secs_f64(),
        },
        "parameters": {
            "level": format!("{:?}", args.level).to_lowercase(),
            "normalize": config.matching.normalize,
            "ngram": config.matching.ngram,
            "num_perm": config.matching.num_perm,
            "threshold": config.matching.threshold,
            "bands": outcome.lsh.bands,
            "rows": outcome.lsh.rows,
            "minhash": config.matching.scheme,
            "verify": config.verify,
            "keep": config.keep,
            "near_duplicates": config.matching.near_duplicates,
            "min_paragraph_words": args.min_paragraph_words,
            "seed": config.matching.seed,
        },
        "thresh_version": env!("CARGO_PKG_VERSION"),
    })
}
