//! What `serve` adds to the pages it sends, and only to those: the live-reload script, the
//! build-error overlay, and the messages of the event stream they listen to.
//!
//! Every page is stamped with the *generation* of the build it shows. The event stream says the
//! current generation when a page connects (`hello`) and after every rebuild (`reload` or
//! `problems`; never `error`, EventSource's own event for a lost connection); a page whose
//! generation differs reloads itself. So a rebuild that lands between sending a page and its
//! connecting still reloads it, and so does a restarted server.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Excerpt};
use crate::html::escape as html_escape;
use crate::serve::http::{EVENTS_PATH, WORKER_PATH};
use crate::strings::Preview;

/// One problem of a failed build, as the overlay lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `content/companies/alpha.yaml:11:5`, or just the file when the line is unknown.
    pub location: String,
    /// What to fix.
    pub message: String,
    /// The line it points at, when known.
    pub excerpt: Option<Excerpt>,
}

/// What the pages of one build are stamped with and show over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Names the build; changes with every rebuild that changes what pages show.
    pub generation: String,
    /// The problems of the latest build; empty when it succeeded.
    pub problems: Vec<Problem>,
    /// The site's language (`zh-CN`), for the page shown when nothing built.
    pub language: String,
    /// The words of the error box, in the site's language.
    pub words: Preview,
}

impl Problem {
    /// The problem `d`, its file named relative to the site folder `root`; `source` is the
    /// file's text, if it could be read, for the excerpt.
    pub fn from_diagnostic(d: &Diagnostic, root: &Path, source: Option<&str>) -> Self {
        let path = d.path.strip_prefix(root).unwrap_or(&d.path);
        let mut location = path.display().to_string();
        if d.line > 0 {
            location.push_str(&format!(":{}", d.line));
            if d.column > 0 {
                location.push_str(&format!(":{}", d.column));
            }
        }
        Problem {
            location,
            message: d.message.clone(),
            excerpt: source.and_then(|src| Excerpt::of(src, d.line, d.column)),
        }
    }
}

/// The inline script that reloads the page when the site is rebuilt (`reload.js`). The page
/// shows `status.generation`, only ever letters, digits and `-`.
pub fn reload_script(status: &Status) -> String {
    let generation = &status.generation;
    debug_assert!(
        generation
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    );
    let refused = serde_json::to_string(&status.words.refused)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let script = include_str!("reload.js")
        .replace("__GENERATION__", generation)
        .replace("__EVENTS__", EVENTS_PATH)
        .replace("__WORKER__", WORKER_PATH)
        .replace("__REFUSED__", &refused);
    format!("<script>{script}</script>\n")
}

/// The shared worker that keeps one event stream for every preview tab (`worker.js`).
pub fn worker_script() -> String {
    include_str!("worker.js").replace("__EVENTS__", EVENTS_PATH)
}

/// The box that lists the problems of the latest build over the last good one, in the site's
/// language. It can be closed, fits a 360 px phone (long locations wrap; a code line scrolls
/// sideways rather than wrap under its caret) and shows each problem's line with a caret.
pub fn overlay(status: &Status, have_good_build: bool) -> String {
    let words = &status.words;
    let mut html = String::from(
        "<div id=\"burnrate-overlay\" role=\"alert\" style=\"position:fixed;z-index:2147483647;\
         left:.5rem;right:.5rem;bottom:.5rem;max-height:70vh;overflow:auto;box-sizing:border-box;\
         margin:0;padding:.75rem 1rem;background:#fff;color:#111;border:4px solid #b00020;\
         border-radius:6px;box-shadow:0 6px 30px rgba(0,0,0,.45);text-align:left;\
         overflow-wrap:anywhere;font:15px/1.5 system-ui,sans-serif\">\n",
    );
    html.push_str(&format!(
        "<button type=\"button\" onclick=\"this.parentNode.remove()\" style=\"float:right;\
         margin:0 0 .5rem .5rem;padding:.25rem .75rem;font:inherit;color:#111;background:#eee;\
         border:1px solid #767676;border-radius:4px;cursor:pointer\">{}</button>\n",
        html_escape(&words.close)
    ));
    html.push_str(&format!(
        "<p style=\"margin:0 0 .5rem;font-weight:bold;color:#b00020\">{}</p>\n\
         <p style=\"margin:0 0 .5rem\">{}</p>\n<ol style=\"margin:0;padding-left:1.5rem\">\n",
        html_escape(
            &words
                .build_failed
                .replace("{n}", &status.problems.len().to_string())
        ),
        html_escape(if have_good_build {
            &words.last_good
        } else {
            &words.no_good_build
        })
    ));
    for p in &status.problems {
        html.push_str(&format!(
            "<li style=\"margin:.5rem 0\"><code style=\"font:bold 14px/1.4 ui-monospace,\
             SFMono-Regular,Menlo,Consolas,monospace;background:none;color:inherit\">{}</code>: \
             {}",
            html_escape(&p.location),
            html_escape(&p.message)
        ));
        if let Some(e) = &p.excerpt {
            html.push_str(&code_frame(e));
        }
        html.push_str("</li>\n");
    }
    html.push_str(&format!(
        "</ol>\n<p style=\"margin:.5rem 0 0\">{}</p>\n</div>\n",
        html_escape(&words.fix_and_save)
    ));
    html
}

/// A problem's line and a caret under its column. The caret line repeats the text before the
/// column invisibly, so the caret lines up whatever the font makes of wide characters and tabs.
fn code_frame(e: &Excerpt) -> String {
    format!(
        "<pre style=\"margin:.25rem 0 0;padding:.25rem .5rem;overflow-x:auto;background:#f4f4f4;\
         color:#111;font:14px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;\
         white-space:pre;overflow-wrap:normal\"><span style=\"color:#555\" aria-hidden=\"true\">\
         {line} | </span>{text}\n<span aria-hidden=\"true\"><span style=\"visibility:hidden\">\
         {line} | {before}</span><b style=\"color:#b00020\">^</b></span></pre>",
        line = e.line,
        text = html_escape(&e.text),
        before = html_escape(e.before_column()),
    )
}

/// `html` with the reload script before `</body>` and, when the latest build failed, the
/// overlay right after `<body>`; the rest of the page is left exactly as built.
pub fn inject(html: &str, status: &Status) -> String {
    let lower = html.to_ascii_lowercase();
    let script = reload_script(status);
    let body_end = lower.rfind("</body").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + script.len() + 4096);
    let mut from = 0;
    if !status.problems.is_empty() {
        let after_body_tag = body_start_tag_end(&lower)
            .filter(|&i| i <= body_end)
            .unwrap_or(0);
        out.push_str(&html[..after_body_tag]);
        out.push_str(&overlay(status, true));
        from = after_body_tag;
    }
    out.push_str(&html[from..body_end]);
    out.push_str(&script);
    out.push_str(&html[body_end..]);
    out
}
/// The byte just after the `<body …>` tag of lower-cased `html`.
fn body_start_tag_end(lower: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = lower[from..].find("<body") {
        let start = from + i;
        let after = start + "<body".len();
        match lower.as_bytes().get(after) {
            Some(b'>') => return Some(after + 1),
            Some(c) if c.is_ascii_whitespace() || *c == b'/' => {
                return lower[after..].find('>').map(|j| after + j + 1);
            }
            _ => from = after,
        }
    }
    None
}

/// The page every path shows while the site has never built: the problems, and the script that
/// reloads it once they are fixed.
pub fn error_page(status: &Status) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · burnrate serve</title>\n</head>\n<body>\n{}{}</body>\n</html>\n",
        html_escape(&status.language),
        html_escape(
            &status
                .words
                .build_failed
                .replace("{n}", &status.problems.len().to_string())
        ),
        overlay(status, false),
        reload_script(status)
    )
}

/// One Server-Sent Events message: `event: <event>` and `data: <data>` (one `data:` line per
/// line of `data`; a message without data is never delivered to the page).
pub fn sse_event(event: &str, data: &str) -> String {
    let mut msg = format!("event: {event}\n");
    for line in data.split('\n') {
        msg.push_str(&format!("data: {line}\n"));
    }
    msg.push('\n');
    msg
}

/// The first message of every stream: reconnect after 1 s if it breaks, and the current
/// generation.
pub fn sse_hello(generation: &str) -> String {
    format!("retry: 1000\n{}", sse_event("hello", generation))
}

/// A comment the page ignores; sent now and then so dead connections are found and dropped.
pub const SSE_PING: &str = ": ping\n\n";

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn problem(location: &str, message: &str) -> Problem {
        Problem {
            location: location.into(),
            message: message.into(),
            excerpt: None,
        }
    }

    fn status(generation: &str, problems: Vec<Problem>) -> Status {
        Status {
            generation: generation.into(),
            problems,
            language: "en".into(),
            words: Preview::default(),
        }
    }

    const PAGE: &str = "<!DOCTYPE html>\n<html>\n<head><title>x</title></head>\n\
                        <body class=\"home\">\n<p>正文</p>\n</body>\n</html>\n";

    #[test]
    fn the_script_goes_before_the_end_of_body_and_nothing_else_changes() {
        let ok = status("g-1", vec![]);
        let out = inject(PAGE, &ok);
        let script = reload_script(&ok);
        assert_eq!(out, PAGE.replace("</body>", &format!("{script}</body>")));
        assert!(script.contains(&format!("new EventSource(\"{EVENTS_PATH}\")")));
        assert!(script.contains(&format!("new SharedWorker(\"{WORKER_PATH}\")")));
        assert!(script.contains("var shown = \"g-1\";"));
        for placeholder in ["__GENERATION__", "__EVENTS__", "__WORKER__", "__REFUSED__"] {
            assert!(!script.contains(placeholder), "{placeholder} left");
        }
        assert!(!out.contains("burnrate-overlay"));
    }

    #[test]
    fn the_refused_note_cannot_end_the_script() {
        let mut s = status("g", vec![]);
        s.words.refused = "</script><b>\"x\"".into();
        let script = reload_script(&s);
        assert!(script.contains(r#"note.textContent = "\u003c/script>\u003cb>\"x\"";"#));
        assert_eq!(script.matches("</script>").count(), 1);
    }

    #[test]
    fn the_worker_keeps_one_stream_for_every_tab() {
        let worker = worker_script();
        assert_eq!(worker.matches("new EventSource(").count(), 1);
        assert!(worker.contains(&format!("new EventSource(\"{EVENTS_PATH}\")")));
        assert!(worker.contains("onconnect"));
        for event in ["hello", "reload", "problems"] {
            assert!(worker.contains(&format!("\"{event}\"")), "{event}");
        }
    }

    #[test]
    fn pages_without_body_get_the_script_at_the_end() {
        let ok = status("1", vec![]);
        assert_eq!(
            inject("<p>x</p>", &ok),
            format!("<p>x</p>{}", reload_script(&ok))
        );
        let failed = status("1", vec![problem("a", "b")]);
        let upper = inject("<BODY><p>x</p></BODY>", &failed);
        assert!(
            upper.starts_with("<BODY><div id=\"burnrate-overlay\""),
            "{upper}"
        );
        assert!(upper.ends_with(&format!("{}</BODY>", reload_script(&failed))));
    }

    #[test]
    fn a_failed_build_puts_an_escaped_overlay_first_in_body() {
        let failed = status(
            "g-2",
            vec![
                problem(
                    "content/companies/alpha.yaml:11:5",
                    "revenue: unknown field `currency`",
                ),
                problem("templates/<x>.html", "a & b"),
            ],
        );
        let out = inject(PAGE, &failed);
        let overlay_at = out
            .find("<div id=\"burnrate-overlay\" role=\"alert\"")
            .unwrap();
        let body_tag_end =
            PAGE.find("<body class=\"home\">").unwrap() + "<body class=\"home\">".len();
        assert_eq!(overlay_at, body_tag_end, "overlay not right after <body>");
        assert_eq!(&out[..overlay_at], &PAGE[..body_tag_end]);
        assert!(out.contains("position:fixed"));
        assert!(out.contains(
            "content/companies/alpha.yaml:11:5</code>: revenue: unknown field `currency`"
        ));
        assert!(out.contains("templates/&lt;x&gt;.html</code>: a &amp; b"));
        assert!(out.contains("The build failed. Problems found: 2"));
        assert!(out.contains("Below is the last good build."));
        assert!(out.contains("<p>正文</p>"));
        assert!(out.contains(&reload_script(&failed)));
    }

    #[test]
    fn the_box_closes_wraps_and_speaks_the_site_language() {
        let mut failed = status("g", vec![problem("content/a.yaml:1:1", "x")]);
        failed.words.build_failed = "构建失败，共 {n} 处问题".into();
        failed.words.close = "关闭".into();
        let html = overlay(&failed, true);
        assert!(html.contains("构建失败，共 1 处问题"), "{html}");
        assert!(
            html.contains("<button type=\"button\" onclick=\"this.parentNode.remove()\" style=")
        );
        assert!(html.contains(">关闭</button>"));
        assert!(
            html.contains("overflow-wrap:anywhere"),
            "long locations wrap"
        );
        assert!(
            html.contains("left:.5rem;right:.5rem"),
            "never wider than the screen"
        );
    }

    #[test]
    fn the_box_shows_the_line_with_a_caret_under_the_column() {
        let d = Diagnostic::at(Path::new("content/a.yaml"), 2, 5, "unknown field `x`");
        let p = Problem::from_diagnostic(&d, Path::new("."), Some("a: 1\n标题 <x>: 2\n"));
        let html = overlay(&status("g", vec![p]), true);
        assert!(
            html.contains(
                "2 | </span>标题 &lt;x&gt;: 2\n<span aria-hidden=\"true\"><span \
                 style=\"visibility:hidden\">2 | 标题 &lt;</span><b style=\"color:#b00020\">^</b>"
            ),
            "{html}"
        );
        assert!(
            html.contains("overflow-x:auto"),
            "the code line scrolls, never wraps"
        );
    }

    #[test]
    fn the_error_page_stands_alone() {
        let mut failed = status("7", vec![problem("content/site.yaml:1:1", "bad")]);
        failed.language = "zh-CN".into();
        let page = error_page(&failed);
        assert!(page.contains("<html lang=\"zh-CN\">"));
        assert!(page.contains("role=\"alert\""));
        assert!(page.contains("There is no good build to show yet."));
        assert!(page.contains("content/site.yaml:1:1</code>: bad"));
        assert!(page.contains(&reload_script(&failed)));
    }

    #[test]
    fn problems_name_files_relative_to_the_site() {
        let d = Diagnostic::at(
            &PathBuf::from("/tmp/site/content/a.yaml"),
            3,
            7,
            "expected a number",
        );
        let p = Problem::from_diagnostic(&d, Path::new("/tmp/site"), None);
        assert_eq!(p, problem("content/a.yaml:3:7", "expected a number"));
        let whole = Diagnostic::file(Path::new("content/site.yaml"), "file not found");
        let p = Problem::from_diagnostic(&whole, Path::new("."), Some("title: x\n"));
        assert_eq!(p, problem("content/site.yaml", "file not found"));
    }

    #[test]
    fn event_stream_messages() {
        assert_eq!(sse_event("reload", "a-3"), "event: reload\ndata: a-3\n\n");
        assert_eq!(
            sse_event("problems", "x\ny"),
            "event: problems\ndata: x\ndata: y\n\n"
        );
        assert_eq!(sse_hello("a-1"), "retry: 1000\nevent: hello\ndata: a-1\n\n");
        assert!(SSE_PING.starts_with(':') && SSE_PING.ends_with("\n\n"));
    }
}
