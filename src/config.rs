//! Site settings, read from `content/site.yaml`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::yaml;

/// Everything `content/site.yaml` configures. Unknown keys are an error.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's headline.
    pub title: String,
    /// One sentence for search engines and link previews.
    pub description: String,
    /// The home page's lead paragraph (plain text).
    pub lead: String,
    /// BCP 47 language tag; selects `templates/strings/<language>.yaml`.
    pub language: String,
    /// Where the site is published, e.g. `https://user.github.io/repo/`.
    pub base_url: String,
    /// Who publishes the site.
    pub publisher: String,
    /// First publication.
    pub published: Date,
    /// Last revision.
    pub updated: Date,
    /// Chart shown on the home page.
    pub headline_chart: String,
    /// Fact references shown as big numbers on the home page.
    pub key_numbers: Vec<String>,
    /// The news article the site analyses.
    pub source_article: SourceArticle,
}

/// The article the microsite analyses.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceArticle {
    /// Its headline.
    pub title: String,
    /// Its publication date.
    pub date: Date,
    /// Who published it.
    pub publisher: String,
    /// A link to it, if it is online.
    #[serde(default)]
    pub url: Option<String>,
}

impl SiteConfig {
    /// Replaces the configured base URL (`--base-url`), normalised to end with `/`.
    pub fn set_base_url(&mut self, url: &str) {
        self.base_url = normalize_base_url(url);
    }

    /// The path part of the base URL, always starting and ending with `/` (`/ai-bubble/`).
    /// Every internal link starts with it, so the site works under any subpath.
    pub fn base_path(&self) -> String {
        let after_scheme = self
            .base_url
            .split_once("://")
            .map_or(self.base_url.as_str(), |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
        normalize_base_url(path)
    }
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

/// Parses `content/site.yaml`; also checks the base URL is absolute.
pub fn parse(path: &Path, src: &str) -> Result<SiteConfig, Diagnostic> {
    let mut config: SiteConfig = yaml::from_str(path, src, 0)?;
    if !(config.base_url.starts_with("https://") || config.base_url.starts_with("http://")) {
        let (line, column) = crate::diagnostic::locate_key(src, &["base_url"]);
        return Err(Diagnostic::at(
            path,
            line,
            column,
            format!(
                "base_url: expected an absolute URL such as https://user.github.io/repo/, found \"{}\"",
                crate::diagnostic::shorten(&config.base_url)
            ),
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
            "site.yaml:5:1: base_url: expected an absolute URL such as https://user.github.io/repo/, found \"ai-bubble/\""
        );
    }
}
