//! HQ's grant desk: what a person types to record a grant, its phases, the
//! instalment schedule and the reporting due dates, and the rules each
//! value must pass. Edits are the same fields, all optional: what is absent
//! keeps its stored value, and the whole record is checked again.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::dates::{ProjectDate, parse_day};
use crate::error::{Error, Result};
use crate::model::text::{self, MAX_NAME, MAX_TEXT};
use crate::money::{Currency, Money};

/// One instalment of a phase's funding, in its grant's currency.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Tranche {
    pub id: String,
    pub phase_id: String,
    #[ts(type = "number")]
    pub seq: i64,
    pub amount: Money,
    pub expected_on: Option<NaiveDate>,
    /// None until the money arrived.
    pub received_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// A report the donor expects for a phase.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportDue {
    pub id: String,
    pub phase_id: String,
    pub due_on: NaiveDate,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub label_en: String,
    pub label_ja: Option<String>,
    /// None until the report was sent.
    pub submitted_on: Option<NaiveDate>,
}

/// An activity a phase funds, as typed with the phase.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityInput {
    pub title_en: String,
    #[ts(optional)]
    pub title_ja: Option<String>,
    #[ts(optional)]
    pub description_en: Option<String>,
}

/// A partner of a phase: an existing partner with this English name, else a new one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PartnerInput {
    pub name_en: String,
    #[ts(optional)]
    pub name_ja: Option<String>,
    #[ts(optional)]
    pub role_en: Option<String>,
}

/// A phase as typed: its grant when added; every field optional when edited.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PhaseInput {
    /// Required when adding a phase to a grant; ignored when editing.
    #[ts(optional)]
    pub grant_id: Option<String>,
    #[ts(optional)]
    pub title_en: Option<String>,
    #[ts(optional)]
    pub title_ja: Option<String>,
    /// YYYY-MM-DD, or YYYY-MM where only the month is known.
    #[ts(optional)]
    pub start: Option<String>,
    #[ts(optional)]
    pub end: Option<String>,
    /// In the grant's currency.
    #[ts(optional)]
    pub amount: Option<String>,
    #[ts(optional)]
    pub summary_en: Option<String>,
    #[ts(optional)]
    pub summary_ja: Option<String>,
    /// Added to the phase's activities.
    #[serde(default)]
    pub activities: Vec<ActivityInput>,
    /// Added to the phase's partners.
    #[serde(default)]
    pub partners: Vec<PartnerInput>,
}

/// A new grant with its first phase.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GrantInput {
    /// An existing donor: its id, or its English or Japanese name.
    #[ts(optional)]
    pub donor: Option<String>,
    /// A new donor's English name (when `donor` is absent).
    #[ts(optional)]
    pub new_donor_en: Option<String>,
    #[ts(optional)]
    pub new_donor_ja: Option<String>,
    pub title_en: String,
    #[ts(optional)]
    pub title_ja: Option<String>,
    pub currency: String,
    #[ts(optional)]
    pub notes: Option<String>,
    /// The first phase (its `grant_id` is the new grant's).
    pub phase: PhaseInput,
}

/// Changes to a grant: absent fields keep their value.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GrantEdit {
    #[ts(optional)]
    pub donor: Option<String>,
    #[ts(optional)]
    pub title_en: Option<String>,
    #[ts(optional)]
    pub title_ja: Option<String>,
    #[ts(optional)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TrancheInput {
    /// Required when adding; ignored when editing.
    #[ts(optional)]
    pub phase_id: Option<String>,
    #[ts(optional)]
    pub amount: Option<String>,
    #[ts(optional)]
    pub expected_on: Option<String>,
    /// Empty clears it (not received after all).
    #[ts(optional)]
    pub received_on: Option<String>,
    #[ts(optional)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportDueInput {
    /// Required when adding; ignored when editing.
    #[ts(optional)]
    pub phase_id: Option<String>,
    #[ts(optional)]
    pub due_on: Option<String>,
    #[ts(optional)]
    pub period_start: Option<String>,
    #[ts(optional)]
    pub period_end: Option<String>,
    #[ts(optional)]
    pub label_en: Option<String>,
    #[ts(optional)]
    pub label_ja: Option<String>,
    /// Empty clears it.
    #[ts(optional)]
    pub submitted_on: Option<String>,
}

/// Changes to a budget line: absent fields keep their value.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetLineEdit {
    #[ts(optional)]
    pub code: Option<String>,
    #[ts(optional)]
    pub name_en: Option<String>,
    #[ts(optional)]
    pub name_ja: Option<String>,
    #[ts(optional)]
    pub amount: Option<String>,
    /// Why spending differs from the budget; empty clears it.
    #[ts(optional)]
    pub variance_note: Option<String>,
}

/// Changes to an expenditure: absent fields keep their value. Its phase never changes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExpenditureEdit {
    /// Empty books it to no budget line.
    #[ts(optional)]
    pub budget_line_id: Option<String>,
    #[ts(optional)]
    pub spent_on: Option<String>,
    #[ts(optional)]
    pub description: Option<String>,
    #[ts(optional)]
    pub amount: Option<String>,
    #[ts(optional)]
    pub currency: Option<String>,
    #[ts(optional)]
    pub rate: Option<String>,
    #[ts(optional)]
    pub rate_date: Option<String>,
    #[ts(optional)]
    pub receipt_ref: Option<String>,
}

/// `edit` if given, else the stored value.
pub fn or_stored(edit: &Option<String>, stored: Option<&str>) -> Option<String> {
    match edit {
        Some(v) => Some(v.clone()),
        None => stored.map(str::to_string),
    }
}

fn opt_day(field: &str, v: Option<&str>) -> Result<Option<NaiveDate>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => parse_day(field, v).map(Some),
        None => Ok(None),
    }
}

fn opt_text(field: &str, v: Option<&str>, max: usize) -> Result<CellValue> {
    Ok(CellValue::opt_text(text::optional(field, v.unwrap_or(""), max)?))
}

/// A whole phase, checked: the cells to write, with its period and amount.
pub struct CheckedPhase {
    pub cells: Vec<(&'static str, CellValue)>,
    pub start: ProjectDate,
    pub end: ProjectDate,
    pub amount: Money,
}

impl PhaseInput {
    /// Checks a complete phase (stored values merged in for an edit) in
    /// its grant's currency.
    pub fn check(&self, currency: Currency) -> Result<CheckedPhase> {
        let title_en = text::required("title_en", self.title_en.as_deref().unwrap_or(""), MAX_NAME)?;
        let start = ProjectDate::parse("start", self.start.as_deref().unwrap_or(""))?;
        let end = ProjectDate::parse("end", self.end.as_deref().unwrap_or(""))?;
        if end.last_day() < start.first_day() {
            return Err(Error::invalid("end", format!("the phase ends ({end}) before it starts ({start})")));
        }
        let amount = Money::parse_amount("amount", self.amount.as_deref().unwrap_or(""), currency)?;
        let cells = vec![
            ("title_en", CellValue::Text(title_en)),
            ("title_ja", opt_text("title_ja", self.title_ja.as_deref(), MAX_NAME)?),
            ("start_date", CellValue::Text(start.to_string())),
            ("end_date", CellValue::Text(end.to_string())),
            ("amount", CellValue::Text(amount.amount_text())),
            ("currency", CellValue::text(currency.code())),
            ("summary_en", opt_text("summary_en", self.summary_en.as_deref(), MAX_TEXT)?),
            ("summary_ja", opt_text("summary_ja", self.summary_ja.as_deref(), MAX_TEXT)?),
        ];
        for a in &self.activities {
            a.check()?;
        }
        for p in &self.partners {
            text::required("partners", &p.name_en, MAX_NAME)?;
            text::optional("partners", p.name_ja.as_deref().unwrap_or(""), MAX_NAME)?;
            text::optional("partners", p.role_en.as_deref().unwrap_or(""), MAX_NAME)?;
        }
        Ok(CheckedPhase { cells, start, end, amount })
    }
}

impl ActivityInput {
    pub fn check(&self) -> Result<Vec<(&'static str, CellValue)>> {
        Ok(vec![
            ("title_en", CellValue::Text(text::required("activities", &self.title_en, MAX_NAME)?)),
            ("title_ja", opt_text("activities", self.title_ja.as_deref(), MAX_NAME)?),
            ("description_en", opt_text("activities", self.description_en.as_deref(), MAX_TEXT)?),
        ])
    }
}

impl GrantInput {
    /// The grant's own cells (donor added by the caller) and its currency.
    pub fn check(&self) -> Result<(Vec<(&'static str, CellValue)>, Currency)> {
        let currency = Currency::parse("currency", &self.currency)?;
        Ok((
            vec![
                ("title_en", CellValue::Text(text::required("title_en", &self.title_en, MAX_NAME)?)),
                ("title_ja", opt_text("title_ja", self.title_ja.as_deref(), MAX_NAME)?),
                ("currency", CellValue::text(currency.code())),
                ("notes", opt_text("notes", self.notes.as_deref(), MAX_TEXT)?),
            ],
            currency,
        ))
    }
}

/// A checked tranche.
pub struct CheckedTranche {
    pub cells: Vec<(&'static str, CellValue)>,
    pub amount: Money,
}

impl TrancheInput {
    pub fn check(&self, currency: Currency) -> Result<CheckedTranche> {
        let amount = Money::parse_amount("amount", self.amount.as_deref().unwrap_or(""), currency)?;
        if amount.amount.is_zero() {
            return Err(Error::invalid("amount", "must be more than zero"));
        }
        let expected = opt_day("expected_on", self.expected_on.as_deref())?;
        let received = opt_day("received_on", self.received_on.as_deref())?;
        if expected.is_none() && received.is_none() {
            return Err(Error::invalid("expected_on", "is required (or the day it was received)"));
        }
        Ok(CheckedTranche {
            cells: vec![
                ("amount", CellValue::Text(amount.amount_text())),
                ("currency", CellValue::text(currency.code())),
                ("expected_on", CellValue::opt_text(expected.map(|d| d.to_string()))),
                ("received_on", CellValue::opt_text(received.map(|d| d.to_string()))),
                ("notes", opt_text("notes", self.notes.as_deref(), 2_000)?),
            ],
            amount,
        })
    }
}

impl ReportDueInput {
    pub fn check(&self) -> Result<Vec<(&'static str, CellValue)>> {
        let due = parse_day("due_on", self.due_on.as_deref().unwrap_or(""))?;
        let start = opt_day("period_start", self.period_start.as_deref())?;
        let end = opt_day("period_end", self.period_end.as_deref())?;
        crate::dates::check_order("period_end", start, end)?;
        Ok(vec![
            ("due_on", CellValue::Text(due.to_string())),
            ("period_start", CellValue::opt_text(start.map(|d| d.to_string()))),
            ("period_end", CellValue::opt_text(end.map(|d| d.to_string()))),
            (
                "label_en",
                CellValue::Text(text::required("label_en", self.label_en.as_deref().unwrap_or(""), MAX_NAME)?),
            ),
            ("label_ja", opt_text("label_ja", self.label_ja.as_deref(), MAX_NAME)?),
            (
                "submitted_on",
                CellValue::opt_text(opt_day("submitted_on", self.submitted_on.as_deref())?.map(|d| d.to_string())),
            ),
        ])
    }
}
