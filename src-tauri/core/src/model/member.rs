//! Member NGOs of the network.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::dates::{check_order, parse_day};
use crate::error::{Error, Result};
use crate::model::text::{self, MAX_NAME, MAX_TEXT};
use crate::model::{Choice, choices, pick};
use crate::prefecture::Prefecture;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Member {
    pub id: String,
    pub member_no: String,
    pub name_ja: String,
    pub name_en: String,
    /// Kana reading of the Japanese name (furigana), searched like the name.
    pub reading: Option<String>,
    pub legal_form: Option<String>,
    pub contact_person: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// JIS X 0401 codes of the prefectures the member works in.
    pub prefectures: Vec<String>,
    pub status: String,
    pub joined_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
    pub notes: Option<String>,
    /// Also funded through the donor's own relief fund.
    pub donor_fund_partner: bool,
    pub office_id: Option<String>,
    #[ts(type = "number")]
    pub site_count: i64,
    #[ts(type = "number")]
    pub active_site_count: i64,
}

/// What a person types to create or edit a member. On edit, `None` leaves a
/// field as it is and an empty string clears it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberInput {
    #[ts(optional)]
    pub name_ja: Option<String>,
    #[ts(optional)]
    pub name_en: Option<String>,
    #[ts(optional)]
    pub reading: Option<String>,
    #[ts(optional)]
    pub legal_form: Option<String>,
    #[ts(optional)]
    pub contact_person: Option<String>,
    #[ts(optional)]
    pub email: Option<String>,
    #[ts(optional)]
    pub phone: Option<String>,
    #[ts(optional)]
    pub address: Option<String>,
    #[ts(optional)]
    pub prefectures: Option<Vec<String>>,
    #[ts(optional)]
    pub status: Option<String>,
    #[ts(optional)]
    pub joined_on: Option<String>,
    #[ts(optional)]
    pub left_on: Option<String>,
    #[ts(optional)]
    pub notes: Option<String>,
    #[ts(optional)]
    pub donor_fund_partner: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemberQuery {
    #[ts(optional)]
    pub prefecture: Option<String>,
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub status: Option<String>,
    /// name_en when absent.
    #[ts(optional)]
    pub sort: Option<MemberSort>,
    #[ts(optional)]
    pub descending: Option<bool>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub offset: Option<i64>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub limit: Option<i64>,
}

/// What a member list is ordered by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MemberSort {
    #[default]
    NameEn,
    /// By reading (katakana), else by the Japanese name.
    NameJa,
    MemberNo,
    /// By number of sites.
    Sites,
}

impl std::str::FromStr for MemberSort {
    type Err = Error;

    /// What a person types after `--sort`.
    fn from_str(s: &str) -> Result<MemberSort> {
        match s.trim() {
            "name_en" => Ok(MemberSort::NameEn),
            "name_ja" => Ok(MemberSort::NameJa),
            "member_no" => Ok(MemberSort::MemberNo),
            "sites" => Ok(MemberSort::Sites),
            other => Err(Error::invalid(
                "sort",
                format!("cannot sort by '{other}': use name_en, name_ja, member_no or sites"),
            )),
        }
    }
}

pub const LEGAL_FORMS: [(&str, &str, &str); 6] = [
    ("npo", "Specified nonprofit corporation (NPO)", "特定非営利活動法人"),
    ("general_incorporated", "General incorporated association/foundation", "一般社団法人・一般財団法人"),
    ("public_interest", "Public interest corporation", "公益社団法人・公益財団法人"),
    ("social_welfare", "Social welfare corporation", "社会福祉法人"),
    ("voluntary", "Voluntary group", "任意団体"),
    ("other", "Other", "その他"),
];

pub const STATUSES: [(&str, &str, &str); 3] =
    [("active", "Active", "活動中"), ("suspended", "Suspended", "休止中"), ("withdrawn", "Withdrawn", "退会")];

pub fn legal_form_choices() -> Vec<Choice> {
    choices(&LEGAL_FORMS)
}

pub fn status_choices() -> Vec<Choice> {
    choices(&STATUSES)
}

pub fn parse_status(value: &str) -> Result<Option<String>> {
    pick("status", value, &STATUSES)
}

fn opt_day(field: &str, v: &str) -> Result<Option<NaiveDate>> {
    if v.trim().is_empty() { Ok(None) } else { parse_day(field, v).map(Some) }
}

/// Prefecture list as the stored JSON array of codes, duplicates removed.
pub fn prefecture_codes(values: &[String]) -> Result<Vec<String>> {
    let mut codes: Vec<String> = Vec::new();
    for v in values.iter().flat_map(|v| v.split(',')).filter(|v| !v.trim().is_empty()) {
        let code = Prefecture::parse(v)?.code.to_string();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes.sort();
    Ok(codes)
}

impl MemberInput {
    /// Validates the given fields into cells. `existing` holds the current
    /// dates on edit so the order check sees the whole record.
    pub fn to_cells(
        &self,
        creating: bool,
        existing: (Option<NaiveDate>, Option<NaiveDate>),
    ) -> Result<Vec<(&'static str, CellValue)>> {
        let mut cells = Vec::new();
        let req = |field: &'static str, v: &Option<String>, cells: &mut Vec<(&'static str, CellValue)>| -> Result<()> {
            match v {
                Some(v) => cells.push((field, CellValue::Text(text::required(field, v, MAX_NAME)?))),
                None if creating => return Err(Error::invalid(field, "is required")),
                None => {}
            }
            Ok(())
        };
        req("name_ja", &self.name_ja, &mut cells)?;
        req("name_en", &self.name_en, &mut cells)?;
        let opt = |field: &'static str,
                   v: &Option<String>,
                   max: usize,
                   cells: &mut Vec<(&'static str, CellValue)>|
         -> Result<()> {
            if let Some(v) = v {
                cells.push((field, CellValue::opt_text(text::optional(field, v, max)?)));
            }
            Ok(())
        };
        opt("reading", &self.reading, MAX_NAME, &mut cells)?;
        opt("contact_person", &self.contact_person, MAX_NAME, &mut cells)?;
        opt("address", &self.address, 500, &mut cells)?;
        opt("notes", &self.notes, MAX_TEXT, &mut cells)?;
        if let Some(v) = &self.legal_form {
            cells.push(("legal_form", CellValue::opt_text(pick("legal_form", v, &LEGAL_FORMS)?)));
        }
        if let Some(v) = &self.email {
            cells.push(("email", CellValue::opt_text(text::email("email", v)?)));
        }
        if let Some(v) = &self.phone {
            cells.push(("phone", CellValue::opt_text(text::phone("phone", v)?)));
        }
        if let Some(v) = &self.prefectures {
            let codes = prefecture_codes(v)?;
            cells.push(("prefectures", CellValue::Text(serde_json::to_string(&codes).unwrap_or_default())));
        }
        match &self.status {
            Some(v) => cells.push(("status", CellValue::Text(parse_status(v)?.unwrap_or_else(|| "active".into())))),
            None if creating => cells.push(("status", CellValue::text("active"))),
            None => {}
        }
        let joined = match &self.joined_on {
            Some(v) => {
                let d = opt_day("joined_on", v)?;
                cells.push(("joined_on", CellValue::opt_text(d.map(|d| d.to_string()))));
                d
            }
            None => existing.0,
        };
        let left = match &self.left_on {
            Some(v) => {
                let d = opt_day("left_on", v)?;
                cells.push(("left_on", CellValue::opt_text(d.map(|d| d.to_string()))));
                d
            }
            None => existing.1,
        };
        check_order("left_on", joined, left)?;
        match self.donor_fund_partner {
            Some(b) => cells.push(("donor_fund_partner", CellValue::Integer(b as i64))),
            None if creating => cells.push(("donor_fund_partner", CellValue::Integer(0))),
            None => {}
        }
        Ok(cells)
    }
}
