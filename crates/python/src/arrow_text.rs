//! String columns of Arrow record batches, read as `&str` without a copy:
//! the text, id and date columns a pipeline reads from a user's table.

use anyhow::{bail, Result};
use arrow::array::{Array, ArrayRef, AsArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Schema};

/// The index of the column called `name`, or an error listing the columns.
pub fn column_index(schema: &Schema, name: &str, role: &str) -> Result<usize> {
    match schema.index_of(name) {
        Ok(index) => Ok(index),
        Err(_) => {
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            bail!(
                "the {role} column {name:?} is not in the input (its columns: {})",
                names.join(", ")
            )
        }
    }
}

/// A column as strings: string columns as they are, any other type cast
/// to strings as Arrow writes them (integers as digits, dates as ISO).
pub fn as_strings(column: &ArrayRef) -> Result<ArrayRef> {
    Ok(match column.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => column.clone(),
        _ => cast(column, &DataType::Utf8)?,
    })
}

/// Each value of a string column (from [`as_strings`]); `None` for null.
pub fn values(array: &ArrayRef) -> Vec<Option<&str>> {
    match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().iter().collect(),
        DataType::LargeUtf8 => array.as_string::<i64>().iter().collect(),
        DataType::Utf8View => array.as_string_view().iter().collect(),
        other => unreachable!("as_strings gives strings, not {other}"),
    }
}

/// Is this a type [`as_strings`] can read?
pub fn readable_as_strings(data_type: &DataType) -> bool {
    arrow::compute::can_cast_types(data_type, &DataType::Utf8)
}

/// The first null row, for a column that must have none.
pub fn first_null(array: &ArrayRef) -> Option<usize> {
    if array.null_count() == 0 {
        return None;
    }
    (0..array.len()).find(|&i| array.is_null(i))
}
