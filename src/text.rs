//! Turns a file's bytes into text, refusing what an editor cannot see: invalid UTF-8, UTF-16 and
//! NUL bytes, each reported at the first bad byte.

use std::path::Path;

use crate::diagnostic::{Diagnostic, line_col};

/// The text of `bytes`, read from the file shown as `path`; a UTF-8 byte order mark is kept (the
/// parsers skip it).
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let utf16 = "this file is saved as UTF-16: save it as UTF-8 (in the editor's \"Save with Encoding\" or \"Save As\" dialog)";
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::at(path, 1, 1, utf16));
    }
    // The SIMD check is ten times std's on Chinese text; copying the checked text costs less
    // than std's check, which runs only to place an error.
    let checked = simdutf8::basic::from_utf8(&bytes).map(str::to_owned);
    let text = match checked.or_else(|_| String::from_utf8(bytes)) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            // The prefix before `valid` is UTF-8, so positions are counted in characters.
            let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            let (line, column) = line_col(prefix, valid);
            let message = if looks_utf16(&bytes) {
                utf16.to_string()
            } else {
                format!(
                    "the byte 0x{:02X} here is not UTF-8 text: save the file as UTF-8, or retype this character",
                    bytes[valid]
                )
            };
            return Err(Diagnostic::at(path, line, column, message));
        }
    };
    if let Some(at) = memchr::memchr(0, text.as_bytes()) {
        let (line, column) = line_col(&text, at);
        let message = if looks_utf16(text.as_bytes()) {
            utf16.to_string()
        } else {
            "found a NUL character (an invisible control character): delete it".to_string()
        };
        return Err(Diagnostic::at(path, line, column, message));
    }
    Ok(text)
}

/// UTF-16 without a byte order mark: in the first bytes, NULs at every other position (the
/// high byte of ASCII characters) and none between.
fn looks_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64)];
    let nuls = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (nuls(0), nuls(1));
    let half = head.len() / 4;
    (even > half && odd == 0) || (odd > half && even == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> String {
        decode(Path::new("a.md"), bytes.to_vec())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn utf8_passes() {
        assert_eq!(decode(Path::new("a"), "标题\n".into()).unwrap(), "标题\n");
    }

    #[test]
    fn the_first_bad_byte_is_located() {
        assert_eq!(
            err(b"title: t\nsummary: \xE6\xA0\x87\xFF\n"),
            "a.md:2:11: the byte 0xFF here is not UTF-8 text: save the file as UTF-8, or retype this character"
        );
        assert_eq!(
            err(b"a\nbc\0d"),
            "a.md:2:3: found a NUL character (an invisible control character): delete it"
        );
    }

    #[test]
    fn utf16_is_recognised_with_or_without_a_byte_order_mark() {
        let expected = "a.md:1:1: this file is saved as UTF-16: save it as UTF-8 (in the editor's \"Save with Encoding\" or \"Save As\" dialog)";
        assert_eq!(err(b"\xFF\xFEt\0i\0"), expected);
        assert_eq!(err(b"\xFE\xFF\0t\0i"), expected);
        assert!(err(b"t\0i\0t\0").starts_with("a.md:1:2: this file is saved as UTF-16"));
        assert!(err(b"\0t\0i").starts_with("a.md:1:1: this file is saved as UTF-16"));
        assert!(err(b"\0title: t\n").starts_with("a.md:1:1: found a NUL character"));
    }
}
