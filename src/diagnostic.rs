//! Problems found in a site's files, each pinned to a file, line and column, and the line they
//! point at, shown with a caret under the column (a code frame).

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

/// A value quoted in a message, cut to its first 60 characters (and `…`) so that a huge value
/// cannot flood the terminal.
pub fn shorten(value: &str) -> String {
    const KEEP: usize = 60;
    match value.char_indices().nth(KEEP) {
        Some((cut, _)) => format!("{}…", &value[..cut]),
        None => value.to_string(),
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

/// The line a problem points at, with its column: what a code frame shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// 1-based line number.
    pub line: usize,
    /// The line as written, without its line break.
    pub text: String,
    /// 1-based column, in characters; at most one past the end of the line.
    pub column: usize,
}

impl Excerpt {
    /// Line `line` of `src` with the caret at `column`; `None` when the position is unknown
    /// (line or column 0) or past the end of the file.
    pub fn of(src: &str, line: usize, column: usize) -> Option<Excerpt> {
        if column == 0 {
            return None;
        }
        let text = src.lines().nth(line.checked_sub(1)?)?;
        Some(Excerpt {
            line,
            text: text.to_string(),
            column: column.min(text.chars().count() + 1),
        })
    }

    /// The characters of the line before the column.
    pub fn before_column(&self) -> &str {
        let end = self
            .text
            .char_indices()
            .nth(self.column - 1)
            .map_or(self.text.len(), |(i, _)| i);
        &self.text[..end]
    }
}

/// The code frame a terminal shows: the line, numbered, and a caret under the column. Tabs are
/// kept so the caret lines up, and wide (CJK) characters count two columns, as terminals draw
/// them.
impl fmt::Display for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = self.line.to_string();
        let gutter = " ".repeat(number.len());
        let pad: String = self
            .before_column()
            .chars()
            .map(|c| match c {
                '\t' => "\t",
                c if is_wide(c) => "  ",
                _ => " ",
            })
            .collect();
        writeln!(f, " {number} | {}", self.text)?;
        write!(f, " {gutter} | {pad}^")
    }
}

/// Whether a terminal draws `c` two columns wide: Hangul, CJK and full-width forms.
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
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
    fn locate_key_follows_nesting() {
        let src = "name: a\nfacts:\n  revenue:\n    value: 1\n    low: 5\n  spend:\n    low: 2\n";
        assert_eq!(locate_key(src, &["facts", "spend", "low"]), (7, 5));
        assert_eq!(locate_key(src, &["facts", "revenue", "low"]), (5, 5));
        assert_eq!(locate_key(src, &["facts", "missing"]), (2, 1));
    }

    #[test]
    fn code_frames_put_the_caret_under_the_column() {
        let src = "title: 标题\nfacts:\n    currency: usd\n";
        let e = Excerpt::of(src, 3, 5).unwrap();
        assert_eq!(e.before_column(), "    ");
        assert_eq!(e.to_string(), " 3 |     currency: usd\n   |     ^");
        // Wide characters take two columns, tabs stay tabs.
        let e = Excerpt::of("\t标题x: 1", 1, 4).unwrap();
        assert_eq!(e.before_column(), "\t标题");
        assert_eq!(e.to_string(), " 1 | \t标题x: 1\n   | \t    ^");
        // A column past the end points just after the line; line 10 of 10 numbers widely.
        let ten = "a\n".repeat(9) + "end";
        assert_eq!(
            Excerpt::of(&ten, 10, 99).unwrap().to_string(),
            " 10 | end\n    |    ^"
        );
    }

    #[test]
    fn no_code_frame_without_a_position() {
        assert_eq!(Excerpt::of("a\n", 1, 0), None);
        assert_eq!(Excerpt::of("a\n", 0, 1), None);
        assert_eq!(Excerpt::of("a\n", 3, 1), None);
    }
}
