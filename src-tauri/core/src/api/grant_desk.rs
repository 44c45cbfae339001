//! HQ's grant desk: recording grants and their phases (with activities and
//! partners), each phase's instalment schedule and its reporting due dates.
//! Every table here is HQ-only; a field office is refused before its input
//! is even read, so it never sees a validation message for a write it may
//! not make.

use rusqlite::OptionalExtension;

use crate::api::grants::{in_currency, money};
use crate::api::members::opt_date;
use crate::api::{Kizuna, new_id, not_found};
use crate::cell::CellValue;
use crate::error::{Error, Result};
use crate::model::grant::{Donor, GrantDetail, PhaseDetail};
use crate::model::grant_desk::*;
use crate::money::{Currency, Money};

impl Kizuna {
    /// `unauthorized` unless this office may write `table` (HQ-only tables).
    pub(crate) fn require_grant_writer(&self, table: &str) -> Result<()> {
        match crate::schema::table(table) {
            Some(t) => crate::sync::rights::may_write(self.office_code(), t),
            None => Err(Error::invalid("table", format!("unknown table {table}"))),
        }
    }

    /// The grant makers, by English name: what a new grant's donor is picked from.
    pub fn grant_donors(&self) -> Result<Vec<Donor>> {
        Ok(self
            .store
            .conn()
            .prepare(
                "SELECT id, name_en, name_ja, country, relief_fund_en, relief_fund_ja FROM donors
                 WHERE deleted = 0 ORDER BY name_en, id",
            )?
            .query_map([], |r| {
                Ok(Donor {
                    id: r.get(0)?,
                    name_en: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    name_ja: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    country: r.get(3)?,
                    relief_fund_en: r.get(4)?,
                    relief_fund_ja: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// A live donor by id, or by its English or Japanese name (any case).
    fn donor_resolve(&self, given: &str) -> Result<String> {
        let given = given.trim();
        self.store
            .conn()
            .query_row(
                "SELECT id FROM donors WHERE deleted = 0
                   AND (id = ?1 OR lower(name_en) = lower(?1) OR name_ja = ?1) ORDER BY id LIMIT 1",
                [given],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                Error::invalid("donor", format!("no donor '{given}': give its id or name, or a new donor's name"))
            })
    }

    /// Records a new grant with its first phase (and the phase's activities
    /// and partners), and a new donor if one is named: one transaction.
    pub fn grant_add(&mut self, input: &GrantInput) -> Result<GrantDetail> {
        self.require_grant_writer("grants")?;
        let (mut cells, currency) = input.check()?;
        let phase = input.phase.check(currency)?;
        let existing = input.donor.as_deref().map(str::trim).filter(|d| !d.is_empty());
        let new_donor = match existing {
            Some(d) => {
                cells.push(("donor_id", CellValue::text(self.donor_resolve(d)?)));
                None
            }
            None => {
                let en = crate::model::text::required("new_donor_en", input.new_donor_en.as_deref().unwrap_or(""), 200)
                    .map_err(|_| Error::invalid("donor", "is required: an existing donor, or a new donor's name"))?;
                let ja =
                    crate::model::text::optional("new_donor_ja", input.new_donor_ja.as_deref().unwrap_or(""), 200)?;
                let id = new_id();
                cells.push(("donor_id", CellValue::text(&id)));
                Some((id, en, ja))
            }
        };
        let grant_id = new_id();
        let phase_id = new_id();
        let mut phase_cells = phase.cells;
        phase_cells.push(("grant_id", CellValue::text(&grant_id)));
        phase_cells.push(("seq", CellValue::Integer(1)));
        let partners = self.partner_ids(&input.phase.partners)?;
        self.store.write(|w| {
            if let Some((id, en, ja)) = &new_donor {
                w.insert(
                    "donors",
                    id,
                    &[("name_en", CellValue::text(en)), ("name_ja", CellValue::opt_text(ja.clone()))],
                )?;
            }
            w.insert("grants", &grant_id, &cells)?;
            w.insert("phases", &phase_id, &phase_cells)?;
            write_children(w, &phase_id, 0, &input.phase, &partners)
        })?;
        self.grant_show(&grant_id)
    }

    /// Changes a grant's donor, titles or notes. Its currency is fixed: every
    /// amount of its phases is kept in it.
    pub fn grant_edit(&mut self, id: &str, edit: &GrantEdit) -> Result<GrantDetail> {
        self.require_grant_writer("grants")?;
        // A grant's id (or prefix), never one of its phases'.
        let g = self.grant_show(&self.resolve_id("grants", id)?)?;
        let input = GrantInput {
            title_en: edit.title_en.clone().unwrap_or(g.grant.title_en.clone()),
            title_ja: or_stored(&edit.title_ja, Some(g.grant.title_ja.as_str())),
            currency: g.grant.currency.code().into(),
            notes: or_stored(&edit.notes, g.grant.notes.as_deref()),
            ..Default::default()
        };
        let (mut cells, _) = input.check()?;
        if let Some(d) = edit.donor.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            cells.push(("donor_id", CellValue::text(self.donor_resolve(d)?)));
        }
        self.store.write(|w| w.update("grants", &g.grant.id, &cells).map(|_| ()))?;
        self.grant_show(&g.grant.id)
    }

    /// Adds a phase to a grant, numbered after its last one.
    pub fn phase_add(&mut self, input: &PhaseInput) -> Result<PhaseDetail> {
        self.require_grant_writer("phases")?;
        let grant_id = input.grant_id.as_deref().map(str::trim).filter(|g| !g.is_empty());
        let grant_id = grant_id.ok_or_else(|| Error::invalid("grant", "is required"))?;
        let g =
            self.grant_show(grant_id).map_err(|_| Error::invalid("grant", format!("no grant with id {grant_id}")))?;
        if g.grant.id != grant_id {
            return Err(Error::invalid("grant", format!("no grant with id {grant_id}")));
        }
        let checked = input.check(g.grant.currency)?;
        let partners = self.partner_ids(&input.partners)?;
        let id = new_id();
        let mut cells = checked.cells;
        cells.push(("grant_id", CellValue::text(&g.grant.id)));
        self.store.write(|w| {
            let seq: i64 = w.conn().query_row(
                "SELECT coalesce(max(seq), 0) + 1 FROM phases WHERE grant_id = ?1",
                [&g.grant.id],
                |r| r.get(0),
            )?;
            cells.push(("seq", CellValue::Integer(seq)));
            w.insert("phases", &id, &cells)?;
            write_children(w, &id, 0, input, &partners)
        })?;
        self.phase_show(&id)
    }

    /// Changes a phase; activities and partners given are added to it. Its
    /// period may not shrink past an expenditure recorded in it, or the
    /// expenditure would silently stop counting.
    pub fn phase_edit(&mut self, id: &str, edit: &PhaseInput) -> Result<PhaseDetail> {
        self.require_grant_writer("phases")?;
        let p = self.phase_show(id)?;
        let ph = &p.phase;
        let merged = PhaseInput {
            grant_id: None,
            title_en: or_stored(&edit.title_en, Some(ph.title_en.as_str())),
            title_ja: or_stored(&edit.title_ja, Some(ph.title_ja.as_str())),
            start: or_stored(&edit.start, Some(ph.start.to_string().as_str())),
            end: or_stored(&edit.end, Some(ph.end.to_string().as_str())),
            amount: or_stored(&edit.amount, Some(ph.amount.amount_text().as_str())),
            summary_en: or_stored(&edit.summary_en, ph.summary_en.as_deref()),
            summary_ja: or_stored(&edit.summary_ja, ph.summary_ja.as_deref()),
            activities: edit.activities.clone(),
            partners: edit.partners.clone(),
        };
        let checked = merged.check(ph.amount.currency)?;
        let mut period = ph.clone();
        period.start = checked.start;
        period.end = checked.end;
        let outside: Vec<_> =
            p.expenditures.iter().filter(|e| !e.outside_phase && !period.covers(e.spent_on)).collect();
        if let Some(first) = outside.first() {
            let field = if first.spent_on < checked.start.first_day() { "start" } else { "end" };
            return Err(Error::invalid(
                field,
                format!(
                    "{} expenditure(s) of this phase would fall outside {} to {} (the first dated {}): move or remove them first",
                    outside.len(),
                    checked.start,
                    checked.end,
                    first.spent_on
                ),
            ));
        }
        self.check_tranche_total(&p, None, Money::zero(ph.amount.currency), checked.amount)?;
        let partners = self.partner_ids(&edit.partners)?;
        let first_seq = p.activities.iter().map(|a| a.seq).max().unwrap_or(0);
        self.store.write(|w| {
            w.update("phases", &ph.id, &checked.cells)?;
            write_children(w, &ph.id, first_seq, edit, &partners)
        })?;
        self.phase_show(&ph.id)
    }

    /// For each partner named, its existing id (by English name, any case) or None for a new one.
    fn partner_ids(&self, partners: &[PartnerInput]) -> Result<Vec<Option<String>>> {
        let conn = self.store.conn();
        partners
            .iter()
            .map(|p| {
                Ok(conn
                    .query_row(
                        "SELECT id FROM partners WHERE deleted = 0 AND lower(name_en) = lower(?1) ORDER BY id LIMIT 1",
                        [p.name_en.trim()],
                        |r| r.get(0),
                    )
                    .optional()?)
            })
            .collect()
    }

    pub(crate) fn tranches_of(&self, phase_id: &str, currency: Currency) -> Result<Vec<Tranche>> {
        Ok(self
            .store
            .conn()
            .prepare(
                "SELECT id, phase_id, seq, amount, currency, expected_on, received_on, notes FROM tranches
                 WHERE phase_id = ?1 AND deleted = 0 ORDER BY coalesce(expected_on, received_on), seq, id",
            )?
            .query_map([phase_id], |r| {
                Ok(Tranche {
                    id: r.get(0)?,
                    phase_id: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    seq: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                    amount: in_currency(money(r.get(3)?, r.get(4)?), currency),
                    expected_on: opt_date(r.get(5)?),
                    received_on: opt_date(r.get(6)?),
                    notes: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    pub(crate) fn report_dues_of(&self, phase_id: &str) -> Result<Vec<ReportDue>> {
        Ok(self
            .store
            .conn()
            .prepare(
                "SELECT id, phase_id, due_on, period_start, period_end, label_en, label_ja, submitted_on
                 FROM report_dues WHERE phase_id = ?1 AND deleted = 0 ORDER BY due_on, id",
            )?
            .query_map([phase_id], |r| {
                Ok(ReportDue {
                    id: r.get(0)?,
                    phase_id: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    due_on: opt_date(r.get(2)?).unwrap_or_default(),
                    period_start: opt_date(r.get(3)?),
                    period_end: opt_date(r.get(4)?),
                    label_en: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    label_ja: r.get(6)?,
                    submitted_on: opt_date(r.get(7)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// The schedule may not promise more than the phase's amount.
    fn check_tranche_total(
        &self,
        p: &PhaseDetail,
        replacing: Option<&str>,
        adding: Money,
        amount: Money,
    ) -> Result<()> {
        let mut total = adding;
        for t in p.tranches.iter().filter(|t| Some(t.id.as_str()) != replacing) {
            total = total.add("amount", t.amount)?;
        }
        if total.amount > amount.amount {
            return Err(Error::invalid(
                "amount",
                format!("the instalments would total {total}, more than the phase's amount {amount}"),
            ));
        }
        Ok(())
    }

    fn phase_of(&self, table: &'static str, entity: &'static str, id: &str) -> Result<String> {
        self.store
            .conn()
            .query_row(&format!("SELECT phase_id FROM {table} WHERE id = ?1 AND deleted = 0"), [id.trim()], |r| {
                r.get::<_, Option<String>>(0)
            })
            .map_err(not_found(entity, id.trim()))?
            .ok_or_else(|| Error::NotFound { entity, id: id.trim().into() })
    }

    pub fn tranche_add(&mut self, input: &TrancheInput) -> Result<Tranche> {
        self.require_grant_writer("tranches")?;
        let phase_id = input.phase_id.as_deref().map(str::trim).unwrap_or("");
        let p =
            self.phase_show(phase_id).map_err(|_| Error::invalid("phase", format!("no phase with id {phase_id}")))?;
        let checked = input.check(p.phase.amount.currency)?;
        self.check_tranche_total(&p, None, checked.amount, p.phase.amount)?;
        let id = new_id();
        let mut cells = checked.cells;
        cells.push(("phase_id", CellValue::text(&p.phase.id)));
        self.store.write(|w| {
            let seq: i64 = w.conn().query_row(
                "SELECT coalesce(max(seq), 0) + 1 FROM tranches WHERE phase_id = ?1",
                [&p.phase.id],
                |r| r.get(0),
            )?;
            cells.push(("seq", CellValue::Integer(seq)));
            w.insert("tranches", &id, &cells).map(|_| ())
        })?;
        self.tranche_show(&id)
    }

    pub fn tranche_show(&self, id: &str) -> Result<Tranche> {
        let id = &self.resolve_id("tranches", id)?;
        let p = self.phase_show(&self.phase_of("tranches", "tranche", id)?)?;
        p.tranches.into_iter().find(|t| t.id == id.trim()).ok_or(Error::NotFound { entity: "tranche", id: id.into() })
    }

    /// Changes a tranche; `received_on` records its arrival (empty: not received).
    pub fn tranche_edit(&mut self, id: &str, edit: &TrancheInput) -> Result<Tranche> {
        self.require_grant_writer("tranches")?;
        let t = self.tranche_show(id)?;
        let p = self.phase_show(&t.phase_id)?;
        let merged = TrancheInput {
            phase_id: None,
            amount: or_stored(&edit.amount, Some(t.amount.amount_text().as_str())),
            expected_on: or_stored(&edit.expected_on, t.expected_on.map(|d| d.to_string()).as_deref()),
            received_on: or_stored(&edit.received_on, t.received_on.map(|d| d.to_string()).as_deref()),
            notes: or_stored(&edit.notes, t.notes.as_deref()),
        };
        let checked = merged.check(p.phase.amount.currency)?;
        self.check_tranche_total(&p, Some(&t.id), checked.amount, p.phase.amount)?;
        self.store.write(|w| w.update("tranches", &t.id, &checked.cells).map(|_| ()))?;
        self.tranche_show(&t.id)
    }

    pub fn tranche_remove(&mut self, id: &str) -> Result<()> {
        self.require_grant_writer("tranches")?;
        let t = self.tranche_show(id)?;
        self.store.write(|w| w.delete("tranches", &t.id).map(|_| ()))
    }

    pub fn report_due_add(&mut self, input: &ReportDueInput) -> Result<ReportDue> {
        self.require_grant_writer("report_dues")?;
        let phase_id = input.phase_id.as_deref().map(str::trim).unwrap_or("");
        let p =
            self.phase_show(phase_id).map_err(|_| Error::invalid("phase", format!("no phase with id {phase_id}")))?;
        let mut cells = input.check()?;
        cells.push(("phase_id", CellValue::text(&p.phase.id)));
        let id = new_id();
        self.store.write(|w| w.insert("report_dues", &id, &cells).map(|_| ()))?;
        self.report_due_show(&id)
    }

    pub fn report_due_show(&self, id: &str) -> Result<ReportDue> {
        let id = &self.resolve_id("report_dues", id)?;
        let phase = self.phase_of("report_dues", "report due date", id)?;
        self.report_dues_of(&phase)?
            .into_iter()
            .find(|d| d.id == id.trim())
            .ok_or(Error::NotFound { entity: "report due date", id: id.into() })
    }

    /// Changes a due report; `submitted_on` records that it was sent.
    pub fn report_due_edit(&mut self, id: &str, edit: &ReportDueInput) -> Result<ReportDue> {
        self.require_grant_writer("report_dues")?;
        let d = self.report_due_show(id)?;
        let day = |v: Option<chrono::NaiveDate>| v.map(|d| d.to_string());
        let merged = ReportDueInput {
            phase_id: None,
            due_on: or_stored(&edit.due_on, Some(d.due_on.to_string().as_str())),
            period_start: or_stored(&edit.period_start, day(d.period_start).as_deref()),
            period_end: or_stored(&edit.period_end, day(d.period_end).as_deref()),
            label_en: or_stored(&edit.label_en, Some(d.label_en.as_str())),
            label_ja: or_stored(&edit.label_ja, d.label_ja.as_deref()),
            submitted_on: or_stored(&edit.submitted_on, day(d.submitted_on).as_deref()),
        };
        let cells = merged.check()?;
        self.store.write(|w| w.update("report_dues", &d.id, &cells).map(|_| ()))?;
        self.report_due_show(&d.id)
    }

    pub fn report_due_remove(&mut self, id: &str) -> Result<()> {
        self.require_grant_writer("report_dues")?;
        let d = self.report_due_show(id)?;
        self.store.write(|w| w.delete("report_dues", &d.id).map(|_| ()))
    }
}

/// Writes a phase's new activities (numbered after `first_seq`) and partner
/// links; `partners[i]` is the existing partner of `input.partners[i]`, if any.
fn write_children(
    w: &mut crate::store::Writer<'_>,
    phase_id: &str,
    first_seq: i64,
    input: &PhaseInput,
    partners: &[Option<String>],
) -> Result<()> {
    for (i, a) in input.activities.iter().enumerate() {
        let mut cells = a.check()?;
        cells.push(("phase_id", CellValue::text(phase_id)));
        cells.push(("seq", CellValue::Integer(first_seq + i as i64 + 1)));
        w.insert("activities", &new_id(), &cells)?;
    }
    for (p, existing) in input.partners.iter().zip(partners) {
        let partner_id = match existing {
            Some(id) => id.clone(),
            None => {
                let id = new_id();
                w.insert(
                    "partners",
                    &id,
                    &[
                        ("name_en", CellValue::text(p.name_en.trim())),
                        ("name_ja", CellValue::opt_text(p.name_ja.clone().filter(|n| !n.trim().is_empty()))),
                        ("kind", CellValue::text("partner")),
                    ],
                )?;
                id
            }
        };
        w.insert(
            "phase_partners",
            &new_id(),
            &[
                ("phase_id", CellValue::text(phase_id)),
                ("partner_id", CellValue::text(&partner_id)),
                ("role_en", CellValue::opt_text(p.role_en.clone().filter(|r| !r.trim().is_empty()))),
            ],
        )?;
    }
    Ok(())
}
