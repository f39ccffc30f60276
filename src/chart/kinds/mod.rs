//! Chart kinds, one module each: what a kind draws for a row, on which scales, and how its rows'
//! facts become values. A new kind is a new module implementing [`Rules`] and a variant here.

mod bars;
mod dots;
mod multiples;

use serde::{Deserialize, Serialize};

use super::Scale;
use super::marks::Mark;
use crate::computed::Op;

/// What a chart file asks for with `kind:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Bars from zero on a linear scale: amounts of one unit, compared by length.
    #[default]
    Bars,
    /// Position marks (dots), two values of a row joined by a line: paired values such as
    /// funding against revenue, on a linear or a log scale.
    Dots,
    /// How many times one fact is another, as bars from zero: "raised N times what it earns".
    Multiples,
}

/// What a kind of chart draws.
pub trait Rules: Sync {
    /// The mark of each value.
    fn mark(&self) -> Mark;
    /// Whether the kind may be drawn on `scale`.
    fn allows(&self, scale: Scale) -> bool;
    /// Whether a row's values are joined by a line.
    fn joins(&self) -> bool {
        false
    }
    /// A value marked by a reference line across the plot (1 for multiples), if any.
    fn reference(&self) -> Option<f64> {
        None
    }
    /// How a row's facts combine into one value, if they do: `facts` then holds two
    /// references per series.
    fn combines(&self) -> Option<Op> {
        None
    }
}

impl Kind {
    /// The rules of this kind.
    pub fn rules(self) -> &'static dyn Rules {
        match self {
            Kind::Bars => &bars::Bars,
            Kind::Dots => &dots::Dots,
            Kind::Multiples => &multiples::Multiples,
        }
    }

    /// The kind's name in chart files.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Bars => "bars",
            Kind::Dots => "dots",
            Kind::Multiples => "multiples",
        }
    }
}
