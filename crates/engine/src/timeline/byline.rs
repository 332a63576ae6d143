//! Byline and time lines: recognising them and turning them into times.
//!
//! Live blogs print a post's author and time on a line of its own, in many
//! shapes: a name run into a date ("Andy Gregory1 November 2024 20:00"), a
//! bare clock time ("10.32am GMT"), a relative time ("2h ago"), an ISO
//! timestamp, or an "Updated at …" line. [`parse`] recognises a line that is
//! *only* such a stamp (plus an optional short name), so that body
//! paragraphs which merely mention a date are never taken for bylines.
//!
//! This module also holds the small amount of calendar arithmetic the
//! timeline needs (days since 1970, minutes since 1970), written out here so
//! the engine needs no date library.

use super::zone::{parse_offset, Zone};

/// A calendar date. `year` is `None` when the line gave only day and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

/// What a byline or time line says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamp {
    /// The name in front of the time, or after "By".
    pub author: Option<String>,
    pub date: Option<Day>,
    /// Hours and minutes, as printed (no time-zone conversion).
    pub time: Option<(u32, u32)>,
    /// The zone printed beside the time, if any.
    pub zone: Option<Zone>,
    /// "2h ago" and friends, in minutes before the capture.
    pub ago_minutes: Option<i64>,
    /// The line said "Updated …": a revision time rather than publication.
    pub updated: bool,
}

impl Stamp {
    /// It says when: a date, a time of day or a relative time.
    pub fn has_when(&self) -> bool {
        self.date.is_some() || self.time.is_some() || self.ago_minutes.is_some()
    }

    /// It names no time of day, no relative time and no author: a date
    /// alone is a day divider ("Tuesday 12 March"), not a post's stamp.
    pub fn is_date_alone(&self) -> bool {
        self.time.is_none() && self.ago_minutes.is_none() && self.author.is_none()
    }
}

/// Longest line considered a byline; real ones are far shorter.
const MAX_LEN: usize = 120;

/// Parse a whole line as a byline/time stamp, or `None` if it is anything
/// else (a headline, a paragraph that mentions a date, junk).
pub fn parse(line: &str) -> Option<Stamp> {
    let line = line.trim();
    if line.is_empty() || line.len() > MAX_LEN {
        return None;
    }
    // Every stamp has a digit, except relative ones ("an hour ago").
    let may_have_time = line.bytes().any(|b| b.is_ascii_digit())
        || line.to_ascii_lowercase().contains("ago")
        || line.to_ascii_lowercase().contains("just now");
    if may_have_time {
        if let Some(stamp) = parse_stamp(line).or_else(|| parse_time_then_name(line)) {
            return Some(stamp);
        }
    }
    // "By Jane Doe" with no time at all.
    let rest = strip_prefix_ci(line, "by ")?;
    let author = parse_name(rest)?;
    Some(Stamp {
        author: Some(author),
        ..Stamp::default()
    })
}

/// A time followed by its author: "11.44am BST, Jon Quinn", "16:53 · Ana
/// Ruiz". Only a time (or date) with a name after a separator counts.
fn parse_time_then_name(line: &str) -> Option<Stamp> {
    [", ", " · ", " | ", " – ", " — "]
        .iter()
        .find_map(|separator| {
            let (head, tail) = line.rsplit_once(separator)?;
            let tail = strip_prefix_ci(tail.trim(), "by ").unwrap_or(tail.trim());
            let author = parse_name(tail)?;
            let mut stamp = parse_stamp(head).filter(|s| s.author.is_none() && s.has_when())?;
            stamp.author = Some(author);
            Some(stamp)
        })
}

/// Separators that set a stamp off from the text on the same line.
const LEADING_SEPARATORS: [&str; 4] = [" – ", " — ", " | ", " - "];

/// A time that opens a line and is set off from the text after it by a
/// dash or a bar ("15:26 | Ministers meet", "2024-11-01T20:00Z – Polls
/// close"), an ISO timestamp with a time and a space (or a colon and a
/// space) after it, or a 24-hour clock time before a sentence: pages
/// that print each post's time beside its headline or first paragraph.
/// Only stamps with a date or time count. With the stamp comes the byte
/// offset of the text after it (and after its separator).
pub fn parse_leading(line: &str) -> Option<(Stamp, usize)> {
    // A time as the first word: an ISO timestamp needs no separator
    // (nothing else reads like it), a clock time a sentence after it.
    if let Some((head, rest)) = line.split_once(' ') {
        let (time, colon) = match head.strip_suffix(':') {
            Some(time) => (time, true),
            None => (head, false),
        };
        // (One word will do: "2020-06-03T20:47:00+01:00 Summary".)
        let iso = parse_iso(time)
            .filter(|stamp| stamp.time.is_some() && rest.split_whitespace().count() >= 1);
        let min_words = if colon { 1 } else { 3 };
        if let Some(stamp) = iso.or_else(|| parse_leading_clock(time, min_words, rest)) {
            return Some((stamp, text_after(line, head.len() + 1)));
        }
    }
    LEADING_SEPARATORS.iter().find_map(|separator| {
        let (head, rest) = line.split_once(separator)?;
        if rest.split_whitespace().count() < 2 {
            return None;
        }
        let stamp = parse(head).filter(|stamp| stamp.date.is_some() || stamp.time.is_some())?;
        Some((stamp, text_after(line, head.len() + separator.len())))
    })
}

/// Where the text starts at or after byte `at` of `line`: past a
/// separator (a bar or a dash) and the spaces around it.
fn text_after(line: &str, at: usize) -> usize {
    let rest = line[at.min(line.len())..].trim_start();
    let after_separator = ["|", "–", "—", "-"]
        .iter()
        .find_map(|separator| rest.strip_prefix(separator))
        .filter(|after| after.starts_with(char::is_whitespace));
    line.len() - after_separator.unwrap_or(rest).trim_start().len()
}

/// A bare 24-hour clock time before a headline of one or two capitalised
/// words: "00:55 Afternoon summary", "16:08 Summary". On its own such a
/// line could be any phrase that names a time ("21:32 Nasa"), so
/// [`parse_leading`] does not take it; a page whose posts already open
/// with their times does (see `lines::read_short_timed_lines`). With the
/// stamp comes the byte offset of the text after it.
pub fn parse_short_leading(line: &str) -> Option<(Stamp, usize)> {
    let (head, rest) = line.split_once(' ')?;
    if rest.split_whitespace().count() > 2 {
        return None;
    }
    let stamp = parse_leading_clock(head, 1, rest)?;
    Some((stamp, text_after(line, head.len() + 1)))
}

/// A 24-hour clock time (`head`, its colon after it stripped) before a
/// capitalised sentence (`rest`) of at least `min_words` words: "21:32
/// Nasa scientists have…", "11:04: Sunak says…". Agenda items in 12-hour
/// clocks ("9.30am: …", "12pm: …") are not of this shape. A colon after
/// the time sets it off plainly enough that a one-word headline may follow
/// ("22:02: Summary"); without one, "21:32 Nasa" could be any phrase that
/// names a time, so a sentence must follow.
fn parse_leading_clock(head: &str, min_words: usize, rest: &str) -> Option<Stamp> {
    let (hours, minutes) = head.split_once(':')?;
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    let clock = (1..=2).contains(&hours.len())
        && hours.bytes().all(|b| b.is_ascii_digit())
        && two_digits(minutes);
    let opens_sentence = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || matches!(c, '‘' | '“' | '"' | '\''));
    if !clock || !opens_sentence || rest.split_whitespace().count() < min_words {
        return None;
    }
    parse(head).filter(|stamp| stamp.time.is_some())
}

/// Try every token where a date or time could begin, leftmost first; what
/// stands before it must be empty, a keyword such as "Updated", or a name.
fn parse_stamp(line: &str) -> Option<Stamp> {
    let (offsets, toks) = tokenize(line)?;
    for (i, tok) in toks.iter().enumerate() {
        let at = offsets[i];
        let candidate = match tok {
            // Numbers may follow anything: "Gregory1 November" runs a name
            // into a date.
            Tok::Num(..) => true,
            // A word start must follow a separator.
            Tok::Word(_) => !line[..at].ends_with(char::is_alphanumeric),
            Tok::Punct(_) => false,
        };
        if !candidate {
            continue;
        }
        let Some(mut stamp) = parse_iso(&line[at..]).or_else(|| parse_tokens(&toks[i..])) else {
            continue;
        };
        if let Some((author, updated)) = parse_prefix(&line[..at]) {
            stamp.author = author;
            stamp.updated |= updated;
            return Some(stamp);
        }
    }
    None
}

/// The text before a stamp: nothing, a keyword, or a (by-)name.
/// Returns the author, if any, and whether it said "updated".
fn parse_prefix(prefix: &str) -> Option<(Option<String>, bool)> {
    let trimmed = prefix.trim_matches(is_separator);
    if trimmed.is_empty() {
        return Some((None, false));
    }
    let lower = trimmed.to_lowercase();
    const KEYWORDS: [&str; 9] = [
        "last updated",
        "updated",
        "first published",
        "published",
        "posted",
        "last modified",
        "modified",
        "updated at",
        "published at",
    ];
    for keyword in KEYWORDS {
        let rest = lower.strip_prefix(keyword).map(str::trim);
        if let Some(rest) = rest {
            if ["", "at", "on", ":"].contains(&rest) {
                return Some((
                    None,
                    keyword.contains("updated") || keyword.contains("modified"),
                ));
            }
        }
    }
    // "Jane Doe", "By Jane Doe", "Posted by Jane Doe at …", "By Jane Doe on
    // …": "at" and "on" only after "by".
    let by = ["posted by ", "published by ", "written by ", "by "]
        .iter()
        .find_map(|lead| strip_prefix_ci(trimmed, lead));
    let name = match by {
        Some(name) => [" at", " on"]
            .iter()
            .find_map(|tail| strip_suffix_ci(name, tail))
            .unwrap_or(name),
        None => trimmed,
    };
    parse_name(name).map(|name| (Some(name), false))
}

fn strip_suffix_ci<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let at = text.len().checked_sub(suffix.len())?;
    let tail = text.get(at..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..at])
}

/// A person's name: one to six capitalised words (with the odd particle
/// such as "de" or "van"), no digits.
fn parse_name(text: &str) -> Option<String> {
    let text = text.trim().trim_matches(is_separator);
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return None;
    }
    const PARTICLES: [&str; 11] = [
        "and", "&", "de", "van", "von", "der", "la", "le", "da", "bin", "al",
    ];
    let name_like = words.iter().all(|word| {
        let first = word.chars().next().unwrap_or(' ');
        let letters_only = word
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’' | ','));
        letters_only && (first.is_uppercase() || PARTICLES.contains(&word.to_lowercase().as_str()))
    });
    let starts_upper = words[0].chars().next().is_some_and(char::is_uppercase);
    (name_like && starts_upper).then(|| text.trim_end_matches(',').to_string())
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '|' | '·' | '•' | '-' | '–' | '—' | ':')
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// A token of a date/time expression.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(u32, usize),
    Word(String),
    Punct(char),
}

/// Tokens of `text` and the byte offset where each starts; `None` for
/// lines too long to be a stamp.
fn tokenize(text: &str) -> Option<(Vec<usize>, Vec<Tok>)> {
    let mut offsets = Vec::new();
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        offsets.push(at);
        if c.is_ascii_digit() {
            let mut value: u64 = 0;
            let mut len = 0;
            while let Some(&(_, d)) = chars.peek() {
                let Some(digit) = d.to_digit(10) else { break };
                value = (value * 10 + u64::from(digit)).min(u64::from(u32::MAX));
                len += 1;
                chars.next();
            }
            out.push(Tok::Num(value as u32, len));
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(&(_, l)) = chars.peek() {
                if !l.is_alphabetic() {
                    break;
                }
                word.extend(l.to_lowercase());
                chars.next();
            }
            out.push(Tok::Word(word));
        } else {
            out.push(Tok::Punct(c));
            chars.next();
        }
        if out.len() > 40 {
            return None;
        }
    }
    Some((offsets, out))
}

/// Parse tokens as nothing but a date/time expression.
fn parse_tokens(toks: &[Tok]) -> Option<Stamp> {
    let mut p = Parser {
        toks,
        at: 0,
        stamp: Stamp::default(),
    };
    if p.relative() {
        return p.finished();
    }
    loop {
        p.skip_separators();
        if p.at >= p.toks.len() {
            break;
        }
        let progressed = (p.stamp.date.is_none() && (p.weekday() || p.date()))
            || (p.stamp.time.is_none() && p.time())
            || (p.stamp.has_when() && p.zone());
        if !progressed {
            return None;
        }
    }
    p.finished()
}

struct Parser<'a> {
    toks: &'a [Tok],
    at: usize,
    stamp: Stamp,
}

impl Parser<'_> {
    fn finished(self) -> Option<Stamp> {
        (self.at >= self.toks.len() && self.stamp.has_when()).then_some(self.stamp)
    }

    fn peek(&self, ahead: usize) -> Option<&Tok> {
        self.toks.get(self.at + ahead)
    }

    fn word(&self, ahead: usize) -> Option<&str> {
        match self.peek(ahead) {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }

    fn skip_separators(&mut self) {
        while let Some(tok) = self.peek(0) {
            let skip = match tok {
                Tok::Punct(c) => matches!(c, ',' | '|' | '·' | '•' | '-' | '–' | '—' | '/'),
                Tok::Word(w) => w == "at" || w == "on",
                Tok::Num(..) => false,
            };
            if !skip {
                break;
            }
            self.at += 1;
        }
    }

    /// "2h ago", "35 minutes ago", "an hour ago", "just now": the whole line.
    fn relative(&mut self) -> bool {
        let (amount, unit_at) = match (self.peek(0), self.word(0)) {
            (Some(Tok::Num(n, _)), _) => (i64::from(*n), 1),
            (_, Some("a" | "an")) => (1, 1),
            (_, Some("just")) if self.word(1) == Some("now") && self.toks.len() == 2 => {
                self.stamp.ago_minutes = Some(0);
                self.at = 2;
                return true;
            }
            _ => return false,
        };
        let minutes = match self.word(unit_at) {
            Some("s" | "sec" | "secs" | "second" | "seconds") => 0,
            Some("m" | "min" | "mins" | "minute" | "minutes") => 1,
            Some("h" | "hr" | "hrs" | "hour" | "hours") => 60,
            Some("d" | "day" | "days") => 1440,
            _ => return false,
        };
        if self.word(unit_at + 1) != Some("ago") || self.toks.len() != unit_at + 2 {
            return false;
        }
        self.stamp.ago_minutes = Some(amount.saturating_mul(minutes));
        self.at = unit_at + 2;
        true
    }

    fn weekday(&mut self) -> bool {
        let Some(word) = self.word(0) else {
            return false;
        };
        const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let full = [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ];
        let is_day = DAYS.contains(&word)
            || full.contains(&word)
            || ["tues", "thur", "thurs"].contains(&word);
        if !is_day {
            return false;
        }
        self.at += 1;
        if self.peek(0) == Some(&Tok::Punct('.')) {
            self.at += 1;
        }
        true
    }

    /// "1 November 2024", "Nov. 2, 2024", "2 Nov".
    fn date(&mut self) -> bool {
        let start = self.at;
        if let Some(Tok::Num(day, len)) = self.peek(0).cloned() {
            if len <= 2 {
                self.at += 1;
                if let Some(month) = self.month() {
                    if (1..=31).contains(&day) {
                        let year = self.year();
                        self.stamp.date = Some(Day { year, month, day });
                        return true;
                    }
                }
            }
        } else if let Some(month) = self.month() {
            if let Some(Tok::Num(day, len)) = self.peek(0).cloned() {
                if len <= 2 && (1..=31).contains(&day) && !self.is_clock_ahead() {
                    self.at += 1;
                    if self.peek(0) == Some(&Tok::Punct(',')) {
                        self.at += 1;
                    }
                    let year = self.year();
                    self.stamp.date = Some(Day { year, month, day });
                    return true;
                }
            }
        }
        self.at = start;
        false
    }

    /// True when the number at the cursor starts a clock time ("10:32").
    fn is_clock_ahead(&self) -> bool {
        matches!(self.peek(1), Some(Tok::Punct(':' | '.')))
            && matches!(self.peek(2), Some(Tok::Num(_, 2)))
    }

    fn month(&mut self) -> Option<u32> {
        let word = self.word(0)?;
        const MONTHS: [&str; 12] = [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ];
        let month = MONTHS.iter().position(|m| {
            *m == word || (word.len() >= 3 && m.starts_with(word) && word.len() <= 4)
        })?;
        self.at += 1;
        if self.peek(0) == Some(&Tok::Punct('.')) {
            self.at += 1;
        }
        Some(month as u32 + 1)
    }

    fn year(&mut self) -> Option<i32> {
        self.skip_comma();
        match self.peek(0) {
            Some(Tok::Num(year, 4)) if (1900..=2999).contains(year) => {
                let year = *year as i32;
                self.at += 1;
                Some(year)
            }
            _ => None,
        }
    }

    fn skip_comma(&mut self) {
        if self.peek(0) == Some(&Tok::Punct(',')) {
            self.at += 1;
        }
    }

    /// "20:00", "10.32am", "10:32 a.m.", "10am".
    fn time(&mut self) -> bool {
        let start = self.at;
        let Some(Tok::Num(hour, hour_len)) = self.peek(0).cloned() else {
            return false;
        };
        if hour_len > 2 || hour > 24 {
            return false;
        }
        self.at += 1;
        let mut minute = 0;
        let mut has_minutes = false;
        if let (Some(Tok::Punct(':' | '.' | 'h')), Some(Tok::Num(m, 2))) =
            (self.peek(0), self.peek(1).cloned())
        {
            if m < 60 {
                minute = m;
                has_minutes = true;
                self.at += 2;
                // Seconds, if printed.
                if let (Some(Tok::Punct(':')), Some(Tok::Num(_, 2))) = (self.peek(0), self.peek(1))
                {
                    self.at += 2;
                }
            }
        }
        let meridiem = self.meridiem();
        if !has_minutes && meridiem.is_none() {
            self.at = start;
            return false;
        }
        let hour = match meridiem {
            Some(pm) if hour <= 12 => (hour % 12) + if pm { 12 } else { 0 },
            Some(_) => {
                self.at = start;
                return false;
            }
            None => hour % 24,
        };
        self.stamp.time = Some((hour, minute));
        true
    }

    /// "am", "pm", "a.m.", "p.m."; `Some(true)` for afternoon.
    fn meridiem(&mut self) -> Option<bool> {
        match self.word(0) {
            Some("am") | Some("pm") => {
                let pm = self.word(0) == Some("pm");
                self.at += 1;
                Some(pm)
            }
            Some("a") | Some("p")
                if self.peek(1) == Some(&Tok::Punct('.')) && self.word(2) == Some("m") =>
            {
                let pm = self.word(0) == Some("p");
                self.at += 3;
                if self.peek(0) == Some(&Tok::Punct('.')) {
                    self.at += 1;
                }
                Some(pm)
            }
            _ => None,
        }
    }

    /// A time-zone name ("GMT", "ET", "CEST") or offset ("+01:00").
    fn zone(&mut self) -> bool {
        match self.peek(0) {
            Some(Tok::Word(w)) if (1..=5).contains(&w.len()) && Zone::named(w).is_some() => {
                let mut zone = Zone::named(w).unwrap_or(Zone::Fixed(0));
                self.at += 1;
                // "GMT+1", "UTC+05:30"
                if let Some(Tok::Punct(sign @ ('+' | '-'))) = self.peek(0) {
                    let sign = if *sign == '-' { -1 } else { 1 };
                    if let Some(&Tok::Num(hours, _)) = self.peek(1) {
                        self.at += 2;
                        let mut minutes = 0;
                        if let (Some(Tok::Punct(':')), Some(&Tok::Num(m, _))) =
                            (self.peek(0), self.peek(1))
                        {
                            self.at += 2;
                            minutes = m;
                        }
                        let shift = (hours.min(14) * 60 + minutes.min(59)) as i32;
                        zone = zone.shifted(sign * shift);
                    }
                }
                self.stamp.zone = Some(zone);
                true
            }
            Some(Tok::Punct('(')) | Some(Tok::Punct(')')) => {
                self.at += 1;
                true
            }
            _ => false,
        }
    }
}

/// `2024-11-02`, `2024-11-02T10:32`, `2024-11-02 10:32:05Z`, `…+01:00`.
fn parse_iso(text: &str) -> Option<Stamp> {
    let (day, minutes, rest) = parse_iso_prefix(text)?;
    let rest = rest.trim();
    let zone = if rest.is_empty() {
        None
    } else if ["z", "utc", "gmt"]
        .iter()
        .any(|z| rest.eq_ignore_ascii_case(z))
    {
        Some(Zone::Fixed(0))
    } else {
        Some(Zone::Fixed(parse_offset(rest)?))
    };
    Some(Stamp {
        date: Some(day),
        time: minutes.map(|m| (m / 60, m % 60)),
        zone: zone.filter(|_| minutes.is_some()),
        ..Stamp::default()
    })
}

/// The ISO date (and optional time of day, in minutes) at the start of
/// `text`, and what follows it.
pub fn parse_iso_prefix(text: &str) -> Option<(Day, Option<u32>, &str)> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let slice = b.get(range)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        slice
            .iter()
            .try_fold(0u32, |acc, d| Some(acc * 10 + u32::from(d - b'0')))
    };
    let year = digits(0..4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = digits(5..7)?;
    let day = digits(8..10)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let date = Day {
        year: Some(year as i32),
        month,
        day,
    };
    let mut rest = &text[10..];
    let mut minutes = None;
    if matches!(b.get(10), Some(b'T' | b't' | b' ')) && b.get(13) == Some(&b':') {
        if let (Some(h), Some(m)) = (digits(11..13), digits(14..16)) {
            if h < 24 && m < 60 {
                minutes = Some(h * 60 + m);
                let mut end = 16;
                // Seconds and fractions are read past and ignored.
                if b.get(16) == Some(&b':') && digits(17..19).is_some() {
                    end = 19;
                    if b.get(19) == Some(&b'.') {
                        end = 20;
                        while b.get(end).is_some_and(u8::is_ascii_digit) {
                            end += 1;
                        }
                    }
                }
                rest = &text[end..];
            }
        }
    }
    Some((date, minutes, rest))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number from [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

/// `YYYY-MM-DDTHH:MM` for minutes since 1970.
pub fn format_minutes(minutes: i64) -> String {
    let (y, m, d) = civil_from_days(minutes.div_euclid(1440));
    let of_day = minutes.rem_euclid(1440);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}", of_day / 60, of_day % 60)
}

/// `YYYY-MM-DD` for a day number.
pub fn format_day(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parsed = (Option<String>, Option<Day>, Option<(u32, u32)>, Option<i64>);

    fn when(line: &str) -> Parsed {
        let s = parse(line).unwrap_or_else(|| panic!("not a stamp: {line}"));
        (s.author, s.date, s.time, s.ago_minutes)
    }

    fn day(year: i32, month: u32, d: u32) -> Option<Day> {
        Some(Day {
            year: Some(year),
            month,
            day: d,
        })
    }

    #[test]
    fn name_run_into_date() {
        let got = when("Andy Gregory1 November 2024 20:00");
        assert_eq!(got.0.as_deref(), Some("Andy Gregory"));
        assert_eq!(got.1, day(2024, 11, 1));
        assert_eq!(got.2, Some((20, 0)));
    }

    #[test]
    fn author_before_at_or_on() {
        let got = when("Posted by Jane Doe at 10:32");
        assert_eq!(
            (got.0.as_deref(), got.2),
            (Some("Jane Doe"), Some((10, 32)))
        );
        let got = when("By Jane Doe on 1 November 2024, 16:53");
        assert_eq!(
            (got.0.as_deref(), got.1),
            (Some("Jane Doe"), day(2024, 11, 1))
        );
        // A sentence is no name, "at" or not.
        assert!(parse("Police arrived at 10:32").is_none());
    }

    #[test]
    fn time_then_author() {
        let stamp = parse("11.44am BST, Jon Quinn").unwrap();
        assert_eq!(stamp.time, Some((11, 44)));
        assert_eq!(stamp.author.as_deref(), Some("Jon Quinn"));
        assert_eq!(stamp.zone, Some(Zone::Fixed(60)));
        assert_eq!(
            parse("16:53 · Ana Ruiz").unwrap().author.as_deref(),
            Some("Ana Ruiz")
        );
        // A sentence that happens to start with a time is no stamp.
        assert!(parse("11.44am BST, the minister said he would resign").is_none());
    }

    #[test]
    fn times_that_open_a_line() {
        let time = |line: &str| parse_leading(line).and_then(|(s, _)| s.time);
        assert_eq!(time("15:26 | Ministers meet at noon"), Some((15, 26)));
        assert_eq!(
            time("21:32 Nasa scientists have worked for years"),
            Some((21, 32))
        );
        let (iso, _) =
            parse_leading("2020-06-12T21:43:00+02:00: Only 420 arrivals returned").unwrap();
        assert_eq!(
            (iso.time, iso.zone),
            (Some((21, 43)), Some(Zone::Fixed(120)))
        );
        // Agenda items, lower-case runs and prose keep their time to themselves.
        assert_eq!(time("9.30am: Michelle Donelan gives evidence"), None);
        assert_eq!(time("12:00 noon is when it starts"), None);
        assert_eq!(time("The vote at 21:32 was close"), None);
        assert_eq!(time("21:32 Nasa"), None);
        // Read as a short timed headline only where the page says so.
        let short =
            |line: &'static str| parse_short_leading(line).map(|(s, at)| (s.time, &line[at..]));
        assert_eq!(
            short("00:55 Afternoon summary"),
            Some((Some((0, 55)), "Afternoon summary"))
        );
        assert_eq!(short("16:08 Summary").map(|(t, _)| t), Some(Some((16, 8))));
        assert_eq!(short("16:08 summary"), None);
        assert_eq!(short("9.30am Lunch"), None);
        assert_eq!(short("21:32 Nasa scientists worked"), None);
        // With a colon after the time, a one-word headline follows it.
        assert_eq!(time("22:02: Summary"), Some((22, 2)));
        assert_eq!(time("22:02: summary"), None);
        // An ISO timestamp reads like nothing else: one word may follow it.
        assert_eq!(time("2020-06-03T20:47:00+01:00 Summary"), Some((20, 47)));
        assert_eq!(time("2020-06-03T20:47:00+01:00"), None);
        // The text after the stamp and its separator.
        let shown = |line: &'static str| parse_leading(line).map(|(_, at)| &line[at..]);
        assert_eq!(
            shown("15:26 | Ministers meet at noon"),
            Some("Ministers meet at noon")
        );
        assert_eq!(
            shown("2024-11-01T20:00Z – Polls close now"),
            Some("Polls close now")
        );
        assert_eq!(
            shown("11:04: Sunak says he will stay"),
            Some("Sunak says he will stay")
        );
    }

    #[test]
    fn clock_times_with_meridiem_and_zone() {
        assert_eq!(when("10.32am GMT").2, Some((10, 32)));
        assert_eq!(when("3.05pm BST").2, Some((15, 5)));
        assert_eq!(when("12.15am").2, Some((0, 15)));
        assert_eq!(when("Nov. 2, 2024, 10:32 a.m. ET").2, Some((10, 32)));
        assert_eq!(when("Sat 2 Nov 2024 10.32 GMT").1, day(2024, 11, 2));
    }

    #[test]
    fn relative_and_iso_and_updated() {
        assert_eq!(when("2h ago").3, Some(120));
        assert_eq!(when("35 minutes ago").3, Some(35));
        assert_eq!(when("an hour ago").3, Some(60));
        let iso = when("2024-11-02T10:32:00Z");
        assert_eq!((iso.1, iso.2), (day(2024, 11, 2), Some((10, 32))));
        let updated = parse("Updated at 10.45am GMT").unwrap();
        assert!(updated.updated);
        assert_eq!(updated.time, Some((10, 45)));
        assert_eq!(when("Jane Doe, 2h ago").0.as_deref(), Some("Jane Doe"));
        assert_eq!(when("By Jane Doe").0.as_deref(), Some("Jane Doe"));
    }

    #[test]
    fn sentences_and_headlines_are_not_stamps() {
        for line in [
            "Russia targets Kyiv in hours-long drone attack",
            "The attack began at 10.32am GMT on Saturday.",
            "2024 was a hard year",
            "Kyiv's military said on Friday that Moscow's forces had launched more than 2,000 drones.",
            "In pictures: Kyiv reels from drone strike",
            "10 things we learned",
            "By the numbers: the war in 2024",
        ] {
            assert_eq!(parse(line), None, "{line}");
        }
    }

    #[test]
    fn calendar_round_trips() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(
            format_minutes(days_from_civil(2024, 11, 1) * 1440 + 20 * 60),
            "2024-11-01T20:00"
        );
    }
}
