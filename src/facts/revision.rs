//! Revisions: the dated history of a fact (what its value was before) and the dated notes of a
//! section or page, and their kinds (更正, 更新). Part of the facts model (also named
//! `crate::revision`); sections and pages use it for their notes. Their dates are checked with
//! the rest of the site (`validate`).

use serde::{Deserialize, Serialize};

use super::{Amount, Source};
use crate::date::Date;

/// Why a figure or a text was revised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 更正: what was published was wrong.
    #[serde(alias = "更正")]
    Correction,
    /// 更新: newer information replaced what was right when published.
    #[serde(alias = "更新")]
    Update,
}

impl Kind {
    /// The kind's key as written in YAML and looked up in the strings file.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Correction => "correction",
            Kind::Update => "update",
        }
    }
}

/// One entry of a fact's `history:`: what the fact said before `date`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Revision {
    /// When the value was revised.
    pub date: Date,
    /// 更正 or 更新.
    pub kind: Kind,
    /// The value published before the revision, with its qualifier.
    pub previous: Amount,
    /// The source before the revision, when it changed with the value.
    pub previous_source: Option<Source>,
    /// What changed and why, in a sentence.
    pub note: String,
}

/// A dated note of a section or page (`notes:` in its front matter).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// When the text was revised.
    pub date: Date,
    /// 更正 or 更新.
    pub kind: Kind,
    /// What changed, shown to readers.
    pub text: String,
}
