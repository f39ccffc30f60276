//! `check --since <revision>` in a temporary git repository of two commits: the published
//! fixture, then an edit.

use std::path::Path;
use std::process::Command;

use crate::common::{TempSite, fixture};

/// Runs git in `root`, as a test's author, and panics if it fails.
fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=测试", "-c", "user.email=test@example.org"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(root)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// The minimal fixture committed as it was published, then `edit` applied and committed.
fn two_commits(edit: impl FnOnce(&TempSite)) -> TempSite {
    let site = fixture("minimal");
    git(site.root(), &["init", "-q"]);
    git(site.root(), &["add", "-A"]);
    git(site.root(), &["commit", "-qm", "published"]);
    edit(&site);
    git(site.root(), &["add", "-A"]);
    git(
        site.root(),
        &["commit", "-q", "--allow-empty", "-m", "edited"],
    );
    site
}

const ALPHA: &str = "content/companies/alpha.yaml";
const REVENUE: &str = "    qualifier: about\n    value: 1600000000\n";

/// A `history:` of one revision of `kind` whose previous value was about `value`.
fn history(kind: &str, value: u64) -> String {
    format!(
        "    history:\n      - date: 2024-05-06\n        kind: {kind}\n        qualifier: about\n        \
         value: {value}\n        note: 改动了数字。\n"
    )
}

/// Changes alpha's revenue to about 1.8 billion, with `history` after its source.
fn change_revenue(site: &TempSite, history: &str) {
    let alpha = site.read(ALPHA);
    assert!(alpha.contains(REVENUE));
    let source_end = "      via: 测试媒体\n      date: 2024-05-04\n";
    site.write(
        ALPHA,
        alpha
            .replacen(REVENUE, "    qualifier: about\n    value: 1800000000\n", 1)
            .replacen(source_end, &format!("{source_end}{history}"), 1),
    );
}

#[test]
fn a_change_with_a_revision_entry_passes() {
    let site = two_commits(|site| change_revenue(site, &history("correction", 1_600_000_000)));
    let run = site.run(&["check", "--since", "HEAD~1"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn a_change_without_a_revision_entry_fails_at_the_fact() {
    let site = two_commits(|site| change_revenue(site, ""));
    let run = site.run(&["check", "--since", "HEAD~1"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "content/companies/alpha.yaml:7:3: revenue: published as 约16亿美元 at HEAD~1, now \
         约18亿美元, with no revision: add an entry under history: with date, kind (correction if \
         the published figure was wrong, update if there is newer information), note, and the \
         previous value (qualifier: about, value: 1600000000)\n1 problem found\n"
    );
    // Without --since, the same site passes: the rule is about change, not content.
    assert_eq!(site.run(&["check"]).code, Some(0));
}

#[test]
fn a_revision_entry_must_record_the_published_value() {
    let site = two_commits(|site| change_revenue(site, &history("update", 1_700_000_000)));
    let run = site.run(&["check", "--since", "HEAD~1"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("alpha.yaml:7:3: revenue: published as 约16亿美元"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_published_revision_may_not_be_deleted() {
    let site = fixture("minimal");
    git(site.root(), &["init", "-q"]);
    change_revenue(&site, &history("correction", 1_600_000_000));
    git(site.root(), &["add", "-A"]);
    git(site.root(), &["commit", "-qm", "corrected"]);
    let alpha = site.read(ALPHA);
    site.write(
        ALPHA,
        alpha.replace(&history("correction", 1_600_000_000), ""),
    );
    let run = site.run(&["check", "--since", "HEAD"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "content/companies/alpha.yaml:7:3: revenue.history: the revision dated 2024-05-06, \
         published at HEAD, was deleted or changed; published revisions stay as they were: \
         restore it, and add a new entry for a new change\n1 problem found\n"
    );
}

#[test]
fn a_new_fact_passes() {
    let site = two_commits(|site| {
        let alpha = site.read(ALPHA);
        site.write(
            ALPHA,
            format!(
                "{alpha}  users:\n    metric: users\n    value: 1000\n    unit: people\n    \
                 period: 2024年\n    as_of: 2024-05-04\n    source:\n      who: 公司\n      \
                 date: 2024-05-04\n"
            ),
        );
    });
    let run = site.run(&["check", "--since", "HEAD~1"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn a_removed_fact_that_prose_still_cites_fails_as_without_since() {
    let site = two_commits(|site| {
        let alpha = site.read(ALPHA);
        let spending = alpha.find("  spending:\n").unwrap();
        let funding = alpha.find("  funding:\n").unwrap();
        site.write(
            ALPHA,
            format!("{}{}", &alpha[..spending], &alpha[funding..]),
        );
    });
    let run = site.run(&["check", "--since", "HEAD~1"]);
    assert_eq!(run.code, Some(1));
    let plain = site.run(&["check"]);
    assert_eq!(run.stderr, plain.stderr);
    assert!(
        run.stderr.contains(
            "content/sections/01-intro.md:13:3: fact reference [[alpha/spending]]: alpha has no fact \"spending\""
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_revision_or_a_folder_outside_git_is_a_usage_error() {
    let site = two_commits(|_| {});
    let run = site.run(&["check", "--since", "no-such-tag"]);
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr,
        "--since: \"no-such-tag\" names no commit of this repository; write a commit, a tag or a \
         branch, such as HEAD~1 (git log --oneline lists them)\n"
    );
    let outside = fixture("minimal");
    let run = outside.run(&["check", "--since", "HEAD"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .starts_with("--since: the site folder . is not in a git repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn without_git_the_check_says_to_install_it() {
    let site = fixture("minimal");
    let out = Command::new(env!("CARGO_BIN_EXE_burnrate"))
        .args(["check", "--since", "HEAD~1"])
        .current_dir(site.root())
        .env("PATH", site.root())
        .output()
        .expect("start burnrate");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "check --since needs git, which is not installed (or not on PATH): install git, or run \
         check without --since\n"
    );
}
