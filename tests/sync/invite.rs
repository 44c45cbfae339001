//! The invite file, sealed with the one-time passphrase HQ reads out.

use kizuna_core::Kizuna;
use kizuna_core::api::DB_FILE;
use kizuna_core::sync::Invite;

use crate::net::{Replica, carry, dump, hq};

fn nothing_created(dir: &std::path::Path) {
    assert!(!dir.join(DB_FILE).exists(), "a refused join created a database");
    assert!(!dir.join("keys").exists(), "a refused join stored a key");
}

fn other(passphrase: &str) -> String {
    // Same shape, one character different.
    let mut p: Vec<char> = passphrase.chars().collect();
    p[0] = if p[0] == 'A' { 'B' } else { 'A' };
    p.into_iter().collect()
}

#[test]
fn the_right_passphrase_joins_and_a_wrong_one_writes_nothing() {
    let mut hq = hq();
    let sealed = hq.k.office_invite("tono").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();

    let err = Kizuna::join(&dir, &sealed.bytes, &other(&sealed.passphrase)).err().expect("wrong passphrase");
    assert_eq!(err.code(), "unauthorized");
    assert!(err.to_string().contains("passphrase"), "{err}");
    nothing_created(&dir);
    let err = Kizuna::join(&dir, &sealed.bytes, "ABCDE-FGH").err().expect("too short");
    assert_eq!((err.code(), err.field()), ("invalid_input", Some("passphrase")));
    nothing_created(&dir);

    // Read out loud and typed in lower case with spaces: still the same passphrase.
    let typed = sealed.passphrase.to_lowercase().replace('-', " ");
    let k = Kizuna::join(&dir, &sealed.bytes, &typed).unwrap();
    assert_eq!(k.office_code(), "tono");
    let mut tono = Replica { dir: tmp, k };
    carry(&mut hq, &mut tono);
    carry(&mut tono, &mut hq);
    assert_eq!(dump(&tono), dump(&hq));
}

#[test]
fn an_altered_invite_file_is_refused() {
    let mut hq = hq();
    let sealed = hq.k.office_invite("sendai").unwrap();
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("sendai");
    let text = String::from_utf8(sealed.bytes.clone()).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();

    // One bit of the ciphertext.
    let ct = v["ciphertext"].as_str().unwrap();
    let flipped = format!("{}{}", if ct.starts_with('0') { '1' } else { '0' }, &ct[1..]);
    let bad = text.replace(ct, &flipped);
    let err = Kizuna::join(&dir, bad.as_bytes(), &sealed.passphrase).err().expect("altered ciphertext");
    assert_eq!(err.code(), "unauthorized");
    nothing_created(&dir);
    // The stated key-derivation cost (authenticated with the header).
    let bad = text.replace("\"t_cost\": 2", "\"t_cost\": 3");
    assert_ne!(bad, text);
    assert_eq!(Kizuna::join(&dir, bad.as_bytes(), &sealed.passphrase).err().unwrap().code(), "unauthorized");
    // A cost no real invite states is refused before any work.
    let bad = text.replace(&format!("\"m_kib\": {}", v["m_kib"]), "\"m_kib\": 4000000000");
    assert_eq!(Kizuna::join(&dir, bad.as_bytes(), &sealed.passphrase).err().unwrap().code(), "rejected");
    // Truncated, and not an invite at all.
    let err = Kizuna::join(&dir, &sealed.bytes[..sealed.bytes.len() / 2], &sealed.passphrase).err().unwrap();
    assert_eq!(err.code(), "rejected");
    nothing_created(&dir);
    // The genuine file still joins.
    Kizuna::join(&dir, &sealed.bytes, &sealed.passphrase).unwrap();
}

#[test]
fn the_sealed_file_does_not_show_the_office_key_and_plain_invites_are_refused() {
    let mut hq = hq();
    let sealed = hq.k.office_invite("fukushima").unwrap();
    let inv = Invite::open(&sealed.bytes, &sealed.passphrase).unwrap();
    let text = String::from_utf8_lossy(&sealed.bytes);
    assert!(!text.contains(&inv.secret_key), "the office's key is readable in the file");
    assert!(!text.contains("fukushima"), "the file tells nothing without its passphrase");
    // An invite as the previous version wrote it: plain JSON with the key.
    let plain = serde_json::json!({
        "format": "kizuna-invite 1", "office": inv.office, "secret_key": inv.secret_key, "cert": inv.cert,
    })
    .to_string();
    let dir = tempfile::tempdir().unwrap();
    let err = Kizuna::join(dir.path(), plain.as_bytes(), &sealed.passphrase).err().expect("plain invite");
    assert_eq!(err.code(), "rejected");
    assert!(err.to_string().contains("not sealed"), "{err}");
    nothing_created(dir.path());
}
