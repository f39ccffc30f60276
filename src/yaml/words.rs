//! serde's type errors in the words an editor understands, with every quoted value shortened.

use crate::diagnostic::shorten;

/// Rewrites serde's wording ("invalid type: string \"2B\", expected u64 at line 3 column 9")
/// into plain words ("expected a number, found \"2B\"").
pub fn humanize(raw: &str) -> String {
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
        Some(p) => format!("{}: {body}", short_path(p)),
        None => body,
    }
}

/// yaml_serde writes paths as `facts.revenue.value`; the leading `facts.` is noise for editors of
/// company files, so it is kept only when it is the whole path. Each part is shortened.
fn short_path(path: &str) -> String {
    let path = path.strip_prefix("facts.").unwrap_or(path);
    path.split('.').map(shorten).collect::<Vec<_>>().join(".")
}

fn rewrite_body(body: &str) -> String {
    let wrong = body
        .strip_prefix("invalid type: ")
        .or_else(|| body.strip_prefix("invalid value: "));
    if let Some((found, expected)) = wrong.and_then(|rest| rest.rsplit_once(", expected ")) {
        let found = found_words(found);
        return match whole_number_range(expected) {
            Some(range) if found.numeric => format!("expected {range}, found {}", found.text),
            Some(_) => format!("expected a number, found {}", found.text),
            None => format!(
                "expected {}, found {}",
                expected_words(expected),
                found.text
            ),
        };
    }
    if let Some(rest) = body.strip_prefix("unknown field ") {
        if let Some((field, expected)) = rest.split_once(", expected ") {
            return format!("unknown field {}; expected {expected}", quoted(field));
        }
        return format!("unknown field {}", quoted(rest));
    }
    if let Some(rest) = body.strip_prefix("unknown variant ")
        && let Some((variant, expected)) = rest.split_once(", expected ")
    {
        return format!("unknown value {}; expected {expected}", quoted(variant));
    }
    if let Some(field) = body.strip_prefix("missing field ") {
        return format!("missing field {field}");
    }
    // Our own types' messages (dates) shorten what they quote themselves.
    body.to_string()
}

/// A value serde wrote between backticks or double quotes, shortened inside its quotes.
fn quoted(text: &str) -> String {
    for q in ['`', '"'] {
        if let Some(inner) = text.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return format!("{q}{}{q}", shorten(inner));
        }
    }
    shorten(text).into_owned()
}

/// The whole numbers a Rust integer type named by serde holds, in words.
fn whole_number_range(expected: &str) -> Option<String> {
    let (low, high) = match expected {
        "u8" => (0, u128::from(u8::MAX)),
        "u16" => (0, u128::from(u16::MAX)),
        "u32" => (0, u128::from(u32::MAX)),
        "u64" | "usize" => (0, u128::from(u64::MAX)),
        "i64" => return Some(format!("a whole number from {} to {}", i64::MIN, i64::MAX)),
        "i32" => return Some(format!("a whole number from {} to {}", i32::MIN, i32::MAX)),
        _ => return None,
    };
    Some(format!("a whole number from {low} to {high}"))
}

fn expected_words(expected: &str) -> &str {
    match expected {
        "f64" | "f32" => "a number",
        "a string" | "string" => "text",
        "a boolean" => "true or false",
        "a sequence" => "a list",
        other if other.starts_with("struct ") || other.starts_with("a map") => {
            "a mapping of fields"
        }
        other => other,
    }
}

/// What serde found, in words, and whether it was a number.
struct Found {
    text: String,
    numeric: bool,
}

fn found_words(found: &str) -> Found {
    let words = |text: &str| Found {
        text: text.into(),
        numeric: false,
    };
    if let Some(s) = found.strip_prefix("string ") {
        return words(&quoted(s));
    }
    match found {
        "sequence" => words("a list"),
        "map" => words("a mapping"),
        "unit value" => words("nothing"),
        other => match other
            .strip_prefix("integer ")
            .or_else(|| other.strip_prefix("floating point "))
        {
            Some(number) => {
                let number = number.strip_suffix(" as u128").unwrap_or(number);
                Found {
                    text: quoted(number),
                    numeric: true,
                }
            }
            None => words(&shorten(other)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_out_of_range_say_the_range() {
        assert_eq!(
            humanize("order: invalid type: integer `-5`, expected u32 at line 1 column 8"),
            "order: expected a whole number from 0 to 4294967295, found `-5`"
        );
        assert_eq!(
            humanize(
                "a.value: invalid type: integer `99999999999999999999999` as u128, expected u64"
            ),
            "a.value: expected a whole number from 0 to 18446744073709551615, found `99999999999999999999999`"
        );
        assert_eq!(
            humanize("order: invalid value: integer `5000000000`, expected u32"),
            "order: expected a whole number from 0 to 4294967295, found `5000000000`"
        );
        assert_eq!(
            humanize("order: invalid type: floating point `1.5`, expected u32"),
            "order: expected a whole number from 0 to 4294967295, found `1.5`"
        );
        assert_eq!(
            humanize("order: invalid type: string \"first\", expected u32"),
            "order: expected a number, found \"first\""
        );
    }

    #[test]
    fn long_values_and_names_are_shortened() {
        let long = "x".repeat(100_000);
        let short = format!("{}…", "x".repeat(crate::diagnostic::QUOTE_CHARS));
        assert_eq!(
            humanize(&format!(
                "title: invalid type: string \"{long}\", expected u32"
            )),
            format!("title: expected a number, found \"{short}\"")
        );
        assert_eq!(
            humanize(&format!("{long}: unknown field `{long}`, expected `value`")),
            format!("{short}: unknown field `{short}`; expected `value`")
        );
    }
}
