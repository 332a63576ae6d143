//! `thresh index`: a persistent index, so that each day's crawl is checked
//! against everything seen before (`thresh-index` does the work).
//!
//! - `create DIR` fixes the matching parameters;
//! - `add DIR INPUT... --out OUT` decides each document (new, or a duplicate
//!   of which earlier one), adds them all, and writes `kept.jsonl`,
//!   `clusters.jsonl` and `summary.json` as `thresh dedup` does;
//! - `query DIR INPUT...` decides without adding (JSON lines on stdout);
//! - `stats DIR` prints the index's parameters and totals.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use serde_json::json;
use thresh_engine::dedup::{MatchConfig, MatchKind};
use thresh_engine::lsh::LshParams;
use thresh_engine::minhash::MinHashScheme;
use thresh_engine::Document;
use thresh_index::{DocRef, Index, Verdict};
use thresh_io::{DocumentReader, FieldNames, Input, KeptWriter, OutputFormat, ReadOptions};

use crate::common::{
    good_documents, kind_name, prepare_output_dir, resolve_inputs, round4, start_threads,
};
use crate::dedup_cmd::{FormatArg, OutputArg, SchemeArg};
use crate::progress;

/// Documents read and matched together. The index looks a push's keys up
/// in one sorted pass over its run files, so larger pushes read fewer
/// blocks per document (on 3.5 KB documents: about 60 MB of text and
/// fingerprints in memory, whatever the size of the index).
const CHUNK: usize = 16_384;

#[derive(Subcommand, Debug)]
pub enum IndexCommand {
    /// Create an index, fixing its matching parameters for good.
    Create {
        /// Directory of the index (created).
        dir: PathBuf,
        #[command(flatten)]
        params: Params,
    },
    /// Check documents against the index and add them; write the kept
    /// documents, the clusters (with the earlier document each duplicate
    /// matched) and a summary.
    Add {
        dir: PathBuf,
        /// Files or directories (searched recursively); `-` reads standard input.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Directory for the results (refused if it exists, unless --force).
        #[arg(long, short)]
        out: PathBuf,
        /// Replace the results in an existing output directory.
        #[arg(long)]
        force: bool,
        /// Format of the kept documents.
        #[arg(long, value_enum, default_value = "jsonl")]
        output_format: OutputArg,
        /// Commit every N documents, rounded up to whole chunks of 2,048
        /// (each commit is all or nothing); 0, the
        /// default, commits the whole input at once, so that a failed add
        /// leaves the index as it was and can simply be run again.
        #[arg(long, default_value_t = 0)]
        commit_every: usize,
        #[command(flatten)]
        input: InputArgs,
        /// Only to check: refused if they differ from the index's.
        #[command(flatten)]
        params: Params,
    },
    /// Check documents against the index without adding them: one JSON line
    /// per document on stdout. Works while a writer adds.
    Query {
        dir: PathBuf,
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Parameters and totals of an index, as JSON.
    Stats { dir: PathBuf },
}

#[derive(Args, Debug)]
pub struct InputArgs {
    /// Input format; by default each file's extension decides.
    #[arg(long, value_enum)]
    pub input_format: Option<FormatArg>,
    #[arg(long, default_value = "id")]
    pub id_field: String,
    #[arg(long, default_value = "text")]
    pub text_field: String,
    #[arg(long, default_value = "date")]
    pub date_field: String,
    #[arg(long, default_value = "url")]
    pub url_field: String,
    /// Documents larger than this many bytes are bad input.
    #[arg(long, default_value_t = thresh_io::DEFAULT_MAX_DOCUMENT_BYTES)]
    pub max_document_bytes: u64,
    /// Skip bad records and count them, instead of stopping.
    #[arg(long)]
    pub skip_bad: bool,
    /// Print the summary as JSON on stdout (add).
    #[arg(long)]
    pub json: bool,
    /// No progress display.
    #[arg(long, short)]
    pub quiet: bool,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
}

impl InputArgs {
    fn fields(&self) -> FieldNames {
        FieldNames {
            id: self.id_field.clone(),
            text: self.text_field.clone(),
            date: self.date_field.clone(),
            url: self.url_field.clone(),
            ..FieldNames::default()
        }
    }

    fn read_options(&self) -> ReadOptions {
        ReadOptions {
            format: self.input_format.map(FormatArg::input_format),
            fields: self.fields(),
            max_document_bytes: self.max_document_bytes,
        }
    }
}

/// Matching parameters: defaults for `create`, checks for `add`.
#[derive(Args, Debug, Default)]
pub struct Params {
    /// Words per shingle [create default: 5].
    #[arg(long)]
    pub ngram: Option<usize>,
    /// MinHash signature length [create default: 128].
    #[arg(long)]
    pub num_perm: Option<usize>,
    /// Jaccard similarity at or above which documents are near duplicates [create default: 0.7].
    #[arg(long)]
    pub threshold: Option<f64>,
    /// LSH bands (with --rows; default: chosen from --threshold).
    #[arg(long, requires = "rows")]
    pub bands: Option<usize>,
    #[arg(long, requires = "bands")]
    pub rows: Option<usize>,
    #[arg(long, value_enum)]
    pub minhash: Option<SchemeArg>,
    /// Only exact duplicates (no MinHash).
    #[arg(long)]
    pub exact_only: bool,
    #[arg(long)]
    pub seed: Option<u64>,
    #[arg(long)]
    pub keep_case: bool,
    #[arg(long)]
    pub keep_punctuation: bool,
    #[arg(long)]
    pub no_nfkc: bool,
}

impl Params {
    /// `base` with every parameter given on the command line applied.
    fn apply(&self, base: &MatchConfig) -> MatchConfig {
        let mut config = base.clone();
        if let Some(ngram) = self.ngram {
            config.ngram = ngram;
        }
        if let Some(num_perm) = self.num_perm {
            config.num_perm = num_perm;
            config.lsh = None;
        }
        if let Some(threshold) = self.threshold {
            config.threshold = threshold;
            config.lsh = None;
        }
        if let (Some(bands), Some(rows)) = (self.bands, self.rows) {
            config.lsh = Some(LshParams { bands, rows });
        }
        if let Some(scheme) = self.minhash {
            config.scheme = match scheme {
                SchemeArg::OnePermutation => MinHashScheme::OnePermutation,
                SchemeArg::Classic => MinHashScheme::Classic,
                SchemeArg::Circulant => MinHashScheme::Circulant,
            };
        }
        if let Some(seed) = self.seed {
            config.seed = seed;
        }
        config.near_duplicates &= !self.exact_only;
        config.normalize.lowercase &= !self.keep_case;
        config.normalize.fold_punctuation &= !self.keep_punctuation;
        config.normalize.nfkc &= !self.no_nfkc;
        config
    }

    fn any(&self) -> bool {
        self.ngram.is_some()
            || self.num_perm.is_some()
            || self.threshold.is_some()
            || self.bands.is_some()
            || self.minhash.is_some()
            || self.seed.is_some()
            || self.exact_only
            || self.keep_case
            || self.keep_punctuation
            || self.no_nfkc
    }
}

pub fn run(cmd: IndexCommand) -> Result<()> {
    match cmd {
        IndexCommand::Create { dir, params } => create(&dir, &params),
        IndexCommand::Add {
            dir,
            inputs,
            out,
            force,
            output_format,
            commit_every,
            input,
            params,
        } => add(
            &dir,
            &inputs,
            &out,
            force,
            output_format,
            commit_every,
            &input,
            &params,
        ),
        IndexCommand::Query { dir, inputs, input } => query(&dir, &inputs, &input),
        IndexCommand::Stats { dir } => stats(&dir),
    }
}

fn create(dir: &Path, params: &Params) -> Result<()> {
    let config = params.apply(&MatchConfig::default());
    let index = Index::create(dir, &config)?;
    let lsh = index.config().lsh_params();
    eprintln!(
        "thresh: created index {} (ngram {}, {} permutations, threshold {}, {} × {} bands)",
        dir.display(),
        config.ngram,
        config.num_perm,
        config.threshold,
        lsh.bands,
        lsh.rows
    );
    Ok(())
}

/// Read `inputs` in chunks, stopping at the first bad record unless
/// `skip_bad` (then counted by kind into `skipped`).
fn for_each_chunk(
    inputs: Vec<Input>,
    args: &InputArgs,
    skipped: &mut BTreeMap<&'static str, usize>,
    mut work: impl FnMut(Vec<Document>) -> Result<()>,
) -> Result<()> {
    let mut reader = DocumentReader::new(inputs, args.read_options());
    loop {
        let batch = reader.next_batch(CHUNK);
        if batch.is_empty() {
            return Ok(());
        }
        let documents = good_documents(batch, args.skip_bad, skipped)?;
        work(documents)?;
    }
}

fn doc_json(doc: &DocRef) -> serde_json::Value {
    json!({ "id": doc.source_id, "index_id": doc.id, "date": doc.date })
}

/// A cluster in the making: a kept document (of this add or an earlier
/// one) and this add's duplicates that lead back to it.
struct Group {
    representative: DocRef,
    members: Vec<serde_json::Value>,
}

#[allow(clippy::too_many_arguments)]
fn add(
    dir: &Path,
    inputs: &[PathBuf],
    out: &Path,
    force: bool,
    output_format: OutputArg,
    commit_every: usize,
    args: &InputArgs,
    params: &Params,
) -> Result<()> {
    let started = Instant::now();
    start_threads(args.threads)?;
    let index = Index::open(dir)?;
    if params.any() {
        index.check_config(&params.apply(index.config()))?;
    }
    prepare_output_dir(
        out,
        force,
        &[
            "kept.jsonl",
            "kept.parquet",
            "clusters.jsonl",
            "summary.json",
        ],
    )?;
    let inputs = resolve_inputs(inputs, out)?;
    let (kept_name, format) = match output_format {
        OutputArg::Jsonl => ("kept.jsonl", OutputFormat::Jsonl),
        OutputArg::Parquet => ("kept.parquet", OutputFormat::Parquet),
    };
    let mut kept_writer = KeptWriter::create(&out.join(kept_name), format, args.fields())?;
    let bar = progress::documents(args.quiet, "adding");
    let mut skipped = BTreeMap::new();
    let mut groups: BTreeMap<u64, Group> = BTreeMap::new();
    let (mut documents, mut kept, mut exact, mut near) = (0u64, 0u64, 0u64, 0u64);
    let mut committed = Vec::new();
    let mut batch = index.begin()?;
    let mut match_time = 0.0;
    let commit = |batch, committed: &mut Vec<serde_json::Value>| -> Result<()> {
        let summary = index.commit(batch)?;
        if !args.quiet {
            eprintln!(
                "committed batch {}: index ids {}–{}",
                summary.batch,
                summary.first_id,
                (summary.first_id + summary.documents).saturating_sub(1)
            );
        }
        committed.push(serde_json::to_value(summary)?);
        Ok(())
    };
    let result = for_each_chunk(inputs, args, &mut skipped, |docs| {
        let matching = Instant::now();
        let first_id = batch.next_id();
        let verdicts = index.push(&mut batch, &docs)?;
        match_time += matching.elapsed().as_secs_f64();
        for (i, (doc, verdict)) in docs.iter().zip(verdicts).enumerate() {
            documents += 1;
            match verdict {
                Verdict::New => {
                    kept += 1;
                    kept_writer.write(doc, None)?;
                }
                Verdict::Duplicate(m) => {
                    match m.kind {
                        MatchKind::Exact => exact += 1,
                        MatchKind::Near => near += 1,
                    }
                    groups
                        .entry(m.root.id)
                        .or_insert_with(|| Group {
                            representative: m.root.clone(),
                            members: Vec::new(),
                        })
                        .members
                        .push(json!({
                            "id": doc.id,
                            "index_id": first_id + i as u64,
                            "similarity": round4(m.similarity),
                            "kind": kind_name(m.kind),
                            "matched": doc_json(&m.matched),
                        }));
                }
            }
        }
        bar.set_position(documents);
        if commit_every > 0 && batch.len() >= commit_every {
            // Later chunks match against what is committed here.
            let next = index.begin()?;
            commit(std::mem::replace(&mut batch, next), &mut committed)?;
            batch = index.begin()?;
        }
        Ok(())
    });
    bar.finish_and_clear();
    result?;
    if !batch.is_empty() || committed.is_empty() {
        commit(batch, &mut committed)?;
    }
    kept_writer.finish()?;
    write_clusters(&out.join("clusters.jsonl"), &groups)?;
    let counts = index.counts()?;
    let summary = json!({
        "documents": documents,
        "kept": kept,
        "exact_duplicates": exact,
        "near_duplicates": near,
        "clusters": groups.len(),
        "skipped_bad": skipped.values().sum::<usize>(),
        "skipped_by_reason": skipped,
        "batches": committed,
        "index": {
            "directory": dir.display().to_string(),
            "documents": counts.documents,
            "kept": counts.kept,
            "bytes": index.bytes_on_disk(),
        },
        "seconds": {
            "match": match_time,
            "total": started.elapsed().as_secs_f64(),
        },
        // The whole deduplication configuration (matching, and the index's
        // fixed keep and verify), as this summary has always printed it.
        "parameters": index.parameters(),
        "thresh_version": env!("CARGO_PKG_VERSION"),
    });
    let text = serde_json::to_string_pretty(&summary)?;
    fs::write(out.join("summary.json"), format!("{text}\n"))
        .with_context(|| format!("{}: could not write", out.join("summary.json").display()))?;
    if args.json {
        println!("{text}");
    } else if !args.quiet {
        eprintln!(
            "thresh: {documents} documents, {kept} new, {exact} exact and {near} near duplicates; index now holds {} → {}",
            counts.documents,
            out.display()
        );
    }
    Ok(())
}

fn write_clusters(path: &Path, groups: &BTreeMap<u64, Group>) -> Result<()> {
    let file =
        fs::File::create(path).with_context(|| format!("{}: could not create", path.display()))?;
    let mut out = BufWriter::new(file);
    for (number, group) in groups.values().enumerate() {
        let line = json!({
            "cluster": number + 1,
            "representative": group.representative.source_id,
            "representative_index_id": group.representative.id,
            "representative_date": group.representative.date,
            "members": group.members,
        });
        writeln!(out, "{line}").with_context(|| format!("{}: could not write", path.display()))?;
    }
    out.flush()
        .with_context(|| format!("{}: could not write", path.display()))
}

fn query(dir: &Path, inputs: &[PathBuf], args: &InputArgs) -> Result<()> {
    start_threads(args.threads)?;
    let index = Index::open_read_only(dir)?;
    let spool = tempfile_dir()?;
    let inputs = resolve_inputs(inputs, spool.path())?;
    let mut batch = index.begin()?;
    let mut skipped = BTreeMap::new();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut documents, mut new) = (0u64, 0u64);
    for_each_chunk(inputs, args, &mut skipped, |docs| {
        for (doc, verdict) in docs.iter().zip(index.push(&mut batch, &docs)?) {
            documents += 1;
            let line = match verdict {
                Verdict::New => {
                    new += 1;
                    json!({ "id": doc.id, "new": true })
                }
                Verdict::Duplicate(m) => json!({
                    "id": doc.id,
                    "new": false,
                    "kind": kind_name(m.kind),
                    "similarity": round4(m.similarity),
                    "matched": doc_json(&m.matched),
                    "representative": doc_json(&m.root),
                }),
            };
            writeln!(out, "{line}")?;
        }
        Ok(())
    })?;
    out.flush()?;
    if !args.quiet {
        eprintln!(
            "thresh: {documents} documents, {new} new, {} already seen (nothing added)",
            documents - new
        );
    }
    Ok(())
}

/// A private directory for spooling standard input (query writes no files).
fn tempfile_dir() -> Result<TempDir> {
    TempDir::new()
}

/// Removed with its contents when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir> {
        let path = std::env::temp_dir().join(format!("thresh-query-{}", std::process::id()));
        fs::create_dir_all(&path)
            .with_context(|| format!("{}: could not create", path.display()))?;
        Ok(TempDir(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn stats(dir: &Path) -> Result<()> {
    let index = Index::open_read_only(dir)?;
    let counts = index.counts()?;
    let bytes = index.bytes_on_disk();
    let config = index.config();
    let lsh = config.lsh_params();
    let summary = json!({
        "directory": dir.display().to_string(),
        "format_version": index.header().format_version,
        "created_by": index.header().thresh_version,
        "documents": counts.documents,
        "kept": counts.kept,
        "exact_duplicates": counts.exact_duplicates,
        "near_duplicates": counts.near_duplicates,
        "batches": counts.batches,
        "bytes": bytes,
        "bytes_per_document": bytes.checked_div(counts.documents).unwrap_or(0),
        "parameters": {
            "normalize": config.normalize,
            "ngram": config.ngram,
            "num_perm": config.num_perm,
            "threshold": config.threshold,
            "bands": lsh.bands,
            "rows": lsh.rows,
            "minhash": config.scheme,
            "near_duplicates": config.near_duplicates,
            "seed": config.seed,
        },
    });
    println!("{}", serde_json::to_string_pretty(&summary)?);
    Ok(())
}
