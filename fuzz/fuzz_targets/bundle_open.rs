//! Fuzzes the bundle decoder (`bundle::open`): signature, manifest, payload,
//! names and feeds. See `harness.rs` for the input format.
#![no_main]

#[path = "../harness.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    harness::with_hq(|hq| {
        let _ = harness::open_bundle(hq, data);
    });
});
