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
    pub format: Format,
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

/// An edition's writing of numbers and dates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Format {
    /// The number system.
    pub numbers: Numbers,
    /// A date: `{year}`, `{month}` (its name from `months`, else its number) and `{day}`.
    pub date: String,
    /// The months' names, January first; empty for numbers.
    pub months: Vec<String>,
    /// Counts written as words, from zero (`[zero, one, …, nine]`: `three people`); counts
    /// past the list's end, and all counts when it is empty, are written in figures.
    pub count_words: Vec<String>,
    /// The words for "several" of an order of magnitude (`1000000: millions of`); the Chinese
    /// 数百万 forms when empty.
    pub several: BTreeMap<u64, String>,
    /// The noun after those words, per unit (`usd: dollars`); the unit's word when absent.
    pub several_units: BTreeMap<String, String>,
    /// Punctuation the site writes between generated words.
    pub punctuation: Punctuation,
    /// The short scale's words, each written right after the number (` million`).
    pub scale: Scale,
    /// Shorter words for charts, whose labels share a row (`m`, `bn`: `$150m to $200m`); the
    /// prose's when absent.
    pub chart_scale: Option<Scale>,
}

/// The words of the short scale, written right after the number: ` billion` gives `13 billion`,
/// `bn` gives `13bn`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Scale {
    pub million: String,
    pub billion: String,
    pub trillion: String,
}

impl Default for Scale {
    fn default() -> Self {
        Scale {
            million: " million".into(),
            billion: " billion".into(),
            trillion: " trillion".into(),
        }
    }
}

impl Default for Format {
    fn default() -> Self {
        Format {
            numbers: Numbers::Myriad,
            date: "{year}年{month}月{day}日".into(),
            months: Vec::new(),
            count_words: Vec::new(),
            several: BTreeMap::new(),
            several_units: BTreeMap::new(),
            punctuation: Punctuation::default(),
            scale: Scale::default(),
            chart_scale: None,
        }
    }
}

/// A number system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Numbers {
    /// 万 (10⁴), 亿 (10⁸), 万亿 (10¹²): `6000万`, `1.5亿`.
    Myriad,
    /// Thousands separated by commas, then million, billion, trillion: `60 million`.
    ShortScale,
}

/// Punctuation between generated words: full-width in Chinese, with spaces in English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Punctuation {
    pub colon: String,
    pub comma: String,
    pub semicolon: String,
    /// Around an aside: `（…）`, ` (…)`.
    pub open: String,
    pub close: String,
    /// After a sentence.
    pub stop: String,
    /// Between the items of a short list (`、`).
    pub list: String,
    /// Between a company's name and a metric's (`OpenAI营收`, `OpenAI · Revenue`).
    pub name_metric: String,
}

impl Default for Punctuation {
    fn default() -> Self {
        Punctuation {
            colon: "：".into(),
            comma: "，".into(),
            semicolon: "；".into(),
            open: "（".into(),
            close: "）".into(),
            stop: "。".into(),
            list: "、".into(),
            name_metric: String::new(),
        }
    }
}

impl Punctuation {
    /// `text` as an aside: `（text）`, ` (text)`.
    pub fn aside(&self, text: &str) -> String {
        format!("{}{text}{}", self.open, self.close)
    }
}
