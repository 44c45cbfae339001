//! Fuzzes the hub's request handling (`sync::requests::handle`): routes,
//! signatures, nonces, pushes and pulls, without sockets. See `harness.rs`.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;

thread_local! {
    static HQ: RefCell<Option<harness::Hq>> = const { RefCell::new(None) };
}

fuzz_target!(|data: &[u8]| {
    HQ.with(|hq| {
        let mut hq = hq.borrow_mut();
        let hq = hq.get_or_insert_with(harness::hq);
        let r = harness::request(hq, data);
        assert!(matches!(r.status, 200 | 400 | 401 | 413), "unexpected status {}", r.status);
    });
});
