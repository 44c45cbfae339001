//! Sync benchmarks, with the targets:
//! - initial sync of 100k sites (every cell) to an empty replica, by bundle
//!   and over loopback HTTP: < 1.8 s each;
//! - incremental sync of 100 changes over loopback HTTP: < 50 ms;
//! - merging 1M cell changes: < 5 s.
//!
//! `KIZUNA_BENCH_SITES` shrinks the data set for a quick run.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

use std::hint::black_box;
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
                total += t.elapsed();
                assert!(r.new as usize >= n, "one entry per site");
            }
            total
        })
    });
    let hub = kizuna_core::sync::serve(net.hq_dir.path(), "127.0.0.1:0", HubOptions::default()).unwrap();
    let url = hub.url();
    g.bench_function(format!("http_{n}_sites"), |b| {
        b.iter_batched(
            || office(&mut net, "fukushima"),
            |(dir, mut k)| {
                let r = k.sync_with_hub(&url, &SyncConfig::default(), &mut |_| {}).unwrap();
                assert!(r.digests_match);
                (dir, k)
            },
            BatchSize::PerIteration,
        )
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

criterion_group!(benches, initial, incremental, merge);
criterion_main!(benches);
