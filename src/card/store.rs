//! Where drawn cards are kept between builds: `.burnrate-cache/cards/<key>.png` in the site
//! folder (beside `content/`), one file per card, named by [`super::key`], the hash of
//! everything the PNG is made from. A build draws only the cards whose key it has no file for.
//!
//! The folder is the store's alone: card names are the key's hex digits, files are written
//! under a temporary name and renamed into place (a crash leaves no half card under a card's
//! name), and a folder that is a link, or that cannot be made, is not used at all: cards are
//! then drawn every time. Deleting the folder is always safe.
//!
//! Beside the cards, an index (`index`, in the output manifest's format: [`manifest`]) records
//! each card's content hash, size and modification time as the store wrote it. A kept card is
//! used only while the file on disk still has that size and time, so it is never read back to
//! be checked: the build hands the writer the file itself ([`Kept`]), which links it into the
//! output. A card changed behind the store's back (even through such a link, which shares the
//! file) no longer matches its entry and is drawn again under a new file.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use super::raster;
use crate::fsutil::{self, FsError};
use crate::write::manifest::{self, Record};

/// The store's folder, relative to the site folder.
pub const DIR: &str = ".burnrate-cache/cards";

/// The index's name inside the store's folder.
const INDEX: &str = "index";

/// A card the store holds, as it hands it on: the file, and the hash and size of its bytes
/// (what the output's manifest records of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The card's file in the store.
    pub file: PathBuf,
    /// Hash and size of its bytes ([`Record::of`]).
    pub record: Record,
}

/// A card as the store gives it: kept on disk, or drawn now (and not kept).
#[derive(Debug)]
pub enum Png {
    /// In the store, unchanged since it was written there.
    Kept(Kept),
    /// Drawn by this build but not kept (the store is not in use, or could not write it).
    Drawn(Vec<u8>),
}

/// A store of drawn cards on disk, or none.
#[derive(Debug)]
pub struct Store {
    dir: Option<PathBuf>,
    /// What the index said when the store was opened, by file name.
    index: HashMap<String, Record>,
    /// Cards written by this build, by file name: added to the index by [`Store::save`].
    added: Mutex<Vec<(String, Record)>>,
    drawn: AtomicUsize,
    temporary: AtomicUsize,
}

impl Store {
    /// The store of the site at `root`, made if missing; a store that keeps nothing when its
    /// folder is a link or cannot be made.
    pub fn at(root: &Path) -> Store {
        let dir = fsutil::cache_dir(root, DIR);
        let index = dir
            .as_ref()
            .and_then(|dir| fs::read_to_string(dir.join(INDEX)).ok())
            .and_then(|text| manifest::parse(&text))
            .unwrap_or_default();
        Store {
            dir,
            index,
            added: Mutex::new(Vec::new()),
            drawn: AtomicUsize::new(0),
            temporary: AtomicUsize::new(0),
        }
    }

    /// The card whose key is `key`: the kept file when it is the one the index records, else
    /// drawn from its SVG (made by `svg`, only then) and kept.
    pub fn png(&self, key: &str, svg: &dyn Fn() -> String) -> Result<Png, String> {
        let name = format!("{key}.png");
        if let Some(kept) = self.kept(&name) {
            return Ok(Png::Kept(kept));
        }
        let png = raster::png(&svg())?;
        self.drawn.fetch_add(1, Ordering::Relaxed);
        match &self.dir {
            // A card that cannot be kept is still published; the next build draws it again.
            Some(dir) => match self.keep(dir, &name, &png) {
                Ok(kept) => Ok(Png::Kept(kept)),
                Err(_) => Ok(Png::Drawn(png)),
            },
            None => Ok(Png::Drawn(png)),
        }
    }

    /// Cards drawn (not taken from the store) so far.
    pub fn drawn(&self) -> usize {
        self.drawn.load(Ordering::Relaxed)
    }

    /// Writes the index again when this build kept new cards (under a temporary name, then
    /// renamed), without the entries of cards deleted since; an index that cannot be written
    /// only means those cards are drawn again.
    pub fn save(&self) {
        let added = std::mem::take(&mut *self.added.lock().unwrap_or_else(PoisonError::into_inner));
        let Some(dir) = self.dir.as_ref().filter(|_| !added.is_empty()) else {
            return;
        };
        let mut entries = self.index.clone();
        entries.retain(|name, _| dir.join(name).is_file());
        entries.extend(added);
        let mut entries: Vec<(String, Record)> = entries.into_iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let _ = self.replace(dir, &dir.join(INDEX), manifest::render(&entries).as_bytes());
    }

    /// The kept card named `name`, if the index records it and the file still has the size
    /// and modification time the index gives it.
    fn kept(&self, name: &str) -> Option<Kept> {
        let record = self.index.get(name)?;
        let file = self.dir.as_ref()?.join(name);
        let meta = fs::symlink_metadata(&file).ok()?;
        (meta.is_file() && record.matches(&meta)).then_some(Kept {
            file,
            record: *record,
        })
    }

    /// Writes `png` as the card named `name`, and notes it for the index.
    fn keep(&self, dir: &Path, name: &str, png: &[u8]) -> Result<Kept, FsError> {
        let file = dir.join(name);
        self.replace(dir, &file, png)?;
        let mut record = Record::of(png);
        let written = fs::symlink_metadata(&file).and_then(|m| m.modified());
        record.mtime = manifest::nanos(written).unwrap_or(0);
        self.added
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((name.to_string(), record));
        Ok(Kept { file, record })
    }

    /// Puts `bytes` at `file` in the store's folder `dir`: written under a temporary name,
    /// then renamed over it.
    fn replace(&self, dir: &Path, file: &Path, bytes: &[u8]) -> Result<(), FsError> {
        let n = self.temporary.fetch_add(1, Ordering::Relaxed);
        let temporary = dir.join(format!(".new-{}-{n}", std::process::id()));
        fsutil::create_new(&temporary, bytes)
            .and_then(|()| fsutil::rename(&temporary, file))
            .inspect_err(|_| drop(fs::remove_file(&temporary)))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample;
    use super::super::{Body, key};
    use super::*;

    fn kept(png: Png) -> Kept {
        match png {
            Png::Kept(kept) => kept,
            Png::Drawn(_) => panic!("not kept"),
        }
    }

    #[test]
    fn a_kept_card_is_handed_on_as_its_file_and_a_changed_one_drawn_again() {
        let root = tempfile::tempdir().unwrap();
        let card = sample(Body::Summary("摘要".into()));
        let key = key(&card);
        let svg = || card.svg();
        let store = Store::at(root.path());
        let first = kept(store.png(&key, &svg).unwrap());
        assert_eq!(store.drawn(), 1);
        store.save();
        let bytes = fs::read(&first.file).unwrap();
        assert_eq!(first.file, root.path().join(DIR).join(format!("{key}.png")));
        assert_eq!(Record::of(&bytes).hash, first.record.hash);

        let again = Store::at(root.path());
        assert_eq!(kept(again.png(&key, &svg).unwrap()), first);
        assert_eq!(again.drawn(), 0);

        // Damaged in place (as through a link in an output), even at its old size and time
        // resolution: a file whose time no longer matches is drawn again, under a new file.
        let mut damaged = bytes.clone();
        damaged[100] ^= 1;
        fs::write(&first.file, &damaged).unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        fs::File::options()
            .write(true)
            .open(&first.file)
            .unwrap()
            .set_modified(later)
            .unwrap();
        let repaired = Store::at(root.path());
        let redrawn = kept(repaired.png(&key, &svg).unwrap());
        assert_eq!(repaired.drawn(), 1);
        assert_eq!(fs::read(&redrawn.file).unwrap(), bytes);
        repaired.save();
        // Only the card and the index: no temporary file is left behind.
        assert_eq!(fs::read_dir(root.path().join(DIR)).unwrap().count(), 2);
        assert_eq!(
            kept(Store::at(root.path()).png(&key, &svg).unwrap()),
            redrawn
        );
    }

    #[test]
    fn the_index_forgets_cards_deleted_since() {
        let root = tempfile::tempdir().unwrap();
        let cards: Vec<_> = ["一", "二", "三"]
            .map(|t| sample(Body::Summary(t.into())))
            .into();
        let keep = |store: &Store, card: &super::super::Card| {
            kept(store.png(&key(card), &|| card.svg()).unwrap())
        };
        let store = Store::at(root.path());
        let first = keep(&store, &cards[0]);
        keep(&store, &cards[1]);
        store.save();
        fs::remove_file(&first.file).unwrap();
        let store = Store::at(root.path());
        keep(&store, &cards[2]);
        store.save();
        let index = fs::read_to_string(root.path().join(DIR).join(INDEX)).unwrap();
        let mut names: Vec<String> = manifest::parse(&index).unwrap().into_keys().collect();
        names.sort();
        let mut expected = vec![
            format!("{}.png", key(&cards[1])),
            format!("{}.png", key(&cards[2])),
        ];
        expected.sort();
        assert_eq!(names, expected);
    }

    #[test]
    fn a_linked_folder_is_not_used() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.path().join(".burnrate-cache")).unwrap();
        let card = sample(Body::Summary("摘要".into()));
        let store = Store::at(root.path());
        assert!(matches!(
            store.png(&key(&card), &|| card.svg()),
            Ok(Png::Drawn(_))
        ));
        store.save();
        assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }
}
