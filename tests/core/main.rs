//! Black-box tests of the core API (`kizuna_core::Kizuna`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

mod at_rest;
mod changelog;
mod registry;
mod seed;
mod storage;

use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;

pub fn fresh(office: &str) -> (tempfile::TempDir, Kizuna) {
    let dir = tempfile::tempdir().expect("temp dir");
    let k = Kizuna::init(dir.path(), &InitOptions { office: Some(office.into()), empty: None }).expect("init");
    (dir, k)
}
