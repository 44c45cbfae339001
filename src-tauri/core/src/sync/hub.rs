//! The HTTP hub: `kizuna serve` on one side, [`Kizuna::sync_with_hub`] on
//! the other. Bodies are bundles (the USB format), so both transports share
//! verification and merge. Requests are handled by the plain function
//! [`requests::handle`] (signatures, nonces, routes); this module is the HTTP
//! layer around it and the client.
//!
//! Routes: `POST /v1/push` (body: a bundle signed by the caller),
//! `GET /v1/pull?since=SEQ&limit=N` (a page of the hub's log, signed by the
//! hub), `GET /v1/digest` (count and checksum of the hub's log).

use std::io::Read;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use ed25519_dalek::Signer;
use serde::Serialize;
use ts_rs::TS;

use crate::api::Kizuna;
use crate::error::{Error, Result};
use crate::store::Store;
pub use crate::store::digest::{LogDigest, digest, scan_digest};
use crate::sync::bundle;
use crate::sync::exchange::{
    ImportReport, PAGE_BYTES, SyncConfig, commit, identity_of, marker, max_seq, read_log, set_received, set_sent,
    sign_own,
};
use crate::sync::keys::{self, Identity};
use crate::sync::nonce;
use crate::sync::requests::{self, HubRequest};

/// Largest request body the hub reads; larger ones get 413 unread.
pub const DEFAULT_MAX_BODY: u64 = 64 * 1024 * 1024;

/// A running hub. Dropping it leaves the server running; call [`Hub::stop`].
pub struct Hub {
    server: Arc<tiny_http::Server>,
    addr: SocketAddr,
    stopping: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Hub {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Blocks until the server stops (it does not, unless stopped).
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    pub fn stop(mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct HubOptions {
    pub max_body: u64,
    pub config: SyncConfig,
}

impl Default for HubOptions {
    fn default() -> Self {
        HubOptions { max_body: DEFAULT_MAX_BODY, config: SyncConfig::default() }
    }
}

/// Serves the replica in `data_dir` on `listen` (`127.0.0.1:0` picks a port;
/// [`Hub::addr`] tells which). Requests are handled one at a time.
pub fn serve(data_dir: &Path, listen: &str, opts: HubOptions) -> Result<Hub> {
    let mut k = Kizuna::open(data_dir)?;
    identity_of(k.store_mut())?;
    let cannot = |e: &dyn std::fmt::Display| Error::Sync(format!("cannot listen on {listen}: {e}"));
    let listener = std::net::TcpListener::bind(listen).map_err(|e| cannot(&e))?;
    // tiny_http writes a response's head and body separately: with Nagle's
    // algorithm the body then waits for the client's delayed ACK of the
    // head, 40 ms per pull on loopback. Accepted sockets inherit the option.
    socket2::SockRef::from(&listener).set_tcp_nodelay(true).map_err(|e| cannot(&e))?;
    let server = tiny_http::Server::from_listener(listener, None).map_err(|e| cannot(&e))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| Error::Sync(format!("cannot listen on {listen}: not an IP address")))?;
    let server = Arc::new(server);
    let stopping = Arc::new(AtomicBool::new(false));
    let (srv, stop) = (server.clone(), stopping.clone());
    let thread = std::thread::spawn(move || {
        while !stop.load(Ordering::SeqCst) {
            let Ok(req) = srv.recv() else { break };
            handle(&mut k, req, &opts);
        }
    });
    Ok(Hub { server, addr, stopping, thread: Some(thread) })
}

fn respond(req: tiny_http::Request, status: u16, body: Vec<u8>, content_type: &str) {
    let header = tiny_http::Header::from_bytes(&b"Content-Type"[..], content_type.as_bytes());
    let mut resp = tiny_http::Response::from_data(body).with_status_code(status);
    if let Ok(h) = header {
        resp = resp.with_header(h);
    }
    // A client that went away is its own problem; the hub carries on.
    let _ = req.respond(resp);
}

fn respond_error(req: tiny_http::Request, e: &Error) {
    respond(req, 400, requests::error_body(e), "application/json");
}

fn handle(k: &mut Kizuna, mut req: tiny_http::Request, opts: &HubOptions) {
    if req.body_length().is_some_and(|n| n as u64 > opts.max_body) {
        let e = Error::Rejected(format!("request body larger than {} bytes", opts.max_body));
        return respond(req, 413, requests::error_body(&e), "application/json");
    }
    let mut body = Vec::new();
    if let Err(e) = req.as_reader().take(opts.max_body + 1).read_to_end(&mut body) {
        return respond_error(req, &Error::Rejected(format!("request body unreadable: {e}")));
    }
    let request = HubRequest {
        method: req.method().as_str().to_string(),
        path: req.url().to_string(),
        headers: req
            .headers()
            .iter()
            .map(|h| (h.field.as_str().as_str().to_string(), h.value.as_str().to_string()))
            .collect(),
        body,
    };
    let r = requests::handle(k.store_mut(), &request, opts);
    respond(req, r.status, r.body, r.content_type);
}

/// The steps of a sync with the hub, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncStage {
    Push,
    Pull,
    /// Comparing both logs' digests.
    Verify,
}

impl std::fmt::Display for SyncStage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SyncStage::Push => "push",
            SyncStage::Pull => "pull",
            SyncStage::Verify => "verify",
        })
    }
}

/// Where a sync with the hub has got to, for the app's progress bar.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncProgress {
    pub stage: SyncStage,
    /// Changes sent or received so far in this stage.
    #[ts(type = "number")]
    pub changes: u64,
    /// Changes in this stage, when known.
    #[ts(optional)]
    #[ts(type = "number")]
    pub total: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct HubSyncReport {
    pub hub: String,
    #[ts(type = "number")]
    pub pushed: u64,
    #[ts(type = "number")]
    pub pulled: u64,
    /// Pulled changes that were new here.
    #[ts(type = "number")]
    pub new: u64,
    #[ts(type = "number")]
    pub quarantined: u64,
    #[ts(type = "number")]
    pub parked: u64,
    /// Pulled changes left out: their origin's feed did not connect to what
    /// this replica holds.
    #[ts(type = "number")]
    pub held_back: u64,
    /// Both logs hold the same changes (count and checksum) at the end.
    pub digests_match: bool,
}

pub(crate) struct Client<'a> {
    pub(crate) agent: ureq::Agent,
    pub(crate) base: String,
    pub(crate) id: &'a Identity,
}

impl Client<'_> {
    pub(crate) fn call(&self, method: &str, path_query: &str, body: &[u8]) -> Result<Vec<u8>> {
        let time = crate::hlc::system_millis();
        let nonce = nonce::fresh()?;
        let text = requests::request_text(method, path_query, time, &nonce, body);
        let sig = hex::encode(self.id.key.sign(text.as_bytes()).to_bytes());
        let url = format!("{}{path_query}", self.base);
        let unreachable =
            |e: ureq::Error| Error::Sync(format!("hub {} unreachable or connection dropped: {e}", self.base));
        let mut resp = if method == "POST" {
            self.agent
                .post(&url)
                .header("x-kizuna-office", &self.id.office)
                .header("x-kizuna-time", time.to_string())
                .header("x-kizuna-nonce", &nonce)
                .header("x-kizuna-signature", &sig)
                .header("content-type", "application/octet-stream")
                .send(body)
                .map_err(unreachable)?
        } else {
            self.agent
                .get(&url)
                .header("x-kizuna-office", &self.id.office)
                .header("x-kizuna-time", time.to_string())
                .header("x-kizuna-nonce", &nonce)
                .header("x-kizuna-signature", &sig)
                .call()
                .map_err(unreachable)?
        };
        let status = resp.status().as_u16();
        let bytes = resp
            .body_mut()
            .with_config()
            .limit(DEFAULT_MAX_BODY * 4)
            .read_to_vec()
            .map_err(|e| Error::Sync(format!("hub {}: response cut off: {e}", self.base)))?;
        if status == 200 {
            return Ok(bytes);
        }
        let msg = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(&bytes).chars().take(200).collect());
        Err(match status {
            401 => Error::Unauthorized(format!("hub refused: {msg}")),
            400 | 413 => Error::Rejected(format!("hub refused: {msg}")),
            _ => Error::Sync(format!("hub answered {status}: {msg}")),
        })
    }
}

pub(crate) fn push(
    store: &mut Store,
    c: &Client<'_>,
    peer: &str,
    cfg: &SyncConfig,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<u64> {
    let mut pushed = 0;
    sign_own(store, c.id)?;
    loop {
        let (sent, _) = marker(store.conn(), peer)?;
        let page = read_log(store.conn(), &c.id.office, sent, cfg.page_entries.max(1), PAGE_BYTES)?;
        if page.entries == 0 {
            return Ok(pushed);
        }
        let (entries, upto) = (page.entries, page.upto);
        let more = upto < max_seq(store.conn())?;
        let certs = keys::certs(store.conn())?;
        let body = bundle::seal_payload(c.id, certs, page.heads, page.payload, entries, sent, upto, more)?;
        c.call("POST", "/v1/push", &body)?;
        // The hub committed: only now does the marker move.
        store.write(|w| set_sent(w, peer, upto))?;
        pushed += entries;
        progress(SyncProgress { stage: SyncStage::Push, changes: pushed, total: None });
    }
}

pub(crate) fn pull(
    store: &mut Store,
    c: &Client<'_>,
    peer: &str,
    cfg: &SyncConfig,
    report: &mut HubSyncReport,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<()> {
    loop {
        let (_, received) = marker(store.conn(), peer)?;
        let bytes = c.call("GET", &format!("/v1/pull?since={received}&limit={}", cfg.page_entries.max(1)), &[])?;
        let opened = bundle::open(store.conn(), c.id, &bytes)?;
        let more = opened.manifest.more;
        let n = opened.entries.len() as u64;
        let r: ImportReport = commit(store, opened, cfg, "hub", |w, m, before| {
            set_received(w, peer, m.upto_seq)?;
            // What this page added came from the hub: never push it back,
            // provided everything before it had been pushed already.
            if marker(w.conn(), peer)?.0 >= before {
                set_sent(w, peer, max_seq(w.conn())?)?;
            }
            Ok(())
        })?;
        report.pulled += n;
        report.new += r.new;
        report.quarantined += r.quarantined;
        report.parked += r.parked;
        report.held_back += r.held_back;
        progress(SyncProgress { stage: SyncStage::Pull, changes: report.pulled, total: None });
        if !more || n == 0 {
            return Ok(());
        }
    }
}
