//! The installer as a field officer gets it: the .deb that `.ci/bundle`
//! builds is installed with dpkg, its desktop entry and icon are where a
//! desktop looks for them, and the installed binary opens the window.
//!   bash .ci/bundle --debug
//!   KIZUNA_DEB=<the .deb it printed> xvfb-run -a cargo test -p kizuna-e2e --test installer
//! It installs a system package, so it runs as root (CI does) and removes the
//! package again when it ends, pass or fail.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

use std::path::{Path, PathBuf};
use std::process::Command;

use kizuna_e2e::driver::App;

/// The package name tauri gives the .deb (the product name, lower-cased).
const PACKAGE: &str = "kizuna";
const BINARY: &str = "/usr/bin/kizuna-app";

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("run {cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Removes the package when the test ends, however it ends.
struct Installed;

impl Drop for Installed {
    fn drop(&mut self) {
        let _ = Command::new("dpkg").args(["--remove", PACKAGE]).output();
    }
}

fn deb() -> PathBuf {
    let deb = std::env::var_os("KIZUNA_DEB")
        .map(PathBuf::from)
        .expect("KIZUNA_DEB names the .deb to install: build it with `bash .ci/bundle --debug` (.ci/test does)");
    assert!(deb.is_file(), "KIZUNA_DEB={} is not a file", deb.display());
    deb
}

#[tokio::test]
async fn the_deb_installs_with_its_desktop_entry_and_icon_and_opens_the_window() {
    let deb = deb();
    let root = run(Command::new("id").arg("-u"));
    assert_eq!(root.trim(), "0", "installing a .deb needs root (CI runs as root)");
    // What the package declares before it is installed.
    let fields = run(Command::new("dpkg-deb").args(["--field"]).arg(&deb).args(["Package", "Depends"]));
    assert!(fields.contains(&format!("Package: {PACKAGE}")), "{fields}");
    assert!(fields.contains("libwebkit2gtk-4.1-0"), "the package must depend on WebKitGTK: {fields}");

    let _installed = Installed;
    run(Command::new("dpkg").arg("--install").arg(&deb));
    let status = run(Command::new("dpkg-query").args(["--show", "--showformat=${Status}", PACKAGE]));
    assert_eq!(status, "install ok installed");

    let files = run(Command::new("dpkg").args(["--listfiles", PACKAGE]));
    assert!(files.lines().any(|l| l == BINARY), "{BINARY} not in the package:\n{files}");
    let desktop = files
        .lines()
        .find(|l| l.starts_with("/usr/share/applications/") && l.ends_with(".desktop"))
        .unwrap_or_else(|| panic!("no desktop entry in the package:\n{files}"));
    let entry = std::fs::read_to_string(desktop).expect("read the desktop entry");
    for line in ["Type=Application", "Name=Kizuna", "Exec=kizuna-app", "Icon=kizuna-app", "Categories=Office;"] {
        assert!(entry.lines().any(|l| l == line), "{desktop} lacks `{line}`:\n{entry}");
    }
    // The icon the entry names, in the theme folders a desktop searches.
    let icons: Vec<&str> = files
        .lines()
        .filter(|l| l.starts_with("/usr/share/icons/hicolor/") && l.ends_with("/apps/kizuna-app.png"))
        .collect();
    assert!(!icons.is_empty(), "no kizuna-app.png under /usr/share/icons/hicolor:\n{files}");
    for icon in &icons {
        assert!(Path::new(icon).metadata().map(|m| m.len() > 0).unwrap_or(false), "{icon} missing or empty");
    }

    // The installed binary, not the workspace's, opens the window.
    let dir = tempfile::tempdir().expect("temp dir");
    let app = App::launch_bin(dir.path(), Path::new(BINARY)).await;
    app.find("[data-testid=first-start]").await;
    app.click(".lang-switch [data-lang=ja]").await;
    app.click("input[name=office][value=tono]").await;
    app.click("[data-testid=first-start-submit]").await;
    app.find("[data-testid=dashboard]").await;
    app.wait_text_that(".sidebar .brand small", "name the Tono office", |t| t.starts_with("遠野事務所")).await;
    app.screenshot("installed-deb-dashboard-ja").await;
    app.quit().await;
}
