//! The run files beside the store: orphans from a crash are removed, damage
//! and missing files are reported with the file's name, merges keep their
//! number logarithmic without changing a decision.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;
use thresh_engine::dedup::MatchConfig;
mod common;

use common::seeded_words;
use thresh_engine::Document;
use thresh_index::{Index, IndexError, Verdict};

fn story(seed: u64) -> String {
    seeded_words(seed, 80)
}

/// Commit `batches` batches of `size` new stories (seeds from `first`).
fn add(index: &Index, first: u64, batches: u64, size: u64) {
    for b in 0..batches {
        let docs: Vec<Document> = (0..size)
            .map(|i| {
                let seed = first + b * size + i;
                Document::new(format!("d{seed}"), story(seed))
            })
            .collect();
        let mut batch = index.begin().unwrap();
        index.push(&mut batch, &docs).unwrap();
        index.commit(batch).unwrap();
    }
}

fn run_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with("run-")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn merges_keep_runs_logarithmic_and_decisions_unchanged() {
    let dir = TempDir::new().unwrap();
    let mut index = Index::create(dir.path(), &MatchConfig::default()).unwrap();
    add(&index, 0, 13, 20);
    // 13 = 0b1101 batches of equal size: three runs.
    assert_eq!(run_files(dir.path()).len(), 3);
    index.check().unwrap();
    // Every story of every run is found again, as an exact copy of itself.
    let probes: Vec<Document> = [0u64, 19, 150, 259]
        .iter()
        .map(|&seed| Document::new("probe", story(seed)))
        .collect();
    let mut batch = index.begin().unwrap();
    let verdicts = index.push(&mut batch, &probes).unwrap();
    for (verdict, id) in verdicts.iter().zip([0u64, 19, 150, 259]) {
        assert!(
            matches!(verdict, Verdict::Duplicate(m) if m.matched.id == id),
            "{verdict:?}"
        );
    }
}

#[test]
fn orphan_runs_are_removed_when_a_writer_opens() {
    let dir = TempDir::new().unwrap();
    let index = Index::create(dir.path(), &MatchConfig::default()).unwrap();
    add(&index, 0, 3, 10);
    drop(index);
    let live = run_files(dir.path());
    // What a crash leaves: a run written but never committed, and a run
    // still being written.
    fs::write(dir.path().join("run-0000000030-0000000040.thr"), b"x").unwrap();
    fs::write(dir.path().join("run-0000000000-0000000040.thr.tmp"), b"x").unwrap();
    // A reader leaves them (it cannot know whether a writer is at work).
    drop(Index::open_read_only(dir.path()).unwrap());
    assert_eq!(run_files(dir.path()).len(), live.len() + 2);
    let mut index = Index::open(dir.path()).unwrap();
    assert_eq!(run_files(dir.path()), live);
    index.check().unwrap();
}

#[test]
fn a_damaged_run_fails_the_check_naming_the_file() {
    let dir = TempDir::new().unwrap();
    let index = Index::create(dir.path(), &MatchConfig::default()).unwrap();
    add(&index, 0, 1, 50);
    drop(index);
    let run = run_files(dir.path()).pop().unwrap();
    let mut bytes = fs::read(&run).unwrap();
    bytes[40] ^= 0x55; // inside the first entry
    fs::write(&run, &bytes).unwrap();
    let mut index = Index::open(dir.path()).unwrap();
    let error = index.check().unwrap_err();
    let name = run.file_name().unwrap().to_str().unwrap();
    assert!(
        matches!(&error, IndexError::Corrupt(m) if m.contains(name)),
        "{error}"
    );
}

#[test]
fn a_missing_or_truncated_run_is_an_error_naming_the_file() {
    let dir = TempDir::new().unwrap();
    let index = Index::create(dir.path(), &MatchConfig::default()).unwrap();
    add(&index, 0, 1, 50);
    drop(index);
    let run = run_files(dir.path()).pop().unwrap();
    let name = run.file_name().unwrap().to_str().unwrap().to_owned();
    let bytes = fs::read(&run).unwrap();
    fs::write(&run, &bytes[..bytes.len() / 2]).unwrap();
    let index = Index::open(dir.path()).unwrap();
    let error = index.begin().err().unwrap();
    assert!(error.to_string().contains(&name), "{error}");
    drop(index);
    fs::remove_file(&run).unwrap();
    let index = Index::open(dir.path()).unwrap();
    let error = index.begin().err().unwrap();
    assert!(error.to_string().contains(&name), "{error}");
}

/// Damage that leaves a run's checksum trailer as it was (the entries
/// changed, not the trailer) is found when the damaged block is read: a
/// look-up fails naming the file instead of reporting a known document as
/// new.
#[test]
fn damaged_entries_are_refused_when_read_never_answered_as_new() {
    let dir = TempDir::new().unwrap();
    let index = Index::create(dir.path(), &MatchConfig::default()).unwrap();
    add(&index, 0, 1, 50);
    drop(index);
    let run = run_files(dir.path()).pop().unwrap();
    let name = run.file_name().unwrap().to_str().unwrap().to_owned();
    let mut bytes = fs::read(&run).unwrap();
    // A byte of every twelve from the first entry on, as many as the run
    // has entries: the header, fences and trailer stay as they were.
    let entries = u64::from_le_bytes(bytes[16..24].try_into().unwrap()) as usize;
    for at in (32..32 + 12 * entries).step_by(12) {
        bytes[at] ^= 0x5a;
    }
    fs::write(&run, &bytes).unwrap();

    let index = Index::open_read_only(dir.path()).unwrap();
    let probes: Vec<Document> = (0..50)
        .map(|seed| Document::new(format!("probe{seed}"), story(seed)))
        .collect();
    let answer = index
        .begin()
        .and_then(|mut batch| index.push(&mut batch, &probes));
    match answer {
        Err(error) => assert!(
            matches!(&error, IndexError::Corrupt(m) if m.contains(&name)),
            "{error}"
        ),
        Ok(verdicts) => panic!(
            "a damaged run answered: {} of 50 known stories new",
            verdicts
                .iter()
                .filter(|v| matches!(v, Verdict::New))
                .count()
        ),
    }
}
