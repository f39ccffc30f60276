//! The site's editions, one per language: which languages a site publishes, where each edition
//! lives, how its files are read, and which page of one edition is the counterpart of which page
//! of another.
//!
//! The default language (`language:` in `content/site.yaml`) is published at the site's root as
//! before; every other language of `languages:` is an edition under `<tag in lowercase>/`
//! (`en/`). An edition is a whole [`Site`] read in its language: the company and chart files are
//! shared and read once per edition (their texts through [`crate::localized`]), its sections and
//! pages are its own (`content/<folder>/sections/`, `content/<folder>/pages/`), its interface
//! words come from `templates/strings/<tag>.yaml`. So every edition renders with the one
//! pipeline, and no number can differ between them: each is read from the same facts.
//!
//! A section or page is paired with the one of the same slug in another edition; every other page
//! (home, companies, data, corrections, embeds) exists in every edition.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::load::Site;
use crate::localized::Reading;

/// The folder and address prefix of the edition in `language`: `""` for the default, else the
/// tag in lowercase and a slash (`en/`, `zh-hant/`).
pub fn prefix(language: &str, default: &str) -> String {
    if language == default {
        String::new()
    } else {
        format!("{}/", language.to_ascii_lowercase())
    }
}

/// How the files of the edition in `language` are read.
pub fn reading(config: &crate::config::SiteConfig, language: &str) -> Reading {
    Reading {
        language: language.to_string(),
        default: config.languages.first().cloned().unwrap_or_default(),
        languages: config.languages.clone(),
    }
}

/// What every edition of a site is, for the pages of each to link the others.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EditionInfo {
    /// Its language tag (`en`), as `hreflang` and `lang` write it.
    pub language: String,
    /// Its address prefix below the site's root (`en/`; `""` for the default).
    pub prefix: String,
    /// Its absolute address (`https://…/ai-bubble/en/`).
    pub base_url: String,
    /// Its root-relative address (`/ai-bubble/en/`).
    pub base_path: String,
    /// Its language's name in that language (`English`, `中文`): `ui.language_name`.
    pub name: String,
    /// Its Open Graph locale (`en_US`): `ui.og_locale`, else the tag with `_`.
    pub locale: String,
    /// Slugs of its published sections and of its pages.
    pub sections: Vec<String>,
    pub pages: Vec<String>,
}

/// The edition a [`Site`] is, among all of its site's editions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Edition {
    /// Its position in `all` (0: the default, published at the root).
    pub index: usize,
    /// Every edition, the default first.
    pub all: Arc<Vec<EditionInfo>>,
}

/// One link to a page's counterpart, for `<link rel="alternate" hreflang>`, the sitemap and
/// the language switch.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Alternate {
    /// The edition's language (`en`).
    pub hreflang: String,
    /// The counterpart's absolute address.
    pub href: String,
    /// Its root-relative address.
    pub url: String,
    /// The edition's Open Graph locale.
    pub locale: String,
    /// The language's own name.
    pub name: String,
    /// True for the page itself.
    pub current: bool,
}

/// What a page shows of its editions: `lang`, the alternates, the switch.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct EditionView {
    /// The page's own Open Graph locale.
    pub locale: String,
    /// Every edition that has the page, its own included, in the site's order.
    pub alternates: Vec<Alternate>,
    /// The default edition's address of the page, for `hreflang="x-default"`, when the page has
    /// counterparts and the default edition has it.
    pub x_default: Option<String>,
    /// The other editions, each with the page's counterpart or, when there is none, its home.
    pub switch: Vec<Switch>,
    /// The names of the other editions that have no counterpart of this page.
    pub missing: Vec<String>,
    /// The sitemaps of the other editions (absolute), for `robots.txt`.
    pub sitemaps: Vec<String>,
}

/// One entry of the language switch.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Switch {
    /// Root-relative address: the counterpart, else the edition's home.
    pub url: String,
    pub hreflang: String,
    pub name: String,
    /// True when the page has no counterpart there, and the switch leads to the home page.
    pub home: bool,
}

impl EditionInfo {
    /// Whether this edition has the page at `path` (below an edition's root: `""`,
    /// `sections/x/`, `method/`, `companies/`…).
    pub fn has(&self, path: &str) -> bool {
        if let Some(rest) = path.strip_prefix("sections/") {
            let slug = rest.split('/').next().unwrap_or("");
            return self.sections.iter().any(|s| s == slug);
        }
        let first = path.split('/').next().unwrap_or("");
        let built_in = [
            "",
            "companies",
            "data",
            "corrections",
            "embed",
            "charts",
            "feed.xml",
            "sitemap.xml",
        ];
        built_in.contains(&first) || self.pages.iter().any(|p| p == first)
    }
}

impl Edition {
    /// This edition.
    pub fn info(&self) -> &EditionInfo {
        &self.all[self.index]
    }

    /// The counterparts of the page at `path` (below this edition's root), in every edition that
    /// has it, its own included.
    pub fn alternates(&self, path: &str) -> Vec<Alternate> {
        self.all
            .iter()
            .enumerate()
            .filter(|(_, e)| e.has(path))
            .map(|(i, e)| Alternate {
                hreflang: e.language.clone(),
                href: format!("{}{path}", e.base_url),
                url: format!("{}{path}", e.base_path),
                locale: e.locale.clone(),
                name: e.name.clone(),
                current: i == self.index,
            })
            .collect()
    }

    /// The address for `hreflang="x-default"` among `alternates`: the default edition's page,
    /// when the page has counterparts and the default edition has it.
    fn x_default(&self, alternates: &[Alternate]) -> Option<String> {
        if alternates.len() < 2 {
            return None;
        }
        alternates
            .iter()
            .find(|a| a.hreflang == self.all[0].language)
            .map(|a| a.href.clone())
    }

    /// [`Edition::alternates`] and, when there is one, the `x-default` link: what a sitemap
    /// lists for the page at `path`.
    pub fn sitemap_links(&self, path: &str) -> Vec<Alternate> {
        let mut links = self.alternates(path);
        if let Some(href) = self.x_default(&links) {
            let default = links.iter().find(|a| a.href == href).cloned();
            links.extend(default.map(|a| Alternate {
                hreflang: "x-default".into(),
                ..a
            }));
        }
        links
    }

    /// What the page at `path` shows of the editions.
    pub fn view(&self, path: &str) -> EditionView {
        let alternates = self.alternates(path);
        let x_default = self.x_default(&alternates);
        let others = self
            .all
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != self.index);
        let switch = others
            .clone()
            .map(|(_, e)| {
                let home = !e.has(path);
                Switch {
                    url: format!("{}{}", e.base_path, if home { "" } else { path }),
                    hreflang: e.language.clone(),
                    name: e.name.clone(),
                    home,
                }
            })
            .collect();
        // The 404 page serves every edition's missing addresses: it lacks no counterpart.
        let missing = others
            .clone()
            .filter(|(_, e)| !e.has(path) && path != NOT_FOUND)
            .map(|(_, e)| e.name.clone())
            .collect();
        let sitemaps = others
            .map(|(_, e)| format!("{}sitemap.xml", e.base_url))
            .collect();
        EditionView {
            locale: self.info().locale.clone(),
            alternates,
            x_default,
            switch,
            missing,
            sitemaps,
        }
    }
}

/// The path of the 404 page, made once for the whole site (see [`is_shared`]).
const NOT_FOUND: &str = "404.html";

/// The Open Graph locale of `language` when its strings do not name one: `zh-CN` → `zh_CN`.
fn default_locale(language: &str) -> String {
    language.replace('-', "_")
}

/// The site's editions ready to render, the default first, each knowing the others; empty for a
/// site of one language, which renders as it always has.
///
/// Each translation takes the default edition's address (`--base-url` included) with its prefix
/// and whether drafts are shown.
pub fn editions(site: &Site) -> Vec<Site> {
    if site.translations.is_empty() {
        return Vec::new();
    }
    let default = &site.config.language;
    let mut sites: Vec<Site> = std::iter::once(site)
        .chain(&site.translations)
        .map(|s| {
            let mut s = s.clone();
            if s.config.language != *default {
                let prefix = prefix(&s.config.language, default);
                s.config.base_url = format!("{}{prefix}", site.config.base_url);
                s.config.show_drafts = site.config.show_drafts;
            }
            s
        })
        .collect();
    let all: Arc<Vec<EditionInfo>> = Arc::new(
        sites
            .iter()
            .map(|s| EditionInfo {
                language: s.config.language.clone(),
                prefix: prefix(&s.config.language, default),
                base_url: s.config.base_url.clone(),
                base_path: s.config.base_path(),
                name: ui(s, "language_name").unwrap_or_else(|| s.config.language.clone()),
                locale: ui(s, "og_locale").unwrap_or_else(|| default_locale(&s.config.language)),
                sections: s.published_sections().map(|x| x.slug.clone()).collect(),
                pages: s.pages.iter().map(|p| p.slug.clone()).collect(),
            })
            .collect(),
    );
    for (index, s) in sites.iter_mut().enumerate() {
        s.edition = Some(Edition {
            index,
            all: Arc::clone(&all),
        });
    }
    sites
}

fn ui(site: &Site, key: &str) -> Option<String> {
    site.strings.ui.get(key).cloned()
}

/// The outputs every edition shares, made by the default edition only: the static files, the
/// data downloads (one `facts.json` with every language's texts) and the files of the site's
/// root (404 page, robots.txt, `.nojekyll`, `CNAME`). A translation's charts, chart data and
/// pages are its own.
pub fn is_shared(site: &Site, path: &str) -> bool {
    const ROOT: [&str; 9] = [
        NOT_FOUND,
        "robots.txt",
        ".nojekyll",
        "CNAME",
        "data/facts.json",
        "data/facts.csv",
        "data/revisions.csv",
        "data/computed.json",
        "data/datapackage.json",
    ];
    ROOT.contains(&path) || site.static_files.iter().any(|(p, _)| p == path)
}

/// The address of the site's root (where the shared outputs are), absolute.
pub fn root_url(site: &Site) -> &str {
    match &site.edition {
        Some(e) => &e.all[0].base_url,
        None => &site.config.base_url,
    }
}

/// The site's root, root-relative (`/ai-bubble/`).
pub fn root_path(site: &Site) -> String {
    match &site.edition {
        Some(e) => e.all[0].base_path.clone(),
        None => site.config.base_path(),
    }
}

/// Where the sections and pages of the edition in `language` are: `content/sections` and
/// `content/pages` for the default, `content/<folder>/sections` and `…/pages` for the others.
pub fn content_dirs(language: &str, default: &str) -> (PathBuf, PathBuf) {
    let base = Path::new("content").join(prefix(language, default));
    (base.join("sections"), base.join("pages"))
}

/// Reports a language of `languages:` without its strings file, at that key of `site.yaml`.
pub fn missing_strings(path: &Path, src: &str, language: &str) -> Diagnostic {
    let (line, column) = crate::diagnostic::locate_key(src, &["languages"]);
    Diagnostic::at(
        path,
        line,
        column,
        format!(
            "languages: there is no strings file templates/strings/{0}.yaml for \"{0}\"; copy \
             templates/strings/zh-CN.yaml there and translate its words",
            crate::diagnostic::shorten(language)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(language: &str, prefix: &str, sections: &[&str], pages: &[&str]) -> EditionInfo {
        EditionInfo {
            language: language.into(),
            prefix: prefix.into(),
            base_url: format!("https://e.org/a/{prefix}"),
            base_path: format!("/a/{prefix}"),
            name: language.to_uppercase(),
            locale: default_locale(language),
            sections: sections.iter().map(|s| s.to_string()).collect(),
            pages: pages.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn two() -> Arc<Vec<EditionInfo>> {
        Arc::new(vec![
            info("zh-CN", "", &["openai", "zh-only"], &["method"]),
            info("en", "en/", &["openai"], &["method"]),
        ])
    }

    #[test]
    fn prefixes_are_lowercase_folders() {
        assert_eq!(prefix("zh-CN", "zh-CN"), "");
        assert_eq!(prefix("en", "zh-CN"), "en/");
        assert_eq!(prefix("zh-Hant", "en"), "zh-hant/");
    }

    #[test]
    fn alternates_are_reciprocal_and_name_the_default() {
        let all = two();
        let zh = Edition {
            index: 0,
            all: Arc::clone(&all),
        };
        let en = Edition { index: 1, all };
        for path in [
            "",
            "sections/openai/",
            "companies/anthropic/",
            "method/",
            "data/",
        ] {
            let from_zh = zh.alternates(path);
            let from_en = en.alternates(path);
            let hrefs = |a: &[Alternate]| a.iter().map(|x| x.href.clone()).collect::<Vec<_>>();
            assert_eq!(hrefs(&from_zh), hrefs(&from_en), "{path}");
            assert_eq!(from_zh.len(), 2, "{path}");
            assert!(from_zh[0].current && !from_en[0].current);
            assert_eq!(
                zh.view(path).x_default.as_deref(),
                Some(format!("https://e.org/a/{path}").as_str())
            );
            let sitemap = en.sitemap_links(path);
            assert_eq!(sitemap.len(), 3);
            assert_eq!(sitemap[2].hreflang, "x-default");
            assert_eq!(sitemap[2].href, sitemap[0].href);
            assert_eq!(en.view(path).switch[0].url, format!("/a/{path}"));
            assert!(en.view(path).missing.is_empty());
        }
    }

    #[test]
    fn a_page_without_counterpart_says_so_and_switches_to_home() {
        let zh = Edition {
            index: 0,
            all: two(),
        };
        let view = zh.view("sections/zh-only/");
        assert_eq!(view.alternates.len(), 1);
        assert_eq!(view.x_default, None);
        assert_eq!(zh.sitemap_links("sections/zh-only/").len(), 1);
        assert_eq!(view.switch[0].url, "/a/en/");
        assert!(view.switch[0].home);
        assert_eq!(view.missing, ["EN"]);
        // The site's one 404 page lacks nothing; its switch leads home.
        let not_found = zh.view("404.html");
        assert!(not_found.missing.is_empty());
        assert_eq!(not_found.switch[0].url, "/a/en/");
    }
}
