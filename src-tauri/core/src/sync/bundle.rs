//! The signed change bundle: the one format both transports carry (a USB
//! file, or the body of a hub request or response).
//!
//! ```text
//! kizuna-bundle 2\n
//! {manifest JSON}\n
//! {Ed25519 signature of the two lines above, hex}\n
//! {payload: JSON array of change-log entries [table, row_id, hlc, origin, {column: value, ...}, feed, fseq]}
//! ```
//!
//! The manifest names the signing office, carries the enrolment certificates
//! the receiver may need, and states the payload's length and SHA-256, so the
//! signature covers every byte. [`open`] checks all of it, and every name and
//! value, before the caller writes anything. Version 2 carries one entry per
//! (write, row) whose cells object is the log's own `cells` text, copied
//! into the payload as it is stored. Version 3 adds each entry's place in its
//! origin's feed (null for seed entries and entries HQ relays from before
//! feeds) and, in the manifest, the signed heads that vouch for them (see
//! [`crate::sync::feed`]): the bundle's own signature says who carried it,
//! the heads say who wrote what.

use std::collections::{HashMap, HashSet};
use std::io::Write as _;
use std::sync::OnceLock;

use ed25519_dalek::{Signer, Verifier};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::seed::SEED_ORIGIN;
use crate::store::{CellValue, Cells, Entry, Store, Verdict, check_entry, parse_cells, write_cells_json};
use crate::sync::feed::{self, FeedPos, Head};
use crate::sync::keys::{self, Cert, Identity};

pub const MAGIC: &str = "kizuna-bundle 3";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// The office whose key signed this bundle.
    pub from: String,
    pub network: String,
    pub created_at: i64,
    /// The signer's change-log positions this bundle covers: (from_seq, upto_seq].
    pub from_seq: i64,
    pub upto_seq: i64,
    /// More entries follow in a later page (hub pulls).
    pub more: bool,
    pub entries: u64,
    pub payload_bytes: u64,
    pub payload_sha256: String,
    pub certs: Vec<Cert>,
    /// The signed head at the end of each feed's run in the payload.
    pub heads: Vec<Head>,
}

#[derive(Deserialize)]
struct WireEntry(String, String, i64, String, Cells, Option<i64>, Option<i64>);

/// Appends one entry to a payload being built (`[` and commas are the
/// caller's): `cells` is a JSON object, as the log stores it; `pos` the
/// entry's (feed, position) in its origin's feed.
pub(crate) fn push_entry(
    out: &mut Vec<u8>,
    table: &str,
    row_id: &str,
    hlc: i64,
    origin: &str,
    cells: &[u8],
    pos: Option<(i64, i64)>,
) {
    // Serialising a str into a Vec cannot fail.
    out.push(b'[');
    let _ = serde_json::to_writer(&mut *out, table);
    out.push(b',');
    let _ = serde_json::to_writer(&mut *out, row_id);
    out.push(b',');
    // Written in place: a hub page formats these for every entry it holds.
    let _ = write!(out, "{hlc}");
    out.push(b',');
    let _ = serde_json::to_writer(&mut *out, origin);
    out.push(b',');
    out.extend_from_slice(cells);
    match pos {
        Some((feed, fseq)) => {
            let _ = write!(out, ",{feed},{fseq}]");
        }
        None => out.extend_from_slice(b",null,null]"),
    }
}

/// Writes `entries` (in log order) as a bundle signed by `id`, none of them
/// in a feed: only HQ's bundles may carry such entries (and seed entries).
pub fn seal(
    id: &Identity,
    certs: Vec<Cert>,
    entries: &[Entry],
    from_seq: i64,
    upto_seq: i64,
    more: bool,
) -> Result<Vec<u8>> {
    let mut payload = vec![b'['];
    let mut cells = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if i > 0 {
            payload.push(b',');
        }
        cells.clear();
        write_cells_json(&mut cells, e.cells.iter().map(|(c, v)| (c.as_str(), v)));
        push_entry(&mut payload, &e.table, &e.row_id, e.hlc.0, &e.origin, &cells, None);
    }
    payload.push(b']');
    seal_payload(id, certs, Vec::new(), payload, entries.len() as u64, from_seq, upto_seq, more)
}

/// Signs a payload built with [`push_entry`] (`entries` of them, in a JSON
/// array), carrying `heads` for the feeds in it. Public for tools and tests
/// that build payloads themselves; it checks nothing.
#[allow(clippy::too_many_arguments)]
pub fn seal_payload(
    id: &Identity,
    certs: Vec<Cert>,
    heads: Vec<Head>,
    payload: Vec<u8>,
    entries: u64,
    from_seq: i64,
    upto_seq: i64,
    more: bool,
) -> Result<Vec<u8>> {
    let manifest = Manifest {
        from: id.office.clone(),
        network: id.network.clone(),
        created_at: crate::hlc::system_millis(),
        from_seq,
        upto_seq,
        more,
        entries,
        payload_bytes: payload.len() as u64,
        payload_sha256: hex::encode(Sha256::digest(&payload)),
        certs,
        heads,
    };
    let head = format!("{MAGIC}\n{}", serde_json::to_string(&manifest).map_err(|e| Error::Sync(e.to_string()))?);
    let sig = hex::encode(id.key.sign(head.as_bytes()).to_bytes());
    let mut out = Vec::with_capacity(head.len() + sig.len() + payload.len() + 2);
    out.extend_from_slice(head.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(sig.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(&payload);
    Ok(out)
}

/// A bundle whose signature, digest, names and origins all checked out.
#[derive(Debug)]
pub struct Opened {
    pub manifest: Manifest,
    pub entries: Vec<Entry>,
    /// [`check_entry`]'s verdict on each entry, in the same order.
    pub verdicts: Vec<Verdict>,
    /// Each entry's verified place in its origin's feed (None: seed, or
    /// HQ-relayed from before feeds).
    pub feeds: Vec<Option<FeedPos>>,
    /// Verified heads to store with the batch.
    pub heads: Vec<Head>,
    /// Entries left out: their feed's run does not connect to what this
    /// replica holds (an earlier incremental bundle is missing).
    pub held_back: u64,
    /// Entries left out because this replica already holds them (a hub
    /// relays an office's own entries back to it).
    pub already_held: u64,
    /// Certificates (verified) to record with the batch.
    pub certs: Vec<Cert>,
}

impl Opened {
    /// Every entry the bundle or page carried: those to merge, those held
    /// back and those this replica already holds.
    pub fn carried(&self) -> u64 {
        self.entries.len() as u64 + self.held_back + self.already_held
    }
}

fn line(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let rest = bytes.get(from..)?;
    let n = rest.iter().position(|b| *b == b'\n')?;
    Some((from, from + n))
}

/// Verifies a bundle against this replica's network. Writes nothing.
pub fn open(conn: &Connection, id: &Identity, bytes: &[u8]) -> Result<Opened> {
    let bad = |m: &str| Error::Rejected(format!("bundle rejected: {m}"));
    let (_, m_end) = line(bytes, 0).ok_or_else(|| bad("not a Kizuna sync bundle"))?;
    if &bytes[..m_end] != MAGIC.as_bytes() {
        return Err(bad("not a Kizuna sync bundle (or an unsupported version)"));
    }
    let (h0, h1) = line(bytes, m_end + 1).ok_or_else(|| bad("truncated before the end of its manifest"))?;
    let (s0, s1) = line(bytes, h1 + 1).ok_or_else(|| bad("truncated before the end of its signature"))?;
    let manifest: Manifest =
        serde_json::from_slice(&bytes[h0..h1]).map_err(|e| bad(&format!("manifest unreadable: {e}")))?;
    let sig_text = std::str::from_utf8(&bytes[s0..s1]).map_err(|_| bad("signature unreadable"))?;
    let sig = keys::parse_signature(sig_text).map_err(|_| bad("signature unreadable"))?;
    if manifest.network != id.network {
        return Err(Error::Unauthorized("bundle comes from another network (a different HQ key)".into()));
    }
    // Offices known here plus verified certificates carried by the bundle.
    let mut certs = Vec::new();
    let mut enrolled: HashMap<String, ed25519_dalek::VerifyingKey> = HashMap::new();
    let known = keys::certs(conn)?;
    for c in &known {
        if let Ok(k) = c.verify(&id.network) {
            enrolled.insert(c.office.clone(), k);
        }
    }
    for c in &manifest.certs {
        let k = c.verify(&id.network)?;
        let newer = known.iter().all(|known| known.office != c.office || known.issued_at <= c.issued_at);
        if newer {
            enrolled.insert(c.office.clone(), k);
        }
        certs.push(c.clone());
    }
    let signer = enrolled.get(&manifest.from).ok_or_else(|| {
        Error::Unauthorized(format!("bundle signed by '{}', which is not an enrolled office", manifest.from))
    })?;
    signer.verify(&bytes[..h1], &sig).map_err(|_| {
        Error::Unauthorized(format!("bundle signature does not match office '{}' (altered or forged)", manifest.from))
    })?;
    let payload = &bytes[s1 + 1..];
    if payload.len() as u64 != manifest.payload_bytes {
        return Err(bad(&format!(
            "truncated or padded: payload is {} bytes, manifest says {}",
            payload.len(),
            manifest.payload_bytes
        )));
    }
    if hex::encode(Sha256::digest(payload)) != manifest.payload_sha256 {
        return Err(bad("SHA-256 digest mismatch: the file was altered"));
    }
    let (entries, claimed) = parse_payload(payload).map_err(|e| bad(&format!("payload unreadable: {e}")))?;
    if entries.len() as u64 != manifest.entries {
        return Err(bad(&format!("holds {} entries, manifest says {}", entries.len(), manifest.entries)));
    }
    let mut checked_origins: HashSet<&str> = HashSet::new();
    let mut verdicts = Vec::with_capacity(entries.len());
    for e in &entries {
        verdicts.push(check_entry(e).map_err(|err| bad(&err.to_string()))?);
        if e.origin == SEED_ORIGIN {
            if let Some((column, _)) = e.cells.iter().find(|(c, v)| !is_seed_cell(e, c, v)) {
                return Err(Error::Unauthorized(format!(
                    "change to {}.{column} claims to be seed data but is not part of the seed data set",
                    e.table
                )));
            }
        } else if !checked_origins.contains(e.origin.as_str()) {
            if !enrolled.contains_key(&e.origin) {
                return Err(Error::Unauthorized(format!(
                    "bundle holds changes from '{}', which is not an enrolled office",
                    e.origin
                )));
            }
            checked_origins.insert(e.origin.as_str());
        }
    }
    let current: HashMap<String, i64> = {
        let mut m: HashMap<String, i64> = HashMap::new();
        for c in known.iter().chain(&certs) {
            let t = m.entry(c.office.clone()).or_insert(c.issued_at);
            *t = (*t).max(c.issued_at);
        }
        m
    };
    let checked = feed::verify(conn, &id.network, &manifest.from, &entries, &claimed, &manifest.heads, &current)?;
    let heads = checked.heads;
    let (mut kept, mut kept_verdicts, mut feeds) = (Vec::new(), Vec::new(), Vec::new());
    if checked.keep.iter().all(|k| *k) {
        (kept, kept_verdicts, feeds) = (entries, verdicts, checked.pos);
    } else {
        for (((e, v), p), keep) in entries.into_iter().zip(verdicts).zip(checked.pos).zip(checked.keep) {
            if keep {
                kept.push(e);
                kept_verdicts.push(v);
                feeds.push(p);
            }
        }
    }
    Ok(Opened {
        manifest,
        entries: kept,
        verdicts: kept_verdicts,
        feeds,
        heads,
        held_back: checked.held_back,
        already_held: checked.already_held,
        certs,
    })
}

/// Payloads from this size on are parsed in two halves on two threads.
const PARALLEL_PARSE_BYTES: usize = 1 << 20;

/// Parses a payload (a JSON array of entries). A large one is cut in two
/// at an entry boundary and the halves parsed in parallel: parsing is a
/// fifth of an initial sync. The cut is a `],[` near the middle; one that
/// falls inside a string leaves the first half's last string unterminated,
/// so that half fails to parse, and then the whole payload is parsed in one
/// piece, which also gives any error its position in the whole.
type Parsed = (Vec<Entry>, Vec<Option<(i64, i64)>>);

fn parse_payload(payload: &[u8]) -> serde_json::Result<Parsed> {
    let whole = |bytes: &[u8]| -> serde_json::Result<Parsed> {
        let wire: Vec<WireEntry> = serde_json::from_slice(bytes)?;
        let mut claimed = Vec::with_capacity(wire.len());
        let entries = wire
            .into_iter()
            .map(|WireEntry(table, row_id, hlc, origin, cells, feed, fseq)| {
                claimed.push(feed.zip(fseq));
                Entry { hlc: Stamp(hlc), origin, table, row_id, cells: cells.0 }
            })
            .collect();
        Ok((entries, claimed))
    };
    let cut = (payload.len() >= PARALLEL_PARSE_BYTES)
        .then(|| memchr::memmem::find(&payload[payload.len() / 2..], b"],[").map(|i| payload.len() / 2 + i))
        .flatten();
    let Some(cut) = cut else { return whole(payload) };
    let mut first = Vec::with_capacity(cut + 2);
    first.extend_from_slice(&payload[..=cut]);
    first.push(b']');
    let mut second = Vec::with_capacity(payload.len() - cut);
    second.push(b'[');
    second.extend_from_slice(&payload[cut + 2..]);
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| whole(&first));
        let b = whole(&second);
        (a.join(), b)
    });
    match (a, b) {
        (Ok(Ok(mut a)), Ok(b)) => {
            a.0.extend(b.0);
            a.1.extend(b.1);
            Ok(a)
        }
        _ => whole(payload),
    }
}

type SeedKey = (i64, String, String, String);

/// Whether a cell of entry `e` is one of the embedded seed data set's own
/// cells: nobody can pass off edits as seed data.
fn is_seed_cell(e: &Entry, column: &str, value: &CellValue) -> bool {
    static SEED: OnceLock<HashMap<SeedKey, CellValue>> = OnceLock::new();
    let seed = SEED.get_or_init(|| {
        let build = || -> Result<HashMap<SeedKey, CellValue>> {
            let mut s = Store::open_in_memory()?;
            s.write(crate::seed::write_seed)?;
            let mut q = s.conn().prepare("SELECT hlc, tbl, row_id, cells FROM change_log")?;
            let rows = q.query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
            })?;
            let mut out = HashMap::new();
            for row in rows {
                let (hlc, tbl, row_id, cells) = row?;
                for (c, v) in parse_cells(&cells)? {
                    out.insert((hlc, tbl.clone(), row_id.clone(), c), v);
                }
            }
            Ok(out)
        };
        build().unwrap_or_default()
    });
    seed.get(&(e.hlc.0, e.table.clone(), e.row_id.clone(), column.to_string())) == Some(value)
}
