//! Donors, grants and their phases, with what each phase funds and spends.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::dates::{ProjectDate, parse_day};
use crate::error::{Error, Result};
use crate::model::text::{self, MAX_NAME, MAX_TEXT};
use crate::money::{Currency, Money};

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Donor {
    pub id: String,
    pub name_en: String,
    pub name_ja: String,
    pub country: Option<String>,
    pub relief_fund_en: Option<String>,
    pub relief_fund_ja: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Grant {
    pub id: String,
    pub donor_id: String,
    pub title_en: String,
    pub title_ja: String,
    pub currency: Currency,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Phase {
    pub id: String,
    pub grant_id: String,
    #[ts(type = "number")]
    pub seq: i64,
    pub title_en: String,
    pub title_ja: String,
    pub start: ProjectDate,
    pub end: ProjectDate,
    pub amount: Money,
    pub summary_en: Option<String>,
    pub summary_ja: Option<String>,
}

impl Phase {
    /// Whether `day` lies in the phase's period (a month-precision end runs
    /// to the month's last day). The one rule for which expenditures a
    /// phase counts: entry refuses any other day, and every figure (the
    /// grant list, the dashboard, the app, the PDF) counts only these.
    pub fn covers(&self, day: NaiveDate) -> bool {
        day >= self.start.first_day() && day <= self.end.last_day()
    }

    /// An `invalid_input` error on `field` unless the phase covers `day`.
    pub fn require_covers(&self, field: &str, day: NaiveDate) -> Result<()> {
        if self.covers(day) {
            return Ok(());
        }
        Err(Error::invalid(
            field,
            format!(
                "{day} is outside the phase's period ({} to {}): an expenditure is recorded in the phase whose period its date falls in",
                self.start.first_day(),
                self.end.last_day()
            ),
        ))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Activity {
    pub id: String,
    #[ts(type = "number")]
    pub seq: i64,
    pub title_en: String,
    pub title_ja: String,
    pub description_en: String,
    pub description_ja: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Partner {
    pub id: String,
    pub name_en: String,
    pub name_ja: Option<String>,
    pub acronym: Option<String>,
    pub kind: String,
    pub description_en: Option<String>,
    pub website: Option<String>,
    /// The partner's role in the phase it is listed under.
    pub role_en: Option<String>,
    pub role_ja: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Indicator {
    pub id: String,
    pub phase_id: Option<String>,
    #[ts(type = "number")]
    pub seq: i64,
    pub label_en: String,
    pub label_ja: String,
    /// "reported" (stated by a source) or "computed" (from the records).
    pub kind: String,
    pub metric: Option<String>,
    pub value: Option<String>,
    /// "over", "average", "about" or "exactly".
    pub qualifier: Option<String>,
    pub unit: Option<String>,
    pub source: Option<String>,
    pub as_of: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Statement {
    pub id: String,
    pub person: String,
    pub role_en: String,
    pub text_en: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetLine {
    pub id: String,
    pub phase_id: String,
    #[ts(type = "number")]
    pub seq: i64,
    pub code: Option<String>,
    pub name_en: String,
    pub name_ja: Option<String>,
    pub amount: Money,
    /// Expenditures booked to this line, in the grant's currency.
    pub spent: Money,
    /// `amount` less `spent`; negative when the line is overspent.
    pub remaining: Money,
    /// More spent than budgeted on this line.
    pub overspent: bool,
    /// Why spending differs from the budget, for the donor's report.
    pub variance_note: Option<String>,
    /// Expenditures booked to this line (removing the line removes them too).
    #[ts(type = "number")]
    pub expenditure_count: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Expenditure {
    pub id: String,
    pub phase_id: String,
    pub budget_line_id: Option<String>,
    pub spent_on: NaiveDate,
    pub description: String,
    pub amount: Money,
    /// Grant-currency units per unit of `amount`'s currency.
    #[ts(type = "string")]
    pub rate: Decimal,
    pub rate_date: Option<NaiveDate>,
    /// `amount` in the grant's currency at `rate`.
    pub converted: Money,
    /// The receipt or invoice this expenditure is booked from.
    pub receipt_ref: Option<String>,
    /// Dated outside its phase's period (possible only for rows written
    /// before entry refused them): counted in no total, listed by `doctor`.
    pub outside_phase: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PhaseDetail {
    pub phase: Phase,
    pub activities: Vec<Activity>,
    pub partners: Vec<Partner>,
    pub indicators: Vec<Indicator>,
    pub statements: Vec<Statement>,
    pub budget_lines: Vec<BudgetLine>,
    pub expenditures: Vec<Expenditure>,
    pub budget_total: Money,
    pub spent_total: Money,
    /// Amount granted less spent; negative when overspent.
    pub unspent: Money,
    /// More spent than the amount granted.
    pub overspent: bool,
    /// More spent than the budget lines' total (false without budget lines).
    pub over_budget: bool,
    /// The instalment schedule, by expected date.
    pub tranches: Vec<crate::model::grant_desk::Tranche>,
    /// Tranches received so far.
    pub received_total: Money,
    /// Reports the donor expects, by due date.
    pub report_dues: Vec<crate::model::grant_desk::ReportDue>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GrantDetail {
    pub grant: Grant,
    pub donor: Donor,
    pub phases: Vec<PhaseDetail>,
    pub total: Money,
    pub spent_total: Money,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GrantOverview {
    pub grants: Vec<GrantDetail>,
    /// Sum over all grants, per currency.
    pub totals: Vec<Money>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BudgetLineInput {
    pub phase_id: String,
    #[ts(optional)]
    pub code: Option<String>,
    pub name_en: String,
    #[ts(optional)]
    pub name_ja: Option<String>,
    pub amount: String,
    pub currency: String,
    #[ts(optional)]
    pub variance_note: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExpenditureInput {
    pub phase_id: String,
    #[ts(optional)]
    pub budget_line_id: Option<String>,
    pub spent_on: String,
    pub description: String,
    pub amount: String,
    pub currency: String,
    /// Required when `currency` differs from the grant's.
    #[ts(optional)]
    pub rate: Option<String>,
    #[ts(optional)]
    pub rate_date: Option<String>,
    /// The receipt or invoice reference.
    #[ts(optional)]
    pub receipt_ref: Option<String>,
}

/// Converts an amount into `target` at `rate`, rounding half away from zero
/// to the target currency's minor unit. An overflow is an error, not a panic.
pub fn convert(amount: Money, rate: Decimal, target: Currency) -> Result<Money> {
    let raw = amount
        .amount
        .checked_mul(rate)
        .ok_or_else(|| Error::invalid("rate", format!("{amount} at rate {rate} is out of range")))?;
    let converted =
        Money::new(raw.round_dp_with_strategy(target.minor_digits(), RoundingStrategy::MidpointAwayFromZero), target);
    Money::checked("converted", converted.amount, target)
}

impl BudgetLineInput {
    pub fn to_cells(&self, grant_currency: Currency) -> Result<Vec<(&'static str, CellValue)>> {
        let currency = Currency::parse("currency", &self.currency)?;
        if currency != grant_currency {
            return Err(Error::invalid(
                "currency",
                format!("budget lines are kept in the grant's currency ({grant_currency})"),
            ));
        }
        let amount = Money::parse_amount("amount", &self.amount, currency)?;
        Ok(vec![
            ("phase_id", CellValue::text(&self.phase_id)),
            ("code", CellValue::opt_text(text::optional("code", self.code.as_deref().unwrap_or(""), 40)?)),
            ("name_en", CellValue::Text(text::required("name_en", &self.name_en, MAX_NAME)?)),
            (
                "name_ja",
                CellValue::opt_text(text::optional("name_ja", self.name_ja.as_deref().unwrap_or(""), MAX_NAME)?),
            ),
            ("amount", CellValue::Text(amount.amount_text())),
            ("currency", CellValue::text(currency.code())),
            (
                "variance_note",
                CellValue::opt_text(text::optional(
                    "variance_note",
                    self.variance_note.as_deref().unwrap_or(""),
                    2_000,
                )?),
            ),
        ])
    }
}

impl ExpenditureInput {
    pub fn to_cells(&self, grant_currency: Currency) -> Result<Vec<(&'static str, CellValue)>> {
        let currency = Currency::parse("currency", &self.currency)?;
        let amount = Money::parse_amount("amount", &self.amount, currency)?;
        if amount.amount.is_zero() {
            return Err(Error::invalid("amount", "must be more than zero"));
        }
        let spent_on = parse_day("spent_on", &self.spent_on)?;
        let rate_text = self.rate.as_deref().map(str::trim).filter(|r| !r.is_empty());
        let rate = match rate_text {
            Some(r) => {
                let d: Decimal = r.parse().map_err(|_| Error::invalid("rate", format!("'{r}' is not a number")))?;
                if d <= Decimal::ZERO {
                    return Err(Error::invalid("rate", "must be more than zero"));
                }
                d
            }
            None if currency == grant_currency => Decimal::ONE,
            None => {
                return Err(Error::invalid(
                    "rate",
                    format!("is required to convert {currency} into the grant's {grant_currency}"),
                ));
            }
        };
        // The converted amount must be in range too.
        convert(amount, rate, grant_currency)?;
        let rate_date = match self.rate_date.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            Some(d) => Some(parse_day("rate_date", d)?),
            None if currency != grant_currency => Some(spent_on),
            None => None,
        };
        Ok(vec![
            ("phase_id", CellValue::text(&self.phase_id)),
            ("budget_line_id", CellValue::opt_text(self.budget_line_id.clone().filter(|s| !s.trim().is_empty()))),
            ("spent_on", CellValue::Text(spent_on.to_string())),
            ("description", CellValue::Text(text::required("description", &self.description, MAX_TEXT)?)),
            ("amount", CellValue::Text(amount.amount_text())),
            ("currency", CellValue::text(currency.code())),
            ("rate", CellValue::Text(rate.normalize().to_string())),
            ("rate_date", CellValue::opt_text(rate_date.map(|d| d.to_string()))),
            (
                "receipt_ref",
                CellValue::opt_text(text::optional(
                    "receipt_ref",
                    self.receipt_ref.as_deref().unwrap_or(""),
                    MAX_NAME,
                )?),
            ),
        ])
    }
}
