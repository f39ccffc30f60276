//! Starting files for `burnrate new`: a commented company file or section that builds as is.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::fsutil;
use crate::section::slug_of;

/// What `new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// `content/companies/<slug>.yaml`.
    Company,
    /// `content/sections/<NN>-<slug>.md`, numbered after the last section.
    Section,
}

/// The starting text `new` writes where an editor must write their own: a company or section
/// that still holds any of it is published only as a draft (see `validate`).
pub mod placeholder {
    /// A new company's description.
    pub const COMPANY_DESCRIPTION: &str = "一句话介绍这家公司。";
    /// A new section's title.
    pub const SECTION_TITLE: &str = "章节标题";
    /// A new section's summary.
    pub const SECTION_SUMMARY: &str = "一句话概括本章（不写数字）。";
    /// A new section's text.
    pub const SECTION_BODY: &str = crate::section::STARTING_BODY;
}

/// A draft company file whose comments show every field; it has no facts yet.
fn company(slug: &str) -> String {
    format!(
        r#"# yaml-language-server: $schema=../../static/schema/company.schema.json
# Company file: one company or organisation and every figure known about it.
# The page is published at companies/{slug}/. Refer to a fact in prose as [[{slug}/<fact id>]].
name:
  zh: {slug}            # the name Chinese readers use
  original: {slug}      # the name in its original language
description: {description}
kind: company         # or: market (market-wide figures)
draft: true           # set to false to publish (once the name and description are written)
facts: {{}}
# Replace `facts: {{}}` above with your facts, for example:
# facts:
#   revenue_2023:                # fact id: lowercase letters, digits, _ ; unique in this file
#     metric: revenue            # a key under metrics: in templates/strings/zh-CN.yaml
#     qualifier: about           # exact | about | nearly | more_than | up_to | several | range | negligible | undisclosed
#     value: 1600000000          # plain number in US dollars (or a count); a range uses low: and high:
#     unit: usd                  # usd | usd_per_month | companies | people
#     period: 2023年             # the period the figure covers
#     as_of: 2024-05-04          # when the figure was current
#     source:
#       who: 知情人士             # who said or published it
#       via: 某媒体报道           # optional: where it was reported
#       date: 2024-05-04
#     note: 可选的说明            # optional
"#,
        description = placeholder::COMPANY_DESCRIPTION
    )
}

/// A draft section with every front-matter field.
fn section(order: u32) -> String {
    format!(
        r#"---
title: {title}
summary: {summary}
order: {order}
date: 2024-05-06
# author: 署名          # the byline, when not the site's author (site.yaml)
companies: []         # slugs of company files this section discusses, e.g. [openai, microsoft]
charts: []            # ids of chart files shown after the text, e.g. [burn-gap]
draft: true           # set to false to publish
---
{body}

<!-- 数字一律写成事实引用：两个方括号包住“公司文件名/事实id”，例如 [[openai/revenue_2023]]。
生成器把它替换为带限定词的数字（如“约16亿美元”）并链接到来源。写完后删掉这段注释。 -->
"#,
        title = placeholder::SECTION_TITLE,
        summary = placeholder::SECTION_SUMMARY,
        body = placeholder::SECTION_BODY,
    )
}

/// Creates the starting file for `kind` named `slug` under `root`; never overwrites a file.
///
/// Returns the path created.
pub fn create(root: &Path, kind: Kind, slug: &str) -> Result<PathBuf, Diagnostic> {
    if !crate::slug::is_slug(slug) {
        return Err(Diagnostic::file(
            Path::new(slug),
            format!(
                "not a slug: {} (it becomes part of the URL)",
                crate::slug::RULE
            ),
        ));
    }
    let settings = root.join("content/site.yaml");
    if !settings.is_file() {
        return Err(Diagnostic::file(
            &crate::load::display_path(root, Path::new("content/site.yaml")),
            "not found, so this is not a site folder; run `new` in the site folder or give it \
             with --root (nothing was created)",
        ));
    }
    let (rel, text) = match kind {
        Kind::Company => (
            PathBuf::from(format!("content/companies/{slug}.yaml")),
            company(slug),
        ),
        Kind::Section => {
            let dir = root.join("content/sections");
            let existing = section_files(&dir);
            if let Some(same) = existing.iter().find(|p| slug_of(p) == slug) {
                return Err(Diagnostic::file(
                    &crate::load::display_path(
                        root,
                        &Path::new("content/sections").join(same.file_name().unwrap_or_default()),
                    ),
                    format!("a section with slug \"{slug}\" already exists; nothing was created"),
                ));
            }
            let last = existing
                .iter()
                .filter_map(|p| {
                    p.file_name()?
                        .to_str()?
                        .split('-')
                        .next()?
                        .parse::<u32>()
                        .ok()
                })
                .max()
                .unwrap_or(0)
                .max(u32::try_from(existing.len()).unwrap_or(u32::MAX));
            let Some(order) = last.checked_add(1) else {
                return Err(Diagnostic::file(
                    &crate::load::display_path(root, Path::new("content/sections")),
                    format!(
                        "a section is already numbered {last}, the largest order there can be; \
                         renumber the sections (order: in their front matter and the NN- of \
                         their file names) and try again (nothing was created)"
                    ),
                ));
            };
            (
                PathBuf::from(format!("content/sections/{order:02}-{slug}.md")),
                section(order),
            )
        }
    };
    let shown = crate::load::display_path(root, &rel);
    fsutil::create_new(&root.join(&rel), text.as_bytes()).map_err(|e| {
        if e.source.kind() == std::io::ErrorKind::AlreadyExists {
            Diagnostic::file(&shown, "already exists; nothing was created")
        } else {
            Diagnostic::file(&shown, format!("could not create: {}", e.source))
        }
    })?;
    Ok(shown)
}

fn section_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn starting_files_parse() {
        let c = crate::facts::parse(Path::new("x.yaml"), "x", &company("x")).unwrap();
        assert!(c.facts.is_empty());
        let s = crate::section::parse_section(Path::new("03-x.md"), &section(3)).unwrap();
        assert_eq!(s.meta.order, 3);
        assert!(s.meta.draft);
    }
}
