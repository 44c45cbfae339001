//! Origins that cannot be forged, and requests that cannot be replayed:
//! a field office pushing changes stamped as HQ, a relay (the hub's
//! database, or a third office's bundle) altering or adding another
//! office's changes, a replayed signed request; and what stays possible:
//! legacy logs from before feeds, and re-enrolment with a new key.

use kizuna_core::hlc::Stamp;
use kizuna_core::store::{CellValue, Entry};
use kizuna_core::sync::feed::{self, Head};
use kizuna_core::sync::keys::{self, Cert, Identity};
use kizuna_core::sync::{SyncConfig, bundle};

use crate::hub::{call, send, serve_plain, sign, sync_with};
use crate::net::*;

fn identity(r: &Replica) -> Identity {
    let office = r.k.office_code().to_string();
    keys::identity(r.k.store().conn(), &office).unwrap().expect("enrolled")
}

fn count(r: &Replica, sql: &str) -> i64 {
    r.k.store().conn().query_row(sql, [], |x| x.get(0)).unwrap()
}

fn log_count(r: &Replica) -> i64 {
    count(r, "SELECT count(*) FROM change_log")
}

fn cert_of(r: &Replica, office: &str) -> Cert {
    keys::certs(r.k.store().conn()).unwrap().into_iter().find(|c| c.office == office).expect("certificate")
}

/// A payload built by hand: each entry with the feed place it claims.
pub(crate) fn payload(entries: &[(Entry, Option<(i64, i64)>)]) -> Vec<u8> {
    let wire: Vec<serde_json::Value> = entries
        .iter()
        .map(|(e, pos)| {
            let cells: serde_json::Map<String, serde_json::Value> =
                e.cells.iter().map(|(c, v)| (c.clone(), serde_json::to_value(v).unwrap())).collect();
            serde_json::json!([e.table, e.row_id, e.hlc.0, e.origin, cells, pos.map(|p| p.0), pos.map(|p| p.1)])
        })
        .collect();
    serde_json::to_vec(&wire).unwrap()
}

pub(crate) fn forged_bundle(
    by: &Identity,
    certs: Vec<Cert>,
    heads: Vec<Head>,
    entries: &[(Entry, Option<(i64, i64)>)],
) -> Vec<u8> {
    bundle::seal_payload(by, certs, heads, payload(entries), entries.len() as u64, 0, 1, false).unwrap()
}

/// A head over `chain` at `fseq`, for `cert`'s feed, signed by `by`.
pub(crate) fn head(by: &Identity, cert: Cert, fseq: i64, chain: &feed::Hash) -> Head {
    use ed25519_dalek::Signer;
    let chain = hex::encode(chain);
    let text = format!("kizuna-head 1\n{}\n{}\n{}\n{fseq}\n{chain}", cert.network, cert.office, cert.issued_at);
    let signature = hex::encode(by.key.sign(text.as_bytes()).to_bytes());
    Head { cert, fseq, chain, signature }
}

fn first_grant(r: &Replica) -> String {
    r.k.store().conn().query_row("SELECT id FROM grants ORDER BY id LIMIT 1", [], |x| x.get(0)).unwrap()
}

#[test]
fn a_field_office_cannot_push_changes_stamped_as_hq() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let hub = serve_plain(&hq);
    add_site(&mut hq, "h1", "HQ site");
    assert!(sync_with(&mut tono, &hub).digests_match);
    let grant = first_grant(&hq);
    let (before, log_before) = (dump(&hq), log_count(&hq));
    let tono_id = identity(&tono);
    let certs = keys::certs(tono.k.store().conn()).unwrap();
    let tombstone = Entry {
        hlc: Stamp::from_parts(kizuna_core::hlc::system_millis(), 0),
        origin: "tokyo".into(),
        table: "grants".into(),
        row_id: grant.clone(),
        cells: vec![("deleted".into(), CellValue::Integer(1))],
    };

    // Stamped as HQ, with no place in HQ's feed.
    let b = forged_bundle(&tono_id, certs.clone(), vec![], &[(tombstone.clone(), None)]);
    let (status, body) = call(&hub.url(), &tono_id, "POST", "/v1/push", &b, false);
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("'tokyo' did not sign"), "{body}");

    // At HQ's next feed position, chained correctly from what tono holds,
    // under a head tono signed with its own key and certificate.
    let hq_cert = cert_of(&tono, "tokyo");
    let (n, chain) = feed::held(tono.k.store().conn(), "tokyo", hq_cert.issued_at).unwrap().expect("HQ's feed held");
    let pos = (hq_cert.issued_at, n + 1);
    let next = feed::link(&chain, &feed::entry_digest(&tombstone, pos.0, pos.1));
    let own_head = head(&tono_id, cert_of(&tono, "tono"), n + 1, &next);
    let b = forged_bundle(&tono_id, certs.clone(), vec![own_head], &[(tombstone.clone(), Some(pos))]);
    let (status, body) = call(&hub.url(), &tono_id, "POST", "/v1/push", &b, false);
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("without a head signed by its key"), "{body}");

    // The same head passed off under HQ's certificate: the signature is tono's.
    let passed_off = head(&tono_id, hq_cert, n + 1, &next);
    let b = forged_bundle(&tono_id, certs, vec![passed_off], &[(tombstone, Some(pos))]);
    let (status, body) = call(&hub.url(), &tono_id, "POST", "/v1/push", &b, false);
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("not signed by its key"), "{body}");

    assert_eq!(dump(&hq), before, "a forged push changed HQ");
    assert_eq!(log_count(&hq), log_before);
    let live: i64 =
        hq.k.store().conn().query_row("SELECT deleted FROM grants WHERE id = ?1", [&grant], |x| x.get(0)).unwrap();
    assert_eq!(live, 0);
    hub.stop();
}

#[test]
fn the_hub_cannot_relay_an_altered_change_to_other_offices() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let mut sendai = join(&mut hq, "sendai");
    let hub = serve_plain(&hq);
    add_site(&mut tono, "t1", "Tono original");
    assert!(sync_with(&mut tono, &hub).digests_match);
    // The relay's copy altered where it is stored (a compromised hub).
    let altered = hq
        .k
        .store()
        .conn()
        .execute(
            "UPDATE change_log SET cells = replace(cells, 'Tono original', 'Altered by the hub') WHERE row_id = 't1'",
            [],
        )
        .unwrap();
    assert_eq!(altered, 1);
    let e = sendai.k.sync_with_hub(&hub.url(), &SyncConfig::default(), &mut |_| {}).expect_err("altered relay");
    assert_eq!(e.code(), "unauthorized", "{e}");
    assert!(e.to_string().contains("office 'tono'"), "{e}");
    let count: i64 =
        sendai.k.store().conn().query_row("SELECT count(*) FROM sites WHERE id = 't1'", [], |x| x.get(0)).unwrap();
    assert_eq!(count, 0, "the altered change reached sendai");
    assert_eq!(log_count(&sendai), 0, "nothing of the rejected page was written");
    hub.stop();
}

#[test]
fn a_third_office_cannot_alter_or_add_changes_of_another_in_its_bundle() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let mut sendai = join(&mut hq, "sendai");
    carry(&mut hq, &mut tono);
    carry(&mut hq, &mut sendai);
    add_site(&mut tono, "t2", "Tono's own");
    carry(&mut tono, &mut sendai);
    assert_eq!(cell(&sendai, "t2", "name"), text("Tono's own"));
    // Carried unchanged, sendai's bundle with tono's change is accepted.
    let (honest, _) = sendai.k.sync_export(None).unwrap();

    // Sendai alters tono's change in what it carries.
    let conn = sendai.k.store().conn();
    conn.execute("UPDATE change_log SET cells = replace(cells, 'Tono''s own', 'Sendai says') WHERE row_id = 't2'", [])
        .unwrap();
    let (altered, _) = sendai.k.sync_export(None).unwrap();
    let (before, log_before) = (dump(&hq), log_count(&hq));
    let e = hq.k.sync_import(&altered, &SyncConfig::default()).expect_err("altered bundle");
    assert_eq!(e.code(), "unauthorized", "{e}");
    assert!(e.to_string().contains("office 'tono'"), "{e}");
    assert_eq!((dump(&hq), log_count(&hq)), (before.clone(), log_before));

    // Sendai adds a change of its own making at tono's next position.
    let sendai_id = identity(&sendai);
    let tono_cert = cert_of(&sendai, "tono");
    let (n, chain) = feed::held(sendai.k.store().conn(), "tono", tono_cert.issued_at).unwrap().expect("held");
    let extra = Entry {
        hlc: Stamp::from_parts(kizuna_core::hlc::system_millis(), 0),
        origin: "tono".into(),
        table: "sites".into(),
        row_id: "t2".into(),
        cells: vec![("status".into(), text("closed"))],
    };
    let pos = (tono_cert.issued_at, n + 1);
    let next = feed::link(&chain, &feed::entry_digest(&extra, pos.0, pos.1));
    let h = head(&sendai_id, tono_cert, n + 1, &next);
    let certs = keys::certs(sendai.k.store().conn()).unwrap();
    let b = forged_bundle(&sendai_id, certs, vec![h], &[(extra, Some(pos))]);
    // HQ does not hold tono's feed up to there yet: held back, not applied.
    let r = hq.k.sync_import(&b, &SyncConfig::default()).unwrap();
    assert_eq!((r.new, r.held_back), (0, 1));
    assert_eq!((dump(&hq), log_count(&hq)), (before, log_before));

    hq.k.sync_import(&honest, &SyncConfig::default()).unwrap();
    assert_eq!(cell(&hq, "t2", "name"), text("Tono's own"));
    // Now it connects, and the head is not tono's: refused.
    let (before, log_before) = (dump(&hq), log_count(&hq));
    let e = hq.k.sync_import(&b, &SyncConfig::default()).expect_err("added change");
    assert_eq!(e.code(), "unauthorized", "{e}");
    assert_eq!((dump(&hq), log_count(&hq)), (before, log_before));
    assert_eq!(cell(&hq, "t2", "status"), text("active"));
}

#[test]
fn a_replayed_signed_request_gets_401_and_writes_nothing() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let hub = serve_plain(&hq);
    let base = hub.url();
    let tono_id = identity(&tono);
    add_site(&mut tono, "p1", "pushed once");
    let (b, _) = tono.k.sync_export(None).unwrap();
    let push = sign(&tono_id, "POST", "/v1/push", &b);
    let (status, body) = send(&base, &tono_id, "POST", "/v1/push", &b, &push);
    assert_eq!(status, 200, "{body}");
    let pull = sign(&tono_id, "GET", "/v1/pull?since=0", &[]);
    assert_eq!(send(&base, &tono_id, "GET", "/v1/pull?since=0", &[], &pull).0, 200);

    let nonces = |r: &Replica| -> i64 {
        r.k.store().conn().query_row("SELECT count(*) FROM sync_nonces", [], |x| x.get(0)).unwrap()
    };
    let (before, log_before, nonces_before) = (dump(&hq), log_count(&hq), nonces(&hq));
    let (status, body) = send(&base, &tono_id, "POST", "/v1/push", &b, &push);
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("replayed"), "{body}");
    let (status, body) = send(&base, &tono_id, "GET", "/v1/pull?since=0", &[], &pull);
    assert_eq!(status, 401, "{body}");
    assert_eq!((dump(&hq), log_count(&hq), nonces(&hq)), (before, log_before, nonces_before));
    // A request without a nonce is refused too; a fresh one is fine.
    let unsigned_nonce = kizuna_core::sync::nonce::check_form("").unwrap_err();
    assert_eq!(unsigned_nonce.code(), "unauthorized");
    assert_eq!(call(&base, &tono_id, "GET", "/v1/digest", &[], false).0, 200);
    hub.stop();
}

#[test]
fn legacy_entries_are_signed_by_their_own_office_and_replace_unsigned_copies() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let mut sendai = join(&mut hq, "sendai");
    carry(&mut hq, &mut tono);
    add_site(&mut tono, "l1", "Legacy Tono");
    carry(&mut tono, &mut hq);
    // As logs written before feeds: nothing signed, no heads; HQ's copy
    // of tono's change altered meanwhile.
    for r in [&hq, &tono] {
        r.k.store()
            .conn()
            .execute_batch("UPDATE change_log SET feed = NULL, fseq = NULL, chain = NULL; DELETE FROM sync_heads;")
            .unwrap();
    }
    hq.k.store()
        .conn()
        .execute_batch(
            "UPDATE change_log SET cells = replace(cells, 'Legacy Tono', 'Legacy altered') WHERE row_id = 'l1';
             UPDATE sites SET name = 'Legacy altered' WHERE id = 'l1';",
        )
        .unwrap();
    // HQ relays what it holds, unsigned (HQ is the root of trust), but an
    // office never relays another office's unsigned entries.
    carry(&mut hq, &mut sendai);
    assert_eq!(cell(&sendai, "l1", "name"), text("Legacy altered"));
    let (b, _) = sendai.k.sync_export(None).unwrap();
    let mut fresh = join(&mut hq, "fukushima");
    fresh.k.sync_import(&b, &SyncConfig::default()).unwrap();
    let relayed = count(&fresh, "SELECT count(*) FROM change_log WHERE row_id = 'l1'");
    assert_eq!(relayed, 0, "sendai relayed tono's unsigned entry");

    // Tono signs its own legacy entries on its next export; the signed copy
    // replaces HQ's unsigned one, cells included, and travels on.
    carry(&mut tono, &mut hq);
    assert_eq!(cell(&hq, "l1", "name"), text("Legacy Tono"));
    let signed: bool =
        hq.k.store()
            .conn()
            .query_row("SELECT fseq IS NOT NULL FROM change_log WHERE row_id = 'l1'", [], |x| x.get(0))
            .unwrap();
    assert!(signed);
    carry(&mut hq, &mut sendai);
    assert_eq!(cell(&sendai, "l1", "name"), text("Legacy Tono"));
    assert_eq!(dump(&sendai), dump(&hq));
}

#[test]
fn a_re_enrolled_office_starts_a_new_feed_and_its_old_key_cannot_add_to_the_old_one() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    carry(&mut hq, &mut tono);
    add_site(&mut tono, "o1", "old machine");
    carry(&mut tono, &mut hq);
    let old_id = identity(&tono);
    let old_cert = cert_of(&hq, "tono");
    // The machine is lost; HQ enrols tono again with a new key.
    std::thread::sleep(std::time::Duration::from_millis(5));
    let mut tono2 = join(&mut hq, "tono");
    carry(&mut hq, &mut tono2);
    assert_eq!(cell(&tono2, "o1", "name"), text("old machine"), "the old feed is still accepted");
    add_site(&mut tono2, "n1", "new machine");
    carry(&mut tono2, &mut hq);
    assert_eq!(cell(&hq, "n1", "name"), text("new machine"));
    let feeds: Vec<i64> = feed::version_vector(hq.k.store().conn())
        .unwrap()
        .into_iter()
        .filter(|(o, ..)| o == "tono")
        .map(|(_, f, _)| f)
        .collect();
    assert_eq!(feeds.len(), 2, "one feed per key: {feeds:?}");

    // The old key, still in a thief's hands, extends its old feed; an
    // honest office carries the result.
    let mut sendai = join(&mut hq, "sendai");
    let sendai_id = identity(&sendai);
    carry(&mut hq, &mut sendai);
    let (n, chain) = feed::held(hq.k.store().conn(), "tono", old_cert.issued_at).unwrap().expect("held");
    let late = Entry {
        hlc: Stamp::from_parts(kizuna_core::hlc::system_millis(), 0),
        origin: "tono".into(),
        table: "sites".into(),
        row_id: "o1".into(),
        cells: vec![("name".into(), text("stolen key"))],
    };
    let pos = (old_cert.issued_at, n + 1);
    let next = feed::link(&chain, &feed::entry_digest(&late, pos.0, pos.1));
    let h = head(&old_id, old_cert.clone(), n + 1, &next);
    let certs = keys::certs(sendai.k.store().conn()).unwrap();
    let b = forged_bundle(&sendai_id, certs, vec![h], &[(late, Some(pos))]);
    let e = hq.k.sync_import(&b, &SyncConfig::default()).expect_err("old key");
    assert_eq!(e.code(), "unauthorized", "{e}");
    assert!(e.to_string().contains("replaced"), "{e}");
    assert_eq!(cell(&hq, "o1", "name"), text("old machine"));
}

#[test]
fn an_office_signs_its_writes_under_one_head_per_export_not_one_per_write() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    for i in 0..25 {
        add_site(&mut tono, &format!("t{i}"), &format!("Tono {i}"));
    }
    let (bytes, _) = tono.k.sync_export(None).unwrap();
    let heads = count(&tono, "SELECT count(*) FROM sync_heads WHERE origin = 'tono'");
    assert_eq!(heads, 1, "one signature vouches for all 25 writes");
    let r = hq.k.sync_import(&bytes, &SyncConfig::default()).unwrap();
    assert_eq!((r.new, r.refused, r.held_back), (25, 0, 0), "{r:?}");
    // Read again: every entry is counted, none is new.
    let again = hq.k.sync_import(&bytes, &SyncConfig::default()).unwrap();
    assert_eq!((again.changes, again.new), (r.changes, 0), "{again:?}");
}
