//! Document ids are unique within a run. Two documents under one id would
//! make a cluster whose representative is its own member and two kept
//! records nobody can tell apart, so the second use of an id stops the run
//! with both places named (even with `--skip-bad`: neither record is
//! damaged, and which one is meant is the user's to say). `index add`
//! checks as it reads ([`UniqueIds`], a table in memory: a batch must not
//! be committed first); `dedup` checks at the end of its first pass, before
//! anything is written ([`IdCheck`], an external sort within the memory
//! budget).
//!
//! [`IdList`] keeps every id in input order for the records, within the
//! same budget.

use std::collections::HashSet;
use std::io;
use std::path::Path;

use anyhow::{bail, Result};
use thresh_engine::Document;
use thresh_io::{DocumentReader, Input};
use xxhash_rust::xxh3::xxh3_128;

use crate::read::InputOptions;
use crate::spill::{Partitioned, SpillLog};

/// Document ids in input order, in one log of bytes and one of where each
/// id ends (8 bytes a document besides the ids' own bytes, where a
/// `Vec<String>` takes 24 and an allocation each). In memory, or within
/// a budget with the rest in temporary files.
pub struct IdList {
    text: SpillLog,
    /// Where each id ends in `text`, 8 bytes each.
    ends: SpillLog,
    len: usize,
}

impl Default for IdList {
    fn default() -> Self {
        IdList {
            text: SpillLog::in_memory("document ids"),
            ends: SpillLog::in_memory("where each document id ends"),
            len: 0,
        }
    }
}

impl IdList {
    /// A list whose two logs each keep up to `share` bytes in memory and
    /// the rest in unlinked files in `dir`.
    pub fn within(dir: &Path, share: u64) -> Self {
        IdList {
            text: SpillLog::new(dir, "document ids", share),
            ends: SpillLog::new(dir, "where each document id ends", share),
            len: 0,
        }
    }

    pub fn push(&mut self, id: &str) -> io::Result<()> {
        self.text.append(id.as_bytes())?;
        self.ends.append(&self.text.len().to_le_bytes())?;
        self.len += 1;
        Ok(())
    }

    /// Every id is in; reads may begin.
    pub fn seal(&mut self) -> io::Result<()> {
        self.text.seal()?;
        self.ends.seal()
    }

    /// Id number `index`; panics past the end, like a slice.
    pub fn get(&self, index: usize) -> io::Result<String> {
        assert!(index < self.len, "id {index} past {}", self.len);
        let (start, end) = self.ends.span(index as u64)?;
        let mut bytes = vec![0u8; (end - start) as usize];
        self.text.read_at(&mut bytes, start)?;
        String::from_utf8(bytes)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "an id read back is not UTF-8"))
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The ids of `docs` (sorted, without repeats), read in one pass from
    /// the start of the list to its end: what the clusters' records need,
    /// read without a random read per id.
    pub fn of(&self, docs: Vec<u32>) -> io::Result<SomeIds> {
        debug_assert!(docs.windows(2).all(|pair| pair[0] < pair[1]));
        let mut spans = Vec::with_capacity(docs.len());
        self.ends.read_in_order(
            docs.iter().map(|&doc| match doc {
                0 => 0..8,
                doc => (doc as u64 - 1) * 8..(doc as u64 + 1) * 8,
            }),
            |bytes| {
                let end =
                    |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
                spans.push(match bytes.len() {
                    8 => (0, end(0)),
                    _ => (end(0), end(8)),
                });
                Ok(())
            },
        )?;
        let mut text = Vec::new();
        let mut ends = Vec::with_capacity(docs.len());
        self.text
            .read_in_order(spans.iter().map(|&(start, end)| start..end), |bytes| {
                text.extend_from_slice(bytes);
                ends.push(text.len());
                Ok(())
            })?;
        let text = String::from_utf8(text).map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidData, "ids read back are not UTF-8")
        })?;
        Ok(SomeIds { docs, text, ends })
    }
}

/// The ids of some documents, read together ([`IdList::of`]).
pub struct SomeIds {
    docs: Vec<u32>,
    text: String,
    /// Where each id ends in `text`.
    ends: Vec<usize>,
}

impl SomeIds {
    /// The id of `doc`, one of those read; panics for another.
    pub fn get(&self, doc: u32) -> &str {
        let at = self.docs.binary_search(&doc).expect("an id that was read");
        let start = if at == 0 { 0 } else { self.ends[at - 1] };
        &self.text[start..self.ends[at]]
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

/// Ids checked for uniqueness at the end of a pass, in bounded memory:
/// each id's 128-bit hash and document number go to the part of the
/// hash's high byte, and each part is sorted alone at the end. The error
/// is the one [`UniqueIds`] gives, for the same pair: the repeat that
/// comes first in input order.
pub struct IdCheck {
    hashes: Partitioned,
    documents: u32,
}

impl IdCheck {
    /// A check that keeps up to `share` bytes in memory and the rest in an
    /// unlinked file in `dir`.
    pub fn within(dir: &Path, share: u64) -> Self {
        IdCheck {
            hashes: Partitioned::new(dir, "a hash of every document id", share),
            documents: 0,
        }
    }

    /// A check that keeps everything in memory.
    pub fn in_memory() -> Self {
        IdCheck {
            hashes: Partitioned::in_memory("a hash of every document id"),
            documents: 0,
        }
    }

    pub fn record(&mut self, batch: &[Document]) -> io::Result<()> {
        for doc in batch {
            self.hashes
                .push_hash(xxh3_128(doc.id.as_bytes()), self.documents)?;
            self.documents += 1;
        }
        Ok(())
    }

    /// Fails naming both places when an id was given twice.
    pub fn finish(mut self, inputs: &[Input], input: &InputOptions) -> Result<()> {
        self.hashes.seal()?;
        // (document of the repeat, hash) of the earliest repeat.
        let mut earliest: Option<(u32, u128)> = None;
        for part in 0..crate::spill::PARTS {
            let mut entries = self.hashes.hash_part(part)?;
            entries.sort_unstable();
            for pair in entries.windows(2).filter(|pair| pair[0].0 == pair[1].0) {
                if earliest.is_none_or(|(doc, _)| pair[1].1 < doc) {
                    earliest = Some((pair[1].1, pair[1].0));
                }
            }
        }
        let Some((_, hash)) = earliest else {
            return Ok(());
        };
        let mut places = DocumentReader::new(inputs.to_vec(), input.read.clone())
            .filter_map(Result::ok)
            .filter(|doc| xxh3_128(doc.id.as_bytes()) == hash)
            .map(|doc| (doc.id, doc.origin.to_string()));
        match (places.next(), places.next()) {
            (Some((id, first)), Some((_, again))) => bail!(
                "document id {id:?} is given twice, at {first} and at {again}: ids must be unique within a run"
            ),
            _ => bail!("a document id is given twice: ids must be unique within a run"),
        }
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
            ids.push(id).unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let mut spilled = IdList::within(dir.path(), 3);
        for id in ["a", "", "ccc", "dé"] {
            spilled.push(id).unwrap();
        }
        spilled.seal().unwrap();
        for ids in [ids, spilled] {
            assert_eq!(ids.len(), 4);
            let read: Vec<String> = (0..4).map(|i| ids.get(i).unwrap()).collect();
            assert_eq!(read, ["a", "", "ccc", "dé"]);
            let some = ids.of(vec![0, 1, 3]).unwrap();
            assert_eq!([some.get(0), some.get(1), some.get(3)], ["a", "", "dé"]);
        }
    }
}
