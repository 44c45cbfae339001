//! The coordination figures: meetings held, organisations per meeting,
//! members reached, the outreach list and overdue follow-ups, for a period
//! and an office or prefecture. Computed from the records on every call.

use std::collections::{HashMap, HashSet};

use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::api::Kizuna;
use crate::api::meetings::{FOLLOW_UP_COLUMNS, FOLLOW_UP_FROM, follow_up_from_row};
use crate::api::members::opt_date;
use crate::dates::{check_order, parse_day};
use crate::error::Result;
use crate::model::meeting::{CoordinationQuery, CoordinationStats, OutreachMember};
use crate::prefecture::Prefecture;

/// Months without attendance after which a member is on the outreach list.
pub const DEFAULT_INACTIVE_MONTHS: u32 = 6;

/// Column `i` of a row as borrowed text (None for NULL), without a copy:
/// statistics read hundreds of thousands of attendance rows.
fn text_at<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(i)?
        .as_str_or_null()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

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
        let to = match q.to.as_deref().filter(|d| !d.trim().is_empty()) {
            Some(d) => parse_day("to", d)?,
            None => chrono::Local::now().date_naive(),
        };
        check_order("to", from, Some(to))?;
        let office =
            q.office.as_deref().filter(|o| !o.trim().is_empty()).map(|o| self.office_resolve(o)).transpose()?;
        let prefecture = q.prefecture.as_deref().filter(|p| !p.trim().is_empty()).map(Prefecture::parse).transpose()?;
        let months = q.inactive_months.unwrap_or(DEFAULT_INACTIVE_MONTHS).min(1200);
        let from_s = from.map(|d| d.to_string()).unwrap_or_default();
        let to_s = to.to_string();
        let office_id = office.as_ref().map(|o| o.id.as_str());
        let pref = prefecture.map(|p| p.code);

        // One pass over every meeting up to `to` and its attendance: the
        // period's figures from the meetings that match the filters, each
        // member's last attendance from all of them (a member who came to
        // another office's meeting has been reached).
        let conn = self.store.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT m.id, m.held_on, m.office_id, m.prefecture_code, a.member_id, a.organisation_id
             FROM meetings m LEFT JOIN meeting_attendance a ON a.meeting_id = m.id AND a.deleted = 0
             WHERE m.deleted = 0 AND m.held_on <= ?1
             ORDER BY m.id",
        )?;
        let mut rows = stmt.query([&to_s])?;
        let mut meetings = 0i64;
        let mut counts: Vec<i64> = Vec::new();
        let mut members_reached: HashSet<String> = HashSet::new();
        let mut others_reached: HashSet<String> = HashSet::new();
        let mut last_attended: HashMap<String, String> = HashMap::new();
        let mut current: Option<(String, bool, i64)> = None;
        while let Some(r) = rows.next()? {
            let id = text_at(r, 0)?.unwrap_or("");
            if current.as_ref().is_none_or(|(c, _, _)| c != id) {
                if let Some((_, true, n)) = current.take() {
                    counts.push(n);
                }
                let held = text_at(r, 1)?.unwrap_or("");
                let in_scope = held >= from_s.as_str()
                    && office_id.is_none_or(|o| text_at(r, 2).ok().flatten() == Some(o))
                    && pref.is_none_or(|p| text_at(r, 3).ok().flatten() == Some(p));
                if in_scope {
                    meetings += 1;
                }
                current = Some((id.to_string(), in_scope, 0));
            }
            let held = text_at(r, 1)?.unwrap_or("");
            let member = text_at(r, 4)?;
            let org = text_at(r, 5)?;
            if member.is_none() && org.is_none() {
                continue;
            }
            let Some((_, in_scope, n)) = current.as_mut() else { continue };
            if let Some(m) = member {
                match last_attended.get_mut(m) {
                    Some(last) if last.as_str() < held => *last = held.to_string(),
                    Some(_) => {}
                    None => {
                        last_attended.insert(m.to_string(), held.to_string());
                    }
                }
            }
            if *in_scope {
                *n += 1;
                if let Some(m) = member
                    && !members_reached.contains(m)
                {
                    members_reached.insert(m.to_string());
                }
                if let Some(o) = org
                    && !others_reached.contains(o)
                {
                    others_reached.insert(o.to_string());
                }
            }
        }
        if let Some((_, true, n)) = current {
            counts.push(n);
        }
        counts.retain(|n| *n > 0);
        let with_attendance = counts.len() as i64;
        let total: i64 = counts.iter().sum();
        let mean = (with_attendance > 0).then(|| one_place(Decimal::from(total) / Decimal::from(with_attendance)));
        let median = median(&mut counts);

        let cutoff = to.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN);
        let mut not_attended = Vec::new();
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
            let last = last_attended.get(&id).and_then(|d| opt_date(Some(d.clone())));
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
            meetings,
            meetings_with_attendance: with_attendance,
            organisations_mean: mean,
            organisations_median: median,
            member_ngos_reached: members_reached.len() as i64,
            other_organisations_reached: others_reached.len() as i64,
            inactive_months: months,
            not_attended,
            overdue_follow_ups: overdue,
        })
    }
}
