//! Export and import of bundles, shared by the USB file and the hub: reading
//! the log in pages, committing a verified batch (with its quarantine split,
//! certificates and "seen up to" marker) in one transaction.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

use crate::api::Kizuna;
use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::store::{Change, Entry, Store, Writer, check_entry, parse_cells};
use crate::sync::bundle::{self, Manifest, Opened};
use crate::sync::keys::{self, INVITE_FORMAT, Identity, Invite};
use crate::sync::rights;

/// Changes stamped further ahead of this machine's clock than this are held
/// in quarantine: 10 minutes, as the issue asks; configurable per call.
pub const DEFAULT_MAX_FUTURE_MS: i64 = 10 * 60 * 1000;

#[derive(Debug, Clone, Copy)]
pub struct SyncConfig {
    pub max_future_ms: i64,
    /// Most entries per hub page, each way (one transaction each).
    pub page_entries: usize,
}

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig { max_future_ms: DEFAULT_MAX_FUTURE_MS, page_entries: crate::sync::hub::PAGE }
    }
}

/// The outcome of importing one bundle or hub page.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub from: String,
    /// Change-log entries (one per written row) the bundle or page held.
    pub changes: u64,
    /// Entries this replica had not seen.
    pub new: u64,
    /// Cells whose visible value changed.
    pub applied: u64,
    pub parked: u64,
    pub quarantined: u64,
    /// Entries refused: outside their origin's rights, or breaking a rule.
    pub refused: u64,
    /// Deletes held for HQ's review (a mass delete).
    pub held: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportReport {
    pub changes: u64,
    pub bytes: u64,
    pub upto_seq: i64,
}

pub(crate) fn peer_office(code: &str) -> String {
    format!("office:{code}")
}

/// A page of the change log, already in the bundle's payload form.
pub(crate) struct LogPage {
    pub payload: Vec<u8>,
    pub entries: u64,
    /// The last position read (`after_seq` if none).
    pub upto: i64,
}

/// Change-log entries after `after_seq`, in log order: at most `limit` of
/// them, and no more once the payload has reached `max_bytes`. Each entry's
/// cells text goes into the payload as stored, without being parsed.
pub(crate) fn read_log(conn: &Connection, after_seq: i64, limit: usize, max_bytes: usize) -> Result<LogPage> {
    let mut q = conn.prepare_cached(
        "SELECT seq, hlc, origin, tbl, row_id, cells FROM change_log WHERE seq > ?1 ORDER BY seq LIMIT ?2",
    )?;
    let mut rows = q.query(params![after_seq, limit.min(i64::MAX as usize) as i64])?;
    let mut page = LogPage { payload: vec![b'['], entries: 0, upto: after_seq };
    let text = |r: &rusqlite::Row<'_>, i: usize| -> Result<String> { Ok(r.get(i)?) };
    while let Some(r) = rows.next()? {
        if page.entries > 0 {
            if page.payload.len() >= max_bytes {
                break;
            }
            page.payload.push(b',');
        }
        let cells = r.get_ref(5)?.as_str().map_err(|e| Error::Sync(format!("change-log entry unreadable: {e}")))?;
        bundle::push_entry(&mut page.payload, &text(r, 3)?, &text(r, 4)?, r.get(1)?, &text(r, 2)?, cells.as_bytes());
        page.entries += 1;
        page.upto = r.get(0)?;
    }
    page.payload.push(b']');
    Ok(page)
}

pub(crate) fn max_seq(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM change_log", [], |r| r.get(0))?)
}

pub(crate) fn marker(conn: &Connection, peer: &str) -> Result<(i64, i64)> {
    Ok(conn
        .query_row("SELECT sent_upto, received_upto FROM sync_peers WHERE peer = ?1", [peer], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .unwrap_or((0, 0)))
}

pub(crate) fn set_sent(w: &Writer<'_>, peer: &str, upto: i64) -> Result<()> {
    w.conn().execute(
        "INSERT INTO sync_peers (peer, sent_upto, last_sync_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (peer) DO UPDATE SET sent_upto = max(sent_upto, excluded.sent_upto), last_sync_at = excluded.last_sync_at",
        params![peer, upto, crate::hlc::system_millis()],
    )?;
    let sent: i64 = w
        .conn()
        .query_row("SELECT value FROM local_meta WHERE key = 'sent_seq'", [], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if upto > sent {
        w.set_meta("sent_seq", &upto.to_string())?;
    }
    Ok(())
}

pub(crate) fn set_received(w: &Writer<'_>, peer: &str, upto: i64) -> Result<()> {
    w.conn().execute(
        "INSERT INTO sync_peers (peer, received_upto, last_sync_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (peer) DO UPDATE SET received_upto = max(received_upto, excluded.received_upto),
             last_sync_at = excluded.last_sync_at",
        params![peer, upto, crate::hlc::system_millis()],
    )?;
    Ok(())
}

pub(crate) fn identity_of(store: &mut Store) -> Result<Identity> {
    store.write(keys::ensure_identity)
}

/// Commits a verified batch: certificates, quarantine, merge and marker
/// together. `after` runs inside the same transaction (markers), given the
/// log's last position before the merge.
pub(crate) fn commit(
    store: &mut Store,
    opened: Opened,
    cfg: &SyncConfig,
    via: &str,
    after: impl FnOnce(&Writer<'_>, &Manifest, i64) -> Result<()>,
) -> Result<ImportReport> {
    let Opened { manifest, entries, verdicts, certs } = opened;
    let total = entries.len() as u64;
    let (mut now_ok, mut future) = (Vec::with_capacity(entries.len()), Vec::new());
    let mut ok_verdicts = Vec::with_capacity(entries.len());
    let clock = store.clock();
    for (e, v) in entries.into_iter().zip(verdicts) {
        if clock.drift_ms(e.hlc) <= cfg.max_future_ms {
            now_ok.push(e);
            ok_verdicts.push(v);
        } else {
            future.push(e);
        }
    }
    let mut report = ImportReport { from: manifest.from.clone(), changes: total, ..Default::default() };
    store.write(|w| {
        for c in &certs {
            keys::record_cert(w.conn(), c)?;
        }
        let now = crate::hlc::system_millis();
        let mut q = w.conn().prepare_cached(
            "INSERT OR IGNORE INTO sync_quarantine (hlc, origin, tbl, row_id, col, value, received_at, via)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for e in &future {
            // Cells already logged were accepted earlier: not news.
            let logged: Option<String> = w
                .conn()
                .query_row(
                    "SELECT cells FROM change_log WHERE tbl = ?1 AND row_id = ?2 AND hlc = ?3 AND origin = ?4",
                    params![e.table, e.row_id, e.hlc.0, e.origin],
                    |r| r.get(0),
                )
                .optional()?;
            let logged = logged.map(|c| parse_cells(&c)).transpose()?.unwrap_or_default();
            let mut held = 0;
            for (c, v) in &e.cells {
                if !logged.iter().any(|(k, _)| k == c) {
                    held += q.execute(params![e.hlc.0, e.origin, e.table, e.row_id, c, v, now, via])?;
                }
            }
            report.quarantined += u64::from(held > 0);
        }
        drop(q);
        let before = max_seq(w.conn())?;
        let (entries, verdicts) = (std::mem::take(&mut now_ok), std::mem::take(&mut ok_verdicts));
        let (screening, merged) = rights::merge_screened(w, entries, verdicts, &manifest.from, via)?;
        now_ok = merged;
        report.new = screening.stats.new;
        report.applied = screening.stats.won;
        report.parked = screening.stats.parked;
        report.refused = screening.refused;
        report.held = screening.held;
        after(w, &manifest, before)
    })?;
    // Freeing an initial sync's millions of strings takes a tenth of a
    // second that the caller need not wait for.
    if now_ok.len() >= FREE_IN_BACKGROUND {
        // If no thread can be started, the closure and the entries are dropped here.
        let _ = std::thread::Builder::new().name("kizuna-free".into()).spawn(move || drop(now_ok));
    }
    Ok(report)
}

/// Batches from this many entries on are freed on a thread of their own.
const FREE_IN_BACKGROUND: usize = 10_000;

/// Applies quarantined changes that are no longer too far ahead of the clock.
pub(crate) fn release_quarantine(store: &mut Store, cfg: &SyncConfig) -> Result<u64> {
    let limit_millis = store.clock().drift_ms(Stamp(0)).saturating_neg().saturating_add(cfg.max_future_ms);
    let held: Vec<Change> = {
        let mut q = store
            .conn()
            .prepare("SELECT hlc, origin, tbl, row_id, col, value FROM sync_quarantine WHERE (hlc >> 16) <= ?1")?;
        let rows = q.query_map([limit_millis], |r| Change::from_row(r, 0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if held.is_empty() {
        return Ok(0);
    }
    let n = held.len() as u64;
    store.write(|w| {
        // Released changes pass the same screening as when they arrived;
        // who sent them is no longer known, so a mass delete is held.
        let entries = Entry::group(held);
        let verdicts = entries.iter().map(check_entry).collect::<Result<Vec<_>>>()?;
        rights::merge_screened(w, entries, verdicts, "", "quarantine")?;
        w.conn().execute("DELETE FROM sync_quarantine WHERE (hlc >> 16) <= ?1", [limit_millis])?;
        Ok(n)
    })
}

/// Start of every sync: release what the clock has caught up with, and
/// materialise parked changes this version now understands.
pub(crate) fn housekeeping(store: &mut Store, cfg: &SyncConfig) -> Result<()> {
    release_quarantine(store, cfg)?;
    let parked: i64 = store.conn().query_row("SELECT count(*) FROM sync_parked", [], |r| r.get(0))?;
    if parked > 0 {
        store.write(|w| w.replay_parked())?;
    }
    Ok(())
}

impl Kizuna {
    /// HQ only: enrols `office` with a fresh key pair and returns the invite
    /// file's bytes. The invite holds the office's secret key.
    pub fn office_invite(&mut self, office: &str) -> Result<Vec<u8>> {
        let office = crate::model::office::check_code(office)?;
        if self.office_code() != keys::HQ_OFFICE {
            return Err(Error::Unauthorized("only HQ (tokyo) can enrol offices".into()));
        }
        if office == keys::HQ_OFFICE {
            return Err(Error::invalid("office", "HQ cannot invite itself"));
        }
        let key = keys::generate()?;
        let cert = self.store_mut().write(|w| {
            let id = keys::ensure_identity(w)?;
            let cert = keys::Cert::issue(&id.key, office, &key.verifying_key(), crate::hlc::system_millis());
            keys::record_cert(w.conn(), &cert)?;
            Ok(cert)
        })?;
        let inv = Invite {
            format: INVITE_FORMAT.into(),
            office: office.into(),
            secret_key: hex::encode(key.to_bytes()),
            cert,
        };
        serde_json::to_vec_pretty(&inv).map_err(|e| Error::Sync(e.to_string()))
    }

    /// A signed bundle of this replica's change log (its own changes and all
    /// it relays). With `for_office`, only what was not yet exported to that
    /// office; the marker moves in the same transaction that reads the log.
    pub fn sync_export(&mut self, for_office: Option<&str>) -> Result<(Vec<u8>, ExportReport)> {
        housekeeping(self.store_mut(), &SyncConfig::default())?;
        let id = identity_of(self.store_mut())?;
        let peer = for_office.map(|o| crate::model::office::check_code(o).map(peer_office)).transpose()?;
        self.store_mut().write(|w| {
            let since = match &peer {
                Some(p) => marker(w.conn(), p)?.0,
                None => 0,
            };
            let page = read_log(w.conn(), since, usize::MAX, usize::MAX)?;
            let (entries, upto) = (page.entries, page.upto);
            let bytes = bundle::seal_payload(&id, keys::certs(w.conn())?, page.payload, entries, since, upto, false)?;
            if let Some(p) = &peer {
                set_sent(w, p, upto)?;
            } else {
                set_sent(w, "bundle", upto)?;
            }
            let report = ExportReport { changes: entries, bytes: bytes.len() as u64, upto_seq: upto };
            Ok((bytes, report))
        })
    }

    /// Verifies a bundle completely, then merges it in one transaction.
    /// Any fault rejects the whole bundle and writes nothing.
    pub fn sync_import(&mut self, bytes: &[u8], cfg: &SyncConfig) -> Result<ImportReport> {
        housekeeping(self.store_mut(), cfg)?;
        let id = identity_of(self.store_mut())?;
        let opened = bundle::open(self.store().conn(), &id, bytes)?;
        commit(self.store_mut(), opened, cfg, "bundle", |w, m, _| set_received(w, &peer_office(&m.from), m.upto_seq))
    }
}
