//! The index's own files: a run file (header, checked blocks, fences,
//! trailer) and a document record, from arbitrary bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use thresh_fuzz::scratch;

fuzz_target!(|bytes: &[u8]| {
    thresh_index::fuzzing::read_run_file(scratch(), bytes);
    thresh_index::fuzzing::read_record(bytes.len() as u64, bytes);
});
