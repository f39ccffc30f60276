//! `check --since <revision>`: no published figure changes silently. Every fact is compared
//! with its value in the company file at a git revision (read with `git show`); a value or
//! qualifier that changed without a new entry under `history:` is a problem at the fact.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diagnostic::{Diagnostic, locate_key, shorten};
use crate::facts::{self, Company, Fact};
use crate::money::format_amount;
use crate::site::Site;
use crate::sources::Sources;

/// The commit facts are compared with, in the git repository that holds the site.
#[derive(Debug, Clone)]
pub struct Baseline {
    root: PathBuf,
    /// The revision as the editor wrote it (`HEAD~1`, a tag, a commit).
    rev: String,
    /// The commit it names.
    commit: String,
}

/// Runs `git -C <root> <args>`: its standard output, or why it failed, in words for editors.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let dir = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        root
    };
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                "check --since needs git, which is not installed (or not on PATH): install git, \
                 or run check without --since"
                    .to_string()
            } else {
                format!("check --since could not run git: {e}")
            }
        })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let said = String::from_utf8_lossy(&out.stderr);
        Err(said.lines().next().unwrap_or("").trim().to_string())
    }
}

impl Baseline {
    /// The commit `rev` names in the repository holding `root`; an error, in words for editors,
    /// when git is missing, `root` is not in a repository or `rev` names no commit.
    pub fn open(root: &Path, rev: &str) -> Result<Baseline, String> {
        if rev.starts_with('-') {
            return Err(format!(
                "--since: \"{}\" is not a revision; write a commit, a tag or a branch, such as HEAD~1",
                shorten(rev)
            ));
        }
        git(root, &["rev-parse", "--show-toplevel"]).map_err(|why| {
            if why.starts_with("check --since") {
                why
            } else {
                format!(
                    "--since: the site folder {} is not in a git repository ({why})",
                    root.display()
                )
            }
        })?;
        let commit = git(
            root,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        )
        .map_err(|_| {
            format!(
                "--since: \"{}\" names no commit of this repository; write a commit, a tag or a \
                 branch, such as HEAD~1 (git log --oneline lists them)",
                shorten(rev)
            )
        })?;
        Ok(Baseline {
            root: root.to_path_buf(),
            rev: rev.to_string(),
            commit: commit.trim().to_string(),
        })
    }

    /// The text of the file `rel` (relative to the site folder) at the commit; `None` when it
    /// did not exist then.
    fn file(&self, rel: &str) -> Option<String> {
        git(&self.root, &["show", &format!("{}:./{rel}", self.commit)]).ok()
    }
}

/// Every published fact whose value or qualifier differs from the commit's without a revision
/// entry that records the old value, each at the fact's id in its file. Facts and companies that
/// are new, and companies that were drafts then, have nothing to compare with.
pub fn silent_changes(site: &Site, sources: &Sources, base: &Baseline) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for c in site.companies.iter().filter(|c| !c.draft) {
        let rel = format!("content/companies/{}.yaml", c.slug);
        let Some(text) = base.file(&rel) else {
            continue;
        };
        // A file that did not parse then published nothing to compare with.
        let Ok(then) = facts::parse(&c.path, &c.slug, &text) else {
            continue;
        };
        if then.draft {
            continue;
        }
        for f in &c.facts {
            let Some(old) = then.facts.iter().find(|o| o.id == f.id) else {
                continue;
            };
            if !f.history.starts_with(&old.history) {
                problems.push(rewritten(sources, c, old, f, &base.rev));
            } else if !recorded(old, f) {
                problems.push(unrecorded(site, sources, c, old, f, &base.rev));
            }
        }
    }
    problems
}

/// Whether `now` is the same figure as `old`, or records `old`'s value in a revision added since.
fn recorded(old: &Fact, now: &Fact) -> bool {
    old.amount == now.amount
        || now
            .history
            .iter()
            .skip(old.history.len())
            .any(|r| r.previous == old.amount)
}

/// A published revision that was deleted or edited: the record readers have seen must stay.
fn rewritten(sources: &Sources, c: &Company, old: &Fact, now: &Fact, rev: &str) -> Diagnostic {
    let src = sources.text(&c.path);
    // When the whole list is gone, this is the fact's own line.
    let (line, column) = locate_key(src, &["facts", &now.id, "history"]);
    let first = old
        .history
        .iter()
        .enumerate()
        .find(|&(i, r)| now.history.get(i) != Some(r))
        .map(|(_, r)| r.date.to_string())
        .unwrap_or_default();
    Diagnostic::at(
        &c.path,
        line,
        column,
        format!(
            "{}.history: the revision dated {first}, published at {rev}, was deleted or changed; \
             published revisions stay as they were: restore it, and add a new entry for a new \
             change",
            now.id
        ),
    )
}

fn unrecorded(
    site: &Site,
    sources: &Sources,
    c: &Company,
    old: &Fact,
    now: &Fact,
    rev: &str,
) -> Diagnostic {
    let src = sources.text(&c.path);
    let (line, column) = locate_key(src, &["facts", &now.id]);
    let strings = &site.strings;
    let fields = match (old.amount.range(), old.amount.value()) {
        (Some((low, high)), _) => format!("low: {low}, high: {high}"),
        (None, Some(value)) => format!("value: {value}"),
        (None, None) => String::new(),
    };
    let previous = format!("qualifier: {}", old.amount.qualifier());
    let previous = if fields.is_empty() {
        previous
    } else {
        format!("{previous}, {fields}")
    };
    Diagnostic::at(
        &c.path,
        line,
        column,
        format!(
            "{}: published as {} at {rev}, now {}, with no revision: add an entry under \
             history: with date, kind (correction if the published figure was wrong, update if \
             there is newer information), note, and the previous value ({previous})",
            now.id,
            format_amount(old.amount, old.unit, strings),
            format_amount(now.amount, now.unit, strings),
        ),
    )
}
