//! WARC input (WARC/1.0 and 1.1, as crawlers and Common Crawl write it):
//! plain, or gzip with one member per record (`.warc.gz`). A file gzipped
//! whole (`gzip crawl.warc`: one member, many records) is read again as one
//! decompressed stream, with offsets in decompressed bytes; from a pipe,
//! which cannot be read twice, it is an error. A member of several records
//! amid single-record members is reported as damaged. Neither is ever read
//! in part without a word.
//!
//! Only `response` records whose HTTP payload is a 2xx HTML page become
//! documents (text extracted by [`crate::html`]); the URL is the record's
//! `WARC-Target-URI`, the date its `WARC-Date`, the id its `WARC-Record-ID`.
//!
//! Two kinds of records are not documents, and they are told apart:
//! - records that are fine but not pages (`warcinfo`, `request`, `metadata`,
//!   `revisit`, redirects, images, pages without main text) are *skipped*:
//!   counted by reason in [`Skipped`], never errors, since every crawl is
//!   full of them;
//! - damaged records (a truncated or corrupt gzip member, a malformed
//!   header, a wrong `Content-Length`, a binary payload declared as HTML, a
//!   page over the size limit) are [`ReadError`]s whose `origin.record` is
//!   the record's byte offset in the file (for `.warc.gz`, the offset of its
//!   gzip member, as CDX indexes give it). The reader then resynchronises on
//!   the next record (the next gzip member, or the next `WARC/` line).
//!
//! The parser is hand-written: the `warc` crate reads well-formed files but
//! stops at the first damaged record and gives no member offsets, and the
//! format needs only a few hundred lines.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::GzDecoder;
#[cfg(feature = "html")]
use rayon::prelude::*;
#[cfg(feature = "html")]
use thresh_engine::Document;

use crate::error::{ReadError, ReadErrorKind};

/// Longest WARC or HTTP header block accepted.
const MAX_HEADER_BYTES: usize = 64 * 1024;
/// A corrupt gzip member is re-scanned from its start for the next member
/// only when it is at most this large (compressed); beyond, scanning goes
/// on from where decoding failed.
const MAX_REWIND_BYTES: usize = 16 * 1024 * 1024;

/// Records that were read fine but are not documents, counted by reason.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Skipped {
    counts: BTreeMap<&'static str, u64>,
}

impl Skipped {
    /// Every record skipped.
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    /// The count for one reason (0 when none).
    pub fn get(&self, reason: &str) -> u64 {
        self.counts.get(reason).copied().unwrap_or(0)
    }

    /// (reason, count) pairs in reason order. Reasons: `warc-type` (not a
    /// `response` record), `http-status` (not 2xx), `not-html` (another
    /// content type), `content-encoding` (a compression thresh cannot
    /// undo), `no-main-text` (an HTML page without article text).
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        self.counts.iter().map(|(k, v)| (*k, *v))
    }

    pub(crate) fn add(&mut self, reason: &'static str) {
        *self.counts.entry(reason).or_default() += 1;
    }
}

/// A record's header and (for the records we keep) block.
#[derive(Debug, Default)]
struct Record {
    offset: u64,
    warc_type: String,
    target_uri: Option<String>,
    date: Option<String>,
    record_id: Option<String>,
    block: Vec<u8>,
}

/// Why reading one record failed.
enum Failure {
    /// The record is damaged; report it and resynchronise.
    Bad(u64, ReadErrorKind),
    /// A read of the underlying stream failed (for `.warc.gz`: the gzip
    /// member is corrupt or truncated).
    Io(io::Error),
    /// The file itself cannot be read any further.
    Fatal(io::Error),
    /// The gzip member at the file's start holds more than one record: the
    /// file was gzipped whole (`gzip crawl.warc`), not record by record.
    WholeFileMember,
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Io(e)
    }
}

/// What one attempt to read a record produced.
enum Step {
    Record(Record),
    /// A record that is not wanted, already counted, its block skipped.
    Skipped(&'static str),
    /// The stream (or gzip member) ended cleanly.
    End,
}

/// The raw (compressed) stream: counts consumed bytes, can push bytes back
/// in front, and can record what is consumed so that a failed gzip member
/// can be re-scanned.
struct Source {
    inner: Box<dyn BufRead + Send>,
    pushback: Vec<u8>,
    pushback_pos: usize,
    position: u64,
    tee: Option<Vec<u8>>,
}

impl Source {
    fn new(inner: Box<dyn BufRead + Send>) -> Self {
        Source {
            inner,
            pushback: Vec::new(),
            pushback_pos: 0,
            position: 0,
            tee: None,
        }
    }

    /// Puts `bytes`, which started at `position`, back in front of the
    /// stream.
    fn unread(&mut self, bytes: &[u8], position: u64) {
        let mut joined = bytes.to_vec();
        joined.extend_from_slice(&self.pushback[self.pushback_pos..]);
        self.pushback = joined;
        self.pushback_pos = 0;
        self.position = position;
    }
}

impl Read for Source {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Source {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pushback_pos < self.pushback.len() {
            Ok(&self.pushback[self.pushback_pos..])
        } else {
            self.inner.fill_buf()
        }
    }

    fn consume(&mut self, n: usize) {
        if self.pushback_pos < self.pushback.len() {
            let n = n.min(self.pushback.len() - self.pushback_pos);
            if let Some(tee) = &mut self.tee {
                tee.extend_from_slice(&self.pushback[self.pushback_pos..self.pushback_pos + n]);
            }
            self.pushback_pos += n;
            if self.pushback_pos == self.pushback.len() {
                self.pushback.clear();
                self.pushback_pos = 0;
            }
            self.position += n as u64;
            return;
        }
        if let Some(tee) = &mut self.tee {
            if tee.len() + n > MAX_REWIND_BYTES {
                self.tee = None;
            } else if let Ok(buf) = self.inner.fill_buf() {
                tee.extend_from_slice(&buf[..n.min(buf.len())]);
            }
        }
        self.inner.consume(n);
        self.position += n as u64;
    }
}

/// Counts the bytes consumed from a `BufRead` (record offsets in plain WARC).
struct Counted<R> {
    inner: R,
    position: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.position += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, n: usize) {
        self.inner.consume(n);
        self.position += n as u64;
    }
}

/// The layout of the file.
enum Layout {
    /// Uncompressed (or whole-stream decompressed) records, back to back.
    Plain {
        reader: Counted<Box<dyn BufRead + Send>>,
        /// After a damaged record: skip to the next `WARC/` line.
        resync: bool,
    },
    /// One gzip member per record.
    Gzip {
        source: Source,
        /// After a corrupt member: scan for the next member, silently.
        resync: bool,
    },
}

/// The records of gzip bytes as one decompressed stream (every member).
pub(crate) fn whole_stream(gzip: Box<dyn BufRead + Send>) -> io::Result<Box<dyn BufRead + Send>> {
    Ok(Box::new(BufReader::new(
        flate2::bufread::MultiGzDecoder::new(gzip),
    )))
}

/// Opens the input again as one decompressed stream.
pub(crate) type Reopen = Box<dyn FnOnce() -> io::Result<Box<dyn BufRead + Send>> + Send>;

/// Streams the HTML pages of one WARC input as records; the caller turns
/// them into documents.
pub(crate) struct WarcReader {
    layout: Layout,
    source_name: String,
    max_bytes: u64,
    done: bool,
    /// For a file gzipped whole: read it again as one stream (`None` when
    /// the input cannot be read twice, such as a pipe).
    reopen: Option<Reopen>,
}

/// A kept record, ready for extraction.
pub(crate) struct Page {
    pub(crate) offset: u64,
    pub(crate) url: Option<String>,
    pub(crate) date: Option<String>,
    pub(crate) record_id: Option<String>,
    /// The HTTP payload, de-chunked and decompressed.
    pub(crate) body: Vec<u8>,
    /// The HTTP `Content-Type`, for its charset.
    pub(crate) content_type: Option<String>,
}

impl WarcReader {
    /// `raw` is the file's bytes as stored; `gzip` whether they are gzip
    /// members (otherwise they are plain records, already decompressed if
    /// the file had a whole-stream compression). `reopen` reads a file
    /// gzipped whole again as one decompressed stream.
    pub(crate) fn new(
        raw: Box<dyn BufRead + Send>,
        gzip: bool,
        source_name: &str,
        max_bytes: u64,
        reopen: Option<Reopen>,
    ) -> Self {
        let layout = if gzip {
            Layout::Gzip {
                source: Source::new(raw),
                resync: false,
            }
        } else {
            Layout::Plain {
                reader: Counted {
                    inner: raw,
                    position: 0,
                },
                resync: false,
            }
        };
        WarcReader {
            layout,
            source_name: source_name.to_string(),
            max_bytes,
            done: false,
            reopen,
        }
    }

    pub(crate) fn source(&self) -> &str {
        &self.source_name
    }

    /// Starts over on a file gzipped whole: its records are read from one
    /// decompressed stream (offsets are then in decompressed bytes). An
    /// input that cannot be read twice is an error, not a partial read.
    fn read_as_one_stream(&mut self) -> Result<(), ReadError> {
        let Some(reopen) = self.reopen.take() else {
            return Err(self.error(
                0,
                ReadErrorKind::MalformedWarc(
                    "the file is gzipped whole, not record by record, and cannot be read \
                     twice from a pipe: decompress it first (gunzip) or give it as a file"
                        .into(),
                ),
            ));
        };
        let reader =
            reopen().map_err(|e| self.error(0, ReadErrorKind::Unreadable(e.to_string())))?;
        self.layout = Layout::Plain {
            reader: Counted {
                inner: reader,
                position: 0,
            },
            resync: false,
        };
        Ok(())
    }

    fn error(&self, offset: u64, kind: ReadErrorKind) -> ReadError {
        ReadError::new(&self.source_name, offset, kind)
    }

    /// The next page, or the next damaged record; `None` at the end.
    /// Records that are not pages are counted in `skipped`.
    pub(crate) fn next_page(&mut self, skipped: &mut Skipped) -> Option<Result<Page, ReadError>> {
        while !self.done {
            let max_bytes = self.max_bytes;
            let step = match &mut self.layout {
                Layout::Plain { reader, resync } => {
                    let offset = reader.position;
                    let outcome = plain_step(reader, resync, max_bytes);
                    match outcome {
                        Ok(step) => Ok(step),
                        Err(Failure::Bad(at, kind)) => {
                            *resync = true;
                            Err(self.error(at, kind))
                        }
                        Err(Failure::Io(e) | Failure::Fatal(e)) => {
                            self.done = true;
                            Err(self.error(offset, ReadErrorKind::Unreadable(e.to_string())))
                        }
                        Err(Failure::WholeFileMember) => {
                            // Plain records have no gzip members.
                            self.done = true;
                            Err(self.error(
                                offset,
                                ReadErrorKind::CorruptGzip("unexpected gzip member".into()),
                            ))
                        }
                    }
                }
                Layout::Gzip { source, resync } => {
                    let offset = source.position;
                    match gzip_step(source, resync, max_bytes) {
                        Ok(step) => Ok(step),
                        Err(Failure::Bad(_, kind)) => Err(self.error(offset, kind)),
                        Err(Failure::Io(e)) => {
                            Err(self.error(offset, ReadErrorKind::CorruptGzip(e.to_string())))
                        }
                        Err(Failure::Fatal(e)) => {
                            self.done = true;
                            Err(self.error(offset, ReadErrorKind::Unreadable(e.to_string())))
                        }
                        Err(Failure::WholeFileMember) => match self.read_as_one_stream() {
                            Ok(()) => continue,
                            Err(e) => {
                                self.done = true;
                                Err(e)
                            }
                        },
                    }
                }
            };
            match step {
                Ok(Step::End) => self.done = true,
                Ok(Step::Skipped(reason)) => skipped.add(reason),
                Ok(Step::Record(record)) => match to_page(record, max_bytes) {
                    Ok(Ok(page)) => return Some(Ok(page)),
                    Ok(Err(reason)) => skipped.add(reason),
                    Err((offset, kind)) => return Some(Err(self.error(offset, kind))),
                },
                Err(e) => return Some(Err(e)),
            }
        }
        None
    }
}

/// One record of a plain WARC stream.
fn plain_step(
    reader: &mut Counted<Box<dyn BufRead + Send>>,
    resync: &mut bool,
    max_bytes: u64,
) -> Result<Step, Failure> {
    if *resync {
        // Skip to the next line that starts a record.
        loop {
            let buf = reader.fill_buf()?;
            if buf.is_empty() {
                return Ok(Step::End);
            }
            if buf.starts_with(b"WARC/") {
                break;
            }
            let mut line = Vec::new();
            read_line_limited(reader, &mut line, MAX_HEADER_BYTES)?;
        }
        *resync = false;
    }
    read_record(reader, max_bytes, |r| r.position)
}

/// The rest of the current gzip member, or the next member.
fn gzip_step(source: &mut Source, resync: &mut bool, max_bytes: u64) -> Result<Step, Failure> {
    loop {
        // Find where the member starts.
        let buf = source.fill_buf().map_err(Failure::Fatal)?;
        if buf.is_empty() {
            return Ok(Step::End);
        }
        if *resync {
            match memchr::memchr(0x1f, buf) {
                Some(i) => source.consume(i),
                None => {
                    let n = buf.len();
                    source.consume(n);
                    continue;
                }
            }
        } else if !buf.starts_with(&[0x1f]) {
            *resync = true;
            return Err(Failure::Bad(
                source.position,
                ReadErrorKind::CorruptGzip("not a gzip member".into()),
            ));
        }
        let start = source.position;
        source.tee = Some(Vec::new());
        let outcome = read_member(source, max_bytes);
        let tee = source.tee.take();
        match outcome {
            Ok(step) => {
                *resync = false;
                return Ok(step);
            }
            Err(failure @ Failure::Bad(..)) => {
                // The member decoded; its record is damaged. The source is
                // at the next member already.
                *resync = false;
                return Err(failure);
            }
            Err(failure) => {
                // Look for the next member from just after this one's start,
                // within the bytes the failed attempt consumed.
                match tee {
                    Some(tee) if tee.len() > 1 => source.unread(&tee[1..], start + 1),
                    // Nothing to re-scan: make sure the next attempt starts
                    // at least one byte further on.
                    _ if source.position == start => {
                        if source.fill_buf().map_err(Failure::Fatal)?.is_empty() {
                            return Ok(Step::End);
                        }
                        source.consume(1);
                    }
                    _ => {}
                }
                let was_resyncing = *resync;
                *resync = true;
                if !was_resyncing {
                    return Err(failure);
                }
            }
        }
    }
}

/// Reads one gzip member holding one record. Reads the member to its end
/// so that its checksum is verified and the source is left at the next
/// member. A member holding more than one record is not the layout WARC
/// writers use: at the file's start it is a file gzipped whole (read again
/// as one stream); elsewhere the member is reported as damaged, never read
/// in part without a word.
fn read_member(source: &mut Source, max_bytes: u64) -> Result<Step, Failure> {
    let start = source.position;
    let mut member = BufReader::new(GzDecoder::new(&mut *source));
    let mut counted = Counted {
        inner: &mut member,
        position: 0,
    };
    let first = read_record(&mut counted, max_bytes, |_| start);
    // Trailing blank lines, or a further record.
    // (A damaged record may leave its own bytes unread.)
    let more = match &first {
        Ok(Step::Record(_) | Step::Skipped(_)) => {
            more_than_blank_lines(&mut counted).map_err(Failure::Io)?
        }
        _ => false,
    };
    if more && start == 0 {
        return Err(Failure::WholeFileMember);
    }
    let drained = io::copy(&mut counted, &mut io::sink());
    match (first, drained) {
        (Err(Failure::Io(e)), _) | (_, Err(e)) => Err(Failure::Io(e)),
        (_, Ok(_)) if more => Err(Failure::Bad(
            start,
            ReadErrorKind::MalformedWarc(
                "this gzip member holds more than one record; none of them was read".into(),
            ),
        )),
        (first, Ok(_)) => first,
    }
}

/// Skips blank lines; whether anything else follows.
fn more_than_blank_lines<R: BufRead>(reader: &mut R) -> io::Result<bool> {
    loop {
        let buf = reader.fill_buf()?;
        let Some(&byte) = buf.first() else {
            return Ok(false);
        };
        if !matches!(byte, b'\r' | b'\n') {
            return Ok(true);
        }
        reader.consume(1);
    }
}

/// Reads one record from a stream positioned at it (or at the blank lines
/// before it). `offset_of` gives the record offset to report.
fn read_record<R: BufRead>(
    reader: &mut R,
    max_bytes: u64,
    offset_of: impl Fn(&R) -> u64,
) -> Result<Step, Failure> {
    // Blank lines between records.
    let mut line = Vec::new();
    let offset = loop {
        let at = offset_of(reader);
        line.clear();
        if read_line_limited(reader, &mut line, MAX_HEADER_BYTES)? == 0 {
            return Ok(Step::End);
        }
        if !trim_eol(&line).is_empty() {
            break at;
        }
    };
    let bad = |kind| Err(Failure::Bad(offset, kind));
    if !line.starts_with(b"WARC/") {
        return bad(ReadErrorKind::MalformedWarc(
            "expected a WARC/ version line".into(),
        ));
    }
    if !line.ends_with(b"\n") {
        return bad(ReadErrorKind::MalformedWarc("header line too long".into()));
    }

    let mut record = Record {
        offset,
        ..Record::default()
    };
    let mut content_length = None;
    let mut header_bytes = line.len();
    loop {
        line.clear();
        let n = read_line_limited(reader, &mut line, MAX_HEADER_BYTES)?;
        header_bytes += n;
        if n == 0 {
            return bad(ReadErrorKind::MalformedWarc(
                "header ends before its blank line".into(),
            ));
        }
        if header_bytes > MAX_HEADER_BYTES || !line.ends_with(b"\n") {
            return bad(ReadErrorKind::MalformedWarc("header too long".into()));
        }
        let text = trim_eol(&line);
        if text.is_empty() {
            break;
        }
        let Ok(text) = std::str::from_utf8(text) else {
            return bad(ReadErrorKind::MalformedWarc("header is not UTF-8".into()));
        };
        // Folded continuation lines carry nothing thresh reads.
        if text.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, value)) = text.split_once(':') else {
            return bad(ReadErrorKind::MalformedWarc(format!(
                "header line without a colon: {:?}",
                truncate(text, 60)
            )));
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => match value.parse::<u64>() {
                Ok(n) => content_length = Some(n),
                Err(_) => {
                    return bad(ReadErrorKind::MalformedWarc(format!(
                        "Content-Length {:?} is not a number",
                        truncate(value, 30)
                    )))
                }
            },
            "warc-type" => record.warc_type = value.to_ascii_lowercase(),
            "warc-target-uri" => {
                // WARC/1.0 writers sometimes wrap the URI in <>.
                let uri = value.trim_start_matches('<').trim_end_matches('>');
                record.target_uri = Some(uri.to_string());
            }
            "warc-date" => record.date = Some(value.to_string()),
            "warc-record-id" => {
                let id = value.trim_start_matches('<').trim_end_matches('>');
                record.record_id = Some(id.to_string());
            }
            _ => {}
        }
    }
    let Some(length) = content_length else {
        return bad(ReadErrorKind::MalformedWarc("no Content-Length".into()));
    };

    // The HTTP head adds to the page; allow for it.
    let limit = max_bytes.saturating_add(MAX_HEADER_BYTES as u64);
    let wanted = record.warc_type == "response";
    if !wanted || length > limit {
        let skipped = io::copy(&mut (&mut *reader).take(length), &mut io::sink())?;
        if skipped < length {
            return bad(ReadErrorKind::WrongLength { declared: length });
        }
        check_trailer(reader, offset, length)?;
        if wanted {
            return bad(ReadErrorKind::TooLarge { limit: max_bytes });
        }
        return Ok(Step::Skipped("warc-type"));
    }
    let mut block = Vec::new();
    (&mut *reader).take(length).read_to_end(&mut block)?;
    if (block.len() as u64) < length {
        return bad(ReadErrorKind::WrongLength { declared: length });
    }
    check_trailer(reader, offset, length)?;
    record.block = block;
    Ok(Step::Record(record))
}

/// A record ends with two line breaks; anything else means the declared
/// length was wrong.
fn check_trailer(reader: &mut impl BufRead, offset: u64, length: u64) -> Result<(), Failure> {
    let mut seen = 0;
    while seen < 2 {
        let buf = reader.fill_buf()?;
        match buf.first() {
            None => break, // a last record without (all of) its trailer
            Some(b'\r') => reader.consume(1),
            Some(b'\n') => {
                reader.consume(1);
                seen += 1;
            }
            _ => {
                return Err(Failure::Bad(
                    offset,
                    ReadErrorKind::WrongLength { declared: length },
                ))
            }
        }
    }
    Ok(())
}

/// `read_until(b'\n')` that stops after `limit` bytes.
fn read_line_limited(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    limit: usize,
) -> io::Result<usize> {
    (&mut *reader).take(limit as u64).read_until(b'\n', line)
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Checks a response record's HTTP head and payload: the page, a reason to
/// skip the record, or why it is damaged.
#[allow(clippy::type_complexity)]
fn to_page(
    record: Record,
    max_bytes: u64,
) -> Result<Result<Page, &'static str>, (u64, ReadErrorKind)> {
    let offset = record.offset;
    let bad = |msg: &str| Err((offset, ReadErrorKind::MalformedWarc(msg.to_string())));
    let block = &record.block;
    let Some(head_end) = find_head_end(block) else {
        return bad("response block has no complete HTTP head");
    };
    let head = String::from_utf8_lossy(&block[..head_end.0]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    if !status_line.starts_with("HTTP/") {
        return bad("response block is not an HTTP response");
    }
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok());
    let Some(status) = status else {
        return bad("HTTP status line without a status code");
    };
    if !(200..300).contains(&status) {
        return Ok(Err("http-status"));
    }
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = None;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = Some(value.to_string()),
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "content-encoding" => encoding = Some(value.to_ascii_lowercase()),
            _ => {}
        }
    }
    let mut body = block[head_end.1..].to_vec();
    if chunked {
        // Some archivers store the payload de-chunked but keep the header.
        if let Some(plain) = dechunk(&body) {
            body = plain;
        }
    }
    match encoding.as_deref() {
        None | Some("identity") | Some("") => {}
        Some("gzip" | "x-gzip" | "deflate") => {
            if !looks_like_html(&body) {
                match inflate(&body, encoding.as_deref() == Some("deflate"), max_bytes) {
                    Some(Ok(plain)) => body = plain,
                    Some(Err(())) => {
                        return Err((offset, ReadErrorKind::TooLarge { limit: max_bytes }))
                    }
                    None => return bad("payload does not decompress"),
                }
            }
        }
        Some(_) => return Ok(Err("content-encoding")),
    }
    let is_html = match &content_type {
        Some(ct) => {
            let ct = ct.to_ascii_lowercase();
            ct.contains("html")
        }
        None => looks_like_html(&body),
    };
    if !is_html {
        return Ok(Err("not-html"));
    }
    if body.len() as u64 > max_bytes {
        return Err((offset, ReadErrorKind::TooLarge { limit: max_bytes }));
    }
    if is_binary(&body) {
        return Err((offset, ReadErrorKind::Binary));
    }
    Ok(Ok(Page {
        offset,
        url: record.target_uri,
        date: record.date,
        record_id: record.record_id,
        body,
        content_type,
    }))
}

/// (end of the HTTP head, start of the body).
fn find_head_end(block: &[u8]) -> Option<(usize, usize)> {
    let window = &block[..block.len().min(MAX_HEADER_BYTES)];
    let crlf = memchr::memmem::find(window, b"\r\n\r\n").map(|i| (i, i + 4));
    let lf = memchr::memmem::find(window, b"\n\n").map(|i| (i, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// Undoes HTTP chunked transfer encoding; `None` if `body` is not chunked.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let eol = memchr::memchr(b'\n', rest)?;
        let size_line = std::str::from_utf8(&rest[..eol]).ok()?;
        let size_hex = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        rest = &rest[eol + 1..];
        if size == 0 {
            return Some(out);
        }
        if rest.len() < size {
            return None;
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size..];
        rest = rest.strip_prefix(b"\r").unwrap_or(rest);
        rest = rest.strip_prefix(b"\n").unwrap_or(rest);
    }
}

/// Decompresses a gzip or zlib/deflate payload: `None` if it is not one,
/// `Some(Err)` if it is larger than `max_bytes`.
fn inflate(body: &[u8], deflate: bool, max_bytes: u64) -> Option<Result<Vec<u8>, ()>> {
    let mut out = Vec::new();
    let limit = max_bytes.saturating_add(1);
    let result = if deflate {
        let zlib = flate2::read::ZlibDecoder::new(body)
            .take(limit)
            .read_to_end(&mut out);
        match zlib {
            Ok(n) => Ok(n),
            Err(_) => {
                out.clear();
                flate2::read::DeflateDecoder::new(body)
                    .take(limit)
                    .read_to_end(&mut out)
            }
        }
    } else {
        flate2::read::MultiGzDecoder::new(body)
            .take(limit)
            .read_to_end(&mut out)
    };
    match result {
        Ok(n) if n as u64 > max_bytes => Some(Err(())),
        Ok(_) => Some(Ok(out)),
        Err(_) => None,
    }
}

/// A payload that starts like an HTML document.
fn looks_like_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let head = head[start..].to_ascii_lowercase();
    head.starts_with(b"<!doctype html")
        || head.starts_with(b"<html")
        || head.starts_with(b"<head")
        || head.starts_with(b"<!--")
        || head.starts_with(b"<meta")
        || head.starts_with(b"<title")
}

/// Binary data declared as HTML: NUL bytes in the first KiB (UTF-16 pages,
/// which have them, start with a byte-order mark).
pub(crate) fn is_binary(body: &[u8]) -> bool {
    if body.starts_with(&[0xFF, 0xFE]) || body.starts_with(&[0xFE, 0xFF]) {
        return false;
    }
    let head = &body[..body.len().min(1024)];
    memchr::memchr(0, head).is_some()
}

/// At most this many pages, and about this many bytes of them, are read
/// ahead and extracted together.
#[cfg(feature = "html")]
const WINDOW_PAGES: usize = 64;
#[cfg(feature = "html")]
const WINDOW_BYTES: usize = 64 << 20;

/// The documents of a WARC file, extracted in parallel.
///
/// Extraction costs far more than reading (tens of milliseconds a page
/// against microseconds to inflate its gzip member), so pages are read
/// ahead into a window and extracted on all cores; the documents are then
/// yielded in record order, so the output does not depend on the number of
/// threads. Memory is bounded by the window.
#[cfg(feature = "html")]
pub(crate) struct WarcDocuments {
    reader: WarcReader,
    /// Read live blogs from their markup (see [`crate::html::extract_page`]).
    live_blog: bool,
    ready: std::collections::VecDeque<Result<Document, ReadError>>,
    exhausted: bool,
}

#[cfg(feature = "html")]
impl WarcDocuments {
    pub(crate) fn new(reader: WarcReader, live_blog: bool) -> Self {
        WarcDocuments {
            reader,
            live_blog,
            ready: Default::default(),
            exhausted: false,
        }
    }

    /// The next document or damaged record; records that hold no document
    /// are counted in `skipped`.
    pub(crate) fn next(&mut self, skipped: &mut Skipped) -> Option<Result<Document, ReadError>> {
        // A window may hold only skipped records: read on until one yields.
        while self.ready.is_empty() && !self.exhausted {
            self.fill(skipped);
        }
        self.ready.pop_front()
    }

    fn fill(&mut self, skipped: &mut Skipped) {
        let mut window = Vec::new();
        let mut bytes = 0;
        while window.len() < WINDOW_PAGES && bytes < WINDOW_BYTES {
            let Some(item) = self.reader.next_page(skipped) else {
                self.exhausted = true;
                break;
            };
            if let Ok(page) = &item {
                bytes += page.body.len();
            }
            window.push(item);
        }
        let source = self.reader.source();
        let live_blog = self.live_blog;
        let extracted: Vec<_> = window
            .into_par_iter()
            .map(|item| item.and_then(|page| page_to_document(page, source, live_blog)))
            .collect();
        for item in extracted {
            match item {
                Ok(Ok(doc)) => self.ready.push_back(Ok(doc)),
                Ok(Err(reason)) => skipped.add(reason),
                Err(error) => self.ready.push_back(Err(error)),
            }
        }
    }
}

#[cfg(feature = "html")]
/// Turns a page into a document with `extract_page`, or a skip reason.
pub(crate) fn page_to_document(
    page: Page,
    source: &str,
    live_blog: bool,
) -> Result<Result<Document, &'static str>, ReadError> {
    let html = crate::html::decode(
        &page.body,
        page.content_type.as_deref(),
        page.url.as_deref(),
    );
    crate::html::check_page(&html).map_err(|kind| ReadError::new(source, page.offset, kind))?;
    let extracted = crate::html::extract_page(&html, page.url.as_deref(), live_blog);
    if extracted.text.trim().is_empty() {
        return Ok(Err("no-main-text"));
    }
    let id = page
        .record_id
        .clone()
        .unwrap_or_else(|| format!("{source}@{}", page.offset));
    // A live blog's clock-only post times ("21:52") are on the page's own
    // clock: its capture time must be read on that clock too, or a post
    // written after midnight UTC but before midnight on the page's clock
    // is dated a day early.
    let date = match (live_blog, &extracted.published) {
        (true, Some(page_date)) => page
            .date
            .map(|capture| crate::html::on_clock_of(&capture, page_date).unwrap_or(capture)),
        _ => page.date,
    };
    Ok(Ok(extracted.into_document(
        id,
        page.url,
        date,
        source,
        page.offset,
    )))
}

#[cfg(test)]
pub(crate) mod tests;
