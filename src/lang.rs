//! The site's editions, one per language: which languages a site publishes, where each edition
//! lives, how its files are read, and the editions ready to render.
//!
//! The default language (`language:` in `content/site.yaml`) is published at the site's root as
//! before; every other language of `languages:` is an edition under `<tag in lowercase>/`
//! (`en/`). An edition is a whole [`Site`] read in its language: the company and chart files are
//! shared and read once per edition (their texts through [`crate::localized`]), its sections and
//! pages are its own (`content/<folder>/sections/`, `content/<folder>/pages/`), its interface
//! words come from `templates/strings/<tag>.yaml`. So every edition renders with the one
//! pipeline, and no number can differ between them: each is read from the same facts.
//!
//! How the pages of the editions link each other is [`crate::edition`]'s.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::edition::{Edition, EditionInfo, NOT_FOUND};
use crate::localized::Reading;
use crate::site::Site;

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

    #[test]
    fn prefixes_are_lowercase_folders() {
        assert_eq!(prefix("zh-CN", "zh-CN"), "");
        assert_eq!(prefix("en", "zh-CN"), "en/");
        assert_eq!(prefix("zh-Hant", "en"), "zh-hant/");
    }
}
