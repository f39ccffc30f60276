//! Social cards: the 1200×630 PNG a shared link shows (`og:image`), drawn from an SVG at build
//! time with resvg, in the card font shipped in `fonts/` and no other.
//!
//! [`Card`] is what a card shows; [`Card::svg`] lays it out ([`layout`] wraps its lines),
//! [`raster::png`] draws it, and [`store::Store`] keeps what was drawn on disk between builds,
//! under a key that covers every input of the PNG ([`key`]). `serve` draws no card.

pub mod draw;
pub mod font;
pub mod layout;
pub mod raster;
pub mod store;

use crate::strings::Punctuation;

/// Width of a card in pixels.
pub const WIDTH: u32 = 1200;
/// Height of a card in pixels.
pub const HEIGHT: u32 = 630;

/// The code that turns a [`Card`] into a PNG: this module and its drawing, layout, font and
/// raster modules, and the escaping its SVG uses, as compiled into this burnrate. Part of every
/// card's cache key, so a card drawn by other code is never published.
const DRAWING_CODE: [&str; 6] = [
    include_str!("card.rs"),
    include_str!("card/draw.rs"),
    include_str!("card/layout.rs"),
    include_str!("card/font.rs"),
    include_str!("card/raster.rs"),
    include_str!("html.rs"),
];

/// A fingerprint of [`DRAWING_CODE`].
fn drawing_code() -> u64 {
    static PRINT: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *PRINT.get_or_init(|| {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        DRAWING_CODE.hash(&mut h);
        h.finish()
    })
}

/// The crates whose versions decide a card's pixels.
const DRAWING_CRATES: [&str; 8] = [
    "resvg",
    "usvg",
    "tiny-skia",
    "tiny-skia-path",
    "rustybuzz",
    "ttf-parser",
    "fontdb",
    "miniz_oxide",
];

/// The versions of the crates that draw cards, as `Cargo.lock` pins them (`resvg 0.45.1, …`):
/// an upgrade of any of them changes every card's key, so no card drawn by an older renderer is
/// published.
pub fn renderer() -> &'static str {
    static RENDERER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    RENDERER.get_or_init(|| {
        let lock = include_str!("../Cargo.lock");
        let mut found = Vec::new();
        let mut lines = lock.lines();
        while let Some(line) = lines.next() {
            let Some(name) = line
                .strip_prefix("name = \"")
                .and_then(|n| n.strip_suffix('"'))
            else {
                continue;
            };
            if DRAWING_CRATES.contains(&name)
                && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = "))
            {
                found.push(format!("{name} {}", version.trim_matches('"')));
            }
        }
        found.join(", ")
    })
}

/// What one card shows.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Card {
    /// The site's name, at the top.
    pub site: String,
    /// The page's title, large.
    pub title: String,
    /// The figure or chart under the title, or the page's summary.
    pub body: Body,
    /// The source line at the bottom (`来源：…`), when the card shows a figure.
    pub source: Option<String>,
    /// The site's address, at the bottom right (`burnrate-news.github.io/ai-bubble`).
    pub address: String,
    /// The edition's punctuation, for the alt text (`：` or `: `).
    pub punctuation: Punctuation,
}

/// What a card shows under its title.
#[derive(Debug, Clone, PartialEq, Hash)]
pub enum Body {
    /// A sentence about the page.
    Summary(String),
    /// One figure as the site prints it, qualifier included (`约16亿美元`), and what it is.
    Figure {
        /// The figure (`约16亿美元`).
        value: String,
        /// What it counts, whose and when (`OpenAI · 2023年营收`).
        label: String,
    },
    /// A small bar chart: its title and up to [`draw::CHART_ROWS`] rows.
    Chart {
        /// The chart's title.
        title: String,
        /// Rows, each a label, the value as printed, and the bar (from zero) if it has one.
        rows: Vec<ChartRow>,
    },
}

/// One row of a card's chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartRow {
    /// The row's label (a company).
    pub label: String,
    /// The value as the site prints it, qualifier included.
    pub text: String,
    /// The bar: its length as a share of the longest (0 to 1), and where a range starts.
    pub bar: Option<(f64, Option<f64>)>,
}

impl std::hash::Hash for ChartRow {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (&self.label, &self.text).hash(h);
        self.bar
            .map(|(len, from)| (len.to_bits(), from.map(f64::to_bits)))
            .hash(h);
    }
}

impl Card {
    /// Every text the card draws, in drawing order.
    pub fn texts(&self) -> Vec<&str> {
        let mut texts = vec![self.site.as_str(), self.title.as_str()];
        match &self.body {
            Body::Summary(s) => texts.push(s),
            Body::Figure { value, label } => texts.extend([value.as_str(), label.as_str()]),
            Body::Chart { title, rows } => {
                texts.push(title);
                for r in rows {
                    texts.extend([r.label.as_str(), r.text.as_str()]);
                }
            }
        }
        texts.extend(self.source.as_deref());
        texts.push(&self.address);
        texts
    }

    /// The first character of the card's text that the card font cannot draw, and the text it
    /// is in.
    pub fn missing_glyph(&self) -> Option<(char, &str)> {
        self.texts()
            .into_iter()
            .find_map(|t| font::missing(t).map(|c| (c, t)))
    }

    /// The card as SVG (see [`draw`]).
    pub fn svg(&self) -> String {
        draw::svg(self)
    }

    /// What a reader who cannot see the card is told it shows: `og:image:alt`.
    pub fn alt(&self) -> String {
        let Punctuation {
            colon,
            stop,
            semicolon,
            ..
        } = &self.punctuation;
        let mut alt = format!("{}{colon}{}", self.site, self.title);
        match &self.body {
            Body::Summary(_) => {}
            Body::Figure { value, label } => {
                alt.push_str(&format!("{stop}{label}{colon}{value}"));
            }
            Body::Chart { title, rows } => {
                alt.push_str(&format!("{stop}{title}{colon}"));
                let rows: Vec<String> = rows
                    .iter()
                    .map(|r| format!("{} {}", r.label, r.text))
                    .collect();
                alt.push_str(&rows.join(semicolon));
            }
        }
        alt
    }
}

/// The cache key of `card`'s PNG: 32 hex digits covering what the card shows, the code that
/// draws it (`DRAWING_CODE`), the card font's bytes and the [`renderer`], that is everything
/// the PNG is made from. Found without laying the card out, which only a card not yet kept needs.
pub fn key(card: &Card) -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let half = |salt: u8| {
        let mut h = DefaultHasher::new();
        (salt, drawing_code(), renderer(), font::fingerprint(), card).hash(&mut h);
        h.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample(body: Body) -> Card {
        Card {
            site: "烧钱竞赛".into(),
            title: "OpenAI：少数跑通收费模式的玩家".into(),
            body,
            source: Some("来源：The Information".into()),
            address: "burnrate-news.github.io/ai-bubble".into(),
            punctuation: Punctuation::default(),
        }
    }

    #[test]
    fn the_key_covers_what_the_card_shows_and_the_code_that_draws_it() {
        let a = sample(Body::Summary("一".into()));
        let b = sample(Body::Summary("二".into()));
        assert_eq!(key(&a), key(&a.clone()));
        assert_ne!(key(&a), key(&b));
        assert_eq!(key(&a).len(), 32);
        let mut p = a.clone();
        p.punctuation.colon = ": ".into();
        assert_ne!(key(&a), key(&p));
        // The drawing code is this very source, as compiled.
        assert!(DRAWING_CODE[0].contains("fn the_key_covers_what_the_card_shows"));
        assert!(DRAWING_CODE[1].contains("pub fn svg("));
    }

    #[test]
    fn the_key_covers_the_renderers_versions() {
        let renderer = renderer();
        for name in DRAWING_CRATES {
            assert!(
                renderer.contains(&format!("{name} ")),
                "{name} in {renderer}"
            );
        }
        assert!(renderer.contains("resvg 0.45."), "{renderer}");
    }

    #[test]
    fn alt_text_keeps_the_qualifier() {
        let card = sample(Body::Figure {
            value: "约16亿美元".into(),
            label: "OpenAI · 2023年营收".into(),
        });
        assert_eq!(
            card.alt(),
            "烧钱竞赛：OpenAI：少数跑通收费模式的玩家。OpenAI · 2023年营收：约16亿美元"
        );
    }

    #[test]
    fn a_character_outside_the_font_is_found() {
        let mut card = sample(Body::Summary("好".into()));
        assert_eq!(card.missing_glyph(), None);
        card.title = "火箭🚀".into();
        assert_eq!(card.missing_glyph(), Some(('🚀', "火箭🚀")));
    }
}
