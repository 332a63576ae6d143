//! The finder against brute force: on small random corpora, the pieces
//! cover exactly the units of every window with an earlier copy, and each
//! piece equals, unit for unit, the earlier text it names.

use std::collections::{BTreeSet, HashMap};

use proptest::prelude::*;

use super::*;

/// Each document's units as comparable keys.
fn unit_keys(texts: &[&str], unit: Unit) -> Vec<Vec<u64>> {
    let normalizer = Normalizer::default();
    texts
        .iter()
        .map(|text| match unit {
            Unit::Byte => text.bytes().map(u64::from).collect(),
            Unit::Token => {
                let mut keys = Vec::new();
                units::for_each_token_key(text, &normalizer, |_, key| keys.push(key));
                keys
            }
        })
        .collect()
}

/// (document, unit) of every unit a later copy of a window covers, by
/// looking at every window.
fn brute_force(docs: &[Vec<u64>], span: usize) -> BTreeSet<(u32, usize)> {
    let mut seen: HashMap<&[u64], ()> = HashMap::new();
    let mut removed = BTreeSet::new();
    for (doc, units) in docs.iter().enumerate() {
        for start in 0..units.len().saturating_sub(span - 1) {
            let window = &units[start..start + span];
            if seen.insert(window, ()).is_some() {
                removed.extend((start..start + span).map(|at| (doc as u32, at)));
            }
        }
    }
    removed
}

fn find_with(
    texts: &[&str],
    unit: Unit,
    span: usize,
    threads: usize,
    index: SpanIndex,
    budget: u64,
) -> Vec<Piece> {
    let mut finder = SpanFinder::new(SubstringConfig {
        unit,
        min_span: span,
        index,
        ..SubstringConfig::default()
    })
    .unwrap();
    for chunk in texts.chunks(3) {
        finder.add_texts(chunk);
    }
    finder.finish(threads, budget).unwrap()
}

/// The pieces by both indexes, checked to be the same (the hashed one in
/// its fewest passes, and in about 20).
fn find(texts: &[&str], unit: Unit, span: usize, threads: usize) -> Vec<Piece> {
    let suffix = find_with(texts, unit, span, threads, SpanIndex::SuffixArray, 0);
    let fewest = find_with(texts, unit, span, threads, SpanIndex::Hashed, u64::MAX);
    assert_eq!(fewest, suffix, "the indexes differ");
    // 8 bytes a window: a budget of 8 bytes a unit over 20.
    let units: usize = texts.iter().map(|text| text.len() + 1).sum();
    let budget = (units as u64 * 8 / 20).max(8);
    let many = find_with(texts, unit, span, threads, SpanIndex::Hashed, budget);
    assert_eq!(many, suffix, "many passes differ from few");
    suffix
}

/// Checks the pieces against the documents' units; returns what they cover.
fn check_pieces(docs: &[Vec<u64>], pieces: &[Piece]) -> BTreeSet<(u32, usize)> {
    let mut covered = BTreeSet::new();
    let mut previous_end = (0u32, 0usize);
    for piece in pieces {
        assert!(piece.start < piece.end, "empty piece {piece:?}");
        assert!(
            (piece.doc, piece.start) >= previous_end,
            "pieces out of order or overlapping at {piece:?}"
        );
        previous_end = (piece.doc, piece.end);
        assert!(
            (piece.first_doc, piece.first_start) < (piece.doc, piece.start),
            "the copy named is not earlier: {piece:?}"
        );
        let later = &docs[piece.doc as usize][piece.start..piece.end];
        let first = &docs[piece.first_doc as usize][piece.first_start..piece.first_end];
        assert_eq!(later, first, "{piece:?} differs from its first copy");
        covered.extend((piece.start..piece.end).map(|at| (piece.doc, at)));
    }
    covered
}

fn words(alphabet: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(alphabet), 0..40).prop_map(|w| w.join(" "))
}

proptest! {
    #[test]
    fn byte_pieces_cover_exactly_the_later_copies(
        texts in prop::collection::vec("[ab\n]{0,30}", 0..8),
        span in 1usize..6,
    ) {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let docs = unit_keys(&texts, Unit::Byte);
        let pieces = find(&texts, Unit::Byte, span, 2);
        prop_assert_eq!(check_pieces(&docs, &pieces), brute_force(&docs, span));
    }

    #[test]
    fn token_pieces_cover_exactly_the_later_copies(
        texts in prop::collection::vec(words(&["the", "The", "port", "closed,", "Ça", "ça", "don’t", "don't"]), 0..8),
        span in 1usize..5,
    ) {
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let docs = unit_keys(&texts, Unit::Token);
        let pieces = find(&texts, Unit::Token, span, 2);
        prop_assert_eq!(check_pieces(&docs, &pieces), brute_force(&docs, span));
    }
}

#[test]
fn large_groups_across_the_scan_pieces_give_the_same_result_on_any_thread_count() {
    // Two letters, so each window of 8 stands in hundreds of places and
    // groups cross the boundaries between the scan's pieces of work.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut text = String::new();
    for _ in 0..150_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        text.push(if state & 1 == 0 { 'a' } else { 'b' });
    }
    let texts: Vec<&str> = text
        .as_bytes()
        .chunks(1000)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let docs = unit_keys(&texts, Unit::Byte);
    let one = find(&texts, Unit::Byte, 12, 1);
    assert_eq!(check_pieces(&docs, &one), brute_force(&docs, 12));
    assert_eq!(find(&texts, Unit::Byte, 12, 3), one);
}

#[test]
fn a_block_printed_twice_is_one_piece_pointing_at_the_first_print() {
    let post = "The harbour closed on Monday after the storm broke two moorings.";
    let curly = post.replace("harbour", "Harbour");
    let texts = [
        format!("Live: storms. {post} More soon."),
        format!("Update. {curly} Then a new line."),
    ];
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let pieces = find(&texts, Unit::Token, 5, 2);
    assert_eq!(pieces.len(), 1, "{pieces:?}");
    let piece = pieces[0];
    assert_eq!((piece.doc, piece.first_doc), (1, 0));
    let ranges = unit_ranges(texts[1], Unit::Token, &Normalizer::default());
    let cut = &texts[1][ranges[piece.start].start..ranges[piece.end - 1].end];
    assert_eq!(cut, curly.trim_end_matches('.'));
}

#[test]
fn windows_never_join_the_end_of_one_document_to_the_next() {
    // "x y" ends one document and "z" begins the next: together they
    // spell the third document, which has no earlier copy.
    let texts = ["a x y", "z b", "x y z"];
    assert!(find(&texts, Unit::Token, 3, 1).is_empty());
    assert!(find(&["abxy", "zc", "xyz"], Unit::Byte, 3, 1).is_empty());
}

#[test]
fn a_zero_span_is_refused() {
    let config = SubstringConfig {
        min_span: 0,
        ..SubstringConfig::default()
    };
    assert_eq!(
        SpanFinder::new(config).err(),
        Some(SubstringError::EmptySpan)
    );
}

#[test]
fn memory_needed_counts_units_with_their_separators_and_the_index() {
    let config = |unit, index| SubstringConfig {
        unit,
        index,
        ..SubstringConfig::default()
    };
    let mut bytes = SpanFinder::new(config(Unit::Byte, SpanIndex::SuffixArray)).unwrap();
    bytes.add_texts(&["0123456789"]);
    // 11 units (the separator too) of 1 byte and a 4-byte array entry,
    // and three 8-byte bitmap words.
    assert_eq!(bytes.memory_needed(0), 11 * 5 + 3 * 8);
    let mut tokens = SpanFinder::new(config(Unit::Token, SpanIndex::SuffixArray)).unwrap();
    tokens.add_texts(&["three short words"]);
    assert_eq!(tokens.memory_needed(0), 4 * 8 + 3 * 8);
    // Hashed: the units, 32 bytes of bitmaps for each 64 units, and a
    // pass's window hashes (8 bytes each): a sixth of them at most,
    // fewer when the budget says so.
    let mut hashed = SpanFinder::new(config(Unit::Byte, SpanIndex::Hashed)).unwrap();
    hashed.add_texts(&["0123456789".repeat(10).as_str()]);
    assert_eq!(
        hashed.memory_needed(1 << 20),
        101 + 2 * 32 + (101 * 8_u64).div_ceil(6)
    );
    assert_eq!(hashed.memory_needed(101), 101 + 2 * 32 + 101);
}

#[test]
fn a_repeat_stitched_from_two_earlier_texts_is_two_pieces() {
    // In the third text, "abcde" comes from the first and "fg" from the
    // second: the region's first window alone does not tile it. ("cde"
    // in the second repeats the first.)
    let pieces = find(&["xabcde", "cdefgy", "abcdefg"], Unit::Byte, 3, 2);
    let places: Vec<_> = pieces
        .iter()
        .map(|p| (p.doc, p.start, p.end, p.first_doc, p.first_start))
        .collect();
    assert_eq!(places, [(1, 0, 3, 0, 3), (2, 0, 5, 0, 1), (2, 5, 7, 1, 3)]);
}
