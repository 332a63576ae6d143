//! The index: header, locking, batches (match then commit), integrity check.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use thresh_engine::cluster::KeepPolicy;
use thresh_engine::dedup::{DedupConfig, Fingerprinter, MatchKind, Verify};
use thresh_engine::lsh::{band_keys_into, LshParams};
use thresh_engine::minhash::estimate_jaccard;
use thresh_engine::Document;

use crate::store::{RedbStore, Store, StoreReader};
use crate::IndexError;

/// Version of the on-disk layout; bumped on any incompatible change.
pub const FORMAT_VERSION: u32 = 1;

/// At most this many earlier documents of one LSH bucket are verified (the
/// earliest ones). Keeps a look-up bounded when boilerplate fills a bucket;
/// `thresh dedup` bounds such buckets too (`lsh::MAX_BUCKET_ALL_PAIRS`).
pub const MAX_BUCKET_SCAN: usize = 256;

const STORE_FILE: &str = "index.redb";
const LOCK_FILE: &str = "LOCK";

const KEY_HEADER: &[u8] = b"H";
const KEY_COUNTS: &[u8] = b"N";
const PREFIX_BATCH: u8 = b'C';
const PREFIX_DOC: u8 = b'D';
const PREFIX_EXACT: u8 = b'X';
const PREFIX_BAND: u8 = b'B';

/// What is fixed when an index is created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format_version: u32,
    /// With `lsh` resolved to explicit bands and rows (so that a change in
    /// how the engine derives them can never change an existing index),
    /// `keep` = first and `verify` = signature (the only ones an index has).
    pub config: DedupConfig,
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

/// A stored document record.
#[derive(Debug, Clone, PartialEq)]
struct Record {
    exact: u128,
    /// 0 kept, 1 exact duplicate, 2 near duplicate.
    status: u8,
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
        out.push(self.status);
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
        let status = take(&mut at, 1)?[0];
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

fn exact_key(exact: u128) -> Vec<u8> {
    let mut key = Vec::with_capacity(17);
    key.push(PREFIX_EXACT);
    key.extend_from_slice(&exact.to_be_bytes());
    key
}

fn bucket_prefix(band: usize, band_key: u64) -> [u8; 11] {
    let mut key = [0u8; 11];
    key[0] = PREFIX_BAND;
    key[1..3].copy_from_slice(&(band as u16).to_be_bytes());
    key[3..11].copy_from_slice(&band_key.to_be_bytes());
    key
}

fn band_entry(band: usize, band_key: u64, id: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(19);
    key.extend_from_slice(&bucket_prefix(band, band_key));
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

/// The configuration an index fixes, from the one a user asked for.
fn fixed_config(config: &DedupConfig) -> DedupConfig {
    DedupConfig {
        lsh: Some(config.lsh_params()),
        keep: KeepPolicy::First,
        verify: Verify::Signature,
        ..config.clone()
    }
}

fn read_counts(reader: &impl StoreReader) -> Result<Counts, IndexError> {
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
pub struct Index<S: Store = RedbStore> {
    dir: PathBuf,
    store: S,
    header: Header,
    fingerprinter: Fingerprinter,
    lsh: LshParams,
    _lock: Option<WriterLock>,
}

impl Index<RedbStore> {
    /// Create a new index in `dir` (created if missing) with `config`'s
    /// matching parameters fixed for good.
    pub fn create(dir: &Path, config: &DedupConfig) -> Result<Self, IndexError> {
        Self::create_with(dir, config)
    }

    /// Open an existing index for adding; fails if another process writes.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        Self::open_with(dir)
    }

    /// Open an existing index for queries, beside a writer if there is one.
    pub fn open_read_only(dir: &Path) -> Result<Self, IndexError> {
        Self::open_read_only_with(dir)
    }
}

impl<S: Store> Index<S> {
    pub fn create_with(dir: &Path, config: &DedupConfig) -> Result<Self, IndexError> {
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
        let store = S::open_writable(&path)?;
        let header = Header {
            format_version: FORMAT_VERSION,
            config: fixed_config(config),
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
        ])?;
        Self::with_store(dir, store, Some(lock))
    }

    pub fn open_with(dir: &Path) -> Result<Self, IndexError> {
        let path = Self::store_path(dir)?;
        let lock = WriterLock::acquire(dir)?;
        let store = S::open_writable(&path)?;
        Self::with_store(dir, store, Some(lock))
    }

    pub fn open_read_only_with(dir: &Path) -> Result<Self, IndexError> {
        let path = Self::store_path(dir)?;
        match S::open_read_only(&path) {
            Ok(store) => Self::with_store(dir, store, None),
            // A store left by a crash needs a repair, which only a writer
            // can do: do it now if no writer is running.
            Err(read_only_error) => match WriterLock::acquire(dir) {
                Ok(lock) => {
                    let store = S::open_writable(&path)?;
                    Self::with_store(dir, store, Some(lock))
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

    fn with_store(dir: &Path, store: S, lock: Option<WriterLock>) -> Result<Self, IndexError> {
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
            _lock: lock,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    pub fn config(&self) -> &DedupConfig {
        &self.header.config
    }

    /// Refuse `wanted` if it would match differently from the index. Only
    /// the matching parameters count (not `keep` or `verify`).
    pub fn check_config(&self, wanted: &DedupConfig) -> Result<(), IndexError> {
        let have = &self.header.config;
        let wanted = fixed_config(wanted);
        let mut differences = Vec::new();
        let mut differ = |name: &str, asked: String, index: String| {
            if asked != index {
                differences.push(format!("{name} {asked} (index: {index})"));
            }
        };
        differ(
            "normalize",
            format!("{:?}", wanted.normalize),
            format!("{:?}", have.normalize),
        );
        differ("ngram", wanted.ngram.to_string(), have.ngram.to_string());
        differ(
            "num-perm",
            wanted.num_perm.to_string(),
            have.num_perm.to_string(),
        );
        differ(
            "threshold",
            wanted.threshold.to_string(),
            have.threshold.to_string(),
        );
        let (a, b) = (wanted.lsh_params(), have.lsh_params());
        differ(
            "bands × rows",
            format!("{} × {}", a.bands, a.rows),
            format!("{} × {}", b.bands, b.rows),
        );
        differ(
            "minhash",
            wanted.scheme.name().to_string(),
            have.scheme.name().to_string(),
        );
        differ(
            "near duplicates",
            wanted.near_duplicates.to_string(),
            have.near_duplicates.to_string(),
        );
        differ("seed", wanted.seed.to_string(), have.seed.to_string());
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
        reader.scan_prefix(&[PREFIX_BATCH], &mut |_, value| {
            match serde_json::from_slice(value) {
                Ok(batch) => batches.push(batch),
                Err(e) => error = Some(IndexError::Corrupt(format!("batch record: {e}"))),
            }
            error.is_none()
        })?;
        error.map_or(Ok(batches), Err)
    }

    /// Size of the store file in bytes.
    pub fn bytes_on_disk(&self) -> u64 {
        fs::metadata(self.dir.join(STORE_FILE))
            .map(|m| m.len())
            .unwrap_or(0)
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
    pub fn begin(&self) -> Result<Batch<S::Reader>, IndexError> {
        let reader = self.store.reader()?;
        let base = read_counts(&reader)?;
        Ok(Batch {
            reader,
            base,
            docs: Vec::new(),
            exact: HashMap::new(),
            bands: HashMap::new(),
            kept: 0,
            exact_duplicates: 0,
            near_duplicates: 0,
        })
    }

    /// Fingerprint `documents` in parallel, match them (in input order) and
    /// record them in `batch`. Returns one verdict per document.
    pub fn push(
        &self,
        batch: &mut Batch<S::Reader>,
        documents: &[Document],
    ) -> Result<Vec<Verdict>, IndexError> {
        let config = &self.header.config;
        let (k, bands) = (config.num_perm, self.lsh.bands);
        let near = config.near_duplicates;
        let reader = &batch.reader;
        // Parallel: fingerprints, and matches against the committed index
        // (a read-only snapshot, so the order of look-ups does not matter).
        let prepared: Vec<Prepared> = documents
            .par_iter()
            .map(|doc| -> Result<Prepared, IndexError> {
                let mut signature = vec![0u32; k];
                let (exact, shingles) =
                    self.fingerprinter
                        .fingerprint_into(&doc.text, &mut signature, None);
                let mut keys = vec![0u64; bands];
                let has_words = near && shingles > 0;
                if has_words {
                    band_keys_into(&signature, self.lsh, &mut keys);
                }
                let stored = match reader.get(&exact_key(exact))? {
                    Some(id) => Some(StoredMatch::exact(reader, be_u64(&id)?)?),
                    None if has_words => self.match_stored(reader, &signature, &keys)?,
                    None => None,
                };
                Ok(Prepared {
                    exact,
                    has_words,
                    signature,
                    keys,
                    stored,
                })
            })
            .collect::<Result<_, _>>()?;

        // Sequential, in input order: matches within the batch, then record.
        let mut verdicts = Vec::with_capacity(documents.len());
        for (doc, mut prepared) in documents.iter().zip(prepared) {
            let slot = batch.docs.len() as u32;
            let id = batch.base.documents + slot as u64;
            // Exact before near, earlier before later: committed exact,
            // batch exact, committed near, batch near.
            let stored_exact = prepared.stored.as_ref().is_some_and(|s| s.status == 1);
            let pending_exact = if stored_exact {
                None
            } else {
                batch.match_pending_exact(&prepared)
            };
            let found = match (pending_exact, prepared.stored.take()) {
                (Some(found), _) => Some(found),
                (None, Some(stored)) => {
                    Some((stored.found, stored.status, stored.matched, stored.root))
                }
                (None, None) => batch.match_pending_near(&prepared, self.header.config.threshold),
            };
            let (verdict, status, matched, root) = match found {
                Some((found, status, matched, root)) => {
                    (Verdict::Duplicate(found), status, matched, root)
                }
                None => (Verdict::New, 0, id, id),
            };
            match status {
                0 => batch.kept += 1,
                1 => batch.exact_duplicates += 1,
                _ => batch.near_duplicates += 1,
            }
            let first_copy = status != 1;
            if first_copy {
                batch.exact.insert(prepared.exact, slot);
            }
            let indexed = first_copy && prepared.has_words;
            if indexed {
                for (band, &key) in prepared.keys.iter().enumerate() {
                    batch
                        .bands
                        .entry((band as u16, key))
                        .or_default()
                        .push(slot);
                }
            }
            batch.docs.push(Pending {
                record: Record {
                    exact: prepared.exact,
                    status,
                    matched,
                    root,
                    signature: if indexed {
                        prepared.signature
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
        Ok(verdicts)
    }

    /// The earliest committed document that shares a band with `signature`
    /// and passes verification.
    fn match_stored(
        &self,
        reader: &S::Reader,
        signature: &[u32],
        keys: &[u64],
    ) -> Result<Option<StoredMatch>, IndexError> {
        let mut candidates = Vec::new();
        for (band, &key) in keys.iter().enumerate() {
            let mut seen = 0;
            reader.scan_prefix(&bucket_prefix(band, key), &mut |entry, _| {
                if let Ok(id) = be_u64(&entry[11..]) {
                    candidates.push(id);
                }
                seen += 1;
                seen < MAX_BUCKET_SCAN
            })?;
        }
        candidates.sort_unstable();
        candidates.dedup();
        for id in candidates {
            let bytes = reader.get(&doc_key(id))?.ok_or_else(|| {
                IndexError::Corrupt(format!("bucket names missing document {id}"))
            })?;
            let record = Record::decode(&bytes)?;
            if record.signature.len() != signature.len() {
                return Err(IndexError::Corrupt(format!(
                    "document {id} has no signature of the index's length"
                )));
            }
            let similarity = estimate_jaccard(signature, &record.signature);
            if similarity >= self.header.config.threshold {
                let root = stored_root(reader, id, &record)?;
                return Ok(Some(StoredMatch {
                    found: Match {
                        kind: MatchKind::Near,
                        matched: record.doc_ref(id),
                        similarity,
                        root: root.clone(),
                    },
                    status: 2,
                    matched: id,
                    root: root.id,
                }));
            }
        }
        Ok(None)
    }

    /// Write `batch` in one transaction: after a crash, either all of it is
    /// in the index or none of it. Returns the batch's summary.
    pub fn commit(&self, batch: Batch<S::Reader>) -> Result<BatchSummary, IndexError> {
        let Batch {
            reader,
            base,
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
        drop(reader);
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
        let bands_per_doc = self.lsh.bands;
        let mut puts = Vec::with_capacity(docs.len() * (2 + bands_per_doc) + 2);
        for (slot, pending) in docs.into_iter().enumerate() {
            let id = base.documents + slot as u64;
            if pending.record.status != 1 {
                puts.push((exact_key(pending.record.exact), id.to_be_bytes().to_vec()));
            }
            for (band, &key) in pending.keys.iter().enumerate() {
                puts.push((band_entry(band, key, id), Vec::new()));
            }
            puts.push((doc_key(id), pending.record.encode()));
        }
        puts.push((
            batch_key(summary.batch),
            serde_json::to_vec(&summary).expect("summary serializes"),
        ));
        puts.push((
            KEY_COUNTS.to_vec(),
            serde_json::to_vec(&counts).expect("counts serialize"),
        ));
        self.store.commit(puts)?;
        Ok(summary)
    }

    /// Check the store's structure and the index's own invariants: document
    /// ids are 0..documents without gaps, the batches tile them, the counts
    /// add up, every exact-hash and bucket entry names a document that
    /// exists and agrees with it.
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
        let k = self.header.config.num_perm;
        let mut expected = 0u64;
        let mut exacts: Vec<(u128, u64, bool)> = Vec::new();
        let mut problem = None;
        reader.scan_prefix(&[PREFIX_DOC], &mut |key, value| {
            let id = be_u64(&key[1..]).unwrap_or(u64::MAX);
            let check = Record::decode(value).and_then(|r| {
                if id != expected {
                    return Err(IndexError::Corrupt(format!("document {expected} missing")));
                }
                if r.status == 0 && r.root != id || r.matched > id || r.root > id {
                    return Err(IndexError::Corrupt(format!("document {id}: bad links")));
                }
                if !(r.signature.is_empty() || r.signature.len() == k) {
                    return Err(IndexError::Corrupt(format!("document {id}: bad signature")));
                }
                exacts.push((r.exact, id, r.status != 1));
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
        if expected != counts.documents {
            return fail(format!(
                "{expected} document records, counts say {}",
                counts.documents
            ));
        }
        let mut first_copies = 0u64;
        reader.scan_prefix(&[PREFIX_EXACT], &mut |key, value| {
            first_copies += 1;
            let ok = key.len() == 17
                && be_u64(value).is_ok_and(|id| {
                    let hash = u128::from_be_bytes(key[1..].try_into().unwrap());
                    exacts
                        .get(id as usize)
                        .is_some_and(|&(h, _, first)| h == hash && first)
                });
            if !ok {
                problem = Some(IndexError::Corrupt("bad exact-hash entry".into()));
            }
            ok
        })?;
        if let Some(problem) = problem {
            return Err(problem);
        }
        let expected_first = exacts.iter().filter(|e| e.2).count() as u64;
        if first_copies != expected_first {
            return fail(format!(
                "{first_copies} exact-hash entries for {expected_first} first copies"
            ));
        }
        reader.scan_prefix(&[PREFIX_BAND], &mut |key, _| {
            let ok = key.len() == 19
                && be_u64(&key[11..]).is_ok_and(|id| id < counts.documents)
                && u16::from_be_bytes([key[1], key[2]]) < self.lsh.bands as u16;
            if !ok {
                problem = Some(IndexError::Corrupt("bad bucket entry".into()));
            }
            ok
        })?;
        match problem {
            Some(problem) => Err(problem),
            None => Ok(counts),
        }
    }
}

fn stored_root(reader: &impl StoreReader, id: u64, record: &Record) -> Result<DocRef, IndexError> {
    if record.root == id {
        return Ok(record.doc_ref(id));
    }
    let bytes = reader
        .get(&doc_key(record.root))?
        .ok_or_else(|| IndexError::Corrupt(format!("document {} missing", record.root)))?;
    Ok(Record::decode(&bytes)?.doc_ref(record.root))
}

struct StoredMatch {
    found: Match,
    status: u8,
    matched: u64,
    root: u64,
}

impl StoredMatch {
    fn exact(reader: &impl StoreReader, id: u64) -> Result<StoredMatch, IndexError> {
        let bytes = reader
            .get(&doc_key(id))?
            .ok_or_else(|| IndexError::Corrupt(format!("exact hash names missing {id}")))?;
        let record = Record::decode(&bytes)?;
        let root = stored_root(reader, id, &record)?;
        Ok(StoredMatch {
            found: Match {
                kind: MatchKind::Exact,
                matched: record.doc_ref(id),
                similarity: 1.0,
                root: root.clone(),
            },
            status: 1,
            matched: id,
            root: root.id,
        })
    }
}

/// A match within the batch: the match, status, matched id, root id.
type PendingMatch = (Match, u8, u64, u64);

struct Prepared {
    exact: u128,
    has_words: bool,
    signature: Vec<u32>,
    keys: Vec<u64>,
    stored: Option<StoredMatch>,
}

struct Pending {
    record: Record,
    /// Band keys, for first copies with words only.
    keys: Vec<u64>,
}

/// Documents matched but not yet committed, with what later documents of
/// the same batch are matched against. Memory grows with the batch, never
/// with the index.
pub struct Batch<R> {
    reader: R,
    base: Counts,
    docs: Vec<Pending>,
    /// First copy of each exact hash in the batch (slot).
    exact: HashMap<u128, u32>,
    /// (band, key) → slots, in order.
    bands: HashMap<(u16, u64), Vec<u32>>,
    kept: u64,
    exact_duplicates: u64,
    near_duplicates: u64,
}

impl<R> Batch<R> {
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
    fn root_ref(&self, slot: u32) -> DocRef
    where
        R: StoreReader,
    {
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

    fn found(&self, slot: u32, kind: MatchKind, similarity: f64) -> Option<PendingMatch>
    where
        R: StoreReader,
    {
        let record = &self.docs[slot as usize].record;
        let matched = self.base.documents + slot as u64;
        Some((
            Match {
                kind,
                matched: self.doc_ref(slot),
                similarity,
                root: self.root_ref(slot),
            },
            if kind == MatchKind::Exact { 1 } else { 2 },
            matched,
            record.root,
        ))
    }

    fn match_pending_exact(&self, prepared: &Prepared) -> Option<PendingMatch>
    where
        R: StoreReader,
    {
        let &slot = self.exact.get(&prepared.exact)?;
        self.found(slot, MatchKind::Exact, 1.0)
    }

    fn match_pending_near(&self, prepared: &Prepared, threshold: f64) -> Option<PendingMatch>
    where
        R: StoreReader,
    {
        if !prepared.has_words {
            return None;
        }
        let mut candidates: Vec<u32> = prepared
            .keys
            .iter()
            .enumerate()
            .filter_map(|(band, &key)| self.bands.get(&(band as u16, key)))
            .flat_map(|slots| slots.iter().take(MAX_BUCKET_SCAN).copied())
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        for slot in candidates {
            let signature = &self.docs[slot as usize].record.signature;
            let similarity = estimate_jaccard(&prepared.signature, signature);
            if similarity >= threshold {
                return self.found(slot, MatchKind::Near, similarity);
            }
        }
        None
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
            status: 2,
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
}
