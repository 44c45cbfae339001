//! The one font every report is set in: Noto Sans JP (OFL, assets/fonts),
//! compiled into the binary so no machine needs it installed.
//!
//! Nothing parses the 5 MB font at run time: the build script (`core/build.rs`)
//! reads each Basic Multilingual Plane character's glyph id and advance into a
//! table compiled in beside the font, and `pdf` cuts the glyphs a report shows
//! straight out of the font's bytes before printpdf parses them. Parsing it and building that table in the
//! process took about 150 ms of every fresh `kizuna report`, a hundred times
//! the rest of a 200-site report.

/// The font file, embedded as a subset of it in each PDF.
pub static FONT_BYTES: &[u8] = include_bytes!("../../../../assets/fonts/NotoSansJP-Regular.ttf");

/// Per BMP code point: glyph id, then advance in thousandths of an em (u16 LE each).
static BMP: &[u8; 4 * 0x1_0000] = include_bytes!(concat!(env!("OUT_DIR"), "/font_bmp.bin"));

/// The font's glyph count, for tests of the table.
pub mod metrics {
    include!(concat!(env!("OUT_DIR"), "/font_metrics.rs"));
}

/// The report font's measures. Line breaking measures every character of every
/// cell, so each is one table read.
pub struct Face {
    /// Advance used for characters the table does not cover.
    fallback: u16,
}

static FACE: Face = Face { fallback: 1000 };

/// The report font.
pub fn face() -> &'static Face {
    &FACE
}

/// The (glyph id, advance) entry of a BMP code point.
fn entry(cp: usize) -> (u16, u16) {
    let i = 4 * cp;
    (u16::from_le_bytes([BMP[i], BMP[i + 1]]), u16::from_le_bytes([BMP[i + 2], BMP[i + 3]]))
}

impl Face {
    /// Advance of `c` in thousandths of an em.
    pub fn advance(&self, c: char) -> u16 {
        let cp = c as usize;
        if cp < 0x1_0000 { entry(cp).1 } else { self.fallback }
    }

    /// Whether the font can draw `c`; anything else would print as an empty box.
    pub fn covers(&self, c: char) -> bool {
        let cp = c as usize;
        cp < 0x1_0000 && (entry(cp).1 != 0 || c == ' ')
    }

    /// The font's glyph for `c`; 0 (.notdef) where it has none. Only BMP
    /// characters are covered, so only they have one.
    pub fn glyph(&self, c: char) -> u16 {
        let cp = c as usize;
        if cp < 0x1_0000 { entry(cp).0 } else { 0 }
    }

    /// Width of `s` in points at `size`.
    pub fn width(&self, s: &str, size: f32) -> f32 {
        let units: u32 = s.chars().map(|c| u32::from(self.advance(c))).sum();
        units as f32 * size / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::{face, metrics};

    #[test]
    fn the_build_time_table_matches_the_font() {
        let f = face();
        // Latin, kana and kanji are drawn; a Latin letter is narrower than a full-width character.
        for c in ['A', 'a', '1', 'あ', 'ア', '日', '本', '遠', '—', '–', '（'] {
            assert!(f.covers(c), "{c}");
            assert_ne!(f.glyph(c), 0, "{c}");
            assert!(f.glyph(c) < metrics::GLYPH_COUNT, "{c}");
        }
        assert_eq!(f.advance('あ'), 1000);
        assert!(f.advance('i') < f.advance('M'));
        assert!(f.covers(' '));
        // Control characters and astral-plane emoji are not in Noto Sans JP.
        for c in ['\u{1}', '😀'] {
            assert!(!f.covers(c), "{c:?}");
        }
        assert_eq!(f.glyph('😀'), 0);
    }
}
