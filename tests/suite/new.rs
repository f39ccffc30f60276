//! `burnrate new`: starting files that build, and never an overwritten file.

use crate::common::{fixture, run_in};

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
        "Big Co: not a slug: use only lowercase letters a-z, digits, - and _, starting with a letter or digit (it becomes part of the URL)\n"
    );
    let run = site.run(&["new", "person", "x"]);
    assert_eq!(run.code, Some(2), "unknown kind is a usage error");
}

#[test]
fn a_mistyped_root_creates_nothing() {
    let site = fixture("minimal");
    let run = site.run(&["new", "company", "acme", "--root", "sitee"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "sitee/content/site.yaml: not found, so this is not a site folder; run `new` in the site folder or give it with --root (nothing was created)\n"
    );
    assert!(
        !site.path("sitee").exists(),
        "the mistyped root was created"
    );
    let run = run_in(&site.path("content"), &["new", "section", "x"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(!site.path("content/content").exists());
}

#[test]
fn the_largest_order_is_not_wrapped_to_zero() {
    let site = fixture("minimal");
    site.write(
        "content/sections/4294967295-last.md",
        "---\ntitle: t\nsummary: s\norder: 4294967295\ndate: 2024-05-06\ndraft: true\n---\n",
    );
    let run = site.run(&["new", "section", "after"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "content/sections: a section is already numbered 4294967295, the largest order there can be; renumber the sections (order: in their front matter and the NN- of their file names) and try again (nothing was created)\n"
    );
    let sections = std::fs::read_dir(site.path("content/sections"))
        .unwrap()
        .count();
    assert_eq!(sections, 4, "a file was created");
}
