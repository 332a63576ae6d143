//! The page's own text, read once, as the judge of what extractors return.
//!
//! [`PageText`] is the page's visible text as a browser runs inline content
//! together: text nodes joined as they stand, white space collapsed, a
//! space wherever a line-breaking element begins or ends, ruby annotations
//! (`<rt>`, `<rp>`) and invisible characters left out; and the text of each
//! link.
//! Against it:
//! - [`PageText::mend`] takes spaces out that the page does not have.
//!   rs-trafilatura writes a space at each edge of some inline elements, so
//!   `(<a>Twitter</a>)` comes out as "( Twitter )", `<a>KI</a>-Systemen` as
//!   "KI -Systemen" and a ruby base as "日本の 東京 で": text the page never
//!   shows, which a snippet search, a shingle and a reader all take for
//!   different words. Only a space is ever removed, and only where the page
//!   holds the words on both sides run together.
//! - [`PageText::link_share`] says how much of a text is whole links: a
//!   menu, a tag list or a column of teasers rather than an article.
//! - [`PageText::as_often_as_shown`] drops copies of a line beyond the
//!   number of times the page shows it (extractors that gather text from
//!   nested elements repeat a page's only paragraph once per level).
//! - [`PageText::without_author_boxes`] drops lines the page shows only
//!   inside an author box (the writer's photo, name and biography that
//!   blogs and news sites put under a post), which both extractors keep
//!   when it stands inside the article's container.
//! - [`PageText::without_related_posts`] drops lines the page shows only
//!   inside a block of related posts (teasers of the site's other posts
//!   after the article: "You may also like"), which extractors keep when
//!   the block shares the article's container.
//! - [`PageText::without_link_lists`] drops lines that are only a list of
//!   the page's links (tags, breadcrumbs, share buttons) and their label,
//!   and links set in capitals (buttons, teaser headlines).
//!
//! Reading the page also cuts from it what the reader never sees as part
//! of the text: ruby readings, and hover cards (a person's card inside the
//! sentence that names them, hidden by CSS until the pointer rests on the
//! name).

use std::collections::{HashMap, HashSet};

use aho_corasick::AhoCorasick;
use dom_query::{Document, NodeRef};
use memchr::memmem;

/// Elements a browser starts a new line for (or that stand apart from the
/// text around them: form controls, media, line breaks). Every other
/// element, custom ones (`<hl-source>`) and unknown ones included, runs on
/// with the text around it, as browsers lay them out by default.
#[rustfmt::skip]
const BREAKING: &[&str] = &[
    "address", "article", "aside", "audio", "blockquote", "body", "br", "button", "canvas",
    "caption", "center", "dd", "details", "dialog", "dir", "div", "dl", "dt", "embed", "fieldset",
    "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hgroup", "hr", "html", "iframe", "input", "legend", "li", "main", "menu",
    "nav", "noframes", "object", "ol", "optgroup", "option", "p", "pre", "section", "select",
    "summary", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "title", "tr", "ul",
    "video",
];

/// Elements whose text is never part of the page's visible text.
const UNSEEN: &[&str] = &["head", "script", "style", "noscript", "template"];

/// Ruby annotations: the reading printed above the base text (`<rt>`) and
/// the brackets shown by browsers without ruby support (`<rp>`). They are
/// not part of the sentence, and text extraction interleaves them with it.
const ANNOTATIONS: &[&str] = &["rt", "rp"];

/// Parts of a class or id that name text shown only while the pointer
/// rests on something: `rollover-people-block`, `hovercard`, `tooltip`,
/// `popover`.
const HOVER_NAMES: &[&str] = &["rollover", "hovercard", "hover-card", "tooltip", "popover"];

/// Whether `node` (class and id `names`) is a hover card: named as one
/// ([`HOVER_NAMES`]), inside a wrapper also named as one, after the
/// wrapper's trigger (a link, a word). Sites put a person's card (photo,
/// name, latest headlines) inside the sentence that names them, and only
/// CSS keeps it out of the sentence: extractors run it into the text
/// ("Rep. Ilhan OmarIlhan OmarHillicon Valley: …"). The wrapper and its
/// trigger stay.
fn is_hover_card(node: &NodeRef, names: &str) -> bool {
    let named = |names: &str| HOVER_NAMES.iter().any(|part| names.contains(part));
    if !named(names) {
        return false;
    }
    let in_wrapper = node
        .parent()
        .and_then(|parent| class_and_id(&parent))
        .is_some_and(|names| named(&names));
    in_wrapper
        && std::iter::successors(node.prev_sibling(), NodeRef::prev_sibling)
            .any(|sibling| sibling.is_element() || !sibling.text().trim().is_empty())
}

/// Characters that take no room on the page but split words for every
/// later step: the soft hyphen (a line-break hint), the zero-width space,
/// the word joiner and the zero-width no-break space (a stray BOM).
/// Zero-width (non-)joiners stay: they change how Persian, Indic scripts and
/// emoji are drawn.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// How far past the last matched word a word that did not follow it is
/// looked for before the rest of the line is left as it is.
const RESYNC_WINDOW: usize = 4096;

/// The page's visible text in one line and the text of its links (see the
/// module's documentation).
pub(crate) struct PageText {
    text: String,
    links: HashSet<String>,
    /// Byte ranges of `text` inside author boxes ([`is_author_box`]).
    author_boxes: Vec<(usize, usize)>,
    /// Byte ranges of `text` inside blocks of related posts
    /// ([`is_related_posts`]).
    related_posts: Vec<(usize, usize)>,
    /// Whether hover cards ([`is_hover_card`]) were cut from the page.
    pub(crate) cut_hover_cards: bool,
}

/// Parts of a class or id that, next to "author", name the box with the
/// writer's biography rather than a byline: `author-bio`, `post-author`
/// (a box under the post), `about-author`, `author-box`, `authorInfo`.
#[rustfmt::skip]
const AUTHOR_BOX_PARTS: &[&str] = &[
    "bio", "box", "about", "profile", "info", "card", "desc", "detail", "post-author",
];

/// An element's class and id, lower-cased, one after the other; `None`
/// without either. Read once per element for the checks below, which run
/// on every element of every page. Class names are the markup's own
/// words, in English on sites in any language.
fn class_and_id(node: &NodeRef) -> Option<String> {
    let class = node.attr("class");
    let id = node.attr("id");
    if class.is_none() && id.is_none() {
        return None;
    }
    let len = class.as_ref().map_or(0, |c| c.len()) + id.as_ref().map_or(0, |i| i.len());
    let mut names = String::with_capacity(len + 2);
    for value in [class, id].into_iter().flatten() {
        names.extend(value.chars().map(|c| c.to_ascii_lowercase()));
        names.push(' ');
    }
    Some(names)
}

/// Whether an element's class and id ([`class_and_id`]) name an author
/// box: a word of them holds "author" and one of [`AUTHOR_BOX_PARTS`], or
/// is a biography (`bio`, `author-bio`, `user_bio`).
fn is_author_box(names: &str) -> bool {
    names.split_whitespace().any(|word| {
        let bio = word
            .split(['-', '_'])
            .any(|part| part == "bio" || part == "biography");
        bio || (word.contains("author") && AUTHOR_BOX_PARTS.iter().any(|part| word.contains(part)))
    })
}

/// Whether an element (`name`, with class and id `names`) holds a block
/// of related posts: its class or id names them (`related-posts`,
/// `jp-relatedposts`, `yarpp-related`). Never the whole page
/// (`<body class="has-related">`).
fn is_related_posts(names: &str, name: &str) -> bool {
    !matches!(name, "html" | "body" | "main") && names.contains("related")
}

/// A heading whose class or id names related posts
/// (`relatedpoststitle`, over the teasers): it and what follows it in its
/// parent are the block.
fn is_related_posts_heading(names: &str, name: &str) -> bool {
    matches!(name, "h2" | "h3" | "h4" | "h5" | "h6") && names.contains("related")
}

/// Where the page's text shows each of some lines: their start offsets.
type LinePlaces<'a> = HashMap<&'a str, Vec<usize>>;

/// The lines of `places` that the page shows only inside the byte ranges
/// `boxes` of its text.
fn lines_only_in<'a>(boxes: &[(usize, usize)], places: &LinePlaces<'a>) -> HashSet<&'a str> {
    if boxes.is_empty() {
        return HashSet::new();
    }
    let in_a_box = |start: usize, len: usize| {
        boxes
            .iter()
            .any(|&(from, to)| from <= start && start + len <= to)
    };
    places
        .iter()
        .filter(|(line, starts)| {
            !starts.is_empty() && starts.iter().all(|&at| in_a_box(at, line.len()))
        })
        .map(|(line, _)| *line)
        .collect()
}

/// `text` without its lines in `gone`.
fn without_lines(text: &str, gone: &HashSet<&str>) -> String {
    text.lines()
        .filter(|line| !gone.contains(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Fewest links a line must list to be taken for a list of links rather
/// than, say, a pair of names.
const MIN_LINK_LIST_ITEMS: usize = 3;

/// A short label: at most two words, not ending a sentence.
fn is_label(line: &str) -> bool {
    line.split_whitespace().count() <= 2 && !line.ends_with(['.', '!', '?'])
}

/// A line of at least two words whose letters are all capitals. Article
/// text is not set in capitals; a link that is, standing as its own
/// line, is a button ("SEE FULL GALLERY", "CLICK HERE TO GET THE APP") or
/// the headline of a teaser for another story. Words are runs of two or
/// more letters, so a ticker or an abbreviation ("S&P 500") is no such
/// line.
fn is_in_capitals(line: &str) -> bool {
    let words = line
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| word.chars().nth(1).is_some());
    let mut count = 0;
    for word in words {
        if !word.chars().all(char::is_uppercase) {
            return false;
        }
        count += 1;
    }
    count >= 2 && !line.chars().any(char::is_lowercase)
}

/// Author boxes may take at most this share of an extracted text: more is
/// an article about its author, or a page that calls its body a profile.
const MAX_AUTHOR_BOX_SHARE: f64 = 0.4;

impl PageText {
    /// Reads `page`'s text and removes its ruby annotations and hover
    /// cards from it, so that what is extracted from `page` afterwards has
    /// none either.
    pub(crate) fn take(page: &Document) -> PageText {
        let mut text = PageText {
            text: String::new(),
            links: HashSet::new(),
            author_boxes: Vec::new(),
            related_posts: Vec::new(),
            cut_hover_cards: false,
        };
        for hidden in text.walk(page.root()) {
            hidden.remove_from_parent();
        }
        text
    }

    /// Appends the text under `root`; returns the elements seen that are
    /// not part of the text (ruby annotations, hover cards).
    fn walk<'a>(&mut self, root: NodeRef<'a>) -> Vec<NodeRef<'a>> {
        enum Step<'a> {
            Enter(NodeRef<'a>),
            Boundary,
            /// The end of a link whose text began at this offset.
            LinkEnd(usize),
            /// The end of an author box whose text began at this offset.
            AuthorBoxEnd(usize),
            /// The end of a block of related posts whose text began at this
            /// offset.
            RelatedPostsEnd(usize),
        }
        let mut hidden = Vec::new();
        let mut steps = vec![Step::Enter(root)];
        while let Some(step) = steps.pop() {
            let node = match step {
                Step::Boundary => {
                    self.push_space();
                    continue;
                }
                Step::AuthorBoxEnd(start) => {
                    self.author_boxes.push((start, self.text.len()));
                    continue;
                }
                Step::RelatedPostsEnd(start) => {
                    self.related_posts.push((start, self.text.len()));
                    continue;
                }
                Step::LinkEnd(start) => {
                    let link = self.text[start..].trim();
                    if !link.is_empty() {
                        self.links.insert(link.to_string());
                    }
                    continue;
                }
                Step::Enter(node) => node,
            };
            if node.is_text() {
                self.push_str(&node.text());
                continue;
            }
            let inline = match node.qual_name_ref() {
                Some(name) => {
                    let name: &str = &name.local;
                    if ANNOTATIONS.contains(&name) {
                        hidden.push(node);
                        continue;
                    }
                    if UNSEEN.contains(&name) {
                        continue;
                    }
                    if name == "a" {
                        steps.push(Step::LinkEnd(self.text.len()));
                    } else if let Some(names) = class_and_id(&node) {
                        if is_hover_card(&node, &names) {
                            self.cut_hover_cards = true;
                            hidden.push(node);
                            continue;
                        } else if is_author_box(&names) {
                            steps.push(Step::AuthorBoxEnd(self.text.len()));
                        } else if is_related_posts_heading(&names, name) {
                            // The block ends where the parent does: below
                            // the steps of the heading's later siblings.
                            let later =
                                std::iter::successors(node.next_sibling(), NodeRef::next_sibling)
                                    .count();
                            let parent_end = steps.len() - later;
                            steps.insert(parent_end, Step::RelatedPostsEnd(self.text.len()));
                        } else if is_related_posts(&names, name) {
                            steps.push(Step::RelatedPostsEnd(self.text.len()));
                        }
                    }
                    !BREAKING.contains(&name)
                }
                // The document and fragments: containers without a name.
                None => true,
            };
            if !inline {
                self.push_space();
                steps.push(Step::Boundary);
            }
            steps.extend(node.children_it(true).map(Step::Enter));
        }
        hidden
    }

    fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                self.push_space();
            } else if !is_invisible(c) {
                self.text.push(c);
            }
        }
    }

    fn push_space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    /// The share of `extracted`'s characters in lines that are each the
    /// whole text of one of the page's links; 0 for an empty text.
    pub(crate) fn link_share(&self, extracted: &str) -> f64 {
        let (mut linked, mut all) = (0, 0);
        for line in extracted.lines() {
            all += line.len();
            if self.links.contains(line) {
                linked += line.len();
            }
        }
        if all == 0 {
            0.0
        } else {
            linked as f64 / all as f64
        }
    }

    /// `extracted` with each line kept at most as many times as the page
    /// shows it (at least once: a line the page's body does not show as
    /// such, like the title, may stand once). Later copies go first.
    pub(crate) fn as_often_as_shown(&self, extracted: &str) -> String {
        let mut copies: HashMap<&str, usize> = HashMap::new();
        for line in extracted.lines() {
            *copies.entry(line).or_default() += 1;
        }
        let repeated: Vec<&str> = copies
            .iter()
            .filter(|&(line, &n)| n > 1 && !line.is_empty())
            .map(|(line, _)| *line)
            .collect();
        if repeated.is_empty() {
            return extracted.to_string();
        }
        // How many copies of each repeated line may stay.
        let mut allowed: HashMap<&str, usize> = repeated
            .iter()
            .zip(self.occurrences(&repeated))
            .map(|(line, shown)| (*line, copies[line].min(shown.len().max(1))))
            .collect();
        let kept: Vec<&str> = extracted
            .lines()
            .filter(|line| match allowed.get_mut(line) {
                None => true,
                Some(0) => false,
                Some(left) => {
                    *left -= 1;
                    true
                }
            })
            .collect();
        kept.join("\n")
    }

    /// Where in the page's text each of `lines` stands (start offsets, in
    /// order), found in one pass over the text whatever the number of
    /// lines. Matches of one line may overlap ("aa" twice in "aaa").
    fn occurrences(&self, lines: &[&str]) -> Vec<Vec<usize>> {
        let mut found = vec![Vec::new(); lines.len()];
        let Ok(automaton) = AhoCorasick::new(lines) else {
            return found;
        };
        for hit in automaton.find_overlapping_iter(&self.text) {
            found[hit.pattern().as_usize()].push(hit.start());
        }
        found
    }

    /// `extracted` as the page shows it, without what only looks like
    /// article: extra copies of lines, author boxes, related posts. Lists
    /// of links are a separate step ([`Self::without_link_lists`]): a list
    /// ends the text only once what follows it is gone.
    pub(crate) fn without_boxes(&self, extracted: &str) -> String {
        let text = self.as_often_as_shown(extracted);
        // One search of the page for both kinds of box: removing author
        // box lines leaves the others' places as they were.
        let places = self.places(&text);
        let text = self.without_author_boxes_at(&text, &places);
        self.without_related_posts_at(&text, &places)
    }

    /// Whether `line` is a list of three or more of the page's links and
    /// nothing else: tags, a breadcrumb trail, share buttons ("Facebook |
    /// Twitter | Email"), separated by commas, bars or dots.
    fn is_link_list(&self, line: &str) -> bool {
        let mut items = 0;
        for item in line.split([',', '|', '•', '·', '›', '»']) {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            if !self.links.contains(item) {
                return false;
            }
            items += 1;
        }
        items >= MIN_LINK_LIST_ITEMS
    }

    /// `extracted` without lists of links: lines that list several
    /// ([`Self::is_link_list`]), and the blocks of [`MIN_LINK_LIST_ITEMS`]
    /// or more lines that are each one whole link with which the text ends
    /// (related posts, more from the section); and without the label a
    /// list has right above it ("Tags", "Related"): a line of at most two
    /// words that does not end a sentence; and without lines that are one
    /// link set in capitals ([`is_in_capitals`]). A block of links inside
    /// the text stays: a table of contents, a list of sources, a post that
    /// is a list of links.
    pub(crate) fn without_link_lists(&self, extracted: &str) -> String {
        let lines: Vec<&str> = extracted.lines().collect();
        // Links set in capitals go on their own, wherever they stand.
        let mut keep: Vec<bool> = lines
            .iter()
            .map(|line| !(self.links.contains(*line) && is_in_capitals(line)))
            .collect();
        let mut drop_list = |first: usize, end: usize| {
            keep[first..end].fill(false);
            let label = first.checked_sub(1).filter(|&j| is_label(lines[j]));
            if let Some(label) = label {
                keep[label] = false;
            }
            label.unwrap_or(first)
        };
        for (i, line) in lines.iter().enumerate() {
            if self.is_link_list(line) {
                drop_list(i, i + 1);
            }
        }
        // The text's end: blocks of whole links, each with its label.
        let mut end = lines.len();
        loop {
            let run = lines[..end]
                .iter()
                .rev()
                .take_while(|line| self.links.contains(**line))
                .count();
            if run < MIN_LINK_LIST_ITEMS {
                break;
            }
            end = drop_list(end - run, end);
        }
        lines
            .iter()
            .zip(keep)
            .filter_map(|(line, keep)| keep.then_some(*line))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `extracted` without the lines the page shows only inside author
    /// boxes, unless those would be more than [`MAX_AUTHOR_BOX_SHARE`] of
    /// it.
    #[cfg(test)]
    pub(crate) fn without_author_boxes(&self, extracted: &str) -> String {
        self.without_author_boxes_at(extracted, &self.places(extracted))
    }

    /// [`Self::without_author_boxes`] with the page's places of the lines
    /// already found ([`Self::places`]).
    fn without_author_boxes_at(&self, extracted: &str, places: &LinePlaces) -> String {
        let only_in_boxes = lines_only_in(&self.author_boxes, places);
        let dropped_len: usize = extracted
            .lines()
            .filter(|line| only_in_boxes.contains(line))
            .map(str::len)
            .sum();
        if only_in_boxes.is_empty()
            || dropped_len as f64 > MAX_AUTHOR_BOX_SHARE * extracted.len() as f64
        {
            return extracted.to_string();
        }
        without_lines(extracted, &only_in_boxes)
    }

    /// `extracted` without the lines the page shows only inside blocks of
    /// related posts. These may be longer than the article (a short post
    /// over a page of teasers), so no share caps them; but the article
    /// comes first: when the text's first line stands only in such a
    /// block, the block is the article's own container and nothing goes.
    #[cfg(test)]
    pub(crate) fn without_related_posts(&self, extracted: &str) -> String {
        self.without_related_posts_at(extracted, &self.places(extracted))
    }

    /// [`Self::without_related_posts`] with the places already found.
    fn without_related_posts_at(&self, extracted: &str, places: &LinePlaces) -> String {
        let only_in_blocks = lines_only_in(&self.related_posts, places);
        let first = extracted.lines().find(|line| !line.is_empty());
        if only_in_blocks.is_empty() || first.is_some_and(|line| only_in_blocks.contains(line)) {
            return extracted.to_string();
        }
        without_lines(extracted, &only_in_blocks)
    }

    /// Where the page shows each distinct line of `extracted`; empty when
    /// the page has no boxes to ask about (the search is then skipped).
    fn places<'a>(&self, extracted: &'a str) -> LinePlaces<'a> {
        if self.author_boxes.is_empty() && self.related_posts.is_empty() {
            return LinePlaces::new();
        }
        let distinct: HashSet<&str> = extracted.lines().filter(|line| !line.is_empty()).collect();
        let lines: Vec<&str> = distinct.into_iter().collect();
        let starts = self.occurrences(&lines);
        lines.into_iter().zip(starts).collect()
    }

    /// `extracted` (lines of words separated by single spaces) without the
    /// spaces the page does not have: each line is found in the page word
    /// by word, and a word the page runs on to directly is joined to the
    /// word before it. Lines or words not found in the page stay as they
    /// are.
    pub(crate) fn mend(&self, extracted: &str) -> String {
        let mut out = String::with_capacity(extracted.len());
        let mut cursor = 0;
        let mut search = Search::within(self.text.len());
        for (i, line) in extracted.lines().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            cursor = self.mend_line(line, cursor, &mut search, &mut out);
        }
        out
    }

    /// Appends `line`, mended, to `out`; returns where in the page it ended
    /// (where the next line is looked for first).
    fn mend_line(&self, line: &str, cursor: usize, search: &mut Search, out: &mut String) -> usize {
        let page = self.text.as_bytes();
        let mut words = line.split(' ');
        let first = words.next().unwrap_or_default();
        out.push_str(first);
        let start = search
            .find(&page[cursor..], first)
            .map(|at| cursor + at)
            .or_else(|| search.find(page, first));
        let Some(start) = start else {
            for word in words {
                out.push(' ');
                out.push_str(word);
            }
            return cursor;
        };
        // `at`: where the page continues after the last word matched.
        let mut at = start + first.len();
        for word in words {
            let rest = &page[at..];
            if !word.is_empty() && rest.starts_with(word.as_bytes()) {
                out.push_str(word);
                at += word.len();
                continue;
            }
            out.push(' ');
            out.push_str(word);
            if rest.first() == Some(&b' ') && rest[1..].starts_with(word.as_bytes()) {
                at += 1 + word.len();
            } else {
                let window = &rest[..rest.len().min(RESYNC_WINDOW)];
                if let Some(found) = search.find(window, word) {
                    at += found + word.len();
                }
            }
        }
        at
    }
}

/// Searches of the page with a cap on the bytes they may read in all, so
/// that extracted text the page does not hold (each line looked for across
/// the whole page in vain) costs a bounded multiple of the page, never
/// lines × page. Past the cap, searches find nothing and the rest of the
/// text is left as it is.
struct Search {
    left: usize,
}

/// The cap: this many readings of the page, plus a little for small pages.
const SEARCH_PAGES: usize = 8;
const SEARCH_SLACK: usize = 1 << 20;

impl Search {
    fn within(page_len: usize) -> Search {
        Search {
            left: SEARCH_PAGES
                .saturating_mul(page_len)
                .saturating_add(SEARCH_SLACK),
        }
    }

    /// Where `needle` first stands in `haystack`, charging the bytes read.
    fn find(&mut self, haystack: &[u8], needle: &str) -> Option<usize> {
        if haystack.len() > self.left {
            self.left = 0;
            return None;
        }
        let found = memmem::find(haystack, needle.as_bytes());
        self.left -= found.map_or(haystack.len(), |at| at + needle.len());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mended(html: &str, extracted: &str) -> String {
        PageText::take(&Document::from(html)).mend(extracted)
    }

    #[test]
    fn spaces_at_inline_edges_go_where_the_page_has_none() {
        let html = "<p>Under § 315 <abbr>BGB</abbr> (<a href=x>Twitter</a>) the \
                    <a>KI</a>-Systemen were <em>named</em>.</p>";
        assert_eq!(
            mended(
                html,
                "Under § 315 BGB ( Twitter ) the KI -Systemen were named ."
            ),
            "Under § 315 BGB (Twitter) the KI-Systemen were named."
        );
    }

    #[test]
    fn custom_elements_run_on_with_the_text() {
        let html = "<p>effects of these medications (<hl-source><a>38</a></hl-source>, \
                    <hl-source><a>39</a></hl-source>).</p>";
        assert_eq!(
            mended(html, "effects of these medications ( 38 , 39 ) ."),
            "effects of these medications (38, 39)."
        );
    }

    #[test]
    fn spaces_the_page_has_stay() {
        let html = "<div><p>One <a>link</a> here.</p><ul><li>first</li><li>second</li></ul>\
                    <table><tr><td>cell</td><td>next</td></tr></table></div>";
        let extracted = "One link here.\nfirst second\ncell next";
        assert_eq!(mended(html, extracted), extracted);
    }

    #[test]
    fn ruby_annotations_leave_the_text_and_the_page() {
        let page = Document::from(
            "<p>日本の<ruby>東京<rp>(</rp><rt>とうきょう</rt><rp>)</rp></ruby>で会議。</p>",
        );
        let text = PageText::take(&page);
        assert_eq!(text.mend("日本の 東京 で会議。"), "日本の東京で会議。");
        assert!(!page.html().contains("とうきょう"));
    }

    #[test]
    fn text_the_page_does_not_have_is_left_alone() {
        let html = "<p>The harbour (<a>closed</a>) on Monday.</p>";
        assert_eq!(
            mended(
                html,
                "Something else ( entirely )\nThe harbour ( closed ) on Monday ."
            ),
            "Something else ( entirely )\nThe harbour (closed) on Monday."
        );
    }

    #[test]
    fn lines_that_are_whole_links_count_as_links() {
        let page = PageText::take(&Document::from(
            "<ul><li><a href=/a>Home</a></li><li><a href=/b>World news</a></li></ul>\
             <p>The harbour closed on <a href=/m>Monday</a> after the storm.</p>",
        ));
        assert_eq!(page.link_share("Home\nWorld news"), 1.0);
        let article = "The harbour closed on Monday after the storm.";
        assert_eq!(page.link_share(article), 0.0);
        let half = page.link_share(&format!("{article}\nWorld news"));
        assert!((half - 10.0 / 55.0).abs() < 1e-9, "{half}");
        assert_eq!(page.link_share(""), 0.0);
    }

    #[test]
    fn lines_stand_no_more_often_than_the_page_shows_them() {
        let page = PageText::take(&Document::from(
            "<head><title>Lorem</title></head><body><div><div>Lorem ipsum dolor sit.</div></div>\
             <p>Yes</p><p>Yes</p><p>Unique line.</p></body>",
        ));
        let extracted = "Lorem\nLorem ipsum dolor sit.\nLorem\nLorem ipsum dolor sit.\n\
                         Yes\nYes\nYes\nUnique line.";
        assert_eq!(
            page.as_often_as_shown(extracted),
            "Lorem\nLorem ipsum dolor sit.\nYes\nYes\nUnique line."
        );
    }

    #[test]
    fn lines_shown_only_in_an_author_box_go() {
        let bio = "Regan lives in Massachusetts with her husband and two cats.";
        let page = PageText::take(&Document::from(
            format!(
                "<article><p>The trail climbs for two miles.</p><p>Bring water, a map and a coat.</p>\
             <p>The view from the top takes in three states on a clear day.</p><div class=\"post-author\"><h5><a rel=author>Regan</a></h5><p>{bio}</p></div>\
             </article>"
            )
            .as_str(),
        ));
        let article = "The trail climbs for two miles.\nBring water, a map and a coat.\n\
                       The view from the top takes in three states on a clear day.";
        let extracted = format!("{article}\nRegan\n{bio}");
        assert_eq!(page.without_author_boxes(&extracted), article);
        // Text the page also shows outside the box stays.
        let page = PageText::take(&Document::from(
            "<p>Bring water.</p><div id=author_bio><p>Bring water.</p><p>Regan hikes.</p></div>",
        ));
        assert_eq!(
            page.without_author_boxes("Bring water.\nRegan hikes.\nBring water."),
            "Bring water.\nBring water."
        );
        // A text that is mostly the box is left whole: the box is the article.
        assert_eq!(page.without_author_boxes("Regan hikes."), "Regan hikes.");
        // A byline's class alone is no box.
        let page = PageText::take(&Document::from(
            "<p class=author>By Regan</p><p>The trail climbs for two miles.</p>",
        ));
        assert_eq!(page.without_author_boxes("By Regan"), "By Regan");
    }

    #[test]
    fn lines_shown_only_among_related_posts_go() {
        let article =
            "The ferry resumes on Monday.\nTickets bought for the weekend will be refunded.";
        let teasers =
            "Bridge works delayed again\nThe council said the works would run into spring \
                       and that the detour would stay in place…\nHarbour dredging begins";
        // A block whose heading names it, longer than the article, sharing
        // the article's container; the text before the heading stays.
        let page = PageText::take(&Document::from(
            "<div class=post><p>The ferry resumes on Monday.</p>\
             <p>Tickets bought for the weekend will be refunded.</p>\
             <h3 class=related-title>You may also like</h3>\
             <article><h4>Bridge works delayed again</h4><p>The council said the works would run \
             into spring and that the detour would stay in place…</p></article>\
             <article><h4>Harbour dredging begins</h4></article></div>",
        ));
        let extracted = format!("{article}\nYou may also like\n{teasers}");
        assert_eq!(page.without_related_posts(&extracted), article);
        // A block named by its own class.
        let page = PageText::take(&Document::from(
            "<article><p>The ferry resumes on Monday.</p>\
             <p>Tickets bought for the weekend will be refunded.</p>\
             <section class=jp-relatedposts><p>Harbour dredging begins</p></section></article>",
        ));
        let extracted = format!("{article}\nHarbour dredging begins");
        assert_eq!(page.without_related_posts(&extracted), article);
        // A text that begins inside the block is the block's own article:
        // left whole. So is a page whose body alone names related posts.
        let page = PageText::take(&Document::from(
            "<div class=related-story><p>The ferry resumes on Monday.</p></div>",
        ));
        let text = "The ferry resumes on Monday.";
        assert_eq!(page.without_related_posts(text), text);
        let page = PageText::take(&Document::from(
            "<body class=has-related><p>The ferry resumes on Monday.</p><p>Harbour dredging begins</p></body>",
        ));
        let text = "The ferry resumes on Monday.\nHarbour dredging begins";
        assert_eq!(page.without_related_posts(text), text);
    }

    #[test]
    fn lists_of_links_and_their_labels_go() {
        let page = PageText::take(&Document::from(
            "<p>The race calendar was published on Monday by the series.</p>\
             <h4>Tags</h4><p><a href=/t/1>stock car</a>, <a href=/t/2>Interlagos</a>, \
             <a href=/t/3>Londrina</a></p><p><a>Facebook</a> | <a>Twitter</a></p>\
             <p>Races at <a>Interlagos</a>, <a>Londrina</a> and <a>Curitiba</a>.</p>",
        ));
        let extracted = "The race calendar was published on Monday by the series.\nTags\n\
                         stock car, Interlagos, Londrina\nFacebook | Twitter\n\
                         Races at Interlagos, Londrina and Curitiba.";
        assert_eq!(
            page.without_link_lists(extracted),
            "The race calendar was published on Monday by the series.\n\
             Facebook | Twitter\nRaces at Interlagos, Londrina and Curitiba."
        );
        // One whole link per line: three in a row that end the text are a
        // list; inside the text, or only two, they stay.
        let extracted = "Races at Interlagos, Londrina and Curitiba.\nInterlagos\nLondrina\n\
                         stock car\nThe race calendar was published on Monday by the series.\n\
                         Related\nstock car\nInterlagos\nLondrina";
        assert_eq!(
            page.without_link_lists(extracted),
            "Races at Interlagos, Londrina and Curitiba.\nInterlagos\nLondrina\nstock car\n\
             The race calendar was published on Monday by the series."
        );
        let extracted = "The race calendar was published on Monday by the series.\n\
                         Interlagos\nLondrina";
        assert_eq!(page.without_link_lists(extracted), extracted);
    }

    #[test]
    fn links_set_in_capitals_go() {
        let page = PageText::take(&Document::from(
            "<p>Shares rose on Monday.</p><p><a href=/g>SEE FULL GALLERY</a></p>\
             <p><a href=/s>S&amp;P 500</a></p><p><a href=/a>Get the app</a></p>\
             <h2>BREAKING NEWS TODAY</h2><p><a href=/t>CLICK HERE TO GET THE APP</a></p>\
             <p>The index closed higher.</p>",
        ));
        let extracted = "Shares rose on Monday.\nSEE FULL GALLERY\nS&P 500\nGet the app\n\
                         BREAKING NEWS TODAY\nCLICK HERE TO GET THE APP\nThe index closed higher.";
        assert_eq!(
            page.without_link_lists(extracted),
            "Shares rose on Monday.\nS&P 500\nGet the app\nBREAKING NEWS TODAY\n\
             The index closed higher."
        );
    }

    #[test]
    fn hover_cards_leave_the_text_and_the_page() {
        let page = Document::from(
            "<p>Rep. <span class=rollover-people><a href=/p/1>Jane Roe</a>\
             <span class=rollover-people-block><a href=/a/2>Her latest headline</a></span>\
             </span> (D-Minn.) spoke.</p><p><span class=tooltip>first</span> word</p>",
        );
        let text = PageText::take(&page);
        assert!(text.cut_hover_cards);
        assert_eq!(
            text.text.trim(),
            "Rep. Jane Roe (D-Minn.) spoke. first word"
        );
        assert!(!page.html().contains("latest headline"));
        // A wrapper with nothing before its card is no card.
        assert!(page.html().contains("first"));
    }

    #[test]
    fn searches_stop_when_their_reading_is_spent() {
        let mut search = Search { left: 30 };
        assert_eq!(search.find(b"0123456789 the line", "the line"), Some(11));
        assert_eq!(search.left, 11);
        // Not found: the whole haystack is charged.
        assert_eq!(search.find(b"nothing here", "the line"), None);
        assert_eq!(search.left, 0);
        // Spent: even a line that stands right there is not looked for.
        assert_eq!(search.find(b"the line", "the line"), None);
        // A text the page does not hold is left as it is, line after line.
        let page = PageText::take(&Document::from("<p>One (<a>link</a>).</p>"));
        let absent = "Not ( on ) the page .\n".repeat(1000);
        assert_eq!(page.mend(&absent), absent.trim_end());
    }

    #[test]
    fn invisible_characters_do_not_stop_the_match() {
        let html = "<p>Die Ita&shy;li&shy;ener (<a>Rom</a>) und\u{200B}so.</p>";
        assert_eq!(
            mended(html, "Die Italiener ( Rom ) undso."),
            "Die Italiener (Rom) undso."
        );
    }
}
