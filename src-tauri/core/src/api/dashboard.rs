//! The figures the dashboard shows, all computed here.

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use crate::api::Kizuna;
use crate::api::site_activity::activity_sql;
use crate::error::Result;
use crate::money::Money;
use crate::prefecture::{AFFECTED, Prefecture};
pub use crate::report::figures::PrefectureCount;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PhaseProgress {
    pub phase_id: String,
    pub grant_id: String,
    pub title_en: String,
    pub title_ja: String,
    pub start: crate::dates::ProjectDate,
    pub end: crate::dates::ProjectDate,
    pub amount: Money,
    pub spent: Money,
    pub unspent: Money,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Dashboard {
    pub office: String,
    #[ts(type = "number")]
    pub members: i64,
    #[ts(type = "number")]
    pub sites: i64,
    #[ts(type = "number")]
    pub active_sites: i64,
    /// Sites whose dates do not say whether they are active today (closed
    /// at an unknown day, ...): neither counted nor dropped, stated.
    #[ts(type = "number")]
    pub activity_unknown: i64,
    pub active_sites_by_prefecture: Vec<PrefectureCount>,
    pub phases: Vec<PhaseProgress>,
    pub total_granted: Vec<Money>,
    /// This installation's changes not yet sent to any other replica.
    #[ts(type = "number")]
    pub unsynced_changes: i64,
    /// Reports not yet sent that are due within [`REPORTS_DUE_DAYS`] days,
    /// or overdue, soonest first.
    pub reports_due: Vec<DueReport>,
    /// Tranches not yet received, by expected date.
    pub tranches_pending: Vec<PendingTranche>,
}

/// How far ahead the dashboard looks for reports due.
pub const REPORTS_DUE_DAYS: i64 = 60;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DueReport {
    pub id: String,
    pub phase_id: String,
    pub phase_title_en: String,
    pub phase_title_ja: String,
    pub label_en: String,
    pub label_ja: Option<String>,
    pub due_on: NaiveDate,
    /// Days from today to the due date; negative when overdue.
    #[ts(type = "number")]
    pub days_left: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PendingTranche {
    pub id: String,
    pub phase_id: String,
    pub phase_title_en: String,
    pub phase_title_ja: String,
    pub amount: Money,
    pub expected_on: Option<NaiveDate>,
    /// Expected before today and not received.
    pub overdue: bool,
}

impl Kizuna {
    pub fn dashboard(&self) -> Result<Dashboard> {
        let conn = self.store.conn();
        let members: i64 = conn.query_row("SELECT count(*) FROM members WHERE deleted = 0", [], |r| r.get(0))?;
        let sites: i64 = conn.query_row("SELECT count(*) FROM sites WHERE deleted = 0", [], |r| r.get(0))?;
        let mut by_pref = Vec::new();
        let mut other = 0;
        // Active today, by the one rule the reports use.
        let today = crate::dates::today();
        let activity = activity_sql(today, today, today);
        let mut stmt = conn.prepare(&format!(
            "SELECT s.prefecture_code, count(*) FROM sites s WHERE s.deleted = 0 AND ({activity}) = 1 GROUP BY s.prefecture_code"
        ))?;
        let counts: Vec<(Option<String>, i64)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        let activity_unknown: i64 = conn.query_row(
            &format!("SELECT count(*) FROM sites s WHERE s.deleted = 0 AND ({activity}) IS NULL"),
            [],
            |r| r.get(0),
        )?;
        for code in AFFECTED {
            let p = Prefecture::by_code(code).unwrap_or(Prefecture { code, name_en: code, name_ja: code });
            let count = counts.iter().find(|(c, _)| c.as_deref() == Some(code)).map_or(0, |(_, n)| *n);
            by_pref.push(PrefectureCount {
                code: code.into(),
                name_en: p.name_en.into(),
                name_ja: p.name_ja.into(),
                count,
            });
        }
        for (c, n) in &counts {
            if !AFFECTED.contains(&c.as_deref().unwrap_or("")) {
                other += n;
            }
        }
        by_pref.push(PrefectureCount {
            code: "other".into(),
            name_en: "Other prefectures".into(),
            name_ja: "その他の都道府県".into(),
            count: other,
        });
        let active_sites = counts.iter().map(|(_, n)| n).sum();

        let overview = self.grant_list()?;
        let today = crate::dates::today();
        let mut reports_due = Vec::new();
        let mut tranches_pending = Vec::new();
        for p in overview.grants.iter().flat_map(|g| g.phases.iter()) {
            for d in p.report_dues.iter().filter(|d| d.submitted_on.is_none()) {
                let days_left = (d.due_on - today).num_days();
                if days_left <= REPORTS_DUE_DAYS {
                    reports_due.push(DueReport {
                        id: d.id.clone(),
                        phase_id: p.phase.id.clone(),
                        phase_title_en: p.phase.title_en.clone(),
                        phase_title_ja: p.phase.title_ja.clone(),
                        label_en: d.label_en.clone(),
                        label_ja: d.label_ja.clone(),
                        due_on: d.due_on,
                        days_left,
                    });
                }
            }
            for t in p.tranches.iter().filter(|t| t.received_on.is_none()) {
                tranches_pending.push(PendingTranche {
                    id: t.id.clone(),
                    phase_id: p.phase.id.clone(),
                    phase_title_en: p.phase.title_en.clone(),
                    phase_title_ja: p.phase.title_ja.clone(),
                    amount: t.amount,
                    expected_on: t.expected_on,
                    overdue: t.expected_on.is_some_and(|e| e < today),
                });
            }
        }
        reports_due.sort_by(|a, b| a.due_on.cmp(&b.due_on).then_with(|| a.id.cmp(&b.id)));
        tranches_pending.sort_by(|a, b| a.expected_on.cmp(&b.expected_on).then_with(|| a.id.cmp(&b.id)));
        let phases = overview
            .grants
            .iter()
            .flat_map(|g| g.phases.iter())
            .map(|p| PhaseProgress {
                phase_id: p.phase.id.clone(),
                grant_id: p.phase.grant_id.clone(),
                title_en: p.phase.title_en.clone(),
                title_ja: p.phase.title_ja.clone(),
                start: p.phase.start,
                end: p.phase.end,
                amount: p.phase.amount,
                spent: p.spent_total,
                unspent: p.unspent,
            })
            .collect();
        Ok(Dashboard {
            office: self.office_code().to_string(),
            members,
            sites,
            active_sites,
            activity_unknown,
            active_sites_by_prefecture: by_pref,
            phases,
            total_granted: overview.totals,
            unsynced_changes: self.unsynced_changes()?,
            reports_due,
            tranches_pending,
        })
    }

    /// Changes made here not yet sent (change-log entries: one per written
    /// row): sync moves `local_meta.sent_seq` when a hub has committed a
    /// pushed page, or when a bundle is written.
    pub fn unsynced_changes(&self) -> Result<i64> {
        let sent: i64 = self.store.meta("sent_seq")?.and_then(|s| s.parse().ok()).unwrap_or(0);
        Ok(self.store.conn().query_row(
            "SELECT count(*) FROM change_log WHERE origin = ?1 AND seq > ?2",
            rusqlite::params![self.office_code(), sent],
            |r| r.get(0),
        )?)
    }
}
