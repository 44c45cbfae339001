//! One error type for the whole core. Every variant has a stable `code` that
//! the UI and scripts switch on; the `Display` text is for people.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A field failed validation; `field` is the input's name as the user typed it.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },

    #[error("no {entity} with id {id}")]
    NotFound { entity: &'static str, id: String },

    #[error("the database at {path} has not been initialised; run `kizuna init` first")]
    NotInitialised { path: String },

    #[error("the database at {path} is already initialised")]
    AlreadyInitialised { path: String },

    #[error(
        "the database was written by a newer Kizuna (schema version {found}, this build knows up to {known}); \
         upgrade Kizuna before opening it. The file was not changed."
    )]
    SchemaTooNew { found: i64, known: i64 },

    #[error("conflict: {0}")]
    Conflict(String),

    #[error("sync: {0}")]
    Sync(String),

    #[error("rejected: {0}")]
    Rejected(String),

    /// A sync request or bundle not signed by an enrolled office's key.
    #[error("unauthorized: {0}")]
    Unauthorized(String),

    /// A key the data folder needs (the database's, the office's) is missing,
    /// malformed or belongs to something else.
    #[error("key: {0}")]
    KeyUnavailable(String),

    #[error("report: {0}")]
    Report(String),

    #[error("storage: {0}")]
    Storage(#[from] rusqlite::Error),

    #[error("file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid { field: field.into(), message: message.into() }
    }

    pub fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        Error::Io { path: path.as_ref().display().to_string(), source }
    }

    /// Stable machine-readable code. Never rename one: the UI and scripts match on it.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid_input",
            Error::NotFound { .. } => "not_found",
            Error::NotInitialised { .. } => "not_initialised",
            Error::AlreadyInitialised { .. } => "already_initialised",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::Conflict(_) => "conflict",
            Error::Sync(_) => "sync_failed",
            Error::Rejected(_) => "rejected",
            Error::Unauthorized(_) => "unauthorized",
            Error::KeyUnavailable(_) => "key_unavailable",
            Error::Report(_) => "report_failed",
            Error::Storage(_) => "storage",
            Error::Io { .. } => "io",
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    pub fn to_api(&self) -> ApiError {
        ApiError { code: self.code().to_string(), message: self.to_string(), field: self.field().map(str::to_string) }
    }
}

/// The shape in which an error crosses into the UI or the CLI's `--json` output.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        e.to_api()
    }
}
