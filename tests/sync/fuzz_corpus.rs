//! Replays the fuzz corpus (`fuzz/corpus/{bundle_open,hub_request}`: seeds
//! and anything the fuzzers found) through the same harness as the fuzz
//! targets: no input panics, none writes to the replica, and every hub
//! answer is one the protocol defines.

use std::path::{Path, PathBuf};

#[path = "../../fuzz/harness.rs"]
mod harness;

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|f| f.unwrap().path())
        .collect();
    files.sort();
    files.into_iter().map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect()
}

fn state(hq: &harness::Hq) -> (String, i64) {
    let log = hq.k.store().conn().query_row("SELECT count(*) FROM change_log", [], |r| r.get(0)).unwrap();
    (hq.k.export_json().unwrap(), log)
}

#[test]
fn the_bundle_corpus_opens_without_panic_or_write() {
    let hq = harness::hq();
    let before = state(&hq);
    let inputs = corpus("bundle_open");
    assert!(inputs.len() >= 5, "corpus holds its seeds");
    for (path, data) in &inputs {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| harness::open_bundle(&hq, data)));
        assert!(r.is_ok(), "panic on {}", path.display());
    }
    assert_eq!(state(&hq), before);
}

#[test]
fn the_hub_request_corpus_is_answered_without_panic_or_write() {
    let mut hq = harness::hq();
    let before = state(&hq);
    let inputs = corpus("hub_request");
    assert!(inputs.len() >= 5, "corpus holds its seeds");
    for (path, data) in &inputs {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| harness::request(&mut hq, data)));
        let r = r.unwrap_or_else(|_| panic!("panic on {}", path.display()));
        assert!(matches!(r.status, 200 | 400 | 401 | 413), "{} answered {}", path.display(), r.status);
    }
    assert_eq!(state(&hq), before);
}
