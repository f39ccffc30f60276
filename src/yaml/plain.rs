//! Texts too plain to need the event pass: a line each for top-level keys written once, with
//! values that open nothing deeper than one flow list. Such a text cannot hold what the pass
//! looks for (a key written twice, nesting deeper than [`super::MAX_DEPTH`], a second
//! document); a section's front matter usually is one.

/// Whether `src` is plain: every line is blank, a comment, or `key:` at the line's start
/// followed by nothing or by a space and a value, where
/// - the key is ASCII letters, digits, `_` and `-`, starting with a letter or `_`, and no
///   other line has it;
/// - the value holds no `{` or `}`, at most one `[` and as many `]`, and starts with none of
///   `& * ! | > % @ ? < -` and no backquote.
///
/// Every key the parser can see starts a line (a nested key needs indentation or a `{`, and a
/// line that is not a key line makes the text not plain), so distinct line keys mean distinct
/// keys, whatever the parser makes of the values. A value can open at most one list, and a
/// list that does not close on its own line makes the text not plain, so nothing nests deeper
/// than a list in the top mapping. A second document needs a `---` or `...` line.
pub(super) fn is_plain(src: &str) -> bool {
    let mut keys: Vec<&str> = Vec::with_capacity(8);
    for line in src.split('\n') {
        match line.as_bytes().first() {
            None | Some(b'#') => continue,
            Some(b) if b.is_ascii_alphabetic() || *b == b'_' => {}
            Some(_) => return false,
        }
        let Some((key, rest)) = line.split_once(':') else {
            return false;
        };
        let key_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        if !key.bytes().all(key_char) || keys.contains(&key) {
            return false;
        }
        keys.push(key);
        let value = match rest.strip_prefix(' ') {
            Some(value) => value.trim_start_matches(' '),
            None if rest.is_empty() || rest == "\r" => continue,
            None => return false,
        };
        let opens = value.bytes().filter(|&b| b == b'[').count();
        let closes = value.bytes().filter(|&b| b == b']').count();
        if value.contains(['{', '}'])
            || opens > 1
            || opens != closes
            || value.starts_with(['&', '*', '!', '|', '>', '%', '@', '?', '<', '-', '`'])
        {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::super::events::{Scan, scan};
    use super::*;

    #[test]
    fn a_sections_front_matter_is_plain() {
        let front = "title: 热潮降温：与巨头赛跑的门票越来越贵\nsummary: 资本仍在涌入。\norder: 1\n\
                     date: 2024-05-06\n# a comment\n\ncompanies: [market, microsoft]\ncharts: []\n\
                     draft: false\nauthor:\n";
        assert!(is_plain(front));
        assert!(is_plain("title: \"融资[注]\"\r\norder: 2\r\n"));
    }

    #[test]
    fn anything_the_pass_could_object_to_is_not_plain() {
        for src in [
            "title: a\nsummary: s\ntitle: b\n",
            "title: a\n---\ntitle: b\n",
            "title: a\n...\n",
            "notes:\n  - a\n",
            "notes:\n- a\n",
            "title: {a: 1, a: 2}\n",
            "title: [[a]]\n",
            "companies: [a,\nb: [c,\n",
            "\"title\": a\n",
            "<<: *base\n",
            "title: &a x\n",
            "title: |\n  text\n",
            "ti tle: a\n",
            "title:a\n",
            "%YAML 1.2\ntitle: a\n",
            "\u{feff}title: a\n",
            "\ttitle: a\n",
        ] {
            assert!(!is_plain(src), "{src:?}");
        }
    }

    /// Random texts made of lines that come close to the rules: none the pass objects to is
    /// ever plain.
    #[test]
    fn no_plain_text_holds_what_the_pass_finds() {
        let lines = [
            "a: 1",
            "b: [x, y]",
            "a: 2",
            "c: \"q",
            "d: x\"",
            "e: [",
            "f: ]",
            "---",
            "...",
            "  g: 1",
            "h:",
            "- i",
            "# c",
            "",
            "j: [k: 1, k: 2]",
            "b: 3",
            "l: 'm",
            "n: o'",
            "p: [[",
            "q: ]]",
            "r: x # [",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut plain = 0;
        for _ in 0..20_000 {
            let mut src = String::new();
            for _ in 0..(seed % 7) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                src.push_str(lines[(seed % lines.len() as u64) as usize]);
                src.push('\n');
            }
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            if is_plain(&src) {
                plain += 1;
                assert!(!matches!(scan(&src), Scan::Found(_)), "{src:?}");
            }
        }
        assert!(
            plain > 1_000,
            "the texts reach the plain ones too ({plain})"
        );
    }
}
