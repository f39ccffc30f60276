//! What Markdown may not publish: markup that would run a script, embed another site or change
//! the whole page. Raw HTML is otherwise allowed (editors are trusted); `build` and `check` both
//! refuse these, each at its place in the Markdown.
//!
//! Refused: the elements in [`SCRIPT`], [`EMBEDS`], [`PAGE_WIDE`] and [`REWRITERS`];
//! event-handler attributes (`on…=`); and `javascript:`, `vbscript:` and `data:` addresses in
//! links, images, autolinks and URL attributes of raw HTML. An address is read as a browser reads it: character
//! references decoded (`&#106;avascript:`), letters in any case, leading spaces and control
//! characters skipped, tabs and line breaks inside it ignored.

use pulldown_cmark::{Event, LinkType, Parser, Tag};

/// A refused piece of markup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsafe {
    /// Byte offset in the Markdown of the element, attribute or link.
    pub offset: usize,
    /// What is wrong and what to write instead.
    pub message: String,
}

/// Runs a script.
const SCRIPT: &[&str] = &["script"];
/// Puts another document inside the page.
const EMBEDS: &[&str] = &["iframe", "frame", "frameset", "object", "embed", "applet"];
/// Changes the whole page: where its links go, what it loads, where it sends data.
const PAGE_WIDE: &[&str] = &["base", "meta", "link", "form"];
/// SVG animation that can set another element's attribute, such as a link's `href`, to any
/// address (`<set attributeName="href" to="javascript:…">`).
const REWRITERS: &[&str] = &["animate", "set"];
/// HTML attributes whose value is an address.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "cite",
    "data",
    "longdesc",
    "ping",
    "usemap",
];

/// Every refused piece of markup in `markdown`, in order.
pub fn unsafe_markup(markdown: &str) -> Vec<Unsafe> {
    if !might_be_unsafe(markdown) {
        return Vec::new();
    }
    let mut found = Vec::new();
    // Consecutive raw HTML events (the lines of an HTML block) are read together, so a tag
    // written over several lines is seen whole: (text, offset of each piece in it and source).
    let mut html = String::new();
    let mut pieces: Vec<(usize, usize)> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, super::options()).into_offset_iter() {
        match event {
            Event::Html(t) | Event::InlineHtml(t) => {
                let source = if markdown.get(range.clone()) == Some(&*t) {
                    range.start
                } else {
                    markdown[range.clone()]
                        .find(&*t)
                        .map_or(range.start, |i| range.start + i)
                };
                pieces.push((html.len(), source));
                html.push_str(&t);
                continue;
            }
            Event::Start(
                ref tag @ (Tag::Link {
                    ref link_type,
                    ref dest_url,
                    ..
                }
                | Tag::Image {
                    ref link_type,
                    ref dest_url,
                    ..
                }),
            ) if !matches!(link_type, LinkType::WikiLink { .. }) => {
                let what = if matches!(tag, Tag::Image { .. }) {
                    "image"
                } else {
                    "link"
                };
                if let Some(message) = address_problem(what, dest_url) {
                    found.push(Unsafe {
                        offset: range.start,
                        message,
                    });
                }
            }
            _ => {}
        }
        flush_html(&mut html, &mut pieces, &mut found);
    }
    flush_html(&mut html, &mut pieces, &mut found);
    found.sort_by_key(|u| u.offset);
    found
}

/// Scans the raw HTML gathered so far and maps what it finds back to the Markdown.
fn flush_html(html: &mut String, pieces: &mut Vec<(usize, usize)>, found: &mut Vec<Unsafe>) {
    for (at, message) in scan_html(html) {
        let (start, source) = pieces
            .iter()
            .rev()
            .find(|(start, _)| *start <= at)
            .copied()
            .unwrap_or((0, 0));
        found.push(Unsafe {
            offset: source + at - start,
            message,
        });
    }
    html.clear();
    pieces.clear();
}

/// A cheap look at the bytes (SIMD, as validation must stay fast over thousands of sections):
/// refused markup needs `<` (HTML, autolinks), `&` (a character reference hiding a scheme), or a
/// `:` written after `data`, `script` (javascript, vbscript) or `\` (an escaped colon).
fn might_be_unsafe(markdown: &str) -> bool {
    let bytes = markdown.as_bytes();
    memchr::memchr3_iter(b'<', b'&', b':', bytes).any(|i| {
        let before = &bytes[..i];
        let ends_with = |word: &[u8]| {
            before.len() >= word.len()
                && before[before.len() - word.len()..].eq_ignore_ascii_case(word)
        };
        bytes[i] != b':' || ends_with(b"data") || ends_with(b"script") || ends_with(b"\\")
    })
}

/// Refused tags and attributes in raw HTML: (byte offset in `html`, message).
///
/// Longer than most functions on purpose: one pass over the bytes that reads each tag as a
/// browser would (a comment, the name, then each attribute and its quoted or bare value); its
/// steps read best in order.
fn scan_html(html: &str) -> Vec<(usize, String)> {
    let b = html.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[i..]).map(|k| i + k) {
        if html[lt..].starts_with("<!--") {
            i = html[lt + 4..]
                .find("-->")
                .map_or(b.len(), |k| lt + 4 + k + 3);
            continue;
        }
        let closing = b.get(lt + 1) == Some(&b'/');
        let name_start = lt + 1 + usize::from(closing);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let mut j = name_start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        let name = html[name_start..j].to_ascii_lowercase();
        if !closing && let Some(message) = element_problem(&name) {
            found.push((lt, message));
        }
        // Attributes, up to the `>` that ends the tag.
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let attr_start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/')
            {
                j += 1;
            }
            let attr = html[attr_start..j].to_ascii_lowercase();
            let mut k = j;
            while k < b.len() && b[k].is_ascii_whitespace() {
                k += 1;
            }
            let mut value = "";
            if b.get(k) == Some(&b'=') {
                k += 1;
                while k < b.len() && b[k].is_ascii_whitespace() {
                    k += 1;
                }
                let (from, to, next) = match b.get(k) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = memchr::memchr(q, &b[k + 1..]).map_or(b.len(), |e| k + 1 + e);
                        (k + 1, end, (end + 1).min(b.len()))
                    }
                    _ => {
                        let mut e = k;
                        while e < b.len() && !b[e].is_ascii_whitespace() && b[e] != b'>' {
                            e += 1;
                        }
                        (k, e, e)
                    }
                };
                value = &html[from..to];
                j = next;
            }
            if attr.starts_with("on") && attr.len() > 2 {
                found.push((
                    attr_start,
                    format!(
                        "{attr}= is not allowed: it would run a script, and pages are published without scripts; remove the attribute"
                    ),
                ));
            } else if URL_ATTRIBUTES.contains(&attr.as_str())
                && let Some(message) =
                    address_problem(&format!("{attr}= attribute"), &decode_references(value))
            {
                found.push((attr_start, message));
            }
        }
        i = j.max(lt + 1);
    }
    found
}

fn element_problem(name: &str) -> Option<String> {
    let why = if SCRIPT.contains(&name) {
        "pages are published without scripts; remove it (a chart goes in charts: in the front matter)"
    } else if EMBEDS.contains(&name) {
        "it would show another site inside the page; link to it instead: [text](https://…)"
    } else if PAGE_WIDE.contains(&name) {
        "it would change the whole page, not this text; remove it"
    } else if REWRITERS.contains(&name) {
        "it can turn a link into a script; remove it"
    } else {
        return None;
    };
    Some(format!("<{name}> is not allowed: {why}"))
}

/// Why the address `url` (character references already decoded) must not be published, if it
/// must not; `what` names where it is written (`link`, `image`, `href= attribute`).
fn address_problem(what: &str, url: &str) -> Option<String> {
    let scheme = dangerous_scheme(url)?;
    let why = if scheme == "data" {
        "which puts a whole file inside the page; save the file under static/ and link to it instead"
    } else {
        "which would run a script in the reader's browser; link to an https:// address instead"
    };
    Some(format!(
        "the address of this {what} starts with {scheme}:, {why}"
    ))
}

/// `javascript`, `vbscript` or `data` when a browser would read `url` with that scheme.
fn dangerous_scheme(url: &str) -> Option<&'static str> {
    let mut letters = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    let scheme: String = letters
        .by_ref()
        .take_while(|&c| c != ':')
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript", "vbscript", "data"]
        .into_iter()
        .find(|s| *s == scheme && url.contains(':'))
}

/// `value` with numeric character references (`&#106;`, `&#x6A`, with or without `;`) and the
/// named ones that can hide a scheme (`&colon;`, `&Tab;`, `&NewLine;`, `&amp;`) decoded.
fn decode_references(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (decoded, used) = decode_one(rest);
        match decoded {
            Some(c) => out.push(c),
            None => out.push('&'),
        }
        rest = &rest[used.max(1)..];
    }
    out.push_str(rest);
    out
}

/// The character a reference at the start of `s` (which starts with `&`) stands for, and how
/// many bytes it takes.
fn decode_one(s: &str) -> (Option<char>, usize) {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let hex = matches!(b.get(2), Some(b'x' | b'X'));
        let start = if hex { 3 } else { 2 };
        let end = start
            + s[start..]
                .bytes()
                .take_while(|c| {
                    if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    }
                })
                .count();
        if end == start {
            return (None, 1);
        }
        let code = u32::from_str_radix(&s[start..end], if hex { 16 } else { 10 }).ok();
        let used = end + usize::from(b.get(end) == Some(&b';'));
        return (
            Some(code.and_then(char::from_u32).unwrap_or('\u{FFFD}')),
            used,
        );
    }
    for (name, c) in [
        ("&colon;", ':'),
        ("&tab;", '\t'),
        ("&newline;", '\n'),
        ("&amp;", '&'),
    ] {
        if s.len() >= name.len() && s[..name.len()].eq_ignore_ascii_case(name) {
            return (Some(c), name.len());
        }
    }
    (None, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (the refused text at each finding's offset, its message's start), for `md`.
    fn found(md: &str) -> Vec<(String, String)> {
        unsafe_markup(md)
            .into_iter()
            .map(|u| {
                let at: String = md[u.offset..].chars().take(8).collect();
                let message = u.message.split(':').next().unwrap_or("").to_string();
                (at, message)
            })
            .collect()
    }

    #[test]
    fn scripts_embeds_and_handlers_are_refused() {
        assert_eq!(
            found("文字\n\n<script>alert(1)</script>\n\n<SCRIPT src=x></SCRIPT>\n"),
            [
                (
                    "<script>".to_string(),
                    "<script> is not allowed".to_string()
                ),
                (
                    "<SCRIPT ".to_string(),
                    "<script> is not allowed".to_string()
                )
            ]
        );
        assert_eq!(
            found("看<iframe src=\"https://x\"></iframe>和<img src=x OnError=alert(1)>")
                .into_iter()
                .map(|(at, _)| at)
                .collect::<Vec<_>>(),
            ["<iframe ", "OnError="]
        );
        assert_eq!(
            found("<svg><a><set attributeName=\"href\" to=\"x\"/></a></svg>"),
            [("<set att".to_string(), "<set> is not allowed".to_string())]
        );
        // A tag written over two lines of an HTML block is read whole.
        assert_eq!(
            found("<div\n  onclick=\"x()\">\n文字\n</div>\n")[0].0,
            "onclick="
        );
    }

    #[test]
    fn dangerous_addresses_are_refused_however_written() {
        for md in [
            "[a](javascript:alert(1))",
            "[a](JaVaScRiPt:alert(1))",
            "[a](&#106;avascript:alert(1))",
            "[a](&#x6A;avascript&colon;alert(1))",
            "[a](<\u{1} javascript:alert(1)>)",
            "[a](java&#9;script:alert(1))",
            "[a](vbscript:msgbox)",
            "[a](javascript\\:alert(1))",
            "<javascript:alert(1)>",
            "[a][r]\n\n[r]: javascript:alert(1)",
            "<a href=\"&#106avascript:alert(1)\">a</a>",
            "<a href='  java&Tab;script&colon;x'>a</a>",
            "<a href=\"\u{1}JAVASCRIPT:x\">a</a>",
            "<a href=java&#x0A;script:x>a</a>",
        ] {
            assert_one(md, "script:, which would run a script");
        }
        assert_one(
            "![a](data:image/png;base64,AAAA)",
            "starts with data:, which puts",
        );
        assert_one(
            "<img src=\"DATA:image/png,x\">",
            "starts with data:, which puts",
        );
    }

    /// `md` holds exactly one refused piece, and its message says `why`.
    fn assert_one(md: &str, why: &str) {
        let f = unsafe_markup(md);
        assert!(f.len() == 1 && f[0].message.contains(why), "{md:?}: {f:?}");
    }

    #[test]
    fn plain_text_is_not_parsed_again() {
        assert!(!might_be_unsafe(
            "见[报告](https://example.com/data/x)。数据：2024年，Scripts 与 data 均为文字。"
        ));
        for md in ["a<b", "&#106;", "DATA:", "vbScript:", "java\\:"] {
            assert!(might_be_unsafe(md), "{md:?}");
        }
    }

    #[test]
    fn ordinary_markup_passes() {
        for md in [
            "[a](https://example.com/javascript/)",
            "[a](../data/facts.json)",
            "[data: 2024](https://x)",
            "a < b & c > d，<span class=\"note\">注</span>",
            "<!-- <script> in a comment is not published as a script -->",
            "`<script>` in code",
            "```html\n<script>alert(1)</script>\n```",
            "<img src=\"chart.svg\" alt=\"onload=\">",
            "The script: data: dates are plain text",
            "<a title=\"javascript:\" href=\"/a/\">a</a>",
        ] {
            assert_eq!(unsafe_markup(md), [], "{md:?}");
        }
    }
}
