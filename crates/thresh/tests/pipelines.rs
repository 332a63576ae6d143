//! The library's pipelines as another front end would call them: records
//! kept in memory instead of files, and the same answers as the files the
//! CLI writes.

use std::path::{Path, PathBuf};

use anyhow::Result;
use thresh::dedup::{dedup, DedupOptions, DedupSink, Level};
use thresh::index::{add, query, AddOptions, AddSink};
use thresh::output::{DedupDir, OutputDir, CLUSTERS};
use thresh::progress::Silent;
use thresh::read::{resolve_inputs, InputOptions};
use thresh::records::{
    json_line, ClusterRecord, DedupSummary, IndexClusterRecord, RemovedParagraphRecord,
    RemovedSpanRecord,
};
use thresh::spill::MemoryBudget;
use thresh::substring::SubstringOptions;
use thresh::timeline::timeline;
use thresh_engine::cluster::KeepPolicy;
use thresh_engine::dedup::{DedupConfig, Verify};
use thresh_engine::normalize::{for_each_token, Normalizer};
use thresh_engine::substring::{SubstringConfig, Unit};
use thresh_engine::timeline::{build_timelines, render, TimelineOptions};
use thresh_engine::{Document, MatchConfig};
use thresh_index::Index;
use thresh_io::Input;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// Every record a dedup run hands its sink.
#[derive(Default)]
struct Collected {
    clusters: Vec<ClusterRecord>,
    kept: Vec<(String, String)>,
    removed: Vec<RemovedParagraphRecord>,
    spans: Vec<RemovedSpanRecord>,
    finished: bool,
}

impl DedupSink for Collected {
    fn cluster(&mut self, record: &ClusterRecord) -> Result<()> {
        self.clusters.push(record.clone());
        Ok(())
    }

    fn kept(&mut self, doc: &Document, new_text: Option<&str>) -> Result<()> {
        let text = new_text.unwrap_or(&doc.text).to_string();
        self.kept.push((doc.id.clone(), text));
        Ok(())
    }

    fn removed_paragraph(&mut self, record: &RemovedParagraphRecord) -> Result<()> {
        self.removed.push(record.clone());
        Ok(())
    }

    fn removed_span(&mut self, record: &RemovedSpanRecord) -> Result<()> {
        self.spans.push(record.clone());
        Ok(())
    }

    fn finish(&mut self) -> Result<u64> {
        self.finished = true;
        Ok(0)
    }
}

#[test]
fn dedup_in_memory_gives_the_records_the_output_directory_holds() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = resolve_inputs(&[examples()], dir.path()).unwrap();
    let options = DedupOptions {
        level: Level::Both,
        ..DedupOptions::default()
    };

    let mut memory = Collected::default();
    let summary = dedup(&inputs, &options, &mut memory, &Silent).unwrap();
    assert!(memory.finished);
    assert_eq!(summary.documents, 3);
    // The seeds repeat paragraphs across crawls and within one page.
    assert!(!memory.removed.is_empty());
    assert_eq!(summary.paragraphs_removed, memory.removed.len());
    // Nothing is lost: every document is kept or a member of a cluster.
    let members: usize = memory.clusters.iter().map(|c| c.members.len()).sum();
    assert_eq!(memory.kept.len() + members, summary.documents);

    let out = dir.path().join("out");
    let mut out_dir = OutputDir::prepare(&out, false).unwrap();
    let mut files = DedupDir::create(
        &mut out_dir,
        Default::default(),
        Default::default(),
        options.level,
        false,
    )
    .unwrap();
    let from_files = dedup(&inputs, &options, &mut files, &Silent).unwrap();
    out_dir.finish(&from_files).unwrap();
    assert_eq!(from_files.kept, summary.kept);
    assert!(from_files.bytes_out > 0);
    let written = std::fs::read_to_string(out.join(CLUSTERS)).unwrap();
    let expected: String = memory
        .clusters
        .iter()
        .map(|c| json_line(c).unwrap() + "\n")
        .collect();
    assert_eq!(written, expected);
}

/// A JSONL corpus of `stories` stories of 60 words, each followed by an
/// edited copy: one word changed in every third story (Jaccard 0.84), two
/// in the others (0.70, at the threshold).
fn edited_corpus(path: &Path, stories: usize) {
    let mut lines = String::new();
    for story in 0..stories {
        let words: Vec<String> = (0..60).map(|w| format!("s{story}w{w}")).collect();
        let text = words.join(" ");
        let mut copy = words.clone();
        let edits: &[usize] = if story % 3 == 0 { &[30] } else { &[10, 40] };
        for &w in edits {
            copy[w] = format!("edit{story}");
        }
        lines += &format!(
            "{}\n",
            serde_json::json!({"id": format!("s{story}"), "text": text})
        );
        lines += &format!(
            "{}\n",
            serde_json::json!({"id": format!("c{story}"), "text": copy.join(" ")})
        );
    }
    std::fs::write(path, lines).unwrap();
}

/// Band keys and shingles kept in temporary files (as the CLI runs) give
/// the clusters and kept documents they give in memory, over several
/// batches, for both ways of verifying; and so does a memory budget so
/// small that every store spills (band columns sorted in parts, exact
/// copies grouped by the external sort, ids and facts read back from
/// files). Exact copies, a date on some documents and the longest-copy
/// policy make the facts matter.
#[test]
fn spilled_stores_equal_memory() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus.jsonl");
    edited_corpus(&corpus, 1500);
    let mut lines = std::fs::read_to_string(&corpus).unwrap();
    for copy in 0..300 {
        let story = copy * 5 % 1500;
        lines += &format!(
            "{}\n",
            serde_json::json!({
                "id": format!("again{copy}"),
                "date": format!("2024-01-{:02}", copy % 28 + 1),
                "text": exact_copy_text(&lines, story),
            })
        );
    }
    std::fs::write(&corpus, lines).unwrap();
    let inputs = resolve_inputs(&[corpus], &dir.path().join("out")).unwrap();
    for (verify, keep) in [
        (Verify::Exact, KeepPolicy::Earliest),
        (Verify::Exact, KeepPolicy::Longest),
        (Verify::Signature, KeepPolicy::Latest),
    ] {
        let run = |temp_dir: Option<PathBuf>, memory: MemoryBudget| {
            let options = DedupOptions {
                config: DedupConfig {
                    verify,
                    keep,
                    ..DedupConfig::default()
                },
                temp_dir,
                memory,
                ..DedupOptions::default()
            };
            let mut sink = Collected::default();
            dedup(&inputs, &options, &mut sink, &Silent).unwrap();
            (sink.clusters, sink.kept)
        };
        let in_memory = run(None, MemoryBudget::default());
        assert!(
            in_memory.0.len() >= 500,
            "{verify:?}: {} clusters",
            in_memory.0.len()
        );
        let temp_dir = Some(dir.path().to_path_buf());
        for memory in [MemoryBudget::default(), MemoryBudget::new(64)] {
            let spilled = run(temp_dir.clone(), memory);
            assert!(
                spilled == in_memory,
                "{verify:?}, {keep:?}, {memory:?}: {} clusters spilled, {} in memory",
                spilled.0.len(),
                in_memory.0.len()
            );
        }
    }
}

/// The text of story `story` in the JSONL `lines` (its original, `s{story}`).
fn exact_copy_text(lines: &str, story: usize) -> String {
    let id = format!("s{story}");
    lines
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|record| record["id"] == id.as_str())
        .map(|record| record["text"].as_str().unwrap().to_owned())
        .unwrap()
}

#[test]
fn a_dry_run_sink_skips_the_second_pass_at_document_level() {
    struct DryRun(usize);
    impl DedupSink for DryRun {
        fn wants_documents(&self) -> bool {
            false
        }
        fn cluster(&mut self, _: &ClusterRecord) -> Result<()> {
            Ok(())
        }
        fn kept(&mut self, _: &Document, _: Option<&str>) -> Result<()> {
            self.0 += 1;
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
    let dir = tempfile::tempdir().unwrap();
    let inputs = resolve_inputs(&[examples()], dir.path()).unwrap();
    let mut sink = DryRun(0);
    let summary = dedup(&inputs, &DedupOptions::default(), &mut sink, &Silent).unwrap();
    assert_eq!(sink.0, 0);
    assert_eq!(summary.seconds.write, 0.0);
}

#[test]
fn timeline_read_through_thresh_io_equals_the_engine_on_the_files_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = resolve_inputs(&[examples()], dir.path()).unwrap();
    let options = TimelineOptions::default();
    let run = timeline(&inputs, &InputOptions::default(), &options).unwrap();

    // The engine alone, over the files' whole text (header line included).
    let mut names: Vec<PathBuf> = std::fs::read_dir(examples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    let docs: Vec<Document> = names
        .iter()
        .map(|path| {
            let source = inputs
                .iter()
                .find(|i| Path::new(i.source()) == path)
                .unwrap()
                .source()
                .to_string();
            Document::new(source, std::fs::read_to_string(path).unwrap())
        })
        .collect();
    let direct = build_timelines(&docs, &options);
    assert_eq!(run.timelines.len(), 1);
    assert_eq!(render::json(&run.timelines), render::json(&direct));
}

/// An add's records, kept in memory.
#[derive(Default)]
struct AddCollected {
    kept: Vec<String>,
    clusters: Vec<IndexClusterRecord>,
    commits: usize,
}

impl AddSink for AddCollected {
    fn kept(&mut self, doc: &Document) -> Result<()> {
        self.kept.push(doc.id.clone());
        Ok(())
    }

    fn committed(&mut self, _: &thresh_index::BatchSummary) -> Result<()> {
        self.commits += 1;
        Ok(())
    }

    fn cluster(&mut self, record: &IndexClusterRecord) -> Result<()> {
        self.clusters.push(record.clone());
        Ok(())
    }
}

#[test]
fn documents_added_to_an_index_are_known_to_a_query() {
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("index");
    let index = Index::create(&index_dir, &MatchConfig::default()).unwrap();
    let inputs = resolve_inputs(&[examples()], dir.path()).unwrap();

    let mut sink = AddCollected::default();
    let summary = add(&index, &inputs, &AddOptions::default(), &mut sink, &Silent).unwrap();
    assert_eq!(summary.documents, 3);
    assert_eq!(sink.commits, 1);
    let members: usize = sink.clusters.iter().map(|c| c.members.len()).sum();
    assert_eq!(sink.kept.len() + members, 3);

    let mut verdicts = Vec::new();
    let counts = query(&index, &inputs, &InputOptions::default(), |v| {
        verdicts.push(v.clone());
        Ok(())
    })
    .unwrap();
    assert_eq!(counts.documents, 3);
    assert_eq!(counts.new, 0, "{verdicts:?}");
    assert!(verdicts.iter().all(|v| v.matched.is_some()));
}

/// The tokens of `text` as the substring level compares them.
fn normalized_tokens(text: &str) -> Vec<String> {
    let canonical = Normalizer::default().normalize(text);
    let mut tokens = Vec::new();
    for_each_token(&canonical, |t| tokens.push(t.to_string()));
    tokens
}

/// The examples at substring level (20 tokens), searched in `shards`
/// shards.
fn substring_dedup(inputs: &[Input], shards: usize) -> (DedupSummary, Collected) {
    let options = DedupOptions {
        level: Level::Substring,
        substring: SubstringOptions {
            config: SubstringConfig {
                unit: Unit::Token,
                min_span: 20,
                ..SubstringConfig::default()
            },
            keep_spans: false,
            shards,
        },
        ..DedupOptions::default()
    };
    let mut memory = Collected::default();
    let summary = dedup(inputs, &options, &mut memory, &Silent).unwrap();
    (summary, memory)
}

#[test]
fn substring_level_cuts_exact_byte_ranges_that_stand_earlier() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = resolve_inputs(&[examples()], dir.path()).unwrap();
    let (summary, memory) = substring_dedup(&inputs, 1);
    assert!(!memory.spans.is_empty());
    assert_eq!(summary.spans_removed, memory.spans.len());
    let originals: std::collections::HashMap<String, String> = inputs
        .iter()
        .map(|input| {
            let doc = thresh_io::DocumentReader::new(vec![input.clone()], Default::default())
                .next_batch(1)
                .remove(0)
                .unwrap();
            (doc.id.clone(), doc.text)
        })
        .collect();
    let mut bytes = 0;
    for span in &memory.spans {
        let text = &originals[&span.id];
        assert_eq!(&text[span.start..span.end], span.text, "{span:?}");
        let first = &originals[&span.first.id][span.first.start..span.first.end];
        assert_eq!(
            normalized_tokens(&span.text),
            normalized_tokens(first),
            "{span:?}"
        );
        bytes += span.end - span.start;
    }
    assert_eq!(summary.span_bytes_removed, bytes as u64);
    // What is kept is the original minus exactly those ranges.
    let kept_bytes: usize = memory.kept.iter().map(|(_, text)| text.len()).sum();
    assert_eq!(
        kept_bytes + bytes,
        originals.values().map(String::len).sum::<usize>()
    );
    // Searched in shards (one document each at three), the same text is
    // kept and the same bytes removed.
    for shards in [2, 3] {
        let (sharded, sharded_memory) = substring_dedup(&inputs, shards);
        assert_eq!(sharded_memory.kept, memory.kept, "{shards} shards");
        assert_eq!(sharded.span_bytes_removed, summary.span_bytes_removed);
    }
}
