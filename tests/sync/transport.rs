//! The hub's transport over real sockets on 127.0.0.1:0: the pinned
//! certificate, plain HTTP kept to loopback, and what no client may do to
//! the hub (stall it, flood it with idle connections, send huge heads or
//! bodies).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use kizuna_core::sync::{self, HubOptions, SyncConfig};

use crate::net::*;

const DEADLINE: Duration = Duration::from_secs(60);

fn serve(r: &Replica, opts: HubOptions) -> sync::Hub {
    sync::serve(r.dir.path(), "127.0.0.1:0", opts).expect("serve")
}

fn plain() -> HubOptions {
    HubOptions { tls: false, max_body: 1 << 20, ..HubOptions::default() }
}

fn sync_ok(r: &mut Replica, url: &str) -> sync::HubSyncReport {
    r.k.sync_with_hub(url, &SyncConfig::default(), &mut |_| {}).expect("sync")
}

/// Reads what the hub sends on `s` until it closes the connection or
/// `until` holds of what was read, up to the deadline.
fn read_answer(s: &mut TcpStream, until: impl Fn(&str) -> bool) -> String {
    let started = Instant::now();
    s.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while started.elapsed() < DEADLINE {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
        if until(&String::from_utf8_lossy(&got)) {
            break;
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

fn status_line(answer: &str) -> &str {
    answer.lines().next().unwrap_or("")
}

#[test]
fn https_sync_trusts_the_invited_certificate_and_refuses_any_other() {
    let mut hq = hq();
    let inv = hq.k.office_invite("tono").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut tono = Replica { k: kizuna_core::Kizuna::join(dir.path(), &inv.bytes, &inv.passphrase).unwrap(), dir };
    let hub = serve(&hq, HubOptions::default());
    assert!(hub.url().starts_with("https://127.0.0.1:"), "{}", hub.url());
    assert_eq!(inv.hub_fingerprint.as_deref(), hub.fingerprint(), "the invite pins this hub's certificate");
    assert!(sync_ok(&mut tono, &hub.url()).digests_match);
    assert_eq!(dump(&tono), dump(&hq));

    // An impostor hub (another HQ's folder, so another certificate) on the
    // same machine: refused before any request is sent, nothing changes.
    let impostor = crate::net::hq();
    let fake = serve(&impostor, HubOptions::default());
    assert_ne!(fake.fingerprint(), hub.fingerprint());
    add_site(&mut tono, "t1", "Tono 1");
    let before = dump(&tono);
    let e = tono.k.sync_with_hub(&fake.url(), &SyncConfig::default(), &mut |_| {}).unwrap_err();
    assert_eq!(e.code(), "unauthorized", "{e}");
    assert!(e.to_string().contains("fingerprint"), "{e}");
    assert!(e.to_string().contains(fake.fingerprint().unwrap()), "names what it saw: {e}");
    assert_eq!(dump(&tono), before);
    assert!(tono.k.sync_status().unwrap().unsent_changes > 0, "nothing marked as sent");
    // The real hub still gets it.
    assert_eq!(sync_ok(&mut tono, &hub.url()).pushed, 1);
    fake.stop();
    hub.stop();
}

#[test]
fn plain_http_to_a_non_loopback_address_is_refused_before_connecting() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    for url in ["http://10.20.30.40:7878", "http://192.168.1.5", "http://hq.example.org:7878/"] {
        let started = Instant::now();
        let e = tono.k.sync_with_hub(url, &SyncConfig::default(), &mut |_| {}).unwrap_err();
        assert_eq!(e.code(), "invalid_input", "{url}: {e}");
        assert!(e.to_string().contains("https://"), "says what to use instead: {e}");
        assert!(started.elapsed() < Duration::from_secs(5), "refused without trying the network: {url}");
    }
    for url in ["ftp://127.0.0.1:21", "127.0.0.1:7878", "https://", "https://hq.example/sync"] {
        let e = tono.k.sync_with_hub(url, &SyncConfig::default(), &mut |_| {}).unwrap_err();
        assert_eq!(e.code(), "invalid_input", "{url}: {e}");
    }
    // Loopback stays allowed, for tests.
    let hub = serve(&hq, plain());
    assert!(hub.url().starts_with("http://127.0.0.1:"));
    assert!(sync_ok(&mut tono, &hub.url()).digests_match);
    hub.stop();
    // And the hub will not serve plain HTTP on a network address.
    let e = sync::serve(hq.dir.path(), "0.0.0.0:0", plain()).err().expect("plain HTTP on 0.0.0.0 refused");
    assert_eq!(e.code(), "invalid_input", "{e}");
}

#[test]
fn a_stalled_request_delays_no_other_office_and_times_out() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let mut sendai = join(&mut hq, "sendai");
    let hub = serve(&hq, HubOptions { body_timeout: Duration::from_secs(2), ..plain() });
    let addr = hub.addr();
    sync_ok(&mut tono, &hub.url());

    // A head announcing 5000 bytes, then 10 of them, then nothing.
    let mut stalled = TcpStream::connect(addr).unwrap();
    stalled.write_all(b"POST /v1/push HTTP/1.1\r\nHost: hub\r\nContent-Length: 5000\r\n\r\n0123456789").unwrap();
    // Several offices sync meanwhile; none waits for the stalled one.
    add_site(&mut tono, "t1", "Tono 1");
    assert!(sync_ok(&mut tono, &hub.url()).digests_match);
    assert!(sync_ok(&mut sendai, &hub.url()).digests_match);
    assert_eq!(cell(&sendai, "t1", "name"), text("Tono 1"));
    // The stalled request is answered 408 once its time is up, and closed.
    let answer = read_answer(&mut stalled, |a| a.contains("not received within"));
    assert!(status_line(&answer).contains(" 408 "), "{answer}");
    assert!(answer.contains("not received within"), "{answer}");
    hub.stop();
}

#[test]
fn oversized_heads_and_bodies_are_refused_without_reading_them() {
    let hq = hq();
    let hub = serve(&hq, plain());
    let addr = hub.addr();
    let before = dump(&hq);

    // A 100 KB header line.
    let mut s = TcpStream::connect(addr).unwrap();
    let huge = "a".repeat(100 * 1024);
    let _ = s.write_all(format!("GET /v1/digest HTTP/1.1\r\nHost: hub\r\nX-Big: {huge}\r\n\r\n").as_bytes());
    let answer = read_answer(&mut s, |a| a.contains("\r\n\r\n"));
    assert!(status_line(&answer).contains(" 431 "), "{answer}");

    // A body announced at 100 MB: refused at once, before a byte of it.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"POST /v1/push HTTP/1.1\r\nHost: hub\r\nContent-Length: 100000000\r\n\r\n").unwrap();
    let answer = read_answer(&mut s, |a| a.contains("1048576 bytes"));
    assert!(status_line(&answer).contains(" 413 "), "{answer}");
    assert!(answer.contains("larger than 1048576 bytes"), "{answer}");

    // A chunked body that grows past the limit: cut off at the limit.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"POST /v1/push HTTP/1.1\r\nHost: hub\r\nTransfer-Encoding: chunked\r\n\r\n").unwrap();
    let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
    for _ in 0..20 {
        if s.write_all(chunk.as_bytes()).is_err() {
            break;
        }
    }
    let answer = read_answer(&mut s, |a| a.contains("\r\n\r\n"));
    assert!(status_line(&answer).contains(" 413 "), "{answer}");
    assert_eq!(dump(&hq), before);
    hub.stop();
}

#[test]
fn a_thousand_idle_connections_do_not_stop_service_and_are_closed() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let hub = serve(&hq, HubOptions { header_timeout: Duration::from_secs(2), ..HubOptions::default() });
    let mut idle: Vec<TcpStream> = (0..1000).map(|_| TcpStream::connect(hub.addr()).expect("connect")).collect();
    // While all of them are open, an office syncs.
    add_site(&mut tono, "t1", "Tono 1");
    let r = sync_ok(&mut tono, &hub.url());
    assert!(r.digests_match && r.pushed == 1, "{r:?}");
    // The hub drops every connection that never sent a handshake.
    let started = Instant::now();
    for (i, s) in idle.iter_mut().enumerate() {
        let remaining = DEADLINE.saturating_sub(started.elapsed()).max(Duration::from_millis(10));
        s.set_read_timeout(Some(remaining)).unwrap();
        let mut buf = [0u8; 64];
        match s.read(&mut buf) {
            // Closed (0 bytes) or an alert before closing: either way, not held open.
            Ok(_n) => {}
            Err(e) => assert!(
                !matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut),
                "idle connection {i} still open after {:?}",
                started.elapsed()
            ),
        }
    }
    // And the hub still serves.
    add_site(&mut tono, "t2", "Tono 2");
    assert_eq!(sync_ok(&mut tono, &hub.url()).pushed, 1);
    hub.stop();
}
