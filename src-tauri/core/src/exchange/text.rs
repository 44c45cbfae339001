//! The text encoding of a CSV file. Excel in Japan saves CSV in Shift_JIS as
//! Windows extends it (CP932, which the WHATWG Encoding Standard, and so
//! encoding_rs, calls Shift_JIS); newer Excel and other tools save UTF-8, often
//! with a byte order mark. Detection: a BOM means UTF-8; else bytes that are
//! valid UTF-8 are read as UTF-8; else CP932. A file is never decoded lossily:
//! bytes the chosen encoding cannot read are an error naming the line.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a CSV file's bytes are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TextEncoding {
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// Windows-31J (Shift_JIS as Excel writes it).
    Cp932,
}

impl std::str::FromStr for TextEncoding {
    type Err = Error;

    /// What a person types after `--encoding`.
    fn from_str(s: &str) -> Result<TextEncoding> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(TextEncoding::Utf8),
            "cp932" | "shift-jis" | "sjis" | "windows-31j" => Ok(TextEncoding::Cp932),
            other => Err(Error::invalid("encoding", format!("unknown encoding '{other}': use utf-8 or cp932"))),
        }
    }
}

/// 1-based line of byte offset `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())].iter().filter(|b| **b == b'\n').count() + 1
}

/// Decodes a CSV file's bytes: as `forced` when given, else as detected
/// (see the module header). Returns the text and the encoding used.
pub fn decode(bytes: &[u8], forced: Option<TextEncoding>) -> Result<(String, TextEncoding)> {
    let has_bom = bytes.starts_with(BOM);
    let encoding = match forced {
        Some(e) => e,
        None if has_bom || std::str::from_utf8(bytes).is_ok() => TextEncoding::Utf8,
        None => TextEncoding::Cp932,
    };
    match encoding {
        TextEncoding::Utf8 => {
            let body = if has_bom { &bytes[BOM.len()..] } else { bytes };
            match std::str::from_utf8(body) {
                Ok(s) => Ok((s.to_string(), encoding)),
                Err(e) => {
                    let at = e.valid_up_to() + if has_bom { BOM.len() } else { 0 };
                    let looks_cp932 =
                        encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(bytes).is_some();
                    let hint = if looks_cp932 {
                        "; it reads as Shift_JIS (CP932), as Excel saves CSV in Japan: import it with encoding cp932"
                    } else {
                        ""
                    };
                    Err(Error::invalid(
                        "encoding",
                        format!("line {}: the file is not UTF-8 (byte 0x{:02X}){hint}", line_of(bytes, at), bytes[at]),
                    ))
                }
            }
        }
        TextEncoding::Cp932 => {
            let body = if has_bom { &bytes[BOM.len()..] } else { bytes };
            match encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(body) {
                Some(s) => Ok((s.into_owned(), encoding)),
                None => {
                    // Find the first line that does not decode, for the message.
                    let bad = |chunk: &[u8]| {
                        encoding_rs::SHIFT_JIS.decode_without_bom_handling_and_without_replacement(chunk).is_none()
                    };
                    let line = body.split_inclusive(|b| *b == b'\n').position(bad).unwrap_or(0) + 1;
                    Err(Error::invalid(
                        "encoding",
                        format!("line {line}: the file is not Shift_JIS (CP932): import it with encoding utf-8"),
                    ))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_bom_utf8_and_cp932() {
        let (s, e) = decode(b"\xEF\xBB\xBFname\n", None).unwrap();
        assert_eq!((s.as_str(), e), ("name\n", TextEncoding::Utf8));
        let (cp, _, _) = encoding_rs::SHIFT_JIS.encode("名前\n岩手県\n");
        let (s, e) = decode(&cp, None).unwrap();
        assert_eq!((s.as_str(), e), ("名前\n岩手県\n", TextEncoding::Cp932));
        let err = decode(&cp, Some(TextEncoding::Utf8)).unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains("cp932"), "{err}");
    }
}
