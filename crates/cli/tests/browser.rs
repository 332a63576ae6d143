//! thresh's pages in a real browser: the dedup report, the timeline page
//! and `thresh serve`'s page, made here by the real binary and checked by
//! `tests/browser/check.mjs` (Playwright's playwright-core driving the
//! machine's Chromium headless): each loads without errors and without
//! fetching anything from elsewhere, the diffs mark the changed words, the
//! search filters, the jump list lands on its post, the text box finds an
//! indexed article. Screenshots are kept in a temporary folder, named on
//! the test's output.
//!
//! Needs Node.js 20 or later and Chromium (`.ci/run` installs Debian's);
//! installs playwright-core into `tests/browser/node_modules` (`npm ci`)
//! on its first run. Where one of them is missing and cannot be had, the
//! test says so and passes without checking anything.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{create_index, one, post, start, STORY};

const OTHER_STORY: &str = "A choir of three hundred schoolchildren sang in the cathedral \
    square on Saturday to open the winter festival, which runs until the new year.";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn thresh() -> Command {
    Command::new(env!("CARGO_BIN_EXE_thresh"))
}

#[test]
fn pages_work_in_a_real_browser() {
    let Some(chromium) = find_chromium() else {
        eprintln!("skipping the browser tests: no Chromium (install Debian's `chromium`, or set THRESH_CHROMIUM)");
        return;
    };
    if let Err(why) = node_ready() {
        eprintln!("skipping the browser tests: {why}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let screenshots = tempfile::Builder::new()
        .prefix("thresh-browser-")
        .tempdir()
        .unwrap()
        .keep();
    let report = dedup_report(dir.path());
    let timeline = timeline_page(dir.path());
    let index = create_index(dir.path());
    let (mut server, addr) = start(&index);
    let (status, body) = post(&addr, "/v1/add", &one("wire-1"));
    assert_eq!(status, 200, "{body}");

    let plan = serde_json::json!({
        "chromium": chromium,
        "screenshots": screenshots,
        "report": {
            "url": file_url(&report),
            // The corpus's edited copies say "told reporters" for "said".
            "inserted": "told reporters",
            "search": "s1-edit",
            // Six clusters and five repeats of the shared paragraph.
            "items": 11,
        },
        "timeline": { "url": file_url(&timeline), "posts": 5 },
        "serve": {
            "url": format!("http://{addr}/"),
            "seen_text": STORY,
            "seen_id": "wire-1",
            "new_text": OTHER_STORY,
        },
    });
    let plan_path = dir.path().join("plan.json");
    std::fs::write(&plan_path, plan.to_string()).unwrap();
    let checked = Command::new("node")
        .arg(repo().join("tests/browser/check.mjs"))
        .arg(&plan_path)
        .output()
        .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    let said = String::from_utf8_lossy(&checked.stdout);
    eprintln!("{said}{}", String::from_utf8_lossy(&checked.stderr));
    assert!(checked.status.success(), "browser checks failed:\n{said}");
    assert!(screenshots.join("report.png").exists());
    assert!(screenshots.join("serve.png").exists());
}

/// Chromium from `THRESH_CHROMIUM`, or the first of Debian's and others'
/// names on the PATH.
fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("THRESH_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name))
        })
        .find(|candidate| candidate.is_file())
}

/// Node.js answers, and playwright-core is installed beside the script
/// (installed now, from the lock file, when it is not).
fn node_ready() -> Result<(), String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|out| out.status.success()) {
        return Err("no Node.js (`node`) on the PATH".into());
    }
    let scripts = repo().join("tests/browser");
    if scripts.join("node_modules/playwright-core").is_dir() {
        return Ok(());
    }
    let installed = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&scripts)
        .output()
        .map_err(|error| format!("cannot run npm: {error}"))?;
    if !installed.status.success() {
        return Err(format!(
            "`npm ci` in tests/browser failed: {}",
            String::from_utf8_lossy(&installed.stderr)
        ));
    }
    Ok(())
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

/// A dedup run with a report over six unrelated stories, each with an
/// edited copy, all sharing one paragraph; returns report.html.
fn dedup_report(dir: &Path) -> PathBuf {
    let words = [
        "harbour", "council", "river", "bridge", "school", "festival", "storm", "police", "market",
        "railway", "hospital", "museum", "village", "election", "budget", "airport", "library",
        "stadium", "forest", "factory",
    ];
    let mut state = 7u64;
    let mut next_word = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        words[(state % words.len() as u64) as usize]
    };
    let mut lines = Vec::new();
    for story in 0..6 {
        let own: Vec<String> = (0..3)
            .map(|_| (0..20).map(|_| next_word()).collect::<Vec<_>>().join(" "))
            .collect();
        let text = format!(
            "{}\nOfficials said the roads were cleared by noon and the schools would open on Monday.\n{}",
            own[0],
            own[1..].join("\n")
        );
        lines.push(serde_json::json!({ "id": format!("s{story}"), "text": text }));
        let edited = text.replacen("said", "told reporters", 1);
        lines.push(serde_json::json!({ "id": format!("s{story}-edit"), "text": edited }));
    }
    let corpus = dir.join("corpus.jsonl");
    let body: Vec<String> = lines.iter().map(|line| line.to_string()).collect();
    std::fs::write(&corpus, body.join("\n") + "\n").unwrap();
    let out = dir.join("dedup");
    let ran = thresh()
        .args(["dedup", "--quiet", "--level", "both", "--report", "--out"])
        .arg(&out)
        .arg(&corpus)
        .status()
        .unwrap();
    assert!(ran.success());
    out.join("report.html")
}

/// The timeline of the example crawls as one HTML page.
fn timeline_page(dir: &Path) -> PathBuf {
    let out = dir.join("timeline.html");
    let ran = thresh()
        .args(["timeline", "--format", "html", "--out"])
        .arg(&out)
        .arg(repo().join("examples"))
        .status()
        .unwrap();
    assert!(ran.success());
    out
}
