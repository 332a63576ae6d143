//! Entry points for the fuzz targets (`fuzz/`, feature `fuzzing`): the
//! index's readers run on arbitrary bytes. Each returns errors as values;
//! the only failure a fuzzer looks for is a panic, an abort or a hang.

use std::fs;
use std::path::Path;

use crate::record::Record;
use crate::runs::{Run, RunMeta};

/// Reads `bytes` as a run file in `dir`: opens it (with the entry count
/// and checksum its own header and trailer claim, so that reading gets
/// past the manifest check), looks keys up, and verifies it.
pub fn read_run_file(dir: &Path, bytes: &[u8]) {
    let file = "run-0000000000-0000001000.thr";
    if fs::write(dir.join(file), bytes).is_err() {
        return;
    }
    let entries = bytes
        .get(16..24)
        .map_or(0, |b| u64::from_le_bytes(b.try_into().expect("8 bytes")));
    let checksum = bytes
        .last_chunk::<8>()
        .map_or(0, |b| u64::from_le_bytes(*b));
    let meta = RunMeta {
        file: file.into(),
        first_id: 0,
        end_id: 1000,
        entries,
        checksum,
    };
    let Ok(run) = Run::open(dir, &meta) else {
        return;
    };
    let keys: Vec<u64> = (0..64).map(|k| k * (u64::MAX / 64)).collect();
    let _ = run.find_sorted(&keys, &mut |_, _| {});
    let _ = run.verify();
}

/// Decodes `bytes` as document `id`'s record.
pub fn read_record(id: u64, bytes: &[u8]) {
    let _ = Record::decode(id, bytes);
}
