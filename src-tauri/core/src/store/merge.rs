//! Batched merge of entries made elsewhere. Same rule as [`Writer::apply`]
//! (a cell holds the value of the entry with the highest `(hlc, origin)`
//! among the row's entries that carry that column), but it reads each row's
//! entries once and writes each row once. The property test in `tests/sync`
//! checks that both paths give byte-identical replicas.
//!
//! Entries for a table or with columns this version does not know are logged
//! whole (so they are relayed and counted in digests), their known cells are
//! applied, and they are listed in `sync_parked`; [`Writer::replay_parked`]
//! applies the rest once an upgrade knows the names. Names that could not be
//! a table or column at all are rejected: they never reach SQL text.

use std::borrow::Cow;
use std::collections::HashMap;

use rusqlite::ToSql;

use crate::error::{Error, Result};
use crate::fold::fold;
use crate::hlc::Stamp;
use crate::schema::{self, Table};
use crate::store::write::{CellValue, Entry, Writer};

/// What a merge did, for reports and progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeStats {
    /// Entries this replica had not seen before (or had seen without some
    /// of their cells).
    pub new: u64,
    /// Cells whose visible value changed.
    pub won: u64,
    /// New entries for a table or with columns this version does not know.
    pub parked: u64,
}

/// A name that could be a table or column of some version: lower-case ASCII
/// identifier. Anything else is hostile or corrupt.
pub fn is_plain_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_lowercase() || b[0] == b'_')
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'_')
}

/// Rows arriving for an empty table from which its secondary indexes are
/// built after the load rather than during it.
const BULK_ROWS: usize = 10_000;

/// More columns than any table could have: a corrupt or hostile entry.
const MAX_CELLS: usize = 256;

/// Checks one entry before anything is written. Returns its table if this
/// version knows it, and whether this version knows every column it sets
/// (if not, the entry is parked).
pub fn check_entry(e: &Entry) -> Result<(Option<&'static Table>, bool)> {
    if e.row_id.is_empty() || e.row_id.len() > 200 || e.origin.is_empty() || e.origin.len() > 64 {
        return Err(Error::Rejected(format!("change with a missing or oversized row id or origin in {}", truncate(&e.table))));
    }
    if e.cells.is_empty() || e.cells.len() > MAX_CELLS {
        return Err(Error::Rejected(format!("change to {} with no or too many cells", truncate(&e.table))));
    }
    if !is_plain_name(&e.table) {
        return Err(Error::Rejected(format!("invalid table or column name {:?}", truncate(&e.table))));
    }
    let t = schema::table(&e.table);
    let mut known = t.is_some();
    for (i, (c, v)) in e.cells.iter().enumerate() {
        if !is_plain_name(c) {
            return Err(Error::Rejected(format!("invalid table or column name {:?}.{:?}", truncate(&e.table), truncate(c))));
        }
        if e.cells[..i].iter().any(|(k, _)| k == c) {
            return Err(Error::Rejected(format!("change sets {}.{c} twice", e.table)));
        }
        match t.and_then(|t| t.column(c)) {
            Some((_, kind)) => {
                if !v.fits(kind) || (c == "deleted" && !matches!(v, CellValue::Integer(0 | 1))) {
                    return Err(Error::Rejected(format!("value of wrong type for {}.{c}", e.table)));
                }
            }
            None => known = false,
        }
    }
    Ok((t, known))
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

/// One entry of the row being merged: stored, or arriving in this batch.
struct RowEntry<'e> {
    /// 0 for an entry not yet logged.
    seq: i64,
    hlc: Stamp,
    origin: Cow<'e, str>,
    /// Each cell with whether it is new to this replica.
    cells: Vec<(Cow<'e, str>, Cow<'e, CellValue>, bool)>,
    /// The stored copy this entry extends (it gained cells), if stored.
    stored: Option<usize>,
    changed: bool,
    /// For an arriving entry: whether this version knows all its columns.
    known: bool,
}

impl Writer<'_> {
    /// Merges `entries` (checked by the caller with [`check_entry`], which
    /// this repeats). Order, grouping and repeats do not change the outcome.
    pub fn apply_batch(&mut self, entries: &[Entry]) -> Result<MergeStats> {
        let mut checked = Vec::with_capacity(entries.len());
        for e in entries {
            checked.push(check_entry(e)?);
        }
        // Group by row, rows in (table, row id) order so that inserts into
        // the log's and the tables' indexes go to neighbouring pages, entries
        // in input order. Only the distinct rows are sorted by their strings.
        let mut rows: HashMap<(&str, &str), u32> = HashMap::with_capacity(entries.len());
        let mut keys: Vec<(&str, &str)> = Vec::new();
        let mut row_of = Vec::with_capacity(entries.len());
        for e in entries {
            let key = (e.table.as_str(), e.row_id.as_str());
            let next = rows.len() as u32;
            let id = *rows.entry(key).or_insert(next);
            if id == next {
                keys.push(key);
            }
            row_of.push(id);
        }
        let mut by_key: Vec<u32> = (0..keys.len() as u32).collect();
        by_key.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]));
        let mut rank = vec![0u32; keys.len()];
        for (r, &id) in by_key.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_by_key(|&i| rank[row_of[i] as usize]);
        // A table with no entry yet (an initial sync) has no row to look up.
        let mut empty: HashMap<&str, bool> = HashMap::new();
        for e in entries {
            if !empty.contains_key(e.table.as_str()) {
                let any: bool = self
                    .tx
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM change_log WHERE tbl = ?1)")?
                    .query_row([&e.table], |r| r.get(0))?;
                empty.insert(e.table.as_str(), !any);
            }
        }
        let rebuild = self.drop_indexes_for_bulk_load(entries, &checked, &keys)?;
        let mut stats = MergeStats::default();
        let mut max_seen = Stamp(0);
        let mut start = 0;
        let mut merged = Ok(());
        while start < order.len() {
            let first = order[start];
            let mut end = start + 1;
            while end < order.len() && row_of[order[end]] == row_of[first] {
                end += 1;
            }
            let group = &order[start..end];
            for &i in group {
                max_seen = max_seen.max(entries[i].hlc);
            }
            let none_stored = empty.get(entries[first].table.as_str()).copied().unwrap_or(false);
            merged = self.merge_row(&checked, entries, group, none_stored, &mut stats);
            if merged.is_err() {
                break;
            }
            start = end;
        }
        // Recreated even after a failure, in case the caller carries on in
        // this transaction; a kill before commit restores them anyway.
        for sql in rebuild {
            self.tx.execute_batch(&sql)?;
        }
        merged?;
        self.clock.observe(max_seen);
        Ok(stats)
    }

    /// Drops the secondary indexes of every known table that is empty and
    /// about to receive at least [`BULK_ROWS`] rows (an initial sync), and
    /// returns the statements that recreate them. Building an index by one
    /// sort at the end costs far less than keeping it up to date row by row
    /// in random key order. Unique indexes stay: they are constraints.
    fn drop_indexes_for_bulk_load(
        &self,
        entries: &[Entry],
        checked: &[(Option<&'static Table>, bool)],
        keys: &[(&str, &str)],
    ) -> Result<Vec<String>> {
        let mut rows: HashMap<&str, usize> = HashMap::new();
        for (tbl, _) in keys {
            *rows.entry(tbl).or_default() += 1;
        }
        let mut tables: Vec<&'static Table> = Vec::new();
        for (e, (t, _)) in entries.iter().zip(checked) {
            let Some(t) = t else { continue };
            if rows.get(e.table.as_str()).is_some_and(|n| *n >= BULK_ROWS) && !tables.iter().any(|k| std::ptr::eq(*k, *t)) {
                tables.push(t);
            }
        }
        let mut rebuild = Vec::new();
        for t in tables {
            let empty: bool =
                self.tx.query_row(&format!("SELECT NOT EXISTS (SELECT 1 FROM {})", t.name), [], |r| r.get(0))?;
            if !empty {
                continue;
            }
            let indexes: Vec<(String, String)> = {
                let mut q = self.tx.prepare(
                    "SELECT name, sql FROM sqlite_schema
                     WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
                )?;
                let rows = q.query_map([t.name], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            for (name, sql) in indexes {
                self.tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
                rebuild.push(sql);
            }
        }
        Ok(rebuild)
    }

    /// `checked[i]` is [`check_entry`]'s verdict on `entries[i]`.
    fn merge_row(
        &mut self,
        checked: &[(Option<&'static Table>, bool)],
        entries: &[Entry],
        idx: &[usize],
        none_stored: bool,
        stats: &mut MergeStats,
    ) -> Result<()> {
        let Some(&first) = idx.first() else { return Ok(()) };
        let t = checked[first].0;
        let (tbl, row_id) = (entries[first].table.as_str(), entries[first].row_id.as_str());
        // Stored entries older than every arriving one can beat none of its
        // cells: only the others are read and unpacked (usually none).
        let oldest = idx.iter().map(|&i| (entries[i].hlc, entries[i].origin.as_str())).min();
        let (any_stored, stored) = match oldest {
            Some(oldest) if !none_stored => self.stored_entries_since(tbl, row_id, oldest)?,
            _ => (false, Vec::new()),
        };
        // The row had no entry, so it has no row yet either (every row is
        // created by a logged write): the common case of an initial sync.
        let fresh_row = !any_stored;
        let mut row: Vec<RowEntry<'_>> = stored
            .iter()
            .enumerate()
            .map(|(i, s)| RowEntry {
                seq: s.seq,
                hlc: s.hlc,
                origin: Cow::Borrowed(s.origin.as_str()),
                cells: s.cells.iter().map(|(c, v)| (Cow::Borrowed(c.as_str()), Cow::Borrowed(v), false)).collect(),
                stored: Some(i),
                changed: false,
                known: true,
            })
            .collect();
        for &i in idx {
            let e = &entries[i];
            match row.iter_mut().find(|r| r.hlc == e.hlc && r.origin == e.origin.as_str()) {
                // A copy of an entry seen before: news only for cells the
                // stored copy lacks (a log converted from per-cell form, or a
                // replica that received part of an entry).
                Some(r) => {
                    for (c, v) in &e.cells {
                        if !r.cells.iter().any(|(k, ..)| k == c) {
                            r.cells.push((Cow::Borrowed(c.as_str()), Cow::Borrowed(v), true));
                            r.changed = true;
                        }
                    }
                }
                None => row.push(RowEntry {
                    known: checked[i].1,
                    seq: 0,
                    hlc: e.hlc,
                    origin: Cow::Borrowed(e.origin.as_str()),
                    cells: e.cells.iter().map(|(c, v)| (Cow::Borrowed(c.as_str()), Cow::Borrowed(v), true)).collect(),
                    stored: None,
                    changed: true,
                }),
            }
        }
        let mut cells: Vec<(&str, &CellValue)> = Vec::new();
        for r in row.iter_mut().filter(|r| r.changed) {
            cells.clear();
            cells.extend(r.cells.iter().map(|(c, v, _)| (c.as_ref(), v.as_ref())));
            let parked = match (t, r.stored) {
                (Some(t), Some(_)) => r.cells.iter().any(|(c, ..)| t.column(c).is_none()),
                (Some(_), None) => !r.known,
                (None, _) => true,
            };
            match r.stored {
                Some(s) => {
                    r.seq = self.relog_entry(&stored[s], tbl, row_id, &cells)?;
                    if parked {
                        self.tx.prepare_cached("INSERT OR IGNORE INTO sync_parked (seq) VALUES (?1)")?.execute([r.seq])?;
                    }
                }
                None => {
                    r.seq = self.log_entry(r.hlc, &r.origin, tbl, row_id, cells.iter().copied())?;
                    if parked {
                        self.tx.prepare_cached("INSERT INTO sync_parked (seq) VALUES (?1)")?.execute([r.seq])?;
                        stats.parked += 1;
                    }
                }
            }
            stats.new += 1;
        }
        let Some(t) = t else { return Ok(()) };
        // Each column's winner over all the row's entries; written if it is
        // a cell this replica did not have.
        let mut best: Vec<(&'static str, (Stamp, &str), &CellValue, bool)> = Vec::new();
        for r in &row {
            for (c, v, new) in &r.cells {
                let Some((col, _)) = t.column(c) else { continue };
                let key = (r.hlc, r.origin.as_ref());
                // Schema names are one static str each: compare addresses.
                match best.iter_mut().find(|b| std::ptr::eq(b.0, col)) {
                    Some(b) if b.1 > key => {}
                    Some(b) => *b = (col, key, v.as_ref(), *new),
                    None => best.push((col, key, v.as_ref(), *new)),
                }
            }
        }
        best.retain(|b| b.3);
        if best.is_empty() {
            return Ok(());
        }
        stats.won += best.len() as u64;
        best.sort_by_key(|b| b.0);
        let winners: Vec<(&'static str, &CellValue)> = best.iter().map(|b| (b.0, b.2)).collect();
        if fresh_row && self.insert_row(t, row_id, &winners)? {
            return Ok(());
        }
        self.upsert_cells(t, row_id, &winners)
    }

    /// Creates a row from its cells, its search key computed here rather
    /// than by a second UPDATE. Returns false if the row exists after all.
    fn insert_row(&self, t: &Table, row_id: &str, cells: &[(&'static str, &CellValue)]) -> Result<bool> {
        let search = (!t.search.is_empty()).then(|| {
            let parts: Vec<&str> = t
                .search
                .iter()
                .map(|s| cells.iter().find(|(c, _)| c == s).and_then(|(_, v)| v.as_str()).unwrap_or(""))
                .collect();
            fold(&parts.join(" "))
        });
        let mut names = String::from("id");
        let mut marks = String::from("?1");
        for (i, (c, _)) in cells.iter().enumerate() {
            names.push_str(", ");
            names.push_str(c);
            marks.push_str(&format!(", ?{}", i + 2));
        }
        if search.is_some() {
            names.push_str(", search_key");
            marks.push_str(&format!(", ?{}", cells.len() + 2));
        }
        let sql = format!("INSERT INTO {} ({names}) VALUES ({marks})", t.name);
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(cells.len() + 2);
        values.push(&row_id);
        for (_, v) in cells {
            values.push(*v);
        }
        if let Some(s) = &search {
            values.push(s);
        }
        match self.tx.prepare_cached(&sql)?.execute(values.as_slice()) {
            Ok(_) => Ok(true),
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Writes cells of a row, creating it if a cell arrives before the
    /// row's other cells.
    fn upsert_cells(&self, t: &Table, row_id: &str, cells: &[(&'static str, &CellValue)]) -> Result<()> {
        let cols: Vec<&str> = cells.iter().map(|c| c.0).collect();
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(cells.len() + 1);
        values.push(&row_id);
        for (_, v) in cells {
            values.push(*v);
        }
        self.tx.prepare_cached(&upsert_sql(t, &cols))?.execute(values.as_slice())?;
        if cols.iter().any(|c| t.search.contains(c)) {
            self.refresh_search(t, row_id)?;
        }
        Ok(())
    }

    /// Applies the cells of parked entries whose table and columns this
    /// version knows (after an upgrade), where they are their cell's winner.
    /// An entry stays parked while it has a column this version does not
    /// know. Returns how many entries were fully replayed.
    pub fn replay_parked(&mut self) -> Result<u64> {
        let parked: Vec<(i64, String, String)> = {
            let mut q = self
                .tx
                .prepare("SELECT p.seq, c.tbl, c.row_id FROM sync_parked p JOIN change_log c ON c.seq = p.seq")?;
            let rows = q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut replayed = 0;
        for (seq, tbl, row_id) in parked {
            let Some(t) = schema::table(&tbl) else { continue };
            let stored = self.stored_entries(t.name, &row_id)?;
            let Some(this) = stored.iter().find(|s| s.seq == seq) else { continue };
            let mut all_known = true;
            let mut winners: Vec<(&'static str, &CellValue)> = Vec::new();
            for (c, v) in &this.cells {
                let Some((col, kind)) = t.column(c) else {
                    all_known = false;
                    continue;
                };
                // Written by a version that did not check it against this schema.
                if !v.fits(kind) || (col == "deleted" && !matches!(v, CellValue::Integer(0 | 1))) {
                    continue;
                }
                let beaten = stored.iter().any(|s| {
                    (s.hlc, s.origin.as_str()) > (this.hlc, this.origin.as_str()) && s.cells.iter().any(|(k, _)| k == col)
                });
                if !beaten {
                    winners.push((col, v));
                }
            }
            if !winners.is_empty() {
                winners.sort_by_key(|w| w.0);
                self.upsert_cells(t, &row_id, &winners)?;
            }
            if all_known {
                self.tx.execute("DELETE FROM sync_parked WHERE seq = ?1", [seq])?;
                replayed += 1;
            }
        }
        Ok(replayed)
    }
}

/// `INSERT ... ON CONFLICT DO UPDATE` for the given schema columns: creates
/// the row if a cell arrives before its row's other cells.
fn upsert_sql(t: &Table, cols: &[&str]) -> String {
    let mut names = String::from("id");
    let mut marks = String::from("?1");
    let mut sets = String::new();
    for (i, c) in cols.iter().enumerate() {
        names.push_str(", ");
        names.push_str(c);
        marks.push_str(&format!(", ?{}", i + 2));
        if i > 0 {
            sets.push_str(", ");
        }
        sets.push_str(&format!("{c} = excluded.{c}"));
    }
    format!("INSERT INTO {} ({names}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET {sets}", t.name)
}
