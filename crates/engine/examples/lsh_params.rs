//! Print the LSH banding chosen for a threshold and signature length, with
//! its candidate probability at a few similarities.
//!
//! `cargo run --release -p thresh-engine --example lsh_params -- 0.8 128 [FN_WEIGHT]`
use thresh_engine::lsh::LshParams;

fn main() {
    let mut args = std::env::args().skip(1);
    let threshold: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0.7);
    let num_perm: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(128);
    let fn_weight: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0.5);
    let params = LshParams::optimal_weighted(threshold, num_perm, 1.0 - fn_weight, fn_weight);
    println!(
        "threshold {threshold}, num_perm {num_perm}: {} bands × {} rows",
        params.bands, params.rows
    );
    for s in [0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95] {
        println!(
            "  P(candidate | s = {s:.2}) = {:.3}",
            params.candidate_probability(s)
        );
    }
}
