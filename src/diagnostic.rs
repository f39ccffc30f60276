//! Problems found in a site's files, each pinned to a file, line and column, and the line they
//! point at, shown with a caret under the column (a code frame).

use std::collections::HashMap;
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
    Cursor::new(src).position(offset)
}

/// Positions of many byte offsets of one text: asked in increasing order, they cost time
/// proportional to the text in all, where a [`line_col`] for each would cost the text each time
/// (a section with a hundred thousand bad references would take hours).
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    src: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `src`.
    pub fn new(src: &'a str) -> Self {
        Cursor {
            src,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// Position (1-based line and column in characters) of byte `offset` (at most the length,
    /// and on a character boundary; an offset inside a character counts from its start).
    pub fn position(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.src.len());
        while !self.src.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            *self = Cursor::new(self.src);
        }
        let between = &self.src[self.offset..offset];
        match between.rfind('\n') {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', between.as_bytes()).count();
                self.column = between[last + 1..].chars().count() + 1;
            }
            None => self.column += between.chars().count(),
        }
        self.offset = offset;
        (self.line, self.column)
    }
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
/// ancestor it did find, and (1, 1) when none. For many keys of one file, use [`KeyLocator`].
pub fn locate_key(src: &str, keys: &[&str]) -> (usize, usize) {
    KeyLocator::new(src).locate(keys)
}

/// Lines (1-based) of the items of the block list that follows line `key_line` (`- …` lines
/// indented deeper than nothing else in between).
pub fn list_items(src: &str, key_line: usize) -> Vec<usize> {
    let mut items = Vec::new();
    let mut item_indent = None;
    for (i, line) in src.lines().enumerate().skip(key_line) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if !trimmed.starts_with("- ") && !trimmed.starts_with('-') {
            if item_indent.is_none_or(|at| indent <= at) {
                break;
            }
            continue;
        }
        match item_indent {
            None => item_indent = Some(indent),
            Some(at) if indent < at => break,
            Some(at) if indent > at => continue,
            _ => {}
        }
        items.push(i + 1);
    }
    items
}

/// Where `field` of the `index`-th item (0-based) of the block list under the key at `keys` is
/// written in YAML `src`: the field's line and column, else the item's, else the list key's.
pub fn locate_item(src: &str, keys: &[&str], index: usize, field: &str) -> (usize, usize) {
    let list = locate_key(src, keys);
    let items = list_items(src, list.0);
    let Some(&first) = items.get(index) else {
        return list;
    };
    let lines: Vec<&str> = src.lines().collect();
    let last = items.get(index + 1).map_or(lines.len(), |&next| next - 1);
    let dash = lines[first - 1].find('-').unwrap_or(0) + 1;
    for (n, line) in lines.iter().enumerate().take(last).skip(first - 1) {
        let indent = line.len() - line.trim_start().len();
        if n >= first && !line.trim().is_empty() && indent < dash {
            break;
        }
        let trimmed = line.trim_start_matches([' ', '-']);
        if trimmed
            .strip_prefix(field)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
        {
            return (n + 1, line.len() - trimmed.len() + 1);
        }
    }
    (first, dash)
}

/// [`locate_key`] for many keys of one text: each block of lines is read at most once, however
/// many keys are looked up in it, so locating every fact of a company file costs time
/// proportional to the file (once per fact, it took minutes for tens of thousands).
#[derive(Debug)]
pub struct KeyLocator<'a> {
    lines: Vec<&'a str>,
    /// By (first line, least indentation) of a block: the keys read so far, each at its first
    /// line and indentation, and the next line to read (`None` when the block is read).
    blocks: HashMap<(usize, usize), Block<'a>>,
}

#[derive(Debug, Default)]
struct Block<'a> {
    keys: HashMap<&'a str, (usize, usize)>,
    next: Option<usize>,
}

impl<'a> KeyLocator<'a> {
    /// A locator over `src`.
    pub fn new(src: &'a str) -> Self {
        KeyLocator {
            lines: src.lines().collect(),
            blocks: HashMap::new(),
        }
    }

    /// Like [`locate_key`].
    pub fn locate(&mut self, keys: &[&str]) -> (usize, usize) {
        let mut found = (1, 1);
        let (mut from, mut min_indent) = (0, 0);
        for key in keys {
            match self.find(from, min_indent, key) {
                Some((i, indent)) => {
                    found = (i + 1, indent + 1);
                    from = i + 1;
                    min_indent = indent + 1;
                }
                None => break,
            }
        }
        found
    }

    /// The first line (0-based) and indentation of `key` in the block that starts at line `from`
    /// and ends before the first later line indented less than `min_indent`.
    fn find(&mut self, from: usize, min_indent: usize, key: &str) -> Option<(usize, usize)> {
        let block = self
            .blocks
            .entry((from, min_indent))
            .or_insert_with(|| Block {
                keys: HashMap::new(),
                next: Some(from),
            });
        while !block.keys.contains_key(key) {
            let i = block.next?;
            let Some(line) = self.lines.get(i) else {
                block.next = None;
                break;
            };
            block.next = Some(i + 1);
            let trimmed = line.trim_start_matches([' ', '-']);
            let indent = line.len() - trimmed.len();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if i > from && indent < min_indent {
                block.next = None;
                break;
            }
            let bare = trimmed.trim_start_matches(['"', '\'']);
            if let Some(colon) = bare.find(':') {
                let written = bare[..colon].trim_end_matches(['"', '\'']);
                block.keys.entry(written).or_insert((i, indent));
            }
        }
        block.keys.get(key).copied()
    }
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
    fn shorten_cuts_long_values_on_character_boundaries() {
        assert_eq!(shorten("short"), "short");
        let long = "融".repeat(QUOTE_CHARS + 1);
        assert_eq!(shorten(&long), format!("{}…", "融".repeat(QUOTE_CHARS)));
        assert_eq!(shorten(&"a".repeat(QUOTE_CHARS)), "a".repeat(QUOTE_CHARS));
    }

    #[test]
    fn locate_item_finds_a_field_of_the_nth_item_and_stays_inside_it() {
        let src = "facts:\n  a:\n    history:\n      - date: 1\n        kind: x\n      - kind: y\n        date: 2\n  b:\n    value: 3\n";
        let keys = ["facts", "a", "history"];
        assert_eq!(locate_item(src, &keys, 0, "date"), (4, 9));
        assert_eq!(locate_item(src, &keys, 1, "date"), (7, 9));
        // A field the item lacks is not taken from what follows the list: the item's dash.
        assert_eq!(locate_item(src, &keys, 1, "value"), (6, 7));
        // No such item: the list's key.
        assert_eq!(locate_item(src, &keys, 2, "date"), (3, 5));
    }

    #[test]
    fn locate_key_follows_nesting() {
        let src = "name: a\nfacts:\n  revenue:\n    value: 1\n    low: 5\n  spend:\n    low: 2\n";
        assert_eq!(locate_key(src, &["facts", "spend", "low"]), (7, 5));
        assert_eq!(locate_key(src, &["facts", "revenue", "low"]), (5, 5));
        assert_eq!(locate_key(src, &["facts", "missing"]), (2, 1));
        let mut many = KeyLocator::new(src);
        assert_eq!(many.locate(&["facts", "spend", "low"]), (7, 5));
        assert_eq!(many.locate(&["facts", "revenue", "low"]), (5, 5));
        assert_eq!(many.locate(&["facts", "revenue", "value"]), (4, 5));
        assert_eq!(many.locate(&["name"]), (1, 1));
    }

    #[test]
    fn a_cursor_gives_line_col_of_increasing_and_decreasing_offsets() {
        let src = "一\n二三x\n\nyz";
        let mut cursor = Cursor::new(src);
        let expected = [
            (0, (1, 1)),
            (3, (1, 2)),
            (4, (2, 1)),
            (10, (2, 3)),
            (15, (4, 3)),
            (3, (1, 2)),
            (14, (4, 2)),
            (2, (1, 1)),
            (99, (4, 3)),
        ];
        for (offset, position) in expected {
            assert_eq!(cursor.position(offset), position, "{offset}");
            assert_eq!(line_col(src, offset), position, "{offset}");
        }
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
