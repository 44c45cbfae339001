//! The synthetic network the sync benches and the `sync_once` example share: HQ holding n sites of 15
//! cells, with offices enrolled by invite.

#![allow(dead_code)] // each bench uses its own part

use std::path::Path;

use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;
use kizuna_core::model::office::OfficeInput;
use kizuna_core::store::CellValue;
use tempfile::TempDir;

pub fn site_cells(i: usize) -> Vec<(&'static str, CellValue)> {
    let t = |s: String| CellValue::Text(s);
    vec![
        ("member_id", t(format!("0190a000-0000-7000-8000-{:012}", i % 500))),
        ("name", t(format!("拠点 {i}"))),
        ("name_en", t(format!("Site {i}"))),
        ("prefecture_code", t(["03", "04", "07"][i % 3].into())),
        ("municipality", t(format!("Town {}", i % 40))),
        ("address", t(format!("{i} Chome, Somewhere"))),
        ("latitude", CellValue::Real(38.0 + (i % 1000) as f64 / 1000.0)),
        ("longitude", CellValue::Real(141.0 + (i % 700) as f64 / 1000.0)),
        ("sectors", t("[\"shelter\",\"food\"]".into())),
        ("status", t("active".into())),
        ("opened_on", t("2011-04-01".into())),
        ("closed_on", t("2013-03-31".into())),
        ("created_on", t("2011-03-20".into())),
        ("notes", t(format!("Synthetic benchmark site {i}"))),
        ("office_id", t("tokyo".into())),
    ]
}

pub struct Net {
    pub hq_dir: TempDir,
    pub hq: Kizuna,
}

/// HQ's data folder at `dir` with no seed, `offices` added (not yet
/// invited) and `n` sites.
pub fn write_hq(dir: &Path, n: usize, offices: &[String]) -> Kizuna {
    let mut hq = Kizuna::init(dir, &InitOptions { office: Some("tokyo".into()), empty: Some(true) }).unwrap();
    for code in offices {
        let input = OfficeInput {
            code: code.clone(),
            name_ja: code.clone(),
            name_en: code.clone(),
            prefecture: "03".into(),
            ..Default::default()
        };
        hq.office_add(&input).unwrap();
    }
    hq.store_mut()
        .write(|w| {
            for i in 0..n {
                w.insert("sites", &format!("0190b000-0000-7000-8000-{i:012}"), &site_cells(i))?;
            }
            Ok(())
        })
        .unwrap();
    hq
}

/// HQ in a temporary folder, as [`write_hq`] makes it.
pub fn hq_with_sites(n: usize, offices: &[String]) -> Net {
    let hq_dir = tempfile::tempdir().unwrap();
    // Reopened: closing waits for the checkpoint that a large write leaves to
    // a background thread, which would otherwise run into the first samples.
    drop(write_hq(hq_dir.path(), n, offices));
    let hq = Kizuna::open(hq_dir.path()).unwrap();
    Net { hq_dir, hq }
}

/// A new replica of office `code`, joined with a fresh invite.
pub fn office(net: &mut Net, code: &str) -> (TempDir, Kizuna) {
    let sealed = net.hq.office_invite(code).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let k = Kizuna::join(dir.path(), &sealed.bytes, &sealed.passphrase).unwrap();
    (dir, k)
}
