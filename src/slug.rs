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

/// What an editor is told when a name is not a slug.
pub const RULE: &str =
    "use only lowercase letters a-z, digits, - and _, starting with a letter or digit";

#[cfg(test)]
mod tests {
    use super::*;

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
