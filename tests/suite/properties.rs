//! Property tests over the parsers: random and mutated files never panic, and either parse or
//! give a problem located in the file (line ≥ 1, column ≥ 1, the file's own path).
//!
//! Mutations start from the real files in `content/` and `tests/fixtures/minimal/` and apply
//! random byte and line edits, and YAML's special characters where they hurt most.

use std::fs;
use std::path::{Path, PathBuf};

use burnrate::diagnostic::Diagnostic;
use proptest::prelude::*;

use crate::common::{repo, tests_dir};

/// How a file is parsed, by where it lives.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Site,
    Company,
    Chart,
    Section,
    Page,
}

/// Every seed file: its kind, path and bytes.
fn seeds() -> Vec<(Kind, PathBuf, Vec<u8>)> {
    let mut found = Vec::new();
    for root in [repo(), tests_dir("fixtures/minimal")] {
        let content = root.join("content");
        found.push((Kind::Site, content.join("site.yaml")));
        for (dir, kind) in [
            ("companies", Kind::Company),
            ("charts", Kind::Chart),
            ("sections", Kind::Section),
            ("pages", Kind::Page),
        ] {
            let mut files: Vec<PathBuf> = fs::read_dir(content.join(dir))
                .map(|d| d.map(|e| e.unwrap().path()).collect())
                .unwrap_or_default();
            files.sort();
            found.extend(files.into_iter().map(|f| (kind, f)));
        }
    }
    found
        .into_iter()
        .map(|(kind, path)| {
            let bytes = fs::read(&path).unwrap();
            (kind, path, bytes)
        })
        .collect()
}

/// Checks that `problem` is located in `path`.
fn located(problem: &Diagnostic, path: &Path) -> Result<(), TestCaseError> {
    prop_assert_eq!(&problem.path, path);
    prop_assert!(problem.line >= 1 && problem.column >= 1, "{}", problem);
    prop_assert!(problem.message.len() < 2_000, "{}", problem);
    Ok(())
}

/// Reads `bytes` as the file `path` of `kind` the way `load` does; every problem must be
/// located, and a section's or page's Markdown must go through the Markdown parser.
fn parse(kind: Kind, path: &Path, bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let text = match burnrate::text::decode(path, bytes) {
        Ok(text) => text,
        Err(problem) => return located(&problem, path),
    };
    let result = match kind {
        Kind::Site => burnrate::config::parse(path, &text).map(drop),
        Kind::Company => burnrate::facts::parse(path, "c", &text)
            .map(drop)
            .map_err(|ds| ds.into_iter().next().expect("at least one problem")),
        Kind::Chart => burnrate::chart::spec::parse(path, "c", &text)
            .map(drop)
            .map_err(|ds| ds.into_iter().next().expect("at least one problem")),
        Kind::Section => burnrate::section::parse_section(path, &text).map(|s| {
            burnrate::markdown::fact_refs(&s.body);
            burnrate::markdown::render(&s.body, &|t: &str| Some(t.to_string()));
        }),
        Kind::Page => burnrate::section::parse_page(path, &text).map(|p| {
            burnrate::markdown::render(&p.body, &|_: &str| None);
        }),
    };
    match result {
        Ok(()) => Ok(()),
        Err(problem) => located(&problem, path),
    }
}

/// Pieces of YAML and Markdown syntax that break files in interesting ways.
const SNIPPETS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    ": ",
    ":",
    "\"",
    "'",
    "- ",
    "\t",
    "---\n",
    "...\n",
    "  ",
    "#",
    "&a ",
    "*a",
    "!!str ",
    "? ",
    "|\n",
    ">-\n",
    "\0",
    "[[",
    "]]",
    "[[alpha/revenue]]",
    "~",
    "\r",
    "\u{feff}",
    "\u{85}",
    "%YAML 1.1\n",
    "<<: *a\n",
    "-5",
    "99999999999999999999999",
];

/// One random edit.
#[derive(Debug, Clone)]
enum Edit {
    InsertByte(usize, u8),
    DeleteByte(usize),
    ReplaceByte(usize, u8),
    InsertSnippet(usize, usize),
    DuplicateLine(usize),
    DeleteLine(usize),
    SwapLines(usize, usize),
    IndentLine(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let at = any::<usize>();
    prop_oneof![
        (at, any::<u8>()).prop_map(|(i, b)| Edit::InsertByte(i, b)),
        at.prop_map(Edit::DeleteByte),
        (at, any::<u8>()).prop_map(|(i, b)| Edit::ReplaceByte(i, b)),
        (at, 0..SNIPPETS.len()).prop_map(|(i, s)| Edit::InsertSnippet(i, s)),
        at.prop_map(Edit::DuplicateLine),
        at.prop_map(Edit::DeleteLine),
        (at, at).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        (at, 0usize..6).prop_map(|(i, n)| Edit::IndentLine(i, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let pos = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
    let mut lines: Vec<Vec<u8>> = bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let n = lines.len().max(1);
    match *edit {
        Edit::InsertByte(i, b) => bytes.insert(pos(i, bytes.len()), b),
        Edit::DeleteByte(i) if !bytes.is_empty() => {
            bytes.remove(i % bytes.len());
        }
        Edit::ReplaceByte(i, b) if !bytes.is_empty() => {
            let at = i % bytes.len();
            bytes[at] = b;
        }
        Edit::InsertSnippet(i, s) => {
            let at = pos(i, bytes.len());
            bytes.splice(at..at, SNIPPETS[s].bytes());
        }
        Edit::DuplicateLine(i) if !lines.is_empty() => {
            let line = lines[i % n].clone();
            lines.insert(i % n, line);
            *bytes = lines.concat();
        }
        Edit::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i % n);
            *bytes = lines.concat();
        }
        Edit::SwapLines(a, b) if !lines.is_empty() => {
            lines.swap(a % n, b % n);
            *bytes = lines.concat();
        }
        Edit::IndentLine(i, spaces) if !lines.is_empty() => {
            lines[i % n].splice(0..0, std::iter::repeat_n(b' ', spaces));
            *bytes = lines.concat();
        }
        _ => {}
    }
}

fn kinds() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Site),
        Just(Kind::Company),
        Just(Kind::Chart),
        Just(Kind::Section),
        Just(Kind::Page),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_real_files_parse_or_give_located_problems(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let all = seeds();
        let (kind, path, mut bytes) = all[seed.index(all.len())].clone();
        for e in &edits {
            apply(&mut bytes, e);
        }
        parse(kind, &path, bytes)?;
    }

    #[test]
    fn random_text_parses_or_gives_located_problems(
        kind in kinds(),
        pieces in prop::collection::vec(
            prop_oneof![
                (0..SNIPPETS.len()).prop_map(|i| SNIPPETS[i].to_string()),
                "[a-z_]{1,8}",
                "[ \n]{1,4}",
                any::<String>(),
            ],
            0..40,
        ),
    ) {
        let text: String = pieces.concat();
        let framed = match kind {
            Kind::Section | Kind::Page => format!("---\n{text}\n---\n{text}"),
            _ => text,
        };
        parse(kind, Path::new("content/x"), framed.into_bytes())?;
    }
}
