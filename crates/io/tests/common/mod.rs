//! Helpers shared by the integration tests: writing fixture files and
//! reading everything back.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use thresh_io::{discover, Document, DocumentReader, ReadError, ReadOptions};

/// A small news page whose article extraction finds.
pub const STORM_PAGE: &str = "<html><head><title>Storm</title></head><body><article><h1>Storm</h1>\
    <p>The harbour closed on Monday after the storm broke two moorings and sank a fishing boat, the port authority said.</p>\
    <p>Ferries to the islands will not sail before Wednesday, and owners of small boats were asked to check their lines.</p>\
    </article></body></html>";

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

pub fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::encode_all(bytes, 1).unwrap()
}

pub fn read_with(paths: &[PathBuf], options: ReadOptions) -> Vec<Result<Document, ReadError>> {
    DocumentReader::new(discover(paths).unwrap(), options).collect()
}

pub fn read(paths: &[PathBuf]) -> Vec<Result<Document, ReadError>> {
    read_with(paths, ReadOptions::default())
}

pub fn docs(items: Vec<Result<Document, ReadError>>) -> Vec<Document> {
    items.into_iter().map(|r| r.expect("a document")).collect()
}

/// Each item as `id` or `!error-name@record`, for compact assertions.
pub fn summary(items: &[Result<Document, ReadError>]) -> Vec<String> {
    items
        .iter()
        .map(|item| match item {
            Ok(doc) => doc.id.clone(),
            Err(e) => format!("!{}@{}", e.kind.name(), e.origin.record),
        })
        .collect()
}
