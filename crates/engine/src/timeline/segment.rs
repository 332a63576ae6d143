//! One snapshot's lines into title, summary, posts, bylines and furniture.
//!
//! The page is read top to bottom with each line's look from `lines`:
//!
//! * the title (the ` date YYYY-MM-DD Title` header, or the title repeated);
//! * furniture: content signals, lines the caller found recurring across a
//!   site's pages or judged from the page's other crawls (`evidence`), and
//!   the paragraphs that run on from an appeal in the publisher's voice;
//! * the standfirst: a headline-like line right after the title;
//! * posts: a headline and the paragraphs under it, or — on pages whose
//!   posts have no headlines — the paragraphs between two time lines;
//! * summary: paragraphs before the first post.
//!
//! Byline and time lines stand before their posts, between headline and
//! text, or after the text, and a page is consistent about it. All three
//! readings are tried and each snapshot votes ([`SideVote`]); the caller
//! decides once for all crawls of a page ([`page_side`]).
//!
//! On a page with three or more stamps (byline runs, or times that open a
//! headline), only a stamp opens a post: a headline-like line elsewhere is
//! a line of the post it stands in, or, when it repeats another post's
//! headline, that post's teaser card. What reads as a post without a stamp
//! is the summary above the first stamped post and furniture below the
//! last. Pages without stamps open a post at every headline-like line.
//!
//! Finally, posts that repeat another post of the same page are taken out:
//! a headline-only repeat (a teaser card, with its one-line blurb) is
//! furniture of the post it advertises, a second copy is a duplicate.

use std::collections::{HashMap, HashSet};

use super::byline::Stamp;
use super::evidence::PageEvidence;
use super::lines::{self, KeyHasher, LineId, LineTable, Look};

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

/// A run of entries in one of a [`Segmented`] page's line lists. Posts keep
/// spans rather than vectors of their own: a page of a thousand posts,
/// crawled a thousand times, would otherwise cost millions of allocations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    start: u32,
    end: u32,
}

impl Span {
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    fn of(list: &[usize], span: Span) -> &[usize] {
        &list[span.start as usize..span.end as usize]
    }
}

/// A post as found on one page.
#[derive(Debug, Clone, Copy, Default)]
pub struct PagePost {
    pub headline: Option<Headline>,
    /// Its paragraphs: a span of [`Segmented::body_lines`].
    pub body: Span,
    /// Its byline/time lines: a span of [`Segmented::byline_lines`].
    pub bylines: Span,
    /// [`post_key`] of its headline and paragraphs.
    pub key: u128,
}

impl PagePost {
    /// The page line that is its headline, when a line of the page is.
    pub fn headline_line(&self) -> Option<usize> {
        match self.headline {
            Some(Headline::Line(h)) => Some(h),
            _ => None,
        }
    }
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
    /// Indexes of page lines that are post paragraphs, post by post.
    pub body_lines: Vec<usize>,
    /// Indexes of page lines that are post bylines, post by post.
    pub byline_lines: Vec<usize>,
    /// One role per page line.
    pub roles: Vec<Role>,
    /// What the page says about where its bylines stand (pages with
    /// bylines, read as a live blog).
    pub side_vote: Option<SideVote>,
}

impl Segmented {
    /// A post's paragraphs (indexes into the page's lines).
    pub fn body(&self, post: &PagePost) -> &[usize] {
        Span::of(&self.body_lines, post.body)
    }

    /// A post's byline lines (indexes into the page's lines).
    pub fn bylines(&self, post: &PagePost) -> &[usize] {
        Span::of(&self.byline_lines, post.bylines)
    }

    /// Where a post's text (its headline, else its first paragraph)
    /// starts on the page.
    pub fn text_start(&self, post: &PagePost) -> Option<usize> {
        let body = self.body(post).first().copied();
        post.headline_line().into_iter().chain(body).min()
    }
}

/// What a post's byline lines say: the first author and the first time.
#[derive(Debug, Clone, Copy, Default)]
pub struct PostStamp<'t> {
    pub author: Option<&'t str>,
    pub when: Option<&'t Stamp>,
}

/// The stamp of a post on a segmented page.
pub fn post_stamp<'t>(
    table: &'t LineTable,
    lines: &[PageLine],
    seg: &Segmented,
    post: &PagePost,
) -> PostStamp<'t> {
    let mut out = PostStamp::default();
    // A time printed beside the headline is the post's own.
    if let Some(i) = post.headline_line() {
        out.when = table.get(lines[i].id).lead_stamp.as_ref();
    }
    for i in bylines_nearest_first(seg, post) {
        let info = table.get(lines[i].id);
        let Some(stamp) = &info.stamp else {
            // A byline line without a time is an author line.
            if out.author.is_none() {
                out.author = Some(&info.text);
            }
            continue;
        };
        if out.author.is_none() {
            out.author = stamp.author.as_deref();
        }
        let has_when = stamp.has_when();
        // A time of day beats a date alone (a day divider standing just
        // above the post's time line).
        let dated_only = |s: &Stamp| s.time.is_none() && s.ago_minutes.is_none();
        let better = match out.when {
            None => has_when,
            Some(current) => dated_only(current) && !dated_only(stamp),
        };
        if better {
            out.when = Some(stamp);
        }
    }
    out
}

/// A post's byline lines, the run that stands nearest its text first.
///
/// Above a post, a key-events entry (its time and a one-word headline such
/// as "Summary", read as a label) can stand over the post's own byline;
/// the byline is the run next to the text, not the first time in the gap.
/// Runs are lines next to each other; within a run the order is the
/// page's.
fn bylines_nearest_first(seg: &Segmented, post: &PagePost) -> Vec<usize> {
    let bylines = seg.bylines(post);
    let Some(text_start) = seg.text_start(post) else {
        return bylines.to_vec();
    };
    let mut runs: Vec<&[usize]> = bylines.chunk_by(|a, b| b == &(a + 1)).collect();
    // Runs above the text, nearest (last) first; then those below it, in
    // order (the nearest is already first).
    let above = runs.iter().take_while(|run| run[0] < text_start).count();
    runs[..above].reverse();
    runs.concat()
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
pub enum Side {
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
    pub site_furniture: &'a HashSet<u128, lines::KeyHasher>,
    /// What the page's other snapshots show (empty on the first pass).
    pub evidence: &'a PageEvidence,
    /// Where the page's bylines stand, when decided for all its snapshots.
    pub side: Option<Side>,
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

/// A page reads as a live blog when two posts carry bylines, or when it
/// has posts with text and they are not just the subheads of an article.
/// An article's subheads are few and come after a long opening, so: four
/// or more posts with text, or two or more with no more opening paragraphs
/// than posts.
fn looks_live(seg: &Segmented) -> bool {
    let with_body = seg.posts.iter().filter(|p| !p.body.is_empty()).count();
    let with_byline = seg.posts.iter().filter(|p| !p.bylines.is_empty()).count();
    with_byline >= 2 || with_body >= 4 || (with_body >= 2 && seg.summary.len() <= with_body)
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
            } else if info.furniture
                || page.site_furniture.contains(&info.key)
                || page.evidence.furniture.contains(&info.key)
            {
                Class::Furniture
            } else if info.stamp.is_some() {
                Class::Byline
            } else if info.look == Look::Headline || info.lead_stamp.is_some() {
                // A line that opens with its post's time opens the post.
                Class::Headline
            } else {
                Class::Body
            }
        })
        .collect();
    extend_appeals(page, &mut classes);
    mark_author_lines(page, &mut classes);
    classes
}

/// Fewest different time lines a name must stand beside before it reads as
/// the author line of a byline rather than a short headline.
const MIN_AUTHOR_STAMPS: usize = 2;

/// A line that is only a person's name ("Hugo Doherty"), standing directly
/// above or below time lines, is part of those bylines: pages that print
/// the author on a line of their own would otherwise turn every author
/// into a one-line post. A name stands beside the times of several posts,
/// where a short headline, even one printed twice, stands beside one time
/// only; once the page has shown such names on one side of its time lines,
/// a name-like line on that side of any time line is an author too (one
/// who wrote a single post).
fn mark_author_lines(page: &PageContext, classes: &mut [Class]) {
    let key_of = |i: usize| page.table.get(page.lines[i].id).key;
    let name_at = |classes: &[Class], i: usize| {
        classes[i] == Class::Headline && page.table.get(page.lines[i].id).name_like
    };
    let byline_at = |classes: &[Class], j: Option<usize>| {
        j.is_some_and(|j| classes.get(j) == Some(&Class::Byline))
    };
    // For each name: the time lines it stands beside, above and below them.
    let mut beside: HashMap<u128, (HashSet<u128>, HashSet<u128>)> = HashMap::new();
    for i in (0..classes.len()).filter(|&i| name_at(classes, i)) {
        let entry = beside.entry(key_of(i)).or_default();
        if byline_at(classes, Some(i + 1)) {
            entry.0.insert(key_of(i + 1));
        }
        if byline_at(classes, i.checked_sub(1)) {
            entry.1.insert(key_of(i - 1));
        }
    }
    let confirmed = |side: fn(&(HashSet<u128>, HashSet<u128>)) -> usize| {
        beside.values().any(|b| side(b) >= MIN_AUTHOR_STAMPS)
    };
    let names_above = confirmed(|b| b.0.len());
    let names_below = confirmed(|b| b.1.len());
    for i in 0..classes.len() {
        if !name_at(classes, i) {
            continue;
        }
        let above_a_time = names_above && byline_at(classes, Some(i + 1));
        let below_a_time = names_below && byline_at(classes, i.checked_sub(1));
        if above_a_time || below_a_time {
            classes[i] = Class::Byline;
        }
    }
}

/// Paragraphs in the publisher's voice that follow an appeal ("Your
/// support helps us…", then "we believe…", "your donation…") are part of it.
/// So is a short headline-like line that speaks to the reader between two
/// lines of furniture: a sign-up box's title or button ("Start your day
/// with …", "Edit my preferences") between its prompts.
fn extend_appeals(page: &PageContext, classes: &mut [Class]) {
    let mut in_appeal = false;
    for (i, line) in page.lines.iter().enumerate() {
        let info = page.table.get(line.id);
        match classes[i] {
            Class::Furniture => in_appeal = info.appeal || (in_appeal && info.voice),
            Class::Headline | Class::Body if in_appeal && info.voice => {
                classes[i] = Class::Furniture;
            }
            Class::Headline if is_widget_line_between_furniture(page, classes, i) => {
                classes[i] = Class::Furniture;
            }
            Class::Title => {}
            _ => in_appeal = false,
        }
    }
}

/// Most words in a widget's title or button.
const MAX_WIDGET_LINE_WORDS: u32 = 8;

/// Line `i` is short, without closing punctuation (a question in a post
/// is no button), speaks to the reader (or as the reader, "my"), and
/// stands between two lines of furniture.
fn is_widget_line_between_furniture(page: &PageContext, classes: &[Class], i: usize) -> bool {
    let info = page.table.get(page.lines[i].id);
    let furniture_at =
        |j: Option<usize>| j.is_some_and(|j| classes.get(j) == Some(&Class::Furniture));
    let readers_own = info
        .text
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word == "my");
    info.words <= MAX_WIDGET_LINE_WORDS
        && !lines::ends_closed(&info.text)
        && (info.voice || readers_own)
        && furniture_at(i.checked_sub(1))
        && furniture_at(Some(i + 1))
}

fn live_blog(page: &PageContext, mut classes: Vec<Class>) -> Segmented {
    // A headline-like line right after the title is the standfirst, unless
    // it has a byline of its own: then it is the first post. It can only
    // have one if a byline follows it or its paragraphs.
    let candidate = standfirst_candidate(page, &classes);
    let may_be_post = candidate.is_some_and(|c| byline_follows_block(&classes, c));
    if let (Some(c), false) = (candidate, may_be_post) {
        classes[c] = Class::Standfirst;
    }
    let (mut built, mut vote) = build_posts(page, &classes);
    if let (Some(c), true) = (candidate, may_be_post) {
        let has_byline = built
            .posts
            .iter()
            .any(|p| p.headline == Some(Headline::Line(c)) && !p.bylines.is_empty());
        if !has_byline {
            classes[c] = Class::Standfirst;
            (built, vote) = build_posts(page, &classes);
        }
    }
    let fates = remove_repeats(page, &mut built);
    Segmented {
        side_vote: vote,
        ..finish(&classes, built, &fates)
    }
}

/// Whether the first byline after line `at` comes before the next headline.
fn byline_follows_block(classes: &[Class], at: usize) -> bool {
    classes[at + 1..]
        .iter()
        .find(|c| matches!(c, Class::Byline | Class::Headline))
        == Some(&Class::Byline)
}

/// The page's posts, built under the reading of bylines that fits it; on a
/// page whose posts all carry bylines, only a byline opens a post.
fn build_posts(page: &PageContext, classes: &[Class]) -> (Built, Option<SideVote>) {
    // Once the page's side is known, the snapshot's own vote is not needed.
    let vote = match page.side {
        Some(_) => None,
        None => side_vote(page, classes),
    };
    let side = page
        .side
        .or_else(|| page_side(vote.iter()))
        .unwrap_or(Side::Before);
    let marks = LineMarks::of(page, classes);
    let opener = if byline_runs(page, classes) >= MIN_STAMPS_FOR_STRICT {
        Opener::Bylines
    } else if marks.timed.iter().filter(|&&t| t).count() >= MIN_STAMPS_FOR_STRICT {
        Opener::Timed
    } else {
        Opener::AnyHeadline
    };
    let mut built = build(classes, side, true, opener, &marks);
    if opener == Opener::Bylines {
        built.drop_unstamped_posts();
    }
    // Where stamps open their posts, the last post runs to the page's foot.
    match opener {
        Opener::Bylines if side != Side::After => {
            if let Some(cut) = built.foot_cards_from(classes, |_| true) {
                built.cut_last_post(cut);
            }
        }
        // A post that opens with its time may end on a list of short
        // lines after an ad; what reads as cards is cut only where
        // another crawl shows the post, whole, without those lines.
        Opener::Timed => {
            let key = |i: usize| page.table.get(page.lines[i].id).key;
            let evidence = &page.evidence.last_post_lines_shown_without;
            if let Some(cut) = built.foot_cards_from(classes, |i| evidence.contains(&key(i))) {
                built.cut_last_post(cut);
            }
        }
        _ => {}
    }
    (built, vote)
}

/// What strict post opening needs to know of each line.
#[derive(Debug, Default)]
struct LineMarks {
    /// A headline-like line that opens with its post's time.
    timed: Vec<bool>,
    /// A line that is the headline of a post elsewhere on the page.
    post_headline: Vec<bool>,
    /// A line the crawls show as the page's summary; `None` without
    /// evidence from other crawls.
    summary: Option<Vec<bool>>,
}

impl LineMarks {
    fn of(page: &PageContext, classes: &[Class]) -> LineMarks {
        let info = |i: usize| page.table.get(page.lines[i].id);
        LineMarks {
            timed: (0..classes.len())
                .map(|i| classes[i] == Class::Headline && info(i).lead_stamp.is_some())
                .collect(),
            post_headline: (0..classes.len())
                .map(|i| page.evidence.headlines.contains(&info(i).key))
                .collect(),
            // Only a page read with its bylines after its posts uses them.
            summary: page
                .evidence
                .summary
                .as_ref()
                .filter(|_| page.side == Some(Side::After))
                .map(|summary| summary_marks(page, classes, summary)),
        }
    }

    /// Whether line `i` is the headline of a post elsewhere on the page
    /// (false when that is not known).
    fn is_post_headline(&self, i: usize) -> bool {
        self.post_headline.get(i) == Some(&true)
    }

    /// On a page whose bylines stand after their posts, where the summary
    /// ends and the newest post begins: lines above the first byline up to
    /// the last summary line the crawls agree on are the summary, the rest
    /// is the newest post. `None` when that is not known (one crawl, or
    /// bylines that stand before their posts).
    fn newest_post_from(&self, classes: &[Class], side: Side, opener: Opener) -> Option<usize> {
        let summary = self.summary.as_ref()?;
        if side != Side::After || opener != Opener::Bylines {
            return None;
        }
        let first_byline = classes.iter().position(|c| *c == Class::Byline)?;
        let last_summary = (0..first_byline).rev().find(|&i| summary[i]);
        Some(last_summary.map_or(0, |i| i + 1))
    }
}

/// Which lines are the page's summary lines (`summary`, from the crawls
/// together). Above the first byline, where the summary meets the newest
/// post, an edit of a summary line counts too (a key point extended by a
/// clause); only the lines nearest the byline are compared, so the work
/// stays linear.
fn summary_marks(page: &PageContext, classes: &[Class], summary: &[LineId]) -> Vec<bool> {
    let info = |i: usize| page.table.get(page.lines[i].id);
    let keys: HashSet<u128, KeyHasher> = summary.iter().map(|&id| page.table.get(id).key).collect();
    let mut marks: Vec<bool> = (0..classes.len())
        .map(|i| keys.contains(&info(i).key))
        .collect();
    let Some(first_byline) = classes.iter().position(|c| *c == Class::Byline) else {
        return marks;
    };
    let compared = &summary[..summary.len().min(MAX_SUMMARY_COMPARED)];
    let edited = |line: &lines::LineInfo| {
        line.look == Look::Body
            && compared.iter().any(|&s| {
                let (jaccard, _) = lines::similarity(&line.word_set, &page.table.get(s).word_set);
                jaccard >= EDITED_SUMMARY_SIMILARITY
            })
    };
    let lead = first_byline.saturating_sub(MAX_LEAD_COMPARED)..first_byline;
    for (mark, i) in marks[lead.clone()].iter_mut().zip(lead) {
        *mark = *mark || edited(info(i));
    }
    marks
}

/// Word Jaccard above which a line is an edit of a summary line.
const EDITED_SUMMARY_SIMILARITY: f64 = 0.5;
/// Lines above the first byline compared with the summary for edits.
const MAX_LEAD_COMPARED: usize = 64;
/// Summary lines they are compared with.
const MAX_SUMMARY_COMPARED: usize = 64;

/// Fewest stamped posts that make a page one whose posts all carry stamps:
/// a page that stamps its posts stamps every one of them.
const MIN_STAMPS_FOR_STRICT: usize = 3;

/// What may open a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opener {
    /// Any headline-like line (pages without stamps).
    AnyHeadline,
    /// Only a headline where the page's bylines say a post begins.
    Bylines,
    /// Only a line that opens with its post's time.
    Timed,
}

/// Runs of byline lines that name a post's time or author, furniture
/// between them not breaking a run. A date alone is a day divider
/// ("Tuesday 12 March"), not a post's stamp.
fn byline_runs(page: &PageContext, classes: &[Class]) -> usize {
    let post_stamp = |i: usize| {
        page.table
            .get(page.lines[i].id)
            .stamp
            .as_ref()
            .is_none_or(|s| !s.is_date_alone())
    };
    let mut runs = 0;
    let mut counted = false;
    for (i, class) in classes.iter().enumerate() {
        match class {
            Class::Byline if !counted && post_stamp(i) => {
                runs += 1;
                counted = true;
            }
            Class::Byline | Class::Furniture => {}
            _ => counted = false,
        }
    }
    runs
}

/// Build posts under each reading of where bylines stand and count the
/// posts each gives a byline (see [`page_side`]).
fn side_vote(page: &PageContext, classes: &[Class]) -> Option<SideVote> {
    if !classes.contains(&Class::Byline) {
        return None;
    }
    let mut scores = [0; 3];
    for (score, side) in scores.iter_mut().zip(SIDES) {
        let built = build(
            classes,
            side,
            false,
            Opener::AnyHeadline,
            &LineMarks::default(),
        );
        *score = built.with_bylines();
    }
    Some(SideVote {
        scores,
        ends_without_text: no_text_after_last_byline(page, classes),
    })
}

/// The readings of bylines, in the order ties are settled.
const SIDES: [Side; 3] = [Side::Before, Side::UnderHeadline, Side::After];

/// What one snapshot says about where its bylines stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SideVote {
    /// Posts given a byline under each reading of [`SIDES`].
    scores: [usize; 3],
    /// No paragraph follows the last byline.
    ends_without_text: bool,
}

/// Where a page's bylines stand, from the votes of its snapshots (one, or
/// all the crawls of the page: a page keeps its layout from crawl to
/// crawl). The reading that gives most posts a byline wins; but bylines
/// stand after their posts when most snapshots end on a byline rather than
/// on text and that reading comes within 5 % of the best. Other ties go to
/// "before", then "under the headline". (A
/// short last post and a teaser card's blurb look alike, so how a page
/// ends only settles near-ties.)
pub fn page_side<'v>(votes: impl Iterator<Item = &'v SideVote>) -> Option<Side> {
    let mut scores = [0; 3];
    let (mut voters, mut end_on_byline) = (0, 0);
    for vote in votes {
        for (total, score) in scores.iter_mut().zip(vote.scores) {
            *total += score;
        }
        voters += 1;
        end_on_byline += usize::from(vote.ends_without_text);
    }
    if voters == 0 {
        return None;
    }
    let best = scores.iter().copied().max().unwrap_or(0);
    let score = |side: Side| scores[SIDES.iter().position(|&s| s == side).unwrap_or(0)];
    let wins = |side: Side| score(side) == best;
    // "After" loses a byline wherever the newest post's text reads as the
    // summary: close to the best is enough when the pages end on bylines.
    let after_close = score(Side::After) * 20 >= best * 19;
    let side = if 2 * end_on_byline > voters && after_close {
        Side::After
    } else {
        SIDES
            .into_iter()
            .find(|&side| wins(side))
            .unwrap_or(Side::Before)
    };
    Some(side)
}

/// Whether the votes leave "before" and "after" within 15 % of each other:
/// the page's form cannot tell them apart (a short last post and a teaser's
/// blurb look alike), and what its crawls show together must.
pub fn before_after_near_tie<'v>(votes: impl Iterator<Item = &'v SideVote>) -> bool {
    let (mut before, mut after) = (0, 0);
    for vote in votes {
        before += vote.scores[0];
        after += vote.scores[2];
    }
    let (low, high) = (before.min(after), before.max(after));
    high > 0 && low * 20 >= high * 17
}

/// Where bylines stand on a page whose form left "before" and "after" near
/// a tie ([`before_after_near_tie`]), from how well each reading's stamped
/// posts keep their text from crawl to crawl (`before`, `after`: the
/// agreement of each) and the page's votes; `None` when the agreement ties
/// too. "After" must also be how some crawl ends: a page whose bylines
/// follow their posts ends on a byline (or a short foot) in at least one
/// crawl, while one whose every crawl has a post's text after its last
/// byline reads them before. Furniture the crawls place differently
/// between posts can tip the agreement by a post or two either way.
pub fn settle_near_tie<'v>(
    before: isize,
    after: isize,
    mut votes: impl Iterator<Item = &'v SideVote>,
) -> Option<Side> {
    if before == after {
        return None;
    }
    let some_crawl_ends_on_bylines = votes.any(|vote| vote.ends_without_text);
    Some(if after > before && some_crawl_ends_on_bylines {
        Side::After
    } else {
        Side::Before
    })
}

/// Whether no post's worth of text follows the page's last byline: the page
/// ends on a byline, or on headline-like lines, labels and a teaser's
/// one-sentence blurb. Bylines that stand before their posts are followed
/// by the oldest post's text.
fn no_text_after_last_byline(page: &PageContext, classes: &[Class]) -> bool {
    let Some(last_byline) = classes.iter().rposition(|c| *c == Class::Byline) else {
        return false;
    };
    let words: u32 = (last_byline..classes.len())
        .map(|i| (classes[i], page.table.get(page.lines[i].id).words))
        // A headline-like line as long as a post is a paragraph that lost
        // its closing punctuation (a cut-off or embedded post), not a label.
        .filter(|&(class, words)| {
            class == Class::Body || (class == Class::Headline && words >= MIN_POST_WORDS)
        })
        .map(|(_, words)| words)
        .sum();
    words < MIN_POST_WORDS
}

/// Fewer words of running text than this are a blurb or a label, not a
/// post.
const MIN_POST_WORDS: u32 = 20;

/// The first content line after the title, when it looks like a headline.
fn standfirst_candidate(page: &PageContext, classes: &[Class]) -> Option<usize> {
    if page.title_key.is_none() && page.header.is_none() {
        return None;
    }
    let first = classes
        .iter()
        .position(|c| matches!(c, Class::Headline | Class::Body | Class::Byline))?;
    // A line that carries its post's time opens a post.
    let timed = page.table.get(page.lines[first].id).lead_stamp.is_some();
    (classes[first] == Class::Headline && !timed).then_some(first)
}

/// Posts built under one reading of where bylines stand.
#[derive(Debug, Default)]
struct Built {
    record: bool,
    summary: Vec<usize>,
    posts: Vec<PagePost>,
    body_lines: Vec<usize>,
    byline_lines: Vec<usize>,
    orphan_bylines: Vec<usize>,
}

impl Built {
    fn with_bylines(&self) -> usize {
        self.posts.iter().filter(|p| !p.bylines.is_empty()).count()
    }

    fn body(&self, post: &PagePost) -> &[usize] {
        Span::of(&self.body_lines, post.body)
    }

    /// On a page that stamps every post, what reads as a post without a
    /// byline is not one: above the first stamped post it is the summary
    /// (a key-points label and its points), below the last it is the
    /// page's foot (chrome and teaser cards), left as furniture.
    fn drop_unstamped_posts(&mut self) {
        let Some(first_stamped) = self.posts.iter().position(|p| !p.bylines.is_empty()) else {
            return;
        };
        for post in &self.posts[..first_stamped] {
            if let Some(Headline::Line(h)) = post.headline {
                self.summary.push(h);
            }
            self.summary
                .extend_from_slice(Span::of(&self.body_lines, post.body));
        }
        self.summary.sort_unstable();
        self.posts.retain(|p| !p.bylines.is_empty());
    }

    /// On a page whose stamps open their posts, the last post runs to the
    /// page's foot, where related-story cards stand under a prompt or a
    /// label. Lines of the last post that follow furniture and are, like
    /// everything after them to the end of the page, headline-like lines
    /// and furniture only, read as those cards, not the post's text (which
    /// reads as running text after an ad or a prompt inside it). The
    /// post keeps at least its first line (its headline, else its first
    /// paragraph). The cards start at the first such line `is_card`
    /// accepts; returned as the index into the post's paragraphs.
    fn foot_cards_from(&self, classes: &[Class], is_card: impl Fn(usize) -> bool) -> Option<usize> {
        let post = self.posts.last()?;
        let body = Span::of(&self.body_lines, post.body);
        // From the end of the page back: where only headline-like lines
        // and furniture stand.
        let foot_from = (0..classes.len())
            .rev()
            .take_while(|&i| matches!(classes[i], Class::Headline | Class::Furniture))
            .last()?;
        let headline = post.headline_line();
        let first_kept = usize::from(headline.is_none());
        let line_before = |k: usize| if k == 0 { headline } else { Some(body[k - 1]) };
        let after_furniture = |k: usize| {
            line_before(k)
                .is_some_and(|before| (before + 1..body[k]).any(|i| classes[i] == Class::Furniture))
        };
        (first_kept..body.len())
            .find(|&k| body[k] >= foot_from && after_furniture(k) && is_card(body[k]))
    }

    /// Ends the last post before its paragraph `cut`; the lines taken out
    /// stay furniture.
    fn cut_last_post(&mut self, cut: usize) {
        if let Some(post) = self.posts.last_mut() {
            post.body.end = post.body.start + cut as u32;
        }
    }

    /// Start a post; `pending` bylines are its own.
    fn open(&mut self, headline: Option<Headline>, pending: &mut Vec<usize>) -> usize {
        let start = self.byline_lines.len() as u32;
        self.byline_lines.append(pending);
        let body_start = self.body_lines.len() as u32;
        self.posts.push(PagePost {
            headline,
            key: 0,
            body: Span {
                start: body_start,
                end: body_start,
            },
            bylines: Span {
                start,
                end: self.byline_lines.len() as u32,
            },
        });
        self.posts.len() - 1
    }

    /// Add a paragraph to the last post.
    fn add_body(&mut self, line: usize) {
        if !self.record {
            // Only emptiness matters when scoring.
            if let Some(post) = self.posts.last_mut() {
                post.body.end = post.body.start + 1;
            }
            return;
        }
        self.body_lines.push(line);
        if let Some(post) = self.posts.last_mut() {
            post.body.end = self.body_lines.len() as u32;
        }
    }

    /// Add a byline to the last post.
    fn add_byline(&mut self, line: usize) {
        self.byline_lines.push(line);
        if let Some(post) = self.posts.last_mut() {
            post.bylines.end = self.byline_lines.len() as u32;
        }
    }
}

/// Where the last byline went, so a run of byline lines stays together.
#[derive(Debug, Clone, Copy, PartialEq)]
enum BylineTarget {
    Pending,
    /// The post being built (always the last one).
    Current,
    Orphan,
}

/// Posts under one reading of bylines. Without `record`, only the posts
/// and their byline counts are kept (enough to score the reading). When
/// `opener` is strict, a headline-like line opens a post only where the page's
/// bylines say a post begins; elsewhere it is a line of the post it stands
/// in (a caption, a quote's lead-in, an embedded post).
fn build(classes: &[Class], side: Side, record: bool, opener: Opener, marks: &LineMarks) -> Built {
    let mut out = Built {
        record,
        ..Built::default()
    };
    let has_headlines = classes.contains(&Class::Headline);
    let has_bylines = classes.contains(&Class::Byline);
    let byline_next = byline_comes_next(classes);
    let mut seen_byline = false;
    let mut pending: Vec<usize> = Vec::new();
    // Whether a post is being built (it is always the last one).
    let mut current = false;
    // After-bylines close their post: text that follows starts a new one.
    let mut closed = false;
    let mut last: Option<Class> = None;
    let mut last_target = BylineTarget::Orphan;
    let newest_post_from = if record {
        marks.newest_post_from(classes, side, opener)
    } else {
        None
    };
    let in_summary = |i: usize| newest_post_from.is_some_and(|from| i < from);
    // Under "after", above the first byline, once the newest post has
    // opened under a headline the crawls know, or with a paragraph where
    // the crawls show the summary ends, the headline-like lines before its
    // byline are its own lines (a tweet, a quote), unless they head posts
    // elsewhere. (A post that opens under a headline-like line nobody
    // knows may have opened on page chrome: that proves nothing.)
    let mut newest_post_known = false;
    for (i, &class) in classes.iter().enumerate() {
        match class {
            Class::Title | Class::Furniture | Class::Standfirst => continue,
            Class::Byline => {
                let current_free =
                    current && out.posts.last().is_some_and(|p| p.bylines.is_empty());
                let target = if last == Some(Class::Byline) {
                    last_target
                } else if side == Side::UnderHeadline
                    && last == Some(Class::Headline)
                    && current_free
                {
                    BylineTarget::Current
                } else {
                    match side {
                        Side::Before | Side::UnderHeadline => BylineTarget::Pending,
                        Side::After if current_free && !closed => {
                            closed = true;
                            BylineTarget::Current
                        }
                        Side::After => BylineTarget::Orphan,
                    }
                };
                seen_byline = true;
                match target {
                    BylineTarget::Pending => pending.push(i),
                    BylineTarget::Current => out.add_byline(i),
                    BylineTarget::Orphan => out.orphan_bylines.push(i),
                }
                last_target = target;
            }
            Class::Headline => {
                let opens = match (opener, side) {
                    (Opener::AnyHeadline, _) => true,
                    (Opener::Timed, _) => marks.timed[i],
                    (Opener::Bylines, Side::Before) => !pending.is_empty(),
                    (Opener::Bylines, Side::UnderHeadline) => byline_next[i],
                    (Opener::Bylines, Side::After) => {
                        let inside_known = !seen_byline
                            && current
                            && newest_post_known
                            && !marks.is_post_headline(i);
                        (!current || closed || !seen_byline) && !in_summary(i) && !inside_known
                    }
                };
                if opens && !seen_byline {
                    newest_post_known = marks.is_post_headline(i);
                }
                if opens {
                    out.open(Some(Headline::Line(i)), &mut pending);
                    current = true;
                    closed = false;
                } else if marks.is_post_headline(i) {
                    // Another post's headline where no post begins: a
                    // teaser card for that post (left as furniture).
                } else if current && !closed {
                    out.add_body(i);
                } else if out.record {
                    out.summary.push(i);
                }
            }
            Class::Body => {
                // Under "after", text below a byline opens a post, and so
                // does text above the first byline where the crawls show
                // where the summary ends. Without that evidence a page with
                // headlines keeps it as the summary when posts are built;
                // the vote counts it as a post, or a headline-like line
                // inside a post would leave "after" its first byline
                // unclaimed and lose the vote.
                let after_opens =
                    seen_byline || !has_headlines || !out.record || newest_post_from.is_some();
                let headless_start = !pending.is_empty()
                    || (closed && current)
                    || (!current
                        && side == Side::After
                        && has_bylines
                        && after_opens
                        && !in_summary(i));
                if headless_start {
                    if !seen_byline {
                        newest_post_known = newest_post_from.is_some();
                    }
                    out.open(None, &mut pending);
                    out.add_body(i);
                    current = true;
                    closed = false;
                } else if current && !closed {
                    out.add_body(i);
                } else if out.record {
                    out.summary.push(i);
                }
            }
        }
        last = Some(class);
    }
    out.orphan_bylines.append(&mut pending);
    out
}

/// For each line, whether the next line that is not furniture is a byline.
fn byline_comes_next(classes: &[Class]) -> Vec<bool> {
    let mut out = vec![false; classes.len()];
    let mut next_is_byline = false;
    for i in (0..classes.len()).rev() {
        out[i] = next_is_byline;
        match classes[i] {
            Class::Title | Class::Furniture | Class::Standfirst => {}
            class => next_is_byline = class == Class::Byline,
        }
    }
    out
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

fn line_key(page: &PageContext, i: usize) -> u128 {
    page.table.get(page.lines[i].id).key
}

fn body_shingles(page: &PageContext, body: &[usize]) -> Vec<u64> {
    lines::union(
        body.iter()
            .map(|&i| &*page.table.get(page.lines[i].id).shingles),
    )
}

/// Teaser cards and second copies of posts on the same page.
fn remove_repeats(page: &PageContext, built: &mut Built) -> Vec<Fate> {
    for i in 0..built.posts.len() {
        let post = built.posts[i];
        let body = built.body(&post).iter().map(|&b| line_key(page, b));
        built.posts[i].key = post_key(headline_key(page, &post), body);
    }
    let built = &*built;
    let posts = &built.posts;
    let mut fates = vec![Fate::Kept; posts.len()];
    let keys: Vec<Option<u128>> = posts.iter().map(|p| headline_key(page, p)).collect();
    // Only posts that share a headline can repeat one another (headless
    // posts are compared by their exact text further down). Most headlines
    // are unique: count first, list only the shared ones.
    let mut counts: HashMap<u128, u32, lines::KeyHasher> = HashMap::default();
    for key in keys.iter().flatten() {
        *counts.entry(*key).or_default() += 1;
    }
    let mut by_headline: HashMap<u128, Vec<usize>, lines::KeyHasher> = HashMap::default();
    for (i, key) in keys.iter().enumerate() {
        if let Some(key) = key.filter(|k| counts[k] > 1) {
            by_headline.entry(key).or_default().push(i);
        }
    }
    let shares_headline = |i: usize| keys[i].is_some_and(|k| by_headline.contains_key(&k));
    // The post with the most text under a headline is the real one. The
    // two best of each headline are found once, so a label over thousands
    // of posts costs one pass.
    let rank = |j: usize| (posts[j].body.len(), std::cmp::Reverse(j));
    let best_two: HashMap<u128, (usize, Option<usize>), lines::KeyHasher> = by_headline
        .iter()
        .filter_map(|(&key, same)| {
            let best = same.iter().copied().max_by_key(|&j| rank(j))?;
            let second = same
                .iter()
                .copied()
                .filter(|&j| j != best)
                .max_by_key(|&j| rank(j));
            Some((key, (best, second)))
        })
        .collect();
    let primary_of = |i: usize| -> Option<usize> {
        let &(best, second) = best_two.get(&keys[i]?)?;
        let other = if best == i { second? } else { best };
        (posts[other].body.len() > posts[i].body.len()).then_some(other)
    };
    for i in (0..posts.len()).filter(|&i| shares_headline(i)) {
        let Some(primary) = primary_of(i) else {
            continue;
        };
        let primary_keys: Vec<u128> = built
            .body(&posts[primary])
            .iter()
            .map(|&b| line_key(page, b))
            .collect();
        if is_blurb(page, built.body(&posts[i]), &primary_keys) {
            fates[i] = Fate::Teaser(primary);
            // A headline-only line right after a teaser that restates the
            // advertised post is the card's blurb.
            if let Some(next) = posts.get(i + 1) {
                let restates = next.body.is_empty()
                    && primary_of(i + 1).is_none()
                    && contained_in(page, built, next, &posts[primary]) >= 0.6;
                if restates {
                    fates[i + 1] = Fate::Teaser(primary);
                }
            }
        } else if built
            .body(&posts[i])
            .iter()
            .all(|&b| primary_keys.contains(&line_key(page, b)))
        {
            fates[i] = Fate::Duplicate(primary);
        }
    }
    // Second copies: the same text again, or the same headline over nearly
    // the same text.
    let mut first_copy: HashMap<u128, usize, lines::KeyHasher> = HashMap::default();
    for i in 0..posts.len() {
        if fates[i] != Fate::Kept {
            continue;
        }
        let body = built.body(&posts[i]);
        let text_key = posts[i].key;
        if let Some(&j) = first_copy.get(&text_key) {
            fates[i] = Fate::Duplicate(j);
            continue;
        }
        first_copy.insert(text_key, i);
        if !shares_headline(i) {
            continue;
        }
        let same = &by_headline[&keys[i].unwrap_or_default()];
        let mine = body_shingles(page, body);
        // A copy is printed near its original: the nearest earlier posts
        // under the headline are enough, and keep a page of thousands of
        // posts under one label linear.
        let before_me = same.partition_point(|&j| j < i);
        let earlier = same[before_me.saturating_sub(MAX_COPY_DISTANCE)..before_me]
            .iter()
            .copied()
            .find(|&j| {
                fates[j] == Fate::Kept
                    && lines::similarity(&mine, &body_shingles(page, built.body(&posts[j]))).0
                        >= 0.8
            });
        if let Some(j) = earlier {
            fates[i] = Fate::Duplicate(j);
        }
    }
    point_at_kept_posts(&mut fates);
    fates
}

/// Earlier posts under the same headline compared with a post to find the
/// one it copies.
const MAX_COPY_DISTANCE: usize = 32;

/// A teaser or copy may name a post that is itself a teaser or copy (many
/// near-identical posts under one headline): point it at the kept post at
/// the end of that chain, or keep it when the chain ends nowhere.
fn point_at_kept_posts(fates: &mut [Fate]) {
    for i in 0..fates.len() {
        let mut target = match fates[i] {
            Fate::Kept => continue,
            Fate::Teaser(p) | Fate::Duplicate(p) => p,
        };
        let mut steps = 0;
        while let Fate::Teaser(p) | Fate::Duplicate(p) = fates[target] {
            steps += 1;
            if p == i || steps > fates.len() {
                break;
            }
            target = p;
        }
        fates[i] = match (fates[i], fates[target]) {
            (Fate::Teaser(_), Fate::Kept) => Fate::Teaser(target),
            (Fate::Duplicate(_), Fate::Kept) => Fate::Duplicate(target),
            _ => Fate::Kept,
        };
    }
}

/// A hash of a post's headline key and paragraph keys: equal for posts that
/// read the same after normalization.
pub fn post_key(headline: Option<u128>, body: impl Iterator<Item = u128>) -> u128 {
    // The parts are xxh3 hashes already; an order-sensitive fold of them
    // (rotate, xor, multiply by an odd constant) is enough.
    const MIX: u128 = 0x2545_F491_4F6C_DD1D_6C8E_9CF5_7093_2BD5;
    let mut h = headline.unwrap_or(0) ^ 0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C834;
    for key in body {
        h = (h.rotate_left(23) ^ key).wrapping_mul(MIX);
    }
    h
}

/// A headline repeat with no text, or one short paragraph not in the post.
fn is_blurb(page: &PageContext, teaser_body: &[usize], primary_keys: &[u128]) -> bool {
    match teaser_body {
        [] => true,
        [only] => {
            let info = page.table.get(page.lines[*only].id);
            info.words <= 40 && !primary_keys.contains(&info.key)
        }
        _ => false,
    }
}

/// Share of `post`'s headline words found in `other`'s headline and body.
fn contained_in(page: &PageContext, built: &Built, post: &PagePost, other: &PagePost) -> f64 {
    let Some(Headline::Line(h)) = post.headline else {
        return 0.0;
    };
    let words = &page.table.get(page.lines[h].id).word_set;
    let mut other_lines: Vec<usize> = built.body(other).to_vec();
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
    crate::shingle::intersection_size(words, &other_words) as f64 / words.len() as f64
}

/// Assign roles and renumber the surviving posts.
fn finish(classes: &[Class], built: Built, fates: &[Fate]) -> Segmented {
    let mut new_index = vec![usize::MAX; built.posts.len()];
    let mut posts = Vec::new();
    for (i, post) in built.posts.iter().enumerate() {
        if fates[i] == Fate::Kept {
            new_index[i] = posts.len();
            posts.push(*post);
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
        for &b in built.body(post) {
            roles[b] = text_role;
        }
        for &b in Span::of(&built.byline_lines, post.bylines) {
            roles[b] = Role::Byline(Some(owner));
        }
    }
    Segmented {
        kind: PageKind::LiveBlog,
        summary,
        posts,
        body_lines: built.body_lines,
        byline_lines: built.byline_lines,
        roles,
        side_vote: None,
    }
}

/// The whole page as one article: every text line in one post under the
/// page title.
fn article(page: &PageContext, classes: &[Class]) -> Segmented {
    let mut headline = None;
    let mut body_lines = Vec::new();
    let mut byline_lines = Vec::new();
    let untitled = page.title_key.is_none() && page.header.is_none();
    let mut roles = Vec::with_capacity(classes.len());
    for (i, class) in classes.iter().enumerate() {
        roles.push(match class {
            Class::Title => Role::Title,
            Class::Furniture => Role::Furniture(None),
            Class::Byline => {
                byline_lines.push(i);
                Role::Byline(Some(0))
            }
            Class::Headline | Class::Body | Class::Standfirst => {
                // Without a title, a leading headline-like line is the headline.
                if untitled
                    && headline.is_none()
                    && body_lines.is_empty()
                    && *class == Class::Headline
                {
                    headline = Some(Headline::Line(i));
                } else {
                    body_lines.push(i);
                }
                Role::Post(0)
            }
        });
    }
    if headline.is_none() && !untitled {
        headline = Some(Headline::Title);
    }
    let has_text = !body_lines.is_empty() || matches!(headline, Some(Headline::Line(_)));
    if !has_text {
        // Nothing to make a post of: bylines are then of no post.
        for role in &mut roles {
            if *role == Role::Byline(Some(0)) {
                *role = Role::Byline(None);
            }
        }
    }
    let headline_key = match headline {
        Some(Headline::Line(h)) => Some(line_key(page, h)),
        Some(Headline::Title) => page.title_key,
        None => None,
    };
    let post = PagePost {
        headline,
        key: post_key(headline_key, body_lines.iter().map(|&b| line_key(page, b))),
        body: Span {
            start: 0,
            end: body_lines.len() as u32,
        },
        bylines: Span {
            start: 0,
            end: byline_lines.len() as u32,
        },
    };
    Segmented {
        kind: PageKind::Article,
        summary: Vec::new(),
        posts: if has_text { vec![post] } else { Vec::new() },
        body_lines,
        byline_lines,
        roles,
        side_vote: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_settles_a_near_tie_only_where_a_crawl_ends_on_bylines() {
        let vote = |ends_without_text| SideVote {
            scores: [18, 18, 18],
            ends_without_text,
        };
        let text_after_every_last_byline = [vote(false), vote(false), vote(false)];
        let one_ends_on_a_byline = [vote(false), vote(true), vote(false)];
        assert_eq!(
            settle_near_tie(25, 26, text_after_every_last_byline.iter()),
            Some(Side::Before)
        );
        assert_eq!(
            settle_near_tie(18, 19, one_ends_on_a_byline.iter()),
            Some(Side::After)
        );
        assert_eq!(
            settle_near_tie(26, 25, one_ends_on_a_byline.iter()),
            Some(Side::Before)
        );
        assert_eq!(settle_near_tie(20, 20, one_ends_on_a_byline.iter()), None);
    }
}
