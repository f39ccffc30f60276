//! Builds of the `minimal` fixture with the real templates, checked through what they write.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{TempSite, broken_links, fact_refs_in_json, fixture, link_values, snapshot};

/// The fixture's base URL, from `tests/fixtures/minimal/content/site.yaml`.
const BASE_URL: &str = "https://example.org/mini/";

/// The minimal fixture, built once into its `public/`.
fn built() -> TempSite {
    let site = fixture("minimal");
    site.build().expect("the minimal fixture builds");
    site
}

/// The text of `rel` under `public/`.
fn page(site: &TempSite, rel: &str) -> String {
    site.read(&format!("public/{rel}"))
}

/// The part of `text` from the first `start` up to and including the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not found"));
    let len = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("{end:?} not found after {start:?}"));
    &text[from..from + len + end.len()]
}

/// The text inside every `<tag …>…</tag>` of `html`.
fn contents<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i..];
        let Some(gt) = after.find('>') else { break };
        let Some(end) = after.find(&close) else { break };
        out.push(&after[gt + 1..end]);
        rest = &after[end + close.len()..];
    }
    out
}

#[test]
fn every_page_of_the_site_is_written() {
    let site = fixture("minimal");
    let summary = site.build().unwrap();
    let public = site.public();
    for rel in [
        "index.html",
        "sections/intro/index.html",
        "sections/market/index.html",
        "companies/index.html",
        "companies/alpha/index.html",
        "companies/market/index.html",
        "data/index.html",
        "data/facts.json",
        "data/facts.csv",
        "method/index.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
        ".nojekyll",
        "style.css",
        "favicon.svg",
        "charts/money.svg",
        "data/charts/money.csv",
        "charts/company-alpha.svg",
    ] {
        assert!(public.join(rel).is_file(), "{rel} was not written");
    }
    let html = snapshot(&public)
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert_eq!(summary.pages, html, "pages counted in the summary");
    assert_eq!((summary.charts, summary.facts), (2, 6));
    assert_eq!(summary.output, public);
    // One document per chart: pages inline both layouts, so a narrow file would go unused.
    let mut charts: Vec<String> = std::fs::read_dir(public.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    charts.sort();
    assert_eq!(charts, ["company-alpha.svg", "money.svg"]);
}

#[test]
fn drafts_are_checked_but_not_published() {
    let site = built();
    assert!(!site.path("public/sections/draft").exists());
    for (rel, bytes) in snapshot(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("草稿章节") && !text.contains("sections/draft/"),
            "{} mentions the draft section",
            rel.display()
        );
    }
}

#[test]
fn sections_link_to_the_previous_and_next_published_section() {
    let site = built();
    let intro = page(&site, "sections/intro/index.html");
    let market = page(&site, "sections/market/index.html");
    assert!(
        intro.contains(r#"<a class="next" rel="next" href="/mini/sections/market/">"#),
        "the first section's next link skips the draft: {}",
        between(&intro, "<nav class=\"pager\"", "</nav>")
    );
    assert!(
        !intro.contains("rel=\"prev\""),
        "the first section has no previous"
    );
    assert!(market.contains(r#"<a class="prev" rel="prev" href="/mini/sections/intro/">"#));
    assert!(
        !market.contains("rel=\"next\""),
        "the last section has no next"
    );
    assert!(
        intro.contains(">第1章<") && market.contains(">第2章<"),
        "numbered without the draft"
    );
}

#[test]
fn fact_references_render_as_linked_figures_with_their_qualifier() {
    let site = built();
    let intro = page(&site, "sections/intro/index.html");
    for (id, text) in [
        ("revenue", "约16亿美元"),
        ("revenue_range", "1.5亿至2亿美元"),
        ("spending", "未披露"),
        ("funding", "超过70亿美元"),
    ] {
        let href = format!("href=\"/mini/companies/alpha/#fact-{id}\"");
        let link = between(&intro, &href, "</a>");
        assert!(link.ends_with(&format!(">{text}</a>")), "{id}: {link}");
        assert!(
            link.contains("title=\"来源："),
            "{id} names its source: {link}"
        );
    }
    let company = page(&site, "companies/alpha/index.html");
    for id in ["revenue", "revenue_range", "spending", "funding"] {
        assert!(
            company.contains(&format!("id=\"fact-{id}\"")),
            "row of {id}"
        );
    }
    let market = page(&site, "sections/market/index.html");
    assert!(market.contains(">约2.6万家</a>"), "counts use their unit");
    let method = page(&site, "method/index.html");
    assert!(
        method.contains(">超过70亿美元</a>"),
        "pages resolve references too"
    );
    // Pages and data files; the published JSON Schemas document the [[…]] syntax itself.
    for (rel, bytes) in snapshot(&site.public()) {
        if rel.starts_with("schema") || rel.extension().is_some_and(|x| x == "png") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("[["),
            "{} has an unresolved [[",
            rel.display()
        );
    }
}

#[test]
fn home_page_shows_the_key_numbers_and_the_headline_chart() {
    let site = built();
    let home = page(&site, "index.html");
    let keys = between(&home, "<ul class=\"key-numbers\">", "</ul>");
    assert!(
        keys.contains("href=\"/mini/companies/alpha/#fact-revenue\""),
        "{keys}"
    );
    assert!(
        keys.contains("约16亿美元") && keys.contains("约2.6万家"),
        "{keys}"
    );
    assert!(home.contains("href=\"/mini/charts/money.svg\""));
    assert!(home.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(home.contains("href=\"/mini/sections/intro/\""));
}

#[test]
fn company_pages_list_their_facts_and_sections() {
    let site = built();
    let alpha = page(&site, "companies/alpha/index.html");
    assert!(alpha.contains("Alpha AI"), "original name");
    assert!(alpha.contains("https://example.com/report"), "source link");
    assert!(alpha.contains("原文为区间。"), "note");
    let discussed = between(&alpha, "id=\"discussed-in\"", "</section>");
    assert!(discussed.contains("/mini/sections/intro/"), "{discussed}");
    let market = page(&site, "companies/market/index.html");
    assert!(
        market.contains("<p class=\"kicker\">整体市场</p>"),
        "kind: market"
    );
    let index = page(&site, "companies/index.html");
    assert!(index.contains("/mini/companies/alpha/") && index.contains("/mini/companies/market/"));
    assert!(page(&site, "404.html").contains("页面不存在"));
}

#[test]
fn facts_json_has_one_complete_record_per_fact() {
    let site = built();
    let loaded = burnrate::load::load(site.root())
        .expect("fixture loads")
        .site;
    let json: Value = serde_json::from_str(&page(&site, "data/facts.json")).unwrap();
    let records = json.as_array().expect("an array of records");
    let expected: Vec<String> = loaded
        .companies
        .iter()
        .flat_map(|c| c.facts.iter().map(move |f| format!("{}/{}", c.slug, f.id)))
        .collect();
    assert_eq!(fact_refs_in_json(&json), expected);
    let fields = [
        "company",
        "company_name",
        "id",
        "metric",
        "metric_label",
        "qualifier",
        "value",
        "low",
        "high",
        "unit",
        "text",
        "period",
        "as_of",
        "source",
        "source_via",
        "source_date",
        "source_url",
        "note",
        "history",
    ];
    for r in records {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        let mut want = fields.to_vec();
        want.sort_unstable();
        let mut keys_sorted = keys.clone();
        keys_sorted.sort_unstable();
        assert_eq!(keys_sorted, want, "fields of {r}");
    }
    let by_id = |id: &str| records.iter().find(|r| r["id"] == id).unwrap();
    let revenue = by_id("revenue");
    assert_eq!(revenue["qualifier"], "about");
    assert_eq!(revenue["value"], 1_600_000_000u64);
    assert_eq!(revenue["text"], "约16亿美元");
    assert_eq!(revenue["unit"], "usd");
    assert_eq!(revenue["source_via"], "测试媒体");
    assert_eq!(revenue["as_of"], "2024-05-04");
    let range = by_id("revenue_range");
    assert_eq!(range["qualifier"], "range");
    assert_eq!(
        (&range["value"], &range["low"], &range["high"]),
        (&Value::Null, &150_000_000u64.into(), &200_000_000u64.into())
    );
    assert_eq!(range["note"], "原文为区间。");
    let spending = by_id("spending");
    assert_eq!(spending["qualifier"], "undisclosed");
    assert!(spending["value"].is_null() && spending["low"].is_null() && spending["high"].is_null());
    assert_eq!(spending["text"], "未披露");
    let funding = by_id("funding");
    assert_eq!(funding["qualifier"], "more_than");
    assert_eq!(funding["source_url"], "https://example.com/report");
    assert_eq!(by_id("startups")["unit"], "companies");
    assert_eq!(
        by_id("venture")["qualifier"],
        "exact",
        "exact is the default"
    );
}

/// Splits one CSV line into fields (RFC 4180 quoting, no line breaks inside fields).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            c => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[test]
fn facts_csv_has_a_header_and_one_line_per_fact() {
    let site = built();
    let csv = page(&site, "data/facts.csv");
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark, so Excel reads UTF-8");
    let lines: Vec<&str> = csv.lines().collect();
    let header = csv_fields(lines[0]);
    assert_eq!(header[..3], ["company", "company_name", "id"]);
    assert_eq!(lines.len(), 1 + 6, "{csv}");
    for line in &lines[1..] {
        assert_eq!(csv_fields(line).len(), header.len(), "{line}");
    }
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let range = csv_fields(
        lines
            .iter()
            .find(|l| l.contains(",revenue_range,"))
            .unwrap(),
    );
    assert_eq!(range[col("low")], "150000000");
    assert_eq!(range[col("high")], "200000000");
    assert_eq!(range[col("value")], "");
    assert_eq!(range[col("text")], "1.5亿至2亿美元");
}

#[test]
fn charts_are_accessible_svgs_with_a_data_table_of_the_same_figures() {
    let site = built();
    let svg = page(&site, "charts/money.svg");
    let root = between(&svg, "<svg", ">");
    assert!(root.contains("role=\"img\""), "{root}");
    assert!(root.contains("viewBox=\"0 0 "), "{root}");
    // The chart's title first; then one title per value, its detail on hover.
    let titles = contents(&svg, "title");
    assert_eq!(titles[0], "融到的钱与赚到的钱");
    assert!(
        titles[1..]
            .iter()
            .any(|t| t.contains("超过70亿美元") && t.contains("来源")),
        "{titles:?}"
    );
    assert_eq!(contents(&svg, "desc"), ["阿尔法的融资额远高于营收。"]);
    let drawn = |svg: &str| -> Vec<String> {
        contents(svg, "text")
            .iter()
            .map(|t| t.trim().to_string())
            .collect()
    };

    let intro = page(&site, "sections/intro/index.html");
    let figure = between(
        &intro,
        "<figure class=\"chart\" id=\"chart-money\"",
        "</figure>",
    );
    // The page inlines the drawing (its values focusable), links the standalone file, and
    // prints the source line once: under the chart, not inside the inlined drawing.
    assert!(
        figure.contains("href=\"/mini/charts/money.svg\""),
        "{figure}"
    );
    assert!(figure.contains("tabindex=\"0\""), "{figure}");
    let source = between(figure, "<p class=\"chart-source\">", " · ")
        .trim_start_matches("<p class=\"chart-source\">")
        .trim_end_matches(" · ");
    assert_eq!(figure.matches(source.trim()).count(), 1, "{source}");
    assert!(drawn(&svg).iter().any(|t| t == source.trim()), "{source}");
    let table = between(figure, "<table>", "</table>");
    let cells: Vec<&str> = contents(table, "td")
        .into_iter()
        .filter(|c| *c != "—")
        .collect();
    assert_eq!(cells, ["超过70亿美元", "约16亿美元", "3300亿美元"]);
    for cell in &cells {
        assert!(drawn(&svg).iter().any(|t| t == cell), "{cell} not drawn");
    }
    let csv = page(&site, "data/charts/money.csv");
    assert_eq!(csv.lines().count(), 1 + cells.len(), "{csv}");

    let company_svg = page(&site, "charts/company-alpha.svg");
    let alpha = page(&site, "companies/alpha/index.html");
    assert!(alpha.contains("href=\"/mini/charts/company-alpha.svg\""));
    for figure in ["约16亿美元", "超过70亿美元"] {
        assert!(drawn(&company_svg).iter().any(|t| t == figure), "{figure}");
    }
}

#[test]
fn every_internal_link_resolves_under_the_configured_base_path() {
    let site = built();
    assert_eq!(broken_links(&site.public(), BASE_URL), Vec::<String>::new());
    let home = page(&site, "index.html");
    assert!(link_values(&home).iter().any(|l| l.starts_with("/mini/")));
}

#[test]
fn base_url_option_changes_every_internal_link() {
    for base in [
        "https://news.example.com/deep/path/",
        "http://localhost:8000/",
    ] {
        let site = fixture("minimal");
        site.build_with(None, Some(base)).unwrap();
        let problems = broken_links(&site.public(), base);
        assert!(problems.is_empty(), "{base}:\n{}", problems.join("\n"));
        for (rel, bytes) in snapshot(&site.public()) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("/mini/") && !text.contains("example.org"),
                "{base}: {} keeps the configured base URL",
                rel.display()
            );
        }
        let sitemap = page(&site, "sitemap.xml");
        assert_eq!(
            contents(&sitemap, "loc").first(),
            Some(&base),
            "the sitemap uses the new base URL"
        );
    }
}

#[test]
fn the_link_checker_finds_broken_links() {
    let site = built();
    site.write(
        "public/bad.html",
        concat!(
            r##"<a href="/other/">x</a> <a href="/mini/nope/">y</a> "##,
            r##"<a href="/mini/companies/alpha/#fact-nope">z</a> <a href="#top">t</a> "##,
            r##"<a href="https://elsewhere.example/">ok</a> <img src="/mini/favicon.svg?v=1">"##,
        ),
    );
    let problems = broken_links(&site.public(), BASE_URL);
    assert_eq!(problems.len(), 4, "{problems:#?}");
}

#[test]
fn sitemap_feed_and_robots_point_at_published_pages() {
    let site = built();
    let public = site.public();
    let sitemap = page(&site, "sitemap.xml");
    let locs = contents(&sitemap, "loc");
    assert_eq!(locs.len(), 9, "every page but 404: {locs:?}");
    for loc in &locs {
        let rel = loc
            .strip_prefix(BASE_URL)
            .expect("absolute URL under the base URL");
        assert!(public.join(rel).join("index.html").is_file(), "{loc}");
    }
    assert!(!sitemap.contains("404"));
    let feed = page(&site, "feed.xml");
    let ids: Vec<&str> = contents(&feed, "entry")
        .iter()
        .map(|e| contents(e, "id")[0])
        .collect();
    assert_eq!(
        ids,
        [
            "https://example.org/mini/sections/intro/",
            "https://example.org/mini/sections/market/",
            "https://example.org/mini/sections/market/#note-1"
        ]
    );
    assert!(
        feed.contains("<updated>2024-05-07T00:00:00Z</updated>"),
        "section updated date"
    );
    let robots = page(&site, "robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.org/mini/sitemap.xml"),
        "{robots}"
    );
    assert_eq!(std::fs::read(public.join(".nojekyll")).unwrap(), b"");
}

#[test]
fn building_twice_gives_byte_identical_output() {
    let site = built();
    let first = snapshot(&site.public());
    assert!(first.len() > 10);
    site.build().unwrap();
    assert!(
        first == snapshot(&site.public()),
        "the second build differs"
    );
    // Another copy in another folder builds to the same bytes too.
    let other = built();
    assert!(
        first == snapshot(&other.public()),
        "output depends on the folder"
    );
}

#[test]
fn a_rebuild_removes_pages_of_deleted_sections() {
    let site = built();
    assert!(site.path("public/sections/market/index.html").is_file());
    site.remove("content/sections/03-market.md");
    site.build().unwrap();
    assert!(
        !site.path("public/sections/market").exists(),
        "stale page left behind"
    );
    let intro = page(&site, "sections/intro/index.html");
    assert!(
        !intro.contains("rel=\"next\""),
        "link to the deleted section"
    );
    assert!(!page(&site, "sitemap.xml").contains("sections/market/"));
    let leftovers: Vec<PathBuf> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            // The lock file and the kept social cards stay; staging folders and old copies
            // must not.
            name.contains("burnrate")
                && name != ".public.burnrate-lock"
                && name != ".burnrate-cache"
        })
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
}

#[test]
fn the_binary_prints_one_summary_line() {
    let site = fixture("minimal");
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let line = run.stdout.strip_suffix('\n').expect("ends with a newline");
    assert!(!line.contains('\n'), "one line: {line}");
    let words: Vec<&str> = line.split(' ').collect();
    let shape: Vec<&str> = words
        .iter()
        .map(|w| match w.strip_prefix('(').unwrap_or(w).parse::<u64>() {
            Ok(_) if w.starts_with('(') => "(N",
            Ok(_) => "N",
            Err(_) => w,
        })
        .collect();
    assert_eq!(
        shape,
        [
            "built", "N", "pages,", "N", "charts,", "N", "facts", "(N", "files,", "N", "changed)",
            "into", "public", "in", "N", "ms"
        ],
        "{line}"
    );
    // The counts are of the site's files, all of them written by a first build.
    let files = words[7].trim_start_matches('(').parse::<usize>().unwrap();
    assert_eq!(files, snapshot(&site.public()).len(), "{line}");
    assert_eq!(words[9], files.to_string(), "{line}");
    let html = snapshot(Path::new(&site.public()))
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert_eq!(words[1], html.to_string());
    assert_eq!((words[3], words[5]), ("2", "6"));
}

#[test]
fn revised_sections_say_so_and_long_sections_have_a_table_of_contents() {
    let site = fixture("minimal");
    let intro = site.read("content/sections/01-intro.md");
    site.write(
        "content/sections/01-intro.md",
        format!("{intro}\n## 第一部分\n\n文字。\n\n## 第二部分\n\n文字。\n"),
    );
    site.build().expect("builds");
    let market = page(&site, "sections/market/index.html");
    assert!(
        market.contains("<div class=\"revisions\" role=\"note\"><p class=\"revision\" id=\"note-1\"><strong>更正（<time datetime=\"2024-05-07\">2024年5月7日</time>）：</strong>更正了初创公司数量的时期。</p>"),
        "{market}"
    );
    assert!(
        !market.contains("class=\"toc\""),
        "no contents for a section without headings"
    );
    let intro = page(&site, "sections/intro/index.html");
    assert!(!intro.contains("class=\"revision\""));
    assert!(
        intro.contains(
            "<li><a href=\"#第一部分\">第一部分</a></li><li><a href=\"#第二部分\">第二部分</a></li>"
        ),
        "{intro}"
    );
    assert!(intro.contains("<h2 id=\"第一部分\">"));
}

#[test]
fn a_company_page_links_every_section_that_cites_its_facts() {
    let site = fixture("minimal");
    site.write(
        "content/sections/01-intro.md",
        site.read("content/sections/01-intro.md")
            .replace("companies: [alpha]\n", ""),
    );
    site.build().unwrap();
    let alpha = page(&site, "companies/alpha/index.html");
    assert!(
        alpha.contains("href=\"/mini/sections/intro/\""),
        "the citing section is not linked from the company page"
    );
    let intro = page(&site, "sections/intro/index.html");
    assert!(intro.contains("href=\"/mini/companies/alpha/\""));
}

#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    let site = fixture("minimal");
    let mut outputs = Vec::new();
    for threads in ["1", "2", "5"] {
        let out = site.path(&format!("out-{threads}"));
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_burnrate"))
            .args(["build", "--output"])
            .arg(&out)
            .current_dir(site.root())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        outputs.push(snapshot(&out));
    }
    assert!(outputs[0].len() > 10);
    assert!(outputs[0] == outputs[1], "1 and 2 threads differ");
    assert!(outputs[0] == outputs[2], "1 and 5 threads differ");
}

#[test]
fn the_companies_page_follows_the_editors_order_with_the_market_apart() {
    let site = fixture("minimal");
    let alpha = site.read("content/companies/alpha.yaml");
    site.write(
        "content/companies/zeta.yaml",
        alpha.replace("阿尔法", "泽塔"),
    );
    let config = site.read("content/site.yaml");
    site.write(
        "content/site.yaml",
        config.replace(
            "source_article:",
            "companies: [zeta, market]\nsource_article:",
        ),
    );
    site.build().expect("builds");
    let index = page(&site, "companies/index.html");
    let companies = between(&index, "id=\"companies-list\"", "</section>");
    let (zeta, alpha) = (
        companies
            .find("/mini/companies/zeta/")
            .expect("zeta listed"),
        companies
            .find("/mini/companies/alpha/")
            .expect("alpha listed"),
    );
    assert!(zeta < alpha, "named first, the rest after: {companies}");
    assert!(!companies.contains("/companies/market/"), "{companies}");
    let markets = between(&index, "id=\"markets-list\"", "</section>");
    assert!(markets.contains("/mini/companies/market/"), "{markets}");
}

#[test]
fn sections_carry_a_byline_and_their_chapter_number() {
    let site = fixture("minimal");
    let market = site.read("content/sections/03-market.md");
    site.write(
        "content/sections/03-market.md",
        market.replacen("order: 3\n", "order: 3\nauthor: 特约撰稿人\n", 1),
    );
    site.build().expect("builds");
    let intro = page(&site, "sections/intro/index.html");
    assert!(intro.contains("<p class=\"kicker\">第1章</p>"), "{intro}");
    assert!(
        intro.contains("<span class=\"author\">文｜测试编辑部</span>"),
        "the publisher when neither the site nor the section names an author"
    );
    let market = page(&site, "sections/market/index.html");
    assert!(
        market.contains("<span class=\"author\">文｜特约撰稿人</span>"),
        "the section's own author"
    );
    assert!(
        market.contains("<time datetime=\"2024-05-06\">2024年5月6日</time> · 更新于<time datetime=\"2024-05-07\">2024年5月7日</time>"),
        "published and updated dates"
    );
}

#[test]
fn facts_tables_give_each_date_once() {
    let site = built();
    let alpha = page(&site, "companies/alpha/index.html");
    let table = between(&alpha, "<table class=\"facts\">", "</table>");
    let row = between(table, "id=\"fact-revenue\"", "</tr>");
    assert_eq!(row.matches("<time").count(), 1, "{row}");
    assert!(!table.contains("转引自"), "{table}");
    assert!(
        !table.contains("数据截至"),
        "as of the source's date: said once"
    );
    let data = page(&site, "data/index.html");
    assert!(
        data.contains("<th scope=\"rowgroup\" colspan=\"4\"><a href=\"/mini/companies/alpha/\">"),
        "the data page groups facts by company"
    );
}

#[test]
fn a_figure_current_on_another_day_than_its_source_says_so() {
    let site = fixture("minimal");
    let alpha = site.read("content/companies/alpha.yaml");
    site.write(
        "content/companies/alpha.yaml",
        alpha.replacen("as_of: 2024-05-04", "as_of: 2024-03-31", 1),
    );
    site.build().expect("builds");
    let alpha = page(&site, "companies/alpha/index.html");
    let row = between(&alpha, "id=\"fact-revenue\"", "</tr>");
    assert!(
        row.contains("数据截至<time datetime=\"2024-03-31\">2024年3月31日</time>"),
        "{row}"
    );
    assert_eq!(row.matches("<time").count(), 2, "{row}");
}

#[test]
fn a_build_validates_a_body_it_did_not_keep_from_what_its_parse_found() {
    // A section whose references are all plain and name facts is not read again to validate
    // it; one with a reference only the Markdown parser can judge is, and says so when its
    // file has gone since it was loaded.
    let site = fixture("minimal");
    site.write(
        "content/sections/04-extra.md",
        "---\ntitle: t\nsummary: s\norder: 4\ndate: 2024-05-06\n---\n[[alpha/revenue]] 与 [[ alpha/revenue / alpha/funding ]]\n",
    );
    let loaded = burnrate::load::load_lean(site.root()).expect("the site loads");
    site.remove("content/sections/01-intro.md");
    assert_eq!(
        burnrate::validate::validate(&loaded.site, &loaded.sources),
        Vec::new()
    );
    site.remove("content/sections/04-extra.md");
    let problems: Vec<String> = burnrate::validate::validate(&loaded.site, &loaded.sources)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        [format!(
            "{}: file not found",
            site.path("content/sections/04-extra.md").display()
        )]
    );
}

#[test]
fn validating_a_site_without_problems_takes_no_text_into_the_source_map() {
    // A build leaves these texts out to hold 50 MB less at ten thousand sections; keeping them
    // once read to validate a site that has nothing to point at would undo that. The sections'
    // bodies are left out too, and read again from their files where needed.
    let site = fixture("minimal");
    let loaded = burnrate::load::load_lean(site.root()).expect("the site loads");
    assert!(
        loaded
            .site
            .sections
            .iter()
            .all(|s| s.body.is_empty() && s.released.is_some()),
        "a section's body was held"
    );
    let held = loaded.sources.held();
    assert!(burnrate::validate::validate(&loaded.site, &loaded.sources).is_empty());
    assert_eq!(loaded.sources.held(), held, "validation read texts back");
    let sections: Vec<&str> = loaded
        .site
        .sections
        .iter()
        .map(|s| loaded.sources.text(&s.path))
        .collect();
    assert!(
        sections.iter().all(|t| !t.is_empty()),
        "a section left out can still be read"
    );
    assert_eq!(
        loaded.sources.held(),
        held + sections.len(),
        "section texts were left out"
    );
}

#[test]
fn a_chinese_headline_breaks_at_its_colon() {
    // On a phone 烧钱竞赛：AI初创公司的资金困局 broke as AI初 / 创公司: the part after the
    // full-width colon is one inline box (`h1 .rest`), escaped like any text; a headline without
    // exactly one colon prints as it is.
    let site = fixture("minimal");
    site.replace(
        "content/sections/01-intro.md",
        "title: 开篇",
        "title: '开篇<i>：阿尔法的账本'",
    );
    site.replace(
        "content/site.yaml",
        "title: 测试站点",
        "title: 测试：站点：二",
    );
    site.build().expect("the fixture builds");
    let section = page(&site, "sections/intro/index.html");
    assert!(
        section.contains("<h1>开篇&lt;i&gt;：<span class=\"rest\">阿尔法的账本</span></h1>"),
        "{}",
        between(&section, "<h1", "</h1>")
    );
    let home = page(&site, "index.html");
    assert!(
        home.contains("<h1>测试：站点：二</h1>"),
        "{}",
        between(&home, "<h1", "</h1>")
    );
}
