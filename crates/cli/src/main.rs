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
mod serve_cmd;
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
    /// Serve an index over HTTP/JSON: check documents ("is this new?") and
    /// add them while other clients check.
    Serve(serve_cmd::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Dedup(args) => dedup_cmd::run(args),
        Command::Timeline(args) => timeline_cmd::run(args),
        Command::Extract(args) => extract_cmd::run(args),
        Command::Index { command } => index_cmd::run(command),
        Command::Serve(args) => serve_cmd::run(args),
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

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// Every option of every command says what it does in `--help`, and
    /// what the inputs are is `--input-format` everywhere, under no other
    /// name (extract once took `--format` for it, which a timeline takes
    /// for its output).
    #[test]
    fn every_option_has_help_and_the_input_format_one_name() {
        let mut commands = vec![Cli::command()];
        let mut input_format_flags = 0;
        while let Some(command) = commands.pop() {
            for arg in command.get_arguments() {
                let name = format!("{} --{}", command.get_name(), arg.get_id());
                assert!(arg.get_help().is_some(), "{name} has no help text");
                let takes_input_formats = arg
                    .get_possible_values()
                    .iter()
                    .any(|value| value.get_name() == "warc");
                if takes_input_formats {
                    input_format_flags += 1;
                    assert_eq!(arg.get_long(), Some("input-format"), "{name}");
                    assert!(arg.get_all_aliases().is_none(), "{name} has another name");
                }
            }
            commands.extend(command.get_subcommands().cloned());
        }
        // dedup, timeline, extract, index add, index query.
        assert_eq!(input_format_flags, 5);
    }
}
