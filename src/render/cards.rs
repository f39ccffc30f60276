//! The social card of each page (see [`crate::card`]): what it shows, taken from the same facts
//! and charts as the page; the values of its meta tags; and drawing it through the render's memo,
//! or taking the card an earlier build drew from the site's card store.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Serialize;

use super::Bytes;
use super::job::Render;
use super::plan::PageJob;
use super::recall::Of;
use crate::card::store::{Png, Store};
use crate::card::{self, Body, Card, ChartRow};
use crate::chart::{Chart, Kind, Scale};
use crate::diagnostic::Diagnostic;
use crate::load::display_path;
use crate::money::format_amount;

/// File name of a page's card, beside the page (`sections/x/card.png`).
pub const FILE: &str = "card.png";

/// What a page's meta tags say of its card.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct CardView {
    /// Absolute URL of the PNG (social networks need one).
    pub url: String,
    /// What the card shows, in words (`og:image:alt`).
    pub alt: String,
    pub width: u32,
    pub height: u32,
}

/// Whether page `job` has a card: every page readers share (not the 404 page, the embed pages,
/// nor the indexes).
pub(super) fn has_card(job: PageJob) -> bool {
    matches!(
        job,
        PageJob::Home
            | PageJob::Section(_)
            | PageJob::Companies
            | PageJob::Company(_)
            | PageJob::Data
            | PageJob::Corrections
            | PageJob::Page(_)
    )
}

/// The output path of the card of the page published at `page` (`sections/x/index.html`).
pub(super) fn path_of(page: &str) -> String {
    format!("{}{FILE}", page.strip_suffix("index.html").unwrap_or(page))
}

/// Whether the output at `path` is a social card: what `serve` does not draw ([`super::Cards`]).
pub fn is_card(path: &str) -> bool {
    path == FILE || path.ends_with(&format!("/{FILE}"))
}

impl<'a> Render<'a> {
    /// The card of page `job`, or `None` when it has none.
    pub(super) fn card(&self, job: PageJob) -> Option<Card> {
        if !has_card(job) {
            return None;
        }
        let site = self.site;
        let config = &site.config;
        let ui = |key: &str| site.strings.ui.get(key).cloned().unwrap_or_default();
        let summary = |text: &str| (Body::Summary(text.to_string()), None);
        let (title, (body, source)) = match job {
            PageJob::Home => {
                let figure = config.key_numbers.first().and_then(|t| self.figure(t));
                let chart = || self.chart(&config.headline_chart);
                let body = figure
                    .or_else(chart)
                    .unwrap_or_else(|| summary(&config.description));
                (config.title.clone(), body)
            }
            PageJob::Section(i) => {
                let s = self.plan.published[i];
                let chart = s.meta.charts.iter().find_map(|id| self.chart(id));
                let figure = || s.first_fact.as_deref().and_then(|t| self.figure(t));
                let body = chart
                    .or_else(figure)
                    .unwrap_or_else(|| summary(&s.meta.summary));
                (s.meta.title.clone(), body)
            }
            PageJob::Company(i) => {
                let c = &site.companies[i];
                let chart = self.chart(&format!("company-{}", c.slug));
                let figure = || {
                    let f = c.facts.first()?;
                    self.figure(&format!("{}/{}", c.slug, f.id))
                };
                let body = chart
                    .or_else(figure)
                    .unwrap_or_else(|| summary(&c.description));
                (c.name.zh.clone(), body)
            }
            PageJob::Page(i) => {
                let p = &site.pages[i];
                (p.meta.title.clone(), summary(&p.meta.summary))
            }
            PageJob::Companies => (ui("companies"), summary(&config.description)),
            PageJob::Data => (ui("all_facts"), summary(&config.description)),
            PageJob::Corrections => (ui("corrections"), summary(&ui("corrections_intro"))),
            _ => return None,
        };
        let address = config
            .base_url
            .split_once("://")
            .map_or(config.base_url.as_str(), |(_, rest)| rest);
        Some(Card {
            site: config
                .masthead
                .clone()
                .unwrap_or_else(|| config.title.clone()),
            title,
            body,
            source,
            address: address.trim_end_matches('/').to_string(),
            punctuation: site.strings.format.punctuation.clone(),
        })
    }

    /// The card of page `job`: made once per render for a page whose card is drawn (its meta
    /// tags and its drawing share it), else made now.
    fn card_once(&self, job: PageJob) -> Option<Cow<'_, Card>> {
        match self.cards_made.get(&job) {
            Some(made) => made
                .get_or_init(|| self.card(job))
                .as_ref()
                .map(Cow::Borrowed),
            None => self.card(job).map(Cow::Owned),
        }
    }

    /// The meta tags' view of the card of page `job`, published at `path` (`sections/x/`).
    pub(super) fn card_view(&self, job: PageJob, path: &str) -> Option<CardView> {
        let card = self.card_once(job)?;
        Some(CardView {
            url: self.card_url(path),
            alt: card.alt(),
            width: card::WIDTH,
            height: card::HEIGHT,
        })
    }

    /// The absolute URL of the card of the page published at `path`.
    pub(super) fn card_url(&self, path: &str) -> String {
        format!("{}{path}{FILE}", self.site.config.base_url)
    }

    /// One fact as a card's figure, with its source.
    fn figure(&self, target: &str) -> Option<(Body, Option<String>)> {
        let (c, f) = self.site.fact(target)?;
        let strings = &self.site.strings;
        let metric = strings.metric(&f.metric).unwrap_or(&f.metric);
        let mut label = format!("{} · {metric}", c.name.zh);
        if !f.period.is_empty() {
            label.push_str(&format!(" · {}", f.period));
        }
        let body = Body::Figure {
            value: format_amount(f.amount, f.unit, strings),
            label,
        };
        let source = strings.ui.get("source").map_or("", String::as_str);
        let colon = &strings.format.punctuation.colon;
        Some((body, Some(format!("{source}{colon}{}", f.source.who))))
    }

    /// Chart `id` as a card's small chart: its first series, as bars from zero where the chart
    /// draws bars on a linear scale, else as values alone.
    fn chart(&self, id: &str) -> Option<(Body, Option<String>)> {
        let chart: &Chart = &self.plan.charts[*self.chart_index.get(id)?];
        let bars =
            matches!(chart.kind, Kind::Bars | Kind::Multiples) && chart.scale == Scale::Linear;
        let cells: Vec<(&str, &crate::chart::Cell)> = chart
            .rows
            .iter()
            .filter_map(|r| Some((r.label.as_str(), r.cells.first()?.as_ref()?)))
            .take(card::draw::CHART_ROWS)
            .collect();
        if cells.is_empty() {
            return None;
        }
        let top = cells
            .iter()
            .filter_map(|(_, c)| c.value.span().map(|(_, high)| high))
            .fold(0.0, f64::max);
        let rows = cells
            .into_iter()
            .map(|(label, cell)| ChartRow {
                label: label.to_string(),
                text: cell.text.clone(),
                bar: cell
                    .value
                    .span()
                    .filter(|_| bars && top > 0.0)
                    .map(|(low, high)| (high / top, (low < high).then_some(low / top))),
            })
            .collect();
        let title = match chart.series.as_slice() {
            [_] | [] => chart.title.clone(),
            [first, ..] => {
                let aside = self.site.strings.format.punctuation.aside(first);
                format!("{}{aside}", chart.title)
            }
        };
        Some((Body::Chart { title, rows }, Some(chart.source_line.clone())))
    }

    /// Draws the card of every page the plan gives one, on every core and through the memo, and
    /// hands each on; returns the problems: a card whose text the card font cannot draw is a
    /// problem of the file the text comes from. A card kept in the site's card store is handed on
    /// as its file rather than drawn again; a card recalled ([`super::recall`]) is not even
    /// looked for there.
    pub(super) fn cards(&self) -> Vec<Diagnostic> {
        use rayon::prelude::*;
        if self.plan.cards.is_empty() {
            return Vec::new();
        }
        // Read only when a card is not recalled.
        let store = OnceLock::new();
        let problems = self
            .plan
            .cards
            .par_iter()
            .filter_map(|&(seq, job)| {
                let draw = || self.draw_card(store.get_or_init(|| Store::at(self.root)), job);
                self.emit_recalled([seq], Of::Card(job), &|| {
                    Ok([self.memo.card(self, job, &draw)?])
                })
                .err()
            })
            .collect();
        if let Some(store) = store.get() {
            store.save();
        }
        problems
    }

    /// The PNG of the card of page `job`, from `store` or drawn (and kept there).
    fn draw_card(&self, store: &Store, job: PageJob) -> Result<Bytes, Diagnostic> {
        let cannot = |e: &str| {
            let message = format!("cannot draw its social card: {e}");
            Diagnostic::file(&self.file_of(job), message)
        };
        let card = self
            .card_once(job)
            .ok_or_else(|| cannot("the page has none"))?;
        if let Some((c, text)) = card.missing_glyph() {
            return Err(self.glyph_problem(job, c, text));
        }
        match store
            .png(&card::key(&card), &|| card.svg())
            .map_err(|e| cannot(&e))?
        {
            Png::Kept(kept) => Ok(Bytes::Kept(kept)),
            Png::Drawn(png) => Ok(Bytes::Owned(png)),
        }
    }

    /// The file that page `job` is made from (`content/site.yaml` for the site's own pages).
    fn file_of(&self, job: PageJob) -> PathBuf {
        let site = self.site;
        match job {
            PageJob::Section(i) => self.plan.published[i].path.clone(),
            PageJob::Company(i) => site.companies[i].path.clone(),
            PageJob::Page(i) => site.pages[i].path.clone(),
            _ => display_path(self.root, Path::new("content/site.yaml")),
        }
    }

    /// The files a card's texts can come from, the page's own first: the page's, its charts'
    /// and facts' companies', `site.yaml` and the strings.
    fn sources_of(&self, job: PageJob) -> Vec<PathBuf> {
        let site = self.site;
        let chart_file = |id: &str| Some(self.plan.charts[*self.chart_index.get(id)?].file.clone());
        let fact_file = |target: &str| Some(site.fact(target)?.0.path.clone());
        let mut files = vec![self.file_of(job)];
        match job {
            PageJob::Home => {
                files.extend(site.config.key_numbers.first().and_then(|t| fact_file(t)));
                files.extend(chart_file(&site.config.headline_chart));
            }
            PageJob::Section(i) => {
                let s = self.plan.published[i];
                files.extend(s.meta.charts.iter().filter_map(|id| chart_file(id)));
                files.extend(s.first_fact.as_deref().and_then(fact_file));
            }
            PageJob::Company(i) => {
                files.extend(chart_file(&format!("company-{}", site.companies[i].slug)));
            }
            _ => {}
        }
        files.push(display_path(self.root, Path::new("content/site.yaml")));
        let strings = format!("templates/strings/{}.yaml", site.config.language);
        files.push(display_path(self.root, Path::new(&strings)));
        files
    }

    /// The problem of a card whose `text` has character `c` the card font lacks, at the first
    /// place in the card's files that has the text (or else the character): read again here,
    /// since a build keeps no file's text once it is checked.
    fn glyph_problem(&self, job: PageJob, c: char, text: &str) -> Diagnostic {
        let message = format!(
            "the social card of this page would show `{}`, but its character `{c}` (U+{:04X}) \
             is not in the card font (the Chinese characters of GB 2312, Latin letters and \
             common punctuation); write it another way",
            crate::diagnostic::shorten(text),
            c as u32
        );
        let files = self.sources_of(job);
        let texts: Vec<(&PathBuf, String)> = files
            .iter()
            .filter_map(|f| Some((f, std::fs::read_to_string(f).ok()?)))
            .collect();
        let found = |find: &dyn Fn(&str) -> Option<usize>| {
            texts
                .iter()
                .find_map(|(f, src)| Some((*f, src.as_str(), find(src)?)))
        };
        let at = found(&|src| Some(src.find(text)? + text.find(c)?))
            .or_else(|| found(&|src| src.find(c)));
        match at {
            Some((file, src, offset)) => {
                let (line, column) = crate::diagnostic::line_col(src, offset);
                Diagnostic::at(file, line, column, message)
            }
            None => Diagnostic::file(&files[0], message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_paths_sit_beside_their_pages() {
        assert_eq!(path_of("index.html"), "card.png");
        assert_eq!(path_of("sections/x/index.html"), "sections/x/card.png");
        assert!(is_card("card.png") && is_card("en/sections/x/card.png"));
        assert!(!is_card("sections/x/index.html") && !is_card("static/wildcard.png"));
    }
}
