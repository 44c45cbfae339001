//! Opening, migrating and refusing databases.

use kizuna_core::Kizuna;
use kizuna_core::api::{DB_FILE, InitOptions};
use kizuna_core::store::{SCHEMA_VERSION, Store};

use crate::fresh;
use crate::registry::member;

#[test]
fn reopening_keeps_data_and_schema() {
    let (dir, mut k) = fresh("sendai");
    let m = k.member_add(&member("会", "Group", "カイ")).unwrap();
    drop(k);
    let k = Kizuna::open(dir.path()).unwrap();
    assert_eq!(k.member_show(&m.id).unwrap().name_ja, "会");
    assert_eq!(k.office_code(), "sendai");
    let v: i64 = k.store().conn().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}

#[test]
fn migrations_upgrade_an_existing_older_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        // A database as the first release left it: schema 1 with data.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../../src-tauri/core/migrations/0001_init.sql")).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute("INSERT INTO local_meta VALUES ('office', 'tono')", []).unwrap();
        conn.execute(
            "INSERT INTO members (id, name_ja, name_en, member_no) VALUES ('m1', '古い会', 'Old Group', 'TNO-0001')",
            [],
        )
        .unwrap();
    }
    let k = Kizuna::open(dir.path()).unwrap();
    let v: i64 = k.store().conn().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    assert_eq!(k.member_show("m1").unwrap().name_ja, "古い会");
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let (_dir, path) = crate::newer_plain_database();
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert_eq!(err.code(), "schema_too_new");
    assert!(err.to_string().contains("999"));
    assert_eq!(before, std::fs::read(&path).unwrap());
}

#[test]
fn an_uninitialised_folder_is_reported_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let err = Kizuna::open(&dir.path().join("nothing-here")).err().expect("not initialised");
    assert_eq!(err.code(), "not_initialised");
    assert!(!dir.path().join("nothing-here").exists());
    let _k = Kizuna::init(dir.path(), &InitOptions::default()).unwrap();
    let again = Kizuna::init(dir.path(), &InitOptions::default()).err().expect("refused");
    assert_eq!(again.code(), "already_initialised");
    let bad =
        Kizuna::init(&dir.path().join("b"), &InitOptions { office: Some("osaka".into()), empty: None }).err().unwrap();
    assert_eq!(bad.field(), Some("office"));
}

#[test]
fn export_is_canonical_and_excludes_local_state() {
    let (_d, mut k) = fresh("tokyo");
    k.demo(3, 10, 7).unwrap();
    let a = k.export_json().unwrap();
    assert_eq!(a, k.export_json().unwrap());
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    let tables = v["tables"].as_object().unwrap();
    assert!(!tables.contains_key("local_meta") && !tables.contains_key("change_log"));
    assert!(!a.contains("search_key"));
    let sites = tables["sites"].as_array().unwrap();
    let ids: Vec<&str> = sites.iter().map(|s| s["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    let keys: Vec<&String> = sites[0].as_object().unwrap().keys().collect();
    let mut sorted_keys = keys.clone();
    sorted_keys.sort();
    assert_eq!(keys, sorted_keys);
}

#[test]
fn demo_data_is_deterministic_and_labelled() {
    let names = |seed| {
        let (_d, mut k) = fresh("tokyo");
        k.demo(4, 30, seed).unwrap();
        let page = k.site_list(&Default::default()).unwrap();
        let members = k.member_list(&Default::default()).unwrap();
        assert!(members.rows.iter().all(|m| m.name_en.starts_with("Sample NGO")));
        (page.total, page.rows.into_iter().map(|s| (s.name, s.prefecture_code, s.status)).collect::<Vec<_>>())
    };
    assert_eq!(names(42), names(42));
    assert_ne!(names(42), names(43));
    assert_eq!(names(1).0, 30);
}

/// A database at schema 5, its change log in the per-cell form, with the
/// cells of one write spread over non-adjacent positions, values of every
/// type, parked cells and a peer's marker inside a write's cells.
fn schema_5_database(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    for sql in [
        include_str!("../../src-tauri/core/migrations/0001_init.sql"),
        include_str!("../../src-tauri/core/migrations/0002_sync.sql"),
        include_str!("../../src-tauri/core/migrations/0003_search_index.sql"),
        include_str!("../../src-tauri/core/migrations/0004_log_digest.sql"),
        include_str!("../../src-tauri/core/migrations/0005_log_digest_in_writer.sql"),
    ] {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 5).unwrap();
    conn.execute("INSERT INTO local_meta VALUES ('office', 'tono')", []).unwrap();
    let cells: [(i64, i64, &str, &str, &str, &str, rusqlite::types::Value); 8] = {
        use rusqlite::types::Value::{Integer, Null, Real, Text};
        [
            (1, 100 << 16, "tono", "sites", "s1", "name", Text("Site 1".into())),
            (2, 100 << 16, "tono", "sites", "s1", "prefecture_code", Text("03".into())),
            (3, 101 << 16, "tokyo", "sites", "s2", "name", Text("Other".into())),
            (4, 100 << 16, "tono", "sites", "s1", "latitude", Real(38.123_456_789_012_345)),
            (5, 100 << 16, "tono", "sites", "s1", "notes", Null),
            (6, 100 << 16, "tono", "sites", "s1", "deleted", Integer(0)),
            (7, 102 << 16, "tokyo", "shelters", "h1", "capacity", Integer(40)),
            (8, 103 << 16, "tokyo", "sites", "s1", "wheelchair_access", Integer(1)),
        ]
    };
    for (seq, hlc, origin, tbl, row, col, value) in cells {
        conn.execute(
            "INSERT INTO change_log (seq, hlc, origin, tbl, row_id, col, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            rusqlite::params![seq, hlc, origin, tbl, row, col, value],
        )
        .unwrap();
    }
    conn.execute_batch(
        "INSERT INTO sites (id, name, prefecture_code, latitude) VALUES ('s1', 'Site 1', '03', 38.123456789012345);
         INSERT INTO sites (id, name) VALUES ('s2', 'Other');
         INSERT INTO sync_parked (seq) VALUES (7), (8);
         INSERT INTO sync_peers (peer, sent_upto, received_upto) VALUES ('office:tokyo', 2, 5);
         UPDATE sync_log_digest SET count = 8, checksum = 12345;",
    )
    .unwrap();
}

#[test]
fn migration_7_turns_the_per_cell_log_into_one_entry_per_write_and_row() {
    use kizuna_core::store::{CellValue, parse_cells};
    let dir = tempfile::tempdir().unwrap();
    schema_5_database(&dir.path().join(DB_FILE));
    let mut k = Kizuna::open(dir.path()).unwrap();
    let c = k.store().conn();
    let v: i64 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    let cols: Vec<String> = c
        .prepare("SELECT name FROM pragma_table_info('change_log')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // Migration 8 (feeds) adds each entry's place in its origin's feed.
    assert_eq!(cols, ["seq", "hlc", "origin", "tbl", "row_id", "cells", "feed", "fseq", "chain"]);

    let entries: Vec<(i64, crate::changelog::Logged)> = c
        .prepare("SELECT seq, hlc, origin, tbl, row_id, cells FROM change_log ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get::<_, String>(5)?)))
        .unwrap()
        .map(|r| {
            let (seq, hlc, o, t, id, cells) = r.unwrap();
            let mut cells = parse_cells(&cells).unwrap();
            cells.sort_by(|a, b| a.0.cmp(&b.0));
            (seq, (hlc, o, t, id, cells))
        })
        .collect();
    let seqs: Vec<(i64, &str)> = entries.iter().map(|e| (e.0, e.1.3.as_str())).collect();
    // Each entry takes its last cell's position: s1's write ends at 6, so a
    // marker at 2 (inside it) lies before it and the whole entry is resent.
    assert_eq!(seqs, [(3, "s2"), (6, "s1"), (7, "h1"), (8, "s1")]);
    let text = CellValue::text;
    assert_eq!(
        entries[1].1.4,
        vec![
            ("deleted".to_string(), CellValue::Integer(0)),
            ("latitude".to_string(), CellValue::Real(38.123_456_789_012_345)),
            ("name".to_string(), text("Site 1")),
            ("notes".to_string(), CellValue::Null),
            ("prefecture_code".to_string(), text("03")),
        ],
        "every value keeps its exact type and value"
    );
    assert_eq!((entries[1].1.0, entries[1].1.1.as_str()), (100 << 16, "tono"));
    assert_eq!(entries[0].1.4, vec![("name".to_string(), text("Other"))]);
    let parked: Vec<i64> = c
        .prepare("SELECT seq FROM sync_parked ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(parked, [7, 8]);
    let marker: (i64, i64) = c
        .query_row("SELECT sent_upto, received_upto FROM sync_peers WHERE peer = 'office:tokyo'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(marker, (2, 5));
    let digest = kizuna_core::sync::hub::digest(c).unwrap();
    assert_eq!(digest.count, 4);
    assert_eq!(digest, kizuna_core::sync::hub::scan_digest(c).unwrap());
    // One entry per (table, row, stamp, origin).
    let dup = c.execute(
        "INSERT INTO change_log (hlc, origin, tbl, row_id, cells) VALUES (?1, 'tono', 'sites', 's1', '{}')",
        [100i64 << 16],
    );
    assert!(dup.is_err(), "the entry key is unique");

    // The converted log merges and grows like a new one.
    k.store_mut().write(|w| w.update("sites", "s1", &[("name", text("Site 1b"))]).map(|_| ())).unwrap();
    let c = k.store().conn();
    assert_eq!(kizuna_core::sync::hub::digest(c).unwrap(), kizuna_core::sync::hub::scan_digest(c).unwrap());
    let name: String = c.query_row("SELECT name FROM sites WHERE id = 's1'", [], |r| r.get(0)).unwrap();
    assert_eq!(name, "Site 1b");
}
