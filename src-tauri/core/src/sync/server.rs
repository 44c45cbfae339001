//! `kizuna serve`: the hub's request handling ([`crate::sync::requests`]) on axum over
//! HTTPS (axum-server with rustls; the certificate is the hub's own, see
//! [`crate::sync::tls`]). Plain HTTP only on a loopback address, for tests.
//!
//! Nothing a client does can hold the hub: a TLS handshake or request head
//! not finished within `header_timeout` and a body not received within
//! `body_timeout` end the connection; heads over `max_header_bytes` get 431
//! and bodies over `max_body` 413, never read into memory; at most
//! `max_concurrent` requests are served at once, the rest wait their turn
//! (back-pressure). The replica is one connection behind a mutex, so pushes
//! merge one at a time, each in one transaction. A graceful stop (SIGTERM)
//! refuses new connections and lets in-flight requests finish.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum_server::accept::NoDelayAcceptor;
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper_util::rt::TokioTimer;
use tower::limit::ConcurrencyLimitLayer;

use crate::error::{Error, Result};
use crate::store::Store;
use crate::sync::exchange::{SyncConfig, identity_of};
use crate::sync::hub::DEFAULT_MAX_BODY;
use crate::sync::requests::{self, HubRequest, HubResponse};
use crate::sync::tls;

#[derive(Debug, Clone, Copy)]
pub struct HubOptions {
    /// Largest request body accepted; larger ones get 413 unread.
    pub max_body: u64,
    pub config: SyncConfig,
    /// HTTPS with the certificate in the data folder (the normal case);
    /// false serves plain HTTP, allowed on a loopback address only.
    pub tls: bool,
    /// Time allowed for a TLS handshake and for each request head.
    pub header_timeout: Duration,
    /// Time allowed to receive a request's body.
    pub body_timeout: Duration,
    /// Largest request head (request line and headers); larger gets 431.
    pub max_header_bytes: usize,
    /// Requests served at once; more wait for a free slot.
    pub max_concurrent: usize,
    /// On stop, how long in-flight requests may take before connections are cut.
    pub shutdown_grace: Duration,
}

impl Default for HubOptions {
    fn default() -> Self {
        HubOptions {
            max_body: DEFAULT_MAX_BODY,
            config: SyncConfig::default(),
            tls: true,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
            max_header_bytes: 16 * 1024,
            max_concurrent: 16,
            shutdown_grace: Duration::from_secs(120),
        }
    }
}

/// A running hub. Dropping it leaves the server running; call [`Hub::stop`].
pub struct Hub {
    addr: SocketAddr,
    fingerprint: Option<String>,
    handle: axum_server::Handle,
    runtime: tokio::runtime::Handle,
    grace: Duration,
    thread: Option<JoinHandle<()>>,
}

impl Hub {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn url(&self) -> String {
        let scheme = if self.fingerprint.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// SHA-256 of the hub's certificate (lowercase hex); `None` over plain HTTP.
    pub fn fingerprint(&self) -> Option<&str> {
        self.fingerprint.as_deref()
    }

    /// Blocks until the server stops.
    pub fn wait(mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }

    /// Blocks until SIGTERM or SIGINT (Ctrl-C), then stops gracefully.
    pub fn wait_for_signal(self) {
        let (handle, grace) = (self.handle.clone(), self.grace);
        self.runtime.spawn(async move {
            shutdown_signal().await;
            tracing::info!(grace_secs = grace.as_secs(), "stopping: no new connections, finishing requests in flight");
            handle.graceful_shutdown(Some(grace));
        });
        self.wait();
    }

    /// Stops accepting, lets in-flight requests finish (up to the grace
    /// period), and returns once the server has stopped.
    pub fn stop(self) {
        self.handle.graceful_shutdown(Some(self.grace));
        self.wait();
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => std::future::pending::<()>().await,
        }
    }
    #[cfg(not(unix))]
    {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

struct Shared {
    store: Mutex<Store>,
    opts: HubOptions,
}

/// What the log line of a request needs from its handling.
#[derive(Debug, Clone)]
struct Outcome {
    office: Option<String>,
    entries: u64,
    refusal: Option<String>,
}

/// Serves the replica in `data_dir` on `listen` (`127.0.0.1:0` picks a port;
/// [`Hub::addr`] tells which).
pub fn serve(data_dir: &Path, listen: &str, opts: HubOptions) -> Result<Hub> {
    let mut store = Store::open_folder(data_dir)?;
    identity_of(&mut store)?;
    let cannot = |e: &dyn std::fmt::Display| Error::Sync(format!("cannot listen on {listen}: {e}"));
    let listener = std::net::TcpListener::bind(listen).map_err(|e| cannot(&e))?;
    let addr = listener.local_addr().map_err(|e| cannot(&e))?;
    if !opts.tls && !addr.ip().is_loopback() {
        return Err(Error::invalid(
            "listen",
            format!("plain HTTP is only for a loopback address (tests), not {addr}: serve HTTPS"),
        ));
    }
    if opts.max_header_bytes < 8192 {
        return Err(Error::invalid("max_header_bytes", "must be at least 8192"));
    }
    let cert = if opts.tls { Some(tls::ensure_hub_cert(data_dir)?) } else { None };
    let fingerprint = cert.as_ref().map(|c| c.fingerprint.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("hub")
        .enable_all()
        .build()
        .map_err(|e| Error::Sync(format!("cannot start the hub's runtime: {e}")))?;
    let shared = Arc::new(Shared { store: Mutex::new(store), opts });
    let app = Router::new()
        .fallback(answer)
        .layer(ConcurrencyLimitLayer::new(opts.max_concurrent.max(1)))
        .layer(middleware::from_fn(log_request))
        .with_state(shared);
    let handle = axum_server::Handle::new();
    let server = axum_server::Server::from_tcp(listener).handle(handle.clone());
    let rt = runtime.handle().clone();
    let thread = match cert {
        Some(cert) => {
            let config = RustlsConfig::from_config(Arc::new(tls::server_config(&cert)?));
            // TCP_NODELAY: a response written in pieces otherwise waits for
            // the client's delayed ACK, 40 ms on every request.
            let acceptor = RustlsAcceptor::new(config).handshake_timeout(opts.header_timeout).acceptor(NoDelayAcceptor);
            let server = configure(server.acceptor(acceptor), &opts);
            spawn(runtime, async move { server.serve(app.into_make_service()).await })
        }
        None => {
            let server = configure(server.acceptor(NoDelayAcceptor), &opts);
            spawn(runtime, async move { server.serve(app.into_make_service()).await })
        }
    }?;
    tracing::info!(%addr, tls = opts.tls, fingerprint = fingerprint.as_deref().unwrap_or("-"), "hub listening");
    Ok(Hub { addr, fingerprint, handle, runtime: rt, grace: opts.shutdown_grace, thread: Some(thread) })
}

fn configure<A>(mut server: axum_server::Server<A>, opts: &HubOptions) -> axum_server::Server<A> {
    server
        .http_builder()
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(opts.header_timeout)
        .max_buf_size(opts.max_header_bytes);
    server
}

fn spawn(
    runtime: tokio::runtime::Runtime,
    serving: impl Future<Output = std::io::Result<()>> + Send + 'static,
) -> Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("hub".into())
        .spawn(move || {
            if let Err(e) = runtime.block_on(serving) {
                tracing::error!("hub stopped: {e}");
            }
            // Dropping the runtime waits for merges still running on its
            // blocking threads: a batch commits whole or not at all.
            drop(runtime);
            tracing::info!("hub stopped");
        })
        .map_err(|e| Error::Sync(format!("cannot start the hub's thread: {e}")))
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The headers the request handling reads (the signature's), as text; a
/// header that is not text is left out, which fails the signature.
fn signed_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    ["x-kizuna-office", "x-kizuna-time", "x-kizuna-nonce", "x-kizuna-signature"]
        .into_iter()
        .filter_map(|name| header(headers, name).map(|v| (name.to_string(), v.to_string())))
        .collect()
}

fn too_large(max: u64) -> HubResponse {
    HubResponse::refusal(413, &Error::Rejected(format!("request body larger than {max} bytes")))
}

async fn answer(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let max = shared.opts.max_body;
    let declared = header(&parts.headers, "content-length").and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max) {
        return into_response(too_large(max));
    }
    let limited = Limited::new(body, usize::try_from(max).unwrap_or(usize::MAX));
    let body = match tokio::time::timeout(shared.opts.body_timeout, limited.collect()).await {
        Err(_) => {
            let secs = shared.opts.body_timeout.as_secs_f64();
            return into_response(HubResponse::refusal(
                408,
                &Error::Rejected(format!("request body not received within {secs} s")),
            ));
        }
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => return into_response(too_large(max)),
        Ok(Err(e)) => {
            return into_response(HubResponse::refusal(400, &Error::Rejected(format!("request body unreadable: {e}"))));
        }
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    let worker = shared.clone();
    let handled = tokio::task::spawn_blocking(move || {
        let mut store = worker.store.lock().unwrap_or_else(|p| p.into_inner());
        let req = HubRequest {
            method: parts.method.as_str().to_string(),
            path: parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string(),
            headers: signed_headers(&parts.headers),
            body: Vec::from(body),
        };
        requests::handle(&mut store, &req, &worker.opts)
    })
    .await;
    into_response(handled.unwrap_or_else(|e| HubResponse::refusal(500, &Error::Sync(format!("hub task failed: {e}")))))
}

fn into_response(r: HubResponse) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = (status, [(header::CONTENT_TYPE, r.content_type)], Body::from(r.body)).into_response();
    resp.extensions_mut().insert(Outcome { office: r.office, entries: r.entries, refusal: r.refusal });
    resp
}

/// One line per request: office, route, status, entries, duration; a
/// refusal at warn level with its reason.
async fn log_request(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = format!("{} {}", req.method(), req.uri().path());
    let resp = next.run(req).await;
    let ms = started.elapsed().as_millis() as u64;
    let status = resp.status().as_u16();
    let outcome = resp.extensions().get::<Outcome>().cloned();
    let office = outcome.as_ref().and_then(|o| o.office.clone()).unwrap_or_else(|| "-".into());
    let entries = outcome.as_ref().map_or(0, |o| o.entries);
    match outcome.and_then(|o| o.refusal) {
        None if status < 400 => tracing::info!(%office, %route, status, entries, duration_ms = ms, "request"),
        reason => {
            let reason = reason.unwrap_or_else(|| status_reason(status));
            tracing::warn!(%office, %route, status, duration_ms = ms, %reason, "request refused")
        }
    }
    resp
}

fn status_reason(status: u16) -> String {
    StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("error").to_string()
}
