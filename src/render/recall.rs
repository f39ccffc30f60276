//! A build's memo: the outputs whose inputs did not change since the build that wrote them stay
//! as the output holds them, neither made nor read (a section's text is not even read from its
//! file, a chart no page made anew shows is not drawn, and one that such a page shows is taken
//! from the drawings the build that drew it kept: [`crate::chart::store`]); everything else is
//! made as in any render, but a chart whose files are made is not drawn when its drawings were
//! kept.
//!
//! Each page, card, chart file and data download gets a key from everything it could be made
//! from, found without making it:
//! - of the whole edition: the running program, every setting, string, company, chart, page,
//!   template and static file, and of every section all but the body (its file, place and front
//!   matter), so that an output never has to say which of these it shows (a neighbour's title,
//!   a company's name, a figure: any change makes everything anew);
//! - of the output: its path; for a section's page, the fingerprint of its body, and for its
//!   card, the first fact the body names; for a company's page, the sections that discuss it;
//!   for the other pages and the data downloads, what every section's references name (the
//!   sitemap's dates, the corrections, an embed's story come from those).
//!
//! The writer records each key in the output's manifest beside the file's hash, size and time.
//! An output is recalled only when its key is the one recorded and the manifest still vouches
//! for its file (same size and time as written): then the file is handed on as one already in
//! place. Editing one section's text thus makes its page again, not ten thousand.
//!
//! The keys are a second account of what an output is made of, beside the making itself. The
//! tests' builds ([`Recall::checked`]) make each recalled output anyway and panic if its bytes
//! are not the ones the manifest records, and the suite builds edited sites both ways and
//! compares them.

use std::collections::HashMap;
use std::fmt::{self, Debug, Write as _};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use rayon::prelude::*;

use super::Bytes;
use super::job::Render;
use super::memo::{
    DrawChart, DrawFigure, DrawnChart, Fingerprint, Memo, Recalled, json_fingerprint,
};
use super::plan::PageJob;
use crate::card::store::Kept;
use crate::chart::Chart;
use crate::chart::store;
use crate::diagnostic::Diagnostic;
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
    /// Outputs recalled so far.
    recalled: AtomicUsize,
    /// Whether every recalled output is made anyway and compared ([`Recall::checked`]).
    check: bool,
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
            check: false,
        }
    }

    /// This recall, which, if `check`, makes every output it recalls anyway and panics if one
    /// differs from what the output holds: for tests, where a key that misses something an
    /// output shows must fail loudly rather than leave a stale file.
    pub fn checked(self, check: bool) -> Self {
        Recall { check, ..self }
    }

    /// How many outputs were left as the output held them, not made again.
    pub fn recalled(&self) -> usize {
        self.recalled.load(Ordering::Relaxed)
    }

    /// The file at `path` (of the output) as the output holds it, if it was made under `key`
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

/// Which output a key is asked for: what it is made from besides the whole edition.
#[derive(Debug, Clone, Copy)]
pub(super) enum Of {
    /// A page (or index: the feed, the sitemap).
    Page(PageJob),
    /// The social card of a page.
    Card(PageJob),
    /// A chart's own file (its SVG or its CSV).
    Chart,
    /// A data download (`data/…`).
    Data,
}

/// The memo of one edition's render in a build: [`Recall`] for the outputs under `prefix`.
pub(super) struct Recalling<'a> {
    recall: &'a Recall<'a>,
    prefix: &'a str,
    /// The keys of the whole edition and of what the sections' references name
    /// ([`Recalling::keys`]).
    edition: OnceLock<Option<(u64, u64)>>,
    /// The drawings an earlier build kept ([`crate::chart::store`]), opened when first asked
    /// for: by a page showing a chart whose files were left in place, or, once every chart was
    /// drawn, to see whether the file is this edition's already.
    drawings: OnceLock<Option<store::Kept>>,
    /// The standalone drawing of each chart this build drew, by id, until
    /// [`Memo::charts_drawn`] keeps them with the page drawings.
    standalone: Mutex<HashMap<String, String>>,
}

impl<'a> Recalling<'a> {
    pub(super) fn new(recall: &'a Recall<'a>, prefix: &'a str) -> Self {
        Recalling {
            recall,
            prefix,
            edition: OnceLock::new(),
            drawings: OnceLock::new(),
            standalone: Mutex::default(),
        }
    }

    /// The standalone drawings this build drew so far, by chart id.
    fn standalone(&self) -> MutexGuard<'_, HashMap<String, String>> {
        self.standalone
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The drawings file an earlier build kept for this edition, opened when first asked for.
    fn kept_drawings(&self, r: &Render<'_>) -> Option<&store::Kept> {
        self.drawings
            .get_or_init(|| store::read(r.root, &store::name_of(self.prefix)))
            .as_ref()
    }

    /// The drawings of `chart` an earlier build kept under this edition's key, if whole. None
    /// in a checked build ([`Recall::checked`]): it draws every chart, so that a key missing
    /// something a drawing is made from shows as a page that differs.
    fn kept_drawing(&self, r: &Render<'_>, chart: &Chart) -> Option<store::Drawings> {
        if self.recall.check {
            return None;
        }
        let (edition, _) = self.keys(r.site)?;
        self.kept_drawings(r)?.get(edition, &chart.id)
    }

    /// The keys of the whole edition `site` this memo renders and of what its sections'
    /// references name; `None` when the running program cannot be told (then nothing is
    /// keyed). Made once, by whoever asks first (the render asks ahead, on its idle core,
    /// while it plans).
    pub(super) fn keys(&self, site: &Site) -> Option<(u64, u64)> {
        *self.edition.get_or_init(|| {
            let program = self.recall.program?;
            Some((edition_key(site, program), references_key(site)))
        })
    }
}

impl Memo for Recalling<'_> {
    fn checks_recalled(&self) -> bool {
        self.recall.check
    }

    fn recall(&self, r: &Render<'_>, seq: usize, of: Of) -> Recalled {
        let Some((edition, references)) = self.keys(r.site) else {
            return Recalled::default();
        };
        let path = format!("{}{}", self.prefix, r.plan.paths[seq]);
        let mut h = Fingerprint::new();
        (edition, &path).hash(&mut h);
        match of {
            // A section's page: its body. A company's: the sections discussing it.
            Of::Page(PageJob::Section(i)) => {
                let s = r.plan.published[i];
                let body = s
                    .released
                    .as_ref()
                    .map_or_else(|| section::body_print(&s.body), |released| released.print);
                (0u8, i, body).hash(&mut h);
            }
            Of::Page(PageJob::Company(i)) => (1u8, i, &r.discussed[i]).hash(&mut h),
            // A section's card shows its title and first chart, else the first fact its text
            // names: of the body, only that. Every other card shows the edition's own texts,
            // facts and charts, as a chart's files do.
            Of::Card(PageJob::Section(i)) => (2u8, &r.plan.published[i].first_fact).hash(&mut h),
            Of::Card(_) | Of::Chart => 3u8.hash(&mut h),
            // The rest may list what any section's references name (the sitemap's dates, the
            // corrections, an embed's link back to its story, computed figures).
            Of::Page(_) | Of::Data => (4u8, references).hash(&mut h),
        }
        let key = h.finish();
        Recalled {
            key: Some(key),
            kept: self.recall.kept(&path, key),
        }
    }

    /// A chart whose files are made (a new output folder, or its files changed) is not drawn
    /// when the build that drew it kept its drawings under the edition's key (which holds
    /// everything a drawing is made from): only its CSV is made. A chart drawn now leaves its
    /// standalone drawing for [`Memo::charts_drawn`] to keep.
    fn chart(
        &self,
        r: &Render<'_>,
        chart: &Arc<Chart>,
        draw: DrawChart<'_>,
    ) -> Result<(Arc<DrawnChart>, [Bytes; 2]), Diagnostic> {
        let (drawn, files) = match self.kept_drawing(r, chart) {
            Some(kept) => (
                r.drawn_from(chart, kept.wide, kept.narrow),
                r.chart_files_from(chart, kept.standalone),
            ),
            None => {
                let (drawn, files) = draw()?;
                if let Ok(svg) = std::str::from_utf8(&files[0]) {
                    self.standalone().insert(chart.id.clone(), svg.to_string());
                }
                (drawn, files)
            }
        };
        Ok((Arc::new(drawn), files.map(Bytes::Owned)))
    }

    /// A chart whose own files were left in place is not drawn again for a page made anew: its
    /// drawings are the ones the build that drew it kept, as for [`Memo::chart`].
    fn drawing(
        &self,
        r: &Render<'_>,
        chart: &Arc<Chart>,
        figure: DrawFigure<'_>,
        _draw: DrawChart<'_>,
    ) -> Result<Arc<DrawnChart>, Diagnostic> {
        match self.kept_drawing(r, chart) {
            Some(kept) => Ok(Arc::new(r.drawn_from(chart, kept.wide, kept.narrow))),
            None => figure().map(Arc::new),
        }
    }

    /// Keeps the drawings of every chart once all of them were drawn (their files were made:
    /// the edition's key changed since the kept ones were), for a later build.
    fn charts_drawn(&self, r: &Render<'_>) {
        let Some((edition, _)) = self.keys(r.site) else {
            return;
        };
        let standalone = std::mem::take(&mut *self.standalone());
        let drawn: Option<Vec<store::Drawn<'_>>> = (r.plan.charts.iter().enumerate())
            .map(|(i, chart)| {
                let value = &r.drawn_at(i)?.value;
                let text = |field: &'static str| value.get_from_path(field)?.as_str();
                let own = standalone.get(&chart.id)?;
                Some((
                    chart.id.as_str(),
                    [text("inline")?, text("inline_narrow")?, own],
                ))
            })
            .collect();
        if let Some(drawn) = drawn
            && self.kept_drawings(r).map(store::Kept::key) != Some(edition)
        {
            store::save(r.root, &store::name_of(self.prefix), edition, &drawn);
        }
    }
}

/// The key of what the references of every section of `site` name: the part of each body that
/// pages other than the section's own show.
fn references_key(site: &Site) -> u64 {
    let mut h = Fingerprint::new();
    for s in &site.sections {
        (
            &s.companies,
            &s.chart_refs,
            &s.computed_refs,
            &s.cited,
            &s.first_fact,
        )
            .hash(&mut h);
    }
    h.finish()
}

/// The key of everything in the edition `site` but the sections' bodies, by `program`. The
/// site's own types are hashed as JSON where they serialize whole (its escaping is cheaper than
/// `Debug`'s, which costs a tenth of a small site's build), else by their debug text.
fn edition_key(site: &Site, program: u64) -> u64 {
    let mut h = Fingerprint::new();
    (KEYS, program).hash(&mut h);
    let config = &site.config;
    // All of the settings but the two that do not serialize.
    (json_fingerprint(config), config.show_drafts, &config.path).hash(&mut h);
    json_fingerprint(&site.strings).hash(&mut h);
    for p in &site.pages {
        (&p.slug, &p.path, &p.body, p.body_line).hash(&mut h);
        debug_into(&mut h, &p.meta);
    }
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
            (&c.slug, &c.path, &c.description, c.draft).hash(&mut h);
            json_fingerprint(&(&c.name, c.kind, &c.facts)).hash(&mut h);
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
