//! `thresh timeline` reads its snapshots like every other command: bad
//! records stop the run with their place, or are counted with --skip-bad;
//! the output goes to --out; a text file's header line gives the date and
//! title.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn thresh() -> Command {
    Command::cargo_bin("thresh").unwrap()
}

const SNAPSHOTS: &str = concat!(
    r#"{"url":"https://news.example/live","date":"2024-11-01","title":"Storm live","text":"Storm live\nBridges close as gales arrive\nThe two main bridges closed at noon, the council said, as gusts reached 90 mph."}"#,
    "\n",
    "this line is not JSON\n",
    r#"{"url":"https://news.example/live","date":"2024-11-02","title":"Storm live","text":"Storm live\nTrains cancelled across the region\nAll trains north of the city were cancelled until Monday, the operator said.\nBridges close as gales arrive\nThe two main bridges closed at noon, the council said, as gusts reached 90 mph."}"#,
    "\n",
);

#[test]
fn a_bad_snapshot_record_stops_the_run_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawls.jsonl");
    std::fs::write(&path, SNAPSHOTS).unwrap();
    thresh()
        .arg("timeline")
        .arg(&path)
        .assert()
        .failure()
        .stderr(predicate::str::contains("crawls.jsonl:2"))
        .stderr(predicate::str::contains("--skip-bad"));
}

#[test]
fn skip_bad_counts_the_bad_record_and_builds_the_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawls.jsonl");
    std::fs::write(&path, SNAPSHOTS).unwrap();
    let out = dir.path().join("timeline.json");
    let assert = thresh()
        .args(["timeline", "--skip-bad", "--format", "json", "--out"])
        .arg(&out)
        .arg(&path)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("1 bad records skipped"), "{stderr}");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    // Both good records are snapshots of the page, and the newer one's post
    // is there.
    assert_eq!(json["snapshots"].as_array().unwrap().len(), 2);
    assert!(json
        .to_string()
        .contains("Trains cancelled across the region"));
}

#[test]
fn a_text_snapshots_header_gives_date_and_title() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snapshot.txt");
    std::fs::write(
        &path,
        " date 2024-11-01 Storm live\nBridges close as gales arrive\n\
         The two main bridges closed at noon, the council said, as gusts reached 90 mph.\n",
    )
    .unwrap();
    let assert = thresh()
        .args(["timeline", "--format", "json"])
        .arg(&path)
        .assert()
        .success();
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(json["title"], "Storm live");
    assert_eq!(json["snapshots"][0]["date"], "2024-11-01");
    // The header is the page's title line, never a post's text.
    assert!(!json["posts"].to_string().contains("date 2024"), "{json}");
}

/// `--format json` has one shape whatever the number of pages: one timeline
/// object per line.
#[test]
fn json_is_one_timeline_object_per_line_for_one_page_or_several() {
    let dir = tempfile::tempdir().unwrap();
    let page = |url: &str, title: &str, headline: &str| {
        format!(
            r#"{{"url":"{url}","date":"2024-11-01","title":"{title}","text":"{title}\n{headline}\nThe council said the roads would stay shut until the water went down."}}"#
        )
    };
    let run = |records: &[String]| -> Vec<Value> {
        let path = dir.path().join("crawls.jsonl");
        std::fs::write(&path, records.join("\n") + "\n").unwrap();
        let assert = thresh()
            .args(["timeline", "--format", "json"])
            .arg(&path)
            .assert()
            .success();
        let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
        stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    };
    let one = run(&[page("https://a.example/live", "Flood live", "Roads shut")]);
    let two = run(&[
        page("https://a.example/live", "Flood live", "Roads shut"),
        page("https://b.example/live", "Storm live", "Trains stop"),
    ]);
    assert_eq!(one.len(), 1);
    assert_eq!(two.len(), 2);
    for timeline in one.iter().chain(&two) {
        assert!(timeline.is_object(), "{timeline}");
        assert!(timeline["posts"].is_array(), "{timeline}");
    }
    let titles: Vec<&str> = two.iter().map(|t| t["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Flood live", "Storm live"]);
}
