//! The render plan: every output of a site, its path and its place in the emission order, and
//! what each company contributes to it (its chart and the HTML of its facts).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::Cards;
use super::memo::Memo;
use super::{custom_domain, figures, views};
use crate::chart::Chart;
use crate::diagnostic::Diagnostic;
use crate::load::display_path;
use crate::section::Section;
use crate::site::Site;

/// What a render needs of each company besides its page: its chart and the HTML of its facts in
/// prose. Made once per company (and by `serve` kept while the company does not change).
#[derive(Clone)]
pub(super) struct CompanyParts {
    pub(super) chart: Option<Arc<Chart>>,
    /// Fact id and the HTML a reference to it becomes ([`views::fact_html`]).
    pub(super) facts_html: Arc<Vec<(String, String)>>,
}

/// [`CompanyParts`] of every company, in order, on every core, through `memo`.
pub(super) fn company_parts(site: &Site, base_path: &str, memo: &dyn Memo) -> Vec<CompanyParts> {
    site.companies
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            memo.company(i, c, &|| {
                let facts_html = c
                    .facts
                    .iter()
                    .filter_map(|f| {
                        let target = format!("{}/{}", c.slug, f.id);
                        views::fact_html(site, &target, base_path).map(|html| (f.id.clone(), html))
                    })
                    .collect();
                CompanyParts {
                    chart: figures::for_company(c, site).map(Arc::new),
                    facts_html: Arc::new(facts_html),
                }
            })
        })
        .collect()
}

/// Who asks for an output: burnrate itself, or one of the site's files (by its index in the
/// site's list of that kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Origin {
    /// A page or file every site has (the home page, the data page, the feed…).
    Site,
    Static(usize),
    ChartFile(usize),
    Company(usize),
    /// The n-th published section.
    Section(usize),
    Page(usize),
}

/// What a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum PageJob {
    Home,
    /// The n-th published section.
    Section(usize),
    Companies,
    /// The n-th company.
    Company(usize),
    Data,
    /// The 更正与更新 page: every revision and note.
    Corrections,
    /// The n-th stand-alone page.
    Page(usize),
    NotFound,
    /// The embed page of the n-th chart of the plan.
    Embed(usize),
    Sitemap,
    Feed,
    Robots,
}

/// Every output of a site and its place in the emission order, known before anything is drawn or
/// rendered.
pub(super) struct Plan<'a> {
    /// Published sections, in reading order.
    pub(super) published: Vec<&'a Section>,
    /// Every chart, editors' first, then companies'.
    pub(super) charts: Vec<Arc<Chart>>,
    /// The output paths, in emission order (an output's `seq` is its position here).
    pub(super) paths: Vec<String>,
    /// Where in `paths` the static files, charts, pages, data files and indexes begin.
    pub(super) first_chart: usize,
    pub(super) first_data: usize,
    /// The pages and indexes, with their `seq`.
    pub(super) pages: Vec<(usize, PageJob)>,
    /// The `seq` of `data/computed.json` and `data/datapackage.json`.
    pub(super) computed: usize,
    pub(super) datapackage: usize,
    /// The social cards (none when the render draws none, [`Cards::Skip`]): the `seq` of each
    /// and the page it is of.
    pub(super) cards: Vec<(usize, PageJob)>,
    /// The `seq` of `.nojekyll` and `CNAME` (if any).
    pub(super) nojekyll: usize,
    pub(super) cname: Option<usize>,
    /// Who asks for each output, by `seq`.
    pub(super) origins: Vec<Origin>,
}

/// The outputs of a plan as they are listed: their paths, who asks for each, and the pages.
#[derive(Default)]
struct Outputs {
    paths: Vec<String>,
    origins: Vec<Origin>,
    pages: Vec<(usize, PageJob)>,
}

impl Outputs {
    /// Lists the file `path`, asked for by `origin`; returns its `seq`.
    fn file(&mut self, path: String, origin: Origin) -> usize {
        self.paths.push(path);
        self.origins.push(origin);
        self.paths.len() - 1
    }

    /// Lists the page of `job` at `path`, asked for by `origin`.
    fn page(&mut self, job: PageJob, path: String, origin: Origin) {
        let seq = self.file(path, origin);
        self.pages.push((seq, job));
    }

    /// Lists the social card beside each page listed so far that has one, asked for by whoever
    /// asks for the page; returns each card's `seq` and its page's job.
    fn cards(&mut self) -> Vec<(usize, PageJob)> {
        let shared: Vec<(usize, PageJob)> = (self.pages.iter().copied())
            .filter(|(_, job)| super::cards::has_card(*job))
            .collect();
        shared
            .into_iter()
            .map(|(seq, job)| {
                let path = super::cards::path_of(&self.paths[seq]);
                (self.file(path, self.origins[seq]), job)
            })
            .collect()
    }
}

/// The files each chart has, in this order from [`Plan::first_chart`] on: its SVG document
/// (`charts/<id>.svg`) and its data (`data/charts/<id>.csv`).
pub(super) const FILES_PER_CHART: usize = 2;

/// Every chart of `site` (the editors', drawn from their files on every core, then the
/// companies' from `companies`), and who asks for each.
fn charts(site: &Site, companies: &[CompanyParts]) -> (Vec<Arc<Chart>>, Vec<Origin>) {
    let mut charts: Vec<Arc<Chart>> = site
        .charts
        .par_iter()
        .map(|s| Arc::new(figures::from_spec(s, site)))
        .collect();
    let mut origins: Vec<Origin> = (0..charts.len()).map(Origin::ChartFile).collect();
    for (i, part) in companies.iter().enumerate() {
        if let Some(chart) = &part.chart {
            charts.push(Arc::clone(chart));
            origins.push(Origin::Company(i));
        }
    }
    (charts, origins)
}

impl<'a> Plan<'a> {
    /// Plans `site`, whose companies have `companies` (their charts come after the editors'),
    /// with a social card beside every shared page when `cards` says so.
    pub(super) fn new(site: &'a Site, companies: &[CompanyParts], cards: Cards) -> Self {
        let published: Vec<&Section> = site.published_sections().collect();
        let (charts, chart_origins) = charts(site, companies);
        let mut out = Outputs::default();
        for (i, (path, _)) in site.static_files.iter().enumerate() {
            out.file(path.clone(), Origin::Static(i));
        }
        let first_chart = out.paths.len();
        for (c, &origin) in charts.iter().zip(&chart_origins) {
            // FILES_PER_CHART of them.
            out.file(format!("charts/{}.svg", c.id), origin);
            out.file(format!("data/charts/{}.csv", c.id), origin);
        }
        out.page(PageJob::Home, "index.html".into(), Origin::Site);
        for (i, s) in published.iter().enumerate() {
            let path = format!("sections/{}/index.html", s.slug);
            out.page(PageJob::Section(i), path, Origin::Section(i));
        }
        out.page(
            PageJob::Companies,
            "companies/index.html".into(),
            Origin::Site,
        );
        for (i, c) in site.companies.iter().enumerate() {
            let path = format!("companies/{}/index.html", c.slug);
            out.page(PageJob::Company(i), path, Origin::Company(i));
        }
        out.page(PageJob::Data, "data/index.html".into(), Origin::Site);
        out.page(
            PageJob::Corrections,
            "corrections/index.html".into(),
            Origin::Site,
        );
        for (i, p) in site.pages.iter().enumerate() {
            out.page(
                PageJob::Page(i),
                format!("{}/index.html", p.slug),
                Origin::Page(i),
            );
        }
        out.page(PageJob::NotFound, "404.html".into(), Origin::Site);
        for (i, c) in charts.iter().enumerate() {
            let path = format!("embed/{}/index.html", c.id);
            out.page(PageJob::Embed(i), path, chart_origins[i]);
        }
        let first_data = out.file("data/facts.json".into(), Origin::Site);
        out.file("data/facts.csv".into(), Origin::Site);
        out.file("data/revisions.csv".into(), Origin::Site);
        let computed = out.file("data/computed.json".into(), Origin::Site);
        let datapackage = out.file("data/datapackage.json".into(), Origin::Site);
        out.page(PageJob::Sitemap, "sitemap.xml".into(), Origin::Site);
        out.page(PageJob::Feed, "feed.xml".into(), Origin::Site);
        out.page(PageJob::Robots, "robots.txt".into(), Origin::Site);
        let card_jobs = match cards {
            Cards::Draw => out.cards(),
            Cards::Skip => Vec::new(),
        };
        let nojekyll = out.file(crate::write::MARKER.into(), Origin::Site);
        let cname =
            custom_domain(&site.config.base_url).map(|_| out.file("CNAME".into(), Origin::Site));
        Plan {
            published,
            charts,
            paths: out.paths,
            first_chart,
            first_data,
            computed,
            datapackage,
            pages: out.pages,
            cards: card_jobs,
            nojekyll,
            cname,
            origins: out.origins,
        }
    }

    /// Every output that another would overwrite, or that would have to be a file and a folder
    /// at once, reported at the site file that asks for it (the later one when both are the
    /// site's files): a build writes each path exactly once.
    pub(super) fn problems(&self, site: &Site, root: &Path) -> Vec<Diagnostic> {
        let mut first: HashMap<&str, usize> = HashMap::with_capacity(self.paths.len());
        let mut problems = Vec::new();
        // Two files that clash are reported once, at their first clashing output.
        let mut pairs = std::collections::HashSet::new();
        for (seq, path) in self.paths.iter().enumerate() {
            if let Some(&earlier) = first.get(path.as_str())
                && pairs.insert((self.origins[seq], self.origins[earlier]))
            {
                problems.extend(self.clash(site, root, seq, earlier, "also writes"));
            } else {
                first.insert(path, seq);
            }
        }
        // A file where folders are needed is reported once, with the first output it blocks.
        let mut blocking = std::collections::HashSet::new();
        for (seq, path) in self.paths.iter().enumerate() {
            for (i, _) in path.match_indices('/') {
                if let Some(&file) = first.get(&path[..i])
                    && blocking.insert(file)
                {
                    problems.extend(self.clash(site, root, file, seq, "is a folder of"));
                }
            }
        }
        problems.sort();
        problems.dedup();
        problems
    }

    /// The problem of output `mine` clashing with output `theirs`, reported at the site file
    /// that asks for `mine` (or, when burnrate itself does, for `theirs`).
    fn clash(
        &self,
        site: &Site,
        root: &Path,
        mine: usize,
        theirs: usize,
        how: &str,
    ) -> Option<Diagnostic> {
        let file = |seq: usize| -> Option<PathBuf> {
            Some(match self.origins[seq] {
                Origin::Site => return None,
                Origin::Static(i) => {
                    display_path(root, &Path::new("static").join(&site.static_files[i].0))
                }
                Origin::ChartFile(i) => site.charts[i].path.clone(),
                Origin::Company(i) => site.companies[i].path.clone(),
                Origin::Section(i) => self.published[i].path.clone(),
                Origin::Page(i) => site.pages[i].path.clone(),
            })
        };
        let (at, seq, other) = match (file(mine), file(theirs)) {
            (Some(at), _) => (at, mine, theirs),
            (None, Some(at)) => (at, theirs, mine),
            (None, None) => return None,
        };
        let whose = match file(other) {
            Some(path) => path.display().to_string(),
            None => "burnrate itself".to_string(),
        };
        let (here, there) = (&self.paths[seq], &self.paths[other]);
        let message = if how == "also writes" {
            match file(other) {
                Some(_) => format!(
                    "would be published as {here}, which {whose} also writes; rename one of them"
                ),
                None => {
                    format!("would be published as {here}, which {whose} writes; rename the file")
                }
            }
        } else if seq == mine {
            format!(
                "would be published as {here}, but {there} ({whose}) needs a folder of that \
                 name; rename one of them"
            )
        } else {
            format!(
                "would be published as {here}, where {whose} is published as a file; rename one \
                 of them"
            )
        };
        Some(Diagnostic::file(&at, message))
    }
}
