//! Report speed as a user waits for it: `kizuna report phase` as a fresh
//! process (font, map and all), at 200 and 10,000 demo sites, beside the same
//! report made in-process (the first in this process and warm), `kizuna grant
//! list` (what any process costs), and ReportLab (what Sahana Eden uses)
//! rendering a 200-row site table with an embedded Japanese subset font
//! (`reportlab_sites.py`), all in one run. Figures are medians of repeated
//! runs: wall time, its minimum, and CPU time (user and system), which a busy
//! machine disturbs less than wall time.
//!
//! cargo bench -p kizuna-cli --bench report_process
//!
//! ReportLab runs where a Python with it is found: KIZUNA_BENCH_PYTHON, else
//! /var/cache/kizuna/bench-venv/bin/python, made by
//!   python3 -m venv /var/cache/kizuna/bench-venv && /var/cache/kizuna/bench-venv/bin/pip install reportlab==5.1.0
//! KIZUNA_BENCH_RUNS sets the number of fresh processes per figure (default 21).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a bench, a panic is a failed run

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use kizuna_core::Kizuna;
use kizuna_core::api::ReportOptions;
use kizuna_core::seed::seed_id;

const KIZUNA: &str = env!("CARGO_BIN_EXE_kizuna");
/// Phase 2's end with phase 1's start: demo sites open 2011–2013, so about 80% are listed and mapped.
const PERIOD: [&str; 6] = ["--period-start", "2011-03-11", "--period-end", "2014-03-10", "--as-of", "2014-04-01"];

fn kizuna(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(KIZUNA);
    c.arg("--data-dir").arg(dir).args(args).env_remove("KIZUNA_DATA_DIR");
    c
}

fn run(mut c: Command) {
    let out = c.output().expect("start the process");
    assert!(out.status.success(), "{c:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// CPU time (user and system) of the finished child processes so far.
fn children_cpu() -> Duration {
    // SAFETY: getrusage writes one rusage struct, zeroed here, and reads nothing else.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(u.ru_utime) + tv(u.ru_stime)
}

/// What `runs` fresh processes took: median wall time, minimum wall time and
/// median CPU time (on a busy machine the CPU time is the steadier figure),
/// after one unmeasured run that brings the binary and the data into the page cache.
struct Timed {
    wall: Duration,
    min: Duration,
    cpu: Duration,
}

fn processes(runs: usize, make: impl Fn() -> Command) -> Timed {
    run(make());
    let (wall, cpu): (Vec<Duration>, Vec<Duration>) = (0..runs)
        .map(|_| {
            let c = make();
            let cpu = children_cpu();
            let t = Instant::now();
            run(c);
            (t.elapsed(), children_cpu().saturating_sub(cpu))
        })
        .unzip();
    let min = wall.iter().copied().min().unwrap_or_default();
    Timed { wall: median(wall), min, cpu: median(cpu) }
}

impl std::fmt::Display for Timed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (min {}, CPU {})", ms(self.wall), ms(self.min), ms(self.cpu))
    }
}

fn demo(root: &Path, sites: usize) -> PathBuf {
    let dir = root.join(format!("sites-{sites}"));
    run(kizuna(&dir, &["init"]));
    let members = 20.max(sites / 100).to_string();
    run(kizuna(&dir, &["demo", "--members", &members, "--sites", &sites.to_string(), "--seed", "1"]));
    dir
}

fn options() -> ReportOptions {
    ReportOptions {
        period_start: Some(PERIOD[1].into()),
        period_end: Some(PERIOD[3].into()),
        as_of: Some(PERIOD[5].into()),
        ..Default::default()
    }
}

fn python() -> Option<PathBuf> {
    let py = std::env::var_os("KIZUNA_BENCH_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/kizuna/bench-venv/bin/python"));
    let ok = Command::new(&py).args(["-c", "import reportlab"]).output().is_ok_and(|o| o.status.success());
    ok.then_some(py)
}

fn main() {
    // `cargo bench` passes --bench; a plain `cargo test` of benches runs nothing.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let runs: usize = std::env::var("KIZUNA_BENCH_RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(21);
    let root = tempfile::tempdir().expect("temp dir");
    let phase = seed_id("phase:erp-2");
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("report_process: load average before: {}", load.split_whitespace().take(3).collect::<Vec<_>>().join(" "));

    let mut at_200 = None;
    for sites in [200usize, 10_000] {
        let dir = demo(root.path(), sites);
        let out = dir.join("report.pdf");
        let out_s = out.to_str().expect("utf-8 path").to_string();
        let mut args = vec!["report", "phase", &phase, "--out", &out_s];
        args.extend(PERIOD);
        let fresh = processes(runs, || kizuna(&dir, &args));
        let list = processes(runs, || kizuna(&dir, &["grant", "list"]));
        let bytes = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);

        let k = Kizuna::open(&dir).expect("open");
        let t = Instant::now();
        let first_pdf = k.report_phase(&phase, &options()).expect("report");
        let first = t.elapsed();
        let warm = median(
            (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(k.report_phase(&phase, &options()).expect("report"));
                    t.elapsed()
                })
                .collect(),
        );
        assert_eq!(first_pdf.len() as u64, bytes, "the CLI and the API write the same report");
        println!(
            "report_process: {sites} sites ({:.1} KB): fresh process {fresh}, median of {runs} | in-process first {}, warm {} | `kizuna grant list` {list}",
            bytes as f64 / 1024.0,
            ms(first),
            ms(warm),
        );
        if sites == 200 {
            at_200 = Some(fresh);
        }
    }

    match python() {
        Some(py) => {
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/reportlab_sites.py");
            let font = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts/NotoSansJP-Regular.ttf");
            let out = root.path().join("reportlab.pdf");
            let rl = processes(runs, || {
                let mut c = Command::new(&py);
                c.arg(&script).arg(&font).arg(&out).arg("200");
                c
            });
            println!("report_process: ReportLab, 200-row site table, Noto Sans JP subset: fresh process {rl}");
            if let Some(k) = at_200 {
                println!(
                    "report_process: ReportLab / kizuna at 200 sites: {:.1}x wall, {:.1}x CPU (target: at least 5x)",
                    rl.wall.as_secs_f64() / k.wall.as_secs_f64(),
                    rl.cpu.as_secs_f64() / k.cpu.as_secs_f64()
                );
            }
        }
        None => println!(
            "report_process: ReportLab skipped: no Python with reportlab (set KIZUNA_BENCH_PYTHON or make /var/cache/kizuna/bench-venv)"
        ),
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("report_process: load average after: {}", load.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
}
