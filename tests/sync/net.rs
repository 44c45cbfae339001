//! A small network for tests: HQ (seeded) and enrolled offices in temp dirs.

use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;
use kizuna_core::store::CellValue;
use kizuna_core::sync::{Invite, SyncConfig};
use tempfile::TempDir;

pub struct Replica {
    pub dir: TempDir,
    pub k: Kizuna,
}

pub fn hq() -> Replica {
    let dir = tempfile::tempdir().expect("temp dir");
    let k = Kizuna::init(dir.path(), &InitOptions { office: Some("tokyo".into()), empty: None }).expect("init hq");
    Replica { dir, k }
}

pub fn invite(hq: &mut Replica, office: &str) -> Invite {
    let sealed = hq.k.office_invite(office).expect("invite");
    Invite::open(&sealed.bytes, &sealed.passphrase).expect("open invite")
}

pub fn join(hq: &mut Replica, office: &str) -> Replica {
    let sealed = hq.k.office_invite(office).expect("invite");
    let dir = tempfile::tempdir().expect("temp dir");
    let k = Kizuna::join(dir.path(), &sealed.bytes, &sealed.passphrase).expect("join");
    Replica { dir, k }
}

/// Full bundle from `from` imported into `to`.
pub fn carry(from: &mut Replica, to: &mut Replica) -> kizuna_core::sync::ImportReport {
    let (bytes, _) = from.k.sync_export(None).expect("export");
    to.k.sync_import(&bytes, &SyncConfig::default()).expect("import")
}

pub fn dump(r: &Replica) -> String {
    r.k.export_json().expect("export json")
}

pub fn text(s: &str) -> CellValue {
    CellValue::text(s)
}

/// Adds a site row with a few cells through the one write path.
pub fn add_site(r: &mut Replica, id: &str, name: &str) {
    r.k.store_mut()
        .write(|w| {
            w.insert(
                "sites",
                id,
                &[("name", text(name)), ("status", text("active")), ("prefecture_code", text("03"))],
            )?;
            Ok(())
        })
        .expect("add site");
}

pub fn edit(r: &mut Replica, id: &str, col: &str, v: CellValue) {
    r.k.store_mut()
        .write(|w| {
            w.update("sites", id, &[(col, v)])?;
            Ok(())
        })
        .expect("edit site");
}

pub fn cell(r: &Replica, id: &str, col: &str) -> CellValue {
    r.k.store()
        .conn()
        .query_row(&format!("SELECT {col} FROM sites WHERE id = ?1"), [id], |row| {
            Ok(CellValue::from_value_ref(row.get_ref(0)?))
        })
        .expect("read cell")
}
