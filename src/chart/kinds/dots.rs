//! Dots: position marks, two values of a row joined by a line (a dumbbell). On a log scale
//! the distance between two dots stands for their ratio, the same for every row.

use super::Rules;
use crate::chart::Scale;
use crate::chart::marks::Mark;

/// Position marks joined per row.
pub struct Dots;

impl Rules for Dots {
    fn mark(&self) -> Mark {
        Mark::Dot
    }

    fn allows(&self, _scale: Scale) -> bool {
        true
    }

    fn joins(&self) -> bool {
        true
    }
}
