//! Differential tests of everything that reuses earlier work: many random edits (seeded, so
//! every run makes the same ones) of sections, facts, companies, charts and templates of the
//! real site, each rebuilt through `serve`'s [`Session`] and compared byte for byte with a fresh
//! render, or built into the last build's output (which leaves unchanged pages in place) and
//! compared with a build into a new folder; failures message for message. Test builds also
//! check every page the memo reuses against its spec's own key, and every page a build leaves
//! in place against the bytes it would make.

use std::fs;
use std::path::{Path, PathBuf};

use burnrate::BuildOptions;
use burnrate::build::render_site;
use burnrate::serve::Session;

use crate::common::{copy_dir, repo, snapshot};

const URL: &str = "http://127.0.0.1:1111/site/";

/// How many edits one run makes through `serve`'s session.
const STEPS: usize = 150;

/// How many edits one run makes between builds (each builds twice: into the last output and
/// into a new folder).
const BUILD_STEPS: usize = 100;

/// xorshift64*: a small generator whose sequence is fixed by its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The files of `dir` (relative to `root`) with extension `ext`, at any depth, sorted.
fn files(root: &Path, dir: &str, exts: &[&str]) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(root.join(dir))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| {
            p.is_file()
                && p.extension().is_some_and(|x| exts.iter().any(|e| x == *e))
                && !p.starts_with(root.join("templates/strings"))
        })
        .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
        .collect();
    found.sort();
    found
}

/// `text` with the value of one `key:` line (at any indentation, chosen at random among them)
/// replaced by `value`; `None` when there is no such line. A text given per language (`key:`
/// followed by indented `zh-CN: …` lines, or `key: {zh-CN: …, en: …}`) gets `value` as its
/// Chinese text, so the site stays valid in both editions.
fn set_value(rng: &mut Rng, text: &str, key: &str, value: &str) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let at: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            let line = lines[i].trim_start();
            line.starts_with(&format!("{key}: ")) || line.trim_end() == format!("{key}:")
        })
        .collect();
    if at.is_empty() {
        return None;
    }
    let mut i = *rng.pick(&at);
    let mut line = lines[i].trim_start();
    if line.trim_end() == format!("{key}:") {
        // Per language on the lines below: the Chinese one.
        i = (i + 1..lines.len()).find(|&j| lines[j].trim_start().starts_with("zh-CN: "))?;
        line = lines[i].trim_start();
    }
    let indent = &lines[i][..lines[i].len() - line.len()];
    let name = &line[..line.find(':')?];
    let new = match line.split_once(": {zh-CN: ") {
        // Per language in one line: the Chinese text, up to the next `, en:`.
        Some((_, rest)) => format!(
            "{name}: {{zh-CN: {value}, en: {}",
            rest.split_once(", en: ")?.1
        ),
        None => format!("{name}: {value}\n"),
    };
    let mut out: String = lines[..i].concat();
    out.push_str(indent);
    out.push_str(&new);
    out.push_str(&lines[i + 1..].concat());
    Some(out)
}

/// What the site's texts can refer to: every fact (`<company>/<fact id>`), every chart
/// (`chart:<id>`) and the computed figures its sections already show (`a/x / b/y`).
struct Refs {
    facts: Vec<String>,
    charts: Vec<String>,
    computed: Vec<String>,
}

fn refs(root: &Path) -> Refs {
    let loaded = burnrate::load::load(root).expect("the real site loads");
    let site = &loaded.site;
    Refs {
        facts: site
            .companies
            .iter()
            .flat_map(|c| c.facts.iter().map(move |f| format!("{}/{}", c.slug, f.id)))
            .collect(),
        charts: site
            .charts
            .iter()
            .map(|c| format!("chart:{}", c.id))
            .collect(),
        computed: site
            .sections
            .iter()
            .flat_map(|s| s.computed_refs.iter().cloned())
            .collect(),
    }
}

/// One random edit of the kind `kind` (0 to 4: section, fact, company, chart, template); the
/// files it changed.
fn edit(rng: &mut Rng, root: &Path, kind: usize, step: usize, refs: &Refs) -> Vec<PathBuf> {
    let (dir, exts): (&str, &[&str]) = match kind {
        0 => ("content/sections", &["md"]),
        1 | 2 => ("content/companies", &["yaml"]),
        3 => ("content/charts", &["yaml"]),
        _ => ("templates", &["html", "xml", "txt"]),
    };
    let all = files(root, dir, exts);
    let rel = rng.pick(&all).clone();
    let path = root.join(&rel);
    let text = fs::read_to_string(&path).unwrap();
    // A power of ten: a valid value for every qualifier ("several" wants one).
    let number = 10u64.pow(3 + rng.below(9) as u32).to_string();
    let changed = match (kind, rng.below(8)) {
        (0, 0) => Some(format!(
            "{text}\n第{step}段的分析，数字是[[{}]]。\n",
            rng.pick(&refs.facts)
        )),
        (0, 5) => Some(format!("{text}\n[[{}]]\n", rng.pick(&refs.charts))),
        // A figure first thing in the text: what the section's card shows may change.
        (0, 7) => text.rsplit_once("\n---\n").map(|(front, body)| {
            let fact = rng.pick(&refs.facts);
            format!("{front}\n---\n第{step}段开头的数字：[[{fact}]]。\n\n{body}")
        }),
        (0, 6) => Some(format!(
            "{text}\n第{step}段的比较：[[{}]]。\n",
            rng.pick(&refs.computed)
        )),
        (0, 4) => Some(format!("{text}\n第{step}段的分析，没有数字。\n")),
        (0, 1) => set_value(rng, &text, "title", &format!("标题{step}")),
        (0, 2) => set_value(rng, &text, "summary", &format!("第{step}次改写的摘要。")),
        (0, _) => {
            // A new section, or one added earlier removed again.
            let added = files(root, dir, exts)
                .into_iter()
                .filter(|p| p.to_string_lossy().contains("-added-"))
                .collect::<Vec<_>>();
            if let Some(old) = added.first().filter(|_| rng.below(2) == 0) {
                fs::remove_file(root.join(old)).unwrap();
                return vec![old.clone()];
            }
            let new = PathBuf::from(format!("{dir}/{}-added-{step}.md", 500 + step));
            let body = format!(
                "---\ntitle: 新章{step}\nsummary: 新的一章。\norder: {}\ndate: 2024-05-08\n---\n数字是[[{}]]。\n",
                500 + step,
                rng.pick(&refs.facts)
            );
            fs::write(root.join(&new), body).unwrap();
            return vec![new];
        }
        (1, 0 | 1) => set_value(rng, &text, "value", &number),
        (1, 2) => set_value(rng, &text, "who", &format!("消息人士{step}")),
        (1, _) => set_value(rng, &text, "period", &format!("{}年", 2000 + step)),
        (2, 0 | 1) => set_value(rng, &text, "zh", &format!("公司{step}")),
        (2, _) => set_value(
            rng,
            &text,
            "description",
            &format!("第{step}次改写的简介。"),
        ),
        (3, 0) => set_value(rng, &text, "title", &format!("图表{step}")),
        (3, 1) => set_value(
            rng,
            &text,
            "description",
            &format!("第{step}次改写的说明。"),
        ),
        (3, _) => set_value(rng, &text, "- label", &format!("行{step}")),
        (_, _) => {
            // Into the first block of a template that has blocks, else at its end.
            let comment = format!("<!-- edit {step} -->");
            let at = text
                .find("{% block ")
                .and_then(|b| text[b..].find("%}").map(|e| b + e + 2));
            Some(match at {
                Some(at) => format!("{}{comment}{}", &text[..at], &text[at..]),
                None => format!("{text}{comment}\n"),
            })
        }
    };
    match changed {
        Some(new) => {
            fs::write(&path, new).unwrap();
            vec![rel]
        }
        None => Vec::new(),
    }
}

/// Rebuilds through `session` after `changed` and checks it made what a fresh render makes.
fn rebuild_matches(session: &mut Session, root: &Path, changed: &[PathBuf], what: &str) {
    let kept = session.rebuild(changed).map_err(|e| e.to_string());
    let fresh = render_site(root, Some(URL), true).map_err(|e| e.to_string());
    match (kept, fresh) {
        (Ok(kept), Ok(fresh)) => {
            // Like with like: the preview draws no social card, and everything else it makes
            // is byte for byte what a build makes (pages name their cards all the same).
            let (cards, fresh): (Vec<_>, Vec<_>) =
                (fresh.outputs.iter()).partition(|o| burnrate::render::is_card(&o.path));
            assert!(!cards.is_empty(), "{what}: a fresh build draws cards");
            let paths: Vec<&String> = kept.files.keys().collect();
            let expected: Vec<&String> = fresh.iter().map(|o| &o.path).collect();
            assert_eq!(paths, expected, "{what}: the outputs differ");
            for o in &fresh {
                assert!(
                    kept.files[&o.path][..] == o.bytes[..],
                    "{what}: {} differs from a fresh build",
                    o.path
                );
            }
        }
        (Err(kept), Err(fresh)) => assert_eq!(kept, fresh, "{what}"),
        (kept, fresh) => panic!(
            "{what}: the rebuild {} but a fresh build {}",
            if kept.is_ok() { "succeeded" } else { "failed" },
            if fresh.is_ok() { "succeeded" } else { "failed" }
        ),
    }
}

/// Copies the real site into `root` and makes `steps` random edits of it, calling
/// `check(changed, what)` after each; one in ten also breaks a changed file for one call and
/// restores it for the next.
fn random_edits(root: &Path, steps: usize, check: &mut dyn FnMut(&[PathBuf], &str)) {
    for dir in ["content", "templates", "static"] {
        copy_dir(&repo().join(dir), &root.join(dir));
    }
    let refs = refs(root);
    check(&[], "the first build");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut kinds = [0usize; 5];
    for step in 0..steps {
        // Mostly one file, sometimes several of different kinds at once.
        let mut changed = Vec::new();
        let mut what = Vec::new();
        for _ in 0..1 + usize::from(rng.below(5) == 0) * 2 {
            let kind = rng.below(5);
            kinds[kind] += 1;
            let files = edit(&mut rng, root, kind, step, &refs);
            what.push(format!("{files:?}"));
            changed.extend(files);
        }
        let what = format!("step {step}: {}", what.join(", "));
        eprintln!("{what}");
        let exists = changed.first().is_some_and(|p| root.join(p).is_file());
        if rng.below(10) == 0 && exists {
            // A file broken for one rebuild, then restored.
            let broken = changed[0].clone();
            let good = fs::read(root.join(&broken)).unwrap();
            let mut bad = good.clone();
            bad.extend_from_slice("\n[[nobody/nothing]]\n: : [\n".as_bytes());
            fs::write(root.join(&broken), &bad).unwrap();
            check(&changed, &format!("{what}, broken"));
            fs::write(root.join(&broken), &good).unwrap();
            check(&[broken], &format!("{what}, restored"));
        } else {
            check(&changed, &what);
        }
    }
    assert!(
        kinds.iter().all(|&n| n > steps / 15),
        "every kind of edit ran: {kinds:?}"
    );
}

#[test]
fn random_edits_rebuild_byte_for_byte_what_a_fresh_build_makes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut session = None;
    random_edits(root, STEPS, &mut |changed, what| {
        let session = session.get_or_insert_with(|| Session::new(root, Some(URL)));
        rebuild_matches(session, root, changed, what);
    });
}

/// Builds the site at `root` into `output` and into a new folder `fresh`, and checks that
/// both hold the same files, or that both builds failed alike and `output` was left as it was.
fn build_matches(root: &Path, output: &Path, fresh: &Path, what: &str) {
    let build = |output: &Path| {
        burnrate::build(&BuildOptions {
            root: root.to_path_buf(),
            output: Some(output.to_path_buf()),
            base_url: Some(URL.to_string()),
            drafts: false,
            check_recalled: true,
        })
        .map(|summary| summary.files)
        .map_err(|e| e.to_string())
    };
    let before = snapshot(output);
    if fresh.exists() {
        fs::remove_dir_all(fresh).unwrap();
    }
    match (build(output), build(fresh)) {
        (Ok(files), Ok(_)) => {
            let (kept, made) = (snapshot(output), snapshot(fresh));
            assert_eq!(kept.len(), files, "{what}");
            let differ: Vec<&PathBuf> = made
                .keys()
                .chain(kept.keys())
                .filter(|p| kept.get(*p) != made.get(*p))
                .collect();
            assert!(
                differ.is_empty(),
                "{what}: these differ from a build into a new folder: {differ:?}"
            );
        }
        (Err(kept), Err(made)) => {
            assert_eq!(kept, made, "{what}");
            assert!(
                snapshot(output) == before,
                "{what}: a failed build changed the output"
            );
        }
        (kept, made) => panic!(
            "{what}: the build {} but a build into a new folder {}",
            if kept.is_ok() { "succeeded" } else { "failed" },
            if made.is_ok() { "succeeded" } else { "failed" }
        ),
    }
}

#[test]
fn random_edits_build_into_the_last_output_what_a_build_into_a_new_folder_makes() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let (output, fresh) = (tmp.path().join("public"), tmp.path().join("fresh"));
    random_edits(&root, BUILD_STEPS, &mut |_, what| {
        build_matches(&root, &output, &fresh, what);
    });
}
