//! Where a render may reuse what an earlier one made: every output is made by a pure function of
//! what it shows, and handed through a [`Memo`] that may answer with a kept copy instead.
//!
//! A render into memory goes through [`Fresh`], which always makes; a build through the memo of
//! [`super::recall`], which leaves in place the outputs whose inputs did not change since the
//! build that wrote them; `serve` through the memo of [`super::cache`], which reuses any output
//! while what it is made from is unchanged.
//!
//! The values that cross the boundary (drawn charts, rendered Markdown, the shared values of
//! every page) and the fingerprints memo keys are made of are defined here.

use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tera::Value;

use super::Bytes;
use super::job::Render;
use super::pages::PageSpec;
use super::plan::{CompanyParts, PageJob};
use super::recall::Of;
use crate::chart::Chart;
use crate::diagnostic::Diagnostic;
use crate::facts::Company;
use crate::markdown::Rendered;

/// The hasher of memo keys: SipHash with fixed keys, so the same input gives the same key.
pub(super) type Fingerprint = std::hash::DefaultHasher;

/// A fingerprint of `value` as JSON, streamed into the hasher (no text is built).
pub(super) fn json_fingerprint<T: Serialize + ?Sized>(value: &T) -> u64 {
    struct Feed<'a>(&'a mut Fingerprint);
    impl std::io::Write for Feed<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.write(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Fingerprint::new();
    // Serializing the site's own types to JSON cannot fail; if it did, the key would only be
    // weaker, never wrong for equal values.
    let _ = serde_json::to_writer(Feed(&mut h), value);
    h.finish()
}

/// A drawn chart as pages and memos keep it.
pub(super) struct DrawnChart {
    /// What pages show (its URLs with the base path), as templates see it.
    pub(super) value: Value,
    /// A fingerprint of `figure`, standing for it in page keys.
    pub(super) fingerprint: u64,
}

/// A chart's own files, its standalone SVG and its CSV, as drawn.
pub(super) type ChartFiles = [Vec<u8>; 2];

/// Draws a chart: what pages show, and its own files.
pub(super) type DrawChart<'m> = &'m dyn Fn() -> Result<(DrawnChart, ChartFiles), Diagnostic>;

/// Draws a chart as pages show it, without its own files.
pub(super) type DrawFigure<'m> = &'m dyn Fn() -> Result<DrawnChart, Diagnostic>;

/// Markdown rendered once.
#[derive(Default)]
pub(super) struct MarkdownEntry {
    pub(super) rendered: Rendered,
    /// What stands for the HTML in page keys (0 when nothing is memoised).
    pub(super) fingerprint: u64,
}

/// The shared variables of every page's context.
pub(super) const SHARED: [&str; 5] = ["site", "t", "assets", "sections", "pages"];

/// The values every page's context shares, made once per render.
pub(super) struct Shared {
    pub(super) values: [Value; 5],
    /// Their fingerprints, in the order of [`SHARED`] (0 when nothing is memoised).
    pub(super) fingerprints: [u64; 5],
}

/// Makes a page's bytes from its spec: the page's template rendered with its context.
pub(super) type MakePage<'m> = &'m dyn Fn(&PageSpec<'_>) -> Result<Vec<u8>, Diagnostic>;

/// Renders a file's Markdown, collecting the slugs of the companies its fact references name
/// into the list it is given, if any.
pub(super) type RenderMarkdown<'m> = &'m dyn Fn(Option<&Mutex<Vec<String>>>) -> Rendered;

/// Each output, made by `make` or taken from what an earlier render kept. Whatever a memo
/// answers must be byte for byte what `make` would make. Each method's default makes.
pub(super) trait Memo: Sync {
    /// The parts of the `i`-th company `c`.
    fn company(&self, _i: usize, _c: &Company, make: &dyn Fn() -> CompanyParts) -> CompanyParts {
        make()
    }

    /// A static file, copied as it is.
    fn static_file(&self, _path: &str, bytes: &[u8]) -> Bytes {
        Bytes::Owned(bytes.to_vec())
    }

    /// A chart, drawn, with its files. Only a memo that may reuse them keeps the files: a plain
    /// build hands them to the writer and forgets them (11 MB at 10 000 sections).
    fn chart(
        &self,
        _r: &Render<'_>,
        _chart: &Arc<Chart>,
        draw: DrawChart<'_>,
    ) -> Result<(Arc<DrawnChart>, [Bytes; 2]), Diagnostic> {
        let (drawn, files) = draw()?;
        Ok((Arc::new(drawn), files.map(Bytes::Owned)))
    }

    /// A chart as pages show it, when no output asked for its files (they were recalled):
    /// drawn by `figure`, which leaves them out. A memo that keeps charts draws them whole with
    /// `draw`, as [`Memo::chart`] does.
    fn drawing(
        &self,
        _r: &Render<'_>,
        _chart: &Arc<Chart>,
        figure: DrawFigure<'_>,
        _draw: DrawChart<'_>,
    ) -> Result<Arc<DrawnChart>, Diagnostic> {
        figure().map(Arc::new)
    }

    /// Called once the render's charts were drawn for their own files (or left in place), while
    /// its pages are made: a memo that keeps drawings for a later build keeps them now.
    fn charts_drawn(&self, _r: &Render<'_>) {}

    /// The Markdown of the file at `path`, rendered; `render` collects the slugs of the companies
    /// its fact references name into the list it is given, if any.
    fn markdown(&self, _path: &Path, render: RenderMarkdown<'_>) -> Arc<MarkdownEntry> {
        Arc::new(MarkdownEntry {
            rendered: render(None),
            fingerprint: 0,
        })
    }

    /// The values every page shares.
    fn shared(&self, r: &Render<'_>, assets: BTreeMap<String, String>) -> Arc<Shared> {
        let sections = Value::from_serializable(&r.section_links());
        Arc::new(r.shared_values(assets, sections, [0; 5]))
    }

    /// Output `seq`, `of` what, as the output already holds it, when what it is made from did
    /// not change since the build that wrote it, and the key to record it under (see
    /// [`super::recall`]); asked before anything of it is made.
    fn recall(&self, _r: &Render<'_>, _seq: usize, _of: Of) -> Recalled {
        Recalled::default()
    }

    /// Whether what [`Memo::recall`] answers is made anyway and compared (in tests).
    fn checks_recalled(&self) -> bool {
        false
    }

    /// Page `seq`, of `job`: what `spec` says, made by `make`.
    #[allow(clippy::too_many_arguments)] // What a page is made of, as the render holds it.
    fn page<'r>(
        &self,
        _r: &Render<'r>,
        _seq: usize,
        _job: PageJob,
        _markdown: Option<&MarkdownEntry>,
        _shared: &Shared,
        spec: &dyn Fn() -> PageSpec<'r>,
        make: MakePage<'_>,
    ) -> Result<Bytes, Diagnostic> {
        make(&spec()).map(Bytes::Owned)
    }

    /// The social card of page `job`, drawn as a PNG by `draw`.
    fn card(
        &self,
        _r: &Render<'_>,
        _job: PageJob,
        draw: &dyn Fn() -> Result<Bytes, Diagnostic>,
    ) -> Result<Bytes, Diagnostic> {
        draw()
    }

    /// `data/facts.json`, `data/facts.csv` and `data/revisions.csv`.
    fn data_files(&self, _r: &Render<'_>, make: &dyn Fn() -> [Vec<u8>; 3]) -> [Bytes; 3] {
        make().map(Bytes::Owned)
    }

    /// `data/computed.json`, made (cheaply) as `made`.
    fn computed(&self, made: Vec<u8>) -> Bytes {
        Bytes::Owned(made)
    }

    /// `data/datapackage.json`.
    fn datapackage(&self, _r: &Render<'_>, make: &dyn Fn() -> Vec<u8>) -> Bytes {
        Bytes::Owned(make())
    }
}

/// What [`Memo::recall`] answers: the key of what the output is made from, if it has one, and
/// the file as the output holds it, if that is still what it would be made into.
#[derive(Default)]
pub(super) struct Recalled {
    pub(super) key: Option<u64>,
    pub(super) kept: Option<Bytes>,
}

/// No memo: every output is made (a plain build into a new folder, `check`).
pub(super) struct Fresh;

impl Memo for Fresh {}
