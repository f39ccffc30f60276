//! `burnrate serve`: a live preview. Builds the site in memory, serves it over HTTP under its
//! base path, watches `content/`, `templates/` and `static/`, rebuilds after every save and
//! makes open pages reload themselves.
//!
//! Nothing is written to disk: the published output (`public/`) is left alone. The pages sent
//! get a small inline script (see [`live`]) that listens to an event stream; the published
//! build never contains it. When a rebuild fails the last good build keeps being served, with
//! an overlay over every page listing the problems.
//!
//! The parts that need no socket live in [`http`] (request paths to files), [`host`] (which
//! `Host` headers are answered), [`live`] (what is added to pages, event-stream messages) and
//! [`watch`] (noticing saves); [`conn`] reads and answers one connection within its
//! [`limits`] and [`streams`] keeps the open event streams. This file is the glue: one thread
//! accepts connections, one thread per connection (up to a cap) answers it, one thread pings
//! the event streams, and the calling thread watches the files and rebuilds.

pub mod conn;
pub mod host;
pub mod http;
pub mod limits;
pub mod live;
pub mod memo;
pub mod session;
pub mod streams;
pub mod watch;

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::build;
use crate::config::{self, SiteConfig};
use crate::diagnostic::Diagnostic;
use crate::strings::{self, Preview};
use conn::{Head, Slots, TEXT, respond, respond_text};
use http::Route;
pub use limits::Limits;
use live::{Problem, Status};
pub use session::Session;
use streams::{Refused, Streams};

/// The port `serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 1111;

/// The folders whose changes trigger a rebuild.
pub const WATCHED: [&str; 3] = ["content", "templates", "static"];

/// How long to wait before accepting again after the system refused a connection.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);
/// How often event streams get a ping, so closed ones are noticed and dropped.
const PING: Duration = Duration::from_secs(15);
/// How long a connection may take to take a response.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection turned away for being over the cap may take to take the `503`.
const BUSY_TIMEOUT: Duration = Duration::from_millis(500);

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder holding `content/`, `templates/` and `static/`.
    pub root: PathBuf,
    /// The address to listen on; loopback unless the user asks for another.
    pub bind: IpAddr,
    /// The port; 0 lets the system pick a free one.
    pub port: u16,
    /// How much clients may take.
    pub limits: Limits,
    /// Look at the files every 100 ms rather than rely on the system's change notifications.
    pub poll: bool,
}

/// Why `serve` could not start.
#[derive(Debug)]
pub struct ServeError {
    /// The address it tried to listen on.
    pub addr: SocketAddr,
    /// The system's reason.
    pub source: io::Error,
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not listen on {}: {}", self.addr, self.source)?;
        if self.source.kind() == io::ErrorKind::AddrInUse {
            write!(f, "; another program uses the port, choose one with --port")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Serves the site until the process is stopped. Returns only if it cannot listen.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let addr = SocketAddr::new(options.bind, options.port);
    let listener = TcpListener::bind(addr).map_err(|source| ServeError { addr, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| ServeError { addr, source })?;
    let server = Arc::new(Server::new(options, origin(addr)));

    let (mut watcher, failed) = watch::Watcher::start(&server.root, &WATCHED, options.poll);
    server.rebuild(&[], true);
    match failed {
        Some(e) => eprintln!(
            "could not watch files through the system ({e}); checking them every 100 ms instead"
        ),
        None if watcher.polling() => println!("checking files for changes every 100 ms (--poll)"),
        None => println!("watching files for changes"),
    }
    println!(
        "serving {}{} (Ctrl+C to stop)",
        server.origin,
        server.state().base_path()
    );
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {addr}: other computers that can reach this one can see the preview"
        );
    }

    let accepting = Arc::clone(&server);
    thread::spawn(move || {
        for stream in listener.incoming() {
            match stream {
                Ok(stream) => accepting.accept(stream),
                // Out of file handles and the like: let a moment pass rather than spin.
                Err(_) => thread::sleep(ACCEPT_PAUSE),
            }
        }
    });

    // Pings find closed streams; streams past their lifetime are closed on a ping.
    let ping = PING
        .min(options.limits.stream_lifetime / 2)
        .max(Duration::from_millis(10));
    let pinging = Arc::clone(&server);
    thread::spawn(move || {
        loop {
            thread::sleep(ping);
            pinging.streams.broadcast(live::SSE_PING);
        }
    });

    loop {
        let changed = watcher.wait();
        server.rebuild(&changed, false);
    }
}

/// `http://127.0.0.1:1111`: where pages are fetched from. A server listening on every address
/// (`0.0.0.0`) is reached locally through loopback.
fn origin(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// `content/site.yaml`, if it can be read.
fn configured(root: &Path) -> Option<SiteConfig> {
    let path = Path::new("content/site.yaml");
    let src = std::fs::read_to_string(root.join(path)).ok()?;
    config::parse(path, &src).ok()
}

/// The error box's words in `language`, if its strings file can be read.
fn preview_words(root: &Path, language: &str) -> Option<Preview> {
    let path = Path::new("templates/strings").join(format!("{language}.yaml"));
    let src = std::fs::read_to_string(root.join(&path)).ok()?;
    strings::parse(&path, &src).ok().map(|s| s.preview)
}

/// `d` for the error box, with the line it points at; printed in the terminal as it goes, with
/// the same line and a caret under the column.
fn report(d: &Diagnostic, root: &Path) -> Problem {
    let source = std::fs::read_to_string(&d.path).ok();
    let problem = Problem::from_diagnostic(d, root, source.as_deref());
    eprintln!("{d}");
    if let Some(excerpt) = &problem.excerpt {
        eprintln!("{excerpt}");
    }
    problem
}

/// A successful build, ready to serve.
#[derive(Debug)]
struct Good {
    /// The path every page lives under (`/ai-bubble/`).
    base_path: String,
    /// Every output file, by path (shared with the session's caches).
    files: Arc<crate::render::Files>,
}

/// What is being served; replaced whole after each rebuild.
#[derive(Debug)]
struct State {
    /// The last good build, if there ever was one.
    good: Option<Arc<Good>>,
    /// What pages are stamped with and show over them.
    status: Status,
}

impl State {
    fn base_path(&self) -> &str {
        self.good.as_ref().map_or("/", |g| g.base_path.as_str())
    }
}

struct Server {
    root: PathBuf,
    /// The address listened on, whose name is answered besides loopback ones.
    bind: IpAddr,
    origin: String,
    limits: Limits,
    /// The connections being answered.
    slots: Slots,
    /// The site kept in memory between rebuilds: only what a save affects is made again.
    session: Mutex<Session>,
    /// Tells this run's generations from another run's, so a restarted server reloads pages.
    run: String,
    builds: Mutex<u64>,
    state: RwLock<Arc<State>>,
    /// The open event streams.
    streams: Streams,
}

impl Server {
    fn new(options: &ServeOptions, origin: String) -> Self {
        let root = options.root.clone();
        let run = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let run = format!("{run:x}");
        Server {
            session: Mutex::new(Session::new(&root, None)),
            root,
            origin,
            state: RwLock::new(Arc::new(State {
                good: None,
                status: Status {
                    generation: format!("{run}-0"),
                    problems: Vec::new(),
                    language: "en".to_string(),
                    words: Preview::default(),
                },
            })),
            run,
            builds: Mutex::new(0),
            bind: options.bind,
            limits: options.limits.clone(),
            slots: Slots::new(options.limits.max_connections),
            streams: Streams::new(options.limits.max_streams, options.limits.stream_lifetime),
        }
    }

    fn state(&self) -> Arc<State> {
        Arc::clone(&self.state.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Builds the site, swaps it in if it built, says how it went in the terminal and tells the
    /// open pages.
    fn rebuild(&self, changed: &[PathBuf], first: bool) {
        let started = Instant::now();
        let old = self.state();
        let site = configured(&self.root);
        let base_path = site
            .as_ref()
            .map_or_else(|| "/".to_string(), |c| c.base_path());
        // The box keeps its last known words while site.yaml or the strings are broken.
        let known = site.and_then(|c| Some((preview_words(&self.root, &c.language)?, c.language)));
        let (words, language) =
            known.unwrap_or_else(|| (old.status.words.clone(), old.status.language.clone()));
        let result = {
            let mut session = self.session.lock().unwrap_or_else(PoisonError::into_inner);
            session.set_base_url(Some(&format!("{}{base_path}", self.origin)));
            session.rebuild(changed)
        };
        let ms = started.elapsed().as_millis();
        let what = match changed {
            [] => String::new(),
            [one] => format!(" ({} changed)", one.display()),
            many => format!(" ({} files changed)", many.len()),
        };
        let (state, event) = match result {
            Ok(built) => {
                let good = Good {
                    base_path,
                    files: built.files,
                };
                if first {
                    println!("built {} pages in {ms} ms", built.pages);
                } else {
                    println!("rebuilt in {ms} ms{what}");
                    if old.base_path() != good.base_path {
                        println!("serving {}{} now", self.origin, good.base_path);
                    }
                }
                let same = old.good.as_ref().is_some_and(|g| {
                    g.base_path == good.base_path
                        && (Arc::ptr_eq(&g.files, &good.files) || *g.files == *good.files)
                });
                if old.status.problems.is_empty() && same {
                    return; // Same pages as before: no need to reload anything.
                }
                let state = State {
                    good: Some(Arc::new(good)),
                    status: Status {
                        generation: self.next_generation(),
                        problems: Vec::new(),
                        language,
                        words,
                    },
                };
                (state, "reload")
            }
            Err(e) => {
                let problems = self.problems(&e);
                if old.good.is_some() {
                    eprintln!("build failed{what}; still serving the last good build");
                } else {
                    eprintln!("build failed{what}; serving the problems until the site builds");
                }
                let state = State {
                    good: old.good.clone(),
                    status: Status {
                        generation: self.next_generation(),
                        problems,
                        language,
                        words,
                    },
                };
                (state, "problems")
            }
        };
        let message = live::sse_event(event, &state.status.generation);
        *self.state.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(state);
        self.streams.broadcast(&message);
    }

    /// What the error box lists for a failed rebuild (each also printed in the terminal).
    fn problems(&self, e: &build::Error) -> Vec<Problem> {
        match e {
            build::Error::Invalid(ds) => ds.iter().map(|d| report(d, &self.root)).collect(),
            build::Error::Write(e) => {
                // A preview builds in memory and writes nothing; kept for completeness.
                eprintln!("{e}");
                vec![Problem {
                    location: self.root.display().to_string(),
                    message: e.to_string(),
                    excerpt: None,
                }]
            }
        }
    }

    fn next_generation(&self) -> String {
        let mut n = self.builds.lock().unwrap_or_else(PoisonError::into_inner);
        *n += 1;
        format!("{}-{n}", self.run)
    }

    /// Hands a new connection to a thread of its own, or turns it away at once with a `503`
    /// when as many as allowed are being answered.
    fn accept(self: &Arc<Self>, mut stream: TcpStream) {
        if let Some(slot) = self.slots.take() {
            let server = Arc::clone(self);
            thread::spawn(move || {
                // A client that went away mid-answer is no concern of the preview.
                let _ = server.answer(stream);
                drop(slot);
            });
            return;
        }
        // Take what the client has sent so far, so closing does not reset the connection
        // before it reads the answer.
        let _ = stream.set_nonblocking(true);
        let _ = stream.read(&mut [0; 4096]);
        let _ = stream.set_nonblocking(false);
        let _ = stream.set_write_timeout(Some(BUSY_TIMEOUT));
        let _ = respond_text(
            &mut stream,
            503,
            "burnrate serve is busy: too many connections at once. Reload the page in a moment.\n",
        );
    }

    /// Answers one connection: one request, one response, then it is closed (event streams
    /// stay open, kept in `streams`). A head not sent in time closes the connection unanswered.
    fn answer(&self, mut stream: TcpStream) -> io::Result<()> {
        stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
        let head = match conn::read_head(&mut stream, self.limits.head_timeout)? {
            Head::Request(head) => head,
            Head::Malformed => return respond_text(&mut stream, 400, "bad request\n"),
            Head::TooSlow => return Ok(()),
        };
        if !head
            .host
            .as_deref()
            .is_some_and(|h| host::allowed(h, self.bind))
        {
            let text = format!(
                "burnrate serve answers only requests for this computer: open {}{} instead.\n",
                self.origin,
                self.state().base_path()
            );
            return respond_text(&mut stream, 403, &text);
        }
        let request = head.line;
        let head_only = request.method == "HEAD";
        if request.method != "GET" && !head_only {
            return respond(
                &mut stream,
                405,
                TEXT,
                &[("Allow", "GET, HEAD")],
                b"only GET and HEAD\n",
                false,
            );
        }
        let state = self.state();
        let route = match &state.good {
            Some(good) => http::route(&request.target, &good.base_path, |p| {
                good.files.contains_key(p)
            }),
            None => http::route(&request.target, "/", |_| false),
        };
        let Some(good) = &state.good else {
            return match route {
                Route::Events => self.subscribe(stream, head_only),
                Route::Worker => respond_worker(&mut stream, head_only),
                _ => {
                    let page = live::error_page(&state.status);
                    respond(&mut stream, 500, HTML, &[], page.as_bytes(), head_only)
                }
            };
        };
        match route {
            Route::Events => self.subscribe(stream, head_only),
            Route::Worker => respond_worker(&mut stream, head_only),
            Route::File(path) => {
                let bytes = &good.files[&path];
                if http::is_html(&path) {
                    let page = self.page(&state, bytes);
                    respond(&mut stream, 200, HTML, &[], page.as_bytes(), head_only)
                } else {
                    let kind = http::content_type(&path);
                    respond(&mut stream, 200, kind, &[], bytes, head_only)
                }
            }
            Route::Redirect {
                permanent,
                location,
            } => {
                let status = if permanent { 301 } else { 302 };
                let headers = [("Location", location.as_str())];
                respond(&mut stream, status, HTML, &headers, b"", head_only)
            }
            Route::NotFound => match good.files.get("404.html") {
                Some(bytes) => {
                    let page = self.page(&state, bytes);
                    respond(&mut stream, 404, HTML, &[], page.as_bytes(), head_only)
                }
                None => respond(&mut stream, 404, TEXT, &[], b"not found\n", head_only),
            },
            Route::BadRequest => respond(&mut stream, 400, TEXT, &[], b"bad request\n", head_only),
        }
    }

    /// A page of the build as sent: with the reload script, and the overlay if need be.
    fn page(&self, state: &State, bytes: &[u8]) -> String {
        live::inject(&String::from_utf8_lossy(bytes), &state.status)
    }

    /// Opens an event stream on `stream` and keeps it in `streams`; a `503` saying why when
    /// as many as allowed are open.
    fn subscribe(&self, mut stream: TcpStream, head_only: bool) -> io::Result<()> {
        if head_only {
            stream.write_all(http::EVENTS_HEAD.as_bytes())?;
            return stream.flush();
        }
        let hello = || {
            format!(
                "{}{}",
                http::EVENTS_HEAD,
                live::sse_hello(&self.state().status.generation)
            )
        };
        match self.streams.add(stream, hello) {
            Ok(()) => Ok(()),
            Err(Refused::Io(e)) => Err(e),
            Err(Refused::Full(mut stream)) => {
                let text = format!(
                    "burnrate serve: {} preview tabs are open, the most it keeps up to date; \
                     close some and reload this one.\n",
                    self.limits.max_streams
                );
                respond_text(&mut stream, 503, &text)
            }
        }
    }
}

const HTML: &str = "text/html; charset=utf-8";

/// Sends the shared worker's script.
fn respond_worker(stream: &mut TcpStream, head_only: bool) -> io::Result<()> {
    let js = live::worker_script();
    let kind = http::content_type(http::WORKER_PATH);
    respond(stream, 200, kind, &[], js.as_bytes(), head_only)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_reachable_locally() {
        let at = |s: &str| origin(s.parse().unwrap());
        assert_eq!(at("127.0.0.1:1111"), "http://127.0.0.1:1111");
        assert_eq!(at("0.0.0.0:8000"), "http://127.0.0.1:8000");
        assert_eq!(at("[::]:8000"), "http://[::1]:8000");
        assert_eq!(at("192.168.1.5:1111"), "http://192.168.1.5:1111");
    }

    #[test]
    fn the_base_path_is_read_from_the_site() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal");
        let site = configured(&fixture).expect("the fixture's site.yaml");
        assert_eq!(site.base_path(), "/mini/");
        assert!(configured(Path::new("/nonexistent")).is_none());
        let words = preview_words(Path::new(env!("CARGO_MANIFEST_DIR")), &site.language);
        assert_eq!(words.expect("zh-CN strings").close, "关闭");
        assert_eq!(preview_words(&fixture, "xx"), None);
    }
}
