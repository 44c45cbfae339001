//! Every fault in a bundle rejects the whole bundle and leaves the database
//! dump unchanged.

use kizuna_core::Error;
use kizuna_core::hlc::Stamp;
use kizuna_core::store::{CellValue, Change};
use kizuna_core::sync::SyncConfig;
use kizuna_core::sync::bundle;
use kizuna_core::sync::keys::{self, Identity};

use crate::net::*;
use crate::trust::hq_identity;

/// HQ with an edit, an enrolled Tono that has the seed, and HQ's next bundle.
fn setup() -> (Replica, Replica, Vec<u8>) {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    carry(&mut hq, &mut tono);
    add_site(&mut hq, "t1", "Rikuzentakata");
    let (bytes, _) = hq.k.sync_export(None).unwrap();
    (hq, tono, bytes)
}

fn rejected(tono: &mut Replica, bytes: &[u8]) -> Error {
    let before = dump(tono);
    let log: i64 = tono.k.store().conn().query_row("SELECT count(*) FROM change_log", [], |r| r.get(0)).unwrap();
    let e = tono.k.sync_import(bytes, &SyncConfig::default()).expect_err("bundle must be rejected");
    assert_eq!(dump(tono), before, "dump changed by a rejected bundle");
    let after: i64 = tono.k.store().conn().query_row("SELECT count(*) FROM change_log", [], |r| r.get(0)).unwrap();
    assert_eq!(log, after, "change log grew from a rejected bundle");
    e
}

#[test]
fn the_untampered_bundle_is_accepted() {
    let (hq, mut tono, bytes) = setup();
    tono.k.sync_import(&bytes, &SyncConfig::default()).unwrap();
    assert_eq!(dump(&tono), dump(&hq));
}

#[test]
fn a_flipped_byte_anywhere_is_rejected() {
    let (_hq, mut tono, bytes) = setup();
    // In the payload (digest), the manifest (signature) and the signature.
    let header_end = bytes.iter().position(|b| *b == b'\n').unwrap() + 10;
    for at in [bytes.len() - 5, bytes.len() / 2, header_end] {
        let mut b = bytes.clone();
        b[at] ^= 0x01;
        let e = rejected(&mut tono, &b);
        assert!(matches!(e.code(), "rejected" | "unauthorized"), "byte {at}: {e}");
    }
    let mut b = bytes.clone();
    b[bytes.len() - 3] ^= 0x20;
    let e = rejected(&mut tono, &b);
    assert!(e.to_string().contains("digest") || e.to_string().contains("unreadable"), "{e}");
}

#[test]
fn a_truncated_bundle_is_rejected() {
    let (_hq, mut tono, bytes) = setup();
    for len in [bytes.len() - 1, bytes.len() / 2, 10, 0] {
        let e = rejected(&mut tono, &bytes[..len]);
        assert_eq!(e.code(), "rejected", "{e}");
    }
    let e = rejected(&mut tono, &bytes[..bytes.len() - 1]);
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[test]
fn a_bundle_from_an_unknown_office_or_network_is_rejected() {
    let (mut hq, mut tono, _) = setup();
    // Signed by a key that claims to be Sendai but was never enrolled.
    let network = hq_identity(&hq).network;
    let rogue = Identity { office: "sendai".into(), key: keys::generate().unwrap(), network };
    let ch = Change {
        hlc: Stamp::from_parts(kizuna_core::hlc::system_millis(), 0),
        origin: "sendai".into(),
        table: "sites".into(),
        row_id: "x".into(),
        column: "name".into(),
        value: CellValue::text("rogue"),
    };
    let b = bundle::seal(&rogue, vec![], &[ch.clone().into()], 0, 1, false).unwrap();
    let e = rejected(&mut tono, &b);
    assert_eq!(e.code(), "unauthorized", "{e}");
    // Sendai enrolled later: the rogue key still does not match its certificate.
    let _ = invite(&mut hq, "sendai");
    let b = bundle::seal(&rogue, keys::certs(hq.k.store().conn()).unwrap(), &[ch.into()], 0, 1, false).unwrap();
    let e = rejected(&mut tono, &b);
    assert_eq!(e.code(), "unauthorized", "{e}");
    // Another network's HQ.
    let mut other = crate::net::hq();
    let _ = invite(&mut other, "tono");
    let (b, _) = other.k.sync_export(None).unwrap();
    let e = rejected(&mut tono, &b);
    assert!(e.to_string().contains("another network"), "{e}");
}

#[test]
fn changes_passed_off_as_seed_data_or_from_unenrolled_origins_are_rejected() {
    let (hq, mut tono, _) = setup();
    let id = hq_identity(&hq);
    let certs = keys::certs(hq.k.store().conn()).unwrap();
    let fake_seed = Change {
        hlc: Stamp::from_parts(1_299_801_600_000, 1),
        origin: "seed".into(),
        table: "profiles".into(),
        row_id: kizuna_core::seed::seed_id(kizuna_core::seed::PROFILE_KEY),
        column: "name_en".into(),
        value: CellValue::text("Forged"),
    };
    let e = rejected(&mut tono, &bundle::seal(&id, certs.clone(), &[fake_seed.into()], 0, 1, false).unwrap());
    assert_eq!(e.code(), "unauthorized", "{e}");
    let relayed = Change {
        hlc: Stamp::from_parts(kizuna_core::hlc::system_millis(), 0),
        origin: "sendai".into(),
        table: "sites".into(),
        row_id: "x".into(),
        column: "name".into(),
        value: CellValue::text("?"),
    };
    let e = rejected(&mut tono, &bundle::seal(&id, certs, &[relayed.into()], 0, 1, false).unwrap());
    assert!(e.to_string().contains("not an enrolled office"), "{e}");
}

#[test]
fn hostile_names_and_wrong_types_are_rejected_before_anything_is_written() {
    let (hq, mut tono, _) = setup();
    let id = hq_identity(&hq);
    let certs = keys::certs(hq.k.store().conn()).unwrap();
    let now = kizuna_core::hlc::system_millis();
    let ok = Change {
        hlc: Stamp::from_parts(now, 0),
        origin: "tokyo".into(),
        table: "sites".into(),
        row_id: "h".into(),
        column: "name".into(),
        value: CellValue::text("fine"),
    };
    let cases = [
        ("sites; DROP TABLE sites; --", "name", CellValue::text("x")),
        ("sites", "name = 'x' WHERE 1; --", CellValue::text("x")),
        ("Sites", "name", CellValue::text("x")),
        ("sites", "latitude", CellValue::text("north")),
        ("sites", "deleted", CellValue::Integer(7)),
        ("sites", "deleted", CellValue::Null),
    ];
    for (i, (table, column, value)) in cases.into_iter().enumerate() {
        let bad = Change {
            hlc: Stamp::from_parts(now, 1 + i as i64),
            origin: "tokyo".into(),
            table: table.into(),
            row_id: "h".into(),
            column: column.into(),
            value,
        };
        // A good change first: the whole bundle goes, not just the bad one.
        let b = bundle::seal(&id, certs.clone(), &[ok.clone().into(), bad.into()], 0, 2, false).unwrap();
        let e = rejected(&mut tono, &b);
        assert_eq!(e.code(), "rejected", "{table}.{column}: {e}");
    }
}
