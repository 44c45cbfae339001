//! End-to-end sync with real processes: the `kizuna` binary as a black box,
//! office data folders in temp dirs, the hub (HTTPS) on 127.0.0.1:0.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

#[path = "../../common/cli.rs"]
mod common;
use common::kizuna;
#[path = "../../common/process.rs"]
mod process;
use process::{ProcessGroup, ServedHub};

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = kizuna(dir, args);
    assert!(o.status.success(), "kizuna {args:?} failed: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let o = kizuna(dir, args);
    assert!(!o.status.success(), "kizuna {args:?} should have failed");
    String::from_utf8(o.stderr).unwrap()
}

fn dump(dir: &Path) -> String {
    ok(dir, &["export", "json"])
}

struct Net {
    _tmp: TempDir,
    hq: PathBuf,
    offices: Vec<PathBuf>,
}

fn network(offices: &[&str]) -> Net {
    let tmp = tempfile::tempdir().unwrap();
    let hq = tmp.path().join("hq");
    ok(&hq, &["init"]);
    let mut dirs = vec![];
    for o in offices {
        let inv = tmp.path().join(format!("{o}.invite"));
        let pass = common::invite(&hq, o, &inv);
        let d = tmp.path().join(o);
        let j = common::join(&d, &inv, &pass);
        assert!(j.status.success(), "join {o}: {}", String::from_utf8_lossy(&j.stderr));
        dirs.push(d);
    }
    Net { _tmp: tmp, hq, offices: dirs }
}

/// `kizuna serve` on 127.0.0.1:0, over HTTPS; stopped with its group on drop.
fn start_hub(dir: &Path) -> ServedHub {
    let hub = ServedHub::start(Path::new(env!("CARGO_BIN_EXE_kizuna")), dir, &[]);
    assert!(hub.url.starts_with("https://127.0.0.1:"), "{}", hub.url);
    hub
}

#[test]
fn offices_join_and_converge_over_https_with_the_hub_on_port_zero() {
    let net = network(&["tono", "sendai"]);
    let hub = start_hub(&net.hq);
    // The hub prints the fingerprint every invite carries (and HQ reads out).
    let fp = hub.fingerprint.clone().expect("an HTTPS hub prints its fingerprint");
    assert_eq!(fp.len(), 64);
    let file = net.hq.parent().unwrap().join("fukushima.invite");
    let inv = ok(&net.hq, &["--json", "office", "invite", "fukushima", "--out", file.to_str().unwrap()]);
    let inv: serde_json::Value = serde_json::from_str(&inv).unwrap();
    assert_eq!(inv["hub_fingerprint"].as_str(), Some(fp.as_str()));
    let (tono, sendai) = (&net.offices[0], &net.offices[1]);
    // Joined offices start empty and get the seed from HQ exactly once.
    ok(tono, &["sync", "--hub", &hub.url]);
    assert_eq!(dump(tono), dump(&net.hq));
    ok(tono, &["demo", "--members", "3", "--sites", "25", "--seed", "7"]);
    let status = ok(tono, &["--json", "sync", "status"]);
    let v: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert!(v["unsent_changes"].as_i64().unwrap() > 0, "{status}");
    let out = ok(tono, &["sync", "--hub", &hub.url]);
    assert!(out.contains("digests match"), "{out}");
    ok(sendai, &["sync", "--hub", &hub.url]);
    let hq = dump(&net.hq);
    assert_eq!(dump(tono), hq);
    assert_eq!(dump(sendai), hq);
    let members: serde_json::Value = serde_json::from_str(&ok(sendai, &["--json", "member", "list"])).unwrap();
    let hq_members: serde_json::Value = serde_json::from_str(&ok(&net.hq, &["--json", "member", "list"])).unwrap();
    assert_eq!(members, hq_members);
    let v: serde_json::Value = serde_json::from_str(&ok(tono, &["--json", "sync", "status"])).unwrap();
    assert_eq!(v["unsent_changes"], 0);
}

#[test]
fn usb_bundles_carry_changes_both_ways() {
    let net = network(&["fukushima"]);
    let fks = &net.offices[0];
    let file = net.hq.parent().unwrap().join("to-fks.bundle");
    ok(&net.hq, &["sync", "export", "--out", file.to_str().unwrap(), "--since-last-for", "fukushima"]);
    ok(fks, &["sync", "import", file.to_str().unwrap()]);
    ok(fks, &["demo", "--members", "2", "--sites", "10", "--seed", "3"]);
    let back = net.hq.parent().unwrap().join("to-hq.bundle");
    ok(fks, &["sync", "export", "--out", back.to_str().unwrap()]);
    let out = ok(&net.hq, &["sync", "import", back.to_str().unwrap()]);
    assert!(out.contains("from fukushima"), "{out}");
    assert_eq!(dump(fks), dump(&net.hq));
    // Since-last-for: the second export for the same office holds only what is new.
    let again = net.hq.parent().unwrap().join("again.bundle");
    let out =
        ok(&net.hq, &["--json", "sync", "export", "--out", again.to_str().unwrap(), "--since-last-for", "fukushima"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["changes"].as_u64().unwrap() > 0, "fukushima's own changes relayed back are included: {out}");
    let out =
        ok(&net.hq, &["--json", "sync", "export", "--out", again.to_str().unwrap(), "--since-last-for", "fukushima"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["changes"], 0, "{out}");
}

#[test]
fn tampered_bundles_are_rejected_by_the_cli_and_change_nothing() {
    let net = network(&["tono"]);
    let tono = &net.offices[0];
    let file = net.hq.parent().unwrap().join("b.bundle");
    ok(&net.hq, &["sync", "export", "--out", file.to_str().unwrap()]);
    let bytes = std::fs::read(&file).unwrap();
    let before = dump(tono);
    let bad = net.hq.parent().unwrap().join("bad.bundle");
    let mut flipped = bytes.clone();
    let n = flipped.len() - 10;
    flipped[n] ^= 0x04;
    std::fs::write(&bad, &flipped).unwrap();
    let err = fails(tono, &["sync", "import", bad.to_str().unwrap()]);
    assert!(err.contains("error[rejected]") && err.contains("digest"), "{err}");
    std::fs::write(&bad, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let err = fails(tono, &["sync", "import", bad.to_str().unwrap()]);
    assert!(err.contains("truncated"), "{err}");
    // A bundle from another network's HQ.
    let other = net.hq.parent().unwrap().join("other");
    ok(&other, &["init"]);
    ok(&other, &["office", "invite", "tono", "--out", net.hq.parent().unwrap().join("x.invite").to_str().unwrap()]);
    ok(&other, &["sync", "export", "--out", bad.to_str().unwrap()]);
    let err = fails(tono, &["sync", "import", bad.to_str().unwrap()]);
    assert!(err.contains("error[unauthorized]"), "{err}");
    assert_eq!(dump(tono), before);
    // The genuine file still imports.
    ok(tono, &["sync", "import", file.to_str().unwrap()]);
    assert_eq!(dump(tono), dump(&net.hq));
}

#[test]
fn an_unenrolled_office_is_refused_by_the_hub() {
    let net = network(&[]);
    let hub = start_hub(&net.hq);
    // Tono enrolled by a different HQ: the hub does not know its key.
    let tmp = tempfile::tempdir().unwrap();
    let other = tmp.path().join("other-hq");
    ok(&other, &["init"]);
    let inv = tmp.path().join("tono.invite");
    let pass = common::invite(&other, "tono", &inv);
    let stranger = tmp.path().join("tono");
    assert!(common::join(&stranger, &inv, &pass).status.success());
    let before = dump(&net.hq);
    let err = fails(&stranger, &["sync", "--hub", &hub.url]);
    assert!(err.contains("error[unauthorized]"), "{err}");
    // A standalone office without an invite cannot sync at all.
    let lone = tmp.path().join("lone");
    ok(&lone, &["init", "--office", "sendai"]);
    let err = fails(&lone, &["sync", "--hub", &hub.url]);
    assert!(err.contains("not enrolled"), "{err}");
    assert_eq!(dump(&net.hq), before);
}

#[test]
fn an_office_killed_mid_import_converges_on_rerun_with_nothing_lost() {
    let net = network(&["tono"]);
    let tono = &net.offices[0];
    // Tono starts from HQ's seed and has its own unsent work, which must survive.
    let local = net.hq.parent().unwrap().join("local.bundle");
    ok(tono, &["sync", "import", local_seed(&net, &local).to_str().unwrap()]);
    ok(tono, &["demo", "--members", "1", "--sites", "5", "--seed", "5"]);
    let tono_before = dump(tono);
    ok(&net.hq, &["demo", "--members", "20", "--sites", "20000", "--seed", "11"]);
    let file = net.hq.parent().unwrap().join("big.bundle");
    ok(&net.hq, &["sync", "export", "--out", file.to_str().unwrap()]);

    let mut killed = false;
    for delay_ms in [800u64, 400, 1500, 200, 100, 50] {
        // Killed by its guard even if an assertion below fails first.
        let mut import = ProcessGroup::spawn(
            Command::new(env!("CARGO_BIN_EXE_kizuna"))
                .arg("--data-dir")
                .arg(tono)
                .args(["sync", "import", file.to_str().unwrap()])
                .env_remove("KIZUNA_DATA_DIR")
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )
        .unwrap();
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(delay_ms) {
            std::thread::sleep(Duration::from_millis(5));
        }
        if import.running() {
            let status = import.kill(); // SIGKILL
            assert!(!status.success());
            killed = true;
            break;
        }
    }
    assert!(killed, "the import always finished before it could be killed");
    // Killed mid-import: either nothing or everything of the batch committed.
    let mid = dump(tono);
    assert!(mid == tono_before || mid.len() > tono_before.len());
    ok(tono, &["sync", "import", file.to_str().unwrap()]);
    // Tono's own work goes back to HQ; afterwards both hold everything.
    let back = net.hq.parent().unwrap().join("back.bundle");
    ok(tono, &["sync", "export", "--out", back.to_str().unwrap()]);
    let count = |d: &Path| -> usize {
        let v: serde_json::Value = serde_json::from_str(&dump(d)).unwrap();
        v["tables"]["sites"].as_array().unwrap().len()
    };
    let hq_sites = count(&net.hq);
    ok(&net.hq, &["sync", "import", back.to_str().unwrap()]);
    assert_eq!(dump(tono), dump(&net.hq));
    assert_eq!(count(&net.hq), hq_sites + 5, "HQ's sites and tono's 5 new ones");
}

/// HQ's current data as a bundle, so the office starts from the seed.
fn local_seed(net: &Net, path: &Path) -> PathBuf {
    ok(&net.hq, &["sync", "export", "--out", path.to_str().unwrap()]);
    path.to_path_buf()
}

#[test]
fn sigterm_to_the_hub_mid_batch_loses_nothing_and_it_stops_cleanly() {
    let net = network(&["tono"]);
    let tono = &net.offices[0];
    let mut hub = start_hub(&net.hq);
    ok(tono, &["sync", "--hub", &hub.url]);
    ok(tono, &["demo", "--members", "20", "--sites", "20000", "--seed", "9"]);
    let mut sync = ProcessGroup::spawn(
        Command::new(env!("CARGO_BIN_EXE_kizuna"))
            .arg("--data-dir")
            .arg(tono)
            .args(["sync", "--hub", &hub.url])
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    )
    .unwrap();
    // The hub has the batch and is merging it: now stop it.
    hub.wait_for_log("push received");
    let status = hub.terminate();
    assert!(status.success(), "the hub stops cleanly on SIGTERM: {status:?}");
    let started = std::time::Instant::now();
    while sync.running() {
        assert!(started.elapsed() < std::time::Duration::from_secs(120), "the office's sync never ended");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // The batch committed whole or not at all; a new sync completes it.
    let hub = start_hub(&net.hq);
    let out = ok(tono, &["sync", "--hub", &hub.url]);
    assert!(out.contains("digests match"), "{out}");
    assert_eq!(dump(tono), dump(&net.hq));
    let v: serde_json::Value = serde_json::from_str(&dump(&net.hq)).unwrap();
    assert!(v["tables"]["sites"].as_array().unwrap().len() >= 20000, "tono's 20,000 sites reached HQ");
}

fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(dir, &all)).unwrap()
}

fn member_numbers(dir: &Path) -> Vec<String> {
    let list = json(dir, &["member", "list", "--limit", "500"]);
    let rows = list["rows"].as_array().or_else(|| list.as_array()).cloned().unwrap_or_default();
    rows.iter().map(|m| m["member_no"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_fifth_office_is_added_invited_and_syncs() {
    let net = network(&[]);
    let tmp = net.hq.parent().unwrap();
    let file = tmp.join("kamaishi.invite");
    // An office the network does not have cannot be invited.
    let err = fails(&net.hq, &["office", "invite", "kamaishi", "--out", file.to_str().unwrap()]);
    assert!(err.contains("office add"), "{err}");
    let added = json(
        &net.hq,
        &[
            "office",
            "add",
            "--code",
            "kamaishi",
            "--name-ja",
            "釜石事務所",
            "--name-en",
            "Kamaishi office",
            "--prefecture",
            "03",
            "--prefix",
            "KMS",
        ],
    );
    assert_eq!(added["code"], "kamaishi");
    assert_eq!(added["number_prefix"], "KMS");
    assert_eq!(added["prefecture_code"], "03");
    // Codes and prefixes are the network's own: no second kamaishi, no
    // second TNO series.
    let err = fails(
        &net.hq,
        &["office", "add", "--code", "kamaishi", "--name-ja", "x", "--name-en", "y", "--prefecture", "03"],
    );
    assert!(err.contains("already has an office 'kamaishi'"), "{err}");
    let err = fails(
        &net.hq,
        &[
            "office",
            "add",
            "--code",
            "tono2",
            "--name-ja",
            "x",
            "--name-en",
            "y",
            "--prefecture",
            "03",
            "--prefix",
            "tno",
        ],
    );
    assert!(err.contains("TNO") && err.contains("prefix"), "{err}");
    // Without --prefix: the code's first three letters.
    let otsuchi = json(
        &net.hq,
        &["office", "add", "--code", "otsuchi", "--name-ja", "大槌", "--name-en", "Otsuchi", "--prefecture", "Iwate"],
    );
    assert_eq!(otsuchi["number_prefix"], "OTS");
    let err = fails(
        &net.hq,
        &["office", "add", "--code", "Bad Code", "--name-ja", "x", "--name-en", "y", "--prefecture", "03"],
    );
    assert!(err.contains("not an office code"), "{err}");

    let pass = common::invite(&net.hq, "kamaishi", &file);
    let kms = tmp.join("kamaishi");
    let j = common::join(&kms, &file, &pass);
    assert!(j.status.success(), "join: {}", String::from_utf8_lossy(&j.stderr));
    let hub = start_hub(&net.hq);
    ok(&kms, &["sync", "--hub", &hub.url]);
    let offices = json(&kms, &["office", "list"]);
    assert!(offices.as_array().unwrap().iter().any(|o| o["code"] == "kamaishi"), "{offices}");
    // Offices are HQ's to add: the new office may not add one.
    let err =
        fails(&kms, &["office", "add", "--code", "unosumai", "--name-ja", "x", "--name-en", "y", "--prefecture", "03"]);
    assert!(err.contains("HQ"), "{err}");

    let m = json(&kms, &["member", "add", "--name-ja", "釜石の会", "--name-en", "Kamaishi Group"]);
    assert_eq!(m["member_no"], "KMS-0001");
    let out = ok(&kms, &["sync", "--hub", &hub.url]);
    assert!(out.contains("digests match"), "{out}");
    assert!(member_numbers(&net.hq).contains(&"KMS-0001".to_string()));
    assert_eq!(dump(&kms), dump(&net.hq));
}

#[test]
fn a_re_enrolled_office_gives_its_new_members_numbers_no_one_else_holds() {
    let net = network(&["tono"]);
    let tmp = net.hq.parent().unwrap();
    let hub = start_hub(&net.hq);
    let tono = &net.offices[0];
    ok(tono, &["sync", "--hub", &hub.url]);
    let first = json(tono, &["member", "add", "--name-ja", "最初の会", "--name-en", "First Group"]);
    let first_no = first["member_no"].as_str().unwrap().to_string();
    assert!(first_no.starts_with("TNO-"), "{first_no}");
    ok(tono, &["sync", "--hub", &hub.url]);

    // The laptop is lost; HQ enrols Tono again and the new database starts
    // empty: it cannot know the numbers the old one handed out.
    let file = tmp.join("tono-again.invite");
    let pass = common::invite(&net.hq, "tono", &file);
    let again = tmp.join("tono-again");
    let j = common::join(&again, &file, &pass);
    assert!(j.status.success(), "join: {}", String::from_utf8_lossy(&j.stderr));
    let second = json(&again, &["member", "add", "--name-ja", "次の会", "--name-en", "Next Group"]);
    let second_no = second["member_no"].as_str().unwrap().to_string();
    assert_eq!(second_no, "TNO2-0001");
    ok(&again, &["sync", "--hub", &hub.url]);

    let numbers = member_numbers(&net.hq);
    assert!(numbers.contains(&first_no) && numbers.contains(&second_no), "{numbers:?}");
    let mut unique = numbers.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), numbers.len(), "duplicate member numbers: {numbers:?}");
    assert_eq!(dump(&again), dump(&net.hq));
}

#[test]
fn a_bundle_over_the_size_cap_is_refused_by_its_size_and_changes_nothing() {
    let net = network(&["fukushima"]);
    let fks = &net.offices[0];
    let file = net.hq.parent().unwrap().join("to-fks.bundle");
    ok(&net.hq, &["sync", "export", "--out", file.to_str().unwrap()]);
    let size = std::fs::metadata(&file).unwrap().len();
    let before = dump(fks);
    let cap = (size - 1).to_string();
    let err = fails(fks, &["sync", "import", file.to_str().unwrap(), "--max-bytes", &cap]);
    assert!(err.contains("error[rejected]") && err.contains(&format!("{size} bytes, over the cap of {cap}")), "{err}");
    assert_eq!(dump(fks), before, "a refused bundle wrote something");
    // At the cap, it is read.
    ok(fks, &["sync", "import", file.to_str().unwrap(), "--max-bytes", &size.to_string()]);
    assert_eq!(dump(fks), dump(&net.hq));
}
