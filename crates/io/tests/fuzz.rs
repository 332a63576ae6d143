//! Property tests: arbitrary bytes never panic a reader, and JSONL accounts
//! for every non-blank line as exactly one document or error.

mod common;

use common::*;
use proptest::prelude::*;
use thresh_io::ReadOptions;

/// Mostly JSON-ish bytes, so that the generator reaches deep into the
/// parser rather than failing at the first byte.
fn jsonish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop_oneof![
        Just(b"{\"text\":\"a b\"}".to_vec()),
        Just(b"{\"id\":1,\"text\":".to_vec()),
        Just(b"\"\\u00e9\\n\"".to_vec()),
        Just(b"}".to_vec()),
        Just(b"\n".to_vec()),
        Just(b" \r\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just(b"null,[]".to_vec()),
        prop::collection::vec(any::<u8>(), 0..8),
    ];
    prop::collection::vec(pieces, 0..20).prop_map(|p| p.concat())
}

/// The lines the JSONL reader must account for: split on `\n`, minus a
/// leading byte-order mark, ignoring lines of JSON white space only.
fn non_blank_lines(bytes: &[u8]) -> usize {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes
        .split(|&b| b == b'\n')
        .filter(|line| !line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')))
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn jsonl_accounts_for_every_non_blank_line(bytes in jsonish_bytes()) {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "f.jsonl", &bytes);
        let items = read(&[path]);
        prop_assert_eq!(items.len(), non_blank_lines(&bytes));
        for doc in items.iter().flatten() {
            prop_assert!(!doc.text.trim().is_empty());
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_any_reader(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let dir = tempfile::tempdir().unwrap();
        let paths = vec![
            write(dir.path(), "a.txt", &bytes),
            write(dir.path(), "a.jsonl", &bytes),
            write(dir.path(), "a.jsonl.gz", &bytes),
            write(dir.path(), "a.jsonl.zst", &bytes),
            write(dir.path(), "a.parquet", &bytes),
            write(dir.path(), "b.jsonl.gz", &gzip(&bytes)),
        ];
        let options = ReadOptions { max_document_bytes: 100, ..ReadOptions::default() };
        let items = read_with(&paths, options);
        // The text file and each other input produce at least one item
        // unless they are blank JSONL.
        prop_assert!(!items.is_empty());
    }

    #[test]
    fn text_files_are_one_item_each(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "a.txt", &bytes);
        let items = read(&[path]);
        prop_assert_eq!(items.len(), 1);
        if let Ok(doc) = &items[0] {
            prop_assert!(doc.text.len() <= bytes.len());
        }
    }
}

/// A valid Parquet file with bytes flipped must give errors, not panics.
#[cfg(feature = "parquet")]
#[test]
fn corrupted_parquet_never_panics() {
    use thresh_io::{Document, FieldNames, KeptWriter, OutputFormat};
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.parquet");
    let mut writer =
        KeptWriter::create(&good, OutputFormat::Parquet, FieldNames::default()).unwrap();
    for i in 0..50 {
        writer
            .write(
                &Document::new(format!("d{i}"), format!("text number {i}")),
                None,
            )
            .unwrap();
    }
    writer.finish().unwrap();
    let bytes = std::fs::read(&good).unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 100,
        ..ProptestConfig::default()
    });
    let flips = prop::collection::vec((0..bytes.len(), any::<u8>()), 1..6);
    runner
        .run(&flips, |flips| {
            let mut corrupt = bytes.clone();
            for (at, value) in flips {
                corrupt[at] = value;
            }
            let path = write(dir.path(), "bad.parquet", &corrupt);
            let _ = read(&[path]);
            Ok(())
        })
        .unwrap();
}
