//! Live blogs read from the page's own markup, for the timeline.
//!
//! A live blog's HTML says where each post begins and ends and when it was
//! published; main-text extraction throws that away (it keeps one article,
//! often only the newest post, and drops `<time>` elements and bylines).
//! [`find`] reads the posts from the markup instead, trying in order:
//!
//! 1. schema.org `LiveBlogPosting` with `liveBlogUpdate` in JSON-LD
//!    (`<script type="application/ld+json">`, an object, an array or an
//!    `@graph`), when most updates carry an `articleBody` (updates with
//!    headlines and times only are used when the markup has no posts) and
//!    the markup shows no posts beyond them (many sites list only their
//!    newest updates there);
//! 2. the same in microdata (`itemprop="liveBlogUpdate"` on a page with a
//!    `LiveBlogPosting` item);
//! 3. per-post blocks: repeated sibling elements that each hold a
//!    `<time datetime>` and text, found from the times upwards (an
//!    `<article>`, or an element whose id or class says block, post,
//!    update or entry, or failing that the ancestor that has a sibling with
//!    a time of its own).
//!
//! Posts printed twice (a key-events list or a pinned post beside the
//! stream) are kept once, and site chrome (navigation, headers and footers
//! of the page, share and subscribe boxes, teaser lists of links) is never
//! a post. A page with none of this markup gives `None`, and its text goes
//! through main-text extraction as before.
//!
//! [`LiveBlog::render`] writes the page as the text snapshot the engine's
//! timeline reads: title, standfirst, then each post as a time line, an
//! author line, its headline and its paragraphs.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};
use dom_query::{Document, NodeRef, Selection};
use serde_json::Value;

/// A live blog as its markup states it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveBlog {
    pub title: Option<String>,
    pub standfirst: Option<String>,
    /// The canonical URL the page states.
    pub url: Option<String>,
    /// When the page was last modified, as the page states it (meta tag or
    /// JSON-LD), else the newest post's time.
    pub modified: Option<When>,
    /// The paragraphs and list items above the first post (key points, a
    /// summary), as the page shows them.
    pub lead: Vec<String>,
    /// Posts in page order, each once.
    pub posts: Vec<LivePost>,
}

/// One post of a live blog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LivePost {
    pub published: Option<When>,
    /// The post's time as the page prints it ("10.32am BST", "16:53"),
    /// when the markup gives no moment: the engine reads it as text.
    pub printed_time: Option<String>,
    pub author: Option<String>,
    pub headline: Option<String>,
    /// Paragraphs, one line each.
    pub body: Vec<String>,
}

/// A moment as a page states it: with its zone, or (rarely) without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Zoned(DateTime<FixedOffset>),
    /// No zone given: the page's wall-clock time, left as it is.
    Local(NaiveDateTime),
}

impl When {
    /// Reads an ISO 8601 / RFC 3339 timestamp as pages write them
    /// (`2021-02-18T19:30:00Z`, `…+01:00`, `…+0100`, fractions of seconds,
    /// minutes only, or no zone at all). Dates without a time are no post
    /// time and give `None`.
    pub fn parse(text: &str) -> Option<When> {
        let text = text.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Some(When::Zoned(t));
        }
        // `%z` reads `+01:00` and `+0100` but not `Z`.
        let zoned = match text.strip_suffix(['Z', 'z']) {
            Some(utc) => format!("{utc}+00:00"),
            None => text.to_string(),
        };
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f%z",
            "%Y-%m-%dT%H:%M%z",
            "%Y-%m-%d %H:%M:%S%.f%z",
        ] {
            if let Ok(t) = DateTime::parse_from_str(&zoned, format) {
                return Some(When::Zoned(t));
            }
        }
        for format in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S%.f",
        ] {
            if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
                return Some(When::Local(t));
            }
        }
        None
    }

    /// ISO 8601 for the text snapshot. A zoned time is written in UTC with
    /// its offset (`2021-02-18T19:30:00+00:00`): the engine reads a time's
    /// wall clock and compares it with capture dates, which are UTC
    /// (WARC-Date), so a post at "20:30 +01:00" must reach it as 19:30.
    pub fn to_iso(self) -> String {
        match self {
            When::Zoned(t) => t
                .with_timezone(&Utc)
                .format("%Y-%m-%dT%H:%M:%S+00:00")
                .to_string(),
            When::Local(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
        }
    }

    /// ISO 8601 as the page's clock read it, with the page's offset
    /// (`2021-02-18T20:30:00+01:00`): the date of a page whose post times
    /// are printed as bare clock readings in the page's zone ("20:30"),
    /// which must be compared with the page's clock, not with UTC.
    pub fn to_local_iso(self) -> String {
        match self {
            When::Zoned(t) => t.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            When::Local(t) => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
        }
    }

    /// For ordering: zoned times by their instant, local ones as if UTC.
    fn instant(self) -> NaiveDateTime {
        match self {
            When::Zoned(t) => t.naive_utc(),
            When::Local(t) => t,
        }
    }
}

impl LivePost {
    /// The post's time line in the text snapshot: its moment in ISO 8601
    /// (UTC), else its time as printed.
    pub fn time_line(&self) -> Option<String> {
        self.published
            .map(When::to_iso)
            .or_else(|| self.printed_time.clone())
    }
}

impl LiveBlog {
    /// The date the text snapshot is given: the page's last change, in UTC
    /// when the posts' times are moments, on the page's own clock when some
    /// are printed clock readings ("16:53" is read on the page's day, see
    /// [`When::to_local_iso`]).
    pub fn snapshot_date(&self) -> Option<String> {
        let printed = self
            .posts
            .iter()
            .any(|p| p.published.is_none() && p.printed_time.is_some());
        self.modified.map(|m| match printed {
            true => m.to_local_iso(),
            false => m.to_iso(),
        })
    }

    /// The page as a text snapshot, one paragraph per line: the title, the
    /// standfirst, the lead, then per post a time line (ISO 8601 with
    /// offset), an author line ("By …"), the headline and the paragraphs.
    /// The engine reads byline lines that stand above a post as that
    /// post's, and what stands above the first post as the summary.
    pub fn render(&self) -> String {
        let mut lines: Vec<String> = Vec::new();
        lines.extend(self.title.clone());
        lines.extend(self.standfirst.clone());
        lines.extend(self.lead.iter().cloned());
        for post in &self.posts {
            lines.extend(post.time_line());
            lines.extend(post.author.as_ref().map(|a| format!("By {a}")));
            lines.extend(post.headline.clone());
            lines.extend(post.body.iter().cloned());
        }
        lines.join("\n")
    }
}

/// The live blog in `html`, or `None` when the page has no markup of posts
/// (then main-text extraction reads it).
pub fn find(html: &str) -> Option<LiveBlog> {
    let doc = Document::from(html);
    let ld = json_ld_items(&doc);
    let posting = ld.iter().find(|v| has_type(v, "LiveBlogPosting"));
    // The page's own data first: reading posts takes their elements apart.
    let mut blog = LiveBlog {
        title: posting
            .and_then(|p| json_str(p, "headline"))
            .or_else(|| meta(&doc, "meta[property='og:title']"))
            .or_else(|| text_of_first(&doc, "h1"))
            .or_else(|| text_of_first(&doc, "title")),
        standfirst: posting
            .and_then(|p| json_str(p, "description"))
            .or_else(|| meta(&doc, "meta[name='description']"))
            .or_else(|| meta(&doc, "meta[property='og:description']"))
            .or_else(|| text_of_first(&doc, "[class*='standfirst']")),
        url: attr_of_first(&doc, "link[rel~='canonical']", "href")
            .or_else(|| meta(&doc, "meta[property='og:url']"))
            .or_else(|| posting.and_then(|p| json_str(p, "url"))),
        modified: stated_modification(&doc, &ld),
        lead: Vec::new(),
        posts: Vec::new(),
    };
    let ld_posts = posting.map(json_ld_posts).unwrap_or_default();
    // Some sites list their updates in JSON-LD with headlines and times
    // only; the markup then has more to say, if it says anything.
    let with_bodies = ld_posts.iter().filter(|p| !p.body.is_empty()).count();
    let posts = if !ld_posts.is_empty() && 2 * with_bodies >= ld_posts.len() {
        match microdata_posts(&doc).or_else(|| block_posts(&doc)) {
            // Not dated from the JSON-LD: a post that has left its list
            // of the newest would be dated in one snapshot and printed
            // in the next, two shapes of one post.
            Some(shown) if lists_only_some(&ld_posts, &shown) => shown,
            _ => ld_posts,
        }
    } else {
        match microdata_posts(&doc).or_else(|| block_posts(&doc)) {
            Some(mut posts) => {
                date_from_json_ld(&mut posts, &ld_posts);
                posts
            }
            None => (!ld_posts.is_empty()).then_some(ld_posts)?,
        }
    };
    blog.posts = dedup(posts);
    let known = [&blog.title, &blog.standfirst];
    blog.lead = lead(&doc, &blog.posts, &known);
    if blog.modified.is_none() {
        blog.modified = blog
            .posts
            .iter()
            .filter_map(|p| p.published)
            .max_by_key(|w| w.instant());
    }
    Some(blog)
}

/// Whether the JSON-LD lists only some of the posts the page shows (many
/// sites list just their newest updates there): every update it lists
/// opens with words the markup shows, and the markup shows more posts.
/// The markup then reads every post; when it shows no more, the
/// JSON-LD's cleaner data wins.
fn lists_only_some(ld_posts: &[LivePost], shown: &[LivePost]) -> bool {
    // A post printed twice (once with ’, once with ') is one post.
    let shown_posts: HashSet<String> = shown.iter().map(post_key).collect();
    if shown_posts.len() <= ld_posts.len() {
        return false;
    }
    // Found in the text rather than by first words: the markup may give a
    // post a headline or a caption the JSON-LD leaves out.
    let shown_text = shown
        .iter()
        .flat_map(|post| post.headline.iter().chain(&post.body))
        .map(|text| alphanumeric_words(text))
        .collect::<Vec<_>>()
        .join(" ");
    ld_posts
        .iter()
        .all(|post| shown_text.contains(&post_key(post)))
}

/// Gives posts read from the markup without a moment (their times printed
/// as clock readings) the moment of the JSON-LD update that opens with the
/// same words: sites that list their updates in JSON-LD by headline and
/// time only still say there when each was published, with its zone.
fn date_from_json_ld(posts: &mut [LivePost], ld_posts: &[LivePost]) {
    let mut moments: HashMap<String, Option<When>> = HashMap::new();
    for update in ld_posts {
        if let Some(when) = update.published {
            // An opening listed twice with two times names neither.
            let moment = moments.entry(post_key(update)).or_insert(Some(when));
            if *moment != Some(when) {
                *moment = None;
            }
        }
    }
    for post in posts.iter_mut().filter(|p| p.published.is_none()) {
        if let Some(&Some(when)) = moments.get(&post_key(post)) {
            post.published = Some(when);
            post.printed_time = None;
        }
    }
}

/// When the page says it was last modified, for a page without markup of
/// posts: its text snapshot is dated by it, so that clock-only post times
/// ("9.32am") are dated on the day of the page's latest change, not on the
/// day the blog began (a page's stated publication date).
pub fn modified(html: &str) -> Option<When> {
    let doc = Document::from(html);
    stated_modification(&doc, &json_ld_items(&doc))
}

/// The page's last modification from its meta tags, else from the JSON-LD
/// of the live blog or the article.
fn stated_modification(doc: &Document, ld: &[Value]) -> Option<When> {
    let from_meta = [
        "meta[property='article:modified_time']",
        "meta[property='og:updated_time']",
        "meta[itemprop='dateModified']",
    ]
    .iter()
    .find_map(|selector| meta(doc, selector));
    let from_json_ld = || {
        ld.iter()
            .filter(|v| has_type(v, "LiveBlogPosting") || has_type(v, "NewsArticle"))
            .find_map(|v| json_str(v, "dateModified"))
    };
    from_meta
        .or_else(from_json_ld)
        .and_then(|t| When::parse(&t))
}

// ---------------------------------------------------------------- JSON-LD

/// Nested JSON deeper than this is not looked into (hostile pages).
const MAX_JSON_DEPTH: usize = 16;

/// Every JSON-LD object on the page: top-level ones, array members,
/// `@graph` members and the page's main entity (a `WebPage` whose
/// `mainEntity` is the live blog).
fn json_ld_items(doc: &Document) -> Vec<Value> {
    let mut items = Vec::new();
    for script in doc.select("script[type='application/ld+json']").nodes() {
        if let Ok(value) = serde_json::from_str::<Value>(script.text().trim()) {
            collect_items(value, 0, &mut items);
        }
    }
    items
}

fn collect_items(value: Value, depth: usize, out: &mut Vec<Value>) {
    if depth > MAX_JSON_DEPTH {
        return;
    }
    match value {
        Value::Array(values) => {
            for v in values {
                collect_items(v, depth + 1, out);
            }
        }
        Value::Object(mut map) => {
            for nested in ["@graph", "mainEntity"] {
                if let Some(items) = map.remove(nested) {
                    collect_items(items, depth + 1, out);
                }
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

/// `@type` is `name` or a list holding it (with or without a schema.org
/// prefix).
fn has_type(value: &Value, name: &str) -> bool {
    let is = |t: &Value| {
        t.as_str()
            .is_some_and(|t| t.rsplit(['/', ':']).next() == Some(name))
    };
    match value.get("@type") {
        Some(Value::Array(types)) => types.iter().any(is),
        Some(t) => is(t),
        None => false,
    }
}

/// A string property, white space collapsed; empty strings are absent.
fn json_str(value: &Value, key: &str) -> Option<String> {
    value.get(key)?.as_str().and_then(collapse)
}

fn json_ld_posts(posting: &Value) -> Vec<LivePost> {
    let updates = match posting.get("liveBlogUpdate") {
        Some(Value::Array(updates)) => updates.iter().collect(),
        Some(update @ Value::Object(_)) => vec![update],
        _ => Vec::new(),
    };
    updates.into_iter().map(json_ld_post).collect()
}

fn json_ld_post(update: &Value) -> LivePost {
    // schema.org gives an update's text as `articleBody` (an Article's) or
    // `text` (any CreativeWork's); publishers use either.
    let body = ["articleBody", "text"]
        .iter()
        .find_map(|key| update.get(*key).and_then(Value::as_str))
        .map(body_paragraphs)
        .unwrap_or_default();
    LivePost {
        printed_time: None,
        published: json_str(update, "datePublished")
            .or_else(|| json_str(update, "dateModified"))
            .and_then(|t| When::parse(&t)),
        author: update.get("author").and_then(json_author),
        headline: json_str(update, "headline"),
        body,
    }
}

/// `author` as a string, a Person (`name`), or a list of them (joined).
fn json_author(author: &Value) -> Option<String> {
    let one = |a: &Value| match a {
        Value::String(s) => collapse(s),
        Value::Object(_) => json_str(a, "name"),
        _ => None,
    };
    match author {
        Value::Array(authors) => {
            let names: Vec<String> = authors.iter().filter_map(one).collect();
            (!names.is_empty()).then(|| names.join(" and "))
        }
        a => one(a),
    }
}

// -------------------------------------------------------------- microdata

fn microdata_posts(doc: &Document) -> Option<Vec<LivePost>> {
    if !doc.select("[itemtype*='LiveBlogPosting']").exists() {
        return None;
    }
    let updates = doc.select("[itemprop~='liveBlogUpdate']");
    let posts: Vec<LivePost> = updates.nodes().iter().filter_map(microdata_post).collect();
    (!posts.is_empty()).then_some(posts)
}

/// A `liveBlogUpdate` item: its `headline`, `datePublished`, `author` and
/// `articleBody` properties; without an `articleBody`, the item's text.
fn microdata_post(item: &NodeRef) -> Option<LivePost> {
    let scope = Selection::from(*item);
    let prop = |name: &str| {
        scope
            .select(&format!("[itemprop~='{name}']"))
            .nodes()
            .first()
            .copied()
    };
    let published = prop("datePublished")
        .and_then(|n| microdata_value(&n))
        .and_then(|t| When::parse(&t));
    let author = prop("author").and_then(|n| {
        let name = Selection::from(n).select("[itemprop~='name']");
        let value = match name.nodes().first() {
            Some(name) => microdata_value(name),
            None => microdata_value(&n),
        };
        value.map(|a| strip_by(&a))
    });
    let headline = prop("headline").and_then(|n| collapse(&n.text()));
    let body_node = prop("articleBody").unwrap_or(*item);
    strip_chrome(&body_node);
    for name in ["headline", "datePublished", "dateModified", "author"] {
        remove_all(&Selection::from(body_node).select(&format!("[itemprop~='{name}']")));
    }
    let post = LivePost {
        published,
        printed_time: None,
        author,
        headline,
        body: paragraphs(&body_node.formatted_text()),
    };
    has_content(&post).then_some(post)
}

/// A microdata property's value: `content`, `datetime`, else the text.
fn microdata_value(node: &NodeRef) -> Option<String> {
    node.attr("content")
        .or_else(|| node.attr("datetime"))
        .and_then(|v| collapse(&v))
        .or_else(|| collapse(&node.text()))
}

// ----------------------------------------------------------- post blocks

/// Ancestors looked at above a `<time>` for its post's element.
const MAX_CLIMB: usize = 24;
/// A block whose text is mostly link text is a teaser (a key-events or
/// related-links list), not a post.
const MAX_LINK_SHARE: f64 = 0.8;

/// A post's byline element.
const BYLINE: &str = "[rel~='author'], [itemprop~='author'], [class*='byline'], \
                      [class*='author'], [class*='contributor']";
/// Words in an element's id or class that mark a post's element.
const POST_MARKERS: &[&str] = &["block", "post", "update", "entry"];
/// Elements that are site chrome wherever they stand.
const CHROME_ELEMENTS: &str =
    "nav, aside, footer, form, button, script, style, noscript, template, iframe, svg, figure";
/// Words in an id or class that mark chrome inside a post.
const CHROME_MARKERS: &[&str] = &[
    "share",
    "social",
    "subscribe",
    "newsletter",
    "signup",
    "advert",
    "ad",
    "promo",
    "related",
    "comments",
];

/// What marks a post's time in the markup, in order of trust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeMarks {
    /// `<time datetime>`: a moment a machine can read.
    Moments,
    /// An element that prints a stamp ("10.32am BST", "16:53"): a `<time>`
    /// without `datetime`, or one whose class says time, date or stamp.
    Printed,
}

impl TimeMarks {
    /// The elements that may be marks (a printed mark must also read as a
    /// stamp, see [`TimeMarks::marks`]).
    fn selector(self) -> &'static str {
        match self {
            TimeMarks::Moments => "time[datetime]",
            TimeMarks::Printed => "time, [class*='time'], [class*='date'], [class*='stamp']",
        }
    }

    /// Whether `node`, selected by [`TimeMarks::selector`], marks a time.
    fn marks(self, node: &NodeRef) -> bool {
        match self {
            TimeMarks::Moments => true,
            TimeMarks::Printed => collapse(&node.text()).is_some_and(|t| is_stamp(&t)),
        }
    }

    /// Whether `node` holds a mark (its text unchecked: a cheap test).
    fn held_by(self, node: &NodeRef) -> bool {
        Selection::from(*node).select(self.selector()).exists()
    }
}

/// Posts from repeated blocks that each hold a time: marked by moments
/// first, else by printed times (pages whose blocks print their times
/// without markup a machine reads).
fn block_posts(doc: &Document) -> Option<Vec<LivePost>> {
    [TimeMarks::Moments, TimeMarks::Printed]
        .into_iter()
        .find_map(|marks| {
            let containers = post_containers(doc, marks);
            let posts: Vec<LivePost> = containers
                .iter()
                .filter_map(|c| block_post(c, marks))
                .collect();
            (posts.len() >= 2).then_some(posts)
        })
}

/// The elements that hold one post each, in page order: for every time
/// mark outside page chrome, its post element (see [`post_element`]);
/// only the innermost of nested ones; no teasers or chrome; only those
/// that stand beside another (posts repeat, a lone element is not a
/// stream).
fn post_containers<'a>(doc: &'a Document, marks: TimeMarks) -> Vec<NodeRef<'a>> {
    let times = doc.select(marks.selector());
    let mut found: Vec<NodeRef<'a>> = Vec::new();
    let mut seen = HashSet::new();
    for time in times.nodes() {
        if in_chrome(time) || !marks.marks(time) {
            continue;
        }
        if let Some(container) = post_element(time, marks) {
            if seen.insert(container.id) {
                found.push(container);
            }
        }
    }
    // An element that holds another found element is a wrapper of posts
    // (the stream, or the page's main `<article>`), not a post.
    let found_ids: HashSet<_> = found.iter().map(|n| n.id).collect();
    let wrappers: HashSet<_> = found
        .iter()
        .flat_map(|n| n.ancestors(None))
        .map(|a| a.id)
        .filter(|id| found_ids.contains(id))
        .collect();
    // Teasers and chrome are no posts, and do not make a lone post one of
    // a stream by standing beside it.
    let innermost: Vec<NodeRef<'a>> = found
        .into_iter()
        .filter(|n| !wrappers.contains(&n.id))
        .filter(|node| !is_teaser(node) && !in_marked_chrome(node))
        .collect();
    let mut per_stream: HashMap<_, usize> = HashMap::new();
    for node in &innermost {
        *per_stream.entry(stream_of(node)).or_default() += 1;
    }
    innermost
        .into_iter()
        .filter(|node| per_stream[&stream_of(node)] >= 2)
        .collect()
}

/// The element whose children are the posts: the parent of the post
/// element, above any wrapper that holds only it (a list item around each
/// post's `<article>`).
fn stream_of(post: &NodeRef) -> Option<dom_query::NodeId> {
    let mut slot = *post;
    for _ in 0..MAX_CLIMB {
        match slot.parent() {
            Some(parent) if !is_page_root(&parent) && is_only_child(&slot) => slot = parent,
            _ => break,
        }
    }
    slot.parent().map(|p| p.id)
}

/// Whether the node is its parent's only element child.
fn is_only_child(node: &NodeRef) -> bool {
    node.prev_element_sibling().is_none() && node.next_element_sibling().is_none()
}

/// The post element of a `<time>`: the nearest ancestor marked as a post
/// (`<article>`, or "block", "post", "update", "entry" in its id or class)
/// that holds some text besides the time; failing that, the nearest
/// ancestor with a sibling element that has a time of its own.
fn post_element<'a>(time: &NodeRef<'a>, marks: TimeMarks) -> Option<NodeRef<'a>> {
    let ancestors = time.ancestors(Some(MAX_CLIMB));
    let below_root = || ancestors.iter().take_while(|a| !is_page_root(a));
    // Cheap tests first: `has_own_text` reads text, a sibling test reads
    // the siblings' subtrees.
    let marked = below_root().find(|a| is_marked_post(a) && has_own_text(a));
    let beside_timed = || {
        below_root()
            .find(|a| has_own_text(a) && siblings(a).any(|s| marks.held_by(&s)))
            .copied()
    };
    let Some(marked) = marked else {
        return beside_timed();
    };
    // Unmarked posts inside the outermost marked element (plain `<div>`s
    // in the page's `<article>`): that element is their stream, not a
    // post. Inside a marked element that stands in another (a post's
    // body quoting dated tweets), the marked element is the post.
    let outermost = !marked
        .ancestors(Some(MAX_CLIMB))
        .iter()
        .take_while(|a| !is_page_root(a))
        .any(is_marked_post);
    match beside_timed() {
        Some(post)
            if outermost && is_below(&post, marked) && timed_text_siblings(&post, marks) >= 2 =>
        {
            Some(post)
        }
        _ => Some(*marked),
    }
}

/// Whether `node` stands inside `ancestor`.
fn is_below(node: &NodeRef, ancestor: &NodeRef) -> bool {
    node.ancestors(Some(MAX_CLIMB))
        .iter()
        .any(|a| a.id == ancestor.id)
}

/// How many of the node's peers (itself included: siblings of its own
/// element type) hold a time and text of their own, counted up to 2: posts
/// stand among posts like them. A post's header beside its body, which
/// quotes a dated tweet, is no such pair.
fn timed_text_siblings(node: &NodeRef, marks: TimeMarks) -> usize {
    let name = node.node_name();
    let timed = |n: &NodeRef| n.node_name() == name && marks.held_by(n) && has_own_text(n);
    std::iter::once(*node)
        .chain(siblings(node))
        .filter(timed)
        .take(2)
        .count()
}

fn is_page_root(node: &NodeRef) -> bool {
    matches!(
        node.node_name().as_deref(),
        Some("html" | "body" | "main") | None
    )
}

fn is_marked_post(node: &NodeRef) -> bool {
    node.node_name().as_deref() == Some("article") || has_marker(node, POST_MARKERS)
}

/// Whether a word of the node's id or class (split at spaces, `-` and
/// `_`) is one of `markers`.
fn has_marker(node: &NodeRef, markers: &[&str]) -> bool {
    let mut names = String::new();
    for attr in ["id", "class"] {
        if let Some(value) = node.attr(attr) {
            names.push(' ');
            names.push_str(&value.to_ascii_lowercase());
        }
    }
    names
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .any(|word| markers.contains(&word))
}

/// Whether the node has text besides its `<time>` and byline elements
/// and lines that read as stamps ("Updated 16.22 BST") (a post may be as
/// short as "#FF"; an element holding only a post's time, author and
/// update time is part of a post, not one). Stops at the first such text.
fn has_own_text(node: &NodeRef) -> bool {
    node.descendants_it().any(|d| {
        d.is_text()
            && !d.text().trim().is_empty()
            && !is_stamp(d.text().trim())
            && !d
                .ancestors(None)
                .into_iter()
                .take_while(|a| a.id != node.id)
                .any(|a| a.node_name().as_deref() == Some("time") || a.is(BYLINE))
            && !in_stamp_element(&d)
    })
}

/// The time an element prints, when it reads as a stamp; a clock reading
/// alone is put on the day its `datetime` gives, if that is a day alone:
/// `<time datetime=2024-06-25>20:19</time>` reads "20:19, 25 June 2024".
fn printed_time_of(mark: &NodeRef) -> Option<String> {
    let text = collapse(&mark.text()).filter(|t| is_stamp(t))?;
    let day = mark
        .attr("datetime")
        .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok());
    Some(match day {
        Some(day) if !thresh_engine::timeline::is_dated_stamp_line(&text) => {
            format!("{text}, {}", day.format("%-d %B %Y"))
        }
        _ => text,
    })
}

/// A `<time>` that says when its post was updated: marked so (class or
/// itemprop), or labelled so by the text around it ("Updated <time>…").
fn is_update_time(time: &NodeRef) -> bool {
    let marked = ["class", "itemprop"].iter().any(|attr| {
        time.attr(attr).is_some_and(|v| {
            let v = v.to_ascii_lowercase();
            v.contains("updated") || v.contains("modified")
        })
    });
    marked || time.parent().is_some_and(|p| is_update_label(&p))
}

/// An element whose text as a whole is an update's stamp ("Updated 21:06").
fn is_update_label(node: &NodeRef) -> bool {
    collapse(&node.text()).is_some_and(|line| {
        line.len() <= MAX_STAMP_CHARS && thresh_engine::timeline::is_update_stamp_line(&line)
    })
}

/// Whether a text node's element reads as a stamp as a whole: "Updated"
/// beside the `<time>` it labels ("Updated <time>21:06</time>"), "By"
/// beside the author's link.
fn in_stamp_element(text: &NodeRef) -> bool {
    // A long text is no part of a stamp: its element's text, which may be
    // large, need not be read.
    text.text().len() <= MAX_STAMP_CHARS && text.parent().is_some_and(|p| is_stamp_element(&p))
}

/// An element whose text as a whole reads as a stamp.
fn is_stamp_element(node: &NodeRef) -> bool {
    collapse(&node.text()).is_some_and(|t| is_stamp(&t))
}

/// Length of the node's text without the text of its `<time>` and byline
/// elements: what it says besides when and by whom.
fn own_text_len(node: &NodeRef) -> usize {
    let scope = Selection::from(*node);
    let stamps: usize = scope
        .select(&format!("time, {BYLINE}"))
        .nodes()
        .iter()
        .map(text_len_of)
        .sum();
    text_len_of(node).saturating_sub(stamps)
}

/// Characters of a node's text, white space not counted.
fn text_len_of(node: &NodeRef) -> usize {
    node.text().split_whitespace().map(str::len).sum()
}

/// The node's element siblings, nearest first (the next, the previous,
/// the one after the next, …): a test that stops at the first sibling it
/// likes reads one or two, not a stream of thousands.
fn siblings<'a>(node: &NodeRef<'a>) -> impl Iterator<Item = NodeRef<'a>> {
    let mut next = node.next_element_sibling();
    let mut prev = node.prev_element_sibling();
    let mut forward = true;
    std::iter::from_fn(move || {
        let take_next = match (&next, &prev) {
            (None, None) => return None,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(_), Some(_)) => forward,
        };
        forward = !forward;
        if take_next {
            let sibling = next.take()?;
            next = sibling.next_element_sibling();
            Some(sibling)
        } else {
            let sibling = prev.take()?;
            prev = sibling.prev_element_sibling();
            Some(sibling)
        }
    })
}

/// Inside page chrome: a `<nav>` or `<aside>`, or a `<header>` or
/// `<footer>` of the page (a post's own header or footer, inside its
/// `<article>`, is not chrome: post times stand there).
fn in_chrome(node: &NodeRef) -> bool {
    let mut in_header_or_footer = false;
    for a in node.ancestors(None) {
        match a.node_name().as_deref() {
            Some("nav" | "aside") => return true,
            Some("header" | "footer") => in_header_or_footer = true,
            Some("article") => return false,
            _ => {}
        }
    }
    in_header_or_footer
}

/// The node or an ancestor is marked as chrome by its id or class (a
/// subscribe box, a share bar, a related-links box).
fn in_marked_chrome(node: &NodeRef) -> bool {
    has_marker(node, CHROME_MARKERS)
        || node
            .ancestors(None)
            .iter()
            .any(|a| has_marker(a, CHROME_MARKERS))
}

/// Mostly link text: a list item of a key-events or related-links box.
/// Links in the post's own chrome (its share bar) do not count.
fn is_teaser(node: &NodeRef) -> bool {
    let (mut links, mut chrome_links) = (0, 0);
    for a in Selection::from(*node).select("a").nodes() {
        let in_chrome = a
            .ancestors(None)
            .into_iter()
            .take_while(|x| x.id != node.id)
            .any(|x| is_chrome(&x));
        if in_chrome {
            chrome_links += text_len_of(a);
        } else {
            links += text_len_of(a);
        }
    }
    let total = own_text_len(node).saturating_sub(chrome_links);
    total == 0 || links as f64 >= MAX_LINK_SHARE * total as f64
}

/// A chrome element, or an element whose id or class marks chrome.
fn is_chrome(node: &NodeRef) -> bool {
    is_chrome_element(node) || has_marker(node, CHROME_MARKERS)
}

/// One of [`CHROME_ELEMENTS`].
fn is_chrome_element(node: &NodeRef) -> bool {
    let name = node.node_name();
    CHROME_ELEMENTS
        .split(", ")
        .any(|chrome| name.as_deref() == Some(chrome))
}

/// A short line that reads as a byline or time line (the engine decides
/// what one is).
fn is_stamp(line: &str) -> bool {
    line.len() <= MAX_STAMP_CHARS && thresh_engine::timeline::is_stamp_line(line)
}

/// One post element's time, author, headline and paragraphs. The element
/// is taken apart as it is read (time, byline, headline and chrome are
/// removed before the paragraphs are), so it must not be read twice.
fn block_post(node: &NodeRef, marks: TimeMarks) -> Option<LivePost> {
    let scope = Selection::from(*node);
    // The publication time: the first moment that is not an update's
    // ("Updated <time>21:06</time>" may stand first).
    let (updates, publications): (Vec<NodeRef>, Vec<NodeRef>) = scope
        .select("time[datetime]")
        .nodes()
        .iter()
        .copied()
        .partition(is_update_time);
    let moment = |t: &NodeRef| t.attr("datetime").and_then(|d| When::parse(&d));
    let published = publications
        .iter()
        .find_map(moment)
        .or_else(|| updates.iter().find_map(moment));
    // An update's label goes with its time ("Updated" is no text of the post).
    for time in &updates {
        match time.parent().filter(is_update_label) {
            Some(label) => label.remove_from_parent(),
            None => time.remove_from_parent(),
        }
    }
    // Without a moment, the time as printed: a printed mark's text, or a
    // `<time>` whose `datetime` gives the day only, read with its text.
    let printed_mark = match (marks, published) {
        (_, Some(_)) => None,
        (TimeMarks::Moments, None) => publications.first().copied(),
        (TimeMarks::Printed, None) => scope
            .select(marks.selector())
            .nodes()
            .iter()
            .find(|m| marks.marks(m))
            .copied(),
    };
    let printed_time = printed_mark.and_then(|m| printed_time_of(&m));
    if let Some(mark) = printed_mark {
        mark.remove_from_parent();
    }
    remove_all(&scope.select("time"));
    let byline = scope.select(BYLINE);
    let author = byline
        .nodes()
        .first()
        .and_then(|n| collapse(&n.text()))
        .map(|a| strip_by(&a));
    // A byline's label goes with it: "By" in `<address>By <a rel=author>`.
    for name in byline.nodes() {
        match name
            .parent()
            .filter(|p| p.id != node.id && is_stamp_element(p))
        {
            Some(label) => label.remove_from_parent(),
            None => name.remove_from_parent(),
        }
    }
    let heading = scope.select("h1, h2, h3, h4");
    let headline = heading.nodes().first().and_then(|h| collapse(&h.text()));
    if let Some(h) = heading.nodes().first() {
        h.remove_from_parent();
    }
    strip_chrome(node);
    // A line of its own that reads as a stamp is the post's update time
    // ("Updated 16.22 BST") or a second byline, not its text.
    let mut body = paragraphs(&node.formatted_text());
    body.retain(|line| !is_stamp(line));
    let post = LivePost {
        published,
        printed_time,
        author,
        headline,
        body,
    };
    has_content(&post).then_some(post)
}

// ---------------------------------------------------------------- text path

/// Stamp lines are short; longer text is never looked at as one.
const MAX_STAMP_CHARS: usize = 120;
/// Ancestors looked at to find a text's block (hostile nesting is cut off).
const MAX_BLOCK_DEPTH: usize = 64;

/// Main-text extraction's `text` of a live-blog page without markup of
/// posts, with the byline and time lines it dropped put back where the page
/// has them. Extraction takes "By Jane Doe, 10.32am" for page metadata;
/// the timeline needs it, since it is where one post ends and another
/// begins. Stamps between the extracted lines, and those right above the
/// first and right below the last, are put back.
pub fn with_stamps(html: &str, text: &str) -> String {
    let page = block_lines(html);
    let mut positions: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, line) in page.iter().enumerate() {
        positions.entry(line.as_str()).or_default().push(i);
    }
    let mut out: Vec<String> = Vec::new();
    // The page position of the last extracted line found on the page.
    let mut last: Option<usize> = None;
    for line in text.lines() {
        let normalized = collapse(line).unwrap_or_default();
        let from = last.map_or(0, |l| l + 1);
        let found = positions
            .get(normalized.as_str())
            .and_then(|at| at.get(at.partition_point(|&p| p < from)).copied());
        // A line extraction ran together from several of the page's blocks
        // is given back as those blocks.
        let pieces: Vec<(&str, Option<usize>)> = match found {
            Some(at) => vec![(line, Some(at))],
            None => match run_together(&page, from, &normalized) {
                Some(blocks) => blocks.map(|i| (page[i].as_str(), Some(i))).collect(),
                None => vec![(line, None)],
            },
        };
        for (piece, found) in pieces {
            put_back_stamps(&page, found, &mut last, &mut out);
            out.push(piece.to_string());
        }
    }
    if let Some(l) = last {
        // Below the last line: the stamps that stand right there.
        out.extend(
            (l + 1..page.len())
                .take_while(|&i| is_stamp(&page[i]))
                .map(|i| page[i].clone()),
        );
    }
    out.join("\n")
}

/// Page lines looked at after the last one found, for the blocks a line
/// extraction ran together begins with (furniture it dropped may stand
/// between).
const MAX_RUN_TOGETHER_LOOKAHEAD: usize = 64;

/// The page's blocks, from `from` on, that `line` is made of, one after
/// the other with or without a space between ("…throw downBy Allen Cook"):
/// two or more, or `None`.
fn run_together(page: &[String], from: usize, line: &str) -> Option<std::ops::Range<usize>> {
    let last_start = (from + MAX_RUN_TOGETHER_LOOKAHEAD).min(page.len());
    (from..last_start).find_map(|start| {
        let mut rest = line.strip_prefix(page[start].as_str())?;
        let mut end = start + 1;
        while !rest.is_empty() && end < page.len() {
            rest = rest.trim_start().strip_prefix(page[end].as_str())?;
            end += 1;
        }
        (rest.is_empty() && end - start >= 2).then_some(start..end)
    })
}

/// Before a line found at page position `found`, the page's stamps that
/// stand between it and the last line found (`last`), or right above it
/// when it is the first; `last` moves to `found`.
fn put_back_stamps(
    page: &[String],
    found: Option<usize>,
    last: &mut Option<usize>,
    out: &mut Vec<String>,
) {
    let Some(at) = found else {
        return;
    };
    let is_stamp = |i: usize| is_stamp(&page[i]);
    let stamps_from = match *last {
        Some(l) => l + 1,
        // Above the first line: the stamps that stand right there.
        None => (0..at)
            .rev()
            .take_while(|&i| is_stamp(i))
            .last()
            .unwrap_or(at),
    };
    out.extend(
        (stamps_from..at)
            .filter(|&i| is_stamp(i))
            .map(|i| page[i].clone()),
    );
    *last = Some(at);
}

/// The page's text as lines, one per block element (paragraph, heading,
/// list item, table cell, division) and line break, white space
/// collapsed, in page order.
fn block_lines(html: &str) -> Vec<String> {
    let doc = Document::from(html);
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut current_block = None;
    for body in doc.select("body").nodes() {
        for node in body.descendants_it() {
            // A line break ends a line, as extraction's text has it.
            if node.node_name().as_deref() == Some("br") {
                lines.extend(collapse(&current));
                current.clear();
                continue;
            }
            if !node.is_text() {
                continue;
            }
            let Some(block) = enclosing_block(&node) else {
                continue;
            };
            if current_block != Some(block) {
                lines.extend(collapse(&current));
                current.clear();
                current_block = Some(block);
            }
            current.push_str(&node.text());
        }
    }
    lines.extend(collapse(&current));
    lines
}

/// The block element a text node stands in, or `None` for text that is no
/// page text (scripts, styles, templates).
fn enclosing_block(node: &NodeRef) -> Option<dom_query::NodeId> {
    let mut block = None;
    for a in node.ancestors(Some(MAX_BLOCK_DEPTH)) {
        match a.node_name().as_deref() {
            Some("script" | "style" | "noscript" | "template") => return None,
            Some(
                "p" | "div" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "td" | "th" | "dt"
                | "dd" | "blockquote" | "article" | "section" | "header" | "footer" | "aside"
                | "nav" | "main" | "body" | "figcaption" | "pre",
            ) if block.is_none() => block = Some(a.id),
            _ => {}
        }
    }
    block
}

// ---------------------------------------------------------------- lead

/// Most lines read as the lead: key-point lists are short, and a page whose
/// posts stand far down is not read to its end.
const MAX_LEAD_LINES: usize = 24;
/// Most text blocks looked at for the lead (each costs a look at its
/// subtree and ancestors: hostile nesting must not make it quadratic).
const MAX_LEAD_BLOCKS: usize = 400;
/// A post opening of at most this many words may be a label's.
const MAX_LABEL_WORDS: usize = 2;
/// Text blocks that can be lead lines.
const LEAD_BLOCKS: &str = "p, li, h2, h3";

/// The lead: paragraphs, list items and headings that stand before the
/// first post's text in page order, outside page chrome, without the
/// title and standfirst (`known`), link lists and stamps. Empty when the page's markup does not
/// show the posts' text (JSON-LD beside a page drawn by script), since
/// then where the lead ends is unknown.
fn lead(doc: &Document, posts: &[LivePost], known: &[&Option<String>]) -> Vec<String> {
    // A post headed by a word or two ("Summary") says little about where
    // the posts begin: the key points' own label may read the same. Such
    // openings count only for the first and the last post (JSON-LD lists
    // posts newest first, pages may show them oldest first).
    let ends = [0, posts.len().saturating_sub(1)];
    let openings: HashSet<String> = posts
        .iter()
        .enumerate()
        .flat_map(|(i, p)| {
            [p.headline.as_deref(), p.body.first().map(String::as_str)]
                .into_iter()
                .flatten()
                .map(opening_words)
                .filter(move |o| {
                    ends.contains(&i) || o.split_whitespace().count() > MAX_LABEL_WORDS
                })
        })
        .collect();
    let mut lines = Vec::new();
    // In page order, by walking the body: a selector such as "body li"
    // would look up every list item's ancestors, however deep.
    let body = doc.select("body");
    let blocks = body
        .nodes()
        .first()
        .into_iter()
        .flat_map(|b| b.descendants_it())
        .filter(|n| matches!(n.node_name().as_deref(), Some("p" | "li" | "h2" | "h3")));
    for node in blocks.take(MAX_LEAD_BLOCKS) {
        let node = &node;
        let nested = Selection::from(*node).select(LEAD_BLOCKS).exists();
        if nested || in_chrome(node) || in_marked_chrome(node) || has_chrome_ancestor(node) {
            continue;
        }
        let Some(text) = collapse(&node.text()) else {
            continue;
        };
        if openings.contains(&opening_words(&text)) || lines.len() == MAX_LEAD_LINES {
            return lines;
        }
        // Links (a key-events list, teasers) and stamps (the first post's
        // time, printed above it) are not the summary.
        let stamp = is_stamp(&text);
        let known = known.iter().any(|k| k.as_deref() == Some(text.as_str()));
        if !known && !stamp && !is_teaser(node) {
            lines.push(text);
        }
    }
    Vec::new()
}

/// Inside a chrome element (a button, a form, a figure) anywhere above.
fn has_chrome_ancestor(node: &NodeRef) -> bool {
    node.ancestors(None).iter().any(is_chrome_element)
}

/// The first words of a line, lower-cased: how a post's opening is found
/// in the page's text, and (through [`post_key`]) how [`dedup`] tells
/// copies of a post.
fn opening_words(text: &str) -> String {
    text.split_whitespace()
        .take(12)
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

// ----------------------------------------------------------------- shared

/// Removes chrome inside a post: chrome elements, and elements whose id or
/// class marks sharing, subscribing, adverts, related links or comments.
fn strip_chrome(node: &NodeRef) {
    let scope = Selection::from(*node);
    remove_all(&scope.select(CHROME_ELEMENTS));
    let marked: Vec<NodeRef> = scope
        .select("[class], [id]")
        .nodes()
        .iter()
        .filter(|n| has_marker(n, CHROME_MARKERS))
        .copied()
        .collect();
    for n in marked {
        n.remove_from_parent();
    }
}

fn remove_all(selection: &Selection) {
    let nodes: Vec<NodeRef> = selection.nodes().to_vec();
    for n in nodes {
        n.remove_from_parent();
    }
}

fn has_content(post: &LivePost) -> bool {
    post.headline.is_some() || !post.body.is_empty()
}

/// Keeps each post once. Two posts are the same when they share their
/// time and their first words ([`post_key`]): a key event or pinned post
/// repeated beside the stream, or a block printed twice (once with ’,
/// once with '). The fuller copy is kept, where the first one stood.
fn dedup(posts: Vec<LivePost>) -> Vec<LivePost> {
    let mut out: Vec<LivePost> = Vec::with_capacity(posts.len());
    type Key = (Option<NaiveDateTime>, Option<String>, String);
    let mut seen: HashMap<Key, usize> = HashMap::new();
    for post in posts {
        let when = post.published.map(When::instant);
        let key = (when, post.printed_time.clone(), post_key(&post));
        match seen.get(&key) {
            Some(&i) if text_len(&post) > text_len(&out[i]) => out[i] = post,
            Some(_) => {}
            None => {
                seen.insert(key, out.len());
                out.push(post);
            }
        }
    }
    out
}

/// A post's first words (headline, else first paragraph) in letters and
/// digits only: the same post whichever quotes and dashes a copy of it
/// prints, and whether the JSON-LD or the markup gives it.
fn post_key(post: &LivePost) -> String {
    let first = post
        .headline
        .as_deref()
        .or(post.body.first().map(String::as_str))
        .unwrap_or("");
    alphanumeric_words(&opening_words(first))
}

/// The words of `text` in their letters and digits, lower-cased.
fn alphanumeric_words(text: &str) -> String {
    text.split_whitespace()
        .map(|word| {
            word.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn text_len(post: &LivePost) -> usize {
    post.body.iter().map(String::len).sum::<usize>() + post.headline.as_ref().map_or(0, String::len)
}

/// One paragraph per non-blank line, white space collapsed.
/// The paragraphs of a JSON-LD body, which some sites write as HTML
/// (`<p>…</p><p>…</p>`) rather than as text.
fn body_paragraphs(body: &str) -> Vec<String> {
    let is_markup = ["</p>", "<br", "</div>", "</li>"]
        .iter()
        .any(|tag| body.contains(tag));
    if !is_markup {
        return paragraphs(body);
    }
    paragraphs(&Document::fragment(body).root().formatted_text())
}

fn paragraphs(text: &str) -> Vec<String> {
    text.lines().filter_map(collapse).collect()
}

/// White space collapsed to single spaces; `None` when nothing is left.
fn collapse(text: &str) -> Option<String> {
    let s = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// "By Jane Doe" → "Jane Doe".
fn strip_by(author: &str) -> String {
    let trimmed = author.trim();
    match trimmed.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => trimmed[3..].trim().to_string(),
        _ => trimmed.to_string(),
    }
}

fn meta(doc: &Document, selector: &str) -> Option<String> {
    attr_of_first(doc, selector, "content")
}

fn attr_of_first(doc: &Document, selector: &str, attr: &str) -> Option<String> {
    doc.select(selector)
        .nodes()
        .first()
        .and_then(|n| n.attr(attr))
        .and_then(|v| collapse(&v))
}

fn text_of_first(doc: &Document, selector: &str) -> Option<String> {
    doc.select(selector)
        .nodes()
        .first()
        .and_then(|n| collapse(&n.text()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(text: &str) -> String {
        When::parse(text).map(When::to_iso).unwrap_or_default()
    }

    #[test]
    fn times_are_resolved_in_their_zone_and_written_in_utc() {
        assert_eq!(iso("2021-02-18T19:30:00Z"), "2021-02-18T19:30:00+00:00");
        assert_eq!(
            iso("2021-02-18T20:30:00+01:00"),
            "2021-02-18T19:30:00+00:00"
        );
        assert_eq!(
            iso("2021-02-18T14:30:00.250-0500"),
            "2021-02-18T19:30:00+00:00"
        );
        assert_eq!(iso("2021-02-19T01:00+05:30"), "2021-02-18T19:30:00+00:00");
        assert_eq!(iso("2021-02-18T19:30Z"), "2021-02-18T19:30:00+00:00");
        // No zone: the wall clock as given.
        assert_eq!(iso("2021-02-18T19:30"), "2021-02-18T19:30:00");
        // A day is no post time.
        assert_eq!(When::parse("2021-02-18"), None);
        assert_eq!(When::parse("yesterday"), None);
    }

    const CHROME: &str =
        "<header><nav><a href=/>Home</a><time datetime=2024-01-01T00:00Z>Now</time>\
        </nav></header>";

    #[test]
    fn json_ld_in_a_graph_with_authors() {
        let html = r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[
              {"@type":"WebPage","name":"x"},
              {"@type":["LiveBlogPosting"],"headline":"Storm live","description":"All the news.",
               "dateModified":"2024-03-05T12:40:00+01:00",
               "liveBlogUpdate":[
                 {"@type":"BlogPosting","headline":"Roads shut","articleBody":"The A1 is shut.\nPolice say so.",
                  "datePublished":"2024-03-05T12:30:00+01:00","author":[{"@type":"Person","name":"Ann Lee"},"Bo Li"]},
                 {"@type":"BlogPosting","articleBody":"Winds are easing.","datePublished":"2024-03-05T10:00:00Z"}
               ]}]}
            </script></head><body><p>Storm live</p></body></html>"#;
        let blog = find(html).unwrap();
        assert_eq!(blog.title.as_deref(), Some("Storm live"));
        assert_eq!(
            blog.modified.map(When::to_iso).as_deref(),
            Some("2024-03-05T11:40:00+00:00")
        );
        assert_eq!(
            blog.render(),
            "Storm live\nAll the news.\n2024-03-05T11:30:00+00:00\nBy Ann Lee and Bo Li\n\
             Roads shut\nThe A1 is shut.\nPolice say so.\n2024-03-05T10:00:00+00:00\nWinds are easing."
        );
    }

    #[test]
    fn microdata_updates() {
        let html = format!(
            "<html><body>{CHROME}<div itemscope itemtype=https://schema.org/LiveBlogPosting>\
             <h1 itemprop=headline>Vote count</h1>\
             <div itemprop=liveBlogUpdate itemscope itemtype=https://schema.org/BlogPosting>\
               <h2 itemprop=headline>First result</h2>\
               <meta itemprop=datePublished content=2024-07-04T23:30:00+01:00>\
               <span itemprop=author itemscope><span itemprop=name>Jo Bloggs</span></span>\
               <div itemprop=articleBody><p>Sunderland declares.</p><p>Turnout is 48%.</p></div>\
             </div>\
             <div itemprop=liveBlogUpdate><time itemprop=datePublished datetime=2024-07-04T22:00:00Z>22:00</time>\
               <p>Polls have closed.</p><div class=share-tools>Share on X</div></div>\
             </div></body></html>"
        );
        let blog = find(&html).unwrap();
        assert_eq!(blog.posts.len(), 2);
        assert_eq!(blog.posts[0].author.as_deref(), Some("Jo Bloggs"));
        assert_eq!(blog.posts[0].headline.as_deref(), Some("First result"));
        assert_eq!(
            blog.posts[0].body,
            ["Sunderland declares.", "Turnout is 48%."]
        );
        assert_eq!(
            blog.posts[0].published.map(When::to_iso).as_deref(),
            Some("2024-07-04T22:30:00+00:00")
        );
        assert_eq!(blog.posts[1].body, ["Polls have closed."]);
    }

    /// Blocks marked only by structure (no article, no post-like class),
    /// a teaser list of links with times, a repeated pinned post.
    #[test]
    fn repeated_blocks_with_times() {
        let post = |t: &str, text: &str| {
            format!("<div class=item><span class=meta><time datetime={t}>x</time></span><p>{text}</p></div>")
        };
        let html = format!(
            "<html><body>{CHROME}<aside><ul>\
               <li><a href=#1><time datetime=2024-01-01T10:00Z>10:00</time> Ferry cancelled</a></li>\
               <li><a href=#2><time datetime=2024-01-01T11:00Z>11:00</time> Bridge shut</a></li></ul></aside>\
             <div class=pinned>{}</div>\
             <div class=stream>{}{}</div>\
             <div class=newsletter-signup><p>Sign up now.</p><time datetime=2024-01-01T00:00Z>x</time></div>\
             <footer><time datetime=2024-01-01T12:00Z>Updated 12:00</time> © Paper</footer></body></html>",
            post("2024-01-01T11:00Z", "The bridge is shut."),
            post("2024-01-01T11:00Z", "The bridge is shut."),
            post("2024-01-01T10:00Z", "The ferry is cancelled."),
        );
        let blog = find(&html).unwrap();
        let bodies: Vec<_> = blog.posts.iter().map(|p| p.body.join(" ")).collect();
        assert_eq!(bodies, ["The bridge is shut.", "The ferry is cancelled."]);
        assert_eq!(
            blog.modified.map(When::to_iso).as_deref(),
            Some("2024-01-01T11:00:00+00:00")
        );
    }

    /// Key points above the posts are the page's lead; a post's header
    /// that holds its time, author and update time (in an element marked
    /// "post") is part of the post, and the update time is not its text.
    #[test]
    fn lead_and_update_times_in_post_headers() {
        let post = |id: &str, t: &str, updated: &str, text: &str| {
            format!(
                "<article class=live-post id={id}><header class=post-meta>\
                 <time datetime={t}>x</time> <span class=byline>Ann Lee</span>{updated}</header>\
                 <h2>Headline {id}</h2><p>{text}</p></article>"
            )
        };
        let html = format!(
            "<html><body><nav><a href=/>Home</a></nav><main><article class=live-blog><h1>Storm live</h1>\
             <h2>Key points</h2><ul><li>The two main bridges are closed.</li><li>Trains are cancelled.</li></ul>\
             <div class=share-tools><a href=#>Share</a></div>{}{}</article></main></body></html>",
            post("b2", "2024-01-01T11:00Z", " <span class=updated>Updated 11.40 GMT</span>", "The bridge is shut."),
            post("b1", "2024-01-01T10:00Z", "", "The ferry is cancelled."),
        );
        let blog = find(&html).unwrap();
        assert_eq!(
            blog.lead,
            [
                "Key points",
                "The two main bridges are closed.",
                "Trains are cancelled."
            ]
        );
        let bodies: Vec<_> = blog.posts.iter().map(|p| p.body.join(" ")).collect();
        assert_eq!(bodies, ["The bridge is shut.", "The ferry is cancelled."]);
        let text = blog.render();
        assert!(text.contains("Storm live\nKey points\n"), "{text}");
        assert!(!text.contains("Updated"), "{text}");
    }

    /// Byline and time lines that main-text extraction drops are put back
    /// where the page has them, for the timeline's text path.
    #[test]
    fn stamps_dropped_by_extraction_are_put_back() {
        let html = "<html><body><div class=content>\
            <p><strong>By Rosa Adeyemi, 10.11pm BST</strong></p><p>First post text.</p>\
            <p><strong>By Rosa Adeyemi, 8.11pm BST</strong></p><p>Second post text.</p>\
            <p>Third post text.</p><p class=time>9.02am BST</p>\
            </div><footer><p>Terms</p></footer></body></html>";
        let extracted = "First post text.\nSecond post text.\nThird post text.";
        assert_eq!(
            with_stamps(html, extracted),
            "By Rosa Adeyemi, 10.11pm BST\nFirst post text.\nBy Rosa Adeyemi, 8.11pm BST\n\
             Second post text.\nThird post text.\n9.02am BST"
        );
        // Text the page does not show is kept as it is.
        assert_eq!(
            with_stamps(html, "Elsewhere.\nFirst post text."),
            "Elsewhere.\nBy Rosa Adeyemi, 10.11pm BST\nFirst post text.\nBy Rosa Adeyemi, 8.11pm BST"
        );
    }

    /// Lines extraction ran together from the page's blocks, with or
    /// without a space, are given back as the blocks.
    #[test]
    fn blocks_run_together_by_extraction_are_split() {
        let html = "<html><body><div class=content><div>10.11pm BST</div><div>Rosa Adeyemi</div>\
            <div>First post text.</div><div>Share</div><div>Second headline</div>\
            <div>Second post text.</div></div></body></html>";
        let extracted =
            "10.11pm BST Rosa Adeyemi First post text.\nSecond headlineSecond post text.";
        assert_eq!(
            with_stamps(html, extracted),
            "10.11pm BST\nRosa Adeyemi\nFirst post text.\nSecond headline\nSecond post text."
        );
        // A line that only begins like a block stays whole.
        assert_eq!(
            with_stamps(html, "First post text. And more."),
            "First post text. And more."
        );
    }

    /// A line break ends a page line: a stamp above a post's text in one
    /// paragraph is put back as its own line.
    #[test]
    fn stamps_before_a_line_break_are_put_back() {
        let html = "<html><body><div class=content><p>10.11pm BST<br>First post text.</p>\
            <p>9.02pm BST<br>By Rosa Adeyemi<br>Second post text.</p></div></body></html>";
        assert_eq!(
            with_stamps(html, "First post text.\nSecond post text."),
            "10.11pm BST\nFirst post text.\n9.02pm BST\nBy Rosa Adeyemi\nSecond post text."
        );
    }

    /// An update's time labelled "Updated" may stand before the post's
    /// publication time, in a header marked as the post's: the post is the
    /// article, published at its publication time, without the label.
    #[test]
    fn update_times_before_the_publication_time() {
        let post = |t: &str, text: &str| {
            format!(
                "<article class=live-post><header class=post-meta><span class=updated>Updated \
                 <time datetime=2024-01-01T12:47Z>12:47</time></span> <time datetime={t}>x</time>\
                 </header><h2>Update</h2><p>{text}</p></article>"
            )
        };
        let blog = find(&format!("<main>{}</main>", bridge_and_ferry(post))).unwrap();
        assert_eq!(bodies(&blog), BRIDGE_AND_FERRY);
        assert_eq!(time_lines(&blog), BRIDGE_AND_FERRY_TIMES);
    }

    /// A byline's label goes with it: "By" before the author's link is no
    /// text of the post, and does not make the header a post of its own.
    #[test]
    fn bylines_labelled_by_beside_an_author_link() {
        let post = |t: &str, text: &str| {
            format!(
                "<article class=live-post><header class=post-meta><time datetime={t}>x</time> \
                 <address>By <a rel=author href=/ann>Ann Lee</a></address></header>\
                 <h2>Update</h2><p>{text}</p></article>"
            )
        };
        let blog = find(&format!("<main>{}</main>", bridge_and_ferry(post))).unwrap();
        assert_eq!(bodies(&blog), BRIDGE_AND_FERRY);
        assert_eq!(blog.posts[1].author.as_deref(), Some("Ann Lee"));
        assert_eq!(blog.posts[1].headline.as_deref(), Some("Update"));
    }

    /// A `<time>` whose `datetime` gives the day only: its text is the
    /// post's clock on that day.
    #[test]
    fn times_whose_datetime_gives_the_day_only() {
        let post = |time: &str, text: &str| {
            format!("<article><h2>Update</h2>{time}<p>{text}</p></article>")
        };
        let html = format!(
            "<main>{}{}</main>",
            post(
                "<time datetime=2024-06-25>20:19</time>",
                "The bridge is shut."
            ),
            post(
                "<time datetime=2024-06-24>24 June 2024, 18:37</time>",
                "The ferry is cancelled."
            ),
        );
        let blog = find(&html).unwrap();
        assert_eq!(bodies(&blog), BRIDGE_AND_FERRY);
        assert_eq!(
            time_lines(&blog),
            ["20:19, 25 June 2024", "24 June 2024, 18:37"]
        );
    }

    #[test]
    fn pages_without_post_markup_are_no_live_blog() {
        assert_eq!(
            find("<html><body><article><h1>A</h1><p>Text.</p></article></body></html>"),
            None
        );
        // One post block alone is no stream.
        let one = "<article><time datetime=2024-01-01T10:00Z>x</time><p>Only.</p></article>";
        assert_eq!(find(one), None);
        // Malformed JSON-LD is ignored.
        assert_eq!(
            find("<script type=application/ld+json>{\"@type\":</script>"),
            None
        );
    }

    fn bodies(blog: &LiveBlog) -> Vec<String> {
        blog.posts.iter().map(|p| p.body.join(" ")).collect()
    }

    /// The two posts of the block tests, newest first, as `post` writes
    /// one from its time and text.
    fn bridge_and_ferry(post: impl Fn(&str, &str) -> String) -> String {
        post("2024-01-01T11:00Z", "The bridge is shut.")
            + &post("2024-01-01T10:00Z", "The ferry is cancelled.")
    }

    const BRIDGE_AND_FERRY: [&str; 2] = ["The bridge is shut.", "The ferry is cancelled."];

    /// The times `bridge_and_ferry` gives its posts, as time lines.
    const BRIDGE_AND_FERRY_TIMES: [&str; 2] =
        ["2024-01-01T11:00:00+00:00", "2024-01-01T10:00:00+00:00"];

    /// Each post's time line, "" for a post without one.
    fn time_lines(blog: &LiveBlog) -> Vec<String> {
        blog.posts
            .iter()
            .map(|p| p.time_line().unwrap_or_default())
            .collect()
    }

    /// JSON-LD as other sites write it: the live blog as a page's main
    /// entity, an update's text as `text`, and a body written as HTML.
    #[test]
    fn json_ld_main_entity_text_and_html_bodies() {
        let html = r#"<script type="application/ld+json">{"@type":"WebPage","mainEntity":
            {"@type":"LiveBlogPosting","headline":"Storm live","liveBlogUpdate":[
             {"text":"Roads are shut.","datePublished":"2024-03-05T12:30:00Z"},
             {"articleBody":"<p>Winds are easing.</p><p>Rain &amp; hail later.</p>",
              "datePublished":"2024-03-05T10:00:00Z"}]}}</script>"#;
        let blog = find(html).unwrap();
        assert_eq!(blog.title.as_deref(), Some("Storm live"));
        assert_eq!(blog.posts[0].body, ["Roads are shut."]);
        assert_eq!(
            blog.posts[1].body,
            ["Winds are easing.", "Rain & hail later."]
        );
    }

    /// A stream whose posts each stand in a list item of their own: the
    /// posts repeat one level up.
    #[test]
    fn posts_each_in_a_list_item() {
        let post = |t: &str, text: &str| {
            format!("<li class=stream-item><article><time datetime={t}>x</time><p>{text}</p></article></li>")
        };
        let html = format!(
            "<main><article class=page><h1>Storm live</h1><ol>{}</ol></article></main>",
            bridge_and_ferry(post)
        );
        assert_eq!(bodies(&find(&html).unwrap()), BRIDGE_AND_FERRY);
        // One post alone in its wrappers is no stream.
        let lone = format!(
            "<main><ol>{}</ol><p>Other text.</p></main>",
            post("2024-01-01T11:00Z", "Alone.")
        );
        assert!(find(&lone).is_none());
    }

    /// Plain `<div>` posts inside the page's `<article>`: the article is
    /// their stream, not one post.
    #[test]
    fn unmarked_posts_inside_the_pages_article() {
        let post = |t: &str, text: &str| {
            format!("<div><div><time datetime={t}>x</time> <span class=byline>Ann Lee</span></div><p>{text}</p></div>")
        };
        let html = format!(
            "<main><article><h1>Storm live</h1><p class=standfirst>All the news.</p>{}</article></main>",
            bridge_and_ferry(post)
        );
        let blog = find(&html).unwrap();
        assert_eq!(bodies(&blog), BRIDGE_AND_FERRY);
        assert_eq!(blog.posts[0].author.as_deref(), Some("Ann Lee"));
        // A marked post whose header stands beside a body quoting a dated
        // tweet is one post, not a header and a body.
        let post = |t: &str, text: &str| {
            format!(
                "<article><header><time datetime={t}>x</time><h2>Update</h2></header>\
                 <div><p>{text}</p><blockquote>A tweet. <time datetime=2023-12-31T09:00Z>Dec 31</time>\
                 </blockquote></div></article>"
            )
        };
        let blog = find(&format!("<main>{}</main>", bridge_and_ferry(post))).unwrap();
        assert_eq!(time_lines(&blog), BRIDGE_AND_FERRY_TIMES);
        assert_eq!(blog.posts[1].headline.as_deref(), Some("Update"));
    }

    /// Blocks that print their times without a `datetime`: the printed
    /// time is the post's time line, read on the page's own day.
    #[test]
    fn printed_times_mark_post_blocks() {
        let post = |time: &str, text: &str| {
            format!("<article class=live-post><div class=meta>{time}</div><h2>Update</h2><p>{text}</p></article>")
        };
        let html = format!(
            "<head><meta property='article:modified_time' content='2024-06-01T11:05:00+01:00'></head>\
             <body><main><h1>Storm live</h1>{}{}<p class=note>Share this page</p></main></body>",
            post("<time>11.02am BST</time>", "The bridge is shut."),
            post("<span class=post-time>10:15</span>", "The ferry is cancelled."),
        );
        let blog = find(&html).unwrap();
        assert_eq!(bodies(&blog), BRIDGE_AND_FERRY);
        assert_eq!(time_lines(&blog), ["11.02am BST", "10:15"]);
        assert!(blog
            .render()
            .contains("\n11.02am BST\nUpdate\nThe bridge is shut.\n"));
        assert_eq!(
            blog.snapshot_date().as_deref(),
            Some("2024-06-01T11:05:00+01:00")
        );
    }

    /// A post headed "Summary" does not end the lead at the key points'
    /// label of the same word.
    #[test]
    fn a_post_headed_like_the_key_points_label() {
        let post = |t: &str, headline: &str, text: &str| {
            format!(
                "<article><time datetime={t}>x</time><h2>{headline}</h2><p>{text}</p></article>"
            )
        };
        let html = format!(
            "<main><h1>Storm live</h1><h2>Summary</h2><ul><li>Roads are shut.</li>\
             <li>Ferries are cancelled.</li></ul>{}{}{}</main>",
            post("2024-01-01T12:00Z", "Bridge shut", "The bridge is shut."),
            post(
                "2024-01-01T11:00Z",
                "Summary",
                "Here is where things stand."
            ),
            post(
                "2024-01-01T10:00Z",
                "Ferry cancelled",
                "The ferry is cancelled."
            ),
        );
        let blog = find(&html).unwrap();
        assert_eq!(
            blog.lead,
            ["Summary", "Roads are shut.", "Ferries are cancelled."]
        );
    }

    /// JSON-LD that lists updates by headline and time only, beside
    /// blocks that print their times as clock readings: each block takes
    /// its moment from the update with its headline.
    #[test]
    fn printed_times_take_the_moment_json_ld_gives_their_headline() {
        let ld = r#"<script type="application/ld+json">{"@type":"LiveBlogPosting","liveBlogUpdate":[
            {"headline":"Bridge shut","datePublished":"2024-06-01T11:02:00+01:00"},
            {"headline":"Ferry cancelled","datePublished":"2024-06-01T10:15:00+01:00"}]}</script>"#;
        let post = |time: &str, headline: &str, text: &str| {
            format!("<article><p class=time>{time}</p><h2>{headline}</h2><p>{text}</p></article>")
        };
        let html = format!(
            "{ld}<main>{}{}{}</main>",
            post("11:02", "Bridge shut", "The bridge is shut."),
            post("10:40", "Trains late", "Trains are running late."),
            post("10:15", "Ferry cancelled", "The ferry is cancelled."),
        );
        let blog = find(&html).unwrap();
        assert_eq!(
            time_lines(&blog),
            [
                "2024-06-01T10:02:00+00:00",
                "10:40",
                "2024-06-01T09:15:00+00:00"
            ]
        );
    }

    #[test]
    fn json_ld_without_bodies_gives_way_to_the_markup() {
        let ld = r#"<script type="application/ld+json">{"@type":"LiveBlogPosting","liveBlogUpdate":[
            {"headline":"Bridge shut","datePublished":"2024-01-01T11:00:00Z"},
            {"headline":"Ferry cancelled","datePublished":"2024-01-01T10:00:00Z"}]}</script>"#;
        let blocks = "<article><time datetime=2024-01-01T11:00Z>x</time><h2>Bridge shut</h2>\
            <p>The bridge is shut.</p></article><article><time datetime=2024-01-01T10:00Z>x</time>\
            <h2>Ferry cancelled</h2><p>The ferry is cancelled.</p></article>";
        let blog = find(&format!("{ld}{blocks}")).unwrap();
        assert_eq!(blog.posts[0].body, ["The bridge is shut."]);
        // Without post markup, the headlines and times are still posts.
        let blog = find(ld).unwrap();
        assert_eq!(blog.posts.len(), 2);
        assert_eq!(blog.posts[1].headline.as_deref(), Some("Ferry cancelled"));
    }

    /// JSON-LD that lists only the newest updates gives way to the markup,
    /// which shows every post; JSON-LD that lists every post the markup
    /// shows (one printed twice, with other quotes) keeps its own text.
    #[test]
    fn json_ld_of_the_newest_updates_only_gives_way_to_the_markup() {
        let ld = |updates: &str| {
            format!(
                r#"<script type="application/ld+json">{{"@type":"LiveBlogPosting",
                "liveBlogUpdate":[{updates}]}}</script>"#
            )
        };
        let newest =
            r#"{"articleBody":"The bridge's shut.","datePublished":"2024-01-01T11:00:00Z"}"#;
        let older =
            r#"{"articleBody":"The ferry is cancelled.","datePublished":"2024-01-01T10:00:00Z"}"#;
        let post = |t: &str, text: &str| {
            format!(
                "<article><time datetime={t}>x</time><p>{text}</p><p>Photograph: AP</p></article>"
            )
        };
        let blocks = post("2024-01-01T11:00Z", "The bridge’s shut.")
            + &post("2024-01-01T10:00Z", "The ferry is cancelled.");
        let blog = find(&format!("{}{blocks}", ld(newest))).unwrap();
        assert_eq!(
            bodies(&blog),
            [
                "The bridge’s shut. Photograph: AP",
                "The ferry is cancelled. Photograph: AP"
            ]
        );
        // Without JSON-LD the block printed twice, once with ’ and once
        // with ', is one post.
        let twice_alone = post("2024-01-01T11:00Z", "The bridge's shut.") + &blocks;
        assert_eq!(find(&twice_alone).unwrap().posts.len(), 2);
        let every = format!("{newest},{older}");
        let twice = post("2024-01-01T11:00Z", "The bridge's shut.") + &blocks;
        for page in [
            format!("{}{blocks}", ld(&every)),
            format!("{}{twice}", ld(&every)),
        ] {
            let blog = find(&page).unwrap();
            assert_eq!(
                bodies(&blog),
                ["The bridge's shut.", "The ferry is cancelled."]
            );
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = "<div>".repeat(5_000);
        let html = format!(
            "{deep}<article><time datetime=2024-01-01T10:00Z>x</time><p>One.</p></article>\
             <article><time datetime=2024-01-01T11:00Z>x</time><p>Two.</p></article>"
        );
        let _ = find(&html);
        let json = format!(
            "<script type=application/ld+json>{}{}</script>",
            "[".repeat(5000),
            "]".repeat(5000)
        );
        assert_eq!(find(&json), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Tag soup with times and post markers never panics.
        #[test]
        fn tag_soup_never_panics(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::Just("<article>".to_string()),
                    proptest::prelude::Just("</article>".to_string()),
                    proptest::prelude::Just("<div class=block>".to_string()),
                    proptest::prelude::Just("</div>".to_string()),
                    proptest::prelude::Just("<time datetime=2024-01-01T10:00+01:00>".to_string()),
                    proptest::prelude::Just("<h2>".to_string()),
                    proptest::prelude::Just("<a href=x>".to_string()),
                    proptest::prelude::Just("<p class=byline>By ".to_string()),
                    proptest::prelude::Just("<nav>".to_string()),
                    "[a-zA-Z ,.<>/=\"'&;]{0,30}",
                ],
                0..60,
            )
        ) {
            if let Some(blog) = find(&parts.concat()) {
                proptest::prop_assert!(!blog.render().contains("\n\n"));
            }
        }
    }
}
