//! The one mutation path. Every write to a domain table happens here and, in
//! the same transaction, appends one entry per written row to `change_log`:
//! the changed cells, stamped with one HLC and the origin office. Sync merges
//! through [`Writer::apply_batch`] (and its reference, [`Writer::apply`]), so
//! a replica's state is always a function of its change log.

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use rusqlite::{ToSql, Transaction, params};

use crate::cell::{CellValue, Entry, cells_json, parse_cells};
use crate::error::{Error, Result};
use crate::fold::fold;
use crate::hlc::{Clock, Stamp};
use crate::schema::{self, Table, entity_name};
use crate::store::digest::entry_term;
use crate::sync::feed::FeedPos;

/// An entry as stored: its position in this replica's log and its cells.
pub(crate) struct Stored {
    pub seq: i64,
    pub hlc: Stamp,
    pub origin: String,
    pub cells: Vec<(String, CellValue)>,
    /// Whether it has a place in its origin's feed.
    pub signed: bool,
}

/// An entry to append: stamp, origin, `cells` text, digest term, feed place.
pub(super) type LogItem<'a> = (Stamp, &'a str, &'a str, i64, Option<&'a FeedPos>);

pub struct Writer<'a> {
    pub(super) tx: Transaction<'a>,
    pub(super) clock: &'a mut Clock,
    origin: &'a str,
    /// Count and checksum of what this transaction changed in `change_log`,
    /// added to `sync_log_digest` at commit. A `Cell` so it can be noted
    /// while a prepared statement borrows the transaction.
    logged: std::cell::Cell<(i64, i64)>,
    /// Row statements by table, kind and set of columns ([`Writer::write_row`]).
    row_sql: std::cell::RefCell<HashMap<(&'static str, RowWrite, u64), String>>,
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

/// A write made here must be within this office's rights and pass the
/// rules of its cells, exactly as an entry arriving from elsewhere must.
fn local_write_allowed<'c>(
    origin: &str,
    t: &Table,
    cells: impl IntoIterator<Item = (&'c str, &'c CellValue)> + Clone,
) -> Result<()> {
    crate::sync::rights::may_write(origin, t)?;
    crate::model::rules::check_cells(t, cells)
}

/// A new row's folded search key: its search columns, absent ones as empty
/// text, joined by spaces, as [`Writer::refresh_search`] computes it in SQL.
/// `cells` are (index in the table's columns, value). None for a table
/// without a search key.
pub(super) fn search_key(t: &Table, cells: &[(usize, &CellValue)]) -> Option<String> {
    if t.search.is_empty() {
        return None;
    }
    let mut key = String::new();
    for (n, s) in t.search.iter().enumerate() {
        if n > 0 {
            key.push(' ');
        }
        key.push_str(cells.iter().find(|(i, _)| t.columns[*i].0 == *s).and_then(|(_, v)| v.as_str()).unwrap_or(""));
    }
    Some(fold(&key))
}

/// What a cached row statement does.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum RowWrite {
    /// `INSERT`, with the search key as the last value if the table has one.
    Insert,
    /// `INSERT ... ON CONFLICT DO UPDATE`: creates the row if a cell arrives
    /// before the row's other cells.
    Upsert,
}

/// SQL writing `cols` (indexes into the table's columns, in order) of a row.
fn row_sql(t: &Table, cols: &[usize], kind: RowWrite) -> String {
    let search = kind == RowWrite::Insert && !t.search.is_empty();
    let mut sql = format!("INSERT INTO {} (id", t.name);
    for i in cols {
        sql.push_str(", ");
        sql.push_str(t.columns[*i].0);
    }
    if search {
        sql.push_str(", search_key");
    }
    sql.push_str(") VALUES (?1");
    for n in 0..cols.len() + usize::from(search) {
        sql.push_str(&format!(", ?{}", n + 2));
    }
    sql.push(')');
    if kind == RowWrite::Upsert {
        sql.push_str(" ON CONFLICT (id) DO UPDATE SET ");
        for (n, i) in cols.iter().enumerate() {
            let c = t.columns[*i].0;
            if n > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("{c} = excluded.{c}"));
        }
    }
    sql
}

/// Most entries one `INSERT` into the log writes ([`Writer::append_logs`]).
const LOG_ROWS_PER_INSERT: usize = 16;

impl<'a> Writer<'a> {
    pub(super) fn new(tx: Transaction<'a>, clock: &'a mut Clock, origin: &'a str) -> Writer<'a> {
        Writer { tx, clock, origin, logged: std::cell::Cell::new((0, 0)), row_sql: Default::default() }
    }

    /// Entries this transaction has added to `change_log` so far.
    pub(super) fn logged_entries(&self) -> i64 {
        self.logged.get().0
    }

    /// Notes `entries` more entries in `change_log` and `term` more checksum.
    fn note_logged(&self, entries: i64, term: i64) {
        let (n, sum) = self.logged.get();
        self.logged.set((n + entries, sum.wrapping_add(term)));
    }

    /// Appends one entry; returns its `seq`.
    pub(super) fn log_entry<'c>(
        &self,
        hlc: Stamp,
        origin: &str,
        tbl: &str,
        row_id: &str,
        cells: impl IntoIterator<Item = (&'c str, &'c CellValue)> + Clone,
    ) -> Result<i64> {
        let term = entry_term(hlc.0, origin, tbl, row_id, cells.clone());
        let seqs = self.append_logs(tbl, row_id, &[(hlc, origin, &cells_json(cells), term, None)])?;
        seqs.first().copied().ok_or_else(|| Error::Sync("change-log entry not written".into()))
    }

    /// Replaces a stored entry's cells with `cells` (a superset: the union
    /// with a copy of the same entry that carried cells this one lacked) and
    /// moves it to the end of the log, so that peers already sent up to its
    /// old position receive it again. Returns its new `seq`.
    pub(super) fn relog_entry(
        &self,
        old: &Stored,
        tbl: &str,
        row_id: &str,
        cells: &[(&str, &CellValue)],
    ) -> Result<i64> {
        let before = entry_term(old.hlc.0, &old.origin, tbl, row_id, old.cells.iter().map(|(c, v)| (c.as_str(), v)));
        let after = entry_term(old.hlc.0, &old.origin, tbl, row_id, cells.iter().copied());
        self.relog(old.seq, &cells_json(cells.iter().copied()), after - before, None)
    }

    /// Appends entries of one row, each (stamp, origin, `cells` text, digest
    /// term as [`entry_term`] computes it, place in its origin's feed), in
    /// one statement per [`LOG_ROWS_PER_INSERT`]: a statement per entry cost
    /// a third of merging a million one-cell entries. Returns their `seq`s,
    /// in order.
    ///
    /// `OR IGNORE`, then a count: a multi-row statement that could abort
    /// half-way keeps a statement journal, a copy of every page it touches,
    /// which was a third of merging a million entries. A row's copies of one
    /// entry are united before they get here, so nothing is ever ignored; if
    /// something were, the count fails the write and the transaction with it.
    pub(super) fn append_logs(&self, tbl: &str, row_id: &str, items: &[LogItem<'_>]) -> Result<Vec<i64>> {
        static SQL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        let sql = SQL.get_or_init(|| {
            (1..=LOG_ROWS_PER_INSERT)
                .map(|n| {
                    // The table and row id are bound once, as ?1 and ?2.
                    let rows: Vec<String> = (0..n)
                        .map(|i| {
                            let p = 6 * i + 3;
                            format!("(?{p}, ?{}, ?1, ?2, ?{}, ?{}, ?{}, ?{})", p + 1, p + 2, p + 3, p + 4, p + 5)
                        })
                        .collect();
                    format!(
                        "INSERT OR IGNORE INTO change_log (hlc, origin, tbl, row_id, cells, feed, fseq, chain) VALUES {}",
                        rows.join(", ")
                    )
                })
                .collect()
        });
        let mut seqs = Vec::with_capacity(items.len());
        const NONE: Option<i64> = None;
        for chunk in items.chunks(LOG_ROWS_PER_INSERT) {
            let mut values: Vec<&dyn ToSql> = Vec::with_capacity(2 + 6 * chunk.len());
            values.push(&tbl);
            values.push(&row_id);
            for (hlc, origin, json, _, pos) in chunk {
                values.push(&hlc.0);
                values.push(origin);
                values.push(json);
                match pos {
                    Some(p) => {
                        values.push(&p.feed);
                        values.push(&p.fseq);
                        values.push(&p.chain);
                    }
                    None => {
                        values.push(&NONE);
                        values.push(&NONE);
                        values.push(&NONE);
                    }
                }
            }
            let n = self.tx.prepare_cached(&sql[chunk.len() - 1])?.execute(values.as_slice())?;
            if n != chunk.len() {
                return Err(Error::Sync(format!("change-log entry of {tbl} {row_id} logged twice")));
            }
            // One statement's rows take consecutive rowids, the last one here.
            let last = self.tx.last_insert_rowid();
            seqs.extend((0..chunk.len() as i64).rev().map(|k| last - k));
            self.note_logged(chunk.len() as i64, chunk.iter().fold(0i64, |sum, c| sum.wrapping_add(c.3)));
        }
        Ok(seqs)
    }

    /// [`Writer::relog_entry`] with the new `cells` text and the change of
    /// the entry's digest term computed by the caller; `pos` gives an
    /// unsigned entry its place in its origin's feed (its signed copy arrived).
    pub(super) fn relog(&self, old_seq: i64, json: &str, term_change: i64, pos: Option<&FeedPos>) -> Result<i64> {
        let seq: i64 = self.tx.query_row("SELECT max(seq) + 1 FROM change_log", [], |r| r.get(0))?;
        match pos {
            None => self
                .tx
                .prepare_cached("UPDATE change_log SET seq = ?1, cells = ?2 WHERE seq = ?3")?
                .execute(params![seq, json, old_seq])?,
            Some(p) => self
                .tx
                .prepare_cached(
                    "UPDATE change_log SET seq = ?1, cells = ?2, feed = ?4, fseq = ?5, chain = ?6 WHERE seq = ?3",
                )?
                .execute(params![seq, json, old_seq, p.feed, p.fseq, &p.chain[..]])?,
        };
        self.tx.prepare_cached("UPDATE sync_parked SET seq = ?1 WHERE seq = ?2")?.execute([seq, old_seq])?;
        self.note_logged(0, term_change);
        Ok(seq)
    }

    /// Every entry of one row, read through the log's (tbl, row_id) index.
    pub(crate) fn stored_entries(&self, tbl: &str, row_id: &str) -> Result<Vec<Stored>> {
        let mut q = self.tx.prepare_cached(
            "SELECT seq, hlc, origin, cells, fseq IS NOT NULL FROM change_log WHERE tbl = ?1 AND row_id = ?2",
        )?;
        let mut rows = q.query(params![tbl, row_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let cells = match r.get_ref(3)? {
                ValueRef::Text(t) => parse_cells(std::str::from_utf8(t).map_err(|e| Error::Sync(e.to_string()))?)?,
                _ => Vec::new(),
            };
            out.push(Stored { seq: r.get(0)?, hlc: Stamp(r.get(1)?), origin: r.get(2)?, cells, signed: r.get(4)? });
        }
        Ok(out)
    }

    /// Whether the row has any entry, and those of its entries whose
    /// `(hlc, origin)` is at least `from`. Keys come from a range of the
    /// log's index alone, so a row edited a thousand times costs no more
    /// than a new one; only the entries returned are read and unpacked.
    pub(crate) fn stored_entries_since(
        &self,
        tbl: &str,
        row_id: &str,
        from: (Stamp, &str),
    ) -> Result<(bool, Vec<Stored>)> {
        let mut keys: Vec<(i64, Stamp, String)> = Vec::new();
        {
            let mut q = self.tx.prepare_cached(
                "SELECT seq, hlc, origin FROM change_log WHERE tbl = ?1 AND row_id = ?2 AND hlc >= ?3",
            )?;
            let mut rows = q.query(params![tbl, row_id, from.0.0])?;
            while let Some(r) = rows.next()? {
                let (hlc, origin) = (Stamp(r.get(1)?), r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?);
                if (hlc, origin) >= from {
                    keys.push((r.get(0)?, hlc, origin.to_string()));
                }
            }
        }
        let any = !keys.is_empty()
            || self
                .tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM change_log WHERE tbl = ?1 AND row_id = ?2)")?
                .query_row(params![tbl, row_id], |r| r.get(0))?;
        let mut out = Vec::with_capacity(keys.len());
        for (seq, hlc, origin) in keys {
            let (cells, signed): (String, bool) = self
                .tx
                .prepare_cached("SELECT cells, fseq IS NOT NULL FROM change_log WHERE seq = ?1")?
                .query_row([seq], |r| Ok((r.get(0)?, r.get(1)?)))?;
            out.push(Stored { seq, hlc, origin, cells: parse_cells(&cells)?, signed });
        }
        Ok((any, out))
    }

    pub(super) fn finish(self) -> Result<()> {
        let (n, sum) = self.logged.get();
        if n != 0 || sum != 0 {
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
        local_write_allowed(origin, t, cells.iter().map(|(c, v)| (*c, v)))?;
        let mut cols: Vec<(&'static str, &CellValue)> = Vec::with_capacity(cells.len());
        let mut at: Vec<(usize, &CellValue)> = Vec::with_capacity(cells.len());
        for (c, v) in cells {
            let col = checked_column(t, c, v)?;
            if cols.iter().any(|(k, _)| *k == col) {
                return Err(Error::invalid(col, "set twice in one insert"));
            }
            cols.push((col, v));
            at.extend(t.index(col).map(|i| (i, v)));
        }
        at.sort_unstable_by_key(|(i, _)| *i);
        self.clock.observe(stamp);
        match self.insert_cells(t, id, &at, search_key(t, &at).as_deref()) {
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
                return Err(Error::Conflict(format!("{} {id} already exists", t.name)));
            }
            other => other?,
        };
        // A row of nulls only logs nothing, as absent is the initial state.
        let logged = cols.iter().filter(|(_, v)| !v.is_null()).map(|(c, v)| (*c, *v));
        if logged.clone().next().is_some() {
            self.log_entry(stamp, origin, t.name, id, logged)?;
        }
        Ok(())
    }

    /// Changes the given cells of an existing, not deleted row.
    pub fn update(&mut self, table: &str, id: &str, cells: &[(&str, CellValue)]) -> Result<Option<Stamp>> {
        let origin = self.require_origin()?;
        let t = known_table(table)?;
        local_write_allowed(origin, t, cells.iter().map(|(c, v)| (*c, v)))?;
        self.require_live(t, id)?;
        // Only cells whose value actually changes are logged.
        let mut changed: Vec<(&'static str, &CellValue)> = Vec::with_capacity(cells.len());
        for (c, v) in cells {
            let col = checked_column(t, c, v)?;
            let old = self
                .tx
                .prepare_cached(&format!("SELECT {col} FROM {} WHERE id = ?1", t.name))?
                .query_row([id], |r| Ok(CellValue::from_value_ref(r.get_ref(0)?)))?;
            if old != *v && !changed.iter().any(|(c, _)| *c == col) {
                changed.push((col, v));
            }
        }
        if changed.is_empty() {
            return Ok(None);
        }
        let stamp = self.clock.tick()?;
        self.log_entry(stamp, origin, t.name, id, changed.iter().copied())?;
        self.set_cells(t, id, &changed)?;
        if changed.iter().any(|(c, _)| t.search.contains(c)) {
            self.refresh_search(t, id)?;
        }
        Ok(Some(stamp))
    }

    /// Deletes a row as a last-writer-wins tombstone: the `deleted` cell.
    pub fn delete(&mut self, table: &str, id: &str) -> Result<Stamp> {
        self.set_deleted(table, id, true)
    }

    /// Undoes a delete: the `deleted` cell set back to 0, an ordinary
    /// change that wins or loses against other edits of the cell by the
    /// same last-writer-wins rule.
    pub fn restore(&mut self, table: &str, id: &str) -> Result<Stamp> {
        self.set_deleted(table, id, false)
    }

    fn set_deleted(&mut self, table: &str, id: &str, deleted: bool) -> Result<Stamp> {
        let origin = self.require_origin()?;
        let t = known_table(table)?;
        let value = CellValue::Integer(i64::from(deleted));
        local_write_allowed(origin, t, [("deleted", &value)])?;
        if deleted {
            self.require_live(t, id)?;
        } else {
            self.require_removed(t, id)?;
        }
        let stamp = self.clock.tick()?;
        let cells = [("deleted", &value)];
        self.log_entry(stamp, origin, t.name, id, cells)?;
        self.set_cells(t, id, &cells)?;
        Ok(stamp)
    }

    fn require_removed(&self, t: &Table, id: &str) -> Result<()> {
        let deleted: Option<i64> = self
            .tx
            .prepare_cached(&format!("SELECT deleted FROM {} WHERE id = ?1", t.name))?
            .query_row([id], |r| r.get(0))
            .ok();
        match deleted {
            Some(1) => Ok(()),
            Some(_) => Err(Error::Conflict(format!("{} {id} is not removed", entity_name(t.name)))),
            None => Err(Error::NotFound { entity: entity_name(t.name), id: id.to_string() }),
        }
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

    /// Inserts a row from `cells`: (index in the table's columns, value),
    /// in column order, each column once, with its [`search_key`]. Every
    /// new row goes through here: local inserts, the seed, and sync.
    pub(super) fn insert_cells(
        &self,
        t: &'static Table,
        id: &str,
        cells: &[(usize, &CellValue)],
        search: Option<&str>,
    ) -> rusqlite::Result<usize> {
        self.write_row(t, id, cells, RowWrite::Insert, search)
    }

    /// Writes `cells` (as for [`Writer::insert_cells`]) into a row, creating
    /// it if a cell arrives before the row's other cells.
    pub(super) fn upsert_cells(&self, t: &'static Table, id: &str, cells: &[(usize, &CellValue)]) -> Result<()> {
        self.write_row(t, id, cells, RowWrite::Upsert, None)?;
        if cells.iter().any(|(i, _)| t.search.contains(&t.columns[*i].0)) {
            self.refresh_search(t, id)?;
        }
        Ok(())
    }

    fn write_row(
        &self,
        t: &'static Table,
        id: &str,
        cells: &[(usize, &CellValue)],
        kind: RowWrite,
        search: Option<&str>,
    ) -> rusqlite::Result<usize> {
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(cells.len() + 2);
        values.push(&id);
        let mut mask = 0u64;
        for (i, v) in cells {
            mask |= 1u64.checked_shl(*i as u32).unwrap_or(0);
            values.push(*v);
        }
        if kind == RowWrite::Insert && !t.search.is_empty() {
            values.push(&search);
        }
        let cols = || cells.iter().map(|(i, _)| *i).collect::<Vec<_>>();
        // One statement per set of columns, its text built once: building
        // SQL text per row cost more than SQLite's insert of it. No table
        // has more than 64 columns; if one had, its text is built each time.
        if t.columns.len() > 64 {
            return self.tx.prepare_cached(&row_sql(t, &cols(), kind))?.execute(values.as_slice());
        }
        let mut cache = self.row_sql.borrow_mut();
        let sql = cache.entry((t.name, kind, mask)).or_insert_with(|| row_sql(t, &cols(), kind));
        self.tx.prepare_cached(sql)?.execute(values.as_slice())
    }

    /// Sets cells of an existing row (schema column names only).
    fn set_cells(&self, t: &Table, id: &str, cells: &[(&str, &CellValue)]) -> Result<()> {
        let sets: Vec<String> = cells.iter().enumerate().map(|(i, (c, _))| format!("{c} = ?{}", i + 2)).collect();
        let sql = format!("UPDATE {} SET {} WHERE id = ?1", t.name, sets.join(", "));
        let mut values: Vec<&dyn ToSql> = Vec::with_capacity(cells.len() + 1);
        values.push(&id);
        for (_, v) in cells {
            values.push(*v);
        }
        self.tx.prepare_cached(&sql)?.execute(values.as_slice())?;
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

    /// Merges one entry made elsewhere, the simplest way: the reference that
    /// the batched merge ([`Writer::apply_batch`]) must agree with. Returns
    /// whether the entry was new to this replica (or carried cells its
    /// stored copy lacked). Each cell takes effect only if it is the cell's
    /// winner: the highest (hlc, origin) among the row's entries carrying
    /// that column. Order, grouping and repeats of calls do not change the outcome.
    pub fn apply(&mut self, e: &Entry) -> Result<bool> {
        let t = known_table(&e.table)?;
        let mut cells: Vec<(&'static str, &CellValue)> = Vec::with_capacity(e.cells.len());
        for (c, v) in &e.cells {
            cells.push((checked_column(t, c, v)?, v));
        }
        if e.row_id.is_empty() || e.origin.is_empty() {
            return Err(Error::Rejected("change without row id or origin".into()));
        }
        self.clock.observe(e.hlc);
        let stored = self.stored_entries(t.name, &e.row_id)?;
        let union: Vec<(&str, &CellValue)> = match stored.iter().find(|s| s.hlc == e.hlc && s.origin == e.origin) {
            None => {
                self.log_entry(e.hlc, &e.origin, t.name, &e.row_id, cells.iter().copied())?;
                cells
            }
            Some(s) => {
                let mut union: Vec<(&str, &CellValue)> = s.cells.iter().map(|(c, v)| (c.as_str(), v)).collect();
                let before = union.len();
                for (c, v) in &cells {
                    if !union.iter().any(|(k, _)| k == c) {
                        union.push((c, v));
                    }
                }
                if union.len() == before {
                    return Ok(false);
                }
                self.relog_entry(s, t.name, &e.row_id, &union)?;
                union
            }
        };
        let mut searched = false;
        for (c, v) in union {
            let Some((col, _)) = t.column(c) else { continue };
            let (hlc, origin): (i64, String) = self
                .tx
                .prepare_cached(
                    "SELECT e.hlc, e.origin FROM change_log e, json_each(e.cells) j
                     WHERE e.tbl = ?1 AND e.row_id = ?2 AND j.key = ?3
                     ORDER BY e.hlc DESC, e.origin DESC LIMIT 1",
                )?
                .query_row(params![t.name, e.row_id, col], |r| Ok((r.get(0)?, r.get(1)?)))?;
            if hlc == e.hlc.0 && origin == e.origin {
                self.tx
                    .prepare_cached(&format!("INSERT OR IGNORE INTO {} (id) VALUES (?1)", t.name))?
                    .execute([&e.row_id])?;
                self.set_cells(t, &e.row_id, &[(col, v)])?;
                searched |= t.search.contains(&col);
            }
        }
        if searched {
            self.refresh_search(t, &e.row_id)?;
        }
        Ok(true)
    }
}
