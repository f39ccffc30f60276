//! Renders a validated site to files in memory: pages, charts, data downloads and static files.
//!
//! Nothing here touches the disk; the writer does that with what this returns.

pub mod figures;
mod views;

use std::collections::BTreeMap;
use std::path::Path;

use tera::{Context, Tera};

use crate::diagnostic::Diagnostic;
use crate::export;
use crate::load::Site;
use crate::templates;
use figures::Drawn;
use views::{FactRow, Link, PageView, SectionView, SiteView};

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

/// Renders `site` (already validated). `root` is only used to name template files in errors.
pub fn render(site: &Site, root: &Path) -> Result<Built, Vec<Diagnostic>> {
    let tera = templates::compile(&site.templates, root)?;
    let mut r = Renderer::new(site, root, &tera);
    r.static_files();
    r.charts();
    r.pages();
    r.data_files();
    r.indexes();
    if !r.problems.is_empty() {
        r.problems.sort();
        r.problems.dedup();
        return Err(r.problems);
    }
    let mut outputs = r.outputs;
    outputs.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Built {
        pages: outputs.iter().filter(|o| o.path.ends_with(".html")).count(),
        charts: r.drawn.len(),
        facts: site.companies.iter().map(|c| c.facts.len()).sum(),
        outputs,
    })
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

struct Renderer<'a> {
    site: &'a Site,
    root: &'a Path,
    tera: &'a Tera,
    base_path: String,
    assets: BTreeMap<String, String>,
    drawn: BTreeMap<String, Drawn>,
    outputs: Vec<Output>,
    problems: Vec<Diagnostic>,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, root: &'a Path, tera: &'a Tera) -> Self {
        Renderer {
            site,
            root,
            tera,
            base_path: site.config.base_path(),
            assets: BTreeMap::new(),
            drawn: BTreeMap::new(),
            outputs: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    fn emit(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.outputs.push(Output {
            path: path.into(),
            bytes: bytes.into(),
        });
    }

    fn static_files(&mut self) {
        for (path, bytes) in &self.site.static_files {
            let url = format!("{}?v={}", self.url(path), content_hash(bytes));
            self.assets.insert(path.clone(), url);
            self.emit(path.clone(), bytes.clone());
        }
    }

    fn charts(&mut self) {
        let mut charts: Vec<_> = self
            .site
            .charts
            .iter()
            .map(|s| figures::from_spec(s, self.site))
            .collect();
        charts.extend(
            self.site
                .companies
                .iter()
                .filter_map(|c| figures::for_company(c, self.site)),
        );
        for chart in charts {
            let drawn = figures::draw(&chart, self.site);
            self.emit(drawn.figure.svg.clone(), drawn.svg.clone());
            self.emit(drawn.figure.svg_narrow.clone(), drawn.svg_narrow.clone());
            self.emit(drawn.figure.csv.clone(), drawn.csv.clone());
            self.drawn.insert(chart.id.clone(), drawn);
        }
    }

    fn figure(&self, id: &str) -> Option<figures::Figure> {
        self.drawn.get(id).map(|d| {
            let mut f = d.figure.clone();
            f.svg = self.url(&f.svg);
            f.svg_narrow = self.url(&f.svg_narrow);
            f.csv = self.url(&f.csv);
            f
        })
    }

    /// The context every template gets: site, words, navigation, assets and this page.
    fn context(&self, page: PageView) -> Context {
        let site = self.site;
        let mut ctx = Context::new();
        ctx.insert("site", &SiteView::new(&site.config, &self.base_path));
        ctx.insert("t", &site.strings.ui);
        ctx.insert("assets", &self.assets);
        let sections: Vec<Link> = site
            .published_sections()
            .map(|s| {
                Link::new(
                    &s.meta.title,
                    self.url(&format!("sections/{}/", s.slug)),
                    &s.meta.summary,
                )
            })
            .collect();
        ctx.insert("sections", &sections);
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
        ctx.insert("pages", &pages);
        ctx.insert("page", &page);
        ctx
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

    fn render_page(&mut self, template: &str, ctx: &Context, out_path: &str) {
        match self.tera.render(template, ctx) {
            Ok(html) => self.emit(out_path.to_string(), html),
            Err(e) => self
                .problems
                .push(templates::diagnostic(&e, self.root, Some(template))),
        }
    }

    fn fact_rows(&self, company: &crate::facts::Company) -> Vec<FactRow> {
        company
            .facts
            .iter()
            .map(|f| FactRow::new(company, f, self.site, &self.base_path))
            .collect()
    }

    fn pages(&mut self) {
        let site = self.site;
        let config = &site.config;

        // Home.
        let mut ctx = self.context(self.page_view(&config.title, &config.description, "", "home"));
        let key_numbers: Vec<FactRow> = config
            .key_numbers
            .iter()
            .filter_map(|t| site.fact(t))
            .map(|(c, f)| FactRow::new(c, f, site, &self.base_path))
            .collect();
        ctx.insert("key_numbers", &key_numbers);
        ctx.insert("figure", &self.figure(&config.headline_chart));
        self.render_page("index.html", &ctx, "index.html");

        // Sections, with previous/next.
        let published: Vec<_> = site.published_sections().collect();
        for (i, s) in published.iter().enumerate() {
            let path = format!("sections/{}/", s.slug);
            let mut ctx =
                self.context(self.page_view(&s.meta.title, &s.meta.summary, &path, "section"));
            let rendered =
                crate::markdown::render(&s.body, &|t| views::fact_html(site, t, &self.base_path));
            ctx.insert("section", &SectionView::new(s, rendered, i + 1));
            let link = |s: &crate::section::Section| {
                Link::new(
                    &s.meta.title,
                    self.url(&format!("sections/{}/", s.slug)),
                    &s.meta.summary,
                )
            };
            ctx.insert("previous", &i.checked_sub(1).map(|j| link(published[j])));
            ctx.insert("next", &published.get(i + 1).map(|n| link(n)));
            let companies: Vec<Link> = s
                .meta
                .companies
                .iter()
                .filter_map(|slug| site.company(slug))
                .map(|c| {
                    Link::new(
                        &c.name.zh,
                        self.url(&format!("companies/{}/", c.slug)),
                        &c.description,
                    )
                })
                .collect();
            ctx.insert("companies", &companies);
            let figures: Vec<_> = s
                .meta
                .charts
                .iter()
                .filter_map(|id| self.figure(id))
                .collect();
            ctx.insert("figures", &figures);
            self.render_page("section.html", &ctx, &format!("{path}index.html"));
        }

        // Companies.
        let company_links: Vec<Link> = site
            .companies
            .iter()
            .map(|c| {
                Link::new(
                    &c.name.zh,
                    self.url(&format!("companies/{}/", c.slug)),
                    &c.description,
                )
            })
            .collect();
        let title = site
            .strings
            .ui
            .get("companies")
            .cloned()
            .unwrap_or_default();
        let mut ctx =
            self.context(self.page_view(&title, &config.description, "companies/", "companies"));
        ctx.insert("companies", &company_links);
        self.render_page("companies.html", &ctx, "companies/index.html");
        for c in &site.companies {
            let path = format!("companies/{}/", c.slug);
            let mut ctx =
                self.context(self.page_view(&c.name.zh, &c.description, &path, "company"));
            ctx.insert("company", &views::CompanyView::new(c));
            ctx.insert("facts", &self.fact_rows(c));
            ctx.insert("figure", &self.figure(&format!("company-{}", c.slug)));
            let discussed: Vec<Link> = published
                .iter()
                .filter(|s| s.meta.companies.contains(&c.slug))
                .map(|s| {
                    Link::new(
                        &s.meta.title,
                        self.url(&format!("sections/{}/", s.slug)),
                        &s.meta.summary,
                    )
                })
                .collect();
            ctx.insert("discussed_in", &discussed);
            self.render_page("company.html", &ctx, &format!("{path}index.html"));
        }

        // All facts.
        let title = site
            .strings
            .ui
            .get("all_facts")
            .cloned()
            .unwrap_or_default();
        let mut ctx = self.context(self.page_view(&title, &config.description, "data/", "data"));
        let all: Vec<FactRow> = site
            .companies
            .iter()
            .flat_map(|c| self.fact_rows(c))
            .collect();
        ctx.insert("facts", &all);
        ctx.insert("json", &self.url("data/facts.json"));
        ctx.insert("csv", &self.url("data/facts.csv"));
        self.render_page("data.html", &ctx, "data/index.html");

        // Stand-alone pages.
        for p in &site.pages {
            let path = format!("{}/", p.slug);
            let mut ctx =
                self.context(self.page_view(&p.meta.title, &p.meta.summary, &path, "page"));
            let rendered =
                crate::markdown::render(&p.body, &|t| views::fact_html(site, t, &self.base_path));
            ctx.insert("html", &rendered.html);
            ctx.insert("headings", &rendered.headings);
            self.render_page("page.html", &ctx, &format!("{path}index.html"));
        }

        // Not found.
        let title = site
            .strings
            .ui
            .get("not_found_title")
            .cloned()
            .unwrap_or_default();
        let ctx =
            self.context(self.page_view(&title, &config.description, "404.html", "not_found"));
        self.render_page("404.html", &ctx, "404.html");
    }

    /// `sitemap.xml` (every page but 404), `feed.xml` (the sections), `robots.txt` and
    /// `.nojekyll` (GitHub Pages serves files as they are).
    fn indexes(&mut self) {
        let site = self.site;
        let base_url = &site.config.base_url;
        let mut urls: Vec<String> = self
            .outputs
            .iter()
            .filter_map(|o| o.path.strip_suffix("index.html"))
            .map(|p| format!("{base_url}{p}"))
            .collect();
        urls.sort();
        let mut ctx = self.context(self.page_view("sitemap", "", "sitemap.xml", "sitemap"));
        ctx.insert("urls", &urls);
        self.render_page("sitemap.xml", &ctx, "sitemap.xml");

        let entries: Vec<views::FeedEntry> = site
            .published_sections()
            .map(|s| views::FeedEntry::new(s, base_url))
            .collect();
        let mut ctx = self.context(self.page_view("feed", "", "feed.xml", "feed"));
        ctx.insert("entries", &entries);
        self.render_page("feed.xml", &ctx, "feed.xml");

        let ctx = self.context(self.page_view("robots", "", "robots.txt", "robots"));
        self.render_page("robots.txt", &ctx, "robots.txt");
        self.emit(".nojekyll", Vec::new());
        if let Some(domain) = custom_domain(base_url) {
            self.emit("CNAME", format!("{domain}\n"));
        }
    }

    fn data_files(&mut self) {
        let records = export::records(self.site);
        self.emit("data/facts.json", export::json(&records));
        self.emit("data/facts.csv", export::csv(&records));
    }
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
}
