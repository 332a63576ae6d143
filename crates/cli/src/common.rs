//! Pieces every subcommand that reads documents and writes an output
//! directory shares: threads, inputs, bad-record policy, the directory.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use thresh_engine::dedup::MatchKind;
use thresh_engine::Document;
use thresh_io::{discover, Input, ReadError};

/// Size the global worker pool (default: all cores). Results never depend on it.
pub fn start_threads(threads: Option<usize>) -> Result<()> {
    if let Some(threads) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .context("could not start the worker threads")?;
    }
    Ok(())
}

/// The inputs to read, with standard input spooled to a file in
/// `spool_dir`, so it can be read twice and reads exactly like a file.
pub fn resolve_inputs(paths: &[PathBuf], spool_dir: &Path) -> Result<Vec<Input>> {
    let inputs = discover(paths)?;
    if inputs.iter().filter(|i| i.is_stdin()).count() > 1 {
        bail!("standard input (-) can be given only once");
    }
    inputs
        .into_iter()
        .map(|input| {
            if input.is_stdin() {
                Ok(Input::spool_stdin(spool_dir)?)
            } else {
                Ok(input)
            }
        })
        .collect()
}

/// Refuse an existing directory unless `force`; with `force`, remove the
/// `results` an earlier run wrote there (and nothing else).
pub fn prepare_output_dir(out: &Path, force: bool, results: &[&str]) -> Result<()> {
    if out.exists() {
        if !force {
            bail!(
                "{}: output directory exists (use --force to replace its results)",
                out.display()
            );
        }
        if !out.is_dir() {
            bail!("{}: exists and is not a directory", out.display());
        }
        for name in results {
            let path = out.join(name);
            if path.exists() {
                fs::remove_file(&path)
                    .with_context(|| format!("{}: could not remove", path.display()))?;
            }
        }
    }
    fs::create_dir_all(out).with_context(|| format!("{}: could not create", out.display()))
}

/// The documents of a batch read; a bad record stops the run, or with
/// `skip_bad` is counted by kind in `skipped`.
pub fn good_documents(
    batch: Vec<Result<Document, ReadError>>,
    skip_bad: bool,
    skipped: &mut BTreeMap<&'static str, usize>,
) -> Result<Vec<Document>> {
    let mut documents = Vec::with_capacity(batch.len());
    for item in batch {
        match item {
            Ok(doc) => documents.push(doc),
            Err(error) if skip_bad => *skipped.entry(error.kind.name()).or_default() += 1,
            Err(error) => {
                return Err(anyhow::Error::new(error)
                    .context("bad input (use --skip-bad to skip and count such records)"))
            }
        }
    }
    Ok(documents)
}

/// How a match is named in `clusters.jsonl`.
pub fn kind_name(kind: MatchKind) -> &'static str {
    match kind {
        MatchKind::Exact => "exact",
        MatchKind::Near => "near",
    }
}

/// Similarities are written with four decimals.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}
