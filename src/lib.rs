//! burnrate: turns Markdown sections and YAML facts into a news-analysis microsite.

pub mod date;
pub mod diagnostic;
pub mod facts;
pub mod money;
pub mod strings;
pub mod yaml;
pub mod chart;
