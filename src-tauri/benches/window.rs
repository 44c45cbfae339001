//! Figures for the desktop window, measured in the real app under Xvfb:
//!   xvfb-run -a cargo bench -p kizuna-app --bench window
//! - cold start: process start → first dashboard painted and answering input
//!   (the app's own clock, reported by the UI's `ui_ready` call), 5 launches;
//! - idle memory: RSS of the app and its WebKit processes after 5 s idle;
//! - keystroke → rows: the registry and the site list over 100,000 sites
//!   (`demo --sites 100000`), measured in the page from the input event to
//!   the frame that shows the new rows.
//! Not a test: it asserts nothing, it reports.

#[path = "../../tests/e2e/driver.rs"]
mod driver;

use std::path::Path;
use std::time::Duration;

use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;

use crate::driver::App;

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()
}

/// The app process (by its executable) and every process below it.
fn app_processes() -> Vec<(u32, String, u64)> {
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_kizuna-app")).unwrap_or_default();
    let pids: Vec<u32> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    let roots: Vec<u32> =
        pids.iter().copied().filter(|p| std::fs::read_link(format!("/proc/{p}/exe")).ok().as_deref() == Some(exe.as_path())).collect();
    let mut out = Vec::new();
    for &p in &pids {
        let mut cur = Some(p);
        while let Some(c) = cur {
            if roots.contains(&c) {
                let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default().trim().to_string();
                out.push((p, name, rss_kib(p)));
                break;
            }
            cur = parent_of(c).filter(|&pp| pp > 1);
        }
    }
    out
}

async fn ready_ms(app: &App) -> f64 {
    app.find("[data-testid=dashboard]").await;
    for _ in 0..200 {
        let v = app.client.execute("return document.body.dataset.readyMs || null", vec![]).await.unwrap_or_default();
        if let Some(ms) = v.as_str().and_then(|s| s.parse().ok()) {
            return ms;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the UI never reported ready");
}

/// Types `query` one key at a time; returns the keystroke → rows figure of each key.
async fn type_and_time(app: &App, css: &str, query: &str) -> Vec<f64> {
    let input = app.find(css).await;
    input.clear().await.expect("clear");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut out = Vec::new();
    for ch in query.chars() {
        app.client.execute("delete document.body.dataset.rowsMs", vec![]).await.expect("reset");
        input.send_keys(&ch.to_string()).await.expect("type");
        let mut got = None;
        for _ in 0..400 {
            let v = app.client.execute("return document.body.dataset.rowsMs || null", vec![]).await.unwrap_or_default();
            if let Some(ms) = v.as_str().and_then(|s| s.parse::<f64>().ok()) {
                got = Some(ms);
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        out.push(got.expect("rows painted after a keystroke"));
    }
    out
}

fn summary(v: &[f64]) -> String {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let median = s[s.len() / 2];
    format!("median {median:.1} ms, max {:.1} ms over {} keystrokes ({})", s[s.len() - 1], s.len(),
        v.iter().map(|x| format!("{x:.1}")).collect::<Vec<_>>().join(", "))
}

fn seeded(dir: &Path, sites: usize) {
    let mut k = Kizuna::init(dir, &InitOptions { office: Some("tokyo".into()), empty: None }).expect("init");
    if sites > 0 {
        k.demo(1000, sites, 1).expect("demo data");
    }
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks benches to list themselves.
    }
    let small = tempfile::tempdir().expect("temp dir");
    seeded(small.path(), 0);
    println!("cold start to interactive dashboard (seeded default database):");
    let mut starts = Vec::new();
    for _ in 0..5 {
        let app = App::launch(small.path()).await;
        starts.push(ready_ms(&app).await);
        app.quit().await;
    }
    println!("  {}", summary(&starts).replace("keystrokes", "launches"));

    let big = tempfile::tempdir().expect("temp dir");
    let t = std::time::Instant::now();
    seeded(big.path(), 100_000);
    println!("seeded 1,000 members and 100,000 sites in {:.1} s", t.elapsed().as_secs_f64());

    let app = App::launch(big.path()).await;
    let ms = ready_ms(&app).await;
    println!("cold start with 100,000 sites: {ms:.0} ms");
    tokio::time::sleep(Duration::from_secs(5)).await;
    let procs = app_processes();
    let total: u64 = procs.iter().map(|p| p.2).sum();
    println!("idle RSS after 5 s on the dashboard: {:.1} MiB total", total as f64 / 1024.0);
    for (pid, name, kib) in &procs {
        println!("  {pid:>7} {name:<20} {:.1} MiB", *kib as f64 / 1024.0);
    }

    app.click("[data-nav=members]").await;
    app.find("[data-testid=members]").await;
    println!("registry (1,000 members over 100,000 sites), search 'NGO 000012':");
    println!("  {}", summary(&type_and_time(&app, "input[name=search]", "NGO 000012").await));
    app.click("[data-nav=sites]").await;
    app.find("[data-testid=sites]").await;
    println!("site list (100,000 sites), search '拠点 01234':");
    println!("  {}", summary(&type_and_time(&app, "input[name=search]", "拠点 01234").await));
    app.quit().await;
}
