//! Distributions of the pooled fund to member NGOs, and conversions between
//! its currencies (HQ only). A distribution stores its amount, its rule, the
//! rotated member order and the remainder; each member's share is derived
//! from those cells (`model::fund::split_parts`), so the parts always sum to
//! the amount.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::NaiveDate;
use rusqlite::{Row, ToSql};
use rust_decimal::Decimal;

use crate::api::fund_index::Change;
use crate::api::lazy_index::write_through;
use crate::api::members::{json_list, opt_date};
use crate::api::not_found;
use crate::api::{Kizuna, new_id};
use crate::dates::parse_day;
use crate::error::{Error, Result};
use crate::model::fund::{
    CONVERSION_ROUNDING, Conversion, ConversionInput, Distribution, DistributionInput, DistributionQuery,
    MAX_RECIPIENTS, SPLIT_RULE, Share, convert, from_minor, minor_units, parse_rate, positive_amount, rotate,
    split_parts, split_remainder,
};
use crate::model::text;
use crate::money::{Currency, Money};
use crate::prefecture::{AFFECTED, Prefecture};
use crate::store::CellValue;

/// A member's place in a distribution's order: (member number, id).
type MemberKey = (String, String);

struct StoredDistribution {
    id: String,
    distributed_on: NaiveDate,
    amount: Money,
    rule: String,
    cursor: i64,
    order: Vec<String>,
    remainder: i64,
    eligible_on: Option<NaiveDate>,
    prefectures: Vec<String>,
    notes: Option<String>,
}

const DISTRIBUTION_COLUMNS: &str =
    "id, distributed_on, amount, currency, rule, cursor, member_order, remainder, eligible_on, prefectures, notes";

fn stored_from_row(r: &Row<'_>) -> rusqlite::Result<StoredDistribution> {
    let currency =
        r.get::<_, Option<String>>(3)?.and_then(|c| Currency::parse("currency", &c).ok()).unwrap_or(Currency::JPY);
    let amount = r.get::<_, Option<String>>(2)?.and_then(|a| Decimal::from_str(a.trim()).ok()).unwrap_or(Decimal::ZERO);
    Ok(StoredDistribution {
        id: r.get(0)?,
        distributed_on: opt_date(r.get(1)?).unwrap_or_default(),
        amount: Money::new(amount, currency),
        rule: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
        cursor: r.get::<_, Option<i64>>(5)?.unwrap_or(0),
        order: json_list(r.get(6)?),
        remainder: r.get::<_, Option<i64>>(7)?.unwrap_or(0),
        eligible_on: opt_date(r.get(8)?),
        prefectures: json_list(r.get(9)?),
        notes: r.get(10)?,
    })
}

const CONVERSION_COLUMNS: &str = "id, converted_on, from_amount, from_currency, to_amount, to_currency, rate, notes";

fn conversion_from_row(r: &Row<'_>) -> rusqlite::Result<Conversion> {
    let money = |a: Option<String>, c: Option<String>| {
        let c = c.and_then(|c| Currency::parse("currency", &c).ok()).unwrap_or(Currency::JPY);
        Money::new(a.and_then(|a| Decimal::from_str(a.trim()).ok()).unwrap_or(Decimal::ZERO), c)
    };
    Ok(Conversion {
        id: r.get(0)?,
        converted_on: opt_date(r.get(1)?).unwrap_or_default(),
        from: money(r.get(2)?, r.get(3)?),
        to: money(r.get(4)?, r.get(5)?),
        rate: r.get::<_, Option<String>>(6)?.and_then(|s| Decimal::from_str(s.trim()).ok()).unwrap_or_default(),
        rounding: CONVERSION_ROUNDING.to_string(),
        notes: r.get(7)?,
    })
}

fn required<'a>(field: &str, v: &'a Option<String>) -> Result<&'a str> {
    v.as_deref().filter(|s| !s.trim().is_empty()).ok_or_else(|| Error::invalid(field, "is required"))
}

impl Kizuna {
    /// Distributes an amount equally among members (see [`SPLIT_RULE`]):
    /// the members given, or those with an active site in the prefectures
    /// on the eligibility day. Refused when it would exceed the fund's
    /// balance in its currency on its day or leave a later balance negative.
    /// With `dry_run` the split is computed and returned, nothing written.
    pub fn distribute(&mut self, input: &DistributionInput) -> Result<Distribution> {
        if !input.dry_run.unwrap_or(false) {
            self.require_fund_writer("distributions")?;
        }
        let currency = Currency::parse("currency", required("currency", &input.currency)?)?;
        let amount = positive_amount("amount", required("amount", &input.amount)?, currency)?;
        let day = parse_day("distributed_on", required("distributed_on", &input.distributed_on)?)?;
        let notes = match &input.notes {
            Some(n) => text::optional("notes", n, text::MAX_TEXT)?,
            None => None,
        };
        let explicit: Vec<&String> = input.members.iter().flatten().filter(|m| !m.trim().is_empty()).collect();
        let by_sites = input.eligible_on.as_deref().is_some_and(|d| !d.trim().is_empty())
            || input.prefectures.as_ref().is_some_and(|p| !p.is_empty());
        if !explicit.is_empty() && by_sites {
            return Err(Error::invalid("members", "give members, or an eligibility day and prefectures, not both"));
        }
        let (ids, eligible_on, prefectures) = if explicit.is_empty() {
            let on = match input.eligible_on.as_deref().filter(|d| !d.trim().is_empty()) {
                Some(d) => parse_day("eligible_on", d)?,
                None => day,
            };
            let mut prefs: Vec<String> = match input.prefectures.as_ref().filter(|p| !p.is_empty()) {
                Some(p) => p.iter().map(|p| Ok(Prefecture::parse(p)?.code.to_string())).collect::<Result<_>>()?,
                None => AFFECTED.iter().map(|c| c.to_string()).collect(),
            };
            prefs.sort();
            prefs.dedup();
            (self.members_with_active_site(on, &prefs)?, Some(on), prefs)
        } else {
            let mut ids = Vec::with_capacity(explicit.len());
            for m in explicit {
                ids.push(self.member_resolve(m)?);
            }
            (ids, None, Vec::new())
        };
        let mut keys = self.member_keys(&ids)?;
        keys.sort();
        keys.dedup();
        if keys.is_empty() {
            let why = match eligible_on {
                Some(on) => format!("no member has an active site in {} on {on}", prefectures.join(", ")),
                None => "name at least one member".to_string(),
            };
            return Err(Error::invalid("members", why));
        }
        if keys.len() > MAX_RECIPIENTS {
            return Err(Error::invalid(
                "members",
                format!("{} members: one distribution goes to at most {MAX_RECIPIENTS}", keys.len()),
            ));
        }
        let cursor = self.next_cursor(day, &keys)?;
        let sorted: Vec<String> = keys.into_iter().map(|(_, id)| id).collect();
        let order = rotate(&sorted, cursor);
        let total = minor_units(amount);
        let remainder = split_remainder(total, order.len());
        let change: Change = vec![(day, currency, -total)];
        self.with_index(&self.fund_index, |ix| {
            ix.check_balances(&change, "amount", &format!("distributing {amount} on {day}"))
        })?;
        let stored = StoredDistribution {
            id: String::new(),
            distributed_on: day,
            amount,
            rule: SPLIT_RULE.to_string(),
            cursor: cursor as i64,
            order,
            remainder: remainder as i64,
            eligible_on,
            prefectures,
            notes,
        };
        if input.dry_run.unwrap_or(false) {
            return self.with_shares(stored, true);
        }
        let id = new_id();
        let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        let mut cells = vec![
            ("distributed_on", CellValue::Text(day.to_string())),
            ("amount", CellValue::Text(amount.amount_text())),
            ("currency", CellValue::text(currency.code())),
            ("rule", CellValue::text(SPLIT_RULE)),
            ("cursor", CellValue::Integer(stored.cursor)),
            ("member_order", CellValue::Text(json(&stored.order))),
            ("remainder", CellValue::Integer(stored.remainder)),
            ("notes", CellValue::opt_text(stored.notes.clone())),
        ];
        if let Some(on) = eligible_on {
            cells.push(("eligible_on", CellValue::Text(on.to_string())));
            cells.push(("prefectures", CellValue::Text(json(&stored.prefectures))));
        }
        write_through(
            &mut self.store,
            &self.fund_index,
            |w| w.insert("distributions", &id, &cells).map(|_| ()),
            |ix, _| ix.add_distribution(&id, &cells),
        )?;
        self.distribution_show(&id)
    }

    pub fn distribution_show(&self, id: &str) -> Result<Distribution> {
        let id = &self.resolve_id("distributions", id)?;
        let stored = self
            .store
            .conn()
            .query_row(
                &format!("SELECT {DISTRIBUTION_COLUMNS} FROM distributions WHERE id = ?1 AND deleted = 0"),
                [id],
                stored_from_row,
            )
            .map_err(not_found("distribution", id))?;
        self.with_shares(stored, false)
    }

    /// Distributions oldest first, each with its derived shares.
    pub fn distribution_list(&self, q: &DistributionQuery) -> Result<Vec<Distribution>> {
        let mut f = crate::api::members::Filter::new("d");
        if let Some(d) = q.from.as_deref().filter(|d| !d.trim().is_empty()) {
            f.and("d.distributed_on >= ?", parse_day("from", d)?.to_string());
        }
        if let Some(d) = q.to.as_deref().filter(|d| !d.trim().is_empty()) {
            f.and("d.distributed_on <= ?", parse_day("to", d)?.to_string());
        }
        if let Some(c) = q.currency.as_deref().filter(|c| !c.trim().is_empty()) {
            f.and("d.currency = ?", Currency::parse("currency", c)?.code().to_string());
        }
        let cols = DISTRIBUTION_COLUMNS.split(", ").map(|c| format!("d.{c}")).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT {cols} FROM distributions d WHERE {} ORDER BY d.distributed_on, d.id", f.sql);
        let mut stmt = self.store.conn().prepare(&sql)?;
        let stored = stmt.query_map(f.refs().as_slice(), stored_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        stored.into_iter().map(|s| self.with_shares(s, false)).collect()
    }

    /// Removes a distribution: its money is back in the fund.
    pub fn distribution_remove(&mut self, id: &str) -> Result<()> {
        self.require_fund_writer("distributions")?;
        let id = self.require_live("distributions", id)?;
        self.store.write(|w| w.delete("distributions", &id).map(|_| ()))
    }

    /// The members with a site that is active on `on` (status active,
    /// opened on or before it — the day it was recorded when no opening day
    /// is known — and not closed before it) in one of `prefectures`.
    fn members_with_active_site(&self, on: NaiveDate, prefectures: &[String]) -> Result<Vec<String>> {
        let marks = vec!["?"; prefectures.len()].join(", ");
        let sql = format!(
            "SELECT DISTINCT m.id FROM sites s JOIN members m ON m.id = s.member_id
             WHERE s.deleted = 0 AND m.deleted = 0 AND s.status = 'active'
               AND coalesce(s.opened_on, s.created_on) <= ?1
               AND (s.closed_on IS NULL OR s.closed_on >= ?1)
               AND s.prefecture_code IN ({marks})"
        );
        let day = on.to_string();
        let mut args: Vec<&dyn ToSql> = vec![&day];
        args.extend(prefectures.iter().map(|p| p as &dyn ToSql));
        let mut stmt = self.store.conn().prepare(&sql)?;
        let ids = stmt.query_map(args.as_slice(), |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// (member number, id) of each member id, removed members included.
    fn member_keys(&self, ids: &[String]) -> Result<Vec<MemberKey>> {
        let names = self.member_names(ids)?;
        Ok(ids
            .iter()
            .map(|id| (names.get(id).and_then(|(no, _, _)| no.clone()).unwrap_or_default(), id.clone()))
            .collect())
    }

    /// Where the rotation of a distribution on `day` over `sorted` starts:
    /// at the member after the last one the previous distribution (the
    /// latest on or before `day`) gave a remainder unit to, or the first
    /// member of `sorted` that sorts after them. Over the same members this
    /// is exactly (cursor + remainder) mod n.
    fn next_cursor(&self, day: NaiveDate, sorted: &[MemberKey]) -> Result<usize> {
        let start = self.with_index(&self.fund_index, |ix| {
            Ok(ix.distributions.iter().rev().find(|d| d.day <= day).and_then(|d| {
                let n = d.order.len();
                (n > 0).then(|| ix.members[d.order[d.remainder % n] as usize].clone())
            }))
        })?;
        let Some(start) = start else { return Ok(0) };
        let key = self.member_keys(std::slice::from_ref(&start))?.remove(0);
        Ok(sorted.iter().position(|k| *k >= key).unwrap_or(0))
    }

    /// A stored distribution with its shares derived and members named.
    fn with_shares(&self, d: StoredDistribution, dry_run: bool) -> Result<Distribution> {
        let parts = split_parts(minor_units(d.amount), d.order.len());
        let shares_total = from_minor(parts.iter().sum(), d.amount.currency);
        let names = self.member_names(&d.order)?;
        let shares = d
            .order
            .iter()
            .zip(parts)
            .enumerate()
            .map(|(i, (id, part))| {
                let (no, ja, en) = names.get(id).cloned().unwrap_or_default();
                Share {
                    member_id: id.clone(),
                    member_no: no,
                    name_ja: ja,
                    name_en: en,
                    amount: from_minor(part, d.amount.currency),
                    remainder_unit: (i as i64) < d.remainder,
                }
            })
            .collect();
        Ok(Distribution {
            id: (!dry_run).then_some(d.id),
            distributed_on: d.distributed_on,
            amount: d.amount,
            rule: d.rule,
            cursor: d.cursor,
            remainder: d.remainder,
            eligible_on: d.eligible_on,
            prefectures: d.prefectures,
            notes: d.notes,
            shares,
            shares_total,
            dry_run,
        })
    }

    /// Member number and names of each id, removed members included.
    #[allow(clippy::type_complexity)]
    pub(crate) fn member_names(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, (Option<String>, Option<String>, Option<String>)>> {
        let mut out = HashMap::with_capacity(ids.len());
        // A few ids are looked up one by one; many in one pass over the
        // members (a distribution names up to 1,000 of them).
        if ids.len() <= 16 {
            let mut stmt =
                self.store.conn().prepare_cached("SELECT member_no, name_ja, name_en FROM members WHERE id = ?1")?;
            for id in ids {
                if out.contains_key(id) {
                    continue;
                }
                match stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))) {
                    Ok(v) => {
                        out.insert(id.clone(), v);
                    }
                    Err(rusqlite::Error::QueryReturnedNoRows) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            return Ok(out);
        }
        let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        let mut stmt = self.store.conn().prepare_cached("SELECT id, member_no, name_ja, name_en FROM members")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            if wanted.contains(id.as_str()) {
                out.insert(id, (r.get(1)?, r.get(2)?, r.get(3)?));
            }
        }
        Ok(out)
    }

    /// Converts an amount of the fund into the other currency on a day at a
    /// recorded rate (see [`CONVERSION_ROUNDING`]); refused if the fund
    /// does not hold the amount then.
    pub fn convert(&mut self, input: &ConversionInput) -> Result<Conversion> {
        self.require_fund_writer("fund_conversions")?;
        let day = parse_day("converted_on", required("converted_on", &input.converted_on)?)?;
        let from_currency = Currency::parse("from_currency", required("from_currency", &input.from_currency)?)?;
        let to_currency = Currency::parse("to_currency", required("to_currency", &input.to_currency)?)?;
        if from_currency == to_currency {
            return Err(Error::invalid("to_currency", format!("is the same as from_currency ({from_currency})")));
        }
        let from = positive_amount("from_amount", required("from_amount", &input.from_amount)?, from_currency)?;
        let rate = parse_rate(required("rate", &input.rate)?)?;
        let to = convert(from, rate, to_currency)?;
        let notes = match &input.notes {
            Some(n) => text::optional("notes", n, text::MAX_TEXT)?,
            None => None,
        };
        let change: Change = vec![(day, from_currency, -minor_units(from)), (day, to_currency, minor_units(to))];
        self.with_index(&self.fund_index, |ix| {
            ix.check_balances(&change, "from_amount", &format!("converting {from} on {day}"))
        })?;
        let id = new_id();
        let cells = [
            ("converted_on", CellValue::Text(day.to_string())),
            ("from_amount", CellValue::Text(from.amount_text())),
            ("from_currency", CellValue::text(from_currency.code())),
            ("to_amount", CellValue::Text(to.amount_text())),
            ("to_currency", CellValue::text(to_currency.code())),
            ("rate", CellValue::Text(rate.normalize().to_string())),
            ("notes", CellValue::opt_text(notes)),
        ];
        write_through(
            &mut self.store,
            &self.fund_index,
            |w| w.insert("fund_conversions", &id, &cells).map(|_| ()),
            |ix, _| ix.add_conversion(&cells),
        )?;
        self.conversion_show(&id)
    }

    pub fn conversion_show(&self, id: &str) -> Result<Conversion> {
        let id = &self.resolve_id("fund_conversions", id)?;
        self.store
            .conn()
            .query_row(
                &format!("SELECT {CONVERSION_COLUMNS} FROM fund_conversions WHERE id = ?1 AND deleted = 0"),
                [id],
                conversion_from_row,
            )
            .map_err(not_found("conversion", id))
    }

    /// Every conversion, oldest first.
    pub fn conversion_list(&self) -> Result<Vec<Conversion>> {
        let mut stmt = self.store.conn().prepare(&format!(
            "SELECT {CONVERSION_COLUMNS} FROM fund_conversions WHERE deleted = 0 ORDER BY converted_on, id"
        ))?;
        let rows = stmt.query_map([], conversion_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Removes a conversion, refused if the converted money has been paid out since.
    pub fn conversion_remove(&mut self, id: &str) -> Result<()> {
        self.require_fund_writer("fund_conversions")?;
        let c = self.conversion_show(id)?;
        let change: Change = vec![
            (c.converted_on, c.from.currency, minor_units(c.from)),
            (c.converted_on, c.to.currency, -minor_units(c.to)),
        ];
        self.with_index(&self.fund_index, |ix| ix.check_balances(&change, "conversion", "removing this conversion"))?;
        self.store.write(|w| w.delete("fund_conversions", &c.id).map(|_| ()))
    }
}
