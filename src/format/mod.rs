//! How an edition writes numbers, amounts, dates and punctuation, as its strings file says
//! (`format:` in `templates/strings/<language>.yaml`).
//!
//! Two number systems cover the site's languages: [`Numbers::Myriad`], Chinese grouping by 万
//! and 亿 (`16亿美元`, the default, in [`crate::money`]), and [`Numbers::ShortScale`], English
//! thousands, millions and billions (`$1.6 billion`, [`short_scale`]). The words around the
//! number (qualifiers, units, month names, punctuation) come from the strings file, so a new
//! language that uses one of the two systems is a strings file, no code.
//!
//! The rules, the same in prose, tables, charts and data files:
//! - a unit written with `{}` is a template (`${}`, `{} companies`), otherwise a word written
//!   after the number (`美元`);
//! - a range writes a unit placed before the number on both ends (`$150 million to $200
//!   million`), and one placed after it once (`1.5亿至2亿美元`, `15,000 to 20,350 people`);
//! - "several" writes the order of magnitude in words: `数百万美元`, `millions of dollars`.

pub mod short_scale;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::facts::Unit;
use crate::strings::Strings;

/// An edition's writing of numbers and dates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Format {
    /// The number system.
    pub numbers: Numbers,
    /// A date: `{year}`, `{month}` (its name from `months`, else its number) and `{day}`.
    pub date: String,
    /// The months' names, January first; empty for numbers.
    pub months: Vec<String>,
    /// Counts written as words, from zero (`[zero, one, …, nine]`: `three people`); counts
    /// past the list's end, and all counts when it is empty, are written in figures.
    pub count_words: Vec<String>,
    /// The words for "several" of an order of magnitude (`1000000: millions of`); the Chinese
    /// 数百万 forms when empty.
    pub several: BTreeMap<u64, String>,
    /// The noun after those words, per unit (`usd: dollars`); the unit's word when absent.
    pub several_units: BTreeMap<String, String>,
    /// Punctuation the site writes between generated words.
    pub punctuation: Punctuation,
}

impl Default for Format {
    fn default() -> Self {
        Format {
            numbers: Numbers::Myriad,
            date: "{year}年{month}月{day}日".into(),
            months: Vec::new(),
            count_words: Vec::new(),
            several: BTreeMap::new(),
            several_units: BTreeMap::new(),
            punctuation: Punctuation::default(),
        }
    }
}

/// A number system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Numbers {
    /// 万 (10⁴), 亿 (10⁸), 万亿 (10¹²): `6000万`, `1.5亿`.
    Myriad,
    /// Thousands separated by commas, then million, billion, trillion: `60 million`.
    ShortScale,
}

/// Punctuation between generated words: full-width in Chinese, with spaces in English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Punctuation {
    pub colon: String,
    pub comma: String,
    pub semicolon: String,
    /// Around an aside: `（…）`, ` (…)`.
    pub open: String,
    pub close: String,
    /// After a sentence.
    pub stop: String,
    /// Between the items of a short list (`、`).
    pub list: String,
    /// Between a company's name and a metric's (`OpenAI营收`, `OpenAI · Revenue`).
    pub name_metric: String,
}

impl Default for Punctuation {
    fn default() -> Self {
        Punctuation {
            colon: "：".into(),
            comma: "，".into(),
            semicolon: "；".into(),
            open: "（".into(),
            close: "）".into(),
            stop: "。".into(),
            list: "、".into(),
            name_metric: String::new(),
        }
    }
}

impl Punctuation {
    /// `text` as an aside: `（text）`, ` (text)`.
    pub fn aside(&self, text: &str) -> String {
        format!("{}{text}{}", self.open, self.close)
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

/// `date` as the edition writes it: `2024年5月4日`, `May 4, 2024`.
pub fn date(d: Date, strings: &Strings) -> String {
    let f = &strings.format;
    let month = f
        .months
        .get(usize::from(d.month).wrapping_sub(1))
        .cloned()
        .unwrap_or_else(|| d.month.to_string());
    f.date
        .replace("{year}", &d.year.to_string())
        .replace("{month}", &month)
        .replace("{day}", &d.day.to_string())
}

/// An amount without unit: `1.5亿`, `150 million`.
pub fn number(n: u64, strings: &Strings) -> String {
    match strings.format.numbers {
        Numbers::Myriad => crate::money::number(n),
        Numbers::ShortScale => short_scale::number(n),
    }
}

/// A count without unit, never rounded: `2.6万`, `20350`; `three`, `26,000`, `1.5 million`.
pub fn count(n: u64, strings: &Strings) -> String {
    let words = &strings.format.count_words;
    if let Some(word) = usize::try_from(n).ok().and_then(|n| words.get(n)) {
        return word.clone();
    }
    match strings.format.numbers {
        Numbers::Myriad => crate::money::count(n),
        Numbers::ShortScale => short_scale::count(n),
    }
}

/// A number on a chart's axis.
pub fn axis_number(n: f64, strings: &Strings) -> String {
    match strings.format.numbers {
        Numbers::Myriad => crate::money::axis_number(n),
        Numbers::ShortScale => short_scale::axis_number(n),
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
                .map_or_else(|| crate::money::unit_word(unit, strings), String::as_str);
            format!("{words} {noun}")
        }
        None if f.several.is_empty() => format!(
            "{}{}",
            crate::money::several(magnitude),
            crate::money::unit_word(unit, strings)
        ),
        None => with_unit(
            &number(magnitude, strings),
            crate::money::unit_word(unit, strings),
        ),
    };
    strings.qualifiers.several.replace("{}", &words)
}
