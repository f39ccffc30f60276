//! The card font: a subset of Noto Sans CJK SC Bold shipped in `fonts/` (SIL OFL 1.1; made by
//! `fonts/subset.py`), compiled into the program. Cards are drawn with it alone, never with the
//! fonts of the machine that builds, so every machine draws the same pixels.

use std::sync::{Arc, OnceLock};

use resvg::usvg::fontdb;

use crate::write::manifest;

/// The font file's bytes.
pub const DATA: &[u8] = include_bytes!("../../fonts/NotoSansSC-Bold-subset.otf");

/// The font's family name, as cards' SVG asks for it.
pub const FAMILY: &str = "Noto Sans CJK SC";

fn face() -> &'static ttf_parser::Face<'static> {
    static FACE: OnceLock<ttf_parser::Face<'static>> = OnceLock::new();
    // The file is part of the program and tested to parse (see the tests below).
    FACE.get_or_init(|| ttf_parser::Face::parse(DATA, 0).expect("the card font parses"))
}

/// True for characters a card never draws a glyph for: line breaks and other controls.
fn invisible(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}')
}

/// Marks a character without a glyph in [`advances`].
const NO_GLYPH: u16 = u16::MAX;

/// The advance of every character of the Basic Multilingual Plane, in font units, or
/// [`NO_GLYPH`]: looked up once, since ten thousand cards measure their lines character by
/// character and the font's own table is a binary search. Only the characters the font's
/// Unicode tables list are looked up (about 7 500, not all 65 536: a tenth of a millisecond
/// rather than several, which a small site's whole build would notice).
fn advances() -> &'static [u16] {
    static ADVANCES: OnceLock<Vec<u16>> = OnceLock::new();
    ADVANCES.get_or_init(|| {
        let face = face();
        let mut table = vec![NO_GLYPH; 0x1_0000];
        let unicode = face.tables().cmap.into_iter().flat_map(|c| c.subtables);
        for subtable in unicode.filter(|s| s.is_unicode()) {
            subtable.codepoints(|u| {
                if let Some(slot) = table.get_mut(u as usize).filter(|s| **s == NO_GLYPH)
                    && let Some(glyph) = char::from_u32(u).and_then(|c| face.glyph_index(c))
                {
                    *slot = face.glyph_hor_advance(glyph).unwrap_or(0);
                }
            });
        }
        table
    })
}

/// The advance of `c` in font units, or `None` when the font has no glyph for it.
fn advance(c: char) -> Option<u16> {
    match advances().get(c as usize) {
        Some(&NO_GLYPH) => None,
        Some(&a) => Some(a),
        None => {
            let face = face();
            face.glyph_index(c)
                .map(|g| face.glyph_hor_advance(g).unwrap_or(0))
        }
    }
}

/// The first character of `text` the card font has no glyph for.
pub fn missing(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| !invisible(c) && advance(c).is_none())
}

/// The width of `text` drawn at `size` pixels, from the glyphs' advances (no kerning: the
/// layout leaves room for it).
pub fn width(text: &str, size: f64) -> f64 {
    let em = face().units_per_em();
    let units: u32 = text
        .chars()
        .filter(|&c| !invisible(c))
        .map(|c| u32::from(advance(c).unwrap_or(em)))
        .sum();
    f64::from(units) * size / f64::from(em)
}

/// A fingerprint of the font's bytes ([`manifest::hash`]), for cards' cache keys: every build
/// that keys a card hashes the whole 2.8 MB (SipHash took 0.8 ms of it).
pub fn fingerprint() -> u64 {
    static PRINT: OnceLock<u64> = OnceLock::new();
    *PRINT.get_or_init(|| manifest::hash(DATA))
}

/// A font database holding the card font only.
pub fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    Arc::clone(DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_source(fontdb::Source::Binary(Arc::new(DATA)));
        Arc::new(db)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_covers_the_sites_characters_and_no_system_font_is_loaded() {
        assert_eq!(
            missing("烧钱竞赛：AI初创公司的资金困局（2024年）约16亿美元 — “OK”…"),
            None
        );
        assert_eq!(missing("𠀀"), Some('𠀀'));
        let db = database();
        assert_eq!(db.len(), 1);
        let family = db.faces().next().map(|f| f.families[0].0.clone());
        assert_eq!(family.as_deref(), Some(FAMILY));
    }

    #[test]
    fn the_table_of_advances_is_the_fonts_own_lookup() {
        let face = face();
        // U+FFFF, a noncharacter, ends the font's segment table: the lookup maps it to glyph 0
        // (the empty box), the listing leaves it out; a card must not draw it.
        assert_eq!(advances()[0xFFFF], NO_GLYPH);
        for u in 0..0xFFFF_u32 {
            let looked_up = char::from_u32(u)
                .and_then(|c| face.glyph_index(c))
                .map_or(NO_GLYPH, |g| face.glyph_hor_advance(g).unwrap_or(0));
            assert_eq!(advances()[u as usize], looked_up, "U+{u:04X}");
        }
    }

    #[test]
    fn widths_follow_the_glyphs() {
        // CJK glyphs are one em wide; Latin ones narrower.
        assert!((width("中文", 50.0) - 100.0).abs() < 0.01);
        assert!(width("ii", 50.0) < width("中", 50.0));
    }
}
