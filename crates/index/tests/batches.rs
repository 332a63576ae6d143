//! Adding a corpus day by day decides like one `thresh dedup --keep first`
//! over the concatenation (the engine's `Deduplicator` with
//! `KeepPolicy::First` is the oracle), and like one batch.
//!
//! The one difference, by design: `dedup` clusters transitively, so a
//! document that is similar to neither earlier document but bridges to one
//! through a *later* document is removed by `dedup` and kept by the index,
//! whose decision is final when a document arrives (it has already been
//! published as new). `a_late_bridge_is_where_the_index_differs` pins that
//! case down; the property test uses corpora without late bridges (families
//! of light edits: every member is similar to every other).

use proptest::prelude::*;
use tempfile::TempDir;
use thresh_engine::cluster::KeepPolicy;
use thresh_engine::dedup::{DedupConfig, Deduplicator, MatchConfig, MatchKind, Verify};
use thresh_engine::Document;
use thresh_index::{Index, Verdict};

fn words(seed: u64, n: usize) -> Vec<String> {
    // A small LCG: families never share a 5-word run by chance.
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            format!("w{}", (state >> 33) % 20_000)
        })
        .collect()
}

/// How each document of the corpus is made.
#[derive(Debug, Clone)]
enum Make {
    /// A new story: family `f`.
    Base(u64),
    /// Family `f`'s story with word `pos` replaced (a near copy).
    Edit(u64, usize, u64),
    /// Family `f`'s story in upper case with doubled spaces (an exact copy
    /// after normalization).
    Shout(u64),
    /// No words at all.
    Wordless,
}

fn text(make: &Make) -> String {
    match make {
        Make::Base(f) => words(*f, 200).join(" "),
        Make::Edit(f, pos, with) => {
            let mut w = words(*f, 200);
            w[pos % 200] = format!("edit{with}");
            w.join(" ")
        }
        Make::Shout(f) => words(*f, 200).join("  ").to_uppercase(),
        Make::Wordless => "... !!! ...".into(),
    }
}

fn make_strategy() -> impl Strategy<Value = Make> {
    prop_oneof![
        3 => (0u64..12).prop_map(Make::Base),
        4 => (0u64..12, 0usize..200, 0u64..1000).prop_map(|(f, p, w)| Make::Edit(f, p, w)),
        1 => (0u64..12).prop_map(Make::Shout),
        1 => Just(Make::Wordless),
    ]
}

fn documents(makes: &[Make]) -> Vec<Document> {
    makes
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut doc = Document::new(format!("doc-{i}"), text(m));
            doc.date = Some(format!("2024-11-{:02}", 1 + i % 28));
            doc
        })
        .collect()
}

fn oracle(config: &MatchConfig, docs: &[Document]) -> Vec<bool> {
    let mut dedup = Deduplicator::new(DedupConfig {
        matching: config.clone(),
        keep: KeepPolicy::First,
        // The index verifies on signatures.
        verify: Verify::Signature,
    });
    dedup.add_documents(docs).unwrap();
    dedup.finish().unwrap().kept
}

/// Add `docs` cut at `cuts` (batch boundaries), each batch pushed in chunks
/// of `chunk` documents; returns the verdicts.
fn add_in_batches(
    dir: &TempDir,
    config: &MatchConfig,
    docs: &[Document],
    cuts: &[usize],
    chunk: usize,
) -> Vec<Verdict> {
    let index = Index::create(dir.path(), config).unwrap();
    let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (docs.len() + 1)).collect();
    bounds.push(0);
    bounds.push(docs.len());
    bounds.sort_unstable();
    bounds.dedup();
    let mut verdicts = Vec::new();
    for day in bounds.windows(2) {
        let mut batch = index.begin().unwrap();
        for part in docs[day[0]..day[1]].chunks(chunk.max(1)) {
            verdicts.extend(index.push(&mut batch, part).unwrap());
        }
        index.commit(batch).unwrap();
    }
    verdicts
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn daily_batches_decide_like_dedup_keep_first(
        makes in prop::collection::vec(make_strategy(), 1..60),
        cuts in prop::collection::vec(0usize..60, 0..5),
        chunk in 1usize..20,
    ) {
        let config = MatchConfig::default();
        let docs = documents(&makes);
        let dir = TempDir::new().unwrap();
        let verdicts = add_in_batches(&dir, &config, &docs, &cuts, chunk);
        let kept: Vec<bool> = verdicts.iter().map(Verdict::is_new).collect();
        prop_assert_eq!(&kept, &oracle(&config, &docs));
        // Every match names an earlier document, and exact ones really are.
        for (i, verdict) in verdicts.iter().enumerate() {
            if let Verdict::Duplicate(m) = verdict {
                prop_assert!(m.matched.id < i as u64);
                prop_assert!(m.root.id <= m.matched.id);
                prop_assert!(kept[m.root.id as usize]);
                prop_assert_eq!(&m.matched.source_id, &docs[m.matched.id as usize].id);
                if m.kind == MatchKind::Exact {
                    prop_assert_eq!(m.similarity, 1.0);
                }
            }
        }
        let mut index = Index::open(dir.path()).unwrap();
        let counts = index.check().unwrap();
        prop_assert_eq!(counts.documents, docs.len() as u64);
        prop_assert_eq!(counts.kept, kept.iter().filter(|&&k| k).count() as u64);
    }

    /// On any corpus (late bridges included), how the input is cut into
    /// batches and chunks never changes a decision.
    #[test]
    fn batching_never_changes_a_decision(
        seeds in prop::collection::vec((0u64..6, 0usize..120), 1..40),
        cuts in prop::collection::vec(0usize..40, 0..4),
        chunk in 1usize..10,
    ) {
        // Overlapping windows of one long text: chains of similar documents.
        let docs: Vec<Document> = seeds
            .iter()
            .enumerate()
            .map(|(i, &(f, start))| {
                Document::new(format!("d{i}"), words(f, 400)[start..start + 200].join(" "))
            })
            .collect();
        let config = MatchConfig::default();
        let one = add_in_batches(&TempDir::new().unwrap(), &config, &docs, &[], docs.len());
        let many = add_in_batches(&TempDir::new().unwrap(), &config, &docs, &cuts, chunk);
        prop_assert_eq!(one, many);
    }
}

#[test]
fn a_late_bridge_is_where_the_index_differs() {
    // A and B are too different (Jaccard ≈ 0.59); C, added last, is similar
    // to both (≈ 0.77).
    let long = words(99, 250);
    let a = Document::new("A", long[0..200].join(" "));
    let b = Document::new("B", long[50..250].join(" "));
    let c = Document::new("C", long[25..225].join(" "));
    let docs = [a, b, c];
    let config = MatchConfig::default();
    assert_eq!(oracle(&config, &docs), vec![true, false, false]);
    let dir = TempDir::new().unwrap();
    let verdicts = add_in_batches(&dir, &config, &docs, &[1, 2], 1);
    let kept: Vec<bool> = verdicts.iter().map(Verdict::is_new).collect();
    assert_eq!(kept, vec![true, true, false]);
}
