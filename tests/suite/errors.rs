//! Bad input: every case in `tests/invalid/<case>/` must fail with exactly its `expected.txt`.
//!
//! A case folder holds only the files that differ from `tests/fixtures/minimal/` (copied over a
//! fresh copy of it), an optional `remove.txt` (paths to delete, one a line) and `expected.txt`:
//! the exact stderr of `burnrate build`. For each case the good fixture is built first; the
//! failing build must exit 1, print nothing on stdout and leave that `public/` untouched, and
//! `burnrate check` must report each of the same problems.

use std::fs;
use std::path::Path;

use crate::common::{fixture, snapshot, tests_dir};

/// What went wrong with one case, or `None` when it behaved as expected.
fn check_case(case: &Path) -> Option<String> {
    let site = fixture("minimal");
    site.build().expect("the minimal fixture builds");
    let before = snapshot(&site.public());
    for (rel, bytes) in snapshot(case) {
        if rel != Path::new("expected.txt") && rel != Path::new("remove.txt") {
            site.write(&rel, bytes);
        }
    }
    if let Ok(list) = fs::read_to_string(case.join("remove.txt")) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            site.remove(rel.trim());
        }
    }
    let expected = fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
    let run = site.run(&["build"]);
    let mut wrong = Vec::new();
    if run.code != Some(1) {
        wrong.push(format!("exit code {:?}, expected 1", run.code));
    }
    if !run.stdout.is_empty() {
        wrong.push(format!("stdout is not empty:\n{}", run.stdout));
    }
    let chomp = |s: &str| s.strip_suffix('\n').unwrap_or(s).to_string();
    if chomp(&run.stderr) != chomp(&expected) {
        wrong.push(format!(
            "stderr differs\n--- expected\n{expected}--- actual\n{}",
            run.stderr
        ));
    }
    if snapshot(&site.public()) != before {
        wrong.push("public/ was changed by the failed build".to_string());
    }
    // `check` finds every problem `build` refuses, with the same words.
    let check = site.run(&["check"]);
    if check.code != Some(1) {
        wrong.push(format!("check exit code {:?}, expected 1", check.code));
    }
    for line in expected
        .lines()
        .filter(|l| !l.ends_with("nothing was written"))
    {
        if !check.stderr.lines().any(|l| l == line) {
            wrong.push(format!("check does not report: {line}\n{}", check.stderr));
        }
    }
    (!wrong.is_empty()).then(|| wrong.join("\n"))
}

#[test]
fn every_invalid_case_fails_with_its_expected_message() {
    let mut cases: Vec<_> = fs::read_dir(tests_dir("invalid"))
        .expect("tests/invalid")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(why) = check_case(case) {
            failures.push(format!("== {name}\n{why}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_library_reports_problems_without_writing() {
    let site = fixture("minimal");
    site.write(
        "content/sections/04-bad.md",
        "---\ntitle: t\nsummary: s\norder: 4\ndate: 2024-05-06\n---\n[[alpha/profit]]\n",
    );
    let err = site.build().expect_err("an unknown fact fails the build");
    match &err {
        burnrate::Error::Invalid(problems) => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!((problems[0].line, problems[0].column), (7, 1));
            assert!(problems[0].path.ends_with("content/sections/04-bad.md"));
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert!(
        err.to_string()
            .ends_with("1 problem found; nothing was written")
    );
    assert!(
        !site.public().exists(),
        "a failed first build wrote public/"
    );
}
