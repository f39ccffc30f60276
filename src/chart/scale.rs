//! Value axes: where a value falls along the plot, and which round ticks label it.
//!
//! A linear axis starts at zero and ends at the first round tick at or above the largest value,
//! so there is never an empty step beyond the data. A log axis runs from the power of ten at or
//! below the smallest value to the one at or above the largest, at least two steps long. Ticks
//! are thinned to fewer round values, never left unlabelled, when their labels would collide.

use super::Scale;

/// How values map onto the plot, from its start (0) to its end (1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Axis {
    /// From zero to `max` in steps of `step`.
    Linear {
        /// Distance between ticks.
        step: f64,
        /// The last tick, at or above every value.
        max: f64,
    },
    /// Powers of ten from `10^lo` to `10^hi`, a tick every `every` powers.
    Log {
        /// Exponent at the start.
        lo: i32,
        /// Exponent at the end.
        hi: i32,
        /// Exponents between labelled ticks.
        every: i32,
    },
}

/// Multipliers of a power of ten that make round linear steps.
const NICE: [f64; 4] = [1.0, 2.0, 2.5, 5.0];

impl Axis {
    /// An axis for values from `min` to `max` (both positive for a log scale) with at most
    /// `steps` steps between ticks.
    pub fn new(scale: Scale, min: f64, max: f64, steps: usize) -> Axis {
        let steps = steps.max(1) as f64;
        match scale {
            Scale::Linear => {
                let max = if max > 0.0 { max } else { 1.0 };
                let raw = max / steps;
                let mut magnitude = 10f64.powi(floor_exp(raw));
                let step = loop {
                    if let Some(m) = NICE.iter().find(|m| *m * magnitude >= raw * (1.0 - 1e-9)) {
                        break m * magnitude;
                    }
                    magnitude *= 10.0;
                };
                Axis::Linear {
                    step,
                    max: ((max / step) - 1e-9).ceil().max(1.0) * step,
                }
            }
            Scale::Log => {
                let (min, max) = if min > 0.0 && max > 0.0 {
                    (min, max)
                } else {
                    (1.0, 10.0)
                };
                let lo = floor_exp(min);
                let mut hi = floor_exp(max);
                if 10f64.powi(hi) < max * (1.0 - 1e-9) {
                    hi += 1;
                }
                let hi = hi.max(lo + 2);
                let every = ((f64::from(hi - lo) / steps).ceil() as i32).max(1);
                // The end is a labelled tick too.
                let hi = lo + ((hi - lo + every - 1) / every) * every;
                Axis::Log { lo, hi, every }
            }
        }
    }

    /// Where `v` falls, from 0 (axis start) to 1 (axis end), clamped.
    pub fn frac(self, v: f64) -> f64 {
        let f = match self {
            Axis::Log { lo, hi, .. } if v > 0.0 => (v.log10() - f64::from(lo)) / f64::from(hi - lo),
            Axis::Log { .. } => 0.0,
            Axis::Linear { max, .. } => v / max,
        };
        f.clamp(0.0, 1.0)
    }

    /// Tick values with their positions (0 to 1).
    pub fn ticks(self) -> Vec<(f64, f64)> {
        match self {
            Axis::Log { lo, hi, every } => (lo..=hi)
                .step_by(every as usize)
                .map(|e| (10f64.powi(e), f64::from(e - lo) / f64::from(hi - lo)))
                .collect(),
            Axis::Linear { step, max } => {
                let n = (max / step).round() as i32;
                (0..=n)
                    .map(|i| (f64::from(i) * step, f64::from(i) / f64::from(n)))
                    .collect()
            }
        }
    }
}

/// The power of ten at or below `v` (for `v > 0`).
pub fn floor_exp(v: f64) -> i32 {
    let mut e = v.log10().floor() as i32;
    // Correct for rounding in log10 near exact powers.
    if 10f64.powi(e) > v * (1.0 + 1e-9) {
        e -= 1;
    } else if 10f64.powi(e + 1) <= v * (1.0 + 1e-9) {
        e += 1;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(a: Axis) -> Vec<f64> {
        a.ticks().into_iter().map(|(v, _)| v).collect()
    }

    #[test]
    fn linear_ticks_are_round_and_end_at_the_first_tick_above_the_data() {
        assert_eq!(
            Axis::new(Scale::Linear, 0.0, 1.3e10, 5),
            Axis::Linear {
                step: 5e9,
                max: 1.5e10
            }
        );
        // 3300亿: the last tick is 3500亿, not 4000亿 (no empty step beyond the data).
        let a = Axis::new(Scale::Linear, 0.0, 3.3e11, 7);
        assert_eq!(*values(a).last().unwrap(), 3.5e11);
        // A value on a tick ends the axis there.
        assert_eq!(
            values(Axis::new(Scale::Linear, 0.0, 20.0, 4)).last(),
            Some(&20.0)
        );
        // Fewer steps when asked: still round, still covering.
        let a = Axis::new(Scale::Linear, 0.0, 47.0, 2);
        assert_eq!(values(a), vec![0.0, 25.0, 50.0]);
        for (max, steps) in [(8.1, 5), (35.0, 3), (1.7, 4), (26_000.0, 5), (96e6, 2)] {
            let a = Axis::new(Scale::Linear, 0.0, max, steps);
            let v = values(a);
            assert!(v.len() - 1 <= steps, "{max}: {v:?}");
            assert!(*v.last().unwrap() >= max, "{max}: {v:?}");
            assert!(v[v.len() - 2] < max, "empty step beyond {max}: {v:?}");
        }
    }

    #[test]
    fn log_axes_span_whole_decades_and_thin_to_fewer_labelled_ticks() {
        assert_eq!(
            Axis::new(Scale::Log, 6e7, 1.3e10, 6),
            Axis::Log {
                lo: 7,
                hi: 11,
                every: 1
            }
        );
        assert_eq!(
            Axis::new(Scale::Log, 1e7, 1e10, 6),
            Axis::Log {
                lo: 7,
                hi: 10,
                every: 1
            }
        );
        // At least two steps.
        assert_eq!(values(Axis::new(Scale::Log, 1.5e8, 2e8, 6)).len(), 3);
        // Narrow: a labelled tick every other decade, the end included.
        let a = Axis::new(Scale::Log, 6e7, 1.3e10, 2);
        assert_eq!(values(a), vec![1e7, 1e9, 1e11]);
        assert!((a.frac(1e9) - 0.5).abs() < 1e-9);
    }
}
