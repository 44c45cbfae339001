//! Donation matching: what is offered, what is needed, and the matches
//! between them from proposal to delivery.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::cell::CellValue;
use crate::dates::check_order;
use crate::error::{Error, Result};
use crate::model::fields::Fields;
use crate::model::rules::MAX_QUANTITY;
use crate::model::site::coordinate;
use crate::model::{Choice, choices};

/// Who an offer comes from; a donor is a fund donor, a company or other
/// organisation one of the directory's, a member one of the registry's.
pub const SOURCE_KINDS: [(&str, &str, &str); 4] = [
    ("donor", "Donor", "寄付者"),
    ("company", "Company", "企業"),
    ("organisation", "Organisation", "団体"),
    ("member", "Member NGO", "会員団体"),
];

pub const CATEGORIES: [(&str, &str, &str); 8] = [
    ("funds", "Funds", "資金"),
    ("tableware", "Dishes and tableware", "食器"),
    ("mobile_phones", "Mobile phones", "携帯電話"),
    ("computers", "Computers", "パソコン"),
    ("maps", "Maps", "地図"),
    ("staff", "Staff secondment", "人材派遣"),
    ("vehicles", "Vehicles", "車両"),
    ("other", "Other", "その他"),
];

pub const URGENCIES: [(&str, &str, &str); 4] =
    [("low", "Low", "低"), ("normal", "Normal", "通常"), ("high", "High", "高"), ("critical", "Critical", "緊急")];

/// A match's life: proposed, then accepted, then delivered; or declined
/// (before acceptance) or cancelled (after).
pub const MATCH_STATUSES: [(&str, &str, &str); 5] = [
    ("proposed", "Proposed", "提案"),
    ("accepted", "Accepted", "承諾"),
    ("delivered", "Delivered", "配送済み"),
    ("declined", "Declined", "辞退"),
    ("cancelled", "Cancelled", "取消"),
];

pub fn source_kind_choices() -> Vec<Choice> {
    choices(&SOURCE_KINDS)
}

pub fn category_choices() -> Vec<Choice> {
    choices(&CATEGORIES)
}

pub fn urgency_choices() -> Vec<Choice> {
    choices(&URGENCIES)
}

pub fn match_status_choices() -> Vec<Choice> {
    choices(&MATCH_STATUSES)
}

/// The urgency codes from least to most urgent: a need's rank among them.
pub fn urgency_rank(code: &str) -> usize {
    URGENCIES.iter().position(|(c, _, _)| *c == code).unwrap_or(1)
}

/// What an offer, a need or a match is worth counting: the sums of its
/// matches by state. Accepted matches commit their quantity; a delivered
/// match commits what was delivered (a partial delivery releases the rest,
/// which a further match can take); proposed ones commit nothing yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Commitment {
    pub proposed: i64,
    pub accepted: i64,
    pub delivered: i64,
}

impl Commitment {
    pub fn committed(&self) -> i64 {
        self.accepted.saturating_add(self.delivered)
    }
}

/// What one match in `status` commits of its offer and its need, as
/// [`Commitment`] counts it: its quantity once accepted, what was delivered
/// once delivered, nothing otherwise.
pub fn committed_by(status: &str, quantity: i64, delivered: Option<i64>) -> i64 {
    match status {
        "accepted" => quantity,
        "delivered" => delivered.unwrap_or(quantity),
        _ => 0,
    }
}

/// A step a person can take on a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MatchAction {
    Accept,
    Deliver,
    Decline,
    Cancel,
    Reduce,
}

/// The steps a match in `status` allows: a proposed match is accepted,
/// declined or reduced; an accepted one delivered, cancelled or reduced;
/// a delivered, declined or cancelled match is closed. The core's steps
/// check this table, and a front end offers what it lists.
pub fn next_actions(status: &str) -> &'static [MatchAction] {
    use MatchAction::*;
    match status {
        "proposed" => &[Accept, Decline, Reduce],
        "accepted" => &[Deliver, Cancel, Reduce],
        _ => &[],
    }
}

/// Something offered to the network: by a fund donor, a company or other
/// organisation of the directory, a member, or a source named in free text.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Offer {
    pub id: String,
    pub source_kind: Option<String>,
    pub member_id: Option<String>,
    pub member_no: Option<String>,
    pub organisation_id: Option<String>,
    /// A fund donor's id.
    pub donor_id: Option<String>,
    /// The source as typed, when it is not a record.
    pub source_name: Option<String>,
    /// Who offers, for display: the typed name, else the member's,
    /// organisation's or donor's name (Japanese first).
    pub source_label: String,
    pub category: String,
    pub description: Option<String>,
    #[ts(type = "number")]
    pub quantity: i64,
    pub unit: Option<String>,
    pub prefecture_code: Option<String>,
    pub municipality: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub offered_on: Option<NaiveDate>,
    pub available_until: Option<NaiveDate>,
    pub conditions: Option<String>,
    /// The recording office.
    pub office_id: Option<String>,
    pub office_code: Option<String>,
    /// Quantity in proposed matches: not committed yet.
    #[ts(type = "number")]
    pub proposed: i64,
    /// Accepted quantities plus delivered quantities.
    #[ts(type = "number")]
    pub committed: i64,
    #[ts(type = "number")]
    pub delivered: i64,
    /// Quantity less committed, computed on every read, never stored;
    /// negative when offices committed more than there is.
    #[ts(type = "number")]
    pub remaining: i64,
    /// More is committed than offered: matches accepted apart (offline) on
    /// two replicas. A coordinator resolves it by declining, cancelling or
    /// reducing one; nothing is trimmed on its own.
    pub over_committed: bool,
    /// Past its `available_until` on the day of the read.
    pub expired: bool,
}

/// Something a member or a site needs.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Need {
    pub id: String,
    pub member_id: Option<String>,
    pub member_no: Option<String>,
    pub member_name_ja: Option<String>,
    pub member_name_en: Option<String>,
    pub site_id: Option<String>,
    pub site_name: Option<String>,
    pub category: String,
    pub description: Option<String>,
    #[ts(type = "number")]
    pub quantity: i64,
    pub unit: Option<String>,
    pub urgency: String,
    pub prefecture_code: Option<String>,
    pub municipality: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub raised_on: Option<NaiveDate>,
    pub needed_by: Option<NaiveDate>,
    pub office_id: Option<String>,
    pub office_code: Option<String>,
    #[ts(type = "number")]
    pub proposed: i64,
    #[ts(type = "number")]
    pub committed: i64,
    #[ts(type = "number")]
    pub delivered: i64,
    /// Quantity less committed, computed, never stored.
    #[ts(type = "number")]
    pub remaining: i64,
    /// More was committed to it than it asked for (matches made apart).
    pub over_filled: bool,
}

/// One offer matched to one need, from proposal to delivery. Each step's
/// `*_by` is the id of the office that acted (`*_by_code` its code).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Match {
    pub id: String,
    pub offer_id: String,
    pub need_id: String,
    #[ts(type = "number")]
    pub quantity: i64,
    pub status: String,
    pub proposed_on: Option<NaiveDate>,
    pub proposed_by: Option<String>,
    pub proposed_by_code: Option<String>,
    pub accepted_on: Option<NaiveDate>,
    pub accepted_by: Option<String>,
    pub accepted_by_code: Option<String>,
    pub delivered_on: Option<NaiveDate>,
    pub delivered_by: Option<String>,
    pub delivered_by_code: Option<String>,
    #[ts(type = "number | null")]
    pub delivered_quantity: Option<i64>,
    /// When and by whom it was declined or cancelled.
    pub closed_on: Option<NaiveDate>,
    pub closed_by: Option<String>,
    pub closed_by_code: Option<String>,
    pub notes: Option<String>,
    /// The offer's category and unit, and who offers.
    pub category: Option<String>,
    pub unit: Option<String>,
    pub offer_source: Option<String>,
    /// The member the need is for.
    pub member_id: Option<String>,
    pub member_name_ja: Option<String>,
    pub member_name_en: Option<String>,
    /// What can be done to it now ([`next_actions`] of its status).
    pub actions: Vec<MatchAction>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OfferDetail {
    pub offer: Offer,
    /// Every match of the offer, newest first.
    pub matches: Vec<Match>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct NeedDetail {
    pub need: Need,
    pub matches: Vec<Match>,
}

/// An offer more committed than it holds, with the matches competing for it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MatchConflict {
    pub offer: Offer,
    /// Committed less quantity.
    #[ts(type = "number")]
    pub over_by: i64,
    /// Its accepted and delivered matches, oldest proposal first.
    pub matches: Vec<Match>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OfferInput {
    /// donor, company, organisation or member; derived from the source given when absent.
    #[ts(optional)]
    pub source_kind: Option<String>,
    /// A fund donor's id.
    #[ts(optional)]
    pub donor: Option<String>,
    /// An organisation's id in the directory (a company or other).
    #[ts(optional)]
    pub organisation: Option<String>,
    /// A member's id or number.
    #[ts(optional)]
    pub member: Option<String>,
    /// A source that is not a record, as typed.
    #[ts(optional)]
    pub source_name: Option<String>,
    #[ts(optional)]
    pub category: Option<String>,
    #[ts(optional)]
    pub description: Option<String>,
    /// A whole number, 1 or more.
    #[ts(optional)]
    #[ts(type = "number")]
    pub quantity: Option<i64>,
    #[ts(optional)]
    pub unit: Option<String>,
    #[ts(optional)]
    pub prefecture: Option<String>,
    #[ts(optional)]
    pub municipality: Option<String>,
    #[ts(optional)]
    pub latitude: Option<String>,
    #[ts(optional)]
    pub longitude: Option<String>,
    /// YYYY-MM-DD; today when absent on create.
    #[ts(optional)]
    pub offered_on: Option<String>,
    #[ts(optional)]
    pub available_until: Option<String>,
    #[ts(optional)]
    pub conditions: Option<String>,
    /// The recording office's code; this office when absent.
    #[ts(optional)]
    pub office: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NeedInput {
    /// A member's id or number; the site's member when a site is given.
    #[ts(optional)]
    pub member: Option<String>,
    /// A site's id: gives the member, and the place when none is given.
    #[ts(optional)]
    pub site: Option<String>,
    #[ts(optional)]
    pub category: Option<String>,
    #[ts(optional)]
    pub description: Option<String>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub quantity: Option<i64>,
    #[ts(optional)]
    pub unit: Option<String>,
    /// low, normal, high or critical; normal when absent on create.
    #[ts(optional)]
    pub urgency: Option<String>,
    #[ts(optional)]
    pub prefecture: Option<String>,
    #[ts(optional)]
    pub municipality: Option<String>,
    #[ts(optional)]
    pub latitude: Option<String>,
    #[ts(optional)]
    pub longitude: Option<String>,
    /// YYYY-MM-DD; today when absent on create.
    #[ts(optional)]
    pub raised_on: Option<String>,
    #[ts(optional)]
    pub needed_by: Option<String>,
    #[ts(optional)]
    pub office: Option<String>,
}

/// The dates and point a record has before an edit, for whole-record checks.
#[derive(Debug, Clone, Default)]
pub struct RecordState {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Committed so far: an edit may not lower the quantity below it.
    pub committed: i64,
    pub category: String,
    /// Whether any match (proposed or committed) was made for the record.
    pub matched: bool,
}

impl RecordState {
    /// A record with matches keeps its category: they were made for it.
    pub fn keeps_category(&self, cells: &[(&'static str, CellValue)], what: &str) -> Result<()> {
        let changed = cells.iter().any(|(c, v)| *c == "category" && v.as_str() != Some(self.category.as_str()));
        if self.matched && changed {
            return Err(Error::invalid("category", format!("the {what} has matches: it keeps its category")));
        }
        Ok(())
    }
}

/// A whole number of things, 1 or more; required on create.
fn quantity(f: &mut Fields, col: &'static str, v: Option<i64>, committed: i64) -> Result<()> {
    match v {
        Some(n) if !(1..=MAX_QUANTITY).contains(&n) => {
            Err(Error::invalid(col, format!("must be a whole number from 1 to {MAX_QUANTITY}")))
        }
        Some(n) if n < committed => {
            Err(Error::invalid(col, format!("{n} is less than the {committed} already committed in matches")))
        }
        Some(n) => {
            f.set(col, CellValue::Integer(n));
            Ok(())
        }
        None if f.creating() => Err(Error::invalid(col, "is required")),
        None => Ok(()),
    }
}

/// Prefecture, municipality and a point given as both coordinates or neither.
fn place(
    f: &mut Fields,
    prefecture: &Option<String>,
    municipality: &Option<String>,
    lat: &Option<String>,
    lon: &Option<String>,
    state: &RecordState,
) -> Result<()> {
    f.prefecture("prefecture_code", prefecture)?;
    f.name("municipality", municipality)?;
    let lat = lat.as_deref().map(|v| coordinate("latitude", v, 90.0)).transpose()?;
    let lon = lon.as_deref().map(|v| coordinate("longitude", v, 180.0)).transpose()?;
    let (final_lat, final_lon) = (lat.unwrap_or(state.latitude), lon.unwrap_or(state.longitude));
    if final_lat.is_some() != final_lon.is_some() {
        let missing = if final_lat.is_none() { "latitude" } else { "longitude" };
        return Err(Error::invalid(missing, "latitude and longitude go together: give both or neither"));
    }
    for (col, v) in [("latitude", lat), ("longitude", lon)] {
        if let Some(v) = v {
            f.set(col, v.map_or(CellValue::Null, CellValue::Real));
        }
    }
    Ok(())
}

/// A category: required on create, never cleared.
fn category(f: &mut Fields, v: &Option<String>) -> Result<()> {
    match v.as_deref() {
        Some(c) if c.trim().is_empty() => Err(Error::invalid("category", "is required")),
        None if f.creating() => Err(Error::invalid("category", "is required")),
        _ => f.code("category", v, &CATEGORIES, None),
    }
}

impl OfferInput {
    /// Validates the offer's own fields into cells; its source (donor,
    /// organisation, member) and office are resolved by the caller, which
    /// has the database. `today` dates a new offer given no date.
    pub fn to_cells(
        &self,
        creating: bool,
        state: &RecordState,
        today: NaiveDate,
    ) -> Result<Vec<(&'static str, CellValue)>> {
        let mut f = Fields::new(creating);
        f.code("source_kind", &self.source_kind, &SOURCE_KINDS, None)?;
        f.name("source_name", &self.source_name)?;
        category(&mut f, &self.category)?;
        f.text("description", &self.description, 2_000)?;
        quantity(&mut f, "quantity", self.quantity, state.committed)?;
        f.name("unit", &self.unit)?;
        place(&mut f, &self.prefecture, &self.municipality, &self.latitude, &self.longitude, state)?;
        let offered = match (&self.offered_on, creating) {
            (None, true) => f.day("offered_on", &Some(today.to_string()), None)?,
            _ => f.day("offered_on", &self.offered_on, state.start)?,
        };
        let until = f.day("available_until", &self.available_until, state.end)?;
        check_order("available_until", offered, until)?;
        f.text("conditions", &self.conditions, 2_000)?;
        Ok(f.into_cells())
    }
}

impl NeedInput {
    /// Validates the need's own fields into cells; the member, the site (and
    /// what it gives) and the office are resolved by the caller.
    pub fn to_cells(
        &self,
        creating: bool,
        state: &RecordState,
        today: NaiveDate,
    ) -> Result<Vec<(&'static str, CellValue)>> {
        let mut f = Fields::new(creating);
        category(&mut f, &self.category)?;
        f.text("description", &self.description, 2_000)?;
        quantity(&mut f, "quantity", self.quantity, state.committed)?;
        f.name("unit", &self.unit)?;
        f.code("urgency", &self.urgency, &URGENCIES, Some("normal"))?;
        place(&mut f, &self.prefecture, &self.municipality, &self.latitude, &self.longitude, state)?;
        let raised = match (&self.raised_on, creating) {
            (None, true) => f.day("raised_on", &Some(today.to_string()), None)?,
            _ => f.day("raised_on", &self.raised_on, state.start)?,
        };
        let by = f.day("needed_by", &self.needed_by, state.end)?;
        check_order("needed_by", raised, by)?;
        Ok(f.into_cells())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OfferQuery {
    #[ts(optional)]
    pub category: Option<String>,
    #[ts(optional)]
    pub prefecture: Option<String>,
    /// Only offers with something remaining and not expired today.
    #[ts(optional)]
    pub open_only: Option<bool>,
    /// Only over-committed offers.
    #[ts(optional)]
    pub over_committed: Option<bool>,
    /// Source, description or municipality, kana- and width-insensitive.
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub offset: Option<i64>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NeedQuery {
    #[ts(optional)]
    pub category: Option<String>,
    #[ts(optional)]
    pub prefecture: Option<String>,
    #[ts(optional)]
    pub urgency: Option<String>,
    /// A member's id or number.
    #[ts(optional)]
    pub member: Option<String>,
    /// Only needs with something remaining.
    #[ts(optional)]
    pub open_only: Option<bool>,
    /// Description or municipality, kana- and width-insensitive.
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub offset: Option<i64>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MatchQuery {
    #[ts(optional)]
    pub offer: Option<String>,
    #[ts(optional)]
    pub need: Option<String>,
    #[ts(optional)]
    pub status: Option<String>,
    /// The member the need is for: id or number.
    #[ts(optional)]
    pub member: Option<String>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub offset: Option<i64>,
    #[ts(optional)]
    #[ts(type = "number")]
    pub limit: Option<i64>,
}

/// A match proposed between an offer and a need.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MatchProposal {
    #[ts(optional)]
    pub offer: Option<String>,
    #[ts(optional)]
    pub need: Option<String>,
    /// What the offer has left or the need still lacks, whichever is less, when absent.
    #[ts(optional)]
    #[ts(type = "number")]
    pub quantity: Option<i64>,
    /// YYYY-MM-DD; today when absent.
    #[ts(optional)]
    pub on: Option<String>,
    #[ts(optional)]
    pub notes: Option<String>,
}

/// One step of a match: accept, deliver, decline or cancel.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MatchStep {
    /// YYYY-MM-DD; today when absent. Not before the previous step.
    #[ts(optional)]
    pub on: Option<String>,
    /// Accept: a smaller quantity than proposed. Deliver: what was
    /// delivered (the match's quantity when absent; a partial delivery
    /// releases the rest).
    #[ts(optional)]
    #[ts(type = "number")]
    pub quantity: Option<i64>,
    #[ts(optional)]
    pub notes: Option<String>,
}

/// Which period the matching figures cover.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MatchingQuery {
    /// YYYY-MM-DD, inclusive; from the first record when absent.
    #[ts(optional)]
    pub from: Option<String>,
    /// YYYY-MM-DD, inclusive; today when absent.
    #[ts(optional)]
    pub to: Option<String>,
}

/// Offers received and delivered in one category over a period.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CategoryFlow {
    pub category: String,
    /// Offers offered in the period, and their quantities.
    #[ts(type = "number")]
    pub offers: i64,
    #[ts(type = "number")]
    pub offered_quantity: i64,
    /// Matches of the category delivered in the period, and what they delivered.
    #[ts(type = "number")]
    pub deliveries: i64,
    #[ts(type = "number")]
    pub delivered_quantity: i64,
}

/// What one member received in one category and unit over a period.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MemberReceipt {
    pub member_id: String,
    pub member_no: Option<String>,
    pub name_ja: Option<String>,
    pub name_en: Option<String>,
    pub category: String,
    pub unit: Option<String>,
    #[ts(type = "number")]
    pub deliveries: i64,
    #[ts(type = "number")]
    pub quantity: i64,
}

/// The donation matching figures for a period, computed from the records.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MatchingStats {
    pub from: Option<NaiveDate>,
    pub to: NaiveDate,
    #[ts(type = "number")]
    pub offers: i64,
    #[ts(type = "number")]
    pub needs: i64,
    #[ts(type = "number")]
    pub deliveries: i64,
    /// Every category, in the code table's order.
    pub by_category: Vec<CategoryFlow>,
    /// Days from a need being raised to its delivery, over the matches
    /// delivered in the period, to one decimal place.
    #[ts(type = "string | null")]
    pub days_to_delivery_mean: Option<Decimal>,
    #[ts(type = "string | null")]
    pub days_to_delivery_median: Option<Decimal>,
    /// Deliveries in the period by member, category and unit.
    pub by_member: Vec<MemberReceipt>,
    /// Offers over-committed now (whatever the period): conflicts to resolve.
    #[ts(type = "number")]
    pub over_committed_offers: i64,
}
