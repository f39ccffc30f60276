//! Draws a laid-out chart with plotters: grid, axis, legend and key, rows of marks and their
//! labels, ticks, note and source. Hands back where each value's mark and label are, so the
//! document can put each value's detail over it.

use super::layout::{EntryKind, FS, FS_ROW, LABEL_GAP, Layout, Line, PAD};
use super::marks::{self, Extent, Mark, Place};
use super::pen::{Align, Font, Pen};
use super::text::width as text_width;
use super::theme::LIGHT;
use super::{Cell, Chart};

/// The area of one value's mark and label, and what a reader may ask about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Top-left corner.
    pub from: (f64, f64),
    /// Bottom-right corner.
    pub to: (f64, f64),
    /// The value's detail: figure, period, source.
    pub detail: String,
}

fn font(size: f64, muted: bool) -> Font {
    Font {
        size,
        bold: false,
        italic: false,
        colour: if muted { LIGHT.muted } else { LIGHT.text },
    }
}

fn line(pen: &Pen, l: &Line, align: Align, bold: bool) -> Result<(), String> {
    let size = if bold { FS_ROW } else { FS };
    pen.text(
        &l.text,
        l.at,
        align,
        Font {
            bold,
            ..font(size, l.muted)
        },
    )
}

/// Draws `chart` as laid out by `l` into `out` (plotters' SVG document).
pub fn draw(chart: &Chart, l: &Layout, out: &mut String) -> Result<Vec<Hit>, String> {
    let rules = chart.kind.rules();
    let mark = rules.mark();
    let pen = Pen::new(out, l.width as u32, l.height.round() as u32);
    pen.rect((0.0, 0.0), (l.width, l.height), LIGHT.bg)?;
    grid(&pen, chart, l)?;
    let column = if l.column { Align::End } else { Align::Start };
    if let Some(header) = &l.multiple {
        line(&pen, header, column, false)?;
    }
    legend(&pen, l, mark)?;

    let mut hits = Vec::new();
    for (row, place) in chart.rows.iter().zip(&l.rows) {
        for (j, label) in place.label.iter().enumerate() {
            line(&pen, label, Align::End, j == 0 || !label.muted)?;
        }
        let cells: Vec<(usize, &Cell)> = row
            .cells
            .iter()
            .enumerate()
            .filter_map(|(k, c)| c.as_ref().map(|c| (k, c)))
            .collect();
        match mark {
            Mark::Bar => hits.extend(bar_row(&pen, l, &cells, place)?),
            Mark::Dot => hits.extend(dot_row(&pen, l, rules.joins(), &cells, place)?),
        }
        if let Some(m) = &row.multiple {
            hits.push(multiple(&pen, l, m, place.multiple_at, column)?);
        }
    }

    // Ticks, note, source.
    for (x, t) in &l.ticks {
        pen.text(t, (*x, l.tick_y), Align::Middle, font(FS, false))?;
    }
    for n in l.note.iter().chain(&l.source) {
        line(&pen, n, Align::Start, false)?;
    }
    pen.finish()?;
    Ok(hits)
}

/// The grid, the zero line of a scale that starts at zero, and a reference line with its label.
fn grid(pen: &Pen, chart: &Chart, l: &Layout) -> Result<(), String> {
    let (top, bottom) = l.plot;
    for (x, _) in &l.ticks {
        if (*x - l.left).abs() >= 1.0 || chart.scale == super::Scale::Log {
            pen.line(&[(*x, top), (*x, bottom)], LIGHT.grid, 1)?;
        }
    }
    if chart.scale == super::Scale::Linear {
        pen.line(&[(l.left, top), (l.left, bottom)], LIGHT.axis, 2)?;
    }
    if let Some((x, label)) = &l.reference {
        pen.dashed((*x, top), (*x, bottom), LIGHT.axis, 2)?;
        let w = text_width(&label.text, FS);
        let align = if x + w / 2.0 > l.width - PAD {
            Align::End
        } else if x - w / 2.0 < l.left {
            Align::Start
        } else {
            Align::Middle
        };
        let at = match align {
            Align::Start => (l.left.min(*x - 4.0), label.at.1),
            _ => label.at,
        };
        pen.text(&label.text, at, align, font(FS, true))?;
    }
    Ok(())
}

/// The legend and the key of forms.
fn legend(pen: &Pen, l: &Layout, mark: Mark) -> Result<(), String> {
    for e in &l.entries {
        let (x, y) = e.at;
        let text_x = match e.what {
            EntryKind::Series(k) => {
                pen.rect((x, y - 7.0), (x + 14.0, y + 7.0), LIGHT.series[k % 4])?;
                x + 20.0
            }
            EntryKind::Form(form) => marks::glyph(pen, form, mark, x, y)? + 6.0,
        };
        pen.text(&e.name, (text_x, y), Align::Start, font(FS, false))?;
    }
    Ok(())
}

/// A row of bars, each with its value's label after it.
fn bar_row(
    pen: &Pen,
    l: &Layout,
    cells: &[(usize, &Cell)],
    place: &super::layout::RowBox,
) -> Result<Vec<Hit>, String> {
    let x_of = |v: f64| l.x(v);
    let mut hits = Vec::new();
    for &(k, cell) in cells {
        let y = place.marks[k.min(place.marks.len() - 1)];
        let at = Place {
            x0: l.left,
            y,
            x: &x_of,
        };
        let ext = marks::draw(pen, Mark::Bar, cell.value, &at, k)?;
        let off = marks::Form::of(cell.value).off_scale();
        let x = ext.right + LABEL_GAP;
        pen.text(
            &cell.text,
            (x, y),
            Align::Start,
            Font {
                italic: off,
                ..font(FS, off)
            },
        )?;
        hits.push(Hit {
            from: (l.left, y - marks::BAR_H / 2.0 - 2.0),
            to: (x + text_width(&cell.text, FS), y + marks::BAR_H / 2.0 + 2.0),
            detail: cell.detail.clone(),
        });
    }
    Ok(hits)
}

/// A row's multiple, written at `at` aligned as `column`.
fn multiple(pen: &Pen, l: &Layout, m: &Cell, at: (f64, f64), column: Align) -> Result<Hit, String> {
    let off = marks::Form::of(m.value).off_scale();
    let f = Font {
        bold: !off,
        italic: off,
        ..font(if off { FS } else { FS_ROW }, off)
    };
    pen.text(&m.text, at, column, f)?;
    let w = text_width(&m.text, f.size);
    let from = if l.column { at.0 - w } else { at.0 };
    Ok(Hit {
        from: (from - 2.0, at.1 - 12.0),
        to: (from + w + 2.0, at.1 + 12.0),
        detail: m.detail.clone(),
    })
}

/// A row of dots: the line joining them, the dots, and each value's label under its dot,
/// pushed apart where two would overlap.
fn dot_row(
    pen: &Pen,
    l: &Layout,
    joins: bool,
    cells: &[(usize, &Cell)],
    place: &super::layout::RowBox,
) -> Result<Vec<Hit>, String> {
    let y = place.marks[0];
    let x_of = |v: f64| l.x(v);
    let anchors: Vec<f64> = cells
        .iter()
        .filter_map(|(_, c)| c.value.span().map(|(lo, hi)| (x_of(lo) + x_of(hi)) / 2.0))
        .collect();
    if joins && anchors.len() >= 2 {
        let (a, b) = (
            anchors.iter().copied().fold(f64::INFINITY, f64::min),
            anchors.iter().copied().fold(0.0, f64::max),
        );
        pen.line(&[(a, y), (b, y)], LIGHT.grid, 4)?;
    }
    let mut drawn: Vec<(Extent, &Cell)> = Vec::new();
    for &(k, cell) in cells {
        let at = Place {
            x0: l.left,
            y,
            x: &x_of,
        };
        drawn.push((marks::draw(pen, Mark::Dot, cell.value, &at, k)?, cell));
    }
    let labels = place_labels(l, &drawn);
    let mut hits = Vec::new();
    for (centre, w, cell) in labels {
        let off = marks::Form::of(cell.value).off_scale();
        pen.text(
            &cell.text,
            (centre, place.below),
            Align::Middle,
            Font {
                italic: off,
                ..font(FS, off)
            },
        )?;
        let mark_x = drawn
            .iter()
            .find(|(_, c)| std::ptr::eq(*c, cell))
            .map_or(centre, |(e, _)| e.anchor);
        hits.push(Hit {
            from: ((centre - w / 2.0).min(mark_x - 10.0), y - 12.0),
            to: ((centre + w / 2.0).max(mark_x + 10.0), place.below + 10.0),
            detail: cell.detail.clone(),
        });
    }
    Ok(hits)
}

/// Where the value labels of a row of dots go (centre, width, cell): centred under their marks,
/// then pushed apart and kept inside the plot.
fn place_labels<'c>(l: &Layout, drawn: &[(Extent, &'c Cell)]) -> Vec<(f64, f64, &'c Cell)> {
    let mut labels: Vec<(f64, f64, &Cell)> = drawn
        .iter()
        .map(|(e, c)| {
            let w = text_width(&c.text, FS);
            let off = marks::Form::of(c.value).off_scale();
            let centre = if off { e.left + w / 2.0 } else { e.anchor };
            (centre, w, *c)
        })
        .collect();
    labels.sort_by(|a, b| a.0.total_cmp(&b.0));
    let right_edge = l.left + l.plot_w + 40.0;
    // Never into the row labels' column.
    if let Some(first) = labels.first_mut() {
        first.0 = first.0.max(l.left - 4.0 + first.1 / 2.0);
    }
    for i in 1..labels.len() {
        let (prev_c, prev_w, _) = labels[i - 1];
        let need = prev_c + prev_w / 2.0 + 12.0 + labels[i].1 / 2.0;
        if labels[i].0 < need {
            labels[i].0 = need;
        }
    }
    if let Some(last) = labels.last().copied() {
        let over = last.0 + last.1 / 2.0 - right_edge.min(l.width - PAD);
        // Shift back left as far as the row labels' column allows.
        let slack = labels[0].0 - labels[0].1 / 2.0 - (l.left - 4.0);
        let shift = over.min(slack);
        if shift > 0.0 {
            for lab in &mut labels {
                lab.0 -= shift;
            }
        }
    }
    labels
}
