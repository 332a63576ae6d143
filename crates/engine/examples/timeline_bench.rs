//! Benchmark for `thresh timeline` (issue 3): consolidate N snapshots of a
//! generated, growing live blog — each snapshot the previous one plus a few
//! new posts on top and an edit to an older post — and time it.
//!
//! ```text
//! cargo run --release -p thresh-engine --example timeline_bench -- [SNAPSHOTS] [NEW_PER_SNAPSHOT]
//! ```
//!
//! Defaults: 1,000 snapshots, 2 new posts and 1 edit per snapshot, starting
//! from 10 posts. Each post is a clock-time line ("10.32am GMT"), a headline
//! and two or three paragraphs; every page also carries a sign-up line and a
//! footer. Prints the input size and the time of `build_timelines` alone
//! (generation and rendering are timed separately).

use std::time::Instant;

use thresh_engine::timeline::{build_timelines, render, TimelineOptions};
use thresh_engine::Document;

/// A small deterministic generator (xorshift64*), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: [&str; 48] = [
    "officials",
    "said",
    "the",
    "city",
    "council",
    "river",
    "bridge",
    "storm",
    "power",
    "homes",
    "police",
    "residents",
    "were",
    "told",
    "to",
    "leave",
    "after",
    "winds",
    "reached",
    "record",
    "levels",
    "on",
    "Tuesday",
    "morning",
    "and",
    "rail",
    "services",
    "across",
    "northern",
    "region",
    "remain",
    "suspended",
    "until",
    "further",
    "notice",
    "while",
    "crews",
    "work",
    "through",
    "night",
    "emergency",
    "teams",
    "reported",
    "damage",
    "roads",
    "schools",
    "closed",
    "early",
];

struct Post {
    minute: u32,
    headline: String,
    paragraphs: Vec<String>,
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s: Vec<&str> = (0..words).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    let first = s[0].to_string();
    let mut out = first[..1].to_uppercase() + &first[1..];
    s.remove(0);
    for w in s {
        out.push(' ');
        out.push_str(w);
    }
    out
}

fn new_post(rng: &mut Rng, n: usize, minute: u32) -> Post {
    let count = 2 + rng.below(2);
    let paragraphs = (0..count)
        .map(|_| {
            let words = 18 + rng.below(12);
            format!("{} in update {n}.", sentence(rng, words))
        })
        .collect();
    let words = 6 + rng.below(4);
    Post {
        minute,
        headline: format!("{} {n}", sentence(rng, words)),
        paragraphs,
    }
}

fn clock(minute: u32) -> String {
    let of_day = minute % 1440;
    let (h, m) = (of_day / 60, of_day % 60);
    let (h12, half) = match h {
        0 => (12, "am"),
        1..=11 => (h, "am"),
        12 => (12, "pm"),
        _ => (h - 12, "pm"),
    };
    format!("{h12}.{m:02}{half} GMT")
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let snapshots = args.first().copied().unwrap_or(1000);
    let per_snapshot = args.get(1).copied().unwrap_or(2);

    let started = Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut posts: Vec<Post> = Vec::new();
    let mut minute = 8 * 60; // 1 Nov 2024, 08:00
    for n in 0..10 {
        minute += 3;
        posts.push(new_post(&mut rng, n, minute));
    }
    let mut docs = Vec::with_capacity(snapshots);
    for s in 0..snapshots {
        for _ in 0..per_snapshot {
            minute += 2;
            let n = posts.len();
            posts.push(new_post(&mut rng, n, minute));
        }
        // Edit one older post: reword a paragraph, sometimes add one.
        let target = rng.below(posts.len());
        let edit = sentence(&mut rng, 20);
        let post = &mut posts[target];
        if rng.below(3) == 0 {
            post.paragraphs.push(format!("{edit}."));
        } else {
            let p = rng.below(post.paragraphs.len());
            post.paragraphs[p] = format!("{edit} in update {target}.");
        }
        // Captured an hour after the newest post.
        let captured = minute + 60;
        let mut text = format!(
            " date 2024-11-{:02}T{:02}:{:02} Generated live blog: storm and floods\n\
             The latest on the storm as it moves north\n\
             Sign up to our breaking news alerts\n",
            1 + captured / 1440,
            (captured % 1440) / 60,
            captured % 60
        );
        for post in posts.iter().rev() {
            text.push_str(&clock(post.minute));
            text.push('\n');
            text.push_str(&post.headline);
            text.push('\n');
            for p in &post.paragraphs {
                text.push_str(p);
                text.push('\n');
            }
        }
        text.push_str("Join the conversation in our comments section\n");
        docs.push(Document::new(format!("snapshot-{s:04}.txt"), text));
    }
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let lines: usize = docs.iter().map(|d| d.text.lines().count()).sum();
    eprintln!(
        "generated {snapshots} snapshots, {} posts at the end, {lines} lines, {:.1} MB in {:.2?}",
        posts.len(),
        bytes as f64 / 1e6,
        started.elapsed()
    );

    // Best of three runs: the machine is shared, and the minimum is the
    // least disturbed measurement.
    let mut runs = Vec::new();
    let mut timelines = Vec::new();
    for _ in 0..3 {
        drop(std::mem::take(&mut timelines));
        let started = Instant::now();
        timelines = build_timelines(&docs, &TimelineOptions::default());
        runs.push(started.elapsed().as_secs_f64());
    }
    runs.sort_by(f64::total_cmp);
    let build = runs[0];
    let t = &timelines[0];
    let versions: usize = t.posts.iter().map(|p| p.versions.len()).sum();
    println!(
        "build_timelines: {build:.3} s (best of 3; median {:.3} s) for {snapshots} snapshots ({} timeline, {} posts, {versions} versions, {} removed lines)",
        runs[1],
        timelines.len(),
        t.posts.len(),
        t.removed.len()
    );

    if std::env::var("DEBUG_SPLIT").is_ok() {
        debug_split(t);
    }
    let started = Instant::now();
    let json = render::json(&timelines);
    eprintln!(
        "render json: {:.3} s ({:.1} MB)",
        started.elapsed().as_secs_f64(),
        json.len() as f64 / 1e6
    );
}
#[allow(dead_code)]
fn debug_split(t: &thresh_engine::timeline::Timeline) {
    let mut seen = std::collections::HashMap::new();
    for p in &t.posts {
        let n = p.headline.rsplit(' ').next().unwrap_or("").to_string();
        if let Some(prev) = seen.insert(n.clone(), p) {
            eprintln!(
                "SPLIT {n}: {} {:?} v{} seen {:?}\n   vs {} {:?} v{} seen {:?}",
                prev.id,
                prev.published,
                prev.versions.len(),
                &prev.seen_in[..prev.seen_in.len().min(5)],
                p.id,
                p.published,
                p.versions.len(),
                &p.seen_in[..p.seen_in.len().min(5)]
            );
        }
    }
}
