//! Site furniture recognised from a line's content.
//!
//! Live-blog pages carry more than posts: appeals for donations, newsletter
//! sign-ups, comment-forum footers, "read more" links, advertising labels.
//! No list of particular sentences is kept here. A line is furniture when it
//! is short and makes a *call to the reader* — a call phrase (subscribe,
//! sign up, donate, comment, follow, read more …) together with the
//! publisher's or reader's voice ("our", "your", "us") or an imperative
//! opening — with anything inside quotation marks ignored, so a quoted
//! "join our fight" in a news paragraph stays news. An imperative naming a
//! reader service or a messaging platform ("Follow … on Telegram") is a
//! call too. Prompts to read on elsewhere ("You might also like", "Story
//! continues below"), notices of the comment section, pure labels
//! ("Photo", "Advertisement", "See also") and lines with no words at all
//! are furniture on their own.
//!
//! Two other kinds of furniture need context and live elsewhere: lines that
//! recur across many pages of one site (`group`), and headline-only repeats
//! of another post such as teaser cards (`segment`).

use super::lines::ends_closed;

/// What a line's content says about it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Signals {
    pub furniture: bool,
    /// An appeal for money or sign-ups (see `LineInfo::appeal`).
    pub appeal: bool,
    /// Publisher's or reader's voice outside quotes.
    pub voice: bool,
}

/// Calls that need the reader addressed (or an imperative) to count.
const CALLS: [&str; 35] = [
    "subscribe",
    "unsubscribe",
    "subscription",
    "sign up",
    "signup",
    "newsletter",
    "donate",
    "donation",
    "your support",
    "support us",
    "support our",
    "commenting",
    "comments",
    "leave a comment",
    "join the conversation",
    "join the discussion",
    "join our",
    "follow us",
    "follow our",
    "read more",
    "read the full",
    "read our",
    "continue reading",
    "click here",
    "tap here",
    "download",
    "up to date with",
    "informed with",
    "have your say",
    "contribution",
    "contribute",
    "get the app",
    "share this",
    "log in",
    "sign in",
];

/// Calls that are furniture on their own in a short line: prompts to go
/// on reading (related stories, the rest of the article after an ad),
/// advertising, and the comment section's notices.
const STRONG: [&str; 12] = [
    "continue reading",
    "read more",
    "click here",
    "advertisement",
    "sponsored content",
    "share this page",
    "you may also",
    "you might also",
    "continues below",
    "continues after",
    "comment section",
    "comments on this page",
];

/// Phrases that make a label of a line of a few words ("See also", "More
/// on this story"); in a sentence they are news ("declined to comment on
/// this story").
const LABEL_PHRASES: [&str; 3] = ["read also", "see also", "on this story"];

/// Most words in a line that [`LABEL_PHRASES`] make a label.
const MAX_LABEL_PHRASE_WORDS: usize = 5;

/// Openings of a sponsorship notice ("Sponsored by …", "Paid for by …");
/// on a short line without closing punctuation they are a label, in a
/// sentence news ("The scheme will be paid for by taxpayers.").
const SPONSOR_OPENINGS: [&str; 6] = [
    "sponsored by",
    "paid for by",
    "promoted by",
    "brand partnership",
    "paid content",
    "partner content",
];

/// Most words in a sponsorship notice.
const MAX_SPONSOR_WORDS: usize = 8;

/// Calls that ask for money or sign-ups; the appeal they head often runs on
/// for a few paragraphs in the publisher's voice.
const APPEALS: [&str; 8] = [
    "donat",
    "contribut",
    "your support",
    "support us",
    "support our",
    "subscri",
    "sign up",
    "newsletter",
];

/// Verbs that open a call to the reader.
const IMPERATIVES: [&str; 22] = [
    "read",
    "keep",
    "stay",
    "add",
    "make",
    "give",
    "sign",
    "subscribe",
    "join",
    "follow",
    "donate",
    "support",
    "click",
    "tap",
    "download",
    "share",
    "continue",
    "get",
    "listen",
    "register",
    "find",
    "log",
];

/// Words of reader services; with an imperative opening they make a call
/// ("Join thought-provoking conversations, follow other readers").
const SERVICES: [&str; 21] = [
    "whatsapp",
    "telegram",
    "instagram",
    "tiktok",
    "youtube",
    "conversation",
    "conversations",
    "readers",
    "replies",
    "forum",
    "community",
    "newsletter",
    "newsletters",
    "inbox",
    "alerts",
    "app",
    "podcast",
    "account",
    "comments",
    "commenting",
    "notifications",
];

/// Whole lines that are labels rather than text.
const LABELS: [&str; 13] = [
    "feedback",
    "photo",
    "photos",
    "video",
    "image",
    "advertisement",
    "ad",
    "graphic",
    "audio",
    "share",
    "comments",
    "menu",
    "loading",
];

/// Pronouns of the publisher and the reader.
const VOICE: [&str; 8] = ["we", "our", "us", "you", "your", "we're", "we've", "you're"];

/// Judge a line: `line` as printed, `normalized` its canonical form and
/// `words` the tokens of `normalized`.
pub fn signals(line: &str, normalized: &str, words: &[&str]) -> Signals {
    if words.is_empty() || is_junk(line) {
        return Signals {
            furniture: true,
            ..Signals::default()
        };
    }
    let unquoted = outside_quotes(normalized);
    let voice = has_voice(line, &unquoted);
    let short = words.len() <= 40;
    // A label may carry a count ("Comments (2,192)", "Photos 12").
    let counted = |w: &&str| {
        w.chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    };
    let label = words.iter().any(|w| LABELS.contains(w))
        && words.iter().all(|w| LABELS.contains(w) || counted(w));
    let strong = (words.len() <= 12 && STRONG.iter().any(|p| contains_phrase(&unquoted, p)))
        || (words.len() <= MAX_LABEL_PHRASE_WORDS
            && LABEL_PHRASES.iter().any(|p| contains_phrase(&unquoted, p)));
    let sponsor = words.len() <= MAX_SPONSOR_WORDS
        && !ends_closed(line)
        && SPONSOR_OPENINGS.iter().any(|p| unquoted.starts_with(p));
    let call = CALLS.iter().any(|p| contains_phrase(&unquoted, p));
    let imperative = IMPERATIVES.contains(&words[0]) || button_after_a_sentence(line, &unquoted);
    let service = words.len() <= 25 && imperative && words.iter().any(|w| SERVICES.contains(w));
    let furniture =
        label || strong || sponsor || service || (short && call && (voice || imperative));
    let appeal = furniture && APPEALS.iter().any(|p| unquoted.contains(p));
    Signals {
        furniture,
        appeal,
        voice,
    }
}

/// A line without closing punctuation whose last sentence opens with an
/// imperative, after a question or a sentence: a prompt and its button
/// printed on one line ("Already a member? Log in"). A paragraph of news
/// ends on its closing punctuation.
fn button_after_a_sentence(line: &str, unquoted: &str) -> bool {
    if ends_closed(line) {
        return false;
    }
    let Some(at) = unquoted.rfind(['?', '.', '!']) else {
        return false;
    };
    let last = unquoted[at + 1..].split_whitespace().next().unwrap_or("");
    IMPERATIVES.contains(&last)
}

/// Mostly control characters or replacement characters: binary junk.
fn is_junk(line: &str) -> bool {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in line.chars() {
        total += 1;
        if c == '\u{FFFD}' || (c.is_control() && c != '\t') {
            bad += 1;
        }
    }
    bad * 5 >= total.max(1)
}

/// Text with quoted passages removed ("…" after normalization; an opening
/// quote that never closes runs to the end of the line).
fn outside_quotes(normalized: &str) -> String {
    normalized
        .split('"')
        .step_by(2)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A publisher or reader pronoun outside quotes. "US" in capitals is the
/// country, so pronouns are checked against the printed case too.
fn has_voice(line: &str, unquoted: &str) -> bool {
    unquoted
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| VOICE.contains(w))
        .any(|w| w != "us" || !line.contains(" US") && !line.starts_with("US"))
}

/// `phrase` occurs in `text` starting at a word boundary.
fn contains_phrase(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase)
        .any(|(at, _)| at == 0 || !text[..at].ends_with(char::is_alphanumeric))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{tokens, Normalizer};

    fn judge(line: &str) -> Signals {
        let normalized = Normalizer::default().normalize(line);
        let words = tokens(&normalized);
        signals(line, &normalized, &words)
    }

    #[test]
    fn calls_to_the_reader_are_furniture() {
        for line in [
            "Sign up for our morning briefing",
            "Follow us on Instagram for more pictures",
            "Read more: our full coverage of the election",
            "Support our journalism today",
            "Have your say in the comments below",
            "Download the app to get alerts",
            "Join thought-provoking conversations, follow other readers and see their replies",
            "Advertisement",
            "Photo",
            "Continue reading the main story",
            "@@@ ### ***",
            // Calls to follow the publisher elsewhere or stay informed.
            "Get every update on your phone: download the Daily Post app",
            "Follow The Courier on Telegram",
            "Stay up to date with breaking stories from The Courier",
            "Make a one-off contribution",
            // Prompts to read on elsewhere, ad and comment notices.
            "You may also want to read",
            "See also",
            "More on this story",
            "Story continues below advertisement",
            "Ad feedback",
            "The comment section closes at midnight",
            // Labels with a count.
            "Comments (2,192)",
            "Photos 12",
            // A prompt and its button on one line.
            "Already signed up? Log in",
            // Sponsorship notices.
            "Sponsored by Halden Bank",
            "Paid for by Northfield Studio",
            "You can unsubscribe whenever you wish via the link at the foot of each email",
        ] {
            assert!(judge(line).furniture, "{line}");
        }
    }

    #[test]
    fn news_that_mentions_the_same_words_is_not() {
        for line in [
            "The US embassy in Moscow did not immediately comment.",
            "“Join our fight for freedom,” Zelensky told the crowd.",
            "Thousands of volunteers sign up to defend the capital",
            "Readers of the report will find more detail in annex two, officials said.",
            "US officials said they would follow the talks closely.",
            "Follow the money: how the war is paid for",
            "Join the queue at the border crossing, officials tell drivers",
            "Ministers will make a contribution of £2bn to the fund, the Treasury said.",
            "Keep calm and carry on: how Britain faced the Blitz",
            "Stay indoors, police tell residents as the storm arrives",
            "Police download data from the suspect's phone",
            "The minister declined to comment on this story.",
            "Follow the threads of the investigation",
            "Who pays? Follow the money through the council's accounts",
            "The scheme will be paid for by taxpayers.",
            "Sponsored by the mayor, the bill passed its first reading last night",
            "Is the bridge open? Sign language interpreters were on hand.",
        ] {
            assert!(!judge(line).furniture, "{line}");
        }
    }

    #[test]
    fn appeals_and_voice() {
        let appeal = judge("Donate to keep our reporting free");
        assert!(appeal.furniture && appeal.appeal);
        assert!(judge("We believe journalism should be free for all, paid for by readers.").voice);
        assert!(!judge("“We will win,” he said.").voice);
    }
}
