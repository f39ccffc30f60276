//! What `serve` keeps between rebuilds: the loaded site and its sources, the memos (see
//! [`super::memo`] and [`render::Cache`]), and the previous outputs, so that a save makes again
//! only what it affects. A plain build never uses any of it (see `build.rs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::memo::{Checked, Revisions};
use crate::build::Error;
use crate::diagnostic::Diagnostic;
use crate::render::Files;
use crate::{load, render};

/// What a [`Session`] rebuild produced.
#[derive(Debug, Clone)]
pub struct Rebuilt {
    /// Every output file, by path.
    pub files: Arc<Files>,
    /// HTML pages.
    pub pages: usize,
    /// Charts drawn.
    pub charts: usize,
    /// Facts published.
    pub facts: usize,
    /// Outputs added, changed or removed since the previous successful rebuild (every output
    /// after the first), sorted.
    pub changed: Vec<String>,
    /// Outputs made by this rebuild rather than kept from an earlier one.
    pub made: usize,
}

/// A site kept in memory between builds, for `serve`: each rebuild reads again only the files
/// that changed and makes again only the outputs whose inputs changed, and produces exactly what
/// [`crate::build::render_site`] would with drafts shown.
///
/// ```no_run
/// # use std::path::{Path, PathBuf};
/// let mut session = burnrate::serve::Session::new(Path::new("."), None);
/// let first = session.rebuild(&[]).unwrap(); // Loads and renders everything.
/// // … an editor saves content/sections/02-openai.md …
/// let next = session
///     .rebuild(&[PathBuf::from("content/sections/02-openai.md")])
///     .unwrap();
/// assert!(next.made < first.made);
/// ```
///
/// How: the loaded [`crate::site::Site`] is kept and each changed file is parsed again in place
/// ([`load::Loaded::reload_file`]); a file added or removed, `site.yaml` or the strings, or a path
/// it cannot place, loads the whole site again. Validation always runs on the whole site (it is
/// fast). Rendering reuses what a [`render::Cache`] kept, by comparing inputs, not by trusting
/// the list of changed files.
pub struct Session {
    root: PathBuf,
    base_url: Option<String>,
    loaded: Option<load::Loaded>,
    /// Files whose latest text does not parse, with their problems.
    broken: BTreeMap<PathBuf, Vec<Diagnostic>>,
    revisions: Revisions,
    cache: render::Cache,
    checked: Checked,
    last: Option<Arc<Files>>,
}

impl Session {
    /// A session for the site under `root`, published under `base_url` if given (instead of
    /// `base_url` in `content/site.yaml`). Nothing is read until the first rebuild.
    pub fn new(root: &Path, base_url: Option<&str>) -> Self {
        Session {
            root: root.to_path_buf(),
            base_url: base_url.map(str::to_string),
            loaded: None,
            broken: BTreeMap::new(),
            revisions: Revisions::default(),
            cache: render::Cache::new(),
            checked: Checked::default(),
            last: None,
        }
    }

    /// Publishes under `base_url` from the next rebuild on (`None`: as `site.yaml` says).
    pub fn set_base_url(&mut self, base_url: Option<&str>) {
        if self.base_url.as_deref() != base_url {
            self.base_url = base_url.map(str::to_string);
            // The configured URL must be read again to drop an override.
            self.loaded = None;
        }
    }

    /// Builds the site again after the files `changed` (relative to the root) were saved,
    /// added or removed. The first call, or one after a failed whole load, reads everything.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt, Error> {
        let mut whole = self.loaded.is_none();
        if let Some(loaded) = self.loaded.as_mut() {
            for rel in changed {
                match loaded.reload_file(&self.root, rel) {
                    load::Reloaded::Ignored | load::Reloaded::Unchanged => {}
                    load::Reloaded::Changed(problems) => {
                        let shown = load::display_path(&self.root, rel);
                        self.revisions.changed(&shown);
                        if problems.is_empty() {
                            self.broken.remove(&shown);
                        } else {
                            self.broken.insert(shown, problems);
                        }
                    }
                    load::Reloaded::NeedsLoad => whole = true,
                }
                if whole {
                    break;
                }
            }
        }
        if whole {
            self.broken.clear();
            match load::load(&self.root) {
                Ok(loaded) => {
                    let before = self.loaded.as_ref().map(|l| &l.sources);
                    self.revisions.renew(&loaded.sources, before);
                    self.loaded = Some(loaded);
                }
                Err(problems) => {
                    self.loaded = None;
                    return Err(Error::Invalid(problems));
                }
            }
        }
        if !self.broken.is_empty() {
            let mut problems: Vec<Diagnostic> = self.broken.values().flatten().cloned().collect();
            problems.sort();
            return Err(Error::Invalid(problems));
        }
        let loaded = self.loaded.as_mut().expect("loaded above");
        let site = &mut loaded.site;
        if let Some(url) = &self.base_url {
            site.config.set_base_url(url);
        }
        // A preview shows drafts, each with a banner.
        site.config.show_drafts = true;
        let problems = self
            .checked
            .validate(site, &loaded.sources, &self.revisions);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let revisions = &self.revisions;
        let revision = |path: &Path| revisions.get(path);
        let (files, counts) = render::render_cached(site, &self.root, &mut self.cache, &revision)
            .map_err(Error::Invalid)?;
        let changed = match &self.last {
            Some(last) => changed_outputs(last, &files),
            None => files.keys().cloned().collect(),
        };
        let files = Arc::new(files);
        self.last = Some(Arc::clone(&files));
        Ok(Rebuilt {
            files,
            pages: counts.pages,
            charts: counts.charts,
            facts: counts.facts,
            changed,
            made: self.cache.made(),
        })
    }
}

/// The paths whose contents differ between `old` and `new`, or that only one has, sorted: one
/// pass over both (sorted) maps, the contents compared only where they are not shared.
fn changed_outputs(old: &Files, new: &Files) -> Vec<String> {
    let mut changed = Vec::new();
    let mut old = old.iter().peekable();
    let mut new = new.iter().peekable();
    loop {
        match (old.peek(), new.peek()) {
            (None, None) => break,
            (Some((path, _)), None) => {
                changed.push((*path).clone());
                old.next();
            }
            (None, Some((path, _))) => {
                changed.push((*path).clone());
                new.next();
            }
            (Some((a, a_bytes)), Some((b, b_bytes))) => match a.cmp(b) {
                std::cmp::Ordering::Less => {
                    changed.push((*a).clone());
                    old.next();
                }
                std::cmp::Ordering::Greater => {
                    changed.push((*b).clone());
                    new.next();
                }
                std::cmp::Ordering::Equal => {
                    if !Arc::ptr_eq(a_bytes, b_bytes) && a_bytes[..] != b_bytes[..] {
                        changed.push((*a).clone());
                    }
                    old.next();
                    new.next();
                }
            },
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::render_site;
    use crate::testing::minimal_site;
    use std::fs;

    const URL: &str = "http://127.0.0.1:1111/mini/";

    fn edit(root: &Path, rel: &str, change: impl FnOnce(String) -> String) -> PathBuf {
        let path = root.join(rel);
        let text = fs::read_to_string(&path).unwrap_or_default();
        fs::write(&path, change(text)).unwrap();
        PathBuf::from(rel)
    }

    /// What a fresh `render_site` makes, by path (the later of equal paths, as served), but the
    /// social cards, which the preview does not draw.
    fn fresh(root: &Path) -> Result<Files, Vec<String>> {
        match render_site(root, Some(URL), true) {
            Ok(built) => Ok(built
                .outputs
                .into_iter()
                .filter(|o| !crate::render::is_card(&o.path))
                .map(|o| (o.path, Arc::from(o.bytes)))
                .collect()),
            Err(e) => Err(lines(e)),
        }
    }

    fn lines(e: Error) -> Vec<String> {
        e.to_string().lines().map(str::to_string).collect()
    }

    /// Rebuilds after `changed` and checks the result is byte for byte a fresh render.
    fn rebuild_matches(session: &mut Session, root: &Path, changed: &[PathBuf]) -> Rebuilt {
        let kept = session.rebuild(changed).map_err(lines);
        let expected = fresh(root);
        match (kept, expected) {
            (Ok(kept), Ok(expected)) => {
                let paths = |f: &Files| f.keys().cloned().collect::<Vec<_>>();
                assert_eq!(paths(&kept.files), paths(&expected), "{changed:?}");
                for (path, bytes) in expected.iter() {
                    assert!(
                        kept.files[path] == *bytes,
                        "{path} differs from a fresh render after {changed:?}:\n{}",
                        String::from_utf8_lossy(&kept.files[path])
                    );
                }
                kept
            }
            (Err(kept), Err(expected)) => {
                assert_eq!(kept, expected, "{changed:?}");
                panic!("expected a failed rebuild to be checked with rebuild_fails");
            }
            (kept, expected) => panic!("after {changed:?}: session {kept:?}, fresh {expected:?}"),
        }
    }

    fn rebuild_fails(session: &mut Session, root: &Path, changed: &[PathBuf]) -> Vec<String> {
        let kept = session.rebuild(changed).map(|_| ()).map_err(lines);
        let expected = fresh(root).map(|_| ());
        assert_eq!(kept, expected, "{changed:?}");
        kept.unwrap_err()
    }

    fn page(r: &Rebuilt, path: &str) -> String {
        String::from_utf8_lossy(&r.files[path]).into_owned()
    }

    /// The pages with the site's navigation: every HTML page but the charts' embed pages.
    fn html_pages(r: &Rebuilt) -> Vec<&String> {
        let with_nav = |p: &&String| p.ends_with(".html") && !p.starts_with("embed/");
        r.files.keys().filter(with_nav).collect()
    }

    /// One step per kind of edit, each compared with a fresh build: a table of steps, hence its
    /// length.
    #[test]
    fn every_kind_of_edit_rebuilds_exactly_what_a_fresh_build_makes() {
        let tmp = minimal_site();
        let root = tmp.path();
        let mut session = Session::new(root, Some(URL));
        let first = rebuild_matches(&mut session, root, &[]);
        // Everything but `.nojekyll`, which is empty.
        assert_eq!(
            first.made,
            first.files.len() - 1,
            "the first build makes everything"
        );

        let section = "content/sections/01-intro.md";
        let alpha = "content/companies/alpha.yaml";
        type Step = Box<dyn Fn(&Path) -> Vec<PathBuf>>;
        let steps: Vec<(&str, Step)> = vec![
            ("nothing", Box::new(|_| vec![])),
            (
                "body",
                Box::new(|r| vec![edit(r, section, |t| t + "\n新的一段。\n")]),
            ),
            (
                "title",
                Box::new(|r| {
                    vec![edit(r, section, |t| {
                        t.replace("title: 开篇", "title: 新开篇")
                    })]
                }),
            ),
            (
                "summary",
                Box::new(|r| {
                    vec![edit(r, section, |t| {
                        t.replace("summary: ", "summary: 改写：")
                    })]
                }),
            ),
            (
                "order",
                Box::new(|r| vec![edit(r, section, |t| t.replace("order: 1", "order: 9"))]),
            ),
            (
                "draft",
                Box::new(|r| {
                    vec![edit(r, "content/sections/02-draft.md", |t| {
                        t.replace("draft: true", "draft: false")
                    })]
                }),
            ),
            (
                "fact value",
                Box::new(|r| {
                    vec![edit(r, alpha, |t| {
                        t.replace("value: 1600000000", "value: 1700000000")
                    })]
                }),
            ),
            (
                "fact source",
                Box::new(|r| {
                    vec![edit(r, alpha, |t| {
                        t.replacen("who: 知情人士", "who: 另一位知情人士", 1)
                    })]
                }),
            ),
            (
                "company name",
                Box::new(|r| {
                    vec![edit(r, alpha, |t| {
                        t.replace("zh: 阿尔法", "zh: 阿尔法公司")
                    })]
                }),
            ),
            (
                "page title",
                Box::new(|r| {
                    vec![edit(r, "content/pages/method.md", |t| {
                        t.replacen("title: ", "title: 新", 1)
                    })]
                }),
            ),
            (
                "chart",
                Box::new(|r| {
                    vec![edit(r, "content/charts/money.yaml", |t| {
                        t.replace("title: ", "title: 新")
                    })]
                }),
            ),
            (
                "template",
                Box::new(|r| {
                    vec![edit(r, "templates/base.html", |t| {
                        t.replace("<main", "<!-- edited -->\n<main")
                    })]
                }),
            ),
            (
                "partial",
                Box::new(|r| vec![edit(r, "templates/partials/figure.html", |t| t + "\n")]),
            ),
            (
                "static",
                Box::new(|r| vec![edit(r, "static/style.css", |t| t + "\n/* edited */\n")]),
            ),
            (
                "strings",
                Box::new(|r| {
                    vec![edit(r, "templates/strings/zh-CN.yaml", |t| {
                        t.replace("home: 首页", "home: 主页")
                    })]
                }),
            ),
            (
                "site.yaml",
                Box::new(|r| {
                    vec![edit(r, "content/site.yaml", |t| {
                        t.replace("title: 测试站点", "title: 测试站")
                    })]
                }),
            ),
            (
                "new section",
                Box::new(|r| {
                    vec![edit(r, "content/sections/04-new.md", |_| {
                        "---\ntitle: 新章\nsummary: 新的一章。\norder: 4\ndate: 2024-05-08\ncompanies: [alpha]\n---\n营收[[alpha/revenue]]。\n".into()
                    })]
                }),
            ),
            (
                "removed section",
                Box::new(|r| {
                    fs::remove_file(r.join("content/sections/04-new.md")).unwrap();
                    vec![PathBuf::from("content/sections/04-new.md")]
                }),
            ),
            (
                "ignored file",
                Box::new(|r| vec![edit(r, "content/sections/.01-intro.md.swp", |_| "x".into())]),
            ),
            (
                "two files",
                Box::new(|r| {
                    vec![
                        edit(r, section, |t| t + "\n又一段。\n"),
                        edit(r, alpha, |t| {
                            t.replace("value: 1700000000", "value: 1800000000")
                        }),
                    ]
                }),
            ),
        ];
        for (what, step) in steps {
            let changed = step(root);
            let r = rebuild_matches(&mut session, root, &changed);
            if what == "nothing" || what == "ignored file" {
                assert_eq!(r.made, 0, "{what}: nothing to make");
                assert!(r.changed.is_empty(), "{what}: {:?}", r.changed);
            } else {
                assert!(!r.changed.is_empty(), "{what} changed nothing");
            }
        }
    }

    #[test]
    fn a_body_edit_makes_only_its_own_page() {
        let tmp = minimal_site();
        let root = tmp.path();
        let mut session = Session::new(root, Some(URL));
        rebuild_matches(&mut session, root, &[]);
        let changed = [edit(root, "content/sections/01-intro.md", |t| {
            t + "\n新的一段。\n"
        })];
        let r = rebuild_matches(&mut session, root, &changed);
        assert_eq!(r.changed, ["sections/intro/index.html"]);
        assert_eq!(r.made, 1, "only the section's page is rendered again");
    }

    #[test]
    fn a_section_title_edit_updates_every_pages_nav() {
        let tmp = minimal_site();
        let root = tmp.path();
        // A navigation that lists every section on every page.
        edit(root, "templates/base.html", |t| {
            t.replace(
                "{% for p in pages %}",
                "{% for s in sections %}<li><a href=\"{{ s.url }}\">{{ s.title }}</a></li>{% endfor %}{% for p in pages %}",
            )
        });
        let mut session = Session::new(root, Some(URL));
        let before = rebuild_matches(&mut session, root, &[]);
        let changed = [edit(root, "content/sections/03-market.md", |t| {
            t.replace("title: 市场", "title: 整个市场")
        })];
        let after = rebuild_matches(&mut session, root, &changed);
        for path in html_pages(&after) {
            let nav = page(&after, path);
            let nav = &nav[nav.find("<nav").unwrap()..nav.find("</nav>").unwrap()];
            assert!(nav.contains(">整个市场</a>"), "{path}: {nav}");
            assert!(after.changed.contains(path), "{path} was not rebuilt");
        }
        assert!(page(&before, "index.html").contains(">市场</a>"));
    }

    #[test]
    fn a_page_title_edit_updates_every_pages_nav() {
        let tmp = minimal_site();
        let root = tmp.path();
        let mut session = Session::new(root, Some(URL));
        rebuild_matches(&mut session, root, &[]);
        let changed = [edit(root, "content/pages/method.md", |t| {
            t.replacen("title: ", "title: 新的", 1)
        })];
        let after = rebuild_matches(&mut session, root, &changed);
        for path in html_pages(&after) {
            let html = page(&after, path);
            let nav = &html[html.find("<nav").unwrap()..html.find("</nav>").unwrap()];
            assert!(nav.contains(">新的"), "{path}: {nav}");
        }
    }

    #[test]
    fn a_fact_edit_updates_prose_tables_charts_and_facts_json() {
        let tmp = minimal_site();
        let root = tmp.path();
        let mut session = Session::new(root, Some(URL));
        let before = rebuild_matches(&mut session, root, &[]);
        let changed = [edit(root, "content/companies/alpha.yaml", |t| {
            t.replace("value: 1600000000", "value: 1234000000")
        })];
        let after = rebuild_matches(&mut session, root, &changed);
        for path in [
            "sections/intro/index.html",
            "companies/alpha/index.html",
            "data/index.html",
            "data/facts.json",
            "data/facts.csv",
            "charts/money.svg",
            "data/charts/money.csv",
            "charts/company-alpha.svg",
        ] {
            let old = page(&before, path);
            let new = page(&after, path);
            assert!(
                !old.contains("12.34亿") && !old.contains("1234000000"),
                "{path}"
            );
            assert!(
                new.contains("12.34亿") || new.contains("1234000000"),
                "{path} does not show the new figure:\n{new}"
            );
        }
    }

    #[test]
    fn a_revision_reaches_every_page_that_shows_it() {
        let tmp = minimal_site();
        let root = tmp.path();
        let mut session = Session::new(root, Some(URL));
        let before = rebuild_matches(&mut session, root, &[]);
        // Corrected after publication (2024-05-06), in a site revised since.
        let changed = [
            edit(root, "content/companies/alpha.yaml", |t| {
                t.replacen(
                    "    value: 1600000000\n",
                    "    value: 1600000000\n    history:\n      - date: 2024-05-08\n        \
                     kind: correction\n        value: 1000000000\n        note: 抄错了。\n",
                    1,
                )
            }),
            edit(root, "content/site.yaml", |t| {
                t.replace("updated: 2024-05-06", "updated: 2024-05-10")
            }),
        ];
        let after = rebuild_matches(&mut session, root, &changed);
        for (path, needle) in [
            ("sections/intro/index.html", "#fact-revenue-rev-1"),
            ("companies/alpha/index.html", "2024-05-08"),
            ("corrections/index.html", "2024-05-08"),
            ("feed.xml", "2024-05-08"),
            ("sitemap.xml", "2024-05-08"),
            ("data/facts.json", "2024-05-08"),
            ("data/revisions.csv", "2024-05-08"),
        ] {
            assert!(!page(&before, path).contains(needle), "{path}");
            assert!(page(&after, path).contains(needle), "{path}");
        }
    }

    #[test]
    fn broken_files_report_like_a_fresh_build_until_fixed() {
        let tmp = minimal_site();
        let root = tmp.path();
        let mut session = Session::new(root, Some(URL));
        rebuild_matches(&mut session, root, &[]);
        let alpha = "content/companies/alpha.yaml";
        let good = fs::read_to_string(root.join(alpha)).unwrap();
        let broken = [edit(root, alpha, |t| {
            t.replace("    unit: usd\n", "    unit: usd\n    currency: usd\n")
        })];
        let problems = rebuild_fails(&mut session, root, &broken);
        assert!(
            problems[0].contains("unknown field `currency`"),
            "{problems:?}"
        );
        // Another edit elsewhere: the broken file is still reported.
        let other = [edit(root, "content/sections/01-intro.md", |t| {
            t + "\n又一段。\n"
        })];
        rebuild_fails(&mut session, root, &other);
        // A reference to a fact that does not exist: validation, with positions.
        let bad_ref = [edit(root, "content/sections/01-intro.md", |t| {
            t + "\n[[alpha/nothing]]\n"
        })];
        rebuild_fails(&mut session, root, &bad_ref);
        fs::write(root.join(alpha), good).unwrap();
        rebuild_fails(&mut session, root, &[PathBuf::from(alpha)]);
        let fixed = [edit(root, "content/sections/01-intro.md", |t| {
            t.replace("\n[[alpha/nothing]]\n", "")
        })];
        rebuild_matches(&mut session, root, &fixed);
    }
}
