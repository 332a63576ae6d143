//! Look-up keys, and the look-up of a push's keys in the run files.
//!
//! A document is looked up by its exact hash and, when it has words, by
//! each of its LSH buckets; each becomes one 64-bit run key. A push looks
//! all its keys up at once: sorted and spread over the threads, each task
//! reads each run once in key order (`Run::find_sorted`).

use std::sync::Arc;

use rayon::prelude::*;

use crate::matching::MAX_BUCKET_SCAN;
use crate::runs::Run;
use crate::IndexError;

/// Keys per parallel look-up task: large enough that a task reads many
/// neighbouring blocks at once, small enough to spread over the threads.
const PROBE_TASK_KEYS: usize = 4096;

/// splitmix64's finalizer: a bijection that spreads every input bit.
fn mix64(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Run key of LSH bucket (`band`, `band_key`). A bijection of `band_key`
/// for each band, so buckets of one band never share a key.
pub(crate) fn band_run_key(band: usize, band_key: u64) -> u64 {
    mix64(band_key ^ (band as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// Run key of an exact hash. Candidates are checked against the full
/// 128-bit hash in their record.
pub(crate) fn exact_run_key(exact: u128) -> u64 {
    mix64((exact as u64) ^ ((exact >> 64) as u64).rotate_left(29) ^ 0x5851_f42d_4c95_7f2d)
}

/// The run entries for a push's look-up keys: the distinct keys, sorted,
/// and per key the ids of the earliest [`MAX_BUCKET_SCAN`] committed
/// documents that have it.
pub(crate) struct Probe {
    keys: Vec<u64>,
    /// (position in `keys`, id), by position then id.
    hits: Vec<(u32, u32)>,
}

impl Probe {
    /// Look `keys` (any order, repeats allowed) up in `runs` (in id order).
    pub(crate) fn find(runs: &[Arc<Run>], mut keys: Vec<u64>) -> Result<Probe, IndexError> {
        keys.par_sort_unstable();
        keys.dedup();
        if runs.is_empty() {
            return Ok(Probe {
                keys,
                hits: Vec::new(),
            });
        }
        let hits = keys
            .par_chunks(PROBE_TASK_KEYS)
            .enumerate()
            .map(|(task, chunk)| Self::find_chunk(runs, chunk, task * PROBE_TASK_KEYS))
            .collect::<Result<Vec<_>, _>>()?
            .concat();
        Ok(Probe { keys, hits })
    }

    /// The hits for `keys` (which start at position `offset`), run after
    /// run: runs are in id order, so a stable sort by key keeps ids in
    /// order and the first hits of a key are its earliest documents.
    fn find_chunk(
        runs: &[Arc<Run>],
        keys: &[u64],
        offset: usize,
    ) -> Result<Vec<(u32, u32)>, IndexError> {
        let mut hits = Vec::new();
        for run in runs {
            run.find_sorted(keys, &mut |i, id| hits.push(((offset + i) as u32, id)))?;
        }
        hits.sort_by_key(|&(position, _)| position);
        let mut kept = 0;
        let mut previous = None;
        hits.retain(|&(position, _)| {
            if previous != Some(position) {
                previous = Some(position);
                kept = 0;
            }
            kept += 1;
            kept <= MAX_BUCKET_SCAN
        });
        Ok(hits)
    }

    /// The hits for `key`, earliest document first.
    pub(crate) fn ids(&self, key: u64) -> &[(u32, u32)] {
        let Ok(position) = self.keys.binary_search(&key) else {
            return &[];
        };
        let position = position as u32;
        let from = self.hits.partition_point(|h| h.0 < position);
        let to = from + self.hits[from..].partition_point(|h| h.0 == position);
        &self.hits[from..to]
    }
}
