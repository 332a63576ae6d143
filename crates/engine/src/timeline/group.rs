//! Snapshots into groups (one timeline per page), and the furniture that
//! only shows when many pages of one site are given.
//!
//! Snapshots of the same page share a URL, or failing that a title. A
//! snapshot with neither joins the group whose lines it shares most (an
//! untitled crawl of a live blog still repeats its posts); if it shares
//! nothing it starts a group of its own.
//!
//! Across *different* pages of one site, a line that recurs on many of them
//! is furniture (navigation, sign-up boxes, footers) even when its wording
//! gives nothing away. Within one page's snapshots recurrence means nothing:
//! posts recur there by nature.

use std::collections::{HashMap, HashSet};

use super::lines::{self, LineInfo, LineTable};
use super::segment::PageLine;

/// How snapshots are grouped into timelines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum GroupBy {
    /// By URL when the snapshots have URLs, else by title.
    #[default]
    Auto,
    Url,
    Title,
    /// Everything in one timeline.
    None,
}

/// What grouping needs to know about a snapshot.
pub struct Keyed<'a> {
    pub url: Option<&'a str>,
    pub title: Option<&'a str>,
    pub lines: &'a [PageLine],
}

/// A group of snapshots and the site-wide furniture keys that apply to it.
#[derive(Debug, Default)]
pub struct Group {
    /// Indexes of the snapshots, in input order.
    pub members: Vec<usize>,
    pub site_furniture: HashSet<u128, lines::KeyHasher>,
}

/// Fewest pages of a site before recurrence across them means furniture.
const MIN_SITE_PAGES: usize = 4;

pub fn group(inputs: &[Keyed], table: &LineTable, by: GroupBy) -> Vec<Group> {
    let by_title_for_want_of_urls = by == GroupBy::Auto && inputs.iter().all(|k| k.url.is_none());
    let by = match by {
        GroupBy::Auto if !by_title_for_want_of_urls => GroupBy::Url,
        GroupBy::Auto => GroupBy::Title,
        other => other,
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut orphans = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let key = match by {
            GroupBy::None => Some(String::new()),
            GroupBy::Url => input
                .url
                .map(page_of_url)
                .or_else(|| input.title.map(title_key)),
            _ => input.title.map(title_key),
        };
        match key {
            Some(key) => {
                let next = groups.len();
                let g = *by_key.entry(key).or_insert(next);
                if g == next {
                    groups.push(Group::default());
                }
                groups[g].members.push(i);
            }
            None => orphans.push(i),
        }
    }
    if by_title_for_want_of_urls {
        merge_renamed_pages(inputs, table, &mut groups);
    }
    place_orphans(inputs, table, &mut groups, orphans);
    find_site_furniture(inputs, table, &mut groups);
    groups
}

/// Fewest words of a line that can tell one page's posts from another's.
const MIN_CONTENT_WORDS: u32 = 8;

/// Share of a group's content lines another group must show for the two
/// to be one page whose title changed ("… – as it happened"). A page that
/// shows only its newest posts may share a third of its lines with its
/// last crawl; two different pages share next to none.
const RENAMED_OVERLAP: f64 = 0.3;

/// A page that prints only its newest posts can share less than that with
/// a crawl taken hours later. Then posts' own stamps tell: two different
/// pages never print the same post stamped with the same day and time
/// (and author, where the page names one) ...
const RENAMED_OVERLAP_WITH_STAMPS: f64 = 0.1;
/// ... on this many posts or more.
const MIN_SHARED_STAMPS: usize = 2;

/// Merge title groups that are one page under two titles: a live blog is
/// often retitled at its end, and its posts stay. Only content lines (of
/// [`MIN_CONTENT_WORDS`] or more) count, so shared furniture does not
/// join two pages of a site.
fn merge_renamed_pages(inputs: &[Keyed], table: &LineTable, groups: &mut Vec<Group>) {
    if groups.len() < 2 {
        return;
    }
    // The keys of a group's lines that `keep` accepts, group by group.
    let keys_of = |keep: &dyn Fn(&LineInfo) -> bool| -> Vec<HashSet<u128, lines::KeyHasher>> {
        groups
            .iter()
            .map(|group| {
                group
                    .members
                    .iter()
                    .flat_map(|&m| inputs[m].lines)
                    .map(|line| table.get(line.id))
                    .filter(|info| keep(info))
                    .map(|info| info.key)
                    .collect()
            })
            .collect()
    };
    let keys = keys_of(&|info| info.words >= MIN_CONTENT_WORDS);
    // Stamps that name a day and a time of day: one post's, on one page.
    let stamps = keys_of(&|info| {
        let stamp = info.stamp.as_ref().or(info.lead_stamp.as_ref());
        stamp.is_some_and(|s| s.date.is_some() && s.time.is_some())
    });
    // The earliest group holding each key, and where each group went.
    let mut first_holder: HashMap<u128, usize, lines::KeyHasher> = HashMap::default();
    let mut merged_into: Vec<usize> = (0..groups.len()).collect();
    for g in 0..groups.len() {
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for key in &keys[g] {
            match first_holder.get(key) {
                Some(&h) => *shared.entry(merged_into[h]).or_default() += 1,
                None => {
                    first_holder.insert(*key, g);
                }
            }
        }
        let best = shared
            .into_iter()
            .max_by_key(|&(h, n)| (n, std::cmp::Reverse(h)));
        if let Some((h, n)) = best {
            let smaller = keys[g].len().min(keys[h].len()).max(1);
            let overlap = n as f64 / smaller as f64;
            let shared_stamps = || stamps[g].intersection(&stamps[h]).count();
            if overlap >= RENAMED_OVERLAP
                || (overlap >= RENAMED_OVERLAP_WITH_STAMPS && shared_stamps() >= MIN_SHARED_STAMPS)
            {
                merged_into[g] = h;
            }
        }
    }
    let mut kept: Vec<Group> = Vec::new();
    let mut new_index = vec![0; groups.len()];
    for (g, group) in std::mem::take(groups).into_iter().enumerate() {
        let target = merged_into[g];
        if target == g {
            new_index[g] = kept.len();
            kept.push(group);
        } else {
            let into = &mut kept[new_index[target]];
            into.members.extend(group.members);
            into.members.sort_unstable();
        }
    }
    *groups = kept;
}

/// Put each snapshot without URL or title with the group it shares most
/// lines with.
fn place_orphans(
    inputs: &[Keyed],
    table: &LineTable,
    groups: &mut Vec<Group>,
    orphans: Vec<usize>,
) {
    if orphans.is_empty() {
        return;
    }
    let mut owners: HashMap<u128, Vec<usize>, lines::KeyHasher> = HashMap::default();
    let index =
        |owners: &mut HashMap<u128, Vec<usize>, lines::KeyHasher>, member: usize, g: usize| {
            for line in inputs[member].lines {
                let list = owners.entry(table.get(line.id).key).or_default();
                if list.last() != Some(&g) {
                    list.push(g);
                }
            }
        };
    for (g, group) in groups.iter().enumerate() {
        for &m in &group.members {
            index(&mut owners, m, g);
        }
    }
    for orphan in orphans {
        let mut shared: HashMap<usize, usize> = HashMap::new();
        let mut seen = HashSet::new();
        for line in inputs[orphan].lines {
            let info = table.get(line.id);
            if info.words < 5 || !seen.insert(info.key) {
                continue;
            }
            for &g in owners.get(&info.key).map(Vec::as_slice).unwrap_or(&[]) {
                *shared.entry(g).or_default() += 1;
            }
        }
        let best = shared
            .into_iter()
            .max_by_key(|&(g, n)| (n, std::cmp::Reverse(g)))
            .map(|(g, _)| g);
        // An empty snapshot says nothing about its page: keep it with the
        // first group rather than make a timeline of nothing.
        let empty = inputs[orphan].lines.is_empty() && !groups.is_empty();
        let best = best.or(empty.then_some(0));
        let g = best.unwrap_or_else(|| {
            groups.push(Group::default());
            groups.len() - 1
        });
        groups[g].members.push(orphan);
        groups[g].members.sort_unstable();
        index(&mut owners, orphan, g);
    }
}

/// Lines found on many of a site's pages are furniture on all of them.
fn find_site_furniture(inputs: &[Keyed], table: &LineTable, groups: &mut [Group]) {
    let mut sites: HashMap<String, Vec<usize>> = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        let site = group
            .members
            .first()
            .and_then(|&m| inputs[m].url)
            .map(host_of)
            .unwrap_or_default();
        sites.entry(site).or_default().push(g);
    }
    for site_groups in sites.values() {
        let pages = site_groups.len();
        if pages < MIN_SITE_PAGES {
            continue;
        }
        let threshold = 3.max((pages * 2).div_ceil(5));
        let mut pages_with: HashMap<u128, usize, lines::KeyHasher> = HashMap::default();
        for &g in site_groups {
            let mut keys: HashSet<u128, lines::KeyHasher> = HashSet::default();
            for &m in &groups[g].members {
                keys.extend(inputs[m].lines.iter().map(|l| table.get(l.id).key));
            }
            for key in keys {
                *pages_with.entry(key).or_default() += 1;
            }
        }
        let recurring: HashSet<u128, lines::KeyHasher> = pages_with
            .into_iter()
            .filter(|&(_, n)| n >= threshold)
            .map(|(key, _)| key)
            .collect();
        for &g in site_groups {
            groups[g].site_furniture.clone_from(&recurring);
        }
    }
}

/// A URL reduced to the page it names: no scheme, "www.", query, fragment
/// or trailing slash, lower-cased host.
pub fn page_of_url(url: &str) -> String {
    let url = url.trim();
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    format!("{host}/{}", path.trim_end_matches('/'))
}

fn host_of(url: &str) -> String {
    page_of_url(url)
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn title_key(title: &str) -> String {
    crate::normalize::Normalizer::default()
        .normalize(title)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_pages() {
        assert_eq!(
            page_of_url("https://www.Example.com/live/blog/?page=2#p1"),
            "example.com/live/blog"
        );
        assert_eq!(
            page_of_url("example.com/live/blog"),
            "example.com/live/blog"
        );
    }
}
