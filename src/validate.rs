//! Cross-file checks: every reference between sections, charts, facts and settings resolves.
//!
//! Each file was already parsed on its own; this finds what only the whole site can show, and
//! reports all of it at once. Markdown bodies are also checked for markup they may not publish
//! (scripts, embeds, `javascript:` links), so `build`, `serve` and `check` all refuse it.

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;

use crate::date::Date;
use crate::diagnostic::{
    Cursor, Diagnostic, KeyLocator, list_items, locate_item, locate_key, shorten,
};
use crate::facts::FastMap;
use crate::markdown;
use crate::section::{self, Section};
use crate::site::Site;
use crate::sources::Sources;

/// Every cross-reference problem in `site`, sorted by file and position; `sources` are the
/// texts it was loaded from, to point at them.
pub fn validate(site: &Site, sources: &Sources) -> Vec<Diagnostic> {
    validate_with(site, sources, &|_| false).0
}

/// [`validate`], skipping the body checks of the sections `known_clean` says passed them before
/// (a rebuild after one edit need not read ten thousand sections again; see `serve`). Also
/// returns, for each section of `site`, whether its body checked clean (`None`: skipped).
pub fn validate_with(
    site: &Site,
    sources: &Sources,
    known_clean: &(dyn Fn(&Section) -> bool + Sync),
) -> (Vec<Diagnostic>, Vec<Option<bool>>) {
    let mut problems = Vec::new();
    check_metrics(site, sources, &mut problems);
    let clean = check_sections(site, sources, known_clean, &mut problems);
    check_charts(site, sources, &mut problems);
    check_settings(site, sources, &mut problems);
    check_source_urls(site, sources, &mut problems);
    check_placeholders(site, sources, &mut problems);
    check_revision_dates(site, sources, &mut problems);
    // Every edition is checked on its own: its sections, and the shared files in its words.
    for translation in &site.translations {
        problems.extend(validate(translation, sources));
    }
    problems.sort();
    problems.dedup();
    (problems, clean)
}

/// Positions of texts in one source, searched in file order: a search on the same line as the
/// one before starts where that one was found, and every position comes from one [`Cursor`], so
/// all the searches of a file cost time proportional to the file (a chart of a hundred thousand
/// rows was quadratic).
struct Finder<'a> {
    src: &'a str,
    /// Byte offset of each line's start.
    line_starts: Vec<usize>,
    cursor: Cursor<'a>,
    /// The line of the last search and the offset where it found its text.
    last: Option<(usize, usize)>,
}

impl<'a> Finder<'a> {
    fn new(src: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', src.as_bytes()).map(|i| i + 1))
            .collect();
        Finder {
            src,
            line_starts,
            cursor: Cursor::new(src),
            last: None,
        }
    }

    /// Position of the first `needle` from line `line` (1-based) on, or from the last text found
    /// by a search from the same line; (1, 1) if absent.
    fn find(&mut self, needle: &str, line: usize) -> (usize, usize) {
        let from = match self.last {
            Some((l, at)) if l == line => at,
            _ => self.line_starts[line.saturating_sub(1).min(self.line_starts.len() - 1)],
        };
        match self.src[from..].find(needle) {
            Some(i) => {
                self.last = Some((line, from + i));
                self.cursor.position(from + i)
            }
            None => (1, 1),
        }
    }
}

fn check_metrics(site: &Site, sources: &Sources, problems: &mut Vec<Diagnostic>) {
    for company in &site.companies {
        // Made only when needed: looking a path up among the sources compares paths component
        // by component, and indexing the keys reads the file.
        let mut locator = None;
        for fact in &company.facts {
            if site.strings.metric(&fact.metric).is_none() {
                let locator =
                    locator.get_or_insert_with(|| KeyLocator::new(sources.text(&company.path)));
                let (line, column) = locator.locate(&["facts", &fact.id, "metric"]);
                let known: Vec<&str> = site.strings.metrics.keys().map(String::as_str).collect();
                problems.push(Diagnostic::at(
                    &company.path,
                    line,
                    column,
                    format!(
                        "{}.metric: unknown metric \"{}\"; expected one of {} (or add it under metrics: in the strings file)",
                        fact.id,
                        shorten(&fact.metric),
                        some_of(&known)
                    ),
                ));
            }
        }
    }
}

/// Why `slug` names no company: there is no such file, or it is a draft that is not published.
fn no_company(site: &Site, slug: &str) -> String {
    match site.draft_companies.iter().find(|(s, _)| s == slug) {
        Some((_, path)) => format!(
            "{slug} is a draft (draft: true in {}), so published pages cannot show it; publish it (draft: false) or make this a draft too",
            path.display()
        ),
        None => format!(
            "there is no company file content/companies/{}.yaml",
            shorten(slug)
        ),
    }
}

fn check_fact_ref(
    site: &Site,
    path: &Path,
    pos: (usize, usize),
    target: &str,
    problems: &mut Vec<Diagnostic>,
) {
    if site.fact(target).is_some() {
        return;
    }
    if let Some(id) = crate::markdown::chart_ref(target) {
        if !site.charts.iter().any(|c| c.id == id) {
            let message = format!(
                "chart reference [[{target}]]: there is no chart file content/charts/{id}.yaml"
            );
            problems.push(Diagnostic::at(path, pos.0, pos.1, message));
        }
        return;
    }
    if let Some(message) = crate::computed::check(site, target) {
        if !message.is_empty() {
            problems.push(Diagnostic::at(path, pos.0, pos.1, message));
        }
        return;
    }
    let shown = shorten(target);
    let message = match target.split_once('/') {
        None => format!(
            "fact reference [[{shown}]]: expected <company>/<fact id>, such as openai/revenue_2023"
        ),
        Some((slug, id)) => match site.company(slug) {
            None => format!("fact reference [[{shown}]]: {}", no_company(site, slug)),
            Some(c) => {
                let ids: Vec<&str> = c.facts.iter().map(|f| f.id.as_str()).collect();
                format!(
                    "fact reference [[{shown}]]: {slug} has no fact \"{}\"; its facts are {}",
                    shorten(id),
                    some_of(&ids)
                )
            }
        },
    };
    problems.push(Diagnostic::at(path, pos.0, pos.1, message));
}

/// How many names a message lists before "…".
const LISTED: usize = 20;

/// `names` joined with commas; past [`LISTED`] names, the first of them, "…" and how many.
fn some_of(names: &[&str]) -> String {
    if names.len() <= LISTED {
        return names.join(", ");
    }
    format!("{}, … ({} in all)", names[..LISTED].join(", "), names.len())
}

/// The Markdown of a section or page: markup it may not publish ([`markdown::unsafe_markup`]),
/// facts written as images, and fact references that name no fact.
fn check_body(
    site: &Site,
    path: &Path,
    body: &str,
    body_line: usize,
    problems: &mut Vec<Diagnostic>,
) {
    problems.extend(section::unsafe_markup(path, body, body_line));
    check_references(site, path, body, body_line, problems);
}

/// The references of a body: facts written as images, fact references that name no fact, and
/// chart references not on a line of their own.
fn check_references(
    site: &Site,
    path: &Path,
    body: &str,
    body_line: usize,
    problems: &mut Vec<Diagnostic>,
) {
    if all_references_resolve(site, body) {
        return;
    }
    let mut cursor = Cursor::new(body);
    for r in markdown::fact_refs(body) {
        let (line, column) = cursor.position(r.offset);
        let pos = (line + body_line - 1, column);
        if crate::markdown::chart_ref(&r.target).is_some()
            && !crate::markdown::on_its_own_line(body, r.offset)
        {
            let message = format!(
                "chart reference [[{}]]: put it on a line of its own, between paragraphs, where the chart goes",
                shorten(&r.target)
            );
            problems.push(Diagnostic::at(path, pos.0, pos.1, message));
        }
        if r.image {
            problems.push(Diagnostic::at(
                path,
                pos.0,
                pos.1,
                format!(
                    "![[{0}]]: a fact cannot be shown as an image; remove the ! and write [[{0}]] to show the figure",
                    shorten(&r.target)
                ),
            ));
        }
        check_fact_ref(site, path, pos, &r.target, problems);
    }
}

/// True when every `[[…]]` in `body` names a fact that exists and none is written as an image
/// (`![[…]]`), so the Markdown parser cannot find a bad reference in it and need not run: every
/// reference is plain ([`section::plain_references`]) and names a fact. Any other body goes to
/// the parser, which reports exactly as before.
pub fn all_references_resolve(site: &Site, body: &str) -> bool {
    section::plain_references(body).is_some_and(|targets| resolve(site, &targets))
}

/// True when each of `targets` names a fact of `site`.
fn resolve<T: AsRef<str>>(site: &Site, targets: &[T]) -> bool {
    targets.iter().all(|t| site.fact(t.as_ref()).is_some())
}

/// Each section's order and slug (its own), and the companies and charts it lists (existing).
fn check_section_settings(site: &Site, sources: &Sources, problems: &mut Vec<Diagnostic>) {
    let n = site.sections.len();
    let mut orders: FastMap<u32, &Path> = FastMap::with_capacity_and_hasher(n, Default::default());
    let mut slugs: FastMap<&str, &Path> = FastMap::with_capacity_and_hasher(n, Default::default());
    let charts: HashSet<&str> = site.charts.iter().map(|c| c.id.as_str()).collect();
    for s in &site.sections {
        // Sources are only searched for positions when there is something to report.
        let src = || sources.text(&s.path);
        if let Some(first) = orders.get(&s.meta.order) {
            let (line, column) = locate_key(src(), &["order"]);
            problems.push(Diagnostic::at(
                &s.path,
                line,
                column,
                format!(
                    "order: {} is already used by {}; each section needs its own order",
                    s.meta.order,
                    first.display()
                ),
            ));
        }
        orders.insert(s.meta.order, &s.path);
        if let Some(first) = slugs.get(s.slug.as_str()) {
            problems.push(Diagnostic::file(
                &s.path,
                format!("this section would be published at sections/{}/, like {}; rename one of the files", s.slug, first.display()),
            ));
        }
        slugs.insert(&s.slug, &s.path);
        // Made only when a list names something missing.
        let mut places: Option<(KeyLocator, Finder)> = None;
        let mut in_list = |key: &str, item: &str| {
            let (keys, finder) =
                places.get_or_insert_with(|| (KeyLocator::new(src()), Finder::new(src())));
            let (line, _) = keys.locate(&[key]);
            finder.find(item, line)
        };
        for slug in &s.meta.companies {
            if site.company(slug).is_none() {
                let (line, column) = in_list("companies", slug);
                problems.push(Diagnostic::at(
                    &s.path,
                    line,
                    column,
                    format!("companies: {}", no_company(site, slug)),
                ));
            }
        }
        for id in &s.meta.charts {
            if !charts.contains(id.as_str()) {
                let (line, column) = in_list("charts", id);
                problems.push(Diagnostic::at(
                    &s.path,
                    line,
                    column,
                    format!(
                        "charts: there is no chart file content/charts/{}.yaml",
                        shorten(id)
                    ),
                ));
            }
        }
    }
}

/// The sections' settings and bodies; returns for each section whether its body checked clean
/// (`None`: skipped, as `known_clean` said it is).
fn check_sections(
    site: &Site,
    sources: &Sources,
    known_clean: &(dyn Fn(&Section) -> bool + Sync),
    problems: &mut Vec<Diagnostic>,
) -> Vec<Option<bool>> {
    check_section_settings(site, sources, problems);
    // The bodies, the bulk of the work, on every core; the problems are sorted afterwards.
    let found: Vec<Option<Vec<Diagnostic>>> = site
        .sections
        .par_iter()
        .map(|s| {
            if known_clean(s) {
                return None;
            }
            let mut found = Vec::new();
            match s.released.as_deref() {
                None => {
                    check_body(site, &s.path, &s.body, s.body_line, &mut found);
                    found.extend(placeholder_text(
                        s,
                        section::starting_text(&s.body, s.body_line),
                    ));
                }
                // A body left in its file (a build): what was found while it was parsed, and the
                // body read again only when its references do not plainly resolve.
                Some(released) => {
                    found.extend(released.unsafe_markup.iter().cloned());
                    let plain = released.plain_references.as_deref();
                    if !plain.is_some_and(|targets| resolve(site, targets)) {
                        match crate::load::section_body(s) {
                            Ok(body) => {
                                check_references(site, &s.path, &body, s.body_line, &mut found)
                            }
                            Err(problem) => found.push(problem),
                        }
                    }
                    found.extend(placeholder_text(s, released.starting_text));
                }
            }
            Some(found)
        })
        .collect();
    let clean = found
        .into_iter()
        .map(|found| {
            let found = found?;
            let clean = found.is_empty();
            problems.extend(found);
            Some(clean)
        })
        .collect();
    for p in &site.pages {
        check_body(site, &p.path, &p.body, p.body_line, problems);
    }
    clean
}

fn check_charts(site: &Site, sources: &Sources, problems: &mut Vec<Diagnostic>) {
    for chart in &site.charts {
        let src = sources.text(&chart.path);
        let def = &chart.def;
        if def.rows.is_empty() || def.series.is_empty() {
            let (line, column) = locate_key(src, &["rows"]);
            problems.push(Diagnostic::at(
                &chart.path,
                line,
                column,
                "a chart needs at least one series and one row",
            ));
        }
        let mut units = Vec::new();
        let row_lines = list_items(src, locate_key(src, &["rows"]).0);
        let mut finder = Finder::new(src);
        for (i, row) in def.rows.iter().enumerate() {
            let row_line = row_lines.get(i).copied().unwrap_or(1);
            if row.facts.len() != def.facts_per_row() {
                let (line, column) = finder.find("facts", row_line);
                problems.push(Diagnostic::at(
                    &chart.path,
                    line,
                    column,
                    format!(
                        "rows \"{}\": facts: expected {} references, {} ({}), found {}; write ~ where a series has no value",
                        shorten(&row.label),
                        def.facts_per_row(),
                        if def.facts_per_row() == def.series.len() { "one per series" } else { "a numerator and a denominator per series" },
                        def.series.join(", "),
                        row.facts.len()
                    ),
                ));
            }
            for target in row.facts.iter().flatten() {
                let pos = finder.find(target, row_line);
                check_fact_ref(site, &chart.path, pos, target, problems);
                if let Some((_, fact)) = site.fact(target) {
                    units.push((target, fact.unit, pos));
                }
            }
        }
        if let Some((first_ref, first_unit, _)) = units.first() {
            for (target, unit, pos) in &units[1..] {
                if unit != first_unit {
                    problems.push(Diagnostic::at(
                        &chart.path,
                        pos.0,
                        pos.1,
                        format!(
                            "{target} is in {} but {first_ref} is in {}; one chart compares figures of one unit",
                            unit.key(),
                            first_unit.key()
                        ),
                    ));
                }
            }
        }
    }
}

/// What is said of a published file that still holds the starting text of `new`.
const STARTING_TEXT: &str = "still the starting text of `burnrate new`; write your own, or keep the file a draft (draft: true)";

/// Companies and sections published while they still hold the starting text of `new`.
fn check_placeholders(site: &Site, sources: &Sources, problems: &mut Vec<Diagnostic>) {
    use crate::scaffold::placeholder;
    for c in site.companies.iter().filter(|c| !c.draft) {
        let unnamed = c.name.zh == c.slug && c.name.original == c.slug;
        let undescribed = c.description == placeholder::COMPANY_DESCRIPTION;
        if unnamed || undescribed {
            let key: &[&str] = if unnamed { &["name"] } else { &["description"] };
            let (line, column) = locate_key(sources.text(&c.path), key);
            let what = if unnamed { "name" } else { "description" };
            problems.push(Diagnostic::at(
                &c.path,
                line,
                column,
                format!("{what}: {STARTING_TEXT}"),
            ));
        }
    }
    for s in site.sections.iter().filter(|s| !s.meta.draft) {
        // Read again only if there is a problem to place: a build keeps no section's text.
        let src = || sources.text(&s.path);
        let fields = [
            ("title", s.meta.title == placeholder::SECTION_TITLE),
            ("summary", s.meta.summary == placeholder::SECTION_SUMMARY),
        ];
        for (key, left) in fields {
            if left {
                let (line, column) = locate_key(src(), &[key]);
                problems.push(Diagnostic::at(
                    &s.path,
                    line,
                    column,
                    format!("{key}: {STARTING_TEXT}"),
                ));
            }
        }
    }
}

/// The starting text of `new` left in the body of a published section `s`, found `at` (line,
/// column: [`section::starting_text`]). Run with the section's other body checks, which a
/// rebuild skips for texts it has already checked.
fn placeholder_text(s: &Section, at: Option<(usize, usize)>) -> Option<Diagnostic> {
    let (line, column) = at.filter(|_| !s.meta.draft)?;
    Some(Diagnostic::at(
        &s.path,
        line,
        column,
        format!("the text is {STARTING_TEXT}"),
    ))
}

/// Every source address must be one a reader's browser can safely follow (see
/// [`crate::config::check_url`]): a `javascript:` address would run script on the company and
/// data pages.
fn check_source_urls(site: &Site, sources: &Sources, problems: &mut Vec<Diagnostic>) {
    for company in &site.companies {
        for fact in &company.facts {
            let Some(url) = &fact.source.url else {
                continue;
            };
            if let Err(why) = crate::config::check_url(url) {
                let src = sources.text(&company.path);
                let (line, column) = locate_key(src, &["facts", &fact.id, "source", "url"]);
                problems.push(Diagnostic::at(
                    &company.path,
                    line,
                    column,
                    format!("{}.source.url: {why}", fact.id),
                ));
            }
        }
    }
}

fn check_settings(site: &Site, sources: &Sources, problems: &mut Vec<Diagnostic>) {
    let path = site.config.path.as_path();
    if !sources.contains(path) {
        return;
    }
    let src = sources.text(path);
    let id = &site.config.headline_chart;
    if !site.charts.iter().any(|c| &c.id == id) {
        let (line, column) = locate_key(src, &["headline_chart"]);
        problems.push(Diagnostic::at(
            path,
            line,
            column,
            format!("headline_chart: there is no chart file content/charts/{id}.yaml"),
        ));
    }
    // The key numbers are listed in order: each is searched after the one before.
    let mut finder = Finder::new(src);
    for target in &site.config.key_numbers {
        let pos = finder.find(target, 1);
        check_fact_ref(site, path, pos, target, problems);
    }
    let companies_line = locate_key(src, &["companies"]).0;
    let mut finder = Finder::new(src);
    for slug in &site.config.companies {
        // A draft may keep its place in the order; it is listed once published.
        let draft = site.draft_companies.iter().any(|(s, _)| s == slug);
        if site.company(slug).is_none() && !draft {
            let (line, column) = finder.find(slug, companies_line);
            problems.push(Diagnostic::at(
                path,
                line,
                column,
                format!("companies: {}", no_company(site, slug)),
            ));
        }
    }
}

/// Dates after the site's `updated` and dates out of order, in a fact's history or a file's
/// notes, each at its `date:`.
fn check_revision_dates(site: &Site, sources: &Sources, problems: &mut Vec<Diagnostic>) {
    let updated = site.config.updated;
    for c in &site.companies {
        for f in &c.facts {
            let dates: Vec<Date> = f.history.iter().map(|r| r.date).collect();
            let keys = ["facts", f.id.as_str(), "history"];
            check_dates(sources, &c.path, &keys, &dates, updated, problems);
        }
    }
    let sections = site.sections.iter().map(|s| (&s.path, &s.meta.notes));
    let pages = site.pages.iter().map(|p| (&p.path, &p.meta.notes));
    for (path, notes) in sections.chain(pages) {
        let dates: Vec<Date> = notes.iter().map(|n| n.date).collect();
        check_dates(sources, path, &["notes"], &dates, updated, problems);
    }
}

fn check_dates(
    sources: &Sources,
    path: &Path,
    keys: &[&str],
    dates: &[Date],
    updated: Date,
    problems: &mut Vec<Diagnostic>,
) {
    let src = || sources.text(path);
    // `revenue.history`, as serde names the field; `notes`.
    let what = keys[keys.len().saturating_sub(2)..]
        .join(".")
        .trim_start_matches("facts.")
        .to_string();
    for (i, &date) in dates.iter().enumerate() {
        let message = if date > updated {
            format!(
                "{what}: the revision date {date} is after the site's updated date ({updated}); \
                 write the day of the revision and set updated: in content/site.yaml to it or later"
            )
        } else if i > 0 && date < dates[i - 1] {
            format!(
                "{what}: the revision dated {date} comes after one dated {}; list revisions \
                 oldest first",
                dates[i - 1]
            )
        } else {
            continue;
        };
        let (line, column) = locate_item(src(), keys, i, "date");
        problems.push(Diagnostic::at(path, line, column, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::line_col;

    /// The references the parser finds, checked one by one, as before the shortcut.
    fn parsed(site: &Site, body: &str) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for r in markdown::fact_refs(body) {
            let (line, column) = line_col(body, r.offset);
            check_fact_ref(
                site,
                Path::new("a.md"),
                (line, column),
                &r.target,
                &mut problems,
            );
        }
        problems
    }

    #[test]
    fn the_shortcut_never_hides_a_bad_reference() {
        let tmp = crate::testing::minimal_site();
        let site = crate::load::load(tmp.path()).expect("fixture loads").site;
        let bodies = [
            "营收[[alpha/revenue]]。",
            "营收[[alpha/nothing]]。",
            "[[ alpha/revenue ]] and [[nobody/revenue]]",
            "`[[alpha/nothing]]` in code",
            "```\n[[alpha/nothing]]\n```\n",
            "[[alpha/revenue|营收]] [[alpha/nothing|x]]",
            "\\[[alpha/nothing]]",
            "[[[alpha/nothing]]]",
            "[[alpha/revenue]]]] [[alpha/nothing",
            "[[alpha/nothing\n]]",
            "[[alpha\\/revenue]]",
            "[[alpha/revenue]",
            "[[]] [[/]] [[alpha/]]",
            "[x [[alpha/revenue]] y](https://e.com) [[alpha/nothing]]",
            "| a |\n|---|\n| [[alpha/nothing]] |\n",
            "注[^1]\n\n[^1]: [[alpha/nothing]]\n",
            "[[alpha/revenue]][[alpha/nothing]]",
            "[[alpha&#47;revenue]]",
            "<span>[[alpha/nothing]]</span>",
        ];
        for body in bodies {
            let mut fast = Vec::new();
            check_body(&site, Path::new("a.md"), body, 1, &mut fast);
            assert_eq!(fast, parsed(&site, body), "{body:?}");
            if all_references_resolve(&site, body) {
                assert!(parsed(&site, body).is_empty(), "{body:?}");
            }
        }
        assert!(all_references_resolve(
            &site,
            "营收[[alpha/revenue]]，[[market/startups]]。"
        ));
        assert!(all_references_resolve(&site, "no references at all"));
        // A fact written as an image always goes to the parser, which reports it.
        assert!(!all_references_resolve(&site, "营收![[alpha/revenue]]。"));
        let mut found = Vec::new();
        check_body(
            &site,
            Path::new("a.md"),
            "营收\n![[alpha/revenue]]",
            3,
            &mut found,
        );
        assert_eq!(
            found,
            [Diagnostic::at(
                Path::new("a.md"),
                4,
                1,
                "![[alpha/revenue]]: a fact cannot be shown as an image; remove the ! and write [[alpha/revenue]] to show the figure"
            )]
        );
    }
}
