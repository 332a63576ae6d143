//! Run files: the index's look-up entries (LSH bucket membership and
//! exact-hash entries), outside the store, in immutable sorted files.
//!
//! A *run* holds fixed-width entries `(key: u64, id: u32)` sorted by key,
//! then id. The key is a 64-bit hash of what is looked up (a band number
//! with its band key, or the exact hash, see `probe.rs`); two different
//! things can share a key, which is harmless because every candidate id is
//! verified against its document record. Ids are `u32`: 12 bytes an entry
//! instead of 16, 21 entries a document, for an index of at most 2³²
//! documents (the index refuses to grow past that).
//!
//! # File layout (little-endian)
//!
//! | bytes | content |
//! |---|---|
//! | 32 | header: magic `THRSHRUN`, version, entries per block, entry count, 0 |
//! | 2,048 × blocks | blocks: [`BLOCK_ENTRIES`] entries (2,040 bytes; the last block may hold fewer), then the xxh3-64 of those bytes seeded with the block's number |
//! | 8 × blocks | fences: the key of each block's first entry |
//! | 8 | xxh3-64 of everything before it |
//!
//! Opening a run reads only its header, fences (1/255 of the entries: 10 MB
//! at 10 million documents) and checksum; look-ups `pread` the blocks they
//! need, so the page cache, not the process, holds the entries and memory
//! grows with the index only by the fences. Every block read is checked
//! against its own checksum, so a damaged block is an error naming the file
//! (never a missed or invented entry), and the trailer checks the whole
//! file when the index is verified.
//!
//! A run is written to a temporary name, synced, renamed into place and
//! the directory synced before the store commits the manifest that names
//! it: a crash leaves at worst an orphan file, never a named one missing.
//! The manifest ([`RunMeta`] list) lives in the store; this module only
//! writes, reads, merges and verifies files.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_64_with_seed, Xxh3};

use crate::IndexError;

/// One look-up entry: key, document id.
pub(crate) type Entry = (u64, u32);

const MAGIC: &[u8; 8] = b"THRSHRUN";
/// 2: a checksum after each block.
const RUN_VERSION: u32 = 2;
const HEADER_BYTES: u64 = 32;
const ENTRY_BYTES: usize = 12;
/// Entries per block (2,040 bytes). A look-up of a key reads its block:
/// profiles of large indexes show the copy out of the page cache, not the
/// system call, dominating that cost, hence blocks of half a page rather
/// than a page (and twice the fences).
pub(crate) const BLOCK_ENTRIES: usize = 170;
/// A block's checksum after its entries.
const BLOCK_CHECKSUM_BYTES: usize = 8;
/// A full block with its checksum: 2,048 bytes.
const BLOCK_BYTES: usize = BLOCK_ENTRIES * ENTRY_BYTES + BLOCK_CHECKSUM_BYTES;
/// A look-up reads at most this many consecutive needed blocks at once
/// (128 KB): a dense look-up streams the run, a sparse one reads only the
/// blocks it needs.
const MAX_SPAN_BLOCKS: usize = 64;
const STREAM_BUFFER: usize = 1 << 20;
/// See [`merge_point`].
const MERGE_FACTOR: u64 = 2;
const FILE_PREFIX: &str = "run-";
const FILE_SUFFIX: &str = ".thr";
const TEMP_SUFFIX: &str = ".tmp";

/// A live run, as the manifest in the store names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RunMeta {
    pub file: String,
    /// The documents whose entries it holds: ids `first_id..end_id`.
    pub first_id: u64,
    pub end_id: u64,
    pub entries: u64,
    pub checksum: u64,
}

/// The file name of the run of documents `first_id..end_id`. A range
/// names at most one live run ever (ids are never removed, and a merge
/// always covers more ids than any of its inputs), so readers may cache
/// runs by name.
fn file_name(first_id: u64, end_id: u64) -> String {
    format!("{FILE_PREFIX}{first_id:010}-{end_id:010}{FILE_SUFFIX}")
}

/// Whether `name` is a run file or a run being written.
pub(crate) fn is_run_file(name: &str) -> bool {
    name.starts_with(FILE_PREFIX) && (name.ends_with(FILE_SUFFIX) || name.ends_with(TEMP_SUFFIX))
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> IndexError + '_ {
    move |source| IndexError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn corrupt(path: &Path, what: &str) -> IndexError {
    IndexError::Corrupt(format!("{}: {what}", path.display()))
}

fn read_u64(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

fn entry_at(bytes: &[u8], i: usize) -> Entry {
    let at = i * ENTRY_BYTES;
    (read_u64(bytes, at), read_u32(bytes, at + 8))
}

fn blocks_for_entries(entries: u64) -> u64 {
    entries.div_ceil(BLOCK_ENTRIES as u64)
}

/// Where block `block` starts in the file.
fn block_offset(block: usize) -> u64 {
    HEADER_BYTES + (block * BLOCK_BYTES) as u64
}

/// The bytes of the blocks of a run of `entries`, checksums included.
fn blocks_len(entries: u64) -> Option<u64> {
    let checksums = blocks_for_entries(entries) * BLOCK_CHECKSUM_BYTES as u64;
    entries
        .checked_mul(ENTRY_BYTES as u64)?
        .checked_add(checksums)
}

/// The size of a run of `entries`; `u64::MAX` (no file has it) when a
/// damaged count would overflow.
fn expected_file_len(entries: u64) -> u64 {
    blocks_len(entries)
        .and_then(|bytes| bytes.checked_add(blocks_for_entries(entries) * 8))
        .and_then(|bytes| bytes.checked_add(HEADER_BYTES + 8))
        .unwrap_or(u64::MAX)
}

/// The checksum of block number `block` holding `entries` (its bytes).
fn block_checksum(block: usize, entries: &[u8]) -> u64 {
    xxh3_64_with_seed(entries, block as u64)
}

/// Checks the blocks `first..` laid out in `raw` (entries, checksum, …)
/// and appends their entries to `out`.
fn checked_entries(
    path: &Path,
    raw: &[u8],
    first: usize,
    out: &mut Vec<u8>,
) -> Result<(), IndexError> {
    for (i, block) in raw.chunks(BLOCK_BYTES).enumerate() {
        let (entries, checksum) = block
            .split_last_chunk::<BLOCK_CHECKSUM_BYTES>()
            .ok_or_else(|| corrupt(path, "truncated block"))?;
        if u64::from_le_bytes(*checksum) != block_checksum(first + i, entries) {
            return Err(corrupt(
                path,
                &format!("block {} is damaged (checksum mismatch)", first + i),
            ));
        }
        out.extend_from_slice(entries);
    }
    Ok(())
}

/// An open run: its file and fences. Immutable; shared by batches.
pub(crate) struct Run {
    meta: RunMeta,
    path: PathBuf,
    file: File,
    fences: Vec<u64>,
}

/// Consecutive blocks read by one `pread`.
#[derive(Default)]
struct Span {
    first_block: usize,
    end_block: usize,
    /// The blocks' entries, checked and without their checksums.
    bytes: Vec<u8>,
    /// The blocks as read.
    raw: Vec<u8>,
}

impl Span {
    fn covers(&self, first: usize, last: usize) -> bool {
        first >= self.first_block && last < self.end_block
    }
}

impl Run {
    /// Open the run `meta` names in `dir`, checking its header, size and
    /// checksum trailer against the manifest (not its entries: see
    /// [`Run::verify`]).
    pub(crate) fn open(dir: &Path, meta: &RunMeta) -> Result<Run, IndexError> {
        let path = dir.join(&meta.file);
        let file = File::open(&path).map_err(io_error(&path))?;
        let len = file.metadata().map_err(io_error(&path))?.len();
        let mut header = [0u8; HEADER_BYTES as usize];
        file.read_exact_at(&mut header, 0)
            .map_err(|_| corrupt(&path, "truncated run header"))?;
        if &header[..8] != MAGIC {
            return Err(corrupt(&path, "not a run file (bad magic)"));
        }
        if read_u32(&header, 8) != RUN_VERSION || read_u32(&header, 12) != BLOCK_ENTRIES as u32 {
            return Err(corrupt(&path, "unsupported run version"));
        }
        let entries = read_u64(&header, 16);
        if entries != meta.entries || len != expected_file_len(entries) {
            return Err(corrupt(
                &path,
                &format!(
                    "{len} bytes and {entries} entries, the manifest says {} entries",
                    meta.entries
                ),
            ));
        }
        let blocks = blocks_for_entries(entries) as usize;
        let mut raw = vec![0u8; blocks * 8 + 8];
        let fences_at = HEADER_BYTES + blocks_len(entries).expect("the length was checked");
        file.read_exact_at(&mut raw, fences_at)
            .map_err(io_error(&path))?;
        if read_u64(&raw, blocks * 8) != meta.checksum {
            return Err(corrupt(&path, "checksum differs from the manifest's"));
        }
        let fences = raw[..blocks * 8]
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect();
        Ok(Run {
            meta: meta.clone(),
            path,
            file,
            fences,
        })
    }

    pub(crate) fn meta(&self) -> &RunMeta {
        &self.meta
    }

    /// The blocks that can hold `key` (first, last), if any, searching
    /// from block `from` on (the first block of a smaller key).
    fn blocks_for(&self, key: u64, from: usize) -> Option<(usize, usize)> {
        let fences = &self.fences[from..];
        let end = from + fences.partition_point(|&f| f <= key);
        if end == 0 {
            return None;
        }
        // A key equal to a fence may also end the block before it.
        let first = (from + fences[..end - from].partition_point(|&f| f < key)).saturating_sub(1);
        Some((first, end - 1))
    }

    /// Where a read that must hold blocks `first..=last` for `keys[0]`
    /// should end: later keys whose blocks are next to it join the read.
    fn span_end(&self, keys: &[u64], first: usize, last: usize) -> usize {
        let mut end = last + 1;
        for &key in &keys[1..] {
            let Some((from, to)) = self.blocks_for(key, first) else {
                continue;
            };
            if from > end || to + 1 - first > MAX_SPAN_BLOCKS {
                break;
            }
            end = end.max(to + 1);
        }
        end
    }

    /// Reads blocks `first..end` into `span`, each checked.
    fn load(&self, span: &mut Span, first: usize, end: usize) -> Result<(), IndexError> {
        let blocks_end = HEADER_BYTES + blocks_len(self.meta.entries).expect("checked at open");
        let to = block_offset(end).min(blocks_end);
        span.raw.resize((to - block_offset(first)) as usize, 0);
        self.file
            .read_exact_at(&mut span.raw, block_offset(first))
            .map_err(io_error(&self.path))?;
        span.bytes.clear();
        checked_entries(&self.path, &span.raw, first, &mut span.bytes)?;
        span.first_block = first;
        span.end_block = end;
        Ok(())
    }

    /// Call `hit(i, id)` for every entry whose key is `keys[i]`, in key
    /// order then id order. `keys` must be ascending and distinct. Reads
    /// each needed block once; neighbouring blocks are read together, so a
    /// dense look-up streams the file and a sparse one reads single blocks.
    pub(crate) fn find_sorted(
        &self,
        keys: &[u64],
        hit: &mut impl FnMut(usize, u32),
    ) -> Result<(), IndexError> {
        let mut span = Span::default();
        let mut from = 0;
        for (i, &key) in keys.iter().enumerate() {
            let Some((first, last)) = self.blocks_for(key, from) else {
                continue;
            };
            from = first;
            if !span.covers(first, last) {
                let end = self.span_end(&keys[i..], first, last);
                self.load(&mut span, first, end)?;
            }
            let entries = span.bytes.len() / ENTRY_BYTES;
            let lo = (first - span.first_block) * BLOCK_ENTRIES;
            let hi = ((last + 1 - span.first_block) * BLOCK_ENTRIES).min(entries);
            let start = lo + partition(lo..hi, |j| entry_at(&span.bytes, j).0 < key);
            for j in start..hi {
                let (k, id) = entry_at(&span.bytes, j);
                if k != key {
                    break;
                }
                hit(i, id);
            }
        }
        Ok(())
    }

    /// Every entry in order, read sequentially (merges and checks).
    fn stream(&self) -> Result<EntryStream, IndexError> {
        let mut file = self.file.try_clone().map_err(io_error(&self.path))?;
        file.seek(SeekFrom::Start(HEADER_BYTES))
            .map_err(io_error(&self.path))?;
        Ok(EntryStream {
            reader: BufReader::with_capacity(STREAM_BUFFER, file),
            remaining: self.meta.entries,
            path: self.path.clone(),
            block: 0,
            raw: Vec::with_capacity(BLOCK_BYTES),
            entries: Vec::with_capacity(BLOCK_BYTES),
            next: 0,
        })
    }

    /// Full check of the file: each block's checksum (naming a damaged
    /// block), entries sorted, ids inside the run's range, fences matching
    /// the entries, then the checksum over every byte (the header and
    /// fences too).
    pub(crate) fn verify(&self) -> Result<(), IndexError> {
        let mut previous: Option<Entry> = None;
        let mut stream = self.stream()?;
        let mut index = 0usize;
        while let Some(entry) = stream.next_entry()? {
            if previous.is_some_and(|p| p > entry) {
                return Err(corrupt(&self.path, "entries out of order"));
            }
            let id = u64::from(entry.1);
            if id < self.meta.first_id || id >= self.meta.end_id {
                return Err(corrupt(
                    &self.path,
                    &format!("entry names document {id}, outside the run's range"),
                ));
            }
            if index.is_multiple_of(BLOCK_ENTRIES) && self.fences[index / BLOCK_ENTRIES] != entry.0
            {
                return Err(corrupt(&self.path, "fence differs from its block"));
            }
            previous = Some(entry);
            index += 1;
        }
        self.verify_checksum()
    }

    fn verify_checksum(&self) -> Result<(), IndexError> {
        let len = expected_file_len(self.meta.entries);
        let mut file = self.file.try_clone().map_err(io_error(&self.path))?;
        file.seek(SeekFrom::Start(0))
            .map_err(io_error(&self.path))?;
        let mut reader = BufReader::with_capacity(STREAM_BUFFER, file).take(len - 8);
        let mut hasher = Xxh3::new();
        let mut buffer = vec![0u8; STREAM_BUFFER];
        loop {
            let n = reader.read(&mut buffer).map_err(io_error(&self.path))?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
        }
        if hasher.digest() != self.meta.checksum {
            return Err(corrupt(
                &self.path,
                "checksum mismatch (the file is damaged)",
            ));
        }
        Ok(())
    }
}

/// The first position in `range` where `before` turns false (`before`
/// is true then false along the range).
fn partition(range: std::ops::Range<usize>, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (range.start, range.end);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo - range.start
}

/// Sequential reader of a run's entries, a checked block at a time.
struct EntryStream {
    reader: BufReader<File>,
    /// Entries not yet read from the file.
    remaining: u64,
    path: PathBuf,
    /// The number of the next block to read.
    block: usize,
    raw: Vec<u8>,
    /// The current block's entries, and the next one to return.
    entries: Vec<u8>,
    next: usize,
}

impl EntryStream {
    fn next_entry(&mut self) -> Result<Option<Entry>, IndexError> {
        if self.next * ENTRY_BYTES == self.entries.len() {
            if self.remaining == 0 {
                return Ok(None);
            }
            self.read_block()?;
        }
        let entry = entry_at(&self.entries, self.next);
        self.next += 1;
        Ok(Some(entry))
    }

    fn read_block(&mut self) -> Result<(), IndexError> {
        let count = self.remaining.min(BLOCK_ENTRIES as u64) as usize;
        self.raw
            .resize(count * ENTRY_BYTES + BLOCK_CHECKSUM_BYTES, 0);
        self.reader
            .read_exact(&mut self.raw)
            .map_err(io_error(&self.path))?;
        self.entries.clear();
        checked_entries(&self.path, &self.raw, self.block, &mut self.entries)?;
        self.remaining -= count as u64;
        self.block += 1;
        self.next = 0;
        Ok(())
    }
}

/// Writes a run: to a temporary name first, renamed into place by
/// [`RunWriter::finish`] once synced.
struct RunWriter {
    temp: PathBuf,
    out: BufWriter<File>,
    hasher: Xxh3,
    expected: u64,
    written: u64,
    fences: Vec<u64>,
    /// The entries of the block being filled.
    block: Vec<u8>,
    last: Option<Entry>,
}

impl RunWriter {
    fn create(dir: &Path, name: &str, entries: u64) -> Result<RunWriter, IndexError> {
        let temp = dir.join(format!("{name}{TEMP_SUFFIX}"));
        let file = File::create(&temp).map_err(io_error(&temp))?;
        let mut writer = RunWriter {
            out: BufWriter::with_capacity(STREAM_BUFFER, file),
            temp,
            hasher: Xxh3::new(),
            expected: entries,
            written: 0,
            fences: Vec::with_capacity(blocks_for_entries(entries) as usize),
            block: Vec::with_capacity(BLOCK_BYTES),
            last: None,
        };
        let mut header = [0u8; HEADER_BYTES as usize];
        header[..8].copy_from_slice(MAGIC);
        header[8..12].copy_from_slice(&RUN_VERSION.to_le_bytes());
        header[12..16].copy_from_slice(&(BLOCK_ENTRIES as u32).to_le_bytes());
        header[16..24].copy_from_slice(&entries.to_le_bytes());
        writer.write_bytes(&header)?;
        Ok(writer)
    }

    fn write_bytes(&mut self, bytes: &[u8]) -> Result<(), IndexError> {
        self.hasher.update(bytes);
        self.out.write_all(bytes).map_err(io_error(&self.temp))
    }

    fn push(&mut self, entry: Entry) -> Result<(), IndexError> {
        debug_assert!(
            self.last.is_none_or(|last| last <= entry),
            "run entries sorted"
        );
        if self.written.is_multiple_of(BLOCK_ENTRIES as u64) {
            self.fences.push(entry.0);
        }
        self.block.extend_from_slice(&entry.0.to_le_bytes());
        self.block.extend_from_slice(&entry.1.to_le_bytes());
        self.written += 1;
        self.last = Some(entry);
        if self.written.is_multiple_of(BLOCK_ENTRIES as u64) {
            self.write_block()?;
        }
        Ok(())
    }

    /// Writes the block being filled and its checksum.
    fn write_block(&mut self) -> Result<(), IndexError> {
        let number = self.fences.len() - 1;
        let checksum = block_checksum(number, &self.block);
        let block = std::mem::take(&mut self.block);
        self.write_bytes(&block)?;
        self.write_bytes(&checksum.to_le_bytes())?;
        self.block = block;
        self.block.clear();
        Ok(())
    }

    /// Write fences and checksum, sync, rename to `name`, sync the
    /// directory: once this returns, the run survives a crash.
    fn finish(mut self, dir: &Path, name: String, ids: (u64, u64)) -> Result<RunMeta, IndexError> {
        assert_eq!(self.written, self.expected, "run entry count");
        if !self.block.is_empty() {
            self.write_block()?;
        }
        let fences: Vec<u8> = self.fences.iter().flat_map(|f| f.to_le_bytes()).collect();
        self.write_bytes(&fences)?;
        let checksum = self.hasher.digest();
        let temp = self.temp.clone();
        self.out
            .write_all(&checksum.to_le_bytes())
            .map_err(io_error(&temp))?;
        let file = self
            .out
            .into_inner()
            .map_err(|e| io_error(&temp)(e.into_error()))?;
        file.sync_all().map_err(io_error(&temp))?;
        drop(file);
        let path = dir.join(&name);
        fs::rename(&temp, &path).map_err(io_error(&path))?;
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io_error(dir))?;
        Ok(RunMeta {
            file: name,
            first_id: ids.0,
            end_id: ids.1,
            entries: self.written,
            checksum,
        })
    }
}

/// How many of the oldest runs of `manifest` stay as they are when a batch
/// adds `fresh` entries; the rest are merged with them into one run.
///
/// The newest runs are merged while the merge so far is more than half the
/// size of the run before it (`MERGE_FACTOR`). With batches of equal size
/// this counts in binary: n batches leave at most log₂ n runs, and each
/// entry is rewritten about log₂ n times over the life of the index. It
/// depends only on sizes, so the same batches always give the same runs.
pub(crate) fn merge_point(manifest: &[RunMeta], fresh: u64) -> usize {
    let mut total = fresh;
    let mut keep = manifest.len();
    while keep > 0 && total * MERGE_FACTOR > manifest[keep - 1].entries {
        total += manifest[keep - 1].entries;
        keep -= 1;
    }
    keep
}

/// Write one run of the documents `first_id..end_id` from `fresh` (sorted
/// entries not yet in any run) merged with the runs `older` (whose ids all
/// come before `fresh`'s, in id order).
pub(crate) fn write_merged(
    dir: &Path,
    older: &[std::sync::Arc<Run>],
    fresh: &[Entry],
    ids: (u64, u64),
) -> Result<RunMeta, IndexError> {
    let total = older.iter().map(|r| r.meta.entries).sum::<u64>() + fresh.len() as u64;
    let name = file_name(ids.0, ids.1);
    let mut writer = RunWriter::create(dir, &name, total)?;
    let mut streams = older
        .iter()
        .map(|r| r.stream())
        .collect::<Result<Vec<_>, _>>()?;
    let mut fresh = fresh.iter().copied();
    // Min-heap of each source's next entry; ties cannot happen (an id is
    // in one source only).
    let fresh_source = streams.len();
    let mut heap = BinaryHeap::new();
    for (source, stream) in streams.iter_mut().enumerate() {
        if let Some(entry) = stream.next_entry()? {
            heap.push(Reverse((entry, source)));
        }
    }
    if let Some(entry) = fresh.next() {
        heap.push(Reverse((entry, fresh_source)));
    }
    while let Some(Reverse((entry, source))) = heap.pop() {
        writer.push(entry)?;
        let next = if source == fresh_source {
            fresh.next()
        } else {
            streams[source].next_entry()?
        };
        if let Some(next) = next {
            heap.push(Reverse((next, source)));
        }
    }
    writer.finish(dir, name, ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn entries(n: u32, keys: u64) -> Vec<Entry> {
        let mut out: Vec<Entry> = (0..n).map(|id| ((id as u64 * 7919) % keys, id)).collect();
        out.sort_unstable();
        out
    }

    fn lookup(run: &Run, keys: &[u64]) -> Vec<(usize, u32)> {
        let mut hits = Vec::new();
        run.find_sorted(keys, &mut |i, id| hits.push((i, id)))
            .unwrap();
        hits
    }

    #[test]
    fn look_ups_find_every_entry_across_block_boundaries() {
        let dir = tempfile::TempDir::new().unwrap();
        // Few distinct keys: buckets of ~20 entries straddle blocks.
        let all = entries(5000, 250);
        let meta = write_merged(dir.path(), &[], &all, (0, 5000)).unwrap();
        let run = Run::open(dir.path(), &meta).unwrap();
        run.verify().unwrap();
        let keys: Vec<u64> = (0..300).collect();
        let hits = lookup(&run, &keys);
        let expected: Vec<(usize, u32)> = all.iter().map(|&(k, id)| (k as usize, id)).collect();
        assert_eq!(hits, expected);
        // Buckets longer than a block.
        let long = entries(1000, 2);
        let meta = write_merged(dir.path(), &[], &long, (0, 1000)).unwrap();
        let run = Run::open(dir.path(), &meta).unwrap();
        let expected: Vec<(usize, u32)> = long.iter().map(|&(k, id)| (k as usize, id)).collect();
        assert_eq!(lookup(&run, &[0, 1]), expected);
        let run = Run::open(
            dir.path(),
            &write_merged(dir.path(), &[], &all, (0, 5000)).unwrap(),
        )
        .unwrap();
        // Sparse keys, one at a time.
        for key in [0u64, 17, 249, 250, 10_000] {
            let one = lookup(&run, &[key]);
            assert_eq!(one.len(), all.iter().filter(|e| e.0 == key).count());
        }
    }

    #[test]
    fn a_merge_holds_every_entry_in_order() {
        let dir = tempfile::TempDir::new().unwrap();
        let older: Vec<Entry> = entries(3000, 100);
        let fresh: Vec<Entry> = {
            let mut e: Vec<Entry> = (3000..4000u32).map(|id| (id as u64 % 100, id)).collect();
            e.sort_unstable();
            e
        };
        let meta = write_merged(dir.path(), &[], &older, (0, 3000)).unwrap();
        let run = Arc::new(Run::open(dir.path(), &meta).unwrap());
        let merged = write_merged(dir.path(), &[run], &fresh, (0, 4000)).unwrap();
        let merged = Run::open(dir.path(), &merged).unwrap();
        merged.verify().unwrap();
        let mut all = [older, fresh].concat();
        all.sort_unstable();
        let mut stream = merged.stream().unwrap();
        let mut read = Vec::new();
        while let Some(e) = stream.next_entry().unwrap() {
            read.push(e);
        }
        assert_eq!(read, all);
    }

    #[test]
    fn a_damaged_block_fails_the_reads_that_need_it() {
        let dir = tempfile::TempDir::new().unwrap();
        let all = entries(5000, 5000);
        let meta = write_merged(dir.path(), &[], &all, (0, 5000)).unwrap();
        let path = dir.path().join(&meta.file);
        let mut bytes = fs::read(&path).unwrap();
        // An id in block 10: a key still sorted, the trailer unchanged.
        bytes[(block_offset(10) + 3 * ENTRY_BYTES as u64 + 9) as usize] ^= 0x01;
        fs::write(&path, &bytes).unwrap();
        let run = Arc::new(Run::open(dir.path(), &meta).unwrap());

        // Keys of block 0 only: the damaged block is not read.
        let first_keys: Vec<u64> = all[..100].iter().map(|e| e.0).collect();
        assert_eq!(lookup(&run, &first_keys).len(), 100);
        let every_key: Vec<u64> = all.iter().map(|e| e.0).collect();
        let mut hits = 0;
        let error = run
            .find_sorted(&every_key, &mut |_, _| hits += 1)
            .unwrap_err();
        assert!(error.to_string().contains("block 10"), "{error}");
        assert!(error.to_string().contains(&meta.file), "{error}");
        let merged =
            write_merged(dir.path(), std::slice::from_ref(&run), &[], (0, 5000)).unwrap_err();
        assert!(merged.to_string().contains("block 10"), "{merged}");
        assert!(run.verify().is_err());
    }

    #[test]
    fn damage_is_reported_with_the_file_name() {
        let dir = tempfile::TempDir::new().unwrap();
        let meta = write_merged(dir.path(), &[], &entries(1000, 50), (0, 1000)).unwrap();
        let path = dir.path().join(&meta.file);
        let mut bytes = fs::read(&path).unwrap();
        bytes[100] ^= 0xff;
        fs::write(&path, &bytes).unwrap();
        let error = Run::open(dir.path(), &meta).unwrap().verify().unwrap_err();
        assert!(error.to_string().contains(&meta.file), "{error}");
        fs::write(&path, &bytes[..50]).unwrap();
        let error = Run::open(dir.path(), &meta).err().unwrap();
        assert!(error.to_string().contains(&meta.file), "{error}");
    }
}
