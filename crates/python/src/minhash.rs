//! `MinHasher`: the MinHash signatures and LSH band keys of a batch of
//! texts, exactly as `thresh dedup` and the index compute them, for people
//! who build their own pipelines. Texts come in as an Arrow string array
//! and results go out as one flat Arrow array (the Python half reshapes it
//! into a NumPy matrix without a copy), computed in parallel with the GIL
//! released.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayData, ArrayRef, AsArray, BinaryArray, Float64Array, Int64Array, ListArray,
    RecordBatch, UInt32Array, UInt64Array,
};
use arrow::buffer::OffsetBuffer;
use arrow::datatypes::{DataType, Field, Schema};
use arrow::pyarrow::PyArrowType;
use pyo3::prelude::*;
use rayon::prelude::*;
use thresh::engine::dedup::{DedupConfig, Fingerprinter, MatchConfig, Verify};
use thresh::engine::lsh::{band_keys_into, LshParams};
use thresh::engine::minhash::estimate_jaccard;
use thresh::records::round4;

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
    fn threshold(&self) -> f64 {
        self.config.threshold
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
        let found = py.detach(|| self.fingerprint_all(&values(&texts), None));
        Ok(PyArrowType(UInt32Array::from(found.signatures).into_data()))
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
            (Some(bands), Some(rows))
                if bands >= 1 && rows >= 1 && bands * rows <= self.config.num_perm =>
            {
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
        let found = py.detach(|| self.fingerprint_all(&values(&texts), Some(lsh)));
        Ok(PyArrowType(UInt64Array::from(found.band_keys).into_data()))
    }

    /// Everything dedup keeps of each text, for the Spark job's workers:
    /// `exact` (16 bytes: the hash of the normalized text), `signature`
    /// (`num_perm` little-endian `u32`s), `band_keys` (as signed 64-bit, the
    /// bits of the unsigned keys), `has_words` and `length` (bytes).
    fn fingerprints(
        &self,
        py: Python<'_>,
        texts: PyArrowType<ArrayData>,
    ) -> PyResult<PyArrowType<RecordBatch>> {
        let texts = string_array(texts.0)?;
        let (found, lengths) = py.detach(|| {
            let texts = values(&texts);
            let lengths: Vec<i64> = texts.iter().map(|t| t.map_or(0, str::len) as i64).collect();
            (self.fingerprint_all(&texts, Some(self.lsh)), lengths)
        });
        let batch = fingerprint_batch(found, lengths, self.config.num_perm, self.lsh.bands);
        batch.map(PyArrowType)
    }
}

/// The fingerprints of a batch of texts, each kind row after row.
struct BatchFingerprints {
    /// `num_perm` per text.
    signatures: Vec<u32>,
    /// `bands` per text, when asked for.
    band_keys: Vec<u64>,
    /// The exact hash and the shingle count of each text.
    facts: Vec<(u128, usize)>,
}

impl MinHasher {
    /// Fingerprint `texts` in parallel (null is the empty text), with band
    /// keys when a banding is given: one pass, no allocation per text.
    fn fingerprint_all(&self, texts: &[Option<&str>], lsh: Option<LshParams>) -> BatchFingerprints {
        let k = self.config.num_perm;
        let bands = lsh.map_or(0, |lsh| lsh.bands);
        let mut found = BatchFingerprints {
            signatures: vec![0; texts.len() * k],
            band_keys: vec![0; texts.len() * bands],
            facts: vec![(0, 0); texts.len()],
        };
        // Without keys each text gets an empty row (`chunks_mut(0)` panics).
        let key_rows: Vec<&mut [u64]> = match bands {
            0 => std::iter::repeat_with(|| &mut [][..])
                .take(texts.len())
                .collect(),
            _ => found.band_keys.chunks_mut(bands).collect(),
        };
        found
            .signatures
            .par_chunks_mut(k)
            .zip(key_rows)
            .zip(found.facts.par_iter_mut())
            .zip(texts)
            .for_each(|(((signature, keys), fact), text)| {
                *fact =
                    self.fingerprinter
                        .fingerprint_into(text.unwrap_or_default(), signature, None);
                if let Some(lsh) = lsh {
                    band_keys_into(signature, lsh, keys);
                }
            });
        found
    }
}

/// An Arrow array of strings (any of the three string types).
fn string_array(data: ArrayData) -> PyResult<ArrayRef> {
    let array: ArrayRef = arrow::array::make_array(data);
    match array.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(array),
        other => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "texts must be strings, not {other}"
        ))),
    }
}

/// The Spark job's fingerprint columns (see [`MinHasher::fingerprints`]).
fn fingerprint_batch(
    found: BatchFingerprints,
    lengths: Vec<i64>,
    k: usize,
    bands: usize,
) -> PyResult<RecordBatch> {
    let rows = found.facts.len();
    let exact = BinaryArray::from_iter_values(found.facts.iter().map(|f| f.0.to_le_bytes()));
    let bytes: Vec<u8> = found
        .signatures
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let signature = BinaryArray::from_iter_values(bytes.chunks(k * 4));
    let keys = Int64Array::from_iter_values(found.band_keys.iter().map(|&key| key as i64));
    let item = Arc::new(Field::new("item", DataType::Int64, false));
    let band_keys = ListArray::new(
        item.clone(),
        OffsetBuffer::from_lengths(std::iter::repeat_n(bands, rows)),
        Arc::new(keys),
        None,
    );
    let has_words: arrow::array::BooleanArray = found.facts.iter().map(|f| Some(f.1 > 0)).collect();
    let length = Int64Array::from(lengths);
    let schema = Schema::new(vec![
        Field::new("exact", DataType::Binary, false),
        Field::new("signature", DataType::Binary, false),
        Field::new("band_keys", DataType::List(item), false),
        Field::new("has_words", DataType::Boolean, false),
        Field::new("length", DataType::Int64, false),
    ]);
    let columns: Vec<ArrayRef> = vec![
        Arc::new(exact),
        Arc::new(signature),
        Arc::new(band_keys),
        Arc::new(has_words),
        Arc::new(length),
    ];
    RecordBatch::try_new(Arc::new(schema), columns)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// The Jaccard similarity each pair of signatures estimates (the share of
/// positions where they agree), as dedup computes it; rounded to four
/// places, as its records show it, when `rounded`.
#[pyfunction]
#[pyo3(signature = (a, b, rounded=false))]
pub fn signature_similarity(
    py: Python<'_>,
    a: PyArrowType<ArrayData>,
    b: PyArrowType<ArrayData>,
    rounded: bool,
) -> PyResult<PyArrowType<ArrayData>> {
    let (a, b) = (arrow::array::make_array(a.0), arrow::array::make_array(b.0));
    let (Some(a), Some(b)) = (a.as_binary_opt::<i32>(), b.as_binary_opt::<i32>()) else {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "signatures must be binary arrays",
        ));
    };
    if a.len() != b.len() {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "as many signatures on each side",
        ));
    }
    let similarities: Vec<f64> = py.detach(|| {
        (0..a.len())
            .into_par_iter()
            .map(|i| {
                let similarity = estimate_jaccard(&words(a.value(i)), &words(b.value(i)));
                if rounded {
                    round4(similarity)
                } else {
                    similarity
                }
            })
            .collect()
    });
    Ok(PyArrowType(Float64Array::from(similarities).into_data()))
}

/// A signature's little-endian bytes as its values.
fn words(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
        .collect()
}
