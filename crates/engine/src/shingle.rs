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
    // Ring of the last `ngram` token hashes, written out in order as the
    // bytes of one shingle when it is full.
    let mut window = [0u64; MAX_NGRAM];
    let mut seen = 0usize;
    for_each_token(text, |token| {
        window[seen % ngram] = xxh3_64(token.as_bytes());
        seen += 1;
        if seen >= ngram {
            out.push(hash_window(&window, ngram, ngram, seen));
        }
    });
    if seen > 0 && seen < ngram {
        out.push(hash_window(&window, ngram, seen, seen));
    }
}

/// Hash the last `len` tokens pushed into the ring, oldest first. Token
/// number `t` sits in slot `t % ring`; `seen` tokens have been pushed.
fn hash_window(window: &[u64; MAX_NGRAM], ring: usize, len: usize, seen: usize) -> u64 {
    let mut bytes = [0u8; MAX_NGRAM * 8];
    for k in 0..len {
        let slot = (seen - len + k) % ring;
        bytes[k * 8..k * 8 + 8].copy_from_slice(&window[slot].to_le_bytes());
    }
    xxh3_64_with_seed(&bytes[..len * 8], len as u64)
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

    #[test]
    fn jaccard_of_known_sets() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard::<u64>(&[], &[]), 1.0);
        assert_eq!(jaccard::<u64>(&[1], &[]), 0.0);
    }
}
