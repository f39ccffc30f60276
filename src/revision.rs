//! Revisions: the dated history of a fact (what its value was before) and the dated notes of a
//! section or page, their kinds (更正, 更新) and the checks that need the whole site.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::diagnostic::{Diagnostic, locate_item};
use crate::facts::{Amount, Source};
use crate::load::Site;
use crate::sources::Sources;

/// Why a figure or a text was revised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 更正: what was published was wrong.
    #[serde(alias = "更正")]
    Correction,
    /// 更新: newer information replaced what was right when published.
    #[serde(alias = "更新")]
    Update,
}

impl Kind {
    /// The kind's key as written in YAML and looked up in the strings file.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Correction => "correction",
            Kind::Update => "update",
        }
    }
}

/// One entry of a fact's `history:`: what the fact said before `date`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Revision {
    /// When the value was revised.
    pub date: Date,
    /// 更正 or 更新.
    pub kind: Kind,
    /// The value published before the revision, with its qualifier.
    pub previous: Amount,
    /// The source before the revision, when it changed with the value.
    pub previous_source: Option<Source>,
    /// What changed and why, in a sentence.
    pub note: String,
}

/// A dated note of a section or page (`notes:` in its front matter).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// When the text was revised.
    pub date: Date,
    /// 更正 or 更新.
    pub kind: Kind,
    /// What changed, shown to readers.
    pub text: String,
}

/// Dates after the site's `updated` and dates out of order, in a fact's history or a file's
/// notes, each at its `date:`.
pub fn check(site: &Site, sources: &Sources) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let updated = site.config.updated;
    for c in &site.companies {
        for f in &c.facts {
            let dates: Vec<Date> = f.history.iter().map(|r| r.date).collect();
            let keys = ["facts", f.id.as_str(), "history"];
            check_dates(sources, &c.path, &keys, &dates, updated, &mut problems);
        }
    }
    let sections = site.sections.iter().map(|s| (&s.path, &s.meta.notes));
    let pages = site.pages.iter().map(|p| (&p.path, &p.meta.notes));
    for (path, notes) in sections.chain(pages) {
        let dates: Vec<Date> = notes.iter().map(|n| n.date).collect();
        check_dates(sources, path, &["notes"], &dates, updated, &mut problems);
    }
    problems
}

fn check_dates(
    sources: &Sources,
    path: &Path,
    keys: &[&str],
    dates: &[Date],
    updated: Date,
    problems: &mut Vec<Diagnostic>,
) {
    let src = || sources.text(path);
    // `revenue.history`, as serde names the field; `notes`.
    let what = keys[keys.len().saturating_sub(2)..]
        .join(".")
        .trim_start_matches("facts.")
        .to_string();
    for (i, &date) in dates.iter().enumerate() {
        let message = if date > updated {
            format!(
                "{what}: the revision date {date} is after the site's updated date ({updated}); \
                 write the day of the revision and set updated: in content/site.yaml to it or later"
            )
        } else if i > 0 && date < dates[i - 1] {
            format!(
                "{what}: the revision dated {date} comes after one dated {}; list revisions \
                 oldest first",
                dates[i - 1]
            )
        } else {
            continue;
        };
        let (line, column) = locate_item(src(), keys, i, "date");
        problems.push(Diagnostic::at(path, line, column, message));
    }
}
