//! The order of a live blog's snapshots, oldest first.
//!
//! A snapshot's time of capture decides when it is known; one day's crawls
//! without a time go by their newest post. What is left tied (the same
//! day, no time, the same newest post) goes first by how the crawls'
//! paragraphs grew, then by the way the file names run.

use std::collections::HashSet;

use super::lines::{LineId, LineTable};
use super::segment::PageLine;

/// The most crawls of one tie whose paragraphs are compared, pair by pair;
/// a larger tie keeps the order of its names.
const GROWTH_TIE_LIMIT: usize = 8;

/// The most paragraph comparisons for one pair of crawls: two crawls of a
/// huge page that differ nearly everywhere say nothing by growth, and
/// comparing them would cost the square of their lines.
const GROWTH_MAX_COMPARISONS: usize = 1 << 20;

/// Paragraphs shorter than this say too little about an edit (a label, a
/// count of comments) to tell which crawl came first.
const GROWTH_MIN_WORDS: u32 = 5;

/// Snapshots oldest first by `when` (undated last, in input order).
/// Crawls that nothing tells apart (one day, no time of capture, the same
/// newest post) go the way the input order of the others runs: inputs come
/// in the order of their file names, which number crawls oldest first or
/// newest first, and a crawler keeps to one. In input order when the
/// others do not say.
pub(super) fn snapshot_order<W: Ord + Copy>(
    count: usize,
    when: impl Fn(usize) -> (bool, W),
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&k| (when(k), k));
    // Neighbours that their times tell apart: do the names run with time?
    let (mut with_time, mut against_time) = (0, 0);
    for pair in order.windows(2) {
        if when(pair[0]) != when(pair[1]) && !when(pair[1]).0 {
            if pair[0] < pair[1] {
                with_time += 1;
            } else {
                against_time += 1;
            }
        }
    }
    if against_time > with_time {
        // Undated crawls stay last, in input order.
        order.sort_by_key(|&k| {
            let (undated, w) = when(k);
            let tie = if undated { k as i64 } else { -(k as i64) };
            ((undated, w), tie)
        });
    }
    order
}

/// Puts each run of `order` that `same` cannot tell apart in the order its
/// edited paragraphs grew. A paragraph printed in one crawl whose words
/// all stand, with more, in a paragraph printed only in another was added
/// to between them, and live posts are edited by adding to them (an
/// update, a new sentence) far more often than by cutting: the crawl with
/// the longer paragraph is the later. A run whose paragraphs say nothing
/// keeps its order.
pub(super) fn order_ties_by_growth(
    order: &mut [usize],
    same: impl Fn(usize, usize) -> bool,
    pages: &[&[PageLine]],
    table: &LineTable,
) {
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && same(order[start], order[end]) {
            end += 1;
        }
        if (2..=GROWTH_TIE_LIMIT).contains(&(end - start)) {
            order_by_growth(&mut order[start..end], pages, table);
        }
        start = end;
    }
}

/// Orders the crawls of one tie by how many of their paragraphs others
/// grew from (earlier) less how many they grew from others' (later); a
/// stable sort, so crawls that say nothing keep their places.
fn order_by_growth(tie: &mut [usize], pages: &[&[PageLine]], table: &LineTable) {
    let lines: Vec<HashSet<LineId>> = tie
        .iter()
        .map(|&k| pages[k].iter().map(|line| line.id).collect())
        .collect();
    let mut lateness = vec![0i64; tie.len()];
    for a in 0..tie.len() {
        for b in a + 1..tie.len() {
            let (a_to_b, b_to_a) = paragraphs_grown(&lines[a], &lines[b], table);
            let later_b = a_to_b as i64 - b_to_a as i64;
            lateness[b] += later_b;
            lateness[a] -= later_b;
        }
    }
    if lateness.iter().all(|&l| l == 0) {
        return;
    }
    let mut ranked: Vec<(i64, usize)> = lateness.into_iter().zip(tie.iter().copied()).collect();
    ranked.sort_by_key(|&(lateness, _)| lateness);
    for (slot, (_, k)) in tie.iter_mut().zip(ranked) {
        *slot = k;
    }
}

/// Between two crawls: how many paragraphs only `a` prints stand whole,
/// with more words, in a paragraph only `b` prints, and the other way.
fn paragraphs_grown(a: &HashSet<LineId>, b: &HashSet<LineId>, table: &LineTable) -> (usize, usize) {
    let only = |of: &HashSet<LineId>, not: &HashSet<LineId>| -> Vec<LineId> {
        of.iter()
            .copied()
            .filter(|id| !not.contains(id) && table.get(*id).words >= GROWTH_MIN_WORDS)
            .collect()
    };
    let (only_a, only_b) = (only(a, b), only(b, a));
    if only_a.len().saturating_mul(only_b.len()) > GROWTH_MAX_COMPARISONS {
        return (0, 0);
    }
    let grown = |shorter: &[LineId], longer: &[LineId]| {
        shorter
            .iter()
            .filter(|&&short| {
                let short = table.get(short);
                longer.iter().any(|&long| {
                    let long = table.get(long);
                    long.words > short.words && is_subset(&short.word_set, &long.word_set)
                })
            })
            .count()
    };
    (grown(&only_a, &only_b), grown(&only_b, &only_a))
}

/// Whether every element of sorted `small` is in sorted `large`.
fn is_subset(small: &[u64], large: &[u64]) -> bool {
    let mut rest = large;
    small.iter().all(|x| match rest.binary_search(x) {
        Ok(at) => {
            rest = &rest[at + 1..];
            true
        }
        Err(_) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Normalizer;
    use crate::timeline::lines::Interner;

    /// Pages of the given lines, and the table of their distinct lines.
    fn pages_of(pages: &[&[&'static str]]) -> (Vec<Vec<PageLine>>, LineTable) {
        let mut interner = Interner::default();
        let pages = pages
            .iter()
            .map(|lines| {
                lines
                    .iter()
                    .enumerate()
                    .map(|(n, text)| PageLine {
                        number: n as u32 + 1,
                        id: interner
                            .intern_hashed(xxhash_rust::xxh3::xxh3_64(text.as_bytes()), text),
                    })
                    .collect()
            })
            .collect();
        (pages, interner.finish(&Normalizer::default()))
    }

    const SHARED: &str = "Rescue teams reached the village after the road reopened this morning.";
    const SHORT: &str = "The minister said the talks would resume on Monday in Geneva.";
    const GROWN: &str =
        "The minister said the talks would resume on Monday in Geneva. Both delegations confirmed it.";

    #[test]
    fn a_tie_goes_the_way_its_paragraphs_grew() {
        // Input order: the later crawl (the grown paragraph) first.
        let (pages, table) = pages_of(&[&[SHARED, GROWN], &[SHARED, SHORT]]);
        let pages: Vec<&[PageLine]> = pages.iter().map(Vec::as_slice).collect();
        let mut order = vec![0, 1];
        order_ties_by_growth(&mut order, |_, _| true, &pages, &table);
        assert_eq!(order, [1, 0]);
        // Told apart otherwise, the crawls keep their order.
        let mut order = vec![0, 1];
        order_ties_by_growth(&mut order, |a, b| a == b, &pages, &table);
        assert_eq!(order, [0, 1]);
    }

    #[test]
    fn a_tie_without_growth_keeps_its_order() {
        let rewritten = "Officials said the talks were postponed until later in the week.";
        let (pages, table) = pages_of(&[&[SHARED, rewritten], &[SHARED, SHORT], &["Top of page"]]);
        let pages: Vec<&[PageLine]> = pages.iter().map(Vec::as_slice).collect();
        let mut order = vec![2, 0, 1];
        order_ties_by_growth(&mut order, |_, _| true, &pages, &table);
        assert_eq!(order, [2, 0, 1]);
    }
}
