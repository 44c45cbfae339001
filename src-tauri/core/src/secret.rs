//! Key material at rest: the one module that reads or writes secret keys.
//!
//! A data folder keeps its secrets in `keys/` beside the database, a folder
//! only its owner may enter (0700) holding files only the owner may read
//! (0600): `database.key`, the SQLCipher key of the database, and
//! `signing.key`, the office's Ed25519 key (HQ's is the network's root). The
//! database never holds a secret key, so a copied database file (or a backup
//! of it) is unreadable and cannot sign anything. Databases written before
//! this kept the signing key in `local_meta`; [`move_legacy_signing_key`]
//! moves it out once and overwrites the freed pages.
//!
//! Other secrets of the data folder (the hub's TLS key, say) use the same
//! store: [`KeyStore::put`] and [`KeyStore::get`], or [`write_owner_only`] and
//! [`read_owner_only`] for a file elsewhere.

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// The folder of a data folder that holds its keys.
pub const KEYS_DIR: &str = "keys";
const DATABASE_KEY: &str = "database.key";
const SIGNING_KEY: &str = "signing.key";
/// Where earlier versions kept the office's signing key, in `local_meta`.
const LEGACY_SIGNING_META: &str = "sync.secret_key";

/// Pages of the encrypted database, in bytes. SQLCipher keeps this outside
/// the (encrypted) header, so every connection must state it; the same size
/// the store asks of a plain SQLite file (see `store::PAGE_SIZE`).
const CIPHER_PAGE_SIZE: i64 = 16 * 1024;

/// A secret in memory: wiped when dropped.
pub type Secret = Zeroizing<Vec<u8>>;

/// Creates `dir` (and missing parents) readable by its owner only. An
/// existing folder is left as it is: it may be one the user chose and shares.
pub fn create_owner_only_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir).map_err(|e| Error::io(dir, e))
}

/// Restricts an existing file or folder to its owner (0600 or 0700).
pub fn restrict_to_owner(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        let mode = if meta.is_dir() { 0o700 } else { 0o600 };
        if meta.permissions().mode() & 0o777 != mode {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|e| Error::io(path, e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Writes `bytes` to `path` readable by the owner only, atomically (a
/// temporary file beside it, synced, renamed over it), in a folder created
/// owner-only if missing. A crash leaves the old secret or the new one.
pub fn write_owner_only(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    create_owner_only_dir(dir)?;
    // tempfile creates its files 0600 on Unix.
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::io(dir, e))?;
    restrict_to_owner(tmp.path())?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    sync_dir(dir);
    Ok(())
}

/// Reads a secret file; `None` when it does not exist.
pub fn read_owner_only(path: &Path) -> Result<Option<Secret>> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(Zeroizing::new(b))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Makes a rename in `dir` durable (best effort: not every platform can).
pub(crate) fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The `keys/` folder of one data folder.
#[derive(Debug, Clone)]
pub struct KeyStore {
    dir: PathBuf,
}

impl KeyStore {
    pub fn for_data_dir(data_dir: &Path) -> KeyStore {
        KeyStore { dir: data_dir.join(KEYS_DIR) }
    }

    /// The key store of the data folder holding the database file `db`.
    pub fn beside(db: &Path) -> KeyStore {
        Self::for_data_dir(db.parent().unwrap_or(Path::new(".")))
    }

    /// The key store of a connection's database; none for an in-memory one.
    pub(crate) fn of(conn: &Connection) -> Option<KeyStore> {
        conn.path().filter(|p| !p.is_empty()).map(|p| Self::beside(Path::new(p)))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file(&self, name: &str) -> Result<PathBuf> {
        if name.is_empty()
            || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            || name.starts_with('.')
        {
            return Err(Error::invalid("key name", format!("'{name}' is not a plain file name")));
        }
        Ok(self.dir.join(name))
    }

    /// Stores a secret under `name`, owner-only.
    pub fn put(&self, name: &str, bytes: &[u8]) -> Result<()> {
        write_owner_only(&self.file(name)?, bytes)
    }

    /// The secret stored under `name`, if any.
    pub fn get(&self, name: &str) -> Result<Option<Secret>> {
        read_owner_only(&self.file(name)?)
    }

    fn get_hex32(&self, name: &str) -> Result<Option<Zeroizing<[u8; 32]>>> {
        let Some(text) = self.get(name)? else { return Ok(None) };
        let mut out = Zeroizing::new([0u8; 32]);
        let trimmed = text.trim_ascii();
        hex::decode_to_slice(trimmed, &mut out[..]).map_err(|_| {
            Error::KeyUnavailable(format!(
                "{} is not a key (64 hexadecimal digits expected)",
                self.dir.join(name).display()
            ))
        })?;
        Ok(Some(out))
    }

    fn put_hex32(&self, name: &str, key: &[u8; 32]) -> Result<()> {
        let text = Zeroizing::new(hex::encode(key));
        self.put(name, text.as_bytes())
    }

    /// The office's signing key, if it has one.
    pub(crate) fn signing_key(&self) -> Result<Option<Zeroizing<[u8; 32]>>> {
        self.get_hex32(SIGNING_KEY)
    }

    pub(crate) fn set_signing_key(&self, key: &[u8; 32]) -> Result<()> {
        self.put_hex32(SIGNING_KEY, key)
    }

    /// The database key; created when `create` and there is none yet.
    pub(crate) fn database_key(&self, create: bool) -> Result<Option<DatabaseKey>> {
        if let Some(k) = self.get_hex32(DATABASE_KEY)? {
            return Ok(Some(DatabaseKey(k)));
        }
        if !create {
            return Ok(None);
        }
        let key = DatabaseKey(random_32()?);
        self.put_hex32(DATABASE_KEY, &key.0)?;
        Ok(Some(key))
    }

    pub(crate) fn database_key_path(&self) -> PathBuf {
        self.dir.join(DATABASE_KEY)
    }
}

/// 32 bytes from the operating system's generator.
pub(crate) fn random_32() -> Result<Zeroizing<[u8; 32]>> {
    let mut b = Zeroizing::new([0u8; 32]);
    getrandom::fill(&mut b[..])
        .map_err(|e| Error::KeyUnavailable(format!("no system randomness for a new key: {e}")))?;
    Ok(b)
}

/// The SQLCipher key of one database (raw 256 bits: no passphrase to stretch).
pub struct DatabaseKey(Zeroizing<[u8; 32]>);

impl DatabaseKey {
    /// `PRAGMA key`, first thing on a fresh connection, and the page size
    /// that SQLCipher cannot read from the encrypted header. SQLCipher's own
    /// log (stderr) is silenced: a wrong key is reported as our error.
    pub(crate) fn unlock(&self, conn: &Connection) -> Result<()> {
        let sql = Zeroizing::new(format!(
            "PRAGMA cipher_log_level = NONE; PRAGMA key = \"x'{}'\"; PRAGMA cipher_page_size = {CIPHER_PAGE_SIZE};",
            hex::encode(&self.0[..])
        ));
        conn.execute_batch(&sql)?;
        Ok(())
    }

    /// Attaches a new encrypted database file as `schema`, for
    /// `sqlcipher_export` from a plain connection.
    pub(crate) fn attach(&self, conn: &Connection, path: &Path, schema: &str) -> Result<()> {
        let key = Zeroizing::new(format!("x'{}'", hex::encode(&self.0[..])));
        conn.execute(
            &format!("ATTACH DATABASE ?1 AS {schema} KEY ?2"),
            rusqlite::params![path.to_string_lossy(), &*key],
        )?;
        conn.execute_batch(&format!("PRAGMA {schema}.cipher_page_size = {CIPHER_PAGE_SIZE};"))?;
        Ok(())
    }
}

/// Moves a signing key that an older version kept in `local_meta` into the
/// key store, then erases it from the database: `secure_delete` zeroes the
/// freed cell and a truncating checkpoint drops the WAL frames that held it.
/// A crash between the two steps leaves the key in both places, which the
/// next open resolves the same way.
pub(crate) fn move_legacy_signing_key(conn: &Connection) -> Result<()> {
    let Some(keys) = KeyStore::of(conn) else { return Ok(()) };
    let hex_key: Option<Zeroizing<String>> = conn
        .query_row("SELECT value FROM local_meta WHERE key = ?1", [LEGACY_SIGNING_META], |r| r.get(0))
        .optional()?
        .map(Zeroizing::new);
    let Some(hex_key) = hex_key else { return Ok(()) };
    let mut key = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(hex_key.trim(), &mut key[..])
        .map_err(|_| Error::KeyUnavailable("the signing key stored by an older version is malformed".into()))?;
    match keys.signing_key()? {
        None => keys.set_signing_key(&key)?,
        Some(k) if *k == *key => {}
        Some(_) => {
            return Err(Error::KeyUnavailable(format!(
                "the database holds a signing key that differs from {}: move one of them away",
                keys.dir().join(SIGNING_KEY).display()
            )));
        }
    }
    conn.pragma_update(None, "secure_delete", true)?;
    conn.execute("DELETE FROM local_meta WHERE key = ?1", [LEGACY_SIGNING_META])?;
    conn.pragma_update(None, "secure_delete", false)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}
