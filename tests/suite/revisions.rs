//! Corrections and updates: a fact's history and dated notes, wherever readers see them.

use crate::common::{TempSite, fixture};

/// The minimal fixture with a corrected and updated fact, a section and a page with notes, and
/// the site's `updated` date after them.
pub fn revised() -> TempSite {
    let site = fixture("minimal");
    let alpha = site.read("content/companies/alpha.yaml");
    let revenue_source = "      via: 测试媒体\n      date: 2024-05-04\n";
    assert!(alpha.contains(revenue_source));
    site.write(
        "content/companies/alpha.yaml",
        alpha.replacen(
            revenue_source,
            &format!(
                "{revenue_source}    history:\n      \
                 - date: 2024-05-08\n        kind: correction\n        value: 1000000000\n        \
                 note: 原先误抄了另一家公司的数字。\n      \
                 - date: 2024-05-20\n        kind: update\n        qualifier: more_than\n        \
                 value: 1500000000\n        source:\n          who: 公司财报\n          \
                 date: 2024-05-18\n        note: 新报道给出了更准确的数字。\n"
            ),
            1,
        ),
    );
    let site_yaml = site.read("content/site.yaml");
    site.write(
        "content/site.yaml",
        site_yaml.replace("updated: 2024-05-06", "updated: 2024-06-01"),
    );
    let method = site.read("content/pages/method.md");
    site.write(
        "content/pages/method.md",
        method.replacen(
            "summary: 数字从哪里来。\n",
            "summary: 数字从哪里来。\nnotes:\n  - date: 2024-05-10\n    kind: update\n    text: 补充了来源说明。\n",
            1,
        ),
    );
    site
}

#[test]
fn a_revised_fact_shows_its_history_where_readers_see_it() {
    let site = revised();
    site.build().expect("builds");
    let company = site.read("public/companies/alpha/index.html");
    assert!(
        company.contains(
            "<span class=\"revision-of-fact\" id=\"fact-revenue-rev-2\"><strong>更新</strong>（<time datetime=\"2024-05-20\">2024年5月20日</time>）此前为超过15亿美元，原来源：公司财报，2024年5月18日。新报道给出了更准确的数字。</span>"
        ),
        "{company}"
    );
    assert!(company.contains("id=\"fact-revenue-rev-1\""), "{company}");
    // The prose marks the corrected figure, linking to the correction's note.
    let intro = site.read("public/sections/intro/index.html");
    assert!(
        intro.contains("约16亿美元</a><a class=\"revision-mark\" href=\"/mini/companies/alpha/#fact-revenue-rev-1\" title=\"更正（2024年5月8日）：原先误抄了另一家公司的数字。\"><sup>更正</sup></a>"),
        "{intro}"
    );
    // The section shows the newest revision of the figures it cites as its updated date.
    assert!(
        intro.contains("更新于<time datetime=\"2024-05-20\">2024年5月20日</time>"),
        "{intro}"
    );
    // An unrevised fact has no marker.
    assert_eq!(intro.matches("revision-mark").count(), 1, "{intro}");
    // Search engines are told too: dateModified is the newest revision, and the correction is
    // dated by the correction (not the later update).
    let open = "<script type=\"application/ld+json\">";
    let start = intro.find(open).expect("JSON-LD") + open.len();
    let end = start + intro[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&intro[start..end]).unwrap();
    assert_eq!(ld["dateModified"], "2024-05-20", "{ld}");
    assert_eq!(ld["correction"]["datePublished"], "2024-05-08", "{ld}");
    assert!(
        ld["correction"]["text"]
            .as_str()
            .unwrap()
            .contains("更正与更新"),
        "{ld}"
    );

    let corrections = site.read("public/corrections/index.html");
    let order: Vec<usize> = [
        "fact-revenue-rev-2",
        "method/#note-1",
        "fact-revenue-rev-1",
        "sections/market/#note-1",
    ]
    .iter()
    .map(|a| {
        corrections
            .find(a)
            .unwrap_or_else(|| panic!("{a} in {corrections}"))
    })
    .collect();
    assert!(order.is_sorted(), "newest first: {order:?}");
    assert!(
        corrections.contains("此前为10亿美元，现为超过15亿美元"),
        "{corrections}"
    );

    let feed = site.read("public/feed.xml");
    assert!(
        feed.contains("<id>https://example.org/mini/companies/alpha/#fact-revenue-rev-1</id>"),
        "a correction has an entry: {feed}"
    );
    assert!(
        !feed.contains("fact-revenue-rev-2"),
        "an update has none: {feed}"
    );

    let sitemap = site.read("public/sitemap.xml");
    for (page, date) in [
        ("companies/alpha/", "2024-05-20"),
        ("sections/intro/", "2024-05-20"),
        ("method/", "2024-05-10"),
        ("data/", "2024-06-01"),
    ] {
        let url = format!("<loc>https://example.org/mini/{page}</loc><lastmod>{date}</lastmod>");
        assert!(sitemap.contains(&url), "{url} in {sitemap}");
    }

    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/data/facts.json")).unwrap();
    let revenue = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "revenue")
        .unwrap();
    assert_eq!(revenue["history"][0]["kind"], "correction");
    assert_eq!(revenue["history"][0]["value"], 1_000_000_000u64);
    assert_eq!(revenue["history"][1]["qualifier"], "more_than");
    assert_eq!(revenue["history"][1]["source"], "公司财报");
    let csv = site.read("public/data/revisions.csv");
    assert_eq!(
        csv,
        "\u{feff}company,id,date,kind,previous_qualifier,previous_value,previous_low,previous_high,previous_text,previous_source,previous_source_date,note\n\
         alpha,revenue,2024-05-08,correction,exact,1000000000,,,10亿美元,,,原先误抄了另一家公司的数字。\n\
         alpha,revenue,2024-05-20,update,more_than,1500000000,,,超过15亿美元,公司财报,2024-05-18,新报道给出了更准确的数字。\n"
    );

    let page = site.read("public/method/index.html");
    assert!(
        page.contains("<p class=\"revision\" id=\"note-1\"><strong>更新（<time datetime=\"2024-05-10\">2024年5月10日</time>）：</strong>补充了来源说明。</p>"),
        "{page}"
    );
    // Every note and revision the pages link to exists.
    let check = site.run(&["check"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
}

#[test]
fn a_site_without_revisions_says_so() {
    let site = fixture("minimal");
    site.remove("content/sections/03-market.md");
    site.build().expect("builds");
    let corrections = site.read("public/corrections/index.html");
    assert!(
        corrections.contains("本站发布以来尚无更正或更新。"),
        "{corrections}"
    );
    assert!(!site.read("public/feed.xml").contains("#note-"));
}
