//! Noticing saves under the watched folders, and when a burst of them has settled enough to
//! rebuild once.
//!
//! The system's change notifications ([`native`]) are used where they work: an idle preview
//! then does nothing at all. Where they do not (some network and virtual file systems, or
//! `--poll`), the folders are looked at every 100 ms instead. Either way, what changed is
//! found by comparing [`snapshot`]s, so both modes see additions, removals and edits alike.

pub mod native;
pub mod snapshot;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use native::Native;
use snapshot::Snapshot;

/// How often the folders are looked at when polling.
pub const POLL: Duration = Duration::from_millis(100);
/// How long the files must stay unchanged before a rebuild, so a burst of saves makes one,
/// when polling: two looks.
const QUIET: Duration = Duration::from_millis(100);
/// The same when the system reports changes: an editor's save (write a copy, rename it over the
/// file) reaches us as events a few milliseconds apart, and waiting longer is pure delay on the
/// way to the browser.
const SETTLE: Duration = Duration::from_millis(15);

/// Watches some folders of a site.
pub struct Watcher {
    root: PathBuf,
    dirs: &'static [&'static str],
    files: Snapshot,
    /// The system's notifications; `None` when polling.
    native: Option<Native>,
}

impl Watcher {
    /// Starts watching `root/<dir>` for each of `dirs`: through the system's notifications
    /// unless `poll`, and by polling when they cannot start (the second value says why).
    pub fn start(
        root: &Path,
        dirs: &'static [&'static str],
        poll: bool,
    ) -> (Watcher, Option<notify::Error>) {
        let (native, failed) = if poll {
            (None, None)
        } else {
            match Native::start(root, dirs) {
                Ok(native) => (Some(native), None),
                Err(e) => (None, Some(e)),
            }
        };
        let watcher = Watcher {
            root: root.to_path_buf(),
            dirs,
            files: snapshot::snapshot(root, dirs, SystemTime::now()),
            native,
        };
        (watcher, failed)
    }

    /// Whether the folders are polled rather than watched through notifications.
    pub fn polling(&self) -> bool {
        self.native.is_none()
    }

    /// Blocks until files have changed and settled; returns them (relative to the root,
    /// sorted). Falls back to polling, and says so, if the notifications stop.
    pub fn wait(&mut self) -> Vec<PathBuf> {
        loop {
            let Some(native) = &mut self.native else {
                return self.poll();
            };
            let Some(named) = native.wait(SETTLE) else {
                eprintln!(
                    "the system stopped reporting changes; checking files every 100 ms instead"
                );
                self.native = None;
                continue;
            };
            // Folders made (or made again) since the start are watched from now on.
            if let Err(e) = native.refresh(self.dirs, &named) {
                eprintln!(
                    "could not watch a new folder through the system ({e}); checking files every \
                     100 ms instead"
                );
                self.native = None;
            }
            // Saves to files already known are looked at alone: a snapshot stats every file
            // (eleven thousand on a large site). Anything else (a file added, removed or renamed
            // into place, a folder) takes a whole snapshot.
            if let Some(saved) = self.saves_only(&named) {
                return saved;
            }
            let now = self.look();
            let mut changed: BTreeSet<PathBuf> =
                snapshot::changes(&self.files, &now).into_iter().collect();
            // A file the system names is passed on even if time, size and hash look the same.
            changed.extend(
                named
                    .into_iter()
                    .filter(|p| now.contains_key(p) || self.files.contains_key(p)),
            );
            self.files = now;
            if !changed.is_empty() {
                return changed.into_iter().collect();
            }
        }
    }

    /// Looks every [`POLL`] until files have changed and then stayed unchanged for a while.
    fn poll(&mut self) -> Vec<PathBuf> {
        let mut debouncer = Debouncer::new(QUIET);
        let mut pending = BTreeSet::new();
        loop {
            thread::sleep(POLL);
            let now = self.look();
            let changed = snapshot::changes(&self.files, &now);
            self.files = now;
            let any = !changed.is_empty();
            pending.extend(changed);
            if debouncer.observe(any, Instant::now()) {
                return pending.into_iter().collect();
            }
        }
    }

    /// When every path in `named` is a file the last snapshot has and still exists, its new
    /// stamp replaces the old and the named files are returned (the system named them, so they
    /// are passed on even if time, size and hash look the same); `None` otherwise.
    fn saves_only(&mut self, named: &[PathBuf]) -> Option<Vec<PathBuf>> {
        if named.is_empty() {
            return None;
        }
        let now = SystemTime::now();
        let mut stamps = Vec::with_capacity(named.len());
        for rel in named {
            if !self.files.contains_key(rel) {
                return None;
            }
            stamps.push((rel.clone(), snapshot::stamp_of(&self.root, rel, now)?));
        }
        let mut saved: Vec<PathBuf> = stamps.iter().map(|(rel, _)| rel.clone()).collect();
        self.files.extend(stamps);
        saved.sort();
        saved.dedup();
        Some(saved)
    }

    fn look(&self) -> Snapshot {
        snapshot::snapshot(&self.root, self.dirs, SystemTime::now())
    }
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
    use std::sync::mpsc;

    const DIRS: [&str; 3] = ["content", "templates", "static"];

    /// What `watcher.wait()` returns after `save` runs, within a bound.
    fn after(mut watcher: Watcher, save: impl FnOnce()) -> Vec<PathBuf> {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let _ = tx.send(watcher.wait());
        });
        save();
        rx.recv_timeout(Duration::from_secs(20))
            .expect("no change noticed within 20 s")
    }

    #[test]
    fn notifications_name_saved_files_even_in_folders_made_later() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        fs::create_dir_all(root.join("content")).unwrap();
        let (watcher, failed) = Watcher::start(&root, &DIRS, false);
        assert!(failed.is_none(), "{failed:?}");
        assert!(!watcher.polling());
        let changed = after(watcher, || {
            fs::create_dir_all(root.join("static/css")).unwrap();
            fs::write(root.join("static/css/a.css"), "a{}").unwrap();
        });
        assert_eq!(changed, [PathBuf::from("static/css/a.css")]);
    }

    #[test]
    fn a_folder_removed_and_made_again_is_watched_again() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        fs::create_dir_all(root.join("content")).unwrap();
        fs::write(root.join("content/a.md"), "a").unwrap();
        let (watcher, _) = Watcher::start(&root, &DIRS, false);
        let (tx, rx) = mpsc::channel();
        let mut watcher = watcher;
        thread::spawn(move || {
            loop {
                if tx.send(watcher.wait()).is_err() {
                    return;
                }
            }
        });
        let next = || {
            rx.recv_timeout(Duration::from_secs(20))
                .expect("no change noticed within 20 s")
        };
        fs::remove_dir_all(root.join("content")).unwrap();
        assert_eq!(next(), [PathBuf::from("content/a.md")]);
        fs::create_dir_all(root.join("content")).unwrap();
        // The folder alone holds no file: nothing to rebuild until one is saved in it.
        fs::write(root.join("content/b.md"), "b").unwrap();
        assert_eq!(next(), [PathBuf::from("content/b.md")]);
        fs::write(root.join("content/b.md"), "bb").unwrap();
        assert_eq!(next(), [PathBuf::from("content/b.md")], "watched again");
    }

    #[test]
    fn polling_is_the_fallback_and_sees_saves_too() {
        let (watcher, failed) = Watcher::start(Path::new("/no/such/site"), &DIRS, false);
        assert!(failed.is_some(), "a watch of nothing cannot start");
        assert!(watcher.polling());

        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().to_path_buf();
        let (watcher, failed) = Watcher::start(&root, &DIRS, true);
        assert!(failed.is_none() && watcher.polling());
        let changed = after(watcher, || {
            fs::create_dir_all(root.join("content")).unwrap();
            fs::write(root.join("content/site.yaml"), "title: x").unwrap();
        });
        assert_eq!(changed, [PathBuf::from("content/site.yaml")]);
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
