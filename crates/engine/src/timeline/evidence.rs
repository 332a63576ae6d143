//! Furniture judged from evidence across the snapshots of one page.
//!
//! Once every snapshot is segmented, the posts that carry a stamp (an
//! author and a time) can be recognised from snapshot to snapshot by that
//! stamp, whatever furniture stands around them. Four kinds of line then
//! show themselves as furniture, whatever their wording:
//!
//! * a line found inside two or more *different* posts, or heading two
//!   posts of one snapshot: a post's own lines belong to one post, while a
//!   prompt, a share row or an ad label is printed wherever the page has a
//!   gap;
//! * a headline-like line (no closing punctuation) that one snapshot shows
//!   inside a post and another snapshot of the same post does not, with
//!   nothing like it there: a teaser card or a prompt that stood in the gap
//!   beside the post that crawl; with it the card's label above it and its
//!   blurb between such lines, or between one and where the other crawls
//!   begin the post (a card in the gap above it). An edited line has a
//!   similar line in the other version and is kept; so is a rewritten
//!   headline, which leaves the page, while a card read as a headline is
//!   still printed elsewhere in the other crawl (and where the other
//!   crawl's "headline" is such a card, a line here that speaks to the
//!   reader is one too); and so is a paragraph the post keeps from the
//!   crawl that adds it to the newest (an edit under an ad label);
//! * a run of lines that a crawl prints outside every post and a crawl (the
//!   same or another) inside one, speaking to the reader: a widget (a
//!   newsletter box, an appeal) printed at the top and between posts
//!   ([`widgets_printed_twice`]);
//! * a label of a few words among a post's paragraphs that some crawl
//!   prints on its own outside every post: page chrome run into the first
//!   or last post ([`labels_printed_outside_posts`]).
//!
//! Lines a first reading left just above a post (in the summary, or in a
//! post without a stamp) are still on that page: where they continue the
//! post as another crawl shows it, they are the start of the post cut
//! short, not lines missing from it.
//!
//! A teaser that repeats a real post's headline is recognised when
//! segmenting again: the headlines of the page's posts are passed on, and
//! such a line where no post begins is the teaser card of its post. A
//! line that heads a post in fewer crawls than it stands inside the same
//! post, or that cut the post short (its opening lines stand above it),
//! is no headline: a tweet or a quote inside the post.
//!
//! The result is a set of line keys; segmentation then runs again with
//! them as furniture of this page, and with the page's summary as the
//! crawls show it together ([`summary_lines`]).
//!
//! The same recognition of posts by their stamps also settles where a
//! page's bylines stand when its form leaves it open ([`agreement`]).

use std::collections::{HashMap, HashSet};

use super::lines::{self, KeyHasher, LineId, LineInfo, LineTable, Look};
use super::segment::{self, PageLine, PagePost, Role, Segmented, Side};

/// Lines that are furniture on this page, and headlines of its posts.
#[derive(Debug, Default)]
pub struct PageEvidence {
    /// Keys of lines that are furniture wherever they stand on this page.
    pub furniture: HashSet<u128, KeyHasher>,
    /// Keys of post headlines: elsewhere on the page, such a line is a
    /// teaser card for its post.
    pub headlines: HashSet<u128, KeyHasher>,
    /// Some post holds another post's headline among its paragraphs.
    pub headline_copies: bool,
    /// The page's summary lines, when the page has two or more crawls
    /// (see [`summary_lines`]).
    pub summary: Option<Vec<LineId>>,
    /// Keys of lines of a crawl's last post that another crawl shows the
    /// post, whole, without (see [`last_post_lines_shown_without`]).
    pub last_post_lines_shown_without: HashSet<u128, KeyHasher>,
}

impl PageEvidence {
    /// Whether segmenting again with this evidence can change anything.
    pub fn is_empty(&self) -> bool {
        self.furniture.is_empty()
            && !self.headline_copies
            && self.summary.is_none()
            && self.last_post_lines_shown_without.is_empty()
    }

    /// Only what the crawls say the page's summary is, read as a page whose
    /// bylines stand after their posts.
    pub fn of_summary(table: &LineTable, pages: &[&[PageLine]], segs: &[Segmented]) -> Self {
        PageEvidence {
            summary: summary_lines(table, pages, segs, Side::After),
            ..PageEvidence::default()
        }
    }
}

/// Word Jaccard above which a missing line counts as edited, not furniture.
const EDITED_LINE_SIMILARITY: f64 = 0.5;
/// Share of the shorter line's words the longer must hold for the two to
/// be one paragraph with a sentence added or cut (the Jaccard of a
/// paragraph that doubled is below one half)...
const EXTENDED_LINE_CONTAINMENT: f64 = 0.9;
/// ... when the shorter line is a sentence, not a few words any
/// paragraph may hold.
const EXTENDED_LINE_MIN_WORDS: usize = 8;

/// One stamped post as one snapshot shows it.
struct Occurrence {
    identity: u64,
    /// The crawl (index among the page's snapshots) that shows it.
    crawl: usize,
    headline: Option<LineId>,
    body: Vec<LineId>,
    /// The lines printed directly above it outside any stamped post (see
    /// [`lead_in_above`]). A first reading may cut the newest post short
    /// where it meets the summary; the lines it lost stand here, still on
    /// the page, and are not missing from it.
    lead_in: Vec<LineId>,
}

impl Occurrence {
    /// The stamped posts of one segmented snapshot, crawl number `crawl`
    /// (`lines` are its lines).
    fn all_of<'a>(
        table: &'a LineTable,
        crawl: usize,
        lines: &'a [PageLine],
        seg: &'a Segmented,
    ) -> impl Iterator<Item = Occurrence> + 'a {
        seg.posts.iter().filter_map(move |post| {
            Some(Occurrence {
                identity: identity(table, lines, seg, post)?,
                crawl,
                headline: headline_id(lines, post),
                body: seg.body(post).iter().map(|&i| lines[i].id).collect(),
                lead_in: lead_in_above(seg, post, |p| identity(table, lines, seg, p).is_some())
                    .map(|i| lines[i].id)
                    .collect(),
            })
        })
    }

    fn lines(&self) -> impl Iterator<Item = LineId> + '_ {
        self.headline.into_iter().chain(self.body.iter().copied())
    }
}

/// The opening lines of a post (`lines`, as one crawl shows it) that a
/// first reading of another crawl (`other`) left out of the post there:
/// the lines that stand, in the same order, right above where `other`
/// begins, matched backwards from there.
fn opening_left_above<'o>(
    table: &LineTable,
    lines: &[LineId],
    other: &'o Occurrence,
) -> &'o [LineId] {
    let key = |id: LineId| table.get(id).key;
    let Some(other_first) = other.lines().next() else {
        return &[];
    };
    let Some(cut) = lines.iter().position(|&id| key(id) == key(other_first)) else {
        return &[];
    };
    let lead_in = &other.lead_in;
    let matched = lines[..cut]
        .iter()
        .rev()
        .zip(lead_in.iter().rev())
        .take_while(|&(&a, &b)| key(a) == key(b))
        .count();
    &lead_in[lead_in.len() - matched..]
}

/// The page lines (indexes) that run up to a post's first line with
/// nothing else between, and that a first reading left outside every
/// stamped post: the summary, or a post without a stamp of its own.
fn lead_in_above(
    seg: &Segmented,
    post: &PagePost,
    stamped: impl Fn(&PagePost) -> bool,
) -> std::ops::Range<usize> {
    let Some(first) = seg.text_start(post) else {
        return 0..0;
    };
    let outside_stamped_posts = |role: &Role| match role {
        Role::Summary => true,
        Role::Post(p) => !stamped(&seg.posts[*p]),
        _ => false,
    };
    let start = seg.roles[..first]
        .iter()
        .rposition(|role| !outside_stamped_posts(role))
        .map_or(0, |i| i + 1);
    start..first
}

/// The line id of a post's headline, when a line of the page is one.
fn headline_id(lines: &[PageLine], post: &PagePost) -> Option<LineId> {
    post.headline_line().map(|h| lines[h].id)
}

/// Gather the evidence of a page's segmented snapshots (`pages[k]` are the
/// lines of `segs[k]`, read with their bylines on `side` of their posts).
pub fn gather(
    table: &LineTable,
    pages: &[&[PageLine]],
    segs: &[Segmented],
    side: Side,
) -> PageEvidence {
    let mut evidence = PageEvidence::default();
    let mut occurrences: Vec<Occurrence> = Vec::new();
    let mut headlines: HashSet<u128, KeyHasher> = HashSet::default();
    for (crawl, (lines, seg)) in pages.iter().zip(segs).enumerate() {
        let crawl_starts = occurrences.len();
        headlines.extend(
            seg.posts
                .iter()
                .filter_map(|post| headline_id(lines, post))
                .map(|h| table.get(h).key),
        );
        occurrences.extend(Occurrence::all_of(table, crawl, lines, seg));
        // A line heading two posts of one crawl: a share row or a label
        // printed after every post, read as the next post's headline.
        // (Across crawls a real headline may be paired with different
        // stamps by a first reading that mistakes the side of the bylines.)
        let this_crawl = &occurrences[crawl_starts..];
        let heading_two = in_different_posts(table, this_crawl, |o| o.headline.into_iter());
        evidence.furniture.extend(heading_two);
    }
    evidence
        .furniture
        .extend(widgets_printed_twice(table, pages, segs));
    evidence
        .furniture
        .extend(labels_printed_outside_posts(table, pages, segs));
    evidence.summary = summary_lines(table, pages, segs, side);
    // The summary stands in the lead of every crawl: on a page whose
    // bylines stand after their posts, a first reading may give it to each
    // crawl's newest post, and it is then in many posts (or heads one)
    // without being furniture.
    let summary: HashSet<u128, KeyHasher> = evidence
        .summary
        .iter()
        .flatten()
        .map(|&id| table.get(id).key)
        .collect();
    let mut printed = PrintedLines::new(table, pages, &summary);
    let posts = by_post(&occurrences);
    missing_from_other_crawls(table, &posts, side, &mut printed, &mut evidence);
    let demoted = not_really_headlines(table, &occurrences, &posts);
    headlines.retain(|key| !evidence.furniture.contains(key) && !demoted.contains(key));
    evidence.headlines = headlines;
    // Body lines printed inside two or more different posts.
    let recurring = in_different_posts(table, &occurrences, |o| o.body.iter().copied());
    evidence.furniture.extend(
        recurring
            .into_iter()
            .filter(|key| !evidence.headlines.contains(key) && !summary.contains(key)),
    );
    evidence.last_post_lines_shown_without =
        last_post_lines_shown_without(table, pages, segs, &posts);
    evidence.headline_copies = pages.iter().zip(segs).any(|(lines, seg)| {
        seg.posts.iter().any(|post| {
            seg.body(post)
                .iter()
                .any(|&i| evidence.headlines.contains(&table.get(lines[i].id).key))
        })
    });
    evidence
}

/// Keys of the lines of a crawl's last post that another crawl shows the
/// post without, where that crawl prints a post below it (so shows it
/// whole). Related-story cards at a page's foot run into its last post and
/// leave with its place at the bottom of the page; a list that ends the
/// post (figures, names, points after an ad) stays with the post in every
/// crawl. Segmentation cuts such lines only where they read as cards.
fn last_post_lines_shown_without(
    table: &LineTable,
    pages: &[&[PageLine]],
    segs: &[Segmented],
    posts: &ByPost,
) -> HashSet<u128, KeyHasher> {
    let last_posts: Vec<Option<u64>> = pages
        .iter()
        .zip(segs)
        .map(|(lines, seg)| identity(table, lines, seg, seg.posts.last()?))
        .collect();
    let mut lines_shown_without = HashSet::default();
    for (c, last) in last_posts.iter().enumerate() {
        let Some(shown) = last.and_then(|identity| posts.get(&identity)) else {
            continue;
        };
        let Some(here) = shown.iter().find(|o| o.crawl == c) else {
            continue;
        };
        // (Two posts a day apart may share a time of day, and so an
        // identity: only a copy with mostly the same text is this post.)
        let whole_elsewhere = shown.iter().any(|o| {
            o.crawl != c && last_posts[o.crawl] != *last && shares_most_lines(table, here, o)
        });
        if !whole_elsewhere {
            continue;
        }
        for &id in &here.body {
            let key = table.get(id).key;
            let held_elsewhere = shown.iter().any(|o| o.crawl != c && holds(table, o, key));
            if !held_elsewhere {
                lines_shown_without.insert(key);
            }
        }
    }
    lines_shown_without
}

/// One crawl's lines and their reading.
#[derive(Clone, Copy)]
struct Crawl<'a> {
    lines: &'a [PageLine],
    seg: &'a Segmented,
}

impl Crawl<'_> {
    fn key(&self, table: &LineTable, i: usize) -> u128 {
        table.get(self.lines[i].id).key
    }

    fn role(&self, i: usize) -> Role {
        self.seg.roles[i]
    }
}

/// Where a widget's outer copy may stand: outside every post, in the lead
/// or among the furniture.
fn outside_posts(role: Role) -> bool {
    matches!(role, Role::Summary | Role::Furniture(_))
}

/// Line key to the first place (crawl, line) it stands outside every post.
type FirstPlaces = HashMap<u128, (usize, usize), KeyHasher>;

/// The first place of each line outside every post of the crawls `which`.
fn first_places(
    table: &LineTable,
    crawls: &[Crawl],
    which: impl Iterator<Item = usize>,
) -> FirstPlaces {
    let mut first = FirstPlaces::default();
    for c in which {
        for i in 0..crawls[c].lines.len() {
            if outside_posts(crawls[c].role(i)) {
                first.entry(crawls[c].key(table, i)).or_insert((c, i));
            }
        }
    }
    first
}

/// Keys of the lines of a widget that the crawls of a page print twice:
/// outside every post (in the lead, or among the furniture) and inside a
/// post, as a run of two or more lines of which one addresses the reader.
///
/// A newsletter box or an appeal stands at the top of a page and again
/// between its posts; between posts, the first reading takes it for the
/// opening lines of the post below (a post without a headline) or the
/// closing lines of the post above. The two copies may stand in one crawl
/// or in two: the box that one crawl prints at the top, another prints
/// beside a post that has left the page by the next crawl, so the post's
/// other crawls cannot show it without the box. A post pinned at the top
/// of the page is printed whole the second time and is no widget; key
/// events repeat one headline each, never a run of lines.
///
/// Each line is compared with its first place outside the posts, in its
/// own crawl and in all crawls, so the cost grows with the lines, not with
/// the square of the crawls.
fn widgets_printed_twice(
    table: &LineTable,
    pages: &[&[PageLine]],
    segs: &[Segmented],
) -> Vec<u128> {
    let crawls: Vec<Crawl> = pages
        .iter()
        .zip(segs)
        .map(|(&lines, seg)| Crawl { lines, seg })
        .collect();
    let in_any_crawl = first_places(table, &crawls, 0..crawls.len());
    let mut found = Vec::new();
    for c in 0..crawls.len() {
        let in_this_crawl = first_places(table, &crawls, c..c + 1);
        found.extend(widget_lines(table, &crawls, c, &in_this_crawl, |_| true));
        // A first place in crawl `c` itself was compared just above.
        let elsewhere = |o: usize| o != c;
        found.extend(widget_lines(table, &crawls, c, &in_any_crawl, elsewhere));
    }
    found
}

/// The lines of crawl `c`'s posts that are a widget printed again at the
/// places `outer` names, in the crawls `compared` accepts.
fn widget_lines(
    table: &LineTable,
    crawls: &[Crawl],
    c: usize,
    outer: &FirstPlaces,
    compared: impl Fn(usize) -> bool,
) -> Vec<u128> {
    let inner = crawls[c];
    let mut post_lines = vec![0usize; inner.seg.posts.len()];
    for role in &inner.seg.roles {
        if let Role::Post(p) = role {
            post_lines[*p] += 1;
        }
    }
    let mut found = Vec::new();
    let mut i = 0;
    while i < inner.lines.len() {
        let place = outer
            .get(&inner.key(table, i))
            .filter(|&&(o, _)| compared(o));
        let (Role::Post(post), Some(&(o, j))) = (inner.role(i), place) else {
            i += 1;
            continue;
        };
        let other = crawls[o];
        let same_crawl = o == c;
        // The run through (i, j): back to where the two copies part, then
        // forward as long as they agree, the inner copy staying in its post
        // (or beside it as furniture) and the outer one outside all posts.
        let in_run = |a: usize, b: usize| {
            let in_post = match inner.role(a) {
                Role::Post(p) => p == post,
                Role::Furniture(_) => true,
                _ => false,
            };
            in_post && outside_posts(other.role(b)) && inner.key(table, a) == other.key(table, b)
        };
        let mut back = 0;
        while back < i.min(j) && in_run(i - back - 1, j - back - 1) {
            back += 1;
        }
        let mut len = back + 1;
        while i + len - back < inner.lines.len()
            && j + len - back < other.lines.len()
            && in_run(i + len - back, j + len - back)
        {
            len += 1;
        }
        let start = i - back;
        let run = start..start + len;
        let inside: Vec<usize> = run
            .clone()
            .filter(|&k| inner.role(k) == Role::Post(post))
            .collect();
        let info = |k: usize| table.get(inner.lines[k].id);
        let addressing = run.clone().filter(|&k| info(k).voice || info(k).furniture);
        let addresses_reader = addressing.clone().next().is_some();
        // A first reading may take a crawl's newest post for the lead, and
        // the next crawl shows it, edited, as a post: a run in another
        // crawl's lead is a widget only when it mostly speaks to the
        // reader and calls on them.
        let outer_start = j - back;
        let in_other_lead =
            !same_crawl && (outer_start..outer_start + len).any(|b| other.role(b) == Role::Summary);
        let speaks_as_widget =
            addressing.count() * 2 >= len && run.clone().any(|k| info(k).furniture);
        let overlaps = same_crawl && start < outer_start + len && outer_start < start + len;
        let widget = len >= 2
            && addresses_reader
            && (!in_other_lead || speaks_as_widget)
            && !overlaps
            && inside.len() < post_lines[post]
            && !copies_share_a_stamp(table, inner.lines, start, other.lines, outer_start);
        if widget {
            found.extend(inside.iter().map(|&k| inner.key(table, k)));
        }
        i = start + len;
    }
    found
}

/// Keys of labels (a few words, no closing punctuation) among a post's
/// paragraphs that some crawl of the page prints outside every post: page
/// chrome ("Latest first", "Live") that the top or the foot of one crawl
/// shows on its own, and another runs into its first or last post. A
/// post's headline is not judged here: a key-events list in the lead
/// repeats headlines, short ones too. Nor is a label in the lead beside a
/// line that some post prints: a first reading may take a crawl's newest
/// post for the lead, short lines (a list of figures) and all.
fn labels_printed_outside_posts(
    table: &LineTable,
    pages: &[&[PageLine]],
    segs: &[Segmented],
) -> Vec<u128> {
    let key = |lines: &[PageLine], i: usize| table.get(lines[i].id).key;
    let in_posts: HashSet<u128, KeyHasher> = pages
        .iter()
        .zip(segs)
        .flat_map(|(lines, seg)| lines.iter().zip(&seg.roles))
        .filter(|(_, role)| matches!(role, Role::Post(_)))
        .map(|(line, _)| table.get(line.id).key)
        .collect();
    let mut outside: HashSet<u128, KeyHasher> = HashSet::default();
    for (lines, seg) in pages.iter().zip(segs) {
        let beside_post_lines = |i: usize| {
            let before = i.checked_sub(1);
            let after = Some(i + 1).filter(|&a| a < lines.len());
            [before, after]
                .into_iter()
                .flatten()
                .any(|n| in_posts.contains(&key(lines, n)))
        };
        for (i, role) in seg.roles.iter().enumerate() {
            let alone = match role {
                Role::Furniture(_) => true,
                Role::Summary => !beside_post_lines(i),
                _ => false,
            };
            if alone {
                outside.insert(key(lines, i));
            }
        }
    }
    let label = |info: &LineInfo| info.look == Look::Headline && info.words <= MAX_LABEL_WORDS;
    pages
        .iter()
        .zip(segs)
        .flat_map(|(lines, seg)| {
            seg.posts
                .iter()
                .flat_map(move |post| seg.body(post).iter().map(move |&i| table.get(lines[i].id)))
        })
        .filter(|info| label(info) && outside.contains(&info.key))
        .map(|info| info.key)
        .collect()
}

/// Whether the two copies of a run starting at `a` (in `a_lines`) and `b`
/// (in `b_lines`) go on (or began) with the same byline or time line: a
/// post printed twice, with its stamp, which a first reading may have
/// split, is no widget.
fn copies_share_a_stamp(
    table: &LineTable,
    a_lines: &[PageLine],
    a: usize,
    b_lines: &[PageLine],
    b: usize,
) -> bool {
    let info = |lines: &[PageLine], i: usize| table.get(lines[i].id);
    let same = |x: usize, y: usize| info(a_lines, x).key == info(b_lines, y).key;
    let stamped = |x: usize| {
        let line = info(a_lines, x);
        line.stamp.is_some() || line.lead_stamp.is_some()
    };
    let forward = (0..MAX_STAMP_DISTANCE)
        .map(|d| (a + d, b + d))
        .take_while(|&(x, y)| x < a_lines.len() && y < b_lines.len() && same(x, y));
    let backward = (1..=MAX_STAMP_DISTANCE)
        .take_while(|&d| d <= a.min(b))
        .map(|d| (a - d, b - d))
        .take_while(|&(x, y)| same(x, y));
    forward.chain(backward).any(|(x, _)| stamped(x))
}

/// How far from a widget's run its copies are compared for a stamp.
const MAX_STAMP_DISTANCE: usize = 64;

/// How well a reading of a page's crawls agrees with itself: the stamps
/// seen in two or more crawls that keep mostly the same lines, less the
/// summary lines of one crawl that another crawl prints inside a stamped
/// post.
///
/// A page whose bylines stand before its posts, read the other way, gives
/// the newest stamp of each crawl the summary above it, so stamps change
/// their text from crawl to crawl. A page whose bylines stand after its
/// posts, read as "before", keeps its stamps consistent, but the newest
/// post of each crawl has no stamp above it and reads as the summary; the
/// next crawl, with a newer post above it, shows the same text under a
/// stamp.
pub fn agreement(table: &LineTable, pages: &[&[PageLine]], segs: &[Segmented]) -> isize {
    let mut first_seen: HashMap<u64, &Occurrence> = HashMap::new();
    let occurrences: Vec<Occurrence> = pages
        .iter()
        .zip(segs)
        .enumerate()
        .flat_map(|(crawl, (lines, seg))| Occurrence::all_of(table, crawl, lines, seg))
        .collect();
    let mut agreeing = 0;
    for occurrence in &occurrences {
        match first_seen.get(&occurrence.identity) {
            Some(first) => agreeing += usize::from(shares_most_lines(table, first, occurrence)),
            None => {
                first_seen.insert(occurrence.identity, occurrence);
            }
        }
    }
    let in_stamped_posts: HashSet<u128, KeyHasher> = occurrences
        .iter()
        .flat_map(|o| &o.body)
        .map(|&id| table.get(id).key)
        .collect();
    let summary_in_posts = pages
        .iter()
        .zip(segs)
        .flat_map(|(lines, seg)| seg.summary.iter().map(|&i| table.get(lines[i].id)))
        // Paragraphs only: chrome ("Back to top", "Live") may close the
        // summary and stand inside a post alike; and news, not a widget
        // speaking to the reader (an appeal one crawl prints at the top
        // and another beside a post).
        .filter(|info| {
            info.look == Look::Body
                && !info.furniture
                && !info.voice
                && info.words > MAX_LABEL_WORDS
        })
        .filter(|info| in_stamped_posts.contains(&info.key))
        .count();
    agreeing as isize - summary_in_posts as isize
}

/// The summary as the crawls show it together: lines of the lead in two or
/// more crawls and inside no later stamped post. `None` for a page of one
/// crawl. The lead is the summary, and on a page whose bylines stand after
/// their posts (`side`) the first stamped post too.
///
/// On a page whose bylines stand after their posts, the newest post's text
/// stands above the first byline with the summary, and a first reading may
/// give all of it to the summary or to the newest post. The newest post is
/// told from the summary because the next crawl, with newer posts above,
/// shows it lower down; the newest crawl's newest post because no other
/// crawl shows it in the lead. When every crawl that shows a line shows it
/// above the same stamped post (the newest post unchanged between crawls,
/// or the oldest at the top of a page printed oldest first), the crawls
/// cannot tell, and the line is left to the first reading.
pub fn summary_lines(
    table: &LineTable,
    pages: &[&[PageLine]],
    segs: &[Segmented],
    side: Side,
) -> Option<Vec<LineId>> {
    if segs.len() < 2 {
        return None;
    }
    let mut in_posts: HashSet<u128, KeyHasher> = HashSet::default();
    // Per summary line: the crawls that show it, and one of its line ids.
    let mut crawls_in_summary: HashMap<u128, (usize, LineId), KeyHasher> = HashMap::default();
    // Per line of a crawl's lead: the identity of the first stamped post
    // below it, or `None` once two crawls show it above different posts.
    let mut first_post_of: HashMap<u128, Option<u64>, KeyHasher> = HashMap::default();
    for (lines, seg) in pages.iter().zip(segs) {
        let key = |id: LineId| table.get(id).key;
        let mut stamped = seg.posts.iter().filter(|p| !p.bylines.is_empty());
        let post_lines = |post: &PagePost| {
            let body = seg.body(post).iter().map(|&i| lines[i].id);
            headline_id(lines, post).into_iter().chain(body)
        };
        let first = if side == Side::After {
            stamped.next()
        } else {
            None
        };
        for post in stamped {
            in_posts.extend(post_lines(post).map(key));
        }
        let summary = seg.summary.iter().map(|&i| lines[i].id);
        let lead = summary.chain(first.into_iter().flat_map(post_lines));
        let below = first.and_then(|post| identity(table, lines, seg, post));
        for id in lead.clone() {
            let entry = first_post_of.entry(key(id)).or_insert(below);
            if *entry != below {
                *entry = None;
            }
        }
        let distinct: HashMap<u128, LineId, KeyHasher> = lead.map(|id| (key(id), id)).collect();
        for (k, id) in distinct {
            crawls_in_summary.entry(k).or_insert((0, id)).0 += 1;
        }
    }
    // A line every crawl shows above the same stamped post (the same
    // newest post in every crawl, or the oldest at the top of a page
    // printed oldest first): the crawls cannot tell summary from post
    // there, and the first reading stands.
    let one_post_everywhere = |key: &u128| first_post_of.get(key).is_some_and(Option::is_some);
    let mut summary: Vec<LineId> = crawls_in_summary
        .into_iter()
        .filter(|&(key, (crawls, _))| {
            crawls >= 2 && !in_posts.contains(&key) && !one_post_everywhere(&key)
        })
        .map(|(_, (_, id))| id)
        .collect();
    summary.sort_unstable();
    Some(summary)
}

/// A post's identity across snapshots: its author and printed time.
/// Posts stamped only "2 hours ago" have none (the words change).
fn identity(
    table: &LineTable,
    lines: &[PageLine],
    seg: &Segmented,
    post: &PagePost,
) -> Option<u64> {
    let stamp = segment::post_stamp(table, lines, seg, post);
    let when = stamp.when?;
    let (hour, minute) = when.time?;
    // The author's hash, then the day and time packed into one number.
    let author = xxhash_rust::xxh3::xxh3_64(stamp.author.unwrap_or("").as_bytes());
    let day = when.date.map_or(0, |d| {
        let year = d.year.map_or(0, |y| i64::from(y) + 1);
        (year * 13 + i64::from(d.month)) * 32 + i64::from(d.day)
    });
    let when = (day * 24 + i64::from(hour)) * 60 + i64::from(minute);
    Some(author ^ (when as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

/// Every crawl's showing of each post, by the post's identity, in crawl
/// order.
type ByPost<'o> = HashMap<u64, Vec<&'o Occurrence>>;

fn by_post(occurrences: &[Occurrence]) -> ByPost<'_> {
    let mut posts: ByPost = HashMap::new();
    for occurrence in occurrences {
        posts
            .entry(occurrence.identity)
            .or_default()
            .push(occurrence);
    }
    posts
}

/// Keys of lines that a first reading took for a stamped post's headline
/// where they are one of its own lines (an embedded tweet, a quote without
/// closing punctuation), which cut the post short:
///
/// * lines that head the post in fewer crawls than they stand among its
///   paragraphs;
/// * lines that head it in a crawl where the lines another crawl shows
///   above them, inside the post, stand right above it.
fn not_really_headlines(
    table: &LineTable,
    occurrences: &[Occurrence],
    posts: &ByPost,
) -> HashSet<u128, KeyHasher> {
    let key = |id: LineId| table.get(id).key;
    // Per post and line: crawls that show it as the headline, and as a
    // paragraph.
    let mut counts: HashMap<(u64, u128), (u32, u32)> = HashMap::new();
    for occurrence in occurrences {
        if let Some(headline) = occurrence.headline {
            counts
                .entry((occurrence.identity, key(headline)))
                .or_default()
                .0 += 1;
        }
        for &id in &occurrence.body {
            counts.entry((occurrence.identity, key(id))).or_default().1 += 1;
        }
    }
    let mut found: HashSet<u128, KeyHasher> = counts
        .into_iter()
        .filter(|&(_, (heads, inside))| heads > 0 && inside > heads)
        .map(|((_, key), _)| key)
        .collect();
    for occurrence in occurrences.iter().filter(|o| !o.lead_in.is_empty()) {
        let Some(headline) = occurrence.headline.map(key) else {
            continue;
        };
        let cut_short = posts[&occurrence.identity].iter().any(|whole| {
            whole.body.iter().any(|&id| key(id) == headline) && {
                let lines: Vec<LineId> = whole.lines().collect();
                !opening_left_above(table, &lines, occurrence).is_empty()
            }
        });
        if cut_short {
            found.insert(headline);
        }
    }
    found
}

/// Keys of the lines that `lines_of` finds in two or more different posts
/// (different identities) among `occurrences`.
fn in_different_posts<'o, I: Iterator<Item = LineId>>(
    table: &LineTable,
    occurrences: &'o [Occurrence],
    lines_of: impl Fn(&'o Occurrence) -> I,
) -> HashSet<u128, KeyHasher> {
    let mut first_post: HashMap<u128, u64, KeyHasher> = HashMap::default();
    let mut found = HashSet::default();
    for occurrence in occurrences {
        for id in lines_of(occurrence) {
            let key = table.get(id).key;
            let first = *first_post.entry(key).or_insert(occurrence.identity);
            if first != occurrence.identity {
                found.insert(key);
            }
        }
    }
    found
}

/// Lines of a post that another crawl of the same post lacks, with no
/// similar line in its place, and that are not running text: headline-like
/// lines (its headline included) and the labels above them ("Analysis",
/// "Most read:"). So is the blurb of such a card: a paragraph missing the
/// same way that stands between two of those lines, between one and the
/// post's end, or between one and the line where another crawl begins the
/// post (and printed nowhere in that crawl).
///
/// A headline counts as rewritten, not as a card read as the headline,
/// when another crawl shows the post under a headline of its own and does
/// not print this line anywhere: a rewritten headline leaves the page,
/// while a card or a prompt stands elsewhere in it.
fn missing_from_other_crawls(
    table: &LineTable,
    posts: &ByPost,
    side: Side,
    printed: &mut PrintedLines,
    evidence: &mut PageEvidence,
) {
    // On a page whose bylines stand above their posts, a post read with
    // furniture as its headline (a share row under every byline, seen
    // heading two posts only once the crawls were compared) has its first
    // line as headline when that reads as one: a headline rewritten between
    // crawls is then seen as rewritten there too. (Under bylines that stand
    // after their posts, what opens a post may be a card between posts.)
    let furniture_headlines = evidence.furniture.clone();
    let read_headline = |o: &Occurrence| -> Option<LineId> {
        let headline = o.headline?;
        if !furniture_headlines.contains(&table.get(headline).key) || side != Side::Before {
            return Some(headline);
        }
        o.body
            .first()
            .copied()
            .filter(|&first| table.get(first).look == Look::Headline)
    };
    // The headline of each version of one post, as far as the versions
    // tell together. A line read as the headline that no other version
    // has, above a line that heads another version, is a card or a label
    // above the real headline ("Join the debate"). A label ("Read next")
    // heading a post that another crawl shows without any headline is no
    // headline either: rewriting it would make it one, and two such labels
    // are two cards, not a rewrite.
    let headlines_of = |list: &[&Occurrence]| -> Vec<Option<LineId>> {
        let read: Vec<Option<LineId>> = list.iter().map(|o| read_headline(o)).collect();
        let headless_somewhere = read.iter().any(Option::is_none);
        let heads_other = |i: usize, line: LineId| {
            let key = table.get(line).key;
            (0..list.len()).any(|j| j != i && read[j].is_some_and(|h| table.get(h).key == key))
        };
        (0..list.len())
            .map(|i| {
                let h = read[i]?;
                let first = list[i].body.first().copied();
                if let Some(first) = first.filter(|&f| !heads_other(i, h) && heads_other(i, f)) {
                    return Some(first);
                }
                let label = table.get(h).words <= MAX_LABEL_WORDS;
                (!(label && headless_somewhere)).then_some(h)
            })
            .collect()
    };
    // The distinct versions of each post.
    let versions = posts.values().map(|shown| {
        let mut list: Vec<&Occurrence> = Vec::new();
        for &occurrence in shown {
            let seen = list
                .iter()
                .any(|o| o.headline == occurrence.headline && o.body == occurrence.body);
            if !seen {
                list.push(occurrence);
            }
        }
        list
    });
    // The versions are of one post when each is linked to the others by a
    // chain of versions that share most lines: a post whose body was
    // rewritten, and read in another crawl under a prompt as headline,
    // shares nothing with its newest version but much with the one between.
    let one_post = |list: &Vec<&Occurrence>| {
        (2..=MAX_VERSIONS).contains(&list.len())
            && linked(list.len(), |i, j| {
                shares_most_lines(table, list[i], list[j])
            })
    };
    for list in versions.filter(one_post) {
        let heads = headlines_of(&list);
        for (i, version) in list.iter().enumerate() {
            let others: Vec<&Occurrence> = (0..list.len())
                .filter(|&j| j != i)
                .map(|j| list[j])
                .collect();
            let lines: Vec<LineId> = version.lines().collect();
            let other_keys: Vec<HashSet<u128, KeyHasher>> = others
                .iter()
                .map(|o| {
                    o.lines()
                        .chain(opening_left_above(table, &lines, o).iter().copied())
                        .map(|id| table.get(id).key)
                        .collect()
                })
                .collect();
            // Only card-like lines and their neighbours (a blurb) can be
            // judged; the others are not compared, so a long post costs
            // little.
            let card_like = |k: usize| {
                let info = table.get(lines[k]);
                info.look == Look::Headline || info.words <= MAX_LABEL_WORDS
            };
            let judged = |k: usize| {
                card_like(k)
                    || (k > 0 && card_like(k - 1))
                    || (k + 1 < lines.len() && card_like(k + 1))
            };
            // Per judged line: missing from another crawl with nothing like
            // it there.
            let missing: Vec<bool> = (0..lines.len())
                .map(|k| {
                    let id = lines[k];
                    let key = table.get(id).key;
                    if !judged(k) || other_keys.iter().all(|keys| keys.contains(&key)) {
                        return false;
                    }
                    // A headline rewritten between two crawls leaves the
                    // page. Where the other crawl's headline stays on this
                    // crawl's page, it was a prompt read as a headline, and
                    // a line here that speaks to the reader is another.
                    let speaks = table.get(id).voice;
                    let rewritten_headline = heads[i] == Some(id)
                        && (0..list.len()).filter(|&j| j != i).any(|j| {
                            let other_key = heads[j].map(|h| table.get(h).key);
                            swapped_headlines(table, (version, heads[i]), (list[j], heads[j]))
                                && !printed.prints(list[j].crawl, key)
                                && !(speaks
                                    && other_key.is_some_and(|k| printed.prints(version.crawl, k)))
                        });
                    !rewritten_headline && !has_similar_line(table, id, &others)
                })
                .collect();
            // A label heads a card: the lines after it are missing too. (A
            // lead-in added by an edit, "To recap:", is followed by the
            // post's own lines.)
            let card_line = |k: usize| {
                let info = table.get(lines[k]);
                let label = info.look == Look::Body
                    && info.words <= MAX_LABEL_WORDS
                    && (k + 1 == lines.len() || missing[k + 1]);
                missing[k] && (info.look == Look::Headline || label)
            };
            // A paragraph this post keeps from the crawl that first shows
            // it to the newest, two crawls at least, is the post's own,
            // added by an edit under a label beside it (an ad slot): a card
            // stands in one crawl's gap, or a few, and goes; an edit stays.
            let kept_by_crawls = |k: usize| {
                let key = table.get(lines[k]).key;
                let shows = |o: &&&Occurrence| o.lines().any(|id| table.get(id).key == key);
                let shown = &posts[&version.identity];
                let Some(first) = shown.iter().filter(shows).map(|o| o.crawl).min() else {
                    return false;
                };
                let since = || shown.iter().filter(move |o| o.crawl >= first);
                since().count() >= 2 && since().all(|o| shows(&o))
            };
            // Where another crawl begins the post: a card printed in the
            // gap above a post ends there.
            let opens_other = |k: usize| {
                let key = table.get(lines[k]).key;
                others
                    .iter()
                    .any(|o| o.lines().next().is_some_and(|id| table.get(id).key == key))
            };
            for k in 0..lines.len() {
                let blurb_candidate = missing[k] && k > 0 && card_line(k - 1) && !kept_by_crawls(k);
                let blurb = blurb_candidate
                    && (k + 1 == lines.len()
                        || card_line(k + 1)
                        // Above where the other crawls begin the post, a
                        // blurb is printed nowhere in them (a first reading
                        // may leave the post's opening above it).
                        || (opens_other(k + 1) && {
                            let key = table.get(lines[k]).key;
                            others.iter().all(|o| !printed.prints(o.crawl, key))
                        }));
                if card_line(k) || blurb {
                    evidence.furniture.insert(table.get(lines[k]).key);
                }
            }
        }
    }
}

/// Most words in a label (one word, or a few closed by a colon).
const MAX_LABEL_WORDS: u32 = 3;

/// Which lines each crawl prints outside the page's summary, looked up
/// crawl by crawl only when asked (rewritten headlines are rare, and a
/// page may have thousands of crawls).
struct PrintedLines<'a> {
    table: &'a LineTable,
    pages: &'a [&'a [PageLine]],
    summary: &'a HashSet<u128, KeyHasher>,
    keys: Vec<Option<HashSet<u128, KeyHasher>>>,
}

impl<'a> PrintedLines<'a> {
    fn new(
        table: &'a LineTable,
        pages: &'a [&'a [PageLine]],
        summary: &'a HashSet<u128, KeyHasher>,
    ) -> Self {
        PrintedLines {
            table,
            pages,
            summary,
            keys: vec![None; pages.len()],
        }
    }

    /// Whether crawl `crawl` prints a line with this key outside the
    /// summary.
    fn prints(&mut self, crawl: usize, key: u128) -> bool {
        let (table, summary) = (self.table, self.summary);
        let lines = self.pages[crawl];
        self.keys[crawl]
            .get_or_insert_with(|| {
                lines
                    .iter()
                    .map(|line| table.get(line.id).key)
                    .filter(|key| !summary.contains(key))
                    .collect()
            })
            .contains(&key)
    }
}

/// Whether a crawl of a post shows a line with this key.
fn holds(table: &LineTable, occurrence: &Occurrence, key: u128) -> bool {
    occurrence.lines().any(|id| table.get(id).key == key)
}

/// Whether two crawls of a post each have a headline the other lacks: the
/// headline was rewritten. (A card read as the headline in one crawl stands
/// above the real headline, which the other crawl then shows.)
fn swapped_headlines(
    table: &LineTable,
    (a, a_headline): (&Occurrence, Option<LineId>),
    (b, b_headline): (&Occurrence, Option<LineId>),
) -> bool {
    match (a_headline, b_headline) {
        (Some(ha), Some(hb)) => {
            !holds(table, b, table.get(ha).key) && !holds(table, a, table.get(hb).key)
        }
        _ => false,
    }
}

/// Whether `count` items are all linked, directly or through others, by
/// `pair` (a search from the first).
fn linked(count: usize, pair: impl Fn(usize, usize) -> bool) -> bool {
    let mut reached = vec![false; count];
    let mut stack = vec![0];
    reached[0] = true;
    while let Some(i) = stack.pop() {
        let newly: Vec<usize> = (0..count).filter(|&j| !reached[j] && pair(i, j)).collect();
        for j in newly {
            reached[j] = true;
            stack.push(j);
        }
    }
    reached.into_iter().all(|r| r)
}

/// Most distinct versions of one stamped post judged; more means the stamp
/// names many posts (a clock time with no date on a page of many days).
const MAX_VERSIONS: usize = 16;

/// Whether two crawls of a stamp show mostly the same paragraphs: versions
/// of one post do, two posts that share a time of day a day apart do not.
/// The headline and the paragraphs of running text are compared, as the
/// headline-like lines around a post (cards, labels) change from crawl to
/// crawl; a short post whose only sentence was rewritten keeps its
/// headline. A post edited in most of its paragraphs (a sentence added
/// here, a word fixed there) keeps most of its word sequences though few
/// of its paragraphs.
fn shares_most_lines(table: &LineTable, a: &Occurrence, b: &Occurrence) -> bool {
    let lines = |o: &Occurrence, look: Option<Look>| -> Vec<&LineInfo> {
        let body = o
            .body
            .iter()
            .map(|&id| table.get(id))
            .filter(|info| look.is_none_or(|l| info.look == l));
        o.headline
            .iter()
            .map(|&id| table.get(id))
            .chain(body)
            .collect()
    };
    let keys = |lines: &[&LineInfo]| -> HashSet<u128, KeyHasher> {
        lines.iter().map(|info| info.key).collect()
    };
    let shared = |a_lines: &[&LineInfo], b_lines: &[&LineInfo]| {
        let (a_keys, b_keys) = (keys(a_lines), keys(b_lines));
        let shared = a_keys.intersection(&b_keys).count();
        (shared, a_keys.len(), b_keys.len())
    };
    let (mut a_lines, mut b_lines) = (lines(a, Some(Look::Body)), lines(b, Some(Look::Body)));
    if a_lines.is_empty() || b_lines.is_empty() {
        (a_lines, b_lines) = (lines(a, None), lines(b, None));
    }
    let (common, a_count, b_count) = shared(&a_lines, &b_lines);
    if 2 * common >= a_count.min(b_count) {
        return true;
    }
    // A post of headline-like lines (a list of quotes, of answers) has
    // little running text to compare: it is the same post when each crawl
    // shares most of its lines with the other, a few reader comments or a
    // card read as its headline aside.
    let has_running_text =
        |o: &Occurrence| o.body.iter().any(|&id| table.get(id).look == Look::Body);
    if !has_running_text(a) || !has_running_text(b) {
        let (common, a_count, b_count) = shared(&lines(a, None), &lines(b, None));
        if 2 * common >= a_count.max(b_count) {
            return true;
        }
    }
    // Word sequences with the headlines, then without them: one crawl may
    // have read a card as the headline of a short post.
    let shingles = |lines: &[&LineInfo], skip: usize| {
        lines::union(lines.iter().skip(skip).map(|info| &info.shingles[..]))
    };
    let skips = [
        (0, 0),
        (
            usize::from(a.headline.is_some()),
            usize::from(b.headline.is_some()),
        ),
    ];
    skips.into_iter().any(|(a_skip, b_skip)| {
        let (a_shingles, b_shingles) = (shingles(&a_lines, a_skip), shingles(&b_lines, b_skip));
        lines::similarity(&a_shingles, &b_shingles).1 >= EDITED_POST_CONTAINMENT
    })
}

/// Share of the smaller version's word sequences the other version of an
/// edited post holds.
const EDITED_POST_CONTAINMENT: f64 = 0.5;

/// Whether another version has a line like `id` (an edited form of it).
fn has_similar_line(table: &LineTable, id: LineId, others: &[&Occurrence]) -> bool {
    let words = &table.get(id).word_set;
    others
        .iter()
        .flat_map(|o| o.headline.iter().chain(&o.body))
        .any(|&other| {
            let theirs = &table.get(other).word_set;
            let (jaccard, containment) = lines::similarity(words, theirs);
            other != id
                && (jaccard >= EDITED_LINE_SIMILARITY
                    || (containment >= EXTENDED_LINE_CONTAINMENT
                        && words.len().min(theirs.len()) >= EXTENDED_LINE_MIN_WORDS))
        })
}
