//! Charts resolved from facts: the editors' chart files and one chart per company.

use serde::Serialize;

use crate::chart::spec::ChartSpec;
use crate::chart::{Cell, Chart, Row, Scale, svg};
use crate::facts::{Company, Fact, Unit};
use crate::load::Site;
use crate::money::format_amount;

/// A chart as a page shows it: an image, its caption, a data table and a data download.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Figure {
    /// Chart id, used for element ids and file names.
    pub id: String,
    /// Caption headline.
    pub title: String,
    /// What it shows, for screen readers and the caption.
    pub description: String,
    /// `来源：…` line.
    pub source_line: String,
    /// Site path of the SVG (`charts/<id>.svg`).
    pub svg: String,
    /// Site path of the CSV download (`charts/<id>.csv`).
    pub csv: String,
    /// Intrinsic width of the SVG, from its viewBox.
    pub width: u32,
    /// Intrinsic height of the SVG, from its viewBox.
    pub height: u32,
    /// Site path of the narrow drawing for phones (`charts/<id>-narrow.svg`).
    pub svg_narrow: String,
    /// Intrinsic width of the narrow drawing.
    pub narrow_width: u32,
    /// Intrinsic height of the narrow drawing.
    pub narrow_height: u32,
    /// Column headings of the data table (the series).
    pub series: Vec<String>,
    /// Data table rows: label and one formatted value per series ("—" where none).
    pub rows: Vec<TableRow>,
}

/// One row of a figure's data table.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct TableRow {
    /// Row label.
    pub label: String,
    /// Formatted values, one per series.
    pub cells: Vec<String>,
}

/// A drawn chart with everything published about it.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// What the page shows.
    pub figure: Figure,
    /// The SVG document, wide layout.
    pub svg: String,
    /// The SVG document, narrow layout for phones.
    pub svg_narrow: String,
    /// The CSV data download.
    pub csv: String,
}

/// Resolves an editor's chart file against the facts. Validation has already checked every
/// reference, so unknown ones are skipped.
pub fn from_spec(spec: &ChartSpec, site: &Site) -> Chart {
    let def = &spec.def;
    let mut unit = Unit::Usd;
    let rows = def
        .rows
        .iter()
        .map(|row| Row {
            label: row.label.clone(),
            cells: row
                .facts
                .iter()
                .map(|target| {
                    let target = target.as_deref()?;
                    let (_, fact) = site.fact(target)?;
                    unit = fact.unit;
                    Some(cell(fact, target.to_string(), site))
                })
                .collect(),
        })
        .collect::<Vec<_>>();
    let refs = def
        .rows
        .iter()
        .flat_map(|r| r.facts.iter().flatten().map(String::as_str));
    Chart {
        id: spec.id.clone(),
        title: def.title.clone(),
        description: def.description.clone(),
        series: def.series.clone(),
        rows,
        unit,
        scale: def.scale,
        source_line: source_line(site, refs),
    }
}

/// The chart of a company's dollar figures, one bar each; `None` when it has fewer than two.
pub fn for_company(company: &Company, site: &Site) -> Option<Chart> {
    let money: Vec<_> = company
        .facts
        .iter()
        .filter(|f| f.unit == Unit::Usd)
        .collect();
    if money.len() < 2 {
        return None;
    }
    let s = &site.strings;
    let name = &company.name.zh;
    let rows: Vec<Row> = money
        .iter()
        .map(|f| Row {
            label: format!(
                "{}（{}）",
                s.metric(&f.metric).unwrap_or(&f.metric),
                f.period
            ),
            cells: vec![Some(cell(f, format!("{}/{}", company.slug, f.id), site))],
        })
        .collect();
    let cells = || rows.iter().filter_map(|r| r.cells[0].as_ref());
    let listing: Vec<String> = rows
        .iter()
        .zip(cells())
        .map(|(r, c)| format!("{}{}", r.label, c.text))
        .collect();
    let source_line = source_line(site, cells().map(|c| c.fact.as_str()));
    Some(Chart {
        id: format!("company-{}", company.slug),
        title: format!(
            "{name}{}",
            s.ui.get("company_chart_title").map_or("", String::as_str)
        ),
        description: format!("{name}：{}。", listing.join("；")),
        series: vec![s.ui.get("amount").cloned().unwrap_or_default()],
        rows,
        unit: Unit::Usd,
        scale: Scale::Log,
        source_line,
    })
}

/// One drawn value: `fact`, referenced as `target`, formatted with its qualifier.
fn cell(fact: &Fact, target: String, site: &Site) -> Cell {
    Cell {
        amount: fact.amount,
        text: format_amount(fact.amount, fact.unit, &site.strings),
        fact: target,
    }
}

/// `来源：` followed by each distinct source of the referenced facts, in order of first use.
/// Where each was reported is on the facts tables; the chart names who said it.
fn source_line<'a>(site: &Site, refs: impl Iterator<Item = &'a str>) -> String {
    let mut who: Vec<String> = Vec::new();
    for target in refs {
        if let Some((_, fact)) = site.fact(target)
            && !who.contains(&fact.source.who)
        {
            who.push(fact.source.who.clone());
        }
    }
    let label = site.strings.ui.get("source").map_or("", String::as_str);
    format!("{label}：{}", who.join("；"))
}

/// Draws `chart` and builds its figure, table and CSV.
pub fn draw(chart: &Chart, site: &Site) -> Drawn {
    let svg = svg::render(chart, &site.strings, svg::Width::Wide);
    let svg_narrow = svg::render(chart, &site.strings, svg::Width::Narrow);
    let (width, height) = view_box_size(&svg);
    let (narrow_width, narrow_height) = view_box_size(&svg_narrow);
    let rows = chart
        .rows
        .iter()
        .map(|r| TableRow {
            label: r.label.clone(),
            cells: r
                .cells
                .iter()
                .map(|c| {
                    c.as_ref()
                        .map_or_else(|| "—".to_string(), |c| c.text.clone())
                })
                .collect(),
        })
        .collect();
    let figure = Figure {
        id: chart.id.clone(),
        title: chart.title.clone(),
        description: chart.description.clone(),
        source_line: chart.source_line.clone(),
        svg: format!("charts/{}.svg", chart.id),
        csv: format!("charts/{}.csv", chart.id),
        width,
        height,
        svg_narrow: format!("charts/{}-narrow.svg", chart.id),
        narrow_width,
        narrow_height,
        series: chart.series.clone(),
        rows,
    };
    Drawn {
        figure,
        svg,
        svg_narrow,
        csv: csv(chart, site),
    }
}

fn view_box_size(svg: &str) -> (u32, u32) {
    let parse = || -> Option<(u32, u32)> {
        let start = svg.find("viewBox=\"")? + 9;
        let end = start + svg[start..].find('"')?;
        let nums: Vec<f64> = svg[start..end]
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        Some((nums.get(2)?.round() as u32, nums.get(3)?.round() as u32))
    };
    parse().unwrap_or((720, 400))
}

/// The chart's data, one record per drawn value, with its source.
fn csv(chart: &Chart, site: &Site) -> String {
    let mut out = String::from("row,series,text,qualifier,value,low,high,unit,fact,source\n");
    for row in &chart.rows {
        for (series, cell) in chart.series.iter().zip(&row.cells) {
            let Some(cell) = cell else { continue };
            let Some((_, fact)) = site.fact(&cell.fact) else {
                continue;
            };
            let (low, high) = match cell.amount {
                crate::facts::Amount::Range { low, high } => (low.to_string(), high.to_string()),
                _ => (String::new(), String::new()),
            };
            let fields = [
                row.label.clone(),
                series.clone(),
                cell.text.clone(),
                cell.amount.qualifier().to_string(),
                cell.amount.value().map_or(String::new(), |v| v.to_string()),
                low,
                high,
                chart.unit.key().to_string(),
                cell.fact.clone(),
                fact.source.who.clone(),
            ];
            crate::export::push_csv_record(&mut out, &fields);
        }
    }
    out
}
