//! Site settings, read from `content/site.yaml`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::localized::{self, Reading};
use crate::yaml;

/// Everything `content/site.yaml` configures. Unknown keys are an error.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's headline.
    #[serde(deserialize_with = "localized::text")]
    pub title: String,
    /// The short name in the masthead of every page (`烧钱竞赛`); the title when absent, but the
    /// home page then shows the same words twice.
    #[serde(default, deserialize_with = "localized::optional_text")]
    pub masthead: Option<String>,
    /// One sentence for search engines and link previews.
    #[serde(deserialize_with = "localized::text")]
    pub description: String,
    /// The home page's lead paragraph (plain text).
    #[serde(deserialize_with = "localized::text")]
    pub lead: String,
    /// BCP 47 language tag of the default edition, published at the site's root; selects
    /// `templates/strings/<language>.yaml`. In an edition read with [`parse_edition`], that
    /// edition's language.
    pub language: String,
    /// Every language the site publishes, the default (`language`) first: each other one is an
    /// edition under `<tag in lowercase>/` (see [`crate::lang`]). Just `language` when absent.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Where the site is published, e.g. `https://user.github.io/repo/`.
    pub base_url: String,
    /// Who publishes the site.
    #[serde(deserialize_with = "localized::text")]
    pub publisher: String,
    /// Who wrote the sections, shown in their bylines unless a section names its own author;
    /// the publisher when absent.
    #[serde(default, deserialize_with = "localized::optional_text")]
    pub author: Option<String>,
    /// First publication.
    pub published: Date,
    /// Last revision.
    pub updated: Date,
    /// Chart shown on the home page.
    pub headline_chart: String,
    /// Fact references shown as big numbers on the home page.
    pub key_numbers: Vec<String>,
    /// Company slugs in the order the companies page lists them; companies not named follow in
    /// file order.
    #[serde(default)]
    pub companies: Vec<String>,
    /// The news article the site analyses.
    pub source_article: SourceArticle,
    /// The licence of the published data (`data/`): named on the data page, in its JSON-LD and
    /// in `data/datapackage.json`. CC BY 4.0 when absent.
    #[serde(default)]
    pub data_license: License,
    /// Whether drafts are published too, with a banner (`build --drafts`, `serve`); never read
    /// from the file.
    #[serde(skip)]
    pub show_drafts: bool,
    /// Where it was read from, as problems name it (set by [`parse`], never read from the file).
    #[serde(skip)]
    pub path: PathBuf,
}

/// The article the microsite analyses.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceArticle {
    /// Its headline.
    #[serde(deserialize_with = "localized::text")]
    pub title: String,
    /// Its publication date.
    pub date: Date,
    /// Who published it.
    #[serde(deserialize_with = "localized::text")]
    pub publisher: String,
    /// A link to it, if it is online.
    #[serde(default)]
    pub url: Option<String>,
}

/// A licence, as a Data Package names it: an SPDX identifier, a title and the licence's address.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(deny_unknown_fields)]
pub struct License {
    /// SPDX identifier, e.g. `CC-BY-4.0`.
    pub name: String,
    /// Its full name.
    pub title: String,
    /// The licence text's address.
    pub path: String,
}

impl Default for License {
    fn default() -> Self {
        License {
            name: "CC-BY-4.0".into(),
            title: "Creative Commons Attribution 4.0 International".into(),
            path: "https://creativecommons.org/licenses/by/4.0/".into(),
        }
    }
}

impl SiteConfig {
    /// Replaces the configured base URL (`--base-url`), normalised to end with `/`.
    pub fn set_base_url(&mut self, url: &str) {
        self.base_url = normalize_base_url(url);
    }

    /// The path part of the base URL, always starting and ending with `/` (`/ai-bubble/`).
    /// Every internal link starts with it, so the site works under any subpath.
    pub fn base_path(&self) -> String {
        base_path(&self.base_url)
    }
}

/// The path part of `base_url`, always starting and ending with `/`: `https://u.github.io/ai/`
/// → `/ai/`, `https://example.com` → `/`.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    normalize_base_url(path)
}

fn normalize_base_url(url: &str) -> String {
    let trimmed = url.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else if trimmed.contains("://") || trimmed.starts_with('/') {
        format!("{trimmed}/")
    } else {
        format!("/{trimmed}/")
    }
}

/// Checks a URL that a reader's browser will follow or that the site is published under: an
/// absolute `http://` or `https://` address with a host and nothing a page could be tricked by
/// (spaces, quotes, angle brackets, backslashes, control characters). `javascript:`, `data:` and
/// every other scheme are refused. Returns what to write instead when it is not acceptable.
pub fn check_url(url: &str) -> Result<(), String> {
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|scheme| {
            url.get(..scheme.len())
                .filter(|s| s.eq_ignore_ascii_case(scheme))
                .map(|_| &url[scheme.len()..])
        })
        .ok_or_else(|| {
            format!(
                "expected an address starting with https:// or http://, found \"{}\"",
                crate::diagnostic::shorten(url)
            )
        })?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return Err(format!(
            "expected a host name after the scheme, such as https://example.com/, found \"{}\"",
            crate::diagnostic::shorten(url)
        ));
    }
    if let Some(bad) = url.chars().find(|c| {
        c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
    }) {
        return Err(format!(
            "an address may not contain {}; found \"{}\" (write spaces as %20)",
            match bad {
                ' ' => "spaces".to_string(),
                c if c.is_whitespace() || c.is_control() =>
                    "spaces or control characters".to_string(),
                c => format!("`{c}`"),
            },
            crate::diagnostic::shorten(url)
        ));
    }
    Ok(())
}

/// Checks a base URL given on the command line (`--base-url`) with the same rule as `base_url`
/// in `content/site.yaml`.
pub fn parse_base_url(url: &str) -> Result<String, String> {
    check_url(url.trim()).map(|()| url.trim().to_string())
}

/// True for a language tag of the form `zh-CN`, `en` or `zh-Hant-TW` (letters, then
/// letter-or-digit subtags joined by `-`): it names a strings file, so it may hold nothing else.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Parses `content/site.yaml` in its default language; also checks the base URL, the source
/// article's URL and the language tags.
pub fn parse(path: &Path, src: &str) -> Result<SiteConfig, Diagnostic> {
    // The languages decide how the texts are read: read them first (other keys are skipped).
    #[derive(Deserialize)]
    struct Languages {
        // Missing, it is reported by the full read below, with the other fields.
        #[serde(default)]
        language: String,
        #[serde(default)]
        languages: Vec<String>,
    }
    let tags: Languages = yaml::from_str(path, src, 0)?;
    let at = |keys: &[&str], message: String| {
        let (line, column) = crate::diagnostic::locate_key(src, keys);
        Diagnostic::at(path, line, column, message)
    };
    for (keys, tag) in std::iter::once((["language"], &tags.language))
        .chain(tags.languages.iter().map(|t| (["languages"], t)))
    {
        if !tag.is_empty() && !is_language_tag(tag) {
            return Err(at(
                &keys,
                format!(
                    "{}: expected a language tag such as zh-CN or en, found \"{}\"",
                    keys[0],
                    crate::diagnostic::shorten(tag)
                ),
            ));
        }
    }
    if !tags.languages.is_empty() && tags.languages.first() != Some(&tags.language) {
        return Err(at(
            &["languages"],
            format!(
                "languages: list the default language ({}) first, then the other editions, such as [{}, en]",
                tags.language, tags.language
            ),
        ));
    }
    if let Some(twice) = tags
        .languages
        .iter()
        .enumerate()
        .find_map(|(i, t)| tags.languages[..i].contains(t).then_some(t))
    {
        return Err(at(
            &["languages"],
            format!("languages: {twice} is listed twice; list each language once"),
        ));
    }
    let mut languages = tags.languages;
    if languages.is_empty() {
        languages.push(tags.language.clone());
    }
    let reading = Reading {
        language: tags.language.clone(),
        default: tags.language,
        languages,
    };
    parse_in(path, src, &reading)
}

/// Parses `content/site.yaml` for the edition in `language`, one of the site's `languages`:
/// every text in that language (a missing one is an error at its key), `language` set to it.
/// `default` is the same file as [`parse`] read it.
pub fn parse_edition(
    path: &Path,
    src: &str,
    default: &SiteConfig,
    language: &str,
) -> Result<SiteConfig, Diagnostic> {
    let reading = Reading {
        language: language.to_string(),
        default: default.language.clone(),
        languages: default.languages.clone(),
    };
    let mut config = parse_in(path, src, &reading)?;
    config.language = language.to_string();
    Ok(config)
}

fn parse_in(path: &Path, src: &str, reading: &Reading) -> Result<SiteConfig, Diagnostic> {
    let mut config: SiteConfig = localized::in_language(reading, || yaml::from_str(path, src, 0))?;
    config.path = path.to_path_buf();
    config.languages = reading.languages.clone();
    let at = |keys: &[&str], message: String| {
        let (line, column) = crate::diagnostic::locate_key(src, keys);
        Diagnostic::at(path, line, column, message)
    };
    let mut problems = Vec::new();
    let texts = [
        (&["title"][..], Some(&config.title)),
        (&["masthead"], config.masthead.as_ref()),
        (&["description"], Some(&config.description)),
        (&["lead"], Some(&config.lead)),
        (&["publisher"], Some(&config.publisher)),
        (&["author"], config.author.as_ref()),
        (
            &["source_article", "title"],
            Some(&config.source_article.title),
        ),
        (
            &["source_article", "publisher"],
            Some(&config.source_article.publisher),
        ),
    ];
    for (keys, value) in texts {
        if let Some(value) = value {
            let name = keys.join(".");
            let locate = || crate::diagnostic::locate_key(src, keys);
            localized::check(path, &name, value, locate, &mut problems);
        }
    }
    if let Some(problem) = problems.into_iter().next() {
        return Err(problem);
    }
    if let Err(why) = check_url(&config.base_url) {
        return Err(at(
            &["base_url"],
            format!(
                "base_url: {why}; write the address the site is published at, such as https://user.github.io/repo/"
            ),
        ));
    }
    if let Err(why) = check_url(&config.data_license.path) {
        return Err(at(
            &["data_license", "path"],
            format!("data_license.path: {why}"),
        ));
    }
    if let Some(url) = &config.source_article.url
        && let Err(why) = check_url(url)
    {
        return Err(at(
            &["source_article", "url"],
            format!("source_article.url: {why}"),
        ));
    }
    config.base_url = normalize_base_url(&config.base_url);
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: &str) -> SiteConfig {
        let src = format!(
            "title: t\ndescription: d\nlead: l\nlanguage: zh-CN\nbase_url: {base}\npublisher: p\npublished: 2024-05-06\nupdated: 2024-05-06\nheadline_chart: c\nkey_numbers: []\nsource_article:\n  title: a\n  date: 2024-05-04\n  publisher: p\n"
        );
        parse(Path::new("site.yaml"), &src).unwrap()
    }

    #[test]
    fn base_path_comes_from_the_base_url() {
        assert_eq!(
            config("https://u.github.io/ai-bubble").base_path(),
            "/ai-bubble/"
        );
        assert_eq!(config("https://example.com/").base_path(), "/");
        assert_eq!(config("https://example.com").base_path(), "/");
    }

    #[test]
    fn base_url_override_is_normalised() {
        let mut c = config("https://example.com/");
        c.set_base_url("https://u.github.io/x");
        assert_eq!(c.base_url, "https://u.github.io/x/");
        assert_eq!(c.base_path(), "/x/");
    }

    #[test]
    fn languages_list_the_default_first_and_each_once() {
        let src = |languages: &str| {
            format!(
                "title: t\ndescription: d\nlead: l\nlanguage: zh-CN\nlanguages: {languages}\nbase_url: https://e.org/\npublisher: p\npublished: 2024-05-06\nupdated: 2024-05-06\nheadline_chart: c\nkey_numbers: []\nsource_article:\n  title: a\n  date: 2024-05-04\n  publisher: p\n"
            )
        };
        let err = |languages: &str| {
            parse(Path::new("site.yaml"), &src(languages))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("[zh-CN, en, en]"),
            "site.yaml:5:1: languages: en is listed twice; list each language once"
        );
        assert_eq!(
            err("[zh-CN, e n]"),
            "site.yaml:5:1: languages: expected a language tag such as zh-CN or en, found \"e n\""
        );
        // Texts written alone are the default language's; the English edition needs its own.
        let c = parse(Path::new("site.yaml"), &src("[zh-CN, en]")).unwrap();
        assert_eq!(c.languages, ["zh-CN", "en"]);
        assert_eq!(
            parse_edition(Path::new("site.yaml"), &src("[zh-CN, en]"), &c, "en")
                .unwrap_err()
                .to_string(),
            "site.yaml:1:1: title: missing the en text: write one text per language, {zh-CN: …, en: …}"
        );
    }

    #[test]
    fn unknown_keys_and_relative_urls_are_errors() {
        let err = parse(Path::new("site.yaml"), "titel: x\n").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("site.yaml:1:1: unknown field `titel`; expected one of `title`"),
            "{err}"
        );
        let src = "title: t\ndescription: d\nlead: l\nlanguage: zh-CN\nbase_url: ai-bubble/\npublisher: p\npublished: 2024-05-06\nupdated: 2024-05-06\nheadline_chart: c\nkey_numbers: []\nsource_article:\n  title: a\n  date: 2024-05-04\n  publisher: p\n";
        assert_eq!(
            parse(Path::new("site.yaml"), src).unwrap_err().to_string(),
            "site.yaml:5:1: base_url: expected an address starting with https:// or http://, found \"ai-bubble/\"; write the address the site is published at, such as https://user.github.io/repo/"
        );
    }
}
