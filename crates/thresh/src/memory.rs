//! How much memory this process may use: the machine's (`/proc/meminfo`),
//! or less where a control group limits the process (a container, a batch
//! job's slot): Linux cgroups v1 and v2. The default memory budget and the
//! substring level's refusal to start a search that cannot fit both ask
//! here, so that a run in a container with a 4 GB limit on a 64 GB machine
//! is refused with advice rather than killed halfway.
//!
//! Everything here is a reading of the system, `None` where it says
//! nothing (another OS, no limit, unreadable files).

use std::path::{Path, PathBuf};

/// The memory the process may use in all, in bytes.
pub fn total() -> Option<u64> {
    let machine = meminfo_kilobytes(&read("/proc/meminfo")?, "MemTotal:").map(|kb| kb * 1024);
    smallest(machine, limits().map(|limit| limit.limit))
}

/// The memory the process may still take, in bytes: the machine's
/// available memory and free swap, or the room left under a cgroup's
/// limit (counting the cache it can drop), whichever is less.
pub fn free() -> Option<u64> {
    let meminfo = read("/proc/meminfo")?;
    let machine = meminfo_kilobytes(&meminfo, "MemAvailable:").map(|available| {
        (available + meminfo_kilobytes(&meminfo, "SwapFree:").unwrap_or(0)) * 1024
    });
    smallest(machine, limits().map(|limit| limit.room()))
}

fn smallest(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn read(path: impl AsRef<Path>) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// A `/proc/meminfo` field, in kilobytes.
fn meminfo_kilobytes(meminfo: &str, field: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with(field))?;
    line[field.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// A cgroup's memory limit and what it holds now, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Limit {
    limit: u64,
    usage: u64,
    /// Page cache not recently used, which the kernel drops before it
    /// refuses memory.
    reclaimable: u64,
}

impl Limit {
    fn room(self) -> u64 {
        (self.limit + self.reclaimable).saturating_sub(self.usage)
    }
}

/// The tightest limit on this process's cgroup, if any.
fn limits() -> Option<Limit> {
    let membership = read("/proc/self/cgroup")?;
    let (version, path) = memory_cgroup(&membership)?;
    match version {
        CgroupVersion::V1 => v1_limit(&cgroup_dir("/sys/fs/cgroup/memory", &path)),
        CgroupVersion::V2 => v2_limit(&cgroup_dir("/sys/fs/cgroup", &path)),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum CgroupVersion {
    V1,
    V2,
}

/// The process's memory cgroup, from `/proc/self/cgroup`: a v1 line
/// `N:…memory…:/path` wins over the v2 line `0::/path`.
fn memory_cgroup(membership: &str) -> Option<(CgroupVersion, String)> {
    let mut v2 = None;
    for line in membership.lines() {
        let mut fields = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        if controllers.split(',').any(|c| c == "memory") {
            return Some((CgroupVersion::V1, path.to_owned()));
        }
        if controllers.is_empty() {
            v2 = Some((CgroupVersion::V2, path.to_owned()));
        }
    }
    v2
}

/// The cgroup's directory under `mount`, or the mount itself where the
/// path is not there (inside a container the mount is the cgroup's own).
fn cgroup_dir(mount: &str, path: &str) -> PathBuf {
    let dir = Path::new(mount).join(path.trim_start_matches('/'));
    match dir.is_dir() {
        true => dir,
        false => PathBuf::from(mount),
    }
}

/// Limits at or above this mean none (v1 writes a huge page-aligned
/// number for "unlimited").
const NO_LIMIT: u64 = 1 << 60;

fn v1_limit(dir: &Path) -> Option<Limit> {
    let stat = read(dir.join("memory.stat"))?;
    // The limit of the cgroup and every cgroup above it.
    let limit = stat_value(&stat, "hierarchical_memory_limit")
        .or_else(|| read(dir.join("memory.limit_in_bytes"))?.trim().parse().ok())?;
    if limit >= NO_LIMIT {
        return None;
    }
    Some(Limit {
        limit,
        usage: read(dir.join("memory.usage_in_bytes"))?
            .trim()
            .parse()
            .ok()?,
        reclaimable: stat_value(&stat, "total_inactive_file")
            .or_else(|| stat_value(&stat, "inactive_file"))
            .unwrap_or(0),
    })
}

/// v2 keeps a limit per level: the tightest room from the cgroup up.
fn v2_limit(dir: &Path) -> Option<Limit> {
    let mut tightest: Option<Limit> = None;
    let mut at = Some(dir);
    while let Some(dir) = at.filter(|d| d.starts_with("/sys/fs/cgroup")) {
        if let Some(limit) = v2_level(dir) {
            if tightest.is_none_or(|t| limit.room() < t.room()) {
                tightest = Some(limit);
            }
        }
        at = dir.parent();
    }
    tightest
}

fn v2_level(dir: &Path) -> Option<Limit> {
    let limit: u64 = read(dir.join("memory.max"))?.trim().parse().ok()?; // "max": none
    let stat = read(dir.join("memory.stat")).unwrap_or_default();
    Some(Limit {
        limit,
        usage: read(dir.join("memory.current"))?.trim().parse().ok()?,
        reclaimable: stat_value(&stat, "inactive_file").unwrap_or(0),
    })
}

/// A `memory.stat` line's value.
fn stat_value(stat: &str, key: &str) -> Option<u64> {
    stat.lines().find_map(|line| {
        let (name, value) = line.split_once(' ')?;
        (name == key).then(|| value.trim().parse().ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_cgroup_is_found_in_either_version() {
        let v1 = "9:name=systemd:/\n4:cpu,memory:/jobs/42\n0::/\n";
        assert_eq!(
            memory_cgroup(v1),
            Some((CgroupVersion::V1, "/jobs/42".to_owned()))
        );
        let v2 = "0::/user.slice/run-1.scope\n";
        assert_eq!(
            memory_cgroup(v2),
            Some((CgroupVersion::V2, "/user.slice/run-1.scope".to_owned()))
        );
        assert_eq!(memory_cgroup("3:cpuset:/\n"), None);
    }

    #[test]
    fn room_counts_droppable_cache_and_never_goes_below_zero() {
        let limit = Limit {
            limit: 1000,
            usage: 900,
            reclaimable: 300,
        };
        assert_eq!(limit.room(), 400);
        let full = Limit {
            limit: 1000,
            usage: 1500,
            reclaimable: 0,
        };
        assert_eq!(full.room(), 0);
    }

    #[test]
    fn stat_and_meminfo_fields_are_read_by_name() {
        let stat = "cache 10\ninactive_file 7\ntotal_inactive_file 9\n";
        assert_eq!(stat_value(stat, "inactive_file"), Some(7));
        assert_eq!(stat_value(stat, "total_inactive_file"), Some(9));
        assert_eq!(stat_value(stat, "mapped_file"), None);
        let meminfo = "MemTotal:       24683520 kB\nMemAvailable:   20000000 kB\n";
        assert_eq!(
            meminfo_kilobytes(meminfo, "MemAvailable:"),
            Some(20_000_000)
        );
        assert_eq!(smallest(Some(5), None), Some(5));
        assert_eq!(smallest(Some(5), Some(3)), Some(3));
    }
}
