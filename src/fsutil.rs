//! File helpers whose errors name the path they were working on, and the fingerprint of the
//! running program's own file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// An I/O failure on a named path.
#[derive(Debug)]
pub struct FsError {
    /// What was being done ("read", "write", "create folder").
    pub action: &'static str,
    /// The path it was done to.
    pub path: PathBuf,
    /// The operating system's reason.
    pub source: io::Error,
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: could not {}: {}",
            self.path.display(),
            self.action,
            self.source
        )
    }
}

impl std::error::Error for FsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn wrap<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> FsError + 'a {
    move |source| FsError {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Reads a file's bytes.
pub fn read(path: &Path) -> Result<Vec<u8>, FsError> {
    fs::read(path).map_err(wrap("read", path))
}

/// Writes `bytes` to `path`, creating missing parent folders.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    fs::write(path, bytes).map_err(wrap("write", path))
}

/// Writes a new file, creating missing parent folders; fails if the file exists.
pub fn create_new(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(wrap("create", path))
}

/// Creates a folder and its parents.
pub fn create_dir_all(path: &Path) -> Result<(), FsError> {
    fs::create_dir_all(path).map_err(wrap("create folder", path))
}

/// The cache folder `rel` (such as `.burnrate-cache/cards`) of the site at `root`, each of its
/// folders made if missing (perhaps by another build at once); `None` when one of them is a link
/// or cannot be made, so that a cache never writes through a link to somewhere else.
pub fn cache_dir(root: &Path, rel: &str) -> Option<PathBuf> {
    let real = |d: &Path| fs::symlink_metadata(d).is_ok_and(|m| m.is_dir());
    let mut dir = root.to_path_buf();
    for part in Path::new(rel).components() {
        dir.push(part);
        if !(real(&dir) || fs::create_dir(&dir).is_ok() || real(&dir)) {
            return None;
        }
    }
    Some(dir)
}

/// Removes a folder and everything in it; a folder that does not exist is not an error.
pub fn remove_dir_all(path: &Path) -> Result<(), FsError> {
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(wrap("remove", path)(e)),
        _ => Ok(()),
    }
}

/// Removes a file or a link (not what it points to).
pub fn remove_file(path: &Path) -> Result<(), FsError> {
    fs::remove_file(path).map_err(wrap("remove", path))
}

/// Renames `from` to `to`.
pub fn rename(from: &Path, to: &Path) -> Result<(), FsError> {
    fs::rename(from, to).map_err(wrap("rename", from))
}

/// A fingerprint of the running program: its version and the path, size and modification time
/// of its executable file, which any new build of it changes; `None` when they cannot be read.
/// What a build made under one program is never taken for what another would make.
pub fn program_print() -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let exe = std::env::current_exe().ok()?;
    let meta = fs::metadata(&exe).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut h = std::hash::DefaultHasher::new();
    (env!("CARGO_PKG_VERSION"), &exe, meta.len(), mtime).hash(&mut h);
    Some(h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_path() {
        let err = read(Path::new("/nonexistent/burnrate/x.yaml")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/nonexistent/burnrate/x.yaml: could not read: "),
            "{err}"
        );
    }
}
