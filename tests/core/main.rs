//! Black-box tests of the core API (`kizuna_core::Kizuna`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

mod at_rest;
mod changelog;
mod coordination;
mod fund;
mod grant_desk;
mod matching;
mod registry;
mod seed;
mod storage;
mod usability;
// Data exchange: import, exports, backup and restore.
mod exchange;

use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;

/// A plain (unencrypted) database file written by a newer schema (999),
/// alone in a fresh data folder.
pub fn newer_plain_database() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(kizuna_core::api::DB_FILE);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE future (x); INSERT INTO future VALUES (1);").unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    (dir, path)
}

pub fn fresh(office: &str) -> (tempfile::TempDir, Kizuna) {
    let dir = tempfile::tempdir().expect("temp dir");
    let k = Kizuna::init(dir.path(), &InitOptions { office: Some(office.into()), empty: None }).expect("init");
    (dir, k)
}
