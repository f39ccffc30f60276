//! The published JSON Schemas (`static/schema/`) agree with what `build` and `check` accept.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{repo, tests_dir};

fn schema(name: &str) -> jsonschema::Validator {
    let path = repo()
        .join("static/schema")
        .join(format!("{name}.schema.json"));
    let json: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml(text: &str) -> Value {
    yaml_serde::from_str(text).unwrap()
}

/// The YAML between the `---` lines of a Markdown file.
fn front_matter(text: &str) -> Value {
    let rest = text.strip_prefix("---\n").expect("front matter");
    yaml(&rest[..rest.find("\n---").expect("closing ---")])
}

fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| e.to_string())
        .collect()
}

fn files(dir: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    found.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == ext));
    found.sort();
    found
}

#[test]
fn every_file_that_builds_is_valid_under_its_schema() {
    let (company, section, page, chart, site) = (
        schema("company"),
        schema("section"),
        schema("page"),
        schema("chart"),
        schema("site"),
    );
    let mut checked = 0;
    for root in [
        repo(),
        tests_dir("fixtures/minimal"),
        tests_dir("fixtures/bilingual"),
    ] {
        let content = root.join("content");
        let mut check = |v: &jsonschema::Validator, path: &Path, value: Value| {
            let errs = errors(v, &value);
            assert!(errs.is_empty(), "{}: {errs:?}", path.display());
            checked += 1;
        };
        for p in files(&content.join("companies"), "yaml") {
            check(&company, &p, yaml(&fs::read_to_string(&p).unwrap()));
        }
        // Every edition's sections and pages: the default's, then the English edition's.
        for edition in [content.clone(), content.join("en")] {
            for p in files(&edition.join("sections"), "md") {
                check(&section, &p, front_matter(&fs::read_to_string(&p).unwrap()));
            }
            for p in files(&edition.join("pages"), "md") {
                check(&page, &p, front_matter(&fs::read_to_string(&p).unwrap()));
            }
        }
        for p in files(&content.join("charts"), "yaml") {
            check(&chart, &p, yaml(&fs::read_to_string(&p).unwrap()));
        }
        let p = content.join("site.yaml");
        check(&site, &p, yaml(&fs::read_to_string(&p).unwrap()));
    }
    assert!(checked > 20, "only {checked} files checked");
}

/// Invalid cases whose problem is the shape of one file: the schema must reject them too, so
/// an editor's YAML-aware editor flags what `check` would.
#[test]
fn the_schema_rejects_what_check_rejects_in_a_file() {
    let company = "content/companies/beta.yaml";
    let cases = [
        ("fact-unknown-field", company, "company"),
        ("wrong-type", company, "company"),
        ("fact-missing-source", company, "company"),
        ("unknown-qualifier", company, "company"),
        ("unknown-metric", company, "company"),
        ("unknown-unit", company, "company"),
        ("value-missing", company, "company"),
        ("site-unknown-field", "content/site.yaml", "site"),
        ("base-url-relative", "content/site.yaml", "site"),
        (
            "front-matter-wrong-type",
            "content/sections/04-bad.md",
            "section",
        ),
        (
            "front-matter-list-type",
            "content/sections/04-bad.md",
            "section",
        ),
    ];

    let mut problems = Vec::new();
    for (case, file, kind) in cases {
        let path = tests_dir("invalid").join(case).join(file);
        let Ok(text) = fs::read_to_string(&path) else {
            problems.push(format!("{case}: no {file}"));
            continue;
        };
        let value = if file.ends_with(".md") {
            front_matter(&text)
        } else {
            yaml(&text)
        };
        if errors(&schema(kind), &value).is_empty() {
            problems.push(format!("{case}: the schema accepts {file}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn metric_names_in_the_schema_are_those_of_the_strings_file() {
    let json: Value = serde_json::from_str(
        &fs::read_to_string(repo().join("static/schema/company.schema.json")).unwrap(),
    )
    .unwrap();
    let mut in_schema: Vec<String> = json["$defs"]["fact"]["properties"]["metric"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    in_schema.sort();
    let strings = yaml(&fs::read_to_string(repo().join("templates/strings/zh-CN.yaml")).unwrap());
    let mut in_strings: Vec<String> = strings["metrics"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    in_strings.sort();
    assert_eq!(
        in_schema, in_strings,
        "update static/schema/company.schema.json"
    );
}
