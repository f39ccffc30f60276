//! Numbers as Chinese readers write them, grouped by 万 (10⁴) and 亿 (10⁸): `1.5亿`, `6000万`,
//! `2.6万`, `20350`.

const WAN: u64 = 10_000;
const YI: u64 = 100_000_000;
const WAN_YI: u64 = 1_000_000_000_000;

/// A number in 万/亿 notation without a unit: `1.5亿`, `6000万`, `2.035万`, `20`.
///
/// At most four decimals are kept: a figure is rounded to a ten-thousandth of its word, so
/// 123456789 is written `1.2346亿`. Figures as sources state them (round millions, or tens of
/// thousands below a 亿) come out exactly.
pub fn number(n: u64) -> String {
    let (scaled, word) = if n >= WAN_YI {
        (n as f64 / WAN_YI as f64, "万亿")
    } else if n >= YI {
        (n as f64 / YI as f64, "亿")
    } else if n >= WAN {
        (n as f64 / WAN as f64, "万")
    } else {
        return n.to_string();
    };
    format!("{}{word}", trim_decimals(scaled))
}

/// A count of companies or people as a Chinese reader writes it: in 万 or 亿 when that takes at
/// most two decimals (`2.6万`, `3万`, `1.23亿`), otherwise every digit (`20350`, `9999`).
/// A count is never rounded, so 20350 is written `20350`, not `2.035万`.
pub fn count(n: u64) -> String {
    let step = [WAN_YI, YI, WAN].into_iter().find(|&step| n >= step);
    match step {
        Some(step) if n.is_multiple_of(step / 100) => number(n),
        _ => n.to_string(),
    }
}

/// A number on a chart axis in 万/亿 notation (`0.1亿` is written `1000万`).
pub fn axis_number(n: f64) -> String {
    if n >= 1.0 {
        number(n.round() as u64)
    } else {
        trim_decimals(n)
    }
}

fn trim_decimals(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// The order of magnitude after "数": 1000 → 千 (数千), 1000000 → 百万, 100000000 → 亿.
pub fn several(magnitude: u64) -> String {
    let word = match magnitude {
        10 => "十",
        100 => "百",
        1_000 => "千",
        10_000 => "万",
        100_000 => "十万",
        1_000_000 => "百万",
        10_000_000 => "千万",
        100_000_000 => "亿",
        1_000_000_000 => "十亿",
        10_000_000_000 => "百亿",
        100_000_000_000 => "千亿",
        _ => return number(magnitude),
    };
    word.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_wan_and_yi() {
        assert_eq!(number(20), "20");
        assert_eq!(number(20_350), "2.035万");
        assert_eq!(number(60_000_000), "6000万");
        assert_eq!(number(101_000_000), "1.01亿");
        assert_eq!(number(1_600_000_000), "16亿");
        assert_eq!(number(13_000_000_000), "130亿");
        assert_eq!(number(330_000_000_000), "3300亿");
        assert_eq!(number(2_000_000_000_000), "2万亿");
        // Rounded past four decimals, as its documentation says.
        assert_eq!(number(123_456_789), "1.2346亿");
    }

    #[test]
    fn counts_use_wan_only_with_two_decimals_at_most() {
        assert_eq!(count(3), "3");
        assert_eq!(count(9_999), "9999");
        assert_eq!(count(20_350), "20350");
        assert_eq!(count(26_000), "2.6万");
        assert_eq!(count(30_000), "3万");
        assert_eq!(count(20_300), "2.03万");
        assert_eq!(count(1_234_567), "1234567");
        assert_eq!(count(1_500_000), "150万");
        assert_eq!(count(123_000_000), "1.23亿");
    }

    #[test]
    fn axis_numbers() {
        assert_eq!(axis_number(1e9), "10亿");
        assert_eq!(axis_number(1e5), "10万");
        assert_eq!(axis_number(10.0), "10");
    }
}
