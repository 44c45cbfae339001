//! What the sync panel and `kizuna sync status` show, and restoring a value
//! that lost a conflict.

use serde::Serialize;
use ts_rs::TS;

use crate::store::CellValue;
use crate::sync::rights::{HeldBatch, RefusedChange};

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
    /// Entries the last exchange with this peer sent (for a bundle peer,
    /// the last export).
    #[ts(type = "number | null")]
    pub last_sent: Option<i64>,
    /// Entries the last exchange with this peer received (for a bundle
    /// peer, the last import), those already held included.
    #[ts(type = "number | null")]
    pub last_received: Option<i64>,
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
