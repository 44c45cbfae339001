//! A mailing list as the files other tools read: CSV that Excel opens with
//! the Japanese intact, and vCard 4.0 that address books import with the
//! reading as the phonetic name.

use crate::error::{Error, Result};

/// One contact as exported.
pub(crate) struct Row {
    pub name_ja: String,
    pub name_en: String,
    pub reading: String,
    pub role: String,
    pub affiliation_ja: String,
    pub affiliation_en: String,
    pub email: String,
    pub phone: String,
    pub prefecture: String,
}

const HEADER: [&str; 9] = [
    "氏名 / Name (ja)",
    "Name (en)",
    "よみ / Reading",
    "役職 / Role",
    "所属 / Organisation (ja)",
    "Organisation (en)",
    "Email",
    "電話 / Phone",
    "都道府県 / Prefecture",
];

/// UTF-8 with a byte order mark: without it Excel reads the file as
/// Shift_JIS and garbles every Japanese name. Cells that a spreadsheet would
/// run as a formula (=, +, -, @) are prefixed with an apostrophe.
pub(crate) fn csv(rows: &[Row]) -> Result<String> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let fail = |e: csv::Error| Error::Rejected(format!("writing CSV: {e}"));
    w.write_record(HEADER).map_err(fail)?;
    for r in rows {
        let prefecture = crate::prefecture::Prefecture::by_code(&r.prefecture).map_or("", |p| p.name_ja);
        let cells = [
            &r.name_ja,
            &r.name_en,
            &r.reading,
            &r.role,
            &r.affiliation_ja,
            &r.affiliation_en,
            &r.email,
            &r.phone,
            &prefecture.to_string(),
        ]
        .map(|c| defuse(c));
        w.write_record(&cells).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Rejected(format!("writing CSV: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Rejected(format!("writing CSV: {e}")))?;
    Ok(format!("\u{FEFF}{text}"))
}

/// A cell that a spreadsheet would read as a formula, made plain text.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}") } else { cell.to_string() }
}

/// vCard 4.0 (RFC 6350). The Japanese name is the formatted name; the
/// reading is given twice: as an alternative `N` marked phonetic in kana
/// (RFC 9554's PHONETIC and SCRIPT parameters), and as the
/// X-PHONETIC-LAST-NAME that Apple and Google address books read.
pub(crate) fn vcard(rows: &[Row]) -> String {
    let mut out = String::new();
    for r in rows {
        let mut card = vec!["BEGIN:VCARD".to_string(), "VERSION:4.0".to_string()];
        card.push(format!("FN:{}", escape(&r.name_ja)));
        if r.reading.is_empty() {
            card.push(format!("N:{};;;;", escape(&r.name_ja)));
        } else {
            card.push(format!("N;ALTID=1;LANGUAGE=ja:{};;;;", escape(&r.name_ja)));
            card.push(format!("N;ALTID=1;PHONETIC=script;SCRIPT=Kana;LANGUAGE=ja:{};;;;", escape(&r.reading)));
            card.push(format!("X-PHONETIC-LAST-NAME:{}", escape(&r.reading)));
        }
        if !r.name_en.is_empty() {
            card.push(format!("NICKNAME;LANGUAGE=en:{}", escape(&r.name_en)));
        }
        if !r.affiliation_ja.is_empty() {
            card.push(format!("ORG:{}", escape(&r.affiliation_ja)));
        }
        if !r.role.is_empty() {
            card.push(format!("TITLE:{}", escape(&r.role)));
        }
        if !r.email.is_empty() {
            card.push(format!("EMAIL:{}", escape(&r.email)));
        }
        if !r.phone.is_empty() {
            card.push(format!("TEL;VALUE=text:{}", escape(&r.phone)));
        }
        card.push("END:VCARD".to_string());
        for line in card {
            fold_line(&mut out, &line);
        }
    }
    out
}

/// Escapes a text value: backslash, comma, semicolon and newline.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (RFC 6350 3.2), never inside
/// a UTF-8 character, with CRLF line ends.
fn fold_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, reading: &str) -> Row {
        Row {
            name_ja: name.into(),
            name_en: String::new(),
            reading: reading.into(),
            role: "事務局長".into(),
            affiliation_ja: "日本, 国際協力; NGO".into(),
            affiliation_en: String::new(),
            email: "a@example.org".into(),
            phone: String::new(),
            prefecture: "03".into(),
        }
    }

    #[test]
    fn csv_starts_with_a_bom_and_defuses_formulas() {
        let text = csv(&[row("=HYPERLINK(\"x\")", "")]).unwrap();
        assert!(text.starts_with('\u{FEFF}'));
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
        assert!(text.contains("岩手県"));
    }

    #[test]
    fn vcard_lines_fold_at_75_octets_on_character_boundaries_and_escape_values() {
        let long = "あ".repeat(40);
        let text = vcard(&[row(&long, "やまだ")]);
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("FN:{long}")));
        assert!(unfolded.contains("ORG:日本\\, 国際協力\\; NGO"));
        assert!(unfolded.contains("N;ALTID=1;PHONETIC=script;SCRIPT=Kana;LANGUAGE=ja:やまだ;;;;"));
    }
}
