//! Charts: what a chart shows, resolved from facts, and its drawing as SVG.

pub mod spec;
pub mod svg;

use crate::facts::{Amount, Unit};

/// How values map to length.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Logarithmic: each grid step is ten times the one before. For values spanning decades.
    #[default]
    Log,
    /// Linear from zero.
    Linear,
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
    /// Series names, in drawing order; each row has one cell per series.
    pub series: Vec<String>,
    /// One group of bars per row (a company, a period).
    pub rows: Vec<Row>,
    /// The unit every value in the chart shares.
    pub unit: Unit,
    /// How values are encoded.
    pub scale: Scale,
    /// "来源：…" line drawn at the bottom of the chart.
    pub source_line: String,
}

/// One group of bars.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Row {
    /// The group's label (a company name, a period).
    pub label: String,
    /// One cell per series; `None` where the series does not apply to this row.
    pub cells: Vec<Option<Cell>>,
}

/// One value of a chart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cell {
    /// The value, with its qualifier.
    pub amount: Amount,
    /// The value as the site prints it (`约16亿美元`), drawn as the bar's label.
    pub text: String,
    /// The fact it comes from (`openai/revenue_2023`).
    pub fact: String,
}
