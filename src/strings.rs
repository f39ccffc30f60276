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

/// Unit words written after a number.
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
