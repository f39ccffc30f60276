//! A card's SVG: a newsroom share image. The site's name over a rule, the page's title large
//! (up to three lines), then the key figure with what it counts, a small bar chart, or the
//! page's summary; the source and the site's address at the foot. Flat colours, so the PNG
//! stays small; every colour pair passes WCAG AA.

use std::fmt::Write;

use super::layout::{one_line, wrap};
use super::{Body, Card, HEIGHT, WIDTH, font};

/// Rows a card's chart shows at most.
pub const CHART_ROWS: usize = 4;

const PAPER: &str = "#fff1e5";
const INK: &str = "#1a1817";
const ACCENT: &str = "#990f3d";
const QUIET: &str = "#5c5651";
const BAR: &str = "#0f5499";
const RANGE: &str = "#8fb4d9";
const RULE: &str = "#d9cbbf";

const MARGIN: f64 = 64.0;

/// The SVG of `card`: the site's name, the title, the body and the foot, top to bottom.
pub fn svg(card: &Card) -> String {
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{}" font-weight="700">"#,
        font::FAMILY
    );
    let _ = write!(
        s,
        r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="{PAPER}"/><rect width="{WIDTH}" height="12" fill="{ACCENT}"/>"#
    );
    let inner = f64::from(WIDTH) - 2.0 * MARGIN;
    text(
        &mut s,
        MARGIN,
        76.0,
        30.0,
        ACCENT,
        &one_line(&card.site, 30.0, inner),
    );
    let _ = write!(
        s,
        r#"<rect x="{MARGIN}" y="98" width="{inner}" height="2" fill="{RULE}"/>"#
    );
    let top = title(&mut s, card, inner);
    body(&mut s, &card.body, top, inner);
    foot(&mut s, card, inner);
    s.push_str("</svg>");
    s
}

/// The title: three lines over a summary, two over a figure or chart. Returns where the body
/// begins.
fn title(s: &mut String, card: &Card, inner: f64) -> f64 {
    let (size, max) = match card.body {
        Body::Summary(_) => (62.0, 3),
        _ => (54.0, 2),
    };
    let lines = wrap(&card.title, size, inner, max);
    let step = size * 1.3;
    let mut y = 120.0 + size;
    for line in &lines {
        text(s, MARGIN, y, size, INK, line);
        y += step;
    }
    y - step + size * 0.5
}

/// What the card shows under its title, from `top` down.
fn body(s: &mut String, body: &Body, top: f64, inner: f64) {
    match body {
        Body::Summary(summary) => {
            let mut y = top + 40.0;
            for line in wrap(summary, 32.0, inner, 3) {
                text(s, MARGIN, y, 32.0, QUIET, &line);
                y += 46.0;
            }
        }
        Body::Figure { value, label } => {
            let y = top + 112.0;
            // The figure is never cut (its qualifier and unit are part of it): a long one is
            // drawn smaller.
            let size = (104.0 * inner / font::width(value, 104.0).max(1.0)).min(104.0);
            text(s, MARGIN, y, size.floor(), ACCENT, value);
            let mut y = y + 56.0;
            for line in wrap(label, 32.0, inner, 2) {
                text(s, MARGIN, y, 32.0, INK, &line);
                y += 44.0;
            }
        }
        Body::Chart { title, rows } => chart(s, top, inner, title, rows),
    }
}

/// The foot: the source on the left, the address on the right.
fn foot(s: &mut String, card: &Card, inner: f64) {
    let address = one_line(&card.address, 24.0, inner / 2.0);
    let address_width = font::width(&address, 24.0);
    let _ = write!(
        s,
        r#"<rect x="{MARGIN}" y="566" width="{inner}" height="2" fill="{RULE}"/>"#
    );
    if let Some(source) = &card.source {
        // A long source line is drawn smaller before it is cut.
        let room = inner - address_width - 32.0;
        let size = (24.0 * room / font::width(source, 24.0).max(1.0)).clamp(18.0, 24.0);
        let size = size.floor();
        text(s, MARGIN, 604.0, size, QUIET, &one_line(source, size, room));
    }
    let _ = write!(
        s,
        r#"<text x="{}" y="604" font-size="24" fill="{QUIET}" text-anchor="end">{}</text>"#,
        f64::from(WIDTH) - MARGIN,
        crate::html::escape_text(&address)
    );
}

/// The card's chart: its title, then one row per label with a bar from zero and the value.
fn chart(s: &mut String, top: f64, inner: f64, title: &str, rows: &[super::ChartRow]) {
    let mut y = top + 44.0;
    text(s, MARGIN, y, 28.0, QUIET, &one_line(title, 28.0, inner));
    let rows = &rows[..rows.len().min(CHART_ROWS)];
    let label_width = rows
        .iter()
        .map(|r| font::width(&r.label, 28.0))
        .fold(0.0, f64::max)
        .min(inner * 0.3);
    // Values are never cut: the bars get what room is left.
    let value_width = rows
        .iter()
        .map(|r| font::width(&r.text, 28.0))
        .fold(0.0, f64::max);
    let bar_x = MARGIN + label_width + 20.0;
    let bar_room = (inner - label_width - 20.0 - value_width - 16.0).max(0.0);
    let row_step = (566.0 - 24.0 - y) / CHART_ROWS as f64;
    y += 16.0;
    for r in rows {
        let mid = y + row_step / 2.0;
        let label = one_line(&r.label, 28.0, label_width);
        text(s, MARGIN, mid + 10.0, 28.0, INK, &label);
        let mut end = bar_x;
        if let Some((len, from)) = r.bar {
            let len = len.clamp(0.0, 1.0) * bar_room;
            let height = (row_step * 0.6).min(36.0);
            let _ = write!(
                s,
                r#"<rect x="{bar_x:.1}" y="{:.1}" width="{len:.1}" height="{height:.1}" fill="{BAR}"/>"#,
                mid - height / 2.0
            );
            if let Some(from) = from {
                // A range: solid to its low end, light from there to its high end.
                let low = from.clamp(0.0, 1.0) * bar_room;
                let _ = write!(
                    s,
                    r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{height:.1}" fill="{RANGE}"/>"#,
                    bar_x + low,
                    mid - height / 2.0,
                    len - low
                );
            }
            end += len;
        }
        text(s, end + 12.0, mid + 10.0, 28.0, INK, &r.text);
        y += row_step;
    }
}

fn text(s: &mut String, x: f64, y: f64, size: f64, fill: &str, content: &str) {
    let _ = write!(
        s,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" fill="{fill}">{}</text>"#,
        crate::html::escape_text(content)
    );
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample;
    use super::*;

    #[test]
    fn text_is_escaped() {
        let mut card = sample(Body::Summary("a < b & c".into()));
        card.title = "<script>".into();
        let svg = svg(&card);
        assert!(svg.contains("a &lt; b &amp; c"));
        assert!(!svg.contains("<script>"));
    }
}
