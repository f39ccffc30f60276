//! Plotters' drawing written smaller, the way a browser draws it the same.
//!
//! Plotters' SVG backend writes one element a line, each with every attribute: a dashed box is
//! twenty `<polyline>`s repeating their stroke, every element says `opacity="1"`, and a font
//! size comes out as `15.000000000000002`. Pages inline two drawings of each chart, so this was
//! more than half of a section page's bytes. [`compact`] rewrites three things and nothing else:
//!
//! - consecutive `<polyline>`s of one stroke become one `<path>` of as many subpaths, in the
//!   same order (each subpath is stroked as its polyline was);
//! - `opacity="1"`, the default, is left out;
//! - a font size is written to two decimals.
//!
//! The colours stay as presentation attributes, so the style sheet still restyles them (see
//! [`theme`](super::theme)). A line it does not recognise is kept as it is.

use std::fmt::Write as _;

/// The opacity plotters writes for an opaque colour.
const OPAQUE: &str = " opacity=\"1\"";

/// `drawing` (plotters' SVG, one element a line) with its polylines merged, default opacities
/// dropped and font sizes rounded; see the module documentation.
pub fn compact(drawing: &str) -> String {
    let mut out = String::with_capacity(drawing.len() / 2);
    // The stroke attributes of the polylines being merged, and their path data.
    let mut run: Option<(&str, String)> = None;
    for line in drawing.lines() {
        if let Some((stroke, points)) = polyline(line) {
            match &mut run {
                Some((open, d)) if *open == stroke => {
                    d.push('M');
                    d.push_str(points);
                }
                _ => {
                    end_run(&mut out, run.take());
                    run = Some((stroke, format!("M{points}")));
                }
            }
            continue;
        }
        end_run(&mut out, run.take());
        element(&mut out, line);
        out.push('\n');
    }
    end_run(&mut out, run);
    out
}

/// The stroke attributes and the points of an opaque polyline as plotters writes it:
/// `<polyline fill="none" opacity="1" stroke="…" stroke-width="…" points="x,y x,y "/>`.
fn polyline(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix("<polyline fill=\"none\" opacity=\"1\" ")?;
    let (stroke, points) = rest.split_once(" points=\"")?;
    let points = points.strip_suffix("\"/>")?.trim_end();
    let plain = |s: &str| !s.contains(['"', '<', '>', '&']);
    (plain(points) && !points.is_empty()).then_some((stroke, points))
}

/// Writes the merged polylines, if any, as one path.
fn end_run(out: &mut String, run: Option<(&str, String)>) {
    if let Some((stroke, d)) = run {
        out.push_str("<path fill=\"none\" ");
        out.push_str(stroke);
        out.push_str(" d=\"");
        out.push_str(&d);
        out.push_str("\"/>\n");
    }
}

/// Writes one other line: an element's start tag without its default opacity and with its font
/// size rounded; text and end tags as they are.
fn element(out: &mut String, line: &str) {
    if !line.starts_with('<') || line.starts_with("</") {
        out.push_str(line);
        return;
    }
    let mut rest = line;
    if let Some(at) = rest.find(OPAQUE) {
        sized(out, &rest[..at]);
        rest = &rest[at + OPAQUE.len()..];
    }
    sized(out, rest);
}

/// Writes part of a start tag with its font size, if it has one, to two decimals.
fn sized(out: &mut String, part: &str) {
    const SIZE: &str = " font-size=\"";
    let size = part.split_once(SIZE).and_then(|(head, tail)| {
        let (size, rest) = tail.split_once('"')?;
        let size = size.parse::<f64>().ok().filter(|v| v.is_finite())?;
        Some((head, size, rest))
    });
    match size {
        Some((head, size, rest)) => {
            let _ = write!(
                out,
                "{head}{SIZE}{}\"{rest}",
                (size * 100.0).round() / 100.0
            );
        }
        None => out.push_str(part),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_polylines_of_one_stroke_become_one_path() {
        let drawing = "\
<polyline fill=\"none\" opacity=\"1\" stroke=\"#6E6E6E\" stroke-width=\"2\" points=\"198,67 198,71 \"/>
<polyline fill=\"none\" opacity=\"1\" stroke=\"#6E6E6E\" stroke-width=\"2\" points=\"198,74 198,78 \"/>
<polyline fill=\"none\" opacity=\"1\" stroke=\"#0072B2\" stroke-width=\"1\" points=\"1,2 3,4 5,6 \"/>
<rect x=\"0\" y=\"0\" width=\"7\" height=\"8\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>
<polyline fill=\"none\" opacity=\"1\" stroke=\"#0072B2\" stroke-width=\"1\" points=\"9,9 9,10 \"/>
";
        assert_eq!(
            compact(drawing),
            "\
<path fill=\"none\" stroke=\"#6E6E6E\" stroke-width=\"2\" d=\"M198,67 198,71M198,74 198,78\"/>
<path fill=\"none\" stroke=\"#0072B2\" stroke-width=\"1\" d=\"M1,2 3,4 5,6\"/>
<rect x=\"0\" y=\"0\" width=\"7\" height=\"8\" fill=\"#FFFFFF\" stroke=\"none\"/>
<path fill=\"none\" stroke=\"#0072B2\" stroke-width=\"1\" d=\"M9,9 9,10\"/>
"
        );
    }

    #[test]
    fn text_keeps_its_words_and_loses_the_float_noise_of_its_size() {
        let drawing = "\
<text x=\"3\" y=\"4\" font-family=\"sans-serif\" font-size=\"15.000000000000002\" opacity=\"1\" fill=\"#1F1F1F\">
opacity=&quot;1&quot; 约2.9倍
</text>
<text x=\"3\" y=\"4\" font-size=\"12.903225806451612\" opacity=\"0.5\">
";
        assert_eq!(
            compact(drawing),
            "\
<text x=\"3\" y=\"4\" font-family=\"sans-serif\" font-size=\"15\" fill=\"#1F1F1F\">
opacity=&quot;1&quot; 约2.9倍
</text>
<text x=\"3\" y=\"4\" font-size=\"12.9\" opacity=\"0.5\">
"
        );
    }

    #[test]
    fn a_polyline_it_does_not_recognise_is_kept() {
        let odd =
            "<polyline fill=\"none\" opacity=\"0.5\" stroke=\"#000000\" points=\"1,1 2,2 \"/>\n";
        assert_eq!(compact(odd), odd);
    }
}
