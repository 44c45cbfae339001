//! Relief sites, each run by a member, in one prefecture.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::dates::{check_order, parse_day};
use crate::error::{Error, Problems, Result};
use crate::model::text::{self, MAX_NAME, MAX_TEXT};
use crate::model::{Choice, CodeTable, choices, pick};
use crate::prefecture::Prefecture;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Site {
    pub id: String,
    pub member_id: String,
    pub member_name_en: Option<String>,
    pub member_name_ja: Option<String>,
    pub name: String,
    pub name_en: Option<String>,
    pub prefecture_code: String,
    pub municipality: String,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub sectors: Vec<String>,
    pub status: String,
    pub opened_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub created_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// What a person types to create or edit a site; `None` leaves a field as it
/// is on edit, an empty string clears an optional one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SiteInput {
    #[ts(optional)]
    pub member_id: Option<String>,
    #[ts(optional)]
    pub prefecture: Option<String>,
    #[ts(optional)]
    pub municipality: Option<String>,
    #[ts(optional)]
    pub name: Option<String>,
    #[ts(optional)]
    pub name_en: Option<String>,
    #[ts(optional)]
    pub address: Option<String>,
    #[ts(optional)]
    pub latitude: Option<String>,
    #[ts(optional)]
    pub longitude: Option<String>,
    #[ts(optional)]
    pub sectors: Option<Vec<String>>,
    #[ts(optional)]
    pub status: Option<String>,
    #[ts(optional)]
    pub opened_on: Option<String>,
    #[ts(optional)]
    pub closed_on: Option<String>,
    #[ts(optional)]
    pub notes: Option<String>,
    /// The municipality is not in the JIS X 0402 list (a merged town, a
    /// place outside it): take it as typed instead of refusing it.
    #[ts(optional)]
    pub municipality_free: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SiteQuery {
    #[ts(optional)]
    pub prefecture: Option<String>,
    #[ts(optional)]
    pub member_id: Option<String>,
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub status: Option<String>,
    #[ts(optional)]
    pub sector: Option<String>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub offset: Option<i64>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub limit: Option<i64>,
}

pub const SITE_STATUSES: [(&str, &str, &str); 3] =
    [("planned", "Planned", "計画中"), ("active", "Active", "活動中"), ("closed", "Closed", "終了")];

pub const SECTORS: [(&str, &str, &str); 11] = [
    ("shelter", "Shelter", "避難所・住まい"),
    ("food", "Food", "食料"),
    ("water_sanitation", "Water and sanitation", "水・衛生"),
    ("health", "Health", "保健・医療"),
    ("psychosocial", "Psychosocial support", "心のケア"),
    ("education", "Education and children", "教育・子ども"),
    ("livelihoods", "Livelihoods", "生計支援"),
    ("elderly", "Elderly care", "高齢者支援"),
    ("logistics", "Logistics and supplies", "物流・物資"),
    ("radiation", "Radiation information", "放射能情報"),
    ("community", "Community building", "コミュニティ支援"),
];

pub fn sector_choices() -> Vec<Choice> {
    choices(&SECTORS)
}

pub fn status_choices() -> Vec<Choice> {
    choices(&SITE_STATUSES)
}

fn pick_required(field: &str, v: &str, table: &CodeTable) -> Result<String> {
    pick(field, v, table)?.ok_or_else(|| Error::invalid(field, "is empty"))
}

pub fn parse_status(v: &str) -> Result<String> {
    pick_required("status", v, &SITE_STATUSES)
}

pub fn parse_sector(v: &str) -> Result<String> {
    pick_required("sector", v, &SECTORS)
}

pub(crate) fn coordinate(field: &str, v: &str, limit: f64) -> Result<Option<f64>> {
    let v = v.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let x: f64 = v.parse().map_err(|_| Error::invalid(field, format!("'{v}' is not a number")))?;
    if !x.is_finite() || x.abs() > limit {
        return Err(Error::invalid(field, format!("{v} is out of range (±{limit})")));
    }
    Ok(Some(x))
}

/// Current values of a site being edited, for whole-record checks.
#[derive(Debug, Clone, Default)]
pub struct SiteState {
    pub opened_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Empty when creating.
    pub status: String,
    pub prefecture_code: String,
    pub municipality: String,
}

impl SiteInput {
    /// Validates into cells, reporting every problem at once. `today` is the
    /// day "opened" may not be after and a closing date defaults to. The
    /// member's existence is checked by the caller, which has the database.
    pub fn to_cells(
        &self,
        creating: bool,
        state: &SiteState,
        today: NaiveDate,
    ) -> Result<Vec<(&'static str, CellValue)>> {
        let mut cells: Vec<(&'static str, CellValue)> = Vec::new();
        let mut p = Problems::new();
        match &self.member_id {
            Some(v) => {
                if let Some(v) = p.check(text::required("member", v, 64))? {
                    cells.push(("member_id", CellValue::Text(v)));
                }
            }
            None if creating => p.push("member", "is required"),
            None => {}
        }
        let prefecture = match &self.prefecture {
            Some(v) => p.check(Prefecture::parse(v).map_err(|e| renamed(e, "prefecture")))?.map(|pref| {
                cells.push(("prefecture_code", CellValue::text(pref.code)));
                pref.code.to_string()
            }),
            None if creating => {
                p.push("prefecture", "is required");
                None
            }
            None => Some(state.prefecture_code.clone()),
        };
        let municipality = match &self.municipality {
            Some(v) => p.check(text::required("municipality", v, MAX_NAME))?,
            None if creating => {
                p.push("municipality", "is required");
                None
            }
            None => None,
        };
        // The municipality must be one of the prefecture's (JIS X 0402),
        // checked again when only the prefecture changes; free text only
        // when the person says it is not in the list.
        if !self.municipality_free.unwrap_or(false)
            && let Some(pref) = prefecture.as_deref().filter(|p| !p.is_empty())
            && (municipality.is_some() || self.prefecture.is_some())
        {
            let typed = municipality.clone().unwrap_or_else(|| state.municipality.clone());
            match crate::municipality::find(pref, &typed) {
                // Stored as the list spells it (上閉伊郡大槌町 is 大槌町).
                Some(m) if municipality.is_some() => cells.push(("municipality", CellValue::text(m.name))),
                Some(_) => {}
                None if !typed.is_empty() => p.push("municipality", not_in_prefecture(&typed, pref)),
                None => {}
            }
        } else if let Some(m) = municipality {
            cells.push(("municipality", CellValue::Text(m)));
        }
        match &self.name {
            Some(v) => {
                if let Some(v) = p.check(text::required("name", v, MAX_NAME))? {
                    cells.push(("name", CellValue::Text(v)));
                }
            }
            None if creating => p.push("name", "is required"),
            None => {}
        }
        for (field, v, max) in
            [("name_en", &self.name_en, MAX_NAME), ("address", &self.address, 500), ("notes", &self.notes, MAX_TEXT)]
        {
            if let Some(v) = v
                && let Some(v) = p.check(text::optional(field, v, max))?
            {
                cells.push((field, CellValue::opt_text(v)));
            }
        }
        let lat = match &self.latitude {
            Some(v) => p.check(coordinate("latitude", v, 90.0))?,
            None => None,
        };
        let lon = match &self.longitude {
            Some(v) => p.check(coordinate("longitude", v, 180.0))?,
            None => None,
        };
        let final_lat = lat.unwrap_or(state.latitude);
        let final_lon = lon.unwrap_or(state.longitude);
        if final_lat.is_some() != final_lon.is_some() && (self.latitude.is_some() || self.longitude.is_some()) {
            let missing = if final_lat.is_none() { "latitude" } else { "longitude" };
            p.push(missing, "latitude and longitude go together: give both or neither");
        }
        for (field, v) in [("latitude", lat), ("longitude", lon)] {
            if let Some(v) = v {
                cells.push((field, v.map_or(CellValue::Null, CellValue::Real)));
            }
        }
        if let Some(list) = &self.sectors {
            let mut codes = Vec::new();
            for s in list.iter().flat_map(|s| s.split(',')).filter(|s| !s.trim().is_empty()) {
                if let Some(c) = p.check(parse_sector(s).map_err(|e| renamed(e, "sectors")))?
                    && !codes.contains(&c)
                {
                    codes.push(c);
                }
            }
            cells.push(("sectors", CellValue::Text(serde_json::to_string(&codes).unwrap_or_default())));
        }
        let status = match &self.status {
            Some(v) => p.check(parse_status(v))?,
            None if creating => Some("active".to_string()),
            None => Some(state.status.clone()),
        };
        if let Some(s) = &status
            && (creating || self.status.is_some())
        {
            cells.push(("status", CellValue::Text(s.clone())));
        }
        let mut day = |field: &'static str,
                       v: &Option<String>,
                       current: Option<NaiveDate>|
         -> Result<(Option<NaiveDate>, bool)> {
            match v {
                Some(v) if v.trim().is_empty() => Ok((None, true)),
                Some(v) => Ok((p.check(parse_day(field, v))?, true)),
                None => Ok((current, false)),
            }
        };
        let (opened, opened_given) = day("opened_on", &self.opened_on, state.opened_on)?;
        let (mut closed, closed_given) = day("closed_on", &self.closed_on, state.closed_on)?;
        if let Some(d) = opened
            && opened_given
            && d > today
        {
            p.push(
                "opened_on",
                format!("{d} is in the future (today is {today}): a site opens on a day that has come"),
            );
        }
        match status.as_deref() {
            Some("planned") => {
                for (field, d) in [("opened_on", opened), ("closed_on", closed)] {
                    if d.is_some() {
                        p.push(
                            field,
                            "a planned site has not opened or closed yet: leave the date out, or set the status to active or closed",
                        );
                    }
                }
            }
            // Closing a site needs the day it closed: today unless given.
            Some("closed") if closed.is_none() => closed = Some(today),
            _ => {}
        }
        if opened_given {
            cells.push(("opened_on", CellValue::opt_text(opened.map(|d| d.to_string()))));
        }
        if closed_given || closed != state.closed_on {
            cells.push(("closed_on", CellValue::opt_text(closed.map(|d| d.to_string()))));
        }
        p.check(check_order("closed_on", opened, closed))?;
        p.finish()?;
        Ok(cells)
    }
}

/// Why a municipality is refused under a prefecture: where it is instead, if
/// it is anywhere.
fn not_in_prefecture(typed: &str, prefecture_code: &str) -> String {
    let name = |code: &str| {
        crate::prefecture::PREFECTURES
            .iter()
            .find(|p| p.code == code)
            .map(|p| format!("{} ({})", p.name_ja, p.name_en))
            .unwrap_or_else(|| code.to_string())
    };
    let elsewhere: Vec<String> =
        crate::municipality::find_anywhere(typed).iter().map(|m| name(m.prefecture_code)).collect();
    let here = name(prefecture_code);
    if elsewhere.is_empty() {
        format!(
            "'{typed}' is not a municipality of {here} in the JIS X 0402 list: check the spelling, or say it is not in the list"
        )
    } else {
        format!("'{typed}' is in {}, not in {here}", elsewhere.join(" and "))
    }
}

/// The same problem under the field name the input uses.
fn renamed(e: Error, field: &str) -> Error {
    match e {
        Error::Invalid { message, .. } => Error::invalid(field, message),
        e => e,
    }
}
