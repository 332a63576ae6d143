//! An HTML page: charset decoding, the depth check, main-text extraction,
//! and (when the first byte is odd) the live blog's reading of its posts.
#![no_main]
use libfuzzer_sys::fuzz_target;
use thresh_fuzz::read_file;
use thresh_io::ReadOptions;

fuzz_target!(|bytes: &[u8]| {
    let options = ReadOptions {
        live_blog: bytes.first().is_some_and(|b| b % 2 == 1),
        ..ReadOptions::default()
    };
    read_file("page.html", bytes, options);
});
