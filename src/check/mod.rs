//! `burnrate check`: everything `build` validates, plus links, anchors, images and figures typed
//! by hand, all reported in one run without writing anything.

pub mod figures;
mod html;
mod links;

use std::path::Path;

use crate::build::{self, Error};
use crate::diagnostic::Diagnostic;
use crate::load;

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Problems an editor must fix, sorted by file and position.
    pub problems: Vec<Diagnostic>,
    /// Links to other sites, listed (not fetched), sorted and without duplicates.
    pub external: Vec<String>,
}

/// Checks the site under `root`.
pub fn check(root: &Path) -> Result<Report, Error> {
    let site = match load::load(root) {
        Ok(site) => site,
        Err(problems) => {
            return Ok(Report {
                problems,
                external: Vec::new(),
            });
        }
    };
    let built = match build::render_loaded(&site, root) {
        Ok(built) => built,
        Err(Error::Invalid(problems)) => {
            // Validation failed, so links cannot be resolved; still report typed figures.
            let mut problems = problems;
            problems.extend(figures::typed_by_hand(&site));
            problems.sort();
            problems.dedup();
            return Ok(Report {
                problems,
                external: Vec::new(),
            });
        }
        Err(other) => return Err(other),
    };
    let mut report = Report::default();
    let found = links::check(&site, &built, root);
    report.problems.extend(found.problems);
    report.external = found.external;
    report.problems.extend(figures::typed_by_hand(&site));
    report.problems.sort();
    report.problems.dedup();
    Ok(report)
}
