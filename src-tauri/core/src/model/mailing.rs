//! Mailing lists (東北支援情報 / Tohoku update) and who receives them. An
//! opt-out is kept as a date on the subscription, never as a delete, so an
//! opted-out contact stays known as opted out and is never exported.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::error::Result;
use crate::model::fields::Fields;
use crate::model::text::MAX_NAME;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailingList {
    pub id: String,
    pub name_ja: String,
    pub name_en: String,
    pub description: Option<String>,
    /// Subscribed and not opted out.
    #[ts(type = "number")]
    pub subscribers: i64,
    #[ts(type = "number")]
    pub opted_out: i64,
    #[ts(type = "number")]
    pub bounced: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MailingListInput {
    #[ts(optional)]
    pub name_ja: Option<String>,
    #[ts(optional)]
    pub name_en: Option<String>,
    #[ts(optional)]
    pub description: Option<String>,
}

impl MailingListInput {
    pub fn to_cells(&self, creating: bool) -> Result<Vec<(&'static str, CellValue)>> {
        let mut f = Fields::new(creating);
        f.required("name_ja", &self.name_ja, MAX_NAME)?;
        f.required("name_en", &self.name_en, MAX_NAME)?;
        f.text("description", &self.description, 2_000)?;
        Ok(f.into_cells())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Subscription {
    pub id: String,
    pub list_id: String,
    pub contact_id: String,
    pub name_ja: String,
    pub name_en: Option<String>,
    pub email: Option<String>,
    pub affiliation_ja: Option<String>,
    pub subscribed_on: Option<NaiveDate>,
    pub opted_out_on: Option<NaiveDate>,
    pub bounced: bool,
}

/// A list as a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ListFormat {
    /// UTF-8 with a byte order mark, so Excel opens the Japanese intact.
    #[default]
    Csv,
    /// vCard 4.0 (RFC 6350), the reading as the phonetic name (RFC 9554).
    Vcard,
}

impl std::str::FromStr for ListFormat {
    type Err = crate::error::Error;

    fn from_str(s: &str) -> Result<ListFormat> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(ListFormat::Csv),
            "vcard" | "vcf" => Ok(ListFormat::Vcard),
            other => Err(crate::error::Error::invalid("format", format!("unknown format '{other}': use csv or vcard"))),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListExportRequest {
    pub list_id: String,
    #[ts(optional)]
    pub format: Option<ListFormat>,
    /// Export only these contacts; each must be on the list and not opted out.
    #[ts(optional)]
    pub contacts: Option<Vec<String>>,
}

/// A list exported: the file's bytes and what went into it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ListExport {
    pub file_name: String,
    /// The file's content (UTF-8; the CSV begins with a byte order mark).
    pub content: String,
    #[ts(type = "number")]
    pub exported: i64,
    /// Subscribers left out because their address bounced.
    #[ts(type = "number")]
    pub skipped_bounced: i64,
    /// Contacts left out because they opted out.
    #[ts(type = "number")]
    pub skipped_opted_out: i64,
}

/// Who a list reached in a period: the computed counterpart of "over 100
/// organisations and companies".
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ListReach {
    pub list_id: String,
    pub name_ja: String,
    pub name_en: String,
    /// Contacts subscribed at some time in the period.
    #[ts(type = "number")]
    pub contacts: i64,
    /// Distinct organisations of those contacts: member NGOs and others.
    #[ts(type = "number")]
    pub organisations: i64,
    #[ts(type = "number")]
    pub member_ngos: i64,
    /// Of the organisations, those recorded as companies.
    #[ts(type = "number")]
    pub companies: i64,
}
