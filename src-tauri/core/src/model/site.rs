//! Relief sites, each run by a member, in one prefecture.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::dates::{check_order, parse_day};
use crate::error::{Error, Result};
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

/// Current dates and status of a site being edited, for whole-record checks.
#[derive(Debug, Clone, Default)]
pub struct SiteState {
    pub opened_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl SiteInput {
    /// Validates into cells. The member's existence is checked by the caller,
    /// which has the database.
    pub fn to_cells(&self, creating: bool, state: &SiteState) -> Result<Vec<(&'static str, CellValue)>> {
        let mut cells: Vec<(&'static str, CellValue)> = Vec::new();
        match &self.member_id {
            Some(v) => cells.push(("member_id", CellValue::Text(text::required("member", v, 64)?))),
            None if creating => return Err(Error::invalid("member", "is required")),
            None => {}
        }
        match &self.prefecture {
            Some(v) => cells.push(("prefecture_code", CellValue::text(Prefecture::parse(v)?.code))),
            None if creating => return Err(Error::invalid("prefecture", "is required")),
            None => {}
        }
        for (field, v) in [("municipality", &self.municipality), ("name", &self.name)] {
            match v {
                Some(v) => cells.push((field, CellValue::Text(text::required(field, v, MAX_NAME)?))),
                None if creating => return Err(Error::invalid(field, "is required")),
                None => {}
            }
        }
        for (field, v, max) in
            [("name_en", &self.name_en, MAX_NAME), ("address", &self.address, 500), ("notes", &self.notes, MAX_TEXT)]
        {
            if let Some(v) = v {
                cells.push((field, CellValue::opt_text(text::optional(field, v, max)?)));
            }
        }
        let lat = match &self.latitude {
            Some(v) => Some(coordinate("latitude", v, 90.0)?),
            None => None,
        };
        let lon = match &self.longitude {
            Some(v) => Some(coordinate("longitude", v, 180.0)?),
            None => None,
        };
        let final_lat = lat.unwrap_or(state.latitude);
        let final_lon = lon.unwrap_or(state.longitude);
        if final_lat.is_some() != final_lon.is_some() {
            let missing = if final_lat.is_none() { "latitude" } else { "longitude" };
            return Err(Error::invalid(missing, "latitude and longitude go together: give both or neither"));
        }
        for (field, v) in [("latitude", lat), ("longitude", lon)] {
            if let Some(v) = v {
                cells.push((field, v.map_or(CellValue::Null, CellValue::Real)));
            }
        }
        if let Some(list) = &self.sectors {
            let mut codes = Vec::new();
            for s in list.iter().flat_map(|s| s.split(',')).filter(|s| !s.trim().is_empty()) {
                let c = parse_sector(s)?;
                if !codes.contains(&c) {
                    codes.push(c);
                }
            }
            cells.push(("sectors", CellValue::Text(serde_json::to_string(&codes).unwrap_or_default())));
        }
        match &self.status {
            Some(v) => cells.push(("status", CellValue::Text(parse_status(v)?))),
            None if creating => cells.push(("status", CellValue::text("active"))),
            None => {}
        }
        let mut day =
            |field: &'static str, v: &Option<String>, current: Option<NaiveDate>| -> Result<Option<NaiveDate>> {
                match v {
                    Some(v) if v.trim().is_empty() => {
                        cells.push((field, CellValue::Null));
                        Ok(None)
                    }
                    Some(v) => {
                        let d = parse_day(field, v)?;
                        cells.push((field, CellValue::Text(d.to_string())));
                        Ok(Some(d))
                    }
                    None => Ok(current),
                }
            };
        let opened = day("opened_on", &self.opened_on, state.opened_on)?;
        let closed = day("closed_on", &self.closed_on, state.closed_on)?;
        check_order("closed_on", opened, closed)?;
        Ok(cells)
    }
}
