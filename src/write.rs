//! Writes a built site to its output folder, all or nothing.
//!
//! The new site is written to a fresh folder beside the output, then swapped in with two
//! renames. A failure before the swap leaves the previous output exactly as it was; after it, no
//! file of the previous build remains (deleted pages do not linger).
//!
//! [`Staging`] takes files one at a time from any thread, so a build writes each page as soon as
//! it is rendered; [`replace_dir`] writes a list of files in order.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::fsutil::{self, FsError};
use crate::render::Output;

/// Replaces the folder `output` with exactly `files`.
pub fn replace_dir(output: &Path, files: &[Output]) -> Result<(), FsError> {
    let staging = sibling(output, "new");
    let previous = sibling(output, "old");
    remove_tree(&staging)?;
    remove_tree(&previous)?;
    if let Err(e) = write_all(&staging, files) {
        let _ = remove_tree(&staging);
        return Err(e);
    }
    swap(output, &staging, &previous)
}

/// Puts `staging` in place of `output`, keeping the previous output until that worked, then
/// removes the previous output.
fn swap(output: &Path, staging: &Path, previous: &Path) -> Result<(), FsError> {
    if output.exists() {
        fsutil::rename(output, previous)?;
    }
    if let Err(e) = fsutil::rename(staging, output) {
        // Put the previous build back so the output is never left missing.
        let _ = fsutil::rename(previous, output);
        return Err(e);
    }
    remove_tree(previous)
}

fn write_all(dir: &Path, files: &[Output]) -> Result<(), FsError> {
    fsutil::create_dir_all(dir)?;
    for file in files {
        fsutil::write(&dir.join(&file.path), &file.bytes)?;
    }
    Ok(())
}

/// A new output being written beside the old one; see the module notes.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Folders known to exist, so each is created once however many files it holds.
    made: Mutex<HashSet<PathBuf>>,
    /// The failure of the first file (in path order) that could not be written.
    failed: Mutex<Option<(String, FsError)>>,
}

impl Staging {
    /// Starts a new output for `output`, in a fresh folder beside it.
    pub fn new(output: &Path) -> Result<Self, FsError> {
        let dir = sibling(output, "new");
        remove_tree(&dir)?;
        remove_tree(&sibling(output, "old"))?;
        fsutil::create_dir_all(&dir)?;
        let mut made = HashSet::new();
        made.insert(dir.clone());
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            made: Mutex::new(made),
            failed: Mutex::new(None),
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
        if let Err(e) = result {
            let mut failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
            if failed
                .as_ref()
                .is_none_or(|(first, _)| path < first.as_str())
            {
                *failed = Some((path.to_string(), e));
            }
        }
    }

    /// Swaps the new output in, unless a file could not be written; either way the staging
    /// folder is gone afterwards.
    pub fn commit(self) -> Result<(), FsError> {
        let failed = self
            .failed
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((_, e)) = failed {
            let _ = remove_tree(&self.dir);
            return Err(e);
        }
        let previous = sibling(&self.output, "old");
        if let Err(e) = swap(&self.output, &self.dir, &previous) {
            let _ = remove_tree(&self.dir);
            return Err(e);
        }
        Ok(())
    }

    /// Drops the new output; the previous one stays as it was.
    pub fn abandon(self) {
        let _ = remove_tree(&self.dir);
    }
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

/// `public` → `.public.burnrate-new` in the same parent folder, so renames stay on one disk.
fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.burnrate-{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(path: &str, text: &str) -> Output {
        Output {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap()
    }

    /// Names in `dir`: after a build only the output folder, no staging or old copy.
    fn entries(dir: &Path) -> Vec<std::ffi::OsString> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect()
    }

    #[test]
    fn replaces_the_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        replace_dir(&public, &[out("a/index.html", "one"), out("old.html", "x")]).unwrap();
        replace_dir(&public, &[out("a/index.html", "two")]).unwrap();
        assert_eq!(read(&public.join("a/index.html")), "two");
        assert!(!public.join("old.html").exists(), "stale file left behind");
        assert_eq!(entries(tmp.path()), vec!["public"]);
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        replace_dir(&public, &[out("index.html", "good")]).unwrap();
        // A file and a folder of the same name cannot both be written.
        let err = replace_dir(&public, &[out("x", "file"), out("x/y", "nested")]).unwrap_err();
        assert!(err.to_string().contains(".public.burnrate-new/x"), "{err}");
        assert_eq!(read(&public.join("index.html")), "good");
    }

    #[test]
    fn staged_files_written_from_many_threads_replace_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        replace_dir(&public, &[out("old.html", "x"), out("a/index.html", "one")]).unwrap();
        let staging = Staging::new(&public).unwrap();
        (0..64).into_par_iter().for_each(|i| {
            staging.write(&format!("s/{i}/index.html"), format!("page {i}").as_bytes());
        });
        staging.write("a/index.html", b"two");
        staging.commit().unwrap();
        assert_eq!(read(&public.join("s/63/index.html")), "page 63");
        assert_eq!(read(&public.join("a/index.html")), "two");
        assert!(!public.join("old.html").exists(), "stale file left behind");
        assert_eq!(entries(tmp.path()), vec!["public"]);
    }

    #[test]
    fn a_failed_or_abandoned_staging_leaves_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        replace_dir(&public, &[out("index.html", "good")]).unwrap();
        let staging = Staging::new(&public).unwrap();
        staging.write("x", b"file");
        staging.write("x/y", b"nested");
        let err = staging.commit().unwrap_err();
        assert!(err.to_string().contains(".public.burnrate-new/x"), "{err}");
        let staging = Staging::new(&public).unwrap();
        staging.write("index.html", b"bad");
        staging.abandon();
        assert_eq!(read(&public.join("index.html")), "good");
        assert_eq!(entries(tmp.path()), vec!["public"]);
    }
}
