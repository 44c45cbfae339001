//! The coordinating body's own profile.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Profile {
    pub id: String,
    pub name_en: String,
    pub name_ja: String,
    pub acronym: String,
    #[ts(type = "number")]
    pub founded_year: i64,
    pub affiliation_en: String,
    pub affiliation_ja: String,
    pub mission_en: String,
    pub mission_ja: String,
    pub focus_areas: Vec<FocusArea>,
    pub past_responses: Vec<PastResponse>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FocusArea {
    pub en: String,
    pub ja: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PastResponse {
    pub country_en: String,
    pub country_ja: String,
    pub year: i32,
}
