//! A cell of a synced row and the change-log entries made of cells: their
//! values, their JSON codec (the `cells` text of `change_log` and of bundles)
//! and their conversions to and from SQLite values. Plain data: the domain
//! rules in `model/` build cells; `store/` writes them; `sync/` carries them.

use std::collections::HashMap;

use rusqlite::ToSql;
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::schema::Kind;

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

/// One cell change: how quarantine and the sync panel list changes, and the
/// simplest way to build a one-cell [`Entry`].
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
    /// columns starting at `first`, as every query over single cells selects them.
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

/// One write to one row, as logged and as exchanged between replicas: every
/// cell it set, under one stamp. `(table, row_id, hlc, origin)` identifies
/// it on every replica.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub hlc: Stamp,
    pub origin: String,
    pub table: String,
    pub row_id: String,
    pub cells: Vec<(String, CellValue)>,
}

impl From<Change> for Entry {
    fn from(c: Change) -> Entry {
        Entry { hlc: c.hlc, origin: c.origin, table: c.table, row_id: c.row_id, cells: vec![(c.column, c.value)] }
    }
}

impl Entry {
    /// Groups cell changes into entries by `(table, row_id, hlc, origin)`,
    /// in order of first appearance.
    pub fn group(changes: impl IntoIterator<Item = Change>) -> Vec<Entry> {
        let mut at: HashMap<(String, String, i64, String), usize> = HashMap::new();
        let mut out: Vec<Entry> = Vec::new();
        for c in changes {
            let key = (c.table.clone(), c.row_id.clone(), c.hlc.0, c.origin.clone());
            match at.get(&key) {
                Some(&i) => out[i].cells.push((c.column, c.value)),
                None => {
                    at.insert(key, out.len());
                    out.push(c.into());
                }
            }
        }
        out
    }

    pub fn cell(&self, column: &str) -> Option<&CellValue> {
        self.cells.iter().find(|(c, _)| c == column).map(|(_, v)| v)
    }
}

/// Writes a log entry's `cells` text: a JSON object {column: value}, which
/// keeps each value's type. Column names are schema or checked plain names.
pub(crate) fn write_cells_json<'c>(out: &mut Vec<u8>, cells: impl IntoIterator<Item = (&'c str, &'c CellValue)>) {
    out.push(b'{');
    for (i, (c, v)) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Serialising a str or a number into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, c);
        out.push(b':');
        let _ = serde_json::to_writer(&mut *out, v);
    }
    out.push(b'}');
}

pub(crate) fn cells_json<'c>(cells: impl IntoIterator<Item = (&'c str, &'c CellValue)>) -> String {
    let mut out = Vec::with_capacity(256);
    write_cells_json(&mut out, cells);
    // Only str and numbers were written: valid UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

/// A JSON object of cells, in the order written.
pub(crate) struct Cells(pub Vec<(String, CellValue)>);

impl<'de> Deserialize<'de> for Cells {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Cells, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Cells;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of column: value")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> std::result::Result<Cells, A::Error> {
                let mut out = Vec::with_capacity(m.size_hint().unwrap_or(8));
                while let Some(kv) = m.next_entry::<String, CellValue>()? {
                    out.push(kv);
                }
                Ok(Cells(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Reads a log entry's `cells` text.
pub fn parse_cells(json: &str) -> Result<Vec<(String, CellValue)>> {
    serde_json::from_str::<Cells>(json)
        .map(|c| c.0)
        .map_err(|e| Error::Sync(format!("change-log entry unreadable: {e}")))
}
