//! Charts resolved from facts: the editors' chart files and one chart per company.

use std::ops::Range;

use serde::Serialize;

use crate::chart::document::{self, Variant};
use crate::chart::layout::Width;
use crate::chart::spec::ChartSpec;
use crate::chart::{Cell, Chart, Kind, Row, Scale};
use crate::computed::{self, Expr, Measure, Op};
use crate::diagnostic::Diagnostic;
use crate::facts::{Company, Fact, Unit};
use crate::format;
use crate::money::format_amount;
use crate::site::Site;
use crate::strings::Strings;

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
    /// Site path of the CSV download (`data/charts/<id>.csv`).
    pub csv: String,
    /// The HTML to copy to embed the chart elsewhere, an iframe of its embed page
    /// ([`embed_code`]), escaped as text (`&`, `<`, `>`: quotes need no escape there) for a
    /// `<code>` element; filled in by the render, which knows the site's address.
    pub embed_code: String,
    /// The wide drawing for the page itself: no source line (the page prints it), values
    /// focusable with their detail.
    pub inline: String,
    /// The narrow drawing for the page.
    pub inline_narrow: String,
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
    /// The SVG document (`charts/<id>.svg`), wide layout: the file to download or reuse; pages
    /// inline both layouts.
    pub svg: String,
    /// The CSV data download.
    pub csv: String,
}

/// The iframe that embeds chart `id` of the site at `base_url`: as wide as its container, as
/// high as the taller of its drawings shown at phone width (`320 px`) or at most its wide width
/// (`720 px`), plus room for the title and source line. No script is needed or used.
pub fn embed_code(
    base_url: &str,
    id: &str,
    title: &str,
    inline: &str,
    inline_narrow: &str,
) -> String {
    let height = |svg: &str, shown: f64| -> f64 {
        let view_box = svg
            .split("viewBox=\"")
            .nth(1)
            .and_then(|r| r.split('"').next());
        let numbers: Vec<f64> = view_box
            .map(|v| v.split(' ').filter_map(|n| n.parse().ok()).collect())
            .unwrap_or_default();
        match numbers.as_slice() {
            [_, _, w, h] if *w > 0.0 => h * shown.min(*w) / w,
            _ => 0.0,
        }
    };
    let drawing = height(inline, 720.0).max(height(inline_narrow, 320.0));
    let room = 200.0;
    format!(
        "<iframe src=\"{}embed/{}/\" title=\"{}\" width=\"100%\" height=\"{}\" \
         style=\"border:0\" loading=\"lazy\"></iframe>",
        crate::html::escape(base_url),
        crate::html::escape(id),
        crate::html::escape(title),
        (drawing + room).ceil()
    )
}

/// What a chart reference renders to in a section's HTML, until the page puts the chart there.
pub fn placeholder(id: &str) -> String {
    format!("<span data-chart=\"{}\"></span>", crate::html::escape(id))
}

/// Splits a section's HTML at its chart references (each a paragraph of its own): the range of
/// the HTML before each chart with the chart's id, then the range of the rest with none.
pub fn split_at_charts(html: &str) -> Vec<(Range<usize>, Option<&str>)> {
    const OPEN: &str = "<p><span data-chart=\"";
    const CLOSE: &str = "\"></span></p>";
    let mut out = Vec::new();
    let mut start = 0;
    while let Some(i) = html[start..].find(OPEN) {
        let id_start = start + i + OPEN.len();
        let Some(end) = html[id_start..].find(CLOSE) else {
            break;
        };
        out.push((start..start + i, Some(&html[id_start..id_start + end])));
        start = id_start + end + CLOSE.len();
    }
    out.push((start..html.len(), None));
    out
}

/// Resolves an editor's chart file against the facts. Validation has already checked every
/// reference, so unknown ones are skipped.
pub fn from_spec(spec: &ChartSpec, site: &Site) -> Chart {
    let def = &spec.def;
    let rules = def.kind.rules();
    let mut unit = Unit::Usd;
    for target in def.rows.iter().flat_map(|r| r.facts.iter().flatten()) {
        if let Some((_, f)) = site.fact(target) {
            unit = f.unit;
        }
    }
    let rows = def
        .rows
        .iter()
        .map(|row| {
            let refs: Vec<Option<&str>> = row.facts.iter().map(|t| t.as_deref()).collect();
            let cells = match rules.combines() {
                Some(op) => refs
                    .chunks(2)
                    .zip(&def.series)
                    .map(|(pair, series)| {
                        let (a, b) = (pair.first().copied()??, pair.get(1).copied()??);
                        computed_cell(op, a, b, &row.label, series, site)
                    })
                    .collect(),
                None => refs
                    .iter()
                    .zip(&def.series)
                    .map(|(t, series)| fact_cell(t.as_ref()?, &row.label, series, site))
                    .collect(),
            };
            let multiple = match (def.multiple, refs.first(), refs.get(1)) {
                (true, Some(Some(a)), Some(Some(b))) => {
                    let name = format!("{}÷{}", def.series[0], def.series[1]);
                    computed_cell(Op::Ratio, a, b, &row.label, &name, site)
                }
                _ => None,
            };
            Row {
                label: row.label.clone(),
                note: None,
                cells,
                multiple,
            }
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
        kind: def.kind,
        series: def.series.clone(),
        rows,
        measure: match rules.combines() {
            Some(Op::Ratio) => Measure::Times,
            _ => Measure::Amount(unit),
        },
        scale: def.scale,
        source_line: source_line(site, refs),
        file: spec.path.clone(),
    }
}

/// The chart of a company's dollar figures, one row each; `None` when it has fewer than two.
///
/// Figures within twenty times each other are bars from zero; figures further apart are dots
/// on a log scale, where bars would be slivers.
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
    let p = &s.format.punctuation;
    let name = &company.name.zh;
    let rows: Vec<Row> = money
        .iter()
        .map(|f| {
            let metric = s.metric(&f.metric).unwrap_or(&f.metric);
            let target = format!("{}/{}", company.slug, f.id);
            Row {
                label: metric.to_string(),
                note: Some(f.period.clone()),
                cells: vec![fact_cell(&target, metric, "", site)],
                multiple: None,
            }
        })
        .collect();
    let (mut min, mut max) = (f64::INFINITY, 0.0_f64);
    for cell in rows.iter().flat_map(|r| r.cells.iter().flatten()) {
        if let Some((lo, hi)) = cell.value.span() {
            min = min.min(lo);
            max = max.max(hi);
        }
    }
    let (kind, scale) = if max > 0.0 && max / min > 20.0 {
        (Kind::Dots, Scale::Log)
    } else {
        (Kind::Bars, Scale::Linear)
    };
    let listing: Vec<String> = rows
        .iter()
        .zip(&money)
        .filter_map(|(r, f)| {
            Some(format!(
                "{}{}{}{}{}",
                r.label,
                p.comma,
                f.period,
                p.colon,
                r.cells[0]
                    .as_ref()
                    .map(|_| format_amount(f.amount, f.unit, s))?
            ))
        })
        .collect();
    let source_line = source_line(
        site,
        rows.iter()
            .flat_map(|r| r.cells.iter().flatten())
            .flat_map(|c| c.facts.iter().map(String::as_str)),
    );
    Some(Chart {
        id: format!("company-{}", company.slug),
        title: format!(
            "{name}{}",
            s.ui.get("company_chart_title").map_or("", String::as_str)
        ),
        description: format!("{name}{}{}{}", p.colon, listing.join(&p.semicolon), p.stop)
            .trim_end()
            .to_string(),
        kind,
        series: vec![s.ui.get("amount").cloned().unwrap_or_default()],
        rows,
        measure: Measure::Amount(Unit::Usd),
        scale,
        source_line,
        file: company.path.clone(),
    })
}

/// The value of fact `target`, formatted with its qualifier, with its detail for readers.
fn fact_cell(target: &str, row: &str, series: &str, site: &Site) -> Option<Cell> {
    let (_, fact) = site.fact(target)?;
    // Drawn with the chart's words; the detail says it in full.
    let text = format_amount(fact.amount, fact.unit, &format::for_charts(&site.strings));
    let full = format_amount(fact.amount, fact.unit, &site.strings);
    Some(Cell {
        value: fact.amount.into(),
        detail: detail(row, series, &full, &[fact], site),
        text,
        facts: vec![target.to_string()],
    })
}

/// `a op b`, computed with the qualifier algebra, with the rule in its detail.
fn computed_cell(op: Op, a: &str, b: &str, row: &str, series: &str, site: &Site) -> Option<Cell> {
    let expr = Expr {
        op,
        left: a.to_string(),
        right: b.to_string(),
    };
    let c = computed::resolve(site, &expr).ok()?;
    let facts: Vec<&Fact> = [a, b]
        .iter()
        .filter_map(|t| site.fact(t).map(|(_, f)| f))
        .collect();
    let by = site
        .strings
        .ui
        .get("computed_by")
        .map_or("", String::as_str);
    let p = &site.strings.format.punctuation;
    let text = format!(
        "{}{}",
        c.text,
        p.aside(&format!("{by}{}{}", p.colon, c.rule))
    );
    Some(Cell {
        value: c.value.into(),
        detail: detail(row, series, &text, &facts, site),
        text: c.text,
        facts: vec![a.to_string(), b.to_string()],
    })
}

/// `OpenAI · 营收：约16亿美元；时期：2023年；来源：知情人士（…，2024年5月4日）`.
fn detail(row: &str, series: &str, text: &str, facts: &[&Fact], site: &Site) -> String {
    let ui = |k: &str| {
        site.strings
            .ui
            .get(k)
            .map_or("", String::as_str)
            .to_string()
    };
    let head = if series.is_empty() {
        row.to_string()
    } else {
        format!("{row} · {series}")
    };
    let p = &site.strings.format.punctuation;
    let periods: Vec<&str> = facts.iter().map(|f| f.period.as_str()).collect();
    let sources: Vec<String> = facts
        .iter()
        .map(|f| match &f.source.via {
            Some(via) => format!("{}{}", f.source.who, p.aside(via)),
            None => f.source.who.clone(),
        })
        .collect();
    let mut sources_dedup: Vec<String> = Vec::new();
    for s in sources {
        if !sources_dedup.contains(&s) {
            sources_dedup.push(s);
        }
    }
    let (colon, semicolon) = (&p.colon, &p.semicolon);
    format!(
        "{head}{colon}{text}{semicolon}{}{colon}{}{semicolon}{}{colon}{}",
        ui("period"),
        periods.join(" / "),
        ui("source"),
        sources_dedup.join(semicolon)
    )
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
    let p = &site.strings.format.punctuation;
    format!("{label}{}{}", p.colon, who.join(&p.semicolon))
}

/// Draws `chart` and builds its figure, table and CSV; a drawing error names the chart's file.
pub fn draw(chart: &Chart, site: &Site) -> Result<Drawn, Diagnostic> {
    // The standalone drawing beside the page's two: an edit's page waits for its charts on an
    // otherwise idle core.
    let strings = format::for_charts(&site.strings);
    let (files, figure) = rayon::join(
        || own_files(chart, site, &strings),
        || drawn_figure(chart, &strings),
    );
    let figure = figure?;
    let [svg, csv] = files?;
    Ok(Drawn { figure, svg, csv })
}

/// `chart`'s own files, its standalone SVG and its CSV, drawn with `strings`.
fn own_files(chart: &Chart, site: &Site, strings: &Strings) -> Result<[String; 2], Diagnostic> {
    let svg = render(chart, strings, Width::Wide, Variant::Standalone)?;
    Ok([svg, csv(chart, site)])
}

/// Draws `chart` as pages show it, with its table, without its own files (what [`draw`] adds).
pub fn figure(chart: &Chart, site: &Site) -> Result<Figure, Diagnostic> {
    drawn_figure(chart, &format::for_charts(&site.strings))
}

/// [`figure`], with the strings charts are drawn with.
fn drawn_figure(chart: &Chart, strings: &Strings) -> Result<Figure, Diagnostic> {
    let (inline, inline_narrow) = rayon::join(
        || render(chart, strings, Width::Wide, Variant::Inline),
        || render(chart, strings, Width::Narrow, Variant::Inline),
    );
    Ok(assemble(chart, inline?, inline_narrow?))
}

/// The figure of `chart` as pages show it, around its two drawings, `inline` (wide) and
/// `inline_narrow`, drawn now or kept by an earlier build ([`crate::chart::store`]).
pub fn assemble(chart: &Chart, inline: String, inline_narrow: String) -> Figure {
    // The multiples column, where the chart has one: every row has a cell in it.
    let multiples = chart.rows.iter().any(|r| r.multiple.is_some());
    let text = |c: Option<&Cell>| c.map_or_else(|| "—".to_string(), |c| c.text.clone());
    let rows = chart
        .rows
        .iter()
        .map(|r| TableRow {
            label: match &r.note {
                Some(note) => format!("{} · {note}", r.label),
                None => r.label.clone(),
            },
            cells: r
                .cells
                .iter()
                .map(Option::as_ref)
                .chain(multiples.then_some(r.multiple.as_ref()))
                .map(text)
                .collect(),
        })
        .collect();
    let mut series = chart.series.clone();
    if let (true, [a, b, ..]) = (multiples, chart.series.as_slice()) {
        series.push(format!("{a}÷{b}"));
    }
    Figure {
        id: chart.id.clone(),
        title: chart.title.clone(),
        description: chart.description.clone(),
        source_line: chart.source_line.clone(),
        svg: format!("charts/{}.svg", chart.id),
        csv: format!("data/charts/{}.csv", chart.id),
        embed_code: String::new(),
        inline,
        inline_narrow,
        series,
        rows,
    }
}

/// One drawing of `chart`; an error names the chart's file.
fn render(
    chart: &Chart,
    strings: &Strings,
    width: Width,
    variant: Variant,
) -> Result<String, Diagnostic> {
    document::render(chart, strings, width, variant)
        .map_err(|e| Diagnostic::at(&chart.file, 1, 1, format!("chart {}: {e}", chart.id)))
}

/// The chart's data, one record per drawn value, with the facts it comes from and their sources:
/// its CSV file.
pub fn csv(chart: &Chart, site: &Site) -> String {
    let mut out =
        crate::export::csv_start("row,series,text,qualifier,value,low,high,unit,facts,source");
    let multiple = chart
        .series
        .get(1)
        .map(|b| format!("{}÷{b}", chart.series[0]));
    for row in &chart.rows {
        let cells = chart
            .series
            .iter()
            .zip(&row.cells)
            .filter_map(|(s, c)| Some((s.clone(), c.as_ref()?)))
            .chain(
                row.multiple
                    .iter()
                    .map(|c| (multiple.clone().unwrap_or_default(), c)),
            );
        for (series, cell) in cells {
            let (low, high) = cell.value.span().unwrap_or((f64::NAN, f64::NAN));
            let num = |v: f64| {
                if v.is_nan() {
                    String::new()
                } else {
                    format!("{v}")
                }
            };
            let (value, low, high) = if low == high {
                (num(low), String::new(), String::new())
            } else {
                (String::new(), num(low), num(high))
            };
            let who: Vec<String> = cell
                .facts
                .iter()
                .filter_map(|t| site.fact(t).map(|(_, f)| f.source.who.clone()))
                .collect();
            let unit = match chart.measure {
                Measure::Times => "times",
                Measure::Amount(u) => u.key(),
            };
            let fields = [
                row.label.clone(),
                series,
                cell.text.clone(),
                cell.value.qualifier().to_string(),
                value,
                low,
                high,
                unit.to_string(),
                cell.facts.join(" / "),
                who.join("；"),
            ];
            crate::export::push_csv_record(&mut out, &fields);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::embed_code;
    use crate::markdown::on_its_own_line;

    #[test]
    fn an_embed_is_as_high_as_its_taller_drawing_plus_its_caption() {
        let wide = r#"<svg viewBox="0 0 720 300">"#;
        let narrow = r#"<svg viewBox="0 0 400 500">"#;
        let code = embed_code("https://e.org/a/", "x", "标题\"", wide, narrow);
        // The narrow drawing at 320 px: 500 × 320 / 400 = 400, then 200 for the caption.
        assert_eq!(
            code,
            "<iframe src=\"https://e.org/a/embed/x/\" title=\"标题&quot;\" width=\"100%\" \
             height=\"600\" style=\"border:0\" loading=\"lazy\"></iframe>"
        );
    }

    #[test]
    fn a_chart_reference_is_a_paragraph_of_its_own() {
        let ok = "文字。\n\n[[chart:a]]\n\n文字。";
        assert!(on_its_own_line(ok, ok.find("[[").unwrap()));
        assert!(on_its_own_line("[[chart:a]]", 0));
        for bad in [
            "文字[[chart:a]]。",
            "文字。\n[[chart:a]]\n\n文字。",
            "\n\n[[chart:a]]\n文字。",
        ] {
            assert!(!on_its_own_line(bad, bad.find("[[").unwrap()), "{bad}");
        }
    }
}
