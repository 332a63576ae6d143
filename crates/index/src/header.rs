//! The header: what an index fixes when it is created (format version and
//! matching configuration), read back at every open, and compared with
//! the configuration a user asks for.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thresh_engine::dedup::MatchConfig;

use crate::layout::{json_put, Put, KEY_HEADER};
use crate::store::Reader;
use crate::IndexError;

/// Version of the on-disk layout; bumped on any incompatible change.
/// 2: look-up entries moved from the store into run files.
/// 3: a checksum after each block of a run file.
/// 4: shingle hashes from a rolling polynomial over token hashes (every
///    signature and band key changed).
pub const FORMAT_VERSION: u32 = 4;

/// What is fixed when an index is created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format_version: u32,
    /// With `lsh` resolved to explicit bands and rows (so that a change in
    /// how the engine derives them can never change an existing index).
    /// Headers written before the policy left the matching configuration
    /// also hold `verify` and `keep`; reading ignores them.
    pub config: MatchConfig,
    pub thresh_version: String,
}

impl Header {
    /// The header of a new index matching as `config` says.
    pub(crate) fn new(config: &MatchConfig) -> Header {
        Header {
            format_version: FORMAT_VERSION,
            config: config.with_lsh_resolved(),
            thresh_version: env!("CARGO_PKG_VERSION").into(),
        }
    }

    pub(crate) fn put(&self) -> Put {
        json_put(KEY_HEADER, self)
    }

    /// The header of the index in `dir`: its format version first (a later
    /// format may have another header), then the rest.
    pub(crate) fn read(reader: &Reader, dir: &Path) -> Result<Header, IndexError> {
        let bytes = reader
            .get(KEY_HEADER)?
            .ok_or_else(|| IndexError::NotAnIndex(dir.display().to_string()))?;
        let corrupt = |e: String| IndexError::Corrupt(format!("header: {e}"));
        #[derive(Deserialize)]
        struct Version {
            format_version: u32,
        }
        let version: Version =
            serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
        if version.format_version != FORMAT_VERSION {
            return Err(IndexError::FormatVersion {
                found: version.format_version,
                supported: FORMAT_VERSION,
            });
        }
        let header: Header = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
        header.config.validate().map_err(corrupt)?;
        Ok(header)
    }

    /// One "field: index X, given Y" per field in which `given` would match
    /// differently, in field-name order; nested fields are named by their
    /// path (`lsh.bands`). Compared as JSON, with both bandings resolved,
    /// so that a field added to [`MatchConfig`] is checked without a line
    /// here.
    pub(crate) fn differences(&self, given: &MatchConfig) -> Vec<String> {
        let as_json = |config| serde_json::to_value(config).expect("a configuration serializes");
        let mut differences = Vec::new();
        differ(
            "",
            &as_json(&self.config),
            &as_json(&given.with_lsh_resolved()),
            &mut differences,
        );
        differences
    }
}

fn differ(path: &str, have: &Value, given: &Value, out: &mut Vec<String>) {
    match (have, given) {
        (Value::Object(have), Value::Object(given)) => {
            let names: BTreeSet<&String> = have.keys().chain(given.keys()).collect();
            for name in names {
                let path = if path.is_empty() {
                    name.clone()
                } else {
                    format!("{path}.{name}")
                };
                let (a, b) = (have.get(name.as_str()), given.get(name.as_str()));
                differ(
                    &path,
                    a.unwrap_or(&Value::Null),
                    b.unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        _ if have != given => out.push(format!(
            "{path}: index {}, given {}",
            plain(have),
            plain(given)
        )),
        _ => {}
    }
}

/// A JSON value as a user would write it: strings without quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
