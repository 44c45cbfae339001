//! The domain rule of each stored cell, as the schema registry declares it
//! beside the column ([`crate::schema::Table::rules`]). One check per rule,
//! built from the same parsers that typed input goes through (text limits,
//! dates, money, code tables, prefectures), so a value typed by a person and
//! a value arriving from another office get the same verdict and message.
//! Cells are checked one entry at a time and without the database, so every
//! replica reaches the same verdict on the same entry.

use rust_decimal::Decimal;
use std::str::FromStr;

use crate::cell::CellValue;
use crate::dates::{ProjectDate, parse_day};
use crate::error::{Error, Result};
use crate::model::CodeTable;
use crate::model::text::{self, MAX_NAME, MAX_TEXT};
use crate::money::{Currency, Money};
use crate::prefecture::Prefecture;
use crate::schema::{Kind, Table};

/// What a column's value must be, beyond its storage type.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// Text of at most [`MAX_NAME`] characters, no control characters.
    Name,
    /// Text of at most this many characters, no control characters but newline and tab.
    Text(usize),
    /// A calendar date, YYYY-MM-DD, that exists.
    Day,
    /// A date to the day or only to the month (YYYY-MM).
    ProjectDate,
    /// A non-negative decimal amount in range, with no more decimal places
    /// than the entry's currency allows.
    Amount,
    /// A positive decimal exchange rate.
    Rate,
    Currency,
    /// One of a code table's codes.
    Code(&'static CodeTable),
    /// A JSON array of a code table's codes.
    CodeList(&'static CodeTable),
    Prefecture,
    /// A JSON array of prefecture codes.
    Prefectures,
    Email,
    Phone,
    /// 0 or 1.
    Flag,
    Latitude,
    Longitude,
    /// A whole number from 0 to 1,000,000.
    Count,
    /// A whole number of things (offered, needed, matched, delivered), from 0
    /// to [`MAX_QUANTITY`].
    Quantity,
    /// A year between 1800 and 2200.
    Year,
    /// An office code: `kamaishi` (see [`crate::model::office::check_code`]).
    OfficeCode,
    /// A member number prefix: `KMS` (see [`crate::model::office::check_prefix`]).
    NumberPrefix,
    /// A JSON document (array or object) of at most [`MAX_TEXT`] × 10 characters.
    Json,
    /// A time of day, HH:MM (24-hour).
    Time,
    /// A reading (furigana): kana, not kanji (see [`text::reading`]).
    Reading,
    /// A JSON list of at most 1,000 record ids.
    IdList,
    /// A period narrative's results: a JSON object from activity id to
    /// `{"en": …, "ja": …}` texts (see [`crate::model::narrative`]).
    ActivityResults,
}

/// The largest quantity of one offer, need or match: funds are offered in yen.
pub const MAX_QUANTITY: i64 = 1_000_000_000_000;

/// Most ids one [`Rule::IdList`] cell lists, and the longest id.
const MAX_IDS: usize = 1_000;
const ID_LEN: usize = 64;

/// Text columns without a declared rule: long free text.
const DEFAULT_TEXT: Rule = Rule::Text(MAX_TEXT);

fn wrong(field: &str, what: &str) -> Error {
    Error::invalid(field, format!("must be {what}"))
}

fn as_text<'v>(field: &str, v: &'v CellValue) -> Result<&'v str> {
    v.as_str().ok_or_else(|| wrong(field, "text"))
}

/// The stored text must already be a code: labels are accepted only when typed.
fn code(field: &str, v: &str, table: &CodeTable) -> Result<()> {
    match crate::model::pick(field, v, table)? {
        Some(c) if c == v => Ok(()),
        _ => {
            let codes: Vec<&str> = table.iter().map(|(c, _, _)| *c).collect();
            Err(Error::invalid(field, format!("unknown value '{v}': use one of {}", codes.join(", "))))
        }
    }
}

fn json_list(field: &str, v: &str) -> Result<Vec<String>> {
    serde_json::from_str::<Vec<String>>(v)
        .map_err(|_| Error::invalid(field, format!("'{}' is not a JSON list of codes", text::clip(v))))
}

impl Rule {
    /// Checks one non-null cell. `currency` is the currency the entry's
    /// other cells (or the row) give, for amounts.
    pub fn check(self, field: &str, v: &CellValue, currency: Option<Currency>) -> Result<()> {
        match self {
            Rule::Name => text::check(field, as_text(field, v)?, MAX_NAME),
            Rule::Text(max) => text::check(field, as_text(field, v)?, max),
            Rule::Day => parse_day(field, as_text(field, v)?).map(|_| ()),
            Rule::ProjectDate => ProjectDate::parse(field, as_text(field, v)?).map(|_| ()),
            Rule::Amount => {
                let s = as_text(field, v)?;
                let amount = Decimal::from_str(s.trim())
                    .map_err(|_| Error::invalid(field, format!("'{}' is not an amount", text::clip(s.trim()))))?;
                // Without a currency, the most decimal places any currency allows.
                Money::checked(field, amount, currency.unwrap_or(Currency::USD)).map(|_| ())
            }
            Rule::Rate => {
                let s = as_text(field, v)?;
                let d = Decimal::from_str(s.trim())
                    .map_err(|_| Error::invalid(field, format!("'{}' is not a number", text::clip(s.trim()))))?;
                if d <= Decimal::ZERO {
                    return Err(Error::invalid(field, "must be more than zero"));
                }
                Ok(())
            }
            Rule::Currency => Currency::parse(field, as_text(field, v)?).map(|_| ()),
            Rule::Code(table) => code(field, as_text(field, v)?, table),
            Rule::CodeList(table) => {
                json_list(field, as_text(field, v)?)?.iter().try_for_each(|c| code(field, c, table))
            }
            Rule::Prefecture => prefecture(field, as_text(field, v)?),
            Rule::Prefectures => json_list(field, as_text(field, v)?)?.iter().try_for_each(|c| prefecture(field, c)),
            Rule::Email => text::email(field, as_text(field, v)?).map(|_| ()),
            Rule::Phone => text::phone(field, as_text(field, v)?).map(|_| ()),
            Rule::Flag => match v {
                CellValue::Integer(0 | 1) => Ok(()),
                _ => Err(wrong(field, "0 or 1")),
            },
            Rule::OfficeCode => crate::model::office::check_code(as_text(field, v)?).map(|_| ()),
            Rule::NumberPrefix => crate::model::office::check_prefix(as_text(field, v)?).map(|_| ()),
            Rule::Latitude => coordinate(field, v, 90.0),
            Rule::Longitude => coordinate(field, v, 180.0),
            Rule::Count => match v {
                CellValue::Integer(0..=1_000_000) => Ok(()),
                _ => Err(wrong(field, "a whole number from 0 to 1,000,000")),
            },
            Rule::Quantity => match v {
                CellValue::Integer(0..=MAX_QUANTITY) => Ok(()),
                _ => Err(wrong(field, "a whole number from 0 to 1,000,000,000,000")),
            },
            Rule::Year => match v {
                CellValue::Integer(y) if (1800..=2200).contains(y) => Ok(()),
                _ => Err(wrong(field, "a year between 1800 and 2200")),
            },
            Rule::Time => text::time(field, as_text(field, v)?).map(|_| ()),
            Rule::Reading => text::reading(field, as_text(field, v)?).map(|_| ()),
            Rule::IdList => {
                let ids = json_list(field, as_text(field, v)?)?;
                if ids.len() > MAX_IDS {
                    return Err(Error::invalid(field, format!("lists more than {MAX_IDS} records")));
                }
                ids.iter().try_for_each(|id| text::check(field, id, ID_LEN))
            }
            Rule::ActivityResults => crate::model::narrative::parse_results(field, as_text(field, v)?).map(|_| ()),
            Rule::Json => {
                let s = as_text(field, v)?;
                text::check(field, s, MAX_TEXT * 10)?;
                match serde_json::from_str::<serde_json::Value>(s) {
                    Ok(serde_json::Value::Array(_) | serde_json::Value::Object(_)) => Ok(()),
                    _ => Err(Error::invalid(field, format!("'{}' is not a JSON list or object", text::clip(s)))),
                }
            }
        }
    }
}

fn prefecture(field: &str, v: &str) -> Result<()> {
    match Prefecture::by_code(v) {
        Some(_) => Ok(()),
        None => Err(Error::invalid(field, format!("unknown prefecture code '{}'", text::clip(v)))),
    }
}

fn coordinate(field: &str, v: &CellValue, limit: f64) -> Result<()> {
    let x = match v {
        CellValue::Real(x) => *x,
        CellValue::Integer(i) => *i as f64,
        _ => return Err(wrong(field, "a number")),
    };
    if !x.is_finite() || x.abs() > limit {
        return Err(Error::invalid(field, format!("{x} is out of range (±{limit})")));
    }
    Ok(())
}

/// The rule of a column: declared in the registry, or the default for its kind.
pub fn rule_of(t: &Table, column: &str) -> Option<Rule> {
    if let Some((_, r)) = t.rules.iter().find(|(c, _)| *c == column) {
        return Some(*r);
    }
    match t.column(column) {
        Some((_, Kind::Text)) => Some(DEFAULT_TEXT),
        _ => None,
    }
}

/// Checks every known, non-null cell of one write to a row of `t` against
/// its column's rule. Amounts are checked in the entry's own currency if it
/// carries one. The error names the table and column.
pub fn check_cells<'c>(t: &Table, cells: impl IntoIterator<Item = (&'c str, &'c CellValue)> + Clone) -> Result<()> {
    let currency = cells
        .clone()
        .into_iter()
        .find(|(c, _)| *c == "currency")
        .and_then(|(_, v)| v.as_str().and_then(|s| Currency::parse("currency", s).ok()));
    for (c, v) in cells {
        if v.is_null() || c == "deleted" {
            continue;
        }
        if let Some(rule) = rule_of(t, c) {
            // The qualified field name is built only for the error: merges check millions of cells.
            if rule.check(c, v, currency).is_err() {
                rule.check(&format!("{}.{c}", t.name), v, currency)?;
            }
        }
    }
    Ok(())
}
