//! Builds into an output that already exists write only what changed, and a build killed at
//! any file operation, or a manifest that lies, never leaves a wrong file.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{TempSite, fixture, snapshot};

const INTRO: &str = "content/sections/01-intro.md";
const EXTRA: &str = "content/sections/04-extra.md";
/// The drawings file the minimal fixture's builds keep.
const KEPT_DRAWINGS: &str = ".burnrate-cache/drawings/site";

/// Turns the fixture into the old site (with an extra section) or the new one (without it, and
/// with the first section edited), so going from old to new changes, adds and removes files.
fn make(site: &TempSite, new: bool) {
    let intro = fs::read_to_string(fixture("minimal").path(INTRO)).unwrap();
    if new {
        site.write(INTRO, format!("{intro}\n新增的一句话。\n"));
        if site.path(EXTRA).exists() {
            site.remove(EXTRA);
        }
    } else {
        site.write(INTRO, &intro);
        site.write(
            EXTRA,
            intro
                .replace("title: 开篇", "title: 另一篇")
                .replace("order: 1", "order: 4"),
        );
    }
}

/// What a fresh build of the site as it is now writes.
fn fresh(site: &TempSite) -> BTreeMap<PathBuf, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("fresh");
    site.build_with(Some(dir.clone()), None).unwrap();
    snapshot(&dir)
}

/// Names beside the output that burnrate left, the lock and the kept social cards excepted.
fn leftovers(site: &TempSite) -> Vec<String> {
    fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("burnrate") && n != ".public.burnrate-lock")
        .filter(|n| n != ".burnrate-cache")
        .collect()
}

/// Runs `burnrate build` and has it abort just before its file operation number `n` + 1;
/// true when it finished anyway.
///
/// A build refused as busy touched nothing and is run again: the lock of this test's own
/// library build can live on for a moment in a process that another test is starting (a
/// forked child holds the file until it runs its program).
fn build_killed_after(root: &Path, n: usize) -> bool {
    loop {
        let out = Command::new(env!("CARGO_BIN_EXE_burnrate"))
            .arg("build")
            .current_dir(root)
            .env(burnrate::write::ABORT_AFTER, n.to_string())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if stderr.contains("another burnrate build is writing") {
            continue;
        }
        assert!(
            out.status.success() || out.status.code().is_none(),
            "killed after {n}: {}: {stderr}",
            out.status
        );
        return out.status.success();
    }
}

#[test]
fn a_rebuild_writes_only_what_changed() {
    let site = fixture("minimal");
    make(&site, false);
    let first = site.build().unwrap();
    assert_eq!(first.written, first.files);
    let again = site.build().unwrap();
    assert_eq!(again.written, 0, "nothing changed, nothing written");
    make(&site, true);
    let edited = site.build().unwrap();
    assert!(
        edited.written > 0 && edited.written < edited.files,
        "{edited:?}"
    );
    assert!(snapshot(&site.public()) == fresh(&site));
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
}

/// Kills the build from old to new after each of its file operations in turn, with and without
/// a manifest (changed files moved in one by one, or the whole folder swapped).
#[test]
fn a_build_killed_at_any_file_operation_leaves_old_or_new_files_and_the_next_build_repairs_them() {
    let site = fixture("minimal");
    make(&site, false);
    let old = fresh(&site);
    make(&site, true);
    let new = fresh(&site);
    for with_manifest in [true, false] {
        let mut n = 0;
        loop {
            make(&site, false);
            burnrate::write::remove_tree(&site.public()).unwrap();
            site.build().unwrap();
            if !with_manifest {
                fs::remove_file(site.public().join(burnrate::write::manifest::NAME)).unwrap();
            }
            make(&site, true);
            let finished = build_killed_after(site.root(), n);
            // Killed between the two renames of a swap, the old output is complete beside it.
            let kept = site.path(".public.burnrate-old");
            let public = site.public();
            let now = snapshot(if public.exists() { &public } else { &kept });
            for rel in now.keys().chain(old.keys()).chain(new.keys()) {
                let here = now.get(rel);
                assert!(
                    here == old.get(rel) || here == new.get(rel),
                    "killed after {n} operations (manifest: {with_manifest}): {} is neither old nor new",
                    rel.display()
                );
            }
            site.build().unwrap();
            assert!(
                snapshot(&site.public()) == new,
                "after a build killed after {n} operations"
            );
            assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
            if finished {
                break;
            }
            n += 1;
        }
        assert!(n > 3, "the build did only {n} file operations");
    }
}

#[test]
fn files_changed_added_or_removed_behind_the_manifests_back_are_repaired() {
    let site = fixture("minimal");
    site.build().unwrap();
    let good = snapshot(&site.public());
    let public = site.public();
    // Same size, other bytes, written after the build.
    let index = fs::read(public.join("index.html")).unwrap();
    let mut changed = index.clone();
    changed[0] = b'X';
    fs::write(public.join("index.html"), &changed).unwrap();
    let later = fs::metadata(public.join("index.html"))
        .unwrap()
        .modified()
        .unwrap()
        + std::time::Duration::from_secs(1);
    fs::File::options()
        .write(true)
        .open(public.join("index.html"))
        .unwrap()
        .set_modified(later)
        .unwrap();
    fs::write(public.join("stray.html"), "not ours").unwrap();
    fs::create_dir_all(public.join("stray/deeper")).unwrap();
    fs::remove_file(public.join("data/facts.json")).unwrap();
    let summary = site.build().unwrap();
    assert_eq!(summary.written, 2, "index.html and facts.json");
    assert!(snapshot(&public) == good);
    assert!(!public.join("stray").exists());
}

#[test]
fn a_manifest_edited_by_hand_or_copied_from_elsewhere_is_not_trusted() {
    let site = fixture("minimal");
    make(&site, false);
    let elsewhere = tempfile::tempdir().unwrap();
    let other = elsewhere.path().join("other");
    site.build_with(Some(other.clone()), None).unwrap();
    site.build().unwrap();
    let manifest = site.public().join(burnrate::write::manifest::NAME);
    let text = fs::read_to_string(&manifest).unwrap();
    make(&site, true);
    let new = fresh(&site);
    // Hand-edited: claims the new intro page is already in place.
    let fake = fs::read_to_string(other.join(burnrate::write::manifest::NAME)).unwrap();
    for (lie, copied) in [(text.replacen('0', "1", 1), false), (fake, true)] {
        fs::write(&manifest, lie).unwrap();
        let summary = site.build().unwrap();
        // Copied from elsewhere, it still vouches, truly, for the social cards both folders
        // link from the card store (one file each, in both): only those are not written.
        let shared = if copied {
            linked_from(&other, &site.public())
        } else {
            0
        };
        assert!(!copied || shared > 0);
        assert_eq!(
            summary.written + shared,
            summary.files,
            "the whole folder is written again"
        );
        assert!(snapshot(&site.public()) == new);
        make(&site, false);
        site.build().unwrap();
        make(&site, true);
    }
}

/// How many files of `a` are the very same file (one inode) at the same place in `b`.
fn linked_from(a: &Path, b: &Path) -> usize {
    use std::os::unix::fs::MetadataExt;
    let inode = |p: &Path| fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
    walkdir::WalkDir::new(a)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let rel = e.path().strip_prefix(a).unwrap();
            inode(e.path()) == inode(&b.join(rel))
        })
        .count()
}

/// The outputs whose inputs did not change since the build that wrote them (every page, card,
/// chart file and data download) are not made again, and are made again as soon as something
/// they show changes.
#[test]
fn an_output_whose_inputs_did_not_change_is_left_in_place_and_made_again_when_they_do() {
    use burnrate::write::manifest;
    let site = fixture("minimal");
    let first = site.build().unwrap();
    assert_eq!(first.recalled, 0, "a first build recalls nothing");
    let listed = fs::read_to_string(site.public().join(manifest::NAME)).unwrap();
    let keyed = manifest::parse_keyed(&listed)
        .unwrap()
        .values()
        .filter(|(_, key)| key.is_some())
        .count();
    // All but the static files and the markers for GitHub Pages.
    assert!(
        keyed > 20 && keyed < first.files,
        "{keyed} of {}",
        first.files
    );
    let again = site.build().unwrap();
    assert_eq!((again.recalled, again.written), (keyed, 0));

    // A section's text edited: its page is made again (its card shows what it showed).
    site.replace(INTRO, "## 支出", "新的一句。\n\n## 支出");
    let edited = site.build().unwrap();
    assert_eq!((edited.recalled, edited.written), (keyed - 1, 1));
    let page = fs::read_to_string(site.public().join("sections/intro/index.html")).unwrap();
    assert!(page.contains("新的一句"), "{page}");
    assert!(snapshot(&site.public()) == fresh(&site));

    // A setting every page shows: everything is made again.
    site.replace(
        "content/site.yaml",
        "title: 测试站点",
        "title: 新的测试站点",
    );
    assert_eq!(site.build().unwrap().recalled, 0);
    assert!(snapshot(&site.public()) == fresh(&site));
}

/// A page made again while its chart's files are recalled draws the chart for itself alone, and
/// shows it as a build into a new folder does. (Run with the binary: the library's builds in
/// these tests make every recalled output anyway, to compare it, so they draw charts whole.)
#[test]
fn a_page_made_again_shows_its_chart_as_a_build_into_a_new_folder_does() {
    let site = fixture("minimal");
    assert_eq!(site.run(&["build"]).code, Some(0));
    site.replace(INTRO, "## 支出", "新的一句。\n\n## 支出");
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("1 changed)"), "{}", run.stdout);
    let page = fs::read_to_string(site.public().join("sections/intro/index.html")).unwrap();
    assert!(
        page.contains("新的一句") && page.contains("<figure"),
        "{page}"
    );
    assert!(snapshot(&site.public()) == fresh(&site));
}

/// Builds `site`, then plants drawings of its chart `money` that say something else (`宽` wide,
/// `窄` narrow, `独` standalone) in the drawings file that build kept, under its key; the file's
/// bytes.
fn planted_drawings(site: &TempSite) -> Vec<u8> {
    use burnrate::chart::store;
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let key = store::read(site.root(), "site")
        .expect("the build keeps its drawings")
        .key();
    let mut file = Vec::new();
    store::write_to(
        &mut file,
        key,
        &[("money", ["<svg>宽</svg>", "<svg>窄</svg>", "<svg>独</svg>"])],
    )
    .unwrap();
    fs::write(site.path(KEPT_DRAWINGS), &file).unwrap();
    file
}

/// A page made again while its chart's files are recalled takes the chart's drawings from the
/// file the build that drew them kept (`.burnrate-cache/drawings/`), under that build's key;
/// drawings whose checksum fails, or no file at all, are drawn again.
#[test]
fn a_page_made_again_takes_its_charts_drawings_from_the_build_that_drew_them() {
    let site = fixture("minimal");
    let page = || fs::read_to_string(site.public().join("sections/intro/index.html")).unwrap();
    let edit = |n: usize| {
        site.replace(INTRO, "## 支出", &format!("第{n}句。\n\n## 支出"));
        let run = site.run(&["build"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(run.stdout.contains("1 changed)"), "{}", run.stdout);
    };
    // Kept drawings that say something else, under the build's key: shown, so not drawn.
    let mut file = planted_drawings(&site);
    edit(1);
    assert!(page().contains("<svg>宽</svg>") && page().contains("<svg>窄</svg>"));
    // A drawing whose checksum fails, and then no kept file at all: drawn as in a new folder.
    let at = file.len() - 1;
    file[at] ^= 1;
    fs::write(site.path(KEPT_DRAWINGS), &file).unwrap();
    edit(2);
    assert!(!page().contains("<svg>宽</svg>"));
    assert!(snapshot(&site.public()) == fresh(&site));
    fs::remove_dir_all(site.path(".burnrate-cache/drawings")).unwrap();
    edit(3);
    assert!(snapshot(&site.public()) == fresh(&site));
}

/// A build into a new output folder draws no chart whose drawings an earlier build kept under
/// the same key: the pages and the chart's own file show the kept ones.
#[test]
fn a_new_output_takes_its_charts_drawings_from_the_build_that_drew_them() {
    let site = fixture("minimal");
    let build = || {
        fs::remove_dir_all(site.public()).unwrap();
        let run = site.run(&["build"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
    };
    let read = |path: &str| fs::read_to_string(site.public().join(path)).unwrap();
    let mut file = planted_drawings(&site);
    build();
    let page = read("sections/intro/index.html");
    assert!(page.contains("<svg>宽</svg>") && page.contains("<svg>窄</svg>"));
    assert_eq!(read("charts/money.svg"), "<svg>独</svg>");
    assert!(read("data/charts/money.csv").contains("alpha/funding"));
    // A drawing whose checksum fails: drawn, as without the file.
    let at = file.len() - 1;
    file[at] ^= 1;
    fs::write(site.path(KEPT_DRAWINGS), &file).unwrap();
    build();
    assert!(!read("sections/intro/index.html").contains("<svg>宽</svg>"));
    assert!(read("charts/money.svg").starts_with("<svg xmlns="));
    assert!(snapshot(&site.public()) == fresh(&site));
}
