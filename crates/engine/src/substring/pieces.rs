//! Later windows to removed pieces: the ranges of units to cut, each with
//! the place of an earlier copy of the same units.
//!
//! The later windows of `span` units overlap where a repeat is longer than
//! `span`; their union is what is removed, as regions. Each region is
//! told as pieces that tile it: a piece starts where the last piece ended,
//! copies the earlier text of the window that covers its start, and runs
//! as long as that earlier text keeps matching. So every piece occurs
//! earlier unit for unit, and a region repeated whole from one place is
//! one piece.
//!
//! Both ways of finding the later windows ([`super::suffix`],
//! `hashed`) tile through `tile_region`, so they cut the same
//! pieces.

/// Units `start..end` (positions in the whole corpus) equal the units at
/// `first..first + (end - start)`, which come earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct GlobalPiece {
    pub start: u64,
    pub end: u64,
    pub first: u64,
}

/// Calls `region(starts, end)` for each region the later windows at
/// `starts` (in order, each `span` units long) cover, in order: `starts`
/// are the windows inside the region, the first at its start.
pub(super) fn for_each_region(
    starts: impl Iterator<Item = u64>,
    span: u64,
    mut region: impl FnMut(&[u64], u64),
) {
    let mut starts = starts.peekable();
    let mut inside = Vec::new();
    while let Some(region_start) = starts.next() {
        inside.clear();
        inside.push(region_start);
        let mut region_end = region_start + span;
        while let Some(start) = starts.next_if(|&start| start < region_end) {
            inside.push(start);
            region_end = start + span;
        }
        region(&inside, region_end);
    }
}

/// Pushes the pieces from the region's start to `region_end`; `starts` are
/// the later windows inside it, in order, the first at its start, and
/// `first_of` tells where a later window's first copy stands.
pub(super) fn tile_region<T: Eq>(
    text: &[T],
    starts: &[u64],
    region_end: u64,
    first_of: impl Fn(u64) -> u64,
    pieces: &mut Vec<GlobalPiece>,
) {
    let mut at = starts[0];
    let mut covering = 0;
    while at < region_end {
        // The last window starting at or before `at` covers it: windows
        // overlap all the way through a region.
        while covering + 1 < starts.len() && starts[covering + 1] <= at {
            covering += 1;
        }
        let window = starts[covering];
        let first = first_of(window) + (at - window);
        // The region holds no separator, so the match stops at the end of
        // the first copy's document.
        let len = common_length(
            text,
            at as usize,
            first as usize,
            (region_end - at) as usize,
        );
        debug_assert!(len > 0, "a covering window matches at least its own end");
        pieces.push(GlobalPiece {
            start: at,
            end: at + len as u64,
            first,
        });
        at += len.max(1) as u64;
    }
}

/// How many units from `a` and from `b` are equal, up to `room`.
fn common_length<T: Eq>(text: &[T], a: usize, b: usize, room: usize) -> usize {
    text[a..a + room]
        .iter()
        .zip(&text[b..b + room])
        .take_while(|(x, y)| x == y)
        .count()
}
