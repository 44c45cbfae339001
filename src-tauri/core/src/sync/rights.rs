//! What an office may change, and what a replica does with an arriving entry
//! that it must not merge.
//!
//! # Rights
//! Each table declares its [`Rights`] in the schema registry. [`may_write`]
//! is the one check: the local write path (`Writer`) calls it for the
//! office's own writes (an `unauthorized` error), and every merge of entries
//! from elsewhere (bundle import, a push at the hub, a pull at an office)
//! goes through [`merge_screened`], which calls it for each entry's origin.
//!
//! # Refusal
//! A refusal concerns one entry, not its bundle: an entry outside its
//! origin's rights, or whose cells break their column's rule
//! (`model::rules`), is never applied and never logged (so never relayed),
//! and is recorded in `sync_refused` with its origin and the reason, which
//! `sync status` and the Sync screen show. The other entries of the same
//! bundle, from an honest office, merge as usual. The verdict depends only
//! on the entry (and, for a currency, on the grant it belongs to), so every
//! honest replica refuses the same entries and replicas still converge.
//!
//! # Held deletes
//! A batch (bundle or hub page) not sent by HQ that deletes many rows
//! created by other offices — more than [`HOLD_DELETES`] of one table, or
//! more than [`HOLD_MIN`] and over a tenth of the table's live rows — is
//! held in `sync_held` for HQ's review instead of applied. HQ's own deletes
//! are never held, and neither is anything HQ relays: HQ only relays what it
//! applied, so a batch HQ approved reaches the offices as HQ's.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::model::rules::check_cells;
use crate::money::Currency;
use crate::schema::{self, Rights, Table};
use crate::seed::SEED_ORIGIN;
use crate::store::{CellValue, Entry, MergeStats, Verdict, Writer, cells_json, parse_cells};
use crate::sync::feed::FeedPos;
use crate::sync::keys::HQ_OFFICE;

/// Deletes of other offices' rows in one batch and table above which it is held.
pub const HOLD_DELETES: usize = 20;
/// Fewer deletes than this are never held, however small the table.
pub const HOLD_MIN: usize = 5;

/// Whether `origin` may write rows of `t`: the one rights check.
pub fn may_write(origin: &str, t: &Table) -> Result<()> {
    if t.rights == Rights::Shared || origin == HQ_OFFICE || origin == SEED_ORIGIN {
        return Ok(());
    }
    Err(Error::Unauthorized(format!(
        "office '{origin}' may not change {}: only HQ ({HQ_OFFICE}) edits that table",
        t.name
    )))
}

/// An entry this replica would not merge, with why.
struct Refusal {
    entry: Entry,
    kind: &'static str,
    reason: String,
}

/// What a merge of arriving entries did beyond the merge itself.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Screening {
    pub stats: MergeStats,
    pub refused: u64,
    pub held: u64,
}

/// The reason an entry may not be merged that the entry alone gives, if
/// any: rights, then the rules of its cells. (Then [`currency_conflict`],
/// which reads the database.)
fn refusal_of(e: &Entry, t: &'static Table) -> Option<(&'static str, String)> {
    if let Err(err) = may_write(&e.origin, t) {
        return Some(("rights", err.to_string()));
    }
    let known = e.cells.iter().filter(|(c, _)| t.column(c).is_some()).map(|(c, v)| (c.as_str(), v));
    if let Err(err) = check_cells(t, known) {
        return Some(("invalid", err.to_string()));
    }
    None
}

/// Batches from this many entries on have their cells checked on two threads.
const PARALLEL_CHECKS: usize = 4_096;

/// [`refusal_of`] for each entry (None for tables this version does not know).
fn refusals(entries: &[Entry], verdicts: &[Verdict]) -> Vec<Option<(&'static str, String)>> {
    crate::parallel::map_pairs(entries, verdicts, PARALLEL_CHECKS, |e, v| v.0.and_then(|t| refusal_of(e, t)))
}

/// A phase, budget line or tranche whose currency is not its grant's. The grant's
/// currency is the newest one this batch carries, else the stored one; an
/// unknown grant (not arrived yet) is no conflict.
fn currency_conflict(
    conn: &Connection,
    e: &Entry,
    t: &Table,
    batch_currency: &HashMap<&str, (Stamp, &str, Currency)>,
) -> Result<Option<String>> {
    let Some(currency) = e.cell("currency").and_then(CellValue::as_str) else { return Ok(None) };
    let Ok(currency) = Currency::parse("currency", currency) else { return Ok(None) };
    let grant_id: Option<String> = match t.name {
        "phases" => match e.cell("grant_id").and_then(CellValue::as_str) {
            Some(g) => Some(g.to_string()),
            None => conn
                .query_row("SELECT grant_id FROM phases WHERE id = ?1", [&e.row_id], |r| r.get(0))
                .optional()?
                .flatten(),
        },
        // A tranche, like a budget line, is kept in its phase's grant's currency.
        "budget_lines" | "tranches" => {
            let phase: Option<String> = match e.cell("phase_id").and_then(CellValue::as_str) {
                Some(p) => Some(p.to_string()),
                None => conn
                    .query_row(&format!("SELECT phase_id FROM {} WHERE id = ?1", t.name), [&e.row_id], |r| r.get(0))
                    .optional()?
                    .flatten(),
            };
            match phase {
                Some(p) => {
                    conn.query_row("SELECT grant_id FROM phases WHERE id = ?1", [p], |r| r.get(0)).optional()?.flatten()
                }
                None => None,
            }
        }
        _ => return Ok(None),
    };
    let Some(grant_id) = grant_id else { return Ok(None) };
    let grant_currency = match batch_currency.get(grant_id.as_str()) {
        Some((_, _, c)) => Some(*c),
        None => conn
            .query_row("SELECT currency FROM grants WHERE id = ?1", [&grant_id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten()
            .and_then(|c| Currency::parse("currency", &c).ok()),
    };
    Ok(match grant_currency {
        Some(g) if g != currency => Some(format!(
            "{}.currency: {currency} does not agree with its grant {grant_id}, which is kept in {g}",
            t.name
        )),
        _ => None,
    })
}

/// The office that created a row: the origin of its oldest entry, here or in the batch.
fn creator<'e>(
    conn: &Connection,
    e: &Entry,
    batch: &'e HashMap<(&str, &str), (Stamp, &'e str)>,
) -> Result<Option<String>> {
    let stored: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT hlc, origin FROM change_log WHERE tbl = ?1 AND row_id = ?2 ORDER BY hlc, origin LIMIT 1",
        )?
        .query_row(params![e.table, e.row_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let arriving = batch.get(&(e.table.as_str(), e.row_id.as_str()));
    Ok(match (stored, arriving) {
        (Some((h, o)), Some((bh, bo))) => Some(if (Stamp(h), o.as_str()) <= (*bh, *bo) { o } else { bo.to_string() }),
        (Some((_, o)), None) => Some(o),
        (None, Some((_, bo))) => Some(bo.to_string()),
        (None, None) => None,
    })
}

fn already_logged(conn: &Connection, e: &Entry) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM change_log WHERE tbl = ?1 AND row_id = ?2 AND hlc = ?3 AND origin = ?4)",
        )?
        .query_row(params![e.table, e.row_id, e.hlc.0, e.origin], |r| r.get(0))?)
}

/// Merges `entries` (checked: `verdicts[i]` is `check_entry`'s verdict on
/// `entries[i]`) from a batch `sender` signed, after refusing what breaks
/// rights or rules and holding a mass delete. Returns the entries merged,
/// for the caller to free.
pub(crate) fn merge_screened(
    w: &mut Writer<'_>,
    entries: Vec<Entry>,
    verdicts: Vec<Verdict>,
    feeds: Vec<Option<FeedPos>>,
    sender: &str,
    via: &str,
) -> Result<(Screening, Vec<Entry>)> {
    let mut out = Screening::default();
    let mut batch_currency: HashMap<&str, (Stamp, &str, Currency)> = HashMap::new();
    for e in entries.iter().filter(|e| e.table == "grants" && may_write(&e.origin, grants_table()).is_ok()) {
        if let Some(c) = e.cell("currency").and_then(CellValue::as_str).and_then(|c| Currency::parse("c", c).ok()) {
            let newer =
                batch_currency.get(e.row_id.as_str()).is_none_or(|(h, o, _)| (e.hlc, e.origin.as_str()) > (*h, *o));
            if newer {
                batch_currency.insert(e.row_id.as_str(), (e.hlc, e.origin.as_str(), c));
            }
        }
    }
    let mut keep = vec![true; entries.len()];
    let mut refused = Vec::new();
    for (i, ((e, v), r)) in entries.iter().zip(&verdicts).zip(refusals(&entries, &verdicts)).enumerate() {
        let Some(t) = v.0 else { continue };
        let refusal = match r {
            Some(r) => Some(r),
            None => currency_conflict(w.conn(), e, t, &batch_currency)?.map(|msg| ("invalid", msg)),
        };
        if let Some((kind, reason)) = refusal {
            keep[i] = false;
            refused.push(Refusal { entry: e.clone(), kind, reason });
        }
    }
    drop(batch_currency);
    let held = if sender == HQ_OFFICE { Vec::new() } else { mass_deletes(w.conn(), &entries, &keep)? };
    for &i in &held {
        keep[i] = false;
    }
    record_refused(w, &refused, via)?;
    out.refused = refused.len() as u64;
    out.held = record_held(w, &entries, &held, via)?;
    let (mut merged, mut merged_verdicts) = (Vec::with_capacity(entries.len()), Vec::with_capacity(entries.len()));
    let mut merged_feeds = Vec::with_capacity(feeds.len());
    // `feeds` is empty when no entry has a place in a feed.
    let mut feeds = feeds.into_iter();
    for ((e, v), k) in entries.into_iter().zip(verdicts).zip(keep) {
        let f = feeds.next();
        if k {
            merged.push(e);
            merged_verdicts.push(v);
            merged_feeds.extend(f);
        }
    }
    out.stats = w.apply_verified(&merged, &merged_verdicts, &merged_feeds)?;
    // Held deletes that have since arrived from HQ (which approved them) are settled.
    w.conn().execute(
        "DELETE FROM sync_held WHERE EXISTS (SELECT 1 FROM change_log c WHERE c.tbl = sync_held.tbl
             AND c.row_id = sync_held.row_id AND c.hlc = sync_held.hlc AND c.origin = sync_held.origin)",
        [],
    )?;
    Ok((out, merged))
}

fn grants_table() -> &'static Table {
    static GRANTS: std::sync::OnceLock<&'static Table> = std::sync::OnceLock::new();
    GRANTS.get_or_init(|| schema::table("grants").unwrap_or(&schema::TABLES[0]))
}

/// Indexes of the entries (among those kept) to hold: per table, the
/// deletes of rows other offices created, when they are too many.
fn mass_deletes(conn: &Connection, entries: &[Entry], keep: &[bool]) -> Result<Vec<usize>> {
    let candidates: Vec<usize> = (0..entries.len())
        .filter(|&i| {
            let e = &entries[i];
            keep[i] && e.origin != HQ_OFFICE && matches!(e.cell("deleted"), Some(CellValue::Integer(1)))
        })
        .collect();
    if candidates.len() <= HOLD_MIN {
        return Ok(Vec::new());
    }
    let mut first: HashMap<(&str, &str), (Stamp, &str)> = HashMap::new();
    for e in entries {
        let at = first.entry((e.table.as_str(), e.row_id.as_str())).or_insert((e.hlc, e.origin.as_str()));
        if (e.hlc, e.origin.as_str()) < *at {
            *at = (e.hlc, e.origin.as_str());
        }
    }
    let mut foreign: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in candidates {
        let e = &entries[i];
        if schema::table(&e.table).is_none() || already_logged(conn, e)? {
            continue;
        }
        if creator(conn, e, &first)?.is_some_and(|c| c != e.origin) {
            foreign.entry(e.table.as_str()).or_default().push(i);
        }
    }
    let mut held = Vec::new();
    for (tbl, idx) in foreign {
        let Some(t) = schema::table(tbl) else { continue };
        let live: i64 =
            conn.query_row(&format!("SELECT count(*) FROM {} WHERE deleted = 0", t.name), [], |r| r.get(0))?;
        let n = idx.len();
        if n > HOLD_DELETES || (n > HOLD_MIN && (n as i64) * 10 > live) {
            held.extend(idx);
        }
    }
    held.sort_unstable();
    Ok(held)
}

fn record_refused(w: &Writer<'_>, refused: &[Refusal], via: &str) -> Result<()> {
    let now = crate::hlc::system_millis();
    let mut q = w.conn().prepare_cached(
        "INSERT OR IGNORE INTO sync_refused (hlc, origin, tbl, row_id, cells, kind, reason, via, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for r in refused {
        let e = &r.entry;
        let cells = cells_json(e.cells.iter().map(|(c, v)| (c.as_str(), v)));
        q.execute(params![e.hlc.0, e.origin, e.table, e.row_id, cells, r.kind, r.reason, via, now])?;
    }
    Ok(())
}

/// Stores the held entries as one batch; returns how many were new.
fn record_held(w: &Writer<'_>, entries: &[Entry], held: &[usize], via: &str) -> Result<u64> {
    if held.is_empty() {
        return Ok(0);
    }
    let batch: i64 = w.conn().query_row("SELECT coalesce(max(batch), 0) + 1 FROM sync_held", [], |r| r.get(0))?;
    let now = crate::hlc::system_millis();
    let mut q = w.conn().prepare_cached(
        "INSERT OR IGNORE INTO sync_held (batch, hlc, origin, tbl, row_id, cells, via, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut n = 0;
    for &i in held {
        let e = &entries[i];
        let cells = cells_json(e.cells.iter().map(|(c, v)| (c.as_str(), v)));
        n += q.execute(params![batch, e.hlc.0, e.origin, e.table, e.row_id, cells, via, now])? as u64;
    }
    Ok(n)
}

/// An entry this replica refused to merge.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RefusedChange {
    pub origin: String,
    pub table: String,
    pub row_id: String,
    /// The columns the entry set.
    pub columns: Vec<String>,
    /// "rights" (outside its origin's rights) or "invalid" (a cell breaks its rule).
    pub kind: String,
    pub reason: String,
    pub via: String,
    #[ts(type = "number")]
    pub received_at: i64,
}

/// Deletes held for HQ's review, by batch.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct HeldBatch {
    #[ts(type = "number")]
    pub batch: i64,
    /// The offices whose deletes these are.
    pub origins: Vec<String>,
    pub tables: Vec<String>,
    #[ts(type = "number")]
    pub deletes: i64,
    pub via: String,
    #[ts(type = "number")]
    pub received_at: i64,
}

/// The most recent refusals (at most `limit`), newest first.
pub(crate) fn refused(conn: &Connection, limit: usize) -> Result<Vec<RefusedChange>> {
    let mut q = conn.prepare(
        "SELECT origin, tbl, row_id, cells, kind, reason, via, received_at FROM sync_refused
         ORDER BY received_at DESC, hlc DESC LIMIT ?1",
    )?;
    let rows = q.query_map([limit as i64], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, i64>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (origin, table, row_id, cells, kind, reason, via, received_at) = row?;
        let columns = parse_cells(&cells).map(|c| c.into_iter().map(|(k, _)| k).collect()).unwrap_or_default();
        out.push(RefusedChange { origin, table, row_id, columns, kind, reason, via, received_at });
    }
    Ok(out)
}

pub(crate) fn held(conn: &Connection) -> Result<Vec<HeldBatch>> {
    let mut q = conn.prepare(
        "SELECT batch, group_concat(DISTINCT origin), group_concat(DISTINCT tbl), count(*), min(via), min(received_at)
         FROM sync_held GROUP BY batch ORDER BY batch",
    )?;
    let rows = q.query_map([], |r| {
        let split = |s: String| s.split(',').map(str::to_string).collect::<Vec<_>>();
        Ok(HeldBatch {
            batch: r.get(0)?,
            origins: split(r.get(1)?),
            tables: split(r.get(2)?),
            deletes: r.get(3)?,
            via: r.get(4)?,
            received_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
