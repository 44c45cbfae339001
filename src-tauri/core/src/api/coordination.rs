//! The coordination figures: meetings held, organisations per meeting,
//! members reached, the outreach list and overdue follow-ups, for a period
//! and an office or prefecture. Computed from the records on every call.

use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::api::Kizuna;
use crate::api::meetings::{FOLLOW_UP_COLUMNS, FOLLOW_UP_FROM, follow_up_from_row};
use crate::api::members::opt_date;
use crate::dates::{check_order, day_or_today, parse_day};
use crate::error::Result;
use crate::model::meeting::{CoordinationQuery, CoordinationStats, OutreachMember};
use crate::prefecture::Prefecture;

/// Months without attendance after which a member is on the outreach list.
pub const DEFAULT_INACTIVE_MONTHS: u32 = 6;

/// One decimal place, halves away from zero: 20.25 → 20.3.
fn one_place(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
}

/// The median of counts, sorted in place: the middle one, or the mean of the two middle ones.
pub(crate) fn median(counts: &mut [i64]) -> Option<Decimal> {
    if counts.is_empty() {
        return None;
    }
    counts.sort_unstable();
    let n = counts.len();
    Some(if n % 2 == 1 {
        Decimal::from(counts[n / 2])
    } else {
        one_place((Decimal::from(counts[n / 2 - 1]) + Decimal::from(counts[n / 2])) / Decimal::TWO)
    })
}

impl Kizuna {
    pub fn coordination_stats(&self, q: &CoordinationQuery) -> Result<CoordinationStats> {
        let from = q.from.as_deref().filter(|d| !d.trim().is_empty()).map(|d| parse_day("from", d)).transpose()?;
        let to = day_or_today("to", q.to.as_deref())?;
        check_order("to", from, Some(to))?;
        let office =
            q.office.as_deref().filter(|o| !o.trim().is_empty()).map(|o| self.office_resolve(o)).transpose()?;
        let prefecture = q.prefecture.as_deref().filter(|p| !p.trim().is_empty()).map(Prefecture::parse).transpose()?;
        let months = q.inactive_months.unwrap_or(DEFAULT_INACTIVE_MONTHS).min(1200);
        let to_s = to.to_string();
        let office_id = office.as_ref().map(|o| o.id.as_str());
        let pref = prefecture.map(|p| p.code);

        // A meeting counts for the period's figures if it passes the
        // filters; a member's last attendance comes from every meeting up to
        // `to`: one who came to another office's meeting has been reached.
        let tally = self.with_index(&self.attendance_index, |index| {
            Ok(index.tally(to, |m| {
                from.is_none_or(|f| m.held_on >= f)
                    && office_id.is_none_or(|o| m.office_id.as_deref() == Some(o))
                    && pref.is_none_or(|p| m.prefecture_code.as_deref() == Some(p))
            }))
        })?;
        let mut counts = tally.attendance;
        let with_attendance = counts.len() as i64;
        let total: i64 = counts.iter().sum();
        let mean = (with_attendance > 0).then(|| one_place(Decimal::from(total) / Decimal::from(with_attendance)));
        let median = median(&mut counts);

        let cutoff = to.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN);
        let mut not_attended = Vec::new();
        let conn = self.store.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, member_no, name_ja, name_en, joined_on, prefectures, office_id FROM members
             WHERE deleted = 0 AND coalesce(status, 'active') = 'active'
             ORDER BY member_no, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let joined = opt_date(r.get(4)?);
            let prefectures: Option<String> = r.get(5)?;
            let member_office: Option<String> = r.get(6)?;
            if pref.is_some_and(|p| !prefectures.as_deref().unwrap_or("").contains(&format!("\"{p}\"")))
                || office_id.is_some_and(|o| member_office.as_deref() != Some(o))
                || joined.is_some_and(|j| j > cutoff)
            {
                continue;
            }
            let last = tally.last_attended.get(&id).copied();
            if last.is_some_and(|d| d > cutoff) {
                continue;
            }
            not_attended.push(OutreachMember {
                member_id: id,
                member_no: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                name_ja: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                name_en: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                last_attended: last,
            });
        }
        not_attended.sort_by(|a, b| a.last_attended.cmp(&b.last_attended).then(a.member_no.cmp(&b.member_no)));

        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM {FOLLOW_UP_FROM}
             WHERE f.deleted = 0 AND f.status = 'open' AND f.due_on < ?1 AND m.deleted = 0
               AND (?2 IS NULL OR m.office_id = ?2) AND (?3 IS NULL OR m.prefecture_code = ?3)
             ORDER BY f.due_on, f.id"
        ))?;
        let overdue = stmt
            .query_map(rusqlite::params![to_s, office_id, pref], follow_up_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        Ok(CoordinationStats {
            from,
            to,
            meetings: tally.meetings,
            meetings_with_attendance: with_attendance,
            organisations_mean: mean,
            organisations_median: median,
            member_ngos_reached: tally.members_reached,
            other_organisations_reached: tally.others_reached,
            inactive_months: months,
            not_attended,
            overdue_follow_ups: overdue,
        })
    }
}
