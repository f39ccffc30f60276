//! The one place YAML is parsed, turning parser errors into editor-friendly diagnostics.
//!
//! The parser is `yaml_serde`, the YAML organisation's maintained continuation of serde_yaml;
//! every YAML file goes through [`from_str`], so no other module names it.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostic::Diagnostic;

/// Parses YAML `src` (the contents of `path`) into `T`.
///
/// `line_offset` is added to reported lines, for YAML embedded in another file (front matter).
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
        let message = match syntax_message(&raw, src, &mut line, &mut column) {
            Some(m) => m,
            None => humanize(&raw),
        };
        Diagnostic::at(path, line + line_offset, column, message)
    };
    // A type error early in a file must not hide a broken line further down, so when the typed
    // parse fails, a syntax-only pass decides which problem to report. Files that parse (nearly
    // all of them) are read once.
    yaml_serde::from_str(src).map_err(|typed| {
        match yaml_serde::from_str::<serde::de::IgnoredAny>(src) {
            Err(syntax) => diagnose(syntax),
            Ok(_) => diagnose(typed),
        }
    })
}

/// Plain words for libyaml's syntax errors; may move the position to where the editor must act
/// (the opening `[` of an unclosed list). `None` when `raw` is not a syntax error we know.
fn syntax_message(raw: &str, src: &str, line: &mut usize, column: &mut usize) -> Option<String> {
    let char_at = |l: usize, c: usize| {
        src.lines()
            .nth(l.saturating_sub(1))
            .and_then(|t| t.chars().nth(c.saturating_sub(1)))
    };
    for (construct, what, closer) in [
        ("flow sequence", "list", "]"),
        ("flow mapping", "mapping", "}"),
    ] {
        let marker = format!("while parsing a {construct} at line ");
        if let Some(i) = raw.find(&marker) {
            let rest = &raw[i + marker.len()..];
            let mut nums = rest
                .split(" column ")
                .map(|n| n.trim().parse::<usize>().ok());
            if let (Some(Some(l)), Some(Some(c))) = (nums.next(), nums.next()) {
                *line = l;
                *column = c;
            }
            return Some(format!(
                "this {what} is not closed: expected ',' between items or '{closer}' at its end"
            ));
        }
    }
    if raw.contains("cannot start any token") && char_at(*line, *column) == Some('\t') {
        return Some("found a tab character: indent YAML with spaces, not tabs".into());
    }
    if raw.contains("did not find expected key")
        || raw.contains("mapping values are not allowed in this context")
    {
        // libyaml notices the problem after the misaligned line; point at that line's first
        // character, found by walking back to the last line whose indentation differs from
        // the one before it.
        let lines: Vec<&str> = src.lines().collect();
        let indent = |t: &str| t.len() - t.trim_start_matches(' ').len();
        let upto = (*line).min(lines.len());
        for i in (1..upto).rev() {
            let (prev, this) = (lines[i - 1], lines[i]);
            if this.trim().is_empty() || prev.trim().is_empty() {
                continue;
            }
            let parent_opens = prev.trim_end().ends_with(':');
            if indent(this) != indent(prev) && !(parent_opens && indent(this) > indent(prev)) {
                let deeper_than_next = lines.get(i + 1).is_none_or(|n| indent(n) != indent(this));
                if deeper_than_next || indent(this) < indent(prev) {
                    *line = i + 1;
                    *column = indent(this) + 1;
                    return Some("unexpected indentation: expected this line to start in the same column as the line above it".into());
                }
            }
        }
    }
    None
}

/// Rewrites serde's wording ("invalid type: string \"2B\", expected u64 at line 3 column 9")
/// into the words an editor understands ("expected a number, found \"2B\"").
fn humanize(raw: &str) -> String {
    let msg = match raw.rfind(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    let (path, body) = match msg.split_once(": ") {
        Some((p, b)) if !p.contains(' ') => (Some(p), b),
        _ => (None, msg),
    };
    let body = rewrite_body(body);
    match path {
        Some(p) => format!("{}: {body}", strip_path(p)),
        None => body,
    }
}

/// yaml_serde writes paths as `facts.revenue.value`; the leading `facts.` is noise for editors of
/// company files, so it is kept only when it is the whole path.
fn strip_path(path: &str) -> &str {
    path.strip_prefix("facts.").unwrap_or(path)
}

fn rewrite_body(body: &str) -> String {
    if let Some(rest) = body.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return format!(
                "expected {}, found {}",
                expected_words(expected),
                found_words(found)
            );
        }
    }
    if let Some(rest) = body.strip_prefix("invalid value: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return format!(
                "expected {}, found {}",
                expected_words(expected),
                found_words(found)
            );
        }
    }
    if let Some(rest) = body.strip_prefix("unknown field ") {
        if let Some((field, expected)) = rest.split_once(", expected ") {
            return format!("unknown field {field}; expected {expected}");
        }
        return format!("unknown field {rest}");
    }
    if let Some(rest) = body.strip_prefix("unknown variant ") {
        if let Some((variant, expected)) = rest.split_once(", expected ") {
            return format!("unknown value {variant}; expected {expected}");
        }
    }
    if let Some(field) = body.strip_prefix("missing field ") {
        return format!("missing field {field}");
    }
    body.to_string()
}

fn expected_words(expected: &str) -> &str {
    match expected {
        "u64" | "u32" | "u16" | "u8" | "i64" | "i32" | "f64" | "f32" | "usize" => "a number",
        "a string" | "string" => "text",
        "a boolean" => "true or false",
        "a sequence" => "a list",
        other if other.starts_with("struct ") || other.starts_with("a map") => {
            "a mapping of fields"
        }
        other => other,
    }
}

fn found_words(found: &str) -> String {
    if let Some(s) = found.strip_prefix("string ") {
        return s.to_string();
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "unit value" => "nothing".into(),
        other => other
            .strip_prefix("integer ")
            .or_else(|| other.strip_prefix("floating point "))
            .unwrap_or(other)
            .to_string(),
    }
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

    fn err(src: &str) -> String {
        from_str::<File>(Path::new("c.yaml"), src, 0)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn wrong_type_names_the_field_and_the_value() {
        assert_eq!(
            err("facts:\n  revenue:\n    value: 2B\n"),
            "c.yaml:3:12: revenue.value: expected a number, found \"2B\""
        );
    }

    #[test]
    fn unknown_field_lists_the_known_ones() {
        assert_eq!(
            err("facts:\n  revenue:\n    valeu: 2\n"),
            "c.yaml:3:5: revenue: unknown field `valeu`; expected `value`"
        );
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
