//! The floor benchmark: `cargo bench --bench floor` (README, "Performance").
//!
//! What the least any generator does with a synthetic site costs on this machine, beside a cold
//! `burnrate build` of the same site, the two run in turn so that a busy host slows both alike.
//! The floor reads every section, parses its front matter with yaml_serde, renders its
//! Markdown with pulldown-cmark and burnrate's options, and writes each page into a folder of
//! its own at about the size of burnrate's (its HTML twice, plus 8 KB standing for the page's
//! frame and drawings), on every core with rayon and with jemalloc, as burnrate's binary
//! allocates. Nothing else burnrate does is in it: companies, facts and their checks, charts,
//! templates, cards, structured data, the manifest. The gap between the two columns is what
//! those cost.
//!
//! The site is the build benchmark's copy on tmpfs (`<out>/site-n<N>`, with its kept social
//! cards) when `cargo bench` ran it first; otherwise it is generated there and built once,
//! untimed, which draws its cards. Options as for the build benchmark: `--sizes`, `--runs`
//! (default 5, 3 at 10 000), `--out`, `--disk`.

#[path = "harness.rs"]
mod harness;
#[path = "synth.rs"]
mod synth;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use harness::{Run, build_command, copy_tree, machine, measure, median, ms, options};
use pulldown_cmark::{Parser, html};
use rayon::prelude::*;
use serde::Deserialize;

/// jemalloc with two arenas (`.cargo/config.toml`), as in burnrate's binary.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The front matter fields every section has.
#[derive(Deserialize)]
#[allow(dead_code)] // Parsed for the cost of parsing them; only the title is written.
struct Meta {
    title: String,
    summary: String,
    order: u32,
    date: String,
    #[serde(default)]
    companies: Vec<String>,
    #[serde(default)]
    draft: bool,
}

/// Builds the floor's pages of the site at `root` into `out`; prints how many.
fn floor(root: &Path, out: &Path) {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/sections"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let frame = " ".repeat(8 * 1024);
    let pages = files
        .par_iter()
        .map(|path| {
            let text = fs::read_to_string(path).expect("read a section");
            let (front, body) = text
                .strip_prefix("---\n")
                .and_then(|rest| rest.split_once("\n---\n"))
                .expect("front matter");
            let meta: Meta = yaml_serde::from_str(front).expect("parse front matter");
            let mut body_html = String::with_capacity(body.len() * 2);
            html::push_html(
                &mut body_html,
                Parser::new_ext(body, burnrate::markdown::options()),
            );
            let page = format!(
                "<!DOCTYPE html><title>{}</title>{body_html}{body_html}{frame}",
                meta.title
            );
            let folder = out.join("sections").join(path.file_stem().expect("a name"));
            fs::create_dir_all(&folder).expect("make the page's folder");
            fs::write(folder.join("index.html"), page).expect("write the page");
        })
        .count();
    println!("built {pages} pages");
}

/// Median wall time, median CPU time and peak memory of `runs`.
fn summary(runs: &[Run]) -> String {
    format!(
        "{} | {} | {:.0} MiB",
        ms(median(runs.iter().map(|r| r.wall).collect())),
        ms(median(runs.iter().map(|r| r.cpu).collect())),
        runs.iter().map(|r| r.max_rss).max().unwrap_or(0) as f64 / 1024.0
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--run") {
        floor(Path::new(&args[i + 1]), Path::new(&args[i + 2]));
        return;
    }
    let o = options();
    let bin = env!("CARGO_BIN_EXE_burnrate");
    let me = std::env::current_exe().expect("the benchmark's own path");
    println!("machine: {}", machine());
    println!("outputs in {}, removed before each run", o.out.display());
    println!();
    println!(
        "| site | floor | CPU | peak memory | burnrate cold build | CPU | peak memory | burnrate ÷ floor (wall) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for &n in &o.sizes {
        let root = o.out.join(format!("site-n{n}"));
        if !root.join("content").is_dir() {
            let generated = o.disk.join("bench-sites").join(format!("n{n}"));
            synth::generate(&generated, &synth::Options::new(n)).expect("generate the site");
            copy_tree(&generated, &root);
        }
        let out = o.out.join(format!("floor-n{n}"));
        let burnrate = || build_command(bin, &root, &out);
        // Untimed: draws the cards a new copy lacks, and reads the site into the page cache.
        let _ = fs::remove_dir_all(&out);
        measure(&mut burnrate());
        let (mut floors, mut builds) = (Vec::new(), Vec::new());
        for _ in 0..o.runs.unwrap_or(if n >= 10_000 { 3 } else { 5 }) {
            let _ = fs::remove_dir_all(&out);
            floors.push(measure(Command::new(&me).arg("--run").arg(&root).arg(&out)).0);
            let _ = fs::remove_dir_all(&out);
            builds.push(measure(&mut burnrate()).0);
        }
        let _ = fs::remove_dir_all(&out);
        let wall = |runs: &[Run]| median(runs.iter().map(|r| r.wall).collect()).as_secs_f64();
        println!(
            "| synthetic N = {n} | {} | {} | {:.1} |",
            summary(&floors),
            summary(&builds),
            wall(&builds) / wall(&floors)
        );
    }
}
