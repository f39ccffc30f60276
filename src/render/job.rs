//! One render job: static files, charts, the data downloads and the markers GitHub Pages wants,
//! made on every core and handed to the sink; Markdown rendered (or reused) for the pages.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use tera::{Tera, Value};

use super::cache::{
    Cache, DrawnChart, Fingerprint, Kept, KeptData, MarkdownEntry, chart_sources, json_fingerprint,
};
use super::pages::PageDone;
use super::plan::{CompanyParts, PageJob, Plan};
use super::{Bytes, Counts, Emitted, Sink, content_hash, custom_domain, figures, lock, views};
use crate::chart::Chart;

/// A drawn chart with who each of its values comes from.
type DrawnWithSources = (Arc<DrawnChart>, Vec<String>);
use crate::diagnostic::Diagnostic;
use crate::export;
use crate::facts::FastMap;
use crate::load::Site;

/// One render: the plan, and what every page shares.
pub(super) struct Render<'a> {
    pub(super) site: &'a Site,
    pub(super) root: &'a Path,
    pub(super) tera: &'a Tera,
    pub(super) plan: &'a Plan<'a>,
    sink: Sink<'a>,
    pub(super) cache: Option<&'a Cache>,
    pub(super) base_path: String,
    /// Company index → published sections discussing it.
    pub(super) discussed: Vec<Vec<usize>>,
    /// Chart id → the first published section that shows it (`charts:` or `[[chart:id]]`), for
    /// its embed page's link back: found once per render, not once per chart.
    pub(super) stories: FastMap<&'a str, usize>,
    /// Company fingerprints by slug, the first of a slug, as references find it (kept renders
    /// only).
    pub(super) company_prints: FastMap<&'a str, u64>,
    /// Company fingerprints in the order of `site.companies` (kept renders only).
    pub(super) prints: Vec<u64>,
    /// The HTML of every fact, by company slug (the first company of a slug, as references
    /// find it), made once per render: one figure is referenced from many sections, and
    /// formatting it costs thousands of instructions.
    fact_html: FastMap<&'a str, Arc<Vec<(String, String)>>>,
    /// Chart id → its place in the plan's charts (the later where two share an id), for cards.
    pub(super) chart_index: FastMap<&'a str, usize>,
    made: std::sync::atomic::AtomicUsize,
}

impl<'a> Render<'a> {
    /// A render of `plan`, handing outputs to `sink`; with a cache, reusing what it kept.
    pub(super) fn new(
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
            for slug in &s.companies {
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
        let mut stories = FastMap::default();
        for (n, s) in plan.published.iter().enumerate() {
            for id in s.meta.charts.iter().chain(&s.chart_refs) {
                stories.entry(id.as_str()).or_insert(n);
            }
        }
        let base_path = site.config.base_path();
        let chart_index = plan
            .charts
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        Render {
            chart_index,
            stories,
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

    /// The URL of `path` under the site's base path.
    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// Hands output `seq` of the plan to the sink.
    pub(super) fn emit(&self, seq: usize, bytes: Bytes) {
        (self.sink)(Emitted {
            path: &self.plan.paths[seq],
            bytes,
            seq,
        });
    }

    /// Counts `n` outputs made rather than reused.
    pub(super) fn count_made(&self, n: usize) {
        self.made.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
    }

    /// Makes every output of the plan; with a cache, also what the next render can reuse.
    pub(super) fn run(self) -> Result<(Counts, Option<Kept>), Vec<Diagnostic>> {
        let site = self.site;
        let plan = self.plan;
        let mut next = Kept::default();

        // Static files, and the asset URLs every page links with their content hash.
        let mut assets = BTreeMap::new();
        for (i, (path, bytes)) in site.static_files.iter().enumerate() {
            let url = format!("{}?v={}", self.url(path), content_hash(bytes));
            assets.insert(path.clone(), url);
            let out = match self.cache {
                None => Bytes::Owned(bytes.clone()),
                Some(cache) => {
                    let shared = match cache.kept.statics.get(path) {
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
        let drawn: Vec<Result<DrawnWithSources, Diagnostic>> = plan
            .charts
            .par_iter()
            .enumerate()
            .map(|(i, chart)| {
                let sources = chart_sources(chart, site);
                let kept = self
                    .cache
                    .and_then(|c| c.kept.charts.get(&chart.id))
                    .and_then(|(c, s, d)| (c == chart && *s == sources).then(|| Arc::clone(d)));
                let d = match kept {
                    Some(d) => d,
                    None => {
                        self.count_made(3);
                        Arc::new(self.draw(chart)?)
                    }
                };
                let seq = plan.first_chart + 3 * i;
                self.emit(seq, Bytes::Shared(Arc::clone(&d.svg)));
                self.emit(seq + 1, Bytes::Shared(Arc::clone(&d.svg_narrow)));
                self.emit(seq + 2, Bytes::Shared(Arc::clone(&d.csv)));
                Ok((d, sources))
            })
            .collect();
        // A chart that cannot be drawn fails the build, naming its file.
        let (drawn, failed): (Vec<_>, Vec<_>) = drawn.into_iter().partition(Result::is_ok);
        if !failed.is_empty() {
            return Err(failed.into_iter().filter_map(Result::err).collect());
        }
        let drawn: Vec<_> = drawn.into_iter().filter_map(Result::ok).collect();
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
            PageJob::NotFound | PageJob::Companies | PageJob::Embed(_) => 1,
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
        // Computed figures: cheap to make again; counted as made only when they changed.
        let computed = crate::computed::json(&crate::computed::records(site));
        next.computed = self.emit_unless_kept(plan.computed, computed, |k| &k.computed);
        next.datapackage = self.data_package(&figures);
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
        let (card_problems, cards) = self.cards(&next.pages);
        problems.extend(card_problems);
        next.cards = cards;
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
    fn draw(&self, chart: &Chart) -> Result<DrawnChart, Diagnostic> {
        let d = figures::draw(chart, self.site)?;
        let mut figure = d.figure;
        figure.svg = self.url(&figure.svg);
        figure.csv = self.url(&figure.csv);
        figure.embed_code = figures::embed_code(
            &self.site.config.base_url,
            &figure.id,
            &figure.title,
            &figure.inline,
            &figure.inline_narrow,
        )
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
        let mut h = Fingerprint::new();
        figure.hash(&mut h);
        Ok(DrawnChart {
            value: Value::from_serializable(&figure),
            fingerprint: h.finish(),
            svg: d.svg.into_bytes().into(),
            svg_narrow: d.svg_narrow.into_bytes().into(),
            csv: d.csv.into_bytes().into(),
        })
    }

    /// Renders `body` to HTML, or takes it from the cache when neither its text nor a company
    /// it names changed.
    pub(super) fn markdown(&self, path: &Path, body: &str) -> (Arc<MarkdownEntry>, bool) {
        // The file's revision stands for its text: comparing ten thousand bodies would read
        // 50 MB on every rebuild.
        let revision = self.site.revision(path);
        if let Some(kept) = self
            .cache
            .and_then(|c| c.kept.markdown.get(path.as_os_str()))
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
            // Computed figures and charts in the text: made here, not kept per fact.
            let computed = crate::computed::parse(target);
            if computed.is_some() || figures::chart_ref(target).is_some() {
                if let (Some(e), true) = (&computed, self.cache.is_some()) {
                    for side in [&e.left, &e.right] {
                        let slug = side.split_once('/').map_or(side.as_str(), |(s, _)| s);
                        lock(&named).push(slug.to_string());
                    }
                }
                return views::fact_html(self.site, target, &self.base_path);
            }
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

    /// Emits `text` as output `seq`, sharing the kept copy (`kept` of the cache) when it is the
    /// same, and counting it as made when not; returns what the next render keeps.
    fn emit_unless_kept(
        &self,
        seq: usize,
        text: String,
        kept: impl Fn(&Kept) -> &Option<Arc<[u8]>>,
    ) -> Option<Arc<[u8]>> {
        let bytes: Arc<[u8]> = text.into_bytes().into();
        let bytes = match self.cache.and_then(|c| kept(&c.kept).as_ref()) {
            Some(kept) if **kept == *bytes => Arc::clone(kept),
            _ => {
                self.count_made(1);
                bytes
            }
        };
        self.emit(seq, Bytes::Shared(Arc::clone(&bytes)));
        self.cache.map(|_| bytes)
    }

    /// `data/datapackage.json`, made again (in a kept render) only when the site's settings or a
    /// chart changed: it describes a thousand charts' CSVs on a large site.
    fn data_package(&self, figures: &FastMap<&str, Arc<DrawnChart>>) -> Option<(u64, Arc<[u8]>)> {
        let plan = self.plan;
        let key = self.cache.map(|_| {
            let mut h = Fingerprint::new();
            json_fingerprint(&self.site.config).hash(&mut h);
            for c in &plan.charts {
                let drawn = figures.get(c.id.as_str()).map(|d| d.fingerprint);
                (c.id.as_str(), drawn).hash(&mut h);
            }
            h.finish()
        });
        let kept = self.cache.and_then(|c| c.kept.datapackage.as_ref());
        let bytes = match (key, kept) {
            (Some(key), Some((k, bytes))) if *k == key => Arc::clone(bytes),
            _ => {
                self.count_made(1);
                let charts: Vec<&Chart> = plan.charts.iter().map(|c| &**c).collect();
                Arc::from(crate::datapackage::json(self.site, &charts).into_bytes())
            }
        };
        self.emit(plan.datapackage, Bytes::Shared(Arc::clone(&bytes)));
        key.map(|key| (key, bytes))
    }

    /// `data/facts.json`, `data/facts.csv` and `data/revisions.csv`; what a kept render keeps of
    /// them.
    fn data_files(&self) -> Option<KeptData> {
        let seq = self.plan.first_data;
        let Some(cache) = self.cache else {
            let records = export::records(self.site);
            self.emit(seq, Bytes::Owned(export::json(&records).into_bytes()));
            self.emit(seq + 1, Bytes::Owned(export::csv(&records).into_bytes()));
            let revisions = export::revisions_csv(&records);
            self.emit(seq + 2, Bytes::Owned(revisions.into_bytes()));
            return None;
        };
        let mut h = Fingerprint::new();
        for (c, print) in self.site.companies.iter().zip(&self.prints) {
            (&c.slug, print).hash(&mut h);
        }
        json_fingerprint(&self.site.strings).hash(&mut h);
        let key = h.finish();
        let (json, csv, revisions) = match &cache.kept.data {
            Some((k, json, csv, revisions)) if *k == key => {
                (Arc::clone(json), Arc::clone(csv), Arc::clone(revisions))
            }
            _ => {
                self.count_made(3);
                let records = export::records(self.site);
                (
                    Arc::from(export::json(&records).into_bytes()),
                    Arc::from(export::csv(&records).into_bytes()),
                    Arc::from(export::revisions_csv(&records).into_bytes()),
                )
            }
        };
        self.emit(seq, Bytes::Shared(Arc::clone(&json)));
        self.emit(seq + 1, Bytes::Shared(Arc::clone(&csv)));
        self.emit(seq + 2, Bytes::Shared(Arc::clone(&revisions)));
        Some((key, json, csv, revisions))
    }
}
