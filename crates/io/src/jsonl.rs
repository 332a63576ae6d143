//! JSONL input: one JSON object per line, the hot path for large corpora.
//!
//! Each line is parsed once, by a serde visitor that keeps only the six
//! fields thresh wants (borrowing from the line when the JSON has no escapes)
//! and skips every other value without building it. The original line is
//! kept as the document's `raw` so writers can pass unknown fields through.
//!
//! A record with no text but an `html` field (a crawler's output) gets the
//! article extracted from the page (see `html`), with the record's own url,
//! date and title winning over what the page says.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use thresh_engine::{Document, Origin};

use crate::error::{ReadError, ReadErrorKind};
use crate::format::FieldNames;

/// Streams the documents of one JSONL input, a line at a time.
pub(crate) struct JsonlReader {
    reader: Box<dyn BufRead + Send>,
    source: String,
    fields: FieldNames,
    max_bytes: u64,
    /// Whether documents carry their record (`Document::raw`).
    keep_records: bool,
    /// The line number of the last line read.
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlReader {
    pub(crate) fn new(
        reader: Box<dyn BufRead + Send>,
        source: &str,
        fields: FieldNames,
        max_bytes: u64,
        keep_records: bool,
    ) -> Self {
        JsonlReader {
            reader,
            source: source.to_string(),
            fields,
            max_bytes,
            keep_records,
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// A line longer than this is rejected unparsed, so one runaway line
    /// cannot exhaust memory. It leaves room for JSON escapes and for the
    /// record's other fields around a text of up to `max_bytes`.
    fn line_limit(&self) -> usize {
        let limit = self.max_bytes.saturating_mul(2).saturating_add(1 << 20);
        usize::try_from(limit).unwrap_or(usize::MAX)
    }

    fn error(&self, kind: ReadErrorKind) -> ReadError {
        ReadError::new(&self.source, self.line, kind)
    }
}

impl Iterator for JsonlReader {
    type Item = Result<Document, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let limit = self.line_limit();
            let length = match read_line(&mut *self.reader, &mut self.buf, limit) {
                Ok(Some(length)) => length,
                Ok(None) => break,
                Err(e) => {
                    // The stream is broken (e.g. truncated gzip): report it
                    // once, at the line it broke on, and give up the file.
                    self.done = true;
                    self.line += 1;
                    return Some(Err(self.error(ReadErrorKind::Unreadable(e.to_string()))));
                }
            };
            self.line += 1;
            if length > limit as u64 {
                let limit = self.max_bytes;
                return Some(Err(self.error(ReadErrorKind::TooLarge { limit })));
            }
            let mut line = trim_line_end(&self.buf);
            if self.line == 1 {
                line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
            }
            if is_blank(line) {
                continue;
            }
            let origin = Origin {
                source: self.source.clone(),
                record: self.line,
            };
            return Some(parse_line(
                line,
                origin,
                &self.fields,
                self.max_bytes,
                self.keep_records,
            ));
        }
        self.done = true;
        None
    }
}

/// Reads one line (newline included) into `buf`, storing at most `limit`
/// bytes of it but consuming all of it. Returns the line's full length, or
/// `None` at the end of the stream.
fn read_line(reader: &mut dyn BufRead, buf: &mut Vec<u8>, limit: usize) -> io::Result<Option<u64>> {
    buf.clear();
    let mut length = 0u64;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok((length > 0).then_some(length));
        }
        let (used, ends_line) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = limit.saturating_add(1).saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..used.min(room)]);
        length += used as u64;
        reader.consume(used);
        if ends_line {
            return Ok(Some(length));
        }
    }
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Only JSON white space: such lines are padding, not records.
fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Turns one non-blank JSONL line into a document.
pub(crate) fn parse_line(
    line: &[u8],
    origin: Origin,
    fields: &FieldNames,
    max_bytes: u64,
    keep_record: bool,
) -> Result<Document, ReadError> {
    let fail = |kind| {
        Err(ReadError {
            origin: origin.clone(),
            kind,
        })
    };
    let Ok(line) = std::str::from_utf8(line) else {
        return fail(ReadErrorKind::InvalidUtf8 {
            line: origin.record,
        });
    };
    let record = match parse_record(line, fields) {
        Ok(record) => record,
        Err(e) => return fail(ReadErrorKind::MalformedJson(json_message(&e))),
    };

    let (text, extracted) = match text_or_article(record.text, record.html, fields, max_bytes) {
        Ok(found) => found,
        Err(kind) => return fail(kind),
    };
    let id = match record.id {
        Some(Value::Str(id)) => id.into_owned(),
        Some(Value::Number(id)) => id,
        None | Some(Value::Null) => origin.to_string(),
        Some(Value::Other) => return fail(wrong_type(&fields.id, "a string or number")),
    };
    let optional = |value: Option<Value<'_>>, field: &str| match value {
        Some(Value::Str(s)) => Ok(Some(s.into_owned())),
        Some(Value::Number(n)) => Ok(Some(n)),
        None | Some(Value::Null) => Ok(None),
        Some(Value::Other) => Err(wrong_type(field, "a string")),
    };
    let (date, url, title) = match (
        optional(record.date, &fields.date),
        optional(record.url, &fields.url),
        optional(record.title, &fields.title),
    ) {
        (Ok(date), Ok(url), Ok(title)) => (date, url, title),
        (Err(kind), _, _) | (_, Err(kind), _) | (_, _, Err(kind)) => return fail(kind),
    };
    // A record read from its `html` carries the extracted text too, so
    // that a kept record written back out has it.
    let raw = match (&extracted, keep_record) {
        (_, false) => None,
        (Some(_), true) => Some(with_text(line, &fields.text, &text)),
        (None, true) => Some(line.to_string()),
    };
    let (date, title) = match extracted {
        Some(page) => (date.or(page.published), title.or(page.title)),
        None => (date, title),
    };
    Ok(Document {
        id,
        text,
        date,
        title,
        url,
        raw,
        origin,
    })
}

/// The JSON object `line` with its text field set to `text`.
fn with_text(line: &str, field: &str, text: &str) -> String {
    let mut out = Vec::with_capacity(line.len() + text.len() + field.len() + 8);
    match crate::writer::replace_field(&mut out, line, field, text) {
        // Built from a JSON object and JSON strings: UTF-8.
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| line.to_string()),
        // Already parsed as an object above; kept as read if not.
        Err(_) => line.to_string(),
    }
}

/// What an article page gave besides its text.
struct PageMeta {
    title: Option<String>,
    published: Option<String>,
}

/// The document's text: the `text` field, or else the article extracted
/// from the `html` field (with what the page says of itself).
fn text_or_article(
    text: Option<Value<'_>>,
    html: Option<Value<'_>>,
    fields: &FieldNames,
    max_bytes: u64,
) -> Result<(String, Option<PageMeta>), ReadErrorKind> {
    let (text, page) = match (text, html) {
        (Some(Value::Str(text)), _) => (text.into_owned(), None),
        (None | Some(Value::Null), Some(Value::Str(html))) => {
            if html.len() as u64 > max_bytes {
                return Err(ReadErrorKind::TooLarge { limit: max_bytes });
            }
            article(&html, fields)?
        }
        (None | Some(Value::Null), _) => {
            return Err(ReadErrorKind::MissingText {
                field: fields.text.clone(),
            })
        }
        (Some(_), _) => return Err(wrong_type(&fields.text, "a string")),
    };
    if text.len() as u64 > max_bytes {
        return Err(ReadErrorKind::TooLarge { limit: max_bytes });
    }
    if text.trim().is_empty() {
        return Err(ReadErrorKind::EmptyDocument);
    }
    Ok((text, page))
}

#[cfg(feature = "html")]
fn article(html: &str, _: &FieldNames) -> Result<(String, Option<PageMeta>), ReadErrorKind> {
    crate::html::check_page(html)?;
    let page = crate::html::extract(html, None);
    let meta = PageMeta {
        title: page.title,
        published: page.published,
    };
    Ok((page.text, Some(meta)))
}

/// Without the extractor an `html` field cannot stand in for the text.
#[cfg(not(feature = "html"))]
fn article(_: &str, fields: &FieldNames) -> Result<(String, Option<PageMeta>), ReadErrorKind> {
    Err(ReadErrorKind::MissingText {
        field: fields.text.clone(),
    })
}

fn wrong_type(field: &str, expected: &'static str) -> ReadErrorKind {
    ReadErrorKind::WrongType {
        field: field.to_string(),
        expected,
    }
}

/// serde_json's message with "at line 1 column N" shortened to "at column N":
/// a JSONL record is always one line, and the error's origin names it.
fn json_message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&suffix) {
        Some(bare) => format!("{bare} at column {}", e.column()),
        None => message,
    }
}

/// The wanted fields of one record, borrowed from the line where possible.
#[derive(Debug, Default)]
struct Record<'de> {
    id: Option<Value<'de>>,
    text: Option<Value<'de>>,
    date: Option<Value<'de>>,
    url: Option<Value<'de>>,
    title: Option<Value<'de>>,
    html: Option<Value<'de>>,
}

/// Parses a whole line as one JSON object, rejecting trailing garbage.
fn parse_record<'de>(line: &'de str, fields: &FieldNames) -> serde_json::Result<Record<'de>> {
    let mut de = serde_json::Deserializer::from_str(line);
    let record = RecordSeed { fields }.deserialize(&mut de)?;
    de.end()?;
    Ok(record)
}

struct RecordSeed<'f> {
    fields: &'f FieldNames,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Record<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Record<'de>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = Record<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record<'de>, A::Error> {
        let fields = self.fields;
        let mut record = Record::default();
        while let Some(key) = map.next_key::<Str<'de>>()? {
            // When two roles share a field name, the first listed wins.
            let slot = match key.0.as_ref() {
                k if k == fields.text => &mut record.text,
                k if k == fields.id => &mut record.id,
                k if k == fields.date => &mut record.date,
                k if k == fields.url => &mut record.url,
                k if k == fields.title => &mut record.title,
                k if k == fields.html => &mut record.html,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = Some(map.next_value::<Value<'de>>()?);
        }
        Ok(record)
    }
}

/// A field value as far as thresh cares: a string (borrowed unless it had
/// escapes), a number (kept as written), null, or anything else.
#[derive(Debug)]
enum Value<'de> {
    Str(Cow<'de, str>),
    Number(String),
    Null,
    Other,
}

impl<'de> de::Deserialize<'de> for Value<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Value<'de>, E> {
        Ok(Value::Str(Cow::Owned(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value<'de>, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value<'de>, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value<'de>, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Value<'de>, E> {
        Ok(Value::Other)
    }
    fn visit_unit<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value<'de>, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value<'de>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value<'de>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Value::Other)
    }
}

/// An object key, borrowed unless it had escapes.
struct Str<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct StrVisitor;
        impl<'de> Visitor<'de> for StrVisitor {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(StrVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Document, ReadError> {
        let origin = Origin {
            source: "x.jsonl".into(),
            record: 17,
        };
        parse_line(line.as_bytes(), origin, &FieldNames::default(), 1000, true)
    }

    #[test]
    fn a_reader_that_keeps_no_records_reads_the_same_fields() {
        let line = r#"{"id":"a","extra":1,"text":"Hello","date":"2024-01-02"}"#;
        let origin = Origin {
            source: "x.jsonl".into(),
            record: 1,
        };
        let lean =
            parse_line(line.as_bytes(), origin, &FieldNames::default(), 1000, false).unwrap();
        let whole = parse(line).unwrap();
        assert_eq!(lean.raw, None);
        assert_eq!(whole.raw.as_deref(), Some(line));
        assert_eq!(
            (lean.id, lean.text, lean.date),
            (whole.id, whole.text, whole.date)
        );
    }

    #[test]
    fn keeps_wanted_fields_and_raw_line() {
        let line = r#"{"id":7,"extra":{"a":[1,2]},"text":"Hello\nworld","date":"2024-01-02","url":"u","title":"T"}"#;
        let doc = parse(line).unwrap();
        assert_eq!(doc.id, "7");
        assert_eq!(doc.text, "Hello\nworld");
        assert_eq!(doc.date.as_deref(), Some("2024-01-02"));
        assert_eq!(doc.url.as_deref(), Some("u"));
        assert_eq!(doc.title.as_deref(), Some("T"));
        assert_eq!(doc.raw.as_deref(), Some(line));
        assert_eq!(doc.origin.record, 17);
    }

    #[test]
    fn missing_id_becomes_file_and_line() {
        let doc = parse(r#"{"text":"a","date":null}"#).unwrap();
        assert_eq!(doc.id, "x.jsonl:17");
        assert_eq!(doc.date, None);
    }

    #[test]
    fn malformed_json_names_the_column() {
        let err = parse(r#"{"text": }"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.jsonl:17: malformed JSON: expected value at column 10"
        );
        let err = parse(r#"{"text":"a"} trailing"#).unwrap_err();
        assert_eq!(err.kind.name(), "malformed-json");
        let err = parse("[1,2]").unwrap_err();
        assert_eq!(err.kind.name(), "malformed-json");
    }

    #[test]
    fn text_must_be_a_present_non_blank_string() {
        assert_eq!(
            parse(r#"{"id":"a"}"#).unwrap_err().kind.name(),
            "missing-text"
        );
        assert_eq!(
            parse(r#"{"text":null}"#).unwrap_err().kind.name(),
            "missing-text"
        );
        assert_eq!(
            parse(r#"{"text":5}"#).unwrap_err().kind.name(),
            "wrong-type"
        );
        assert_eq!(
            parse(r#"{"text":" \n\t"}"#).unwrap_err().kind.name(),
            "empty-document"
        );
        assert_eq!(
            parse(r#"{"text":"a","title":[1]}"#)
                .unwrap_err()
                .kind
                .name(),
            "wrong-type"
        );
        let big = format!(r#"{{"text":"{}"}}"#, "a".repeat(1001));
        assert_eq!(parse(&big).unwrap_err().kind.name(), "too-large");
    }

    #[cfg(feature = "html")]
    #[test]
    fn html_field_stands_in_for_missing_text() {
        let body = "The council voted on Tuesday to extend the harbour wall by two hundred \
                    metres, after a winter of storms that flooded the old town three times.";
        let html = format!(
            "<html><head><title>Harbour wall to grow</title></head><body>\
             <nav><a href=/>Home</a></nav><article><h1>Harbour wall to grow</h1>\
             <p>{body}</p><p>{body} Again.</p></article><footer>Copyright 2024</footer></body></html>"
        );
        let line = serde_json::json!({"id": "p1", "html": html, "date": "2024-11-03"}).to_string();
        let origin = Origin {
            source: "x.jsonl".into(),
            record: 1,
        };
        let doc = parse_line(
            line.as_bytes(),
            origin,
            &FieldNames::default(),
            1 << 20,
            true,
        )
        .unwrap();
        assert!(doc.text.contains(body), "{:?}", doc.text);
        assert!(!doc.text.contains("Copyright"), "{:?}", doc.text);
        assert_eq!(doc.title.as_deref(), Some("Harbour wall to grow"));
        assert_eq!(doc.date.as_deref(), Some("2024-11-03"));
        // A text field wins over the page.
        let both = r#"{"text":"Given text.","html":"<p>Other words entirely.</p>"}"#;
        assert_eq!(parse(both).unwrap().text, "Given text.");
        // A page with no article is an empty document, not a panic.
        let empty = r#"{"html":"<html><body><nav>Home</nav></body></html>"}"#;
        assert_eq!(parse(empty).unwrap_err().kind.name(), "empty-document");
        assert_eq!(
            parse(r#"{"html":5}"#).unwrap_err().kind.name(),
            "missing-text"
        );
    }

    #[test]
    fn escaped_keys_and_values_are_decoded() {
        let doc = parse(r#"{"t\u0065xt":"caf\u00e9","id":"\"q\""}"#).unwrap();
        assert_eq!(doc.text, "café");
        assert_eq!(doc.id, "\"q\"");
    }

    #[test]
    fn bounded_line_reader_consumes_long_lines() {
        let mut input: &[u8] = b"0123456789\nab\nlast";
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut input, &mut buf, 4).unwrap(), Some(11));
        assert_eq!(buf.len(), 5);
        assert_eq!(read_line(&mut input, &mut buf, 4).unwrap(), Some(3));
        assert_eq!(buf, b"ab\n");
        assert_eq!(read_line(&mut input, &mut buf, 4).unwrap(), Some(4));
        assert_eq!(read_line(&mut input, &mut buf, 4).unwrap(), None);
    }
}
