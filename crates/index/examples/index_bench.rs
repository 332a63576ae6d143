//! Benchmark of the persistent index as it grows (not a test).
//!
//! ```sh
//! cargo run --release -p thresh-index --example index_bench -- CORPUS.jsonl DIR MAX_DOCS STEP [CHUNK]
//! ```
//!
//! Adds CORPUS (JSONL with `id`, `text`, `date`; `-` reads standard input,
//! e.g. piped from `thresh-gen --out -`) to a new index in DIR, STEP
//! documents per committed batch pushed CHUNK documents at a time (default
//! 2,048, as `thresh index add` does), up to MAX_DOCS. After each step it
//! prints one Markdown table row: documents in the index, `add` documents/s
//! for the step (fingerprinting included) and the same without the time a
//! bare fingerprinting pass of the step takes (the index's own cost), then
//! `query` throughput and per-document latency (p50, p99) for 2,000 documents
//! not yet added (the next ones of the corpus, one document per look-up),
//! the index's bytes on disk per document and the process's peak RSS.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use thresh_engine::dedup::{Fingerprinter, MatchConfig};
use thresh_engine::Document;
use thresh_index::Index;

const DEFAULT_CHUNK: usize = 2048;
const PROBES: usize = 2000;

fn read_chunk(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
    n: usize,
) -> Vec<Document> {
    let mut docs = Vec::with_capacity(n);
    for line in lines.by_ref().take(n) {
        let line = line.expect("read corpus");
        let value: serde_json::Value = serde_json::from_str(&line).expect("JSON line");
        let mut doc = Document::new(
            value["id"].as_str().unwrap_or_default(),
            value["text"].as_str().unwrap_or_default(),
        );
        doc.date = value["date"].as_str().map(str::to_owned);
        docs.push(doc);
    }
    docs
}

fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0)
        / 1024
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let corpus = PathBuf::from(&args[1]);
    let dir = PathBuf::from(&args[2]);
    let max_docs: usize = args[3].parse().unwrap();
    let step: usize = args[4].parse().unwrap();
    let chunk: usize = args.get(5).map_or(DEFAULT_CHUNK, |c| c.parse().unwrap());
    let _ = std::fs::remove_dir_all(&dir);
    let config = MatchConfig::default();
    let index = Index::create(&dir, &config).unwrap();
    let fingerprinter = Fingerprinter::new(index.config());
    let input: Box<dyn std::io::Read> = if corpus.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(File::open(&corpus).unwrap())
    };
    let mut lines = BufReader::with_capacity(1 << 20, input).lines();
    println!("| documents in index | add docs/s | add docs/s without fingerprinting | query docs/s | query p50 µs | query p99 µs | bytes/doc on disk | peak RSS MB |");
    println!("|--:|--:|--:|--:|--:|--:|--:|--:|");
    let mut added = 0;
    let mut pending: Vec<Document> = Vec::new();
    while added < max_docs {
        let mut batch = index.begin().unwrap();
        let (mut add_s, mut fp_s, mut step_docs) = (0.0, 0.0, 0);
        while step_docs < step {
            let mut docs = std::mem::take(&mut pending);
            if docs.is_empty() {
                docs = read_chunk(&mut lines, chunk.min(step - step_docs));
            }
            if docs.is_empty() {
                break;
            }
            let t = Instant::now();
            let _: Vec<u128> = docs
                .par_iter()
                .map(|d| fingerprinter.fingerprint(&d.text).exact)
                .collect();
            fp_s += t.elapsed().as_secs_f64();
            let t = Instant::now();
            index.push(&mut batch, &docs).unwrap();
            add_s += t.elapsed().as_secs_f64();
            step_docs += docs.len();
        }
        if step_docs == 0 {
            break;
        }
        let t = Instant::now();
        index.commit(batch).unwrap();
        let commit_s = t.elapsed().as_secs_f64();
        add_s += commit_s;
        eprintln!(
            "step: push {:.2} s (fingerprint alone {fp_s:.2} s), commit {commit_s:.2} s",
            add_s - commit_s
        );
        added += step_docs;

        // Queries: the next documents, one per look-up, never committed.
        pending = read_chunk(&mut lines, PROBES);
        let mut latencies = Vec::with_capacity(pending.len());
        let t = Instant::now();
        let mut probe = index.begin().unwrap();
        for doc in &pending {
            let one = Instant::now();
            index.push(&mut probe, std::slice::from_ref(doc)).unwrap();
            latencies.push(one.elapsed().as_secs_f64() * 1e6);
        }
        let query_s = t.elapsed().as_secs_f64();
        drop(probe);
        latencies.sort_by(|a, b| a.total_cmp(b));
        let at = |q: f64| {
            latencies
                .get(((latencies.len() as f64 - 1.0) * q) as usize)
                .copied()
                .unwrap_or(0.0)
        };
        let bytes = index.bytes_on_disk();
        println!(
            "| {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {} | {} |",
            added,
            step_docs as f64 / add_s,
            step_docs as f64 / (add_s - fp_s).max(1e-9),
            pending.len() as f64 / query_s.max(1e-9),
            at(0.5),
            at(0.99),
            bytes / added as u64,
            peak_rss_mb()
        );
        // Rows as they come: a long run stopped early still has them.
        std::io::stdout().flush().unwrap();
    }
}
