//! Figures for the desktop window, measured in the real app under Xvfb:
//!   xvfb-run -a cargo bench -p kizuna-e2e --bench window
//! - cold start: process start → first dashboard painted and answering input
//!   (the app's own clock, reported by the UI's `ui_ready` call), 5 launches;
//! - idle memory: RSS and PSS of the app and its WebKit processes after 8 s
//!   idle on the dashboard, then the same for the platform floor (the
//!   `floor` example: the same Tauri/WebKitGTK setup showing one line),
//!   started after the app has quit, and the ratio of the two PSS totals;
//! - keystroke → rows: the registry and the site list over 100,000 sites
//!   (`demo --sites 100000`), measured in the page from the input event to
//!   the frame that shows the new rows, median and p95 over 20 or more
//!   keystrokes;
//! - coordination: the same for the meeting list over 10,000 meetings of 30
//!   attendees and the contact list over 50,000 contacts
//!   (`demo --meetings 10000 --attendees 30 --contacts 50000`).
//!
//! Not a test: it asserts nothing, it reports.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

use kizuna_e2e::driver;

use std::path::Path;
use std::time::Duration;

use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;
use kizuna_core::model::member::MemberQuery;
use kizuna_core::model::site::SiteQuery;

use crate::driver::{App, floor_bin, process_tree, pss_kib, rss_kib};

/// The instance this session launched and every process below it (its
/// WebKit web and network processes), with name, RSS and PSS in KiB.
fn app_processes(app: &App) -> Vec<(u32, String, u64, u64)> {
    let Some(root) = app.app_pid() else { return Vec::new() };
    process_tree(root)
        .into_iter()
        .map(|p| {
            let name = std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default().trim().to_string();
            (p, name, rss_kib(p), pss_kib(p))
        })
        .collect()
}

/// The floor example's own reading after its 8 s idle: (RSS, PSS) of its
/// process tree in MiB, from the `total` line it prints.
fn floor_mib() -> (f64, f64) {
    let out = std::process::Command::new(floor_bin()).output().expect("run the floor example");
    let text = String::from_utf8_lossy(&out.stdout);
    print!("{}", text.lines().map(|l| format!("  floor: {l}\n")).collect::<String>());
    let total = text.lines().find(|l| l.starts_with("total")).expect("the floor prints its total");
    let mib: Vec<f64> = total.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    assert_eq!(mib.len(), 2, "RSS and PSS in {total:?}");
    (mib[0], mib[1])
}

/// Types each query into a cleared field, one key at a time: every
/// keystroke's figure, and the page's split of each.
async fn type_queries(app: &App, css: &str, queries: &[&str]) -> (Vec<f64>, Vec<String>) {
    let (mut ms, mut phases) = (Vec::new(), Vec::new());
    for q in queries {
        let (m, p) = type_and_time(app, css, q).await;
        ms.extend(m);
        phases.extend(p);
    }
    (ms, phases)
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

/// Types `query` one key at a time; returns the keystroke → rows figure of
/// each key, and the page's split of each (input → request sent, request →
/// answer, answer → frame).
async fn type_and_time(app: &App, css: &str, query: &str) -> (Vec<f64>, Vec<String>) {
    let input = app.find(css).await;
    input.clear().await.expect("clear");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (mut out, mut phases) = (Vec::new(), Vec::new());
    for ch in query.chars() {
        app.client
            .execute("delete document.body.dataset.rowsMs; delete document.body.dataset.rowsPhases", vec![])
            .await
            .expect("reset");
        input.send_keys(&ch.to_string()).await.expect("type");
        let mut got = None;
        for _ in 0..400 {
            let v = app
                .client
                .execute(
                    "return [document.body.dataset.rowsMs || null, document.body.dataset.rowsPhases || '']",
                    vec![],
                )
                .await
                .unwrap_or_default();
            if let Some(ms) = v[0].as_str().and_then(|s| s.parse::<f64>().ok()) {
                got = Some(ms);
                phases.push(v[1].as_str().unwrap_or_default().to_string());
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        out.push(got.expect("rows painted after a keystroke"));
    }
    (out, phases)
}

fn report(what: &str, (ms, phases): (Vec<f64>, Vec<String>)) {
    println!("{what}:");
    println!("  {}", summary(&ms));
    println!("  input→request/request→answer/answer→frame ms: {}", phases.join(", "));
}

fn summary(v: &[f64]) -> String {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let median = s[s.len() / 2];
    // The nearest-rank 95th percentile.
    let p95 = s[((s.len() as f64 * 0.95).ceil() as usize).clamp(1, s.len()) - 1];
    format!(
        "median {median:.1} ms, p95 {p95:.1} ms, max {:.1} ms over {} keystrokes ({})",
        s[s.len() - 1],
        s.len(),
        v.iter().map(|x| format!("{x:.1}")).collect::<Vec<_>>().join(", ")
    )
}

fn seeded(dir: &Path, sites: usize) {
    let mut k = Kizuna::init(dir, &InitOptions { office: Some("tokyo".into()), empty: None }).expect("init");
    if sites > 0 {
        k.demo(1000, sites, 1).expect("demo data");
    }
}

fn median_ms(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// The core's share of a keystroke: the very queries the screens send for
/// each prefix typed (registry: name_ja order, 50 rows; sites: all
/// prefectures, 50 rows), median of 5 runs each, in this process.
fn core_times(dir: &Path) {
    let k = Kizuna::open(dir).expect("open");
    let time = |f: &dyn Fn()| {
        median_ms(
            (0..5)
                .map(|_| {
                    let t = std::time::Instant::now();
                    f();
                    t.elapsed().as_secs_f64() * 1e3
                })
                .collect(),
        )
    };
    let prefixes = |q: &str| q.char_indices().map(|(i, c)| q[..i + c.len_utf8()].to_string()).collect::<Vec<_>>();
    let members: Vec<String> = prefixes("NGO 000012")
        .iter()
        .map(|p| {
            let q = MemberQuery {
                search: Some(p.clone()),
                sort: Some(kizuna_core::model::member::MemberSort::NameJa),
                limit: Some(50),
                ..Default::default()
            };
            format!(
                "{:.1}",
                time(&|| {
                    k.member_list(&q).expect("member list");
                })
            )
        })
        .collect();
    println!("core member_list per prefix of 'NGO 000012', ms: {}", members.join(", "));
    let sites: Vec<String> = prefixes("拠点 01234")
        .iter()
        .map(|p| {
            let q = SiteQuery { search: Some(p.clone()), limit: Some(50), ..Default::default() };
            format!(
                "{:.1}",
                time(&|| {
                    k.site_list(&q).expect("site list");
                })
            )
        })
        .collect();
    println!("core site_list per prefix of '拠点 01234', ms: {}", sites.join(", "));
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks benches to list themselves.
    }
    // `cargo bench ... -- memory` runs only the parts whose name contains
    // an argument (cold, memory, keystroke, coordination); no argument runs them all.
    let only: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let wants = |part: &str| only.is_empty() || only.iter().any(|o| part.contains(o.as_str()));
    if wants("cold") {
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
    }
    if wants("coordination") {
        let dir = tempfile::tempdir().expect("temp dir");
        let t = std::time::Instant::now();
        let mut k = Kizuna::init(dir.path(), &InitOptions { office: Some("tokyo".into()), empty: None }).expect("init");
        k.demo(500, 0, 1).expect("demo members");
        k.demo_coordination(10_000, 30, 50_000, 1).expect("demo coordination");
        drop(k);
        println!("seeded 10,000 meetings of 30 and 50,000 contacts in {:.1} s", t.elapsed().as_secs_f64());
        let app = App::launch(dir.path()).await;
        ready_ms(&app).await;
        app.click("[data-nav=meetings]").await;
        app.find("[data-testid=meetings]").await;
        report(
            "meeting list (10,000 meetings), search 'サンプル会場 7'",
            type_and_time(&app, "[data-testid=meetings] input[name=search]", "サンプル会場 7").await,
        );
        app.click("[data-nav=directory]").await;
        app.find("[data-testid=directory]").await;
        app.click("[data-tab=contacts]").await;
        app.find("[data-testid=contact-table]").await;
        report(
            "contact list (50,000 contacts), search 'たんとうしゃ0421'",
            type_and_time(&app, "[data-testid=directory] input[name=search]", "たんとうしゃ0421").await,
        );
        app.quit().await;
    }
    if !wants("memory") && !wants("keystroke") {
        return;
    }

    let big = tempfile::tempdir().expect("temp dir");
    let t = std::time::Instant::now();
    seeded(big.path(), 100_000);
    println!("seeded 1,000 members and 100,000 sites in {:.1} s", t.elapsed().as_secs_f64());

    if wants("keystroke") {
        core_times(big.path());
    }

    let app = App::launch(big.path()).await;
    let ms = ready_ms(&app).await;
    println!("cold start with 100,000 sites: {ms:.0} ms");
    let mut app_pss = None;
    if wants("memory") {
        tokio::time::sleep(Duration::from_secs(8)).await;
        let procs = app_processes(&app);
        let mib = |kib: u64| kib as f64 / 1024.0;
        let (rss, pss) = (procs.iter().map(|p| p.2).sum::<u64>(), procs.iter().map(|p| p.3).sum::<u64>());
        println!("idle after 8 s on the dashboard: RSS {:.1} MiB, PSS {:.1} MiB in all", mib(rss), mib(pss));
        for (pid, name, rss, pss) in &procs {
            println!("  {pid:>7} {name:<20} RSS {:6.1} MiB  PSS {:6.1} MiB", mib(*rss), mib(*pss));
        }
        app_pss = Some(mib(pss));
    }
    let app = if let Some(app_pss) = app_pss {
        // The floor runs alone: with the app still open, the two would share
        // WebKit's pages and each show less.
        app.quit().await;
        let (floor_rss, floor_pss) = floor_mib();
        println!(
            "idle PSS, app / floor: {app_pss:.1} / {floor_pss:.1} MiB = {:.2}x (target: at most 1.15x; floor RSS {floor_rss:.1} MiB)",
            app_pss / floor_pss
        );
        if !wants("keystroke") {
            return;
        }
        let app = App::launch(big.path()).await;
        ready_ms(&app).await;
        app
    } else {
        app
    };

    app.click("[data-nav=members]").await;
    app.find("[data-testid=members]").await;
    report(
        "registry (1,000 members over 100,000 sites), search 'NGO 000012', then 'NGO 000345'",
        type_queries(&app, "input[name=search]", &["NGO 000012", "NGO 000345"]).await,
    );
    app.click("[data-nav=sites]").await;
    app.find("[data-testid=sites]").await;
    report(
        "site list (100,000 sites), search '拠点 01234', '拠点 56789', then '拠点 1357'",
        type_queries(&app, "input[name=search]", &["拠点 01234", "拠点 56789", "拠点 1357"]).await,
    );
    app.quit().await;
}
