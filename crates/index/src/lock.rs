//! The writer lock: one process at a time writes to an index.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use crate::IndexError;

const LOCK_FILE: &str = "LOCK";

/// Holds the writer lock (an advisory lock on `LOCK`, released by the OS
/// when the process ends, even by SIGKILL). The file holds the writer's
/// PID, so that a refused writer can say who holds it.
pub(crate) struct WriterLock {
    _file: File,
}

impl WriterLock {
    pub(crate) fn acquire(dir: &Path) -> Result<WriterLock, IndexError> {
        let path = dir.join(LOCK_FILE);
        let io = |source| IndexError::Io {
            path: path.display().to_string(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(IndexError::Locked {
                    pid: holder(&mut file),
                })
            }
            Err(TryLockError::Error(error)) => return Err(io(error)),
        }
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        writeln!(file, "{}", std::process::id()).map_err(io)?;
        Ok(WriterLock { _file: file })
    }
}

/// The PID the lock holder wrote, or "unknown".
fn holder(file: &mut File) -> String {
    let mut pid = String::new();
    let _ = file.read_to_string(&mut pid);
    let pid = pid.trim();
    if pid.is_empty() {
        "unknown".into()
    } else {
        pid.into()
    }
}
