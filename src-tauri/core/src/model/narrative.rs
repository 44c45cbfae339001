//! The period narrative of a phase report: what a programme officer reads
//! first. Results against each of the phase's activities, challenges,
//! lessons, next steps and the people reached with the basis of that count,
//! each in Japanese and English, and the report's sign-off (who prepared it,
//! in what role, when; who approved it). One per phase and reporting period.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::error::{Error, Result};
use crate::model::fields::Fields;
use crate::model::text::{self, MAX_TEXT};

/// Longest basis of a people-reached figure, in characters.
pub const MAX_BASIS: usize = 2_000;

/// What a period achieved against one activity, in either language or both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityResult {
    #[serde(default)]
    pub activity_id: String,
    #[serde(default, rename = "en")]
    pub text_en: Option<String>,
    #[serde(default, rename = "ja")]
    pub text_ja: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Narrative {
    pub id: String,
    pub phase_id: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// In the order of the phase's activities.
    pub results: Vec<ActivityResult>,
    pub challenges_en: Option<String>,
    pub challenges_ja: Option<String>,
    pub lessons_en: Option<String>,
    pub lessons_ja: Option<String>,
    pub next_steps_en: Option<String>,
    pub next_steps_ja: Option<String>,
    #[ts(type = "number | null")]
    pub people_reached: Option<i64>,
    pub people_basis_en: Option<String>,
    pub people_basis_ja: Option<String>,
    pub prepared_by: Option<String>,
    pub preparer_title_en: Option<String>,
    pub preparer_title_ja: Option<String>,
    pub prepared_on: Option<NaiveDate>,
    pub approved_by: Option<String>,
    pub approver_title_en: Option<String>,
    pub approver_title_ja: Option<String>,
    pub approved_on: Option<NaiveDate>,
    /// What a final report still lacks (codes: `results:<activity id>`,
    /// `challenges`, `lessons`, `next_steps`, `people_reached`,
    /// `prepared_by`, `approved_by`); empty when it is complete.
    pub missing: Vec<String>,
}

/// One activity's result as typed: the activity by id or by its number in
/// the phase (1, 2, …); an empty text clears that language.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityResultInput {
    pub activity: String,
    #[ts(optional)]
    pub text_en: Option<String>,
    #[ts(optional)]
    pub text_ja: Option<String>,
}

/// A narrative as typed. `None` leaves a field as it is, an empty string
/// clears it. The period defaults to the phase's own dates.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NarrativeInput {
    pub phase_id: String,
    #[ts(optional)]
    pub period_start: Option<String>,
    #[ts(optional)]
    pub period_end: Option<String>,
    #[ts(optional)]
    pub results: Option<Vec<ActivityResultInput>>,
    #[ts(optional)]
    pub challenges_en: Option<String>,
    #[ts(optional)]
    pub challenges_ja: Option<String>,
    #[ts(optional)]
    pub lessons_en: Option<String>,
    #[ts(optional)]
    pub lessons_ja: Option<String>,
    #[ts(optional)]
    pub next_steps_en: Option<String>,
    #[ts(optional)]
    pub next_steps_ja: Option<String>,
    /// A whole number; an empty string clears it.
    #[ts(optional)]
    pub people_reached: Option<String>,
    #[ts(optional)]
    pub people_basis_en: Option<String>,
    #[ts(optional)]
    pub people_basis_ja: Option<String>,
    #[ts(optional)]
    pub prepared_by: Option<String>,
    #[ts(optional)]
    pub preparer_title_en: Option<String>,
    #[ts(optional)]
    pub preparer_title_ja: Option<String>,
    #[ts(optional)]
    pub prepared_on: Option<String>,
    #[ts(optional)]
    pub approved_by: Option<String>,
    #[ts(optional)]
    pub approver_title_en: Option<String>,
    #[ts(optional)]
    pub approver_title_ja: Option<String>,
    #[ts(optional)]
    pub approved_on: Option<String>,
}

/// Results keyed by activity id, as stored.
pub type Results = BTreeMap<String, ActivityResult>;

/// Reads a stored `results` cell, checking its shape: the rule a merged cell
/// passes too.
pub fn parse_results(field: &str, s: &str) -> Result<Results> {
    text::check(field, s, MAX_TEXT * 10)?;
    let raw: BTreeMap<String, ActivityResult> = serde_json::from_str(s)
        .map_err(|_| Error::invalid(field, format!("'{}' is not an object of activity results", text::clip(s))))?;
    let mut out = Results::new();
    for (id, mut r) in raw {
        text::check(field, &id, 64)?;
        for t in [&r.text_en, &r.text_ja].into_iter().flatten() {
            text::check(field, t, MAX_TEXT)?;
        }
        r.activity_id = id.clone();
        out.insert(id, r);
    }
    Ok(out)
}

/// The stored form of `results`, ids in order, empty entries left out.
pub fn results_json(results: &Results) -> String {
    let mut m = serde_json::Map::new();
    for (id, r) in results {
        if r.text_en.is_none() && r.text_ja.is_none() {
            continue;
        }
        let mut o = serde_json::Map::new();
        if let Some(t) = &r.text_en {
            o.insert("en".into(), t.clone().into());
        }
        if let Some(t) = &r.text_ja {
            o.insert("ja".into(), t.clone().into());
        }
        m.insert(id.clone(), o.into());
    }
    serde_json::Value::Object(m).to_string()
}

impl NarrativeInput {
    /// The cells of the fields given, `results` aside (the caller resolves
    /// activities against the phase and merges them with what is stored).
    pub fn to_cells(&self, creating: bool) -> Result<Vec<(&'static str, CellValue)>> {
        let mut f = Fields::new(creating);
        for (col, v) in [
            ("challenges_en", &self.challenges_en),
            ("challenges_ja", &self.challenges_ja),
            ("lessons_en", &self.lessons_en),
            ("lessons_ja", &self.lessons_ja),
            ("next_steps_en", &self.next_steps_en),
            ("next_steps_ja", &self.next_steps_ja),
        ] {
            f.text(col, v, MAX_TEXT)?;
        }
        f.text("people_basis_en", &self.people_basis_en, MAX_BASIS)?;
        f.text("people_basis_ja", &self.people_basis_ja, MAX_BASIS)?;
        if let Some(v) = &self.people_reached {
            let v = v.trim().replace([',', '_'], "");
            if v.is_empty() {
                f.set("people_reached", CellValue::Null);
            } else {
                let n: i64 =
                    v.parse().ok().filter(|n| (0..=crate::model::rules::MAX_QUANTITY).contains(n)).ok_or_else(
                        || Error::invalid("people_reached", format!("'{v}' is not a whole number of people")),
                    )?;
                f.set("people_reached", CellValue::Integer(n));
            }
        }
        for (col, v) in [
            ("prepared_by", &self.prepared_by),
            ("preparer_title_en", &self.preparer_title_en),
            ("preparer_title_ja", &self.preparer_title_ja),
            ("approved_by", &self.approved_by),
            ("approver_title_en", &self.approver_title_en),
            ("approver_title_ja", &self.approver_title_ja),
        ] {
            f.name(col, v)?;
        }
        let prepared = f.day("prepared_on", &self.prepared_on, None)?;
        let approved = f.day("approved_on", &self.approved_on, None)?;
        crate::dates::check_order("approved_on", prepared, approved)?;
        Ok(f.into_cells())
    }
}

impl Narrative {
    /// What a final report still lacks, given the phase's activity ids.
    pub fn missing_parts(&self, activities: &[String]) -> Vec<String> {
        let given = |en: &Option<String>, ja: &Option<String>| en.is_some() || ja.is_some();
        let mut out = Vec::new();
        for a in activities {
            if !self.results.iter().any(|r| &r.activity_id == a && given(&r.text_en, &r.text_ja)) {
                out.push(format!("results:{a}"));
            }
        }
        for (code, en, ja) in [
            ("challenges", &self.challenges_en, &self.challenges_ja),
            ("lessons", &self.lessons_en, &self.lessons_ja),
            ("next_steps", &self.next_steps_en, &self.next_steps_ja),
        ] {
            if !given(en, ja) {
                out.push(code.to_string());
            }
        }
        if self.people_reached.is_none() || !given(&self.people_basis_en, &self.people_basis_ja) {
            out.push("people_reached".into());
        }
        if self.prepared_by.is_none() {
            out.push("prepared_by".into());
        }
        if self.approved_by.is_none() {
            out.push("approved_by".into());
        }
        out
    }
}
