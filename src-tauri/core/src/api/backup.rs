//! Backups of the data folder's database and restoring one (see
//! `store::backup` for what a backup file is), and the automatic daily
//! backups: when the app or the CLI opens a data folder whose newest
//! automatic backup is more than a day old (or that has none), it takes one
//! into `backups/daily/` of the data folder, and the first of each ISO week
//! is also kept in `backups/weekly/`; the newest 7 daily and 4 weekly stay.
//!
//! A restore checks the file first (the key opens it, SQLite's and
//! SQLCipher's integrity checks pass, the schema is not newer, the office is
//! this one), then refuses to discard changes made here that no peer has
//! received and the backup does not hold, listing them, unless forced.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use chrono::Datelike;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::Kizuna;
use crate::error::{Error, Result};
use crate::secret::KeyStore;
use crate::store::backup::{check_backup, open_backup};

/// The automatic backups' folder in a data folder.
pub const BACKUP_DIR: &str = "backups";
const DAILY_KEPT: usize = 7;
const WEEKLY_KEPT: usize = 4;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupSaved {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub office: String,
    #[ts(type = "number")]
    pub schema_version: i64,
}

/// An automatic backup on disk.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BackupFile {
    pub path: String,
    /// "daily" or "weekly".
    pub kind: BackupKind,
    #[ts(type = "number")]
    pub bytes: u64,
    /// When it was written, RFC 3339 UTC.
    pub taken_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BackupKind {
    Daily,
    Weekly,
}

/// A change made here that no peer has received and a backup lacks.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct UnsyncedChange {
    pub table: String,
    pub row_id: String,
    /// The change's stamp, as `sync status` shows stamps.
    pub stamp: String,
    /// The columns it changed.
    pub columns: Vec<String>,
}

/// What restoring a file would do, checked without changing anything.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RestorePlan {
    pub path: String,
    pub office: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    /// Changes that restoring would discard (restore refuses unless
    /// forced), newest first, at most a thousand.
    pub lost: Vec<UnsyncedChange>,
    /// How many changes restoring would discard in all.
    #[ts(type = "number")]
    pub lost_total: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RestoreReport {
    pub path: String,
    pub office: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    /// Unsynced changes discarded because the restore was forced (the first thousand).
    pub discarded: Vec<UnsyncedChange>,
    #[ts(type = "number")]
    pub discarded_total: u64,
}

/// Most unsynced changes a plan lists one by one.
const LOST_LISTED: usize = 1_000;

fn rfc3339(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Kizuna {
    /// Writes a backup of the database to `path` while other connections
    /// (the app, a hub) may be writing.
    pub fn backup(&self, path: &Path) -> Result<BackupSaved> {
        let bytes = self.store.backup_to(path)?;
        Ok(BackupSaved {
            path: path.display().to_string(),
            bytes,
            office: self.office_code().to_string(),
            schema_version: crate::store::SCHEMA_VERSION,
        })
    }

    /// The automatic backups of this data folder, newest first.
    pub fn backup_list(&self) -> Result<Vec<BackupFile>> {
        let mut out = Vec::new();
        for (kind, dir) in [(BackupKind::Daily, "daily"), (BackupKind::Weekly, "weekly")] {
            for (path, modified, bytes) in list_backups(&self.data_dir.join(BACKUP_DIR).join(dir))? {
                out.push(BackupFile { path: path.display().to_string(), kind, bytes, taken_at: rfc3339(modified) });
            }
        }
        out.sort_by(|a, b| b.taken_at.cmp(&a.taken_at));
        Ok(out)
    }

    /// Takes the day's automatic backup if the newest is more than a day
    /// old or there is none (see the module header); keeps 7 daily and 4
    /// weekly. Returns the backup taken, if one was.
    pub fn auto_backup(&self) -> Result<Option<BackupSaved>> {
        let root = self.data_dir.join(BACKUP_DIR);
        let (daily, weekly) = (root.join("daily"), root.join("weekly"));
        let existing = list_backups(&daily)?;
        let fresh = existing.first().is_some_and(|(_, modified, _)| {
            SystemTime::now().duration_since(*modified).unwrap_or_default() < Duration::from_secs(24 * 3600)
        });
        if fresh {
            return Ok(None);
        }
        for d in [&root, &daily, &weekly] {
            crate::secret::create_owner_only_dir(d)?;
        }
        let today = crate::dates::today();
        let path = daily.join(format!("kizuna-{today}.sqlite3"));
        let saved = self.backup(&path)?;
        let week = today.iso_week();
        let weekly_path = weekly.join(format!("kizuna-{}-W{:02}.sqlite3", week.year(), week.week()));
        if !weekly_path.exists() {
            self.store.backup_to(&weekly_path)?;
        }
        for (dir, keep) in [(&daily, DAILY_KEPT), (&weekly, WEEKLY_KEPT)] {
            for (old, _, _) in list_backups(dir)?.into_iter().skip(keep) {
                std::fs::remove_file(&old).map_err(|e| Error::io(&old, e))?;
            }
        }
        Ok(Some(saved))
    }

    /// Checks a backup file and lists what restoring it would discard.
    pub fn restore_check(&self, path: &Path) -> Result<RestorePlan> {
        let keys = KeyStore::for_data_dir(&self.data_dir);
        let facts = check_backup(path, &keys)?;
        if !facts.problems.is_empty() {
            return Err(Error::Rejected(format!(
                "{} fails its integrity check, nothing was restored: {}",
                path.display(),
                facts.problems.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
            )));
        }
        if facts.office != self.office_code() {
            return Err(Error::invalid(
                "file",
                format!(
                    "{} is a backup of office '{}', this data folder is office '{}'",
                    path.display(),
                    facts.office,
                    self.office_code()
                ),
            ));
        }
        let (lost, lost_total) = self.unsynced_missing_from(path, &keys)?;
        Ok(RestorePlan {
            path: path.display().to_string(),
            office: facts.office,
            schema_version: facts.schema_version,
            lost,
            lost_total,
        })
    }

    /// Restores the backup at `path` (see the module header). Changes not
    /// yet synced that the backup lacks are refused as a `conflict` listing
    /// them, unless `force`.
    pub fn restore(&mut self, path: &Path, force: bool) -> Result<RestoreReport> {
        let plan = self.restore_check(path)?;
        if plan.lost_total > 0 && !force {
            let listed: Vec<String> = plan
                .lost
                .iter()
                .take(20)
                .map(|c| format!("{} {} ({}) at {}", c.table, c.row_id, c.columns.join(", "), c.stamp))
                .collect();
            let more =
                if plan.lost_total > 20 { format!("; and {} more", plan.lost_total - 20) } else { String::new() };
            return Err(Error::Conflict(format!(
                "restoring {} would discard {} change(s) made here that no office has received yet: {}{more}. \
                 Sync first, or restore with --force to discard them",
                path.display(),
                plan.lost_total,
                listed.join("; ")
            )));
        }
        self.store.restore_from(path)?;
        Ok(RestoreReport {
            path: plan.path,
            office: plan.office,
            schema_version: crate::store::SCHEMA_VERSION,
            discarded: plan.lost,
            discarded_total: plan.lost_total,
        })
    }

    /// This office's changes not yet sent (as `sync status` counts them)
    /// that the backup at `path` does not hold.
    fn unsynced_missing_from(&self, path: &Path, keys: &KeyStore) -> Result<(Vec<UnsyncedChange>, u64)> {
        let sent: i64 = self.store.meta("sent_seq")?.and_then(|s| s.parse().ok()).unwrap_or(0);
        let backup = open_backup(path, keys)?;
        let mut in_backup = backup.prepare(
            "SELECT EXISTS (SELECT 1 FROM change_log WHERE hlc = ?1 AND origin = ?2 AND tbl = ?3 AND row_id = ?4)",
        )?;
        let mut stmt = self.store.conn().prepare(
            "SELECT hlc, tbl, row_id, cells FROM change_log WHERE origin = ?1 AND seq > ?2 ORDER BY seq DESC",
        )?;
        let mut rows = stmt.query(rusqlite::params![self.office_code(), sent])?;
        let (mut lost, mut total) = (Vec::new(), 0u64);
        while let Some(r) = rows.next()? {
            let (hlc, tbl, row_id, cells): (i64, String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let held: bool =
                in_backup.query_row(rusqlite::params![hlc, self.office_code(), tbl, row_id], |r| r.get(0))?;
            if held {
                continue;
            }
            total += 1;
            if lost.len() < LOST_LISTED {
                let columns = crate::cell::parse_cells(&cells)?.into_iter().map(|(c, _)| c).collect();
                lost.push(UnsyncedChange { table: tbl, row_id, stamp: crate::hlc::Stamp(hlc).to_string(), columns });
            }
        }
        Ok((lost, total))
    }
}

/// Backup files in `dir`, newest first (by modification time).
fn list_backups(dir: &Path) -> Result<Vec<(PathBuf, SystemTime, u64)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| Error::io(dir, e))?;
        let path = e.path();
        if path.extension().is_some_and(|x| x == "sqlite3") {
            let meta = e.metadata().map_err(|err| Error::io(&path, err))?;
            out.push((path, meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), meta.len()));
        }
    }
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.cmp(&a.0)));
    Ok(out)
}
