//! Matching posts across snapshots and assembling the [`Timeline`].
//!
//! Snapshots are taken oldest first. Each post found on a page is matched
//! against the posts seen so far:
//!
//! 1. exactly — the same headline and paragraphs after normalization (a
//!    hash lookup, which is all a re-crawl of an unchanged post costs);
//! 2. as an edit — the same headline over related text (or a headline that
//!    only now got its text), or a new headline over nearly the same text
//!    (word 3-gram Jaccard ≥ 0.6), or the same stamp (published minute and
//!    author) with the same words, the same headline, or the old lines
//!    gone from the page: a new *version* of the post;
//! 3. otherwise it is a new post; one that shares paragraphs with an
//!    existing post (a new headline over shared paragraphs) is *related* to
//!    it, not merged.
//!
//! Candidates for 2 and 3 come from indexes by headline and by paragraph,
//! so no post is compared with every other.
//!
//! Order is newest first: by post time where a byline gave one; posts
//! without take the time of the nearest newer post on the page where they
//! first appeared, else that snapshot's date; ties go by snapshot, then by
//! place on the page.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use super::byline::{self, days_from_civil, format_day, format_minutes, Stamp};
use super::evidence::{self, PageEvidence};
use super::group::{self, Keyed};
use super::lines::{self, Interner, LineId, LineTable};
use super::order;
use super::segment::{self, Headline, PageContext, PageKind, PageLine, Role, Segmented, Side};
use super::zone::{self, Zone};
use super::{
    Change, Fate, LineFate, Post, Reason, Removed, SnapshotInfo, Timeline, TimelineOptions, Version,
};
use crate::document::split_header;
use crate::normalize::Normalizer;
use crate::Document;

/// A document prepared for the timeline.
struct Input<'a> {
    source: String,
    url: Option<&'a str>,
    title: Option<String>,
    date: Option<String>,
    /// Index (into `lines`) of the ` date … Title` header.
    header: Option<usize>,
    lines: Vec<PageLine>,
}

pub fn build(docs: &[Document], options: &TimelineOptions) -> Vec<Timeline> {
    let normalizer = Normalizer::new(options.normalize);
    // Hash lines in parallel; intern them in one pass.
    let split: Vec<Vec<SplitLine>> = docs.par_iter().map(|d| split(&d.text)).collect();
    let mut interner = Interner::default();
    let mut inputs: Vec<Input> = docs
        .iter()
        .zip(&split)
        .map(|(doc, lines)| {
            let lines: Vec<PageLine> = lines
                .iter()
                .map(|l| PageLine {
                    number: l.number,
                    id: interner.intern_hashed(l.hash, l.text(&doc.text)),
                })
                .collect();
            Input {
                source: doc.origin.to_string(),
                url: doc.url.as_deref().filter(|u| !u.trim().is_empty()),
                title: doc.title.clone().filter(|t| !t.trim().is_empty()),
                date: doc.date.clone().filter(|d| !d.trim().is_empty()),
                header: None,
                lines,
            }
        })
        .collect();
    for ((input, lines), doc) in inputs.iter_mut().zip(&split).zip(docs) {
        if lines.first().is_some_and(|l| l.number == 1) {
            read_header(input, &doc.text);
        }
    }
    let mut table = interner.finish(&normalizer);
    lines::read_short_timed_lines(&mut table, inputs.iter_mut().map(|i| &mut i.lines[..]));
    let keyed: Vec<Keyed> = inputs
        .iter()
        .map(|i| Keyed {
            url: i.url,
            title: i.title.as_deref(),
            lines: &i.lines,
        })
        .collect();
    let groups = group::group(&keyed, &table, options.group_by);
    groups
        .par_iter()
        .map(|g| build_group(&inputs, &g.members, &table, &g.site_furniture, &normalizer))
        .collect()
}

/// A non-blank line of a document: where it is and its hash.
struct SplitLine {
    hash: u64,
    number: u32,
    start: u32,
    len: u32,
}

impl SplitLine {
    fn text<'t>(&self, doc: &'t str) -> &'t str {
        &doc[self.start as usize..(self.start + self.len) as usize]
    }
}

/// Non-blank lines (trimmed) with their 1-based numbers and hashes.
fn split(text: &str) -> Vec<SplitLine> {
    let mut out = Vec::with_capacity(text.len() / 64 + 8);
    let mut at = 0usize;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let start = at;
        at += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let offset = start + (trimmed.as_ptr() as usize - line.as_ptr() as usize);
        out.push(SplitLine {
            hash: xxh3_64(trimmed.as_bytes()),
            number: (i + 1) as u32,
            start: offset as u32,
            len: trimmed.len() as u32,
        });
    }
    out
}

/// A first line ` date YYYY-MM-DD Title` (see [`split_header`]) gives date
/// and title, unless the document has its own; the line stays in the page
/// as its title line.
fn read_header(input: &mut Input, text: &str) {
    let (Some(header), _) = split_header(text) else {
        return;
    };
    input.header = Some(0);
    if input.date.is_none() {
        input.date = Some(header.date.to_string());
    }
    if input.title.is_none() && !header.title.is_empty() {
        input.title = Some(header.title.to_string());
    }
}

/// When a snapshot was taken, as far as known.
#[derive(Debug, Clone, Copy, Default)]
struct Capture {
    day: Option<i64>,
    minute: Option<u32>,
}

impl Capture {
    fn parse(date: Option<&str>) -> Capture {
        let Some(date) = date else {
            return Capture::default();
        };
        if let Some((day, minute, _)) = byline::parse_iso_prefix(date.trim()) {
            let year = day.year.unwrap_or(1970);
            return Capture {
                day: Some(days_from_civil(year, day.month, day.day)),
                minute,
            };
        }
        // Other spellings ("3 November 2024") go through the byline parser.
        match byline::parse(date) {
            Some(Stamp {
                date: Some(d),
                time,
                ..
            }) if d.year.is_some() => Capture {
                day: Some(days_from_civil(d.year.unwrap_or(1970), d.month, d.day)),
                minute: time.map(|(h, m)| h * 60 + m),
            },
            _ => Capture::default(),
        }
    }

    /// The latest moment the capture could have been, in minutes.
    fn end(&self) -> Option<i64> {
        self.day
            .map(|d| d * 1440 + i64::from(self.minute.unwrap_or(1439)))
    }
}

/// The text of a post's headline.
#[derive(Debug, Clone, PartialEq)]
enum HeadText {
    None,
    Line(LineId),
    Title(Arc<str>),
}

/// A version while it is being collected.
struct VersionAcc {
    headline: HeadText,
    headline_key: Option<u128>,
    body: Vec<LineId>,
    body_keys: Vec<u128>,
    first_seen: usize,
    last_seen: usize,
    shingles: Option<Vec<u64>>,
}

/// A post while it is being collected. Snapshot numbers are positions in
/// date order.
struct PostAcc {
    versions: Vec<VersionAcc>,
    seen_in: Vec<usize>,
    headline_keys: Vec<u128>,
    published: Option<When>,
    author: Option<String>,
    /// Estimated time for ordering.
    est: Option<i64>,
    first_seen: usize,
    /// Place on the first page it was seen on, newest first.
    rank: usize,
    /// Snapshot (+1) that last claimed the post, to spot a second copy.
    claimed: usize,
    related: HashSet<usize>,
}

impl PostAcc {
    fn current(&self) -> usize {
        (0..self.versions.len())
            .max_by_key(|&v| (self.versions[v].last_seen, self.versions[v].first_seen))
            .unwrap_or(0)
    }
}

/// A page post prepared for matching.
struct Candidate {
    headline: HeadText,
    headline_key: Option<u128>,
    body: Vec<LineId>,
    body_keys: Vec<u128>,
    published: Option<When>,
    /// `published`'s day was inferred, not printed.
    day_inferred: bool,
    est: Option<i64>,
    author: Option<String>,
    rank: usize,
}

/// Where a page post went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placed {
    Post(usize),
    Duplicate(usize),
}

/// Jaccard at or above which a new headline over old text is an edit.
const EDIT_JACCARD: f64 = 0.6;
/// Jaccard at or above which posts without headlines are the same post.
const HEADLESS_JACCARD: f64 = 0.5;
/// Similarity at or above which posts not merged are related.
const RELATED_JACCARD: f64 = 0.15;
/// Paragraphs shorter than this do not link posts (too generic).
const MIN_LINK_WORDS: u32 = 5;
/// A paragraph shared by more posts than this is boilerplate, not a link.
const MAX_LINK_FANOUT: usize = 20;

struct Matcher<'t> {
    table: &'t LineTable,
    posts: Vec<PostAcc>,
    by_version: HashMap<u128, (usize, usize), lines::KeyHasher>,
    by_headline: HashMap<u128, Vec<usize>, lines::KeyHasher>,
    by_paragraph: HashMap<u128, Vec<usize>, lines::KeyHasher>,
    /// Posts by their stamp: published minute ([`When::minute`]) and author.
    by_stamp: HashMap<(i64, Option<String>), Vec<usize>>,
    /// Every line of the page being placed.
    page_lines: HashSet<LineId>,
}

/// Share of a post's words another post with the same stamp must hold for
/// the two to be versions of one post (a paragraph read as a headline in
/// one crawl, cut by furniture in another).
const SAME_STAMP_CONTAINMENT: f64 = 0.5;

impl<'t> Matcher<'t> {
    fn new(table: &'t LineTable) -> Self {
        Matcher {
            table,
            posts: Vec::new(),
            by_version: HashMap::default(),
            by_headline: HashMap::default(),
            by_paragraph: HashMap::default(),
            by_stamp: HashMap::new(),
            page_lines: HashSet::default(),
        }
    }

    /// A post seen before in exactly this version (`key` from
    /// `segment::post_key`): the cheap path taken by re-crawled posts.
    fn place_exact(
        &mut self,
        s: usize,
        key: u128,
        published: Option<When>,
        author: Option<&str>,
        kind: PageKind,
    ) -> Option<Placed> {
        let &(p, v) = self.by_version.get(&key)?;
        if kind == PageKind::LiveBlog && self.posts[p].claimed == s + 1 {
            return Some(Placed::Duplicate(p));
        }
        self.claim(p, v, s, published, author);
        Some(Placed::Post(p))
    }

    /// Match a live-blog post seen in snapshot `s` that is not a known
    /// version of any post.
    fn place(&mut self, s: usize, key: u128, cand: Candidate) -> Placed {
        let shingles = self.shingles_of(&cand.body);
        let mut best: Option<(bool, f64, usize)> = None;
        let mut related = Vec::new();
        for c in self.candidates(&cand) {
            let post = &self.posts[c];
            let current = post.current();
            let old = self.version_shingles(c, current);
            let (jaccard, containment) = lines::similarity(&shingles, &old);
            let post = &self.posts[c];
            let old_version = &post.versions[current];
            let same_headline = cand
                .headline_key
                .is_some_and(|k| post.headline_keys.contains(&k));
            // A clock time whose day was inferred may be a day off in a
            // crawl made just after midnight (UTC): a day apart, it is
            // still the same time, and the words decide.
            let times_differ = matches!((cand.published, post.published),
                (Some(a), Some(b)) if a != b
                    && !(cand.day_inferred && a.offset == b.offset && (a.local - b.local).abs() == 1440));
            let same_stamp = cand.published.is_some()
                && cand.published == post.published
                && cand.author == post.author;
            // The same stamp over the same words is the same post, however
            // the crawls cut it into headline and paragraphs. An author's
            // post at a given minute is that post whatever its words (a
            // short post rewritten); two posts an author stamps alike stand
            // on the same pages and are kept apart below.
            let same_stamp_and_words = same_stamp
                && (cand.author.is_some() || {
                    let mine = self.words_of(&cand.headline, &cand.body);
                    let theirs = self.words_of(&old_version.headline, &old_version.body);
                    lines::similarity(&mine, &theirs).1 >= SAME_STAMP_CONTAINMENT
                });
            // Nor do two posts share both headline and minute: one whose
            // only paragraph was rewritten under its headline is one post.
            // Nor does a post vanish from a page as another appears there
            // at its minute: a short post rewritten whole is one post.
            let same = same_stamp_and_words
                || (same_stamp && (same_headline || !self.still_on_page(old_version)))
                || (!times_differ
                    && if same_headline {
                        cand.body.is_empty()
                            || old_version.body.is_empty()
                            || jaccard >= 0.2
                            || containment >= 0.5
                    } else if cand.headline_key.is_none() && old_version.headline_key.is_none() {
                        jaccard >= HEADLESS_JACCARD || containment >= 0.8
                    } else {
                        jaccard >= EDIT_JACCARD
                    });
            if same && post.claimed == s + 1 {
                // Already on this page: a second copy if nearly identical
                // (headlines alike, or neither has one, or the same stamp
                // over the same words: one copy read with its headline as a
                // paragraph), else a different post that happens to look
                // alike.
                let headless = cand.headline_key.is_none() && old_version.headline_key.is_none();
                if (same_headline || headless || same_stamp_and_words) && jaccard >= 0.8 {
                    return Placed::Duplicate(c);
                }
                continue;
            }
            if same {
                if best.is_none_or(|(h, j, _)| (same_headline, jaccard) > (h, j)) {
                    best = Some((same_headline, jaccard, c));
                }
            } else if jaccard >= RELATED_JACCARD || containment >= 0.3 {
                related.push(c);
            }
        }
        let p = match best {
            Some((_, _, p)) => {
                let v = self.add_version(p, s, &cand, key, shingles);
                self.claim(p, v, s, cand.published, cand.author.as_deref());
                p
            }
            None => self.new_post(s, &cand, key, shingles),
        };
        for r in related {
            if r != p {
                self.posts[p].related.insert(r);
                self.posts[r].related.insert(p);
            }
        }
        Placed::Post(p)
    }

    /// Match a single article's capture that is not a known version: a new
    /// version of the one post.
    fn place_article(&mut self, s: usize, key: u128, cand: Candidate) -> Placed {
        if self.posts.is_empty() {
            let shingles = self.shingles_of(&cand.body);
            return Placed::Post(self.new_post(s, &cand, key, shingles));
        }
        let shingles = self.shingles_of(&cand.body);
        let v = self.add_version(0, s, &cand, key, shingles);
        self.claim(0, v, s, cand.published, cand.author.as_deref());
        Placed::Post(0)
    }

    /// Whether any line of `version` is on the page being placed.
    fn still_on_page(&self, version: &VersionAcc) -> bool {
        let headline = match version.headline {
            HeadText::Line(id) => Some(id),
            _ => None,
        };
        headline
            .iter()
            .chain(&version.body)
            .any(|id| self.page_lines.contains(id))
    }

    /// Posts that share the headline or a paragraph with `cand`.
    fn candidates(&self, cand: &Candidate) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        if let Some(list) = cand.headline_key.and_then(|k| self.by_headline.get(&k)) {
            // A headline over many posts is a label ("Update"): the most
            // recent of them are the candidates.
            out.extend(list.iter().rev().take(MAX_LINK_FANOUT));
        }
        for key in &cand.body_keys {
            if let Some(list) = self.by_paragraph.get(key) {
                out.extend(list.iter().take(MAX_LINK_FANOUT));
            }
        }
        if let Some(when) = cand.published {
            if let Some(list) = self.by_stamp.get(&(when.minute(), cand.author.clone())) {
                out.extend(list.iter().take(MAX_LINK_FANOUT));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The distinct words of a headline and paragraphs.
    fn words_of(&self, headline: &HeadText, body: &[LineId]) -> Vec<u64> {
        let head = match headline {
            HeadText::Line(id) => Some(*id),
            _ => None,
        };
        lines::union(
            head.iter()
                .chain(body)
                .map(|&id| &*self.table.get(id).word_set),
        )
    }

    fn shingles_of(&self, body: &[LineId]) -> Vec<u64> {
        lines::union(body.iter().map(|&id| &*self.table.get(id).shingles))
    }

    fn version_shingles(&mut self, p: usize, v: usize) -> Vec<u64> {
        if self.posts[p].versions[v].shingles.is_none() {
            let shingles = self.shingles_of(&self.posts[p].versions[v].body);
            self.posts[p].versions[v].shingles = Some(shingles);
        }
        self.posts[p].versions[v]
            .shingles
            .clone()
            .unwrap_or_default()
    }

    fn new_post(&mut self, s: usize, cand: &Candidate, key: u128, shingles: Vec<u64>) -> usize {
        let p = self.posts.len();
        self.posts.push(PostAcc {
            versions: Vec::new(),
            seen_in: Vec::new(),
            headline_keys: Vec::new(),
            published: None,
            author: None,
            est: cand.est,
            first_seen: s,
            rank: cand.rank,
            claimed: 0,
            related: HashSet::new(),
        });
        let v = self.add_version(p, s, cand, key, shingles);
        self.claim(p, v, s, cand.published, cand.author.as_deref());
        p
    }

    fn add_version(
        &mut self,
        p: usize,
        s: usize,
        cand: &Candidate,
        key: u128,
        shingles: Vec<u64>,
    ) -> usize {
        let post = &mut self.posts[p];
        let v = post.versions.len();
        post.versions.push(VersionAcc {
            headline: cand.headline.clone(),
            headline_key: cand.headline_key,
            body: cand.body.clone(),
            body_keys: cand.body_keys.clone(),
            first_seen: s,
            last_seen: s,
            shingles: Some(shingles),
        });
        if let Some(k) = cand.headline_key {
            if !post.headline_keys.contains(&k) {
                post.headline_keys.push(k);
                self.by_headline.entry(k).or_default().push(p);
            }
        }
        for (&id, &k) in cand.body.iter().zip(&cand.body_keys) {
            if self.table.get(id).words >= MIN_LINK_WORDS {
                let list = self.by_paragraph.entry(k).or_default();
                if !list.contains(&p) && list.len() <= MAX_LINK_FANOUT {
                    list.push(p);
                }
            }
        }
        self.by_version.insert(key, (p, v));
        v
    }

    fn claim(
        &mut self,
        p: usize,
        v: usize,
        s: usize,
        published: Option<When>,
        author: Option<&str>,
    ) {
        let post = &mut self.posts[p];
        post.claimed = s + 1;
        if post.seen_in.last() != Some(&s) {
            post.seen_in.push(s);
        }
        let version = &mut post.versions[v];
        version.last_seen = version.last_seen.max(s);
        version.first_seen = version.first_seen.min(s);
        if post.author.is_none() {
            post.author = author.map(str::to_string);
        }
        if let (None, Some(when)) = (post.published, published) {
            post.published = published;
            post.est = Some(when.local);
            // Indexed once, when the post first gets its stamp: later
            // crawls of it carry the same one.
            let stamp = (when.minute(), author.map(str::to_string));
            self.by_stamp.entry(stamp).or_default().push(p);
        }
    }

    /// Posts sharing a paragraph are related (when not the same post).
    fn link_shared_paragraphs(&mut self) {
        for list in self.by_paragraph.values() {
            if list.len() < 2 || list.len() > MAX_LINK_FANOUT {
                continue;
            }
            for &a in list {
                for &b in list {
                    if a != b {
                        self.posts[a].related.insert(b);
                    }
                }
            }
        }
    }
}

/// Most crawls read both ways when a page's form leaves the side of its
/// bylines open.
const SIDE_SAMPLE: usize = 6;

/// Segment, match and assemble one group's timeline.
fn build_group(
    inputs: &[Input],
    members: &[usize],
    table: &LineTable,
    site_furniture: &HashSet<u128, lines::KeyHasher>,
    normalizer: &Normalizer,
) -> Timeline {
    let title_keys: Vec<Option<u128>> = members
        .iter()
        .map(|&m| {
            inputs[m]
                .title
                .as_deref()
                .map(|t| lines::loose_key(&normalizer.normalize(t)))
        })
        .collect();
    let no_evidence = PageEvidence::default();
    let context = |k: usize| PageContext {
        table,
        lines: &inputs[members[k]].lines,
        header: inputs[members[k]].header,
        title_key: title_keys[k],
        site_furniture,
        evidence: &no_evidence,
        side: None,
    };
    let first: Vec<Segmented> = (0..members.len())
        .into_par_iter()
        .map(|k| segment::segment(&context(k), None))
        .collect();
    let kind = group_kind(&first, inputs, members);
    let mut segs: Vec<Segmented> = first
        .into_par_iter()
        .enumerate()
        .map(|(k, seg)| {
            if seg.kind == kind {
                seg
            } else {
                segment::segment(&context(k), Some(kind))
            }
        })
        .collect();
    // What the snapshots show together (a post's own lines, the gaps
    // around it) decides furniture their wording cannot; then again.
    if kind == PageKind::LiveBlog {
        let pages: Vec<&[PageLine]> = members.iter().map(|&m| &inputs[m].lines[..]).collect();
        let votes = || segs.iter().filter_map(|s| s.side_vote.as_ref());
        let mut side = segment::page_side(votes());
        let read = |evidence: &PageEvidence, side: Option<Side>| -> Vec<Segmented> {
            (0..members.len())
                .into_par_iter()
                .map(|k| {
                    let page = PageContext {
                        evidence,
                        side,
                        ..context(k)
                    };
                    segment::segment(&page, Some(kind))
                })
                .collect()
        };
        // When the page's form leaves it open, the reading whose stamps
        // keep their text from crawl to crawl is the right one. A few
        // crawls spread over the page's life are enough to tell.
        if members.len() >= 2 && segment::before_after_near_tie(votes()) {
            let step = members.len().div_ceil(SIDE_SAMPLE);
            let sample: Vec<usize> = (0..members.len()).step_by(step).collect();
            let sample_pages: Vec<&[PageLine]> = sample.iter().map(|&k| pages[k]).collect();
            // What all the crawls show as the summary, so that under
            // "after" the newest post is not read as summary.
            let lead = PageEvidence::of_summary(table, &pages, &segs);
            let agreement_as = |side: Side| {
                let segs: Vec<Segmented> = sample
                    .par_iter()
                    .map(|&k| {
                        let page = PageContext {
                            side: Some(side),
                            evidence: &lead,
                            ..context(k)
                        };
                        segment::segment(&page, Some(kind))
                    })
                    .collect();
                evidence::agreement(table, &sample_pages, &segs)
            };
            let (before, after) = (agreement_as(Side::Before), agreement_as(Side::After));
            if let Some(settled) = segment::settle_near_tie(before, after, votes()) {
                side = Some(settled);
            }
        }
        let again = |evidence: &PageEvidence| read(evidence, side);
        // Snapshots that read their bylines otherwise than the page does
        // are read again the page's way.
        let disagree = segs.iter().any(|s| {
            s.side_vote
                .is_some_and(|v| segment::page_side(std::iter::once(&v)) != side)
        });
        if disagree {
            segs = again(&no_evidence);
        }
        let evidence = evidence::gather(table, &pages, &segs, side.unwrap_or(Side::Before));
        if !evidence.is_empty() {
            segs = again(&evidence);
        }
    }

    let mut notes = Vec::new();
    let mut undated = Vec::new();
    let mut empty = Vec::new();
    let mut postless = Vec::new();
    let mut infos: Vec<SnapshotInfo> = Vec::new();
    let mut captures: Vec<Capture> = Vec::new();
    for (k, &m) in members.iter().enumerate() {
        let input = &inputs[m];
        let mut capture = Capture::parse(input.date.as_deref());
        let mut info = SnapshotInfo {
            source: input.source.clone(),
            date: input.date.clone(),
            date_inferred: false,
        };
        if capture.day.is_none() {
            if let Some(day) = latest_post_day(table, &input.lines, &segs[k]) {
                capture.day = Some(day);
                info.date = Some(format_day(day));
                info.date_inferred = true;
                notes.push(format!(
                    "{}: no date given; {} inferred from its post times",
                    input.source,
                    format_day(day)
                ));
            } else {
                info.date = None;
                if !input.lines.is_empty() {
                    undated.push(input.source.as_str());
                }
            }
        }
        if input.lines.is_empty() {
            empty.push(input.source.as_str());
        } else if segs[k].posts.is_empty() {
            postless.push(input.source.as_str());
        }
        infos.push(info);
        captures.push(capture);
    }
    for (list, what) in [
        (
            &undated,
            "no date given and none could be inferred; placed after the dated snapshots",
        ),
        (&empty, "empty snapshot"),
        (&postless, "no posts found"),
    ] {
        if !list.is_empty() {
            notes.push(format!("{}: {what}", name_list(list)));
        }
    }

    // Snapshots oldest first; undated ones last, in input order. Crawls of
    // one day without a time of capture go by their newest post.
    // Post times, once per snapshot: they order the snapshots and date the
    // posts.
    let mut times: Vec<Option<PageTimes>> = (0..members.len())
        .map(|k| Some(resolve_times(&context(k), &segs[k], captures[k])))
        .collect();
    let pages: Vec<&[PageLine]> = members.iter().map(|&m| &inputs[m].lines[..]).collect();
    align_inferred_days(table, &pages, &segs, &mut times);
    let newest_post: Vec<Option<i64>> = times
        .iter()
        .map(|t| {
            t.as_ref()?
                .published
                .iter()
                .flatten()
                .map(|w| w.local)
                .max()
        })
        .collect();
    let when = |k: usize| {
        let c = captures[k];
        (c.day.is_none(), (c.day, c.minute, newest_post[k]))
    };
    let mut order = order::snapshot_order(members.len(), when);
    order::order_ties_by_growth(&mut order, |a, b| when(a) == when(b), &pages, table);

    let mut matcher = Matcher::new(table);
    let mut placements: Vec<Vec<Placed>> = vec![Vec::new(); members.len()];
    for (s, &k) in order.iter().enumerate() {
        let page = context(k);
        let seg = &segs[k];
        matcher.page_lines.clear();
        matcher.page_lines.extend(page.lines.iter().map(|l| l.id));
        let PageTimes {
            published,
            est,
            newest_first,
            day_inferred,
        } = times[k].take().unwrap_or_default();
        let count = seg.posts.len();
        for (i, post) in seg.posts.iter().enumerate() {
            let headline_key = match post.headline {
                Some(Headline::Line(h)) => Some(table.get(page.lines[h].id).key),
                Some(Headline::Title) => title_keys[k],
                None => None,
            };
            let body = seg.body(post);
            let key = post.key;
            let stamp = segment::post_stamp(table, page.lines, seg, post);
            if let Some(placed) = matcher.place_exact(s, key, published[i], stamp.author, kind) {
                placements[k].push(placed);
                continue;
            }
            let headline = match post.headline {
                Some(Headline::Line(h)) => HeadText::Line(page.lines[h].id),
                Some(Headline::Title) => HeadText::Title(Arc::from(
                    inputs[members[k]].title.as_deref().unwrap_or_default(),
                )),
                None => HeadText::None,
            };
            let cand = Candidate {
                headline,
                headline_key,
                body_keys: body
                    .iter()
                    .map(|&b| table.get(page.lines[b].id).key)
                    .collect(),
                body: body.iter().map(|&b| page.lines[b].id).collect(),
                published: published[i],
                day_inferred: day_inferred[i],
                est: est[i],
                author: stamp.author.map(str::to_string),
                rank: if newest_first { i } else { count - 1 - i },
            };
            let placed = match kind {
                PageKind::LiveBlog => matcher.place(s, key, cand),
                PageKind::Article => matcher.place_article(s, key, cand),
            };
            placements[k].push(placed);
        }
    }
    matcher.link_shared_paragraphs();

    assemble(Assembly {
        table,
        inputs,
        members,
        segs: &segs,
        order: &order,
        infos,
        placements: &placements,
        matcher,
        kind,
        notes,
    })
}

/// "a, b, c" or "a, b, c and 97 more".
fn name_list(names: &[&str]) -> String {
    const SHOWN: usize = 3;
    let mut out = names
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    out
}

/// Live blog if at least as many non-empty snapshots read as one.
fn group_kind(segs: &[Segmented], inputs: &[Input], members: &[usize]) -> PageKind {
    let mut live = 0;
    let mut article = 0;
    for (seg, &m) in segs.iter().zip(members) {
        if inputs[m].lines.is_empty() {
            continue;
        }
        match seg.kind {
            PageKind::LiveBlog => live += 1,
            PageKind::Article => article += 1,
        }
    }
    if live >= article {
        PageKind::LiveBlog
    } else {
        PageKind::Article
    }
}

/// Crawls that print clock times without dates date their posts by
/// counting back from the capture day: the latest day each time can be.
/// A crawl made just after midnight, with no time of capture, thus puts
/// the evening's posts on the day of capture, a day late; another crawl
/// of the same posts, which saw midnight pass between its posts, has them
/// right. When most of the posts a crawl shares with the others are dated
/// whole days later there than the other crawls date them (the middle of
/// their readings, so that one crawl misled by a pinned post is outvoted),
/// and the crawl printed no date at all, its days are moved back.
fn align_inferred_days(
    table: &LineTable,
    pages: &[&[PageLine]],
    segs: &[Segmented],
    times: &mut [Option<PageTimes>],
) {
    let (marks, readings) = post_readings(table, pages, segs, times);
    for k in 0..segs.len() {
        let Some(page_times) = times[k].as_mut() else {
            continue;
        };
        let stamped = page_times.published.iter().flatten().count();
        let all_inferred = (0..page_times.published.len())
            .all(|i| page_times.published[i].is_none() || page_times.day_inferred[i]);
        if stamped == 0 || !all_inferred {
            continue;
        }
        if let Some(gap) = days_late(k, page_times, &marks[k], &readings) {
            for when in page_times.published.iter_mut().flatten() {
                when.local -= gap;
            }
            for est in page_times.est.iter_mut().flatten() {
                *est -= gap;
            }
        }
    }
}

/// A post's times (crawl, local minutes), by the post's mark.
type Readings = HashMap<LineId, Vec<(usize, i64)>>;

/// Each crawl's posts marked by their first paragraph long enough to tell
/// posts apart, and each mark's times on every crawl that dates it.
fn post_readings(
    table: &LineTable,
    pages: &[&[PageLine]],
    segs: &[Segmented],
    times: &[Option<PageTimes>],
) -> (Vec<Vec<Option<LineId>>>, Readings) {
    let mut readings = Readings::new();
    let mut marks: Vec<Vec<Option<LineId>>> = Vec::with_capacity(segs.len());
    for (k, seg) in segs.iter().enumerate() {
        let page_marks: Vec<Option<LineId>> = seg
            .posts
            .iter()
            .map(|post| {
                seg.body(post)
                    .iter()
                    .map(|&b| pages[k][b].id)
                    .find(|&id| table.get(id).words >= MIN_LINK_WORDS)
            })
            .collect();
        if let Some(page_times) = &times[k] {
            for (i, mark) in page_marks.iter().enumerate() {
                if let (Some(id), Some(when)) = (mark, page_times.published[i]) {
                    readings.entry(*id).or_default().push((k, when.local));
                }
            }
        }
        marks.push(page_marks);
    }
    (marks, readings)
}

/// How many minutes (whole days) later crawl `k` dates most of the posts
/// it shares with other crawls than the middle of their readings does, if
/// more of them are late by that much than agree.
fn days_late(
    k: usize,
    page_times: &PageTimes,
    marks: &[Option<LineId>],
    readings: &Readings,
) -> Option<i64> {
    let mut agree = 0;
    let mut later_by: HashMap<i64, usize> = HashMap::new();
    for (i, mark) in marks.iter().enumerate() {
        let (Some(id), Some(mine)) = (mark, page_times.published[i]) else {
            continue;
        };
        let mut others: Vec<i64> = readings[id]
            .iter()
            .filter(|&&(other, _)| other != k)
            .map(|&(_, t)| t)
            .collect();
        if others.is_empty() {
            continue;
        }
        others.sort_unstable();
        let gap = mine.local - others[(others.len() - 1) / 2];
        if gap == 0 {
            agree += 1;
        } else if gap > 0 && gap % 1440 == 0 {
            *later_by.entry(gap).or_default() += 1;
        }
    }
    let (&gap, &votes) = later_by.iter().max_by_key(|&(&gap, &n)| (n, -gap))?;
    (votes > agree).then_some(gap)
}

/// The latest full date (with year) among a page's post stamps.
fn latest_post_day(table: &LineTable, lines: &[PageLine], seg: &Segmented) -> Option<i64> {
    seg.posts
        .iter()
        .filter_map(|p| segment::post_stamp(table, lines, seg, p).when?.date)
        .filter_map(|d| Some(days_from_civil(d.year?, d.month, d.day)))
        .max()
}

/// Post times on one page.
#[derive(Debug, Default)]
struct PageTimes {
    published: Vec<Option<When>>,
    /// Estimates for ordering.
    est: Vec<Option<i64>>,
    newest_first: bool,
    /// The post's day is not printed: it was inferred from the capture
    /// date and the clock times above it.
    day_inferred: Vec<bool>,
}

/// Post times on one page (see [`PageTimes`]).
///
/// Clock times without a date take the date of the day divider above them
/// on a page that divides its days; else the capture date, stepping back a
/// day each time the clock goes forward while reading from newest to oldest
/// (midnight passed). Relative times need the capture's time of day to be
/// published times; without it they still order the page.
fn resolve_times(page: &PageContext, seg: &Segmented, capture: Capture) -> PageTimes {
    let n = seg.posts.len();
    let divider_days = days_of_dividers(page, seg, capture);
    let stamps: Vec<Option<&Stamp>> = seg
        .posts
        .iter()
        .map(|p| segment::post_stamp(page.table, page.lines, seg, p).when)
        .collect();
    let capture_year = capture.day.map(|d| byline::civil_from_days(d).0);
    let full = |s: &Stamp| -> Option<i64> {
        let d = s.date?;
        let year = d.year.or(capture_year)?;
        let (h, m) = s.time?;
        Some(days_from_civil(year, d.month, d.day) * 1440 + i64::from(h * 60 + m))
    };
    // Which way the page runs, from the times it states in full.
    let known: Vec<i64> = stamps.iter().filter_map(|s| s.and_then(full)).collect();
    let rising = known.windows(2).filter(|w| w[1] > w[0]).count();
    let falling = known.windows(2).filter(|w| w[1] < w[0]).count();
    let newest_first = falling >= rising;
    let walk: Vec<usize> = if newest_first {
        (0..n).collect()
    } else {
        (0..n).rev().collect()
    };

    let mut published: Vec<Option<When>> = vec![None; n];
    let mut est = vec![None; n];
    let mut day_inferred = vec![false; n];
    let mut base_day = capture.day;
    let mut prev_minute = capture.minute;
    // The newest instant (UTC minutes) a post further down may have.
    let mut bound_utc = capture.end();
    for &i in &walk {
        let Some(stamp) = stamps[i] else { continue };
        let zoned_clock = stamp.zone.zip(stamp.time).filter(|_| stamp.date.is_none());
        // A date printed with the time, or a clock time under a divider.
        let under_divider = || {
            let (h, m) = stamp.time?;
            Some(divider_days[i]? * 1440 + i64::from(h * 60 + m))
        };
        if let Some(t) = full(stamp).or_else(under_divider) {
            let offset = stamp.zone.map(|z| z.offset_at_local(t));
            published[i] = Some(When { local: t, offset });
            base_day = Some(t.div_euclid(1440));
            prev_minute = Some(t.rem_euclid(1440) as u32);
            if let Some(offset) = offset {
                bound_utc = Some(t - i64::from(offset));
            }
        } else if let (Some((zone, (h, m))), Some(bound)) = (zoned_clock, bound_utc) {
            let when = latest_at_clock(zone, h * 60 + m, bound);
            published[i] = Some(when);
            day_inferred[i] = true;
            base_day = Some(when.local.div_euclid(1440));
            prev_minute = Some(when.local.rem_euclid(1440) as u32);
            bound_utc = when.utc();
        } else if let (None, Some((h, m))) = (stamp.date, stamp.time) {
            let minute = h * 60 + m;
            if prev_minute.is_some_and(|p| minute > p) {
                base_day = base_day.map(|d| d - 1);
            }
            published[i] = base_day.map(|d| When::local(d * 1440 + i64::from(minute)));
            day_inferred[i] = true;
            prev_minute = Some(minute);
        } else if let Some(ago) = stamp.ago_minutes {
            match (capture.day, capture.minute) {
                (Some(d), Some(m)) => {
                    published[i] = Some(When::local(d * 1440 + i64::from(m) - ago));
                }
                _ => est[i] = capture.end().map(|e| e - ago),
            }
        } else if let Some(d) = stamp.date {
            // A date without a time orders the post but is no published time.
            if let Some(year) = d.year.or(capture_year) {
                est[i] = Some(days_from_civil(year, d.month, d.day) * 1440 + 1439);
            }
        }
    }
    // Posts without a time take the nearest newer post's, else the capture's.
    let mut newer = capture.end();
    for &i in &walk {
        if let Some(t) = published[i].map(|w| w.local).or(est[i]) {
            est[i] = Some(t);
            newer = Some(t);
        } else {
            est[i] = newer;
        }
    }
    PageTimes {
        published,
        est,
        newest_first,
        day_inferred,
    }
}

/// For each post, the day (days since 1970) named by the nearest day
/// divider above it ("Wednesday, 17 September 2025": a date alone on its
/// line), on a page that divides its days: one with a divider below its
/// first post. A date alone above every post may be the page's own date,
/// not the day of its posts.
fn days_of_dividers(page: &PageContext, seg: &Segmented, capture: Capture) -> Vec<Option<i64>> {
    let capture_year = capture.day.map(|d| byline::civil_from_days(d).0);
    let dividers: Vec<(usize, i64)> = (0..page.lines.len())
        .filter_map(|i| {
            let stamp = page.table.get(page.lines[i].id).stamp.as_ref()?;
            let d = stamp.date.filter(|_| stamp.is_date_alone())?;
            Some((i, days_from_civil(d.year.or(capture_year)?, d.month, d.day)))
        })
        .collect();
    let starts: Vec<Option<usize>> = seg.posts.iter().map(|p| first_line(seg, p)).collect();
    let first_post = starts.iter().flatten().min();
    let divides = first_post.is_some_and(|&f| dividers.iter().any(|&(i, _)| i > f));
    if !divides {
        return vec![None; starts.len()];
    }
    starts
        .iter()
        .map(|&start| {
            let start = start?;
            let above = dividers.partition_point(|&(i, _)| i <= start);
            above.checked_sub(1).map(|k| dividers[k].1)
        })
        .collect()
}

/// A post's first line on its page: headline, paragraph or byline.
fn first_line(seg: &Segmented, post: &segment::PagePost) -> Option<usize> {
    let byline = seg.bylines(post).first().copied();
    seg.text_start(post).into_iter().chain(byline).min()
}

/// A post time: the clock reading where the post was published, and the
/// zone's offset from UTC when the page printed a zone. Two times with
/// zones are equal when they name the same moment: one crawl may print a
/// post's time in UTC and the next in the publisher's zone.
#[derive(Debug, Clone, Copy)]
struct When {
    /// Minutes since 1970-01-01 on the local clock.
    local: i64,
    /// Minutes east of UTC.
    offset: Option<i32>,
}

impl PartialEq for When {
    fn eq(&self, other: &When) -> bool {
        match (self.offset, other.offset) {
            (Some(_), Some(_)) => self.utc() == other.utc(),
            _ => self.local == other.local && self.offset == other.offset,
        }
    }
}

impl Eq for When {}

impl When {
    fn local(local: i64) -> When {
        When {
            local,
            offset: None,
        }
    }

    fn utc(self) -> Option<i64> {
        self.offset.map(|o| self.local - i64::from(o))
    }

    /// The minute that identifies the time: UTC's when the zone is known,
    /// else the local clock's.
    fn minute(self) -> i64 {
        self.utc().unwrap_or(self.local)
    }

    /// ISO 8601, with the offset when the zone is known.
    fn format(self) -> String {
        let clock = format_minutes(self.local);
        match self.offset {
            Some(offset) => clock + &zone::format_offset(offset),
            None => clock,
        }
    }
}

/// The latest instant, no later than `bound` (UTC minutes), at which a
/// clock in `zone` read `minute_of_day`: a post's time printed without a
/// date, on a page read newest first.
fn latest_at_clock(zone: Zone, minute_of_day: u32, bound: i64) -> When {
    let at = |offset: i32| {
        let reading = i64::from(minute_of_day) - i64::from(offset);
        bound - (bound - reading).rem_euclid(1440)
    };
    // The offset can depend on the date (US daylight time): take it at the
    // bound, then at the instant found.
    let guess = zone.offset_at_local(bound + i64::from(zone.offset_at_local(bound)));
    let utc = at(guess);
    let offset = zone.offset_at_local(utc + i64::from(guess));
    let utc = if offset == guess { utc } else { at(offset) };
    When {
        local: utc + i64::from(offset),
        offset: Some(offset),
    }
}

/// Everything `assemble` needs.
struct Assembly<'a> {
    table: &'a LineTable,
    inputs: &'a [Input<'a>],
    members: &'a [usize],
    segs: &'a [Segmented],
    order: &'a [usize],
    infos: Vec<SnapshotInfo>,
    placements: &'a [Vec<Placed>],
    matcher: Matcher<'a>,
    kind: PageKind,
    notes: Vec<String>,
}

fn assemble(a: Assembly) -> Timeline {
    let table = a.table;
    let posts = &a.matcher.posts;
    // Snapshot numbers so far are positions in `order`; so are the output's.
    let snapshots: Vec<SnapshotInfo> = a.order.iter().map(|&k| a.infos[k].clone()).collect();

    // Newest first.
    let mut sorted: Vec<usize> = (0..posts.len()).collect();
    sorted.sort_by_key(|&p| {
        let post = &posts[p];
        (
            std::cmp::Reverse(
                post.published
                    .map(|w| w.local)
                    .or(post.est)
                    .unwrap_or(i64::MIN),
            ),
            std::cmp::Reverse(post.first_seen),
            post.rank,
            p,
        )
    });
    let mut out_index = vec![0; posts.len()];
    for (o, &p) in sorted.iter().enumerate() {
        out_index[p] = o;
    }
    let ids: Vec<Arc<str>> = (0..posts.len())
        .map(|p| Arc::from(format!("p{}", out_index[p] + 1)))
        .collect();
    let id = |p: usize| ids[p].clone();

    let out_posts: Vec<Post> = sorted
        .iter()
        .map(|&p| {
            assemble_post(table, &posts[p], a.kind, id(p).to_string(), {
                let mut related: Vec<usize> =
                    posts[p].related.iter().map(|&r| out_index[r]).collect();
                related.sort_unstable();
                related.into_iter().map(|o| format!("p{}", o + 1)).collect()
            })
        })
        .collect();

    // Fates and removed lines, snapshot by snapshot.
    let mut fates = Vec::with_capacity(a.order.len());
    let mut removed = Vec::new();
    let mut summary: Vec<Arc<str>> = Vec::new();
    let mut summary_keys = HashSet::new();
    for (s, &k) in a.order.iter().enumerate() {
        let lines = &a.inputs[a.members[k]].lines;
        let seg = &a.segs[k];
        let placed = &a.placements[k];
        let owner = |pp: usize| -> usize {
            match placed[pp] {
                Placed::Post(p) | Placed::Duplicate(p) => p,
            }
        };
        let mut snapshot_fates = Vec::with_capacity(lines.len());
        for (i, line) in lines.iter().enumerate() {
            let (fate, of) = match seg.roles[i] {
                Role::Title => (Fate::Title, None),
                Role::Summary => (Fate::Summary, None),
                Role::Post(pp) => match placed[pp] {
                    Placed::Post(p) => (Fate::Post(out_index[p]), None),
                    Placed::Duplicate(p) => (Fate::Removed(Reason::Duplicate), Some(p)),
                },
                Role::Byline(pp) => (Fate::Removed(Reason::Byline), pp.map(owner)),
                Role::Furniture(pp) => (Fate::Removed(Reason::Furniture), pp.map(owner)),
                Role::Duplicate(pp) => (Fate::Removed(Reason::Duplicate), Some(owner(pp))),
            };
            if let Fate::Removed(reason) = fate {
                removed.push(Removed {
                    snapshot: s,
                    line: line.number as usize,
                    reason,
                    of: of.map(id),
                    text: table.get(line.id).text.clone(),
                });
            }
            snapshot_fates.push(LineFate {
                line: line.number,
                fate,
            });
        }
        fates.push(snapshot_fates);
    }
    // Summary: newest snapshot's paragraphs first, then older ones' extras.
    let mut summary_newest = None;
    for &k in a.order.iter().rev() {
        let lines = &a.inputs[a.members[k]].lines;
        for &i in &a.segs[k].summary {
            let info = table.get(lines[i].id);
            if summary_keys.insert(info.key) {
                summary.push(info.text.clone());
            }
        }
        summary_newest.get_or_insert(summary.len());
    }

    let mut titles: Vec<String> = Vec::new();
    for &k in a.order {
        if let Some(t) = &a.inputs[a.members[k]].title {
            if titles.last() != Some(t) {
                titles.retain(|old| old != t);
                titles.push(t.clone());
            }
        }
    }
    let title = titles.pop();
    Timeline {
        title,
        earlier_titles: titles,
        kind: a.kind,
        snapshots,
        summary_newest: summary_newest.unwrap_or(0),
        summary,
        posts: out_posts,
        removed,
        fates,
        notes: a.notes,
    }
}

fn head_text(table: &LineTable, head: &HeadText) -> Arc<str> {
    match head {
        HeadText::None => Arc::from(""),
        HeadText::Line(id) => table.get(*id).shown.clone(),
        HeadText::Title(t) => t.clone(),
    }
}

fn assemble_post(
    table: &LineTable,
    post: &PostAcc,
    kind: PageKind,
    id: String,
    related: Vec<String>,
) -> Post {
    let mut order: Vec<usize> = (0..post.versions.len()).collect();
    order.sort_by_key(|&v| (post.versions[v].first_seen, v));
    let mut versions = Vec::with_capacity(order.len());
    let mut previous: Option<&VersionAcc> = None;
    for &v in &order {
        let version = &post.versions[v];
        let change = match previous {
            None => Change::First,
            Some(prev) => change(table, prev, version, kind),
        };
        versions.push(Version {
            first_seen: version.first_seen,
            last_seen: version.last_seen,
            headline: head_text(table, &version.headline),
            body: version
                .body
                .iter()
                .map(|&l| table.get(l).shown.clone())
                .collect(),
            change,
        });
        previous = Some(version);
    }
    let current = &post.versions[post.current()];
    Post {
        id,
        headline: head_text(table, &current.headline),
        body: current
            .body
            .iter()
            .map(|&l| table.get(l).shown.clone())
            .collect(),
        published: post.published.map(When::format),
        author: post.author.clone(),
        first_seen: post.first_seen,
        last_seen: post.seen_in.last().copied().unwrap_or(post.first_seen),
        seen_in: post.seen_in.clone(),
        versions,
        related,
    }
}

/// How `new` differs from `old`. In an article, text that only grew at the
/// end by at least three paragraphs (or a third) is later pages appearing.
fn change(table: &LineTable, old: &VersionAcc, new: &VersionAcc, kind: PageKind) -> Change {
    let headline = old.headline_key != new.headline_key;
    let old_keys: HashSet<u128, lines::KeyHasher> = old.body_keys.iter().copied().collect();
    let new_keys: HashSet<u128, lines::KeyHasher> = new.body_keys.iter().copied().collect();
    let added: Vec<LineId> = new
        .body
        .iter()
        .zip(&new.body_keys)
        .filter(|(_, k)| !old_keys.contains(k))
        .map(|(&l, _)| l)
        .collect();
    let gone: Vec<LineId> = old
        .body
        .iter()
        .zip(&old.body_keys)
        .filter(|(_, k)| !new_keys.contains(k))
        .map(|(&l, _)| l)
        .collect();
    let prefix = new.body_keys.starts_with(&old.body_keys);
    let grew = new.body_keys.len() - old.body_keys.len().min(new.body_keys.len());
    if kind == PageKind::Article
        && !headline
        && prefix
        && (grew >= 3 || grew * 3 >= old.body_keys.len().max(1))
        && grew > 0
    {
        return Change::Paginated { added: grew };
    }
    // An added paragraph that resembles a removed one is an edit of it.
    let changed = added
        .iter()
        .filter(|&&a| {
            gone.iter().any(|&g| {
                lines::similarity(&table.get(a).shingles, &table.get(g).shingles).0 >= 0.3
            })
        })
        .count()
        .min(gone.len());
    Change::Edited {
        headline,
        added: added.len() - changed,
        removed: gone.len() - changed,
        changed,
    }
}
