//! Export and import of bundles, shared by the USB file and the hub: reading
//! the log in pages, committing a verified batch (with its quarantine split,
//! certificates and "seen up to" marker) in one transaction.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::seed::SEED_ORIGIN;
use crate::store::{Change, Entry, Store, Writer, check_entry, parse_cells};
use crate::sync::bundle::{self, Manifest, Opened};
use crate::sync::feed::{self, FeedPos, Head};
use crate::sync::keys::{self, Identity};
use crate::sync::rights;

/// Changes stamped further ahead of this machine's clock than this are held
/// in quarantine: 10 minutes, as the issue asks; configurable per call.
pub const DEFAULT_MAX_FUTURE_MS: i64 = 10 * 60 * 1000;

// Pages of the log as [`read_log`] reads them for the hub; here, not in
// `hub`, so that exchange (which the hub builds on) never imports it.
/// Entries per push or pull page: each page is one transaction on each side.
pub const PAGE: usize = 250_000;
/// A pushed page stops growing at this many payload bytes, inside the hub's
/// default body limit however large its last entry is.
pub const PAGE_BYTES: usize = 40 * 1024 * 1024;
/// A pulled page stops growing at this many payload bytes. Responses are not
/// bound by the hub's request limit (the client accepts four times that), so
/// pulled pages are larger: an initial sync of 100k sites (about 50 MB) is
/// one page, one round trip and one transaction.
pub const PULL_PAGE_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, Copy)]
pub struct SyncConfig {
    pub max_future_ms: i64,
    /// Most entries per hub page, each way (one transaction each).
    pub page_entries: usize,
    /// Largest bundle file an import accepts, in bytes: a bundle is read
    /// whole and takes several times its size in memory while it merges.
    pub max_bundle_bytes: u64,
}

/// Default of [`SyncConfig::max_bundle_bytes`]: about five million entries.
pub const DEFAULT_MAX_BUNDLE_BYTES: u64 = 512 << 20;

impl Default for SyncConfig {
    fn default() -> Self {
        SyncConfig {
            max_future_ms: DEFAULT_MAX_FUTURE_MS,
            page_entries: PAGE,
            max_bundle_bytes: DEFAULT_MAX_BUNDLE_BYTES,
        }
    }
}

/// The outcome of importing one bundle or hub page.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub from: String,
    /// Change-log entries (one per written row) the bundle or page held.
    #[ts(type = "number")]
    pub changes: u64,
    /// Entries this replica had not seen.
    #[ts(type = "number")]
    pub new: u64,
    /// Cells whose visible value changed.
    #[ts(type = "number")]
    pub applied: u64,
    #[ts(type = "number")]
    pub parked: u64,
    #[ts(type = "number")]
    pub quarantined: u64,
    /// Entries left out because their origin's feed does not connect to
    /// what this replica holds (an earlier incremental bundle is missing);
    /// a full exchange brings them.
    #[ts(type = "number")]
    pub held_back: u64,
    /// Entries refused: outside their origin's rights, or breaking a rule.
    #[ts(type = "number")]
    pub refused: u64,
    /// Deletes held for HQ's review (a mass delete).
    #[ts(type = "number")]
    pub held: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ExportReport {
    #[ts(type = "number")]
    pub changes: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
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
    /// The signed head at the end of each feed's run in the page.
    pub heads: Vec<Head>,
}

/// What a hub's caller holds of its own current feed: its entries up to
/// `fseq` (an office signs its feed in order, and pushes before it pulls).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallerHolds<'a> {
    pub office: &'a str,
    pub feed: i64,
    pub fseq: i64,
}

/// Change-log entries after `after_seq`, in log order: at most `limit` of
/// them, and no more once the payload has reached `max_bytes`, except that
/// a page ends only where each feed in it is a run ending on a signed head
/// (see [`feed`]). `own` is this replica's office: only HQ relays unsigned
/// entries of other offices. Entries `holds` says the caller has are passed
/// over, so an office is not sent back what it has just pushed. Each
/// entry's cells text goes into the payload as stored, without being parsed.
pub(crate) fn read_log(
    conn: &Connection,
    own: &str,
    holds: Option<CallerHolds<'_>>,
    after_seq: i64,
    limit: usize,
    max_bytes: usize,
) -> Result<LogPage> {
    let mut q = conn.prepare_cached(
        "SELECT seq, hlc, origin, tbl, row_id, cells, feed, fseq FROM change_log WHERE seq > ?1 ORDER BY seq",
    )?;
    let mut rows = q.query(params![after_seq])?;
    let mut page = LogPage { payload: vec![b'['], entries: 0, upto: after_seq, heads: Vec::new() };
    let relay_unsigned = own == keys::HQ_OFFICE;
    let mut runs = feed::PageRuns::default();
    // Where the page was last cut-able: payload length, entries, position.
    let mut cut = (page.payload.len(), 0u64, after_seq);
    // Borrowed from the row: no string is allocated per entry.
    fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> Result<&'r str> {
        r.get_ref(i)?.as_str().map_err(|e| Error::Sync(format!("change-log entry unreadable: {e}")))
    }
    while let Some(r) = rows.next()? {
        let full = page.entries as usize >= limit || page.payload.len() >= max_bytes;
        if page.entries > 0 && full && runs.all_closed() {
            break;
        }
        let seq: i64 = r.get(0)?;
        let origin = text(r, 2)?;
        let pos: (Option<i64>, Option<i64>) = (r.get(6)?, r.get(7)?);
        // `None`: passed over, the page going on past it.
        let relayed = match pos {
            // The caller's own, which it holds.
            (Some(f), Some(n)) if holds.is_some_and(|h| origin == h.office && f == h.feed && n <= h.fseq) => None,
            (Some(f), Some(n)) => Some(Some((f, n))),
            _ if origin == SEED_ORIGIN || relay_unsigned => Some(None),
            // Not yet in this office's own feed (written after it signed):
            // the page stops before it.
            _ if origin == own => break,
            // Another office's entry from before feeds: not relayed.
            _ => None,
        };
        let Some(signed) = relayed else {
            page.upto = seq;
            if runs.all_closed() {
                cut = (page.payload.len(), page.entries, seq);
            }
            continue;
        };
        if page.entries > 0 {
            page.payload.push(b',');
        }
        let cells = text(r, 5)?;
        bundle::push_entry(&mut page.payload, text(r, 3)?, text(r, 4)?, r.get(1)?, origin, cells.as_bytes(), signed);
        page.entries += 1;
        page.upto = seq;
        if let Some((f, n)) = signed {
            runs.add(conn, origin, f, n)?;
        }
        if runs.all_closed() {
            runs.snapshot();
            cut = (page.payload.len(), page.entries, seq);
        }
    }
    let at_cut = !runs.all_closed();
    if at_cut {
        // A run that never closed (the log ended inside it): the page ends
        // where every run last was closed.
        page.payload.truncate(cut.0);
        (page.entries, page.upto) = (cut.1, cut.2);
    }
    page.payload.push(b']');
    for (origin, f, n) in runs.ends(at_cut) {
        let head = feed::head_at(conn, &origin, f, n)?
            .ok_or_else(|| Error::Sync(format!("no stored head for office '{origin}' at position {n}")))?;
        page.heads.push(head);
    }
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

/// Notes what the exchange with `peer` that just committed carried; `None`
/// keeps the figure of the direction it did not use.
pub(crate) fn note_carried(w: &Writer<'_>, peer: &str, sent: Option<u64>, received: Option<u64>) -> Result<()> {
    let n = |v: Option<u64>| v.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
    w.conn().execute(
        "INSERT INTO sync_peers (peer, last_sent, last_received, last_sync_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (peer) DO UPDATE SET last_sent = coalesce(excluded.last_sent, last_sent),
             last_received = coalesce(excluded.last_received, last_received), last_sync_at = excluded.last_sync_at",
        params![peer, n(sent), n(received), crate::hlc::system_millis()],
    )?;
    Ok(())
}

/// Refuses a bundle of `len` bytes over `cfg`'s cap, before anything reads it.
pub(crate) fn check_bundle_size(len: u64, cfg: &SyncConfig) -> Result<()> {
    if len > cfg.max_bundle_bytes {
        return Err(Error::Rejected(format!(
            "the bundle is {len} bytes, over the cap of {} bytes: export it in parts (sync export --since-last-for), \
             or raise the cap (sync import --max-bytes)",
            cfg.max_bundle_bytes
        )));
    }
    Ok(())
}

pub(crate) fn identity_of(store: &mut Store) -> Result<Identity> {
    store.write(keys::ensure_identity)
}

/// Signs this office's new entries into its feed (a write only if there
/// are any), so that what is read next, in pages of `page` entries, can be
/// relayed.
pub(crate) fn sign_own(store: &mut Store, id: &Identity, page: usize) -> Result<()> {
    let pending: bool = store.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM change_log WHERE origin = ?1 AND fseq IS NULL)",
        [&id.office],
        |r| r.get(0),
    )?;
    if pending {
        store.write(|w| feed::seal_own(w, id, page))?;
    }
    Ok(())
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
    let total = opened.carried();
    let Opened { manifest, entries, verdicts, feeds, heads, held_back, already_held: _, certs } = opened;
    let (mut now_ok, mut future) = (Vec::with_capacity(entries.len()), Vec::new());
    let mut ok_verdicts = Vec::with_capacity(entries.len());
    let mut ok_feeds = Vec::with_capacity(entries.len());
    let clock = store.clock();
    for ((e, v), f) in entries.into_iter().zip(verdicts).zip(feeds) {
        if clock.drift_ms(e.hlc) <= cfg.max_future_ms {
            now_ok.push(e);
            ok_verdicts.push(v);
            ok_feeds.push(f);
        } else {
            future.push((e, f));
        }
    }
    let mut report = ImportReport { from: manifest.from.clone(), changes: total, held_back, ..Default::default() };
    store.write(|w| {
        for c in &certs {
            keys::record_cert(w.conn(), c)?;
        }
        feed::store_heads(w, &heads)?;
        let now = crate::hlc::system_millis();
        let mut q = w.conn().prepare_cached(
            "INSERT OR IGNORE INTO sync_quarantine (hlc, origin, tbl, row_id, col, value, received_at, via, feed, fseq, chain)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for (e, f) in &future {
            let (feed, fseq, chain) = (f.map(|f| f.feed), f.map(|f| f.fseq), f.map(|f| f.chain.to_vec()));
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
                    held += q.execute(params![e.hlc.0, e.origin, e.table, e.row_id, c, v, now, via, feed, fseq, chain])?;
                }
            }
            report.quarantined += u64::from(held > 0);
        }
        drop(q);
        let before = max_seq(w.conn())?;
        let (entries, verdicts) = (std::mem::take(&mut now_ok), std::mem::take(&mut ok_verdicts));
        let feeds = std::mem::take(&mut ok_feeds);
        let (screening, merged) = rights::merge_screened(w, entries, verdicts, feeds, &manifest.from, via)?;
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
    type Pos = (Option<i64>, Option<i64>, Option<Vec<u8>>);
    let held: Vec<(Change, Pos)> = {
        let mut q = store.conn().prepare(
            "SELECT hlc, origin, tbl, row_id, col, value, feed, fseq, chain FROM sync_quarantine WHERE (hlc >> 16) <= ?1",
        )?;
        let rows = q.query_map([limit_millis], |r| Ok((Change::from_row(r, 0)?, (r.get(6)?, r.get(7)?, r.get(8)?))))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    if held.is_empty() {
        return Ok(0);
    }
    let n = held.len() as u64;
    // Every cell of an entry was held with the entry's verified feed place.
    let mut pos_of: HashMap<(String, String, i64, String), Option<FeedPos>> = HashMap::new();
    for (c, (feed, fseq, chain)) in &held {
        let pos = match (feed, fseq, chain.as_ref().and_then(|c| feed::Hash::try_from(c.as_slice()).ok())) {
            (Some(feed), Some(fseq), Some(chain)) => Some(FeedPos { feed: *feed, fseq: *fseq, chain }),
            _ => None,
        };
        pos_of.insert((c.table.clone(), c.row_id.clone(), c.hlc.0, c.origin.clone()), pos);
    }
    let entries = Entry::group(held.into_iter().map(|(c, _)| c));
    let feeds: Vec<Option<FeedPos>> = entries
        .iter()
        .map(|e| pos_of.get(&(e.table.clone(), e.row_id.clone(), e.hlc.0, e.origin.clone())).copied().flatten())
        .collect();
    store.write(|w| {
        // Released changes pass the same screening as when they arrived;
        // who sent them is no longer known, so a mass delete is held.
        let verdicts = entries.iter().map(check_entry).collect::<Result<Vec<_>>>()?;
        rights::merge_screened(w, entries, verdicts, feeds, "", "quarantine")?;
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
