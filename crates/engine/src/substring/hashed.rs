//! Every window of `span` units with an earlier copy, found by hashing the
//! windows instead of sorting the suffixes: the same windows as
//! [`super::suffix`], in a few bytes a unit and a memory budget.
//!
//! ```text
//! text ─▶ rolling hash of every window ─▶ one share of the hashes a pass,
//!         dealt into buckets, sorted ─▶ equal hashes compared unit for unit
//!      ─▶ later windows (a bitmap) + the first copies of the windows that start runs
//!      ─▶ regions tiled into pieces
//! ```
//!
//! Each window's hash decides which pass takes it; a pass keeps its share
//! of (hash, position) entries (8 bytes each while positions fit in 32
//! bits), sorts them by hash, and compares each group of equal hashes
//! with the group's smallest position, unit for unit: a window equal to it
//! is a later copy. A hash never decides alone, so collisions cost time,
//! never a wrong window. The passes share one budget: more text means
//! more passes, not more memory.
//!
//! The pieces need the first copy of the window that covers each piece's
//! start. Rather than keep a position for every later window, a pass keeps
//! it only for the windows that start runs: a later window whose first
//! copy is one on from the first copy of the window before it continues
//! that window's run, and its first copy follows from the run's start
//! (see [`later_windows`] for how a pass tells, and the few it cannot
//! tell, which one more scan of the text looks up).
//!
//! The result, the pieces, is the same as the suffix array's and the
//! same whatever the number of threads: every first copy is the smallest
//! position of its window, and the run starts are sorted.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use super::pages::advise_huge_pages;
use super::pieces::{for_each_region, tile_region, GlobalPiece};
use super::suffix::{prefetch, BitPositions};

/// A unit the windows are hashed over.
pub(super) trait HashUnit: Copy + Eq + Send + Sync {
    fn value(self) -> u64;
}

impl HashUnit for u8 {
    fn value(self) -> u64 {
        u64::from(self)
    }
}

impl HashUnit for i32 {
    fn value(self) -> u64 {
        u64::from(self as u32)
    }
}

/// Positions per piece of work in a scan of the text: large enough that
/// restarting the rolling hash at each piece's start costs nothing.
const SCAN_CHUNK: usize = 1 << 20;

/// Entries a worker gathers before it adds them to the pass's share.
const FLUSH: usize = 1 << 14;

/// Entries ahead of the group being compared whose text is asked for.
const PREFETCH_AHEAD: usize = 64;

/// The polynomial hash of every window of `span` units, rolled one unit
/// at a time (wrapping 64-bit arithmetic). Its high bits depend on every
/// unit of the window, its low bits on few: the high bits choose a
/// window's pass, and the hash is mixed ([`mix`]) for everything else.
struct WindowHasher {
    span: usize,
    /// `BASE^span`, to take the unit leaving the window out.
    leaving: u64,
}

/// Odd, so that multiplying by it loses nothing.
const BASE: u64 = 0x9E37_79B9_7F4A_7C15;

impl WindowHasher {
    fn new(span: usize) -> Self {
        let leaving = (0..span).fold(1u64, |power, _| power.wrapping_mul(BASE));
        WindowHasher { span, leaving }
    }

    /// Calls `visit(position, hash)` for every window that starts in
    /// `starts` and holds no `separator`, in order of position.
    fn for_each_window<T: HashUnit>(
        &self,
        text: &[T],
        separator: T,
        starts: Range<usize>,
        mut visit: impl FnMut(usize, u64),
    ) {
        let end = (starts.end + self.span - 1).min(text.len());
        // The stretches between separators, each hashed in a tight loop.
        let mut at = starts.start;
        for stretch in text[starts.start..end].split(|&unit| unit == separator) {
            self.for_each_window_of_stretch(stretch, |from, hash| visit(at + from, hash));
            at += stretch.len() + 1;
        }
    }

    /// [`Self::for_each_window`] in units that hold no separator.
    #[inline]
    fn for_each_window_of_stretch<T: HashUnit>(
        &self,
        units: &[T],
        mut visit: impl FnMut(usize, u64),
    ) {
        let span = self.span;
        if units.len() < span {
            return;
        }
        let mut hash = units[..span].iter().fold(0u64, |hash, unit| {
            hash.wrapping_mul(BASE).wrapping_add(unit.value())
        });
        visit(0, hash);
        for (start, (entering, leaving)) in units[span..].iter().zip(units).enumerate() {
            hash = hash
                .wrapping_mul(BASE)
                .wrapping_add(entering.value())
                .wrapping_sub(leaving.value().wrapping_mul(self.leaving));
            visit(start + 1, hash);
        }
    }

    /// The rolling hash of the window at `at`, which holds no separator.
    fn hash_at<T: HashUnit>(&self, text: &[T], separator: T, at: usize) -> u64 {
        let mut found = 0;
        self.for_each_window(text, separator, at..at + 1, |_, hash| found = hash);
        found
    }
}

/// MurmurHash3's finaliser: every bit of the result depends on every bit
/// of the rolling hash.
fn mix(mut hash: u64) -> u64 {
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

/// A window's mixed hash (its high 32 bits) and position in one sortable
/// number: sorted entries stand by hash, then by position.
trait Entry: Copy + Ord + Default + Send + Sync {
    fn new(hash: u64, position: usize) -> Self;
    fn key(self) -> u32;
    fn position(self) -> usize;
}

/// For texts whose positions fit in 32 bits.
impl Entry for u64 {
    fn new(hash: u64, position: usize) -> Self {
        (hash >> 32) << 32 | position as u64
    }
    fn key(self) -> u32 {
        (self >> 32) as u32
    }
    fn position(self) -> usize {
        (self & u64::from(u32::MAX)) as usize
    }
}

/// For longer texts.
impl Entry for u128 {
    fn new(hash: u64, position: usize) -> Self {
        u128::from(hash >> 32) << 64 | position as u128
    }
    fn key(self) -> u32 {
        (self >> 64) as u32
    }
    fn position(self) -> usize {
        self as u64 as usize
    }
}

/// Which of `passes` passes takes a window: its rolling hash's high 32
/// bits (which depend on every unit of the window), scaled.
fn pass_of(rolling: u64, passes: u64) -> u64 {
    ((rolling >> 32) * passes) >> 32
}

/// The fewest passes the windows are taken in: a pass's share stays small
/// enough for memory to stay well below the text's suffix array's, and
/// more passes cost little (hashing the text again is cheap beside
/// sorting and comparing the share).
const MIN_PASSES: u64 = 6;

/// How many passes take the windows of `units` units, with entries of
/// `entry_size` bytes and `budget` bytes for a pass's entries.
fn passes(units: u64, entry_size: u64, budget: u64) -> u64 {
    (units * entry_size).div_ceil(budget.max(1)).max(MIN_PASSES)
}

/// The memory the hashed index needs for `units` units of `unit_size`
/// bytes with `budget`: the units, the bitmaps (half a byte a unit), and
/// one pass's entries.
pub(super) fn memory_needed(units: u64, unit_size: u64, budget: u64) -> u64 {
    let entry_size = match u32::try_from(units) {
        Ok(_) => std::mem::size_of::<u64>(),
        Err(_) => std::mem::size_of::<u128>(),
    } as u64;
    let share = (units * entry_size).div_ceil(passes(units, entry_size, budget));
    units * unit_size + units.div_ceil(64) * std::mem::size_of::<MarkWords>() as u64 + share
}

/// Every window of `span` units in a text whose documents are each
/// followed by `separator`, found as in the module's description, then
/// the pieces that tile the regions they cover, in order. The entries
/// held at once take at most `budget` bytes (about: a pass's share is
/// held whatever the budget), and at most a sixth of all.
pub(super) fn pieces<T: HashUnit>(
    text: &[T],
    span: usize,
    separator: T,
    budget: u64,
) -> Vec<GlobalPiece> {
    let hasher = WindowHasher::new(span);
    advise_huge_pages(text, true);
    let (later, runs) = match u32::try_from(text.len()) {
        Ok(_) => later_windows::<T, u64>(text, &hasher, separator, budget),
        Err(_) => later_windows::<T, u128>(text, &hasher, separator, budget),
    };
    tile(text, span, &later, &runs)
}

/// Where the set bits of a bitmap stand, in order.
fn set_positions(words: &[u64]) -> impl Iterator<Item = u64> + '_ {
    words.iter().enumerate().flat_map(|(index, &word)| {
        let base = index as u64 * 64;
        BitPositions(word).map(move |bit| base + bit)
    })
}

/// Three bitmaps over the text's positions, set from all threads, with
/// the words for the same 64 positions side by side in one cache line.
struct Marks(Vec<MarkWords>);

#[derive(Default)]
#[repr(align(32))]
struct MarkWords {
    /// The window has an earlier copy.
    later: AtomicU64,
    /// The later window at `w` and its first copy at `f` have equal units
    /// before them (no separator): the window at `w - 1` equals the one at
    /// `f - 1`, so its first copy is at `f - 1` or before.
    back: AtomicU64,
    /// The later window at `w` and its first copy at `f` have equal units
    /// after them (no separator): the window at `w + 1` equals the one at
    /// `f + 1`, so its first copy is at `f + 1` or before.
    on: AtomicU64,
}

impl Marks {
    fn new(len: usize) -> Self {
        let words = len.div_ceil(64);
        let mut marks = Vec::with_capacity(words);
        advise_huge_pages(marks.spare_capacity_mut(), false);
        marks.extend((0..words).map(|_| MarkWords::default()));
        Marks(marks)
    }

    fn words(&self, at: usize) -> (&MarkWords, u64) {
        (&self.0[at / 64], 1 << (at % 64))
    }

    /// One of the bitmaps, by itself.
    fn bitmap(&self, which: impl Fn(&MarkWords) -> &AtomicU64) -> Vec<u64> {
        self.0
            .iter()
            .map(|words| which(words).load(Ordering::Relaxed))
            .collect()
    }
}

/// A bitmap of the windows with an earlier copy (bit `p` is set when the
/// window at `p` equals one at a smaller position), and the first copies
/// of those that start runs.
///
/// A later window at `w` continues a run when its first copy is one on
/// from the first copy of the window at `w - 1`. That holds exactly when
/// `w` is marked `back` and `w - 1` is marked `on`: the first says the
/// first copy of `w - 1` is at `first(w) - 1` or before, the second that
/// it is at `first(w) - 1` or after. So each pass keeps the first copy of
/// the windows not marked `back`, which start runs whatever `w - 1` is;
/// the few that are marked `back` but follow a window not marked `on`
/// start runs too, and their first copies are looked up at the end.
fn later_windows<T: HashUnit, E: Entry>(
    text: &[T],
    hasher: &WindowHasher,
    separator: T,
    budget: u64,
) -> (Vec<u64>, RunStarts) {
    let marks = Marks::new(text.len());
    let passes = passes(text.len() as u64, std::mem::size_of::<E>() as u64, budget);
    let mut runs = Vec::new();
    // Kept from pass to pass, so that only the first pass pays for fresh
    // memory.
    let mut buckets: Vec<Vec<E>> = (0..1 << BUCKET_BITS).map(|_| Vec::new()).collect();
    let copies = Copies {
        text,
        span: hasher.span,
        separator,
        marks: &marks,
    };
    for pass in 0..passes {
        share(text, hasher, separator, pass, passes, &mut buckets);
        let found: Vec<Vec<(u64, u64)>> = buckets
            .par_iter_mut()
            .map_init(Vec::new, |spare, bucket| {
                sort_by_low_key_bits(bucket, spare);
                copies.mark(bucket)
            })
            .collect();
        runs.extend(found.into_iter().flatten());
    }
    let unsure = broken_runs(&marks.bitmap(|w| &w.back), &marks.bitmap(|w| &w.on));
    let later = marks.bitmap(|w| &w.later);
    drop(marks);
    let firsts = first_copies(text, hasher, separator, &unsure);
    runs.extend(unsure.into_iter().zip(firsts));
    runs.par_sort_unstable();
    (later, RunStarts(runs))
}

/// The windows marked `back` whose window before is not marked `on`.
fn broken_runs(back: &[u64], on: &[u64]) -> Vec<u64> {
    let mut starts = Vec::new();
    let mut carry = 0;
    for (index, (&back, &on)) in back.iter().zip(on).enumerate() {
        // Bit `i` of `before` is bit `i - 1` of the bitmap `on`.
        let before = on << 1 | carry;
        carry = on >> 63;
        let base = index as u64 * 64;
        starts.extend(BitPositions(back & !before).map(|bit| base + bit));
    }
    starts
}

/// Bits of the key that choose an entry's bucket.
const BUCKET_BITS: u32 = 8;

/// The entries of the windows whose hashes fall to `pass`, in place of
/// those in `buckets`: each in the bucket its key's high bits choose (the
/// hashes spread evenly over them), in no order.
fn share<T: HashUnit, E: Entry>(
    text: &[T],
    hasher: &WindowHasher,
    separator: T,
    pass: u64,
    passes: u64,
    buckets: &mut [Vec<E>],
) {
    let expected = text.len() / passes as usize / buckets.len();
    for bucket in buckets.iter_mut() {
        bucket.clear();
        bucket.reserve(expected + expected / 16);
        advise_huge_pages(bucket.spare_capacity_mut(), false);
    }
    let buckets = Mutex::new(buckets);
    let deal = |local: &[E]| {
        let mut buckets = buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for &entry in local {
            buckets[(entry.key() >> (32 - BUCKET_BITS)) as usize].push(entry);
        }
    };
    scan_chunks(text.len()).into_par_iter().for_each(|starts| {
        // Every window's entry is written, and kept by counting it only
        // when its pass is this one: no branch to mispredict.
        // On the heap: a worker's stack is small.
        let mut local: Box<[E]> = vec![E::default(); FLUSH + 1].into_boxed_slice();
        let mut kept = 0;
        hasher.for_each_window(text, separator, starts, |position, rolling| {
            local[kept] = E::new(mix(rolling), position);
            kept += usize::from(pass_of(rolling, passes) == pass);
            if kept == FLUSH {
                deal(&local[..kept]);
                kept = 0;
            }
        });
        deal(&local[..kept]);
    });
}

/// Sorts entries by the key bits below [`BUCKET_BITS`] (a least
/// significant digit radix sort, through `spare`).
fn sort_by_low_key_bits<E: Entry>(entries: &mut [E], spare: &mut Vec<E>) {
    spare.clear();
    spare.resize(entries.len(), E::default());
    let mut from: &mut [E] = entries;
    let mut to: &mut [E] = spare.as_mut_slice();
    let mut passes = 0;
    for shift in (0..32 - BUCKET_BITS).step_by(8) {
        let digit = |entry: &E| ((entry.key() >> shift) & 0xFF) as usize;
        let mut next = [0usize; 256];
        for entry in from.iter() {
            next[digit(entry)] += 1;
        }
        let mut total = 0;
        for slot in &mut next {
            (*slot, total) = (total, total + *slot);
        }
        for entry in from.iter() {
            let slot = &mut next[digit(entry)];
            to[*slot] = *entry;
            *slot += 1;
        }
        std::mem::swap(&mut from, &mut to);
        passes += 1;
    }
    if passes % 2 == 1 {
        // The sorted entries are in `spare`.
        to.copy_from_slice(from);
    }
}

/// The text's positions cut into pieces of work.
fn scan_chunks(len: usize) -> Vec<Range<usize>> {
    (0..len.div_ceil(SCAN_CHUNK))
        .map(|chunk| chunk * SCAN_CHUNK..((chunk + 1) * SCAN_CHUNK).min(len))
        .collect()
}

/// Marks later copies in the text's bitmaps.
struct Copies<'a, T> {
    text: &'a [T],
    span: usize,
    separator: T,
    marks: &'a Marks,
}

impl<T: Copy + Eq> Copies<'_, T> {
    /// Marks every later copy among entries sorted by key: in each group
    /// of equal keys, the windows equal unit for unit to the group's first
    /// (smallest) position; the rest, whose hashes only collided with it,
    /// are grouped again among themselves. Returns the run starts found,
    /// each with its first copy.
    fn mark<E: Entry>(&self, entries: &[E]) -> Vec<(u64, u64)> {
        let in_group = |i: usize| {
            (i > 0 && entries[i - 1].key() == entries[i].key())
                || (i + 1 < entries.len() && entries[i + 1].key() == entries[i].key())
        };
        let mut runs = Vec::new();
        let mut asked = 0;
        let mut start = 0;
        while start < entries.len() {
            let mut end = start + 1;
            while end < entries.len() && entries[end].key() == entries[start].key() {
                end += 1;
            }
            while asked < (end + PREFETCH_AHEAD).min(entries.len()) {
                if in_group(asked) {
                    self.prefetch(entries[asked].position());
                }
                asked += 1;
            }
            if end - start > 1 {
                self.mark_group(&entries[start..end], &mut runs);
            }
            start = end;
        }
        runs
    }

    /// Asks for the memory that marking the window at `at` reads and
    /// writes: its units, the ones either side, and its bitmap words.
    fn prefetch(&self, at: usize) {
        let step = (64 / std::mem::size_of::<T>()).max(1);
        let last = (at + self.span).min(self.text.len() - 1);
        for unit in (at.saturating_sub(1)..=last).step_by(step) {
            prefetch(&self.text[unit]);
        }
        prefetch(&self.text[last]);
        prefetch(&self.marks.0[at / 64]);
    }

    /// One group of equal keys, in any order: marks the later windows, and
    /// keeps those not marked `back` with their first copy.
    fn mark_group<E: Entry>(&self, group: &[E], runs: &mut Vec<(u64, u64)>) {
        let text = self.text;
        let window = |at: usize| &text[at..at + self.span];
        let equal_units = |a: usize, b: usize| text[a] == text[b] && text[a] != self.separator;
        let mut strays: Vec<E> = Vec::new();
        let mut members = group;
        let mut owned;
        loop {
            let first = members.iter().map(|member| member.position()).min();
            let first = first.unwrap_or(0);
            for member in members {
                let at = member.position();
                if at == first {
                    continue;
                }
                if window(at) != window(first) {
                    strays.push(*member);
                    continue;
                }
                let (words, bit) = self.marks.words(at);
                words.later.fetch_or(bit, Ordering::Relaxed);
                if first > 0 && equal_units(at - 1, first - 1) {
                    words.back.fetch_or(bit, Ordering::Relaxed);
                } else {
                    runs.push((at as u64, first as u64));
                }
                if at + self.span < text.len() && equal_units(at + self.span, first + self.span) {
                    words.on.fetch_or(bit, Ordering::Relaxed);
                }
            }
            if strays.len() < 2 {
                return;
            }
            owned = std::mem::take(&mut strays);
            members = &owned;
        }
    }
}

/// The first copy (smallest position) of each window at `queries`, in
/// their order: one scan of the text up to them compares every window
/// whose hash is one of theirs.
fn first_copies<T: HashUnit>(
    text: &[T],
    hasher: &WindowHasher,
    separator: T,
    queries: &[u64],
) -> Vec<u64> {
    let span = hasher.span;
    let window = |at: usize| &text[at..at + span];
    // (hash, query) sorted by hash; the first copies stand in query order.
    let mut asked: Vec<(u64, usize)> = queries
        .par_iter()
        .enumerate()
        .map(|(query, &at)| (mix(hasher.hash_at(text, separator, at as usize)), query))
        .collect();
    asked.par_sort_unstable();
    let filter = HashFilter::new(asked.iter().map(|&(hash, _)| hash));
    let firsts: Vec<AtomicU64> = queries.iter().map(|&at| AtomicU64::new(at)).collect();
    let last = queries.iter().map(|&at| at as usize + 1).max().unwrap_or(0);
    scan_chunks(last).into_par_iter().for_each(|starts| {
        hasher.for_each_window(text, separator, starts, |at, rolling| {
            let hash = mix(rolling);
            if !filter.may_hold(hash) {
                return;
            }
            let from = asked.partition_point(|&(h, _)| h < hash);
            for &(_, query) in asked[from..].iter().take_while(|&&(h, _)| h == hash) {
                let first = &firsts[query];
                let query_at = queries[query] as usize;
                if (at as u64) < first.load(Ordering::Relaxed) && window(at) == window(query_at) {
                    first.fetch_min(at as u64, Ordering::Relaxed);
                }
            }
        });
    });
    firsts.into_iter().map(AtomicU64::into_inner).collect()
}

/// A bitmap of hashes, small enough to stay in cache, that tells most
/// hashes that were not asked for from those that were.
struct HashFilter {
    bits: Vec<u64>,
    shift: u32,
}

impl HashFilter {
    fn new(hashes: impl ExactSizeIterator<Item = u64>) -> Self {
        // About 64 bits a hash: one other hash in 64 gets through.
        let len = (hashes.len() as u64 * 64)
            .next_power_of_two()
            .clamp(1 << 12, 1 << 27);
        let shift = 64 - len.trailing_zeros();
        let mut bits = vec![0u64; (len / 64) as usize];
        for hash in hashes {
            let bit = hash >> shift;
            bits[(bit / 64) as usize] |= 1 << (bit % 64);
        }
        HashFilter { bits, shift }
    }

    fn may_hold(&self, hash: u64) -> bool {
        let bit = hash >> self.shift;
        self.bits[(bit / 64) as usize] & (1 << (bit % 64)) != 0
    }
}

/// Where the first copy of any later window stands, from the first
/// copies of the windows that start runs (see [`mark_group`]), sorted by
/// position: a later window is its run's start moved on.
#[derive(Debug, PartialEq, Eq)]
struct RunStarts(Vec<(u64, u64)>);

impl RunStarts {
    fn first_of(&self, window: u64) -> u64 {
        let run = self.0.partition_point(|&(start, _)| start <= window);
        // Every later window's run starts at or before it.
        let (start, first) = self.0[run.saturating_sub(1)];
        first + (window - start)
    }
}

/// The pieces of the regions the later windows cover, in order.
fn tile<T: Eq>(text: &[T], span: usize, later: &[u64], runs: &RunStarts) -> Vec<GlobalPiece> {
    let mut pieces = Vec::new();
    for_each_region(set_positions(later), span as u64, |starts, end| {
        tile_region(
            text,
            starts,
            end,
            |window| runs.first_of(window),
            &mut pieces,
        );
    });
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rolling_hash_of_a_window_is_its_hash_computed_afresh() {
        let text = b"abcabcXabcabc\xffabcab";
        let hasher = WindowHasher::new(3);
        let mut rolled = Vec::new();
        hasher.for_each_window(text, 0xFF, 0..text.len(), |at, hash| {
            rolled.push((at, hash))
        });
        // Windows holding the separator (at 13) are skipped.
        let starts: Vec<usize> = rolled.iter().map(|&(at, _)| at).collect();
        assert_eq!(starts, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16]);
        for &(at, hash) in &rolled {
            assert_eq!(hash, hasher.hash_at(text, 0xFF, at), "window at {at}");
        }
        // Equal windows, equal hashes; "abc" at 0, 3, 7, 10 and 14.
        assert_eq!(rolled[0].1, rolled[3].1);
        assert_eq!(rolled[0].1, rolled[11].1);
        assert_ne!(rolled[0].1, rolled[1].1);
    }

    #[test]
    fn windows_are_found_the_same_in_one_pass_or_many() {
        let text: Vec<u8> = (0..20_000u32)
            .map(|i| b"abcd"[((i * 7 + i / 13) % 4) as usize])
            .collect();
        let hasher = WindowHasher::new(9);
        let four = later_windows::<u8, u64>(&text, &hasher, 0xFF, u64::MAX);
        // A budget of 8 bytes an entry over 1,000 entries: 20 passes.
        let many = later_windows::<u8, u64>(&text, &hasher, 0xFF, 8_000);
        let wide = later_windows::<u8, u128>(&text, &hasher, 0xFF, 16_000);
        assert!(four.0.iter().any(|&word| word != 0));
        assert_eq!(four, many);
        assert_eq!(four, wide);
    }

    #[test]
    fn colliding_keys_are_told_apart_by_their_units() {
        // Entries whose keys all collide, in no order: windows "ab" at 4,
        // "cd" at 2, "ab" at 0, "ef" at 8, "cd" at 6.
        let text = b"abcdabcdef";
        let entries: Vec<u64> = [4usize, 2, 0, 8, 6]
            .iter()
            .map(|&at| u64::new(7 << 32, at))
            .collect();
        let marks = Marks::new(text.len());
        let copies = Copies {
            text,
            span: 2,
            separator: 0xFF,
            marks: &marks,
        };
        let mut runs = copies.mark(&entries);
        runs.sort_unstable();
        assert_eq!(marks.bitmap(|w| &w.later), [1 << 4 | 1 << 6]);
        // "ab" at 4 follows "d" where the first has nothing: it starts a
        // run. "cd" at 6 follows "b" as the first "cd" does.
        assert_eq!(runs, [(4, 0)]);
        assert_eq!(marks.bitmap(|w| &w.back), [1 << 6]);
        assert_eq!(marks.bitmap(|w| &w.on), [1 << 4]);
    }

    #[test]
    fn broken_runs_are_the_windows_marked_back_after_one_not_marked_on() {
        // Marked back at 3, 64 and 70; marked on at 2 and 63.
        let back = [1 << 3, 1 << 0 | 1 << 6];
        let on = [1 << 2 | 1 << 63, 0];
        assert_eq!(broken_runs(&back, &on), [70]);
    }

    #[test]
    fn first_copies_are_the_smallest_positions_of_equal_windows() {
        let text = b"xyzAxyzBxyzCqrsDqrs";
        let hasher = WindowHasher::new(3);
        assert_eq!(
            first_copies(text, &hasher, 0xFF, &[8, 16, 4, 12]),
            [0, 12, 0, 12]
        );
    }
}
