//! Domain types and their validation rules. Pure: no database here.

pub mod advocacy;
pub mod directory;
pub mod fields;
pub mod fund;
pub mod grant;
pub mod grant_desk;
pub mod mailing;
pub mod matching;
pub mod meeting;
pub mod member;
pub mod narrative;
pub mod office;
pub mod profile;
pub mod rules;
pub mod site;
pub mod suggestion;
pub mod text;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

/// One page of a list, with the total that matched.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Page<T> {
    #[ts(type = "number")]
    pub total: i64,
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
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

/// A fixed list of codes with English and Japanese labels.
pub type CodeTable = [(&'static str, &'static str, &'static str)];

pub fn choices(table: &CodeTable) -> Vec<Choice> {
    table.iter().map(|(c, en, ja)| Choice { code: c.to_string(), en: en.to_string(), ja: ja.to_string() }).collect()
}

/// Accepts a code, its English label (any case) or its Japanese label; blank is `None`.
pub fn pick(field: &str, value: &str, table: &CodeTable) -> Result<Option<String>> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    table
        .iter()
        .find(|(c, en, ja)| v.eq_ignore_ascii_case(c) || v.eq_ignore_ascii_case(en) || v == *ja)
        .map(|(c, _, _)| Some(c.to_string()))
        .ok_or_else(|| {
            let codes: Vec<&str> = table.iter().map(|(c, _, _)| *c).collect();
            Error::invalid(field, format!("unknown value '{v}': use one of {}", codes.join(", ")))
        })
}
