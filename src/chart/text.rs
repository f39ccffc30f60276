//! Text in charts: how wide a string is drawn, and where it may break by Chinese line-breaking
//! rules (禁则): no opening bracket at a line's end, no closing punctuation at a line's start,
//! never inside a Latin word or inside a number with its unit (`2024年5月`, `70亿美元`).

/// Estimated width of `s` at font size `size`: CJK characters are one em wide, Latin letters
/// and digits about half. Errs on the wide side, so that labels are never cut off.
pub fn width(s: &str, size: f64) -> f64 {
    s.chars().map(ems).sum::<f64>() * size
}

/// The width of one character, in ems (see [`width`]).
fn ems(c: char) -> f64 {
    match c {
        ' ' | 'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.32,
        'm' | 'w' | 'M' | 'W' | '%' => 0.88,
        'A'..='Z' => 0.68,
        '0'..='9' | 'a'..='z' => 0.57,
        c if c.is_ascii() => 0.5,
        _ => 1.0,
    }
}

/// Punctuation that may not start a line.
const CLOSING: &str = "，。、；：！？）」』》〉】”’·…—,.;:!?)]}%";
/// Punctuation that may not end a line.
const OPENING: &str = "（「『《〈【“‘([{";
/// Words that stay with the number before them: units, magnitudes and date parts.
const UNIT_CHARS: &str = "年月日号亿万千百美元家人倍季度个名";

/// Text as one line: control characters (newlines) become spaces.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Splits `s` into the pieces a line may break between.
fn pieces(s: &str) -> Vec<String> {
    // Runs: a Latin word or number (with any unit characters and further digits after it, so
    // `2024年5月` and `1.5亿至2亿` keep their numbers whole), or one other character.
    let chars: Vec<char> = s.chars().collect();
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut run = String::from(c);
        i += 1;
        let dollar = c == '$' && chars.get(i).is_some_and(char::is_ascii_digit);
        if c.is_ascii_alphanumeric() || c == '.' || dollar {
            let mut numeric = c.is_ascii_digit() || dollar;
            while i < chars.len() {
                let d = chars[i];
                let next = chars.get(i + 1);
                let latin = d.is_ascii_alphanumeric() || d == '.' || d == '-' || d == '_';
                // `AI's`: an apostrophe inside a word.
                let apostrophe =
                    matches!(d, '\'' | '’') && next.is_some_and(char::is_ascii_alphabetic);
                let unit = numeric && UNIT_CHARS.contains(d);
                // `1.5亿至2亿`, `2018–2020年`, `26,000`: a range of numbers, or a number with
                // separators, is one piece.
                let joins =
                    numeric && "至–-~,".contains(d) && next.is_some_and(char::is_ascii_digit);
                // `$150 million`, `8 times`: a number keeps its scale word.
                let scale = numeric
                    && d == ' '
                    && ["million", "billion", "trillion", "times"].iter().any(|w| {
                        let word: String = chars[i + 1..].iter().take(w.len() + 1).collect();
                        word.strip_prefix(w).is_some_and(|rest| {
                            !rest.starts_with(|c: char| c.is_ascii_alphabetic())
                        })
                    });
                if !(latin || apostrophe || unit || joins || scale) {
                    break;
                }
                if d.is_ascii_digit() {
                    numeric = true;
                }
                run.push(d);
                i += 1;
            }
        }
        runs.push(run);
    }
    // Glue closing punctuation to the piece before and opening brackets to the piece after.
    let mut out: Vec<String> = Vec::new();
    let mut pending = String::new();
    for run in runs {
        let first = run.chars().next().unwrap_or(' ');
        if run.chars().count() == 1 && OPENING.contains(first) {
            pending.push_str(&run);
        } else if run.chars().count() == 1 && CLOSING.contains(first) && pending.is_empty() {
            match out.last_mut() {
                Some(last) => last.push_str(&run),
                None => out.push(run),
            }
        } else {
            out.push(std::mem::take(&mut pending) + &run);
        }
    }
    if !pending.is_empty() {
        out.push(pending);
    }
    out
}

/// Breaks `s` into lines no wider than `max` at font size `size`, by the module's rules. A
/// single piece wider than `max` gets a line of its own.
pub fn wrap(s: &str, size: f64, max: f64) -> Vec<String> {
    let s = clean(s);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for piece in pieces(&s) {
        let candidate = format!("{line}{piece}");
        if !line.trim().is_empty() && width(candidate.trim_end(), size) > max {
            lines.push(line.trim().to_string());
            line = piece.trim_start().to_string();
        } else {
            line = candidate;
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line of `s` wrapped at `chars` CJK characters' width.
    fn lines(s: &str, chars: f64) -> Vec<String> {
        wrap(s, 10.0, chars * 10.0)
    }

    #[test]
    fn english_breaks_between_words_and_keeps_amounts_whole() {
        let l = lines(
            "Source: People familiar with Stability AI's business; about $150 million to $200 million",
            12.0,
        );
        for line in &l {
            assert!(!line.ends_with("AI'") && !line.starts_with('s'), "{l:?}");
        }
        let joined = l.join("\n");
        assert!(
            joined.contains("$150 million") && joined.contains("$200 million"),
            "{l:?}"
        );
        assert_eq!(
            l.join(" "),
            "Source: People familiar with Stability AI's business; about $150 million to $200 million"
        );
    }

    #[test]
    fn no_opening_bracket_ends_a_line_and_no_closing_mark_starts_one() {
        let l = lines("截至二〇二四年（累计）的融资额，不含其他投资方。", 7.0);
        for line in &l {
            assert!(!OPENING.chars().any(|c| line.ends_with(c)), "{l:?}");
            assert!(!CLOSING.chars().any(|c| line.starts_with(c)), "{l:?}");
        }
        assert_eq!(
            l.concat(),
            "截至二〇二四年（累计）的融资额，不含其他投资方。"
        );
        // The bracket goes down with its word rather than dangling.
        assert_eq!(
            lines("一二三四五六（七八）", 7.0),
            vec!["一二三四五六", "（七八）"]
        );
        // A closing mark that would overflow takes its character down with it.
        assert_eq!(
            lines("一二三四五六七，八", 7.0),
            vec!["一二三四五六", "七，八"]
        );
        assert_eq!(lines("一二三四五六，八", 7.0), vec!["一二三四五六，", "八"]);
    }

    #[test]
    fn numbers_stay_with_their_units() {
        for (s, whole) in [
            ("截至时间是去年的2024年5月（累计）", "2024年5月"),
            ("微软投入的资金共计70亿美元之多", "70亿美元"),
            ("年营收为1.5亿至2亿美元左右的公司", "1.5亿至2亿美元"),
            ("来源：The Information、路透社", "Information、"),
        ] {
            for max in 4..14 {
                let l = lines(s, f64::from(max));
                assert!(l.iter().any(|line| line.contains(whole)), "{max}: {l:?}");
            }
        }
    }

    #[test]
    fn lines_fit_unless_one_piece_is_too_wide() {
        let l = lines("OpenAI与微软", 2.5);
        assert_eq!(l, vec!["OpenAI", "与微", "软"]);
        assert_eq!(lines("", 3.0), vec![""]);
        assert!(width("约16亿美元", 15.0) > width("16亿美元", 15.0));
    }
}
