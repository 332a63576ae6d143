//! HTML pages to documents: charset decoding and main-text extraction.
//!
//! Extraction is rs-trafilatura's (a Rust port of trafilatura), chosen on
//! the article-extraction benchmark (`bench/sections/30-extraction.md`). Its
//! own decoding assumes UTF-8 when a page declares no charset, so pages are
//! decoded here first:
//! 1. a byte-order mark wins;
//! 2. else the charset of the HTTP `Content-Type`, else of a `<meta>` tag
//!    in the first 4 KiB; but a page that is valid UTF-8 with non-ASCII
//!    bytes is read as UTF-8 whatever a legacy single-byte label says (the
//!    common "declared Latin-1, written in UTF-8" mistake);
//! 3. else valid UTF-8 is UTF-8, and anything else is guessed by chardetng
//!    (with the URL's top-level domain as a hint).

use std::io::Read;

use encoding_rs::{Encoding, UTF_8};
use thresh_engine::{Document, Origin};

use crate::error::{ReadError, ReadErrorKind};
use crate::input::Input;

/// Reads one `.html` file as one document (id: the file's name; date and
/// URL: what the page states). A page without article text is an
/// [`ReadErrorKind::EmptyDocument`] error, as an empty text file is.
pub(crate) fn read_document(input: &Input, max_bytes: u64) -> Result<Document, ReadError> {
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
    let html = decode(&bytes, None, None);
    let extracted = extract(&html, None);
    if extracted.text.is_empty() {
        return Err(error(ReadErrorKind::EmptyDocument));
    }
    Ok(extracted.into_document(input.name().to_string(), None, None, input.source(), 0))
}

/// What extraction found on a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    pub title: Option<String>,
    pub byline: Option<String>,
    /// The publication date the page states (`YYYY-MM-DD`), if any.
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

/// The article in `html`: title, byline, date and main text. A page with
/// no article gives an empty `text`.
pub fn extract(html: &str, url: Option<&str>) -> Extracted {
    let options = rs_trafilatura::Options {
        url: url.map(str::to_string),
        ..rs_trafilatura::Options::default()
    };
    let Ok(result) = rs_trafilatura::extract_with_options(html, &options) else {
        return Extracted::default();
    };
    let meta = result.metadata;
    let clean = |s: Option<String>| {
        s.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|s| !s.is_empty())
    };
    Extracted {
        title: clean(meta.title),
        byline: clean(meta.author),
        published: meta.date.map(|d| d.format("%Y-%m-%d").to_string()),
        url: clean(meta.url),
        text: paragraphs(&result.content_text),
    }
}

/// One paragraph per line: lines trimmed, runs of white space inside a
/// line collapsed, blank lines dropped.
fn paragraphs(text: &str) -> String {
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
    fn paragraphs_one_per_line() {
        assert_eq!(paragraphs("  a  b \n\n\n c\t\n"), "a b\nc");
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
}
