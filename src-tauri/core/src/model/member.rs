//! Member NGOs of the network.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::dates::{check_order, parse_day};
use crate::error::{Error, Problems, Result};
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
    /// Register it (or, on an edit, take its new name or prefectures) even
    /// though another member of the same name (legal form aside) works in the
    /// same prefecture: the person has confirmed it is another organisation.
    #[ts(optional)]
    pub allow_duplicate: Option<bool>,
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
    /// By reading in gojūon order, else by the Japanese name.
    NameJa,
    MemberNo,
    /// By number of sites.
    Sites,
    /// By kana reading in gojūon order (あ, か, さ ...), members without a
    /// reading after them by Japanese name; the same order as name_ja.
    Reading,
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
            "reading" => Ok(MemberSort::Reading),
            other => Err(Error::invalid(
                "sort",
                format!("cannot sort by '{other}': use name_en, name_ja, reading, member_no or sites"),
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
    /// Validates the given fields into cells, reporting every field's problem
    /// at once. `existing` holds the current dates on edit so the order check
    /// sees the whole record.
    pub fn to_cells(
        &self,
        creating: bool,
        existing: (Option<NaiveDate>, Option<NaiveDate>),
    ) -> Result<Vec<(&'static str, CellValue)>> {
        let mut cells: Vec<(&'static str, CellValue)> = Vec::new();
        let mut p = Problems::new();
        match &self.name_ja {
            Some(v) => {
                if let Some(v) = p.check(text::required("name_ja", v, MAX_NAME))? {
                    cells.push(("name_ja", CellValue::Text(v)));
                }
            }
            None if creating => p.push("name_ja", "is required"),
            None => {}
        }
        // A Japanese-only organisation has no English name to invent; an
        // empty one is stored as none.
        if let Some(v) = &self.name_en
            && let Some(v) = p.check(text::optional("name_en", v, MAX_NAME))?
        {
            cells.push(("name_en", CellValue::opt_text(v)));
        }
        for (field, v, max) in [
            ("contact_person", &self.contact_person, MAX_NAME),
            ("address", &self.address, 500),
            ("notes", &self.notes, MAX_TEXT),
        ] {
            if let Some(v) = v
                && let Some(v) = p.check(text::optional(field, v, max))?
            {
                cells.push((field, CellValue::opt_text(v)));
            }
        }
        if let Some(v) = &self.reading
            && let Some(v) = p.check(text::reading("reading", v))?
        {
            cells.push(("reading", CellValue::opt_text(v)));
        }
        if let Some(v) = &self.legal_form
            && let Some(v) = p.check(pick("legal_form", v, &LEGAL_FORMS))?
        {
            cells.push(("legal_form", CellValue::opt_text(v)));
        }
        if let Some(v) = &self.email
            && let Some(v) = p.check(text::email("email", v))?
        {
            cells.push(("email", CellValue::opt_text(v)));
        }
        if let Some(v) = &self.phone
            && let Some(v) = p.check(text::phone("phone", v))?
        {
            cells.push(("phone", CellValue::opt_text(v)));
        }
        if let Some(v) = &self.prefectures
            && let Some(codes) = p.check(prefecture_codes(v))?
        {
            cells.push(("prefectures", CellValue::Text(serde_json::to_string(&codes).unwrap_or_default())));
        }
        match &self.status {
            Some(v) => {
                if let Some(v) = p.check(parse_status(v))? {
                    cells.push(("status", CellValue::Text(v.unwrap_or_else(|| "active".into()))));
                }
            }
            None if creating => cells.push(("status", CellValue::text("active"))),
            None => {}
        }
        let mut day =
            |field: &'static str, v: &Option<String>, current: Option<NaiveDate>| -> Result<Option<NaiveDate>> {
                match v {
                    Some(v) => match p.check(opt_day(field, v))? {
                        Some(d) => {
                            cells.push((field, CellValue::opt_text(d.map(|d| d.to_string()))));
                            Ok(d)
                        }
                        None => Ok(None),
                    },
                    None => Ok(current),
                }
            };
        let joined = day("joined_on", &self.joined_on, existing.0)?;
        let left = day("left_on", &self.left_on, existing.1)?;
        p.check(check_order("left_on", joined, left))?;
        match self.donor_fund_partner {
            Some(b) => cells.push(("donor_fund_partner", CellValue::Integer(b as i64))),
            None if creating => cells.push(("donor_fund_partner", CellValue::Integer(0))),
            None => {}
        }
        p.finish()?;
        Ok(cells)
    }
}
