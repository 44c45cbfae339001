//! Backup files: a copy of the database taken with SQLite's online backup
//! API, and restoring one into the live database through the same API.
//!
//! A backup file is the database as it stood at one instant, encrypted
//! (SQLCipher) under the data folder's own `keys/database.key`, like the
//! database itself: a stolen backup is as unreadable as a stolen database.
//! Restoring therefore needs that key: a backup restores into the data
//! folder that took it, or into a folder given a copy of its `keys/` folder
//! (which the README tells people to keep apart, with the backups).
//!
//! Taking a backup copies every page in one step under one read
//! transaction: in WAL mode that neither blocks nor is disturbed by a writer
//! in another process, and the copy is the snapshot that read saw.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::secret::KeyStore;
use crate::store::Store;

/// What a backup file holds, read before anything is restored from it.
#[derive(Debug, Clone)]
pub struct BackupFacts {
    pub schema_version: i64,
    pub office: String,
    pub installation_id: String,
    /// `PRAGMA integrity_check` and `PRAGMA cipher_integrity_check` said ok.
    pub problems: Vec<String>,
}

/// Opens a backup file with the database key of `keys`, checking the key.
pub fn open_backup(path: &Path, keys: &KeyStore) -> Result<Connection> {
    if !path.is_file() {
        return Err(Error::invalid("file", format!("no backup file at {}", path.display())));
    }
    let key = keys.database_key(false)?.ok_or_else(|| {
        Error::KeyUnavailable(format!("{} is missing: a backup opens only with it", keys.database_key_path().display()))
    })?;
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    key.unlock(&conn)?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).map_err(|_| {
        Error::KeyUnavailable(format!(
            "{} cannot be read with {}: it is not a Kizuna backup, it is damaged, or it was taken by another \
             data folder (restore that folder's keys/ first)",
            path.display(),
            keys.database_key_path().display()
        ))
    })?;
    Ok(conn)
}

/// Reads and checks a backup file: its integrity, schema and office.
pub fn check_backup(path: &Path, keys: &KeyStore) -> Result<BackupFacts> {
    let conn = open_backup(path, keys)?;
    let mut problems = Vec::new();
    for pragma in ["PRAGMA cipher_integrity_check", "PRAGMA integrity_check"] {
        // A damaged file can fail the check itself rather than answer it:
        // that is a finding about the file, not a storage error of ours.
        let found = (|| -> rusqlite::Result<Vec<String>> {
            let mut stmt = conn.prepare(pragma)?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect()
        })();
        match found {
            Ok(rows) => problems.extend(rows.into_iter().filter(|r| r != "ok")),
            Err(e) => problems.push(format!("{pragma} could not read the file: {e}")),
        }
    }
    if !problems.is_empty() {
        return Ok(BackupFacts { schema_version: 0, office: String::new(), installation_id: String::new(), problems });
    }
    let schema_version = super::migrate::check_version(&conn)?;
    let meta = |key: &str| -> Result<String> {
        Ok(conn
            .query_row("SELECT value FROM local_meta WHERE key = ?1", [key], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or_default())
    };
    Ok(BackupFacts { schema_version, office: meta("office")?, installation_id: meta("installation_id")?, problems })
}

fn sibling_tmp(dest: &Path) -> PathBuf {
    let mut s = dest.as_os_str().to_owned();
    s.push(format!(".part-{}", std::process::id()));
    PathBuf::from(s)
}

impl Store {
    /// Writes a backup of the database to `dest` (see the module header):
    /// a temporary file beside it, synced and renamed into place, owner-only.
    /// Returns its size in bytes.
    pub fn backup_to(&self, dest: &Path) -> Result<u64> {
        let keys = KeyStore::beside(&self.path);
        let dir = dest.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        if !dir.is_dir() {
            return Err(Error::invalid("out", format!("no folder {}", dir.display())));
        }
        let tmp = sibling_tmp(dest);
        let _ = std::fs::remove_file(&tmp);
        let result = (|| -> Result<()> {
            {
                let mut o = std::fs::OpenOptions::new();
                o.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
                o.open(&tmp).map_err(|e| Error::io(&tmp, e))?;
            }
            let mut out = Connection::open(&tmp)?;
            if self.at_rest == super::AtRest::Encrypted {
                let key = keys.database_key(false)?.ok_or_else(|| {
                    Error::KeyUnavailable(format!("{} is missing", keys.database_key_path().display()))
                })?;
                key.unlock(&out)?;
            }
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
                // All pages in one step: one read snapshot (see the module header).
                backup.step(-1)?;
            }
            out.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
            drop(out);
            std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(|e| Error::io(&tmp, e))?;
            std::fs::rename(&tmp, dest).map_err(|e| Error::io(dest, e))?;
            crate::secret::sync_dir(dir);
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result?;
        Ok(std::fs::metadata(dest).map_err(|e| Error::io(dest, e))?.len())
    }

    /// Replaces the database's content with the backup at `src`, in place
    /// through the backup API (other connections, another process's, see the
    /// new content on their next read), then migrates it if it is older.
    /// The clock keeps its place: later writes are stamped after everything
    /// this replica ever stamped or saw. The caller has checked the file.
    pub fn restore_from(&mut self, src: &Path) -> Result<()> {
        let keys = KeyStore::beside(&self.path);
        let from = open_backup(src, &keys)?;
        {
            let backup = rusqlite::backup::Backup::new(&from, &mut self.conn)?;
            backup.step(-1)?;
        }
        drop(from);
        super::migrate::migrate(&mut self.conn)?;
        let last = self.clock.last();
        self.write(|w| w.set_meta("hlc", &last.0.to_string()))?;
        self.origin = self.meta("office")?.unwrap_or_default();
        Ok(())
    }
}
