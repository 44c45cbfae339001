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
        conn.execute("INSERT INTO members (id, name_ja, name_en, member_no) VALUES ('m1', '古い会', 'Old Group', 'TNO-0001')", []).unwrap();
    }
    let k = Kizuna::open(dir.path()).unwrap();
    let v: i64 = k.store().conn().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, SCHEMA_VERSION);
    assert_eq!(k.member_show("m1").unwrap().name_ja, "古い会");
}

#[test]
fn a_newer_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (1);").unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
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
    let bad = Kizuna::init(&dir.path().join("b"), &InitOptions { office: Some("osaka".into()), empty: None }).err().unwrap();
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
