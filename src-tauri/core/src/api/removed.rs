//! Removed records: deletes are tombstones (`deleted = 1`), so a removed
//! record can be listed and brought back by an explicit `deleted = 0`
//! change, which syncs and wins or loses like any other edit.

use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::api::{Kizuna, MIN_ID_PREFIX};
use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::schema::{self, TABLES, Table};

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RemovedRecord {
    pub table: String,
    pub id: String,
    /// The record's name or title, as far as it has one.
    pub label: String,
    /// The office whose delete is in effect.
    pub removed_by: String,
    /// When, UTC milliseconds (from the delete's stamp).
    #[ts(type = "number")]
    pub removed_at: i64,
}

/// Columns that name a record, in order of preference.
const LABELS: [&str; 8] = ["name_en", "name", "title_en", "label_en", "person", "description", "code", "member_no"];

/// SQL for a row's label: the first of its naming columns that is set.
fn label_sql(t: &Table) -> String {
    let cols: Vec<String> = LABELS.iter().filter(|c| t.column(c).is_some()).map(|c| format!("t.{c}")).collect();
    match cols.len() {
        0 => "NULL".into(),
        1 => cols[0].clone(),
        _ => format!("coalesce({})", cols.join(", ")),
    }
}

impl Kizuna {
    /// Removed records of one table, or of every table, most recent first.
    pub fn removed_list(&self, table: Option<&str>) -> Result<Vec<RemovedRecord>> {
        let tables: Vec<&'static Table> = match table.map(str::trim).filter(|t| !t.is_empty()) {
            Some(name) => vec![schema::table(name).ok_or_else(|| {
                let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
                Error::invalid("table", format!("unknown table '{name}': use one of {}", names.join(", ")))
            })?],
            None => TABLES.iter().collect(),
        };
        let conn = self.store().conn();
        let mut out = Vec::new();
        for t in tables {
            let label = label_sql(t);
            let sql = format!(
                "SELECT t.id, {label},
                    (SELECT e.origin || ' ' || e.hlc FROM change_log e, json_each(e.cells) j
                     WHERE e.tbl = ?1 AND e.row_id = t.id AND j.key = 'deleted'
                     ORDER BY e.hlc DESC, e.origin DESC LIMIT 1)
                 FROM {} t WHERE t.deleted = 1",
                t.name
            );
            let mut q = conn.prepare(&sql)?;
            let rows = q.query_map(params![t.name], |r| {
                let by: String = r.get::<_, Option<String>>(2)?.unwrap_or_default();
                let (origin, hlc) = by.rsplit_once(' ').unwrap_or(("", "0"));
                Ok(RemovedRecord {
                    table: t.name.to_string(),
                    id: r.get(0)?,
                    label: crate::store::CellValue::from_value_ref(r.get_ref(1)?)
                        .as_str()
                        .map(|s| s.chars().take(200).collect())
                        .unwrap_or_default(),
                    removed_by: origin.to_string(),
                    removed_at: Stamp(hlc.parse().unwrap_or(0)).millis(),
                })
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        out.sort_by(|a, b| b.removed_at.cmp(&a.removed_at).then_with(|| a.id.cmp(&b.id)));
        Ok(out)
    }

    /// Brings a removed record back, found by its id (in `table`, or in
    /// whichever table holds it). Subject to this office's rights.
    pub fn removed_restore(&mut self, id: &str, table: Option<&str>) -> Result<RemovedRecord> {
        let id = id.trim();
        let all = self.removed_list(table)?;
        let mut found: Vec<RemovedRecord> = all.iter().filter(|r| r.id == id).cloned().collect();
        // As everywhere an id is taken, a unique prefix of 8+ characters will do.
        let prefix = id.to_ascii_lowercase();
        if found.is_empty() && prefix.chars().count() >= MIN_ID_PREFIX {
            found = all.into_iter().filter(|r| r.id.starts_with(&prefix)).collect();
            let mut ids: Vec<String> = found.iter().map(|r| r.id.clone()).collect();
            ids.sort();
            ids.dedup();
            if ids.len() > 1 {
                let more = ids.len() > 10;
                ids.truncate(10);
                return Err(Error::Ambiguous {
                    entity: "removed record",
                    given: id.to_string(),
                    candidates: ids,
                    more,
                });
            }
        }
        let record = match found.as_slice() {
            [] => return Err(Error::NotFound { entity: "removed record", id: id.to_string() }),
            [one] => one.clone(),
            _ => {
                return Err(Error::invalid("table", format!("{id} is removed in more than one table: name the table")));
            }
        };
        self.store_mut().write(|w| w.restore(&record.table, &record.id).map(|_| ()))?;
        Ok(record)
    }
}
