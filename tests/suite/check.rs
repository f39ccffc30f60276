//! `burnrate check`: each kind of problem found in one run, nothing written, exit 0 when clean.

use crate::common::fixture;

#[test]
fn a_clean_site_passes_and_lists_external_links() {
    let site = fixture("minimal");
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "external links (listed, not fetched):\n  https://example.com/report\nno problems found\n"
    );
    assert!(!site.public().exists(), "check wrote the site");
}

#[test]
fn every_kind_of_problem_is_reported_in_one_run() {
    let site = fixture("minimal");
    site.write(
        "content/sections/03-market.md",
        "---\ntitle: 市场\nsummary: 整体市场的规模。\norder: 3\ndate: 2024-05-06\ncompanies: [market]\n---\n\
         三年间共有[[market/startups]]初创公司获得投资，总额3300亿美元，是上一期的1.7倍。\n\n\
         见[方法](../../method/#nowhere)、[图](../../charts/none.svg)和![图](missing.png)。\n",
    );
    site.write(
        "templates/404.html",
        site.read("templates/404.html")
            .replace("{{ site.base_path }}\">", "{{ site.base_path }}gone/\">"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "content/sections/03-market.md:8:36: figure \"3300亿美元\" is typed by hand; write [[market/venture]] so it follows the facts\n\
         content/sections/03-market.md:8:49: multiple or share \"1.7倍\" is typed by hand; compute it from the facts with a reference such as [[company/fact / company/fact]]\n\
         content/sections/03-market.md:10:2: link ../../method/#nowhere: method/index.html has no element with id \"nowhere\"\n\
         content/sections/03-market.md:10:30: link ../../charts/none.svg points to charts/none.svg, which the site does not have\n\
         content/sections/03-market.md:10:57: link missing.png points to sections/market/missing.png, which the site does not have\n\
         templates/404.html:6:35: link /mini/gone/ points to gone/index.html, which the site does not have\n\
         6 problems found\n"
    );
    assert!(!site.public().exists(), "check wrote the site");
}

#[test]
fn validation_problems_are_reported_too() {
    let site = fixture("minimal");
    site.write(
        "content/sections/01-intro.md",
        site.read("content/sections/01-intro.md")
            .replace("[[alpha/revenue]]", "[[alpha/nope]]"),
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("fact reference [[alpha/nope]]: alpha has no fact \"nope\""),
        "{}",
        run.stderr
    );
}
