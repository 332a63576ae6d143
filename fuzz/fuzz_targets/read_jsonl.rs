//! JSONL records, plain and gzipped (a gzip magic number picks the name).
#![no_main]
use libfuzzer_sys::fuzz_target;
use thresh_fuzz::read_file;
use thresh_io::ReadOptions;

fuzz_target!(|bytes: &[u8]| {
    let name = match bytes.starts_with(&[0x1f, 0x8b]) {
        true => "records.jsonl.gz",
        false => "records.jsonl",
    };
    read_file(name, bytes, ReadOptions::default());
});
