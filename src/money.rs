//! Figures with their qualifier and unit, as the edition writes them: `约16亿美元`, `1.5亿至2亿美元`,
//! `about $1.6 billion`, `$150 million to $200 million` (the numbers themselves: [`crate::format`]).

use crate::facts::{Amount, Unit};
use crate::format;
use crate::strings::Strings;

/// A figure with its qualifier and unit, as the edition prints it: `约16亿美元`,
/// `1.5亿至2亿美元`, `超过70亿美元`, `数百万美元`, `未披露`; `about $1.6 billion`, `$150 million to
/// $200 million` (see [`crate::format`] for the rules).
pub fn format_amount(amount: Amount, unit: Unit, strings: &Strings) -> String {
    let q = &strings.qualifiers;
    let u = format::unit_word(unit, strings);
    let number = |n: u64| match unit {
        Unit::Companies | Unit::People => format::count(n, strings),
        Unit::Usd | Unit::UsdPerMonth => format::number(n, strings),
    };
    let with =
        |template: &str, value: u64| template.replace("{}", &format::with_unit(&number(value), u));
    match amount {
        Amount::Exact { value } => with(&q.exact, value),
        Amount::About { value } => with(&q.about, value),
        Amount::Nearly { value } => with(&q.nearly, value),
        Amount::MoreThan { value } => with(&q.more_than, value),
        Amount::UpTo { value } => with(&q.up_to, value),
        Amount::Several { value } => format::several(value, unit, strings),
        Amount::Range { low, high } => format::range(&number(low), &number(high), u, strings),
        Amount::Negligible => q.negligible.clone(),
        Amount::Undisclosed => q.undisclosed.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strings;
    use std::path::Path;

    fn zh() -> Strings {
        let src = include_str!("../templates/strings/zh-CN.yaml");
        strings::parse(Path::new("zh-CN.yaml"), src).unwrap()
    }

    #[test]
    fn amounts_carry_their_qualifier_and_unit() {
        let s = zh();
        let f = |a| format_amount(a, Unit::Usd, &s);
        assert_eq!(
            f(Amount::About {
                value: 1_600_000_000
            }),
            "约16亿美元"
        );
        assert_eq!(
            f(Amount::MoreThan {
                value: 7_000_000_000
            }),
            "超过70亿美元"
        );
        assert_eq!(
            f(Amount::Nearly {
                value: 1_800_000_000
            }),
            "近18亿美元"
        );
        assert_eq!(
            f(Amount::UpTo {
                value: 2_000_000_000
            }),
            "高达20亿美元"
        );
        assert_eq!(
            f(Amount::Range {
                low: 150_000_000,
                high: 200_000_000
            }),
            "1.5亿至2亿美元"
        );
        assert_eq!(f(Amount::Several { value: 1_000_000 }), "数百万美元");
        assert_eq!(f(Amount::Undisclosed), "未披露");
        assert_eq!(f(Amount::Exact { value: 50_000_000 }), "5000万美元");
        assert_eq!(
            format_amount(Amount::About { value: 26_000 }, Unit::Companies, &s),
            "约2.6万家"
        );
        assert_eq!(
            format_amount(Amount::Exact { value: 20_350 }, Unit::Companies, &s),
            "20350家"
        );
        assert_eq!(
            format_amount(
                Amount::Range {
                    low: 15_000,
                    high: 20_350
                },
                Unit::People,
                &s
            ),
            "1.5万至20350人"
        );
        assert_eq!(
            format_amount(Amount::Exact { value: 20 }, Unit::UsdPerMonth, &s),
            "20美元/月"
        );
    }
}
