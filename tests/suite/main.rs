//! Integration tests of burnrate: fixture builds, bad-input diagnostics, the real site, the CLI.

mod build;
mod cli;
mod common;
mod errors;
mod real_site;
