//! Keyword arguments into the library's options. Every choice takes the
//! command line's names (`keep="earliest"`, `verify="signature"`), parsed by
//! the same value enums, so the two front ends cannot drift apart.

use clap::ValueEnum;
use pyo3::exceptions::PyValueError;
use pyo3::PyResult;
use thresh::engine::dedup::MatchConfig;
use thresh::engine::lsh::LshParams;

/// `value` as one of `T`'s command-line names, or a `ValueError` listing them.
pub fn choice<T: ValueEnum>(argument: &str, value: &str) -> PyResult<T> {
    T::from_str(value, true).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        PyValueError::new_err(format!(
            "invalid value {value:?} for {argument}: expected one of {}",
            names.join(", ")
        ))
    })
}

/// The matching options a Python caller may set; `None` keeps the
/// default, as an option left off the command line does.
#[derive(Debug, Clone, Copy, Default)]
pub struct MatchKwargs {
    pub threshold: Option<f64>,
    pub ngram: Option<usize>,
    pub num_perm: Option<usize>,
    pub seed: Option<u64>,
    pub bands: Option<usize>,
    pub rows: Option<usize>,
}

impl MatchKwargs {
    /// The defaults with every given option applied (the command line's
    /// `MatchArgs::apply`), checked as a run checks them.
    pub fn config(&self) -> PyResult<MatchConfig> {
        let mut config = MatchConfig::default();
        if let Some(threshold) = self.threshold {
            config.threshold = threshold;
        }
        if let Some(ngram) = self.ngram {
            config.ngram = ngram;
        }
        if let Some(num_perm) = self.num_perm {
            config.num_perm = num_perm;
        }
        if let Some(seed) = self.seed {
            config.seed = seed;
        }
        match (self.bands, self.rows) {
            (Some(bands), Some(rows)) => config.lsh = Some(LshParams { bands, rows }),
            (None, None) => {}
            _ => return Err(PyValueError::new_err("bands and rows go together")),
        }
        config.validate().map_err(PyValueError::new_err)?;
        Ok(config)
    }
}
