//! The real site in `content/`: it builds (into a temporary folder, never the repository's
//! `public/`), and its facts say what the source article says.

use std::collections::BTreeSet;

use burnrate::facts::{Amount, Fact, Unit};
use burnrate::load::load;
use burnrate::site::Site;
use burnrate::{BuildOptions, markdown};
use serde_json::Value;

use crate::common::{broken_links, fact_refs_in_json, repo, snapshot};

fn site() -> Site {
    load(&repo())
        .unwrap_or_else(|problems| {
            let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
            panic!("content/ does not load:\n{}", text.join("\n"))
        })
        .site
}

fn fact<'a>(site: &'a Site, target: &str) -> &'a Fact {
    site.fact(target)
        .unwrap_or_else(|| panic!("no fact {target}"))
        .1
}

#[test]
fn the_real_site_builds_into_a_temporary_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let summary = burnrate::build(&BuildOptions {
        root: repo(),
        output: Some(out.clone()),
        base_url: None,
        drafts: false,
        check_recalled: true,
    })
    .unwrap_or_else(|e| panic!("the real site does not build:\n{e}"));
    assert_eq!(summary.output, out);
    let files = snapshot(&out);
    assert_eq!(summary.files, files.len());
    for rel in [
        "index.html",
        "sections/openai/index.html",
        "data/facts.json",
    ] {
        assert!(out.join(rel).is_file(), "{rel}");
    }
    let base_url = site().config.base_url;
    let problems = broken_links(&out, &base_url);
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // Every fact is published in facts.json.
    let json: Value = serde_json::from_slice(&files[std::path::Path::new("data/facts.json")])
        .expect("facts.json parses");
    let published: BTreeSet<String> = fact_refs_in_json(&json).into_iter().collect();
    assert_eq!(published, all_facts(&site()));
    assert_eq!(summary.facts, published.len());
}

/// `<company>/<fact id>` of every fact.
fn all_facts(site: &Site) -> BTreeSet<String> {
    site.companies
        .iter()
        .flat_map(|c| c.facts.iter().map(move |f| format!("{}/{}", c.slug, f.id)))
        .collect()
}

/// The article's key figures: fact, qualifier, value (or low and high), unit.
#[rustfmt::skip]
const KEY_FIGURES: &[(&str, &str, &[u64], Unit)] = &[
    ("openai/revenue_2023",                "about",       &[1_600_000_000],            Unit::Usd),
    ("openai/microsoft_investment",        "exact",       &[13_000_000_000],           Unit::Usd),
    ("openai/spending_2023",               "undisclosed", &[],                         Unit::Usd),
    ("openai/chatgpt_price",               "exact",       &[20],                       Unit::UsdPerMonth),
    ("anthropic/funding_total",            "more_than",   &[7_000_000_000],            Unit::Usd),
    ("anthropic/revenue_annual",           "range",       &[150_000_000, 200_000_000], Unit::Usd),
    ("anthropic/spending_annual",          "up_to",       &[2_000_000_000],            Unit::Usd),
    ("anthropic/gap",                      "nearly",      &[1_800_000_000],            Unit::Usd),
    ("stability-ai/revenue_2024_expected", "about",       &[60_000_000],               Unit::Usd),
    ("stability-ai/image_system_cost",     "about",       &[96_000_000],               Unit::Usd),
    ("stability-ai/funding_2022",          "exact",       &[101_000_000],              Unit::Usd),
    ("stability-ai/intel_investment",      "exact",       &[50_000_000],               Unit::Usd),
    ("inflection-ai/funding_total",        "exact",       &[1_500_000_000],            Unit::Usd),
    ("inflection-ai/revenue",              "negligible",  &[],                         Unit::Usd),
    ("microsoft/inflection_staff_cost",    "more_than",   &[650_000_000],              Unit::Usd),
    ("microsoft/ai_cloud_revenue_quarter", "about",       &[1_000_000_000],            Unit::Usd),
    ("meta/infrastructure_increase_2024",  "up_to",       &[10_000_000_000],           Unit::Usd),
    ("market/venture_2021_2023",           "exact",       &[330_000_000_000],          Unit::Usd),
    ("market/startups_2021_2023",          "about",       &[26_000],                   Unit::Companies),
    ("market/startups_2018_2020",          "exact",       &[20_350],                   Unit::Companies),
];

/// The value of an amount, or its low and high; nothing when it has no number.
fn numbers(amount: Amount) -> Vec<u64> {
    match amount {
        Amount::Range { low, high } => vec![low, high],
        other => other.value().into_iter().collect(),
    }
}

#[test]
fn facts_match_the_source_article() {
    let site = site();
    let mut wrong = Vec::new();
    for &(target, qualifier, values, unit) in KEY_FIGURES {
        let f = fact(&site, target);
        let found = (f.amount.qualifier(), numbers(f.amount), f.unit);
        if found != (qualifier, values.to_vec(), unit) {
            wrong.push(format!(
                "{target}: {found:?}, expected {qualifier} {values:?} {unit:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    for (target, from, to) in [
        ("market/venture_2021_2023", "2021", "2023"),
        ("market/startups_2021_2023", "2021", "2023"),
        ("market/startups_2018_2020", "2018", "2020"),
    ] {
        let period = &fact(&site, target).period;
        assert!(
            period.contains(from) && period.contains(to),
            "{target}: {period}"
        );
    }
}

#[test]
fn every_fact_is_shown_somewhere() {
    let site = site();
    let mut used = BTreeSet::new();
    let bodies = site.sections.iter().map(|s| &s.body);
    for body in bodies.chain(site.pages.iter().map(|p| &p.body)) {
        used.extend(markdown::fact_refs(body).into_iter().map(|r| r.target));
    }
    for chart in &site.charts {
        used.extend(
            chart
                .def
                .rows
                .iter()
                .flat_map(|r| r.facts.iter().flatten().cloned()),
        );
    }
    used.extend(site.config.key_numbers.iter().cloned());
    let unused: Vec<String> = all_facts(&site).difference(&used).cloned().collect();
    assert!(
        unused.is_empty(),
        "facts no section, page, chart or key number shows: {unused:?}"
    );
}

/// Figures typed by hand in Markdown, found by the library's one scanner (`check` uses it too).
fn hand_typed_figures(body: &str) -> Vec<String> {
    burnrate::check::figures::written_figures(body)
        .into_iter()
        .map(|w| w.text)
        .collect()
}

#[test]
fn the_hand_typed_figure_scanner_finds_figures() {
    let body =
        "营收16亿美元，[[openai/revenue_2023]]，约2.6万家，售价20 美元，１６亿；2023年，第3章。";
    assert_eq!(
        hand_typed_figures(body),
        ["16亿美元", "2.6万家", "20 美元", "１６亿"]
    );
}

#[test]
fn no_section_types_a_money_figure_by_hand() {
    let site = site();
    let mut found = Vec::new();
    for s in &site.sections {
        for figure in hand_typed_figures(&s.body) {
            found.push(format!("{}: {figure}", s.path.display()));
        }
    }
    assert!(
        found.is_empty(),
        "write these as [[company/fact]] references:\n{}",
        found.join("\n")
    );
}

/// The real site built into a temporary folder (kept while the first value lives), and the folder.
fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    burnrate::build(&BuildOptions {
        root: repo(),
        output: Some(out.clone()),
        base_url: None,
        drafts: false,
        check_recalled: true,
    })
    .unwrap();
    (tmp, out)
}

#[test]
fn the_story_s_multiples_are_computed_and_published_with_their_rule() {
    let (_tmp, out) = built();
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("data/computed.json")).unwrap())
            .unwrap();
    let find = |reference: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|r| r["reference"] == reference)
            .unwrap_or_else(|| panic!("{reference} not published"))
            .clone()
    };
    let anthropic = find("anthropic/funding_total / anthropic/revenue_annual");
    assert_eq!(anthropic["text"], "超过35倍");
    assert_eq!(anthropic["qualifier"], "more_than");
    assert_eq!(anthropic["rule"], "超过70亿美元 ÷ 1.5亿至2亿美元");
    let used: Vec<&str> = anthropic["used_in"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        used,
        [
            "content/sections/03-anthropic.md",
            "content/charts/funding-vs-revenue.yaml"
        ]
    );
    assert_eq!(
        find("openai/microsoft_investment / openai/revenue_2023")["text"],
        "约8倍"
    );
    let inflection = find("inflection-ai/funding_total / inflection-ai/revenue");
    assert_eq!(inflection["qualifier"], "none");
    assert_eq!(inflection["text"], "无从计算：营收几乎为零");
    // The prose states the headline multiple through its reference, never typed.
    let anthropic_page =
        std::fs::read_to_string(out.join("sections/anthropic/index.html")).unwrap();
    assert!(
        anthropic_page
            .contains("title=\"本站计算：超过70亿美元 ÷ 1.5亿至2亿美元\">超过35倍</span>")
    );
}

/// README's chart guide shows the real site's charts of each kind from `docs/charts/`; they must
/// be the charts the site draws. `UPDATE_DOCS=1 cargo test readme_charts` writes them again.
#[test]
fn readme_charts_are_the_ones_the_site_draws() {
    let (_tmp, out) = built();
    for id in ["funding-vs-revenue", "burn-gap", "market-money"] {
        let drawn = std::fs::read_to_string(out.join(format!("charts/{id}.svg"))).unwrap();
        let doc = repo().join(format!("docs/charts/{id}.svg"));
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::write(&doc, &drawn).unwrap();
        }
        let shown = std::fs::read_to_string(&doc).unwrap_or_default();
        assert!(
            shown == drawn,
            "{} is out of date: run UPDATE_DOCS=1 cargo test readme_charts",
            doc.display()
        );
    }
}
