//! Normalization and word n-gram shingles for the benchmark's ground truth,
//! written from thresh's documented rules (issue 2, item 3) rather than by
//! calling the engine, so that a bug in the engine shows up as a
//! disagreement instead of being copied into the truth:
//!
//! 1. Unicode NFKC;
//! 2. typographic quotes folded to `'` and `"`, dashes to `-`, invisible
//!    characters (soft hyphen, zero-width characters, BOM) dropped;
//! 3. lower case;
//! 4. words at Unicode word boundaries (UAX #29); a word in a script written
//!    without spaces (Han, Kana, Thai, Lao, Khmer, Myanmar) gives one token
//!    per character.
//!
//! A shingle is `n` consecutive tokens; a document with fewer than `n`
//! (but at least one) tokens has one shingle, all its tokens. Shingles are
//! identified by a 64-bit FNV-1a hash of their tokens with a separator, so
//! two different shingles collide with probability about 2^-64 per pair.

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

fn fold(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => '-',
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => return None,
        other => other,
    })
}

/// The canonical text: NFKC, folded punctuation, lower case, white space
/// runs collapsed to one space.
pub fn normalize(text: &str, out: &mut String) {
    out.clear();
    let mut pending_space = false;
    let mut push = |c: char, out: &mut String| {
        let Some(c) = fold(c) else { return };
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            return;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    };
    if text.is_ascii() {
        for c in text.chars() {
            push(c, out);
        }
    } else {
        for c in text.nfkc() {
            push(c, out);
        }
    }
}

fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF
        | 0x1000..=0x109F
        | 0x1780..=0x17FF
        | 0x3040..=0x30FF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F
        | 0x20000..=0x3FFFF
    )
}

/// Tokens of canonical text.
pub fn tokens(normalized: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in normalized.unicode_words() {
        if word.chars().next().is_some_and(unspaced) {
            for (at, c) in word.char_indices() {
                out.push(&word[at..at + c.len_utf8()]);
            }
        } else {
            out.push(word);
        }
    }
    out
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv_extend(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The sorted, de-duplicated set of shingle hashes of `text`.
pub fn shingle_set(text: &str, ngram: usize, buf: &mut String) -> Vec<u64> {
    normalize(text, buf);
    let toks = tokens(buf);
    let n = ngram.max(1);
    let mut set = Vec::with_capacity(toks.len());
    let hash = |window: &[&str]| {
        let mut h = FNV_OFFSET;
        for t in window {
            h = fnv_extend(h, t.as_bytes());
            h = fnv_extend(h, &[0x1f]);
        }
        // Finalise so that nearby hashes spread (FNV's low bits are weak).
        let mut z = h;
        z = (z ^ (z >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        z ^ (z >> 33)
    };
    if toks.is_empty() {
        return set;
    }
    if toks.len() < n {
        set.push(hash(&toks));
    } else {
        for w in toks.windows(n) {
            set.push(hash(w));
        }
    }
    set.sort_unstable();
    set.dedup();
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curly_and_straight_quotes_give_the_same_shingles() {
        let mut b = String::new();
        let a = shingle_set(
            "The capital\u{2019}s \u{201C}wise\u{201D} army \u{2014} here",
            2,
            &mut b,
        );
        let c = shingle_set("the capital's \"wise\" army - here", 2, &mut b);
        assert_eq!(a, c);
        assert!(!a.is_empty());
    }

    #[test]
    fn short_documents_have_one_shingle() {
        let mut b = String::new();
        assert_eq!(shingle_set("two words", 5, &mut b).len(), 1);
        assert!(shingle_set("  ", 5, &mut b).is_empty());
        assert_eq!(shingle_set("a b c d e f", 5, &mut b).len(), 2);
    }

    #[test]
    fn unspaced_scripts_split_per_character() {
        let mut b = String::new();
        normalize("東京都", &mut b);
        assert_eq!(tokens(&b), vec!["東", "京", "都"]);
    }
}
