//! The document record: what the store keeps about each document (under
//! key `D` + id, see `layout.rs`), and its byte encoding.
//!
//! Little-endian: exact hash (16 bytes), status (1), matched id (8), root
//! id (8), signature length k (2) and k × u32, date length (2; `u16::MAX`
//! for no date) and the date, the source id, then the xxh3-64 of all
//! before it seeded with the document's id (8). The checksum is checked
//! whenever a record is read, so a damaged record (or one under another
//! document's key) is an error, never a wrong answer.

use thresh_engine::dedup::MatchKind;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::layout::STORE_FILE;
use crate::verdict::DocRef;
use crate::IndexError;

/// What was decided for a document: one byte of its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// New when it was added: kept, and its own root.
    Kept,
    /// The same normalized text as an earlier document.
    Exact,
    /// Similar enough to an earlier document.
    Near,
}

impl Status {
    /// The status of a document that a match of `kind` made a duplicate.
    pub(crate) fn duplicate(kind: MatchKind) -> Status {
        match kind {
            MatchKind::Exact => Status::Exact,
            MatchKind::Near => Status::Near,
        }
    }

    /// Kept and near-duplicate documents are the first copy of their
    /// normalized text: only they get an exact-hash entry (and, with words,
    /// a signature and band entries). Exact copies match through theirs.
    pub(crate) fn is_first_copy(self) -> bool {
        self != Status::Exact
    }

    fn to_byte(self) -> u8 {
        match self {
            Status::Kept => 0,
            Status::Exact => 1,
            Status::Near => 2,
        }
    }

    fn from_byte(byte: u8) -> Result<Status, IndexError> {
        match byte {
            0 => Ok(Status::Kept),
            1 => Ok(Status::Exact),
            2 => Ok(Status::Near),
            _ => Err(IndexError::Corrupt(format!(
                "document record with unknown status {byte}"
            ))),
        }
    }
}

/// A stored document record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    /// xxh3-128 of the normalized text.
    pub exact: u128,
    pub status: Status,
    /// The document it matched; its own id when kept.
    pub matched: u64,
    /// The kept document `matched` leads back to; its own id when kept.
    pub root: u64,
    /// Empty unless the document is a first copy with words.
    pub signature: Vec<u32>,
    pub date: Option<String>,
    pub source_id: String,
}

impl Record {
    /// The bytes of document `id`'s record.
    pub(crate) fn encode(&self, id: u64) -> Vec<u8> {
        let date = self.date.as_deref().unwrap_or("");
        let mut out = Vec::with_capacity(
            16 + 1 + 16 + 2 + 4 * self.signature.len() + 2 + date.len() + self.source_id.len() + 8,
        );
        out.extend_from_slice(&self.exact.to_le_bytes());
        out.push(self.status.to_byte());
        out.extend_from_slice(&self.matched.to_le_bytes());
        out.extend_from_slice(&self.root.to_le_bytes());
        out.extend_from_slice(&(self.signature.len() as u16).to_le_bytes());
        for value in &self.signature {
            out.extend_from_slice(&value.to_le_bytes());
        }
        // Dates longer than this are cut: they only explain a match.
        let date = &date[..floor_char_boundary(date, u16::MAX as usize - 1)];
        let date_len = if self.date.is_some() {
            date.len() as u16
        } else {
            u16::MAX
        };
        out.extend_from_slice(&date_len.to_le_bytes());
        out.extend_from_slice(date.as_bytes());
        out.extend_from_slice(self.source_id.as_bytes());
        let checksum = xxh3_64_with_seed(&out, id);
        out.extend_from_slice(&checksum.to_le_bytes());
        out
    }

    /// Document `id`'s record from its bytes, checked.
    pub(crate) fn decode(id: u64, bytes: &[u8]) -> Result<Record, IndexError> {
        let damaged =
            || IndexError::Corrupt(format!("{STORE_FILE}: document record {id} is damaged"));
        let (bytes, checksum) = bytes.split_last_chunk::<8>().ok_or_else(damaged)?;
        if u64::from_le_bytes(*checksum) != xxh3_64_with_seed(bytes, id) {
            return Err(IndexError::Corrupt(format!(
                "{STORE_FILE}: document record {id} is damaged (checksum mismatch)"
            )));
        }
        let corrupt =
            || IndexError::Corrupt(format!("{STORE_FILE}: document record {id} is truncated"));
        let take = |at: &mut usize, n: usize| -> Result<&[u8], IndexError> {
            let slice = bytes.get(*at..*at + n).ok_or_else(corrupt)?;
            *at += n;
            Ok(slice)
        };
        let mut at = 0;
        let exact = u128::from_le_bytes(take(&mut at, 16)?.try_into().unwrap());
        let status = Status::from_byte(take(&mut at, 1)?[0])?;
        let matched = u64::from_le_bytes(take(&mut at, 8)?.try_into().unwrap());
        let root = u64::from_le_bytes(take(&mut at, 8)?.try_into().unwrap());
        let k = u16::from_le_bytes(take(&mut at, 2)?.try_into().unwrap()) as usize;
        let signature = take(&mut at, 4 * k)?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        let date_len = u16::from_le_bytes(take(&mut at, 2)?.try_into().unwrap());
        let date = if date_len == u16::MAX {
            None
        } else {
            let raw = take(&mut at, date_len as usize)?;
            Some(String::from_utf8(raw.to_vec()).map_err(|_| corrupt())?)
        };
        let source_id = String::from_utf8(bytes[at..].to_vec()).map_err(|_| corrupt())?;
        Ok(Record {
            exact,
            status,
            matched,
            root,
            signature,
            date,
            source_id,
        })
    }

    /// This record as a match names it, `id` being its index id.
    pub(crate) fn doc_ref(&self, id: u64) -> DocRef {
        DocRef {
            id,
            source_id: self.source_id.clone(),
            date: self.date.clone(),
        }
    }
}

fn floor_char_boundary(s: &str, max: usize) -> usize {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip() {
        let record = Record {
            exact: 0x0123_4567_89ab_cdef_0011_2233_4455_6677,
            status: Status::Near,
            matched: 7,
            root: 3,
            signature: vec![1, 2, 3, u32::MAX],
            date: Some("2024-11-03".into()),
            source_id: "doc-é".into(),
        };
        assert_eq!(Record::decode(9, &record.encode(9)).unwrap(), record);
        let undated = Record {
            date: None,
            signature: Vec::new(),
            ..record
        };
        assert_eq!(Record::decode(9, &undated.encode(9)).unwrap(), undated);
        assert!(Record::decode(9, &[1, 2, 3]).is_err());
    }

    #[test]
    fn a_damaged_record_or_one_under_another_id_is_refused() {
        let record = Record {
            exact: 42,
            status: Status::Kept,
            matched: 5,
            root: 5,
            signature: vec![1, 2, 3],
            date: None,
            source_id: "a".into(),
        };
        let bytes = record.encode(5);
        for at in [0, 17, 40, bytes.len() - 1] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x10;
            let error = Record::decode(5, &damaged).unwrap_err();
            assert!(error.to_string().contains("document record 5"), "{error}");
        }
        assert!(Record::decode(6, &bytes).is_err());
    }

    #[test]
    fn statuses_keep_their_bytes() {
        // The bytes are on disk: they must never change.
        for (status, byte) in [(Status::Kept, 0), (Status::Exact, 1), (Status::Near, 2)] {
            assert_eq!(status.to_byte(), byte);
            assert_eq!(Status::from_byte(byte).unwrap(), status);
        }
        assert!(Status::from_byte(3).is_err());
    }
}
