//! `kizuna doctor`: finds stored rows that break the domain rules (written
//! before the rules were enforced at merge, or straight into the database)
//! and repairs them through the one write path, so the repair syncs.
//!
//! Repair: a cell that breaks its rule is cleared (set to null), except
//! that a row whose money is broken (an amount, a rate, a currency, or a
//! currency that disagrees with its grant's) is removed instead, with an
//! ordinary recoverable delete (`kizuna removed list|restore`), since a
//! cleared amount would be a wrong figure. Rows outside this office's
//! rights are left for HQ and reported as skipped.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use crate::api::Kizuna;
use crate::error::Result;
use crate::model::rules::{Rule, rule_of};
use crate::money::Currency;
use crate::schema::{TABLES, Table};
use crate::store::CellValue;

/// One cell (or row) that breaks a rule.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DoctorFinding {
    pub table: String,
    pub row_id: String,
    pub column: String,
    /// The stored value, shortened.
    pub value: String,
    pub problem: String,
    /// What `--repair` does: "clear" the cell or "remove" the row.
    pub repair: String,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct DoctorReport {
    pub findings: Vec<DoctorFinding>,
    /// Repairs made (cells cleared and rows removed), with `--repair`.
    #[ts(type = "number")]
    pub repaired: u64,
    /// Repairs this office may not make, with why.
    pub skipped: Vec<String>,
}

fn shown(v: &CellValue) -> String {
    let s = match v {
        CellValue::Null => "null".to_string(),
        CellValue::Integer(i) => i.to_string(),
        CellValue::Real(f) => f.to_string(),
        CellValue::Text(t) => t.clone(),
    };
    let mut out: String = s.chars().take(60).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

fn is_money(rule: Rule) -> bool {
    matches!(rule, Rule::Amount | Rule::Rate | Rule::Currency)
}

impl Kizuna {
    /// Lists every live row whose cells break their rules.
    pub fn doctor(&self) -> Result<DoctorReport> {
        let mut findings = Vec::new();
        for t in TABLES {
            self.scan_table(t, &mut findings)?;
        }
        self.scan_currencies(&mut findings)?;
        self.scan_outside_phases(&mut findings)?;
        Ok(DoctorReport { findings, ..Default::default() })
    }

    /// Repairs what [`Kizuna::doctor`] finds (see the module's note), then
    /// reports what is left.
    pub fn doctor_repair(&mut self) -> Result<DoctorReport> {
        let before = self.doctor()?;
        let mut removes: BTreeMap<(String, String), ()> = BTreeMap::new();
        let mut clears: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for f in &before.findings {
            let key = (f.table.clone(), f.row_id.clone());
            if f.repair == "remove" {
                removes.insert(key, ());
            } else {
                clears.entry(key).or_default().push(f.column.clone());
            }
        }
        let (mut repaired, mut skipped) = (0u64, Vec::new());
        for ((table, id), cols) in clears.into_iter().filter(|(k, _)| !removes.contains_key(k)) {
            let cells: Vec<(&str, CellValue)> = cols.iter().map(|c| (c.as_str(), CellValue::Null)).collect();
            match self.store_mut().write(|w| w.update(&table, &id, &cells)) {
                Ok(_) => repaired += cols.len() as u64,
                Err(e) => skipped.push(format!("{table} {id}: {e}")),
            }
        }
        for (table, id) in removes.into_keys() {
            match self.store_mut().write(|w| w.delete(&table, &id)) {
                Ok(_) => repaired += 1,
                Err(e) => skipped.push(format!("{table} {id}: {e}")),
            }
        }
        let mut after = self.doctor()?;
        after.repaired = repaired;
        after.skipped = skipped;
        Ok(after)
    }

    fn scan_table(&self, t: &'static Table, out: &mut Vec<DoctorFinding>) -> Result<()> {
        let cols: Vec<&str> = t.columns.iter().map(|(c, _)| *c).filter(|c| *c != "deleted").collect();
        let sql = format!("SELECT id, {} FROM {} WHERE deleted = 0 ORDER BY id", cols.join(", "), t.name);
        let conn = self.store().conn();
        let mut q = conn.prepare(&sql)?;
        let mut rows = q.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let cells: Vec<(&str, CellValue)> = cols
                .iter()
                .enumerate()
                .map(|(i, c)| Ok((*c, CellValue::from_value_ref(r.get_ref(i + 1)?))))
                .collect::<rusqlite::Result<_>>()?;
            let currency = cells
                .iter()
                .find(|(c, _)| *c == "currency")
                .and_then(|(_, v)| v.as_str())
                .and_then(|s| Currency::parse("currency", s).ok());
            for (c, v) in &cells {
                if v.is_null() {
                    continue;
                }
                let (_, kind) = t.column(c).unwrap_or((c, crate::schema::Kind::Text));
                let typed = if v.fits(kind) {
                    rule_of(t, c).map_or(Ok(()), |rule| rule.check(&format!("{}.{c}", t.name), v, currency))
                } else {
                    Err(crate::Error::invalid(format!("{}.{c}", t.name), "has a value of the wrong type"))
                };
                if let Err(e) = typed {
                    let money = rule_of(t, c).is_some_and(is_money);
                    out.push(DoctorFinding {
                        table: t.name.into(),
                        row_id: id.clone(),
                        column: c.to_string(),
                        value: shown(v),
                        problem: e.to_string(),
                        repair: if money { "remove" } else { "clear" }.into(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Phases, budget lines and tranches in another currency than their grant's.
    fn scan_currencies(&self, out: &mut Vec<DoctorFinding>) -> Result<()> {
        let conn = self.store().conn();
        let mut q = conn.prepare(
            "SELECT 'phases', p.id, p.currency, g.id, g.currency FROM phases p JOIN grants g ON g.id = p.grant_id
             WHERE p.deleted = 0 AND p.currency IS NOT g.currency
             UNION ALL
             SELECT 'budget_lines', b.id, b.currency, g.id, g.currency FROM budget_lines b
             JOIN phases p ON p.id = b.phase_id JOIN grants g ON g.id = p.grant_id
             WHERE b.deleted = 0 AND b.currency IS NOT g.currency
             UNION ALL
             SELECT 'tranches', t.id, t.currency, g.id, g.currency FROM tranches t
             JOIN phases p ON p.id = t.phase_id JOIN grants g ON g.id = p.grant_id
             WHERE t.deleted = 0 AND t.currency IS NOT g.currency",
        )?;
        let rows = q.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                CellValue::from_value_ref(r.get_ref(2)?),
                r.get::<_, String>(3)?,
                CellValue::from_value_ref(r.get_ref(4)?),
            ))
        })?;
        for row in rows {
            let (table, id, currency, grant, grant_currency) = row?;
            out.push(DoctorFinding {
                problem: format!(
                    "{table}.currency: {} does not agree with its grant {grant}, which is kept in {}",
                    shown(&currency),
                    shown(&grant_currency)
                ),
                table,
                row_id: id,
                column: "currency".into(),
                value: shown(&currency),
                repair: "remove".into(),
            });
        }
        Ok(())
    }

    /// Expenditures dated outside their phase's period (entry refuses them;
    /// these were stored before it did): counted in no total, so listed here.
    /// A repair removes them, recoverably, to be entered again in the phase
    /// their date belongs to.
    fn scan_outside_phases(&self, out: &mut Vec<DoctorFinding>) -> Result<()> {
        for g in self.grant_list()?.grants {
            for p in &g.phases {
                for e in p.expenditures.iter().filter(|e| e.outside_phase) {
                    out.push(DoctorFinding {
                        table: "expenditures".into(),
                        row_id: e.id.clone(),
                        column: "spent_on".into(),
                        value: e.spent_on.to_string(),
                        problem: format!(
                            "expenditures.spent_on: {} is outside its phase's period ({} to {}) and is counted in no total",
                            e.spent_on,
                            p.phase.start.first_day(),
                            p.phase.end.last_day()
                        ),
                        repair: "remove".into(),
                    });
                }
            }
        }
        Ok(())
    }
}
