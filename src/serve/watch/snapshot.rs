//! Snapshots of the watched folders and what changed between two of them: every file's
//! modification time and size, and a hash of its content while it is recent.
//!
//! A file saved twice within one tick of the file system's clock (up to 2 s on some file
//! systems) at the same size keeps its time and size; only its content tells. Files modified
//! within the last [`RECENT`] are therefore hashed, and compared by hash too; older files are
//! not read, so a snapshot of an idle site costs one `stat` per file.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use walkdir::WalkDir;

/// How long after its last modification a file's content is compared: longer than the
/// coarsest clock tick of common file systems (2 s on FAT) plus a look's delay.
pub const RECENT: Duration = Duration::from_secs(3);

/// What is compared of a file.
#[derive(Debug, Clone, Copy)]
pub struct Stamp {
    /// Modification time, when the file system keeps one.
    pub modified: Option<SystemTime>,
    /// Size in bytes.
    pub len: u64,
    /// A hash of the content, taken while the file is recent (or has no modification time).
    pub hash: Option<u64>,
}

impl Stamp {
    /// Whether nothing tells the two apart: same time and size, and same content where both
    /// know it.
    pub fn same_as(&self, other: &Stamp) -> bool {
        self.modified == other.modified
            && self.len == other.len
            && match (self.hash, other.hash) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

/// Every file under the watched folders, by path relative to the site folder.
pub type Snapshot = BTreeMap<PathBuf, Stamp>;

/// The files under `root/<dir>` for each of `dirs`, as of `now`; missing folders hold none,
/// and files that vanish while being looked at are skipped (the next snapshot sees them gone).
pub fn snapshot(root: &Path, dirs: &[&str], now: SystemTime) -> Snapshot {
    let mut files = Snapshot::new();
    for dir in dirs {
        for entry in WalkDir::new(root.join(dir)).into_iter().flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let (Ok(meta), Ok(rel)) = (entry.metadata(), entry.path().strip_prefix(root)) else {
                continue;
            };
            files.insert(rel.to_path_buf(), stamp(entry.path(), &meta, now));
        }
    }
    files
}

/// The stamp of the file `rel` under `root` as of `now`, if it is a file.
pub fn stamp_of(root: &Path, rel: &Path, now: SystemTime) -> Option<Stamp> {
    let path = root.join(rel);
    let meta = std::fs::metadata(&path).ok().filter(|m| m.is_file())?;
    Some(stamp(&path, &meta, now))
}

fn stamp(path: &Path, meta: &std::fs::Metadata, now: SystemTime) -> Stamp {
    let modified = meta.modified().ok();
    // A time after `now` (a clock set back) counts as recent.
    let recent = modified.is_none_or(|m| now.duration_since(m).is_ok_and(|d| d < RECENT))
        || modified.is_some_and(|m| m > now);
    let hash = if recent {
        std::fs::read(path).ok().map(|bytes| {
            let mut h = DefaultHasher::new();
            h.write(&bytes);
            h.finish()
        })
    } else {
        None
    };
    Stamp {
        modified,
        len: meta.len(),
        hash,
    }
}

/// The files added, removed or modified from `old` to `new`, sorted.
pub fn changes(old: &Snapshot, new: &Snapshot) -> Vec<PathBuf> {
    let mut changed: Vec<PathBuf> = new
        .iter()
        .filter(|(path, stamp)| !old.get(*path).is_some_and(|o| o.same_as(stamp)))
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(old.keys().filter(|p| !new.contains_key(*p)).cloned());
    changed.sort();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn stamp(secs: u64, len: u64) -> Stamp {
        Stamp {
            modified: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(secs)),
            len,
            hash: None,
        }
    }

    fn snap(files: &[(&str, Stamp)]) -> Snapshot {
        files.iter().map(|(p, s)| (PathBuf::from(p), *s)).collect()
    }

    const DIRS: [&str; 3] = ["content", "templates", "static"];

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
    fn content_tells_apart_files_of_equal_time_and_size() {
        let with = |hash| Stamp {
            hash,
            ..stamp(1, 10)
        };
        let old = snap(&[("content/a.md", with(Some(1)))]);
        let edited = snap(&[("content/a.md", with(Some(2)))]);
        let no_longer_recent = snap(&[("content/a.md", with(None))]);
        assert_eq!(changes(&old, &edited), [PathBuf::from("content/a.md")]);
        assert!(changes(&old, &no_longer_recent).is_empty());
        assert!(changes(&no_longer_recent, &old).is_empty());
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
        let before = snapshot(root, &DIRS, SystemTime::now());
        assert_eq!(
            before.keys().cloned().collect::<Vec<_>>(),
            ["content/sections/01-a.md", "content/site.yaml"].map(PathBuf::from)
        );
        fs::write(root.join("content/site.yaml"), "bb").unwrap();
        fs::remove_file(root.join("content/sections/01-a.md")).unwrap();
        let after = snapshot(root, &DIRS, SystemTime::now());
        assert_eq!(
            changes(&before, &after),
            ["content/sections/01-a.md", "content/site.yaml"].map(PathBuf::from)
        );
    }

    #[test]
    fn a_save_within_one_clock_tick_at_the_same_size_is_seen() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let path = root.join("content/a.md");
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, "aaaa").unwrap();
        let tick = fs::metadata(&path).unwrap().modified().unwrap();
        let before = snapshot(root, &DIRS, tick);
        fs::write(&path, "bbbb").unwrap();
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(tick)
            .unwrap();
        let after = snapshot(root, &DIRS, tick);
        assert_eq!(changes(&before, &after), [PathBuf::from("content/a.md")]);
        // Long after, the file is only looked at, not read.
        let later = snapshot(root, &DIRS, tick + RECENT);
        assert_eq!(later[&PathBuf::from("content/a.md")].hash, None);
        assert!(changes(&after, &later).is_empty());
    }
}
