//! Turns laid-out pages into PDF bytes that depend only on their input.
//!
//! The document is written object by object with lopdf: the pages' content
//! streams are the layout's own (see `layout`), and the font is a Type 0 font
//! over a CID TrueType subset cut from the embedded font's bytes by typst's
//! `subsetter`, with its widths and a ToUnicode map from the build-time table
//! (`font`). printpdf did this before by parsing the whole 5 MB font in every
//! process. The creation date comes from the caller (the data's own date) and
//! the trailer /ID is a digest of the finished content, so the same records
//! give the same bytes.

use std::fmt::Write as _;
use std::io::Write;

use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat, dictionary};
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use super::font::{FONT_BYTES, Face, metrics};
use super::layout::{PAGE_H, PAGE_W, Pages};
use crate::error::{Error, Result};

/// The font's resource name, and the subset tag before its PostScript name.
pub const FONT: &str = "KZNAJP";

pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub lang: &'a str,
    pub created: DateTime<Utc>,
}

pub fn render(face: &Face, pages: Pages, meta: &Meta<'_>) -> Result<Vec<u8>> {
    let mut doc = Document::with_version("1.7");
    let (font, code) = embed_font(&mut doc, face, &pages.glyphs)?;
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { FONT => font } });
    let pages_id = doc.new_object_id();
    let count = pages.contents.len();
    let mut kids = Vec::with_capacity(count);
    for content in pages.contents {
        let content = doc.add_object(Stream::new(Dictionary::new(), renumber(&content, &code)));
        let page = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), PAGE_W.into(), PAGE_H.into()],
            "Resources" => resources,
            "Contents" => content,
        };
        kids.push(Object::Reference(doc.add_object(page)));
    }
    let count = i64::try_from(count).map_err(|_| Error::Report("too many pages".into()))?;
    doc.objects.insert(pages_id, dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }.into());
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
        "Lang" => Object::String(meta.lang.as_bytes().to_vec(), StringFormat::Literal),
    });
    let date =
        Object::String(meta.created.format("D:%Y%m%d%H%M%S+00'00'").to_string().into_bytes(), StringFormat::Literal);
    let info = doc.add_object(dictionary! {
        "Title" => text_string(meta.title),
        "Author" => text_string(meta.author),
        "Subject" => text_string(meta.subject),
        "Creator" => text_string("Kizuna"),
        "Producer" => text_string("Kizuna (lopdf, subsetter)"),
        "CreationDate" => date.clone(),
        "ModDate" => date,
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);

    // Deflate at level 3. The 10k-site report's 4.9 MB of streams (zlib-rs,
    // release): level 6 took 101 ms for 728 KB, level 3 31 ms for 775 KB,
    // level 2 24 ms for 852 KB; at level 6 deflate was 30% of the process.
    let mut digest = Sha256::new();
    for obj in doc.objects.values_mut() {
        if let Object::Stream(stream) = obj {
            let mut enc = ZlibEncoder::new(Vec::with_capacity(stream.content.len() / 4), Compression::new(3));
            enc.write_all(&stream.content).map_err(|e| Error::Report(format!("compressing a stream: {e}")))?;
            let packed = enc.finish().map_err(|e| Error::Report(format!("compressing a stream: {e}")))?;
            if packed.len() < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(packed);
            }
            digest.update(&stream.content);
        }
    }
    digest.update(meta.title.as_bytes());
    digest.update(meta.created.to_rfc3339().as_bytes());
    let id: String = digest.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect();
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.as_bytes().to_vec(), StringFormat::Literal),
            Object::String(id.as_bytes().to_vec(), StringFormat::Literal),
        ]),
    );
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| Error::Report(format!("writing the PDF: {e}")))?;
    Ok(out)
}

/// A PDF text string: ASCII as it is, anything else UTF-16BE after a byte order mark.
fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// Adds the font, cut to `glyphs` (ascending font glyph ids with the character
/// each was written for), and returns its reference and each font glyph id's
/// code in the subset (0 for glyphs not in it).
fn embed_font(doc: &mut Document, face: &Face, glyphs: &[(u16, char)]) -> Result<(ObjectId, Vec<u16>)> {
    // The subset numbers the glyphs in the order they are given, after .notdef;
    // glyphs that composite glyphs are built of are appended after them.
    // .notdef is in every subset already and stands for no character.
    let glyphs: Vec<(u16, char)> = glyphs.iter().copied().filter(|&(gid, _)| gid != 0).collect();
    let mut remapper = GlyphRemapper::new();
    let mut code = vec![0u16; 0x1_0000];
    for &(gid, _) in &glyphs {
        code[usize::from(gid)] = remapper.remap(gid);
    }
    let program = subsetter::subset(FONT_BYTES, 0, &remapper)
        .map_err(|e| Error::Report(format!("cutting the font subset: {e}")))?;

    let name = format!("{FONT}+{}", metrics::POSTSCRIPT_NAME);
    let length1 = i64::try_from(program.len()).map_err(|_| Error::Report("font subset too large".into()))?;
    let file = doc.add_object(Stream::new(dictionary! { "Length1" => length1 }, program));
    let descriptor = doc.add_object(dictionary! {
        "Type" => "FontDescriptor",
        "FontName" => name.as_str(),
        // Symbolic: the glyphs go beyond the standard Latin set.
        "Flags" => 4,
        "FontBBox" => metrics::BBOX.iter().map(|&v| Object::from(v)).collect::<Vec<_>>(),
        "ItalicAngle" => metrics::ITALIC_ANGLE,
        "Ascent" => metrics::ASCENT,
        "Descent" => metrics::DESCENT,
        "CapHeight" => metrics::CAP_HEIGHT,
        "StemV" => metrics::STEM_V,
        "FontFile2" => file,
    });
    // Codes 1..=n are the shown glyphs in order, so one run of widths covers them.
    let widths: Vec<Object> = glyphs.iter().map(|&(_, c)| Object::from(face.advance(c))).collect();
    let cid_font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "CIDFontType2",
        "BaseFont" => name.as_str(),
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::String(b"Adobe".to_vec(), StringFormat::Literal),
            "Ordering" => Object::String(b"Identity".to_vec(), StringFormat::Literal),
            "Supplement" => 0,
        },
        "FontDescriptor" => descriptor,
        "DW" => 1000,
        "W" => vec![Object::from(1), Object::Array(widths)],
        "CIDToGIDMap" => "Identity",
    });
    let to_unicode = doc.add_object(Stream::new(Dictionary::new(), to_unicode(&glyphs).into_bytes()));
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type0",
        "BaseFont" => name.as_str(),
        "Encoding" => "Identity-H",
        "DescendantFonts" => vec![Object::Reference(cid_font)],
        "ToUnicode" => to_unicode,
    });
    Ok((font, code))
}

/// The CMap that tells a reader which character each code 1..=n stands for,
/// so text extracts and searches as the Unicode it was written from.
fn to_unicode(glyphs: &[(u16, char)]) -> String {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    // A bfchar block holds at most 100 entries.
    for (block, chunk) in glyphs.chunks(100).enumerate() {
        let _ = writeln!(s, "{} beginbfchar", chunk.len());
        for (i, &(_, c)) in chunk.iter().enumerate() {
            let _ = write!(s, "<{:04X}> <", block * 100 + i + 1);
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(s, "{unit:04X}");
            }
            s.push_str(">\n");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

/// The layout's content with each glyph id in a `<...>` string replaced by
/// its code in the subset. The layout writes `<` only to open such strings.
fn renumber(content: &[u8], code: &[u16]) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(content.len());
    let mut i = 0;
    while i < content.len() {
        let b = content[i];
        out.push(b);
        i += 1;
        if b != b'<' {
            continue;
        }
        while i + 4 <= content.len() && content[i] != b'>' {
            let gid = content[i..i + 4]
                .iter()
                .fold(0usize, |a, &h| (a << 4) | (h as char).to_digit(16).unwrap_or(0) as usize);
            let c = code.get(gid).copied().unwrap_or(0);
            out.extend([
                HEX[usize::from(c >> 12)],
                HEX[usize::from((c >> 8) & 15)],
                HEX[usize::from((c >> 4) & 15)],
                HEX[usize::from(c & 15)],
            ]);
            i += 4;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{renumber, text_string, to_unicode};
    use lopdf::{Object, StringFormat};

    #[test]
    fn glyph_ids_are_renumbered_in_place() {
        let mut code = vec![0u16; 0x1_0000];
        code[0x1A] = 1;
        code[0x24] = 0x2B;
        let s = b"0.1 0.1 0.12 rg\n54 721.89 Td\n<001A0024001A> Tj\n";
        assert_eq!(renumber(s, &code), b"0.1 0.1 0.12 rg\n54 721.89 Td\n<0001002B0001> Tj\n".to_vec());
    }

    #[test]
    fn each_code_maps_to_its_character_in_blocks_of_a_hundred() {
        let glyphs: Vec<(u16, char)> = (0..150u16).map(|i| (i + 10, if i == 0 { '遠' } else { 'a' })).collect();
        let cmap = to_unicode(&glyphs);
        assert!(cmap.contains("100 beginbfchar\n<0001> <9060>\n<0002> <0061>\n"), "{cmap}");
        assert!(cmap.contains("50 beginbfchar\n<0065> <0061>\n"), "{cmap}");
        assert!(cmap.contains("<0096> <0061>\nendbfchar\nendcmap"), "{cmap}");
    }

    #[test]
    fn text_strings_beyond_ascii_are_utf16_with_a_byte_order_mark() {
        assert_eq!(text_string("JANIC"), Object::String(b"JANIC".to_vec(), StringFormat::Literal));
        assert_eq!(
            text_string("絆 –"),
            Object::String(vec![0xFE, 0xFF, 0x7D, 0x46, 0, 0x20, 0x20, 0x13], StringFormat::Hexadecimal)
        );
    }
}
