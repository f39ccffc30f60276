//! How the pages of a site's editions link each other: which editions a page exists in (its
//! alternates, `hreflang`), where its language switch leads, and what a page in one language
//! only says. Pure path logic over [`EditionInfo`]s, made by [`crate::lang::editions`].
//!
//! A section or page is paired with the one of the same slug in another edition; every other page
//! (home, companies, data, corrections, embeds) exists in every edition.

use std::sync::Arc;

use serde::Serialize;

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

/// The edition a [`Site`](crate::site::Site) is, among all of its site's editions.
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

/// The path of the 404 page, made once for the whole site (see [`crate::lang::is_shared`]).
pub const NOT_FOUND: &str = "404.html";

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
            locale: language.replace('-', "_"),
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
