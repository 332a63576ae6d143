//! `thresh index`: flags for [`thresh::index`] (a persistent index, so that
//! each day's crawl is checked against everything seen before).
//!
//! - `create DIR` fixes the matching parameters;
//! - `add DIR INPUT... --out OUT` decides each document (new, or a duplicate
//!   of which earlier one), adds them all, and writes `kept.jsonl`,
//!   `clusters.jsonl` and `summary.json` as `thresh dedup` does;
//! - `query DIR INPUT...` decides without adding (JSON lines on stdout);
//! - `stats DIR` prints the index's parameters and totals;
//! - `verify DIR` checks every byte of it and names what is damaged.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, Subcommand};
use thresh::index::{add, query, stats, AddOptions, AddSink};
use thresh::output::{JsonLines, KeptFile, OutputDir, CLUSTERS};
use thresh::read::resolve_inputs;
use thresh::records::{json_line, json_pretty, AddSummary, IndexClusterRecord};
use thresh_engine::{Document, MatchConfig};
use thresh_index::{BatchSummary, Index};

use crate::args::{InputArgs, MatchArgs, OutputDirArgs, RunArgs};
use crate::progress::Spinner;
use crate::terminal::{note_replaced, print_line, warn_empty_directories};

#[derive(Subcommand, Debug)]
pub enum IndexCommand {
    /// Create an index, fixing its matching parameters for good.
    Create {
        /// Directory of the index (created).
        dir: PathBuf,
        #[command(flatten)]
        matching: MatchArgs,
    },
    /// Check documents against the index and add them; write the kept
    /// documents, the clusters (with the earlier document each duplicate
    /// matched) and a summary.
    Add(AddArgs),
    /// Check documents against the index without adding them: one JSON line
    /// per document on stdout. Works while a writer adds.
    Query {
        /// Directory of the index.
        dir: PathBuf,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Parameters and totals of an index, as JSON.
    Stats {
        /// Directory of the index.
        dir: PathBuf,
    },
    /// Check every byte of an index: the store's structure, each document
    /// record's checksum and links, each run file's blocks and entries.
    /// Names everything damaged and exits 1; needs the writer's lock.
    Verify {
        /// Directory of the index.
        dir: PathBuf,
    },
}

#[derive(Args, Debug)]
pub struct AddArgs {
    /// Directory of the index.
    dir: PathBuf,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputDirArgs,
    /// Commit every N documents (each commit is all or nothing); 0, the
    /// default, commits the whole input at once, so that a failed add leaves
    /// the index as it was and can simply be run again. Commits of fewer
    /// than 16,384 documents match in smaller pushes, which is slower.
    #[arg(long, default_value_t = 0)]
    commit_every: usize,
    /// Only to check: refused if they differ from the index's.
    #[command(flatten)]
    matching: MatchArgs,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(cmd: IndexCommand) -> Result<()> {
    match cmd {
        IndexCommand::Create { dir, matching } => create(&dir, &matching),
        IndexCommand::Add(args) => add_cmd(&args),
        IndexCommand::Query { dir, input, run } => query_cmd(&dir, &input, &run),
        IndexCommand::Stats { dir } => {
            let index = Index::open_read_only(&dir)?;
            print_line(&json_pretty(&stats(&index)?)?)?;
            Ok(())
        }
        IndexCommand::Verify { dir } => verify(&dir),
    }
}

fn verify(dir: &Path) -> Result<()> {
    let mut index = Index::open(dir)?;
    let counts = index.check()?;
    print_line(&format!(
        "{}: intact: {} documents in {} batches, {} bytes checked",
        dir.display(),
        counts.documents,
        counts.batches,
        index.bytes_on_disk()
    ))
}

fn create(dir: &Path, matching: &MatchArgs) -> Result<()> {
    let config = matching.apply(&MatchConfig::default());
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

/// The output directory of an add.
struct AddDir {
    kept: KeptFile,
    clusters: JsonLines,
    quiet: bool,
}

impl AddSink for AddDir {
    fn kept(&mut self, doc: &Document) -> Result<()> {
        self.kept.write(doc, None)
    }

    fn committed(&mut self, batch: &BatchSummary) -> Result<()> {
        if !self.quiet {
            eprintln!(
                "committed batch {}: index ids {}–{}",
                batch.batch,
                batch.first_id,
                (batch.first_id + batch.documents).saturating_sub(1)
            );
        }
        Ok(())
    }

    fn cluster(&mut self, record: &IndexClusterRecord) -> Result<()> {
        self.clusters.write(record)
    }
}

fn add_cmd(args: &AddArgs) -> Result<()> {
    args.run.start_threads()?;
    let index = Index::open(&args.dir)?;
    if args.matching.any() {
        index.check_config(&args.matching.apply(index.config()))?;
    }
    let out = &args.output.out;
    let mut out_dir = OutputDir::prepare(out, args.output.force)?;
    note_replaced(&out_dir, args.run.quiet);
    let inputs = resolve_inputs(&args.input.inputs, out)?;
    warn_empty_directories(&args.input.inputs, &inputs, args.run.quiet);
    let mut sink = AddDir {
        kept: KeptFile::create(&mut out_dir, args.output.output_format, args.input.fields())?,
        clusters: JsonLines::create(out_dir.file(CLUSTERS))?,
        quiet: args.run.quiet,
    };
    let options = AddOptions {
        input: args.input.options(),
        commit_every: args.commit_every,
    };
    let summary = add(
        &index,
        &inputs,
        &options,
        &mut sink,
        &Spinner::new(args.run.quiet),
    )?;
    sink.kept.finish()?;
    sink.clusters.finish()?;
    let text = out_dir.finish(&summary)?;
    if args.output.json {
        print_line(&text)?;
    } else if !args.run.quiet {
        report(&summary, out);
    }
    Ok(())
}

fn report(summary: &AddSummary, out: &Path) {
    eprintln!(
        "thresh: {} documents, {} new, {} exact and {} near duplicates; index now holds {} → {}",
        summary.documents,
        summary.kept,
        summary.exact_duplicates,
        summary.near_duplicates,
        summary.index.documents,
        out.display()
    );
}

fn query_cmd(dir: &Path, input: &InputArgs, run: &RunArgs) -> Result<()> {
    run.start_threads()?;
    let index = Index::open_read_only(dir)?;
    // Standard input is spooled to a private directory (query writes no files).
    let spool = tempfile::tempdir()?;
    let inputs = resolve_inputs(&input.inputs, spool.path())?;
    warn_empty_directories(&input.inputs, &inputs, run.quiet);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let counts = query(&index, &inputs, &input.options(), |verdict| {
        writeln!(out, "{}", json_line(verdict)?)?;
        Ok(())
    })?;
    out.flush()?;
    if !run.quiet {
        eprintln!(
            "thresh: {} documents, {} new, {} already seen (nothing added)",
            counts.documents,
            counts.new,
            counts.documents - counts.new
        );
    }
    Ok(())
}
