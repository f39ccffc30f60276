//! Figures typed by hand in prose where a fact holds the same number.
//!
//! Every figure the site states must come from the facts, so that one edit of a company file
//! changes the prose too. A number such as `16亿美元` written in a section, equal to a fact's
//! value, is reported with the reference to write instead.

use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::diagnostic::{Diagnostic, line_col};
use crate::facts::{Amount, Unit};
use crate::site::Site;

/// A number written in prose, with the unit words after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The number, its multiplier (万, 亿, 万亿) applied.
    pub value: u64,
    /// The unit written after it, if any.
    pub unit: Option<Unit>,
    /// The figure as written.
    pub text: String,
    /// Where it starts in the Markdown, in bytes.
    pub offset: usize,
    /// A multiple (`8倍`) or a share (`35%`), which only a computed reference may state.
    pub relation: bool,
}

/// Every hand-typed figure in sections and pages that equals a fact.
pub fn typed_by_hand(site: &Site) -> Vec<Diagnostic> {
    let bodies = site
        .sections
        .iter()
        .map(|s| (&s.path, &s.body, s.body_line))
        .chain(site.pages.iter().map(|p| (&p.path, &p.body, p.body_line)));
    let mut problems = Vec::new();
    for (path, body, body_line) in bodies {
        for w in written_figures(body) {
            let message = if w.relation {
                Some(format!(
                    "multiple or share \"{}\" is typed by hand; compute it from the facts with a reference such as [[company/fact / company/fact]]",
                    w.text
                ))
            } else {
                matching_fact(site, &w).map(|target| format!("figure \"{}\" is typed by hand; write [[{target}]] so it follows the facts", w.text))
            };
            if let Some(message) = message {
                let (line, column) = line_col(body, w.offset);
                problems.push(Diagnostic::at(
                    Path::new(path),
                    line + body_line - 1,
                    column,
                    message,
                ));
            }
        }
    }
    for translation in &site.translations {
        problems.extend(typed_by_hand(translation));
    }
    problems
}

fn matching_fact(site: &Site, w: &Written) -> Option<String> {
    site.companies.iter().find_map(|c| {
        c.facts.iter().find_map(|f| {
            let unit_fits = match w.unit {
                Some(Unit::Usd) => matches!(f.unit, Unit::Usd | Unit::UsdPerMonth),
                Some(u) => f.unit == u,
                None => true,
            };
            let values = match f.amount {
                Amount::Range { low, high } => vec![low, high],
                other => other.value().into_iter().collect(),
            };
            (unit_fits && values.contains(&w.value)).then(|| format!("{}/{}", c.slug, f.id))
        })
    })
}

/// Numbers with a 万/亿 multiplier or a unit word (美元, 家, 人) in the text of `body`, outside
/// code, links' destinations and fact references: the one scanner for figures typed by hand,
/// used by `check` and by the tests.
pub fn written_figures(body: &str) -> Vec<Written> {
    let mut found = Vec::new();
    let mut in_fact = false;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type: pulldown_cmark::LinkType::WikiLink { .. },
                ..
            }) => in_fact = true,
            Event::End(TagEnd::Link) => in_fact = false,
            Event::Text(text) if !in_fact => {
                // Text events borrow from the source unless escapes were processed; find it.
                let base = body[range.clone()]
                    .find(text.as_ref())
                    .map_or(range.start, |i| range.start + i);
                found.extend(scan(&text).into_iter().map(|mut w| {
                    w.offset += base;
                    w
                }));
            }
            _ => {}
        }
    }
    found
}

/// The digit `c` stands for: ASCII digits and the full-width ones Chinese input methods type
/// (`１６亿美元`).
fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

/// Spaces that may stand between a number and its unit (`20 美元`, `16 亿`).
fn is_gap(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\u{3000}')
}

/// Finds `<digits>[.<digits>] [万亿|亿|万] [美元|家|人]` with at least a multiplier or a unit;
/// digits may be full-width, and spaces may stand before the multiplier and the unit. English
/// figures too: `$1.6 billion`, `26,000 companies`, `8 times`.
///
/// Longer than most functions on purpose: one hand-written scanner over the characters, whose
/// steps follow the pattern above in order; split apart, the pattern would no longer read.
fn scan(text: &str) -> Vec<Written> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let skip_gaps = |mut k: usize| {
        while at(k).is_some_and(is_gap) {
            k += 1;
        }
        k
    };
    // The ASCII word at `k` (`billion`) and where it ends.
    let word = |k: usize| {
        let mut end = k;
        while at(end).is_some_and(|c| c.is_ascii_alphabetic()) {
            end += 1;
        }
        (
            chars[k.min(chars.len())..end]
                .iter()
                .map(|&(_, c)| c)
                .collect::<String>(),
            end,
        )
    };
    let mut i = 0;
    while i < chars.len() {
        let (mut start, c) = chars[i];
        let after_digit =
            i > 0 && (digit(chars[i - 1].1).is_some() || matches!(chars[i - 1].1, '.' | '．'));
        if digit(c).is_none() || after_digit {
            i += 1;
            continue;
        }
        let mut number = String::new();
        let mut j = i;
        while let Some(c) = at(j) {
            match (digit(c), c) {
                (Some(d), _) => number.push(d),
                (None, '.' | '．') => number.push('.'),
                (None, ',') => {}
                _ => break,
            }
            j += 1;
        }
        let m = skip_gaps(j);
        let rest: String = chars[m..].iter().map(|&(_, c)| c).take(2).collect();
        let (english, english_end) = word(m);
        let (multiplier, mlen) = if rest.starts_with("万亿") {
            (1e12, 2)
        } else if rest.starts_with('亿') {
            (1e8, 1)
        } else if rest.starts_with('万') {
            (1e4, 1)
        } else {
            match english.as_str() {
                "trillion" => (1e12, english_end - m),
                "billion" => (1e9, english_end - m),
                "million" => (1e6, english_end - m),
                _ => (1.0, 0),
            }
        };
        let dollar = i > 0 && chars[i - 1].1 == '$';
        if dollar {
            start = chars[i - 1].0;
        }
        let u = skip_gaps(if mlen > 0 { m + mlen } else { j });
        let after: String = chars[u..].iter().map(|&(_, c)| c).take(2).collect();
        let (after_word, after_word_end) = word(u);
        if mlen == 0 && (after.starts_with('倍') || after.starts_with('%') || after_word == "times")
        {
            let last = if after_word == "times" {
                after_word_end - 1
            } else {
                u
            };
            let end_byte = chars.get(last + 1).map_or(text.len(), |&(b, _)| b);
            out.push(Written {
                value: 0,
                unit: None,
                text: text[start..end_byte].to_string(),
                offset: start,
                relation: true,
            });
            i = last + 1;
            continue;
        }
        let (unit, ulen) = if after.starts_with("美元") {
            (Some(Unit::Usd), 2)
        } else if after.starts_with('家') {
            (Some(Unit::Companies), 1)
        } else if after.starts_with('人') {
            (Some(Unit::People), 1)
        } else {
            match after_word.as_str() {
                "dollars" => (Some(Unit::Usd), after_word_end - u),
                "companies" => (Some(Unit::Companies), after_word_end - u),
                "people" => (Some(Unit::People), after_word_end - u),
                _ if dollar => (Some(Unit::Usd), 0),
                _ => (None, 0),
            }
        };
        let end = match (mlen, ulen) {
            (0, 0) => j,
            (_, 0) => m + mlen,
            _ => u + ulen,
        };
        if (mlen > 0 || ulen > 0 || dollar)
            && let Ok(n) = number.parse::<f64>()
        {
            let end_byte = chars.get(end).map_or(text.len(), |&(b, _)| b);
            out.push(Written {
                value: (n * multiplier).round() as u64,
                unit,
                text: text[start..end_byte].to_string(),
                offset: start,
                relation: false,
            });
        }
        i = end.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(u64, Option<Unit>, String)> {
        scan(text)
            .into_iter()
            .map(|w| (w.value, w.unit, w.text))
            .collect()
    }

    #[test]
    fn reads_chinese_amounts() {
        assert_eq!(
            values("营收约16亿美元，融资1.5亿，投向2.6万家公司，3人离职，2023年"),
            vec![
                (1_600_000_000, Some(Unit::Usd), "16亿美元".to_string()),
                (150_000_000, None, "1.5亿".to_string()),
                (26_000, Some(Unit::Companies), "2.6万家".to_string()),
                (3, Some(Unit::People), "3人".to_string()),
            ]
        );
    }

    #[test]
    fn multiples_and_shares_are_never_typed() {
        let found: Vec<(String, bool)> = scan("融资额是营收的8倍，约35.5倍，占比40%；20亿美元")
            .into_iter()
            .map(|w| (w.text, w.relation))
            .collect();
        assert_eq!(
            found,
            vec![
                ("8倍".to_string(), true),
                ("35.5倍".to_string(), true),
                ("40%".to_string(), true),
                ("20亿美元".to_string(), false),
            ]
        );
    }

    #[test]
    fn reads_full_width_digits_spaces_and_small_amounts() {
        assert_eq!(
            values("１６亿美元，1600000000 美元，售价20 美元，１．５ 亿，16\u{3000}万家"),
            vec![
                (1_600_000_000, Some(Unit::Usd), "１６亿美元".to_string()),
                (
                    1_600_000_000,
                    Some(Unit::Usd),
                    "1600000000 美元".to_string()
                ),
                (20, Some(Unit::Usd), "20 美元".to_string()),
                (150_000_000, None, "１．５ 亿".to_string()),
                (160_000, Some(Unit::Companies), "16\u{3000}万家".to_string()),
            ]
        );
        // Years, chapters and plain numbers are not figures.
        assert_eq!(values("2023年，第3章，共12段"), vec![]);
    }

    #[test]
    fn reads_english_amounts() {
        assert_eq!(
            values(
                "raised $1.6 billion, about $150 million, 26,000 companies, 3 people, $20 a month, 13 billion dollars, in 2023"
            ),
            vec![
                (1_600_000_000, Some(Unit::Usd), "$1.6 billion".to_string()),
                (150_000_000, Some(Unit::Usd), "$150 million".to_string()),
                (
                    26_000,
                    Some(Unit::Companies),
                    "26,000 companies".to_string()
                ),
                (3, Some(Unit::People), "3 people".to_string()),
                (20, Some(Unit::Usd), "$20".to_string()),
                (
                    13_000_000_000,
                    Some(Unit::Usd),
                    "13 billion dollars".to_string()
                ),
            ]
        );
        let found: Vec<(String, bool)> = scan("about 8 times its revenue, a 40% share")
            .into_iter()
            .map(|w| (w.text, w.relation))
            .collect();
        assert_eq!(
            found,
            vec![("8 times".to_string(), true), ("40%".to_string(), true)]
        );
    }

    #[test]
    fn skips_fact_references_and_code() {
        let md = "已募得[[a/b]]，`16亿美元`，实际16亿美元。";
        let found = written_figures(md);
        assert_eq!(found.len(), 1);
        assert_eq!(
            &md[found[0].offset..found[0].offset + "16亿美元".len()],
            "16亿美元"
        );
    }
}
