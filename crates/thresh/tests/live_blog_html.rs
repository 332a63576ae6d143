//! HTML captures of live blogs keep their structure in the timeline
//! (issue 11, item 2). Pages are built from the Guardian live-blog fixtures
//! (`../shared/data/guardian-liveblogs/*.ts`: TypeScript object literals
//! whose `blocks` are the posts, with times in epoch milliseconds), in
//! three shapes: JSON-LD `LiveBlogPosting`, per-post `<article>` blocks
//! with `<time datetime>` amid site chrome, and a legacy page with neither.
//! Skips with a message when the data is absent.

#![cfg(feature = "html")]

use std::path::{Path, PathBuf};

use thresh::read::InputOptions;
use thresh::timeline::timeline;
use thresh_engine::timeline::{Timeline, TimelineOptions};
use thresh_io::live_blog::When;
use thresh_io::{discover, DocumentReader, ReadOptions};

const FIXTURES: [&str; 2] = ["pmqs-sunak-starmer.ts", "perseverance-briefing.ts"];

fn data_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/guardian-liveblogs");
    dir.is_dir().then_some(dir)
}

// ------------------------------------------------------- fixture parsing

/// One post of a fixture.
#[derive(Debug, Clone, Default)]
struct Block {
    id: String,
    /// HTML of its text and quote elements (images, tweets and embeds are
    /// left out).
    html: Vec<String>,
    title: Option<String>,
    /// `blockFirstPublished`, milliseconds since 1970 (UTC).
    published_ms: i64,
    display: String,
    contributors: Vec<String>,
    key_event: bool,
    pinned: bool,
}

/// A fixture page: headline, standfirst (HTML) and blocks, newest first.
#[derive(Debug, Clone)]
struct Fixture {
    headline: String,
    standfirst: String,
    blocks: Vec<Block>,
}

/// A JavaScript string literal at the start of `text` ('…' or "…").
fn js_string(text: &str) -> Option<String> {
    let mut chars = text.trim_start().chars();
    let quote = chars.next().filter(|q| *q == '\'' || *q == '"')?;
    let mut out = String::new();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c if c == quote => return Some(out),
            c => out.push(c),
        }
    }
    None
}

/// The string value of `key:` on this line, or on the next one when the
/// line ends after the colon (long values are wrapped so).
fn value_of(lines: &[&str], i: usize, key: &str) -> Option<String> {
    let rest = lines[i].trim_start().strip_prefix(key)?.strip_prefix(':')?;
    if rest.trim().is_empty() {
        js_string(lines.get(i + 1)?)
    } else {
        js_string(rest)
    }
}

fn parse_fixture(text: &str) -> Fixture {
    let lines: Vec<&str> = text.lines().collect();
    let top = |key: &str| {
        (0..lines.len())
            .filter(|&i| lines[i].starts_with(&format!("\t{key}:")))
            .find_map(|i| value_of(&lines, i, key))
            .unwrap_or_default()
    };
    let start = lines
        .iter()
        .position(|l| *l == "\tblocks: [")
        .expect("a blocks list");
    let mut blocks = Vec::new();
    let mut block = Block::default();
    let mut element_type = String::new();
    let mut in_contributors = false;
    for i in start + 1..lines.len() {
        let line = lines[i];
        if line.starts_with("\t]") {
            break;
        }
        if line == "\t\t{" {
            block = Block::default();
            continue;
        }
        if line == "\t\t}," || line == "\t\t}" {
            blocks.push(std::mem::take(&mut block));
            continue;
        }
        let trimmed = line.trim_start();
        let depth = line.len() - trimmed.len();
        if let Some(t) = trimmed.strip_prefix("_type: ") {
            element_type = js_string(t).unwrap_or_default();
        } else if trimmed.starts_with("html:") {
            if element_type.ends_with("TextBlockElement")
                || element_type.ends_with("BlockquoteBlockElement")
            {
                block.html.extend(value_of(&lines, i, "html"));
            }
        } else if depth == 3 && trimmed.starts_with("id:") {
            block.id = value_of(&lines, i, "id").unwrap_or_default();
        } else if depth == 3 && trimmed.starts_with("title:") {
            block.title = value_of(&lines, i, "title");
        } else if let Some(ms) = trimmed.strip_prefix("blockFirstPublished: ") {
            block.published_ms = ms.trim_end_matches(',').parse().unwrap();
        } else if depth == 3 && trimmed.starts_with("blockFirstPublishedDisplay:") {
            block.display = value_of(&lines, i, "blockFirstPublishedDisplay").unwrap();
        } else if depth == 3 && trimmed.starts_with("contributors:") {
            in_contributors = !trimmed.ends_with("[],");
        } else if depth == 3 {
            in_contributors = false;
        } else if in_contributors && trimmed.starts_with("name:") {
            block.contributors.extend(value_of(&lines, i, "name"));
        } else if depth == 4 {
            block.key_event |= trimmed == "keyEvent: true,";
            block.pinned |= trimmed == "pinned: true,";
        }
    }
    // Posts with no text of their own (a lone image or tweet) are left out.
    blocks.retain(|b| !b.html.is_empty());
    Fixture {
        headline: top("headline"),
        standfirst: top("standfirst"),
        blocks,
    }
}

fn fixtures() -> Option<Vec<(String, Fixture)>> {
    let Some(dir) = data_dir() else {
        eprintln!("skipped: ../shared/data/guardian-liveblogs is absent");
        return None;
    };
    Some(
        FIXTURES
            .iter()
            .map(|name| {
                let text = std::fs::read_to_string(dir.join(name)).unwrap();
                (name.to_string(), parse_fixture(&text))
            })
            .collect(),
    )
}

// ------------------------------------------------------ times and words

/// `ms` since 1970 as `YYYY-MM-DDTHH:MM:SS` plus `offset_minutes` from UTC,
/// written with that offset (`+05:30`).
fn iso_at(ms: i64, offset_minutes: i64) -> String {
    let secs = ms.div_euclid(1000) + offset_minutes * 60;
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil(days);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let off = offset_minutes.abs();
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60,
        off / 60,
        off % 60
    )
}

/// The UTC minute of `ms`, as the timeline reports a post's time.
fn utc_minute(ms: i64) -> String {
    format!("{}+00:00", &iso_at(ms, 0)[..16])
}

/// Days since 1970 to a proleptic Gregorian date.
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Lower-case words of text or HTML (tags dropped, the entities the
/// fixtures use decoded).
fn words(text: &str) -> Vec<String> {
    let mut plain = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                plain.push(' ');
            }
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let plain = plain
        .replace("&amp;", "&")
        .replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn contains_run(haystack: &[String], needle: &[String]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// The first words of a block's first paragraph: what finds it among the
/// posts.
fn fingerprint(block: &Block) -> Vec<String> {
    let first = block.html.iter().flat_map(|h| text_paragraphs(h)).next();
    words(&first.unwrap_or_default())
        .into_iter()
        .take(12)
        .collect()
}

// ---------------------------------------------------------- page shapes

/// Site chrome around every built page; none of it may reach a post.
const CHROME: [&str; 6] = [
    "Skip to main content",
    "Sign up to First Edition our free daily newsletter",
    "Share this update on Facebook",
    "Support independent journalism today",
    "Guardian News and Media Limited or its affiliated companies",
    "Most viewed across the site",
];

fn head(f: &Fixture, extra: &str) -> String {
    let title = html_escape(&f.headline);
    format!(
        "<!doctype html><html><head><meta charset=utf-8><title>{title} | The Guardian</title>\
         <meta property=\"og:title\" content=\"{title}\">\
         <link rel=canonical href=\"https://www.theguardian.com/live/{}\">{extra}</head>",
        f.blocks.last().map_or("", |b| b.id.as_str())
    )
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn site_header() -> String {
    format!(
        "<header class=site-header><a href=#main>{}</a><nav><ul><li><a href=/>News</a></li>\
         <li><a href=/opinion>Opinion</a></li><li><a href=/sport>Sport</a></li></ul></nav></header>",
        CHROME[0]
    )
}

fn subscribe_box() -> String {
    format!(
        "<div class=newsletter-signup><p>{}</p><form><input type=email><button>Sign up</button>\
         </form></div><div class=contributions-epic><p>{}</p></div>",
        CHROME[1], CHROME[3]
    )
}

fn site_footer() -> String {
    format!(
        "<aside class=most-viewed><h2>{}</h2><ol><li><a href=/a>Another story entirely</a></li></ol>\
         </aside><footer><p>© 2024 {}.</p></footer></body></html>",
        CHROME[5], CHROME[4]
    )
}

/// (a) JSON-LD `LiveBlogPosting`, times written at +05:30 (the reader must
/// turn them into instants); the body is a plain column of paragraphs.
fn json_ld_page(f: &Fixture, blocks: &[Block]) -> String {
    let updates: Vec<serde_json::Value> = blocks
        .iter()
        .map(|b| {
            let body: Vec<String> = b.html.iter().flat_map(|h| text_paragraphs(h)).collect();
            let mut update = serde_json::json!({
                "@type": "BlogPosting",
                "@id": format!("#block-{}", b.id),
                "articleBody": body.join("\n"),
                "datePublished": iso_at(b.published_ms, 330),
            });
            if let Some(title) = &b.title {
                update["headline"] = title.clone().into();
            }
            if let Some(name) = b.contributors.first() {
                update["author"] = serde_json::json!({"@type": "Person", "name": name});
            }
            update
        })
        .collect();
    let ld = serde_json::json!([
        {"@context": "https://schema.org", "@type": "Organization", "name": "The Guardian"},
        {
            "@context": "https://schema.org",
            "@type": "LiveBlogPosting",
            "headline": f.headline,
            "description": words_keep_case(&f.standfirst),
            "liveBlogUpdate": updates,
        }
    ]);
    let script = format!(
        "<script type=\"application/ld+json\">{}</script>",
        ld.to_string().replace("</", "<\\/")
    );
    let column: String = blocks
        .iter()
        .map(|b| format!("<p>{}</p>{}", b.display, b.html.join("")))
        .collect();
    format!(
        "{}<body>{}<main><h1>{}</h1>{}{}<div class=column>{column}</div></main>{}",
        head(f, &script),
        site_header(),
        html_escape(&f.headline),
        f.standfirst,
        subscribe_box(),
        site_footer()
    )
}

/// The paragraphs of a fixture element's HTML, as text.
fn text_paragraphs(html: &str) -> Vec<String> {
    let doc = html.replace("</p>", "</p>\n").replace("</li>", "</li>\n");
    doc.lines()
        .map(words_keep_case)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Tags dropped, white space collapsed, case and punctuation kept.
fn words_keep_case(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One post as an `<article>` block: time (at -05:00), byline, headline,
/// body and a share bar.
fn article_block(b: &Block, id_prefix: &str) -> String {
    let byline = b
        .contributors
        .first()
        .map(|n| format!("<p class=byline>By {n}</p>"))
        .unwrap_or_default();
    let title = b
        .title
        .as_deref()
        .map(|t| format!("<h2>{}</h2>", html_escape(t)))
        .unwrap_or_default();
    format!(
        "<article id=\"{id_prefix}{}\" class=\"block\"><header><time datetime=\"{}\">{}</time>\
         {byline}{title}</header><div class=block-body>{}</div>\
         <div class=share-bar><a href=#>{}</a> <a href=#>Twitter</a></div></article>",
        b.id,
        iso_at(b.published_ms, -300),
        b.display,
        b.html.join(""),
        CHROME[2]
    )
}

/// (b) per-post `<article>` blocks amid chrome: navigation, a subscribe
/// box, a key-events list linking to some posts (with their times), the
/// pinned post printed again above the stream, a footer.
fn blocks_page(f: &Fixture, blocks: &[Block]) -> String {
    let key_events: String = blocks
        .iter()
        .filter(|b| b.key_event || b.title.is_some())
        .take(5)
        .map(|b| {
            format!(
                "<li><a href=\"#block-{}\"><time datetime=\"{}\">{}</time> {}</a></li>",
                b.id,
                iso_at(b.published_ms, 0),
                b.display,
                html_escape(b.title.as_deref().unwrap_or("Update"))
            )
        })
        .collect();
    // A pinned post, or else the oldest one, repeated above the stream.
    let pinned = blocks
        .iter()
        .find(|b| b.pinned)
        .or(blocks.last())
        .map(|b| {
            format!(
                "<div class=pinned-post>{}</div>",
                article_block(b, "pinned-block-")
            )
        })
        .unwrap_or_default();
    let stream: String = blocks.iter().map(|b| article_block(b, "block-")).collect();
    format!(
        "{}<body>{}<main><article class=liveblog><h1>{}</h1><div class=standfirst>{}</div>\
         <div class=key-events><h2>Key events</h2><ul>{key_events}</ul></div>{}{pinned}\
         <div class=liveblog-body>{stream}</div></article></main>{}",
        head(f, ""),
        site_header(),
        html_escape(&f.headline),
        f.standfirst,
        subscribe_box(),
        site_footer()
    )
}

/// (c) a legacy page: posts as plain paragraphs, times as text.
fn legacy_page(f: &Fixture) -> String {
    let column: String = f
        .blocks
        .iter()
        .map(|b| {
            let title = b
                .title
                .as_deref()
                .map(|t| format!("<p><strong>{}</strong></p>", html_escape(t)))
                .unwrap_or_default();
            format!("<p>{}</p>{title}{}", b.display, b.html.join(""))
        })
        .collect();
    format!(
        "{}<body>{}<div id=content><h1>{}</h1>{column}</div>{}",
        head(f, ""),
        site_header(),
        html_escape(&f.headline),
        site_footer()
    )
}

// ------------------------------------------------------------ checking

fn run_timeline(paths: &[PathBuf]) -> Vec<Timeline> {
    let inputs = discover(paths).unwrap();
    timeline(
        &inputs,
        &InputOptions::default(),
        &TimelineOptions::default(),
    )
    .unwrap()
    .timelines
}

/// The words of a post: headline and paragraphs.
fn post_words(p: &thresh_engine::timeline::Post) -> Vec<String> {
    words(&format!("{}\n{}", p.headline, p.body.join("\n")))
}

/// Every block opens exactly one post, and that post has the block's time;
/// the posts with a time are the blocks (as many, at the same minutes); no
/// post holds chrome.
///
/// A post without a time is tolerated when all of it is text of one block:
/// the engine's text segmentation still splits a post at a line that reads
/// like a headline (a list item, a quoted question without closing
/// punctuation) even when every post has its own time line (issue 11,
/// item 1, which is worked on in the engine). What this side guarantees,
/// each post's start, time and text, is asserted strictly.
fn assert_posts_are_the_blocks(name: &str, t: &Timeline, blocks: &[Block]) {
    let posts: Vec<Vec<String>> = t.posts.iter().map(post_words).collect();
    for b in blocks {
        let print = fingerprint(b);
        let found: Vec<usize> = (0..posts.len())
            .filter(|&i| contains_run(&posts[i], &print))
            .collect();
        assert_eq!(found.len(), 1, "{name}: block {} in posts {found:?}", b.id);
        assert_eq!(
            t.posts[found[0]].published.as_deref(),
            Some(utc_minute(b.published_ms).as_str()),
            "{name}: time of block {}",
            b.id
        );
    }
    let mut times: Vec<&str> = t
        .posts
        .iter()
        .filter_map(|p| p.published.as_deref())
        .collect();
    let mut expected: Vec<String> = blocks.iter().map(|b| utc_minute(b.published_ms)).collect();
    times.sort_unstable();
    expected.sort_unstable();
    assert_eq!(times, expected, "{name}: times of the posts");
    let block_words: Vec<Vec<String>> = blocks
        .iter()
        .map(|b| {
            words(&format!(
                "{} {}",
                b.title.as_deref().unwrap_or(""),
                b.html.join(" ")
            ))
        })
        .collect();
    let fragments = t.posts.iter().filter(|p| p.published.is_none()).count();
    for (p, words_of_post) in t.posts.iter().zip(&posts) {
        if p.published.is_none() {
            assert!(
                block_words.iter().any(|b| contains_run(b, words_of_post)),
                "{name}: post {} is no part of any block: {p:?}",
                p.id
            );
        }
        for chrome in CHROME {
            assert!(
                !contains_run(words_of_post, &words(chrome)),
                "{name}: chrome {chrome:?} in post {}",
                p.id
            );
        }
    }
    if fragments > 0 {
        eprintln!("{name}: {fragments} fragments of posts split off by the text segmentation");
    }
}

/// The reader's own posts, before the engine: exactly the blocks, each
/// once, with its instant, author, headline and text, and no chrome.
fn assert_reader_posts_are_the_blocks(name: &str, html: &str, blocks: &[Block]) {
    let blog = thresh_io::live_blog::find(html).expect("a live blog");
    assert_eq!(blog.posts.len(), blocks.len(), "{name}: {:#?}", blog.posts);
    for (post, b) in blog.posts.iter().zip(blocks) {
        let Some(When::Zoned(at)) = post.published else {
            panic!("{name}: block {} has no zoned time: {post:?}", b.id);
        };
        assert_eq!(
            at.timestamp_millis(),
            b.published_ms / 1000 * 1000,
            "{name}: {}",
            b.id
        );
        assert_eq!(
            post.author.as_ref(),
            b.contributors.first(),
            "{name}: {}",
            b.id
        );
        assert_eq!(post.headline, b.title, "{name}: {}", b.id);
        let text = words(&post.body.join("\n"));
        assert_eq!(text, words(&b.html.join(" ")), "{name}: {}", b.id);
        for chrome in CHROME {
            assert!(
                !contains_run(&text, &words(chrome)),
                "{name}: {chrome:?} in {}",
                b.id
            );
        }
    }
}

fn write(dir: &Path, name: &str, html: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, html).unwrap();
    path
}

/// Pages built by `page` from each fixture give every block once, with its
/// time, through the reader and through the timeline.
fn assert_every_post_once(page: fn(&Fixture, &[Block]) -> String) {
    let Some(fixtures) = fixtures() else { return };
    for (name, f) in fixtures {
        let dir = tempfile::tempdir().unwrap();
        let html = page(&f, &f.blocks);
        assert_reader_posts_are_the_blocks(&name, &html, &f.blocks);
        let path = write(dir.path(), "page.html", &html);
        let timelines = run_timeline(&[path]);
        assert_eq!(timelines.len(), 1, "{name}");
        assert_posts_are_the_blocks(&name, &timelines[0], &f.blocks);
    }
}

#[test]
fn json_ld_pages_give_every_post_once_with_its_time() {
    assert_every_post_once(json_ld_page);
}

#[test]
fn article_blocks_give_every_post_once_with_its_time_and_no_chrome() {
    assert_every_post_once(blocks_page);
}

#[test]
fn html_files_are_dated_by_the_page() {
    let Some(fixtures) = fixtures() else { return };
    let (_, f) = &fixtures[0];
    let newest = f.blocks.iter().map(|b| b.published_ms).max().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "page.html", &blocks_page(f, &f.blocks));
    let read = ReadOptions {
        live_blog: true,
        ..ReadOptions::default()
    };
    let docs: Vec<_> = DocumentReader::new(discover(&[path]).unwrap(), read)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].date.as_deref(), Some(iso_at(newest, 0).as_str()));
    assert_eq!(docs[0].title.as_deref(), Some(f.headline.as_str()));
    // Title line, the standfirst, the lead above the posts (the key-events
    // box's heading, for its list is links; the appeal, which the timeline
    // removes as furniture; the sign-up box is marked chrome), then the
    // first post's time line.
    let lines: Vec<&str> = docs[0].text.lines().take(5).collect();
    assert_eq!(lines[0], f.headline);
    assert_eq!(lines[1], words_keep_case(&f.standfirst));
    assert_eq!(lines[2..4], ["Key events", CHROME[3]]);
    assert_eq!(lines[4], iso_at(f.blocks[0].published_ms, 0));
}

/// A page without markup of posts goes through main-text extraction; the
/// live-blog read differs only in keeping every post's time line, which
/// extraction drops at the article's edges as page metadata.
#[test]
fn legacy_pages_go_through_main_text_extraction_with_their_time_lines() {
    let Some(fixtures) = fixtures() else { return };
    for (name, f) in fixtures {
        let html = legacy_page(&f);
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "page.html", &html);
        let read = |live_blog| {
            let options = ReadOptions {
                live_blog,
                ..ReadOptions::default()
            };
            let docs: Vec<_> =
                DocumentReader::new(discover(std::slice::from_ref(&path)).unwrap(), options)
                    .collect::<Result<_, _>>()
                    .unwrap();
            assert_eq!(docs.len(), 1, "{name}");
            docs.into_iter().next().unwrap()
        };
        let (live, plain) = (read(true), read(false));
        assert_eq!(
            (&live.date, &live.title),
            (&plain.date, &plain.title),
            "{name}"
        );
        assert_eq!(
            plain.text,
            thresh_io::html::extract(&html, None).text,
            "{name}"
        );

        // Extraction writes the no-break space in "17.25 GMT" as a space.
        let time_lines: Vec<String> = f
            .blocks
            .iter()
            .map(|b| b.display.replace('\u{a0}', " "))
            .collect();
        let is_time_line = |line: &str| time_lines.iter().any(|t| t == line);
        let live_times: Vec<&str> = live.text.lines().filter(|l| is_time_line(l)).collect();
        assert_eq!(
            live_times, time_lines,
            "{name}: every post's time line, in order"
        );
        let without_times = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| !is_time_line(l))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(
            without_times(&live.text),
            without_times(&plain.text),
            "{name}: the rest is main-text extraction's"
        );
        assert!(
            plain.text.lines().count() < live.text.lines().count(),
            "{name}: extraction drops the time lines at the edges"
        );
    }
}

/// A WARC record (as in the CLI's extract tests).
fn warc_response(n: u32, url: &str, date: &str, body: &str) -> Vec<u8> {
    let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n".to_vec();
    block.extend_from_slice(body.as_bytes());
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {url}\r\n\
         WARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:{n:08}>\r\n\
         Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(&block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

#[test]
fn a_warc_of_growing_captures_gives_the_union_of_the_posts() {
    let Some(fixtures) = fixtures() else { return };
    for (name, f) in fixtures {
        let n = f.blocks.len();
        // Blocks are newest first: each capture adds posts on top.
        let cuts = [n * 2 / 3, n / 3, 0];
        let mut warc = Vec::new();
        for (k, cut) in cuts.iter().enumerate() {
            let blocks = &f.blocks[*cut..];
            let newest = blocks.iter().map(|b| b.published_ms).max().unwrap();
            let date = format!("{}Z", &iso_at(newest + 60_000, 0)[..19]);
            // The middle capture is the JSON-LD shape, the others blocks.
            let page = if k == 1 {
                json_ld_page(&f, blocks)
            } else {
                blocks_page(&f, blocks)
            };
            warc.extend(warc_response(
                k as u32 + 1,
                "https://www.theguardian.com/live/page",
                &date,
                &page,
            ));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("captures.warc");
        std::fs::write(&path, &warc).unwrap();
        let timelines = run_timeline(&[path]);
        assert_eq!(timelines.len(), 1, "{name}");
        assert_eq!(timelines[0].snapshots.len(), 3, "{name}");
        assert_posts_are_the_blocks(&name, &timelines[0], &f.blocks);
    }
}

#[test]
fn fixtures_parse() {
    let Some(fixtures) = fixtures() else { return };
    for (name, f) in fixtures {
        assert!(f.blocks.len() >= 10, "{name}: {} blocks", f.blocks.len());
        assert!(!f.headline.is_empty(), "{name}");
        for b in &f.blocks {
            assert!(b.published_ms > 1_500_000_000_000, "{name}: {}", b.id);
            assert!(!fingerprint(b).is_empty(), "{name}: {}", b.id);
        }
    }
}
