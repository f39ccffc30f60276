//! What the site offers for reuse: JSON-LD on every page that has it, a sitemap dated per page.

use std::path::Path;

use serde_json::Value;

use crate::common::{TempSite, fixture, snapshot};

const BASE_URL: &str = "https://example.org/mini/";

fn built() -> TempSite {
    let site = fixture("minimal");
    site.build().expect("the minimal fixture builds");
    site
}

/// Every JSON-LD block of `html`, parsed. Fails on any other script element.
fn json_ld(html: &str, file: &Path) -> Vec<Value> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<script") {
        let after = &rest[i..];
        assert!(
            after.starts_with(OPEN),
            "{}: a script element that is not JSON-LD",
            file.display()
        );
        let body = &after[OPEN.len()..];
        let end = body.find("</script>").expect("script element closed");
        let text = &body[..end];
        found.push(
            serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("{}: JSON-LD does not parse: {e}", file.display())),
        );
        rest = &body[end..];
    }
    found
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| panic!("{key} missing or empty in {v}"))
}

fn is_date(s: &str) -> bool {
    s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-'
}

#[test]
fn every_article_page_and_the_data_page_carry_json_ld_with_the_required_properties() {
    let site = built();
    let public = site.public();
    let mut articles = Vec::new();
    let mut datasets = 0;
    for (rel, bytes) in snapshot(&public) {
        if rel.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let blocks = json_ld(&html, &rel);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let is_article = rel == "index.html" || rel.starts_with("sections/");
        if is_article {
            assert_eq!(blocks.len(), 1, "{rel}: one NewsArticle");
            let v = &blocks[0];
            assert_eq!(v["@context"], "https://schema.org");
            assert_eq!(v["@type"], "NewsArticle", "{rel}");
            assert_eq!(
                v["url"],
                format!("{BASE_URL}{}", rel.trim_end_matches("index.html"))
            );
            for key in ["headline", "description"] {
                text(v, key);
            }
            assert!(is_date(text(v, "datePublished")) && is_date(text(v, "dateModified")));
            assert!(text(v, "dateModified") >= text(v, "datePublished"), "{rel}");
            assert_eq!(v["inLanguage"], "zh-CN");
            text(&v["author"], "name");
            assert_eq!(v["publisher"]["name"], "测试编辑部");
            assert_eq!(v["isBasedOn"]["headline"], "测试报道");
            articles.push(rel);
        } else if rel == "data/index.html" {
            assert_eq!(blocks.len(), 1, "{rel}: one Dataset");
            let v = &blocks[0];
            assert_eq!(v["@type"], "Dataset");
            for key in ["name", "description", "license", "temporalCoverage"] {
                text(v, key);
            }
            text(&v["creator"], "name");
            let files = v["distribution"].as_array().expect("distribution");
            assert!(files.len() >= 3, "{files:?}");
            for f in files {
                let url = text(f, "contentUrl");
                let file = url.strip_prefix(BASE_URL).expect("under the base URL");
                assert!(public.join(file).is_file(), "{url} is published");
                text(f, "encodingFormat");
            }
            datasets += 1;
        } else {
            assert!(
                blocks.is_empty(),
                "{rel} is neither an article nor the data"
            );
        }
    }
    assert_eq!(
        articles,
        [
            "index.html",
            "sections/intro/index.html",
            "sections/market/index.html"
        ]
    );
    assert_eq!(datasets, 1);
}

#[test]
fn a_revised_section_says_when_and_what_in_its_json_ld() {
    let site = built();
    let html = site.read("public/sections/market/index.html");
    let v = &json_ld(&html, Path::new("market"))[0];
    assert_eq!(v["datePublished"], "2024-05-06");
    assert_eq!(v["dateModified"], "2024-05-07");
    assert_eq!(v["correction"]["text"], "更正了初创公司数量的时期。");
    assert_eq!(v["correction"]["datePublished"], "2024-05-07");
}

#[test]
fn text_that_would_close_the_script_element_stays_inside_it() {
    let site = fixture("minimal");
    let path = "content/sections/01-intro.md";
    let section = site.read(path);
    site.write(
        path,
        section.replace(
            "summary: 阿尔法的账本。",
            "summary: 阿尔法</script><b>账本</b>",
        ),
    );
    site.build().unwrap();
    let html = site.read("public/sections/intro/index.html");
    let v = &json_ld(&html, Path::new("intro"))[0];
    assert_eq!(v["description"], "阿尔法</script><b>账本</b>");
}

#[test]
fn each_sitemap_entry_is_dated_by_its_own_page() {
    let site = built();
    let sitemap = site.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let lastmod = |loc: &str| -> String {
        let url = doc
            .descendants()
            .filter(|n| n.has_tag_name("url"))
            .find(|n| {
                n.descendants()
                    .any(|c| c.has_tag_name("loc") && c.text() == Some(loc))
            })
            .unwrap_or_else(|| panic!("{loc} not in the sitemap"));
        let node = url.descendants().find(|c| c.has_tag_name("lastmod"));
        node.and_then(|n| n.text()).unwrap().to_string()
    };
    assert_eq!(
        lastmod(&format!("{BASE_URL}sections/market/")),
        "2024-05-07"
    );
    assert_eq!(lastmod(&format!("{BASE_URL}sections/intro/")), "2024-05-06");
    assert_eq!(lastmod(BASE_URL), "2024-05-06");
    // A company page is dated by its latest source, never before the site was published.
    assert_eq!(
        lastmod(&format!("{BASE_URL}companies/alpha/")),
        "2024-05-06"
    );
    let path = "content/companies/alpha.yaml";
    let company = site.read(path);
    site.write(
        path,
        company.replacen("date: 2024-05-04", "date: 2024-05-09", 1),
    );
    site.build().unwrap();
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("companies/alpha/</loc><lastmod>2024-05-09</lastmod>"),
        "{sitemap}"
    );
}

/// The cells of a simple CSV line (the tests' CSVs quote no field in the checked columns).
fn cells(line: &str) -> Vec<&str> {
    line.split(',').collect()
}

#[test]
fn the_data_package_describes_every_csv_download_with_its_columns() {
    let site = built();
    let data = site.public().join("data");
    let package: Value =
        serde_json::from_str(&site.read("public/data/datapackage.json")).expect("valid JSON");
    assert_eq!(package["licenses"][0]["name"], "CC-BY-4.0");
    let resources = package["resources"].as_array().unwrap();
    let mut listed: Vec<String> = Vec::new();
    for r in resources {
        let path = text(r, "path");
        assert!(!path.contains("..") && !path.starts_with('/'), "{path}");
        let bytes = std::fs::read(data.join(path)).unwrap_or_else(|_| panic!("{path}"));
        let csv = std::str::from_utf8(&bytes).unwrap();
        let csv = csv
            .strip_prefix('\u{feff}')
            .unwrap_or_else(|| panic!("{path} starts with a byte-order mark for Excel"));
        let mut lines = csv.lines();
        let header = cells(lines.next().unwrap());
        let fields = r["schema"]["fields"].as_array().unwrap();
        let names: Vec<&str> = fields.iter().map(|f| text(f, "name")).collect();
        assert_eq!(header, names, "{path}: the schema's fields are the columns");
        // The revisions have a previous qualifier instead.
        let q = names
            .iter()
            .position(|n| *n == "qualifier" || *n == "previous_qualifier")
            .unwrap_or_else(|| panic!("{path} has a qualifier column"));
        let allowed = &fields[q]["constraints"]["enum"];
        for line in lines {
            // The qualifier column comes before any field that may be quoted.
            let value = cells(line)[q];
            assert!(
                allowed.as_array().unwrap().iter().any(|a| a == value),
                "{path}: qualifier {value} not in {allowed}"
            );
        }
        listed.push(path.to_string());
    }
    let mut published: Vec<String> = snapshot(&data)
        .into_keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| p.ends_with(".csv"))
        .collect();
    published.sort();
    listed.sort();
    assert_eq!(listed, published, "every CSV download is described");
    assert_eq!(
        resources[0]["schema"]["primaryKey"],
        serde_json::json!(["company", "id"])
    );
}

#[test]
fn every_chart_has_an_embed_page_that_stands_alone_and_links_back() {
    let site = built();
    let public = site.public();
    let home = site.read("public/index.html");
    let embeds: Vec<_> = snapshot(&public.join("embed")).into_keys().collect();
    let charts = snapshot(&public.join("data/charts")).len();
    assert_eq!(embeds.len(), charts, "one embed page per chart: {embeds:?}");
    for rel in embeds {
        let id = rel.parent().unwrap().to_string_lossy().to_string();
        let html = site.read(&format!("public/embed/{id}/index.html"));
        assert!(!html.contains("<script") && !html.contains("<nav") && !html.contains("<header"));
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
        // The chart's title is the page's one heading, as a page standing alone needs.
        assert_eq!(html.matches("<h1").count(), 1, "{id}: one heading");
        assert!(
            html.contains(&format!(
                "<h1 class=\"chart-title\" id=\"chart-{id}-title\">"
            )),
            "{id}: title"
        );
        assert!(
            html.contains("class=\"chart-source\">来源"),
            "{id}: source line"
        );
        // The link back leads to the chart on a published page.
        let back = html
            .split("target=\"_top\"")
            .next()
            .and_then(|h| h.rsplit("href=\"").next())
            .and_then(|h| h.split('"').next())
            .unwrap();
        let (page, anchor) = back.split_once('#').unwrap();
        let page = page.strip_prefix("/mini/").expect("under the base path");
        let target = site.read(&format!("public/{page}index.html"));
        assert!(target.contains(&format!("id=\"{anchor}\"")), "{id}: {back}");
    }
    // Under a chart: the code to copy, an iframe of the embed page.
    let iframe = "&lt;iframe src=\"https://example.org/mini/embed/money/\"";
    assert!(home.contains("<details class=\"chart-embed\">") && home.contains(iframe));
}
