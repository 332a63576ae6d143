//! `thresh timeline` on the seeds: three crawls (1–3 Nov 2024) of one live
//! blog, copied into examples/. Issue 3's "done when" list, checked.

mod timeline_common;

use thresh_engine::timeline::{build_timelines, render, Fate, PageKind, Reason, TimelineOptions};
use thresh_engine::Document;
use timeline_common::{assert_every_line_accounted_for, norm};

const SEEDS: [&str; 3] = [
    "000_a9d6c3317cb458b5.txt",
    "001_1e63b9c4fdd7d697.txt",
    "003_38d74d063019784a.txt",
];

fn seeds() -> Vec<Document> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    SEEDS
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(format!("{dir}/{name}")).expect("seed file");
            Document::new(*name, text)
        })
        .collect()
}

fn timeline() -> thresh_engine::timeline::Timeline {
    let mut timelines = build_timelines(&seeds(), &TimelineOptions::default());
    assert_eq!(timelines.len(), 1, "the three seeds are one page");
    timelines.remove(0)
}

fn post_by_headline<'t>(
    t: &'t thresh_engine::timeline::Timeline,
    start: &str,
) -> &'t thresh_engine::timeline::Post {
    let matching: Vec<_> = t
        .posts
        .iter()
        .filter(|p| norm(&p.headline).starts_with(&norm(start)))
        .collect();
    assert_eq!(matching.len(), 1, "exactly one post headed {start:?}");
    matching[0]
}

#[test]
fn seeds_make_one_live_blog_with_snapshots_oldest_first() {
    let t = timeline();
    assert_eq!(t.kind, PageKind::LiveBlog);
    let sources: Vec<&str> = t.snapshots.iter().map(|s| s.source.as_str()).collect();
    assert_eq!(sources, [SEEDS[2], SEEDS[1], SEEDS[0]]);
    // 003 has no header: its date comes from its own post times.
    assert_eq!(t.snapshots[0].date.as_deref(), Some("2024-11-01"));
    assert!(t.snapshots[0].date_inferred);
    assert!(!t.snapshots[1].date_inferred && !t.snapshots[2].date_inferred);
    assert!(t
        .title
        .as_deref()
        .unwrap()
        .starts_with("Ukraine-Russia latest"));
}

#[test]
fn every_headline_is_one_post() {
    let t = timeline();
    let mut headlines: Vec<String> = t
        .posts
        .iter()
        .filter(|p| !p.headline.is_empty())
        .map(|p| norm(&p.headline))
        .collect();
    let total = headlines.len();
    headlines.sort();
    headlines.dedup();
    assert_eq!(headlines.len(), total, "a headline appears in two posts");
    // 000: 11 headed posts (one printed twice, one teaser); 001: 9, one of
    // which reappears in 000; 003: 10, one of which reappears in 000.
    assert_eq!(t.posts.len(), 9 + 9 - 1 + 10 - 1);
}

#[test]
fn doubled_post_appears_once_with_its_nine_paragraphs_once() {
    let t = timeline();
    let post = post_by_headline(&t, "Russia’s second drone attack on Kyiv in as many nights");
    assert_eq!(post.body.len(), 9);
    let mut keys: Vec<String> = post.body.iter().map(|p| norm(p)).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 9, "a paragraph repeated inside the post");
    assert_eq!(post.versions.len(), 1);
    // No other post carries any of its paragraphs.
    for other in t.posts.iter().filter(|p| p.id != post.id) {
        for p in &other.body {
            assert!(!keys.contains(&norm(p)), "{} repeats {p}", other.id);
        }
    }
    // The second copy (000 lines 27–36) is removed as its duplicate.
    let dups: Vec<usize> = t
        .removed
        .iter()
        .filter(|r| r.reason == Reason::Duplicate && r.of.as_deref() == Some(&post.id))
        .map(|r| r.line)
        .collect();
    assert_eq!(dups, (27..=36).collect::<Vec<_>>());
}

#[test]
fn teaser_card_is_furniture_of_the_post_it_advertises() {
    let t = timeline();
    let post = post_by_headline(
        &t,
        "Former North Korean soldiers on why troops will volunteer",
    );
    assert_eq!(post.body.len(), 3);
    assert!(
        !t.posts
            .iter()
            .any(|p| norm(&p.headline).starts_with("thousands of young north korean")),
        "the teaser's blurb became a post"
    );
    let teaser: Vec<(usize, Reason, Option<&str>)> = t
        .removed
        .iter()
        .filter(|r| t.source(r.snapshot) == SEEDS[0] && (49..=50).contains(&r.line))
        .map(|r| (r.line, r.reason, r.of.as_deref()))
        .collect();
    assert_eq!(
        teaser,
        [
            (49, Reason::Furniture, Some(post.id.as_str())),
            (50, Reason::Furniture, Some(post.id.as_str()))
        ]
    );
}

#[test]
fn furniture_is_in_no_post_or_summary() {
    let t = timeline();
    let furniture = [
        "Your support helps us to tell the story",
        "Your donation allows us to keep sending journalists",
        "we choose not to lock Americans out of our reporting",
        "From reproductive rights to climate change to Big Tech",
        "For free real time breaking news alerts",
        "Sign up to our free breaking news emails",
        "Join our commenting forum",
        "Join thought-provoking conversations",
        "Read the full report here",
    ];
    let mut kept: Vec<String> = t.summary.iter().map(|p| norm(p)).collect();
    for post in &t.posts {
        for v in &post.versions {
            kept.push(norm(&v.headline));
            kept.extend(v.body.iter().map(|p| norm(p)));
        }
    }
    for f in furniture {
        let f = norm(f);
        assert!(!kept.iter().any(|k| k.contains(&f)), "furniture kept: {f}");
        assert!(
            t.removed
                .iter()
                .any(|r| r.reason == Reason::Furniture && norm(&r.text).contains(&f)),
            "furniture not listed as removed: {f}"
        );
    }
}

#[test]
fn bylines_of_003_are_parsed_and_attached_to_the_post_above_them() {
    let t = timeline();
    // In 003 each "Andy Gregory<date> <time>" line closes the post above it.
    let expected = [
        (
            "Former North Korean soldiers on why",
            "2024-11-01T20:00",
            12,
        ),
        (
            "Why are North Koreans troops in Ukraine?",
            "2024-11-01T19:00",
            17,
        ),
        ("Russia advancing in Ukraine’s east", "2024-11-01T18:10", 21),
        (
            "Putin uninterested in Ukraine ceasefire",
            "2024-11-01T17:40",
            27,
        ),
        (
            "South Korea ‘planning to send personnel",
            "2024-11-01T17:10",
            32,
        ),
        (
            "Russian troops trying to gain foothold",
            "2024-11-01T16:40",
            37,
        ),
        ("Ukraine refutes Russian claims", "2024-11-01T16:13", 42),
        (
            "Full report: North Korea’s top diplomat",
            "2024-11-01T15:46",
            47,
        ),
        ("‘War is always a defeat’", "2024-11-01T15:18", 51),
        ("Dissident Belarusian film director", "2024-11-01T14:56", 58),
    ];
    for (headline, time, byline_line) in expected {
        let post = post_by_headline(&t, headline);
        assert_eq!(post.published.as_deref(), Some(time), "{headline}");
        assert_eq!(post.author.as_deref(), Some("Andy Gregory"), "{headline}");
        let byline = t
            .removed
            .iter()
            .find(|r| t.source(r.snapshot) == SEEDS[2] && r.line == byline_line)
            .expect("byline line removed");
        assert_eq!(byline.reason, Reason::Byline);
        assert_eq!(byline.of.as_deref(), Some(post.id.as_str()), "{headline}");
    }
    // Posts from the other seeds have no bylines at all.
    assert!(post_by_headline(&t, "Kim Jong Un").published.is_none());
}

#[test]
fn seen_in_first_seen_and_last_seen() {
    let t = timeline();
    let sources = |p: &thresh_engine::timeline::Post| -> Vec<String> {
        p.seen_in.iter().map(|&s| t.source(s).to_string()).collect()
    };
    let soldiers = post_by_headline(&t, "Former North Korean soldiers on why");
    assert_eq!(sources(soldiers), [SEEDS[2], SEEDS[0]]);
    assert_eq!(t.source(soldiers.first_seen), SEEDS[2]);
    assert_eq!(t.source(soldiers.last_seen), SEEDS[0]);

    // Headline only in 001, with its text in 000: one post, two versions.
    let targets = post_by_headline(&t, "Russia targets Kyiv in hours-long drone attack");
    assert_eq!(sources(targets), [SEEDS[1], SEEDS[0]]);
    assert_eq!(targets.versions.len(), 2);
    assert!(targets.versions[0].body.is_empty());
    assert_eq!(targets.versions[1].body.len(), 9);
    assert_eq!(t.source(targets.versions[0].last_seen), SEEDS[1]);
    assert_eq!(t.source(targets.versions[1].first_seen), SEEDS[0]);

    for (headline, only) in [
        ("Kim Jong Un", SEEDS[0]),
        ("Fires break out in several districts", SEEDS[1]),
        ("Dissident Belarusian film director", SEEDS[2]),
    ] {
        let post = post_by_headline(&t, headline);
        assert_eq!(sources(post), [only], "{headline}");
        assert_eq!(post.first_seen, post.last_seen);
    }
}

#[test]
fn new_headline_over_shared_paragraphs_is_related_not_merged() {
    let t = timeline();
    let injured = post_by_headline(&t, "At least two injured as Russian drone attack");
    let targets = post_by_headline(&t, "Russia targets Kyiv in hours-long drone attack");
    assert_ne!(injured.id, targets.id);
    assert!(injured.related.contains(&targets.id));
    assert!(targets.related.contains(&injured.id));
    assert_eq!(injured.body.len(), 6);
}

#[test]
fn summary_paragraphs_shared_by_000_and_001_appear_once() {
    let t = timeline();
    let summary: Vec<String> = t.summary.iter().map(|p| norm(p)).collect();
    let shared = [
        "Comes as Russia unleashes overnight drone attack on Kyiv, say officials",
        "North Korea has vowed to back Russia until it achieves victory",
        "It came as US secretary of state Antony Blinken warned",
        "Meanwhile, Russia unleashed an overnight drone attack",
        "Debris from downed drones struck six city districts",
    ];
    for start in shared {
        let n = summary
            .iter()
            .filter(|p| p.starts_with(&norm(start)))
            .count();
        assert_eq!(n, 1, "{start}");
    }
    let mut distinct = summary.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), summary.len());
    // 003's older summary is kept too, after the newer one.
    let older = summary
        .iter()
        .position(|p| p.starts_with("north korea will back russia"))
        .expect("003's summary");
    assert!(
        older
            > summary
                .iter()
                .position(|p| p.starts_with("comes as russia"))
                .unwrap()
    );
}

#[test]
fn posts_run_newest_first() {
    let t = timeline();
    let position = |start: &str| {
        let id = &post_by_headline(&t, start).id;
        t.posts.iter().position(|p| &p.id == id).unwrap()
    };
    // 000's new posts, then 001's, then 003's by their times.
    assert!(position("Kim Jong Un") < position("Fires break out"));
    assert!(position("Fires break out") < position("Former North Korean soldiers"));
    let times: Vec<&str> = t
        .posts
        .iter()
        .filter_map(|p| p.published.as_deref())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);
}

#[test]
fn every_seed_line_is_accounted_for() {
    let docs = seeds();
    let t = timeline();
    assert_every_line_accounted_for(&docs, &t);
    // The header lines are the title; nothing else is.
    let titles: usize = t
        .fates
        .iter()
        .flatten()
        .filter(|f| f.fate == Fate::Title)
        .count();
    assert_eq!(titles, 2);
}

#[test]
fn json_has_exactly_the_issue_schema() {
    let t = timeline();
    let json: serde_json::Value =
        serde_json::from_str(&render::json(std::slice::from_ref(&t))).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&json),
        [
            "posts",
            "removed",
            "snapshots",
            "summary",
            "summary_earlier",
            "title"
        ]
    );
    assert_eq!(
        keys(&json["snapshots"][0]),
        ["date", "date_inferred", "source"]
    );
    assert_eq!(
        keys(&json["posts"][0]),
        [
            "author",
            "body",
            "first_seen",
            "headline",
            "id",
            "last_seen",
            "published",
            "related",
            "seen_in",
            "versions"
        ]
    );
    assert_eq!(
        keys(&json["posts"][0]["versions"][0]),
        ["body", "first_seen", "headline", "last_seen"]
    );
    assert_eq!(
        keys(&json["removed"][0]),
        ["line", "of", "reason", "source", "text"]
    );
    let soldiers = json["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| {
            p["headline"]
                .as_str()
                .unwrap()
                .starts_with("Former North Korean")
        })
        .unwrap();
    assert_eq!(soldiers["published"], "2024-11-01T20:00");
    assert_eq!(soldiers["first_seen"], SEEDS[2]);
    assert_eq!(soldiers["seen_in"], serde_json::json!([SEEDS[2], SEEDS[0]]));
}

#[test]
fn html_is_one_self_contained_escaped_page() {
    let t = timeline();
    let html = render::html(std::slice::from_ref(&t));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>"));
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("src="));
    assert_eq!(html.matches("<article").count(), t.posts.len());
    let md = render::markdown(std::slice::from_ref(&t));
    assert!(md.starts_with("# Ukraine-Russia latest"));
    assert_eq!(md.matches("\n### ").count(), t.posts.len());
}

#[test]
fn html_shows_each_edit_as_a_word_diff_and_lists_posts_by_time() {
    let t = timeline();
    let html = render::html(std::slice::from_ref(&t));
    let edited: Vec<_> = t.posts.iter().filter(|p| p.versions.len() > 1).collect();
    assert!(!edited.is_empty(), "the seeds hold edited posts");
    let later_versions: usize = edited.iter().map(|p| p.versions.len() - 1).sum();
    assert_eq!(html.matches("<div class=\"diff\">").count(), later_versions);
    // Every diff marks at least one changed word.
    for diff in html.split("<div class=\"diff\">").skip(1) {
        let diff = &diff[..diff.find("</div>").unwrap()];
        assert!(diff.contains("<ins>") || diff.contains("<del>"), "{diff}");
    }
    // The jump list links every post, in the timeline's order.
    let jump = html.split_once("<details class=\"jump\">").unwrap().1;
    let jump = &jump[..jump.find("</details>").unwrap()];
    let targets: Vec<&str> = jump
        .split("<a href=\"#")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let ids: Vec<&str> = t.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(targets, ids);
    assert!(jump.contains("<time>2024-11-01 20:00</time>"), "{jump}");
}
