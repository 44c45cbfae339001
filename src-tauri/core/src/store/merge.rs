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

use std::collections::HashMap;

use crate::cell::{CellValue, Entry, cells_json};
use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::schema::{self, Table};
use crate::store::digest::entry_term;
use crate::store::write::{LogItem, Stored, Writer, search_key};
use crate::sync::feed::FeedPos;

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

/// Most entries an empty log receives with its indexes built afterwards
/// rather than kept up to date (see `drop_indexes_for_bulk_load`).
const LOG_SORT_ROWS: usize = 250_000;

/// More columns than any table could have: a corrupt or hostile entry.
const MAX_CELLS: usize = 256;

/// [`check_entry`]'s verdict on an entry: its table if this version knows
/// it, and whether this version knows every column it sets (if not, the
/// entry is parked).
pub type Verdict = (Option<&'static Table>, bool);

/// Checks one entry before anything is written.
pub fn check_entry(e: &Entry) -> Result<Verdict> {
    if e.row_id.is_empty() || e.row_id.len() > 200 || e.origin.is_empty() || e.origin.len() > 64 {
        return Err(Error::Rejected(format!(
            "change with a missing or oversized row id or origin in {}",
            truncate(&e.table)
        )));
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
            return Err(Error::Rejected(format!(
                "invalid table or column name {:?}.{:?}",
                truncate(&e.table),
                truncate(c)
            )));
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
    hlc: Stamp,
    origin: &'e str,
    /// Each cell with whether it is new to this replica.
    cells: Vec<(&'e str, &'e CellValue, bool)>,
    /// The stored copy this entry extends (it gained cells), if stored.
    stored: Option<&'e Stored>,
    changed: bool,
    /// For an arriving entry: whether this version knows all its columns.
    known: bool,
    /// Its verified place in its origin's feed, if it arrived with one.
    feed: Option<&'e FeedPos>,
}

/// An entry new to this replica, to be logged.
struct Append<'e> {
    hlc: Stamp,
    origin: &'e str,
    json: String,
    term: i64,
    parked: bool,
    feed: Option<&'e FeedPos>,
}

/// A stored entry that gained cells, or whose signed copy arrived:
/// rewritten and moved to the log's end.
struct Extend<'e> {
    seq: i64,
    json: String,
    term_change: i64,
    parked: bool,
    feed: Option<&'e FeedPos>,
}

/// Everything merging one row writes, decided in memory from the row's
/// arriving and stored entries.
struct RowPlan<'e> {
    table: Option<&'static Table>,
    tbl: &'e str,
    row_id: &'e str,
    /// The row had no stored entry, so it has no row yet either (every row
    /// is created by a logged write): the common case of an initial sync.
    fresh_row: bool,
    appends: Vec<Append<'e>>,
    extends: Vec<Extend<'e>>,
    /// Cells this replica did not have that win their column: (index in
    /// the table's columns, value), in column order.
    winners: Vec<(usize, &'e CellValue)>,
    /// The search key of a fresh row, for tables that have one.
    search: Option<String>,
    stats: MergeStats,
}

/// A row group, in the order of [`Writer::apply_batch`]: planned already
/// (its table had no stored entries), or to be merged against stored ones.
enum Planned<'e> {
    Ready(RowPlan<'e>),
    Lookup(&'e [usize]),
}

/// Batches with at least this many rows plan them on a second thread while
/// this one writes: an initial sync spends as long in SQLite as in building
/// JSON text, search keys and winners.
const PIPELINE_ROWS: usize = 4_096;

/// Rows handed from the planning thread to the writer at a time.
const PIPELINE_CHUNK: usize = 512;

impl MergeStats {
    fn add(&mut self, o: MergeStats) {
        self.new += o.new;
        self.won += o.won;
        self.parked += o.parked;
    }
}

/// Decides how to merge one row: `idx` are its arriving entries (indexes
/// into `entries`, checked by [`check_entry`] into `checked`), `stored` the
/// stored entries that could beat them, `any_stored` whether the row has
/// any stored entry at all.
fn plan_row<'e>(
    checked: &[Verdict],
    entries: &'e [Entry],
    feeds: &'e [Option<FeedPos>],
    idx: &[usize],
    stored: &'e [Stored],
    any_stored: bool,
) -> Option<RowPlan<'e>> {
    let &first = idx.first()?;
    let t = checked[first].0;
    let (tbl, row_id) = (entries[first].table.as_str(), entries[first].row_id.as_str());
    let mut row: Vec<RowEntry<'e>> = stored
        .iter()
        .map(|s| RowEntry {
            hlc: s.hlc,
            origin: s.origin.as_str(),
            cells: s.cells.iter().map(|(c, v)| (c.as_str(), v, false)).collect(),
            stored: Some(s),
            changed: false,
            known: true,
            feed: None,
        })
        .collect();
    for &i in idx {
        let e = &entries[i];
        let feed = feeds.get(i).and_then(Option::as_ref);
        match row.iter_mut().find(|r| r.hlc == e.hlc && r.origin == e.origin.as_str()) {
            // The signed copy of an entry stored unsigned (logged before
            // feeds): it replaces the stored cells, which may have been
            // altered, and gives the entry its place in the feed.
            Some(r) if feed.is_some() && r.feed.is_none() && r.stored.is_some_and(|s| !s.signed) => {
                let old = std::mem::take(&mut r.cells);
                r.cells = e
                    .cells
                    .iter()
                    .map(|(c, v)| (c.as_str(), v, !old.iter().any(|(k, w, _)| k == c && *w == v)))
                    .collect();
                r.feed = feed;
                r.changed = true;
            }
            // A copy of an entry seen before: news only for cells the
            // stored copy lacks (a log converted from per-cell form, or a
            // replica that received part of an entry).
            Some(r) => {
                for (c, v) in &e.cells {
                    if !r.cells.iter().any(|(k, ..)| k == c) {
                        r.cells.push((c.as_str(), v, true));
                        r.changed = true;
                    }
                }
            }
            None => row.push(RowEntry {
                known: checked[i].1,
                hlc: e.hlc,
                origin: e.origin.as_str(),
                cells: e.cells.iter().map(|(c, v)| (c.as_str(), v, true)).collect(),
                stored: None,
                changed: true,
                feed,
            }),
        }
    }
    let mut plan = RowPlan {
        table: t,
        tbl,
        row_id,
        fresh_row: !any_stored,
        appends: Vec::new(),
        extends: Vec::new(),
        winners: Vec::new(),
        search: None,
        stats: MergeStats::default(),
    };
    for r in row.iter().filter(|r| r.changed) {
        let cells = r.cells.iter().map(|(c, v, _)| (*c, *v));
        let parked = match (t, r.stored) {
            (Some(t), Some(_)) => r.cells.iter().any(|(c, ..)| t.column(c).is_none()),
            (Some(_), None) => !r.known,
            (None, _) => true,
        };
        let term = entry_term(r.hlc.0, r.origin, tbl, row_id, cells.clone());
        let json = cells_json(cells);
        match r.stored {
            Some(s) => {
                let before = entry_term(s.hlc.0, &s.origin, tbl, row_id, s.cells.iter().map(|(c, v)| (c.as_str(), v)));
                plan.extends.push(Extend { seq: s.seq, json, term_change: term - before, parked, feed: r.feed });
            }
            None => {
                plan.stats.parked += u64::from(parked);
                plan.appends.push(Append { hlc: r.hlc, origin: r.origin, json, term, parked, feed: r.feed });
            }
        }
        plan.stats.new += 1;
    }
    let Some(t) = t else { return Some(plan) };
    // Each column's winner over all the row's entries; written if it is
    // a cell this replica did not have.
    let mut best: Vec<(usize, (Stamp, &str), &'e CellValue, bool)> = Vec::new();
    for r in &row {
        for &(c, v, new) in &r.cells {
            let Some(col) = t.index(c) else { continue };
            let key = (r.hlc, r.origin);
            match best.iter_mut().find(|b| b.0 == col) {
                Some(b) if b.1 > key => {}
                Some(b) => *b = (col, key, v, new),
                None => best.push((col, key, v, new)),
            }
        }
    }
    best.retain(|b| b.3);
    best.sort_by_key(|b| b.0);
    plan.stats.won = best.len() as u64;
    plan.winners = best.iter().map(|b| (b.0, b.2)).collect();
    if plan.fresh_row && !plan.winners.is_empty() {
        plan.search = search_key(t, &plan.winners);
    }
    Some(plan)
}

impl Writer<'_> {
    /// Merges `entries`, checking each with [`check_entry`] first. Order,
    /// grouping and repeats do not change the outcome.
    pub fn apply_batch(&mut self, entries: &[Entry]) -> Result<MergeStats> {
        let checked = entries.iter().map(check_entry).collect::<Result<Vec<_>>>()?;
        self.apply_checked(entries, &checked)
    }

    /// [`Writer::apply_batch`] for entries already checked: `checked[i]` is
    /// [`check_entry`]'s verdict on `entries[i]`.
    pub(crate) fn apply_checked(&mut self, entries: &[Entry], checked: &[Verdict]) -> Result<MergeStats> {
        self.apply_verified(entries, checked, &[])
    }

    /// [`Writer::apply_checked`] for entries whose origins were verified:
    /// `feeds[i]` is `entries[i]`'s place in its origin's feed, logged with
    /// it (`feeds` may be empty: none has one).
    pub(crate) fn apply_verified(
        &mut self,
        entries: &[Entry],
        checked: &[Verdict],
        feeds: &[Option<FeedPos>],
    ) -> Result<MergeStats> {
        if checked.len() != entries.len() || !(feeds.is_empty() || feeds.len() == entries.len()) {
            return Err(Error::Sync("merge called with a verdict missing".into()));
        }
        // Group by row, rows in (table, row id) order so that inserts into
        // the log's and the tables' indexes go to neighbouring pages, entries
        // in input order. Only the distinct rows are sorted by their strings.
        // foldhash: SipHash made this map a tenth of merging a million entries.
        let mut rows: HashMap<(&str, &str), u32, foldhash::fast::RandomState> =
            HashMap::with_capacity_and_hasher(entries.len(), Default::default());
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
        let mut groups: Vec<&[usize]> = Vec::with_capacity(keys.len());
        let mut rest = order.as_slice();
        while let Some(&first) = rest.first() {
            let n = rest.iter().position(|&i| row_of[i] != row_of[first]).unwrap_or(rest.len());
            let (group, tail) = rest.split_at(n);
            groups.push(group);
            rest = tail;
        }
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
        let plan_now = |group: &'_ [usize]| -> Option<RowPlan<'_>> {
            let table = entries[*group.first()?].table.as_str();
            empty
                .get(table)
                .copied()
                .unwrap_or(false)
                .then(|| plan_row(checked, entries, feeds, group, &[], false))
                .flatten()
        };
        let rebuild = self.drop_indexes_for_bulk_load(entries, checked, &keys)?;
        let mut stats = MergeStats::default();
        let merged = if groups.len() >= PIPELINE_ROWS {
            std::thread::scope(|scope| {
                let (to_writer, planned) = std::sync::mpsc::sync_channel::<Vec<Planned<'_>>>(8);
                // Written batches go back to be freed where they were
                // allocated: freeing in the writer made the two threads
                // contend for the allocator's lock.
                let (written, to_free) = std::sync::mpsc::channel::<Vec<Planned<'_>>>();
                let (plan_now, groups) = (&plan_now, &groups);
                scope.spawn(move || {
                    for chunk in groups.chunks(PIPELINE_CHUNK) {
                        let batch =
                            chunk.iter().map(|g| plan_now(g).map_or(Planned::Lookup(g), Planned::Ready)).collect();
                        // The writer stopped (it failed): nothing more to plan.
                        if to_writer.send(batch).is_err() {
                            break;
                        }
                        to_free.try_iter().for_each(drop);
                    }
                    drop(to_writer);
                    to_free.into_iter().for_each(drop);
                });
                for batch in planned {
                    for p in &batch {
                        match p {
                            Planned::Ready(plan) => self.write_plan(plan, &mut stats)?,
                            Planned::Lookup(group) => self.merge_row(checked, entries, feeds, group, &mut stats)?,
                        }
                    }
                    // The planner has gone only if it panicked.
                    let _ = written.send(batch);
                }
                Ok(())
            })
        } else {
            groups.iter().try_for_each(|g| match plan_now(g) {
                Some(plan) => self.write_plan(&plan, &mut stats),
                None => self.merge_row(checked, entries, feeds, g, &mut stats),
            })
        };
        // Recreated even after a failure, in case the caller carries on in
        // this transaction; a kill before commit restores them anyway.
        for sql in rebuild {
            self.tx.execute_batch(&sql)?;
        }
        merged?;
        if let Some(max_seen) = entries.iter().map(|e| e.hlc).max() {
            self.clock.observe(max_seen);
        }
        Ok(stats)
    }

    /// Drops the secondary indexes of every known table that is empty and
    /// about to receive at least [`BULK_ROWS`] rows (an initial sync), and
    /// the log's indexes if the log is empty, and returns the statements
    /// that recreate them. Building an index by one sort at the end costs
    /// far less than keeping it up to date row by row in random key order.
    /// The tables' unique indexes stay: they are constraints.
    fn drop_indexes_for_bulk_load(
        &self,
        entries: &[Entry],
        checked: &[Verdict],
        keys: &[(&str, &str)],
    ) -> Result<Vec<String>> {
        let mut rows: HashMap<&str, usize> = HashMap::new();
        for (tbl, _) in keys {
            *rows.entry(tbl).or_default() += 1;
        }
        let mut tables: Vec<&'static Table> = Vec::new();
        for (e, (t, _)) in entries.iter().zip(checked) {
            let Some(t) = t else { continue };
            if rows.get(e.table.as_str()).is_some_and(|n| *n >= BULK_ROWS)
                && !tables.iter().any(|k| std::ptr::eq(*k, *t))
            {
                tables.push(t);
            }
        }
        let mut rebuild = Vec::new();
        let mut drop_indexes = |tbl: &str, unique_too: bool| -> Result<()> {
            let indexes: Vec<(String, String)> = {
                let mut q = self.tx.prepare(
                    "SELECT name, sql FROM sqlite_schema
                     WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL AND (?2 OR sql NOT LIKE 'CREATE UNIQUE%')",
                )?;
                let rows = q.query_map(rusqlite::params![tbl, unique_too], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            for (name, sql) in indexes {
                self.tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
                rebuild.push(sql);
            }
            Ok(())
        };
        for t in tables {
            let empty: bool =
                self.tx.query_row(&format!("SELECT NOT EXISTS (SELECT 1 FROM {})", t.name), [], |r| r.get(0))?;
            if empty {
                drop_indexes(t.name, false)?;
            }
        }
        // An empty log receiving a large batch (a first sync) goes without
        // even its unique index until the end, which took a fifth of merging
        // 100k entries. Rebuilding it cannot fail: a row's copies of one
        // entry are united before they are logged, so the batch logs each
        // entry once. Nothing looks entries up meanwhile: every table is
        // empty, so no row has stored entries.
        // Only up to LOG_SORT_ROWS: SQLCipher keeps temporary data in memory
        // (its temporary files are not encrypted), where SQLite's sorter
        // allocates each key on its own and merge-sorts a linked list, which
        // falls out of the CPU cache as it grows: 0.5 µs a key at 100k
        // entries, 2.3 µs at a million, twice as slow as keeping the log's
        // indexes, whose keys arrive nearly in order, up to date row by row.
        let log_empty: bool = self.tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM change_log)", [], |r| r.get(0))?;
        if log_empty && (BULK_ROWS..=LOG_SORT_ROWS).contains(&entries.len()) {
            drop_indexes("change_log", true)?;
        }
        Ok(rebuild)
    }

    /// Merges one row against its stored entries. `checked[i]` is
    /// [`check_entry`]'s verdict on `entries[i]`.
    fn merge_row(
        &mut self,
        checked: &[Verdict],
        entries: &[Entry],
        feeds: &[Option<FeedPos>],
        idx: &[usize],
        stats: &mut MergeStats,
    ) -> Result<()> {
        let Some(&first) = idx.first() else { return Ok(()) };
        let (tbl, row_id) = (entries[first].table.as_str(), entries[first].row_id.as_str());
        // Stored entries older than every arriving one can beat none of its
        // cells: only the others are read and unpacked (usually none).
        let oldest = idx.iter().map(|&i| (entries[i].hlc, entries[i].origin.as_str())).min();
        let (any_stored, stored) = match oldest {
            Some(oldest) => self.stored_entries_since(tbl, row_id, oldest)?,
            None => (false, Vec::new()),
        };
        match plan_row(checked, entries, feeds, idx, &stored, any_stored) {
            Some(plan) => self.write_plan(&plan, stats),
            None => Ok(()),
        }
    }

    fn write_plan(&self, plan: &RowPlan<'_>, stats: &mut MergeStats) -> Result<()> {
        let appends: Vec<LogItem<'_>> =
            plan.appends.iter().map(|a| (a.hlc, a.origin, a.json.as_str(), a.term, a.feed)).collect();
        let seqs = self.append_logs(plan.tbl, plan.row_id, &appends)?;
        for (seq, a) in seqs.into_iter().zip(&plan.appends) {
            if a.parked {
                self.tx.prepare_cached("INSERT INTO sync_parked (seq) VALUES (?1)")?.execute([seq])?;
            }
        }
        for x in &plan.extends {
            let seq = self.relog(x.seq, &x.json, x.term_change, x.feed)?;
            if x.parked {
                self.tx.prepare_cached("INSERT OR IGNORE INTO sync_parked (seq) VALUES (?1)")?.execute([seq])?;
            }
        }
        stats.add(plan.stats);
        let Some(t) = plan.table else { return Ok(()) };
        if plan.winners.is_empty() {
            return Ok(());
        }
        if plan.fresh_row {
            match self.insert_cells(t, plan.row_id, &plan.winners, plan.search.as_deref()) {
                Ok(_) => return Ok(()),
                // The row exists after all: its cells are upserted.
                Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {}
                Err(e) => return Err(e.into()),
            }
        }
        self.upsert_cells(t, plan.row_id, &plan.winners)
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
            let mut winners: Vec<(usize, &CellValue)> = Vec::new();
            for (c, v) in &this.cells {
                let Some(i) = t.index(c) else {
                    all_known = false;
                    continue;
                };
                let (col, kind) = t.columns[i];
                // Written by a version that did not check it against this schema.
                if !v.fits(kind) || (col == "deleted" && !matches!(v, CellValue::Integer(0 | 1))) {
                    continue;
                }
                let beaten = stored.iter().any(|s| {
                    (s.hlc, s.origin.as_str()) > (this.hlc, this.origin.as_str())
                        && s.cells.iter().any(|(k, _)| k == col)
                });
                if !beaten {
                    winners.push((i, v));
                }
            }
            if !winners.is_empty() {
                winners.sort_unstable_by_key(|w| w.0);
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
