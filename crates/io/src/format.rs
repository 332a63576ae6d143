//! Formats and field names: what kind of file an input is, how it is
//! compressed, and which record fields hold the document's parts.

use std::path::Path;

/// Whether `text` starts with a line holding one JSON object (or one cut
/// off by the end of `text` that opens like one).
fn is_json_object_line(text: &[u8]) -> bool {
    match memchr::memchr(b'\n', text) {
        Some(end) => serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(
            text[..end].trim_ascii_end(),
        )
        .is_ok(),
        None => text.starts_with(b"{\"") || text.trim_ascii_end() == b"{}",
    }
}

/// How the records of an input are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum InputFormat {
    /// One document per file, with an optional ` date YYYY-MM-DD Title` line.
    #[cfg_attr(feature = "clap", value(alias = "txt"))]
    Text,
    /// One JSON object per line.
    #[cfg_attr(feature = "clap", value(aliases = ["json", "ndjson"]))]
    Jsonl,
    /// A Parquet table, one document per row.
    Parquet,
    /// A web archive: HTML response records become documents.
    Warc,
    /// One HTML page per file; its main text becomes the document.
    #[cfg_attr(feature = "clap", value(alias = "htm"))]
    Html,
}

impl InputFormat {
    /// The format the first bytes of a content show, for an input without
    /// a name (standard input): `PAR1` is Parquet, `WARC/` WARC, a first
    /// line that is a JSON object JSONL, a page's opening tag HTML, and
    /// anything else text. A first JSON line longer than `head` counts as
    /// JSONL when it opens like an object (`{"`).
    pub fn sniff(head: &[u8]) -> InputFormat {
        let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
        let start = text
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(text.len());
        let text = &text[start..];
        let opens = |prefix: &[u8]| {
            text.len() >= prefix.len() && text[..prefix.len()].eq_ignore_ascii_case(prefix)
        };
        if head.starts_with(b"PAR1") {
            InputFormat::Parquet
        } else if text.starts_with(b"WARC/") {
            InputFormat::Warc
        } else if text.starts_with(b"{") && is_json_object_line(text) {
            InputFormat::Jsonl
        } else if opens(b"<!doctype html") || opens(b"<html") {
            InputFormat::Html
        } else {
            InputFormat::Text
        }
    }

    /// The format a file name implies, looking past a `.gz`/`.zst` suffix:
    /// `.jsonl`/`.ndjson`/`.json` are JSONL, `.parquet` is Parquet, and
    /// `.warc` is WARC, `.html`/`.htm`/`.xhtml` is HTML, and anything
    /// else (`.txt`, `.text`, no extension) is text.
    pub fn from_path(path: &Path) -> InputFormat {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let stem = Compression::strip_suffix(&name);
        match stem.rsplit_once('.').map(|(_, ext)| ext) {
            Some("jsonl" | "ndjson" | "json") => InputFormat::Jsonl,
            Some("parquet") => InputFormat::Parquet,
            Some("warc") => InputFormat::Warc,
            Some("html" | "htm" | "xhtml") => InputFormat::Html,
            _ => InputFormat::Text,
        }
    }
}

impl std::str::FromStr for InputFormat {
    type Err = String;

    /// Parses `text`, `jsonl` (or `json`, `ndjson`), `parquet`, `warc` and
    /// `html`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(InputFormat::Text),
            "jsonl" | "json" | "ndjson" => Ok(InputFormat::Jsonl),
            "parquet" => Ok(InputFormat::Parquet),
            "warc" => Ok(InputFormat::Warc),
            "html" | "htm" => Ok(InputFormat::Html),
            _ => Err(format!(
                "unknown input format {s:?} (expected text, jsonl, parquet, warc or html)"
            )),
        }
    }
}

/// How kept documents are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum OutputFormat {
    #[default]
    Jsonl,
    Parquet,
}

impl OutputFormat {
    /// `.parquet` means Parquet; everything else (including `-`) is JSONL.
    pub fn from_path(path: &Path) -> OutputFormat {
        if InputFormat::from_path(path) == InputFormat::Parquet {
            OutputFormat::Parquet
        } else {
            OutputFormat::Jsonl
        }
    }
}

impl std::str::FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "jsonl" | "json" | "ndjson" => Ok(OutputFormat::Jsonl),
            "parquet" => Ok(OutputFormat::Parquet),
            _ => Err(format!(
                "unknown output format {s:?} (expected jsonl or parquet)"
            )),
        }
    }
}

/// A whole-stream compression, chosen by file extension (or, for standard
/// input, by the stream's magic bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub(crate) fn from_path(path: &Path) -> Compression {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if name.ends_with(".gz") {
            Compression::Gzip
        } else if name.ends_with(".zst") {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// Recognises the gzip and zstd magic numbers. Neither can start valid
    /// UTF-8 text, so sniffing never misreads a plain text stream.
    pub(crate) fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    fn strip_suffix(name: &str) -> &str {
        name.strip_suffix(".gz")
            .or_else(|| name.strip_suffix(".zst"))
            .unwrap_or(name)
    }
}

/// Which record fields (JSONL keys, Parquet columns) hold the document's
/// parts. Only `text` is required in the input, except that a JSONL record
/// without it may carry the raw page in `html` instead (with the `html`
/// feature): its article is extracted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldNames {
    pub id: String,
    pub text: String,
    pub date: String,
    pub url: String,
    pub title: String,
    pub html: String,
}

impl Default for FieldNames {
    fn default() -> Self {
        FieldNames {
            id: "id".into(),
            text: "text".into(),
            date: "date".into(),
            url: "url".into(),
            title: "title".into(),
            html: "html".into(),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn content_tells_the_format_of_a_nameless_input() {
        let cases: [(&[u8], InputFormat); 9] = [
            (b"PAR1\x15\x04", InputFormat::Parquet),
            (b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", InputFormat::Warc),
            (
                b"\xef\xbb\xbf{\"id\": \"a\", \"text\": \"b\"}\n{}\n",
                InputFormat::Jsonl,
            ),
            (
                b"  {\"id\": \"a\", \"text\": \"a record cut off by the he",
                InputFormat::Jsonl,
            ),
            (b"<!DOCTYPE html>\n<html>", InputFormat::Html),
            (b"\n<HTML lang=en>", InputFormat::Html),
            (b"{not json}\nsecond line\n", InputFormat::Text),
            (b" date 2024-11-01 Title\nText.\n", InputFormat::Text),
            (b"", InputFormat::Text),
        ];
        for (head, format) in cases {
            assert_eq!(
                InputFormat::sniff(head),
                format,
                "{:?}",
                String::from_utf8_lossy(head)
            );
        }
    }

    use super::*;

    #[test]
    fn format_follows_extension_past_compression() {
        let cases = [
            ("a.txt", InputFormat::Text),
            ("a.text.gz", InputFormat::Text),
            ("README", InputFormat::Text),
            ("page.html.gz", InputFormat::Html),
            ("page.HTM", InputFormat::Html),
            ("crawl.warc.gz", InputFormat::Warc),
            ("crawl.warc", InputFormat::Warc),
            ("notes.warc.txt", InputFormat::Text),
            ("a.jsonl", InputFormat::Jsonl),
            ("a.NDJSON.zst", InputFormat::Jsonl),
            ("dir/a.json.gz", InputFormat::Jsonl),
            ("a.parquet", InputFormat::Parquet),
            ("-", InputFormat::Text),
        ];
        for (path, want) in cases {
            assert_eq!(InputFormat::from_path(Path::new(path)), want, "{path}");
        }
    }

    #[test]
    fn compression_by_extension_and_magic() {
        assert_eq!(
            Compression::from_path(Path::new("x.jsonl.gz")),
            Compression::Gzip
        );
        assert_eq!(
            Compression::from_path(Path::new("x.zst")),
            Compression::Zstd
        );
        assert_eq!(
            Compression::from_path(Path::new("x.txt")),
            Compression::None
        );
        assert_eq!(Compression::sniff(&[0x1f, 0x8b, 8]), Compression::Gzip);
        assert_eq!(Compression::sniff(b"{\"id\":1}"), Compression::None);
    }

    #[test]
    fn formats_parse_from_names() {
        assert_eq!("JSONL".parse::<InputFormat>(), Ok(InputFormat::Jsonl));
        assert!("csv".parse::<InputFormat>().is_err());
        assert_eq!("parquet".parse::<OutputFormat>(), Ok(OutputFormat::Parquet));
        assert_eq!(
            OutputFormat::from_path(Path::new("out.jsonl")),
            OutputFormat::Jsonl
        );
    }
}
