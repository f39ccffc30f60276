//! Slugs: the names of content files that become parts of the site's addresses.
//!
//! One rule for every file `load` reads and every file `new` creates: lowercase ASCII letters,
//! digits, `-` and `_`, starting with a letter or digit. Such a name is a plain URL segment
//! (nothing to escape, no `#`, `?`, `.` or `/`) and the same on every file system.

/// True when `name` may be a slug (see the module notes).
pub fn is_slug(name: &str) -> bool {
    name.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// True when `segment`, a folder or file name under `static/`, is published as it is in a URL
/// without breaking it: no space or control character, none of `# ? % " < > \ ^ ` { } |`, and not
/// `.` or `..`. Letters of any script are fine (browsers send them percent-encoded).
pub fn is_plain_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment != "."
        && segment != ".."
        && !segment.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(
                    c,
                    '#' | '?' | '%' | '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '}' | '|'
                )
        })
}

/// What an editor is told when a name is not a slug.
pub const RULE: &str =
    "use only lowercase letters a-z, digits, - and _, starting with a letter or digit";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_names_must_not_break_a_url() {
        for good in [
            "style.css",
            "图表",
            "说明.txt",
            "favicon.svg",
            ".well-known",
        ] {
            assert!(is_plain_segment(good), "{good}");
        }
        for bad in [
            "a b.png", "a#b", "x?.css", "100%.png", "..", "tab\t", "q\"", "a|b",
        ] {
            assert!(!is_plain_segment(bad), "{bad}");
        }
    }

    #[test]
    fn only_plain_url_segments_are_slugs() {
        for good in ["openai", "stability-ai", "a_b", "2024", "x1"] {
            assert!(is_slug(good), "{good}");
        }
        for bad in [
            "",
            ".",
            "..",
            "...",
            "-x",
            "_x",
            "OpenAI",
            "style.css",
            "a#b",
            "a b",
            "a/b",
            "中文",
            "a?b",
            "a\"b",
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
    }
}
