//! Canonical text to a bag of shingle hashes (word n-grams).
//!
//! A shingle is `n` consecutive tokens; it is represented by a 64-bit hash so
//! later stages never touch strings. Each token is hashed once and a shingle's
//! hash is the hash of its tokens' hashes, so the cost is one pass over the
//! text whatever `n` is, with no allocation per token.
//!
//! A text with fewer than `n` tokens (but at least one) yields a single
//! shingle of all its tokens, so short documents still get a fingerprint.

use crate::normalize::for_each_token;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// The largest n-gram size; larger values buy nothing for near-duplicate
/// detection and would need a heap buffer.
pub const MAX_NGRAM: usize = 32;

/// Append the hashes of the word `ngram`-shingles of canonical `text` to `out`.
///
/// Duplicates are kept (MinHash ignores them); sort and dedup `out` when a
/// set is needed. `ngram` must be in `1..=MAX_NGRAM`.
pub fn shingle_hashes(text: &str, ngram: usize, out: &mut Vec<u64>) {
    assert!(
        (1..=MAX_NGRAM).contains(&ngram),
        "ngram must be in 1..={MAX_NGRAM}"
    );
    // The last `ngram` token hashes as bytes, each written twice, at its
    // slot and `ngram` slots further, so that the window of the last
    // `ngram` tokens, oldest first, always stands in one piece: from the
    // slot after the newest token's, `ngram` slots long.
    let mut ring = [0u8; 2 * MAX_NGRAM * 8];
    let (mut slot, mut seen) = (0usize, 0usize);
    for_each_token(text, |token| {
        let bytes = xxh3_64(token.as_bytes()).to_le_bytes();
        ring[slot * 8..slot * 8 + 8].copy_from_slice(&bytes);
        ring[(slot + ngram) * 8..(slot + ngram) * 8 + 8].copy_from_slice(&bytes);
        slot = if slot + 1 == ngram { 0 } else { slot + 1 };
        seen += 1;
        if seen >= ngram {
            // `slot` is now the oldest token's.
            out.push(hash_tokens(&ring[slot * 8..(slot + ngram) * 8]));
        }
    });
    if seen > 0 && seen < ngram {
        out.push(hash_tokens(&ring[..seen * 8]));
    }
}

/// The hash of a shingle from its tokens' hashes as bytes, oldest first.
fn hash_tokens(bytes: &[u8]) -> u64 {
    xxh3_64_with_seed(bytes, (bytes.len() / 8) as u64)
}

/// The set of shingle hashes of canonical `text`: sorted, without duplicates.
pub fn shingle_set(text: &str, ngram: usize) -> Vec<u64> {
    let mut out = Vec::new();
    shingle_hashes(text, ngram, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// Number of elements two sorted, deduplicated slices share.
pub fn intersection_size<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// Exact Jaccard similarity of two sorted, deduplicated shingle sets.
/// Two empty sets are identical (1.0).
pub fn jaccard<T: Ord>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let shared = intersection_size(a, b);
    shared as f64 / (a.len() + b.len() - shared) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_one_shingle_per_window() {
        let mut out = Vec::new();
        shingle_hashes("a b c d e", 3, &mut out);
        assert_eq!(out.len(), 3);
        assert_ne!(out[0], out[1]);
    }

    #[test]
    fn same_ngram_same_hash_wherever_it_stands() {
        let mut first = Vec::new();
        shingle_hashes("x y a b c", 3, &mut first);
        let mut second = Vec::new();
        shingle_hashes("a b c q", 3, &mut second);
        // "a b c" is the last shingle of the first text, the first of the second.
        assert_eq!(first[2], second[0]);
    }

    #[test]
    fn order_of_words_matters() {
        assert_ne!(shingle_set("a b c", 3), shingle_set("c b a", 3));
    }

    #[test]
    fn short_text_yields_one_shingle() {
        assert_eq!(shingle_set("only two", 5).len(), 1);
        assert_ne!(shingle_set("only two", 5), shingle_set("only three", 5));
        assert!(shingle_set("", 5).is_empty());
        assert!(shingle_set("... !!", 5).is_empty());
    }

    #[test]
    fn ring_wraps_correctly_for_long_texts() {
        let text: Vec<String> = (0..50).map(|i| format!("w{i}")).collect();
        let long = text.join(" ");
        let tail = text[40..].join(" ");
        let long_set = shingle_set(&long, 4);
        // Every shingle of the tail is a shingle of the whole.
        for hash in shingle_set(&tail, 4) {
            assert!(long_set.binary_search(&hash).is_ok());
        }
    }

    /// Shingle hashes the plain way: every token's hash, then each window
    /// of `ngram` of them as bytes, hashed with its length as seed. The
    /// index stores fingerprints, so the hashes may never change.
    fn reference_hashes(text: &str, ngram: usize) -> Vec<u64> {
        let tokens: Vec<u64> = crate::normalize::tokens(text)
            .iter()
            .map(|t| xxh3_64(t.as_bytes()))
            .collect();
        let window_hash = |window: &[u64]| {
            let bytes: Vec<u8> = window.iter().flat_map(|h| h.to_le_bytes()).collect();
            xxh3_64_with_seed(&bytes, window.len() as u64)
        };
        if tokens.is_empty() {
            return Vec::new();
        }
        if tokens.len() < ngram {
            return vec![window_hash(&tokens)];
        }
        tokens.windows(ngram).map(window_hash).collect()
    }

    proptest::proptest! {
        #[test]
        fn hashes_are_the_plain_windows(words in proptest::collection::vec("[a-e]{1,3}", 0..30), ngram in 1usize..8) {
            let text = words.join(" ");
            let mut fast = Vec::new();
            shingle_hashes(&text, ngram, &mut fast);
            proptest::prop_assert_eq!(fast, reference_hashes(&text, ngram));
        }
    }

    #[test]
    fn a_known_text_keeps_its_hashes() {
        // Pinned values: a change here changes every stored fingerprint.
        let mut out = Vec::new();
        shingle_hashes("the harbour closed on monday after the storm", 5, &mut out);
        assert_eq!(
            out,
            [
                3273509224585954927,
                5033162067210013324,
                8724346777168231151,
                2881343842720123038
            ]
        );
        out.clear();
        shingle_hashes("only two", 5, &mut out);
        assert_eq!(out, [14673270957826696478]);
    }

    #[test]
    fn jaccard_of_known_sets() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard::<u64>(&[], &[]), 1.0);
        assert_eq!(jaccard::<u64>(&[1], &[]), 0.0);
    }
}
