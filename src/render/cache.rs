//! The memo `serve` renders through: what a kept render keeps between calls, the fingerprints its
//! keys are made of, and the decisions to reuse an output rather than make it again. A plain
//! build never runs through any of it (see [`super::memo`]).

use std::collections::{BTreeMap, HashSet};
use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rayon::prelude::*;
use tera::{Tera, Value};

use super::job::Render;
use super::memo::{
    DrawChart, DrawFigure, DrawnChart, Fingerprint, MakePage, MarkdownEntry, Memo, RenderMarkdown,
    SHARED, Shared, json_fingerprint,
};
use super::pages::PageSpec;
use super::plan::{CompanyParts, PageJob, Plan, company_parts};
use super::{Bytes, Cards, Counts, Emitted, compile, lock, views};
use crate::chart::Chart;
use crate::diagnostic::Diagnostic;
use crate::facts::{Company, FastMap};
use crate::section::Section;
use crate::site::Site;

/// The revision of a file's text, by the path diagnostics use; `None` for a file it does not
/// know, which is then never reused.
pub type Revision<'a> = &'a (dyn Fn(&Path) -> Option<u64> + Sync);

/// A drawn chart with what it was drawn from: the chart and who each value comes from; and its
/// files.
type KeptChart = (Arc<Chart>, Vec<String>, Arc<DrawnChart>, [Arc<[u8]>; 2]);

/// `facts.json`, `facts.csv` and `revisions.csv` with the key they were made under.
type KeptData = (u64, [Arc<[u8]>; 3]);

/// Markdown kept with what it was rendered from.
struct KeptMarkdown {
    /// The revision of the file's text ([`Revision`]); `None`: never reused.
    revision: Option<u64>,
    /// The companies its fact references named, and their fingerprints then (`None`: missing).
    companies: Vec<(String, Option<u64>)>,
    entry: Arc<MarkdownEntry>,
}

/// A rendered page with the keys it was rendered under.
#[derive(Clone)]
struct PageEntry {
    /// The key from what the page depends on, for the pages that have one (see
    /// [`Pass::prekey`]).
    prekey: Option<u64>,
    /// The key from the page's whole context.
    key: u64,
    bytes: Arc<[u8]>,
}

/// Keeps what one render made for the next, so that only what changed is made again.
///
/// Every reuse is decided by comparing what an output is made from, never by trusting a list of
/// changed files:
/// - templates are compiled again when any template's text differs;
/// - a chart is drawn again when its resolved data (every value, label and source) or the
///   strings differ;
/// - a section's or page's Markdown is rendered again when its text differs or a company its
///   fact references name changed (a fingerprint of the company's name and facts);
/// - a page is rendered again when its memo key differs: the template, the compiled templates'
///   generation, everything in its spec (its own context), and of the values every page shares
///   (site, words, assets, section and page lists) the ones its templates use. Which those are
///   comes from Tera's list of the variables a template and its parents and includes read; when
///   a template could read the whole context (`__tera_context`, components), all of them.
///
/// A wrong key could only come from a hash collision of 64-bit SipHash fingerprints.
#[derive(Default)]
pub struct Cache {
    templates: Vec<(String, String)>,
    tera: Option<Arc<Tera>>,
    /// Bumped whenever the templates are compiled again.
    generation: u64,
    /// Per template: the shared values it reads (`None`: all of them).
    uses: FastMap<String, Option<HashSet<String>>>,
    /// Fingerprint of the base URL, base path and strings: when it changes, nothing is kept.
    env: u64,
    /// What the last render made, and the Markdown of every file rendered so far.
    kept: Kept,
    /// The parts of each company and its fingerprint then, by slug.
    companies: FastMap<String, (u64, CompanyParts)>,
    /// The planned paths and the order of the last of each path by path.
    order: (Vec<String>, Vec<usize>),
}

/// What a render leaves for the next one.
#[derive(Default)]
struct Kept {
    charts: FastMap<String, KeptChart>,
    /// Markdown rendered by the render (in a [`Cache`]: by every render so far, of the files
    /// that still exist).
    markdown: FastMap<OsString, Arc<KeptMarkdown>>,
    pages: FastMap<String, PageEntry>,
    data: Option<KeptData>,
    /// `data/computed.json`.
    computed: Option<Arc<[u8]>>,
    /// `data/datapackage.json` and its key: the site's settings and every chart's fingerprint.
    datapackage: Option<(u64, Arc<[u8]>)>,
    statics: FastMap<String, Arc<[u8]>>,
    shared: Option<(u64, Arc<Shared>)>,
    /// The list of sections: a key from what its links are made of, its fingerprint, its value.
    sections: Option<(u64, u64, Value)>,
    /// Outputs made (not reused) by the render.
    made: usize,
}

impl Cache {
    /// An empty cache: the first render makes everything.
    pub fn new() -> Self {
        Cache::default()
    }

    /// How many outputs the last render made rather than reused.
    pub fn made(&self) -> usize {
        self.kept.made
    }

    /// Forgets everything but the compiled templates when the base URL or the strings changed.
    fn settle_env(&mut self, site: &Site) {
        let env = {
            let mut h = Fingerprint::new();
            (&site.config.base_url, site.config.base_path()).hash(&mut h);
            json_fingerprint(&site.strings).hash(&mut h);
            h.finish()
        };
        if env != self.env {
            *self = Cache {
                templates: std::mem::take(&mut self.templates),
                tera: self.tera.take(),
                generation: self.generation,
                uses: std::mem::take(&mut self.uses),
                env,
                ..Cache::default()
            };
        }
    }

    /// The site's templates, compiled again only when one changed.
    fn tera(&mut self, site: &Site, root: &Path) -> Result<Arc<Tera>, Vec<Diagnostic>> {
        if self.tera.is_none() || self.templates != site.templates {
            let tera = compile(site, root)?;
            self.uses = template_uses(&tera, &site.templates);
            self.tera = Some(Arc::new(tera));
            self.templates = site.templates.clone();
            self.generation += 1;
            self.kept.pages.clear();
        }
        Ok(Arc::clone(self.tera.as_ref().expect("compiled above")))
    }

    /// Keeps what `pass` made for the next render, and the parts of `site`'s companies.
    fn keep(&mut self, site: &Site, parts: Vec<CompanyParts>, prints: Vec<u64>, next: Kept) {
        self.companies = site
            .companies
            .iter()
            .zip(parts.into_iter().zip(prints))
            .map(|(c, (parts, print))| (c.slug.clone(), (print, parts)))
            .collect();
        // Markdown entries change one file at a time: update the kept map in place, and forget
        // the files that are gone only when there are any.
        let mut markdown = std::mem::take(&mut self.kept.markdown);
        markdown.extend(next.markdown);
        if markdown.len() > site.sections.len() + site.pages.len() {
            let current: HashSet<&std::ffi::OsStr> = site
                .sections
                .iter()
                .map(|s| s.path.as_os_str())
                .chain(site.pages.iter().map(|p| p.path.as_os_str()))
                .collect();
            markdown.retain(|path, _| current.contains(path.as_os_str()));
        }
        self.kept = Kept { markdown, ..next };
    }

    /// Every output by path (the later of equal paths), from the outputs by `seq`: in path
    /// order, so the map is built in one pass. The order only changes with the plan, so it is
    /// kept.
    fn by_path(&mut self, plan: &Plan<'_>, emitted: Vec<(usize, Arc<[u8]>)>) -> super::Files {
        let mut by_seq: Vec<Option<Arc<[u8]>>> = vec![None; plan.paths.len()];
        for (seq, bytes) in emitted {
            by_seq[seq] = Some(bytes);
        }
        if self.order.0 != plan.paths {
            let mut order: Vec<usize> = (0..plan.paths.len()).collect();
            order.sort_unstable_by(|a, b| plan.paths[*a].cmp(&plan.paths[*b]));
            self.order = (plan.paths.clone(), order);
        }
        self.order
            .1
            .iter()
            .filter_map(|&seq| Some((plan.paths[seq].clone(), by_seq[seq].take()?)))
            .collect()
    }
}

/// Renders `site` (already validated) like [`render`](super::render), reusing from `cache` what
/// has not changed and leaving in it what the next call can reuse. Returns every output by path
/// (where two share a path, the later one) and the counts.
///
/// `revision` numbers the texts of the site's files: equal numbers mean equal texts (see
/// `serve::memo::Revisions`), so that unchanged sections need not be read.
pub fn render_cached(
    site: &Site,
    root: &Path,
    cache: &mut Cache,
    revision: Revision<'_>,
) -> Result<(super::Files, Counts), Vec<Diagnostic>> {
    if !site.translations.is_empty() {
        // A site of several editions is rendered whole: what is kept belongs to one edition.
        let files = Mutex::new(super::Files::new());
        let unread = super::Unread::default();
        let counts = super::render_editions(site, root, Cards::Skip, None, &|e: Emitted<'_>| {
            if let Some(bytes) = unread.take(e.bytes.into_shared()) {
                lock(&files).insert(e.path.to_string(), bytes);
            }
        })?;
        unread.finish()?;
        *cache = Cache::default();
        let files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
        return Ok((files, counts));
    }
    cache.settle_env(site);
    let tera = cache.tera(site, root)?;
    let prints: Vec<u64> = site.companies.par_iter().map(company_fingerprint).collect();
    let pass = Pass::new(cache, site, revision, &prints);
    let parts = company_parts(site, &site.config.base_path(), &pass);
    let plan = Plan::new(site, &parts, Cards::Skip);
    let problems = plan.problems(site, root);
    if !problems.is_empty() {
        return Err(problems);
    }
    let emitted: Mutex<Vec<(usize, Arc<[u8]>)>> = Mutex::new(Vec::with_capacity(plan.paths.len()));
    let unread = super::Unread::default();
    let sink = |e: Emitted<'_>| {
        if let Some(bytes) = unread.take(e.bytes.into_shared()) {
            lock(&emitted).push((e.seq, bytes));
        }
    };
    let templates = super::Templates::Ready(&tera);
    let counts = Render::new(site, root, &templates, &plan, &parts, &sink, &pass).run()?;
    unread.finish()?;
    let next = pass.finish(&plan);
    cache.keep(site, parts, prints, next);
    let emitted = emitted.into_inner().unwrap_or_else(PoisonError::into_inner);
    Ok((cache.by_path(&plan, emitted), counts))
}

/// One render through a [`Cache`]: what the last render kept, and what this one keeps.
struct Pass<'c> {
    cache: &'c Cache,
    revision: Revision<'c>,
    /// Company fingerprints in the order of `site.companies`.
    prints: &'c [u64],
    /// The same by slug.
    by_slug: FastMap<&'c str, u64>,
    next: Mutex<Kept>,
    /// The pages this render keeps, by `seq`: set once each from any thread without a lock,
    /// which thousands of pages taken from the memo in a row would contend for.
    pages: OnceLock<Vec<OnceLock<PageEntry>>>,
    made: AtomicUsize,
}

impl<'c> Pass<'c> {
    fn new(cache: &'c Cache, site: &'c Site, revision: Revision<'c>, prints: &'c [u64]) -> Self {
        Pass {
            cache,
            revision,
            prints,
            by_slug: site
                .companies
                .iter()
                .zip(prints)
                .map(|(c, p)| (c.slug.as_str(), *p))
                .collect(),
            next: Mutex::new(Kept::default()),
            pages: OnceLock::new(),
            made: AtomicUsize::new(0),
        }
    }

    /// What the next render of `plan` keeps.
    fn finish(self, plan: &Plan<'_>) -> Kept {
        let mut next = self
            .next
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        next.made = self.made.into_inner();
        let pages = self.pages.into_inner().unwrap_or_default();
        next.pages = FastMap::with_capacity_and_hasher(pages.len(), Default::default());
        for (seq, page) in pages.into_iter().enumerate() {
            if let Some(page) = page.into_inner() {
                next.pages.insert(plan.paths[seq].clone(), page);
            }
        }
        next
    }

    /// Counts `n` outputs made rather than reused.
    fn count_made(&self, n: usize) {
        self.made.fetch_add(n, Ordering::Relaxed);
    }

    fn next(&self) -> std::sync::MutexGuard<'_, Kept> {
        lock(&self.next)
    }

    /// Hashes into `h` the fingerprints of the shared values (in the order of [`SHARED`]) that
    /// `template` reads; all of them when that is not known.
    fn hash_shared(&self, template: &str, shared: &Shared, h: &mut Fingerprint) {
        let uses = self.cache.uses.get(template).and_then(Option::as_ref);
        for (name, print) in SHARED.iter().zip(&shared.fingerprints) {
            if uses.is_none_or(|u| u.contains(*name)) {
                print.hash(h);
            }
        }
    }

    /// The key of a page from its whole spec: what it shows.
    fn key(&self, spec: &PageSpec<'_>, strings: &crate::strings::Strings, shared: &Shared) -> u64 {
        let mut h = Fingerprint::new();
        (spec.template, self.cache.generation).hash(&mut h);
        spec.hash_into(&mut h, strings);
        self.hash_shared(spec.template, shared, &mut h);
        h.finish()
    }

    /// For the pages there are thousands of (sections and companies), a key from what they are
    /// made of, found without making their spec: the revisions of the files and the fingerprints
    /// of the companies, charts and Markdown they show, and their place. Equal keys mean equal
    /// specs, so a page whose key is unchanged is not even looked at; a page whose key changed
    /// still compares its whole spec before rendering. This is a second account of what
    /// [`Render::spec`] reads: debug builds check every reuse it allows against the spec's own key
    /// (see [`Memo::page`] below), and the random-edit test in the suite runs them.
    fn prekey(
        &self,
        r: &Render<'_>,
        job: PageJob,
        markdown: Option<&MarkdownEntry>,
        shared: &Shared,
    ) -> Option<u64> {
        let published = &r.plan.published;
        let mut h = Fingerprint::new();
        let revision = |s: &Section| (self.revision)(&s.path);
        let template = match job {
            PageJob::Section(i) => {
                let s = published[i];
                (0u8, i, revision(s)?, markdown?.fingerprint).hash(&mut h);
                let neighbour =
                    |j: Option<usize>| j.and_then(|j| published.get(j)).map(|n| revision(n));
                (neighbour(i.checked_sub(1)), neighbour(Some(i + 1))).hash(&mut h);
                for slug in &s.companies {
                    (slug, self.by_slug.get(slug.as_str())).hash(&mut h);
                }
                // The charts listed in its settings and those placed in its text.
                for id in s.meta.charts.iter().chain(&s.chart_refs) {
                    (id, r.drawing(id).map(|d| d.fingerprint)).hash(&mut h);
                }
                "section.html"
            }
            PageJob::Company(i) => {
                let c = &r.site.companies[i];
                (1u8, i, &c.slug, self.prints.get(i)).hash(&mut h);
                for &n in &r.discussed[i] {
                    revision(published[n])?.hash(&mut h);
                }
                let figure = r.drawing(&format!("company-{}", c.slug));
                figure.map(|d| d.fingerprint).hash(&mut h);
                "company.html"
            }
            _ => return None,
        };
        (template, self.cache.generation).hash(&mut h);
        self.hash_shared(template, shared, &mut h);
        Some(h.finish())
    }

    /// `made`, shared, unless it is the same as `kept`; counted as made then.
    fn unless_kept(&self, kept: Option<&Arc<[u8]>>, made: Vec<u8>) -> Arc<[u8]> {
        match kept {
            Some(kept) if **kept == *made => Arc::clone(kept),
            _ => {
                self.count_made(1);
                made.into()
            }
        }
    }
}

/// A hash of what `value` writes into a hasher.
fn hashed(value: &dyn Fn(&mut Fingerprint)) -> u64 {
    let mut h = Fingerprint::new();
    value(&mut h);
    h.finish()
}

impl Memo for Pass<'_> {
    fn company(&self, i: usize, c: &Company, make: &dyn Fn() -> CompanyParts) -> CompanyParts {
        match self.cache.companies.get(&c.slug) {
            Some((print, kept)) if *print == self.prints[i] => kept.clone(),
            _ => make(),
        }
    }

    fn static_file(&self, path: &str, bytes: &[u8]) -> Bytes {
        let shared = match self.cache.kept.statics.get(path) {
            Some(kept) if **kept == *bytes => Arc::clone(kept),
            _ => {
                self.count_made(1);
                Arc::from(bytes)
            }
        };
        self.next()
            .statics
            .insert(path.to_string(), Arc::clone(&shared));
        Bytes::Shared(shared)
    }

    fn chart(
        &self,
        r: &Render<'_>,
        chart: &Arc<Chart>,
        draw: DrawChart<'_>,
    ) -> Result<(Arc<DrawnChart>, [Bytes; 2]), Diagnostic> {
        let sources = chart_sources(chart, r.site);
        let kept = self.cache.kept.charts.get(&chart.id);
        let (d, files) = match kept {
            Some((c, s, d, files)) if c == chart && *s == sources => (Arc::clone(d), files.clone()),
            _ => {
                self.count_made(super::plan::FILES_PER_CHART);
                let (d, files) = draw()?;
                (Arc::new(d), files.map(Arc::from))
            }
        };
        // Chart ids are unique in a render that gets this far: they name its files.
        let entry = (Arc::clone(chart), sources, Arc::clone(&d), files.clone());
        self.next().charts.insert(chart.id.clone(), entry);
        Ok((d, files.map(Bytes::Shared)))
    }

    fn drawing(
        &self,
        r: &Render<'_>,
        chart: &Arc<Chart>,
        _figure: DrawFigure<'_>,
        draw: DrawChart<'_>,
    ) -> Result<Arc<DrawnChart>, Diagnostic> {
        self.chart(r, chart, draw).map(|(drawn, _)| drawn)
    }

    fn markdown(&self, path: &Path, render: RenderMarkdown<'_>) -> Arc<MarkdownEntry> {
        // The file's revision stands for its text: comparing ten thousand bodies would read
        // 50 MB on every rebuild.
        let revision = (self.revision)(path);
        if let Some(kept) = self.cache.kept.markdown.get(path.as_os_str())
            && revision.is_some()
            && kept.revision == revision
            && kept
                .companies
                .iter()
                .all(|(slug, print)| self.by_slug.get(slug.as_str()).copied() == *print)
        {
            return Arc::clone(&kept.entry);
        }
        let named = Mutex::new(Vec::new());
        let rendered = render(Some(&named));
        let mut named = named.into_inner().unwrap_or_else(PoisonError::into_inner);
        named.sort();
        named.dedup();
        let companies = named
            .into_iter()
            .map(|slug| {
                let print = self.by_slug.get(slug.as_str()).copied();
                (slug, print)
            })
            .collect();
        let fingerprint = views::rendered_fingerprint(&rendered);
        let entry = Arc::new(MarkdownEntry {
            rendered,
            fingerprint,
        });
        let kept = KeptMarkdown {
            revision,
            companies,
            entry: Arc::clone(&entry),
        };
        let path = path.as_os_str().to_os_string();
        self.next().markdown.insert(path, Arc::new(kept));
        entry
    }

    fn shared(&self, r: &Render<'_>, assets: BTreeMap<String, String>) -> Arc<Shared> {
        // The list of ten thousand sections is made again only when what its links are made of
        // changed: see `Render::section_link`.
        let sections_key = hashed(&|h| {
            r.base_path.hash(h);
            for s in &r.plan.published {
                (&s.meta.title, &s.slug, &s.meta.summary).hash(h);
            }
        });
        let (sections_print, sections) = match &self.cache.kept.sections {
            Some((k, print, value)) if *k == sections_key => {
                debug_assert_eq!(
                    *print,
                    hashed(&|h| r.section_links().hash(h)),
                    "the key of the list of sections misses something its links show"
                );
                (*print, value.clone())
            }
            _ => {
                let links = r.section_links();
                (hashed(&|h| links.hash(h)), Value::from_serializable(&links))
            }
        };
        self.next().sections = Some((sections_key, sections_print, sections.clone()));
        let fingerprints = [
            json_fingerprint(&r.site_view()),
            hashed(&|h| crate::format::template_words(&r.site.strings).hash(h)),
            hashed(&|h| assets.hash(h)),
            sections_print,
            hashed(&|h| r.page_links().hash(h)),
        ];
        let key = json_fingerprint(&fingerprints);
        let shared = match &self.cache.kept.shared {
            Some((k, s)) if *k == key => Arc::clone(s),
            _ => Arc::new(r.shared_values(assets, sections, fingerprints)),
        };
        self.next().shared = Some((key, Arc::clone(&shared)));
        shared
    }

    fn page<'r>(
        &self,
        r: &Render<'r>,
        seq: usize,
        job: PageJob,
        markdown: Option<&MarkdownEntry>,
        shared: &Shared,
        spec: &dyn Fn() -> PageSpec<'r>,
        make: MakePage<'_>,
    ) -> Result<Bytes, Diagnostic> {
        let path = &r.plan.paths[seq];
        let strings = &r.site.strings;
        let kept = self.cache.kept.pages.get(path);
        let prekey = self.prekey(r, job, markdown, shared);
        let slots = self.pages.get_or_init(|| {
            let n = r.plan.paths.len();
            std::iter::repeat_with(OnceLock::new).take(n).collect()
        });
        let reuse = |entry: PageEntry| {
            let bytes = Arc::clone(&entry.bytes);
            // Each page is made once per render, so its slot is empty.
            let _ = slots[seq].set(entry);
            Ok(Bytes::Shared(bytes))
        };
        if let (Some(prekey), Some(kept)) = (prekey, kept)
            && kept.prekey == Some(prekey)
        {
            // The prekey is a second account of what the spec reads: check it in debug builds.
            debug_assert_eq!(
                self.key(&spec(), strings, shared),
                kept.key,
                "{path}: its prekey is unchanged but what it shows changed; \
                 `Pass::prekey` misses something `Render::spec` reads"
            );
            return reuse(kept.clone());
        }
        let spec = spec();
        let key = self.key(&spec, strings, shared);
        if let Some(kept) = kept
            && kept.key == key
        {
            return reuse(PageEntry {
                prekey,
                ..kept.clone()
            });
        }
        let bytes: Arc<[u8]> = make(&spec)?.into();
        self.count_made(1);
        reuse(PageEntry { prekey, key, bytes })
    }

    /// `serve` plans no cards ([`Cards::Skip`]), so none is kept: one asked for is drawn.
    fn card(
        &self,
        _: &Render<'_>,
        _: PageJob,
        draw: &dyn Fn() -> Result<Bytes, Diagnostic>,
    ) -> Result<Bytes, Diagnostic> {
        self.count_made(1);
        draw()
    }

    fn data_files(&self, r: &Render<'_>, make: &dyn Fn() -> [Vec<u8>; 3]) -> [Bytes; 3] {
        let key = hashed(&|h| {
            for (c, print) in r.site.companies.iter().zip(self.prints) {
                (&c.slug, print).hash(h);
            }
            json_fingerprint(&r.site.strings).hash(h);
        });
        let files = match &self.cache.kept.data {
            Some((k, files)) if *k == key => files.clone(),
            _ => {
                self.count_made(3);
                make().map(Arc::from)
            }
        };
        self.next().data = Some((key, files.clone()));
        files.map(Bytes::Shared)
    }

    fn computed(&self, made: Vec<u8>) -> Bytes {
        let bytes = self.unless_kept(self.cache.kept.computed.as_ref(), made);
        self.next().computed = Some(Arc::clone(&bytes));
        Bytes::Shared(bytes)
    }

    fn datapackage(&self, r: &Render<'_>, make: &dyn Fn() -> Vec<u8>) -> Bytes {
        let key = hashed(&|h| {
            json_fingerprint(&r.site.config).hash(h);
            for c in &r.plan.charts {
                let drawn = r.drawing(&c.id).map(|d| d.fingerprint);
                (c.id.as_str(), drawn).hash(h);
            }
        });
        let bytes = match &self.cache.kept.datapackage {
            Some((k, bytes)) if *k == key => Arc::clone(bytes),
            _ => {
                self.count_made(1);
                Arc::from(make())
            }
        };
        self.next().datapackage = Some((key, Arc::clone(&bytes)));
        Bytes::Shared(bytes)
    }
}

/// Per template, the shared values it (with its parents and includes) reads; `None` when that
/// cannot be known.
fn template_uses(
    tera: &Tera,
    templates: &[(String, String)],
) -> FastMap<String, Option<HashSet<String>>> {
    let whole_context = templates.iter().any(|(_, t)| t.contains("__tera_context"))
        || tera.get_component_names().next().is_some();
    templates
        .iter()
        .map(|(name, _)| {
            let uses = if whole_context {
                None
            } else {
                tera.get_template_variables(name).ok().map(|vars| {
                    SHARED
                        .iter()
                        .filter(|v| vars.contains(**v))
                        .map(|v| v.to_string())
                        .collect()
                })
            };
            (name.clone(), uses)
        })
        .collect()
}

/// Who each value of `chart` comes from (its CSV lists them), in cell order.
fn chart_sources(chart: &Chart, site: &Site) -> Vec<String> {
    chart
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().flatten().chain(&r.multiple))
        .flat_map(|cell| &cell.facts)
        .map(|target| {
            site.fact(target)
                .map(|(_, f)| f.source.who.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// A fingerprint of everything a company's facts are shown with: its names, description, kind
/// and every field of every fact.
fn company_fingerprint(c: &Company) -> u64 {
    let mut h = Fingerprint::new();
    (&c.slug, &c.description).hash(&mut h);
    json_fingerprint(&(&c.name, c.kind, &c.facts)).hash(&mut h);
    h.finish()
}
