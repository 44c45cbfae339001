//! What the window keeps between commands: the data folder and, once it is
//! initialised, the open core handle.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use kizuna_core::{ApiError, Error, Kizuna};

pub struct AppState {
    pub data_dir: PathBuf,
    pub started: Instant,
    /// `None` until the first-start screen has chosen an office, or when
    /// opening failed (then `open_error` says why).
    kizuna: Mutex<Option<Kizuna>>,
    pub open_error: Option<ApiError>,
}

impl AppState {
    pub fn open(data_dir: PathBuf, started: Instant) -> AppState {
        let (kizuna, open_error) = match Kizuna::is_initialised(&data_dir) {
            Ok(true) => match Kizuna::open(&data_dir).and_then(|k| k.set_page_cache_kib(PAGE_CACHE_KIB).map(|()| k)) {
                Ok(k) => (Some(k), None),
                Err(e) => (None, Some(e.to_api())),
            },
            Ok(false) => (None, None),
            Err(e) => (None, Some(e.to_api())),
        };
        if let Some(e) = &open_error {
            log::error!("cannot open {}: {}", data_dir.display(), e.message);
        }
        AppState { data_dir, started, kizuna: Mutex::new(kizuna), open_error }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Kizuna>> {
        // A panic inside a core call poisons the lock; the handle itself is
        // still consistent (every write is one transaction), so keep going.
        self.kizuna.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn not_initialised(&self) -> ApiError {
        self.open_error
            .clone()
            .unwrap_or_else(|| Error::NotInitialised { path: self.data_dir.display().to_string() }.to_api())
    }

    /// Runs a read or write against the open database.
    pub fn with<T>(&self, f: impl FnOnce(&mut Kizuna) -> kizuna_core::Result<T>) -> Result<T, ApiError> {
        let mut guard = self.lock();
        let k = guard.as_mut().ok_or_else(|| self.not_initialised())?;
        f(k).map_err(ApiError::from)
    }

    pub fn is_open(&self) -> bool {
        self.lock().is_some()
    }

    /// Stores the handle that `init` created.
    pub fn set(&self, k: Kizuna) {
        if let Err(e) = k.set_page_cache_kib(PAGE_CACHE_KIB) {
            log::warn!("cannot size the page cache: {e}");
        }
        *self.lock() = Some(k);
    }
}

/// SQLite's own default page cache (2 MiB) instead of the core's 64 MiB:
/// 46 MiB less RSS once the dashboard has read 100,000 sites, and list
/// queries page through an index the OS keeps cached anyway. Sync raises it
/// for the length of a bulk exchange.
pub const PAGE_CACHE_KIB: u32 = 2_048;
