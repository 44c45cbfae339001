//! Phase report benchmarks: the seed data set plus N demo sites (`kizuna demo`),
//! reported over a period in which every site that is not planned was active,
//! so the appendix lists about 80% of N. Prints each PDF's size and page count
//! once before timing. These are the figures of a report made by a running
//! app, warm; `cargo bench -p kizuna-cli --bench report_process` times the
//! report as a fresh `kizuna` process, beside ReportLab.
//!
//! cargo bench -p kizuna-core --bench report            (200, 1k, 10k)
//! KIZUNA_BENCH_100K=1 cargo bench -p kizuna-core --bench report   (adds 100k)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kizuna_core::Kizuna;
use kizuna_core::api::{InitOptions, ReportOptions};
use kizuna_core::seed::seed_id;

fn with_sites(n: usize) -> (tempfile::TempDir, Kizuna) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut k = Kizuna::init(dir.path(), &InitOptions::default()).expect("init");
    k.demo(20.max(n / 100).min(500), n, 1).expect("demo data");
    (dir, k)
}

fn options() -> ReportOptions {
    // Phase 2's end with phase 1's start: demo sites open 2011–2013 and close 2014–2016.
    ReportOptions {
        period_start: Some("2011-03-11".into()),
        period_end: Some("2014-03-10".into()),
        as_of: Some("2014-04-01".into()),
        ..Default::default()
    }
}

fn describe(k: &Kizuna, n: usize) {
    let phase = seed_id("phase:erp-2");
    let pdf = k.report_phase(&phase, &options()).expect("report");
    let figs = k.report_phase_figures(&phase, &options()).expect("figures");
    let pages = pdf.windows(b"/Type /Page\n".len()).filter(|w| *w == b"/Type /Page\n" || *w == b"/Type/Page\n").count();
    println!(
        "report size: {n} demo sites ({} listed in the appendix): {} bytes ({:.1} KB){}",
        figs.active_sites,
        pdf.len(),
        pdf.len() as f64 / 1024.0,
        if pages > 0 { format!(", {pages} pages") } else { String::new() }
    );
}

fn phase_reports(c: &mut Criterion) {
    let phase = seed_id("phase:erp-2");
    let mut g = c.benchmark_group("phase_report");
    g.measurement_time(Duration::from_secs(8));
    for n in [200usize, 1_000, 10_000] {
        let (_dir, k) = with_sites(n);
        describe(&k, n);
        if n >= 10_000 {
            g.sample_size(10);
        }
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| black_box(k.report_phase(&phase, &options()).expect("report")))
        });
    }
    g.finish();

    if std::env::var_os("KIZUNA_BENCH_100K").is_some() {
        let mut g = c.benchmark_group("phase_report_100k");
        g.sample_size(10);
        g.measurement_time(Duration::from_secs(30));
        let (_dir, k) = with_sites(100_000);
        describe(&k, 100_000);
        g.bench_function("100000", |b| b.iter(|| black_box(k.report_phase(&phase, &options()).expect("report"))));
        g.finish();
    }

    let mut g = c.benchmark_group("profile_report");
    let (_dir, k) = with_sites(0);
    g.bench_function("seed", |b| b.iter(|| black_box(k.report_profile(&ReportOptions::default()).expect("report"))));
    g.finish();
}

criterion_group!(benches, phase_reports);
criterion_main!(benches);
