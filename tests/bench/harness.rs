//! What the benchmarks share: their options, running a build process to measure its time and
//! memory, and copying a site.

#![allow(dead_code)] // Shared by two benchmarks, which use different parts.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One cold run of a build process.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    /// Start to exit.
    pub wall: Duration,
    /// User and system time.
    pub cpu: Duration,
    /// Peak resident set, KiB.
    pub max_rss: u64,
}

/// Runs `cmd` to completion and measures it. Panics if it fails.
#[allow(clippy::zombie_processes)] // Reaped by `wait4`, which also reports its resources.
pub fn measure(cmd: &mut Command) -> (Run, String) {
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd.spawn().expect("start the build");
    // Read both pipes while the process runs, so a full pipe never blocks it.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet waited for; status and usage are valid pointers.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    assert!(ok, "{cmd:?} failed:\n{stdout}{stderr}");
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    let run = Run {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        max_rss: usage.ru_maxrss as u64,
    };
    (run, stdout)
}

/// The middle of `xs` (the upper one of an even count).
pub fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

/// `d` in milliseconds, or seconds from 10 s, with the precision the tables use.
pub fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 100.0 {
        format!("{ms:.1} ms")
    } else if ms < 10_000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// The command `burnrate build` of the site at `root` into `out`, with the binary `bin`.
pub fn build_command(bin: &str, root: &Path, out: &Path) -> Command {
    let mut c = Command::new(bin);
    c.arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out);
    c
}

/// Cold builds of `root` into `out`: `runs` of them, the output removed before each.
pub fn cold(command: impl Fn() -> Command, out: &Path, runs: usize) -> (Vec<Run>, String) {
    let mut all = Vec::new();
    let mut stdout = String::new();
    for _ in 0..runs {
        let _ = fs::remove_dir_all(out);
        let (run, printed) = measure(&mut command());
        all.push(run);
        stdout = printed;
    }
    let _ = fs::remove_dir_all(out);
    (all, stdout)
}

/// The processor, cores, memory and kernel of this machine, for the tables' heading.
pub fn machine() -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mem = fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(String::new(), |kb| {
            format!(", {:.0} GiB", kb as f64 / 1024.0 / 1024.0)
        });
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!("{model}, {cores} cores{mem}, Linux {}", kernel.trim())
}

/// The options after `cargo bench --`, as README's benchmark section lists them.
pub struct Options {
    /// Sections of each synthetic site (`--sizes`).
    pub sizes: Vec<usize>,
    /// Cold runs per site (`--runs`); each benchmark has its own default.
    pub runs: Option<usize>,
    /// Where outputs go (`--out`): tmpfs when there is one.
    pub out: PathBuf,
    /// The editor's disk: a folder on it, for the generated sites and the outputs built there.
    pub disk: PathBuf,
}

/// Reads [`Options`] from the command line.
pub fn options() -> Options {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shm = Path::new("/dev/shm");
    let mut o = Options {
        sizes: vec![100, 1000, 10_000],
        runs: None,
        out: if shm.is_dir() {
            shm.join("burnrate-bench")
        } else {
            repo.join("target/bench-out")
        },
        disk: repo.join("target"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--sizes" => {
                o.sizes = args
                    .next()
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .filter(|&n| n > 0)
                    .collect();
            }
            "--runs" => o.runs = args.next().and_then(|n| n.parse().ok()),
            "--out" => {
                let dir = args.next().unwrap_or_default();
                o.out = if dir == "target" {
                    repo.join("target/bench-out")
                } else {
                    PathBuf::from(dir)
                };
            }
            "--disk" => o.disk = PathBuf::from(args.next().unwrap_or_default()),
            // `cargo bench` passes `--bench`; `--hugo` and `--zola` are the build benchmark's
            // ([`tools`]); anything else is a filter we do not use.
            _ => {}
        }
    }
    o
}

/// Copies the folder `from` to `to`, keeping each file's modification time (kept social cards
/// are trusted by size and time).
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
            let time = entry.metadata().unwrap().modified().unwrap();
            let file = fs::File::options().write(true).open(&target).unwrap();
            file.set_modified(time).unwrap();
        }
    }
}
