//! The network's offices. Each installation belongs to exactly one.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Office {
    pub id: String,
    pub code: String,
    pub name_en: String,
    pub name_ja: String,
    pub prefecture_code: String,
    pub locality_en: String,
    pub locality_ja: String,
    pub is_hq: bool,
}

/// The four offices of the source document, in its order but HQ first.
pub const OFFICE_CODES: [&str; 4] = ["tokyo", "tono", "fukushima", "sendai"];

pub fn check_code(code: &str) -> Result<&'static str> {
    let c = code.trim().to_ascii_lowercase();
    OFFICE_CODES.iter().find(|o| **o == c).copied().ok_or_else(|| {
        Error::invalid("office", format!("unknown office '{}': use tokyo, tono, fukushima or sendai", code.trim()))
    })
}

/// Prefix of the numbers an office hands out, so offline offices never collide.
pub fn number_prefix(code: &str) -> &'static str {
    match code {
        "tokyo" => "TKY",
        "tono" => "TNO",
        "fukushima" => "FKS",
        "sendai" => "SDI",
        _ => "XXX",
    }
}
