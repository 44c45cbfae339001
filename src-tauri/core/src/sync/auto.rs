//! The desktop app's background sync as its window shows it. The shell's
//! worker fills it in; it is plain data here, beside the reports it carries,
//! so that its TypeScript type is generated with the others.

use serde::Serialize;
use ts_rs::TS;

use crate::error::ApiError;
use crate::sync::HubSyncReport;

#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct AutoSync {
    pub hub: Option<String>,
    pub running: bool,
    /// UTC milliseconds of the last exchange that ended well.
    #[ts(type = "number | null")]
    pub last_ok_at: Option<i64>,
    pub last_report: Option<HubSyncReport>,
    /// Why the last attempt failed; cleared by the next success.
    pub last_error: Option<ApiError>,
    /// Seconds until the next attempt, when one is planned.
    #[ts(type = "number | null")]
    pub next_in_secs: Option<u64>,
}
