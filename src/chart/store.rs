//! Where a build keeps the drawings pages inline, for the next build: one file per edition,
//! `.burnrate-cache/drawings/<edition>` in the site folder (beside the card store), holding the
//! wide and narrow drawing of every chart under the key of everything they are drawn from.
//!
//! A build into an output built before makes only the pages whose inputs changed; when those
//! show a chart whose own files were left in place, it would otherwise draw the chart again
//! just for them: about a third of an edited section's cost. A build into a new output folder
//! draws every chart's own file, and would draw its two page drawings beside it. With the file,
//! both take the two drawings from it instead, when the file's key is the build's own (the key
//! of the whole edition but the sections' bodies: the program, the settings, strings, charts
//! and facts the drawings are made from among them) and the drawing's checksum holds.
//!
//! The file is written whole under a temporary name and renamed into place, so a crash leaves
//! the old file or the new one; one that does not parse, has another key or fails a checksum is
//! not used, and the chart is drawn. A folder that is a link, or cannot be made, is not used at
//! all. Deleting the folder is always safe.
//!
//! Format: a first line `burnrate-drawings 1 <key>`, then one line per chart, `<id> <wide
//! length> <narrow length> <wide checksum> <narrow checksum>` (hexadecimal key and checksums,
//! decimal lengths), an empty line, and the drawings themselves in that order, each wide one
//! before its narrow one. It is written drawing by drawing: never whole in memory.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::{Mutex, PoisonError};

use crate::fsutil;
use crate::write::manifest;

/// The folder of the drawings files, relative to the site folder.
pub const DIR: &str = ".burnrate-cache/drawings";

/// The first word of a drawings file, before its format's version.
const HEADER: &str = "burnrate-drawings 1";

/// The two drawings of one chart, as a page inlines them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawings {
    /// The wide drawing.
    pub wide: String,
    /// The narrow drawing.
    pub narrow: String,
}

/// Where one chart's drawings are in a drawings file.
#[derive(Debug)]
struct Entry {
    /// Offset of the wide drawing; the narrow one follows it.
    start: usize,
    wide: usize,
    narrow: usize,
    /// Checksums of each ([`manifest::hash`]).
    sums: [u64; 2],
}

/// A drawings file as opened: the key it was written under, and where each chart's drawings are
/// in it, by id; a chart's are read and checked when asked for.
#[derive(Debug)]
pub struct Kept {
    key: u64,
    /// The file, read at one chart's offset at a time (by one page at a time).
    file: Mutex<fs::File>,
    charts: HashMap<String, Entry>,
}

impl Kept {
    /// The key the file was written under.
    pub fn key(&self) -> u64 {
        self.key
    }

    /// The drawings of chart `id`, if the file was written under `key` and holds them whole.
    pub fn get(&self, key: u64, id: &str) -> Option<Drawings> {
        let e = self.charts.get(id).filter(|_| self.key == key)?;
        let mut both = vec![0; e.wide + e.narrow];
        {
            let mut file = self.file.lock().unwrap_or_else(PoisonError::into_inner);
            file.seek(SeekFrom::Start(e.start as u64)).ok()?;
            file.read_exact(&mut both).ok()?;
        }
        let narrow = both.split_off(e.wide);
        let text = |bytes: Vec<u8>, sum: u64| {
            (manifest::hash(&bytes) == sum).then_some(())?;
            String::from_utf8(bytes).ok()
        };
        Some(Drawings {
            wide: text(both, e.sums[0])?,
            narrow: text(narrow, e.sums[1])?,
        })
    }
}

/// The drawings file of the edition named `name` of the site at `root`, opened, its list of
/// charts read (not the drawings); `None` when there is none or it is not one whole such file.
pub fn read(root: &Path, name: &str) -> Option<Kept> {
    let mut file = fs::File::open(root.join(DIR).join(name)).ok()?;
    let mut head = Vec::new();
    let end = loop {
        let from = head.len().saturating_sub(1);
        let read = (&mut file).take(1 << 16).read_to_end(&mut head).ok()?;
        if let Some(at) = memchr::memmem::find(&head[from..], b"\n\n") {
            break from + at;
        }
        if read == 0 {
            return None;
        }
    };
    let (key, charts, size) = parse_head(std::str::from_utf8(&head[..end]).ok()?, end + 2)?;
    let whole = file.metadata().ok()?.len() == size as u64;
    whole.then(|| Kept {
        key,
        file: Mutex::new(file),
        charts,
    })
}

/// The key a drawings file's first line gives.
fn key_in(first: &str) -> Option<u64> {
    let key = first.strip_prefix(HEADER)?.strip_prefix(' ')?;
    u64::from_str_radix(key, 16).ok()
}

/// The key, the charts and the file's size a drawings file's list of charts `head` gives, the
/// drawings starting at `start`; `None` when it is not one.
fn parse_head(head: &str, start: usize) -> Option<(u64, HashMap<String, Entry>, usize)> {
    let mut lines = head.lines();
    let key = key_in(lines.next()?)?;
    let mut start = start;
    let mut charts = HashMap::new();
    for line in lines {
        let words: Vec<&str> = line.split(' ').collect();
        let [id, wide, narrow, w, n] = words[..] else {
            return None;
        };
        let sum = |hex: &str| u64::from_str_radix(hex, 16).ok();
        let entry = Entry {
            start,
            wide: wide.parse().ok()?,
            narrow: narrow.parse().ok()?,
            sums: [sum(w)?, sum(n)?],
        };
        start = start.checked_add(entry.wide)?.checked_add(entry.narrow)?;
        charts.insert(id.to_string(), entry);
    }
    Some((key, charts, start))
}

/// Writes a drawings file under `key` with `charts` (id and drawings, in order; where two
/// share an id, the later is the one read back) to `out`, drawing by drawing.
pub fn write_to(out: &mut impl Write, key: u64, charts: &[(&str, &str, &str)]) -> io::Result<()> {
    let mut head = format!("{HEADER} {key:016x}\n");
    for (id, wide, narrow) in charts {
        let (w, n) = (
            manifest::hash(wide.as_bytes()),
            manifest::hash(narrow.as_bytes()),
        );
        let (wl, nl) = (wide.len(), narrow.len());
        head.push_str(&format!("{id} {wl} {nl} {w:016x} {n:016x}\n"));
    }
    head.push('\n');
    out.write_all(head.as_bytes())?;
    for (_, wide, narrow) in charts {
        out.write_all(wide.as_bytes())?;
        out.write_all(narrow.as_bytes())?;
    }
    out.flush()
}

/// Puts the drawings file of the edition named `name` of the site at `root` in place, written
/// under `key` with `charts` ([`write_to`]): under a temporary name, then renamed. A file that
/// cannot be written only means the next build draws its charts.
pub fn save(root: &Path, name: &str, key: u64, charts: &[(&str, &str, &str)]) {
    let Some(dir) = fsutil::cache_dir(root, DIR) else {
        return;
    };
    let temporary = dir.join(format!(".new-{}-{name}", std::process::id()));
    let written = fs::File::create_new(&temporary)
        .and_then(|file| write_to(&mut io::BufWriter::new(file), key, charts));
    if written.is_err() || fsutil::rename(&temporary, &dir.join(name)).is_err() {
        let _ = fs::remove_file(&temporary);
    }
}

/// The name of the drawings file of the edition whose outputs go under `prefix` (`""` for the
/// default edition, `en/` for a translation).
pub fn name_of(prefix: &str) -> String {
    match prefix.trim_end_matches('/') {
        "" => "site".to_string(),
        p => format!("edition-{}", p.replace('/', "-")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHARTS: [(&str, &str, &str); 2] = [
        ("a", "<svg>宽</svg>", "<svg>窄</svg>"),
        ("b", "<svg>w</svg>", ""),
    ];

    fn sample() -> Vec<u8> {
        let mut out = Vec::new();
        write_to(&mut out, 0xabc, &CHARTS).unwrap();
        out
    }

    /// `bytes` read as the drawings file of a site.
    fn parse(bytes: &[u8]) -> Option<Kept> {
        let root = tempfile::tempdir().unwrap();
        fs::create_dir_all(root.path().join(DIR)).unwrap();
        fs::write(root.path().join(DIR).join("site"), bytes).unwrap();
        read(root.path(), "site")
    }

    #[test]
    fn a_file_reads_back_as_written_under_its_key_only() {
        let kept = parse(&sample()).unwrap();
        let a = kept.get(0xabc, "a").unwrap();
        assert_eq!(
            (a.wide.as_str(), a.narrow.as_str()),
            ("<svg>宽</svg>", "<svg>窄</svg>")
        );
        assert_eq!(kept.get(0xabc, "b").unwrap().narrow, "");
        assert!(kept.get(0xabd, "a").is_none());
        assert!(kept.get(0xabc, "c").is_none());
    }

    #[test]
    fn a_damaged_drawing_is_left_out_and_a_cut_file_is_not_used() {
        let bytes = sample();
        let at = memchr::memmem::find(&bytes, "宽".as_bytes()).unwrap();
        let mut damaged = bytes.clone();
        damaged[at] = b'x';
        let kept = parse(&damaged).unwrap();
        assert!(kept.get(0xabc, "a").is_none());
        assert!(kept.get(0xabc, "b").is_some());
        for cut in [bytes.len() - 1, at, 10] {
            assert!(parse(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = bytes;
        longer.push(b'x');
        assert!(parse(&longer).is_none());
    }

    #[test]
    fn a_file_is_kept_in_the_site_folder_and_a_linked_folder_is_not_used() {
        let root = tempfile::tempdir().unwrap();
        save(root.path(), "site", 0xabc, &CHARTS);
        assert!(read(root.path(), "site").unwrap().get(0xabc, "a").is_some());
        assert_eq!(read(root.path(), "site").unwrap().key(), 0xabc);
        assert_eq!(
            fs::read(root.path().join(DIR).join("site")).unwrap(),
            sample(),
            "written whole, nothing left beside it"
        );
        assert_eq!(fs::read_dir(root.path().join(DIR)).unwrap().count(), 1);

        let other = tempfile::tempdir().unwrap();
        let linked = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(linked.path(), other.path().join(".burnrate-cache")).unwrap();
        save(other.path(), "site", 0xabc, &CHARTS);
        assert!(read(other.path(), "site").is_none());
        assert_eq!(fs::read_dir(linked.path()).unwrap().count(), 0);
    }

    #[test]
    fn editions_have_files_of_their_own() {
        assert_eq!(name_of(""), "site");
        assert_eq!(name_of("en/"), "edition-en");
    }
}
