//! Secrets at rest: owner-only files, keys outside the database, the
//! database encrypted (SQLCipher) and plain databases encrypted once.

use std::path::Path;

use kizuna_core::Kizuna;
use kizuna_core::api::{DB_FILE, InitOptions};
use kizuna_core::store::{SCHEMA_VERSION, connect};

use crate::fresh;
use crate::registry::member;

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode() & 0o777
}

fn key_hex(dir: &Path, name: &str) -> String {
    String::from_utf8(std::fs::read(dir.join("keys").join(name)).unwrap()).unwrap().trim().to_string()
}

/// Every byte the database leaves on disk: the file, its WAL and shared memory.
fn database_bytes(dir: &Path) -> Vec<u8> {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|s| std::fs::read(dir.join(format!("{DB_FILE}{s}"))).ok())
        .flatten()
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(unix)]
#[test]
fn the_data_folder_database_and_keys_are_owner_only() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    let mut k = Kizuna::init(&dir, &InitOptions::default()).unwrap();
    k.member_add(&member("会", "Group", "カイ")).unwrap();
    // HQ's root key comes with its first invite.
    k.office_invite("tono").unwrap();
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join(DB_FILE)), 0o600);
    let wal = dir.join(format!("{DB_FILE}-wal"));
    assert!(wal.exists(), "the WAL is open while the handle lives");
    assert_eq!(mode(&wal), 0o600);
    assert_eq!(mode(&dir.join(format!("{DB_FILE}-shm"))), 0o600);
    assert_eq!(mode(&dir.join("keys")), 0o700);
    assert_eq!(mode(&dir.join("keys/database.key")), 0o600);
    assert_eq!(mode(&dir.join("keys/signing.key")), 0o600);
}

#[test]
fn no_secret_key_is_in_the_database_files() {
    let (dir, mut k) = fresh("tokyo");
    k.office_invite("sendai").unwrap();
    let signing = key_hex(dir.path(), "signing.key");
    let database = key_hex(dir.path(), "database.key");
    assert_eq!(signing.len(), 64);
    assert!(k.store().meta("sync.secret_key").unwrap().is_none());
    drop(k);
    let bytes = database_bytes(dir.path());
    for key in [&signing, &database] {
        assert!(!contains(&bytes, key.as_bytes()), "hex key in the database files");
        assert!(!contains(&bytes, &hex_bytes(key)), "raw key in the database files");
    }
    // HQ still signs with the same key after reopening: it is read from the key store.
    let mut k = Kizuna::open(dir.path()).unwrap();
    k.office_invite("tono").unwrap();
    assert_eq!(key_hex(dir.path(), "signing.key"), signing);
}

fn hex_bytes(h: &str) -> Vec<u8> {
    (0..h.len()).step_by(2).map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn the_database_file_is_encrypted_and_opens_only_with_its_key() {
    let (dir, mut k) = fresh("tono");
    let m = k.member_add(&member("暗号化の会", "Cipher Group", "アンゴウカノカイ")).unwrap();
    drop(k);
    let path = dir.path().join(DB_FILE);
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"), "plain SQLite header");
    assert!(!contains(&bytes, "暗号化の会".as_bytes()) && !contains(&bytes, b"Cipher Group"));

    // A copy of the file alone is not a database to anyone.
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(&path, copy.path().join(DB_FILE)).unwrap();
    let plain = rusqlite::Connection::open(copy.path().join(DB_FILE)).unwrap();
    let err = plain.query_row("SELECT count(*) FROM members", [], |r| r.get::<_, i64>(0)).unwrap_err();
    assert!(err.to_string().contains("not a database"), "{err}");
    drop(plain);
    let err = Kizuna::open(copy.path()).err().expect("no key, no database");
    assert_eq!(err.code(), "key_unavailable");
    assert!(err.to_string().contains("keys/database.key"), "{err}");
    // With another data folder's key it does not open either.
    let (other, _k) = fresh("sendai");
    std::fs::create_dir_all(copy.path().join("keys")).unwrap();
    std::fs::copy(other.path().join("keys/database.key"), copy.path().join("keys/database.key")).unwrap();
    assert_eq!(Kizuna::open(copy.path()).err().expect("wrong key").code(), "key_unavailable");
    // With its own key file it does.
    std::fs::copy(dir.path().join("keys/database.key"), copy.path().join("keys/database.key")).unwrap();
    let k = Kizuna::open(copy.path()).unwrap();
    assert_eq!(k.member_show(&m.id).unwrap().name_en, "Cipher Group");
    let raw = connect(&copy.path().join(DB_FILE)).unwrap();
    let n: i64 = raw.query_row("SELECT count(*) FROM members WHERE id = ?1", [&m.id], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
}

/// A plain database as the previous version left it: HQ enrolled (its root
/// key in `local_meta`), a member, WAL mode, files readable by all.
fn plain_hq_database(dir: &Path) -> String {
    let (src, mut k) = fresh("tokyo");
    k.member_add(&member("古い会", "Old Group", "フルイカイ")).unwrap();
    k.office_invite("tono").unwrap();
    drop(k);
    // Decrypt into a plain file with SQLCipher's own export, then put the key
    // back where the previous version kept it.
    let enc = connect(&src.path().join(DB_FILE)).unwrap();
    let plain = dir.join(DB_FILE);
    enc.execute("ATTACH DATABASE ?1 AS plain KEY ''", [plain.to_str().unwrap()]).unwrap();
    enc.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(())).unwrap();
    enc.execute_batch(&format!("PRAGMA plain.user_version = {SCHEMA_VERSION}; DETACH DATABASE plain;")).unwrap();
    drop(enc);
    let signing = key_hex(src.path(), "signing.key");
    let c = rusqlite::Connection::open(&plain).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.execute("INSERT INTO local_meta (key, value) VALUES ('sync.secret_key', ?1)", [&signing]).unwrap();
    drop(c);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    assert!(std::fs::read(&plain).unwrap().starts_with(b"SQLite format 3\0"));
    signing
}

#[test]
fn a_plain_database_is_encrypted_once_and_its_key_moved_out() {
    let dir = tempfile::tempdir().unwrap();
    let signing = plain_hq_database(dir.path());
    let path = dir.path().join(DB_FILE);
    assert!(contains(&std::fs::read(&path).unwrap(), signing.as_bytes()), "the old layout holds the key");

    let mut k = Kizuna::open(dir.path()).unwrap();
    assert_eq!(k.member_list(&Default::default()).unwrap().rows.iter().filter(|m| m.name_en == "Old Group").count(), 1);
    assert!(k.store().meta("sync.secret_key").unwrap().is_none());
    assert_eq!(key_hex(dir.path(), "signing.key"), signing);
    // The moved key still signs: HQ can enrol another office.
    k.office_invite("sendai").unwrap();
    drop(k);

    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));
    assert!(!contains(&database_bytes(dir.path()), signing.as_bytes()));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".encrypting") || n.ends_with(".plain-old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);
    // Once: the next open finds it encrypted and leaves the file as it is.
    let before = std::fs::read(&path).unwrap();
    drop(Kizuna::open(dir.path()).unwrap());
    assert_eq!(std::fs::read(&path).unwrap().len(), before.len());
    assert_eq!(key_hex(dir.path(), "signing.key"), signing);
}

#[test]
fn an_encryption_interrupted_by_a_crash_leaves_a_usable_database() {
    let dir = tempfile::tempdir().unwrap();
    plain_hq_database(dir.path());
    let path = dir.path().join(DB_FILE);
    // As a crash before the swap leaves it: a half-written encrypted copy and
    // a link to the plain file, which is still the database.
    std::fs::write(dir.path().join(format!("{DB_FILE}.encrypting")), b"half a copy").unwrap();
    std::fs::hard_link(&path, dir.path().join(format!("{DB_FILE}.plain-old"))).unwrap();
    let k = Kizuna::open(dir.path()).unwrap();
    assert!(k.member_list(&Default::default()).unwrap().rows.iter().any(|m| m.name_en == "Old Group"));
    drop(k);
    assert!(!std::fs::read(&path).unwrap().starts_with(b"SQLite format 3"));
    assert!(!dir.path().join(format!("{DB_FILE}.encrypting")).exists());
    assert!(!dir.path().join(format!("{DB_FILE}.plain-old")).exists());
}

#[test]
fn a_newer_plain_database_is_refused_before_it_is_encrypted() {
    let (dir, path) = crate::newer_plain_database();
    let before = std::fs::read(&path).unwrap();
    assert_eq!(Kizuna::open(dir.path()).err().expect("refused").code(), "schema_too_new");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!dir.path().join("keys").exists(), "no key made for a database it refused");
}

#[test]
fn a_plain_database_for_the_benchmark_baseline_stays_plain_until_reopened() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kizuna::init_at_rest(dir.path(), &InitOptions::default(), kizuna_core::store::AtRest::Plain).unwrap();
    let seeded = k.export_json().unwrap();
    drop(k);
    let path = dir.path().join(DB_FILE);
    assert!(std::fs::read(&path).unwrap().starts_with(b"SQLite format 3\0"));
    let k = Kizuna::open(dir.path()).unwrap();
    assert_eq!(k.export_json().unwrap(), seeded);
    drop(k);
    assert!(!std::fs::read(&path).unwrap().starts_with(b"SQLite format 3"));
}
