//! Fault injection: a process killed while it writes, a full disk, a full
//! or closed standard output. Whatever happens, no result passes for a
//! complete one, what was reported as done is kept, and nothing panics.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use assert_cmd::Command;
use serde_json::Value;

fn thresh() -> Command {
    Command::cargo_bin("thresh").unwrap()
}

fn thresh_process() -> Process {
    Process::cargo_bin("thresh").unwrap()
}

/// A new index with the default parameters, `index` in `dir`.
fn create_index(dir: &Path) -> PathBuf {
    let index = dir.join("index");
    thresh()
        .args(["index", "create"])
        .arg(&index)
        .assert()
        .success();
    index
}

/// `stories` documents of about a kilobyte each, one in three with an exact
/// copy, as JSONL.
fn corpus(dir: &Path, name: &str, stories: usize) -> PathBuf {
    let words = [
        "kyiv",
        "drone",
        "attack",
        "officials",
        "said",
        "city",
        "military",
        "troops",
        "north",
        "minister",
        "talks",
        "front",
        "region",
        "forces",
        "report",
        "capital",
        "night",
        "power",
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next_word = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        words[(state % words.len() as u64) as usize]
    };
    let mut lines = String::new();
    for story in 0..stories {
        let text: Vec<&str> = (0..160).map(|_| next_word()).collect();
        let text = text.join(" ");
        let record = serde_json::json!({"id": format!("s{story}"), "text": text});
        lines += &format!("{record}\n");
        if story % 3 == 0 {
            let copy = serde_json::json!({"id": format!("s{story}-copy"), "text": text});
            lines += &format!("{copy}\n");
        }
    }
    let path = dir.join(name);
    fs::write(&path, lines).unwrap();
    path
}

fn json_lines(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The rule a reader relies on: a result under its own name belongs to a
/// complete run, so the summary is there, the marker is not, and the kept
/// documents are all there.
fn assert_nothing_passes_for_complete(out: &Path) {
    let names = names(out);
    let finished = ["kept.jsonl", "clusters.jsonl", "summary.json"];
    if !names.iter().any(|n| finished.contains(&n.as_str())) {
        return;
    }
    assert!(
        !names.contains(&"thresh.incomplete".to_string()) && names.contains(&"summary.json".into()),
        "a result stands under its own name in an unfinished directory: {names:?}"
    );
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let kept = json_lines(&out.join("kept.jsonl")).len() as u64;
    assert_eq!(Some(kept), summary["kept"].as_u64(), "{names:?}");
}

/// Starts `command`, waits until `ready` holds (or the process ends), then
/// kills it. Returns whether it was killed before it finished.
fn kill_when(command: &mut Process, ready: impl Fn() -> bool) -> bool {
    let mut child = command.stdout(Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !ready() && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        sleep(Duration::from_millis(2));
    }
    let finished = child.try_wait().unwrap().is_some();
    child.kill().unwrap();
    child.wait().unwrap();
    !finished
}

fn non_empty(path: PathBuf) -> impl Fn() -> bool {
    move || fs::metadata(&path).is_ok_and(|m| m.len() > 0)
}

#[test]
fn a_killed_dedup_leaves_no_result_that_passes_for_complete_and_a_rerun_replaces_it() {
    let tmp = tempfile::tempdir().unwrap();
    let input = corpus(tmp.path(), "corpus.jsonl", 6000);
    let reference = tmp.path().join("reference");
    thresh()
        .args(["dedup", "--quiet", "--level", "both", "--out"])
        .arg(&reference)
        .arg(&input)
        .assert()
        .success();

    let out = tmp.path().join("out");
    let dedup = || {
        let mut command = thresh_process();
        command
            .args(["dedup", "--quiet", "--level", "both", "--out"])
            .arg(&out)
            .arg(&input)
            .stderr(Stdio::null());
        command
    };
    // Killed as it starts, and while it writes the kept documents.
    let marker = out.join("thresh.incomplete");
    kill_when(&mut dedup(), || marker.exists());
    assert_nothing_passes_for_complete(&out);
    let killed_writing = kill_when(&mut dedup(), non_empty(out.join("kept.jsonl.partial")));
    assert!(
        killed_writing,
        "the run ended before it could be killed mid-write"
    );
    assert_nothing_passes_for_complete(&out);
    assert!(marker.exists());

    // The rerun needs no --force, says what it replaces, and its results
    // are the same as an uninterrupted run's.
    let said = thresh()
        .args(["dedup", "--level", "both", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&said).contains("incomplete results of an interrupted run"));
    for name in ["kept.jsonl", "clusters.jsonl", "removed_paragraphs.jsonl"] {
        assert_eq!(
            fs::read(out.join(name)).unwrap(),
            fs::read(reference.join(name)).unwrap(),
            "{name}"
        );
    }
    assert_eq!(
        names(&out),
        [
            "clusters.jsonl",
            "kept.jsonl",
            "removed_paragraphs.jsonl",
            "summary.json"
        ]
    );
}

#[test]
fn a_killed_index_add_keeps_the_batches_it_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let input = corpus(tmp.path(), "corpus.jsonl", 6000);
    let index = create_index(tmp.path());
    let out = tmp.path().join("out");
    let log = tmp.path().join("stderr.log");
    let mut add = thresh_process();
    add.args(["index", "add"])
        .arg(&index)
        .arg(&input)
        .args(["--commit-every", "500", "--out"])
        .arg(&out);
    add.stderr(fs::File::create(&log).unwrap());
    let reported = || fs::read_to_string(&log).unwrap_or_default();
    let killed = kill_when(&mut add, || reported().contains("committed batch 2"));
    assert!(killed, "index add ended before it could be killed");
    assert_nothing_passes_for_complete(&out);

    // Every batch reported as committed is in the index.
    let last_reported_id = reported()
        .lines()
        .filter_map(|line| line.rsplit('–').next()?.trim().parse::<u64>().ok())
        .max()
        .expect("a committed batch was reported");
    let stats = thresh()
        .args(["index", "stats"])
        .arg(&index)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stats: Value = serde_json::from_slice(&stats).unwrap();
    assert!(
        stats["documents"].as_u64().unwrap() > last_reported_id,
        "{stats}"
    );
}

#[test]
fn a_killed_extract_leaves_no_file_under_the_name_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let input = corpus(tmp.path(), "corpus.jsonl", 6000);
    let out = tmp.path().join("docs.jsonl");
    let mut extract = thresh_process();
    extract
        .args(["extract", "--quiet", "--out"])
        .arg(&out)
        .arg(&input);
    let killed = kill_when(
        extract.stderr(Stdio::null()),
        non_empty(tmp.path().join("docs.jsonl.partial")),
    );
    assert!(killed, "extract ended before it could be killed mid-write");
    assert!(!out.exists());
    thresh()
        .args(["extract", "--quiet", "--out"])
        .arg(&out)
        .arg(&input)
        .assert()
        .success();
    assert_eq!(json_lines(&out).len(), 8000);
    assert!(!tmp.path().join("docs.jsonl.partial").exists());
}

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    /// None (with a message) where this test cannot mount one.
    fn mount(dir: &Path, size: &str) -> Option<SmallDisk> {
        let mount_point = dir.join("disk");
        fs::create_dir(&mount_point).unwrap();
        let mounted = Process::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&mount_point)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !mounted {
            eprintln!("skipped: cannot mount a small tmpfs here (needs root or CAP_SYS_ADMIN)");
            return None;
        }
        Some(SmallDisk(mount_point))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Process::new("umount").arg(&self.0).status();
    }
}

/// Runs `command`, which must fail with exit code 1; returns what it said.
fn fails_saying(command: &mut Command) -> String {
    let output = command
        .assert()
        .failure()
        .code(1)
        .get_output()
        .stderr
        .clone();
    String::from_utf8_lossy(&output).into_owned()
}

#[test]
fn a_full_disk_is_a_clean_error_that_leaves_the_earlier_results_as_they_were() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(tmp.path(), "96k") else {
        return;
    };
    let small = corpus(tmp.path(), "small.jsonl", 20);
    let large = corpus(tmp.path(), "large.jsonl", 400);
    let out = disk.0.join("out");
    thresh()
        .args(["dedup", "--quiet", "--out"])
        .arg(&out)
        .arg(&small)
        .assert()
        .success();
    let before: Vec<Vec<u8>> = ["kept.jsonl", "summary.json"]
        .iter()
        .map(|name| fs::read(out.join(name)).unwrap())
        .collect();

    let said = fails_saying(
        thresh()
            .args(["dedup", "--quiet", "--force", "--out"])
            .arg(&out)
            .arg(&large),
    );
    assert!(said.contains("No space left on device"), "{said}");
    assert!(!said.contains("panicked"), "{said}");
    assert_eq!(
        names(&out),
        ["clusters.jsonl", "kept.jsonl", "summary.json"]
    );
    let after: Vec<Vec<u8>> = ["kept.jsonl", "summary.json"]
        .iter()
        .map(|name| fs::read(out.join(name)).unwrap())
        .collect();
    assert_eq!(before, after);

    let extracted = disk.0.join("docs.jsonl");
    thresh()
        .args(["extract", "--quiet", "--out"])
        .arg(&extracted)
        .arg(&large)
        .assert()
        .failure()
        .code(1);
    assert!(!extracted.exists());
    assert!(!disk.0.join("docs.jsonl.partial").exists());
}

#[test]
fn a_temporary_directory_without_room_is_named_and_left_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(tmp.path(), "96k") else {
        return;
    };
    // 533 documents of 160 words: about 340 KB of shingles to keep.
    let large = corpus(tmp.path(), "large.jsonl", 400);
    let out = tmp.path().join("out");
    let said = fails_saying(
        thresh()
            .args(["dedup", "--quiet", "--out"])
            .arg(&out)
            .arg("--tmp-dir")
            .arg(&disk.0)
            .arg(&large),
    );
    assert!(said.contains(&disk.0.display().to_string()), "{said}");
    assert!(said.contains("No space left on device"), "{said}");
    // How much room the run needs: three quarters of the input files.
    let input_mb = fs::metadata(&large).unwrap().len() as f64 / 1e6;
    assert!(
        said.contains(&format!("need about {:.1} MB", input_mb * 0.75)),
        "{said}"
    );
    assert_nothing_passes_for_complete(&out);
    assert_eq!(fs::read_dir(&disk.0).unwrap().count(), 0);
}

fn dev_full() -> Stdio {
    fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
        .into()
}

#[test]
fn a_full_standard_output_is_a_clean_error() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full here");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let input = corpus(tmp.path(), "corpus.jsonl", 20);
    let index = create_index(tmp.path());

    let mut dedup = thresh_process();
    dedup
        .args(["dedup", "--json", "--out"])
        .arg(tmp.path().join("out"))
        .arg(&input);
    let mut stats = thresh_process();
    stats.args(["index", "stats"]).arg(&index);
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut timeline = thresh_process();
    timeline.args(["timeline", "--quiet"]).arg(examples);
    for mut command in [dedup, stats, timeline] {
        let output = command.stdout(dev_full()).output().unwrap();
        let said = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{command:?}: {said}");
        assert!(said.contains("No space left on device"), "{said}");
        assert!(!said.contains("panicked"), "{said}");
    }
}

#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let tmp = tempfile::tempdir().unwrap();
    let input = corpus(tmp.path(), "corpus.jsonl", 3000);
    let index = create_index(tmp.path());

    let mut query = thresh_process();
    query.args(["index", "query"]).arg(&index).arg(&input);
    let mut extract = thresh_process();
    extract.args(["extract", "--out", "-"]).arg(&input);
    for mut command in [query, extract] {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line, as `head -1` does, then close the pipe.
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(first.starts_with('{'), "{first}");
        let output = child.wait_with_output().unwrap();
        let said = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{command:?}: {said}");
        assert!(
            !said.contains("error") && !said.contains("panicked"),
            "{said}"
        );
    }
}

/// An empty input directory is a warning with a count and exit 0, the same
/// for every command.
#[test]
fn an_empty_input_directory_is_a_warning_for_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let index = create_index(tmp.path());
    let out = |name: &str| tmp.path().join(name);
    let commands: Vec<Vec<std::ffi::OsString>> = vec![
        vec![
            "dedup".into(),
            empty.clone().into(),
            "--out".into(),
            out("d").into(),
        ],
        vec![
            "extract".into(),
            empty.clone().into(),
            "--out".into(),
            out("e.jsonl").into(),
        ],
        vec!["timeline".into(), empty.clone().into()],
        vec![
            "index".into(),
            "add".into(),
            index.clone().into(),
            empty.clone().into(),
            "--out".into(),
            out("a").into(),
        ],
        vec![
            "index".into(),
            "query".into(),
            index.clone().into(),
            empty.clone().into(),
        ],
    ];
    for args in commands {
        let assert = thresh().args(&args).assert().success();
        let said = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            said.contains("warning: ")
                && said.contains("no input files in this directory (0 read)"),
            "{args:?}: {said}"
        );
    }
}
