//! Live-blog timelines: many crawls of a page consolidated into one
//! timeline of unique posts (issue 3).
//!
//! ```text
//! Documents ─▶ lines (intern + analyse each distinct line once)
//!           ─▶ group (one group per page; site-wide furniture)
//!           ─▶ segment (each snapshot: title, summary, posts, bylines, furniture)
//!           ─▶ build (match posts across snapshots: versions, related, order)
//!           ─▶ Timeline ─▶ render (Markdown, JSON, HTML)
//! ```
//!
//! Submodules, each owning one step:
//! * [`byline`] — byline and time lines, and calendar arithmetic;
//! * `lines` — per-line analysis: match keys, shingles, headline or body;
//! * `furniture` — furniture judged from a line's content;
//! * `group` — grouping snapshots into pages, site-wide recurring lines;
//! * `segment` — one snapshot into its parts;
//! * `build` — matching posts across snapshots, ordering them;
//! * [`render`] — output formats.
//!
//! Every non-blank input line ends up somewhere: in the title, the summary,
//! a post, or [`Timeline::removed`] with a reason. [`Timeline::fates`]
//! records that per line, so callers and tests can check it.

mod build;
pub(crate) mod byline;
mod evidence;
mod furniture;
mod group;
mod lines;
mod order;
pub mod render;
mod segment;
mod zone;

use std::sync::Arc;

use crate::normalize::NormalizeOptions;
use crate::Document;

pub use group::GroupBy;
pub use segment::PageKind;

/// Whether a line reads as a post's byline or time line ("10.32am GMT",
/// "By Jane Doe, 19.30 BST", an ISO time). Readers of HTML use it to keep
/// the lines that article extraction drops as page metadata.
pub fn is_stamp_line(line: &str) -> bool {
    byline::parse(line).is_some()
}

/// Whether a line is a stamp that names its day ("1 Nov 2024 10.32 GMT"),
/// not a clock reading alone ("10.32 GMT").
pub fn is_dated_stamp_line(line: &str) -> bool {
    byline::parse(line).is_some_and(|stamp| stamp.date.is_some())
}

/// Whether a line is a stamp that says when a post was updated ("Updated
/// at 16.22 BST", "Last modified 10:32"), not when it was published.
pub fn is_update_stamp_line(line: &str) -> bool {
    byline::parse(line).is_some_and(|stamp| stamp.updated)
}

/// Whether a line is page furniture by its content alone: a call to the
/// reader (subscribe, follow, download the app …), a prompt to read on
/// elsewhere, or a bare label ("Advertisement"). See `furniture` for the
/// kinds; quoted text never counts, so news that quotes a call stays news.
pub fn is_furniture_line(line: &str) -> bool {
    let normalized = crate::normalize::Normalizer::default().normalize(line);
    let words = crate::normalize::tokens(&normalized);
    furniture::signals(line, &normalized, &words).furniture
}

/// Options for [`build_timelines`].
#[derive(Debug, Clone, Copy, Default)]
pub struct TimelineOptions {
    pub group_by: GroupBy,
    pub normalize: NormalizeOptions,
}

/// One consolidated timeline: all snapshots of one page.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// The page title from the newest snapshot that has one.
    pub title: Option<String>,
    /// Earlier titles, oldest first, when the title changed.
    pub earlier_titles: Vec<String>,
    pub kind: PageKind,
    /// The snapshots, oldest first. Other fields refer to them by index.
    pub snapshots: Vec<SnapshotInfo>,
    /// Standfirst and summary paragraphs, each once: the newest snapshot's
    /// first, then those only older snapshots had (earlier versions).
    pub summary: Vec<Arc<str>>,
    /// How many of `summary`'s paragraphs the newest snapshot shows.
    pub summary_newest: usize,
    /// Posts, newest first.
    pub posts: Vec<Post>,
    /// Lines that are in no post, with the reason.
    pub removed: Vec<Removed>,
    /// What became of every non-blank line, per snapshot (same order as
    /// `snapshots`).
    pub fates: Vec<Vec<LineFate>>,
    /// Things the reader should know (inferred dates, empty snapshots).
    pub notes: Vec<String>,
}

/// A snapshot as the timeline saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotInfo {
    /// Where it came from (`Origin` of the document).
    pub source: String,
    /// `YYYY-MM-DD` or an ISO timestamp, as given or inferred.
    pub date: Option<String>,
    /// The date was inferred from the snapshot's own post times.
    pub date_inferred: bool,
}

/// One post of the timeline.
#[derive(Debug, Clone)]
pub struct Post {
    /// `p1`, `p2`, … in timeline order.
    pub id: String,
    /// The current headline (empty for posts without one).
    pub headline: Arc<str>,
    /// The current paragraphs.
    pub body: Vec<Arc<str>>,
    /// `YYYY-MM-DDTHH:MM` when a byline gave a full time.
    pub published: Option<String>,
    pub author: Option<String>,
    /// Index into [`Timeline::snapshots`].
    pub first_seen: usize,
    pub last_seen: usize,
    /// Every snapshot it appeared in, oldest first.
    pub seen_in: Vec<usize>,
    /// Distinct versions, oldest first; the last one seen is the current.
    pub versions: Vec<Version>,
    /// Ids of posts that share paragraphs with this one but are not it.
    pub related: Vec<String>,
}

/// One distinct version of a post.
#[derive(Debug, Clone)]
pub struct Version {
    pub first_seen: usize,
    pub last_seen: usize,
    pub headline: Arc<str>,
    pub body: Vec<Arc<str>>,
    /// How it differs from the version before.
    pub change: Change,
}

/// How a version differs from the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    First,
    Edited {
        headline: bool,
        added: usize,
        removed: usize,
        changed: usize,
    },
    /// Later pages of an article appeared; earlier text unchanged.
    Paginated {
        added: usize,
    },
}

/// Why a line is in no post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    Duplicate,
    Furniture,
    Byline,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Duplicate => "duplicate",
            Reason::Furniture => "furniture",
            Reason::Byline => "byline",
        }
    }
}

/// A line that is in no post.
#[derive(Debug, Clone)]
pub struct Removed {
    /// Index into [`Timeline::snapshots`].
    pub snapshot: usize,
    /// 1-based line number in the snapshot's text.
    pub line: usize,
    pub reason: Reason,
    /// Id of the post it duplicates, advertises or is the byline of.
    pub of: Option<Arc<str>>,
    pub text: Arc<str>,
}

/// What became of one input line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineFate {
    /// 1-based line number.
    pub line: u32,
    pub fate: Fate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Title,
    Summary,
    /// Part of the post at this index of [`Timeline::posts`].
    Post(usize),
    /// In [`Timeline::removed`] for this reason.
    Removed(Reason),
}

impl Timeline {
    /// The source name of a snapshot index.
    pub fn source(&self, snapshot: usize) -> &str {
        &self.snapshots[snapshot].source
    }

    /// A post by id.
    pub fn post(&self, id: &str) -> Option<&Post> {
        self.posts.iter().find(|p| p.id == id)
    }
}

/// Consolidate documents (snapshots) into timelines, one per page.
///
/// A document's text may begin with a ` date YYYY-MM-DD Title` line (as
/// thresh's plain-text crawls do); it then gives the snapshot's date and
/// title unless the document already has them.
pub fn build_timelines(docs: &[Document], options: &TimelineOptions) -> Vec<Timeline> {
    build::build(docs, options)
}
