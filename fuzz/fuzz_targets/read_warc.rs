//! WARC files, plain and gzipped (a gzip magic number picks the name):
//! records, headers, HTTP responses and the pages inside.
#![no_main]
use libfuzzer_sys::fuzz_target;
use thresh_fuzz::read_file;
use thresh_io::ReadOptions;

fuzz_target!(|bytes: &[u8]| {
    let name = match bytes.starts_with(&[0x1f, 0x8b]) {
        true => "crawl.warc.gz",
        false => "crawl.warc",
    };
    read_file(name, bytes, ReadOptions::default());
});
