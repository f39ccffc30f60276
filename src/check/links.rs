//! Internal links, anchors and images: every one must resolve to a file of the built site.
//!
//! Links written in Markdown are reported at their place in the Markdown file; links that come
//! from templates at the template line that writes them (or, when no line matches, the page).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use super::external::Link;
use super::html;
use crate::diagnostic::{Diagnostic, line_col};
use crate::load::display_path;
use crate::render::Built;
use crate::site::Site;
use crate::sources::Sources;
use crate::urlpath::{self, DecodeError};

/// Problems and external links found.
pub struct Found {
    /// Broken links and anchors.
    pub problems: Vec<Diagnostic>,
    /// Links to other sites, each at the first place it is written, by address.
    pub external: Vec<Link>,
}

/// Where a link points.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A file of the site (path relative to the output) and an optional `#fragment`.
    Internal(String, Option<String>),
    /// Another site.
    External,
    /// mailto:, tel:, data: and the like.
    Ignored,
    /// A root-relative link outside the base path.
    OutsideBase,
    /// A link whose percent escapes do not decode.
    BadEscape(DecodeError),
}

struct Resolver<'a> {
    base_url: &'a str,
    base_path: &'a str,
    files: BTreeSet<&'a str>,
    ids: BTreeMap<&'a str, BTreeSet<String>>,
}

impl Resolver<'_> {
    fn resolve(&self, link: &str, from: &str) -> Target {
        let link = link.trim();
        if let Some(rest) = link.strip_prefix(self.base_url) {
            return self.internal(rest, "");
        }
        if link.starts_with("//") || link.contains("://") {
            return Target::External;
        }
        if link
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.contains('/') && !scheme.contains('#'))
        {
            return Target::Ignored;
        }
        if let Some(fragment) = link.strip_prefix('#') {
            return match urlpath::decode(fragment) {
                Ok(fragment) => Target::Internal(from.to_string(), Some(fragment)),
                Err(e) => Target::BadEscape(e),
            };
        }
        if let Some(rooted) = link.strip_prefix('/') {
            return match link.strip_prefix(self.base_path) {
                Some(rest) => self.internal(rest, ""),
                None if self.base_path == "/" => self.internal(rooted, ""),
                None => Target::OutsideBase,
            };
        }
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        self.internal(link, dir)
    }

    /// Resolves `link` relative to the folder `dir` (both below the site root). A path naming
    /// a folder, with or without its trailing `/`, means the folder's `index.html`.
    fn internal(&self, link: &str, dir: &str) -> Target {
        match self.decoded(link, dir) {
            Ok(target) => target,
            Err(e) => Target::BadEscape(e),
        }
    }

    /// [`Resolver::internal`], with escapes that do not decode as the error.
    fn decoded(&self, link: &str, dir: &str) -> Result<Target, DecodeError> {
        let (path, fragment) = match link.split_once('#') {
            Some((p, f)) => (p, Some(urlpath::decode(f)?)),
            None => (link, None),
        };
        let path = path.split('?').next().unwrap_or("");
        let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
        for seg in path.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let joined = urlpath::decode(&parts.join("/"))?;
        let index = if joined.is_empty() {
            "index.html".to_string()
        } else {
            format!("{joined}/index.html")
        };
        let resolved =
            if path.ends_with('/') || joined.is_empty() || self.files.contains(index.as_str()) {
                index
            } else {
                joined
            };
        Ok(Target::Internal(resolved, fragment))
    }

    /// Why `link` (written on page `from`) is broken, or `None` when it resolves.
    fn problem(&self, link: &str, from: &str, external: &mut BTreeSet<String>) -> Option<String> {
        match self.resolve(link, from) {
            Target::External => {
                external.insert(link.to_string());
                None
            }
            Target::Ignored => None,
            Target::BadEscape(e) => Some(format!("link {link}: {e}")),
            Target::OutsideBase => Some(format!(
                "link {link} is outside the site's base path {}; start it with {} or make it relative",
                self.base_path, self.base_path
            )),
            Target::Internal(path, fragment) => {
                if !self.files.contains(path.as_str()) {
                    return Some(format!(
                        "link {link} points to {path}, which the site does not have"
                    ));
                }
                match fragment {
                    Some(f)
                        if !f.is_empty()
                            && self
                                .ids
                                .get(path.as_str())
                                .is_some_and(|ids| !ids.contains(&f)) =>
                    {
                        Some(format!(
                            "link {link}: {path} has no element with id \"{f}\""
                        ))
                    }
                    _ => None,
                }
            }
        }
    }
}

/// Checks every link of the built site.
pub fn check(site: &Site, sources: &Sources, built: &Built, root: &Path) -> Found {
    let base_path = site.config.base_path();
    let mut resolver = Resolver {
        base_url: &site.config.base_url,
        base_path: &base_path,
        files: built.outputs.iter().map(|o| o.path.as_str()).collect(),
        ids: BTreeMap::new(),
    };
    let pages: Vec<(&str, String)> = built
        .outputs
        .iter()
        .filter(|o| o.path.ends_with(".html"))
        .map(|o| {
            (
                o.path.as_str(),
                String::from_utf8_lossy(&o.bytes).into_owned(),
            )
        })
        .collect();
    for (path, text) in &pages {
        resolver
            .ids
            .insert(path, html::ids(text).into_iter().collect());
    }

    let mut problems = Vec::new();
    let mut external = BTreeSet::new();
    let Written {
        from_markdown,
        mut places,
    } = markdown_links_checked(site, &resolver, &mut problems, &mut external);
    for (page, text) in &pages {
        for attr in html::links(text) {
            if from_markdown.contains(&attr.value) {
                continue;
            }
            if let Some(message) = resolver.problem(&attr.value, page, &mut external) {
                problems.push(locate_in_templates(
                    site,
                    root,
                    &attr.value,
                    &base_path,
                    page,
                    message,
                ));
            }
        }
    }
    let external = external
        .into_iter()
        .map(|url| match places.remove(&url) {
            Some(place) => place,
            None => written_where(sources, root, url),
        })
        .collect();
    Found { problems, external }
}

/// The links written in the published sections' and pages' Markdown.
struct Written {
    /// Each as written and as the page has it (escaped by the Markdown renderer).
    from_markdown: BTreeSet<String>,
    /// The first place each is written.
    places: BTreeMap<String, Link>,
}

/// Checks the links written in the published sections' and pages' Markdown, reporting each
/// problem where the link is written; links to other sites go to `external`.
fn markdown_links_checked(
    site: &Site,
    resolver: &Resolver<'_>,
    problems: &mut Vec<Diagnostic>,
    external: &mut BTreeSet<String>,
) -> Written {
    let mut from_markdown = BTreeSet::new();
    let markdown = site
        .sections
        .iter()
        .filter(|s| !s.meta.draft)
        .map(|s| {
            (
                &s.path,
                &s.body,
                s.body_line,
                format!("sections/{}/index.html", s.slug),
            )
        })
        .chain(site.pages.iter().map(|p| {
            (
                &p.path,
                &p.body,
                p.body_line,
                format!("{}/index.html", p.slug),
            )
        }));
    let mut places: BTreeMap<String, Link> = BTreeMap::new();
    for (path, body, body_line, page) in markdown {
        for (link, offset) in markdown_links(body) {
            // The page has the link as the Markdown renderer wrote it; it is reported here.
            let mut written = String::new();
            if pulldown_cmark_escape::escape_href(&mut written, &link).is_ok() {
                from_markdown.insert(html::unescape(&written));
            }
            from_markdown.insert(link.clone());
            let (line, column) = line_col(body, offset);
            let line = line + body_line - 1;
            places.entry(link.clone()).or_insert_with(|| Link {
                url: link.clone(),
                path: path.to_path_buf(),
                line,
                column,
            });
            if let Some(message) = resolver.problem(&link, &page, external) {
                problems.push(Diagnostic::at(path, line, column, message));
            }
        }
    }

    Written {
        from_markdown,
        places,
    }
}

/// The first place an address that a page links to is written in the site's files (a source
/// address in a company file, say), or the site's settings file when none writes it as it is.
fn written_where(sources: &Sources, root: &Path, url: String) -> Link {
    for (path, text) in sources.iter() {
        if let Some(at) = text.find(&url) {
            let (line, column) = line_col(text, at);
            return Link {
                url,
                path: path.to_path_buf(),
                line,
                column,
            };
        }
    }
    Link {
        url,
        path: display_path(root, Path::new("content/site.yaml")),
        line: 0,
        column: 0,
    }
}

/// Links and images written in Markdown (not fact references, nor facts written as images,
/// which validation refuses), with their byte offsets.
fn markdown_links(body: &str) -> Vec<(String, usize)> {
    Parser::new_ext(body, crate::markdown::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if !matches!(link_type, LinkType::WikiLink { .. }) => {
                Some((dest_url.to_string(), range.start))
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) if !matches!(link_type, LinkType::WikiLink { .. }) => {
                Some((dest_url.to_string(), range.start))
            }
            _ => None,
        })
        .collect()
}

/// The template line that writes a broken link: the first template containing the link's text
/// after the base path; the page itself when no template does.
fn locate_in_templates(
    site: &Site,
    root: &Path,
    link: &str,
    base_path: &str,
    page: &str,
    message: String,
) -> Diagnostic {
    let literal = link.strip_prefix(base_path).unwrap_or(link);
    if !literal.is_empty() {
        for (name, text) in &site.templates {
            if let Some(i) = text.find(literal) {
                let (line, column) = line_col(text, i);
                let path: PathBuf = display_path(root, &Path::new("templates").join(name));
                return Diagnostic::at(&path, line, column, message);
            }
        }
    }
    Diagnostic::file(
        Path::new(page),
        format!("{message} (written by a template)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver<'a>(files: &[&'a str]) -> Resolver<'a> {
        Resolver {
            base_url: "https://u.github.io/ai/",
            base_path: "/ai/",
            files: files.iter().copied().collect(),
            ids: BTreeMap::new(),
        }
    }

    #[test]
    fn resolves_links_under_the_base_path() {
        let r = resolver(&["index.html", "sections/a/index.html", "charts/x.svg"]);
        let from = "sections/a/index.html";
        assert_eq!(
            r.resolve("/ai/sections/a/", from),
            Target::Internal("sections/a/index.html".into(), None)
        );
        assert_eq!(
            r.resolve("../../charts/x.svg", from),
            Target::Internal("charts/x.svg".into(), None)
        );
        assert_eq!(
            r.resolve("/ai/#top", from),
            Target::Internal("index.html".into(), Some("top".into()))
        );
        assert_eq!(
            r.resolve("#fn", from),
            Target::Internal(from.into(), Some("fn".into()))
        );
        assert_eq!(
            r.resolve("https://u.github.io/ai/sections/a/", from),
            Target::Internal("sections/a/index.html".into(), None)
        );
        assert_eq!(r.resolve("https://example.com/", from), Target::External);
        assert_eq!(r.resolve("/other/", from), Target::OutsideBase);
        assert_eq!(r.resolve("mailto:x@y", from), Target::Ignored);
        assert_eq!(
            r.resolve("/ai/sections/a", from),
            Target::Internal("sections/a/index.html".into(), None)
        );
    }

    #[test]
    fn missing_files_and_anchors_are_problems() {
        let mut r = resolver(&["index.html"]);
        r.ids
            .insert("index.html", ["top".to_string()].into_iter().collect());
        let mut ext = BTreeSet::new();
        assert_eq!(r.problem("/ai/#top", "index.html", &mut ext), None);
        assert_eq!(
            r.problem("/ai/#nope", "index.html", &mut ext).unwrap(),
            "link /ai/#nope: index.html has no element with id \"nope\""
        );
        assert_eq!(
            r.problem("/ai/gone/", "index.html", &mut ext).unwrap(),
            "link /ai/gone/ points to gone/index.html, which the site does not have"
        );
    }
}
