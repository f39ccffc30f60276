//! Writes a built site to its output folder, all or nothing, and never anywhere else.
//!
//! Before anything is touched, [`Staging::new`] refuses an output folder that is, holds or lies
//! inside one of the site's source folders, a plain file, a link, or a folder of files that
//! burnrate did not write (an output always holds `.nojekyll`). It then takes a lock beside the
//! output (`.public.burnrate-lock`), so two builds into one output never interleave: the second
//! is refused with a message.
//!
//! The new site is written into a staging folder of this process beside the output
//! (`.public.burnrate-new-<pid>`) and swapped in with two renames: the output becomes
//! `.public.burnrate-old`, the staging folder becomes the output, and only then is the old copy
//! removed. A failure before the swap leaves the previous output exactly as it was. A crash
//! between the two renames leaves the previous output complete in `.public.burnrate-old`: the
//! next build (under the lock) puts it back before it does anything else, and removes staging
//! folders that crashed builds left behind. Nothing ever deletes the only complete copy.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::fsutil::{self, FsError};

/// The file every output folder holds (GitHub Pages reads it too): its presence is how a folder
/// is known to be a site burnrate wrote, which a build may replace.
pub const MARKER: &str = ".nojekyll";

/// Why the output folder could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder may not be used; nothing was touched.
    Refused {
        /// The output as given.
        output: PathBuf,
        /// Why, and what to do instead.
        why: String,
    },
    /// Another build is writing to the same output; nothing was touched.
    Busy {
        /// The output as given.
        output: PathBuf,
    },
    /// A file could not be written or the new output could not be swapped in; the previous
    /// output is in place, as it was.
    Io(FsError),
    /// The swap failed half-way and the previous output could not be put back at once: it is
    /// complete in `kept`, and the next build puts it back.
    Stranded {
        /// The failure.
        error: FsError,
        /// Where the previous output is.
        kept: PathBuf,
    },
}

impl WriteError {
    /// True when the output folder as given cannot be used at all (a usage error).
    pub fn is_refusal(&self) -> bool {
        matches!(self, WriteError::Refused { .. })
    }
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Refused { output, why } => write!(
                f,
                "{}: cannot write the site here: {why}; nothing was written",
                output.display()
            ),
            WriteError::Busy { output } => write!(
                f,
                "{}: another burnrate build is writing to this folder right now; wait until it \
                 has finished and build again (nothing was written)",
                output.display()
            ),
            WriteError::Io(e) => write!(f, "{e}; the previous output was kept"),
            WriteError::Stranded { error, kept } => write!(
                f,
                "{error}; the previous output is complete in {} and the next build puts it back",
                kept.display()
            ),
        }
    }
}

impl std::error::Error for WriteError {}

/// A new output being written beside the old one, under the output's lock; see the module notes.
///
/// Dropped without [`Staging::commit`], it removes what it wrote and leaves the previous output
/// as it was.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Held until the staging is committed or dropped; closing it releases the lock.
    _lock: fs::File,
    /// Folders known to exist, so each is created once however many files it holds.
    made: Mutex<std::collections::HashSet<PathBuf>>,
    /// The failure of the first file (in path order) that could not be written.
    failed: Mutex<Option<(String, FsError)>>,
    /// Files written.
    written: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Checks that `output` may hold the site whose source folders are `sources` (the site
    /// folder first), locks it, recovers what a crashed build left, and starts a fresh staging
    /// folder beside it.
    pub fn new(output: &Path, sources: &[PathBuf]) -> Result<Self, WriteError> {
        if let Some(why) = refusal(output, sources) {
            return Err(WriteError::Refused {
                output: output.to_path_buf(),
                why,
            });
        }
        let parent = parent_of(output);
        fsutil::create_dir_all(&parent).map_err(WriteError::Io)?;
        let lock = lock(output)?;
        recover(output).map_err(WriteError::Io)?;
        let dir = sibling(output, &format!("new-{}", std::process::id()));
        fsutil::create_dir_all(&dir).map_err(WriteError::Io)?;
        Ok(Staging {
            output: output.to_path_buf(),
            made: Mutex::new([dir.clone()].into_iter().collect()),
            dir,
            _lock: lock,
            failed: Mutex::new(None),
            written: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Writes one file (`path` relative to the output, with `/`), from any thread. A failure is
    /// kept for [`Staging::commit`], which then refuses to swap.
    pub fn write(&self, path: &str, bytes: &[u8]) {
        let target = self.dir.join(path);
        let result = (|| {
            if let Some(parent) = target.parent() {
                let known = self
                    .made
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .contains(parent);
                if !known {
                    fsutil::create_dir_all(parent)?;
                    self.made
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .insert(parent.to_path_buf());
                }
            }
            fs::write(&target, bytes).map_err(|source| FsError {
                action: "write",
                path: target.clone(),
                source,
            })
        })();
        match result {
            Ok(()) => {
                self.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => {
                let mut failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
                if failed
                    .as_ref()
                    .is_none_or(|(first, _)| path < first.as_str())
                {
                    *failed = Some((path.to_string(), e));
                }
            }
        }
    }

    /// Swaps the new output in, unless a file could not be written, and returns how many files
    /// it holds. Either way the staging folder is gone afterwards.
    pub fn commit(mut self) -> Result<usize, WriteError> {
        let failed =
            std::mem::take(&mut *self.failed.lock().unwrap_or_else(PoisonError::into_inner));
        if let Some((_, e)) = failed {
            return Err(WriteError::Io(e));
        }
        let previous = sibling(&self.output, "old");
        if fs::symlink_metadata(&self.output).is_ok() {
            fsutil::rename(&self.output, &previous).map_err(WriteError::Io)?;
        }
        if let Err(error) = fsutil::rename(&self.dir, &self.output) {
            if fs::symlink_metadata(&previous).is_ok() {
                return match fsutil::rename(&previous, &self.output) {
                    Ok(()) => Err(WriteError::Io(error)),
                    Err(_) => Err(WriteError::Stranded {
                        error,
                        kept: previous,
                    }),
                };
            }
            return Err(WriteError::Io(error));
        }
        self.committed = true;
        // The new site is in place; an old copy that cannot be removed now is removed by the
        // next build.
        let _ = remove_tree(&previous);
        Ok(self.written.load(Ordering::Relaxed))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.dir);
        }
    }
}

/// Why `output` may not hold a built site, if it may not: see the module notes.
fn refusal(output: &Path, sources: &[PathBuf]) -> Option<String> {
    let out = resolve(output);
    let site = sources.first().map(|s| resolve(s));
    for source in sources {
        let src = resolve(source);
        let is_site = Some(&src) == site.as_ref();
        let name = if is_site {
            "the site folder".to_string()
        } else {
            format!("the source folder {}", source.display())
        };
        if out == src {
            return Some(format!(
                "it is {name}, which building would replace; choose a new folder such as public/"
            ));
        }
        if src.starts_with(&out) {
            return Some(format!(
                "it contains {name}, which building would replace; choose a new folder such as public/"
            ));
        }
        if !is_site && out.starts_with(&src) {
            return Some(format!(
                "it lies inside {name}, which holds files editors write; choose a folder outside it such as public/"
            ));
        }
    }
    let meta = fs::symlink_metadata(output).ok()?;
    if meta.file_type().is_symlink() {
        return Some("it is a link; give the folder it points to instead".into());
    }
    if !meta.is_dir() {
        return Some("it is a file, not a folder; choose a folder such as public/".into());
    }
    let mut entries = fs::read_dir(output).ok()?;
    let empty = entries.next().is_none();
    if !empty && !output.join(MARKER).is_file() {
        return Some(format!(
            "it holds files that burnrate did not write (a built site always has {MARKER}); \
             choose a new or empty folder, or move those files away first"
        ));
    }
    None
}

/// `path` made absolute, with `.` and `..` settled and links followed as far as it exists.
fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut resolved = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            other => {
                resolved.push(other);
                if let Ok(real) = fs::canonicalize(&resolved) {
                    resolved = real;
                }
            }
        }
    }
    resolved
}

/// Takes the lock of `output`, or says another build holds it.
fn lock(output: &Path) -> Result<fs::File, WriteError> {
    let path = sibling(output, "lock");
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| {
            WriteError::Io(FsError {
                action: "create the lock file",
                path: path.clone(),
                source,
            })
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(WriteError::Busy {
            output: output.to_path_buf(),
        }),
        Err(fs::TryLockError::Error(source)) => Err(WriteError::Io(FsError {
            action: "lock",
            path,
            source,
        })),
    }
}

/// Puts back a previous output that a crash left in the old copy's place, removes an old copy
/// that is no longer needed, and removes staging folders of builds that did not finish. Only
/// called under the lock, so no other build is using any of them.
fn recover(output: &Path) -> Result<(), FsError> {
    let previous = sibling(output, "old");
    if fs::symlink_metadata(&previous).is_ok() {
        if fs::symlink_metadata(output).is_err() {
            fsutil::rename(&previous, output)?;
        } else {
            remove_tree(&previous)?;
        }
    }
    let prefix = sibling(output, "new");
    let prefix = prefix.file_name().unwrap_or_default().to_string_lossy();
    let Ok(entries) = fs::read_dir(parent_of(output)) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&*prefix) {
            remove_tree(&entry.path())?;
        }
    }
    Ok(())
}

/// Removes a folder and everything in it, on every core; a folder that does not exist is not
/// an error. (An old site of ten thousand pages takes a single thread over a second here.)
pub fn remove_tree(path: &Path) -> Result<(), FsError> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Ok(meta) if !meta.is_dir() => return fsutil::remove_dir_all(path),
        _ => {}
    }
    empty_dir(path).map_err(|source| FsError {
        action: "remove",
        path: path.to_path_buf(),
        source,
    })?;
    fsutil::remove_dir_all(path)
}

/// Deletes what `dir` holds, sub-folders in parallel.
fn empty_dir(dir: &Path) -> io::Result<()> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|entry| {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            empty_dir(&path)?;
            fs::remove_dir(&path)
        } else {
            fs::remove_file(&path)
        }
    })
}

/// The folder `output` is in (`.` for a bare name).
fn parent_of(output: &Path) -> PathBuf {
    match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `public` → `.public.burnrate-<suffix>` in the same parent folder, so renames stay on one disk.
pub fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    parent_of(output).join(format!(".{name}.burnrate-{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap()
    }

    /// Names in `dir`, sorted: after a build only the output folder and its lock file.
    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn build(
        output: &Path,
        sources: &[PathBuf],
        files: &[(&str, &str)],
    ) -> Result<usize, WriteError> {
        let staging = Staging::new(output, sources)?;
        staging.write(MARKER, b"");
        files
            .par_iter()
            .for_each(|(path, text)| staging.write(path, text.as_bytes()));
        staging.commit()
    }

    #[test]
    fn replaces_the_whole_folder_and_counts_what_it_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        build(&public, &[], &[("a/index.html", "one"), ("old.html", "x")]).unwrap();
        let written = build(&public, &[], &[("a/index.html", "two")]).unwrap();
        assert_eq!(written, 2);
        assert_eq!(read(&public.join("a/index.html")), "two");
        assert!(!public.join("old.html").exists(), "stale file left behind");
        assert_eq!(entries(tmp.path()), [".public.burnrate-lock", "public"]);
    }

    #[test]
    fn a_failed_or_dropped_staging_leaves_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        build(&public, &[], &[("index.html", "good")]).unwrap();
        // A file and a folder of the same name cannot both be written.
        let err = build(&public, &[], &[("x", "file"), ("x/y", "nested")]).unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains(".public.burnrate-new-"), "{shown}");
        assert!(shown.ends_with("; the previous output was kept"), "{shown}");
        let staging = Staging::new(&public, &[]).unwrap();
        staging.write("index.html", b"bad");
        drop(staging);
        assert_eq!(read(&public.join("index.html")), "good");
        assert_eq!(entries(tmp.path()), [".public.burnrate-lock", "public"]);
    }

    #[test]
    fn a_crash_between_the_renames_is_recovered_by_the_next_build() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        build(&public, &[], &[("index.html", "good")]).unwrap();
        // What a crash after the first rename leaves: no output, the previous one as the old
        // copy, and a complete staging folder.
        fs::rename(&public, sibling(&public, "old")).unwrap();
        fs::create_dir(sibling(&public, "new-999999")).unwrap();
        // A build that fails to write puts the previous output back and says so truly.
        let err = build(&public, &[], &[("x", "file"), ("x/y", "nested")]).unwrap_err();
        assert!(matches!(err, WriteError::Io(_)), "{err}");
        assert_eq!(read(&public.join("index.html")), "good");
        assert_eq!(entries(tmp.path()), [".public.burnrate-lock", "public"]);
        // After a crash past the second rename, the old copy is removed.
        fs::create_dir(sibling(&public, "old")).unwrap();
        build(&public, &[], &[("index.html", "new")]).unwrap();
        assert_eq!(read(&public.join("index.html")), "new");
        assert_eq!(entries(tmp.path()), [".public.burnrate-lock", "public"]);
    }

    #[test]
    fn a_second_build_is_refused_while_the_first_holds_the_lock() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        build(&public, &[], &[("index.html", "good")]).unwrap();
        let first = Staging::new(&public, &[]).unwrap();
        let err = build(&public, &[], &[("index.html", "second")]).unwrap_err();
        assert!(matches!(err, WriteError::Busy { .. }), "{err}");
        drop(first);
        build(&public, &[], &[("index.html", "third")]).unwrap();
        assert_eq!(read(&public.join("index.html")), "third");
    }

    #[test]
    fn outputs_that_would_replace_what_editors_wrote_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let content = root.join("content");
        fs::create_dir_all(content.join("sections")).unwrap();
        fs::write(root.join("notes.txt"), "mine").unwrap();
        fs::create_dir_all(tmp.path().join("other")).unwrap();
        fs::write(tmp.path().join("other/a.txt"), "mine").unwrap();
        let sources = [root.clone(), content.clone()];
        let why = |output: &Path| match Staging::new(output, &sources) {
            Err(WriteError::Refused { why, .. }) => why,
            Err(other) => panic!("{}: {other}", output.display()),
            Ok(_) => panic!("{} was accepted", output.display()),
        };
        assert!(why(&root).starts_with("it is the site folder"));
        assert!(why(&root.join("public/..")).starts_with("it is the site folder"));
        assert!(why(tmp.path()).starts_with("it contains the site folder"));
        assert!(why(&content).starts_with("it is the source folder"));
        assert!(why(&content.join("sections/out")).starts_with("it lies inside the source folder"));
        assert!(why(&root.join("notes.txt")).starts_with("it is a file"));
        assert!(
            why(&tmp.path().join("other"))
                .starts_with("it holds files that burnrate did not write")
        );
        // Nothing was touched.
        assert_eq!(read(&root.join("notes.txt")), "mine");
        assert_eq!(read(&tmp.path().join("other/a.txt")), "mine");
        assert_eq!(entries(&root), ["content", "notes.txt"]);
        // A new folder inside the site, or an empty one, is fine.
        build(&root.join("public"), &sources, &[("index.html", "x")]).unwrap();
        fs::create_dir(tmp.path().join("empty")).unwrap();
        build(&tmp.path().join("empty"), &sources, &[("index.html", "x")]).unwrap();
    }
}
