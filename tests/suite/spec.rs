//! Public Markdown test suites, kept as data in `tests/spec/`, run through burnrate's renderer.
//!
//! Every example must render as its suite says (compared after [`normalize`], which makes
//! equivalent spellings of the same HTML equal, as the suites' own runners do), except the
//! examples listed in [`DIFFERENCES`]. For a listed example the test proves that it does differ
//! (so the table keeps no stale entry) and that the listed reasons are the only difference: each
//! reason is taken out again ([`Why::undo`]), or, for fact references, burnrate's output must be
//! exactly the one written in the table. `tests/spec/README.md` says where each suite comes from.

use std::fmt::Write as _;

use burnrate::markdown;

use crate::common::tests_dir;

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// One example of a suite.
struct Example {
    /// The suite, as named in [`DIFFERENCES`].
    suite: &'static str,
    /// Its number: the order of examples in the file, from 1 (as the suites number them).
    number: usize,
    markdown: String,
    html: String,
}

/// Examples of a file in the CommonMark spec format: a fence of 32 backticks and `example`
/// (and, in the GFM spec, the extension), the Markdown, a `.` line, the HTML; `→` is a tab.
/// Only examples whose info string `keep` accepts are returned; all are numbered.
fn spec_examples(suite: &'static str, rel: &str, keep: impl Fn(&str) -> bool) -> Vec<Example> {
    const FENCE: &str = "````````````````````````````````";
    let text = read(&tests_dir("spec").join(rel));
    let mut examples = Vec::new();
    let mut lines = text.lines();
    let mut number = 0;
    while let Some(line) = lines.next() {
        let Some(info) = line
            .strip_prefix(FENCE)
            .and_then(|l| l.trim().strip_prefix("example"))
        else {
            continue;
        };
        number += 1;
        let mut markdown = String::new();
        for l in lines.by_ref().take_while(|l| *l != ".") {
            markdown.push_str(l);
            markdown.push('\n');
        }
        let mut html = String::new();
        for l in lines.by_ref().take_while(|l| !l.starts_with(FENCE)) {
            html.push_str(l);
            html.push('\n');
        }
        if keep(info.trim()) {
            examples.push(Example {
                suite,
                number,
                markdown: markdown.replace('→', "\t"),
                html: html.replace('→', "\t"),
            });
        }
    }
    assert!(!examples.is_empty(), "no examples in {rel}");
    examples
}

/// The CJK-friendly amendment's test documents: each paragraph of `<name>.md` is an example, and
/// the line of `<name>.html` at the same place its HTML.
fn paragraph_examples(suite: &'static str, name: &str) -> Vec<Example> {
    let dir = tests_dir("spec").join("cjk-friendly");
    let md = read(&dir.join(format!("{name}.md")));
    let html = read(&dir.join(format!("{name}.html")));
    let paragraphs: Vec<&str> = md.split("\n\n").filter(|p| !p.trim().is_empty()).collect();
    let lines: Vec<&str> = html.lines().collect();
    assert_eq!(
        paragraphs.len(),
        lines.len(),
        "{name}: paragraphs and lines differ"
    );
    paragraphs
        .iter()
        .zip(lines)
        .enumerate()
        .map(|(i, (p, l))| Example {
            suite,
            number: i + 1,
            markdown: format!("{}\n", p.trim_matches('\n')),
            html: format!("{l}\n"),
        })
        .collect()
}

fn all_examples() -> Vec<Example> {
    let all = |_: &str| true;
    let mut examples = spec_examples("commonmark", "commonmark/spec.txt", all);
    examples.extend(spec_examples("gfm", "gfm/spec.txt", |info| {
        matches!(info, "table" | "strikethrough")
    }));
    for (suite, file) in [
        ("pulldown-cmark/footnotes", "pulldown-cmark/footnotes.txt"),
        (
            "pulldown-cmark/heading_attrs",
            "pulldown-cmark/heading_attrs.txt",
        ),
        ("pulldown-cmark/table", "pulldown-cmark/table.txt"),
        (
            "pulldown-cmark/strikethrough",
            "pulldown-cmark/strikethrough.txt",
        ),
        ("pulldown-cmark/wikilinks", "pulldown-cmark/wikilinks.txt"),
    ] {
        examples.extend(spec_examples(suite, file, all));
    }
    for (suite, name) in [
        ("cjk-friendly/strong", "strong"),
        ("cjk-friendly/korean", "korean"),
        ("cjk-friendly/pseudo-emoji", "pseudo-emoji"),
        ("cjk-friendly/non-bmp", "non-bmp"),
        ("cjk-friendly/underscore-cjk-punct", "underscore-cjk-punct"),
    ] {
        examples.extend(paragraph_examples(suite, name));
    }
    examples.extend(spec_examples("cjk-breaks", "cjk-breaks.txt", all));
    examples
}

/// Why burnrate's output differs from a suite's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    /// Every heading gets an id (from its text, or `{#id}`), for links and the table of contents.
    HeadingIds,
    /// Every table is wrapped in a region that scrolls sideways on its own, for phones.
    TableWrapper,
    /// Footnote ids are `fn-` and the label, unique with the heading ids.
    FootnoteIds,
    /// A word joiner (U+2060) before every footnote mark, so that a line never starts with one.
    FootnoteJoiner,
    /// pulldown-cmark's HTML for tables: alignment as `style="text-align: …"` (cmark-gfm writes
    /// the obsolete `align=`), and an empty `<tbody>` in a table without rows.
    TableHtml,
    /// `[[…]]` is a fact reference (pulldown-cmark's wiki link): shown as the fact, here as its
    /// target, since the examples name no fact; its label after `|` is not shown. burnrate's
    /// output, exactly.
    FactReference(&'static str),
}

impl Why {
    /// burnrate's `html` with this difference taken out again, as far as the suite's `expected`
    /// HTML shows what to take out.
    fn undo(self, html: &str, expected: &str) -> String {
        match self {
            Why::HeadingIds => {
                let mut out = String::with_capacity(html.len());
                let mut rest = html;
                while let Some(i) = rest.find(" id=\"") {
                    let (before, attr) = rest.split_at(i);
                    let end = attr[5..].find('"').map_or(attr.len(), |e| 5 + e + 1);
                    let in_heading = before.len() >= 3
                        && before[before.len() - 3..].starts_with("<h")
                        && before.ends_with(|c: char| c.is_ascii_digit());
                    out.push_str(before);
                    if !in_heading || expected.contains(&attr[..end]) {
                        out.push_str(&attr[..end]);
                    }
                    rest = &attr[end..];
                }
                out.push_str(rest);
                out
            }
            Why::TableWrapper => {
                let mut out = html.replace("</table>\n</div>\n", "</table>\n");
                while let Some(i) = out.find("<div class=\"table-scroll\"") {
                    let end = out[i..].find(">\n").map_or(out.len(), |e| i + e + 2);
                    out.replace_range(i..end, "");
                }
                out
            }
            Why::FootnoteIds => html.replace("=\"#fn-", "=\"#").replace("id=\"fn-", "id=\""),
            Why::FootnoteJoiner => html.replace(
                "\u{2060}<sup class=\"footnote-reference\"",
                "<sup class=\"footnote-reference\"",
            ),
            Why::TableHtml => {
                let mut out = html.replace("<tbody>\n</tbody>", "");
                for align in ["left", "center", "right"] {
                    out = out.replace(
                        &format!(" style=\"text-align: {align}\""),
                        &format!(" align=\"{align}\""),
                    );
                }
                out
            }
            Why::FactReference(_) => html.to_string(),
        }
    }
}

/// burnrate's differences from the suites, by example: suite, example numbers, why. The one
/// place they are listed; `tests/spec/README.md` explains them for readers.
const DIFFERENCES: &[(&str, &[usize], Why)] = &[
    (
        "commonmark",
        &[
            10, 59, 62, 66, 67, 68, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 86, 89,
            90, 91, 95, 96, 102, 103, 115, 141, 214, 215, 227, 228, 229, 230, 232, 300, 646, 647,
        ],
        Why::HeadingIds,
    ),
    (
        "gfm",
        &[198, 199, 200, 201, 202, 204, 205],
        Why::TableWrapper,
    ),
    ("gfm", &[199, 205], Why::TableHtml),
    (
        "pulldown-cmark/footnotes",
        &[
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 24, 25, 26,
        ],
        Why::FootnoteIds,
    ),
    (
        "pulldown-cmark/footnotes",
        &[
            1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16, 18, 20, 24, 25, 26,
        ],
        Why::FootnoteJoiner,
    ),
    ("pulldown-cmark/footnotes", &[8], Why::HeadingIds),
    ("pulldown-cmark/footnotes", &[19, 20], Why::TableWrapper),
    (
        "pulldown-cmark/heading_attrs",
        &[
            1, 2, 3, 5, 6, 8, 10, 11, 12, 13, 14, 17, 18, 20, 21, 23, 24, 25, 26, 27, 28, 29, 30,
            31, 32, 35, 36, 37, 38, 39, 40,
        ],
        Why::HeadingIds,
    ),
    ("pulldown-cmark/table", &[1, 13], Why::HeadingIds),
    (
        "pulldown-cmark/table",
        &[
            2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 18, 19, 20, 22, 23, 24, 25, 26, 27, 28,
        ],
        Why::TableWrapper,
    ),
    (
        "commonmark",
        &[548],
        Why::FactReference("<p>[foo]</p>\n<p>[foo]: /url</p>\n"),
    ),
    (
        "commonmark",
        &[559],
        Why::FactReference("<p>*foo* bar</p>\n"),
    ),
    (
        "commonmark",
        &[590],
        Why::FactReference("<p>foo</p>\n<p>foo: /url \"title\"</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[1],
        Why::FactReference("<p>This is a WikiLink.</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[2],
        Why::FactReference("<p>This is a Main/WikiLink.</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[3],
        Why::FactReference("<p>This is Ambiguous.</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[5],
        Why::FactReference("<p>This is [also Ambiguous](https://example.com/).</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[6],
        Why::FactReference(
            "<p><a href=\"https://example.org/\">https://example.org/</a></p>\n<p>https://example.org/</p>\n",
        ),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[7, 9],
        Why::FactReference("<p>This is WikiLink.</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[8],
        Why::FactReference("<p>This is a WikiLink/In/A/Directory.</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[10],
        Why::FactReference(
            "<p>This is a cute dog, linked to the page \"WikiLink\"</p>\n<p>WikiLink</p>\n",
        ),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[11],
        Why::FactReference("<p>[[WikiLink|Fish]]</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[13],
        Why::FactReference("<p>This is a cute dog.</p>\n<p>dog.png</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[14],
        Why::FactReference("<p>dog.png</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[16],
        Why::FactReference("<p>link</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[17],
        Why::FactReference("<p>[[link]]</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[21],
        Why::FactReference("<p>emphasis **cross over** here</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[22],
        Why::FactReference("<p>first\\</p>\n"),
    ),
    (
        "pulldown-cmark/wikilinks",
        &[23],
        Why::FactReference("<p>first&amp;#33;second</p>\n"),
    ),
];

/// `html` with equivalent spellings made equal, as the suites' own runners compare (CommonMark's
/// `normalize.py`, pulldown-cmark's `normalize_html`): `&quot;` and `"`, `<br>` and `<br />`,
/// and line breaks and spaces next to block-level tags, which browsers do not show.
fn normalize(html: &str) -> String {
    const BLOCKS: &[&str] = &[
        "p",
        "li",
        "ul",
        "ol",
        "div",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "hr",
        "sup",
    ];
    let html = html
        .replace("&quot;", "\"")
        .replace(" />", ">")
        .replace("/>", ">");
    let tag_name = |tag: &str| -> String {
        tag.trim_start_matches(['<', '/'])
            .split(|c: char| c.is_whitespace() || c == '>')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    while let Some(gt) = rest.find('>') {
        let (tag_part, after) = rest.split_at(gt + 1);
        out.push_str(tag_part);
        let space = after.len() - after.trim_start().len();
        let next_is_tag = after[space..].starts_with('<');
        let before_tag = tag_part.rfind('<').map_or("", |i| &tag_part[i..]);
        let block = |t: &str| BLOCKS.contains(&tag_name(t).as_str());
        if space > 0 && next_is_tag && (block(before_tag) || block(&after[space..])) {
            rest = &after[space..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out.trim_end().to_string()
}

fn html(md: &str) -> String {
    markdown::render(md, &|_| None).html
}

/// What is wrong with burnrate's output `out` for example `e`, if anything.
fn problem(e: &Example, out: &str) -> Option<String> {
    let whys: Vec<Why> = DIFFERENCES
        .iter()
        .filter(|(suite, numbers, _)| *suite == e.suite && numbers.contains(&e.number))
        .map(|(_, _, why)| *why)
        .collect();
    let expected = normalize(&e.html);
    if whys.is_empty() {
        return (normalize(out) != expected).then(|| "differs from the suite".to_string());
    }
    if normalize(out) == expected {
        return Some(format!("is listed as {whys:?} but renders as the suite says").to_string());
    }
    if let Some(Why::FactReference(pinned)) =
        whys.iter().find(|w| matches!(w, Why::FactReference(_)))
    {
        return (out != *pinned).then(|| format!("differs from the output listed: {pinned:?}"));
    }
    let undone = whys
        .iter()
        .fold(out.to_string(), |html, why| why.undo(&html, &e.html));
    (normalize(&undone) != expected).then(|| format!("differs by more than {whys:?}"))
}

#[test]
fn every_example_of_the_public_suites_renders_as_specified_or_is_a_listed_difference() {
    let examples = all_examples();
    let mut wrong = String::new();
    let mut listed = 0;
    for e in &examples {
        let out = html(&e.markdown);
        if DIFFERENCES
            .iter()
            .any(|(suite, numbers, _)| *suite == e.suite && numbers.contains(&e.number))
        {
            listed += 1;
        }
        if let Some(why) = problem(e, &out) {
            let _ = write!(
                wrong,
                "== {} example {}: {why}\n--- markdown\n{}--- suite\n{}--- burnrate\n{}",
                e.suite, e.number, e.markdown, e.html, out
            );
        }
    }
    assert!(wrong.is_empty(), "{wrong}");
    // Every suite is whole, and every listed example exists.
    for (suite, count) in [
        ("commonmark", 652),
        ("gfm", 10),
        ("pulldown-cmark/footnotes", 26),
        ("pulldown-cmark/heading_attrs", 42),
        ("pulldown-cmark/table", 28),
        ("pulldown-cmark/strikethrough", 16),
        ("pulldown-cmark/wikilinks", 23),
        ("cjk-friendly/strong", 85),
        ("cjk-friendly/korean", 6),
        ("cjk-friendly/pseudo-emoji", 6),
        ("cjk-friendly/non-bmp", 8),
        ("cjk-friendly/underscore-cjk-punct", 7),
        ("cjk-breaks", 10),
    ] {
        let found = examples.iter().filter(|e| e.suite == suite).count();
        assert_eq!(found, count, "{suite}");
    }
    for (suite, numbers, _) in DIFFERENCES {
        for n in *numbers {
            assert!(
                examples.iter().any(|e| e.suite == *suite && e.number == *n),
                "{suite} example {n} is listed but does not exist"
            );
        }
    }
    eprintln!(
        "{} examples: {} as their suite says, {listed} listed differences",
        examples.len(),
        examples.len() - listed
    );
}

#[test]
fn a_changed_example_is_caught() {
    let examples = all_examples();
    let plain = examples
        .iter()
        .find(|e| e.suite == "commonmark" && e.number == 1)
        .expect("example 1");
    assert_eq!(problem(plain, &html(&plain.markdown)), None);
    assert!(problem(plain, "<p>changed</p>\n").is_some());
    let heading = examples
        .iter()
        .find(|e| e.suite == "commonmark" && e.number == 62)
        .expect("example 62");
    let out = html(&heading.markdown);
    assert_eq!(problem(heading, &out), None);
    assert!(problem(heading, &out.replace("foo", "bar")).is_some());
    let fact = examples
        .iter()
        .find(|e| e.suite == "pulldown-cmark/wikilinks" && e.number == 1)
        .expect("wikilinks example 1");
    assert!(
        problem(
            fact,
            "<p>This is a <a href=\"WikiLink\">WikiLink</a>.</p>\n"
        )
        .is_some()
    );
}
