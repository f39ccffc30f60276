//! Element ids of a rendered document: headings and footnotes, unique across both.
//!
//! A heading's id comes from its text ([`slugify`]) unless the editor set one with `{#id}`; a
//! footnote's id is `fn-` and its label (`[^1]` → `fn-1`, spaces as `-`). Headings are named
//! first, so their ids stay as the editor expects; an id already taken gets a number (a second
//! `## 背景` is `背景-2`, a footnote whose id a heading took `fn-1-2`), so a link never lands on
//! the wrong element.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::Heading;

/// Ids handed out so far in one document.
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
}

impl Ids {
    /// `base`, or `base-2`, `base-3`, … whichever is still free; it is taken.
    fn take(&mut self, base: String) -> String {
        let mut unique = base.clone();
        let mut n = 1;
        while self.used.contains(&unique) {
            n += 1;
            unique = format!("{base}-{n}");
        }
        self.used.insert(unique.clone());
        unique
    }
}

/// Gives every heading and footnote its id and returns the headings of level 2 and below, in
/// order, for the table of contents.
pub(super) fn assign(events: &mut [Event]) -> Vec<Heading> {
    let mut ids = Ids::default();
    let headings = assign_headings(events, &mut ids);
    assign_footnotes(events, &mut ids);
    headings
}

fn assign_headings(events: &mut [Event], ids: &mut Ids) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = heading_level(*level);
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                match &events[j] {
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    // A setext heading written over two lines: the break is a space.
                    Event::SoftBreak | Event::HardBreak => text.push(' '),
                    Event::InlineHtml(h) => text.push_str(
                        h.split('>')
                            .nth(1)
                            .and_then(|s| s.split('<').next())
                            .unwrap_or(""),
                    ),
                    _ => {}
                }
                j += 1;
            }
            let unique = ids.take(explicit.unwrap_or_else(|| slugify(&text)));
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                *id = Some(CowStr::from(unique.clone()));
            }
            if level >= 2 {
                headings.push(Heading {
                    level,
                    id: unique,
                    text: text.trim().to_string(),
                });
            }
            i = j;
        }
        i += 1;
    }
    headings
}

/// Renames every footnote label to its id, the same for its references and its definition
/// (the HTML writer uses the label as the id and numbers footnotes by label).
fn assign_footnotes(events: &mut [Event], ids: &mut Ids) {
    let mut by_label: HashMap<String, CowStr<'static>> = HashMap::new();
    for event in events.iter_mut() {
        let label = match event {
            Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) => label,
            _ => continue,
        };
        let id = by_label
            .entry(label.to_string())
            .or_insert_with(|| ids.take(footnote_id(label)).into())
            .clone();
        *label = id;
    }
}

/// `fn-` and the label, with spaces (not allowed in an id) written as `-`.
fn footnote_id(label: &str) -> String {
    let words: Vec<&str> = label.split_whitespace().collect();
    format!("fn-{}", words.join("-"))
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// An id from heading text: letters and digits of every script kept (Chinese among them) and
/// lowercased, each run of anything else one `-` between them; `section` when nothing is left.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::markdown::render;

    fn ids(md: &str) -> Vec<String> {
        render(md, &|_| None)
            .headings
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    #[test]
    fn headings_get_unique_stable_ids() {
        let r = render(
            "## 烧钱 速度\n\n## 烧钱 速度\n\n### Why it matters?\n",
            &|_| None,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["烧钱-速度", "烧钱-速度-2", "why-it-matters"]);
        assert!(r.html.contains("<h2 id=\"烧钱-速度\">"), "{}", r.html);
    }

    #[test]
    fn slugify_keeps_letters_of_every_script_lowercased() {
        assert_eq!(
            super::slugify("Über OpenAI: 营收 2023!"),
            "über-openai-营收-2023"
        );
        assert_eq!(super::slugify("!?"), "section");
    }

    #[test]
    fn an_editor_can_set_a_heading_id() {
        let r = render("## 融资 {#funding}\n\n## 融资\n", &|_| None);
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["funding", "融资"]);
        assert_eq!(r.headings[0].text, "融资");
    }

    #[test]
    fn a_setext_heading_keeps_the_space_at_its_line_break() {
        let r = render("Burn rate\nexplained\n---------\n", &|_| None);
        assert_eq!(r.headings[0].id, "burn-rate-explained");
        assert_eq!(r.headings[0].text, "Burn rate explained");
        assert!(
            r.html
                .starts_with("<h2 id=\"burn-rate-explained\">Burn rate\nexplained</h2>")
        );
        // Between Chinese characters the break is removed, so no space appears.
        let r = render("烧钱\n速度\n----\n", &|_| None);
        assert_eq!(r.headings[0].id, "烧钱速度");
        assert_eq!(r.headings[0].text, "烧钱速度");
    }

    #[test]
    fn footnote_ids_never_equal_heading_ids() {
        let r = render(
            "## fn-1\n\n## 1 {#fn-note}\n\n文字[^1][^note]\n\n[^1]: 一\n\n[^note]: 二\n",
            &|_| None,
        );
        assert_eq!(ids("## fn-1\n\n## 1 {#fn-note}\n"), ["fn-1", "fn-note"]);
        for (expected, text) in [
            ("<h2 id=\"fn-1\">fn-1</h2>", "heading"),
            ("<a href=\"#fn-1-2\">1</a>", "first reference"),
            ("<a href=\"#fn-note-2\">2</a>", "second reference"),
            (
                "<div class=\"footnote-definition\" id=\"fn-1-2\">",
                "first definition",
            ),
            (
                "<div class=\"footnote-definition\" id=\"fn-note-2\">",
                "second definition",
            ),
        ] {
            assert!(r.html.contains(expected), "{text}: {}", r.html);
        }
    }

    #[test]
    fn footnote_labels_become_valid_ids() {
        let r = render("见[^a note]和[^a note]。\n\n[^a note]: 注\n", &|_| None);
        assert_eq!(
            r.html.matches("href=\"#fn-a-note\"").count(),
            2,
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"fn-a-note\""), "{}", r.html);
    }
}
