//! What readers see of revisions across pages: when each page was last revised and whether it
//! was corrected, and every revision and note of the site as one list, newest first (the
//! 更正与更新 page and the feed's correction entries).

use serde::Serialize;

use super::views::{FeedEntry, Stamp, note_anchor, revision_anchor};
use crate::date::Date;
use crate::facts::{Company, Fact};
use crate::money::format_amount;
use crate::revision::{Kind, Note};
use crate::section::{self, Page, Section};
use crate::site::Site;
use crate::strings::Punctuation;

/// When a page was last revised and whether a revision was a correction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Revised {
    /// The newest revision date, if any.
    pub date: Option<Date>,
    /// Whether any of the revisions is a correction (更正).
    pub corrected: bool,
    /// The newest correction's date, if any.
    pub corrected_on: Option<Date>,
}

impl Revised {
    fn add(&mut self, date: Date, kind: Kind) {
        self.date = self.date.max(Some(date));
        if kind == Kind::Correction {
            self.corrected = true;
            self.corrected_on = self.corrected_on.max(Some(date));
        }
    }

    /// The revisions of `f` dated after `after` (all when `None`): a figure revised before a
    /// section was published did not revise the section.
    fn add_fact(&mut self, f: &Fact, after: Option<Date>) {
        for r in f
            .history
            .iter()
            .filter(|r| after.is_none_or(|d| r.date > d))
        {
            self.add(r.date, r.kind);
        }
    }

    /// The revisions of the facts `cited` (`slug/id`), dated after `after`.
    fn add_cited<'t>(
        &mut self,
        site: &Site,
        cited: impl Iterator<Item = &'t str>,
        after: Option<Date>,
    ) {
        for target in cited {
            if let Some((_, f)) = site.fact(target) {
                self.add_fact(f, after);
            }
        }
    }

    fn add_notes(&mut self, notes: &[Note]) {
        for n in notes {
            self.add(n.date, n.kind);
        }
    }

    /// The date as `YYYY-MM-DD`.
    pub fn iso(self) -> Option<String> {
        self.date.map(|d| d.to_string())
    }
}

/// A section: its `updated`, its notes, and the revisions of every fact its text shows made
/// after the section was published.
pub fn of_section(site: &Site, s: &Section) -> Revised {
    let mut revised = Revised {
        date: s.meta.updated,
        ..Revised::default()
    };
    revised.add_notes(&s.notes());
    // Its facts are looked up only when a company it cites has a revised fact: most sites have
    // none, and this runs for every section in the sitemap on every build.
    let revisable = s
        .companies
        .iter()
        .filter_map(|slug| site.company(slug))
        .any(|c| c.facts.iter().any(|f| !f.history.is_empty()));
    if revisable {
        revised.add_cited(site, s.cited.iter().map(String::as_str), Some(s.meta.date));
    }
    revised
}

/// A company page: the revisions of its facts.
pub fn of_company(c: &Company) -> Revised {
    let mut revised = Revised::default();
    for f in &c.facts {
        revised.add_fact(f, None);
    }
    revised
}

/// A stand-alone page: its notes, and the revisions of every fact its text shows.
pub fn of_page(site: &Site, p: &Page) -> Revised {
    let mut revised = Revised::default();
    revised.add_notes(&p.meta.notes);
    revised.add_cited(site, section::cited_facts(&p.body), None);
    revised
}

/// One revision or note on the 更正与更新 page.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Entry {
    #[serde(flatten)]
    pub stamp: Stamp,
    /// What was revised: `公司 · 指标（时期）`, or a section's or page's title.
    pub title: String,
    /// Where the note is shown, below the site root (`companies/x/#fact-y-rev-1`).
    pub path: String,
    /// For a fact: the value before and after the revision.
    pub previous: Option<String>,
    pub current: Option<String>,
    /// The note.
    pub text: String,
}

/// Every fact revision and section or page note of the site, newest first (then in site order).
pub fn entries(site: &Site, sections: &[&Section]) -> Vec<Entry> {
    let strings = &site.strings;
    let mut all = Vec::new();
    for c in &site.companies {
        for f in &c.facts {
            // Each revision's "after" is the value the next revision replaced, or today's.
            for (i, r) in f.history.iter().enumerate() {
                let after = f.history.get(i + 1).map_or(f.amount, |n| n.previous);
                let metric = strings.metric(&f.metric).unwrap_or(&f.metric);
                all.push(Entry {
                    stamp: Stamp::new(r.date, r.kind, strings),
                    title: format!(
                        "{} · {metric}{}",
                        c.name.zh,
                        strings.format.punctuation.aside(&f.period)
                    ),
                    path: format!("companies/{}/#{}", c.slug, revision_anchor(&f.id, i)),
                    previous: Some(format_amount(r.previous, f.unit, strings)),
                    current: Some(format_amount(after, f.unit, strings)),
                    text: r.note.clone(),
                });
            }
        }
    }
    let notes = sections
        .iter()
        .map(|s| (&s.meta.title, format!("sections/{}/", s.slug), s.notes()))
        .chain(
            site.pages
                .iter()
                .map(|p| (&p.meta.title, format!("{}/", p.slug), p.meta.notes.clone())),
        );
    for (title, path, notes) in notes {
        for (i, n) in notes.iter().enumerate() {
            all.push(Entry {
                stamp: Stamp::new(n.date, n.kind, strings),
                title: title.clone(),
                path: format!("{path}#{}", note_anchor(i)),
                previous: None,
                current: None,
                text: n.text.clone(),
            });
        }
    }
    // Stable: equal dates keep the site's order.
    all.sort_by(|a, b| b.stamp.date_iso.cmp(&a.stamp.date_iso));
    all
}

/// The feed entry of a correction (更正): one for each, at the note it links to.
pub fn feed_entry(e: &Entry, base_url: &str, p: &Punctuation) -> FeedEntry {
    FeedEntry {
        title: format!("{}{}{}", e.stamp.label, p.colon, e.title),
        summary: match (&e.previous, &e.current) {
            (Some(before), Some(after)) => format!("{before} → {after}{}{}", p.stop, e.text),
            _ => e.text.clone(),
        },
        url: format!("{base_url}{}", e.path),
        published: e.stamp.date_iso.clone(),
        updated: e.stamp.date_iso.clone(),
    }
}
