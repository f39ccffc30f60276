//! What `serve` adds to the pages it sends, and only to those: the live-reload script, the
//! build-error overlay, and the messages of the event stream they listen to.
//!
//! Every page is stamped with the *generation* of the build it shows. The event stream says the
//! current generation when a page connects (`hello`) and after every rebuild (`reload` or
//! `problems`; never `error`, EventSource's own event for a lost connection); a page whose
//! generation differs reloads itself. So a rebuild that lands between sending a page and its
//! connecting still reloads it, and so does a restarted server.

use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::markdown::html_escape;
use crate::serve::http::EVENTS_PATH;

/// One problem of a failed build, as the overlay lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `content/companies/alpha.yaml:11:5`, or just the file when the line is unknown.
    pub location: String,
    /// What to fix.
    pub message: String,
}

impl Problem {
    /// The problem `d`, its file named relative to the site folder `root`.
    pub fn from_diagnostic(d: &Diagnostic, root: &Path) -> Self {
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
        }
    }
}

/// The inline script that reloads the page when the site is rebuilt. `generation` is the build
/// the page shows; it is only ever letters, digits and `-`.
pub fn reload_script(generation: &str) -> String {
    debug_assert!(
        generation
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    );
    format!(
        "<script>/* burnrate serve: live reload (never part of the published site) */\n\
         (function () {{\n\
         \x20 var shown = \"{generation}\";\n\
         \x20 var events = new EventSource(\"{EVENTS_PATH}\");\n\
         \x20 function check(e) {{ if (typeof e.data === \"string\" && e.data !== shown) location.reload(); }}\n\
         \x20 events.addEventListener(\"hello\", check);\n\
         \x20 events.addEventListener(\"reload\", check);\n\
         \x20 events.addEventListener(\"problems\", check);\n\
         }})();\n\
         </script>\n"
    )
}

/// The box that lists the problems of the latest build over the last good one.
pub fn overlay(problems: &[Problem], have_good_build: bool) -> String {
    let mut html = String::from(
        "<div id=\"burnrate-overlay\" role=\"alert\" style=\"position:fixed;z-index:2147483647;\
         left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;box-sizing:border-box;\
         margin:0;padding:1rem 1.25rem;background:#fff;color:#111;border:4px solid #b00020;\
         border-radius:6px;box-shadow:0 6px 30px rgba(0,0,0,.45);text-align:left;\
         font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace\">\n",
    );
    let n = problems.len();
    html.push_str(&format!(
        "<p style=\"margin:0 0 .5rem;font-weight:bold;color:#b00020\">burnrate: the build failed \
         ({n} problem{}). {}</p>\n<ol style=\"margin:0;padding-left:1.5rem\">\n",
        if n == 1 { "" } else { "s" },
        if have_good_build {
            "Below is the last good build."
        } else {
            "There is no good build to show yet."
        }
    ));
    for p in problems {
        html.push_str(&format!(
            "<li style=\"margin:.25rem 0;white-space:pre-wrap\"><code style=\"font:inherit;\
             font-weight:bold;background:none;color:inherit\">{}</code>: {}</li>\n",
            html_escape(&p.location),
            html_escape(&p.message)
        ));
    }
    html.push_str(
        "</ol>\n<p style=\"margin:.5rem 0 0\">Fix the file and save it; this page reloads by \
         itself.</p>\n</div>\n",
    );
    html
}

/// `html` with the reload script before `</body>` and, when the latest build failed, the
/// overlay right after `<body>`; the rest of the page is left exactly as built.
pub fn inject(html: &str, generation: &str, problems: &[Problem]) -> String {
    let lower = html.to_ascii_lowercase();
    let script = reload_script(generation);
    let body_end = lower.rfind("</body").unwrap_or(html.len());
    let mut out = String::with_capacity(html.len() + script.len() + 2048);
    let mut from = 0;
    if !problems.is_empty() {
        let after_body_tag = body_start_tag_end(&lower)
            .filter(|&i| i <= body_end)
            .unwrap_or(0);
        out.push_str(&html[..after_body_tag]);
        out.push_str(&overlay(problems, true));
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
pub fn error_page(generation: &str, problems: &[Problem]) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Build failed · burnrate serve</title>\n</head>\n<body>\n{}{}</body>\n</html>\n",
        overlay(problems, false),
        reload_script(generation)
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
        }
    }

    const PAGE: &str = "<!DOCTYPE html>\n<html>\n<head><title>x</title></head>\n\
                        <body class=\"home\">\n<p>正文</p>\n</body>\n</html>\n";

    #[test]
    fn the_script_goes_before_the_end_of_body_and_nothing_else_changes() {
        let out = inject(PAGE, "g-1", &[]);
        let script = reload_script("g-1");
        assert_eq!(out, PAGE.replace("</body>", &format!("{script}</body>")));
        assert!(script.contains(EVENTS_PATH));
        assert!(script.contains("\"g-1\""));
        assert!(!out.contains("burnrate-overlay"));
    }

    #[test]
    fn pages_without_body_get_the_script_at_the_end() {
        assert_eq!(
            inject("<p>x</p>", "1", &[]),
            format!("<p>x</p>{}", reload_script("1"))
        );
        let upper = inject("<BODY><p>x</p></BODY>", "1", &[problem("a", "b")]);
        assert!(
            upper.starts_with("<BODY><div id=\"burnrate-overlay\""),
            "{upper}"
        );
        assert!(upper.ends_with(&format!("{}</BODY>", reload_script("1"))));
    }

    #[test]
    fn a_failed_build_puts_an_escaped_overlay_first_in_body() {
        let problems = [
            problem(
                "content/companies/alpha.yaml:11:5",
                "revenue: unknown field `currency`",
            ),
            problem("templates/<x>.html", "a & b"),
        ];
        let out = inject(PAGE, "g-2", &problems);
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
        assert!(out.contains("2 problems"));
        assert!(out.contains("<p>正文</p>"));
        assert!(out.contains(&reload_script("g-2")));
    }

    #[test]
    fn the_error_page_stands_alone() {
        let page = error_page("7", &[problem("content/site.yaml:1:1", "bad")]);
        assert!(page.contains("role=\"alert\""));
        assert!(page.contains("no good build"));
        assert!(page.contains("content/site.yaml:1:1</code>: bad"));
        assert!(page.contains(&reload_script("7")));
    }

    #[test]
    fn problems_name_files_relative_to_the_site() {
        let d = Diagnostic::at(
            &PathBuf::from("/tmp/site/content/a.yaml"),
            3,
            7,
            "expected a number",
        );
        let p = Problem::from_diagnostic(&d, Path::new("/tmp/site"));
        assert_eq!(p, problem("content/a.yaml:3:7", "expected a number"));
        let whole = Diagnostic::file(Path::new("content/site.yaml"), "file not found");
        let p = Problem::from_diagnostic(&whole, Path::new("."));
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
