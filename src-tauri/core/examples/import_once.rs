//! One import of the exchange bench's sites CSV, dry run then commit, each
//! stage timed, for counting instructions under callgrind:
//!   cargo run --release -p kizuna-core --example import_once -- DIR 100000
//!   valgrind --tool=callgrind target/release/examples/import_once DIR 100000
//! DIR must not exist; it gets the CSV and a fresh data folder.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a measuring tool: a failure is a message and an exit

use std::path::Path;
use std::time::Instant;

use kizuna_core::api::{ImportKind, ImportRequest};

#[path = "../benches/common/sites_csv.rs"]
mod sites_csv;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: import_once DIR [SITES]";
    let dir = Path::new(args.first().expect(usage));
    let sites = args.get(1).map_or(100_000, |n| n.parse::<usize>().expect(usage));
    std::fs::create_dir(dir).expect("DIR must not exist");
    let csv = dir.join("sites.csv");
    sites_csv::write_csv(&csv, sites);
    let mut k = sites_csv::fresh(&dir.join("data"));
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
    assert!(dry.problems.is_empty(), "{:?}", dry.problems.first());
    let dry_took = t.elapsed();
    req.dry_run = Some(false);
    let t = Instant::now();
    let done = k.import(&req).unwrap();
    let commit_took = t.elapsed();
    assert_eq!(done.added as usize, sites);
    println!("{sites} sites: dry run {:.3} s, commit {:.3} s", dry_took.as_secs_f64(), commit_took.as_secs_f64());
}
