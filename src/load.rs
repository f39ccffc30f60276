//! Reads a site's folder into memory: the only part of the pipeline that reads content files.
//!
//! Every file is parsed by its module's pure `parse`; this module only finds the files, reads
//! them, and gathers every problem before giving up.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::chart::spec::{self, ChartSpec};
use crate::config::{self, SiteConfig};
use crate::diagnostic::Diagnostic;
use crate::facts::{self, Company, FastMap};
use crate::fsutil;
use crate::localized::Reading;
use crate::section::{self, Page, Section};
/// The site model, defined in [`crate::site`], as the loader hands it out.
pub use crate::site::Site;
use crate::sources::Sources;
use crate::strings::{self, Strings};
use crate::text;

/// A loaded site and the texts it was read from.
#[derive(Debug)]
pub struct Loaded {
    /// The content.
    pub site: Site,
    /// The texts, for pointing at problems (see [`Sources`]).
    pub sources: Sources,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    Section(Box<Section>),
    Page(Page),
    Chart(ChartSpec),
}

/// Parses the text of a content file of `kind`, shown to editors as `path`, its texts in the
/// edition `reading` reads (see [`crate::localized`]); a section's body is left in its file
/// unless `keep_body` ([`section::parse_section_released`]).
fn parse_item(
    kind: ContentKind,
    path: &Path,
    rel: &Path,
    text: &str,
    reading: &Reading,
    keep_body: bool,
) -> Result<Item, Vec<Diagnostic>> {
    crate::localized::in_language(reading, || match kind {
        ContentKind::Company => facts::parse(path, &stem(rel), text).map(Item::Company),
        ContentKind::Section => match keep_body {
            true => section::parse_section(path, text),
            false => section::parse_section_released(path, text),
        }
        .map(|s| Item::Section(Box::new(s)))
        .map_err(|d| vec![d]),
        ContentKind::Page => section::parse_page(path, text)
            .map(Item::Page)
            .map_err(|d| vec![d]),
        ContentKind::Chart => spec::parse(path, &stem(rel), text).map(Item::Chart),
    })
}

/// A content file read and parsed: its shown path; if it could be read (and for a file every
/// edition parses, only in the first edition's item), its text when kept; and the item or the
/// problems.
type ReadItem = (
    PathBuf,
    Option<Option<String>>,
    Result<Item, Vec<Diagnostic>>,
);

/// Reads the content file `rel` of `kind` once and parses it for each edition of `readings`
/// (one, or every edition for a company or chart file). Its text is handed back, with the first
/// edition's item, only if `keep` (else it is dropped as soon as it is parsed, and a section's
/// body is not kept: [`section::parse_section_released`]). Once a parse found no problem, the
/// next ones leave out what depends on the text alone (`yaml::again`).
fn read_and_parse(
    root: &Path,
    kind: ContentKind,
    rel: &Path,
    keep: bool,
    readings: &[&Reading],
) -> Vec<ReadItem> {
    let shown = display_path(root, rel);
    let failed = |problem: Diagnostic| -> Vec<ReadItem> {
        let failed = (shown.clone(), None, Err(vec![problem]));
        vec![failed; readings.len()]
    };
    if let Some(problem) = bad_file_name(kind, &shown, rel) {
        return failed(problem);
    }
    let text = match read_text(root, rel, &shown) {
        Ok(text) => text,
        Err(problem) => return failed(problem),
    };
    let mut clean = false;
    let mut items: Vec<ReadItem> = Vec::with_capacity(readings.len());
    for reading in readings {
        let parse = || parse_item(kind, &shown, rel, &text, reading, keep);
        let parsed = if clean {
            crate::yaml::again(parse)
        } else {
            parse()
        };
        clean = parsed.is_ok();
        items.push((shown.clone(), None, parsed));
    }
    // The file is recorded once, by the first edition's item.
    if let Some(first) = items.first_mut() {
        first.1 = Some(keep.then_some(text));
    }
    items
}

/// One edition's settings: its `site.yaml` as read in its language (none for the default
/// edition, whose settings are the site's) and its strings; `None` where they have a problem.
type Settings = (Option<SiteConfig>, Option<Strings>);

/// The content files of one edition: each kind with its files, and how its texts are read.
struct Listed {
    lists: Vec<(ContentKind, Vec<PathBuf>)>,
    reading: Reading,
}

/// Reads the site under `root`, reporting every unreadable or malformed file.
///
/// The files are read and parsed on every core; what comes out does not depend on how many.
pub fn load(root: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    load_keeping(root, true)
}

/// Like [`load`], but the sources leave out the texts of sections, pages and companies, which
/// validation only reads to point at a problem (and then reads again), and the sections leave
/// out their bodies ([`section::parse_section_released`]), which the render reads again with
/// [`section_body`] (validation only where a reference needs the Markdown parser): a build of
/// ten thousand sections holds 100 MB less.
pub fn load_lean(root: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    load_keeping(root, false)
}

fn load_keeping(root: &Path, all_sources: bool) -> Result<Loaded, Vec<Diagnostic>> {
    let mut loader = Loader::new(root);
    let (site_yaml, config, listed) = loader.site_yaml();
    // Every edition's content files at once, on every core: a small site's editions are a few
    // files each, too few to keep two cores busy one edition at a time. Beside them, what
    // needs site.yaml alone: each edition's settings and strings, the templates and the static
    // files (a small site's load waited for these one by one).
    let mut side = Loader::new(root);
    let (contents, (settings, templates, static_files)) = rayon::join(
        || loader.parse_contents(&listed, all_sources),
        || {
            let settings = match (&config, &site_yaml) {
                (Some(c), Some(site)) => side.settings(c, site),
                _ => Vec::new(),
            };
            (settings, side.templates(), side.static_files())
        },
    );
    loader.absorb(side);
    let mut contents = contents.into_iter();
    let mut settings = settings.into_iter();
    let mut content = contents.next().unwrap_or_default();
    loader.problems.append(&mut content.problems);
    let strings = settings.next().and_then(|(_, strings)| strings);
    let (Some(config), Some(strings)) = (config, strings) else {
        // Every edition's problems at once, as below; the shared files are listed once per
        // edition: their problems are reported once.
        for mut content in contents {
            loader.problems.append(&mut content.problems);
        }
        loader.problems.sort();
        loader.problems.dedup();
        return Err(loader.problems);
    };
    let Content {
        companies,
        sections,
        pages,
        charts,
        problems: _,
    } = content;
    let mut site = Site {
        index: facts::Index::new(&companies),
        draft_companies: Vec::new(),
        templates,
        static_files,
        config,
        strings,
        companies,
        sections,
        pages,
        charts,
        translations: Vec::new(),
        edition: None,
    };
    // Every edition is read even when the default has problems, so all are reported at once.
    site.translations = loader.translations(&site, contents, settings);
    let Loader {
        mut problems,
        sources,
        ..
    } = loader;
    problems.sort();
    problems.dedup();
    if problems.is_empty() {
        Ok(Loaded { site, sources })
    } else {
        Err(problems)
    }
}

/// One load under way: the problems found so far and the texts read.
struct Loader<'r> {
    root: &'r Path,
    problems: Vec<Diagnostic>,
    sources: Sources,
}

/// The content files of a site, parsed, and the problems of those that could not be.
#[derive(Default)]
struct Content {
    companies: Vec<Company>,
    sections: Vec<Section>,
    pages: Vec<Page>,
    charts: Vec<ChartSpec>,
    problems: Vec<Diagnostic>,
}

impl Loader<'_> {
    /// The text of `rel`, kept in the sources; `None` (and a problem) when it cannot be read.
    fn read(&mut self, rel: &Path) -> Option<(PathBuf, String)> {
        let root = self.root;
        let shown = display_path(root, rel);
        if let Some(problem) = link_problem(root, rel) {
            self.problems.push(problem);
            return None;
        }
        match read_text(root, rel, &shown) {
            Ok(text) => {
                self.sources.insert(shown.clone(), text.clone());
                Some((shown, text))
            }
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    /// A loader of the site under `root` that has found nothing yet.
    fn new(root: &Path) -> Loader<'_> {
        Loader {
            root,
            problems: Vec::new(),
            sources: Sources::default(),
        }
    }

    /// `content/site.yaml` as read and as parsed, and the content files of every edition it
    /// sets.
    fn site_yaml(&mut self) -> (Option<(PathBuf, String)>, Option<SiteConfig>, Vec<Listed>) {
        let site_yaml = self.read(Path::new("content/site.yaml"));
        let config = site_yaml.as_ref().and_then(|(path, text)| {
            config::parse(path, text)
                .map_err(|d| self.problems.push(d))
                .ok()
        });
        let reading = config.as_ref().map_or_else(
            || Reading {
                language: String::new(),
                default: String::new(),
                languages: Vec::new(),
            },
            |c| crate::lang::reading(c, &c.language),
        );
        let mut listed = vec![self.listed(reading)];
        if let Some(c) = &config {
            for language in c.languages.iter().skip(1) {
                listed.push(self.listed_translation(c, language));
            }
        }
        (site_yaml, config, listed)
    }

    /// Takes in what `other`, a loader of the same site, found and read.
    fn absorb(&mut self, other: Loader<'_>) {
        self.problems.extend(other.problems);
        self.sources.absorb(other.sources);
    }

    /// Each edition's settings, in the order of `languages:`: its `site.yaml` as read in its
    /// language (`None` for the default edition, whose settings are `config`) and its strings.
    /// `site` is `content/site.yaml` as read.
    fn settings(&mut self, config: &SiteConfig, site: &(PathBuf, String)) -> Vec<Settings> {
        let (site_path, site_src) = site;
        let default = self.strings(&config.language, || {
            let (line, column) = crate::diagnostic::locate_key(site_src, &["language"]);
            Diagnostic::at(
                site_path,
                line,
                column,
                format!(
                    "language: there is no strings file templates/strings/{0}.yaml for \"{0}\"",
                    crate::diagnostic::shorten(&config.language)
                ),
            )
        });
        let mut settings = vec![(None, default)];
        for language in config.languages.iter().skip(1) {
            let edition = config::parse_edition(site_path, site_src, config, language)
                .map_err(|d| self.problems.push(d))
                .ok();
            let strings = self.strings(language, || {
                crate::lang::missing_strings(site_path, site_src, language)
            });
            settings.push((edition, strings));
        }
        settings
    }

    /// The strings of `language`, or `None` and a problem: `missing` when there is no file.
    fn strings(&mut self, language: &str, missing: impl FnOnce() -> Diagnostic) -> Option<Strings> {
        let rel = PathBuf::from(format!("templates/strings/{language}.yaml"));
        if !self.root.join(&rel).is_file() {
            self.problems.push(missing());
            return None;
        }
        self.read(&rel).and_then(|(path, text)| {
            strings::parse(&path, &text)
                .map_err(|d| self.problems.push(d))
                .ok()
        })
    }

    /// The content files of the default edition, read in `reading`.
    fn listed(&mut self, reading: Reading) -> Listed {
        let root = self.root;
        let lists = ContentKind::ALL
            .iter()
            .map(|&kind| {
                (
                    kind,
                    files(root, kind.dir(), kind.ext(), &mut self.problems),
                )
            })
            .collect();
        Listed { lists, reading }
    }

    /// The content files of the edition in `language` of the site `config` sets: the company and
    /// chart files (read again in that language) and its own sections and pages
    /// (`content/<folder>/…`).
    fn listed_translation(&mut self, config: &SiteConfig, language: &str) -> Listed {
        let root = self.root;
        let (section_dir, page_dir) = crate::lang::content_dirs(language, &config.language);
        // The shared files are listed again (their problems found twice are reported once).
        let mut list =
            |kind: ContentKind, dir: &str| (kind, files(root, dir, kind.ext(), &mut self.problems));
        let lists = vec![
            list(ContentKind::Company, ContentKind::Company.dir()),
            list(ContentKind::Chart, ContentKind::Chart.dir()),
            list(ContentKind::Section, &section_dir.to_string_lossy()),
            list(ContentKind::Page, &page_dir.to_string_lossy()),
        ];
        Listed {
            lists,
            reading: crate::lang::reading(config, language),
        }
    }

    /// The content of each edition of `listed`: every file read and parsed at once, on every
    /// core; their texts kept in the sources only if `all_sources` (charts' always: validation
    /// reads every chart's text to place its rows). What comes out does not depend on the order
    /// files are read in.
    fn parse_contents(&mut self, listed: &[Listed], all_sources: bool) -> Vec<Content> {
        let root = self.root;
        let files: Vec<(usize, ContentKind, &PathBuf)> = listed
            .iter()
            .enumerate()
            .flat_map(|(n, edition)| {
                (edition.lists.iter())
                    .flat_map(move |(kind, rels)| rels.iter().map(move |rel| (n, *kind, rel)))
            })
            .collect();
        // A company or chart file every edition lists is read once, for all of them: each
        // group is the files' places in `files`, one per edition that lists the file.
        let mut shared: FastMap<(ContentKind, &PathBuf), usize> = FastMap::default();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, &(_, kind, rel)) in files.iter().enumerate() {
            let once = matches!(kind, ContentKind::Company | ContentKind::Chart);
            match shared.get(&(kind, rel)) {
                Some(&g) if once => groups[g].push(i),
                _ => {
                    shared.insert((kind, rel), groups.len());
                    groups.push(vec![i]);
                }
            }
        }
        let mut read: Vec<Option<ReadItem>> = files.iter().map(|_| None).collect();
        // In small pieces: a company file costs several sections, and a core left alone with a
        // long run of them at the end would keep the other waiting.
        let parsed: Vec<(&Vec<usize>, Vec<ReadItem>)> = groups
            .par_iter()
            .with_max_len(16)
            .map(|group| {
                let (_, kind, rel) = files[group[0]];
                let keep = all_sources || kind == ContentKind::Chart;
                let readings: Vec<&Reading> =
                    group.iter().map(|&i| &listed[files[i].0].reading).collect();
                (group, read_and_parse(root, kind, rel, keep, &readings))
            })
            .collect();
        for (group, items) in parsed {
            for (&i, item) in group.iter().zip(items) {
                read[i] = Some(item);
            }
        }
        let read = read.into_iter().flatten();
        let mut contents: Vec<Content> = listed.iter().map(|_| Content::default()).collect();
        let mut texts = Vec::with_capacity(files.len());
        for ((n, _, _), (shown, text, parsed)) in files.into_iter().zip(read) {
            let content = &mut contents[n];
            if let Some(text) = text {
                texts.push((shown, text));
            }
            match parsed {
                Ok(Item::Company(c)) => content.companies.push(c),
                Ok(Item::Section(s)) => content.sections.push(*s),
                Ok(Item::Page(p)) => content.pages.push(p),
                Ok(Item::Chart(c)) => content.charts.push(c),
                Err(ds) => content.problems.extend(ds),
            }
        }
        self.sources.insert_all(texts);
        for content in &mut contents {
            content.sections.sort_by_key(|s| s.meta.order);
        }
        contents
    }

    /// The other editions of `default`, one per language after the first of `languages:`, from
    /// their `contents` in that order; a page published where an edition is
    /// (`content/pages/en.md`) is a problem.
    fn translations(
        &mut self,
        default: &Site,
        mut contents: impl Iterator<Item = Content>,
        mut settings: impl Iterator<Item = Settings>,
    ) -> Vec<Site> {
        let mut translations = Vec::new();
        for language in default.config.languages.iter().skip(1) {
            let folder = crate::lang::prefix(language, &default.config.language);
            for p in default
                .pages
                .iter()
                .filter(|p| format!("{}/", p.slug) == folder)
            {
                self.problems.push(Diagnostic::file(
                    &p.path,
                    format!(
                        "this page would be published at {folder}, where the {language} edition \
                         is; rename the file"
                    ),
                ));
            }
            let content = contents.next().unwrap_or_default();
            let (config, strings) = settings.next().unwrap_or_default();
            translations.extend(self.translation(default, content, config, strings));
        }
        translations
    }

    /// The edition of `default` with its `content` ([`Loader::listed_translation`]), its
    /// settings `config` and its `strings` ([`Loader::settings`]); `None` when any of them has
    /// a problem.
    fn translation(
        &mut self,
        default: &Site,
        mut content: Content,
        config: Option<SiteConfig>,
        strings: Option<Strings>,
    ) -> Option<Site> {
        let clean = content.problems.is_empty();
        self.problems.append(&mut content.problems);
        let site = Site {
            index: facts::Index::new(&content.companies),
            draft_companies: Vec::new(),
            templates: default.templates.clone(),
            static_files: default.static_files.clone(),
            config: config?,
            strings: strings?,
            companies: content.companies,
            sections: content.sections,
            pages: content.pages,
            charts: content.charts,
            translations: Vec::new(),
            edition: None,
        };
        clean.then_some(site)
    }

    /// The templates under `templates/`, by name relative to that folder.
    fn templates(&mut self) -> Vec<(String, String)> {
        let root = self.root;
        let template_files = tree(
            root,
            "templates",
            &["html", "xml", "txt"],
            &mut self.problems,
        );
        let texts: Vec<_> = template_files
            .par_iter()
            .map(|rel| (rel, read_text(root, rel, &display_path(root, rel))))
            .collect();
        let mut templates = Vec::new();
        for (rel, read) in texts {
            match read {
                Ok(text) => {
                    let name = rel.strip_prefix("templates").unwrap_or(rel);
                    self.sources.insert(display_path(root, rel), text.clone());
                    templates.push((slash_path(name), text));
                }
                Err(problem) => self.problems.push(problem),
            }
        }
        templates
    }

    /// The files under `static/`, by path relative to that folder; a name that would break the
    /// address it is published at is a problem.
    fn static_files(&mut self) -> Vec<(String, Vec<u8>)> {
        let root = self.root;
        let mut static_paths = tree(root, "static", &[], &mut self.problems);
        static_paths.retain(|rel| {
            let plain = rel
                .components()
                .all(|c| crate::slug::is_plain_segment(&c.as_os_str().to_string_lossy()));
            if !plain {
                self.problems.push(Diagnostic::file(
                    &display_path(root, rel),
                    "this file is published at an address made of its path, which may not hold \
                     spaces or any of # ? % \" < > \\ ^ ` { } |; rename it (a-z, 0-9, - and _ are \
                     safest)",
                ));
            }
            plain
        });
        let bytes: Vec<_> = static_paths
            .par_iter()
            .map(|rel| (rel, fsutil::read(&root.join(rel))))
            .collect();
        let mut static_files = Vec::new();
        for (rel, read) in bytes {
            match read {
                Ok(bytes) => static_files
                    .push((slash_path(rel.strip_prefix("static").unwrap_or(rel)), bytes)),
                Err(e) => self.problems.push(unreadable(&display_path(root, rel), &e)),
            }
        }
        static_files
    }
}

/// What reading one changed file again did to a loaded site (see [`Loaded::reload_file`]).
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

impl Loaded {
    /// Reads the file `rel` (relative to `root`) again after it changed on disk, and puts what it
    /// now holds in place of what it held, as a fresh [`load`] would (the index and the sources
    /// included). The site must have been read by [`load`], which keeps every text.
    ///
    /// Only edits to files the site already has are handled here; anything else asks for a whole
    /// load. A file that no longer parses keeps its previous item, and its problems are returned:
    /// the caller must not use the site until they are fixed.
    pub fn reload_file(&mut self, root: &Path, rel: &Path) -> Reloaded {
        if !self.site.translations.is_empty() {
            // Each edition holds what it read of the shared files, templates and static files:
            // only a whole load puts a change into all of them.
            return Reloaded::NeedsLoad;
        }
        let shown = display_path(root, rel);
        let exists = root.join(rel).is_file();
        let known = self.sources.contains(&shown);
        let site = &mut self.site;
        if let Some(kind) = content_kind(rel) {
            if !exists || !known {
                return Reloaded::NeedsLoad;
            }
            let Ok(text) = read_text(root, rel, &shown) else {
                return Reloaded::NeedsLoad;
            };
            if self.sources.text(&shown) == text {
                return Reloaded::Unchanged;
            }
            let reading = crate::lang::reading(&site.config, &site.config.language);
            let parsed = parse_item(kind, &shown, rel, &text, &reading, true);
            self.sources.insert(shown, text);
            match parsed {
                Ok(item) => {
                    if !replace(site, item) {
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
            let Some(at) = site.templates.iter().position(|(n, _)| *n == name) else {
                return Reloaded::NeedsLoad;
            };
            match (exists, read_text(root, rel, &shown)) {
                (true, Ok(text)) if text == site.templates[at].1 => Reloaded::Unchanged,
                (true, Ok(text)) => {
                    self.sources.insert(shown, text.clone());
                    site.templates[at].1 = text;
                    Reloaded::Changed(Vec::new())
                }
                _ => Reloaded::NeedsLoad,
            }
        } else if let Ok(name) = rel.strip_prefix("static") {
            let name = slash_path(name);
            let Some(at) = site.static_files.iter().position(|(n, _)| *n == name) else {
                return Reloaded::NeedsLoad;
            };
            match (exists, fsutil::read(&root.join(rel))) {
                (true, Ok(bytes)) if bytes == site.static_files[at].1 => Reloaded::Unchanged,
                (true, Ok(bytes)) => {
                    site.static_files[at].1 = bytes;
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
}

/// Puts `item` in place of the item read from the same file; false if there was none.
fn replace(site: &mut Site, item: Item) -> bool {
    match item {
        Item::Company(c) => match site.companies.iter_mut().find(|x| x.path == c.path) {
            Some(slot) => *slot = c,
            None => return false,
        },
        Item::Section(s) => match site.sections.iter_mut().find(|x| x.path == s.path) {
            Some(slot) => {
                let reorder = slot.meta.order != s.meta.order;
                *slot = *s;
                if reorder {
                    // The same order as `load`: by order, files of equal order by name.
                    site.sections
                        .sort_by(|a, b| (a.meta.order, &a.path).cmp(&(b.meta.order, &b.path)));
                }
            }
            None => return false,
        },
        Item::Page(p) => match site.pages.iter_mut().find(|x| x.path == p.path) {
            Some(slot) => *slot = p,
            None => return false,
        },
        Item::Chart(c) => match site.charts.iter_mut().find(|x| x.path == c.path) {
            Some(slot) => *slot = c,
            None => return false,
        },
    }
    site.reindex();
    true
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

/// [`link_problem`] for a file a listing found as `entry`: only a link can have one, and the
/// listing already says which files are links (without asking the disk about each other file).
fn listed_link_problem(root: &Path, rel: &Path, entry: &walkdir::DirEntry) -> Option<Diagnostic> {
    entry
        .path_is_symlink()
        .then(|| link_problem(root, rel))
        .flatten()
}

/// The Markdown body of section `s`: its text, or, when [`load_lean`] left it in its file
/// ([`section::parse_section_released`]), the body of its file read again, refused if it is no
/// longer the text that was loaded.
pub fn section_body(s: &Section) -> Result<Cow<'_, str>, Diagnostic> {
    let Some(released) = &s.released else {
        return Ok(Cow::Borrowed(&s.body));
    };
    let mut text = read_text(Path::new(""), &s.path, &s.path)?;
    let body = section::body_of(&s.path, &text)?;
    if section::body_print(body) != released.print {
        return Err(Diagnostic::file(
            &s.path,
            "changed while the site was being built; build again",
        ));
    }
    // The body is the end of the file: the text is cut to it, not copied.
    let start = text.len() - body.len();
    text.drain(..start);
    Ok(Cow::Owned(text))
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
                match listed_link_problem(root, rel, &e) {
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
                match listed_link_problem(root, &rel, &e) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_released_body_is_read_again_and_refused_once_its_file_changed() {
        let dir = crate::testing::minimal_site();
        let loaded = load(dir.path()).unwrap();
        let site = load_lean(dir.path()).unwrap().site;
        assert!(!site.sections.is_empty());
        for (kept, released) in loaded.site.sections.iter().zip(&site.sections) {
            assert_eq!(released.body, "");
            assert_eq!(section_body(released).unwrap(), kept.body);
            assert!(matches!(section_body(kept), Ok(Cow::Borrowed(_))));
        }

        let s = &site.sections[0];
        // A change to the front matter alone does not change what the page shows.
        let text = std::fs::read_to_string(&s.path).unwrap();
        std::fs::write(&s.path, text.replacen("---\n", "---\n# 注释\n", 1)).unwrap();
        assert_eq!(section_body(s).unwrap(), loaded.site.sections[0].body);
        std::fs::write(&s.path, format!("{text}又一句。\n")).unwrap();
        assert_eq!(
            section_body(s).unwrap_err().to_string(),
            format!(
                "{}: changed while the site was being built; build again",
                s.path.display()
            )
        );
        std::fs::remove_file(&s.path).unwrap();
        assert_eq!(
            section_body(s).unwrap_err().to_string(),
            format!("{}: file not found", s.path.display())
        );
    }
}
