//! An in-memory index of the fund's money movements: every live gift,
//! distribution and conversion as (day, currency, minor units), gifts with
//! their donor interned and distributions with their member order. The
//! ledger and the balance checks are one pass over it instead of reading and
//! parsing 100,000 decimal amounts from SQLite each time. Kept like the
//! other indexes (see `lazy_index`): rebuilt on first use after any change,
//! except that a gift, distribution or conversion added here is added to it
//! in place (`write_through`): a rebuild over 100,000 gifts takes about
//! 160 ms, which every distribution and gift in a row would otherwise pay.

use std::str::FromStr;

use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;

use crate::api::lazy_index::{LazyIndex, UpdatedIndex};
use crate::api::members::json_list;
use crate::cell::CellValue;
use crate::error::{Error, Result};
use crate::model::fund::minor_units;
use crate::money::{Currency, Money};

pub(crate) struct GiftFlow {
    pub day: NaiveDate,
    pub currency: Currency,
    pub minor: i128,
    /// Index into [`FundIndex::donors`].
    pub donor: u32,
}

pub(crate) struct DistributionFlow {
    pub id: String,
    pub day: NaiveDate,
    pub currency: Currency,
    pub minor: i128,
    /// Member order as stored: indexes into [`FundIndex::members`].
    pub order: Vec<u32>,
    pub remainder: usize,
}

pub(crate) struct ConversionFlow {
    pub day: NaiveDate,
    pub from: Currency,
    pub from_minor: i128,
    pub to: Currency,
    pub to_minor: i128,
}

pub(crate) struct FundIndex {
    stamp: (u64, i64),
    /// Ordered by day.
    pub gifts: Vec<GiftFlow>,
    /// Ordered by day, then id.
    pub distributions: Vec<DistributionFlow>,
    pub conversions: Vec<ConversionFlow>,
    pub donors: Vec<String>,
    pub members: Vec<String>,
    donor_at: foldhash::HashMap<String, u32>,
    member_at: foldhash::HashMap<String, u32>,
}

fn money(text: Option<&str>, currency: Option<&str>) -> Option<(Currency, i128)> {
    let c = match currency? {
        "JPY" => Currency::JPY,
        "USD" => Currency::USD,
        other => Currency::parse("currency", other).ok()?,
    };
    let amount = Decimal::from_str(text?.trim()).ok()?;
    Some((c, minor_units(Money::new(amount, c))))
}

/// A stored day, YYYY-MM-DD, read without chrono's format parser: the
/// index reads 100,000 of them on every rebuild.
fn stored_day(s: Option<&str>) -> Option<NaiveDate> {
    let b = s?.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |a, &d| d.is_ascii_digit().then(|| a * 10 + u32::from(d - b'0')))
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

fn text<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(r.get_ref(i)?.as_str_or_null().ok().flatten())
}

/// Interns `key`, returning its index.
fn intern(map: &mut foldhash::HashMap<String, u32>, list: &mut Vec<String>, key: &str) -> u32 {
    if let Some(&i) = map.get(key) {
        return i;
    }
    let i = list.len() as u32;
    map.insert(key.to_string(), i);
    list.push(key.to_string());
    i
}

impl LazyIndex for FundIndex {
    fn build(conn: &Connection, stamp: (u64, i64)) -> Result<Self> {
        let mut index = FundIndex {
            stamp,
            gifts: Vec::new(),
            distributions: Vec::new(),
            conversions: Vec::new(),
            donors: Vec::new(),
            members: Vec::new(),
            donor_at: foldhash::HashMap::default(),
            member_at: foldhash::HashMap::default(),
        };
        let mut stmt = conn.prepare(
            // A table scan, sorted here: in the order of the date index every
            // row is a random page read (decrypted), several times slower.
            // Said outright, as the planner takes `deleted = 0` for a narrow
            // lookup and would otherwise walk that index.
            "SELECT received_on, amount, currency, donor_id FROM gifts NOT INDEXED WHERE deleted = 0",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (Some(day), Some((currency, minor))) = (stored_day(text(r, 0)?), money(text(r, 1)?, text(r, 2)?))
            else {
                continue;
            };
            let donor = intern(&mut index.donor_at, &mut index.donors, text(r, 3)?.unwrap_or_default());
            index.gifts.push(GiftFlow { day, currency, minor, donor });
        }
        index.gifts.sort_by_key(|g| g.day);
        let mut stmt = conn.prepare(
            "SELECT distributed_on, amount, currency, member_order, remainder, id FROM distributions
             WHERE deleted = 0 ORDER BY distributed_on, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (Some(day), Some((currency, minor))) = (stored_day(text(r, 0)?), money(text(r, 1)?, text(r, 2)?))
            else {
                continue;
            };
            let order =
                json_list(r.get(3)?).iter().map(|m| intern(&mut index.member_at, &mut index.members, m)).collect();
            let remainder = r.get::<_, Option<i64>>(4)?.unwrap_or(0).max(0) as usize;
            index.distributions.push(DistributionFlow { id: r.get(5)?, day, currency, minor, order, remainder });
        }
        let mut stmt = conn.prepare(
            "SELECT converted_on, from_amount, from_currency, to_amount, to_currency FROM fund_conversions
             WHERE deleted = 0 ORDER BY converted_on, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (Some(day), Some((from, from_minor)), Some((to, to_minor))) =
                (stored_day(text(r, 0)?), money(text(r, 1)?, text(r, 2)?), money(text(r, 3)?, text(r, 4)?))
            else {
                continue;
            };
            index.conversions.push(ConversionFlow { day, from, from_minor, to, to_minor });
        }
        Ok(index)
    }

    fn is_current(&self, stamp: (u64, i64)) -> bool {
        self.stamp == stamp
    }
}

impl UpdatedIndex for FundIndex {
    fn restamp(&mut self, stamp: (u64, i64)) {
        self.stamp = stamp;
    }
}

/// Updates after this connection's own writes, from the cells as written
/// and read the way [`FundIndex::build`] reads them, so the index is left
/// as a rebuild would leave it.
impl FundIndex {
    pub fn add_gift(&mut self, cells: &[(&'static str, CellValue)], donor_id: &str) {
        let (Some(day), Some((currency, minor))) =
            (stored_day(cell(cells, "received_on")), money(cell(cells, "amount"), cell(cells, "currency")))
        else {
            return;
        };
        let donor = intern(&mut self.donor_at, &mut self.donors, donor_id);
        let at = self.gifts.partition_point(|g| g.day <= day);
        self.gifts.insert(at, GiftFlow { day, currency, minor, donor });
    }

    pub fn add_distribution(&mut self, id: &str, cells: &[(&'static str, CellValue)]) {
        let (Some(day), Some((currency, minor))) =
            (stored_day(cell(cells, "distributed_on")), money(cell(cells, "amount"), cell(cells, "currency")))
        else {
            return;
        };
        let order = json_list(cell(cells, "member_order").map(String::from))
            .iter()
            .map(|m| intern(&mut self.member_at, &mut self.members, m))
            .collect();
        let remainder = match cells.iter().find(|(c, _)| *c == "remainder") {
            Some((_, CellValue::Integer(r))) => (*r).max(0) as usize,
            _ => 0,
        };
        let at = self.distributions.partition_point(|d| (d.day, d.id.as_str()) <= (day, id));
        self.distributions.insert(at, DistributionFlow { id: id.to_string(), day, currency, minor, order, remainder });
    }

    pub fn add_conversion(&mut self, cells: &[(&'static str, CellValue)]) {
        let (Some(day), Some((from, from_minor)), Some((to, to_minor))) = (
            stored_day(cell(cells, "converted_on")),
            money(cell(cells, "from_amount"), cell(cells, "from_currency")),
            money(cell(cells, "to_amount"), cell(cells, "to_currency")),
        ) else {
            return;
        };
        // Conversions are only ever summed: their order does not matter.
        self.conversions.push(ConversionFlow { day, from, from_minor, to, to_minor });
    }
}

fn cell<'c>(cells: &'c [(&'static str, CellValue)], col: &str) -> Option<&'c str> {
    cells.iter().find(|(c, _)| *c == col).and_then(|(_, v)| v.as_str())
}

/// A change to the fund checked before it is written, as money in or out
/// of one currency on one day: (day, currency, signed minor units). Removing
/// a gift is its amount out on its day; editing one is the old amount out
/// and the new one in.
pub(crate) type Change = Vec<(NaiveDate, Currency, i128)>;

impl FundIndex {
    /// Every flow of `currency`: gifts in, distributions out, conversions
    /// both ways, as (day, signed minor units).
    fn flows(&self, currency: Currency, change: &Change) -> Vec<(NaiveDate, i128)> {
        let mut out = Vec::with_capacity(self.gifts.len() + self.distributions.len() + change.len());
        out.extend(self.gifts.iter().filter(|g| g.currency == currency).map(|g| (g.day, g.minor)));
        out.extend(self.distributions.iter().filter(|d| d.currency == currency).map(|d| (d.day, -d.minor)));
        for c in &self.conversions {
            if c.from == currency {
                out.push((c.day, -c.from_minor));
            }
            if c.to == currency {
                out.push((c.day, c.to_minor));
            }
        }
        out.extend(change.iter().filter(|(_, c, _)| *c == currency).map(|(d, _, m)| (*d, *m)));
        out.sort_unstable_by_key(|(d, _)| *d);
        out
    }

    /// The balance of `currency` at the end of `day`, with `change` applied.
    pub fn balance_on(&self, currency: Currency, day: NaiveDate, change: &Change) -> i128 {
        self.flows(currency, change).iter().take_while(|(d, _)| *d <= day).map(|(_, m)| m).sum()
    }

    /// Refuses a change after which the fund's balance in a currency it
    /// touches would be negative at the end of some day (from the change's
    /// first day on), naming `field`.
    pub fn check_balances(&self, change: &Change, field: &str, what: &str) -> Result<()> {
        // Only money going out can make a balance negative, and only from its day on.
        let Some(first) = change.iter().filter(|(_, _, m)| *m < 0).map(|(d, _, _)| *d).min() else {
            return Ok(());
        };
        let mut currencies: Vec<Currency> = change.iter().map(|(_, c, _)| *c).collect();
        currencies.sort();
        currencies.dedup();
        for currency in currencies {
            let flows = self.flows(currency, change);
            let mut balance = 0i128;
            let mut i = 0;
            while i < flows.len() {
                let day = flows[i].0;
                while i < flows.len() && flows[i].0 == day {
                    balance += flows[i].1;
                    i += 1;
                }
                if balance < 0 && day >= first {
                    let before = self.balance_on(currency, day, &Vec::new());
                    return Err(Error::invalid(
                        field,
                        format!(
                            "{what} would leave the fund at {} on {day} (its {currency} balance that day is {})",
                            crate::model::fund::from_minor(balance, currency),
                            crate::model::fund::from_minor(before, currency)
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}
