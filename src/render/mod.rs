//! Renders a validated site to files: pages, charts, data downloads and static files.
//!
//! Nothing here touches the disk; the writer does that with what this hands it.
//!
//! A render is planned first: every output and the order the site has always emitted them in
//! (static files, charts, pages, data downloads, indexes), so that where two outputs share a path
//! the later one wins, as before. The charts are then drawn and the pages rendered on every core
//! (rayon); each file goes to a sink as soon as it is made, so `build` writes while it renders and
//! never holds the whole site in memory. Nothing in the output depends on the order the work is
//! done in: paths come from the plan, lists from the site's own order, never from a hash map.
//!
//! [`render_cached`] renders the same bytes while keeping a [`Cache`] between calls (`serve`):
//! an output is made again only when something it is made from changed. See [`Cache`] for what
//! decides that.

pub mod figures;
mod views;

use std::collections::{BTreeMap, HashSet};
use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera, Value};

use crate::chart::Chart;
use crate::diagnostic::Diagnostic;
use crate::export;
use crate::facts::{Company, FastMap};
use crate::load::Site;
use crate::markdown::Rendered;
use crate::section::Section;
use crate::templates;
use figures::Figure;
use views::{CompanyView, FactRow, FeedEntry, Link, PageView, SectionView, SiteView};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// The built site, in memory.
#[derive(Debug, Clone)]
pub struct Built {
    /// Every file, sorted by path.
    pub outputs: Vec<Output>,
    /// Number of HTML pages.
    pub pages: usize,
    /// Number of charts.
    pub charts: usize,
    /// Number of facts.
    pub facts: usize,
}

/// What a render made, besides the files themselves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Number of HTML pages (outputs whose path ends in `.html`).
    pub pages: usize,
    /// Number of charts.
    pub charts: usize,
    /// Number of facts.
    pub facts: usize,
    /// Number of outputs.
    pub files: usize,
}

/// The contents of one output as the renderer hands it on.
pub enum Bytes {
    /// Made by this render.
    Owned(Vec<u8>),
    /// Kept from an earlier render (see [`Cache`]).
    Shared(Arc<[u8]>),
}

impl Bytes {
    /// The contents.
    pub fn as_slice(&self) -> &[u8] {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Shared(a) => a,
        }
    }

    fn into_vec(self) -> Vec<u8> {
        match self {
            Bytes::Owned(v) => v,
            Bytes::Shared(a) => a.to_vec(),
        }
    }

    fn into_shared(self) -> Arc<[u8]> {
        match self {
            Bytes::Owned(v) => v.into(),
            Bytes::Shared(a) => a,
        }
    }
}

/// One output handed to a sink.
pub struct Emitted<'a> {
    /// Path relative to the output folder.
    pub path: &'a str,
    /// Its contents.
    pub bytes: Bytes,
    /// Position in the order outputs have always been emitted in.
    pub seq: usize,
    /// False when a later output has the same path and replaces this one.
    pub last: bool,
}

/// Receives every output, from any thread, in no particular order.
pub type Sink<'a> = &'a (dyn Fn(Emitted<'_>) + Sync);

/// Renders `site` (already validated) into memory. `root` is only used to name template files in
/// errors.
pub fn render(site: &Site, root: &Path) -> Result<Built, Vec<Diagnostic>> {
    let kept: Mutex<Vec<(usize, Output)>> = Mutex::new(Vec::new());
    let counts = render_to(site, root, &|e: Emitted<'_>| {
        let output = Output {
            path: e.path.to_string(),
            bytes: e.bytes.into_vec(),
        };
        lock(&kept).push((e.seq, output));
    })?;
    let mut kept = kept.into_inner().unwrap_or_else(PoisonError::into_inner);
    // By path, and in emission order where paths are equal, as the writer has always seen them.
    kept.sort_by(|(a_seq, a), (b_seq, b)| (&a.path, a_seq).cmp(&(&b.path, b_seq)));
    Ok(Built {
        outputs: kept.into_iter().map(|(_, o)| o).collect(),
        pages: counts.pages,
        charts: counts.charts,
        facts: counts.facts,
    })
}

/// Renders `site` (already validated), handing every output to `sink` as soon as it is made.
pub fn render_to(site: &Site, root: &Path, sink: Sink<'_>) -> Result<Counts, Vec<Diagnostic>> {
    render_to_if(site, root, |_| true, sink).map(|counts| counts.unwrap_or_default())
}

/// [`render_to`], once `proceed` has seen the paths of every output, in emission order: if it
/// says no, nothing is rendered and there are no counts.
pub fn render_to_if(
    site: &Site,
    root: &Path,
    proceed: impl FnOnce(&[String]) -> bool,
    sink: Sink<'_>,
) -> Result<Option<Counts>, Vec<Diagnostic>> {
    let tera = compile(site, root)?;
    let parts = company_parts(site, &site.config.base_path(), None);
    let plan = Plan::new(site, &parts);
    if !proceed(&plan.paths) {
        return Ok(None);
    }
    let job = Render::new(site, root, &tera, &plan, &parts, sink, None);
    let (counts, _) = job.run()?;
    Ok(Some(counts))
}

/// What a render needs of each company besides its page: its chart and the HTML of its facts in
/// prose. Made once per company, and in a kept render kept while the company does not change.
#[derive(Clone)]
struct CompanyParts {
    /// [`company_fingerprint`] (kept renders only; 0 otherwise).
    print: u64,
    chart: Option<Arc<Chart>>,
    /// Fact id and the HTML a reference to it becomes ([`views::fact_html`]).
    facts_html: Arc<Vec<(String, String)>>,
}

/// [`CompanyParts`] of every company, in order, on every core; with a cache, those of unchanged
/// companies are taken from it.
fn company_parts(site: &Site, base_path: &str, cache: Option<&Cache>) -> Vec<CompanyParts> {
    site.companies
        .par_iter()
        .map(|c| {
            let print = if cache.is_some() {
                company_fingerprint(c)
            } else {
                0
            };
            if let Some(kept) = cache.and_then(|k| k.companies.get(&c.slug))
                && kept.print == print
            {
                return kept.clone();
            }
            let facts_html = c
                .facts
                .iter()
                .filter_map(|f| {
                    let target = format!("{}/{}", c.slug, f.id);
                    views::fact_html(site, &target, base_path).map(|html| (f.id.clone(), html))
                })
                .collect();
            CompanyParts {
                print,
                chart: figures::for_company(c, site).map(Arc::new),
                facts_html: Arc::new(facts_html),
            }
        })
        .collect()
}

/// True when one planned output would be a folder of another (`a` and `a/b`): the files then
/// cannot all be written, and which one fails depends on the order they are written in.
pub fn paths_conflict(paths: &[String]) -> bool {
    let set: HashSet<&str> = paths.iter().map(String::as_str).collect();
    paths
        .iter()
        .any(|p| p.match_indices('/').any(|(i, _)| set.contains(&p[..i])))
}

/// The site's templates, compiled, escaping with [`escape_html`].
fn compile(site: &Site, root: &Path) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = templates::compile(&site.templates, root)?;
    tera.set_escape_fn(escape_html);
    Ok(tera)
}

/// Tera's HTML escaping, the same five characters and entities, written a run of plain text at a
/// time: Tera's own writes byte by byte through a `dyn Write`, 8% of a build.
pub fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

/// The host of `base_url` when GitHub Pages must be told about it in a `CNAME` file: a custom
/// domain, not `*.github.io` and not a local address.
pub fn custom_domain(base_url: &str) -> Option<&str> {
    let host = base_url.split_once("://")?.1.split(['/', ':']).next()?;
    let local = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok();
    (!host.is_empty() && !local && !host.ends_with(".github.io")).then_some(host)
}

/// A stable short content hash (64-bit FNV-1a), for cache-busting asset URLs.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")[..10].to_string()
}

/// The hasher of cache keys: SipHash with fixed keys, so the same input gives the same key.
pub(crate) type Fingerprint = std::hash::DefaultHasher;

/// A fingerprint of `value` as JSON, streamed into the hasher (no text is built).
fn json_fingerprint<T: Serialize + ?Sized>(value: &T) -> u64 {
    struct Feed<'a>(&'a mut Fingerprint);
    impl std::io::Write for Feed<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Fingerprint::new();
    // Serializing the site's own types to JSON cannot fail; if it did, the key would only be
    // weaker, never wrong for equal values.
    let _ = serde_json::to_writer(Feed(&mut h), value);
    h.finish()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What a page is.
#[derive(Debug, Clone, Copy)]
enum PageJob {
    Home,
    /// The n-th published section.
    Section(usize),
    Companies,
    /// The n-th company.
    Company(usize),
    Data,
    /// The n-th stand-alone page.
    Page(usize),
    NotFound,
    Sitemap,
    Feed,
    Robots,
}

/// Every output of a site and its place in the emission order, known before anything is drawn or
/// rendered.
struct Plan<'a> {
    /// Published sections, in reading order.
    published: Vec<&'a Section>,
    /// Every chart, editors' first, then companies'.
    charts: Vec<Arc<Chart>>,
    /// The output paths, in emission order (an output's `seq` is its position here).
    paths: Vec<String>,
    /// Where in `paths` the static files, charts, pages, data files and indexes begin.
    first_chart: usize,
    first_data: usize,
    /// The pages and indexes, with their `seq`.
    pages: Vec<(usize, PageJob)>,
    /// The `seq` of `.nojekyll` and `CNAME` (if any).
    nojekyll: usize,
    cname: Option<usize>,
    /// Whether each output is the last of its path (a later one of the same path replaces it).
    last: Vec<bool>,
}

impl<'a> Plan<'a> {
    fn new(site: &'a Site, companies: &[CompanyParts]) -> Self {
        let published: Vec<&Section> = site.published_sections().collect();
        let mut charts: Vec<Arc<Chart>> = site
            .charts
            .par_iter()
            .map(|s| Arc::new(figures::from_spec(s, site)))
            .collect();
        charts.extend(companies.iter().filter_map(|p| p.chart.clone()));

        let mut paths: Vec<String> = site.static_files.iter().map(|(p, _)| p.clone()).collect();
        let first_chart = paths.len();
        for c in &charts {
            paths.push(format!("charts/{}.svg", c.id));
            paths.push(format!("charts/{}-narrow.svg", c.id));
            paths.push(format!("charts/{}.csv", c.id));
        }
        let mut pages = Vec::new();
        let mut page = |job: PageJob, path: String, paths: &mut Vec<String>| {
            pages.push((paths.len(), job));
            paths.push(path);
        };
        page(PageJob::Home, "index.html".into(), &mut paths);
        for (i, s) in published.iter().enumerate() {
            page(
                PageJob::Section(i),
                format!("sections/{}/index.html", s.slug),
                &mut paths,
            );
        }
        page(
            PageJob::Companies,
            "companies/index.html".into(),
            &mut paths,
        );
        for (i, c) in site.companies.iter().enumerate() {
            page(
                PageJob::Company(i),
                format!("companies/{}/index.html", c.slug),
                &mut paths,
            );
        }
        page(PageJob::Data, "data/index.html".into(), &mut paths);
        for (i, p) in site.pages.iter().enumerate() {
            page(
                PageJob::Page(i),
                format!("{}/index.html", p.slug),
                &mut paths,
            );
        }
        page(PageJob::NotFound, "404.html".into(), &mut paths);
        let first_data = paths.len();
        paths.push("data/facts.json".into());
        paths.push("data/facts.csv".into());
        page(PageJob::Sitemap, "sitemap.xml".into(), &mut paths);
        page(PageJob::Feed, "feed.xml".into(), &mut paths);
        page(PageJob::Robots, "robots.txt".into(), &mut paths);
        let nojekyll = paths.len();
        paths.push(".nojekyll".into());
        let cname = custom_domain(&site.config.base_url).map(|_| {
            paths.push("CNAME".into());
            paths.len() - 1
        });
        let mut latest: FastMap<&str, usize> =
            FastMap::with_capacity_and_hasher(paths.len(), Default::default());
        for (seq, p) in paths.iter().enumerate() {
            latest.insert(p, seq);
        }
        let last = paths
            .iter()
            .enumerate()
            .map(|(seq, p)| latest.get(p.as_str()) == Some(&seq))
            .collect();
        Plan {
            published,
            charts,
            paths,
            first_chart,
            first_data,
            pages,
            nojekyll,
            cname,
            last,
        }
    }

    fn is_last(&self, seq: usize) -> bool {
        self.last[seq]
    }
}

/// A drawn chart as pages and caches keep it.
struct DrawnChart {
    /// What pages show (its URLs with the base path), as templates see it.
    value: Value,
    /// A fingerprint of `figure`, standing for it in page keys.
    fingerprint: u64,
    svg: Arc<[u8]>,
    svg_narrow: Arc<[u8]>,
    csv: Arc<[u8]>,
}

/// A drawn chart with what it was drawn from: the chart and who each value comes from.
type KeptChart = (Arc<Chart>, Vec<String>, Arc<DrawnChart>);

/// `facts.json` and `facts.csv` with the key they were made under.
type KeptData = (u64, Arc<[u8]>, Arc<[u8]>);

/// A rendered page with the keys it was rendered under.
#[derive(Clone)]
struct PageEntry {
    /// The key from what the page depends on, for the pages that have one (see
    /// [`Render::prekey`]).
    prekey: Option<u64>,
    /// The key from the page's whole context.
    key: u64,
    bytes: Arc<[u8]>,
}

/// Markdown rendered once, with what it was rendered from.
struct MarkdownEntry {
    /// The revision of the file's text ([`Site::revision`]); `None`: never reused.
    revision: Option<u64>,
    /// The companies its fact references named, and their fingerprints then (`None`: missing).
    companies: Vec<(String, Option<u64>)>,
    rendered: Rendered,
    fingerprint: u64,
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
/// - a page is rendered again when its cache key differs: the template, the compiled templates'
///   generation, everything in its context except the values every page shares, and of those
///   (site, words, assets, section and page lists) the ones its templates use. Which those are
///   comes from Tera's list of the variables a template and its parents and includes read; when
///   a template could read the whole context (`__tera_context`, components) or output something
///   that is not a function of its context (`now()`, `get_env()`, `get_random()`), pages are not
///   kept at all.
///
/// A wrong key could only come from a hash collision of 64-bit SipHash fingerprints.
#[derive(Default)]
pub struct Cache {
    templates: Vec<(String, String)>,
    tera: Option<Arc<Tera>>,
    /// Bumped whenever the templates are compiled again.
    generation: u64,
    /// Per template: the shared values it reads (`None`: all of them); pages are not kept when
    /// `keep_pages` is false.
    uses: FastMap<String, Option<HashSet<String>>>,
    keep_pages: bool,
    /// Fingerprint of the base URL, base path and strings: when it changes, nothing is kept.
    env: u64,
    charts: FastMap<String, KeptChart>,
    markdown: FastMap<OsString, Arc<MarkdownEntry>>,
    pages: FastMap<String, PageEntry>,
    data: Option<KeptData>,
    statics: FastMap<String, Arc<[u8]>>,
    shared: Option<(u64, Arc<Shared>)>,
    /// The parts of each company, by slug.
    companies: FastMap<String, CompanyParts>,
    /// The planned paths and the order of the last of each path by path.
    order: (Vec<String>, Vec<usize>),
    /// The list of sections: a key from the sections' revisions, its fingerprint, its value.
    sections: Option<(u64, u64, Value)>,
    /// Outputs made (not reused) by the last render.
    made: usize,
}

impl Cache {
    /// An empty cache: the first render makes everything.
    pub fn new() -> Self {
        Cache::default()
    }

    /// How many outputs the last render made rather than reused.
    pub fn made(&self) -> usize {
        self.made
    }
}

/// Renders `site` (already validated) like [`render`], reusing from `cache` what has not changed
/// and leaving in it what the next call can reuse. Returns every output by path (where two share
/// a path, the later one) and the counts.
pub fn render_cached(
    site: &Site,
    root: &Path,
    cache: &mut Cache,
) -> Result<(crate::build::Files, Counts), Vec<Diagnostic>> {
    let env = {
        let mut h = Fingerprint::new();
        (&site.config.base_url, site.config.base_path()).hash(&mut h);
        json_fingerprint(&site.strings).hash(&mut h);
        h.finish()
    };
    if env != cache.env {
        let templates = std::mem::take(&mut cache.templates);
        let tera = cache.tera.take();
        let generation = cache.generation;
        let uses = std::mem::take(&mut cache.uses);
        let keep_pages = cache.keep_pages;
        *cache = Cache {
            templates,
            tera,
            generation,
            uses,
            keep_pages,
            env,
            ..Cache::default()
        };
    }
    if cache.tera.is_none() || cache.templates != site.templates {
        let tera = compile(site, root)?;
        cache.uses = template_uses(&tera, &site.templates);
        cache.keep_pages = pages_can_be_kept(&site.templates);
        cache.tera = Some(Arc::new(tera));
        cache.templates = site.templates.clone();
        cache.generation += 1;
        cache.pages.clear();
    }
    let tera = Arc::clone(cache.tera.as_ref().expect("compiled above"));
    let parts = company_parts(site, &site.config.base_path(), Some(cache));
    let plan = Plan::new(site, &parts);
    let kept: Mutex<Vec<(usize, Arc<[u8]>)>> = Mutex::new(Vec::with_capacity(plan.paths.len()));
    let sink = |e: Emitted<'_>| lock(&kept).push((e.seq, e.bytes.into_shared()));
    let job = Render::new(site, root, &tera, &plan, &parts, &sink, Some(cache));
    let (counts, next) = job.run()?;
    let next = next.expect("a cached render returns its cache");
    cache.charts = next.charts;
    cache.companies = site
        .companies
        .iter()
        .zip(parts)
        .map(|(c, p)| (c.slug.clone(), p))
        .collect();
    // Markdown entries change one file at a time: update the kept map in place, and forget the
    // files that are gone only when there are any.
    for (path, entry) in next.markdown {
        cache.markdown.insert(path, entry);
    }
    if cache.markdown.len() > site.sections.len() + site.pages.len() {
        let current: HashSet<&std::ffi::OsStr> = site
            .sections
            .iter()
            .map(|s| s.path.as_os_str())
            .chain(site.pages.iter().map(|p| p.path.as_os_str()))
            .collect();
        cache
            .markdown
            .retain(|path, _| current.contains(path.as_os_str()));
    }
    cache.pages = next.pages;
    cache.data = next.data;
    cache.statics = next.statics;
    cache.shared = next.shared;
    cache.sections = next.sections;
    cache.made = next.made;
    let kept = kept.into_inner().unwrap_or_else(PoisonError::into_inner);
    // The outputs by path, the later of equal paths: in path order, so the map is built in one
    // pass. The order only changes with the plan, so it is kept.
    let mut by_seq: Vec<Option<Arc<[u8]>>> = vec![None; plan.paths.len()];
    for (seq, bytes) in kept {
        by_seq[seq] = Some(bytes);
    }
    if cache.order.0 != plan.paths {
        let mut order: Vec<usize> = (0..plan.paths.len())
            .filter(|&seq| plan.last[seq])
            .collect();
        order.sort_unstable_by(|a, b| plan.paths[*a].cmp(&plan.paths[*b]));
        cache.order = (plan.paths.clone(), order);
    }
    let files: BTreeMap<String, Arc<[u8]>> = cache
        .order
        .1
        .iter()
        .filter_map(|&seq| Some((plan.paths[seq].clone(), by_seq[seq].take()?)))
        .collect();
    Ok((files, counts))
}

/// The shared variables of every page's context.
const SHARED: [&str; 5] = ["site", "t", "assets", "sections", "pages"];

/// The values every page's context shares, made once per render.
struct Shared {
    values: [Value; 5],
    /// Their fingerprints, in the order of [`SHARED`].
    fingerprints: [u64; 5],
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

/// False when a template could put something in a page that its context does not decide.
fn pages_can_be_kept(templates: &[(String, String)]) -> bool {
    !templates.iter().any(|(_, t)| {
        ["now(", "get_env(", "get_random("]
            .iter()
            .any(|f| t.contains(f))
    })
}

/// What a render leaves for the next one.
#[derive(Default)]
struct NextCache {
    charts: FastMap<String, KeptChart>,
    markdown: FastMap<OsString, Arc<MarkdownEntry>>,
    pages: FastMap<String, PageEntry>,
    data: Option<KeptData>,
    statics: FastMap<String, Arc<[u8]>>,
    shared: Option<(u64, Arc<Shared>)>,
    sections: Option<(u64, u64, Value)>,
    made: usize,
}

/// One render: the plan, and what every page shares.
struct Render<'a> {
    site: &'a Site,
    root: &'a Path,
    tera: &'a Tera,
    plan: &'a Plan<'a>,
    sink: Sink<'a>,
    cache: Option<&'a Cache>,
    base_path: String,
    /// Company index → published sections discussing it.
    discussed: Vec<Vec<usize>>,
    /// Company fingerprints by slug, the first of a slug, as references find it (kept renders
    /// only).
    company_prints: FastMap<&'a str, u64>,
    /// Company fingerprints in the order of `site.companies` (kept renders only).
    prints: Vec<u64>,
    /// The HTML of every fact, by company slug (the first company of a slug, as references
    /// find it), made once per render: one figure is referenced from many sections, and
    /// formatting it costs thousands of instructions.
    fact_html: FastMap<&'a str, Arc<Vec<(String, String)>>>,
    made: std::sync::atomic::AtomicUsize,
}

/// One page's own context (everything but the shared values), which is also its cache key.
struct PageSpec<'a> {
    template: &'static str,
    page: PageView,
    vars: Vec<(&'static str, Var<'a>)>,
}

/// A value of a page's own context.
enum Var<'a> {
    Section(&'a Section, usize, Arc<MarkdownEntry>),
    Link(Option<Link>),
    Links(Vec<Link>),
    Facts(Vec<FactRow>),
    Company(CompanyView<'a>),
    Figure(Option<Arc<DrawnChart>>),
    Figures(Vec<Arc<DrawnChart>>),
    Html(Arc<MarkdownEntry>),
    Text(String),
    Texts(Vec<String>),
    Entries(Vec<FeedEntry>),
}

impl Var<'_> {
    fn hash_into(&self, h: &mut Fingerprint) {
        match self {
            Var::Section(s, number, markdown) => {
                // Every field but the Markdown, which its fingerprint stands for.
                let without = Rendered::default();
                let view = SectionView::new(s, &without, *number);
                (0u8, json_fingerprint(&view), markdown.fingerprint).hash(h);
            }
            Var::Link(v) => (1u8, v).hash(h),
            Var::Links(v) => (2u8, v).hash(h),
            Var::Facts(v) => (3u8, v).hash(h),
            Var::Company(v) => (4u8, v).hash(h),
            Var::Figure(v) => (5u8, v.as_ref().map(|d| d.fingerprint)).hash(h),
            Var::Figures(v) => {
                6u8.hash(h);
                v.len().hash(h);
                for d in v {
                    d.fingerprint.hash(h);
                }
            }
            Var::Html(markdown) => (7u8, markdown.fingerprint).hash(h),
            Var::Text(v) => (8u8, v).hash(h),
            Var::Texts(v) => (9u8, v).hash(h),
            Var::Entries(v) => (10u8, v).hash(h),
        }
    }

    /// Puts the value in `ctx` under `name`; rendered Markdown goes in as `html` and `headings`.
    fn insert(&self, ctx: &mut Context, name: &'static str) {
        match self {
            Var::Section(s, number, markdown) => {
                ctx.insert(name, &SectionView::new(s, &markdown.rendered, *number));
            }
            Var::Link(v) => ctx.insert(name, v),
            Var::Links(v) => ctx.insert(name, v),
            Var::Facts(v) => ctx.insert(name, v),
            Var::Company(v) => ctx.insert(name, v),
            Var::Figure(v) => match v {
                Some(d) => ctx.insert_value(name, d.value.clone()),
                None => ctx.insert(name, &None::<Figure>),
            },
            Var::Figures(v) => {
                let values: Vec<Value> = v.iter().map(|d| d.value.clone()).collect();
                ctx.insert_value(name, Value::from(values));
            }
            Var::Html(markdown) => {
                ctx.insert("html", &markdown.rendered.html);
                ctx.insert("headings", &markdown.rendered.headings);
            }
            Var::Text(v) => ctx.insert(name, v),
            Var::Texts(v) => ctx.insert(name, v),
            Var::Entries(v) => ctx.insert(name, v),
        }
    }
}

/// What one page job produced for the cache.
struct PageDone {
    seq: usize,
    key: Option<PageEntry>,
    /// Markdown rendered by this job (not taken from the cache), for the cache.
    markdown: Option<(OsString, Arc<MarkdownEntry>)>,
    problem: Option<Diagnostic>,
}

impl<'a> Render<'a> {
    fn new(
        site: &'a Site,
        root: &'a Path,
        tera: &'a Tera,
        plan: &'a Plan<'a>,
        parts: &[CompanyParts],
        sink: Sink<'a>,
        cache: Option<&'a Cache>,
    ) -> Self {
        // Which sections discuss each company, in reading order: one pass over the sections.
        let mut discussed = vec![Vec::new(); site.companies.len()];
        let mut positions: FastMap<&str, Vec<usize>> =
            FastMap::with_capacity_and_hasher(site.companies.len(), Default::default());
        for (i, c) in site.companies.iter().enumerate() {
            positions.entry(c.slug.as_str()).or_default().push(i);
        }
        for (n, s) in plan.published.iter().enumerate() {
            for slug in &s.meta.companies {
                for &i in positions.get(slug.as_str()).map_or(&[][..], Vec::as_slice) {
                    if discussed[i].last() != Some(&n) {
                        discussed[i].push(n);
                    }
                }
            }
        }
        let prints: Vec<u64> = parts.iter().map(|p| p.print).collect();
        let mut company_prints = FastMap::default();
        let mut fact_html = FastMap::default();
        for (c, p) in site.companies.iter().zip(parts) {
            company_prints.entry(c.slug.as_str()).or_insert(p.print);
            fact_html
                .entry(c.slug.as_str())
                .or_insert_with(|| Arc::clone(&p.facts_html));
        }
        let base_path = site.config.base_path();
        Render {
            site,
            root,
            tera,
            plan,
            sink,
            cache,
            fact_html,
            prints,
            base_path,
            discussed,
            company_prints,
            made: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    fn emit(&self, seq: usize, bytes: Bytes) {
        (self.sink)(Emitted {
            path: &self.plan.paths[seq],
            bytes,
            seq,
            last: self.plan.is_last(seq),
        });
    }

    fn count_made(&self, n: usize) {
        self.made.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    fn run(self) -> Result<(Counts, Option<NextCache>), Vec<Diagnostic>> {
        let site = self.site;
        let plan = self.plan;
        let mut next = NextCache::default();

        // Static files, and the asset URLs every page links with their content hash.
        let mut assets = BTreeMap::new();
        for (i, (path, bytes)) in site.static_files.iter().enumerate() {
            let url = format!("{}?v={}", self.url(path), content_hash(bytes));
            assets.insert(path.clone(), url);
            let out = match self.cache {
                None => Bytes::Owned(bytes.clone()),
                Some(cache) => {
                    let shared = match cache.statics.get(path) {
                        Some(kept) if **kept == **bytes => Arc::clone(kept),
                        _ => {
                            self.count_made(1);
                            Arc::from(bytes.as_slice())
                        }
                    };
                    next.statics.insert(path.clone(), Arc::clone(&shared));
                    Bytes::Shared(shared)
                }
            };
            self.emit(i, out);
        }

        // Charts, on every core. Where two charts share an id, pages show the later one.
        let drawn: Vec<(Arc<DrawnChart>, Vec<String>)> = plan
            .charts
            .par_iter()
            .enumerate()
            .map(|(i, chart)| {
                let sources = chart_sources(chart, site);
                let kept = self
                    .cache
                    .and_then(|c| c.charts.get(&chart.id))
                    .and_then(|(c, s, d)| (c == chart && *s == sources).then(|| Arc::clone(d)));
                let d = match kept {
                    Some(d) => d,
                    None => {
                        self.count_made(3);
                        Arc::new(self.draw(chart))
                    }
                };
                let seq = plan.first_chart + 3 * i;
                self.emit(seq, Bytes::Shared(Arc::clone(&d.svg)));
                self.emit(seq + 1, Bytes::Shared(Arc::clone(&d.svg_narrow)));
                self.emit(seq + 2, Bytes::Shared(Arc::clone(&d.csv)));
                (d, sources)
            })
            .collect();
        let mut figures: FastMap<&str, Arc<DrawnChart>> =
            FastMap::with_capacity_and_hasher(drawn.len(), Default::default());
        for (chart, (d, sources)) in plan.charts.iter().zip(drawn) {
            figures.insert(chart.id.as_str(), Arc::clone(&d));
            if self.cache.is_some() {
                next.charts
                    .insert(chart.id.clone(), (Arc::clone(chart), sources, d));
            }
        }
        let counts_charts = figures.len();

        // The values every page shares.
        let shared = self.shared(assets, &mut next);

        // Pages, indexes and data files, on every core; the biggest first, so that no core is
        // left with a long page at the end.
        let mut jobs: Vec<(usize, PageJob)> = plan.pages.clone();
        jobs.sort_by_key(|(_, job)| match job {
            PageJob::Data | PageJob::Feed | PageJob::Sitemap | PageJob::Home => 0,
            PageJob::NotFound | PageJob::Companies => 1,
            _ => 2,
        });
        let (done, data) = rayon::join(
            || {
                jobs.par_iter()
                    .map(|&(seq, job)| self.page(seq, job, &shared, &figures))
                    .collect::<Vec<PageDone>>()
            },
            || self.data_files(),
        );
        if let Some(data) = data {
            next.data = Some(data);
        }
        self.emit(plan.nojekyll, Bytes::Owned(Vec::new()));
        if let Some(seq) = plan.cname {
            let domain = custom_domain(&site.config.base_url).unwrap_or_default();
            self.emit(seq, Bytes::Owned(format!("{domain}\n").into_bytes()));
        }

        let mut problems = Vec::new();
        for d in done {
            if let Some(p) = d.problem {
                problems.push(p);
            }
            if let Some(entry) = d.key {
                next.pages.insert(plan.paths[d.seq].clone(), entry);
            }
            if let Some((path, entry)) = d.markdown {
                next.markdown.insert(path, entry);
            }
        }
        if !problems.is_empty() {
            problems.sort();
            problems.dedup();
            return Err(problems);
        }
        next.made = self.made.load(std::sync::atomic::Ordering::Relaxed);
        let counts = Counts {
            pages: plan.paths.iter().filter(|p| p.ends_with(".html")).count(),
            charts: counts_charts,
            facts: site.companies.iter().map(|c| c.facts.len()).sum(),
            files: plan.paths.len(),
        };
        Ok((counts, self.cache.map(|_| next)))
    }

    /// Draws `chart`; its figure's URLs get the base path.
    fn draw(&self, chart: &Chart) -> DrawnChart {
        let d = figures::draw(chart, self.site);
        let mut figure = d.figure;
        figure.svg = self.url(&figure.svg);
        figure.svg_narrow = self.url(&figure.svg_narrow);
        figure.csv = self.url(&figure.csv);
        let mut h = Fingerprint::new();
        figure.hash(&mut h);
        DrawnChart {
            value: Value::from_serializable(&figure),
            fingerprint: h.finish(),
            svg: d.svg.into_bytes().into(),
            svg_narrow: d.svg_narrow.into_bytes().into(),
            csv: d.csv.into_bytes().into(),
        }
    }

    /// The shared values: made again only when their fingerprints changed.
    fn shared(&self, assets: BTreeMap<String, String>, next: &mut NextCache) -> Arc<Shared> {
        let site = self.site;
        let site_view = SiteView::new(&site.config, &self.base_path);
        let section_links = || -> Vec<Link> {
            self.plan
                .published
                .iter()
                .map(|s| self.section_link(s))
                .collect()
        };
        let pages: Vec<Link> = site
            .pages
            .iter()
            .map(|p| {
                Link::new(
                    &p.meta.title,
                    self.url(&format!("{}/", p.slug)),
                    &p.meta.summary,
                )
            })
            .collect();
        let Some(cache) = self.cache else {
            return Arc::new(Shared {
                values: [
                    Value::from_serializable(&site_view),
                    Value::from_serializable(&site.strings.ui),
                    Value::from_serializable(&assets),
                    Value::from_serializable(&section_links()),
                    Value::from_serializable(&pages),
                ],
                fingerprints: [0; 5],
            });
        };
        let hashed = |value: &dyn Fn(&mut Fingerprint)| {
            let mut h = Fingerprint::new();
            value(&mut h);
            h.finish()
        };
        // The list of ten thousand sections is made again only when what its links are made of
        // changed: see `section_link`.
        let sections_key = Some(hashed(&|h| {
            self.base_path.hash(h);
            for s in &self.plan.published {
                (&s.meta.title, &s.slug, &s.meta.summary).hash(h);
            }
        }));
        let (sections_print, sections) = match (&cache.sections, sections_key) {
            (Some((k, print, value)), Some(key)) if *k == key => (*print, value.clone()),
            _ => {
                let links = section_links();
                (hashed(&|h| links.hash(h)), Value::from_serializable(&links))
            }
        };
        if let Some(key) = sections_key {
            next.sections = Some((key, sections_print, sections.clone()));
        }
        let fingerprints = [
            json_fingerprint(&site_view),
            hashed(&|h| site.strings.ui.hash(h)),
            hashed(&|h| assets.hash(h)),
            sections_print,
            hashed(&|h| pages.hash(h)),
        ];
        let key = json_fingerprint(&fingerprints);
        let shared = match &cache.shared {
            Some((k, s)) if *k == key => Arc::clone(s),
            _ => Arc::new(Shared {
                values: [
                    Value::from_serializable(&site_view),
                    Value::from_serializable(&site.strings.ui),
                    Value::from_serializable(&assets),
                    sections,
                    Value::from_serializable(&pages),
                ],
                fingerprints,
            }),
        };
        next.shared = Some((key, Arc::clone(&shared)));
        shared
    }

    /// The link to a section. What it is made of (title, slug, summary, base path) is also the
    /// key of the kept list of sections in [`Render::shared`]: change both together.
    fn section_link(&self, s: &Section) -> Link {
        Link::new(
            &s.meta.title,
            self.url(&format!("sections/{}/", s.slug)),
            &s.meta.summary,
        )
    }

    fn company_link(&self, c: &Company) -> Link {
        Link::new(
            &c.name.zh,
            self.url(&format!("companies/{}/", c.slug)),
            &c.description,
        )
    }

    fn page_view(&self, title: &str, description: &str, path: &str, kind: &str) -> PageView {
        PageView {
            title: title.to_string(),
            description: description.to_string(),
            path: path.to_string(),
            url: self.url(path),
            canonical: format!("{}{path}", self.site.config.base_url),
            kind: kind.to_string(),
        }
    }

    fn fact_rows(&self, company: &Company) -> Vec<FactRow> {
        company
            .facts
            .iter()
            .map(|f| FactRow::new(company, f, self.site, &self.base_path))
            .collect()
    }

    fn ui(&self, key: &str) -> String {
        self.site.strings.ui.get(key).cloned().unwrap_or_default()
    }

    /// Renders `body` to HTML, or takes it from the cache when neither its text nor a company
    /// it names changed.
    fn markdown(&self, path: &Path, body: &str) -> (Arc<MarkdownEntry>, bool) {
        // The file's revision stands for its text: comparing ten thousand bodies would read
        // 50 MB on every rebuild.
        let revision = self.site.revision(path);
        if let Some(kept) = self.cache.and_then(|c| c.markdown.get(path.as_os_str()))
            && revision.is_some()
            && kept.revision == revision
            && kept
                .companies
                .iter()
                .all(|(slug, print)| self.company_prints.get(slug.as_str()).copied() == *print)
        {
            return (Arc::clone(kept), false);
        }
        let named: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let rendered = crate::markdown::render(body, &|target| {
            if self.cache.is_some() {
                let slug = target.split_once('/').map_or(target, |(s, _)| s);
                lock(&named).push(slug.to_string());
            }
            let (slug, id) = target.split_once('/')?;
            let facts = self.fact_html.get(slug)?;
            facts
                .iter()
                .find(|(fact, _)| fact == id)
                .map(|(_, html)| html.clone())
        });
        let mut named = named.into_inner().unwrap_or_else(PoisonError::into_inner);
        named.sort();
        named.dedup();
        let companies = named
            .into_iter()
            .map(|slug| {
                let print = self.company_prints.get(slug.as_str()).copied();
                (slug, print)
            })
            .collect();
        let fingerprint = if self.cache.is_some() {
            views::rendered_fingerprint(&rendered)
        } else {
            0
        };
        let entry = Arc::new(MarkdownEntry {
            revision,
            companies,
            rendered,
            fingerprint,
        });
        (entry, true)
    }

    /// Renders one page, or takes it from the cache when its key is unchanged.
    fn page(
        &self,
        seq: usize,
        job: PageJob,
        shared: &Shared,
        figures: &FastMap<&str, Arc<DrawnChart>>,
    ) -> PageDone {
        let site = self.site;
        let entry = match job {
            PageJob::Section(i) => {
                let s = self.plan.published[i];
                Some((&s.path, self.markdown(&s.path, &s.body)))
            }
            PageJob::Page(i) => {
                let p = &site.pages[i];
                Some((&p.path, self.markdown(&p.path, &p.body)))
            }
            _ => None,
        };
        let mut done = PageDone {
            seq,
            key: None,
            markdown: match (&entry, self.cache) {
                (Some((path, (e, true))), Some(_)) => {
                    Some((path.as_os_str().to_os_string(), Arc::clone(e)))
                }
                _ => None,
            },
            problem: None,
        };
        let markdown = entry.map(|(_, (e, _))| e);
        let cache = self.cache.filter(|c| c.keep_pages);
        let kept = cache.and_then(|c| c.pages.get(&self.plan.paths[seq]));
        let prekey = cache.and_then(|c| self.prekey(c, job, markdown.as_deref(), shared, figures));
        if let (Some(prekey), Some(kept)) = (prekey, kept)
            && kept.prekey == Some(prekey)
        {
            self.emit(seq, Bytes::Shared(Arc::clone(&kept.bytes)));
            done.key = Some(kept.clone());
            return done;
        }
        let spec = self.spec(job, figures, markdown);
        let key = cache.map(|cache| {
            let mut h = Fingerprint::new();
            (spec.template, cache.generation).hash(&mut h);
            spec.page.hash(&mut h);
            for (name, var) in &spec.vars {
                name.hash(&mut h);
                var.hash_into(&mut h);
            }
            for (i, used) in self.shared_used(cache, spec.template).iter().enumerate() {
                if *used {
                    shared.fingerprints[i].hash(&mut h);
                }
            }
            h.finish()
        });
        if let (Some(key), Some(kept)) = (key, kept)
            && kept.key == key
        {
            self.emit(seq, Bytes::Shared(Arc::clone(&kept.bytes)));
            done.key = Some(PageEntry {
                prekey,
                ..kept.clone()
            });
            return done;
        }
        let mut ctx = Context::new();
        for (name, value) in SHARED.iter().zip(&shared.values) {
            ctx.insert_value(*name, value.clone());
        }
        ctx.insert("page", &spec.page);
        for (name, var) in &spec.vars {
            var.insert(&mut ctx, name);
        }
        // Into bytes directly: `render` would check the whole page is UTF-8 again (5% of a
        // build), and the bytes are all the writer wants.
        let mut out = Vec::with_capacity(16 * 1024);
        match self.tera.render_to(spec.template, &ctx, &mut out) {
            Ok(()) => {
                self.count_made(1);
                match key {
                    Some(key) => {
                        let bytes: Arc<[u8]> = out.into();
                        done.key = Some(PageEntry {
                            prekey,
                            key,
                            bytes: Arc::clone(&bytes),
                        });
                        self.emit(seq, Bytes::Shared(bytes));
                    }
                    None => self.emit(seq, Bytes::Owned(out)),
                }
            }
            Err(e) => {
                done.problem = Some(templates::diagnostic(&e, self.root, Some(spec.template)));
            }
        }
        done
    }

    /// Which of the shared values (in the order of [`SHARED`]) `template` reads; all of them
    /// when that is not known.
    fn shared_used(&self, cache: &Cache, template: &str) -> [bool; 5] {
        let uses = cache.uses.get(template).and_then(Option::as_ref);
        SHARED.map(|name| uses.is_none_or(|u| u.contains(name)))
    }

    /// For the pages there are thousands of (sections and companies), a key from what they are
    /// made of, found without making anything: the revisions of the files and the fingerprints
    /// of the companies, charts and Markdown they show, and their place. Equal keys mean equal
    /// contexts, so a page whose key is unchanged is not even looked at; a page whose key
    /// changed still compares its whole context before rendering.
    fn prekey(
        &self,
        cache: &Cache,
        job: PageJob,
        markdown: Option<&MarkdownEntry>,
        shared: &Shared,
        figures: &FastMap<&str, Arc<DrawnChart>>,
    ) -> Option<u64> {
        let site = self.site;
        let published = &self.plan.published;
        let mut h = Fingerprint::new();
        let revision = |s: &Section| site.revision(&s.path);
        let template = match job {
            PageJob::Section(i) => {
                let s = published[i];
                (0u8, i, revision(s)?, markdown?.fingerprint).hash(&mut h);
                let neighbour =
                    |j: Option<usize>| j.and_then(|j| published.get(j)).map(|n| revision(n));
                (neighbour(i.checked_sub(1)), neighbour(Some(i + 1))).hash(&mut h);
                for slug in &s.meta.companies {
                    (slug, self.company_prints.get(slug.as_str())).hash(&mut h);
                }
                for id in &s.meta.charts {
                    (id, figures.get(id.as_str()).map(|d| d.fingerprint)).hash(&mut h);
                }
                "section.html"
            }
            PageJob::Company(i) => {
                let c = &site.companies[i];
                (1u8, i, &c.slug, self.prints.get(i)).hash(&mut h);
                for &n in &self.discussed[i] {
                    revision(published[n])?.hash(&mut h);
                }
                let figure = figures.get(format!("company-{}", c.slug).as_str());
                figure.map(|d| d.fingerprint).hash(&mut h);
                "company.html"
            }
            _ => return None,
        };
        (template, cache.generation).hash(&mut h);
        for (i, used) in self.shared_used(cache, template).iter().enumerate() {
            if *used {
                shared.fingerprints[i].hash(&mut h);
            }
        }
        Some(h.finish())
    }

    /// What page `job` shows: its template, its page view and the rest of its context.
    fn spec(
        &self,
        job: PageJob,
        figures: &FastMap<&str, Arc<DrawnChart>>,
        markdown: Option<Arc<MarkdownEntry>>,
    ) -> PageSpec<'a> {
        let site = self.site;
        let config = &site.config;
        let figure = |id: &str| figures.get(id).map(Arc::clone);
        match job {
            PageJob::Home => {
                let key_numbers: Vec<FactRow> = config
                    .key_numbers
                    .iter()
                    .filter_map(|t| site.fact(t))
                    .map(|(c, f)| FactRow::new(c, f, site, &self.base_path))
                    .collect();
                PageSpec {
                    template: "index.html",
                    page: self.page_view(&config.title, &config.description, "", "home"),
                    vars: vec![
                        ("key_numbers", Var::Facts(key_numbers)),
                        ("figure", Var::Figure(figure(&config.headline_chart))),
                    ],
                }
            }
            PageJob::Section(i) => {
                let published = &self.plan.published;
                let s = published[i];
                let path = format!("sections/{}/", s.slug);
                let entry = markdown.unwrap_or_else(|| self.markdown(&s.path, &s.body).0);
                let section = Var::Section(s, i + 1, entry);
                let companies: Vec<Link> = s
                    .meta
                    .companies
                    .iter()
                    .filter_map(|slug| site.company(slug))
                    .map(|c| self.company_link(c))
                    .collect();
                let figures: Vec<Arc<DrawnChart>> =
                    s.meta.charts.iter().filter_map(|id| figure(id)).collect();
                PageSpec {
                    template: "section.html",
                    page: self.page_view(&s.meta.title, &s.meta.summary, &path, "section"),
                    vars: vec![
                        ("section", section),
                        (
                            "previous",
                            Var::Link(i.checked_sub(1).map(|j| self.section_link(published[j]))),
                        ),
                        (
                            "next",
                            Var::Link(published.get(i + 1).map(|n| self.section_link(n))),
                        ),
                        ("companies", Var::Links(companies)),
                        ("figures", Var::Figures(figures)),
                    ],
                }
            }
            PageJob::Companies => {
                let links = site
                    .companies
                    .iter()
                    .map(|c| self.company_link(c))
                    .collect();
                PageSpec {
                    template: "companies.html",
                    page: self.page_view(
                        &self.ui("companies"),
                        &config.description,
                        "companies/",
                        "companies",
                    ),
                    vars: vec![("companies", Var::Links(links))],
                }
            }
            PageJob::Company(i) => {
                let c = &site.companies[i];
                let path = format!("companies/{}/", c.slug);
                let discussed = self.discussed[i]
                    .iter()
                    .map(|&n| self.section_link(self.plan.published[n]))
                    .collect();
                PageSpec {
                    template: "company.html",
                    page: self.page_view(&c.name.zh, &c.description, &path, "company"),
                    vars: vec![
                        ("company", Var::Company(CompanyView::new(c))),
                        ("facts", Var::Facts(self.fact_rows(c))),
                        (
                            "figure",
                            Var::Figure(figure(&format!("company-{}", c.slug))),
                        ),
                        ("discussed_in", Var::Links(discussed)),
                    ],
                }
            }
            PageJob::Data => {
                let all: Vec<FactRow> = site
                    .companies
                    .iter()
                    .flat_map(|c| self.fact_rows(c))
                    .collect();
                PageSpec {
                    template: "data.html",
                    page: self.page_view(
                        &self.ui("all_facts"),
                        &config.description,
                        "data/",
                        "data",
                    ),
                    vars: vec![
                        ("facts", Var::Facts(all)),
                        ("json", Var::Text(self.url("data/facts.json"))),
                        ("csv", Var::Text(self.url("data/facts.csv"))),
                    ],
                }
            }
            PageJob::Page(i) => {
                let p = &site.pages[i];
                let path = format!("{}/", p.slug);
                let entry = markdown.unwrap_or_else(|| self.markdown(&p.path, &p.body).0);
                let html = Var::Html(entry);
                PageSpec {
                    template: "page.html",
                    page: self.page_view(&p.meta.title, &p.meta.summary, &path, "page"),
                    vars: vec![("html", html)],
                }
            }
            PageJob::NotFound => PageSpec {
                template: "404.html",
                page: self.page_view(
                    &self.ui("not_found_title"),
                    &config.description,
                    "404.html",
                    "not_found",
                ),
                vars: Vec::new(),
            },
            PageJob::Sitemap => {
                // Every page but 404, and any static `index.html`, as the site has always listed.
                let base_url = &config.base_url;
                let sitemap = self
                    .plan
                    .pages
                    .iter()
                    .find(|(_, j)| matches!(j, PageJob::Sitemap))
                    .map_or(0, |(seq, _)| *seq);
                let mut urls: Vec<String> = self.plan.paths[..sitemap]
                    .iter()
                    .filter_map(|p| p.strip_suffix("index.html"))
                    .map(|p| format!("{base_url}{p}"))
                    .collect();
                urls.sort();
                PageSpec {
                    template: "sitemap.xml",
                    page: self.page_view("sitemap", "", "sitemap.xml", "sitemap"),
                    vars: vec![("urls", Var::Texts(urls))],
                }
            }
            PageJob::Feed => {
                let entries = self
                    .plan
                    .published
                    .iter()
                    .map(|s| FeedEntry::new(s, &config.base_url))
                    .collect();
                PageSpec {
                    template: "feed.xml",
                    page: self.page_view("feed", "", "feed.xml", "feed"),
                    vars: vec![("entries", Var::Entries(entries))],
                }
            }
            PageJob::Robots => PageSpec {
                template: "robots.txt",
                page: self.page_view("robots", "", "robots.txt", "robots"),
                vars: Vec::new(),
            },
        }
    }

    /// `data/facts.json` and `data/facts.csv`; what a kept render keeps of them.
    fn data_files(&self) -> Option<KeptData> {
        let seq = self.plan.first_data;
        let Some(cache) = self.cache else {
            let records = export::records(self.site);
            self.emit(seq, Bytes::Owned(export::json(&records).into_bytes()));
            self.emit(seq + 1, Bytes::Owned(export::csv(&records).into_bytes()));
            return None;
        };
        let mut h = Fingerprint::new();
        for (c, print) in self.site.companies.iter().zip(&self.prints) {
            (&c.slug, print).hash(&mut h);
        }
        json_fingerprint(&self.site.strings).hash(&mut h);
        let key = h.finish();
        let (json, csv) = match &cache.data {
            Some((k, json, csv)) if *k == key => (Arc::clone(json), Arc::clone(csv)),
            _ => {
                self.count_made(2);
                let records = export::records(self.site);
                (
                    Arc::from(export::json(&records).into_bytes()),
                    Arc::from(export::csv(&records).into_bytes()),
                )
            }
        };
        self.emit(seq, Bytes::Shared(Arc::clone(&json)));
        self.emit(seq + 1, Bytes::Shared(Arc::clone(&csv)));
        Some((key, json, csv))
    }
}

/// Who each value of `chart` comes from (its CSV lists them), in cell order.
fn chart_sources(chart: &Chart, site: &Site) -> Vec<String> {
    chart
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().flatten())
        .map(|cell| {
            site.fact(&cell.fact)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cname_only_for_custom_domains() {
        assert_eq!(
            custom_domain("https://news.example.com/ai/"),
            Some("news.example.com")
        );
        assert_eq!(custom_domain("https://u.github.io/ai-bubble/"), None);
        assert_eq!(custom_domain("http://127.0.0.1:1111/ai/"), None);
        assert_eq!(custom_domain("http://localhost:8000/"), None);
    }

    #[test]
    fn content_hash_is_stable() {
        assert_eq!(content_hash(b"body{}"), content_hash(b"body{}"));
        assert_ne!(content_hash(b"body{}"), content_hash(b"body{ }"));
        assert_eq!(content_hash(b"").len(), 10);
    }

    #[test]
    fn escaping_is_teras() {
        for text in [
            "",
            "plain",
            "a & b < c > d \" e ' f",
            "&&<<>>\"\"''",
            "中文&“引号”'<b>'",
            "<",
            "end&",
        ] {
            let mut ours = Vec::new();
            let mut teras = Vec::new();
            escape_html(text, &mut ours).unwrap();
            tera::escape_html(text, &mut teras).unwrap();
            assert_eq!(ours, teras, "{text:?}");
        }
    }

    #[test]
    fn folders_that_are_also_files_conflict() {
        let paths = |ps: &[&str]| ps.iter().map(|p| p.to_string()).collect::<Vec<_>>();
        assert!(!paths_conflict(&paths(&[
            "a/index.html",
            "a/b.svg",
            "index.html"
        ])));
        assert!(paths_conflict(&paths(&["x", "x/y"])));
        assert!(paths_conflict(&paths(&["a/b/c", "a"])));
    }
}
