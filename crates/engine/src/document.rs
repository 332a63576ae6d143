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
