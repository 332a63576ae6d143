//! [`FileFacts`]: each document's exact hash, length and date, kept for
//! the keep policy and for grouping exact copies, in memory up to a share
//! of the budget and in temporary files beyond it.

use std::io;
use std::path::Path;

use thresh_engine::fact_store::{first_copies_in, DocumentFacts, FactStore};

use super::partitioned::PARTS;
use super::{Partitioned, SpillLog};

/// Bytes of a document's (length, date) record.
const KEEP_FACTS_BYTES: usize = 12;

/// A [`FactStore`] that groups exact copies by an external sort: each
/// (exact hash, document) goes to the part of its hash's high byte, and
/// each part is sorted alone. Lengths and dates are fixed records read at
/// their document's offset.
pub struct FileFacts {
    exact: Partitioned,
    keep_facts: SpillLog,
    documents: usize,
}

impl FileFacts {
    /// A store whose two halves each hold up to `share` bytes in memory
    /// before they move to unlinked files in `dir`.
    pub fn new(dir: &Path, share: u64) -> Self {
        FileFacts {
            exact: Partitioned::new(dir, "the exact hash of every document", share),
            keep_facts: SpillLog::new(dir, "the length and date of every document", share),
            documents: 0,
        }
    }
}

impl FactStore for FileFacts {
    fn append(&mut self, facts: &[DocumentFacts]) -> io::Result<()> {
        let mut keep = [0u8; KEEP_FACTS_BYTES];
        for fact in facts {
            self.exact.push_hash(fact.exact, self.documents as u32)?;
            keep[..8].copy_from_slice(&fact.length.to_le_bytes());
            keep[8..].copy_from_slice(&fact.date.to_le_bytes());
            self.keep_facts.append(&keep)?;
            self.documents += 1;
        }
        Ok(())
    }

    fn seal(&mut self) -> io::Result<()> {
        self.exact.seal()?;
        self.keep_facts.seal()
    }

    fn first_copies(&self) -> io::Result<Vec<u32>> {
        let mut first_copy = vec![0u32; self.documents];
        for part in 0..PARTS {
            let mut entries = self.exact.hash_part(part)?;
            first_copies_in(&mut entries, &mut first_copy);
        }
        Ok(first_copy)
    }

    fn keep_facts(&self, doc: u32) -> io::Result<(u64, u32)> {
        let mut record = [0u8; KEEP_FACTS_BYTES];
        self.keep_facts
            .read_at(&mut record, doc as u64 * KEEP_FACTS_BYTES as u64)?;
        Ok((
            u64::from_le_bytes(record[..8].try_into().expect("8 bytes")),
            u32::from_le_bytes(record[8..].try_into().expect("4 bytes")),
        ))
    }

    fn keep_facts_of(&self, docs: &[u32]) -> io::Result<Vec<(u64, u32)>> {
        let mut facts = Vec::with_capacity(docs.len());
        let record = KEEP_FACTS_BYTES as u64;
        self.keep_facts.read_in_order(
            docs.iter()
                .map(|&doc| doc as u64 * record..(doc as u64 + 1) * record),
            |bytes| {
                facts.push((
                    u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")),
                    u32::from_le_bytes(bytes[8..].try_into().expect("4 bytes")),
                ));
                Ok(())
            },
        )?;
        Ok(facts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use thresh_engine::fact_store::{MemoryFacts, NO_DATE};

    #[test]
    fn spilled_facts_equal_facts_in_memory() {
        // Hashes that share their high byte and hashes that do not.
        let facts: Vec<DocumentFacts> = (0..500u32)
            .map(|doc| DocumentFacts {
                exact: ((doc % 37) as u128) << (if doc % 2 == 0 { 120 } else { 3 }),
                length: doc as u64 * 7,
                date: if doc % 3 == 0 { NO_DATE } else { doc / 10 },
            })
            .collect();
        let mut memory = MemoryFacts::default();
        let dir = tempfile::tempdir().unwrap();
        let mut file = FileFacts::new(dir.path(), 64);
        for batch in facts.chunks(128) {
            memory.append(batch).unwrap();
            file.append(batch).unwrap();
        }
        memory.seal().unwrap();
        file.seal().unwrap();
        assert!(file.exact.spilled());
        assert_eq!(file.first_copies().unwrap(), memory.first_copies().unwrap());
        for doc in [0, 1, 3, 250, 499] {
            assert_eq!(
                file.keep_facts(doc).unwrap(),
                memory.keep_facts(doc).unwrap()
            );
        }
    }
}
