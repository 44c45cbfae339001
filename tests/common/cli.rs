//! Runs the `kizuna` binary of this build as a black box, the way the CLI,
//! report and sync end-to-end suites drive it.

use std::path::Path;
use std::process::{Command, Output};

/// `kizuna --data-dir DIR ARGS...`, ignoring any `KIZUNA_DATA_DIR` of the
/// environment running the tests.
pub fn kizuna(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("KIZUNA_DATA_DIR")
        .output()
        .expect("run kizuna")
}
