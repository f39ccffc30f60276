//! Where everything of a chart goes, computed before anything is drawn: legend and key, row
//! labels, the plot and its axis, value labels, the note and the source line.

use super::Chart;
use super::marks::{BAR_H, Form, Mark, OVERHANG};
use super::scale::Axis;
use super::text::{width as text_width, wrap};
use crate::computed::{Measure, measure_word};
use crate::strings::Strings;

/// The drawing's width in viewBox units: a wide layout for desktops, a narrow one for phones.
///
/// Text keeps its size in both, so on a 360 px phone the narrow drawing shows labels at about
/// 13 px instead of the 7 px a scaled-down wide drawing would give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Width {
    /// 720 units.
    Wide,
    /// 400 units.
    Narrow,
}

impl Width {
    /// The width in viewBox units.
    pub fn units(self) -> f64 {
        match self {
            Width::Wide => 720.0,
            Width::Narrow => 400.0,
        }
    }

    /// Row labels wrap beyond this width.
    fn row_label_max(self) -> f64 {
        match self {
            Width::Wide => 190.0,
            Width::Narrow => 112.0,
        }
    }

    /// The most steps an axis has before its labels are thinned.
    fn max_steps(self) -> usize {
        match self {
            Width::Wide => 6,
            Width::Narrow => 4,
        }
    }
}

/// Margin around everything.
pub const PAD: f64 = 16.0;
/// Font sizes.
pub const FS_ROW: f64 = 16.0;
/// Value labels, legend, key, ticks, notes and source.
pub const FS: f64 = 15.0;
/// Gap between a mark and its label.
pub const LABEL_GAP: f64 = 6.0;
const LINE: f64 = 20.0;
const BAR_GAP: f64 = 6.0;
const GROUP_GAP: f64 = 18.0;
const PLOT_INSET: f64 = 10.0;
/// Height of a dot row's mark line; its labels go on a line below.
const DOT_LINE: f64 = 22.0;

/// A line of text and where it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The text.
    pub text: String,
    /// Position (anchor point, vertical centre).
    pub at: (f64, f64),
    /// Secondary (muted) text.
    pub muted: bool,
}

/// A legend entry (a series) or a key entry (a qualifier's form).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Left end and vertical centre.
    pub at: (f64, f64),
    /// Series index for a legend entry, the form for a key entry.
    pub what: EntryKind,
    /// Its words.
    pub name: String,
}

/// What an [`Entry`] shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EntryKind {
    /// A series swatch.
    Series(usize),
    /// A qualifier's form.
    Form(Form),
}

/// One row's place.
#[derive(Debug, Clone, PartialEq)]
pub struct RowBox {
    /// Label and note lines, right-aligned before the plot.
    pub label: Vec<Line>,
    /// Where the row's multiple is written: its right end in a column, or its left end above
    /// the dots (see [`Layout::column`]).
    pub multiple_at: (f64, f64),
    /// Vertical centre of each series' mark (all the same for dots).
    pub marks: Vec<f64>,
    /// Vertical centre of value labels under dots.
    pub below: f64,
    /// Top and bottom of the row.
    pub band: (f64, f64),
}

/// Positions of everything.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Drawing width.
    pub width: f64,
    /// Drawing height.
    pub height: f64,
    /// Series legend, then the key of forms.
    pub entries: Vec<Entry>,
    /// Axis start (zero, for bars) and the plot's length.
    pub left: f64,
    /// Length of the plot.
    pub plot_w: f64,
    /// Top and bottom of the plot.
    pub plot: (f64, f64),
    /// The rows.
    pub rows: Vec<RowBox>,
    /// The value axis.
    pub axis: Axis,
    /// Tick positions and labels (every tick labelled).
    pub ticks: Vec<(f64, String)>,
    /// Vertical centre of the tick labels.
    pub tick_y: f64,
    /// A reference line's position and its label above the plot.
    pub reference: Option<(f64, Line)>,
    /// Header of the multiples.
    pub multiple: Option<Line>,
    /// Whether multiples are a column at the right (ending at their positions) rather than
    /// lines above the dots (starting at them).
    pub column: bool,
    /// A note under the axis (what a log scale means).
    pub note: Vec<Line>,
    /// The source line, in the standalone drawing.
    pub source: Vec<Line>,
}

/// The word for `key` in `strings`, or the key itself.
pub fn ui<'a>(strings: &'a Strings, key: &'a str) -> &'a str {
    strings.ui.get(key).map_or(key, String::as_str)
}

impl Layout {
    /// Lays out `chart` at `width`; `source` says whether the source line is drawn. Top to
    /// bottom: the legend, the reference line's and the multiples' labels, the rows, the axis,
    /// the notes.
    pub fn new(chart: &Chart, strings: &Strings, width: Width, source: bool) -> Layout {
        let rules = chart.kind.rules();
        let total = width.units();
        let (entries, mut y) = legend(chart, strings, total);
        let (label_lines, label_w) = row_labels(chart, width);
        let multiples = Multiples::new(chart, width);
        let left = (PAD + label_w + 12.0).round();
        let room = total - PAD - left - multiples.width;
        let (axis, plot_w, ticks) = fit_axis(chart, strings, width, left, room);
        let x_of = |v: f64| left + axis.frac(v) * plot_w;

        // A reference line, labelled above the plot.
        let reference = rules.reference().map(|v| {
            let text = ui(strings, "one_times").to_string();
            let at = (x_of(v), y + FS / 2.0);
            (
                at.0,
                Line {
                    text,
                    at,
                    muted: true,
                },
            )
        });
        let mut multiple = None;
        if reference.is_some() || multiples.header.is_some() {
            if let Some(h) = multiples.header.clone() {
                let x = if multiples.column { total - PAD } else { left };
                multiple = Some(Line {
                    text: h,
                    at: (x, y + FS / 2.0),
                    muted: true,
                });
            }
            y += FS + 8.0;
        }

        let plot_top = y;
        let (rows, y) = row_boxes(chart, label_lines, &multiples, (left, total), plot_top);
        let plot_bottom = y + PLOT_INSET;
        let tick_y = plot_bottom + 6.0 + FS / 2.0;
        let mut y = tick_y + FS / 2.0 + 10.0;

        let mut note = Vec::new();
        if let Axis::Log { every, .. } = axis {
            let factor = crate::format::axis_number(10f64.powi(every), strings);
            let text = ui(strings, "log_scale_note").replace("{}", &factor);
            note = muted_lines(&text, total, &mut y);
        }
        let mut source_lines = Vec::new();
        if source {
            y += 4.0;
            source_lines = muted_lines(&chart.source_line, total, &mut y);
        }

        Layout {
            width: total,
            height: (y + PAD - 6.0).ceil(),
            entries,
            left,
            plot_w,
            plot: (plot_top, plot_bottom),
            rows,
            axis,
            ticks,
            tick_y,
            reference,
            multiple,
            column: multiples.column,
            note,
            source: source_lines,
        }
    }

    /// The position of value `v`.
    pub fn x(&self, v: f64) -> f64 {
        self.left + self.axis.frac(v) * self.plot_w
    }
}

/// The legend and the key of forms, wrapping onto new lines when wider than the chart (`total`
/// wide); and where what follows them starts.
fn legend(chart: &Chart, strings: &Strings, total: f64) -> (Vec<Entry>, f64) {
    let mut entries = Vec::new();
    let mut x = PAD;
    let mut line_y = PAD + LINE / 2.0;
    let mut place = |w: f64, what: EntryKind, name: String, entries: &mut Vec<Entry>| {
        if x > PAD && x + w > total - PAD {
            x = PAD;
            line_y += LINE + 4.0;
        }
        entries.push(Entry {
            at: (x, line_y),
            what,
            name,
        });
        x += w + 18.0;
    };
    if chart.series.len() > 1 {
        for (i, name) in chart.series.iter().enumerate() {
            let w = 14.0 + 6.0 + text_width(name, FS);
            place(w, EntryKind::Series(i), name.clone(), &mut entries);
        }
    }
    for form in forms(chart) {
        let name = ui(strings, form.key()).to_string();
        let w = form.glyph_width() + 4.0 + text_width(&name, FS);
        place(w, EntryKind::Form(form), name, &mut entries);
    }
    let y = if entries.is_empty() {
        PAD
    } else {
        line_y + LINE / 2.0 + 8.0
    };
    (entries, y)
}

/// Each row's label lines (the label, then a quieter note: `true`), and the widest line's
/// width, which sets the axis start.
fn row_labels(chart: &Chart, width: Width) -> (Vec<Vec<(String, bool)>>, f64) {
    let label_lines: Vec<Vec<(String, bool)>> = chart
        .rows
        .iter()
        .map(|r| {
            let mut lines: Vec<(String, bool)> = wrap(&r.label, FS_ROW, width.row_label_max())
                .into_iter()
                .map(|l| (l, false))
                .collect();
            if let Some(note) = &r.note {
                lines.extend(
                    wrap(note, FS, width.row_label_max())
                        .into_iter()
                        .map(|l| (l, true)),
                );
            }
            lines
        })
        .collect();
    let label_w = label_lines
        .iter()
        .flatten()
        .map(|(l, muted)| text_width(l, if *muted { FS } else { FS_ROW }))
        .fold(0.0, f64::max);
    (label_lines, label_w)
}

/// Where a dots chart writes its multiples: a column at the right where there is room; on
/// phones, a line above each row's dots.
struct Multiples {
    /// Their header (`a÷b`), when there are multiples.
    header: Option<String>,
    /// Whether they are a column at the right.
    column: bool,
    /// The column's width (0 when not a column).
    width: f64,
    /// The height of the line above each row's dots (0 when none).
    above: f64,
}

impl Multiples {
    fn new(chart: &Chart, width: Width) -> Self {
        let widest = chart
            .rows
            .iter()
            .filter_map(|r| r.multiple.as_ref())
            .map(|c| text_width(&c.text, FS_ROW))
            .fold(0.0, f64::max);
        let header = match chart.series.as_slice() {
            [a, b, ..] if chart.rows.iter().any(|r| r.multiple.is_some()) => {
                Some(format!("{a}÷{b}"))
            }
            _ => None,
        };
        let column = width == Width::Wide;
        let width = match &header {
            Some(h) if column => widest.max(text_width(h, FS)) + 16.0,
            _ => 0.0,
        };
        let above = if header.is_some() && !column {
            LINE
        } else {
            0.0
        };
        Multiples {
            header,
            column,
            width,
            above,
        }
    }
}

/// The value axis, the plot's length and the ticks (position and label) of a plot starting at
/// `left` with `room` to its right: the first step count, from the most, whose labels fit
/// (fewer ticks rather than unlabelled ones), and for bars, room for every value label.
fn fit_axis(
    chart: &Chart,
    strings: &Strings,
    width: Width,
    left: f64,
    room: f64,
) -> (Axis, f64, Vec<(f64, String)>) {
    let rules = chart.kind.rules();
    let (mut min, mut max) = (f64::INFINITY, 0.0_f64);
    let spans = chart.rows.iter().flat_map(|r| r.cells.iter().flatten());
    for (lo, hi) in spans.filter_map(|c| c.value.span()) {
        if lo > 0.0 {
            min = min.min(lo);
        }
        max = max.max(hi);
    }
    if let Some(r) = rules.reference() {
        max = max.max(r);
    }
    let word = measure_word(chart.measure, strings).to_string();
    let tick_text = |v: f64, last: bool| {
        let n = match chart.measure {
            Measure::Times => format_times(v),
            Measure::Amount(_) => crate::format::axis_number(v, strings),
        };
        if last {
            crate::format::with_unit(&n, &word)
        } else {
            n
        }
    };
    let mut steps = width.max_steps();
    loop {
        let axis = Axis::new(chart.scale, min, max, steps);
        let ticks = axis.ticks();
        let n = ticks.len();
        let texts: Vec<String> = ticks
            .iter()
            .enumerate()
            .map(|(i, (v, _))| tick_text(*v, i + 1 == n))
            .collect();
        let last_w = texts.last().map_or(0.0, |t| text_width(t, FS));
        let mut plot_w = room - last_w / 2.0;
        if rules.mark() == Mark::Bar {
            for c in chart.rows.iter().flat_map(|r| r.cells.iter().flatten()) {
                if let Some((_, hi)) = c.value.span() {
                    let f = axis.frac(hi);
                    let extra = LABEL_GAP + OVERHANG + text_width(&c.text, FS);
                    if f > 0.0 {
                        plot_w = plot_w.min((room - extra) / f);
                    }
                }
            }
        }
        let plot_w = plot_w.max(room * 0.4).floor();
        let at: Vec<(f64, String)> = ticks
            .iter()
            .zip(texts)
            .map(|((_, f), t)| (left + f * plot_w, t))
            .collect();
        let fits = at.windows(2).all(|p| {
            p[1].0 - p[0].0 >= (text_width(&p[0].1, FS) + text_width(&p[1].1, FS)) / 2.0 + 10.0
        }) && at
            .first()
            .is_none_or(|(x, t)| x - text_width(t, FS) / 2.0 >= 0.0);
        if fits || steps == 1 {
            return (axis, plot_w, at);
        }
        steps -= 1;
    }
}

/// The rows of a plot starting at `plot_top`, each as tall as its marks or its label lines,
/// with the axis start and drawing width `(left, total)`; and the bottom of the last row.
fn row_boxes(
    chart: &Chart,
    label_lines: Vec<Vec<(String, bool)>>,
    multiples: &Multiples,
    (left, total): (f64, f64),
    plot_top: f64,
) -> (Vec<RowBox>, f64) {
    let mark = chart.kind.rules().mark();
    let above = multiples.above;
    let slots = match mark {
        Mark::Bar => chart.rows.iter().map(|r| r.cells.len()).max().unwrap_or(1),
        Mark::Dot => 1,
    }
    .max(1);
    let mut y = plot_top + PLOT_INSET;
    let marks_h = match mark {
        Mark::Bar => slots as f64 * BAR_H + (slots - 1) as f64 * BAR_GAP,
        Mark::Dot => above + DOT_LINE + LINE,
    };
    let mut rows = Vec::new();
    for (i, lines) in label_lines.into_iter().enumerate() {
        if i > 0 {
            y += GROUP_GAP;
        }
        let h = marks_h.max(lines.len() as f64 * LINE);
        let top = y + (h - marks_h) / 2.0 + if mark == Mark::Dot { above } else { 0.0 };
        let first = y + h / 2.0 - (lines.len() as f64 - 1.0) * LINE / 2.0;
        let first = match mark {
            // Dot rows: the label's first line level with the dots.
            Mark::Dot if lines.len() > 1 || above > 0.0 => first.min(top + DOT_LINE / 2.0),
            _ => first,
        };
        let label = lines
            .into_iter()
            .enumerate()
            .map(|(j, (text, muted))| Line {
                text,
                at: (left - 12.0, first + j as f64 * LINE),
                muted,
            })
            .collect();
        let marks = match mark {
            Mark::Bar => (0..slots)
                .map(|s| top + s as f64 * (BAR_H + BAR_GAP) + BAR_H / 2.0)
                .collect(),
            Mark::Dot => vec![top + DOT_LINE / 2.0],
        };
        let multiple_at = if multiples.column {
            (total - PAD, top + DOT_LINE / 2.0)
        } else {
            (left, top - above / 2.0)
        };
        rows.push(RowBox {
            label,
            multiple_at,
            marks,
            below: top + DOT_LINE + LINE / 2.0,
            band: (y, y + h),
        });
        y += h;
    }
    (rows, y)
}

/// `text` wrapped to the drawing's width (`total`) in muted lines from `y` down; `y` ends under
/// them.
fn muted_lines(text: &str, total: f64, y: &mut f64) -> Vec<Line> {
    let mut lines = Vec::new();
    for l in wrap(text, FS, total - 2.0 * PAD) {
        lines.push(Line {
            text: l,
            at: (PAD, *y + FS / 2.0),
            muted: true,
        });
        *y += FS + 6.0;
    }
    lines
}

/// A multiple on an axis: `0`, `2.5`, `40`.
fn format_times(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The forms of every value the chart draws, in the key's order; none when all are exact.
pub fn forms(chart: &Chart) -> Vec<Form> {
    let mut out: Vec<Form> = chart
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().flatten())
        .map(|c| Form::of(c.value))
        .collect();
    out.sort();
    out.dedup();
    // A key of solid marks alone would say nothing.
    if out == [Form::Exact] {
        out.clear();
    }
    out
}
