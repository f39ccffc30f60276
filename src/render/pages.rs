//! Pages: what each page shows (its spec: its template and context, which also gives its memo
//! key) and rendering it.

use std::collections::BTreeMap;
use std::hash::Hash;
use std::ops::Range;
use std::sync::Arc;

use tera::{Context, Value};

use super::Bytes;
use super::figures::Figure;
use super::job::Render;
use super::memo::{DrawnChart, Fingerprint, MarkdownEntry, SHARED, Shared, json_fingerprint};
use super::plan::PageJob;
use super::recall::Of;
use super::revisions::{self, Entry, Revised};
use super::structured::{self, Article, Dataset, Download};
use super::views::{
    CompanyView, FactRow, FeedEntry, Link, NoteView, PageView, SectionView, SiteView, SitemapUrl,
};
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::facts::{Company, FastMap};
use crate::markdown::Rendered;
use crate::revision::Kind;
use crate::section::Section;
use crate::strings::Strings;
use crate::templates;

/// The data page's downloads and their media types, in the order its JSON-LD lists them.
const DOWNLOADS: [(&str, &str); 4] = [
    ("facts.csv", "text/csv"),
    ("facts.json", "application/json"),
    ("computed.json", "application/json"),
    ("datapackage.json", "application/json"),
];

/// One page's own context (everything but the shared values): what it shows, and so what its
/// memo key is made of ([`PageSpec::hash_into`]).
pub(super) struct PageSpec<'a> {
    pub(super) template: &'static str,
    page: PageView,
    vars: Vec<(&'static str, Var<'a>)>,
}

impl PageSpec<'_> {
    /// Hashes everything the page's own context holds into `h`.
    pub(super) fn hash_into(&self, h: &mut Fingerprint, strings: &Strings) {
        self.page.hash(h);
        for (name, var) in &self.vars {
            name.hash(h);
            var.hash_into(h, strings);
        }
    }
}

/// A value of a page's own context.
enum Var<'a> {
    /// A section, its number, its Markdown, and when it was last revised.
    Section(&'a Section, usize, Arc<MarkdownEntry>, Option<Date>),
    Link(Option<Link>),
    Links(Vec<Link>),
    Facts(Vec<FactRow>),
    Company(CompanyView<'a>),
    Figure(Option<Arc<DrawnChart>>),
    Figures(Vec<Arc<DrawnChart>>),
    Html(Arc<MarkdownEntry>),
    Text(String),
    Entries(Vec<FeedEntry>),
    Urls(Vec<SitemapUrl>),
    Revisions(Vec<Entry>),
    Notes(Vec<NoteView>),
    /// A section's HTML cut at its chart references: each piece (a range of the entry's HTML,
    /// which it is not copied out of) with the chart after it.
    Parts(
        Arc<MarkdownEntry>,
        Vec<(Range<usize>, Option<Arc<DrawnChart>>)>,
    ),
}

impl Var<'_> {
    fn hash_into(&self, h: &mut Fingerprint, strings: &Strings) {
        match self {
            Var::Section(s, number, markdown, modified) => {
                // Every field but the Markdown, which its fingerprint stands for.
                let without = Rendered::default();
                let view = SectionView::new(s, &without, *number, *modified, strings);
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
            Var::Entries(v) => (10u8, v).hash(h),
            Var::Urls(v) => (12u8, v).hash(h),
            Var::Revisions(v) => (13u8, v).hash(h),
            Var::Notes(v) => (14u8, v).hash(h),
            Var::Parts(entry, v) => {
                11u8.hash(h);
                for (range, d) in v {
                    let html = &entry.rendered.html[range.clone()];
                    (html, d.as_ref().map(|d| d.fingerprint)).hash(h);
                }
            }
        }
    }

    /// Puts the value in `ctx` under `name`; rendered Markdown goes in as `html` and `headings`.
    fn insert(&self, ctx: &mut Context, name: &'static str, strings: &Strings) {
        match self {
            Var::Section(s, number, markdown, modified) => {
                let view = SectionView::new(s, &markdown.rendered, *number, *modified, strings);
                ctx.insert(name, &view);
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
            Var::Entries(v) => ctx.insert(name, v),
            Var::Urls(v) => ctx.insert(name, v),
            Var::Revisions(v) => ctx.insert(name, v),
            Var::Notes(v) => ctx.insert(name, v),
            Var::Parts(entry, v) => {
                let parts: Vec<Value> = v
                    .iter()
                    .map(|(range, d)| {
                        let figures: Vec<Value> = d.iter().map(|d| d.value.clone()).collect();
                        let mut part = tera::Map::new();
                        let html = &entry.rendered.html[range.clone()];
                        part.insert("html".into(), Value::from(html));
                        part.insert("figures".into(), Value::from(figures));
                        Value::from(part)
                    })
                    .collect();
                ctx.insert_value(name, Value::from(parts));
            }
        }
    }
}

impl<'a> Render<'a> {
    /// The shared values, with their fingerprints (in the order of [`SHARED`]) for a memo.
    pub(super) fn shared_values(
        &self,
        assets: BTreeMap<String, String>,
        sections: Value,
        fingerprints: [u64; 5],
    ) -> Shared {
        Shared {
            values: [
                Value::from_serializable(&self.site_view()),
                Value::from_serializable(&crate::format::template_words(&self.site.strings)),
                Value::from_serializable(&assets),
                sections,
                Value::from_serializable(&self.page_links()),
            ],
            fingerprints,
        }
    }

    /// What templates see of the site's settings (`site`).
    pub(super) fn site_view(&self) -> SiteView<'_> {
        SiteView::new(&self.site.config, &self.base_path, &self.site.strings)
    }

    /// The links to the published sections, in reading order (`sections`).
    pub(super) fn section_links(&self) -> Vec<Link> {
        self.plan
            .published
            .iter()
            .map(|s| self.section_link(s))
            .collect()
    }

    /// The links to the stand-alone pages (`pages`).
    pub(super) fn page_links(&self) -> Vec<Link> {
        self.site
            .pages
            .iter()
            .map(|p| {
                Link::new(
                    &p.meta.title,
                    self.url(&format!("{}/", p.slug)),
                    &p.meta.summary,
                )
            })
            .collect()
    }

    /// The link to a section. What it is made of (title, slug, summary, base path) is also the
    /// key of the memo's list of sections (`cache::Pass::shared`), checked in debug builds.
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

    /// The companies and, apart, the market entries, each in the editors' order (`companies:`
    /// in `site.yaml`) with the rest in file order.
    fn companies_and_markets(&self) -> (Vec<&'a Company>, Vec<&'a Company>) {
        let site = self.site;
        let named = &site.config.companies;
        let listed = named.iter().filter_map(|slug| site.company(slug));
        let rest = site.companies.iter().filter(|c| !named.contains(&c.slug));
        listed
            .chain(rest)
            .partition(|c| c.kind != crate::facts::Kind::Market)
    }

    fn page_view(&self, title: &str, description: &str, path: &str, kind: &str) -> PageView {
        PageView {
            title: title.to_string(),
            description: description.to_string(),
            path: path.to_string(),
            url: self.url(path),
            canonical: format!("{}{path}", self.site.config.base_url),
            kind: kind.to_string(),
            draft: false,
            structured_data: None,
            modified: None,
            corrected: false,
            card: None,
        }
    }

    /// [`Render::page_view`] of a page last revised as `revised` says.
    fn revised_view(&self, view: PageView, revised: Revised) -> PageView {
        PageView {
            modified: revised.iso(),
            corrected: revised.corrected,
            ..view
        }
    }

    /// What JSON-LD says of a page's corrections: the page's own correction note, else, when
    /// a figure it shows was corrected, a pointer to the 更正与更新 page, dated by the newest
    /// correction.
    fn correction_of(&self, own: Option<(&str, Date)>, revised: Revised) -> Option<(String, Date)> {
        own.map(|(text, date)| (text.to_string(), date))
            .or_else(|| Some((self.ui("correction_note"), revised.corrected_on?)))
    }

    /// `view` with the JSON-LD of a `NewsArticle` ([`structured::article`]).
    fn with_article(
        &self,
        view: PageView,
        (published, modified): (Date, Date),
        author: Option<&str>,
        correction: Option<(&str, Date)>,
    ) -> PageView {
        let json = structured::article(
            &self.site.config,
            &Article {
                headline: &view.title,
                description: &view.description,
                url: &view.canonical,
                date_published: published,
                date_modified: modified,
                author,
                image: Some(&self.card_url(&view.path)),
                correction,
            },
        );
        PageView {
            structured_data: Some(json),
            ..view
        }
    }

    /// The data page's view with the JSON-LD of a `Dataset`: one distribution per download.
    fn with_dataset(&self, view: PageView) -> PageView {
        let site = self.site;
        let as_of = site
            .companies
            .iter()
            .flat_map(|c| &c.facts)
            .map(|f| f.as_of);
        let coverage = (
            as_of.clone().min().unwrap_or(site.config.published),
            as_of.max().unwrap_or(site.config.published),
        );
        let downloads = DOWNLOADS
            .iter()
            .map(|(file, format)| Download {
                url: format!("{}data/{file}", crate::lang::root_url(site)),
                format,
            })
            .collect();
        let json = structured::dataset(
            &site.config,
            &Dataset {
                name: &view.title,
                description: &view.description,
                url: &view.canonical,
                coverage,
                downloads,
            },
        );
        PageView {
            structured_data: Some(json),
            ..view
        }
    }

    /// Where chart `id` is read in context, for its embed page's link back: the first section
    /// that shows it, else the home page (its headline chart), else its company's page, else
    /// the data page.
    fn story_of(&self, id: &str) -> Link {
        let site = self.site;
        let section = self.stories.get(id).map(|&n| self.plan.published[n]);
        let company = id
            .strip_prefix("company-")
            .and_then(|slug| site.company(slug));
        let link = match (section, company) {
            (Some(s), _) => self.section_link(s),
            _ if site.config.headline_chart == id => {
                Link::new(&site.config.title, self.url(""), &site.config.description)
            }
            (None, Some(c)) => self.company_link(c),
            (None, None) => Link::new(&self.ui("all_facts"), self.url("data/"), ""),
        };
        Link {
            url: format!("{}#chart-{id}", link.url),
            ..link
        }
    }

    /// When the page of `job` last changed: the newest of its own dates (a section's revision
    /// or publication; a company's latest source, but never before the site was published; the
    /// site's revision for the rest) and the revisions of what it shows.
    fn lastmod(&self, job: PageJob) -> Date {
        let site = self.site;
        let config = &site.config;
        let (own, revised) = match job {
            PageJob::Section(i) => {
                let s = self.plan.published[i];
                (
                    s.meta.updated.unwrap_or(s.meta.date),
                    revisions::of_section(site, s),
                )
            }
            PageJob::Company(i) => {
                let c = &site.companies[i];
                let sources = c.facts.iter().map(|f| f.source.date);
                let own = sources
                    .chain([config.published])
                    .max()
                    .unwrap_or(config.published);
                (own, revisions::of_company(c))
            }
            // A page has no date of its own: its newest note or revision, else the site's.
            PageJob::Page(i) => {
                let revised = revisions::of_page(site, &site.pages[i]);
                return revised.date.unwrap_or(config.updated);
            }
            _ => (config.updated, Revised::default()),
        };
        revised.date.map_or(own, |d| d.max(own))
    }

    fn fact_rows(&self, company: &Company) -> Vec<FactRow> {
        company
            .facts
            .iter()
            .map(|f| FactRow::new(company, f, self.site, &self.base_path))
            .collect()
    }

    /// The URL of `path` among the outputs every edition shares (the data downloads), under the
    /// site's root.
    fn shared_url(&self, path: &str) -> String {
        format!("{}{path}", crate::lang::root_path(self.site))
    }

    fn ui(&self, key: &str) -> String {
        self.site.strings.ui.get(key).cloned().unwrap_or_default()
    }

    /// Makes page `seq`, of `job` (or takes it from the memo, or leaves it as the output holds
    /// it) and emits it; its problem if its template failed.
    pub(super) fn page(&self, seq: usize, job: PageJob, shared: &Shared) -> Option<Diagnostic> {
        self.emit_recalled([seq], Of::Page(job), &|| {
            Ok([self.make_page(seq, job, shared)?])
        })
        .err()
    }

    /// Makes page `seq`, of `job` (or takes it from the memo).
    fn make_page(&self, seq: usize, job: PageJob, shared: &Shared) -> Result<Bytes, Diagnostic> {
        let markdown = match job {
            PageJob::Section(i) => {
                let s = self.plan.published[i];
                Some(self.markdown(&s.path, &crate::load::section_body(s)?))
            }
            PageJob::Page(i) => {
                let p = &self.site.pages[i];
                Some(self.markdown(&p.path, &p.body))
            }
            _ => None,
        };
        let spec = || {
            let mut spec = self.spec(job, markdown.clone());
            spec.page.card = self.card_view(job, &spec.page.path);
            spec
        };
        let make = |spec: &PageSpec<'_>| self.render_page(spec, shared);
        self.memo
            .page(self, seq, job, markdown.as_deref(), shared, &spec, &make)
    }

    /// The bytes of the page `spec` describes: its template rendered with its context.
    fn render_page(&self, spec: &PageSpec<'_>, shared: &Shared) -> Result<Vec<u8>, Diagnostic> {
        let strings = &self.site.strings;
        let mut ctx = Context::new();
        for (name, value) in SHARED.iter().zip(&shared.values) {
            ctx.insert_value(*name, value.clone());
        }
        ctx.insert("page", &spec.page);
        if let Some(edition) = &self.site.edition {
            ctx.insert("edition", &edition.view(&spec.page.path));
        }
        for (name, var) in &spec.vars {
            var.insert(&mut ctx, name, strings);
        }
        // Into bytes directly: `render` would check the whole page is UTF-8 again (5% of a
        // build), and the bytes are all the writer wants.
        // The render reports every problem of templates that fail ([`Render::run`]).
        let tera = self.tera.get().map_err(|failed| {
            let templates = crate::load::display_path(self.root, std::path::Path::new("templates"));
            let first = failed.first().cloned();
            first.unwrap_or_else(|| Diagnostic::file(&templates, "the templates do not compile"))
        })?;
        let mut out = Vec::with_capacity(16 * 1024);
        tera.render_to(spec.template, &ctx, &mut out)
            .map_err(|e| templates::diagnostic(&e, self.root, Some(spec.template)))?;
        Ok(out)
    }

    /// What page `job` shows: its template, its page view and the rest of its context (one
    /// method per kind of page below). `markdown` is the rendered text of a section's or a
    /// stand-alone page's job, which [`Render::page`] renders before it asks for the spec (the
    /// empty default is never reached).
    fn spec(&self, job: PageJob, markdown: Option<Arc<MarkdownEntry>>) -> PageSpec<'a> {
        let site = self.site;
        let config = &site.config;
        match job {
            PageJob::Home => self.home_spec(),
            PageJob::Section(i) => self.section_spec(i, markdown.unwrap_or_default()),
            PageJob::Companies => self.companies_spec(),
            PageJob::Company(i) => self.company_spec(i),
            PageJob::Data => self.data_spec(),
            PageJob::Page(i) => self.page_spec(i, markdown.unwrap_or_default()),
            PageJob::Corrections => PageSpec {
                template: "corrections.html",
                page: self.page_view(
                    &self.ui("corrections"),
                    &self.ui("corrections_intro"),
                    "corrections/",
                    "corrections",
                ),
                vars: vec![(
                    "entries",
                    Var::Revisions(revisions::entries(site, &self.plan.published)),
                )],
            },
            PageJob::Embed(i) => {
                let chart = &self.plan.charts[i];
                let path = format!("embed/{}/", chart.id);
                PageSpec {
                    template: "embed.html",
                    page: self.page_view(&chart.title, &chart.description, &path, "embed"),
                    vars: vec![
                        ("figure", Var::Figure(self.drawing(&chart.id))),
                        ("story", Var::Link(Some(self.story_of(&chart.id)))),
                    ],
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
            PageJob::Sitemap => self.sitemap_spec(),
            PageJob::Feed => self.feed_spec(),
            PageJob::Robots => PageSpec {
                template: "robots.txt",
                page: self.page_view("robots", "", "robots.txt", "robots"),
                vars: Vec::new(),
            },
        }
    }

    /// The home page: the key numbers and the headline chart.
    fn home_spec(&self) -> PageSpec<'a> {
        let site = self.site;
        let config = &self.site.config;
        let figure = |id: &str| self.drawing(id);
        let key_numbers: Vec<FactRow> = config
            .key_numbers
            .iter()
            .filter_map(|t| site.fact(t))
            .map(|(c, f)| FactRow::new(c, f, site, &self.base_path))
            .collect();
        PageSpec {
            template: "index.html",
            page: self.with_article(
                self.page_view(&config.title, &config.description, "", "home"),
                (config.published, config.updated),
                config.author.as_deref(),
                None,
            ),
            vars: vec![
                ("key_numbers", Var::Facts(key_numbers)),
                ("figure", Var::Figure(figure(&config.headline_chart))),
            ],
        }
    }

    /// The page of the `i`-th published section, with its Markdown rendered.
    fn section_spec(&self, i: usize, entry: Arc<MarkdownEntry>) -> PageSpec<'a> {
        let site = self.site;
        let config = &self.site.config;
        let figure = |id: &str| self.drawing(id);
        let published = &self.plan.published;
        let s = published[i];
        let path = format!("sections/{}/", s.slug);
        // Only a section that places charts in its text has places to split at.
        let html = &entry.rendered.html;
        let body = match s.chart_refs.is_empty() {
            true => vec![(0..html.len(), None)],
            false => super::figures::split_at_charts(html)
                .into_iter()
                .map(|(range, id)| (range, id.and_then(figure)))
                .collect(),
        };
        let revised = revisions::of_section(site, s);
        let section = Var::Section(s, i + 1, entry.clone(), revised.date);
        let companies: Vec<Link> = s
            .companies
            .iter()
            .filter_map(|slug| site.company(slug))
            .map(|c| self.company_link(c))
            .collect();
        let figures: Vec<Arc<DrawnChart>> =
            s.meta.charts.iter().filter_map(|id| figure(id)).collect();
        PageSpec {
            template: "section.html",
            page: self.with_article(
                PageView {
                    draft: s.meta.draft,
                    ..self.revised_view(
                        self.page_view(&s.meta.title, &s.meta.summary, &path, "section"),
                        revised,
                    )
                },
                (s.meta.date, revised.date.unwrap_or(s.meta.date)),
                s.meta.author.as_deref().or(config.author.as_deref()),
                self.correction_of(
                    s.meta
                        .correction
                        .as_deref()
                        .zip(s.meta.updated.or(Some(s.meta.date))),
                    revised,
                )
                .as_ref()
                .map(|(text, date)| (text.as_str(), *date)),
            ),
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
                ("body", Var::Parts(entry, body)),
            ],
        }
    }

    /// The list of companies and markets.
    fn companies_spec(&self) -> PageSpec<'a> {
        let config = &self.site.config;
        let (companies, markets) = self.companies_and_markets();
        let links = |list: Vec<&Company>| -> Vec<Link> {
            list.into_iter().map(|c| self.company_link(c)).collect()
        };
        PageSpec {
            template: "companies.html",
            page: self.page_view(
                &self.ui("companies"),
                &config.description,
                "companies/",
                "companies",
            ),
            vars: vec![
                ("companies", Var::Links(links(companies))),
                ("markets", Var::Links(links(markets))),
            ],
        }
    }

    /// The page of the `i`-th company: its facts, its chart and the sections that discuss it.
    fn company_spec(&self, i: usize) -> PageSpec<'a> {
        let site = self.site;
        let figure = |id: &str| self.drawing(id);
        let c = &site.companies[i];
        let path = format!("companies/{}/", c.slug);
        let discussed = self.discussed[i]
            .iter()
            .map(|&n| self.section_link(self.plan.published[n]))
            .collect();
        PageSpec {
            template: "company.html",
            page: PageView {
                draft: c.draft,
                ..self.revised_view(
                    self.page_view(&c.name.zh, &c.description, &path, "company"),
                    revisions::of_company(c),
                )
            },
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

    /// The data page: every fact and the downloads.
    fn data_spec(&self) -> PageSpec<'a> {
        let config = &self.site.config;
        let (companies, markets) = self.companies_and_markets();
        let all: Vec<FactRow> = companies
            .into_iter()
            .chain(markets)
            .flat_map(|c| self.fact_rows(c))
            .collect();
        PageSpec {
            template: "data.html",
            page: self.with_dataset(self.page_view(
                &self.ui("all_facts"),
                &config.description,
                "data/",
                "data",
            )),
            vars: vec![
                ("facts", Var::Facts(all)),
                ("json", Var::Text(self.shared_url("data/facts.json"))),
                ("csv", Var::Text(self.shared_url("data/facts.csv"))),
                (
                    "revisions_csv",
                    Var::Text(self.shared_url("data/revisions.csv")),
                ),
                ("computed", Var::Text(self.shared_url("data/computed.json"))),
                (
                    "datapackage",
                    Var::Text(self.shared_url("data/datapackage.json")),
                ),
            ],
        }
    }

    /// The `i`-th stand-alone page, with its Markdown rendered.
    fn page_spec(&self, i: usize, entry: Arc<MarkdownEntry>) -> PageSpec<'a> {
        let site = self.site;
        let p = &site.pages[i];
        let path = format!("{}/", p.slug);
        let html = Var::Html(entry);
        PageSpec {
            template: "page.html",
            page: self.revised_view(
                self.page_view(&p.meta.title, &p.meta.summary, &path, "page"),
                revisions::of_page(site, p),
            ),
            vars: vec![
                ("html", html),
                (
                    "notes",
                    Var::Notes(NoteView::list(&p.meta.notes, &site.strings)),
                ),
            ],
        }
    }

    /// The sitemap: every page but 404 and the embed pages (not for search), and any static
    /// `index.html`, as the site has always listed, each with its own last change.
    fn sitemap_spec(&self) -> PageSpec<'a> {
        let config = &self.site.config;
        let base_url = &config.base_url;
        let sitemap = self
            .plan
            .pages
            .iter()
            .find(|(_, j)| matches!(j, PageJob::Sitemap))
            .map_or(0, |(seq, _)| *seq);
        let jobs: FastMap<usize, PageJob> = self.plan.pages.iter().copied().collect();
        let mut urls: Vec<SitemapUrl> = self.plan.paths[..sitemap]
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.starts_with("embed/"))
            .filter_map(|(seq, p)| Some((seq, p.strip_suffix("index.html")?)))
            .map(|(seq, p)| SitemapUrl {
                loc: format!("{base_url}{p}"),
                alternates: self
                    .site
                    .edition
                    .as_ref()
                    .map_or_else(Vec::new, |e| e.sitemap_links(p)),
                lastmod: jobs
                    .get(&seq)
                    .map_or(config.updated, |&job| self.lastmod(job))
                    .to_string(),
            })
            .collect();
        urls.sort_by(|a, b| a.loc.cmp(&b.loc));
        PageSpec {
            template: "sitemap.xml",
            page: self.page_view("sitemap", "", "sitemap.xml", "sitemap"),
            vars: vec![("urls", Var::Urls(urls))],
        }
    }

    /// The feed: the published sections, then the corrections.
    fn feed_spec(&self) -> PageSpec<'a> {
        let site = self.site;
        let config = &self.site.config;
        let corrections = revisions::entries(site, &self.plan.published)
            .into_iter()
            .filter(|e| e.stamp.kind == Kind::Correction.key())
            .map(|e| {
                let p = &site.strings.format.punctuation;
                revisions::feed_entry(&e, &config.base_url, p)
            });
        let entries = self
            .plan
            .published
            .iter()
            .map(|s| FeedEntry::new(s, &config.base_url))
            .chain(corrections)
            .collect();
        PageSpec {
            template: "feed.xml",
            page: self.page_view("feed", "", "feed.xml", "feed"),
            vars: vec![("entries", Var::Entries(entries))],
        }
    }
}
