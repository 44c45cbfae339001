//! The office's side of the hub: a client over HTTPS with the hub's
//! certificate pinned (see [`crate::sync::tls`]), on hyper and tokio-rustls,
//! and the push and pull loops that `Kizuna::sync_with_hub` runs. Blocking to
//! its callers (the CLI, the app's sync thread): it runs its own
//! single-threaded runtime for the length of one sync.
//!
//! Every call has a connect timeout and a read timeout (no byte from the hub
//! for that long ends the call), and is retried with backoff when the
//! connection failed or the hub was busy. Each attempt is signed afresh with
//! a new nonce (the hub refuses a nonce it has seen); retrying a push is safe
//! since merging the same entries twice changes nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ed25519_dalek::Signer;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body as _, Bytes};
use hyper::client::conn::http1::SendRequest;
use hyper::{Request, Uri};
use hyper_util::rt::TokioIo;
use rustls::pki_types::ServerName;
use tokio_rustls::TlsConnector;

use crate::error::{Error, Result};
use crate::store::Store;
use crate::sync::bundle;
use crate::sync::exchange::{
    ImportReport, PAGE_BYTES, SyncConfig, commit, marker, max_seq, read_log, set_received, set_sent, sign_own,
};
use crate::sync::feed;
use crate::sync::hub::{DEFAULT_MAX_BODY, HubSyncReport, SyncProgress, SyncStage};
use crate::sync::keys::{self, Identity};
use crate::sync::nonce;
use crate::sync::requests::request_text;
use crate::sync::tls::{self, PinnedCert};

pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The hub may take this long without sending a byte (a large merge).
pub const READ_TIMEOUT: Duration = Duration::from_secs(120);
/// Attempts per call; the waits between them double from [`FIRST_RETRY`].
const ATTEMPTS: u32 = 4;
const FIRST_RETRY: Duration = Duration::from_millis(250);

/// A hub address that passed [`check_hub_url`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubUrl {
    /// `https://HOST:PORT` (or `http://` on loopback), no trailing slash.
    pub base: String,
    pub tls: bool,
    pub host: String,
    pub port: u16,
}

/// Checks a hub address: `https://HOST[:PORT]`, or `http://` to this
/// computer only (a loopback address, for tests). Anything else is refused
/// with an error that says what to write instead.
pub fn check_hub_url(url: &str) -> Result<HubUrl> {
    let trimmed = url.trim().trim_end_matches('/');
    let bad = |why: &str| {
        Error::invalid(
            "hub_url",
            format!(
                "'{trimmed}' is not a hub address ({why}): use https://HOST:PORT (http://HOST:PORT only to this computer)"
            ),
        )
    };
    let uri: Uri = trimmed.parse().map_err(|_| bad("not a URL"))?;
    let tls = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(bad("it must start with https://")),
    };
    if uri.path_and_query().is_some_and(|p| p.as_str() != "/" && !p.as_str().is_empty()) {
        return Err(bad("no path after the port"));
    }
    let host = uri.host().filter(|h| !h.is_empty()).ok_or_else(|| bad("no host"))?.to_string();
    let port = uri.port_u16().unwrap_or(if tls { 443 } else { 80 });
    if !tls && !is_loopback(&host) {
        return Err(Error::invalid(
            "hub_url",
            format!(
                "'{trimmed}': plain http:// is only allowed to this computer (a loopback address); \
                 sync travels encrypted: use https://HOST:PORT"
            ),
        ));
    }
    let scheme = if tls { "https" } else { "http" };
    Ok(HubUrl { base: format!("{scheme}://{host}:{port}"), tls, host, port })
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

struct Tls {
    connector: TlsConnector,
    name: ServerName<'static>,
    verifier: Arc<PinnedCert>,
    pinned: String,
}

pub(crate) struct Client<'a> {
    url: HubUrl,
    id: &'a Identity,
    tls: Option<Tls>,
    runtime: tokio::runtime::Runtime,
    sender: Option<SendRequest<Full<Bytes>>>,
}

/// Why one attempt failed, and whether another may succeed.
struct Failure {
    error: Error,
    retry: bool,
}

impl<'a> Client<'a> {
    /// A client for the hub at `url`, as `id`; over HTTPS it accepts only the
    /// certificate with the `pinned` fingerprint.
    pub(crate) fn new(url: HubUrl, id: &'a Identity, pinned: Option<String>) -> Result<Client<'a>> {
        let tls = match pinned {
            Some(pinned) => {
                let (config, verifier) = tls::client_config(&pinned)?;
                let name = ServerName::try_from(url.host.trim_start_matches('[').trim_end_matches(']').to_string())
                    .map_err(|e| Error::invalid("hub_url", format!("'{}' is not a host name: {e}", url.host)))?;
                Some(Tls { connector: TlsConnector::from(Arc::new(config)), name, verifier, pinned })
            }
            None => None,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Sync(format!("cannot start the sync client: {e}")))?;
        Ok(Client { url, id, tls, runtime, sender: None })
    }

    pub(crate) fn call(&mut self, method: &str, path_query: &str, body: &[u8]) -> Result<Vec<u8>> {
        let mut wait = FIRST_RETRY;
        for attempt in 1..=ATTEMPTS {
            let started = Instant::now();
            match self.attempt(method, path_query, body) {
                Ok(bytes) => {
                    tracing::debug!(hub = %self.url.base, method, path_query, bytes = bytes.len(),
                        duration_ms = started.elapsed().as_millis() as u64, "hub call");
                    return Ok(bytes);
                }
                Err(f) if f.retry && attempt < ATTEMPTS => {
                    tracing::warn!(hub = %self.url.base, method, path_query, attempt, "hub call failed, retrying in {} ms: {}",
                        wait.as_millis(), f.error);
                    self.sender = None;
                    std::thread::sleep(wait);
                    wait *= 2;
                }
                Err(f) => {
                    self.sender = None;
                    return Err(f.error);
                }
            }
        }
        Err(Error::Sync(format!("hub {} unreachable", self.url.base)))
    }

    fn attempt(&mut self, method: &str, path_query: &str, body: &[u8]) -> Result<Vec<u8>, Failure> {
        let time = crate::hlc::system_millis();
        let nonce = nonce::fresh().map_err(|error| Failure { error, retry: false })?;
        let text = request_text(method, path_query, time, &nonce, body);
        let sig = hex::encode(self.id.key.sign(text.as_bytes()).to_bytes());
        let req = Request::builder()
            .method(method)
            .uri(path_query)
            .header("host", format!("{}:{}", self.url.host, self.url.port))
            .header("x-kizuna-office", &self.id.office)
            .header("x-kizuna-time", time.to_string())
            .header("x-kizuna-nonce", &nonce)
            .header("x-kizuna-signature", &sig)
            .header("content-type", "application/octet-stream")
            .body(Full::new(Bytes::copy_from_slice(body)))
            .map_err(|e| Failure { error: Error::Sync(format!("cannot build the request: {e}")), retry: false })?;
        let Client { url, tls, runtime, sender: slot, .. } = self;
        let base = url.base.clone();
        let (status, bytes) = runtime.block_on(async {
            let mut sender = match slot.take() {
                Some(s) if !s.is_closed() => s,
                _ => connect(url, tls.as_ref()).await?,
            };
            let dropped = |e: &dyn std::fmt::Display| Failure {
                error: Error::Sync(format!("hub {base} unreachable or connection dropped: {e}")),
                retry: true,
            };
            sender.ready().await.map_err(|e| dropped(&e))?;
            let resp = tokio::time::timeout(READ_TIMEOUT, sender.send_request(req))
                .await
                .map_err(|_| dropped(&format!("no answer within {} s", READ_TIMEOUT.as_secs())))?
                .map_err(|e| dropped(&e))?;
            let status = resp.status().as_u16();
            let mut body = resp.into_body();
            let limit = DEFAULT_MAX_BODY * 4;
            // Sized once from Content-Length: a 50 MB page grown by doubling
            // is copied about twice over on the way in.
            let declared = body.size_hint().exact().unwrap_or(0).min(limit);
            let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
            loop {
                let frame = tokio::time::timeout(READ_TIMEOUT, body.frame())
                    .await
                    .map_err(|_| dropped(&format!("response stalled for {} s", READ_TIMEOUT.as_secs())))?;
                match frame {
                    None => break,
                    Some(Err(e)) => return Err(dropped(&format!("response cut off: {e}"))),
                    Some(Ok(f)) => {
                        if let Some(d) = f.data_ref() {
                            bytes.extend_from_slice(d);
                        }
                    }
                }
                if bytes.len() as u64 > limit {
                    return Err(Failure {
                        error: Error::Sync(format!("hub {base}: response larger than {limit} bytes")),
                        retry: false,
                    });
                }
                if body.is_end_stream() {
                    break;
                }
            }
            *slot = Some(sender);
            Ok((status, bytes))
        })?;
        if status == 200 {
            return Ok(bytes);
        }
        let msg = serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| String::from_utf8_lossy(&bytes).chars().take(200).collect());
        let (error, retry) = match status {
            401 => (Error::Unauthorized(format!("hub refused: {msg}")), false),
            400 | 413 | 431 => (Error::Rejected(format!("hub refused: {msg}")), false),
            408 | 429 | 502 | 503 | 504 => (Error::Sync(format!("hub answered {status}: {msg}")), true),
            _ => (Error::Sync(format!("hub answered {status}: {msg}")), false),
        };
        Err(Failure { error, retry })
    }
}

async fn connect(url: &HubUrl, tls: Option<&Tls>) -> Result<SendRequest<Full<Bytes>>, Failure> {
    let base = &url.base;
    let unreachable = |e: &dyn std::fmt::Display| Failure {
        error: Error::Sync(format!("hub {base} unreachable or connection dropped: {e}")),
        retry: true,
    };
    let addr = format!("{}:{}", url.host, url.port);
    let tcp = tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(addr))
        .await
        .map_err(|_| unreachable(&format!("no connection within {} s", CONNECT_TIMEOUT.as_secs())))?
        .map_err(|e| unreachable(&e))?;
    // Pages go out as one write each; do not wait for delayed ACKs.
    let _ = tcp.set_nodelay(true);
    match tls {
        Some(t) => {
            let stream = tokio::time::timeout(CONNECT_TIMEOUT, t.connector.connect(t.name.clone(), tcp))
                .await
                .map_err(|_| unreachable(&"TLS handshake timed out"))?
                .map_err(|e| match t.verifier.refused.lock().ok().and_then(|mut r| r.take()) {
                    Some(seen) => Failure {
                        error: Error::Unauthorized(format!(
                            "hub {base} presented a certificate with SHA-256 fingerprint {seen}, not the pinned \
                             {}: this is not your network's hub (or HQ replaced its certificate: ask for a new invite)",
                            t.pinned
                        )),
                        retry: false,
                    },
                    None => unreachable(&format!("TLS: {e}")),
                })?;
            handshake(TokioIo::new(stream)).await.map_err(|e| unreachable(&e))
        }
        None => handshake(TokioIo::new(tcp)).await.map_err(|e| unreachable(&e)),
    }
}

async fn handshake<I>(io: I) -> hyper::Result<SendRequest<Full<Bytes>>>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (sender, conn) = hyper::client::conn::http1::handshake(io).await?;
    tokio::spawn(async move {
        if let Err(e) = conn.await {
            tracing::debug!("hub connection ended: {e}");
        }
    });
    Ok(sender)
}

pub(crate) fn push(
    store: &mut Store,
    c: &mut Client<'_>,
    peer: &str,
    cfg: &SyncConfig,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<u64> {
    let mut pushed = 0;
    sign_own(store, c.id, cfg.page_entries.max(1))?;
    loop {
        let (sent, _) = marker(store.conn(), peer)?;
        let page = read_log(store.conn(), &c.id.office, None, sent, cfg.page_entries.max(1), PAGE_BYTES)?;
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
    c: &mut Client<'_>,
    peer: &str,
    cfg: &SyncConfig,
    report: &mut HubSyncReport,
    progress: &mut dyn FnMut(SyncProgress),
) -> Result<i64> {
    // This office's own feed, which it has just pushed: the hub leaves it
    // out of the pages (`CallerHolds`).
    let holds = feed::own_held(store.conn(), c.id)?
        .map_or(String::new(), |(feed, fseq)| format!("&own_feed={feed}&own_fseq={fseq}"));
    loop {
        let (_, received) = marker(store.conn(), peer)?;
        let path = format!("/v1/pull?since={received}&limit={}{holds}", cfg.page_entries.max(1));
        let bytes = c.call("GET", &path, &[])?;
        let opened = bundle::open(store.conn(), c.id, &bytes)?;
        let more = opened.manifest.more;
        // Every entry the page carried, those this replica held already
        // included: a page of only those is no end of the hub's log.
        let n = opened.carried();
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
            // The hub's log position this replica now holds everything up to.
            return Ok(marker(store.conn(), peer)?.1);
        }
    }
}
