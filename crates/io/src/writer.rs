//! [`KeptWriter`]: writes the documents a run keeps, as JSONL or Parquet.
//!
//! A document read from JSONL (or Parquet) carries its original record in
//! `raw`; the JSONL writer emits that record verbatim, or with only the text
//! field replaced when the caller changed the text, so fields thresh does not
//! know survive. Other documents are written as
//! `{"id","text","date","title","url","source"}` with absent fields omitted.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Serialize;
use serde_json::value::RawValue;
use thresh_engine::Document;

use crate::error::IoError;
use crate::format::{Compression, FieldNames, OutputFormat};

/// Writes kept documents to a file or standard output.
pub struct KeptWriter {
    path: PathBuf,
    fields: FieldNames,
    sink: Sink,
    /// Reused serialisation buffer, so writing allocates nothing per line.
    line: Vec<u8>,
}

enum Sink {
    Jsonl(Box<Output>),
    #[cfg(feature = "parquet")]
    Parquet(Box<crate::parquet_out::ParquetSink>),
}

impl KeptWriter {
    /// Creates (or truncates) `path`, `-` meaning standard output. JSONL to
    /// a path ending in `.gz` or `.zst` is compressed accordingly.
    pub fn create(path: &Path, format: OutputFormat, fields: FieldNames) -> Result<Self, IoError> {
        let (out, compression): (Box<dyn Write + Send>, _) = if path.as_os_str() == "-" {
            (Box::new(io::stdout()), Compression::None)
        } else {
            let file = File::create(path).map_err(|e| IoError::new(path, e))?;
            (Box::new(file), Compression::from_path(path))
        };
        Self::with_compression(out, path, format, fields, compression)
    }

    /// Writes to any byte sink; `name` is used in error messages.
    pub fn from_writer(
        out: Box<dyn Write + Send>,
        name: &Path,
        format: OutputFormat,
        fields: FieldNames,
    ) -> Result<Self, IoError> {
        Self::with_compression(out, name, format, fields, Compression::None)
    }

    fn with_compression(
        out: Box<dyn Write + Send>,
        path: &Path,
        format: OutputFormat,
        fields: FieldNames,
        compression: Compression,
    ) -> Result<Self, IoError> {
        let out = BufWriter::with_capacity(256 * 1024, out);
        let sink = match format {
            OutputFormat::Jsonl => {
                let output = Output::new(out, compression).map_err(|e| IoError::new(path, e))?;
                Sink::Jsonl(Box::new(output))
            }
            #[cfg(feature = "parquet")]
            OutputFormat::Parquet => Sink::Parquet(Box::new(
                crate::parquet_out::ParquetSink::new(out, &fields)
                    .map_err(|e| IoError::new(path, e))?,
            )),
            #[cfg(not(feature = "parquet"))]
            OutputFormat::Parquet => {
                let e = io::Error::other("this build of thresh cannot write Parquet");
                return Err(IoError::new(path, e));
            }
        };
        Ok(KeptWriter {
            path: path.to_path_buf(),
            fields,
            sink,
            line: Vec::new(),
        })
    }

    /// Writes one document. `new_text`, when given, replaces the document's
    /// text in the output (e.g. after dropping duplicate paragraphs).
    pub fn write(&mut self, doc: &Document, new_text: Option<&str>) -> Result<(), IoError> {
        let result = match &mut self.sink {
            Sink::Jsonl(out) => {
                self.line.clear();
                jsonl_record(&mut self.line, doc, new_text, &self.fields);
                self.line.push(b'\n');
                out.write_all(&self.line)
            }
            #[cfg(feature = "parquet")]
            Sink::Parquet(sink) => sink.push(doc, new_text, &self.fields),
        };
        result.map_err(|e| IoError::new(&self.path, e))
    }

    /// Flushes everything and completes the file (the gzip/zstd trailer or
    /// the Parquet footer). Dropping a writer without calling this may leave
    /// a truncated file.
    pub fn finish(self) -> Result<(), IoError> {
        let result = match self.sink {
            Sink::Jsonl(out) => out.finish(),
            #[cfg(feature = "parquet")]
            Sink::Parquet(sink) => sink.finish(),
        };
        result.map_err(|e| IoError::new(&self.path, e))
    }
}

/// The JSONL byte stream, optionally compressed.
enum Output {
    Plain(BufWriter<Box<dyn Write + Send>>),
    Gzip(GzEncoder<BufWriter<Box<dyn Write + Send>>>),
    Zstd(zstd::Encoder<'static, BufWriter<Box<dyn Write + Send>>>),
}

impl Output {
    fn new(out: BufWriter<Box<dyn Write + Send>>, compression: Compression) -> io::Result<Self> {
        Ok(match compression {
            Compression::None => Output::Plain(out),
            Compression::Gzip => Output::Gzip(GzEncoder::new(out, flate2::Compression::default())),
            Compression::Zstd => Output::Zstd(zstd::Encoder::new(out, 0)?),
        })
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Output::Plain(w) => w.write_all(bytes),
            Output::Gzip(w) => w.write_all(bytes),
            Output::Zstd(w) => w.write_all(bytes),
        }
    }

    fn finish(self) -> io::Result<()> {
        let mut inner = match self {
            Output::Plain(w) => w,
            Output::Gzip(w) => w.finish()?,
            Output::Zstd(w) => w.finish()?,
        };
        inner.flush()
    }
}

/// Serialises one document as a JSON object (no newline) into `out`.
fn jsonl_record(out: &mut Vec<u8>, doc: &Document, new_text: Option<&str>, fields: &FieldNames) {
    if let Some(raw) = &doc.raw {
        match new_text {
            None => return out.extend_from_slice(raw.as_bytes()),
            Some(text) => {
                if replace_field(out, raw, &fields.text, text).is_ok() {
                    return;
                }
                // `raw` was not a JSON object (a caller-made document):
                // fall back to the plain form below.
                out.clear();
            }
        }
    }
    let text = new_text.unwrap_or(&doc.text);
    let mut object = JsonObject::new(out);
    object.field(&fields.id, Some(doc.id.as_str()));
    object.field(&fields.text, Some(text));
    object.field(&fields.date, doc.date.as_deref());
    object.field(&fields.title, doc.title.as_deref());
    object.field(&fields.url, doc.url.as_deref());
    object.field("source", Some(doc.origin.source.as_str()));
    object.close();
}

/// Writes `{"key":value,...}` field by field, skipping absent values.
pub(crate) struct JsonObject<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> JsonObject<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        JsonObject { out, first: true }
    }

    pub(crate) fn field(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            write_json_str(self.key(key), value);
        }
    }

    /// A member whose value is already JSON.
    fn raw_field(&mut self, key: &str, value: &RawValue) {
        self.key(key).extend_from_slice(value.get().as_bytes());
    }

    /// Writes the separator and `"key":`, returning the buffer for the value.
    fn key(&mut self, key: &str) -> &mut Vec<u8> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        write_json_str(self.out, key);
        self.out.push(b':');
        self.out
    }

    pub(crate) fn close(self) {
        self.out.push(b'}');
    }
}

fn write_json_str(out: &mut Vec<u8>, s: &str) {
    // Serialising a string into a Vec cannot fail.
    let _ = s.serialize(&mut serde_json::Serializer::new(&mut *out));
}

/// Copies the JSON object `raw` into `out` with `field` set to the string
/// `value` (appended when absent), keeping every other member and the
/// member order.
pub(crate) fn replace_field(
    out: &mut Vec<u8>,
    raw: &str,
    field: &str,
    value: &str,
) -> serde_json::Result<()> {
    let members = object_members(raw)?;
    let mut object = JsonObject::new(out);
    let mut replaced = false;
    for (key, member) in &members {
        if key == field {
            object.field(key, Some(value));
            replaced = true;
        } else {
            object.raw_field(key, member);
        }
    }
    if !replaced {
        object.field(field, Some(value));
    }
    object.close();
    Ok(())
}

/// The members of the JSON object `raw`, in order, with `names` removed;
/// `None` if nothing is left. Used for the Parquet `extra` column.
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub(crate) fn object_without(raw: &str, names: &[&str]) -> Option<String> {
    let members = object_members(raw).ok()?;
    let mut out = Vec::with_capacity(raw.len());
    let mut object = JsonObject::new(&mut out);
    let mut any = false;
    for (key, member) in members.iter().filter(|(k, _)| !names.contains(&k.as_ref())) {
        object.raw_field(key, member);
        any = true;
    }
    object.close();
    // JsonObject only ever writes valid UTF-8.
    any.then(|| String::from_utf8(out).ok()).flatten()
}

type Members<'a> = Vec<(Cow<'a, str>, &'a RawValue)>;

/// Splits a JSON object into its members without parsing their values.
fn object_members(raw: &str) -> serde_json::Result<Members<'_>> {
    struct MembersVisitor;
    impl<'de> Visitor<'de> for MembersVisitor {
        type Value = Members<'de>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
            let mut members = Vec::new();
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                members.push((key, map.next_value::<&'de RawValue>()?));
            }
            Ok(members)
        }
    }
    let mut de = serde_json::Deserializer::from_str(raw);
    let members = (&mut de).deserialize_map(MembersVisitor)?;
    de.end()?;
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;
    use thresh_engine::Origin;

    fn record(doc: &Document, new_text: Option<&str>) -> String {
        let mut out = Vec::new();
        jsonl_record(&mut out, doc, new_text, &FieldNames::default());
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_documents_omit_absent_fields() {
        let mut doc = Document::new("a\"1", "Body\n").with_date("2024-01-01");
        doc.origin = Origin {
            source: "in.txt".into(),
            record: 0,
        };
        assert_eq!(
            record(&doc, None),
            r#"{"id":"a\"1","text":"Body\n","date":"2024-01-01","source":"in.txt"}"#
        );
        assert!(record(&doc, Some("New")).contains(r#""text":"New""#));
    }

    #[test]
    fn raw_records_pass_through_or_get_new_text() {
        let mut doc = Document::new("1", "old");
        doc.raw = Some(r#"{"id":1, "text":"old","meta":{"k":[1, 2]}}"#.into());
        assert_eq!(record(&doc, None), doc.raw.clone().unwrap());
        assert_eq!(
            record(&doc, Some("new")),
            r#"{"id":1,"text":"new","meta":{"k":[1, 2]}}"#
        );
    }

    #[test]
    fn text_is_appended_when_raw_lacks_it() {
        let mut doc = Document::new("1", "old");
        doc.raw = Some(r#"{"id":1}"#.into());
        assert_eq!(record(&doc, Some("new")), r#"{"id":1,"text":"new"}"#);
    }

    #[test]
    fn non_object_raw_falls_back_to_plain_form() {
        let mut doc = Document::new("1", "old");
        doc.raw = Some("not json".into());
        assert!(record(&doc, Some("new")).starts_with(r#"{"id":"1","text":"new""#));
    }

    #[test]
    fn object_without_drops_named_members() {
        let raw = r#"{"id":1,"text":"t","lang":"en"}"#;
        assert_eq!(
            object_without(raw, &["id", "text"]).as_deref(),
            Some(r#"{"lang":"en"}"#)
        );
        assert_eq!(object_without(raw, &["id", "text", "lang"]), None);
    }
}
