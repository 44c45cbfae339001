//! Black-box tests of the core API (`kizuna_core::Kizuna`).

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
