//! The directory beside the member registry: other organisations the
//! network works with, and contacts (people) at members and organisations.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::error::{Error, Result};
use crate::model::fields::Fields;
use crate::model::text::{MAX_NAME, MAX_TEXT};
use crate::model::{Choice, choices};

pub const ORGANISATION_KINDS: [(&str, &str, &str); 8] = [
    ("company", "Company", "企業"),
    ("government_agency", "Government agency", "行政機関（国）"),
    ("prefecture", "Prefectural government", "都道府県"),
    ("municipality", "Municipality", "市区町村"),
    ("international_ngo", "International NGO", "国際NGO"),
    ("ngo", "NGO / NPO (not a member)", "NGO・NPO（非会員）"),
    ("academic", "University / research", "大学・研究機関"),
    ("other", "Other", "その他"),
];

pub fn organisation_kind_choices() -> Vec<Choice> {
    choices(&ORGANISATION_KINDS)
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Organisation {
    pub id: String,
    pub name_ja: String,
    pub name_en: Option<String>,
    pub reading: Option<String>,
    pub kind: String,
    pub prefecture_code: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OrganisationInput {
    #[ts(optional)]
    pub name_ja: Option<String>,
    #[ts(optional)]
    pub name_en: Option<String>,
    #[ts(optional)]
    pub reading: Option<String>,
    #[ts(optional)]
    pub kind: Option<String>,
    #[ts(optional)]
    pub prefecture: Option<String>,
    #[ts(optional)]
    pub website: Option<String>,
    #[ts(optional)]
    pub email: Option<String>,
    #[ts(optional)]
    pub phone: Option<String>,
    #[ts(optional)]
    pub notes: Option<String>,
}

impl OrganisationInput {
    pub fn to_cells(&self, creating: bool) -> Result<Vec<(&'static str, CellValue)>> {
        let mut f = Fields::new(creating);
        f.required("name_ja", &self.name_ja, MAX_NAME)?;
        f.name("name_en", &self.name_en)?;
        f.reading("reading", &self.reading)?;
        f.code("kind", &self.kind, &ORGANISATION_KINDS, Some("other"))?;
        f.prefecture("prefecture_code", &self.prefecture)?;
        f.text("website", &self.website, 500)?;
        f.email("email", &self.email)?;
        f.phone("phone", &self.phone)?;
        f.text("notes", &self.notes, MAX_TEXT)?;
        Ok(f.into_cells())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectoryQuery {
    /// Kana- and width-insensitive, over names, readings (and a contact's role and email).
    #[ts(optional)]
    pub search: Option<String>,
    /// An organisation kind.
    #[ts(optional)]
    pub kind: Option<String>,
    #[ts(optional)]
    pub prefecture: Option<String>,
    /// Contacts of this member or organisation (id or member number).
    #[ts(optional)]
    pub of: Option<String>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub offset: Option<i64>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Contact {
    pub id: String,
    pub name_ja: String,
    pub name_en: Option<String>,
    pub reading: Option<String>,
    pub role: Option<String>,
    pub member_id: Option<String>,
    pub organisation_id: Option<String>,
    /// The member's or organisation's name.
    pub affiliation_ja: Option<String>,
    pub affiliation_en: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub prefecture_code: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactInput {
    #[ts(optional)]
    pub name_ja: Option<String>,
    #[ts(optional)]
    pub name_en: Option<String>,
    /// Kana.
    #[ts(optional)]
    pub reading: Option<String>,
    #[ts(optional)]
    pub role: Option<String>,
    /// Member id or number; empty clears.
    #[ts(optional)]
    pub member: Option<String>,
    /// Organisation id; empty clears.
    #[ts(optional)]
    pub organisation: Option<String>,
    #[ts(optional)]
    pub email: Option<String>,
    #[ts(optional)]
    pub phone: Option<String>,
    #[ts(optional)]
    pub prefecture: Option<String>,
    #[ts(optional)]
    pub notes: Option<String>,
}

impl ContactInput {
    /// Validates the contact's own fields; the member or organisation is
    /// resolved by the caller, which has the database.
    pub fn to_cells(&self, creating: bool) -> Result<Vec<(&'static str, CellValue)>> {
        let mut f = Fields::new(creating);
        f.required("name_ja", &self.name_ja, MAX_NAME)?;
        f.name("name_en", &self.name_en)?;
        f.reading("reading", &self.reading)?;
        f.name("role", &self.role)?;
        f.email("email", &self.email)?;
        f.phone("phone", &self.phone)?;
        f.prefecture("prefecture_code", &self.prefecture)?;
        f.text("notes", &self.notes, MAX_TEXT)?;
        let given = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        if given(&self.member) && given(&self.organisation) {
            return Err(Error::invalid(
                "organisation",
                "a contact belongs to a member or to an organisation, not both",
            ));
        }
        Ok(f.into_cells())
    }
}

/// A member NGO or an organisation offered while typing an attendee.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AttendeeCandidate {
    /// "member" or "organisation".
    pub kind: String,
    pub id: String,
    pub member_no: Option<String>,
    pub name_ja: String,
    pub name_en: Option<String>,
}
