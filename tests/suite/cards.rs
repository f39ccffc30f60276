//! Social cards: every shared page names a real 1200×630 PNG in the output with the meta tags
//! networks read; cards are drawn once and kept (`.burnrate-cache/cards/`), a damaged kept card
//! is drawn again, two builds are byte-identical, a character the card font lacks is an error
//! at its place, the English edition's cards are in English, and the preview draws none.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::common::{TempSite, fixture, snapshot};

const BASE_URL: &str = "https://example.org/mini/";
const CACHE: &str = ".burnrate-cache/cards";

/// The `content` of the first `<meta property|name="key">` of `html`.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    let at = html
        .find(&format!("property=\"{key}\" content=\""))
        .or_else(|| html.find(&format!("name=\"{key}\" content=\"")))?;
    let rest = &html[at..];
    let start = rest.find("content=\"")? + "content=\"".len();
    let end = rest[start..].find('"')?;
    Some(&rest[start..start + end])
}

/// Every HTML page of `out` that extends the site's layout, by path.
fn pages(out: &Path) -> Vec<(PathBuf, String)> {
    WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().to_path_buf();
            (rel, fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// The width and height of a PNG, decoded whole (so a damaged one fails).
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(bytes);
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("the PNG decodes");
    (info.width, info.height)
}

/// Each kept card's inode and modification time, by name: a card drawn again is a new file.
fn kept(site: &TempSite) -> BTreeMap<String, (u64, i64, i64)> {
    fs::read_dir(site.path(CACHE))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")
        })
        .map(|e| {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, (m.ino(), m.mtime(), m.mtime_nsec()))
        })
        .collect()
}

#[test]
fn every_shared_page_names_its_card_a_png_of_1200_by_630_with_the_meta_tags() {
    let site = fixture("minimal");
    site.build().expect("builds");
    let out = site.public();
    let mut with_card = 0;
    for (rel, html) in pages(&out) {
        let shared = !(rel.starts_with("embed") || rel == Path::new("404.html"));
        let image = meta(&html, "og:image");
        if !shared {
            assert_eq!(image, None, "{}: no card", rel.display());
            continue;
        }
        let image = image.unwrap_or_else(|| panic!("{}: no og:image", rel.display()));
        // Absolute, under the base URL, beside the page.
        let page_dir = rel.parent().unwrap().to_string_lossy().into_owned();
        let expected = if page_dir.is_empty() {
            format!("{BASE_URL}card.png")
        } else {
            format!("{BASE_URL}{page_dir}/card.png")
        };
        assert_eq!(image, expected, "{}", rel.display());
        let file = out.join(image.strip_prefix(BASE_URL).unwrap());
        let bytes = fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(png_size(&bytes), (1200, 630), "{}", file.display());
        assert_eq!(meta(&html, "og:image:width"), Some("1200"));
        assert_eq!(meta(&html, "og:image:height"), Some("630"));
        assert_eq!(meta(&html, "og:image:type"), Some("image/png"));
        assert_eq!(meta(&html, "twitter:card"), Some("summary_large_image"));
        assert_eq!(meta(&html, "twitter:image"), Some(image));
        assert_eq!(meta(&html, "og:locale"), Some("zh_CN"));
        let alt = meta(&html, "og:image:alt").unwrap();
        assert!(alt.starts_with("测试站点："), "{}: {alt}", rel.display());
        with_card += 1;
    }
    // Home, 2 sections, companies and 2 companies, data, corrections, method.
    assert_eq!(with_card, 9);
    // The section's card shows its chart's figures, qualifiers included, and says so in words;
    // the JSON-LD image is the card.
    let section = site.read("public/sections/intro/index.html");
    assert_eq!(
        meta(&section, "og:image:alt"),
        Some("测试站点：开篇。融到的钱与赚到的钱（融资额）：阿尔法 超过70亿美元；市场 3300亿美元")
    );
    assert!(section.contains(&format!("\"image\":\"{BASE_URL}sections/intro/card.png\"")));
}

#[test]
fn the_english_edition_gets_cards_in_english_beside_its_pages() {
    let site = fixture("bilingual");
    site.build().expect("builds");
    let out = site.public();
    let english: Vec<(PathBuf, String)> = pages(&out)
        .into_iter()
        .filter(|(rel, _)| rel.starts_with("en") && !rel.starts_with("en/embed"))
        .collect();
    // Home, a section, companies and 2 companies, data, corrections, method.
    assert_eq!(english.len(), 8);
    for (rel, html) in &english {
        let image = meta(html, "og:image").unwrap_or_else(|| panic!("{}", rel.display()));
        let page_dir = rel.parent().unwrap().to_string_lossy().into_owned();
        assert_eq!(image, format!("{BASE_URL}{page_dir}/card.png"));
        let bytes = fs::read(out.join(image.strip_prefix(BASE_URL).unwrap())).unwrap();
        assert_eq!(png_size(&bytes), (1200, 630), "{}", rel.display());
        // The edition's own locale, the other as an alternate, beside the card.
        assert_eq!(meta(html, "og:locale"), Some("en_US"));
        assert_eq!(meta(html, "og:locale:alternate"), Some("zh_CN"));
        assert!(
            meta(html, "og:image:alt")
                .unwrap()
                .starts_with("Test site: "),
            "{}",
            rel.display()
        );
    }
    // English words, figures and punctuation; the Chinese card is not the English one.
    let section = site.read("public/en/sections/intro/index.html");
    assert_eq!(
        meta(&section, "og:image:alt"),
        Some(
            "Test site: Opening. Money raised and money earned (Funding): Alpha more than $7bn; \
             Market $330bn"
        )
    );
    let home = site.read("public/en/index.html");
    assert_eq!(
        meta(&home, "og:image:alt"),
        Some("Test site: Test site. Alpha · Revenue · 2023: about $1.6 billion")
    );
    assert_ne!(
        fs::read(out.join("en/card.png")).unwrap(),
        fs::read(out.join("card.png")).unwrap()
    );
}

#[test]
fn the_preview_draws_no_card_but_its_pages_name_theirs() {
    let site = fixture("bilingual");
    let mut session = burnrate::serve::Session::new(site.root(), Some(BASE_URL));
    let files = session.rebuild(&[]).expect("renders").files;
    assert!(!files.keys().any(|p| burnrate::render::is_card(p)));
    let home = String::from_utf8_lossy(&files["en/index.html"]).into_owned();
    assert_eq!(
        meta(&home, "og:image"),
        Some(&*format!("{BASE_URL}en/card.png"))
    );
    assert!(!site.path(CACHE).exists(), "nothing drawn, nothing kept");
}

#[test]
fn a_second_build_draws_no_card_and_two_builds_are_byte_identical() {
    let site = fixture("minimal");
    site.build().expect("builds");
    let first = snapshot(&site.public());
    let cards = kept(&site);
    assert_eq!(cards.len(), 9, "one kept card per page: {cards:?}");
    fs::remove_dir_all(site.public()).unwrap();
    site.build().expect("builds again");
    // Not one kept card was written again, and the output is the same.
    assert_eq!(kept(&site), cards);
    assert_eq!(snapshot(&site.public()), first);
    // Without the kept cards, every card is drawn again, to the same bytes.
    fs::remove_dir_all(site.path(".burnrate-cache")).unwrap();
    fs::remove_dir_all(site.public()).unwrap();
    site.build().expect("builds without kept cards");
    assert_eq!(snapshot(&site.public()), first);
}

#[test]
fn a_damaged_kept_card_is_drawn_again_not_published() {
    let site = fixture("minimal");
    site.build().expect("builds");
    let good = fs::read(site.path("public/sections/intro/card.png")).unwrap();
    let cards = kept(&site);
    // Each kept card damaged differently: cut short, one byte flipped, emptied.
    let names: Vec<&String> = cards.keys().collect();
    for (i, name) in names.iter().enumerate() {
        let path = site.path(CACHE).join(name);
        let mut bytes = fs::read(&path).unwrap();
        match i % 3 {
            0 => bytes.truncate(bytes.len() / 2),
            1 => {
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0x40;
            }
            _ => bytes.clear(),
        }
        fs::write(&path, bytes).unwrap();
        edited_later(&path);
    }
    fs::remove_dir_all(site.public()).unwrap();
    site.build().expect("builds");
    assert_eq!(
        fs::read(site.path("public/sections/intro/card.png")).unwrap(),
        good
    );
    for (name, before) in kept(&site) {
        assert_ne!(Some(&before), cards.get(&name), "{name} was drawn again");
        let bytes = fs::read(site.path(CACHE).join(&name)).unwrap();
        assert_eq!(png_size(&bytes), (1200, 630), "{name} repaired");
    }
    for (rel, _) in pages(&site.public()) {
        let card = site.public().join(rel.parent().unwrap()).join("card.png");
        if card.exists() {
            assert_eq!(png_size(&fs::read(&card).unwrap()), (1200, 630));
        }
    }
}

/// Gives `path` a modification time later than any build of the test has made, as an edit
/// made a moment after the build would have (file times can be coarser than a build is short).
fn edited_later(path: &Path) {
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(later).unwrap();
}

#[test]
fn a_kept_card_is_linked_into_the_output_and_an_edit_through_the_link_is_not_published() {
    let site = fixture("minimal");
    site.build().expect("builds");
    let card = site.path("public/sections/intro/card.png");
    let good = fs::read(&card).unwrap();
    // The published card is the kept file under a second name: its bytes are written once.
    let inode = fs::metadata(&card).unwrap().ino();
    assert!(kept(&site).values().any(|k| k.0 == inode), "linked");
    // Edited in place in the output, which edits the kept file too.
    let mut edited = good.clone();
    let middle = edited.len() / 2;
    edited[middle] ^= 0x40;
    fs::write(&card, &edited).unwrap();
    edited_later(&card);
    site.build().expect("builds again");
    assert_eq!(fs::read(&card).unwrap(), good, "drawn again, not published");
    let cards = kept(&site);
    assert!(
        cards.values().all(|k| k.0 != inode),
        "the edited file is no longer kept"
    );
    let again = fs::metadata(&card).unwrap().ino();
    assert!(
        cards.values().any(|k| k.0 == again),
        "the new card is linked"
    );
}

#[test]
fn a_title_the_card_font_cannot_draw_is_an_error_at_its_character() {
    let site = fixture("minimal");
    site.build().expect("builds");
    let before = snapshot(&site.public());
    site.replace(
        "content/sections/01-intro.md",
        "title: 开篇",
        "title: 开篇🚀",
    );
    let err = site.build().expect_err("refused").to_string();
    let file = site.path("content/sections/01-intro.md");
    assert_eq!(
        err,
        format!(
            "{}:2:10: the social card of this page would show `开篇🚀`, but its character `🚀` \
             (U+1F680) is not in the card font (the Chinese characters of GB 2312, Latin letters \
             and common punctuation); write it another way\n1 problem found; nothing was written",
            file.display()
        )
    );
    assert_eq!(
        snapshot(&site.public()),
        before,
        "the last good output is kept"
    );
}

#[test]
fn kept_cards_stay_in_their_folder_and_a_linked_folder_is_not_written_through() {
    let site = fixture("minimal");
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), site.path(".burnrate-cache")).unwrap();
    site.build().expect("builds without keeping cards");
    assert_eq!(fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    let card = fs::read(site.path("public/card.png")).unwrap();
    assert_eq!(png_size(&card), (1200, 630));
}
