//! The 3W ("who does what where") table with HXL hashtags: a header row for
//! people, a hashtag row under it for machines (the Humanitarian Exchange
//! Language, hxlstandard.org), then one row per site and sector.

use crate::error::Result;
use crate::exchange::tabular::{Table, Value};

/// The columns: English header and HXL hashtag.
pub const COLUMNS: [(&str, &str); 14] = [
    ("Organisation", "#org+impl+name"),
    ("Member number", "#org+impl+code"),
    ("Sector", "#sector+name"),
    ("Sector code", "#sector+code"),
    ("Prefecture code", "#adm1+code"),
    ("Prefecture", "#adm1+name"),
    ("Municipality code", "#adm2+code"),
    ("Municipality", "#adm2+name"),
    ("Location", "#loc+name"),
    ("Activity", "#activity+name"),
    ("Status", "#status"),
    ("Start", "#date+start"),
    ("End", "#date+end"),
    ("Contact email", "#contact+email"),
];

/// One row of the 3W: a site's work in one sector.
#[derive(Debug, Clone, Default)]
pub struct W3Row {
    pub organisation: String,
    pub member_no: String,
    pub sector: String,
    pub sector_code: String,
    /// P-code of the prefecture: JP + its JIS X 0401 code (JP04 for Miyagi).
    pub adm1_code: String,
    pub adm1_name: String,
    /// Kizuna keeps no municipality codes: empty.
    pub adm2_code: String,
    pub adm2_name: String,
    pub location: String,
    pub activity: String,
    pub status: String,
    pub start: String,
    pub end: String,
    pub email: String,
}

/// The 3W as CSV (UTF-8, no byte order mark: HXL tools read plain UTF-8).
pub fn to_csv(rows: &[W3Row]) -> Result<Vec<u8>> {
    let mut t = Table { headers: COLUMNS.iter().map(|(h, _)| h.to_string()).collect(), rows: Vec::new() };
    t.rows.push(COLUMNS.iter().map(|(_, tag)| Value::Text(tag.to_string())).collect());
    for r in rows {
        t.rows.push(
            [
                &r.organisation,
                &r.member_no,
                &r.sector,
                &r.sector_code,
                &r.adm1_code,
                &r.adm1_name,
                &r.adm2_code,
                &r.adm2_name,
                &r.location,
                &r.activity,
                &r.status,
                &r.start,
                &r.end,
                &r.email,
            ]
            .iter()
            .map(|v| if v.is_empty() { Value::Empty } else { Value::Text(v.to_string()) })
            .collect(),
        );
    }
    let mut bytes = crate::exchange::tabular::to_csv(&t)?;
    bytes.drain(..3);
    Ok(bytes)
}
