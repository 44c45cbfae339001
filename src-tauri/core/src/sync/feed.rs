//! Feeds: every office's own entries, numbered and chained, so that no other
//! office and no relay can create or alter an entry attributed to it.
//!
//! # Design
//! Each office keeps one feed per enrolment key: `feed` is the issue time of
//! the certificate whose key signs it (re-enrolment, a new key, starts a new
//! feed), and its entries are numbered 1, 2, 3... (`fseq`) in the order the
//! office signs them. Each entry's `chain` value is
//! `SHA-256(previous chain || entry digest)`, starting from a genesis value
//! naming the origin and feed. The entry digest is SHA-256 over a canonical
//! encoding of (table, row id, origin, stamp, feed, position, cells sorted by
//! column, each value typed), so it does not depend on how a relay
//! re-serialised the cells. A *head* is the office's Ed25519 signature over
//! (network, origin, feed, position, chain value), carried with HQ's
//! certificate for the key: one signature vouches for every entry up to it.
//!
//! An office signs lazily: before each export, push or hub page
//! ([`seal_own`]), its entries not yet in its feed are appended to it in log
//! order under one new head. Local writes cost nothing extra.
//!
//! Relays (the hub, an office carrying a bundle) store the heads they
//! verified and forward entries and heads unchanged; a page of the log
//! (`sync::exchange::read_log`) ends only where every feed in it is a
//! contiguous run ending on a stored head. A receiver ([`verify`]) sorts each
//! feed's entries in a page by position, recomputes the chain from the value
//! it holds at the position before the run, compares every position it
//! already holds (an altered copy of a held entry is refused), and requires
//! the signed head at the run's end when the run brings anything new: one
//! signature check (two with the certificate) per feed per page, and one
//! SHA-256 per entry, computed on two threads. The held feed positions
//! (`sync_heads`) are a version vector: "I hold origin X's feed F up to n".
//!
//! # Rules
//! - A non-seed entry without a feed position is accepted only in a bundle
//!   signed by HQ, the network's root: HQ can enrol any key for any office,
//!   so it is trusted with every origin anyway. That is how entries logged
//!   before feeds existed (legacy entries) travel: an office signs its own
//!   legacy entries on its next export, HQ relays the unsigned ones it holds
//!   of others, and offices never relay unsigned entries of others. When the
//!   signed copy of a legacy entry arrives, it replaces the unsigned one
//!   (cells included) and moves to the end of the log so it is relayed.
//! - Seed entries never have a feed; the seed rule (exactly the embedded data
//!   set) is unchanged.
//! - A run that does not connect to what the receiver holds (a lost
//!   incremental bundle) is held back, not applied: a later full exchange
//!   brings the missing entries first.
//! - A run with a gap is held back too. A relay that refused one of an
//!   office's changes (see `rights`) never stores or relays it, so the rest
//!   of that signed run cannot be checked against its head beyond the relay:
//!   the relay applied the honest changes, other replicas hold the run back
//!   (counted in `held_back`) and keep merging every other feed. They keep
//!   the run's signed head, so the office's later runs connect again.
//! - A feed whose key was replaced (the office was re-enrolled) is accepted
//!   only for entries stamped before the replacing certificate was issued.

use std::collections::HashMap;

use ed25519_dalek::{Signer, Verifier};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::store::{CellValue, Entry, Writer, parse_cells};
use crate::sync::keys::{self, Cert, HQ_OFFICE, Identity};

pub type Hash = [u8; 32];

/// An entry's verified place in its origin's feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedPos {
    pub feed: i64,
    pub fseq: i64,
    pub chain: Hash,
}

/// An office's signature over its feed up to `fseq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    /// HQ's certificate of the signing key: names the origin and the feed.
    pub cert: Cert,
    pub fseq: i64,
    /// The chain value at `fseq`, hex.
    pub chain: String,
    pub signature: String,
}

impl Head {
    fn text(cert: &Cert, fseq: i64, chain: &str) -> String {
        format!("kizuna-head 1\n{}\n{}\n{}\n{fseq}\n{chain}", cert.network, cert.office, cert.issued_at)
    }

    pub fn origin(&self) -> &str {
        &self.cert.office
    }

    pub fn feed(&self) -> i64 {
        self.cert.issued_at
    }

    fn sign(id: &Identity, cert: Cert, fseq: i64, chain: &Hash) -> Head {
        let chain = hex::encode(chain);
        let signature = hex::encode(id.key.sign(Self::text(&cert, fseq, &chain).as_bytes()).to_bytes());
        Head { cert, fseq, chain, signature }
    }

    /// Checks HQ's certificate and the office's signature; returns the
    /// signed chain value.
    fn verify(&self, network: &str) -> Result<Hash> {
        let key = self.cert.verify(network)?;
        let bad = || {
            Error::Unauthorized(format!(
                "head of office '{}' at position {} is not signed by its key (forged or altered)",
                self.cert.office, self.fseq
            ))
        };
        let sig = keys::parse_signature(&self.signature).map_err(|_| bad())?;
        key.verify(Self::text(&self.cert, self.fseq, &self.chain).as_bytes(), &sig).map_err(|_| bad())?;
        parse_hash(&self.chain).ok_or_else(bad)
    }
}

fn parse_hash(s: &str) -> Option<Hash> {
    hex::decode(s).ok()?.try_into().ok()
}

fn put_str(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_be_bytes());
    h.update(s.as_bytes());
}

/// SHA-256 of an entry's canonical encoding at a feed position.
pub fn entry_digest(e: &Entry, feed: i64, fseq: i64) -> Hash {
    let mut h = Sha256::new();
    h.update(b"kizuna-entry 1\0");
    put_str(&mut h, &e.table);
    put_str(&mut h, &e.row_id);
    put_str(&mut h, &e.origin);
    h.update(e.hlc.0.to_be_bytes());
    h.update(feed.to_be_bytes());
    h.update(fseq.to_be_bytes());
    let mut cells: Vec<&(String, CellValue)> = e.cells.iter().collect();
    cells.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    h.update((cells.len() as u64).to_be_bytes());
    for (c, v) in cells {
        put_str(&mut h, c);
        match v {
            CellValue::Null => h.update([0]),
            CellValue::Integer(i) => {
                h.update([1]);
                h.update(i.to_be_bytes());
            }
            CellValue::Real(f) => {
                h.update([2]);
                h.update(f.to_bits().to_be_bytes());
            }
            CellValue::Text(t) => {
                h.update([3]);
                put_str(&mut h, t);
            }
        }
    }
    h.finalize().into()
}

/// The chain value before a feed's first entry.
pub fn genesis(origin: &str, feed: i64) -> Hash {
    let mut h = Sha256::new();
    h.update(b"kizuna-feed 1\0");
    put_str(&mut h, origin);
    h.update(feed.to_be_bytes());
    h.finalize().into()
}

pub fn link(prev: &Hash, digest: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(digest);
    h.finalize().into()
}

/// Entries from this many on have their digests computed on two threads.
const PARALLEL_DIGESTS: usize = 4_096;

/// Each entry's digest at its claimed position (None without one).
fn digests(entries: &[Entry], claimed: &[Option<(i64, i64)>]) -> Vec<Option<Hash>> {
    crate::parallel::map_pairs(entries, claimed, PARALLEL_DIGESTS, |e, c| {
        c.map(|(feed, fseq)| entry_digest(e, feed, fseq))
    })
}

/// The newest head this replica holds of a feed: (position, chain value).
pub fn held(conn: &Connection, origin: &str, feed: i64) -> Result<Option<(i64, Hash)>> {
    let row: Option<(i64, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT fseq, chain FROM sync_heads WHERE origin = ?1 AND feed = ?2 ORDER BY fseq DESC LIMIT 1",
        )?
        .query_row(params![origin, feed], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.and_then(|(n, c)| Some((n, c.try_into().ok()?))))
}

/// The chain value this replica holds at a feed position, wherever it is
/// kept (log, heads, quarantine). Position 0 is the genesis value.
fn chain_at(conn: &Connection, origin: &str, feed: i64, fseq: i64) -> Result<Option<Hash>> {
    if fseq == 0 {
        return Ok(Some(genesis(origin, feed)));
    }
    for sql in [
        "SELECT chain FROM change_log WHERE origin = ?1 AND feed = ?2 AND fseq = ?3",
        "SELECT chain FROM sync_heads WHERE origin = ?1 AND feed = ?2 AND fseq = ?3",
        "SELECT chain FROM sync_quarantine WHERE origin = ?1 AND feed = ?2 AND fseq = ?3 LIMIT 1",
    ] {
        let c: Option<Vec<u8>> =
            conn.prepare_cached(sql)?.query_row(params![origin, feed, fseq], |r| r.get(0)).optional()?;
        if let Some(c) = c.and_then(|c| Hash::try_from(c).ok()) {
            return Ok(Some(c));
        }
    }
    Ok(None)
}

/// What [`verify`] concluded about a bundle's entries.
#[derive(Debug, Default)]
pub struct Checked {
    /// Each entry's verified feed position (None: seed or HQ-vouched legacy).
    pub pos: Vec<Option<FeedPos>>,
    /// Whether to apply the entry: false for runs held back (a gap), and
    /// for entries this replica already holds (the same chain value at
    /// their position, so the same cells: nothing to screen or merge).
    pub keep: Vec<bool>,
    /// Entries this replica already holds.
    pub already_held: u64,
    /// Verified heads to store with the batch.
    pub heads: Vec<Head>,
    pub held_back: u64,
}

/// Verifies every entry's origin. `from` signed the bundle; `claimed` is
/// each entry's (feed, position) as the payload states it; `current` maps
/// each office to the issue time of its current certificate. Reads only.
pub fn verify(
    conn: &Connection,
    network: &str,
    from: &str,
    entries: &[Entry],
    claimed: &[Option<(i64, i64)>],
    heads: &[Head],
    current: &HashMap<String, i64>,
) -> Result<Checked> {
    let mut out = Checked { pos: vec![None; entries.len()], keep: vec![true; entries.len()], ..Default::default() };
    let mut runs: HashMap<(&str, i64), Vec<usize>> = HashMap::new();
    for (i, (e, c)) in entries.iter().zip(claimed).enumerate() {
        match c {
            Some((feed, fseq)) => {
                if e.origin == crate::seed::SEED_ORIGIN || *fseq < 1 {
                    return Err(Error::Rejected(format!(
                        "bundle rejected: change to {} with an impossible feed position",
                        e.table
                    )));
                }
                runs.entry((e.origin.as_str(), *feed)).or_default().push(i);
            }
            None if e.origin == crate::seed::SEED_ORIGIN || from == HQ_OFFICE => {}
            None => {
                return Err(Error::Unauthorized(format!(
                    "bundle from '{from}' holds a change to {} attributed to '{}' that '{}' did not sign",
                    e.table, e.origin, e.origin
                )));
            }
        }
    }
    if runs.is_empty() {
        return Ok(out);
    }
    let digests = digests(entries, claimed);
    let mut by_head: HashMap<(&str, i64, i64), &Head> = HashMap::new();
    for h in heads {
        by_head.insert((h.origin(), h.feed(), h.fseq), h);
    }
    for ((origin, feed), mut idx) in runs {
        idx.sort_unstable_by_key(|&i| claimed[i].map_or(0, |c| c.1));
        let pos_of = |i: usize| claimed[i].map_or(0, |c| c.1);
        let (a, m) = (pos_of(idx[0]), pos_of(idx[idx.len() - 1]));
        if idx.windows(2).any(|w| pos_of(w[1]) == pos_of(w[0])) {
            return Err(Error::Rejected(format!(
                "bundle rejected: two changes of office '{origin}' claim one position of its feed"
            )));
        }
        let k = held(conn, origin, feed)?.map_or(0, |h| h.0);
        // A gap inside the run: the relay refused a change of it (outside
        // its origin's rights, or invalid) and so never stored or relayed
        // it. Or a run that does not connect to what this replica holds: the
        // same gap at the run's start, or a lost incremental bundle.
        let prev = if m - a + 1 != idx.len() as i64 || a > k + 1 { None } else { chain_at(conn, origin, feed, a - 1)? };
        let Some(mut chain) = prev else {
            // Cannot be checked against its head: held back, while the
            // bundle's other feeds merge. The run's signed head is kept all
            // the same (it is the office's own word on its chain), so the
            // office's next run connects.
            for &i in &idx {
                out.keep[i] = false;
            }
            out.held_back += idx.len() as u64;
            // A head that does not verify is not the office's word: ignored
            // here, and refused with the run if it ever connects.
            if let Some(head) = by_head.get(&(origin, feed, m)).filter(|h| m > k && h.verify(network).is_ok()) {
                out.heads.push((*head).clone());
            }
            continue;
        };
        let stored: HashMap<i64, Hash> = {
            let mut q = conn.prepare_cached(
                "SELECT fseq, chain FROM change_log WHERE origin = ?1 AND feed = ?2 AND fseq BETWEEN ?3 AND ?4",
            )?;
            let rows =
                q.query_map(params![origin, feed, a, m], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
            let mut s = HashMap::new();
            for r in rows {
                let (n, c) = r?;
                if let Ok(c) = Hash::try_from(c) {
                    s.insert(n, c);
                }
            }
            s
        };
        // Whether a position computed since the last held one still needs
        // an anchor (a held chain value further on, or the signed head).
        let mut pending = false;
        for &i in &idx {
            let fseq = pos_of(i);
            let d = digests[i].ok_or_else(|| Error::Sync("entry digest missing".into()))?;
            chain = link(&chain, &d);
            match stored.get(&fseq) {
                Some(s) if *s != chain => {
                    return Err(Error::Unauthorized(format!(
                        "change {fseq} of office '{origin}' differs from the one it signed (altered on the way)"
                    )));
                }
                Some(_) => {
                    pending = false;
                    out.keep[i] = false;
                    out.already_held += 1;
                }
                None => pending = true,
            }
            out.pos[i] = Some(FeedPos { feed, fseq, chain });
        }
        if pending || m > k {
            let head = by_head.get(&(origin, feed, m)).ok_or_else(|| {
                Error::Unauthorized(format!(
                    "changes of office '{origin}' up to position {m} come without a head signed by its key \
                     (forged, altered or cut short)"
                ))
            })?;
            if head.verify(network)? != chain {
                return Err(Error::Unauthorized(format!(
                    "changes of office '{origin}' up to position {m} do not match the head it signed \
                     (forged or altered on the way)"
                )));
            }
            if let Some(&now) = current.get(origin).filter(|now| **now > feed)
                && let Some(&i) = idx.iter().find(|&&i| pos_of(i) > k && entries[i].hlc.millis() >= now)
            {
                return Err(Error::Unauthorized(format!(
                    "change {} of office '{origin}' is signed with a key that was replaced before it was made",
                    pos_of(i)
                )));
            }
            out.heads.push((*head).clone());
        }
    }
    Ok(out)
}

/// Records verified heads (the batch's transaction).
pub fn store_heads(w: &Writer<'_>, heads: &[Head]) -> Result<()> {
    for h in heads {
        let json = serde_json::to_string(h).map_err(|e| Error::Sync(e.to_string()))?;
        let chain = parse_hash(&h.chain).ok_or_else(|| Error::Sync("stored head unreadable".into()))?;
        w.conn()
            .prepare_cached(
                "INSERT OR IGNORE INTO sync_heads (origin, feed, fseq, chain, head) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![h.origin(), h.feed(), h.fseq, &chain[..], json])?;
    }
    Ok(())
}

/// The certificate of this office's own key, which names its feed.
fn own_cert(conn: &Connection, id: &Identity) -> Result<Cert> {
    let pk = hex::encode(id.key.verifying_key().as_bytes());
    keys::certs(conn)?
        .into_iter()
        .find(|c| c.office == id.office && c.public_key == pk)
        .ok_or_else(|| Error::Sync(format!("no enrolment certificate for office '{}' matches its key", id.office)))
}

/// This office's current feed and the position of its newest head there:
/// how far it holds its own feed entire (`None` before it has signed any).
pub(crate) fn own_held(conn: &Connection, id: &Identity) -> Result<Option<(i64, i64)>> {
    let feed = own_cert(conn, id)?.issued_at;
    Ok(held(conn, &id.office, feed)?.map(|(fseq, _)| (feed, fseq)))
}

/// Appends this office's entries not yet in its feed (local writes, legacy
/// entries) to its feed, in log order, with a signed head at the end and
/// after about every `every` entries (at a write's end), so that pages of
/// that many entries can end there; never more than [`HEAD_EVERY`] apart.
/// (A head per write cost a signature and a stored head per edited row: 100k
/// rows made HQ's first export take 9 s.)
pub fn seal_own(w: &Writer<'_>, id: &Identity, every: usize) -> Result<()> {
    let conn = w.conn();
    let unsigned: Vec<(i64, Entry)> = {
        let mut q = conn.prepare_cached(
            "SELECT seq, hlc, tbl, row_id, cells FROM change_log WHERE origin = ?1 AND fseq IS NULL ORDER BY seq",
        )?;
        let mut rows = q.query([&id.office])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let cells = parse_cells(r.get_ref(4)?.as_str().map_err(rusqlite::Error::from)?)?;
            let e = Entry {
                hlc: crate::hlc::Stamp(r.get(1)?),
                origin: id.office.clone(),
                table: r.get(2)?,
                row_id: r.get(3)?,
                cells,
            };
            out.push((r.get(0)?, e));
        }
        out
    };
    if unsigned.is_empty() {
        return Ok(());
    }
    let cert = own_cert(conn, id)?;
    let feed = cert.issued_at;
    let (mut fseq, mut chain) = match held(conn, &id.office, feed)? {
        Some(h) => h,
        None => (0, genesis(&id.office, feed)),
    };
    let mut heads = Vec::new();
    let mut since_head = 0;
    let mut q = conn.prepare_cached("UPDATE change_log SET feed = ?1, fseq = ?2, chain = ?3 WHERE seq = ?4")?;
    for (n, (seq, e)) in unsigned.iter().enumerate() {
        fseq += 1;
        since_head += 1;
        chain = link(&chain, &entry_digest(e, feed, fseq));
        q.execute(params![feed, fseq, &chain[..], seq])?;
        // Entries of one write share a stamp: a head between them only
        // inside a very large write.
        let next = unsigned.get(n + 1);
        let write_ends = next.is_none_or(|(_, next)| next.hlc != e.hlc);
        if next.is_none() || (write_ends && since_head >= every) || since_head >= HEAD_EVERY {
            heads.push(Head::sign(id, cert.clone(), fseq, &chain));
            since_head = 0;
        }
    }
    store_heads(w, &heads)
}

/// Most entries between two heads of an office's own feed.
const HEAD_EVERY: usize = 10_000;

/// Heads stored for `origin`'s feed, by position: what a page may end on.
pub(crate) fn head_positions(conn: &Connection, origin: &str, feed: i64, from: i64) -> Result<Vec<i64>> {
    let mut q = conn
        .prepare_cached("SELECT fseq FROM sync_heads WHERE origin = ?1 AND feed = ?2 AND fseq >= ?3 ORDER BY fseq")?;
    let rows = q.query_map(params![origin, feed, from], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stored head at a feed position.
pub(crate) fn head_at(conn: &Connection, origin: &str, feed: i64, fseq: i64) -> Result<Option<Head>> {
    let json: Option<String> = conn
        .prepare_cached("SELECT head FROM sync_heads WHERE origin = ?1 AND feed = ?2 AND fseq = ?3")?
        .query_row(params![origin, feed, fseq], |r| r.get(0))
        .optional()?;
    json.map(|j| serde_json::from_str(&j).map_err(|e| Error::Sync(format!("stored head unreadable: {e}")))).transpose()
}

/// The version vector: for every feed this replica holds, how far.
pub fn version_vector(conn: &Connection) -> Result<Vec<(String, i64, i64)>> {
    let mut q = conn.prepare("SELECT origin, feed, max(fseq) FROM sync_heads GROUP BY origin, feed ORDER BY 1, 2")?;
    let rows = q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Tracks, while a page is read in log order, whether every feed in it is a
/// contiguous run ending on a stored head: the only places a page may end.
#[derive(Default)]
pub(crate) struct PageRuns {
    runs: HashMap<(String, i64), Run>,
    open: usize,
}

struct Run {
    lo: i64,
    hi: i64,
    count: i64,
    /// Stored heads from the run's first position on.
    heads: Vec<i64>,
    closed: bool,
    /// `hi` when every run was last closed (None: the run began after).
    at_snapshot: Option<i64>,
}

impl PageRuns {
    /// Notes one entry of the page.
    pub fn add(&mut self, conn: &Connection, origin: &str, feed: i64, fseq: i64) -> Result<()> {
        let key = (origin.to_string(), feed);
        if !self.runs.contains_key(&key) {
            let heads = head_positions(conn, origin, feed, fseq)?;
            let run = Run { lo: fseq, hi: fseq, count: 0, heads, closed: true, at_snapshot: None };
            self.runs.insert(key.clone(), run);
        }
        let Some(run) = self.runs.get_mut(&key) else { return Ok(()) };
        run.lo = run.lo.min(fseq);
        run.hi = run.hi.max(fseq);
        run.count += 1;
        let closed = run.hi - run.lo + 1 == run.count && run.heads.binary_search(&run.hi).is_ok();
        match (run.closed, closed) {
            (true, false) => self.open += 1,
            (false, true) => self.open -= 1,
            _ => {}
        }
        run.closed = closed;
        Ok(())
    }

    pub fn all_closed(&self) -> bool {
        self.open == 0
    }

    /// Remembers the present, where every run is closed, as the place to
    /// cut the page if a later run never closes.
    pub fn snapshot(&mut self) {
        for r in self.runs.values_mut() {
            r.at_snapshot = Some(r.hi);
        }
    }

    /// Each run's end (origin, feed, position): now, or at the snapshot.
    pub fn ends(&self, at_snapshot: bool) -> Vec<(String, i64, i64)> {
        let mut out: Vec<_> = self
            .runs
            .iter()
            .filter_map(|((o, f), r)| {
                let hi = if at_snapshot { r.at_snapshot? } else { r.hi };
                Some((o.clone(), *f, hi))
            })
            .collect();
        out.sort();
        out
    }
}
