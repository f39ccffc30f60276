//! burnrate: turns Markdown sections and YAML facts into a news-analysis microsite.
//!
//! The pipeline reads top to bottom: [`load`] reads the site's files and parses each one,
//! [`validate`] checks the references between them, [`render`] builds every page, chart and data
//! file in memory, and [`write`](mod@write) swaps the result into the output folder.
//! [`build`](mod@build) runs them.

// No unsafe code, but for the one module that reads libyaml's events (`yaml::events`, which
// allows it and says why at each block).
#![deny(unsafe_code)]

pub mod build;
pub mod card;
pub mod chart;
pub mod check;
pub mod cli;
pub mod computed;
pub mod config;
pub mod datapackage;
pub mod date;
pub mod diagnostic;
pub mod edition;
pub mod export;
pub mod facts;
pub mod format;
pub mod fsutil;
pub mod html;
pub mod lang;
pub mod load;
pub mod localized;
pub mod markdown;
pub mod money;
pub mod render;
pub mod scaffold;
pub mod section;
pub mod serve;
pub mod site;
pub mod slug;
pub mod sources;
pub mod strings;
pub mod templates;
#[cfg(test)]
pub(crate) mod testing;
pub mod text;
pub mod urlpath;
pub mod validate;
pub mod write;
pub mod yaml;

pub use build::{BuildOptions, Error, Summary, build};
pub use facts::revision;
