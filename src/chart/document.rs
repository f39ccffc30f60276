//! The SVG document of a chart: its root, title and description, the style sheet, plotters'
//! drawing, and each value's detail over its mark.
//!
//! Plotters' document is nested whole inside ours, written smaller by
//! [`compact`](super::compact) but with its colours as plotters wrote them: the style sheet
//! restyles it by those colours (see [`theme`](super::theme)), and the details are separate
//! elements after it. A standalone file (for embeds and downloads) is an image with its
//! source line; the drawing inlined in a page has no source line (the page prints it under the
//! chart) and its values can be reached with the keyboard, each announced with its detail (its
//! `<title>`, which names the value's group: no second copy in `aria-label`).

use std::fmt::Write as _;

use super::Chart;
use super::compact::compact;
use super::layout::{Layout, Width};
use super::plot;
use super::text::clean;
use super::theme::{ROOT_CLASS, STYLE};
use crate::html::escape as html_escape;
use crate::strings::Strings;

/// Where a drawing is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Its own file (`charts/<id>.svg`): an image with its source line.
    Standalone,
    /// Inside a page, which prints the source line: a group of focusable values.
    Inline,
}

/// Draws `chart` as an SVG document (UTF-8 text) at `width` for `variant`.
///
/// The root has a `viewBox` but no fixed size, so the drawing scales to its container; its
/// `<title>` and `<desc>` carry the chart's title and description for screen readers; the title
/// is not drawn, since the page shows it as the figure caption. The output depends only on
/// `chart` and `strings`: the same input gives the same bytes on every run and machine.
pub fn render(
    chart: &Chart,
    strings: &Strings,
    width: Width,
    variant: Variant,
) -> Result<String, String> {
    let layout = Layout::new(chart, strings, width, variant == Variant::Standalone);
    let mut drawing = String::new();
    let hits = plot::draw(chart, &layout, &mut drawing)?;
    let id = match (variant, width) {
        (Variant::Standalone, _) => escape(&chart.id),
        (Variant::Inline, Width::Wide) => format!("chart-{}-wide", escape(&chart.id)),
        (Variant::Inline, Width::Narrow) => format!("chart-{}-narrow", escape(&chart.id)),
    };
    let role = match variant {
        Variant::Standalone => "img",
        Variant::Inline => "group",
    };
    let mut out = String::with_capacity(drawing.len() + STYLE.len() + 2048);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="{role}" aria-labelledby="{id}-title {id}-desc" class="{ROOT_CLASS}">"#,
        layout.width as u32,
        layout.height.round() as u32
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
    if variant == Variant::Standalone {
        out.push_str(&STYLE);
    }
    out.push_str("<g aria-hidden=\"true\">\n");
    out.push_str(compact(&drawing).trim_end());
    out.push_str("\n</g>\n");
    for h in &hits {
        let detail = escape(&h.detail);
        let rect = format!(
            r#"<rect class="detail" x="{:.0}" y="{:.0}" width="{:.0}" height="{:.0}"/>"#,
            h.from.0,
            h.from.1,
            h.to.0 - h.from.0,
            h.to.1 - h.from.1
        );
        let _ = match variant {
            Variant::Standalone => writeln!(out, "<g><title>{detail}</title>{rect}</g>"),
            Variant::Inline => writeln!(
                out,
                r#"<g class="value" tabindex="0" role="img"><title>{detail}</title>{rect}</g>"#
            ),
        };
    }
    out.push_str("</svg>\n");
    Ok(out)
}

/// Escapes text for XML content and attribute values, on one line.
fn escape(s: &str) -> String {
    html_escape(&clean(s))
}
