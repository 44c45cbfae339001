//! Batched merge of changes made elsewhere. Same rule as [`Writer::apply`]
//! (a cell holds the change with the highest `(hlc, origin)` in its log), but
//! it reads each row's log once, inserts the log entries, and writes each row
//! once, instead of three statements per cell. The property test in
//! `tests/sync` checks that both paths give byte-identical replicas.
//!
//! Changes for a table or column this version does not know are logged like
//! any other (so they are relayed and counted in digests) and listed in
//! `sync_parked`; [`Writer::replay_parked`] materialises them once an upgrade
//! knows their names. Names that could not be a table or column at all are
//! rejected: they never reach SQL text.

use std::collections::HashMap;

use rusqlite::params;

use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::schema::{self, Table};
use crate::store::write::{CellValue, Change, Writer};

/// What a merge did, for reports and progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeStats {
    /// Changes this replica had not seen before.
    pub new: u64,
    /// Cells whose visible value changed.
    pub won: u64,
    /// New changes for tables or columns this version does not know.
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

/// Checks one change before anything is written; `Ok(false)` means it is
/// well formed but names something this version does not know (to be parked).
pub fn check_change(ch: &Change) -> Result<bool> {
    if ch.row_id.is_empty() || ch.row_id.len() > 200 || ch.origin.is_empty() || ch.origin.len() > 64 {
        return Err(Error::Rejected(format!("change with a missing or oversized row id or origin in {}", ch.table)));
    }
    if !is_plain_name(&ch.table) || !is_plain_name(&ch.column) {
        return Err(Error::Rejected(format!(
            "invalid table or column name {:?}.{:?}",
            truncate(&ch.table),
            truncate(&ch.column)
        )));
    }
    let Some(t) = schema::table(&ch.table) else { return Ok(false) };
    let Some((_, kind)) = t.column(&ch.column) else { return Ok(false) };
    if !ch.value.fits(kind) || (ch.column == "deleted" && !matches!(ch.value, CellValue::Integer(0 | 1))) {
        return Err(Error::Rejected(format!("value of wrong type for {}.{}", ch.table, ch.column)));
    }
    Ok(true)
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

type Key<'c> = (Stamp, &'c str);

impl Writer<'_> {
    /// Merges `changes` (checked by the caller with [`check_change`], which
    /// this repeats). Order, grouping and repeats do not change the outcome.
    pub fn apply_batch(&mut self, changes: &[Change]) -> Result<MergeStats> {
        let mut known = Vec::with_capacity(changes.len());
        for ch in changes {
            known.push(check_change(ch)?);
        }
        let mut order: Vec<usize> = (0..changes.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&changes[a], &changes[b]);
            (x.table.as_str(), x.row_id.as_str()).cmp(&(y.table.as_str(), y.row_id.as_str()))
        });
        let mut stats = MergeStats::default();
        let mut max_seen = Stamp(0);
        let mut start = 0;
        while start < order.len() {
            let first = &changes[order[start]];
            let mut end = start + 1;
            while end < order.len() {
                let c = &changes[order[end]];
                if c.table != first.table || c.row_id != first.row_id {
                    break;
                }
                end += 1;
            }
            let group = &order[start..end];
            for &i in group {
                max_seen = max_seen.max(changes[i].hlc);
            }
            match schema::table(&first.table) {
                Some(t) if group.iter().all(|&i| known[i]) => self.merge_row(t, changes, group, &mut stats)?,
                Some(t) => {
                    let (k, p): (Vec<usize>, Vec<usize>) = group.iter().copied().partition(|&i| known[i]);
                    self.merge_row(t, changes, &k, &mut stats)?;
                    self.park(changes, &p, &mut stats)?;
                }
                None => self.park(changes, group, &mut stats)?,
            }
            start = end;
        }
        self.clock.observe(max_seen);
        Ok(stats)
    }

    fn park(&mut self, changes: &[Change], idx: &[usize], stats: &mut MergeStats) -> Result<()> {
        let mut log = self.tx.prepare_cached(
            "INSERT OR IGNORE INTO change_log (hlc, origin, tbl, row_id, col, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut parked = self.tx.prepare_cached("INSERT INTO sync_parked (seq) VALUES (last_insert_rowid())")?;
        for &i in idx {
            let ch = &changes[i];
            if log.execute(params![ch.hlc.0, ch.origin, ch.table, ch.row_id, ch.column, ch.value])? == 1 {
                self.note_logged(ch.hlc.0, &ch.origin, &ch.table, &ch.row_id, &ch.column, &ch.value)?;
                parked.execute([])?;
                stats.new += 1;
                stats.parked += 1;
            }
        }
        Ok(())
    }

    fn merge_row(&mut self, t: &'static Table, changes: &[Change], idx: &[usize], stats: &mut MergeStats) -> Result<()> {
        let Some(&first) = idx.first() else { return Ok(()) };
        let row_id = changes[first].row_id.as_str();
        // The current winner of each cell of this row, from the log.
        let mut best: HashMap<&'static str, (Stamp, String)> = HashMap::new();
        {
            let mut q = self.tx.prepare_cached("SELECT col, hlc, origin FROM change_log WHERE tbl = ?1 AND row_id = ?2")?;
            let mut rows = q.query(params![t.name, row_id])?;
            while let Some(r) = rows.next()? {
                let col: String = r.get(0)?;
                let Some((name, _)) = t.column(&col) else { continue };
                let key = (Stamp(r.get(1)?), r.get::<_, String>(2)?);
                match best.get(name) {
                    Some(b) if (b.0, b.1.as_str()) >= (key.0, key.1.as_str()) => {}
                    _ => {
                        best.insert(name, key);
                    }
                }
            }
        }
        let mut winners: Vec<(&'static str, Key<'_>, &CellValue)> = Vec::new();
        {
            let mut log = self.tx.prepare_cached(
                "INSERT OR IGNORE INTO change_log (hlc, origin, tbl, row_id, col, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for &i in idx {
                let ch = &changes[i];
                let Some((col, _)) = t.column(&ch.column) else { continue };
                if log.execute(params![ch.hlc.0, ch.origin, t.name, row_id, col, ch.value])? != 1 {
                    continue;
                }
                self.note_logged(ch.hlc.0, &ch.origin, t.name, row_id, col, &ch.value)?;
                stats.new += 1;
                let key = (ch.hlc, ch.origin.as_str());
                if best.get(col).is_some_and(|b| (b.0, b.1.as_str()) > key) {
                    continue;
                }
                match winners.iter_mut().find(|w| w.0 == col) {
                    Some(w) if w.1 > key => {}
                    Some(w) => *w = (col, key, &ch.value),
                    None => winners.push((col, key, &ch.value)),
                }
            }
        }
        if winners.is_empty() {
            return Ok(());
        }
        stats.won += winners.len() as u64;
        winners.sort_by_key(|w| w.0);
        let cols: Vec<&str> = winners.iter().map(|w| w.0).collect();
        let sql = upsert_sql(t, &cols);
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(winners.len() + 1);
        values.push(&row_id);
        for w in &winners {
            values.push(w.2);
        }
        self.tx.prepare_cached(&sql)?.execute(values.as_slice())?;
        if cols.iter().any(|c| t.search.contains(c)) {
            self.refresh_search(t, row_id)?;
        }
        Ok(())
    }

    /// Materialises parked changes whose table and column this version knows
    /// (after an upgrade). Returns how many were replayed.
    pub fn replay_parked(&mut self) -> Result<u64> {
        let parked: Vec<(i64, Change)> = {
            let mut q = self.tx.prepare(
                "SELECT p.seq, c.hlc, c.origin, c.tbl, c.row_id, c.col, c.value
                 FROM sync_parked p JOIN change_log c ON c.seq = p.seq",
            )?;
            let rows = q.query_map([], |r| Ok((r.get(0)?, Change::from_row(r, 1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut replayed = 0;
        for (seq, ch) in parked {
            let Some(t) = schema::table(&ch.table) else { continue };
            let Some((col, _)) = t.column(&ch.column) else { continue };
            let (hlc, origin): (i64, String) = self.tx.query_row(
                "SELECT hlc, origin FROM change_log WHERE tbl = ?1 AND row_id = ?2 AND col = ?3
                 ORDER BY hlc DESC, origin DESC LIMIT 1",
                params![t.name, ch.row_id, col],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            if hlc == ch.hlc.0 && origin == ch.origin && check_change(&ch)? {
                self.tx.prepare_cached(&upsert_sql(t, &[col]))?.execute(params![ch.row_id, ch.value])?;
                if t.search.contains(&col) {
                    self.refresh_search(t, &ch.row_id)?;
                }
            }
            self.tx.execute("DELETE FROM sync_parked WHERE seq = ?1", [seq])?;
            replayed += 1;
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
