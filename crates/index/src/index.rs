//! The index itself: create and open (header, writer lock, store), begin a
//! batch, push documents into it, commit it, check everything.
//!
//! Document records, counts, batch records and the run manifest live in the
//! store; the look-up entries (LSH buckets, exact hashes) live in run files
//! beside it (`runs.rs`). A commit writes the batch's run (merged with the
//! newest runs, see `live_runs.rs`) before the store transaction that names
//! it in the manifest, so the transaction alone decides whether a batch is
//! in.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use thresh_engine::cluster::KeepPolicy;
use thresh_engine::dedup::{DedupConfig, Fingerprinter, MatchConfig, Verify};
use thresh_engine::lsh::{band_keys_into, LshParams};
use thresh_engine::Document;

use crate::batch::{run_entries, Batch};
use crate::check::{check_contents, Shape};
use crate::header::Header;
use crate::layout::{
    batch_put, counts_put, doc_key, find_record, manifest_put, read_batches, read_counts,
    read_manifest, BatchSummary, Counts, STORE_FILE,
};
use crate::live_runs::LiveRuns;
use crate::lock::WriterLock;
use crate::matching::{match_committed, Prepared};
use crate::probe::Probe;
use crate::store::Store;
use crate::verdict::{DocRef, Verdict};
use crate::IndexError;

/// Run ids are `u32` (see `runs.rs`): the index holds at most this many
/// documents.
const MAX_DOCUMENTS: u64 = 1 << 32;

/// A begin that finds a run file gone (merged away by a writer, in another
/// process or on another thread, since the manifest was read) reads the
/// manifest again, this many times at most.
const MANIFEST_RETRIES: usize = 8;

/// A persistent index. Open one writer per index (`create`/`open`: the
/// writer lock is taken) and any number of readers (`open_read_only`), in
/// this process or others.
pub struct Index {
    dir: PathBuf,
    store: Store,
    header: Header,
    fingerprinter: Fingerprinter,
    lsh: LshParams,
    runs: LiveRuns,
    /// Held by a writer for as long as the index is open (released when it
    /// is dropped), `None` for a reader.
    _lock: Option<WriterLock>,
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
        store.commit(vec![
            Header::new(config).put(),
            counts_put(&Counts::default()),
            manifest_put(&[]),
        ])?;
        Self::with_store(dir, store, Some(lock))
    }

    /// Open an existing index for adding; fails if another process writes.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        let path = Self::store_path(dir)?;
        let lock = WriterLock::acquire(dir)?;
        Self::open_writer(dir, &path, lock)
    }

    /// Open an existing index for queries, beside a writer if there is one.
    pub fn open_read_only(dir: &Path) -> Result<Self, IndexError> {
        let path = Self::store_path(dir)?;
        match Store::open_read_only(&path) {
            Ok(store) => Self::with_store(dir, store, None),
            // A store left by a crash needs a repair, which only a writer
            // can do: do it now if no writer is running.
            Err(read_only_error) => match WriterLock::acquire(dir) {
                Ok(lock) => Self::open_writer(dir, &path, lock),
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

    /// Open for writing, with the lock held, and clear what a crash left.
    fn open_writer(dir: &Path, path: &Path, lock: WriterLock) -> Result<Self, IndexError> {
        let store = Store::open_writable(path)?;
        let index = Self::with_store(dir, store, Some(lock))?;
        let live = read_manifest(&index.store.reader()?)?;
        index.runs.remove_orphans(&live)?;
        Ok(index)
    }

    fn with_store(dir: &Path, store: Store, lock: Option<WriterLock>) -> Result<Self, IndexError> {
        let header = Header::read(&store.reader()?, dir)?;
        Ok(Index {
            dir: dir.to_path_buf(),
            fingerprinter: Fingerprinter::new(&header.config),
            lsh: header.config.lsh_params(),
            header,
            store,
            runs: LiveRuns::new(dir),
            _lock: lock,
        })
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
        let differences = self.header.differences(wanted);
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
        read_batches(&self.store.reader()?)
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
        let record = find_record(&self.store.reader()?, id)?;
        Ok(record.map(|record| record.doc_ref(id)))
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
            match self.runs.open_all(&manifest) {
                Ok(runs) => return Ok(Batch::new(reader, base, manifest, runs)),
                // A writer merged a run away after we read the manifest:
                // its successor is named in a newer one. The writer may be
                // in another process, or this index's own commit on another
                // thread (a server checking while it adds).
                Err(error) if attempt < MANIFEST_RETRIES && is_missing_file(&error) => {
                    attempt += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Fingerprint `documents` in parallel, match them (in input order) and
    /// record them in `batch`. Returns one verdict per document.
    pub fn push(
        &self,
        batch: &mut Batch,
        documents: &[Document],
    ) -> Result<Vec<Verdict>, IndexError> {
        let threshold = self.header.config.threshold;
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
            p.stored = match_committed(reader, p, &probe, threshold)?;
            Ok::<_, IndexError>(())
        })?;
        // Then in input order, against the batch's earlier documents.
        Ok(batch.decide(documents, prepared, threshold))
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

    /// Write `batch` in one transaction: after a crash, either all of it is
    /// in the index or none of it. Returns the batch's summary.
    pub fn commit(&self, batch: Batch) -> Result<BatchSummary, IndexError> {
        // Refused before anything is written: a read-only handle must not
        // write run files, nor report a writer's commit as a conflict.
        if !self.store.is_writable() {
            return Err(IndexError::ReadOnly);
        }
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
        let (manifest, retired) = self.runs.write_next(manifest, &fresh, ids)?;
        drop(fresh);
        let mut puts = Vec::with_capacity(docs.len() + 3);
        for (slot, pending) in docs.into_iter().enumerate() {
            let id = base.documents + slot as u64;
            puts.push((doc_key(id), pending.record.encode(id)));
        }
        puts.push(manifest_put(&manifest));
        puts.push(batch_put(&summary));
        puts.push(counts_put(&counts));
        self.store.commit(puts)?;
        self.runs.retire(&retired);
        Ok(summary)
    }

    /// Check the store's structure and the index's own invariants: document
    /// ids are 0..documents without gaps, the batches tile them, the counts
    /// add up, the run files are intact and hold the entries the documents
    /// imply.
    pub fn check(&mut self) -> Result<Counts, IndexError> {
        let store = self.dir.join(STORE_FILE).display().to_string();
        let sound = self.store.check_integrity().map_err(|error| match error {
            IndexError::Store(message) => IndexError::Corrupt(format!("{store}: {message}")),
            other => other,
        })?;
        if !sound {
            return Err(IndexError::Corrupt(format!(
                "{store}: the store needed a repair"
            )));
        }
        let shape = Shape {
            num_perm: self.header.config.num_perm,
            bands: self.lsh.bands,
        };
        check_contents(&self.store.reader()?, &self.dir, &shape)
    }
}

/// A run file that is not there (as opposed to one that is damaged).
fn is_missing_file(error: &IndexError) -> bool {
    matches!(error, IndexError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
}
