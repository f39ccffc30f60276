//! What `serve` remembers between rebuilds so that one save redoes only what it affects: a
//! revision number for each file's text, and which sections' bodies checked clean. A plain build
//! never uses any of it; the render's own memo is [`crate::render::Cache`], fed these revisions.

use std::ffi::OsString;
use std::hash::{Hash, Hasher};
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::facts::FastMap;
use crate::site::Site;
use crate::sources::Sources;
use crate::validate;

/// A number for the text of each file of the site (by the path diagnostics use) that no other
/// text of that file has had in this session: equal numbers mean equal texts, so the memos can
/// tell a changed section from an unchanged one without reading it.
#[derive(Debug, Default)]
pub struct Revisions {
    /// By the path's bytes (hashing a `Path` walks its components).
    by_path: FastMap<OsString, u64>,
    next: u64,
}

impl Revisions {
    /// The revision of the file shown as `path`, if it is one of the site's.
    pub fn get(&self, path: &Path) -> Option<u64> {
        self.by_path.get(path.as_os_str()).copied()
    }

    /// Gives the text now held for `path` a new number.
    pub fn changed(&mut self, path: &Path) {
        self.next += 1;
        self.by_path.insert(path.as_os_str().to_owned(), self.next);
    }

    /// Numbers the files of a whole load, `now`, keeping the number of every file whose text is
    /// the same as in `before` (the sources of the previous load), so that a whole load does not
    /// make the memos forget what they know. Both must hold every text.
    pub fn renew(&mut self, now: &Sources, before: Option<&Sources>) {
        let mut by_path = FastMap::default();
        for (path, text) in now.iter() {
            let kept = before
                .filter(|b| b.contains(path) && b.text(path) == text)
                .and_then(|_| self.get(path));
            let revision = kept.unwrap_or_else(|| {
                self.next += 1;
                self.next
            });
            by_path.insert(path.as_os_str().to_owned(), revision);
        }
        self.by_path = by_path;
    }
}

/// The sections whose bodies checked clean, with the revision of their text then, and the set of
/// facts they were checked against: [`validate::validate_with`] skips them while both hold.
#[derive(Debug, Default)]
pub struct Checked {
    facts: u64,
    /// By the path's bytes.
    clean: FastMap<OsString, u64>,
}

impl Checked {
    /// [`validate::validate`] of `site`, skipping the body checks of sections whose text and
    /// whose site's set of facts are as they were when they last checked clean.
    pub fn validate(
        &mut self,
        site: &Site,
        sources: &Sources,
        revisions: &Revisions,
    ) -> Vec<Diagnostic> {
        let facts = {
            let mut h = std::hash::DefaultHasher::new();
            for c in &site.companies {
                c.slug.hash(&mut h);
                for f in &c.facts {
                    f.id.hash(&mut h);
                }
            }
            h.finish()
        };
        if facts != self.facts {
            self.facts = facts;
            self.clean.clear();
        }
        let clean = &self.clean;
        let known_clean = |s: &crate::section::Section| {
            let revision = revisions.get(&s.path);
            revision.is_some() && clean.get(s.path.as_os_str()) == revision.as_ref()
        };
        let (problems, checked) = validate::validate_with(site, sources, &known_clean);
        // Only sections checked this time change what is remembered (`None`: kept as it was).
        for (s, checked) in site.sections.iter().zip(checked) {
            let Some(clean) = checked else {
                continue;
            };
            match revisions.get(&s.path).filter(|_| clean) {
                Some(revision) => {
                    self.clean.insert(s.path.as_os_str().to_owned(), revision);
                }
                None => {
                    self.clean.remove(s.path.as_os_str());
                }
            }
        }
        problems
    }
}
