//! [`DocumentReader`]: one stream of documents over many inputs of any
//! format, holding at most one file's text (Text), one line (JSONL) or one
//! record batch (Parquet) or one window of WARC pages (extracted in
//! parallel) at a time.

use std::collections::VecDeque;

use thresh_engine::Document;

use crate::error::{ReadError, ReadErrorKind};
use crate::format::{FieldNames, InputFormat};
use crate::input::Input;
use crate::jsonl::JsonlReader;
#[cfg(feature = "parquet")]
use crate::parquet_in::ParquetReader;
use crate::text;
use crate::warc::Skipped;
#[cfg(feature = "html")]
use crate::warc::{WarcDocuments, WarcReader};

/// Default [`ReadOptions::max_document_bytes`]: 64 MiB, far beyond any real
/// article, so hitting it means the input is not what it claims to be.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force one format for every input; `None` detects it per file from the
    /// extension (standard input is then text).
    pub format: Option<InputFormat>,
    pub fields: FieldNames,
    /// Documents whose text is longer than this are errors.
    pub max_document_bytes: u64,
    /// Leave a text file's ` date … Title` header line in its text (its
    /// date and title are read all the same), so that the text's line
    /// numbers are the file's: the timeline reports lines by number.
    pub keep_text_header: bool,
    /// Read HTML and WARC pages that carry a live blog's posts in their
    /// markup (JSON-LD, microdata, post blocks with `<time>`) as that live
    /// blog, one line per title, time, author, headline and paragraph,
    /// instead of extracting their main text: the timeline's reading.
    /// Pages without such markup are extracted as always.
    pub live_blog: bool,
    /// Keep each JSONL record as read (`Document::raw`), so that a kept
    /// document is written back with all its fields. A pass that only
    /// fingerprints turns it off and saves a copy of every record.
    pub keep_records: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            fields: FieldNames::default(),
            max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES,
            keep_text_header: false,
            live_blog: false,
            keep_records: true,
        }
    }
}

/// Streams the documents of all inputs, in order.
///
/// Yields `Err` for a record that cannot be read and continues with the next
/// record; an input that cannot be opened or decoded yields one `Err` and
/// the reader continues with the next input.
pub struct DocumentReader {
    inputs: VecDeque<Input>,
    options: ReadOptions,
    current: Option<Records>,
    skipped: Skipped,
}

/// The records of the input being read.
enum Records {
    /// A text file is one document, read when first asked for.
    Text(Option<Input>),
    Jsonl(JsonlReader),
    #[cfg(feature = "parquet")]
    Parquet(Box<ParquetReader>),
    #[cfg(feature = "html")]
    Warc(Box<WarcDocuments>),
    /// An HTML file is one document, read when first asked for.
    #[cfg(feature = "html")]
    Html(Option<Input>),
}

impl DocumentReader {
    pub fn new(inputs: Vec<Input>, options: ReadOptions) -> Self {
        DocumentReader {
            inputs: inputs.into(),
            options,
            current: None,
            skipped: Skipped::default(),
        }
    }

    /// Records read so far that were well-formed but are not documents
    /// (WARC requests, redirects, images, pages without article text),
    /// counted by reason. Damaged records are `Err` items instead.
    pub fn skipped(&self) -> &Skipped {
        &self.skipped
    }

    /// Up to `n` more items; fewer only at the end of the stream. Lets a
    /// caller process documents in parallel batches.
    pub fn next_batch(&mut self, n: usize) -> Vec<Result<Document, ReadError>> {
        self.by_ref().take(n).collect()
    }

    /// Starts reading `input`, or returns why it cannot be read.
    fn open(&self, input: Input) -> Result<Records, ReadError> {
        let options = &self.options;
        let format = options.format.unwrap_or_else(|| input.detected_format());
        match format {
            InputFormat::Text => Ok(Records::Text(Some(input))),
            InputFormat::Jsonl => {
                let reader = input.open().map_err(|e| {
                    ReadError::new(input.source(), 0, ReadErrorKind::Unreadable(e.to_string()))
                })?;
                Ok(Records::Jsonl(JsonlReader::new(
                    reader,
                    input.source(),
                    options.fields.clone(),
                    options.max_document_bytes,
                    options.keep_records,
                )))
            }
            #[cfg(feature = "parquet")]
            InputFormat::Parquet => {
                ParquetReader::open(&input, &options.fields, options.max_document_bytes)
                    .map(|reader| Records::Parquet(Box::new(reader)))
            }
            #[cfg(not(feature = "parquet"))]
            InputFormat::Parquet => Err(ReadError::new(
                input.source(),
                0,
                ReadErrorKind::Unreadable("this build of thresh cannot read Parquet".into()),
            )),
            #[cfg(feature = "html")]
            InputFormat::Warc => {
                let (raw, gzip) = input.open_raw().map_err(|e| {
                    ReadError::new(input.source(), 0, ReadErrorKind::Unreadable(e.to_string()))
                })?;
                // A file gzipped whole is read again as one stream; a pipe
                // cannot be.
                let reopen: Option<crate::warc::Reopen> = input.path().is_some().then(|| {
                    let input = input.clone();
                    Box::new(move || crate::warc::whole_stream(input.open_raw()?.0))
                        as crate::warc::Reopen
                });
                Ok(Records::Warc(Box::new(WarcDocuments::new(
                    WarcReader::new(
                        raw,
                        gzip,
                        input.source(),
                        options.max_document_bytes,
                        reopen,
                    ),
                    options.live_blog,
                ))))
            }
            #[cfg(feature = "html")]
            InputFormat::Html => Ok(Records::Html(Some(input))),
            #[cfg(not(feature = "html"))]
            InputFormat::Warc | InputFormat::Html => Err(ReadError::new(
                input.source(),
                0,
                ReadErrorKind::Unreadable("this build of thresh cannot read HTML".into()),
            )),
        }
    }
}

impl Iterator for DocumentReader {
    type Item = Result<Document, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let item = match &mut self.current {
                Some(Records::Text(input)) => input.take().map(|input| {
                    text::read_document(
                        &input,
                        self.options.max_document_bytes,
                        self.options.keep_text_header,
                    )
                }),
                Some(Records::Jsonl(records)) => records.next(),
                #[cfg(feature = "parquet")]
                Some(Records::Parquet(records)) => records.next(),
                #[cfg(feature = "html")]
                Some(Records::Warc(records)) => records.next(&mut self.skipped),
                #[cfg(feature = "html")]
                Some(Records::Html(input)) => input.take().map(|input| {
                    crate::html::read_document(
                        &input,
                        self.options.max_document_bytes,
                        self.options.live_blog,
                    )
                }),
                None => {
                    let input = self.inputs.pop_front()?;
                    match self.open(input) {
                        Ok(records) => self.current = Some(records),
                        Err(e) => return Some(Err(e)),
                    }
                    continue;
                }
            };
            match item {
                Some(item) => return Some(item),
                None => self.current = None,
            }
        }
    }
}
