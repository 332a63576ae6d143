//! Document ids are unique within a run. Two documents under one id would
//! make a cluster whose representative is its own member and two kept
//! records nobody can tell apart, so the second use of an id stops the run
//! with both places named (even with `--skip-bad`: neither record is
//! damaged, and which one is meant is the user's to say).

use std::collections::HashSet;

use anyhow::{bail, Result};
use thresh_engine::Document;
use thresh_io::{DocumentReader, Input};
use xxhash_rust::xxh3::xxh3_128;

use thresh_engine::paged::Paged;

use crate::read::InputOptions;

/// Document ids in input order, in one buffer: 8 bytes a document besides
/// the ids' own bytes, where a `Vec<String>` takes 24 and an allocation
/// each (about 50 MB less at a million documents).
#[derive(Debug, Default)]
pub struct IdList {
    text: String,
    /// Where each id ends in `text`.
    ends: Paged<u64>,
}

impl IdList {
    pub fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len() as u64);
    }

    /// Id number `index`; panics past the end, like a slice.
    pub fn get(&self, index: usize) -> &str {
        let start = if index == 0 {
            0
        } else {
            self.ends.get(index - 1)
        };
        &self.text[start as usize..self.ends.get(index) as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}

/// The ids seen so far in a run, as 128-bit hashes (16 bytes a document,
/// and collisions are out of reach at any corpus size).
#[derive(Default)]
pub struct UniqueIds {
    seen: HashSet<u128>,
}

impl UniqueIds {
    /// Records the ids of `batch`; an id seen before is an error naming
    /// where it was first given (found by reading `inputs` again, which
    /// only this error costs) and where again.
    pub fn check(
        &mut self,
        batch: &[Document],
        inputs: &[Input],
        input: &InputOptions,
    ) -> Result<()> {
        for doc in batch {
            if !self.seen.insert(xxh3_128(doc.id.as_bytes())) {
                let first = first_place(inputs, input, &doc.id);
                bail!(
                    "document id {:?} is given twice, at {first} and at {}: ids must be unique within a run",
                    doc.id,
                    doc.origin
                );
            }
        }
        Ok(())
    }
}

/// Where the first document with `id` comes from.
fn first_place(inputs: &[Input], input: &InputOptions, id: &str) -> String {
    DocumentReader::new(inputs.to_vec(), input.read.clone())
        .filter_map(Result::ok)
        .find(|doc| doc.id == id)
        .map_or_else(
            || "an earlier document".into(),
            |doc| doc.origin.to_string(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_back_in_order() {
        let mut ids = IdList::default();
        for id in ["a", "", "ccc", "dé"] {
            ids.push(id);
        }
        assert_eq!(ids.len(), 4);
        assert_eq!(
            [ids.get(0), ids.get(1), ids.get(2), ids.get(3)],
            ["a", "", "ccc", "dé"]
        );
    }
}
