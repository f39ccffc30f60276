//! Structured data: the schema.org JSON-LD a page carries for search engines and link previews,
//! `NewsArticle` on the home page and the sections, `Dataset` on the data page.
//!
//! Serialized with serde_json (keys sorted, so output is deterministic) and made safe to sit in
//! `<script type="application/ld+json">`: `<`, `>` and `&` are written as JSON escapes, so no text
//! can close the element or open a comment. A browser never runs that element's content.

use serde_json::{Map, Value, json};

use crate::config::SiteConfig;
use crate::date::Date;

/// What a `NewsArticle` says about one page. The page view decides every field, so a page whose
/// facts were revised passes its own `date_modified` and `correction`.
pub struct Article<'a> {
    pub headline: &'a str,
    pub description: &'a str,
    /// The page's absolute address.
    pub url: &'a str,
    pub date_published: Date,
    pub date_modified: Date,
    /// The byline; the publisher when `None` or the same name.
    pub author: Option<&'a str>,
    /// Absolute address of the page's social card, when it has one.
    pub image: Option<&'a str>,
    /// What the last correction changed, and when.
    pub correction: Option<(&'a str, Date)>,
}

/// One file of a `Dataset`.
pub struct Download<'a> {
    /// Its absolute address.
    pub url: String,
    /// Its media type (`text/csv`).
    pub format: &'a str,
}

/// What a `Dataset` says about the site's data.
pub struct Dataset<'a> {
    pub name: &'a str,
    pub description: &'a str,
    /// The data page's absolute address.
    pub url: &'a str,
    /// The first and last day a published figure was current (`as_of`).
    pub coverage: (Date, Date),
    pub downloads: Vec<Download<'a>>,
}

/// The JSON-LD of an article page.
pub fn article(config: &SiteConfig, a: &Article<'_>) -> String {
    let author = match a.author {
        Some(name) if name != config.publisher => json!({"@type": "Person", "name": name}),
        _ => publisher(config),
    };
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.headline,
        "description": a.description,
        "url": a.url,
        "datePublished": a.date_published.to_string(),
        "dateModified": a.date_modified.to_string(),
        "inLanguage": config.language,
        "author": author,
        "publisher": publisher(config),
        "isBasedOn": source(config),
    });
    if let Some(image) = a.image {
        v["image"] = json!(image);
    }
    if let Some((text, date)) = a.correction {
        v["correction"] = json!({
            "@type": "CorrectionComment",
            "text": text,
            "datePublished": date.to_string(),
        });
    }
    script_safe(&v)
}

/// The JSON-LD of the data page.
pub fn dataset(config: &SiteConfig, d: &Dataset<'_>) -> String {
    let distribution: Vec<Value> = d
        .downloads
        .iter()
        .map(|f| json!({"@type": "DataDownload", "contentUrl": f.url, "encodingFormat": f.format}))
        .collect();
    let v = json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": d.name,
        "description": d.description,
        "url": d.url,
        "inLanguage": config.language,
        "license": config.data_license.path,
        "creator": publisher(config),
        "publisher": publisher(config),
        "datePublished": config.published.to_string(),
        "dateModified": config.updated.to_string(),
        "temporalCoverage": format!("{}/{}", d.coverage.0, d.coverage.1),
        "isBasedOn": source(config),
        "distribution": distribution,
    });
    script_safe(&v)
}

fn publisher(config: &SiteConfig) -> Value {
    json!({"@type": "Organization", "name": config.publisher})
}

/// The news article the site analyses.
fn source(config: &SiteConfig) -> Value {
    let a = &config.source_article;
    let mut v = Map::new();
    v.insert("@type".into(), json!("NewsArticle"));
    v.insert("headline".into(), json!(a.title));
    v.insert("datePublished".into(), json!(a.date.to_string()));
    v.insert(
        "publisher".into(),
        json!({"@type": "Organization", "name": a.publisher}),
    );
    if let Some(url) = &a.url {
        v.insert("url".into(), json!(url));
    }
    Value::Object(v)
}

/// `v` as JSON with `<`, `>` and `&` escaped, which only occur inside strings, so the text can
/// neither end the script element nor be read as markup.
fn script_safe(v: &Value) -> String {
    let text = v.to_string();
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    // The three are ASCII: every place found is a character boundary.
    for at in memchr::memchr3_iter(b'<', b'>', b'&', text.as_bytes()) {
        out.push_str(&text[from..at]);
        out.push_str(match text.as_bytes()[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        from = at + 1;
    }
    out.push_str(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        let src = "title: t\ndescription: d\nlead: l\nlanguage: zh-CN\nbase_url: https://e.org/a/\npublisher: 编辑部\npublished: 2024-05-06\nupdated: 2024-05-08\nheadline_chart: c\nkey_numbers: []\nsource_article:\n  title: 原文</script>\n  date: 2024-05-04\n  publisher: p\n  url: https://e.org/src\n";
        crate::config::parse(std::path::Path::new("site.yaml"), src).unwrap()
    }

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn text_cannot_close_the_script_element() {
        let json = article(
            &config(),
            &Article {
                headline: "a </script><script>alert(1)</script> & <!--",
                description: "d",
                url: "https://e.org/a/",
                date_published: date("2024-05-06"),
                date_modified: date("2024-05-06"),
                author: None,
                image: None,
                correction: None,
            },
        );
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["headline"], "a </script><script>alert(1)</script> & <!--");
        assert_eq!(v["isBasedOn"]["headline"], "原文</script>");
    }

    #[test]
    fn an_article_names_its_author_dates_and_correction() {
        let json = article(
            &config(),
            &Article {
                headline: "h",
                description: "d",
                url: "https://e.org/a/sections/x/",
                date_published: date("2024-05-06"),
                date_modified: date("2024-05-08"),
                author: Some("某某"),
                image: Some("https://e.org/a/cards/x.png"),
                correction: Some(("更正了营收", date("2024-05-08"))),
            },
        );
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["@type"], "NewsArticle");
        assert_eq!(v["author"], json!({"@type": "Person", "name": "某某"}));
        assert_eq!(v["publisher"]["name"], "编辑部");
        assert_eq!(v["dateModified"], "2024-05-08");
        assert_eq!(v["inLanguage"], "zh-CN");
        assert_eq!(v["image"], "https://e.org/a/cards/x.png");
        assert_eq!(v["correction"]["text"], "更正了营收");
        assert_eq!(v["isBasedOn"]["url"], "https://e.org/src");
        // The publisher's own byline is the organisation, not a person.
        let own = article(
            &config(),
            &Article {
                headline: "h",
                description: "d",
                url: "u",
                date_published: date("2024-05-06"),
                date_modified: date("2024-05-06"),
                author: Some("编辑部"),
                image: None,
                correction: None,
            },
        );
        let v: Value = serde_json::from_str(&own).unwrap();
        assert_eq!(v["author"]["@type"], "Organization");
        assert!(v.get("image").is_none() && v.get("correction").is_none());
    }

    #[test]
    fn a_dataset_has_a_distribution_per_download_and_the_licence() {
        let json = dataset(
            &config(),
            &Dataset {
                name: "n",
                description: "d",
                url: "https://e.org/a/data/",
                coverage: (date("2023-01-01"), date("2024-05-04")),
                downloads: vec![
                    Download {
                        url: "https://e.org/a/data/facts.csv".into(),
                        format: "text/csv",
                    },
                    Download {
                        url: "https://e.org/a/data/facts.json".into(),
                        format: "application/json",
                    },
                ],
            },
        );
        let v: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["@type"], "Dataset");
        assert_eq!(v["license"], "https://creativecommons.org/licenses/by/4.0/");
        assert_eq!(v["temporalCoverage"], "2023-01-01/2024-05-04");
        assert_eq!(v["distribution"].as_array().unwrap().len(), 2);
        assert_eq!(v["distribution"][0]["encodingFormat"], "text/csv");
    }
}
