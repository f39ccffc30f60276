//! Where a build keeps every chart's drawings for the next build: one file per edition,
//! `.burnrate-cache/drawings/<edition>` in the site folder (beside the card store), holding the
//! wide and narrow drawing pages inline and the standalone drawing (`charts/<id>.svg`) of every
//! chart under the key of everything they are drawn from.
//!
//! A build into an output built before makes only the pages whose inputs changed; when those
//! show a chart whose own files were left in place, it would otherwise draw the chart again
//! just for them: about a third of an edited section's cost. A build into a new output folder
//! would draw all three drawings of every chart. With the file, both take the drawings from it
//! instead, when the file's key is the build's own (the key of the whole edition but the
//! sections' bodies: the program, the settings, strings, charts and facts the drawings are made
//! from among them) and the drawing's checksum holds.
//!
//! The file is written whole under a temporary name and renamed into place, so a crash leaves
//! the old file or the new one; one that does not parse, has another key or fails a checksum is
//! not used, and the chart is drawn. A folder that is a link, or cannot be made, is not used at
//! all. Deleting the folder is always safe.
//!
//! Format: a first line `burnrate-drawings 2 <key>`, then one line per chart, `<id> <wide
//! length> <narrow length> <standalone length> <wide checksum> <narrow checksum> <standalone
//! checksum>` (hexadecimal key and checksums, decimal lengths), an empty line, and the drawings
//! themselves in that order, each chart's wide, narrow and standalone one after the other. It is
//! written drawing by drawing: never whole in memory. A file of another version is not used.

use std::collections::HashMap;
use std::fs;
use std::io::{self, Read, Write};
// Reads at an offset (`pread`): Unix only, as burnrate is (its allocator, jemalloc, has no
// Windows build either).
use std::os::unix::fs::FileExt;
use std::path::Path;

use crate::fsutil;
use crate::write::manifest;

/// The folder of the drawings files, relative to the site folder.
pub const DIR: &str = ".burnrate-cache/drawings";

/// The first word of a drawings file, before its format's version.
const HEADER: &str = "burnrate-drawings 2";

/// The three drawings of one chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawings {
    /// The wide drawing a page inlines.
    pub wide: String,
    /// The narrow drawing a page inlines.
    pub narrow: String,
    /// The chart's own file, `charts/<id>.svg`.
    pub standalone: String,
}

/// Where one chart's drawings are in a drawings file.
#[derive(Debug)]
struct Entry {
    /// Offset of the wide drawing; the narrow and the standalone one follow it.
    start: usize,
    /// The lengths of the wide, narrow and standalone drawing.
    lens: [usize; 3],
    /// Checksums of each ([`manifest::hash`]).
    sums: [u64; 3],
}

/// A drawings file as opened: the key it was written under, and where each chart's drawings are
/// in it, by id; a chart's are read and checked when asked for.
#[derive(Debug)]
pub struct Kept {
    key: u64,
    /// The file, read at one chart's offset at a time, by any number of threads at once.
    file: fs::File,
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
        let [wide, narrow, standalone] = e.lens;
        let mut all = vec![0; wide + narrow + standalone];
        self.file.read_exact_at(&mut all, e.start as u64).ok()?;
        let standalone = all.split_off(wide + narrow);
        let narrow = all.split_off(wide);
        let text = |bytes: Vec<u8>, sum: u64| {
            (manifest::hash(&bytes) == sum).then_some(())?;
            String::from_utf8(bytes).ok()
        };
        Some(Drawings {
            wide: text(all, e.sums[0])?,
            narrow: text(narrow, e.sums[1])?,
            standalone: text(standalone, e.sums[2])?,
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
    whole.then(|| Kept { key, file, charts })
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
        let [id, wide, narrow, standalone, w, n, s] = words[..] else {
            return None;
        };
        let sum = |hex: &str| u64::from_str_radix(hex, 16).ok();
        let len = |decimal: &str| decimal.parse::<usize>().ok();
        let entry = Entry {
            start,
            lens: [len(wide)?, len(narrow)?, len(standalone)?],
            sums: [sum(w)?, sum(n)?, sum(s)?],
        };
        start = (entry.lens.iter()).try_fold(start, |at, &len| at.checked_add(len))?;
        charts.insert(id.to_string(), entry);
    }
    Some((key, charts, start))
}

/// One chart's id and its wide, narrow and standalone drawing, as [`write_to`] takes them.
pub type Drawn<'a> = (&'a str, [&'a str; 3]);

/// Writes a drawings file under `key` with `charts` (in order; where two share an id, the later
/// is the one read back) to `out`, drawing by drawing.
pub fn write_to(out: &mut impl Write, key: u64, charts: &[Drawn<'_>]) -> io::Result<()> {
    let mut head = format!("{HEADER} {key:016x}\n");
    for (id, drawings) in charts {
        let [w, n, s] = drawings.map(|d| manifest::hash(d.as_bytes()));
        let [wl, nl, sl] = drawings.map(str::len);
        head.push_str(&format!("{id} {wl} {nl} {sl} {w:016x} {n:016x} {s:016x}\n"));
    }
    head.push('\n');
    out.write_all(head.as_bytes())?;
    for drawing in charts.iter().flat_map(|(_, drawings)| drawings) {
        out.write_all(drawing.as_bytes())?;
    }
    out.flush()
}

/// Puts the drawings file of the edition named `name` of the site at `root` in place, written
/// under `key` with `charts` ([`write_to`]): under a temporary name, then renamed. A file that
/// cannot be written only means the next build draws its charts.
pub fn save(root: &Path, name: &str, key: u64, charts: &[Drawn<'_>]) {
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

    const CHARTS: [Drawn<'static>; 2] = [
        ("a", ["<svg>宽</svg>", "<svg>窄</svg>", "<svg>独</svg>"]),
        ("b", ["<svg>w</svg>", "", "<svg>s</svg>"]),
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
            [a.wide, a.narrow, a.standalone],
            ["<svg>宽</svg>", "<svg>窄</svg>", "<svg>独</svg>"]
        );
        let b = kept.get(0xabc, "b").unwrap();
        assert_eq!([b.narrow, b.standalone], ["", "<svg>s</svg>"]);
        assert!(kept.get(0xabd, "a").is_none());
        assert!(kept.get(0xabc, "c").is_none());
    }

    #[test]
    fn a_damaged_drawing_is_left_out_and_a_cut_file_is_not_used() {
        let bytes = sample();
        for drawing in ["宽", "窄", "独"] {
            let at = memchr::memmem::find(&bytes, drawing.as_bytes()).unwrap();
            let mut damaged = bytes.clone();
            damaged[at] = b'x';
            let kept = parse(&damaged).unwrap();
            assert!(kept.get(0xabc, "a").is_none(), "{drawing} damaged");
            assert!(kept.get(0xabc, "b").is_some());
        }
        let at = memchr::memmem::find(&bytes, "宽".as_bytes()).unwrap();
        for cut in [bytes.len() - 1, at, 10] {
            assert!(parse(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(b'x');
        assert!(parse(&longer).is_none());
        let older = String::from_utf8(bytes)
            .unwrap()
            .replacen(HEADER, "burnrate-drawings 1", 1);
        assert!(
            parse(older.as_bytes()).is_none(),
            "a file of another version"
        );
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
