//! What the window suite and the window bench share: starting the real app
//! under tauri-driver, waiting for conditions, process groups.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// a test harness: a failure to start a process is a failed assertion

pub mod driver;
