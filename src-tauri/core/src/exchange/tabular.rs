//! Tables as files a spreadsheet opens: CSV in UTF-8 with a byte order mark
//! (without it Excel in Japan reads UTF-8 as Shift_JIS) and XLSX.

use rust_xlsxwriter::{Format, Workbook};

use crate::error::{Error, Result};

/// One value of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    Integer(i64),
    Real(f64),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Text(s) => s.clone(),
            Value::Integer(i) => i.to_string(),
            Value::Real(f) => f.to_string(),
        }
    }
}

/// A header row and the rows under it.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is
/// written with a leading apostrophe, as OWASP advises for CSV exports.
fn defused(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The table as UTF-8 CSV with a byte order mark and CRLF line ends.
pub fn to_csv(t: &Table) -> Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        let fail = |e: csv::Error| Error::Rejected(format!("CSV: {e}"));
        w.write_record(&t.headers).map_err(fail)?;
        for row in &t.rows {
            w.write_record(row.iter().map(|v| defused(&v.text()))).map_err(fail)?;
        }
        w.flush().map_err(|e| Error::Rejected(format!("CSV: {e}")))?;
    }
    Ok(out)
}

/// The table as one XLSX worksheet named `sheet`, headers bold and frozen.
pub fn to_xlsx(t: &Table, sheet: &str) -> Result<Vec<u8>> {
    let fail = |e: rust_xlsxwriter::XlsxError| Error::Rejected(format!("XLSX: {e}"));
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    // Sheet names are at most 31 characters, without []:*?/\.
    let name: String = sheet.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    ws.set_name(if name.is_empty() { "Sheet1" } else { &name }).map_err(fail)?;
    let bold = Format::new().set_bold();
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold).map_err(fail)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                Value::Empty => {}
                // Strings are never read as formulas by rust_xlsxwriter.
                Value::Text(s) => {
                    ws.write_string(r, c, s).map_err(fail)?;
                }
                Value::Integer(i) => {
                    ws.write_number(r, c, *i as f64).map_err(fail)?;
                }
                Value::Real(f) => {
                    ws.write_number(r, c, *f).map_err(fail)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}
