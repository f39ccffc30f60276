//! The preview's figures: from a save to the reload event a browser receives, through the real
//! `burnrate serve` process, its file watcher and its HTTP event stream; and the CPU an idle
//! `serve` uses.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `burnrate serve` child process on a free port, killed when dropped.
struct Serve {
    child: Child,
    port: u16,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn start(bin: &str, root: &Path) -> Serve {
        let mut child = Command::new(bin)
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let port = loop {
            let line = lines
                .next()
                .expect("serve printed its address")
                .expect("a line");
            if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
                break rest
                    .split('/')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .expect("a port");
            }
        };
        // Keep reading what serve prints, so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Serve { child, port }
    }

    /// The event stream, read line by line, after its first message.
    fn events(&self) -> BufReader<TcpStream> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        write!(
            stream,
            "GET /__burnrate/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAccept: text/event-stream\r\n\r\n",
            self.port
        )
        .expect("request");
        let mut reader = BufReader::new(stream);
        wait_for(&mut reader, "event: hello");
        reader
    }

    /// CPU ticks (user + system) the process has used.
    fn ticks(&self) -> u64 {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = after.split_whitespace().collect();
        let field = |i: usize| {
            fields
                .get(i)
                .and_then(|f| f.parse::<u64>().ok())
                .unwrap_or(0)
        };
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
        field(11) + field(12)
    }
}

fn wait_for(reader: &mut BufReader<TcpStream>, wanted: &str) {
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader.read_line(&mut line).expect("the event stream");
        assert!(n > 0, "the event stream ended");
        if line.trim_end() == wanted {
            return;
        }
    }
}

/// Median save-to-reload time over `saves` saves of `section` (relative to `root`), and the
/// share of one core an idle `serve` uses over `idle`.
pub fn measure(
    bin: &str,
    root: &Path,
    section: &Path,
    saves: usize,
    idle: Duration,
) -> (Duration, f64) {
    let serve = Serve::start(bin, root);
    let mut events = serve.events();
    let path: PathBuf = root.join(section);
    let original = std::fs::read_to_string(&path).expect("the section");
    let mut times = Vec::new();
    for i in 0..saves {
        std::thread::sleep(Duration::from_millis(300));
        let started = Instant::now();
        std::fs::write(&path, format!("{original}\n新的一段，第{i}次保存。\n")).expect("save");
        wait_for(&mut events, "event: reload");
        times.push(started.elapsed());
    }
    std::fs::write(&path, &original).expect("restore");
    wait_for(&mut events, "event: reload");
    std::thread::sleep(Duration::from_millis(500));
    let before = serve.ticks();
    std::thread::sleep(idle);
    let used = serve.ticks() - before;
    let per_second = clock_ticks();
    let share = used as f64 / per_second / idle.as_secs_f64();
    times.sort();
    (times[times.len() / 2], share)
}

fn clock_ticks() -> f64 {
    let out = Command::new("getconf").arg("CLK_TCK").output();
    out.ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}
