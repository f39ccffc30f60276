//! Colours and the chart style sheet.
//!
//! Plotters writes every shape with the light theme's colours as presentation attributes
//! (`fill="#0072B2"`). The chart rules ([`RULES`]) restyle them for a dark colour scheme by
//! attribute selectors, which CSS ranks above presentation attributes, so plotters' colours are
//! never rewritten (`compact` keeps them as written). Every colour a chart uses is a distinct
//! token of [`LIGHT`] for that reason.
//!
//! A standalone chart file carries the rules in its own `<style>` ([`STYLE`]). A drawing inlined
//! in a page carries none: the site's `static/style.css` holds the same rules once, cached for
//! every page, instead of twice (wide and narrow) in every page that shows a chart; a test keeps
//! the two copies equal.
//!
//! The light series colours are the Okabe–Ito colour-blind-safe palette; the dark ones are
//! lighter tints of the same hues (sky blue is Okabe–Ito's own), chosen for 3:1 contrast on the
//! dark background.

use std::fmt::Write as _;

/// The class the root carries; every style rule is scoped under it, so an inlined chart does not
/// restyle the page around it.
pub const ROOT_CLASS: &str = "burnrate-chart";

const FONT_STACK: &str = r#""PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",sans-serif"#;

/// Colours of one colour scheme. Text reaches 4.5:1 against `bg`, series colours 3:1.
#[derive(Debug)]
pub struct Theme {
    /// Background.
    pub bg: &'static str,
    /// Labels.
    pub text: &'static str,
    /// Secondary text: source, notes, missing values.
    pub muted: &'static str,
    /// Grid lines.
    pub grid: &'static str,
    /// The zero line and reference lines.
    pub axis: &'static str,
    /// One colour per series; more series reuse them in turn.
    pub series: [&'static str; 4],
    /// The light fill of range segments, one per series.
    pub tint: [&'static str; 4],
}

/// The light scheme: the colours plotters writes.
pub const LIGHT: Theme = Theme {
    bg: "#FFFFFF",
    text: "#1F1F1F",
    muted: "#595959",
    grid: "#D9D9D9",
    axis: "#6E6E6E",
    series: ["#0072B2", "#D55E00", "#009E73", "#CC79A7"],
    tint: ["#B3D5E8", "#F2CFB3", "#B3E2D5", "#E8C3D8"],
};

/// The dark scheme, applied by the style sheet.
pub const DARK: Theme = Theme {
    bg: "#1B1B1F",
    text: "#EDEDED",
    muted: "#B4B4BC",
    grid: "#3A3A42",
    axis: "#9A9AA2",
    series: ["#56B4E9", "#F0A060", "#3CC8A0", "#E69BC8"],
    tint: ["#2F5F7C", "#7A5234", "#236B57", "#75506A"],
};

/// The chart rules, the same for every drawing: written once, not for each of thousands.
pub static RULES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let r = ROOT_CLASS;
    let mut out = String::new();
    let _ = writeln!(out, ".{r} text {{ font-family: {FONT_STACK}; }}");
    let _ = writeln!(
        out,
        ".{r} .detail {{ fill: transparent; }} .{r} .value:focus {{ outline: none; }}"
    );
    let _ = writeln!(
        out,
        ".{r} .value:focus .detail, .{r} .value:hover .detail {{ stroke: {}; stroke-width: 2; }}",
        LIGHT.text
    );
    out.push_str("@media (prefers-color-scheme: dark) {\n");
    for (light, dark) in pairs() {
        let _ = writeln!(
            out,
            ".{r} [fill=\"{light}\"] {{ fill: {dark}; }} .{r} [stroke=\"{light}\"] {{ stroke: {dark}; }}"
        );
    }
    let _ = writeln!(
        out,
        ".{r} .value:focus .detail, .{r} .value:hover .detail {{ stroke: {}; }}",
        DARK.text
    );
    out.push_str("}\n");
    out
});

/// The chart rules as the `<style>` element of a standalone chart file.
pub static STYLE: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("<style type=\"text/css\">\n{}</style>\n", *RULES));

/// Each light colour with its dark counterpart.
fn pairs() -> Vec<(&'static str, &'static str)> {
    let (l, d) = (&LIGHT, &DARK);
    let mut out = vec![
        (l.bg, d.bg),
        (l.text, d.text),
        (l.muted, d.muted),
        (l.grid, d.grid),
        (l.axis, d.axis),
    ];
    out.extend(l.series.iter().copied().zip(d.series));
    out.extend(l.tint.iter().copied().zip(d.tint));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(hex: &str) -> f64 {
        let n = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap();
        let lin = |c: u32| {
            let c = f64::from(c & 0xFF) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(n >> 16) + 0.7152 * lin(n >> 8) + 0.0722 * lin(n)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (a, b) = (luminance(a), luminance(b));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    #[test]
    fn colours_reach_wcag_contrast_in_both_schemes() {
        for t in [&LIGHT, &DARK] {
            assert!(contrast(t.text, t.bg) >= 4.5, "{}", t.text);
            assert!(contrast(t.muted, t.bg) >= 4.5, "{}", t.muted);
            assert!(contrast(t.axis, t.bg) >= 3.0, "{}", t.axis);
            for (c, tint) in t.series.iter().zip(t.tint) {
                assert!(contrast(c, t.bg) >= 3.0, "{c} on {}", t.bg);
                // A range's tint is no hole: it stands apart from the background, and its
                // outline (the series colour) from the tint.
                assert!(contrast(tint, t.bg) >= 1.4, "{tint} on {}", t.bg);
                assert!(contrast(c, tint) >= 1.5, "{c} on {tint}");
            }
        }
    }

    #[test]
    fn every_light_colour_is_a_distinct_token() {
        let p = pairs();
        let mut light: Vec<_> = p.iter().map(|(l, _)| *l).collect();
        light.sort_unstable();
        light.dedup();
        assert_eq!(light.len(), p.len());
        assert!(STYLE.contains(r##"[fill="#0072B2"] { fill: #56B4E9; }"##));
    }

    #[test]
    fn the_site_style_sheet_carries_the_chart_rules_unchanged() {
        // Inlined drawings have no style of their own; without these rules in the page's style
        // sheet their colours would not follow a dark colour scheme.
        let css = include_str!("../../static/style.css");
        assert!(
            css.contains(RULES.as_str()),
            "static/style.css must contain, unchanged, the chart rules:\n{}",
            *RULES
        );
    }
}
