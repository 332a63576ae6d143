//! JSONL writing: pass-through of raw records, the plain form, compression,
//! and reading the output back.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use thresh_io::{Document, FieldNames, KeptWriter, OutputFormat};

fn write_all(path: &Path, docs: &[(Document, Option<&str>)]) {
    let mut writer = KeptWriter::create(path, OutputFormat::Jsonl, FieldNames::default()).unwrap();
    for (doc, new_text) in docs {
        writer.write(doc, *new_text).unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn jsonl_round_trip_keeps_unknown_fields() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "in.jsonl",
        b"{\"id\":\"a\",\"text\":\"A1\\nA2\",\"meta\":{\"x\":[1,2]}}\n{\"id\":\"b\",\"text\":\"B\",\"score\":0.5}\n",
    );
    let docs_in = docs(read(&[input]));
    let out = dir.path().join("out.jsonl");
    write_all(
        &out,
        &[(docs_in[0].clone(), Some("A1")), (docs_in[1].clone(), None)],
    );

    let written = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<_> = written.lines().collect();
    assert_eq!(lines[0], r#"{"id":"a","text":"A1","meta":{"x":[1,2]}}"#);
    assert_eq!(lines[1], r#"{"id":"b","text":"B","score":0.5}"#, "verbatim");
}

#[test]
fn compressed_output_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let doc = Document::new("t.txt", "Text body")
        .with_date("2024-01-01")
        .with_title("T");
    for name in ["out.jsonl.gz", "out.jsonl.zst"] {
        let out = dir.path().join(name);
        write_all(&out, &[(doc.clone(), None)]);
        let back = docs(read(&[out]));
        assert_eq!(back.len(), 1, "{name}");
        assert_eq!(back[0].id, "t.txt");
        assert_eq!(back[0].text, "Text body");
        assert_eq!(back[0].date.as_deref(), Some("2024-01-01"));
        let raw = back[0].raw.as_deref().unwrap();
        assert!(raw.ends_with(r#""source":"t.txt"}"#), "{raw}");
        assert!(!raw.contains("url"), "absent fields are omitted: {raw}");
    }
}

#[test]
fn unwritable_path_is_named() {
    let err = KeptWriter::create(
        &PathBuf::from("/no/such/dir/out.jsonl"),
        OutputFormat::Jsonl,
        FieldNames::default(),
    )
    .err()
    .unwrap();
    assert!(
        err.to_string().starts_with("/no/such/dir/out.jsonl: "),
        "{err}"
    );
}

/// Documents read from web pages (an HTML file, a JSONL record with only
/// `html`) are written back out with their extracted text, whether or not
/// the caller changed it.
#[cfg(feature = "html")]
#[test]
fn kept_web_documents_carry_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let html = write(dir.path(), "page.html", STORM_PAGE.as_bytes());
    let record =
        serde_json::json!({"id": "r1", "html": STORM_PAGE, "lang": "en"}).to_string() + "\n";
    let jsonl = write(dir.path(), "pages.jsonl", record.as_bytes());
    let docs_in = docs(read(&[html, jsonl]));
    assert_eq!(docs_in.len(), 2);
    let out = dir.path().join("out.jsonl");
    write_all(
        &out,
        &[(docs_in[0].clone(), None), (docs_in[1].clone(), None)],
    );
    let written = std::fs::read_to_string(&out).unwrap();
    for (line, doc) in written.lines().zip(&docs_in) {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(doc.text.contains("The harbour closed on Monday"), "{doc:?}");
        assert_eq!(value["text"].as_str(), Some(doc.text.as_str()), "{line}");
    }
    let record: serde_json::Value = serde_json::from_str(written.lines().nth(1).unwrap()).unwrap();
    assert_eq!(record["lang"], "en", "the record's own fields pass through");
    assert!(record["html"].is_string());
}
