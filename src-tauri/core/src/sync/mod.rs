//! Offline sync between the field offices and HQ.
//!
//! # Merge rule
//! Every write appends one entry per written row to `change_log`: the cells
//! it set, stamped with one hybrid logical clock value and the origin office.
//! A cell's value is the one from the entry with the highest `(hlc, origin)`
//! (origin compared as bytes) among the row's entries that carry the cell;
//! merging is a set union of logs followed by that choice, so applying
//! entries in any order, grouping or number of times gives the same state,
//! and concurrent edits to different cells of one row all survive. Two
//! copies of one entry (same row, stamp and origin) with different cells,
//! which only a log converted from the per-cell form can produce, are united.
//! The batched merge is in `store::merge`, the single-entry reference in
//! `Writer::apply`.
//!
//! # Deletes
//! A delete is the `deleted` cell set to 1: a last-writer-wins tombstone like
//! any other cell. Edits to other cells never touch `deleted`, so an edit
//! made concurrently with (or after) a delete is merged into the hidden row
//! but never brings it back. A removed record is restored (`Writer::restore`,
//! `kizuna removed restore`) by an explicit `deleted = 0` change that wins or
//! loses against the tombstone by the same rule.
//!
//! # Rights, validation, held deletes
//! See [`rights`]: each table is HQ-only or shared (declared in the schema
//! registry); an arriving entry outside its origin's rights, or with a cell
//! that breaks its column's rule, is refused alone (the rest of its bundle
//! merges), never applied or relayed, and listed by `sync status`. A batch
//! deleting many rows created by other offices is held for HQ's review.
//!
//! # Clock
//! The HLC never goes backwards and, after a merge, exceeds every stamp
//! merged. A change stamped more than [`SyncConfig::max_future_ms`] ahead of
//! the local wall clock is held in `sync_quarantine`, reported by
//! [`Kizuna::sync_status`], not applied and not observed by the clock; it is
//! released by a later sync once the clock has caught up.
//!
//! # Trust
//! See [`keys`]: HQ's key signs each office's enrolment certificate; bundles
//! and hub requests are signed by the sender's office key (requests with a
//! nonce, see [`nonce`]); changes are accepted only from enrolled origins,
//! and "seed" changes only if they are exactly the embedded seed data set.
//! Who wrote each change is proved apart from who carried it: see [`feed`]
//! (each office's entries chained and signed in its own feed, so no office
//! or relay can create or alter another office's changes). A joining office is created empty and
//! receives everything, seed included, from HQ; since seed rows have fixed
//! ids and stamps, a replica that seeded itself holds the same changes and
//! merging never duplicates them.
//!
//! # Transports
//! [`bundle`] is the signed file format; [`sealed`] the passphrase-sealed
//! invite file; [`exchange`] exports and imports it;
//! [`hub`] is the protocol that carries the same bundles over HTTPS,
//! [`requests`] its request handling as a plain function, served by
//! [`server`] (axum) and spoken by [`client`] (hyper), with the hub's
//! certificate pinned through the invite ([`tls`]). Unknown tables and
//! columns are parked (see `store::merge`) and replayed after an upgrade.

pub mod auto;
pub mod bundle;
pub mod client;
pub mod exchange;
pub mod feed;
pub mod hub;
pub mod keys;
pub mod nonce;
pub mod requests;
pub mod rights;
pub mod sealed;
pub mod server;
pub mod status;
pub mod tls;

pub use auto::AutoSync;
pub use client::check_hub_url;
pub use exchange::{DEFAULT_MAX_FUTURE_MS, ExportReport, ImportReport, SyncConfig};
pub use hub::{HubSyncReport, LogDigest, SyncProgress, SyncStage};
pub use keys::Invite;
pub use rights::{HeldBatch, RefusedChange};
pub use sealed::SealedInvite;
pub use server::{Hub, HubOptions, serve};
pub use status::{OverwrittenValue, PeerSync, QuarantinedChange, SyncStatus};
