//! Shingle hashes to MinHash signatures, and signatures to Jaccard estimates.
//!
//! A signature is `num_perm` 32-bit values; the fraction of positions where
//! two signatures agree estimates the Jaccard similarity of their shingle
//! sets. Three schemes are implemented so they can be measured against each
//! other (see ARCHITECTURE.md and `examples/minhash_study.rs`):
//!
//! * [`MinHashScheme::OnePermutation`] (the default): one hash per shingle
//!   picks a bin and a value, each bin keeps its minimum, and empty bins are
//!   filled by *optimal densification* (Shrivastava, 2017): an empty bin
//!   copies the first non-empty bin of a fixed pseudo-random probe sequence,
//!   the same for every document, so the copies still agree with probability
//!   equal to the Jaccard similarity. Cost O(shingles + num_perm).
//! * [`MinHashScheme::Classic`]: `num_perm` independent hash functions
//!   (multiply-add over 64 bits, high half kept), the minimum of each over
//!   all shingles. Cost O(shingles × num_perm).
//! * [`MinHashScheme::Circulant`]: C-MinHash (Li and Li, 2021): one initial
//!   permutation σ, then slot k uses the permutation π shifted by k, so that
//!   slots are less correlated than independent ones. Same cost as classic.

use serde::{Deserialize, Serialize};

/// Which MinHash construction to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum MinHashScheme {
    /// One permutation with optimal densification: O(shingles + k).
    OnePermutation,
    /// k independent hash functions: O(shingles × k).
    Classic,
    /// C-MinHash, circulant permutations: O(shingles × k).
    Circulant,
}

impl MinHashScheme {
    pub fn name(self) -> &'static str {
        match self {
            MinHashScheme::OnePermutation => "one-permutation",
            MinHashScheme::Classic => "classic",
            MinHashScheme::Circulant => "circulant",
        }
    }
}

/// The largest supported signature length.
pub const MAX_PERM: usize = 1024;

/// Computes signatures of one fixed length, scheme and seed. Two signatures
/// are comparable only when made by hashers with the same three settings.
#[derive(Debug, Clone)]
pub struct MinHasher {
    scheme: MinHashScheme,
    num_perm: usize,
    seed: u64,
    /// Classic: the multiplier (odd) and offset of each hash function.
    multipliers: Vec<u64>,
    offsets: Vec<u64>,
}

impl MinHasher {
    /// A hasher for signatures of `num_perm` values (1 to [`MAX_PERM`]).
    pub fn new(scheme: MinHashScheme, num_perm: usize, seed: u64) -> Self {
        assert!(
            (1..=MAX_PERM).contains(&num_perm),
            "num_perm must be in 1..={MAX_PERM}"
        );
        let mut state = seed ^ 0x5eed_0f7e_a5e5;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            mix64(state)
        };
        let multipliers = (0..num_perm).map(|_| next() | 1).collect();
        let offsets = (0..num_perm).map(|_| next()).collect();
        MinHasher {
            scheme,
            num_perm,
            seed,
            multipliers,
            offsets,
        }
    }

    pub fn num_perm(&self) -> usize {
        self.num_perm
    }

    pub fn scheme(&self) -> MinHashScheme {
        self.scheme
    }

    /// Write the signature of `shingles` into `signature` (length `num_perm`).
    ///
    /// An empty shingle list gives the all-`u32::MAX` signature; callers
    /// should not treat such documents as near duplicates of each other.
    pub fn signature_into(&self, shingles: &[u64], signature: &mut [u32]) {
        assert_eq!(signature.len(), self.num_perm, "signature length");
        signature.fill(u32::MAX);
        if shingles.is_empty() {
            return;
        }
        match self.scheme {
            MinHashScheme::OnePermutation => self.one_permutation(shingles, signature),
            MinHashScheme::Classic => self.classic(shingles, signature),
            MinHashScheme::Circulant => self.circulant(shingles, signature),
        }
    }

    /// The signature of `shingles` as a new vector.
    pub fn signature(&self, shingles: &[u64]) -> Vec<u32> {
        let mut signature = vec![0; self.num_perm];
        self.signature_into(shingles, &mut signature);
        signature
    }

    fn one_permutation(&self, shingles: &[u64], signature: &mut [u32]) {
        let bins = self.num_perm as u64;
        let mut filled = [0u64; MAX_PERM / 64];
        for &shingle in shingles {
            let hash = mix64(shingle ^ self.seed);
            // High half picks the bin (multiply-shift range reduction), low
            // half is the value: the two are independent bits of one hash.
            let bin = (((hash >> 32) * bins) >> 32) as usize;
            let value = hash as u32;
            signature[bin] = signature[bin].min(value);
            filled[bin / 64] |= 1 << (bin % 64);
        }
        self.densify(signature, &filled);
    }

    /// Fill each empty bin from the first filled bin of its probe sequence.
    fn densify(&self, signature: &mut [u32], filled: &[u64; MAX_PERM / 64]) {
        let is_filled = |bin: usize| filled[bin / 64] & (1 << (bin % 64)) != 0;
        let bins = self.num_perm as u64;
        for bin in 0..self.num_perm {
            if is_filled(bin) {
                continue;
            }
            // At least one bin is filled (shingles is not empty), so the
            // probe ends; the sequence depends only on (seed, bin, attempt).
            let mut attempt = 0u64;
            loop {
                let probe = mix64(self.seed ^ ((bin as u64) << 32) ^ attempt);
                let source = (((probe >> 32) * bins) >> 32) as usize;
                if is_filled(source) {
                    signature[bin] = signature[source];
                    break;
                }
                attempt += 1;
            }
        }
    }

    fn classic(&self, shingles: &[u64], signature: &mut [u32]) {
        for &shingle in shingles {
            for ((slot, &a), &b) in signature
                .iter_mut()
                .zip(&self.multipliers)
                .zip(&self.offsets)
            {
                let value = (a.wrapping_mul(shingle).wrapping_add(b) >> 32) as u32;
                *slot = (*slot).min(value);
            }
        }
    }

    fn circulant(&self, shingles: &[u64], signature: &mut [u32]) {
        for &shingle in shingles {
            // σ: one permutation of the shingle universe (mix64 is a bijection).
            let sigma = mix64(shingle ^ self.seed);
            for (k, slot) in signature.iter_mut().enumerate() {
                // π shifted by k positions; π is mix64 after an offset.
                let value = (mix64(sigma.wrapping_add(k as u64) ^ self.offsets[0]) >> 32) as u32;
                *slot = (*slot).min(value);
            }
        }
    }
}

/// The fraction of positions where two signatures agree: an unbiased
/// estimate of the Jaccard similarity of the sets behind them.
pub fn estimate_jaccard(a: &[u32], b: &[u32]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    if a.is_empty() {
        return 0.0;
    }
    let agree = a.iter().zip(b).filter(|(x, y)| x == y).count();
    agree as f64 / a.len() as f64
}

/// A bijective 64-bit mixer (the SplitMix64 finalizer).
#[inline]
pub(crate) fn mix64(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMES: [MinHashScheme; 3] = [
        MinHashScheme::OnePermutation,
        MinHashScheme::Classic,
        MinHashScheme::Circulant,
    ];

    fn set(range: std::ops::Range<u64>) -> Vec<u64> {
        range.map(|i| mix64(i + 1)).collect()
    }

    #[test]
    fn identical_sets_agree_everywhere() {
        for scheme in SCHEMES {
            let hasher = MinHasher::new(scheme, 128, 7);
            let a = hasher.signature(&set(0..300));
            let b = hasher.signature(&set(0..300));
            assert_eq!(estimate_jaccard(&a, &b), 1.0, "{scheme:?}");
        }
    }

    #[test]
    fn order_and_repeats_do_not_matter() {
        for scheme in SCHEMES {
            let hasher = MinHasher::new(scheme, 64, 1);
            let forward = set(0..50);
            let mut shuffled: Vec<u64> = forward.iter().rev().copied().collect();
            shuffled.extend_from_slice(&forward[..10]);
            assert_eq!(hasher.signature(&forward), hasher.signature(&shuffled));
        }
    }

    #[test]
    fn disjoint_sets_rarely_agree() {
        for scheme in SCHEMES {
            let hasher = MinHasher::new(scheme, 256, 3);
            let a = hasher.signature(&set(0..500));
            let b = hasher.signature(&set(1000..1500));
            assert!(estimate_jaccard(&a, &b) < 0.05, "{scheme:?}");
        }
    }

    #[test]
    fn densification_fills_every_bin_of_a_tiny_set() {
        let hasher = MinHasher::new(MinHashScheme::OnePermutation, 128, 9);
        let signature = hasher.signature(&set(0..3));
        assert!(signature.iter().all(|&v| v != u32::MAX));
        let distinct: std::collections::BTreeSet<_> = signature.iter().collect();
        assert!(distinct.len() <= 3);
    }

    #[test]
    fn empty_input_gives_the_empty_signature() {
        let hasher = MinHasher::new(MinHashScheme::OnePermutation, 16, 0);
        assert!(hasher.signature(&[]).iter().all(|&v| v == u32::MAX));
    }

    #[test]
    fn different_seeds_give_different_signatures() {
        let shingles = set(0..100);
        let a = MinHasher::new(MinHashScheme::OnePermutation, 64, 1).signature(&shingles);
        let b = MinHasher::new(MinHashScheme::OnePermutation, 64, 2).signature(&shingles);
        assert_ne!(a, b);
    }
}
