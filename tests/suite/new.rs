//! `burnrate new`: starting files that build, and never an overwritten file.

use crate::common::fixture;

#[test]
fn new_files_build_and_are_never_overwritten() {
    let site = fixture("minimal");
    let run = site.run(&["new", "company", "acme"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout, "created content/companies/acme.yaml\n");
    let run = site.run(&["new", "section", "outlook"]);
    assert_eq!(run.stdout, "created content/sections/04-outlook.md\n");
    assert!(site.build().is_ok(), "starting files do not build");
    assert!(site.public().join("companies/acme/index.html").exists());
    assert!(
        !site.public().join("sections/outlook/index.html").exists(),
        "a new section starts as a draft"
    );

    site.write("content/companies/acme.yaml", "# edited\n");
    let run = site.run(&["new", "company", "acme"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "content/companies/acme.yaml: already exists; nothing was created\n"
    );
    assert_eq!(site.read("content/companies/acme.yaml"), "# edited\n");
    let run = site.run(&["new", "section", "outlook"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "content/sections/04-outlook.md: a section with slug \"outlook\" already exists; nothing was created\n"
    );
}

#[test]
fn a_bad_slug_is_refused() {
    let site = fixture("minimal");
    let run = site.run(&["new", "company", "Big Co"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "Big Co: a slug may use only lowercase letters, digits, - and _ (it becomes part of the URL)\n"
    );
    let run = site.run(&["new", "person", "x"]);
    assert_eq!(run.code, Some(2), "unknown kind is a usage error");
}
