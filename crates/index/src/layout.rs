//! What the store holds under which key (the table in `lib.rs`), and the
//! small JSON records kept there beside the document records: the counts,
//! one summary per batch and the run manifest.

use serde::{Deserialize, Serialize};

use crate::record::Record;
use crate::runs::RunMeta;
use crate::store::Reader;
use crate::IndexError;

/// The store's file in the index directory.
pub(crate) const STORE_FILE: &str = "index.redb";

pub(crate) const KEY_HEADER: &[u8] = b"H";
const KEY_COUNTS: &[u8] = b"N";
const KEY_MANIFEST: &[u8] = b"R";
const PREFIX_BATCH: u8 = b'C';
pub(crate) const PREFIX_DOC: u8 = b'D';

/// A key and its value, as the store commits them.
pub(crate) type Put = (Vec<u8>, Vec<u8>);

/// Committed totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub documents: u64,
    pub kept: u64,
    pub exact_duplicates: u64,
    pub near_duplicates: u64,
    pub batches: u64,
}

/// One committed batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub batch: u64,
    pub first_id: u64,
    pub documents: u64,
    pub kept: u64,
    pub exact_duplicates: u64,
    pub near_duplicates: u64,
}

/// Prefix and big-endian number: keys of one kind sort by number.
fn numbered_key(prefix: u8, number: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(9);
    key.push(prefix);
    key.extend_from_slice(&number.to_be_bytes());
    key
}

pub(crate) fn doc_key(id: u64) -> Vec<u8> {
    numbered_key(PREFIX_DOC, id)
}

/// The number of a key from [`numbered_key`], prefix removed.
pub(crate) fn key_number(bytes: &[u8]) -> Result<u64, IndexError> {
    bytes
        .try_into()
        .map(u64::from_be_bytes)
        .map_err(|_| IndexError::Corrupt("malformed key".into()))
}

pub(crate) fn json_put(key: &[u8], value: &impl Serialize) -> Put {
    let value = serde_json::to_vec(value).expect("index records serialize");
    (key.to_vec(), value)
}

pub(crate) fn counts_put(counts: &Counts) -> Put {
    json_put(KEY_COUNTS, counts)
}

pub(crate) fn batch_put(summary: &BatchSummary) -> Put {
    json_put(&numbered_key(PREFIX_BATCH, summary.batch), summary)
}

pub(crate) fn manifest_put(manifest: &[RunMeta]) -> Put {
    json_put(KEY_MANIFEST, &manifest)
}

pub(crate) fn read_counts(reader: &Reader) -> Result<Counts, IndexError> {
    match reader.get(KEY_COUNTS)? {
        Some(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| IndexError::Corrupt(format!("counts record: {e}"))),
        None => Err(IndexError::Corrupt("no counts record".into())),
    }
}

pub(crate) fn read_manifest(reader: &Reader) -> Result<Vec<RunMeta>, IndexError> {
    match reader.get(KEY_MANIFEST)? {
        Some(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| IndexError::Corrupt(format!("run manifest: {e}"))),
        None => Err(IndexError::Corrupt("no run manifest".into())),
    }
}

/// The committed batches, in order.
pub(crate) fn read_batches(reader: &Reader) -> Result<Vec<BatchSummary>, IndexError> {
    let mut batches = Vec::new();
    let mut error = None;
    reader.scan_prefix(&[PREFIX_BATCH], |_, value| {
        match serde_json::from_slice(value) {
            Ok(batch) => batches.push(batch),
            Err(e) => error = Some(IndexError::Corrupt(format!("batch record: {e}"))),
        }
        error.is_none()
    })?;
    error.map_or(Ok(batches), Err)
}

/// Document `id`, if there is one.
pub(crate) fn find_record(reader: &Reader, id: u64) -> Result<Option<Record>, IndexError> {
    match reader.get(&doc_key(id))? {
        Some(bytes) => Record::decode(id, &bytes).map(Some),
        None => Ok(None),
    }
}
