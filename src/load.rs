//! Reads a site's folder into memory: the only part of the pipeline that reads content files.
//!
//! Every file is parsed by its module's pure `parse`; this module only finds the files, reads
//! them, and gathers every problem before giving up.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::chart::spec::{self, ChartSpec};
use crate::config::{self, SiteConfig};
use crate::diagnostic::Diagnostic;
use crate::facts::{self, Company, FastMap};
use crate::fsutil;
use crate::localized::Reading;
use crate::section::{self, Page, Section};
use crate::strings::{self, Strings};
use crate::text;

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
    /// `companies` by slug, for fact references; rebuilt by [`Site::reindex`].
    pub index: facts::Index,
    /// Draft companies left out of what is published ([`Site::published`]): slug and file.
    pub draft_companies: Vec<(String, PathBuf)>,
    /// A number for the text of each content file (by the path diagnostics use) that no other
    /// text of that file has had in this process: equal numbers mean equal texts, so caches can
    /// tell a changed section from an unchanged one without reading it (see [`Site::revision`]).
    pub revisions: FastMap<OsString, u64>,
    /// The site's other editions, one per language after the default (see [`crate::lang`]),
    /// each read whole in its language; empty for a site of one language.
    pub translations: Vec<Site>,
    /// Which edition this is among all, set by [`crate::lang::editions`] for rendering a site of
    /// several languages; `None` otherwise.
    pub edition: Option<crate::lang::Edition>,
}

/// Hands out [`Site::revisions`]: every text read gets the next number.
static NEXT_REVISION: AtomicU64 = AtomicU64::new(1);

fn next_revision() -> u64 {
    NEXT_REVISION.fetch_add(1, Ordering::Relaxed)
}

/// The path an editor knows a file by: relative to the current folder when the root is `.`.
pub fn display_path(root: &Path, rel: &Path) -> PathBuf {
    if root.as_os_str().is_empty() || root == Path::new(".") {
        rel.to_path_buf()
    } else {
        root.join(rel)
    }
}

/// The content files that hold one item each, and where they live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    /// `content/companies/*.yaml`.
    Company,
    /// `content/sections/*.md`.
    Section,
    /// `content/pages/*.md`.
    Page,
    /// `content/charts/*.yaml`.
    Chart,
}

impl ContentKind {
    const ALL: [ContentKind; 4] = [
        ContentKind::Company,
        ContentKind::Section,
        ContentKind::Page,
        ContentKind::Chart,
    ];

    fn dir(self) -> &'static str {
        match self {
            ContentKind::Company => "content/companies",
            ContentKind::Section => "content/sections",
            ContentKind::Page => "content/pages",
            ContentKind::Chart => "content/charts",
        }
    }

    fn ext(self) -> &'static str {
        match self {
            ContentKind::Company | ContentKind::Chart => "yaml",
            ContentKind::Section | ContentKind::Page => "md",
        }
    }
}

/// One content file, parsed.
#[derive(Debug, Clone)]
enum Item {
    Company(Company),
    Section(Section),
    Page(Page),
    Chart(ChartSpec),
}

/// Parses the text of a content file of `kind`, shown to editors as `path`.
fn parse_item(
    kind: ContentKind,
    path: &Path,
    rel: &Path,
    text: &str,
    reading: &Reading,
) -> Result<Item, Vec<Diagnostic>> {
    crate::localized::in_language(reading, || parse_item_in(kind, path, rel, text))
}

fn parse_item_in(
    kind: ContentKind,
    path: &Path,
    rel: &Path,
    text: &str,
) -> Result<Item, Vec<Diagnostic>> {
    match kind {
        ContentKind::Company => facts::parse(path, &stem(rel), text).map(Item::Company),
        ContentKind::Section => section::parse_section(path, text)
            .map(Item::Section)
            .map_err(|d| vec![d]),
        ContentKind::Page => section::parse_page(path, text)
            .map(Item::Page)
            .map_err(|d| vec![d]),
        ContentKind::Chart => spec::parse(path, &stem(rel), text)
            .map(Item::Chart)
            .map_err(|d| vec![d]),
    }
}

/// A content file read and parsed: its shown path, its text if it could be read, and the item or
/// the problems.
type Loaded = (PathBuf, Option<String>, Result<Item, Vec<Diagnostic>>);

/// Reads and parses `rels`, on every core; the results are in the order of `rels`. The texts
/// are handed back only if `keep` (else each is dropped as soon as it is parsed).
fn read_and_parse(
    root: &Path,
    kind: ContentKind,
    rels: &[PathBuf],
    keep: bool,
    reading: &Reading,
) -> Vec<Loaded> {
    rels.par_iter()
        .map(|rel| {
            let shown = display_path(root, rel);
            if let Some(problem) = bad_file_name(kind, &shown, rel) {
                return (shown, None, Err(vec![problem]));
            }
            match read_text(root, rel, &shown) {
                Ok(text) => {
                    let parsed = parse_item(kind, &shown, rel, &text, reading);
                    (shown, Some(text).filter(|_| keep), parsed)
                }
                Err(problem) => (shown, None, Err(vec![problem])),
            }
        })
        .collect()
}

/// Reads the site under `root`, reporting every unreadable or malformed file.
///
/// The files are read and parsed on every core; what comes out does not depend on how many.
pub fn load(root: &Path) -> Result<Site, Vec<Diagnostic>> {
    load_keeping(root, true)
}

/// Like [`load`], but `sources` leaves out the texts of sections, pages and companies, which
/// validation only reads to point at a problem: a build of ten thousand sections holds 50 MB
/// less. Whoever validates such a site and finds problems loads it again with [`load`] to
/// report them.
pub fn load_lean(root: &Path) -> Result<Site, Vec<Diagnostic>> {
    load_keeping(root, false)
}

fn load_keeping(root: &Path, all_sources: bool) -> Result<Site, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut sources = BTreeMap::new();
    let mut read = |rel: &Path, problems: &mut Vec<Diagnostic>| -> Option<(PathBuf, String)> {
        let shown = display_path(root, rel);
        if let Some(problem) = link_problem(root, rel) {
            problems.push(problem);
            return None;
        }
        match read_text(root, rel, &shown) {
            Ok(text) => {
                sources.insert(shown.clone(), text.clone());
                Some((shown, text))
            }
            Err(problem) => {
                problems.push(problem);
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
                    "language: there is no strings file templates/strings/{0}.yaml for \"{0}\"",
                    crate::diagnostic::shorten(&c.language)
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
    let mut sections = Vec::new();
    let mut pages = Vec::new();
    let mut charts = Vec::new();
    let mut revisions = FastMap::default();
    let lists: Vec<(ContentKind, Vec<PathBuf>)> = ContentKind::ALL
        .iter()
        .map(|&kind| (kind, files(root, kind.dir(), kind.ext(), &mut problems)))
        .collect();
    let reading = config.as_ref().map_or_else(
        || Reading {
            language: String::new(),
            default: String::new(),
            languages: Vec::new(),
        },
        |c| crate::lang::reading(c, &c.language),
    );
    for (kind, rels) in &lists {
        let keep = all_sources || *kind == ContentKind::Chart;
        for (shown, text, parsed) in read_and_parse(root, *kind, rels, keep, &reading) {
            revisions.insert(shown.clone().into_os_string(), next_revision());
            if let Some(text) = text {
                sources.insert(shown, text);
            }
            match parsed {
                Ok(Item::Company(c)) => companies.push(c),
                Ok(Item::Section(s)) => sections.push(s),
                Ok(Item::Page(p)) => pages.push(p),
                Ok(Item::Chart(c)) => charts.push(c),
                Err(ds) => problems.extend(ds),
            }
        }
    }
    sections.sort_by_key(|s| s.meta.order);

    let template_files = tree(root, "templates", &["html", "xml", "txt"], &mut problems);
    let mut templates = Vec::new();
    let texts: Vec<_> = template_files
        .par_iter()
        .map(|rel| (rel, read_text(root, rel, &display_path(root, rel))))
        .collect();
    for (rel, read) in texts {
        match read {
            Ok(text) => {
                let name = rel.strip_prefix("templates").unwrap_or(rel);
                sources.insert(display_path(root, rel), text.clone());
                templates.push((slash_path(name), text));
            }
            Err(problem) => problems.push(problem),
        }
    }

    let mut static_paths = tree(root, "static", &[], &mut problems);
    static_paths.retain(|rel| {
        let plain = rel
            .components()
            .all(|c| crate::slug::is_plain_segment(&c.as_os_str().to_string_lossy()));
        if !plain {
            problems.push(Diagnostic::file(
                &display_path(root, rel),
                "this file is published at an address made of its path, which may not hold \
                 spaces or any of # ? % \" < > \\ ^ ` { } |; rename it (a-z, 0-9, - and _ are \
                 safest)",
            ));
        }
        plain
    });
    let mut static_files = Vec::new();
    let bytes: Vec<_> = static_paths
        .par_iter()
        .map(|rel| (rel, fsutil::read(&root.join(rel))))
        .collect();
    for (rel, read) in bytes {
        match read {
            Ok(bytes) => {
                static_files.push((slash_path(rel.strip_prefix("static").unwrap_or(rel)), bytes))
            }
            Err(e) => problems.push(unreadable(&display_path(root, rel), &e)),
        }
    }

    let mut site = match (config, strings) {
        (Some(config), Some(strings)) => Site {
            index: facts::Index::new(&companies),
            draft_companies: Vec::new(),
            revisions,
            templates,
            static_files,
            config,
            strings,
            companies,
            sections,
            pages,
            charts,
            sources,
            translations: Vec::new(),
            edition: None,
        },
        _ => {
            problems.sort();
            return Err(problems);
        }
    };
    let site_yaml = site_yaml.unwrap_or_default();
    for language in site.config.languages.iter().skip(1) {
        let folder = crate::lang::prefix(language, &site.config.language);
        // A page published where an edition is would be replaced by that edition's home.
        for p in site
            .pages
            .iter()
            .filter(|p| format!("{}/", p.slug) == folder)
        {
            problems.push(Diagnostic::file(
                &p.path,
                format!(
                    "this page would be published at {folder}, where the {language} edition is; \
                     rename the file"
                ),
            ));
        }
        if let Some(t) = load_translation(root, &site, &site_yaml, language, &mut problems) {
            site.translations.push(t);
        }
    }
    problems.sort();
    problems.dedup();
    if problems.is_empty() {
        Ok(site)
    } else {
        Err(problems)
    }
}

/// The edition of `default` (a whole load) in `language`: `site.yaml`, the company and chart
/// files read again in that language, its own sections and pages and strings; problems go to
/// `problems`.
fn load_translation(
    root: &Path,
    default: &Site,
    (site_path, site_src): &(PathBuf, String),
    language: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Site> {
    let before = problems.len();
    let config = config::parse_edition(site_path, site_src, language)
        .map_err(|d| problems.push(d))
        .ok();
    let strings_rel = PathBuf::from(format!("templates/strings/{language}.yaml"));
    let mut sources = default.sources.clone();
    let strings = if root.join(&strings_rel).is_file() {
        let shown = display_path(root, &strings_rel);
        read_text(root, &strings_rel, &shown)
            .and_then(|text| {
                let parsed = strings::parse(&shown, &text);
                sources.insert(shown, text);
                parsed
            })
            .map_err(|d| problems.push(d))
            .ok()
    } else {
        problems.push(crate::lang::missing_strings(site_path, site_src, language));
        None
    };
    let reading = crate::lang::reading(&default.config, language);
    let (section_dir, page_dir) = crate::lang::content_dirs(language, &default.config.language);
    // The shared files are listed again (their problems found twice are reported once).
    let lists = [
        (
            ContentKind::Company,
            files(root, ContentKind::Company.dir(), "yaml", problems),
        ),
        (
            ContentKind::Chart,
            files(root, ContentKind::Chart.dir(), "yaml", problems),
        ),
        (
            ContentKind::Section,
            files(root, &section_dir.to_string_lossy(), "md", problems),
        ),
        (
            ContentKind::Page,
            files(root, &page_dir.to_string_lossy(), "md", problems),
        ),
    ];
    let mut site = Site {
        companies: Vec::new(),
        sections: Vec::new(),
        pages: Vec::new(),
        charts: Vec::new(),
        translations: Vec::new(),
        edition: None,
        draft_companies: Vec::new(),
        index: facts::Index::default(),
        revisions: default.revisions.clone(),
        templates: default.templates.clone(),
        static_files: default.static_files.clone(),
        config: config?,
        strings: strings?,
        sources: BTreeMap::new(),
    };
    for (kind, rels) in &lists {
        for (shown, text, parsed) in read_and_parse(root, *kind, rels, true, &reading) {
            site.revisions
                .entry(shown.clone().into_os_string())
                .or_insert_with(next_revision);
            if let Some(text) = text {
                sources.insert(shown, text);
            }
            match parsed {
                Ok(Item::Company(c)) => site.companies.push(c),
                Ok(Item::Section(s)) => site.sections.push(s),
                Ok(Item::Page(p)) => site.pages.push(p),
                Ok(Item::Chart(c)) => site.charts.push(c),
                Err(ds) => problems.extend(ds),
            }
        }
    }
    site.sections.sort_by_key(|s| s.meta.order);
    site.sources = sources;
    site.reindex();
    (problems.len() == before).then_some(site)
}

/// What reading one changed file again did to a loaded site (see [`Site::reload_file`]).
#[derive(Debug)]
pub enum Reloaded {
    /// `load` does not read this file: nothing changed.
    Ignored,
    /// The file is read by `load` and its text is as before.
    Unchanged,
    /// The site now holds the file's new contents; these are its problems (none if it parsed).
    Changed(Vec<Diagnostic>),
    /// The file was added or removed, or settles what the rest is read with (`site.yaml`, the
    /// strings): only a whole `load` is right.
    NeedsLoad,
}

impl Site {
    /// Reads the file `rel` (relative to `root`) again after it changed on disk, and puts what it
    /// now holds in place of what it held, as a fresh [`load`] would (the index included).
    ///
    /// Only edits to files the site already has are handled here; anything else asks for a whole
    /// load. A file that no longer parses keeps its previous item, and its problems are returned:
    /// the caller must not use the site until they are fixed.
    pub fn reload_file(&mut self, root: &Path, rel: &Path) -> Reloaded {
        if !self.translations.is_empty() {
            // Each edition holds what it read of the shared files, templates and static files:
            // only a whole load puts a change into all of them.
            return Reloaded::NeedsLoad;
        }
        let shown = display_path(root, rel);
        let exists = root.join(rel).is_file();
        let known = self.sources.contains_key(&shown);
        if let Some(kind) = content_kind(rel) {
            if !exists || !known {
                return Reloaded::NeedsLoad;
            }
            let Ok(text) = read_text(root, rel, &shown) else {
                return Reloaded::NeedsLoad;
            };
            if self.sources.get(&shown) == Some(&text) {
                return Reloaded::Unchanged;
            }
            let reading = crate::lang::reading(&self.config, &self.config.language);
            let parsed = parse_item(kind, &shown, rel, &text, &reading);
            self.sources.insert(shown.clone(), text);
            self.revisions
                .insert(shown.clone().into_os_string(), next_revision());
            match parsed {
                Ok(item) => {
                    if !self.replace(item) {
                        return Reloaded::NeedsLoad;
                    }
                    Reloaded::Changed(Vec::new())
                }
                Err(problems) => Reloaded::Changed(problems),
            }
        } else if let Ok(name) = rel.strip_prefix("templates") {
            let template = ["html", "xml", "txt"]
                .iter()
                .any(|x| rel.extension().is_some_and(|e| e == *x));
            if !template {
                // Strings files decide how everything reads; other files are not templates.
                let strings =
                    name.starts_with("strings") && rel.extension().is_some_and(|e| e == "yaml");
                return if strings {
                    Reloaded::NeedsLoad
                } else {
                    Reloaded::Ignored
                };
            }
            let name = slash_path(name);
            let Some(at) = self.templates.iter().position(|(n, _)| *n == name) else {
                return Reloaded::NeedsLoad;
            };
            match (exists, read_text(root, rel, &shown)) {
                (true, Ok(text)) if text == self.templates[at].1 => Reloaded::Unchanged,
                (true, Ok(text)) => {
                    self.sources.insert(shown, text.clone());
                    self.templates[at].1 = text;
                    Reloaded::Changed(Vec::new())
                }
                _ => Reloaded::NeedsLoad,
            }
        } else if let Ok(name) = rel.strip_prefix("static") {
            let name = slash_path(name);
            let Some(at) = self.static_files.iter().position(|(n, _)| *n == name) else {
                return Reloaded::NeedsLoad;
            };
            match (exists, fsutil::read(&root.join(rel))) {
                (true, Ok(bytes)) if bytes == self.static_files[at].1 => Reloaded::Unchanged,
                (true, Ok(bytes)) => {
                    self.static_files[at].1 = bytes;
                    Reloaded::Changed(Vec::new())
                }
                _ => Reloaded::NeedsLoad,
            }
        } else if rel.starts_with("content") && rel != Path::new("content/site.yaml") {
            // Not a file `load` reads (an editor's backup or swap file, a note).
            Reloaded::Ignored
        } else {
            Reloaded::NeedsLoad
        }
    }

    /// Puts `item` in place of the item read from the same file; false if there was none.
    fn replace(&mut self, item: Item) -> bool {
        match item {
            Item::Company(c) => match self.companies.iter_mut().find(|x| x.path == c.path) {
                Some(slot) => *slot = c,
                None => return false,
            },
            Item::Section(s) => match self.sections.iter_mut().find(|x| x.path == s.path) {
                Some(slot) => {
                    let reorder = slot.meta.order != s.meta.order;
                    *slot = s;
                    if reorder {
                        // The same order as `load`: by order, files of equal order by name.
                        self.sections
                            .sort_by(|a, b| (a.meta.order, &a.path).cmp(&(b.meta.order, &b.path)));
                    }
                }
                None => return false,
            },
            Item::Page(p) => match self.pages.iter_mut().find(|x| x.path == p.path) {
                Some(slot) => *slot = p,
                None => return false,
            },
            Item::Chart(c) => match self.charts.iter_mut().find(|x| x.path == c.path) {
                Some(slot) => *slot = c,
                None => return false,
            },
        }
        self.reindex();
        true
    }

    /// Indexes the companies again, after `companies` changed.
    pub fn reindex(&mut self) {
        self.index = facts::Index::new(&self.companies);
    }

    /// The revision of the content file shown as `path` (see [`Site::revisions`]).
    pub fn revision(&self, path: &Path) -> Option<u64> {
        // Keyed by the path's bytes: hashing a `Path` walks its components.
        self.revisions.get(path.as_os_str()).copied()
    }

    /// Keeps the revisions `previous` gave the files whose text has not changed since, so that a
    /// whole load does not make every cache forget what it knows. Both sites must hold all
    /// sources ([`load`], not [`load_lean`]).
    pub fn keep_revisions(&mut self, previous: &Site) {
        for (path, revision) in self.revisions.iter_mut() {
            let shown = Path::new(path);
            if let (Some(old), Some(old_text), Some(text)) = (
                previous.revisions.get(path),
                previous.sources.get(shown),
                self.sources.get(shown),
            ) && old_text == text
            {
                *revision = *old;
            }
        }
    }
}

/// The kind of content file `rel` is, if `load` reads it as one.
fn content_kind(rel: &Path) -> Option<ContentKind> {
    let parent = rel.parent()?;
    ContentKind::ALL
        .into_iter()
        .find(|k| parent == Path::new(k.dir()) && rel.extension().is_some_and(|x| x == k.ext()))
}

/// The slug a content file of `kind` at `rel` is published under.
fn file_slug(kind: ContentKind, rel: &Path) -> String {
    match kind {
        ContentKind::Section => section::slug_of(rel),
        _ => stem(rel),
    }
}

/// A problem when the name of the content file at `rel` cannot be part of an address (see
/// [`crate::slug`]): `..md` would overwrite the home page, `style.css.md` a static file, `a#b.md`
/// would become a link to an anchor.
fn bad_file_name(kind: ContentKind, shown: &Path, rel: &Path) -> Option<Diagnostic> {
    let slug = file_slug(kind, rel);
    if crate::slug::is_slug(&slug) {
        return None;
    }
    let form = match kind {
        ContentKind::Section => "NN-<slug>.md",
        ContentKind::Page => "<slug>.md",
        ContentKind::Company | ContentKind::Chart => "<slug>.yaml",
    };
    Some(Diagnostic::file(
        shown,
        format!(
            "this file name becomes part of the site's addresses, so its slug \"{}\" must be \
             plain: {}; rename the file ({form})",
            crate::diagnostic::shorten(&slug),
            crate::slug::RULE
        ),
    ))
}

/// The policy for links (symbolic links) among the site's files: a link is followed when it
/// leads to a file inside the site folder, and refused otherwise (a link out of the site, to a
/// folder, or to nothing), so that a build reads only what the site holds and never quotes a file
/// from elsewhere in a message. `None` when `rel` is not a link or may be followed.
fn link_problem(root: &Path, rel: &Path) -> Option<Diagnostic> {
    let path = root.join(rel);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.file_type().is_symlink() {
        return None;
    }
    let shown = display_path(root, rel);
    let refuse = |why: &str| {
        Some(Diagnostic::file(
            &shown,
            format!(
                "is a link {why}; burnrate follows links only to files inside the site folder: \
                 copy the file here instead"
            ),
        ))
    };
    let Ok(target) = std::fs::canonicalize(&path) else {
        return refuse("to nothing (what it points to does not exist)");
    };
    let inside = std::fs::canonicalize(root).is_ok_and(|r| target.starts_with(r));
    if !inside {
        refuse("to a file outside the site folder")
    } else if !target.is_file() {
        refuse("to a folder")
    } else {
        None
    }
}

/// The text of the file `root/rel`, shown to editors as `shown`: a missing or unreadable file,
/// or bytes that are not UTF-8 text (located at the first bad byte), are a problem.
fn read_text(root: &Path, rel: &Path, shown: &Path) -> Result<String, Diagnostic> {
    let bytes = fsutil::read(&root.join(rel)).map_err(|e| unreadable(shown, &e))?;
    text::decode(shown, bytes)
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
            Ok(e) if e.file_type().is_file() || e.path_is_symlink() => {
                let wanted = exts.is_empty()
                    || e.path()
                        .extension()
                        .is_some_and(|x| exts.iter().any(|w| x == *w));
                let Ok(rel) = e.path().strip_prefix(root) else {
                    continue;
                };
                if !wanted {
                    continue;
                }
                match link_problem(root, rel) {
                    Some(problem) => problems.push(problem),
                    None => found.push(rel.to_path_buf()),
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
            Ok(e)
                if (e.file_type().is_file() || e.path_is_symlink())
                    && e.path().extension().is_some_and(|x| x == ext) =>
            {
                let rel = Path::new(dir).join(e.file_name());
                match link_problem(root, &rel) {
                    Some(problem) => problems.push(problem),
                    None => found.push(rel),
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

impl Site {
    /// The company with file stem `slug`.
    pub fn company(&self, slug: &str) -> Option<&Company> {
        self.index.company(&self.companies, slug)
    }

    /// The fact a reference `<company>/<fact id>` names.
    pub fn fact(&self, target: &str) -> Option<(&Company, &crate::facts::Fact)> {
        self.index.fact(&self.companies, target)
    }

    /// Sections that are published, in reading order: not drafts, unless drafts are shown.
    pub fn published_sections(&self) -> impl Iterator<Item = &Section> {
        let all = self.config.show_drafts;
        self.sections.iter().filter(move |s| all || !s.meta.draft)
    }

    /// What a build publishes when the site has draft companies (and drafts are not shown): the
    /// site without them and without its draft sections, to be validated again so that a
    /// published page citing a draft company is refused. The companies left out are listed in
    /// [`Site::draft_companies`]. `None` otherwise: draft sections alone need no copy, since the
    /// renderer publishes only [`Site::published_sections`].
    pub fn published(&self) -> Option<Site> {
        if self.config.show_drafts || !self.companies.iter().any(|c| c.draft) {
            return None;
        }
        let mut site = self.clone();
        // Every edition, the translations with the same draft companies (the files are shared).
        site.leave_out_drafts();
        for t in &mut site.translations {
            t.leave_out_drafts();
        }
        Some(site)
    }

    /// Removes the draft sections and companies, listing the companies in `draft_companies`.
    fn leave_out_drafts(&mut self) {
        self.sections.retain(|s| !s.meta.draft);
        self.draft_companies = self
            .companies
            .iter()
            .filter(|c| c.draft)
            .map(|c| (c.slug.clone(), c.path.clone()))
            .collect();
        self.companies.retain(|c| !c.draft);
        self.reindex();
    }
}
