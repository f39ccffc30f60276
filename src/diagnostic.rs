//! Problems found in a site's files, each pinned to a file, line and column.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem an editor can fix: where it is and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, as the editor knows it (relative to the site root).
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// Plain-language description of the problem and what to write instead.
    pub message: String,
}

impl Diagnostic {
    /// A problem at a known position of `path`.
    pub fn at(path: &Path, line: usize, column: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }

    /// A problem with `path` as a whole (a missing file, an unreadable folder).
    pub fn file(path: &Path, message: impl Into<String>) -> Self {
        Self::at(path, 0, 0, message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// Position (1-based line and column, column counted in characters) of byte `offset` in `src`.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// How many characters of a value a message quotes; longer values are cut (see [`shorten`]).
pub const QUOTE_CHARS: usize = 40;

/// `text` as a message quotes it: its first [`QUOTE_CHARS`] characters and "…" when longer, so
/// a huge value (a megabyte pasted by mistake) does not become a megabyte of message.
pub fn shorten(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(QUOTE_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

/// Finds where the key at `keys` (a path of nested block-mapping keys) is written in YAML `src`.
///
/// serde reports positions only for syntax and type errors; checks made after parsing (a range
/// whose low exceeds its high, an unknown company) use this to point at the offending key. It
/// understands the block style editors write; when a key cannot be found it returns the deepest
/// ancestor it did find, and (1, 1) when none.
pub fn locate_key(src: &str, keys: &[&str]) -> (usize, usize) {
    let mut found = (1, 1);
    let mut min_indent = 0usize;
    let mut search_from = 0usize;
    let lines: Vec<&str> = src.lines().collect();
    for key in keys {
        let mut hit = None;
        for (i, line) in lines.iter().enumerate().skip(search_from) {
            let trimmed = line.trim_start_matches([' ', '-']);
            let indent = line.len() - trimmed.len();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if i > search_from && indent < min_indent {
                break;
            }
            let bare = trimmed.trim_start_matches(['"', '\'']);
            if let Some(rest) = bare.strip_prefix(key) {
                let rest = rest.trim_start_matches(['"', '\'']);
                if rest.starts_with(':') {
                    hit = Some((i, indent));
                    break;
                }
            }
        }
        match hit {
            Some((i, indent)) => {
                found = (i + 1, indent + 1);
                search_from = i + 1;
                min_indent = indent + 1;
            }
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_and_column() {
        let d = Diagnostic::at(Path::new("content/a.yaml"), 12, 9, "expected a number");
        assert_eq!(d.to_string(), "content/a.yaml:12:9: expected a number");
        let whole = Diagnostic::file(Path::new("content/site.yaml"), "file not found");
        assert_eq!(whole.to_string(), "content/site.yaml: file not found");
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = "一\n二三x";
        assert_eq!(line_col(src, src.find('x').unwrap()), (2, 3));
    }

    #[test]
    fn shorten_cuts_long_values_on_character_boundaries() {
        assert_eq!(shorten("short"), "short");
        let long = "融".repeat(QUOTE_CHARS + 1);
        assert_eq!(shorten(&long), format!("{}…", "融".repeat(QUOTE_CHARS)));
        assert_eq!(shorten(&"a".repeat(QUOTE_CHARS)), "a".repeat(QUOTE_CHARS));
    }

    #[test]
    fn locate_key_follows_nesting() {
        let src = "name: a\nfacts:\n  revenue:\n    value: 1\n    low: 5\n  spend:\n    low: 2\n";
        assert_eq!(locate_key(src, &["facts", "spend", "low"]), (7, 5));
        assert_eq!(locate_key(src, &["facts", "revenue", "low"]), (5, 5));
        assert_eq!(locate_key(src, &["facts", "missing"]), (2, 1));
    }
}
