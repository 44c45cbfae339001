//! Period narratives: set, show and list the narrative and sign-off of a
//! phase report for one reporting period. The row's id is derived from the
//! phase and the period, so editing the same period twice (or on two
//! replicas) is one record whose cells merge.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row};

use crate::api::members::opt_date;
use crate::api::{Kizuna, pair_id};
use crate::cell::CellValue;
use crate::dates::{check_order, parse_day};
use crate::error::{Error, Result};
use crate::model::grant::PhaseDetail;
use crate::model::narrative::{Narrative, NarrativeInput, Results, parse_results, results_json};
use crate::model::text::{self, MAX_TEXT};

const COLUMNS: &str = "id, phase_id, period_start, period_end, results, challenges_en, challenges_ja,
    lessons_en, lessons_ja, next_steps_en, next_steps_ja, people_reached, people_basis_en, people_basis_ja,
    prepared_by, preparer_title_en, preparer_title_ja, prepared_on, approved_by, approver_title_en,
    approver_title_ja, approved_on";

/// A stored narrative with its results still keyed by activity id.
fn from_row(r: &Row<'_>) -> rusqlite::Result<(Narrative, Results)> {
    let results = r.get::<_, Option<String>>(4)?.and_then(|s| parse_results("results", &s).ok()).unwrap_or_default();
    let day = |s: Option<String>| opt_date(s).unwrap_or_default();
    Ok((
        Narrative {
            id: r.get(0)?,
            phase_id: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            period_start: day(r.get(2)?),
            period_end: day(r.get(3)?),
            results: Vec::new(),
            challenges_en: r.get(5)?,
            challenges_ja: r.get(6)?,
            lessons_en: r.get(7)?,
            lessons_ja: r.get(8)?,
            next_steps_en: r.get(9)?,
            next_steps_ja: r.get(10)?,
            people_reached: r.get(11)?,
            people_basis_en: r.get(12)?,
            people_basis_ja: r.get(13)?,
            prepared_by: r.get(14)?,
            preparer_title_en: r.get(15)?,
            preparer_title_ja: r.get(16)?,
            prepared_on: opt_date(r.get(17)?),
            approved_by: r.get(18)?,
            approver_title_en: r.get(19)?,
            approver_title_ja: r.get(20)?,
            approved_on: opt_date(r.get(21)?),
            missing: Vec::new(),
        },
        results,
    ))
}

/// The results in the order of the phase's activities (results for an
/// activity since removed are dropped), and what a final report lacks.
fn complete(mut n: Narrative, results: Results, phase: &PhaseDetail) -> Narrative {
    n.results = phase.activities.iter().filter_map(|a| results.get(&a.id).cloned()).collect();
    let ids: Vec<String> = phase.activities.iter().map(|a| a.id.clone()).collect();
    n.missing = n.missing_parts(&ids);
    n
}

fn narrative_id(phase_id: &str, start: NaiveDate, end: NaiveDate) -> String {
    pair_id("narratives", phase_id, &format!("{start}/{end}"))
}

impl Kizuna {
    /// The period a narrative or report covers: the given days, else the phase's own dates.
    pub(crate) fn narrative_period(
        phase: &PhaseDetail,
        start: Option<&str>,
        end: Option<&str>,
    ) -> Result<(NaiveDate, NaiveDate)> {
        let given = |field: &str, v: Option<&str>| -> Result<Option<NaiveDate>> {
            match v.map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => parse_day(field, s).map(Some),
                None => Ok(None),
            }
        };
        let s = given("period_start", start)?.unwrap_or(phase.phase.start.first_day());
        let e = given("period_end", end)?.unwrap_or(phase.phase.end.last_day());
        check_order("period_end", Some(s), Some(e))?;
        Ok((s, e))
    }

    /// Writes the given fields of a period's narrative, creating it on the
    /// first write. Results name activities of the phase by id or number.
    pub fn narrative_set(&mut self, input: &NarrativeInput) -> Result<Narrative> {
        let phase = self.phase_show(&input.phase_id)?;
        let (start, end) = Self::narrative_period(&phase, input.period_start.as_deref(), input.period_end.as_deref())?;
        let id = narrative_id(&phase.phase.id, start, end);
        let current = self.narrative_row(&id)?;
        let mut cells = input.to_cells(current.is_none())?;
        if let Some(given) = &input.results {
            let mut results = current.as_ref().map(|(_, r)| r.clone()).unwrap_or_default();
            for r in given {
                let key = r.activity.trim();
                let activity = phase
                    .activities
                    .iter()
                    .find(|a| a.id == key || key.parse::<i64>().is_ok_and(|n| n == a.seq))
                    .ok_or_else(|| {
                        Error::invalid(
                            "activity",
                            format!("'{key}' is not an activity of this phase (use its id or number)"),
                        )
                    })?;
                let slot = results.entry(activity.id.clone()).or_default();
                slot.activity_id = activity.id.clone();
                if let Some(t) = &r.text_en {
                    slot.text_en = text::optional("result_en", t, MAX_TEXT)?;
                }
                if let Some(t) = &r.text_ja {
                    slot.text_ja = text::optional("result_ja", t, MAX_TEXT)?;
                }
            }
            cells.push(("results", CellValue::Text(results_json(&results))));
        }
        if current.is_none() {
            cells.push(("phase_id", CellValue::text(&phase.phase.id)));
            cells.push(("period_start", CellValue::Text(start.to_string())));
            cells.push(("period_end", CellValue::Text(end.to_string())));
        }
        // The sign-off's order holds across writes too: approval comes after preparation.
        let after = |col: &str, stored: Option<NaiveDate>| -> Option<NaiveDate> {
            match cells.iter().find(|(c, _)| *c == col) {
                Some((_, v)) => v.as_str().and_then(|s| s.parse().ok()),
                None => stored,
            }
        };
        let stored = current.as_ref().map(|(n, _)| n);
        check_order(
            "approved_on",
            after("prepared_on", stored.and_then(|n| n.prepared_on)),
            after("approved_on", stored.and_then(|n| n.approved_on)),
        )?;
        self.store.write(|w| {
            if current.is_some() {
                w.update("narratives", &id, &cells).map(|_| ())
            } else {
                w.insert("narratives", &id, &cells).map(|_| ())
            }
        })?;
        self.narrative_show(&phase.phase.id, Some(&start.to_string()), Some(&end.to_string()))
    }

    fn narrative_row(&self, id: &str) -> Result<Option<(Narrative, Results)>> {
        Ok(self
            .store
            .conn()
            .query_row(&format!("SELECT {COLUMNS} FROM narratives WHERE id = ?1 AND deleted = 0"), [id], from_row)
            .optional()?)
    }

    /// The narrative of a phase for a period (the phase's own dates when none is given).
    pub fn narrative_show(&self, phase_id: &str, start: Option<&str>, end: Option<&str>) -> Result<Narrative> {
        self.narrative_find(phase_id, start, end)?.ok_or_else(|| Error::NotFound {
            entity: "narrative",
            id: format!("{} {}–{}", phase_id.trim(), start.unwrap_or("phase start"), end.unwrap_or("phase end")),
        })
    }

    /// As [`Kizuna::narrative_show`], `None` when none is recorded yet.
    pub fn narrative_find(&self, phase_id: &str, start: Option<&str>, end: Option<&str>) -> Result<Option<Narrative>> {
        let phase = self.phase_show(phase_id)?;
        let (s, e) = Self::narrative_period(&phase, start, end)?;
        Ok(self.narrative_row(&narrative_id(&phase.phase.id, s, e))?.map(|(n, r)| complete(n, r, &phase)))
    }

    /// Every narrative, or a phase's, by phase and period.
    pub fn narrative_list(&self, phase_id: Option<&str>) -> Result<Vec<Narrative>> {
        let phase_id = phase_id.map(str::trim).filter(|p| !p.is_empty());
        if let Some(p) = phase_id {
            self.phase_show(p)?;
        }
        let rows: Vec<(Narrative, Results)> = self
            .store
            .conn()
            .prepare(&format!(
                "SELECT {COLUMNS} FROM narratives WHERE deleted = 0 AND (?1 IS NULL OR phase_id = ?1)
                 ORDER BY phase_id, period_start, period_end"
            ))?
            .query_map([phase_id], from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (n, r) in rows {
            match self.phase_show(&n.phase_id) {
                Ok(phase) => out.push(complete(n, r, &phase)),
                Err(Error::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }
}
