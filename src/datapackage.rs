//! `data/datapackage.json`: the site's CSV downloads described as a Frictionless Data Package
//! (v2), so data tools load them with types, the qualifier vocabulary, units, sources and the
//! licence instead of guessing.
//!
//! Paths are relative to `data/` and never climb out of it (the standard forbids `..`), which is
//! why chart CSVs are published under `data/charts/`.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use crate::chart::Chart;
use crate::computed::Measure;
use crate::site::Site;

/// Every qualifier a fact can have (`facts::Amount::qualifier`).
pub const QUALIFIERS: [&str; 9] = [
    "exact",
    "about",
    "nearly",
    "more_than",
    "up_to",
    "several",
    "range",
    "negligible",
    "undisclosed",
];

/// Every unit a fact can have (`facts::Unit::key`).
pub const UNITS: [&str; 4] = ["usd", "usd_per_month", "companies", "people"];

/// What a unit means, for the `unit` field's description.
const UNIT_MEANINGS: &str = "usd: US dollars; usd_per_month: US dollars a month; companies: a \
     number of companies; people: a number of people";

/// The data package of `site` with its chart CSVs, each chart once (the last of an id, as pages
/// show), pretty-printed with a final newline.
///
/// The chart resources are described one at a time as they are written, never all at once: at
/// 10 000 sections their descriptions as JSON values would take ten times the 3 MB they print to.
pub fn json(site: &Site, charts: &[&Chart]) -> String {
    let config = &site.config;
    let charts: Vec<&Chart> = charts
        .iter()
        .enumerate()
        .filter(|(i, chart)| charts[i + 1..].iter().all(|c| c.id != chart.id))
        .map(|(_, chart)| *chart)
        .collect();
    let license = &config.data_license;
    let mut source = json!({"title": config.source_article.title});
    if let Some(url) = &config.source_article.url {
        source["path"] = json!(url);
    }
    let package = json!({
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": package_name(&config.base_path()),
        "title": config.title,
        "description": config.description,
        "homepage": format!("{}data/", config.base_url),
        "created": format!("{}T00:00:00Z", config.published),
        "licenses": [{"name": license.name, "title": license.title, "path": license.path}],
        "sources": [source],
        "contributors": [{"title": config.publisher, "roles": ["publisher"]}],
        "resources": null,
    });
    let package = Package {
        fields: package,
        resources: Resources(&charts),
    };
    let mut out = serde_json::to_string_pretty(&package).unwrap_or_else(|_| "{}".into());
    out.push('\n');
    out
}

/// The package: its `fields` as they are, but for `resources` (a placeholder there, so the
/// order of the keys is the map's own), which is written from [`Resources`].
struct Package<'a> {
    fields: Value,
    resources: Resources<'a>,
}

impl Serialize for Package<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Value::Object(fields) = &self.fields else {
            return self.fields.serialize(serializer);
        };
        let mut map = serializer.serialize_map(Some(fields.len()))?;
        for (key, value) in fields {
            if key == "resources" {
                map.serialize_entry(key, &self.resources)?;
            } else {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

/// The package's resources: the facts, the revisions, then each chart, each described only
/// while it is written.
struct Resources<'a>(&'a [&'a Chart]);

impl Serialize for Resources<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fixed = [facts_resource(), revisions_resource()];
        serializer.collect_seq(
            fixed
                .into_iter()
                .chain(self.0.iter().map(|chart| chart_resource(chart))),
        )
    }
}

/// A package name (lowercase letters, digits, `-`, `_`, `.`) from the site's path:
/// `/ai-bubble/` → `ai-bubble`; `site` at a domain's root.
fn package_name(base_path: &str) -> String {
    let name: String = base_path
        .trim_matches('/')
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '-' | '_' | '.') => c,
            _ => '-',
        })
        .collect();
    if name.is_empty() { "site".into() } else { name }
}

/// A CSV resource: UTF-8 with a byte-order mark (for spreadsheets), comma-separated, a header.
fn table(name: &str, path: &str, title: &str, description: &str, schema: Value) -> Value {
    json!({
        "name": name,
        "path": path,
        "type": "table",
        "title": title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "header": true},
        "schema": schema,
    })
}

fn string(name: &str, description: &str) -> Value {
    json!({"name": name, "type": "string", "description": description})
}

fn facts_resource() -> Value {
    let required = |mut v: Value| {
        v["constraints"] = json!({"required": true});
        v
    };
    let integer = |name: &str, description: &str| {
        json!({"name": name, "type": "integer", "description": description,
            "constraints": {"minimum": 0}})
    };
    let date = |name: &str, description: &str| {
        json!({"name": name, "type": "date", "format": "default", "description": description,
            "constraints": {"required": true}})
    };
    let fields = vec![
        required(string("company", "Company file slug")),
        required(string("company_name", "Company name in Chinese")),
        required(string("id", "Fact id within the company")),
        required(string("metric", "What is measured (a key)")),
        required(string(
            "metric_label",
            "What is measured, in the site's language",
        )),
        json!({"name": "qualifier", "type": "string",
            "description": "How precise the source is: exact; about (约); nearly (近); more_than (超过); up_to (高达); several (数…, value is the order of magnitude); range (low to high); negligible (几乎为零, no number); undisclosed (未披露, no number)",
            "constraints": {"required": true, "enum": QUALIFIERS}}),
        integer(
            "value",
            "The figure in the unit of `unit`; empty for range, negligible and undisclosed",
        ),
        integer("low", "Lower end of a range, in the unit of `unit`"),
        integer("high", "Upper end of a range, in the unit of `unit`"),
        json!({"name": "unit", "type": "string", "description": UNIT_MEANINGS,
            "constraints": {"required": true, "enum": UNITS}}),
        required(string(
            "text",
            "The figure as the site prints it, with its qualifier",
        )),
        required(string("period", "The span the figure covers")),
        date("as_of", "The day the figure was current"),
        required(string("source", "Who published or said the figure")),
        string("source_via", "Where it was reported"),
        date("source_date", "The day the source published it"),
        json!({"name": "source_url", "type": "string", "format": "uri",
            "description": "Link to the source"}),
        string("note", "How a figure was derived, or a remark"),
    ];
    table(
        "facts",
        "facts.csv",
        "Every figure with its qualifier, period and source",
        "One row per fact. Amounts are whole numbers in the unit named by `unit`; the qualifier \
         says what the number means (a range has low and high instead of value).",
        json!({"fields": fields, "primaryKey": ["company", "id"], "missingValues": [""]}),
    )
}

/// `revisions.csv`: what each revised fact said before (see `export::revisions_csv`).
fn revisions_resource() -> Value {
    let required = |mut v: Value| {
        v["constraints"] = json!({"required": true});
        v
    };
    let integer = |name: &str, description: &str| {
        json!({"name": name, "type": "integer", "description": description,
            "constraints": {"minimum": 0}})
    };
    let fields = vec![
        required(string("company", "Company file slug, as in facts.csv")),
        required(string("id", "Fact id within the company, as in facts.csv")),
        json!({"name": "date", "type": "date", "format": "default",
            "description": "The day the figure was revised", "constraints": {"required": true}}),
        json!({"name": "kind", "type": "string",
            "description": "correction (更正): the published figure was wrong; update (更新): newer information",
            "constraints": {"required": true, "enum": ["correction", "update"]}}),
        json!({"name": "previous_qualifier", "type": "string",
            "description": "The qualifier the fact had before, as in facts.csv",
            "constraints": {"required": true, "enum": QUALIFIERS}}),
        integer("previous_value", "The figure before, in the fact's unit"),
        integer("previous_low", "Lower end of the range before"),
        integer("previous_high", "Upper end of the range before"),
        required(string(
            "previous_text",
            "The figure before, as the site printed it",
        )),
        string(
            "previous_source",
            "Who said the figure before, when the source changed",
        ),
        json!({"name": "previous_source_date", "type": "date", "format": "default",
            "description": "The previous source's date, when the source changed"}),
        required(string("note", "What changed and why")),
    ];
    table(
        "revisions",
        "revisions.csv",
        "What each revised figure said before",
        "One row per revision of a fact, in the order of facts.csv and then oldest first; the \
         current value is in facts.csv.",
        json!({"fields": fields, "missingValues": [""],
            "foreignKeys": [{"fields": ["company", "id"],
                "reference": {"resource": "facts", "fields": ["company", "id"]}}]}),
    )
}

fn chart_resource(chart: &Chart) -> Value {
    let unit = match chart.measure {
        Measure::Times => "times",
        Measure::Amount(u) => u.key(),
    };
    let number = |name: &str, description: &str| json!({"name": name, "type": "number", "description": description});
    let mut qualifiers: Vec<&str> = QUALIFIERS.to_vec();
    qualifiers.push("none");
    let fields = vec![
        string("row", "The chart's row label"),
        string(
            "series",
            "The series (column), or a multiple of the first two",
        ),
        string("text", "The value as the chart labels it"),
        json!({"name": "qualifier", "type": "string",
            "description": "As in facts.csv; none: not computable from its facts",
            "constraints": {"required": true, "enum": qualifiers}}),
        number("value", &format!("The value, in {unit}")),
        number("low", &format!("Lower end of a range, in {unit}")),
        number("high", &format!("Upper end of a range, in {unit}")),
        json!({"name": "unit", "type": "string",
            "description": format!("{UNIT_MEANINGS}; times: how many times one figure is another"),
            "constraints": {"required": true, "enum": [unit]}}),
        string(
            "facts",
            "The facts the value comes from, company/fact, joined by ' / '",
        ),
        string("source", "Who published the facts, joined by '；'"),
    ];
    table(
        &format!("chart-{}", chart.id),
        &format!("charts/{}.csv", chart.id),
        &chart.title,
        &chart.description,
        json!({"fields": fields, "missingValues": [""]}),
    )
}

#[cfg(test)]
mod tests {
    use super::package_name;

    #[test]
    fn the_package_is_named_after_the_site_s_path() {
        assert_eq!(package_name("/ai-bubble/"), "ai-bubble");
        assert_eq!(package_name("/News/AI 2024/"), "news-ai-2024");
        assert_eq!(package_name("/"), "site");
    }
}
