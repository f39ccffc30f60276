//! Writes a built site to its output folder, only what changed, never half a site, and never
//! anywhere else.
//!
//! Before anything is touched, [`Staging::new`] refuses an output folder that is, holds or lies
//! inside one of the site's source folders, a plain file, a link, or a folder of files that
//! burnrate did not write (an output always holds `.nojekyll`). It then takes a lock beside the
//! output (`.public.burnrate-lock`), so two builds into one output never interleave: the second
//! is refused with a message.
//!
//! Each rendered file is hashed (a social card kept in the card store comes with its hash, as a
//! file: it is staged as a hard link to that file, never read); a file whose bytes the output's
//! manifest ([`manifest`]) vouches for is left alone, and every other file is staged beside the
//! output, on the same disk: into a staging folder of this process laid out as the output
//! (`.public.burnrate-new-<pid>`) when the whole folder will be swapped in, and as one numbered
//! file each (`.public.burnrate-new-<pid>-<n>`, no folder at all) when changed files will be
//! renamed into place, since on an ordinary disk a folder made and removed costs more than the
//! one page an edit changes. Only once the whole site rendered does [`Staging::commit`] touch the
//! output: it removes the files and folders that no longer belong, renames each changed file
//! over its old copy (one atomic rename each), and writes the new manifest last. A crash at any
//! point leaves every file either old or new, and the manifest stops vouching for any file it
//! changed, so the next build writes it again. The manifest also keeps the key each output was
//! made under (see `render::Recall`): a later build need not make again an output whose key is
//! unchanged and whose file the manifest still vouches for, and hands it here as a file already
//! in place.
//!
//! Without a manifest it can trust (a first build, or one edited by hand), the whole staging
//! folder is swapped in with two renames: the output becomes `.public.burnrate-old`, the staging
//! folder becomes the output, and only then is the old copy removed. A failure before the swap
//! leaves the previous output exactly as it was. A crash between the two renames leaves the
//! previous output complete in `.public.burnrate-old`: the next build (under the lock) puts it
//! back before it does anything else, and removes staging folders that crashed builds left
//! behind, and the files staged beside the output by builds that did not finish. Nothing ever
//! deletes the only complete copy.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use crate::fsutil::{self, FsError};

pub mod manifest;

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
    /// Changed files were being moved into the output when one could not be: every file is
    /// complete, some old and some new, and the next build finishes the job.
    Partial(FsError),
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
            WriteError::Partial(e) => write!(
                f,
                "{e}; the output holds some old and some new files, each complete, and the next \
                 build brings the rest up to date"
            ),
            WriteError::Stranded { error, kept } => write!(
                f,
                "{error}; the previous output is complete in {} and the next build puts it back",
                kept.display()
            ),
        }
    }
}

impl std::error::Error for WriteError {}

/// What [`Staging::commit`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files the site has (the manifest excepted).
    pub files: usize,
    /// Files written because their bytes changed or the old copy could not be trusted.
    pub written: usize,
    /// Files and folders removed because they no longer belong.
    pub removed: usize,
}

/// A new output being written beside the old one, under the output's lock; see the module notes.
///
/// Dropped without [`Staging::commit`], it removes what it wrote and leaves the previous output
/// as it was.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Held until the staging is committed or dropped; closing it releases the lock.
    _lock: fs::File,
    /// What the output holds and which of its files the manifest vouches for; `None` when the
    /// whole folder is replaced.
    previous: Option<manifest::Previous>,
    /// Every file of the new site.
    files: Mutex<Vec<Taken>>,
    /// Folders known to exist, so each is created once however many files it holds.
    made: Mutex<std::collections::HashSet<PathBuf>>,
    /// The failure of the first file (in path order) that could not be written.
    failed: Mutex<Option<(String, FsError)>>,
    /// Whether changed files are staged beside the output, one by one, rather than in a
    /// staging folder laid out as the output (true when the output has a manifest to trust).
    flat: bool,
    /// Files staged beside the output so far (the next one's number).
    staged: AtomicUsize,
    /// File operations done so far, and after how many to abort (see [`ABORT_AFTER`]).
    ops: AtomicUsize,
    abort_after: Option<usize>,
    committed: bool,
}

/// One file of the new site as the staging took it.
struct Taken {
    path: String,
    record: manifest::Record,
    /// Where it was staged if it changed (`None`: the output already holds it).
    staged: Option<PathBuf>,
    /// The key it was made under, for the manifest.
    key: Option<u64>,
}

/// Where a staged file's bytes come from.
enum Source<'a> {
    /// Bytes in memory, written out.
    Bytes(&'a [u8]),
    /// A file on disk, with its modification time: linked (or copied).
    Link(&'a Path, u128),
}

/// For the crash tests only: with this variable set to N, the writer aborts the process (as a
/// crash or a power cut would stop it) just before its file operation number N + 1.
pub const ABORT_AFTER: &str = "BURNRATE_ABORT_AFTER_FILE_OPS";

impl Staging {
    /// Checks that `output` may hold the site whose source folders are `sources` (the site
    /// folder first), locks it, recovers what a crashed build left, and reads what the output
    /// holds; a staging folder, when one is needed, is made when the first file is staged.
    pub fn new(output: &Path, sources: &[PathBuf]) -> Result<Self, WriteError> {
        refuse(output, sources)?;
        let parent = parent_of(output);
        fsutil::create_dir_all(&parent).map_err(WriteError::Io)?;
        let lock = lock(output, lock_file(output, true))?;
        recover(output).map_err(WriteError::Io)?;
        Ok(Staging::locked(output, lock))
    }

    /// What [`Staging::new`] gives, when getting it writes nothing: the output was built before
    /// (its lock file is there) and no crashed build left anything to repair. `None` when it
    /// would write, or has to wait until the site is known to build: a build with problems
    /// writes nothing. So a build can lock and read its output while the site loads.
    pub fn ready(output: &Path, sources: &[PathBuf]) -> Option<Result<Self, WriteError>> {
        if let Err(refused) = refuse(output, sources) {
            return Some(Err(refused));
        }
        let file = match lock_file(output, false) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
            file => file,
        };
        let lock = match lock(output, file) {
            Ok(lock) => lock,
            Err(e) => return Some(Err(e)),
        };
        (!needs_recovery(output)).then(|| Ok(Staging::locked(output, lock)))
    }

    /// A staging of `output`, whose `lock` it holds, once nothing is left to recover.
    fn locked(output: &Path, lock: fs::File) -> Self {
        let dir = sibling(output, &format!("new-{}", std::process::id()));
        let previous = manifest::previous(output);
        Staging {
            output: output.to_path_buf(),
            flat: previous.is_some(),
            previous,
            files: Mutex::new(Vec::new()),
            made: Mutex::new(std::collections::HashSet::new()),
            dir,
            _lock: lock,
            failed: Mutex::new(None),
            staged: AtomicUsize::new(0),
            ops: AtomicUsize::new(0),
            abort_after: std::env::var(ABORT_AFTER).ok().and_then(|n| n.parse().ok()),
            committed: false,
        }
    }

    /// What the output holds and which of its files the manifest vouches for, with their keys;
    /// `None` when the whole folder will be replaced.
    pub fn previous(&self) -> Option<&manifest::Previous> {
        self.previous.as_ref()
    }

    /// Takes one file (`path` relative to the output, with `/`), made under `key` if it has
    /// one, from any thread: stages it unless the output already holds these bytes. A failure
    /// is kept for [`Staging::commit`], which then refuses to touch the output.
    pub fn write(&self, path: &str, bytes: &[u8], key: Option<u64>) {
        self.take(path, manifest::Record::of(bytes), Source::Bytes(bytes), key);
    }

    /// Takes one file that is already on disk at `file` (a kept social card, or a page the
    /// output holds), whose bytes `record` describes, as [`Staging::write`] takes bytes: left
    /// alone when the output already holds these bytes, else staged as a hard link to it (a
    /// copy where no link can be made, as across disks), so its bytes are neither read nor
    /// written again.
    pub fn link(&self, path: &str, file: &Path, record: manifest::Record, key: Option<u64>) {
        self.take(path, record, Source::Link(file, record.mtime), key);
    }

    fn take(&self, path: &str, mut record: manifest::Record, source: Source<'_>, key: Option<u64>) {
        let kept = self
            .previous
            .as_ref()
            .and_then(|p| p.trusted.get(path))
            .filter(|old| old.same_bytes(&record));
        let staged = match kept {
            Some(old) => {
                record.mtime = old.mtime;
                None
            }
            None => match self.stage(path, source) {
                Ok((at, mtime)) => {
                    record.mtime = mtime;
                    Some(at)
                }
                Err(e) => {
                    let mut failed = self.failed.lock().unwrap_or_else(PoisonError::into_inner);
                    if failed
                        .as_ref()
                        .is_none_or(|(first, _)| path < first.as_str())
                    {
                        *failed = Some((path.to_string(), e));
                    }
                    return;
                }
            },
        };
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Taken {
                path: path.to_string(),
                record,
                staged,
                key,
            });
    }

    /// Stages `source` as the file for `path` and returns where, with the file's modification
    /// time.
    fn stage(&self, path: &str, source: Source<'_>) -> Result<(PathBuf, u128), FsError> {
        let target = if !self.flat {
            self.dir.join(path)
        } else if path == manifest::NAME {
            // Renamed into place one by one at commit: beside the output, numbered in the order
            // staged (the manifest by name, which no hexadecimal number spells).
            self.beside("manifest")
        } else {
            self.beside(&format!(
                "{:x}",
                self.staged.fetch_add(1, Ordering::Relaxed)
            ))
        };
        if !self.flat
            && let Some(parent) = target.parent()
        {
            let known = self
                .made
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .contains(parent);
            if !known {
                self.step();
                fsutil::create_dir_all(parent)?;
                self.made
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(parent.to_path_buf());
            }
        }
        self.step();
        let failure = |source| FsError {
            action: "write",
            path: target.clone(),
            source,
        };
        let meta = match source {
            Source::Bytes(bytes) => {
                let mut file = fs::File::create(&target).map_err(failure)?;
                io::Write::write_all(&mut file, bytes).map_err(failure)?;
                file.metadata().map_err(failure)?
            }
            // A link is the same file: its time is the one its owner knows.
            Source::Link(file, mtime) if fs::hard_link(file, &target).is_ok() => {
                return Ok((target, mtime));
            }
            Source::Link(file, _) => fs::copy(file, &target)
                .and_then(|_| fs::metadata(&target))
                .map_err(failure)?,
        };
        Ok((target, manifest::nanos(meta.modified()).unwrap_or_default()))
    }

    /// The file named `name` among those this process stages beside the output
    /// (`.public.burnrate-new-<pid>-<name>`).
    fn beside(&self, name: &str) -> PathBuf {
        let mut file = self.dir.clone().into_os_string();
        file.push(format!("-{name}"));
        PathBuf::from(file)
    }

    /// Counts one file operation, and aborts the process there when a crash test asks.
    fn step(&self) {
        let done = self.ops.fetch_add(1, Ordering::SeqCst);
        if self.abort_after == Some(done) {
            std::process::abort();
        }
    }

    /// Brings the output up to date, unless a file could not be written: replaces the whole
    /// folder when nothing in it could be trusted, or else removes what no longer belongs and
    /// renames each changed file into place. The staging folder is gone afterwards.
    pub fn commit(mut self) -> Result<Written, WriteError> {
        let failed =
            std::mem::take(&mut *self.failed.lock().unwrap_or_else(PoisonError::into_inner));
        if let Some((_, e)) = failed {
            return Err(WriteError::Io(e));
        }
        let mut files =
            std::mem::take(&mut *self.files.lock().unwrap_or_else(PoisonError::into_inner));
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        if let Some(e) = self.clash(&files) {
            return Err(WriteError::Io(e));
        }
        let mut written = Written {
            files: files.len(),
            written: files.iter().filter(|f| f.staged.is_some()).count(),
            removed: 0,
        };
        match self.previous.take() {
            None => {
                self.stage_manifest(&files)?;
                self.swap()?;
            }
            Some(previous) => {
                written.removed = self.remove_stale(&previous, &files)?;
                self.move_in(&files)?;
                // Keys change without the bytes when a page is made again under a new key
                // (another program, a changed template) into the same bytes.
                let rekeyed = files
                    .iter()
                    .any(|f| f.key != previous.keys.get(&f.path).copied());
                if written.written + written.removed > 0 || rekeyed {
                    let staged = self.stage_manifest(&files)?;
                    self.replace_manifest(&staged)?;
                }
                self.committed = true;
            }
        }
        Ok(written)
    }

    /// A file of the new site that would have to be a folder too (`x` beside `x/y`), which
    /// flat staging does not meet until files are moved into the output: found before the output
    /// is touched. (The render plan refuses such sites first; this keeps the writer safe alone.)
    fn clash(&self, files: &[Taken]) -> Option<FsError> {
        let paths: foldhash::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        files
            .iter()
            .flat_map(|f| folders_of(&f.path))
            .find(|dir| paths.contains(dir))
            .map(|dir| FsError {
                action: "create folder",
                path: self.dir.join(dir),
                source: io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "the site has a file of this name, and files inside a folder of this name",
                ),
            })
    }

    /// Puts the manifest staged at `staged` in place of the output's. The old one is removed
    /// first, so that the new one is not renamed over it: ext4 writes a file renamed over
    /// another out to disk during the rename (which keeps a page whole after a power cut), and
    /// that made the manifest's rename the slowest step of an edit's rebuild. The manifest needs
    /// no such care: one missing, cut short or emptied by a crash or a power cut fails its
    /// checksum or is not found, and the next build writes the whole folder again.
    fn replace_manifest(&self, staged: &Path) -> Result<(), WriteError> {
        let target = self.output.join(manifest::NAME);
        self.step();
        match fsutil::remove_file(&target) {
            Err(e) if e.source.kind() != io::ErrorKind::NotFound => {
                return Err(WriteError::Partial(e));
            }
            _ => {}
        }
        self.step();
        fsutil::rename(staged, &target).map_err(WriteError::Partial)
    }

    /// Stages the manifest of `files` and returns where.
    fn stage_manifest(&self, files: &[Taken]) -> Result<PathBuf, WriteError> {
        let listed = files.iter().map(|f| (f.path.as_str(), &f.record, f.key));
        let text = manifest::render_keyed(listed);
        self.stage(manifest::NAME, Source::Bytes(text.as_bytes()))
            .map(|(at, _)| at)
            .map_err(WriteError::Io)
    }

    /// Removes the folders and files of the output that the new site does not have, and
    /// returns how many it removed.
    fn remove_stale(
        &self,
        previous: &manifest::Previous,
        files: &[Taken],
    ) -> Result<usize, WriteError> {
        let wanted: foldhash::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let needed: foldhash::HashSet<&str> =
            files.iter().flat_map(|f| folders_of(&f.path)).collect();
        let mut removed: Vec<&PathBuf> = Vec::new();
        for dir in &previous.dirs {
            let is_needed = dir.to_str().is_some_and(|d| needed.contains(d));
            if !is_needed && !removed.iter().any(|r| dir.starts_with(r)) {
                self.step();
                remove_tree(&self.output.join(dir)).map_err(WriteError::Partial)?;
                removed.push(dir);
            }
        }
        let mut count = removed.len();
        for (rel, key) in &previous.files {
            let belongs = key.as_deref().is_some_and(|k| wanted.contains(k));
            if !belongs && !removed.iter().any(|r| rel.starts_with(r)) {
                self.step();
                fsutil::remove_file(&self.output.join(rel)).map_err(WriteError::Partial)?;
                count += 1;
            }
        }
        Ok(count)
    }

    /// Renames each staged file over its old copy in the output, creating folders it needs.
    fn move_in(&self, files: &[Taken]) -> Result<(), WriteError> {
        let mut made: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
        for (path, staged) in files
            .iter()
            .filter_map(|f| Some((&f.path, f.staged.as_ref()?)))
        {
            let target = self.output.join(path);
            if let Some(parent) = target.parent()
                && !made.contains(parent)
            {
                if !parent.is_dir() {
                    self.step();
                    fsutil::create_dir_all(parent).map_err(WriteError::Partial)?;
                }
                made.insert(parent.to_path_buf());
            }
            self.step();
            fsutil::rename(staged, &target).map_err(WriteError::Partial)?;
        }
        Ok(())
    }

    /// Swaps the staging folder in for the whole output: see the module notes.
    fn swap(&mut self) -> Result<(), WriteError> {
        let previous = sibling(&self.output, "old");
        if fs::symlink_metadata(&self.output).is_ok() {
            self.step();
            fsutil::rename(&self.output, &previous).map_err(WriteError::Io)?;
        }
        self.step();
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
        self.step();
        let _ = remove_tree(&previous);
        Ok(())
    }
}

impl Drop for Staging {
    /// Removes what this process staged and did not move into the output.
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if !self.flat {
            let _ = remove_tree(&self.dir);
        } else {
            for file in named_like(&self.beside("")) {
                let _ = fs::remove_file(file);
            }
        }
    }
}

/// The error for an `output` that may not hold the site whose source folders are `sources`.
fn refuse(output: &Path, sources: &[PathBuf]) -> Result<(), WriteError> {
    match refusal(output, sources) {
        Some(why) => Err(WriteError::Refused {
            output: output.to_path_buf(),
            why,
        }),
        None => Ok(()),
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

/// Opens the lock file of `output`, made if missing when `create`.
fn lock_file(output: &Path, create: bool) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .create(create)
        .truncate(false)
        .write(true)
        .open(sibling(output, "lock"))
}

/// Takes the lock of `output` in its lock `file` as [`lock_file`] opened it, or says another
/// build holds it.
fn lock(output: &Path, file: io::Result<fs::File>) -> Result<fs::File, WriteError> {
    let path = sibling(output, "lock");
    let file = file.map_err(|source| {
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

/// Whether [`recover`] has anything to do: an old copy, or a staging of a build that did not
/// finish, beside `output`. Only called under the lock.
fn needs_recovery(output: &Path) -> bool {
    fs::symlink_metadata(sibling(output, "old")).is_ok()
        || !named_like(&sibling(output, "new")).is_empty()
}

/// What the folder of `prefix` holds whose name starts with the name of `prefix`: the
/// stagings (folders and files) of `.public.burnrate-new`, or of one process.
fn named_like(prefix: &Path) -> Vec<PathBuf> {
    let start = prefix.file_name().unwrap_or_default().to_string_lossy();
    let Ok(entries) = fs::read_dir(parent_of(prefix)) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&*start))
        .map(|e| e.path())
        .collect()
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
    for staged in named_like(&sibling(output, "new")) {
        remove_tree(&staged)?;
    }
    Ok(())
}

/// Removes a folder and everything in it, on every core, or a file or link; what does not exist
/// is not an error. (An old site of ten thousand pages takes a single thread over a second
/// here.)
pub fn remove_tree(path: &Path) -> Result<(), FsError> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Ok(meta) if !meta.is_dir() => return fsutil::remove_file(path),
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

/// The folders an output path (`a/b/c.html`) is inside, innermost first (`a/b`, `a`).
fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    path.rmatch_indices('/').map(move |(i, _)| &path[..i])
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

    #[test]
    fn an_output_path_is_inside_each_of_its_folders() {
        let folders: Vec<&str> = folders_of("sections/openai/index.html").collect();
        assert_eq!(folders, ["sections/openai", "sections"]);
        assert_eq!(folders_of("index.html").count(), 0);
    }

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
    ) -> Result<Written, WriteError> {
        let staging = Staging::new(output, sources)?;
        staging.write(MARKER, b"", None);
        files
            .par_iter()
            .for_each(|(path, text)| staging.write(path, text.as_bytes(), None));
        staging.commit()
    }

    #[test]
    fn replaces_the_whole_folder_and_counts_what_it_wrote() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        build(&public, &[], &[("a/index.html", "one"), ("old.html", "x")]).unwrap();
        let written = build(&public, &[], &[("a/index.html", "two")]).unwrap();
        // Only the changed file is written; the marker is already in place.
        assert_eq!(
            written,
            Written {
                files: 2,
                written: 1,
                removed: 1
            }
        );
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
        staging.write("index.html", b"bad", None);
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
        // copy, and a complete staging folder; and a file an earlier crashed build staged
        // beside the output.
        fs::rename(&public, sibling(&public, "old")).unwrap();
        fs::create_dir(sibling(&public, "new-999999")).unwrap();
        fs::write(sibling(&public, "new-999998-1f"), "half").unwrap();
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
    fn a_staging_is_ready_early_only_when_getting_it_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        let ready = |public: &Path| Staging::ready(public, &[]).map(Result::unwrap);
        // Never built: the lock file would have to be made.
        assert!(ready(&public).is_none());
        assert!(entries(tmp.path()).is_empty());
        build(&public, &[], &[("index.html", "good")]).unwrap();
        // Built before, nothing to repair: locked, and the output read.
        let staging = ready(&public).expect("ready");
        assert!(staging.previous().is_some());
        let Some(Err(err)) = Staging::ready(&public, &[]) else {
            panic!("a second staging while the first holds the lock");
        };
        assert!(matches!(err, WriteError::Busy { .. }), "{err}");
        drop(staging);
        // A crashed build's staging is left for `new`, which repairs, once the site builds.
        fs::write(sibling(&public, "new-999998-1f"), "half").unwrap();
        assert!(ready(&public).is_none());
        fs::remove_file(sibling(&public, "new-999998-1f")).unwrap();
        fs::create_dir(sibling(&public, "old")).unwrap();
        assert!(ready(&public).is_none());
        assert_eq!(
            entries(tmp.path()),
            [".public.burnrate-lock", ".public.burnrate-old", "public"]
        );
        // An output that may not hold the site is refused at once.
        let Some(Err(err)) = Staging::ready(tmp.path(), &[tmp.path().to_path_buf()]) else {
            panic!("the site folder as its own output");
        };
        assert!(matches!(err, WriteError::Refused { .. }), "{err}");
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
