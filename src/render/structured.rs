//! Structured data: the schema.org JSON-LD a page carries for search engines and link previews,
//! `NewsArticle` on the home page and the sections, `Dataset` on the data page.
//!
//! Serialized with serde_json (every object's keys sorted, so output is deterministic) and made
//! safe to sit in `<script type="application/ld+json">`: `<`, `>` and `&` are written as JSON
//! escapes, so no text can close the element or open a comment. A browser never runs that
//! element's content.

use serde::{Serialize, Serializer};
use serde_json::{Value, json};

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
    let organisation = Party::organisation(&config.publisher);
    let author = match a.author {
        Some(name) if name != config.publisher => Party {
            kind: "Person",
            name,
        },
        _ => organisation,
    };
    let v = NewsArticle {
        context: "https://schema.org",
        kind: "NewsArticle",
        author,
        correction: a.correction.map(|(text, date)| Correction {
            kind: "CorrectionComment",
            date_published: date,
            text,
        }),
        date_modified: a.date_modified,
        date_published: a.date_published,
        description: a.description,
        headline: a.headline,
        image: a.image,
        in_language: &config.language,
        is_based_on: Source::of(config),
        publisher: organisation,
        url: a.url,
    };
    script_safe(&v)
}

/// A `NewsArticle`. Its fields, and those of the parts below, are declared in the order of their
/// names, the order serde_json gives a map's keys (the data page's JSON-LD is a map), so every
/// object is written with its keys sorted.
#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    author: Party<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    correction: Option<Correction<'a>>,
    #[serde(rename = "dateModified", serialize_with = "iso")]
    date_modified: Date,
    #[serde(rename = "datePublished", serialize_with = "iso")]
    date_published: Date,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "isBasedOn")]
    is_based_on: Source<'a>,
    publisher: Party<'a>,
    url: &'a str,
}

/// A person or an organisation.
#[derive(Serialize, Clone, Copy)]
struct Party<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

impl<'a> Party<'a> {
    /// The organisation called `name`.
    fn organisation(name: &'a str) -> Self {
        Party {
            kind: "Organization",
            name,
        }
    }
}

/// What the last correction changed, and when.
#[derive(Serialize)]
struct Correction<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "datePublished", serialize_with = "iso")]
    date_published: Date,
    text: &'a str,
}

/// The news article the site analyses.
#[derive(Serialize)]
struct Source<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "datePublished", serialize_with = "iso")]
    date_published: Date,
    headline: &'a str,
    publisher: Party<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

impl<'a> Source<'a> {
    fn of(config: &'a SiteConfig) -> Self {
        let a = &config.source_article;
        Source {
            kind: "NewsArticle",
            date_published: a.date,
            headline: &a.title,
            publisher: Party::organisation(&a.publisher),
            url: a.url.as_deref(),
        }
    }
}

/// A date as schema.org writes it: `2024-05-04`.
fn iso<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
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
        "creator": Party::organisation(&config.publisher),
        "publisher": Party::organisation(&config.publisher),
        "datePublished": config.published.to_string(),
        "dateModified": config.updated.to_string(),
        "temporalCoverage": format!("{}/{}", d.coverage.0, d.coverage.1),
        "isBasedOn": Source::of(config),
        "distribution": distribution,
    });
    script_safe(&v)
}

/// `v` as JSON with `<`, `>` and `&` escaped, which only occur inside strings, so the text can
/// neither end the script element nor be read as markup.
fn script_safe(v: &impl Serialize) -> String {
    // Serializing these types cannot fail: every map key is a string.
    let text = serde_json::to_string(v).unwrap_or_default();
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
    fn an_article_is_written_with_its_keys_sorted() {
        let json = article(
            &config(),
            &Article {
                headline: "h",
                description: "d",
                url: "https://e.org/a/x/",
                date_published: date("2024-05-06"),
                date_modified: date("2024-05-08"),
                author: Some("某某"),
                image: Some("https://e.org/a/x/card.png"),
                correction: Some(("改", date("2024-05-08"))),
            },
        );
        let expected = concat!(
            r#"{"@context":"https://schema.org","@type":"NewsArticle","#,
            r#""author":{"@type":"Person","name":"某某"},"#,
            r#""correction":{"@type":"CorrectionComment","datePublished":"2024-05-08","text":"改"},"#,
            r#""dateModified":"2024-05-08","datePublished":"2024-05-06","description":"d","#,
            r#""headline":"h","image":"https://e.org/a/x/card.png","inLanguage":"zh-CN","#,
            r#""isBasedOn":{"@type":"NewsArticle","datePublished":"2024-05-04","#,
            r#""headline":"原文\u003c/script\u003e","#,
            r#""publisher":{"@type":"Organization","name":"p"},"url":"https://e.org/src"},"#,
            r#""publisher":{"@type":"Organization","name":"编辑部"},"url":"https://e.org/a/x/"}"#,
        );
        assert_eq!(json, expected);
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
