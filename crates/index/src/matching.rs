//! A pushed document matched against the committed index: looked up by its
//! run keys (see `probe.rs`), its candidates verified against their stored
//! records. Matches within the uncommitted batch are `batch.rs`'s.

use thresh_engine::dedup::{Fingerprint, MatchKind};
use thresh_engine::minhash::estimate_jaccard;

use crate::layout::find_record;
use crate::probe::{band_run_key, exact_run_key, Probe};
use crate::record::Record;
use crate::store::Reader;
use crate::verdict::{DocRef, Match};
use crate::IndexError;

/// At most this many earlier documents of one LSH bucket are verified (the
/// earliest ones). Keeps a look-up bounded when boilerplate fills a bucket;
/// `thresh dedup` bounds such buckets too (`lsh::MAX_BUCKET_ALL_PAIRS`).
pub const MAX_BUCKET_SCAN: usize = 256;

/// A pushed document before its decision: the engine's fingerprint, its
/// LSH band keys and its match in the committed index, if any.
pub(crate) struct Prepared {
    pub fp: Fingerprint,
    /// One key per band; none when the document has no words or the index
    /// finds exact duplicates only (it is then looked up by its exact hash
    /// alone, and indexed by it alone).
    pub keys: Vec<u64>,
    pub stored: Option<Match>,
}

impl Prepared {
    pub(crate) fn has_bands(&self) -> bool {
        !self.keys.is_empty()
    }

    /// The run keys this document is looked up by: its exact hash, and its
    /// buckets.
    pub(crate) fn lookup_keys(&self) -> impl Iterator<Item = u64> + '_ {
        let bands = self.keys.iter().enumerate();
        std::iter::once(exact_run_key(self.fp.exact))
            .chain(bands.map(|(band, &key)| band_run_key(band, key)))
    }
}

/// The earliest committed document with `p`'s exact hash, else the
/// earliest that shares a band with it and passes verification.
pub(crate) fn match_committed(
    reader: &Reader,
    p: &Prepared,
    probe: &Probe,
    threshold: f64,
) -> Result<Option<Match>, IndexError> {
    for &(_, id) in probe.ids(exact_run_key(p.fp.exact)) {
        let id = u64::from(id);
        let record = read_named(reader, id)?;
        // Other exact hashes can share the key; later copies have none.
        if record.exact == p.fp.exact && record.status.is_first_copy() {
            return committed_match(reader, MatchKind::Exact, id, &record, 1.0).map(Some);
        }
    }
    if !p.has_bands() {
        return Ok(None);
    }
    match_near(reader, p, probe, threshold)
}

/// The earliest committed document that shares a band with `p` and
/// passes verification.
fn match_near(
    reader: &Reader,
    p: &Prepared,
    probe: &Probe,
    threshold: f64,
) -> Result<Option<Match>, IndexError> {
    let signature = &p.fp.signature;
    let mut candidates: Vec<u32> = p
        .keys
        .iter()
        .enumerate()
        .flat_map(|(band, &key)| probe.ids(band_run_key(band, key)))
        .map(|&(_, id)| id)
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    for id in candidates {
        let id = u64::from(id);
        let record = read_named(reader, id)?;
        // A key shared with an exact-hash entry of a wordless document.
        if record.signature.is_empty() {
            continue;
        }
        if record.signature.len() != signature.len() {
            return Err(IndexError::Corrupt(format!(
                "document {id} has no signature of the index's length"
            )));
        }
        let similarity = estimate_jaccard(signature, &record.signature);
        if similarity >= threshold {
            return committed_match(reader, MatchKind::Near, id, &record, similarity).map(Some);
        }
    }
    Ok(None)
}

/// The record of document `id`, which a run names.
fn read_named(reader: &Reader, id: u64) -> Result<Record, IndexError> {
    find_record(reader, id)?
        .ok_or_else(|| IndexError::Corrupt(format!("a run names missing document {id}")))
}

/// A match with committed document `id`, leading back to its root.
fn committed_match(
    reader: &Reader,
    kind: MatchKind,
    id: u64,
    record: &Record,
    similarity: f64,
) -> Result<Match, IndexError> {
    Ok(Match {
        kind,
        matched: record.doc_ref(id),
        similarity,
        root: committed_root(reader, id, record)?,
    })
}

/// The kept document committed document `id` leads back to.
fn committed_root(reader: &Reader, id: u64, record: &Record) -> Result<DocRef, IndexError> {
    if record.root == id {
        return Ok(record.doc_ref(id));
    }
    let root = find_record(reader, record.root)?
        .ok_or_else(|| IndexError::Corrupt(format!("document {} missing", record.root)))?;
    Ok(root.doc_ref(record.root))
}
