//! The data downloads: every fact as `data/facts.json` and `data/facts.csv`, and every fact's
//! history as `data/revisions.csv`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::money::format_amount;
use crate::site::Site;

/// One fact with all its fields, flattened for data tools.
#[derive(Debug, Clone, Serialize)]
pub struct FactRecord {
    /// Company file slug.
    pub company: String,
    /// Company name in Chinese.
    pub company_name: String,
    /// Fact id within the company.
    pub id: String,
    /// Metric key.
    pub metric: String,
    /// Metric name in the site's language.
    pub metric_label: String,
    /// exact, about, nearly, more_than, up_to, several, range, negligible or undisclosed.
    pub qualifier: &'static str,
    /// The value in base units (US dollars, counts); null for ranges and undisclosed values.
    pub value: Option<u64>,
    /// Lower bound of a range.
    pub low: Option<u64>,
    /// Upper bound of a range.
    pub high: Option<u64>,
    /// usd, usd_per_month, companies or people.
    pub unit: &'static str,
    /// The figure as the site prints it.
    pub text: String,
    /// Period the figure covers.
    pub period: String,
    /// When it was current (YYYY-MM-DD).
    pub as_of: String,
    /// Who published or said it.
    pub source: String,
    /// Where it was reported.
    pub source_via: Option<String>,
    /// When it was published or said.
    pub source_date: String,
    /// Link to the publication.
    pub source_url: Option<String>,
    /// Remark.
    pub note: Option<String>,
    /// What the fact said before, oldest revision first.
    pub history: Vec<RevisionRecord>,
    /// The same texts in each other language of the site, by language tag (absent for a site of
    /// one language): both editions cite these records.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, TextRecord>,
}

/// The texts of a fact in one language; the numbers and dates are the record's own.
#[derive(Debug, Clone, Serialize)]
pub struct TextRecord {
    pub company_name: String,
    pub metric_label: String,
    pub text: String,
    pub period: String,
    pub source: String,
    pub source_via: Option<String>,
    pub note: Option<String>,
    /// Each revision's printed previous value and note, oldest first.
    pub history: Vec<RevisionText>,
}

/// The texts of one revision in one language.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionText {
    pub text: String,
    pub note: String,
}

/// One revision of a fact: the value (and source) it replaced.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionRecord {
    /// When it was revised (YYYY-MM-DD).
    pub date: String,
    /// correction (the published figure was wrong) or update (newer information).
    pub kind: &'static str,
    /// The previous value's qualifier, value, bounds and printed text, as for the fact.
    pub qualifier: &'static str,
    pub value: Option<u64>,
    pub low: Option<u64>,
    pub high: Option<u64>,
    pub text: String,
    /// The previous source, when it changed with the value.
    pub source: Option<String>,
    pub source_date: Option<String>,
    /// What changed and why.
    pub note: String,
}

/// Every fact of the site, company by company, in file order.
pub fn records(site: &Site) -> Vec<FactRecord> {
    site.companies
        .iter()
        .flat_map(|c| c.facts.iter().map(move |f| (c, f)))
        .map(|(c, f)| {
            let (low, high) = f.amount.range().unzip();
            FactRecord {
                company: c.slug.clone(),
                company_name: c.name.zh.clone(),
                id: f.id.clone(),
                metric: f.metric.clone(),
                metric_label: site
                    .strings
                    .metric(&f.metric)
                    .unwrap_or(&f.metric)
                    .to_string(),
                qualifier: f.amount.qualifier(),
                value: f.amount.value(),
                low,
                high,
                unit: f.unit.key(),
                text: format_amount(f.amount, f.unit, &site.strings),
                period: f.period.clone(),
                as_of: f.as_of.to_string(),
                source: f.source.who.clone(),
                source_via: f.source.via.clone(),
                source_date: f.source.date.to_string(),
                source_url: f.source.url.clone(),
                note: f.note.clone(),
                history: f
                    .history
                    .iter()
                    .map(|r| {
                        let (low, high) = r.previous.range().unzip();
                        RevisionRecord {
                            date: r.date.to_string(),
                            kind: r.kind.key(),
                            qualifier: r.previous.qualifier(),
                            value: r.previous.value(),
                            low,
                            high,
                            text: format_amount(r.previous, f.unit, &site.strings),
                            source: r.previous_source.as_ref().map(|s| s.who.clone()),
                            source_date: r.previous_source.as_ref().map(|s| s.date.to_string()),
                            note: r.note.clone(),
                        }
                    })
                    .collect(),
                translations: site
                    .translations
                    .iter()
                    .filter_map(|t| Some((t.config.language.clone(), texts(t, &c.slug, &f.id)?)))
                    .collect(),
            }
        })
        .collect()
}

/// The texts of fact `id` of company `slug` in the edition `site`.
fn texts(site: &Site, slug: &str, id: &str) -> Option<TextRecord> {
    let (c, f) = site.fact(&format!("{slug}/{id}"))?;
    Some(TextRecord {
        company_name: c.name.zh.clone(),
        metric_label: site
            .strings
            .metric(&f.metric)
            .unwrap_or(&f.metric)
            .to_string(),
        text: format_amount(f.amount, f.unit, &site.strings),
        period: f.period.clone(),
        source: f.source.who.clone(),
        source_via: f.source.via.clone(),
        note: f.note.clone(),
        history: f
            .history
            .iter()
            .map(|r| RevisionText {
                text: format_amount(r.previous, f.unit, &site.strings),
                note: r.note.clone(),
            })
            .collect(),
    })
}

/// `facts.json`: a pretty-printed array of records, ending with a newline.
pub fn json(records: &[FactRecord]) -> String {
    let mut out = serde_json::to_string_pretty(records).unwrap_or_else(|_| "[]".into());
    out.push('\n');
    out
}

/// `facts.csv`: RFC 4180 after a byte-order mark ([`csv_start`]), a header line, one record per
/// fact.
pub fn csv(records: &[FactRecord]) -> String {
    let mut out = csv_start(
        "company,company_name,id,metric,metric_label,qualifier,value,low,high,unit,text,period,as_of,source,source_via,source_date,source_url,note",
    );
    for r in records {
        let fields = [
            r.company.clone(),
            r.company_name.clone(),
            r.id.clone(),
            r.metric.clone(),
            r.metric_label.clone(),
            r.qualifier.to_string(),
            cell(r.value),
            cell(r.low),
            cell(r.high),
            r.unit.to_string(),
            r.text.clone(),
            r.period.clone(),
            r.as_of.clone(),
            r.source.clone(),
            r.source_via.clone().unwrap_or_default(),
            r.source_date.clone(),
            r.source_url.clone().unwrap_or_default(),
            r.note.clone().unwrap_or_default(),
        ];
        push_csv_record(&mut out, &fields);
    }
    out
}

/// `revisions.csv`: RFC 4180, a header line, one record per revision of a fact, in the order
/// of `facts.csv` and then oldest first. The `previous_` columns hold what the fact said before.
pub fn revisions_csv(records: &[FactRecord]) -> String {
    let mut out = csv_start(
        "company,id,date,kind,previous_qualifier,previous_value,previous_low,previous_high,previous_text,previous_source,previous_source_date,note",
    );
    for (f, r) in records
        .iter()
        .flat_map(|f| f.history.iter().map(move |r| (f, r)))
    {
        let fields = [
            f.company.clone(),
            f.id.clone(),
            r.date.clone(),
            r.kind.to_string(),
            r.qualifier.to_string(),
            cell(r.value),
            cell(r.low),
            cell(r.high),
            r.text.clone(),
            r.source.clone().unwrap_or_default(),
            r.source_date.clone().unwrap_or_default(),
            r.note.clone(),
        ];
        push_csv_record(&mut out, &fields);
    }
    out
}

/// A number's CSV cell: empty when there is none.
fn cell(v: Option<u64>) -> String {
    v.map_or(String::new(), |v| v.to_string())
}

/// The start of every CSV the site publishes: a UTF-8 byte-order mark, which makes Excel on
/// Windows read the file as UTF-8 rather than the system's code page (Chinese text would be
/// garbled), then the `header` line. Data tools, Frictionless among them, skip the mark.
pub fn csv_start(header: &str) -> String {
    format!("\u{feff}{header}\n")
}

/// Appends one CSV record, quoting fields that contain a comma, quote or line break.
///
/// A field that a spreadsheet would run as a formula (one that begins with `=`, `+`, `-`, `@`, a
/// tab or a carriage return, and is not a plain number) gets a leading `'`, as OWASP recommends
/// against CSV injection: the reader sees the text, nothing runs. `facts.json` is not touched.
pub fn push_csv_record(out: &mut String, fields: &[String]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let neutralised;
        let field = if is_formula(field) {
            neutralised = format!("'{field}");
            &neutralised
        } else {
            field
        };
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push('\n');
}

/// True when a spreadsheet would read `field` as a formula rather than as text or a number.
fn is_formula(field: &str) -> bool {
    field.starts_with(['=', '+', '-', '@', '\t', '\r']) && field.parse::<f64>().is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        let mut out = String::new();
        let fields = [
            "=HYPERLINK(\"http://x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "-5",
            "+1.5",
            "a=b",
        ];
        push_csv_record(&mut out, &fields.map(String::from));
        assert_eq!(
            out,
            "\"'=HYPERLINK(\"\"http://x\"\")\",'+1+1,'-2+3,'@SUM(A1),'\tx,-5,+1.5,a=b\n"
        );
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let mut out = String::new();
        push_csv_record(&mut out, &["a".into(), "b,c".into(), "say \"hi\"".into()]);
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\"\n");
    }
}
