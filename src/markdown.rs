//! Markdown to HTML for sections and pages: tables, footnotes, fact references, heading ids.
//!
//! A figure in prose is written as a fact reference, `[[anthropic/revenue_annual]]` (wiki-link
//! syntax, which Markdown previewers show as plain text). The renderer replaces it with the
//! formatted figure, linked to its source; the text of the figure is never typed by hand.
//!
//! Emphasis follows the CommonMark CJK-friendly amendments, so `这是**“重要”**的` and
//! `**真，**她` are bold as the editor meant; see `cjk` for how that is done on top of an
//! unmodified pulldown-cmark.
//!
//! Every reader of Markdown in burnrate (rendering, validation, `check`) parses with the same
//! [`options`]; where burnrate's output differs from CommonMark and GFM is listed, with the
//! spec examples it concerns, in `tests/spec/README.md` and the table in `tests/suite/spec.rs`.

mod breaks;
mod cjk;
mod ids;
mod safety;

pub use ids::slugify;
pub use safety::{Unsafe, unsafe_markup};

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd, html};

/// A fact reference found in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactRef {
    /// `<company>/<fact id>`.
    pub target: String,
    /// Byte offset of `[[` (of `![[` for an image) in the Markdown.
    pub offset: usize,
    /// Written as an image, `![[company/fact]]`: a mistake, since a fact is not a picture.
    pub image: bool,
}

/// A heading of a rendered document, for its table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 2 for `##`, 3 for `###`, …
    pub level: u8,
    /// The id given to the heading element, unique within the document.
    pub id: String,
    /// Its plain text.
    pub text: String,
}

/// A rendered document.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML body.
    pub html: String,
    /// Headings of level 2 and below, in order.
    pub headings: Vec<Heading>,
}

/// The pulldown-cmark options of every Markdown reader in burnrate: CommonMark with tables,
/// footnotes, strikethrough, wiki links (fact references) and heading attributes (`{#id}`).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The chart id of a chart reference in prose, `[[chart:burn-gap]]`.
pub fn chart_ref(target: &str) -> Option<&str> {
    target.strip_prefix("chart:").map(str::trim)
}

/// Whether the reference starting at byte `offset` of `body` is alone on its line, as a chart
/// reference must be (a paragraph of its own, which the page replaces with the chart).
pub fn on_its_own_line(body: &str, offset: usize) -> bool {
    let start = body[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = body[offset..].find('\n').map_or(body.len(), |i| offset + i);
    let line = body[start..end].trim();
    let blank = |l: Option<&str>| l.is_none_or(|l| l.trim().is_empty());
    let before = (start > 0).then(|| body[..start - 1].rsplit('\n').next().unwrap_or(""));
    let after = (end < body.len()).then(|| body[end + 1..].split('\n').next().unwrap_or(""));
    line.starts_with("[[")
        && line.ends_with("]]")
        && line.matches("[[").count() == 1
        && blank(before)
        && blank(after)
}

/// Every fact reference in `markdown`, in order.
///
/// This parses `markdown` as written, without the CJK emphasis preparation [`render`] does: that
/// only inserts characters next to `*` and `_` outside links, so it finds the same references,
/// and the offsets here are offsets into the original text, as error messages need.
pub fn fact_refs(markdown: &str) -> Vec<FactRef> {
    Parser::new_ext(markdown, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(
                tag @ (Tag::Link {
                    link_type: LinkType::WikiLink { .. },
                    ..
                }
                | Tag::Image {
                    link_type: LinkType::WikiLink { .. },
                    ..
                }),
            ) => Some(FactRef {
                image: matches!(tag, Tag::Image { .. }),
                target: wiki_target(tag).trim().to_string(),
                offset: range.start,
            }),
            _ => None,
        })
        .collect()
}

/// The destination of a link or image tag.
fn wiki_target(tag: Tag) -> pulldown_cmark::CowStr {
    match tag {
        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => dest_url,
        _ => "".into(),
    }
}

/// Renders `markdown` to HTML. `figure` turns a fact reference's target into the HTML that
/// replaces it; references it does not know are left as their plain text (validation reports
/// them before rendering).
pub fn render(markdown: &str, figure: &dyn Fn(&str) -> Option<String>) -> Rendered {
    cjk::parse_prepared(markdown, options(), |prepared, parsed| {
        render_events(markdown, prepared, parsed, figure)
    })
}

/// The HTML and headings of `parsed`, the events of `prepared` (the text of `markdown`).
fn render_events(
    markdown: &str,
    prepared: &cjk::Prepared<'_>,
    parsed: cjk::Parsed<'_>,
    figure: &dyn Fn(&str) -> Option<String>,
) -> Rendered {
    let mut events: Vec<Event> = Vec::with_capacity(parsed.len());
    // The fact reference being read, and how many links or images are open inside its label.
    let mut in_fact: Option<(String, usize)> = None;
    for (event, _) in parsed {
        let Some(event) = prepared.clean(event) else {
            continue;
        };
        match (&mut in_fact, event) {
            (Some((_, depth)), Event::Start(Tag::Link { .. } | Tag::Image { .. })) => *depth += 1,
            (Some((_, depth)), Event::End(TagEnd::Link | TagEnd::Image)) if *depth > 0 => {
                *depth -= 1;
            }
            (Some(_), Event::End(TagEnd::Link | TagEnd::Image)) => {
                let (target, _) = in_fact.take().unwrap_or_default();
                let html = figure(&target).unwrap_or_else(|| crate::html::escape(&target));
                events.push(Event::InlineHtml(html.into()));
            }
            (Some(_), _) => {}
            // `![[company/fact]]` is refused by validation; should it get here, it is shown as
            // the fact, never as a broken image.
            (
                None,
                Event::Start(
                    tag @ (Tag::Link {
                        link_type: LinkType::WikiLink { .. },
                        ..
                    }
                    | Tag::Image {
                        link_type: LinkType::WikiLink { .. },
                        ..
                    }),
                ),
            ) => in_fact = Some((wiki_target(tag).trim().to_string(), 0)),
            (None, other) => events.push(other),
        }
    }
    breaks::drop_between_cjk(&mut events);
    let headings = ids::assign(&mut events);
    let events = wrap_tables(events);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, joined_footnote_marks(events));
    Rendered {
        html: out,
        headings,
    }
}

/// A word joiner (U+2060, invisible) before every footnote mark: a line may not break between
/// the mark and the text it marks, so a mark never starts a line on its own. Chinese text may
/// break between any two characters, and a figure is kept whole (`white-space: nowrap`), so
/// without it a mark after a figure at the end of a line stood alone at the start of the next.
fn joined_footnote_marks<'e>(events: Vec<Event<'e>>) -> impl Iterator<Item = Event<'e>> {
    events.into_iter().flat_map(|event| {
        let joiner = matches!(event, Event::FootnoteReference(_))
            .then(|| Event::InlineHtml(WORD_JOINER.into()));
        joiner.into_iter().chain([event])
    })
}

/// U+2060 WORD JOINER: no line break on either side of it, and nothing shown.
const WORD_JOINER: &str = "\u{2060}";

/// Puts every table in a region that scrolls sideways on its own, so a wide table never widens
/// the page on a phone. The region is focusable (keyboard users can scroll it) and named after
/// the table's column headings.
fn wrap_tables(events: Vec<Event>) -> Vec<Event> {
    let labels = table_labels(&events);
    if labels.is_empty() {
        return events;
    }
    let mut labels = labels.into_iter();
    let mut out = Vec::with_capacity(events.len() + 2 * labels.len());
    for event in events {
        match event {
            Event::Start(Tag::Table(_)) => {
                let label = labels.next().unwrap_or_default();
                out.push(Event::Html(
                    format!("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{label}\">\n").into(),
                ));
                out.push(event);
            }
            Event::End(TagEnd::Table) => {
                out.push(event);
                out.push(Event::Html("</div>\n".into()));
            }
            other => out.push(other),
        }
    }
    out
}

/// The accessible name of each table in `events`, in order: its column headings joined by
/// " / ", escaped for an attribute.
fn table_labels(events: &[Event]) -> Vec<String> {
    let mut labels = Vec::new();
    // The headings of the table being read, while in its head.
    let mut headings: Option<Vec<String>> = None;
    for event in events {
        match event {
            Event::Start(Tag::Table(_)) => labels.push(String::new()),
            Event::Start(Tag::TableHead) => headings = Some(Vec::new()),
            Event::End(TagEnd::TableHead) => {
                if let (Some(h), Some(label)) = (headings.take(), labels.last_mut()) {
                    *label = crate::html::escape(&h.join(" / "));
                }
            }
            Event::Start(Tag::TableCell) => {
                if let Some(h) = &mut headings {
                    h.push(String::new());
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = headings.as_mut().and_then(|h| h.last_mut()) {
                    h.push_str(t);
                }
            }
            _ => {}
        }
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Chinese-only processing (soft breaks joined between CJK characters, CJK-friendly
    /// emphasis) never touches English: it renders as CommonMark says, soft breaks as spaces.
    #[test]
    fn english_text_is_rendered_as_commonmark_says() {
        let samples = [
            "Revenue was\nabout $1.6 billion,\nfar ahead of the rest.",
            "This is **\"important\"**, and *so* is this: **bold**text and un**bold**ed.",
            "A quote: \"**Not** what we said.\" (**Really.**) 2/3 of **$7bn**.",
            "Line one  \nhard break, then\nsoft break.",
        ];
        for md in samples {
            let mut plain = String::new();
            html::push_html(&mut plain, Parser::new_ext(md, options()));
            assert_eq!(render(md, &|_| None).html, plain, "{md}");
            assert!(
                plain.contains('\n'),
                "{md}: a soft break stays a line break (a space)"
            );
        }
    }

    /// `md` rendered, with the fact reference `[[a/b]]` known.
    pub(super) fn plain(md: &str) -> String {
        render(md, &|t| {
            (t == "a/b").then(|| "<a href=\"#f\">约16亿美元</a>".to_string())
        })
        .html
    }

    #[test]
    fn fact_references_are_found_with_offsets() {
        let md = "营收为[[openai/revenue_2023]]，支出[[openai/spending]]。";
        let refs = fact_refs(md);
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].target, "openai/revenue_2023");
        assert_eq!(&md[refs[0].offset..refs[0].offset + 2], "[[");
        assert_eq!(refs[1].target, "openai/spending");
    }

    #[test]
    fn fact_references_become_figures() {
        assert_eq!(
            plain("营收[[a/b]]。"),
            "<p>营收<a href=\"#f\">约16亿美元</a>。</p>\n"
        );
    }

    #[test]
    fn tables_scroll_inside_a_named_region() {
        let html = plain("| 公司 | 融资 |\n|---|---|\n| A | 1 |\n");
        assert!(
            html.starts_with("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"公司 / 融资\">\n<table>"),
            "{html}"
        );
        assert!(html.ends_with("</table>\n</div>\n"), "{html}");
    }

    #[test]
    fn tables_and_footnotes_render() {
        let html = plain("| a | b |\n|---|---|\n| 1 | 2 |\n\n注[^1]\n\n[^1]: 脚注\n");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("footnote-definition"), "{html}");
    }

    /// A footnote mark is joined to what it marks, a figure included, so a line never starts
    /// with it; nothing else gets a joiner.
    #[test]
    fn a_footnote_mark_is_joined_to_the_text_it_marks() {
        let html = plain("支出[[a/b]][^1]，营收 2[^n]。\n\n[^1]: 脚注\n\n[^n]: 注\n");
        assert!(
            html.starts_with(
                "<p>支出<a href=\"#f\">约16亿美元</a>\u{2060}<sup class=\"footnote-reference\"><a href=\"#fn-1\">1</a></sup>，营收 2\u{2060}<sup class=\"footnote-reference\"><a href=\"#fn-n\">2</a></sup>。</p>"
            ),
            "{html}"
        );
        assert_eq!(html.matches('\u{2060}').count(), 2, "{html}");
    }

    #[test]
    fn emphasis_next_to_chinese_punctuation() {
        assert_eq!(
            plain("这是**“重要”**的"),
            "<p>这是<strong>“重要”</strong>的</p>\n"
        );
        assert_eq!(plain("**真，**她"), "<p><strong>真，</strong>她</p>\n");
        assert_eq!(
            plain("营收**增长50%**，融资**（B轮）**完成"),
            "<p>营收<strong>增长50%</strong>，融资<strong>（B轮）</strong>完成</p>\n"
        );
        assert_eq!(plain("这是*“重要”*的"), "<p>这是<em>“重要”</em>的</p>\n");
    }

    #[test]
    fn english_emphasis_is_commonmark() {
        for (md, html) in [
            ("*foo*bar", "<p><em>foo</em>bar</p>\n"),
            ("foo*bar*", "<p>foo<em>bar</em></p>\n"),
            ("**foo**", "<p><strong>foo</strong></p>\n"),
            ("a * b * c", "<p>a * b * c</p>\n"),
            ("snake_case_word 中文", "<p>snake_case_word 中文</p>\n"),
            (
                "an **important** point，中文",
                "<p>an <strong>important</strong> point，中文</p>\n",
            ),
            ("a**\"foo\"**b 中文", "<p>a**\"foo\"**b 中文</p>\n"),
            (
                "[**链接**](https://x.com/a_b_c)的",
                "<p><a href=\"https://x.com/a_b_c\"><strong>链接</strong></a>的</p>\n",
            ),
        ] {
            assert_eq!(plain(md), html, "{md:?}");
        }
    }

    #[test]
    fn code_stays_literal() {
        assert_eq!(
            plain("这是`**“重要”**`的"),
            "<p>这是<code>**“重要”**</code>的</p>\n"
        );
        assert_eq!(
            plain("```\n这是**“重要”**的\n```"),
            "<pre><code>这是**“重要”**的\n</code></pre>\n"
        );
    }

    #[test]
    fn fact_references_inside_chinese_emphasis() {
        assert_eq!(
            plain("**[[a/b]]**"),
            "<p><strong><a href=\"#f\">约16亿美元</a></strong></p>\n"
        );
        assert_eq!(
            plain("营收**[[a/b]]**的"),
            "<p>营收<strong><a href=\"#f\">约16亿美元</a></strong>的</p>\n"
        );
        assert_eq!(
            plain("营收**（[[a/b]]）**的"),
            "<p>营收<strong>（<a href=\"#f\">约16亿美元</a>）</strong>的</p>\n"
        );
        // The offsets are the original text's, for error positions.
        let md =
            "这是**“重要”**：营收**[[openai/revenue_2023]]**的，支出**（[[openai/spend_q4]]）**。";
        let refs = fact_refs(md);
        let targets: Vec<_> = refs.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(targets, ["openai/revenue_2023", "openai/spend_q4"]);
        for r in &refs {
            assert!(
                md[r.offset..].starts_with(&format!("[[{}]]", r.target)),
                "{r:?}"
            );
        }
        // Rendering sees the same references.
        let seen = std::cell::RefCell::new(Vec::new());
        let out = render(md, &|t| {
            seen.borrow_mut().push(t.to_string());
            Some(format!("<b>{t}</b>"))
        });
        assert_eq!(*seen.borrow(), targets);
        assert!(
            out.html
                .contains("<strong><b>openai/revenue_2023</b></strong>的"),
            "{}",
            out.html
        );
    }

    #[test]
    fn chinese_emphasis_in_tables_footnotes_and_headings() {
        let html = plain(
            "| 项目 | 说明 |\n|---|---|\n| **营收（亿）**增长 | 这是**“重要”**的 |\n\n注**（重要）**说明[^1]\n\n[^1]: 脚注**“内容”**的\n",
        );
        assert!(
            html.contains("<td><strong>营收（亿）</strong>增长</td>"),
            "{html}"
        );
        assert!(
            html.contains("<td>这是<strong>“重要”</strong>的</td>"),
            "{html}"
        );
        assert!(
            html.contains("注<strong>（重要）</strong>说明\u{2060}<sup"),
            "{html}"
        );
        assert!(html.contains("脚注<strong>“内容”</strong>的"), "{html}");

        let r = render("## 这是**“重要”**的\n\n## **（附录）**说明\n", &|_| None);
        assert_eq!(
            r.html,
            "<h2 id=\"这是-重要-的\">这是<strong>“重要”</strong>的</h2>\n<h2 id=\"附录-说明\"><strong>（附录）</strong>说明</h2>\n"
        );
        let texts: Vec<_> = r.headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(texts, ["这是“重要”的", "（附录）说明"]);
    }

    #[test]
    fn a_fact_written_as_an_image_is_found_and_shown_as_the_fact() {
        let md = "营收![[a/b]]。";
        let refs = fact_refs(md);
        assert_eq!(refs.len(), 1);
        assert!(refs[0].image);
        assert_eq!(&md[refs[0].offset..], "![[a/b]]。");
        assert!(!fact_refs("[[a/b]]")[0].image);
        assert_eq!(plain(md), "<p>营收<a href=\"#f\">约16亿美元</a>。</p>\n");
    }
}
