//! Reading: every input format and compression, discovery, and every kind
//! of bad input.

mod common;

use std::fs;
use std::path::PathBuf;

use common::*;
use thresh_io::{
    discover, DocumentReader, FieldNames, Input, InputFormat, ReadErrorKind, ReadOptions,
};

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

#[test]
fn seeds_have_their_date_line_split_off() {
    let seeds: Vec<PathBuf> = std::fs::read_dir(examples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    assert!(!seeds.is_empty(), "the seeds are copied into examples/");
    let mut dated = 0;
    for (path, doc) in seeds.iter().zip(docs(read(&seeds))) {
        let file = std::fs::read_to_string(path).unwrap();
        assert!(doc.id.ends_with(".txt"));
        assert_eq!(doc.origin.record, 0);
        assert!(!doc.text.starts_with(" date "), "{}", doc.id);
        if !file.starts_with(" date ") {
            assert_eq!((doc.date, doc.text), (None, file), "no header, text as is");
            continue;
        }
        dated += 1;
        let date = doc.date.as_deref().expect("a date line gives a date");
        assert_eq!(date.len(), 10, "{date}");
        let title = doc.title.as_deref().unwrap();
        assert!(title.starts_with("Ukraine-Russia latest"), "{title}");
        assert!(file.ends_with(&doc.text));
    }
    assert!(dated >= 2, "two seeds have a date line");
}

#[test]
fn text_file_is_one_document_named_by_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "a.txt",
        b" date 2024-11-03 A title\nFirst.\n\nSecond.\n",
    );
    let doc = docs(read(&[path])).remove(0);
    assert_eq!(doc.id, "a.txt");
    assert_eq!(doc.text, "First.\n\nSecond.\n");
    assert_eq!(doc.date.as_deref(), Some("2024-11-03"));
    assert_eq!(doc.title.as_deref(), Some("A title"));
    assert_eq!(doc.raw, None);
}

#[test]
fn compressed_text_and_jsonl_read_transparently() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = b"{\"id\":\"a\",\"text\":\"one\"}\n{\"id\":\"b\",\"text\":\"two\"}\n";
    // Two gzip members back to back, as `cat a.gz b.gz` makes.
    let mut multi = gzip(&jsonl[..24]);
    multi.extend(gzip(&jsonl[24..]));
    let paths = vec![
        write(dir.path(), "t.txt.gz", &gzip(b"gz text")),
        write(dir.path(), "t.text.zst", &zstd(b"zst text")),
        write(dir.path(), "j.jsonl.gz", &multi),
        write(dir.path(), "j.ndjson.zst", &zstd(jsonl)),
    ];
    let got = docs(read(&paths));
    let texts: Vec<_> = got.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(texts, ["gz text", "zst text", "one", "two", "one", "two"]);
    assert_eq!(got[0].id, "t.txt.gz");
}

#[test]
fn jsonl_records_carry_fields_raw_line_and_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let lines = concat!(
        "{\"id\":\"x\",\"text\":\"Body\",\"date\":\"2024-01-02T03:04:05Z\",\"url\":\"http://u\",\"title\":\"T\",\"lang\":\"en\"}\n",
        "\n",
        "   \r\n",
        "{\"text\":\"No id\"}\r\n",
        "{\"id\":42,\"text\":\"Numeric id\"}",
    );
    let path = write(dir.path(), "d.jsonl", lines.as_bytes());
    let got = docs(read(&[path]));
    assert_eq!(got.len(), 3, "blank lines are skipped");
    assert_eq!(got[0].url.as_deref(), Some("http://u"));
    assert_eq!(got[0].date.as_deref(), Some("2024-01-02T03:04:05Z"));
    assert!(got[0].raw.as_deref().unwrap().ends_with("\"lang\":\"en\"}"));
    let source = dir.path().join("d.jsonl").display().to_string();
    assert_eq!(got[1].id, format!("{source}:4"));
    assert_eq!(got[1].raw.as_deref(), Some("{\"text\":\"No id\"}"));
    assert_eq!(got[2].id, "42");
    assert_eq!(got[2].origin.record, 5);
}

#[test]
fn field_names_and_format_are_options() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "data.txt",
        b"{\"doc_id\":\"a\",\"body\":\"Hello\",\"published\":\"2020-05-06\",\"text\":\"ignored\"}\n",
    );
    let options = ReadOptions {
        format: Some(InputFormat::Jsonl),
        fields: FieldNames {
            id: "doc_id".into(),
            text: "body".into(),
            date: "published".into(),
            ..FieldNames::default()
        },
        ..ReadOptions::default()
    };
    let doc = docs(read_with(&[path], options)).remove(0);
    assert_eq!(
        (doc.id.as_str(), doc.text.as_str()),
        ("a", "Hello"),
        "the .txt file was read as JSONL with renamed fields"
    );
    assert_eq!(doc.date.as_deref(), Some("2020-05-06"));
}

#[test]
fn bad_jsonl_records_are_errors_and_reading_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    bytes.extend(b"{\"id\":\"ok1\",\"text\":\"fine\"}\n");
    bytes.extend(b"{\"id\":\"bad\",\"text\": }\n");
    bytes.extend(b"{\"id\":\"nt\"}\n");
    bytes.extend(b"{\"id\":\"e\",\"text\":\"  \\n \"}\n");
    bytes.extend(b"{\"id\":\"u\",\"text\":\"caf\xe9\"}\n");
    bytes.extend(b"{\"id\":\"big\",\"text\":\"0123456789ABCDEF\"}\n");
    bytes.extend(b"{\"id\":\"ok2\",\"text\":\"also fine\"}\n");
    let path = write(dir.path(), "bad.jsonl", &bytes);
    let options = ReadOptions {
        max_document_bytes: 12,
        ..ReadOptions::default()
    };
    let items = read_with(std::slice::from_ref(&path), options);
    assert_eq!(
        summary(&items),
        [
            "ok1",
            "!malformed-json@2",
            "!missing-text@3",
            "!empty-document@4",
            "!invalid-utf8@5",
            "!too-large@6",
            "ok2"
        ]
    );
    let message = items[1].as_ref().unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "{}:2: malformed JSON: expected value at column 21",
            path.display()
        )
    );
}

#[test]
fn invalid_utf8_in_text_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "bad.txt",
        b"line one\nline two\nthree \xff here\n",
    );
    let items = read(std::slice::from_ref(&path));
    let err = items[0].as_ref().unwrap_err();
    assert_eq!(err.kind, ReadErrorKind::InvalidUtf8 { line: 3 });
    assert_eq!(
        err.to_string(),
        format!("{}: invalid UTF-8 on line 3", path.display())
    );
}

#[test]
fn empty_and_oversized_text_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let paths = vec![
        write(dir.path(), "blank.txt", b" \n\t\n"),
        write(dir.path(), "header-only.txt", b" date 2024-01-01 Title\n"),
        write(dir.path(), "huge.txt", &[b'a'; 2000]),
        write(dir.path(), "ok.txt", &[b'a'; 1000]),
    ];
    let options = ReadOptions {
        max_document_bytes: 1000,
        ..ReadOptions::default()
    };
    let items = read_with(&paths, options);
    assert_eq!(
        summary(&items),
        [
            "!empty-document@0",
            "!empty-document@0",
            "!too-large@0",
            "ok.txt"
        ]
    );
}

#[test]
fn unreadable_file_is_one_error_then_next_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut truncated = gzip(b"{\"text\":\"a\"}\n".repeat(1000).as_slice());
    truncated.truncate(truncated.len() / 2);
    let paths = vec![
        write(dir.path(), "not-gzip.txt.gz", b"plain bytes"),
        write(dir.path(), "truncated.jsonl.gz", &truncated),
        write(dir.path(), "good.txt", b"good"),
    ];
    let items = read(&paths);
    let kinds: Vec<_> = items
        .iter()
        .filter_map(|i| i.as_ref().err())
        .map(|e| e.kind.name())
        .collect();
    assert_eq!(kinds, ["unreadable", "unreadable"]);
    assert_eq!(items.last().unwrap().as_ref().unwrap().id, "good.txt");
    // The truncated file yields the documents before the break.
    assert!(items.iter().filter(|i| i.is_ok()).count() > 1);
}

#[test]
fn a_file_removed_after_discovery_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let gone = write(dir.path(), "gone.jsonl", b"{\"text\":\"x\"}\n");
    let inputs = discover(std::slice::from_ref(&gone)).unwrap();
    std::fs::remove_file(&gone).unwrap();
    let items: Vec<_> = DocumentReader::new(inputs, ReadOptions::default()).collect();
    assert_eq!(summary(&items), ["!unreadable@0"]);
}

#[test]
fn missing_path_is_named() {
    let err = discover(&[PathBuf::from("/no/such/thresh-input.jsonl")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "/no/such/thresh-input.jsonl: no such file or directory"
    );
}

#[test]
fn directories_are_walked_in_path_order_without_hidden_files() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "b.txt",
        "a/z.txt",
        "a-c.txt",
        "a/b/y.txt",
        ".hidden.txt",
        ".git/config",
        "a/.skip/x.txt",
    ] {
        write(dir.path(), name, name.as_bytes());
    }
    let inputs = discover(&[dir.path().to_path_buf(), PathBuf::from("-")]).unwrap();
    let names: Vec<_> = inputs.iter().map(|i| i.name().to_string()).collect();
    assert_eq!(names, ["a/b/y.txt", "a/z.txt", "a-c.txt", "b.txt", "-"]);
    assert!(inputs[4].is_stdin());
    // Documents are named by path relative to the directory given.
    let items: Vec<_> = DocumentReader::new(inputs[..4].to_vec(), ReadOptions::default()).collect();
    assert_eq!(
        summary(&items),
        ["a/b/y.txt", "a/z.txt", "a-c.txt", "b.txt"]
    );
}

#[test]
fn spooled_stdin_is_sniffed_and_rereadable() {
    let dir = tempfile::tempdir().unwrap();
    let body = gzip(b"{\"id\":\"s\",\"text\":\"from stdin\"}\n");
    let input = Input::spool(body.as_slice(), dir.path()).unwrap();
    assert_eq!(input.source(), "-");
    let options = ReadOptions {
        format: Some(InputFormat::Jsonl),
        ..ReadOptions::default()
    };
    for _pass in 0..2 {
        let reader = DocumentReader::new(vec![input.clone()], options.clone());
        let got = docs(reader.collect());
        assert_eq!(got[0].text, "from stdin");
        assert_eq!(got[0].origin.source, "-");
    }
    let spooled = input.path().unwrap().to_path_buf();
    drop(input);
    assert!(
        !spooled.exists(),
        "the spool file is removed with its input"
    );
}

#[test]
fn batches_cover_the_stream() {
    let dir = tempfile::tempdir().unwrap();
    let lines: String = (0..10)
        .map(|i| format!("{{\"id\":\"{i}\",\"text\":\"t{i}\"}}\n"))
        .collect();
    let path = write(dir.path(), "b.jsonl", lines.as_bytes());
    let mut reader = DocumentReader::new(discover(&[path]).unwrap(), ReadOptions::default());
    let sizes: Vec<_> = std::iter::from_fn(|| {
        let batch = reader.next_batch(4);
        (!batch.is_empty()).then_some(batch.len())
    })
    .collect();
    assert_eq!(sizes, [4, 4, 2]);
}

/// A hostile page (ten thousand unclosed inline elements, which overflowed
/// the stack) is a damaged record named by its file, in an HTML file, a
/// JSONL record's `html` and a WARC alike; the pages after it are read.
#[cfg(feature = "html")]
#[test]
fn hostile_nesting_is_a_damaged_record_and_reading_goes_on() {
    let hostile = format!(
        "<html><body>{}<p>One sentence.</p></body></html>",
        "<b><i><span>".repeat(10_000)
    );
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.html", hostile.as_bytes());
    let b = write(dir.path(), "b.html", STORM_PAGE.as_bytes());
    let records = [
        serde_json::json!({"id": "hostile", "html": hostile}).to_string(),
        serde_json::json!({"id": "good", "html": STORM_PAGE}).to_string(),
    ]
    .join("\n");
    let c = write(dir.path(), "c.jsonl", records.as_bytes());
    let items = read(&[a, b, c]);
    assert_eq!(
        summary(&items),
        ["!too-deep@0", "b.html", "!too-deep@1", "good"]
    );
}

/// A page larger than the extraction bound is refused whole (never cut),
/// as a damaged record, and reading goes on.
#[cfg(feature = "html")]
#[test]
fn a_page_too_large_to_extract_is_a_damaged_record_and_reading_goes_on() {
    let paragraph = "<p>A paragraph of an endless page, written again and again.</p>";
    let repeats = thresh_io::html::MAX_PAGE_BYTES / paragraph.len() + 1;
    let huge = format!("<html><body>{}</body></html>", paragraph.repeat(repeats));
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.html", huge.as_bytes());
    let b = write(dir.path(), "b.html", STORM_PAGE.as_bytes());
    assert_eq!(summary(&read(&[a, b])), ["!too-large@0", "b.html"]);
}

/// Binary data named `.html` (an image saved under the wrong name) is a
/// damaged record, as inside a WARC, never a document of junk text.
#[cfg(feature = "html")]
#[test]
fn binary_junk_named_html_is_not_a_page() {
    let dir = tempfile::tempdir().unwrap();
    let junk: Vec<u8> = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
        .iter()
        .copied()
        .chain((0..3000u32).map(|i| (i * 7919 % 251) as u8))
        .collect();
    let a = write(dir.path(), "photo.html", &junk);
    let b = write(dir.path(), "page.html", STORM_PAGE.as_bytes());
    let items = read(&[a, b]);
    assert_eq!(summary(&items), ["!binary@0", "page.html"]);
}

/// Symbolic links to directories are followed, each directory read once:
/// a link that loops back, or a second way to the same files, adds nothing.
#[test]
fn linked_directories_are_followed_once() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir_all(tree.join("sub")).unwrap();
    fs::create_dir(&elsewhere).unwrap();
    write(&tree, "a.txt", b"first");
    write(&tree.join("sub"), "b.txt", b"second");
    write(&elsewhere, "c.txt", b"third");
    std::os::unix::fs::symlink(&tree, tree.join("sub/loop")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, tree.join("linked")).unwrap();
    std::os::unix::fs::symlink(tree.join("sub"), tree.join("z-again")).unwrap();
    let names: Vec<String> = discover(&[tree])
        .unwrap()
        .iter()
        .map(|input| input.name().to_string())
        .collect();
    assert_eq!(names, ["a.txt", "linked/c.txt", "sub/b.txt"]);
}
