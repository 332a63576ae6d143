//! Single articles across captures: ../shared/data/nyt-versions holds 631
//! Wayback captures of 7 New York Times articles (2012–2015). Each article
//! must come out as one post whose versions are its distinct texts, with
//! later pages read as pagination. Skipped when the data is absent.

mod timeline_common;

use std::path::Path;

use thresh_engine::timeline::{build_timelines, Change, PageKind, TimelineOptions};
use thresh_engine::{Document, Origin};
use timeline_common::assert_every_line_accounted_for;

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/data/nyt-versions"
);

fn captures() -> Option<Vec<Document>> {
    let dir = Path::new(DATA);
    if !dir.is_dir() {
        eprintln!("skipped: {DATA} not found");
        return None;
    }
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut docs = Vec::new();
    for file in files {
        let name = file.file_name()?.to_string_lossy().to_string();
        for (i, line) in std::fs::read_to_string(&file).ok()?.lines().enumerate() {
            let v: serde_json::Value = serde_json::from_str(line).ok()?;
            let field = |k: &str| v[k].as_str().map(str::to_string);
            docs.push(Document {
                id: format!("{name}:{}", i + 1),
                text: field("text")?,
                date: field("date"),
                title: field("title"),
                url: field("url"),
                raw: None,
                origin: Origin {
                    source: name.clone(),
                    record: i as u64 + 1,
                },
            });
        }
    }
    Some(docs)
}

#[test]
fn each_article_is_one_post_with_its_distinct_versions() {
    let Some(docs) = captures() else { return };
    assert_eq!(docs.len(), 631);
    let timelines = build_timelines(&docs, &TimelineOptions::default());
    assert_eq!(timelines.len(), 7, "one timeline per article URL");
    let edited = |changed| Change::Edited {
        headline: false,
        added: 0,
        removed: 0,
        changed,
    };
    // (title start, captures, the change of each version)
    let expected: [(&str, usize, Vec<Change>); 7] = [
        (
            "Activism Grows",
            6,
            vec![Change::First, edited(2), Change::Paginated { added: 9 }],
        ),
        (
            "Egypt’s Military",
            233,
            vec![Change::First, edited(1), Change::Paginated { added: 10 }],
        ),
        ("In Shift, China", 8, vec![Change::First]),
        (
            "U.S. Officials Say Iran",
            59,
            vec![Change::First, Change::Paginated { added: 16 }],
        ),
        (
            "President Obama’s Dragnet",
            42,
            vec![Change::First, Change::Paginated { added: 7 }],
        ),
        // Later captures add "Photo" and "Advertisement Continue reading the
        // main story" lines and respace punctuation: furniture and spacing,
        // not new versions.
        ("Road Trip Helps Romney", 83, vec![Change::First, edited(1)]),
        ("Yvonne Brill", 200, vec![Change::First]),
    ];
    for (title, n, changes) in expected {
        let t = timelines
            .iter()
            .find(|t| t.title.as_deref().is_some_and(|x| x.starts_with(title)))
            .unwrap_or_else(|| panic!("no timeline for {title}"));
        assert_eq!(t.kind, PageKind::Article, "{title}");
        assert_eq!(t.snapshots.len(), n, "{title}");
        assert_eq!(t.posts.len(), 1, "{title}");
        let post = &t.posts[0];
        let got: Vec<Change> = post.versions.iter().map(|v| v.change).collect();
        assert_eq!(got, changes, "{title}");
        // Versions tile the captures in date order.
        assert_eq!(post.versions[0].first_seen, 0, "{title}");
        assert_eq!(post.versions.last().unwrap().last_seen, n - 1, "{title}");
        for pair in post.versions.windows(2) {
            assert!(pair[0].last_seen < pair[1].first_seen, "{title}");
        }
        assert_eq!(post.seen_in.len(), n, "{title}");
        assert!(t.summary.is_empty(), "{title}");
        assert_every_line_accounted_for(&docs, t);
    }
}
