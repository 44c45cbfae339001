//! The sites CSV the exchange bench and the `import_once` example import: a
//! header the importer knows and n sites of `MEMBERS` members.

#![allow(dead_code)] // each user takes its own part

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use kizuna_core::Kizuna;
use kizuna_core::api::{ImportKind, ImportRequest, InitOptions};
use kizuna_core::model::member::MemberInput;

pub const MEMBERS: usize = 100;
const TOWNS: [(&str, &str); 6] = [
    ("宮城県", "石巻市"),
    ("宮城県", "気仙沼市"),
    ("岩手県", "釜石市"),
    ("岩手県", "宮古市"),
    ("福島県", "いわき市"),
    ("福島県", "南相馬市"),
];

pub fn write_csv(path: &Path, sites: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "会員番号,都道府県,市区町村,拠点名,拠点名(英語),分野,状態,開設日").unwrap();
    for i in 0..sites {
        let (pref, town) = TOWNS[i % TOWNS.len()];
        writeln!(
            f,
            "TKY-{:04},{pref},{town},ひなんじょ{i:06},Shelter {i:06},避難所・住まい、食料,活動中,2011/3/{}",
            i % MEMBERS + 1,
            i % 28 + 1
        )
        .unwrap();
    }
    f.flush().unwrap();
}

/// A new data folder holding the members the CSV names.
pub fn fresh(dir: &Path) -> Kizuna {
    let mut k = Kizuna::init(dir, &InitOptions::default()).unwrap();
    for i in 0..MEMBERS {
        k.member_add(&MemberInput {
            name_ja: Some(format!("ベンチ会{i:03}")),
            name_en: Some(format!("Bench Group {i:03}")),
            ..Default::default()
        })
        .unwrap();
    }
    k
}

/// Imports the CSV's `sites` rows into `k` as the app's import screen does,
/// a dry run and then the commit; returns how long each took.
pub fn import(k: &mut Kizuna, csv: &Path, sites: usize) -> (Duration, Duration) {
    let mut req = ImportRequest {
        kind: ImportKind::Sites,
        path: csv.display().to_string(),
        encoding: None,
        sheet: None,
        mapping: None,
        on_duplicate: None,
        decisions: None,
        dry_run: Some(true),
    };
    let t = Instant::now();
    let dry = k.import(&req).unwrap();
    let dry_took = t.elapsed();
    assert!(dry.problems.is_empty(), "{:?}", dry.problems.first());
    req.dry_run = Some(false);
    let t = Instant::now();
    let done = k.import(&req).unwrap();
    let commit_took = t.elapsed();
    assert_eq!(done.added as usize, sites);
    (dry_took, commit_took)
}
