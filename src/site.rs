//! The site model: a site's content and words, as the loader read them, and the questions
//! every later stage asks of it (a company by slug, a fact by reference, what is published).

use std::path::PathBuf;

use crate::chart::spec::ChartSpec;
use crate::config::SiteConfig;
use crate::facts::{self, Company};
use crate::section::{Page, Section};
use crate::strings::Strings;

/// A site's content and words, as read from disk: content only (where each thing is written is
/// found in the [`Sources`](crate::sources::Sources) the loader hands out beside it).
#[derive(Debug, Clone)]
pub struct Site {
    /// `content/site.yaml`.
    pub config: SiteConfig,
    /// `templates/strings/<language>.yaml`.
    pub strings: Strings,
    /// `content/companies/*.yaml`, by file name.
    pub companies: Vec<Company>,
    /// `content/sections/*.md` in reading order (drafts included; the renderer skips them).
    pub sections: Vec<Section>,
    /// `content/pages/*.md`, by file name.
    pub pages: Vec<Page>,
    /// `content/charts/*.yaml`, by file name.
    pub charts: Vec<ChartSpec>,
    /// Templates under `templates/` (`.html`, `.xml`, `.txt`), by name relative to that folder.
    pub templates: Vec<(String, String)>,
    /// Files under `static/`, by path relative to that folder, copied to the output as they are.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// `companies` by slug, for fact references; rebuilt by [`Site::reindex`].
    pub index: facts::Index,
    /// Draft companies left out of what is published ([`Site::published`]): slug and file.
    pub draft_companies: Vec<(String, PathBuf)>,
    /// The site's other editions, one per language after the default (see [`crate::lang`]),
    /// each read whole in its language; empty for a site of one language.
    pub translations: Vec<Site>,
    /// Which edition this is among all, set by [`crate::lang::editions`] for rendering a site of
    /// several languages; `None` otherwise.
    pub edition: Option<crate::edition::Edition>,
}

impl Site {
    /// Indexes the companies again, after `companies` changed.
    pub fn reindex(&mut self) {
        self.index = facts::Index::new(&self.companies);
    }

    /// The company with file stem `slug`.
    pub fn company(&self, slug: &str) -> Option<&Company> {
        self.index.company(&self.companies, slug)
    }

    /// The fact a reference `<company>/<fact id>` names.
    pub fn fact(&self, target: &str) -> Option<(&Company, &crate::facts::Fact)> {
        self.index.fact(&self.companies, target)
    }

    /// Sections that are published, in reading order: not drafts, unless drafts are shown.
    pub fn published_sections(&self) -> impl Iterator<Item = &Section> {
        let all = self.config.show_drafts;
        self.sections.iter().filter(move |s| all || !s.meta.draft)
    }

    /// What a build publishes when the site has draft companies (and drafts are not shown): the
    /// site without them and without its draft sections, to be validated again so that a
    /// published page citing a draft company is refused. The companies left out are listed in
    /// [`Site::draft_companies`]. `None` otherwise: draft sections alone need no copy, since the
    /// renderer publishes only [`Site::published_sections`].
    pub fn published(&self) -> Option<Site> {
        if self.config.show_drafts || !self.companies.iter().any(|c| c.draft) {
            return None;
        }
        let mut site = self.clone();
        // Every edition, the translations with the same draft companies (the files are shared).
        site.leave_out_drafts();
        for t in &mut site.translations {
            t.leave_out_drafts();
        }
        Some(site)
    }

    /// Removes the draft sections and companies, listing the companies in `draft_companies`.
    fn leave_out_drafts(&mut self) {
        self.sections.retain(|s| !s.meta.draft);
        self.draft_companies = self
            .companies
            .iter()
            .filter(|c| c.draft)
            .map(|c| (c.slug.clone(), c.path.clone()))
            .collect();
        self.companies.retain(|c| !c.draft);
        self.reindex();
    }
}
