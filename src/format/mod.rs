//! How an edition writes numbers, amounts, dates and punctuation, as its strings file says
//! (`format:` in `templates/strings/<language>.yaml`).
//!
//! Two number systems cover the site's languages: [`Numbers::Myriad`], Chinese grouping by 万
//! and 亿 (`16亿`, the default, [`myriad`]), and [`Numbers::ShortScale`], English thousands,
//! millions and billions (`1.6 billion`, [`short_scale`]). The words around the number
//! (qualifiers, units, month names, punctuation: [`crate::strings::Format`]) come from the
//! strings file, so a new language that uses one of the two systems is a strings file, no code.
//! [`crate::money`] puts a figure's qualifier and unit around these numbers.
//!
//! The rules, the same in prose, tables, charts and data files:
//! - a unit written with `{}` is a template (`${}`, `{} companies`), otherwise a word written
//!   after the number (`美元`);
//! - a range writes a unit placed before the number on both ends (`$150 million to $200
//!   million`), and one placed after it once (`1.5亿至2亿美元`, `15,000 to 20,350 people`);
//! - "several" writes the order of magnitude in words: `数百万美元`, `millions of dollars`.

pub mod myriad;
pub mod short_scale;

use std::collections::BTreeMap;

use crate::date::Date;
use crate::facts::Unit;
use crate::strings::{Numbers, Strings};

/// The words charts are drawn with: `strings` with its
/// [`chart_scale`](crate::strings::Format::chart_scale), if it has one.
pub fn for_charts(strings: &Strings) -> std::borrow::Cow<'_, Strings> {
    match &strings.format.chart_scale {
        Some(scale) => {
            let mut short = strings.clone();
            short.format.scale = scale.clone();
            std::borrow::Cow::Owned(short)
        }
        None => std::borrow::Cow::Borrowed(strings),
    }
}

/// The words templates see as `t`: the strings file's `ui`, and the punctuation under its own
/// names (`t.colon`, `t.open`…) unless `ui` defines them.
pub fn template_words(strings: &Strings) -> BTreeMap<String, String> {
    let mut words = strings.ui.clone();
    let p = &strings.format.punctuation;
    let marks = [
        ("colon", &p.colon),
        ("comma", &p.comma),
        ("semicolon", &p.semicolon),
        ("open", &p.open),
        ("close", &p.close),
        ("stop", &p.stop),
        ("list", &p.list),
        ("name_metric", &p.name_metric),
    ];
    for (name, mark) in marks {
        words
            .entry(name.to_string())
            .or_insert_with(|| mark.clone());
    }
    words
}

/// `date` as the edition writes it: `2024年5月4日`, `May 4, 2024`. The edition's pattern is
/// read once, left to right; anything but `{year}`, `{month}` and `{day}` is kept as written.
pub fn date(d: Date, strings: &Strings) -> String {
    use std::fmt::Write;
    const FIELDS: [&str; 3] = ["{year}", "{month}", "{day}"];
    let f = &strings.format;
    let mut out = String::with_capacity(f.date.len() + 16);
    let mut rest = f.date.as_str();
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let field = FIELDS.iter().position(|p| rest.starts_with(p));
        // Writing into a String cannot fail.
        let _ = match field {
            Some(0) => write!(out, "{}", d.year),
            Some(1) => match f.months.get(usize::from(d.month).wrapping_sub(1)) {
                Some(name) => write!(out, "{name}"),
                None => write!(out, "{}", d.month),
            },
            Some(_) => write!(out, "{}", d.day),
            None => write!(out, "{{"),
        };
        rest = &rest[field.map_or(1, |k| FIELDS[k].len())..];
    }
    out.push_str(rest);
    out
}

/// An amount without unit: `1.5亿`, `150 million`.
pub fn number(n: u64, strings: &Strings) -> String {
    match strings.format.numbers {
        Numbers::Myriad => myriad::number(n),
        Numbers::ShortScale => short_scale::number(n, &strings.format.scale),
    }
}

/// A count without unit, never rounded: `2.6万`, `20350`; `three`, `26,000`, `1.5 million`.
pub fn count(n: u64, strings: &Strings) -> String {
    let words = &strings.format.count_words;
    if let Some(word) = usize::try_from(n).ok().and_then(|n| words.get(n)) {
        return word.clone();
    }
    match strings.format.numbers {
        Numbers::Myriad => myriad::count(n),
        Numbers::ShortScale => short_scale::count(n, &strings.format.scale),
    }
}

/// A number on a chart's axis.
pub fn axis_number(n: f64, strings: &Strings) -> String {
    match strings.format.numbers {
        Numbers::Myriad => myriad::axis_number(n),
        Numbers::ShortScale => short_scale::axis_number(n, &strings.format.scale),
    }
}

/// The unit word for `unit` in `strings`.
pub fn unit_word(unit: Unit, strings: &Strings) -> &str {
    match unit {
        Unit::Usd => &strings.units.usd,
        Unit::UsdPerMonth => &strings.units.usd_per_month,
        Unit::Companies => &strings.units.companies,
        Unit::People => &strings.units.people,
    }
}

/// `number` with its unit: `{}` in the unit stands for it, else the unit follows it.
pub fn with_unit(number: &str, unit: &str) -> String {
    if unit.contains("{}") {
        unit.replace("{}", number)
    } else {
        format!("{number}{unit}")
    }
}

/// A range with its unit: a unit before the number on both ends, one after it once.
pub fn range(low: &str, high: &str, unit: &str, strings: &Strings) -> String {
    let template = &strings.qualifiers.range;
    let before = unit.contains("{}") && !unit.starts_with("{}");
    if before {
        template
            .replace("{low}", &with_unit(low, unit))
            .replace("{high}", &with_unit(high, unit))
    } else {
        with_unit(
            &template.replace("{low}", low).replace("{high}", high),
            unit,
        )
    }
}

/// "Several" of the order of magnitude `magnitude` in `unit`: `数百万美元`, `millions of
/// dollars`.
pub fn several(magnitude: u64, unit: Unit, strings: &Strings) -> String {
    let f = &strings.format;
    let words = match f.several.get(&magnitude) {
        Some(words) => {
            let noun = f
                .several_units
                .get(unit.key())
                .map_or_else(|| unit_word(unit, strings), String::as_str);
            format!("{words} {noun}")
        }
        None if f.several.is_empty() => {
            format!("{}{}", myriad::several(magnitude), unit_word(unit, strings))
        }
        None => with_unit(&number(magnitude, strings), unit_word(unit, strings)),
    };
    strings.qualifiers.several.replace("{}", &words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Amount;
    use crate::money::format_amount;
    use std::path::Path;

    fn strings(language: &str) -> Strings {
        let src = match language {
            "zh-CN" => include_str!("../../templates/strings/zh-CN.yaml"),
            _ => include_str!("../../templates/strings/en.yaml"),
        };
        crate::strings::parse(Path::new("strings.yaml"), src).unwrap()
    }

    /// Every qualifier in every unit, in both languages: the rules of the module's header.
    /// Long on purpose: a table of cases, one line each.
    #[test]
    fn every_qualifier_in_both_languages() {
        let (zh, en) = (strings("zh-CN"), strings("en"));
        let cases: &[(Amount, Unit, &str, &str)] = &[
            (
                Amount::Exact {
                    value: 13_000_000_000,
                },
                Unit::Usd,
                "130亿美元",
                "$13 billion",
            ),
            (
                Amount::About {
                    value: 1_600_000_000,
                },
                Unit::Usd,
                "约16亿美元",
                "about $1.6 billion",
            ),
            (
                Amount::Nearly {
                    value: 1_800_000_000,
                },
                Unit::Usd,
                "近18亿美元",
                "nearly $1.8 billion",
            ),
            (
                Amount::MoreThan {
                    value: 7_000_000_000,
                },
                Unit::Usd,
                "超过70亿美元",
                "more than $7 billion",
            ),
            (
                Amount::UpTo {
                    value: 2_000_000_000,
                },
                Unit::Usd,
                "高达20亿美元",
                "up to $2 billion",
            ),
            (
                Amount::Several { value: 1_000_000 },
                Unit::Usd,
                "数百万美元",
                "millions of dollars",
            ),
            (
                Amount::Several {
                    value: 10_000_000_000,
                },
                Unit::Usd,
                "数百亿美元",
                "tens of billions of dollars",
            ),
            (
                Amount::Range {
                    low: 150_000_000,
                    high: 200_000_000,
                },
                Unit::Usd,
                "1.5亿至2亿美元",
                "$150 million to $200 million",
            ),
            (Amount::Negligible, Unit::Usd, "几乎为零", "next to nothing"),
            (Amount::Undisclosed, Unit::Usd, "未披露", "not disclosed"),
            (
                Amount::Exact { value: 20 },
                Unit::UsdPerMonth,
                "20美元/月",
                "$20 a month",
            ),
            (
                Amount::Several { value: 1_000_000 },
                Unit::UsdPerMonth,
                "数百万美元/月",
                "millions of dollars a month",
            ),
            (
                Amount::About { value: 26_000 },
                Unit::Companies,
                "约2.6万家",
                "about 26,000 companies",
            ),
            (
                Amount::Exact { value: 20_350 },
                Unit::Companies,
                "20350家",
                "20,350 companies",
            ),
            (
                Amount::Several { value: 1_000 },
                Unit::Companies,
                "数千家",
                "thousands of companies",
            ),
            (
                Amount::Exact { value: 3 },
                Unit::People,
                "3人",
                "three people",
            ),
            (
                Amount::MoreThan { value: 1_500_000 },
                Unit::People,
                "超过150万人",
                "more than 1.5 million people",
            ),
            (
                Amount::Range {
                    low: 15_000,
                    high: 20_350,
                },
                Unit::People,
                "1.5万至20350人",
                "15,000 to 20,350 people",
            ),
            (
                Amount::Several { value: 1_000_000 },
                Unit::People,
                "数百万人",
                "millions of people",
            ),
        ];
        for &(amount, unit, in_zh, in_en) in cases {
            assert_eq!(format_amount(amount, unit, &zh), in_zh, "{amount:?}");
            assert_eq!(format_amount(amount, unit, &en), in_en, "{amount:?}");
        }
    }

    #[test]
    fn computed_multiples_and_gaps_in_both_languages() {
        use crate::computed::{Derived, Measure, text};
        let (zh, en) = (strings("zh-CN"), strings("en"));
        let names = ["营收", "revenue"];
        let cases: &[(Derived, Measure, &str, &str)] = &[
            (
                Derived::About(8.125),
                Measure::Times,
                "约8倍",
                "about 8 times",
            ),
            (
                Derived::MoreThan(35.2),
                Measure::Times,
                "超过35倍",
                "more than 35 times",
            ),
            (
                Derived::UpTo(13.33),
                Measure::Times,
                "高达14倍",
                "up to 14 times",
            ),
            (Derived::Exact(1.6), Measure::Times, "1.6倍", "1.6 times"),
            (
                Derived::Range {
                    low: 35.0,
                    high: 47.0,
                    about: false,
                },
                Measure::Times,
                "35至47倍",
                "35 to 47 times",
            ),
            (
                Derived::UpTo(1_850_000_000.0),
                Measure::Amount(Unit::Usd),
                "高达18.5亿美元",
                "up to $1.85 billion",
            ),
            (
                Derived::Range {
                    low: 1.5e8,
                    high: 2e8,
                    about: true,
                },
                Measure::Amount(Unit::Usd),
                "约1.5亿至2亿美元",
                "about $150 million to $200 million",
            ),
        ];
        for &(d, measure, in_zh, in_en) in cases {
            assert_eq!(text(d, measure, names, &zh), in_zh, "{d:?}");
            assert_eq!(text(d, measure, names, &en), in_en, "{d:?}");
        }
    }

    #[test]
    fn dates_and_punctuation_per_language() {
        let (zh, en) = (strings("zh-CN"), strings("en"));
        let d = Date::parse("2024-05-04").unwrap();
        assert_eq!(date(d, &zh), "2024年5月4日");
        assert_eq!(date(d, &en), "May 4, 2024");
        let mut own = strings("en");
        own.format.date = "{day}.{month}.{year} ({year}) {x} {".to_string();
        assert_eq!(date(d, &own), "4.May.2024 (2024) {x} {");
        own.format.months.clear();
        assert_eq!(date(d, &own), "4.5.2024 (2024) {x} {");
        assert_eq!(zh.format.punctuation.aside("累计"), "（累计）");
        assert_eq!(en.format.punctuation.aside("cumulative"), " (cumulative)");
        let words = template_words(&en);
        assert_eq!(words["colon"], ": ");
        assert_eq!(words["home"], "Home");
    }

    #[test]
    fn charts_may_write_shorter_scale_words() {
        let en = strings("en");
        let chart = for_charts(&en);
        let range = Amount::Range {
            low: 150_000_000,
            high: 200_000_000,
        };
        assert_eq!(format_amount(range, Unit::Usd, &chart), "$150m to $200m");
        let up_to = Amount::UpTo {
            value: 2_000_000_000,
        };
        assert_eq!(format_amount(up_to, Unit::Usd, &chart), "up to $2bn");
        assert_eq!(axis_number(1e11, &chart), "100bn");
        let zh = strings("zh-CN");
        assert!(matches!(for_charts(&zh), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn a_unit_before_the_number_is_written_on_both_ends_of_a_range() {
        let en = strings("en");
        assert_eq!(range("1", "2", "${}", &en), "$1 to $2");
        assert_eq!(range("1", "2", "{} people", &en), "1 to 2 people");
        assert_eq!(range("1", "2", "美元", &strings("zh-CN")), "1至2美元");
        assert_eq!(with_unit("8", "倍"), "8倍");
        assert_eq!(with_unit("8", "{} times"), "8 times");
    }
}
