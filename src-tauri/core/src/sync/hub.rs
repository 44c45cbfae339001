//! The HTTP hub: `kizuna serve` on one side, [`Kizuna::sync_with_hub`] on
//! the other. Bodies are bundles (the USB format), so both transports share
//! verification and merge. Every request is signed by the office's key over
//! method, path, time and the body's SHA-256; an unknown office or a bad
//! signature gets 401, a malformed or hostile bundle 400, and neither writes.
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

use ed25519_dalek::{Signer, Verifier};
use serde::Serialize;
use sha2::{Digest as _, Sha256};
use ts_rs::TS;

use crate::api::Kizuna;
use crate::error::{Error, Result};
use crate::store::Store;
pub use crate::store::digest::{LogDigest, digest, scan_digest};
use crate::sync::bundle;
use crate::sync::exchange::{
    ImportReport, PAGE, PAGE_BYTES, PULL_PAGE_BYTES, SyncConfig, commit, identity_of, marker, max_seq, read_log,
    set_received, set_sent,
};
use crate::sync::keys::{self, Identity};

/// Largest request body the hub reads; larger ones get 413 unread.
pub const DEFAULT_MAX_BODY: u64 = 64 * 1024 * 1024;
/// Signed requests older or newer than this are refused (replays).
const REQUEST_WINDOW_MS: i64 = 10 * 60 * 1000;

fn request_text(method: &str, url: &str, time: i64, body: &[u8]) -> String {
    format!("kizuna-request 1\n{method}\n{url}\n{time}\n{}", hex::encode(Sha256::digest(body)))
}

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
    let status = match e {
        Error::Unauthorized(_) => 401,
        Error::Rejected(_) | Error::Invalid { .. } => 400,
        _ => 500,
    };
    let body = serde_json::to_vec(&serde_json::json!({ "error": e.to_api() })).unwrap_or_default();
    respond(req, status, body, "application/json");
}

fn header<'r>(req: &'r tiny_http::Request, name: &str) -> Option<&'r str> {
    req.headers().iter().find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name)).map(|h| h.value.as_str())
}

fn handle(k: &mut Kizuna, mut req: tiny_http::Request, opts: &HubOptions) {
    if req.body_length().is_some_and(|n| n as u64 > opts.max_body) {
        let e = Error::Rejected(format!("request body larger than {} bytes", opts.max_body));
        let body = serde_json::to_vec(&serde_json::json!({ "error": e.to_api() })).unwrap_or_default();
        return respond(req, 413, body, "application/json");
    }
    let mut body = Vec::new();
    if let Err(e) = req.as_reader().take(opts.max_body + 1).read_to_end(&mut body) {
        return respond_error(req, &Error::Rejected(format!("request body unreadable: {e}")));
    }
    if body.len() as u64 > opts.max_body {
        let e = Error::Rejected(format!("request body larger than {} bytes", opts.max_body));
        let body = serde_json::to_vec(&serde_json::json!({ "error": e.to_api() })).unwrap_or_default();
        return respond(req, 413, body, "application/json");
    }
    match route(k, &req, &body, opts) {
        Ok((bytes, ct)) => respond(req, 200, bytes, ct),
        Err(e) => respond_error(req, &e),
    }
}

fn authenticate(k: &Kizuna, req: &tiny_http::Request, body: &[u8]) -> Result<String> {
    let office = header(req, "x-kizuna-office").ok_or_else(|| Error::Unauthorized("unsigned request".into()))?;
    let time: i64 = header(req, "x-kizuna-time")
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| Error::Unauthorized("request without a valid time".into()))?;
    let sig = header(req, "x-kizuna-signature").ok_or_else(|| Error::Unauthorized("unsigned request".into()))?;
    let sig = keys::parse_signature(sig).map_err(|_| Error::Unauthorized("malformed request signature".into()))?;
    let key = keys::office_key(k.store().conn(), office)?
        .ok_or_else(|| Error::Unauthorized(format!("office '{office}' is not enrolled at this hub")))?;
    if (crate::hlc::system_millis() - time).abs() > REQUEST_WINDOW_MS {
        return Err(Error::Unauthorized("request time too far from the hub's clock (replayed or clock wrong)".into()));
    }
    key.verify(request_text(req.method().as_str(), req.url(), time, body).as_bytes(), &sig)
        .map_err(|_| Error::Unauthorized(format!("request signature does not match office '{office}'")))?;
    Ok(office.to_string())
}

fn query_param(url: &str, name: &str) -> Option<i64> {
    let q = url.split_once('?')?.1;
    q.split('&').find_map(|kv| kv.split_once('=').filter(|(k, _)| *k == name).and_then(|(_, v)| v.parse().ok()))
}

fn route(k: &mut Kizuna, req: &tiny_http::Request, body: &[u8], opts: &HubOptions) -> Result<(Vec<u8>, &'static str)> {
    let path = req.url().split('?').next().unwrap_or("");
    let method = req.method().as_str().to_string();
    if !matches!((method.as_str(), path), ("POST", "/v1/push") | ("GET", "/v1/pull") | ("GET", "/v1/digest")) {
        return Err(Error::Rejected(format!("no such route: {method} {path}")));
    }
    let office = authenticate(k, req, body)?;
    let store = k.store_mut();
    match path {
        "/v1/push" => {
            let id = identity_of(store)?;
            let opened = bundle::open(store.conn(), &id, body)?;
            if opened.manifest.from != office {
                return Err(Error::Unauthorized(format!(
                    "bundle signed by '{}' pushed by '{office}'",
                    opened.manifest.from
                )));
            }
            let peer = format!("office:{office}");
            let report = commit(store, opened, &opts.config, "hub", |w, m, _| set_received(w, &peer, m.upto_seq))?;
            Ok((serde_json::to_vec(&report).map_err(|e| Error::Sync(e.to_string()))?, "application/json"))
        }
        "/v1/pull" => {
            let since = query_param(req.url(), "since").unwrap_or(0).max(0);
            let limit = query_param(req.url(), "limit").unwrap_or(PAGE as i64).clamp(1, PAGE as i64) as usize;
            let id = identity_of(store)?;
            let page = read_log(store.conn(), since, limit, PULL_PAGE_BYTES)?;
            let more = page.upto < max_seq(store.conn())?;
            let certs = keys::certs(store.conn())?;
            let bytes = bundle::seal_payload(&id, certs, page.payload, page.entries, since, page.upto, more)?;
            Ok((bytes, "application/octet-stream"))
        }
        _ => Ok((
            serde_json::to_vec(&digest(store.conn())?).map_err(|e| Error::Sync(e.to_string()))?,
            "application/json",
        )),
    }
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
        let sig = hex::encode(self.id.key.sign(request_text(method, path_query, time, body).as_bytes()).to_bytes());
        let url = format!("{}{path_query}", self.base);
        let unreachable =
            |e: ureq::Error| Error::Sync(format!("hub {} unreachable or connection dropped: {e}", self.base));
        let mut resp = if method == "POST" {
            self.agent
                .post(&url)
                .header("x-kizuna-office", &self.id.office)
                .header("x-kizuna-time", time.to_string())
                .header("x-kizuna-signature", &sig)
                .header("content-type", "application/octet-stream")
                .send(body)
                .map_err(unreachable)?
        } else {
            self.agent
                .get(&url)
                .header("x-kizuna-office", &self.id.office)
                .header("x-kizuna-time", time.to_string())
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
    loop {
        let (sent, _) = marker(store.conn(), peer)?;
        let page = read_log(store.conn(), sent, cfg.page_entries.max(1), PAGE_BYTES)?;
        if page.entries == 0 {
            return Ok(pushed);
        }
        let (entries, upto) = (page.entries, page.upto);
        let more = upto < max_seq(store.conn())?;
        let body = bundle::seal_payload(c.id, keys::certs(store.conn())?, page.payload, entries, sent, upto, more)?;
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
        progress(SyncProgress { stage: SyncStage::Pull, changes: report.pulled, total: None });
        if !more || n == 0 {
            return Ok(());
        }
    }
}
