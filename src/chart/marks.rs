//! The one visual form of each qualifier, the same in every chart, and the key explaining them.
//!
//! | qualifier | bar (from zero) | dot (position) |
//! |---|---|---|
//! | exact | solid bar | solid dot |
//! | about | solid bar, its end in a dashed box | solid dot in a dashed ring |
//! | nearly | solid bar stopping just short of a line at the value | dot just short of the line |
//! | more than | solid bar, then an arrowhead: the value lies further on | dot, then an arrowhead |
//! | up to | hollow bar closed by a thick cap at the value: anywhere up to it | the cap, with a line back |
//! | range | solid bar to the low end, a light outlined segment to the high end | the light outlined segment |
//! | several (数X) | as a range from the order of magnitude to ten times it, dashed | the same |
//! | negligible | no bar: a small diamond at zero | the diamond at the axis start |
//! | undisclosed, or no number | no bar: a dashed empty ring at the axis start | the same |
//!
//! Every mark is also labelled with its figure as the site prints it (`约16亿美元`).

use super::Value;
use super::pen::{Drawn, Pen};
use super::theme::LIGHT;

/// Height of a bar; dots and other marks are sized to match.
pub const BAR_H: f64 = 20.0;
/// Radius of a dot.
const DOT_R: f64 = 6.0;

/// How values are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Length from zero.
    Bar,
    /// Position.
    Dot,
}

/// The visual forms, one per qualifier (and one for computed values without a number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Form {
    /// Exact.
    Exact,
    /// About.
    About,
    /// Nearly.
    Nearly,
    /// More than.
    MoreThan,
    /// Up to.
    UpTo,
    /// Range.
    Range,
    /// Several.
    Several,
    /// Negligible.
    Negligible,
    /// Undisclosed.
    Undisclosed,
    /// A computed value without a number.
    NotComputed,
}

impl Form {
    /// The form of `v`.
    pub fn of(v: Value) -> Form {
        match v {
            Value::Exact(_) => Form::Exact,
            Value::About(_) => Form::About,
            Value::Nearly(_) => Form::Nearly,
            Value::MoreThan(_) => Form::MoreThan,
            Value::UpTo(_) => Form::UpTo,
            Value::Range(..) => Form::Range,
            Value::Several(_) => Form::Several,
            Value::Negligible => Form::Negligible,
            Value::Undisclosed => Form::Undisclosed,
            Value::NotComputed => Form::NotComputed,
        }
    }

    /// The strings key of the form's name in the key.
    pub fn key(self) -> &'static str {
        match self {
            Form::Exact => "key_exact",
            Form::About => "key_about",
            Form::Nearly => "key_nearly",
            Form::MoreThan => "key_more_than",
            Form::UpTo => "key_up_to",
            Form::Range => "key_range",
            Form::Several => "key_several",
            Form::Negligible => "key_negligible",
            Form::Undisclosed => "key_undisclosed",
            Form::NotComputed => "key_not_computed",
        }
    }

    /// Whether the mark is drawn off the scale, at the axis start, with a muted label.
    pub fn off_scale(self) -> bool {
        matches!(
            self,
            Form::Negligible | Form::Undisclosed | Form::NotComputed
        )
    }

    /// A typical value of the form, for drawing it in the key.
    fn sample(self) -> Value {
        match self {
            Form::Exact => Value::Exact(0.8),
            Form::About => Value::About(0.8),
            Form::Nearly => Value::Nearly(0.8),
            Form::MoreThan => Value::MoreThan(0.6),
            Form::UpTo => Value::UpTo(0.8),
            Form::Range => Value::Range(0.4, 0.9),
            Form::Several => Value::Several(0.09),
            Form::Negligible => Value::Negligible,
            Form::Undisclosed => Value::Undisclosed,
            Form::NotComputed => Value::NotComputed,
        }
    }
}

/// Where a mark goes: the axis start, the row's centre line, and the scale.
pub struct Place<'a> {
    /// Left end of the axis (zero for bars).
    pub x0: f64,
    /// Vertical centre.
    pub y: f64,
    /// Position of a value.
    pub x: &'a dyn Fn(f64) -> f64,
}

/// Where a drawn mark ends on each side, for placing its label.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    /// Leftmost point.
    pub left: f64,
    /// Rightmost point.
    pub right: f64,
    /// The point a joining line meets.
    pub anchor: f64,
}

/// Room a mark takes beyond its value on the right (an arrowhead, a dashed box).
pub const OVERHANG: f64 = 14.0;

/// Draws `v` as `mark` in series colour `k`.
///
/// Longer than most functions here on purpose: one short arm per form of value, side by side,
/// so that how the forms differ (and where each one's extent ends) reads in one place.
pub fn draw(pen: &Pen, mark: Mark, v: Value, at: &Place, k: usize) -> Result<Extent, String> {
    let colour = LIGHT.series[k % 4];
    let y = at.y;
    let (top, bottom) = match mark {
        Mark::Bar => (y - BAR_H / 2.0, y + BAR_H / 2.0),
        Mark::Dot => (y - DOT_R, y + DOT_R),
    };
    let x = |v: f64| (at.x)(v);
    let bar = |to: f64| -> Drawn {
        if mark == Mark::Bar && to > at.x0 {
            pen.rect((at.x0, top), (to.max(at.x0 + 2.0), bottom), colour)?;
        }
        Ok(())
    };
    let dot = |cx: f64| -> Drawn {
        if mark == Mark::Dot {
            pen.circle((cx, y), DOT_R, Some(colour), None)?;
        }
        Ok(())
    };
    let from = if mark == Mark::Bar { at.x0 } else { f64::NAN };
    let extent = |left: f64, right: f64, anchor: f64| Extent {
        left: if from.is_nan() { left } else { from },
        right,
        anchor,
    };
    Ok(match v {
        Value::Exact(v) => {
            let e = x(v);
            bar(e)?;
            dot(e)?;
            extent(e - DOT_R, e.max(at.x0 + 2.0), e)
        }
        Value::About(v) => {
            let e = x(v);
            bar(e)?;
            dot(e)?;
            let r = DOT_R + 4.0;
            match mark {
                Mark::Bar => {
                    pen.dashed_box((e - 7.0, top - 3.0), (e + 7.0, bottom + 3.0), colour)?
                }
                Mark::Dot => pen.dashed_circle((e, y), r, colour)?,
            }
            extent(e - r, e + r.max(7.0), e)
        }
        Value::Nearly(v) => {
            let e = x(v);
            let stop = e - DOT_R - 2.0;
            bar(stop)?;
            dot(stop)?;
            pen.line(&[(e, top - 4.0), (e, bottom + 4.0)], colour, 2)?;
            extent(stop - DOT_R, e + 1.0, stop)
        }
        Value::MoreThan(v) => {
            let e = x(v);
            bar(e)?;
            dot(e)?;
            let s = if mark == Mark::Dot {
                e + DOT_R + 1.0
            } else {
                e + 1.0
            };
            pen.polygon(&[(s, top - 2.0), (s + 11.0, y), (s, bottom + 2.0)], colour)?;
            extent(e - DOT_R, s + 11.0, e)
        }
        Value::UpTo(v) => {
            let e = x(v);
            let back = if mark == Mark::Bar {
                at.x0
            } else {
                (e - 28.0).max(at.x0)
            };
            if mark == Mark::Bar {
                pen.outline((at.x0, top), (e, bottom), colour, 2)?;
            } else {
                pen.line(&[(back, y), (e, y)], colour, 2)?;
            }
            pen.line(&[(e, top - 4.0), (e, bottom + 4.0)], colour, 4)?;
            extent(back, e + 2.0, e)
        }
        Value::Range(l, h) => segment(pen, mark, at, k, x(l), x(h), false)?,
        Value::Several(v) => segment(pen, mark, at, k, x(v), x(v * 10.0), true)?,
        Value::Negligible => {
            let c = at.x0 + 7.0;
            let d = 6.0;
            pen.polygon(
                &[(c - d, y), (c, y - d), (c + d, y), (c, y + d)],
                LIGHT.muted,
            )?;
            Extent {
                left: c - d,
                right: c + d,
                anchor: c,
            }
        }
        Value::Undisclosed | Value::NotComputed => {
            let c = at.x0 + 9.0;
            pen.dashed_circle((c, y), DOT_R + 1.0, LIGHT.muted)?;
            Extent {
                left: c - DOT_R - 1.0,
                right: c + DOT_R + 2.0,
                anchor: c,
            }
        }
    })
}

/// A range (or an order of magnitude, `dashed`) from `lo` to `hi`: for bars, a solid bar to the
/// low end first.
fn segment(
    pen: &Pen,
    mark: Mark,
    at: &Place,
    k: usize,
    lo: f64,
    hi: f64,
    dashed: bool,
) -> Result<Extent, String> {
    let (colour, tint) = (LIGHT.series[k % 4], LIGHT.tint[k % 4]);
    let half = match mark {
        Mark::Bar => BAR_H / 2.0,
        Mark::Dot => DOT_R,
    };
    let (top, bottom) = (at.y - half, at.y + half);
    let hi = hi.max(lo + 6.0);
    if mark == Mark::Bar && lo > at.x0 {
        pen.rect((at.x0, top), (lo, bottom), colour)?;
    }
    pen.rect((lo, top), (hi, bottom), tint)?;
    if dashed {
        pen.dashed_box((lo, top), (hi, bottom), colour)?;
    } else {
        pen.outline((lo, top), (hi, bottom), colour, 2)?;
    }
    Ok(Extent {
        left: if mark == Mark::Bar { at.x0 } else { lo },
        right: hi,
        anchor: (lo + hi) / 2.0,
    })
}

/// Width a key glyph takes on the scale; marks off the scale take less.
const GLYPH_W: f64 = 44.0;

impl Form {
    /// Width of the form's glyph in the key.
    pub fn glyph_width(self) -> f64 {
        if self.off_scale() { 22.0 } else { GLYPH_W }
    }
}

/// Draws the form's glyph for the key, at most [`Form::glyph_width`] wide, centred vertically on
/// `y`; returns where it ends.
pub fn glyph(pen: &Pen, form: Form, mark: Mark, x: f64, y: f64) -> Result<f64, String> {
    let span = GLYPH_W - OVERHANG;
    let scale = move |v: f64| x + v * span;
    let place = Place {
        x0: x,
        y,
        x: &scale,
    };
    draw(pen, mark, form.sample(), &place, 0).map(|e| e.right)
}
