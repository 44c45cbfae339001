//! Initial syncs as the sync bench runs them, for counting instructions
//! under callgrind (the bench's wall-clock figures drift with the machine's
//! load):
//!   cargo run --release -p kizuna-core --example sync_once -- prepare DIR 20000
//!   valgrind --tool=callgrind target/release/examples/sync_once https DIR 1
//! `prepare` writes HQ's data folder with N sites of the bench's shape.
//! `https DIR K` serves it as a hub in this process, and `bundle DIR K`
//! exports it; each syncs one new office as a warm-up, then K more, each
//! enrolled just before its sync as in the bench. The instructions of one
//! sync are those of K = 1 less those of K = 0. `RUST_LOG` turns on the
//! core's log.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a measuring tool: a failure is a message and an exit

use std::path::Path;
use std::time::Instant;

use kizuna_core::Kizuna;
use kizuna_core::sync::{HubOptions, SyncConfig};

#[path = "../benches/common/net.rs"]
mod net;

const OFFICES: [&str; 4] = ["tono", "fukushima", "sendai", "morioka"];

fn prepare(dir: &Path, n: usize) {
    let offices: Vec<String> = OFFICES.iter().map(|c| c.to_string()).collect();
    let mut hq = net::write_hq(dir, n, &offices);
    // A first export signs HQ's feed, as the bench's first sample does.
    hq.sync_export(None).unwrap();
}

fn main() {
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: sync_once prepare DIR [SITES] | https|bundle DIR [SYNCS]";
    let dir = Path::new(args.get(1).expect(usage));
    let number = args.get(2).map(|n| n.parse::<usize>().expect(usage));
    if args[0] == "prepare" {
        prepare(dir, number.unwrap_or(20_000));
        return;
    }
    let syncs = number.unwrap_or(1);
    assert!(syncs < OFFICES.len(), "at most {} syncs", OFFICES.len() - 1);
    let mut hq = Kizuna::open(dir).unwrap();
    let hub =
        (args[0] == "https").then(|| kizuna_core::sync::serve(dir, "127.0.0.1:0", HubOptions::default()).unwrap());
    // KIZUNA_INVITE_FIRST: every invite before the first sync, so the hub's
    // page cache is not dropped between syncs (each write by another
    // connection drops it).
    let first = std::env::var_os("KIZUNA_INVITE_FIRST").is_some();
    let mut invites: Vec<_> = if first {
        OFFICES.iter().take(syncs + 1).map(|c| Some(hq.office_invite(c).unwrap())).collect()
    } else {
        Vec::new()
    };
    let mut offices = Vec::new();
    for (i, code) in OFFICES.iter().take(syncs + 1).enumerate() {
        let sealed = match invites.get_mut(i).and_then(Option::take) {
            Some(s) => s,
            None => hq.office_invite(code).unwrap(),
        };
        let office_dir = tempfile::tempdir().unwrap();
        let mut office = Kizuna::join(office_dir.path(), &sealed.bytes, &sealed.passphrase).unwrap();
        let t = Instant::now();
        let got = match &hub {
            Some(hub) => {
                let r = office.sync_with_hub(&hub.url(), &SyncConfig::default(), &mut |_| {}).unwrap();
                assert!(r.digests_match);
                r.new
            }
            None => {
                let (bytes, _) = hq.sync_export(None).unwrap();
                println!("exported in {:.3} s", t.elapsed().as_secs_f64());
                office.sync_import(&bytes, &SyncConfig::default()).unwrap().new
            }
        };
        let what = if i == 0 { "warm-up" } else { "sync" };
        println!("{what} {code}: {got} new entries in {:.3} s", t.elapsed().as_secs_f64());
        // Kept, as the bench keeps each sample's replica until it is timed.
        offices.push((office_dir, office));
    }
    if let Some(hub) = hub {
        hub.stop();
    }
}
