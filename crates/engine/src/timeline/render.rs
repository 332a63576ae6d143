//! Timelines as Markdown (for reading in a terminal or a repository), JSON
//! (the schema of issue 3, exactly) and HTML (one self-contained page).

use std::fmt::Write as _;
use std::sync::Arc;

use serde::Serialize;

use super::{Change, Post, Reason, Timeline, Version};
use crate::markup;

/// The output formats of a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// For reading in a terminal or a repository.
    #[default]
    #[cfg_attr(feature = "clap", value(alias = "md"))]
    Markdown,
    /// For programs (the schema in the README).
    Json,
    /// One self-contained page.
    Html,
}

/// The timelines in `format`, ending with a line break.
pub fn render(timelines: &[Timeline], format: Format) -> String {
    match format {
        Format::Markdown => markdown(timelines),
        Format::Json => json(timelines),
        Format::Html => html(timelines),
    }
}

/// Markdown for one or more timelines.
pub fn markdown(timelines: &[Timeline]) -> String {
    let mut out = String::new();
    for (i, t) in timelines.iter().enumerate() {
        if i > 0 {
            out.push_str("\n---\n\n");
        }
        markdown_one(t, page_of(timelines, i), &mut out);
    }
    out
}

/// The page number that keeps anchors unique when a document holds
/// several timelines (each numbers its posts from `p1`).
fn page_of(timelines: &[Timeline], i: usize) -> Option<usize> {
    (timelines.len() > 1).then_some(i + 1)
}

/// The anchor of a post: its id, prefixed with its page's number when the
/// document holds several timelines.
fn anchor(page: Option<usize>, id: &str) -> String {
    match page {
        Some(n) => format!("page{n}-{id}"),
        None => id.to_string(),
    }
}

/// The summary the newest snapshot shows, and the paragraphs only older
/// snapshots had (earlier versions of it), shown folded away.
fn summary_parts(t: &Timeline) -> (&[Arc<str>], &[Arc<str>]) {
    t.summary.split_at(t.summary_newest.min(t.summary.len()))
}

fn earlier_summary_label(paragraphs: usize) -> String {
    match paragraphs {
        1 => "1 paragraph of earlier versions of the summary".to_string(),
        n => format!("{n} paragraphs of earlier versions of the summary"),
    }
}

fn markdown_one(t: &Timeline, page: Option<usize>, out: &mut String) {
    let _ = writeln!(out, "# {}\n", md_inline(title_of(t)));
    let _ = writeln!(out, "*{}*\n", overview(t));
    if !t.earlier_titles.is_empty() {
        let _ = writeln!(
            out,
            "Earlier titles: {}\n",
            md_inline(&t.earlier_titles.join(" · "))
        );
    }
    if !t.summary.is_empty() {
        out.push_str("## Summary\n\n");
        let (newest, earlier) = summary_parts(t);
        for p in newest {
            let _ = writeln!(out, "{}\n", md_inline(p));
        }
        if !earlier.is_empty() {
            let _ = writeln!(
                out,
                "<details><summary>{}</summary>\n",
                earlier_summary_label(earlier.len())
            );
            for p in earlier {
                let _ = writeln!(out, "> {}\n", md_inline(p));
            }
            out.push_str("</details>\n\n");
        }
    }
    if !t.posts.is_empty() {
        out.push_str("## Posts\n\n");
    }
    for post in &t.posts {
        let _ = writeln!(out, "<a id=\"{}\"></a>", anchor(page, &post.id));
        let _ = writeln!(out, "### {}\n", md_inline(headline_of(post)));
        let _ = writeln!(out, "*{}*\n", md_inline(&post_meta(t, post)));
        for p in &post.body {
            let _ = writeln!(out, "{}\n", md_inline(p));
        }
        if post.versions.len() > 1 {
            let _ = writeln!(out, "**{} versions:**\n", post.versions.len());
            for (n, v) in post.versions.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "- v{}, {}: {}",
                    n + 1,
                    seen_range(t, v),
                    change_text(v.change)
                );
                for old in old_wording(post, v) {
                    let _ = writeln!(out, "  > {}", md_inline(old));
                }
            }
            out.push('\n');
        }
        if !post.related.is_empty() {
            let links: Vec<String> = post
                .related
                .iter()
                .map(|id| {
                    let headline = t.post(id).map(headline_of).unwrap_or_default();
                    format!("[{}](#{}) {}", id, anchor(page, id), md_inline(headline))
                })
                .collect();
            let _ = writeln!(out, "Related: {}\n", links.join("; "));
        }
    }
    markdown_removed(t, out);
    if !t.notes.is_empty() {
        out.push_str("## Notes\n\n");
        for note in &t.notes {
            let _ = writeln!(out, "- {}", md_inline(note));
        }
        out.push('\n');
    }
}

/// Markdown lists removed lines up to this many; JSON always has them all.
const MAX_LISTED_REMOVED: usize = 300;

fn markdown_removed(t: &Timeline, out: &mut String) {
    if t.removed.is_empty() {
        return;
    }
    out.push_str("## Removed lines\n\n");
    if t.removed.len() > MAX_LISTED_REMOVED {
        let _ = writeln!(
            out,
            "{} lines (too many to list here; `--format json` has every one).\n",
            t.removed.len()
        );
        return;
    }
    for r in &t.removed {
        let of =
            r.of.as_ref()
                .map(|id| format!(" of {id}"))
                .unwrap_or_default();
        let _ = writeln!(
            out,
            "- `{}:{}` {}{}: {}",
            t.source(r.snapshot),
            r.line,
            r.reason.as_str(),
            of,
            md_inline(&clip(&r.text, 160))
        );
    }
    out.push('\n');
}

fn title_of(t: &Timeline) -> &str {
    match &t.title {
        Some(title) => title,
        None => t.snapshots.first().map_or("Timeline", |s| &s.source),
    }
}

fn headline_of(post: &Post) -> &str {
    if !post.headline.is_empty() {
        &post.headline
    } else {
        post.body.first().map_or("(untitled post)", |p| p)
    }
}

/// "3 snapshots, 2024-11-01 to 2024-11-03 · 29 posts · 40 lines removed (…)".
fn overview(t: &Timeline) -> String {
    let n = t.snapshots.len();
    let dates: Vec<&str> = t
        .snapshots
        .iter()
        .filter_map(|s| s.date.as_deref())
        .collect();
    let span = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) if a != b => format!(", {a} to {b}"),
        (Some(a), _) => format!(", {a}"),
        _ => String::new(),
    };
    let count = |reason: Reason| t.removed.iter().filter(|r| r.reason == reason).count();
    format!(
        "{n} snapshot{}{span} · {} post{} · {} line{} removed ({} duplicate, {} furniture, {} byline)",
        plural(n),
        t.posts.len(),
        plural(t.posts.len()),
        t.removed.len(),
        plural(t.removed.len()),
        count(Reason::Duplicate),
        count(Reason::Furniture),
        count(Reason::Byline),
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn snapshot_label(t: &Timeline, s: usize) -> String {
    let snap = &t.snapshots[s];
    match &snap.date {
        Some(date) if snap.date_inferred => format!("{} ({date}, inferred)", snap.source),
        Some(date) => format!("{} ({date})", snap.source),
        None => snap.source.clone(),
    }
}

fn post_meta(t: &Timeline, post: &Post) -> String {
    let mut parts = Vec::new();
    if let Some(author) = &post.author {
        parts.push(author.clone());
    }
    if let Some(published) = &post.published {
        parts.push(published.replace('T', " "));
    }
    if post.first_seen == post.last_seen {
        parts.push(format!("seen in {}", snapshot_label(t, post.first_seen)));
    } else {
        parts.push(format!(
            "first seen {}, last seen {}, in {} of {} snapshots",
            snapshot_label(t, post.first_seen),
            snapshot_label(t, post.last_seen),
            post.seen_in.len(),
            t.snapshots.len()
        ));
    }
    parts.join(" · ")
}

fn seen_range(t: &Timeline, v: &Version) -> String {
    if v.first_seen == v.last_seen {
        format!("seen in {}", snapshot_label(t, v.first_seen))
    } else {
        format!(
            "seen {} to {}",
            snapshot_label(t, v.first_seen),
            snapshot_label(t, v.last_seen)
        )
    }
}

/// A version's change in words.
pub(crate) fn change_text(change: Change) -> String {
    match change {
        Change::First => "first version".to_string(),
        Change::Paginated { added } => format!(
            "later pages of the article captured ({added} paragraph{} at the end; earlier text unchanged)",
            plural(added)
        ),
        Change::Edited {
            headline,
            added,
            removed,
            changed,
        } => {
            let mut parts = Vec::new();
            if headline {
                parts.push("headline changed".to_string());
            }
            for (n, what) in [(added, "added"), (removed, "removed"), (changed, "edited")] {
                if n > 0 {
                    parts.push(format!("{n} paragraph{} {what}", plural(n)));
                }
            }
            if parts.is_empty() {
                parts.push("paragraphs reordered".to_string());
            }
            parts.join(", ")
        }
    }
}

/// Paragraphs (and headline) of an old version that the current text no
/// longer has: what a reader needs to see what changed.
fn old_wording<'p>(post: &'p Post, v: &'p Version) -> Vec<&'p str> {
    let mut out = Vec::new();
    if !v.headline.is_empty() && v.headline != post.headline {
        out.push(&*v.headline);
    }
    for p in &v.body {
        if !post.body.contains(p) {
            out.push(&**p);
        }
    }
    out
}

/// Keep Markdown from reading text as markup it is not.
fn md_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.chars().enumerate() {
        let special = matches!(c, '*' | '_' | '`' | '[' | ']' | '<' | '>' | '\\' | '|')
            || (i == 0 && matches!(c, '#' | '-' | '+'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max).collect();
    out.push('…');
    out
}

// ---------------------------------------------------------------- JSON

#[derive(Serialize)]
struct JsonTimeline<'a> {
    title: Option<&'a str>,
    snapshots: Vec<JsonSnapshot<'a>>,
    /// The summary the newest snapshot shows.
    summary: Vec<&'a str>,
    /// Paragraphs only older snapshots showed: the summary's earlier
    /// versions, kept apart so that no reader takes them for the newest.
    summary_earlier: Vec<&'a str>,
    posts: Vec<JsonPost<'a>>,
    removed: Vec<JsonRemoved<'a>>,
}

#[derive(Serialize)]
struct JsonSnapshot<'a> {
    source: &'a str,
    date: Option<&'a str>,
    date_inferred: bool,
}

#[derive(Serialize)]
struct JsonPost<'a> {
    id: &'a str,
    headline: &'a str,
    body: Vec<&'a str>,
    published: Option<&'a str>,
    author: Option<&'a str>,
    first_seen: &'a str,
    last_seen: &'a str,
    seen_in: Vec<&'a str>,
    versions: Vec<JsonVersion<'a>>,
    related: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonVersion<'a> {
    first_seen: &'a str,
    last_seen: &'a str,
    headline: &'a str,
    body: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonRemoved<'a> {
    source: &'a str,
    line: usize,
    reason: &'a str,
    of: Option<&'a str>,
    text: &'a str,
}

fn json_view(t: &Timeline) -> JsonTimeline<'_> {
    let src = |s: usize| t.source(s);
    let (summary, summary_earlier) = summary_parts(t);
    JsonTimeline {
        title: t.title.as_deref(),
        snapshots: t
            .snapshots
            .iter()
            .map(|s| JsonSnapshot {
                source: &s.source,
                date: s.date.as_deref(),
                date_inferred: s.date_inferred,
            })
            .collect(),
        summary: summary.iter().map(|p| &**p).collect(),
        summary_earlier: summary_earlier.iter().map(|p| &**p).collect(),
        posts: t
            .posts
            .iter()
            .map(|p| JsonPost {
                id: &p.id,
                headline: &p.headline,
                body: p.body.iter().map(|b| &**b).collect(),
                published: p.published.as_deref(),
                author: p.author.as_deref(),
                first_seen: src(p.first_seen),
                last_seen: src(p.last_seen),
                seen_in: p.seen_in.iter().map(|&s| src(s)).collect(),
                versions: p
                    .versions
                    .iter()
                    .map(|v| JsonVersion {
                        first_seen: src(v.first_seen),
                        last_seen: src(v.last_seen),
                        headline: &v.headline,
                        body: v.body.iter().map(|b| &**b).collect(),
                    })
                    .collect(),
                related: p.related.iter().map(String::as_str).collect(),
            })
            .collect(),
        removed: t
            .removed
            .iter()
            .map(|r| JsonRemoved {
                source: src(r.snapshot),
                line: r.line,
                reason: r.reason.as_str(),
                of: r.of.as_deref(),
                text: &r.text,
            })
            .collect(),
    }
}

/// JSON Lines: one timeline object per page, each on its own line, in page
/// order. The shape is the same whatever the number of pages (one page is
/// one line, itself a JSON document), and a reader can stream the pages of
/// a large run one at a time, as with `jq -c` or a JSONL reader.
pub fn json(timelines: &[Timeline]) -> String {
    let mut out = String::new();
    for timeline in timelines {
        // Serializing plain strings and numbers cannot fail.
        out.push_str(&serde_json::to_string(&json_view(timeline)).unwrap_or_default());
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------- HTML

const STYLE: &str =
    "body{font:16px/1.5 Georgia,serif;max-width:46em;margin:2em auto;padding:0 1em;color:#222}\
h1{font-size:1.7em;line-height:1.2}h3{margin:1.6em 0 .2em}\
.meta{color:#666;font:13px/1.4 system-ui,sans-serif}\
.summary{border-left:3px solid #c00;padding-left:1em}\
article{border-top:1px solid #ddd;margin-top:1.2em}\
details{font:14px/1.4 system-ui,sans-serif;margin:.5em 0}\
blockquote{color:#555;border-left:3px solid #ccc;margin:.3em 0;padding-left:.8em}\
.removed li{color:#777;font-size:13px}code{font-size:12px}\
.diff{white-space:pre-wrap;font:14px/1.5 Georgia,serif;background:#fafafa;padding:.4em .6em;margin:.3em 0}\
del{background:#fdd;color:#900}ins{background:#dfd;color:#060;text-decoration:none}\
.jump ol{columns:2;font-size:13px}.jump time{color:#666}";

/// One self-contained HTML page for one or more timelines.
pub fn html(timelines: &[Timeline]) -> String {
    let mut out = String::new();
    let page_title = timelines.first().map_or("Timeline", title_of);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(page_title)
    );
    for (i, t) in timelines.iter().enumerate() {
        html_one(t, page_of(timelines, i), &mut out);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn html_one(t: &Timeline, page: Option<usize>, out: &mut String) {
    let _ = writeln!(out, "<section>\n<h1>{}</h1>", esc(title_of(t)));
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(&overview(t)));
    if !t.summary.is_empty() {
        out.push_str("<div class=\"summary\">\n");
        let (newest, earlier) = summary_parts(t);
        for p in newest {
            let _ = writeln!(out, "<p>{}</p>", esc(p));
        }
        if !earlier.is_empty() {
            let _ = writeln!(
                out,
                "<details><summary>{}</summary>",
                earlier_summary_label(earlier.len())
            );
            for p in earlier {
                let _ = writeln!(out, "<blockquote>{}</blockquote>", esc(p));
            }
            out.push_str("</details>\n");
        }
        out.push_str("</div>\n");
    }
    html_jump_list(t, page, out);
    for post in &t.posts {
        let _ = writeln!(out, "<article id=\"{}\">", esc(&anchor(page, &post.id)));
        let _ = writeln!(out, "<h3>{}</h3>", esc(headline_of(post)));
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", esc(&post_meta(t, post)));
        for p in &post.body {
            let _ = writeln!(out, "<p>{}</p>", esc(p));
        }
        if post.versions.len() > 1 {
            html_versions(t, post, out);
        }
        if !post.related.is_empty() {
            out.push_str("<p class=\"meta\">Related: ");
            for (i, id) in post.related.iter().enumerate() {
                let headline = t.post(id).map(headline_of).unwrap_or_default();
                let sep = if i > 0 { "; " } else { "" };
                let target = anchor(page, id);
                let _ = write!(
                    out,
                    "{sep}<a href=\"#{}\">{}</a>",
                    esc(&target),
                    esc(headline)
                );
            }
            out.push_str("</p>\n");
        }
        out.push_str("</article>\n");
    }
    if !t.removed.is_empty() {
        let _ = writeln!(
            out,
            "<details class=\"removed\"><summary>{} removed lines</summary><ul>",
            t.removed.len()
        );
        for r in &t.removed {
            let of =
                r.of.as_ref()
                    .map(|id| format!(" of {id}"))
                    .unwrap_or_default();
            let _ = writeln!(
                out,
                "<li><code>{}:{}</code> {}{}: {}</li>",
                esc(t.source(r.snapshot)),
                r.line,
                r.reason.as_str(),
                esc(&of),
                esc(&clip(&r.text, 200))
            );
        }
        out.push_str("</ul></details>\n");
    }
    if !t.notes.is_empty() {
        out.push_str("<ul class=\"meta\">\n");
        for note in &t.notes {
            let _ = writeln!(out, "<li>{}</li>", esc(note));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// A list of the posts by time, each a link to its post: the way to jump
/// to a moment of a long blog. Posts without a time are listed by
/// headline.
fn html_jump_list(t: &Timeline, page: Option<usize>, out: &mut String) {
    if t.posts.len() < 2 {
        return;
    }
    let _ = writeln!(
        out,
        "<details class=\"jump\"><summary>Jump to a post ({} posts, by time)</summary><ol>",
        t.posts.len()
    );
    for post in &t.posts {
        let time = post
            .published
            .as_deref()
            .map(|p| p.replace('T', " "))
            .unwrap_or_else(|| "no time".to_string());
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\"><time>{}</time> {}</a></li>",
            esc(&anchor(page, &post.id)),
            esc(&time),
            esc(&clip(headline_of(post), 90))
        );
    }
    out.push_str("</ol></details>\n");
}

/// A post's versions, oldest first, each with where it was seen, its
/// change in words, and a word diff against the version before it.
fn html_versions(t: &Timeline, post: &Post, out: &mut String) {
    let _ = writeln!(
        out,
        "<details class=\"versions\"><summary>{} versions</summary><ol>",
        post.versions.len()
    );
    let mut previous: Option<String> = None;
    for v in &post.versions {
        let _ = write!(
            out,
            "<li>{}: {}",
            esc(&seen_range(t, v)),
            esc(&change_text(v.change))
        );
        let text = version_text(v);
        if let Some(before) = &previous {
            let _ = write!(
                out,
                "<div class=\"diff\">{}</div>",
                markup::word_diff_html(before, &text)
            );
        }
        previous = Some(text);
        out.push_str("</li>\n");
    }
    out.push_str("</ol></details>\n");
}

/// A version as one text, headline first, one paragraph a line: what its
/// diff compares.
fn version_text(v: &Version) -> String {
    let mut lines: Vec<&str> = Vec::with_capacity(v.body.len() + 1);
    if !v.headline.is_empty() {
        lines.push(&v.headline);
    }
    lines.extend(v.body.iter().map(|p| &**p));
    lines.join("\n")
}

/// Escape text for HTML element content and attribute values.
pub(crate) fn esc(text: &str) -> String {
    markup::escape(text)
}
