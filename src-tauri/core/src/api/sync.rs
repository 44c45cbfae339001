//! The sync operations of the core API: enrolling an office, bundles out
//! and in, syncing with a hub, and what the sync panel shows. They use
//! `sync/` for the bundle format, the exchange and the hub's protocol.

use std::time::Instant;

use rusqlite::params;

use crate::api::Kizuna;
use crate::api::offices::next_enrolment;
use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::schema;
use crate::seed::SEED_ORIGIN;
use crate::store::{CellValue, Entry, check_entry, parse_cells};
use crate::sync::bundle;
use crate::sync::client::{Client, check_hub_url, pull, push};
use crate::sync::exchange::{
    ExportReport, ImportReport, SyncConfig, check_bundle_size, commit, housekeeping, identity_of, marker, note_carried,
    peer_office, read_log, set_received, set_sent,
};
use crate::sync::feed;
use crate::sync::hub::{HubSyncReport, LogDigest, SyncProgress, SyncStage, digest_upto};
use crate::sync::keys::{self, HQ_OFFICE, INVITE_FORMAT, Invite};
use crate::sync::rights::{self, HeldBatch};
use crate::sync::sealed::SealedInvite;
use crate::sync::status::{OverwrittenValue, PeerSync, QuarantinedChange, SyncStatus};
use crate::sync::tls;

impl Kizuna {
    /// HQ only: enrols `office` with a fresh key pair and returns the invite
    /// file's bytes, sealed with a new one-time passphrase (the invite holds
    /// the office's secret key), and that passphrase.
    pub fn office_invite(&mut self, office: &str) -> Result<SealedInvite> {
        let office = crate::model::office::check_code(office)?;
        let office = office.as_str();
        if self.office_code() != keys::HQ_OFFICE {
            return Err(Error::Unauthorized("only HQ (tokyo) can enrol offices".into()));
        }
        if office == keys::HQ_OFFICE {
            return Err(Error::invalid("office", "HQ cannot invite itself"));
        }
        // The hub's certificate exists before the first office joins, so
        // every invite pins it.
        let hub_fingerprint = tls::ensure_hub_cert(self.data_dir())?.fingerprint;
        let key = keys::generate()?;
        // The enrolment is counted in the transaction that records its
        // certificate: no invite without its count, no count without it.
        let (cert, member_series) = self.store_mut().write(|w| {
            let member_series = next_enrolment(w, office)?;
            let id = keys::ensure_identity(w)?;
            let cert = keys::Cert::issue(&id.key, office, &key.verifying_key(), crate::hlc::system_millis());
            keys::record_cert(w.conn(), &cert)?;
            Ok((cert, member_series))
        })?;
        let inv = Invite {
            format: INVITE_FORMAT.into(),
            office: office.into(),
            secret_key: hex::encode(key.to_bytes()),
            cert,
            hub_fingerprint: Some(hub_fingerprint),
            member_series: Some(member_series),
        };
        inv.seal()
    }

    /// A signed bundle of this replica's change log (its own changes and all
    /// it relays). With `for_office`, only what was not yet exported to that
    /// office; the marker moves in the same transaction that reads the log.
    pub fn sync_export(&mut self, for_office: Option<&str>) -> Result<(Vec<u8>, ExportReport)> {
        housekeeping(self.store_mut(), &SyncConfig::default())?;
        let id = identity_of(self.store_mut())?;
        let peer = for_office.map(|o| crate::model::office::check_code(o).map(|c| peer_office(&c))).transpose()?;
        self.store_mut().write(|w| {
            let since = match &peer {
                Some(p) => marker(w.conn(), p)?.0,
                None => 0,
            };
            feed::seal_own(w, &id, usize::MAX)?;
            let page = read_log(w.conn(), &id.office, None, since, usize::MAX, usize::MAX)?;
            let (entries, upto) = (page.entries, page.upto);
            let certs = keys::certs(w.conn())?;
            let bytes = bundle::seal_payload(&id, certs, page.heads, page.payload, entries, since, upto, false)?;
            let to = peer.as_deref().unwrap_or("bundle");
            set_sent(w, to, upto)?;
            note_carried(w, to, Some(entries), None)?;
            let report = ExportReport { changes: entries, bytes: bytes.len() as u64, upto_seq: upto };
            Ok((bytes, report))
        })
    }

    /// [`Kizuna::sync_import`] of the bundle file at `path`, refused by its
    /// size before it is read when it is over `cfg`'s cap.
    pub fn sync_import_file(&mut self, path: &std::path::Path, cfg: &SyncConfig) -> Result<ImportReport> {
        let len = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
        check_bundle_size(len, cfg)?;
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        self.sync_import(&bytes, cfg)
    }

    /// Verifies a bundle completely, then merges it in one transaction.
    /// Any fault rejects the whole bundle and writes nothing.
    pub fn sync_import(&mut self, bytes: &[u8], cfg: &SyncConfig) -> Result<ImportReport> {
        check_bundle_size(bytes.len() as u64, cfg)?;
        housekeeping(self.store_mut(), cfg)?;
        let id = identity_of(self.store_mut())?;
        let opened = bundle::open(self.store().conn(), &id, bytes)?;
        let carried = opened.carried();
        commit(self.store_mut(), opened, cfg, "bundle", |w, m, _| {
            let from = peer_office(&m.from);
            set_received(w, &from, m.upto_seq)?;
            note_carried(w, &from, None, Some(carried))
        })
    }
}

impl Kizuna {
    /// Pushes this replica's log to the hub at `url`, pulls the hub's, and
    /// compares digests; on a mismatch, exchanges everything once more.
    /// Each page commits with its marker, so an interrupted sync resumes.
    /// Over HTTPS only the hub whose certificate this office pinned is
    /// trusted; plain `http://` only to this computer.
    pub fn sync_with_hub(
        &mut self,
        url: &str,
        cfg: &SyncConfig,
        progress: &mut dyn FnMut(SyncProgress),
    ) -> Result<HubSyncReport> {
        let started = Instant::now();
        let hub = check_hub_url(url)?;
        let base = hub.base.clone();
        housekeeping(self.store_mut(), cfg)?;
        let id = identity_of(self.store_mut())?;
        let pinned = if hub.tls { Some(self.pinned_hub_fingerprint()?) } else { None };
        let store = self.store_mut();
        let mut client = Client::new(hub, &id, pinned)?;
        // The peer keeps the address as given, so markers survive an upgrade
        // that only normalises how it is written.
        let peer = format!("hub:{}", url.trim().trim_end_matches('/'));
        let mut report = HubSyncReport { hub: base.clone(), ..Default::default() };
        for attempt in 0..2 {
            report.pushed += push(store, &mut client, &peer, cfg, progress)?;
            let hub_upto = pull(store, &mut client, &peer, cfg, &mut report, progress)?;
            progress(SyncProgress { stage: SyncStage::Verify, changes: 0, total: None });
            // Both sides as they stood when this exchange ended: the hub's
            // log up to where the pull stopped, this log up to what it has
            // pushed. Offices syncing meanwhile, and edits made here since,
            // are the next sync's business, not a difference.
            let theirs: LogDigest =
                serde_json::from_slice(&client.call("GET", &format!("/v1/digest?upto={hub_upto}"), &[])?)
                    .map_err(|e| Error::Sync(format!("hub digest unreadable: {e}")))?;
            let ours = digest_upto(store.conn(), marker(store.conn(), &peer)?.0)?;
            report.digests_match = theirs == ours;
            if report.digests_match || attempt == 1 {
                break;
            }
            tracing::warn!(hub = %base, "logs differ after a sync: exchanging everything once more");
            // Logs differ although both sides say they are up to date:
            // start over from the beginning (duplicates are harmless).
            store.write(|w| {
                w.conn().execute("UPDATE sync_peers SET sent_upto = 0, received_upto = 0 WHERE peer = ?1", [&peer])?;
                Ok(())
            })?;
        }
        store.write(|w| note_carried(w, &peer, Some(report.pushed), Some(report.pulled)))?;
        tracing::info!(hub = %base, pushed = report.pushed, pulled = report.pulled, new = report.new,
            digests_match = report.digests_match, duration_ms = started.elapsed().as_millis() as u64, "synced with hub");
        Ok(report)
    }

    /// The fingerprint this replica trusts for its hub: the one from its
    /// invite, else (at HQ) its own hub's certificate.
    fn pinned_hub_fingerprint(&self) -> Result<String> {
        if let Some(fp) = self.store().meta(tls::META_HUB_FINGERPRINT)? {
            return Ok(fp);
        }
        tls::local_fingerprint(self.data_dir()).ok_or_else(|| {
            Error::Unauthorized(
                "no hub certificate is pinned for this office: join with a current invite from HQ \
                 (`kizuna init --join FILE`), which carries the hub's fingerprint"
                    .into(),
            )
        })
    }
}

impl Kizuna {
    pub fn sync_status(&self) -> Result<SyncStatus> {
        let conn = self.store().conn();
        let enrolled = keys::identity(conn, self.office_code())?.is_some();
        let enrolled_offices = keys::certs(conn)?.into_iter().map(|c| c.office).collect();
        let peers = conn
            .prepare(
                "SELECT peer, last_sync_at, sent_upto, received_upto, last_sent, last_received
                 FROM sync_peers ORDER BY peer",
            )?
            .query_map([], |r| {
                Ok(PeerSync {
                    peer: r.get(0)?,
                    last_sync_at: r.get(1)?,
                    sent_upto: r.get(2)?,
                    received_upto: r.get(3)?,
                    last_sent: r.get(4)?,
                    last_received: r.get(5)?,
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

impl Kizuna {
    /// Deletes held for HQ's review (see `sync::rights`).
    pub fn sync_held(&self) -> Result<Vec<HeldBatch>> {
        rights::held(self.store().conn())
    }

    /// HQ: applies a held batch of deletes as if it had arrived unheld (so
    /// it is logged and relayed). Returns how many deletes were applied.
    pub fn sync_held_approve(&mut self, batch: i64) -> Result<u64> {
        self.require_hq("approve held deletes")?;
        let entries = self.held_entries(batch)?;
        let n = entries.len() as u64;
        self.store_mut().write(|w| {
            let verdicts = entries.iter().map(check_entry).collect::<Result<Vec<_>>>()?;
            w.apply_checked(&entries, &verdicts)?;
            w.conn().execute("DELETE FROM sync_held WHERE batch = ?1", [batch])?;
            Ok(n)
        })
    }

    /// HQ: discards a held batch of deletes; the rows stay. Returns how many
    /// deletes were discarded.
    pub fn sync_held_reject(&mut self, batch: i64) -> Result<u64> {
        self.require_hq("reject held deletes")?;
        let n = self.held_entries(batch)?.len() as u64;
        self.store_mut().write(|w| {
            w.conn().execute("DELETE FROM sync_held WHERE batch = ?1", [batch])?;
            Ok(n)
        })
    }

    fn require_hq(&self, what: &str) -> Result<()> {
        if self.office_code() != HQ_OFFICE {
            return Err(Error::Unauthorized(format!("only HQ ({HQ_OFFICE}) can {what}")));
        }
        Ok(())
    }

    fn held_entries(&self, batch: i64) -> Result<Vec<Entry>> {
        let mut q =
            self.store().conn().prepare("SELECT hlc, origin, tbl, row_id, cells FROM sync_held WHERE batch = ?1")?;
        let rows = q.query_map([batch], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (hlc, origin, table, row_id, cells) = row?;
            out.push(Entry { hlc: Stamp(hlc), origin, table, row_id, cells: parse_cells(&cells)? });
        }
        if out.is_empty() {
            return Err(Error::NotFound { entity: "held batch", id: batch.to_string() });
        }
        Ok(out)
    }
}
