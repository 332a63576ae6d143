//! The run files of an index over time: opened once and shared by the
//! batches that read them, merged into a new run at a commit, deleted once
//! no committed manifest names them (`runs.rs` has the file format).

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::runs::{self, Entry, Run, RunMeta};
use crate::IndexError;

pub(crate) struct LiveRuns {
    dir: PathBuf,
    /// Open runs by file name. Runs are immutable and a name is never
    /// reused for other contents, so an entry stays valid while the
    /// manifest names it.
    open: Mutex<HashMap<String, Arc<Run>>>,
}

impl LiveRuns {
    pub(crate) fn new(dir: &Path) -> LiveRuns {
        LiveRuns {
            dir: dir.to_path_buf(),
            open: Mutex::new(HashMap::new()),
        }
    }

    /// The open run `meta` names, from the cache or opened now.
    fn get(&self, meta: &RunMeta) -> Result<Arc<Run>, IndexError> {
        let mut cache = self.open.lock().expect("run cache lock");
        if let Some(run) = cache.get(&meta.file).filter(|run| run.meta() == meta) {
            return Ok(Arc::clone(run));
        }
        let run = Arc::new(Run::open(&self.dir, meta)?);
        cache.insert(meta.file.clone(), Arc::clone(&run));
        Ok(run)
    }

    /// Open the runs of `manifest` and forget the cached ones it no longer
    /// names (batches still using them hold their own handles).
    pub(crate) fn open_all(&self, manifest: &[RunMeta]) -> Result<Vec<Arc<Run>>, IndexError> {
        let runs = manifest
            .iter()
            .map(|meta| self.get(meta))
            .collect::<Result<Vec<_>, _>>()?;
        self.open
            .lock()
            .expect("run cache lock")
            .retain(|name, _| manifest.iter().any(|m| &m.file == name));
        Ok(runs)
    }

    /// The manifest once a batch's `fresh` entries (documents `ids`) are
    /// in, with their run written: merged with the newest runs as
    /// [`runs::merge_point`] says. Also returns the runs it replaces.
    pub(crate) fn write_next(
        &self,
        mut manifest: Vec<RunMeta>,
        fresh: &[Entry],
        ids: (u64, u64),
    ) -> Result<(Vec<RunMeta>, Vec<RunMeta>), IndexError> {
        if fresh.is_empty() {
            return Ok((manifest, Vec::new()));
        }
        let older = manifest.split_off(runs::merge_point(&manifest, fresh.len() as u64));
        let older_runs = older
            .iter()
            .map(|meta| self.get(meta))
            .collect::<Result<Vec<_>, _>>()?;
        let first_id = older.first().map_or(ids.0, |meta| meta.first_id);
        manifest.push(runs::write_merged(
            &self.dir,
            &older_runs,
            fresh,
            (first_id, ids.1),
        )?);
        Ok((manifest, older))
    }

    /// Delete runs the committed manifest no longer names. A failure only
    /// leaves an orphan, removed at the next open for writing.
    pub(crate) fn retire(&self, retired: &[RunMeta]) {
        let mut cache = self.open.lock().expect("run cache lock");
        for meta in retired {
            cache.remove(&meta.file);
            let _ = fs::remove_file(self.dir.join(&meta.file));
        }
    }

    /// Delete run files the committed manifest `live` does not name: left
    /// by a crash before the store committed them, or merged away before
    /// their deletion. Only a writer does this (a reader's manifest may be
    /// older).
    pub(crate) fn remove_orphans(&self, live: &[RunMeta]) -> Result<(), IndexError> {
        let io = |source| IndexError::Io {
            path: self.dir.display().to_string(),
            source,
        };
        for entry in fs::read_dir(&self.dir).map_err(io)? {
            let name = entry.map_err(io)?.file_name();
            let Some(name) = name.to_str() else { continue };
            if runs::is_run_file(name) && !live.iter().any(|m| m.file == name) {
                let path = self.dir.join(name);
                fs::remove_file(&path).map_err(|source| IndexError::Io {
                    path: path.display().to_string(),
                    source,
                })?;
            }
        }
        Ok(())
    }
}
