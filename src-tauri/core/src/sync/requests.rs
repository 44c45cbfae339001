//! The hub's request handling as a plain function: method, path, headers
//! and body in, status, body and content type out, with no sockets, so the
//! HTTP layer around it can change and a fuzzer can call it directly.
//!
//! Every request is signed by the office's key over method, path with
//! query, time, nonce and the body's SHA-256 ([`request_text`]). An unknown
//! office, a bad signature, a time outside the window or a nonce seen before
//! gets 401; a malformed or hostile bundle 400; neither writes anything
//! (beyond remembering an accepted request's nonce).

use ed25519_dalek::Verifier;
use sha2::{Digest as _, Sha256};

use crate::error::{Error, Result};
use crate::store::Store;
use crate::sync::bundle;
use crate::sync::exchange::{CallerHolds, PAGE, PULL_PAGE_BYTES};
use crate::sync::exchange::{commit, identity_of, max_seq, read_log, set_received, sign_own};
use crate::sync::hub::{digest, digest_upto};
use crate::sync::keys;
use crate::sync::nonce;
use crate::sync::server::HubOptions;

/// Signed requests older or newer than this are refused; within it, a
/// request's nonce is remembered, so a replay is refused too.
pub const REQUEST_WINDOW_MS: i64 = 10 * 60 * 1000;

/// A request as the HTTP layer received it (body already read and bounded).
#[derive(Debug, Clone, Default)]
pub struct HubRequest {
    pub method: String,
    /// Path with query, as signed: `/v1/pull?since=0&limit=5`.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The hub's answer, with what its log line needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubResponse {
    pub status: u16,
    pub body: Vec<u8>,
    pub content_type: &'static str,
    /// The office whose signature verified, if one did.
    pub office: Option<String>,
    /// Entries pushed or pulled.
    pub entries: u64,
    /// Why the request was refused, for the log.
    pub refusal: Option<String>,
}

impl HubResponse {
    /// A refusal with `status` and the error as JSON (`{"error": {...}}`).
    pub fn refusal(status: u16, e: &Error) -> HubResponse {
        HubResponse {
            status,
            body: error_body(e),
            content_type: "application/json",
            office: None,
            entries: 0,
            refusal: Some(e.to_string()),
        }
    }
}

impl HubRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// What a request's signature covers.
pub fn request_text(method: &str, path: &str, time: i64, nonce: &str, body: &[u8]) -> String {
    format!("kizuna-request 2\n{method}\n{path}\n{time}\n{nonce}\n{}", hex::encode(Sha256::digest(body)))
}

/// The JSON body of an error response, as the client reads it.
pub fn error_body(e: &Error) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "error": e.to_api() })).unwrap_or_default()
}

/// Handles one request against the hub's replica (its store: the protocol
/// needs nothing of the API above it).
pub fn handle(store: &mut Store, req: &HubRequest, opts: &HubOptions) -> HubResponse {
    if req.body.len() as u64 > opts.max_body {
        let e = Error::Rejected(format!("request body larger than {} bytes", opts.max_body));
        return HubResponse::refusal(413, &e);
    }
    let mut office = None;
    match route(store, req, opts, &mut office) {
        Ok((body, content_type, entries)) => {
            HubResponse { status: 200, body, content_type, office, entries, refusal: None }
        }
        Err(e) => {
            let status = match e {
                Error::Unauthorized(_) => 401,
                Error::Rejected(_) | Error::Invalid { .. } => 400,
                _ => 500,
            };
            HubResponse { office, ..HubResponse::refusal(status, &e) }
        }
    }
}

fn authenticate(store: &mut Store, req: &HubRequest) -> Result<String> {
    let unsigned = || Error::Unauthorized("unsigned request".into());
    let office = req.header("x-kizuna-office").ok_or_else(unsigned)?.to_string();
    let time: i64 = req
        .header("x-kizuna-time")
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| Error::Unauthorized("request without a valid time".into()))?;
    let nonce = req.header("x-kizuna-nonce").ok_or_else(|| Error::Unauthorized("request without a nonce".into()))?;
    nonce::check_form(nonce)?;
    let sig = req.header("x-kizuna-signature").ok_or_else(unsigned)?;
    let sig = keys::parse_signature(sig).map_err(|_| Error::Unauthorized("malformed request signature".into()))?;
    let key = keys::office_key(store.conn(), &office)?
        .ok_or_else(|| Error::Unauthorized(format!("office '{office}' is not enrolled at this hub")))?;
    let now = crate::hlc::system_millis();
    if now.saturating_sub(time).saturating_abs() > REQUEST_WINDOW_MS {
        return Err(Error::Unauthorized("request time too far from the hub's clock (replayed or clock wrong)".into()));
    }
    key.verify(request_text(&req.method, &req.path, time, nonce, &req.body).as_bytes(), &sig)
        .map_err(|_| Error::Unauthorized(format!("request signature does not match office '{office}'")))?;
    // Kept until the request's own time leaves the window.
    nonce::remember(store, &office, nonce, time.saturating_add(REQUEST_WINDOW_MS))?;
    Ok(office)
}

fn query_param(url: &str, name: &str) -> Option<i64> {
    let q = url.split_once('?')?.1;
    q.split('&').find_map(|kv| kv.split_once('=').filter(|(k, _)| *k == name).and_then(|(_, v)| v.parse().ok()))
}

fn route(
    store: &mut Store,
    req: &HubRequest,
    opts: &HubOptions,
    caller: &mut Option<String>,
) -> Result<(Vec<u8>, &'static str, u64)> {
    let path = req.path.split('?').next().unwrap_or("");
    let method = req.method.as_str();
    if !matches!((method, path), ("POST", "/v1/push") | ("GET", "/v1/pull") | ("GET", "/v1/digest")) {
        let shown: String = format!("{method} {path}").chars().take(100).collect();
        return Err(Error::Rejected(format!("no such route: {shown}")));
    }
    let office = authenticate(store, req)?;
    *caller = Some(office.clone());
    match path {
        "/v1/push" => {
            let id = identity_of(store)?;
            let opened = bundle::open(store.conn(), &id, &req.body)?;
            if opened.manifest.from != office {
                return Err(Error::Unauthorized(format!(
                    "bundle signed by '{}' pushed by '{office}'",
                    opened.manifest.from
                )));
            }
            let entries = opened.entries.len() as u64;
            tracing::info!(office = %office, entries, bytes = req.body.len(), "push received, merging");
            let peer = format!("office:{office}");
            let report = commit(store, opened, &opts.config, "hub", |w, m, _| set_received(w, &peer, m.upto_seq))?;
            Ok((serde_json::to_vec(&report).map_err(|e| Error::Sync(e.to_string()))?, "application/json", entries))
        }
        "/v1/pull" => {
            let since = query_param(&req.path, "since").unwrap_or(0).max(0);
            let limit = query_param(&req.path, "limit").unwrap_or(PAGE as i64).clamp(1, PAGE as i64) as usize;
            let id = identity_of(store)?;
            sign_own(store, &id, limit)?;
            // What the caller says it holds of its own feed: it can only
            // keep its own entries from itself.
            let holds = match (query_param(&req.path, "own_feed"), query_param(&req.path, "own_fseq")) {
                (Some(feed), Some(fseq)) => Some(CallerHolds { office: &office, feed, fseq }),
                _ => None,
            };
            let page = read_log(store.conn(), &id.office, holds, since, limit, PULL_PAGE_BYTES)?;
            let more = page.upto < max_seq(store.conn())?;
            let certs = keys::certs(store.conn())?;
            let bytes =
                bundle::seal_payload(&id, certs, page.heads, page.payload, page.entries, since, page.upto, more)?;
            Ok((bytes, "application/octet-stream", page.entries as u64))
        }
        _ => Ok((
            // `upto`: the position the caller's last pull ended at, so that
            // what others pushed since does not count (see `digest_upto`).
            serde_json::to_vec(&match query_param(&req.path, "upto") {
                Some(upto) => digest_upto(store.conn(), upto)?,
                None => digest(store.conn())?,
            })
            .map_err(|e| Error::Sync(e.to_string()))?,
            "application/json",
            0,
        )),
    }
}
