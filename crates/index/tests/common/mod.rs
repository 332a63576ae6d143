//! Helpers shared by the index's integration tests.

/// `n` pseudo-random words from `seed` (xorshift64), the same generator the
/// crash-test writer (`src/bin/thresh-index-crash-writer.rs`) uses, so a test
/// can rebuild a text that the writer added.
pub fn seeded_words(seed: u64, n: usize) -> String {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            format!("w{}", state % 50_000)
        })
        .collect::<Vec<_>>()
        .join(" ")
}
