//! End-to-end tests of `thresh extract` on small WARC and HTML files built
//! here. They skip (with a message) in a build where the `extract`
//! subcommand is not wired in yet.

use std::fs;
use std::io::Write;
use std::path::Path;

use assert_cmd::Command;
use flate2::write::GzEncoder;
use serde_json::Value;

fn thresh() -> Command {
    Command::cargo_bin("thresh").unwrap()
}

fn extract_available() -> bool {
    let ok = thresh()
        .args(["extract", "--help"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: this thresh has no `extract` subcommand");
    }
    ok
}

const ARTICLE: &str = "<html><head><title>Storm closes harbour</title>\
    <meta name=\"author\" content=\"Ann Lee\"></head><body>\
    <nav><a href=/>Home</a> <a href=/world>World</a></nav><article><h1>Storm closes harbour</h1>\
    <p>The harbour closed on Monday after the storm broke two moorings and sank a fishing boat, \
    the port authority said in a statement on its website.</p>\
    <p>Ferries to the islands will not sail before Wednesday, and the authority asked \
    owners of small boats to check their lines twice a day until the wind drops.</p>\
    </article><footer>Copyright Example News</footer></body></html>";

fn record(kind: &str, n: u32, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: https://news.example/{n}\r\n\
         WARC-Date: 2024-11-0{n}T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{n:08}>\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn response(n: u32, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut block = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n").into_bytes();
    block.extend_from_slice(body);
    record("response", n, &block)
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// warcinfo, a request, two articles and an image, one gzip member each.
fn crawl() -> Vec<Vec<u8>> {
    vec![
        record("warcinfo", 1, b"software: test\r\n"),
        record("request", 2, b"GET / HTTP/1.1\r\n\r\n"),
        response(3, "text/html; charset=utf-8", ARTICLE.as_bytes()),
        response(4, "image/png", b"\x89PNG\r\n\x1a\n"),
        response(
            5,
            "text/html",
            ARTICLE.replace("Monday", "Tuesday").as_bytes(),
        ),
    ]
}

fn write_gz_warc(path: &Path, records: &[Vec<u8>]) {
    let bytes: Vec<u8> = records.iter().flat_map(|r| gz(r)).collect();
    fs::write(path, bytes).unwrap();
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn extracts_articles_from_a_warc_gz() {
    if !extract_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("crawl.warc.gz");
    write_gz_warc(&warc, &crawl());
    let out = dir.path().join("docs.jsonl");
    let assert = thresh()
        .arg("extract")
        .arg(&warc)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("extracted 2 documents"), "{stderr}");
    assert!(stderr.contains("warc-type 2"), "{stderr}");
    assert!(stderr.contains("not-html 1"), "{stderr}");

    let docs = read_jsonl(&out);
    assert_eq!(docs.len(), 2);
    let doc = &docs[0];
    assert_eq!(doc["id"], "urn:uuid:00000003");
    assert_eq!(doc["url"], "https://news.example/3");
    assert_eq!(doc["date"], "2024-11-03T10:00:00Z");
    assert_eq!(doc["title"], "Storm closes harbour");
    assert_eq!(doc["byline"], "Ann Lee");
    let text = doc["text"].as_str().unwrap();
    assert_eq!(text.lines().count(), 2, "{text:?}");
    assert!(text.contains("closed on Monday"));
    assert!(!text.contains("Copyright"), "{text:?}");
    assert!(docs[1]["text"]
        .as_str()
        .unwrap()
        .contains("closed on Tuesday"));
}

#[test]
fn damaged_records_stop_the_run_or_are_counted() {
    if !extract_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("crawl.warc.gz");
    let mut records = crawl();
    records.insert(
        3,
        b"WARC/1.0\r\nWARC-Type: response\r\nno colon here\r\n\r\n".to_vec(),
    );
    write_gz_warc(&warc, &records);
    let out = dir.path().join("docs.jsonl");

    let assert = thresh()
        .arg("extract")
        .arg(&warc)
        .arg("--out")
        .arg(&out)
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("malformed WARC record"), "{stderr}");
    assert!(stderr.contains("crawl.warc.gz:"), "{stderr}");

    let assert = thresh()
        .arg("extract")
        .arg(&warc)
        .arg("--out")
        .arg(&out)
        .arg("--skip-bad")
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("1 damaged records (malformed-warc 1)"),
        "{stderr}"
    );
    assert_eq!(read_jsonl(&out).len(), 2);
}

#[test]
fn extracts_html_files_and_stdin_warc() {
    if !extract_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("storm.html");
    fs::write(&page, ARTICLE).unwrap();
    let out = dir.path().join("docs.jsonl");
    thresh()
        .arg("extract")
        .arg(&page)
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let docs = read_jsonl(&out);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["id"], "storm.html");
    assert_eq!(docs[0]["title"], "Storm closes harbour");

    // A WARC on standard input, format given.
    let bytes: Vec<u8> = crawl().iter().flat_map(|r| gz(r)).collect();
    let assert = thresh()
        .args(["extract", "-", "--format", "warc", "--quiet", "--out", "-"])
        .write_stdin(bytes)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
}
