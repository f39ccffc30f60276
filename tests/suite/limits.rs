//! Inputs too big, too deep or not text: each builds, or is refused with a located message
//! (generated here, not stored). Speed is measured by hand (README); these assert behaviour.

use crate::common::{TempSite, fixture};

/// Builds `site` and returns its stderr, asserting the build failed and wrote nothing.
fn refused(site: &TempSite) -> String {
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(!site.public().exists(), "a failed build wrote public/");
    run.stderr
}

fn chart_with_scale(scale: &str) -> String {
    format!(
        "title: t\ndescription: d\nscale: {scale}\nseries: [a]\nrows:\n  - label: l\n    facts: [alpha/revenue]\n"
    )
}

/// A company file of `n` facts `f0`, `f1`, … whose qualifier is `qualifier`.
fn big_company(n: usize, qualifier: &str) -> String {
    let mut src = String::from("name:\n  zh: 大\n  original: Big\ndescription: d\nfacts:\n");
    for i in 0..n {
        src.push_str(&format!(
            "  f{i}:\n    metric: revenue\n    qualifier: {qualifier}\n    value: {}\n    unit: usd\n    period: 2023年\n    as_of: 2024-05-04\n    source:\n      who: w\n      date: 2024-05-04\n",
            i + 1
        ));
    }
    src
}

#[test]
fn a_company_of_twenty_thousand_facts_builds() {
    let site = fixture("minimal");
    site.write("content/companies/big.yaml", big_company(20_000, "exact"));
    let summary = site.build().expect("builds");
    assert!(summary.facts >= 20_000, "{summary:?}");
}

#[test]
fn twenty_thousand_problems_in_one_file_are_each_located() {
    let site = fixture("minimal");
    site.write("content/companies/big.yaml", big_company(20_000, "roughly"));
    let stderr = refused(&site);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 20_001);
    assert_eq!(
        lines[1],
        "content/companies/big.yaml:18:5: f1.qualifier: unknown qualifier \"roughly\"; expected one of exact, about, nearly, more_than, up_to, several, range, negligible, undisclosed"
    );
    assert_eq!(lines[20_000], "20000 problems found; nothing was written");
}

#[test]
fn twenty_thousand_unknown_references_in_a_section_are_each_located() {
    let site = fixture("minimal");
    let body = "[[alpha/missing]] ".repeat(20_000);
    site.write(
        "content/sections/09-many.md",
        format!("---\ntitle: t\nsummary: s\norder: 9\ndate: 2024-05-06\n---\n{body}\n"),
    );
    let stderr = refused(&site);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 20_001);
    assert!(
        lines[1].starts_with(
            "content/sections/09-many.md:7:19: fact reference [[alpha/missing]]: alpha has no fact \"missing\"; its facts are "
        ),
        "{}",
        lines[1]
    );
    assert!(lines[19_999].starts_with("content/sections/09-many.md:7:359983: "));
}

#[test]
fn nesting_a_hundred_thousand_levels_deep_is_refused_at_the_limit() {
    let site = fixture("minimal");
    let depth = burnrate::yaml::MAX_DEPTH;
    site.write(
        "content/charts/money.yaml",
        chart_with_scale(&"[".repeat(100_000)),
    );
    assert_eq!(
        refused(&site),
        format!(
            "content/charts/money.yaml:3:{}: lists and mappings are nested more than {depth} levels deep here; write at most {depth} levels\n1 problem found; nothing was written\n",
            7 + depth
        )
    );
}

#[test]
fn a_megabyte_value_is_quoted_in_forty_characters() {
    let site = fixture("minimal");
    site.write(
        "content/charts/money.yaml",
        chart_with_scale(&"对数".repeat(500_000)),
    );
    assert_eq!(
        refused(&site),
        format!(
            "content/charts/money.yaml:3:8: scale: unknown value `{}…`; expected `linear` or `log`\n1 problem found; nothing was written\n",
            "对数".repeat(20)
        )
    );
}

#[test]
fn bytes_that_are_not_utf8_text_are_located_in_every_kind_of_file() {
    let site = fixture("minimal");
    let section = site.read("content/sections/01-intro.md");
    let bad_line = section.lines().count() + 2;
    let mut bad_body = section.into_bytes();
    bad_body.extend_from_slice(b"\n\xE9\xE9\n");
    site.write("content/sections/01-intro.md", bad_body);
    let company = site.read("content/companies/market.yaml");
    let nul_line = company
        .lines()
        .position(|l| l.starts_with("description:"))
        .unwrap()
        + 1;
    site.write(
        "content/companies/market.yaml",
        company.replacen("description: ", "description: \0", 1),
    );
    let utf16: Vec<u8> = "title: t\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    site.write(
        "content/pages/method.md",
        [b"\xFF\xFE".as_slice(), &utf16].concat(),
    );
    assert_eq!(
        refused(&site),
        format!(
            "content/companies/market.yaml:{nul_line}:14: found a NUL character (an invisible control character): delete it\n\
             content/pages/method.md:1:1: this file is saved as UTF-16: save it as UTF-8 (in the editor's \"Save with Encoding\" or \"Save As\" dialog)\n\
             content/sections/01-intro.md:{bad_line}:1: the byte 0xE9 here is not UTF-8 text: save the file as UTF-8, or retype this character\n\
             3 problems found; nothing was written\n"
        )
    );
}
