//! Incremental syncs as the hub_load bench runs them, one after another in
//! one process with the hub, for counting instructions under callgrind (the
//! bench's latency is its 2 cores' CPU shared by fifty offices, so a cheaper
//! sync is a shorter round):
//!   valgrind --tool=callgrind target/release/examples/sync_rounds SITES OFFICES ROUNDS
//! HQ gets SITES sites and OFFICES offices joined by invite, each syncs once
//! in full; then each round every office adds 5 sites and syncs. The
//! instructions of one round are those of ROUNDS = 1 less those of ROUNDS = 0.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a measuring tool: a failure is a message and an exit

use std::time::Instant;

use kizuna_core::store::CellValue;
use kizuna_core::sync::{HubOptions, SyncConfig};

#[path = "../benches/common/net.rs"]
mod net;

fn main() {
    let args: Vec<usize> =
        std::env::args().skip(1).map(|a| a.parse().expect("usage: sync_rounds SITES OFFICES ROUNDS")).collect();
    let [sites, n, rounds] = args[..] else { panic!("usage: sync_rounds SITES OFFICES ROUNDS") };
    assert!((1..=26).contains(&n), "OFFICES: 1 to 26 (office codes oax to ozx)");
    let codes: Vec<String> = (0..n).map(|i| format!("o{}x", (b'a' + i as u8) as char)).collect();
    let mut hq_net = net::hq_with_sites(sites, &codes);
    let mut offices: Vec<_> = codes.iter().map(|c| net::office(&mut hq_net, c)).collect();
    let dir = hq_net.hq_dir.path().to_path_buf();
    drop(hq_net.hq);
    let hub = kizuna_core::sync::serve(&dir, "127.0.0.1:0", HubOptions::default()).unwrap();
    let url = hub.url();
    for (_, k) in &mut offices {
        assert!(k.sync_with_hub(&url, &SyncConfig::default(), &mut |_| {}).unwrap().digests_match);
    }
    let t = Instant::now();
    for round in 0..rounds {
        for (o, (_, k)) in offices.iter_mut().enumerate() {
            k.store_mut()
                .write(|w| {
                    for i in 0..5 {
                        let id = format!("0190c000-0000-7000-8000-{o:04}{round:04}{i:04}");
                        let name = CellValue::text(format!("Load site {o}-{round}-{i}"));
                        w.insert("sites", &id, &[("name", name), ("status", CellValue::text("active"))])?;
                    }
                    Ok(())
                })
                .unwrap();
            let r = k.sync_with_hub(&url, &SyncConfig::default(), &mut |_| {}).unwrap();
            assert!(r.digests_match, "{r:?}");
        }
    }
    if rounds > 0 {
        println!(
            "{rounds} rounds of {n} syncs: {:.1} ms a sync",
            t.elapsed().as_secs_f64() * 1e3 / (rounds * n) as f64
        );
    }
    hub.stop();
}
