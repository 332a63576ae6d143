//! The HTML that the engine's renderers and the `thresh` library's reports
//! write: escaping text, and word-level diffs between two texts marked up
//! with `<del>` and `<ins>`.
//!
//! Pure string work, no I/O. The diff is deterministic: the same two texts
//! give the same markup. No time limit cuts a diff short (that would make
//! the markup depend on the machine); instead the part that differs is
//! compared word by word only up to [`MAX_DIFF_BYTES`] a side, and a longer
//! one is shown as removed and added whole, so a diff costs at most about
//! a fifth of a second on pages of any size.

use similar::{ChangeTag, TextDiff};

/// Escape text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// What a run of words is in a diff from an old text to a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordChange {
    /// In both texts.
    Same,
    /// Only in the old text.
    Removed,
    /// Only in the new text.
    Added,
}

/// The longest differing part of either text that is compared word by
/// word: the diff's cost grows with its length times the number of
/// changes, so without a bound one page of a megabyte would take minutes.
pub const MAX_DIFF_BYTES: usize = 20_000;

/// The word-level diff from `old` to `new` as runs of text, each with what
/// it is; runs of the same kind are merged, white space rides with the
/// words around it. Joining the `Same` and `Removed` runs gives `old`
/// back, joining `Same` and `Added` gives `new`.
pub fn word_diff(old: &str, new: &str) -> Vec<(WordChange, String)> {
    let (prefix, old_middle, new_middle, suffix) = split_common_words(old, new);
    let mut runs: Vec<(WordChange, String)> = Vec::new();
    push_run(&mut runs, WordChange::Same, prefix);
    if old_middle.len() > MAX_DIFF_BYTES || new_middle.len() > MAX_DIFF_BYTES {
        push_run(&mut runs, WordChange::Removed, old_middle);
        push_run(&mut runs, WordChange::Added, new_middle);
    } else {
        let diff = TextDiff::from_words(old_middle, new_middle);
        for change in diff.iter_all_changes() {
            let kind = match change.tag() {
                ChangeTag::Equal => WordChange::Same,
                ChangeTag::Delete => WordChange::Removed,
                ChangeTag::Insert => WordChange::Added,
            };
            push_run(&mut runs, kind, change.value());
        }
    }
    push_run(&mut runs, WordChange::Same, suffix);
    runs
}

/// Adds `text` to the runs, merged into the last run when of its kind.
fn push_run(runs: &mut Vec<(WordChange, String)>, kind: WordChange, text: &str) {
    if text.is_empty() {
        return;
    }
    match runs.last_mut() {
        Some((last, run)) if *last == kind => run.push_str(text),
        _ => runs.push((kind, text.to_string())),
    }
}

/// The texts' longest common start and end that break at white space,
/// and the parts of each between them: (start, old middle, new middle,
/// end). Found in linear time, so only the middles need the diff.
fn split_common_words<'a>(old: &'a str, new: &'a str) -> (&'a str, &'a str, &'a str, &'a str) {
    let is_break = |text: &str, at: usize| {
        at == 0 || at == text.len() || text[at..].starts_with(char::is_whitespace)
    };
    let mut start = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((at, _), _)| at);
    while !(is_break(old, start) && is_break(new, start)) {
        start = old[..start]
            .char_indices()
            .next_back()
            .map_or(0, |(at, _)| at);
    }
    let (old_rest, new_rest) = (&old[start..], &new[start..]);
    let mut common_end = old_rest
        .chars()
        .rev()
        .zip(new_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    // The end starts at white space in both (or is the whole rest).
    while common_end > 0 {
        let old_at = old_rest.len() - common_end;
        let new_at = new_rest.len() - common_end;
        let starts_clean =
            |text: &str, at: usize| at == 0 || text[at..].starts_with(char::is_whitespace);
        if starts_clean(old_rest, old_at) && starts_clean(new_rest, new_at) {
            break;
        }
        let first = old_rest[old_at..].chars().next().map_or(0, char::len_utf8);
        common_end -= first;
    }
    let old_end = old_rest.len() - common_end;
    let new_end = new_rest.len() - common_end;
    (
        &old[..start],
        &old_rest[..old_end],
        &new_rest[..new_end],
        &old_rest[old_end..],
    )
}

/// The diff from `old` to `new` as HTML: words only in `old` in `<del>`,
/// words only in `new` in `<ins>`, the rest as text; everything escaped.
pub fn word_diff_html(old: &str, new: &str) -> String {
    let mut out = String::new();
    for (kind, text) in word_diff(old, new) {
        let text = escape(&text);
        match kind {
            WordChange::Same => out.push_str(&text),
            WordChange::Removed => wrap(&mut out, "del", &text),
            WordChange::Added => wrap(&mut out, "ins", &text),
        }
    }
    out
}

/// The diff from `old` to `new` as two HTML columns: `old` with the words
/// only it has in `<del>`, and `new` with the words only it has in `<ins>`.
pub fn side_by_side_html(old: &str, new: &str) -> (String, String) {
    let mut left = String::new();
    let mut right = String::new();
    for (kind, text) in word_diff(old, new) {
        let text = escape(&text);
        match kind {
            WordChange::Same => {
                left.push_str(&text);
                right.push_str(&text);
            }
            WordChange::Removed => wrap(&mut left, "del", &text),
            WordChange::Added => wrap(&mut right, "ins", &text),
        }
    }
    (left, right)
}

fn wrap(out: &mut String, tag: &str, text: &str) {
    out.push('<');
    out.push_str(tag);
    out.push('>');
    out.push_str(text);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_word_is_deleted_and_inserted() {
        let html = word_diff_html(
            "The mayor resigned on Monday.",
            "The mayor resigned on Tuesday.",
        );
        assert!(html.contains("<del>Monday.</del>"), "{html}");
        assert!(html.contains("<ins>Tuesday.</ins>"), "{html}");
        assert!(html.starts_with("The mayor resigned on "), "{html}");
    }

    #[test]
    fn the_runs_give_back_both_texts() {
        let old = "Rain fell in the north.\nRoads were closed & trains <late>.";
        let new = "Rain fell across the north.\nRoads were closed.\nSchools stay open.";
        let runs = word_diff(old, new);
        let side = |keep: WordChange| -> String {
            runs.iter()
                .filter(|(kind, _)| *kind == WordChange::Same || *kind == keep)
                .map(|(_, text)| text.as_str())
                .collect()
        };
        assert_eq!(side(WordChange::Removed), old);
        assert_eq!(side(WordChange::Added), new);
        assert!(runs.windows(2).all(|w| w[0].0 != w[1].0), "runs are merged");
    }

    #[test]
    fn markup_in_the_texts_is_escaped() {
        let html = word_diff_html("a <b> c", "a <i> c");
        assert!(html.contains("<del>&lt;b&gt;</del>"), "{html}");
        assert!(html.contains("<ins>&lt;i&gt;</ins>"), "{html}");
        assert_eq!(escape("\"x\" & 'y'"), "&quot;x&quot; &amp; &#39;y&#39;");
    }

    #[test]
    fn side_by_side_marks_each_column_with_its_own_words() {
        let (left, right) =
            side_by_side_html("Ten were hurt in Leeds.", "Twelve were hurt in Leeds.");
        assert_eq!(left, "<del>Ten</del> were hurt in Leeds.");
        assert_eq!(right, "<ins>Twelve</ins> were hurt in Leeds.");
    }

    #[test]
    fn a_huge_change_is_shown_whole_and_quickly() {
        let old = format!("Top line.\n{}\nLast line.", "alpha beta ".repeat(50_000));
        let new = format!("Top line.\n{}\nLast line.", "gamma delta ".repeat(50_000));
        let runs = word_diff(&old, &new);
        let kinds: Vec<WordChange> = runs.iter().map(|(kind, _)| *kind).collect();
        use WordChange::*;
        assert_eq!(kinds, [Same, Removed, Added, Same]);
        assert_eq!(runs[0].1, "Top line.");
        assert!(runs[3].1.ends_with("\nLast line."), "{:?}", runs[3].1);
    }

    #[test]
    fn common_ends_break_between_words() {
        // "cat" and "car" share "ca", and "sat" and "mat" share "at": the
        // diff still replaces whole words.
        let html = word_diff_html("the cat sat", "the car sat");
        assert_eq!(html, "the <del>cat</del><ins>car</ins> sat");
        let html = word_diff_html("a sat", "a mat");
        assert_eq!(html, "a <del>sat</del><ins>mat</ins>");
        let (left, right) = side_by_side_html("über alles", "über allem");
        assert_eq!(
            (left.as_str(), right.as_str()),
            ("über <del>alles</del>", "über <ins>allem</ins>")
        );
    }

    #[test]
    fn equal_texts_have_no_changes() {
        assert_eq!(word_diff_html("same words", "same words"), "same words");
        assert!(word_diff("", "").is_empty());
    }
}
