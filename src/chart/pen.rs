//! Drawing primitives on plotters' SVG backend, in the chart's coordinates (viewBox units).
//!
//! Every method draws through plotters and hands back its error, so a drawing that fails fails
//! the build instead of leaving a chart half drawn.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle};

/// A drawing error, in words.
pub type DrawError = String;

/// What a drawing step returns.
pub type Drawn = Result<(), DrawError>;

/// A colour from `#RRGGBB`.
pub fn rgb(hex: &str) -> RGBColor {
    let n = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0);
    RGBColor((n >> 16) as u8, (n >> 8) as u8, n as u8)
}

/// Horizontal alignment of text at its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text starts at the position.
    Start,
    /// Text is centred on it.
    Middle,
    /// Text ends at it.
    End,
}

/// How text is set.
#[derive(Debug, Clone, Copy)]
pub struct Font {
    /// Size in viewBox units.
    pub size: f64,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// `#RRGGBB`.
    pub colour: &'static str,
}

/// A plotters drawing area of the chart's size.
pub struct Pen<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
}

fn at((x, y): (f64, f64)) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

fn failed(e: impl std::fmt::Display) -> DrawError {
    format!("drawing failed: {e}")
}

impl<'a> Pen<'a> {
    /// A pen drawing into `out`, `width` × `height` units.
    pub fn new(out: &'a mut String, width: u32, height: u32) -> Pen<'a> {
        Pen {
            area: SVGBackend::with_string(out, (width, height)).into_drawing_area(),
        }
    }

    /// A filled rectangle.
    pub fn rect(&self, from: (f64, f64), to: (f64, f64), fill: &str) -> Drawn {
        self.area
            .draw(&Rectangle::new([at(from), at(to)], rgb(fill).filled()))
            .map_err(failed)
    }

    /// A rectangle's outline.
    pub fn outline(&self, from: (f64, f64), to: (f64, f64), stroke: &str, width: u32) -> Drawn {
        self.area
            .draw(&Rectangle::new(
                [at(from), at(to)],
                rgb(stroke).stroke_width(width),
            ))
            .map_err(failed)
    }

    /// A line through `points`.
    pub fn line(&self, points: &[(f64, f64)], stroke: &str, width: u32) -> Drawn {
        let points: Vec<_> = points.iter().copied().map(at).collect();
        self.area
            .draw(&PathElement::new(points, rgb(stroke).stroke_width(width)))
            .map_err(failed)
    }

    /// A dashed straight line from `from` to `to`: dashes of 4 units, gaps of 3.
    pub fn dashed(&self, from: (f64, f64), to: (f64, f64), stroke: &str, width: u32) -> Drawn {
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let len = dx.hypot(dy);
        let mut t = 0.0;
        while t < len {
            let end = (t + 4.0).min(len);
            let p = |s: f64| (from.0 + dx * s / len, from.1 + dy * s / len);
            self.line(&[p(t), p(end)], stroke, width)?;
            t += 7.0;
        }
        Ok(())
    }

    /// A dashed rectangle outline.
    pub fn dashed_box(&self, from: (f64, f64), to: (f64, f64), stroke: &str) -> Drawn {
        let corners = [from, (to.0, from.1), to, (from.0, to.1), from];
        for w in corners.windows(2) {
            self.dashed(w[0], w[1], stroke, 1)?;
        }
        Ok(())
    }

    /// A filled polygon.
    pub fn polygon(&self, points: &[(f64, f64)], fill: &str) -> Drawn {
        let points: Vec<_> = points.iter().copied().map(at).collect();
        self.area
            .draw(&Polygon::new(points, rgb(fill).filled()))
            .map_err(failed)
    }

    /// A circle, filled with `fill` (if any) and outlined with `stroke` (if any).
    pub fn circle(
        &self,
        centre: (f64, f64),
        r: f64,
        fill: Option<&str>,
        stroke: Option<&str>,
    ) -> Drawn {
        let r = r.round() as i32;
        if let Some(fill) = fill {
            self.area
                .draw(&Circle::new(at(centre), r, rgb(fill).filled()))
                .map_err(failed)?;
        }
        if let Some(stroke) = stroke {
            self.area
                .draw(&Circle::new(at(centre), r, rgb(stroke).stroke_width(2)))
                .map_err(failed)?;
        }
        Ok(())
    }

    /// A circle drawn as eight dashes.
    pub fn dashed_circle(&self, centre: (f64, f64), r: f64, stroke: &str) -> Drawn {
        for i in 0..8 {
            let a = f64::from(i) * std::f64::consts::FRAC_PI_4;
            let arc: Vec<(f64, f64)> = (0..=4)
                .map(|k| {
                    let t = a + f64::from(k) * 0.1;
                    (centre.0 + r * t.cos(), centre.1 + r * t.sin())
                })
                .collect();
            self.line(&arc, stroke, 2)?;
        }
        Ok(())
    }

    /// One line of text vertically centred on `pos`.
    pub fn text(&self, s: &str, pos: (f64, f64), align: Align, font: Font) -> Drawn {
        let h = match align {
            Align::Start => HPos::Left,
            Align::Middle => HPos::Center,
            Align::End => HPos::Right,
        };
        let style = match (font.bold, font.italic) {
            (true, _) => FontStyle::Bold,
            (false, true) => FontStyle::Italic,
            (false, false) => FontStyle::Normal,
        };
        // Plotters writes a size of `size / 1.24`.
        let desc = FontDesc::new(FontFamily::SansSerif, font.size * 1.24, style)
            .color(&rgb(font.colour))
            .pos(Pos::new(h, VPos::Center));
        self.area
            .draw(&Text::new(super::text::clean(s), at(pos), desc))
            .map_err(failed)
    }

    /// Ends the document.
    pub fn finish(self) -> Drawn {
        self.area.present().map_err(failed)
    }
}
