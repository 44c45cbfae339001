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

    /// A shortened id (or member number) that more than one record has.
    #[error(
        "'{given}' could be more than one {entity}: {}{}; give more of the id",
        candidates.join(", "),
        if *more { ", …" } else { "" }
    )]
    Ambiguous { entity: &'static str, given: String, candidates: Vec<String>, more: bool },

    /// Several fields failed validation at once: every problem of the input
    /// is reported together, so a person fixes them in one go.
    #[error("{}", problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; "))]
    InvalidFields { problems: Vec<FieldProblem> },

    /// A new record that is probably one already registered (a member of the
    /// same name, legal form aside, in the same prefecture); the person
    /// confirms to add it all the same.
    #[error(
        "{field}: looks like {existing}, already registered in the same prefecture (the same name once legal forms, width and kana are set aside)"
    )]
    LikelyDuplicate { field: String, existing: String },

    /// Removing the record would silently remove others with it (a member's
    /// sites); the person confirms the cascade, knowing the counts.
    #[error(
        "{record} has {sites} site(s), {active_sites} of them active: removing it removes them too, and they then count in no report"
    )]
    NeedsCascade { record: String, sites: i64, active_sites: i64 },
}

/// One field's problem: the input's field name and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// Collects the problems of an input's fields instead of stopping at the
/// first, so the whole list reaches the person at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldProblem>);

impl Problems {
    pub fn new() -> Problems {
        Problems::default()
    }

    /// The value of a check that passed, or `None` with its problem kept.
    /// An error that is not about a field (storage, ...) is returned at once.
    pub fn check<T>(&mut self, r: Result<T>) -> Result<Option<T>> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(Error::Invalid { field, message }) => {
                self.push(field, message);
                Ok(None)
            }
            Err(Error::InvalidFields { problems }) => {
                self.0.extend(problems);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldProblem { field: field.into(), message: message.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was wrong; one problem as the plain `Invalid` error,
    /// several as `InvalidFields` (both `invalid_input`).
    pub fn finish(mut self) -> Result<()> {
        match self.0.len() {
            0 => Ok(()),
            1 => {
                let p = self.0.remove(0);
                Err(Error::Invalid { field: p.field, message: p.message })
            }
            _ => Err(Error::InvalidFields { problems: self.0 }),
        }
    }
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
            Error::Ambiguous { .. } => "ambiguous_id",
            Error::InvalidFields { .. } => "invalid_input",
            Error::LikelyDuplicate { .. } => "likely_duplicate",
            Error::NeedsCascade { .. } => "needs_cascade",
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            Error::InvalidFields { problems } => problems.first().map(|p| p.field.as_str()),
            Error::LikelyDuplicate { field, .. } => Some(field),
            _ => None,
        }
    }

    /// Every field problem: one for `Invalid`, all of them for `InvalidFields`.
    pub fn problems(&self) -> Vec<FieldProblem> {
        match self {
            Error::Invalid { field, message } => vec![FieldProblem { field: field.clone(), message: message.clone() }],
            Error::InvalidFields { problems } => problems.clone(),
            _ => Vec::new(),
        }
    }

    pub fn to_api(&self) -> ApiError {
        ApiError {
            code: self.code().to_string(),
            message: self.to_string(),
            field: self.field().map(str::to_string),
            problems: self.problems(),
        }
    }
}

/// The shape in which an error crosses into the UI or the CLI's `--json` output.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ApiError {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    /// Every field that failed, each with its reason (empty for other errors).
    pub problems: Vec<FieldProblem>,
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        e.to_api()
    }
}
