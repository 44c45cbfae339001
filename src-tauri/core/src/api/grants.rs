//! Grants, phases, budgets and spending.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::api::members::opt_date;
use crate::api::{Kizuna, new_id, not_found};
use crate::dates::ProjectDate;
use crate::error::{Error, Result};
use crate::model::grant::*;
use crate::model::grant_desk::{BudgetLineEdit, ExpenditureEdit, or_stored};
use crate::money::{Currency, Money};

/// A stored amount as the screens show it. A value that breaks the money
/// rules (not a number, out of range; written before they were enforced)
/// reads as zero so every screen still opens; `kizuna doctor` lists it.
pub(crate) fn money(amount: Option<String>, currency: Option<String>) -> Money {
    let currency = currency.and_then(|c| Currency::parse("currency", &c).ok()).unwrap_or(Currency::USD);
    let amount = amount.and_then(|a| Decimal::from_str(a.trim()).ok()).unwrap_or(Decimal::ZERO);
    Money::checked("amount", amount, currency).unwrap_or(Money::zero(currency))
}

/// `m` if it is in the currency a total is kept in, else zero: an amount in
/// another currency (a JPY phase on a USD grant) is left out of the total
/// rather than making the whole screen fail; `kizuna doctor` lists it.
pub(crate) fn in_currency(m: Money, currency: Currency) -> Money {
    if m.currency == currency { m } else { Money::zero(currency) }
}

fn project_date(s: Option<String>) -> ProjectDate {
    s.and_then(|s| ProjectDate::parse("date", &s).ok()).unwrap_or(ProjectDate::Month { year: 1970, month: 1 })
}

fn text(s: Option<String>) -> String {
    s.unwrap_or_default()
}

impl Kizuna {
    fn grants_raw(&self) -> Result<Vec<Grant>> {
        let mut stmt = self.store.conn().prepare(
            "SELECT g.id, g.donor_id, g.title_en, g.title_ja, g.currency, g.notes FROM grants g
             WHERE g.deleted = 0
             ORDER BY (SELECT min(start_date) FROM phases p WHERE p.grant_id = g.id AND p.deleted = 0), g.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Grant {
                id: r.get(0)?,
                donor_id: text(r.get(1)?),
                title_en: text(r.get(2)?),
                title_ja: text(r.get(3)?),
                currency: r
                    .get::<_, Option<String>>(4)?
                    .and_then(|c| Currency::parse("currency", &c).ok())
                    .unwrap_or(Currency::USD),
                notes: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn donor(&self, id: &str) -> Result<Donor> {
        self.store
            .conn()
            .query_row(
                "SELECT id, name_en, name_ja, country, relief_fund_en, relief_fund_ja FROM donors WHERE id = ?1",
                [id],
                |r| {
                    Ok(Donor {
                        id: r.get(0)?,
                        name_en: text(r.get(1)?),
                        name_ja: text(r.get(2)?),
                        country: r.get(3)?,
                        relief_fund_en: r.get(4)?,
                        relief_fund_ja: r.get(5)?,
                    })
                },
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Error::NotFound { entity: "donor", id: id.into() },
                e => e.into(),
            })
    }

    fn phases_of(&self, grant: &Grant) -> Result<Vec<PhaseDetail>> {
        let conn = self.store.conn();
        let mut stmt = conn.prepare(
            "SELECT id, grant_id, seq, title_en, title_ja, start_date, end_date, amount, currency, summary_en, summary_ja
             FROM phases WHERE grant_id = ?1 AND deleted = 0 ORDER BY seq, id",
        )?;
        let phases: Vec<Phase> = stmt
            .query_map([&grant.id], |r| {
                Ok(Phase {
                    id: r.get(0)?,
                    grant_id: text(r.get(1)?),
                    seq: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                    title_en: text(r.get(3)?),
                    title_ja: text(r.get(4)?),
                    start: project_date(r.get(5)?),
                    end: project_date(r.get(6)?),
                    amount: money(r.get(7)?, r.get(8)?),
                    summary_en: r.get(9)?,
                    summary_ja: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        phases.into_iter().map(|p| self.phase_detail_of(p, grant.currency)).collect()
    }

    fn phase_detail_of(&self, phase: Phase, currency: Currency) -> Result<PhaseDetail> {
        let conn = self.store.conn();
        let id = phase.id.clone();
        let activities = conn
            .prepare("SELECT id, seq, title_en, title_ja, description_en, description_ja FROM activities WHERE phase_id = ?1 AND deleted = 0 ORDER BY seq, id")?
            .query_map([&id], |r| {
                Ok(Activity {
                    id: r.get(0)?,
                    seq: r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    title_en: text(r.get(2)?),
                    title_ja: text(r.get(3)?),
                    description_en: text(r.get(4)?),
                    description_ja: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let partners = conn
            .prepare(
                "SELECT p.id, p.name_en, p.name_ja, p.acronym, p.kind, p.description_en, p.website, pp.role_en, pp.role_ja
                 FROM phase_partners pp JOIN partners p ON p.id = pp.partner_id
                 WHERE pp.phase_id = ?1 AND pp.deleted = 0 AND p.deleted = 0 ORDER BY p.name_en",
            )?
            .query_map([&id], |r| {
                Ok(Partner {
                    id: r.get(0)?,
                    name_en: text(r.get(1)?),
                    name_ja: r.get(2)?,
                    acronym: r.get(3)?,
                    kind: text(r.get(4)?),
                    description_en: r.get(5)?,
                    website: r.get(6)?,
                    role_en: r.get(7)?,
                    role_ja: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let indicators = self.indicators_for(Some(&id))?;
        let statements = conn
            .prepare("SELECT id, person, role_en, text_en FROM statements WHERE phase_id = ?1 AND deleted = 0 ORDER BY seq, id")?
            .query_map([&id], |r| {
                Ok(Statement { id: r.get(0)?, person: text(r.get(1)?), role_en: text(r.get(2)?), text_en: text(r.get(3)?) })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let expenditures: Vec<Expenditure> = conn
            .prepare(
                "SELECT id, phase_id, budget_line_id, spent_on, description, amount, currency, rate, rate_date, receipt_ref
                 FROM expenditures WHERE phase_id = ?1 AND deleted = 0 ORDER BY spent_on, id",
            )?
            .query_map([&id], |r| {
                let amount = money(r.get(5)?, r.get(6)?);
                let rate =
                    r.get::<_, Option<String>>(7)?.and_then(|s| Decimal::from_str(&s).ok()).unwrap_or(Decimal::ONE);
                let spent_on = opt_date(r.get(3)?).unwrap_or_default();
                Ok(Expenditure {
                    id: r.get(0)?,
                    phase_id: text(r.get(1)?),
                    budget_line_id: r.get(2)?,
                    spent_on,
                    description: text(r.get(4)?),
                    amount,
                    rate,
                    rate_date: opt_date(r.get(8)?),
                    converted: convert(amount, rate, currency).unwrap_or(Money::zero(currency)),
                    receipt_ref: r.get(9)?,
                    outside_phase: !phase.covers(spent_on),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut spent_by_line: BTreeMap<String, (Money, i64)> = BTreeMap::new();
        let mut spent_total = Money::zero(currency);
        for e in &expenditures {
            if let Some(line) = &e.budget_line_id {
                let entry = spent_by_line.entry(line.clone()).or_insert((Money::zero(currency), 0));
                entry.1 += 1;
                if !e.outside_phase {
                    entry.0 = entry.0.add("spent", e.converted)?;
                }
            }
            if !e.outside_phase {
                spent_total = spent_total.add("spent_total", e.converted)?;
            }
        }
        let budget_lines: Vec<BudgetLine> = conn
            .prepare("SELECT id, phase_id, seq, code, name_en, name_ja, amount, currency, variance_note FROM budget_lines WHERE phase_id = ?1 AND deleted = 0 ORDER BY seq, id")?
            .query_map([&id], |r| {
                let id: String = r.get(0)?;
                let (spent, expenditure_count) = spent_by_line.get(&id).copied().unwrap_or((Money::zero(currency), 0));
                let amount = money(r.get(6)?, r.get(7)?);
                let remaining = Money::new(in_currency(amount, currency).amount - spent.amount, currency);
                Ok(BudgetLine {
                    spent,
                    remaining,
                    overspent: remaining.amount.is_sign_negative() && !remaining.amount.is_zero(),
                    expenditure_count,
                    id,
                    phase_id: text(r.get(1)?),
                    seq: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                    code: r.get(3)?,
                    name_en: text(r.get(4)?),
                    name_ja: r.get(5)?,
                    amount,
                    variance_note: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut budget_total = Money::zero(currency);
        for b in &budget_lines {
            budget_total = budget_total.add("budget_total", in_currency(b.amount, currency))?;
        }
        let unspent = in_currency(phase.amount, currency).sub("unspent", spent_total)?;
        let tranches = self.tranches_of(&id, currency)?;
        let mut received_total = Money::zero(currency);
        for t in tranches.iter().filter(|t| t.received_on.is_some()) {
            received_total = received_total.add("received_total", in_currency(t.amount, currency))?;
        }
        Ok(PhaseDetail {
            overspent: unspent.amount < Decimal::ZERO,
            over_budget: !budget_lines.is_empty() && spent_total.amount > budget_total.amount,
            report_dues: self.report_dues_of(&id)?,
            tranches,
            received_total,
            phase,
            activities,
            partners,
            indicators,
            statements,
            budget_lines,
            expenditures,
            budget_total,
            spent_total,
            unspent,
        })
    }

    /// Indicators of a phase, or of the relationship as a whole for `None`.
    pub fn indicators_for(&self, phase_id: Option<&str>) -> Result<Vec<Indicator>> {
        let sql = "SELECT id, phase_id, seq, label_en, label_ja, kind, metric, value, qualifier, unit, source, as_of
                   FROM indicators WHERE deleted = 0 AND phase_id IS ?1 ORDER BY seq, id";
        Ok(self
            .store
            .conn()
            .prepare(sql)?
            .query_map([phase_id], |r| {
                Ok(Indicator {
                    id: r.get(0)?,
                    phase_id: r.get(1)?,
                    seq: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                    label_en: text(r.get(3)?),
                    label_ja: text(r.get(4)?),
                    kind: text(r.get(5)?),
                    metric: r.get(6)?,
                    value: r.get(7)?,
                    qualifier: r.get(8)?,
                    unit: r.get(9)?,
                    source: r.get(10)?,
                    as_of: r.get(11)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn grant_detail(&self, grant: Grant) -> Result<GrantDetail> {
        let donor = self.donor(&grant.donor_id)?;
        let phases = self.phases_of(&grant)?;
        let mut total = Money::zero(grant.currency);
        let mut spent_total = Money::zero(grant.currency);
        for p in &phases {
            total = total.add("total", in_currency(p.phase.amount, grant.currency))?;
            spent_total = spent_total.add("spent_total", p.spent_total)?;
        }
        Ok(GrantDetail { grant, donor, phases, total, spent_total })
    }

    /// Every grant with its phases, and the total granted per currency.
    pub fn grant_list(&self) -> Result<GrantOverview> {
        let grants = self.grants_raw()?.into_iter().map(|g| self.grant_detail(g)).collect::<Result<Vec<_>>>()?;
        let mut totals: BTreeMap<Currency, Money> = BTreeMap::new();
        for g in &grants {
            let entry = totals.entry(g.total.currency).or_insert(Money::zero(g.total.currency));
            *entry = entry.add("totals", g.total)?;
        }
        Ok(GrantOverview { grants, totals: totals.into_values().collect() })
    }

    /// One grant, found by its id or by the id of one of its phases.
    pub fn grant_show(&self, id: &str) -> Result<GrantDetail> {
        let id = id.trim();
        let grant_id: String = match self.resolve_id("grants", id) {
            Err(Error::NotFound { .. }) => {
                let phase = self.resolve_id("phases", id).map_err(|e| {
                    if matches!(e, Error::NotFound { .. }) {
                        Error::NotFound { entity: "grant", id: id.into() }
                    } else {
                        e
                    }
                })?;
                self.store.conn().query_row("SELECT grant_id FROM phases WHERE id = ?1", [&phase], |r| r.get(0))?
            }
            found => found?,
        };
        let grant = self
            .grants_raw()?
            .into_iter()
            .find(|g| g.id == grant_id)
            .ok_or(Error::NotFound { entity: "grant", id: id.into() })?;
        self.grant_detail(grant)
    }

    pub fn phase_show(&self, phase_id: &str) -> Result<PhaseDetail> {
        let phase_id = &self.resolve_id("phases", phase_id)?;
        let g = self.grant_show(phase_id)?;
        g.phases
            .into_iter()
            .find(|p| &p.phase.id == phase_id)
            .ok_or(Error::NotFound { entity: "phase", id: phase_id.into() })
    }

    fn phase_currency(&self, phase_id: &str) -> Result<Currency> {
        self.phase_show(phase_id)
            .map(|p| p.phase.amount.currency)
            .map_err(|_| Error::invalid("phase", format!("no phase with id {}", phase_id.trim())))
    }

    /// The budget lines of a phase, each with what was spent on it.
    pub fn budget_list(&self, phase_id: &str) -> Result<Vec<BudgetLine>> {
        Ok(self.phase_show(phase_id)?.budget_lines)
    }

    pub fn budget_line_add(&mut self, input: &BudgetLineInput) -> Result<BudgetLine> {
        self.require_grant_writer("budget_lines")?;
        let currency = self.phase_currency(&input.phase_id)?;
        let mut cells = input.to_cells(currency)?;
        let phase_id = input.phase_id.trim().to_string();
        let id = new_id();
        self.store.write(|w| {
            let seq: i64 = w.conn().query_row(
                "SELECT coalesce(max(seq), 0) + 1 FROM budget_lines WHERE phase_id = ?1",
                [&phase_id],
                |r| r.get(0),
            )?;
            cells.push(("seq", crate::store::CellValue::Integer(seq)));
            w.insert("budget_lines", &id, &cells).map(|_| ())
        })?;
        self.budget_line_show(&id)
    }

    /// A live budget line with its figures, found by its id.
    pub fn budget_line_show(&self, id: &str) -> Result<BudgetLine> {
        let id = &self.resolve_id("budget_lines", id)?;
        let phase_id: String = self
            .store
            .conn()
            .query_row("SELECT phase_id FROM budget_lines WHERE id = ?1 AND deleted = 0", [id], |r| r.get(0))
            .map_err(not_found("budget line", id))?;
        self.phase_show(&phase_id)?
            .budget_lines
            .into_iter()
            .find(|b| b.id == *id)
            .ok_or(Error::NotFound { entity: "budget line", id: id.into() })
    }

    pub fn budget_line_edit(&mut self, id: &str, edit: &BudgetLineEdit) -> Result<BudgetLine> {
        self.require_grant_writer("budget_lines")?;
        let b = self.budget_line_show(id)?;
        let input = BudgetLineInput {
            phase_id: b.phase_id.clone(),
            code: or_stored(&edit.code, b.code.as_deref()),
            name_en: edit.name_en.clone().unwrap_or(b.name_en.clone()),
            name_ja: or_stored(&edit.name_ja, b.name_ja.as_deref()),
            amount: edit.amount.clone().unwrap_or(b.amount.amount_text()),
            currency: b.amount.currency.code().into(),
            variance_note: or_stored(&edit.variance_note, b.variance_note.as_deref()),
        };
        let cells = input.to_cells(self.phase_currency(&b.phase_id)?)?;
        self.store.write(|w| w.update("budget_lines", &b.id, &cells).map(|_| ()))?;
        self.budget_line_show(&b.id)
    }

    /// Removes a budget line. One with expenditures booked to it is refused
    /// (`conflict`) unless `with_expenditures`: then they are removed with
    /// it in the same transaction, as a member's sites go with the member,
    /// and each can be brought back from the removed records.
    pub fn budget_line_remove(&mut self, id: &str, with_expenditures: bool) -> Result<()> {
        self.require_grant_writer("budget_lines")?;
        let b = self.budget_line_show(id)?;
        let booked: Vec<String> = self
            .store
            .conn()
            .prepare("SELECT id FROM expenditures WHERE budget_line_id = ?1 AND deleted = 0")?
            .query_map([&b.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if !booked.is_empty() && !with_expenditures {
            return Err(Error::Conflict(format!(
                "budget line '{}' has {} expenditure(s) booked to it: remove them with it (--with-expenditures) or book them to another line first",
                b.name_en,
                booked.len()
            )));
        }
        self.store.write(|w| {
            for e in &booked {
                w.delete("expenditures", e)?;
            }
            w.delete("budget_lines", &b.id).map(|_| ())
        })
    }

    /// The expenditures of a phase, by date.
    pub fn expenditure_list(&self, phase_id: &str) -> Result<Vec<Expenditure>> {
        Ok(self.phase_show(phase_id)?.expenditures)
    }

    /// A budget line of `phase`, or none: an id of another phase is refused.
    fn check_line(&self, phase: &PhaseDetail, line: Option<&str>) -> Result<()> {
        if let Some(line) = line.map(str::trim).filter(|l| !l.is_empty())
            && !phase.budget_lines.iter().any(|b| b.id == line)
        {
            return Err(Error::invalid("budget_line", format!("no budget line {line} in this phase")));
        }
        Ok(())
    }

    pub fn expenditure_add(&mut self, input: &ExpenditureInput) -> Result<Expenditure> {
        self.require_grant_writer("expenditures")?;
        let currency = self.phase_currency(&input.phase_id)?;
        let cells = input.to_cells(currency)?;
        let phase = self.phase_show(&input.phase_id)?;
        phase.phase.require_covers("spent_on", crate::dates::parse_day("spent_on", &input.spent_on)?)?;
        self.check_line(&phase, input.budget_line_id.as_deref())?;
        let id = new_id();
        self.store.write(|w| w.insert("expenditures", &id, &cells).map(|_| ()))?;
        self.expenditure_show(&id)
    }

    /// A live expenditure, found by its id.
    pub fn expenditure_show(&self, id: &str) -> Result<Expenditure> {
        let id = &self.resolve_id("expenditures", id)?;
        let phase_id: String = self
            .store
            .conn()
            .query_row("SELECT phase_id FROM expenditures WHERE id = ?1 AND deleted = 0", [id], |r| r.get(0))
            .map_err(not_found("expenditure", id))?;
        self.phase_show(&phase_id)?
            .expenditures
            .into_iter()
            .find(|e| e.id == *id)
            .ok_or(Error::NotFound { entity: "expenditure", id: id.into() })
    }

    pub fn expenditure_edit(&mut self, id: &str, edit: &ExpenditureEdit) -> Result<Expenditure> {
        self.require_grant_writer("expenditures")?;
        let e = self.expenditure_show(id)?;
        let phase = self.phase_show(&e.phase_id)?;
        let currency = phase.phase.amount.currency;
        // A new currency without a new rate takes no stored rate along.
        let (rate, rate_date) = if edit.currency.is_some() && edit.rate.is_none() {
            (None, edit.rate_date.clone())
        } else {
            let stored_rate = (e.amount.currency != currency).then(|| e.rate.normalize().to_string());
            (
                or_stored(&edit.rate, stored_rate.as_deref()),
                or_stored(&edit.rate_date, e.rate_date.map(|d| d.to_string()).as_deref()),
            )
        };
        let input = ExpenditureInput {
            phase_id: e.phase_id.clone(),
            budget_line_id: or_stored(&edit.budget_line_id, e.budget_line_id.as_deref()),
            spent_on: edit.spent_on.clone().unwrap_or(e.spent_on.to_string()),
            description: edit.description.clone().unwrap_or(e.description.clone()),
            amount: edit.amount.clone().unwrap_or(e.amount.amount_text()),
            currency: edit.currency.clone().unwrap_or(e.amount.currency.code().into()),
            rate,
            rate_date,
            receipt_ref: or_stored(&edit.receipt_ref, e.receipt_ref.as_deref()),
        };
        let cells = input.to_cells(currency)?;
        phase.phase.require_covers("spent_on", crate::dates::parse_day("spent_on", &input.spent_on)?)?;
        self.check_line(&phase, input.budget_line_id.as_deref())?;
        self.store.write(|w| w.update("expenditures", &e.id, &cells).map(|_| ()))?;
        self.expenditure_show(&e.id)
    }

    pub fn expenditure_remove(&mut self, id: &str) -> Result<()> {
        self.require_grant_writer("expenditures")?;
        let e = self.expenditure_show(id)?;
        self.store.write(|w| w.delete("expenditures", &e.id).map(|_| ()))
    }
}
