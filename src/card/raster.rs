//! Drawing a card's SVG into a PNG with resvg.
//!
//! Cards are flat: a few colours and their anti-aliased edges, nearly always 256 colours or
//! fewer, so the PNG is written with a palette (a third of the size of RGB); a card with more
//! colours is written as RGB. Both are lossless: the pixels are resvg's. The PNG is written
//! here (four chunks) rather than by the `png` crate, whose fixed compression settings were
//! either slow (22 ms a card) or twice the size.

use std::collections::HashMap;

use miniz_oxide::deflate::compress_to_vec_zlib;
use resvg::{tiny_skia, usvg};

use super::{HEIGHT, WIDTH, font};

/// Draws `svg` (a card) into a PNG of [`WIDTH`]×[`HEIGHT`].
pub fn png(svg: &str) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_str(svg, &options()).map_err(|e| e.to_string())?;
    PIXMAP.with_borrow_mut(|kept| {
        // Each thread draws its cards on one pixmap, cleared for each: 3 MB allocated and
        // paged in once, not once a card (with jemalloc, 95 000 page faults per 100 cards).
        let pixmap = match kept {
            Some(pixmap) => {
                pixmap.fill(tiny_skia::Color::TRANSPARENT);
                pixmap
            }
            None => kept.insert(
                tiny_skia::Pixmap::new(WIDTH, HEIGHT)
                    .ok_or_else(|| "no room for a card".to_string())?,
            ),
        };
        resvg::render(
            &tree,
            tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
        Ok(encode(pixmap.data()))
    })
}

/// How SVG is read for drawing: with the card font only, never the machine's.
pub fn options() -> usvg::Options<'static> {
    usvg::Options {
        fontdb: font::database(),
        font_family: font::FAMILY.to_string(),
        ..usvg::Options::default()
    }
}

thread_local! {
    /// The pixmap this thread draws its cards on.
    static PIXMAP: std::cell::RefCell<Option<tiny_skia::Pixmap>> = const { std::cell::RefCell::new(None) };
}

/// How hard the pixels are compressed (zlib level). On a typical card: level 6 takes 8 ms for
/// 23 KB; level 9 saves 4 % of the bytes at four times the time; level 2 halves the time for
/// 16 % more bytes, which every warm build then reads and writes.
const LEVEL: u8 = 6;

/// The PNG of opaque RGBA pixels (a card paints its whole background), every row unfiltered:
/// filters help photographs, not flat colours and palette indices.
fn encode(rgba: &[u8]) -> Vec<u8> {
    let mut palette: Vec<[u8; 3]> = Vec::new();
    let mut index: HashMap<[u8; 3], u8> = HashMap::new();
    let row = WIDTH as usize;
    let mut raw = Vec::with_capacity(rgba.len() / 4 + HEIGHT as usize);
    // Most pixels repeat the one before (the paper, a bar): only new colours are looked up.
    let mut last: Option<([u8; 3], u8)> = None;
    for (n, px) in rgba.chunks_exact(4).enumerate() {
        if n % row == 0 {
            raw.push(0);
        }
        let rgb = [px[0], px[1], px[2]];
        if let Some((colour, i)) = last
            && colour == rgb
        {
            raw.push(i);
            continue;
        }
        let i = match index.get(&rgb) {
            Some(&i) => i,
            None if palette.len() < 256 => {
                let i = palette.len() as u8;
                palette.push(rgb);
                index.insert(rgb, i);
                i
            }
            None => return encode_rgb(rgba),
        };
        last = Some((rgb, i));
        raw.push(i);
    }
    let mut out = header(3);
    chunk(&mut out, b"PLTE", &palette.concat());
    chunk(&mut out, b"IDAT", &compress_to_vec_zlib(&raw, LEVEL));
    chunk(&mut out, b"IEND", &[]);
    out
}

/// The PNG of opaque RGBA pixels as RGB, for a card of more than 256 colours.
fn encode_rgb(rgba: &[u8]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(rgba.len() / 4 * 3 + HEIGHT as usize);
    for line in rgba.chunks_exact(WIDTH as usize * 4) {
        raw.push(0);
        raw.extend(line.chunks_exact(4).flat_map(|px| [px[0], px[1], px[2]]));
    }
    let mut out = header(2);
    chunk(&mut out, b"IDAT", &compress_to_vec_zlib(&raw, LEVEL));
    chunk(&mut out, b"IEND", &[]);
    out
}

/// The signature every PNG starts with.
const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The signature and header of a card's PNG of colour type `colour` (2 RGB, 3 palette), 8 bits.
fn header(colour: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 * 1024);
    out.extend_from_slice(SIGNATURE);
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&WIDTH.to_be_bytes());
    ihdr.extend_from_slice(&HEIGHT.to_be_bytes());
    // Bit depth, colour type, deflate, adaptive filtering, no interlace.
    ihdr.extend_from_slice(&[8, colour, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    out
}

/// Appends a PNG chunk: length, type, data and the CRC of type and data.
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample;
    use super::super::{Body, ChartRow};
    use super::*;

    #[test]
    fn a_card_is_a_small_png_of_the_right_size() {
        let card = sample(Body::Chart {
            title: "融资与营收".into(),
            rows: vec![
                ChartRow {
                    label: "OpenAI".into(),
                    text: "约16亿美元".into(),
                    bar: Some((1.0, None)),
                },
                ChartRow {
                    label: "Anthropic".into(),
                    text: "1亿至2亿美元".into(),
                    bar: Some((0.5, Some(0.25))),
                },
            ],
        });
        let png = png(&card.svg()).unwrap();
        assert!(png.len() < 60_000, "{} bytes", png.len());
        let decoder = ::png::Decoder::new(png.as_slice());
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (WIDTH, HEIGHT));
        // The same SVG, the same bytes, on the pixmap other drawings used before: a
        // translucent one drawn twice is not drawn over itself.
        let red = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"><rect width="{WIDTH}" height="{HEIGHT}" fill="red" fill-opacity="0.5"/></svg>"#
        );
        let once = super::png(&red).unwrap();
        assert_eq!(super::png(&red).unwrap(), once);
        assert_eq!(super::png(&card.svg()).unwrap(), png);
    }
}
