//! Policy advocacy: recommendations to government and the networks the
//! organisation sits in (e.g. the JCN steering committee).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::dates::check_order;
use crate::error::{Error, Result};
use crate::model::fields::Fields;
use crate::model::text::{MAX_NAME, MAX_TEXT};
use crate::model::{Choice, choices};

pub const ADDRESSEE_KINDS: [(&str, &str, &str); 5] = [
    ("ministry", "Ministry", "省庁"),
    ("agency", "Agency", "庁・機関"),
    ("prefecture", "Prefecture", "都道府県"),
    ("municipality", "Municipality", "市区町村"),
    ("other", "Other", "その他"),
];

pub const RECOMMENDATION_STATUSES: [(&str, &str, &str); 6] = [
    ("draft", "Draft", "草案"),
    ("submitted", "Submitted", "提出済"),
    ("acknowledged", "Acknowledged", "受理"),
    ("adopted_in_part", "Adopted in part", "一部採用"),
    ("adopted", "Adopted", "採用"),
    ("rejected", "Rejected", "不採用"),
];

pub fn addressee_kind_choices() -> Vec<Choice> {
    choices(&ADDRESSEE_KINDS)
}

pub fn recommendation_status_choices() -> Vec<Choice> {
    choices(&RECOMMENDATION_STATUSES)
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Recommendation {
    pub id: String,
    pub title_ja: Option<String>,
    pub title_en: Option<String>,
    pub text_ja: Option<String>,
    pub text_en: Option<String>,
    pub addressee_kind: Option<String>,
    pub addressee: Option<String>,
    pub drafted_on: Option<NaiveDate>,
    pub submitted_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub status: String,
    /// Meetings it came out of.
    pub meeting_ids: Vec<String>,
    /// Members that contributed.
    pub member_ids: Vec<String>,
    pub outcome: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecommendationInput {
    #[ts(optional)]
    pub title_ja: Option<String>,
    #[ts(optional)]
    pub title_en: Option<String>,
    #[ts(optional)]
    pub text_ja: Option<String>,
    #[ts(optional)]
    pub text_en: Option<String>,
    #[ts(optional)]
    pub addressee_kind: Option<String>,
    #[ts(optional)]
    pub addressee: Option<String>,
    #[ts(optional)]
    pub drafted_on: Option<String>,
    #[ts(optional)]
    pub submitted_on: Option<String>,
    #[ts(optional)]
    pub answered_on: Option<String>,
    #[ts(optional)]
    pub status: Option<String>,
    /// Meeting ids; resolved and checked by the caller.
    #[ts(optional)]
    pub meetings: Option<Vec<String>>,
    /// Member ids or numbers; resolved and checked by the caller.
    #[ts(optional)]
    pub members: Option<Vec<String>>,
    #[ts(optional)]
    pub outcome: Option<String>,
}

/// The dates and status a recommendation has before an edit.
#[derive(Debug, Clone, Default)]
pub struct RecommendationState {
    pub titles: (bool, bool),
    pub drafted_on: Option<NaiveDate>,
    pub submitted_on: Option<NaiveDate>,
    pub answered_on: Option<NaiveDate>,
    pub status: String,
}

impl RecommendationInput {
    pub fn to_cells(&self, creating: bool, state: &RecommendationState) -> Result<Vec<(&'static str, CellValue)>> {
        let mut f = Fields::new(creating);
        f.text("title_ja", &self.title_ja, 500)?;
        f.text("title_en", &self.title_en, 500)?;
        let has = |f: &Fields, col: &str, current: bool| f.get(col).map_or(current, |v| !v.is_null());
        if !has(&f, "title_ja", state.titles.0) && !has(&f, "title_en", state.titles.1) {
            return Err(Error::invalid("title_ja", "a title is required, in Japanese or English"));
        }
        f.text("text_ja", &self.text_ja, MAX_TEXT)?;
        f.text("text_en", &self.text_en, MAX_TEXT)?;
        f.code("addressee_kind", &self.addressee_kind, &ADDRESSEE_KINDS, None)?;
        f.name("addressee", &self.addressee)?;
        f.text("outcome", &self.outcome, MAX_TEXT)?;
        f.code("status", &self.status, &RECOMMENDATION_STATUSES, Some("draft"))?;
        let drafted = f.day("drafted_on", &self.drafted_on, state.drafted_on)?;
        let submitted = f.day("submitted_on", &self.submitted_on, state.submitted_on)?;
        let answered = f.day("answered_on", &self.answered_on, state.answered_on)?;
        check_order("submitted_on", drafted, submitted)?;
        check_order("answered_on", submitted.or(drafted), answered)?;
        let status = f.get("status").and_then(|v| v.as_str()).unwrap_or(&state.status).to_string();
        if status != "draft" && submitted.is_none() {
            return Err(Error::invalid(
                "submitted_on",
                format!("a recommendation that is '{status}' needs its submission date"),
            ));
        }
        if answered.is_some() && matches!(status.as_str(), "draft" | "submitted") {
            return Err(Error::invalid("status", "an answered recommendation is acknowledged, adopted or rejected"));
        }
        Ok(f.into_cells())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NetworkMembership {
    pub id: String,
    pub network_ja: Option<String>,
    pub network_en: Option<String>,
    pub role_ja: Option<String>,
    pub role_en: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NetworkMembershipInput {
    #[ts(optional)]
    pub network_ja: Option<String>,
    #[ts(optional)]
    pub network_en: Option<String>,
    #[ts(optional)]
    pub role_ja: Option<String>,
    #[ts(optional)]
    pub role_en: Option<String>,
    #[ts(optional)]
    pub started_on: Option<String>,
    #[ts(optional)]
    pub ended_on: Option<String>,
    #[ts(optional)]
    pub notes: Option<String>,
}

impl NetworkMembershipInput {
    pub fn to_cells(
        &self,
        creating: bool,
        current: (bool, bool, Option<NaiveDate>, Option<NaiveDate>),
    ) -> Result<Vec<(&'static str, CellValue)>> {
        let mut f = Fields::new(creating);
        f.text("network_ja", &self.network_ja, MAX_NAME)?;
        f.text("network_en", &self.network_en, MAX_NAME)?;
        let has = |f: &Fields, col: &str, current: bool| f.get(col).map_or(current, |v| !v.is_null());
        if !has(&f, "network_ja", current.0) && !has(&f, "network_en", current.1) {
            return Err(Error::invalid("network_ja", "the network's name is required, in Japanese or English"));
        }
        f.name("role_ja", &self.role_ja)?;
        f.name("role_en", &self.role_en)?;
        f.text("notes", &self.notes, MAX_TEXT)?;
        let started = f.day("started_on", &self.started_on, current.2)?;
        let ended = f.day("ended_on", &self.ended_on, current.3)?;
        check_order("ended_on", started, ended)?;
        Ok(f.into_cells())
    }
}
