//! The render plan: every output of a site, its path and its place in the emission order, and
//! what each company contributes to it (its chart and the HTML of its facts).

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

use super::cache::{Cache, company_fingerprint};
use super::{custom_domain, figures, views};
use crate::chart::Chart;
use crate::facts::FastMap;
use crate::load::Site;
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

/// True when one planned output would be a folder of another (`a` and `a/b`): the files then
/// cannot all be written, and which one fails depends on the order they are written in.
pub fn paths_conflict(paths: &[String]) -> bool {
    let set: HashSet<&str> = paths.iter().map(String::as_str).collect();
    paths
        .iter()
        .any(|p| p.match_indices('/').any(|(i, _)| set.contains(&p[..i])))
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
    /// The n-th stand-alone page.
    Page(usize),
    NotFound,
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
    /// The `seq` of `data/computed.json`.
    pub(super) computed: usize,
    /// The `seq` of `.nojekyll` and `CNAME` (if any).
    pub(super) nojekyll: usize,
    pub(super) cname: Option<usize>,
    /// Whether each output is the last of its path (a later one of the same path replaces it).
    pub(super) last: Vec<bool>,
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
        let sections = published
            .iter()
            .map(|s| format!("sections/{}/index.html", s.slug));
        for (i, path) in sections.enumerate() {
            page(PageJob::Section(i), path, &mut paths);
        }
        page(
            PageJob::Companies,
            "companies/index.html".into(),
            &mut paths,
        );
        let companies = site
            .companies
            .iter()
            .map(|c| format!("companies/{}/index.html", c.slug));
        for (i, path) in companies.enumerate() {
            page(PageJob::Company(i), path, &mut paths);
        }
        page(PageJob::Data, "data/index.html".into(), &mut paths);
        let stand_alone = site.pages.iter().map(|p| format!("{}/index.html", p.slug));
        for (i, path) in stand_alone.enumerate() {
            page(PageJob::Page(i), path, &mut paths);
        }
        page(PageJob::NotFound, "404.html".into(), &mut paths);
        let first_data = paths.len();
        paths.push("data/facts.json".into());
        paths.push("data/facts.csv".into());
        let computed = paths.len();
        paths.push("data/computed.json".into());
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
            computed,
            pages,
            nojekyll,
            cname,
            last,
        }
    }

    /// False when a later output has the same path as output `seq` and replaces it.
    pub(super) fn is_last(&self, seq: usize) -> bool {
        self.last[seq]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
