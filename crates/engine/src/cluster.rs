//! Matched pairs to clusters, and clusters to the copy that survives.
//!
//! Union-find with the smallest index as root, so the grouping depends only
//! on the pairs, never on the order they were merged in.

use serde::{Deserialize, Serialize};

/// Disjoint sets over `0..n`.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    /// The root of `x`'s set (the smallest index in it).
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            // Path halving: point x at its grandparent as we climb.
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x
    }

    /// Merge the sets of `a` and `b`.
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[high as usize] = low;
        }
    }

    /// The sets of two or more members, each sorted, ordered by their
    /// smallest member.
    ///
    /// Most documents of a corpus are alone in their set, so only sets of
    /// two or more get a list: memory is the parent array, a bit per
    /// element and the grouped members, never a list per element.
    pub fn groups(&mut self) -> Vec<Vec<u32>> {
        let n = self.parent.len();
        // Every element points at its root from here on.
        for x in 0..n as u32 {
            let root = self.find(x);
            self.parent[x as usize] = root;
        }
        let mut shared = vec![0u64; n.div_ceil(64)];
        for (x, &root) in self.parent.iter().enumerate() {
            if root as usize != x {
                shared[root as usize / 64] |= 1 << (root % 64);
            }
        }
        // Roots are the smallest members, so groups in the order of their
        // roots are in the order of their first members.
        let mut slot_of_root = std::collections::HashMap::new();
        let mut groups: Vec<Vec<u32>> = Vec::new();
        for (x, &root) in self.parent.iter().enumerate() {
            if shared[root as usize / 64] & (1 << (root % 64)) == 0 {
                continue;
            }
            let slot = *slot_of_root.entry(root).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[slot].push(x as u32);
        }
        groups
    }
}

/// Which copy of a cluster is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum KeepPolicy {
    /// The earliest date; undated documents after dated ones; ties by input order.
    #[default]
    Earliest,
    /// The latest date; undated documents after dated ones; ties by input order.
    Latest,
    /// The longest text; ties by input order.
    Longest,
    /// The first in input order.
    First,
}

/// What the keep policy needs to know of each document.
pub trait KeepFacts {
    fn date(&self, doc: u32) -> Option<&str>;
    fn length(&self, doc: u32) -> u64;
}

/// The member of `members` (sorted by input order) that `policy` keeps.
pub fn choose_representative(members: &[u32], policy: KeepPolicy, facts: &impl KeepFacts) -> u32 {
    let first = members[0];
    let better = |candidate: u32, best: u32| -> bool {
        match policy {
            KeepPolicy::First => false,
            KeepPolicy::Longest => facts.length(candidate) > facts.length(best),
            KeepPolicy::Earliest => match (facts.date(candidate), facts.date(best)) {
                (Some(c), Some(b)) => c < b,
                (Some(_), None) => true,
                _ => false,
            },
            KeepPolicy::Latest => match (facts.date(candidate), facts.date(best)) {
                (Some(c), Some(b)) => c > b,
                (Some(_), None) => true,
                _ => false,
            },
        }
    };
    // Members are in input order and only a strictly better one replaces the
    // best so far, so ties go to the earlier document.
    members[1..]
        .iter()
        .fold(first, |best, &m| if better(m, best) { m } else { best })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Facts(Vec<(Option<&'static str>, u64)>);

    impl KeepFacts for Facts {
        fn date(&self, doc: u32) -> Option<&str> {
            self.0[doc as usize].0
        }
        fn length(&self, doc: u32) -> u64 {
            self.0[doc as usize].1
        }
    }

    #[test]
    fn union_find_groups_by_smallest_root() {
        let mut sets = UnionFind::new(6);
        sets.union(4, 2);
        sets.union(5, 4);
        sets.union(1, 3);
        assert_eq!(sets.find(5), 2);
        assert_eq!(sets.groups(), vec![vec![1, 3], vec![2, 4, 5]]);
    }

    #[test]
    fn grouping_does_not_depend_on_union_order() {
        let pairs = [(0, 9), (3, 9), (5, 6), (6, 7), (1, 2)];
        let mut forward = UnionFind::new(10);
        let mut backward = UnionFind::new(10);
        for &(a, b) in &pairs {
            forward.union(a, b);
        }
        for &(a, b) in pairs.iter().rev() {
            backward.union(b, a);
        }
        assert_eq!(forward.groups(), backward.groups());
    }

    #[test]
    fn keep_policies_pick_the_right_copy() {
        let facts = Facts(vec![
            (Some("2024-11-02"), 10),
            (None, 50),
            (Some("2024-11-01"), 30),
            (Some("2024-11-03"), 30),
            (Some("2024-11-01"), 40),
        ]);
        let all = [0, 1, 2, 3, 4];
        assert_eq!(choose_representative(&all, KeepPolicy::Earliest, &facts), 2);
        assert_eq!(choose_representative(&all, KeepPolicy::Latest, &facts), 3);
        assert_eq!(choose_representative(&all, KeepPolicy::Longest, &facts), 1);
        assert_eq!(choose_representative(&all, KeepPolicy::First, &facts), 0);
        // Undated documents lose to dated ones under both date policies.
        assert_eq!(
            choose_representative(&[1, 3], KeepPolicy::Earliest, &facts),
            3
        );
        assert_eq!(
            choose_representative(&[1, 0], KeepPolicy::Latest, &facts),
            0
        );
    }
}
