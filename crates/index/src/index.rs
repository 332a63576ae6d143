//! The index: header, locking, batches (match then commit), integrity check.
//!
//! Document records, counts, batch records and the run manifest live in the
//! store; the look-up entries (LSH buckets, exact hashes) live in run files
//! beside it (`runs.rs`). A commit writes the batch's run (merged with the
//! newest runs, see [`runs::merge_point`]) before the store transaction that
//! names it in the manifest, so the transaction alone decides whether a
//! batch is in.

use std::collections::{BTreeSet, HashMap};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use thresh_engine::cluster::KeepPolicy;
use thresh_engine::dedup::{
    DedupConfig, Fingerprint, Fingerprinter, MatchConfig, MatchKind, Verify,
};
use thresh_engine::lsh::{band_keys_into, LshParams};
use thresh_engine::minhash::estimate_jaccard;
use thresh_engine::Document;

use crate::probe::{band_run_key, exact_run_key, Probe};
use crate::runs::{self, Entry, Run, RunMeta};
use crate::store::{Reader, Store};
use crate::IndexError;

/// Version of the on-disk layout; bumped on any incompatible change.
/// 2: look-up entries moved from the store into run files.
pub const FORMAT_VERSION: u32 = 2;

/// At most this many earlier documents of one LSH bucket are verified (the
/// earliest ones). Keeps a look-up bounded when boilerplate fills a bucket;
/// `thresh dedup` bounds such buckets too (`lsh::MAX_BUCKET_ALL_PAIRS`).
pub const MAX_BUCKET_SCAN: usize = 256;

const STORE_FILE: &str = "index.redb";
const LOCK_FILE: &str = "LOCK";

const KEY_HEADER: &[u8] = b"H";
const KEY_COUNTS: &[u8] = b"N";
const KEY_MANIFEST: &[u8] = b"R";
const PREFIX_BATCH: u8 = b'C';
const PREFIX_DOC: u8 = b'D';

/// Run ids are `u32` (see `runs.rs`): the index holds at most this many
/// documents.
const MAX_DOCUMENTS: u64 = 1 << 32;

/// A begin that finds a run file gone (merged away by a writer in another
/// process since the manifest was read) reads the manifest again, this
/// many times at most.
const MANIFEST_RETRIES: usize = 8;

/// What is fixed when an index is created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format_version: u32,
    /// With `lsh` resolved to explicit bands and rows (so that a change in
    /// how the engine derives them can never change an existing index).
    /// Headers written before the policy left the matching configuration
    /// also hold `verify` and `keep`; reading ignores them.
    pub config: MatchConfig,
    pub thresh_version: String,
}

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

/// A document of the index, as a match names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocRef {
    /// Stable index id.
    pub id: u64,
    /// The id the document had in its input.
    pub source_id: String,
    pub date: Option<String>,
}

/// Why a document is a duplicate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub kind: MatchKind,
    /// The earlier document it matched (the earliest such one).
    pub matched: DocRef,
    /// Estimated Jaccard similarity to `matched` (1.0 for exact copies).
    pub similarity: f64,
    /// The kept document `matched` leads back to (`matched` itself when it
    /// was kept): the representative of its cluster.
    pub root: DocRef,
}

/// The decision for one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Verdict {
    New,
    Duplicate(Match),
}

impl Verdict {
    pub fn is_new(&self) -> bool {
        matches!(self, Verdict::New)
    }
}

/// What was decided for a document: one byte of its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// New when it was added: kept, and its own root.
    Kept,
    /// The same normalized text as an earlier document.
    Exact,
    /// Similar enough to an earlier document.
    Near,
}

impl Status {
    /// The status of a document that a match of `kind` made a duplicate.
    fn duplicate(kind: MatchKind) -> Status {
        match kind {
            MatchKind::Exact => Status::Exact,
            MatchKind::Near => Status::Near,
        }
    }

    /// Kept and near-duplicate documents are the first copy of their
    /// normalized text: only they get an exact-hash entry (and, with words,
    /// a signature and band entries). Exact copies match through theirs.
    fn is_first_copy(self) -> bool {
        self != Status::Exact
    }

    fn to_byte(self) -> u8 {
        match self {
            Status::Kept => 0,
            Status::Exact => 1,
            Status::Near => 2,
        }
    }

    fn from_byte(byte: u8) -> Result<Status, IndexError> {
        match byte {
            0 => Ok(Status::Kept),
            1 => Ok(Status::Exact),
            2 => Ok(Status::Near),
            _ => Err(IndexError::Corrupt(format!(
                "document record with unknown status {byte}"
            ))),
        }
    }
}

/// A stored document record.
#[derive(Debug, Clone, PartialEq)]
struct Record {
    exact: u128,
    status: Status,
    matched: u64,
    root: u64,
    signature: Vec<u32>,
    date: Option<String>,
    source_id: String,
}

impl Record {
    fn encode(&self) -> Vec<u8> {
        let date = self.date.as_deref().unwrap_or("");
        let mut out = Vec::with_capacity(
            16 + 1 + 16 + 2 + 4 * self.signature.len() + 2 + date.len() + self.source_id.len(),
        );
        out.extend_from_slice(&self.exact.to_le_bytes());
        out.push(self.status.to_byte());
        out.extend_from_slice(&self.matched.to_le_bytes());
        out.extend_from_slice(&self.root.to_le_bytes());
        out.extend_from_slice(&(self.signature.len() as u16).to_le_bytes());
        for value in &self.signature {
            out.extend_from_slice(&value.to_le_bytes());
        }
        // Dates longer than this are cut: they only explain a match.
        let date = &date[..floor_char_boundary(date, u16::MAX as usize - 1)];
        let date_len = if self.date.is_some() {
            date.len() as u16
        } else {
            u16::MAX
        };
        out.extend_from_slice(&date_len.to_le_bytes());
        out.extend_from_slice(date.as_bytes());
        out.extend_from_slice(self.source_id.as_bytes());
        out
    }

    fn decode(bytes: &[u8]) -> Result<Record, IndexError> {
        let corrupt = || IndexError::Corrupt("truncated document record".into());
        let take = |at: &mut usize, n: usize| -> Result<&[u8], IndexError> {
            let slice = bytes.get(*at..*at + n).ok_or_else(corrupt)?;
            *at += n;
            Ok(slice)
        };
        let mut at = 0;
        let exact = u128::from_le_bytes(take(&mut at, 16)?.try_into().unwrap());
        let status = Status::from_byte(take(&mut at, 1)?[0])?;
        let matched = u64::from_le_bytes(take(&mut at, 8)?.try_into().unwrap());
        let root = u64::from_le_bytes(take(&mut at, 8)?.try_into().unwrap());
        let k = u16::from_le_bytes(take(&mut at, 2)?.try_into().unwrap()) as usize;
        let signature = take(&mut at, 4 * k)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        let date_len = u16::from_le_bytes(take(&mut at, 2)?.try_into().unwrap());
        let date = if date_len == u16::MAX {
            None
        } else {
            let raw = take(&mut at, date_len as usize)?;
            Some(String::from_utf8(raw.to_vec()).map_err(|_| corrupt())?)
        };
        let source_id = String::from_utf8(bytes[at..].to_vec()).map_err(|_| corrupt())?;
        Ok(Record {
            exact,
            status,
            matched,
            root,
            signature,
            date,
            source_id,
        })
    }

    fn doc_ref(&self, id: u64) -> DocRef {
        DocRef {
            id,
            source_id: self.source_id.clone(),
            date: self.date.clone(),
        }
    }
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

fn doc_key(id: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(9);
    key.push(PREFIX_DOC);
    key.extend_from_slice(&id.to_be_bytes());
    key
}

fn batch_key(batch: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(9);
    key.push(PREFIX_BATCH);
    key.extend_from_slice(&batch.to_be_bytes());
    key
}

fn be_u64(bytes: &[u8]) -> Result<u64, IndexError> {
    bytes
        .try_into()
        .map(u64::from_be_bytes)
        .map_err(|_| IndexError::Corrupt("malformed key".into()))
}

/// One "field: index X, given Y" per field in which `given` differs from
/// the index's `have`, in field-name order; nested fields are named by
/// their path (`lsh.bands`). Compared as JSON so that a field added to
/// [`MatchConfig`] is checked without a line here.
fn differences(have: &MatchConfig, given: &MatchConfig) -> Vec<String> {
    let as_json = |config| serde_json::to_value(config).expect("a configuration serializes");
    let mut differences = Vec::new();
    differ("", &as_json(have), &as_json(given), &mut differences);
    differences
}

fn differ(path: &str, have: &Value, given: &Value, out: &mut Vec<String>) {
    match (have, given) {
        (Value::Object(have), Value::Object(given)) => {
            let names: BTreeSet<&String> = have.keys().chain(given.keys()).collect();
            for name in names {
                let path = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                let (a, b) = (have.get(name.as_str()), given.get(name.as_str()));
                differ(
                    &path,
                    a.unwrap_or(&Value::Null),
                    b.unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        _ if have != given => out.push(format!(
            "{path}: index {}, given {}",
            plain(have),
            plain(given)
        )),
        _ => {}
    }
}

/// A JSON value as a user would write it: strings without quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn read_manifest(reader: &Reader) -> Result<Vec<RunMeta>, IndexError> {
    match reader.get(KEY_MANIFEST)? {
        Some(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| IndexError::Corrupt(format!("run manifest: {e}"))),
        None => Err(IndexError::Corrupt("no run manifest".into())),
    }
}

fn manifest_put(manifest: &[RunMeta]) -> (Vec<u8>, Vec<u8>) {
    (
        KEY_MANIFEST.to_vec(),
        serde_json::to_vec(manifest).expect("manifest serializes"),
    )
}

fn read_record(reader: &Reader, id: u64) -> Result<Record, IndexError> {
    let bytes = reader
        .get(&doc_key(id))?
        .ok_or_else(|| IndexError::Corrupt(format!("a run names missing document {id}")))?;
    Record::decode(&bytes)
}

/// A run file that is not there (as opposed to one that is damaged).
fn is_missing_file(error: &IndexError) -> bool {
    matches!(error, IndexError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
}

fn read_counts(reader: &Reader) -> Result<Counts, IndexError> {
    match reader.get(KEY_COUNTS)? {
        Some(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| IndexError::Corrupt(format!("counts record: {e}"))),
        None => Err(IndexError::Corrupt("no counts record".into())),
    }
}

/// Holds the writer lock (an advisory lock on `LOCK`, released by the OS
/// when the process ends, even by SIGKILL).
struct WriterLock {
    _file: File,
}

impl WriterLock {
    fn acquire(dir: &Path) -> Result<WriterLock, IndexError> {
        let path = dir.join(LOCK_FILE);
        let io = |source| IndexError::Io {
            path: path.display().to_string(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = file.read_to_string(&mut pid);
                let pid = pid.trim();
                return Err(IndexError::Locked {
                    pid: if pid.is_empty() {
                        "unknown".into()
                    } else {
                        pid.into()
                    },
                });
            }
            Err(TryLockError::Error(error)) => return Err(io(error)),
        }
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        writeln!(file, "{}", std::process::id()).map_err(io)?;
        Ok(WriterLock { _file: file })
    }
}

/// A persistent index. Open one writer per index (`create`/`open`: the
/// writer lock is taken) and any number of readers (`open_read_only`), in
/// this process or others.
pub struct Index {
    dir: PathBuf,
    store: Store,
    header: Header,
    fingerprinter: Fingerprinter,
    lsh: LshParams,
    /// Open runs by file name. Runs are immutable and a name is never
    /// reused for other contents, so an entry stays valid while the
    /// manifest names it.
    runs: Mutex<HashMap<String, Arc<Run>>>,
    lock: Option<WriterLock>,
}

impl Index {
    /// Create a new index in `dir` (created if missing) with `config`'s
    /// matching parameters fixed for good.
    pub fn create(dir: &Path, config: &MatchConfig) -> Result<Self, IndexError> {
        config.validate().map_err(IndexError::InvalidConfig)?;
        fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let lock = WriterLock::acquire(dir)?;
        let path = dir.join(STORE_FILE);
        if path.exists() {
            return Err(IndexError::AlreadyExists(dir.display().to_string()));
        }
        let store = Store::open_writable(&path)?;
        let header = Header {
            format_version: FORMAT_VERSION,
            config: config.with_lsh_resolved(),
            thresh_version: env!("CARGO_PKG_VERSION").into(),
        };
        store.commit(vec![
            (
                KEY_HEADER.to_vec(),
                serde_json::to_vec(&header).expect("header serializes"),
            ),
            (
                KEY_COUNTS.to_vec(),
                serde_json::to_vec(&Counts::default()).expect("counts serialize"),
            ),
            manifest_put(&[]),
        ])?;
        Self::with_store(dir, store, Some(lock))
    }

    /// Open an existing index for adding; fails if another process writes.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        let path = Self::store_path(dir)?;
        let lock = WriterLock::acquire(dir)?;
        let store = Store::open_writable(&path)?;
        let index = Self::with_store(dir, store, Some(lock))?;
        index.remove_orphan_runs()?;
        Ok(index)
    }

    /// Open an existing index for queries, beside a writer if there is one.
    pub fn open_read_only(dir: &Path) -> Result<Self, IndexError> {
        let path = Self::store_path(dir)?;
        match Store::open_read_only(&path) {
            Ok(store) => Self::with_store(dir, store, None),
            // A store left by a crash needs a repair, which only a writer
            // can do: do it now if no writer is running.
            Err(read_only_error) => match WriterLock::acquire(dir) {
                Ok(lock) => {
                    let store = Store::open_writable(&path)?;
                    let index = Self::with_store(dir, store, Some(lock))?;
                    index.remove_orphan_runs()?;
                    Ok(index)
                }
                Err(_) => Err(read_only_error),
            },
        }
    }

    fn store_path(dir: &Path) -> Result<PathBuf, IndexError> {
        let path = dir.join(STORE_FILE);
        if !path.is_file() {
            return Err(IndexError::NotAnIndex(dir.display().to_string()));
        }
        Ok(path)
    }

    fn with_store(dir: &Path, store: Store, lock: Option<WriterLock>) -> Result<Self, IndexError> {
        let reader = store.reader()?;
        let bytes = reader
            .get(KEY_HEADER)?
            .ok_or_else(|| IndexError::NotAnIndex(dir.display().to_string()))?;
        #[derive(Deserialize)]
        struct Version {
            format_version: u32,
        }
        let version: Version = serde_json::from_slice(&bytes)
            .map_err(|e| IndexError::Corrupt(format!("header: {e}")))?;
        if version.format_version != FORMAT_VERSION {
            return Err(IndexError::FormatVersion {
                found: version.format_version,
                supported: FORMAT_VERSION,
            });
        }
        let header: Header = serde_json::from_slice(&bytes)
            .map_err(|e| IndexError::Corrupt(format!("header: {e}")))?;
        header
            .config
            .validate()
            .map_err(|e| IndexError::Corrupt(format!("header: {e}")))?;
        Ok(Index {
            dir: dir.to_path_buf(),
            fingerprinter: Fingerprinter::new(&header.config),
            lsh: header.config.lsh_params(),
            header,
            store,
            runs: Mutex::new(HashMap::new()),
            lock,
        })
    }

    /// Delete run files the manifest does not name: left by a crash before
    /// the store committed them, or merged away before their deletion.
    /// Only a writer does this (a reader's manifest may be older).
    fn remove_orphan_runs(&self) -> Result<(), IndexError> {
        let live = read_manifest(&self.store.reader()?)?;
        let io = |source| IndexError::Io {
            path: self.dir.display().to_string(),
            source,
        };
        for entry in fs::read_dir(&self.dir).map_err(io)? {
            let name = entry.map_err(io)?.file_name();
            let Some(name) = name.to_str() else { continue };
            if runs::is_run_file(name) && !live.iter().any(|m| m.file == name) {
                let path = self.dir.join(name);
                fs::remove_file(&path).map_err(|source| IndexError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
            }
        }
        Ok(())
    }

    /// The open run `meta` names, from the cache or opened now.
    fn run(&self, meta: &RunMeta) -> Result<Arc<Run>, IndexError> {
        let mut cache = self.runs.lock().expect("run cache lock");
        if let Some(run) = cache.get(&meta.file).filter(|run| run.meta() == meta) {
            return Ok(Arc::clone(run));
        }
        let run = Arc::new(Run::open(&self.dir, meta)?);
        cache.insert(meta.file.clone(), Arc::clone(&run));
        Ok(run)
    }

    /// Open the runs of `manifest` and forget the cached ones it no longer
    /// names (batches still using them hold their own handles).
    fn open_runs(&self, manifest: &[RunMeta]) -> Result<Vec<Arc<Run>>, IndexError> {
        let runs = manifest
            .iter()
            .map(|meta| self.run(meta))
            .collect::<Result<Vec<_>, _>>()?;
        self.runs
            .lock()
            .expect("run cache lock")
            .retain(|name, _| manifest.iter().any(|m| &m.file == name));
        Ok(runs)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    pub fn config(&self) -> &MatchConfig {
        &self.header.config
    }

    /// The deduplication the index does, as a [`DedupConfig`]: its matching
    /// configuration, `keep` first (a decision is final when a document is
    /// added, so the first copy is the one kept) and `verify` signature (the
    /// records hold signatures, not shingle sets).
    pub fn parameters(&self) -> DedupConfig {
        DedupConfig {
            matching: self.header.config.clone(),
            verify: Verify::Signature,
            keep: KeepPolicy::First,
        }
    }

    /// Refuse `wanted` if it would match differently from the index, naming
    /// each parameter that differs. A banding derived from the threshold
    /// counts as the same banding given explicitly.
    pub fn check_config(&self, wanted: &MatchConfig) -> Result<(), IndexError> {
        let differences = differences(&self.header.config, &wanted.with_lsh_resolved());
        if differences.is_empty() {
            Ok(())
        } else {
            Err(IndexError::ParameterMismatch(differences.join(", ")))
        }
    }

    /// Committed totals, as of now.
    pub fn counts(&self) -> Result<Counts, IndexError> {
        read_counts(&self.store.reader()?)
    }

    /// The committed batches, in order.
    pub fn batches(&self) -> Result<Vec<BatchSummary>, IndexError> {
        let reader = self.store.reader()?;
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

    /// Size of the store file and the live run files, in bytes.
    pub fn bytes_on_disk(&self) -> u64 {
        let size = |name: &str| fs::metadata(self.dir.join(name)).map_or(0, |m| m.len());
        let manifest = self
            .store
            .reader()
            .and_then(|reader| read_manifest(&reader))
            .unwrap_or_default();
        size(STORE_FILE) + manifest.iter().map(|m| size(&m.file)).sum::<u64>()
    }

    /// A document by its index id.
    pub fn document(&self, id: u64) -> Result<Option<DocRef>, IndexError> {
        let reader = self.store.reader()?;
        Ok(match reader.get(&doc_key(id))? {
            Some(bytes) => Some(Record::decode(&bytes)?.doc_ref(id)),
            None => None,
        })
    }

    /// Start a batch against a snapshot of what is committed now. Documents
    /// pushed into it are matched against that snapshot and against the
    /// batch's earlier documents; nothing is written until [`Index::commit`].
    pub fn begin(&self) -> Result<Batch, IndexError> {
        let mut attempt = 0;
        loop {
            let reader = self.store.reader()?;
            let base = read_counts(&reader)?;
            let manifest = read_manifest(&reader)?;
            match self.open_runs(&manifest) {
                Ok(runs) => return Ok(Batch::new(reader, base, manifest, runs)),
                // A writer elsewhere merged a run away after we read the
                // manifest: its successor is named in a newer one.
                Err(error)
                    if self.lock.is_none()
                        && attempt < MANIFEST_RETRIES
                        && is_missing_file(&error) =>
                {
                    attempt += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Fingerprint `doc` and, when it can be a near duplicate, key its
    /// LSH buckets.
    fn prepare(&self, doc: &Document) -> Prepared {
        let fp = self.fingerprinter.fingerprint(&doc.text);
        let mut keys = Vec::new();
        if self.header.config.near_duplicates && fp.shingles > 0 {
            keys.resize(self.lsh.bands, 0);
            band_keys_into(&fp.signature, self.lsh, &mut keys);
        }
        Prepared {
            fp,
            keys,
            stored: None,
        }
    }

    /// Fingerprint `documents` in parallel, match them (in input order) and
    /// record them in `batch`. Returns one verdict per document.
    pub fn push(
        &self,
        batch: &mut Batch,
        documents: &[Document],
    ) -> Result<Vec<Verdict>, IndexError> {
        let mut prepared: Vec<Prepared> =
            documents.par_iter().map(|doc| self.prepare(doc)).collect();
        // Against the committed index (a snapshot, so order does not
        // matter): all look-up keys of the push at once, sorted, so that
        // each run is read in one pass; then each document's candidates are
        // verified in parallel.
        let keys = prepared.iter().flat_map(Prepared::lookup_keys).collect();
        let probe = Probe::find(&batch.runs, keys)?;
        let reader = &batch.reader;
        prepared.par_iter_mut().try_for_each(|p| {
            p.stored = self.match_committed(reader, p, &probe)?;
            Ok::<_, IndexError>(())
        })?;
        Ok(self.decide(batch, documents, prepared))
    }

    /// The earliest committed document with `p`'s exact hash, else the
    /// earliest that shares a band with it and passes verification.
    fn match_committed(
        &self,
        reader: &Reader,
        p: &Prepared,
        probe: &Probe,
    ) -> Result<Option<Match>, IndexError> {
        for &(_, id) in probe.ids(exact_run_key(p.fp.exact)) {
            let id = u64::from(id);
            let record = read_record(reader, id)?;
            // Other exact hashes can share the key; later copies have none.
            if record.exact == p.fp.exact && record.status.is_first_copy() {
                return committed_match(reader, MatchKind::Exact, id, &record, 1.0).map(Some);
            }
        }
        if !p.has_bands() {
            return Ok(None);
        }
        self.match_stored(reader, p, probe)
    }

    /// Decide, in input order, with matches within the batch, and record
    /// the documents in `batch`.
    fn decide(
        &self,
        batch: &mut Batch,
        documents: &[Document],
        prepared: Vec<Prepared>,
    ) -> Vec<Verdict> {
        // Sequential, in input order: matches within the batch, then record.
        let mut verdicts = Vec::with_capacity(documents.len());
        for (doc, mut prepared) in documents.iter().zip(prepared) {
            let slot = batch.docs.len() as u32;
            let id = batch.base.documents + slot as u64;
            // Exact before near, earlier before later: committed exact,
            // batch exact, committed near, batch near.
            let stored_exact = prepared
                .stored
                .as_ref()
                .is_some_and(|m| m.kind == MatchKind::Exact);
            let pending_exact = if stored_exact {
                None
            } else {
                batch.match_pending_exact(&prepared)
            };
            let found = pending_exact
                .or(prepared.stored.take())
                .or_else(|| batch.match_pending_near(&prepared, self.header.config.threshold));
            let (status, matched, root) = match &found {
                Some(m) => (Status::duplicate(m.kind), m.matched.id, m.root.id),
                None => (Status::Kept, id, id),
            };
            let verdict = found.map_or(Verdict::New, Verdict::Duplicate);
            match status {
                Status::Kept => batch.kept += 1,
                Status::Exact => batch.exact_duplicates += 1,
                Status::Near => batch.near_duplicates += 1,
            }
            let first_copy = status.is_first_copy();
            if first_copy {
                batch.exact.insert(prepared.fp.exact, slot);
            }
            let indexed = first_copy && prepared.has_bands();
            if indexed {
                for (band, &key) in prepared.keys.iter().enumerate() {
                    batch.bands.push((band as u16, key), slot);
                }
            }
            batch.docs.push(Pending {
                record: Record {
                    exact: prepared.fp.exact,
                    status,
                    matched,
                    root,
                    signature: if indexed {
                        prepared.fp.signature
                    } else {
                        Vec::new()
                    },
                    date: doc.date.clone(),
                    source_id: doc.id.clone(),
                },
                keys: if indexed { prepared.keys } else { Vec::new() },
            });
            verdicts.push(verdict);
        }
        verdicts
    }

    /// The earliest committed document that shares a band with `p` and
    /// passes verification.
    fn match_stored(
        &self,
        reader: &Reader,
        p: &Prepared,
        probe: &Probe,
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
            let record = read_record(reader, id)?;
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
            if similarity >= self.header.config.threshold {
                return committed_match(reader, MatchKind::Near, id, &record, similarity).map(Some);
            }
        }
        Ok(None)
    }

    /// Write `batch` in one transaction: after a crash, either all of it is
    /// in the index or none of it. Returns the batch's summary.
    pub fn commit(&self, batch: Batch) -> Result<BatchSummary, IndexError> {
        let Batch {
            reader,
            base,
            manifest,
            runs,
            docs,
            kept,
            exact_duplicates,
            near_duplicates,
            ..
        } = batch;
        // One writer per index is enforced by the lock; this catches misuse
        // (two batches begun on the same snapshot, both committed).
        if read_counts(&self.store.reader()?)? != base {
            return Err(IndexError::Conflict);
        }
        drop((reader, runs));
        if base.documents + docs.len() as u64 > MAX_DOCUMENTS {
            return Err(IndexError::Full(MAX_DOCUMENTS));
        }
        let summary = BatchSummary {
            batch: base.batches + 1,
            first_id: base.documents,
            documents: docs.len() as u64,
            kept,
            exact_duplicates,
            near_duplicates,
        };
        let counts = Counts {
            documents: base.documents + summary.documents,
            kept: base.kept + kept,
            exact_duplicates: base.exact_duplicates + exact_duplicates,
            near_duplicates: base.near_duplicates + near_duplicates,
            batches: summary.batch,
        };
        let fresh = run_entries(&docs, base.documents);
        let ids = (base.documents, counts.documents);
        let (manifest, retired) = self.next_manifest(manifest, &fresh, ids)?;
        drop(fresh);
        let mut puts = Vec::with_capacity(docs.len() + 3);
        for (slot, pending) in docs.into_iter().enumerate() {
            let id = base.documents + slot as u64;
            puts.push((doc_key(id), pending.record.encode()));
        }
        puts.push(manifest_put(&manifest));
        puts.push((
            batch_key(summary.batch),
            serde_json::to_vec(&summary).expect("summary serializes"),
        ));
        puts.push((
            KEY_COUNTS.to_vec(),
            serde_json::to_vec(&counts).expect("counts serialize"),
        ));
        self.store.commit(puts)?;
        self.retire(&retired);
        Ok(summary)
    }

    /// The manifest once the batch's `fresh` entries (documents `ids`) are
    /// in, with their run written: merged with the newest runs as
    /// [`runs::merge_point`] says. Also returns the runs it replaces.
    fn next_manifest(
        &self,
        mut manifest: Vec<RunMeta>,
        fresh: &[Entry],
        ids: (u64, u64),
    ) -> Result<(Vec<RunMeta>, Vec<RunMeta>), IndexError> {
        if fresh.is_empty() {
            return Ok((manifest, Vec::new()));
        }
        let older = manifest.split_off(runs::merge_point(&manifest, fresh.len() as u64));
        let older_runs = older
            .iter()
            .map(|meta| self.run(meta))
            .collect::<Result<Vec<_>, _>>()?;
        let first_id = older.first().map_or(ids.0, |meta| meta.first_id);
        manifest.push(runs::write_merged(
            &self.dir,
            &older_runs,
            fresh,
            (first_id, ids.1),
        )?);
        Ok((manifest, older))
    }

    /// Delete runs the committed manifest no longer names. A failure only
    /// leaves an orphan, removed at the next open for writing.
    fn retire(&self, retired: &[RunMeta]) {
        let mut cache = self.runs.lock().expect("run cache lock");
        for meta in retired {
            cache.remove(&meta.file);
            let _ = fs::remove_file(self.dir.join(&meta.file));
        }
    }

    /// Check the store's structure and the index's own invariants: document
    /// ids are 0..documents without gaps, the batches tile them, the counts
    /// add up, the run files are intact and hold the entries the documents
    /// imply.
    pub fn check(&mut self) -> Result<Counts, IndexError> {
        if !self.store.check_integrity()? {
            return Err(IndexError::Corrupt("the store needed a repair".into()));
        }
        let reader = self.store.reader()?;
        let counts = read_counts(&reader)?;
        let fail = |message: String| Err(IndexError::Corrupt(message));
        if counts.kept + counts.exact_duplicates + counts.near_duplicates != counts.documents {
            return fail(format!("counts do not add up: {counts:?}"));
        }
        let batches = self.batches()?;
        if batches.len() as u64 != counts.batches {
            return fail(format!(
                "{} batch records for {} batches",
                batches.len(),
                counts.batches
            ));
        }
        let mut next = 0;
        for (i, batch) in batches.iter().enumerate() {
            if batch.batch != i as u64 + 1 || batch.first_id != next {
                return fail(format!("batch {} out of sequence", batch.batch));
            }
            next += batch.documents;
        }
        if next != counts.documents {
            return fail(format!(
                "batches hold {next} documents, counts say {}",
                counts.documents
            ));
        }
        let entries = self.check_records(&reader, counts.documents)?;
        self.check_runs(&reader, counts.documents, entries)?;
        Ok(counts)
    }

    /// Document records: ids 0..documents without gaps, links pointing
    /// back, signatures of the index's length. Returns the number of run
    /// entries they imply.
    fn check_records(&self, reader: &Reader, documents: u64) -> Result<u64, IndexError> {
        let k = self.header.config.num_perm;
        let bands = self.lsh.bands as u64;
        let mut expected = 0u64;
        let mut entries = 0u64;
        let mut problem = None;
        reader.scan_prefix(&[PREFIX_DOC], |key, value| {
            let id = be_u64(&key[1..]).unwrap_or(u64::MAX);
            let check = Record::decode(value).and_then(|r| {
                if id != expected {
                    return Err(IndexError::Corrupt(format!("document {expected} missing")));
                }
                if r.status == Status::Kept && r.root != id || r.matched > id || r.root > id {
                    return Err(IndexError::Corrupt(format!("document {id}: bad links")));
                }
                if !(r.signature.is_empty() || r.signature.len() == k) {
                    return Err(IndexError::Corrupt(format!("document {id}: bad signature")));
                }
                entries += u64::from(r.status.is_first_copy());
                entries += if r.signature.is_empty() { 0 } else { bands };
                Ok(())
            });
            expected += 1;
            match check {
                Ok(()) => true,
                Err(e) => {
                    problem = Some(e);
                    false
                }
            }
        })?;
        if let Some(problem) = problem {
            return Err(problem);
        }
        if expected != documents {
            return Err(IndexError::Corrupt(format!(
                "{expected} document records, counts say {documents}"
            )));
        }
        Ok(entries)
    }

    /// Run files: each one the manifest names is there and intact (see
    /// [`Run::verify`]), they cover disjoint id ranges in order within the
    /// documents, and hold as many entries as the documents imply.
    fn check_runs(
        &self,
        reader: &Reader,
        documents: u64,
        expected_entries: u64,
    ) -> Result<(), IndexError> {
        let manifest = read_manifest(reader)?;
        let mut next_id = 0;
        let mut entries = 0;
        for meta in &manifest {
            if meta.first_id < next_id || meta.end_id <= meta.first_id || meta.end_id > documents {
                return Err(IndexError::Corrupt(format!(
                    "run {} covers documents {}..{}, out of sequence",
                    meta.file, meta.first_id, meta.end_id
                )));
            }
            Run::open(&self.dir, meta)?.verify()?;
            next_id = meta.end_id;
            entries += meta.entries;
        }
        if entries != expected_entries {
            return Err(IndexError::Corrupt(format!(
                "runs hold {entries} entries, the documents imply {expected_entries}"
            )));
        }
        Ok(())
    }
}

fn stored_root(reader: &Reader, id: u64, record: &Record) -> Result<DocRef, IndexError> {
    if record.root == id {
        return Ok(record.doc_ref(id));
    }
    let bytes = reader
        .get(&doc_key(record.root))?
        .ok_or_else(|| IndexError::Corrupt(format!("document {} missing", record.root)))?;
    Ok(Record::decode(&bytes)?.doc_ref(record.root))
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
        root: stored_root(reader, id, record)?,
    })
}

/// The run entries of a batch's documents (ids from `first_id`), sorted:
/// an exact-hash entry per first copy, a bucket entry per band of each
/// first copy with words.
fn run_entries(docs: &[Pending], first_id: u64) -> Vec<Entry> {
    let mut entries: Vec<Entry> = docs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(slot, pending)| {
            // Fits: commit refuses ids past MAX_DOCUMENTS.
            let id = (first_id + slot as u64) as u32;
            let first_copy = pending.record.status.is_first_copy();
            let exact = first_copy.then(|| (exact_run_key(pending.record.exact), id));
            let bands = pending
                .keys
                .iter()
                .enumerate()
                .map(move |(band, &key)| (band_run_key(band, key), id));
            exact.into_iter().chain(bands)
        })
        .collect();
    entries.par_sort_unstable();
    entries
}

/// A pushed document before its decision: the engine's fingerprint, its
/// LSH band keys and its match in the committed index, if any.
struct Prepared {
    fp: Fingerprint,
    /// One key per band; none when the document has no words or the index
    /// finds exact duplicates only (it is then looked up by its exact hash
    /// alone, and indexed by it alone).
    keys: Vec<u64>,
    stored: Option<Match>,
}

impl Prepared {
    fn has_bands(&self) -> bool {
        !self.keys.is_empty()
    }

    /// The run keys this document is looked up by: its exact hash, and its
    /// buckets.
    fn lookup_keys(&self) -> impl Iterator<Item = u64> + '_ {
        let bands = self.keys.iter().enumerate();
        std::iter::once(exact_run_key(self.fp.exact))
            .chain(bands.map(|(band, &key)| band_run_key(band, key)))
    }
}

struct Pending {
    record: Record,
    /// Band keys, for first copies with words only.
    keys: Vec<u64>,
}

/// Documents matched but not yet committed, with what later documents of
/// the same batch are matched against. Memory grows with the batch, never
/// with the index.
pub struct Batch {
    reader: Reader,
    base: Counts,
    /// The runs of the snapshot, as named and opened.
    manifest: Vec<RunMeta>,
    runs: Vec<Arc<Run>>,
    docs: Vec<Pending>,
    /// First copy of each exact hash in the batch (slot).
    exact: HashMap<u128, u32>,
    /// (band, key) → slots, in order.
    bands: Buckets,
    kept: u64,
    exact_duplicates: u64,
    near_duplicates: u64,
}

impl Batch {
    fn new(reader: Reader, base: Counts, manifest: Vec<RunMeta>, runs: Vec<Arc<Run>>) -> Self {
        Batch {
            reader,
            base,
            manifest,
            runs,
            docs: Vec::new(),
            exact: HashMap::new(),
            bands: Buckets::default(),
            kept: 0,
            exact_duplicates: 0,
            near_duplicates: 0,
        }
    }

    /// Documents pushed so far.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Index id the next pushed document will get.
    pub fn next_id(&self) -> u64 {
        self.base.documents + self.docs.len() as u64
    }

    fn doc_ref(&self, slot: u32) -> DocRef {
        let record = &self.docs[slot as usize].record;
        record.doc_ref(self.base.documents + slot as u64)
    }

    /// Root of a batch document as a DocRef (it may be a committed one).
    fn root_ref(&self, slot: u32) -> DocRef {
        let record = &self.docs[slot as usize].record;
        if record.root >= self.base.documents {
            self.doc_ref((record.root - self.base.documents) as u32)
        } else {
            // A batch document whose root is committed: its match named it.
            match self.reader.get(&doc_key(record.root)) {
                Ok(Some(bytes)) => Record::decode(&bytes)
                    .map(|r| r.doc_ref(record.root))
                    .unwrap_or_else(|_| unnamed(record.root)),
                _ => unnamed(record.root),
            }
        }
    }

    fn found(&self, slot: u32, kind: MatchKind, similarity: f64) -> Option<Match> {
        Some(Match {
            kind,
            matched: self.doc_ref(slot),
            similarity,
            root: self.root_ref(slot),
        })
    }

    fn match_pending_exact(&self, prepared: &Prepared) -> Option<Match> {
        let &slot = self.exact.get(&prepared.fp.exact)?;
        self.found(slot, MatchKind::Exact, 1.0)
    }

    fn match_pending_near(&self, prepared: &Prepared, threshold: f64) -> Option<Match> {
        let mut candidates: Vec<u32> = prepared
            .keys
            .iter()
            .enumerate()
            .flat_map(|(band, &key)| self.bands.slots((band as u16, key)).take(MAX_BUCKET_SCAN))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        for slot in candidates {
            let signature = &self.docs[slot as usize].record.signature;
            let similarity = estimate_jaccard(&prepared.fp.signature, signature);
            if similarity >= threshold {
                return self.found(slot, MatchKind::Near, similarity);
            }
        }
        None
    }
}

const NO_LINK: u32 = u32::MAX;

/// A batch's LSH buckets: (band, key) → slots in order, kept as chains in
/// one vector rather than a vector per bucket (a batch has about 20
/// buckets per document, nearly all of one slot: one allocation each was
/// a measurable part of `push`).
#[derive(Default)]
struct Buckets {
    /// Bucket → (first link, last link).
    ends: HashMap<(u16, u64), (u32, u32)>,
    /// (slot, next link of the same bucket or `NO_LINK`).
    links: Vec<(u32, u32)>,
}

impl Buckets {
    fn push(&mut self, bucket: (u16, u64), slot: u32) {
        let link = self.links.len() as u32;
        self.links.push((slot, NO_LINK));
        if let Some(ends) = self.ends.get_mut(&bucket) {
            self.links[ends.1 as usize].1 = link;
            ends.1 = link;
        } else {
            self.ends.insert(bucket, (link, link));
        }
    }

    /// The slots of `bucket`, earliest first.
    fn slots(&self, bucket: (u16, u64)) -> impl Iterator<Item = u32> + '_ {
        let mut link = self.ends.get(&bucket).map_or(NO_LINK, |ends| ends.0);
        std::iter::from_fn(move || {
            let (slot, next) = *self.links.get(link as usize)?;
            link = next;
            Some(slot)
        })
    }
}

fn unnamed(id: u64) -> DocRef {
    DocRef {
        id,
        source_id: String::new(),
        date: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        let record = Record {
            exact: 0x0123_4567_89ab_cdef_0011_2233_4455_6677,
            status: Status::Near,
            matched: 7,
            root: 3,
            signature: vec![1, 2, 3, u32::MAX],
            date: Some("2024-11-03".into()),
            source_id: "doc-é".into(),
        };
        assert_eq!(Record::decode(&record.encode()).unwrap(), record);
        let undated = Record {
            date: None,
            signature: Vec::new(),
            ..record
        };
        assert_eq!(Record::decode(&undated.encode()).unwrap(), undated);
        assert!(Record::decode(&[1, 2, 3]).is_err());
    }

    #[test]
    fn statuses_keep_their_bytes() {
        // The bytes are on disk: they must never change.
        for (status, byte) in [(Status::Kept, 0), (Status::Exact, 1), (Status::Near, 2)] {
            assert_eq!(status.to_byte(), byte);
            assert_eq!(Status::from_byte(byte).unwrap(), status);
        }
        assert!(Status::from_byte(3).is_err());
    }
}
