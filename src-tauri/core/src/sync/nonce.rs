//! Replay protection for signed hub requests. Each request carries a fresh
//! random nonce inside what it signs; the hub remembers every accepted nonce
//! (per office, in `sync_nonces`) for the request window, beyond which the
//! request's time alone refuses it. A nonce seen before is a replay: 401,
//! and nothing else is written. Kept in the database, not in memory, so a
//! restarted hub still refuses requests captured before the restart.

use rusqlite::params;

use crate::error::{Error, Result};
use crate::store::Store;

/// Longest nonce accepted (hex of 16 random bytes is 32).
const MAX_NONCE: usize = 64;

/// A fresh nonce for a request: 16 random bytes, hex.
pub fn fresh() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| Error::Sync(format!("no system randomness for a request nonce: {e}")))?;
    Ok(hex::encode(b))
}

/// Checks a nonce's form before it is signed over or looked up.
pub fn check_form(nonce: &str) -> Result<()> {
    if nonce.len() < 16 || nonce.len() > MAX_NONCE || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::Unauthorized("request without a valid nonce".into()));
    }
    Ok(())
}

/// Records `nonce` for `office` until `expires_at` (ms); a nonce already
/// recorded is a replay and is refused with nothing written. Forgets
/// nonces whose window has passed.
pub fn remember(store: &mut Store, office: &str, nonce: &str, expires_at: i64) -> Result<()> {
    let seen: bool = store.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM sync_nonces WHERE office = ?1 AND nonce = ?2)",
        params![office, nonce],
        |r| r.get(0),
    )?;
    if seen {
        return Err(replayed());
    }
    store.write(|w| {
        let now = crate::hlc::system_millis();
        w.conn().prepare_cached("DELETE FROM sync_nonces WHERE expires_at < ?1")?.execute([now])?;
        // Another connection may have recorded it since the check above.
        let n = w
            .conn()
            .prepare_cached("INSERT OR IGNORE INTO sync_nonces (office, nonce, expires_at) VALUES (?1, ?2, ?3)")?
            .execute(params![office, nonce, expires_at])?;
        if n == 0 { Err(replayed()) } else { Ok(()) }
    })
}

fn replayed() -> Error {
    Error::Unauthorized("request replayed (its nonce was used before)".into())
}
