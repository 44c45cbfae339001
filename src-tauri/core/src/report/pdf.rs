//! Turns laid-out pages into PDF bytes that depend only on their input.
//!
//! printpdf names fonts and the document by a process-wide counter, so the
//! same report made twice in one process would differ. Here the font gets a
//! fixed resource id, the creation date comes from the caller (the data's own
//! date), and the trailer /ID is a digest of the finished content.

use std::io::Write;

use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use lopdf::{Object, StringFormat};
use printpdf::{FontId, Mm, Op, PdfDocument, PdfFont, PdfPage, PdfSaveOptions};
use sha2::{Digest, Sha256};

use super::font::Face;
use crate::error::{Error, Result};

/// The font's resource name; its first six letters become the subset tag.
pub fn font_id() -> FontId {
    FontId("KZNAJP".to_string())
}

pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub lang: &'a str,
    pub created: DateTime<Utc>,
}

fn pdf_date(t: DateTime<Utc>) -> Result<printpdf::OffsetDateTime> {
    printpdf::OffsetDateTime::from_unix_timestamp(t.timestamp()).map_err(|e| Error::Report(format!("creation date: {e}")))
}

pub fn render(face: &Face, pages: Vec<Vec<Op>>, meta: &Meta<'_>) -> Result<Vec<u8>> {
    let mut doc = PdfDocument::new(meta.title);
    let info = &mut doc.metadata.info;
    info.author = meta.author.to_string();
    info.subject = meta.subject.to_string();
    info.creator = "Kizuna".to_string();
    info.producer = "Kizuna (printpdf 0.12)".to_string();
    info.creation_date = pdf_date(meta.created)?;
    info.modification_date = info.creation_date;
    info.metadata_date = info.creation_date;
    doc.resources.fonts.map.insert(font_id(), PdfFont::new(face.parsed.clone()));
    doc.with_pages(pages.into_iter().map(|ops| PdfPage::new(Mm(210.0), Mm(297.0), ops)).collect());

    let opts = PdfSaveOptions { optimize: true, subset_fonts: true, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    if let Some(w) = warnings.iter().find(|w| w.severity == printpdf::PdfParseErrorSeverity::Error) {
        return Err(Error::Report(format!("PDF writer: {}", w.msg)));
    }

    // Deflate at a middle level: level 9 (lopdf's choice) costs several times
    // the time for a few per cent of size on these streams.
    let contents: std::collections::HashSet<lopdf::ObjectId> =
        lo.get_pages().values().flat_map(|&page| lo.get_page_contents(page)).collect();
    let mut digest = Sha256::new();
    for (id, obj) in lo.objects.iter_mut() {
        if let Object::Stream(stream) = obj {
            if contents.contains(id) && stream.dict.get(b"Filter").is_err() {
                stream.set_content(join_glyph_runs(&stream.content));
            }
            if stream.dict.get(b"Filter").is_err() && stream.allows_compression {
                let mut enc = ZlibEncoder::new(Vec::with_capacity(stream.content.len() / 4), Compression::new(6));
                enc.write_all(&stream.content).map_err(|e| Error::Report(format!("compressing a stream: {e}")))?;
                let packed = enc.finish().map_err(|e| Error::Report(format!("compressing a stream: {e}")))?;
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

/// printpdf writes text given as glyph ids as one hex string per glyph,
/// `[<0012><0034>] TJ`; one string per run, `<00120034> Tj`, shows the same
/// glyphs in a third fewer bytes. Arrays holding anything else (kerning
/// numbers) are left as they are.
fn join_glyph_runs(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(b"[<") {
            if let Some(end) = s[i..].windows(5).position(|w| w == b">] TJ") {
                let inner = &s[i + 1..i + end + 1];
                if inner.iter().all(|&b| b.is_ascii_hexdigit() || b == b'<' || b == b'>') {
                    out.push(b'<');
                    out.extend(inner.iter().filter(|b| b.is_ascii_hexdigit()));
                    out.extend_from_slice(b"> Tj");
                    i += end + 5;
                    continue;
                }
            }
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::join_glyph_runs;

    #[test]
    fn glyph_runs_become_one_string_and_kerned_arrays_stay() {
        let s = b"54 721.89 Td\n[<001A><0024>] TJ\n[<0001> -250 <0002>] TJ\n";
        assert_eq!(join_glyph_runs(s), b"54 721.89 Td\n<001A0024> Tj\n[<0001> -250 <0002>] TJ\n".to_vec());
    }
}
