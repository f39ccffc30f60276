//! The build benchmark: `cargo bench` (see README, "Performance").
//!
//! For the real site and synthetic sites of N = 100, 1 000 and 10 000 sections (written by
//! `synth.rs`, as `cargo run --release --example gen-site` does), it measures:
//!
//! - **cold build**: a whole `burnrate build` process, start to exit, into an output folder that
//!   does not exist yet (removed before each run, untimed): median wall time, median CPU time
//!   (user + system, from `wait4`), peak memory (maximum resident set), and pages per second;
//! - **rebuild in serve**: the time `serve` spends on a rebuild after one save, driven through
//!   the same library API serve uses ([`burnrate::serve::Session`]) on a loaded session: after an
//!   edit to one section's body, to one section's title, and to one fact; median of several
//!   edits;
//! - **save to browser**: a real `burnrate serve` process on the site, an HTTP client holding its
//!   event stream as a browser's page does, and a section saved five times: the median time from
//!   the save to the reload event arriving; then the share of one core the idle `serve` uses over
//!   five seconds.
//! - **social cards**: each synthetic site is first built once without kept cards (every card
//!   drawn, `.burnrate-cache` removed); the cold builds above then find every card kept, as a
//!   Pages build does that restored its card cache. Every site is built from a copy on the same
//!   disk as its output, as an editor's `public/` is inside the site folder: kept cards are
//!   linked into the output, which only works within one disk.
//!
//! - **on the editor's disk** (`disk.rs`): the same sites built into `target/bench-out` on the
//!   repository's own disk beside tmpfs, cold and with the output present (nothing changed; one
//!   section edited), since a rebuild into an existing output writes only what changed. Each
//!   disk is named with its file system, and for ext4 whether it keeps a journal.
//!
//! Options (after `--`): `--sizes 100,1000` (default `100,1000,10000`; `0` means only the real
//! site), `--runs N` (cold runs per site, default 5, 3 for 10 000), `--out DIR` (where outputs
//! go; default a folder on tmpfs, `/dev/shm`, when there is one, so the disk's speed is not what
//! is measured; `--out target` measures the disk too), `--disk DIR` (the editor's disk: where
//! the generated sites and their outputs go, default `target`), `--hugo`, `--zola` (also build the
//! equivalent sites `synth::generate_for` writes with `hugo` or `zola` from PATH, the same way).

mod disk;
#[path = "harness.rs"]
mod harness;
mod preview;
#[path = "synth.rs"]
mod synth;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use burnrate::serve::Session;
use harness::{Run, build_command, cold, copy_tree, machine, measure, median, ms, options};

struct Row {
    name: String,
    sections: usize,
    pages: usize,
    wall: Duration,
    cpu: Duration,
    max_rss: u64,
    rebuild: Option<[Duration; 3]>,
}

impl Row {
    fn new(name: String, sections: usize, pages: usize, runs: &[Run]) -> Row {
        Row {
            name,
            sections,
            pages,
            wall: median(runs.iter().map(|r| r.wall).collect()),
            cpu: median(runs.iter().map(|r| r.cpu).collect()),
            max_rss: runs.iter().map(|r| r.max_rss).max().unwrap_or(0),
            rebuild: None,
        }
    }

    fn print(&self) {
        let rebuild = match self.rebuild {
            Some([body, title, fact]) => format!("{} | {} | {}", ms(body), ms(title), ms(fact)),
            None => "– | – | –".to_string(),
        };
        println!(
            "| {} | {} | {} | {} | {} | {:.0} MiB | {:.0} | {} |",
            self.name,
            self.sections,
            self.pages,
            ms(self.wall),
            ms(self.cpu),
            self.max_rss as f64 / 1024.0,
            self.pages as f64 / self.wall.as_secs_f64(),
            rebuild
        );
    }
}

/// The `N` of `built N pages, …`.
fn pages_built(stdout: &str) -> usize {
    stdout
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Rebuild times of a session on `root` after editing a section's body, a section's title and
/// a fact: the median of `edits` edits each. The files are put back afterwards.
fn rebuilds(root: &Path, sections: &[PathBuf], company: &Path, edits: usize) -> [Duration; 3] {
    let mut session = Session::new(root, Some("http://127.0.0.1:1111/bench/"));
    session.rebuild(&[]).expect("the site builds");
    let mut times = [Vec::new(), Vec::new(), Vec::new()];
    let originals: Vec<(PathBuf, String)> = sections
        .iter()
        .chain([&company.to_path_buf()])
        .map(|p| (p.clone(), fs::read_to_string(root.join(p)).unwrap()))
        .collect();
    for k in 0..edits {
        let rel = &sections[k % sections.len()];
        let path = root.join(rel);
        // The body: one more sentence.
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, format!("{text}\n编辑后新增的一句话，edit {k}。\n")).unwrap();
        let started = Instant::now();
        let r = session
            .rebuild(std::slice::from_ref(rel))
            .expect("rebuilds");
        times[0].push(started.elapsed());
        assert!(!r.changed.is_empty());
        // The title: it shows on the home page, the feed, the neighbours' pager, the company
        // pages that list the section, and the 404 page.
        let text = fs::read_to_string(&path).unwrap();
        let retitled = text.replacen("title: ", &format!("title: 改{k} "), 1);
        fs::write(&path, retitled).unwrap();
        let started = Instant::now();
        session
            .rebuild(std::slice::from_ref(rel))
            .expect("rebuilds");
        times[1].push(started.elapsed());
    }
    for k in 0..edits {
        // One fact: prose that cites it, its company page, the data page and files, the charts
        // that show it.
        let path = root.join(company);
        let text = fs::read_to_string(&path).unwrap();
        let from = text.find("    value: ").expect("a value") + "    value: ".len();
        let to = from + text[from..].find('\n').unwrap();
        let value: u64 = text[from..to].parse().unwrap();
        let edited = format!(
            "{}{}{}",
            &text[..from],
            value + 1_000_000 * (k as u64 + 1),
            &text[to..]
        );
        fs::write(&path, edited).unwrap();
        let started = Instant::now();
        session.rebuild(&[company.to_path_buf()]).expect("rebuilds");
        times[2].push(started.elapsed());
    }
    for (rel, text) in originals {
        fs::write(root.join(rel), text).unwrap();
    }
    times.map(median)
}

fn main() {
    let o = options();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_burnrate");
    let sites = o.disk.join("bench-sites");
    fs::create_dir_all(&o.out).expect("output folder");
    println!("machine: {}", machine());
    println!(
        "outputs in {} (removed before each cold run); medians of {} cold runs",
        o.out.display(),
        o.runs
            .map_or("5 (3 at 10 000)".to_string(), |r| r.to_string())
    );
    println!();
    println!(
        "| site | sections | pages | cold build | CPU | peak memory | pages/s | rebuild: body edit | title edit | fact edit |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

    let build = |root: PathBuf, out: PathBuf| move || build_command(bin, &root, &out);

    // The real site, from a copy beside the outputs, as an editor's `public/` is beside the site
    // (kept social cards are linked into the output only on the same disk).
    let out = o.out.join("real");
    let here = o.out.join("site-real");
    let _ = fs::remove_dir_all(&here);
    for dir in ["content", "templates", "static", ".burnrate-cache"] {
        if repo.join(dir).is_dir() {
            copy_tree(&repo.join(dir), &here.join(dir));
        }
    }
    let (runs, stdout) = cold(build(here.clone(), out.clone()), &out, o.runs.unwrap_or(10));
    let real_sections = fs::read_dir(repo.join("content/sections"))
        .map(|d| d.count())
        .unwrap_or(0);
    let mut row = Row::new(
        "real site".into(),
        real_sections,
        pages_built(&stdout),
        &runs,
    );
    // The real site's files are never edited: its rebuilds run on a copy.
    let copy = sites.join("real-copy");
    let _ = fs::remove_dir_all(&copy);
    for dir in ["content", "templates", "static", ".burnrate-cache"] {
        if here.join(dir).is_dir() {
            copy_tree(&here.join(dir), &copy.join(dir));
        }
    }
    let sections: Vec<PathBuf> = sorted_files(&copy, "content/sections");
    row.rebuild = Some(rebuilds(
        &copy,
        &sections,
        Path::new("content/companies/openai.yaml"),
        10,
    ));
    row.print();
    let idle = Duration::from_secs(5);
    let mut previews = vec![(
        "real site".to_string(),
        preview::measure(bin, &copy, &sections[0], 5, idle),
    )];

    let mut rows = Vec::new();
    let mut drawn = Vec::new();
    for &n in &o.sizes {
        // Generated on the repository's disk, measured from a copy beside the outputs.
        let generated = sites.join(format!("n{n}"));
        synth::generate(&generated, &synth::Options::new(n)).expect("generate the site");
        let root = o.out.join(format!("site-n{n}"));
        let _ = fs::remove_dir_all(&root);
        copy_tree(&generated, &root);
        let out = o.out.join(format!("n{n}"));
        let runs_n = o.runs.unwrap_or(if n >= 10_000 { 3 } else { 5 });
        // Once without kept social cards (every card drawn), which leaves them kept: the cold
        // builds below, like a Pages build that restored its card cache, draw none.
        let store = root.join(".burnrate-cache");
        let _ = fs::remove_dir_all(&store);
        let (first, _) = cold(build(root.clone(), out.clone()), &out, 1);
        // The generated copy, built on the repository's disk below, keeps the same cards.
        let _ = fs::remove_dir_all(generated.join(".burnrate-cache"));
        copy_tree(&store, &generated.join(".burnrate-cache"));
        drawn.push((n, first[0]));
        let (runs, stdout) = cold(build(root.clone(), out.clone()), &out, runs_n);
        let mut row = Row::new(format!("synthetic N = {n}"), n, pages_built(&stdout), &runs);
        let sections = sorted_files(&root, "content/sections");
        let middle: Vec<PathBuf> = sections
            .iter()
            .skip(sections.len() / 2)
            .take(5)
            .cloned()
            .collect();
        row.rebuild = Some(rebuilds(
            &root,
            &middle,
            Path::new("content/companies/c00001.yaml"),
            5,
        ));
        row.print();
        rows.push(row);
        previews.push((
            format!("synthetic N = {n}"),
            preview::measure(bin, &root, &middle[0], 5, idle),
        ));
    }

    for tool in tools() {
        let name = format!("{tool:?}").to_lowercase();
        for &n in &o.sizes {
            let root = sites.join(format!("{name}-n{n}"));
            synth::generate_for(tool, &root, &synth::Options::new(n)).expect("generate the site");
            let out = o.out.join(format!("{name}-n{n}"));
            let command = {
                let (root, out, name) = (root.clone(), out.clone(), name.clone());
                move || {
                    let mut c = Command::new(&name);
                    match tool {
                        synth::Tool::Hugo => c.arg("--quiet").arg("-s").arg(&root).arg("-d"),
                        synth::Tool::Zola => c.arg("--root").arg(&root).arg("build").arg("-o"),
                    };
                    c.arg(&out);
                    c
                }
            };
            if command().arg("--help").output().is_err() {
                println!("({name} is not on PATH)");
                break;
            }
            let runs_n = o.runs.unwrap_or(if n >= 10_000 { 3 } else { 5 });
            let (runs, _) = cold(command.clone(), &out, runs_n);
            // Count the pages of one more build.
            let _ = measure(&mut command());
            let pages = walk_count(&out, "html");
            let _ = fs::remove_dir_all(&out);
            Row::new(format!("{tool:?}, N = {n}"), n, pages, &runs).print();
        }
    }

    println!();
    let on_disk = o.disk.join("bench-out");
    fs::create_dir_all(&on_disk).expect("output folder on the editor's disk");
    let mut outputs = vec![(disk::describe(&o.out), o.out.clone())];
    if !o.out.starts_with(&on_disk) {
        let name = if o.disk == repo.join("target") {
            "repository disk".to_string()
        } else {
            o.disk.display().to_string()
        };
        outputs.push((format!("{} ({name})", disk::describe(&on_disk)), on_disk));
    }
    disk::heading();
    // Each site is built from its copy on the same disk as the output (see above).
    let mut disk_sites = vec![disk::Site {
        name: "real site".into(),
        roots: [here.clone(), copy.clone()],
        section: sections[0].clone(),
    }];
    for &n in &o.sizes {
        let root = sites.join(format!("n{n}"));
        let section = sorted_files(&root, "content/sections")[n / 2].clone();
        disk_sites.push(disk::Site {
            name: format!("synthetic N = {n}"),
            roots: [o.out.join(format!("site-n{n}")), root],
            section,
        });
    }
    for site in &disk_sites {
        let runs_n = o
            .runs
            .unwrap_or(if site.name.ends_with("10000") { 3 } else { 5 });
        for ((name, dir), root) in outputs.iter().zip(&site.roots) {
            let out = dir.join("present");
            disk::row(bin, site, root, name, &out, runs_n);
        }
    }

    println!();
    println!(
        "| site | cold build, no kept cards (one run) | CPU | with kept cards (above) | CPU |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (n, run) in &drawn {
        if let Some(row) = rows.iter().find(|r: &&Row| r.sections == *n) {
            println!(
                "| synthetic N = {n} | {} | {} | {} | {} |",
                ms(run.wall),
                ms(run.cpu),
                ms(row.wall),
                ms(row.cpu)
            );
        }
    }

    println!();
    println!(
        "| preview (`serve`) | save to reload event, median of 5 | idle CPU (share of one core) |"
    );
    println!("|---|---:|---:|");
    for (site, (latency, cpu)) in &previews {
        println!("| {site} | {} | {:.1} % |", ms(*latency), cpu * 100.0);
    }

    let by_size = |n: usize| rows.iter().find(|r| r.sections == n);
    if let (Some(k1), Some(k10)) = (by_size(1000), by_size(10_000)) {
        println!();
        println!(
            "10 000 sections cost {:.1} times 1 000 (wall), {:.1} times (CPU)",
            k10.wall.as_secs_f64() / k1.wall.as_secs_f64(),
            k10.cpu.as_secs_f64() / k1.cpu.as_secs_f64()
        );
    }
}

/// The other generators to build the equivalent sites with, `--hugo` and `--zola`, in the order
/// given.
fn tools() -> Vec<synth::Tool> {
    std::env::args()
        .filter_map(|arg| match arg.as_str() {
            "--hugo" => Some(synth::Tool::Hugo),
            "--zola" => Some(synth::Tool::Zola),
            _ => None,
        })
        .collect()
}

fn sorted_files(root: &Path, dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(root.join(dir))
        .map(|d| {
            d.flatten()
                .map(|e| Path::new(dir).join(e.file_name()))
                .filter(|p| p.extension().is_some_and(|x| x == "md"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn walk_count(dir: &Path, ext: &str) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() {
                walk_count(&path, ext)
            } else {
                usize::from(path.extension().is_some_and(|x| x == ext))
            }
        })
        .sum()
}
