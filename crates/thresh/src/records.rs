//! The records thresh writes: one typed struct per kind of output line or
//! summary, defined once for every front end (CLI files, Python, service).
//!
//! Every JSON output of thresh lists an object's keys in sorted order (as a
//! `serde_json::Value` map does); [`json_line`] and [`json_pretty`] keep
//! that rule for every record, whatever the order of a struct's fields.

use std::collections::BTreeMap;

use serde::Serialize;
use thresh_engine::dedup::MatchKind;
use thresh_engine::normalize::NormalizeOptions;
use thresh_engine::MatchConfig;
use thresh_index::{BatchSummary, DocRef};

/// A record as one line of JSON, keys sorted.
pub fn json_line<T: Serialize>(record: &T) -> serde_json::Result<String> {
    serde_json::to_value(record).map(|value| value.to_string())
}

/// A record as indented JSON, keys sorted (summaries, stats).
pub fn json_pretty<T: Serialize>(record: &T) -> serde_json::Result<String> {
    serde_json::to_value(record).and_then(|value| serde_json::to_string_pretty(&value))
}

/// Similarities are reported with four decimals.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The version of thresh that wrote a record.
pub const THRESH_VERSION: &str = env!("CARGO_PKG_VERSION");

// ------------------------------------------------------------------ dedup

/// One line of `clusters.jsonl`: a kept representative and the removed
/// copies that matched it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterRecord {
    /// 1-based cluster number, in order of the clusters' first members.
    pub cluster: usize,
    pub representative: String,
    pub members: Vec<ClusterMember>,
}

/// A removed copy and how close it is to its representative.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClusterMember {
    pub id: String,
    /// Jaccard similarity to the representative, four decimals.
    pub similarity: f64,
    pub kind: MatchKind,
}

/// One line of `removed_paragraphs.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemovedParagraphRecord {
    /// The document the paragraph was removed from.
    pub id: String,
    /// 1-based line within the document's text.
    pub line: u32,
    /// 1-based paragraph (non-blank line) number.
    pub paragraph: u32,
    pub text: String,
    /// Where the paragraph's first copy stands.
    pub first: ParagraphPlace,
}

/// A paragraph's place: document, line and paragraph, 1-based.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParagraphPlace {
    pub id: String,
    pub line: u32,
    pub paragraph: u32,
}

/// One line of `removed_spans.jsonl`: a span cut from a kept document
/// because the same units stand earlier in the corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemovedSpanRecord {
    /// The document the span was removed from.
    pub id: String,
    /// Byte range in the document's text (after the document and paragraph
    /// levels): `start` included, `end` excluded.
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Where the same units stand earlier.
    pub first: SpanPlace,
}

/// A span's place: document and byte range in its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpanPlace {
    pub id: String,
    pub start: usize,
    pub end: usize,
}

/// `summary.json` of a dedup run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DedupSummary {
    pub documents: usize,
    pub kept: usize,
    pub exact_duplicates: usize,
    pub near_duplicates: usize,
    pub clusters: usize,
    pub skipped_bad: usize,
    pub skipped_by_reason: BTreeMap<&'static str, usize>,
    /// Records that were well-formed but held no document (WARC requests,
    /// non-HTML responses, pages without article text).
    pub not_documents: u64,
    pub not_documents_by_reason: BTreeMap<&'static str, u64>,
    pub paragraphs_removed: usize,
    /// Spans removed at substring level (found, with `keep_spans`).
    pub spans_removed: usize,
    /// Bytes of text those spans held.
    pub span_bytes_removed: u64,
    /// Kept documents left with no text by the paragraph and substring levels.
    pub documents_emptied: usize,
    pub candidate_pairs: usize,
    pub verified_pairs: usize,
    pub bytes_in: u64,
    /// Bytes of kept documents written (0 when nothing was written).
    pub bytes_out: u64,
    pub seconds: DedupSeconds,
    pub parameters: DedupParameters,
    pub thresh_version: &'static str,
}

/// Wall-clock seconds per stage of a dedup run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DedupSeconds {
    pub read: f64,
    pub fingerprint: f64,
    pub candidates: f64,
    pub verify: f64,
    pub cluster: f64,
    /// Finding repeated spans: reading the kept documents again, the
    /// suffix array and its scan (0 below substring level).
    pub spans: f64,
    pub write: f64,
    pub total: f64,
}

/// Every parameter a dedup run used, with the banding in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DedupParameters {
    pub level: crate::dedup::Level,
    #[serde(flatten)]
    pub matching: MatchParameters,
    pub verify: thresh_engine::dedup::Verify,
    pub keep: thresh_engine::cluster::KeepPolicy,
    pub min_paragraph_words: usize,
    /// At substring level: the unit, the shortest span, whether spans stay.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub substring: Option<crate::substring::SubstringParameters>,
}

/// A matching configuration as reported: the banding resolved to bands
/// and rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchParameters {
    pub normalize: NormalizeOptions,
    pub ngram: usize,
    pub num_perm: usize,
    pub threshold: f64,
    pub bands: usize,
    pub rows: usize,
    pub minhash: thresh_engine::minhash::MinHashScheme,
    pub near_duplicates: bool,
    pub seed: u64,
}

impl From<&MatchConfig> for MatchParameters {
    fn from(config: &MatchConfig) -> Self {
        let lsh = config.lsh_params();
        MatchParameters {
            normalize: config.normalize,
            ngram: config.ngram,
            num_perm: config.num_perm,
            threshold: config.threshold,
            bands: lsh.bands,
            rows: lsh.rows,
            minhash: config.scheme,
            near_duplicates: config.near_duplicates,
            seed: config.seed,
        }
    }
}

// ------------------------------------------------------------------ index

/// A document of the index as records name it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexDocument {
    /// The id the document had in its input.
    pub id: String,
    /// Its stable id in the index.
    pub index_id: u64,
    pub date: Option<String>,
}

impl From<&DocRef> for IndexDocument {
    fn from(doc: &DocRef) -> Self {
        IndexDocument {
            id: doc.source_id.clone(),
            index_id: doc.id,
            date: doc.date.clone(),
        }
    }
}

/// One line of an index add's `clusters.jsonl`: a kept document (of this
/// add or an earlier one) and this add's duplicates that lead back to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexClusterRecord {
    pub cluster: usize,
    pub representative: String,
    pub representative_index_id: u64,
    pub representative_date: Option<String>,
    pub members: Vec<IndexClusterMember>,
}

/// A duplicate found by an add, with the earlier document it matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexClusterMember {
    pub id: String,
    pub index_id: u64,
    pub similarity: f64,
    pub kind: MatchKind,
    pub matched: IndexDocument,
}

/// One line of `thresh index query`: is the document new, and if not,
/// what did it match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryVerdict {
    pub id: String,
    pub new: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<MatchKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<f64>,
    /// The earlier document it matched (the earliest such one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<IndexDocument>,
    /// The kept document that `matched` leads back to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub representative: Option<IndexDocument>,
}

/// `summary.json` of an index add.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AddSummary {
    pub documents: u64,
    pub kept: u64,
    pub exact_duplicates: u64,
    pub near_duplicates: u64,
    pub clusters: usize,
    pub skipped_bad: usize,
    pub skipped_by_reason: BTreeMap<&'static str, usize>,
    /// The batches this add committed, in order.
    pub batches: Vec<BatchSummary>,
    pub index: IndexTotals,
    pub seconds: AddSeconds,
    /// The index's matching configuration with its fixed policy (see
    /// `Index::parameters`).
    pub parameters: thresh_engine::DedupConfig,
    pub thresh_version: &'static str,
}

/// The index after an add.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexTotals {
    pub directory: String,
    pub documents: u64,
    pub kept: u64,
    pub bytes: u64,
}

/// Wall-clock seconds of an index add.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct AddSeconds {
    /// Matching against the index (reading excluded).
    #[serde(rename = "match")]
    pub matching: f64,
    pub total: f64,
}

/// `thresh index stats`: an index's parameters and totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexStats {
    pub directory: String,
    pub format_version: u32,
    /// The thresh version that created the index.
    pub created_by: String,
    pub documents: u64,
    pub kept: u64,
    pub exact_duplicates: u64,
    pub near_duplicates: u64,
    pub batches: u64,
    pub bytes: u64,
    pub bytes_per_document: u64,
    pub parameters: MatchParameters,
}

// ---------------------------------------------------------------- extract

/// One line of `thresh extract`'s output. Unlike the other records its
/// keys keep this order (id first, text last), the order people read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtractRecord<'a> {
    pub id: &'a str,
    pub url: Option<&'a str>,
    pub date: Option<&'a str>,
    pub title: Option<&'a str>,
    pub byline: Option<String>,
    pub text: &'a str,
}
