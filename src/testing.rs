//! Helpers for the library's unit tests.

use std::fs;
use std::path::Path;

/// A copy of `tests/fixtures/minimal` with the real templates and static files, in a
/// temporary folder.
pub(crate) fn minimal_site() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    for (from, to) in [
        (
            repo.join("tests/fixtures/minimal"),
            tmp.path().to_path_buf(),
        ),
        (repo.join("templates"), tmp.path().join("templates")),
        (repo.join("static"), tmp.path().join("static")),
    ] {
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let target = to.join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                fs::create_dir_all(&target).unwrap();
            } else {
                fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    tmp
}
