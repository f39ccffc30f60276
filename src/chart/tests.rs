//! Every chart kind's SVG checked by its structure: a well-formed document around plotters'
//! drawing, no bar on a log scale, one form per qualifier explained in the key, every value's
//! detail, and every text of the real site's charts inside its box without overlapping another.

use std::path::Path;

use super::document::{Variant, render};
use super::layout::Width;
use super::marks::BAR_H;
use super::theme::LIGHT;
use super::{Cell, Chart, Kind, Row, Scale, Value};
use crate::computed::Measure;
use crate::facts::Unit;
use crate::strings::{self, Strings};

fn zh() -> Strings {
    let src = include_str!("../../templates/strings/zh-CN.yaml");
    strings::parse(Path::new("zh-CN.yaml"), src).unwrap()
}

fn cell(value: Value, text: &str) -> Option<Cell> {
    Some(Cell {
        value,
        text: text.to_string(),
        detail: format!("详情：{text}"),
        facts: vec!["a/b".to_string()],
    })
}

/// A chart with one row per value, two series where `paired`.
fn chart(kind: Kind, scale: Scale, values: &[(Value, &str)]) -> Chart {
    let rows = values
        .iter()
        .enumerate()
        .map(|(i, (v, t))| Row {
            label: format!("第{i}行"),
            note: None,
            cells: vec![cell(*v, t)],
            multiple: None,
        })
        .collect();
    Chart {
        id: "test".into(),
        title: "标题 <与> & 引号\"".into(),
        description: "说明。".into(),
        kind,
        series: vec!["数值".into()],
        rows,
        measure: Measure::Amount(Unit::Usd),
        scale,
        source_line: "来源：测试".into(),
        file: "content/charts/test.yaml".into(),
    }
}

/// Every qualifier once.
fn every_qualifier() -> Vec<(Value, &'static str)> {
    vec![
        (Value::Exact(1.3e10), "130亿美元"),
        (Value::About(1.6e9), "约16亿美元"),
        (Value::Nearly(1.8e9), "近18亿美元"),
        (Value::MoreThan(7e9), "超过70亿美元"),
        (Value::UpTo(2e9), "高达20亿美元"),
        (Value::Range(1.5e8, 2e8), "1.5亿至2亿美元"),
        (Value::Several(1e9), "数十亿美元"),
        (Value::Negligible, "几乎为零"),
        (Value::Undisclosed, "未披露"),
        (Value::NotComputed, "无从计算"),
    ]
}

/// The kinds on the scales they allow.
fn kinds() -> Vec<(Kind, Scale)> {
    vec![
        (Kind::Bars, Scale::Linear),
        (Kind::Dots, Scale::Linear),
        (Kind::Dots, Scale::Log),
        (Kind::Multiples, Scale::Linear),
    ]
}

/// The elements of plotters' drawing (the nested `<svg>`).
fn drawing<'a>(doc: &'a roxmltree::Document) -> Vec<roxmltree::Node<'a, 'a>> {
    let inner = doc
        .root_element()
        .descendants()
        .find(|n| n.has_tag_name("svg") && n != &doc.root_element())
        .expect("plotters' drawing is nested whole");
    inner.descendants().filter(|n| n.is_element()).collect()
}

/// Bars: series-coloured rectangles of a bar's height.
fn bars(doc: &roxmltree::Document) -> usize {
    drawing(doc)
        .iter()
        .filter(|n| n.has_tag_name("rect"))
        .filter(|n| LIGHT.series.contains(&n.attribute("fill").unwrap_or("")))
        .filter(|n| n.attribute("height") == Some(&format!("{}", BAR_H as i32)))
        .count()
}

fn texts(doc: &roxmltree::Document) -> Vec<String> {
    drawing(doc)
        .iter()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect()
}

#[test]
fn every_kind_draws_a_well_formed_document_around_plotters_drawing() {
    let s = zh();
    for (kind, scale) in kinds() {
        let c = chart(kind, scale, &every_qualifier());
        for width in [Width::Wide, Width::Narrow] {
            for variant in [Variant::Standalone, Variant::Inline] {
                let svg = render(&c, &s, width, variant).unwrap();
                let doc = roxmltree::Document::parse(&svg)
                    .unwrap_or_else(|e| panic!("{kind:?} {scale:?}: {e}\n{svg}"));
                let root = doc.root_element();
                assert!(root.attribute("viewBox").unwrap().starts_with("0 0 "));
                assert_eq!(root.attribute("width"), None);
                assert_eq!(root.attribute("class"), Some("burnrate-chart"));
                let labelled: Vec<&str> = root
                    .attribute("aria-labelledby")
                    .unwrap()
                    .split(' ')
                    .collect();
                let children: Vec<_> = root.children().filter(|n| n.is_element()).collect();
                assert!(children[0].has_tag_name("title"));
                assert_eq!(children[0].attribute("id"), Some(labelled[0]));
                assert_eq!(children[0].text(), Some("标题 <与> & 引号\""));
                assert!(children[1].has_tag_name("desc"));
                assert_eq!(children[1].attribute("id"), Some(labelled[1]));
                // A standalone file carries its style; an inlined drawing takes the page's.
                let styled = children[2].has_tag_name("style");
                assert_eq!(styled, variant == Variant::Standalone);
                let drawn = if styled { 3 } else { 2 };
                assert_eq!(children[drawn].attribute("aria-hidden"), Some("true"));
                // One detail per value, after the drawing, focusable inside a page, named by its
                // title alone.
                let details: Vec<_> = children[drawn + 1..].iter().collect();
                assert_eq!(details.len(), every_qualifier().len());
                for (d, (_, text)) in details.iter().zip(every_qualifier()) {
                    let title = d.children().find(|n| n.has_tag_name("title")).unwrap();
                    assert_eq!(title.text(), Some(format!("详情：{text}").as_str()));
                    assert_eq!(d.attribute("aria-label"), None);
                    let focusable = d.attribute("tabindex") == Some("0");
                    assert_eq!(focusable, variant == Variant::Inline);
                }
                assert_eq!(
                    root.attribute("role").unwrap() == "img",
                    variant == Variant::Standalone
                );
                // The source line is drawn in the standalone file only.
                let t = texts(&doc);
                assert_eq!(
                    t.contains(&"来源：测试".to_string()),
                    variant == Variant::Standalone
                );
                for (_, text) in every_qualifier() {
                    assert!(t.contains(&text.to_string()), "{text} not drawn: {t:?}");
                }
            }
        }
    }
}

#[test]
fn a_log_scale_chart_contains_no_bar_and_bars_start_at_zero() {
    let s = zh();
    for (kind, scale) in kinds() {
        let c = chart(kind, scale, &every_qualifier());
        let svg = render(&c, &s, Width::Wide, Variant::Standalone).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let n = bars(&doc);
        match kind {
            Kind::Dots => assert_eq!(n, 0, "{kind:?} {scale:?} draws bars"),
            // Six values have a solid part (exact, about, nearly, more than, range, several),
            // and so do their six glyphs in the key.
            _ => assert_eq!(n, 12, "{kind:?}"),
        }
        if kind != Kind::Dots {
            // The six bars of the plot start at one x, the zero line (each key glyph at its own).
            let mut starts = std::collections::BTreeMap::<&str, usize>::new();
            for n in drawing(&doc)
                .iter()
                .filter(|n| n.has_tag_name("rect") && n.attribute("height") == Some("20"))
                .filter(|n| LIGHT.series.contains(&n.attribute("fill").unwrap_or("")))
            {
                *starts.entry(n.attribute("x").unwrap()).or_default() += 1;
            }
            assert_eq!(starts.values().max(), Some(&6), "{starts:?}");
        }
    }
    for kind in [Kind::Bars, Kind::Multiples] {
        assert!(!kind.rules().allows(Scale::Log));
    }
}

#[test]
fn every_qualifier_has_its_form_explained_in_the_key() {
    let s = zh();
    let words = [
        "确数",
        "约数",
        "接近",
        "超过",
        "最多",
        "区间",
        "数量级",
        "几乎为零",
        "未披露",
        "无从计算",
    ];
    for (kind, scale) in kinds() {
        let c = chart(kind, scale, &every_qualifier());
        let svg = render(&c, &s, Width::Narrow, Variant::Inline).unwrap();
        let t = texts(&roxmltree::Document::parse(&svg).unwrap());
        for w in words {
            assert!(
                t.contains(&w.to_string()),
                "{kind:?}: no key entry {w}: {t:?}"
            );
        }
        // "More than" has the same arrowhead in the chart and in the key.
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let arrows = drawing(&doc)
            .iter()
            .filter(|n| n.has_tag_name("polygon"))
            .filter(|n| LIGHT.series.contains(&n.attribute("fill").unwrap_or("")))
            .count();
        assert_eq!(arrows, 2, "{kind:?}");
    }
    // A chart of exact values alone has no key.
    let c = chart(Kind::Bars, Scale::Linear, &[(Value::Exact(2.0), "2美元")]);
    let svg = render(&c, &s, Width::Wide, Variant::Inline).unwrap();
    assert!(!texts(&roxmltree::Document::parse(&svg).unwrap()).contains(&"确数".to_string()));
}

/// A text's box: left, right, top, bottom, from plotters' attributes and our width estimate.
fn text_box(n: &roxmltree::Node) -> (f64, f64, f64, f64) {
    let num = |a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
    let (x, y, size) = (num("x"), num("y"), num("font-size"));
    let w = super::text::width(n.text().unwrap_or("").trim(), size);
    let (l, r) = match n.attribute("text-anchor") {
        Some("start") => (x, x + w),
        Some("end") => (x - w, x),
        _ => (x - w / 2.0, x + w / 2.0),
    };
    (l, r, y - size / 2.0, y + size / 2.0)
}

/// The repository's own site, loaded.
fn real_site() -> crate::site::Site {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate::load::load(root)
        .unwrap_or_else(|p| panic!("{p:?}"))
        .site
}

#[test]
fn every_text_of_the_real_sites_charts_fits_its_box_without_overlap() {
    let site = real_site();
    let mut charts: Vec<Chart> = site
        .charts
        .iter()
        .map(|spec| crate::render::figures::from_spec(spec, &site))
        .collect();
    charts.extend(
        site.companies
            .iter()
            .filter_map(|c| crate::render::figures::for_company(c, &site)),
    );
    assert!(charts.len() >= 10);
    for c in &charts {
        for width in [Width::Narrow, Width::Wide] {
            let svg = render(c, &site.strings, width, Variant::Standalone).unwrap();
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let boxes: Vec<((f64, f64, f64, f64), String)> = drawing(&doc)
                .iter()
                .filter(|n| n.has_tag_name("text"))
                .map(|n| (text_box(n), n.text().unwrap_or("").trim().to_string()))
                .collect();
            let limit = width.units();
            for ((l, r, _, _), t) in &boxes {
                assert!(
                    *l >= 0.0 && *r <= limit,
                    "{} {width:?}: {t} spans {l}..{r}",
                    c.id
                );
            }
            for (i, (a, ta)) in boxes.iter().enumerate() {
                for (b, tb) in &boxes[i + 1..] {
                    let apart = a.1 <= b.0 || b.1 <= a.0 || a.3 <= b.2 + 1.0 || b.3 <= a.2 + 1.0;
                    assert!(
                        apart,
                        "{} {width:?}: \"{ta}\" {a:?} overlaps \"{tb}\" {b:?}",
                        c.id
                    );
                }
            }
        }
    }
}

/// The pixels of an SVG document drawn with resvg and the card font.
fn pixels(svg: &str) -> (u32, Vec<u8>) {
    use resvg::{tiny_skia, usvg};
    let tree = usvg::Tree::from_str(svg, &crate::card::raster::options()).unwrap();
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    (size.width(), pixmap.data().to_vec())
}

#[test]
fn the_compact_drawing_draws_the_pixels_plotters_drawing_does() {
    let site = real_site();
    let mut charts: Vec<Chart> = kinds()
        .into_iter()
        .map(|(kind, scale)| chart(kind, scale, &every_qualifier()))
        .collect();
    charts.extend(
        site.charts
            .iter()
            .map(|spec| crate::render::figures::from_spec(spec, &site)),
    );
    let (mut merged, mut compared) = (0, 0);
    for c in &charts {
        for width in [Width::Narrow, Width::Wide] {
            let layout = super::layout::Layout::new(c, &site.strings, width, true);
            let mut drawing = String::new();
            super::plot::draw(c, &layout, &mut drawing).unwrap();
            let small = super::compact::compact(&drawing);
            assert!(small.len() < drawing.len(), "{} {width:?}", c.id);
            merged += small.matches("d=\"M").count();
            let ((w, before), (_, after)) = (pixels(&drawing), pixels(&small));
            assert_eq!(before.len(), after.len());
            if let Some(i) = (0..before.len()).find(|&i| before[i] != after[i]) {
                let (x, y) = ((i / 4) as u32 % w, (i / 4) as u32 / w);
                panic!("{} {width:?}: pixel ({x}, {y}) changed", c.id);
            }
            compared += before.len() / 4;
        }
    }
    assert!(merged > 20 && compared > 1_000_000, "{merged} {compared}");
}
