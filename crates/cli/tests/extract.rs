//! End-to-end tests of web input on small WARC and HTML files built here:
//! `thresh extract`, and WARC, HTML and JSONL-with-html input to `dedup`,
//! `index add` and `timeline`.

use std::fs;
use std::io::Write;
use std::path::Path;

use assert_cmd::Command;
use flate2::write::GzEncoder;
use serde_json::Value;

fn thresh() -> Command {
    Command::cargo_bin("thresh").unwrap()
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
        .args([
            "extract",
            "-",
            "--input-format",
            "warc",
            "--quiet",
            "--out",
            "-",
        ])
        .write_stdin(bytes)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
}

/// Standard input has no name: its content tells JSONL, WARC and HTML
/// apart, plain or gzipped, without --input-format.
#[test]
fn standard_input_tells_its_format_by_its_content() {
    let extract_stdin = |bytes: Vec<u8>| {
        let assert = thresh()
            .args(["extract", "-", "--quiet", "--out", "-"])
            .write_stdin(bytes)
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
        stdout
            .lines()
            .map(|line| serde_json::from_str::<Value>(line).unwrap())
            .collect::<Vec<_>>()
    };
    let warc: Vec<u8> = crawl().concat();
    assert_eq!(extract_stdin(warc.clone()).len(), 2);
    assert_eq!(extract_stdin(gz(&warc)).len(), 2);
    let html = extract_stdin(ARTICLE.as_bytes().to_vec());
    assert_eq!(html.len(), 1);
    assert_eq!(html[0]["title"], "Storm closes harbour");
    let jsonl =
        b"{\"id\":\"a\",\"text\":\"one two three\"}\n{\"id\":\"b\",\"text\":\"four five\"}\n";
    let records = extract_stdin(gz(jsonl));
    let ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "b"]);
    // Text that only looks like a record somewhere stays one text document.
    let text = extract_stdin(b"A headline\n{\"not\": \"a record\"}\n".to_vec());
    assert_eq!(text.len(), 1);
}

#[test]
fn dedup_reads_a_warc_and_counts_what_is_not_a_document() {
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("crawl.warc.gz");
    let mut records = crawl();
    // The same page captured again: an exact duplicate once extracted.
    records.push(response(6, "text/html", ARTICLE.as_bytes()));
    write_gz_warc(&warc, &records);
    let out = dir.path().join("out");
    thresh()
        .arg("dedup")
        .arg(&warc)
        .arg("--out")
        .arg(&out)
        .arg("--quiet")
        .assert()
        .success();
    let summary: Value =
        serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["documents"], 3, "{summary}");
    // 5 differs from 3 by one word (near), 6 is 3 again (exact).
    assert_eq!(summary["exact_duplicates"], 1, "{summary}");
    assert_eq!(summary["near_duplicates"], 1, "{summary}");
    assert_eq!(summary["not_documents"], 3, "{summary}");
    assert_eq!(summary["not_documents_by_reason"]["warc-type"], 2);
    assert_eq!(summary["not_documents_by_reason"]["not-html"], 1);
    let clusters = read_jsonl(&out.join("clusters.jsonl"));
    assert_eq!(clusters[0]["representative"], "urn:uuid:00000003");
    let members = &clusters[0]["members"];
    assert_eq!(members[0]["id"], "urn:uuid:00000005");
    assert_eq!(members[0]["kind"], "near");
    assert_eq!(members[1]["id"], "urn:uuid:00000006");
    assert_eq!(members[1]["kind"], "exact");
    let kept = read_jsonl(&out.join("kept.jsonl"));
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["url"], "https://news.example/3");
    assert_eq!(kept[0]["byline"], "Ann Lee");
}

#[test]
fn jsonl_records_with_html_are_extracted() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("pages.jsonl");
    let lines = [
        serde_json::json!({"id": "a", "url": "https://news.example/a", "html": ARTICLE}),
        serde_json::json!({"id": "b", "html": ARTICLE.replace("Monday", "Tuesday")}),
        serde_json::json!({"id": "c", "text": "A plain text record stays as it is."}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    fs::write(&input, text).unwrap();
    let out = dir.path().join("docs.jsonl");
    thresh()
        .arg("extract")
        .arg(&input)
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let docs = read_jsonl(&out);
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0]["title"], "Storm closes harbour");
    assert_eq!(docs[0]["url"], "https://news.example/a");
    assert!(!docs[0]["text"].as_str().unwrap().contains("Copyright"));
    assert!(docs[1]["text"].as_str().unwrap().contains("Tuesday"));
    assert_eq!(docs[2]["text"], "A plain text record stays as it is.");
}

#[test]
fn index_add_reads_warc_day_by_day() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    thresh()
        .args(["index", "create"])
        .arg(&index)
        .assert()
        .success();
    let day1 = dir.path().join("day1.warc.gz");
    write_gz_warc(&day1, &crawl());
    let day2 = dir.path().join("day2.warc.gz");
    write_gz_warc(
        &day2,
        &[response(7, "text/html; charset=utf-8", ARTICLE.as_bytes())],
    );
    for (day, out) in [(&day1, "out1"), (&day2, "out2")] {
        thresh()
            .args(["index", "add", "--quiet"])
            .arg(&index)
            .arg(day)
            .arg("--out")
            .arg(dir.path().join(out))
            .assert()
            .success();
    }
    let clusters = read_jsonl(&dir.path().join("out2").join("clusters.jsonl"));
    assert_eq!(clusters.len(), 1, "{clusters:?}");
    let text = clusters[0].to_string();
    assert!(text.contains("urn:uuid:00000003"), "{text}");
    assert!(text.contains("urn:uuid:00000007"), "{text}");
}

/// A live blog page with a standfirst and the given posts (headline,
/// paragraph), newest first.
fn live_blog(posts: &[(&str, &str)]) -> String {
    let body: String = posts
        .iter()
        .rev()
        .map(|(headline, text)| format!("<article><h2>{headline}</h2><p>{text}</p></article>"))
        .collect();
    format!(
        "<html><head><title>Election day live</title></head><body>\
         <nav><a href=/>Home</a></nav><main><h1>Election day live</h1>\
         <p>Follow the latest as the state votes, with reports from our correspondents.</p>{body}</main>\
         <footer>Copyright Example News</footer></body></html>"
    )
}

#[test]
fn timeline_over_warc_captures_of_a_live_blog() {
    let posts = [
        (
            "Polls open across the state",
            "Voters queued before dawn outside the town hall, where officials said \
             turnout was higher than at any election in the past twenty years.",
        ),
        (
            "Governor casts her vote",
            "The governor voted at a school near her home and told reporters she \
             expected results late in the evening, not before midnight.",
        ),
        (
            "Long lines in the capital",
            "Lines stretched around the block at three polling places in the capital, \
             with waits of up to two hours reported by local radio.",
        ),
    ];
    // Two captures of one URL, a day apart.
    let capture = |n: u32, posts: &[(&str, &str)]| {
        let bytes = response(n, "text/html", live_blog(posts).as_bytes());
        String::from_utf8(bytes)
            .unwrap()
            .replace(&format!("news.example/{n}\r\n"), "news.example/live\r\n")
            .into_bytes()
    };
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("captures.warc.gz");
    write_gz_warc(
        &warc,
        &[
            capture(1, &posts[..2]),
            record("request", 2, b"GET /live HTTP/1.1\r\n\r\n"),
            capture(3, &posts),
        ],
    );
    let assert = thresh()
        .args(["timeline", "--format", "json"])
        .arg(&warc)
        .assert()
        .success();
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    let posts_out = json["posts"].as_array().unwrap();
    let headlines: Vec<&str> = posts_out
        .iter()
        .map(|p| p["headline"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        headlines,
        [
            "Long lines in the capital",
            "Governor casts her vote",
            "Polls open across the state"
        ],
        "{json}"
    );
    // The first two posts were seen in both captures, the last in one;
    // a capture is named by its file and record offset.
    assert_eq!(
        posts_out[1]["seen_in"].as_array().unwrap().len(),
        2,
        "{json}"
    );
    assert_eq!(
        posts_out[0]["seen_in"].as_array().unwrap().len(),
        1,
        "{json}"
    );
    let last = posts_out[0]["first_seen"].as_str().unwrap();
    assert!(last.contains("captures.warc.gz:"), "{last}");
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("1 records held no page (warc-type 1)"),
        "{stderr}"
    );
}
