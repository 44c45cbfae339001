//! The local SQLite database: opening, migrating, the one write path and
//! the change log's digest.

pub mod backup;
mod cipher;
pub mod digest;
mod merge;
mod migrate;
mod write;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, functions::FunctionFlags};

pub use cipher::{AtRest, connect};
pub use merge::{MergeStats, Verdict, check_entry, is_plain_name};
pub use migrate::SCHEMA_VERSION;
// The cell types live in `crate::cell`; re-exported so `store::CellValue` keeps working.
pub use crate::cell::{CellValue, Change, Entry, parse_cells};
pub(crate) use crate::cell::{Cells, cells_json, write_cells_json};
pub use digest::LogDigest;
pub use write::Writer;

use crate::error::{Error, Result};
use crate::fold::fold;
use crate::hlc::{Clock, Stamp, WallClock, system_millis};

/// A write that logs at least this many entries leaves its checkpoint to a
/// background connection (see [`Store::write`]).
const LARGE_WRITE_ENTRIES: i64 = 10_000;

/// Page size of new databases, in bytes.
const PAGE_SIZE: i64 = 16 * 1024;
/// The page cache a connection opens with, in KiB (see `open`).
const FULL_CACHE_KIB: i64 = 262_144;

pub struct Store {
    conn: Connection,
    clock: Clock,
    origin: String,
    path: PathBuf,
    /// Counts this connection's committed writes: with `PRAGMA data_version`
    /// (other connections' commits) it tells caches whether the data changed.
    generation: u64,
    /// The background checkpoint after the last large write (see `write`).
    checkpoint: Option<std::thread::JoinHandle<()>>,
    at_rest: AtRest,
}

impl Drop for Store {
    fn drop(&mut self) {
        self.join_checkpoint();
    }
}

/// The database's file name in a data folder.
pub const DB_FILE: &str = "kizuna.sqlite3";

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema
    /// up to date. A database from a newer version is refused untouched.
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_with_clock(path, system_millis)
    }

    /// Opens the database of an initialised data folder; a folder with no
    /// database, or one never initialised, is `not_initialised`.
    pub fn open_folder(data_dir: &Path) -> Result<Store> {
        let db = data_dir.join(DB_FILE);
        let not_initialised = || Error::NotInitialised { path: data_dir.display().to_string() };
        if !db.exists() {
            return Err(not_initialised());
        }
        let store = Store::open(&db)?;
        if store.origin().is_empty() {
            return Err(not_initialised());
        }
        Ok(store)
    }

    pub fn open_with_clock(path: &Path, wall: WallClock) -> Result<Store> {
        Self::open_at_rest(path, wall, AtRest::Encrypted)
    }

    /// As [`Store::open_with_clock`], choosing how a new file is kept on disk
    /// (see [`AtRest`]: plain only for a benchmark's baseline).
    pub fn open_at_rest(path: &Path, wall: WallClock, at_rest: AtRest) -> Result<Store> {
        let conn = cipher::open(path, at_rest)?;
        Self::from_connection(conn, path.to_path_buf(), wall, at_rest)
    }

    pub fn open_in_memory() -> Result<Store> {
        Self::from_connection(Connection::open_in_memory()?, PathBuf::from(":memory:"), system_millis, AtRest::Plain)
    }

    fn from_connection(mut conn: Connection, path: PathBuf, wall: WallClock, at_rest: AtRest) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // Batched merges prepare one upsert per distinct column set.
        conn.set_prepared_statement_cache_capacity(256);
        migrate::check_version(&conn)?;
        // New databases only (an existing file keeps its page size): 16 KiB
        // pages take a quarter of the WAL frames, B-tree splits and page
        // writes of 4 KiB ones, which made an initial sync's commit 2-4
        // times slower. Reads of single rows stay cheap at this size.
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Up to 256 MiB of page cache (taken only as pages are read): bulk
        // writes (imports, an initial sync of 100k sites) otherwise spill
        // pages to the WAL mid-transaction, and rebuild their indexes from
        // pages that must be read back and decrypted. 64 MiB made an initial
        // sync a fifth slower. The app caps its own handles lower.
        conn.pragma_update(None, "cache_size", -FULL_CACHE_KIB)?;
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        conn.create_scalar_function(
            "kz_fold",
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| {
                let s: Option<String> = ctx.get(0)?;
                Ok(s.map(|s| fold(&s)))
            },
        )?;
        // Orders Japanese by reading in gojūon order (`fold::kana_order_key`).
        conn.create_scalar_function(
            "kz_kana_key",
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| {
                let s: Option<String> = ctx.get(0)?;
                Ok(s.map(|s| crate::fold::kana_order_key(&s)))
            },
        )?;
        // Orders municipalities by JIS X 0402 code; names not in the list after them.
        conn.create_scalar_function(
            "kz_municipality_code",
            2,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| {
                let (pref, name): (Option<String>, Option<String>) = (ctx.get(0)?, ctx.get(1)?);
                let code = crate::municipality::code_of(pref.as_deref().unwrap_or(""), name.as_deref().unwrap_or(""));
                Ok(code.unwrap_or("99999").to_string())
            },
        )?;
        migrate::migrate(&mut conn)?;
        crate::secret::move_legacy_signing_key(&conn)?;
        let last: i64 = conn
            .query_row("SELECT value FROM local_meta WHERE key = 'hlc'", [], |r| r.get::<_, String>(0))
            .optional()?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let logged: i64 = conn.query_row("SELECT coalesce(max(hlc), 0) FROM change_log", [], |r| r.get(0))?;
        let origin = conn
            .query_row("SELECT value FROM local_meta WHERE key = 'office'", [], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or_default();
        Ok(Store {
            conn,
            clock: Clock::new(Stamp(last.max(logged)), wall),
            origin,
            path,
            generation: 0,
            checkpoint: None,
            at_rest,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// For reads. Writes go through [`Store::write`].
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// This installation's office code; empty before `init`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Changes whenever the database's content may have changed, through
    /// this connection or any other (a hub process serving the same folder).
    /// Runs a bulk read (a whole mailing list's export) with the core's
    /// full page cache, then gives the connection back the cache size it
    /// had. The window keeps a small cache for its idle memory; an export of
    /// 50,000 contacts took 700 ms under it against 450 ms at the full size,
    /// re-reading and decrypting pages the small cache had dropped.
    pub fn with_full_cache<T>(&self, read: impl FnOnce() -> Result<T>) -> Result<T> {
        let own: i64 = self.conn.pragma_query_value(None, "cache_size", |r| r.get(0))?;
        // Negative sizes are KiB, positive ones pages: compare in KiB.
        let own_kib = if own < 0 { -own } else { own * PAGE_SIZE / 1024 };
        if own_kib >= FULL_CACHE_KIB {
            return read();
        }
        self.conn.pragma_update(None, "cache_size", -FULL_CACHE_KIB)?;
        let out = read();
        // Shrinking the cache frees the pages above the limit at once.
        self.conn.pragma_update(None, "cache_size", own)?;
        out
    }

    pub fn data_stamp(&self) -> Result<(u64, i64)> {
        let version: i64 = self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok((self.generation, version))
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM local_meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    fn join_checkpoint(&mut self) {
        if let Some(t) = self.checkpoint.take() {
            let _ = t.join();
        }
    }

    /// Runs `f` in one transaction. Everything `f` writes, domain rows and
    /// change-log entries alike, commits together or not at all.
    pub fn write<T>(&mut self, f: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        // Immediate: a deferred transaction that reads first cannot always
        // upgrade to a writer when another connection wrote meanwhile.
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut clock = self.clock.clone();
        // Another connection (the hub serving this folder, say) may have
        // observed newer stamps since this one last wrote.
        let stored: Option<String> =
            tx.query_row("SELECT value FROM local_meta WHERE key = 'hlc'", [], |r| r.get(0)).optional()?;
        if let Some(s) = stored.and_then(|v| v.parse::<i64>().ok()) {
            clock.observe(Stamp(s));
        }
        let mut w = Writer::new(tx, &mut clock, &self.origin);
        let out = f(&mut w)?;
        // A large write (an initial sync, an import) commits without copying
        // its pages from the WAL into the database file: a background
        // connection does that after the commit. Just as durable as before,
        // as `synchronous = NORMAL` syncs nothing at commit in WAL mode.
        let large = w.logged_entries() >= LARGE_WRITE_ENTRIES && self.path != Path::new(":memory:");
        if large && let Some(t) = self.checkpoint.take() {
            let _ = t.join();
        }
        // A small write (a sync's closing marker) while that background
        // checkpoint still runs would otherwise copy the large write's pages
        // itself, before it returns, whenever it takes the checkpoint first.
        let deferred = large || self.checkpoint.as_ref().is_some_and(|t| !t.is_finished());
        if deferred {
            w.conn().pragma_update(None, "wal_autocheckpoint", 0)?;
        }
        let done = w.finish();
        if deferred {
            self.conn.pragma_update(None, "wal_autocheckpoint", 1000)?;
        }
        done?;
        if large {
            let (path, at_rest) = (self.path.clone(), self.at_rest);
            self.checkpoint = Some(std::thread::spawn(move || {
                // Best effort: any later commit checkpoints as usual, and the
                // last connection to close always does.
                if let Ok(c) = cipher::open(&path, at_rest) {
                    let _ = c.busy_timeout(std::time::Duration::from_secs(10));
                    let _ = c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            }));
        }
        self.clock = clock;
        self.generation += 1;
        if self.origin.is_empty() {
            // `init` records the office inside its first write.
            self.origin = self.meta("office")?.unwrap_or_default();
        }
        Ok(out)
    }
}
