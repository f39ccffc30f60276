//! A build's memo: the pages of sections and companies whose inputs did not change since the
//! build that wrote them stay as the output holds them, neither read from their files nor
//! rendered; everything else is made as in any render.
//!
//! Each such page gets a key from everything it could be made from, made without making it:
//! - of the whole edition: the running program, every setting, string, company, chart, page,
//!   template and static file, and of every section all but the body (its file, place and front
//!   matter), so that a page never has to say which of these it shows (a neighbour's title, a
//!   company's name, a figure: any change makes every page anew);
//! - of the page: a section's place and the fingerprint of its body; a company's place and the
//!   sections that discuss it.
//!
//! The writer records each page's key in the output's manifest beside its hash, size and time.
//! A page is recalled only when its key is the one recorded and the manifest still vouches for
//! its file (same size and time as written): then the file is handed on as one already in
//! place. Editing one section's body thus makes one page again, not ten thousand.
//!
//! The keys are a second account of what a page is made of, beside the page itself. Debug
//! builds (every test) make each recalled page anyway and panic if its bytes are not the ones
//! the manifest records, and the suite builds edited sites both ways and compares them.

use std::fmt::{self, Debug, Write as _};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::Bytes;
use super::job::Render;
use super::memo::{Fingerprint, Memo, Recalled};
use super::plan::PageJob;
use crate::card::store::Kept;
use crate::section;
use crate::site::Site;
use crate::write::manifest::Previous;

/// Bumped when what keys are made of changes, so that no key of an older program matches.
const KEYS: u32 = 1;

/// What a build knows before rendering of the output it renders into.
pub struct Recall<'a> {
    output: PathBuf,
    /// The output as the writer found it; `None` when it is replaced whole.
    previous: Option<&'a Previous>,
    /// The running program's fingerprint; `None` when it cannot be told, and then no page is
    /// keyed (nor recalled).
    program: Option<u64>,
    /// Pages recalled so far.
    recalled: AtomicUsize,
}

impl<'a> Recall<'a> {
    /// The recall of a build into `output`, which the writer found as `previous`, by the
    /// program whose fingerprint is `program` (see `fsutil::program_print`).
    pub fn new(output: &Path, previous: Option<&'a Previous>, program: Option<u64>) -> Self {
        Recall {
            output: output.to_path_buf(),
            previous,
            program,
            recalled: AtomicUsize::new(0),
        }
    }

    /// How many pages were left as the output held them, not made again.
    pub fn recalled(&self) -> usize {
        self.recalled.load(Ordering::Relaxed)
    }

    /// The page at `path` (of the output) as the output holds it, if it was made under `key`
    /// and is unchanged since.
    fn kept(&self, path: &str, key: u64) -> Option<Bytes> {
        let previous = self.previous?;
        if previous.keys.get(path) != Some(&key) {
            return None;
        }
        let record = *previous.trusted.get(path)?;
        self.recalled.fetch_add(1, Ordering::Relaxed);
        Some(Bytes::Kept(Kept {
            file: self.output.join(path),
            record,
        }))
    }
}

/// The memo of one edition's render in a build: [`Recall`] for the outputs under `prefix`.
pub(super) struct Recalling<'a> {
    recall: &'a Recall<'a>,
    prefix: &'a str,
    /// The key of the whole edition, made by the first page that asks.
    edition: OnceLock<Option<u64>>,
}

impl<'a> Recalling<'a> {
    pub(super) fn new(recall: &'a Recall<'a>, prefix: &'a str) -> Self {
        Recalling {
            recall,
            prefix,
            edition: OnceLock::new(),
        }
    }
}

impl Memo for Recalling<'_> {
    fn recall(&self, r: &Render<'_>, seq: usize, job: PageJob) -> Recalled {
        let Some(edition) = *self
            .edition
            .get_or_init(|| Some(edition_key(r.site, self.recall.program?)))
        else {
            return Recalled::default();
        };
        let mut h = Fingerprint::new();
        edition.hash(&mut h);
        match job {
            PageJob::Section(i) => {
                let s = r.plan.published[i];
                let body = s
                    .released
                    .as_ref()
                    .map_or_else(|| section::body_print(&s.body), |released| released.print);
                (0u8, i, &s.path, body).hash(&mut h);
            }
            PageJob::Company(i) => (1u8, i, &r.discussed[i]).hash(&mut h),
            _ => return Recalled::default(),
        }
        let key = h.finish();
        let path = format!("{}{}", self.prefix, r.plan.paths[seq]);
        Recalled {
            key: Some(key),
            kept: self.recall.kept(&path, key),
        }
    }
}

/// The key of everything in the edition `site` but the sections' bodies, by `program`.
fn edition_key(site: &Site, program: u64) -> u64 {
    let mut h = Fingerprint::new();
    (KEYS, program).hash(&mut h);
    debug_into(&mut h, &site.config);
    debug_into(&mut h, &site.strings);
    debug_into(&mut h, &site.pages);
    debug_into(&mut h, &site.charts);
    debug_into(&mut h, &site.draft_companies);
    debug_into(&mut h, &site.edition);
    site.templates.hash(&mut h);
    for (path, bytes) in &site.static_files {
        (path, crate::write::manifest::hash(bytes)).hash(&mut h);
    }
    // Thousands of these at 10 000 sections: on every core.
    let companies: Vec<u64> = site
        .companies
        .par_iter()
        .map(|c| {
            let mut h = Fingerprint::new();
            debug_into(&mut h, c);
            h.finish()
        })
        .collect();
    companies.hash(&mut h);
    // Of every section all but the body: its file and its front matter's text (which its
    // settings and where its body starts are read from). What its references name comes from
    // the body: only its own page and the pages of the companies it discusses show that, and
    // their keys have it.
    for s in &site.sections {
        (&s.slug, &s.path, s.front_print).hash(&mut h);
    }
    h.finish()
}

/// Hashes `value`'s debug text into `h` without writing it out: every field of the site's own
/// types, which derive `Debug` (their maps are ordered, so equal values give equal text).
fn debug_into(h: &mut Fingerprint, value: &dyn Debug) {
    struct Feed<'a>(&'a mut Fingerprint);
    impl fmt::Write for Feed<'_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    // Writing into a hasher cannot fail.
    let _ = write!(Feed(h), "{value:?}");
}
