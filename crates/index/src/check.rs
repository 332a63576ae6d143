//! The integrity check of an index's contents: counts that add up, batches
//! that tile the documents, document records without gaps whose links
//! point back, and run files that are intact and hold the entries the
//! records imply. (The store's own structural check is `store.rs`'s.)

use std::path::Path;

use crate::layout::{key_number, read_batches, read_counts, read_manifest, Counts, PREFIX_DOC};
use crate::record::{Record, Status};
use crate::runs::Run;
use crate::store::Reader;
use crate::IndexError;

/// What the records of an index must agree with: its signature length and
/// its number of bands.
pub(crate) struct Shape {
    pub num_perm: usize,
    pub bands: usize,
}

/// Check everything committed in `reader`'s snapshot of the index in `dir`.
pub(crate) fn check_contents(
    reader: &Reader,
    dir: &Path,
    shape: &Shape,
) -> Result<Counts, IndexError> {
    let counts = read_counts(reader)?;
    check_batches(reader, &counts)?;
    let mut problems = Problems::default();
    let entries = check_records(reader, counts.documents, shape, &mut problems)?;
    check_runs(reader, dir, counts.documents, entries, &mut problems)?;
    problems.into_result(counts)
}

/// What a check found damaged, so that one report names every damaged
/// record and run file rather than the first.
#[derive(Default)]
struct Problems {
    found: Vec<String>,
    /// Damaged document records beyond the ones listed.
    unlisted: usize,
}

/// Damaged document records named one by one; more are counted.
const LISTED_RECORDS: usize = 10;

impl Problems {
    fn add(&mut self, error: IndexError) {
        self.found.push(match error {
            IndexError::Corrupt(message) => message,
            other => other.to_string(),
        });
    }

    fn add_record(&mut self, listed: &mut usize, error: IndexError) {
        if *listed < LISTED_RECORDS {
            *listed += 1;
            self.add(error);
        } else {
            self.unlisted += 1;
        }
    }

    fn into_result<T>(mut self, ok: T) -> Result<T, IndexError> {
        if self.unlisted > 0 {
            self.found
                .push(format!("{} more document records", self.unlisted));
        }
        match self.found.is_empty() {
            true => Ok(ok),
            false => Err(IndexError::Corrupt(self.found.join("; "))),
        }
    }
}

fn corrupt<T>(message: String) -> Result<T, IndexError> {
    Err(corrupt_error(message))
}

fn corrupt_error(message: String) -> IndexError {
    IndexError::Corrupt(message)
}

/// The counts add up, and the batch records tile the documents in order.
fn check_batches(reader: &Reader, counts: &Counts) -> Result<(), IndexError> {
    if counts.kept + counts.exact_duplicates + counts.near_duplicates != counts.documents {
        return corrupt(format!("counts do not add up: {counts:?}"));
    }
    let batches = read_batches(reader)?;
    if batches.len() as u64 != counts.batches {
        return corrupt(format!(
            "{} batch records for {} batches",
            batches.len(),
            counts.batches
        ));
    }
    let mut next = 0;
    for (i, batch) in batches.iter().enumerate() {
        if batch.batch != i as u64 + 1 || batch.first_id != next {
            return corrupt(format!("batch {} out of sequence", batch.batch));
        }
        next += batch.documents;
    }
    if next != counts.documents {
        return corrupt(format!(
            "batches hold {next} documents, counts say {}",
            counts.documents
        ));
    }
    Ok(())
}

/// Document records: ids 0..documents without gaps, each intact, links
/// pointing back, signatures of the index's length. Returns the number of
/// run entries they imply (`None` when a damaged record hides it).
fn check_records(
    reader: &Reader,
    documents: u64,
    shape: &Shape,
    problems: &mut Problems,
) -> Result<Option<u64>, IndexError> {
    let mut expected = 0u64;
    let mut entries = Some(0u64);
    let mut listed = 0;
    reader.scan_prefix(&[PREFIX_DOC], |key, value| {
        let id = key_number(&key[1..]).unwrap_or(u64::MAX);
        if id != expected {
            problems.add_record(
                &mut listed,
                corrupt_error(format!("document {expected} missing")),
            );
        }
        let check = Record::decode(id, value).and_then(|record| {
            check_record(id, &record, shape)?;
            let bands = if record.signature.is_empty() {
                0
            } else {
                shape.bands as u64
            };
            Ok(u64::from(record.status.is_first_copy()) + bands)
        });
        match check {
            Ok(implied) => entries = entries.map(|e| e + implied),
            Err(error) => {
                entries = None;
                problems.add_record(&mut listed, error);
            }
        }
        expected = id.saturating_add(1);
        true
    })?;
    if expected != documents {
        problems.add(corrupt_error(format!(
            "{expected} document records, counts say {documents}"
        )));
    }
    Ok(entries)
}

/// Document `id`'s links point back (a kept document is its own root), and
/// its signature, if any, has the index's length.
fn check_record(id: u64, record: &Record, shape: &Shape) -> Result<(), IndexError> {
    let kept_elsewhere = record.status == Status::Kept && record.root != id;
    if kept_elsewhere || record.matched > id || record.root > id {
        return corrupt(format!("document {id}: bad links"));
    }
    if !(record.signature.is_empty() || record.signature.len() == shape.num_perm) {
        return corrupt(format!("document {id}: bad signature"));
    }
    Ok(())
}

/// Run files: each one the manifest names is there and intact (see
/// [`Run::verify`]), they cover disjoint id ranges in order within the
/// documents, and hold as many entries as the documents imply.
fn check_runs(
    reader: &Reader,
    dir: &Path,
    documents: u64,
    expected_entries: Option<u64>,
    problems: &mut Problems,
) -> Result<(), IndexError> {
    let manifest = read_manifest(reader)?;
    let mut next_id = 0;
    let mut entries = 0;
    for meta in &manifest {
        if meta.first_id < next_id || meta.end_id <= meta.first_id || meta.end_id > documents {
            problems.add(corrupt_error(format!(
                "run {} covers documents {}..{}, out of sequence",
                meta.file, meta.first_id, meta.end_id
            )));
        }
        if let Err(error) = Run::open(dir, meta).and_then(|run| run.verify()) {
            problems.add(error);
        }
        next_id = meta.end_id;
        entries += meta.entries;
    }
    if let Some(expected) = expected_entries.filter(|&expected| expected != entries) {
        problems.add(corrupt_error(format!(
            "runs hold {entries} entries, the documents imply {expected}"
        )));
    }
    Ok(())
}
