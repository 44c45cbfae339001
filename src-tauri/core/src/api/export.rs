//! Canonical JSON dump of the shared data: every synced table, rows sorted by
//! id, keys sorted, no local identity, keys, sync state or change log. Two
//! replicas holding the same changes produce identical bytes.

use std::path::Path;

use serde_json::{Map, Value};

use crate::api::{ExportSaved, Kizuna};
use crate::error::{Error, Result};
use crate::schema::TABLES;
use crate::store::CellValue;

impl Kizuna {
    pub fn export_json(&self) -> Result<String> {
        Ok(self.json_dump()?.0)
    }

    /// The dump and how many rows it holds.
    fn json_dump(&self) -> Result<(String, u64)> {
        let mut count = 0u64;
        let conn = self.store.conn();
        let mut tables = Map::new();
        for t in TABLES {
            let cols: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
            let sql = format!("SELECT id, {} FROM {} ORDER BY id", cols.join(", "), t.name);
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                let mut obj = Map::new();
                obj.insert("id".into(), Value::String(r.get(0)?));
                for (i, c) in cols.iter().enumerate() {
                    let v = match CellValue::from_value_ref(r.get_ref(i + 1)?) {
                        CellValue::Null => Value::Null,
                        CellValue::Integer(n) => Value::from(n),
                        CellValue::Real(f) => Value::from(f),
                        CellValue::Text(s) => Value::String(s),
                    };
                    obj.insert((*c).into(), v);
                }
                out.push(Value::Object(obj));
            }
            count += out.len() as u64;
            tables.insert(t.name.into(), Value::Array(out));
        }
        let mut root = Map::new();
        root.insert("format".into(), Value::String("kizuna-export".into()));
        root.insert("schema_version".into(), Value::from(crate::store::SCHEMA_VERSION));
        root.insert("tables".into(), Value::Object(tables));
        let mut text =
            serde_json::to_string_pretty(&Value::Object(root)).map_err(|e| Error::Rejected(e.to_string()))?;
        text.push('\n');
        Ok((text, count))
    }

    /// Writes the dump atomically: a temporary file renamed into place.
    pub fn export_json_to(&self, path: &Path) -> Result<ExportSaved> {
        let (text, rows) = self.json_dump()?;
        crate::files::write_atomic(path, text.as_bytes())?;
        Ok(ExportSaved { path: path.display().to_string(), rows, bytes: text.len() as u64 })
    }
}
