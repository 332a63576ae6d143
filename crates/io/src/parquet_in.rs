//! Parquet input: one document per row, read a record batch at a time.
//!
//! The columns named by [`FieldNames`] fill the document; every top-level
//! column (those included) is also written into `raw` as a JSON object, so
//! a JSONL writer can emit the row as a complete record: scalars as JSON
//! numbers, booleans and strings, nested columns (lists, structs, maps) as
//! the JSON arrays and objects they hold. Nothing of a row is dropped.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::panic::{catch_unwind, AssertUnwindSafe};

use arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Schema};
use arrow::util::display::{ArrayFormatter, FormatOptions};
use bytes::Bytes;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use parquet::file::metadata::ParquetMetaData;
use parquet::file::reader::{ChunkReader, Length};
use serde_json::value::RawValue;
use thresh_engine::{Document, Origin};

use crate::error::{ReadError, ReadErrorKind};
use crate::format::FieldNames;
use crate::input::Input;

/// Rows per record batch: enough to amortise decoding, few enough that a
/// batch of long articles stays small.
const BATCH_ROWS: usize = 1024;

/// Streams the documents of one Parquet file.
pub(crate) struct ParquetReader {
    batches: ParquetRecordBatchReader,
    source: String,
    fields: FieldNames,
    max_bytes: u64,
    batch: Option<Batch>,
    /// Rows in the batches before the current one.
    rows_before: u64,
    done: bool,
}

/// One decoded batch, with the named columns cast to strings and each row's
/// `raw` JSON prepared.
struct Batch {
    text: StringArray,
    id: Option<StringArray>,
    date: Option<StringArray>,
    url: Option<StringArray>,
    title: Option<StringArray>,
    raw: Vec<String>,
    next_row: usize,
}

impl ParquetReader {
    pub(crate) fn open(
        input: &Input,
        fields: &FieldNames,
        max_bytes: u64,
    ) -> Result<Self, ReadError> {
        let error = |kind| ReadError::new(input.source(), 0, kind);
        let unreadable = |msg: String| error(ReadErrorKind::Unreadable(msg));

        let Some(path) = input.path() else {
            return Err(unreadable(
                "Parquet needs a seekable file; spool standard input first".into(),
            ));
        };
        if input
            .is_compressed()
            .map_err(|e| unreadable(e.to_string()))?
        {
            return Err(unreadable(
                "compressed Parquet files are not supported (Parquet compresses internally)".into(),
            ));
        }
        let file = File::open(path).map_err(|e| unreadable(e.to_string()))?;
        let file_len = file
            .metadata()
            .map_err(|e| unreadable(e.to_string()))?
            .len();
        // The parquet crate is not guaranteed panic-free on corrupt files;
        // a bad input must be an error, never a crash.
        let built = catch_unwind(AssertUnwindSafe(|| -> Result<_, ReadError> {
            let builder =
                ParquetRecordBatchReaderBuilder::try_new(BoundedFile::new(file, file_len))
                    .map_err(|e| unreadable(e.to_string()))?;
            check_column_chunks(builder.metadata(), file_len).map_err(unreadable)?;
            let schema = builder.schema();
            check_text_column(schema, &fields.text).map_err(error)?;
            let mask = ProjectionMask::roots(builder.parquet_schema(), readable_columns(schema));
            builder
                .with_projection(mask)
                .with_batch_size(BATCH_ROWS)
                .build()
                .map_err(|e| unreadable(e.to_string()))
        }));
        let batches = match built {
            Ok(result) => result?,
            Err(_) => return Err(unreadable("the Parquet decoder failed".into())),
        };
        Ok(ParquetReader {
            batches,
            source: input.source().to_string(),
            fields: fields.clone(),
            max_bytes,
            batch: None,
            rows_before: 0,
            done: false,
        })
    }

    /// Loads the next non-empty batch; `Ok(false)` at the end of the file.
    fn load_batch(&mut self) -> Result<bool, String> {
        loop {
            let next = catch_unwind(AssertUnwindSafe(|| self.batches.next()))
                .map_err(|_| "the Parquet decoder failed".to_string())?;
            let Some(batch) = next.transpose().map_err(|e| e.to_string())? else {
                return Ok(false);
            };
            if let Some(old) = self.batch.take() {
                self.rows_before += old.raw.len() as u64;
            }
            if batch.num_rows() == 0 {
                continue;
            }
            self.batch = Some(Batch::new(&batch, &self.fields)?);
            return Ok(true);
        }
    }

    fn row_document(&mut self) -> Option<Result<Document, ReadError>> {
        let batch = self.batch.as_mut()?;
        let row = batch.next_row;
        if row >= batch.raw.len() {
            return None;
        }
        batch.next_row += 1;
        let origin = Origin {
            source: self.source.clone(),
            record: self.rows_before + row as u64 + 1,
        };
        Some(batch.document(row, origin, &self.fields, self.max_bytes))
    }
}

impl Iterator for ParquetReader {
    type Item = Result<Document, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            if let Some(item) = self.row_document() {
                return Some(item);
            }
            match self.load_batch() {
                Ok(true) => continue,
                Ok(false) => self.done = true,
                Err(msg) => {
                    self.done = true;
                    let record = self.rows_before + 1;
                    let kind = ReadErrorKind::Unreadable(msg);
                    return Some(Err(ReadError::new(&self.source, record, kind)));
                }
            }
        }
        None
    }
}

impl Batch {
    fn new(batch: &RecordBatch, fields: &FieldNames) -> Result<Batch, String> {
        let column = |name: &str| -> Result<Option<StringArray>, String> {
            batch.column_by_name(name).map(as_strings).transpose()
        };
        let text = column(&fields.text)?.ok_or("the text column disappeared")?;
        Ok(Batch {
            text,
            id: column(&fields.id)?,
            date: column(&fields.date)?,
            url: column(&fields.url)?,
            title: column(&fields.title)?,
            raw: raw_rows(batch)?,
            next_row: 0,
        })
    }

    fn document(
        &mut self,
        row: usize,
        origin: Origin,
        fields: &FieldNames,
        max_bytes: u64,
    ) -> Result<Document, ReadError> {
        let fail = |kind| {
            Err(ReadError {
                origin: origin.clone(),
                kind,
            })
        };
        let Some(text) = cell(Some(&self.text), row) else {
            return fail(ReadErrorKind::MissingText {
                field: fields.text.clone(),
            });
        };
        if text.len() as u64 > max_bytes {
            return fail(ReadErrorKind::TooLarge { limit: max_bytes });
        }
        if text.trim().is_empty() {
            return fail(ReadErrorKind::EmptyDocument);
        }
        let owned = |array: &Option<StringArray>| cell(array.as_ref(), row).map(str::to_string);
        Ok(Document {
            id: owned(&self.id).unwrap_or_else(|| origin.to_string()),
            text: text.to_string(),
            date: owned(&self.date),
            title: owned(&self.title),
            url: owned(&self.url),
            raw: Some(std::mem::take(&mut self.raw[row])),
            origin,
        })
    }
}

fn cell(array: Option<&StringArray>, row: usize) -> Option<&str> {
    array.filter(|a| a.is_valid(row)).map(|a| a.value(row))
}

/// The Parquet file as the decoder reads it, where reading past its end is
/// an error instead of an empty read. A damaged page header can claim a
/// list of two billion fields; the decoder skips each with a read that, at
/// the end of a file, returns nothing and is tried again: an 11 KB file
/// took 42 s (found by fuzzing). A valid file is never read past its end.
struct BoundedFile {
    file: File,
    len: u64,
}

impl BoundedFile {
    fn new(file: File, len: u64) -> Self {
        BoundedFile { file, len }
    }
}

impl Length for BoundedFile {
    fn len(&self) -> u64 {
        self.len
    }
}

impl ChunkReader for BoundedFile {
    type T = BoundedRead;

    fn get_read(&self, start: u64) -> parquet::errors::Result<BoundedRead> {
        let mut file = self.file.try_clone()?;
        file.seek(SeekFrom::Start(start))?;
        Ok(BoundedRead(BufReader::new(file)))
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        self.file.get_bytes(start, length)
    }
}

/// A reader of a [`BoundedFile`]: a read at its end fails.
struct BoundedRead(BufReader<File>);

impl Read for BoundedRead {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.read(buf)? {
            0 if !buf.is_empty() => Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "read past the end of the file",
            )),
            n => Ok(n),
        }
    }
}

/// Every column chunk lies inside the file. The parquet crate panics on a
/// negative offset or size when it reads the chunk (found by fuzzing); the
/// panic is caught, but a damaged file is better refused by name first.
fn check_column_chunks(metadata: &ParquetMetaData, file_len: u64) -> Result<(), String> {
    for (group, row_group) in metadata.row_groups().iter().enumerate() {
        for column in row_group.columns() {
            let start = column
                .dictionary_page_offset()
                .unwrap_or(column.data_page_offset());
            let inside = u64::try_from(start)
                .ok()
                .zip(u64::try_from(column.compressed_size()).ok())
                .and_then(|(start, len)| start.checked_add(len))
                .is_some_and(|end| end <= file_len);
            if !inside {
                return Err(format!(
                    "damaged metadata: a column chunk of row group {group} lies outside the file"
                ));
            }
        }
    }
    Ok(())
}

/// Indices of the top-level columns that hold values (all but the
/// all-null type).
fn readable_columns(schema: &Schema) -> Vec<usize> {
    (0..schema.fields().len())
        .filter(|&i| !matches!(schema.field(i).data_type(), DataType::Null))
        .collect()
}

fn check_text_column(schema: &Schema, name: &str) -> Result<(), ReadErrorKind> {
    let Some(index) = schema.index_of(name).ok() else {
        return Err(ReadErrorKind::MissingText { field: name.into() });
    };
    if is_string_type(schema.field(index).data_type()) {
        Ok(())
    } else {
        Err(ReadErrorKind::WrongType {
            field: name.into(),
            expected: "a string column",
        })
    }
}

fn is_string_type(data_type: &DataType) -> bool {
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, values) => is_string_type(values),
        _ => false,
    }
}

/// Any scalar column as UTF-8 strings: strings of every layout are
/// converted, numbers and dates are rendered (ids are often integers).
fn as_strings(array: &ArrayRef) -> Result<StringArray, String> {
    let utf8 = cast(array, &DataType::Utf8).map_err(|e| e.to_string())?;
    Ok(utf8.as_string::<i32>().clone())
}

/// Each row's columns as a JSON object, in schema order. Numbers and
/// booleans stay JSON numbers and booleans, nested columns become JSON
/// arrays and objects; everything else is a string.
fn raw_rows(batch: &RecordBatch) -> Result<Vec<String>, String> {
    let options = FormatOptions::default().with_display_error(false);
    let schema = batch.schema();
    let mut columns = Vec::with_capacity(batch.num_columns());
    for (field, array) in schema.fields().iter().zip(batch.columns()) {
        let key = serde_json::to_string(field.name()).map_err(|e| e.to_string())?;
        let values = if field.data_type().is_nested() {
            ColumnValues::Json(nested_as_json(field.name(), array)?)
        } else {
            let formatter =
                ArrayFormatter::try_new(array.as_ref(), &options).map_err(|e| e.to_string())?;
            ColumnValues::Scalar(json_kind(field.data_type()), formatter)
        };
        columns.push((key, array, values));
    }
    let mut rows = Vec::with_capacity(batch.num_rows());
    let mut value = String::new();
    for row in 0..batch.num_rows() {
        let mut raw = String::from("{");
        for (i, (key, array, values)) in columns.iter().enumerate() {
            if i > 0 {
                raw.push(',');
            }
            raw.push_str(key);
            raw.push(':');
            if array.is_null(row) {
                raw.push_str("null");
                continue;
            }
            match values {
                ColumnValues::Json(json) => raw.push_str(&json[row]),
                ColumnValues::Scalar(kind, formatter) => {
                    value.clear();
                    write!(value, "{}", formatter.value(row)).map_err(|e| e.to_string())?;
                    push_json_value(&mut raw, &value, *kind);
                }
            }
        }
        raw.push('}');
        rows.push(raw);
    }
    Ok(rows)
}

/// How a column's values become JSON.
enum ColumnValues<'a> {
    Scalar(JsonKind, ArrayFormatter<'a>),
    /// Each row's value as JSON text, ready to splice.
    Json(Vec<String>),
}

/// Each row of a nested column as JSON text (`null` where it is null),
/// rendered by arrow's JSON writer one column at a time.
fn nested_as_json(name: &str, array: &ArrayRef) -> Result<Vec<String>, String> {
    let single = RecordBatch::try_from_iter([(name, array.clone())]).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut writer = arrow::json::LineDelimitedWriter::new(&mut out);
    writer.write(&single).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    drop(writer);
    let text = String::from_utf8(out).map_err(|e| e.to_string())?;
    let values: Vec<String> = text
        .lines()
        .map(|line| {
            // Raw values keep the writer's text, the order of a struct's
            // fields included; a null row is `{}`.
            let object: HashMap<String, Box<RawValue>> =
                serde_json::from_str(line).map_err(|e| e.to_string())?;
            Ok(object
                .get(name)
                .map_or("null".into(), |v| v.get().to_string()))
        })
        .collect::<Result<_, String>>()?;
    if values.len() != array.len() {
        return Err(format!(
            "column {name:?}: {} values for {} rows",
            values.len(),
            array.len()
        ));
    }
    Ok(values)
}

#[derive(Debug, Clone, Copy)]
enum JsonKind {
    Number,
    Bool,
    String,
}

fn json_kind(data_type: &DataType) -> JsonKind {
    if data_type.is_numeric()
        && !matches!(
            data_type,
            DataType::Decimal32(..)
                | DataType::Decimal64(..)
                | DataType::Decimal128(..)
                | DataType::Decimal256(..)
        )
    {
        JsonKind::Number
    } else if matches!(data_type, DataType::Boolean) {
        JsonKind::Bool
    } else {
        JsonKind::String
    }
}

fn push_json_value(out: &mut String, value: &str, kind: JsonKind) {
    match kind {
        JsonKind::Bool => out.push_str(value),
        // NaN and infinities have no JSON form.
        JsonKind::Number if value.parse::<f64>().is_ok_and(f64::is_finite) => out.push_str(value),
        JsonKind::Number => out.push_str("null"),
        JsonKind::String => {
            // Serialising a &str cannot fail.
            out.push_str(&serde_json::to_string(value).unwrap_or_default());
        }
    }
}
