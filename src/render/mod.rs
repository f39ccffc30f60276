//! Renders a validated site to files: pages, charts, data downloads and static files.
//!
//! Nothing here touches the disk; the writer does that with what this hands it.
//!
//! A render is planned first: every output and the order the site has always emitted them in
//! (static files, charts, pages, data downloads, indexes), so that where two outputs share a path
//! the later one wins, as before. The charts are then drawn and the pages rendered on every core
//! (rayon); each file goes to a sink as soon as it is made, so `build` writes while it renders and
//! never holds the whole site in memory. Nothing in the output depends on the order the work is
//! done in: paths come from the plan, lists from the site's own order, never from a hash map.
//!
//! Every output is made by a pure function of what it shows, handed through a memo (see
//! `memo`): [`render`] makes everything; [`render_recalling`] (a build) leaves in place what
//! the output already holds of it ([`Recall`]); [`render_cached`] renders the same bytes while
//! keeping a [`Cache`] between calls (`serve`), so an output is made again only when something it
//! is made from changed. See [`Cache`] and [`Recall`] for what decides that.

mod cache;
mod cards;
pub mod figures;
mod job;
mod memo;
mod pages;
mod plan;
mod recall;
mod revisions;
mod structured;
mod views;

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use tera::Tera;

use crate::card::store::Kept;
use crate::diagnostic::Diagnostic;
use crate::fsutil::{self, FsError};
use crate::site::Site;
use crate::templates;
pub use cache::{Cache, Revision, render_cached};
pub use cards::{CardView, is_card};
use job::Render;
use memo::Fingerprint;
use memo::{Fresh, Memo};
use plan::{Plan, company_parts};
pub use recall::Recall;
use recall::Recalling;

/// Every output of a render by path, shared with the memo that made it (`serve`).
pub type Files = std::collections::BTreeMap<String, Arc<[u8]>>;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// The built site, in memory.
#[derive(Debug, Clone)]
pub struct Built {
    /// Every file, sorted by path.
    pub outputs: Vec<Output>,
    /// Number of HTML pages.
    pub pages: usize,
    /// Number of charts.
    pub charts: usize,
    /// Number of facts.
    pub facts: usize,
}

/// What a render made, besides the files themselves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Number of HTML pages (outputs whose path ends in `.html`).
    pub pages: usize,
    /// Number of charts.
    pub charts: usize,
    /// Number of facts.
    pub facts: usize,
    /// Number of outputs.
    pub files: usize,
}

/// The contents of one output as the renderer hands it on.
pub enum Bytes {
    /// Made by this render.
    Owned(Vec<u8>),
    /// Shared with whoever else holds it: a drawn chart, or what `serve`'s [`Cache`] kept.
    Shared(Arc<[u8]>),
    /// A file already on disk: a social card kept in the site's card store, which the writer
    /// links into the output rather than reading and writing its bytes, or a page the output
    /// holds as it would be made ([`Recall`]), which the writer leaves in place.
    Kept(Kept),
}

impl Bytes {
    /// The contents in memory (a kept card is read from the store).
    fn into_vec(self) -> Result<Vec<u8>, FsError> {
        match self {
            Bytes::Owned(v) => Ok(v),
            Bytes::Shared(a) => Ok(a.to_vec()),
            Bytes::Kept(k) => fsutil::read(&k.file),
        }
    }

    /// The contents in memory, shared (a kept card is read from the store).
    fn into_shared(self) -> Result<Arc<[u8]>, FsError> {
        match self {
            Bytes::Owned(v) => Ok(v.into()),
            Bytes::Shared(a) => Ok(a),
            Bytes::Kept(k) => fsutil::read(&k.file).map(Arc::from),
        }
    }
}

/// One output handed to a sink.
pub struct Emitted<'a> {
    /// Path relative to the output folder.
    pub path: &'a str,
    /// Its contents.
    pub bytes: Bytes,
    /// Position in the order outputs have always been emitted in.
    pub seq: usize,
    /// The key of what it was made from, for an output a build may leave in place next time
    /// ([`Recall`]).
    pub key: Option<u64>,
}

/// Receives every output, from any thread, in no particular order.
pub type Sink<'a> = &'a (dyn Fn(Emitted<'_>) + Sync);

/// Renders `site` (already validated) into memory. `root` is only used to name template files in
/// errors.
pub fn render(site: &Site, root: &Path) -> Result<Built, Vec<Diagnostic>> {
    let kept: Mutex<Vec<(usize, Output)>> = Mutex::new(Vec::new());
    let unread = Unread::default();
    let counts = render_to(site, root, &|e: Emitted<'_>| {
        if let Some(bytes) = unread.take(e.bytes.into_vec()) {
            let path = e.path.to_string();
            lock(&kept).push((e.seq, Output { path, bytes }));
        }
    })?;
    unread.finish()?;
    let mut kept = kept.into_inner().unwrap_or_else(PoisonError::into_inner);
    // By path (each path is made once).
    kept.sort_by(|(_, a), (_, b)| a.path.cmp(&b.path));
    Ok(Built {
        outputs: kept.into_iter().map(|(_, o)| o).collect(),
        pages: counts.pages,
        charts: counts.charts,
        facts: counts.facts,
    })
}

/// Whether a render draws the social cards ([`crate::card`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cards {
    /// Every shared page gets its card (a build).
    Draw,
    /// No card is planned or drawn; pages still name their card's URL (`serve`, where no
    /// browser asks for one: see README, "Preview server").
    Skip,
}

/// Renders `site` (already validated), handing every output to `sink` as soon as it is made.
/// Nothing is rendered when two outputs would have the same path (see `Plan::problems`).
pub fn render_to(site: &Site, root: &Path, sink: Sink<'_>) -> Result<Counts, Vec<Diagnostic>> {
    render_editions(site, root, Cards::Draw, None, sink)
}

/// Renders `site` (already validated) as [`render_to`] does, into an output that `recall`
/// describes: an output whose key is the one the output's manifest records for it is handed to
/// `sink` as the file already there ([`Bytes::Kept`]), neither read nor made.
pub fn render_recalling(
    site: &Site,
    root: &Path,
    recall: &Recall<'_>,
    sink: Sink<'_>,
) -> Result<Counts, Vec<Diagnostic>> {
    render_editions(site, root, Cards::Draw, Some(recall), sink)
}

/// Renders every edition of `site` (already validated) through [`Fresh`], or through `recall`
/// when given, with or without `cards`, handing every output to `sink`.
fn render_editions(
    site: &Site,
    root: &Path,
    cards: Cards,
    recall: Option<&Recall<'_>>,
    sink: Sink<'_>,
) -> Result<Counts, Vec<Diagnostic>> {
    // Every edition has the default edition's templates (see `load`): compiled once, on the
    // other core while the render starts, so that the first page made seldom waits for them.
    let tera = Templates::lazy(site, root);
    rayon::scope(|scope| {
        scope.spawn(|_| {
            let _ = tera.get();
        });
        let tera = &tera;
        let editions = crate::lang::editions(site);
        if editions.is_empty() {
            return render_edition(site, root, tera, cards, recall, "", sink);
        }
        // Every edition through the one pipeline; a translation's outputs go under its
        // prefix, and it does not make those the default edition makes for all
        // (`lang::is_shared`).
        let mut counts = Counts::default();
        for edition in &editions {
            let prefix = edition.edition.as_ref().map_or("", |e| &e.info().prefix);
            let pages = std::sync::atomic::AtomicUsize::new(0);
            let files = std::sync::atomic::AtomicUsize::new(0);
            let prefixed = |e: Emitted<'_>| {
                let path = format!("{prefix}{}", e.path);
                if path.ends_with(".html") {
                    pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                sink(Emitted {
                    path: &path,
                    bytes: e.bytes,
                    seq: e.seq,
                    key: e.key,
                });
            };
            let made = render_edition(edition, root, tera, cards, recall, prefix, &prefixed)?;
            counts.pages += pages.into_inner();
            counts.files += files.into_inner();
            counts.charts += made.charts;
            counts.facts = made.facts;
        }
        Ok(counts)
    })
}

/// Renders one edition of `site` (or the site, when it has one language), whose outputs go
/// under `prefix`, with the templates `tera`, through `recall` if given.
fn render_edition(
    site: &Site,
    root: &Path,
    tera: &Templates<'_>,
    cards: Cards,
    recall: Option<&Recall<'_>>,
    prefix: &str,
    sink: Sink<'_>,
) -> Result<Counts, Vec<Diagnostic>> {
    let recalling = recall.map(|recall| Recalling::new(recall, prefix));
    let memo: &dyn Memo = match &recalling {
        Some(recalling) => recalling,
        None => &Fresh,
    };
    rayon::scope(|scope| {
        // The keys every output is recalled by, made while the render is planned: its first
        // outputs would otherwise wait for them.
        if let Some(recalling) = &recalling {
            scope.spawn(|_| {
                recalling.keys(site);
            });
        }
        let parts = company_parts(site, &site.config.base_path(), memo);
        let plan = Plan::new(site, &parts, cards);
        let problems = plan.problems(site, root);
        if !problems.is_empty() {
            return Err(problems);
        }
        Render::new(site, root, tera, &plan, &parts, sink, memo).run()
    })
}

/// The templates a render makes pages with.
#[allow(clippy::large_enum_variant)] // One per render, never boxed or kept in a list.
pub(super) enum Templates<'a> {
    /// Compiled already: `serve`'s cache keeps them between renders.
    Ready(&'a Tera),
    /// The templates of `site` (under `root`), compiled when first asked for.
    Lazy {
        site: &'a Site,
        root: &'a Path,
        compiled: std::sync::OnceLock<Result<Tera, Vec<Diagnostic>>>,
    },
}

impl<'a> Templates<'a> {
    /// The templates of `site` (under `root`), compiled when first asked for.
    fn lazy(site: &'a Site, root: &'a Path) -> Self {
        Templates::Lazy {
            site,
            root,
            compiled: std::sync::OnceLock::new(),
        }
    }

    /// The compiled templates, or every problem that kept them from compiling.
    fn get(&self) -> Result<&Tera, &[Diagnostic]> {
        match self {
            Templates::Ready(tera) => Ok(tera),
            Templates::Lazy {
                site,
                root,
                compiled,
            } => compiled
                .get_or_init(|| compile(site, root))
                .as_ref()
                .map_err(Vec::as_slice),
        }
    }

    /// The problems of templates that were asked for and did not compile.
    fn failed(&self) -> Option<&[Diagnostic]> {
        match self {
            Templates::Ready(_) => None,
            Templates::Lazy { compiled, .. } => compiled.get()?.as_ref().err().map(Vec::as_slice),
        }
    }
}

/// The site's templates, compiled, escaping with [`crate::html::escape_into`].
fn compile(site: &Site, root: &Path) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = templates::compile(&site.templates, root)?;
    tera.set_escape_fn(crate::html::escape_into);
    Ok(tera)
}

/// The host of `base_url` when GitHub Pages must be told about it in a `CNAME` file: a custom
/// domain, not `*.github.io` and not a local address.
pub fn custom_domain(base_url: &str) -> Option<&str> {
    let host = base_url.split_once("://")?.1.split(['/', ':']).next()?;
    let local = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok();
    (!host.is_empty() && !local && !host.ends_with(".github.io")).then_some(host)
}

/// A stable short content hash (64-bit FNV-1a), for cache-busting asset URLs.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")[..10].to_string()
}

/// The problems of outputs that could not be taken into memory: a kept card that could not be
/// read back from the card store.
#[derive(Default)]
struct Unread(Mutex<Vec<Diagnostic>>);

impl Unread {
    /// The contents, or `None` with the problem noted.
    fn take<T>(&self, read: Result<T, FsError>) -> Option<T> {
        read.map_err(|e| {
            let why = format!(
                "could not read this kept social card ({}); delete the folder {} and build again",
                e.source,
                crate::card::store::DIR
            );
            lock(&self.0).push(Diagnostic::file(&e.path, why));
        })
        .ok()
    }

    /// `Ok` when every output was taken.
    fn finish(self) -> Result<(), Vec<Diagnostic>> {
        let problems = self.0.into_inner().unwrap_or_else(PoisonError::into_inner);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_card_gone_from_the_store_is_a_problem_naming_it_not_an_empty_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("gone.png");
        let kept = Bytes::Kept(Kept {
            file: file.clone(),
            record: crate::write::manifest::Record::of(b"png"),
        });
        let unread = Unread::default();
        assert_eq!(unread.take(kept.into_vec()), None);
        let problems = unread.finish().unwrap_err();
        assert_eq!(problems.len(), 1);
        let message = problems[0].to_string();
        assert!(
            message.starts_with(&format!(
                "{}: could not read this kept social card (",
                file.display()
            )),
            "{message}"
        );
        assert!(
            message.ends_with("); delete the folder .burnrate-cache/cards and build again"),
            "{message}"
        );

        std::fs::write(&file, b"png").unwrap();
        let kept = Bytes::Kept(Kept {
            file,
            record: crate::write::manifest::Record::of(b"png"),
        });
        assert_eq!(kept.into_shared().unwrap().as_ref(), b"png");
    }

    #[test]
    fn cname_only_for_custom_domains() {
        assert_eq!(
            custom_domain("https://news.example.com/ai/"),
            Some("news.example.com")
        );
        assert_eq!(custom_domain("https://u.github.io/ai-bubble/"), None);
        assert_eq!(custom_domain("http://127.0.0.1:1111/ai/"), None);
        assert_eq!(custom_domain("http://localhost:8000/"), None);
    }

    #[test]
    fn content_hash_is_stable() {
        // Golden values: the hash is part of every published asset URL (`style.css?v=…`), so
        // a change here changes every page; FNV-1a 64, first ten hex digits.
        assert_eq!(content_hash(b"body{}"), "882547c9a4");
        assert_eq!(content_hash(b""), "cbf29ce484");
        assert_ne!(content_hash(b"body{}"), content_hash(b"body{ }"));
    }
}
