//! The build pipeline, top to bottom: load → validate → render → write.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::site::Site;
use crate::{load, render, validate, write};

/// What `build` is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder holding `content/`, `templates/` and `static/`.
    pub root: PathBuf,
    /// Where to write the site; `public/` under the root when `None`.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` of `content/site.yaml`.
    pub base_url: Option<String>,
    /// Publishes drafts too, each with a banner (for a staging site).
    pub drafts: bool,
    /// For tests: makes every output the build would leave in place anyway, and panics if one
    /// differs from what the output holds (a key of `render::Recall` that misses something).
    pub check_recalled: bool,
}

impl BuildOptions {
    /// The output folder these options resolve to.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| crate::load::display_path(&self.root, Path::new("public")))
    }
}

/// What a successful build produced.
#[derive(Debug, Clone)]
pub struct Summary {
    /// HTML pages written.
    pub pages: usize,
    /// Charts drawn.
    pub charts: usize,
    /// Facts published.
    pub facts: usize,
    /// Files the site has.
    pub files: usize,
    /// Files written: those whose bytes changed since the last build into this output.
    pub written: usize,
    /// Files left as the output held them, not even made: nothing they are made from changed
    /// since the build that wrote them (see `render::Recall`).
    pub recalled: usize,
    /// Where they were written.
    pub output: PathBuf,
}

/// Why a build failed.
#[derive(Debug)]
pub enum Error {
    /// Problems in the site's files that an editor can fix, all of them.
    Invalid(Vec<Diagnostic>),
    /// The output folder was refused, is busy, or could not be written.
    Write(write::WriteError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(problems) => {
                for p in problems {
                    writeln!(f, "{p}")?;
                }
                let n = problems.len();
                write!(
                    f,
                    "{n} problem{} found; nothing was written",
                    if n == 1 { "" } else { "s" }
                )
            }
            Error::Write(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {}

/// Loads, validates and renders the site under `root` in memory, without writing anything;
/// drafts too when `drafts` (as `serve` shows them).
pub fn render_site(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
) -> Result<render::Built, Error> {
    let loaded = load(root, base_url, drafts, load::load)?;
    render_loaded(&loaded, root)
}

/// Validates and renders a site already loaded from `root`.
pub fn render_loaded(loaded: &load::Loaded, root: &Path) -> Result<render::Built, Error> {
    let site = validated(loaded)?;
    render::render(site.as_ref().unwrap_or(&loaded.site), root).map_err(Error::Invalid)
}

/// Loads the site under `root` with `how` ([`load::load`] or [`load::load_lean`]), published
/// under `base_url` if given, with drafts if `drafts`.
fn load(
    root: &Path,
    base_url: Option<&str>,
    drafts: bool,
    how: fn(&Path) -> Result<load::Loaded, Vec<Diagnostic>>,
) -> Result<load::Loaded, Error> {
    let mut loaded = how(root).map_err(Error::Invalid)?;
    if let Some(url) = base_url {
        loaded.site.config.set_base_url(url);
    }
    loaded.site.config.show_drafts = drafts;
    Ok(loaded)
}

/// Every problem of the loaded site (drafts included), and then, if there are none, of what it
/// publishes ([`Site::published`], when drafts are left out): published pages that cite a
/// draft. What to render when there are none: the published site, if it differs.
fn validated(loaded: &load::Loaded) -> Result<Option<Site>, Error> {
    let problems = validate::validate(&loaded.site, &loaded.sources);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let published = loaded.site.published();
    if let Some(site) = &published {
        let problems = validate::validate(site, &loaded.sources);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
    }
    Ok(published)
}

/// Builds the site and swaps it into the output folder.
///
/// Each file is hashed as soon as it is rendered, on every core, and written into a folder beside
/// the output only if its bytes changed; the changed files are moved into the output only once
/// everything rendered: the whole site is never held in memory, and a failed build still leaves
/// the previous output as it was (see `write`). An output whose inputs did not change since the
/// build that wrote it is not made at all (see `render::Recall`).
pub fn build(options: &BuildOptions) -> Result<Summary, Error> {
    let root = &options.root;
    let base_url = options.base_url.as_deref();
    let output = options.output_dir();
    let inputs: Vec<PathBuf> = std::iter::once(root.clone())
        .chain(
            ["content", "templates", "static"].map(|dir| load::display_path(root, Path::new(dir))),
        )
        .collect();
    // An output built before is locked and read (what it holds, for the manifest) while the
    // site loads, on the core the load leaves idle, when that writes nothing; a site with
    // problems still reports them first and leaves the output as it was.
    let (site, ready) = rayon::join(
        // The sources are only needed to point at problems: gone before rendering starts. The
        // sections' bodies are not held at all: validation and each section's page read them
        // again.
        || -> Result<Site, Error> {
            let loaded = load(root, base_url, options.drafts, load::load_lean)?;
            Ok(validated(&loaded)?.unwrap_or(loaded.site))
        },
        || write::Staging::ready(&output, &inputs),
    );
    let site = site?;
    let staging = ready
        .unwrap_or_else(|| write::Staging::new(&output, &inputs))
        .map_err(Error::Write)?;
    let program = crate::fsutil::program_print();
    let recall =
        render::Recall::new(&output, staging.previous(), program).checked(options.check_recalled);
    let sink = |e: render::Emitted<'_>| match &e.bytes {
        render::Bytes::Owned(bytes) => staging.write(e.path, bytes, e.key),
        render::Bytes::Shared(bytes) => staging.write(e.path, bytes, e.key),
        render::Bytes::Kept(file) => staging.link(e.path, &file.file, file.record, e.key),
    };
    let counts = render::render_recalling(&site, root, &recall, &sink).map_err(Error::Invalid)?;
    let recalled = recall.recalled();
    drop(recall);
    // The site, thousands of sections, is freed on the other core while the output is brought
    // up to date.
    let (done, ()) = rayon::join(|| staging.commit(), move || drop(site));
    let done = done.map_err(Error::Write)?;
    Ok(Summary {
        pages: counts.pages,
        charts: counts.charts,
        facts: counts.facts,
        files: done.files,
        written: done.written,
        recalled,
        output,
    })
}
