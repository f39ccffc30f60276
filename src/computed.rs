//! Computed figures: ratios, differences and sums of two facts, with their qualifiers carried
//! through by explicit rules, and how they are written (`约8倍`, `超过35倍`, `高达18.5亿美元`).
//!
//! An editor writes a computed figure where a fact reference would go, with spaces around the
//! operator: `[[openai/microsoft_investment / openai/revenue_2023]]` (how many times),
//! `[[anthropic/spending_annual - anthropic/revenue_annual]]` (the gap),
//! `[[a/x + b/y]]` (a sum). Charts of kind `multiples` use the same ratio.
//!
//! # The rules
//!
//! Each input is read as the interval of values the source allows: exact, about and nearly `v`
//! are `v` itself; more than `v` is `v` up to unbounded; up to `v` is unknown (zero) up to `v`;
//! a range is its ends. The result's interval follows from interval arithmetic (a ratio's lower
//! end is the lowest numerator over the highest denominator). Then:
//!
//! - both ends known and equal: the value, exact if every input is exact; "nearly" if the only
//!   approximate inputs are "nearly" figures that push the result down (a numerator, a minuend,
//!   an addend); "about" otherwise;
//! - both ends known and different: a range (about, if an input was approximate);
//! - only the lower end known: "more than" it; only the upper end: "up to" it;
//! - neither: no number.
//!
//! "Several" (an order of magnitude), negligible and undisclosed inputs give no number and say
//! why, as does a division by zero.
//!
//! # Rounding
//!
//! Multiples are written with one decimal below 3 (`约1.7倍`) and as whole numbers from 3 on
//! (`约8倍`); amounts with three significant digits. Rounding never makes a bound untrue: "more
//! than" and a range's low end round down, "up to" and a range's high end round up, other values
//! to the nearest. An exact result that rounding changes is written as "about".

use crate::facts::{Amount, Unit};
use crate::format::{self, unit_word};
use crate::site::Site;
use crate::strings::Strings;

/// How two facts are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `a / b`: how many times `b` `a` is.
    Ratio,
    /// `a - b`: the gap between them.
    Difference,
    /// `a + b`: both together.
    Sum,
}

impl Op {
    /// The operator as editors write it.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ratio => "/",
            Op::Difference => "-",
            Op::Sum => "+",
        }
    }

    /// The operator as readers see it.
    fn sign(self) -> &'static str {
        match self {
            Op::Ratio => "÷",
            Op::Difference => "−",
            Op::Sum => "+",
        }
    }
}

/// A computed reference: two fact references and an operator.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Expr {
    /// The operator.
    pub op: Op,
    /// The left fact, `company/fact`.
    pub left: String,
    /// The right fact.
    pub right: String,
}

/// Reads `a / b`, `a - b` or `a + b` (spaces around the operator); `None` for anything else,
/// such as a plain fact reference.
pub fn parse(target: &str) -> Option<Expr> {
    // A fact reference has no space: most targets are one, and are answered without a search.
    if !target.contains(' ') {
        return None;
    }
    [Op::Ratio, Op::Difference, Op::Sum]
        .into_iter()
        .find_map(|op| {
            let (left, right) = target.split_once(&format!(" {} ", op.symbol()))?;
            let (left, right) = (left.trim(), right.trim());
            let plain = |s: &str| !s.is_empty() && !s.contains(' ');
            (plain(left) && plain(right)).then(|| Expr {
                op,
                left: left.to_string(),
                right: right.to_string(),
            })
        })
}

/// Why a computed figure has no number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Why {
    /// An input is next to nothing (left input when `true`... see [`Side`]).
    Negligible(Side),
    /// An input was not disclosed.
    Undisclosed(Side),
    /// An input is only an order of magnitude ("several").
    Several(Side),
    /// Neither end of the result is bounded.
    Unbounded,
    /// The divisor is zero.
    DivisionByZero,
}

/// Which input a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The left input.
    Left,
    /// The right input.
    Right,
}

/// The result of combining two figures, with its qualifier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Derived {
    /// Exactly this.
    Exact(f64),
    /// About this.
    About(f64),
    /// Just under this.
    Nearly(f64),
    /// More than this.
    MoreThan(f64),
    /// At most this.
    UpTo(f64),
    /// Between two values; `about` when an input was approximate.
    Range {
        /// Lower end.
        low: f64,
        /// Upper end.
        high: f64,
        /// Whether the ends are approximate.
        about: bool,
    },
    /// No number, and why.
    None(Why),
}

impl Derived {
    /// The qualifier's name, as facts use it (`about`, `range`, …; `none` for no number).
    pub fn qualifier(self) -> &'static str {
        match self {
            Derived::Exact(_) => "exact",
            Derived::About(_) => "about",
            Derived::Nearly(_) => "nearly",
            Derived::MoreThan(_) => "more_than",
            Derived::UpTo(_) => "up_to",
            Derived::Range { .. } => "range",
            Derived::None(_) => "none",
        }
    }
}

/// How precisely an input is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Precision {
    Exact,
    Under,
    About,
}

/// An input as an interval: `low` is unknown when `open_low`, `high` unbounded when `open_high`.
#[derive(Debug, Clone, Copy)]
struct Operand {
    low: f64,
    high: f64,
    open_low: bool,
    open_high: bool,
    precision: Precision,
}

fn operand(a: Amount, side: Side) -> Result<Operand, Why> {
    let point = |v: u64, precision| Operand {
        low: v as f64,
        high: v as f64,
        open_low: false,
        open_high: false,
        precision,
    };
    Ok(match a {
        Amount::Exact { value } => point(value, Precision::Exact),
        Amount::About { value } => point(value, Precision::About),
        Amount::Nearly { value } => point(value, Precision::Under),
        Amount::MoreThan { value } => Operand {
            high: f64::INFINITY,
            open_high: true,
            ..point(value, Precision::Exact)
        },
        Amount::UpTo { value } => Operand {
            low: 0.0,
            open_low: true,
            ..point(value, Precision::Exact)
        },
        Amount::Range { low, high } => Operand {
            low: low as f64,
            high: high as f64,
            open_low: false,
            open_high: false,
            precision: Precision::Exact,
        },
        Amount::Several { .. } => return Err(Why::Several(side)),
        Amount::Negligible => return Err(Why::Negligible(side)),
        Amount::Undisclosed => return Err(Why::Undisclosed(side)),
    })
}

/// Combines `a` and `b` by `op`, carrying their qualifiers through (see the module's rules).
pub fn apply(op: Op, a: Amount, b: Amount) -> Derived {
    let (x, y) = match (operand(a, Side::Left), operand(b, Side::Right)) {
        (Ok(x), Ok(y)) => (x, y),
        (Err(why), _) | (_, Err(why)) => return Derived::None(why),
    };
    let (low, high, open_low, open_high) = match op {
        Op::Ratio => {
            if y.high == 0.0 {
                return Derived::None(Why::DivisionByZero);
            }
            let high = if y.low > 0.0 {
                x.high / y.low
            } else {
                f64::INFINITY
            };
            (
                x.low / y.high,
                high,
                x.open_low || y.open_high,
                x.open_high || y.open_low || y.low <= 0.0,
            )
        }
        Op::Difference => (
            x.low - y.high,
            x.high - y.low,
            x.open_low || y.open_high,
            x.open_high || y.open_low,
        ),
        Op::Sum => (
            x.low + y.low,
            x.high + y.high,
            x.open_low || y.open_low,
            x.open_high || y.open_high,
        ),
    };
    // A "nearly" input pushes the result down where it adds to it, up where it subtracts.
    let pushes_up = y.precision == Precision::Under && op != Op::Sum;
    let precision = match x.precision.max(y.precision) {
        Precision::Under if pushes_up => Precision::About,
        p => p,
    };
    match (open_low, open_high) {
        (true, true) => Derived::None(Why::Unbounded),
        (true, false) if high > 0.0 => Derived::UpTo(high),
        (false, true) if low > 0.0 => Derived::MoreThan(low),
        (true, false) | (false, true) => Derived::None(Why::Unbounded),
        (false, false) if low == high => match precision {
            Precision::Exact => Derived::Exact(low),
            Precision::Under => Derived::Nearly(low),
            Precision::About => Derived::About(low),
        },
        (false, false) => Derived::Range {
            low,
            high,
            about: precision != Precision::Exact,
        },
    }
}

/// Which way a rounded value may move without making its claim untrue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Toward {
    Down,
    Up,
    Nearest,
}

/// Rounds `v` to `decimals` decimals (negative: to tens, hundreds, …) in direction `t`.
fn round(v: f64, decimals: i32, t: Toward) -> f64 {
    let k = 10f64.powi(decimals);
    // Values a hair off a round number (from division) are that number.
    let scaled = ((v * k) * 1e9).round() / 1e9;
    let r = match t {
        Toward::Down => scaled.floor(),
        Toward::Up => scaled.ceil(),
        Toward::Nearest => scaled.round(),
    };
    r / k
}

/// Decimals a multiple is written with: one below 3, none from 3 on.
fn multiple_decimals(v: f64) -> i32 {
    if v.abs() >= 3.0 {
        0
    } else if v.abs() >= 0.1 {
        1
    } else {
        2
    }
}

/// Decimals that keep three significant digits of an amount.
fn amount_decimals(v: f64) -> i32 {
    if v == 0.0 {
        return 0;
    }
    2 - v.abs().log10().floor() as i32
}

/// What a computed figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// How many times (a ratio).
    Times,
    /// An amount in a fact's unit (a difference or sum).
    Amount(Unit),
}

/// A derived value rounded for display (see the module's rounding rules).
pub fn rounded(d: Derived, measure: Measure) -> Derived {
    let decimals = |v: f64| match measure {
        Measure::Times => multiple_decimals(v),
        Measure::Amount(_) => amount_decimals(v),
    };
    let r = |v: f64, t| round(v, decimals(v), t);
    match d {
        Derived::Exact(v) => {
            let n = r(v, Toward::Nearest);
            if (n - v).abs() > v.abs() * 1e-9 {
                Derived::About(n)
            } else {
                Derived::Exact(n)
            }
        }
        Derived::About(v) => Derived::About(r(v, Toward::Nearest)),
        Derived::Nearly(v) => Derived::Nearly(r(v, Toward::Nearest)),
        Derived::MoreThan(v) => Derived::MoreThan(r(v, Toward::Down)),
        Derived::UpTo(v) => Derived::UpTo(r(v, Toward::Up)),
        Derived::Range { low, high, about } => Derived::Range {
            low: r(low, Toward::Down),
            high: r(high, Toward::Up),
            about,
        },
        Derived::None(why) => Derived::None(why),
    }
}

/// A number as the edition writes it: `8`, `1.7`, `18.5亿`, `1.85 billion`.
fn number_text(v: f64, measure: Measure, strings: &Strings) -> String {
    match measure {
        Measure::Times => {
            let s = format!("{:.2}", v);
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        Measure::Amount(_) if v < 0.0 => {
            format!("-{}", format::number((-v).round() as u64, strings))
        }
        Measure::Amount(_) => format::number(v.round() as u64, strings),
    }
}

/// The unit written with a computed number: a word after it (`倍`, `美元`) or a template
/// (`{} times`, `${}`; see [`format::with_unit`]).
pub fn measure_word(measure: Measure, strings: &Strings) -> &str {
    match measure {
        Measure::Times => strings.ui.get("times").map_or("×", String::as_str),
        Measure::Amount(unit) => unit_word(unit, strings),
    }
}

/// Writes `d` (rounded first) as the edition's readers expect: `约8倍`, `超过35倍`, `35至47倍`,
/// `高达18.5亿美元`, `about 8 times`; with no number, the reason, naming the input by `names`.
pub fn text(d: Derived, measure: Measure, names: [&str; 2], strings: &Strings) -> String {
    let q = &strings.qualifiers;
    let u = measure_word(measure, strings);
    let with = |template: &str, v: f64| {
        template.replace(
            "{}",
            &format::with_unit(&number_text(v, measure, strings), u),
        )
    };
    match rounded(d, measure) {
        Derived::Exact(v) => with(&q.exact, v),
        Derived::About(v) => with(&q.about, v),
        Derived::Nearly(v) => with(&q.nearly, v),
        Derived::MoreThan(v) => with(&q.more_than, v),
        Derived::UpTo(v) => with(&q.up_to, v),
        Derived::Range { low, high, about } => {
            let (low, high) = (
                number_text(low, measure, strings),
                number_text(high, measure, strings),
            );
            let range = format::range(&low, &high, u, strings);
            if about {
                q.about.replace("{}", &range)
            } else {
                range
            }
        }
        Derived::None(why) => reason(why, names, strings),
    }
}

/// Why there is no number, in the site's words.
fn reason(why: Why, names: [&str; 2], strings: &Strings) -> String {
    let name = |side: Side| match side {
        Side::Left => names[0],
        Side::Right => names[1],
    };
    let (key, arg) = match why {
        Why::Negligible(s) => ("computed_negligible", name(s)),
        Why::Undisclosed(s) => ("computed_undisclosed", name(s)),
        Why::Several(s) => ("computed_several", name(s)),
        Why::Unbounded => ("computed_unbounded", ""),
        Why::DivisionByZero => ("computed_zero", name(Side::Right)),
    };
    strings
        .ui
        .get(key)
        .map_or_else(|| key.to_string(), |t| t.replace("{}", arg))
}

/// A computed reference resolved against the site's facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    /// The exact result, before rounding.
    pub value: Derived,
    /// What it counts.
    pub measure: Measure,
    /// As the site writes it (`约8倍`), or why there is no number.
    pub text: String,
    /// How it was computed, for readers: `130亿美元 ÷ 约16亿美元`.
    pub rule: String,
}

/// Checks a reference that is not a plain fact: `Some("")` when `target` is a computed
/// reference that resolves, `Some(problem)` when it is one that does not, `None` when it is no
/// computed reference at all.
pub fn check(site: &Site, target: &str) -> Option<String> {
    let expr = parse(target)?;
    Some(match resolve(site, &expr) {
        Ok(_) => String::new(),
        Err(problem) => format!("computed reference [[{target}]]: {problem}"),
    })
}

/// Resolves `expr` against `site`: `Err` names what is wrong (a missing fact, units that differ).
pub fn resolve(site: &Site, expr: &Expr) -> Result<Computed, String> {
    let find = |t: &str| {
        site.fact(t)
            .map(|(_, f)| f)
            .ok_or_else(|| format!("there is no fact {t}; write <company>/<fact id> on each side"))
    };
    let (a, b) = (find(&expr.left)?, find(&expr.right)?);
    if a.unit != b.unit {
        return Err(format!(
            "{} is in {} but {} is in {}; a computed figure combines figures of one unit",
            expr.left,
            a.unit.key(),
            expr.right,
            b.unit.key()
        ));
    }
    let s = &site.strings;
    let measure = match expr.op {
        Op::Ratio => Measure::Times,
        Op::Difference | Op::Sum => Measure::Amount(a.unit),
    };
    let value = apply(expr.op, a.amount, b.amount);
    let metric = |f: &crate::facts::Fact| s.metric(&f.metric).unwrap_or(&f.metric).to_string();
    let names = [metric(a), metric(b)];
    let text = text(value, measure, [&names[0], &names[1]], s);
    let fmt = |f: &crate::facts::Fact| crate::money::format_amount(f.amount, f.unit, s);
    let rule = format!("{} {} {}", fmt(a), expr.op.sign(), fmt(b));
    Ok(Computed {
        value,
        measure,
        text,
        rule,
    })
}

/// A computed figure as `data/computed.json` publishes it: what it was computed from, by which
/// rule, the exact result and the text the site prints.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Record {
    /// The reference as written: `anthropic/funding_total / anthropic/revenue_annual`.
    pub reference: String,
    /// `ratio`, `difference` or `sum`.
    pub operation: &'static str,
    /// The two facts, `company/fact`.
    pub facts: [String; 2],
    /// How it was computed, with the inputs as the site prints them.
    pub rule: String,
    /// The result's qualifier (`none` when there is no number).
    pub qualifier: &'static str,
    /// The exact result, before rounding, when it is one number.
    pub value: Option<f64>,
    /// Lower bound, for a range.
    pub low: Option<f64>,
    /// Upper bound, for a range.
    pub high: Option<f64>,
    /// `times`, or the facts' unit.
    pub unit: &'static str,
    /// As the site prints it.
    pub text: String,
    /// The files that use it, in the order the site lists them.
    pub used_in: Vec<String>,
}

/// Every computed figure the site shows, in prose (sections and pages) and in charts, once
/// each, in order of first use.
pub fn records(site: &Site) -> Vec<Record> {
    let mut uses: Vec<(Expr, String)> = Vec::new();
    for s in site.sections.iter().filter(|s| !s.meta.draft) {
        let exprs = s.computed_refs.iter().filter_map(|target| parse(target));
        uses.extend(exprs.map(|e| (e, site_path(&s.path))));
    }
    for p in &site.pages {
        uses.extend(in_text(&p.body).map(|e| (e, site_path(&p.path))));
    }
    for c in &site.charts {
        let def = &c.def;
        let file = site_path(&c.path);
        for row in &def.rows {
            let pairs: Vec<&[Option<String>]> = match def.kind.rules().combines() {
                Some(_) => row.facts.chunks(2).collect(),
                None if def.multiple => vec![&row.facts[..row.facts.len().min(2)]],
                None => Vec::new(),
            };
            for pair in pairs {
                if let [Some(a), Some(b)] = pair {
                    let e = Expr {
                        op: def.kind.rules().combines().unwrap_or(Op::Ratio),
                        left: a.clone(),
                        right: b.clone(),
                    };
                    uses.push((e, file.clone()));
                }
            }
        }
    }
    let mut out: Vec<Record> = Vec::new();
    for (expr, file) in uses {
        let reference = format!("{} {} {}", expr.left, expr.op.symbol(), expr.right);
        if let Some(r) = out.iter_mut().find(|r| r.reference == reference) {
            if !r.used_in.contains(&file) {
                r.used_in.push(file);
            }
            continue;
        }
        let Ok(c) = resolve(site, &expr) else {
            continue;
        };
        let (value, low, high) = match c.value {
            Derived::Exact(v)
            | Derived::About(v)
            | Derived::Nearly(v)
            | Derived::MoreThan(v)
            | Derived::UpTo(v) => (Some(v), None, None),
            Derived::Range { low, high, .. } => (None, Some(low), Some(high)),
            Derived::None(_) => (None, None, None),
        };
        out.push(Record {
            operation: match expr.op {
                Op::Ratio => "ratio",
                Op::Difference => "difference",
                Op::Sum => "sum",
            },
            facts: [expr.left.clone(), expr.right.clone()],
            rule: c.rule,
            qualifier: c.value.qualifier(),
            value,
            low,
            high,
            unit: match c.measure {
                Measure::Times => "times",
                Measure::Amount(u) => u.key(),
            },
            text: c.text,
            used_in: vec![file],
            reference,
        });
    }
    out
}

/// A content file's path from `content/` on, the same wherever the site is built.
fn site_path(path: &std::path::Path) -> String {
    let parts: Vec<_> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    let from = parts.iter().rposition(|p| p == "content").unwrap_or(0);
    parts[from..].join("/")
}

/// The computed references in a Markdown body, found by their brackets (a reference cannot
/// hold `]]`), without parsing it.
fn in_text(body: &str) -> impl Iterator<Item = Expr> + '_ {
    body.split("[[")
        .skip(1)
        .filter_map(|rest| parse(rest.split("]]").next()?.trim()))
}

/// `data/computed.json`: a pretty-printed array of records, ending with a newline.
pub fn json(records: &[Record]) -> String {
    let mut out = serde_json::to_string_pretty(records).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
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

    /// One example of every qualifier, with the letter the table below uses for it.
    fn sample(q: char, v: u64) -> Amount {
        match q {
            'e' => Amount::Exact { value: v },
            'a' => Amount::About { value: v },
            'n' => Amount::Nearly { value: v },
            'm' => Amount::MoreThan { value: v },
            'u' => Amount::UpTo { value: v },
            'r' => Amount::Range {
                low: v,
                high: v * 2,
            },
            's' => Amount::Several { value: v },
            'g' => Amount::Negligible,
            'd' => Amount::Undisclosed,
            _ => unreachable!(),
        }
    }

    /// The qualifier of every pair of inputs under every operator: rows are the left input, in
    /// the order exact, about, nearly, more than, up to, range, several, negligible,
    /// undisclosed; columns the right input in the same order. `e` exact, `a` about, `n`
    /// nearly, `m` more than, `u` up to, `r` range, `R` range of approximate ends, `-` no
    /// number. Inputs are 800 and 100 (a range: 800–1600 and 100–200), so every result is
    /// positive.
    #[test]
    fn qualifier_algebra_covers_every_pair() {
        const ORDER: &str = "eanmursgd";
        let table = [
            (
                Op::Ratio,
                [
                    "eaaumr---", // exact ÷ …
                    "aaaumR---", // about ÷ …
                    "naaumR---", // nearly ÷ …
                    "mmm-mm---", // more than ÷ …
                    "uuuu-u---", // up to ÷ …
                    "rRRumr---", // range ÷ …
                    "---------", // several ÷ …
                    "---------", // negligible ÷ …
                    "---------", // undisclosed ÷ …
                ],
            ),
            (
                Op::Difference,
                [
                    "eaaumr---",
                    "aaaumR---",
                    "naaumR---",
                    "mmm-mm---",
                    "uuuu-u---",
                    "rRRumr---",
                    "---------",
                    "---------",
                    "---------",
                ],
            ),
            (
                Op::Sum,
                [
                    "eanmur---",
                    "aaamuR---",
                    "nanmuR---",
                    "mmmm-m---",
                    "uuu-uu---",
                    "rRRmur---",
                    "---------",
                    "---------",
                    "---------",
                ],
            ),
        ];
        for (op, rows) in table {
            for (i, row) in rows.iter().enumerate() {
                for (j, want) in row.chars().enumerate() {
                    let (l, r) = (ORDER.as_bytes()[i] as char, ORDER.as_bytes()[j] as char);
                    let got = apply(op, sample(l, 800), sample(r, 100));
                    let letter = match got {
                        Derived::Exact(_) => 'e',
                        Derived::About(_) => 'a',
                        Derived::Nearly(_) => 'n',
                        Derived::MoreThan(_) => 'm',
                        Derived::UpTo(_) => 'u',
                        Derived::Range { about: false, .. } => 'r',
                        Derived::Range { about: true, .. } => 'R',
                        Derived::None(_) => '-',
                    };
                    assert_eq!(letter, want, "{l} {} {r} gave {got:?}", op.symbol());
                }
            }
        }
    }

    #[test]
    fn the_issues_rules_hold_with_their_numbers() {
        let e = |v| Amount::Exact { value: v };
        let range = Amount::Range {
            low: 150,
            high: 200,
        };
        assert_eq!(
            apply(Op::Ratio, Amount::About { value: 1600 }, e(100)),
            Derived::About(16.0)
        );
        // More than ÷ a range: more than the lower bound (over the range's high end).
        assert_eq!(
            apply(Op::Ratio, Amount::MoreThan { value: 7000 }, range),
            Derived::MoreThan(35.0)
        );
        assert_eq!(
            apply(Op::Ratio, range, e(50)),
            Derived::Range {
                low: 3.0,
                high: 4.0,
                about: false
            }
        );
        // Up to − a range: up to the top minus the range's low end.
        assert_eq!(
            apply(Op::Difference, Amount::UpTo { value: 2000 }, range),
            Derived::UpTo(1850.0)
        );
        assert_eq!(
            apply(Op::Ratio, e(1), Amount::Negligible),
            Derived::None(Why::Negligible(Side::Right))
        );
        assert_eq!(
            apply(Op::Difference, Amount::Undisclosed, e(1)),
            Derived::None(Why::Undisclosed(Side::Left))
        );
        assert_eq!(
            apply(Op::Ratio, e(1), e(0)),
            Derived::None(Why::DivisionByZero)
        );
        // Nearly in a divisor makes the result slightly larger than computed: about.
        assert_eq!(
            apply(Op::Ratio, e(100), Amount::Nearly { value: 10 }),
            Derived::About(10.0)
        );
        assert_eq!(
            apply(Op::Ratio, Amount::Nearly { value: 100 }, e(10)),
            Derived::Nearly(10.0)
        );
    }

    #[test]
    fn written_as_chinese_readers_expect_with_bounds_kept_true() {
        let s = zh();
        let t = |d| text(d, Measure::Times, ["融资额", "营收"], &s);
        assert_eq!(t(Derived::About(13_000.0 / 1_600.0)), "约8倍");
        assert_eq!(t(Derived::MoreThan(35.0)), "超过35倍");
        assert_eq!(t(Derived::MoreThan(35.9)), "超过35倍");
        assert_eq!(t(Derived::UpTo(2000.0 / 150.0)), "高达14倍");
        assert_eq!(t(Derived::About(101.0 / 60.0)), "约1.7倍");
        assert_eq!(t(Derived::Exact(8.0)), "8倍");
        // Rounding an exact result makes it approximate.
        assert_eq!(t(Derived::Exact(13.0 / 1.6)), "约8倍");
        assert_eq!(t(Derived::Nearly(9.0)), "近9倍");
        assert_eq!(
            t(Derived::Range {
                low: 35.0,
                high: 46.67,
                about: false
            }),
            "35至47倍"
        );
        assert_eq!(
            t(Derived::Range {
                low: 1.25,
                high: 1.75,
                about: true
            }),
            "约1.2至1.8倍"
        );
        assert_eq!(
            t(Derived::None(Why::Negligible(Side::Right))),
            "无从计算：营收几乎为零"
        );
        let usd = |d| text(d, Measure::Amount(Unit::Usd), ["支出", "营收"], &s);
        assert_eq!(usd(Derived::UpTo(1_850_000_000.0)), "高达18.5亿美元");
        assert_eq!(usd(Derived::About(1_234_567_890.0)), "约12.3亿美元");
        assert_eq!(usd(Derived::MoreThan(1_239_000_000.0)), "超过12.3亿美元");
    }

    #[test]
    fn computed_references_parse_with_spaces_around_the_operator() {
        assert_eq!(
            parse("openai/microsoft_investment / openai/revenue_2023"),
            Some(Expr {
                op: Op::Ratio,
                left: "openai/microsoft_investment".into(),
                right: "openai/revenue_2023".into()
            })
        );
        assert_eq!(parse("a/b - c/d").map(|e| e.op), Some(Op::Difference));
        assert_eq!(parse("a/b + c/d").map(|e| e.op), Some(Op::Sum));
        assert_eq!(parse("openai/revenue_2023"), None);
        assert_eq!(parse("stability-ai/x"), None);
        assert_eq!(parse("a/b /  "), None);
    }
}
