//! Chart definitions written by editors in `content/charts/<id>.yaml`: which facts to compare.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Scale;
use crate::diagnostic::Diagnostic;
use crate::yaml;

/// A chart as an editor defines it, before its fact references are resolved.
#[derive(Debug, Clone)]
pub struct ChartSpec {
    /// File stem; the chart is published as `charts/<id>.svg`.
    pub id: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// Its fields.
    pub def: ChartDef,
}

/// The fields of a chart file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartDef {
    /// Headline.
    pub title: String,
    /// What it shows and its main takeaway, for screen readers.
    pub description: String,
    /// `log` (default) or `linear`.
    #[serde(default)]
    pub scale: Scale,
    /// Series names, one per column of each row's `facts`.
    pub series: Vec<String>,
    /// Groups of bars.
    pub rows: Vec<RowDef>,
}

/// One group of bars: a label and one fact reference (or `~`) per series.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowDef {
    /// The group's label.
    pub label: String,
    /// `<company>/<fact id>` per series; `~` where the series does not apply.
    pub facts: Vec<Option<String>>,
}

/// Parses a chart file; `id` is its file stem.
pub fn parse(path: &Path, id: &str, src: &str) -> Result<ChartSpec, Diagnostic> {
    let def: ChartDef = yaml::from_str(path, src, 0)?;
    Ok(ChartSpec {
        id: id.to_string(),
        path: path.to_path_buf(),
        def,
    })
}
