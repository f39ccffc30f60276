//! Noticing saves: snapshots of the watched folders, what changed between two of them, and when
//! a burst of changes has settled enough to rebuild once.
//!
//! Polling a few hundred files' metadata every 100 ms is cheap, needs no platform API and sees
//! files added, removed and modified the same way on every system and file system.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use walkdir::WalkDir;

/// What is compared of a file: when it was last modified and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Modification time, when the file system keeps one.
    pub modified: Option<SystemTime>,
    /// Size in bytes.
    pub len: u64,
}

/// Every file under the watched folders, by path relative to the site folder.
pub type Snapshot = BTreeMap<PathBuf, Stamp>;

/// The files under `root/<dir>` for each of `dirs`; missing folders hold none, and files that
/// vanish while being looked at are skipped (the next snapshot sees them gone).
pub fn snapshot(root: &Path, dirs: &[&str]) -> Snapshot {
    let mut files = Snapshot::new();
    for dir in dirs {
        for entry in WalkDir::new(root.join(dir)).into_iter().flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let (Ok(meta), Ok(rel)) = (entry.metadata(), entry.path().strip_prefix(root)) else {
                continue;
            };
            files.insert(
                rel.to_path_buf(),
                Stamp {
                    modified: meta.modified().ok(),
                    len: meta.len(),
                },
            );
        }
    }
    files
}

/// The files added, removed or modified from `old` to `new`, sorted.
pub fn changes(old: &Snapshot, new: &Snapshot) -> Vec<PathBuf> {
    let mut changed: Vec<PathBuf> = new
        .iter()
        .filter(|(path, stamp)| old.get(*path) != Some(stamp))
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(old.keys().filter(|p| !new.contains_key(*p)).cloned());
    changed.sort();
    changed
}

/// Turns a stream of "something changed / nothing changed" observations into single rebuilds:
/// after the first change, it waits until `quiet` has passed without another one.
#[derive(Debug, Clone)]
pub struct Debouncer {
    quiet: Duration,
    last_change: Option<Instant>,
}

impl Debouncer {
    /// A debouncer that waits for `quiet` without changes.
    pub fn new(quiet: Duration) -> Self {
        Debouncer {
            quiet,
            last_change: None,
        }
    }

    /// Records one observation made at `now`; true when it is time to rebuild.
    pub fn observe(&mut self, changed: bool, now: Instant) -> bool {
        if changed {
            self.last_change = Some(now);
            return false;
        }
        match self.last_change {
            Some(at) if now.duration_since(at) >= self.quiet => {
                self.last_change = None;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn stamp(secs: u64, len: u64) -> Stamp {
        Stamp {
            modified: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs)),
            len,
        }
    }

    fn snap(files: &[(&str, Stamp)]) -> Snapshot {
        files.iter().map(|(p, s)| (PathBuf::from(p), *s)).collect()
    }

    #[test]
    fn changes_are_additions_removals_and_modifications() {
        let old = snap(&[
            ("content/a.md", stamp(1, 10)),
            ("content/b.md", stamp(1, 10)),
            ("static/c.css", stamp(1, 10)),
            ("templates/d.html", stamp(1, 10)),
        ]);
        let new = snap(&[
            ("content/a.md", stamp(1, 10)),
            ("content/b.md", stamp(2, 10)),
            ("static/c.css", stamp(1, 11)),
            ("static/e.svg", stamp(1, 1)),
        ]);
        assert_eq!(
            changes(&old, &new),
            [
                "content/b.md",
                "static/c.css",
                "static/e.svg",
                "templates/d.html"
            ]
            .map(PathBuf::from)
        );
        assert!(changes(&new, &new).is_empty());
    }

    #[test]
    fn snapshots_see_every_file_of_the_watched_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        fs::create_dir_all(root.join("content/sections")).unwrap();
        fs::create_dir_all(root.join("public")).unwrap();
        fs::write(root.join("content/sections/01-a.md"), "a").unwrap();
        fs::write(root.join("content/site.yaml"), "b").unwrap();
        fs::write(root.join("public/index.html"), "c").unwrap();
        let before = snapshot(root, &["content", "templates", "static"]);
        assert_eq!(
            before.keys().cloned().collect::<Vec<_>>(),
            ["content/sections/01-a.md", "content/site.yaml"].map(PathBuf::from)
        );
        fs::write(root.join("content/site.yaml"), "bb").unwrap();
        fs::remove_file(root.join("content/sections/01-a.md")).unwrap();
        let after = snapshot(root, &["content", "templates", "static"]);
        assert_eq!(
            changes(&before, &after),
            ["content/sections/01-a.md", "content/site.yaml"].map(PathBuf::from)
        );
    }

    #[test]
    fn a_burst_of_saves_makes_one_rebuild_after_a_quiet_spell() {
        let quiet = Duration::from_millis(100);
        let mut d = Debouncer::new(quiet);
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        assert!(!d.observe(false, at(0)), "nothing changed yet");
        // Saves at 0, 50 and 120 ms, polled every 50 ms.
        assert!(!d.observe(true, at(0)));
        assert!(!d.observe(true, at(50)));
        assert!(!d.observe(false, at(100)));
        assert!(!d.observe(true, at(120)));
        assert!(!d.observe(false, at(170)));
        assert!(d.observe(false, at(220)), "quiet for 100 ms: rebuild");
        assert!(!d.observe(false, at(270)), "only once");
        assert!(!d.observe(false, at(1000)));
        assert!(!d.observe(true, at(1010)));
        assert!(d.observe(false, at(1110)), "the next save rebuilds again");
    }
}
