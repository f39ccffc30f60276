//! `check --external`: every source address and link to another site, fetched concurrently with
//! a time limit, so that dead sources are found while they can still be replaced.
//!
//! A link is dead when its server answers 404 or 410 (after following redirects): that is a
//! problem at the place it is written. Anything else that stops the check (no answer in time, a
//! host that does not resolve, a refused connection, a server error or a refusal such as 403 or
//! 429) is reported as a warning and never fails the check on its own: the network, not the site,
//! may be at fault.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::diagnostic::Diagnostic;

/// How many addresses are fetched at once.
const AT_ONCE: usize = 16;

/// An external address and the first place it is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Link {
    /// The address.
    pub url: String,
    /// The file it is written in.
    pub path: PathBuf,
    /// Its 1-based line and column there (0 when unknown).
    pub line: usize,
    /// See `line`.
    pub column: usize,
}

/// What fetching the external links found.
#[derive(Debug, Clone, Default)]
pub struct Fetched {
    /// Dead links, each at its place.
    pub dead: Vec<Diagnostic>,
    /// Links that could not be confirmed, with why: not problems.
    pub unconfirmed: Vec<String>,
    /// How many addresses were fetched.
    pub checked: usize,
}

/// What one fetch showed.
enum Outcome {
    Alive,
    Dead(u16),
    Unconfirmed(String),
}

/// Fetches every link in `links` (each address once), at most `AT_ONCE` at a time, each
/// within `timeout`.
pub fn fetch(links: &[Link], timeout: Duration) -> Fetched {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!("burnrate-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<(usize, Outcome)>> = Mutex::new(Vec::with_capacity(links.len()));
    std::thread::scope(|scope| {
        for _ in 0..AT_ONCE.min(links.len()) {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(link) = links.get(i) else { break };
                    let outcome = fetch_one(&agent, &link.url, timeout);
                    outcomes
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push((i, outcome));
                }
            });
        }
    });
    let mut outcomes = outcomes
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    outcomes.sort_by_key(|(i, _)| *i);
    let mut fetched = Fetched {
        checked: links.len(),
        ..Fetched::default()
    };
    for (i, outcome) in outcomes {
        let link = &links[i];
        match outcome {
            Outcome::Alive => {}
            Outcome::Dead(status) => fetched.dead.push(Diagnostic::at(
                &link.path,
                link.line,
                link.column,
                format!(
                    "link {} is dead (its server answered {status}); replace it with a working \
                     address, or an archived copy",
                    link.url
                ),
            )),
            Outcome::Unconfirmed(why) => fetched.unconfirmed.push(format!("{}: {why}", link.url)),
        }
    }
    fetched
}

fn fetch_one(agent: &ureq::Agent, url: &str, timeout: Duration) -> Outcome {
    match agent.get(url).call() {
        Ok(response) => match response.status().as_u16() {
            404 | 410 => Outcome::Dead(response.status().as_u16()),
            status if status < 400 => Outcome::Alive,
            status => Outcome::Unconfirmed(format!("the server answered {status}")),
        },
        Err(ureq::Error::Timeout(_)) => {
            Outcome::Unconfirmed(format!("no answer within {} s", timeout.as_secs_f64()))
        }
        Err(e) => Outcome::Unconfirmed(format!("could not be fetched ({e})")),
    }
}
