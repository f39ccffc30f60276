//! A site of two languages (`tests/fixtures/bilingual`, and the real site): both editions build
//! from the same facts, every page is paired with its counterpart both ways or says it has
//! none, and English pages are English through and through.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{TempSite, fixture, snapshot};

const BASE: &str = "https://example.org/mini/";

fn built() -> TempSite {
    let site = fixture("bilingual");
    site.build()
        .unwrap_or_else(|e| panic!("the bilingual fixture does not build:\n{e}"));
    site
}

/// The value of attribute `name` in the tag `tag`.
fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].replace("&amp;", "&"))
}

/// The `<link rel="alternate" hreflang>` of a page: (hreflang, href), in order.
fn alternates(html: &str) -> Vec<(String, String)> {
    html.match_indices("<link rel=\"alternate\" hreflang=")
        .map(|(i, _)| {
            let tag = &html[i..i + html[i..].find('>').unwrap()];
            (attr(tag, "hreflang").unwrap(), attr(tag, "href").unwrap())
        })
        .collect()
}

/// The output file an absolute address of the site names.
fn file_of(public: &Path, href: &str) -> PathBuf {
    let rel = href.strip_prefix(BASE).expect("an address of the site");
    public.join(format!("{rel}index.html"))
}

/// Every page of the build (not the embed pages, which are not for search, nor 404).
fn pages(public: &Path) -> Vec<(PathBuf, String)> {
    snapshot(public)
        .into_iter()
        .filter(|(rel, _)| {
            rel.extension().is_some_and(|x| x == "html")
                && !rel.starts_with("embed")
                && !rel.starts_with("en/embed")
                && rel != Path::new("404.html")
        })
        .map(|(rel, bytes)| (rel, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[test]
fn every_page_links_its_counterparts_and_they_link_back() {
    let site = built();
    let public = site.public();
    let mut paired = 0;
    for (rel, html) in pages(&public) {
        let links = alternates(&html);
        let canonical = {
            let i = html.find("<link rel=\"canonical\"").unwrap();
            attr(&html[i..i + html[i..].find('>').unwrap()], "href").unwrap()
        };
        // Itself, under its own language, which is also the page's `lang`.
        let own: Vec<&(String, String)> = links.iter().filter(|(_, h)| *h == canonical).collect();
        assert!(
            !own.is_empty(),
            "{}: no alternate for itself",
            rel.display()
        );
        let lang = if rel.starts_with("en") { "en" } else { "zh-CN" };
        assert!(
            html.contains(&format!("<html lang=\"{lang}\">")),
            "{}",
            rel.display()
        );
        assert!(own.iter().any(|(l, _)| l == lang), "{}", rel.display());
        // x-default: the Chinese page, when the page has a counterpart.
        let x_default = links.iter().find(|(l, _)| l == "x-default");
        let zh = links.iter().find(|(l, _)| l == "zh-CN");
        if links.len() > 1 {
            assert_eq!(
                x_default.map(|x| &x.1),
                zh.map(|z| &z.1),
                "{}",
                rel.display()
            );
        } else {
            assert!(x_default.is_none(), "{}", rel.display());
        }
        let set: BTreeSet<&(String, String)> = links.iter().collect();
        for (l, href) in links.iter().filter(|(l, _)| l != "x-default") {
            let other = file_of(&public, href);
            let back = fs::read_to_string(&other)
                .unwrap_or_else(|_| panic!("{}: {l} alternate {href} is missing", rel.display()));
            let back_links = alternates(&back);
            assert_eq!(
                back_links.iter().collect::<BTreeSet<_>>(),
                set,
                "{} and {} list different alternates",
                rel.display(),
                other.display()
            );
            paired += usize::from(*href != canonical);
        }
    }
    assert!(paired > 10, "only {paired} pairs");
}

#[test]
fn a_page_in_one_language_says_so_and_its_switch_leads_home() {
    let site = built();
    // The market section exists only in Chinese.
    let zh_only = site.read("public/sections/market/index.html");
    assert_eq!(
        alternates(&zh_only),
        [("zh-CN".to_string(), format!("{BASE}sections/market/"))],
        "itself only"
    );
    assert!(zh_only.contains("class=\"no-counterpart\""), "{zh_only}");
    assert!(
        zh_only.contains(
            "<li class=\"lang-switch\"><a href=\"/mini/en/\" hreflang=\"en\" lang=\"en\" title=\""
        ),
        "the switch leads to the English home page"
    );
    assert!(!site.path("public/en/sections/market").exists());
    // A paired page switches to its counterpart and carries no such note.
    let intro = site.read("public/sections/intro/index.html");
    assert!(
        intro.contains(
            "<a href=\"/mini/en/sections/intro/\" hreflang=\"en\" lang=\"en\">English</a>"
        )
    );
    assert!(!intro.contains("no-counterpart"));
    let en = site.read("public/en/sections/intro/index.html");
    assert!(
        en.contains("<a href=\"/mini/sections/intro/\" hreflang=\"zh-CN\" lang=\"zh-CN\">中文</a>")
    );
}

#[test]
fn english_pages_are_written_in_english() {
    let site = built();
    let en = site.read("public/en/sections/intro/index.html");
    for figure in [
        ">about $1.6 billion<",
        ">$150 million to $200 million<",
        ">not disclosed<",
        ">more than $7 billion<",
        ">more than 4 times<",
        "May 6, 2024",
    ] {
        assert!(en.contains(figure), "{figure} missing");
    }
    // A line break in English prose stays a space between words (CJK joining never applies).
    assert!(en.contains("revenue is\n<a class=\"fact\""), "{en}");
    assert!(en.contains("<meta property=\"og:locale\" content=\"en_US\">"));
    assert!(en.contains("<meta property=\"og:locale:alternate\" content=\"zh_CN\">"));
    let home = site.read("public/en/index.html");
    assert!(home.contains("about 26,000 companies"), "{home}");
    // No full-width punctuation or Chinese amounts anywhere in the edition, charts included.
    for (rel, bytes) in snapshot(&site.path("public/en")) {
        // The social cards are pictures: their words are in `og:image:alt`, checked here.
        if rel.extension().is_some_and(|e| e == "png") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        for mark in ['：', '；', '，', '（', '）', '。', '亿', '万'] {
            assert!(!text.contains(mark), "en/{} contains {mark}", rel.display());
        }
    }
    // The Chinese edition is as it was: amounts in 亿, dates in 年月日.
    let zh = site.read("public/sections/intro/index.html");
    assert!(zh.contains(">约16亿美元<") && zh.contains("2024年5月6日"));
    assert!(zh.contains("<meta property=\"og:locale\" content=\"zh_CN\">"));
}

#[test]
fn feeds_sitemaps_and_data_serve_both_editions() {
    let site = built();
    let feed = site.read("public/feed.xml");
    let en_feed = site.read("public/en/feed.xml");
    assert!(feed.contains("xml:lang=\"zh-CN\""));
    assert!(en_feed.contains("xml:lang=\"en\""));
    assert!(en_feed.contains(&format!("<id>{BASE}en/sections/intro/</id>")));
    assert!(!en_feed.contains("sections/market/"));

    // Each edition's sitemap lists its pages with every counterpart and x-default.
    for (file, own) in [("public/sitemap.xml", ""), ("public/en/sitemap.xml", "en/")] {
        let xml = site.read(file);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let urls: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("url"))
            .collect();
        assert!(urls.len() > 5, "{file}");
        for url in urls {
            let loc = url
                .children()
                .find(|n| n.has_tag_name("loc"))
                .and_then(|n| n.text())
                .unwrap();
            assert!(loc.starts_with(&format!("{BASE}{own}")), "{loc}");
            let links: Vec<(String, String)> = url
                .children()
                .filter(|n| n.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
                .map(|n| {
                    (
                        n.attribute("hreflang").unwrap().to_string(),
                        n.attribute("href").unwrap().to_string(),
                    )
                })
                .collect();
            assert!(links.iter().any(|(_, h)| h == loc), "{loc} lists itself");
            for (_, href) in &links {
                assert!(file_of(&site.public(), href).is_file(), "{href}");
            }
            if loc.ends_with("sections/market/") {
                assert_eq!(links.len(), 1, "{loc} has no counterpart");
            } else {
                let langs: BTreeSet<&str> = links.iter().map(|(l, _)| l.as_str()).collect();
                assert_eq!(langs, BTreeSet::from(["en", "x-default", "zh-CN"]), "{loc}");
            }
        }
    }
    let robots = site.read("public/robots.txt");
    assert!(robots.contains(&format!(
        "Sitemap: {BASE}sitemap.xml\nSitemap: {BASE}en/sitemap.xml\n"
    )));

    // One set of data downloads, at the root, with the English texts beside the Chinese ones.
    for shared in [
        "data/facts.json",
        "data/facts.csv",
        "style.css",
        "robots.txt",
        "404.html",
    ] {
        assert!(
            !site.path(&format!("public/en/{shared}")).exists(),
            "{shared}"
        );
    }
    let facts: serde_json::Value =
        serde_json::from_str(&site.read("public/data/facts.json")).unwrap();
    let revenue = &facts[0];
    assert_eq!(revenue["text"], "约16亿美元");
    assert_eq!(revenue["translations"]["en"]["text"], "about $1.6 billion");
    assert_eq!(revenue["translations"]["en"]["period"], "2023");
    let en_data = site.read("public/en/data/index.html");
    assert!(en_data.contains("href=\"/mini/data/facts.json\""));
    assert!(en_data.contains("href=\"/mini/style.css?v="));
}

#[test]
fn check_covers_both_editions() {
    let site = built();
    site.replace(
        "content/en/sections/01-intro.md",
        "## Spending",
        "It raised $7 billion.\n\n## Spending",
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/en/sections/01-intro.md:12:11: figure \"$7 billion\" is typed by hand; write [[alpha/funding]] so it follows the facts"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_of_one_language_shows_no_trace_of_editions() {
    let site = fixture("minimal");
    site.build().unwrap();
    assert!(!site.path("public/en").exists());
    for (rel, html) in pages(&site.public()) {
        assert!(
            !html.contains("hreflang=\"") || rel.ends_with("feed.xml"),
            "{}",
            rel.display()
        );
        assert!(!html.contains("lang-switch"), "{}", rel.display());
    }
    assert!(!site.read("public/sitemap.xml").contains("xhtml"));
}

#[test]
fn the_preview_shows_both_editions_and_follows_an_english_edit() {
    let site = fixture("bilingual");
    let mut session = burnrate::serve::Session::new(site.root(), None);
    let fresh = || {
        burnrate::build::render_site(site.root(), None, true)
            .unwrap()
            .outputs
            .into_iter()
            .filter(|o| !burnrate::render::is_card(&o.path))
            .map(|o| (o.path, o.bytes))
            .collect::<Vec<_>>()
    };
    let shown = |session: &mut burnrate::serve::Session, changed: &[PathBuf]| {
        let rebuilt = session.rebuild(changed).unwrap();
        rebuilt
            .files
            .iter()
            .map(|(p, b)| (p.clone(), b.to_vec()))
            .collect::<Vec<_>>()
    };
    assert_eq!(shown(&mut session, &[]), fresh());
    site.replace(
        "content/en/sections/01-intro.md",
        "## Spending",
        "A new sentence.\n\n## Spending",
    );
    let after = shown(
        &mut session,
        &[PathBuf::from("content/en/sections/01-intro.md")],
    );
    assert_eq!(after, fresh());
    let page = after
        .iter()
        .find(|(p, _)| p == "en/sections/intro/index.html")
        .unwrap();
    assert!(String::from_utf8_lossy(&page.1).contains("A new sentence."));
}
