//! Gifts to the pooled fund, their receipt numbers, and the receipt and
//! annual statement PDFs (HQ only).

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use rusqlite::{OptionalExtension, Row, params};
use rust_decimal::Decimal;

use crate::api::fund_index::Change;
use crate::api::lazy_index::write_through;
use crate::api::members::{Filter, opt_date, page_bounds};
use crate::api::not_found;
use crate::api::{Kizuna, new_id};
use crate::error::{Error, Result};
use crate::model::fund::{DonorStatement, Gift, GiftInput, GiftPage, GiftQuery, minor_units};
use crate::money::{Currency, Money};
use crate::report::receipt::{self, Issuer};
use crate::store::CellValue;

const GIFT_COLUMNS: &str = "g.id, g.donor_id, d.name_ja, d.name_en, g.received_on, g.amount, g.currency, g.channel,
    g.receipt_no, g.purpose, g.notes";

const GIFT_FROM: &str = "gifts g LEFT JOIN fund_donors d ON d.id = g.donor_id";

fn gift_from_row(r: &Row<'_>) -> rusqlite::Result<Gift> {
    let currency =
        r.get::<_, Option<String>>(6)?.and_then(|c| Currency::parse("currency", &c).ok()).unwrap_or(Currency::JPY);
    let amount = r.get::<_, Option<String>>(5)?.and_then(|a| Decimal::from_str(a.trim()).ok()).unwrap_or(Decimal::ZERO);
    Ok(Gift {
        id: r.get(0)?,
        donor_id: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        donor_name_ja: r.get(2)?,
        donor_name_en: r.get(3)?,
        received_on: opt_date(r.get(4)?).unwrap_or_default(),
        amount: Money::new(amount, currency),
        channel: r.get::<_, Option<String>>(7)?.unwrap_or_else(|| "bank_transfer".into()),
        receipt_no: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
        purpose: r.get(9)?,
        notes: r.get(10)?,
    })
}

/// The next receipt number of `year`: R2011-000001, R2011-000002, ... Every
/// gift ever numbered counts, removed ones included, so no number is reused.
pub(crate) fn next_receipt_no(conn: &rusqlite::Connection, year: i32) -> Result<String> {
    let prefix = format!("R{year:04}-");
    // Numbers are six digits, so the year's last number sorts last: one
    // step down the receipt index, not a scan of the year's gifts. Only a
    // year past 999,999 receipts (or a number not in that form) needs the scan.
    let highest: Option<String> = conn
        .query_row(
            "SELECT receipt_no FROM gifts WHERE receipt_no >= ?1 AND receipt_no < ?2
             ORDER BY receipt_no DESC LIMIT 1",
            params![prefix, format!("R{year:04}.")],
            |r| r.get(0),
        )
        .optional()?;
    let six = |s: &str| s.strip_prefix(&prefix).filter(|n| n.len() == 6).and_then(|n| n.parse::<i64>().ok());
    match highest.as_deref().map(six) {
        None => return Ok(format!("{prefix}000001")),
        Some(Some(n)) if n < 999_999 => return Ok(format!("{prefix}{:06}", n + 1)),
        Some(_) => {}
    }
    let last: Option<i64> = conn.query_row(
        "SELECT max(CAST(substr(receipt_no, ?2) AS INTEGER)) FROM gifts WHERE receipt_no GLOB ?1",
        params![format!("{prefix}[0-9]*"), prefix.len() as i64 + 1],
        |r| r.get(0),
    )?;
    Ok(format!("{prefix}{:06}", last.unwrap_or(0) + 1))
}

/// Totals per currency, JPY first, of the currencies present.
pub(crate) fn totals_by_currency(amounts: impl IntoIterator<Item = Money>) -> Result<Vec<Money>> {
    let mut by: BTreeMap<Currency, Money> = BTreeMap::new();
    for m in amounts {
        let slot = by.entry(m.currency).or_insert(Money::zero(m.currency));
        *slot = slot.add("total", m)?;
    }
    Ok(by.into_values().collect())
}

fn day_of(cells: &[(&'static str, CellValue)], col: &str) -> Option<NaiveDate> {
    cells.iter().find(|(c, _)| *c == col).and_then(|(_, v)| v.as_str()).and_then(|s| s.parse().ok())
}

impl Kizuna {
    /// Records a gift and gives it the next receipt number of its year, in
    /// one transaction.
    pub fn gift_add(&mut self, input: &GiftInput) -> Result<Gift> {
        self.require_fund_writer("gifts")?;
        let mut cells = input.to_cells(true, None)?;
        let donor = input.donor.as_deref().filter(|d| !d.trim().is_empty());
        let donor = donor.ok_or_else(|| Error::invalid("donor", "is required"))?;
        let donor = self.donor_show(donor)?.id;
        cells.push(("donor_id", CellValue::text(&donor)));
        let year = day_of(&cells, "received_on").map(|d| d.year()).unwrap_or_default();
        let id = new_id();
        write_through(
            &mut self.store,
            &self.fund_index,
            |w| {
                let no = next_receipt_no(w.conn(), year)?;
                w.insert("gifts", &id, &[cells.as_slice(), &[("receipt_no", CellValue::Text(no))]].concat()).map(|_| ())
            },
            |ix, _| ix.add_gift(&cells, &donor),
        )?;
        self.gift_show(&id)
    }

    pub fn gift_show(&self, id: &str) -> Result<Gift> {
        let id = &self.resolve_id("gifts", id)?;
        self.store
            .conn()
            .query_row(
                &format!("SELECT {GIFT_COLUMNS} FROM {GIFT_FROM} WHERE g.id = ?1 AND g.deleted = 0"),
                [id],
                gift_from_row,
            )
            .map_err(not_found("gift", id))
    }

    /// A gift by receipt number (R2011-000001, any case), id or unique id prefix.
    pub fn gift_resolve(&self, given: &str) -> Result<Gift> {
        let given = given.trim();
        let id: Option<String> = {
            self.store
                .conn()
                .query_row(
                    "SELECT id FROM gifts WHERE deleted = 0 AND (id = ?1 OR upper(receipt_no) = upper(?1)) LIMIT 1",
                    [given],
                    |r| r.get(0),
                )
                .optional()?
        };
        match id {
            Some(id) => self.gift_show(&id),
            None => self.gift_show(given),
        }
    }

    /// Changes the fields given. The receipt number never changes, even when
    /// the gift moves to another year. A change that takes money out of the
    /// fund (a smaller amount, a later date, another currency) is refused if
    /// it would leave a balance negative.
    pub fn gift_edit(&mut self, id: &str, input: &GiftInput) -> Result<Gift> {
        self.require_fund_writer("gifts")?;
        let current = self.gift_resolve(id)?;
        let mut cells = input.to_cells(false, Some(current.amount))?;
        if let Some(d) = input.donor.as_deref() {
            if d.trim().is_empty() {
                return Err(Error::invalid("donor", "is required"));
            }
            cells.push(("donor_id", CellValue::text(self.donor_show(d)?.id)));
        }
        let amount = match cells.iter().find(|(c, _)| *c == "amount").and_then(|(_, v)| v.as_str()) {
            Some(a) => Money::new(Decimal::from_str(a).unwrap_or_default(), current.amount.currency),
            None => current.amount,
        };
        let currency = cells
            .iter()
            .find(|(c, _)| *c == "currency")
            .and_then(|(_, v)| v.as_str())
            .and_then(|c| Currency::parse("currency", c).ok())
            .unwrap_or(current.amount.currency);
        let day = day_of(&cells, "received_on").unwrap_or(current.received_on);
        let change: Change = vec![
            (current.received_on, current.amount.currency, -minor_units(current.amount)),
            (day, currency, minor_units(Money::new(amount.amount, currency))),
        ];
        self.with_index(&self.fund_index, |ix| ix.check_balances(&change, "amount", "this change"))?;
        self.store.write(|w| w.update("gifts", &current.id, &cells).map(|_| ()))?;
        self.gift_show(&current.id)
    }

    /// Removes a gift; its receipt number stays taken. Refused if the fund
    /// has since paid out money that only this gift covered.
    pub fn gift_remove(&mut self, id: &str) -> Result<()> {
        self.require_fund_writer("gifts")?;
        let current = self.gift_resolve(id)?;
        let change: Change = vec![(current.received_on, current.amount.currency, -minor_units(current.amount))];
        self.with_index(&self.fund_index, |ix| ix.check_balances(&change, "gift", "removing this gift"))?;
        self.store.write(|w| w.delete("gifts", &current.id).map(|_| ()))
    }

    /// Gifts newest first, with the totals of every gift matched.
    pub fn gift_list(&self, q: &GiftQuery) -> Result<GiftPage> {
        let mut f = Filter::new("g");
        if let Some(d) = q.donor.as_deref().filter(|d| !d.trim().is_empty()) {
            f.and("g.donor_id = ?", self.donor_show(d)?.id);
        }
        if let Some(d) = q.from.as_deref().filter(|d| !d.trim().is_empty()) {
            f.and("g.received_on >= ?", crate::dates::parse_day("from", d)?.to_string());
        }
        if let Some(d) = q.to.as_deref().filter(|d| !d.trim().is_empty()) {
            f.and("g.received_on <= ?", crate::dates::parse_day("to", d)?.to_string());
        }
        if let Some(c) = q.currency.as_deref().filter(|c| !c.trim().is_empty()) {
            f.and("g.currency = ?", Currency::parse("currency", c)?.code().to_string());
        }
        let (offset, limit) = page_bounds(q.offset, q.limit);
        let conn = self.store.conn();
        let mut stmt = conn.prepare(&format!("SELECT g.amount, g.currency FROM gifts g WHERE {}", f.sql))?;
        let mut rows = stmt.query(f.refs().as_slice())?;
        let (mut total, mut amounts) = (0i64, Vec::new());
        while let Some(r) = rows.next()? {
            total += 1;
            let (a, c): (Option<String>, Option<String>) = (r.get(0)?, r.get(1)?);
            if let (Some(a), Some(c)) = (a.and_then(|a| Decimal::from_str(&a).ok()), c) {
                amounts.push(Money::new(a, Currency::parse("currency", &c)?));
            }
        }
        let sql = format!(
            "SELECT {GIFT_COLUMNS} FROM (SELECT g.id FROM gifts g WHERE {}
                 ORDER BY g.received_on DESC, g.receipt_no DESC LIMIT {limit} OFFSET {offset}) p
             JOIN gifts g ON g.id = p.id LEFT JOIN fund_donors d ON d.id = g.donor_id
             ORDER BY g.received_on DESC, g.receipt_no DESC",
            f.sql
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(f.refs().as_slice(), gift_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(GiftPage { total, offset, limit, rows, totals: totals_by_currency(amounts)? })
    }

    /// The receipt PDF of one gift (id or receipt number), ja and en on one
    /// page. The same records give the same bytes.
    pub fn gift_receipt(&self, id: &str) -> Result<Vec<u8>> {
        let gift = self.gift_resolve(id)?;
        let donor = self.donor_show_any(&gift.donor_id)?;
        receipt::render_receipt(&self.receipt_issuer()?, &donor, &gift)
    }

    pub fn gift_receipt_to(&self, id: &str, path: &Path) -> Result<()> {
        let bytes = self.gift_receipt(id)?;
        std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
    }

    /// A donor's gifts received in one calendar year, with totals per currency.
    pub fn donor_statement(&self, donor: &str, year: i32) -> Result<DonorStatement> {
        if !(1800..=2200).contains(&year) {
            return Err(Error::invalid("year", "must be a year between 1800 and 2200"));
        }
        let donor = self.donor_show(donor)?;
        let sql = format!(
            "SELECT {GIFT_COLUMNS} FROM {GIFT_FROM} WHERE g.deleted = 0 AND g.donor_id = ?1
             AND g.received_on BETWEEN ?2 AND ?3 ORDER BY g.received_on, g.receipt_no"
        );
        let mut stmt = self.store.conn().prepare(&sql)?;
        let gifts = stmt
            .query_map(params![donor.id, format!("{year:04}-01-01"), format!("{year:04}-12-31")], gift_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let totals = totals_by_currency(gifts.iter().map(|g| g.amount))?;
        Ok(DonorStatement { donor, year, gifts, totals })
    }

    /// The annual statement PDF of a donor's gifts in `year`, ja and en.
    pub fn donor_statement_pdf(&self, donor: &str, year: i32) -> Result<Vec<u8>> {
        let statement = self.donor_statement(donor, year)?;
        receipt::render_statement(&self.receipt_issuer()?, &statement)
    }

    pub fn donor_statement_to(&self, donor: &str, year: i32, path: &Path) -> Result<()> {
        let bytes = self.donor_statement_pdf(donor, year)?;
        std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
    }

    /// A donor, removed or not: a receipt is reprinted for a gift whatever became of its donor.
    fn donor_show_any(&self, id: &str) -> Result<crate::model::fund::FundDonor> {
        use crate::api::fund_donors::{DONOR_COLUMNS, donor_from_row};
        self.store
            .conn()
            .query_row(&format!("SELECT {DONOR_COLUMNS} FROM fund_donors d WHERE d.id = ?1"), [id], donor_from_row)
            .map_err(not_found("fund donor", id))
    }

    /// Who issues receipts: the organisation's profile.
    fn receipt_issuer(&self) -> Result<Issuer> {
        let p = self.profile()?;
        Ok(Issuer { name_en: p.name_en, name_ja: p.name_ja, acronym: p.acronym })
    }
}

#[cfg(test)]
mod tests {
    use super::next_receipt_no;

    fn next_after(numbers: &[&str]) -> String {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE gifts (receipt_no TEXT); CREATE INDEX gifts_receipt ON gifts (receipt_no);")
            .unwrap();
        for n in numbers {
            conn.execute("INSERT INTO gifts VALUES (?1)", [n]).unwrap();
        }
        next_receipt_no(&conn, 2011).unwrap()
    }

    #[test]
    fn the_next_receipt_number_follows_the_years_highest_whatever_else_is_stored() {
        assert_eq!(next_after(&[]), "R2011-000001");
        assert_eq!(next_after(&["R2011-000009", "R2011-000010", "R2012-000500", "R2010-000900"]), "R2011-000011");
        // Numbers not in the six-digit form are read by value.
        assert_eq!(next_after(&["R2011-000123", "R2011-7", "R2011-x"]), "R2011-000124");
        assert_eq!(next_after(&["R2011-999999"]), "R2011-1000000");
    }
}
