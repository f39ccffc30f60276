//! One render job: static files, charts, the data downloads and the markers GitHub Pages wants,
//! made on every core and handed to the sink; Markdown rendered (or reused) for the pages.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use tera::Value;

use super::memo::{ChartFiles, DrawnChart, Fingerprint, MarkdownEntry, Memo};
use super::plan::{CompanyParts, PageJob, Plan};
use super::recall::Of;
use super::{
    Bytes, Counts, Emitted, Sink, Templates, content_hash, custom_domain, figures, lock, views,
};
use crate::card::Card;
use crate::chart::Chart;
use crate::diagnostic::Diagnostic;
use crate::export;
use crate::facts::FastMap;
use crate::site::Site;
use crate::write::manifest::Record;

/// One render: the plan, and what every page shares.
pub(super) struct Render<'a> {
    pub(super) site: &'a Site,
    pub(super) root: &'a Path,
    pub(super) tera: &'a Templates<'a>,
    pub(super) plan: &'a Plan<'a>,
    sink: Sink<'a>,
    pub(super) memo: &'a dyn Memo,
    pub(super) base_path: String,
    /// Company index → published sections discussing it.
    pub(super) discussed: Vec<Vec<usize>>,
    /// Chart id → the first published section that shows it (`charts:` or `[[chart:id]]`), for
    /// its embed page's link back: found once per render, not once per chart.
    pub(super) stories: FastMap<&'a str, usize>,
    /// The HTML of every fact, by company slug, made once per render: one figure is referenced
    /// from many sections, and formatting it costs thousands of instructions.
    fact_html: FastMap<&'a str, Arc<Vec<(String, String)>>>,
    /// Chart id → its place in the plan's charts (the later where two share an id): what pages
    /// and cards show of that id.
    pub(super) chart_index: FastMap<&'a str, usize>,
    /// Each chart of the plan as pages show it, drawn once, when first needed: by its own files,
    /// or else by the first page made that shows it (`None`: it could not be drawn).
    drawn: Vec<OnceLock<Option<Arc<DrawnChart>>>>,
    /// The card of each page whose card is drawn, made once: by its page's meta tags or its
    /// drawing, whichever comes first.
    pub(super) cards_made: FastMap<PageJob, OnceLock<Option<Card>>>,
}

impl<'a> Render<'a> {
    /// A render of `plan`, handing outputs to `sink` through `memo`.
    pub(super) fn new(
        site: &'a Site,
        root: &'a Path,
        tera: &'a Templates<'a>,
        plan: &'a Plan<'a>,
        parts: &[CompanyParts],
        sink: Sink<'a>,
        memo: &'a dyn Memo,
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
        // Slugs are file names, so no two companies share one.
        let fact_html = site
            .companies
            .iter()
            .zip(parts)
            .map(|(c, p)| (c.slug.as_str(), Arc::clone(&p.facts_html)))
            .collect();
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
        let cards_made = plan
            .cards
            .iter()
            .map(|&(_, job)| (job, OnceLock::new()))
            .collect();
        Render {
            drawn: plan.charts.iter().map(|_| OnceLock::new()).collect(),
            cards_made,
            chart_index,
            stories,
            site,
            root,
            tera,
            plan,
            sink,
            memo,
            fact_html,
            base_path,
            discussed,
        }
    }

    /// The URL of `path` under the site's base path.
    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// Whether output `seq` is one the default edition makes for every edition
    /// ([`crate::lang::is_shared`]), so that this edition, a translation, neither makes nor
    /// emits it.
    fn made_by_default(&self, seq: usize) -> bool {
        self.site.edition.as_ref().is_some_and(|e| e.index > 0)
            && crate::lang::is_shared(self.site, &self.plan.paths[seq])
    }

    /// Hands output `seq` of the plan to the sink.
    pub(super) fn emit(&self, seq: usize, bytes: Bytes) {
        self.emit_keyed(seq, bytes, None);
    }

    /// Hands output `seq` of the plan to the sink with the key it was made under, if any.
    pub(super) fn emit_keyed(&self, seq: usize, bytes: Bytes, key: Option<u64>) {
        if self.made_by_default(seq) {
            return;
        }
        (self.sink)(Emitted {
            path: &self.plan.paths[seq],
            bytes,
            seq,
            key,
        });
    }

    /// Hands outputs `seqs`, `of` what and made together by `make`, to the sink: as the memo
    /// recalls them when it recalls every one, else as `make` makes them (its problem if they
    /// cannot be made). A memo that checks what it recalls ([`Memo::checks_recalled`]) has
    /// recalled outputs made anyway, and a difference from what the output holds panics.
    pub(super) fn emit_recalled<const N: usize>(
        &self,
        seqs: [usize; N],
        of: Of,
        make: &dyn Fn() -> Result<[Bytes; N], Diagnostic>,
    ) -> Result<(), Diagnostic> {
        if seqs.iter().all(|&seq| self.made_by_default(seq)) {
            return Ok(());
        }
        let recalled = seqs.map(|seq| self.memo.recall(self, seq, of));
        let keys = recalled.each_ref().map(|r| r.key);
        let files = match recalled
            .into_iter()
            .map(|r| r.kept)
            .collect::<Option<Vec<Bytes>>>()
        {
            Some(kept) => {
                assert!(
                    !self.memo.checks_recalled()
                        || make()
                            .is_ok_and(|made| made.iter().zip(&kept).all(|(m, k)| same_file(m, k))),
                    "{}: recalled by its key, but made again it differs: the key of \
                     `render::recall` misses something it shows",
                    self.plan.paths[seqs[0]]
                );
                kept
            }
            None => make()?.into(),
        };
        for ((seq, bytes), key) in seqs.into_iter().zip(files).zip(keys) {
            self.emit_keyed(seq, bytes, key);
        }
        Ok(())
    }

    /// Makes every output of the plan (or takes it from the memo) and hands it to the sink.
    pub(super) fn run(self) -> Result<Counts, Vec<Diagnostic>> {
        let site = self.site;
        let plan = self.plan;
        let assets = self.static_files();
        self.charts()?;
        let shared = self.memo.shared(&self, assets);

        // Pages, indexes and data files, on every core; the biggest first, so that no core is
        // left with a long page at the end.
        let mut jobs: Vec<(usize, PageJob)> = plan.pages.clone();
        jobs.sort_by_key(|(_, job)| match job {
            PageJob::Data | PageJob::Feed | PageJob::Sitemap | PageJob::Home => 0,
            PageJob::NotFound | PageJob::Companies | PageJob::Embed(_) => 1,
            _ => 2,
        });
        // Cards beside the pages, not after them: each is made from the card its page's meta
        // tags made first (or makes it for them). The data files beside them too, so that no
        // core is left alone with them at the end.
        let (mut problems, (card_problems, data_problems)) = rayon::join(
            || {
                // In small pieces: a core that runs a long piece alone at the end keeps the
                // other waiting (rayon splits a piece only before it starts).
                jobs.par_iter()
                    .with_max_len(8)
                    .filter_map(|&(seq, job)| self.page(seq, job, &shared))
                    .collect::<Vec<Diagnostic>>()
            },
            || {
                rayon::join(
                    || self.cards(),
                    || {
                        self.data_files();
                        self.memo.charts_drawn(&self);
                        self.data_indexes()
                    },
                )
            },
        );
        problems.extend(card_problems);
        problems.extend(data_problems);
        self.emit(plan.nojekyll, Bytes::Owned(Vec::new()));
        if let Some(seq) = plan.cname {
            let domain = custom_domain(&site.config.base_url).unwrap_or_default();
            self.emit(seq, Bytes::Owned(format!("{domain}\n").into_bytes()));
        }
        if !problems.is_empty() {
            // Templates that do not compile fail every page the same way: their own problems
            // say why, all of them.
            if let Some(failed) = self.tera.failed() {
                return Err(failed.to_vec());
            }
            problems.sort();
            problems.dedup();
            return Err(problems);
        }
        Ok(Counts {
            pages: plan.paths.iter().filter(|p| p.ends_with(".html")).count(),
            charts: self.chart_index.len(),
            facts: site.companies.iter().map(|c| c.facts.len()).sum(),
            files: plan.paths.len(),
        })
    }

    /// Emits `data/computed.json` and `data/datapackage.json`; returns their problems.
    fn data_indexes(&self) -> Vec<Diagnostic> {
        let (site, plan) = (self.site, self.plan);
        let computed = self.emit_recalled([plan.computed], Of::Data, &|| {
            let computed = crate::computed::json(&crate::computed::records(site));
            Ok([self.memo.computed(computed.into_bytes())])
        });
        let datapackage = self.emit_recalled([plan.datapackage], Of::Data, &|| {
            Ok([self.memo.datapackage(self, &|| {
                let charts: Vec<&Chart> = plan.charts.iter().map(|c| &**c).collect();
                crate::datapackage::json(site, &charts).into_bytes()
            })])
        });
        computed
            .err()
            .into_iter()
            .chain(datapackage.err())
            .collect()
    }

    /// Emits the static files; returns the URLs pages link them with, with their content hash.
    fn static_files(&self) -> BTreeMap<String, String> {
        let mut assets = BTreeMap::new();
        // Shared by every edition: under the site's root.
        let root = crate::lang::root_path(self.site);
        for (i, (path, bytes)) in self.site.static_files.iter().enumerate() {
            let url = format!("{root}{path}?v={}", content_hash(bytes));
            assets.insert(path.clone(), url);
            self.emit(i, self.memo.static_file(path, bytes));
        }
        assets
    }

    /// Emits the charts' own files, on every core, drawing each chart whose files are not
    /// recalled (and keeping its drawing for the pages). A chart that cannot be drawn fails the
    /// build, naming its file.
    fn charts(&self) -> Result<(), Vec<Diagnostic>> {
        let plan = self.plan;
        let failed: Vec<Diagnostic> = plan
            .charts
            .par_iter()
            .enumerate()
            .filter_map(|(i, chart)| {
                let seq = plan.first_chart + super::plan::FILES_PER_CHART * i;
                self.emit_recalled([seq, seq + 1], Of::Chart, &|| {
                    let (drawn, files) = self.memo.chart(self, chart, &|| self.draw(chart))?;
                    let _ = self.drawn[i].set(Some(drawn));
                    Ok(files)
                })
                .err()
            })
            .collect();
        match failed.is_empty() {
            true => Ok(()),
            false => Err(failed),
        }
    }

    /// Chart `id` as pages show it (where two charts share an id, the later one): drawn now if
    /// no output drew it yet.
    pub(super) fn drawing(&self, id: &str) -> Option<Arc<DrawnChart>> {
        let i = *self.chart_index.get(id)?;
        let chart = &self.plan.charts[i];
        self.drawn[i]
            .get_or_init(|| {
                let figure = || figures::figure(chart, self.site).map(|f| self.drawn(f));
                let draw = || self.draw(chart);
                self.memo.drawing(self, chart, &figure, &draw).ok()
            })
            .clone()
    }

    /// Chart `i` of the plan as pages show it, if it was drawn (or kept) already.
    pub(super) fn drawn_at(&self, i: usize) -> Option<&Arc<DrawnChart>> {
        self.drawn.get(i)?.get()?.as_ref()
    }

    /// `chart` as pages show it, around the drawings an earlier build kept of it.
    pub(super) fn drawn_from(&self, chart: &Chart, wide: String, narrow: String) -> DrawnChart {
        self.drawn(figures::assemble(chart, wide, narrow))
    }

    /// `chart`'s own files with its standalone drawing as an earlier build kept it: only the
    /// CSV is made.
    pub(super) fn chart_files_from(&self, chart: &Chart, standalone: String) -> ChartFiles {
        [
            standalone.into_bytes(),
            figures::csv(chart, self.site).into_bytes(),
        ]
    }

    /// Draws `chart`, its figure and its files.
    fn draw(&self, chart: &Chart) -> Result<(DrawnChart, ChartFiles), Diagnostic> {
        let d = figures::draw(chart, self.site)?;
        Ok((
            self.drawn(d.figure),
            [d.svg.into_bytes(), d.csv.into_bytes()],
        ))
    }

    /// `figure` as pages show it: its URLs get the base path.
    fn drawn(&self, mut figure: figures::Figure) -> DrawnChart {
        figure.svg = self.url(&figure.svg);
        figure.csv = self.url(&figure.csv);
        figure.embed_code = crate::html::escape_text(&figures::embed_code(
            &self.site.config.base_url,
            &figure.id,
            &figure.title,
            &figure.inline,
            &figure.inline_narrow,
        ));
        let mut h = Fingerprint::new();
        figure.hash(&mut h);
        DrawnChart {
            value: Value::from_serializable(&figure),
            fingerprint: h.finish(),
        }
    }

    /// Renders `body`, the Markdown of the file at `path`, to HTML (or takes it from the memo).
    pub(super) fn markdown(&self, path: &Path, body: &str) -> Arc<MarkdownEntry> {
        self.memo.markdown(path, &|named| {
            crate::markdown::render(body, &|target| {
                // Computed figures and charts in the text: made here, not kept per fact.
                let computed = crate::computed::parse(target);
                if computed.is_some() || crate::markdown::chart_ref(target).is_some() {
                    if let (Some(e), Some(named)) = (&computed, named) {
                        for side in [&e.left, &e.right] {
                            let slug = side.split_once('/').map_or(side.as_str(), |(s, _)| s);
                            lock(named).push(slug.to_string());
                        }
                    }
                    return views::fact_html(self.site, target, &self.base_path);
                }
                if let Some(named) = named {
                    let slug = target.split_once('/').map_or(target, |(s, _)| s);
                    lock(named).push(slug.to_string());
                }
                let (slug, id) = target.split_once('/')?;
                let facts = self.fact_html.get(slug)?;
                facts
                    .iter()
                    .find(|(fact, _)| fact == id)
                    .map(|(_, html)| html.clone())
            })
        })
    }

    /// `data/facts.json`, `data/facts.csv` and `data/revisions.csv`, made together.
    fn data_files(&self) {
        let first = self.plan.first_data;
        // Made from the site's facts, which are valid: nothing fails.
        let _ = self.emit_recalled([first, first + 1, first + 2], Of::Data, &|| {
            Ok(self.memo.data_files(self, &|| {
                let records = export::records(self.site);
                [
                    export::json(&records).into_bytes(),
                    export::csv(&records).into_bytes(),
                    export::revisions_csv(&records).into_bytes(),
                ]
            }))
        });
    }
}

/// Whether `made` is the file `kept` the output holds (for [`Memo::checks_recalled`]).
fn same_file(made: &Bytes, kept: &Bytes) -> bool {
    let record = |bytes: &Bytes| match bytes {
        Bytes::Owned(bytes) => Record::of(bytes),
        Bytes::Shared(bytes) => Record::of(bytes),
        Bytes::Kept(file) => file.record,
    };
    record(made).same_bytes(&record(kept))
}
