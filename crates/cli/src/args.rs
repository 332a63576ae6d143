//! Arguments shared by the subcommands, defined once and flattened into
//! each, so that the same concept has the same flag everywhere: how inputs
//! are read, how documents are matched, where results go, how a run runs.
//! Option enums are the library's own (they parse themselves with clap's
//! `ValueEnum`).

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use thresh::read::InputOptions;
use thresh_engine::lsh::LshParams;
use thresh_engine::minhash::MinHashScheme;
use thresh_engine::MatchConfig;
use thresh_io::{FieldNames, InputFormat, OutputFormat, ReadOptions};

/// Which documents to read and how.
#[derive(Args, Debug)]
pub struct InputArgs {
    /// Files or directories (searched recursively, in sorted order) to
    /// read; `-` reads standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Read every input as this format, instead of deciding by each file's
    /// extension (.jsonl, .parquet, .warc, .html/.htm, anything else is
    /// plain text; .gz and .zst are decompressed).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,

    /// JSONL/Parquet field holding the document id (default: the file and line).
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

    /// Documents larger than this many bytes are bad input.
    #[arg(long, default_value_t = thresh_io::DEFAULT_MAX_DOCUMENT_BYTES)]
    pub max_document_bytes: u64,

    /// Skip bad records (invalid UTF-8, malformed lines or WARC records,
    /// missing text, empty or huge documents, unreadable files) and count
    /// them, instead of stopping at the first.
    #[arg(long)]
    pub skip_bad: bool,
}

impl InputArgs {
    /// Field names for readers and for the kept documents' writer.
    pub fn fields(&self) -> FieldNames {
        FieldNames {
            id: self.id_field.clone(),
            text: self.text_field.clone(),
            date: self.date_field.clone(),
            url: self.url_field.clone(),
            ..FieldNames::default()
        }
    }

    pub fn options(&self) -> InputOptions {
        InputOptions {
            read: ReadOptions {
                format: self.input_format,
                fields: self.fields(),
                max_document_bytes: self.max_document_bytes,
                ..ReadOptions::default()
            },
            skip_bad: self.skip_bad,
        }
    }
}

/// How a run runs.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Worker threads (default: all cores; at most four a core). Results do
    /// not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,

    /// No progress display and no notes on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

impl RunArgs {
    /// Size the global worker pool (default: all cores). More than
    /// [`MAX_THREADS_PER_CORE`] workers a core are cut to that, with a
    /// warning: results never depend on the count, and `--threads 100000`
    /// spent minutes starting threads.
    pub fn start_threads(&self) -> Result<()> {
        let Some(asked) = self.threads else {
            return Ok(());
        };
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let bound = cores * MAX_THREADS_PER_CORE;
        if asked > bound && !self.quiet {
            eprintln!(
                "thresh: --threads {asked} is more than {MAX_THREADS_PER_CORE} a core on \
                 {cores} cores: using {bound}"
            );
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(asked.clamp(1, bound))
            .build_global()
            .context("could not start the worker threads")
    }
}

/// The most worker threads `--threads` starts per core.
pub const MAX_THREADS_PER_CORE: usize = 4;

/// An output directory of results (dedup, index add).
#[derive(Args, Debug)]
pub struct OutputDirArgs {
    /// Directory for the results (refused if it exists, unless --force).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,

    /// Replace the results in an existing output directory.
    #[arg(long)]
    pub force: bool,

    /// Format of the kept documents.
    #[arg(long, value_enum, default_value = "jsonl")]
    pub output_format: OutputFormat,

    /// Print the summary as JSON on standard output.
    #[arg(long)]
    pub json: bool,
}

/// What decides that two documents match. Every option left out keeps the
/// base configuration's value: the defaults for `dedup` and `index
/// create`, the index's own for `index add` (where they are only checked).
#[derive(Args, Debug, Default)]
pub struct MatchArgs {
    /// Words per shingle [default: 5].
    #[arg(long)]
    pub ngram: Option<usize>,
    /// MinHash signature length [default: 128].
    #[arg(long)]
    pub num_perm: Option<usize>,
    /// Jaccard similarity at or above which documents are near duplicates
    /// [default: 0.7].
    #[arg(long)]
    pub threshold: Option<f64>,
    /// LSH bands (with --rows; default: chosen from --threshold).
    #[arg(long, requires = "rows")]
    pub bands: Option<usize>,
    /// LSH rows per band (with --bands).
    #[arg(long, requires = "bands")]
    pub rows: Option<usize>,
    /// MinHash construction [default: one-permutation].
    #[arg(long, value_enum)]
    pub minhash: Option<MinHashScheme>,
    /// Only exact duplicates (no MinHash).
    #[arg(long)]
    pub exact_only: bool,
    /// Seed of the hash functions [default: 42].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Keep case when normalizing.
    #[arg(long)]
    pub keep_case: bool,
    /// Keep typographic punctuation (’ “ – …) when normalizing.
    #[arg(long)]
    pub keep_punctuation: bool,
    /// Keep compatibility forms (no Unicode NFKC) when normalizing.
    #[arg(long)]
    pub no_nfkc: bool,
}

impl MatchArgs {
    /// `base` with every option given on the command line applied. A new
    /// signature length or threshold drops `base`'s explicit banding, so
    /// that it is chosen again from the threshold.
    pub fn apply(&self, base: &MatchConfig) -> MatchConfig {
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
            config.scheme = scheme;
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

    /// Whether any option was given.
    pub fn any(&self) -> bool {
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
