//! Article sections and stand-alone pages: YAML front matter followed by a Markdown body.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::revision::{Kind, Note};
use crate::write::manifest;
use crate::yaml;

/// One part of the story, from `content/sections/<slug>.md`.
#[derive(Debug, Clone)]
pub struct Section {
    /// File stem without a leading `NN-` ordering prefix; the page lives at `sections/<slug>/`.
    pub slug: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// Its front matter.
    pub meta: SectionMeta,
    /// The fingerprint of its front matter's text ([`manifest::hash`]), which `meta` is read
    /// from: with its path, it stands for all of the section but the body.
    pub front_print: u64,
    /// The Markdown body; empty when released ([`parse_section_released`]).
    pub body: String,
    /// Line of the file on which the body starts (1-based), to report positions in it.
    pub body_line: usize,
    /// What is kept of the body when [`parse_section_released`] left it in its file; `None`
    /// when it is in `body`.
    pub released: Option<Box<Released>>,
    /// The companies this section discusses: those listed under `companies:`, then those whose
    /// facts its text cites (`[[slug/fact]]`), each once. A company page links to every section
    /// that cites it even when the editor did not list it.
    pub companies: Vec<String>,
    /// Ids of the charts its text places with `[[chart:id]]`, in order.
    pub chart_refs: Vec<String>,
    /// The targets of its references that compute a figure (`a/x / b/y`: three words), in
    /// order, for `data/computed.json` without reading every body again on each build.
    pub computed_refs: Vec<String>,
    /// The facts (`slug/id`) its references show, directly or in a computed figure, in order,
    /// repeats included ([`cited_facts`]).
    pub cited: Vec<String>,
    /// The target of its first reference to a fact (see `first_fact`): what its social card shows
    /// when it has no chart.
    pub first_fact: Option<String>,
}

impl Section {
    /// The section's dated notes, oldest first: `notes:`, then a `correction:` sentence as a
    /// correction dated `updated` (or the publication date).
    pub fn notes(&self) -> Vec<Note> {
        let mut notes = self.meta.notes.clone();
        if let Some(text) = &self.meta.correction {
            notes.push(Note {
                date: self.meta.updated.unwrap_or(self.meta.date),
                kind: Kind::Correction,
                text: text.clone(),
            });
            notes.sort_by_key(|n| n.date);
        }
        notes
    }
}

/// What a section keeps of a body it left in its file, found while the body was in hand: enough
/// for validation to need the body again only when a reference does not plainly resolve.
#[derive(Debug, Clone, PartialEq)]
pub struct Released {
    /// Its fingerprint ([`body_print`]): `load::section_body` refuses a file whose body no
    /// longer has it.
    pub print: u64,
    /// The markup it holds that no page may publish (`markdown::unsafe_markup`), as problems
    /// at their place in the file.
    pub unsafe_markup: Vec<Diagnostic>,
    /// Where the starting text of `new` ([`STARTING_BODY`]) is in the file (line, column).
    pub starting_text: Option<(usize, usize)>,
    /// The targets of its references when every one is plain ([`plain_references`]).
    pub plain_references: Option<Vec<String>>,
}

/// The text a section made by `burnrate new` starts with, refused in a published section.
pub const STARTING_BODY: &str = "在这里写正文。";

/// Where in its file (line, column) the starting text of `new` is in `body`, which starts on
/// line `body_line`.
pub fn starting_text(body: &str, body_line: usize) -> Option<(usize, usize)> {
    let at = memchr::memmem::find(body.as_bytes(), STARTING_BODY.as_bytes())?;
    let (line, column) = crate::diagnostic::line_col(body, at);
    Some((line + body_line - 1, column))
}

/// The markup of `body` (starting on line `body_line` of the file at `path`) that no page may
/// publish, each a problem at its place.
pub fn unsafe_markup(path: &Path, body: &str, body_line: usize) -> Vec<Diagnostic> {
    crate::markdown::unsafe_markup(body)
        .into_iter()
        .map(|u| {
            let (line, column) = crate::diagnostic::line_col(body, u.offset);
            Diagnostic::at(path, line + body_line - 1, column, u.message)
        })
        .collect()
}

/// The targets of the references `[[…]]` of `body` when every one is plain text: letters,
/// digits, `_`, `-` and `/`, no escapes, entities or `|` label the Markdown parser would
/// rewrite, and none written as an image (`![[…]]`); `None` otherwise. Then the parser's
/// references are exactly these, and a validation that finds each names a fact need not parse
/// the body.
///
/// Each `[[` is paired with the first `]]` after it (a reference cannot hold `]]`).
pub fn plain_references(body: &str) -> Option<Vec<&str>> {
    let bytes = body.as_bytes();
    let mut targets = Vec::new();
    let mut from = 0;
    while let Some(i) = find_pair(bytes, b'[', from) {
        let start = i + 2;
        let Some(end) = find_pair(bytes, b']', start) else {
            // No closing brackets anywhere after: the parser sees no reference from here on.
            break;
        };
        let target = body[start..end].trim_matches(|c: char| c == ' ' || c == '\t');
        let plain = target
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'/');
        let image = i > 0 && bytes[i - 1] == b'!';
        if !plain || image {
            return None;
        }
        targets.push(target);
        // `[` is one byte: the next search starts inside this pair, so `[[[` is seen twice.
        from = i + 1;
    }
    Some(targets)
}

/// The first `cc` (two `c` bytes) at or after `from`, found with SIMD (`memchr`); the standard
/// `str::find("[[")` runs its general two-way matcher, several times slower over a section.
fn find_pair(bytes: &[u8], c: u8, from: usize) -> Option<usize> {
    static OPEN: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"[["));
    static CLOSE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"]]"));
    let finder = if c == b'[' { &OPEN } else { &CLOSE };
    finder.find(bytes.get(from..)?).map(|i| i + from)
}

/// The fingerprint of a body ([`manifest::hash`]).
pub fn body_print(body: &str) -> u64 {
    manifest::hash(body.as_bytes())
}

/// A section's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    /// Heading of the section.
    pub title: String,
    /// One sentence shown in lists and link previews.
    pub summary: String,
    /// Reading order, 1 first.
    pub order: u32,
    /// Publication date.
    pub date: Date,
    /// Last revision, when revised after publication.
    #[serde(default)]
    pub updated: Option<Date>,
    /// What the revision changed, shown at the top of the section with `updated`: the older,
    /// single-sentence form of a correction note (see [`Section::notes`]).
    #[serde(default)]
    pub correction: Option<String>,
    /// Dated corrections and updates of the text, oldest first.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Who wrote the section, when not the site's `author`.
    #[serde(default)]
    pub author: Option<String>,
    /// Slugs of the company files this section discusses without citing their facts (those it
    /// cites are added: see [`Section::companies`]).
    #[serde(default)]
    pub companies: Vec<String>,
    /// Ids of charts shown with this section.
    #[serde(default)]
    pub charts: Vec<String>,
    /// A draft is checked but not published.
    #[serde(default)]
    pub draft: bool,
}

/// A stand-alone page such as "sources and method", from `content/pages/<slug>.md`.
#[derive(Debug, Clone)]
pub struct Page {
    /// File stem; the page lives at `<slug>/`.
    pub slug: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// Its front matter.
    pub meta: PageMeta,
    /// The Markdown body.
    pub body: String,
    /// Line of the file on which the body starts.
    pub body_line: usize,
}

/// A page's front matter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// Heading of the page.
    pub title: String,
    /// One sentence for link previews.
    pub summary: String,
    /// Dated corrections and updates of the text, oldest first.
    #[serde(default)]
    pub notes: Vec<Note>,
}

/// Splits `---`-delimited front matter from the body.
///
/// Returns the front matter, the body, and the 1-based line where the body starts.
fn split<'a>(path: &Path, src: &'a str) -> Result<(&'a str, &'a str, usize), Diagnostic> {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    let missing = || {
        Diagnostic::at(
            path,
            1,
            1,
            "expected front matter: a line `---`, YAML fields (title, summary, …), and another line `---` before the text",
        )
    };
    let rest = src
        .strip_prefix("---\n")
        .or_else(|| src.strip_prefix("---\r\n"))
        .ok_or_else(missing)?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = front.matches('\n').count() + 3;
            return Ok((front, body, body_line));
        }
        offset += line.len();
    }
    Err(Diagnostic::at(
        path,
        1,
        1,
        "front matter is not closed: add a line `---` after the last field",
    ))
}

/// The slug of a section file: its stem without a leading `NN-` ordering prefix.
pub fn slug_of(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    match stem.split_once('-') {
        Some((prefix, rest))
            if !prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_digit()) =>
        {
            rest.to_string()
        }
        _ => stem,
    }
}

/// Parses a section file.
pub fn parse_section(path: &Path, src: &str) -> Result<Section, Diagnostic> {
    parse(path, src, true)
}

/// Parses a section file as [`parse_section`] does, but leaves the body in the file: the
/// section holds only its fingerprint ([`Section::released`]), and `load::section_body` reads
/// it again where it is needed. A build of ten thousand sections holds 50 MB less. The body is
/// never even copied: ten thousand copies freed after validation left as many holes in the
/// heap, and the rest of the build spent a fifth more CPU time allocating around them.
pub fn parse_section_released(path: &Path, src: &str) -> Result<Section, Diagnostic> {
    parse(path, src, false)
}

/// Parses a section file, keeping its body if `keep_body`.
fn parse(path: &Path, src: &str, keep_body: bool) -> Result<Section, Diagnostic> {
    let (front, body, body_line) = split(path, src)?;
    let meta: SectionMeta = yaml::from_str(path, front, 1)?;
    // The body is scanned for its references once; what a section cites comes from them.
    let targets: Vec<&str> = references(body).collect();
    let mut companies = meta.companies.clone();
    let cited = targets.iter().flat_map(|t| facts_in(t)).filter_map(|fact| {
        let (slug, _) = fact.split_once('/')?;
        crate::slug::is_slug(slug).then_some(slug)
    });
    for slug in cited {
        if !companies.iter().any(|c| c == slug) {
            companies.push(slug.to_string());
        }
    }
    let chart_refs = targets
        .iter()
        .filter_map(|t| Some(crate::markdown::chart_ref(t)?.to_string()))
        .collect();
    // A computed figure is three words: `a/x / b/y`.
    let computed_refs = targets
        .iter()
        .filter(|t| t.split_whitespace().count() == 3)
        .map(|t| t.to_string())
        .collect();
    let cited = targets
        .iter()
        .flat_map(|t| facts_in(t))
        .map(str::to_string)
        .collect();
    Ok(Section {
        slug: slug_of(path),
        path: path.to_path_buf(),
        meta,
        front_print: manifest::hash(front.as_bytes()),
        body: if keep_body {
            body.to_string()
        } else {
            String::new()
        },
        body_line,
        released: (!keep_body).then(|| {
            Box::new(Released {
                print: body_print(body),
                unsafe_markup: unsafe_markup(path, body, body_line),
                starting_text: starting_text(body, body_line),
                plain_references: plain_references(body)
                    .map(|targets| targets.into_iter().map(str::to_string).collect()),
            })
        }),
        companies,
        chart_refs,
        computed_refs,
        cited,
        first_fact: first_fact(body).map(str::to_string),
    })
}

/// The body of the section or page file `src` (read from `path`): the text after its front
/// matter.
pub fn body_of<'a>(path: &Path, src: &'a str) -> Result<&'a str, Diagnostic> {
    split(path, src).map(|(_, body, _)| body)
}

/// The target of the first fact reference of `body` (`openai/revenue_2023`), if any.
fn first_fact(body: &str) -> Option<&str> {
    let bytes = body.as_bytes();
    let mut from = 0;
    while let Some(open) = find_pair(bytes, b'[', from) {
        let end = find_pair(bytes, b']', open + 2)?;
        let target = body[open + 2..end].trim();
        if target.contains('/') && !target.contains(['[', ' ']) && !target.starts_with("chart:") {
            return Some(target);
        }
        from = end;
    }
    None
}

/// The targets of the references `[[…]]` in `body`, in order, repeats included. A scan for
/// `[[`, not a Markdown parse: it runs on every section of every build, and a reference written
/// inside code (the only place it could be wrong) cites nothing real.
fn references(body: &str) -> impl Iterator<Item = &str> {
    let bytes = body.as_bytes();
    // Each `[[` after the one before it (`[[[` holds one), as `match_indices` finds them.
    let opens = std::iter::successors(find_pair(bytes, b'[', 0), move |&i| {
        find_pair(bytes, b'[', i + 2)
    });
    opens.filter_map(move |i| Some(body[i + 2..find_pair(bytes, b']', i + 2)?].trim()))
}

/// The facts (`slug/id`) that the references in `body` show, directly or in a computed figure
/// (`[[a/x / b/y]]`), in order, repeats included.
pub fn cited_facts(body: &str) -> impl Iterator<Item = &str> {
    references(body).flat_map(facts_in)
}

/// The facts a reference's target names: itself, or both sides of a computed figure.
fn facts_in(target: &str) -> impl Iterator<Item = &str> {
    target
        .split_whitespace()
        .filter(|word| word.len() > 1 && word.contains('/'))
}

/// Parses a stand-alone page file.
pub fn parse_page(path: &Path, src: &str) -> Result<Page, Diagnostic> {
    let (front, body, body_line) = split(path, src)?;
    let meta: PageMeta = yaml::from_str(path, front, 1)?;
    Ok(Page {
        slug: path
            .file_stem()
            .map_or(String::new(), |s| s.to_string_lossy().into_owned()),
        path: path.to_path_buf(),
        meta,
        body: body.to_string(),
        body_line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "---\ntitle: 热潮退去\nsummary: s\norder: 1\ndate: 2024-05-06\ncompanies: [openai]\n---\n正文\n";

    #[test]
    fn cited_companies_join_the_listed_ones() {
        let src = "---\ntitle: t\nsummary: s\norder: 1\ndate: 2024-05-06\ncompanies: [meta]\n---\n\
                   [[openai/revenue]]，[[ anthropic/funding ]]，[[openai/funding]]，[[meta/x]]，[[坏/x]]，[[x]]，\
                   [[openai/funding / stability-ai/revenue]]，[[chart:burn-gap]]\n";
        let s = parse_section(Path::new("01-a.md"), src).unwrap();
        assert_eq!(s.meta.companies, vec!["meta"]);
        assert_eq!(
            s.companies,
            vec!["meta", "openai", "anthropic", "stability-ai"]
        );
        assert_eq!(s.chart_refs, vec!["burn-gap"]);
        assert_eq!(
            s.computed_refs,
            vec!["openai/funding / stability-ai/revenue"]
        );
    }

    #[test]
    fn a_correction_sentence_is_a_note_dated_updated_among_the_others() {
        let src = "---\ntitle: t\nsummary: s\norder: 1\ndate: 2024-05-06\nupdated: 2024-05-08\n\
                   correction: 改了时期。\nnotes:\n  - date: 2024-05-07\n    kind: 更新\n    text: 补充。\n  \
                   - date: 2024-05-09\n    kind: update\n    text: 再补充。\n---\n";
        let s = parse_section(Path::new("01-a.md"), src).unwrap();
        let notes: Vec<(String, Kind)> = s
            .notes()
            .iter()
            .map(|n| (n.date.to_string(), n.kind))
            .collect();
        assert_eq!(
            notes,
            [
                ("2024-05-07".to_string(), Kind::Update),
                ("2024-05-08".to_string(), Kind::Correction),
                ("2024-05-09".to_string(), Kind::Update),
            ]
        );
        assert_eq!(s.notes()[1].text, "改了时期。");
    }

    #[test]
    fn cited_facts_include_those_inside_computed_figures() {
        let body = "[[a/x]]，[[ b/y / c/z ]]，[[chart:m]]，[[a/x - a/w]]";
        let facts: Vec<&str> = cited_facts(body).collect();
        assert_eq!(facts, ["a/x", "b/y", "c/z", "a/x", "a/w"]);
        let src = format!("---\ntitle: t\nsummary: s\norder: 1\ndate: 2024-05-06\n---\n{body}\n");
        let s = parse_section(Path::new("01-a.md"), &src).unwrap();
        assert_eq!(s.cited, facts);
    }

    #[test]
    fn the_first_reference_to_a_fact_is_found() {
        assert_eq!(
            first_fact("x [[chart:a]] y [[a / b]] z [[openai/revenue]] [[b/c]]"),
            Some("openai/revenue")
        );
        assert_eq!(first_fact("no references"), None);
    }

    #[test]
    fn runs_of_brackets_pair_as_the_parser_reads_them() {
        // `[[[` opens once, at its first two brackets; each pair closes at the first `]]`.
        let body = "[[[a/x]]] [[b/y]]]] ]] [[ c/z ]] [[d/w";
        let targets: Vec<&str> = references(body).collect();
        assert_eq!(targets, ["[a/x", "b/y", "c/z"]);
        assert_eq!(first_fact(body), Some("b/y"));
        assert_eq!(first_fact("[[a/x"), None);
        assert_eq!(first_fact("[[x]] 在这里 [[一/二]]"), Some("一/二"));
    }

    #[test]
    fn a_released_body_leaves_its_fingerprint_and_the_rest() {
        let kept = parse_section(Path::new("01-a.md"), GOOD).unwrap();
        let released = parse_section_released(Path::new("01-a.md"), GOOD).unwrap();
        assert_eq!((kept.body.as_str(), &kept.released), ("正文\n", &None));
        let r = released.released.as_deref().unwrap();
        assert_eq!(
            (released.body.as_str(), r.print),
            ("", body_print("正文\n"))
        );
        let restored = Section {
            body: kept.body.clone(),
            released: None,
            ..released
        };
        assert_eq!(format!("{restored:?}"), format!("{kept:?}"));
        assert_eq!(body_of(Path::new("01-a.md"), GOOD).unwrap(), "正文\n");
    }

    #[test]
    fn splits_front_matter_and_body() {
        let s = parse_section(Path::new("content/sections/01-cooling.md"), GOOD).unwrap();
        assert_eq!(s.slug, "cooling");
        assert_eq!(s.meta.title, "热潮退去");
        assert_eq!(s.meta.companies, vec!["openai"]);
        assert_eq!(s.companies, vec!["openai"]);
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_line, 8);
        assert!(!s.meta.draft);
    }

    #[test]
    fn front_matter_errors_point_into_the_file() {
        let src = "---\ntitle: t\nsummary: s\norder: first\ndate: 2024-05-06\n---\n";
        assert_eq!(
            parse_section(Path::new("a.md"), src)
                .unwrap_err()
                .to_string(),
            "a.md:4:8: order: expected a number, found \"first\""
        );
    }

    #[test]
    fn missing_or_unclosed_front_matter() {
        assert!(
            parse_section(Path::new("a.md"), "# hi\n")
                .unwrap_err()
                .message
                .starts_with("expected front matter")
        );
        assert_eq!(
            parse_section(Path::new("a.md"), "---\ntitle: t\n")
                .unwrap_err()
                .to_string(),
            "a.md:1:1: front matter is not closed: add a line `---` after the last field"
        );
    }
}
