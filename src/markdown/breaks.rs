//! Soft line breaks in Chinese and Japanese text: removed where the CSS Text segment-break rule
//! removes them, so a line break inside a Chinese paragraph does not become a visible space.
//!
//! CSS Text 3 (§4.1.2): a segment break is removed when the characters on *both* sides have East
//! Asian Width F, W or H *and neither is Hangul*. Korean separates words with spaces, so a break
//! next to Hangul stays a space, and a break between a Chinese character and a Latin letter
//! stays too. Widths come from the same table as the CJK-friendly emphasis ([`super::cjk`]).

use pulldown_cmark::{Event, Tag, TagEnd};

use super::cjk;

/// Removes every soft break whose visible neighbours are both Chinese or Japanese characters.
/// The neighbours are looked for through emphasis and link tags, so a break between `**重要**`
/// and `**说明**` goes too.
pub(super) fn drop_between_cjk(events: &mut Vec<Event>) {
    let mut i = 0;
    while i < events.len() {
        if matches!(events[i], Event::SoftBreak)
            && neighbour_char(events, i, false).is_some_and(joins)
            && neighbour_char(events, i, true).is_some_and(joins)
        {
            events.remove(i);
            continue;
        }
        i += 1;
    }
}

/// Whether a break next to `c` may be removed: wide (F, W, H) and not Hangul.
fn joins(c: char) -> bool {
    cjk::is_cjk(c) && !cjk::is_hangul(c)
}

/// The visible character nearest to `events[i]`, before or after it, within inline formatting.
fn neighbour_char(events: &[Event], i: usize, forward: bool) -> Option<char> {
    let mut j = i;
    loop {
        j = if forward { j + 1 } else { j.checked_sub(1)? };
        let event = events.get(j)?;
        match event {
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => {}
            _ => return edge_char(event, !forward),
        }
    }
}

/// The first (or, with `last`, the last) visible character of a text, code or fact figure
/// event (`<a …>约16亿美元</a>`).
fn edge_char(e: &Event, last: bool) -> Option<char> {
    let text = match e {
        Event::Text(t) | Event::Code(t) => &**t,
        Event::InlineHtml(h) => h.split('>').nth(1)?.split('<').next()?,
        _ => return None,
    };
    if last {
        text.chars().last()
    } else {
        text.chars().next()
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::tests::plain as html;

    #[test]
    fn breaks_between_chinese_or_japanese_are_removed() {
        assert_eq!(html("第一行\n第二行"), "<p>第一行第二行</p>\n");
        assert_eq!(html("日本語の\nテキスト"), "<p>日本語のテキスト</p>\n");
        assert_eq!(
            html("营收为\n[[a/b]]。"),
            "<p>营收为<a href=\"#f\">约16亿美元</a>。</p>\n"
        );
        assert_eq!(
            html("**重要**\n**说明**"),
            "<p><strong>重要</strong><strong>说明</strong></p>\n"
        );
        assert_eq!(
            html("这是**（重要）**\n的"),
            "<p>这是<strong>（重要）</strong>的</p>\n"
        );
    }

    #[test]
    fn breaks_next_to_hangul_latin_or_ambiguous_width_stay() {
        assert_eq!(
            html("한국어는\n띄어쓰기를 한다"),
            "<p>한국어는\n띄어쓰기를 한다</p>\n"
        );
        assert_eq!(html("中文\n한국어"), "<p>中文\n한국어</p>\n");
        assert_eq!(html("one\ntwo"), "<p>one\ntwo</p>\n");
        assert_eq!(html("Pitchbook\n统计"), "<p>Pitchbook\n统计</p>\n");
        assert_eq!(html("统计\nPitchbook"), "<p>统计\nPitchbook</p>\n");
        // `“”` have East Asian Width A (ambiguous): the rule keeps the break.
        assert_eq!(
            html("这是**“重要”**\n的"),
            "<p>这是<strong>“重要”</strong>\n的</p>\n"
        );
        assert_eq!(html("*one*\n*two*"), "<p><em>one</em>\n<em>two</em></p>\n");
    }
}
