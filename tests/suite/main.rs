//! Integration tests of burnrate: fixture builds, bad-input diagnostics, the real site, the CLI.

mod build;
mod cards;
mod check;
mod cli;
mod code;
mod common;
mod differential;
mod editions;
mod errors;
mod incremental;
mod limits;
mod new;
mod properties;
mod publish;
mod real_site;
mod revisions;
mod safety;
mod schema;
mod serve;
mod sharing;
mod since;
mod spec;
