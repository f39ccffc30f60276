//! Reads a site's folder into memory: the only part of the pipeline that reads content files.
//!
//! Every file is parsed by its module's pure `parse`; this module only finds the files, reads
//! them, and gathers every problem before giving up.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::chart::spec::{self, ChartSpec};
use crate::config::{self, SiteConfig};
use crate::diagnostic::Diagnostic;
use crate::facts::{self, Company};
use crate::fsutil;
use crate::section::{self, Page, Section};
use crate::strings::{self, Strings};

/// A site's content and words, as read from disk.
#[derive(Debug, Clone)]
pub struct Site {
    /// `content/site.yaml`.
    pub config: SiteConfig,
    /// `templates/strings/<language>.yaml`.
    pub strings: Strings,
    /// `content/companies/*.yaml`, by file name.
    pub companies: Vec<Company>,
    /// `content/sections/*.md` in reading order (drafts included; the renderer skips them).
    pub sections: Vec<Section>,
    /// `content/pages/*.md`, by file name.
    pub pages: Vec<Page>,
    /// `content/charts/*.yaml`, by file name.
    pub charts: Vec<ChartSpec>,
    /// Text of every content file, by the path diagnostics use, to point into it.
    pub sources: BTreeMap<PathBuf, String>,
    /// Templates under `templates/` (`.html`, `.xml`, `.txt`), by name relative to that folder.
    pub templates: Vec<(String, String)>,
    /// Files under `static/`, by path relative to that folder, copied to the output as they are.
    pub static_files: Vec<(String, Vec<u8>)>,
}

/// The path an editor knows a file by: relative to the current folder when the root is `.`.
pub fn display_path(root: &Path, rel: &Path) -> PathBuf {
    if root.as_os_str().is_empty() || root == Path::new(".") {
        rel.to_path_buf()
    } else {
        root.join(rel)
    }
}

/// Reads the site under `root`, reporting every unreadable or malformed file.
pub fn load(root: &Path) -> Result<Site, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut sources = BTreeMap::new();
    let mut read = |rel: &Path, problems: &mut Vec<Diagnostic>| -> Option<(PathBuf, String)> {
        let shown = display_path(root, rel);
        match fsutil::read_to_string(&root.join(rel)) {
            Ok(text) => {
                sources.insert(shown.clone(), text.clone());
                Some((shown, text))
            }
            Err(e) => {
                problems.push(unreadable(&shown, &e));
                None
            }
        }
    };

    let site_yaml = read(Path::new("content/site.yaml"), &mut problems);
    let config = site_yaml
        .as_ref()
        .and_then(|(path, text)| config::parse(path, text).map_err(|d| problems.push(d)).ok());

    let strings = config.as_ref().and_then(|c| {
        let rel = PathBuf::from(format!("templates/strings/{}.yaml", c.language));
        if !root.join(&rel).is_file() {
            let (path, src) = site_yaml.as_ref()?;
            let (line, column) = crate::diagnostic::locate_key(src, &["language"]);
            problems.push(Diagnostic::at(
                path,
                line,
                column,
                format!(
                    "language: there is no strings file {} for \"{}\"",
                    rel.display(),
                    c.language
                ),
            ));
            return None;
        }
        read(&rel, &mut problems).and_then(|(path, text)| {
            strings::parse(&path, &text)
                .map_err(|d| problems.push(d))
                .ok()
        })
    });

    let mut companies = Vec::new();
    for rel in files(root, "content/companies", "yaml", &mut problems) {
        if let Some((path, text)) = read(&rel, &mut problems) {
            let slug = stem(&rel);
            match facts::parse(&path, &slug, &text) {
                Ok(c) => companies.push(c),
                Err(ds) => problems.extend(ds),
            }
        }
    }

    let mut sections = Vec::new();
    for rel in files(root, "content/sections", "md", &mut problems) {
        if let Some((path, text)) = read(&rel, &mut problems) {
            match section::parse_section(&path, &text) {
                Ok(s) => sections.push(s),
                Err(d) => problems.push(d),
            }
        }
    }
    sections.sort_by_key(|s| s.meta.order);

    let mut pages = Vec::new();
    for rel in files(root, "content/pages", "md", &mut problems) {
        if let Some((path, text)) = read(&rel, &mut problems) {
            match section::parse_page(&path, &text) {
                Ok(p) => pages.push(p),
                Err(d) => problems.push(d),
            }
        }
    }

    let mut charts = Vec::new();
    for rel in files(root, "content/charts", "yaml", &mut problems) {
        if let Some((path, text)) = read(&rel, &mut problems) {
            match spec::parse(&path, &stem(&rel), &text) {
                Ok(c) => charts.push(c),
                Err(d) => problems.push(d),
            }
        }
    }

    let mut templates = Vec::new();
    for rel in tree(root, "templates", &["html", "xml", "txt"], &mut problems) {
        if let Some((_, text)) = read(&rel, &mut problems) {
            let name = rel.strip_prefix("templates").unwrap_or(&rel);
            templates.push((slash_path(name), text));
        }
    }

    let mut static_files = Vec::new();
    for rel in tree(root, "static", &[], &mut problems) {
        match fsutil::read(&root.join(&rel)) {
            Ok(bytes) => static_files.push((
                slash_path(rel.strip_prefix("static").unwrap_or(&rel)),
                bytes,
            )),
            Err(e) => problems.push(unreadable(&display_path(root, &rel), &e)),
        }
    }

    problems.sort();
    match (config, strings) {
        (Some(config), Some(strings)) if problems.is_empty() => Ok(Site {
            templates,
            static_files,
            config,
            strings,
            companies,
            sections,
            pages,
            charts,
            sources,
        }),
        _ => Err(problems),
    }
}

/// "file not found" for a missing file (the same words on every system), the system's reason
/// otherwise.
fn unreadable(shown: &Path, e: &fsutil::FsError) -> Diagnostic {
    if e.source.kind() == std::io::ErrorKind::NotFound {
        Diagnostic::file(shown, "file not found")
    } else {
        Diagnostic::file(shown, format!("could not read: {}", e.source))
    }
}

/// A relative path with `/` separators, as used in URLs and template names.
fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Files under `root/dir` at any depth (with one of `exts`, or any when empty), relative to
/// `root`, sorted by path.
fn tree(root: &Path, dir: &str, exts: &[&str], problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let base = root.join(dir);
    if !base.is_dir() {
        problems.push(Diagnostic::file(
            &display_path(root, Path::new(dir)),
            "folder not found",
        ));
        return Vec::new();
    }
    let mut found = Vec::new();
    for entry in WalkDir::new(&base).min_depth(1).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let wanted = exts.is_empty()
                    || e.path()
                        .extension()
                        .is_some_and(|x| exts.iter().any(|w| x == *w));
                if wanted && let Ok(rel) = e.path().strip_prefix(root) {
                    found.push(rel.to_path_buf());
                }
            }
            Ok(_) => {}
            Err(e) => problems.push(Diagnostic::file(
                &display_path(root, Path::new(dir)),
                format!("could not list folder: {e}"),
            )),
        }
    }
    found
}

fn stem(rel: &Path) -> String {
    rel.file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned())
}

/// Files with extension `ext` directly in `root/dir`, relative to `root`, sorted by name.
/// A missing folder holds no files.
fn files(root: &Path, dir: &str, ext: &str, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for entry in WalkDir::new(&base)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        match entry {
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext) => {
                found.push(Path::new(dir).join(e.file_name()));
            }
            Ok(_) => {}
            Err(e) => problems.push(Diagnostic::file(
                &display_path(root, Path::new(dir)),
                format!("could not list folder: {e}"),
            )),
        }
    }
    found
}

impl Site {
    /// The company with file stem `slug`.
    pub fn company(&self, slug: &str) -> Option<&Company> {
        self.companies.iter().find(|c| c.slug == slug)
    }

    /// The fact a reference `<company>/<fact id>` names.
    pub fn fact(&self, target: &str) -> Option<(&Company, &crate::facts::Fact)> {
        let (slug, id) = target.split_once('/')?;
        let company = self.company(slug)?;
        company
            .facts
            .iter()
            .find(|f| f.id == id)
            .map(|f| (company, f))
    }

    /// Sections that are published (not drafts), in reading order.
    pub fn published_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| !s.meta.draft)
    }
}
