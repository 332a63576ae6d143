//! thresh's readers and writers: files in, [`Document`]s out, and back.
//!
//! ```no_run
//! use std::path::PathBuf;
//! use thresh_io::{discover, DocumentReader, ReadOptions};
//!
//! let inputs = discover(&[PathBuf::from("corpus/")])?;
//! for item in DocumentReader::new(inputs, ReadOptions::default()) {
//!     match item {
//!         Ok(doc) => println!("{} ({} bytes)", doc.id, doc.text.len()),
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! # Ok::<(), thresh_io::IoError>(())
//! ```
//!
//! Modules, each owning one concern:
//! - `format`: input/output formats, compression, field names;
//! - `input`: [`discover`] and opening (decompressing) one [`Input`];
//! - `text`, `jsonl`, `parquet_in`, `warc`: one reader per format;
//! - `html`: charset decoding and main-text extraction for WARC and HTML
//!   input (behind the `html` feature, on by default);
//! - `live_blog`: a live blog's posts read from the page's markup
//!   (JSON-LD, microdata, post blocks with `<time>`), for the timeline
//!   ([`ReadOptions::live_blog`]);
//! - `reader`: [`DocumentReader`], which strings inputs together;
//! - `writer`, `parquet_out`: [`KeptWriter`];
//! - `error`: [`IoError`] and [`ReadError`].
//!
//! Parquet support is behind the `parquet` feature (on by default).

mod error;
mod format;
#[cfg(feature = "html")]
pub mod html;
mod input;
mod jsonl;
#[cfg(feature = "html")]
pub mod live_blog;
#[cfg(feature = "html")]
mod page_text;
#[cfg(feature = "parquet")]
mod parquet_in;
#[cfg(feature = "parquet")]
mod parquet_out;
mod reader;
mod text;
#[cfg(feature = "html")]
mod unseen;
// Without `html` the WARC parser is built (its `Skipped` is public API) but
// never used.
#[cfg_attr(not(feature = "html"), allow(dead_code))]
mod warc;
mod writer;

pub use error::{IoError, ReadError, ReadErrorKind};
pub use format::{FieldNames, InputFormat, OutputFormat};
pub use input::{discover, Input};
pub use reader::{DocumentReader, ReadOptions, DEFAULT_MAX_DOCUMENT_BYTES};
pub use thresh_engine::{Document, Origin};
pub use warc::Skipped;
pub use writer::KeptWriter;
