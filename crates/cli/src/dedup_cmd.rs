//! `thresh dedup`: flags for [`thresh::dedup`], the output directory and
//! what is said on the terminal.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use thresh::dedup::{dedup, DedupOptions, Level, SubstringOptions};
use thresh::output::{DedupDir, OutputDir, REPORT};
use thresh::read::{by_reason, resolve_inputs};
use thresh::records::DedupSummary;
use thresh::report::{collect_texts, render, wanted_ids, ReportLimits, ReportSink};
use thresh::spill::MemoryBudget;
use thresh_engine::cluster::KeepPolicy;
use thresh_engine::dedup::{DedupConfig, Verify};
use thresh_engine::substring::{SpanIndex, SubstringConfig, Unit};
use thresh_engine::MatchConfig;

use crate::args::{InputArgs, MatchArgs, OutputDirArgs, RunArgs};
use crate::progress::Spinner;
use crate::terminal::{note_replaced, print_line, warn_empty_directories};

#[derive(Args, Debug)]
pub struct DedupArgs {
    #[command(flatten)]
    pub input: InputArgs,

    #[command(flatten)]
    pub output: OutputDirArgs,

    /// What to deduplicate: whole documents, paragraphs, both, repeated
    /// spans (substring), or all three in that order.
    #[arg(long, value_enum, default_value = "doc")]
    pub level: Level,

    /// At substring level, the shortest repeated span removed, in units.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub min_span: usize,

    /// At substring level, what spans are measured in: words after
    /// normalization (case, quotes, dashes, punctuation and spacing do not
    /// matter) or bytes as read.
    #[arg(long, value_enum, default_value = "token")]
    pub unit: Unit,

    /// At substring level, how repeats are found: by hashing every window
    /// within the --memory budget (more text, more passes), or with a
    /// suffix array of the whole text (5 bytes a byte). Both find the same
    /// spans.
    #[arg(long, value_enum, default_value = "hashed")]
    pub span_index: SpanIndex,

    /// At substring level, search the corpus in N shards of about equal
    /// size, two in memory at a time, for corpora larger than memory: about
    /// N times the time of one search. The same spans are removed.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub span_shards: usize,

    /// At substring level, report repeated spans in removed_spans.jsonl but
    /// leave them in the kept text.
    #[arg(long)]
    pub keep_spans: bool,

    #[command(flatten)]
    pub matching: MatchArgs,

    /// How candidate pairs are confirmed: on the exact shingle sets (exact
    /// similarities; every document's shingles wait in a temporary file until
    /// the candidates are known), or on the signatures (kept in memory; less
    /// exact).
    #[arg(long, value_enum, default_value = "exact")]
    pub verify: Verify,

    /// Where the temporary files go: every document's band keys (8 bytes a
    /// band) and, for exact verification, its shingles (4 bytes a word);
    /// with --span-shards, the kept texts (a byte a byte).
    /// They have no name and are gone when the run ends.
    /// [default: the output directory]
    #[arg(long, value_name = "DIR")]
    pub tmp_dir: Option<PathBuf>,

    /// How much memory the per-document stores may hold before they move to
    /// temporary files in --tmp-dir (band keys sorted in parts, exact hashes
    /// grouped by an external sort, ids and facts read back from disk): the
    /// result is the same, only where the data waits changes. Beyond it a
    /// run keeps about 11 bytes a document, the candidate pairs and the
    /// clusters. At substring level, it also bounds the window hashes held
    /// at once (more passes, same spans). A size such as 512M or 4G.
    /// [default: a quarter of this machine's memory, or of its cgroup's limit, at most 2G]
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub memory: Option<u64>,

    /// Which copy of a cluster survives.
    #[arg(long, value_enum, default_value = "earliest")]
    pub keep: KeepPolicy,

    /// At paragraph level, never remove paragraphs shorter than this many words.
    #[arg(long, default_value_t = 0)]
    pub min_paragraph_words: usize,

    /// Write only clusters.jsonl and summary.json.
    #[arg(long)]
    pub dry_run: bool,

    /// Also write report.html: the counts, the largest clusters with each
    /// removed copy beside the kept one (changed words marked), and the
    /// removed paragraphs, with a search box; one file that opens offline.
    /// The shown clusters' texts are read from the inputs once more.
    #[arg(long)]
    pub report: bool,

    #[command(flatten)]
    pub run: RunArgs,
}

impl DedupArgs {
    fn options(&self) -> DedupOptions {
        let matching = self.matching.apply(&MatchConfig::default());
        let normalize = matching.normalize;
        DedupOptions {
            input: self.input.options(),
            config: DedupConfig {
                matching,
                verify: self.verify,
                keep: self.keep,
            },
            level: self.level,
            min_paragraph_words: self.min_paragraph_words,
            substring: SubstringOptions {
                config: SubstringConfig {
                    unit: self.unit,
                    min_span: self.min_span,
                    normalize,
                    index: self.span_index,
                },
                keep_spans: self.keep_spans,
                shards: self.span_shards,
            },
            temp_dir: Some(
                self.tmp_dir
                    .clone()
                    .unwrap_or_else(|| self.output.out.clone()),
            ),
            memory: self
                .memory
                .map_or_else(MemoryBudget::for_this_machine, MemoryBudget::new),
        }
    }
}

/// A size in bytes: a number with an optional K, M, G or T (powers of
/// 1024; a trailing B or iB is allowed).
fn parse_size(text: &str) -> Result<u64, String> {
    let upper = text.trim().to_ascii_uppercase();
    let number = upper.trim_end_matches("IB").trim_end_matches('B');
    let (digits, unit) = match number.char_indices().last() {
        Some((at, 'K')) => (&number[..at], 1u64 << 10),
        Some((at, 'M')) => (&number[..at], 1 << 20),
        Some((at, 'G')) => (&number[..at], 1 << 30),
        Some((at, 'T')) => (&number[..at], 1 << 40),
        _ => (number, 1),
    };
    match digits.trim().parse::<f64>() {
        Ok(value) if value > 0.0 && value.is_finite() => Ok((value * unit as f64) as u64),
        _ => Err(format!(
            "{text:?} is not a size: give a number of bytes, or one with K, M, G or T (512M, 4G)"
        )),
    }
}

pub fn run(args: DedupArgs) -> Result<()> {
    let options = options_checked(&args)?;
    args.run.start_threads()?;
    let out = &args.output.out;
    let mut out_dir = OutputDir::prepare(out, args.output.force)?;
    note_replaced(&out_dir, args.run.quiet);
    let inputs = resolve_inputs(&args.input.inputs, out)?;
    warn_empty_directories(&args.input.inputs, &inputs, args.run.quiet);
    let mut sink = DedupDir::create(
        &mut out_dir,
        args.output.output_format,
        args.input.fields(),
        args.level,
        args.dry_run,
    )?;
    let progress = Spinner::new(args.run.quiet);
    let summary = if args.report {
        let mut watched = ReportSink::new(&mut sink, ReportLimits::default());
        let summary = dedup(&inputs, &options, &mut watched, &progress)?;
        let data = watched.into_data();
        let texts = collect_texts(
            &inputs,
            &options.input,
            &wanted_ids(&data),
            ReportLimits::default().text_chars,
        )?;
        write_report(&mut out_dir, &render(&summary, &data, &texts))?;
        summary
    } else {
        dedup(&inputs, &options, &mut sink, &progress)?
    };
    let text = out_dir.finish(&summary)?;
    if args.output.json {
        print_line(&text)?;
    } else if !args.run.quiet {
        report(&summary, &out.display().to_string());
    }
    Ok(())
}

/// Writes the report page as `report.html` of the run.
fn write_report(out_dir: &mut OutputDir, page: &str) -> Result<()> {
    let path = out_dir.file(REPORT);
    std::fs::write(&path, page).with_context(|| format!("{}: could not write", path.display()))
}

/// The options, refused before anything is written when they are invalid.
fn options_checked(args: &DedupArgs) -> Result<DedupOptions> {
    let options = args.options();
    options
        .config
        .matching
        .validate()
        .map_err(anyhow::Error::msg)?;
    if options.level.substrings() && options.substring.config.min_span == 0 {
        anyhow::bail!("--min-span must be at least 1");
    }
    Ok(options)
}

fn report(summary: &DedupSummary, out: &str) {
    eprintln!(
        "thresh: {} documents, {} kept, {} exact and {} near duplicates in {} clusters → {out}",
        summary.documents,
        summary.kept,
        summary.exact_duplicates,
        summary.near_duplicates,
        summary.clusters,
    );
    if summary.not_documents > 0 {
        eprintln!(
            "thresh: {} records held no document ({})",
            summary.not_documents,
            by_reason(summary.not_documents_by_reason.clone())
        );
    }
}
