//! Turns laid-out pages into PDF bytes that depend only on their input.
//!
//! printpdf builds the document, the embedded font subset with its widths and
//! ToUnicode map; the pages' content streams are the layout's own (see
//! `layout`). printpdf is handed the font already cut to the glyphs the report
//! shows (allsorts, from the embedded bytes): parsing the whole 5 MB font in
//! every process was most of a fresh `kizuna report`'s time. printpdf names fonts and the document by a process-wide
//! counter, so the same report made twice in one process would differ. Here
//! the font gets a fixed resource id, the creation date comes from the caller
//! (the data's own date), and the trailer /ID is a digest of the finished content.

use std::io::Write;

use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use lopdf::{Dictionary, Object, Stream, StringFormat};
use printpdf::{
    Codepoint, FontId, Mm, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Pt, TextItem,
};
use sha2::{Digest, Sha256};

use super::font::FONT_BYTES;
use super::layout::Pages;
use crate::error::{Error, Result};

/// The font's resource name; its first six letters become the subset tag.
pub const FONT: &str = "KZNAJP";

pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub lang: &'a str,
    pub created: DateTime<Utc>,
}

fn pdf_date(t: DateTime<Utc>) -> Result<printpdf::OffsetDateTime> {
    printpdf::OffsetDateTime::from_unix_timestamp(t.timestamp())
        .map_err(|e| Error::Report(format!("creation date: {e}")))
}

/// Prefixes the font's names (/BaseFont of the font and its descendant,
/// /FontName of its descriptor) with the subset tag the PDF standard asks of
/// a font that holds only some of its glyphs (ISO 32000-1, 9.6.4).
fn tag_subset(lo: &mut lopdf::Document) {
    // The descendant font sits inline in the Type0 font's array.
    fn walk(obj: &mut Object, tag: &[u8]) {
        match obj {
            Object::Dictionary(d) => {
                for (key, value) in d.iter_mut() {
                    match value {
                        Object::Name(name) if (key == b"BaseFont" || key == b"FontName") && !name.contains(&b'+') => {
                            *name = [tag, b"+", name.as_slice()].concat();
                        }
                        _ => walk(value, tag),
                    }
                }
            }
            Object::Array(items) => items.iter_mut().for_each(|o| walk(o, tag)),
            _ => {}
        }
    }
    let tag = FONT.get(..6).unwrap_or(FONT).as_bytes();
    lo.objects.values_mut().for_each(|o| walk(o, tag));
}

/// The embedded font cut to `glyphs` (ascending font glyph ids, without
/// .notdef), parsed. allsorts numbers each glyph of the cut by its position in
/// the list it is given, .notdef first, so `glyphs[k]` is glyph `k + 1` in it.
fn cut_font(glyphs: &[(u16, char)]) -> Result<ParsedFont> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile, subset};
    let err = |e: String| Error::Report(format!("cutting the font subset: {e}"));
    let file = ReadScope::new(FONT_BYTES).read::<FontData<'_>>().map_err(|e| err(e.to_string()))?;
    let provider = file.table_provider(0).map_err(|e| err(e.to_string()))?;
    let ids: Vec<u16> = std::iter::once(0).chain(glyphs.iter().map(|&(gid, _)| gid)).collect();
    let bytes = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode).map_err(|e| err(e.to_string()))?;
    ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
        .ok_or_else(|| Error::Report("the font subset could not be parsed".into()))
}

pub fn render(pages: Pages, meta: &Meta<'_>) -> Result<Vec<u8>> {
    // .notdef is in every subset already and stands for no character.
    let glyphs: Vec<(u16, char)> = pages.glyphs.iter().copied().filter(|&(gid, _)| gid != 0).collect();
    let mut doc = PdfDocument::new(meta.title);
    let info = &mut doc.metadata.info;
    info.author = meta.author.to_string();
    info.subject = meta.subject.to_string();
    info.creator = "Kizuna".to_string();
    info.producer = "Kizuna (printpdf 0.12)".to_string();
    info.creation_date = pdf_date(meta.created)?;
    info.modification_date = info.creation_date;
    info.metadata_date = info.creation_date;
    doc.resources.fonts.map.insert(FontId(FONT.to_string()), PdfFont::new(cut_font(&glyphs)?));
    // printpdf learns which glyphs to give widths and ToUnicode entries from
    // one run showing each used glyph once (by its id in the cut), on the
    // first page; every page's content is replaced below.
    let mut first = Vec::new();
    if !glyphs.is_empty() {
        first = vec![
            Op::StartTextSection,
            Op::SetFont { font: PdfFontHandle::External(FontId(FONT.to_string())), size: Pt(10.0) },
            Op::ShowText {
                items: vec![TextItem::GlyphIds(
                    (1u16..)
                        .zip(&glyphs)
                        .map(|(gid, &(_, c))| Codepoint { gid, offset: 0.0, cid: Some(c.to_string()) })
                        .collect(),
                )],
            },
            Op::EndTextSection,
        ];
    }
    let count = pages.contents.len();
    doc.with_pages(
        (0..count)
            .map(|i| PdfPage::new(Mm(210.0), Mm(297.0), if i == 0 { std::mem::take(&mut first) } else { Vec::new() }))
            .collect(),
    );

    // The font is cut already: printpdf's own subsetting would cut it again
    // (8% of a 200-site report's process, callgrind), so it embeds it whole
    // and the subset tag is added to its names here.
    let opts = PdfSaveOptions { optimize: true, subset_fonts: false, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    if let Some(w) = warnings.iter().find(|w| w.severity == printpdf::PdfParseErrorSeverity::Error) {
        return Err(Error::Report(format!("PDF writer: {}", w.msg)));
    }
    tag_subset(&mut lo);

    // The cut renumbers glyphs, and printpdf writes each one's code (its id in
    // the cut for this TrueType font, a CID for a CID-keyed one): the codes are
    // read back from the run it wrote for them, in the order they were given.
    let page_ids: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    if page_ids.len() != count {
        return Err(Error::Report(format!("PDF writer made {} pages of {count}", page_ids.len())));
    }
    let mut code = vec![0u16; 0x1_0000];
    if let Some(&page) = page_ids.first() {
        let shown = page_stream(&lo, page)?.map(|id| stream_bytes(&lo, id)).transpose()?.unwrap_or_default();
        let codes = hex_codes(&shown);
        if codes.len() != glyphs.len() {
            return Err(Error::Report(format!("font subset: {} glyph codes for {} glyphs", codes.len(), glyphs.len())));
        }
        for (&(gid, _), c) in glyphs.iter().zip(codes) {
            code[usize::from(gid)] = c;
        }
    }
    for (&page, content) in page_ids.iter().zip(pages.contents) {
        let content = renumber(&content, &code);
        match page_stream(&lo, page)? {
            Some(id) => {
                if let Ok(Object::Stream(s)) = lo.get_object_mut(id) {
                    s.dict = Dictionary::new();
                    s.set_content(content);
                }
            }
            None => {
                let id = lo.add_object(Stream::new(Dictionary::new(), content));
                if let Ok(Object::Dictionary(d)) = lo.get_object_mut(page) {
                    d.set("Contents", Object::Reference(id));
                }
            }
        }
    }

    // Deflate at level 2. The 10k-site report's 4.9 MB of streams (zlib-rs,
    // release): level 6 took 101 ms for 728 KB, level 3 31 ms for 775 KB,
    // level 2 24 ms for 852 KB; at level 6 deflate was 30% of the process.
    // With the map's dots as round-capped points the file is 560 KB at
    // level 3 and 610 KB at level 2, for 5% fewer instructions (callgrind).
    // One compressor, reset between streams: a new one per stream zeroed
    // its window and tables each time, 7% of the 10k-site process (callgrind).
    let mut digest = Sha256::new();
    let mut enc = ZlibEncoder::new(Vec::new(), Compression::new(2));
    for obj in lo.objects.values_mut() {
        if let Object::Stream(stream) = obj {
            if stream.dict.get(b"Filter").is_err() && stream.allows_compression {
                enc.write_all(&stream.content).map_err(|e| Error::Report(format!("compressing a stream: {e}")))?;
                // Ends this stream and hands back its bytes, ready for the next.
                let packed = enc.reset(Vec::new()).map_err(|e| Error::Report(format!("compressing a stream: {e}")))?;
                if packed.len() < stream.content.len() {
                    stream.dict.set("Filter", "FlateDecode");
                    stream.set_content(packed);
                }
            }
            digest.update(&stream.content);
        }
    }
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("Lang", Object::String(meta.lang.as_bytes().to_vec(), StringFormat::Literal));
    }
    digest.update(meta.title.as_bytes());
    digest.update(meta.created.to_rfc3339().as_bytes());
    let id: String = digest.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect();
    lo.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.as_bytes().to_vec(), StringFormat::Literal),
            Object::String(id.as_bytes().to_vec(), StringFormat::Literal),
        ]),
    );
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| Error::Report(format!("writing the PDF: {e}")))?;
    Ok(out)
}

/// The one content stream of `page`, if it has one.
fn page_stream(lo: &lopdf::Document, page: lopdf::ObjectId) -> Result<Option<lopdf::ObjectId>> {
    match lo.get_page_contents(page).as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        more => Err(Error::Report(format!("PDF writer: {} content streams on one page", more.len()))),
    }
}

fn stream_bytes(lo: &lopdf::Document, id: lopdf::ObjectId) -> Result<Vec<u8>> {
    match lo.get_object(id) {
        Ok(Object::Stream(s)) => s.decompressed_content().or_else(|_| Ok(s.content.clone())),
        _ => Err(Error::Report("PDF writer: a page's content is not a stream".into())),
    }
}

/// The two-byte codes of every hex string in a content stream, in order.
fn hex_codes(content: &[u8]) -> Vec<u16> {
    let mut codes = Vec::new();
    let (mut inside, mut acc, mut n) = (false, 0u16, 0);
    for &b in content {
        match b {
            b'<' => (inside, acc, n) = (true, 0, 0),
            b'>' => inside = false,
            _ if inside => {
                if let Some(d) = (b as char).to_digit(16) {
                    acc = (acc << 4) | d as u16;
                    n += 1;
                    if n == 4 {
                        codes.push(acc);
                        (acc, n) = (0, 0);
                    }
                }
            }
            _ => {}
        }
    }
    codes
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
    use super::{FONT, Meta, hex_codes, render, renumber};
    use crate::report::font::face;
    use crate::report::layout::{BODY, Layout};
    use lopdf::{Document, Object};

    #[test]
    fn the_embedded_font_is_the_cut_and_its_names_carry_the_subset_tag() {
        let mut l = Layout::new(face(), FONT);
        l.paragraph("遠野まごころネット Tono", BODY, 0.0);
        let pages = l.finish("left", "right", "foot", |n, of| format!("{n}/{of}"));
        let meta = Meta { title: "t", author: "a", subject: "s", lang: "ja", created: chrono::DateTime::UNIX_EPOCH };
        let doc = Document::load_mem(&render(pages, &meta).expect("render")).expect("parse");
        fn names(obj: &Object, out: &mut Vec<String>) {
            match obj {
                Object::Dictionary(d) => {
                    for (key, value) in d.iter() {
                        match value.as_name() {
                            Ok(n) if key == b"BaseFont" || key == b"FontName" => {
                                out.push(String::from_utf8_lossy(n).into_owned())
                            }
                            _ => names(value, out),
                        }
                    }
                }
                Object::Array(items) => items.iter().for_each(|o| names(o, out)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        doc.objects.values().for_each(|o| names(o, &mut found));
        let names = found;
        // The Type0 font, its CID font and the descriptor.
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("KZNAJP+") && n.matches('+').count() == 1), "{names:?}");
        let font_file = doc
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .find_map(|d| d.get(b"FontFile2").ok().and_then(|r| r.as_reference().ok()))
            .expect("an embedded TrueType font");
        let Ok(Object::Stream(s)) = doc.get_object(font_file) else { panic!("the font file is a stream") };
        let bytes = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
        // The whole Noto Sans JP is 5 MB; a cut of some twenty glyphs is tens of KB at most.
        assert!(bytes.len() < 100_000, "embedded font of {} bytes", bytes.len());
    }

    #[test]
    fn glyph_codes_are_read_in_order_and_renumbered_in_place() {
        assert_eq!(
            hex_codes(b"BT /KZNAJP 10 Tf [<0001><00A2> -250 <0003>] TJ <00040005> Tj ET"),
            vec![1, 0xA2, 3, 4, 5]
        );
        let mut code = vec![0u16; 0x1_0000];
        code[0x1A] = 1;
        code[0x24] = 0x2B;
        let s = b"0.1 0.1 0.12 rg\n54 721.89 Td\n<001A0024001A> Tj\n";
        assert_eq!(renumber(s, &code), b"0.1 0.1 0.12 rg\n54 721.89 Td\n<0001002B0001> Tj\n".to_vec());
    }
}
