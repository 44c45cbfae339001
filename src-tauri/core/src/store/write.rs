//! The one mutation path. Every write to a domain table happens here and, in
//! the same transaction, appends each changed cell to `change_log` with its
//! HLC stamp and origin office. Sync merges through [`Writer::apply`], the
//! same path, so a replica's state is always a function of its change log.

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Transaction, ToSql, params};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fold::fold;
use crate::hlc::{Clock, Stamp};
use crate::schema::{self, Kind, Table};

/// A cell's value as it is logged and sent: JSON null, number or string.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum CellValue {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

impl CellValue {
    pub fn text(s: impl Into<String>) -> CellValue {
        CellValue::Text(s.into())
    }
    pub fn opt_text(s: Option<impl Into<String>>) -> CellValue {
        s.map_or(CellValue::Null, |s| CellValue::Text(s.into()))
    }
    pub fn is_null(&self) -> bool {
        matches!(self, CellValue::Null)
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            CellValue::Text(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn fits(&self, kind: Kind) -> bool {
        matches!(
            (self, kind),
            (CellValue::Null, _)
                | (CellValue::Text(_), Kind::Text)
                | (CellValue::Integer(_), Kind::Integer)
                | (CellValue::Integer(_) | CellValue::Real(_), Kind::Real)
        )
    }

    pub fn from_value_ref(v: ValueRef<'_>) -> CellValue {
        match v {
            ValueRef::Null => CellValue::Null,
            ValueRef::Integer(i) => CellValue::Integer(i),
            ValueRef::Real(f) => CellValue::Real(f),
            ValueRef::Text(t) => CellValue::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => CellValue::Text(String::from_utf8_lossy(b).into_owned()),
        }
    }
}

/// Hand-written rather than `untagged`: sync decodes millions of cells and
/// serde's untagged buffering costs several times more per value.
impl<'de> Deserialize<'de> for CellValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<CellValue, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = CellValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("null, a number or a string")
            }
            fn visit_unit<E>(self) -> std::result::Result<CellValue, E> {
                Ok(CellValue::Null)
            }
            fn visit_none<E>(self) -> std::result::Result<CellValue, E> {
                Ok(CellValue::Null)
            }
            fn visit_i64<E>(self, v: i64) -> std::result::Result<CellValue, E> {
                Ok(CellValue::Integer(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<CellValue, E> {
                i64::try_from(v).map(CellValue::Integer).map_err(|_| E::custom("integer out of range"))
            }
            fn visit_f64<E>(self, v: f64) -> std::result::Result<CellValue, E> {
                Ok(CellValue::Real(v))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<CellValue, E> {
                Ok(CellValue::Text(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<CellValue, E> {
                Ok(CellValue::Text(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl ToSql for CellValue {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            CellValue::Null => ToSqlOutput::Owned(Value::Null),
            CellValue::Integer(i) => ToSqlOutput::Owned(Value::Integer(*i)),
            CellValue::Real(f) => ToSqlOutput::Owned(Value::Real(*f)),
            CellValue::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

/// One logged cell change, as stored and as exchanged between replicas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub hlc: Stamp,
    pub origin: String,
    pub table: String,
    pub row_id: String,
    pub column: String,
    pub value: CellValue,
}

impl Change {
    /// Reads `hlc, origin, tbl, row_id, col, value` from six consecutive
    /// columns starting at `first`, as every query over logged changes selects them.
    pub fn from_row(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Change> {
        Ok(Change {
            hlc: Stamp(r.get(first)?),
            origin: r.get(first + 1)?,
            table: r.get(first + 2)?,
            row_id: r.get(first + 3)?,
            column: r.get(first + 4)?,
            value: CellValue::from_value_ref(r.get_ref(first + 5)?),
        })
    }
}

pub struct Writer<'a> {
    pub(super) tx: Transaction<'a>,
    pub(super) clock: &'a mut Clock,
    origin: &'a str,
    /// Count and checksum of what this transaction appended to `change_log`,
    /// added to `sync_log_digest` at commit. A `Cell` so it can be noted
    /// while a prepared statement borrows the transaction.
    logged: std::cell::Cell<(i64, i64)>,
}

/// SQLite's `length()` of a text: characters before the first NUL.
fn sql_length(s: &str) -> i64 {
    s.chars().take_while(|c| *c != '\0').count() as i64
}

fn known_table(name: &str) -> Result<&'static Table> {
    schema::table(name).ok_or_else(|| Error::Rejected(format!("unknown table '{name}'")))
}

fn checked_column(t: &Table, col: &str, value: &CellValue) -> Result<&'static str> {
    let (name, kind) =
        t.column(col).ok_or_else(|| Error::Rejected(format!("unknown column '{col}' in table '{}'", t.name)))?;
    if !value.fits(kind) {
        return Err(Error::Rejected(format!("value of wrong type for {}.{col}", t.name)));
    }
    Ok(name)
}

impl<'a> Writer<'a> {
    pub(super) fn new(tx: Transaction<'a>, clock: &'a mut Clock, origin: &'a str) -> Writer<'a> {
        Writer { tx, clock, origin, logged: std::cell::Cell::new((0, 0)) }
    }

    /// Notes one entry appended to `change_log`. Its checksum term is the one
    /// `sync::hub::scan_digest` sums over the log, computed here instead: a
    /// NULL anywhere in the term (a NULL value) makes it count for nothing.
    pub(super) fn note_logged(&self, hlc: i64, origin: &str, tbl: &str, row_id: &str, col: &str, value: &CellValue) -> Result<()> {
        let value_len = match value {
            CellValue::Null => None,
            CellValue::Integer(i) => Some(i.to_string().len() as i64),
            CellValue::Text(t) => Some(sql_length(t)),
            // SQLite's own rendering of a real as text ("%!.15g").
            CellValue::Real(_) => Some(
                self.tx.prepare_cached("SELECT length(CAST(?1 AS TEXT))")?.query_row([value], |r| r.get::<_, i64>(0))?,
            ),
        };
        let term = match (value_len, origin.chars().next()) {
            (Some(v), Some(first)) => (hlc % 1_000_000_007) * 3
                + sql_length(row_id) * 31
                + sql_length(col) * 17
                + first as i64 * 7
                + sql_length(tbl)
                + v,
            _ => 0,
        };
        let (n, sum) = self.logged.get();
        self.logged.set((n + 1, sum + term));
        Ok(())
    }

    pub(super) fn finish(self) -> Result<()> {
        let (n, sum) = self.logged.get();
        if n > 0 {
            self.tx.execute(
                "UPDATE sync_log_digest SET count = count + ?1, checksum = checksum + ?2 WHERE id = 1",
                [n, sum],
            )?;
        }
        self.tx.execute(
            "INSERT INTO local_meta (key, value) VALUES ('hlc', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [self.clock.last().0.to_string()],
        )?;
        self.tx.commit()?;
        Ok(())
    }

    /// Reads inside the transaction see its own writes.
    pub fn conn(&self) -> &rusqlite::Connection {
        &self.tx
    }

    pub fn origin(&self) -> &str {
        self.origin
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO local_meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    fn require_origin(&self) -> Result<&'a str> {
        if self.origin.is_empty() {
            return Err(Error::NotInitialised { path: "this database (no office set)".into() });
        }
        Ok(self.origin)
    }

    /// Creates a row. Null cells are not logged: absent is the initial state.
    pub fn insert(&mut self, table: &str, id: &str, cells: &[(&str, CellValue)]) -> Result<Stamp> {
        let origin = self.require_origin()?;
        let stamp = self.clock.tick()?;
        self.insert_stamped(table, id, cells, stamp, origin)?;
        Ok(stamp)
    }

    /// Creates a row with a given stamp and origin: the seed data set uses a
    /// fixed stamp so that every replica's seed rows are the same changes.
    pub(crate) fn insert_stamped(
        &mut self,
        table: &str,
        id: &str,
        cells: &[(&str, CellValue)],
        stamp: Stamp,
        origin: &str,
    ) -> Result<()> {
        let t = known_table(table)?;
        let mut cols = Vec::with_capacity(cells.len());
        for (c, v) in cells {
            cols.push(checked_column(t, c, v)?);
        }
        self.clock.observe(stamp);
        let search = (!t.search.is_empty()).then(|| {
            let parts: Vec<&str> = t
                .search
                .iter()
                .filter_map(|s| cells.iter().find(|(c, _)| c == s).and_then(|(_, v)| v.as_str()))
                .collect();
            fold(&parts.join(" "))
        });
        let mut names = String::from("id");
        let mut marks = String::from("?1");
        for (i, c) in cols.iter().enumerate() {
            names.push_str(", ");
            names.push_str(c);
            marks.push_str(&format!(", ?{}", i + 2));
        }
        if search.is_some() {
            names.push_str(", search_key");
            marks.push_str(&format!(", ?{}", cols.len() + 2));
        }
        let sql = format!("INSERT INTO {} ({names}) VALUES ({marks})", t.name);
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(cells.len() + 2);
        values.push(&id);
        for (_, v) in cells {
            values.push(v);
        }
        if let Some(s) = &search {
            values.push(s);
        }
        let inserted = self.tx.prepare_cached(&sql)?.execute(values.as_slice());
        match inserted {
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                return Err(Error::Conflict(format!("{} {id} already exists", t.name)));
            }
            other => other?,
        };
        let mut log = self.tx.prepare_cached(
            "INSERT INTO change_log (hlc, origin, tbl, row_id, col, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (c, v) in cols.iter().zip(cells.iter().map(|(_, v)| v)) {
            if !v.is_null() {
                log.execute(params![stamp.0, origin, t.name, id, c, v])?;
                self.note_logged(stamp.0, origin, t.name, id, c, v)?;
            }
        }
        Ok(())
    }

    /// Changes the given cells of an existing, not deleted row.
    pub fn update(&mut self, table: &str, id: &str, cells: &[(&str, CellValue)]) -> Result<Option<Stamp>> {
        let origin = self.require_origin()?;
        let t = known_table(table)?;
        self.require_live(t, id)?;
        // Only cells whose value actually changes are logged.
        let mut changed = Vec::with_capacity(cells.len());
        for (c, v) in cells {
            let col = checked_column(t, c, v)?;
            let old = self
                .tx
                .prepare_cached(&format!("SELECT {col} FROM {} WHERE id = ?1", t.name))?
                .query_row([id], |r| Ok(CellValue::from_value_ref(r.get_ref(0)?)))?;
            if old != *v {
                changed.push((col, v));
            }
        }
        if changed.is_empty() {
            return Ok(None);
        }
        let stamp = self.clock.tick()?;
        for (col, v) in changed {
            self.log_and_set(t, id, col, v, stamp, origin)?;
        }
        self.refresh_search(t, id)?;
        Ok(Some(stamp))
    }

    /// Deletes a row as a last-writer-wins tombstone: the `deleted` cell.
    pub fn delete(&mut self, table: &str, id: &str) -> Result<Stamp> {
        let origin = self.require_origin()?;
        let t = known_table(table)?;
        self.require_live(t, id)?;
        let stamp = self.clock.tick()?;
        self.log_and_set(t, id, "deleted", &CellValue::Integer(1), stamp, origin)?;
        Ok(stamp)
    }

    fn require_live(&self, t: &Table, id: &str) -> Result<()> {
        let live: Option<i64> = self
            .tx
            .prepare_cached(&format!("SELECT deleted FROM {} WHERE id = ?1", t.name))?
            .query_row([id], |r| r.get(0))
            .ok();
        match live {
            Some(0) => Ok(()),
            _ => Err(Error::NotFound { entity: entity_name(t.name), id: id.to_string() }),
        }
    }

    fn log_and_set(&self, t: &Table, id: &str, col: &str, v: &CellValue, stamp: Stamp, origin: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO change_log (hlc, origin, tbl, row_id, col, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![stamp.0, origin, t.name, id, col, v])?;
        self.note_logged(stamp.0, origin, t.name, id, col, v)?;
        self.tx
            .prepare_cached(&format!("UPDATE {} SET {col} = ?1 WHERE id = ?2", t.name))?
            .execute(params![v, id])?;
        Ok(())
    }

    pub(super) fn refresh_search(&self, t: &Table, id: &str) -> Result<()> {
        if t.search.is_empty() {
            return Ok(());
        }
        let parts: Vec<String> = t.search.iter().map(|c| format!("coalesce({c}, '')")).collect();
        let sql = format!("UPDATE {} SET search_key = kz_fold({}) WHERE id = ?1", t.name, parts.join(" || ' ' || "));
        self.tx.prepare_cached(&sql)?.execute([id])?;
        Ok(())
    }

    /// Merges a change made elsewhere. Returns whether it was new to this
    /// replica. It takes effect only if it is the cell's winner: the highest
    /// (hlc, origin) seen for that cell. Order, grouping and repeats of calls
    /// do not change the outcome.
    pub fn apply(&mut self, ch: &Change) -> Result<bool> {
        let t = known_table(&ch.table)?;
        let col = checked_column(t, &ch.column, &ch.value)?;
        if ch.row_id.is_empty() || ch.origin.is_empty() {
            return Err(Error::Rejected("change without row id or origin".into()));
        }
        let new = self
            .tx
            .prepare_cached(
                "INSERT OR IGNORE INTO change_log (hlc, origin, tbl, row_id, col, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![ch.hlc.0, ch.origin, t.name, ch.row_id, col, ch.value])?
            == 1;
        self.clock.observe(ch.hlc);
        if !new {
            return Ok(false);
        }
        self.note_logged(ch.hlc.0, &ch.origin, t.name, &ch.row_id, col, &ch.value)?;
        let (hlc, origin): (i64, String) = self
            .tx
            .prepare_cached(
                "SELECT hlc, origin FROM change_log WHERE tbl = ?1 AND row_id = ?2 AND col = ?3
                 ORDER BY hlc DESC, origin DESC LIMIT 1",
            )?
            .query_row(params![t.name, ch.row_id, col], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if hlc == ch.hlc.0 && origin == ch.origin {
            self.tx
                .prepare_cached(&format!("INSERT OR IGNORE INTO {} (id) VALUES (?1)", t.name))?
                .execute([&ch.row_id])?;
            self.tx
                .prepare_cached(&format!("UPDATE {} SET {col} = ?1 WHERE id = ?2", t.name))?
                .execute(params![ch.value, ch.row_id])?;
            if t.search.contains(&col) {
                self.refresh_search(t, &ch.row_id)?;
            }
        }
        Ok(true)
    }
}

/// The singular noun errors use for a table's rows.
pub fn entity_name(table: &str) -> &'static str {
    match table {
        "members" => "member",
        "sites" => "site",
        "offices" => "office",
        "grants" => "grant",
        "phases" => "phase",
        "donors" => "donor",
        "partners" => "partner",
        "activities" => "activity",
        "indicators" => "indicator",
        "budget_lines" => "budget line",
        "expenditures" => "expenditure",
        "profiles" => "profile",
        "statements" => "statement",
        "phase_partners" => "phase partner",
        _ => "record",
    }
}
