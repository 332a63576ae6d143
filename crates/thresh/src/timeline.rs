//! The timeline pipeline: snapshots of live blogs in (text crawls, JSONL
//! records, WARC captures, HTML pages, read by `thresh-io` like every other
//! input), one timeline per page out, with notes for the user.
//!
//! Text snapshots keep their ` date … Title` header line in their text: the
//! timeline accounts for every input line by its number, the header being
//! line 1 (it is the page's title line). HTML and WARC pages whose markup
//! holds a live blog's posts are read as that live blog (`live_blog` of
//! the read options): a time line, author, headline and paragraphs per post.

use anyhow::Result;
use thresh_engine::timeline::{build_timelines, Timeline, TimelineOptions};
use thresh_engine::Document;
use thresh_io::{DocumentReader, Input};

use crate::read::{by_reason, keep_going, InputOptions, ReadTally};

/// The timelines of a run and what the user should be told about them
/// (inferred dates, records that held no page, several pages found).
#[derive(Debug, Clone)]
pub struct TimelineRun {
    pub timelines: Vec<Timeline>,
    pub notes: Vec<String>,
    /// Bad records skipped (with `skip_bad`), by kind.
    pub tally: ReadTally,
}

/// Read every snapshot of `inputs` and build one timeline per page (none
/// when there are no snapshots).
pub fn timeline(
    inputs: &[Input],
    input: &InputOptions,
    options: &TimelineOptions,
) -> Result<TimelineRun> {
    let mut tally = ReadTally::default();
    let snapshots = read_snapshots(inputs, input, &mut tally)?;
    let timelines = build_timelines(&snapshots, options);
    let notes = notes(&timelines, &tally);
    Ok(TimelineRun {
        timelines,
        notes,
        tally,
    })
}

/// Every snapshot, in input order; a bad record stops the run unless
/// `skip_bad`.
fn read_snapshots(
    inputs: &[Input],
    input: &InputOptions,
    tally: &mut ReadTally,
) -> Result<Vec<Document>> {
    let mut read = input.read.clone();
    read.keep_text_header = true;
    // HTML captures of live blogs keep their posts, times and bylines.
    read.live_blog = true;
    let mut reader = DocumentReader::new(inputs.to_vec(), read);
    let mut snapshots = Vec::new();
    for item in reader.by_ref() {
        match item {
            Ok(doc) => snapshots.push(doc),
            Err(error) => keep_going(error, input.skip_bad, &mut tally.skipped_bad)?,
        }
    }
    tally.not_documents = reader.skipped().clone();
    Ok(snapshots)
}

fn notes(timelines: &[Timeline], tally: &ReadTally) -> Vec<String> {
    let mut notes: Vec<String> = timelines
        .iter()
        .flat_map(|t| t.notes.iter().cloned())
        .collect();
    if tally.not_documents.total() > 0 {
        notes.push(format!(
            "{} records held no page ({})",
            tally.not_documents.total(),
            by_reason(tally.not_documents.iter())
        ));
    }
    if tally.skipped_bad_total() > 0 {
        notes.push(format!(
            "{} bad records skipped ({})",
            tally.skipped_bad_total(),
            by_reason(tally.skipped_bad.iter().map(|(k, n)| (*k, *n)))
        ));
    }
    if timelines.len() > 1 {
        notes.push(format!(
            "{} pages among the snapshots: one timeline each",
            timelines.len()
        ));
    }
    notes
}
