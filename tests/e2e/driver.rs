//! Starting the real app under tauri-driver (which drives WebKitWebDriver)
//! and talking to it through fantoccini.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

const WAIT: Duration = Duration::from_secs(15);

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

/// Where screenshots go: beside the test binaries, never into the repository.
pub fn shots_dir() -> PathBuf {
    let dir = std::env::var_os("KIZUNA_SHOTS_DIR").map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_BIN_EXE_kizuna-app")).parent().unwrap_or(Path::new(".")).join("e2e-shots")
    });
    std::fs::create_dir_all(&dir).expect("create screenshot folder");
    dir
}

/// Resident set size of one process in KiB (0 once it has gone).
#[allow(dead_code)] // the window bench reads it; the e2e tests do not
pub fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
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
    driver: Child,
}

impl App {
    /// Opens the app on `data_dir` (through KIZUNA_DATA_DIR, as a person
    /// would point the CLI and the app at the same folder).
    pub async fn launch(data_dir: &Path) -> App {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "the e2e tests open the real window: run them under `xvfb-run -a cargo test -p kizuna-app --test e2e`"
        );
        let (port, native) = (free_port(), free_port());
        let driver = Command::new(tauri_driver())
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("KIZUNA_DATA_DIR", data_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start tauri-driver (cargo install tauri-driver --version ^2 --locked)");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < WAIT, "tauri-driver did not listen on {port}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": env!("CARGO_BIN_EXE_kizuna-app") }));
        caps.insert("browserName".into(), json!("wry"));
        // The previous window of the same data folder may still be closing;
        // a session refused meanwhile is retried rather than failed.
        let mut attempt = 0;
        let client = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => break c,
                Err(e) if attempt < 3 => {
                    attempt += 1;
                    eprintln!("session attempt {attempt} failed ({e}); retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => panic!("WebDriver session with the app: {e}"),
            }
        };
        App { client, driver }
    }

    /// The kizuna-app process this session started (a descendant of our
    /// tauri-driver), never another instance that happens to be running.
    pub fn app_pid(&self) -> Option<u32> {
        let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_kizuna-app")).ok()?;
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
        // SIGTERM lets tauri-driver stop WebKitWebDriver too; SIGKILL would orphan it.
        let _ = Command::new("kill").args(["-TERM", &self.driver.id().to_string()]).status();
        let started = Instant::now();
        while self.driver.try_wait().ok().flatten().is_none() && started.elapsed() < WAIT {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let started = Instant::now();
        while tree.iter().any(|&p| alive(p)) && started.elapsed() < WAIT {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    pub async fn all(&self, css: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(css)).await.unwrap_or_default()
    }

    pub async fn exists(&self, css: &str) -> bool {
        !self.all(css).await.is_empty()
    }

    /// Clicks `css`, finding it afresh if a re-render replaced the element
    /// between finding and clicking.
    pub async fn click(&self, css: &str) {
        for attempt in 0.. {
            match self.find(css).await.click().await {
                Ok(()) => return,
                Err(e) if attempt < 5 => {
                    eprintln!("click {css} failed ({e}); retrying");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("click {css}: {e}"),
            }
        }
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_else(|e| panic!("text of {css}: {e}"))
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let el = self.find(css).await;
        el.clear().await.unwrap_or_else(|e| panic!("clear {css}: {e}"));
        el.send_keys(value).await.unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    pub async fn press(&self, css: &str, key: fantoccini::key::Key) {
        let el = self.find(css).await;
        el.send_keys(&char::from(key).to_string()).await.unwrap_or_else(|e| panic!("key into {css}: {e}"));
    }

    /// Polls until `css` has exactly `expected` as text.
    pub async fn wait_text(&self, css: &str, expected: &str) {
        let started = Instant::now();
        loop {
            let got = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if got == expected {
                return;
            }
            assert!(started.elapsed() < WAIT, "{css}: expected text {expected:?}, still {got:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Polls until `css` matches exactly `n` elements.
    pub async fn wait_count(&self, css: &str, n: usize) {
        let started = Instant::now();
        loop {
            let got = self.all(css).await.len();
            if got == n {
                return;
            }
            assert!(started.elapsed() < WAIT, "{css}: expected {n} elements, found {got}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn wait_gone(&self, css: &str) {
        self.wait_count(css, 0).await;
    }

    pub async fn screenshot(&self, name: &str) {
        // Let fonts and layout settle so the picture shows what a person sees.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let png = self.client.screenshot().await.unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
        std::fs::write(shots_dir().join(format!("{name}.png")), png).expect("write screenshot");
    }
}
