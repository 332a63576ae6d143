//! `thresh-floor`: the physical floor of a deduplication pass, a bare pass
//! that reads a JSONL corpus, parses each line, brings the text to the
//! canonical form whose words thresh hashes (lower case, typographic
//! quotes and dashes folded, NFKC only where the text is not in it already)
//! and splits it into words at Unicode word boundaries, and counts them. No
//! hashing, no output but the counts. Uses all cores by default, like
//! `thresh`, so that the two are compared on the same hardware.
//!
//! It uses the engine's own normalizer and splitter, the fastest there are
//! for the job: canonical ASCII is copied and lower-cased in runs, and
//! ASCII is split by a byte-level splitter proven equal to Unicode word
//! boundaries. So the floor is what any pass that finds thresh's words
//! must spend, and thresh's time above it is hashing, MinHash and LSH.

use std::borrow::Cow;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Instant;

use clap::Parser;
use serde::Deserialize;
use thresh_engine::normalize::{for_each_token, Normalizer};

#[derive(Parser, Debug)]
#[command(
    name = "thresh-floor",
    version,
    about = "Read a JSONL corpus and split its words: the floor for dedup speed"
)]
struct Args {
    /// JSONL corpus.
    input: String,
    /// Field holding the text.
    #[arg(long, default_value = "text")]
    text_field: String,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

#[derive(Deserialize)]
struct Doc<'a> {
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
}

fn count_words(line: &str, field: &str) -> (u64, u64) {
    let text: Option<Cow<str>> = if field == "text" {
        serde_json::from_str::<Doc>(line).ok().and_then(|d| d.text)
    } else {
        serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .and_then(|v| {
                v.get(field)
                    .and_then(|t| t.as_str())
                    .map(|s| Cow::Owned(s.to_string()))
            })
    };
    let Some(text) = text else {
        return (0, 0);
    };
    let canonical = Normalizer::default().normalize(&text);
    let mut words = 0;
    for_each_token(&canonical, |_| words += 1);
    (1, words)
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let start = Instant::now();
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let file = File::open(&args.input)?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let (tx, rx) = mpsc::sync_channel::<Vec<String>>(threads * 2);
    let rx = Arc::new(Mutex::new(rx));
    let field = args.text_field.clone();
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let rx = Arc::clone(&rx);
            let field = field.clone();
            std::thread::spawn(move || {
                let (mut docs, mut words) = (0u64, 0u64);
                loop {
                    let batch = match rx.lock().expect("poisoned").recv() {
                        Ok(b) => b,
                        Err(_) => break,
                    };
                    for line in &batch {
                        let (d, w) = count_words(line, &field);
                        docs += d;
                        words += w;
                    }
                }
                (docs, words)
            })
        })
        .collect();
    let mut bytes = 0u64;
    let mut batch = Vec::with_capacity(1024);
    let mut batch_bytes = 0usize;
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        batch_bytes += n;
        batch.push(line);
        if batch_bytes >= 4 << 20 {
            tx.send(std::mem::take(&mut batch)).expect("workers gone");
            batch_bytes = 0;
        }
    }
    if !batch.is_empty() {
        tx.send(batch).expect("workers gone");
    }
    drop(tx);
    let (mut docs, mut words) = (0u64, 0u64);
    for w in workers {
        let (d, n) = w.join().expect("worker panicked");
        docs += d;
        words += n;
    }
    println!(
        "{}",
        serde_json::json!({
            "documents": docs,
            "words": words,
            "bytes": bytes,
            "threads": threads,
            "seconds": start.elapsed().as_secs_f64(),
        })
    );
    Ok(())
}
