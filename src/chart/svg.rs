//! Draws a [`Chart`](super::Chart) as an accessible, deterministic SVG document.
//!
//! The drawing is a horizontal grouped bar chart: one group per row, one bar per series, each bar
//! labelled with the figure as the site prints it. Plotters' SVG backend draws the shapes at
//! positions computed here; the document it produces is then rewritten so that every element
//! carries a class, the root scales to its container, and one `<style>` block themes the classes
//! for light and dark colour schemes.
//!
//! How each qualifier is drawn:
//! - exact, about, nearly, up to: a bar ending at the value;
//! - more than: a bar ending at the value, then a chevron pointing on;
//! - a range, and "several" (drawn as value to ten times value): a solid bar to the low end, then
//!   a light, outlined segment to the high end;
//! - negligible and undisclosed: never a bar; a hollow marker at the axis start and the muted,
//!   italic label;
//! - a missing cell (`None`): nothing.

use std::fmt::Write as _;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle};

use super::{Cell, Chart, Scale};
use crate::facts::Amount;
use crate::money::{axis_number, unit_word};
use crate::strings::Strings;

/// Width of the view box; the height follows from the number of rows and series.
/// The drawing's width in viewBox units: a wide layout for desktops, a narrow one for phones.
///
/// Text keeps its size in both, so on a 360 px phone the narrow drawing shows labels at about
/// 13 px instead of the 7 px a scaled-down wide drawing would give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Width {
    /// 720 units.
    Wide,
    /// 400 units.
    Narrow,
}

impl Width {
    fn units(self) -> f64 {
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
}
/// Margin around everything.
const PAD: f64 = 16.0;

const FS_ROW: u32 = 16;
const FS_LABEL: u32 = 15;
const FS_LEGEND: u32 = 15;
const FS_TICK: u32 = 15;
const FS_NOTE: u32 = 15;
const FS_SOURCE: u32 = 15;

/// Height of one bar; series bars of a group are `BAR_GAP` apart, groups `GROUP_GAP`.
const BAR_H: f64 = 22.0;
const BAR_GAP: f64 = 6.0;
const GROUP_GAP: f64 = 20.0;
/// Space above the first and below the last group, inside the grid.
const PLOT_INSET: f64 = 10.0;
/// Line height of wrapped row labels.
const ROW_LINE: f64 = 20.0;
/// Longest a row label may run before it wraps.
/// Gap between a bar's end (or its chevron) and its label.
const LABEL_GAP: f64 = 6.0;
/// Room taken by the "more than" chevron after a bar, gap included.
const MORE_W: f64 = 14.0;
/// The hollow marker of undisclosed and negligible figures: centre offset and radius.
const MARKER_X: f64 = 8.0;
const MARKER_R: i32 = 5;

/// The class the root carries; every style rule is scoped under it, so an inlined chart does not
/// restyle the page around it.
const ROOT_CLASS: &str = "burnrate-chart";
const FONT_STACK: &str = r#""PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif"#;

/// Colours of one colour scheme. Text reaches 4.5:1 against `bg`, series colours 3:1.
struct Theme {
    bg: &'static str,
    text: &'static str,
    muted: &'static str,
    grid: &'static str,
    axis: &'static str,
    /// Okabe–Ito colours, colour-blind safe; more series than this reuse them in turn.
    series: [&'static str; 4],
}

const LIGHT: Theme = Theme {
    bg: "#FFFFFF",
    text: "#1F1F1F",
    muted: "#595959",
    grid: "#D9D9D9",
    axis: "#6E6E6E",
    series: ["#0072B2", "#D55E00", "#009E73", "#CC79A7"],
};

const DARK: Theme = Theme {
    bg: "#1B1B1F",
    text: "#EDEDED",
    muted: "#B4B4BC",
    grid: "#3A3A42",
    axis: "#9A9AA2",
    series: ["#56B4E9", "#F0A060", "#3CC8A0", "#E69BC8"],
};

/// Draws `chart` as a standalone SVG document (UTF-8 text).
///
/// The root has a `viewBox` but no fixed size, so the drawing scales to its container; its
/// `<title>` and `<desc>` (ids `<chart.id>-title` and `<chart.id>-desc`) carry the chart's title
/// and description for screen readers; the title is not drawn, since the page shows it as the
/// figure caption. The output depends only on `chart` and `strings`: the same input gives the
/// same bytes on every run and machine.
pub fn render(chart: &Chart, strings: &Strings, width: Width) -> String {
    let layout = Layout::new(chart, strings, width);
    let height = layout.height.round() as u32;
    let mut raw = String::new();
    let marks = {
        let backend = SVGBackend::with_string(&mut raw, (layout.width as u32, height));
        let mut canvas = Canvas {
            area: backend.into_drawing_area(),
            marks: Vec::new(),
        };
        draw(&mut canvas, chart, &layout);
        canvas.finish()
    };
    rewrite(&raw, &marks, &head(chart, layout.width, height))
}

/// How a cell is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// A bar to `solid`; then a range segment to `to`, if any; then a chevron if `more`.
    Bar {
        solid: f64,
        to: Option<f64>,
        more: bool,
    },
    /// No bar: a hollow marker at the axis start.
    Marker,
}

impl Shape {
    fn of(amount: Amount) -> Shape {
        let bar = |v: u64| Shape::Bar {
            solid: v as f64,
            to: None,
            more: false,
        };
        match amount {
            Amount::Exact { value }
            | Amount::About { value }
            | Amount::Nearly { value }
            | Amount::UpTo { value } => bar(value),
            Amount::MoreThan { value } => Shape::Bar {
                solid: value as f64,
                to: None,
                more: true,
            },
            Amount::Range { low, high } => Shape::Bar {
                solid: low as f64,
                to: Some(high as f64),
                more: false,
            },
            Amount::Several { value } => Shape::Bar {
                solid: value as f64,
                to: Some(value as f64 * 10.0),
                more: false,
            },
            Amount::Negligible | Amount::Undisclosed => Shape::Marker,
        }
    }

    /// Where the drawing ends, in chart units; `None` for a marker.
    fn end(self) -> Option<f64> {
        match self {
            Shape::Bar { solid, to, .. } => Some(to.unwrap_or(solid)),
            Shape::Marker => None,
        }
    }
}

/// How values map onto the x axis.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Axis {
    /// Powers of ten from `10^lo` to `10^hi`.
    Log { lo: i32, hi: i32 },
    /// From zero to `max` in steps of `step`.
    Linear { step: f64, max: f64 },
}

impl Axis {
    fn new(scale: Scale, cells: &[Shape]) -> Axis {
        let bars = cells.iter().filter_map(|s| match *s {
            Shape::Bar { solid, .. } => Some((solid, s.end().unwrap_or(solid))),
            Shape::Marker => None,
        });
        match scale {
            Scale::Log => {
                let (mut min, mut max) = (f64::INFINITY, 0.0_f64);
                for (low, high) in bars {
                    if low > 0.0 {
                        min = min.min(low);
                    }
                    max = max.max(high);
                }
                if !min.is_finite() || max <= 0.0 {
                    return Axis::Log { lo: 0, hi: 1 };
                }
                let mut lo = floor_exp(min);
                // A bar is as long as its value's distance from the axis start: keep the
                // smallest at least a third of a decade long rather than a sliver.
                if min.log10() - f64::from(lo) < 0.3 {
                    lo -= 1;
                }
                let mut hi = floor_exp(max);
                if 10f64.powi(hi) < max {
                    hi += 1;
                }
                Axis::Log {
                    lo,
                    hi: hi.max(lo + 1),
                }
            }
            Scale::Linear => {
                let max = bars.map(|(_, high)| high).fold(0.0_f64, f64::max);
                let max = if max > 0.0 { max } else { 1.0 };
                let raw = max / 5.0;
                let magnitude = 10f64.powi(floor_exp(raw));
                let step = magnitude
                    * [1.0, 2.0, 2.5, 5.0, 10.0]
                        .into_iter()
                        .find(|m| m * magnitude >= raw)
                        .unwrap_or(10.0);
                Axis::Linear {
                    step,
                    max: (max / step).ceil() * step,
                }
            }
        }
    }

    /// Where `v` falls, from 0 (axis start) to 1 (axis end).
    fn frac(self, v: f64) -> f64 {
        let f = match self {
            Axis::Log { lo, hi } if v > 0.0 => (v.log10() - f64::from(lo)) / f64::from(hi - lo),
            Axis::Log { .. } => 0.0,
            Axis::Linear { max, .. } => v / max,
        };
        f.clamp(0.0, 1.0)
    }

    /// Tick values with their positions (0 to 1).
    fn ticks(self) -> Vec<(f64, f64)> {
        match self {
            Axis::Log { lo, hi } => (lo..=hi)
                .map(|e| (10f64.powi(e), f64::from(e - lo) / f64::from(hi - lo)))
                .collect(),
            Axis::Linear { step, max } => {
                let n = (max / step).round() as i32;
                (0..=n)
                    .map(|i| (f64::from(i) * step, f64::from(i) / f64::from(n)))
                    .collect()
            }
        }
    }
}

/// The power of ten at or below `v` (for `v > 0`).
fn floor_exp(v: f64) -> i32 {
    let mut e = v.log10().floor() as i32;
    // Correct for rounding in log10 near exact powers.
    if 10f64.powi(e) > v {
        e -= 1;
    } else if 10f64.powi(e + 1) <= v {
        e += 1;
    }
    e
}

/// Positions of everything, computed before anything is drawn.
struct Layout {
    width: f64,
    height: f64,
    /// Series count (bars per group).
    slots: usize,
    legend: Vec<LegendItem>,
    /// Left end of the axis (bar start) and its length.
    left: f64,
    plot_w: f64,
    plot_top: f64,
    plot_bottom: f64,
    groups: Vec<Group>,
    axis: Axis,
    /// Ticks: value, x position, label (empty where thinned out to avoid overlap).
    ticks: Vec<(f64, String)>,
    tick_y: f64,
    note: Option<(String, f64)>,
    source: Vec<(String, f64)>,
}

struct LegendItem {
    x: f64,
    y: f64,
    slot: usize,
    name: String,
}

struct Group {
    /// Label lines with their vertical centres.
    label: Vec<(String, f64)>,
    /// Centre of each series slot.
    bar_y: Vec<f64>,
}

impl Layout {
    fn new(chart: &Chart, strings: &Strings, width: Width) -> Layout {
        let total = width.units();
        let slots = chart
            .rows
            .iter()
            .map(|r| r.cells.len())
            .chain([chart.series.len(), 1])
            .max()
            .unwrap_or(1);
        let unit = unit_word(chart.unit, strings);

        // Legend, wrapping onto new lines when it is wider than the chart.
        let mut y = PAD;
        let mut legend = Vec::new();
        if chart.series.len() > 1 {
            let (mut x, line_h) = (PAD, 24.0);
            let mut line_y = y + line_h / 2.0;
            for (slot, name) in chart.series.iter().enumerate() {
                let w = 14.0 + 6.0 + text_width(name, FS_LEGEND);
                if x > PAD && x + w > total - PAD {
                    x = PAD;
                    line_y += line_h;
                }
                legend.push(LegendItem {
                    x,
                    y: line_y,
                    slot,
                    name: clean(name),
                });
                x += w + 22.0;
            }
            y = line_y + line_h / 2.0 + 6.0;
        }

        // Row labels wrap at the width's row-label maximum; the widest line sets the axis start.
        let labels: Vec<Vec<String>> = chart
            .rows
            .iter()
            .map(|r| wrap(&r.label, FS_ROW, width.row_label_max()))
            .collect();
        let label_w = labels
            .iter()
            .flatten()
            .map(|l| text_width(l, FS_ROW))
            .fold(0.0, f64::max);

        let shapes: Vec<(Shape, &Cell)> = chart
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().flatten())
            .map(|c| (Shape::of(c.amount), c))
            .collect();
        let axis = Axis::new(
            chart.scale,
            &shapes.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        );
        let tick_text = |v: f64| {
            if v == 0.0 {
                "0".to_string()
            } else {
                format!("{}{unit}", axis_number(v))
            }
        };
        let ticks = axis.ticks();
        let first_w = ticks
            .first()
            .map_or(0.0, |(v, _)| text_width(&tick_text(*v), FS_TICK));
        let last_w = ticks
            .last()
            .map_or(0.0, |(v, _)| text_width(&tick_text(*v), FS_TICK));
        let left = (PAD + label_w + 12.0).max(PAD + first_w / 2.0).round();

        // The axis is as long as it can be while every label after a bar still fits.
        let room = total - PAD - left;
        let mut plot_w = room - last_w / 2.0;
        for (shape, cell) in &shapes {
            if let Shape::Bar { more, .. } = *shape {
                let f = axis.frac(shape.end().unwrap_or(0.0));
                let extra =
                    LABEL_GAP + if more { MORE_W } else { 0.0 } + text_width(&cell.text, FS_LABEL);
                if f > 0.0 {
                    plot_w = plot_w.min((room - extra) / f);
                }
            }
        }
        let plot_w = plot_w.max(room * 0.35).floor();

        // Groups.
        let plot_top = y;
        let mut y = plot_top + PLOT_INSET;
        let bars_h = slots as f64 * BAR_H + (slots - 1) as f64 * BAR_GAP;
        let mut groups = Vec::new();
        for (i, lines) in labels.into_iter().enumerate() {
            if i > 0 {
                y += GROUP_GAP;
            }
            let h = bars_h.max(lines.len() as f64 * ROW_LINE);
            let centre = y + h / 2.0;
            let first = centre - (lines.len() as f64 - 1.0) * ROW_LINE / 2.0;
            let label = lines
                .into_iter()
                .enumerate()
                .map(|(j, l)| (l, first + j as f64 * ROW_LINE))
                .collect();
            let top = centre - bars_h / 2.0;
            let bar_y = (0..slots)
                .map(|s| top + s as f64 * (BAR_H + BAR_GAP) + BAR_H / 2.0)
                .collect();
            groups.push(Group { label, bar_y });
            y += h;
        }
        let plot_bottom = y + PLOT_INSET;

        // Tick labels, leaving out every other one (or more) where they would collide.
        let positions: Vec<(f64, String, f64)> = ticks
            .iter()
            .map(|(v, f)| {
                let t = tick_text(*v);
                let w = text_width(&t, FS_TICK);
                (left + f * plot_w, t, w)
            })
            .collect();
        let every = (1..=positions.len().max(1))
            .find(|&k| {
                positions
                    .iter()
                    .step_by(k)
                    .collect::<Vec<_>>()
                    .windows(2)
                    .all(|p| p[1].0 - p[0].0 >= (p[0].2 + p[1].2) / 2.0 + 10.0)
            })
            .unwrap_or(1);
        let ticks = positions
            .into_iter()
            .enumerate()
            .map(|(i, (x, t, _))| (x, if i % every == 0 { t } else { String::new() }))
            .collect();
        let tick_y = plot_bottom + 6.0;
        let mut y = tick_y + f64::from(FS_TICK) * 1.2 + 8.0;

        let note = match chart.scale {
            Scale::Log => strings.ui.get("log_scale_note").map(|n| {
                let at = y + f64::from(FS_NOTE) / 2.0;
                y += f64::from(FS_NOTE) + 10.0;
                (clean(n), at)
            }),
            Scale::Linear => None,
        };
        y += 4.0;
        let source = wrap(&chart.source_line, FS_SOURCE, total - 2.0 * PAD)
            .into_iter()
            .map(|l| {
                let at = y + f64::from(FS_SOURCE) / 2.0;
                y += f64::from(FS_SOURCE) + 6.0;
                (l, at)
            })
            .collect();

        Layout {
            width: total,
            height: (y + PAD - 6.0).ceil(),
            slots,
            legend,
            left,
            plot_w,
            plot_top,
            plot_bottom,
            groups,
            axis,
            ticks,
            tick_y,
            note,
            source,
        }
    }

    fn x(&self, v: f64) -> f64 {
        self.left + self.axis.frac(v) * self.plot_w
    }
}

/// Draws every element, each with its class.
fn draw(c: &mut Canvas, chart: &Chart, l: &Layout) {
    let text = rgb(LIGHT.text);
    let muted = rgb(LIGHT.muted);

    c.rect((0.0, 0.0), (l.width, l.height), rgb(LIGHT.bg), "bg");

    // Grid and axis.
    for (x, _) in &l.ticks {
        if (*x - l.left).abs() >= 1.0 {
            c.line(
                &[(*x, l.plot_top), (*x, l.plot_bottom)],
                rgb(LIGHT.grid),
                1,
                "grid",
            );
        }
    }
    c.line(
        &[(l.left, l.plot_top), (l.left, l.plot_bottom)],
        rgb(LIGHT.axis),
        2,
        "axis",
    );

    // Legend.
    for item in &l.legend {
        let k = item.slot % 4;
        c.rect(
            (item.x, item.y - 7.0),
            (item.x + 14.0, item.y + 7.0),
            rgb(LIGHT.series[k]),
            &format!("swatch s{}", k + 1),
        );
        c.text(
            &item.name,
            (item.x + 20.0, item.y),
            FS_LEGEND,
            HPos::Left,
            FontStyle::Normal,
            text,
            "legend",
        );
    }

    // Groups.
    for (row, group) in chart.rows.iter().zip(&l.groups) {
        for (line, y) in &group.label {
            c.text(
                line,
                (l.left - 12.0, *y),
                FS_ROW,
                HPos::Right,
                FontStyle::Bold,
                text,
                "row-label",
            );
        }
        for (slot, cell) in row.cells.iter().enumerate().take(l.slots) {
            let Some(cell) = cell else { continue };
            let k = slot % 4;
            let y = group.bar_y[slot];
            let (top, bottom) = (y - BAR_H / 2.0, y + BAR_H / 2.0);
            let colour = rgb(LIGHT.series[k]);
            match Shape::of(cell.amount) {
                Shape::Marker => {
                    c.circle(
                        (l.left + MARKER_X, y),
                        MARKER_R,
                        colour,
                        &format!("marker s{}", k + 1),
                    );
                    c.text(
                        &cell.text,
                        (l.left + MARKER_X + f64::from(MARKER_R) + LABEL_GAP, y),
                        FS_LABEL,
                        HPos::Left,
                        FontStyle::Italic,
                        muted,
                        "label muted",
                    );
                }
                Shape::Bar { solid, to, more } => {
                    let mut end = l.x(solid);
                    if solid > 0.0 {
                        end = end.max(l.left + 2.0);
                        c.rect(
                            (l.left, top),
                            (end, bottom),
                            colour,
                            &format!("bar s{}", k + 1),
                        );
                    }
                    if let Some(high) = to {
                        let high_x = l.x(high).max(end + 4.0);
                        c.rect(
                            (end, top),
                            (high_x, bottom),
                            tint(LIGHT.series[k], LIGHT.bg),
                            &format!("range s{}", k + 1),
                        );
                        end = high_x;
                    }
                    if more {
                        c.polygon(
                            &[
                                (end + 3.0, top + 3.0),
                                (end + 11.0, y),
                                (end + 3.0, bottom - 3.0),
                            ],
                            colour,
                            &format!("more s{}", k + 1),
                        );
                        end += MORE_W - LABEL_GAP;
                    }
                    c.text(
                        &cell.text,
                        (end + LABEL_GAP, y),
                        FS_LABEL,
                        HPos::Left,
                        FontStyle::Normal,
                        text,
                        "label",
                    );
                }
            }
        }
    }

    // Axis labels, the log-scale note, the source.
    for (x, label) in &l.ticks {
        if !label.is_empty() {
            c.text_top(label, (*x, l.tick_y), FS_TICK, HPos::Center, text, "tick");
        }
    }
    if let Some((note, y)) = &l.note {
        c.text(
            note,
            (l.left, *y),
            FS_NOTE,
            HPos::Left,
            FontStyle::Normal,
            muted,
            "note muted",
        );
    }
    for (line, y) in &l.source {
        c.text(
            line,
            (PAD, *y),
            FS_SOURCE,
            HPos::Left,
            FontStyle::Normal,
            muted,
            "source muted",
        );
    }
}

/// What the post-processing adds to one element plotters wrote.
struct Mark {
    class: String,
    font_size: Option<u32>,
}

/// A plotters drawing area that remembers, in drawing order, the class of each element drawn.
///
/// Every method draws exactly one SVG element, so the n-th element of plotters' output gets the
/// n-th mark.
struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
    marks: Vec<Mark>,
}

fn at((x, y): (f64, f64)) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

impl Canvas<'_> {
    fn mark(&mut self, class: &str, font_size: Option<u32>) {
        self.marks.push(Mark {
            class: class.to_string(),
            font_size,
        });
    }

    fn rect(&mut self, from: (f64, f64), to: (f64, f64), colour: RGBColor, class: &str) {
        self.mark(class, None);
        let _ = self
            .area
            .draw(&Rectangle::new([at(from), at(to)], colour.filled()));
    }

    fn line(&mut self, points: &[(f64, f64)], colour: RGBColor, width: u32, class: &str) {
        self.mark(class, None);
        let points: Vec<_> = points.iter().copied().map(at).collect();
        let _ = self
            .area
            .draw(&PathElement::new(points, colour.stroke_width(width)));
    }

    fn polygon(&mut self, points: &[(f64, f64)], colour: RGBColor, class: &str) {
        self.mark(class, None);
        let points: Vec<_> = points.iter().copied().map(at).collect();
        let _ = self.area.draw(&Polygon::new(points, colour.filled()));
    }

    fn circle(&mut self, centre: (f64, f64), r: i32, colour: RGBColor, class: &str) {
        self.mark(class, None);
        let _ = self
            .area
            .draw(&Circle::new(at(centre), r, colour.stroke_width(2)));
    }

    /// Text vertically centred on `pos`.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        s: &str,
        pos: (f64, f64),
        size: u32,
        h: HPos,
        style: FontStyle,
        colour: RGBColor,
        class: &str,
    ) {
        self.text_at(
            s,
            pos,
            size,
            Pos::new(h, VPos::Center),
            style,
            colour,
            class,
        );
    }

    /// Text hanging below `pos`.
    fn text_top(
        &mut self,
        s: &str,
        pos: (f64, f64),
        size: u32,
        h: HPos,
        colour: RGBColor,
        class: &str,
    ) {
        let anchor = Pos::new(h, VPos::Top);
        self.text_at(s, pos, size, anchor, FontStyle::Normal, colour, class);
    }

    #[allow(clippy::too_many_arguments)]
    fn text_at(
        &mut self,
        s: &str,
        pos: (f64, f64),
        size: u32,
        anchor: Pos,
        style: FontStyle,
        colour: RGBColor,
        class: &str,
    ) {
        self.mark(class, Some(size));
        let font = FontDesc::new(FontFamily::SansSerif, f64::from(size), style)
            .color(&colour)
            .pos(anchor);
        let _ = self.area.draw(&Text::new(clean(s), at(pos), font));
    }

    /// Closes the document and hands back the marks.
    fn finish(self) -> Vec<Mark> {
        let _ = self.area.present();
        self.marks
    }
}

/// The root element, its title and description, and the style sheet.
fn head(chart: &Chart, width: f64, height: u32) -> String {
    let id = escape(&chart.id);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {height}" role="img" aria-labelledby="{id}-title {id}-desc" class="{ROOT_CLASS}">"#,
        width as u32
    );
    let _ = writeln!(
        out,
        r#"<title id="{id}-title">{}</title>"#,
        escape(&chart.title)
    );
    let _ = writeln!(
        out,
        r#"<desc id="{id}-desc">{}</desc>"#,
        escape(&chart.description)
    );
    out.push_str(&STYLE);
    out
}

/// The style sheet, the same in every drawing: written once, not for each of thousands.
static STYLE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut out = String::new();
    let _ = writeln!(out, r#"<style type="text/css">"#);
    style_rules(&mut out, &LIGHT);
    out.push_str("@media (prefers-color-scheme: dark) {\n");
    style_rules(&mut out, &DARK);
    out.push_str("}\n</style>\n");
    out
});

fn style_rules(out: &mut String, t: &Theme) {
    let r = ROOT_CLASS;
    let _ = writeln!(
        out,
        ".{r} text {{ font-family: {FONT_STACK}; fill: {}; }}",
        t.text
    );
    let _ = writeln!(out, ".{r} text.muted {{ fill: {}; }}", t.muted);
    let _ = writeln!(out, ".{r} .bg {{ fill: {}; }}", t.bg);
    let _ = writeln!(out, ".{r} .grid {{ stroke: {}; stroke-width: 1; }}", t.grid);
    let _ = writeln!(
        out,
        ".{r} .axis {{ stroke: {}; stroke-width: 1.5; }}",
        t.axis
    );
    for (i, c) in t.series.iter().enumerate() {
        let s = i + 1;
        let _ = writeln!(
            out,
            ".{r} .bar.s{s}, .{r} .more.s{s}, .{r} .swatch.s{s} {{ fill: {c}; }}"
        );
        let _ = writeln!(
            out,
            ".{r} .range.s{s} {{ fill: {c}; fill-opacity: 0.3; stroke: {c}; stroke-width: 1.5; }}"
        );
        let _ = writeln!(
            out,
            ".{r} .marker.s{s} {{ fill: {}; stroke: {c}; stroke-width: 2; }}",
            t.bg
        );
    }
}

/// Rewrites plotters' document: our root and head instead of its `<svg>` line, a class on
/// every element, font sizes in whole units, no font family (the style sheet sets it) and no
/// `opacity="1"`. Text elements are joined onto one line.
fn rewrite(raw: &str, marks: &[Mark], head: &str) -> String {
    let mut out = String::with_capacity(raw.len() + head.len() + marks.len() * 16);
    out.push_str(head);
    let mut marks = marks.iter();
    let mut lines = raw.lines().skip(1);
    while let Some(line) = lines.next() {
        let Some(tag) = line.strip_prefix('<').filter(|t| !t.starts_with('/')) else {
            if line == "</svg>" {
                out.push_str(line);
                out.push('\n');
            }
            continue;
        };
        let (tag, close) = match tag.strip_suffix("/>") {
            Some(t) => (t, "/>"),
            None => (tag.strip_suffix('>').unwrap_or(tag), ">"),
        };
        let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        let mark = marks.next();
        out.push('<');
        out.push_str(name);
        if let Some(m) = mark {
            let _ = write!(out, r#" class="{}""#, escape(&m.class));
        }
        for (key, value) in attributes(attrs) {
            match key {
                "opacity" if value == "1" => {}
                "font-family" => {}
                "font-size" => {
                    if let Some(size) = mark.and_then(|m| m.font_size) {
                        let _ = write!(out, r#" font-size="{size}""#);
                    }
                }
                _ => {
                    let _ = write!(out, r#" {key}="{value}""#);
                }
            }
        }
        out.push_str(close);
        if name == "text" && close == ">" {
            // Content, then `</text>`.
            out.push_str(lines.next().unwrap_or("").trim());
            out.push_str(lines.next().unwrap_or("</text>"));
        }
        out.push('\n');
    }
    out
}

/// `key="value"` pairs of a tag as plotters writes them (values already escaped).
fn attributes(s: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(eq) = rest.find("=\"") {
        let key = rest[..eq].trim();
        let after = &rest[eq + 2..];
        let Some(end) = after.find('"') else { break };
        out.push((key, &after[..end]));
        rest = &after[end + 1..];
    }
    out
}

/// Escapes text for XML content and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text as one line: control characters (newlines) become spaces.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Estimated width of `s` at font size `size`: CJK characters are one em wide, Latin letters
/// and digits about half. Errs on the wide side, so that labels are never cut off.
fn text_width(s: &str, size: u32) -> f64 {
    let ems: f64 = s.chars().map(ems).sum();
    ems * f64::from(size)
}

/// The width of one character, in ems (see [`text_width`]).
fn ems(c: char) -> f64 {
    match c {
        ' ' | 'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.32,
        'm' | 'w' | 'M' | 'W' | '%' => 0.88,
        'A'..='Z' => 0.68,
        '0'..='9' | 'a'..='z' => 0.57,
        c if c.is_ascii() => 0.5,
        _ => 1.0,
    }
}

/// Breaks `s` into lines no wider than `max`: between CJK characters or at spaces, never inside
/// a Latin word or number, never before closing punctuation.
///
/// Widths are added up as the line grows, in the order [`text_width`] adds them, so the
/// comparisons (and the lines) are exactly those of measuring every candidate line again, without
/// the time that takes on a long source line.
fn wrap(s: &str, size: u32, max: f64) -> Vec<String> {
    const CLOSING: &str = "，。、；：！？）」』》,.;:!?)";
    let s = clean(s);
    // Tokens: a run of ASCII characters other than space, or any other single character.
    let mut tokens: Vec<&str> = Vec::new();
    let (mut start, mut joined) = (0, false);
    for (i, c) in s.char_indices() {
        let joins = c.is_ascii() && c != ' ';
        if i > 0 && !(joins && joined) {
            tokens.push(&s[start..i]);
            start = i;
        }
        joined = joins;
    }
    if !s.is_empty() {
        tokens.push(&s[start..]);
    }
    // `all` is the sum of the line's widths, `text` the sum up to its last character that is
    // not whitespace (the width of the line without trailing spaces), `has_text` whether there
    // is one.
    let zero: f64 = std::iter::empty::<f64>().sum();
    let add = |sums: &mut (f64, f64, bool), t: &str| {
        for c in t.chars() {
            sums.0 += ems(c);
            if !c.is_whitespace() {
                sums.1 = sums.0;
                sums.2 = true;
            }
        }
    };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut sums = (zero, zero, false);
    for t in tokens {
        let closing = t.chars().all(|c| CLOSING.contains(c));
        let mut candidate = sums;
        add(&mut candidate, t);
        if sums.2 && !closing && candidate.1 * f64::from(size) > max {
            lines.push(line.trim().to_string());
            line = t.trim_start().to_string();
            sums = (zero, zero, false);
            add(&mut sums, &line);
        } else {
            line.push_str(t);
            sums = candidate;
        }
    }
    if sums.2 || lines.is_empty() {
        lines.push(line.trim().to_string());
    }
    lines
}

/// A colour from `#RRGGBB`.
fn rgb(hex: &str) -> RGBColor {
    let n = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0);
    RGBColor((n >> 16) as u8, (n >> 8) as u8, n as u8)
}

/// 30 % of `hex` over `bg`: the range segment's fill where the style sheet is not applied.
fn tint(hex: &str, bg: &str) -> RGBColor {
    let (RGBColor(r, g, b), RGBColor(br, bgg, bb)) = (rgb(hex), rgb(bg));
    let mix = |c: u8, b: u8| (f64::from(c) * 0.3 + f64::from(b) * 0.7).round() as u8;
    RGBColor(mix(r, br), mix(g, bgg), mix(b, bb))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::Row;
    use crate::facts::Unit;
    use crate::money::format_amount;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn zh() -> Strings {
        crate::strings::parse(
            Path::new("zh-CN.yaml"),
            include_str!("../../templates/strings/zh-CN.yaml"),
        )
        .unwrap()
    }

    fn cell(amount: Amount, s: &Strings) -> Option<Cell> {
        Some(Cell {
            amount,
            text: format_amount(amount, Unit::Usd, s),
            fact: "test/fact".into(),
        })
    }

    fn row(label: &str, cells: Vec<Option<Cell>>) -> Row {
        Row {
            label: label.into(),
            cells,
        }
    }

    /// The demo chart of the brief: funding and revenue of four companies.
    fn funding_vs_revenue(s: &Strings) -> Chart {
        Chart {
            id: "funding-vs-revenue".into(),
            title: "融资与营收：差距 <十倍> & 更多".into(),
            description: "OpenAI融资130亿美元，\"营收\"约16亿美元。".into(),
            series: vec!["融资额".into(), "营收".into()],
            rows: vec![
                row(
                    "OpenAI",
                    vec![
                        cell(
                            Amount::Exact {
                                value: 13_000_000_000,
                            },
                            s,
                        ),
                        cell(
                            Amount::About {
                                value: 1_600_000_000,
                            },
                            s,
                        ),
                    ],
                ),
                row(
                    "Anthropic",
                    vec![
                        cell(
                            Amount::MoreThan {
                                value: 7_000_000_000,
                            },
                            s,
                        ),
                        cell(
                            Amount::Range {
                                low: 150_000_000,
                                high: 200_000_000,
                            },
                            s,
                        ),
                    ],
                ),
                row(
                    "Stability AI",
                    vec![
                        cell(Amount::Exact { value: 101_000_000 }, s),
                        cell(Amount::About { value: 60_000_000 }, s),
                    ],
                ),
                row(
                    "Inflection AI",
                    vec![
                        cell(
                            Amount::Exact {
                                value: 1_500_000_000,
                            },
                            s,
                        ),
                        cell(Amount::Negligible, s),
                    ],
                ),
            ],
            unit: Unit::Usd,
            scale: Scale::Log,
            source_line: "来源：The Information、路透社、彭博社、公司公告".into(),
        }
    }

    fn root(svg: &str) -> &str {
        let start = svg.find("<svg").expect("no <svg>");
        &svg[start..start + svg[start..].find('>').unwrap()]
    }

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    /// Contents of every `<text>` element.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text")
            .skip(1)
            .map(|t| {
                let content = &t[t.find('>').unwrap() + 1..];
                content[..content.find("</text>").unwrap()].to_string()
            })
            .collect()
    }

    #[test]
    fn root_scales_and_is_labelled() {
        let s = zh();
        let svg = render(&funding_vs_revenue(&s), &s, Width::Wide);
        let root = root(&svg);
        assert!(
            root.contains(r#"xmlns="http://www.w3.org/2000/svg""#),
            "{root}"
        );
        assert!(root.contains(r#"viewBox="0 0 720 "#), "{root}");
        assert!(root.contains(r#"role="img""#), "{root}");
        assert!(
            root.contains(r#"aria-labelledby="funding-vs-revenue-title funding-vs-revenue-desc""#),
            "{root}"
        );
        assert!(!root.contains("width="), "{root}");
        assert!(!root.contains("height="), "{root}");
        // Title and description come first, escaped; the title is not drawn.
        let after = &svg[svg.find('>').unwrap() + 1..].trim_start();
        assert!(after.starts_with(
            "<title id=\"funding-vs-revenue-title\">融资与营收：差距 &lt;十倍&gt; &amp; 更多</title>\n<desc id=\"funding-vs-revenue-desc\">OpenAI融资130亿美元，&quot;营收&quot;约16亿美元。</desc>"
        ), "{after}");
        assert!(!texts(&svg).iter().any(|t| t.contains("差距")));
        assert_eq!(count(&svg, "<style"), 1);
        assert!(svg.contains("@media (prefers-color-scheme: dark)"));
        assert!(svg.contains(r#""PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif"#));
    }

    #[test]
    fn every_label_is_drawn() {
        let s = zh();
        let chart = funding_vs_revenue(&s);
        let svg = render(&chart, &s, Width::Wide);
        let texts = texts(&svg);
        let mut wanted: Vec<String> = vec![
            "OpenAI",
            "Anthropic",
            "Stability AI",
            "Inflection AI",
            "融资额",
            "营收",
            "130亿美元",
            "约16亿美元",
            "超过70亿美元",
            "1.5亿至2亿美元",
            "1.01亿美元",
            "约6000万美元",
            "15亿美元",
            "几乎为零",
            "对数刻度：每格代表十倍",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        wanted.push(chart.source_line.clone());
        for w in &wanted {
            assert!(texts.contains(w), "no <text> for {w}: {texts:?}");
        }
        assert!(texts.iter().all(|t| !t.trim().is_empty()), "{texts:?}");
        // Tick labels at powers of ten, with the unit.
        for t in ["1000万美元", "1亿美元", "10亿美元", "100亿美元"] {
            assert!(texts.contains(&t.to_string()), "no tick {t}: {texts:?}");
        }
    }

    #[test]
    fn undisclosed_and_negligible_are_never_bars() {
        let s = zh();
        let mut chart = funding_vs_revenue(&s);
        chart.rows[0].cells[1] = cell(Amount::Undisclosed, &s);
        let svg = render(&chart, &s, Width::Wide);
        // Eight cells, two without a figure: six bars, two hollow markers, two muted labels.
        assert_eq!(count(&svg, r#"class="bar "#), 6, "{svg}");
        assert_eq!(count(&svg, r#"class="marker s2""#), 2, "{svg}");
        assert!(svg.contains(r#"class="label muted""#));
        let muted: Vec<_> = svg
            .lines()
            .filter(|l| l.starts_with(r#"<text class="label muted""#))
            .collect();
        assert_eq!(muted.len(), 2, "{muted:?}");
        assert!(
            muted[0].contains(">未披露</text>") && muted[0].contains("italic"),
            "{muted:?}"
        );
        assert!(muted[1].contains(">几乎为零</text>"), "{muted:?}");
    }

    #[test]
    fn a_missing_cell_draws_nothing() {
        let s = zh();
        let mut chart = funding_vs_revenue(&s);
        chart.rows[2].cells[1] = None;
        let svg = render(&chart, &s, Width::Wide);
        assert_eq!(count(&svg, r#"class="bar "#), 6);
        assert!(!texts(&svg).contains(&"约6000万美元".to_string()));
    }

    #[test]
    fn ranges_and_more_than_have_their_own_shapes() {
        let s = zh();
        let svg = render(&funding_vs_revenue(&s), &s, Width::Wide);
        assert_eq!(count(&svg, r#"class="range s2""#), 1, "{svg}");
        assert_eq!(count(&svg, r#"class="more s1""#), 1, "{svg}");
        // The range segment starts where the solid bar to its low end stops.
        let rect = |class: &str| {
            let line = svg.lines().find(|l| l.contains(class)).unwrap();
            let num = |a: &str| -> i32 {
                let v = &line[line.find(&format!(" {a}=\"")).unwrap() + a.len() + 3..];
                v[..v.find('"').unwrap()].parse().unwrap()
            };
            (num("x"), num("y"), num("width"))
        };
        let (rx, ry, rw) = rect(r#"class="range s2""#);
        assert!(rw > 3, "range segment too thin: {rw}");
        let bar = svg
            .lines()
            .filter(|l| l.contains(r#"class="bar s2""#))
            .find(|l| l.contains(&format!(r#" y="{ry}""#)))
            .unwrap();
        assert!(bar.contains(r#" x=""#));
        let number = |name: &str| -> i32 {
            let value = bar.split(&format!(" {name}=\"")).nth(1).unwrap();
            value.split('"').next().unwrap().parse().unwrap()
        };
        let (bx, bw) = (number("x"), number("width"));
        assert_eq!(bx + bw, rx);
        // "Several" is a range from the value to ten times it.
        let mut chart = funding_vs_revenue(&s);
        chart.rows[2].cells[1] = cell(Amount::Several { value: 1_000_000 }, &s);
        let svg = render(&chart, &s, Width::Wide);
        assert_eq!(count(&svg, r#"class="range s2""#), 2);
        assert!(texts(&svg).contains(&"数百万美元".to_string()));
    }

    #[test]
    fn the_log_scale_says_so() {
        let s = zh();
        let mut chart = funding_vs_revenue(&s);
        let note = "对数刻度：每格代表十倍";
        assert!(texts(&render(&chart, &s, Width::Wide)).contains(&note.to_string()));
        chart.scale = Scale::Linear;
        let svg = render(&chart, &s, Width::Wide);
        assert!(!svg.contains(note));
        // Linear ticks start at zero, in round steps.
        let texts = texts(&svg);
        for t in ["0", "50亿美元", "100亿美元", "150亿美元"] {
            assert!(texts.contains(&t.to_string()), "no tick {t}: {texts:?}");
        }
    }

    #[test]
    fn axes_cover_the_data() {
        let log = |v: &[Shape]| Axis::new(Scale::Log, v);
        let bar = |v: f64| Shape::Bar {
            solid: v,
            to: None,
            more: false,
        };
        assert_eq!(log(&[bar(6e7), bar(1.3e10)]), Axis::Log { lo: 7, hi: 11 });
        // A value at a power of ten is not put on the axis start.
        assert_eq!(log(&[bar(1e7), bar(1e10)]), Axis::Log { lo: 6, hi: 10 });
        assert_eq!(log(&[bar(1.01e8), bar(1e10)]), Axis::Log { lo: 7, hi: 10 });
        assert_eq!(
            log(&[Shape::Bar {
                solid: 1e6,
                to: Some(1e7),
                more: false
            }]),
            Axis::Log { lo: 5, hi: 7 }
        );
        assert_eq!(log(&[Shape::Marker]), Axis::Log { lo: 0, hi: 1 });
        assert_eq!(
            Axis::new(Scale::Linear, &[bar(1.3e10)]),
            Axis::Linear {
                step: 5e9,
                max: 1.5e10
            }
        );
        assert_eq!(
            Axis::new(Scale::Linear, &[bar(20.0)]),
            Axis::Linear {
                step: 5.0,
                max: 20.0
            }
        );
    }

    #[test]
    fn rendering_is_deterministic() {
        let s = zh();
        let chart = funding_vs_revenue(&s);
        assert_eq!(
            render(&chart, &s, Width::Wide),
            render(&chart, &s, Width::Wide)
        );
    }

    #[test]
    fn one_series_has_no_legend() {
        let s = zh();
        let mut chart = funding_vs_revenue(&s);
        chart.series.truncate(1);
        for r in &mut chart.rows {
            r.cells.truncate(1);
        }
        let svg = render(&chart, &s, Width::Wide);
        assert_eq!(count(&svg, r#"class="swatch "#), 0, "{svg}");
        assert_eq!(count(&svg, r#"class="legend""#), 0);
        assert_eq!(
            count(
                &render(&funding_vs_revenue(&s), &s, Width::Wide),
                r#"class="swatch "#
            ),
            2
        );
    }

    #[test]
    fn labels_fit_inside_the_view_box() {
        let s = zh();
        let mut chart = funding_vs_revenue(&s);
        chart.rows[0].cells[0] = cell(
            Amount::Range {
                low: 13_000_000_000,
                high: 330_000_000_000,
            },
            &s,
        );
        chart.rows[0].label = "一家名字非常非常长的人工智能初创公司".into();
        for (svg, limit) in [Width::Wide, Width::Narrow].into_iter().flat_map(|w| {
            [
                (render(&funding_vs_revenue(&s), &s, w), w.units()),
                (render(&chart, &s, w), w.units()),
            ]
        }) {
            for line in svg.lines().filter(|l| l.starts_with("<text")) {
                let attr = |a: &str| {
                    line.split(&format!(" {a}=\""))
                        .nth(1)
                        .unwrap()
                        .split('"')
                        .next()
                        .unwrap()
                };
                let x: f64 = attr("x").parse().unwrap();
                let size: u32 = attr("font-size").parse().unwrap();
                let content = &line[line.find('>').unwrap() + 1..line.find("</text>").unwrap()];
                let w = text_width(content, size);
                let (from, to) = match attr("text-anchor") {
                    "start" => (x, x + w),
                    "end" => (x - w, x),
                    _ => (x - w / 2.0, x + w / 2.0),
                };
                assert!(from >= 0.0 && to <= limit, "{line} spans {from}..{limit}");
            }
        }
    }

    #[test]
    fn every_element_has_a_class_and_the_document_is_well_formed() {
        let s = zh();
        let mut chart = funding_vs_revenue(&s);
        chart.rows[1].cells[0] = cell(Amount::Undisclosed, &s);
        chart.rows[2].cells[0] = None;
        chart.series.push("支出".into());
        chart.rows[3].cells.push(cell(
            Amount::Several {
                value: 1_000_000_000,
            },
            &s,
        ));
        for scale in [Scale::Log, Scale::Linear] {
            chart.scale = scale;
            let svg = render(&chart, &s, Width::Wide);
            check_xml(&svg);
            for line in svg.lines() {
                for tag in [
                    "<rect",
                    "<line",
                    "<polyline",
                    "<polygon",
                    "<circle",
                    "<text",
                ] {
                    if line.starts_with(tag) {
                        assert!(line.starts_with(&format!("{tag} class=\"")), "{line}");
                    }
                }
            }
        }
    }

    /// Checks tags balance, attributes are known SVG attributes and appear once, ids are unique,
    /// and `&` only starts an entity.
    fn check_xml(svg: &str) {
        const KNOWN: &[&str] = &[
            "xmlns",
            "viewBox",
            "role",
            "aria-labelledby",
            "class",
            "id",
            "type",
            "x",
            "y",
            "dy",
            "width",
            "height",
            "fill",
            "stroke",
            "stroke-width",
            "opacity",
            "points",
            "cx",
            "cy",
            "r",
            "text-anchor",
            "font-size",
            "font-weight",
            "font-style",
        ];
        let mut stack: Vec<String> = Vec::new();
        let mut ids = BTreeSet::new();
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            check_text(&rest[..open]);
            let close = open + rest[open..].find('>').expect("unclosed tag");
            let tag = &rest[open + 1..close];
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
            } else {
                let self_closing = tag.ends_with('/');
                let tag = tag.trim_end_matches('/');
                let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
                let mut seen = BTreeSet::new();
                let mut attrs = attrs.trim();
                while !attrs.is_empty() {
                    let eq = attrs
                        .find("=\"")
                        .unwrap_or_else(|| panic!("bad attribute in <{tag}>"));
                    let key = &attrs[..eq];
                    let value_end = eq + 2 + attrs[eq + 2..].find('"').unwrap();
                    let value = &attrs[eq + 2..value_end];
                    assert!(KNOWN.contains(&key), "unknown attribute {key} in <{tag}>");
                    assert!(seen.insert(key), "duplicate {key} in <{tag}>");
                    assert!(!value.contains('<'));
                    check_text(value);
                    if key == "id" {
                        assert!(ids.insert(value.to_string()), "duplicate id {value}");
                    }
                    attrs = attrs[value_end + 1..].trim_start();
                }
                if !self_closing {
                    stack.push(name.to_string());
                }
            }
            rest = &rest[close + 1..];
        }
        check_text(rest);
        assert!(stack.is_empty(), "unclosed {stack:?}");
    }

    fn check_text(t: &str) {
        for (i, _) in t.match_indices('&') {
            let entity = &t[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "bare & in {t}"
            );
        }
    }

    #[test]
    fn colours_reach_wcag_contrast() {
        fn luminance(hex: &str) -> f64 {
            let RGBColor(r, g, b) = rgb(hex);
            let lin = |c: u8| {
                let c = f64::from(c) / 255.0;
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
        }
        fn contrast(a: &str, b: &str) -> f64 {
            let (a, b) = (luminance(a), luminance(b));
            (a.max(b) + 0.05) / (a.min(b) + 0.05)
        }
        for t in [&LIGHT, &DARK] {
            assert!(contrast(t.text, t.bg) >= 4.5, "{}", t.text);
            assert!(contrast(t.muted, t.bg) >= 4.5, "{}", t.muted);
            assert!(contrast(t.axis, t.bg) >= 3.0, "{}", t.axis);
            for c in t.series {
                assert!(contrast(c, t.bg) >= 3.0, "{c} on {}", t.bg);
            }
        }
    }

    #[test]
    fn wrapping_keeps_words_and_punctuation() {
        assert_eq!(wrap("OpenAI", 16, 100.0), vec!["OpenAI"]);
        let lines = wrap("来源：The Information、路透社、彭博社", 14, 120.0);
        assert!(lines.iter().all(|l| !l.starts_with('、')), "{lines:?}");
        assert!(
            lines.concat().replace(' ', "").contains("TheInformation"),
            "{lines:?}"
        );
        assert!(lines.iter().any(|l| l.contains("Information")), "{lines:?}");
        assert!(lines.len() > 1);
        assert_eq!(escape(r#"<a & "b">"#), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}
