//! Preferences of this window that are not network data (today: the UI
//! language). Kept in a small JSON file in the data folder, next to the
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
    std::fs::create_dir_all(data_dir).map_err(|e| Error::io(data_dir, e).to_api())?;
    let mut s = load(data_dir);
    s.language = Some(language.to_string());
    let text = serde_json::to_string_pretty(&s).map_err(|e| Error::Rejected(e.to_string()).to_api())?;
    kizuna_core::files::write_atomic(&path(data_dir), text.as_bytes()).map_err(ApiError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_round_trips_and_unknown_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).language, None);
        save_language(dir.path(), "en").unwrap();
        assert_eq!(load(dir.path()).language.as_deref(), Some("en"));
        let err = save_language(dir.path(), "fr").unwrap_err();
        assert_eq!((err.code.as_str(), err.field.as_deref()), ("invalid_input", Some("language")));
        assert_eq!(load(dir.path()).language.as_deref(), Some("en"));
    }
}
