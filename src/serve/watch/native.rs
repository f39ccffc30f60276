//! The operating system's change notifications (inotify, FSEvents, ReadDirectoryChangesW,
//! kqueue) through the `notify` crate: nothing runs until a file changes.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

/// A running watch of some folders of a site.
pub struct Native {
    /// Kept alive: dropping it ends the watch.
    watcher: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    /// The watched folders (relative to `root`) watched so far.
    watched: Vec<PathBuf>,
}

impl Native {
    /// Starts watching `root/<dir>` for each of `dirs` that exists, and `root` itself so a
    /// folder created later is noticed; an error when the system cannot watch.
    pub fn start(root: &Path, dirs: &[&str]) -> notify::Result<Native> {
        let (tx, events) = mpsc::channel();
        let watcher = notify::recommended_watcher(tx)?;
        let root = root.canonicalize().map_err(notify::Error::io)?;
        let mut native = Native {
            watcher,
            events,
            root,
            watched: Vec::new(),
        };
        native
            .watcher
            .watch(&native.root, RecursiveMode::NonRecursive)?;
        native.watch_new(dirs)?;
        Ok(native)
    }

    /// Watches again those of `dirs` that `named` (paths of a burst) says were made, moved
    /// or removed themselves, since a watch ends with its folder, and watches folders made
    /// since the start.
    pub fn refresh(&mut self, dirs: &[&str], named: &[PathBuf]) -> notify::Result<()> {
        for dir in dirs {
            let dir = PathBuf::from(dir);
            if named.contains(&dir) && self.watched.contains(&dir) {
                // The old watch may be gone already, with its folder.
                let _ = self.watcher.unwatch(&self.root.join(&dir));
                self.watched.retain(|d| *d != dir);
            }
        }
        self.watch_new(dirs)
    }

    /// Watches those of `dirs` that exist and are not watched yet.
    fn watch_new(&mut self, dirs: &[&str]) -> notify::Result<()> {
        for dir in dirs {
            let dir = PathBuf::from(dir);
            let path = self.root.join(&dir);
            if !self.watched.contains(&dir) && path.is_dir() {
                self.watcher.watch(&path, RecursiveMode::Recursive)?;
                self.watched.push(dir);
            }
        }
        Ok(())
    }

    /// Blocks until something changes, then gathers notifications until `quiet` passes
    /// without one, so a burst of saves makes one rebuild; returns the paths they name,
    /// relative to the root (files or folders, some gone). Files being opened (as every build
    /// does) are no change. The caller compares snapshots as well, so a notification that
    /// names no path, or fails, still leads to a look at every file. `None` when the watch has
    /// died.
    pub fn wait(&self, quiet: Duration) -> Option<Vec<PathBuf>> {
        let mut paths = Vec::new();
        let mut timeout = None;
        loop {
            let event = match timeout {
                None => self.events.recv().ok()?,
                Some(quiet) => match self.events.recv_timeout(quiet) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => return Some(paths),
                    Err(RecvTimeoutError::Disconnected) => return None,
                },
            };
            match event {
                Ok(e) if matches!(e.kind, EventKind::Access(_)) => continue,
                Ok(e) => paths.extend(
                    e.paths
                        .iter()
                        .filter_map(|p| p.strip_prefix(&self.root).ok())
                        .map(Path::to_path_buf),
                ),
                Err(_) => {}
            }
            timeout = Some(quiet);
        }
    }
}
