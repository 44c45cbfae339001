//! The pooled relief fund: its donors, their gifts, the distributions to
//! member NGOs and the currency conversions between them. The split of a
//! distribution is computed here, from what a distribution stores, so every
//! reader derives the same shares and they always sum to the amount.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::error::{Error, Result};
use crate::model::fields::Fields;
use crate::model::text::MAX_TEXT;
use crate::model::{Choice, choices};
use crate::money::{Currency, MAX_AMOUNT, Money};

pub const DONOR_KINDS: [(&str, &str, &str); 2] =
    [("person", "Person", "個人"), ("organisation", "Organisation", "団体・法人")];

pub const GIFT_CHANNELS: [(&str, &str, &str); 4] = [
    ("bank_transfer", "Bank transfer", "銀行振込"),
    ("card", "Credit card", "クレジットカード"),
    ("cash", "Cash", "現金"),
    ("online", "Online platform", "オンライン募金"),
];

pub fn donor_kind_choices() -> Vec<Choice> {
    choices(&DONOR_KINDS)
}

pub fn gift_channel_choices() -> Vec<Choice> {
    choices(&GIFT_CHANNELS)
}

/// The English and Japanese labels of a gift channel code.
pub fn channel_labels(code: &str) -> (&'static str, &'static str) {
    GIFT_CHANNELS.iter().find(|(c, _, _)| *c == code).map_or(("Other", "その他"), |(_, en, ja)| (*en, *ja))
}

// ---------------------------------------------------------------- donors

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FundDonor {
    pub id: String,
    /// "person" or "organisation".
    pub kind: String,
    pub name_ja: Option<String>,
    pub name_en: Option<String>,
    /// Kana.
    pub reading: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// The donor agreed to be named in reports to others. A donor without
    /// it still gets their own receipts and statements.
    pub named_consent: bool,
    pub notes: Option<String>,
}

impl FundDonor {
    /// The name to print: Japanese and English when both are known.
    pub fn display_name(&self) -> String {
        match (self.name_ja.as_deref(), self.name_en.as_deref()) {
            (Some(ja), Some(en)) if ja != en => format!("{ja} ({en})"),
            (Some(n), _) | (None, Some(n)) => n.to_string(),
            (None, None) => String::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FundDonorInput {
    /// person (default) or organisation.
    #[ts(optional)]
    pub kind: Option<String>,
    #[ts(optional)]
    pub name_ja: Option<String>,
    #[ts(optional)]
    pub name_en: Option<String>,
    /// Kana.
    #[ts(optional)]
    pub reading: Option<String>,
    #[ts(optional)]
    pub country: Option<String>,
    #[ts(optional)]
    pub email: Option<String>,
    #[ts(optional)]
    pub phone: Option<String>,
    #[ts(optional)]
    pub address: Option<String>,
    /// Agreed to be named in reports (false when absent on create).
    #[ts(optional)]
    pub named_consent: Option<bool>,
    #[ts(optional)]
    pub notes: Option<String>,
}

impl FundDonorInput {
    /// Validates into cells; `current_names` are the donor's names on edit
    /// (Japanese, English), so that one of them always remains.
    pub fn to_cells(&self, creating: bool, current_names: (bool, bool)) -> Result<Vec<(&'static str, CellValue)>> {
        let mut f = Fields::new(creating);
        f.code("kind", &self.kind, &DONOR_KINDS, Some("person"))?;
        f.name("name_ja", &self.name_ja)?;
        f.name("name_en", &self.name_en)?;
        f.reading("reading", &self.reading)?;
        f.name("country", &self.country)?;
        f.email("email", &self.email)?;
        f.phone("phone", &self.phone)?;
        f.text("address", &self.address, 500)?;
        f.flag("named_consent", self.named_consent, false);
        f.text("notes", &self.notes, MAX_TEXT)?;
        let has = |col: &str, current: bool| f.get(col).map_or(current, |v| !v.is_null());
        if !has("name_ja", current_names.0) && !has("name_en", current_names.1) {
            return Err(Error::invalid("name_ja", "a name is required, in Japanese or English"));
        }
        Ok(f.into_cells())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FundDonorQuery {
    /// Name, reading or email; kana- and width-insensitive.
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub offset: Option<i64>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub limit: Option<i64>,
}

// ---------------------------------------------------------------- gifts

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Gift {
    pub id: String,
    pub donor_id: String,
    pub donor_name_ja: Option<String>,
    pub donor_name_en: Option<String>,
    pub received_on: NaiveDate,
    pub amount: Money,
    pub channel: String,
    /// R2011-000001: unique, sequential per year of receipt, never reused
    /// and never changed.
    pub receipt_no: String,
    pub purpose: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GiftInput {
    /// The fund donor's id (required on create).
    #[ts(optional)]
    pub donor: Option<String>,
    /// YYYY-MM-DD (required on create).
    #[ts(optional)]
    pub received_on: Option<String>,
    /// Exact decimal, more than zero, no more decimals than the currency has.
    #[ts(optional)]
    pub amount: Option<String>,
    /// JPY or USD (required on create).
    #[ts(optional)]
    pub currency: Option<String>,
    /// bank_transfer (default), card, cash or online.
    #[ts(optional)]
    pub channel: Option<String>,
    /// A purpose or restriction the donor set.
    #[ts(optional)]
    pub purpose: Option<String>,
    #[ts(optional)]
    pub notes: Option<String>,
}

/// A positive amount of `currency` typed as text, refused naming `field`.
pub fn positive_amount(field: &str, text: &str, currency: Currency) -> Result<Money> {
    let m = Money::parse_amount(field, text, currency)?;
    if m.amount.is_zero() {
        return Err(Error::invalid(field, "must be more than zero"));
    }
    Ok(m)
}

/// A required date: present on create, never cleared.
fn required_day(f: &mut Fields, col: &'static str, v: &Option<String>) -> Result<Option<NaiveDate>> {
    match v.as_deref() {
        Some(d) if d.trim().is_empty() => Err(Error::invalid(col, "is required")),
        None if f.creating() => Err(Error::invalid(col, "is required")),
        _ => f.day(col, v, None),
    }
}

impl GiftInput {
    /// Validates the gift's own fields into cells; `current` is the gift's
    /// amount on edit, checked again when only the currency changes. The
    /// donor is resolved and the receipt number assigned by the caller.
    pub fn to_cells(&self, creating: bool, current: Option<Money>) -> Result<Vec<(&'static str, CellValue)>> {
        let mut f = Fields::new(creating);
        required_day(&mut f, "received_on", &self.received_on)?;
        let currency = match self.currency.as_deref() {
            Some(c) => Some(Currency::parse("currency", c)?),
            None if creating => return Err(Error::invalid("currency", "is required: JPY or USD")),
            None => None,
        };
        let currency_now = currency.or(current.map(|m| m.currency)).unwrap_or(Currency::JPY);
        match self.amount.as_deref() {
            Some(a) => {
                let m = positive_amount("amount", a, currency_now)?;
                f.set("amount", CellValue::Text(m.amount_text()));
            }
            None if creating => return Err(Error::invalid("amount", "is required")),
            None => {
                if let (Some(c), Some(m)) = (currency, current) {
                    let again = Money::checked("amount", m.amount, c)?;
                    f.set("amount", CellValue::Text(again.amount_text()));
                }
            }
        }
        if let Some(c) = currency {
            f.set("currency", CellValue::text(c.code()));
        }
        f.code("channel", &self.channel, &GIFT_CHANNELS, Some("bank_transfer"))?;
        f.text("purpose", &self.purpose, 500)?;
        f.text("notes", &self.notes, MAX_TEXT)?;
        Ok(f.into_cells())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GiftQuery {
    /// A fund donor's id.
    #[ts(optional)]
    pub donor: Option<String>,
    /// YYYY-MM-DD, inclusive.
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
    #[ts(optional)]
    pub currency: Option<String>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub offset: Option<i64>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub limit: Option<i64>,
}

/// A page of gifts with the totals, per currency, of every gift matched.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct GiftPage {
    #[ts(type = "number")]
    pub total: i64,
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
    pub limit: i64,
    pub rows: Vec<Gift>,
    pub totals: Vec<Money>,
}

/// A donor's gifts of one calendar year, for the annual statement.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DonorStatement {
    pub donor: FundDonor,
    pub year: i32,
    pub gifts: Vec<Gift>,
    /// Per currency, JPY first.
    pub totals: Vec<Money>,
}

// ---------------------------------------------------------------- distributions

/// The stated rule every distribution stores in its `rule` cell.
pub const SPLIT_RULE: &str = "Equal split in the currency's minor unit: each of the n members receives T div n; \
the remainder r goes one unit each to the first r members of member_order, which is the members sorted by member \
number (then id) and rotated to start at cursor. The next distribution starts where this one's remainder stopped: \
its cursor is the member after the last one that received a unit, so consecutive distributions do not give the \
remainder to the same members while r + r' <= n.";

/// Most members one distribution may name: a stored id list holds at most 1,000 ids.
pub const MAX_RECIPIENTS: usize = 1_000;

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DistributionInput {
    /// Exact decimal, more than zero.
    #[ts(optional)]
    pub amount: Option<String>,
    /// JPY or USD.
    #[ts(optional)]
    pub currency: Option<String>,
    /// YYYY-MM-DD.
    #[ts(optional)]
    pub distributed_on: Option<String>,
    /// Member ids or numbers; when absent, the members with an active site in
    /// `prefectures` on `eligible_on`.
    #[ts(optional)]
    pub members: Option<Vec<String>>,
    /// The day site activity is judged on (the distribution's date when absent).
    #[ts(optional)]
    pub eligible_on: Option<String>,
    /// Prefecture codes or names (Iwate, Miyagi, Fukushima when absent).
    #[ts(optional)]
    pub prefectures: Option<Vec<String>>,
    #[ts(optional)]
    pub notes: Option<String>,
    /// Compute and return the split without writing anything.
    #[ts(optional)]
    pub dry_run: Option<bool>,
}

/// One member's part of a distribution, derived from the stored cells.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Share {
    pub member_id: String,
    pub member_no: Option<String>,
    pub name_ja: Option<String>,
    pub name_en: Option<String>,
    pub amount: Money,
    /// One of the r members given one more minor unit.
    pub remainder_unit: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Distribution {
    /// None for a dry run.
    pub id: Option<String>,
    pub distributed_on: NaiveDate,
    pub amount: Money,
    pub rule: String,
    /// Where the rotation started in the members' sorted order.
    #[ts(type = "number")]
    pub cursor: i64,
    #[ts(type = "number")]
    pub remainder: i64,
    pub eligible_on: Option<NaiveDate>,
    pub prefectures: Vec<String>,
    pub notes: Option<String>,
    /// In member_order: the first `remainder` have one more minor unit.
    pub shares: Vec<Share>,
    /// The shares added up, stated beside `amount` so a reader sees they are equal.
    pub shares_total: Money,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DistributionQuery {
    /// YYYY-MM-DD, inclusive.
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
    #[ts(optional)]
    pub currency: Option<String>,
}

/// The amount in the currency's minor units (yen, cents).
pub fn minor_units(m: Money) -> i128 {
    let mut a = m.amount;
    a.rescale(m.currency.minor_digits());
    a.mantissa()
}

/// Minor units back into money.
pub fn from_minor(units: i128, currency: Currency) -> Money {
    Money::new(Decimal::from_i128_with_scale(units, currency.minor_digits()), currency)
}

/// `sorted` rotated left so that it starts at `cursor` (taken mod n).
pub fn rotate<T: Clone>(sorted: &[T], cursor: usize) -> Vec<T> {
    if sorted.is_empty() {
        return Vec::new();
    }
    let c = cursor % sorted.len();
    sorted[c..].iter().chain(&sorted[..c]).cloned().collect()
}

/// The parts of `total` minor units over `n` members in member order: the
/// first `total mod n` get one unit more than the rest. Sums to `total`.
pub fn split_parts(total: i128, n: usize) -> Vec<i128> {
    if n == 0 {
        return Vec::new();
    }
    let n128 = n as i128;
    let (base, r) = (total.div_euclid(n128), total.rem_euclid(n128) as usize);
    (0..n).map(|i| base + i128::from(i < r)).collect()
}

/// The remainder of splitting `total` minor units over `n` members.
pub fn split_remainder(total: i128, n: usize) -> usize {
    if n == 0 { 0 } else { total.rem_euclid(n as i128) as usize }
}

/// The cursor after a distribution over `n` members that started at
/// `cursor` and gave `remainder` extra units.
pub fn next_cursor(cursor: usize, remainder: usize, n: usize) -> usize {
    if n == 0 { 0 } else { (cursor + remainder) % n }
}

// ---------------------------------------------------------------- conversions

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConversionInput {
    /// YYYY-MM-DD.
    #[ts(optional)]
    pub converted_on: Option<String>,
    /// The amount taken out of the fund in `from_currency`.
    #[ts(optional)]
    pub from_amount: Option<String>,
    #[ts(optional)]
    pub from_currency: Option<String>,
    #[ts(optional)]
    pub to_currency: Option<String>,
    /// Units of `to_currency` per unit of `from_currency` (e.g. 0.0125 for JPY → USD).
    #[ts(optional)]
    pub rate: Option<String>,
    #[ts(optional)]
    pub notes: Option<String>,
}

/// How a converted amount is rounded, as every conversion states it.
pub const CONVERSION_ROUNDING: &str =
    "to_amount = from_amount × rate, rounded half away from zero to the target currency's minor unit";

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Conversion {
    pub id: String,
    pub converted_on: NaiveDate,
    pub from: Money,
    pub to: Money,
    #[ts(type = "string")]
    pub rate: Decimal,
    pub rounding: String,
    pub notes: Option<String>,
}

/// Parses a rate: a decimal more than zero, naming `rate`.
pub fn parse_rate(text: &str) -> Result<Decimal> {
    let cleaned: String = text.trim().chars().filter(|c| !matches!(c, ',' | '_' | ' ')).collect();
    let rate: Decimal =
        cleaned.parse().map_err(|_| Error::invalid("rate", format!("'{}' is not a number", text.trim())))?;
    if rate <= Decimal::ZERO {
        return Err(Error::invalid("rate", "must be more than zero"));
    }
    Ok(rate)
}

/// `from` converted at `rate` into `to`, rounded as [`CONVERSION_ROUNDING`] says.
pub fn convert(from: Money, rate: Decimal, to: Currency) -> Result<Money> {
    let product =
        from.amount.checked_mul(rate).filter(|p| *p <= Decimal::from(MAX_AMOUNT)).ok_or_else(|| {
            Error::invalid("rate", format!("{from} at {rate} is larger than any amount Kizuna accepts"))
        })?;
    let rounded = product.round_dp_with_strategy(to.minor_digits(), RoundingStrategy::MidpointAwayFromZero);
    if rounded.is_zero() {
        return Err(Error::invalid("from_amount", format!("{from} at {rate} is less than one minor unit of {to}")));
    }
    Ok(Money::new(rounded, to))
}

// ---------------------------------------------------------------- ledger

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LedgerQuery {
    /// YYYY-MM-DD, inclusive; from the first record when absent.
    #[ts(optional)]
    pub from: Option<String>,
    /// YYYY-MM-DD, inclusive; to the last record when absent.
    #[ts(optional)]
    pub to: Option<String>,
}

/// One currency's movements over the period.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CurrencyLedger {
    pub currency: Currency,
    /// Balance at the start of the period (everything dated before `from`).
    pub opening: Money,
    pub gifts_in: Money,
    #[ts(type = "number")]
    pub gifts: i64,
    /// Received from conversions out of the other currency.
    pub converted_in: Money,
    /// Taken out by conversions into the other currency.
    pub converted_out: Money,
    pub distributed_out: Money,
    #[ts(type = "number")]
    pub distributions: i64,
    /// gifts_in + converted_in.
    pub total_in: Money,
    /// distributed_out + converted_out.
    pub total_out: Money,
    /// opening + total_in - total_out.
    pub closing: Money,
}

/// What one member has received from the fund up to the period's end.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MemberReceived {
    pub member_id: String,
    pub member_no: Option<String>,
    pub name_ja: Option<String>,
    pub name_en: Option<String>,
    /// Per currency, JPY first; only currencies received.
    pub received: Vec<Money>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Ledger {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// JPY, then USD.
    pub currencies: Vec<CurrencyLedger>,
    /// Distinct donors who gave in the period.
    #[ts(type = "number")]
    pub donors: i64,
    /// Gifts received in the period, all currencies.
    #[ts(type = "number")]
    pub gifts: i64,
    /// Members that received something up to the period's end, by member number.
    pub members: Vec<MemberReceived>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FundTotalsQuery {
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
    /// USD per JPY to count yen gifts in the USD total (e.g. 0.0125); without
    /// it yen gifts are stated apart and not counted in USD.
    #[ts(optional)]
    pub usd_per_jpy: Option<String>,
}

/// The computed counterparts of "over 1,500 donors have contributed over $1 million".
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FundTotals {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Distinct donors with a gift in the period.
    #[ts(type = "number")]
    pub donors: i64,
    #[ts(type = "number")]
    pub gifts: i64,
    /// Gifts received per currency, JPY first (zero when none).
    pub received: Vec<Money>,
    /// The USD figure: USD gifts, plus JPY gifts at `usd_per_jpy` if one was given.
    pub usd_total: Money,
    #[ts(type = "string | null")]
    pub usd_per_jpy: Option<Decimal>,
    /// How `usd_total` was counted, in words.
    pub basis: String,
}
