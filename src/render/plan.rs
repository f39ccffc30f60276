//! The render plan: every output of a site, its path and its place in the emission order, and
//! what each company contributes to it (its chart and the HTML of its facts).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{Cache, company_fingerprint};
use super::{custom_domain, figures, views};
use crate::chart::Chart;
use crate::diagnostic::Diagnostic;
use crate::load::{Site, display_path};
use crate::section::Section;

/// What a render needs of each company besides its page: its chart and the HTML of its facts in
/// prose. Made once per company, and in a kept render kept while the company does not change.
#[derive(Clone)]
pub(super) struct CompanyParts {
    /// [`company_fingerprint`] (kept renders only; 0 otherwise).
    pub(super) print: u64,
    pub(super) chart: Option<Arc<Chart>>,
    /// Fact id and the HTML a reference to it becomes ([`views::fact_html`]).
    pub(super) facts_html: Arc<Vec<(String, String)>>,
}

/// [`CompanyParts`] of every company, in order, on every core; with a cache, those of unchanged
/// companies are taken from it.
pub(super) fn company_parts(
    site: &Site,
    base_path: &str,
    cache: Option<&Cache>,
) -> Vec<CompanyParts> {
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
#[derive(Debug, Clone, Copy)]
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
    /// The social cards: the `seq` of each and the page it is of.
    pub(super) cards: Vec<(usize, PageJob)>,
    /// The `seq` of `.nojekyll` and `CNAME` (if any).
    pub(super) nojekyll: usize,
    pub(super) cname: Option<usize>,
    /// Who asks for each output, by `seq`.
    pub(super) origins: Vec<Origin>,
}

impl<'a> Plan<'a> {
    /// Plans `site`, whose companies have `companies` (their charts come after the editors').
    pub(super) fn new(site: &'a Site, companies: &[CompanyParts]) -> Self {
        let published: Vec<&Section> = site.published_sections().collect();
        let mut charts: Vec<Arc<Chart>> = site
            .charts
            .par_iter()
            .map(|s| Arc::new(figures::from_spec(s, site)))
            .collect();
        let mut chart_origins: Vec<Origin> = (0..charts.len()).map(Origin::ChartFile).collect();
        for (i, part) in companies.iter().enumerate() {
            if let Some(chart) = &part.chart {
                charts.push(Arc::clone(chart));
                chart_origins.push(Origin::Company(i));
            }
        }

        let mut paths: Vec<String> = site.static_files.iter().map(|(p, _)| p.clone()).collect();
        let mut origins: Vec<Origin> = (0..paths.len()).map(Origin::Static).collect();
        let first_chart = paths.len();
        for (c, &origin) in charts.iter().zip(&chart_origins) {
            for path in [
                format!("charts/{}.svg", c.id),
                format!("charts/{}-narrow.svg", c.id),
                format!("data/charts/{}.csv", c.id),
            ] {
                paths.push(path);
                origins.push(origin);
            }
        }
        let mut pages = Vec::new();
        let mut page =
            |job: PageJob, path: String, paths: &mut Vec<String>, origins: &mut Vec<Origin>| {
                pages.push((paths.len(), job));
                paths.push(path);
                origins.push(match job {
                    PageJob::Section(i) => Origin::Section(i),
                    PageJob::Company(i) => Origin::Company(i),
                    PageJob::Page(i) => Origin::Page(i),
                    PageJob::Embed(i) => chart_origins[i],
                    _ => Origin::Site,
                });
            };
        page(PageJob::Home, "index.html".into(), &mut paths, &mut origins);
        let sections = published
            .iter()
            .map(|s| format!("sections/{}/index.html", s.slug));
        for (i, path) in sections.enumerate() {
            page(PageJob::Section(i), path, &mut paths, &mut origins);
        }
        page(
            PageJob::Companies,
            "companies/index.html".into(),
            &mut paths,
            &mut origins,
        );
        let companies = site
            .companies
            .iter()
            .map(|c| format!("companies/{}/index.html", c.slug));
        for (i, path) in companies.enumerate() {
            page(PageJob::Company(i), path, &mut paths, &mut origins);
        }
        page(
            PageJob::Data,
            "data/index.html".into(),
            &mut paths,
            &mut origins,
        );
        page(
            PageJob::Corrections,
            "corrections/index.html".into(),
            &mut paths,
            &mut origins,
        );
        let stand_alone = site.pages.iter().map(|p| format!("{}/index.html", p.slug));
        for (i, path) in stand_alone.enumerate() {
            page(PageJob::Page(i), path, &mut paths, &mut origins);
        }
        page(
            PageJob::NotFound,
            "404.html".into(),
            &mut paths,
            &mut origins,
        );
        for (i, c) in charts.iter().enumerate() {
            let path = format!("embed/{}/index.html", c.id);
            page(PageJob::Embed(i), path, &mut paths, &mut origins);
        }
        let first_data = paths.len();
        for path in ["data/facts.json", "data/facts.csv", "data/revisions.csv"] {
            paths.push(path.into());
            origins.push(Origin::Site);
        }
        let computed = paths.len();
        paths.push("data/computed.json".into());
        origins.push(Origin::Site);
        let datapackage = paths.len();
        paths.push("data/datapackage.json".into());
        origins.push(Origin::Site);
        page(
            PageJob::Sitemap,
            "sitemap.xml".into(),
            &mut paths,
            &mut origins,
        );
        page(PageJob::Feed, "feed.xml".into(), &mut paths, &mut origins);
        page(
            PageJob::Robots,
            "robots.txt".into(),
            &mut paths,
            &mut origins,
        );
        let mut cards = Vec::new();
        for &(seq, job) in pages.iter().filter(|(_, job)| super::cards::has_card(*job)) {
            cards.push((paths.len(), job));
            paths.push(super::cards::path_of(&paths[seq]));
            origins.push(origins[seq]);
        }
        let nojekyll = paths.len();
        paths.push(crate::write::MARKER.into());
        origins.push(Origin::Site);
        let cname = custom_domain(&site.config.base_url).map(|_| {
            paths.push("CNAME".into());
            origins.push(Origin::Site);
            paths.len() - 1
        });
        Plan {
            published,
            charts,
            paths,
            first_chart,
            first_data,
            computed,
            datapackage,
            pages,
            cards,
            nojekyll,
            cname,
            origins,
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
