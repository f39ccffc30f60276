//! Writes a built site to its output folder, all or nothing.
//!
//! The new site is written to a fresh folder beside the output, then swapped in with two
//! renames. A failure before the swap leaves the previous output exactly as it was; after it, no
//! file of the previous build remains (deleted pages do not linger).

use std::path::{Path, PathBuf};

use crate::fsutil::{self, FsError};
use crate::render::Output;

/// Replaces the folder `output` with exactly `files`.
pub fn replace_dir(output: &Path, files: &[Output]) -> Result<(), FsError> {
    let staging = sibling(output, "new");
    let previous = sibling(output, "old");
    fsutil::remove_dir_all(&staging)?;
    fsutil::remove_dir_all(&previous)?;
    if let Err(e) = write_all(&staging, files) {
        let _ = fsutil::remove_dir_all(&staging);
        return Err(e);
    }
    if output.exists() {
        fsutil::rename(output, &previous)?;
    }
    if let Err(e) = fsutil::rename(&staging, output) {
        // Put the previous build back so the output is never left missing.
        let _ = fsutil::rename(&previous, output);
        return Err(e);
    }
    fsutil::remove_dir_all(&previous)
}

fn write_all(dir: &Path, files: &[Output]) -> Result<(), FsError> {
    fsutil::create_dir_all(dir)?;
    for file in files {
        fsutil::write(&dir.join(&file.path), &file.bytes)?;
    }
    Ok(())
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

    #[test]
    fn replaces_the_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        replace_dir(&public, &[out("a/index.html", "one"), out("old.html", "x")]).unwrap();
        replace_dir(&public, &[out("a/index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(public.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!public.join("old.html").exists(), "stale file left behind");
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec!["public"]);
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let public = tmp.path().join("public");
        replace_dir(&public, &[out("index.html", "good")]).unwrap();
        // A file and a folder of the same name cannot both be written.
        let err = replace_dir(&public, &[out("x", "file"), out("x/y", "nested")]).unwrap_err();
        assert!(err.to_string().contains(".public.burnrate-new/x"), "{err}");
        assert_eq!(
            std::fs::read_to_string(public.join("index.html")).unwrap(),
            "good"
        );
    }
}
