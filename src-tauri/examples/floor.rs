//! The platform's memory floor: the same Tauri + WebKitGTK setup as the app
//! (same crate config, plugins left out), showing a one-line page. Prints the
//! RSS and PSS of its process tree after 8 s and exits.
//!   xvfb-run -a cargo run --release -p kizuna-app --example floor
//! Run it with WEBKIT_DISABLE_COMPOSITING_MODE=1 for the floor without the
//! GL compositor.

#![allow(clippy::expect_used)] // a measuring tool: a failure is a message and an exit

use std::time::Duration;

fn kib(pid: u32, file: &str, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

fn tree(pid: u32) -> Vec<u32> {
    let mut out = vec![pid];
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten() {
        let children = std::fs::read_to_string(task.path().join("children")).unwrap_or_default();
        for c in children.split_whitespace().filter_map(|c| c.parse().ok()) {
            out.extend(tree(c));
        }
    }
    out
}

fn main() {
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .register_uri_scheme_protocol("floor", |_, _| {
            tauri::http::Response::builder()
                .header("content-type", "text/html")
                .body(b"<!doctype html><p>floor</p>".to_vec())
                .expect("a response")
        })
        .setup(|app| {
            // about:blank would not start a web process at all.
            let url = "floor://localhost/".parse().expect("a URL");
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::CustomProtocol(url))
                .inner_size(1200.0, 800.0)
                .build()?;
            let handle = app.handle().clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_secs(8));
                let (mut rss, mut pss) = (0, 0);
                for p in tree(std::process::id()) {
                    let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
                    let (r, s) = (kib(p, "status", "VmRSS:"), kib(p, "smaps_rollup", "Pss:"));
                    println!(
                        "{:<18} RSS {:6.1} MiB  PSS {:6.1} MiB",
                        name.trim(),
                        r as f64 / 1024.0,
                        s as f64 / 1024.0
                    );
                    rss += r;
                    pss += s;
                }
                println!("total              RSS {:6.1} MiB  PSS {:6.1} MiB", rss as f64 / 1024.0, pss as f64 / 1024.0);
                handle.exit(0);
            });
            Ok(())
        })
        .run(context)
        .expect("run the floor window");
}
