//! Bars: length from zero on a linear scale, the one encoding where length means the value.

use super::Rules;
use crate::chart::Scale;
use crate::chart::marks::Mark;

/// Bars from zero.
pub struct Bars;

impl Rules for Bars {
    fn mark(&self) -> Mark {
        Mark::Bar
    }

    /// A bar's length must mean its value: never on a log scale.
    fn allows(&self, scale: Scale) -> bool {
        scale == Scale::Linear
    }
}
