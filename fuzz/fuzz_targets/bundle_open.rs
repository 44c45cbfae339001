//! Fuzzes the bundle decoder (`bundle::open`): signature, manifest, payload,
//! names and feeds. See `harness.rs` for the input format.
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
        let _ = harness::open_bundle(hq, data);
    });
});
