//! The command line: help, usage errors, and where `--root` and `--output` put the site.

use crate::common::{fixture, run_in, snapshot};

const OPTIONS: [&str; 3] = ["--root", "--output", "--base-url"];

#[test]
fn build_help_lists_every_option() {
    let site = fixture("minimal");
    let run = site.run(&["build", "--help"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for option in OPTIONS {
        assert!(
            run.stdout.contains(option),
            "{option} missing:\n{}",
            run.stdout
        );
    }
    assert!(!site.public().exists(), "--help built the site");
}

#[test]
fn top_level_help_names_the_build_command() {
    let site = fixture("minimal");
    let run = site.run(&["--help"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("build"), "{}", run.stdout);
}

#[test]
fn usage_errors_exit_2_without_building() {
    let site = fixture("minimal");
    for args in [
        &["build", "--frobnicate"][..],
        &["frobnicate"],
        &[],
        &["build", "--root"],
    ] {
        let run = site.run(args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(!run.stderr.is_empty(), "{args:?}: says nothing");
    }
    let run = site.run(&["build", "--frobnicate"]);
    assert!(run.stderr.contains("--frobnicate"), "{}", run.stderr);
    assert!(!site.public().exists(), "a usage error built the site");
}

#[test]
fn root_option_builds_another_folder_into_its_public() {
    let site = fixture("minimal");
    let elsewhere = tempfile::tempdir().unwrap();
    let root = site.root().to_str().unwrap();
    let run = run_in(elsewhere.path(), &["build", "--root", root]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(site.path("public/index.html").is_file());
    assert!(
        snapshot(elsewhere.path()).is_empty(),
        "wrote into the current folder"
    );
    let into = format!(" into {} in ", site.public().display());
    assert!(run.stdout.contains(&into), "{}", run.stdout);
}

#[test]
fn root_option_names_files_under_the_root_in_problems() {
    let site = fixture("minimal");
    site.write("content/charts/money.yaml", "title: [\n");
    let elsewhere = tempfile::tempdir().unwrap();
    let root = site.root().to_str().unwrap();
    let run = run_in(elsewhere.path(), &["build", "--root", root]);
    assert_eq!(run.code, Some(1));
    let file = site.path("content/charts/money.yaml");
    assert!(
        run.stderr.starts_with(&format!("{}:", file.display())),
        "{}",
        run.stderr
    );
}

#[test]
fn output_option_writes_there_and_nowhere_else() {
    let site = fixture("minimal");
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let run = site.run(&["build", "--output", target.to_str().unwrap()]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(target.join("index.html").is_file());
    assert!(target.join("data/facts.json").is_file());
    assert!(!site.public().exists(), "also wrote public/");
    let into = format!(" into {} in ", target.display());
    assert!(run.stdout.contains(&into), "{}", run.stdout);
}

#[test]
fn base_url_option_is_used_by_the_binary() {
    let site = fixture("minimal");
    let run = site.run(&["build", "--base-url", "https://news.example.com/x"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let home = site.read("public/index.html");
    assert!(home.contains("href=\"/x/companies/\""), "base path /x/");
    assert!(
        home.contains("https://news.example.com/x/"),
        "canonical URL"
    );
    assert!(!home.contains("/mini/"));
}
