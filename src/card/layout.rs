//! Lines of a card's text: Chinese wraps between any two characters, Latin between words;
//! closing punctuation never starts a line nor opening punctuation ends one; text that does not
//! fit in the lines allowed ends in "…".

use super::font;

/// Punctuation that stays with the character before it.
const CLOSING: &str = "，。、；：！？）」』》〉】”’,.;:!?)]}%…·";
/// Punctuation that stays with the character after it.
const OPENING: &str = "（「『《〈【“‘([{";

/// True for characters between which a line may break: CJK ideographs, kana, and CJK and
/// full-width punctuation.
fn breaks_anywhere(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
        || c == '…'
        || c == '—'
}

/// One unbreakable piece of text, and whether a space comes before it.
struct Token {
    text: String,
    space: bool,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut raw: Vec<Token> = Vec::new();
    let mut word = String::new();
    let mut space = false;
    let flush = |word: &mut String, space: &mut bool, raw: &mut Vec<Token>| {
        if !word.is_empty() {
            raw.push(Token {
                text: std::mem::take(word),
                space: std::mem::take(space),
            });
        }
    };
    for c in text.chars() {
        if c.is_whitespace() {
            flush(&mut word, &mut space, &mut raw);
            space = !raw.is_empty();
        } else if breaks_anywhere(c) || OPENING.contains(c) || CLOSING.contains(c) {
            flush(&mut word, &mut space, &mut raw);
            word.push(c);
            flush(&mut word, &mut space, &mut raw);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut space, &mut raw);
    // Glue punctuation to its neighbour.
    let mut glued: Vec<Token> = Vec::with_capacity(raw.len());
    let mut open: Option<Token> = None;
    for t in raw {
        let first = t.text.chars().next().unwrap_or(' ');
        let t = match open.take() {
            Some(o) => Token {
                text: o.text + &t.text,
                space: o.space,
            },
            None => t,
        };
        if t.text.chars().count() == 1 && OPENING.contains(first) {
            open = Some(t);
        } else if CLOSING.contains(first) && !t.space && !glued.is_empty() {
            if let Some(last) = glued.last_mut() {
                last.text.push_str(&t.text);
            }
        } else {
            glued.push(t);
        }
    }
    glued.extend(open);
    glued
}

/// `text` in lines of at most `width` pixels at `size`, at most `max` of them; the last ends
/// in "…" when the text did not fit.
pub fn wrap(text: &str, size: f64, width: f64, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    // Widths add up (no kerning), so each piece is measured once.
    let mut used = 0.0;
    let space = font::width(" ", size);
    for t in tokens(text) {
        let own = font::width(&t.text, size);
        let gap = if t.space && !line.is_empty() {
            space
        } else {
            0.0
        };
        if used + gap + own <= width {
            if gap > 0.0 {
                line.push(' ');
            }
            line.push_str(&t.text);
            used += gap + own;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        used = 0.0;
        // A word longer than a line is cut between characters.
        for c in t.text.chars() {
            let w = font::width(c.encode_utf8(&mut [0; 4]), size);
            if used + w > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            line.push(c);
            used += w;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            *last = ellipsis(last, size, width);
        }
    }
    lines
}

/// `line` shortened until it fits in `width` with "…" after it.
pub fn ellipsis(line: &str, size: f64, width: f64) -> String {
    const TRAILING: [char; 8] = [' ', '，', '、', '：', '；', ',', ':', ';'];
    let mut kept: String = line.trim_end_matches(TRAILING).to_string();
    while !kept.is_empty() && font::width(&format!("{kept}…"), size) > width {
        kept.pop();
        let trimmed = kept.trim_end_matches(TRAILING);
        kept.truncate(trimmed.len());
    }
    format!("{kept}…")
}

/// `text` on one line of at most `width` pixels, ending in "…" when it does not fit.
pub fn one_line(text: &str, size: f64, width: f64) -> String {
    if font::width(text, size) <= width {
        text.to_string()
    } else {
        ellipsis(text, size, width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_wraps_between_characters_and_keeps_punctuation_with_its_neighbour() {
        // Nine characters a line at 10 px in 95 px.
        let lines = wrap("一二三四五六七八九，十一二", 10.0, 95.0, 3);
        assert_eq!(lines, ["一二三四五六七八", "九，十一二"]);
        let lines = wrap("一二三四五六七八九（十一）", 10.0, 95.0, 3);
        assert_eq!(lines, ["一二三四五六七八九", "（十一）"]);
    }

    #[test]
    fn latin_wraps_between_words() {
        let lines = wrap("Inflection AI raises money fast", 40.0, 400.0, 3);
        assert!(lines.len() > 1, "{lines:?}");
        for l in &lines {
            assert!(font::width(l, 40.0) <= 400.0, "{l}");
            assert!(!l.starts_with(' ') && !l.ends_with(' '), "{l:?}");
        }
        assert_eq!(lines.join(" "), "Inflection AI raises money fast");
    }

    #[test]
    fn mixed_text_keeps_latin_words_whole() {
        let lines = wrap("凭借ChatGPT的付费订阅", 10.0, 75.0, 3);
        assert!(lines.iter().any(|l| l.contains("ChatGPT")), "{lines:?}");
    }

    #[test]
    fn too_much_text_ends_in_an_ellipsis_within_the_width() {
        let text = "字".repeat(100);
        let lines = wrap(&text, 10.0, 100.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
        assert!(font::width(&lines[2], 10.0) <= 100.0);
        assert_eq!(one_line("短", 10.0, 100.0), "短");
        assert!(one_line(&text, 10.0, 100.0).ends_with('…'));
    }
}
