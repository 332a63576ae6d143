//! `dedup_stream`: the rows of an Arrow stream, annotated with what dedup
//! decided for each (`cluster`, `duplicate_of`, `similarity`, `kept`), in
//! input order, every row kept in the output (the caller filters on
//! `kept`).
//!
//! Two passes, as on the command line: the first fingerprints each batch
//! as it arrives and keeps the batch (in memory for a table the caller
//! already holds, or spooled to an unlinked Arrow IPC file for a stream, so
//! that memory stays bounded); the second reads the batches back and adds
//! the columns, lazily, as the caller pulls them.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use arrow::array::{
    Array, ArrayRef, BooleanArray, Float64Array, Int64Array, StringArray, UInt32Array,
};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use arrow::error::ArrowError;
use arrow::ffi_stream::RecordBatchStreamReader;
use arrow::ipc::reader::StreamReader;
use arrow::ipc::writer::StreamWriter;
use arrow::pyarrow::PyArrowType;
use arrow::record_batch::{RecordBatch, RecordBatchReader};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;
use thresh::dedup::{fates, DedupOptions, DocumentFate, Fingerprints, Level, SubstringOptions};
use thresh::engine::cluster::KeepPolicy;
use thresh::engine::dedup::{DedupConfig, Verify};
use thresh::engine::paragraph::{remove_lines, ParagraphDeduper};
use thresh::engine::substring::{SpanIndex, SubstringConfig, Unit};
use thresh::ids::IdList;
use thresh::substring::{SpanCuts, SpanSearch};
use xxhash_rust::xxh3::xxh3_128;

use crate::arrow_text::{as_strings, column_index, first_null, readable_as_strings, values};
use crate::options::{choice, MatchKwargs};
use crate::run_error;

/// Where the stream's columns are.
struct Columns {
    text: usize,
    id: Option<usize>,
    date: Option<usize>,
}

/// Deduplicate the rows of `stream` and return them, annotated, as a
/// `pyarrow.RecordBatchReader` (see the Python `thresh.dedup`).
#[pyfunction]
#[pyo3(signature = (
    stream, *, text_column="text", id_column=None, date_column=None,
    threshold=None, ngram=None, num_perm=None, seed=None, bands=None, rows=None,
    level="doc", keep="earliest", verify="exact", min_paragraph_words=0,
    min_span=50, unit="token", keep_spans=false, span_shards=1, spool=false, temp_dir=None,
))]
#[allow(clippy::too_many_arguments)]
pub fn dedup_stream(
    py: Python<'_>,
    stream: PyArrowType<RecordBatchStreamReader>,
    text_column: &str,
    id_column: Option<&str>,
    date_column: Option<&str>,
    threshold: Option<f64>,
    ngram: Option<usize>,
    num_perm: Option<usize>,
    seed: Option<u64>,
    bands: Option<usize>,
    rows: Option<usize>,
    level: &str,
    keep: &str,
    verify: &str,
    min_paragraph_words: usize,
    min_span: usize,
    unit: &str,
    keep_spans: bool,
    span_shards: usize,
    spool: bool,
    temp_dir: Option<PathBuf>,
) -> PyResult<PyArrowType<Box<dyn RecordBatchReader + Send>>> {
    let matching = MatchKwargs {
        threshold,
        ngram,
        num_perm,
        seed,
        bands,
        rows,
    }
    .config()?;
    if min_span == 0 {
        return Err(PyValueError::new_err("min_span must be at least 1"));
    }
    let normalize = matching.normalize;
    let options = DedupOptions {
        config: DedupConfig {
            matching,
            verify: choice::<Verify>("verify", verify)?,
            keep: choice::<KeepPolicy>("keep", keep)?,
        },
        level: choice::<Level>("level", level)?,
        min_paragraph_words,
        substring: SubstringOptions {
            config: SubstringConfig {
                unit: choice::<Unit>("unit", unit)?,
                min_span,
                normalize,
                index: SpanIndex::default(),
            },
            keep_spans,
            shards: span_shards,
        },
        // Band keys and shingles wait in unlinked files, as on the command
        // line, so memory does not grow with the corpus's words.
        temp_dir: Some(temp_dir.unwrap_or_else(std::env::temp_dir)),
        ..DedupOptions::default()
    };
    let reader = stream.0;
    let names = (text_column, id_column, date_column);
    let annotated = py
        .detach(|| -> Result<Annotated> {
            let columns = find_columns(&reader.schema(), names)?;
            let spool_dir = options.temp_dir.as_deref().filter(|_| spool);
            let store = BatchStore::new(spool_dir);
            first_pass(reader, &columns, &options, store)
        })
        .map_err(run_error)?;
    Ok(PyArrowType(Box::new(annotated)))
}

fn find_columns(schema: &Schema, names: (&str, Option<&str>, Option<&str>)) -> Result<Columns> {
    let (text, id, date) = names;
    let columns = Columns {
        text: column_index(schema, text, "text")?,
        id: id
            .map(|name| column_index(schema, name, "id"))
            .transpose()?,
        date: date
            .map(|name| column_index(schema, name, "date"))
            .transpose()?,
    };
    for index in [Some(columns.text), columns.id, columns.date]
        .into_iter()
        .flatten()
    {
        let field = schema.field(index);
        if !readable_as_strings(field.data_type()) {
            bail!(
                "column {:?} is of type {}, which cannot be read as text",
                field.name(),
                field.data_type()
            );
        }
    }
    Ok(columns)
}

/// Fingerprint every batch, keeping the batches; match and cluster.
fn first_pass(
    reader: RecordBatchStreamReader,
    columns: &Columns,
    options: &DedupOptions,
    mut store: BatchStore,
) -> Result<Annotated> {
    let input_schema = reader.schema();
    let mut fingerprints = Fingerprints::new(options)?;
    let mut first_row_of_id: HashMap<u128, usize> = HashMap::new();
    for batch in reader {
        let batch = batch.context("cannot read the input stream")?;
        let first_row = fingerprints.len();
        let texts = required_strings(&batch, columns.text, first_row, "text")?;
        let texts: Vec<&str> = values(&texts)
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect();
        let id_values = match columns.id {
            Some(index) => Some(required_strings(&batch, index, first_row, "id")?),
            None => None,
        };
        let ids: Vec<&str> = match &id_values {
            Some(array) => values(array)
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect(),
            None => vec![""; batch.num_rows()],
        };
        if columns.id.is_some() {
            check_unique(&ids, first_row, &mut first_row_of_id)?;
        }
        let date_values = columns
            .date
            .map(|index| as_strings(batch.column(index)))
            .transpose()?;
        let dates = match &date_values {
            Some(array) => values(array),
            None => vec![None; batch.num_rows()],
        };
        fingerprints.add(&ids, &texts, &dates)?;
        store.push(&batch, &input_schema)?;
    }
    let matched = fingerprints.finish()?;
    let fates = fates(&matched.outcome);
    let mut replay = store.into_replay()?;
    let spans = match options.level.substrings() {
        true => Some(find_spans(replay.batches()?, &fates, columns, options)?),
        false => None,
    };
    Annotated::new(
        input_schema,
        replay.batches()?,
        fates,
        matched.ids,
        columns,
        options,
        spans,
    )
}

/// The substring level's pass over the batches: the kept rows' texts,
/// without their repeated paragraphs at paragraph level (decided as the
/// annotating pass will decide them again), into the span search.
fn find_spans(
    batches: Batches,
    fates: &[DocumentFate],
    columns: &Columns,
    options: &DedupOptions,
) -> Result<SpanCuts> {
    let mut search = SpanSearch::sharded(
        options.substring.config,
        options.substring.shards,
        options.temp_dir.as_deref(),
    )?;
    let mut paragraphs = options.level.paragraphs().then(|| {
        ParagraphDeduper::new(
            options.config.matching.normalize,
            options.min_paragraph_words,
        )
    });
    let mut first_row = 0;
    for batch in batches {
        let batch = batch.context("cannot read the spooled input again")?;
        let rows = first_row..first_row + batch.num_rows();
        let Some(fates) = fates.get(rows.clone()) else {
            bail!("the input changed between the passes");
        };
        let mut text = batch.column(columns.text).clone();
        if let Some(deduper) = paragraphs.as_mut() {
            text = without_repeated_paragraphs(deduper, &text, fates, first_row)?.0;
        }
        let strings = as_strings(&text)?;
        let texts = values(&strings);
        let kept: Vec<(usize, &str)> = rows
            .zip(texts)
            .zip(fates)
            .filter(|(_, fate)| fate.kept)
            .map(|((row, text), _)| (row, text.unwrap_or_default()))
            .collect();
        search.add(&kept)?;
        first_row += batch.num_rows();
    }
    search.finish(options.substring, options.memory.bytes())
}

/// The column as strings, with an error naming the first null row.
fn required_strings(
    batch: &RecordBatch,
    index: usize,
    first_row: usize,
    role: &str,
) -> Result<ArrayRef> {
    let array = as_strings(batch.column(index))?;
    if let Some(row) = first_null(&array) {
        bail!(
            "row {}: the {role} column {:?} is null",
            first_row + row,
            batch.schema().field(index).name()
        );
    }
    Ok(array)
}

/// Ids must be unique within a run, as on the command line.
fn check_unique(ids: &[&str], first_row: usize, seen: &mut HashMap<u128, usize>) -> Result<()> {
    for (offset, id) in ids.iter().enumerate() {
        let row = first_row + offset;
        if let Some(earlier) = seen.insert(xxh3_128(id.as_bytes()), row) {
            bail!(
                "document id {id:?} is given twice, at row {earlier} and at row {row}: ids must be unique within a run"
            );
        }
    }
    Ok(())
}

/// The input's batches between the passes: held (a table the caller holds
/// anyway, so this costs nothing) or spooled to an unlinked file in a
/// directory (a stream, which may be larger than memory).
enum BatchStore {
    Memory(Vec<RecordBatch>),
    /// The directory, and the writer once the first batch has come.
    Spool(PathBuf, Option<Box<StreamWriter<BufWriter<File>>>>),
}

type Batches = Box<dyn Iterator<Item = Result<RecordBatch, ArrowError>> + Send>;

impl BatchStore {
    fn new(spool_dir: Option<&Path>) -> Self {
        match spool_dir {
            Some(dir) => BatchStore::Spool(dir.to_owned(), None),
            None => BatchStore::Memory(Vec::new()),
        }
    }

    fn push(&mut self, batch: &RecordBatch, schema: &SchemaRef) -> Result<()> {
        match self {
            BatchStore::Memory(batches) => batches.push(batch.clone()),
            BatchStore::Spool(dir, writer) => {
                if writer.is_none() {
                    *writer = Some(Box::new(spool_writer(dir, schema)?));
                }
                if let Some(writer) = writer.as_mut() {
                    writer.write(batch).with_context(|| {
                        format!(
                            "cannot spool the input to a temporary file in {}",
                            dir.display()
                        )
                    })?;
                }
            }
        }
        Ok(())
    }

    /// The batches, to be read once or more.
    fn into_replay(self) -> Result<Replay> {
        match self {
            BatchStore::Memory(batches) => Ok(Replay::Memory(batches)),
            BatchStore::Spool(_, None) => Ok(Replay::Memory(Vec::new())),
            BatchStore::Spool(dir, Some(mut writer)) => {
                let context = || {
                    format!(
                        "cannot finish the temporary spool file in {}",
                        dir.display()
                    )
                };
                writer.finish().with_context(context)?;
                let file = writer
                    .into_inner()
                    .with_context(context)?
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(context)?;
                Ok(Replay::Spool(file))
            }
        }
    }
}

/// The stored batches between the passes: each call to `batches` reads
/// them all again from the start.
enum Replay {
    Memory(Vec<RecordBatch>),
    Spool(File),
}

impl Replay {
    /// The batches from the first; the previous reading must be done.
    fn batches(&mut self) -> Result<Batches> {
        match self {
            Replay::Memory(batches) => Ok(Box::new(batches.clone().into_iter().map(Ok))),
            Replay::Spool(file) => {
                file.rewind()?;
                let reader = BufReader::new(file.try_clone()?);
                Ok(Box::new(StreamReader::try_new(reader, None)?))
            }
        }
    }
}

/// An IPC stream writer on a file that has no name (removed when closed,
/// however the run ends).
fn spool_writer(dir: &Path, schema: &SchemaRef) -> Result<StreamWriter<BufWriter<File>>> {
    let file = tempfile::tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    Ok(StreamWriter::try_new(BufWriter::new(file), schema)?)
}

/// Pass two: the input's batches with the added columns, made as the
/// caller pulls them.
struct Annotated {
    batches: Batches,
    schema: SchemaRef,
    fates: Vec<DocumentFate>,
    ids: IdList,
    /// The id column's type, which `duplicate_of` takes; `None` without an
    /// id column, where `duplicate_of` is the representative's row number.
    id_type: Option<DataType>,
    next_row: usize,
    /// At paragraph level: the text column, rewritten without repeats.
    paragraphs: Option<(usize, ParagraphDeduper)>,
    /// At substring level: the repeated spans to cut from kept rows.
    spans: Option<SpanCuts>,
    text_column: usize,
}

impl Annotated {
    fn new(
        input_schema: SchemaRef,
        batches: Batches,
        fates: Vec<DocumentFate>,
        ids: IdList,
        columns: &Columns,
        options: &DedupOptions,
        spans: Option<SpanCuts>,
    ) -> Result<Self> {
        let id_type = columns.id.map(|index| {
            let original = input_schema.field(index).data_type().clone();
            match arrow::compute::can_cast_types(&DataType::Utf8, &original) {
                true => original,
                false => DataType::Utf8,
            }
        });
        let paragraphs = options.level.paragraphs().then(|| {
            let deduper = ParagraphDeduper::new(
                options.config.matching.normalize,
                options.min_paragraph_words,
            );
            (columns.text, deduper)
        });
        let schema = output_schema(
            &input_schema,
            id_type.as_ref(),
            paragraphs.is_some(),
            spans.is_some(),
        )?;
        Ok(Annotated {
            batches,
            schema,
            fates,
            ids,
            id_type,
            next_row: 0,
            paragraphs,
            spans,
            text_column: columns.text,
        })
    }

    fn annotate(&mut self, batch: RecordBatch) -> Result<RecordBatch> {
        let first = self.next_row;
        self.next_row += batch.num_rows();
        let Some(fates) = self.fates.get(first..self.next_row) else {
            bail!("the input changed between the two passes");
        };
        let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
        let mut removed_counts = None;
        if let Some((text_index, deduper)) = self.paragraphs.as_mut() {
            let (text, counts) =
                without_repeated_paragraphs(deduper, &columns[*text_index], fates, first)?;
            columns[*text_index] = text;
            removed_counts = Some(counts);
        }
        let span_counts = match self.spans.as_mut() {
            Some(spans) => {
                let text = &columns[self.text_column];
                let (text, counts) = without_repeated_spans(spans, text, fates, first, &self.ids)?;
                columns[self.text_column] = text;
                Some(counts)
            }
            None => None,
        };
        columns.push(Arc::new(
            fates.iter().map(|f| f.cluster).collect::<UInt32Array>(),
        ));
        columns.push(self.duplicate_of(fates)?);
        columns.push(Arc::new(
            fates.iter().map(|f| f.similarity).collect::<Float64Array>(),
        ));
        columns.push(Arc::new(
            fates.iter().map(|f| Some(f.kept)).collect::<BooleanArray>(),
        ));
        columns.extend(removed_counts);
        columns.extend(span_counts);
        Ok(RecordBatch::try_new(self.schema.clone(), columns)?)
    }

    /// The representative's id (in the id column's type) or row number.
    fn duplicate_of(&self, fates: &[DocumentFate]) -> Result<ArrayRef> {
        let Some(id_type) = &self.id_type else {
            let rows: Int64Array = fates
                .iter()
                .map(|f| f.duplicate_of.map(i64::from))
                .collect();
            return Ok(Arc::new(rows));
        };
        let ids: StringArray = fates
            .iter()
            .map(|f| {
                f.duplicate_of
                    .map(|doc| self.ids.get(doc as usize))
                    .transpose()
            })
            .collect::<std::io::Result<Vec<Option<String>>>>()?
            .into_iter()
            .collect();
        Ok(cast(&ids, id_type)?)
    }
}

/// The kept documents' texts without paragraphs seen before (in this run),
/// in the text column's own type, and how many each lost.
fn without_repeated_paragraphs(
    deduper: &mut ParagraphDeduper,
    text: &ArrayRef,
    fates: &[DocumentFate],
    first_row: usize,
) -> Result<(ArrayRef, ArrayRef)> {
    let strings = as_strings(text)?;
    let texts = values(&strings);
    let hashed: Vec<_> = texts
        .par_iter()
        .zip(fates)
        .map(|(text, fate)| match (text, fate.kept) {
            (Some(text), true) => deduper.hash(text),
            _ => Vec::new(),
        })
        .collect();
    let mut new_texts: Vec<Option<String>> = Vec::with_capacity(texts.len());
    let mut counts: Vec<u32> = Vec::with_capacity(texts.len());
    for (offset, (text, hashed)) in texts.iter().zip(&hashed).enumerate() {
        let removed = match fates[offset].kept {
            true => deduper.decide((first_row + offset) as u32, hashed),
            false => Vec::new(),
        };
        counts.push(removed.len() as u32);
        let lines: Vec<u32> = removed.iter().map(|r| r.line).collect();
        new_texts.push(match (text, lines.is_empty()) {
            (Some(text), false) => Some(remove_lines(text, &lines)),
            (text, _) => text.map(str::to_owned),
        });
    }
    let new_text: ArrayRef = Arc::new(StringArray::from(new_texts));
    let new_text = cast(&new_text, text.data_type())?;
    Ok((new_text, Arc::new(UInt32Array::from(counts))))
}

/// The kept rows' texts without their repeated spans, in the text
/// column's own type, and how many each lost.
fn without_repeated_spans(
    spans: &mut SpanCuts,
    text: &ArrayRef,
    fates: &[DocumentFate],
    first_row: usize,
    ids: &IdList,
) -> Result<(ArrayRef, ArrayRef)> {
    let strings = as_strings(text)?;
    let mut new_texts: Vec<Option<String>> = Vec::with_capacity(fates.len());
    let mut counts: Vec<u32> = Vec::with_capacity(fates.len());
    for (offset, (text, fate)) in values(&strings).into_iter().zip(fates).enumerate() {
        let row = first_row + offset;
        let cut = match (text, fate.kept) {
            (Some(text), true) => spans.cut(row, &ids.get(row)?, text, ids)?,
            _ => None,
        };
        counts.push(cut.as_ref().map_or(0, |cut| cut.records.len() as u32));
        new_texts.push(match cut {
            Some(cut) => Some(cut.text),
            None => text.map(str::to_owned),
        });
    }
    let new_text: ArrayRef = Arc::new(StringArray::from(new_texts));
    let new_text = cast(&new_text, text.data_type())?;
    Ok((new_text, Arc::new(UInt32Array::from(counts))))
}

/// The input's schema plus the added columns; an input column of the same
/// name as one of them is an error rather than a silent duplicate.
fn output_schema(
    input: &Schema,
    id_type: Option<&DataType>,
    paragraphs: bool,
    spans: bool,
) -> Result<SchemaRef> {
    let mut added = vec![
        Field::new("cluster", DataType::UInt32, true),
        Field::new(
            "duplicate_of",
            id_type.cloned().unwrap_or(DataType::Int64),
            true,
        ),
        Field::new("similarity", DataType::Float64, true),
        Field::new("kept", DataType::Boolean, false),
    ];
    if paragraphs {
        added.push(Field::new("paragraphs_removed", DataType::UInt32, false));
    }
    if spans {
        added.push(Field::new("spans_removed", DataType::UInt32, false));
    }
    for field in &added {
        if input.index_of(field.name()).is_ok() {
            bail!(
                "the input already has a column {:?}, which dedup adds: rename it first",
                field.name()
            );
        }
    }
    let mut fields: Vec<Field> = input.fields().iter().map(|f| f.as_ref().clone()).collect();
    fields.extend(added);
    Ok(Arc::new(Schema::new_with_metadata(
        fields,
        input.metadata().clone(),
    )))
}

impl Iterator for Annotated {
    type Item = Result<RecordBatch, ArrowError>;

    fn next(&mut self) -> Option<Self::Item> {
        let batch = self.batches.next()?;
        Some(batch.and_then(|batch| {
            self.annotate(batch)
                .map_err(|error| ArrowError::ExternalError(error.into()))
        }))
    }
}

impl RecordBatchReader for Annotated {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }
}
