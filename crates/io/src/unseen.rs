//! Markup no extractor reads, cut before a page is parsed.
//!
//! On news pages most bytes are not text: inline scripts (analytics, ads,
//! a framework's state), style sheets and SVG icons. Both extractors parse
//! the page into a tree and walk it several times, so each of those bytes
//! is paid for again and again; on the article-extraction benchmark they
//! are 59 % of the pages' bytes. [`without_unseen`] removes the bodies of
//! `<script>` and `<style>` elements, whole `<svg>` drawings and comments
//! in one pass, keeping the elements' start and end tags where they
//! stand. JSON-LD scripts stay whole: they carry the article's metadata
//! (headline, author, dates).

use std::borrow::Cow;

use memchr::memmem;

/// `html` without the bodies of scripts (but JSON-LD) and style sheets,
/// without SVG drawings and comments; `html` itself when it has none.
pub(crate) fn without_unseen(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Bytes before `copied` are in `out` (or need no change yet).
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let open = at + found;
        let cut = match unseen_at(bytes, open) {
            Next::Cut(cut) => cut,
            Next::ScanFrom(next) => {
                at = next;
                continue;
            }
            // The rest of the page is inside one unclosed tag or element,
            // as a parser reads it: nothing after it is cut, and no later
            // `<` is searched to the end again (which would make a page of
            // many unclosed `<script`s quadratic).
            Next::Stop => break,
        };
        let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
        out.push_str(&html[copied..cut.start]);
        out.push_str(cut.replacement);
        copied = cut.end;
        at = cut.end;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// A stretch of the page to replace: `start..end` becomes `replacement`.
struct Cut {
    start: usize,
    end: usize,
    replacement: &'static str,
}

/// What the scan does at a `<`.
enum Next {
    /// Replace a stretch, then scan on after it.
    Cut(Cut),
    /// Nothing to cut here: scan on from this offset.
    ScanFrom(usize),
    /// The rest of the page is one unclosed tag or element.
    Stop,
}

/// The unseen stretch that begins with the `<` at `open`, if any. The
/// bytes between `start` and `end` are ASCII-delimited (`<`, `>`), so both
/// are character boundaries.
fn unseen_at(bytes: &[u8], open: usize) -> Next {
    let rest = &bytes[open + 1..];
    if rest.starts_with(b"!--") {
        // An unclosed comment runs to the end of the page, as parsers read it.
        let end = memmem::find(&rest[3..], b"-->").map_or(bytes.len(), |i| open + 4 + i + 3);
        return Next::Cut(Cut {
            start: open,
            end,
            replacement: "",
        });
    }
    let Some((name, replacement)) = [("script", "</script>"), ("style", "</style>"), ("svg", "")]
        .into_iter()
        .find(|(name, _)| starts_with_tag(rest, name))
    else {
        return Next::ScanFrom(open + 1);
    };
    let Some(tag_len) = start_tag_len(rest) else {
        return Next::Stop;
    };
    let tag_end = open + 1 + tag_len;
    let Some(close) = find_end_tag(&bytes[tag_end..], name) else {
        return Next::Stop;
    };
    let body_end = tag_end + close;
    let end = memchr::memchr(b'>', &bytes[body_end..]).map_or(bytes.len(), |i| body_end + i + 1);
    if name == "script" && is_json_ld(&bytes[open..tag_end]) {
        // Kept whole; its JSON is not markup to scan.
        return Next::ScanFrom(end);
    }
    Next::Cut(if name == "svg" {
        Cut {
            start: open,
            end,
            replacement,
        }
    } else {
        // Keep the start tag, drop the body, close the element.
        Cut {
            start: tag_end,
            end,
            replacement,
        }
    })
}

/// `rest` (what follows a `<`) opens an element called `name`, in any case.
fn starts_with_tag(rest: &[u8], name: &str) -> bool {
    rest.len() > name.len()
        && rest[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        && matches!(
            rest[name.len()],
            b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
        )
}

/// Length of the start tag that `rest` (what follows its `<`) begins,
/// through its `>`, skipping `>` inside quoted attribute values; `None`
/// when it never closes.
fn start_tag_len(rest: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (i, &b) in rest.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Where `</name` (any case) first stands in `body`.
fn find_end_tag(body: &[u8], name: &str) -> Option<usize> {
    let mut at = 0;
    while let Some(i) = memmem::find(&body[at..], b"</") {
        let start = at + i;
        let after = &body[start + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// The start tag declares JSON-LD (`type="application/ld+json"`).
fn is_json_ld(start_tag: &[u8]) -> bool {
    start_tag
        .windows(b"ld+json".len())
        .any(|w| w.eq_ignore_ascii_case(b"ld+json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_drawings_and_comments_are_cut() {
        let page = "<html><head><style type=\"text/css\">p > a { color: red }</style>\
            <script>if (a < b && c > d) { x = \"</div>\"; }</script>\
            <script type=\"application/ld+json\">{\"headline\": \"Storm\"}</script></head>\
            <body><!-- ad slot <p>hidden</p> --><p>The <svg viewBox=\"0 0 1 1\"><title>icon</title>\
            <path d=\"M0\"/></svg>harbour closed.</p><SCRIPT SRC=\"a.js\"></SCRIPT></body></html>";
        assert_eq!(
            without_unseen(page),
            "<html><head><style type=\"text/css\"></style><script></script>\
            <script type=\"application/ld+json\">{\"headline\": \"Storm\"}</script></head>\
            <body><p>The harbour closed.</p><SCRIPT SRC=\"a.js\"></script></body></html>"
        );
    }

    #[test]
    fn pages_without_them_are_not_copied() {
        let page = "<p>a < b and <scripted> text</p>";
        assert!(matches!(without_unseen(page), Cow::Borrowed(_)));
    }

    #[test]
    fn unclosed_elements_are_left_to_the_parser() {
        assert_eq!(
            without_unseen("<p>x</p><script>var a"),
            "<p>x</p><script>var a"
        );
        assert_eq!(without_unseen("<p>x</p><!-- open"), "<p>x</p>");
        assert_eq!(without_unseen("<p>x</p><script"), "<p>x</p><script");
        // Past an unclosed script nothing is cut: the parser reads the
        // rest as the script's text.
        let page = format!("<p>x</p>{}<style>p{{}}</style>", "<script>a".repeat(3));
        assert_eq!(without_unseen(&page), page);
    }

    #[test]
    fn json_ld_is_kept_whole_and_not_scanned() {
        let page = "<script type=\"application/ld+json\">{\"a\": \"<style>x</style>\"}</script>\
                    <style>p {}</style>";
        assert_eq!(
            without_unseen(page),
            "<script type=\"application/ld+json\">{\"a\": \"<style>x</style>\"}</script>\
             <style></style>"
        );
    }
}
