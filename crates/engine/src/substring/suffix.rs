//! The suffix array of the corpus's units (libsais, on every thread the
//! run may use) and the one scan over it that finds every window of
//! `span` units that has an earlier copy.
//!
//! All suffixes that begin with the same `span` units stand next to each
//! other in the suffix array, so one pass that compares each suffix with
//! its neighbour for `span` units finds the groups of equal windows. In
//! each group the smallest position is the first copy in input order, and
//! every other member is a later one. A window that runs past the end of
//! its document is no copy of anything: it stays in the group (its units
//! are the group's) but is never a member of it.

use libsais::{suffix_array::AlphabetSize, SuffixArrayConstruction, ThreadCount};
use rayon::prelude::*;

use super::SubstringError;

/// A suffix array, with 32-bit positions while the text allows.
pub(super) enum SuffixArray {
    Narrow(Vec<i32>),
    Wide(Vec<i64>),
}

/// The position of a window with an earlier copy, and the position of the
/// first copy of its units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct LaterWindow {
    pub later: u64,
    pub first: u64,
}

fn thread_count(threads: usize) -> ThreadCount {
    ThreadCount::fixed(threads.clamp(1, u16::MAX as usize) as u16)
}

fn construction_failed(error: libsais::LibsaisError) -> SubstringError {
    SubstringError::SuffixArray(format!("{error:?}"))
}

/// The suffix array of a byte text.
pub(super) fn of_bytes(text: &[u8], threads: usize) -> Result<SuffixArray, SubstringError> {
    let threads = thread_count(threads);
    if text.len() < i32::MAX as usize {
        let built = SuffixArrayConstruction::for_text(text)
            .in_owned_buffer32()
            .multi_threaded(threads)
            .run()
            .map_err(construction_failed)?;
        Ok(SuffixArray::Narrow(built.into_vec()))
    } else {
        let built = SuffixArrayConstruction::for_text(text)
            .in_owned_buffer64()
            .multi_threaded(threads)
            .run()
            .map_err(construction_failed)?;
        Ok(SuffixArray::Wide(built.into_vec()))
    }
}

/// The suffix array of a token text whose values lie in `0..alphabet`.
/// libsais sorts such a text in place and gives it back unchanged.
pub(super) fn of_tokens(
    text: &mut [i32],
    alphabet: usize,
    threads: usize,
) -> Result<SuffixArray, SubstringError> {
    let threads = thread_count(threads);
    if text.len() < i32::MAX as usize {
        let construction = SuffixArrayConstruction::for_text_mut(text)
            .in_owned_buffer32()
            .multi_threaded(threads);
        // SAFETY: every token id is in 0..alphabet (ids are handed out in
        // order by `SpanFinder`, and alphabet is their count).
        let construction =
            unsafe { construction.with_alphabet_size(AlphabetSize::new(alphabet.max(1) as i32)) };
        Ok(SuffixArray::Narrow(
            construction.run().map_err(construction_failed)?.into_vec(),
        ))
    } else {
        // libsais sorts texts of more than 2^31 symbols only as 64-bit
        // values: a wider copy, for the run's duration.
        let mut wide: Vec<i64> = text.iter().map(|&t| t as i64).collect();
        let construction = SuffixArrayConstruction::for_text_mut(&mut wide)
            .in_owned_buffer64()
            .multi_threaded(threads);
        // SAFETY: as above.
        let construction =
            unsafe { construction.with_alphabet_size(AlphabetSize::new(alphabet.max(1) as i64)) };
        Ok(SuffixArray::Wide(
            construction.run().map_err(construction_failed)?.into_vec(),
        ))
    }
}

/// A suffix array entry as a position.
pub(super) trait Position: Copy + Send + Sync {
    fn at(self) -> usize;
}

impl Position for i32 {
    fn at(self) -> usize {
        self as usize
    }
}

impl Position for i64 {
    fn at(self) -> usize {
        self as usize
    }
}

/// Every window of `span` units with an earlier copy, sorted by position.
/// `doc_starts` holds where each document begins and, last, the end of
/// the text.
pub(super) fn later_windows<T: Eq + Sync>(
    text: &[T],
    suffixes: &SuffixArray,
    doc_starts: &[u64],
    span: usize,
) -> Vec<LaterWindow> {
    let mut found = match suffixes {
        SuffixArray::Narrow(sa) => scan(text, sa, doc_starts, span),
        SuffixArray::Wide(sa) => scan(text, sa, doc_starts, span),
    };
    found.par_sort_unstable();
    found
}

/// Entries per piece of work: large enough that the scan of a group that
/// crosses into the next piece is a small part of it.
const CHUNK: usize = 1 << 16;

fn scan<T: Eq + Sync, P: Position>(
    text: &[T],
    sa: &[P],
    doc_starts: &[u64],
    span: usize,
) -> Vec<LaterWindow> {
    if span == 0 || sa.len() < 2 {
        return Vec::new();
    }
    // Whether suffix `i` and suffix `i + 1` begin with the same `span` units.
    let same_window = |i: usize| -> bool {
        let (a, b) = (sa[i].at(), sa[i + 1].at());
        a + span <= text.len() && b + span <= text.len() && text[a..a + span] == text[b..b + span]
    };
    let chunks = sa.len().div_ceil(CHUNK);
    (0..chunks)
        .into_par_iter()
        .flat_map_iter(|chunk| {
            let (lo, hi) = (chunk * CHUNK, ((chunk + 1) * CHUNK).min(sa.len()));
            // Groups are handled by the piece they begin in.
            let mut i = lo;
            while i > 0 && i < hi && same_window(i - 1) {
                i += 1;
            }
            let mut found = Vec::new();
            let mut members = Vec::new();
            while i < hi {
                let group_start = i;
                while i + 1 < sa.len() && same_window(i) {
                    i += 1;
                }
                if i > group_start {
                    members.clear();
                    members.extend(
                        sa[group_start..=i]
                            .iter()
                            .map(|p| p.at() as u64)
                            .filter(|&at| within_one_document(at, span as u64, doc_starts)),
                    );
                    push_later_copies(&members, &mut found);
                }
                i += 1;
            }
            found
        })
        .collect()
}

/// Whether the window of `span` units at `at` lies inside one document.
fn within_one_document(at: u64, span: u64, doc_starts: &[u64]) -> bool {
    // The first document that starts after `at` ends the window's room.
    let next = doc_starts.partition_point(|&start| start <= at);
    next < doc_starts.len() && at + span <= doc_starts[next]
}

/// Every member of a group of equal windows but its first.
fn push_later_copies(members: &[u64], found: &mut Vec<LaterWindow>) {
    let Some(&first) = members.iter().min() else {
        return;
    };
    found.extend(
        members
            .iter()
            .filter(|&&at| at != first)
            .map(|&later| LaterWindow { later, first }),
    );
}
