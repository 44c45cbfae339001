//! Domain types and their validation rules. Pure: no database here.

pub mod grant;
pub mod member;
pub mod office;
pub mod profile;
pub mod site;
pub mod text;

use serde::Serialize;
use ts_rs::TS;

/// One page of a list, with the total that matched.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Page<T> {
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
    pub rows: Vec<T>,
}

/// A label in both languages, as lists of choices send them to the UI.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Choice {
    pub code: String,
    pub en: String,
    pub ja: String,
}
