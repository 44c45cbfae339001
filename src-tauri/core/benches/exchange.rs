//! Import benchmark beside the physical floor: a 100k-row sites CSV (written
//! here, UTF-8) imported through the dry run and then the commit (one
//! transaction, change log included, encrypted at rest), against
//! `sqlite3 .import` of the same file into a plain table of a plain
//! database: what SQLite alone needs to parse and store the same bytes. The
//! target is within 3x; the ratio of the medians is printed at the end.
//!
//! `sqlite3` comes from `KIZUNA_SQLITE3` (exported by .ci/setup) or PATH (`common/sqlite_shell.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a bench, a panic is a failed run

use std::sync::Mutex;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kizuna_core::Kizuna;

const SITES: usize = 100_000;

#[path = "common/sites_csv.rs"]
mod sites_csv;
#[path = "common/sqlite_shell.rs"]
mod sqlite_shell;

static TIMES: Mutex<(Vec<Duration>, Vec<Duration>)> = Mutex::new((Vec::new(), Vec::new()));

fn fresh() -> (tempfile::TempDir, Kizuna) {
    let dir = tempfile::tempdir().unwrap();
    let k = sites_csv::fresh(dir.path());
    (dir, k)
}

fn import(c: &mut Criterion) {
    let work = tempfile::tempdir().unwrap();
    let csv = work.path().join("sites.csv");
    sites_csv::write_csv(&csv, SITES);
    let sqlite =
        sqlite_shell::sqlite3().expect("sqlite3 is missing: set KIZUNA_SQLITE3 or install it (.ci/setup does)");
    let mut g = c.benchmark_group("exchange");
    g.sample_size(10).measurement_time(Duration::from_secs(60)).warm_up_time(Duration::from_secs(1));
    g.bench_function("import_100k_sites_dry_run_and_commit", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (_dir, mut k) = fresh();
                let (dry, commit) = sites_csv::import(&mut k, &csv, SITES);
                let took = dry + commit;
                TIMES.lock().unwrap().0.push(took);
                total += took;
            }
            total
        })
    });
    g.bench_function("sqlite3_dot_import_100k_sites_plain_table", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for n in 0..iters {
                let db = work.path().join(format!("floor-{n}-{}.db", std::process::id()));
                let took = sqlite_shell::dot_import(&sqlite, &db, &csv);
                TIMES.lock().unwrap().1.push(took);
                total += took;
            }
            total
        })
    });
    g.finish();
    let times = TIMES.lock().unwrap();
    let median = |v: &[Duration]| {
        let mut v = v.to_vec();
        v.sort();
        v.get(v.len() / 2).copied().unwrap_or_default()
    };
    let (ours, floor) = (median(&times.0), median(&times.1));
    if !floor.is_zero() {
        println!(
            "import of 100k sites (dry run + commit) {:.2} s; sqlite3 .import {:.3} s; ratio {:.1}x (target 3x)",
            ours.as_secs_f64(),
            floor.as_secs_f64(),
            ours.as_secs_f64() / floor.as_secs_f64()
        );
    }
}

criterion_group!(benches, import);
criterion_main!(benches);
