//! What templates see: plain, serialisable views of the site's content.

use std::hash::{Hash, Hasher as _};

use serde::Serialize;

use crate::config::{License, SiteConfig, SourceArticle};
use crate::facts::{Company, Fact};
use crate::load::Site;
use crate::markdown::{Heading, Rendered, html_escape};
use crate::money::format_amount;
use crate::section::Section;

/// Site settings plus derived values.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    /// The name in the masthead: `masthead`, else the title.
    pub masthead: &'a str,
    pub description: &'a str,
    pub lead: &'a str,
    pub language: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub publisher: &'a str,
    /// The default byline of sections: `author`, else the publisher.
    pub author: &'a str,
    pub published: String,
    pub published_iso: String,
    pub updated: String,
    pub updated_iso: String,
    pub revised: bool,
    pub source_article: &'a SourceArticle,
    pub source_article_date: String,
    pub data_license: &'a License,
}

impl<'a> SiteView<'a> {
    pub fn new(c: &'a SiteConfig, base_path: &'a str) -> Self {
        SiteView {
            title: &c.title,
            masthead: c.masthead.as_deref().unwrap_or(&c.title),
            description: &c.description,
            lead: &c.lead,
            language: &c.language,
            base_url: &c.base_url,
            base_path,
            publisher: &c.publisher,
            author: c.author.as_deref().unwrap_or(&c.publisher),
            published: c.published.to_zh(),
            published_iso: c.published.to_string(),
            updated: c.updated.to_zh(),
            updated_iso: c.updated.to_string(),
            revised: c.updated > c.published,
            source_article: &c.source_article,
            source_article_date: c.source_article.date.to_zh(),
            data_license: &c.data_license,
        }
    }
}

/// The page being rendered.
#[derive(Hash, Serialize)]
pub struct PageView {
    pub title: String,
    pub description: String,
    /// Path below the site root ("" for home, `sections/x/`).
    pub path: String,
    /// Root-relative URL including the base path.
    pub url: String,
    /// Absolute URL.
    pub canonical: String,
    /// home, section, company, companies, data, page or not_found.
    pub kind: String,
    /// A draft, shown only by `serve` and `build --drafts`: the page carries a banner.
    pub draft: bool,
    /// The page's JSON-LD ([`super::structured`]), already safe inside a script element.
    pub structured_data: Option<String>,
}

/// A link with its title and a one-line summary.
#[derive(Clone, Hash, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
    pub summary: String,
}

impl Link {
    pub fn new(title: &str, url: String, summary: &str) -> Self {
        Link {
            title: title.to_string(),
            url,
            summary: summary.to_string(),
        }
    }
}

/// A section page's content.
#[derive(Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub number: usize,
    pub date: String,
    pub date_iso: String,
    pub updated: Option<String>,
    pub updated_iso: Option<String>,
    pub correction: Option<&'a str>,
    /// The section's own author; templates fall back to the site's.
    pub author: Option<&'a str>,
    pub html: &'a str,
    pub headings: &'a [Heading],
}

impl<'a> SectionView<'a> {
    pub fn new(s: &'a Section, rendered: &'a Rendered, number: usize) -> Self {
        SectionView {
            title: &s.meta.title,
            summary: &s.meta.summary,
            number,
            date: s.meta.date.to_zh(),
            date_iso: s.meta.date.to_string(),
            updated: s.meta.updated.map(|d| d.to_zh()),
            updated_iso: s.meta.updated.map(|d| d.to_string()),
            correction: s.meta.correction.as_deref(),
            author: s.meta.author.as_deref(),
            html: &rendered.html,
            headings: &rendered.headings,
        }
    }
}

/// A fingerprint of rendered Markdown: its HTML and headings.
pub fn rendered_fingerprint(r: &Rendered) -> u64 {
    let mut h = super::Fingerprint::new();
    r.html.hash(&mut h);
    for heading in &r.headings {
        (heading.level, &heading.id, &heading.text).hash(&mut h);
    }
    h.finish()
}

/// A company page's heading information.
#[derive(Hash, Serialize)]
pub struct CompanyView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub original: Option<&'a str>,
    pub description: &'a str,
    pub market: bool,
}

impl<'a> CompanyView<'a> {
    pub fn new(c: &'a Company) -> Self {
        CompanyView {
            slug: &c.slug,
            name: &c.name.zh,
            original: (c.name.original != c.name.zh).then_some(c.name.original.as_str()),
            description: &c.description,
            market: c.kind == crate::facts::Kind::Market,
        }
    }
}

/// One fact as a table row.
#[derive(Hash, Serialize)]
pub struct FactRow {
    /// Element id of the row on the company page (`fact-<id>`).
    pub anchor: String,
    pub company: String,
    pub company_url: String,
    pub metric: String,
    pub text: String,
    pub qualifier: &'static str,
    pub period: String,
    pub as_of: String,
    pub as_of_iso: String,
    /// The figure was current on another day than its source's date, so both are shown.
    pub as_of_differs: bool,
    pub source: String,
    pub source_via: Option<String>,
    pub source_date: String,
    pub source_date_iso: String,
    pub source_url: Option<String>,
    pub note: Option<String>,
    /// Link to the row on the company page.
    pub url: String,
}

impl FactRow {
    pub fn new(c: &Company, f: &Fact, site: &Site, base_path: &str) -> Self {
        let company_url = format!("{base_path}companies/{}/", c.slug);
        FactRow {
            anchor: format!("fact-{}", f.id),
            company: c.name.zh.clone(),
            url: format!("{company_url}#fact-{}", f.id),
            company_url,
            metric: site
                .strings
                .metric(&f.metric)
                .unwrap_or(&f.metric)
                .to_string(),
            text: format_amount(f.amount, f.unit, &site.strings),
            qualifier: f.amount.qualifier(),
            period: f.period.clone(),
            as_of: f.as_of.to_zh(),
            as_of_iso: f.as_of.to_string(),
            as_of_differs: f.as_of != f.source.date,
            source: f.source.who.clone(),
            source_via: f.source.via.clone(),
            source_date: f.source.date.to_zh(),
            source_date_iso: f.source.date.to_string(),
            source_url: f.source.url.clone(),
            note: f.note.clone(),
        }
    }
}

/// The HTML that replaces a fact reference in prose: the formatted figure, linked to its row on
/// the company page, with its source as the link's title.
pub fn fact_html(site: &Site, target: &str, base_path: &str) -> Option<String> {
    if let Some(id) = super::figures::chart_ref(target) {
        return Some(super::figures::placeholder(id));
    }
    if let Some(expr) = crate::computed::parse(target) {
        return computed_html(site, &expr);
    }
    let (c, f) = site.fact(target)?;
    let label = site.strings.ui.get("source").map_or("", String::as_str);
    Some(format!(
        "<a class=\"fact\" href=\"{}companies/{}/#fact-{}\" title=\"{}\">{}</a>",
        html_escape(base_path),
        html_escape(&c.slug),
        html_escape(&f.id),
        html_escape(&format!(
            "{label}：{}，{}",
            f.source.who,
            f.source.date.to_zh()
        )),
        html_escape(&format_amount(f.amount, f.unit, &site.strings)),
    ))
}

/// The HTML of a computed reference: the figure as the site writes it, with how it was computed
/// (`本站计算：130亿美元 ÷ 约16亿美元`) as its title.
fn computed_html(site: &Site, expr: &crate::computed::Expr) -> Option<String> {
    let c = crate::computed::resolve(site, expr).ok()?;
    let by = site
        .strings
        .ui
        .get("computed_by")
        .map_or("", String::as_str);
    Some(format!(
        "<span class=\"fact computed\" title=\"{}\">{}</span>",
        html_escape(&format!("{by}：{}", c.rule)),
        html_escape(&c.text),
    ))
}

/// One page in `sitemap.xml`.
#[derive(Hash, Serialize)]
pub struct SitemapUrl {
    /// Absolute address.
    pub loc: String,
    /// The page's own last change (YYYY-MM-DD).
    pub lastmod: String,
}

/// A section as an Atom feed entry.
#[derive(Hash, Serialize)]
pub struct FeedEntry {
    pub title: String,
    pub summary: String,
    pub url: String,
    pub published: String,
    pub updated: String,
}

impl FeedEntry {
    pub fn new(s: &Section, base_url: &str) -> Self {
        FeedEntry {
            title: s.meta.title.clone(),
            summary: s.meta.summary.clone(),
            url: format!("{base_url}sections/{}/", s.slug),
            published: s.meta.date.to_string(),
            updated: s.meta.updated.unwrap_or(s.meta.date).to_string(),
        }
    }
}
