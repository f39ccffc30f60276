//! What an output folder holds, as its last build recorded it: the manifest `.burnrate-manifest`.
//!
//! One line per file: content hash, size, modification time (nanoseconds), the key of what the
//! file was made from (`-` for none; see `render::Recall`) and path. A build
//! trusts an entry only when the file on disk still has the recorded size and modification
//! time, and the whole manifest only when its own checksum (first line) matches, so a file
//! changed, added or removed behind the manifest's back, a manifest edited by hand or copied
//! from another folder, and a build that crashed half-way all make the affected files (or the
//! whole folder) count as unknown, to be written again. The old output is never read back.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

/// The manifest's name inside the output folder (a dot-file: no page links to it).
pub const NAME: &str = ".burnrate-manifest";

/// The first word of a manifest, before its format's version: 1 lists records (the card store's
/// index), 2 adds the key each file was made under (an output's manifest).
const HEADER: &str = "burnrate-manifest";

/// One file as written: what its bytes hash to, how many there are, and when it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// Hash of the bytes.
    pub hash: u64,
    /// Length in bytes.
    pub size: u64,
    /// Modification time on disk, in nanoseconds since 1970.
    pub mtime: u128,
}

impl Record {
    /// The record of `bytes`, with the modification time still to be set.
    pub fn of(bytes: &[u8]) -> Record {
        Record {
            hash: hash(bytes),
            size: bytes.len() as u64,
            mtime: 0,
        }
    }

    /// True when both records describe the same bytes.
    pub fn same_bytes(&self, other: &Record) -> bool {
        self.hash == other.hash && self.size == other.size
    }

    /// True when a file with metadata `meta` still has the size and modification time this
    /// record gives it: the file it describes, unchanged since.
    pub fn matches(&self, meta: &fs::Metadata) -> bool {
        meta.len() == self.size && nanos(meta.modified()) == Some(self.mtime)
    }
}

/// Nanoseconds since 1970 of a modification time (`None` before 1970 or when unknown).
pub fn nanos(time: std::io::Result<SystemTime>) -> Option<u128> {
    Some(time.ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos())
}

/// What an existing output folder holds: every file and folder on disk, and the files whose
/// bytes the manifest vouches for.
#[derive(Debug, Default)]
pub struct Previous {
    /// Files (relative path with `/`) whose size and time on disk match the manifest.
    pub trusted: HashMap<String, Record>,
    /// The keys the manifest gives the trusted files that have one: what each was made from.
    pub keys: HashMap<String, u64>,
    /// Every entry that is not a folder (the manifest excepted), relative to the output; the
    /// key is `None` for a name that is not UTF-8.
    pub files: Vec<(PathBuf, Option<String>)>,
    /// Every folder, relative to the output, parents before their contents.
    pub dirs: BTreeSet<PathBuf>,
}

/// Reads the manifest of `output` and what the folder holds, or `None` when there is no
/// output, no manifest, a manifest that fails its checksum, or a folder that cannot be read:
/// then nothing in it can be trusted and the build replaces the whole folder.
///
/// The folder is walked and its files' sizes and times read on every core: at 10 000 sections
/// that is 11 000 folders and 25 000 files, a seventh of a rebuild when walked on one.
pub fn previous(output: &Path) -> Option<Previous> {
    let text = fs::read_to_string(output.join(NAME)).ok()?;
    let listed = parse_keyed(&text)?;
    let mut previous = Previous::default();
    for found in walk(output, Path::new(""), &listed)? {
        match found {
            Found::Dir(rel) => {
                previous.dirs.insert(rel);
            }
            Found::File(rel, path, trusted) => {
                if let (Some(path), Some((record, key))) = (&path, trusted) {
                    previous.trusted.insert(path.clone(), record);
                    if let Some(key) = key {
                        previous.keys.insert(path.clone(), key);
                    }
                }
                previous.files.push((rel, path));
            }
        }
    }
    // In the order of their paths, whichever core found them.
    previous.files.sort();
    Some(previous)
}

/// An entry of an output folder: a folder, or anything else with its path as the manifest
/// writes it and, when its size and time are the ones recorded, its record and key.
enum Found {
    Dir(PathBuf),
    File(PathBuf, Option<String>, Option<Listed>),
}

/// A file's record in a manifest, and the key it was made under, if any.
type Listed = (Record, Option<u64>);

/// Everything under the folder `output/rel` (links not followed), or `None` when any part of it
/// cannot be read. The manifest itself is left out.
fn walk(output: &Path, rel: &Path, listed: &HashMap<String, Listed>) -> Option<Vec<Found>> {
    let entries = fs::read_dir(output.join(rel))
        .ok()?
        .collect::<Result<Vec<fs::DirEntry>, _>>()
        .ok()?;
    let found = entries
        .par_iter()
        .map(|entry| {
            let rel = rel.join(entry.file_name());
            let kind = entry.file_type().ok()?;
            if kind.is_dir() {
                let mut inside = walk(output, &rel, listed)?;
                inside.push(Found::Dir(rel));
                return Some(inside);
            }
            let key = key(&rel);
            if key.as_deref() == Some(NAME) {
                return Some(Vec::new());
            }
            let trusted = match key.as_ref().and_then(|k| listed.get(k)) {
                Some(found) if kind.is_file() => {
                    found.0.matches(&entry.metadata().ok()?).then_some(*found)
                }
                _ => None,
            };
            Some(vec![Found::File(rel, key, trusted)])
        })
        .collect::<Option<Vec<Vec<Found>>>>()?;
    Some(found.into_iter().flatten().collect())
}

/// `a/b.html` for a relative path, or `None` when a part is not UTF-8.
pub fn key(rel: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = rel.iter().map(|p| p.to_str()).collect();
    Some(parts?.join("/"))
}

/// The manifest text (format 1) for `files` (sorted by path).
pub fn render(files: &[(String, Record)]) -> String {
    lines(1, files.iter().map(|(path, r)| (path.as_str(), r, None)))
}

/// The manifest text (format 2) for `files` (path, record, and the key it was made under if
/// any; sorted by path).
pub fn render_keyed<'a>(files: impl Iterator<Item = (&'a str, &'a Record, Option<u64>)>) -> String {
    lines(2, files)
}

/// A manifest of format `version` (2: with keys) listing `files`.
fn lines<'a>(
    version: u8,
    files: impl Iterator<Item = (&'a str, &'a Record, Option<u64>)>,
) -> String {
    use std::fmt::Write as _;
    let mut body = String::with_capacity(128 * files.size_hint().0);
    for (path, r, key) in files {
        // Written in place (no text per line), and the time as 64 bits while it fits (until the
        // year 2554): 128-bit numbers print several times slower, and a rebuild waits for this.
        let _ = match u64::try_from(r.mtime) {
            Ok(mtime) => write!(body, "{:016x} {} {mtime} ", r.hash, r.size),
            Err(_) => write!(body, "{:016x} {} {} ", r.hash, r.size, r.mtime),
        };
        if version > 1 {
            let _ = match key {
                Some(key) => write!(body, "{key:016x} "),
                None => write!(body, "- "),
            };
        }
        body.push_str(path);
        body.push('\n');
    }
    format!("{HEADER} {version} {:016x}\n{body}", hash(body.as_bytes()))
}

/// The records of a manifest of either format, or `None` if it is not one or its checksum does
/// not match.
pub fn parse(text: &str) -> Option<HashMap<String, Record>> {
    let listed = parse_keyed(text)?;
    Some(listed.into_iter().map(|(path, (r, _))| (path, r)).collect())
}

/// The entries of a manifest of either format with their keys (none in format 1), or `None` if
/// it is not one or its checksum does not match.
pub fn parse_keyed(text: &str) -> Option<HashMap<String, Listed>> {
    let (first, body) = text.split_once('\n')?;
    let (version, sum) = first
        .strip_prefix(HEADER)?
        .strip_prefix(' ')?
        .split_once(' ')?;
    let keyed = match version {
        "1" => false,
        "2" => true,
        _ => return None,
    };
    if u64::from_str_radix(sum, 16).ok()? != hash(body.as_bytes()) {
        return None;
    }
    body.lines()
        .map(|line| {
            let mut parts = line.splitn(if keyed { 5 } else { 4 }, ' ');
            let record = Record {
                hash: u64::from_str_radix(parts.next()?, 16).ok()?,
                size: parts.next()?.parse().ok()?,
                mtime: parts.next()?.parse().ok()?,
            };
            let key = match keyed {
                true => match parts.next()? {
                    "-" => None,
                    key => Some(u64::from_str_radix(key, 16).ok()?),
                },
                false => None,
            };
            Some((parts.next()?.to_string(), (record, key)))
        })
        .collect()
}

/// A 64-bit hash of `bytes`: foldhash with a fixed seed, several times faster than the standard
/// library's SipHash over a whole site's bytes (a different hash after an upgrade only makes one
/// build write everything again). The one content hash of whatever a build compares by its
/// bytes: output files, the bodies it leaves in their files, the card font.
pub fn hash(bytes: &[u8]) -> u64 {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x6275_726e_7261_7465).hash_one(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<(String, Record)> {
        let mut r = Record::of(b"<p>hi</p>");
        r.mtime = 1_700_000_000_123_456_789;
        vec![
            ("a b/index.html".into(), r),
            (".nojekyll".into(), Record::of(b"")),
        ]
    }

    #[test]
    fn a_manifest_reads_back_what_was_written() {
        let text = render(&sample());
        let read = parse(&text).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read["a b/index.html"], sample()[0].1);
    }

    #[test]
    fn a_keyed_manifest_reads_back_its_keys_and_its_records() {
        let files: Vec<(String, Record, Option<u64>)> = sample()
            .into_iter()
            .zip([Some(0xfeed), None])
            .map(|((path, r), key)| (path, r, key))
            .collect();
        let text = render_keyed(files.iter().map(|(p, r, k)| (p.as_str(), r, *k)));
        assert!(text.starts_with("burnrate-manifest 2 "), "{text}");
        let read = parse_keyed(&text).unwrap();
        assert_eq!(read["a b/index.html"], (files[0].1, Some(0xfeed)));
        assert_eq!(read[".nojekyll"], (files[1].1, None));
        assert_eq!(parse(&text).unwrap()["a b/index.html"], files[0].1);
        // The card store's index, format 1, has no keys.
        assert_eq!(
            parse_keyed(&render(&sample())).unwrap()[".nojekyll"].1,
            None
        );
    }

    #[test]
    fn a_manifest_edited_by_hand_is_not_trusted() {
        let text = render(&sample());
        let edited = text.replacen(" 9 ", " 8 ", 1);
        assert_ne!(edited, text);
        assert!(parse(&edited).is_none());
        assert!(parse("burnrate-manifest 3 0\n").is_none());
        assert!(parse("").is_none());
    }
}
