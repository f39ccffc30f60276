//! Cross-file checks: every reference between sections, charts, facts and settings resolves.
//!
//! Each file was already parsed on its own; this finds what only the whole site can show, and
//! reports all of it at once.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, line_col, locate_key};
use crate::load::Site;
use crate::markdown;

/// Every cross-reference problem in `site`, sorted by file and position.
pub fn validate(site: &Site) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    check_metrics(site, &mut problems);
    check_sections(site, &mut problems);
    check_charts(site, &mut problems);
    check_settings(site, &mut problems);
    problems.sort();
    problems.dedup();
    problems
}

fn source<'a>(site: &'a Site, path: &Path) -> &'a str {
    site.sources.get(path).map_or("", String::as_str)
}

/// Position of the first `needle` in `src` at or after `from_line` (1-based); (1, 1) if absent.
fn find(src: &str, needle: &str, from_line: usize) -> (usize, usize) {
    let start: usize = src
        .split_inclusive('\n')
        .take(from_line.saturating_sub(1))
        .map(str::len)
        .sum();
    src[start.min(src.len())..]
        .find(needle)
        .map_or((1, 1), |i| line_col(src, start + i))
}

/// Lines (1-based) of the items of the block list that follows line `key_line` (`- …` lines
/// indented deeper than nothing else in between).
fn list_items(src: &str, key_line: usize) -> Vec<usize> {
    let mut items = Vec::new();
    let mut item_indent = None;
    for (i, line) in src.lines().enumerate().skip(key_line) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if !trimmed.starts_with("- ") && !trimmed.starts_with('-') {
            if item_indent.is_none_or(|at| indent <= at) {
                break;
            }
            continue;
        }
        match item_indent {
            None => item_indent = Some(indent),
            Some(at) if indent < at => break,
            Some(at) if indent > at => continue,
            _ => {}
        }
        items.push(i + 1);
    }
    items
}

fn check_metrics(site: &Site, problems: &mut Vec<Diagnostic>) {
    for company in &site.companies {
        let src = source(site, &company.path);
        for fact in &company.facts {
            if site.strings.metric(&fact.metric).is_none() {
                let (line, column) = locate_key(src, &["facts", &fact.id, "metric"]);
                let known: Vec<&str> = site.strings.metrics.keys().map(String::as_str).collect();
                problems.push(Diagnostic::at(
                    &company.path,
                    line,
                    column,
                    format!(
                        "{}.metric: unknown metric \"{}\"; expected one of {} (or add it under metrics: in the strings file)",
                        fact.id,
                        fact.metric,
                        known.join(", ")
                    ),
                ));
            }
        }
    }
}

fn check_fact_ref(
    site: &Site,
    path: &Path,
    pos: (usize, usize),
    target: &str,
    problems: &mut Vec<Diagnostic>,
) {
    if site.fact(target).is_some() {
        return;
    }
    let message = match target.split_once('/') {
        None => format!(
            "fact reference [[{target}]]: expected <company>/<fact id>, such as openai/revenue_2023"
        ),
        Some((slug, id)) => match site.company(slug) {
            None => format!(
                "fact reference [[{target}]]: there is no company file content/companies/{slug}.yaml"
            ),
            Some(c) => {
                let ids: Vec<&str> = c.facts.iter().map(|f| f.id.as_str()).collect();
                format!(
                    "fact reference [[{target}]]: {slug} has no fact \"{id}\"; its facts are {}",
                    ids.join(", ")
                )
            }
        },
    };
    problems.push(Diagnostic::at(path, pos.0, pos.1, message));
}

fn check_body(
    site: &Site,
    path: &Path,
    body: &str,
    body_line: usize,
    problems: &mut Vec<Diagnostic>,
) {
    for r in markdown::fact_refs(body) {
        let (line, column) = line_col(body, r.offset);
        check_fact_ref(
            site,
            path,
            (line + body_line - 1, column),
            &r.target,
            problems,
        );
    }
}

fn check_sections(site: &Site, problems: &mut Vec<Diagnostic>) {
    let mut orders: BTreeMap<u32, &Path> = BTreeMap::new();
    let mut slugs: BTreeMap<&str, &Path> = BTreeMap::new();
    for s in &site.sections {
        let src = source(site, &s.path);
        if let Some(first) = orders.insert(s.meta.order, &s.path) {
            let (line, column) = locate_key(src, &["order"]);
            problems.push(Diagnostic::at(
                &s.path,
                line,
                column,
                format!(
                    "order: {} is already used by {}; each section needs its own order",
                    s.meta.order,
                    first.display()
                ),
            ));
        }
        if let Some(first) = slugs.insert(&s.slug, &s.path) {
            problems.push(Diagnostic::file(
                &s.path,
                format!("this section would be published at sections/{}/, like {}; rename one of the files", s.slug, first.display()),
            ));
        }
        let (companies_line, _) = locate_key(src, &["companies"]);
        for slug in &s.meta.companies {
            if site.company(slug).is_none() {
                let (line, column) = find(src, slug, companies_line);
                problems.push(Diagnostic::at(
                    &s.path,
                    line,
                    column,
                    format!("companies: there is no company file content/companies/{slug}.yaml"),
                ));
            }
        }
        let (charts_line, _) = locate_key(src, &["charts"]);
        for id in &s.meta.charts {
            if !site.charts.iter().any(|c| &c.id == id) {
                let (line, column) = find(src, id, charts_line);
                problems.push(Diagnostic::at(
                    &s.path,
                    line,
                    column,
                    format!("charts: there is no chart file content/charts/{id}.yaml"),
                ));
            }
        }
        check_body(site, &s.path, &s.body, s.body_line, problems);
    }
    for p in &site.pages {
        check_body(site, &p.path, &p.body, p.body_line, problems);
    }
}

fn check_charts(site: &Site, problems: &mut Vec<Diagnostic>) {
    for chart in &site.charts {
        let src = source(site, &chart.path);
        let def = &chart.def;
        if def.rows.is_empty() || def.series.is_empty() {
            let (line, column) = locate_key(src, &["rows"]);
            problems.push(Diagnostic::at(
                &chart.path,
                line,
                column,
                "a chart needs at least one series and one row",
            ));
        }
        let mut units = Vec::new();
        let row_lines = list_items(src, locate_key(src, &["rows"]).0);
        for (i, row) in def.rows.iter().enumerate() {
            let row_line = row_lines.get(i).copied().unwrap_or(1);
            if row.facts.len() != def.series.len() {
                let (line, column) = find(src, "facts", row_line);
                problems.push(Diagnostic::at(
                    &chart.path,
                    line,
                    column,
                    format!(
                        "rows \"{}\": facts: expected {} references, one per series ({}), found {}; write ~ where a series has no value",
                        row.label,
                        def.series.len(),
                        def.series.join(", "),
                        row.facts.len()
                    ),
                ));
            }
            for target in row.facts.iter().flatten() {
                let pos = find(src, target, row_line);
                check_fact_ref(site, &chart.path, pos, target, problems);
                if let Some((_, fact)) = site.fact(target) {
                    units.push((target, fact.unit, pos));
                }
            }
        }
        if let Some((first_ref, first_unit, _)) = units.first() {
            for (target, unit, pos) in &units[1..] {
                if unit != first_unit {
                    problems.push(Diagnostic::at(
                        &chart.path,
                        pos.0,
                        pos.1,
                        format!(
                            "{target} is in {} but {first_ref} is in {}; one chart compares figures of one unit",
                            unit.key(),
                            first_unit.key()
                        ),
                    ));
                }
            }
        }
    }
}

fn check_settings(site: &Site, problems: &mut Vec<Diagnostic>) {
    let path = Path::new("content/site.yaml");
    let Some((path, src)) = site.sources.iter().find(|(p, _)| p.ends_with(path)) else {
        return;
    };
    let id = &site.config.headline_chart;
    if !site.charts.iter().any(|c| &c.id == id) {
        let (line, column) = locate_key(src, &["headline_chart"]);
        problems.push(Diagnostic::at(
            path,
            line,
            column,
            format!("headline_chart: there is no chart file content/charts/{id}.yaml"),
        ));
    }
    for target in &site.config.key_numbers {
        let pos = find(src, target, 1);
        check_fact_ref(site, path, pos, target, problems);
    }
}
