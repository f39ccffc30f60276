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
    for page in ["companies/acme/index.html", "sections/outlook/index.html"] {
        assert!(
            !site.public().join(page).exists(),
            "new files start as drafts: {page}"
        );
    }
    // A staging build shows them, each with a banner.
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for page in ["companies/acme/index.html", "sections/outlook/index.html"] {
        assert!(
            site.read(&format!("public/{page}"))
                .contains("class=\"draft-banner\"")
        );
    }
    assert!(
        !site
            .read("public/sections/intro/index.html")
            .contains("draft-banner")
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

#[test]
fn starting_text_is_refused_unless_the_file_is_a_draft() {
    let site = fixture("minimal");
    site.run(&["new", "company", "acme"]);
    site.run(&["new", "section", "outlook"]);
    for rel in [
        "content/companies/acme.yaml",
        "content/sections/04-outlook.md",
    ] {
        site.write(rel, site.read(rel).replace("draft: true", "draft: false"));
    }
    let expected = "content/companies/acme.yaml:4:1: name: still the starting text of `burnrate new`; write your own, or keep the file a draft (draft: true)\n\
                    content/sections/04-outlook.md:2:1: title: still the starting text of `burnrate new`; write your own, or keep the file a draft (draft: true)\n\
                    content/sections/04-outlook.md:3:1: summary: still the starting text of `burnrate new`; write your own, or keep the file a draft (draft: true)\n\
                    content/sections/04-outlook.md:11:1: the text is still the starting text of `burnrate new`; write your own, or keep the file a draft (draft: true)\n";
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        format!("{expected}4 problems found; nothing was written\n")
    );
    let run = site.run(&["check"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stderr, format!("{expected}4 problems found\n"));
}

#[test]
fn published_pages_cannot_cite_a_draft_company() {
    let site = fixture("minimal");
    site.replace(
        "content/companies/alpha.yaml",
        "kind: company\n",
        "kind: company\ndraft: true\n",
    );
    let run = site.run(&["build"]);
    assert_eq!(run.code, Some(1));
    let draft = "alpha is a draft (draft: true in content/companies/alpha.yaml), so published pages cannot show it; publish it (draft: false) or make this a draft too";
    for line in [
        format!("content/sections/01-intro.md:6:13: companies: {draft}"),
        format!("content/sections/01-intro.md:9:10: fact reference [[alpha/revenue]]: {draft}"),
        format!("content/charts/money.yaml:8:13: fact reference [[alpha/funding]]: {draft}"),
        format!("content/pages/method.md:7:7: fact reference [[alpha/funding]]: {draft}"),
        format!("content/site.yaml:11:5: fact reference [[alpha/revenue]]: {draft}"),
    ] {
        assert!(
            run.stderr.lines().any(|l| l == line),
            "{line}\n{}",
            run.stderr
        );
    }
    // Shown as drafts, everything builds.
    let run = site.run(&["build", "--drafts"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        site.read("public/companies/alpha/index.html")
            .contains("draft-banner")
    );
}
