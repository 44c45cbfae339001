//! Runs the `kizuna` binary of this build as a black box, the way the CLI,
//! report and sync end-to-end suites drive it.

use std::path::Path;
use std::process::{Command, Output};

/// `kizuna --data-dir DIR ARGS...`, ignoring any `KIZUNA_DATA_DIR` of the
/// environment running the tests.
pub fn kizuna(dir: &Path, args: &[&str]) -> Output {
    kizuna_env(dir, args, &[])
}

/// As [`kizuna`], with these environment variables set.
pub fn kizuna_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("KIZUNA_DATA_DIR")
        .env_remove("KIZUNA_INVITE_PASSPHRASE")
        .envs(env.iter().copied())
        .output()
        .expect("run kizuna")
}

/// HQ at `hq` writes `office`'s invite to `file`; returns the passphrase it printed.
#[allow(dead_code)] // not every suite enrols offices
pub fn invite(hq: &Path, office: &str, file: &Path) -> String {
    let o = kizuna(hq, &["--json", "office", "invite", office, "--out", file.to_str().expect("utf-8 path")]);
    assert!(o.status.success(), "office invite {office}: {}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("invite JSON");
    v["passphrase"].as_str().expect("a passphrase").to_string()
}

/// `kizuna init --join FILE` at `dir`, the passphrase given as scripts give it.
#[allow(dead_code)]
pub fn join(dir: &Path, file: &Path, passphrase: &str) -> Output {
    kizuna_env(
        dir,
        &["init", "--join", file.to_str().expect("utf-8 path")],
        &[("KIZUNA_INVITE_PASSPHRASE", passphrase)],
    )
}
