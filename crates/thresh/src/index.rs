//! The index pipelines: check documents against everything an index has
//! seen and add them (`add`), check without adding (`query`), and describe
//! an index (`stats`). The index itself is `thresh-index`'s.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::Result;
use thresh_engine::dedup::MatchKind;
use thresh_engine::Document;
use thresh_index::{BatchSummary, DocRef, Index, Verdict};
use thresh_io::Input;

use crate::ids::UniqueIds;
use crate::progress::Progress;
use crate::read::{for_each_batch, Batching, InputOptions, ReadTally};
use crate::records::{
    round4, AddSeconds, AddSummary, IndexClusterMember, IndexClusterRecord, IndexDocument,
    IndexStats, IndexTotals, MatchParameters, QueryVerdict, THRESH_VERSION,
};

/// Documents read and matched together. The index looks a push's keys up
/// in one sorted pass over its run files, so larger pushes read fewer
/// blocks per document (on 3.5 KB documents: about 60 MB of text and
/// fingerprints in memory, whatever the size of the index). Chunks are read
/// on the caller's thread: reading ahead on a thread held a second chunk
/// (190 MB more peak memory adding 100k generated documents) for no
/// measurable gain in time.
const CHUNKS: Batching = Batching {
    size: 16_384,
    read_ahead: None,
};

/// How an add reads and commits.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    pub input: InputOptions,
    /// Commit every N documents (each commit is all or nothing); 0 commits
    /// the whole input at once, so that a failed add leaves the index as it
    /// was.
    pub commit_every: usize,
}

impl AddOptions {
    /// Chunks of [`CHUNKS`]' size, or smaller when commits come more often,
    /// so that each commit holds `commit_every` documents.
    fn chunks(&self) -> Batching {
        match self.commit_every {
            0 => CHUNKS,
            every => Batching {
                size: every.min(CHUNKS.size),
                ..CHUNKS
            },
        }
    }
}

/// Where an add's results go. Kept documents come in input order as they
/// are decided; commits as they happen; clusters at the end.
pub trait AddSink {
    fn kept(&mut self, doc: &Document) -> Result<()>;
    fn committed(&mut self, _batch: &BatchSummary) -> Result<()> {
        Ok(())
    }
    fn cluster(&mut self, record: &IndexClusterRecord) -> Result<()>;
}

/// Check `inputs` against `index` and add them; every document is handed
/// to `sink` as kept or, at the end, as a member of a cluster.
pub fn add(
    index: &Index,
    inputs: &[Input],
    options: &AddOptions,
    sink: &mut dyn AddSink,
    progress: &dyn Progress,
) -> Result<AddSummary> {
    let started = Instant::now();
    let mut tally = ReadTally::default();
    let mut counts = Decided::default();
    let mut clusters = Clusters::default();
    let mut committed = Vec::new();
    let mut batch = index.begin()?;
    let mut match_time = 0.0;
    let mut unique = UniqueIds::default();
    progress.start("adding");
    let result = for_each_batch(
        inputs,
        &options.input,
        options.chunks(),
        &mut tally,
        |docs| {
            unique.check(&docs, inputs, &options.input)?;
            let matching = Instant::now();
            let first_id = batch.next_id();
            let verdicts = index.push(&mut batch, &docs)?;
            match_time += matching.elapsed().as_secs_f64();
            for (i, (doc, verdict)) in docs.iter().zip(verdicts).enumerate() {
                counts.count(&verdict);
                match verdict {
                    Verdict::New => sink.kept(doc)?,
                    Verdict::Duplicate(m) => clusters.add(doc, first_id + i as u64, &m),
                }
            }
            progress.documents(counts.documents);
            if options.commit_every > 0 && batch.len() >= options.commit_every {
                // Later chunks match against what is committed here.
                let next = index.begin()?;
                let summary = index.commit(std::mem::replace(&mut batch, next))?;
                sink.committed(&summary)?;
                committed.push(summary);
                batch = index.begin()?;
            }
            Ok(())
        },
    );
    progress.finish();
    result?;
    if !batch.is_empty() || committed.is_empty() {
        let summary = index.commit(batch)?;
        sink.committed(&summary)?;
        committed.push(summary);
    }
    let cluster_count = clusters.groups.len();
    for record in clusters.records() {
        sink.cluster(&record)?;
    }
    let totals = index.counts()?;
    Ok(AddSummary {
        documents: counts.documents,
        kept: counts.kept,
        exact_duplicates: counts.exact,
        near_duplicates: counts.near,
        clusters: cluster_count,
        skipped_bad: tally.skipped_bad_total(),
        skipped_by_reason: tally.skipped_bad,
        batches: committed,
        index: IndexTotals {
            directory: index.dir().display().to_string(),
            documents: totals.documents,
            kept: totals.kept,
            bytes: index.bytes_on_disk(),
        },
        seconds: AddSeconds {
            matching: match_time,
            total: started.elapsed().as_secs_f64(),
        },
        parameters: index.parameters(),
        thresh_version: THRESH_VERSION,
    })
}

/// Counts of an add's or a query's decisions.
#[derive(Debug, Clone, Copy, Default)]
struct Decided {
    documents: u64,
    kept: u64,
    exact: u64,
    near: u64,
}

impl Decided {
    fn count(&mut self, verdict: &Verdict) {
        self.documents += 1;
        match verdict {
            Verdict::New => self.kept += 1,
            Verdict::Duplicate(m) => match m.kind {
                MatchKind::Exact => self.exact += 1,
                MatchKind::Near => self.near += 1,
            },
        }
    }
}

/// Clusters in the making, by the index id of their representative.
#[derive(Default)]
struct Clusters {
    groups: BTreeMap<u64, (DocRef, Vec<IndexClusterMember>)>,
}

impl Clusters {
    fn add(&mut self, doc: &Document, index_id: u64, m: &thresh_index::Match) {
        self.groups
            .entry(m.root.id)
            .or_insert_with(|| (m.root.clone(), Vec::new()))
            .1
            .push(IndexClusterMember {
                id: doc.id.clone(),
                index_id,
                similarity: round4(m.similarity),
                kind: m.kind,
                matched: IndexDocument::from(&m.matched),
            });
    }

    fn records(self) -> impl Iterator<Item = IndexClusterRecord> {
        self.groups
            .into_values()
            .enumerate()
            .map(|(number, (representative, members))| IndexClusterRecord {
                cluster: number + 1,
                representative: representative.source_id,
                representative_index_id: representative.id,
                representative_date: representative.date,
                members,
            })
    }
}

/// What a query decided, in totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueryCounts {
    pub documents: u64,
    pub new: u64,
}

/// Check `inputs` against `index` without adding them: one verdict per
/// document, in input order. Works while another process adds.
pub fn query(
    index: &Index,
    inputs: &[Input],
    options: &InputOptions,
    mut verdict_of: impl FnMut(&QueryVerdict) -> Result<()>,
) -> Result<QueryCounts> {
    let mut batch = index.begin()?;
    let mut tally = ReadTally::default();
    let mut counts = Decided::default();
    for_each_batch(inputs, options, CHUNKS, &mut tally, |docs| {
        for (doc, verdict) in docs.iter().zip(index.push(&mut batch, &docs)?) {
            counts.count(&verdict);
            verdict_of(&query_verdict(doc, &verdict))?;
        }
        Ok(())
    })?;
    Ok(QueryCounts {
        documents: counts.documents,
        new: counts.kept,
    })
}

/// Checks documents already in memory (a service's request) against
/// `index` without adding them: one verdict each, in their order, later
/// documents also matched against earlier ones of the same call, as
/// [`query`] does for a file. Works while a writer adds.
pub fn check_documents(index: &Index, documents: &[Document]) -> Result<Vec<QueryVerdict>> {
    let mut batch = index.begin()?;
    let verdicts = index.push(&mut batch, documents)?;
    Ok(query_verdicts(documents, &verdicts))
}

/// Checks documents already in memory against `index` and adds them in
/// one commit; returns their verdicts once the commit is on disk. The
/// index must be open for writing; callers serialise adds (one writer).
pub fn add_documents(
    index: &Index,
    documents: &[Document],
) -> Result<(Vec<QueryVerdict>, BatchSummary)> {
    let mut batch = index.begin()?;
    let verdicts = index.push(&mut batch, documents)?;
    let summary = index.commit(batch)?;
    Ok((query_verdicts(documents, &verdicts), summary))
}

fn query_verdicts(documents: &[Document], verdicts: &[Verdict]) -> Vec<QueryVerdict> {
    documents
        .iter()
        .zip(verdicts)
        .map(|(doc, verdict)| query_verdict(doc, verdict))
        .collect()
}

/// One document's verdict as `index query` writes it.
pub fn query_verdict(doc: &Document, verdict: &Verdict) -> QueryVerdict {
    match verdict {
        Verdict::New => QueryVerdict {
            id: doc.id.clone(),
            new: true,
            kind: None,
            similarity: None,
            matched: None,
            representative: None,
        },
        Verdict::Duplicate(m) => QueryVerdict {
            id: doc.id.clone(),
            new: false,
            kind: Some(m.kind),
            similarity: Some(round4(m.similarity)),
            matched: Some(IndexDocument::from(&m.matched)),
            representative: Some(IndexDocument::from(&m.root)),
        },
    }
}

/// An index's parameters and totals.
pub fn stats(index: &Index) -> Result<IndexStats> {
    let counts = index.counts()?;
    let bytes = index.bytes_on_disk();
    let config = index.config();
    Ok(IndexStats {
        directory: index.dir().display().to_string(),
        format_version: index.header().format_version,
        created_by: index.header().thresh_version.clone(),
        documents: counts.documents,
        kept: counts.kept,
        exact_duplicates: counts.exact_duplicates,
        near_duplicates: counts.near_duplicates,
        batches: counts.batches,
        bytes,
        bytes_per_document: bytes.checked_div(counts.documents).unwrap_or(0),
        parameters: MatchParameters::from(config),
    })
}
