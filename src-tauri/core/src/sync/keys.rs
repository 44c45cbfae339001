//! Office keys, enrolment certificates and invites.
//!
//! HQ's Ed25519 key is the network's root: it signs one certificate per
//! office, binding the office code to that office's public key. Every replica
//! keeps HQ's public key (the "network key") and accepts a signer only with a
//! certificate that verifies against it. An invite carries the office's new
//! secret key together with its certificate, so enrolment needs no round trip;
//! the invite file is therefore sealed with a one-time passphrase that HQ
//! reads out to the office ([`super::sealed`]).
//!
//! Secret keys are kept by [`crate::secret`] in the data folder's owner-only
//! key store, never in the database; the database holds the network key and
//! the certificates, which are public.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::secret::KeyStore;
use crate::store::Writer;

pub const META_NETWORK: &str = "sync.network_key";
pub const HQ_OFFICE: &str = "tokyo";

/// HQ's signature binding an office code to a public key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cert {
    pub network: String,
    pub office: String,
    pub public_key: String,
    pub issued_at: i64,
    pub signature: String,
}

impl Cert {
    fn signed_text(network: &str, office: &str, public_key: &str, issued_at: i64) -> String {
        format!("kizuna-cert 1\n{network}\n{office}\n{public_key}\n{issued_at}")
    }

    pub fn issue(root: &SigningKey, office: &str, public_key: &VerifyingKey, issued_at: i64) -> Cert {
        let network = hex::encode(root.verifying_key().as_bytes());
        let pk = hex::encode(public_key.as_bytes());
        let signature =
            hex::encode(root.sign(Self::signed_text(&network, office, &pk, issued_at).as_bytes()).to_bytes());
        Cert { network, office: office.to_string(), public_key: pk, issued_at, signature }
    }

    /// Checks HQ's signature and that the certificate belongs to `network`.
    pub fn verify(&self, network: &str) -> Result<VerifyingKey> {
        if self.network != network {
            return Err(Error::Unauthorized(format!("office '{}' is enrolled in another network", self.office)));
        }
        let text = Self::signed_text(&self.network, &self.office, &self.public_key, self.issued_at);
        // Every bundle and head carries the network's certificates, so a hub
        // checks the same few on every request: a third of an incremental
        // sync's instructions before this memo. Only a certificate that
        // verified is remembered, by its whole signed text and signature.
        let memo_key = format!("{text}\n{}", self.signature);
        if let Some(key) = VERIFIED.lock().ok().and_then(|m| m.get(&memo_key).copied()) {
            return Ok(key);
        }
        let root = parse_public(network)?;
        let sig = parse_signature(&self.signature)?;
        root.verify(text.as_bytes(), &sig).map_err(|_| {
            Error::Unauthorized(format!("enrolment certificate of office '{}' is not signed by HQ", self.office))
        })?;
        let key = parse_public(&self.public_key)?;
        if let Ok(mut memo) = VERIFIED.lock() {
            if memo.len() >= VERIFIED_MAX {
                memo.clear();
            }
            memo.insert(memo_key, key);
        }
        Ok(key)
    }
}

/// Certificates this process has verified (see [`Cert::verify`]); a network
/// has one per enrolment, so the bound is never reached in use.
static VERIFIED: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<String, VerifyingKey>>> =
    std::sync::LazyLock::new(Default::default);
const VERIFIED_MAX: usize = 4096;

/// What `kizuna office invite` writes and `kizuna init --join` reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Invite {
    pub format: String,
    pub office: String,
    pub secret_key: String,
    pub cert: Cert,
    /// SHA-256 of the hub's TLS certificate: the office trusts that hub and
    /// no other (see `sync::tls`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub_fingerprint: Option<String>,
    /// The member number series of this enrolment (TNO, then TNO2 for the
    /// office's second enrolment...): see `model::office::series`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_series: Option<String>,
}

pub const INVITE_FORMAT: &str = "kizuna-invite 1";

impl Invite {
    /// Opens an invite file sealed with `passphrase` and checks what it holds.
    pub fn open(file: &[u8], passphrase: &str) -> Result<Invite> {
        Self::parse(&super::sealed::open(file, passphrase)?)
    }

    /// Seals this invite with a new one-time passphrase.
    pub fn seal(&self) -> Result<super::sealed::SealedInvite> {
        let json = zeroize::Zeroizing::new(serde_json::to_vec_pretty(self).map_err(|e| Error::Sync(e.to_string()))?);
        let sealed = super::sealed::seal(&json)?;
        Ok(super::sealed::SealedInvite { hub_fingerprint: self.hub_fingerprint.clone(), ..sealed })
    }

    fn parse(bytes: &[u8]) -> Result<Invite> {
        let inv: Invite =
            serde_json::from_slice(bytes).map_err(|e| Error::Rejected(format!("not a Kizuna invite file: {e}")))?;
        if inv.format != INVITE_FORMAT {
            return Err(Error::Rejected(format!("unsupported invite format '{}'", inv.format)));
        }
        let pk = inv.cert.verify(&inv.cert.network)?;
        if inv.cert.office != inv.office || signing_key(&inv.secret_key)?.verifying_key() != pk {
            return Err(Error::Rejected("the invite's key does not match its certificate".into()));
        }
        crate::model::office::check_code(&inv.office)?;
        if let Some(series) = &inv.member_series {
            crate::model::office::check_series(series)?;
        }
        let hub_fingerprint = inv.hub_fingerprint.as_deref().map(crate::sync::tls::parse_fingerprint).transpose()?;
        Ok(Invite { hub_fingerprint, ..inv })
    }
}

pub fn parse_public(hex_key: &str) -> Result<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Error::Rejected("malformed public key".into()))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| Error::Rejected("malformed public key".into()))
}

pub fn parse_signature(hex_sig: &str) -> Result<Signature> {
    let bytes: [u8; 64] = hex::decode(hex_sig.trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Error::Rejected("malformed signature".into()))?;
    Ok(Signature::from_bytes(&bytes))
}

fn signing_key(hex_key: &str) -> Result<SigningKey> {
    let bytes: [u8; 32] = hex::decode(hex_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| Error::Rejected("malformed secret key".into()))?;
    Ok(SigningKey::from_bytes(&bytes))
}

pub fn generate() -> Result<SigningKey> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| Error::Sync(format!("no system randomness for a new key: {e}")))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// This replica's identity for signing, once it has one.
pub struct Identity {
    pub office: String,
    pub key: SigningKey,
    pub network: String,
}

/// The key store of a database file; an in-memory one has none.
fn key_store(conn: &Connection) -> Result<KeyStore> {
    KeyStore::of(conn).ok_or_else(|| Error::KeyUnavailable("an in-memory database has no key store".into()))
}

pub fn identity(conn: &Connection, office: &str) -> Result<Option<Identity>> {
    let network: Option<String> =
        conn.query_row("SELECT value FROM local_meta WHERE key = ?1", [META_NETWORK], |r| r.get(0)).optional()?;
    let Some(network) = network else { return Ok(None) };
    let Some(keys) = KeyStore::of(conn) else { return Ok(None) };
    let Some(secret) = keys.signing_key()? else {
        return Err(Error::KeyUnavailable(format!(
            "this office is enrolled but its signing key is missing from {}: restore it, or join again with a new invite",
            keys.dir().display()
        )));
    };
    Ok(Some(Identity { office: office.to_string(), key: SigningKey::from_bytes(&secret), network }))
}

/// Records a verified certificate; a newer one for the same office replaces
/// the older (re-enrolment after a lost machine).
pub fn record_cert(conn: &Connection, cert: &Cert) -> Result<()> {
    let json = serde_json::to_string(cert).map_err(|e| Error::Sync(e.to_string()))?;
    conn.execute(
        "INSERT INTO sync_offices (code, public_key, cert, issued_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (code) DO UPDATE SET public_key = excluded.public_key, cert = excluded.cert,
             issued_at = excluded.issued_at
         WHERE excluded.issued_at > sync_offices.issued_at",
        params![cert.office, cert.public_key, json, cert.issued_at],
    )?;
    Ok(())
}

pub fn certs(conn: &Connection) -> Result<Vec<Cert>> {
    let mut q = conn.prepare("SELECT cert FROM sync_offices ORDER BY code")?;
    let rows = q.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for r in rows {
        out.push(serde_json::from_str(&r?).map_err(|e| Error::Sync(format!("stored certificate unreadable: {e}")))?);
    }
    Ok(out)
}

pub fn office_key(conn: &Connection, office: &str) -> Result<Option<VerifyingKey>> {
    let hex_key: Option<String> =
        conn.query_row("SELECT public_key FROM sync_offices WHERE code = ?1", [office], |r| r.get(0)).optional()?;
    hex_key.map(|k| parse_public(&k)).transpose()
}

/// Gives HQ its root key on first use; other offices get theirs by joining.
pub fn ensure_identity(w: &mut Writer<'_>) -> Result<Identity> {
    let office = w.origin().to_string();
    if let Some(id) = identity(w.conn(), &office)? {
        return Ok(id);
    }
    if office != HQ_OFFICE {
        return Err(Error::Unauthorized(format!(
            "office '{office}' is not enrolled in a network: ask HQ for an invite and run `kizuna init --join FILE`"
        )));
    }
    // The key file is written before the transaction commits: after a crash
    // in between, the next call finds it and uses it.
    let keys = key_store(w.conn())?;
    let key = match keys.signing_key()? {
        Some(k) => SigningKey::from_bytes(&k),
        None => {
            let key = generate()?;
            keys.set_signing_key(&key.to_bytes())?;
            key
        }
    };
    let network = hex::encode(key.verifying_key().as_bytes());
    w.set_meta(META_NETWORK, &network)?;
    let cert = Cert::issue(&key, &office, &key.verifying_key(), crate::hlc::system_millis());
    record_cert(w.conn(), &cert)?;
    Ok(Identity { office, key, network })
}

/// Writes a joining office's identity from a verified invite.
pub fn record_join(w: &mut Writer<'_>, inv: &Invite) -> Result<()> {
    key_store(w.conn())?.set_signing_key(&signing_key(&inv.secret_key)?.to_bytes())?;
    w.set_meta(META_NETWORK, &inv.cert.network)?;
    if let Some(series) = &inv.member_series {
        w.set_meta(crate::model::office::META_MEMBER_SERIES, series)?;
    }
    if let Some(fp) = &inv.hub_fingerprint {
        w.set_meta(crate::sync::tls::META_HUB_FINGERPRINT, fp)?;
    }
    // HQ's own certificate arrives with the first bundle HQ signs.
    record_cert(w.conn(), &inv.cert)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_certificate_vouches_for_itself_alone() {
        let root = generate().unwrap();
        let network = hex::encode(root.verifying_key().as_bytes());
        let office = generate().unwrap().verifying_key();
        let cert = Cert::issue(&root, "tono", &office, 1_700_000_000_000);
        // Twice: the second answer comes from the memo.
        assert_eq!(cert.verify(&network).unwrap(), office);
        assert_eq!(cert.verify(&network).unwrap(), office);
        let other = generate().unwrap().verifying_key();
        let altered = [
            Cert { office: "sendai".into(), ..cert.clone() },
            Cert { public_key: hex::encode(other.as_bytes()), ..cert.clone() },
            Cert { issued_at: cert.issued_at + 1, ..cert.clone() },
            Cert {
                signature: Cert::issue(&generate().unwrap(), "tono", &office, cert.issued_at).signature,
                ..cert.clone()
            },
        ];
        for c in &altered {
            let e = c.verify(&network).unwrap_err();
            assert_eq!(e.code(), "unauthorized", "{c:?}: {e}");
        }
        let elsewhere = hex::encode(generate().unwrap().verifying_key().as_bytes());
        assert_eq!(cert.verify(&elsewhere).unwrap_err().code(), "unauthorized");
    }
}
