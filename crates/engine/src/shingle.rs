//! Canonical text to a bag of shingle hashes (word n-grams).
//!
//! A shingle is `n` consecutive tokens; it is represented by a 64-bit hash so
//! later stages never touch strings. Each token is hashed once (xxh3); a
//! shingle's hash is a polynomial in its tokens' hashes, kept rolling as
//! the window moves (one multiply-add and one multiply-subtract per token,
//! whatever `n` is). Every bit of the result depends on every token, and
//! the polynomial of uniform token hashes with an odd base is uniform, so
//! no final mix is needed. No allocation per token.
//!
//! A text with fewer than `n` tokens (but at least one) yields a single
//! shingle of all its tokens, so short documents still get a fingerprint.
//!
//! The index stores fingerprints made from these hashes, so a change to
//! them needs a new index format version (`thresh_index::FORMAT_VERSION`).

use crate::normalize::for_each_token;
use xxhash_rust::xxh3::xxh3_64;

/// The largest n-gram size; larger values buy nothing for near-duplicate
/// detection.
pub const MAX_NGRAM: usize = 32;

/// The base of the polynomial over token hashes: odd, so multiplying by it
/// loses no bits (the golden-ratio constant).
const BASE: u64 = 0x9E37_79B9_7F4A_7C15;

/// Mixed into a window's polynomial with its length, so a short text's
/// single shingle of `k < n` tokens never equals a full window by design.
const LENGTH_FACTOR: u64 = 0xD6E8_FEB8_6659_FD93;

/// Append the hashes of the word `ngram`-shingles of canonical `text` to `out`.
///
/// Duplicates are kept (MinHash ignores them); sort and dedup `out` when a
/// set is needed. `ngram` must be in `1..=MAX_NGRAM`.
pub fn shingle_hashes(text: &str, ngram: usize, out: &mut Vec<u64>) {
    assert!(
        (1..=MAX_NGRAM).contains(&ngram),
        "ngram must be in 1..={MAX_NGRAM}"
    );
    // `window` is the polynomial of the last `ngram` token hashes, oldest
    // first: h0·B^(n-1) + … + h(n-1). A new token multiplies it by B, adds
    // itself and takes away the oldest token, which by then stands at B^n.
    // The ring holds the last `ngram` token hashes (zero before the first
    // `ngram` tokens, so nothing is taken away until the window is full).
    let leaving_factor = BASE.wrapping_pow(ngram as u32);
    let mut ring = [0u64; MAX_NGRAM];
    let (mut window, mut slot, mut seen) = (0u64, 0usize, 0usize);
    for_each_token(text, |token| {
        let hash = xxh3_64(token.as_bytes());
        window = window
            .wrapping_mul(BASE)
            .wrapping_add(hash)
            .wrapping_sub(ring[slot].wrapping_mul(leaving_factor));
        ring[slot] = hash;
        slot = if slot + 1 == ngram { 0 } else { slot + 1 };
        seen += 1;
        if seen >= ngram {
            out.push(finish_window(window, ngram));
        }
    });
    if seen > 0 && seen < ngram {
        out.push(finish_window(window, seen));
    }
}

/// A shingle's hash from its window polynomial and its number of tokens.
/// The polynomial of pseudo-random token hashes is itself uniform over
/// 64 bits (the base is odd), so it needs no further mixing.
fn finish_window(window: u64, tokens: usize) -> u64 {
    window ^ (tokens as u64).wrapping_mul(LENGTH_FACTOR)
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

    /// Shingle hashes the plain way: every token's hash, then the
    /// polynomial of each window of `ngram` of them, oldest first, with
    /// its length folded in.
    fn reference_hashes(text: &str, ngram: usize) -> Vec<u64> {
        let tokens: Vec<u64> = crate::normalize::tokens(text)
            .iter()
            .map(|t| xxh3_64(t.as_bytes()))
            .collect();
        let window_hash = |window: &[u64]| {
            let polynomial = window
                .iter()
                .fold(0u64, |sum, &hash| sum.wrapping_mul(BASE).wrapping_add(hash));
            finish_window(polynomial, window.len())
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
        fn hashes_are_the_plain_windows(words in proptest::collection::vec("[a-e]{1,3}", 0..60), ngram in 1usize..=MAX_NGRAM) {
            let text = words.join(" ");
            let mut fast = Vec::new();
            shingle_hashes(&text, ngram, &mut fast);
            proptest::prop_assert_eq!(fast, reference_hashes(&text, ngram));
        }
    }

    #[test]
    fn a_known_text_keeps_its_hashes() {
        // Pinned values: a change here changes every stored fingerprint,
        // and needs a new index format version.
        let mut out = Vec::new();
        shingle_hashes("the harbour closed on monday after the storm", 5, &mut out);
        assert_eq!(
            out,
            [
                12330286909296052686,
                3756916622721230681,
                12626821295481542522,
                14121563221096437146
            ]
        );
        out.clear();
        shingle_hashes("only two", 5, &mut out);
        assert_eq!(out, [15870742114331799433]);
    }

    #[test]
    fn jaccard_of_known_sets() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard::<u64>(&[], &[]), 1.0);
        assert_eq!(jaccard::<u64>(&[1], &[]), 0.0);
    }
}
