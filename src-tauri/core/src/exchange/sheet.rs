//! A spreadsheet as a plain grid: the first worksheet of an XLSX workbook
//! (or the one named), or a CSV file in any of the encodings of
//! [`crate::exchange::text`]. Cells keep what the file says they are, so the
//! importer can tell a typed date from text and refuse a formula instead of
//! importing whatever value a spreadsheet last computed for it.

use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::exchange::text::{TextEncoding, decode};

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetCell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell formatted as a date in the workbook.
    Date(NaiveDate),
    Bool(bool),
    /// A formula (its text, `=SUM(B2:B9)`): refused on import.
    Formula(String),
    /// A spreadsheet error value (`#REF!`, `#DIV/0!`).
    Error(String),
}

impl SheetCell {
    pub fn is_empty(&self) -> bool {
        match self {
            SheetCell::Empty => true,
            SheetCell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// The rows of one sheet, the first row as written in the file.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The worksheet read (XLSX only).
    pub sheet: Option<String>,
    /// How a CSV file was decoded (CSV only).
    pub encoding: Option<TextEncoding>,
    pub rows: Vec<Vec<SheetCell>>,
}

/// Whether `path` names an XLSX workbook (by its extension, else its zip signature).
pub fn is_xlsx(path: &Path, head: &[u8]) -> bool {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("xlsx" | "xlsm") => true,
        Some("csv" | "txt" | "tsv") => false,
        _ => head.starts_with(b"PK\x03\x04"),
    }
}

/// Reads the file at `path`: XLSX (`sheet`, else the first worksheet) or CSV
/// (`encoding`, else detected).
pub fn read(path: &Path, encoding: Option<TextEncoding>, sheet: Option<&str>) -> Result<Grid> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    if is_xlsx(path, &bytes) { read_xlsx(bytes, sheet) } else { read_csv(&bytes, encoding) }
}

/// Reads CSV bytes. Commas or, when the first line has tabs and no commas, tabs.
pub fn read_csv(bytes: &[u8], encoding: Option<TextEncoding>) -> Result<Grid> {
    let (text, used) = decode(bytes, encoding)?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains('\t') && !first.contains(',') { b'\t' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Error::invalid("file", format!("row {}: {e}", n + 1)))?;
        rows.push(
            record
                .iter()
                .map(|v| {
                    if v.is_empty() {
                        SheetCell::Empty
                    } else if v.starts_with('=') && v.len() > 1 {
                        // A CSV holds values; "=..." is a formula saved as text.
                        SheetCell::Formula(v.to_string())
                    } else {
                        SheetCell::Text(v.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(Grid { sheet: None, encoding: Some(used), rows })
}

fn xlsx_error(e: impl std::fmt::Display) -> Error {
    Error::invalid("file", format!("not a readable XLSX workbook: {e}"))
}

/// Reads one worksheet of an XLSX workbook.
pub fn read_xlsx(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Grid> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(xlsx_error)?;
    let names = book.sheet_names();
    let name = match sheet.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => names.iter().find(|n| n.as_str() == s).cloned().ok_or_else(|| {
            Error::invalid("sheet", format!("no worksheet '{s}' in the workbook (it has: {})", names.join(", ")))
        })?,
        None => names.first().cloned().ok_or_else(|| Error::invalid("sheet", "the workbook has no worksheet"))?,
    };
    let range = book.worksheet_range(&name).map_err(xlsx_error)?;
    let formulas = book.worksheet_formula(&name).map_err(xlsx_error)?;
    let mut rows: Vec<Vec<SheetCell>> = Vec::new();
    let mut put = |r: usize, c: usize, cell: SheetCell| {
        if rows.len() <= r {
            rows.resize(r + 1, Vec::new());
        }
        let row = &mut rows[r];
        if row.len() <= c {
            row.resize(c + 1, SheetCell::Empty);
        }
        row[c] = cell;
    };
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, v) in range.cells() {
        let cell = match v {
            Data::Empty => continue,
            Data::String(s) => SheetCell::Text(s.clone()),
            Data::Int(i) => SheetCell::Number(*i as f64),
            Data::Float(f) => SheetCell::Number(*f),
            Data::Bool(b) => SheetCell::Bool(*b),
            Data::DateTime(d) if d.is_datetime() => {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                match NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day)) {
                    Some(date) => SheetCell::Date(date),
                    None => SheetCell::Number(d.as_f64()),
                }
            }
            Data::DateTime(d) => SheetCell::Number(d.as_f64()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => SheetCell::Text(s.clone()),
            Data::Error(e) => SheetCell::Error(e.to_string()),
        };
        put(r0 as usize + r, c0 as usize + c, cell);
    }
    let (f0, g0) = formulas.start().unwrap_or((0, 0));
    for (r, c, f) in formulas.cells() {
        if !f.trim().is_empty() {
            let text = if f.starts_with('=') { f.clone() } else { format!("={f}") };
            put(f0 as usize + r, g0 as usize + c, SheetCell::Formula(text));
        }
    }
    Ok(Grid { sheet: Some(name), encoding: None, rows })
}

/// A column's spreadsheet letter: 1 → A, 27 → AA.
pub fn column_letter(column: u32) -> String {
    let mut n = column;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(1), "A");
        assert_eq!(column_letter(26), "Z");
        assert_eq!(column_letter(27), "AA");
        assert_eq!(column_letter(703), "AAA");
    }
}
