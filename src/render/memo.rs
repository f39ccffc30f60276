//! Where a render may reuse what an earlier one made: every output is made by a pure function of
//! what it shows, and handed through a [`Memo`] that may answer with a kept copy instead.
//!
//! A plain build renders through [`Fresh`], which always makes; `serve` renders through the
//! memo of [`super::cache`], which reuses an output while what it is made from is unchanged.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::Bytes;
use super::cache::{DrawnChart, MarkdownEntry, Shared};
use super::job::Render;
use super::pages::PageSpec;
use super::plan::{CompanyParts, PageJob};
use crate::chart::Chart;
use crate::diagnostic::Diagnostic;
use crate::facts::{Company, FastMap};
use crate::markdown::Rendered;

/// Makes a page's bytes from its spec: the page's template rendered with its context.
pub(super) type MakePage<'m> = &'m dyn Fn(&PageSpec<'_>) -> Result<Vec<u8>, Diagnostic>;

/// Renders a file's Markdown, collecting the slugs of the companies its fact references name
/// into the list it is given, if any.
pub(super) type RenderMarkdown<'m> = &'m dyn Fn(Option<&Mutex<Vec<String>>>) -> Rendered;

/// Each output, made by `make` or taken from what an earlier render kept. Whatever a memo
/// answers must be byte for byte what `make` would make.
pub(super) trait Memo: Sync {
    /// The parts of the `i`-th company `c`.
    fn company(&self, i: usize, c: &Company, make: &dyn Fn() -> CompanyParts) -> CompanyParts;

    /// A static file, copied as it is.
    fn static_file(&self, path: &str, bytes: &[u8]) -> Bytes;

    /// A chart, drawn.
    fn chart(
        &self,
        r: &Render<'_>,
        chart: &Arc<Chart>,
        draw: &dyn Fn() -> Result<DrawnChart, Diagnostic>,
    ) -> Result<Arc<DrawnChart>, Diagnostic>;

    /// The Markdown of the file at `path`, rendered; `render` collects the slugs of the companies
    /// its fact references name into the list it is given, if any.
    fn markdown(
        &self,
        path: &Path,
        render: RenderMarkdown<'_>,
    ) -> Arc<MarkdownEntry>;

    /// The values every page shares.
    fn shared(&self, r: &Render<'_>, assets: BTreeMap<String, String>) -> Arc<Shared>;

    /// Page `seq`, of `job`: what `spec` says, made by `make`.
    #[allow(clippy::too_many_arguments)] // What a page is made of, as the render holds it.
    fn page<'r>(
        &self,
        r: &Render<'r>,
        seq: usize,
        job: PageJob,
        markdown: Option<&MarkdownEntry>,
        shared: &Shared,
        figures: &FastMap<&str, Arc<DrawnChart>>,
        spec: &dyn Fn() -> PageSpec<'r>,
        make: MakePage<'_>,
    ) -> Result<Bytes, Diagnostic>;

    /// `data/facts.json`, `data/facts.csv` and `data/revisions.csv`.
    fn data_files(&self, r: &Render<'_>, make: &dyn Fn() -> [Vec<u8>; 3]) -> [Bytes; 3];

    /// `data/computed.json`, made (cheaply) as `made`.
    fn computed(&self, made: Vec<u8>) -> Bytes;

    /// `data/datapackage.json`.
    fn datapackage(
        &self,
        r: &Render<'_>,
        figures: &FastMap<&str, Arc<DrawnChart>>,
        make: &dyn Fn() -> Vec<u8>,
    ) -> Bytes;
}

/// No memo: every output is made (a plain build).
pub(super) struct Fresh;

impl Memo for Fresh {
    fn company(&self, _: usize, _: &Company, make: &dyn Fn() -> CompanyParts) -> CompanyParts {
        make()
    }

    fn static_file(&self, _: &str, bytes: &[u8]) -> Bytes {
        Bytes::Owned(bytes.to_vec())
    }

    fn chart(
        &self,
        _: &Render<'_>,
        _: &Arc<Chart>,
        draw: &dyn Fn() -> Result<DrawnChart, Diagnostic>,
    ) -> Result<Arc<DrawnChart>, Diagnostic> {
        draw().map(Arc::new)
    }

    fn markdown(
        &self,
        _: &Path,
        render: RenderMarkdown<'_>,
    ) -> Arc<MarkdownEntry> {
        Arc::new(MarkdownEntry {
            rendered: render(None),
            fingerprint: 0,
        })
    }

    fn shared(&self, r: &Render<'_>, assets: BTreeMap<String, String>) -> Arc<Shared> {
        let sections = tera::Value::from_serializable(&r.section_links());
        Arc::new(r.shared_values(assets, sections, [0; 5]))
    }

    fn page<'r>(
        &self,
        _: &Render<'r>,
        _: usize,
        _: PageJob,
        _: Option<&MarkdownEntry>,
        _: &Shared,
        _: &FastMap<&str, Arc<DrawnChart>>,
        spec: &dyn Fn() -> PageSpec<'r>,
        make: MakePage<'_>,
    ) -> Result<Bytes, Diagnostic> {
        make(&spec()).map(Bytes::Owned)
    }

    fn data_files(&self, _: &Render<'_>, make: &dyn Fn() -> [Vec<u8>; 3]) -> [Bytes; 3] {
        make().map(Bytes::Owned)
    }

    fn computed(&self, made: Vec<u8>) -> Bytes {
        Bytes::Owned(made)
    }

    fn datapackage(
        &self,
        _: &Render<'_>,
        _: &FastMap<&str, Arc<DrawnChart>>,
        make: &dyn Fn() -> Vec<u8>,
    ) -> Bytes {
        Bytes::Owned(make())
    }
}
