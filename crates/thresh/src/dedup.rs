//! The dedup pipeline: documents in, kept documents, clusters, removed
//! paragraphs and a summary out, streamed to a [`DedupSink`].
//!
//! Two streaming passes over the input, three at substring level:
//! 1. read every document, fingerprint it (in parallel, batch by batch) and
//!    keep only the fingerprints; then match and cluster
//!    ([`thresh_engine::Deduplicator`]) and hand the clusters to the sink;
//! 2. at substring level only, read the kept documents (without their
//!    repeated paragraphs) and find every repeated span
//!    ([`crate::substring`]);
//! 3. read again, and hand the sink each kept document (without its
//!    repeated paragraphs and spans) and each removed paragraph and span.
//!
//! The inputs are read more than once, so standard input must be spooled to a file
//! first ([`crate::read::resolve_inputs`] does).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use thresh_engine::dedup::{Cluster, DedupConfig, DedupOutcome, Deduplicator, Stores, Verify};
use thresh_engine::lsh::{BandKeyStore, MemoryBandKeys};
use thresh_engine::paragraph::{remove_lines, ParagraphDeduper, RemovedParagraph};
use thresh_engine::shingle_store::{MemoryShingles, ShingleStore};
use thresh_engine::Document;
use thresh_io::Input;

use crate::ids::{IdCheck, IdList, SomeIds};
use crate::progress::Progress;
use crate::read::{for_each_batch, Batching, InputOptions, ReadTally};
use crate::records::{
    round4, ClusterMember, ClusterRecord, DedupParameters, DedupSeconds, DedupSummary,
    MatchParameters, ParagraphPlace, RemovedParagraphRecord, RemovedSpanRecord, THRESH_VERSION,
};
use crate::spill::{FileBandKeys, FileFacts, FileShingles, MemoryBudget};
pub use crate::substring::SubstringOptions;
use crate::substring::{SpanCuts, SpanSearch, SubstringParameters};

/// Documents read and fingerprinted together: 2,048 is large enough to keep
/// both cores busy and small enough that a batch's text stays in
/// cache-friendly RAM, so two batches may wait for the work while the
/// reader fills a third.
const BATCHING: Batching = Batching {
    size: 2048,
    read_ahead: Some(2),
};

/// What to deduplicate. The levels run in order: documents, then the
/// paragraphs of the documents kept, then repeated spans in what is left.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Level {
    /// Whole documents: exact and near duplicates.
    #[default]
    Doc,
    /// Repeated paragraphs only.
    Paragraph,
    /// Documents first, then the paragraphs of the documents kept.
    Both,
    /// Repeated spans only (`--min-span` units or longer, anywhere in a text).
    Substring,
    /// Documents, then paragraphs, then repeated spans.
    All,
}

impl Level {
    pub fn documents(self) -> bool {
        matches!(self, Level::Doc | Level::Both | Level::All)
    }

    pub fn paragraphs(self) -> bool {
        matches!(self, Level::Paragraph | Level::Both | Level::All)
    }

    pub fn substrings(self) -> bool {
        matches!(self, Level::Substring | Level::All)
    }
}

/// Everything a dedup run needs besides its inputs.
#[derive(Debug, Clone, Default)]
pub struct DedupOptions {
    pub input: InputOptions,
    /// Matching and policy for whole documents.
    pub config: DedupConfig,
    pub level: Level,
    /// At paragraph level, paragraphs shorter than this many words stay.
    pub min_paragraph_words: usize,
    /// At substring level: what counts as a repeated span.
    pub substring: SubstringOptions,
    /// Where what a run keeps of every document waits: exact
    /// verification's shingles (about 4 bytes a word) in a temporary file
    /// in this directory, and the band keys, facts and ids in memory up to
    /// `memory`, in temporary files beyond it. All in memory when `None`.
    pub temp_dir: Option<PathBuf>,
    /// What the stores may hold in memory before they move to `temp_dir`.
    pub memory: MemoryBudget,
}

/// Where a dedup run's results go, record by record. Clusters come first
/// (after pass one), then kept documents and removed paragraphs in input
/// order (pass two), then [`DedupSink::finish`].
pub trait DedupSink {
    /// Whether kept documents are wanted at all (`false` for a dry run):
    /// at document level the second pass is then skipped.
    fn wants_documents(&self) -> bool {
        true
    }
    fn cluster(&mut self, record: &ClusterRecord) -> Result<()>;
    /// A kept document; `new_text` is its text without removed paragraphs
    /// and spans, when any were removed.
    fn kept(&mut self, doc: &Document, new_text: Option<&str>) -> Result<()>;
    fn removed_paragraph(&mut self, record: &RemovedParagraphRecord) -> Result<()>;
    fn removed_span(&mut self, record: &RemovedSpanRecord) -> Result<()>;
    /// Every record is in; returns the bytes of kept documents written.
    fn finish(&mut self) -> Result<u64>;
}

/// Run dedup over `inputs`, streaming results into `sink`.
pub fn dedup(
    inputs: &[Input],
    options: &DedupOptions,
    sink: &mut dyn DedupSink,
    progress: &dyn Progress,
) -> Result<DedupSummary> {
    let started = Instant::now();
    let mut tally = ReadTally::default();
    let mut ids = IdList::default();
    let (outcome, bytes_in) = first_pass(inputs, options, &mut ids, &mut tally, progress)
        .map_err(|error| with_room_needed(error, inputs, options))?;
    let cluster_ids = ids
        .of(clustered_documents(&outcome))
        .context("cannot read back the temporary file of document ids")?;
    for (number, cluster) in outcome.clusters.iter().enumerate() {
        sink.cluster(&cluster_record(number + 1, cluster, &cluster_ids))?;
    }
    drop(cluster_ids);
    let finding = Instant::now();
    let mut spans = match options.level.substrings() {
        true => Some(find_spans(inputs, options, &outcome, progress)?),
        false => None,
    };
    let span_time = finding.elapsed();
    let mut removed = RemovedTally::default();
    let mut write_time = Duration::ZERO;
    if sink.wants_documents() || options.level.paragraphs() || spans.is_some() {
        let writing = Instant::now();
        removed = write_pass(
            inputs,
            options,
            &outcome,
            &ids,
            spans.as_mut(),
            sink,
            progress,
        )?;
        write_time = writing.elapsed();
    }
    let bytes_out = sink.finish()?;
    let seconds = DedupSeconds {
        read: tally.read_time.as_secs_f64(),
        fingerprint: outcome.times.fingerprint.as_secs_f64(),
        candidates: outcome.times.candidates.as_secs_f64(),
        verify: outcome.times.verify.as_secs_f64(),
        cluster: outcome.times.cluster.as_secs_f64(),
        spans: span_time.as_secs_f64(),
        write: write_time.as_secs_f64(),
        total: started.elapsed().as_secs_f64(),
    };
    Ok(DedupSummary {
        documents: ids.len(),
        kept: outcome.kept_count(),
        exact_duplicates: outcome.exact_duplicates,
        near_duplicates: outcome.near_duplicates,
        clusters: outcome.clusters.len(),
        skipped_bad: tally.skipped_bad_total(),
        not_documents: tally.not_documents.total(),
        not_documents_by_reason: tally.not_documents_by_reason(),
        skipped_by_reason: tally.skipped_bad,
        paragraphs_removed: removed.paragraphs,
        spans_removed: removed.spans,
        span_bytes_removed: removed.span_bytes,
        documents_emptied: removed.documents_emptied,
        candidate_pairs: outcome.candidate_pairs,
        verified_pairs: outcome.verified_pairs,
        bytes_in,
        bytes_out,
        seconds,
        parameters: parameters(options),
        thresh_version: THRESH_VERSION,
    })
}

/// What the temporary files take, per byte of input text: shingles at 4
/// bytes a word (about 6 bytes of text), band keys, facts and ids beside
/// them (measured: 2.6 GB for the 3.5 GB of generated 1M).
const TEMPORARY_BYTES_PER_INPUT_BYTE: f64 = 0.75;

/// `error`, when it is a disk without room for the temporary files, with
/// how much room these inputs need.
fn with_room_needed(
    error: anyhow::Error,
    inputs: &[Input],
    options: &DedupOptions,
) -> anyhow::Error {
    let out_of_room = error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::StorageFull)
    });
    let Some(dir) = options.temp_dir.as_ref().filter(|_| out_of_room) else {
        return error;
    };
    let input_bytes: u64 = inputs
        .iter()
        .filter_map(|input| input.path())
        .filter_map(|path| std::fs::metadata(path).ok())
        .map(|metadata| metadata.len())
        .sum();
    let needed = input_bytes as f64 * TEMPORARY_BYTES_PER_INPUT_BYTE;
    error.context(format!(
        "{}: the temporary files of this run need about {:.1} MB ({} % of the {:.1} MB \
         of input files; more for compressed ones); give --tmp-dir a directory with that room",
        dir.display(),
        needed / 1e6,
        (TEMPORARY_BYTES_PER_INPUT_BYTE * 100.0) as u32,
        input_bytes as f64 / 1e6
    ))
}

/// Read and fingerprint every document; match and cluster. Returns the
/// outcome and the bytes of text read; fills `ids` in input order.
fn first_pass(
    inputs: &[Input],
    options: &DedupOptions,
    ids: &mut IdList,
    tally: &mut ReadTally,
    progress: &dyn Progress,
) -> Result<(DedupOutcome, u64)> {
    progress.start("fingerprinting");
    let mut fingerprints = Fingerprints::new(options)?;
    let mut unique = match &options.temp_dir {
        Some(dir) => IdCheck::within(dir, options.memory.share()),
        None => IdCheck::in_memory(),
    };
    // Fingerprinting never writes a record back: no copy of each is kept.
    let mut fingerprinting = options.input.clone();
    fingerprinting.read.keep_records = false;
    let result = for_each_batch(inputs, &fingerprinting, BATCHING, tally, |batch| {
        unique
            .record(&batch)
            .context("cannot write the temporary file of document ids")?;
        fingerprints.add_documents(&batch)?;
        progress.documents(fingerprints.len() as u64);
        Ok(())
    });
    progress.finish();
    result?;
    unique.finish(inputs, &options.input)?;
    let matched = fingerprints.finish()?;
    *ids = matched.ids;
    Ok((matched.outcome, matched.bytes_in))
}

/// Pass one of [`dedup`] without the reading: documents handed in batch by
/// batch (by the command line's reader, or by a front end that holds them,
/// such as the Python package's Arrow batches), fingerprinted as they come
/// and matched and clustered at the end. Ids are not checked for
/// uniqueness here: the caller knows where each came from, and says so.
pub struct Fingerprints {
    /// `None` at paragraph level, where every document is kept.
    dedup: Option<Deduplicator>,
    ids: IdList,
    bytes_in: u64,
    lsh: thresh_engine::lsh::LshParams,
}

/// What pass one found: which documents are kept, the clusters, and every
/// document's id in input order.
pub struct Matched {
    pub outcome: DedupOutcome,
    pub ids: IdList,
    /// Bytes of text fingerprinted.
    pub bytes_in: u64,
}

impl Fingerprints {
    /// Checks the matching options; band keys (and shingles for exact
    /// verification) go to temporary files in `options.temp_dir` when given.
    pub fn new(options: &DedupOptions) -> Result<Self> {
        if let Err(message) = options.config.matching.validate() {
            bail!("{message}");
        }
        let dedup = match options.level.documents() {
            true => Some(deduplicator(options)?),
            false => None,
        };
        let ids = match &options.temp_dir {
            Some(dir) => IdList::within(dir, options.memory.share()),
            None => IdList::default(),
        };
        Ok(Fingerprints {
            dedup,
            ids,
            bytes_in: 0,
            lsh: options.config.lsh_params(),
        })
    }

    /// Documents read so far.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn add_documents(&mut self, batch: &[Document]) -> Result<()> {
        let ids: Vec<&str> = batch.iter().map(|d| d.id.as_str()).collect();
        let texts: Vec<&str> = batch.iter().map(|d| d.text.as_str()).collect();
        let dates: Vec<Option<&str>> = batch.iter().map(|d| d.date.as_deref()).collect();
        self.add(&ids, &texts, &dates)
    }

    /// A batch given as parallel slices of ids, texts and dates (the same
    /// length); the documents take the next indices in input order.
    pub fn add(&mut self, ids: &[&str], texts: &[&str], dates: &[Option<&str>]) -> Result<()> {
        if ids.len() != texts.len() || texts.len() != dates.len() {
            bail!(
                "a batch needs as many ids, texts and dates ({}, {}, {})",
                ids.len(),
                texts.len(),
                dates.len()
            );
        }
        self.bytes_in += texts.iter().map(|t| t.len() as u64).sum::<u64>();
        if let Some(dedup) = self.dedup.as_mut() {
            dedup
                .add_texts(texts, dates)
                .context("cannot write the temporary files of matching")?;
        }
        for id in ids {
            self.ids
                .push(id)
                .context("cannot write the temporary file of document ids")?;
        }
        Ok(())
    }

    /// Match, verify and cluster everything added.
    pub fn finish(mut self) -> Result<Matched> {
        self.ids
            .seal()
            .context("cannot write the temporary file of document ids")?;
        let outcome = match self.dedup {
            Some(dedup) => dedup
                .finish()
                .context("matching failed reading back its temporary files")?,
            None => DedupOutcome::keep_all(self.ids.len(), self.lsh),
        };
        Ok(Matched {
            outcome,
            ids: self.ids,
            bytes_in: self.bytes_in,
        })
    }
}

/// What became of one document, for front ends that annotate their input
/// rows instead of writing clusters (the Python package's extra columns).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocumentFate {
    /// The document's cluster, numbered from 1 as in the clusters' records;
    /// `None` for a document that has no duplicate.
    pub cluster: Option<u32>,
    /// The index of the cluster's representative, for a removed document.
    pub duplicate_of: Option<u32>,
    /// Similarity to the representative, for a removed document (rounded
    /// as in the clusters' records).
    pub similarity: Option<f64>,
    pub kept: bool,
}

/// Every document's fate, in input order.
pub fn fates(outcome: &DedupOutcome) -> Vec<DocumentFate> {
    let mut fates: Vec<DocumentFate> = outcome
        .kept
        .iter()
        .map(|&kept| DocumentFate {
            cluster: None,
            duplicate_of: None,
            similarity: None,
            kept,
        })
        .collect();
    for (number, cluster) in outcome.clusters.iter().enumerate() {
        let number = number as u32 + 1;
        fates[cluster.representative as usize].cluster = Some(number);
        for member in &cluster.members {
            let fate = &mut fates[member.doc as usize];
            fate.cluster = Some(number);
            fate.duplicate_of = Some(cluster.representative);
            fate.similarity = Some(round4(member.similarity));
        }
    }
    fates
}

/// The engine's deduplicator. With a directory, shingles for exact
/// verification go to a temporary file there, and band keys and facts
/// to temporary files once they pass their share of the memory budget.
fn deduplicator(options: &DedupOptions) -> Result<Deduplicator> {
    let config = options.config.clone();
    let Some(dir) = options.temp_dir.as_ref() else {
        return Ok(Deduplicator::new(config));
    };
    let share = options.memory.share();
    // With near duplicates off no shingle or band key is kept: no file
    // is made for them.
    let near = config.matching.near_duplicates;
    let shingles: Box<dyn ShingleStore> = match (near, config.verify) {
        (true, Verify::Exact) => Box::new(FileShingles::create_in(dir, share)?),
        _ => Box::new(MemoryShingles::default()),
    };
    let band_keys: Box<dyn BandKeyStore> = match near {
        true => Box::new(FileBandKeys::create_in(dir, share)?),
        false => Box::new(MemoryBandKeys::default()),
    };
    let stores = Stores {
        shingles,
        band_keys,
        facts: Box::new(FileFacts::new(dir, share)),
    };
    Ok(Deduplicator::with_stores(config, stores))
}

/// Every document of a cluster, sorted.
fn clustered_documents(outcome: &DedupOutcome) -> Vec<u32> {
    let mut docs: Vec<u32> = outcome
        .clusters
        .iter()
        .flat_map(|c| std::iter::once(c.representative).chain(c.members.iter().map(|m| m.doc)))
        .collect();
    docs.sort_unstable();
    docs
}

/// Cluster `number` (from 1) as a record, with document ids.
fn cluster_record(number: usize, cluster: &Cluster, ids: &SomeIds) -> ClusterRecord {
    ClusterRecord {
        cluster: number,
        representative: ids.get(cluster.representative).to_owned(),
        members: cluster
            .members
            .iter()
            .map(|m| ClusterMember {
                id: ids.get(m.doc).to_owned(),
                similarity: round4(m.similarity),
                kind: m.kind,
            })
            .collect(),
    }
}

/// What the paragraph and substring levels removed.
#[derive(Default)]
struct RemovedTally {
    paragraphs: usize,
    spans: usize,
    span_bytes: u64,
    documents_emptied: usize,
}

/// A document the document level kept, and what the paragraph level
/// removed from it.
struct KeptDocument {
    /// The document's index in input order.
    index: usize,
    doc: Document,
    paragraphs: Vec<RemovedParagraph>,
    /// The text without those paragraphs, when any were removed.
    new_text: Option<String>,
}

impl KeptDocument {
    fn text(&self) -> &str {
        self.new_text.as_deref().unwrap_or(&self.doc.text)
    }
}

/// Read the input again; hand `visit` each batch of kept documents, with
/// their repeated paragraphs removed at paragraph level. The paragraph
/// level decides in input order, so every pass decides the same.
fn kept_documents(
    inputs: &[Input],
    options: &DedupOptions,
    outcome: &DedupOutcome,
    stage: &'static str,
    progress: &dyn Progress,
    mut visit: impl FnMut(Vec<KeptDocument>) -> Result<()>,
) -> Result<()> {
    let mut paragraphs = ParagraphDeduper::new(
        options.config.matching.normalize,
        options.min_paragraph_words,
    );
    let mut next_doc = 0usize;
    // Pass one already counted what reading skips.
    let mut read_again = ReadTally::default();
    progress.start(stage);
    let result = for_each_batch(inputs, &options.input, BATCHING, &mut read_again, |batch| {
        let first = next_doc;
        next_doc += batch.len();
        if next_doc > outcome.kept.len() {
            bail!("the input changed while thresh was reading it");
        }
        let kept: Vec<(usize, Document)> = batch
            .into_iter()
            .enumerate()
            .map(|(i, doc)| (first + i, doc))
            .filter(|(index, _)| outcome.kept[*index])
            .collect();
        let hashed: Vec<_> = match options.level.paragraphs() {
            true => kept
                .par_iter()
                .map(|(_, doc)| paragraphs.hash(&doc.text))
                .collect(),
            false => Vec::new(),
        };
        let mut documents = Vec::with_capacity(kept.len());
        for (slot, (index, doc)) in kept.into_iter().enumerate() {
            let removed = match hashed.get(slot) {
                Some(hashed) => paragraphs.decide(index as u32, hashed),
                None => Vec::new(),
            };
            let new_text = (!removed.is_empty()).then(|| {
                let lines: Vec<u32> = removed.iter().map(|r| r.line).collect();
                remove_lines(&doc.text, &lines)
            });
            documents.push(KeptDocument {
                index,
                doc,
                paragraphs: removed,
                new_text,
            });
        }
        visit(documents)?;
        progress.documents(next_doc as u64);
        Ok(())
    });
    progress.finish();
    result
}

/// A pass over the kept documents that finds every repeated span in what
/// the levels before left of them.
fn find_spans(
    inputs: &[Input],
    options: &DedupOptions,
    outcome: &DedupOutcome,
    progress: &dyn Progress,
) -> Result<SpanCuts> {
    let mut search = SpanSearch::sharded(
        options.substring.config,
        options.substring.shards,
        options.temp_dir.as_deref(),
    )?;
    kept_documents(
        inputs,
        options,
        outcome,
        "reading spans",
        progress,
        |batch| {
            let texts: Vec<(usize, &str)> = batch.iter().map(|k| (k.index, k.text())).collect();
            search.add(&texts)
        },
    )?;
    progress.start("finding repeated spans");
    let cuts = search.finish(options.substring, options.memory.bytes());
    progress.finish();
    cuts
}

/// Read the input again; hand the sink each kept document, minus repeated
/// paragraphs and spans, and each removed paragraph and span.
fn write_pass(
    inputs: &[Input],
    options: &DedupOptions,
    outcome: &DedupOutcome,
    ids: &IdList,
    mut spans: Option<&mut SpanCuts>,
    sink: &mut dyn DedupSink,
    progress: &dyn Progress,
) -> Result<RemovedTally> {
    let mut tally = RemovedTally::default();
    kept_documents(inputs, options, outcome, "writing", progress, |batch| {
        for mut kept in batch {
            if !kept.paragraphs.is_empty() {
                tally.paragraphs += kept.paragraphs.len();
                // The records split the text into lines: only for the
                // documents that lost a paragraph.
                for record in removed_records(&kept.doc, &kept.paragraphs, ids)? {
                    sink.removed_paragraph(&record)?;
                }
            }
            if let Some(spans) = spans.as_deref_mut() {
                let cut = spans.cut(kept.index, &kept.doc.id, kept.text(), ids)?;
                if let Some(cut) = cut {
                    tally.spans += cut.records.len();
                    for record in &cut.records {
                        tally.span_bytes += (record.end - record.start) as u64;
                        sink.removed_span(record)?;
                    }
                    if !options.substring.keep_spans {
                        kept.new_text = Some(cut.text);
                    }
                }
            }
            let emptied = kept
                .new_text
                .as_deref()
                .is_some_and(|t| t.trim().is_empty());
            tally.documents_emptied += usize::from(emptied);
            sink.kept(&kept.doc, kept.new_text.as_deref())?;
        }
        Ok(())
    })?;
    Ok(tally)
}

/// The removed paragraphs of `doc` as records, with the text each had.
fn removed_records(
    doc: &Document,
    removed: &[RemovedParagraph],
    ids: &IdList,
) -> Result<Vec<RemovedParagraphRecord>> {
    let lines: Vec<&str> = doc.text.lines().collect();
    removed
        .iter()
        .map(|r| {
            Ok(RemovedParagraphRecord {
                id: doc.id.clone(),
                line: r.line + 1,
                paragraph: r.paragraph + 1,
                text: lines
                    .get(r.line as usize)
                    .map(|l| l.trim())
                    .unwrap_or("")
                    .to_string(),
                first: ParagraphPlace {
                    id: ids.get(r.first.doc as usize)?,
                    line: r.first.line + 1,
                    paragraph: r.first.paragraph + 1,
                },
            })
        })
        .collect()
}

fn parameters(options: &DedupOptions) -> DedupParameters {
    let lsh = options.config.lsh_params();
    DedupParameters {
        level: options.level,
        matching: MatchParameters {
            bands: lsh.bands,
            rows: lsh.rows,
            ..MatchParameters::from(&options.config.matching)
        },
        verify: options.config.verify,
        keep: options.config.keep,
        min_paragraph_words: options.min_paragraph_words,
        substring: options
            .level
            .substrings()
            .then(|| SubstringParameters::from(&options.substring)),
    }
}
