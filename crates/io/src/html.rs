//! HTML pages to documents: charset decoding and main-text extraction.
//!
//! Extraction is rs-trafilatura's (a Rust port of trafilatura), chosen on
//! the article-extraction benchmark (`bench/sections/30-extraction.md`),
//! cross-checked with dom_smoothie's (a port of Readability.js, a different
//! algorithm): when Readability's article is almost all inside
//! rs-trafilatura's and clearly shorter, the two agree on that part and only
//! rs-trafilatura vouches for the rest, which on the benchmark was mostly
//! boilerplate (link lists, teasers, category clouds); the shorter text is
//! kept (see [`consensus`]). Both read the page with script bodies, style
//! sheets, drawings and comments cut (`unseen`), and both texts
//! are judged against the page's own visible text (`page_text`):
//! spaces the page does not have come out, a menu loses to prose, and
//! repeated lines, author boxes, hover cards and trailing link lists go.
//! Then lines go by what they say, as the timeline judges them: calls to
//! the reader under the article ("Follow us on Twitter") and byline and
//! date lines at its edges.
//!
//! rs-trafilatura's own decoding assumes UTF-8 when a page declares no
//! charset, so pages are decoded here first:
//! 1. a byte-order mark wins;
//! 2. else the charset of the HTTP `Content-Type`, else of a `<meta>` tag
//!    in the first 4 KiB; but a page that is valid UTF-8 with non-ASCII
//!    bytes is read as UTF-8 whatever a legacy single-byte label says (the
//!    common "declared Latin-1, written in UTF-8" mistake);
//! 3. else valid UTF-8 is UTF-8, and anything else is guessed by chardetng
//!    (with the URL's top-level domain as a hint).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Read;

use encoding_rs::{Encoding, UTF_8};
use thresh_engine::{Document, Origin};

use crate::error::{ReadError, ReadErrorKind};
use crate::input::Input;
use crate::page_text::{is_invisible, PageText};
use crate::unseen::without_unseen;

/// Reads one `.html` file as one document (id: the file's name; date and
/// URL: what the page states). A page without article text is an
/// [`ReadErrorKind::EmptyDocument`] error, as an empty text file is.
/// With `live_blog`, see [`extract_page`].
pub(crate) fn read_document(
    input: &Input,
    max_bytes: u64,
    live_blog: bool,
) -> Result<Document, ReadError> {
    let error = |kind| ReadError::new(input.source(), 0, kind);
    let unreadable = |e: std::io::Error| error(ReadErrorKind::Unreadable(e.to_string()));
    let mut bytes = Vec::new();
    input
        .open()
        .map_err(unreadable)?
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > max_bytes {
        return Err(error(ReadErrorKind::TooLarge { limit: max_bytes }));
    }
    // Binary junk named `.html` is not a page, as in a WARC.
    if crate::warc::is_binary(&bytes) {
        return Err(error(ReadErrorKind::Binary));
    }
    let html = decode(&bytes, None, None);
    check_page(&html).map_err(error)?;
    let extracted = extract_page(&html, None, live_blog);
    if extracted.text.is_empty() {
        return Err(error(ReadErrorKind::EmptyDocument));
    }
    Ok(extracted.into_document(input.name().to_string(), None, None, input.source(), 0))
}

/// Deepest nesting of elements a page may have. Real pages stay far below
/// (a few dozen levels); extraction's work grows with the square of the
/// depth (10,000 nested `<div>`s took 42 s) and its recursion can overflow
/// the stack, so deeper pages are refused before they are parsed.
pub const MAX_DEPTH: usize = 512;

/// Largest page extracted. Real news pages stay far below (the largest of
/// the 441 aeb and Readability test pages is 1.5 MB); extraction's time
/// grows a little faster than the page (16 MB of article markup takes
/// 7.4 s: `bench/page_size.py`), so larger pages are refused, never cut.
pub const MAX_PAGE_BYTES: usize = 16 << 20;

/// The bounds on a page's work, checked before it is parsed: `Err(TooLarge)`
/// above [`MAX_PAGE_BYTES`], `Err(TooDeep)` when its elements nest deeper
/// than [`MAX_DEPTH`].
pub(crate) fn check_page(html: &str) -> Result<(), ReadErrorKind> {
    if html.len() > MAX_PAGE_BYTES {
        return Err(ReadErrorKind::TooLarge {
            limit: MAX_PAGE_BYTES as u64,
        });
    }
    if nesting_depth_exceeds(html.as_bytes(), MAX_DEPTH) {
        Err(ReadErrorKind::TooDeep { limit: MAX_DEPTH })
    } else {
        Ok(())
    }
}

/// Elements that never hold others.
const VOID: [&[u8]; 14] = [
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param",
    b"source", b"track", b"wbr",
];
/// Elements a parser closes by itself when the next of their kind (or
/// their parent's end) comes, and that pages often leave open: counting
/// them would make a list of a thousand `<li>`s a thousand deep.
const IMPLIED_END: [&[u8]; 18] = [
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"tr",
    b"td",
    b"th",
    b"option",
    b"optgroup",
    b"thead",
    b"tbody",
    b"tfoot",
    b"colgroup",
    b"caption",
    b"rb",
    b"rt",
    b"rtc",
    b"rp",
];
/// Elements whose content is text, not markup.
const RAW_TEXT: [&[u8]; 4] = [b"script", b"style", b"textarea", b"title"];

/// Whether the open elements of `html` ever stand more than `limit` deep,
/// by one linear pass over its tags: each start tag opens a level, each end
/// tag closes one; void elements, elements with implied ends, comments and
/// the content of scripts and styles do not count.
fn nesting_depth_exceeds(html: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &html[at..]) {
        let start = at + offset + 1;
        let rest = &html[start..];
        if rest.starts_with(b"!--") {
            at = find(html, start + 3, b"-->").map_or(html.len(), |end| end + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name_len = html[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            at = start;
            continue;
        }
        let name = &html[name_start..name_start + name_len];
        let named = |list: &[&[u8]]| list.iter().any(|n| n.eq_ignore_ascii_case(name));
        let tag_end =
            memchr::memchr(b'>', &html[name_start..]).map_or(html.len(), |e| name_start + e);
        let self_closing = tag_end > 0 && html.get(tag_end - 1) == Some(&b'/');
        at = (tag_end + 1).min(html.len());
        let counted = !named(&VOID) && !named(&IMPLIED_END);
        if closing {
            if counted {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if named(&RAW_TEXT) {
            at = find_end_tag(html, at, name).unwrap_or(html.len());
            continue;
        }
        if counted && !self_closing {
            depth += 1;
            if depth > limit {
                return true;
            }
        }
    }
    false
}

/// Where `needle` next occurs in `haystack` from `from`.
fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack.get(from..)?, needle).map(|i| from + i)
}

/// Where the end tag of element `name` (`</script`, in any case) next
/// stands in `html` from `from`.
fn find_end_tag(html: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut at = from;
    while let Some(i) = find(html, at, b"</") {
        let candidate = html.get(i + 2..i + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name) {
            return Some(i);
        }
        at = i + 2;
    }
    None
}

/// What extraction found on a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    pub title: Option<String>,
    pub byline: Option<String>,
    /// The publication date the page states (`YYYY-MM-DD`; for a live
    /// blog, its last modification as an ISO timestamp), if any.
    pub published: Option<String>,
    /// The canonical URL the page states, if any.
    pub url: Option<String>,
    /// The main text, one paragraph per line, no blank lines.
    pub text: String,
}

impl Extracted {
    /// The document: `date` and `url` from the caller (a WARC record's
    /// header) win over what the page says. The document's `raw` is a JSON
    /// object with `id`, `url`, `date`, `title`, `byline` and `published`
    /// (those present), so that JSONL writers pass the byline through.
    pub(crate) fn into_document(
        self,
        id: String,
        url: Option<String>,
        date: Option<String>,
        source: &str,
        record: u64,
    ) -> Document {
        let url = url.or(self.url);
        let date = date.or_else(|| self.published.clone());
        let mut raw = serde_json::Map::new();
        raw.insert("id".into(), id.clone().into());
        let mut put = |key: &str, value: &Option<String>| {
            if let Some(v) = value {
                raw.insert(key.into(), v.clone().into());
            }
        };
        put("url", &url);
        put("date", &date);
        put("title", &self.title);
        put("byline", &self.byline);
        put("published", &self.published);
        // The text too, last: a kept record written back out carries it.
        raw.insert("text".into(), self.text.clone().into());
        Document {
            id,
            text: self.text,
            date,
            title: self.title,
            url,
            raw: Some(serde_json::Value::Object(raw).to_string()),
            origin: Origin {
                source: source.to_string(),
                record,
            },
        }
    }
}

/// Decodes an HTML page's bytes to text (see the module docs for the
/// order of evidence). Never fails: undecodable bytes become U+FFFD.
pub fn decode(bytes: &[u8], content_type: Option<&str>, url: Option<&str>) -> String {
    let encoding = choose_encoding(bytes, content_type, url);
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

fn choose_encoding(
    bytes: &[u8],
    content_type: Option<&str>,
    url: Option<&str>,
) -> &'static Encoding {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        return encoding;
    }
    let declared = content_type
        .and_then(charset_param)
        .or_else(|| meta_charset(&bytes[..bytes.len().min(4096)]))
        .and_then(|label| Encoding::for_label(label.as_bytes()));
    let utf8 = std::str::from_utf8(bytes).is_ok();
    match declared {
        // UTF-16 labels in a page without a BOM are always wrong (the
        // page could not have been parsed to find the meta tag).
        Some(enc) if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE => UTF_8,
        Some(enc) if utf8 && enc.is_single_byte() && !bytes.is_ascii() => UTF_8,
        Some(enc) => enc,
        None if utf8 => UTF_8,
        None => {
            // Not UTF-8 (checked above), so UTF-8 is no candidate; ISO-2022-JP
            // is (the page's scripts are never run).
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
            detector.feed(bytes, true);
            let tld = url.and_then(top_level_domain);
            detector.guess(
                tld.as_deref().map(str::as_bytes),
                chardetng::Utf8Detection::Deny,
            )
        }
    }
}

/// `charset=…` of a `Content-Type` value.
fn charset_param(content_type: &str) -> Option<String> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")? + "charset=".len();
    let value = lower[at..]
        .split(';')
        .next()?
        .trim()
        .trim_matches(['"', '\''])
        .to_string();
    (!value.is_empty()).then_some(value)
}

/// The charset a `<meta charset>` or `<meta http-equiv content>` declares.
fn meta_charset(head: &[u8]) -> Option<String> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = memchr::memchr(b'>', &lower[start..]).map_or(lower.len(), |e| start + e);
        let tag = String::from_utf8_lossy(&lower[start..end]);
        if let Some(at) = tag.find("charset") {
            let rest = tag[at + "charset".len()..].trim_start();
            if let Some(rest) = rest.strip_prefix('=') {
                let value: String = rest
                    .trim_start()
                    .trim_start_matches(['"', '\''])
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
                    .collect();
                if !value.is_empty() {
                    return Some(value);
                }
            }
        }
        from = end;
    }
    None
}

fn top_level_domain(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = after_scheme.split(['/', '?', '#', ':']).next()?;
    let tld = host.rsplit('.').next()?;
    (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| tld.to_ascii_lowercase())
}

/// `moment` (an RFC 3339 time, such as a capture's WARC-Date) as read on
/// the clock of `page_date` (an RFC 3339 time with the page's offset):
/// `2021-12-13T20:53:00Z` on a `+01:00` page is `2021-12-13T21:53:00+01:00`.
/// `None` when either has no offset to read.
pub fn on_clock_of(moment: &str, page_date: &str) -> Option<String> {
    let moment = chrono::DateTime::parse_from_rfc3339(moment.trim()).ok()?;
    let offset = *chrono::DateTime::parse_from_rfc3339(page_date.trim())
        .ok()?
        .offset();
    Some(moment.with_timezone(&offset).to_rfc3339())
}

/// With `live_blog` (the timeline's reading), a page whose markup holds a
/// live blog's posts (see [`crate::live_blog`]) becomes that live blog
/// rendered as a text snapshot, dated by the page when it states a date;
/// every other page, and every page without `live_blog`, is [`extract`]ed.
pub fn extract_page(html: &str, url: Option<&str>, live_blog: bool) -> Extracted {
    if live_blog {
        if let Some(blog) = crate::live_blog::find(html) {
            return Extracted {
                title: blog.title.clone(),
                byline: None,
                published: blog.snapshot_date(),
                url: blog.url.clone(),
                text: blog.render(),
            };
        }
        // No markup of posts: the text path, with the byline and time
        // lines extraction drops, dated by the page's last change when it
        // states one (see `live_blog::modified`).
        let mut extracted = extract(html, url);
        extracted.text = crate::live_blog::with_stamps(html, &extracted.text);
        if let Some(modified) = crate::live_blog::modified(html) {
            extracted.published = Some(modified.to_local_iso());
        }
        return extracted;
    }
    extract(html, url)
}

/// The article in `html`: title, byline, date and main text. A page with
/// no article gives an empty `text`.
pub fn extract(html: &str, url: Option<&str>) -> Extracted {
    let html = &*without_unseen(html);
    // One parse serves the page's own text and Readability, which changes
    // the document as it reads it: the page's text is taken first. Taking
    // it cuts hover cards from the document; rs-trafilatura, which parses
    // markup of its own, then reads the page without them too.
    let page = dom_query::Document::from(html);
    let page_text = PageText::take(&page);
    let shown: Cow<str> = if page_text.cut_hover_cards {
        Cow::Owned(page.html().to_string())
    } else {
        Cow::Borrowed(html)
    };
    let options = rs_trafilatura::Options {
        url: url.map(str::to_string),
        ..rs_trafilatura::Options::default()
    };
    let Ok(result) = rs_trafilatura::extract_with_options(&shown, &options) else {
        return Extracted::default();
    };
    let meta = result.metadata;
    // One line, without invisible characters.
    let clean = |s: Option<String>| {
        let line = paragraphs(&s?).replace('\n', " ");
        (!line.is_empty()).then_some(line)
    };
    let as_shown = |text: &str| page_text.mend(&paragraphs(text));
    let primary = as_shown(&result.content_text);
    let second = readability_text(page, url).as_deref().map(as_shown);
    let chosen = consensus(primary, second, &page_text);
    // Content rules first, so that a list of links the text ends with
    // is seen to end it once the reader calls after it are gone.
    let text = page_text.without_boxes(&chosen);
    let text = without_stamps_at_edges(&without_reader_calls_at_end(&drop_cross_references(&text)));
    let text = without_repeats(&page_text.without_link_lists(&text));
    Extracted {
        title: clean(meta.title),
        byline: clean(meta.author),
        published: meta.date.map(|d| d.format("%Y-%m-%d").to_string()),
        url: clean(meta.url),
        text,
    }
}

/// Each line that is one shorter string written several times back to
/// back, as that string once. Extractors that gather text from nested
/// elements give a page's only sentence once per level of nesting, and a
/// page with only a title its title three times: text no page shows.
fn without_repeats(text: &str) -> String {
    text.lines()
        .map(repeated_unit)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Units shorter than this stay repeated: "hahaha" may be meant.
const MIN_REPEATED_UNIT: usize = 8;

/// The shortest string `line` is several copies of, or `line` itself. The
/// prefix function gives the shortest period in one pass.
fn repeated_unit(line: &str) -> &str {
    let bytes = line.as_bytes();
    let n = bytes.len();
    // A line of copies of a unit of p bytes shows its first bytes again at
    // p: most lines never do, and are passed with one search, no table.
    let opening = &bytes[..MIN_REPEATED_UNIT.min(n)];
    if n < 2 * MIN_REPEATED_UNIT
        || memchr::memmem::find(&bytes[MIN_REPEATED_UNIT..], opening).is_none()
    {
        return line;
    }
    let mut prefix = vec![0usize; n];
    for i in 1..n {
        let mut k = prefix[i - 1];
        while k > 0 && bytes[i] != bytes[k] {
            k = prefix[k - 1];
        }
        if bytes[i] == bytes[k] {
            k += 1;
        }
        prefix[i] = k;
    }
    let period = n - prefix[n - 1];
    let repeats = period < n && n.is_multiple_of(period);
    if repeats && period >= MIN_REPEATED_UNIT && line.is_char_boundary(period) {
        &line[..period]
    } else {
        line
    }
}

/// How many of an article's first or last lines the edge rules below look
/// at.
const EDGE_LINES: usize = 3;
/// Longer lines are never taken for a call: a paragraph of news may end
/// with one ("… Read our review here.").
const MAX_READER_CALL_WORDS: usize = 25;

/// Which end of a text an edge rule looks at.
#[derive(Clone, Copy)]
enum Edges {
    End,
    Both,
}

/// `text` without the lines among its first or last [`EDGE_LINES`] (as
/// `edges` says) for which `drop` holds.
fn without_at_edges(text: &str, edges: Edges, drop: impl Fn(&str) -> bool) -> String {
    let lines: Vec<&str> = text.lines().collect();
    // The lines no rule looks at.
    let inner_start = match edges {
        Edges::End => 0,
        Edges::Both => EDGE_LINES,
    };
    let inner = inner_start..lines.len().saturating_sub(EDGE_LINES);
    lines
        .iter()
        .enumerate()
        .filter(|&(i, line)| inner.contains(&i) || !drop(line))
        .map(|(_, line)| *line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` without the calls to the reader among its last lines ("Follow us
/// on Twitter", "Get the latest updates in your inbox. Subscribe to our
/// newsletters", "Click here to get the app"), as the timeline judges
/// furniture by its content ([`thresh_engine::timeline::is_furniture_line`]).
/// Sites put them right under the article, inside its container; inside
/// the article a call may be the story's own ("download the report"), so
/// only the end is checked.
fn without_reader_calls_at_end(text: &str) -> String {
    without_at_edges(text, Edges::End, |line| {
        words(line).len() <= MAX_READER_CALL_WORDS
            && thresh_engine::timeline::is_furniture_line(line)
    })
}

/// `text` without the byline and date lines among its first and last
/// lines ("By Jane Doe and John Roe", "19 NOV 2019", "Updated at 1:23
/// p.m.", as the timeline reads them: [`thresh_engine::timeline::is_stamp_line`]):
/// they are the page's metadata (see [`Extracted`]'s fields), not the
/// article's text. The timeline's text path puts them back where the page
/// has them (`live_blog::with_stamps`): there they mark where posts begin.
fn without_stamps_at_edges(text: &str) -> String {
    without_at_edges(text, Edges::Both, thresh_engine::timeline::is_stamp_line)
}

/// Removes the lines that point away from the article rather than being
/// part of it (see [`is_cross_reference`]); both extractors keep them when
/// a site puts them inside the article's container.
fn drop_cross_references(text: &str) -> String {
    text.lines()
        .filter(|line| !is_cross_reference(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lines longer than this many words are never taken for a cross-reference.
const MAX_CROSS_REFERENCE_WORDS: usize = 20;

/// Whole lines that are only a label of page furniture: an advert slot, the
/// heading of a related-links box, a print or share button.
const FURNITURE_LABELS: &[&str] = &[
    "advertisement",
    "advert",
    "sponsored",
    "you may also like",
    "you might also like",
    "related articles",
    "related stories",
    "related posts",
    "related tags",
    "read more",
    "share this",
    "share this article",
    "share this story",
    "print article",
];

/// Openings of a link to another article: "Read more: <headline>",
/// "Related: <headline>", "[Related post: <headline>]".
const TEASER_OPENINGS: &[&str] = &[
    "read more",
    "read also",
    "also read",
    "see also",
    "see more",
];

/// A short line that is a furniture label ("Advertisement", "You may also
/// like…") or a teaser for another article ("Read more: …", "Related: …",
/// "Related post: …"). English only: other languages' equivalents pass.
fn is_cross_reference(line: &str) -> bool {
    if words(line).len() > MAX_CROSS_REFERENCE_WORDS {
        return false;
    }
    let lower = line
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let label = lower.trim_end_matches(|c: char| !c.is_alphanumeric());
    if FURNITURE_LABELS.contains(&label) {
        return true;
    }
    let after_opening = TEASER_OPENINGS
        .iter()
        .find_map(|opening| lower.strip_prefix(opening))
        .or_else(|| {
            // "related", optionally one more word: "Related post:".
            let rest = lower.strip_prefix("related")?;
            let one_word = rest
                .trim_start()
                .trim_start_matches(|c: char| c.is_alphabetic());
            Some(if one_word.trim_start().starts_with(':') {
                one_word
            } else {
                rest
            })
        });
    after_opening.is_some_and(|rest| rest.trim_start().starts_with(':'))
}

/// The article by dom_smoothie (Readability.js's algorithm), as formatted
/// text, or `None` when it finds none.
fn readability_text(page: dom_query::Document, url: Option<&str>) -> Option<String> {
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        ..Default::default()
    };
    let mut reader = dom_smoothie::Readability::with_document(page, url, Some(config)).ok()?;
    let article = reader.parse().ok()?;
    Some(article.text_content.to_string())
}

/// Share of the second opinion's shingles that must also be in the primary
/// text for the two to count as agreeing on it.
const CONTAINED: f64 = 0.9;
/// The second opinion must have at least this many shingles (about a short
/// paragraph)…
const MIN_SHINGLES: usize = 20;
/// …and at least this share of the primary text's, so that one paragraph
/// quoted from a long article never replaces the article.
const MIN_SHARE: f64 = 0.1;

/// A text with at least this share of its characters in lines that are
/// whole links is more menu, tag list or teaser column than article (on
/// aeb's 181 pages the chosen text never reaches it where the second
/// opinion has almost no link lines)…
const LINK_LIST: f64 = 0.2;
/// …when the other text has at most this share: prose with a few links.
const ARTICLE_LINKS: f64 = 0.05;

/// A second opinion of prose this many times longer than the primary text
/// has found an article the primary text missed.
const MUCH_LONGER: f64 = 2.0;

/// Chooses between rs-trafilatura's text (`primary`) and Readability's
/// (`second`). When `second` is substantial, shorter, and nearly all of it
/// (by 4-word shingles) is also in `primary`, the extra part of `primary`
/// is text only one algorithm thought was article; such text is far more
/// often navigation, teasers and lists than article, so `second` is kept.
/// A substantial `second` also wins when `primary` is mostly whole links
/// (see [`PageText::link_share`]) and `second` is not: rs-trafilatura took
/// a menu, a footer's links or a list of teasers for the article, and
/// Readability found prose. A `second` at least twice as long and with
/// almost no link lines wins too: the primary text is a box beside the
/// article (a login form, a blog's frame of labels and archives, a teaser)
/// or a part of it — a short result from a page with a long article is a
/// sign to look again. In every other case (disagreement, `second` a
/// little longer, small or missing) the primary text stands, except that a
/// primary without words takes a substantial `second` (Readability found an
/// article rs-trafilatura missed).
fn consensus(primary: String, second: Option<String>, page: &PageText) -> String {
    let Some(second) = second else {
        return primary;
    };
    let (first_words, second_words) = (words(&primary), words(&second));
    let first = shingles(&first_words);
    let other = shingles(&second_words);
    let (n_first, n_other) = (total(&first), total(&other));
    let substantial = n_other >= MIN_SHINGLES && n_other as f64 >= MIN_SHARE * n_first as f64;
    if substantial && n_first == 0 {
        return second;
    }
    if substantial
        && page.link_share(&primary) >= LINK_LIST
        && page.link_share(&second) <= ARTICLE_LINKS
    {
        return second;
    }
    let contained = shared(&other, &first) as f64 >= CONTAINED * n_other as f64;
    if substantial && n_other < n_first && contained {
        return second;
    }
    // A short result where another reading finds a much longer article of
    // prose (at most half of it can be the primary text's shingles):
    // rs-trafilatura took a box beside the article, or a part of it.
    if n_other as f64 >= MUCH_LONGER * n_first as f64
        && n_other >= MIN_SHINGLES
        && page.link_share(&second) <= ARTICLE_LINKS
    {
        return second;
    }
    primary
}

/// Word tokens: maximal runs of letters, digits and underscores.
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

type Shingles<'a> = HashMap<&'a [&'a str], usize>;

/// The multiset of 4-word shingles (a text of fewer words is one shingle).
fn shingles<'a>(words: &'a [&'a str]) -> Shingles<'a> {
    let mut out = HashMap::new();
    if words.len() < 4 {
        if !words.is_empty() {
            out.insert(words, 1);
        }
        return out;
    }
    for window in words.windows(4) {
        *out.entry(window).or_insert(0) += 1;
    }
    out
}

fn total(shingles: &Shingles) -> usize {
    shingles.values().sum()
}

/// Size of the multiset intersection.
fn shared(a: &Shingles, b: &Shingles) -> usize {
    a.iter()
        .map(|(k, n)| (*n).min(b.get(k).copied().unwrap_or(0)))
        .sum()
}

/// One paragraph per line: lines trimmed, runs of white space inside a
/// line collapsed, blank lines and invisible characters (soft hyphens,
/// zero-width spaces: [`is_invisible`]) dropped.
fn paragraphs(text: &str) -> String {
    let visible: String;
    let text = if text.contains(is_invisible) {
        visible = text.chars().filter(|&c| !is_invisible(c)).collect();
        &visible
    } else {
        text
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        for (i, word) in words.enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_nesting_is_refused_before_parsing() {
        let text = "<p>The harbour closed on Monday after the storm.</p>";
        let unclosed = format!(
            "<html><body>{}{text}</body></html>",
            "<b><i><span>".repeat(10_000)
        );
        assert_eq!(
            check_page(&unclosed),
            Err(ReadErrorKind::TooDeep { limit: MAX_DEPTH })
        );
        let nested = format!(
            "<body>{}{text}{}</body>",
            "<div>".repeat(600),
            "</div>".repeat(600)
        );
        assert!(check_page(&nested).is_err());
        let deep_but_fine = format!(
            "<body>{}{text}{}</body>",
            "<div>".repeat(200),
            "</div>".repeat(200)
        );
        assert!(check_page(&deep_but_fine).is_ok());
    }

    #[test]
    fn long_pages_of_real_shapes_are_not_deep() {
        // Paragraphs, list items and cells left open, void elements, and
        // markup inside scripts and comments do not nest.
        let page = format!(
            "<html><head><script>var s = '{}';</script><style>div > p {{}}</style></head><body>\
             <!-- {} --><ul>{}</ul><table>{}</table>{}{}</body></html>",
            "<div>".repeat(2_000),
            "<div>".repeat(2_000),
            "<li>item".repeat(2_000),
            "<tr><td>a<td>b".repeat(2_000),
            "<p>text<br><img src=x>".repeat(2_000),
            "<div><span>a</span></div><hr/>".repeat(2_000),
        );
        assert!(check_page(&page).is_ok());
    }

    #[test]
    fn charset_evidence_in_order() {
        let latin1 = b"<html><head><meta charset=\"iso-8859-1\"></head><body>Caf\xE9</body></html>";
        assert!(decode(latin1, None, None).contains("Café"));
        // The HTTP header beats the meta tag.
        assert!(decode(
            b"<p>\xE9t\xE9</p>",
            Some("text/html; charset=windows-1252"),
            None
        )
        .contains("été"));
        // UTF-8 bytes declared Latin-1 are read as UTF-8.
        let mislabelled = "<meta charset=latin1><p>Café</p>".as_bytes();
        assert!(decode(mislabelled, None, None).contains("Café"));
        // No declaration, not UTF-8: chardetng guesses.
        let cyrillic = b"<p>\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0! \xdd\xf2\xee \xed\xee\xe2\xee\xf1\xf2\xe8 \xe4\xed\xff.</p>";
        assert!(decode(cyrillic, None, Some("https://example.ru/a")).contains("Привет"));
    }

    #[test]
    fn meta_charset_forms() {
        assert_eq!(
            meta_charset(b"<META CHARSET='Shift_JIS'>").as_deref(),
            Some("shift_jis")
        );
        assert_eq!(
            meta_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=euc-kr\">"
            )
            .as_deref(),
            Some("euc-kr")
        );
        assert_eq!(meta_charset(b"<meta name=x>"), None);
        assert_eq!(
            top_level_domain("http://www.bbc.co.uk:80/x").as_deref(),
            Some("uk")
        );
    }

    #[test]
    fn a_line_written_several_times_back_to_back_is_kept_once() {
        assert_eq!(
            repeated_unit("Only a title hereOnly a title here"),
            "Only a title here"
        );
        let sentence = "One sentence deep inside.";
        assert_eq!(repeated_unit(&sentence.repeat(300)), sentence);
        for kept in [
            "hahahahaha",
            "A sentence that happens to end as it began: A sentence",
            "Ça va, ça va. Ça va, ça va!",
            "",
        ] {
            assert_eq!(repeated_unit(kept), kept);
        }
    }

    #[test]
    fn a_page_with_only_a_title_or_one_deep_sentence_has_no_repeated_text() {
        let title = extract(
            "<html><head><title>Only a title here</title></head><body></body></html>",
            None,
        );
        assert!(
            title.text.matches("Only a title here").count() <= 1,
            "{}",
            title.text
        );
        let nested = format!(
            "<html><body>{}One sentence deep inside the page.{}</body></html>",
            "<b><i><span>".repeat(150),
            "</span></i></b>".repeat(150)
        );
        assert_eq!(
            extract(&nested, None).text,
            "One sentence deep inside the page."
        );
    }

    #[test]
    fn paragraphs_one_per_line() {
        assert_eq!(paragraphs("  a  b \n\n\n c\t\n"), "a b\nc");
    }

    /// Inline links, soft hyphens and ruby readings come out as the page
    /// shows them: no spaces at the links' edges, no hyphenation hints, no
    /// readings between the words.
    #[test]
    fn extracted_text_runs_on_as_the_page_does() {
        let page = "<html><head><title>Court rules on the clause</title></head><body>\
            <nav><a href=/>Home</a> <a href=/news>News</a></nav><article>\
            <h1>Court rules on the clause</h1>\
            <p>The court applied § 315 BGB (<a href=/t>Twitter</a>) to the contract, as the \
            judges wrote in their long ruling on the case this week.</p>\
            <p>Makers of <a href=/ki>KI</a>-Systemen must now disclose their training data, \
            the ruling says, and the clause was void from the start.</p>\
            <p>Die Ita&shy;li&shy;ener waren nicht be&shy;geis&shy;tert, said one lawyer \
            who was in court, and another said the case would go on next year.</p>\
            <p>日本の<ruby>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp></ruby>で会議が開かれました。\
            参加者は多く、議論は長く続きました。会議の結果は来週発表されます。</p>\
            </article><footer>Imprint</footer></body></html>";
        let text = extract(page, None).text;
        for shown in [
            "(Twitter) to",
            "KI-Systemen",
            "Die Italiener waren nicht begeistert",
            "日本の東京で会議",
        ] {
            assert!(text.contains(shown), "{shown:?} missing from {text:?}");
        }
        assert!(!text.contains("とうきょう"), "{text:?}");
    }

    /// `n` distinct sentences of eight words each, one per line.
    fn sentences(tag: &str, n: usize) -> String {
        (0..n)
            .map(|i| format!("{tag} sentence {i} has some words in it today."))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn no_page() -> PageText {
        PageText::take(&dom_query::Document::from(""))
    }

    #[test]
    fn consensus_keeps_the_shorter_text_both_agree_on() {
        let blank = no_page();
        let article = sentences("article", 10);
        let with_links = format!("{article}\n{}", sentences("teaser", 10));
        assert_eq!(
            consensus(with_links, Some(article.clone()), &blank),
            article
        );
    }

    #[test]
    fn consensus_keeps_the_primary_text_otherwise() {
        let blank = no_page();
        let article = sentences("article", 10);
        // Longer second opinion: the primary text stands.
        let longer = format!("{article}\n{}", sentences("more", 5));
        assert_eq!(consensus(article.clone(), Some(longer), &blank), article);
        // Disagreement: half of the second opinion is elsewhere.
        let half = format!("{}\n{}", sentences("article", 3), sentences("other", 3));
        assert_eq!(consensus(article.clone(), Some(half), &blank), article);
        // Too small, absolutely or as a share of the primary text.
        let tiny = "article sentence 1 has some words".to_string();
        assert_eq!(consensus(article.clone(), Some(tiny), &blank), article);
        let long = sentences("article", 100);
        assert_eq!(
            consensus(long.clone(), Some(sentences("article", 5)), &blank),
            long
        );
        // Missing or empty second opinion; empty primary takes the second.
        assert_eq!(consensus(article.clone(), None, &blank), article);
        assert_eq!(
            consensus(article.clone(), Some(String::new()), &blank),
            article
        );
        assert_eq!(
            consensus(String::new(), Some(article.clone()), &blank),
            article
        );
        assert_eq!(consensus(String::new(), Some("Home".into()), &blank), "");
    }

    #[test]
    fn consensus_looks_again_when_the_result_is_short_and_the_page_is_not() {
        let login = sentences("login", 4);
        let article = sentences("article", 12);
        assert_eq!(
            consensus(login.clone(), Some(article.clone()), &no_page()),
            article
        );
        // Not twice as long: the primary stands.
        let some_more = sentences("article", 6);
        assert_eq!(consensus(login.clone(), Some(some_more), &no_page()), login);
        // Twice as long but a list of the page's links: it stands too.
        let teasers: Vec<String> = (0..12)
            .map(|i| format!("Teaser headline number {i} about another story"))
            .collect();
        let links: String = teasers
            .iter()
            .map(|t| format!("<a href=/x>{t}</a><br>"))
            .collect();
        let page = PageText::take(&dom_query::Document::from(links.as_str()));
        assert_eq!(
            consensus(login.clone(), Some(teasers.join("\n")), &page),
            login
        );
    }

    #[test]
    fn consensus_takes_prose_over_a_list_of_links() {
        let teasers: Vec<String> = (0..12)
            .map(|i| format!("Teaser headline number {i} about another story"))
            .collect();
        let article = sentences("article", 10);
        let links: String = teasers
            .iter()
            .map(|t| format!("<li><a href=/x>{t}</a></li>"))
            .collect();
        let html = format!(
            "<ul>{links}</ul><article><p>{}</p></article>",
            article.replace('\n', "</p><p>")
        );
        let page = PageText::take(&dom_query::Document::from(html.as_str()));
        let menu = teasers.join("\n");
        assert_eq!(
            consensus(menu.clone(), Some(article.clone()), &page),
            article
        );
        // Without the page's links the same texts are only a disagreement.
        assert_eq!(
            consensus(menu.clone(), Some(article.clone()), &no_page()),
            menu
        );
        // A second opinion that is links too does not replace the first.
        let other_links = teasers[..6].join("\n");
        let mixed = format!("{other_links}\n{}", sentences("article", 1));
        assert_eq!(consensus(menu.clone(), Some(mixed), &page), menu);
    }

    #[test]
    fn cross_references_are_dropped() {
        for line in [
            "Advertisement",
            "ADVERT",
            "You may also like...",
            "Related Tags:",
            "Print Article",
            "Read more: Tencent profit falls as economic woes weigh",
            "READ MORE: Plague outbreak confirmed in Beijing",
            "[Related: Keynote on AI and integration ]",
            "Related post: Pickled Brussels Sprouts Recipe",
            "See also: the 2019 budget",
            "SEE MORE: Hong Kong protests: students under siege",
        ] {
            assert!(is_cross_reference(line), "{line}");
        }
        for line in [
            "Read more about the harbour wall in the council's report.",
            "Related to the storms, the council also raised the sea wall.",
            "Share this information, please?",
            "Advertisement revenue fell by a third.",
            "Related coverage from How to Do Everything: Money:",
            "",
        ] {
            assert!(!is_cross_reference(line), "{line}");
        }
        let long = format!("Read more: {}", "word ".repeat(25));
        assert!(!is_cross_reference(&long));
        assert_eq!(
            drop_cross_references("First.\nAdvertisement\nSecond.\nRelated: Other story"),
            "First.\nSecond."
        );
    }

    #[test]
    fn shingles_count_repeats_and_short_texts() {
        let w = words("a b c d a b c d");
        let s = shingles(&w);
        assert_eq!(total(&s), 5);
        assert_eq!(s[&["a", "b", "c", "d"][..]], 2);
        assert_eq!(total(&shingles(&words("only three words"))), 1);
        assert_eq!(total(&shingles(&words(" , "))), 0);
        assert_eq!(words("l'été, 2024_x!"), ["l", "été", "2024_x"]);
    }

    #[test]
    fn cross_check_drops_a_link_list_rs_trafilatura_keeps() {
        let para = |i: usize| {
            format!(
                "<p>The council voted on Tuesday, meeting {i}, to extend the harbour wall by \
                 two hundred metres after a winter of storms that flooded the old town.</p>"
            )
        };
        let article: String = (0..6).map(para).collect();
        let teasers: String = (0..8)
            .map(|i| format!("<li><a href=/t{i}>Other story number {i} about the town and its people</a></li>"))
            .collect();
        let html = format!(
            "<html><head><title>Harbour wall to grow</title></head><body>\
             <article><h1>Harbour wall to grow</h1>{article}</article>\
             <div><ul>{teasers}</ul></div></body></html>"
        );
        let out = extract(&html, None);
        assert!(out.text.contains("meeting 5"), "{:?}", out.text);
        assert!(!out.text.contains("Other story"), "{:?}", out.text);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Tag soup never panics either extractor or the combination.
        #[test]
        fn extraction_never_panics(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::Just("<p>".to_string()),
                    proptest::prelude::Just("</p>".to_string()),
                    proptest::prelude::Just("<div class=content>".to_string()),
                    proptest::prelude::Just("</div>".to_string()),
                    proptest::prelude::Just("<a href=x>".to_string()),
                    proptest::prelude::Just("<script>".to_string()),
                    proptest::prelude::Just("Read more: ".to_string()),
                    "[a-zA-Zé ,.<>/=\"'&;]{0,40}",
                ],
                0..60,
            )
        ) {
            let html = parts.concat();
            let out = extract(&html, Some("not a url"));
            proptest::prop_assert!(!out.text.contains("\n\n"));
        }
    }

    #[test]
    fn calls_to_the_reader_under_the_article_go() {
        let news = "The council voted on Tuesday to extend the harbour wall.";
        let review = "We spent a week on the new ferry to see how it copes with winter \
                      storms, and the crew let us stay on the bridge for the worst of it. \
                      Read our full review here.";
        let text = format!(
            "{news}\nDownload the council's report to see the plans.\n{review}\n\
             Follow us on Twitter and Facebook.\n\
             Get the latest updates in your inbox. Subscribe to our newsletters."
        );
        // A call inside the article, and a long paragraph that ends with
        // one, stay; the calls under it go.
        assert_eq!(
            without_reader_calls_at_end(&text),
            format!("{news}\nDownload the council's report to see the plans.\n{review}")
        );
        assert_eq!(without_reader_calls_at_end(news), news);
    }

    #[test]
    fn bylines_and_dates_at_the_article_edges_go() {
        // Sentences that open like a byline or a date stay.
        for sentence in [
            "By the time the council met, the river had risen a metre.",
            "Nov 18, 2019 was the wettest day on record, the weather service said.",
        ] {
            let text = format!("{sentence}\nThe council voted on Tuesday.");
            assert_eq!(without_stamps_at_edges(&text), text);
        }
        let text = "By Jane Doe and John Roe\n19 NOV 2019\nThe council voted on Tuesday.\n\
                    It met again later.\n4:14 p.m.\nThe vote was close.\n\
                    The mayor spoke last.\nWork starts in spring.\nUpdated at 1:23 p.m.";
        assert_eq!(
            without_stamps_at_edges(text),
            "The council voted on Tuesday.\nIt met again later.\n4:14 p.m.\n\
             The vote was close.\nThe mayor spoke last.\nWork starts in spring."
        );
    }

    /// A person's hover card (photo, name, latest headlines) sits inside
    /// the sentence that names them; only CSS hides it.
    #[test]
    fn hover_cards_stay_out_of_the_sentence() {
        let card = "<span class=\"rollover-people\"><a href=/people/jane-roe>Jane Roe</a>\
                    <span class=\"rollover-people-block\"><img src=x.jpg>\
                    <a href=/people/jane-roe>Jane Roe</a>\
                    <a href=/a/1>Senators call for a new coordinator on port security</a>\
                    <a href=/people/jane-roe>MORE</a></span></span>";
        let html = format!(
            "<html><body><article><h1>Man admits threats</h1>\
             <p>A man pleaded guilty to charges he threatened to kill Rep. {card} (D-Minn.), \
             the prosecutors said on Tuesday in a statement about the case.</p>\
             <p>The court will sentence him in March, and he faces up to five years in \
             prison, the statement said, after he admitted the calls.</p>\
             </article></body></html>"
        );
        let text = extract(&html, None).text;
        assert!(
            text.contains("kill Rep. Jane Roe (D-Minn.), the prosecutors"),
            "{text:?}"
        );
        assert!(!text.contains("Senators call"), "{text:?}");
    }

    #[test]
    fn extracts_article_paragraphs_and_metadata() {
        let body =
            "The council voted on Tuesday to extend the harbour wall by two hundred metres, \
                    after a winter of storms that flooded the old town three times.";
        let html = format!(
            "<html><head><title>Harbour wall to grow</title>\
             <meta name=\"author\" content=\"Ann Lee\">\
             <meta property=\"article:published_time\" content=\"2024-11-03T08:00:00Z\"></head>\
             <body><nav><a href=/>Home</a> <a href=/news>News</a></nav><article>\
             <h1>Harbour wall to grow</h1><p>{body}</p><p>{body} Again.</p></article>\
             <footer>Copyright 2024</footer></body></html>"
        );
        let out = extract(&html, Some("https://news.example/harbour"));
        assert_eq!(out.title.as_deref(), Some("Harbour wall to grow"));
        assert_eq!(out.byline.as_deref(), Some("Ann Lee"));
        assert_eq!(out.published.as_deref(), Some("2024-11-03"));
        assert!(out.text.contains(body), "{:?}", out.text);
        assert!(out.text.lines().count() >= 2, "{:?}", out.text);
        assert!(!out.text.contains("Copyright"), "{:?}", out.text);
    }

    /// A live blog without markup of posts, read for the timeline, is
    /// dated by its last change, on the page's own clock: its clock-only
    /// post times ("9.32am") are that day's, not the day the blog began,
    /// and compare with the page's clock, not with UTC.
    #[test]
    fn a_live_blog_page_without_post_markup_is_dated_by_its_last_change() {
        let post =
            "The council voted on Tuesday to extend the harbour wall by two hundred metres, \
                    after a winter of storms that flooded the old town three times.";
        let html = format!(
            "<html><head><title>Harbour live</title>\
             <meta property=\"article:published_time\" content=\"2024-11-01T08:00:00Z\">\
             <meta property=\"article:modified_time\" content=\"2024-11-03T10:32:00+01:00\">\
             </head><body><article><h1>Harbour live</h1>\
             <p><strong>9.32am GMT</strong></p><p>{post}</p>\
             <p><strong>8.10am GMT</strong></p><p>{post} Again.</p></article></body></html>"
        );
        let for_timeline = extract_page(&html, None, true);
        assert_eq!(
            for_timeline.published.as_deref(),
            Some("2024-11-03T10:32:00+01:00")
        );
        assert!(for_timeline.text.contains("9.32am GMT"));
        // Other commands keep the page's publication date.
        let article = extract_page(&html, None, false);
        assert_eq!(article.published.as_deref(), Some("2024-11-01"));
    }
}
