//! The core API: the one set of operations the CLI and the desktop shell call.

mod advocacy;
mod attendance_index;
mod choices;
mod contact_index;
mod coordination;
mod dashboard;
mod demo;
mod directory;
mod distributions;
pub mod doctor;
mod export;
mod finance;
mod fund_demo;
mod fund_donors;
mod fund_index;
mod gifts;
mod grant_desk;
mod grants;
mod lazy_index;
mod ledger;
mod mailing;
mod mailing_files;
mod matches;
mod matching_demo;
mod matching_index;
mod matching_stats;
mod meeting_index;
mod meetings;
mod members;
mod narratives;
mod needs;
mod offers;
mod offices;
pub mod removed;
pub mod reports;
mod resolve;
mod site_activity;
mod site_index;
mod sites;
mod suggestions;
mod sync;
// Data exchange: spreadsheet import, standard exports, backup and restore.
mod backup;
mod exchange_export;
mod import;
mod list_sheet;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

pub use backup::{BACKUP_DIR, BackupFile, BackupKind, BackupSaved, RestorePlan, RestoreReport, UnsyncedChange};
pub use choices::{Choices, choices};
pub use dashboard::{Dashboard, DueReport, PendingTranche, PhaseProgress, PrefectureCount, REPORTS_DUE_DAYS};
pub use demo::DemoSummary;
pub use exchange_export::{
    DEFAULT_ORG_REF, ExportSaved, HxlExportRequest, IatiExportRequest, TableExportRequest, TableFormat,
};
pub use fund_demo::FundDemoSummary;
pub use import::{
    ColumnMapping, DuplicateCandidate, DuplicateChoice, HeaderField, ImportField, ImportKind, ImportProblem,
    ImportProgress, ImportReport, ImportRequest, ImportStage, RowDecision,
};
pub use list_sheet::{ListSheet, ListSheetRequest};
pub use matching_demo::MatchingDemoSummary;
pub use members::MemberRemoved;
pub use reports::{ReportKind, ReportOptions, ReportProgress, ReportRequest, ReportSaved, ReportStage};
pub use resolve::MIN_ID_PREFIX;
pub use suggestions::DEFAULT_SUGGESTIONS;

use crate::error::{Error, Result};
use crate::model::office::check_code;
use crate::store::{AtRest, Store};

pub use crate::store::DB_FILE;

/// The data folder both the CLI and the desktop app use unless told otherwise:
/// `$KIZUNA_DATA_DIR`, else the OS data directory (`~/.local/share/kizuna`).
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KIZUNA_DATA_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("kizuna")
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InitOptions {
    /// tokyo, tono, fukushima or sendai; HQ (tokyo) when absent.
    #[ts(optional)]
    pub office: Option<String>,
    /// Create the database without the seed data set.
    #[ts(optional)]
    pub empty: Option<bool>,
}

/// This installation: where its data lives and which office it is.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Installation {
    pub data_dir: String,
    pub database: String,
    pub office: String,
    pub installation_id: String,
    #[ts(type = "number")]
    pub schema_version: i64,
    /// Every synced table and whether this office may write it, so a front
    /// end can disable what the core would refuse as `unauthorized`.
    pub tables: Vec<TableAccess>,
}

/// Who may create, edit, remove and restore the rows of one table, as the
/// schema registry declares and `sync::rights::may_write` enforces.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TableAccess {
    pub table: String,
    /// Only HQ writes this table (grants, money, donors, the organisation).
    pub hq_only: bool,
    /// This office may write it.
    pub writable: bool,
}

pub struct Kizuna {
    store: Store,
    data_dir: PathBuf,
    /// Built on the first site search, rebuilt after the data changes.
    site_index: std::cell::RefCell<Option<site_index::SiteIndex>>,
    /// Built on the first coordination figures, rebuilt after the data changes.
    attendance_index: std::cell::RefCell<Option<attendance_index::AttendanceIndex>>,
    /// Built on the first contact search, rebuilt after the data changes.
    contact_index: std::cell::RefCell<Option<contact_index::ContactIndex>>,
    /// Built on the first meeting search, rebuilt after the data changes.
    meeting_index: std::cell::RefCell<Option<meeting_index::MeetingIndex>>,
    /// Built on the first ledger or balance check, rebuilt after the data changes.
    fund_index: std::cell::RefCell<Option<fund_index::FundIndex>>,
    /// Built on the first suggestion, rebuilt after the data changes.
    matching_index: std::cell::RefCell<Option<matching_index::MatchingIndex>>,
}

/// A fresh UUIDv7 for a row created on this machine.
pub fn new_id() -> String {
    Uuid::now_v7().to_string()
}

/// The id of the one row that records a pair (an attendee at a meeting, a
/// contact on a list): derived from the pair, so that two offices recording
/// the same pair write the same row and their edits merge cell by cell.
pub(crate) fn pair_id(table: &str, a: &str, b: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(format!("{table}\0{a}\0{b}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&hash[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid().to_string()
}

/// Maps a query for one record that found no row to `not_found`, naming
/// the record kind and the id asked for; any other error passes through.
pub(crate) fn not_found<'a>(entity: &'static str, id: &'a str) -> impl FnOnce(rusqlite::Error) -> Error + 'a {
    move |e| match e {
        rusqlite::Error::QueryReturnedNoRows => Error::NotFound { entity, id: id.to_string() },
        e => e.into(),
    }
}

impl Kizuna {
    fn with_store(store: Store, data_dir: &Path) -> Kizuna {
        Kizuna {
            store,
            data_dir: data_dir.to_path_buf(),
            site_index: Default::default(),
            attendance_index: Default::default(),
            contact_index: Default::default(),
            meeting_index: Default::default(),
            fund_index: Default::default(),
            matching_index: Default::default(),
        }
    }

    /// Opens an initialised data folder. Never creates anything: a folder
    /// without a database is reported, not silently made.
    pub fn open(data_dir: &Path) -> Result<Kizuna> {
        let store = Store::open_folder(data_dir)?;
        let k = Kizuna::with_store(store, data_dir);
        // The day's automatic backup (see `backup`): a failure is logged, never
        // a reason not to open.
        if let Err(e) = k.auto_backup() {
            tracing::warn!("automatic backup of {} failed: {e}", data_dir.display());
        }
        Ok(k)
    }

    /// Whether `data_dir` holds an initialised database.
    pub fn is_initialised(data_dir: &Path) -> Result<bool> {
        let db = data_dir.join(DB_FILE);
        if !db.exists() {
            return Ok(false);
        }
        Ok(!Store::open(&db)?.origin().is_empty())
    }

    /// Creates the database for one office, seeded from the source document
    /// unless `empty` is set. Refuses an already initialised folder.
    pub fn init(data_dir: &Path, opts: &InitOptions) -> Result<Kizuna> {
        Self::init_at_rest(data_dir, opts, AtRest::Encrypted)
    }

    /// As [`Kizuna::init`]; `AtRest::Plain` leaves the new database
    /// unencrypted, only to measure what encryption costs (benchmarks).
    pub fn init_at_rest(data_dir: &Path, opts: &InitOptions, at_rest: AtRest) -> Result<Kizuna> {
        let office = check_code(opts.office.as_deref().unwrap_or("tokyo"))?;
        let seeded = !opts.empty.unwrap_or(false);
        if seeded && !crate::model::office::OFFICE_CODES.contains(&office.as_str()) {
            return Err(Error::invalid(
                "office",
                format!(
                    "'{office}' is not one of the seeded offices ({}): join with HQ's invite",
                    crate::model::office::OFFICE_CODES.join(", ")
                ),
            ));
        }
        let db = data_dir.join(DB_FILE);
        let mut store = Store::open_at_rest(&db, crate::hlc::system_millis, at_rest)?;
        if !store.origin().is_empty() {
            return Err(Error::AlreadyInitialised { path: data_dir.display().to_string() });
        }
        store.write(|w| {
            w.set_meta("office", &office)?;
            w.set_meta("installation_id", &new_id())?;
            if !opts.empty.unwrap_or(false) {
                crate::seed::write_seed(w)?;
            }
            Ok(())
        })?;
        Ok(Kizuna::with_store(store, data_dir))
    }

    /// Creates an office's database from HQ's invite file, opened with the
    /// passphrase HQ read out: enrolled, and empty until its first sync
    /// brings the network's data (seed included). A wrong passphrase or an
    /// altered file is refused before anything is created.
    ///
    /// A folder that already holds this office's database, made before it
    /// was enrolled (`init --office tono`, the first-start screen), is
    /// adopted: it is enrolled in place and keeps its data, whose changes are
    /// the office's own and go up with its next sync (signed by the new key
    /// on the next export or push, as entries from before feeds are).
    pub fn join(data_dir: &Path, invite_file: &[u8], passphrase: &str) -> Result<Kizuna> {
        let invite = crate::sync::Invite::open(invite_file, passphrase)?;
        let db = data_dir.join(DB_FILE);
        let mut store = Store::open(&db)?;
        if !store.origin().is_empty() {
            let enrolled =
                crate::sync::keys::identity(store.conn(), store.origin()).map(|i| i.is_some()).unwrap_or(true);
            if enrolled {
                return Err(Error::AlreadyInitialised { path: data_dir.display().to_string() });
            }
            if store.origin() != invite.office {
                return Err(Error::invalid(
                    "office",
                    format!(
                        "this database is office '{}' and the invite is for '{}': join with '{}''s invite, or in another data folder",
                        store.origin(),
                        invite.office,
                        store.origin()
                    ),
                ));
            }
            store.write(|w| crate::sync::keys::record_join(w, &invite))?;
            return Ok(Kizuna::with_store(store, data_dir));
        }
        store.write(|w| {
            w.set_meta("office", &invite.office)?;
            w.set_meta("installation_id", &new_id())?;
            crate::sync::keys::record_join(w, &invite)
        })?;
        Ok(Kizuna::with_store(store, data_dir))
    }

    /// [`Kizuna::join`] with the invite read from `invite_path`.
    pub fn join_file(data_dir: &Path, invite_path: &Path, passphrase: &str) -> Result<Kizuna> {
        let bytes = std::fs::read(invite_path).map_err(|e| Error::io(invite_path, e))?;
        Self::join(data_dir, &bytes, passphrase)
    }

    /// Caps SQLite's page cache of this handle at `kib` KiB. The core's
    /// default is large for bulk writes (imports, sync); a long-lived window
    /// that mostly pages through lists can keep less resident.
    pub fn set_page_cache_kib(&self, kib: u32) -> Result<()> {
        self.store.conn().pragma_update(None, "cache_size", -i64::from(kib))?;
        Ok(())
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub fn office_code(&self) -> &str {
        self.store.origin()
    }

    /// This office's rights on every synced table.
    pub fn table_access(&self) -> Vec<TableAccess> {
        crate::schema::TABLES
            .iter()
            .map(|t| TableAccess {
                table: t.name.to_string(),
                hq_only: t.rights == crate::schema::Rights::HqOnly,
                writable: crate::sync::rights::may_write(self.office_code(), t).is_ok(),
            })
            .collect()
    }

    /// The id of the live row of `table` that `given` names (a whole id, a
    /// unique prefix, a member number: see `resolve`), else `not_found`
    /// naming the record kind.
    pub(crate) fn require_live(&self, table: &'static str, id: &str) -> Result<String> {
        self.resolve_id(table, id)
    }

    pub fn installation(&self) -> Result<Installation> {
        Ok(Installation {
            data_dir: self.data_dir.display().to_string(),
            database: self.store.path().display().to_string(),
            office: self.store.origin().to_string(),
            installation_id: self.store.meta("installation_id")?.unwrap_or_default(),
            schema_version: crate::store::SCHEMA_VERSION,
            tables: self.table_access(),
        })
    }
}
