//! Parquet output: kept documents as rows of `id, text, date, title, url,
//! source, extra`, where `extra` holds the original record's other fields as
//! a JSON object (null when there are none).
//!
//! Rows are buffered into Arrow builders and written a batch at a time.

use std::io::{self, BufWriter, Write};
use std::sync::Arc;

use arrow::array::{ArrayRef, RecordBatch, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use thresh_engine::Document;

use crate::format::FieldNames;
use crate::writer::object_without;

/// Flush a batch after this many rows or this many text bytes, whichever
/// comes first, so memory stays bounded for long articles.
const BATCH_ROWS: usize = 4096;
const BATCH_BYTES: usize = 32 * 1024 * 1024;

type Out = BufWriter<Box<dyn Write + Send>>;

pub(crate) struct ParquetSink {
    writer: ArrowWriter<Out>,
    schema: SchemaRef,
    /// Builders in schema order: id, text, date, title, url, source, extra.
    columns: [StringBuilder; 7],
    rows: usize,
    bytes: usize,
}

impl ParquetSink {
    pub(crate) fn new(out: Out, fields: &FieldNames) -> io::Result<Self> {
        let column = |name: &str, nullable| Field::new(name, DataType::Utf8, nullable);
        let schema = Arc::new(Schema::new(vec![
            column(&fields.id, false),
            column(&fields.text, false),
            column(&fields.date, true),
            column(&fields.title, true),
            column(&fields.url, true),
            column("source", false),
            column("extra", true),
        ]));
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .build();
        let writer =
            ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(io::Error::other)?;
        Ok(ParquetSink {
            writer,
            schema,
            columns: Default::default(),
            rows: 0,
            bytes: 0,
        })
    }

    pub(crate) fn push(
        &mut self,
        doc: &Document,
        new_text: Option<&str>,
        fields: &FieldNames,
    ) -> io::Result<()> {
        let text = new_text.unwrap_or(&doc.text);
        // The named fields have their own columns; keep only the rest.
        let named = [
            fields.id.as_str(),
            &fields.text,
            &fields.date,
            &fields.title,
            &fields.url,
        ];
        let extra = doc
            .raw
            .as_deref()
            .and_then(|raw| object_without(raw, &named));
        let values = [
            Some(doc.id.as_str()),
            Some(text),
            doc.date.as_deref(),
            doc.title.as_deref(),
            doc.url.as_deref(),
            Some(doc.origin.source.as_str()),
            extra.as_deref(),
        ];
        for (builder, value) in self.columns.iter_mut().zip(values) {
            builder.append_option(value);
            self.bytes += value.map_or(0, str::len);
        }
        self.rows += 1;
        if self.rows >= BATCH_ROWS || self.bytes >= BATCH_BYTES {
            self.flush_batch()?;
        }
        Ok(())
    }

    fn flush_batch(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self
            .columns
            .iter_mut()
            .map(|b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays).map_err(io::Error::other)?;
        self.writer.write(&batch).map_err(io::Error::other)?;
        self.rows = 0;
        self.bytes = 0;
        Ok(())
    }

    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.flush_batch()?;
        let mut out = self.writer.into_inner().map_err(io::Error::other)?;
        out.flush()
    }
}
