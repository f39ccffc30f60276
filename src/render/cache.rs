//! What a kept render (`serve`) keeps between calls, the fingerprints its keys are made of, and
//! the decisions to reuse an output rather than make it again.

use std::collections::{BTreeMap, HashSet};
use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;
use tera::{Tera, Value};

use super::job::Render;
use super::plan::{CompanyParts, PageJob, Plan, company_parts};
use super::{Counts, Emitted, compile, lock};
use crate::chart::Chart;
use crate::diagnostic::Diagnostic;
use crate::facts::{Company, FastMap};
use crate::load::Site;
use crate::markdown::Rendered;
use crate::section::Section;

/// The hasher of cache keys: SipHash with fixed keys, so the same input gives the same key.
pub(super) type Fingerprint = std::hash::DefaultHasher;

/// A fingerprint of `value` as JSON, streamed into the hasher (no text is built).
pub(super) fn json_fingerprint<T: Serialize + ?Sized>(value: &T) -> u64 {
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

/// A drawn chart as pages and caches keep it.
pub(super) struct DrawnChart {
    /// What pages show (its URLs with the base path), as templates see it.
    pub(super) value: Value,
    /// A fingerprint of `figure`, standing for it in page keys.
    pub(super) fingerprint: u64,
    pub(super) svg: Arc<[u8]>,
    pub(super) svg_narrow: Arc<[u8]>,
    pub(super) csv: Arc<[u8]>,
}

/// A drawn chart with what it was drawn from: the chart and who each value comes from.
type KeptChart = (Arc<Chart>, Vec<String>, Arc<DrawnChart>);

/// `facts.json`, `facts.csv` and `revisions.csv` with the key they were made under.
pub(super) type KeptData = (u64, Arc<[u8]>, Arc<[u8]>, Arc<[u8]>);

/// A rendered page with the keys it was rendered under.
#[derive(Clone)]
pub(super) struct PageEntry {
    /// The key from what the page depends on, for the pages that have one (see
    /// [`Render::prekey`]).
    pub(super) prekey: Option<u64>,
    /// The key from the page's whole context.
    pub(super) key: u64,
    pub(super) bytes: Arc<[u8]>,
}

/// Markdown rendered once, with what it was rendered from.
pub(super) struct MarkdownEntry {
    /// The revision of the file's text ([`Site::revision`]); `None`: never reused.
    pub(super) revision: Option<u64>,
    /// The companies its fact references named, and their fingerprints then (`None`: missing).
    pub(super) companies: Vec<(String, Option<u64>)>,
    pub(super) rendered: Rendered,
    pub(super) fingerprint: u64,
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
    pub(super) generation: u64,
    /// Per template: the shared values it reads (`None`: all of them).
    uses: FastMap<String, Option<HashSet<String>>>,
    /// Fingerprint of the base URL, base path and strings: when it changes, nothing is kept.
    env: u64,
    /// What the last render made, and the Markdown of every file rendered so far.
    pub(super) kept: Kept,
    /// The parts of each company, by slug.
    pub(super) companies: FastMap<String, CompanyParts>,
    /// The planned paths and the order of the last of each path by path.
    order: (Vec<String>, Vec<usize>),
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

    /// Hashes into `h` the fingerprints of the shared values (in the order of [`SHARED`]) that
    /// `template` reads; all of them when that is not known.
    pub(super) fn hash_shared(&self, template: &str, shared: &Shared, h: &mut Fingerprint) {
        let uses = self.uses.get(template).and_then(Option::as_ref);
        for (name, print) in SHARED.iter().zip(&shared.fingerprints) {
            if uses.is_none_or(|u| u.contains(*name)) {
                print.hash(h);
            }
        }
    }
}

/// Renders `site` (already validated) like [`render`](super::render), reusing from `cache` what
/// has not changed and leaving in it what the next call can reuse. Returns every output by path
/// (where two share a path, the later one) and the counts.
pub fn render_cached(
    site: &Site,
    root: &Path,
    cache: &mut Cache,
) -> Result<(super::Files, Counts), Vec<Diagnostic>> {
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
        *cache = Cache {
            templates,
            tera,
            generation,
            uses,
            env,
            ..Cache::default()
        };
    }
    if cache.tera.is_none() || cache.templates != site.templates {
        let tera = compile(site, root)?;
        cache.uses = template_uses(&tera, &site.templates);
        cache.tera = Some(Arc::new(tera));
        cache.templates = site.templates.clone();
        cache.generation += 1;
        cache.kept.pages.clear();
    }
    let tera = Arc::clone(cache.tera.as_ref().expect("compiled above"));
    let parts = company_parts(site, &site.config.base_path(), Some(cache));
    let plan = Plan::new(site, &parts);
    let problems = plan.problems(site, root);
    if !problems.is_empty() {
        return Err(problems);
    }
    let kept: Mutex<Vec<(usize, Arc<[u8]>)>> = Mutex::new(Vec::with_capacity(plan.paths.len()));
    let sink = |e: Emitted<'_>| lock(&kept).push((e.seq, e.bytes.into_shared()));
    let job = Render::new(site, root, &tera, &plan, &parts, &sink, Some(cache));
    let (counts, next) = job.run()?;
    let next = next.expect("a cached render returns its cache");
    cache.companies = site
        .companies
        .iter()
        .zip(parts)
        .map(|(c, p)| (c.slug.clone(), p))
        .collect();
    // Markdown entries change one file at a time: update the kept map in place, and forget the
    // files that are gone only when there are any.
    let mut markdown = std::mem::take(&mut cache.kept.markdown);
    for (path, entry) in next.markdown {
        markdown.insert(path, entry);
    }
    if markdown.len() > site.sections.len() + site.pages.len() {
        let current: HashSet<&std::ffi::OsStr> = site
            .sections
            .iter()
            .map(|s| s.path.as_os_str())
            .chain(site.pages.iter().map(|p| p.path.as_os_str()))
            .collect();
        markdown.retain(|path, _| current.contains(path.as_os_str()));
    }
    cache.kept = Kept { markdown, ..next };
    let kept = kept.into_inner().unwrap_or_else(PoisonError::into_inner);
    // The outputs by path, the later of equal paths: in path order, so the map is built in one
    // pass. The order only changes with the plan, so it is kept.
    let mut by_seq: Vec<Option<Arc<[u8]>>> = vec![None; plan.paths.len()];
    for (seq, bytes) in kept {
        by_seq[seq] = Some(bytes);
    }
    if cache.order.0 != plan.paths {
        let mut order: Vec<usize> = (0..plan.paths.len()).collect();
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
pub(super) const SHARED: [&str; 5] = ["site", "t", "assets", "sections", "pages"];

/// The values every page's context shares, made once per render.
pub(super) struct Shared {
    pub(super) values: [Value; 5],
    /// Their fingerprints, in the order of [`SHARED`].
    pub(super) fingerprints: [u64; 5],
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

/// What a render leaves for the next one.
#[derive(Default)]
pub(super) struct Kept {
    pub(super) charts: FastMap<String, KeptChart>,
    /// Markdown rendered by the render (in a [`Cache`]: by every render so far, of the files
    /// that still exist).
    pub(super) markdown: FastMap<OsString, Arc<MarkdownEntry>>,
    pub(super) pages: FastMap<String, PageEntry>,
    pub(super) data: Option<KeptData>,
    /// `data/computed.json`.
    pub(super) computed: Option<Arc<[u8]>>,
    /// `data/datapackage.json` and its key: the site's settings and every chart's fingerprint.
    pub(super) datapackage: Option<(u64, Arc<[u8]>)>,
    pub(super) statics: FastMap<String, Arc<[u8]>>,
    pub(super) shared: Option<(u64, Arc<Shared>)>,
    /// The list of sections: a key from the sections' revisions, its fingerprint, its value.
    pub(super) sections: Option<(u64, u64, Value)>,
    /// Social cards, by key and by page ([`super::cards::Memo`]).
    pub(super) cards: super::cards::Memo,
    /// Outputs made (not reused) by the render.
    pub(super) made: usize,
}

impl Render<'_> {
    /// For the pages there are thousands of (sections and companies), a key from what they are
    /// made of, found without making anything: the revisions of the files and the fingerprints
    /// of the companies, charts and Markdown they show, and their place. Equal keys mean equal
    /// contexts, so a page whose key is unchanged is not even looked at; a page whose key
    /// changed still compares its whole context before rendering.
    pub(super) fn prekey(
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
                for slug in &s.companies {
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
        cache.hash_shared(template, shared, &mut h);
        Some(h.finish())
    }
}

/// Who each value of `chart` comes from (its CSV lists them), in cell order.
pub(super) fn chart_sources(chart: &Chart, site: &Site) -> Vec<String> {
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
pub(super) fn company_fingerprint(c: &Company) -> u64 {
    let mut h = Fingerprint::new();
    (&c.slug, &c.description).hash(&mut h);
    json_fingerprint(&(&c.name, c.kind, &c.facts)).hash(&mut h);
    h.finish()
}
