//! Parquet in and out.

#![cfg(feature = "parquet")]

mod common;

use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, Int64Array, ListArray, RecordBatch, StringArray, StructArray};
use arrow::datatypes::{DataType, Field, Int32Type};
use common::*;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use thresh_io::{Document, FieldNames, KeptWriter, OutputFormat, ReadOptions};

fn write_parquet(path: &Path, columns: Vec<(&str, ArrayRef)>, rows_per_group: usize) {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_max_row_group_row_count(Some(rows_per_group))
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

fn strings(values: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(values.to_vec()))
}

#[test]
fn rows_become_documents_with_every_column_in_raw() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.parquet");
    let tags = ListArray::from_iter_primitive::<Int32Type, _, _>(vec![
        Some(vec![Some(1)]),
        None,
        Some(vec![]),
    ]);
    let meta = StructArray::from(vec![
        (
            Arc::new(Field::new("score", DataType::Int64, true)),
            Arc::new(Int64Array::from(vec![Some(3), None, Some(5)])) as ArrayRef,
        ),
        (
            Arc::new(Field::new("lang", DataType::Utf8, true)),
            strings(&[Some("en"), None, Some("fr")]),
        ),
    ]);
    write_parquet(
        &path,
        vec![
            (
                "id",
                Arc::new(Int64Array::from(vec![10, 11, 12])) as ArrayRef,
            ),
            ("text", strings(&[Some("first"), None, Some("third \"q\"")])),
            ("date", strings(&[Some("2024-01-01"), None, None])),
            ("lang", strings(&[Some("en"), Some("fr"), None])),
            ("tags", Arc::new(tags) as ArrayRef),
            ("meta", Arc::new(meta) as ArrayRef),
        ],
        2,
    );
    let items = read(&[path]);
    assert_eq!(summary(&items), ["10", "!missing-text@2", "12"]);
    let first = items[0].as_ref().unwrap();
    assert_eq!(first.text, "first");
    assert_eq!(first.date.as_deref(), Some("2024-01-01"));
    assert_eq!(first.origin.record, 1);
    assert_eq!(
        first.raw.as_deref(),
        Some(
            r#"{"id":10,"text":"first","date":"2024-01-01","lang":"en","tags":[1],"meta":{"score":3,"lang":"en"}}"#
        ),
        "nested columns as JSON values, never dropped"
    );
    // Written back as Parquet, the nested values stay in `extra`.
    let out = dir.path().join("kept.parquet");
    let mut writer =
        KeptWriter::create(&out, OutputFormat::Parquet, FieldNames::default()).unwrap();
    writer.write(first, None).unwrap();
    writer.finish().unwrap();
    let batch = first_batch(&out);
    let extra = batch.column_by_name("extra").unwrap();
    let extra = extra.as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!(
        extra.value(0),
        r#"{"lang":"en","tags":[1],"meta":{"score":3,"lang":"en"}}"#
    );

    let third = items[2].as_ref().unwrap();
    assert_eq!(third.origin.record, 3, "row numbers run across row groups");
    assert_eq!(
        third.raw.as_deref(),
        Some(
            r#"{"id":12,"text":"third \"q\"","date":null,"lang":null,"tags":[],"meta":{"score":5,"lang":"fr"}}"#
        )
    );
}

#[test]
fn field_names_pick_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.parquet");
    write_parquet(
        &path,
        vec![
            ("key", strings(&[Some("k1")])),
            ("body", strings(&[Some("hello")])),
            ("text", strings(&[Some("not this")])),
        ],
        10,
    );
    let options = ReadOptions {
        fields: FieldNames {
            id: "key".into(),
            text: "body".into(),
            ..FieldNames::default()
        },
        ..ReadOptions::default()
    };
    let doc = docs(read_with(&[path], options)).remove(0);
    assert_eq!((doc.id.as_str(), doc.text.as_str()), ("k1", "hello"));
}

#[test]
fn bad_parquet_files_are_unreadable_or_missing_text() {
    let dir = tempfile::tempdir().unwrap();
    let no_text = dir.path().join("no-text.parquet");
    write_parquet(&no_text, vec![("body", strings(&[Some("x")]))], 10);
    let numeric_text = dir.path().join("numeric.parquet");
    write_parquet(
        &numeric_text,
        vec![("text", Arc::new(Int64Array::from(vec![1])) as ArrayRef)],
        10,
    );
    let paths = vec![
        no_text,
        numeric_text,
        write(dir.path(), "garbage.parquet", b"PAR1 not really PAR1"),
        write(dir.path(), "zipped.parquet.gz", &gzip(b"whatever")),
        write(dir.path(), "after.txt", b"still read"),
    ];
    let items = read(&paths);
    assert_eq!(
        summary(&items),
        [
            "!missing-text@0",
            "!wrong-type@0",
            "!unreadable@0",
            "!unreadable@0",
            "after.txt"
        ]
    );
}

fn sample_documents() -> Vec<Document> {
    let mut from_jsonl = Document::new("j1", "jsonl text").with_url("http://u");
    from_jsonl.raw = Some(r#"{"id":"j1","text":"jsonl text","lang":"de","n":3}"#.into());
    from_jsonl.origin.source = "in.jsonl".into();
    let plain = Document::new("p1", "plain text")
        .with_date("2024-02-03")
        .with_title("Title");
    vec![from_jsonl, plain]
}

#[test]
fn parquet_writer_round_trips_with_extra_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.parquet");
    let mut writer =
        KeptWriter::create(&path, OutputFormat::Parquet, FieldNames::default()).unwrap();
    let docs_in = sample_documents();
    writer.write(&docs_in[0], Some("changed")).unwrap();
    writer.write(&docs_in[1], None).unwrap();
    writer.finish().unwrap();

    let batch = first_batch(&path);
    let names: Vec<_> = batch
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(
        names,
        ["id", "text", "date", "title", "url", "source", "extra"]
    );
    let extra = batch.column_by_name("extra").unwrap();
    let extra = extra.as_any().downcast_ref::<StringArray>().unwrap();
    assert_eq!(extra.value(0), r#"{"lang":"de","n":3}"#);
    assert!(extra.is_null(1));

    let back = docs(read(&[path]));
    assert_eq!(back[0].text, "changed");
    assert_eq!(back[0].url.as_deref(), Some("http://u"));
    assert_eq!(back[1].id, "p1");
    assert_eq!(back[1].title.as_deref(), Some("Title"));
}

/// Found by fuzzing (`bench/fuzz.sh`, target read_parquet): a column chunk
/// whose offset is negative made the parquet crate panic while reading.
/// The file is refused by name before any chunk is read.
#[test]
fn a_column_chunk_outside_the_file_is_refused_before_reading() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-negative-chunk-offset.parquet");
    let items = read(&[path]);
    assert_eq!(items.len(), 1);
    let error = items[0].as_ref().unwrap_err().to_string();
    assert!(error.contains("lies outside the file"), "{error}");
}

/// Found by fuzzing (target read_parquet): a damaged page header that
/// claims a list of billions of fields, each skipped by a read at the end
/// of the file, which returned nothing and was tried again (42 s for 11 KB).
/// Reading past the end is now an error at once.
#[test]
fn a_page_header_that_reads_past_the_end_fails_at_once() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-endless-page-header.parquet");
    let items = read(&[path]);
    let error = items
        .iter()
        .find_map(|item| item.as_ref().err())
        .expect("the damaged file is an error")
        .to_string();
    assert!(error.contains("read past the end of the file"), "{error}");
}

/// The first record batch of the Parquet file at `path`.
fn first_batch(path: &Path) -> RecordBatch {
    ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
}
