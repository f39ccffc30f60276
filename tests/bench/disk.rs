//! Builds on the editor's disk: each site built into an output folder on the repository's own
//! disk (`target/bench-out`, or under `--disk DIR`) beside tmpfs, cold and then with the output
//! present: nothing changed, and one section edited between builds; and what that disk is.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Run, build_command, cold, measure, median, ms};

/// One site to measure: its name, its copies (one on each disk measured, beside the output, in
/// the order of the disks) and the section to edit.
pub struct Site {
    pub name: String,
    pub roots: [PathBuf; 2],
    pub section: PathBuf,
}

/// What file system holds `dir` (which exists), from `/proc/mounts`: its type, and for ext3 and
/// ext4 whether it keeps a journal. Without one, ext4 will not reuse an inode freed in the last
/// seconds and scans past every such inode on each file it creates (`recently_deleted` in its
/// inode allocator), so a build just after a whole output was removed pays for the removal; a
/// journalled ext4, the default, does not (README, "Performance").
pub fn describe(dir: &Path) -> String {
    let dir = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mounts = fs::read_to_string("/proc/mounts").unwrap_or_default();
    let Some((device, kind)) = mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split(' ');
            let device = fields.next()?;
            let point = fields.next()?.replace("\\040", " ");
            let kind = fields.next()?;
            dir.starts_with(&point)
                .then_some((device, kind, point.len()))
        })
        .max_by_key(|&(_, _, len)| len)
        .map(|(device, kind, _)| (device, kind))
    else {
        return "unknown file system".into();
    };
    if !matches!(kind, "ext3" | "ext4") {
        return kind.into();
    }
    // The kernel lists a journal as `/proc/fs/jbd2/<device>-<inode>`, under the device's own
    // name (`dm-0`, not the `/dev/mapper/` link to it).
    let name = fs::canonicalize(device)
        .ok()
        .and_then(|d| Some(d.file_name()?.to_string_lossy().into_owned()));
    let journals: Option<Vec<String>> = fs::read_dir("/proc/fs/jbd2").ok().map(|d| {
        d.flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    });
    match (name, journals) {
        (Some(name), Some(journals)) => {
            let prefix = format!("{name}-");
            if journals.iter().any(|j| j.starts_with(&prefix)) {
                format!("{kind}, journal")
            } else {
                format!("{kind}, no journal")
            }
        }
        _ => kind.into(),
    }
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
    let build = || build_command(bin, root, out);
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
