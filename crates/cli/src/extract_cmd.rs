//! `thresh extract`: flags for [`thresh::extract`] (the articles of WARC
//! records, HTML pages and any other input, as JSONL) and where they go.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use thresh::extract::extract;
use thresh::output::PendingFile;
use thresh::read::{by_reason, resolve_inputs, without_own_output};

use crate::args::{InputArgs, RunArgs};
use crate::progress::Spinner;
use crate::terminal::warn_empty_directories;

#[derive(clap::Args, Debug)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Where to write the documents, one JSON object per line (`-` for
    /// standard output).
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,

    #[command(flatten)]
    pub run: RunArgs,
}

pub fn run(args: ExtractArgs) -> Result<()> {
    args.run.start_threads()?;
    // Standard input is spooled, so that its content tells its format.
    let spool = tempfile::tempdir()?;
    let inputs = resolve_inputs(&args.input.inputs, spool.path())?;
    let inputs = without_own_output(inputs, &args.out);
    warn_empty_directories(&args.input.inputs, &inputs, args.run.quiet);
    // A file is written under a temporary name and renamed once whole.
    let pending = (args.out.as_os_str() != "-").then(|| PendingFile::new(&args.out));
    let sink: Box<dyn Write> = match &pending {
        None => Box::new(io::stdout().lock()),
        Some(pending) => Box::new(
            File::create(pending.path())
                .with_context(|| format!("cannot create {}", args.out.display()))?,
        ),
    };
    let mut out = BufWriter::new(sink);
    let mut line = Vec::new();
    let progress = Spinner::new(args.run.quiet);
    let (written, tally) = extract(
        &inputs,
        &args.input.options(),
        |record| {
            line.clear();
            serde_json::to_writer(&mut line, record)?;
            line.push(b'\n');
            out.write_all(&line)
                .with_context(|| format!("cannot write {}", args.out.display()))
        },
        &progress,
    )?;
    out.flush()
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    drop(out);
    if let Some(pending) = pending {
        pending.commit()?;
    }

    if !args.run.quiet {
        let mut summary = format!("thresh: extracted {written} documents");
        if tally.not_documents.total() > 0 {
            summary += &format!(
                "; skipped {} records ({})",
                tally.not_documents.total(),
                by_reason(tally.not_documents.iter())
            );
        }
        if tally.skipped_bad_total() > 0 {
            summary += &format!(
                "; {} damaged records ({})",
                tally.skipped_bad_total(),
                by_reason(tally.skipped_bad.clone())
            );
        }
        eprintln!("{summary}");
    }
    Ok(())
}
