//! Everything the timeline knows about one line of text on its own.
//!
//! Crawls of a live blog repeat the same lines again and again, so each
//! distinct line is analysed once: [`LineTable`] interns lines by a hash of
//! their raw text and keeps a [`LineInfo`] per distinct line — its match key,
//! word shingles, and what it looks like (headline, body paragraph, byline,
//! furniture). Context (where the line stands on its page) is the business
//! of `segment`; nothing here looks beyond the line itself, except one
//! second reading of short timed headlines that only documents whose posts
//! open with their times get ([`read_short_timed_lines`]).

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use super::byline::{self, Stamp};
use super::furniture;
use super::segment::PageLine;
use crate::normalize::{for_each_token, Normalizer};

/// Hasher for maps keyed by hashes we computed ourselves (xxh3): they are
/// already uniform, so hashing them again would only cost time.
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyHash(u64);

impl std::hash::Hasher for KeyHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }

    fn write_u128(&mut self, v: u128) {
        self.0 = (v as u64) ^ ((v >> 64) as u64);
    }
}

/// `BuildHasher` for [`KeyHash`].
pub type KeyHasher = std::hash::BuildHasherDefault<KeyHash>;

/// Index of a distinct line in a [`LineTable`].
pub type LineId = u32;

/// Words per shingle for near-duplicate comparison of posts.
const SHINGLE: usize = 3;

/// What a line looks like on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// A short line without closing punctuation: a post headline, a
    /// standfirst, a gallery caption.
    Headline,
    /// A paragraph of running text.
    Body,
}

/// The analysis of one distinct line.
#[derive(Debug, Clone)]
pub struct LineInfo {
    /// The line as printed, trimmed.
    pub text: Arc<str>,
    /// Hash of the line's letters and digits after normalization: lines that
    /// differ only in case, white space, quotes, punctuation or markup get
    /// the same key.
    pub key: u128,
    /// Number of words.
    pub words: u32,
    /// Sorted, distinct hashes of word 3-grams (the whole line when shorter).
    pub shingles: Box<[u64]>,
    /// Sorted, distinct hashes of the words themselves.
    pub word_set: Box<[u64]>,
    pub look: Look,
    /// A byline or time line.
    pub stamp: Option<Stamp>,
    /// A time printed at the start of a headline or paragraph, set off by
    /// a dash or a bar: the time of the post the line opens.
    pub lead_stamp: Option<Stamp>,
    /// The line as a post shows it: without a leading time (`lead_stamp`),
    /// which the post carries as its time instead. Otherwise `text`.
    pub shown: Arc<str>,
    /// Site furniture judged from the line's content alone.
    pub furniture: bool,
    /// An appeal for money or sign-ups: the lines after it in the publisher's
    /// voice belong to the same appeal.
    pub appeal: bool,
    /// Speaks as the publisher or to the reader ("we", "our", "your")
    /// outside quotation marks.
    pub voice: bool,
    /// Reads as a person's name and nothing else (see [`looks_like_name`]).
    pub name_like: bool,
}

/// Distinct lines and their analysis.
#[derive(Debug, Default)]
pub struct LineTable {
    pub infos: Vec<LineInfo>,
}

impl LineTable {
    pub fn get(&self, id: LineId) -> &LineInfo {
        &self.infos[id as usize]
    }
}

/// Interns lines while documents are split, then analyses the distinct ones
/// in parallel.
#[derive(Default)]
pub struct Interner<'a> {
    ids: HashMap<u64, LineId, KeyHasher>,
    pending: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    /// The id of a line, given its `xxh3_64` hash. (64 bits are plenty to
    /// tell apart the distinct lines of any set of crawls.)
    pub fn intern_hashed(&mut self, hash: u64, line: &'a str) -> LineId {
        let next = self.pending.len() as LineId;
        *self.ids.entry(hash).or_insert_with(|| {
            self.pending.push(line);
            next
        })
    }

    /// Analyse every distinct line seen.
    pub fn finish(self, normalizer: &Normalizer) -> LineTable {
        let infos = self
            .pending
            .par_iter()
            .map(|line| analyse(line, normalizer))
            .collect();
        LineTable { infos }
    }
}

/// Analyse one line.
pub fn analyse(line: &str, normalizer: &Normalizer) -> LineInfo {
    let normalized = normalizer.normalize(line);
    let key = loose_key(&normalized);
    let mut words = Vec::new();
    for_each_token(&normalized, |t| words.push(t));
    let shingles = shingles(&words);
    let mut word_set: Vec<u64> = words.iter().map(|w| xxh3_64(w.as_bytes())).collect();
    word_set.sort_unstable();
    word_set.dedup();
    let stamp = if words.len() <= 16 {
        byline::parse(line)
    } else {
        None
    };
    let text: Arc<str> = Arc::from(line);
    let (lead_stamp, shown) = match stamp
        .is_none()
        .then(|| byline::parse_leading(line))
        .flatten()
    {
        Some((lead, at)) => (Some(lead), Arc::from(&line[at..])),
        None => (None, text.clone()),
    };
    let signals = furniture::signals(line, &normalized, &words);
    LineInfo {
        text,
        key,
        words: words.len() as u32,
        shingles,
        word_set: word_set.into_boxed_slice(),
        look: look(line, words.len()),
        stamp,
        lead_stamp,
        shown,
        furniture: signals.furniture,
        appeal: signals.appeal,
        voice: signals.voice,
        name_like: looks_like_name(line),
    }
}

/// Fewest lines that open with their post's time before a document's
/// short timed headlines read as timed too.
const MIN_TIMED_OPENERS: usize = 3;

/// On a document whose posts open with their time ("21:26 Immigration
/// ministers questioned by MPs"), a clock time before a headline of one or
/// two words ("00:55 Afternoon summary") opens a post too. Elsewhere such
/// a line may be any phrase that names a time, so it is read this way
/// only in such documents: each of its lines there is given the id of a
/// second reading of the line, added to the table, that carries the time
/// (`lead_stamp`) and shows the text after it. The two readings share the
/// match key, so crawls that read the line differently still match it.
pub fn read_short_timed_lines<'p>(
    table: &mut LineTable,
    documents: impl Iterator<Item = &'p mut [PageLine]>,
) {
    let mut timed_reading: HashMap<LineId, Option<LineId>> = HashMap::new();
    for lines in documents {
        let openers = lines
            .iter()
            .filter(|line| table.get(line.id).lead_stamp.is_some())
            .count();
        if openers < MIN_TIMED_OPENERS {
            continue;
        }
        for line in lines.iter_mut() {
            let reading = *timed_reading
                .entry(line.id)
                .or_insert_with(|| add_timed_reading(table, line.id));
            if let Some(id) = reading {
                line.id = id;
            }
        }
    }
}

/// Adds the timed reading of a short timed headline to the table; `None`
/// for any other line.
fn add_timed_reading(table: &mut LineTable, id: LineId) -> Option<LineId> {
    let info = table.get(id);
    if info.stamp.is_some() || info.lead_stamp.is_some() || info.words > 6 {
        return None;
    }
    let (stamp, at) = byline::parse_short_leading(&info.text)?;
    let timed = LineInfo {
        lead_stamp: Some(stamp),
        shown: Arc::from(&info.text[at..]),
        ..info.clone()
    };
    table.infos.push(timed);
    Some((table.infos.len() - 1) as LineId)
}

/// Two to four capitalised words of letters (hyphens, apostrophes and
/// initials allowed), and nothing else: "Hugo Doherty".
pub fn looks_like_name(text: &str) -> bool {
    if text.len() > 40 {
        return false;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
        })
}

/// The match key: a hash of the letters and digits of normalized text, with
/// anything inside angle brackets (markup) left out.
pub fn loose_key(normalized: &str) -> u128 {
    let mut kept = String::with_capacity(normalized.len());
    let mut in_tag = false;
    for c in normalized.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag && c.is_alphanumeric() => kept.push(c),
            _ => {}
        }
    }
    // An unclosed '<' was not markup after all.
    if in_tag {
        kept = normalized.chars().filter(|c| c.is_alphanumeric()).collect();
    }
    xxh3_128(kept.as_bytes())
}

fn shingles(words: &[&str]) -> Box<[u64]> {
    let mut out: Vec<u64> = if words.len() < SHINGLE {
        if words.is_empty() {
            Vec::new()
        } else {
            vec![hash_words(words)]
        }
    } else {
        words.windows(SHINGLE).map(hash_words).collect()
    };
    out.sort_unstable();
    out.dedup();
    out.into_boxed_slice()
}

fn hash_words(words: &[&str]) -> u64 {
    let mut joined = String::new();
    for w in words {
        joined.push_str(w);
        joined.push('\u{1f}');
    }
    xxh3_64(joined.as_bytes())
}

/// Headline or body, from the line's length and how it ends.
fn look(line: &str, words: usize) -> Look {
    if !(2..=30).contains(&words) || line.len() > 250 || is_attribution(line) {
        return Look::Body;
    }
    match final_mark(line) {
        Some('.' | '!' | ';' | ':' | ',' | '…') => Look::Body,
        // A short question is a headline ("Why are troops in Ukraine?").
        Some('?') if words > 12 => Look::Body,
        None => Look::Body,
        _ => Look::Headline,
    }
}

/// The last character of a line past closing quotes and brackets: where
/// a sentence has its closing punctuation.
fn final_mark(line: &str) -> Option<char> {
    line.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '’' | '”' | '»' | ')' | ']')
    })
    .chars()
    .last()
}

/// The line ends as a sentence does, on closing punctuation (a question
/// mark included), past any closing quotes and brackets.
pub fn ends_closed(line: &str) -> bool {
    matches!(
        final_mark(line),
        Some('.' | '!' | '?' | ';' | ':' | ',' | '…')
    )
}

/// The attribution under an embedded social-media post ("— Jane Doe
/// (@jane) May 1, 2024"): it closes a quote and never heads a post.
fn is_attribution(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with(['—', '–', '-']) && line.contains("(@")
}

/// Jaccard similarity and containment (intersection over the smaller set)
/// of two sorted, distinct slices.
pub fn similarity(a: &[u64], b: &[u64]) -> (f64, f64) {
    if a.is_empty() || b.is_empty() {
        return (0.0, 0.0);
    }
    let both = crate::shingle::intersection_size(a, b) as f64;
    let union = (a.len() + b.len()) as f64 - both;
    (both / union, both / a.len().min(b.len()) as f64)
}

/// Sorted union of several sorted slices.
pub fn union<'s>(sets: impl Iterator<Item = &'s [u64]>) -> Vec<u64> {
    let mut out: Vec<u64> = sets.flat_map(|s| s.iter().copied()).collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(line: &str) -> LineInfo {
        analyse(line, &Normalizer::default())
    }

    #[test]
    fn an_embedded_post_attribution_is_no_headline() {
        assert_eq!(
            info("— Hana Doherty (@hanado14) December 20, 2017").look,
            Look::Body
        );
        assert_eq!(info("Hana Doherty leads the count").look, Look::Headline);
    }

    #[test]
    fn keys_ignore_quotes_spacing_and_markup() {
        let a = info("Mitt Romney’s English is direct , and <b>useful</b>.");
        let b = info("Mitt Romney 's English is direct, and useful.");
        assert_eq!(a.key, b.key);
        assert_ne!(a.key, info("Mitt Romney's English is indirect.").key);
    }

    #[test]
    fn headlines_and_paragraphs_look_different() {
        assert_eq!(
            info("Russia targets Kyiv in hours-long drone attack").look,
            Look::Headline
        );
        assert_eq!(
            info("Why are North Koreans troops in Ukraine?").look,
            Look::Headline
        );
        assert_eq!(
            info("“Explosions heard in the city. Fires in several districts.”").look,
            Look::Body
        );
        assert_eq!(info("Ukraine").look, Look::Body);
    }

    #[test]
    fn similarity_of_sets() {
        assert_eq!(similarity(&[1, 2, 3, 4], &[3, 4, 5, 6]), (2.0 / 6.0, 0.5));
        assert_eq!(similarity(&[], &[1]), (0.0, 0.0));
    }
}
