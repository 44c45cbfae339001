//! The hub's protocol, apart from what carries it: `server` runs it on axum
//! over HTTPS, `client` speaks it, `requests` handles one request as a plain
//! function. Bodies are bundles (the USB format), so both transports share
//! verification and merge.
//!
//! Routes: `POST /v1/push` (body: a bundle signed by the caller),
//! `GET /v1/pull?since=SEQ&limit=N` (a page of the hub's log, signed by the
//! hub), `GET /v1/digest` (count and checksum of the hub's log).

use serde::Serialize;
use ts_rs::TS;

pub use crate::store::digest::{LogDigest, digest, digest_upto, scan_digest};

/// Largest request body the hub reads; larger ones get 413 unread.
pub const DEFAULT_MAX_BODY: u64 = 64 * 1024 * 1024;

/// The steps of a sync with the hub, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncStage {
    Push,
    Pull,
    /// Comparing both logs' digests.
    Verify,
}

impl std::fmt::Display for SyncStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SyncStage::Push => "push",
            SyncStage::Pull => "pull",
            SyncStage::Verify => "verify",
        })
    }
}

/// Where a sync with the hub has got to, for the app's progress bar.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncProgress {
    pub stage: SyncStage,
    /// Changes sent or received so far in this stage.
    #[ts(type = "number")]
    pub changes: u64,
    /// Changes in this stage, when known.
    #[ts(optional)]
    #[ts(type = "number")]
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct HubSyncReport {
    pub hub: String,
    #[ts(type = "number")]
    pub pushed: u64,
    #[ts(type = "number")]
    pub pulled: u64,
    /// Pulled changes that were new here.
    #[ts(type = "number")]
    pub new: u64,
    #[ts(type = "number")]
    pub quarantined: u64,
    #[ts(type = "number")]
    pub parked: u64,
    /// Pulled changes left out: their origin's feed did not connect to what
    /// this replica holds.
    #[ts(type = "number")]
    pub held_back: u64,
    /// Both logs hold the same changes (count and checksum) at the end.
    pub digests_match: bool,
}
