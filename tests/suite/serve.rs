//! `burnrate serve`: the real binary over real sockets, with a small HTTP client.
//!
//! Every wait is bounded (a number of retries, a socket timeout, a deadline) and no test
//! asserts how fast anything happens.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::{TempSite, fixture};

/// The base path of the minimal fixture (`base_url: https://example.org/mini/`).
const BASE: &str = "/mini/";
/// The live-reload event stream.
const EVENTS: &str = "/__burnrate/events";
/// The longest any one read from the server may take.
const READ_TIMEOUT: Duration = Duration::from_secs(20);
/// The longest a wait for an event or a line of output may take in all.
const DEADLINE: Duration = Duration::from_secs(60);

/// A running `burnrate serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    output: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts `burnrate serve` on `site` and waits until it answers.
    fn start(site: &TempSite) -> Server {
        Server::start_with(site, &[])
    }

    /// Starts `burnrate serve` on `site` with more command-line arguments.
    fn start_with(site: &TempSite, args: &[&str]) -> Server {
        // A port found free may be taken before the server binds it: then try another.
        for _ in 0..3 {
            let mut server = Server::spawn(site, free_port(), args);
            if server.wait_until_up() {
                return server;
            }
        }
        panic!("burnrate serve did not start on any of 3 ports");
    }

    fn spawn(site: &TempSite, port: u16, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_burnrate"))
            .arg("serve")
            .arg("--root")
            .arg(site.root())
            .args(["--port", &port.to_string()])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start burnrate serve");
        let output = Arc::new(Mutex::new(String::new()));
        let stdout: Box<dyn Read + Send> = Box::new(child.stdout.take().expect("stdout"));
        let stderr: Box<dyn Read + Send> = Box::new(child.stderr.take().expect("stderr"));
        for pipe in [stdout, stderr] {
            let output = Arc::clone(&output);
            thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    let mut out = output.lock().unwrap();
                    out.push_str(&line);
                    out.push('\n');
                }
            });
        }
        Server {
            child,
            port,
            output,
        }
    }

    /// Polls until the server says it listens and answers a request; false if it exited (the
    /// port was taken). Waiting for its own words, not for the port to accept, keeps a test
    /// from talking to another test's server on the same port.
    fn wait_until_up(&mut self) -> bool {
        let listening = format!("serving http://127.0.0.1:{}/", self.port);
        for _ in 0..300 {
            if self.child.try_wait().expect("poll child").is_some() {
                thread::sleep(Duration::from_millis(100));
                eprintln!("burnrate serve exited:\n{}", self.output());
                return false;
            }
            if self.output().contains(&listening) {
                let r = self.get(BASE);
                assert!(
                    r.status == 200 || r.status == 500,
                    "{} {}",
                    r.status,
                    r.body
                );
                return true;
            }
            thread::sleep(Duration::from_millis(100));
        }
        panic!("burnrate serve did not answer:\n{}", self.output());
    }

    /// Everything printed so far, stdout and stderr together.
    fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Waits until the terminal output contains `needle` `times` times.
    fn wait_for_output(&self, needle: &str, times: usize) {
        for _ in 0..600 {
            if self.output().matches(needle).count() >= times {
                return;
            }
            thread::sleep(Duration::from_millis(100));
        }
        panic!("no {needle:?} ×{times} in the output:\n{}", self.output());
    }

    fn get(&self, target: &str) -> Response {
        request(self.port, "GET", target)
    }

    /// What `render_site` makes of the site for this server, by output path, but the social
    /// cards, which the preview does not draw.
    fn expected(&self, site: &TempSite) -> BTreeMap<String, Vec<u8>> {
        let url = format!("http://127.0.0.1:{}{BASE}", self.port);
        burnrate::build::render_site(site.root(), Some(&url), true)
            .expect("the site builds")
            .outputs
            .into_iter()
            .filter(|o| !burnrate::render::is_card(&o.path))
            .map(|o| (o.path, o.bytes))
            .collect()
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

#[derive(Debug)]
struct Response {
    status: u16,
    /// The header lines, `Name: value`.
    head: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// One request on a fresh connection; the server closes it after answering.
fn request(port: u16, method: &str, target: &str) -> Response {
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    );
    raw_request(port, &head)
}

/// Sends `head` as it is on a fresh connection and reads the whole answer.
fn raw_request(port: u16, head: &str) -> Response {
    try_raw_request(port, head).unwrap_or_else(|e| panic!("{head}: {e}"))
}

/// [`raw_request`], with the error when the connection fails.
fn try_raw_request(port: u16, head: &str) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.write_all(head.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").expect("a response head");
    let (status_line, head) = head.split_once("\r\n").unwrap_or((head, ""));
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    Ok(Response {
        status,
        head: head.replace("\r\n", "\n"),
        body: body.to_string(),
    })
}

/// An open live-reload event stream.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
        write!(
            stream,
            "GET {EVENTS} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send request");
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("read event stream head");
            if line.trim().is_empty() {
                break;
            }
            head.push_str(&line);
        }
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains("text/event-stream"), "{head}");
        let mut events = Events { reader };
        let (event, _) = events.next();
        assert_eq!(event, "hello");
        events
    }

    /// The next event (name, data), skipping comments (pings).
    fn next(&mut self) -> (String, String) {
        let started = Instant::now();
        let (mut event, mut data) = (String::new(), String::new());
        loop {
            assert!(started.elapsed() < DEADLINE, "no event in {DEADLINE:?}");
            let mut line = String::new();
            let n = self
                .reader
                .read_line(&mut line)
                .unwrap_or_else(|e| panic!("no event within {READ_TIMEOUT:?}: {e}"));
            assert!(n > 0, "the server closed the event stream");
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if !event.is_empty() {
                    return (event, data);
                }
            } else if let Some(v) = line.strip_prefix("event:") {
                event = v.trim().to_string();
            } else if let Some(v) = line.strip_prefix("data:") {
                data = v.trim().to_string();
            }
        }
    }

    /// Waits until the server closes the stream, skipping pings.
    fn closes(&mut self) {
        let mut line = String::new();
        loop {
            line.clear();
            let n = self
                .reader
                .read_line(&mut line)
                .unwrap_or_else(|e| panic!("the stream stayed open for {READ_TIMEOUT:?}: {e}"));
            if n == 0 {
                return;
            }
            assert!(line.starts_with(':') || line.trim().is_empty(), "{line}");
        }
    }

    /// Waits for the next event and checks it is `expected`.
    fn expect(&mut self, expected: &str) {
        let (event, data) = self.next();
        assert_eq!(event, expected, "data: {data}");
    }
}

/// A served page without the live-reload script the server adds.
fn without_reload_script(html: &str) -> String {
    let at = html.find(EVENTS).expect("the live-reload script");
    let start = html[..at].rfind("<script>").expect("<script>");
    let end = at + html[at..].find("</script>\n").expect("</script>") + "</script>\n".len();
    format!("{}{}", &html[..start], &html[end..])
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

#[test]
fn serves_the_site_from_memory_under_its_base_path() {
    let site = fixture("minimal");
    site.write("static/图表/说明.txt", "你好");
    site.write("Cargo.toml", "[package] # not part of the site\n");
    let server = Server::start(&site);
    let expected = server.expected(&site);

    // Pages: exactly the build, plus the reload script.
    let home = server.get(BASE);
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("Cache-Control"), Some("no-store"));
    assert!(
        home.body
            .contains("new EventSource(\"/__burnrate/events\")")
    );
    assert_eq!(
        without_reload_script(&home.body),
        text(&expected["index.html"])
    );
    let section = server.get("/mini/sections/intro/");
    assert_eq!(section.status, 200);
    assert_eq!(
        without_reload_script(&section.body),
        text(&expected["sections/intro/index.html"])
    );

    // Other files as they are, with their type.
    let css = server.get("/mini/style.css?v=whatever");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.body, text(&expected["style.css"]));
    let csv = server.get("/mini/data/facts.csv");
    assert_eq!(csv.header("Content-Type"), Some("text/csv; charset=utf-8"));
    assert_eq!(csv.body, text(&expected["data/facts.csv"]));
    let utf8 = server.get("/mini/%E5%9B%BE%E8%A1%A8/%E8%AF%B4%E6%98%8E.txt");
    assert_eq!((utf8.status, utf8.body.as_str()), (200, "你好"));

    // Redirects to the base path and to folders.
    let root = server.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("Location"), Some(BASE));
    let bare = server.get("/mini");
    assert_eq!((bare.status, bare.header("Location")), (301, Some(BASE)));
    let folder = server.get("/mini/sections/intro");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("Location"), Some("/mini/sections/intro/"));

    // A missing page: the site's 404 page.
    let missing = server.get("/mini/no-such-page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        without_reload_script(&missing.body),
        text(&expected["404.html"])
    );
    assert_eq!(server.get("/elsewhere/").status, 404);

    // Nothing outside the build, however asked for.
    for target in [
        "/mini/../Cargo.toml",
        "/../Cargo.toml",
        "/mini/%2e%2e/Cargo.toml",
        "/mini/%2E%2E%2FCargo.toml",
        "/mini/..%2fCargo.toml",
        "/mini/sections/../../Cargo.toml",
        "/mini/..%5cCargo.toml",
        "/mini/content/site.yaml",
        "/Cargo.toml",
    ] {
        let r = server.get(target);
        assert!(r.status == 400 || r.status == 404, "{target}: {}", r.status);
        assert!(!r.body.contains("[package]"), "{target} served Cargo.toml");
        assert!(!r.body.contains("base_url"), "{target} served site.yaml");
    }

    // HEAD has the length and no body; other methods are refused.
    let head = request(server.port, "HEAD", BASE);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("Content-Length"),
        Some(home.body.len().to_string().as_str())
    );
    assert_eq!(head.body, "");
    let post = request(server.port, "POST", BASE);
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD"));

    assert!(
        server.output().contains(&format!(
            "serving http://127.0.0.1:{}/mini/ (Ctrl+C to stop)",
            server.port
        )),
        "{}",
        server.output()
    );
    assert!(!site.public().exists(), "serve wrote public/");
}

#[test]
fn saves_rebuild_and_reload_and_errors_show_over_the_last_good_build() {
    let site = fixture("minimal");
    let server = Server::start(&site);
    server.wait_for_output("watching files for changes", 1);
    let mut events = Events::open(server.port);
    let page = "/mini/sections/intro/";

    // An edit: the open page is told to reload and then shows it.
    let intro = "content/sections/01-intro.md";
    site.write(intro, format!("{}\n预览里的新段落。\n", site.read(intro)));
    events.expect("reload");
    let edited = server.get(page);
    assert_eq!(edited.status, 200);
    assert!(edited.body.contains("预览里的新段落。"), "{}", edited.body);
    assert!(!edited.body.contains("burnrate-overlay"));
    server.wait_for_output("rebuilt in ", 1);

    // A broken file: the page is told, and shows the last good build under an overlay that
    // names the file, line and column.
    let alpha = "content/companies/alpha.yaml";
    let good = site.read(alpha);
    let anchor = "    value: 1600000000\n";
    let at = good.find(anchor).expect("the revenue value") + anchor.len();
    let line = good[..at].lines().count() + 1;
    site.write(
        alpha,
        format!("{}    currency: usd\n{}", &good[..at], &good[at..]),
    );
    events.expect("problems");
    let broken = server.get(page);
    assert_eq!(broken.status, 200);
    assert!(broken.body.contains("role=\"alert\""), "{}", broken.body);
    let location = format!("content/companies/alpha.yaml:{line}:5");
    assert!(
        broken.body.contains(&location),
        "no {location}:\n{}",
        broken.body
    );
    assert!(broken.body.contains("unknown field `currency`"));
    assert!(
        broken.body.contains("预览里的新段落。"),
        "not the last good build"
    );
    let missing = server.get("/mini/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains(&location),
        "no overlay on the 404 page"
    );
    server.wait_for_output("build failed", 1);
    server.wait_for_output(&format!("alpha.yaml:{line}:5: "), 1);

    // The box speaks the site's language (zh-CN), can be closed, and shows the line with a
    // caret under the column; the terminal shows the same code frame.
    assert!(
        broken.body.contains("构建失败，共 1 处问题"),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("下面显示的是上一次成功构建的页面。"));
    assert!(broken.body.contains("onclick=\"this.parentNode.remove()\""));
    assert!(broken.body.contains(">关闭</button>"));
    assert!(
        broken.body.contains(&format!(
            "{line} | </span>    currency: usd\n<span aria-hidden=\"true\"><span \
             style=\"visibility:hidden\">{line} |     </span><b style=\"color:#b00020\">^</b>"
        )),
        "no code frame:\n{}",
        broken.body
    );
    let gutter = " ".repeat(line.to_string().len());
    server.wait_for_output(
        &format!(" {line} |     currency: usd\n {gutter} |     ^\n"),
        1,
    );

    // Fixed: reload again, and the overlay is gone.
    site.write(alpha, &good);
    events.expect("reload");
    let fixed = server.get(page);
    assert_eq!(fixed.status, 200);
    assert!(!fixed.body.contains("burnrate-overlay"), "{}", fixed.body);
    assert!(fixed.body.contains("预览里的新段落。"));
    server.wait_for_output("rebuilt in ", 2);

    // A new page shows up too.
    site.write(
        "content/pages/about.md",
        "---\ntitle: 关于\nsummary: 关于本站。\n---\n关于本站的说明。\n",
    );
    events.expect("reload");
    assert!(server.get("/mini/about/").body.contains("关于本站的说明。"));

    assert!(!site.public().exists(), "serve wrote public/");
}

#[test]
fn any_number_of_tabs_follow_saves() {
    let site = fixture("minimal");
    let server = Server::start(&site);

    // Pages ask a shared worker to keep one stream for every tab of a browser; the worker is
    // served outside the site.
    let home = server.get(BASE);
    assert!(
        home.body
            .contains("new SharedWorker(\"/__burnrate/worker.js\")")
    );
    let worker = server.get("/__burnrate/worker.js");
    assert_eq!(worker.status, 200);
    assert_eq!(
        worker.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(
        worker
            .body
            .contains(&format!("new EventSource(\"{EVENTS}\")"))
    );

    // Without shared workers each tab holds a stream: many more than a browser's six
    // connections per host all hear of a save, and pages are served meanwhile.
    let mut tabs: Vec<Events> = (0..20).map(|_| Events::open(server.port)).collect();
    assert_eq!(server.get("/mini/sections/intro/").status, 200);
    let intro = "content/sections/01-intro.md";
    site.write(intro, format!("{}\n许多标签页。\n", site.read(intro)));
    for tab in &mut tabs {
        tab.expect("reload");
    }
    assert!(
        server
            .get("/mini/sections/intro/")
            .body
            .contains("许多标签页。")
    );
}

#[test]
fn a_site_that_does_not_build_yet_is_served_once_fixed() {
    let site = fixture("minimal");
    let config = "content/site.yaml";
    let good = site.read(config);
    site.write(config, good.replace("title: ", "titel: "));
    let server = Server::start(&site);

    let broken = server.get(BASE);
    assert_eq!(broken.status, 500);
    assert!(broken.body.contains("role=\"alert\""), "{}", broken.body);
    assert!(
        broken.body.contains("content/site.yaml:1:1"),
        "{}",
        broken.body
    );
    assert!(broken.body.contains(EVENTS), "no reload script");

    let mut events = Events::open(server.port);
    site.write(config, &good);
    events.expect("reload");
    let fixed = server.get(BASE);
    assert_eq!(fixed.status, 200);
    assert!(!fixed.body.contains("burnrate-overlay"));
    assert!(fixed.body.contains("测试站点"));
}

#[test]
fn requests_for_other_host_names_are_refused() {
    let site = fixture("minimal");
    let server = Server::start(&site);
    let port = server.port;
    // What a page at evil.example sees after pointing its name at 127.0.0.1.
    for head in [
        format!("GET {BASE} HTTP/1.1\r\nHost: evil.example\r\n\r\n"),
        format!("GET {BASE} HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n"),
        format!("GET {EVENTS} HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n"),
        format!("GET {BASE} HTTP/1.1\r\n\r\n"),
    ] {
        let r = raw_request(port, &head);
        assert_eq!(r.status, 403, "{head}");
        assert_eq!(
            r.body,
            format!(
                "burnrate serve answers only requests for this computer: open \
                 http://127.0.0.1:{port}{BASE} instead.\n"
            )
        );
        assert!(!r.body.contains("测试站点"));
    }
    for host in [
        format!("localhost:{port}"),
        "localhost".to_string(),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = raw_request(
            port,
            &format!("GET {BASE} HTTP/1.1\r\nHost: {host}\r\n\r\n"),
        );
        assert_eq!(r.status, 200, "{host}");
    }
}

/// Opens a connection that sends half a request head and never finishes it. (A server that
/// has already closed it makes the write fail; that is left to the caller to notice.)
fn stalled(port: u16) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(READ_TIMEOUT)).unwrap();
    let _ = write!(stream, "GET {BASE} HTTP/1.1\r\nHost: 127.0");
    stream
}

#[test]
fn a_client_that_never_finishes_its_request_is_dropped_and_blocks_no_one() {
    let site = fixture("minimal");
    let server = Server::start_with(&site, &["--head-timeout-ms", "300"]);
    let mut slow = stalled(server.port);
    assert_eq!(
        server.get(BASE).status,
        200,
        "served beside the stalled one"
    );
    // The server closes the stalled connection without an answer; a read that does not end
    // within READ_TIMEOUT fails the test.
    let mut rest = Vec::new();
    match slow.read_to_end(&mut rest) {
        Ok(_) => assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest)),
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}"),
    }
}

#[test]
fn connections_over_the_cap_get_a_503_at_once() {
    let site = fixture("minimal");
    let server = Server::start_with(
        &site,
        &["--max-connections", "2", "--head-timeout-ms", "600000"],
    );
    // The connections of the start-up check may hold their slots a moment longer: until both
    // stalled connections hold one, the request is served and the test tries again. A request
    // the server turned away before it arrived may see its connection reset: tried again too.
    let port = server.port;
    let request = format!("GET {BASE} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    let (busy, first, _second) = (0..50)
        .find_map(|_| {
            let (first, second) = (stalled(port), stalled(port));
            match try_raw_request(port, &request) {
                Ok(answer) if answer.status == 503 => return Some((answer, first, second)),
                _ => {}
            }
            thread::sleep(Duration::from_millis(100));
            None
        })
        .expect("two stalled connections never filled the two slots");
    assert_eq!(
        busy.body,
        "burnrate serve is busy: too many connections at once. Reload the page in a moment.\n"
    );
    // A slot given back is used again (the server notices the close in its own time).
    drop(first);
    let served = (0..100).any(|_| {
        let status = server.get(BASE).status;
        if status != 200 {
            thread::sleep(Duration::from_millis(100));
        }
        status == 200
    });
    assert!(served, "the freed slot was never used again");
}

#[test]
fn event_streams_are_capped_and_closed_after_their_lifetime() {
    let site = fixture("minimal");
    let server = Server::start_with(
        &site,
        &["--max-streams", "2", "--stream-lifetime-ms", "600000"],
    );
    let _a = Events::open(server.port);
    let _b = Events::open(server.port);
    let third = server.get(EVENTS);
    assert_eq!(third.status, 503);
    assert_eq!(
        third.body,
        "burnrate serve: 2 preview tabs are open, the most it keeps up to date; close some and \
         reload this one.\n"
    );
    drop(server);

    let server = Server::start_with(&site, &["--stream-lifetime-ms", "300"]);
    let mut events = Events::open(server.port);
    events.closes();
    let _again = Events::open(server.port);
}

#[test]
fn polling_sees_a_save_that_keeps_the_time_and_size() {
    let site = fixture("minimal");
    let server = Server::start_with(&site, &["--poll"]);
    server.wait_for_output("checking files for changes every 100 ms (--poll)", 1);
    let mut events = Events::open(server.port);
    let page = "/mini/sections/intro/";
    let intro = "content/sections/01-intro.md";
    let original = site.read(intro);
    site.write(intro, format!("{original}\n第一版。\n"));
    events.expect("reload");
    assert!(server.get(page).body.contains("第一版。"));

    // The same size and modification time, only other content: written beside the site with
    // the old time, then renamed into place in one step.
    let path = site.root().join(intro);
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    let beside = site.root().join("save.tmp");
    std::fs::write(&beside, format!("{original}\n第二版。\n")).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&beside)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    std::fs::rename(&beside, &path).unwrap();
    events.expect("reload");
    assert!(server.get(page).body.contains("第二版。"));
}

#[test]
fn drafts_are_previewed_with_a_banner_and_never_built() {
    let site = fixture("minimal");
    site.replace(
        "content/companies/alpha.yaml",
        "kind: company\n",
        "kind: company\ndraft: true\n",
    );
    // content/sections/02-draft.md is a draft in the fixture.
    let server = Server::start(&site);
    for page in ["/mini/sections/draft/", "/mini/companies/alpha/"] {
        let response = server.get(page);
        assert_eq!(response.status, 200, "{page}");
        assert!(
            response
                .body
                .contains("<p class=\"draft-banner\" role=\"note\"><strong>草稿</strong>"),
            "{page} has no banner"
        );
    }
    assert!(
        !server
            .get("/mini/sections/intro/")
            .body
            .contains("draft-banner")
    );
    // A plain build refuses what cites the draft company, and publishes neither draft.
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("alpha is a draft"), "{}", run.stderr);
    assert!(!site.public().exists());
}
