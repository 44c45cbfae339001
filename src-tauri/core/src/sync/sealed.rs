//! The sealed invite file: an invite encrypted with a one-time passphrase.
//!
//! An invite holds the office's secret key, so the file alone must be
//! useless to whoever copies it on the way. `kizuna office invite` draws a
//! passphrase of 100 random bits, shown once as four groups of five
//! characters of Crockford's base32 (digits and capitals without I, L, O, U,
//! so it can be read out on the phone), derives a key from it with Argon2id
//! and seals the invite's bytes with XChaCha20-Poly1305. The envelope is JSON
//! that states its KDF parameters, salt and nonce; the header text is the
//! AEAD's associated data. A wrong passphrase and an altered file fail the
//! same authentication check, and the caller writes nothing.
//!
//! The sealed bytes are opaque here: any invite, whatever fields it gains,
//! seals the same way.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

pub const SEALED_FORMAT: &str = "kizuna-sealed-invite 1";
const KDF: &str = "argon2id";
/// OWASP's Argon2id baseline (19 MiB, 2 passes). The passphrase's 100 random
/// bits, not the KDF's cost, are what keeps a copied file closed.
const M_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
/// Limits on a file's stated KDF cost: a hostile file must not make the
/// joining office allocate gigabytes or spin for minutes.
const MAX_M_KIB: u32 = 256 * 1024;
const MAX_T_COST: u32 = 10;
const MAX_P_COST: u32 = 8;
/// No real invite comes near this; anything larger is not read further.
pub const MAX_FILE_BYTES: usize = 1 << 20;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const PASSPHRASE_CHARS: usize = 20;

/// An invite file's bytes with the passphrase that opens them.
#[derive(Debug, Clone)]
pub struct SealedInvite {
    pub bytes: Vec<u8>,
    /// Shown once to HQ, who reads it out to the office; never stored.
    pub passphrase: String,
    /// The hub certificate's SHA-256 the invite pins (not secret: HQ may
    /// read it out too, for the office to compare).
    pub hub_fingerprint: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    kdf: String,
    m_kib: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
    nonce: String,
    ciphertext: String,
}

impl Envelope {
    /// The authenticated header: every field but the ciphertext.
    fn header(&self) -> String {
        format!(
            "{}\n{} m={} t={} p={}\n{}\n{}",
            self.format, self.kdf, self.m_kib, self.t_cost, self.p_cost, self.salt, self.nonce
        )
    }
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| Error::Sync(format!("no system randomness to seal the invite: {e}")))?;
    Ok(b)
}

/// A new passphrase: 100 random bits as `XXXXX-XXXXX-XXXXX-XXXXX`.
fn new_passphrase() -> Result<String> {
    let bytes = Zeroizing::new(random::<13>()?);
    let mut out = String::with_capacity(PASSPHRASE_CHARS + 3);
    for i in 0..PASSPHRASE_CHARS {
        // Five bits at bit offset 5*i, most significant first.
        let bit = 5 * i;
        let pair = (u16::from(bytes[bit / 8]) << 8) | u16::from(bytes[bit / 8 + 1]);
        let v = (pair >> (11 - bit % 8)) & 0x1f;
        if i > 0 && i % 5 == 0 {
            out.push('-');
        }
        out.push(ALPHABET[usize::from(v)] as char);
    }
    Ok(out)
}

/// The passphrase as typed, in canonical form: separators and case ignored,
/// the letters people confuse with digits read as those digits.
fn canonical(typed: &str) -> Result<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::with_capacity(PASSPHRASE_CHARS));
    for c in typed.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return Err(Error::invalid("passphrase", format!("'{c}' is not one of its letters or digits")));
        }
        out.push(c);
    }
    if out.len() != PASSPHRASE_CHARS {
        return Err(Error::invalid(
            "passphrase",
            format!("has {} letters and digits; HQ's has {PASSPHRASE_CHARS} (XXXXX-XXXXX-XXXXX-XXXXX)", out.len()),
        ));
    }
    Ok(out)
}

fn derive(passphrase: &str, salt: &[u8], m_kib: u32, t: u32, p: u32) -> Result<Zeroizing<[u8; 32]>> {
    let params =
        Params::new(m_kib, t, p, Some(32)).map_err(|e| Error::Rejected(format!("invite file: key derivation: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(canonical(passphrase)?.as_bytes(), salt, &mut key[..])
        .map_err(|e| Error::Rejected(format!("invite file: key derivation: {e}")))?;
    Ok(key)
}

/// Seals `plain` with a new passphrase.
pub fn seal(plain: &[u8]) -> Result<SealedInvite> {
    let passphrase = new_passphrase()?;
    let salt = random::<16>()?;
    let nonce = random::<24>()?;
    let mut env = Envelope {
        format: SEALED_FORMAT.into(),
        kdf: KDF.into(),
        m_kib: M_KIB,
        t_cost: T_COST,
        p_cost: P_COST,
        salt: hex::encode(salt),
        nonce: hex::encode(nonce),
        ciphertext: String::new(),
    };
    let key = derive(&passphrase, &salt, M_KIB, T_COST, P_COST)?;
    let header = env.header();
    let sealed = XChaCha20Poly1305::new(Key::from_slice(&key[..]))
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad: header.as_bytes() })
        .map_err(|_| Error::Sync("the invite could not be sealed".into()))?;
    env.ciphertext = hex::encode(sealed);
    let bytes = serde_json::to_vec_pretty(&env).map_err(|e| Error::Sync(e.to_string()))?;
    Ok(SealedInvite { bytes, passphrase, hub_fingerprint: None })
}

/// The invite bytes inside a sealed file, if `passphrase` opens it.
pub fn open(file: &[u8], passphrase: &str) -> Result<Zeroizing<Vec<u8>>> {
    if file.len() > MAX_FILE_BYTES {
        return Err(Error::Rejected(format!("not a Kizuna invite file: larger than {MAX_FILE_BYTES} bytes")));
    }
    // Checked first: a typo is reported as such, before any decryption.
    canonical(passphrase)?;
    let env: Envelope = serde_json::from_slice(file).map_err(|e| {
        if serde_json::from_slice::<serde_json::Value>(file).is_ok_and(|v| v.get("secret_key").is_some()) {
            Error::Rejected(
                "this invite is not sealed with a passphrase (an older version wrote it): ask HQ for a new one".into(),
            )
        } else {
            Error::Rejected(format!("not a Kizuna invite file: {e}"))
        }
    })?;
    if env.format != SEALED_FORMAT {
        return Err(Error::Rejected(format!("unsupported invite format '{}'", env.format)));
    }
    if env.kdf != KDF {
        return Err(Error::Rejected(format!("invite file: unsupported key derivation '{}'", env.kdf)));
    }
    if env.m_kib > MAX_M_KIB || env.t_cost > MAX_T_COST || env.p_cost > MAX_P_COST {
        return Err(Error::Rejected("invite file: key derivation cost beyond this version's limits".into()));
    }
    let bad = |what: &str| Error::Rejected(format!("invite file: malformed {what}"));
    let salt = hex::decode(&env.salt).map_err(|_| bad("salt"))?;
    if salt.len() < 16 {
        return Err(bad("salt"));
    }
    let nonce: [u8; 24] = hex::decode(&env.nonce).ok().and_then(|n| n.try_into().ok()).ok_or_else(|| bad("nonce"))?;
    let sealed = hex::decode(&env.ciphertext).map_err(|_| bad("ciphertext"))?;
    let key = derive(passphrase, &salt, env.m_kib, env.t_cost, env.p_cost)?;
    let header = env.header();
    XChaCha20Poly1305::new(Key::from_slice(&key[..]))
        .decrypt(XNonce::from_slice(&nonce), Payload { msg: &sealed, aad: header.as_bytes() })
        .map(Zeroizing::new)
        .map_err(|_| {
            Error::Unauthorized(
                "the passphrase does not open this invite (mistyped, or the file was altered): \
                 check it with HQ; nothing was written"
                    .into(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passphrases_are_100_bits_in_four_groups_and_read_back_leniently() {
        let p = new_passphrase().unwrap();
        assert_eq!(p.len(), 23);
        assert_eq!(p.split('-').map(str::len).collect::<Vec<_>>(), [5, 5, 5, 5]);
        assert_ne!(p, new_passphrase().unwrap());
        let typed = p.to_lowercase().replace('-', " ").replace('0', "o").replace('1', "l");
        assert_eq!(*canonical(&typed).unwrap(), p.replace('-', ""));
        assert_eq!(canonical("ABCDE-FGHIJ").unwrap_err().code(), "invalid_input");
        assert_eq!(canonical("ABCDE-FGHIJ-KMNPQ-RSTVU").unwrap_err().code(), "invalid_input");
    }
}
