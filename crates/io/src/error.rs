//! Error types: [`IoError`] for whole-path failures (a missing input, a
//! writer that cannot write) and [`ReadError`] for one bad record or file met
//! while reading, which the caller may skip and count.

use std::fmt;
use std::path::{Path, PathBuf};

use thresh_engine::Origin;

/// An operating-system error on a named path: opening, listing, spooling or
/// writing failed. The path is always part of the message.
#[derive(Debug)]
pub struct IoError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

impl IoError {
    pub(crate) fn new(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        IoError {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for IoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        // The OS wording ("No such file or directory (os error 2)") is fine
        // for most errors, but a missing input is common enough to deserve
        // a plain sentence.
        if self.source.kind() == std::io::ErrorKind::NotFound {
            write!(f, "{path}: no such file or directory")
        } else {
            write!(f, "{path}: {}", self.source)
        }
    }
}

/// The message already holds the cause's words, so the cause is not
/// chained again (an error chain would print it twice); it stays in
/// [`IoError::source`] for callers that ask what kind of error it was.
impl std::error::Error for IoError {}

/// Why a record (or a whole file) could not become a [`thresh_engine::Document`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadErrorKind {
    /// Bytes that are not UTF-8. `line` is the 1-based line of the first bad
    /// byte within the file (text files) or the record (JSONL: always 1).
    InvalidUtf8 { line: u64 },
    /// A JSONL line that is not a JSON object.
    MalformedJson(String),
    /// The text field (or Parquet column) is absent or null.
    MissingText { field: String },
    /// A field has a type thresh cannot use (e.g. a numeric text field).
    WrongType {
        field: String,
        expected: &'static str,
    },
    /// The text is empty or only white space.
    EmptyDocument,
    /// The document (or, for JSONL, the line) is larger than the limit.
    TooLarge { limit: u64 },
    /// The file could not be opened, decompressed or decoded; the reader
    /// moves on to the next input.
    Unreadable(String),
    /// A WARC record whose header cannot be parsed (no version line, a
    /// line without a colon, no or a bad `Content-Length`, an oversized
    /// header) or whose response block is not an HTTP response.
    MalformedWarc(String),
    /// A WARC record whose block is shorter than its `Content-Length`, or
    /// is not followed by the record's closing blank lines.
    WrongLength { declared: u64 },
    /// A gzip member that is truncated or corrupt, or bytes where a member
    /// should start.
    CorruptGzip(String),
    /// A payload declared as HTML that is binary data.
    Binary,
    /// An HTML page whose elements nest deeper than the limit: a hostile
    /// or broken page, whose extraction would take time quadratic in its
    /// depth (or overflow the stack).
    TooDeep { limit: usize },
}

impl ReadErrorKind {
    /// A short stable name, for counting skipped records by cause.
    pub fn name(&self) -> &'static str {
        match self {
            ReadErrorKind::InvalidUtf8 { .. } => "invalid-utf8",
            ReadErrorKind::MalformedJson(_) => "malformed-json",
            ReadErrorKind::MissingText { .. } => "missing-text",
            ReadErrorKind::WrongType { .. } => "wrong-type",
            ReadErrorKind::EmptyDocument => "empty-document",
            ReadErrorKind::TooLarge { .. } => "too-large",
            ReadErrorKind::Unreadable(_) => "unreadable",
            ReadErrorKind::MalformedWarc(_) => "malformed-warc",
            ReadErrorKind::WrongLength { .. } => "wrong-length",
            ReadErrorKind::CorruptGzip(_) => "corrupt-gzip",
            ReadErrorKind::Binary => "binary",
            ReadErrorKind::TooDeep { .. } => "too-deep",
        }
    }
}

impl fmt::Display for ReadErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadErrorKind::InvalidUtf8 { line } => write!(f, "invalid UTF-8 on line {line}"),
            ReadErrorKind::MalformedJson(msg) => write!(f, "malformed JSON: {msg}"),
            ReadErrorKind::MissingText { field } => write!(f, "missing text field \"{field}\""),
            ReadErrorKind::WrongType { field, expected } => {
                write!(f, "field \"{field}\" must be {expected}")
            }
            ReadErrorKind::EmptyDocument => write!(f, "empty document"),
            ReadErrorKind::TooLarge { limit } => {
                write!(f, "document larger than the limit of {limit} bytes")
            }
            ReadErrorKind::Unreadable(msg) => write!(f, "unreadable: {msg}"),
            ReadErrorKind::MalformedWarc(msg) => write!(f, "malformed WARC record: {msg}"),
            ReadErrorKind::WrongLength { declared } => write!(
                f,
                "WARC record does not match its Content-Length of {declared} bytes"
            ),
            ReadErrorKind::CorruptGzip(msg) => write!(f, "corrupt gzip member: {msg}"),
            ReadErrorKind::Binary => write!(f, "binary data declared as HTML"),
            ReadErrorKind::TooDeep { limit } => {
                write!(f, "HTML elements nested deeper than {limit}")
            }
        }
    }
}

/// A record or file that could not be read, and where it was.
///
/// Displays as `data/x.jsonl:17: malformed JSON: expected value at column 3`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub origin: Origin,
    pub kind: ReadErrorKind,
}

impl ReadError {
    pub(crate) fn new(source: &str, record: u64, kind: ReadErrorKind) -> Self {
        ReadError {
            origin: Origin {
                source: source.to_string(),
                record,
            },
            kind,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.kind)
    }
}

impl std::error::Error for ReadError {}
