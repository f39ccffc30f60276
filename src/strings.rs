//! Interface words of one language, read from `templates/strings/<language>.yaml`.
//!
//! Templates and charts take every word they show from here, so that an edition in another
//! language needs a new strings file, not new templates.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::yaml;

/// The words of one language.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Strings {
    /// Navigation, headings and labels, used by templates as `t.<key>`.
    pub ui: BTreeMap<String, String>,
    /// How each qualifier wraps a formatted figure; `{}` stands for the figure, and `range`
    /// uses `{low}` and `{high}`.
    pub qualifiers: Qualifiers,
    /// The words after a number for each unit.
    pub units: Units,
    /// Display names of metrics, by key (`revenue: 营收`).
    pub metrics: BTreeMap<String, String>,
    /// How numbers, dates and punctuation are written; Chinese (万/亿, `2024年5月4日`,
    /// full-width punctuation) when absent.
    #[serde(default)]
    pub format: crate::format::Format,
    /// What the live preview (`serve`) says over the pages; English where the file says
    /// nothing.
    #[serde(default)]
    pub preview: Preview,
}

/// The words of the live preview's error box and notes. Never part of the published site.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Preview {
    /// The box's heading; `{n}` stands for the number of problems.
    pub build_failed: String,
    /// Said when the page under the box is the last good build.
    pub last_good: String,
    /// Said when there is no good build to show.
    pub no_good_build: String,
    /// What to do next.
    pub fix_and_save: String,
    /// The label of the button that closes the box.
    pub close: String,
    /// Shown when the server keeps no live-reload stream for the page.
    pub refused: String,
}

impl Default for Preview {
    fn default() -> Self {
        Preview {
            build_failed: "The build failed. Problems found: {n}".into(),
            last_good: "Below is the last good build.".into(),
            no_good_build: "There is no good build to show yet.".into(),
            fix_and_save: "Fix the file and save it; this page reloads by itself.".into(),
            close: "Close".into(),
            refused: "Too many preview tabs are open: this one no longer reloads by itself. \
                      Close some and reload it."
                .into(),
        }
    }
}

/// Wording of each qualifier.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Qualifiers {
    pub exact: String,
    pub about: String,
    pub nearly: String,
    pub more_than: String,
    pub up_to: String,
    pub several: String,
    pub range: String,
    pub negligible: String,
    pub undisclosed: String,
}

/// Unit words: written after a number (`美元`), or a template where `{}` stands for it
/// (`${}`, `{} companies`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Units {
    pub usd: String,
    pub usd_per_month: String,
    pub companies: String,
    pub people: String,
}

impl Strings {
    /// The display name of `metric`, or `None` when the strings file does not define it.
    pub fn metric(&self, metric: &str) -> Option<&str> {
        self.metrics.get(metric).map(String::as_str)
    }
}

/// Parses a strings file.
pub fn parse(path: &Path, src: &str) -> Result<Strings, Diagnostic> {
    yaml::from_str(path, src, 0)
}
