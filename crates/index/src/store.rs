//! The key-value store under the index: redb, one file, opened for writing
//! by one process and read-only by any number of others.
//!
//! Keys and values are bytes; keys sort lexicographically, which the index
//! uses to lay out its records (see `layout.rs`) and to scan by prefix.

use std::path::Path;

use redb::{
    Builder, ConcurrencyMode, Database, ReadOnlyDatabase, ReadOnlyTable, ReadableDatabase,
    TableDefinition,
};

use crate::IndexError;

/// The most memory the store's page cache may take (see [`builder`]).
const STORE_CACHE_BYTES: usize = 4 << 20;

const TABLE: TableDefinition<&[u8], &[u8]> = TableDefinition::new("thresh-index");

/// redb: copy-on-write B-trees, ACID transactions that are durable at
/// commit, MVCC readers, and (in `SingleWriter` mode) readers in other
/// processes while one process writes.
pub(crate) enum Store {
    Writable(Database),
    ReadOnly(ReadOnlyDatabase),
}

fn store_error(error: impl Into<redb::Error>) -> IndexError {
    IndexError::Store(error.into().to_string())
}

/// A store error that names the file, for the errors of opening it (which
/// is where redb finds a damaged file).
fn store_file_error(path: &Path) -> impl FnOnce(redb::DatabaseError) -> IndexError + '_ {
    move |error| IndexError::Store(format!("{}: {}", path.display(), redb::Error::from(error)))
}

fn builder() -> Builder {
    let mut builder = Builder::new();
    builder.set_concurrency_mode(ConcurrencyMode::SingleWriter);
    // The page cache is the store's only memory that grows with use: cap it
    // so that memory stays bounded whatever the size of the index. The cap
    // is what a long-running server settles at, so keep it small: the
    // operating system caches the file too. At 256 MB `thresh serve` grew
    // by a kilobyte per added document for as long as we watched; at 16 MB
    // it levelled off after about 30,000 adds (13 minutes of a soak), at
    // 4 MB after about 4,000; `index add` and the server's checks run as
    // fast at 4 MB (BENCHMARKS.md, the serve soak).
    builder.set_cache_size(STORE_CACHE_BYTES);
    builder
}

impl Store {
    /// Open for writing (creating the file if needed). Only one process may
    /// hold a store open for writing; the caller enforces that with a lock.
    pub(crate) fn open_writable(path: &Path) -> Result<Store, IndexError> {
        Ok(Store::Writable(
            builder().create(path).map_err(store_file_error(path))?,
        ))
    }

    /// Open read-only, beside a writer in another process.
    pub(crate) fn open_read_only(path: &Path) -> Result<Store, IndexError> {
        Ok(Store::ReadOnly(
            builder()
                .open_read_only(path)
                .map_err(store_file_error(path))?,
        ))
    }

    /// A snapshot of what is committed now.
    pub(crate) fn reader(&self) -> Result<Reader, IndexError> {
        let txn = match self {
            Store::Writable(db) => db.begin_read(),
            Store::ReadOnly(db) => db.begin_read(),
        }
        .map_err(store_error)?;
        let table = match txn.open_table(TABLE) {
            Ok(table) => Some(table),
            Err(redb::TableError::TableDoesNotExist(_)) => None,
            Err(error) => return Err(store_error(error)),
        };
        Ok(Reader { table })
    }

    /// Whether this handle may write (a read-only handle never does).
    pub(crate) fn is_writable(&self) -> bool {
        matches!(self, Store::Writable(_))
    }

    /// Write all `puts` in one durable transaction: after a crash either all
    /// of them are there or none is. Sorted by key first (B-tree locality).
    pub(crate) fn commit(&self, mut puts: Vec<(Vec<u8>, Vec<u8>)>) -> Result<(), IndexError> {
        let Store::Writable(db) = self else {
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

    /// redb's own structural check (page checksums, allocator); `Ok(true)`
    /// when sound.
    pub(crate) fn check_integrity(&mut self) -> Result<bool, IndexError> {
        match self {
            Store::Writable(db) => db.check_integrity().map_err(store_error),
            // A read-only handle cannot repair; the logical checks still run.
            Store::ReadOnly(_) => Ok(true),
        }
    }
}

/// A read view: a consistent snapshot of everything committed when it was
/// taken. Shared by the worker threads that match a batch.
pub(crate) struct Reader {
    table: Option<ReadOnlyTable<&'static [u8], &'static [u8]>>,
}

impl Reader {
    pub(crate) fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, IndexError> {
        let Some(table) = &self.table else {
            return Ok(None);
        };
        Ok(table
            .get(key)
            .map_err(store_error)?
            .map(|value| value.value().to_vec()))
    }

    /// Call `visit` with every (key, value) whose key starts with `prefix`,
    /// in key order, until it returns `false`.
    pub(crate) fn scan_prefix(
        &self,
        prefix: &[u8],
        mut visit: impl FnMut(&[u8], &[u8]) -> bool,
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
