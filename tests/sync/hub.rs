//! The hub in process on 127.0.0.1:0: sync over HTTPS with the invite's
//! pinned certificate, resume, and refusals (raw signed requests, over plain
//! loopback HTTP to keep them simple).

use ed25519_dalek::Signer;
use kizuna_core::hlc::Stamp;
use kizuna_core::store::{CellValue, Change};
use kizuna_core::sync::{self, HubOptions, SyncConfig, SyncStage, bundle, keys};

use crate::net::*;

pub fn serve(r: &Replica) -> sync::Hub {
    let hub = sync::serve(r.dir.path(), "127.0.0.1:0", HubOptions { max_body: 1 << 20, ..HubOptions::default() })
        .expect("serve");
    assert!(hub.url().starts_with("https://127.0.0.1:"), "{}", hub.url());
    hub
}

pub fn serve_plain(r: &Replica) -> sync::Hub {
    sync::serve(r.dir.path(), "127.0.0.1:0", HubOptions { max_body: 1 << 20, tls: false, ..HubOptions::default() })
        .expect("serve")
}

pub fn sync_with(r: &mut Replica, hub: &sync::Hub) -> sync::HubSyncReport {
    let mut stages = Vec::new();
    let rep = r.k.sync_with_hub(&hub.url(), &SyncConfig::default(), &mut |p| stages.push(p.stage)).expect("sync");
    assert!(stages.contains(&SyncStage::Verify), "progress reported: {stages:?}");
    rep
}

#[test]
fn offices_converge_through_the_hub_and_port_zero_works() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let mut sendai = join(&mut hq, "sendai");
    let hub = serve(&hq);
    assert_ne!(hub.addr().port(), 0);
    assert!(sync_with(&mut tono, &hub).digests_match);
    add_site(&mut tono, "a", "Tono A");
    add_site(&mut hq, "b", "HQ B");
    let r = sync_with(&mut tono, &hub);
    assert!(r.digests_match);
    assert_eq!(r.pushed, 1, "tono's new site pushed, as one entry: {r:?}");
    assert!(sync_with(&mut sendai, &hub).digests_match);
    assert_eq!(dump(&sendai), dump(&hq));
    assert_eq!(dump(&tono), dump(&hq));
    assert_eq!(cell(&sendai, "a", "name"), text("Tono A"));
    // Nothing new: nothing pushed back (pulled changes are not echoed).
    let again = sync_with(&mut tono, &hub);
    assert_eq!((again.pushed, again.new), (0, 0));
    let st = tono.k.sync_status().unwrap();
    assert_eq!(st.unsent_changes, 0);
    let at_hub = st.peers.iter().find(|p| p.peer.starts_with("hub:")).expect("the hub as a peer");
    assert!(at_hub.last_sync_at.is_some());
    // What the last sync carried, each way.
    assert_eq!((at_hub.last_sent, at_hub.last_received), (Some(0), Some(again.pulled as i64)));
    add_site(&mut tono, "c", "Tono C");
    let third = sync_with(&mut tono, &hub);
    let st = tono.k.sync_status().unwrap();
    let at_hub = st.peers.iter().find(|p| p.peer.starts_with("hub:")).expect("the hub as a peer");
    assert_eq!((at_hub.last_sent, at_hub.last_received), (Some(1), Some(third.pulled as i64)));
    hub.stop();
}

#[test]
fn an_office_is_not_sent_back_what_it_has_just_pushed() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let mut sendai = join(&mut hq, "sendai");
    let hub = serve(&hq);
    assert!(sync_with(&mut tono, &hub).digests_match);
    assert!(sync_with(&mut sendai, &hub).digests_match);
    add_site(&mut sendai, "s1", "Sendai 1");
    assert_eq!(sync_with(&mut sendai, &hub).pushed, 1);
    for i in 0..20 {
        add_site(&mut tono, &format!("t{i}"), &format!("Tono {i}"));
    }
    // Tono pushes its 20, then pulls: Sendai's one entry is all it lacks.
    let r = sync_with(&mut tono, &hub);
    assert!(r.digests_match, "{r:?}");
    assert_eq!((r.pushed, r.pulled, r.new), (20, 1, 1), "{r:?}");
    // In pages too, and the next sync carries nothing either way.
    for i in 20..33 {
        add_site(&mut tono, &format!("t{i}"), &format!("Tono {i}"));
    }
    let small = SyncConfig { page_entries: 5, ..SyncConfig::default() };
    let r = tono.k.sync_with_hub(&hub.url(), &small, &mut |_| {}).expect("sync");
    assert!(r.digests_match, "{r:?}");
    assert_eq!((r.pushed, r.pulled), (13, 0), "{r:?}");
    let r = sync_with(&mut tono, &hub);
    assert_eq!((r.pushed, r.pulled, r.new), (0, 0, 0), "{r:?}");
    // Sendai still gets all of Tono's.
    let r = sync_with(&mut sendai, &hub);
    assert!(r.digests_match, "{r:?}");
    assert_eq!((r.pulled, r.new), (33, 33), "{r:?}");
    assert_eq!(dump(&sendai), dump(&hq));
    assert_eq!(dump(&tono), dump(&hq));
    hub.stop();
}

#[test]
fn a_log_larger_than_a_page_travels_in_several_pages_each_way() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let mut sendai = join(&mut hq, "sendai");
    let hub = serve(&hq);
    for i in 0..23 {
        add_site(&mut tono, &format!("t{i}"), &format!("Tono {i}"));
        add_site(&mut hq, &format!("h{i}"), &format!("HQ {i}"));
    }
    let small = SyncConfig { page_entries: 5, ..SyncConfig::default() };
    let mut pages = Vec::new();
    let r = tono.k.sync_with_hub(&hub.url(), &small, &mut |p| pages.push((p.stage, p.changes))).expect("sync");
    assert!(r.digests_match, "{r:?}");
    assert_eq!(r.pushed, 23);
    let pushes: Vec<u64> = pages.iter().filter(|(s, _)| *s == SyncStage::Push).map(|(_, n)| *n).collect();
    assert_eq!(pushes, [5, 10, 15, 20, 23], "one progress report per pushed page");
    let pulls = pages.iter().filter(|(s, _)| *s == SyncStage::Pull).count();
    let hq_entries: i64 = hq.k.store().conn().query_row("SELECT count(*) FROM change_log", [], |r| r.get(0)).unwrap();
    // Pages of five, but a page ends only where each office's run of
    // entries ends on one of its signed heads, so some pages are longer.
    assert!(pulls >= 3 && pulls as i64 <= (hq_entries + 4) / 5, "pulled in pages of five or more: {pages:?}");
    let r = sendai.k.sync_with_hub(&hub.url(), &small, &mut |_| {}).expect("sync");
    assert!(r.digests_match);
    assert_eq!(dump(&sendai), dump(&hq));
    assert_eq!(dump(&tono), dump(&hq));
    hub.stop();
}

/// A signed request's headers: time, nonce and signature.
pub struct Signed {
    pub time: i64,
    pub nonce: String,
    pub sig: String,
}

pub fn sign(id: &keys::Identity, method: &str, path: &str, body: &[u8]) -> Signed {
    let time = kizuna_core::hlc::system_millis();
    let nonce = sync::nonce::fresh().unwrap();
    let text = sync::requests::request_text(method, path, time, &nonce, body);
    Signed { time, sig: hex::encode(id.key.sign(text.as_bytes()).to_bytes()), nonce }
}

/// Sends a request with the given signature headers (which may be stale).
pub fn send(base: &str, id: &keys::Identity, method: &str, path: &str, body: &[u8], s: &Signed) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let url = format!("{base}{path}");
    let mut resp = if method == "POST" {
        agent
            .post(&url)
            .header("x-kizuna-office", &id.office)
            .header("x-kizuna-time", s.time.to_string())
            .header("x-kizuna-nonce", &s.nonce)
            .header("x-kizuna-signature", &s.sig)
            .send(body)
            .unwrap()
    } else {
        agent
            .get(&url)
            .header("x-kizuna-office", &id.office)
            .header("x-kizuna-time", s.time.to_string())
            .header("x-kizuna-nonce", &s.nonce)
            .header("x-kizuna-signature", &s.sig)
            .call()
            .unwrap()
    };
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_to_string().unwrap_or_default())
}

pub fn call(
    base: &str,
    id: &keys::Identity,
    method: &str,
    path: &str,
    body: &[u8],
    tamper_after_signing: bool,
) -> (u16, String) {
    let s = sign(id, method, path, body);
    let mut body = body.to_vec();
    if tamper_after_signing && !body.is_empty() {
        let n = body.len() - 2;
        body[n] ^= 1;
    }
    send(base, id, method, path, &body, &s)
}

#[test]
fn the_hub_refuses_unenrolled_tampered_hostile_and_oversized_requests_writing_nothing() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let hub = serve_plain(&hq);
    let base = hub.url();
    let before = dump(&hq);
    let count = |r: &Replica| -> i64 {
        r.k.store().conn().query_row("SELECT count(*) FROM change_log", [], |x| x.get(0)).unwrap()
    };
    let log_before = count(&hq);
    let tono_id = keys::identity(tono.k.store().conn(), "tono").unwrap().unwrap();
    let certs = keys::certs(tono.k.store().conn()).unwrap();
    let ch = |table: &str, v: &str| Change {
        hlc: Stamp::from_parts(kizuna_core::hlc::system_millis(), 0),
        origin: "tono".into(),
        table: table.into(),
        row_id: "r".into(),
        column: "name".into(),
        value: CellValue::text(v),
    };
    // A push tono really made: its own change, in its feed.
    add_site(&mut tono, "r", "ok");
    let (good, _) = tono.k.sync_export(None).unwrap();

    // Properly signed pull works.
    assert_eq!(call(&base, &tono_id, "GET", "/v1/digest", &[], false).0, 200);
    // Unenrolled office (another network's key calling itself sendai).
    let rogue =
        keys::Identity { office: "sendai".into(), key: keys::generate().unwrap(), network: tono_id.network.clone() };
    let (s, body) = call(&base, &rogue, "POST", "/v1/push", &good, false);
    assert_eq!(s, 401, "{body}");
    // A known office name with the wrong key.
    let forged =
        keys::Identity { office: "tono".into(), key: keys::generate().unwrap(), network: tono_id.network.clone() };
    assert_eq!(call(&base, &forged, "GET", "/v1/pull?since=0", &[], false).0, 401);
    // Body altered after signing.
    assert_eq!(call(&base, &tono_id, "POST", "/v1/push", &good, true).0, 401);
    // Correctly signed request carrying a hostile bundle.
    let hostile =
        bundle::seal(&tono_id, certs.clone(), &[ch("sites; DROP TABLE sites", "x").into()], 0, 1, false).unwrap();
    let (s, body) = call(&base, &tono_id, "POST", "/v1/push", &hostile, false);
    assert_eq!(s, 400, "{body}");
    assert!(body.contains("invalid table or column name"), "{body}");
    // A bundle signed by someone else, pushed by tono.
    let hq_id = keys::identity(hq.k.store().conn(), "tokyo").unwrap().unwrap();
    let other =
        bundle::seal(&hq_id, keys::certs(hq.k.store().conn()).unwrap(), &[ch("sites", "x").into()], 0, 1, false)
            .unwrap();
    assert_eq!(call(&base, &tono_id, "POST", "/v1/push", &other, false).0, 401);
    // Oversized bodies: refused unread, see transport::oversized_heads_and_bodies_are_refused_without_reading_them
    // (the hub answers 413 and closes before the body is sent, which a plain client sees as a broken pipe).
    // Unsigned request.
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    assert_eq!(agent.get(&format!("{base}/v1/pull?since=0")).call().unwrap().status().as_u16(), 401);

    assert_eq!(dump(&hq), before);
    assert_eq!(count(&hq), log_before);
    // And the good push does land.
    assert_eq!(call(&base, &tono_id, "POST", "/v1/push", &good, false).0, 200);
    assert_eq!(cell(&hq, "r", "name"), text("ok"));
    hub.stop();
}

#[test]
fn an_interrupted_sync_resumes_and_markers_only_move_after_commit() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let hub = serve(&hq);
    let url = hub.url();
    sync_with(&mut tono, &hub);
    hub.stop();
    // Hub down: the sync fails and no marker moves.
    add_site(&mut tono, "z", "offline edit");
    let markers = |r: &Replica| -> Vec<(String, i64, i64)> {
        r.k.store()
            .conn()
            .prepare("SELECT peer, sent_upto, received_upto FROM sync_peers ORDER BY peer")
            .unwrap()
            .query_map([], |x| Ok((x.get(0)?, x.get(1)?, x.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let m = markers(&tono);
    let e = tono.k.sync_with_hub(&url, &SyncConfig::default(), &mut |_| {}).unwrap_err();
    assert_eq!(e.code(), "sync_failed", "{e}");
    assert_eq!(markers(&tono), m);
    assert!(tono.k.sync_status().unwrap().unsent_changes > 0);
    let hub = serve(&hq);
    let r = sync_with(&mut tono, &hub);
    assert!(r.digests_match);
    assert_eq!(tono.k.sync_status().unwrap().unsent_changes, 0);
    assert_eq!(cell(&hq, "z", "name"), text("offline edit"));
    hub.stop();
}

/// Migrations 4 and 6 start the running digest from a log that already
/// exists (including cells logged as NULL), and the writer keeps it equal to
/// a full scan through local writes and merges.
#[test]
fn running_digest_starts_from_an_existing_log_and_tracks_a_full_scan() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    add_site(&mut hq, "b", "HQ B");
    edit(&mut hq, "b", "notes", text("n"));
    edit(&mut hq, "b", "notes", CellValue::Null);
    let path = hq.k.store().path().to_path_buf();
    let before = sync::hub::scan_digest(hq.k.store().conn()).unwrap();
    assert!(before.count > 0);
    drop(hq.k);
    {
        // As a database written by a version before migration 4: no digest,
        // and the log in its per-cell form.
        let conn = kizuna_core::store::connect(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE old_log (seq INTEGER PRIMARY KEY, hlc INTEGER NOT NULL, origin TEXT NOT NULL,
                 tbl TEXT NOT NULL, row_id TEXT NOT NULL, col TEXT NOT NULL, value);
             INSERT INTO old_log (hlc, origin, tbl, row_id, col, value)
                 SELECT e.hlc, e.origin, e.tbl, e.row_id, j.key, j.value FROM change_log e, json_each(e.cells) j ORDER BY e.seq;
             DROP TABLE change_log;
             ALTER TABLE old_log RENAME TO change_log;
             CREATE UNIQUE INDEX change_log_cell ON change_log (tbl, row_id, col, hlc, origin);
             DROP TABLE sync_log_digest; DROP INDEX sites_member_status;
             CREATE INDEX sites_member ON sites (member_id); CREATE INDEX sites_search ON sites (deleted, search_key);
             DROP TABLE sync_heads; DROP TABLE sync_nonces;
             ALTER TABLE sync_quarantine DROP COLUMN feed; ALTER TABLE sync_quarantine DROP COLUMN fseq;
             ALTER TABLE sync_quarantine DROP COLUMN chain;
             ALTER TABLE offices DROP COLUMN number_prefix; ALTER TABLE offices DROP COLUMN enrolments;
             ALTER TABLE sync_peers DROP COLUMN last_sent; ALTER TABLE sync_peers DROP COLUMN last_received;
             DROP TABLE organisations; DROP TABLE contacts; DROP TABLE meetings; DROP TABLE meeting_attendance;
             DROP TABLE follow_ups; DROP TABLE mailing_lists; DROP TABLE subscriptions;
             DROP TABLE recommendations; DROP TABLE network_memberships;
             DROP TABLE fund_donors; DROP TABLE gifts; DROP TABLE distributions; DROP TABLE fund_conversions;
             DROP TABLE offers; DROP TABLE needs; DROP TABLE matches;
             DROP TABLE tranches; DROP TABLE report_dues;
             ALTER TABLE budget_lines DROP COLUMN variance_note; ALTER TABLE expenditures DROP COLUMN receipt_ref;
             DROP TABLE narratives;
             PRAGMA user_version = 3;",
        )
        .unwrap();
    }
    hq.k = kizuna_core::Kizuna::open(hq.dir.path()).expect("reopen");
    let c = hq.k.store().conn();
    assert_eq!(sync::hub::digest(c).unwrap(), before);
    add_site(&mut tono, "a", "Tono A");
    carry(&mut tono, &mut hq);
    add_site(&mut hq, "c", "HQ C");
    let c = hq.k.store().conn();
    let after = sync::hub::digest(c).unwrap();
    assert!(after.count > before.count);
    assert_eq!(after, sync::hub::scan_digest(c).unwrap());
}

/// Offices syncing at the same moment: each sync sends what it wrote and
/// ends with matching digests, whatever the others push meanwhile. Comparing
/// whole logs instead made a sync that overlapped another fail its check and
/// send its whole log again.
#[test]
fn offices_syncing_at_once_all_succeed_and_send_only_what_they_wrote() {
    let mut hq = hq();
    for code in ["kamaishi", "otsuchi", "rikuzen"] {
        let input = kizuna_core::model::office::OfficeInput {
            code: code.into(),
            name_ja: format!("{code}事務所"),
            name_en: format!("{code} office"),
            prefecture: "03".into(),
            ..Default::default()
        };
        hq.k.office_add(&input).expect("add office");
    }
    let mut offices: Vec<Replica> =
        ["tono", "fukushima", "sendai", "kamaishi", "otsuchi", "rikuzen"].iter().map(|o| join(&mut hq, o)).collect();
    let hub = serve(&hq);
    for o in &mut offices {
        assert!(sync_with(o, &hub).digests_match);
    }
    const ROUNDS: usize = 4;
    const WRITES: usize = 3;
    let reports: Vec<Vec<sync::HubSyncReport>> = std::thread::scope(|s| {
        let hub = &hub;
        let running: Vec<_> = offices
            .iter_mut()
            .enumerate()
            .map(|(n, o)| {
                s.spawn(move || {
                    (0..ROUNDS)
                        .map(|round| {
                            for w in 0..WRITES {
                                add_site(o, &format!("site-{n}-{round}-{w}"), &format!("Site {n} {round} {w}"));
                            }
                            sync_with(o, hub)
                        })
                        .collect()
                })
            })
            .collect();
        running.into_iter().map(|t| t.join().expect("an office's thread")).collect()
    });
    for (n, rs) in reports.iter().enumerate() {
        for r in rs {
            assert!(r.digests_match, "office {n}: {r:?}");
            assert_eq!(r.pushed, WRITES as u64, "office {n} sent what it wrote, no more: {r:?}");
        }
    }
    for o in &mut offices {
        assert!(sync_with(o, &hub).digests_match);
    }
    let at_hq = dump(&hq);
    for o in &offices {
        assert_eq!(dump(o), at_hq);
    }
    hub.stop();
}
