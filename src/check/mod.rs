//! `burnrate check`: everything `build` validates, plus links, anchors, images and figures typed
//! by hand, all reported in one run without writing anything.

pub mod external;
pub mod figures;
pub mod html;
mod links;
pub mod since;

use std::path::Path;

use crate::build::{self, Error};
use crate::diagnostic::Diagnostic;
use crate::load;

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Problems an editor must fix, sorted by file and position.
    pub problems: Vec<Diagnostic>,
    /// Links to other sites, sorted and without duplicates, each at the first place it is
    /// written.
    pub external: Vec<external::Link>,
    /// What fetching them found, when asked to ([`check`] with a timeout).
    pub fetched: Option<external::Fetched>,
}

/// Checks the site under `root`; with `fetch`, also fetches every external link, each within
/// that time (see [`external`]), and adds the dead ones to the problems; with `since`, also
/// finds figures changed since that commit without a revision entry (see [`since`]).
pub fn check(
    root: &Path,
    fetch: Option<std::time::Duration>,
    since: Option<&since::Baseline>,
) -> Result<Report, Error> {
    let loaded = match load::load(root) {
        Ok(loaded) => loaded,
        Err(problems) => {
            return Ok(Report {
                problems,
                ..Report::default()
            });
        }
    };
    let (site, sources) = (&loaded.site, &loaded.sources);
    let silent = since.map_or_else(Vec::new, |base| since::silent_changes(site, sources, base));
    let built = match build::render_loaded(&loaded, root) {
        Ok(built) => built,
        Err(Error::Invalid(problems)) => {
            // Validation failed, so links cannot be resolved; still report typed figures.
            let mut problems = problems;
            problems.extend(figures::typed_by_hand(site));
            problems.extend(silent);
            problems.sort();
            problems.dedup();
            return Ok(Report {
                problems,
                ..Report::default()
            });
        }
        Err(other) => return Err(other),
    };
    let mut report = Report::default();
    let found = links::check(site, sources, &built, root);
    report.problems.extend(found.problems);
    report.external = found.external;
    report.problems.extend(figures::typed_by_hand(site));
    report.problems.extend(silent);
    if let Some(timeout) = fetch {
        let fetched = external::fetch(&report.external, timeout);
        report.problems.extend(fetched.dead.iter().cloned());
        report.fetched = Some(fetched);
    }
    report.problems.sort();
    report.problems.dedup();
    Ok(report)
}
