//! What the sync panel and `kizuna sync status` show, and restoring a value
//! that lost a conflict.

use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::api::Kizuna;
use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::schema;
use crate::seed::SEED_ORIGIN;
use crate::store::{CellValue, parse_cells};
use crate::sync::keys;
use crate::sync::rights::{self, HeldBatch, RefusedChange};

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PeerSync {
    /// `office:CODE` for bundles and hub clients, `hub:URL` for a hub.
    pub peer: String,
    /// Last successful exchange, UTC milliseconds.
    #[ts(type = "number | null")]
    pub last_sync_at: Option<i64>,
    #[ts(type = "number")]
    pub sent_upto: i64,
    #[ts(type = "number")]
    pub received_upto: i64,
}

/// A change held back because its stamp is too far ahead of this clock.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct QuarantinedChange {
    pub origin: String,
    pub table: String,
    pub row_id: String,
    pub column: String,
    /// The stamp as text (time and counter).
    pub stamp: String,
    /// How far ahead of this machine's clock, in seconds, now.
    #[ts(type = "number")]
    pub ahead_secs: i64,
    pub via: String,
}

/// A value that lost to a later one from another office. Restore it with
/// [`Kizuna::restore_overwritten`] using `hlc` and `origin`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OverwrittenValue {
    pub table: String,
    pub row_id: String,
    pub column: String,
    #[ts(type = "unknown")]
    pub lost_value: CellValue,
    pub lost_origin: String,
    #[ts(type = "number")]
    pub lost_hlc: i64,
    #[ts(type = "unknown")]
    pub current_value: CellValue,
    pub current_origin: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    pub office: String,
    /// This replica holds a key enrolled in a network.
    pub enrolled: bool,
    /// Offices whose changes this replica accepts.
    pub enrolled_offices: Vec<String>,
    /// This office's changes not yet pushed to a hub or written to a bundle.
    #[ts(type = "number")]
    pub unsent_changes: i64,
    pub peers: Vec<PeerSync>,
    pub quarantined: Vec<QuarantinedChange>,
    /// Changes for tables or columns this version does not know yet.
    #[ts(type = "number")]
    pub parked_changes: i64,
    /// The most recent values that lost a conflict (at most 200).
    pub overwritten: Vec<OverwrittenValue>,
    /// The most recent entries refused at merge, with origin and reason (at most 200).
    pub refused: Vec<RefusedChange>,
    /// Mass deletes held for HQ's review.
    pub held: Vec<HeldBatch>,
}

impl Kizuna {
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let conn = self.store().conn();
        let enrolled = keys::identity(conn, self.office_code())?.is_some();
        let enrolled_offices = keys::certs(conn)?.into_iter().map(|c| c.office).collect();
        let peers = conn
            .prepare("SELECT peer, last_sync_at, sent_upto, received_upto FROM sync_peers ORDER BY peer")?
            .query_map([], |r| {
                Ok(PeerSync {
                    peer: r.get(0)?,
                    last_sync_at: r.get(1)?,
                    sent_upto: r.get(2)?,
                    received_upto: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let clock = self.store().clock();
        let quarantined = conn
            .prepare("SELECT origin, tbl, row_id, col, hlc, via FROM sync_quarantine ORDER BY hlc")?
            .query_map([], |r| {
                let stamp = Stamp(r.get(4)?);
                Ok(QuarantinedChange {
                    origin: r.get(0)?,
                    table: r.get(1)?,
                    row_id: r.get(2)?,
                    column: r.get(3)?,
                    stamp: stamp.to_string(),
                    ahead_secs: clock.drift_ms(stamp) / 1000,
                    via: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let parked_changes = conn.query_row("SELECT count(*) FROM sync_parked", [], |r| r.get(0))?;
        Ok(SyncStatus {
            office: self.office_code().to_string(),
            enrolled,
            enrolled_offices,
            unsent_changes: self.unsynced_changes()?,
            peers,
            quarantined,
            parked_changes,
            overwritten: self.overwritten(200)?,
            refused: rights::refused(conn, 200)?,
            held: rights::held(conn)?,
        })
    }

    /// Values from one office that a later value from another office
    /// replaced, newest first. Seed values replaced by edits are not
    /// conflicts and are left out.
    pub fn overwritten(&self, limit: usize) -> Result<Vec<OverwrittenValue>> {
        let conn = self.store().conn();
        // Only rows written by more than one office can hold a conflict:
        // found through the log's (tbl, row_id, ...) index before any
        // entry's cells are unpacked.
        let mut q = conn.prepare(
            "WITH contested AS (
                 SELECT tbl, row_id FROM change_log WHERE origin <> ?1
                 GROUP BY tbl, row_id HAVING count(DISTINCT origin) > 1),
             ranked AS (
                 SELECT e.tbl, e.row_id, j.key AS col, e.hlc, e.origin, j.value AS value,
                        row_number() OVER (PARTITION BY e.tbl, e.row_id, j.key ORDER BY e.hlc DESC, e.origin DESC) AS rank
                 FROM contested c
                 JOIN change_log e ON e.tbl = c.tbl AND e.row_id = c.row_id, json_each(e.cells) j
                 WHERE e.origin <> ?1)
             SELECT l.tbl, l.row_id, l.col, l.value, l.origin, l.hlc, w.value, w.origin
             FROM ranked l JOIN ranked w ON w.tbl = l.tbl AND w.row_id = l.row_id AND w.col = l.col AND w.rank = 1
             WHERE l.rank > 1 AND l.origin <> w.origin
             ORDER BY l.hlc DESC LIMIT ?2",
        )?;
        let rows = q.query_map(params![SEED_ORIGIN, limit as i64], |r| {
            Ok(OverwrittenValue {
                table: r.get(0)?,
                row_id: r.get(1)?,
                column: r.get(2)?,
                lost_value: CellValue::from_value_ref(r.get_ref(3)?),
                lost_origin: r.get(4)?,
                lost_hlc: r.get(5)?,
                current_value: CellValue::from_value_ref(r.get_ref(6)?),
                current_origin: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes a value that lost a conflict again, as a new local edit: it
    /// then wins everywhere once synced. The losing change is found in the
    /// log by its cell, stamp and origin.
    pub fn restore_overwritten(
        &mut self,
        table: &str,
        row_id: &str,
        column: &str,
        hlc: i64,
        origin: &str,
    ) -> Result<()> {
        let t = schema::table(table).ok_or_else(|| Error::invalid("table", format!("unknown table '{table}'")))?;
        let (col, _) =
            t.column(column).ok_or_else(|| Error::invalid("column", format!("unknown column '{column}'")))?;
        let not_found = || Error::NotFound {
            entity: "logged change",
            id: format!("{table}.{column} of {row_id} at {hlc} from {origin}"),
        };
        let cells: String = self
            .store()
            .conn()
            .query_row(
                "SELECT cells FROM change_log WHERE tbl = ?1 AND row_id = ?2 AND hlc = ?3 AND origin = ?4",
                params![t.name, row_id, hlc, origin],
                |r| r.get(0),
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => not_found(),
                e => e.into(),
            })?;
        let value = parse_cells(&cells)?.into_iter().find(|(c, _)| c == col).map(|(_, v)| v).ok_or_else(not_found)?;
        self.store_mut().write(|w| {
            if col == "deleted" {
                return Err(Error::invalid("column", "deletions are restored by editing, not by this operation"));
            }
            w.update(t.name, row_id, &[(col, value)])?;
            Ok(())
        })
    }
}
