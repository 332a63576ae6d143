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
        // ASCII is already NFKC, so only the other characters are checked,
        // and text in NFKC (nearly all) skips the NFKC pass.
        if self.options.nfkc && is_nfkc_quick(non_ascii_chars(text)) != IsNormalized::Yes {
            let mut pending_space = false;
            for c in text.nfkc() {
                self.push_char(c, &mut pending_space, out);
            }
        } else {
            self.push_text(text, out);
        }
        if out.ends_with(' ') {
            out.pop();
        }
    }

    /// Folds `text` (already in NFKC, or NFKC not asked for) into `out`.
    /// Runs of ASCII that are already canonical but for case (single
    /// spaces between visible characters) are copied and lower-cased whole,
    /// the rest goes char by char: the same result as
    /// [`Normalizer::push_char`] on every char, at memory speed.
    fn push_text(&self, text: &str, out: &mut String) {
        let mut pending_space = false;
        let mut rest = text;
        loop {
            let run = canonical_ascii_run(rest.as_bytes());
            if run > 0 {
                if pending_space {
                    out.push(' ');
                    pending_space = false;
                }
                let start = out.len();
                out.push_str(&rest[..run]);
                if self.options.lowercase {
                    out[start..].make_ascii_lowercase();
                }
            }
            let Some(c) = rest[run..].chars().next() else {
                break;
            };
            self.push_char(c, &mut pending_space, out);
            rest = &rest[run + c.len_utf8()..];
        }
    }

    /// Folds one char into `out`; `pending_space` collapses white-space
    /// runs and drops leading space.
    fn push_char(&self, c: char, pending_space: &mut bool, out: &mut String) {
        let c = if self.options.fold_punctuation {
            match fold_punctuation(c) {
                Some(folded) => folded,
                None => return,
            }
        } else {
            c
        };
        if c.is_whitespace() {
            *pending_space = !out.is_empty();
            return;
        }
        if *pending_space {
            out.push(' ');
            *pending_space = false;
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

/// The characters of `text` that are not ASCII, found without decoding
/// the ASCII ones. Enough for the NFKC quick check: ASCII characters are in
/// NFKC and of combining class 0, so leaving them out can only make the
/// check say "maybe" where it would have said "yes" (an order of combining
/// marks that an ASCII character between them made right), never the
/// reverse, and a "maybe" runs the full NFKC pass, which is always right.
fn non_ascii_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        let at = first_non_ascii(rest.as_bytes())?;
        let c = rest[at..].chars().next()?;
        rest = &rest[at + c.len_utf8()..];
        Some(c)
    })
}

/// The length of the run at the start of `bytes` that folding leaves as it
/// is but for case: visible ASCII characters, and single spaces between
/// two of them.
fn canonical_ascii_run(bytes: &[u8]) -> usize {
    let visible = |b: u8| b.is_ascii() && !is_ascii_space(b);
    let mut run = 0;
    while run < bytes.len() {
        if bytes
            .get(run..run + 8)
            .is_some_and(|chunk| canonical_word(word(chunk), run > 0))
        {
            run += 8;
            continue;
        }
        let b = bytes[run];
        if visible(b) {
            run += 1;
        } else if b == b' ' && run > 0 && bytes.get(run + 1).is_some_and(|&next| visible(next)) {
            run += 2;
        } else {
            break;
        }
    }
    run
}

/// Eight bytes as one word, the first in the lowest byte.
fn word(chunk: &[u8]) -> u64 {
    u64::from_le_bytes(chunk.try_into().expect("eight bytes"))
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Where the first byte that is not ASCII stands, eight bytes at a time.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    while bytes
        .get(at..at + 8)
        .is_some_and(|chunk| word(chunk) & HIGH_BITS == 0)
    {
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|b| !b.is_ascii())
        .map(|p| at + p)
}

/// Whether eight bytes, as a word, continue a canonical ASCII run as a
/// whole ([`canonical_ascii_run`] byte by byte would take all eight): no
/// byte outside ASCII or below the space, no two spaces together, none
/// last (what follows it is not known here) and none first unless the run
/// has begun (it then ends on a visible byte). The byte masks are exact
/// because every byte is below 0x80 when they are made, so no addition
/// carries into the next byte.
fn canonical_word(word: u64, run_begun: bool) -> bool {
    if word & HIGH_BITS != 0 {
        return false;
    }
    // A byte of at least 0x20 gets its high bit from adding 0x60.
    if (word + ONES * 0x60) & HIGH_BITS != HIGH_BITS {
        return false;
    }
    // A space is a zero byte of `word ^ spaces`; adding 0x7F sets the high
    // bit of every other byte.
    let spaces = !((word ^ (ONES * 0x20)) + ONES * 0x7F) & HIGH_BITS;
    let two_together = spaces & (spaces << 8) != 0;
    let last = spaces >> 56 != 0;
    let first = spaces & 0x80 != 0;
    !(two_together || last || (first && !run_begun))
}

/// The ASCII characters Unicode calls white space (`char::is_whitespace`):
/// tab, line feed, vertical tab, form feed, carriage return and space.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
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
    if normalized.is_ascii() {
        return for_each_ascii_word(normalized, emit);
    }
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

/// How UAX #29 word boundaries see an ASCII byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordClass {
    /// ALetter: a–z, A–Z.
    Letter,
    /// Numeric: 0–9.
    Digit,
    /// ExtendNumLet: `_`, which joins letters and digits on both sides.
    Connector,
    /// MidLetter (`:`), MidNumLet (`.`) and Single_Quote (`'`): inside a
    /// word between two letters.
    MidLetter,
    /// MidNum (`,` `;`): inside a number between two digits.
    MidNum,
    /// Also `.` and `'` (MidNumLet, Single_Quote) join digits.
    MidEither,
    /// Everything else (space, other punctuation, controls): always a boundary.
    Other,
}

const fn word_class(b: u8) -> WordClass {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => WordClass::Letter,
        b'0'..=b'9' => WordClass::Digit,
        b'_' => WordClass::Connector,
        b':' => WordClass::MidLetter,
        b'.' | b'\'' => WordClass::MidEither,
        b',' | b';' => WordClass::MidNum,
        _ => WordClass::Other,
    }
}

/// The class of each ASCII byte.
const WORD_CLASSES: [WordClass; 128] = {
    let mut classes = [WordClass::Other; 128];
    let mut b = 0;
    while b < 128 {
        classes[b] = word_class(b as u8);
        b += 1;
    }
    classes
};

/// [`for_each_token`] for ASCII text: the words `unicode_words` gives
/// (UAX #29 segments holding a letter or digit), found byte by byte with a
/// table. Rules WB5–WB13b decide; the others concern characters ASCII does
/// not have, or segments without letters and digits. The property test
/// `ascii_words_are_the_unicode_words` holds the two equal.
fn for_each_ascii_word<'a>(text: &'a str, mut emit: impl FnMut(&'a str)) {
    use WordClass::*;
    let bytes = text.as_bytes();
    let class = |i: usize| WORD_CLASSES[bytes[i] as usize];
    let mut at = 0;
    while at < bytes.len() {
        // A word begins with a letter, a digit or a connector (WB5–WB13b
        // never join a mid character to what follows it alone).
        if !matches!(class(at), Letter | Digit | Connector) {
            at += 1;
            continue;
        }
        let start = at;
        loop {
            // Letters, digits and connectors join each other (WB5, WB8–WB10,
            // WB13a, WB13b).
            while at < bytes.len() && matches!(class(at), Letter | Digit | Connector) {
                at += 1;
            }
            // One mid character joins two letters (WB6, WB7) or two digits
            // (WB11, WB12).
            if at + 1 >= bytes.len() {
                break;
            }
            let (before, mid, after) = (class(at - 1), class(at), class(at + 1));
            let between_letters =
                before == Letter && after == Letter && matches!(mid, MidLetter | MidEither);
            let between_digits =
                before == Digit && after == Digit && matches!(mid, MidNum | MidEither);
            if !(between_letters || between_digits) {
                break;
            }
            at += 2;
        }
        let word = &bytes[start..at];
        if word[0] != b'_' || word.iter().any(u8::is_ascii_alphanumeric) {
            emit(&text[start..at]);
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
    use proptest::prelude::*;

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

    /// Text that exercises word boundaries: letters, digits and every
    /// ASCII character UAX #29 treats specially, with some typographic
    /// characters for normalization.
    fn boundary_text() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "Z", "q", "7", "0", ".", "'", ":", ",", ";", "_", " ", "  ", "\n", "\t", "\r",
            "\u{b}", "\u{c}", "-", "\"", "!", "?", "/", "@", "#", "$", "%", "(", ")", "\u{0}",
            "\u{7f}", "\u{2019}", "\u{a0}", "\u{ad}", "É", "\u{fb01}", "ß", "\u{301}", "\u{316}",
            "e\u{301}", "\u{ff21}", "\u{2460}",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn ascii_words_are_the_unicode_words(text in boundary_text()) {
            let ascii: String = text.chars().filter(char::is_ascii).collect();
            let mut fast = Vec::new();
            for_each_ascii_word(&ascii, |word| fast.push(word));
            let reference: Vec<&str> = ascii.unicode_words().collect();
            prop_assert_eq!(fast, reference);
        }

        #[test]
        fn normalizing_equals_nfkc_then_folding_char_by_char(text in boundary_text()) {
            let normalizer = Normalizer::default();
            let mut reference = String::new();
            let mut pending_space = false;
            for c in text.nfkc() {
                normalizer.push_char(c, &mut pending_space, &mut reference);
            }
            if reference.ends_with(' ') {
                reference.pop();
            }
            prop_assert_eq!(normalizer.normalize(&text), reference);
        }

        #[test]
        fn run_by_run_folding_equals_char_by_char(text in boundary_text()) {
            for lowercase in [true, false] {
                let normalizer = Normalizer::new(NormalizeOptions {
                    nfkc: false,
                    lowercase,
                    ..NormalizeOptions::default()
                });
                let mut by_char = String::new();
                let mut pending_space = false;
                for c in text.chars() {
                    normalizer.push_char(c, &mut pending_space, &mut by_char);
                }
                let mut by_run = String::new();
                normalizer.push_text(&text, &mut by_run);
                prop_assert_eq!(by_run, by_char);
            }
        }
    }

    #[test]
    fn normalize_into_reuses_and_clears_buffer() {
        let normalizer = Normalizer::default();
        let mut buffer = String::from("left over");
        normalizer.normalize_into("New", &mut buffer);
        assert_eq!(buffer, "new");
    }
}
