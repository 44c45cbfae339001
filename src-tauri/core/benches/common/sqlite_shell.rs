//! The `sqlite3` shell's `.import`, the floor the import and sync benches
//! print their ratios against.

#![allow(dead_code)] // each bench uses its own part

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `sqlite3` from `KIZUNA_SQLITE3` (exported by .ci/setup), else PATH.
pub fn sqlite3() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("KIZUNA_SQLITE3").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join("sqlite3")).find(|p| p.is_file()))
}

/// `sqlite3 DB ".import CSV sites"` into a new plain database, timed as a
/// whole process; the database is removed afterwards.
pub fn dot_import(shell: &Path, db: &Path, csv: &Path) -> Duration {
    let _ = std::fs::remove_file(db);
    let t = Instant::now();
    let out = Command::new(shell)
        .args(["-cmd", ".mode csv"])
        .arg(db)
        .arg(format!(".import {} sites", csv.display()))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let took = t.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_file(db).unwrap();
    took
}
