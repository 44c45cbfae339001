//! Opening database files: encrypted at rest (SQLCipher) and owner-only.
//!
//! Every connection to a database file is made by [`connect`] (or the
//! store's own `open`), so each one states its key (`PRAGMA key`) before any
//! other statement. A new database is encrypted with a random 256-bit key
//! kept in the data folder's key store ([`crate::secret`]), never beside the
//! data in the file. The database file is created 0600 (SQLite gives its
//! `-wal` and `-shm` files the same mode) in a folder created 0700.
//!
//! A plain SQLite file, as earlier versions wrote, is encrypted once when
//! opened: with every other connection shut out, `sqlcipher_export` copies it
//! into `NAME.encrypting`, which is synced and renamed over the plain file.
//! Until that rename the plain file is untouched, so a crash at any point
//! leaves a usable database; the next open finishes or discards the rest. A
//! hard link `NAME.plain-old` taken before the rename lets the plain file's
//! old content be overwritten afterwards instead of merely unlinked.

use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::secret::{self, DatabaseKey, KeyStore};

/// The first 16 bytes of every plain SQLite database file.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// How a new database is kept on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtRest {
    /// SQLCipher with a random key from the key store: the default, always.
    Encrypted,
    /// Plain SQLite, only to measure what encryption costs (the store
    /// benchmark's baseline). Applies to a new file only; an existing
    /// encrypted file still opens with its key, and a plain file opened
    /// later as `Encrypted` is encrypted then.
    Plain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Missing,
    Plain,
    Encrypted,
}

fn kind(path: &Path) -> Result<Kind> {
    use std::io::Read;
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Kind::Missing),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mut head = Vec::with_capacity(16);
    f.by_ref().take(16).read_to_end(&mut head).map_err(|e| Error::io(path, e))?;
    Ok(match head.len() {
        0 => Kind::Missing,
        _ if head == PLAIN_HEADER => Kind::Plain,
        _ => Kind::Encrypted,
    })
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Opens the database file at `path` with its key, creating an encrypted
/// database (and its key) when there is none, and encrypting a plain one.
/// Tests, benchmarks and the shell open database files only through this.
pub fn connect(path: &Path) -> Result<Connection> {
    open(path, AtRest::Encrypted)
}

pub(crate) fn open(path: &Path, at_rest: AtRest) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        secret::create_owner_only_dir(dir)?;
    }
    let keys = KeyStore::beside(path);
    finish_interrupted(path)?;
    let mut found = kind(path)?;
    if found == Kind::Plain && at_rest == AtRest::Encrypted {
        encrypt_plain(path, &keys)?;
        found = kind(path)?;
    }
    owner_only_files(path, found == Kind::Missing)?;
    let key = match (found, at_rest) {
        (Kind::Encrypted, _) => Some(keys.database_key(false)?.ok_or_else(|| {
            Error::KeyUnavailable(format!(
                "{} is encrypted and its key {} is missing: restore the data folder's keys/ folder with it",
                path.display(),
                keys.database_key_path().display()
            ))
        })?),
        (Kind::Missing, AtRest::Encrypted) => keys.database_key(true)?,
        _ => None,
    };
    let conn = Connection::open(path)?;
    if let Some(key) = key {
        unlock(&conn, &key, path, &keys)?;
    }
    Ok(conn)
}

fn unlock(conn: &Connection, key: &DatabaseKey, path: &Path, keys: &KeyStore) -> Result<()> {
    key.unlock(conn)?;
    // SQLCipher checks the key on the first read of the file.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).map_err(|_| {
        Error::KeyUnavailable(format!(
            "{} cannot be decrypted with {}: the key belongs to another database, or the file is damaged",
            path.display(),
            keys.database_key_path().display()
        ))
    })?;
    Ok(())
}

/// The database file 0600 (created so when new), and any `-wal`/`-shm`
/// an earlier version left readable by others.
fn owner_only_files(path: &Path, create: bool) -> Result<()> {
    if create {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        o.open(path).map_err(|e| Error::io(path, e))?;
    }
    for p in [path.to_path_buf(), sibling(path, "-wal"), sibling(path, "-shm")] {
        if p.exists() {
            secret::restrict_to_owner(&p)?;
        }
    }
    Ok(())
}

/// Completes or discards what an encryption interrupted by a crash left.
fn finish_interrupted(path: &Path) -> Result<()> {
    let tmp = sibling(path, ".encrypting");
    if tmp.exists() {
        // The rename never happened: the plain file is still the database.
        std::fs::remove_file(&tmp).map_err(|e| Error::io(&tmp, e))?;
    }
    let old = sibling(path, ".plain-old");
    if old.exists() {
        if kind(path)? == Kind::Encrypted && !same_file(path, &old) {
            scrub(&old)?;
        } else {
            std::fs::remove_file(&old).map_err(|e| Error::io(&old, e))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &Path, _: &Path) -> bool {
    false
}

/// Overwrites a replaced plain database with zeros, then removes it.
fn scrub(path: &Path) -> Result<()> {
    use std::io::Write;
    let len = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
    let mut f = std::fs::OpenOptions::new().write(true).open(path).map_err(|e| Error::io(path, e))?;
    let zeros = vec![0u8; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        f.write_all(&zeros[..n]).map_err(|e| Error::io(path, e))?;
        left -= n as u64;
    }
    f.sync_all().map_err(|e| Error::io(path, e))?;
    drop(f);
    std::fs::remove_file(path).map_err(|e| Error::io(path, e))
}

/// Encrypts the plain database at `path` in place (see the module header).
fn encrypt_plain(path: &Path, keys: &KeyStore) -> Result<()> {
    let plain = Connection::open(path)?;
    plain.busy_timeout(std::time::Duration::from_secs(10))?;
    // A database from a newer version is refused untouched, encrypted or not.
    let version = super::migrate::check_version(&plain)?;
    // Leaving WAL mode checkpoints the WAL into the file and needs every
    // other connection closed; the exclusive lock then keeps them out until
    // the encrypted copy has replaced the file.
    let mode: String =
        plain.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0)).map_err(|e| in_use(path, &e.to_string()))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(in_use(path, &format!("journal mode stays {mode}")));
    }
    plain
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
        .map_err(|e| in_use(path, &e.to_string()))?;
    if kind(path)? != Kind::Plain {
        // Another process encrypted it while this one waited for the lock.
        return Ok(());
    }
    for stale in [sibling(path, "-wal"), sibling(path, "-shm")] {
        if stale.exists() {
            std::fs::remove_file(&stale).map_err(|e| Error::io(&stale, e))?;
        }
    }
    let tmp = sibling(path, ".encrypting");
    owner_only_files(&tmp, true)?;
    let key = keys.database_key(true)?.ok_or_else(|| Error::KeyUnavailable("no database key was created".into()))?;
    key.attach(&plain, &tmp, "encrypted")?;
    plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
    // sqlcipher_export copies the schema and rows, not the header's version.
    plain.execute_batch(&format!("PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"))?;
    std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(|e| Error::io(&tmp, e))?;
    let old = sibling(path, ".plain-old");
    let linked = std::fs::hard_link(path, &old).is_ok();
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
    if let Some(dir) = path.parent() {
        secret::sync_dir(if dir.as_os_str().is_empty() { Path::new(".") } else { dir });
    }
    drop(plain);
    if linked {
        scrub(&old)?;
    }
    Ok(())
}

fn in_use(path: &Path, why: &str) -> Error {
    Error::Conflict(format!(
        "{} is an unencrypted database from an earlier version and is open in another Kizuna process ({why}); \
         close the other process and retry, so it can be encrypted",
        path.display()
    ))
}
