//! Text to canonical form and canonical form to tokens.
//!
//! Two texts that a reader would call "the same" must normalize to the same
//! string: the seeds carry one post twice, once with ’ and once with '.
//! [`Normalizer::normalize_into`] applies, in order:
//!
//! 1. Unicode NFKC (compatibility forms such as ﬁ, full-width letters and
//!    non-breaking spaces become their plain equivalents);
//! 2. typographic punctuation folded to ASCII: ‘ ’ ‚ ‛ ′ → `'`,
//!    “ ” „ ‟ ″ « » → `"`, the dashes ‐ ‑ ‒ – — ― − → `-`; invisible
//!    characters (soft hyphen, zero-width space and joiners, BOM) dropped;
//! 3. lower case (Unicode `to_lowercase`);
//! 4. every run of white space (line breaks included) collapsed to one
//!    space, and leading and trailing space removed.
//!
//! Each step can be switched off with [`NormalizeOptions`].
//!
//! [`for_each_token`] splits canonical text into words at Unicode word
//! boundaries (UAX #29), so any script that separates words works. Scripts
//! written without spaces between words (Chinese, Japanese, Thai, Lao,
//! Khmer, Myanmar) yield one token per character instead, so that word
//! n-grams over them become character n-grams.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

/// Which normalization steps to apply. All are on by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NormalizeOptions {
    /// Apply Unicode NFKC.
    pub nfkc: bool,
    /// Fold typographic quotes and dashes to ASCII, drop invisible characters.
    pub fold_punctuation: bool,
    /// Lower-case the text.
    pub lowercase: bool,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions {
            nfkc: true,
            fold_punctuation: true,
            lowercase: true,
        }
    }
}

/// Applies [`NormalizeOptions`] to text. Cheap to copy and share across threads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Normalizer {
    options: NormalizeOptions,
}

impl Normalizer {
    pub fn new(options: NormalizeOptions) -> Self {
        Normalizer { options }
    }

    pub fn options(&self) -> NormalizeOptions {
        self.options
    }

    /// The canonical form of `text` as a new string.
    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.normalize_into(text, &mut out);
        out
    }

    /// Write the canonical form of `text` into `out` (cleared first), so a
    /// caller can reuse one buffer for many documents.
    pub fn normalize_into(&self, text: &str, out: &mut String) {
        out.clear();
        out.reserve(text.len());
        // ASCII is already NFKC and has no typographic punctuation, so the
        // common English case skips both Unicode passes.
        if text.is_ascii() {
            self.push_folded(text.chars(), out);
        } else if self.options.nfkc && is_nfkc_quick(text.chars()) != IsNormalized::Yes {
            self.push_folded(text.nfkc(), out);
        } else {
            self.push_folded(text.chars(), out);
        }
        if out.ends_with(' ') {
            out.pop();
        }
    }

    fn push_folded(&self, chars: impl Iterator<Item = char>, out: &mut String) {
        // `pending_space` collapses white-space runs and drops leading space.
        let mut pending_space = false;
        for c in chars {
            let c = if self.options.fold_punctuation {
                match fold_punctuation(c) {
                    Some(folded) => folded,
                    None => continue,
                }
            } else {
                c
            };
            if c.is_whitespace() {
                pending_space = !out.is_empty();
                continue;
            }
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            if !self.options.lowercase {
                out.push(c);
            } else if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
}

/// The ASCII stand-in for typographic punctuation; `None` for characters
/// that carry no text and are dropped.
fn fold_punctuation(c: char) -> Option<char> {
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

/// Call `emit` with each token of canonical text, in order.
///
/// Tokens are UAX #29 words (so `don't`, `3.5` and `U.S` stay whole and
/// punctuation is dropped); a word in a script written without spaces is
/// emitted one character at a time.
pub fn for_each_token<'a>(normalized: &'a str, mut emit: impl FnMut(&'a str)) {
    for word in normalized.unicode_words() {
        let first = word.chars().next().unwrap_or(' ');
        if is_unspaced_script(first) {
            for (at, c) in word.char_indices() {
                emit(&word[at..at + c.len_utf8()]);
            }
        } else {
            emit(word);
        }
    }
}

/// The tokens of canonical text, collected. Prefer [`for_each_token`] on hot paths.
pub fn tokens(normalized: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for_each_token(normalized, |t| out.push(t));
    out
}

/// Scripts that do not put spaces between words, where UAX #29 alone would
/// give whole runs (Thai) or dictionary-free guesses (Han, Kana).
fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF      // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x20000..=0x3FFFF // CJK extensions B and later
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(text: &str) -> String {
        Normalizer::default().normalize(text)
    }

    #[test]
    fn curly_and_straight_apostrophes_normalize_alike() {
        let curly = "the capital\u{2019}s military administration";
        let straight = "the capital's military administration";
        assert_eq!(norm(curly), norm(straight));
    }

    #[test]
    fn quotes_dashes_and_case_fold() {
        assert_eq!(
            norm("\u{201C}Wise Leadership\u{201D} \u{2013} Chasiv Yar"),
            "\"wise leadership\" - chasiv yar"
        );
    }

    #[test]
    fn white_space_collapses_and_trims() {
        assert_eq!(norm("  a\n\n b\t\u{00A0}c  "), "a b c");
        assert_eq!(norm(""), "");
        assert_eq!(norm(" \n\t "), "");
    }

    #[test]
    fn nfkc_folds_compatibility_forms() {
        assert_eq!(norm("\u{FB01}ne \u{FF21}\u{FF22}"), "fine ab");
    }

    #[test]
    fn invisible_characters_are_dropped() {
        assert_eq!(
            norm("co\u{00AD}operate zero\u{200B}width"),
            "cooperate zerowidth"
        );
    }

    #[test]
    fn options_switch_steps_off() {
        let keep_case = Normalizer::new(NormalizeOptions {
            lowercase: false,
            ..NormalizeOptions::default()
        });
        assert_eq!(keep_case.normalize("Kyiv\u{2019}s"), "Kyiv's");
        let keep_quotes = Normalizer::new(NormalizeOptions {
            fold_punctuation: false,
            ..NormalizeOptions::default()
        });
        assert_eq!(keep_quotes.normalize("Kyiv\u{2019}s"), "kyiv\u{2019}s");
    }

    #[test]
    fn words_split_at_unicode_boundaries() {
        let text = norm("Russia's 2,000 drones - said Popko, on X.");
        assert_eq!(
            tokens(&text),
            vec!["russia's", "2,000", "drones", "said", "popko", "on", "x"]
        );
        assert_eq!(tokens("москва и киев"), vec!["москва", "и", "киев"]);
    }

    #[test]
    fn unspaced_scripts_fall_back_to_characters() {
        assert_eq!(tokens("北京欢迎你"), vec!["北", "京", "欢", "迎", "你"]);
        let thai = "สวัสดีครับ";
        assert_eq!(tokens(thai).len(), thai.chars().count());
        assert_eq!(tokens("東京 news"), vec!["東", "京", "news"]);
    }

    #[test]
    fn normalize_into_reuses_and_clears_buffer() {
        let normalizer = Normalizer::default();
        let mut buffer = String::from("left over");
        normalizer.normalize_into("New", &mut buffer);
        assert_eq!(buffer, "new");
    }
}
