//! `thresh timeline SNAPSHOT...`: flags for [`thresh::timeline`] (repeated
//! crawls of a live blog into one timeline of unique posts) and where the
//! rendered timeline goes.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use thresh::output::PendingFile;
use thresh::read::resolve_inputs;
use thresh::timeline::timeline;
use thresh_engine::timeline::render::{render, Format};
use thresh_engine::timeline::{GroupBy, TimelineOptions};

use crate::args::{InputArgs, RunArgs};
use crate::terminal::{print, warn_empty_directories};

/// Arguments of `thresh timeline`.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Snapshots: text files (first line ` date YYYY-MM-DD Title` optional),
    /// JSONL files of records with url, date, title and text, WARC files
    /// (each HTML capture one snapshot), HTML pages, or directories of them.
    #[command(flatten)]
    pub input: InputArgs,

    /// Output format (`--format` is the same flag). As in every command,
    /// `--input-format` is what the inputs are.
    #[arg(
        long = "output-format",
        value_enum,
        default_value = "markdown",
        visible_alias = "format"
    )]
    pub format: Format,

    /// Which snapshots make one timeline: same URL (falling back to the
    /// title), same title, or all of them. `auto` uses URLs when the inputs
    /// have any.
    #[arg(long, value_enum, default_value = "auto")]
    pub group_by: GroupBy,

    /// Write the timeline to this file instead of standard output.
    #[arg(short, long, value_name = "FILE", alias = "output")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub run: RunArgs,
}

/// Run `thresh timeline`.
pub fn run(args: TimelineArgs) -> Result<()> {
    args.run.start_threads()?;
    let spool = tempfile::tempdir()?;
    let inputs = resolve_inputs(&args.input.inputs, spool.path())?;
    let empty = warn_empty_directories(&args.input.inputs, &inputs, args.run.quiet);
    if inputs.is_empty() && empty > 0 {
        // Nothing to read is a warning, as for every command: no timeline.
        return write_output(args.out.as_deref(), "");
    }
    let options = TimelineOptions {
        group_by: args.group_by,
        ..TimelineOptions::default()
    };
    let run = timeline(&inputs, &args.input.options(), &options)?;
    if run.timelines.is_empty() {
        bail!("no snapshots to read in {}", describe(&args.input.inputs));
    }
    if !args.run.quiet {
        for note in &run.notes {
            eprintln!("thresh timeline: {note}");
        }
    }
    write_output(args.out.as_deref(), &render(&run.timelines, args.format))
}

fn describe(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the timeline to `path`, under a temporary name until it is
/// whole, or to standard output.
fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(path) => {
            let pending = PendingFile::new(path);
            std::fs::write(pending.path(), text)
                .with_context(|| format!("cannot write {}", pending.path().display()))?;
            pending.commit()
        }
        None => print(text),
    }
}
