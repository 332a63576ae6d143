//! `thresh-gen`: a seeded generator of news-like JSONL corpora with known
//! near-duplicate clusters.
//!
//! Originals are articles of 5–30 paragraphs of 1–4 sentences, with words
//! drawn from a Zipfian vocabulary (real English function words at the top
//! ranks, then made-up words) mixed with a per-story topic vocabulary, so
//! that common word n-grams ("of the", "said on") collide across unrelated
//! documents as in real text. A fraction `--dup-fraction` of the documents
//! are copies of an earlier story, made by one of these edits:
//!
//! - exact: the same text again (another URL or a later crawl);
//! - recrawl: a growing page (live blog) crawled again, new paragraphs
//!   appended or prepended to its latest version, a word or two fixed;
//! - revised: paragraphs inserted or deleted and words changed;
//! - syndicated: a wire story republished with the site's boilerplate
//!   (header, footer), sometimes a changed headline, straight quotes;
//! - restyled: curly quotes made straight (or back), white space changed;
//! - truncated: the first part of the story only (a paywall or teaser).
//!
//! Every copy belongs to the cluster of its original story. The truth file
//! has one line per cluster of two or more documents:
//! `{"cluster": k, "members": [ids]}`. Output is streamed and depends on
//! the seed and options alone.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use serde::Serialize;
use thresh_gen::rng::{Rng, Zipf};

#[derive(Parser, Debug)]
#[command(
    name = "thresh-gen",
    version,
    about = "Write a seeded news-like JSONL corpus with known near-duplicate clusters"
)]
struct Args {
    /// Number of documents to write.
    #[arg(long, default_value_t = 10_000)]
    docs: usize,
    /// Seed: the same seed and options give the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Fraction of documents that are copies (exact or near) of an earlier story.
    #[arg(long, default_value_t = 0.3)]
    dup_fraction: f64,
    /// Corpus path (JSONL); `-` for standard output.
    #[arg(long, default_value = "-")]
    out: String,
    /// Truth path: one line per cluster of two or more documents.
    #[arg(long)]
    truth: Option<PathBuf>,
    /// Paragraphs an original story has at most (5 to 30 by default):
    /// shorter documents for corpora of a hundred million.
    #[arg(long, default_value_t = 30)]
    max_paragraphs: usize,
    /// Sentences a paragraph has at most (1 to 3 by default).
    #[arg(long, default_value_t = 3)]
    max_sentences: usize,
}

const FUNCTION_WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "was",
    "for",
    "on",
    "it",
    "with",
    "said",
    "he",
    "as",
    "at",
    "by",
    "his",
    "from",
    "be",
    "have",
    "has",
    "but",
    "are",
    "an",
    "they",
    "not",
    "this",
    "had",
    "were",
    "who",
    "which",
    "been",
    "their",
    "she",
    "its",
    "after",
    "would",
    "will",
    "or",
    "we",
    "more",
    "than",
    "about",
    "there",
    "also",
    "when",
    "one",
    "new",
    "her",
    "two",
    "year",
    "people",
    "could",
    "last",
    "first",
    "over",
    "into",
    "up",
    "out",
    "government",
    "can",
    "all",
    "other",
    "our",
    "some",
    "no",
    "them",
    "what",
    "years",
    "if",
    "so",
    "told",
    "police",
    "time",
    "week",
    "officials",
    "million",
    "president",
    "minister",
    "city",
    "country",
    "before",
    "while",
    "state",
    "since",
    "three",
    "under",
    "between",
    "during",
    "against",
    "where",
    "those",
    "because",
    "percent",
    "company",
    "according",
    "report",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "news",
    "day",
    "may",
    "now",
    "just",
    "did",
    "say",
    "says",
];

const ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br",
    "cr", "dr", "fl", "gr", "pl", "pr", "st", "tr", "ch", "sh", "th", "sp", "bl", "cl",
];
const NUCLEI: &[&str] = &[
    "a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y", "ee", "oa",
];
const CODAS: &[&str] = &[
    "", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "rt", "ng", "ck", "x", "ss", "th",
];

const SECTIONS: &[&str] = &[
    "world",
    "politics",
    "business",
    "sport",
    "science",
    "health",
    "culture",
    "us",
    "europe",
    "asia",
    "africa",
    "technology",
    "opinion",
    "local",
];

/// Vocabulary size (ranks); the top ranks are the function words above.
const VOCAB: usize = 60_000;
/// Words drawn from a story's own topic vocabulary, per content word.
const TOPIC_SHARE: f64 = 0.3;
const TOPIC_VOCAB: usize = 3_000;
const TOPICS: usize = 2_000;
/// Stories that copies may be taken from: a window of recent originals.
const POOL: usize = 4_096;

struct Lexicon {
    words: Vec<String>,
    global: Zipf,
    topic: Zipf,
    sites: Vec<Site>,
}

struct Site {
    host: String,
    header: Vec<String>,
    footer: Vec<String>,
}

fn make_word(rng: &mut Rng, syllables: usize) -> String {
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(rng.pick(ONSETS));
        w.push_str(rng.pick(NUCLEI));
        w.push_str(rng.pick(CODAS));
    }
    w
}

impl Lexicon {
    /// The vocabulary and sites are fixed (seeded by a constant), so corpora
    /// made with different seeds share a language, as real crawls do.
    fn new() -> Self {
        let mut rng = Rng::new(0x7468_7265_7368_0001);
        let mut seen = std::collections::HashSet::new();
        let mut words: Vec<String> = Vec::with_capacity(VOCAB);
        for w in FUNCTION_WORDS {
            seen.insert(w.to_string());
            words.push(w.to_string());
        }
        while words.len() < VOCAB {
            // Frequent words are short, rare words long (Zipf's law of abbreviation).
            let syl = match words.len() {
                0..=1999 => 1,
                2000..=9999 => 1 + rng.below(2),
                _ => 2 + rng.below(2),
            };
            let w = make_word(&mut rng, syl);
            if seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut sites = Vec::new();
        for _ in 0..40 {
            let name = make_word(&mut rng, 2);
            let tld = rng.pick(&["com", "co.uk", "net", "org", "com.au", "ca"]);
            let host = format!(
                "www.{name}{}.{tld}",
                rng.pick(&["news", "times", "post", "herald", "daily", "tribune", ""])
            );
            let cap = capitalize(&name);
            let header = vec![
                format!(
                    "{cap} News Service \u{2014} Updated {} hours ago",
                    1 + rng.below(12)
                ),
                "Share this article: Facebook Twitter Email Print".to_string(),
            ];
            let footer = vec![
                format!(
                    "Copyright {} {cap} Media Group. All rights reserved. This material may not be published, broadcast, rewritten or redistributed without permission."
                    , 2020 + rng.below(5)
                ),
                format!(
                    "Sign up for the {cap} morning briefing to get the day\u{2019}s top stories in your inbox. Read more: {host}/newsletters"
                ),
                "Reporting by staff writers; editing by the news desk.".to_string(),
            ];
            sites.push(Site {
                host,
                header,
                footer,
            });
        }
        Lexicon {
            words,
            global: Zipf::new(VOCAB, 1.0),
            topic: Zipf::new(TOPIC_VOCAB, 0.9),
            sites,
        }
    }
}

fn capitalize(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A story's topic: an affine map from topic ranks into the content ranks.
#[derive(Clone, Copy)]
struct Topic {
    mul: usize,
    add: usize,
}

impl Topic {
    fn new(id: usize) -> Self {
        let mut r = Rng::new(0xC0FF_EE00 ^ id as u64);
        Topic {
            mul: 1 + 2 * r.below(VOCAB / 2),
            add: r.below(VOCAB),
        }
    }
    fn word(&self, rank: usize) -> usize {
        let span = VOCAB - 300;
        300 + (rank * self.mul + self.add) % span
    }
}

struct Writer<'a> {
    lex: &'a Lexicon,
    rng: Rng,
    max_sentences: usize,
}

impl Writer<'_> {
    fn word_index(&mut self, topic: Topic) -> usize {
        if self.rng.chance(TOPIC_SHARE) {
            topic.word(self.lex.topic.sample(&mut self.rng))
        } else {
            self.lex.global.sample(&mut self.rng)
        }
    }

    fn push_word(&mut self, out: &mut String, topic: Topic, cap: bool, curly: bool) {
        let roll = self.rng.f64();
        if roll < 0.02 {
            let n = match self.rng.below(4) {
                0 => format!("{}", 1 + self.rng.below(99)),
                1 => format!("{}.{}", self.rng.below(20), self.rng.below(10)),
                2 => format!("{}", 1990 + self.rng.below(35)),
                _ => format!("{},{:03}", 1 + self.rng.below(999), self.rng.below(1000)),
            };
            out.push_str(&n);
            return;
        }
        let idx = self.word_index(topic);
        let w = &self.lex.words[idx];
        // Topic words are often names: capitalised.
        if cap || (idx >= 300 && roll < 0.12) {
            out.push_str(&capitalize(w));
        } else {
            out.push_str(w);
        }
        if roll > 0.985 {
            out.push_str(if curly { "\u{2019}s" } else { "'s" });
        }
    }

    fn sentence(&mut self, out: &mut String, topic: Topic, curly: bool) {
        let len = 6 + self.rng.below(10) + self.rng.below(12);
        let quoted = self.rng.chance(0.12);
        if quoted {
            out.push_str(if curly { "\u{201C}" } else { "\"" });
        }
        for i in 0..len {
            if i > 0 {
                if self.rng.chance(0.06) {
                    out.push(',');
                }
                out.push(' ');
            }
            self.push_word(out, topic, i == 0, curly);
        }
        if quoted {
            out.push_str(if curly { ",\u{201D} " } else { ",\" " });
            out.push_str(if self.rng.chance(0.5) {
                "said "
            } else {
                "according to "
            });
            let a = self.word_index(topic);
            let b = self.word_index(topic);
            out.push_str(&capitalize(&self.lex.words[a]));
            out.push(' ');
            out.push_str(&capitalize(&self.lex.words[b]));
            out.push('.');
        } else {
            out.push('.');
        }
    }

    fn paragraph(&mut self, topic: Topic, curly: bool) -> String {
        let mut p = String::with_capacity(256);
        let sentences = (1 + self.rng.below(2) + usize::from(self.rng.chance(0.3)))
            .min(self.max_sentences.max(1));
        for i in 0..sentences {
            if i > 0 {
                p.push(' ');
            }
            self.sentence(&mut p, topic, curly);
        }
        p
    }

    fn title(&mut self, topic: Topic) -> String {
        let len = 5 + self.rng.below(8);
        let mut t = String::new();
        for i in 0..len {
            if i > 0 {
                t.push(' ');
            }
            let idx = self.word_index(topic);
            let w = &self.lex.words[idx];
            if i == 0 || idx >= 100 {
                t.push_str(&capitalize(w));
            } else {
                t.push_str(w);
            }
        }
        t
    }

    fn story(&mut self, id: usize, day: i64, max_paragraphs: usize) -> Story {
        let topic_id = self.rng.below(TOPICS);
        let topic = Topic::new(topic_id);
        let curly = self.rng.chance(0.7);
        // 5..=30 paragraphs, most between 8 and 18.
        let u = self.rng.f64();
        let n = (5 + (25.0 * u.powf(1.6)) as usize).min(max_paragraphs.max(1));
        let paragraphs = (0..n).map(|_| self.paragraph(topic, curly)).collect();
        let title = self.title(topic);
        let site = self.rng.below(self.lex.sites.len());
        let section = self.rng.pick(SECTIONS);
        let slug: String = title
            .to_lowercase()
            .split(' ')
            .take(6)
            .collect::<Vec<_>>()
            .join("-");
        Story {
            topic,
            curly,
            day,
            title,
            paragraphs,
            site,
            path: format!("{section}/{}/{slug}-{id}", ymd(day).replace('-', "/")),
        }
    }
}

#[derive(Clone)]
struct Story {
    topic: Topic,
    curly: bool,
    day: i64,
    title: String,
    paragraphs: Vec<String>,
    site: usize,
    path: String,
}

struct PoolEntry {
    cluster: usize,
    original: Story,
    /// The latest crawl of a growing page.
    latest: Story,
}

#[derive(Serialize)]
struct DocOut<'a> {
    id: &'a str,
    url: &'a str,
    date: &'a str,
    title: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct ClusterOut<'a> {
    cluster: usize,
    members: &'a [String],
}

/// Days since 1970-01-01 to `YYYY-MM-DD` (Howard Hinnant's civil_from_days).
fn ymd(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{:02}-{:02}", if m <= 2 { y + 1 } else { y }, m, d)
}

fn swap_quotes(text: &str, to_curly: bool) -> String {
    if to_curly {
        // Straight to curly: alternate opening and closing double quotes.
        let mut out = String::with_capacity(text.len() + 16);
        let mut open = true;
        for c in text.chars() {
            match c {
                '"' => {
                    out.push(if open { '\u{201C}' } else { '\u{201D}' });
                    open = !open;
                }
                '\'' => out.push('\u{2019}'),
                c => out.push(c),
            }
        }
        out
    } else {
        text.chars()
            .map(|c| match c {
                '\u{201C}' | '\u{201D}' => '"',
                '\u{2018}' | '\u{2019}' => '\'',
                '\u{2014}' => '-',
                c => c,
            })
            .collect()
    }
}

#[derive(Clone, Copy, Debug)]
enum Edit {
    Exact,
    Recrawl,
    Revised,
    Syndicated,
    Restyled,
    Truncated,
}

fn choose_edit(rng: &mut Rng) -> Edit {
    let r = rng.below(100);
    match r {
        0..=11 => Edit::Exact,
        12..=33 => Edit::Recrawl,
        34..=58 => Edit::Revised,
        59..=82 => Edit::Syndicated,
        83..=91 => Edit::Restyled,
        _ => Edit::Truncated,
    }
}

impl Writer<'_> {
    /// Replace `k` words of the story by others (typo fixes, updated figures).
    fn change_words(&mut self, s: &mut Story, k: usize) {
        for _ in 0..k {
            let pi = self.rng.below(s.paragraphs.len());
            let p = &s.paragraphs[pi];
            let words: Vec<&str> = p.split(' ').collect();
            let wi = self.rng.below(words.len());
            let mut repl = String::new();
            self.push_word(&mut repl, s.topic, wi == 0, s.curly);
            let tail: String = words[wi]
                .chars()
                .filter(|c| c.is_ascii_punctuation())
                .collect();
            let mut out = String::with_capacity(p.len() + 8);
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                if i == wi {
                    out.push_str(&repl);
                    out.push_str(&tail);
                } else {
                    out.push_str(w);
                }
            }
            s.paragraphs[pi] = out;
        }
    }

    fn copy(&mut self, entry: &mut PoolEntry, day: i64) -> (Story, Option<usize>) {
        let edit = choose_edit(&mut self.rng);
        let mut site = None;
        let mut s = match edit {
            Edit::Recrawl => entry.latest.clone(),
            _ => entry.original.clone(),
        };
        match edit {
            Edit::Exact => {
                if self.rng.chance(0.5) {
                    site = Some(self.rng.below(self.lex.sites.len()));
                }
            }
            Edit::Recrawl => {
                let add = 1 + self.rng.below(3);
                let prepend = self.rng.chance(0.5);
                for _ in 0..add {
                    let p = self.paragraph(s.topic, s.curly);
                    if prepend {
                        s.paragraphs.insert(0, p);
                    } else {
                        s.paragraphs.push(p);
                    }
                }
                let k = self.rng.below(3);
                self.change_words(&mut s, k);
                if self.rng.chance(0.2) {
                    s.title = self.title(s.topic);
                }
                entry.latest = s.clone();
            }
            Edit::Revised => {
                let ops = 1 + self.rng.below(3);
                for _ in 0..ops {
                    match self.rng.below(3) {
                        0 if s.paragraphs.len() > 3 => {
                            let i = self.rng.below(s.paragraphs.len());
                            s.paragraphs.remove(i);
                        }
                        1 => {
                            let i = self.rng.below(s.paragraphs.len() + 1);
                            let p = self.paragraph(s.topic, s.curly);
                            s.paragraphs.insert(i, p);
                        }
                        _ => {
                            let k = 1 + self.rng.below(6);
                            self.change_words(&mut s, k);
                        }
                    }
                }
            }
            Edit::Syndicated => {
                let si = self.rng.below(self.lex.sites.len());
                site = Some(si);
                let host = &self.lex.sites[si];
                if self.rng.chance(0.5) {
                    for h in host.header.iter().rev() {
                        s.paragraphs.insert(0, h.clone());
                    }
                }
                let nf = 1 + self.rng.below(host.footer.len());
                for f in &host.footer[..nf] {
                    s.paragraphs.push(f.clone());
                }
                if self.rng.chance(0.3) {
                    s.title = format!(
                        "UPDATE {}-{}",
                        1 + self.rng.below(3),
                        s.title.to_uppercase()
                    );
                }
                if self.rng.chance(0.4) {
                    for p in &mut s.paragraphs {
                        *p = swap_quotes(p, false);
                    }
                }
                if self.rng.chance(0.3) {
                    let k = 1 + self.rng.below(4);
                    self.change_words(&mut s, k);
                }
            }
            Edit::Restyled => {
                for p in &mut s.paragraphs {
                    let q = swap_quotes(p, !s.curly);
                    *p = if self.rng.chance(0.3) {
                        q.replace(". ", ".  ")
                    } else {
                        q
                    };
                }
            }
            Edit::Truncated => {
                let n = s.paragraphs.len();
                let keep = (n * (70 + self.rng.below(25)) / 100).max(3).min(n);
                s.paragraphs.truncate(keep);
                s.paragraphs
                    .push("Subscribe to continue reading this article.".to_string());
            }
        }
        s.day = day.max(entry.original.day);
        (s, site)
    }
}

fn main() -> io::Result<()> {
    let args = Args::parse();
    if !(0.0..=1.0).contains(&args.dup_fraction) {
        eprintln!("thresh-gen: --dup-fraction must be between 0 and 1");
        std::process::exit(2);
    }
    let start = Instant::now();
    let lex = Lexicon::new();
    let mut w = Writer {
        lex: &lex,
        rng: Rng::new(args.seed),
        max_sentences: args.max_sentences,
    };
    let sink: Box<dyn Write> = if args.out == "-" {
        Box::new(io::stdout().lock())
    } else {
        Box::new(File::create(&args.out)?)
    };
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    let mut pool: Vec<PoolEntry> = Vec::with_capacity(POOL);
    // Members of each story's cluster, kept only for the truth file: at a
    // hundred million documents they would not fit in memory.
    let keep_truth = args.truth.is_some();
    let mut clusters: Vec<Vec<String>> = Vec::new();
    let mut stories = 0usize;
    let width = args.docs.saturating_sub(1).to_string().len().max(6);
    let first_day: i64 = 19_723; // 2024-01-01
    let span_days = 365.0;
    let (mut bytes, mut copies) = (0u64, 0usize);
    let mut text = String::new();
    let mut line = Vec::with_capacity(1 << 16);
    for i in 0..args.docs {
        let id = format!("d{i:0width$}");
        let day = first_day + (span_days * i as f64 / args.docs.max(1) as f64) as i64;
        let (story, site) = if !pool.is_empty() && w.rng.chance(args.dup_fraction) {
            let pi = w.rng.below(pool.len());
            let jitter = w.rng.below(4) as i64;
            let (s, site) = w.copy(&mut pool[pi], day + jitter);
            if keep_truth {
                clusters[pool[pi].cluster].push(id.clone());
            }
            copies += 1;
            (s, site)
        } else {
            let s = w.story(i, day, args.max_paragraphs);
            if keep_truth {
                clusters.push(vec![id.clone()]);
            }
            stories += 1;
            let entry = PoolEntry {
                cluster: stories - 1,
                original: s.clone(),
                latest: s.clone(),
            };
            if pool.len() < POOL {
                pool.push(entry);
            } else {
                let at = w.rng.below(POOL);
                pool[at] = entry;
            }
            (s, None)
        };
        text.clear();
        for (k, p) in story.paragraphs.iter().enumerate() {
            if k > 0 {
                text.push('\n');
            }
            text.push_str(p);
        }
        let host = &lex.sites[site.unwrap_or(story.site)].host;
        let url = format!("https://{host}/{}", story.path);
        let date = ymd(story.day);
        line.clear();
        serde_json::to_writer(
            &mut line,
            &DocOut {
                id: &id,
                url: &url,
                date: &date,
                title: &story.title,
                text: &text,
            },
        )?;
        line.push(b'\n');
        bytes += line.len() as u64;
        out.write_all(&line)?;
    }
    out.flush()?;
    let mut n_clusters = 0;
    if let Some(path) = &args.truth {
        let mut t = BufWriter::new(File::create(path)?);
        for members in clusters.iter().filter(|m| m.len() >= 2) {
            serde_json::to_writer(
                &mut t,
                &ClusterOut {
                    cluster: n_clusters,
                    members,
                },
            )?;
            t.write_all(b"\n")?;
            n_clusters += 1;
        }
        t.flush()?;
    }
    eprintln!(
        "thresh-gen: {} documents ({} copies, {} clusters of 2+), {:.1} MB in {:.1}s",
        args.docs,
        copies,
        n_clusters,
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(ymd(0), "1970-01-01");
        assert_eq!(ymd(19_723), "2024-01-01");
        assert_eq!(ymd(19_723 + 59), "2024-02-29");
    }

    #[test]
    fn quotes_swap_both_ways() {
        let s = "\u{201C}It\u{2019}s here,\u{201D} said Bo.";
        let straight = swap_quotes(s, false);
        assert_eq!(straight, "\"It's here,\" said Bo.");
        assert_eq!(swap_quotes(&straight, true), s);
    }
}
