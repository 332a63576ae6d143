//! A text snapshot (with its optional ` date … Title` header), read as the
//! timeline reads it, and the timeline built from it and from itself cut
//! in two (two crawls of one page).
#![no_main]
use libfuzzer_sys::fuzz_target;
use thresh_engine::timeline::{build_timelines, TimelineOptions};
use thresh_fuzz::read_file;
use thresh_io::ReadOptions;

fuzz_target!(|bytes: &[u8]| {
    let options = ReadOptions {
        keep_text_header: true,
        ..ReadOptions::default()
    };
    let mut snapshots = read_file("snapshot.txt", bytes, options.clone());
    let half = bytes.len() / 2;
    snapshots.extend(read_file("later.txt", &bytes[half..], options));
    build_timelines(&snapshots, &TimelineOptions::default());
});
