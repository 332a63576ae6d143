//! Plain-text input: one document per file.
//!
//! A file may start with a header line ` date YYYY-MM-DD Title…` (note the
//! leading space), as the extracted news seeds do; it becomes the document's
//! date and title and is not part of the text.

use std::io::Read;

use thresh_engine::{Document, Origin};

use crate::error::{ReadError, ReadErrorKind};
use crate::input::Input;

/// Reads the whole input as one document, holding at most `max_bytes + 1`
/// bytes of it in memory.
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

    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = std::str::from_utf8(body).map_err(|e| {
        let line = line_of_offset(body, e.valid_up_to());
        error(ReadErrorKind::InvalidUtf8 { line })
    })?;

    let (header, text) = split_header(text);
    if text.trim().is_empty() {
        return Err(error(ReadErrorKind::EmptyDocument));
    }
    Ok(Document {
        id: input.name().to_string(),
        text: text.to_string(),
        date: header.map(|h| h.date.to_string()),
        title: header.and_then(|h| (!h.title.is_empty()).then(|| h.title.to_string())),
        url: None,
        raw: None,
        origin: Origin {
            source: input.source().to_string(),
            record: 0,
        },
    })
}

/// The 1-based line holding byte `offset`.
fn line_of_offset(bytes: &[u8], offset: usize) -> u64 {
    memchr::memchr_iter(b'\n', &bytes[..offset]).count() as u64 + 1
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Header<'a> {
    date: &'a str,
    title: &'a str,
}

/// Splits off a ` date YYYY-MM-DD Title` first line, if there is one.
fn split_header(text: &str) -> (Option<Header<'_>>, &str) {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let Some(after) = first.strip_prefix(" date ") else {
        return (None, text);
    };
    let date = after.get(..10).filter(|d| is_iso_date(d));
    let title = after
        .get(10..)
        .filter(|t| t.is_empty() || t.starts_with([' ', '\r']));
    match (date, title) {
        (Some(date), Some(title)) => (
            Some(Header {
                date,
                title: title.trim(),
            }),
            rest,
        ),
        _ => (None, text),
    }
}

/// `YYYY-MM-DD` in shape (digits and dashes); the calendar is not checked.
fn is_iso_date(s: &str) -> bool {
    s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_gives_date_and_title() {
        let (header, rest) = split_header(" date 2024-11-03 North Korea vows\r\nBody.\n");
        let header = header.unwrap();
        assert_eq!(header.date, "2024-11-03");
        assert_eq!(header.title, "North Korea vows");
        assert_eq!(rest, "Body.\n");
    }

    #[test]
    fn header_may_lack_a_title() {
        let (header, rest) = split_header(" date 2024-11-03\nBody.");
        assert_eq!(header.unwrap().title, "");
        assert_eq!(rest, "Body.");
    }

    #[test]
    fn lookalike_headers_stay_in_the_text() {
        for text in [
            "date 2024-11-03 No leading space\nBody",
            " date 2024-1-03 Short month\nBody",
            " date 2024-11-03X glued\nBody",
            " date yesterday\nBody",
        ] {
            assert_eq!(split_header(text), (None, text), "{text:?}");
        }
    }

    #[test]
    fn line_numbers_are_one_based() {
        assert_eq!(line_of_offset(b"ab\ncd\nef", 0), 1);
        assert_eq!(line_of_offset(b"ab\ncd\nef", 4), 2);
        assert_eq!(line_of_offset(b"ab\ncd\nef", 6), 3);
    }
}
