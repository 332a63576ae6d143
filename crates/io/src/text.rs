//! Plain-text input: one document per file.
//!
//! A file may start with a header line ` date YYYY-MM-DD Title…` (note the
//! leading space; see [`split_header`]), as the extracted news seeds do; it
//! becomes the document's date and title and is not part of the text,
//! unless the caller keeps it (the timeline numbers it as line 1).

use std::io::Read;

use thresh_engine::document::split_header;
use thresh_engine::{Document, Origin};

use crate::error::{ReadError, ReadErrorKind};
use crate::input::Input;

/// Reads the whole input as one document, holding at most `max_bytes + 1`
/// bytes of it in memory. With `keep_header`, a header line stays in the text (its date and
/// title are still read), so that line numbers count it.
pub(crate) fn read_document(
    input: &Input,
    max_bytes: u64,
    keep_header: bool,
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

    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = std::str::from_utf8(body).map_err(|e| {
        let line = line_of_offset(body, e.valid_up_to());
        error(ReadErrorKind::InvalidUtf8 { line })
    })?;

    let (header, body) = split_header(text);
    if body.trim().is_empty() {
        return Err(error(ReadErrorKind::EmptyDocument));
    }
    Ok(Document {
        id: input.name().to_string(),
        text: if keep_header { text } else { body }.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_are_one_based() {
        assert_eq!(line_of_offset(b"ab\ncd\nef", 0), 1);
        assert_eq!(line_of_offset(b"ab\ncd\nef", 4), 2);
        assert_eq!(line_of_offset(b"ab\ncd\nef", 6), 3);
    }
}
