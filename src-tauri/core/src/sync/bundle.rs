//! The signed change bundle: the one format both transports carry (a USB
//! file, or the body of a hub request or response).
//!
//! ```text
//! kizuna-bundle 1\n
//! {manifest JSON}\n
//! {Ed25519 signature of the two lines above, hex}\n
//! {payload: JSON array of [table, row_id, hlc, origin, [[column, value], ...]]}
//! ```
//!
//! The manifest names the signing office, carries the enrolment certificates
//! the receiver may need, and states the payload's length and SHA-256, so the
//! signature covers every byte. [`open`] checks all of it, and every name and
//! value, before the caller writes anything.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use ed25519_dalek::{Signer, Verifier};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::hlc::Stamp;
use crate::seed::SEED_ORIGIN;
use crate::store::{CellValue, Change, Store, check_change};
use crate::sync::keys::{self, Cert, Identity};

pub const MAGIC: &str = "kizuna-bundle 1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// The office whose key signed this bundle.
    pub from: String,
    pub network: String,
    pub created_at: i64,
    /// The signer's change-log positions this bundle covers: (from_seq, upto_seq].
    pub from_seq: i64,
    pub upto_seq: i64,
    /// More changes follow in a later page (hub pulls).
    pub more: bool,
    pub changes: u64,
    pub payload_bytes: u64,
    pub payload_sha256: String,
    pub certs: Vec<Cert>,
}

#[derive(Serialize, Deserialize)]
struct Group(String, String, i64, String, Vec<(String, CellValue)>);

/// Writes `changes` (in log order) as a bundle signed by `id`.
pub fn seal(id: &Identity, certs: Vec<Cert>, changes: &[Change], from_seq: i64, upto_seq: i64, more: bool) -> Result<Vec<u8>> {
    let mut groups: Vec<Group> = Vec::new();
    for ch in changes {
        match groups.last_mut() {
            Some(g) if g.0 == ch.table && g.1 == ch.row_id && g.2 == ch.hlc.0 && g.3 == ch.origin => {
                g.4.push((ch.column.clone(), ch.value.clone()));
            }
            _ => groups.push(Group(
                ch.table.clone(),
                ch.row_id.clone(),
                ch.hlc.0,
                ch.origin.clone(),
                vec![(ch.column.clone(), ch.value.clone())],
            )),
        }
    }
    let payload = serde_json::to_vec(&groups).map_err(|e| Error::Sync(e.to_string()))?;
    let manifest = Manifest {
        from: id.office.clone(),
        network: id.network.clone(),
        created_at: crate::hlc::system_millis(),
        from_seq,
        upto_seq,
        more,
        changes: changes.len() as u64,
        payload_bytes: payload.len() as u64,
        payload_sha256: hex::encode(Sha256::digest(&payload)),
        certs,
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
    pub changes: Vec<Change>,
    /// Certificates (verified) to record with the batch.
    pub certs: Vec<Cert>,
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
    let signer = enrolled
        .get(&manifest.from)
        .ok_or_else(|| Error::Unauthorized(format!("bundle signed by '{}', which is not an enrolled office", manifest.from)))?;
    signer
        .verify(&bytes[..h1], &sig)
        .map_err(|_| Error::Unauthorized(format!("bundle signature does not match office '{}' (altered or forged)", manifest.from)))?;
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
    let groups: Vec<Group> = serde_json::from_slice(payload).map_err(|e| bad(&format!("payload unreadable: {e}")))?;
    let mut changes = Vec::with_capacity(manifest.changes as usize);
    for Group(table, row_id, hlc, origin, cells) in groups {
        for (column, value) in cells {
            changes.push(Change { hlc: Stamp(hlc), origin: origin.clone(), table: table.clone(), row_id: row_id.clone(), column, value });
        }
    }
    if changes.len() as u64 != manifest.changes {
        return Err(bad(&format!("holds {} changes, manifest says {}", changes.len(), manifest.changes)));
    }
    let mut checked_origins: HashSet<&str> = HashSet::new();
    for ch in &changes {
        check_change(ch).map_err(|e| bad(&e.to_string()))?;
        if ch.origin == SEED_ORIGIN {
            if !is_seed_change(ch) {
                return Err(Error::Unauthorized(format!(
                    "change to {}.{} claims to be seed data but is not part of the seed data set",
                    ch.table, ch.column
                )));
            }
        } else if !checked_origins.contains(ch.origin.as_str()) {
            if !enrolled.contains_key(&ch.origin) {
                return Err(Error::Unauthorized(format!("bundle holds changes from '{}', which is not an enrolled office", ch.origin)));
            }
            checked_origins.insert(ch.origin.as_str());
        }
    }
    Ok(Opened { manifest, changes, certs })
}

type SeedKey = (i64, String, String, String);

/// Whether `ch` is one of the embedded seed data set's own changes: nobody
/// can pass off edits as seed data.
fn is_seed_change(ch: &Change) -> bool {
    static SEED: OnceLock<HashMap<SeedKey, CellValue>> = OnceLock::new();
    let seed = SEED.get_or_init(|| {
        let build = || -> Result<HashMap<SeedKey, CellValue>> {
            let mut s = Store::open_in_memory()?;
            s.write(|w| crate::seed::write_seed(w))?;
            let mut q = s.conn().prepare("SELECT hlc, tbl, row_id, col, value FROM change_log")?;
            let rows = q.query_map([], |r| {
                Ok(((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?), CellValue::from_value_ref(r.get_ref(4)?)))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        build().unwrap_or_default()
    });
    seed.get(&(ch.hlc.0, ch.table.clone(), ch.row_id.clone(), ch.column.clone())) == Some(&ch.value)
}
