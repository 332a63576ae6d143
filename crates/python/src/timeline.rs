//! `timeline_json`: snapshots of live blogs in, the command line's
//! `timeline --format json` out. The snapshots are written to files in a
//! temporary directory and read by the same readers as the command line's
//! (text with its ` date … Title` header, or JSONL records), so that the
//! two front ends cannot differ.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use pyo3::prelude::*;
use thresh::engine::timeline::render::{render, Format};
use thresh::engine::timeline::{GroupBy, TimelineOptions};
use thresh::io::Input;
use thresh::read::InputOptions;
use thresh::timeline::timeline;

use crate::options::choice;
use crate::run_error;

/// The timeline JSON of `snapshots` and the notes for the user. `kind` is
/// `"text"` (each snapshot a page's text, named by `names` in the
/// provenance, or `snapshot-1.txt`, … in order) or `"jsonl"` (each a JSON
/// record with `text` or `html`, `url`, `date`, `title`).
#[pyfunction]
#[pyo3(signature = (snapshots, kind, *, names=None, group_by="auto"))]
pub fn timeline_json(
    py: Python<'_>,
    snapshots: Vec<String>,
    kind: &str,
    names: Option<Vec<String>>,
    group_by: &str,
) -> PyResult<(String, Vec<String>)> {
    let options = TimelineOptions {
        group_by: choice::<GroupBy>("group_by", group_by)?,
        ..TimelineOptions::default()
    };
    let kind = kind.to_owned();
    let names = match names {
        Some(names) => names,
        None => (1..=snapshots.len())
            .map(|i| format!("snapshot-{i}.txt"))
            .collect(),
    };
    py.detach(|| run(&snapshots, &names, &kind, &options))
        .map_err(run_error)
}

fn run(
    snapshots: &[String],
    names: &[String],
    kind: &str,
    options: &TimelineOptions,
) -> Result<(String, Vec<String>)> {
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let inputs = write_snapshots(dir.path(), snapshots, names, kind)?;
    let run = timeline(&inputs, &InputOptions::default(), options)?;
    if run.timelines.is_empty() {
        bail!("no snapshots to read");
    }
    Ok((render(&run.timelines, Format::Json), run.notes))
}

/// One text file per snapshot, in the order given and named as given (the
/// provenance shows the names, not the temporary directory), or one JSONL
/// file of records.
fn write_snapshots(
    dir: &std::path::Path,
    snapshots: &[String],
    names: &[String],
    kind: &str,
) -> Result<Vec<Input>> {
    let write = |file: String, content: &str| -> Result<PathBuf> {
        let path = dir.join(file);
        std::fs::write(&path, content)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(path)
    };
    match kind {
        "text" => {
            if names.len() != snapshots.len() {
                bail!("{} names for {} snapshots", names.len(), snapshots.len());
            }
            let mut inputs = Vec::with_capacity(snapshots.len());
            for (i, (text, name)) in snapshots.iter().zip(names).enumerate() {
                inputs.push(Input::file(write(format!("{i}.txt"), text)?).named(name));
            }
            Ok(inputs)
        }
        "jsonl" => Ok(vec![Input::file(write(
            "snapshots.jsonl".into(),
            &snapshots.join("\n"),
        )?)
        .named("snapshots.jsonl")]),
        other => bail!("unknown kind of snapshot {other:?}: text or jsonl"),
    }
}
