//! `Index`: the persistent index, in the command line's on-disk format, so
//! that a directory made by `thresh index create` can be added to from
//! Python and queried from the command line, and the other way round.
//!
//! Each call opens the index and lets it go when it returns: an `add`
//! holds the writer's lock only while it runs, and is durable (committed)
//! when it returns; a `query` reads a snapshot and never waits for a writer.

use std::path::PathBuf;

use anyhow::{bail, Result};
use pyo3::prelude::*;
use thresh::engine::Document;
use thresh::index::{query_verdict, stats};
use thresh::persistent::Index as PersistentIndex;
use thresh::records::QueryVerdict;
use xxhash_rust::xxh3::xxh3_128;

use crate::options::MatchKwargs;
use crate::run_error;

#[pyclass(frozen, module = "thresh._thresh")]
pub struct Index {
    dir: PathBuf,
}

/// Documents as the Python half hands them: parallel lists.
type Columns = (
    Vec<String>,
    Vec<String>,
    Vec<Option<String>>,
    Vec<Option<String>>,
);

#[pymethods]
impl Index {
    /// Open the index in `path` (made by `Index.create` or `thresh index create`).
    #[new]
    fn open(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let dir = path.clone();
        py.detach(|| PersistentIndex::open_read_only(&dir).map(drop))
            .map_err(|e| run_error(e.into()))?;
        Ok(Index { dir: path })
    }

    /// Create an index in `path`, fixing its matching parameters for good.
    #[staticmethod]
    #[pyo3(signature = (path, *, threshold=None, ngram=None, num_perm=None, seed=None, bands=None, rows=None))]
    #[allow(clippy::too_many_arguments)]
    fn create(
        py: Python<'_>,
        path: PathBuf,
        threshold: Option<f64>,
        ngram: Option<usize>,
        num_perm: Option<usize>,
        seed: Option<u64>,
        bands: Option<usize>,
        rows: Option<usize>,
    ) -> PyResult<Self> {
        let config = MatchKwargs {
            threshold,
            ngram,
            num_perm,
            seed,
            bands,
            rows,
        }
        .config()?;
        let dir = path.clone();
        py.detach(|| PersistentIndex::create(&dir, &config).map(drop))
            .map_err(|e| run_error(e.into()))?;
        Ok(Index { dir: path })
    }

    #[getter]
    fn path(&self) -> PathBuf {
        self.dir.clone()
    }

    /// Check the documents against the index and add them in one commit;
    /// returns each verdict (JSON, as `index query` writes it) in order.
    fn add_json(&self, py: Python<'_>, columns: Columns) -> PyResult<Vec<String>> {
        let documents = documents(columns).map_err(run_error)?;
        py.detach(|| -> Result<Vec<String>> {
            let index = PersistentIndex::open(&self.dir)?;
            let mut batch = index.begin()?;
            let verdicts = index.push(&mut batch, &documents)?;
            index.commit(batch)?;
            verdicts_json(&documents, &verdicts)
        })
        .map_err(run_error)
    }

    /// Check the documents against the index without adding them.
    fn query_json(&self, py: Python<'_>, columns: Columns) -> PyResult<Vec<String>> {
        let documents = documents(columns).map_err(run_error)?;
        py.detach(|| -> Result<Vec<String>> {
            let index = PersistentIndex::open_read_only(&self.dir)?;
            let mut batch = index.begin()?;
            let verdicts = index.push(&mut batch, &documents)?;
            verdicts_json(&documents, &verdicts)
        })
        .map_err(run_error)
    }

    /// What `index stats` prints.
    fn stats_json(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| -> Result<String> {
            let index = PersistentIndex::open_read_only(&self.dir)?;
            Ok(serde_json::to_string(&stats(&index)?)?)
        })
        .map_err(run_error)
    }
}

/// Documents from parallel lists, with unique ids (as within a run of the
/// command line).
fn documents((ids, texts, dates, urls): Columns) -> Result<Vec<Document>> {
    let mut seen = std::collections::HashMap::new();
    let mut documents = Vec::with_capacity(ids.len());
    for (row, (((id, text), date), url)) in
        ids.into_iter().zip(texts).zip(dates).zip(urls).enumerate()
    {
        if let Some(earlier) = seen.insert(xxh3_128(id.as_bytes()), row) {
            bail!("document id {id:?} is given twice, at row {earlier} and at row {row}: ids must be unique within a run");
        }
        let mut doc = Document::new(id, text);
        doc.date = date;
        doc.url = url;
        documents.push(doc);
    }
    Ok(documents)
}

fn verdicts_json(
    documents: &[Document],
    verdicts: &[thresh::persistent::Verdict],
) -> Result<Vec<String>> {
    documents
        .iter()
        .zip(verdicts)
        .map(|(doc, verdict)| {
            let record: QueryVerdict = query_verdict(doc, verdict);
            Ok(serde_json::to_string(&record)?)
        })
        .collect()
}
