//! Company files: who a company (or the market as a whole) is, and every figure known about it.

pub mod revision;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::diagnostic::{Diagnostic, KeyLocator, locate_item, shorten};
use crate::localized;
use crate::yaml;
use revision::Revision;

/// A company or organisation with figures, parsed from `content/companies/<slug>.yaml`.
#[derive(Debug, Clone)]
pub struct Company {
    /// File stem, used in URLs and fact references (`anthropic/revenue`).
    pub slug: String,
    /// Where it was read from, for diagnostics.
    pub path: PathBuf,
    /// Chinese and original names.
    pub name: Name,
    /// One-line description.
    pub description: String,
    /// A company, or the market-wide figures.
    pub kind: Kind,
    /// Its facts, in the order the file lists them.
    pub facts: Vec<Fact>,
    /// A draft is checked but not published (`build --drafts` and `serve` show it).
    pub draft: bool,
}

/// Names of a company.
#[derive(Debug, Clone, Serialize)]
pub struct Name {
    /// The name readers of the edition know (often the original): `zh:` in the file, one text
    /// per language; in an edition whose language it does not name, the original name.
    pub zh: String,
    /// The name in its original language.
    pub original: String,
}

/// What a company file describes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A startup or a giant.
    #[default]
    Company,
    /// Market-wide figures (venture totals, startup counts).
    Market,
}

/// One figure, with its qualifier, period and source.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    /// Unique within its company.
    pub id: String,
    /// What is measured (a key of `metrics` in the strings file): `revenue`, `funding`, …
    pub metric: String,
    /// The value as the source states it.
    pub amount: Amount,
    /// What the numbers count.
    pub unit: Unit,
    /// The period the figure covers, as readers say it (`2023年`).
    pub period: String,
    /// When the figure was current.
    pub as_of: Date,
    /// Who published or said it.
    pub source: Source,
    /// An optional remark (how a figure was derived).
    pub note: Option<String>,
    /// What the fact said before, oldest revision first (`history:`); empty when never revised.
    pub history: Vec<Revision>,
}

impl Fact {
    /// The newest revision of the fact, if it was revised.
    pub fn revised(&self) -> Option<&Revision> {
        self.history.last()
    }

    /// The newest correction (更正) of the fact, if its published value was ever wrong.
    pub fn corrected(&self) -> Option<&Revision> {
        self.history
            .iter()
            .rev()
            .find(|r| r.kind == crate::revision::Kind::Correction)
    }
}

/// A value exactly as precise as its source: "about", "more than", a range, or undisclosed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "qualifier", rename_all = "snake_case")]
pub enum Amount {
    /// Stated exactly.
    Exact {
        /// The value in base units.
        value: u64,
    },
    /// "about", "约".
    About {
        /// The value in base units.
        value: u64,
    },
    /// "nearly", "近".
    Nearly {
        /// The value in base units.
        value: u64,
    },
    /// "more than", "超过".
    MoreThan {
        /// The value in base units.
        value: u64,
    },
    /// "as much as", "高达".
    UpTo {
        /// The value in base units.
        value: u64,
    },
    /// "several" of an order of magnitude: 1000000 means "数百万" (a few million).
    Several {
        /// The order of magnitude, a power of ten.
        value: u64,
    },
    /// "150 to 200 million".
    Range {
        /// Lower bound in base units.
        low: u64,
        /// Upper bound in base units.
        high: u64,
    },
    /// Next to nothing ("几乎没有", "微乎其微"): drawn at the axis start, never as a number.
    Negligible,
    /// The source says it is unknown or was not disclosed.
    Undisclosed,
}

impl Amount {
    /// The single value, when the figure has one.
    pub fn value(self) -> Option<u64> {
        match self {
            Amount::Exact { value }
            | Amount::About { value }
            | Amount::Nearly { value }
            | Amount::MoreThan { value }
            | Amount::UpTo { value }
            | Amount::Several { value } => Some(value),
            Amount::Range { .. } | Amount::Negligible | Amount::Undisclosed => None,
        }
    }

    /// The low and high of a range; `None` for other amounts.
    pub fn range(self) -> Option<(u64, u64)> {
        match self {
            Amount::Range { low, high } => Some((low, high)),
            _ => None,
        }
    }

    /// The qualifier's name as written in YAML.
    pub fn qualifier(self) -> &'static str {
        match self {
            Amount::Exact { .. } => "exact",
            Amount::About { .. } => "about",
            Amount::Nearly { .. } => "nearly",
            Amount::MoreThan { .. } => "more_than",
            Amount::UpTo { .. } => "up_to",
            Amount::Several { .. } => "several",
            Amount::Range { .. } => "range",
            Amount::Negligible => "negligible",
            Amount::Undisclosed => "undisclosed",
        }
    }
}

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// US dollars.
    Usd,
    /// US dollars per month (a subscription price).
    UsdPerMonth,
    /// A number of companies.
    Companies,
    /// A number of people.
    People,
}

impl Unit {
    /// The unit's name as written in YAML.
    pub fn key(self) -> &'static str {
        match self {
            Unit::Usd => "usd",
            Unit::UsdPerMonth => "usd_per_month",
            Unit::Companies => "companies",
            Unit::People => "people",
        }
    }
}

/// Who published or said a figure, and when.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The person or organisation the figure comes from ("两名熟悉Anthropic财务状况的人士").
    #[serde(deserialize_with = "localized::text")]
    pub who: String,
    /// Where it was published or reported, if not by `who` itself.
    #[serde(default, deserialize_with = "localized::optional_text")]
    pub via: Option<String>,
    /// When it was published or said.
    pub date: Date,
    /// A link to the publication, if there is one.
    #[serde(default)]
    pub url: Option<String>,
}

/// `name:` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawName {
    #[serde(deserialize_with = "localized::text_if_given")]
    zh: Option<String>,
    original: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompany {
    name: RawName,
    #[serde(deserialize_with = "localized::text")]
    description: String,
    #[serde(default)]
    kind: Kind,
    facts: IndexMap<String, RawFact>,
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    metric: String,
    #[serde(default = "exact")]
    qualifier: String,
    #[serde(default)]
    value: Option<u64>,
    #[serde(default)]
    low: Option<u64>,
    #[serde(default)]
    high: Option<u64>,
    unit: Unit,
    #[serde(deserialize_with = "localized::text")]
    period: String,
    as_of: Date,
    source: Source,
    #[serde(default, deserialize_with = "localized::optional_text")]
    note: Option<String>,
    #[serde(default)]
    history: Vec<RawRevision>,
}

/// One entry of `history:` as written: the previous value in the fact's own fields.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRevision {
    date: Date,
    kind: revision::Kind,
    #[serde(deserialize_with = "localized::text")]
    note: String,
    #[serde(default = "exact")]
    qualifier: String,
    #[serde(default)]
    value: Option<u64>,
    #[serde(default)]
    low: Option<u64>,
    #[serde(default)]
    high: Option<u64>,
    #[serde(default)]
    source: Option<Source>,
}

/// The fields that state a value, wherever they are written (a fact, a revision).
struct Stated<'a> {
    qualifier: &'a str,
    value: Option<u64>,
    low: Option<u64>,
    high: Option<u64>,
}

fn exact() -> String {
    "exact".into()
}

/// Parses a company file. `slug` is the file stem; all problems in the file are returned.
pub fn parse(path: &Path, slug: &str, src: &str) -> Result<Company, Vec<Diagnostic>> {
    let raw: RawCompany = yaml::from_str(path, src, 0).map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    let mut facts = Vec::with_capacity(raw.facts.len());
    // Indexes the file's keys once, and only when there is a problem to locate.
    let mut locator = None;
    let mut locate = |keys: &[&str]| {
        locator
            .get_or_insert_with(|| KeyLocator::new(src))
            .locate(keys)
    };
    for (id, f) in raw.facts {
        if !is_identifier(&id) {
            let (line, column) = locate(&["facts", &id]);
            problems.push(Diagnostic::at(
                path,
                line,
                column,
                format!(
                    "fact id \"{}\" may use only lowercase letters, digits and _",
                    shorten(&id)
                ),
            ));
        }
        check_texts(path, &id, &f, &mut locate, &mut problems);
        let history = history(path, src, &id, f.history, &mut problems);
        let stated = Stated {
            qualifier: &f.qualifier,
            value: f.value,
            low: f.low,
            high: f.high,
        };
        match amount(&stated) {
            Ok(amount) => facts.push(Fact {
                id: id.clone(),
                metric: f.metric,
                amount,
                unit: f.unit,
                period: f.period,
                as_of: f.as_of,
                source: f.source,
                note: f.note,
                history,
            }),
            Err((field, message)) => {
                let (line, column) = locate(&["facts", &id, field]);
                let message = format!("{}.{message}", shorten(&id));
                problems.push(Diagnostic::at(path, line, column, message));
            }
        }
    }
    let name = company_texts(path, raw.name, &raw.description, &mut locate, &mut problems);
    if problems.is_empty() {
        Ok(Company {
            slug: slug.to_string(),
            path: path.to_path_buf(),
            name,
            description: raw.description,
            kind: raw.kind,
            facts,
            draft: raw.draft,
        })
    } else {
        Err(problems)
    }
}

/// The company's name in the edition being read (its original name where that language has
/// none); its name and description missing in that language go to `problems`.
fn company_texts(
    path: &Path,
    name: RawName,
    description: &str,
    locate: &mut impl FnMut(&[&str]) -> (usize, usize),
    problems: &mut Vec<Diagnostic>,
) -> Name {
    localized::check(
        path,
        "description",
        description,
        || locate(&["description"]),
        problems,
    );
    let name = Name {
        zh: name.zh.unwrap_or_else(|| name.original.clone()),
        original: name.original,
    };
    localized::check(
        path,
        "name.zh",
        &name.zh,
        || locate(&["name", "zh"]),
        problems,
    );
    name
}

/// Reports the texts of fact `id` missing in the edition being read (see [`localized`]), each
/// at its key as `locate` finds it.
fn check_texts(
    path: &Path,
    id: &str,
    f: &RawFact,
    locate: &mut impl FnMut(&[&str]) -> (usize, usize),
    problems: &mut Vec<Diagnostic>,
) {
    let texts = [
        ("period", &["period"][..], Some(&f.period)),
        ("note", &["note"], f.note.as_ref()),
        ("source.who", &["source", "who"], Some(&f.source.who)),
        ("source.via", &["source", "via"], f.source.via.as_ref()),
    ];
    for (name, keys, value) in texts {
        if let Some(value) = value.filter(|v| localized::problem(v).is_some()) {
            let at: Vec<&str> = ["facts", id].iter().chain(keys).copied().collect();
            let name = format!("{}.{name}", shorten(id));
            localized::check(path, &name, value, || locate(&at), problems);
        }
    }
}

/// The history of fact `id` of the company file `path` (text `src`), each previous value
/// checked like a fact's own; its problems go to `problems`.
fn history(
    path: &Path,
    src: &str,
    id: &str,
    raw: Vec<RawRevision>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Revision> {
    let mut history = Vec::with_capacity(raw.len());
    for (i, r) in raw.into_iter().enumerate() {
        let texts = [
            ("note", Some(&r.note)),
            ("source", r.source.as_ref().map(|s| &s.who)),
            ("source", r.source.as_ref().and_then(|s| s.via.as_ref())),
        ];
        for (field, value) in texts {
            if let Some(value) = value {
                let name = format!("{}.history[{i}].{field}", shorten(id));
                let at = || locate_item(src, &["facts", id, "history"], i, field);
                localized::check(path, &name, value, at, problems);
            }
        }
        let stated = Stated {
            qualifier: &r.qualifier,
            value: r.value,
            low: r.low,
            high: r.high,
        };
        match amount(&stated) {
            Ok(previous) => history.push(Revision {
                date: r.date,
                kind: r.kind,
                previous,
                previous_source: r.source,
                note: r.note,
            }),
            Err((field, message)) => {
                let (line, column) = locate_item(src, &["facts", id, "history"], i, field);
                let message = format!("{}.history: previous {message}", shorten(id));
                problems.push(Diagnostic::at(path, line, column, message));
            }
        }
    }
    history
}

/// Where each company is in a list, by slug, and where each fact is in its company, by id: fact
/// references resolve in constant time instead of a scan of every company and of every fact
/// (which made a site of thousands of companies, or a company of tens of thousands of facts,
/// quadratic).
///
/// Slugs are file names and fact ids keys of one mapping, so neither repeats. Whoever changes
/// the list indexes it again (`Site::reindex`); a lookup in a list the index was not made of
/// finds nothing rather than the wrong company.
#[derive(Debug, Clone, Default)]
pub struct Index {
    by_slug: FastMap<String, usize>,
    /// For each company of the list, in order: its facts' positions by id.
    fact_by_id: Vec<FastMap<String, usize>>,
}

/// A hash map with [`FastHasher`], for lookups by the site's own names.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// The multiply-and-rotate hash of rustc's `FxHasher`, eight bytes at a time: several times
/// faster than the standard SipHash on the short slugs and paths a site is looked up by. It is
/// not meant to resist crafted collisions, which only the site's own editors could write, and
/// only to slow their own build; it is never used where a collision would change output.
#[derive(Debug, Clone, Copy, Default)]
pub struct FastHasher(u64);

impl FastHasher {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap_or_default()));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits, which pick the bucket, depending on the low input
        // bits only: names that differ in a later byte (`f1`, `f2`, …) fell into one bucket and
        // made lookups linear. The rotation brings the well-mixed high bits down.
        self.0.rotate_left(26)
    }
}

impl Index {
    /// Indexes `companies` by slug, and their facts by id.
    pub fn new(companies: &[Company]) -> Self {
        let by_slug = companies
            .iter()
            .enumerate()
            .map(|(i, c)| (c.slug.clone(), i))
            .collect();
        let fact_by_id = companies
            .iter()
            .map(|c| {
                c.facts
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.id.clone(), i))
                    .collect()
            })
            .collect();
        Index {
            by_slug,
            fact_by_id,
        }
    }

    /// Where the company with file stem `slug` is in `companies`.
    fn position(&self, companies: &[Company], slug: &str) -> Option<usize> {
        let i = *self.by_slug.get(slug)?;
        companies.get(i).filter(|c| c.slug == slug).map(|_| i)
    }

    /// The company with file stem `slug`.
    pub fn company<'a>(&self, companies: &'a [Company], slug: &str) -> Option<&'a Company> {
        self.position(companies, slug).map(|i| &companies[i])
    }

    /// The fact a reference `<company>/<fact id>` names.
    pub fn fact<'a>(
        &self,
        companies: &'a [Company],
        target: &str,
    ) -> Option<(&'a Company, &'a Fact)> {
        let (slug, id) = target.split_once('/')?;
        let at = self.position(companies, slug)?;
        let company = &companies[at];
        let i = *self.fact_by_id.get(at)?.get(id)?;
        let fact = company.facts.get(i).filter(|f| f.id == id)?;
        Some((company, fact))
    }
}

/// Checks that the fields present fit the qualifier; on error names the field to fix.
fn amount(f: &Stated) -> Result<Amount, (&'static str, String)> {
    let single = |make: fn(u64) -> Amount| match (f.value, f.low, f.high) {
        (Some(v), None, None) => Ok(make(v)),
        (None, _, _) => Err((
            "qualifier",
            format!("qualifier: \"{}\" needs a value: field", f.qualifier),
        )),
        _ => Err((
            "low",
            format!(
                "low/high: only a range has low and high; with \"{}\" write value:",
                f.qualifier
            ),
        )),
    };
    match f.qualifier {
        "exact" => single(|value| Amount::Exact { value }),
        "about" => single(|value| Amount::About { value }),
        "nearly" => single(|value| Amount::Nearly { value }),
        "more_than" => single(|value| Amount::MoreThan { value }),
        "up_to" => single(|value| Amount::UpTo { value }),
        "several" => match f.value {
            Some(v) if is_power_of_ten(v) => Ok(Amount::Several { value: v }),
            _ => Err((
                "value",
                "value: with \"several\" the value is the order of magnitude, a power of ten such as 1000000 for 数百万".into(),
            )),
        },
        "range" => match (f.value, f.low, f.high) {
            (None, Some(low), Some(high)) if low < high => Ok(Amount::Range { low, high }),
            (None, Some(low), Some(high)) => Err((
                "low",
                format!("low: a range's low ({low}) must be less than its high ({high})"),
            )),
            (Some(_), _, _) => Err((
                "value",
                "value: a range has low: and high: instead of value:".into(),
            )),
            _ => Err((
                "qualifier",
                "qualifier: a range needs both low: and high:".into(),
            )),
        },
        "negligible" | "undisclosed" => match (f.value, f.low, f.high) {
            (None, None, None) if f.qualifier == "negligible" => Ok(Amount::Negligible),
            (None, None, None) => Ok(Amount::Undisclosed),
            _ => Err((
                "qualifier",
                format!("qualifier: a \"{}\" figure has no value, low or high", f.qualifier),
            )),
        },
        other => Err((
            "qualifier",
            format!(
                "qualifier: unknown qualifier \"{}\"; expected one of exact, about, nearly, more_than, up_to, several, range, negligible, undisclosed",
                shorten(other)
            ),
        )),
    }
}

fn is_power_of_ten(mut v: u64) -> bool {
    if v == 0 {
        return false;
    }
    while v.is_multiple_of(10) {
        v /= 10;
    }
    v == 1
}

/// Slugs and fact ids: lowercase ASCII letters, digits, `_` and `-`, starting with a letter or digit.
pub fn is_identifier(s: &str) -> bool {
    crate::slug::is_slug(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "name:\n  zh: 甲\n  original: A\ndescription: d\nfacts:\n";

    fn fact(body: &str) -> String {
        format!(
            "{HEAD}  revenue:\n    metric: revenue\n    unit: usd\n    period: 2023年\n    as_of: 2024-05-04\n    source:\n      who: 知情人士\n      date: 2024-05-04\n{body}"
        )
    }

    fn parse_one(src: &str) -> Result<Amount, Vec<String>> {
        parse(Path::new("a.yaml"), "a", src)
            .map(|c| c.facts[0].amount)
            .map_err(|ds| ds.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn qualifiers_become_amounts() {
        assert_eq!(
            parse_one(&fact("    value: 1600000000\n    qualifier: about\n")),
            Ok(Amount::About {
                value: 1_600_000_000
            })
        );
        assert_eq!(
            parse_one(&fact(
                "    qualifier: range\n    low: 150000000\n    high: 200000000\n"
            )),
            Ok(Amount::Range {
                low: 150_000_000,
                high: 200_000_000
            })
        );
        assert_eq!(
            parse_one(&fact("    qualifier: undisclosed\n")),
            Ok(Amount::Undisclosed)
        );
        assert_eq!(
            parse_one(&fact("    value: 20\n")),
            Ok(Amount::Exact { value: 20 })
        );
    }

    #[test]
    fn a_range_whose_low_exceeds_its_high_is_pinned_to_low() {
        assert_eq!(
            parse_one(&fact("    qualifier: range\n    low: 9\n    high: 2\n")),
            Err(vec![
                "a.yaml:15:5: revenue.low: a range's low (9) must be less than its high (2)"
                    .to_string()
            ])
        );
    }

    #[test]
    fn a_missing_value_names_the_qualifier() {
        assert_eq!(
            parse_one(&fact("    qualifier: about\n")),
            Err(vec![
                "a.yaml:14:5: revenue.qualifier: \"about\" needs a value: field".to_string()
            ])
        );
    }

    #[test]
    fn the_index_finds_every_fact_by_id_and_misses_unknown_ones() {
        let mut src = HEAD.to_string();
        for i in 0..50 {
            src.push_str(&format!(
                "  f{i}:\n    metric: m\n    value: {}\n    unit: usd\n    period: p\n    as_of: 2024-05-04\n    source:\n      who: w\n      date: 2024-05-04\n",
                i + 1
            ));
        }
        let companies = vec![parse(Path::new("a.yaml"), "a", &src).unwrap()];
        let index = Index::new(&companies);
        for i in 0..50 {
            let (_, f) = index.fact(&companies, &format!("a/f{i}")).unwrap();
            assert_eq!(f.amount.value(), Some(i + 1));
        }
        assert!(index.fact(&companies, "a/f50").is_none());
        assert!(index.fact(&companies, "b/f1").is_none());
    }

    #[test]
    fn numbered_names_spread_over_the_buckets() {
        use std::hash::BuildHasher;
        let hasher = BuildHasherDefault::<FastHasher>::default();
        let buckets: std::collections::HashSet<u64> = (0..4096)
            .map(|i| hasher.hash_one(format!("f{i}")) & 0xFFF)
            .collect();
        // Random hashes fill about 2 590 of 4 096 buckets; without the rotation, these names fill 32.
        assert!(buckets.len() > 2_000, "{} buckets", buckets.len());
    }

    #[test]
    fn a_missing_source_is_an_error() {
        let src = format!(
            "{HEAD}  revenue:\n    metric: revenue\n    unit: usd\n    period: p\n    as_of: 2024-05-04\n    value: 1\n"
        );
        let errs = parse_one(&src).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].ends_with("revenue: missing field `source`"),
            "{errs:?}"
        );
    }
}
