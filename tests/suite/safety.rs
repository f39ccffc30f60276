//! What no input or flag may do: delete an editor's files, write outside the output folder, let
//! two builds interleave, publish script, or lose the last good build after a crash.

use std::fs;
use std::path::Path;

use crate::common::{TempSite, fixture, snapshot};

/// Every file of the site folder, the output excepted, by path.
fn sources(site: &TempSite) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    snapshot(site.root())
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with("public") && !rel.starts_with(".public.burnrate-lock"))
        .collect()
}

#[test]
fn outputs_that_are_hold_or_lie_in_source_folders_are_refused_before_anything_is_touched() {
    let site = fixture("minimal");
    site.build().unwrap();
    site.write("notes.txt", "an editor's notes");
    let before = sources(&site);
    let public = snapshot(&site.public());
    let cases = [
        (".", "it is the site folder, which building would replace"),
        (
            "public/..",
            "it is the site folder, which building would replace",
        ),
        (
            "..",
            "it contains the site folder, which building would replace",
        ),
        (
            "content",
            "it is the source folder content, which building would replace",
        ),
        (
            "templates",
            "it is the source folder templates, which building would replace",
        ),
        (
            "static",
            "it is the source folder static, which building would replace",
        ),
        (
            "content/sections/out",
            "it lies inside the source folder content, which holds files editors write",
        ),
        ("notes.txt", "it is a file, not a folder"),
        ("public/index.html", "it is a file, not a folder"),
        (
            "public/sections",
            "it holds files that burnrate did not write (a built site always has .nojekyll)",
        ),
    ];
    for (output, why) in cases {
        let run = site.run(&["build", "--output", output]);
        assert_eq!(run.code, Some(2), "--output {output}: {}", run.stderr);
        assert!(
            run.stderr
                .starts_with(&format!("{output}: cannot write the site here: {why}")),
            "--output {output}: {}",
            run.stderr
        );
        assert!(
            run.stderr.ends_with("; nothing was written\n"),
            "{}",
            run.stderr
        );
        assert!(
            sources(&site) == before,
            "--output {output} changed the sources"
        );
        assert!(
            snapshot(&site.public()) == public,
            "--output {output} changed public/"
        );
    }
    // The exact message, once.
    let run = site.run(&["build", "--output", "content"]);
    assert_eq!(
        run.stderr,
        "content: cannot write the site here: it is the source folder content, which building \
         would replace; choose a new folder such as public/; nothing was written\n"
    );
}

#[test]
fn a_build_is_refused_while_another_holds_the_output() {
    let site = fixture("minimal");
    site.build().unwrap();
    let before = snapshot(&site.public());
    let lock = fs::File::open(site.path(".public.burnrate-lock")).unwrap();
    lock.lock().unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "public: another burnrate build is writing to this folder right now; wait until it has \
         finished and build again (nothing was written)\n"
    );
    assert!(snapshot(&site.public()) == before);
    drop(lock);
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn builds_started_together_never_publish_half_a_site() {
    let site = fixture("minimal");
    site.build().unwrap();
    let complete = snapshot(&site.public());
    let exe = env!("CARGO_BIN_EXE_burnrate");
    for _ in 0..5 {
        let children: Vec<_> = (0..4)
            .map(|_| {
                std::process::Command::new(exe)
                    .arg("build")
                    .current_dir(site.root())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() || stderr.contains("another burnrate build is writing"),
                "{stderr}"
            );
        }
        assert!(snapshot(&site.public()) == complete, "a partial site");
    }
}

#[test]
fn a_crash_between_the_renames_loses_nothing() {
    let site = fixture("minimal");
    site.build().unwrap();
    let good = snapshot(&site.public());
    // The state a crash between the two renames leaves.
    fs::rename(site.public(), site.path(".public.burnrate-old")).unwrap();
    fs::create_dir(site.path(".public.burnrate-new-4242")).unwrap();
    // A failed build writes nothing and says so truly: the copy is still there.
    site.write("content/companies/alpha.yaml", "name: [\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.ends_with("nothing was written\n"),
        "{}",
        run.stderr
    );
    assert!(snapshot(&site.path(".public.burnrate-old")) == good);
    // The next build puts it back first, then replaces it.
    let fixed = fixture("minimal");
    site.write(
        "content/companies/alpha.yaml",
        fs::read(fixed.path("content/companies/alpha.yaml")).unwrap(),
    );
    site.build().unwrap();
    assert!(snapshot(&site.public()) == good);
    assert!(!site.path(".public.burnrate-old").exists());
    assert!(!site.path(".public.burnrate-new-4242").exists());
}

#[test]
fn base_url_flags_are_checked_like_site_yaml() {
    let site = fixture("minimal");
    for (url, why) in [
        (
            "foo bar",
            "expected an address starting with https:// or http://, found \"foo bar\"",
        ),
        (
            "javascript:alert(1)",
            "expected an address starting with https:// or http://, found \"javascript:alert(1)\"",
        ),
        (
            "https://x.org/a\"onmouseover=\"alert(1)",
            "an address may not contain `\"`; found \"https://x.org/a\"onmouseover=\"alert(1)\" (write spaces as %20)",
        ),
    ] {
        let run = site.run(&["build", "--base-url", url]);
        assert_eq!(run.code, Some(2), "{url}");
        assert!(
            run.stderr.starts_with(&format!(
                "error: invalid value '{url}' for '--base-url <BASE_URL>': {why}\n"
            )),
            "{}",
            run.stderr
        );
        assert!(!site.public().exists());
    }
}

#[test]
fn links_lead_only_to_files_inside_the_site() {
    let site = fixture("minimal");
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.yaml"), "password: hunter2\n").unwrap();
    let alpha = site.path("content/companies/alpha.yaml");
    fs::rename(&alpha, site.path("alpha.yaml")).unwrap();
    // A link to a file inside the site is followed.
    std::os::unix::fs::symlink(site.path("alpha.yaml"), &alpha).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // A link out of the site is refused, and the file it points to is never quoted.
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        site.path("content/companies/beta.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("gone.md"),
        site.path("content/pages/x.md"),
    )
    .unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "content/companies/beta.yaml: is a link to a file outside the site folder; burnrate \
         follows links only to files inside the site folder: copy the file here instead\n\
         content/pages/x.md: is a link to nothing (what it points to does not exist); burnrate \
         follows links only to files inside the site folder: copy the file here instead\n\
         2 problems found; nothing was written\n"
    );
    assert!(!run.stderr.contains("hunter2"));
}

#[test]
fn check_finds_what_build_refuses_about_output_paths() {
    let site = fixture("minimal");
    site.write(
        "content/pages/data.md",
        "---\ntitle: 数据\nsummary: s\n---\n正文。\n",
    );
    site.write("static/sections", "not a folder");
    let expected = "content/pages/data.md: would be published as data/index.html, which \
                    burnrate itself writes; rename the file\n\
                    static/sections: would be published as sections, but sections/intro/index.html \
                    (content/sections/01-intro.md) needs a folder of that name; rename one of them\n";
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.starts_with(expected), "{}", run.stderr);
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        format!("{expected}2 problems found; nothing was written\n")
    );
    assert!(!site.public().exists());
}

#[test]
fn text_fields_are_escaped_in_every_output() {
    let site = fixture("minimal");
    let payload = "X\"'<i>&amp;";
    let yaml = format!("'{}'", payload.replace('\'', "''"));
    let edit = |rel: &str, pairs: &[(&str, &str)]| {
        let mut text = site.read(rel);
        for (from, to) in pairs {
            assert!(text.contains(from), "{rel} has no {from}");
            text = text.replacen(from, to, 1);
        }
        site.write(rel, text);
    };
    let field = |key: &str, value: &str| (format!("{key}: {value}"), format!("{key}: {yaml}"));
    let owned = [
        (
            "content/site.yaml",
            vec![
                field("title", "测试站点"),
                field("description", "集成测试用的小站点。"),
                field("lead", "这是一个只有一家公司和一个市场的小站点。"),
                field("publisher", "测试编辑部"),
            ],
        ),
        (
            "content/companies/alpha.yaml",
            vec![
                field("zh", "阿尔法"),
                field("original", "Alpha AI"),
                field("description", "一家虚构的人工智能初创公司。"),
                field("period", "2023年"),
                field("who", "知情人士"),
                field("via", "测试媒体"),
                field("note", "原文为区间。"),
            ],
        ),
        (
            "content/sections/01-intro.md",
            vec![field("title", "开篇"), field("summary", "阿尔法的账本。")],
        ),
        (
            "content/charts/money.yaml",
            vec![
                field("title", "融到的钱与赚到的钱"),
                field("description", "阿尔法的融资额远高于营收。"),
                field("label", "阿尔法"),
            ],
        ),
    ];
    for (rel, pairs) in &owned {
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        edit(rel, &pairs);
    }
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut seen = 0;
    for (rel, bytes) in snapshot(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        let markup = ["html", "xml", "svg"]
            .iter()
            .any(|x| rel.extension().is_some_and(|e| e == *x));
        if markup {
            assert!(
                !text.contains("<i>"),
                "{} has unescaped markup",
                rel.display()
            );
            assert!(
                !text.contains("\"'<"),
                "{} has an unescaped quote",
                rel.display()
            );
        }
        if text.contains("X&quot;&#39;&lt;i&gt;&amp;amp;")
            || text.contains("X&quot;&apos;&lt;i&gt;")
        {
            seen += 1;
        }
    }
    assert!(seen > 5, "the payload reached only {seen} outputs");
    let csv = fs::read_to_string(site.public().join("data/facts.csv")).unwrap();
    assert!(
        csv.contains("\"X\"\"'<i>&amp;\""),
        "the CSV keeps the text: {csv}"
    );
}

#[test]
fn a_script_url_in_a_source_is_refused() {
    let site = fixture("minimal");
    site.replace(
        "content/companies/alpha.yaml",
        "https://example.com/report",
        "\"javascript:alert(1)\"",
    );
    for command in ["build", "check"] {
        let run = site.run(&[command]);
        assert_eq!(run.code, Some(1), "{command}");
        assert!(
            run.stderr.starts_with(
                "content/companies/alpha.yaml:49:7: funding.source.url: expected an address \
                 starting with https:// or http://, found \"javascript:alert(1)\"\n"
            ),
            "{command}: {}",
            run.stderr
        );
    }
    assert!(!Path::new(&site.public()).exists());
}
