//! Where drawn cards are kept between builds: `.burnrate-cache/cards/<key>.png` in the site
//! folder (beside `content/`), one file per card, named by [`super::key`], the hash of
//! everything the PNG is made from. A build draws only the cards whose key it has no file for.
//!
//! The folder is the store's alone: names are the key's hex digits only, files are written
//! under a temporary name and renamed into place (a crash leaves no half card under a card's
//! name), and a folder that is a link, or that cannot be made, is not used at all: cards are
//! then drawn every time. A file read back is published only when it passes
//! [`raster::is_card`]; a damaged one is drawn again and replaced. Deleting the folder is always
//! safe.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::raster;

/// The store's folder, relative to the site folder.
pub const DIR: &str = ".burnrate-cache/cards";

/// A store of drawn cards on disk, or none.
#[derive(Debug)]
pub struct Store {
    dir: Option<PathBuf>,
    drawn: AtomicUsize,
    temporary: AtomicUsize,
}

impl Store {
    /// The store of the site at `root`, made if missing; a store that keeps nothing when its
    /// folder is a link or cannot be made.
    pub fn at(root: &Path) -> Store {
        let dir = root.join(DIR);
        let base = dir.parent().map(Path::to_path_buf).unwrap_or_default();
        // A real folder, not a link (made here if missing, perhaps by another build at once).
        let real = |d: &Path| fs::symlink_metadata(d).is_ok_and(|m| m.is_dir());
        let usable = [&base, &dir]
            .iter()
            .all(|d| real(d) || (fs::create_dir(d).is_ok() || real(d)));
        Store {
            dir: usable.then_some(dir),
            drawn: AtomicUsize::new(0),
            temporary: AtomicUsize::new(0),
        }
    }

    /// The PNG of `svg`, whose key is `key`: the kept file when it is a whole card, else drawn
    /// and kept.
    pub fn png(&self, key: &str, svg: &str) -> Result<Vec<u8>, String> {
        let file = self.dir.as_ref().map(|d| d.join(format!("{key}.png")));
        if let Some(bytes) = file.as_ref().and_then(|f| fs::read(f).ok())
            && raster::is_card(&bytes)
        {
            return Ok(bytes);
        }
        let png = raster::png(svg)?;
        self.drawn.fetch_add(1, Ordering::Relaxed);
        if let (Some(dir), Some(file)) = (&self.dir, &file) {
            // A card that cannot be kept is still published; the next build draws it again.
            let _ = self.keep(dir, file, &png);
        }
        Ok(png)
    }

    /// Cards drawn (not read back) so far.
    pub fn drawn(&self) -> usize {
        self.drawn.load(Ordering::Relaxed)
    }

    fn keep(&self, dir: &Path, file: &Path, png: &[u8]) -> std::io::Result<()> {
        let n = self.temporary.fetch_add(1, Ordering::Relaxed);
        let temporary = dir.join(format!(".new-{}-{n}", std::process::id()));
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .and_then(|mut f| f.write_all(png));
        match written.and_then(|()| fs::rename(&temporary, file)) {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = fs::remove_file(&temporary);
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample;
    use super::super::{Body, key};
    use super::*;

    #[test]
    fn a_kept_card_is_read_back_and_a_damaged_one_drawn_again() {
        let root = tempfile::tempdir().unwrap();
        let svg = sample(Body::Summary("摘要".into())).svg();
        let key = key(&svg);
        let store = Store::at(root.path());
        let first = store.png(&key, &svg).unwrap();
        assert_eq!(store.drawn(), 1);
        let file = root.path().join(DIR).join(format!("{key}.png"));
        assert_eq!(fs::read(&file).unwrap(), first);

        let again = Store::at(root.path());
        assert_eq!(again.png(&key, &svg).unwrap(), first);
        assert_eq!(again.drawn(), 0);

        fs::write(&file, &first[..100]).unwrap();
        let repaired = Store::at(root.path());
        assert_eq!(repaired.png(&key, &svg).unwrap(), first);
        assert_eq!(repaired.drawn(), 1);
        assert_eq!(fs::read(&file).unwrap(), first);
        // Only the card: no temporary file is left behind.
        assert_eq!(fs::read_dir(root.path().join(DIR)).unwrap().count(), 1);
    }

    #[test]
    fn a_linked_folder_is_not_used() {
        let root = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), root.path().join(".burnrate-cache")).unwrap();
        let svg = sample(Body::Summary("摘要".into())).svg();
        let store = Store::at(root.path());
        assert!(store.png(&key(&svg), &svg).is_ok());
        assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }
}
