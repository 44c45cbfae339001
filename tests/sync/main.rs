//! Sync between replicas, through the core API: merge properties, trust and
//! tamper checks, the hub over loopback HTTPS and its transport limits, and the convergence property
//! test (four replicas plus the hub).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

mod convergence;
mod fuzz_corpus;
mod hub;
mod invite;
mod matching;
mod net;
mod origins;
mod rights;
mod tamper;
mod transport;
mod trust;
