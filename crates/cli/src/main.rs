//! `thresh`: separate the news from its repeats.
//!
//! This crate owns the command line only: flags (shared ones in `args`),
//! progress and notes on stderr, and choosing the files. The pipelines and
//! the output files are the `thresh` library's; one module per subcommand
//! turns flags into its options.

mod args;
mod dedup_cmd;
mod extract_cmd;
mod index_cmd;
mod progress;
mod terminal;
mod timeline_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "thresh",
    version,
    about = "Separate the news from its repeats: deduplicate crawled news and consolidate live blogs."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find exact and near-duplicate documents (and repeated paragraphs) and
    /// write the documents to keep, the clusters and a summary.
    Dedup(dedup_cmd::DedupArgs),
    /// Consolidate repeated crawls of a live blog into one timeline of
    /// unique posts, newest first, with bylines, times and versions.
    Timeline(timeline_cmd::TimelineArgs),
    /// Extract the article (title, byline, date, text) from WARC records and
    /// HTML pages, and write the documents as JSONL.
    Extract(extract_cmd::ExtractArgs),
    /// A persistent index: check each day's crawl against everything seen before.
    Index {
        #[command(subcommand)]
        command: index_cmd::IndexCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Dedup(args) => dedup_cmd::run(args),
        Command::Timeline(args) => timeline_cmd::run(args),
        Command::Extract(args) => extract_cmd::run(args),
        Command::Index { command } => index_cmd::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of a pipe has all it wanted (`thresh … | head`).
        Err(error) if terminal::is_closed_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("thresh: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
