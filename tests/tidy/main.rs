//! Tidy: the layering and habits the README's architecture section states,
//! checked by reading the sources as text, in the manner of rust-analyzer's
//! `xtask/src/tidy.rs`. A failure names the file, the line and the rule.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

use std::path::{Path, PathBuf};

/// The repository root (this suite's crate is src-tauri/core).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, sorted, paths relative to the root.
fn rust_files(dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut todo = vec![root().join(dir)];
    while let Some(d) = todo.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("reading {}: {e}", d.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
                let rel = path.strip_prefix(root()).unwrap_or(&path).display().to_string();
                out.push((rel, text));
            }
        }
    }
    out.sort();
    assert!(!out.is_empty(), "no Rust sources under {dir}: tidy would check nothing");
    out
}

/// The code of a line, without a `//` comment (crude, but no path this
/// suite looks for appears inside a string literal).
fn code(line: &str) -> &str {
    line.split("//").next().unwrap_or("")
}

/// Whether a line of code names module `module` of the crate (`crate::api`,
/// `crate::{api, ...}` or `kizuna_core::api`).
fn names_module(line: &str, module: &str) -> bool {
    let line = code(line);
    for prefix in ["crate::", "kizuna_core::"] {
        let mut rest = line;
        while let Some(at) = rest.find(prefix) {
            rest = &rest[at + prefix.len()..];
            let word = |s: &str| s.split(|c: char| !(c.is_alphanumeric() || c == '_')).next() == Some(module);
            if word(rest) {
                return true;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or("");
                if group.split(',').any(|item| word(item.trim())) {
                    return true;
                }
            }
        }
    }
    false
}

/// Lines of the files under `dir` that name `module`, as "file:line: text".
fn imports(dir: &str, module: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (file, text) in rust_files(dir) {
        for (n, line) in text.lines().enumerate() {
            if names_module(line, module) {
                found.push(format!("{file}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

/// Lines of code under `dir` that mention `word` at all.
fn mentions(dir: &str, word: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (file, text) in rust_files(dir) {
        for (n, line) in text.lines().enumerate() {
            if code(line).contains(word) {
                found.push(format!("{file}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn the_tidy_rules_recognise_what_they_forbid() {
    assert!(names_module("use crate::api::reports::ReportFigure;", "api"));
    assert!(names_module("    let f = crate::api::reports::figure_of(i, 0, 0);", "api"));
    assert!(names_module("use crate::{api::Kizuna, error::Result};", "api"));
    assert!(names_module("use crate::{error, api};", "api"));
    assert!(!names_module("use crate::apis::Thing;", "api"));
    assert!(!names_module("// see crate::api::Kizuna", "api"));
    assert!(!names_module("use crate::cell::CellValue;", "store"));
    assert!(code_without_header("fn main() {}\n"));
    assert!(!code_without_header("//! What this module holds.\n\nfn main() {}\n"));
}

#[test]
fn lower_layers_never_import_the_api() {
    let mut found = Vec::new();
    for dir in [
        "src-tauri/core/src/report",
        "src-tauri/core/src/sync",
        "src-tauri/core/src/model",
        "src-tauri/core/src/exchange",
    ] {
        found.extend(imports(dir, "api"));
    }
    assert!(
        found.is_empty(),
        "report/, sync/, model/ and exchange/ sit under api/ and never import it; move the type they need down \
         into their own layer:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_domain_model_never_sees_the_store_or_sql() {
    let mut found = imports("src-tauri/core/src/model", "store");
    found.extend(mentions("src-tauri/core/src/model", "rusqlite"));
    assert!(
        found.is_empty(),
        "model/ holds pure rules: it builds cells (crate::cell), never touches the store or SQL:\n{}",
        found.join("\n")
    );
}

#[test]
fn exchange_formats_never_query_the_database() {
    let mut found = imports("src-tauri/core/src/exchange", "store");
    found.extend(mentions("src-tauri/core/src/exchange", "rusqlite"));
    assert!(
        found.is_empty(),
        "exchange/ reads and writes file formats from and to plain rows; api/ gathers them:\n{}",
        found.join("\n")
    );
}

#[test]
fn reports_never_query_the_database() {
    let mut found = imports("src-tauri/core/src/report", "store");
    found.extend(mentions("src-tauri/core/src/report", "rusqlite"));
    assert!(
        found.is_empty(),
        "report/ only lays out what api::reports gathered; it never reads the database:\n{}",
        found.join("\n")
    );
}

/// A file whose first line is not a `//!` header.
fn code_without_header(text: &str) -> bool {
    !text.trim_start_matches('\u{feff}').starts_with("//!")
}

#[test]
fn every_module_says_what_it_holds() {
    let mut missing = Vec::new();
    for dir in ["src-tauri/core/src", "src-tauri/cli/src", "src-tauri/src", "src-tauri/core/benches", "tests"] {
        for (file, text) in rust_files(dir) {
            if code_without_header(&text) {
                missing.push(file);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "every module begins with a `//!` header saying what it holds:\n{}",
        missing.join("\n")
    );
}
