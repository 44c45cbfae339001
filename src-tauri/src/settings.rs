//! Preferences of this window that are not network data: the UI language
//! and the sync hub's address. Kept in a small JSON file in the data folder, next to the
//! database, so a data folder carries its own settings and tests that use a
//! temporary folder start clean.

use std::path::{Path, PathBuf};

use kizuna_core::{ApiError, Error};
use serde::{Deserialize, Serialize};

const FILE: &str = "ui-settings.json";
pub const LANGUAGES: [&str; 2] = ["ja", "en"];

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct UiSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hub_url: Option<String>,
}

fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// A missing or unreadable file means "no preference yet", never an error:
/// the window must open regardless.
pub fn load(data_dir: &Path) -> UiSettings {
    std::fs::read_to_string(path(data_dir)).ok().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

pub fn save_language(data_dir: &Path, language: &str) -> Result<(), ApiError> {
    if !LANGUAGES.contains(&language) {
        return Err(Error::invalid("language", format!("unknown language '{language}': use ja or en")).to_api());
    }
    let mut s = load(data_dir);
    s.language = Some(language.to_string());
    save(data_dir, &s)
}

/// The hub this window syncs with; blank clears it. Only the form is
/// checked here (the core's rule: https://, or http:// to this computer);
/// whether a hub answers there shows on the first sync.
pub fn save_hub_url(data_dir: &Path, url: &str) -> Result<Option<String>, ApiError> {
    let url = url.trim().trim_end_matches('/');
    let hub = if url.is_empty() {
        None
    } else {
        kizuna_core::sync::check_hub_url(url).map_err(ApiError::from)?;
        Some(url.to_string())
    };
    let mut s = load(data_dir);
    s.hub_url = hub.clone();
    save(data_dir, &s)?;
    Ok(hub)
}

fn save(data_dir: &Path, s: &UiSettings) -> Result<(), ApiError> {
    std::fs::create_dir_all(data_dir).map_err(|e| Error::io(data_dir, e).to_api())?;
    let text = serde_json::to_string_pretty(s).map_err(|e| Error::Rejected(e.to_string()).to_api())?;
    kizuna_core::files::write_atomic(&path(data_dir), text.as_bytes()).map_err(ApiError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of its own under the system's temp dir, removed at the end.
    /// (No tempfile dev-dependency: it would change the features the Tauri
    /// tree is built with for `cargo test` against `cargo build`.)
    struct TempDir(std::path::PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let dir = std::env::temp_dir().join(format!("kizuna-app-{name}-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn language_round_trips_and_unknown_is_refused() {
        let dir = TempDir::new("language");
        assert_eq!(load(dir.path()).language, None);
        save_language(dir.path(), "en").unwrap();
        assert_eq!(load(dir.path()).language.as_deref(), Some("en"));
        let err = save_language(dir.path(), "fr").unwrap_err();
        assert_eq!((err.code.as_str(), err.field.as_deref()), ("invalid_input", Some("language")));
        assert_eq!(load(dir.path()).language.as_deref(), Some("en"));
    }

    #[test]
    fn hub_url_is_kept_beside_the_language_and_blank_clears_it() {
        let dir = TempDir::new("hub-url");
        save_language(dir.path(), "ja").unwrap();
        assert_eq!(
            save_hub_url(dir.path(), " http://127.0.0.1:7070/ ").unwrap().as_deref(),
            Some("http://127.0.0.1:7070")
        );
        let s = load(dir.path());
        assert_eq!((s.language.as_deref(), s.hub_url.as_deref()), (Some("ja"), Some("http://127.0.0.1:7070")));
        assert_eq!(
            save_hub_url(dir.path(), "https://hq.example:7070").unwrap().as_deref(),
            Some("https://hq.example:7070")
        );
        save_hub_url(dir.path(), "http://127.0.0.1:7070").unwrap();
        for bad in ["http://hq.example:7070", "127.0.0.1:7070", "http://", "http://a b", "ftp://hq.example"] {
            let err = save_hub_url(dir.path(), bad).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("hub_url"), "{bad}");
        }
        assert_eq!(load(dir.path()).hub_url.as_deref(), Some("http://127.0.0.1:7070"));
        assert_eq!(save_hub_url(dir.path(), "").unwrap(), None);
        assert_eq!(load(dir.path()).hub_url, None);
        assert_eq!(load(dir.path()).language.as_deref(), Some("ja"));
    }
}
