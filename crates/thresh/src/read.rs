//! Reading inputs for a pipeline: which files, how their records become
//! documents, what happens to a bad record, and batches streamed from a
//! reader thread so that parsing overlaps with the caller's work.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use thresh_engine::Document;
use thresh_io::{discover, DocumentReader, Input, ReadError, ReadOptions, Skipped};

/// How a pipeline reads its inputs.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// Formats, field names and the size limit of a document.
    pub read: ReadOptions,
    /// Count bad records (by kind) and go on, instead of stopping at the first.
    pub skip_bad: bool,
}

/// What reading found besides documents.
#[derive(Debug, Clone, Default)]
pub struct ReadTally {
    /// Bad records skipped, by kind (only with `skip_bad`).
    pub skipped_bad: BTreeMap<&'static str, usize>,
    /// Records read fine that hold no document (WARC requests, non-HTML
    /// responses, pages without article text), by reason.
    pub not_documents: Skipped,
    /// Time spent reading and parsing, on the reader thread.
    pub read_time: Duration,
}

impl ReadTally {
    pub fn skipped_bad_total(&self) -> usize {
        self.skipped_bad.values().sum()
    }

    pub fn not_documents_by_reason(&self) -> BTreeMap<&'static str, u64> {
        self.not_documents.iter().collect()
    }
}

/// Counts by reason as a person reads them: `reason n, reason n, …`.
pub fn by_reason<N: std::fmt::Display>(
    counts: impl IntoIterator<Item = (&'static str, N)>,
) -> String {
    counts
        .into_iter()
        .map(|(reason, n)| format!("{reason} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The inputs under `paths` (directories walked in sorted order), with
/// standard input spooled to a file in `spool_dir` so that it can be read
/// twice and reads exactly like a file.
///
/// Files under `spool_dir` are left out: a run's output directory (where
/// `dedup` and `index add` spool) inside its input tree is never read back
/// as input by the next run.
pub fn resolve_inputs(paths: &[PathBuf], spool_dir: &Path) -> Result<Vec<Input>> {
    let inputs = without_own_output(discover(paths)?, spool_dir);
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

/// `inputs` without a run's own output: the files under `output` when it
/// is a directory (`dedup --out corpus/out`), or `output` itself when it
/// is a file (`extract --out corpus/docs.jsonl`). Paths are compared as
/// canonical paths, so `corpus/out` and `/abs/corpus/./out/` are one; each
/// input directory is resolved once, not each file.
pub fn without_own_output(inputs: Vec<Input>, output: &Path) -> Vec<Input> {
    let Ok(output) = output.canonicalize() else {
        return inputs;
    };
    let mut canonical_parents: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    inputs
        .into_iter()
        .filter(|input| {
            let Some(path) = input.path().filter(|_| !input.is_stdin()) else {
                return true;
            };
            let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
                return true;
            };
            let canonical = canonical_parents
                .entry(parent.to_path_buf())
                .or_insert_with(|| parent.canonicalize().ok());
            !canonical
                .as_ref()
                .is_some_and(|dir| dir.join(name).starts_with(&output))
        })
        .collect()
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
            Err(error) => keep_going(error, skip_bad, skipped)?,
        }
    }
    Ok(documents)
}

/// A bad record stops the run with its place named, or with `skip_bad` is
/// counted by kind.
pub fn keep_going(
    error: ReadError,
    skip_bad: bool,
    skipped: &mut BTreeMap<&'static str, usize>,
) -> Result<()> {
    if skip_bad {
        *skipped.entry(error.kind.name()).or_default() += 1;
        Ok(())
    } else {
        Err(anyhow::Error::new(error)
            .context("bad input (use --skip-bad to skip and count such records)"))
    }
}

/// How documents are cut into batches for a pipeline's work.
#[derive(Debug, Clone, Copy)]
pub struct Batching {
    /// Documents per batch.
    pub size: usize,
    /// Read on a thread of its own, with up to this many finished batches
    /// waiting for `work` besides the one being filled (each costs a batch
    /// of memory); `None` reads on the caller's thread, one batch at a time.
    pub read_ahead: Option<usize>,
}

/// Stream the documents of `inputs` in batches to `work`, in input order.
/// Bad records stop the run, or are counted with `skip_bad`.
pub fn for_each_batch(
    inputs: &[Input],
    options: &InputOptions,
    batching: Batching,
    tally: &mut ReadTally,
    mut work: impl FnMut(Vec<Document>) -> Result<()>,
) -> Result<()> {
    let mut reader = DocumentReader::new(inputs.to_vec(), options.read.clone());
    let Some(queued) = batching.read_ahead else {
        loop {
            let started = Instant::now();
            let batch = reader.next_batch(batching.size);
            tally.read_time += started.elapsed();
            if batch.is_empty() {
                tally.not_documents = reader.skipped().clone();
                return Ok(());
            }
            work(good_documents(
                batch,
                options.skip_bad,
                &mut tally.skipped_bad,
            )?)?;
        }
    };
    read_ahead(reader, options, batching.size, queued, tally, work)
}

/// [`for_each_batch`] with reading and parsing on a thread of their own,
/// overlapping with `work` on the previous batch.
fn read_ahead(
    mut reader: DocumentReader,
    options: &InputOptions,
    batch_size: usize,
    queued: usize,
    tally: &mut ReadTally,
    mut work: impl FnMut(Vec<Document>) -> Result<()>,
) -> Result<()> {
    let (sender, receiver) = sync_channel::<(Vec<Result<Document, ReadError>>, Duration)>(queued);
    std::thread::scope(|scope| {
        let reading = scope.spawn(move || {
            loop {
                let started = Instant::now();
                let batch = reader.next_batch(batch_size);
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
            let documents = good_documents(batch, options.skip_bad, &mut tally.skipped_bad)?;
            work(documents)?;
        }
        match reading.join() {
            Ok(not_documents) => tally.not_documents = not_documents,
            Err(panic) => std::panic::resume_unwind(panic),
        }
        Ok(())
    })
}
