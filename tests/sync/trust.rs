//! Enrolment, joining without duplicating the seed, the merge rule through
//! bundles, tombstones, the clock, quarantine and parked changes.

use kizuna_core::Kizuna;
use kizuna_core::hlc::Stamp;
use kizuna_core::store::{CellValue, Change, Entry, parse_cells};
use kizuna_core::sync::SyncConfig;
use kizuna_core::sync::bundle;
use kizuna_core::sync::keys::{self, Identity};

use crate::net::*;

fn counts(r: &Replica) -> (i64, i64) {
    let c = r.k.store().conn();
    let m = c.query_row("SELECT count(*) FROM offices", [], |x| x.get(0)).unwrap();
    let s = c.query_row("SELECT count(*) FROM grants", [], |x| x.get(0)).unwrap();
    (m, s)
}

#[test]
fn a_joining_office_receives_the_seed_once_and_matches_hq() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    assert_eq!(counts(&tono), (0, 0), "a joining office starts empty");
    carry(&mut hq, &mut tono);
    assert_eq!(dump(&tono), dump(&hq));
    // A second delivery of the same data changes nothing.
    let again = carry(&mut hq, &mut tono);
    assert_eq!(again.new, 0);
    assert_eq!(dump(&tono), dump(&hq));
    assert!(counts(&hq).0 > 0);
}

#[test]
fn an_office_that_seeded_itself_does_not_duplicate_seed_rows() {
    let mut hq = hq();
    let inv = invite(&mut hq, "sendai");
    let dir = tempfile::tempdir().unwrap();
    let mut k = Kizuna::init(dir.path(), &kizuna_core::api::InitOptions { office: Some("sendai".into()), empty: None })
        .unwrap();
    k.store_mut().write(|w| keys::record_join(w, &inv)).unwrap();
    let mut sendai = Replica { dir, k };
    let before = counts(&sendai);
    let r = carry(&mut hq, &mut sendai);
    // Every seed change was already there: the one new change is HQ's count
    // of Sendai's enrolments, written when it made the invite.
    assert_eq!(r.new, 1, "every seed change was already there");
    let enrolments: i64 = sendai
        .k
        .store()
        .conn()
        .query_row("SELECT enrolments FROM offices WHERE code = 'sendai'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(enrolments, 1);
    assert_eq!(counts(&sendai), before);
    assert_eq!(dump(&sendai), dump(&hq));
}

#[test]
fn concurrent_edits_to_different_cells_both_survive_and_same_cell_is_lww() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let mut fks = join(&mut hq, "fukushima");
    carry(&mut hq, &mut tono);
    add_site(&mut tono, "s1", "Tono base");
    carry(&mut tono, &mut fks);
    // Concurrent: tono renames, fukushima changes status; both edit notes.
    edit(&mut tono, "s1", "name", text("Tono base camp"));
    edit(&mut fks, "s1", "status", text("closed"));
    edit(&mut tono, "s1", "notes", text("from tono"));
    std::thread::sleep(std::time::Duration::from_millis(3));
    edit(&mut fks, "s1", "notes", text("from fukushima"));
    carry(&mut tono, &mut fks);
    carry(&mut fks, &mut tono);
    assert_eq!(dump(&tono), dump(&fks));
    assert_eq!(cell(&tono, "s1", "name"), text("Tono base camp"));
    assert_eq!(cell(&tono, "s1", "status"), text("closed"));
    // The later stamp (fukushima's edit came after tono's) wins the shared cell.
    assert_eq!(cell(&tono, "s1", "notes"), text("from fukushima"));
    // The loser is kept and listed, and can be restored.
    let lost = tono.k.sync_status().unwrap().overwritten;
    let o = lost.iter().find(|o| o.row_id == "s1" && o.column == "notes").expect("overwritten value listed");
    assert_eq!(o.lost_value, text("from tono"));
    assert_eq!(o.current_origin, "fukushima");
    let (hlc, origin) = (o.lost_hlc, o.lost_origin.clone());
    fks.k.restore_overwritten("sites", "s1", "notes", hlc, &origin).unwrap();
    carry(&mut fks, &mut tono);
    assert_eq!(cell(&tono, "s1", "notes"), text("from tono"));
}

#[test]
fn an_edit_never_resurrects_a_deleted_row() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    carry(&mut hq, &mut tono);
    add_site(&mut hq, "s2", "Kamaishi");
    carry(&mut hq, &mut tono);
    // Tono edits after HQ deleted (HQ's delete has the earlier stamp).
    hq.k.store_mut().write(|w| w.delete("sites", "s2").map(|_| ())).unwrap();
    edit(&mut tono, "s2", "notes", text("still here?"));
    carry(&mut tono, &mut hq);
    carry(&mut hq, &mut tono);
    for r in [&hq, &tono] {
        assert_eq!(cell(r, "s2", "deleted"), CellValue::Integer(1));
        assert_eq!(cell(r, "s2", "notes"), text("still here?"));
    }
    assert_eq!(dump(&hq), dump(&tono));
}

#[test]
fn the_clock_exceeds_every_stamp_received() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    add_site(&mut hq, "s3", "Ofunato");
    // A stamp five minutes ahead: within the threshold, so applied.
    let ahead = Stamp::from_parts(kizuna_core::hlc::system_millis() + 5 * 60_000, 3);
    let id = hq_identity(&hq);
    let ch = Change {
        hlc: ahead,
        origin: "tokyo".into(),
        table: "sites".into(),
        row_id: "s3".into(),
        column: "notes".into(),
        value: text("ahead"),
    };
    let bytes = bundle::seal(&id, keys::certs(hq.k.store().conn()).unwrap(), &[ch.into()], 0, 1, false).unwrap();
    let r = tono.k.sync_import(&bytes, &SyncConfig::default()).unwrap();
    assert_eq!((r.new, r.quarantined), (1, 0));
    add_site(&mut tono, "s4", "Tono");
    let own: i64 = tono
        .k
        .store()
        .conn()
        .query_row("SELECT hlc FROM change_log WHERE row_id = 's4' LIMIT 1", [], |x| x.get(0))
        .unwrap();
    assert!(own > ahead.0, "local stamp {own} must exceed received {}", ahead.0);
}

pub fn hq_identity(hq: &Replica) -> Identity {
    keys::identity(hq.k.store().conn(), "tokyo").unwrap().expect("hq has a key after inviting")
}

#[test]
fn far_future_changes_are_quarantined_reported_and_released_later() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    carry(&mut hq, &mut tono);
    let before = dump(&tono);
    let far = Stamp::from_parts(kizuna_core::hlc::system_millis() + 3_600_000, 0);
    let id = hq_identity(&hq);
    let ch = Change {
        hlc: far,
        origin: "tokyo".into(),
        table: "sites".into(),
        row_id: "s9".into(),
        column: "name".into(),
        value: text("from the future"),
    };
    let bytes = bundle::seal(&id, keys::certs(hq.k.store().conn()).unwrap(), &[ch.into()], 0, 1, false).unwrap();
    let r = tono.k.sync_import(&bytes, &SyncConfig::default()).unwrap();
    assert_eq!((r.new, r.quarantined), (0, 1));
    assert_eq!(dump(&tono), before, "a quarantined change is not applied");
    let st = tono.k.sync_status().unwrap();
    assert_eq!(st.quarantined.len(), 1);
    assert!(st.quarantined[0].ahead_secs > 3000);
    // Nor does it drag the clock into the future.
    add_site(&mut tono, "s10", "x");
    let own: i64 = tono
        .k
        .store()
        .conn()
        .query_row("SELECT hlc FROM change_log WHERE row_id = 's10' LIMIT 1", [], |x| x.get(0))
        .unwrap();
    assert!(own < far.0);
    // With a wider threshold (as if the clock had caught up) it is released.
    let (b, _) = hq.k.sync_export(Some("tono")).unwrap();
    tono.k.sync_import(&b, &SyncConfig { max_future_ms: 2 * 3_600_000, ..SyncConfig::default() }).unwrap();
    assert_eq!(cell(&tono, "s9", "name"), text("from the future"));
    assert!(tono.k.sync_status().unwrap().quarantined.is_empty());
}

#[test]
fn unknown_tables_and_columns_are_parked_relayed_and_replayed() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let mut sendai = join(&mut hq, "sendai");
    carry(&mut hq, &mut tono);
    carry(&mut hq, &mut sendai);
    let before = dump(&tono);
    let future = vec![
        Change {
            hlc: Stamp::from_parts(kizuna_core::hlc::system_millis(), 1),
            origin: "tokyo".into(),
            table: "shelters".into(),
            row_id: "h1".into(),
            column: "capacity".into(),
            value: CellValue::Integer(40),
        },
        Change {
            hlc: Stamp::from_parts(kizuna_core::hlc::system_millis(), 2),
            origin: "tokyo".into(),
            table: "sites".into(),
            row_id: "s1".into(),
            column: "wheelchair_access".into(),
            value: CellValue::Integer(1),
        },
    ];
    // Written at HQ by a newer version: HQ parks them too, and signs them
    // into its feed like any entry of its own.
    hq.k.store_mut().write(|w| w.apply_batch(&Entry::group(future)).map(|_| ())).unwrap();
    let r = carry(&mut hq, &mut tono);
    assert_eq!((r.new, r.parked), (2, 2));
    assert_eq!(dump(&tono), before, "parked changes touch no table");
    assert_eq!(tono.k.sync_status().unwrap().parked_changes, 2);
    // Parked changes are relayed: sendai gets them from tono's bundle.
    let r = carry(&mut tono, &mut sendai);
    assert_eq!(r.parked, 2);

    // An older version parked a change to a column this version knows: the
    // next sync operation replays it.
    let seq: i64 = {
        let c = tono.k.store().conn();
        c.execute(
            "INSERT INTO change_log (hlc, origin, tbl, row_id, cells) VALUES (?1, 'tokyo', 'sites', 'p1', '{\"name\":\"parked by an old version\"}')",
            [Stamp::from_parts(kizuna_core::hlc::system_millis(), 9).0],
        )
        .unwrap();
        let seq = c.last_insert_rowid();
        c.execute("INSERT INTO sync_parked (seq) VALUES (?1)", [seq]).unwrap();
        seq
    };
    assert!(seq > 0);
    assert_eq!(tono.k.sync_status().unwrap().parked_changes, 3);
    tono.k.sync_export(None).unwrap();
    assert_eq!(cell(&tono, "p1", "name"), text("parked by an old version"));
    assert_eq!(tono.k.sync_status().unwrap().parked_changes, 2);
}

#[test]
fn a_copy_of_an_entry_with_more_cells_is_united_with_the_stored_one_and_relayed() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    carry(&mut hq, &mut tono);
    let id = hq_identity(&hq);
    let certs = keys::certs(hq.k.store().conn()).unwrap();
    let stamp = Stamp::from_parts(kizuna_core::hlc::system_millis(), 5);
    let entry = |cells: Vec<(&str, CellValue)>| Entry {
        hlc: stamp,
        origin: "tokyo".into(),
        table: "sites".into(),
        row_id: "u1".into(),
        cells: cells.into_iter().map(|(c, v)| (c.to_string(), v)).collect(),
    };
    // What a log converted from per-cell form may hold: part of a write.
    let part = entry(vec![("name", text("United"))]);
    let whole = entry(vec![("name", text("United")), ("status", text("closed"))]);
    let send = |tono: &mut Replica, e: &Entry| {
        let b = bundle::seal(&id, certs.clone(), std::slice::from_ref(e), 0, 1, false).unwrap();
        tono.k.sync_import(&b, &SyncConfig::default()).unwrap()
    };
    let logged = |r: &Replica| -> Vec<(i64, String)> {
        r.k.store()
            .conn()
            .prepare("SELECT seq, cells FROM change_log WHERE row_id = 'u1'")
            .unwrap()
            .query_map([], |x| Ok((x.get(0)?, x.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!((send(&mut tono, &part).new, cell(&tono, "u1", "status")), (1, CellValue::Null));
    let before = logged(&tono);
    assert_eq!(before.len(), 1);
    // Everything so far has gone to sendai.
    let first = tono.k.sync_export(Some("sendai")).unwrap().1;
    assert!(first.changes > 0);

    let r = send(&mut tono, &whole);
    assert_eq!((r.new, r.applied), (1, 1), "the missing cell is news and takes effect");
    assert_eq!(cell(&tono, "u1", "status"), text("closed"));
    let after = logged(&tono);
    assert_eq!(after.len(), 1, "still one entry for one write");
    assert_eq!(parse_cells(&after[0].1).unwrap(), whole.cells);
    assert!(after[0].0 > first.upto_seq, "renumbered past what was sent: {} vs {}", after[0].0, first.upto_seq);
    // HQ vouched for it unsigned (as for a log from before feeds): an
    // office does not relay another office's unsigned entries.
    let next = tono.k.sync_export(Some("sendai")).unwrap().1;
    assert_eq!(next.changes, 0, "an unsigned entry of HQ's is not relayed by an office");

    // Copies with the same or fewer cells change nothing.
    for e in [&whole, &part] {
        assert_eq!(send(&mut tono, e).new, 0);
    }
    assert_eq!(logged(&tono), after);
    let c = tono.k.store().conn();
    assert_eq!(kizuna_core::sync::hub::digest(c).unwrap(), kizuna_core::sync::hub::scan_digest(c).unwrap());
}

#[test]
fn an_entry_with_an_unknown_column_is_parked_whole_and_its_known_cells_applied() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    carry(&mut hq, &mut tono);
    let id = hq_identity(&hq);
    let e = Entry {
        hlc: Stamp::from_parts(kizuna_core::hlc::system_millis(), 1),
        origin: "tokyo".into(),
        table: "sites".into(),
        row_id: "m1".into(),
        cells: vec![("name".into(), text("Known part")), ("wheelchair_access".into(), CellValue::Integer(1))],
    };
    let bytes =
        bundle::seal(&id, keys::certs(hq.k.store().conn()).unwrap(), std::slice::from_ref(&e), 0, 1, false).unwrap();
    let r = tono.k.sync_import(&bytes, &SyncConfig::default()).unwrap();
    assert_eq!((r.new, r.parked, r.applied), (1, 1, 1));
    assert_eq!(cell(&tono, "m1", "name"), text("Known part"));
    assert_eq!(tono.k.sync_status().unwrap().parked_changes, 1);
    // Logged whole, so relayed whole.
    let cells: String =
        tono.k.store().conn().query_row("SELECT cells FROM change_log WHERE row_id = 'm1'", [], |x| x.get(0)).unwrap();
    assert_eq!(parse_cells(&cells).unwrap(), e.cells);
    // Still unknown after a replay: it stays parked.
    tono.k.sync_export(None).unwrap();
    assert_eq!(tono.k.sync_status().unwrap().parked_changes, 1);
}
