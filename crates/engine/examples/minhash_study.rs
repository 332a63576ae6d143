//! Speed and accuracy of the three MinHash schemes, side by side.
//!
//! `cargo run --release -p thresh-engine --example minhash_study`
//!
//! For documents of a given number of shingles and a known Jaccard
//! similarity, prints each scheme's time per signature and the root mean
//! squared error of its estimate (classic MinHash's theoretical value is
//! sqrt(J(1-J)/k)). The results decide the default scheme: ARCHITECTURE.md.

use std::hint::black_box;
use std::time::Instant;

use thresh_engine::minhash::{estimate_jaccard, MinHashScheme, MinHasher};

fn pair_of_sets(total: usize, similarity: f64, salt: u64) -> (Vec<u64>, Vec<u64>) {
    // |A| = |B| = total, |A ∩ B| = shared, J = shared / (2 total - shared).
    let shared = ((2.0 * similarity * total as f64) / (1.0 + similarity)).round() as usize;
    let element = |i: u64| {
        let mut x = (i ^ salt.rotate_left(23)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        x ^= x >> 32;
        x.wrapping_mul(0xD6E8_FEB8_6659_FD93)
    };
    let a: Vec<u64> = (0..total as u64).map(element).collect();
    let mut b: Vec<u64> = a[..shared].to_vec();
    b.extend((0..(total - shared) as u64).map(|i| element(10_000_000 + i)));
    (a, b)
}

fn main() {
    let num_perm = 128;
    let schemes = [
        MinHashScheme::OnePermutation,
        MinHashScheme::Classic,
        MinHashScheme::Circulant,
    ];
    println!("k = {num_perm}; RMSE over 400 pairs; time per signature (median of 5 runs)");
    println!("| shingles | J | scheme | µs/signature | RMSE | theory |");
    println!("|---|---|---|---|---|---|");
    for total in [20usize, 100, 500, 2000] {
        for similarity in [0.5, 0.8] {
            for scheme in schemes {
                let mut squared = 0.0;
                let trials = 400;
                for trial in 0..trials {
                    let (a, b) = pair_of_sets(total, similarity, trial);
                    let hasher = MinHasher::new(scheme, num_perm, trial + 1);
                    let truth = {
                        let shared = a.iter().filter(|x| b.contains(x)).count() as f64;
                        shared / (2.0 * total as f64 - shared)
                    };
                    let e = estimate_jaccard(&hasher.signature(&a), &hasher.signature(&b)) - truth;
                    squared += e * e;
                }
                let (a, _) = pair_of_sets(total, similarity, 99);
                let hasher = MinHasher::new(scheme, num_perm, 7);
                let mut signature = vec![0; num_perm];
                let mut runs: Vec<f64> = (0..5)
                    .map(|_| {
                        let reps = 2_000_000 / total.max(1);
                        let started = Instant::now();
                        for _ in 0..reps {
                            hasher.signature_into(black_box(&a), &mut signature);
                            black_box(&signature);
                        }
                        started.elapsed().as_secs_f64() * 1e6 / reps as f64
                    })
                    .collect();
                runs.sort_by(|x, y| x.total_cmp(y));
                println!(
                    "| {total} | {similarity} | {} | {:.2} | {:.4} | {:.4} |",
                    scheme.name(),
                    runs[2],
                    (squared / trials as f64).sqrt(),
                    (similarity * (1.0 - similarity) / num_perm as f64).sqrt()
                );
            }
        }
    }
}
