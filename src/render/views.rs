//! What templates see: plain, serialisable views of the site's content.

use std::hash::{Hash, Hasher as _};

use serde::Serialize;

use crate::config::{License, SiteConfig, SourceArticle};
use crate::date::Date;
use crate::facts::{Company, Fact};
use crate::html::escape as html_escape;
use crate::markdown::{Heading, Rendered};
use crate::money::format_amount;
use crate::revision::{Kind, Note};
use crate::section::Section;
use crate::site::Site;
use crate::strings::Strings;

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
    pub fn new(c: &'a SiteConfig, base_path: &'a str, strings: &Strings) -> Self {
        let date = |d: Date| crate::format::date(d, strings);
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
            published: date(c.published),
            published_iso: c.published.to_string(),
            updated: date(c.updated),
            updated_iso: c.updated.to_string(),
            revised: c.updated > c.published,
            source_article: &c.source_article,
            source_article_date: date(c.source_article.date),
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
    /// When what the page shows was last revised (`YYYY-MM-DD`): the newest of its `updated`,
    /// its notes and the revisions of the facts it shows; `None` when never revised. For
    /// JSON-LD `dateModified`.
    pub modified: Option<String>,
    /// Whether one of those revisions is a correction (更正), for JSON-LD `correction`.
    pub corrected: bool,
    /// The page's JSON-LD ([`super::structured`]), already safe inside a script element.
    pub structured_data: Option<String>,
    /// Its social card, for the meta tags (`og:image`); `None` for pages without one.
    pub card: Option<super::CardView>,
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
    /// Its dated notes, newest first.
    pub notes: Vec<NoteView>,
    /// The section's own author; templates fall back to the site's.
    pub author: Option<&'a str>,
    pub html: &'a str,
    pub headings: &'a [Heading],
}

impl<'a> SectionView<'a> {
    /// The view of `s`, last revised on `modified` (see [`PageView::modified`]).
    pub fn new(
        s: &'a Section,
        rendered: &'a Rendered,
        number: usize,
        modified: Option<Date>,
        strings: &Strings,
    ) -> Self {
        SectionView {
            title: &s.meta.title,
            summary: &s.meta.summary,
            number,
            date: crate::format::date(s.meta.date, strings),
            date_iso: s.meta.date.to_string(),
            updated: modified.map(|d| crate::format::date(d, strings)),
            updated_iso: modified.map(|d| d.to_string()),
            notes: NoteView::list(&s.notes(), strings),
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

/// `text` escaped as HTML, with each date written in it (`2024年5月初`, `2023年`, `5月4日`) in
/// a `<span class="num">`, so a line never breaks inside a date: periods are free text that
/// editors write, and a split `2024年5/月初` reads as two things.
pub fn dates_kept_whole(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 32);
    let mut i = 0;
    while i < chars.len() {
        let end = date_end(&chars, i);
        if end > i {
            let date: String = chars[i..end].iter().collect();
            out.push_str("<span class=\"num\">");
            out.push_str(&html_escape(&date));
            out.push_str("</span>");
            i = end;
        } else {
            out.push_str(&html_escape(&chars[i].to_string()));
            i += 1;
        }
    }
    out
}

/// Where a date that starts at `i` ends (digits then 年, 月 or 日, repeated, with 初, 中, 底 or
/// 末 after a month; a range of years `2021–2023年` is one date), or `i` when none starts there.
fn date_end(chars: &[char], i: usize) -> usize {
    if i > 0 && chars[i - 1].is_ascii_digit() {
        return i;
    }
    let mut k = i;
    while k < chars.len() && chars[k].is_ascii_digit() {
        k += 1;
    }
    if k > i && matches!(chars.get(k), Some('–' | '-')) {
        let end = date_end(chars, k + 1);
        if end > k + 1 {
            return end;
        }
    }
    let mut end = i;
    let mut k = i;
    loop {
        let digits = k;
        while k < chars.len() && chars[k].is_ascii_digit() {
            k += 1;
        }
        match chars.get(k) {
            Some('年' | '月' | '日') if k > digits => {
                k += 1;
                if chars[k - 1] == '月' && matches!(chars.get(k), Some('初' | '中' | '底' | '末'))
                {
                    k += 1;
                }
                end = k;
            }
            _ => return end,
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
    /// `period` as HTML, each date in it one unbreakable unit ([`dates_kept_whole`]).
    pub period_html: String,
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
    /// What the fact said before, newest revision first.
    pub history: Vec<RevisionView>,
}

/// One revision of a fact, as its row shows it.
#[derive(Hash, Serialize)]
pub struct RevisionView {
    /// Element id of the revision on the company page (`fact-<id>-rev-<n>`, 1 the oldest).
    pub anchor: String,
    #[serde(flatten)]
    pub stamp: Stamp,
    /// The value before the revision, as the site printed it.
    pub previous: String,
    /// The source before the revision, when it changed: who, and when.
    pub previous_source: Option<String>,
    pub note: String,
}

/// When a revision or note was made and of what kind, as pages show it.
#[derive(Clone, Debug, Hash, Serialize)]
pub struct Stamp {
    pub date: String,
    pub date_iso: String,
    /// `correction` or `update`.
    pub kind: &'static str,
    /// 更正 or 更新.
    pub label: String,
}

impl Stamp {
    /// The stamp of a revision of `kind` made on `date`.
    pub fn new(date: Date, kind: Kind, strings: &Strings) -> Self {
        Stamp {
            date: crate::format::date(date, strings),
            date_iso: date.to_string(),
            kind: kind.key(),
            label: kind_label(kind, strings),
        }
    }
}

/// A dated note of a section or page, as the page shows it.
#[derive(Hash, Serialize)]
pub struct NoteView {
    /// Element id of the note (`note-<n>`, 1 the oldest).
    pub anchor: String,
    #[serde(flatten)]
    pub stamp: Stamp,
    pub text: String,
}

impl NoteView {
    /// Views of `notes` (oldest first), newest first.
    pub fn list(notes: &[Note], strings: &Strings) -> Vec<NoteView> {
        notes
            .iter()
            .enumerate()
            .rev()
            .map(|(i, n)| NoteView {
                anchor: note_anchor(i),
                stamp: Stamp::new(n.date, n.kind, strings),
                text: n.text.clone(),
            })
            .collect()
    }
}

/// The element id of the `i`-th (0-based, oldest first) note of a page.
pub fn note_anchor(i: usize) -> String {
    format!("note-{}", i + 1)
}

/// The element id of the `i`-th (0-based, oldest first) revision of fact `id`.
pub fn revision_anchor(id: &str, i: usize) -> String {
    format!("fact-{id}-rev-{}", i + 1)
}

/// 更正 or 更新, from the strings file.
fn kind_label(kind: Kind, strings: &Strings) -> String {
    strings.ui.get(kind.key()).cloned().unwrap_or_default()
}

impl RevisionView {
    /// Views of the history of `f`, newest first.
    pub fn list(f: &Fact, strings: &Strings) -> Vec<RevisionView> {
        f.history
            .iter()
            .enumerate()
            .rev()
            .map(|(i, r)| RevisionView {
                anchor: revision_anchor(&f.id, i),
                stamp: Stamp::new(r.date, r.kind, strings),
                previous: format_amount(r.previous, f.unit, strings),
                previous_source: r.previous_source.as_ref().map(|s| {
                    let comma = &strings.format.punctuation.comma;
                    format!("{}{comma}{}", s.who, crate::format::date(s.date, strings))
                }),
                note: r.note.clone(),
            })
            .collect()
    }
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
            period_html: dates_kept_whole(&f.period),
            as_of: crate::format::date(f.as_of, &site.strings),
            as_of_iso: f.as_of.to_string(),
            as_of_differs: f.as_of != f.source.date,
            source: f.source.who.clone(),
            source_via: f.source.via.clone(),
            source_date: crate::format::date(f.source.date, &site.strings),
            source_date_iso: f.source.date.to_string(),
            source_url: f.source.url.clone(),
            note: f.note.clone(),
            history: RevisionView::list(f, &site.strings),
        }
    }
}

/// The HTML that replaces a fact reference in prose: the formatted figure, linked to its row on
/// the company page, with its source as the link's title.
pub fn fact_html(site: &Site, target: &str, base_path: &str) -> Option<String> {
    if let Some(id) = crate::markdown::chart_ref(target) {
        return Some(super::figures::placeholder(id));
    }
    if let Some(expr) = crate::computed::parse(target) {
        return computed_html(site, &expr);
    }
    let (c, f) = site.fact(target)?;
    let label = site.strings.ui.get("source").map_or("", String::as_str);
    let p = &site.strings.format.punctuation;
    // A corrected figure carries a marker that links to the newest correction's note.
    let mark = f.corrected().map_or(String::new(), |r| {
        let i = f.history.iter().rposition(|h| h == r).unwrap_or(0);
        let kind = kind_label(r.kind, &site.strings);
        format!(
            "<a class=\"revision-mark\" href=\"{}companies/{}/#{}\" title=\"{}\"><sup>{}</sup></a>",
            html_escape(base_path),
            html_escape(&c.slug),
            html_escape(&revision_anchor(&f.id, i)),
            html_escape(&format!(
                "{kind}{}{}{}",
                p.aside(&crate::format::date(r.date, &site.strings)),
                p.colon,
                r.note
            )),
            html_escape(&kind),
        )
    });
    Some(format!(
        "<a class=\"fact\" href=\"{}companies/{}/#fact-{}\" title=\"{}\">{}</a>{mark}",
        html_escape(base_path),
        html_escape(&c.slug),
        html_escape(&f.id),
        html_escape(&format!(
            "{label}{}{}{}{}",
            p.colon,
            f.source.who,
            p.comma,
            crate::format::date(f.source.date, &site.strings)
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
        html_escape(&format!(
            "{by}{}{}",
            site.strings.format.punctuation.colon, c.rule
        )),
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
    /// The page in every edition that has it, and `x-default` (a site of several languages).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternates: Vec<crate::edition::Alternate>,
}

/// A section, or a correction, as an Atom feed entry.
#[derive(Hash, Serialize)]
pub struct FeedEntry {
    pub title: String,
    pub summary: String,
    pub url: String,
    pub published: String,
    pub updated: String,
}

impl FeedEntry {
    /// The entry of section `s`, dated by its `updated` (see [`super::revisions`] for fact
    /// revisions, which have entries of their own when they are corrections).
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_periods_are_kept_whole_and_the_rest_escaped() {
        assert_eq!(
            dates_kept_whole("最近一个季度（截至2024年5月初）"),
            "最近一个季度（截至<span class=\"num\">2024年5月初</span>）"
        );
        assert_eq!(
            dates_kept_whole("2021–2023年 <b>"),
            "<span class=\"num\">2021–2023年</span> &lt;b&gt;"
        );
        assert_eq!(dates_kept_whole("2023-"), "2023-");
        assert_eq!(
            dates_kept_whole("5月4日、累计"),
            "<span class=\"num\">5月4日</span>、累计"
        );
        assert_eq!(dates_kept_whole("第3章"), "第3章");
    }
}
