//! The suffix array of the corpus's units (libsais, on every thread the
//! run may use) and the passes over it that find every window of `span`
//! units that has an earlier copy.
//!
//! All suffixes that begin with the same `span` units stand next to each
//! other in the suffix array, so one pass that compares each suffix with
//! its neighbour for `span` units finds the groups of equal windows (the
//! links); two more walk the groups without reading text again. In
//! each group the smallest position is the first copy in input order, and
//! every other member is a later one. Each document is followed by a
//! separator unit that no text holds (0xFF, never in UTF-8; token id 0): a
//! window holding it runs past the end of its document, and is linked to
//! no other, so no repeat crosses from one document into the next.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use libsais::{suffix_array::AlphabetSize, SuffixArrayConstruction, ThreadCount};
use rayon::prelude::*;

use super::pieces::{for_each_region, tile_region, GlobalPiece};
use super::SubstringError;

/// A suffix array, with 32-bit positions while the text allows.
pub(super) enum SuffixArray {
    Narrow(Vec<i32>),
    Wide(Vec<i64>),
}

/// Whether libsais gives a text of `len` units 32-bit positions; longer
/// texts take 64-bit ones (and token texts a 64-bit copy of their ids).
pub(super) fn narrow(len: u64) -> bool {
    len < i32::MAX as u64
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
    if narrow(text.len() as u64) {
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
    if narrow(text.len() as u64) {
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

/// Every window of `span` units with an earlier copy, in a text whose
/// documents are each followed by `separator`.
///
/// Two scans of the suffix array: the first marks the later copies in a
/// bitmap, the second writes each one's first copy at its rank among them.
/// So the result costs a bit per unit and one position per later window,
/// in position order, with no sort.
pub(super) fn later_windows<T: Copy + Eq + Sync>(
    text: &[T],
    suffixes: &SuffixArray,
    span: usize,
    separator: T,
) -> LaterWindows {
    match suffixes {
        SuffixArray::Narrow(sa) => find_later_windows(text, sa, span, separator),
        SuffixArray::Wide(sa) => find_later_windows(text, sa, span, separator),
    }
}

fn find_later_windows<T: Copy + Eq + Sync, P: Position>(
    text: &[T],
    sa: &[P],
    span: usize,
    separator: T,
) -> LaterWindows {
    let links = links(text, sa, span, separator);
    let words = text.len().div_ceil(64);
    let bits: Vec<AtomicU64> = (0..words).map(|_| AtomicU64::new(0)).collect();
    for_each_group(
        sa,
        &links,
        |at| prefetch(&bits[at / 64]),
        |_, later| {
            bits[(later / 64) as usize].fetch_or(1 << (later % 64), Ordering::Relaxed);
        },
    );
    let mut total = 0u64;
    let words: Vec<RankedWord> = bits
        .into_iter()
        .map(|bits| {
            let bits = bits.into_inner();
            let word = RankedWord {
                bits,
                before: total,
            };
            total += u64::from(bits.count_ones());
            word
        })
        .collect();
    let windows = LaterWindows {
        words,
        firsts: Positions::zeroed(total as usize, text.len() as u64),
    };
    for_each_group(
        sa,
        &links,
        |at| prefetch(&windows.words[at / 64]),
        |first, later| windows.firsts.set(windows.rank(later), first),
    );
    windows
}

/// The positions of every window with an earlier copy, and where each
/// one's first copy stands.
pub(super) struct LaterWindows {
    /// Bit `p` is set when the window at `p` has an earlier copy.
    words: Vec<RankedWord>,
    /// The first copy of each later window, by rank.
    firsts: Positions,
}

/// 64 bits of the bitmap and the set bits before them, side by side so
/// that a rank costs one look-up.
struct RankedWord {
    bits: u64,
    before: u64,
}

impl LaterWindows {
    /// The later windows' positions, in order.
    pub fn positions(&self) -> impl Iterator<Item = u64> + '_ {
        self.words.iter().enumerate().flat_map(|(index, word)| {
            let base = index as u64 * 64;
            BitPositions(word.bits).map(move |bit| base + bit)
        })
    }

    /// Where the first copy of the later window at `later` stands.
    pub fn first_of(&self, later: u64) -> u64 {
        self.firsts.get(self.rank(later))
    }

    /// The pieces of every region the windows cover, in order.
    pub fn pieces<T: Eq>(&self, text: &[T], span: u64) -> Vec<GlobalPiece> {
        let mut pieces = Vec::new();
        for_each_region(self.positions(), span, |starts, end| {
            tile_region(text, starts, end, |w| self.first_of(w), &mut pieces);
        });
        pieces
    }

    /// The number of later windows before position `at`.
    fn rank(&self, at: u64) -> usize {
        let word = &self.words[(at / 64) as usize];
        let below = word.bits & ((1u64 << (at % 64)) - 1);
        (word.before + u64::from(below.count_ones())) as usize
    }
}

/// The set bits of a word, lowest first.
pub(super) struct BitPositions(pub u64);

impl Iterator for BitPositions {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.0 == 0 {
            return None;
        }
        let bit = self.0.trailing_zeros();
        self.0 &= self.0 - 1;
        Some(u64::from(bit))
    }
}

/// Positions written from many threads at distinct indices: 32 bits each
/// while the text allows.
enum Positions {
    Narrow(Vec<AtomicU32>),
    Wide(Vec<AtomicU64>),
}

impl Positions {
    fn zeroed(len: usize, text_len: u64) -> Self {
        match text_len <= u64::from(u32::MAX) {
            true => Positions::Narrow((0..len).map(|_| AtomicU32::new(0)).collect()),
            false => Positions::Wide((0..len).map(|_| AtomicU64::new(0)).collect()),
        }
    }

    fn set(&self, index: usize, value: u64) {
        match self {
            Positions::Narrow(values) => values[index].store(value as u32, Ordering::Relaxed),
            Positions::Wide(values) => values[index].store(value, Ordering::Relaxed),
        }
    }

    fn get(&self, index: usize) -> u64 {
        match self {
            Positions::Narrow(values) => u64::from(values[index].load(Ordering::Relaxed)),
            Positions::Wide(values) => values[index].load(Ordering::Relaxed),
        }
    }
}

/// Entries per piece of work: large enough that the scan of a group that
/// crosses into the next piece is a small part of it (a multiple of 64, so
/// that each piece has words of a bitmap over the entries to itself).
const CHUNK: usize = 1 << 16;

/// How far ahead of its comparisons the scan asks for the text it will
/// compare next, in suffix array entries: the suffixes' texts are
/// scattered, and waiting for each in turn would leave the scan bound by
/// memory latency.
const PREFETCH_AHEAD: usize = 64;

/// The links of the suffix array: bit `i` is set when suffixes `i` and
/// `i + 1` begin with the same `span` units and no separator (the LCP
/// array's `lcp >= span`, without its 4 bytes per entry). The only pass
/// that reads text.
fn links<T: Copy + Eq + Sync, P: Position>(
    text: &[T],
    sa: &[P],
    span: usize,
    separator: T,
) -> Vec<u64> {
    let mut links = vec![0u64; sa.len().div_ceil(64)];
    let same_window = |i: usize| -> bool {
        let (a, b) = (sa[i].at(), sa[i + 1].at());
        a + span <= text.len()
            && b + span <= text.len()
            && text[a..a + span] == text[b..b + span]
            && !text[a..a + span].contains(&separator)
    };
    links
        .par_chunks_mut(CHUNK / 64)
        .enumerate()
        .for_each(|(chunk, words)| {
            for (w, word) in words.iter_mut().enumerate() {
                let lo = chunk * CHUNK + w * 64;
                for ahead in sa.iter().skip(lo + PREFETCH_AHEAD).take(64) {
                    prefetch(&text[ahead.at()]);
                }
                for i in lo..(lo + 64).min(sa.len().saturating_sub(1)) {
                    if same_window(i) {
                        *word |= 1 << (i - lo);
                    }
                }
            }
        });
    links
}

/// A hint that `value` will be read soon.
#[inline]
pub(super) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: a prefetch only hints the cache; the pointer comes from a
        // reference and is never read through here.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// Calls `later_copy(first, later)` for every window with an earlier copy,
/// from all threads: the suffix array is cut into pieces of work, each
/// taking the groups of linked entries that begin in it. `ahead(position)`
/// is called for entries [`PREFETCH_AHEAD`] before `later_copy` may see
/// them, to ask for the memory it will touch.
fn for_each_group<P: Position>(
    sa: &[P],
    links: &[u64],
    ahead: impl Fn(usize) + Sync,
    later_copy: impl Fn(u64, u64) + Sync,
) {
    let linked = |i: usize| links[i / 64] & (1 << (i % 64)) != 0;
    let chunks = sa.len().div_ceil(CHUNK);
    (0..chunks).into_par_iter().for_each(|chunk| {
        let (lo, hi) = (chunk * CHUNK, ((chunk + 1) * CHUNK).min(sa.len()));
        // Groups are handled by the piece they begin in.
        let mut i = lo;
        while i > 0 && i < hi && linked(i - 1) {
            i += 1;
        }
        let mut asked = i;
        while i < hi {
            let group_start = i;
            while linked(i) {
                i += 1;
            }
            while asked < (i + PREFETCH_AHEAD).min(sa.len()) {
                let member = linked(asked) || (asked > 0 && linked(asked - 1));
                if member {
                    ahead(sa[asked].at());
                }
                asked += 1;
            }
            if i > group_start {
                let members = &sa[group_start..=i];
                let first = members.iter().map(|p| p.at()).min().unwrap_or(0) as u64;
                for later in members.iter().map(|p| p.at() as u64) {
                    if later != first {
                        later_copy(first, later);
                    }
                }
            }
            i += 1;
        }
    });
}
