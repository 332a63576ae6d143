//! `thresh._thresh`: the Rust half of the `thresh` Python package.
//!
//! Each function is a thin shell over the `thresh` library crate, the same
//! pipelines the command line runs: the Python half (`python/thresh/`)
//! turns whatever the user holds (pyarrow, polars, pandas, HF datasets,
//! lists) into an Arrow stream or files, and back.
//!
//! | file | what it owns |
//! |---|---|
//! | [`options`] | keyword arguments into the library's options |
//! | [`arrow_text`] | string columns of Arrow batches as `&str` |
//! | [`dedup`] | `dedup_stream`: an Arrow stream in, the same rows annotated out |
//! | [`minhash`] | `MinHasher`: signatures and band keys of a batch of texts |
//! | [`timeline`] | `timeline_json`: snapshots in, the command line's JSON out |
//! | [`index`] | `Index`: the persistent index, in the command line's format |
//!
//! Rust works with the GIL released; errors are [`ThreshError`] with the
//! command line's messages, or `ValueError` for a bad argument.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

mod arrow_text;
mod dedup;
mod index;
mod minhash;
mod options;
mod timeline;

create_exception!(
    thresh,
    ThreshError,
    PyException,
    "A run failed: bad input, a file that cannot be read or written, an option the pipeline refuses. The message is the command line's."
);

/// The command line's `thresh: error: …` message, as a Python exception.
pub(crate) fn run_error(error: anyhow::Error) -> PyErr {
    ThreshError::new_err(format!("{error:#}"))
}

#[pymodule]
fn _thresh(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("ThreshError", py.get_type::<ThreshError>())?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add_function(wrap_pyfunction!(dedup::dedup_stream, module)?)?;
    module.add_function(wrap_pyfunction!(timeline::timeline_json, module)?)?;
    module.add_class::<minhash::MinHasher>()?;
    module.add_function(wrap_pyfunction!(minhash::signature_similarity, module)?)?;
    module.add(
        "MAX_BUCKET_ALL_PAIRS",
        thresh::engine::lsh::MAX_BUCKET_ALL_PAIRS,
    )?;
    module.add_class::<index::Index>()?;
    Ok(())
}
