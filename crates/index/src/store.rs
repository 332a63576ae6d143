//! The key-value store under the index, behind a small trait so that another
//! embedded store (fjall, LMDB) can replace redb without touching the index
//! logic.
//!
//! Keys and values are bytes; keys sort lexicographically, which the index
//! uses to lay out its records (see `index.rs`) and to scan by prefix.

use std::path::Path;

use redb::{
    Builder, ConcurrencyMode, Database, ReadOnlyDatabase, ReadOnlyTable, ReadableDatabase,
    TableDefinition,
};

use crate::IndexError;

/// A read view: a consistent snapshot of everything committed when it was
/// taken. Shared by the worker threads that match a batch.
pub trait StoreReader: Send + Sync {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, IndexError>;
    /// Call `visit` with every (key, value) whose key starts with `prefix`,
    /// in key order, until it returns `false`.
    fn scan_prefix(
        &self,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), IndexError>;
}

/// An embedded, crash-safe, ordered key-value store.
pub trait Store: Send + Sync + Sized {
    type Reader: StoreReader;
    /// Open for writing (creating the file if needed). Only one process may
    /// hold a store open for writing; the caller enforces that with a lock.
    fn open_writable(path: &Path) -> Result<Self, IndexError>;
    /// Open read-only, beside a writer in another process.
    fn open_read_only(path: &Path) -> Result<Self, IndexError>;
    /// A snapshot of what is committed now.
    fn reader(&self) -> Result<Self::Reader, IndexError>;
    /// Write all `puts` in one durable transaction: after a crash either all
    /// of them are there or none is. Sorted by key first (B-tree locality).
    fn commit(&self, puts: Vec<(Vec<u8>, Vec<u8>)>) -> Result<(), IndexError>;
    /// The store's own structural check (page checksums, allocator), where it
    /// has one; `Ok(true)` when sound.
    fn check_integrity(&mut self) -> Result<bool, IndexError>;
}

const TABLE: TableDefinition<&[u8], &[u8]> = TableDefinition::new("thresh-index");

/// redb: one file, copy-on-write B-trees, ACID transactions that are durable
/// at commit, MVCC readers, and (in `SingleWriter` mode) readers in other
/// processes while one process writes.
pub enum RedbStore {
    Writable(Database),
    ReadOnly(ReadOnlyDatabase),
}

fn store_error(error: impl Into<redb::Error>) -> IndexError {
    IndexError::Store(error.into().to_string())
}

fn builder() -> Builder {
    let mut builder = Builder::new();
    builder.set_concurrency_mode(ConcurrencyMode::SingleWriter);
    // The page cache is the store's only memory that grows with use: cap it
    // so that memory stays bounded whatever the size of the index.
    builder.set_cache_size(256 << 20);
    builder
}

pub struct RedbReader {
    table: Option<ReadOnlyTable<&'static [u8], &'static [u8]>>,
}

impl StoreReader for RedbReader {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, IndexError> {
        let Some(table) = &self.table else {
            return Ok(None);
        };
        Ok(table
            .get(key)
            .map_err(store_error)?
            .map(|value| value.value().to_vec()))
    }

    fn scan_prefix(
        &self,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), IndexError> {
        let Some(table) = &self.table else {
            return Ok(());
        };
        for entry in table.range::<&[u8]>(prefix..).map_err(store_error)? {
            let (key, value) = entry.map_err(store_error)?;
            if !key.value().starts_with(prefix) || !visit(key.value(), value.value()) {
                break;
            }
        }
        Ok(())
    }
}

impl Store for RedbStore {
    type Reader = RedbReader;

    fn open_writable(path: &Path) -> Result<Self, IndexError> {
        Ok(RedbStore::Writable(
            builder().create(path).map_err(store_error)?,
        ))
    }

    fn open_read_only(path: &Path) -> Result<Self, IndexError> {
        Ok(RedbStore::ReadOnly(
            builder().open_read_only(path).map_err(store_error)?,
        ))
    }

    fn reader(&self) -> Result<RedbReader, IndexError> {
        let txn = match self {
            RedbStore::Writable(db) => db.begin_read(),
            RedbStore::ReadOnly(db) => db.begin_read(),
        }
        .map_err(store_error)?;
        let table = match txn.open_table(TABLE) {
            Ok(table) => Some(table),
            Err(redb::TableError::TableDoesNotExist(_)) => None,
            Err(error) => return Err(store_error(error)),
        };
        Ok(RedbReader { table })
    }

    fn commit(&self, mut puts: Vec<(Vec<u8>, Vec<u8>)>) -> Result<(), IndexError> {
        let RedbStore::Writable(db) = self else {
            return Err(IndexError::ReadOnly);
        };
        puts.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let txn = db.begin_write().map_err(store_error)?;
        {
            let mut table = txn.open_table(TABLE).map_err(store_error)?;
            for (key, value) in &puts {
                table
                    .insert(key.as_slice(), value.as_slice())
                    .map_err(store_error)?;
            }
        }
        txn.commit().map_err(store_error)
    }

    fn check_integrity(&mut self) -> Result<bool, IndexError> {
        match self {
            RedbStore::Writable(db) => db.check_integrity().map_err(store_error),
            // A read-only handle cannot repair; the logical checks still run.
            RedbStore::ReadOnly(_) => Ok(true),
        }
    }
}
