//! Processes a test starts (tauri-driver and what it starts, a `kizuna serve`
//! hub, a CLI run to be killed) die with the test, pass or fail. Each is
//! started as the leader of a process group of its own, and the guard
//! signals the whole group on drop, which also runs while a failed
//! assertion unwinds. Killing only the direct child would orphan its
//! children (tauri-driver's WebKitWebDriver, the app, WebKit's processes),
//! which is how failed runs used to leave drivers behind.

#![allow(dead_code)] // each suite uses the part it needs

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a stopping group may take to leave after SIGTERM before it is
/// sent SIGKILL.
const GRACE: Duration = Duration::from_secs(10);

/// How long a started process may take to say its first line (a busy
/// machine can be slow to start one).
const FIRST_LINE: Duration = Duration::from_secs(60);

/// A child process and every process it starts; signalled as one on drop.
pub struct ProcessGroup {
    child: Child,
    status: Option<ExitStatus>,
}

impl ProcessGroup {
    /// Spawns `cmd` as the leader of a new process group.
    pub fn spawn(cmd: &mut Command) -> std::io::Result<ProcessGroup> {
        let child = cmd.process_group(0).spawn()?;
        Ok(ProcessGroup { child, status: None })
    }

    /// The leader's process id, which is also the group's id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    pub fn child(&mut self) -> &mut Child {
        &mut self.child
    }

    /// Whether the leader is still running (reaping it once it has ended).
    pub fn running(&mut self) -> bool {
        if self.status.is_none() {
            self.status = self.child.try_wait().ok().flatten();
        }
        self.status.is_none()
    }

    /// Sends `signal` to every process of the group; false once none is left.
    fn signal(&self, signal: libc::c_int) -> bool {
        let Ok(pgid) = libc::pid_t::try_from(self.child.id()) else { return false };
        // SAFETY: kill(2) with a negative pid only sends a signal to that
        // process group; it touches no memory of ours.
        unsafe { libc::kill(-pgid, signal) == 0 }
    }

    /// Whether any process of the group is left (the leader counts until reaped).
    pub fn alive(&mut self) -> bool {
        self.running();
        self.signal(0)
    }

    /// SIGKILL to the whole group at once, then reaps the leader: for a test
    /// that kills a process mid-work on purpose.
    pub fn kill(&mut self) -> ExitStatus {
        self.signal(libc::SIGKILL);
        let status = self.status.take().map_or_else(|| self.child.wait(), Ok).expect("reap the killed process");
        self.status = Some(status);
        status
    }

    /// SIGTERM to the group so each process can close its own children,
    /// then SIGKILL to whatever is left after the grace period, then reaps
    /// the leader. Safe to call more than once.
    pub fn stop(&mut self) {
        if !self.alive() {
            return;
        }
        self.signal(libc::SIGTERM);
        let started = Instant::now();
        while self.alive() && started.elapsed() < GRACE {
            std::thread::sleep(Duration::from_millis(50));
        }
        self.signal(libc::SIGKILL);
        if self.status.is_none() {
            self.status = self.child.wait().ok();
        }
        // Orphans of the group are reaped by init; wait until they are gone
        // so the next test never meets a process of this one.
        let started = Instant::now();
        while self.signal(0) && started.elapsed() < GRACE {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The first line the process writes to its piped stdout, waiting up to
    /// a generous deadline; the rest of its stdout is read and dropped so it
    /// never blocks on (or dies of) a full or closed pipe.
    pub fn first_line(&mut self) -> String {
        let stdout = self.child.stdout.take().expect("spawned with stdout piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = tx.send(lines.next().and_then(Result::ok).unwrap_or_default());
            for _ in lines {}
        });
        match rx.recv_timeout(FIRST_LINE) {
            Ok(line) => line,
            Err(_) => panic!("pid {} wrote no line within {FIRST_LINE:?}", self.id()),
        }
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `kizuna serve --listen 127.0.0.1:0` on a data folder, as a child process:
/// the address and certificate fingerprint it prints, and its log (stderr)
/// line by line. Stopped with its group on drop.
pub struct ServedHub {
    pub group: ProcessGroup,
    pub url: String,
    /// `None` when served over plain HTTP.
    pub fingerprint: Option<String>,
    log: mpsc::Receiver<String>,
}

impl ServedHub {
    pub fn start(kizuna: &std::path::Path, data_dir: &std::path::Path, extra: &[&str]) -> ServedHub {
        let mut group = ProcessGroup::spawn(
            Command::new(kizuna)
                .arg("--data-dir")
                .arg(data_dir)
                .args(["serve", "--listen", "127.0.0.1:0"])
                .args(extra)
                .env_remove("KIZUNA_DATA_DIR")
                .env_remove("RUST_LOG")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped()),
        )
        .expect("start the hub");
        let stderr = group.child().stderr.take().expect("spawned with stderr piped");
        let (tx, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("hub: {line}");
                let _ = tx.send(line);
            }
        });
        let stdout = group.child().stdout.take().expect("spawned with stdout piped");
        let (tx, said) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let next = || match said.recv_timeout(FIRST_LINE) {
            Ok(line) => line,
            Err(_) => panic!("the hub said nothing within {FIRST_LINE:?}"),
        };
        let line = next();
        let url = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("hub said {line:?}")).to_string();
        assert!(!url.ends_with(":0"), "{url}");
        let fingerprint = url.starts_with("https://").then(|| {
            let line = next();
            let fp = line.trim().strip_prefix("certificate SHA-256 fingerprint: ");
            fp.unwrap_or_else(|| panic!("hub said {line:?}")).to_string()
        });
        ServedHub { group, url, fingerprint, log }
    }

    /// Waits for a log line containing `text`, up to a generous deadline.
    pub fn wait_for_log(&self, text: &str) -> String {
        let deadline = Duration::from_secs(120);
        let started = Instant::now();
        while started.elapsed() < deadline {
            match self.log.recv_timeout(Duration::from_millis(200)) {
                Ok(line) if line.contains(text) => return line,
                Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the hub's log ended before '{text}'"),
            }
        }
        panic!("no hub log line with '{text}' within {deadline:?}")
    }

    /// SIGTERM to the hub alone (a graceful stop), then waits for it to exit.
    pub fn terminate(&mut self) -> ExitStatus {
        let pid = libc::pid_t::try_from(self.group.id()).expect("pid");
        // SAFETY: kill(2) sends a signal to one process; it touches no memory of ours.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0, "SIGTERM to the hub");
        let deadline = Duration::from_secs(120);
        let started = Instant::now();
        loop {
            if let Some(status) = self.group.child().try_wait().expect("hub status") {
                return status;
            }
            assert!(started.elapsed() < deadline, "the hub still runs {deadline:?} after SIGTERM");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
