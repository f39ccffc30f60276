//! The one place YAML is parsed, turning parser errors into editor-friendly diagnostics.
//!
//! The parser is `yaml_serde`, the YAML organisation's maintained continuation of serde_yaml;
//! every YAML file goes through [`from_str`], so no other module names it. Before the typed
//! parse, `events` reads the event stream once for what serde cannot report, unless `plain`
//! shows the text cannot hold it; `syntax` and `words` reword the parser's messages.

use std::cell::Cell;
use std::path::Path;

use serde::de::{DeserializeOwned, IgnoredAny};

use crate::diagnostic::{Diagnostic, shorten};

// libyaml's event parser has only a C-style interface: the blocks in this module say why each
// call is sound.
#[allow(unsafe_code)]
mod events;
mod plain;
mod syntax;
mod words;

pub use events::MAX_DEPTH;
use events::{Problem, Scan};

thread_local! {
    /// Whether the text being parsed on this thread already passed the checks of the text alone
    /// ([`again`]).
    static CHECKED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `parse`, in which [`from_str`] leaves out what it checks of the text alone (a key
/// written twice, nesting deeper than [`MAX_DEPTH`], a second document): for a text parsed again
/// (a company file read in another edition's language) after it parsed without a problem.
pub fn again<T>(parse: impl FnOnce() -> T) -> T {
    /// Puts the outer state back, even if `parse` panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            CHECKED.set(self.0);
        }
    }
    let _restore = Restore(CHECKED.replace(true));
    parse()
}

/// Parses YAML `src` (the contents of `path`) into `T`.
///
/// `line_offset` is added to reported lines, for YAML embedded in another file (front matter).
/// A key written twice in any mapping, nesting deeper than [`MAX_DEPTH`] and a second document
/// are errors, found before the types are read (unless the text is parsed [`again`]).
pub fn from_str<T: DeserializeOwned>(
    path: &Path,
    src: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    let diagnose = |err: yaml_serde::Error| {
        let (mut line, mut column) = err
            .location()
            .map_or((1, 1), |loc| (loc.line(), loc.column()));
        let raw = err.to_string();
        let message = match syntax::message(&raw, src, &mut line, &mut column) {
            Some(m) => m,
            None => words::humanize(&raw),
        };
        Diagnostic::at(path, line + line_offset, column, message)
    };
    if CHECKED.get() {
        return yaml_serde::from_str(src).map_err(diagnose);
    }
    // A plain text cannot hold what the event pass finds: it is parsed without the pass, and
    // parsed again the whole way if it has a problem, so the problem is reported as always.
    if plain::is_plain(src)
        && let Ok(value) = yaml_serde::from_str(src)
    {
        return Ok(value);
    }
    let scan = events::scan(src);
    match scan {
        Scan::Found(found) => {
            let message = match found.what {
                Problem::DuplicateKey { key, first_line } => format!(
                    "the key `{}` is written twice (first at line {}); delete one or rename it",
                    shorten(&key),
                    first_line + line_offset
                ),
                Problem::TooDeep => format!(
                    "lists and mappings are nested more than {MAX_DEPTH} levels deep here; write at most {MAX_DEPTH} levels"
                ),
                Problem::SecondDocument => {
                    "a second YAML document starts here, but a file holds one: delete this `---` line".into()
                }
            };
            return Err(Diagnostic::at(
                path,
                found.line + line_offset,
                found.column,
                message,
            ));
        }
        // A type error early in a file must not hide a broken line further down: the syntax
        // error is reported first.
        Scan::SyntaxError => {
            if let Err(syntax) = yaml_serde::from_str::<IgnoredAny>(src) {
                return Err(diagnose(syntax));
            }
        }
        Scan::Clean => {}
    }
    yaml_serde::from_str(src).map_err(diagnose)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fact {
        value: u64,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        facts: indexmap::IndexMap<String, Fact>,
    }

    /// The problem `from_str` reports for `src` read as a `T` from `path`.
    fn err<T: DeserializeOwned + std::fmt::Debug>(path: &str, src: &str, offset: usize) -> String {
        from_str::<T>(Path::new(path), src, offset)
            .unwrap_err()
            .to_string()
    }

    /// `again` leaves out only the checks of the text alone, only inside it, and type errors
    /// are still found there.
    #[test]
    fn a_text_parsed_again_is_not_checked_for_what_depends_on_the_text_alone() {
        let twice = "facts:\n  a: {value: 1}\n  a: {value: 2}\n";
        let parse = || from_str::<File>(Path::new("c.yaml"), twice, 0);
        assert!(err::<File>("c.yaml", twice, 0).contains("is written twice"));
        assert!(again(parse).is_ok());
        assert!(parse().is_err(), "checked again outside");
        let wrong = "facts:\n  a: {value: x}\n";
        let message = again(|| from_str::<File>(Path::new("c.yaml"), wrong, 0)).unwrap_err();
        assert!(
            message.to_string().contains("expected a number"),
            "{message}"
        );
        let panicked = std::panic::catch_unwind(|| again(|| panic!("in a parse")));
        assert!(
            panicked.is_err() && parse().is_err(),
            "checked again after a panic"
        );
    }

    #[test]
    fn wrong_type_names_the_field_and_the_value() {
        assert_eq!(
            err::<File>("c.yaml", "facts:\n  revenue:\n    value: 2B\n", 0),
            "c.yaml:3:12: revenue.value: expected a number, found \"2B\""
        );
    }

    #[test]
    fn unknown_field_lists_the_known_ones() {
        assert_eq!(
            err::<File>("c.yaml", "facts:\n  revenue:\n    valeu: 2\n", 0),
            "c.yaml:3:5: revenue: unknown field `valeu`; expected `value`"
        );
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Meta {
        title: String,
        summary: Option<String>,
        order: Option<u32>,
    }

    #[test]
    fn a_key_written_twice_names_both_lines() {
        assert_eq!(
            err::<File>(
                "c.yaml",
                "facts:\n  revenue:\n    value: 1\n  revenue:\n    value: 2\n",
                0
            ),
            "c.yaml:4:3: the key `revenue` is written twice (first at line 2); delete one or rename it"
        );
        assert_eq!(
            err::<Meta>("s.md", "title: a\nsummary: s\ntitle: b\n", 1),
            "s.md:4:1: the key `title` is written twice (first at line 2); delete one or rename it"
        );
    }

    #[test]
    fn a_second_document_and_deep_nesting_are_located() {
        assert_eq!(
            err::<Meta>("s.md", "title: a\n---\ntitle: b\n", 1),
            "s.md:3:1: a second YAML document starts here, but a file holds one: delete this `---` line"
        );
        let deep = format!("title: {}\n", "[".repeat(100_000));
        assert_eq!(
            err::<Meta>("s.md", &deep, 1),
            format!(
                "s.md:2:{}: lists and mappings are nested more than {MAX_DEPTH} levels deep here; write at most {MAX_DEPTH} levels",
                7 + MAX_DEPTH
            )
        );
    }

    #[test]
    fn reworded_syntax_errors_point_where_the_editor_acts() {
        let cases = [
            // Text after a quoted value: the parser's own position, not an indentation guess.
            (
                "summary:\n  s\ntitle: \"a\" b\n",
                "s.md:4:12: text after a quoted value: put the whole value inside the quotes, or delete what follows the closing quote",
            ),
            (
                "summary: s\n  # c\ntitle: a: b\n",
                "s.md:4:9: a value cannot contain `: ` (a colon and a space): put the whole value in quotes",
            ),
            // A missing colon is reported on its own line, not on the next one.
            (
                "title: t\nsummary s\n\norder: 1\n",
                "s.md:3:1: expected `key: value` on this line: add a colon and a space after the key",
            ),
            // An unclosed quote is reported where it opens, not at the end of the file.
            (
                "title: 'abc\nsummary: s\norder: 1\n",
                "s.md:2:8: this quoted value is not closed: add the closing ' at the end of the value",
            ),
            (
                "title: t\n  summary: s\n",
                "s.md:3:3: unexpected indentation: expected this line to start in the same column as the line above it",
            ),
        ];
        for (src, expected) in cases {
            assert_eq!(err::<Meta>("s.md", src, 1), expected, "{src:?}");
        }
    }

    #[test]
    fn syntax_error_has_position_and_offset() {
        let e = from_str::<File>(Path::new("s.md"), "facts:\n  a: [1,\n  b: 2\n", 1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "s.md:3:6: this list is not closed: expected ',' between items or ']' at its end"
        );
    }
}
