//! Locality-sensitive hashing: signatures to candidate pairs.
//!
//! A signature of `bands × rows` values is cut into `bands` bands; two
//! documents become a candidate pair when all `rows` values of at least one
//! band agree. For documents of Jaccard similarity `s` this happens with
//! probability `1 - (1 - s^rows)^bands`, an S-curve whose steepest point sits
//! near the threshold when bands and rows are chosen by [`LshParams::optimal`].
//!
//! Candidates are found by sorting (band key, document) pairs per band, so
//! memory is a flat array and the result does not depend on thread count.

use std::io;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::paged::Paged;

/// Buckets larger than this are not expanded into all their pairs: each
/// member is paired with the bucket's first member and with its neighbour,
/// which keeps a bucket of m documents at O(m) pairs yet connects them.
pub const MAX_BUCKET_ALL_PAIRS: usize = 32;

/// How a signature is cut into bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LshParams {
    pub bands: usize,
    pub rows: usize,
}

impl LshParams {
    /// The bands and rows (with `bands × rows ≤ num_perm`) that minimise the
    /// expected false-positive plus false-negative mass around `threshold`,
    /// each weighted one half: the criterion datasketch uses, so results are
    /// comparable with it.
    pub fn optimal(threshold: f64, num_perm: usize) -> LshParams {
        Self::optimal_weighted(threshold, num_perm, 0.5, 0.5)
    }

    /// Like [`LshParams::optimal`] with other weights on the false-positive
    /// and false-negative mass. Candidates are verified before they count,
    /// so a false positive costs only a signature comparison while a false
    /// negative is a duplicate missed: weighting misses more buys recall.
    pub fn optimal_weighted(
        threshold: f64,
        num_perm: usize,
        false_positive_weight: f64,
        false_negative_weight: f64,
    ) -> LshParams {
        let mut best = LshParams { bands: 1, rows: 1 };
        let mut best_error = f64::INFINITY;
        for bands in 1..=num_perm {
            for rows in 1..=num_perm / bands {
                let params = LshParams { bands, rows };
                let error = false_positive_weight * params.false_positive_mass(threshold)
                    + false_negative_weight * params.false_negative_mass(threshold);
                if error < best_error {
                    best_error = error;
                    best = params;
                }
            }
        }
        best
    }

    /// The banding with the least false-positive mass among those that
    /// make a pair exactly at `threshold` a candidate with probability at
    /// least `recall` (the most likely one when none does). For exact
    /// verification, where a false candidate costs one look at two shingle
    /// sets and can never become a false match, while a missed one is a
    /// duplicate lost.
    pub fn with_recall(threshold: f64, num_perm: usize, recall: f64) -> LshParams {
        let mut best = LshParams { bands: 1, rows: 1 };
        let mut best_key = (false, f64::NEG_INFINITY);
        for bands in 1..=num_perm {
            for rows in 1..=num_perm / bands {
                let params = LshParams { bands, rows };
                let probability = params.candidate_probability(threshold);
                let key = match probability >= recall {
                    true => (true, -params.false_positive_mass(threshold)),
                    false => (false, probability),
                };
                if key > best_key {
                    best_key = key;
                    best = params;
                }
            }
        }
        best
    }

    /// Probability that two documents of Jaccard similarity `similarity`
    /// share at least one band.
    pub fn candidate_probability(&self, similarity: f64) -> f64 {
        1.0 - (1.0 - similarity.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// ∫₀ᵗ P(candidate | s) ds: how much dissimilar mass becomes candidates.
    pub fn false_positive_mass(&self, threshold: f64) -> f64 {
        integrate(|s| self.candidate_probability(s), 0.0, threshold)
    }

    /// ∫ₜ¹ (1 − P(candidate | s)) ds: how much similar mass is missed.
    pub fn false_negative_mass(&self, threshold: f64) -> f64 {
        integrate(|s| 1.0 - self.candidate_probability(s), threshold, 1.0)
    }

    /// Number of signature values the bands use.
    pub fn width(&self) -> usize {
        self.bands * self.rows
    }
}

/// Simpson's rule with a fixed, even number of steps: smooth integrands on
/// short intervals need no adaptivity.
fn integrate(f: impl Fn(f64) -> f64, from: f64, to: f64) -> f64 {
    const STEPS: usize = 200;
    if to <= from {
        return 0.0;
    }
    let h = (to - from) / STEPS as f64;
    let inner: f64 = (1..STEPS)
        .map(|i| {
            let weight = if i % 2 == 1 { 4.0 } else { 2.0 };
            weight * f(from + i as f64 * h)
        })
        .sum();
    (f(from) + inner + f(to)) * h / 3.0
}

/// Write the `bands` band keys of `signature` into `keys`.
pub fn band_keys_into(signature: &[u32], params: LshParams, keys: &mut [u64]) {
    debug_assert!(signature.len() >= params.width());
    debug_assert_eq!(keys.len(), params.bands);
    let mut bytes = [0u8; 4 * crate::minhash::MAX_PERM];
    for (band, key) in keys.iter_mut().enumerate() {
        let rows = &signature[band * params.rows..(band + 1) * params.rows];
        for (i, value) in rows.iter().enumerate() {
            bytes[i * 4..i * 4 + 4].copy_from_slice(&value.to_le_bytes());
        }
        *key = xxh3_64_with_seed(&bytes[..rows.len() * 4], band as u64);
    }
}

/// Where band keys wait, from fingerprinting until candidates are sought:
/// the largest thing a deduplicator keeps per document (8 bytes a band).
/// [`MemoryBandKeys`] keeps them in pages; the `thresh` library's
/// `spill::FileBandKeys` in a temporary file, band by band, so that memory
/// holds one band's column at a time, and only while candidates are sought.
pub trait BandKeyStore: Send + Sync {
    /// Appends the keys of the next documents: `bands` a document,
    /// document after document.
    fn append(&mut self, keys: &[u64], bands: usize) -> io::Result<()>;
    /// Every document is in; reads may begin.
    fn seal(&mut self) -> io::Result<()>;
    /// Every document's key in `band`, in document order.
    fn column(&self, band: usize) -> io::Result<Vec<u64>>;
    /// The entries (key, document) of `band` for the documents that
    /// participate, handed to `each` in parts: all entries of a key in one
    /// part, each part in document order. The candidates are the same
    /// however a column is cut. This gives the whole column as one part; a
    /// store on disk may cut a column larger than its memory budget by the
    /// keys' high bits.
    fn for_each_part(
        &self,
        band: usize,
        participates: &[bool],
        each: &mut dyn FnMut(Vec<(u64, u32)>),
    ) -> io::Result<()> {
        whole_column_as_one_part(self, band, participates, each)
    }
}

/// [`BandKeyStore::for_each_part`] with the whole column as one part: the
/// entries (key, document) of the documents that participate, in document
/// order.
pub fn whole_column_as_one_part<S: BandKeyStore + ?Sized>(
    store: &S,
    band: usize,
    participates: &[bool],
    each: &mut dyn FnMut(Vec<(u64, u32)>),
) -> io::Result<()> {
    let keys = store.column(band)?;
    assert_eq!(keys.len(), participates.len(), "band {band} column size");
    each(
        keys.into_iter()
            .enumerate()
            .filter(|&(doc, _)| participates[doc])
            .map(|(doc, key)| (key, doc as u32))
            .collect(),
    );
    Ok(())
}

/// A [`BandKeyStore`] in memory.
#[derive(Debug, Default)]
pub struct MemoryBandKeys {
    keys: Paged<u64>,
    bands: usize,
}

impl BandKeyStore for MemoryBandKeys {
    fn append(&mut self, keys: &[u64], bands: usize) -> io::Result<()> {
        self.bands = bands;
        self.keys.extend_from_slice(keys);
        Ok(())
    }

    fn seal(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn column(&self, band: usize) -> io::Result<Vec<u64>> {
        let documents = self.keys.len().checked_div(self.bands).unwrap_or(0);
        Ok((0..documents)
            .map(|doc| self.keys.get(doc * self.bands + band))
            .collect())
    }
}

/// All candidate pairs `(a, b)` with `a < b`, sorted and without repeats.
///
/// `band_keys` holds `bands` keys per document, document after document;
/// documents with `participates[d] == false` are left out.
pub fn candidate_pairs(band_keys: &[u64], bands: usize, participates: &[bool]) -> Vec<(u32, u32)> {
    assert_eq!(
        band_keys.len(),
        participates.len() * bands,
        "band key array size"
    );
    let mut store = MemoryBandKeys::default();
    store
        .append(band_keys, bands)
        .and_then(|()| candidate_pairs_from(&store, bands, participates))
        .expect("a store in memory does not fail")
}

/// [`candidate_pairs`] with the keys in a [`BandKeyStore`], one band's
/// column read at a time on each thread. Each band's pairs are sorted and
/// merged into the others' as they come, so that a pair found in many
/// bands is held about once, not once a band.
pub fn candidate_pairs_from(
    store: &dyn BandKeyStore,
    bands: usize,
    participates: &[bool],
) -> io::Result<Vec<(u32, u32)>> {
    let packed = (0..bands)
        .into_par_iter()
        .map(|band| -> io::Result<Vec<u64>> {
            let mut pairs = Vec::new();
            store.for_each_part(band, participates, &mut |part| {
                bucket_pairs(&sorted_by_key(part), &mut pairs)
            })?;
            pairs.sort_unstable();
            pairs.dedup();
            Ok(pairs)
        })
        .try_reduce(Vec::new, |a, b| -> io::Result<Vec<u64>> {
            Ok(merged_without_repeats(a, b))
        })?;
    Ok(packed
        .into_iter()
        .map(|pair| ((pair >> 32) as u32, pair as u32))
        .collect())
}

/// The union of two sorted lists without repeats, sorted, without repeats.
fn merged_without_repeats(a: Vec<u64>, b: Vec<u64>) -> Vec<u64> {
    if a.is_empty() {
        return b;
    }
    if b.is_empty() {
        return a;
    }
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let next = a[i].min(b[j]);
        merged.push(next);
        i += usize::from(a[i] == next);
        j += usize::from(b[j] == next);
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}

/// `column` (documents in increasing order) sorted by key, documents with
/// equal keys in increasing order: the order `sort_unstable` gives, by a
/// least-significant-digit radix sort, eight passes of one byte each. Band
/// keys are hashes, so every byte varies and a comparison sort spends
/// about log2(n) comparisons an entry where this spends eight moves.
fn sorted_by_key(mut column: Vec<(u64, u32)>) -> Vec<(u64, u32)> {
    let mut other = vec![(0u64, 0u32); column.len()];
    for digit in 0..8 {
        let shift = digit * 8;
        let mut starts = [0usize; 256];
        for &(key, _) in &column {
            starts[(key >> shift) as usize & 0xFF] += 1;
        }
        let mut next = 0;
        for start in starts.iter_mut() {
            let count = *start;
            *start = next;
            next += count;
        }
        for &entry in &column {
            let bucket = &mut starts[(entry.0 >> shift) as usize & 0xFF];
            other[*bucket] = entry;
            *bucket += 1;
        }
        std::mem::swap(&mut column, &mut other);
    }
    column
}

/// Pairs (packed as `a << 32 | b`) from one band's sorted (key, doc)
/// column (or part of a column), added to `pairs`.
fn bucket_pairs(column: &[(u64, u32)], pairs: &mut Vec<u64>) {
    let pack = |a: u32, b: u32| (a as u64) << 32 | b as u64;
    for bucket in column.chunk_by(|x, y| x.0 == y.0) {
        if bucket.len() < 2 {
            continue;
        }
        if bucket.len() <= MAX_BUCKET_ALL_PAIRS {
            for (i, &(_, a)) in bucket.iter().enumerate() {
                for &(_, b) in &bucket[i + 1..] {
                    pairs.push(pack(a, b));
                }
            }
        } else {
            let first = bucket[0].1;
            for window in bucket.windows(2) {
                pairs.push(pack(first, window[1].1));
                if window[0].1 != first {
                    pairs.push(pack(window[0].1, window[1].1));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_keeps_each_pair_once_in_order() {
        assert_eq!(
            merged_without_repeats(vec![1, 4, 6, 9], vec![2, 4, 9, 10]),
            [1, 2, 4, 6, 9, 10]
        );
        assert_eq!(merged_without_repeats(vec![], vec![3]), [3]);
        assert_eq!(merged_without_repeats(vec![5], vec![]), [5]);
    }

    #[test]
    fn optimal_parameters_fit_the_budget_and_centre_the_curve() {
        for &(threshold, num_perm) in &[(0.5, 128), (0.8, 128), (0.9, 256), (0.7, 64)] {
            let params = LshParams::optimal(threshold, num_perm);
            assert!(params.width() <= num_perm);
            // The curve is low well below the threshold and high well above.
            assert!(
                params.candidate_probability(threshold - 0.3) < 0.2,
                "{params:?}"
            );
            assert!(params.candidate_probability((threshold + 0.15).min(1.0)) > 0.8);
        }
    }

    #[test]
    fn a_recall_floor_holds_at_the_threshold_with_the_fewest_false_candidates() {
        for threshold in [0.5, 0.7, 0.8, 0.9] {
            let chosen = LshParams::with_recall(threshold, 128, 0.99);
            assert!(chosen.width() <= 128);
            assert!(
                chosen.candidate_probability(threshold) >= 0.99,
                "{chosen:?}"
            );
            let tighter = LshParams::optimal_weighted(threshold, 128, 0.1, 0.9);
            if tighter.candidate_probability(threshold) >= 0.99 {
                assert!(
                    chosen.false_positive_mass(threshold) <= tighter.false_positive_mass(threshold)
                );
            }
        }
        assert_eq!(
            LshParams::with_recall(0.7, 128, 0.99),
            LshParams { bands: 17, rows: 4 }
        );
        // Unreachable: the most likely banding.
        let best = LshParams::with_recall(0.1, 4, 0.999);
        assert_eq!(best, LshParams { bands: 4, rows: 1 });
    }

    #[test]
    fn higher_threshold_means_more_rows_per_band() {
        let low = LshParams::optimal(0.5, 128);
        let high = LshParams::optimal(0.9, 128);
        assert!(high.rows > low.rows, "{low:?} {high:?}");
    }

    #[test]
    fn integrate_matches_closed_form() {
        let area = integrate(|x| x * x, 0.0, 1.0);
        assert!((area - 1.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn radix_order_is_the_comparison_order() {
        let mut state = 0x853c_49e6_748f_ea9b_u64;
        let column: Vec<(u64, u32)> = (0..5000u32)
            .map(|doc| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                // 56 distinct keys, in the highest and lowest bytes, so
                // equal keys are common and every pass matters.
                (((state >> 61) << 58) | ((state >> 20) % 7), doc)
            })
            .collect();
        let mut expected = column.clone();
        expected.sort_unstable();
        assert_eq!(sorted_by_key(column), expected);
    }

    #[test]
    fn equal_band_keys_make_pairs() {
        // 4 documents, 2 bands: docs 0 and 2 share band 0; docs 1 and 3 band 1.
        let keys = vec![10, 20, 11, 21, 10, 22, 12, 21];
        let pairs = candidate_pairs(&keys, 2, &[true; 4]);
        assert_eq!(pairs, vec![(0, 2), (1, 3)]);
        let without_two = candidate_pairs(&keys, 2, &[true, true, false, true]);
        assert_eq!(without_two, vec![(1, 3)]);
    }

    #[test]
    fn large_buckets_stay_connected_with_linear_pairs() {
        let documents = 100;
        let keys = vec![7u64; documents];
        let pairs = candidate_pairs(&keys, 1, &vec![true; documents]);
        assert!(pairs.len() < 2 * documents);
        // Every document is paired with document 0.
        for d in 1..documents as u32 {
            assert!(pairs.contains(&(0, d)));
        }
    }
}
