//! The one document type every reader produces and every stage consumes.
//!
//! Readers (in `thresh-io`) turn files of any format into [`Document`]s;
//! writers are their mirror. The engine only ever looks at the fields below
//! and never at where a document came from, except to name it in reports.

/// Where a document came from: enough to name it in an error or a report.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    /// The input path as the user gave it (`-` for standard input).
    pub source: String,
    /// 1-based line (JSONL), row (Parquet) or record number in `source`;
    /// 0 when the whole file is one document.
    pub record: u64,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.record == 0 {
            write!(f, "{}", self.source)
        } else {
            write!(f, "{}:{}", self.source, self.record)
        }
    }
}

/// A news document: its text and the few fields deduplication and timelines
/// need. Everything else a record carries travels in `raw` untouched.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Identifier, unique within a run (readers make one when the input has
    /// none: the file name, or `file:line`).
    pub id: String,
    /// The body text. Paragraphs are separated by line breaks.
    pub text: String,
    /// Publication or crawl date as given (`YYYY-MM-DD` or an ISO timestamp);
    /// compared as a string, so ISO forms order correctly.
    pub date: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    /// The original record (a JSON object for JSONL input) so that writers
    /// can pass through fields thresh does not know about.
    pub raw: Option<String>,
    pub origin: Origin,
}

impl Document {
    /// A document with only an id and text; handy in tests and examples.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        let id = id.into();
        Document {
            origin: Origin {
                source: id.clone(),
                record: 0,
            },
            id,
            text: text.into(),
            date: None,
            title: None,
            url: None,
            raw: None,
        }
    }

    pub fn with_date(mut self, date: impl Into<String>) -> Self {
        self.date = Some(date.into());
        self
    }

    pub fn with_url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }
}

/// The header line some text crawls start with: ` date DATE Title`, where
/// DATE is an ISO day (`2024-11-03`) or timestamp (`2024-03-05T12:40`,
/// with optional seconds and zone). The seeds carry it; every reader of
/// text (dedup's and the timeline's) recognises it with [`split_header`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    pub date: &'a str,
    /// Empty when the header has no title.
    pub title: &'a str,
}

/// Splits a ` date DATE Title` first line off `text`, if it has one: the
/// header and the text after its line. A line that only looks like a
/// header (no leading space, a date that is no calendar date, a date glued
/// to the title) stays in the text.
pub fn split_header(text: &str) -> (Option<Header<'_>>, &str) {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let first = first.strip_suffix('\r').unwrap_or(first);
    let Some(after) = first.strip_prefix(" date ") else {
        return (None, text);
    };
    let (date, title) = after.split_once(char::is_whitespace).unwrap_or((after, ""));
    if !is_iso_date_or_time(date) {
        return (None, text);
    }
    let header = Header {
        date,
        title: title.trim(),
    };
    (Some(header), rest)
}

/// An ISO 8601 day, or a day and time with an optional zone, and nothing else.
fn is_iso_date_or_time(text: &str) -> bool {
    crate::timeline::byline::parse_iso_prefix(text).is_some_and(|(_, _, after)| {
        after.is_empty() || after.eq_ignore_ascii_case("z") || after.starts_with(['+', '-'])
    })
}

/// Split text into paragraphs: one per non-blank line, trimmed.
///
/// Extracted news text puts one paragraph on a line (the seeds do), and
/// blank-line separated text (many JSONL corpora) gives the same result.
/// Returns each paragraph with its 0-based line index in `text`.
pub fn paragraphs(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i, line.trim()))
        .filter(|(_, line)| !line.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_skip_blank_lines_and_keep_line_numbers() {
        let text = "First.\n\n  Second.  \r\n\nThird.";
        let got: Vec<_> = paragraphs(text).collect();
        assert_eq!(got, vec![(0, "First."), (2, "Second."), (4, "Third.")]);
    }

    #[test]
    fn header_gives_date_and_title() {
        let (header, rest) = split_header(" date 2024-11-03 North Korea vows\r\nBody.\n");
        let header = header.unwrap();
        assert_eq!(header.date, "2024-11-03");
        assert_eq!(header.title, "North Korea vows");
        assert_eq!(rest, "Body.\n");
    }

    #[test]
    fn header_may_lack_a_title_or_carry_a_time() {
        let (header, rest) = split_header(" date 2024-11-03\nBody.");
        assert_eq!(header.unwrap().title, "");
        assert_eq!(rest, "Body.");
        let (header, _) = split_header(" date 2024-06-10T18:00:00Z Election night\nBody.");
        let header = header.unwrap();
        assert_eq!(header.date, "2024-06-10T18:00:00Z");
        assert_eq!(header.title, "Election night");
    }

    #[test]
    fn lookalike_headers_stay_in_the_text() {
        for text in [
            "date 2024-11-03 No leading space\nBody",
            " date 2024-1-03 Short month\nBody",
            " date 2024-11-03X glued\nBody",
            " date 2024-13-45 Not a calendar date\nBody",
            " date yesterday\nBody",
        ] {
            assert_eq!(split_header(text), (None, text), "{text:?}");
        }
    }

    #[test]
    fn origin_names_file_and_record() {
        let whole = Origin {
            source: "a.txt".into(),
            record: 0,
        };
        let line = Origin {
            source: "b.jsonl".into(),
            record: 7,
        };
        assert_eq!(whole.to_string(), "a.txt");
        assert_eq!(line.to_string(), "b.jsonl:7");
    }
}
