//! The change log's digest: a count and a checksum of its entries, equal on
//! two replicas that hold the same entries. Every write transaction adds its
//! entries' terms ([`entry_term`]) to the running digest in
//! `sync_log_digest`; [`scan_digest`] recomputes it from the whole log.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::error::Result;

/// SQLite's `length()` of a text: characters before the first NUL.
fn sql_length(s: &str) -> i64 {
    let b = s.as_bytes();
    let b = b.iter().position(|c| *c == 0).map_or(b, |n| &b[..n]);
    // Characters are the bytes that do not continue a UTF-8 sequence.
    b.iter().filter(|c| (**c as i8) >= -0x40).count() as i64
}

/// Length of an integer's decimal text, as SQLite's `length()` counts it.
fn int_length(n: i64) -> i64 {
    let u = n.unsigned_abs();
    let digits = u.checked_ilog10().map_or(1, |d| d + 1) as i64;
    digits + i64::from(n < 0)
}

/// One entry's term of the log digest: exactly what migration 7 and
/// [`scan_digest`] compute in SQL. A sum over the cells, so the
/// order of the cells does not matter.
pub(crate) fn entry_term<'c>(
    hlc: i64,
    origin: &str,
    tbl: &str,
    row_id: &str,
    cells: impl IntoIterator<Item = (&'c str, &'c CellValue)>,
) -> i64 {
    let Some(first) = origin.chars().next() else { return 0 };
    let mut term = (hlc % 1_000_000_007) * 3 + sql_length(row_id) * 31 + first as i64 * 7 + sql_length(tbl);
    for (c, v) in cells {
        term += sql_length(c) * 17
            + match v {
                CellValue::Null => 0,
                CellValue::Integer(i) => int_length(*i),
                // SQLite's CAST saturates like Rust's `as`.
                CellValue::Real(f) => int_length(*f as i64),
                CellValue::Text(t) => sql_length(t),
            };
    }
    term
}

/// Count and checksum of a replica's change log; equal on two replicas that
/// hold the same entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LogDigest {
    #[ts(type = "number")]
    pub count: i64,
    #[ts(type = "number")]
    pub checksum: i64,
}

/// Read from the running digest (migrations 4 and 6) that every write
/// transaction updates with what it changed in `change_log`; [`scan_digest`]
/// is what it must always equal.
pub fn digest(conn: &rusqlite::Connection) -> Result<LogDigest> {
    Ok(conn.query_row("SELECT count, checksum FROM sync_log_digest WHERE id = 1", [], |r| {
        Ok(LogDigest { count: r.get(0)?, checksum: r.get(1)? })
    })?)
}

/// The digest of the log's entries up to position `upto`: the running
/// digest less the entries after it, which are few (what arrived while a
/// sync ran), since the digest is a sum of per-entry terms. Two replicas
/// compare what they held at the same point of an exchange this way, so
/// another office syncing meanwhile does not make their logs "differ".
pub fn digest_upto(conn: &rusqlite::Connection, upto: i64) -> Result<LogDigest> {
    let all = digest(conn)?;
    let after = conn.query_row(&format!("{SCAN} WHERE e.seq > ?1"), [upto], |r| {
        Ok(LogDigest { count: r.get(0)?, checksum: r.get(1)? })
    })?;
    Ok(LogDigest { count: all.count - after.count, checksum: all.checksum.wrapping_sub(after.checksum) })
}

/// The digest computed from the whole log (slow: a full scan). The same
/// query as migration 7; [`entry_term`] is its per-entry term.
pub fn scan_digest(conn: &rusqlite::Connection) -> Result<LogDigest> {
    Ok(conn.query_row(SCAN, [], |r| Ok(LogDigest { count: r.get(0)?, checksum: r.get(1)? }))?)
}

/// Count and checksum of `change_log e` (filtered by what follows).
const SCAN: &str = "SELECT count(*), coalesce(sum(
         (e.hlc % 1000000007) * 3 + length(e.row_id) * 31 + unicode(e.origin) * 7 + length(e.tbl)
         + (SELECT coalesce(sum(length(j.key) * 17 + CASE j.type
                                    WHEN 'null' THEN 0
                                    WHEN 'real' THEN length(CAST(CAST(j.value AS INTEGER) AS TEXT))
                                    ELSE length(j.value) END), 0)
            FROM json_each(e.cells) j)), 0)
     FROM change_log e";
