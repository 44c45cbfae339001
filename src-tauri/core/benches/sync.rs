//! Sync benchmarks, with the targets:
//! - initial sync of 100k sites (every cell) to an empty replica, by bundle
//!   and over loopback HTTP: < 1.8 s each;
//! - incremental sync of 100 changes over loopback HTTP: < 50 ms;
//! - merging 1M cell changes: < 5 s.
//!
//! Beside the initial syncs, the floor for writing the same rows at all: a
//! CSV of them (an id and the 15 cells) imported into a plain table the way
//! `sqlite3 .import` does it (one transaction, one prepared INSERT, every
//! field bound as text), into a database of our kind (SQLCipher with our
//! page size, WAL, synchronous NORMAL) and, by the `sqlite3` shell itself,
//! into a plain one. The speed issue's target is an initial sync within 2x
//! of the encrypted floor; the ratios of the medians are printed at the end.
//! `sqlite3` comes from `KIZUNA_SQLITE3` or PATH; without it that line is
//! left out.
//!
//! `KIZUNA_BENCH_SITES` shrinks the data set for a quick run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

use std::hint::black_box;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};
use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;
use kizuna_core::hlc::Stamp;
use kizuna_core::store::{CellValue, Change, Entry};
use kizuna_core::sync::{HubOptions, SyncConfig};

fn sites() -> usize {
    std::env::var("KIZUNA_BENCH_SITES").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000)
}

#[path = "common/net.rs"]
mod net;
use net::{hq_with_sites, office, site_cells};
#[path = "common/sqlite_shell.rs"]
mod sqlite_shell;

/// Each timed sample, by what it timed: the ratios at the end are of medians.
static SAMPLES: Mutex<Vec<(&'static str, Duration)>> = Mutex::new(Vec::new());

fn sample(what: &'static str, d: Duration) {
    SAMPLES.lock().unwrap().push((what, d));
}

fn median_of(what: &str) -> Option<Duration> {
    let mut v: Vec<Duration> = SAMPLES.lock().unwrap().iter().filter(|s| s.0 == what).map(|s| s.1).collect();
    v.sort();
    v.get(v.len() / 2).copied()
}

/// The bench's sites as CSV: the row id and the 15 cells, as text.
fn write_sites_csv(path: &Path, n: usize) {
    let mut w = csv::Writer::from_path(path).unwrap();
    let mut header = vec!["id".to_string()];
    header.extend(site_cells(0).into_iter().map(|(c, _)| c.to_string()));
    w.write_record(&header).unwrap();
    for i in 0..n {
        let mut row = vec![format!("0190b000-0000-7000-8000-{i:012}")];
        row.extend(site_cells(i).into_iter().map(|(_, v)| match v {
            CellValue::Text(s) => s,
            CellValue::Real(r) => r.to_string(),
            CellValue::Integer(i) => i.to_string(),
            other => panic!("no CSV form for {other:?}"),
        }));
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
}

/// What `sqlite3 .import` does with a CSV, into a new database of our kind.
fn import_encrypted(db: &Path, csv_path: &Path) {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).unwrap();
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA cipher_log_level = NONE; PRAGMA key = \"x'{}'\"; PRAGMA cipher_page_size = 16384; \
         PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
        hex::encode(key)
    ))
    .unwrap();
    let mut r = csv::Reader::from_path(csv_path).unwrap();
    let header = r.headers().unwrap().clone();
    let columns: Vec<String> = header.iter().map(|h| format!("\"{h}\" TEXT")).collect();
    conn.execute_batch(&format!("CREATE TABLE sites ({})", columns.join(", "))).unwrap();
    let marks = vec!["?"; header.len()].join(", ");
    conn.execute_batch("BEGIN").unwrap();
    {
        let mut insert = conn.prepare(&format!("INSERT INTO sites VALUES ({marks})")).unwrap();
        let mut record = csv::StringRecord::new();
        while r.read_record(&mut record).unwrap() {
            insert.execute(rusqlite::params_from_iter(record.iter())).unwrap();
        }
    }
    conn.execute_batch("COMMIT").unwrap();
}

fn floor(c: &mut Criterion) {
    let n = sites();
    let work = tempfile::tempdir().unwrap();
    let csv_path = work.path().join("sites.csv");
    write_sites_csv(&csv_path, n);
    let mut g = c.benchmark_group("sync_floor");
    g.sample_size(10).measurement_time(Duration::from_secs(20)).warm_up_time(Duration::from_millis(1));
    g.bench_function(format!("import_{n}_rows_encrypted"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                let db = work.path().join(format!("floor-{i}.db"));
                let t = Instant::now();
                import_encrypted(&db, &csv_path);
                let took = t.elapsed();
                sample("floor_encrypted", took);
                total += took;
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
                }
            }
            total
        })
    });
    if let Some(shell) = sqlite_shell::sqlite3() {
        g.bench_function(format!("sqlite3_dot_import_{n}_rows_plain"), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for i in 0..iters {
                    let db = work.path().join(format!("plain-{i}.db"));
                    let took = sqlite_shell::dot_import(&shell, &db, &csv_path);
                    sample("floor_plain", took);
                    total += took;
                }
                total
            })
        });
    }
    g.finish();
}

/// The initial syncs beside the floors (run last: `floor` and `initial` fill SAMPLES).
fn ratios(_: &mut Criterion) {
    let Some(floor) = median_of("floor_encrypted") else { return };
    for (what, label) in [("bundle", "by bundle"), ("https", "over HTTPS")] {
        if let Some(ours) = median_of(what) {
            println!(
                "initial sync of {} sites {label}: {:.3} s; encrypted import floor {:.3} s; ratio {:.1}x (target 2x)",
                sites(),
                ours.as_secs_f64(),
                floor.as_secs_f64(),
                ours.as_secs_f64() / floor.as_secs_f64()
            );
        }
    }
    if let Some(plain) = median_of("floor_plain") {
        println!(
            "sqlite3 .import into a plain database: {:.3} s (the encrypted floor is {:.1}x that)",
            plain.as_secs_f64(),
            floor.as_secs_f64() / plain.as_secs_f64()
        );
    }
}

fn initial(c: &mut Criterion) {
    let n = sites();
    let mut net = hq_with_sites(n, &["tono".into(), "fukushima".into()]);
    let mut g = c.benchmark_group("sync_initial");
    // Flat: each sample is one full sync; ten samples, not 55 iterations.
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_millis(1));
    g.bench_function(format!("bundle_{n}_sites"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let (_dir, mut k) = office(&mut net, "tono");
                let t = Instant::now();
                let (bytes, _) = net.hq.sync_export(None).unwrap();
                let r = k.sync_import(&bytes, &SyncConfig::default()).unwrap();
                let took = t.elapsed();
                sample("bundle", took);
                total += took;
                assert!(r.new as usize >= n, "one entry per site");
            }
            total
        })
    });
    let hub = kizuna_core::sync::serve(net.hq_dir.path(), "127.0.0.1:0", HubOptions::default()).unwrap();
    let url = hub.url();
    g.bench_function(format!("http_{n}_sites"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                // Kept until timed, as a batched setup would be.
                let (_dir, mut k) = office(&mut net, "fukushima");
                let t = Instant::now();
                let r = k.sync_with_hub(&url, &SyncConfig::default(), &mut |_| {}).unwrap();
                let took = t.elapsed();
                sample("https", took);
                total += took;
                assert!(r.digests_match);
            }
            total
        })
    });
    g.finish();
    hub.stop();
}

fn incremental(c: &mut Criterion) {
    let mut net = hq_with_sites(sites(), &["tono".into(), "fukushima".into()]);
    let hub = kizuna_core::sync::serve(net.hq_dir.path(), "127.0.0.1:0", HubOptions::default()).unwrap();
    let url = hub.url();
    let (_dir, mut tono) = office(&mut net, "tono");
    tono.sync_with_hub(&url, &SyncConfig::default(), &mut |_| {}).unwrap();
    let mut round = 0u64;
    let mut g = c.benchmark_group("sync_incremental");
    g.sample_size(20);
    g.bench_function("http_100_changes", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                round += 1;
                tono.store_mut()
                    .write(|w| {
                        for i in 0..100 {
                            let id = format!("0190b000-0000-7000-8000-{:012}", i * 7 + 1);
                            w.update("sites", &id, &[("notes", CellValue::Text(format!("round {round} edit {i}")))])?;
                        }
                        Ok(())
                    })
                    .unwrap();
                let t = Instant::now();
                let r = tono.sync_with_hub(&url, &SyncConfig::default(), &mut |_| {}).unwrap();
                total += t.elapsed();
                assert_eq!(r.pushed, 100);
                black_box(r);
            }
            total
        })
    });
    g.finish();
    hub.stop();
}

fn merge(c: &mut Criterion) {
    const CELLS: usize = 1_000_000;
    let now = kizuna_core::hlc::system_millis();
    let origins = ["tono", "fukushima", "sendai", "tokyo"];
    // 1M changes over 100k rows: ten cells per row, some cells edited by
    // several offices, in an interleaved order.
    let changes: Vec<Change> = (0..CELLS)
        .map(|i| {
            let row = (i * 7919) % 100_000;
            let (col, v) = site_cells(row)[i % 10].clone();
            Change {
                hlc: Stamp::from_parts(now - 1_000_000 + (i as i64 % 997), (i % 1000) as i64),
                origin: origins[(i / 100_000) % 4].into(),
                table: "sites".into(),
                row_id: format!("0190c000-0000-7000-8000-{row:012}"),
                column: col.into(),
                value: v,
            }
        })
        .collect();
    // As they travel: cells of one write to one row form one entry.
    let entries = Entry::group(changes);
    let mut g = c.benchmark_group("sync_merge");
    // Flat: each sample is one full sync; ten samples, not 55 iterations.
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_millis(1));
    g.bench_function("apply_batch_1m_cells", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                let k =
                    Kizuna::init(dir.path(), &InitOptions { office: Some("tokyo".into()), empty: Some(true) }).unwrap();
                (dir, k)
            },
            |(dir, mut k)| {
                let s = k.store_mut().write(|w| w.apply_batch(&entries)).unwrap();
                assert!(s.new > 0);
                (dir, k)
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, floor, initial, incremental, merge, ratios);
criterion_main!(benches);
