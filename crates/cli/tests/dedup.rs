//! End-to-end tests of `thresh dedup`: the seeds, the accounting rule,
//! determinism across thread counts, the output files and bad input.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn thresh() -> Command {
    Command::cargo_bin("thresh").unwrap()
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn summary(out: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

/// Run dedup on `inputs` into a fresh directory under `dir`; returns it.
fn dedup(dir: &Path, inputs: &[&Path], extra: &[&str]) -> PathBuf {
    let out = dir.join(format!("out{}", fs::read_dir(dir).unwrap().count()));
    thresh()
        .arg("dedup")
        .args(inputs)
        .arg("--out")
        .arg(&out)
        .args(["--quiet"])
        .args(extra)
        .assert()
        .success();
    out
}

/// A small news-like corpus with exact copies, edited copies and unrelated
/// stories, written as JSONL.
fn corpus(dir: &Path, stories: usize) -> PathBuf {
    let words = [
        "kyiv",
        "drone",
        "attack",
        "officials",
        "said",
        "city",
        "military",
        "russia",
        "ukraine",
        "troops",
        "north",
        "korea",
        "minister",
        "talks",
        "moscow",
        "war",
        "front",
        "region",
        "forces",
        "report",
        "capital",
        "night",
        "power",
        "lines",
    ];
    let mut state = 12345u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut lines = Vec::new();
    for story in 0..stories {
        let text: Vec<String> = (0..6)
            .map(|_| {
                (0..25)
                    .map(|_| words[(next() % words.len() as u64) as usize])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let text = text.join("\n");
        let date = format!("2024-11-{:02}", 1 + story % 28);
        lines.push(serde_json::json!({"id": format!("s{story}"), "text": text, "date": date, "source": "wire"}));
        match story % 4 {
            0 => lines.push(serde_json::json!({"id": format!("s{story}-copy"), "text": text.to_uppercase(), "date": "2024-12-01"})),
            1 => {
                let edited = text.replacen("said", "told reporters", 1);
                lines.push(serde_json::json!({"id": format!("s{story}-edit"), "text": edited, "date": "2024-12-02"}));
            }
            _ => {}
        }
    }
    let path = dir.join("corpus.jsonl");
    let body: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    fs::write(&path, body.join("\n") + "\n").unwrap();
    path
}

#[test]
fn seeds_repeated_block_is_found_at_paragraph_level() {
    let dir = tempfile::tempdir().unwrap();
    let out = dedup(dir.path(), &[&examples()], &["--level", "paragraph"]);
    let removed = read_jsonl(&out.join("removed_paragraphs.jsonl"));
    let in_000: Vec<&Value> = removed
        .iter()
        .filter(|r| r["id"].as_str().unwrap().starts_with("000_"))
        .collect();
    // The doubled post: its headline and nine paragraphs, the second copy
    // (with straight apostrophes) pointing at the first (with curly ones).
    // The second copy stands right after the first: ten lines further down.
    let second_copy: Vec<&&Value> = in_000
        .iter()
        .filter(|r| {
            r["first"]["id"] == r["id"]
                && r["line"].as_u64().unwrap() == r["first"]["line"].as_u64().unwrap() + 10
        })
        .collect();
    assert_eq!(second_copy.len(), 10, "{second_copy:#?}");
    assert!(second_copy[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Russia\u{2019}s second drone attack on Kyiv"));
    assert!(second_copy.iter().any(|r| r["text"]
        .as_str()
        .unwrap()
        .contains("the capital's military administration")));
}

#[test]
fn seeds_shared_paragraphs_are_found_across_documents_despite_apostrophes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dedup(dir.path(), &[&examples()], &["--level", "both"]);
    let removed = read_jsonl(&out.join("removed_paragraphs.jsonl"));
    let from_001: Vec<&Value> = removed
        .iter()
        .filter(|r| r["id"].as_str().unwrap().starts_with("001_"))
        .collect();
    // 001 repeats 000's standfirst and opening paragraphs...
    assert!(from_001.iter().any(|r| r["text"]
        .as_str()
        .unwrap()
        .starts_with("North Korea has vowed to back Russia")));
    // ...and a paragraph printed with ' in 001 and ’ in 000.
    let straight = from_001
        .iter()
        .find(|r| {
            r["text"]
                .as_str()
                .unwrap()
                .starts_with("Kyiv's military said on Friday")
        })
        .expect("straight-apostrophe paragraph matched its curly first copy");
    assert!(straight["first"]["id"]
        .as_str()
        .unwrap()
        .starts_with("000_"));
    // The kept 001 no longer carries the removed paragraphs.
    let kept = read_jsonl(&out.join("kept.jsonl"));
    let doc_001 = kept
        .iter()
        .find(|d| d["id"].as_str().unwrap().starts_with("001_"))
        .unwrap();
    assert!(!doc_001["text"]
        .as_str()
        .unwrap()
        .contains("Kyiv's military said on Friday"));
    assert!(doc_001["text"]
        .as_str()
        .unwrap()
        .contains("Uncertainty in Kyiv over possible Trump re-election"));
    // Document level: the three crawls differ too much to be near duplicates.
    assert_eq!(summary(&out)["kept"], 3);
    assert_eq!(kept[0]["date"], "2024-11-03");
}

/// The passage a later crawl carries inside a paragraph edited around it
/// is found at substring level with its byte ranges, and cut out of the
/// later crawl alone; the rest of that paragraph stays.
#[test]
fn seeds_shared_sentences_inside_edited_paragraphs_are_found_as_spans() {
    let dir = tempfile::tempdir().unwrap();
    let out = dedup(
        dir.path(),
        &[&examples()],
        &["--level", "substring", "--min-span", "20"],
    );
    let spans = read_jsonl(&out.join("removed_spans.jsonl"));
    let text_of = |prefix: &str| -> String {
        let path = fs::read_dir(examples())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(prefix))
            .unwrap();
        let text = fs::read_to_string(path).unwrap();
        // A ` date …` first line is the header, not text.
        match text.strip_prefix(" date ") {
            Some(rest) => rest.split_once('\n').unwrap().1.to_string(),
            None => text,
        }
    };
    let span = spans
        .iter()
        .find(|s| {
            s["id"].as_str().unwrap().starts_with("003_")
                && s["text"]
                    .as_str()
                    .unwrap()
                    .contains("invincible military comradeship")
        })
        .expect("the quote 003 shares with 000 inside another paragraph");
    assert!(span["first"]["id"].as_str().unwrap().starts_with("000_"));
    // Byte ranges into the text as read.
    let at = |value: &Value| value.as_u64().unwrap() as usize;
    let later = text_of("003_");
    assert_eq!(&later[at(&span["start"])..at(&span["end"])], span["text"]);
    let first = text_of("000_");
    let first_copy = &first[at(&span["first"]["start"])..at(&span["first"]["end"])];
    assert!(first_copy.contains("invincible military comradeship"));
    // The paragraph around it stays in the kept 003; 000 keeps its copy.
    let kept = read_jsonl(&out.join("kept.jsonl"));
    let kept_text = |prefix: &str| {
        kept.iter()
            .find(|d| d["id"].as_str().unwrap().starts_with(prefix))
            .unwrap()["text"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(kept_text("000_").contains("invincible military comradeship"));
    assert!(!kept_text("003_").contains("invincible military comradeship"));
    assert!(kept_text("003_").contains("she told Lavrov"));
    // Searched in two shards, the same text is kept.
    let sharded_dir = tempfile::tempdir().unwrap();
    let sharded = dedup(
        sharded_dir.path(),
        &[&examples()],
        &[
            "--level",
            "substring",
            "--min-span",
            "20",
            "--span-shards",
            "2",
        ],
    );
    assert_eq!(read_jsonl(&sharded.join("kept.jsonl")), kept);
    assert_eq!(summary(&sharded)["parameters"]["substring"]["shards"], 2);
    let summary = summary(&out);
    assert_eq!(
        summary["spans_removed"].as_u64().unwrap(),
        spans.len() as u64
    );
    assert_eq!(summary["parameters"]["substring"]["min_span"], 20);
    assert_eq!(summary["parameters"]["substring"]["shards"], 1);
}

/// Wire copy pasted under a new first paragraph: in bytes, exactly the
/// copied bytes go (whole characters only); with `--keep-spans` they are
/// reported and stay.
#[test]
fn wire_copy_under_a_new_lead_is_cut_in_bytes_or_only_reported() {
    let dir = tempfile::tempdir().unwrap();
    let wire = "Ferries to the islands will not sail before Wednesday, the operator said, \
                after gusts of 120 km/h tore the roof off the terminal at Gdańsk.";
    let local = format!("Our town’s ferry is stuck too.\n{wire}\nMore later.");
    let input = dir.path().join("wire.jsonl");
    let records = [
        serde_json::json!({"id": "wire", "text": wire}),
        serde_json::json!({"id": "local", "text": local}),
    ];
    let lines: Vec<String> = records.iter().map(|r| r.to_string()).collect();
    fs::write(&input, lines.join("\n") + "\n").unwrap();

    let bytes = ["--level", "substring", "--unit", "byte", "--min-span", "40"];
    let out = dedup(dir.path(), &[&input], &bytes);
    let spans = read_jsonl(&out.join("removed_spans.jsonl"));
    assert_eq!(spans.len(), 1, "{spans:?}");
    let start = local.find("Ferries").unwrap();
    assert_eq!(spans[0]["id"], "local");
    assert_eq!(spans[0]["start"], start);
    assert_eq!(spans[0]["end"], start + wire.len());
    assert_eq!(spans[0]["text"], wire);
    assert_eq!(spans[0]["first"]["id"], "wire");
    assert_eq!(spans[0]["first"]["start"], 0);
    assert_eq!(spans[0]["first"]["end"], wire.len());
    let kept = read_jsonl(&out.join("kept.jsonl"));
    assert_eq!(kept[0]["text"], wire);
    assert_eq!(
        kept[1]["text"],
        "Our town’s ferry is stuck too.\n\nMore later."
    );
    assert_eq!(summary(&out)["span_bytes_removed"], wire.len());

    let reported = dedup(
        dir.path(),
        &[&input],
        &[&bytes[..], &["--keep-spans"]].concat(),
    );
    assert_eq!(read_jsonl(&reported.join("removed_spans.jsonl")), spans);
    assert_eq!(read_jsonl(&reported.join("kept.jsonl"))[1]["text"], local);
}

#[test]
fn every_document_is_kept_or_in_exactly_one_cluster() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 60);
    let out = dedup(dir.path(), &[&input], &[]);
    let ids: Vec<String> = read_jsonl(&input)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    let kept: BTreeSet<String> = read_jsonl(&out.join("kept.jsonl"))
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    let mut seen: BTreeMap<String, usize> = kept.iter().map(|id| (id.clone(), 1)).collect();
    let clusters = read_jsonl(&out.join("clusters.jsonl"));
    for cluster in &clusters {
        assert!(kept.contains(cluster["representative"].as_str().unwrap()));
        for member in cluster["members"].as_array().unwrap() {
            *seen
                .entry(member["id"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    assert_eq!(seen.len(), ids.len());
    assert!(seen.values().all(|&n| n == 1), "{seen:?}");
    let s = summary(&out);
    assert_eq!(s["documents"], 90);
    assert_eq!(s["exact_duplicates"], 15);
    assert_eq!(s["near_duplicates"], 15);
    assert_eq!(s["kept"], 60);
    assert_eq!(s["clusters"].as_u64().unwrap() as usize, clusters.len());
    // Earliest date wins: originals are dated November, copies December.
    assert!(kept.iter().all(|id| !id.contains('-')));
    // Fields thresh does not know are carried through.
    let first = &read_jsonl(&out.join("kept.jsonl"))[0];
    assert_eq!(first["source"], "wire");
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 200);
    // Random words from a small vocabulary: three-word repeats abound.
    let every_level = ["--level", "all", "--min-span", "3"];
    let one = dedup(
        dir.path(),
        &[&input],
        &[&["--threads", "1"], &every_level[..]].concat(),
    );
    let four = dedup(
        dir.path(),
        &[&input],
        &[&["--threads", "4"], &every_level[..]].concat(),
    );
    assert!(summary(&one)["spans_removed"].as_u64().unwrap() > 0);
    for name in [
        "kept.jsonl",
        "clusters.jsonl",
        "removed_paragraphs.jsonl",
        "removed_spans.jsonl",
    ] {
        assert_eq!(
            fs::read(one.join(name)).unwrap(),
            fs::read(four.join(name)).unwrap(),
            "{name} differs"
        );
    }
}

/// Exact verification is the default, with its shingles in a temporary
/// file that leaves nothing behind, wherever it goes; near copies report
/// their exact similarity.
#[test]
fn exact_verification_is_the_default_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 200);
    let tmp = dir.path().join("elsewhere");
    fs::create_dir(&tmp).unwrap();
    let by_default = dedup(dir.path(), &[&input], &[]);
    let elsewhere = dedup(dir.path(), &[&input], &["--tmp-dir", tmp.to_str().unwrap()]);
    assert_eq!(summary(&by_default)["parameters"]["verify"], "exact");
    let mut names: Vec<String> = fs::read_dir(&by_default)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["clusters.jsonl", "kept.jsonl", "summary.json"]);
    assert_eq!(fs::read_dir(&tmp).unwrap().count(), 0);
    for name in ["kept.jsonl", "clusters.jsonl"] {
        assert_eq!(
            fs::read(by_default.join(name)).unwrap(),
            fs::read(elsewhere.join(name)).unwrap(),
            "{name} differs"
        );
    }
    let near: Vec<f64> = read_jsonl(&by_default.join("clusters.jsonl"))
        .iter()
        .flat_map(|c| c["members"].as_array().unwrap().clone())
        .filter(|m| m["kind"] == "near")
        .map(|m| m["similarity"].as_f64().unwrap())
        .collect();
    assert!(!near.is_empty());
    assert!(near.iter().all(|&s| (0.7..1.0).contains(&s)), "{near:?}");
}

/// A result that is a symbolic link (to a file elsewhere, to /dev/null) is
/// written through and stays a link.
#[test]
fn a_result_that_is_a_link_is_written_through_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 40);
    let out = dedup(dir.path(), &[&input], &[]);
    let elsewhere = dir.path().join("kept-elsewhere.jsonl");
    let link = out.join("kept.jsonl");
    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    thresh()
        .arg("dedup")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--force"])
        .assert()
        .success();
    assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    let kept = read_jsonl(&elsewhere);
    assert_eq!(Some(kept.len() as u64), summary(&out)["kept"].as_u64());
}

#[test]
fn keep_policy_chooses_the_survivor() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("three.jsonl");
    fs::write(
        &input,
        concat!(
            r#"{"id":"mid","text":"the same story told twice over","date":"2024-11-02"}"#,
            "\n",
            r#"{"id":"late","text":"The  SAME story told twice over ","date":"2024-11-03"}"#,
            "\n",
            r#"{"id":"early","text":"the same story told twice over","date":"2024-11-01"}"#,
            "\n",
        ),
    )
    .unwrap();
    for (policy, survivor) in [
        ("earliest", "early"),
        ("latest", "late"),
        ("first", "mid"),
        ("longest", "late"),
    ] {
        let out = dedup(dir.path(), &[&input], &["--keep", policy]);
        let clusters = read_jsonl(&out.join("clusters.jsonl"));
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters[0]["representative"], survivor, "--keep {policy}");
        assert!(clusters[0]["members"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["kind"] == "exact" && m["similarity"] == 1.0));
    }
}

#[test]
fn report_shows_each_cluster_with_its_changed_words_and_the_removed_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 20);
    let out = dedup(dir.path(), &[&input], &["--level", "both", "--report"]);
    let page = fs::read_to_string(out.join("report.html")).unwrap();
    let clusters = read_jsonl(&out.join("clusters.jsonl"));
    // Every cluster of this small run is shown, each member beside its
    // representative.
    for cluster in &clusters {
        let n = cluster["cluster"].as_u64().unwrap();
        assert!(page.contains(&format!("id=\"cluster-{n}\"")), "cluster {n}");
        for member in cluster["members"].as_array().unwrap() {
            let id = member["id"].as_str().unwrap();
            assert!(page.contains(&format!("<h4>removed: {id}</h4>")), "{id}");
        }
    }
    // The edited copies changed "said" into "told reporters": the diff marks it.
    assert!(
        page.contains("<ins>told reporters</ins>"),
        "no inserted words"
    );
    assert!(page.contains("<del>said</del>"), "no deleted words");
    let removed = read_jsonl(&out.join("removed_paragraphs.jsonl"));
    let shown_rows = page.matches("<tr class=\"item\">").count();
    assert_eq!(shown_rows, removed.len());
    // One file that opens offline: nothing is fetched from elsewhere.
    for outside in ["src=", "<link", "http://", "https://", "@import"] {
        assert!(!page.contains(outside), "{outside} in the report");
    }
    // Without --report there is no page, and a forced rerun removes the old one.
    thresh()
        .args(["dedup", "--quiet", "--force", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    assert!(!out.join("report.html").exists());
}

#[test]
fn dry_run_writes_only_clusters_and_summary_and_json_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 20);
    let out = dir.path().join("dry");
    let output = thresh()
        .args(["dedup", "--dry-run", "--json", "--out"])
        .arg(&out)
        .arg(&input)
        .output()
        .unwrap();
    assert!(output.status.success());
    let printed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(printed, summary(&out));
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["clusters.jsonl", "summary.json"]);
    assert!(printed["parameters"]["bands"].as_u64().unwrap() > 0);
    assert!(printed["seconds"]["total"].as_f64().unwrap() >= 0.0);
}

#[test]
fn reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stdin");
    thresh()
        .args(["dedup", "-", "--input-format", "jsonl", "--quiet", "--out"])
        .arg(&out)
        .write_stdin("{\"id\":\"a\",\"text\":\"one two three\"}\n{\"id\":\"b\",\"text\":\"One  TWO three\"}\n")
        .assert()
        .success();
    assert_eq!(summary(&out)["exact_duplicates"], 1);
    assert_eq!(read_jsonl(&out.join("kept.jsonl")).len(), 1);
    // The spooled copy of standard input is gone.
    let names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn existing_output_directory_is_refused_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 5);
    let out = dedup(dir.path(), &[&input], &[]);
    thresh()
        .arg("dedup")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicate::str::contains("exists").and(predicate::str::contains("--force")));
    thresh()
        .arg("dedup")
        .arg(&input)
        .arg("--quiet")
        .arg("--force")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
}

/// Each kind of bad input: an error naming the file and line, or with
/// --skip-bad a count in the summary; never a panic.
#[test]
fn bad_input_is_named_or_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let good = r#"{"id":"ok","text":"a perfectly good document"}"#;
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "malformed.jsonl",
            format!("{good}\n{{\"id\": broken\n").into_bytes(),
            "malformed.jsonl:2",
            "malformed-json",
        ),
        (
            "missing.jsonl",
            format!("{good}\n{{\"id\":\"x\"}}\n").into_bytes(),
            "missing.jsonl:2",
            "missing-text",
        ),
        (
            "empty.jsonl",
            format!("{good}\n{{\"id\":\"x\",\"text\":\"  \"}}\n").into_bytes(),
            "empty.jsonl:2",
            "empty-document",
        ),
        (
            "utf8.txt",
            b"fine line\nbad \xff byte\n".to_vec(),
            "utf8.txt",
            "invalid-utf8",
        ),
        (
            "huge.jsonl",
            format!("{good}\n{{\"text\":\"{}\"}}\n", "x".repeat(5000)).into_bytes(),
            "huge.jsonl:2",
            "too-large",
        ),
    ];
    for (name, bytes, location, reason) in cases {
        let input = dir.path().join(name);
        fs::write(&input, bytes).unwrap();
        let out = dir.path().join(format!("{name}.out"));
        thresh()
            .arg("dedup")
            .arg(&input)
            .args(["--quiet", "--max-document-bytes", "1000", "--out"])
            .arg(&out)
            .assert()
            .failure()
            .stderr(predicate::str::contains(location))
            .stderr(predicate::str::contains("panicked").not());
        thresh()
            .arg("dedup")
            .arg(&input)
            .args([
                "--quiet",
                "--skip-bad",
                "--force",
                "--max-document-bytes",
                "1000",
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        let s = summary(&out);
        assert_eq!(s["skipped_bad"], 1, "{name}");
        assert_eq!(s["skipped_by_reason"][reason], 1, "{name}");
    }
    // A missing input is named.
    thresh()
        .args(["dedup", "no/such/file.jsonl", "--out"])
        .arg(dir.path().join("none"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("no/such/file.jsonl"));
}

#[test]
fn invalid_parameters_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 3);
    thresh()
        .arg("dedup")
        .arg(&input)
        .args(["--bands", "20", "--rows", "10", "--out"])
        .arg(dir.path().join("x"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("num-perm"));
    thresh()
        .arg("dedup")
        .arg(&input)
        .args(["--level", "substring", "--min-span", "0", "--out"])
        .arg(dir.path().join("y"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("--min-span must be at least 1"));
    assert!(!dir.path().join("y").exists());
}

#[test]
fn corrupt_compressed_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("broken.jsonl.gz");
    fs::write(&input, b"\x1f\x8b\x08\x00garbage that is not deflate").unwrap();
    thresh()
        .arg("dedup")
        .arg(&input)
        .args(["--quiet", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("broken.jsonl.gz"))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn compressed_inputs_read_like_plain_ones() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 30);
    let plain = fs::read(&input).unwrap();
    let gz = dir.path().join("corpus.jsonl.gz");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut encoder, &plain).unwrap();
    fs::write(&gz, encoder.finish().unwrap()).unwrap();
    let zst = dir.path().join("corpus.jsonl.zst");
    fs::write(&zst, zstd::encode_all(&plain[..], 1).unwrap()).unwrap();
    let reference = dedup(dir.path(), &[&input], &[]);
    for compressed in [gz, zst] {
        let out = dedup(dir.path(), &[&compressed], &[]);
        assert_eq!(
            fs::read(reference.join("clusters.jsonl")).unwrap(),
            fs::read(out.join("clusters.jsonl")).unwrap()
        );
        assert_eq!(
            fs::read(reference.join("kept.jsonl")).unwrap(),
            fs::read(out.join("kept.jsonl")).unwrap()
        );
    }
}

#[test]
fn parquet_round_trip_keeps_documents_and_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 40);
    let to_parquet = dedup(dir.path(), &[&input], &["--output-format", "parquet"]);
    let parquet = to_parquet.join("kept.parquet");
    assert!(parquet.exists());
    // Deduplicated once, the Parquet output has nothing left to remove.
    let again = dedup(dir.path(), &[&parquet], &[]);
    let s = summary(&again);
    assert_eq!(s["documents"], summary(&to_parquet)["kept"]);
    assert_eq!(s["kept"], s["documents"]);
    let jsonl = dedup(dir.path(), &[&input], &[]);
    let texts = |path: &Path| -> Vec<(String, String)> {
        read_jsonl(path)
            .iter()
            .map(|d| {
                (
                    d["id"].as_str().unwrap().into(),
                    d["text"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    assert_eq!(
        texts(&again.join("kept.jsonl")),
        texts(&jsonl.join("kept.jsonl"))
    );
}

/// A bad record early in a long input stops the run at once (the reader
/// thread, still producing batches, must not hold the command up).
#[test]
fn early_bad_record_in_a_long_input_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("long.jsonl");
    let mut lines = vec![
        r#"{"id":"a","text":"fine"}"#.to_string(),
        "not json".to_string(),
    ];
    lines.extend((0..30_000).map(|i| format!(r#"{{"id":"d{i}","text":"document number {i}"}}"#)));
    fs::write(&input, lines.join("\n")).unwrap();
    thresh()
        .arg("dedup")
        .arg(&input)
        .args(["--quiet", "--out"])
        .arg(dir.path().join("out"))
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .failure()
        .stderr(predicate::str::contains("long.jsonl:2"));
}

/// One id given to two documents, in one input or across two, stops dedup
/// and index add with both places named, before any result is written.
#[test]
fn an_id_given_twice_is_refused_with_both_places() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one.jsonl");
    let two = dir.path().join("two.jsonl");
    fs::write(
        &one,
        "{\"id\":\"a\",\"text\":\"first story about ferries\"}\n\
         {\"id\":\"b\",\"text\":\"second story about trains\"}\n\
         {\"id\":\"a\",\"text\":\"third story about buses\"}\n",
    )
    .unwrap();
    fs::write(
        &two,
        "{\"id\":\"b\",\"text\":\"another story about trains\"}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let refused = |inputs: &[&Path], first: &str, again: &str| {
        let assert = thresh()
            .arg("dedup")
            .args(inputs)
            .arg("--skip-bad")
            .arg("--out")
            .arg(&out)
            .assert()
            .failure();
        let said = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(said.contains("is given twice"), "{said}");
        assert!(said.contains(first) && said.contains(again), "{said}");
        assert!(!out.join("kept.jsonl").exists());
    };
    refused(&[&one], "one.jsonl:1", "one.jsonl:3");
    fs::write(
        &one,
        "{\"id\":\"a\",\"text\":\"x y\"}\n{\"id\":\"b\",\"text\":\"y z\"}\n",
    )
    .unwrap();
    refused(&[&one, &two], "one.jsonl:2", "two.jsonl:1");

    let index = dir.path().join("index");
    thresh()
        .args(["index", "create"])
        .arg(&index)
        .assert()
        .success();
    thresh()
        .args(["index", "add"])
        .arg(&index)
        .arg(&one)
        .arg(&two)
        .arg("--out")
        .arg(dir.path().join("added"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("\"b\" is given twice"));
}

/// `--threads` far beyond the machine is cut to four a core, with a
/// warning, and the results are the same.
#[test]
fn too_many_threads_are_cut_to_a_bound_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(dir.path(), 20);
    let reference = dedup(dir.path(), &[&input], &[]);
    let out = dir.path().join("many");
    let assert = thresh()
        .args(["dedup", "--threads", "100000", "--out"])
        .arg(&out)
        .arg(&input)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .success();
    let said = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        said.contains("--threads 100000 is more than 4 a core"),
        "{said}"
    );
    assert_eq!(
        fs::read(out.join("kept.jsonl")).unwrap(),
        fs::read(reference.join("kept.jsonl")).unwrap()
    );
}

/// An output directory inside the input tree is not read back as input by
/// the next run, however the two paths are written.
#[test]
fn the_own_output_directory_inside_the_input_tree_is_not_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    fs::create_dir(&tree).unwrap();
    let input = corpus(&tree, 10);
    let first = dedup(dir.path(), &[&input], &[]);
    let expected = summary(&first)["documents"].clone();
    let out = tree.join("out");
    for (given, force) in [(tree.clone(), false), (tree.join("."), true)] {
        thresh()
            .arg("dedup")
            .arg(&given)
            .args(["--quiet", "--level", "both", "--out"])
            .arg(&out)
            .args(force.then_some("--force"))
            .assert()
            .success();
        assert_eq!(summary(&out)["documents"], expected);
    }
    // Nor is extract's own output file, run again.
    let other = dir.path().join("other");
    fs::create_dir(&other).unwrap();
    corpus(&other, 10);
    let extracted = other.join("docs.jsonl");
    for _ in 0..2 {
        thresh()
            .args(["extract", "--quiet", "--out"])
            .arg(&extracted)
            .arg(&other)
            .assert()
            .success();
    }
    let documents = fs::read_to_string(&extracted).unwrap().lines().count();
    assert_eq!(serde_json::json!(documents), expected);
}

/// An error says its cause once, naming the path the user gave.
#[test]
fn an_error_says_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-corpus.jsonl");
    let cause_said = |command: &mut Command| {
        let output = command.assert().failure().get_output().stderr.clone();
        let said = String::from_utf8_lossy(&output).to_lowercase();
        assert_eq!(
            said.matches("no such file or directory").count(),
            1,
            "{said}"
        );
        said
    };
    let said = cause_said(
        thresh()
            .arg("dedup")
            .arg(&missing)
            .arg("--out")
            .arg(dir.path().join("out")),
    );
    assert!(said.contains("no-such-corpus.jsonl"), "{said}");
    cause_said(
        thresh()
            .arg("extract")
            .arg(&missing)
            .arg("--out")
            .arg(dir.path().join("no-such-dir/docs.jsonl")),
    );
}
