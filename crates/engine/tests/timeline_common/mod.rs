//! Helpers shared by the timeline tests.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};

use thresh_engine::normalize::Normalizer;
use thresh_engine::timeline::{Fate, Timeline};
use thresh_engine::Document;

/// Text in the canonical form the engine compares.
pub fn norm(text: &str) -> String {
    Normalizer::default().normalize(text)
}

/// What the engine treats as the same line: letters and digits of the
/// canonical form (white space, quotes and punctuation aside).
pub fn loose(text: &str) -> String {
    norm(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The accounting rule of issue 3: every non-blank input line is in the
/// title, the summary, a post (some version of it), or `removed` — checked
/// against the output text, not only against the engine's own bookkeeping.
pub fn assert_every_line_accounted_for(docs: &[Document], t: &Timeline) {
    let summary: HashSet<String> = t.summary.iter().map(|p| loose(p)).collect();
    // Every text of every post, in loose form.
    let post_texts: Vec<HashSet<String>> = t
        .posts
        .iter()
        .map(|post| {
            post.versions
                .iter()
                .flat_map(|v| std::iter::once(&v.headline).chain(&v.body))
                .map(|text| loose(text))
                .collect()
        })
        .collect();
    let removed: HashMap<(&str, usize), &str> = t
        .removed
        .iter()
        .map(|r| ((t.source(r.snapshot), r.line), &*r.text))
        .collect();
    assert_eq!(removed.len(), t.removed.len(), "a line removed twice");
    for r in &t.removed {
        if let Some(of) = &r.of {
            assert!(
                t.post(of).is_some(),
                "removed line points at unknown post {of}"
            );
        }
    }
    for (s, snapshot) in t.snapshots.iter().enumerate() {
        let doc = docs
            .iter()
            .find(|d| d.origin.to_string() == snapshot.source)
            .unwrap_or_else(|| panic!("no document for {}", snapshot.source));
        let lines: Vec<(usize, &str)> = doc
            .text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty())
            .collect();
        let fates = &t.fates[s];
        assert_eq!(
            fates.len(),
            lines.len(),
            "{}: a line without a fate",
            snapshot.source
        );
        for ((number, text), fate) in lines.iter().zip(fates) {
            assert_eq!(fate.line as usize, *number);
            let at = format!("{}:{number} {text:?}", snapshot.source);
            match fate.fate {
                Fate::Title => assert!(
                    text.starts_with("date ")
                        || t.title
                            .as_deref()
                            .is_some_and(|title| norm(title) == norm(text))
                        || t.earlier_titles
                            .iter()
                            .any(|title| norm(title) == norm(text)),
                    "{at}: not the title"
                ),
                Fate::Summary => assert!(summary.contains(&loose(text)), "{at}: not in summary"),
                Fate::Post(i) => assert!(
                    post_texts[i].contains(&loose(text))
                        || post_texts[i]
                            .iter()
                            .any(|shown| after_a_time(&loose(text), shown)),
                    "{at}: not in post {}",
                    t.posts[i].id
                ),
                Fate::Removed(reason) => {
                    let entry = t
                        .removed
                        .iter()
                        .find(|r| r.snapshot == s && r.line == *number)
                        .unwrap_or_else(|| panic!("{at}: no removed entry"));
                    assert_eq!(entry.reason, reason, "{at}");
                    assert_eq!(&*entry.text, *text, "{at}");
                }
            }
        }
    }
}

/// Whether a line (loose form) is a time and then `shown`: a post shows a
/// line that opens with its time ("15:26 | Whips count votes") without it.
fn after_a_time(line: &str, shown: &str) -> bool {
    let Some(time) = line.strip_suffix(shown) else {
        return false;
    };
    !shown.is_empty()
        && time.starts_with(|c: char| c.is_ascii_digit())
        && time
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, 't' | 'z' | 'T' | 'Z'))
}
