//! Multiples: how many times one fact is another (`facts: [numerator, denominator]`), computed
//! with the qualifier algebra and drawn as bars from zero with a line at 1 (the two are equal).

use super::Rules;
use crate::chart::Scale;
use crate::chart::marks::Mark;
use crate::computed::Op;

/// Ratios of two facts per row.
pub struct Multiples;

impl Rules for Multiples {
    fn mark(&self) -> Mark {
        Mark::Bar
    }

    fn allows(&self, scale: Scale) -> bool {
        scale == Scale::Linear
    }

    fn reference(&self) -> Option<f64> {
        Some(1.0)
    }

    fn combines(&self) -> Option<Op> {
        Some(Op::Ratio)
    }
}
