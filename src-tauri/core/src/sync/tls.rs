//! The hub's TLS identity and the pin that offices hold on it.
//!
//! HQ generates one self-signed certificate for its hub (rcgen) and keeps it
//! in the data folder's key store (`keys/hub-tls.crt.pem`, and the private
//! key `keys/hub-tls.key.pem`, owner-only; see `crate::secret`). The invite
//! carries the certificate's SHA-256 fingerprint; a joined office accepts exactly that certificate and no other
//! (no public CA, no host name check: the fingerprint is the hub's identity),
//! while the handshake's signatures are still verified with rustls' own code.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, ServerConfig, SignatureScheme};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::secret::KeyStore;

/// The hub's certificate and private key in the data folder's key store.
const CERT_FILE: &str = "hub-tls.crt.pem";
const KEY_FILE: &str = "hub-tls.key.pem";
/// Where a joined office keeps the fingerprint from its invite.
pub const META_HUB_FINGERPRINT: &str = "sync.hub_fingerprint";

/// The hub's certificate (DER) and private key, loaded or just generated.
pub struct HubCert {
    pub cert: CertificateDer<'static>,
    pub key: PrivateKeyDer<'static>,
    /// Lowercase hex SHA-256 of the certificate's DER bytes.
    pub fingerprint: String,
}

/// Lowercase hex SHA-256 of a certificate's DER bytes.
pub fn fingerprint(der: &[u8]) -> String {
    hex::encode(Sha256::digest(der))
}

/// A fingerprint as people copy it (upper or lower case, with or without
/// colons) in the one form this module compares.
pub fn parse_fingerprint(text: &str) -> Result<String> {
    let hex_only: String = text.trim().chars().filter(|c| *c != ':').collect::<String>().to_ascii_lowercase();
    if hex_only.len() != 64 || !hex_only.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid(
            "hub_fingerprint",
            format!("'{text}' is not a SHA-256 fingerprint (64 hex digits)"),
        ));
    }
    Ok(hex_only)
}

/// The crypto provider of every TLS config here: ring, one for client and hub.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Loads the hub's certificate from `data_dir`, generating it on first use.
pub fn ensure_hub_cert(data_dir: &Path) -> Result<HubCert> {
    let keys = KeyStore::for_data_dir(data_dir);
    if let (Some(cert_pem), Some(key_pem)) = (keys.get(CERT_FILE)?, keys.get(KEY_FILE)?) {
        let cert = CertificateDer::from_pem_slice(&cert_pem)
            .map_err(|e| Error::Sync(format!("hub certificate {CERT_FILE} unreadable: {e}")))?;
        let key = PrivateKeyDer::from_pem_slice(&key_pem)
            .map_err(|e| Error::Sync(format!("hub private key {KEY_FILE} unreadable: {e}")))?;
        let fingerprint = fingerprint(&cert);
        return Ok(HubCert { cert, key, fingerprint });
    }
    // The fingerprint, not the name, identifies the hub; the name only
    // satisfies tools that insist on one.
    let made = rcgen::generate_simple_self_signed(vec!["kizuna-hub".to_string()])
        .map_err(|e| Error::Sync(format!("cannot generate the hub's certificate: {e}")))?;
    let key_pem = zeroize::Zeroizing::new(made.signing_key.serialize_pem());
    // The key first: a certificate without its key is never left behind.
    keys.put(KEY_FILE, key_pem.as_bytes())?;
    keys.put(CERT_FILE, made.cert.pem().as_bytes())?;
    let cert = made.cert.der().clone();
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes())
        .map_err(|e| Error::Sync(format!("generated hub key unreadable: {e}")))?;
    let fingerprint = fingerprint(&cert);
    tracing::info!(fingerprint = %fingerprint, "generated the hub's TLS certificate");
    Ok(HubCert { cert, key, fingerprint })
}

/// The fingerprint of the hub certificate in `data_dir`, if there is one.
pub fn local_fingerprint(data_dir: &Path) -> Option<String> {
    let pem = KeyStore::for_data_dir(data_dir).get(CERT_FILE).ok().flatten()?;
    CertificateDer::from_pem_slice(&pem).ok().map(|c| fingerprint(&c))
}

pub fn server_config(cert: &HubCert) -> Result<ServerConfig> {
    let mut cfg = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_no_client_auth().with_single_cert(vec![cert.cert.clone()], cert.key.clone_key()))
        .map_err(|e| Error::Sync(format!("hub TLS configuration: {e}")))?;
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(cfg)
}

/// Accepts exactly the certificate whose SHA-256 is the pinned fingerprint.
/// Remembers what a refused hub presented, for the error message.
#[derive(Debug)]
pub struct PinnedCert {
    pinned: String,
    algorithms: WebPkiSupportedAlgorithms,
    pub refused: Mutex<Option<String>>,
}

impl ServerCertVerifier for PinnedCert {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let seen = fingerprint(end_entity);
        if seen == self.pinned {
            return Ok(ServerCertVerified::assertion());
        }
        if let Ok(mut r) = self.refused.lock() {
            *r = Some(seen);
        }
        Err(rustls::Error::InvalidCertificate(rustls::CertificateError::ApplicationVerificationFailure))
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A client config that trusts only the certificate with `pinned` fingerprint.
pub fn client_config(pinned: &str) -> Result<(ClientConfig, Arc<PinnedCert>)> {
    let provider = provider();
    let verifier = Arc::new(PinnedCert {
        pinned: parse_fingerprint(pinned)?,
        algorithms: provider.signature_verification_algorithms,
        refused: Mutex::new(None),
    });
    let mut cfg = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Sync(format!("client TLS configuration: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((cfg, verifier))
}
