//! The build pipeline, top to bottom: load → validate → render → write.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::fsutil::FsError;
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
    /// Files written.
    pub files: usize,
    /// Where they were written.
    pub output: PathBuf,
}

/// Why a build failed.
#[derive(Debug)]
pub enum Error {
    /// Problems in the site's files that an editor can fix, all of them.
    Invalid(Vec<Diagnostic>),
    /// The output could not be written.
    Write(FsError),
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
            Error::Write(e) => write!(f, "{e}; the previous output was kept"),
        }
    }
}

impl std::error::Error for Error {}

/// Loads, validates and renders the site under `root` in memory, without writing anything.
pub fn render_site(root: &Path, base_url: Option<&str>) -> Result<render::Built, Error> {
    let mut site = load::load(root).map_err(Error::Invalid)?;
    if let Some(url) = base_url {
        site.config.set_base_url(url);
    }
    render_loaded(&site, root)
}

/// Validates and renders a site already loaded from `root`.
pub fn render_loaded(site: &load::Site, root: &Path) -> Result<render::Built, Error> {
    let problems = validate::validate(site);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    render::render(site, root).map_err(Error::Invalid)
}

/// Builds the site and swaps it into the output folder.
pub fn build(options: &BuildOptions) -> Result<Summary, Error> {
    let built = render_site(&options.root, options.base_url.as_deref())?;
    let output = options.output_dir();
    write::replace_dir(&output, &built.outputs).map_err(Error::Write)?;
    Ok(Summary {
        pages: built.pages,
        charts: built.charts,
        facts: built.facts,
        files: built.outputs.len(),
        output,
    })
}
