//! Chart definitions written by editors in `content/charts/<id>.yaml`: which facts to compare.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Kind, Scale};
use crate::diagnostic::{Diagnostic, locate_item, locate_key};
use crate::localized;
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
    #[serde(deserialize_with = "localized::text")]
    pub title: String,
    /// What it shows and its main takeaway, for screen readers.
    #[serde(deserialize_with = "localized::text")]
    pub description: String,
    /// `bars` (default), `dots` or `multiples`: see [`Kind`].
    #[serde(default)]
    pub kind: Kind,
    /// `linear` (default) or `log`; bars and multiples only on `linear`.
    #[serde(default)]
    pub scale: Scale,
    /// Series names, one per column of each row's `facts` (for multiples, one per pair).
    #[serde(deserialize_with = "localized::texts")]
    pub series: Vec<String>,
    /// For dots with two series: print how many times the first value is the second at the
    /// end of each row.
    #[serde(default)]
    pub multiple: bool,
    /// Rows of marks.
    pub rows: Vec<RowDef>,
}

impl ChartDef {
    /// How many fact references each row lists.
    pub fn facts_per_row(&self) -> usize {
        match self.kind.rules().combines() {
            Some(_) => 2 * self.series.len(),
            None => self.series.len(),
        }
    }
}

/// One row: a label and one fact reference (or `~`) per series; for multiples, a numerator and
/// a denominator per series.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowDef {
    /// The row's label.
    #[serde(deserialize_with = "localized::text")]
    pub label: String,
    /// `<company>/<fact id>` per series; `~` where the series does not apply.
    pub facts: Vec<Option<String>>,
}

/// Parses a chart file; `id` is its file stem. Its texts missing in the edition being read are
/// errors, every one at its key; then a kind on a scale it cannot be drawn on (bars on a log
/// scale, whose length would mean nothing) is an error at the `scale:` line.
pub fn parse(path: &Path, id: &str, src: &str) -> Result<ChartSpec, Vec<Diagnostic>> {
    let def: ChartDef = yaml::from_str(path, src, 0).map_err(|d| vec![d])?;
    let missing = missing_texts(path, src, &def);
    if !missing.is_empty() {
        return Err(missing);
    }
    settings(path, src, &def).map_err(|d| vec![d])?;
    Ok(ChartSpec {
        id: id.to_string(),
        path: path.to_path_buf(),
        def,
    })
}

/// Every text of the chart missing in the edition being read (see [`localized`]), at its key.
fn missing_texts(path: &Path, src: &str, def: &ChartDef) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (name, value) in [("title", &def.title), ("description", &def.description)] {
        let at = || locate_key(src, &[name]);
        localized::check(path, name, value, at, &mut problems);
    }
    for (i, series) in def.series.iter().enumerate() {
        let at = || locate_key(src, &["series"]);
        localized::check(path, &format!("series[{i}]"), series, at, &mut problems);
    }
    for (i, row) in def.rows.iter().enumerate() {
        let name = format!("rows[{i}].label");
        let at = || locate_item(src, &["rows"], i, "label");
        localized::check(path, &name, &row.label, at, &mut problems);
    }
    problems
}

/// Checks the settings that only make sense together: a kind on a scale it can be drawn on,
/// the multiples column with two series of dots.
fn settings(path: &Path, src: &str, def: &ChartDef) -> Result<(), Diagnostic> {
    if !def.kind.rules().allows(def.scale) {
        let (line, column) = locate_key(src, &["scale"]);
        return Err(Diagnostic::at(
            path,
            line,
            column,
            format!(
                "scale: log cannot draw kind: {}, whose bars start at zero and must be measured on a linear scale; use kind: dots (position marks) for a log scale, or scale: linear",
                def.kind.key()
            ),
        ));
    }
    if def.multiple && (def.kind != Kind::Dots || def.series.len() != 2) {
        let (line, column) = locate_key(src, &["multiple"]);
        return Err(Diagnostic::at(
            path,
            line,
            column,
            "multiple: true needs kind: dots and two series (the first is divided by the second)",
        ));
    }
    Ok(())
}
