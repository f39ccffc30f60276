//! Numbers as an English-language financial newsroom writes them: `13 billion`, `1.6 billion`,
//! `150 million`, `26,000`, `20`; in charts, with shorter words, `13bn`.

use crate::strings::Scale;

const MILLION: u64 = 1_000_000;
const BILLION: u64 = 1_000_000_000;
const TRILLION: u64 = 1_000_000_000_000;

/// An amount: in millions, billions or trillions from a million on (at most three decimals,
/// exact for every figure a source states and for the three significant digits of a computed
/// one), below that every digit with thousands separators.
pub fn number(n: u64, words: &Scale) -> String {
    let (scale, word) = match n {
        n if n >= TRILLION => (TRILLION, &words.trillion),
        n if n >= BILLION => (BILLION, &words.billion),
        n if n >= MILLION => (MILLION, &words.million),
        _ => return grouped(n),
    };
    format!("{}{word}", decimals(n as f64 / scale as f64))
}

/// A count (companies, people), never rounded: every digit with separators (`26,000`,
/// `20,350`), or in millions and up when that takes at most two decimals (`1.5 million`).
pub fn count(n: u64, words: &Scale) -> String {
    let scale = [TRILLION, BILLION, MILLION].into_iter().find(|&s| n >= s);
    match scale {
        Some(s) if n.is_multiple_of(s / 100) => number(n, words),
        _ => grouped(n),
    }
}

/// A number on a chart axis (`0.5` for a fraction, else as [`number`]).
pub fn axis_number(n: f64, words: &Scale) -> String {
    if n >= 1.0 {
        number(n.round() as u64, words)
    } else {
        decimals(n)
    }
}

/// Digits in groups of three: `20,350`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn decimals(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(n: u64) -> String {
        super::number(n, &Scale::default())
    }

    fn count(n: u64) -> String {
        super::count(n, &Scale::default())
    }

    fn axis_number(n: f64) -> String {
        super::axis_number(n, &Scale::default())
    }

    #[test]
    fn amounts_in_millions_and_billions() {
        assert_eq!(number(20), "20");
        assert_eq!(number(20_350), "20,350");
        assert_eq!(number(999_999), "999,999");
        assert_eq!(number(60_000_000), "60 million");
        assert_eq!(number(101_000_000), "101 million");
        assert_eq!(number(1_600_000_000), "1.6 billion");
        assert_eq!(number(1_850_000_000), "1.85 billion");
        assert_eq!(number(13_000_000_000), "13 billion");
        assert_eq!(number(330_000_000_000), "330 billion");
        assert_eq!(number(2_000_000_000_000), "2 trillion");
    }

    #[test]
    fn counts_keep_every_digit_below_a_million() {
        assert_eq!(count(3), "3");
        assert_eq!(count(26_000), "26,000");
        assert_eq!(count(20_350), "20,350");
        assert_eq!(count(1_500_000), "1.5 million");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn axis_numbers() {
        assert_eq!(axis_number(1e9), "1 billion");
        assert_eq!(axis_number(5e8), "500 million");
        assert_eq!(axis_number(0.5), "0.5");
    }
}
