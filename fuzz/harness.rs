//! The fuzz targets' harness, shared with the corpus replay in `tests/sync`
//! (included there by path), so both read inputs the same way.
//!
//! - bundle_open: the first byte chooses the mode. 0: the rest is a whole
//!   bundle, given to `bundle::open` as it is. Otherwise: the rest is a
//!   payload, sealed with HQ's key into a valid bundle first, so inputs
//!   reach the payload parser and the feed checks behind the signature.
//! - hub_request: the first byte's low bit signs the request as an enrolled
//!   office (with a fresh nonce), so inputs reach the routes behind the
//!   signature check. Then `METHOD\nPATH\n`, header lines `name: value`, an
//!   empty line, and the body.

#![allow(dead_code)]

use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;
use kizuna_core::error::Error;
use kizuna_core::sync::requests::{self, HubRequest, HubResponse};
use kizuna_core::sync::{HubOptions, Invite, bundle, keys, nonce};

pub struct Hq {
    pub dir: tempfile::TempDir,
    pub k: Kizuna,
    pub id: keys::Identity,
    pub office: keys::Identity,
}

/// Runs `f` with this thread's HQ, made on first use: a fuzzer calls its
/// target millions of times, and making HQ costs far more than one input.
pub fn with_hq<R>(f: impl FnOnce(&mut Hq) -> R) -> R {
    thread_local! {
        static HQ: std::cell::RefCell<Option<Hq>> = const { std::cell::RefCell::new(None) };
    }
    HQ.with(|cell| f(cell.borrow_mut().get_or_insert_with(hq)))
}

/// HQ (seeded) with an enrolled office, Tono, whose key signs requests.
pub fn hq() -> Hq {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut k = Kizuna::init(dir.path(), &InitOptions { office: Some("tokyo".into()), empty: None }).expect("init hq");
    let sealed = k.office_invite("tono").expect("invite");
    let inv = Invite::open(&sealed.bytes, &sealed.passphrase).expect("invite opens");
    let id = keys::identity(k.store().conn(), "tokyo").expect("identity").expect("hq has a key");
    let secret: [u8; 32] = hex::decode(&inv.secret_key).expect("hex").try_into().expect("32 bytes");
    let office = keys::Identity {
        office: "tono".into(),
        key: ed25519_dalek::SigningKey::from_bytes(&secret),
        network: inv.cert.network.clone(),
    };
    Hq { dir, k, id, office }
}

/// Opens a fuzzed bundle (see the module docs). Writes nothing.
pub fn open_bundle(hq: &Hq, data: &[u8]) -> Result<(), Error> {
    let conn = hq.k.store().conn();
    match data.split_first() {
        Some((0, rest)) => bundle::open(conn, &hq.id, rest).map(|_| ()),
        Some((_, payload)) => {
            let certs = keys::certs(conn)?;
            let sealed = bundle::seal_payload(&hq.id, certs, vec![], payload.to_vec(), 1, 0, 1, false)?;
            bundle::open(conn, &hq.id, &sealed).map(|_| ())
        }
        None => bundle::open(conn, &hq.id, data).map(|_| ()),
    }
}

/// Parses a fuzzed request (see the module docs).
pub fn parse_request(hq: &Hq, data: &[u8]) -> HubRequest {
    let (flags, rest) = data.split_first().map_or((0, data), |(f, r)| (*f, r));
    let mut lines = rest.splitn(3, |b| *b == b'\n');
    let text = |b: Option<&[u8]>| String::from_utf8_lossy(b.unwrap_or_default()).into_owned();
    let method = text(lines.next());
    let path = text(lines.next());
    let rest = lines.next().unwrap_or_default();
    let (head, body) = match rest.windows(2).position(|w| w == b"\n\n") {
        Some(i) => (&rest[..i], &rest[i + 2..]),
        None => (rest, &[][..]),
    };
    let mut headers: Vec<(String, String)> = String::from_utf8_lossy(head)
        .lines()
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())))
        .collect();
    if flags & 1 == 1 {
        use ed25519_dalek::Signer;
        let time = kizuna_core::hlc::system_millis();
        let n = nonce::fresh().unwrap_or_else(|_| "00000000000000000000000000000000".into());
        let sig = hq.office.key.sign(requests::request_text(&method, &path, time, &n, body).as_bytes());
        headers.push(("x-kizuna-office".into(), hq.office.office.clone()));
        headers.push(("x-kizuna-time".into(), time.to_string()));
        headers.push(("x-kizuna-nonce".into(), n));
        headers.push(("x-kizuna-signature".into(), hex::encode(sig.to_bytes())));
    }
    HubRequest { method, path, headers, body: body.to_vec() }
}

/// Handles a fuzzed request at the hub, as the HTTP layer would.
pub fn request(hq: &mut Hq, data: &[u8]) -> HubResponse {
    let req = parse_request(hq, data);
    requests::handle(hq.k.store_mut(), &req, &HubOptions { max_body: 1 << 20, ..HubOptions::default() })
}
