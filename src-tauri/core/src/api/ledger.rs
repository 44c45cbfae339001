//! The fund's ledger for a period, per currency, and the computed
//! counterparts of the report's "over 1,500 donors have contributed over $1
//! million": one pass over the fund index.

use chrono::NaiveDate;

use crate::api::Kizuna;
use crate::api::fund_index::FundIndex;
use crate::dates::parse_day;
use crate::error::Result;
use crate::model::fund::{
    CurrencyLedger, FundTotals, FundTotalsQuery, Ledger, LedgerQuery, MemberReceived, convert, from_minor, parse_rate,
    split_parts,
};
use crate::money::{Currency, Money};
use crate::report::fund::FundFigures;

const CURRENCIES: [Currency; 2] = [Currency::JPY, Currency::USD];

fn slot(c: Currency) -> usize {
    match c {
        Currency::JPY => 0,
        Currency::USD => 1,
    }
}

fn day_of(field: &str, v: &Option<String>) -> Result<Option<NaiveDate>> {
    match v.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => Ok(Some(parse_day(field, d)?)),
        None => Ok(None),
    }
}

/// Per currency: opening, gifts in (amount, count), converted in, converted
/// out, distributed out (amount, count); in minor units.
#[derive(Default, Clone, Copy)]
struct Sums {
    opening: i128,
    gifts_in: i128,
    gifts: i64,
    converted_in: i128,
    converted_out: i128,
    distributed: i128,
    distributions: i64,
}

/// Where a day falls against the period: before it, in it, or after it.
fn place(day: NaiveDate, from: Option<NaiveDate>, to: Option<NaiveDate>) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    if from.is_some_and(|f| day < f) {
        Less
    } else if to.is_some_and(|t| day > t) {
        Greater
    } else {
        Equal
    }
}

impl FundIndex {
    fn sums(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> ([Sums; 2], i64, i64) {
        use std::cmp::Ordering::*;
        let mut s = [Sums::default(); 2];
        let mut gave = vec![false; self.donors.len()];
        let (mut donors, mut gifts) = (0i64, 0i64);
        for g in &self.gifts {
            let x = &mut s[slot(g.currency)];
            match place(g.day, from, to) {
                Less => x.opening += g.minor,
                Equal => {
                    x.gifts_in += g.minor;
                    x.gifts += 1;
                    gifts += 1;
                    let seen = &mut gave[g.donor as usize];
                    if !*seen {
                        *seen = true;
                        donors += 1;
                    }
                }
                Greater => {}
            }
        }
        for d in &self.distributions {
            let x = &mut s[slot(d.currency)];
            match place(d.day, from, to) {
                Less => x.opening -= d.minor,
                Equal => {
                    x.distributed += d.minor;
                    x.distributions += 1;
                }
                Greater => {}
            }
        }
        for c in &self.conversions {
            match place(c.day, from, to) {
                Less => {
                    s[slot(c.from)].opening -= c.from_minor;
                    s[slot(c.to)].opening += c.to_minor;
                }
                Equal => {
                    s[slot(c.from)].converted_out += c.from_minor;
                    s[slot(c.to)].converted_in += c.to_minor;
                }
                Greater => {}
            }
        }
        (s, donors, gifts)
    }

    /// Each member's received total per currency from the distributions
    /// dated up to `to`, from the derived shares: member index → [JPY, USD].
    fn received(&self, to: Option<NaiveDate>) -> Vec<[i128; 2]> {
        let mut out = vec![[0i128; 2]; self.members.len()];
        for d in self.distributions.iter().filter(|d| to.is_none_or(|t| d.day <= t)) {
            for (m, part) in d.order.iter().zip(split_parts(d.minor, d.order.len())) {
                out[*m as usize][slot(d.currency)] += part;
            }
        }
        out
    }
}

impl Kizuna {
    /// The fund's ledger for the period [from, to] (either end open): per
    /// currency the opening balance, gifts, conversions in and out,
    /// distributions and closing balance; distinct donors and gifts in the
    /// period; and what each member has received up to its end.
    pub fn fund_ledger(&self, q: &LedgerQuery) -> Result<Ledger> {
        let from = day_of("from", &q.from)?;
        let to = day_of("to", &q.to)?;
        crate::dates::check_order("to", from, to)?;
        let (sums, donors, gifts, received, member_ids) = self.with_index(&self.fund_index, |ix| {
            let (sums, donors, gifts) = ix.sums(from, to);
            Ok((sums, donors, gifts, ix.received(to), ix.members.clone()))
        })?;
        let currencies = CURRENCIES
            .iter()
            .map(|&c| {
                let s = sums[slot(c)];
                let total_in = s.gifts_in + s.converted_in;
                let total_out = s.distributed + s.converted_out;
                CurrencyLedger {
                    currency: c,
                    opening: from_minor(s.opening, c),
                    gifts_in: from_minor(s.gifts_in, c),
                    gifts: s.gifts,
                    converted_in: from_minor(s.converted_in, c),
                    converted_out: from_minor(s.converted_out, c),
                    distributed_out: from_minor(s.distributed, c),
                    distributions: s.distributions,
                    total_in: from_minor(total_in, c),
                    total_out: from_minor(total_out, c),
                    closing: from_minor(s.opening + total_in - total_out, c),
                }
            })
            .collect();
        let paid: Vec<(usize, &[i128; 2])> =
            received.iter().enumerate().filter(|(_, r)| r.iter().any(|v| *v != 0)).collect();
        let ids: Vec<String> = paid.iter().map(|(i, _)| member_ids[*i].clone()).collect();
        let names = self.member_names(&ids)?;
        let mut members: Vec<MemberReceived> = paid
            .iter()
            .map(|(i, r)| {
                let id = &member_ids[*i];
                let (no, ja, en) = names.get(id).cloned().unwrap_or_default();
                MemberReceived {
                    member_id: id.clone(),
                    member_no: no,
                    name_ja: ja,
                    name_en: en,
                    received: CURRENCIES
                        .iter()
                        .filter(|c| r[slot(**c)] != 0)
                        .map(|&c| from_minor(r[slot(c)], c))
                        .collect(),
                }
            })
            .collect();
        members.sort_by(|a, b| (&a.member_no, &a.member_id).cmp(&(&b.member_no, &b.member_id)));
        Ok(Ledger { from, to, currencies, donors, gifts, members })
    }

    /// Donors and the total contributed for a period, the computed
    /// counterparts of the report's figures. Gifts are counted in the
    /// currency they were received in; the USD figure is the USD gifts plus,
    /// only when `usd_per_jpy` is given, the yen gifts converted at that one
    /// rate (rounded to the cent once, on the yen total). Without a rate yen
    /// gifts are stated apart and not in the USD figure.
    pub fn fund_totals(&self, q: &FundTotalsQuery) -> Result<FundTotals> {
        let from = day_of("from", &q.from)?;
        let to = day_of("to", &q.to)?;
        crate::dates::check_order("to", from, to)?;
        let rate = match q.usd_per_jpy.as_deref().filter(|r| !r.trim().is_empty()) {
            Some(r) => Some(parse_rate(r).map_err(|e| crate::Error::invalid("usd_per_jpy", e.to_string()))?),
            None => None,
        };
        let (sums, donors, gifts) = self.with_index(&self.fund_index, |ix| Ok(ix.sums(from, to)))?;
        let received: Vec<Money> = CURRENCIES.iter().map(|&c| from_minor(sums[slot(c)].gifts_in, c)).collect();
        let (jpy, usd) = (received[0], received[1]);
        let (usd_total, basis) = match rate {
            Some(r) if !jpy.amount.is_zero() => {
                let converted = convert(jpy, r, Currency::USD)?;
                (
                    usd.add("usd_total", converted)?,
                    format!(
                        "USD gifts {usd} plus JPY gifts {jpy} at {} USD per JPY = {converted} (rounded to the cent)",
                        r.normalize()
                    ),
                )
            }
            _ if !jpy.amount.is_zero() => {
                (usd, format!("USD gifts only; JPY gifts ({jpy}) are stated apart: no USD per JPY rate was given"))
            }
            _ => (usd, "USD gifts; no JPY gifts in the period".to_string()),
        };
        Ok(FundTotals { from, to, donors, gifts, received, usd_total, usd_per_jpy: rate.map(|r| r.normalize()), basis })
    }
}

impl Kizuna {
    /// The phase report's fund figures for [start, end] (see `report::fund`).
    pub(crate) fn fund_figures_for(&self, start: NaiveDate, end: NaiveDate) -> Result<FundFigures> {
        let q = LedgerQuery { from: Some(start.to_string()), to: Some(end.to_string()) };
        let ledger = self.fund_ledger(&q)?;
        Ok(FundFigures {
            donors: ledger.donors,
            gifts: ledger.gifts,
            received: ledger.currencies.iter().map(|c| c.gifts_in).collect(),
            distributed: ledger.currencies.iter().map(|c| c.distributed_out).collect(),
            distributions: ledger.currencies.iter().map(|c| c.distributions).sum(),
            members_paid: ledger.members.len() as i64,
        })
    }
}
