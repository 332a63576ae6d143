//! thresh as a library: the pipelines every front end runs (the `thresh`
//! command line, the Python package, the Spark job, the service), and the
//! typed records they write.
//!
//! Each pipeline takes inputs ([`read::resolve_inputs`]), options and a
//! sink, and returns a summary:
//!
//! | pipeline | what it does |
//! |---|---|
//! | [`dedup::dedup`] | exact and near-duplicate documents, repeated paragraphs and spans |
//! | [`index::add`], [`index::query`], [`index::stats`] | a day's crawl against everything seen before |
//! | [`timeline::timeline`] | repeated crawls of live blogs into timelines |
//! | [`extract::extract`] | WARC and HTML pages into article records |
//!
//! The work itself is the engine's (`thresh-engine`: no I/O), reading and
//! writing documents `thresh-io`'s, the persistent index `thresh-index`'s.
//! This crate strings them together, decides what happens to bad records,
//! and owns the output files ([`output`]) and records ([`records`]).
//!
//! ```no_run
//! use std::path::{Path, PathBuf};
//! use thresh::dedup::{dedup, DedupOptions};
//! use thresh::output::{DedupDir, OutputDir};
//! use thresh::{read::resolve_inputs, progress::Silent};
//!
//! let out = Path::new("out");
//! let mut out_dir = OutputDir::prepare(out, false)?;
//! let inputs = resolve_inputs(&[PathBuf::from("corpus/")], out)?;
//! let options = DedupOptions::default();
//! let mut sink = DedupDir::create(&mut out_dir, Default::default(), Default::default(), options.level, false)?;
//! let summary = dedup(&inputs, &options, &mut sink, &Silent)?;
//! out_dir.finish(&summary)?; // the results take their names only now
//! println!("{} documents, {} kept", summary.documents, summary.kept);
//! # Ok::<(), anyhow::Error>(())
//! ```

pub mod dedup;
pub mod extract;
pub mod ids;
pub mod index;
pub mod memory;
pub mod output;
pub mod progress;
pub mod read;
pub mod records;
pub mod report;
pub mod spill;
pub mod substring;
pub mod timeline;

pub use thresh_engine as engine;
pub use thresh_index as persistent;
pub use thresh_io as io;
