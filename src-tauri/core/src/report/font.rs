//! The one font every report is set in: Noto Sans JP (OFL, assets/fonts),
//! compiled into the binary so no machine needs it installed. Parsing 5 MB of
//! TrueType takes tens of milliseconds, so it happens once per process; the
//! advance widths of the Basic Multilingual Plane are read into a table at the
//! same time, because line breaking measures every character of every cell.

use std::sync::OnceLock;

use printpdf::ParsedFont;

use crate::error::{Error, Result};

static FONT_BYTES: &[u8] = include_bytes!("../../../../assets/fonts/NotoSansJP-Regular.ttf");

pub struct Face {
    pub parsed: ParsedFont,
    /// Advance of each BMP code point in thousandths of an em; 0 where the font has no glyph.
    widths: Vec<u16>,
    /// Glyph id of each BMP code point; 0 where the font has none. printpdf
    /// looks a character's glyph up by a linear scan of the font's cmap, three
    /// times per character written, so reports hand it glyph ids instead.
    gids: Vec<u16>,
    /// Advance used for characters the table does not cover.
    fallback: u16,
}

static FACE: OnceLock<std::result::Result<Face, String>> = OnceLock::new();

fn load() -> std::result::Result<Face, String> {
    let parsed = ParsedFont::from_bytes(FONT_BYTES, 0, &mut Vec::new())
        .ok_or_else(|| "the embedded Noto Sans JP font could not be parsed".to_string())?;
    let upem = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
    let mut widths = vec![0u16; 0x1_0000];
    let mut gids = vec![0u16; 0x1_0000];
    for (cp, (slot, g)) in widths.iter_mut().zip(gids.iter_mut()).enumerate() {
        if let Some(gid) = parsed.lookup_glyph_index(cp as u32) {
            *slot = (f32::from(parsed.get_horizontal_advance(gid)) * 1000.0 / upem).round() as u16;
            *g = gid;
        }
    }
    Ok(Face { parsed, widths, gids, fallback: 1000 })
}

/// The parsed face, loaded on first use.
pub fn face() -> Result<&'static Face> {
    FACE.get_or_init(load).as_ref().map_err(|e| Error::Report(e.clone()))
}

impl Face {
    /// Advance of `c` in thousandths of an em.
    pub fn advance(&self, c: char) -> u16 {
        let cp = c as usize;
        if cp < self.widths.len() { self.widths[cp] } else { self.fallback }
    }

    /// Whether the font can draw `c`; anything else would print as an empty box.
    pub fn covers(&self, c: char) -> bool {
        let cp = c as usize;
        cp < self.widths.len() && (self.widths[cp] != 0 || c == ' ')
    }

    /// The font's glyph for `c`; 0 (.notdef) where it has none.
    pub fn glyph(&self, c: char) -> u16 {
        let cp = c as usize;
        if cp < self.gids.len() { self.gids[cp] } else { self.parsed.lookup_glyph_index(cp as u32).unwrap_or(0) }
    }

    /// Width of `s` in points at `size`.
    pub fn width(&self, s: &str, size: f32) -> f32 {
        let units: u32 = s.chars().map(|c| u32::from(self.advance(c))).sum();
        units as f32 * size / 1000.0
    }
}
