//! Test helper for the crash test (`tests/crash.rs`), not a user tool: adds
//! generated documents to an index in batches and prints
//! `committed batch N` after each commit, so that a test can kill it at any
//! point and check what the index holds.
//!
//! Usage: `thresh-index-crash-writer DIR DAY DOCUMENTS BATCH`

use std::io::Write;
use std::path::PathBuf;

use thresh_engine::dedup::MatchConfig;
use thresh_engine::Document;
use thresh_index::Index;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: thresh-index-crash-writer DIR DAY DOCUMENTS BATCH");
        std::process::exit(2);
    }
    let dir = PathBuf::from(&args[1]);
    let day: u64 = args[2].parse().expect("DAY");
    let documents: usize = args[3].parse().expect("DOCUMENTS");
    let batch_size: usize = args[4].parse().expect("BATCH");
    let index = if dir.join("index.redb").exists() {
        Index::open(&dir)
    } else {
        Index::create(&dir, &MatchConfig::default())
    }
    .unwrap_or_else(|e| {
        eprintln!("thresh-index-crash-writer: {e}");
        std::process::exit(1);
    });
    let docs: Vec<Document> = (0..documents)
        .map(|i| Document::new(format!("day{day}-{i}"), story(day, i)))
        .collect();
    let mut out = std::io::stdout().lock();
    for part in docs.chunks(batch_size.max(1)) {
        let mut batch = index.begin().expect("begin");
        index.push(&mut batch, part).expect("push");
        let summary = index.commit(batch).expect("commit");
        writeln!(out, "committed batch {}", summary.batch).unwrap();
        out.flush().unwrap();
    }
}

/// A story of 60 words; every third document repeats an earlier story of
/// the same or an earlier day with one word changed.
fn story(day: u64, i: usize) -> String {
    let (seed, edit) = if i % 3 == 2 {
        (
            day.saturating_sub((i % 2) as u64) * 1_000_003 + (i as u64 / 2),
            true,
        )
    } else {
        (day * 1_000_003 + i as u64, false)
    };
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut words: Vec<String> = (0..60)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            format!("w{}", state % 50_000)
        })
        .collect();
    if edit {
        words[i % 60] = format!("changed{i}");
    }
    words.join(" ")
}
