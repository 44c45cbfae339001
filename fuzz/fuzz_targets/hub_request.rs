//! Fuzzes the hub's request handling (`sync::requests::handle`): routes,
//! signatures, nonces, pushes and pulls, without sockets. See `harness.rs`.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::with_hq(|hq| {
        let r = harness::request(hq, data);
        assert!(matches!(r.status, 200 | 400 | 401 | 413), "unexpected status {}", r.status);
    });
});
