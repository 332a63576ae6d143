//! Crash safety, locking and concurrent readers, across processes.
//!
//! `thresh-index-crash-writer` (a test helper binary of this crate) adds
//! generated documents batch by batch and prints `committed batch N` after
//! each commit. The crash test SIGKILLs it at seeded random moments and
//! checks after each kill that the index opens, passes the integrity check
//! and holds exactly the batches reported committed. (A kill can land after
//! a commit and before its line is printed, so the index may hold one batch
//! more than was reported, never fewer, and never part of one.)

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;
mod common;

use common::seeded_words;
use thresh_engine::Document;
use thresh_index::{Index, IndexError, Verdict};

const WRITER: &str = env!("CARGO_BIN_EXE_thresh-index-crash-writer");
const BATCH: u64 = 200;

fn spawn_writer(dir: &Path, day: u64, documents: u64) -> (Child, mpsc::Receiver<u64>) {
    let mut child = Command::new(WRITER)
        .args([
            dir.to_str().unwrap(),
            &day.to_string(),
            &documents.to_string(),
            &BATCH.to_string(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the writer");
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(n) = line.strip_prefix("committed batch ") {
                let _ = send.send(n.trim().parse().unwrap());
            }
        }
    });
    (child, receive)
}

/// xorshift: seeded, so a failure replays.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn sigkill_at_random_points_leaves_exactly_the_reported_batches() {
    let dir = TempDir::new().unwrap();
    let mut rng = Rng(0x5eed_0005);
    let mut reported = 0u64;
    let started = Instant::now();
    for day in 1..=20u64 {
        let (mut child, committed) = spawn_writer(dir.path(), day, 2000);
        thread::sleep(Duration::from_millis(rng.below(1500)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        // The channel closes once the reader thread sees end of output.
        reported = committed.iter().fold(reported, u64::max);

        let mut index = Index::open(dir.path())
            .unwrap_or_else(|e| panic!("day {day}: index does not open after SIGKILL: {e}"));
        let counts = index
            .check()
            .unwrap_or_else(|e| panic!("day {day}: integrity check: {e}"));
        assert!(
            counts.batches == reported || counts.batches == reported + 1,
            "day {day}: index holds {} batches, {reported} were reported committed",
            counts.batches
        );
        reported = counts.batches;
        assert_eq!(
            counts.documents,
            counts.batches * BATCH,
            "day {day}: partial batch"
        );
        let batches = index.batches().unwrap();
        assert!(batches.iter().all(|b| b.documents == BATCH));
        // Kills land mid-merge too: opening removed what they left, and
        // equal batches leave at most log2(batches) + 1 runs.
        let runs = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_str().unwrap().starts_with("run-")
            })
            .count() as u32;
        assert!(
            runs <= u64::BITS - counts.batches.leading_zeros(),
            "day {day}: {runs} run files for {} batches",
            counts.batches
        );
    }
    // The kills landed mid-run: some batches got in, not all of them.
    assert!(reported > 0 && reported < 20 * 10, "{reported} batches");
    // The index still takes documents after all that.
    let (mut child, _) = spawn_writer(dir.path(), 99, 400);
    assert!(child.wait().unwrap().success());
    let counts = Index::open(dir.path()).unwrap().check().unwrap();
    assert_eq!(counts.batches, reported + 2);
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn a_second_writer_is_told_who_holds_the_lock() {
    let dir = TempDir::new().unwrap();
    let _writer = Index::create(dir.path(), &Default::default()).unwrap();
    match Index::open(dir.path()) {
        Err(error @ IndexError::Locked { .. }) => {
            let message = error.to_string();
            assert!(
                message.contains(&format!("index is locked by PID {}", std::process::id())),
                "{message}"
            );
        }
        Err(other) => panic!("expected a lock error, got {other}"),
        Ok(_) => panic!("a second writer opened the index"),
    }
}

#[test]
fn readers_query_while_a_writer_adds() {
    let dir = TempDir::new().unwrap();
    // Day 1 committed in full, then a long day 2 in progress.
    let (mut first, _) = spawn_writer(dir.path(), 1, 400);
    assert!(first.wait().unwrap().success());
    let (mut child, committed) = spawn_writer(dir.path(), 2, 4000);
    committed
        .recv_timeout(Duration::from_secs(30))
        .expect("the writer commits");
    let index = Index::open_read_only(dir.path()).expect("a reader opens beside the writer");
    let mut queried = 0;
    for _ in 0..3 {
        let before = index.counts().unwrap();
        let mut batch = index.begin().unwrap();
        // Document 0 of day 1 again: it must be found.
        let probe = Document::new("probe", story_of_day1_doc0());
        let verdicts = index.push(&mut batch, &[probe]).unwrap();
        assert!(matches!(&verdicts[0], Verdict::Duplicate(m) if m.matched.id == 0));
        assert!(matches!(index.commit(batch), Err(IndexError::ReadOnly)));
        assert!(index.counts().unwrap().documents >= before.documents);
        queried += 1;
        thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(queried, 3);
    assert!(
        child.try_wait().unwrap().is_none(),
        "the writer finished before the reader could query beside it"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

/// A server checks on the writer's own index while that index commits:
/// the commits merge run files away under the checks' snapshots, and a
/// check must read the newer manifest instead of failing.
#[test]
fn checks_on_the_writers_own_index_survive_its_merges() {
    let dir = TempDir::new().unwrap();
    let config = thresh_engine::dedup::MatchConfig::default();
    let index = Index::create(dir.path(), &config).unwrap();
    let first = Document::new("first", seeded_words(7, 80));
    let mut batch = index.begin().unwrap();
    index
        .push(&mut batch, std::slice::from_ref(&first))
        .unwrap();
    index.commit(batch).unwrap();
    let done = AtomicBool::new(false);
    let checks = AtomicUsize::new(0);
    thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    let mut batch = index.begin().expect("a check begins beside the commits");
                    let probe = Document::new("probe", first.text.clone());
                    let verdicts = index.push(&mut batch, &[probe]).expect("a check matches");
                    assert!(matches!(&verdicts[0], Verdict::Duplicate(m) if m.matched.id == 0));
                    checks.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
        // Many small commits: each adds a run, and runs are merged so that
        // their number stays logarithmic.
        for day in 0..64u64 {
            let docs: Vec<Document> = (0..4)
                .map(|i| Document::new(format!("{day}-{i}"), seeded_words(1000 + day * 4 + i, 60)))
                .collect();
            let mut batch = index.begin().unwrap();
            index.push(&mut batch, &docs).unwrap();
            index.commit(batch).unwrap();
        }
        done.store(true, Ordering::Relaxed);
    });
    assert!(checks.load(Ordering::Relaxed) > 0);
}

/// The text the writer generates for day 1, document 0.
fn story_of_day1_doc0() -> String {
    seeded_words(1_000_003, 60)
}
