//! MinHash estimates and LSH candidate rates against theory.
//!
//! Sets are built with a known Jaccard similarity; every scheme's estimate
//! must fall within the Hoeffding bound for its signature length, and the
//! rate at which LSH pairs documents near the threshold must follow the
//! S-curve `1 - (1 - s^r)^b`.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use thresh_engine::lsh::{band_keys_into, candidate_pairs, LshParams};
use thresh_engine::minhash::{estimate_jaccard, MinHashScheme, MinHasher};

const SCHEMES: [MinHashScheme; 3] = [
    MinHashScheme::OnePermutation,
    MinHashScheme::Classic,
    MinHashScheme::Circulant,
];

/// Two sets of distinct pseudo-random hashes sharing `shared` elements,
/// each with `own` elements of its own: Jaccard = shared / (shared + 2 own).
fn pair_of_sets(shared: usize, own: usize, salt: u64) -> (Vec<u64>, Vec<u64>) {
    let element = |i: u64| {
        let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt.rotate_left(17);
        x ^= x >> 31;
        x.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ (x >> 29)
    };
    let common: Vec<u64> = (0..shared as u64).map(element).collect();
    let mut a = common.clone();
    let mut b = common;
    a.extend((0..own as u64).map(|i| element(1_000_000 + i)));
    b.extend((0..own as u64).map(|i| element(2_000_000 + i)));
    (a, b)
}

/// Hoeffding: P(|estimate - J| >= eps) <= 2 exp(-2 k eps^2); eps for a
/// failure chance of one in a million per assertion.
fn hoeffding_bound(num_perm: usize) -> f64 {
    ((2.0f64 / 1e-6).ln() / (2.0 * num_perm as f64)).sqrt()
}

proptest! {
    #![proptest_config(Config {
        cases: 96,
        rng_seed: RngSeed::Fixed(20241103),
        ..Config::default()
    })]

    #[test]
    fn estimates_stay_within_the_theoretical_bound(
        shared in 1usize..400,
        own in 0usize..400,
        salt in any::<u64>(),
        seed in any::<u64>(),
    ) {
        let (a, b) = pair_of_sets(shared, own, salt);
        let truth = shared as f64 / (shared + 2 * own) as f64;
        for scheme in SCHEMES {
            let hasher = MinHasher::new(scheme, 256, seed);
            let estimate = estimate_jaccard(&hasher.signature(&a), &hasher.signature(&b));
            prop_assert!(
                (estimate - truth).abs() <= hoeffding_bound(256),
                "{:?}: estimate {} truth {}", scheme, estimate, truth
            );
        }
    }
}

/// Over many pairs the mean squared error is close to the variance of
/// classic MinHash, J(1-J)/k (one permutation with densification may be
/// a little worse on small sets; allow 1.5 times).
#[test]
fn mean_squared_error_matches_the_binomial_variance() {
    let num_perm = 128;
    for scheme in SCHEMES {
        let mut squared_error = 0.0;
        let mut expected = 0.0;
        let trials = 300;
        for trial in 0..trials {
            let (a, b) = pair_of_sets(150, 50, trial);
            let truth = 150.0 / 250.0;
            let hasher = MinHasher::new(scheme, num_perm, trial * 7 + 1);
            let estimate = estimate_jaccard(&hasher.signature(&a), &hasher.signature(&b));
            squared_error += (estimate - truth) * (estimate - truth);
            expected += truth * (1.0 - truth) / num_perm as f64;
        }
        assert!(
            squared_error <= 1.5 * expected,
            "{scheme:?}: mse {} vs variance {}",
            squared_error / trials as f64,
            expected / trials as f64
        );
    }
}

/// The fraction of pairs of similarity s that LSH makes candidates matches
/// 1 - (1 - s^r)^b, at and around the threshold.
#[test]
fn lsh_recall_near_the_threshold_follows_the_s_curve() {
    let num_perm = 128;
    let params = LshParams::optimal(0.7, num_perm);
    for &(shared, own) in &[(120usize, 40usize), (140, 30), (160, 20), (90, 45)] {
        let similarity = shared as f64 / (shared + 2 * own) as f64;
        let pairs = 400;
        let mut keys = Vec::with_capacity(pairs * 2 * params.bands);
        for trial in 0..pairs as u64 {
            let (a, b) = pair_of_sets(shared, own, trial);
            // One hasher for all pairs, as in a real run; pairs differ by salt.
            let hasher = MinHasher::new(MinHashScheme::OnePermutation, num_perm, 42);
            for set in [a, b] {
                let mut band = vec![0; params.bands];
                band_keys_into(&hasher.signature(&set), params, &mut band);
                keys.extend(band);
            }
        }
        let found = candidate_pairs(&keys, params.bands, &vec![true; pairs * 2])
            .into_iter()
            .filter(|&(x, y)| x % 2 == 0 && y == x + 1)
            .count();
        let rate = found as f64 / pairs as f64;
        let expected = params.candidate_probability(similarity);
        // Binomial standard deviation over 400 pairs is at most 0.025.
        assert!(
            (rate - expected).abs() < 0.1,
            "s = {similarity:.3}: rate {rate:.3}, theory {expected:.3}"
        );
    }
}
