//! Syncing with the configured hub in the background. One worker thread
//! with its own database connection runs every exchange, so a slow or
//! unreachable hub never holds the lock the window's commands use, and the
//! window stays usable while a sync runs. The worker syncs every
//! [`INTERVAL`], shortly after each local write, and at once on "Sync now";
//! after a failure it waits twice as long each time, up to [`MAX_BACKOFF`].

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kizuna_core::sync::{HubSyncReport, SyncConfig, SyncProgress};
use kizuna_core::{ApiError, Kizuna};
use tauri::{AppHandle, Emitter};

pub const INTERVAL: Duration = Duration::from_secs(30);
/// Writes come in bursts (a form, then its sites): wait for the burst to end.
const AFTER_WRITE: Duration = Duration::from_secs(2);
const FIRST_BACKOFF: Duration = Duration::from_secs(5);
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// The core's bulk-write page cache for the length of one exchange; the
/// connection (and its cache) is closed when the exchange ends.
const SYNC_PAGE_CACHE_KIB: u32 = 65_536;

/// Emitted to the window whenever [`AutoSync`] changes.
pub const STATE_EVENT: &str = "sync-state";
/// Emitted while an exchange runs.
pub const PROGRESS_EVENT: &str = "sync-progress";

/// What the window shows of the background sync: a core type, so that its
/// TypeScript type is generated.
pub use kizuna_core::sync::AutoSync;

struct Plan {
    state: AutoSync,
    due: Option<Instant>,
    backoff: Duration,
}

pub struct SyncWorker {
    shared: Arc<(Mutex<Plan>, Condvar)>,
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

impl SyncWorker {
    /// Starts the worker for `data_dir`; with a hub configured the first
    /// exchange runs right away.
    pub fn start(app: AppHandle, data_dir: PathBuf, hub: Option<String>) -> SyncWorker {
        let due = hub.as_ref().map(|_| Instant::now());
        let plan = Plan { state: AutoSync { hub, ..Default::default() }, due, backoff: FIRST_BACKOFF };
        let shared = Arc::new((Mutex::new(plan), Condvar::new()));
        let worker = Arc::clone(&shared);
        let spawned = std::thread::Builder::new().name("sync".into()).spawn(move || run(&worker, &app, &data_dir));
        if let Err(e) = spawned {
            log::error!("cannot start the sync worker: {e}");
        }
        SyncWorker { shared }
    }

    fn plan(&self) -> MutexGuard<'_, Plan> {
        self.shared.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn state(&self) -> AutoSync {
        snapshot(&self.plan())
    }

    /// A new hub (or none): the next exchange goes to it at once.
    pub fn set_hub(&self, hub: Option<String>) {
        let mut p = self.plan();
        p.due = hub.as_ref().map(|_| Instant::now());
        p.backoff = FIRST_BACKOFF;
        p.state = AutoSync { hub, ..Default::default() };
        self.shared.1.notify_all();
    }

    /// "Sync now": runs at once, even while backing off.
    pub fn now(&self) {
        let mut p = self.plan();
        if p.state.hub.is_some() {
            p.due = Some(Instant::now());
            self.shared.1.notify_all();
        }
    }

    /// A local write: sync soon, unless an exchange is already due sooner.
    /// While the hub is unreachable the backoff stands.
    pub fn after_write(&self) {
        let mut p = self.plan();
        if p.state.hub.is_none() || p.state.last_error.is_some() {
            return;
        }
        let soon = Instant::now() + AFTER_WRITE;
        if p.due.is_none_or(|d| d > soon) {
            p.due = Some(soon);
            self.shared.1.notify_all();
        }
    }
}

fn snapshot(p: &Plan) -> AutoSync {
    let mut s = p.state.clone();
    s.next_in_secs = p.due.filter(|_| !s.running).map(|d| d.saturating_duration_since(Instant::now()).as_secs());
    s
}

fn emit_state(app: &AppHandle, p: &Plan) {
    if let Err(e) = app.emit(STATE_EVENT, snapshot(p)) {
        log::warn!("cannot tell the window about sync: {e}");
    }
}

fn run(shared: &(Mutex<Plan>, Condvar), app: &AppHandle, data_dir: &std::path::Path) {
    let (lock, wake) = shared;
    loop {
        // Wait until an exchange is due and take its hub.
        let hub = {
            let mut p = lock.lock().unwrap_or_else(|e| e.into_inner());
            let hub = loop {
                match (p.due, p.state.hub.clone()) {
                    (Some(due), Some(hub)) if due <= Instant::now() => break hub,
                    (Some(due), Some(_)) => {
                        let wait = due.saturating_duration_since(Instant::now());
                        p = wake.wait_timeout(p, wait).unwrap_or_else(|e| e.into_inner()).0;
                    }
                    _ => p = wake.wait(p).unwrap_or_else(|e| e.into_inner()),
                }
            };
            p.due = None;
            p.state.running = true;
            emit_state(app, &p);
            hub
        };
        let result = exchange(app, data_dir, &hub);
        let mut p = lock.lock().unwrap_or_else(|e| e.into_inner());
        p.state.running = false;
        if p.state.hub.as_deref() != Some(hub.as_str()) {
            // The hub changed meanwhile; set_hub already planned the next run.
            emit_state(app, &p);
            continue;
        }
        match result {
            Ok(report) => {
                log::info!(
                    "synced with {hub}: pushed {}, pulled {} ({} new)",
                    report.pushed,
                    report.pulled,
                    report.new
                );
                p.state.last_ok_at = Some(now_ms());
                p.state.last_report = Some(report);
                p.state.last_error = None;
                p.backoff = FIRST_BACKOFF;
                if p.due.is_none() {
                    p.due = Some(Instant::now() + INTERVAL);
                }
            }
            Err(e) => {
                log::warn!("sync with {hub} failed: {}", e.message);
                p.state.last_error = Some(e);
                let wait = p.backoff;
                p.backoff = (p.backoff * 2).min(MAX_BACKOFF);
                // A "Sync now" pressed during the attempt still runs at once.
                if p.due.is_none() {
                    p.due = Some(Instant::now() + wait);
                }
            }
        }
        emit_state(app, &p);
    }
}

/// One exchange on a connection of its own, closed afterwards.
fn exchange(app: &AppHandle, data_dir: &std::path::Path, hub: &str) -> Result<HubSyncReport, ApiError> {
    let mut k = Kizuna::open(data_dir)?;
    k.set_page_cache_kib(SYNC_PAGE_CACHE_KIB)?;
    let mut last_emit: Option<Instant> = None;
    let mut progress = |p: SyncProgress| {
        // A page of changes can take a millisecond: a few updates a second are enough.
        if last_emit.is_none_or(|t| t.elapsed() >= Duration::from_millis(100)) {
            last_emit = Some(Instant::now());
            let _ = app.emit(PROGRESS_EVENT, p);
        }
    };
    Ok(k.sync_with_hub(hub, &SyncConfig::default(), &mut progress)?)
}
