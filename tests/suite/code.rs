//! Checks on the code itself: no function in `src/` runs over [`LONGEST`] lines unless its doc
//! comment says why (the words "on purpose" or "hence its length").

use std::fs;
use std::path::Path;

use crate::common::repo;

/// The most lines a function may take (its signature to its closing brace) without a reason.
const LONGEST: usize = 80;

/// Every function of `text` longer than [`LONGEST`] lines whose doc comment gives no reason:
/// its name and first line. A function ends at the first line holding only its closing brace at
/// its own indentation (what `rustfmt` writes).
fn too_long(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let signature = trimmed
            .trim_start_matches("pub ")
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub(super) ")
            .trim_start_matches("const ");
        let Some(rest) = signature.strip_prefix("fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // A declaration without a body (in a trait) ends its signature with `;`.
        let signature_end = (i..lines.len())
            .find(|&j| lines[j].trim_end().ends_with('{') || lines[j].trim_end().ends_with(';'));
        if signature_end.is_none_or(|j| lines[j].trim_end().ends_with(';')) {
            continue;
        }
        let close = format!("{indent}}}");
        let Some(end) = (i..lines.len()).find(|&j| lines[j] == close) else {
            continue;
        };
        if end + 1 - i <= LONGEST {
            continue;
        }
        let above = lines[..i]
            .iter()
            .rev()
            .take_while(|l| l.trim_start().starts_with("///") || l.trim_start().starts_with("#["))
            .count();
        let doc: Vec<&str> = lines[i - above..i]
            .iter()
            .flat_map(|l| l.trim_start().trim_start_matches('/').split_whitespace())
            .collect();
        let doc = doc.join(" ");
        if !(doc.contains("on purpose") || doc.contains("hence its length")) {
            found.push((name, i + 1));
        }
    }
    found
}

#[test]
fn no_function_is_long_without_a_reason() {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(repo().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|x| x == "rs") {
            let text = fs::read_to_string(entry.path()).unwrap();
            let rel = entry.path().strip_prefix(repo()).unwrap_or(Path::new(""));
            for (name, line) in too_long(&text) {
                found.push(format!("{}:{line}: fn {name}", rel.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "functions over {LONGEST} lines without a reason in their doc comment (split them, or \
         say why not with \"on purpose\"):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_length_check_finds_a_long_function_and_accepts_a_reason() {
    let body = "    let x = 1;\n".repeat(LONGEST);
    let long = format!("fn long() {{\n{body}}}\n");
    assert_eq!(too_long(&long), [("long".to_string(), 1)]);
    let reasoned = format!("/// A table, hence its length.\n{long}");
    assert!(too_long(&reasoned).is_empty());
    let short = format!(
        "fn short() {{\n{}}}\n",
        "    let x = 1;\n".repeat(LONGEST - 2)
    );
    assert!(too_long(&short).is_empty());
}
