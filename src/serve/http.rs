//! The HTTP side of `serve` that needs no socket: the request line, which file of the built site
//! a request path names, and the head of a response.

use memchr::memmem;

use crate::urlpath;

/// The Server-Sent Events stream open pages listen on. It lies outside any base path a site
/// can have (`__burnrate` is no page of the site), so it never shadows a published file.
pub const EVENTS_PATH: &str = "/__burnrate/events";

/// The shared worker that keeps one event stream for all of a browser's preview tabs; beside
/// the stream, outside the site.
pub const WORKER_PATH: &str = "/__burnrate/worker.js";

/// The most a request head (request line and headers) may take, in bytes.
pub const MAX_HEAD: u64 = 16 * 1024;

/// A request line: `GET /ai-bubble/ HTTP/1.1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The request target as sent: a path, maybe with `?query`.
    pub target: String,
}

/// A request head: the request line and the one header `serve` reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    /// The request line.
    pub line: RequestLine,
    /// The `Host` header, if there is exactly one.
    pub host: Option<String>,
}

/// The length of the request head at the start of `bytes` (through the blank line that ends
/// it), once it has all arrived.
pub fn head_len(bytes: &[u8]) -> Option<usize> {
    let crlf = memmem::find(bytes, b"\r\n\r\n").map(|i| i + 4);
    let lf = memmem::find(bytes, b"\n\n").map(|i| i + 2);
    crlf.into_iter().chain(lf).min()
}

/// Parses a complete request head; `None` when the request line is malformed or not UTF-8.
/// Other headers may hold any bytes (a cookie another program set for `localhost`, say): only
/// `Host` is read, and a `Host` that is not UTF-8 names no host.
pub fn parse_head(bytes: &[u8]) -> Option<RequestHead> {
    let mut lines = bytes.split(|&b| b == b'\n');
    let line = parse_request_line(std::str::from_utf8(lines.next()?).ok()?)?;
    let mut hosts = lines.filter_map(|header| {
        let colon = header.iter().position(|&b| b == b':')?;
        let (name, value) = header.split_at(colon);
        name.eq_ignore_ascii_case(b"host")
            .then(|| std::str::from_utf8(&value[1..]).map(|v| v.trim().to_string()))
    });
    let host = match (hosts.next(), hosts.next()) {
        (Some(Ok(host)), None) => Some(host),
        _ => None,
    };
    Some(RequestHead { line, host })
}

/// Parses a request line; `None` when it is not `METHOD TARGET HTTP/1.x`.
pub fn parse_request_line(line: &str) -> Option<RequestLine> {
    let mut parts = line.split_whitespace();
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !version.starts_with("HTTP/1.") {
        return None;
    }
    Some(RequestLine {
        method: method.to_string(),
        target: target.to_string(),
    })
}

/// What a request path asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The live-reload event stream.
    Events,
    /// The shared worker's script.
    Worker,
    /// A file of the built site, by its output path (`sections/intro/index.html`).
    File(String),
    /// Go elsewhere: `301` when `permanent`, else `302`.
    Redirect {
        /// Whether the move is permanent.
        permanent: bool,
        /// Where to.
        location: String,
    },
    /// No such file: answered with the site's 404 page.
    NotFound,
    /// A malformed or dangerous path (`..`, bad percent-encoding).
    BadRequest,
}

/// Maps a request target to a file of the site published under `base_path` (`/ai-bubble/`),
/// where `exists` says whether an output path is part of the built site.
///
/// Only output paths for which `exists` holds are ever returned, so nothing outside the built
/// site can be served; `..` and `.` segments are refused outright, before or after
/// percent-decoding.
pub fn route(target: &str, base_path: &str, exists: impl Fn(&str) -> bool) -> Route {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    if !path.starts_with('/') {
        return Route::BadRequest;
    }
    if path == EVENTS_PATH {
        return Route::Events;
    }
    if path == WORKER_PATH {
        return Route::Worker;
    }
    let keep_query = |location: String| match query {
        Some(q) => format!("{location}?{q}"),
        None => location,
    };
    if path == "/" && base_path != "/" {
        return Route::Redirect {
            permanent: false,
            location: base_path.to_string(),
        };
    }
    if format!("{path}/") == base_path {
        return Route::Redirect {
            permanent: true,
            location: keep_query(base_path.to_string()),
        };
    }
    let Some(rest) = path.strip_prefix(base_path) else {
        return Route::NotFound;
    };
    if has_dot_segment(rest) {
        return Route::BadRequest;
    }
    let Ok(decoded) = urlpath::decode(rest) else {
        return Route::BadRequest;
    };
    if has_dot_segment(&decoded) || decoded.contains(['\\', '\0']) {
        return Route::BadRequest;
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        let index = format!("{decoded}index.html");
        return if exists(&index) {
            Route::File(index)
        } else {
            Route::NotFound
        };
    }
    if exists(&decoded) {
        Route::File(decoded)
    } else if exists(&format!("{decoded}/index.html")) {
        Route::Redirect {
            permanent: true,
            location: keep_query(format!("{path}/")),
        }
    } else {
        Route::NotFound
    }
}

fn has_dot_segment(path: &str) -> bool {
    path.split('/').any(|s| s == "." || s == "..")
}

/// The `Content-Type` of an output file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "ico" => "image/x-icon",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Whether an output file is an HTML page (and so gets the live-reload script).
pub fn is_html(path: &str) -> bool {
    content_type(path).starts_with("text/html")
}

/// The head of a response whose body is `length` bytes; the connection closes after it.
pub fn response_head(
    status: u16,
    content_type: &str,
    length: usize,
    extra: &[(&str, &str)],
) -> String {
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
        reason(status)
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head
}

/// The head of the event stream, which has no length: it lasts until either side closes it.
pub const EVENTS_HEAD: &str = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\
                               Cache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        500 => "Internal Server Error",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: [&str; 6] = [
        "index.html",
        "404.html",
        "style.css",
        "sections/intro/index.html",
        "图表/说明.txt",
        "a b.txt",
    ];

    fn at(target: &str, base: &str) -> Route {
        route(target, base, |p| FILES.contains(&p))
    }

    fn file(p: &str) -> Route {
        Route::File(p.to_string())
    }

    fn redirect(permanent: bool, location: &str) -> Route {
        Route::Redirect {
            permanent,
            location: location.to_string(),
        }
    }

    #[test]
    fn request_lines() {
        assert_eq!(
            parse_request_line("GET /x/?a=1 HTTP/1.1\r\n"),
            Some(RequestLine {
                method: "GET".into(),
                target: "/x/?a=1".into()
            })
        );
        assert_eq!(parse_request_line("GET /x/\r\n"), None);
        assert_eq!(parse_request_line("GET /x/ SPDY/3\r\n"), None);
        assert_eq!(parse_request_line("GET / x HTTP/1.1\r\n"), None);
        assert_eq!(parse_request_line(""), None);
    }

    #[test]
    fn request_heads_end_at_a_blank_line_and_name_one_host() {
        let head = b"GET /a/ HTTP/1.1\r\nhost: localhost:1111\r\nAccept: */*\r\n\r\n";
        assert_eq!(head_len(head), Some(head.len()));
        assert_eq!(head_len(&head[..head.len() - 1]), None, "half a head");
        assert_eq!(head_len(b"GET / HTTP/1.0\n\nrest"), Some(16));
        assert_eq!(
            parse_head(head),
            Some(RequestHead {
                line: RequestLine {
                    method: "GET".into(),
                    target: "/a/".into()
                },
                host: Some("localhost:1111".into())
            })
        );
        let no_host = parse_head(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        assert_eq!(no_host.host, None);
        let two = parse_head(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").unwrap();
        assert_eq!(two.host, None, "two Host headers name no host");
        assert_eq!(parse_head(b"GET /\xff HTTP/1.1\r\n\r\n"), None);
        let cookie = parse_head(b"GET / HTTP/1.1\r\nCookie: \xe9t\xe9\r\nHost: [::1]\r\n\r\n");
        assert_eq!(
            cookie.unwrap().host.as_deref(),
            Some("[::1]"),
            "other bytes ignored"
        );
        let latin1 = parse_head(b"GET / HTTP/1.1\r\nHost: \xe9\r\n\r\n").unwrap();
        assert_eq!(latin1.host, None);
        assert_eq!(parse_head(b"\r\n\r\n"), None);
    }

    #[test]
    fn paths_under_the_base_path_name_output_files() {
        let base = "/ai-bubble/";
        assert_eq!(at("/ai-bubble/", base), file("index.html"));
        assert_eq!(at("/ai-bubble/?utm=x", base), file("index.html"));
        assert_eq!(at("/ai-bubble/style.css?v=abc", base), file("style.css"));
        assert_eq!(
            at("/ai-bubble/sections/intro/", base),
            file("sections/intro/index.html")
        );
        assert_eq!(
            at("/ai-bubble/sections/intro/index.html", base),
            file("sections/intro/index.html")
        );
        assert_eq!(
            at("/ai-bubble/%E5%9B%BE%E8%A1%A8/%E8%AF%B4%E6%98%8E.txt", base),
            file("图表/说明.txt")
        );
        assert_eq!(at("/ai-bubble/a%20b.txt", base), file("a b.txt"));
        assert_eq!(at("/", "/"), file("index.html"));
        assert_eq!(at("/style.css", "/"), file("style.css"));
    }

    #[test]
    fn redirects_to_the_base_path_and_to_folders() {
        let base = "/ai-bubble/";
        assert_eq!(at("/", base), redirect(false, "/ai-bubble/"));
        assert_eq!(at("/ai-bubble", base), redirect(true, "/ai-bubble/"));
        assert_eq!(
            at("/ai-bubble?x=1", base),
            redirect(true, "/ai-bubble/?x=1")
        );
        assert_eq!(
            at("/ai-bubble/sections/intro", base),
            redirect(true, "/ai-bubble/sections/intro/")
        );
        assert_eq!(
            at("/ai-bubble/sections/intro?x", base),
            redirect(true, "/ai-bubble/sections/intro/?x")
        );
    }

    #[test]
    fn unknown_paths_are_not_found() {
        let base = "/ai-bubble/";
        assert_eq!(at("/ai-bubble/nope/", base), Route::NotFound);
        assert_eq!(at("/ai-bubble/nope", base), Route::NotFound);
        assert_eq!(at("/ai-bubble/sections/", base), Route::NotFound);
        assert_eq!(at("/other/index.html", base), Route::NotFound);
        assert_eq!(at("/index.html", base), Route::NotFound);
        assert_eq!(at("/ai-bubble//index.html", base), Route::NotFound);
    }

    #[test]
    fn traversal_and_bad_encoding_are_refused() {
        let base = "/ai-bubble/";
        for target in [
            "/ai-bubble/../Cargo.toml",
            "/ai-bubble/%2e%2e/Cargo.toml",
            "/ai-bubble/%2E%2E%2FCargo.toml",
            "/ai-bubble/sections/../../Cargo.toml",
            "/ai-bubble/./index.html",
            "/ai-bubble/..%5cCargo.toml",
            "/ai-bubble/%ff.html",
            "/ai-bubble/%zz",
            "/ai-bubble/%2",
            "/ai-bubble/%00",
            "ai-bubble/",
            "http://example.com/ai-bubble/",
        ] {
            assert_eq!(at(target, base), Route::BadRequest, "{target}");
        }
        // Outside the base path nothing is served at all.
        assert_eq!(at("/../Cargo.toml", base), Route::NotFound);
    }

    #[test]
    fn the_event_stream_and_its_worker_are_outside_the_site() {
        assert_eq!(at(EVENTS_PATH, "/ai-bubble/"), Route::Events);
        assert_eq!(at(EVENTS_PATH, "/"), Route::Events);
        assert_eq!(at(WORKER_PATH, "/ai-bubble/"), Route::Worker);
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("charts/x.svg"), "image/svg+xml");
        assert_eq!(content_type("data/facts.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("data/facts.json"), "application/json");
        assert_eq!(content_type("fonts/x.WOFF2"), "font/woff2");
        assert_eq!(content_type(".nojekyll"), "application/octet-stream");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
        assert!(is_html("404.html"));
        assert!(!is_html("style.css"));
    }

    #[test]
    fn response_heads_forbid_caching_and_close() {
        let head = response_head(301, "text/plain", 0, &[("Location", "/x/")]);
        assert_eq!(
            head,
            "HTTP/1.1 301 Moved Permanently\r\nContent-Type: text/plain\r\nContent-Length: 0\r\n\
             Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\
             Location: /x/\r\n\r\n"
        );
    }
}
