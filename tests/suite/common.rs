//! Shared helpers: throw-away copies of fixture sites, ways to build and run them, and checks on
//! what they produce.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use burnrate::{BuildOptions, Summary, urlpath};
use tempfile::TempDir;
use walkdir::WalkDir;

/// The repository root: the real `content/`, `templates/` and `static/` live here.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/<rel>` in the repository.
pub fn tests_dir(rel: &str) -> PathBuf {
    repo().join("tests").join(rel)
}

/// A site copied into a temporary folder that is deleted when this is dropped.
pub struct TempSite {
    dir: TempDir,
}

/// What one run of the `burnrate` binary produced.
#[derive(Debug)]
pub struct Run {
    /// Exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Everything written to stdout.
    pub stdout: String,
    /// Everything written to stderr.
    pub stderr: String,
}

/// Copies `tests/fixtures/<name>/` into a fresh temporary folder, adding the project's real
/// `templates/` and `static/` unless the fixture has its own, so fixtures stay small and always
/// exercise the real templates.
pub fn fixture(name: &str) -> TempSite {
    let dir = tempfile::tempdir().expect("create temporary folder");
    let source = tests_dir("fixtures").join(name);
    assert!(source.is_dir(), "no fixture {}", source.display());
    copy_dir(&source, dir.path());
    for shared in ["templates", "static"] {
        if !dir.path().join(shared).exists() {
            copy_dir(&repo().join(shared), &dir.path().join(shared));
        }
    }
    TempSite { dir }
}

/// Copies every file under `from` to the same relative path under `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for (rel, bytes) in snapshot(from) {
        write_file(&to.join(rel), &bytes);
    }
}

fn write_file(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create folder");
    }
    fs::write(path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Every file under `dir` (relative path → bytes), the manifest of an output excepted (it
/// records when each file was written); empty when `dir` does not exist. Two equal snapshots
/// prove a folder was left untouched.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return files;
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk folder");
        if entry.file_type().is_file() && entry.file_name() != burnrate::write::manifest::NAME {
            let rel = entry.path().strip_prefix(dir).expect("inside dir");
            let bytes = fs::read(entry.path()).expect("read file");
            files.insert(rel.to_path_buf(), bytes);
        }
    }
    files
}

impl TempSite {
    /// The site's root folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `rel` under the site's root.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// The default output folder, `public/` under the root.
    pub fn public(&self) -> PathBuf {
        self.path("public")
    }

    /// Builds the site with the library into `public/`, as `burnrate build` would.
    pub fn build(&self) -> Result<Summary, burnrate::Error> {
        self.build_with(None, None)
    }

    /// Builds the site with the library, with an optional output folder and base URL.
    ///
    /// A build refused as busy touched nothing and is run again: the output's lock, taken by this
    /// test's previous build in this process, can live on for a moment in a child that another
    /// test is starting (a forked child holds the file until it runs its program).
    pub fn build_with(
        &self,
        output: Option<PathBuf>,
        base_url: Option<&str>,
    ) -> Result<Summary, burnrate::Error> {
        let options = BuildOptions {
            root: self.root().to_path_buf(),
            output,
            base_url: base_url.map(str::to_string),
            drafts: false,
            check_recalled: true,
        };
        for _ in 0..100 {
            match burnrate::build(&options) {
                Err(burnrate::Error::Write(burnrate::write::WriteError::Busy { .. })) => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                done => return done,
            }
        }
        burnrate::build(&options)
    }

    /// Runs the real `burnrate` binary with `args`, in the site's root folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    /// The text of `rel` (relative to the root); panics if it is missing.
    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// Writes `contents` to `rel`, creating folders: overlays a file on the site.
    pub fn write(&self, rel: impl AsRef<Path>, contents: impl AsRef<[u8]>) {
        write_file(&self.root().join(rel), contents.as_ref());
    }

    /// Replaces the first `from` in `rel` with `to`; panics if `rel` does not contain `from`.
    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, text.replacen(from, to, 1));
    }

    /// Deletes the file `rel`.
    pub fn remove(&self, rel: &str) {
        let path = self.path(rel);
        fs::remove_file(&path).unwrap_or_else(|e| panic!("remove {}: {e}", path.display()));
    }
}

/// Runs the real `burnrate` binary with `args` in the folder `cwd`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_burnrate"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("start burnrate");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Every `href`, `src` and `srcset` value in `html`, entity-decoded (as `check` reads them).
pub fn link_values(html: &str) -> Vec<String> {
    burnrate::check::html::links(html)
        .into_iter()
        .map(|a| a.value)
        .collect()
}

/// Every broken internal link of the site built into `out` for `base_url`: links that lack the
/// base path, point to no file, or name a `#fragment` that is no `id` in the target page.
///
/// A link resolves by stripping the base URL (or its path), `?query` and `#fragment`,
/// mapping `x/` to `x/index.html` and percent-decoding. Links to other sites are skipped.
pub fn broken_links(out: &Path, base_url: &str) -> Vec<String> {
    let base_path = burnrate::config::base_path(base_url);
    let base_path = base_path.as_str();
    let mut problems = Vec::new();
    let files = snapshot(out);
    for (rel, bytes) in &files {
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["html", "xml", "svg"].contains(&ext) {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for link in link_values(&text) {
            let target = if let Some(frag) = link.strip_prefix('#') {
                Some((rel.clone(), frag.to_string()))
            } else if let Some(rest) = link.strip_prefix(base_url) {
                Some(split_target(rest))
            } else if link.contains("://") || link.starts_with("mailto:") {
                None
            } else if let Some(rest) = link.strip_prefix(base_path) {
                Some(split_target(rest))
            } else {
                problems.push(format!(
                    "{}: link {link:?} does not start with {base_path}",
                    rel.display()
                ));
                None
            };
            let Some((path, fragment)) = target else {
                continue;
            };
            let (path, fragment) = match (
                urlpath::decode(&path.to_string_lossy()),
                urlpath::decode(&fragment),
            ) {
                (Ok(path), Ok(fragment)) => (PathBuf::from(path), fragment),
                (Err(e), _) | (_, Err(e)) => {
                    problems.push(format!("{}: link {link:?}: {e}", rel.display()));
                    continue;
                }
            };
            let Some(page) = files.get(&path) else {
                problems.push(format!(
                    "{}: link {link:?}: no file {}",
                    rel.display(),
                    path.display()
                ));
                continue;
            };
            let id = format!("id=\"{fragment}\"");
            if !fragment.is_empty() && !String::from_utf8_lossy(page).contains(&id) {
                problems.push(format!(
                    "{}: link {link:?}: no {id} in {}",
                    rel.display(),
                    path.display()
                ));
            }
        }
    }
    problems
}

/// `sections/a/?v=1#x` → (`sections/a/index.html`, `x`).
fn split_target(rest: &str) -> (PathBuf, String) {
    let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    (PathBuf::from(file), fragment.to_string())
}

/// `company/id` of every record of a `facts.json`, in file order.
pub fn fact_refs_in_json(json: &serde_json::Value) -> Vec<String> {
    json.as_array()
        .expect("an array of records")
        .iter()
        .map(|r| {
            format!(
                "{}/{}",
                r["company"].as_str().unwrap(),
                r["id"].as_str().unwrap()
            )
        })
        .collect()
}
