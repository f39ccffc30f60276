//! Builds on the editor's disk: each site built into an output folder on the repository's own
//! disk (ext4 here, `target/bench-out`) beside tmpfs, cold and then with the output present:
//! nothing changed, and one section edited between builds.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Run, cold, measure, median, ms};

/// One site to measure: its name, its copies (one on each disk measured, beside the output, in
/// the order of the disks) and the section to edit.
pub struct Site {
    pub name: String,
    pub roots: [PathBuf; 2],
    pub section: PathBuf,
}

/// Prints the table's heading.
pub fn heading() {
    println!(
        "| site | output on | cold build | CPU | present, nothing changed | CPU | one section edited | CPU |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
}

/// Measures `site`, from its copy at `root`, built by `bin` into `out` (on the disk called
/// `disk`), `runs` times each, and prints its row. The edited section is put back afterwards.
pub fn row(bin: &str, site: &Site, root: &Path, disk: &str, out: &Path, runs: usize) {
    let build = || {
        let mut c = Command::new(bin);
        c.arg("build")
            .arg("--root")
            .arg(root)
            .arg("--output")
            .arg(out);
        c
    };
    let (cold_runs, _) = cold(build, out, runs);
    measure(&mut build());
    let unchanged: Vec<Run> = (0..runs).map(|_| measure(&mut build()).0).collect();
    let path = root.join(&site.section);
    let original = fs::read_to_string(&path).expect("read the section");
    let edited: Vec<Run> = (0..runs)
        .map(|k| {
            fs::write(
                &path,
                format!("{original}\n编辑后新增的一句话，edit {k}。\n"),
            )
            .unwrap();
            measure(&mut build()).0
        })
        .collect();
    fs::write(&path, original).unwrap();
    let _ = fs::remove_dir_all(out);
    let wall = |runs: &[Run]| median(runs.iter().map(|r| r.wall).collect());
    let cpu = |runs: &[Run]| median(runs.iter().map(|r| r.cpu).collect());
    // No peak memory here: a child's maximum resident set starts from the benchmark's own at the
    // fork, which has grown by now; the first table has it.
    println!(
        "| {} | {disk} | {} | {} | {} | {} | {} | {} |",
        site.name,
        ms(wall(&cold_runs)),
        ms(cpu(&cold_runs)),
        ms(wall(&unchanged)),
        ms(cpu(&unchanged)),
        ms(wall(&edited)),
        ms(cpu(&edited)),
    );
}
