//! `report.html`: a dedup run for people to look at, in one self-contained
//! file (no script, style or font from outside it; it works offline).
//!
//! [`ReportSink`] wraps the run's [`DedupSink`]: it passes every record on
//! and keeps what the page shows, the largest clusters and the first
//! removed paragraphs, so the page costs the same memory at any corpus
//! size. Removed copies are not written anywhere by dedup, so
//! [`collect_texts`] reads the inputs once more for the texts of the shown
//! clusters only, and [`render`] lays it out: the run's counts, each shown
//! cluster with every member's similarity and a side-by-side word diff
//! against its representative, the removed paragraphs with where their
//! first copy stands, and a search box that filters by id or text.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::fmt::Write as _;

use anyhow::Result;
use thresh_engine::dedup::MatchKind;
use thresh_engine::markup::{escape, side_by_side_html};
use thresh_engine::Document;

use crate::dedup::DedupSink;
use crate::read::{for_each_batch, Batching, InputOptions, ReadTally};
use crate::records::{ClusterRecord, DedupSummary, RemovedParagraphRecord, RemovedSpanRecord};
use thresh_io::Input;

/// How much of a run the page shows: enough to see what was merged and
/// why, small enough to open in a browser at any corpus size.
#[derive(Debug, Clone, Copy)]
pub struct ReportLimits {
    /// The largest clusters shown (by members; the earlier first on ties).
    pub clusters: usize,
    /// Members shown per cluster, in the cluster's order.
    pub members: usize,
    /// Removed paragraphs listed, in input order.
    pub paragraphs: usize,
    /// Characters of a document's text shown (and diffed).
    pub text_chars: usize,
}

impl Default for ReportLimits {
    fn default() -> Self {
        ReportLimits {
            clusters: 100,
            members: 20,
            paragraphs: 1_000,
            text_chars: 20_000,
        }
    }
}

/// A cluster ranked for the page: more members first, then the earlier.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Ranked {
    members: usize,
    earlier: Reverse<usize>,
    /// Where its record waits in the sink's slots.
    slot: usize,
}

/// What the page needs, gathered while the run's records go by.
#[derive(Default)]
pub struct ReportData {
    /// The shown clusters, largest first.
    pub clusters: Vec<ClusterRecord>,
    /// The first removed paragraphs, in input order.
    pub paragraphs: Vec<RemovedParagraphRecord>,
}

/// A [`DedupSink`] that passes every record to `inner` and keeps what the
/// report shows.
pub struct ReportSink<'a> {
    inner: &'a mut dyn DedupSink,
    limits: ReportLimits,
    /// The smallest shown cluster on top, to be pushed out by a larger one.
    smallest_first: BinaryHeap<Reverse<Ranked>>,
    slots: Vec<Option<ClusterRecord>>,
    paragraphs: Vec<RemovedParagraphRecord>,
}

impl<'a> ReportSink<'a> {
    pub fn new(inner: &'a mut dyn DedupSink, limits: ReportLimits) -> Self {
        ReportSink {
            inner,
            limits,
            smallest_first: BinaryHeap::new(),
            slots: Vec::new(),
            paragraphs: Vec::new(),
        }
    }

    /// The shown clusters (largest first) and paragraphs.
    pub fn into_data(self) -> ReportData {
        let mut slots = self.slots;
        let mut ranked: Vec<Ranked> = self.smallest_first.into_iter().map(|r| r.0).collect();
        ranked.sort_by(|a, b| b.cmp(a));
        let clusters = ranked
            .into_iter()
            .filter_map(|r| slots[r.slot].take())
            .collect();
        ReportData {
            clusters,
            paragraphs: self.paragraphs,
        }
    }
}

impl DedupSink for ReportSink<'_> {
    fn wants_documents(&self) -> bool {
        self.inner.wants_documents()
    }

    fn cluster(&mut self, record: &ClusterRecord) -> Result<()> {
        self.inner.cluster(record)?;
        if self.limits.clusters == 0 {
            return Ok(());
        }
        let ranked = Ranked {
            members: record.members.len(),
            earlier: Reverse(record.cluster),
            slot: self.slots.len(),
        };
        if self.smallest_first.len() == self.limits.clusters {
            let smallest = self.smallest_first.peek().expect("the heap is full");
            if ranked <= smallest.0 {
                return Ok(());
            }
            let out = self.smallest_first.pop().expect("the heap is full").0;
            self.slots[out.slot] = None;
        }
        let mut shown = record.clone();
        shown.members.truncate(self.limits.members);
        self.slots.push(Some(shown));
        self.smallest_first.push(Reverse(ranked));
        Ok(())
    }

    fn kept(&mut self, doc: &Document, new_text: Option<&str>) -> Result<()> {
        self.inner.kept(doc, new_text)
    }

    fn removed_paragraph(&mut self, record: &RemovedParagraphRecord) -> Result<()> {
        if self.paragraphs.len() < self.limits.paragraphs {
            self.paragraphs.push(record.clone());
        }
        self.inner.removed_paragraph(record)
    }

    fn removed_span(&mut self, record: &RemovedSpanRecord) -> Result<()> {
        self.inner.removed_span(record)
    }

    fn finish(&mut self) -> Result<u64> {
        self.inner.finish()
    }
}

/// The texts (first `max_chars` characters) of the documents whose ids are
/// in `wanted`, read again from `inputs`; an id that occurs twice keeps
/// its first text.
pub fn collect_texts(
    inputs: &[Input],
    options: &InputOptions,
    wanted: &HashSet<String>,
    max_chars: usize,
) -> Result<HashMap<String, String>> {
    let mut texts = HashMap::with_capacity(wanted.len());
    if wanted.is_empty() {
        return Ok(texts);
    }
    let batching = Batching {
        size: 1_000,
        read_ahead: Some(2),
    };
    let mut tally = ReadTally::default();
    for_each_batch(inputs, options, batching, &mut tally, |batch| {
        for doc in batch {
            if wanted.contains(&doc.id) && !texts.contains_key(&doc.id) {
                texts.insert(doc.id, clip(&doc.text, max_chars));
            }
        }
        Ok(())
    })?;
    Ok(texts)
}

/// The ids whose texts the page shows: each shown cluster's representative
/// and members.
pub fn wanted_ids(data: &ReportData) -> HashSet<String> {
    data.clusters
        .iter()
        .flat_map(|c| {
            std::iter::once(c.representative.clone()).chain(c.members.iter().map(|m| m.id.clone()))
        })
        .collect()
}

fn clip(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:78em;margin:1.5em auto;padding:0 1em;color:#222}\
h1{font-size:1.6em}table.counts td{padding:.1em .8em .1em 0}table.counts td:last-child{text-align:right;font-variant-numeric:tabular-nums}\
#search{width:100%;font-size:1.05em;padding:.4em;margin:.5em 0 1em;box-sizing:border-box}\
section.cluster{border-top:1px solid #ddd;margin-top:1em}details{margin:.4em 0}summary{cursor:pointer}\
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}.pair>div{white-space:pre-wrap;font:14px/1.5 Georgia,serif;background:#fafafa;padding:.4em .6em;overflow-wrap:anywhere}\
.pair h4{margin:0 0 .3em;font:600 13px system-ui,sans-serif;color:#555}\
del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}\
.sim{font-variant-numeric:tabular-nums}.note{color:#666;font-size:13px}\
table.paragraphs{border-collapse:collapse;width:100%}table.paragraphs td,table.paragraphs th{border-top:1px solid #eee;padding:.3em;vertical-align:top;text-align:left}\
[hidden]{display:none!important}";

/// Hides every `.item` whose text does not hold the search words (case
/// ignored), and says how many are shown.
const SCRIPT: &str = "const box=document.getElementById('search');\
const items=[...document.querySelectorAll('.item')];\
const count=document.getElementById('shown');\
function filter(){const q=box.value.trim().toLowerCase();let n=0;\
for(const it of items){const hit=!q||it.textContent.toLowerCase().includes(q);it.hidden=!hit;if(hit)n++;}\
count.textContent=n+' of '+items.length+' shown';}\
box.addEventListener('input',filter);filter();";

/// The report page for a run: its summary, the shown clusters with the
/// texts in `texts`, and the shown removed paragraphs.
pub fn render(
    summary: &DedupSummary,
    data: &ReportData,
    texts: &HashMap<String, String>,
) -> String {
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    out.push_str("<title>thresh dedup report</title><style>");
    out.push_str(STYLE);
    out.push_str("</style></head><body>\n<h1>thresh dedup report</h1>\n");
    render_counts(summary, &mut out);
    out.push_str(
        "<input id=\"search\" type=\"search\" placeholder=\"Search clusters and paragraphs by id or text\" \
         aria-label=\"Search\"><p class=\"note\" id=\"shown\"></p>\n",
    );
    render_clusters(summary, data, texts, &mut out);
    render_paragraphs(summary, data, &mut out);
    let _ = writeln!(out, "<script>{SCRIPT}</script>\n</body></html>");
    out
}

fn render_counts(summary: &DedupSummary, out: &mut String) {
    out.push_str("<table class=\"counts\">");
    let rows: [(&str, String); 8] = [
        ("documents read", summary.documents.to_string()),
        ("kept", summary.kept.to_string()),
        ("exact duplicates", summary.exact_duplicates.to_string()),
        ("near duplicates", summary.near_duplicates.to_string()),
        ("clusters", summary.clusters.to_string()),
        ("paragraphs removed", summary.paragraphs_removed.to_string()),
        ("spans removed", summary.spans_removed.to_string()),
        (
            "similarity threshold",
            summary.parameters.matching.threshold.to_string(),
        ),
    ];
    for (name, value) in rows {
        let _ = write!(out, "<tr><td>{name}</td><td>{}</td></tr>", escape(&value));
    }
    out.push_str("</table>\n");
}

fn render_clusters(
    summary: &DedupSummary,
    data: &ReportData,
    texts: &HashMap<String, String>,
    out: &mut String,
) {
    let _ = writeln!(
        out,
        "<h2>Largest clusters</h2><p class=\"note\">{} of {} clusters, largest first; \
         each removed copy beside the copy that was kept, words only one of them has marked.</p>",
        data.clusters.len(),
        summary.clusters
    );
    for cluster in &data.clusters {
        render_cluster(cluster, texts, out);
    }
}

fn render_cluster(cluster: &ClusterRecord, texts: &HashMap<String, String>, out: &mut String) {
    let _ = writeln!(
        out,
        "<section class=\"cluster item\" id=\"cluster-{n}\"><h3>Cluster {n}: kept <code>{rep}</code>, \
         {m} removed</h3>",
        n = cluster.cluster,
        rep = escape(&cluster.representative),
        m = cluster.members.len()
    );
    let missing = String::new();
    let kept = texts.get(&cluster.representative).unwrap_or(&missing);
    for (at, member) in cluster.members.iter().enumerate() {
        let removed = texts.get(&member.id).unwrap_or(&missing);
        let (left, right) = side_by_side_html(kept, removed);
        let _ = writeln!(
            out,
            "<details{open}><summary><code>{id}</code> <span class=\"sim\">similarity {sim:.4}</span> ({kind})</summary>\
             <div class=\"pair\"><div><h4>kept: {rep}</h4>{left}</div><div><h4>removed: {id}</h4>{right}</div></div></details>",
            open = if at == 0 { " open" } else { "" },
            id = escape(&member.id),
            sim = member.similarity,
            kind = match member.kind {
                MatchKind::Exact => "exact",
                MatchKind::Near => "near",
            },
            rep = escape(&cluster.representative),
        );
    }
    out.push_str("</section>\n");
}

fn render_paragraphs(summary: &DedupSummary, data: &ReportData, out: &mut String) {
    if data.paragraphs.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h2>Removed paragraphs</h2><p class=\"note\">the first {} of {}, in input order.</p>\
         <table class=\"paragraphs\"><tr><th>removed from</th><th>paragraph</th><th>first copy</th></tr>",
        data.paragraphs.len(),
        summary.paragraphs_removed
    );
    for p in &data.paragraphs {
        let _ = writeln!(
            out,
            "<tr class=\"item\"><td><code>{}</code> line {}</td><td>{}</td><td><code>{}</code> line {}</td></tr>",
            escape(&p.id),
            p.line,
            escape(&p.text),
            escape(&p.first.id),
            p.first.line
        );
    }
    out.push_str("</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::ClusterMember;

    /// A sink that keeps nothing: the report's own keeping is under test.
    struct Nowhere;

    impl DedupSink for Nowhere {
        fn cluster(&mut self, _: &ClusterRecord) -> Result<()> {
            Ok(())
        }
        fn kept(&mut self, _: &Document, _: Option<&str>) -> Result<()> {
            Ok(())
        }
        fn removed_paragraph(&mut self, _: &RemovedParagraphRecord) -> Result<()> {
            Ok(())
        }
        fn removed_span(&mut self, _: &RemovedSpanRecord) -> Result<()> {
            Ok(())
        }
        fn finish(&mut self) -> Result<u64> {
            Ok(0)
        }
    }

    fn cluster(number: usize, members: usize) -> ClusterRecord {
        ClusterRecord {
            cluster: number,
            representative: format!("doc-{number}"),
            members: (0..members)
                .map(|m| ClusterMember {
                    id: format!("doc-{number}-{m}"),
                    similarity: 0.9,
                    kind: MatchKind::Near,
                })
                .collect(),
        }
    }

    #[test]
    fn the_largest_clusters_are_kept_largest_first_earlier_on_ties() {
        let mut nowhere = Nowhere;
        let limits = ReportLimits {
            clusters: 3,
            members: 2,
            ..ReportLimits::default()
        };
        let mut sink = ReportSink::new(&mut nowhere, limits);
        for (number, members) in [(1, 1), (2, 5), (3, 2), (4, 2), (5, 7), (6, 1)] {
            sink.cluster(&cluster(number, members)).unwrap();
        }
        let data = sink.into_data();
        let shown: Vec<usize> = data.clusters.iter().map(|c| c.cluster).collect();
        assert_eq!(shown, [5, 2, 3]);
        assert!(data.clusters.iter().all(|c| c.members.len() <= 2));
    }

    #[test]
    fn clipping_counts_characters_not_bytes() {
        assert_eq!(clip("héllo wörld", 5), "héllo…");
        assert_eq!(clip("short", 10), "short");
    }
}
