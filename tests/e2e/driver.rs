//! Starting the real app under tauri-driver (which drives WebKitWebDriver)
//! and talking to it through fantoccini.
//!
//! Two rules keep the suite honest on a busy machine. Every check after an
//! action waits for its condition through [`eventually`] (the one wait, with
//! a generous deadline) rather than reading once. Every process a test
//! starts lives in a [`ProcessGroup`] that is killed when the test ends,
//! pass or fail.

use std::fmt::Display;
use std::future::Future;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

#[path = "../common/process.rs"]
pub mod process;
pub use process::{ProcessGroup, ServedHub};

/// How long any condition may take to come true. Generous on purpose: a
/// check that passes in 1 s on an idle machine took over 15 s while two
/// cargo builds shared its two cores.
pub const WAIT: Duration = Duration::from_secs(60);

/// How often a condition is looked at again.
const POLL: Duration = Duration::from_millis(100);

/// The one wait of the suite: calls `probe` until it gives `Ok`, and panics
/// after [`WAIT`] naming `what` it waited for and the last `Err` the probe
/// gave (what it saw instead).
pub async fn eventually<T, F, Fut>(what: impl Display, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, String>>,
{
    let started = Instant::now();
    loop {
        match probe().await {
            Ok(v) => return v,
            Err(seen) if started.elapsed() >= WAIT => panic!("waited {WAIT:?} for {what}; still {seen}"),
            Err(_) => tokio::time::sleep(POLL).await,
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free local port")
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let installed = home.join(".cargo/bin/tauri-driver");
    if installed.exists() { installed } else { PathBuf::from("tauri-driver") }
}

/// The cargo profile folder this test or bench binary was built into
/// (`target/debug` or `target/release`; test binaries live in its `deps`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    exe.parent().and_then(Path::parent).map(Path::to_path_buf).expect("a test binary under target/<profile>/deps")
}

/// Builds one binary of the workspace with a plain `cargo build` (the same
/// command `.ci/app` and the installer run, so all three share one build of
/// the Tauri tree) and returns its path. Runs once per process; cargo makes
/// it a no-op when nothing changed.
fn built(package: &str, bin: &str) -> PathBuf {
    build(package, "--bin", bin);
    profile_dir().join(bin)
}

fn build(package: &str, kind: &str, name: &str) {
    let mut build = Command::new(env!("CARGO"));
    build.args(["build", "-p", package, kind, name]);
    if profile_dir().file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    let status = build.status().expect("run cargo build");
    assert!(status.success(), "cargo build -p {package} {kind} {name} failed");
}

/// The platform's memory floor (`src-tauri/examples/floor.rs`): the app's
/// Tauri and WebKitGTK setup showing a one-line page, built for this profile.
#[allow(dead_code)] // the window bench runs it; the e2e tests do not
pub fn floor_bin() -> PathBuf {
    build("kizuna-app", "--example", "floor");
    profile_dir().join("examples").join("floor")
}

/// The desktop app under test: `KIZUNA_APP_BIN` when set (an installed
/// copy, say), else the workspace's kizuna-app built for this profile.
pub fn app_bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        std::env::var_os("KIZUNA_APP_BIN").map(PathBuf::from).unwrap_or_else(|| built("kizuna-app", "kizuna-app"))
    })
    .clone()
}

/// The `kizuna` CLI of the same build, for seeding data folders and
/// reading them back.
pub fn cli_bin() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| built("kizuna-cli", "kizuna")).clone()
}

/// Where screenshots go: beside the test binaries, never into the repository.
pub fn shots_dir() -> PathBuf {
    let dir =
        std::env::var_os("KIZUNA_SHOTS_DIR").map(PathBuf::from).unwrap_or_else(|| profile_dir().join("e2e-shots"));
    std::fs::create_dir_all(&dir).expect("create screenshot folder");
    dir
}

/// Resident set size of one process in KiB (0 once it has gone).
#[allow(dead_code)] // the window bench reads it; the e2e tests do not
pub fn rss_kib(pid: u32) -> u64 {
    proc_kib(pid, "status", "VmRSS:")
}

/// Proportional set size of one process in KiB (0 once it has gone): its
/// private pages plus its share of the pages it maps with others.
#[allow(dead_code)] // the window bench reads it; the e2e tests do not
pub fn pss_kib(pid: u32) -> u64 {
    proc_kib(pid, "smaps_rollup", "Pss:")
}

/// The KiB figure on `key`'s line of `/proc/PID/file`.
#[allow(dead_code)] // the window bench reads it; the e2e tests do not
fn proc_kib(pid: u32, file: &str, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0)
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()
}

fn alive(pid: u32) -> bool {
    // A zombie still has a /proc entry but holds no memory and no window.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().next().map(|st| st != "Z")))
        .unwrap_or(false)
}

/// `root` and every process below it, `root` first.
pub fn process_tree(root: u32) -> Vec<u32> {
    let pids: Vec<u32> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    let mut out = vec![root];
    for &p in &pids {
        let mut cur = parent_of(p);
        while let Some(c) = cur.filter(|&c| c > 1) {
            if c == root {
                out.push(p);
                break;
            }
            cur = parent_of(c);
        }
    }
    out
}

pub struct App {
    pub client: Client,
    /// tauri-driver, and below it WebKitWebDriver, the app and its WebKit
    /// processes: all stopped when the App is dropped.
    driver: ProcessGroup,
    /// The binary the driver started, to find its process.
    exe: PathBuf,
}

impl App {
    /// Opens the app on `data_dir` (through KIZUNA_DATA_DIR, as a person
    /// would point the CLI and the app at the same folder).
    pub async fn launch(data_dir: &Path) -> App {
        App::launch_bin(data_dir, &app_bin()).await
    }

    /// Opens the given kizuna-app binary (an installed one, say) on `data_dir`.
    pub async fn launch_bin(data_dir: &Path, exe: &Path) -> App {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "the e2e tests open the real window: run them under `xvfb-run -a cargo test -p kizuna-e2e`"
        );
        let (port, native) = (free_port(), free_port());
        let driver = ProcessGroup::spawn(
            Command::new(tauri_driver())
                .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
                .env("KIZUNA_DATA_DIR", data_dir)
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )
        .expect("start tauri-driver (cargo install tauri-driver --version ^2 --locked)");
        eventually(format!("tauri-driver to listen on {port}"), move || async move {
            TcpStream::connect(("127.0.0.1", port)).map(drop).map_err(|e| e.to_string())
        })
        .await;
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": exe }));
        caps.insert("browserName".into(), json!("wry"));
        // The previous window of the same data folder may still be closing;
        // a session refused meanwhile is asked for again.
        let client = eventually("a WebDriver session with the app", move || {
            let caps = caps.clone();
            async move {
                ClientBuilder::new(HttpConnector::new())
                    .capabilities(caps)
                    .connect(&format!("http://127.0.0.1:{port}"))
                    .await
                    .map_err(|e| e.to_string())
            }
        })
        .await;
        App { client, driver, exe: exe.to_path_buf() }
    }

    /// The kizuna-app process this session started (a descendant of our
    /// tauri-driver), never another instance that happens to be running.
    pub fn app_pid(&self) -> Option<u32> {
        let exe = std::fs::canonicalize(&self.exe).ok()?;
        process_tree(self.driver.id())
            .into_iter()
            .find(|p| std::fs::read_link(format!("/proc/{p}/exe")).ok().as_deref() == Some(exe.as_path()))
    }

    /// Closes the window and stops the driver, and returns only once the app
    /// and its WebKit processes have exited, so the next launch (or a memory
    /// reading) never overlaps an instance that is still closing.
    pub async fn quit(mut self) {
        let tree = self.app_pid().map(process_tree).unwrap_or_default();
        let _ = self.client.close().await;
        // SIGTERM to the group: tauri-driver stops WebKitWebDriver, the app
        // closes; SIGKILL follows for anything still there after a grace.
        self.driver.stop();
        let started = Instant::now();
        while tree.iter().any(|&p| alive(p)) && started.elapsed() < WAIT {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The element `css`, once it is there.
    pub async fn find(&self, css: &str) -> Element {
        let client = &self.client;
        eventually(format!("element {css}"), move || async move {
            client.find(Locator::Css(css)).await.map_err(|e| format!("absent ({e})"))
        })
        .await
    }

    /// Every element matching `css` now; for a count to reach a value, see
    /// [`App::wait_count`].
    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap_or_default()
    }

    /// Clicks `css`, finding it afresh if a re-render replaced the element
    /// between finding and clicking.
    pub async fn click(&self, css: &str) {
        let client = &self.client;
        eventually(format!("a click on {css}"), move || async move {
            let el = client.find(Locator::Css(css)).await.map_err(|e| format!("absent ({e})"))?;
            el.click().await.map_err(|e| format!("refused ({e})"))
        })
        .await
    }

    /// Replaces the text of the field `css` with `value`.
    pub async fn fill(&self, css: &str, value: &str) {
        let client = &self.client;
        eventually(format!("{css} to take {value:?}"), move || async move {
            let el = client.find(Locator::Css(css)).await.map_err(|e| format!("absent ({e})"))?;
            el.clear().await.map_err(|e| format!("not cleared ({e})"))?;
            el.send_keys(value).await.map_err(|e| format!("refused keys ({e})"))?;
            match el.prop("value").await {
                Ok(Some(v)) if v == value => Ok(()),
                got => Err(format!("holding {got:?}")),
            }
        })
        .await
    }

    /// Sets a field's value as the page sees typing (an `input` event).
    /// For date inputs, whose typed keys WebKitGTK reads in its own order.
    pub async fn set_value(&self, css: &str, value: &str) {
        let script = "const el = document.querySelector(arguments[0]); \
             Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, arguments[1]); \
             el.dispatchEvent(new Event('input', { bubbles: true })); return el.value;";
        let (client, args) = (&self.client, vec![serde_json::json!(css), serde_json::json!(value)]);
        eventually(format!("{css} to take {value:?}"), move || {
            let args = args.clone();
            async move {
                match client.execute(script, args).await {
                    Ok(v) if v == value => Ok(()),
                    got => Err(format!("holding {got:?}")),
                }
            }
        })
        .await
    }

    pub async fn press(&self, css: &str, key: fantoccini::key::Key) {
        let key = char::from(key).to_string();
        let (client, key) = (&self.client, key.as_str());
        eventually(format!("a key press in {css}"), move || async move {
            let el = client.find(Locator::Css(css)).await.map_err(|e| format!("absent ({e})"))?;
            el.send_keys(key).await.map_err(|e| format!("refused ({e})"))
        })
        .await
    }

    /// The text of `css` once `wanted` holds for it (`wanted` describes it
    /// in the failure message).
    pub async fn wait_text_that(&self, css: &str, wanted: &str, holds: impl Fn(&str) -> bool) -> String {
        let (client, holds) = (&self.client, &holds);
        eventually(format!("the text of {css} to {wanted}"), move || async move {
            let el = client.find(Locator::Css(css)).await.map_err(|e| format!("absent ({e})"))?;
            let text = el.text().await.map_err(|e| format!("unreadable ({e})"))?;
            if holds(&text) { Ok(text) } else { Err(format!("{text:?}")) }
        })
        .await
    }

    /// Waits until `css` has exactly `expected` as text.
    pub async fn wait_text(&self, css: &str, expected: &str) {
        self.wait_text_that(css, &format!("be {expected:?}"), |t| t == expected).await;
    }

    /// Waits until `css` matches exactly `n` elements.
    pub async fn wait_count(&self, css: &str, n: usize) {
        eventually(format!("{n} elements {css}"), move || async move {
            let got = self.all(css).await.len();
            if got == n { Ok(()) } else { Err(format!("{got} of them")) }
        })
        .await
    }

    pub async fn wait_gone(&self, css: &str) {
        self.wait_count(css, 0).await;
    }

    /// Waits until the script's result equals `expected`.
    pub async fn wait_script(&self, script: &str, expected: serde_json::Value) {
        let (client, expected) = (&self.client, &expected);
        eventually(format!("`{script}` to give {expected}"), move || async move {
            match client.execute(script, vec![]).await {
                Ok(v) if v == *expected => Ok(()),
                got => Err(format!("{got:?}")),
            }
        })
        .await
    }

    pub async fn screenshot(&self, name: &str) {
        // Let fonts and layout settle so the picture shows what a person sees.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let png = self.client.screenshot().await.unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        std::fs::write(shots_dir().join(format!("{name}.png")), png).expect("write screenshot");
    }
}
