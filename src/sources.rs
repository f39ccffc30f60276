//! The source map: the text of every file a site was loaded from, by the path diagnostics name
//! it with, for checks that point into a file after parsing and for code frames.
//!
//! The loader makes it beside the [`Site`](crate::site::Site), which holds content only. A build
//! leaves out the texts of sections, pages and companies (50 MB on a site of ten thousand
//! sections) and reads one again only if a problem must be pointed at in it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The texts of a site's files, by the path diagnostics use.
#[derive(Debug, Default)]
pub struct Sources {
    /// Each file's text; empty cells are read from disk when first asked for.
    texts: BTreeMap<PathBuf, OnceLock<String>>,
}

impl Sources {
    /// Takes in the texts `other` holds (where both hold a path, `other`'s).
    pub fn absorb(&mut self, mut other: Sources) {
        self.texts.append(&mut other.texts);
    }

    /// Records `text` as the text of `path`.
    pub fn insert(&mut self, path: PathBuf, text: String) {
        self.texts.insert(path, OnceLock::from(text));
    }

    /// Records each of `files` with its text, or as read without keeping it (`None`: read
    /// again when asked for). Thousands at once: the map is built in one go from the paths in
    /// order, where inserting each would compare it, component by component, with a dozen
    /// others.
    pub fn insert_all(&mut self, files: impl IntoIterator<Item = (PathBuf, Option<String>)>) {
        let cell = |text: Option<String>| text.map_or_else(OnceLock::new, OnceLock::from);
        let mut other: BTreeMap<PathBuf, OnceLock<String>> = files
            .into_iter()
            .map(|(path, text)| (path, cell(text)))
            .collect();
        self.texts.append(&mut other);
    }

    /// Whether `path` is one of the site's files.
    pub fn contains(&self, path: &Path) -> bool {
        self.texts.contains_key(path)
    }

    /// The text of `path`; empty when it is not a file of the site or can no longer be read
    /// (its problems then point at line 1).
    ///
    /// A text left out is read again from disk: if the file changed since it was parsed, the
    /// positions are found in what it holds now, which is what the editor sees.
    pub fn text(&self, path: &Path) -> &str {
        match self.texts.get(path) {
            Some(cell) => cell.get_or_init(|| read(path)),
            None => "",
        }
    }

    /// How many texts the map holds now, kept or read again since: what it costs in memory.
    pub fn held(&self) -> usize {
        self.texts.values().filter(|t| t.get().is_some()).count()
    }

    /// Every file and its text, by path.
    pub fn iter(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.texts
            .iter()
            .map(|(path, cell)| (path.as_path(), cell.get_or_init(|| read(path)).as_str()))
    }
}

/// The text of `path` as the loader reads it; empty when it cannot be read.
fn read(path: &Path) -> String {
    crate::fsutil::read(path)
        .ok()
        .and_then(|bytes| crate::text::decode(path, bytes).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_left_out_are_read_when_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "标题\n").unwrap();
        let mut sources = Sources::default();
        sources.insert_all([(file.clone(), None)]);
        sources.insert(PathBuf::from("kept.yaml"), "a: 1\n".into());
        assert_eq!(sources.text(&file), "标题\n");
        assert_eq!(sources.text(Path::new("kept.yaml")), "a: 1\n");
        assert_eq!(sources.text(Path::new("other.yaml")), "");
        assert!(sources.contains(&file) && !sources.contains(Path::new("other.yaml")));
    }
}
