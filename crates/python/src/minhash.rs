//! `MinHasher`: the MinHash signatures and LSH band keys of a batch of
//! texts, exactly as `thresh dedup` and the index compute them, for people
//! who build their own pipelines. Texts come in as an Arrow string array
//! and results go out as one flat Arrow array (the Python half reshapes it
//! into a NumPy matrix without a copy), computed in parallel with the GIL
//! released.

use arrow::array::{Array, ArrayData, ArrayRef, UInt32Array, UInt64Array};
use arrow::pyarrow::PyArrowType;
use pyo3::prelude::*;
use rayon::prelude::*;
use thresh::engine::dedup::{DedupConfig, Fingerprinter, MatchConfig, Verify};
use thresh::engine::lsh::{band_keys_into, LshParams};

use crate::arrow_text::values;
use crate::options::{choice, MatchKwargs};

#[pyclass(frozen, module = "thresh._thresh")]
pub struct MinHasher {
    config: MatchConfig,
    fingerprinter: Fingerprinter,
    /// The banding `band_keys` uses unless told otherwise.
    lsh: LshParams,
}

#[pymethods]
impl MinHasher {
    #[new]
    #[pyo3(signature = (*, num_perm=None, ngram=None, seed=None, threshold=None, verify="exact"))]
    fn new(
        num_perm: Option<usize>,
        ngram: Option<usize>,
        seed: Option<u64>,
        threshold: Option<f64>,
        verify: &str,
    ) -> PyResult<Self> {
        let config = MatchKwargs {
            threshold,
            ngram,
            num_perm,
            seed,
            ..MatchKwargs::default()
        }
        .config()?;
        // The banding dedup chooses for this threshold and verification.
        let lsh = DedupConfig {
            matching: config.clone(),
            verify: choice::<Verify>("verify", verify)?,
            keep: Default::default(),
        }
        .lsh_params();
        Ok(MinHasher {
            fingerprinter: Fingerprinter::new(&config),
            config,
            lsh,
        })
    }

    #[getter]
    fn num_perm(&self) -> usize {
        self.config.num_perm
    }

    #[getter]
    fn ngram(&self) -> usize {
        self.config.ngram
    }

    #[getter]
    fn seed(&self) -> u64 {
        self.config.seed
    }

    /// `(bands, rows)`: the banding `band_keys` uses by default.
    #[getter]
    fn banding(&self) -> (usize, usize) {
        (self.lsh.bands, self.lsh.rows)
    }

    /// The signatures of `texts` (an Arrow string array; null is the empty
    /// text), row after row: `len(texts) × num_perm` unsigned 32-bit values.
    fn signatures_flat(
        &self,
        py: Python<'_>,
        texts: PyArrowType<ArrayData>,
    ) -> PyResult<PyArrowType<ArrayData>> {
        let texts = string_array(texts.0)?;
        let k = self.config.num_perm;
        let out = py.detach(|| {
            let texts = values(&texts);
            let mut out = vec![0u32; texts.len() * k];
            out.par_chunks_mut(k)
                .zip(&texts)
                .for_each(|(signature, text)| {
                    self.fingerprinter
                        .fingerprint_into(text.unwrap_or_default(), signature, None);
                });
            out
        });
        Ok(PyArrowType(UInt32Array::from(out).into_data()))
    }

    /// The LSH band keys of `texts`, row after row: `len(texts) × bands`
    /// unsigned 64-bit values. Two texts are candidates when they share a
    /// key in the same band.
    #[pyo3(signature = (texts, bands=None, rows=None))]
    fn band_keys_flat(
        &self,
        py: Python<'_>,
        texts: PyArrowType<ArrayData>,
        bands: Option<usize>,
        rows: Option<usize>,
    ) -> PyResult<PyArrowType<ArrayData>> {
        let lsh = match (bands, rows) {
            (None, None) => self.lsh,
            (Some(bands), Some(rows)) if bands >= 1 && rows >= 1 && bands * rows <= self.config.num_perm => {
                LshParams { bands, rows }
            }
            _ => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "bands and rows go together, each at least 1, with bands × rows at most num_perm ({})",
                    self.config.num_perm
                )))
            }
        };
        let texts = string_array(texts.0)?;
        let k = self.config.num_perm;
        let out = py.detach(|| {
            let texts = values(&texts);
            let mut out = vec![0u64; texts.len() * lsh.bands];
            out.par_chunks_mut(lsh.bands).zip(&texts).for_each_init(
                || vec![0u32; k],
                |signature, (keys, text)| {
                    self.fingerprinter
                        .fingerprint_into(text.unwrap_or_default(), signature, None);
                    band_keys_into(signature, lsh, keys);
                },
            );
            out
        });
        Ok(PyArrowType(UInt64Array::from(out).into_data()))
    }
}

/// An Arrow array of strings (any of the three string types).
fn string_array(data: ArrayData) -> PyResult<ArrayRef> {
    let array: ArrayRef = arrow::array::make_array(data);
    match array.data_type() {
        arrow::datatypes::DataType::Utf8
        | arrow::datatypes::DataType::LargeUtf8
        | arrow::datatypes::DataType::Utf8View => Ok(array),
        other => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "texts must be strings, not {other}"
        ))),
    }
}
