//! URL paths as text: the one percent-decoder, shared by `check` (links in the site) and
//! `serve` (request paths), so both read `%E4%B8%AD` and a stray `%` the same way.
//!
//! Decoding works on bytes and never slices text at a byte offset, so any input is safe. An
//! escape that is not `%` and two hex digits is an error, not kept as written: a browser sends
//! such a `%` on as it is and no server (GitHub Pages included) finds the file, so the editor
//! must hear about it. The decoded bytes must be UTF-8.

use std::fmt;

/// Why a URL path does not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A `%` not followed by two hex digits; `found` is the `%` and what follows it (up to two
    /// characters), as written.
    BadEscape {
        /// The offending text, such as `%中` or `%2`.
        found: String,
    },
    /// The escapes decode to bytes that are not UTF-8 text (`%FF`, or `%E4%B8` cut short).
    NotUtf8,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::BadEscape { found } => write!(
                f,
                "\"{found}\" is not a percent escape (% and two hex digits, such as %20); \
                 write the characters themselves, or %25 for a percent sign"
            ),
            DecodeError::NotUtf8 => write!(
                f,
                "its percent escapes do not spell UTF-8 text; write the characters themselves"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes every `%XX` escape of `path` and checks the result is UTF-8.
pub fn decode(path: &str) -> Result<String, DecodeError> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        match (hex(bytes.get(i + 1)), hex(bytes.get(i + 2))) {
            (Some(high), Some(low)) => {
                out.push(high << 4 | low);
                i += 3;
            }
            _ => {
                return Err(DecodeError::BadEscape {
                    found: path[i..].chars().take(3).collect(),
                });
            }
        }
    }
    String::from_utf8(out).map_err(|_| DecodeError::NotUtf8)
}

/// The value of one hex digit.
fn hex(byte: Option<&u8>) -> Option<u8> {
    let digit = char::from(*byte?).to_digit(16)?;
    u8::try_from(digit).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(found: &str) -> Result<String, DecodeError> {
        Err(DecodeError::BadEscape {
            found: found.to_string(),
        })
    }

    #[test]
    fn escapes_decode_to_utf8_text() {
        assert_eq!(decode("%E4%B8%80/x%2Fy").as_deref(), Ok("一/x/y"));
        assert_eq!(decode("%e7%83%a7%E9%92%B1-x").as_deref(), Ok("烧钱-x"));
        assert_eq!(decode("a+b c").as_deref(), Ok("a+b c"));
        assert_eq!(decode("中文/").as_deref(), Ok("中文/"));
        assert_eq!(decode("%25").as_deref(), Ok("%"));
        assert_eq!(decode("").as_deref(), Ok(""));
    }

    #[test]
    fn a_percent_without_two_hex_digits_is_reported_as_written() {
        assert_eq!(decode("%"), bad("%"));
        assert_eq!(decode("100%"), bad("%"));
        assert_eq!(decode("%2"), bad("%2"));
        assert_eq!(decode("%zz"), bad("%zz"));
        assert_eq!(decode("%+1"), bad("%+1"));
        assert_eq!(decode("%%"), bad("%%"));
        assert_eq!(decode("%%41"), bad("%%4"));
        // A multibyte character after `%` is never cut in two.
        assert_eq!(decode("/ai-bubble/%中文/"), bad("%中文"));
        assert_eq!(decode("%中"), bad("%中"));
        assert_eq!(decode("%4中"), bad("%4中"));
    }

    #[test]
    fn escapes_that_are_not_utf8_are_reported() {
        assert_eq!(decode("%E4"), Err(DecodeError::NotUtf8));
        assert_eq!(decode("%E4%B8"), Err(DecodeError::NotUtf8), "cut short");
        assert_eq!(decode("%E4%B8x"), Err(DecodeError::NotUtf8));
        assert_eq!(decode("%FF.html"), Err(DecodeError::NotUtf8));
        assert_eq!(decode("%C3"), Err(DecodeError::NotUtf8));
    }

    #[test]
    fn messages_say_what_to_write() {
        let e = decode("/a/%中文/").unwrap_err();
        assert_eq!(
            e.to_string(),
            "\"%中文\" is not a percent escape (% and two hex digits, such as %20); write the \
             characters themselves, or %25 for a percent sign"
        );
    }
}
