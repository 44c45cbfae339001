//! One import of the exchange bench's sites CSV, dry run then commit, each
//! stage timed, for counting instructions under callgrind:
//!   cargo run --release -p kizuna-core --example import_once -- DIR 100000
//!   valgrind --tool=callgrind target/release/examples/import_once DIR 100000
//! DIR must not exist; it gets the CSV and a fresh data folder.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a measuring tool: a failure is a message and an exit

use std::path::Path;

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
    let (dry_took, commit_took) = sites_csv::import(&mut k, &csv, sites);
    println!("{sites} sites: dry run {:.3} s, commit {:.3} s", dry_took.as_secs_f64(), commit_took.as_secs_f64());
}
