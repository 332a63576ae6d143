//! The extract pipeline: inputs of any format thresh reads (WARC, HTML
//! pages, JSONL, text, Parquet) to one [`ExtractRecord`] per document
//! (id, url, date, title, byline, text), for users who want only the
//! extracted articles.

use anyhow::Result;
use thresh_engine::Document;
use thresh_io::{DocumentReader, Input};

use crate::progress::Progress;
use crate::read::{keep_going, InputOptions, ReadTally};
use crate::records::ExtractRecord;

/// Hand every document of `inputs` to `record_of`, in input order;
/// returns how many, with what was skipped. Records that are fine but not
/// articles (WARC requests, redirects, images, pages without main text)
/// are counted in the tally; a damaged record stops the run unless
/// `skip_bad`.
pub fn extract(
    inputs: &[Input],
    options: &InputOptions,
    mut record_of: impl FnMut(&ExtractRecord) -> Result<()>,
    progress: &dyn Progress,
) -> Result<(u64, ReadTally)> {
    let mut reader = DocumentReader::new(inputs.to_vec(), options.read.clone());
    let mut tally = ReadTally::default();
    let mut written = 0u64;
    progress.start("extracting");
    for item in reader.by_ref() {
        match item {
            Ok(doc) => {
                record_of(&record(&doc))?;
                written += 1;
                progress.documents(written);
            }
            Err(error) => keep_going(error, options.skip_bad, &mut tally.skipped_bad)?,
        }
    }
    progress.finish();
    tally.not_documents = reader.skipped().clone();
    Ok((written, tally))
}

/// The record of one document. Readers of HTML put the byline in the
/// document's raw record.
pub fn record(doc: &Document) -> ExtractRecord<'_> {
    let byline = doc
        .raw
        .as_deref()
        .and_then(|raw| serde_json::from_str::<serde_json::Value>(raw).ok())
        .and_then(|raw| raw.get("byline")?.as_str().map(str::to_string));
    ExtractRecord {
        id: &doc.id,
        url: doc.url.as_deref(),
        date: doc.date.as_deref(),
        title: doc.title.as_deref(),
        byline,
        text: &doc.text,
    }
}
