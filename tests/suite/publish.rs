//! Publishing on GitHub Pages: the built site served under a subpath (and at a domain root) on
//! loopback, every URL fetched; feed and sitemap parsed against the pages; CNAME and .nojekyll.

use std::collections::{BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::thread;

use crate::common::{fixture, link_values, snapshot};

/// A static file server like GitHub Pages: the folder `dir` is served under `prefix`
/// (`/sub/path/`), folders answer with their `index.html`, anything else with `404.html` and
/// status 404. Runs on a thread for the rest of the test process.
fn serve(dir: PathBuf, prefix: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            answer(stream, &dir, prefix);
        }
    });
    port
}

fn answer(mut stream: TcpStream, dir: &Path, prefix: &str) {
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // Drain the headers.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("");
    let file = path
        .strip_prefix(prefix)
        .and_then(|rest| burnrate::urlpath::decode(rest).ok())
        .filter(|rest| !rest.split('/').any(|s| s == ".."))
        .map(|rest| {
            let p = dir.join(rest);
            if p.is_dir() { p.join("index.html") } else { p }
        })
        .filter(|p| p.is_file());
    let (status, body) = match file {
        Some(p) => ("200 OK", std::fs::read(p).unwrap()),
        None => (
            "404 Not Found",
            std::fs::read(dir.join("404.html")).unwrap_or_default(),
        ),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// GETs `path` from the server; returns the status code and body.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

/// Resolves `link` found on page `page` (a server path) to a server path, or `None` for links
/// to other sites.
fn resolve(link: &str, page: &str, base_url: &str, prefix: &str) -> Option<String> {
    if let Some(rest) = link.strip_prefix(base_url) {
        return Some(format!("{prefix}{rest}"));
    }
    if link.contains("://") || link.starts_with("mailto:") {
        return None;
    }
    if link.starts_with('/') {
        return Some(link.to_string());
    }
    let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
    let mut parts: Vec<&str> = Vec::new();
    let joined = format!("{dir}{link}");
    for seg in joined.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." => {}
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Crawls the site from `prefix` and returns every problem: a URL that does not answer 200, or a
/// `#fragment` with no matching `id`.
fn crawl(port: u16, base_url: &str, prefix: &str, extra_start: &[&str]) -> (usize, Vec<String>) {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    queue.push_back((prefix.to_string(), "start".into()));
    for s in extra_start {
        queue.push_back((s.to_string(), "start".into()));
    }
    let mut problems = Vec::new();
    while let Some((url, from)) = queue.pop_front() {
        let (path, fragment) = match url.split_once('#') {
            Some((p, f)) => (p.to_string(), Some(f.to_string())),
            None => (url.clone(), None),
        };
        if !seen.insert(url.clone()) {
            continue;
        }
        let (status, body) = get(port, &path);
        let deliberate_404 = path.contains("no-such");
        if status != 200 && !deliberate_404 {
            problems.push(format!("{from}: {url} answered {status}"));
            continue;
        }
        if let Some(f) = fragment.filter(|f| !f.is_empty())
            && !body.contains(&format!("id=\"{f}\""))
        {
            problems.push(format!("{from}: {url}: no id \"{f}\""));
        }
        if path.ends_with('/') || path.ends_with(".html") || path.contains("no-such") {
            for link in link_values(&body) {
                let (without, fragment) = match link.split_once('#') {
                    Some((l, f)) => (l, format!("#{f}")),
                    None => (link.as_str(), String::new()),
                };
                let target = if without.is_empty() {
                    Some(path.clone())
                } else {
                    resolve(without, &path, base_url, prefix)
                };
                if let Some(target) = target {
                    let target = target.split('?').next().unwrap_or("").to_string();
                    queue.push_back((format!("{target}{fragment}"), path.clone()));
                }
            }
        }
    }
    (seen.len(), problems)
}

#[test]
fn a_subpath_build_served_from_its_subpath_has_no_broken_url() {
    let site = fixture("minimal");
    let base_url = "https://news.example.org/sub/path/";
    site.build_with(None, Some(base_url)).expect("builds");
    let port = serve(site.public(), "/sub/path/");
    // The 404 page must work at any depth: GitHub Pages serves it for every missing path.
    let (fetched, problems) = crawl(
        port,
        base_url,
        "/sub/path/",
        &["/sub/path/a/b/c/no-such/", "/sub/path/no-such.html"],
    );
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(fetched > 20, "only {fetched} URLs crawled");
    let (status, body) = get(port, "/sub/path/deep/no-such/page/");
    assert_eq!(status, 404);
    assert!(
        body.contains("/sub/path/style.css?v="),
        "404 page links its stylesheet absolutely"
    );
}

#[test]
fn a_root_build_served_from_the_root_has_no_broken_url() {
    let site = fixture("minimal");
    let base_url = "https://news.example.org/";
    site.build_with(None, Some(base_url)).expect("builds");
    let port = serve(site.public(), "/");
    let (fetched, problems) = crawl(port, base_url, "/", &["/x/y/no-such/"]);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(fetched > 20, "only {fetched} URLs crawled");
}

#[test]
fn sitemap_and_feed_match_the_pages() {
    let site = fixture("minimal");
    let base_url = "https://u.github.io/ai-bubble/";
    site.build_with(None, Some(base_url)).expect("builds");
    let public = site.public();
    let pages: BTreeSet<String> = snapshot(&public)
        .keys()
        .filter_map(|p| {
            p.to_str()?
                .strip_suffix("index.html")
                .map(|p| format!("{base_url}{p}"))
        })
        // Embed pages are for iframes, not for search.
        .filter(|url| !url.starts_with(&format!("{base_url}embed/")))
        .collect();

    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap is XML");
    assert_eq!(
        doc.root_element().tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    assert_eq!(
        locs, pages,
        "the sitemap lists exactly the pages (not 404, not embeds)"
    );

    let feed = std::fs::read_to_string(public.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).expect("feed is XML");
    let atom = "http://www.w3.org/2005/Atom";
    assert_eq!(doc.root_element().tag_name().namespace(), Some(atom));
    let entries: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .collect();
    let child = |n: &roxmltree::Node, name: &str| {
        n.children()
            .find(|c| c.has_tag_name((atom, name)))
            .and_then(|c| c.text())
            .unwrap_or("")
            .to_string()
    };
    let ids: Vec<String> = entries.iter().map(|e| child(e, "id")).collect();
    assert_eq!(
        ids,
        [
            format!("{base_url}sections/intro/"),
            format!("{base_url}sections/market/"),
            format!("{base_url}sections/market/#note-1"),
        ],
        "one entry per published section, in order, its URL as a stable id, then one per \
         correction, at its note"
    );
    for (e, id) in entries.iter().zip(&ids) {
        let page = id.split('#').next().unwrap_or(id);
        assert!(pages.contains(page), "{id} is not a page");
        assert!(!child(e, "title").is_empty());
        assert!(
            child(e, "updated").ends_with("T00:00:00Z"),
            "{}",
            child(e, "updated")
        );
    }
    assert_eq!(
        child(&entries[1], "updated"),
        "2024-05-07T00:00:00Z",
        "a revised section's date"
    );
    let self_link = doc
        .descendants()
        .find(|n| n.has_tag_name((atom, "link")) && n.attribute("rel") == Some("self"))
        .and_then(|n| n.attribute("href"));
    assert_eq!(self_link, Some(format!("{base_url}feed.xml").as_str()));
    let home = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(home.contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
}

#[test]
fn github_pages_files() {
    let site = fixture("minimal");
    site.build_with(None, Some("https://u.github.io/ai-bubble/"))
        .unwrap();
    assert!(site.public().join(".nojekyll").is_file());
    assert!(
        !site.public().join("CNAME").exists(),
        "no CNAME on github.io"
    );
    site.build_with(None, Some("https://news.example.org/ai/"))
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(site.public().join("CNAME")).unwrap(),
        "news.example.org\n"
    );
    let robots = std::fs::read_to_string(site.public().join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://news.example.org/ai/sitemap.xml"),
        "{robots}"
    );
}
