//! Charts: what a chart shows, resolved from facts, and its drawing as SVG.
//!
//! - [`spec`]: chart files as editors write them, and the rules they must follow;
//! - [`kinds`]: one module per chart kind (bars, dots, multiples): what it draws for a row;
//! - [`scale`]: value axes and round ticks; [`text`]: text widths and Chinese line breaking;
//! - [`marks`]: the one visual form of each qualifier, and the key that explains them;
//! - [`layout`]: where everything goes; [`plot`]: drawing it with plotters;
//! - [`theme`]: colours and the style sheet; [`document`]: the SVG document around plotters'
//!   drawing, with titles and per-mark detail; [`compact`]: that drawing written smaller.

pub mod compact;
pub mod document;
pub mod kinds;
pub mod layout;
pub mod marks;
pub mod pen;
pub mod plot;
pub mod scale;
pub mod spec;
pub mod store;
pub mod text;
pub mod theme;

#[cfg(test)]
mod tests;

use std::hash::{Hash, Hasher};

use crate::computed::{Derived, Measure};
use crate::facts::Amount;

pub use kinds::Kind;

/// How values map to positions.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Linear from zero: the only scale bars are drawn on.
    #[default]
    Linear,
    /// Logarithmic: each step ten times the one before. Position marks only.
    Log,
}

/// A chart ready to draw: every value resolved from a fact and formatted.
///
/// Its drawing depends on nothing else but the strings, so an equal chart need not be drawn again.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Chart {
    /// File name stem (`funding-vs-revenue` → `charts/funding-vs-revenue.svg`).
    pub id: String,
    /// Headline shown above the chart and as its SVG `<title>`.
    pub title: String,
    /// What the chart shows, in a sentence or two: its SVG `<desc>` and what screen readers hear.
    pub description: String,
    /// What kind of chart it is.
    pub kind: Kind,
    /// Series names, in drawing order; each row has one cell per series.
    pub series: Vec<String>,
    /// One row per company or period.
    pub rows: Vec<Row>,
    /// What every value counts: an amount in one unit, or multiples.
    pub measure: Measure,
    /// How values are placed.
    pub scale: Scale,
    /// "来源：…" line drawn at the bottom of the standalone chart.
    pub source_line: String,
    /// The file it is defined in (a chart file, or the company file of a company chart), for
    /// error messages.
    pub file: std::path::PathBuf,
}

/// One row of marks.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Row {
    /// The row's label (a company name, a metric).
    pub label: String,
    /// A second, quieter line under the label (a period), if any.
    pub note: Option<String>,
    /// One cell per series; `None` where the series does not apply to this row.
    pub cells: Vec<Option<Cell>>,
    /// How many times the first cell is the second, where the chart shows it.
    pub multiple: Option<Cell>,
}

/// One value of a chart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cell {
    /// The value, with its qualifier.
    pub value: Value,
    /// The value as the site prints it (`约16亿美元`), drawn as the mark's label.
    pub text: String,
    /// Everything about the value a reader may ask for: figure, period, source.
    pub detail: String,
    /// The facts it comes from (`openai/revenue_2023`; two for a computed value).
    pub facts: Vec<String>,
}

/// A value as charts draw it: a number (or bounds) and its qualifier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// Stated exactly.
    Exact(f64),
    /// About.
    About(f64),
    /// Just under.
    Nearly(f64),
    /// More than.
    MoreThan(f64),
    /// At most.
    UpTo(f64),
    /// Between two values.
    Range(f64, f64),
    /// An order of magnitude: between this and ten times it.
    Several(f64),
    /// Next to nothing.
    Negligible,
    /// Not disclosed.
    Undisclosed,
    /// A computed value without a number (an input is negligible or undisclosed).
    NotComputed,
}

// Values are never NaN: they come from whole numbers and divisions by non-zero numbers.
impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, h: &mut H) {
        std::mem::discriminant(self).hash(h);
        let (a, b) = self.span().unwrap_or((0.0, 0.0));
        (a.to_bits(), b.to_bits()).hash(h);
    }
}

impl Value {
    /// The lowest and highest value the mark reaches; `None` when it has no position.
    pub fn span(self) -> Option<(f64, f64)> {
        match self {
            Value::Exact(v)
            | Value::About(v)
            | Value::Nearly(v)
            | Value::MoreThan(v)
            | Value::UpTo(v) => Some((v, v)),
            Value::Range(l, h) => Some((l, h)),
            Value::Several(v) => Some((v, v * 10.0)),
            Value::Negligible | Value::Undisclosed | Value::NotComputed => None,
        }
    }

    /// The qualifier's name, as facts use it.
    pub fn qualifier(self) -> &'static str {
        match self {
            Value::Exact(_) => "exact",
            Value::About(_) => "about",
            Value::Nearly(_) => "nearly",
            Value::MoreThan(_) => "more_than",
            Value::UpTo(_) => "up_to",
            Value::Range(..) => "range",
            Value::Several(_) => "several",
            Value::Negligible => "negligible",
            Value::Undisclosed => "undisclosed",
            Value::NotComputed => "none",
        }
    }
}

impl From<Amount> for Value {
    fn from(a: Amount) -> Value {
        let f = |v: u64| v as f64;
        match a {
            Amount::Exact { value } => Value::Exact(f(value)),
            Amount::About { value } => Value::About(f(value)),
            Amount::Nearly { value } => Value::Nearly(f(value)),
            Amount::MoreThan { value } => Value::MoreThan(f(value)),
            Amount::UpTo { value } => Value::UpTo(f(value)),
            Amount::Range { low, high } => Value::Range(f(low), f(high)),
            Amount::Several { value } => Value::Several(f(value)),
            Amount::Negligible => Value::Negligible,
            Amount::Undisclosed => Value::Undisclosed,
        }
    }
}

impl From<Derived> for Value {
    fn from(d: Derived) -> Value {
        match d {
            Derived::Exact(v) => Value::Exact(v),
            Derived::About(v) => Value::About(v),
            Derived::Nearly(v) => Value::Nearly(v),
            Derived::MoreThan(v) => Value::MoreThan(v),
            Derived::UpTo(v) => Value::UpTo(v),
            Derived::Range { low, high, .. } => Value::Range(low, high),
            Derived::None(_) => Value::NotComputed,
        }
    }
}
