//! `thresh index`: create, add day by day, query, stats, and the errors.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

const STORY: &str = "Russia unleashed an overnight drone attack on the Ukrainian capital \
    Kyiv that lasted into late morning and wounded at least one person, city officials \
    said on Saturday. Debris from downed drones struck six city districts, wounding a \
    police officer, damaging residential buildings and starting fires.";

const OTHER: &str = "The central bank held interest rates steady on Thursday, citing \
    persistent inflation in services and a labour market that remains tight, and said \
    it would watch wage data closely before deciding its next move in the spring.";

fn thresh() -> Command {
    Command::cargo_bin("thresh").unwrap()
}

fn write_jsonl(path: &Path, docs: &[(&str, &str, &str)]) {
    let lines: Vec<String> = docs
        .iter()
        .map(|(id, date, text)| {
            serde_json::json!({"id": id, "date": date, "text": text}).to_string()
        })
        .collect();
    fs::write(path, lines.join("\n") + "\n").unwrap();
}

fn lines(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn day_by_day_with_explained_matches() {
    let tmp = TempDir::new().unwrap();
    let index = tmp.path().join("index");
    thresh()
        .args(["index", "create"])
        .arg(&index)
        .assert()
        .success();

    let day1 = tmp.path().join("day1.jsonl");
    write_jsonl(
        &day1,
        &[("a", "2024-11-01", STORY), ("b", "2024-11-01", OTHER)],
    );
    thresh()
        .args(["index", "add", "--quiet"])
        .arg(&index)
        .arg(&day1)
        .arg("--out")
        .arg(tmp.path().join("out1"))
        .assert()
        .success();
    assert_eq!(lines(&tmp.path().join("out1/kept.jsonl")).len(), 2);

    let edited = STORY.replace("six city districts", "seven city districts");
    let shouted = OTHER.to_uppercase();
    let day2 = tmp.path().join("day2.jsonl");
    write_jsonl(
        &day2,
        &[
            ("c", "2024-11-02", &edited),
            (
                "d",
                "2024-11-02",
                "Something entirely new happened today in the city.",
            ),
            ("e", "2024-11-02", &shouted),
            (
                "f",
                "2024-11-02",
                "Something entirely new happened today in the city.",
            ),
        ],
    );
    let out2 = tmp.path().join("out2");
    thresh()
        .args(["index", "add", "--quiet"])
        .arg(&index)
        .arg(&day2)
        .arg("--out")
        .arg(&out2)
        .assert()
        .success();
    let kept: Vec<String> = lines(&out2.join("kept.jsonl"))
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kept, ["d"]);
    let clusters = lines(&out2.join("clusters.jsonl"));
    assert_eq!(clusters.len(), 3);
    // Near copy of yesterday's "a", with what it matched.
    assert_eq!(clusters[0]["representative"], "a");
    assert_eq!(clusters[0]["members"][0]["id"], "c");
    assert_eq!(clusters[0]["members"][0]["kind"], "near");
    assert_eq!(clusters[0]["members"][0]["matched"]["date"], "2024-11-01");
    assert_eq!(clusters[1]["representative"], "b");
    assert_eq!(clusters[1]["members"][0]["kind"], "exact");
    // Within the batch: f repeats d.
    assert_eq!(clusters[2]["representative"], "d");
    assert_eq!(clusters[2]["members"][0]["id"], "f");
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(out2.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["documents"], 4);
    assert_eq!(summary["kept"], 1);
    assert_eq!(summary["index"]["documents"], 6);

    // Query: nothing is added.
    let output = thresh()
        .args(["index", "query", "--quiet"])
        .arg(&index)
        .arg(&day1)
        .output()
        .unwrap();
    assert!(output.status.success());
    let answers: Vec<Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0]["new"], false);
    assert_eq!(answers[0]["matched"]["id"], "a");

    let output = thresh()
        .args(["index", "stats"])
        .arg(&index)
        .output()
        .unwrap();
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(stats["documents"], 6);
    assert_eq!(stats["batches"], 2);
    assert_eq!(stats["parameters"]["bands"], 20);
}

#[test]
fn other_parameters_and_missing_indexes_are_refused() {
    let tmp = TempDir::new().unwrap();
    let index = tmp.path().join("index");
    thresh()
        .args(["index", "create"])
        .arg(&index)
        .assert()
        .success();
    let input = tmp.path().join("in.jsonl");
    write_jsonl(&input, &[("a", "2024-11-01", STORY)]);
    thresh()
        .args(["index", "add", "--ngram", "3"])
        .arg(&index)
        .arg(&input)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "parameters differ from the index's: ngram: index 5, given 3",
        ));
    thresh()
        .args(["index", "stats"])
        .arg(tmp.path().join("nothing"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a thresh index"));
    thresh()
        .args(["index", "create"])
        .arg(&index)
        .assert()
        .failure()
        .stderr(predicate::str::contains("an index already exists"));
}

/// Flips one byte at every `step` bytes of `path` from `from` to `to`.
fn damage(path: &Path, from: usize, to: usize, step: usize) {
    let mut bytes = fs::read(path).unwrap();
    for at in (from..to).step_by(step) {
        bytes[at] ^= 0x5a;
    }
    fs::write(path, bytes).unwrap();
}

/// A damaged index never answers: a query fails naming what is damaged,
/// and `index verify` lists every damaged file and record.
#[test]
fn a_damaged_index_is_refused_and_verify_names_the_damage() {
    let tmp = TempDir::new().unwrap();
    let index = tmp.path().join("index");
    thresh()
        .args(["index", "create"])
        .arg(&index)
        .assert()
        .success();
    let docs = [
        ("first-story", "2024-11-01", STORY),
        ("second-story", "2024-11-01", OTHER),
    ];
    let input = tmp.path().join("in.jsonl");
    write_jsonl(&input, &docs);
    thresh()
        .args(["index", "add", "--quiet"])
        .arg(&index)
        .arg(&input)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .success();
    thresh()
        .args(["index", "verify"])
        .arg(&index)
        .assert()
        .success()
        .stdout(predicate::str::contains("intact: 2 documents in 1 batches"));

    // The entries of the run, its trailer left as it was.
    let run = fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "thr"))
        .unwrap();
    let run_name = run.file_name().unwrap().to_str().unwrap().to_owned();
    let intact_run = fs::read(&run).unwrap();
    damage(&run, 32, 32 + 12 * 20, 12);
    let query = |input: &Path| {
        thresh()
            .args(["index", "query"])
            .arg(&index)
            .arg(input)
            .assert()
    };
    query(&input).failure().code(1).stdout("").stderr(
        predicate::str::contains("the index is damaged").and(predicate::str::contains(&run_name)),
    );

    thresh()
        .args(["index", "verify"])
        .arg(&index)
        .assert()
        .failure()
        .code(1)
        .stderr(predicate::str::contains(&run_name).and(predicate::str::contains("block 0")));

    // A document record in the store (its source id's bytes): found by the
    // record's own checksum when read, by the store's when opened to write.
    fs::write(&run, intact_run).unwrap();
    let store = index.join("index.redb");
    let bytes = fs::read(&store).unwrap();
    let at = bytes
        .windows(b"second-story".len())
        .position(|w| w == b"second-story")
        .expect("the record's source id is in the store");
    damage(&store, at, at + 1, 1);
    let other = tmp.path().join("other.jsonl");
    write_jsonl(&other, &docs[1..]);
    query(&other)
        .failure()
        .code(1)
        .stderr(predicate::str::contains(
            "the index is damaged: index.redb: document record 1 is damaged",
        ));
    thresh()
        .args(["index", "verify"])
        .arg(&index)
        .assert()
        .failure()
        .code(1)
        .stderr(predicate::str::contains("index.redb"));
}
