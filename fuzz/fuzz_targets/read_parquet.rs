//! A Parquet file: footer, schema, row groups and the text columns.
#![no_main]
use libfuzzer_sys::fuzz_target;
use thresh_fuzz::read_file;
use thresh_io::ReadOptions;

fuzz_target!(|bytes: &[u8]| {
    read_file("table.parquet", bytes, ReadOptions::default());
});
