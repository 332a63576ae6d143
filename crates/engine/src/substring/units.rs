//! Texts to units: the symbols the suffix array is built over, each with
//! the byte range of the original text it stands for.
//!
//! A token is a word of the original text as [`for_each_token`] finds it
//! (UAX #29 words; one per character in scripts written without spaces),
//! compared after thresh's normalization of that word (NFKC, quotes and
//! dashes folded, lower case): `Don’t` and `don't` are one unit. Between
//! two tokens stand white space and punctuation, which no unit covers. A
//! byte is a byte of the UTF-8 text, compared as it is.
//!
//! The words are found in the original text, not in its canonical form,
//! so that every unit keeps its byte range: removed spans are cut from the
//! text as it was read, and nothing of the normalization leaks out.

use std::ops::Range;

use xxhash_rust::xxh3::xxh3_64;

use crate::normalize::{for_each_token, Normalizer};

/// What a span is measured in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Unit {
    /// Words after normalization: spans survive changes of case, quotes,
    /// dashes, white space and punctuation, in any script.
    #[default]
    Token,
    /// Bytes of the text as read: spans are byte-for-byte repeats.
    Byte,
}

impl Unit {
    /// The unit's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Token => "token",
            Unit::Byte => "byte",
        }
    }
}

/// Calls `emit` with the byte range of each token of `text` and the key it
/// is compared by: a 64-bit hash of the normalized word.
pub fn for_each_token_key(
    text: &str,
    normalizer: &Normalizer,
    mut emit: impl FnMut(Range<usize>, u64),
) {
    let lowercase = normalizer.options().lowercase;
    let mut folded = String::new();
    let base = text.as_ptr() as usize;
    for_each_token(text, |word| {
        let start = word.as_ptr() as usize - base;
        let range = start..start + word.len();
        let key = if word.is_ascii() {
            // ASCII words are in NFKC and have nothing to fold: only case.
            folded.clear();
            folded.push_str(word);
            if lowercase {
                folded.make_ascii_lowercase();
            }
            xxh3_64(folded.as_bytes())
        } else {
            normalizer.normalize_into(word, &mut folded);
            xxh3_64(folded.as_bytes())
        };
        emit(range, key);
    });
}

/// The byte range of every unit of `text`, in order: the tokens' ranges,
/// or one byte each.
pub fn unit_ranges(text: &str, unit: Unit, normalizer: &Normalizer) -> Vec<Range<usize>> {
    match unit {
        Unit::Byte => (0..text.len()).map(|at| at..at + 1).collect(),
        Unit::Token => {
            let mut ranges = Vec::new();
            for_each_token_key(text, normalizer, |range, _| ranges.push(range));
            ranges
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<u64> {
        let mut keys = Vec::new();
        for_each_token_key(text, &Normalizer::default(), |_, key| keys.push(key));
        keys
    }

    #[test]
    fn tokens_keep_their_byte_ranges_in_the_original_text() {
        let text = "  Don’t PANIC — «Ça va», said Zoë.";
        let words: Vec<&str> = unit_ranges(text, Unit::Token, &Normalizer::default())
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(words, ["Don’t", "PANIC", "Ça", "va", "said", "Zoë"]);
    }

    #[test]
    fn tokens_compare_after_normalization() {
        assert_eq!(keys("Don’t panic"), keys("don't  PANIC!"));
        assert_ne!(keys("don't panic"), keys("do not panic"));
        // A soft hyphen inside a word is invisible to the comparison.
        assert_eq!(keys("Ita\u{ad}li\u{ad}ens"), keys("italiens"));
    }

    #[test]
    fn scripts_without_spaces_give_a_unit_per_character() {
        let text = "東京で雨。Rain in Tokyo";
        let words: Vec<&str> = unit_ranges(text, Unit::Token, &Normalizer::default())
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(words, ["東", "京", "で", "雨", "Rain", "in", "Tokyo"]);
    }

    #[test]
    fn bytes_are_their_own_ranges() {
        let ranges = unit_ranges("né", Unit::Byte, &Normalizer::default());
        assert_eq!(ranges, [0..1, 1..2, 2..3]);
    }
}
