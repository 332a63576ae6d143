//! One snapshot's lines into title, summary, posts, bylines and furniture.
//!
//! The page is read top to bottom with each line's look from `lines`:
//!
//! * the title (the ` date YYYY-MM-DD Title` header, or the title repeated);
//! * furniture: content signals, lines the caller found recurring across a
//!   site's pages, and the paragraphs that run on from an appeal in the
//!   publisher's voice;
//! * the standfirst: a headline-like line right after the title;
//! * posts: a headline and the paragraphs under it, or — on pages whose
//!   posts have no headlines — the paragraphs between two time lines;
//! * summary: paragraphs before the first post.
//!
//! Byline and time lines stand before their posts, between headline and
//! text, or after the text, and a page is consistent about it. All three
//! readings are tried and the one that gives most posts a byline wins; on a
//! tie, a page that ends on a byline puts bylines after their posts.
//!
//! Finally, posts that repeat another post of the same page are taken out:
//! a headline-only repeat (a teaser card, with its one-line blurb) is
//! furniture of the post it advertises, a second copy is a duplicate.

use std::collections::{HashMap, HashSet};

use super::byline::Stamp;
use super::lines::{self, LineId, LineTable, Look};

/// A non-blank line of a snapshot.
#[derive(Debug, Clone, Copy)]
pub struct PageLine {
    /// 1-based line number in the snapshot's text.
    pub number: u32,
    pub id: LineId,
}

/// Live blog or single article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageKind {
    #[default]
    LiveBlog,
    Article,
}

/// Where a post's headline comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headline {
    /// A line of the page (index into the page's lines).
    Line(usize),
    /// The page title (single articles).
    Title,
}

/// A post as found on one page.
#[derive(Debug, Clone, Default)]
pub struct PagePost {
    pub headline: Option<Headline>,
    /// Indexes into the page's lines.
    pub body: Vec<usize>,
    /// The byline/time lines attached to the post.
    pub bylines: Vec<usize>,
    pub stamp: Option<Stamp>,
}

/// What became of one line of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Title,
    Summary,
    /// Headline or body of the page post with this index.
    Post(usize),
    /// A byline or time line, of the post it was attached to.
    Byline(Option<usize>),
    /// Furniture; teaser cards name the post they advertise.
    Furniture(Option<usize>),
    /// A second copy of a post on the same page.
    Duplicate(usize),
}

/// A segmented page.
#[derive(Debug, Clone, Default)]
pub struct Segmented {
    pub kind: PageKind,
    /// Standfirst and summary paragraphs (indexes into the page's lines).
    pub summary: Vec<usize>,
    pub posts: Vec<PagePost>,
    /// One role per page line.
    pub roles: Vec<Role>,
}

/// The line classes segmentation works with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Title,
    Furniture,
    Byline,
    Headline,
    Body,
    Standfirst,
}

/// Where bylines stand relative to their posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Above the post ("10.32am GMT", then headline and text).
    Before,
    /// Between headline and text; bylines elsewhere open the next post.
    UnderHeadline,
    /// Below the post's text, closing it.
    After,
}

/// Context for segmenting one page.
pub struct PageContext<'a> {
    pub table: &'a LineTable,
    pub lines: &'a [PageLine],
    /// Index of the ` date … Title` header line, if any.
    pub header: Option<usize>,
    /// Match key of the page title, if it has one.
    pub title_key: Option<u128>,
    /// Keys of lines that recur across many pages of the site.
    pub site_furniture: &'a HashSet<u128>,
}

/// Segment a page; `kind` forces live-blog or article reading, `None`
/// decides from the page itself.
pub fn segment(page: &PageContext, kind: Option<PageKind>) -> Segmented {
    let classes = classify(page);
    match kind {
        Some(PageKind::Article) => article(page, &classes),
        Some(PageKind::LiveBlog) => live_blog(page, classes),
        None => {
            let live = live_blog(page, classes.clone());
            if looks_live(&live) {
                live
            } else {
                article(page, &classes)
            }
        }
    }
}

/// A page reads as a live blog when it has at least two posts with text,
/// or two posts with bylines.
fn looks_live(seg: &Segmented) -> bool {
    let with_body = seg.posts.iter().filter(|p| !p.body.is_empty()).count();
    let with_byline = seg.posts.iter().filter(|p| !p.bylines.is_empty()).count();
    with_body >= 2 || with_byline >= 2
}

fn classify(page: &PageContext) -> Vec<Class> {
    let table = page.table;
    let mut classes: Vec<Class> = page
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let info = table.get(line.id);
            if Some(i) == page.header || Some(info.key) == page.title_key {
                Class::Title
            } else if info.furniture || page.site_furniture.contains(&info.key) {
                Class::Furniture
            } else if info.stamp.is_some() {
                Class::Byline
            } else if info.look == Look::Headline {
                Class::Headline
            } else {
                Class::Body
            }
        })
        .collect();
    extend_appeals(page, &mut classes);
    classes
}

/// Paragraphs in the publisher's voice that follow an appeal ("Your
/// support helps us…", then "we believe…", "your donation…") are part of it.
fn extend_appeals(page: &PageContext, classes: &mut [Class]) {
    let mut in_appeal = false;
    for (i, line) in page.lines.iter().enumerate() {
        let info = page.table.get(line.id);
        match classes[i] {
            Class::Furniture => in_appeal = info.appeal || (in_appeal && info.voice),
            Class::Headline | Class::Body if in_appeal && info.voice => {
                classes[i] = Class::Furniture;
            }
            Class::Title => {}
            _ => in_appeal = false,
        }
    }
}

fn live_blog(page: &PageContext, mut classes: Vec<Class>) -> Segmented {
    let mut built = choose_side(&classes);
    // A headline-like line right after the title is the standfirst, unless
    // it turned out to have a byline of its own: then it is the first post.
    if let Some(first) = standfirst_candidate(page, &classes) {
        let has_byline = built
            .posts
            .iter()
            .any(|p| p.headline == Some(Headline::Line(first)) && !p.bylines.is_empty());
        if !has_byline {
            classes[first] = Class::Standfirst;
            built = choose_side(&classes);
        }
    }
    for post in &mut built.posts {
        post.stamp = merge_stamps(page, &post.bylines);
    }
    let fates = remove_repeats(page, &built.posts);
    finish(&classes, built, &fates)
}

/// Build posts under each reading of where bylines stand and keep the one
/// that gives most posts a byline. Ties go to "before", then "under the
/// headline", then "after" — except that a page ending on a byline puts
/// them after.
fn choose_side(classes: &[Class]) -> Built {
    let mut readings: Vec<(Side, Built)> = [Side::Before, Side::UnderHeadline, Side::After]
        .into_iter()
        .map(|side| (side, build(classes, side)))
        .collect();
    let best = readings.iter().map(|(_, b)| b.with_bylines()).max().unwrap_or(0);
    let last_is_byline = classes
        .iter()
        .rev()
        .find(|c| matches!(c, Class::Byline | Class::Headline | Class::Body))
        == Some(&Class::Byline);
    let pick = |side: Side| {
        readings
            .iter()
            .position(|(s, b)| *s == side && b.with_bylines() == best)
    };
    let chosen = (if last_is_byline { pick(Side::After) } else { None })
        .or_else(|| pick(Side::Before))
        .or_else(|| pick(Side::UnderHeadline))
        .or_else(|| pick(Side::After))
        .unwrap_or(0);
    readings.swap_remove(chosen).1
}

/// The first content line after the title, when it looks like a headline.
fn standfirst_candidate(page: &PageContext, classes: &[Class]) -> Option<usize> {
    if page.title_key.is_none() && page.header.is_none() {
        return None;
    }
    let first = classes
        .iter()
        .position(|c| matches!(c, Class::Headline | Class::Body | Class::Byline))?;
    (classes[first] == Class::Headline).then_some(first)
}

/// Posts built under one reading of where bylines stand.
#[derive(Debug, Default)]
struct Built {
    summary: Vec<usize>,
    posts: Vec<PagePost>,
    orphan_bylines: Vec<usize>,
}

impl Built {
    fn with_bylines(&self) -> usize {
        self.posts.iter().filter(|p| !p.bylines.is_empty()).count()
    }
}

/// Where the last byline went, so a run of byline lines stays together.
#[derive(Debug, Clone, Copy, PartialEq)]
enum BylineTarget {
    Pending,
    Post(usize),
    Orphan,
}

fn build(classes: &[Class], side: Side) -> Built {
    let mut out = Built::default();
    let has_headlines = classes.contains(&Class::Headline);
    let has_bylines = classes.contains(&Class::Byline);
    let mut pending: Vec<usize> = Vec::new();
    let mut current: Option<usize> = None;
    // After-bylines close their post: text that follows starts a new one.
    let mut closed = false;
    let mut last: Option<Class> = None;
    let mut last_target = BylineTarget::Orphan;
    for (i, &class) in classes.iter().enumerate() {
        match class {
            Class::Title | Class::Furniture | Class::Standfirst => continue,
            Class::Byline => {
                let under_headline = side == Side::UnderHeadline && last == Some(Class::Headline);
                let target = if last == Some(Class::Byline) {
                    last_target
                } else if let Some(c) =
                    current.filter(|&c| under_headline && out.posts[c].bylines.is_empty())
                {
                    BylineTarget::Post(c)
                } else {
                    match side {
                        Side::Before | Side::UnderHeadline => BylineTarget::Pending,
                        Side::After => match current {
                            Some(c) if !closed && out.posts[c].bylines.is_empty() => {
                                closed = true;
                                BylineTarget::Post(c)
                            }
                            _ => BylineTarget::Orphan,
                        },
                    }
                };
                match target {
                    BylineTarget::Pending => pending.push(i),
                    BylineTarget::Post(c) => out.posts[c].bylines.push(i),
                    BylineTarget::Orphan => out.orphan_bylines.push(i),
                }
                last_target = target;
            }
            Class::Headline => {
                out.posts.push(PagePost {
                    headline: Some(Headline::Line(i)),
                    bylines: std::mem::take(&mut pending),
                    ..PagePost::default()
                });
                current = Some(out.posts.len() - 1);
                closed = false;
            }
            Class::Body => {
                let open = current.filter(|_| !closed);
                let headless_start = !pending.is_empty()
                    || (closed && current.is_some())
                    || (current.is_none() && side == Side::After && has_bylines && !has_headlines);
                if headless_start {
                    out.posts.push(PagePost {
                        body: vec![i],
                        bylines: std::mem::take(&mut pending),
                        ..PagePost::default()
                    });
                    current = Some(out.posts.len() - 1);
                    closed = false;
                } else if let Some(c) = open {
                    out.posts[c].body.push(i);
                } else {
                    out.summary.push(i);
                }
            }
        }
        last = Some(class);
    }
    out.orphan_bylines.append(&mut pending);
    out
}

/// One stamp from a post's byline lines: the first author and the first
/// time given.
fn merge_stamps(page: &PageContext, bylines: &[usize]) -> Option<Stamp> {
    let mut merged: Option<Stamp> = None;
    for &i in bylines {
        let Some(stamp) = &page.table.get(page.lines[i].id).stamp else {
            continue;
        };
        let m = merged.get_or_insert_with(Stamp::default);
        if m.author.is_none() {
            m.author.clone_from(&stamp.author);
        }
        let has_time = m.date.is_some() || m.time.is_some() || m.ago_minutes.is_some();
        if !has_time {
            m.date = stamp.date;
            m.time = stamp.time;
            m.ago_minutes = stamp.ago_minutes;
            m.updated = stamp.updated;
        }
    }
    merged
}

/// What became of a page post after repeats were taken out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Kept,
    Teaser(usize),
    Duplicate(usize),
}

fn headline_key(page: &PageContext, post: &PagePost) -> Option<u128> {
    match post.headline {
        Some(Headline::Line(i)) => Some(page.table.get(page.lines[i].id).key),
        _ => None,
    }
}

fn body_keys(page: &PageContext, post: &PagePost) -> Vec<u128> {
    post.body
        .iter()
        .map(|&i| page.table.get(page.lines[i].id).key)
        .collect()
}

fn body_shingles(page: &PageContext, post: &PagePost) -> Vec<u64> {
    lines::union(
        post.body
            .iter()
            .map(|&i| &*page.table.get(page.lines[i].id).shingles),
    )
}

/// Teaser cards and second copies of posts on the same page.
fn remove_repeats(page: &PageContext, posts: &[PagePost]) -> Vec<Fate> {
    let mut fates = vec![Fate::Kept; posts.len()];
    let keys: Vec<Option<u128>> = posts.iter().map(|p| headline_key(page, p)).collect();
    // Only posts that share a headline can repeat one another (headless
    // posts are compared by their exact text further down).
    let mut by_headline: HashMap<u128, Vec<usize>> = HashMap::new();
    for (i, key) in keys.iter().enumerate() {
        if let Some(key) = key {
            by_headline.entry(*key).or_default().push(i);
        }
    }
    // The post with the most text under a headline is the real one.
    let primary_of = |i: usize| -> Option<usize> {
        let same = by_headline.get(&keys[i]?)?;
        same.iter()
            .copied()
            .filter(|&j| j != i)
            .max_by_key(|&j| (posts[j].body.len(), std::cmp::Reverse(j)))
            .filter(|&j| posts[j].body.len() > posts[i].body.len())
    };
    for i in 0..posts.len() {
        let Some(primary) = primary_of(i) else {
            continue;
        };
        if is_blurb(page, &posts[i], &posts[primary]) {
            fates[i] = Fate::Teaser(primary);
            // A headline-only line right after a teaser that restates the
            // advertised post is the card's blurb.
            if let Some(next) = posts.get(i + 1) {
                let restates = next.body.is_empty()
                    && primary_of(i + 1).is_none()
                    && contained_in(page, next, &posts[primary]) >= 0.6;
                if restates {
                    fates[i + 1] = Fate::Teaser(primary);
                }
            }
        } else {
            let primary_keys = body_keys(page, &posts[primary]);
            if body_keys(page, &posts[i])
                .iter()
                .all(|k| primary_keys.contains(k))
            {
                fates[i] = Fate::Duplicate(primary);
            }
        }
    }
    // Second copies: the same text again, or the same headline over nearly
    // the same text.
    let mut first_copy: HashMap<u128, usize> = HashMap::new();
    for i in 0..posts.len() {
        if fates[i] != Fate::Kept {
            continue;
        }
        let text_key = post_key(keys[i], &body_keys(page, &posts[i]));
        if let Some(&j) = first_copy.get(&text_key) {
            fates[i] = Fate::Duplicate(j);
            continue;
        }
        first_copy.insert(text_key, i);
        let Some(same) = keys[i].and_then(|k| by_headline.get(&k)) else {
            continue;
        };
        let mine = body_shingles(page, &posts[i]);
        let earlier = same.iter().copied().take_while(|&j| j < i).find(|&j| {
            fates[j] == Fate::Kept
                && lines::similarity(&mine, &body_shingles(page, &posts[j])).0 >= 0.8
        });
        if let Some(j) = earlier {
            fates[i] = Fate::Duplicate(j);
        }
    }
    fates
}

/// A hash of a post's headline key and paragraph keys: equal for posts that
/// read the same after normalization.
pub fn post_key(headline: Option<u128>, body: &[u128]) -> u128 {
    let mut bytes = Vec::with_capacity(16 * (body.len() + 1));
    bytes.extend_from_slice(&headline.unwrap_or(0).to_le_bytes());
    for key in body {
        bytes.extend_from_slice(&key.to_le_bytes());
    }
    xxhash_rust::xxh3::xxh3_128(&bytes)
}

/// A headline repeat with no text, or one short paragraph not in the post.
fn is_blurb(page: &PageContext, teaser: &PagePost, primary: &PagePost) -> bool {
    match teaser.body.as_slice() {
        [] => true,
        [only] => {
            let info = page.table.get(page.lines[*only].id);
            info.words <= 40 && !body_keys(page, primary).contains(&info.key)
        }
        _ => false,
    }
}

/// Share of `post`'s headline words found in `other`'s headline and body.
fn contained_in(page: &PageContext, post: &PagePost, other: &PagePost) -> f64 {
    let Some(Headline::Line(h)) = post.headline else {
        return 0.0;
    };
    let words = &page.table.get(page.lines[h].id).word_set;
    let mut other_lines: Vec<usize> = other.body.clone();
    if let Some(Headline::Line(oh)) = other.headline {
        other_lines.push(oh);
    }
    let other_words = lines::union(
        other_lines
            .iter()
            .map(|&i| &*page.table.get(page.lines[i].id).word_set),
    );
    if words.is_empty() {
        return 0.0;
    }
    lines::intersection(words, &other_words) as f64 / words.len() as f64
}

/// Assign roles and renumber the surviving posts.
fn finish(classes: &[Class], built: Built, fates: &[Fate]) -> Segmented {
    let mut new_index = vec![usize::MAX; built.posts.len()];
    let mut posts = Vec::new();
    for (i, post) in built.posts.iter().enumerate() {
        if fates[i] == Fate::Kept {
            new_index[i] = posts.len();
            posts.push(post.clone());
        }
    }
    let mut roles: Vec<Role> = classes
        .iter()
        .map(|c| match c {
            Class::Title => Role::Title,
            Class::Standfirst => Role::Summary,
            Class::Byline => Role::Byline(None),
            // Headlines and bodies are all claimed below; furniture stays.
            _ => Role::Furniture(None),
        })
        .collect();
    let mut summary: Vec<usize> = classes
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == Class::Standfirst)
        .map(|(i, _)| i)
        .collect();
    summary.extend(&built.summary);
    summary.sort_unstable();
    for &i in &built.summary {
        roles[i] = Role::Summary;
    }
    for (i, post) in built.posts.iter().enumerate() {
        let (text_role, owner) = match fates[i] {
            Fate::Kept => (Role::Post(new_index[i]), new_index[i]),
            Fate::Teaser(p) => (Role::Furniture(Some(new_index[p])), new_index[p]),
            Fate::Duplicate(p) => (Role::Duplicate(new_index[p]), new_index[p]),
        };
        if let Some(Headline::Line(h)) = post.headline {
            roles[h] = text_role;
        }
        for &b in &post.body {
            roles[b] = text_role;
        }
        for &b in &post.bylines {
            roles[b] = Role::Byline(Some(owner));
        }
    }
    Segmented {
        kind: PageKind::LiveBlog,
        summary,
        posts,
        roles,
    }
}

/// The whole page as one article: every text line in one post under the
/// page title.
fn article(page: &PageContext, classes: &[Class]) -> Segmented {
    let mut post = PagePost::default();
    let mut roles = Vec::with_capacity(classes.len());
    for (i, class) in classes.iter().enumerate() {
        roles.push(match class {
            Class::Title => Role::Title,
            Class::Furniture => Role::Furniture(None),
            Class::Byline => {
                post.bylines.push(i);
                Role::Byline(Some(0))
            }
            Class::Headline | Class::Body | Class::Standfirst => {
                // Without a title, a leading headline-like line is the headline.
                let untitled = page.title_key.is_none() && page.header.is_none();
                if untitled
                    && post.headline.is_none()
                    && post.body.is_empty()
                    && *class == Class::Headline
                {
                    post.headline = Some(Headline::Line(i));
                } else {
                    post.body.push(i);
                }
                Role::Post(0)
            }
        });
    }
    if post.headline.is_none() && (page.title_key.is_some() || page.header.is_some()) {
        post.headline = Some(Headline::Title);
    }
    post.stamp = merge_stamps(page, &post.bylines);
    let has_text = !post.body.is_empty() || matches!(post.headline, Some(Headline::Line(_)));
    if !has_text {
        // Nothing to make a post of: bylines are then of no post.
        for role in &mut roles {
            if *role == Role::Byline(Some(0)) {
                *role = Role::Byline(None);
            }
        }
    }
    Segmented {
        kind: PageKind::Article,
        summary: Vec::new(),
        posts: if has_text { vec![post] } else { Vec::new() },
        roles,
    }
}
