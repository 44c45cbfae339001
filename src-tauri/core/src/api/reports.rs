//! What the Direct Relief reports state, computed here from the records, and
//! the calls that turn it into PDF. The figures are the same ones the app can
//! show on screen; the PDF only lays them out.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::Kizuna;
use crate::api::site_activity::activity_sql;
use crate::dates::{ProjectDate, check_order, parse_day};
use crate::error::{Error, Result};
use crate::model::grant::{GrantDetail, PhaseDetail};
use crate::model::meeting::CoordinationQuery;
use crate::prefecture::{AFFECTED, Prefecture};
use crate::report::{self, Lang, PhaseData, ProfileData, ReportSite};

// The figures are plain data that `report/` lays out, so they live there.
use crate::report::figures::PrefectureCount;
pub use crate::report::figures::{
    CoordinationFigures, FinancialStatement, MonthSpend, PhaseFigures, ReportFigure, StatementLine, figure_of,
    note_source_conflicts,
};

/// Choices a person makes when asking for a report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportOptions {
    /// "en" (the donor's edition, the default) or "ja" (the network's own).
    #[ts(optional)]
    pub lang: Option<String>,
    /// First day of the reporting period (YYYY-MM-DD); the phase's start when absent.
    #[ts(optional)]
    pub period_start: Option<String>,
    /// Last day of the reporting period (YYYY-MM-DD); the phase's end when absent.
    #[ts(optional)]
    pub period_end: Option<String>,
    /// The date the report states it was prepared on, also its PDF creation
    /// date (YYYY-MM-DD). When absent, the date of the latest change in the
    /// records, so the same records always give the same document.
    #[ts(optional)]
    pub as_of: Option<String>,
    /// A final report for the donor: refused until the period's narrative
    /// and sign-off are complete. Otherwise the report is a marked draft.
    #[ts(optional)]
    pub final_report: Option<bool>,
}

/// Which report to make, as the desktop app's save dialog sends it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportRequest {
    pub kind: ReportKind,
    /// Required for a phase report.
    #[ts(optional)]
    pub phase_id: Option<String>,
    #[serde(default)]
    pub options: ReportOptions,
}

/// Which of the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportKind {
    /// The partner profile: the whole relationship, no period.
    Profile,
    /// A phase report, for the phase's dates or a chosen period.
    Phase,
}

/// Where a report being made has got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportStage {
    Reading,
    Layout,
    Writing,
    Done,
}

/// Progress of a report being made, for a progress bar.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReportProgress {
    pub stage: ReportStage,
    /// 0.0 to 1.0 over the whole job.
    pub fraction: f32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReportSaved {
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

struct Period {
    start: NaiveDate,
    end: NaiveDate,
    shown_start: ProjectDate,
    shown_end: ProjectDate,
}

impl Kizuna {
    fn report_lang(opts: &ReportOptions) -> Result<Lang> {
        Lang::parse(opts.lang.as_deref())
    }

    fn report_period(detail: &PhaseDetail, opts: &ReportOptions) -> Result<Period> {
        // A period may be given to the month (2014-04), as the third project's
        // dates are known: it then runs from the month's first day to its last.
        let given = |field: &str, v: &Option<String>| -> Result<Option<ProjectDate>> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => ProjectDate::parse(field, s).map(Some),
                None => Ok(None),
            }
        };
        let start = given("period_start", &opts.period_start)?;
        let end = given("period_end", &opts.period_end)?;
        let phase = &detail.phase;
        let p = Period {
            start: start.unwrap_or(phase.start).first_day(),
            end: end.unwrap_or(phase.end).last_day(),
            shown_start: start.unwrap_or(phase.start),
            shown_end: end.unwrap_or(phase.end),
        };
        check_order("period_end", Some(p.start), Some(p.end))?;
        Ok(p)
    }

    /// The date a report states, from the options or from the records: the
    /// latest change made on any office, else the latest date of the seeded
    /// grants (seed changes carry a fixed stamp that is no real date).
    fn report_as_of(&self, opts: &ReportOptions, overview: &[GrantDetail]) -> Result<(DateTime<Utc>, bool)> {
        if let Some(s) = opts.as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let d = parse_day("as_of", s)?;
            return Ok((d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(), true));
        }
        let latest: Option<i64> = self.store.conn().query_row(
            "SELECT max(hlc) FROM change_log WHERE origin <> ?1",
            [crate::seed::SEED_ORIGIN],
            |r| r.get(0),
        )?;
        if let Some(t) = latest.and_then(|h| crate::hlc::Stamp(h).time()) {
            return Ok((t, true));
        }
        let last_day = overview.iter().flat_map(|g| g.phases.iter()).map(|p| p.phase.end.last_day()).max();
        Ok((last_day.unwrap_or_default().and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(), false))
    }

    /// The sites active in the period by the one rule (`site_activity`),
    /// which the dashboard shares.
    fn sites_active_in(&self, start: NaiveDate, end: NaiveDate) -> Result<Vec<ReportSite>> {
        let conn = self.store.conn();
        // Members by id, looked up here rather than joined, and the sites read
        // in one pass over the table (NOT INDEXED): at 10k sites, walking the
        // prefecture index for the order and seeking each row in the table
        // was a twelfth of the report's process (callgrind).
        let mut members: HashMap<String, (Option<String>, Option<String>)> = HashMap::new();
        let mut stmt = conn.prepare_cached("SELECT id, name_en, name_ja FROM members")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?))))? {
            let (id, names) = row?;
            members.insert(id, names);
        }
        let activity = activity_sql(start, end, crate::dates::today());
        // The map draws a site closed when it closed by the period's end.
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT s.prefecture_code, s.name, s.name_en, s.municipality, s.member_id,
                    coalesce(s.status, 'active'), s.latitude, s.longitude,
                    coalesce(s.closed_on <= '{end}', s.status = 'closed', 0)
             FROM sites s NOT INDEXED
             WHERE s.deleted = 0 AND ({activity}) = 1
             ORDER BY s.prefecture_code, kz_municipality_code(s.prefecture_code, s.municipality), s.municipality,
                      kz_kana_key(s.name), s.id"
        ))?;
        let rows = stmt.query_map([], |r| {
            let member_id = r.get::<_, Option<String>>(4)?.unwrap_or_default();
            let (member_en, member_ja) = members.get(&member_id).cloned().unwrap_or_default();
            Ok(ReportSite {
                prefecture_code: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                name: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                name_en: r.get(2)?,
                municipality: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                member_id,
                member_en,
                member_ja,
                status: r.get(5)?,
                point: match (r.get::<_, Option<f64>>(6)?, r.get::<_, Option<f64>>(7)?) {
                    (Some(lat), Some(lon)) => Some((lat, lon)),
                    _ => None,
                },
                closed_in_period: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many sites' dates do not say whether they were active in the period.
    fn sites_activity_unknown(&self, start: NaiveDate, end: NaiveDate) -> Result<i64> {
        let activity = activity_sql(start, end, crate::dates::today());
        Ok(self.store.conn().query_row(
            &format!("SELECT count(*) FROM sites s WHERE s.deleted = 0 AND ({activity}) IS NULL"),
            [],
            |r| r.get(0),
        )?)
    }

    fn members_in(&self, start: NaiveDate, end: NaiveDate) -> Result<i64> {
        Ok(self.store.conn().query_row(
            "SELECT count(*) FROM members WHERE deleted = 0
               AND (joined_on IS NULL OR joined_on <= ?2) AND (left_on IS NULL OR left_on >= ?1)",
            params![start.to_string(), end.to_string()],
            |r| r.get(0),
        )?)
    }

    fn figures_for(&self, detail: &PhaseDetail, period: &Period, sites: &[ReportSite]) -> Result<PhaseFigures> {
        let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
        for s in sites {
            *counts.entry(s.prefecture_code.as_str()).or_default() += 1;
        }
        let mut by_pref = Vec::new();
        for code in AFFECTED.iter().copied().chain(counts.keys().copied().filter(|c| !AFFECTED.contains(c))) {
            let p = Prefecture::by_code(code).unwrap_or(Prefecture {
                code: "",
                name_en: "Unknown prefecture",
                name_ja: "不明",
            });
            by_pref.push(PrefectureCount {
                code: code.to_string(),
                name_en: p.name_en.to_string(),
                name_ja: p.name_ja.to_string(),
                count: counts.get(code).copied().unwrap_or(0),
            });
        }
        let mut members: Vec<&str> = sites.iter().map(|s| s.member_id.as_str()).collect();
        members.sort_unstable();
        members.dedup();
        let members_with_active_site = members.len() as i64;
        let active_sites = sites.len() as i64;

        let indicators =
            detail.indicators.iter().map(|i| figure_of(i, members_with_active_site, active_sites)).collect::<Vec<_>>();

        let finance = crate::api::finance::statement(detail, period.start, period.end)?;
        let coordination = self.coordination_for(period)?;
        let fund = self.fund_figures_for(period.start, period.end)?;
        let matching = self.matching_stats(&crate::model::matching::MatchingQuery {
            from: Some(period.start.to_string()),
            to: Some(period.end.to_string()),
        })?;
        Ok(PhaseFigures {
            coordination,
            fund,
            matching,
            phase_id: detail.phase.id.clone(),
            period_start: period.shown_start,
            period_end: period.shown_end,
            member_ngos: self.members_in(period.start, period.end)?,
            members_with_active_site,
            active_sites,
            sites_activity_unknown: self.sites_activity_unknown(period.start, period.end)?,
            sites_by_prefecture: by_pref,
            indicators,
            finance,
        })
    }

    fn coordination_for(&self, period: &Period) -> Result<CoordinationFigures> {
        let (from, to) = (period.start.to_string(), period.end.to_string());
        let stats = self.coordination_stats(&CoordinationQuery {
            from: Some(from.clone()),
            to: Some(to.clone()),
            ..Default::default()
        })?;
        let (list_organisations, list_companies) = self.lists_reach_total(&from, &to)?;
        let recommendations_submitted = self.store.conn().query_row(
            "SELECT count(*) FROM recommendations WHERE deleted = 0 AND submitted_on BETWEEN ?1 AND ?2",
            params![from, to],
            |r| r.get(0),
        )?;
        Ok(CoordinationFigures {
            meetings: stats.meetings,
            meetings_with_attendance: stats.meetings_with_attendance,
            organisations_mean: stats.organisations_mean,
            organisations_median: stats.organisations_median,
            member_ngos_reached: stats.member_ngos_reached,
            other_organisations_reached: stats.other_organisations_reached,
            overdue_follow_ups: stats.overdue_follow_ups.len() as i64,
            list_organisations,
            list_companies,
            recommendations_submitted,
        })
    }

    fn phase_for_report(&self, phase_id: &str) -> Result<(GrantDetail, PhaseDetail)> {
        let id = &self.resolve_id("phases", phase_id)?;
        let not_found = || Error::NotFound { entity: "phase", id: id.to_string() };
        let grant =
            self.grant_show(id).map_err(|e| if matches!(e, Error::NotFound { .. }) { not_found() } else { e })?;
        let phase = grant.phases.iter().find(|p| p.phase.id == *id).cloned().ok_or_else(not_found)?;
        Ok((grant, phase))
    }

    /// The figures a phase report states, for the UI or a script.
    pub fn report_phase_figures(&self, phase_id: &str, opts: &ReportOptions) -> Result<PhaseFigures> {
        let (_, detail) = self.phase_for_report(phase_id)?;
        let period = Self::report_period(&detail, opts)?;
        let sites = self.sites_active_in(period.start, period.end)?;
        self.figures_for(&detail, &period, &sites)
    }

    fn phase_data(&self, phase_id: &str, opts: &ReportOptions) -> Result<PhaseData> {
        let lang = Self::report_lang(opts)?;
        let (grant, detail) = self.phase_for_report(phase_id)?;
        let period = Self::report_period(&detail, opts)?;
        let (start, end) = (period.start.to_string(), period.end.to_string());
        let narrative = self.narrative_find(&detail.phase.id, Some(&start), Some(&end))?;
        let final_report = opts.final_report.unwrap_or(false);
        if final_report {
            match &narrative {
                None => {
                    return Err(Error::invalid(
                        "narrative",
                        format!(
                            "a final report needs the period's narrative and sign-off, and none is recorded for {start} – {end}: \
                             add it with `kizuna narrative set` (or the Reports screen), or export a draft"
                        ),
                    ));
                }
                Some(n) if !n.missing.is_empty() => {
                    return Err(Error::invalid(
                        "narrative",
                        format!(
                            "a final report needs the whole narrative and sign-off for {start} – {end}; missing: {}",
                            n.missing.join(", ")
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        let (as_of, dated) = self.report_as_of(opts, std::slice::from_ref(&grant))?;
        let sites = self.sites_active_in(period.start, period.end)?;
        let mut figures = self.figures_for(&detail, &period, &sites)?;
        let stated = self.reported_figures()?;
        note_source_conflicts(&mut figures.indicators, &stated);
        Ok(PhaseData {
            lang,
            profile: self.profile()?,
            donor: grant.donor.clone(),
            grant: grant.grant.clone(),
            detail,
            figures,
            sites,
            as_of,
            dated,
            narrative,
            final_report,
            sample: self.demo_records_in(period.start, period.end)?,
            offices: self.office_syncs()?,
        })
    }

    /// Every figure a source reported, of the relationship and of every phase.
    fn reported_figures(&self) -> Result<Vec<ReportFigure>> {
        let phases: Vec<Option<String>> = self
            .store
            .conn()
            .prepare(
                "SELECT DISTINCT phase_id FROM indicators WHERE deleted = 0 AND kind = 'reported' ORDER BY phase_id",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for p in phases {
            out.extend(
                self.indicators_for(p.as_deref())?.iter().filter(|i| i.kind == "reported").map(|i| figure_of(i, 0, 0)),
            );
        }
        Ok(out)
    }

    /// Whether the records a report for the period draws on include demo
    /// records (`kizuna demo`): members, fund donors, organisations or lists
    /// marked as such.
    fn demo_records_in(&self, start: NaiveDate, end: NaiveDate) -> Result<bool> {
        Ok(self.store.conn().query_row(
            "SELECT EXISTS (SELECT 1 FROM members WHERE deleted = 0 AND notes = ?1
                              AND (joined_on IS NULL OR joined_on <= ?3) AND (left_on IS NULL OR left_on >= ?2))
                 OR EXISTS (SELECT 1 FROM fund_donors WHERE deleted = 0 AND notes = ?1)
                 OR EXISTS (SELECT 1 FROM organisations WHERE deleted = 0 AND notes = ?1)
                 OR EXISTS (SELECT 1 FROM mailing_lists WHERE deleted = 0 AND description = ?1)",
            params![crate::api::demo::DEMO_NOTE, start.to_string(), end.to_string()],
            |r| r.get(0),
        )?)
    }

    /// Per office, when this replica last exchanged changes with it and the
    /// stamp of the latest change it holds from it.
    fn office_syncs(&self) -> Result<Vec<crate::report::signoff::OfficeSync>> {
        let conn = self.store.conn();
        let mut out = Vec::new();
        for o in self.office_list()? {
            let latest: Option<i64> =
                conn.query_row("SELECT max(hlc) FROM change_log WHERE origin = ?1", [&o.code], |r| r.get(0))?;
            let synced: Option<i64> = conn
                .query_row("SELECT last_sync_at FROM sync_peers WHERE peer = ?1", [&o.code], |r| r.get(0))
                .optional()?
                .flatten();
            out.push(crate::report::signoff::OfficeSync {
                this_office: o.code == self.office_code(),
                name_en: o.name_en,
                name_ja: o.name_ja,
                latest_change: latest.and_then(|h| crate::hlc::Stamp(h).time()),
                last_sync: synced.and_then(DateTime::<Utc>::from_timestamp_millis),
            });
        }
        Ok(out)
    }

    fn profile_data(&self, opts: &ReportOptions) -> Result<ProfileData> {
        let lang = Self::report_lang(opts)?;
        if opts.period_start.is_some() || opts.period_end.is_some() {
            return Err(Error::invalid(
                "period_start",
                "the partner profile covers the whole relationship and takes no period",
            ));
        }
        let overview = self.grant_list()?;
        let (as_of, dated) = self.report_as_of(opts, &overview.grants)?;
        Ok(ProfileData {
            lang,
            profile: self.profile()?,
            offices: self.office_list()?,
            relationship: {
                let mut figs: Vec<ReportFigure> =
                    self.indicators_for(None)?.iter().map(|i| figure_of(i, 0, 0)).collect();
                note_source_conflicts(&mut figs, &self.reported_figures()?);
                figs
            },
            overview,
            as_of,
            dated,
        })
    }

    /// The partner profile as PDF bytes.
    pub fn report_profile(&self, opts: &ReportOptions) -> Result<Vec<u8>> {
        report::profile::render(&self.profile_data(opts)?)
    }

    /// A phase report as PDF bytes.
    pub fn report_phase(&self, phase_id: &str, opts: &ReportOptions) -> Result<Vec<u8>> {
        report::phase::render(&self.phase_data(phase_id, opts)?, &mut |_| {})
    }

    /// A phase report's tables as an XLSX workbook, for the donor's finance team.
    pub fn report_phase_xlsx(&self, phase_id: &str, opts: &ReportOptions) -> Result<Vec<u8>> {
        report::xlsx::render(&self.phase_data(phase_id, opts)?)
    }

    /// [`Kizuna::report_phase_xlsx`] written to `path` atomically.
    pub fn report_save_xlsx(&self, phase_id: &str, opts: &ReportOptions, path: &Path) -> Result<ReportSaved> {
        let bytes = self.report_phase_xlsx(phase_id, opts)?;
        crate::files::write_atomic(path, &bytes)?;
        Ok(ReportSaved { path: path.display().to_string(), bytes: bytes.len() as u64 })
    }

    /// Makes the requested report and writes it to `path` atomically: on any
    /// error nothing is written and an existing file is left as it was.
    pub fn report_save(
        &self,
        req: &ReportRequest,
        path: &Path,
        progress: &mut dyn FnMut(&ReportProgress),
    ) -> Result<ReportSaved> {
        let mut tell = |stage: ReportStage, fraction: f32| progress(&ReportProgress { stage, fraction });
        tell(ReportStage::Reading, 0.0);
        let bytes = match req.kind {
            ReportKind::Profile => {
                let data = self.profile_data(&req.options)?;
                tell(ReportStage::Layout, 0.2);
                report::profile::render(&data)?
            }
            ReportKind::Phase => {
                let id = req
                    .phase_id
                    .as_deref()
                    .filter(|p| !p.trim().is_empty())
                    .ok_or_else(|| Error::invalid("phase_id", "is required for a phase report"))?;
                let data = self.phase_data(id, &req.options)?;
                tell(ReportStage::Layout, 0.2);
                report::phase::render(&data, &mut |f| tell(ReportStage::Layout, 0.2 + 0.7 * f))?
            }
        };
        tell(ReportStage::Writing, 0.9);
        crate::files::write_atomic(path, &bytes)?;
        tell(ReportStage::Done, 1.0);
        Ok(ReportSaved { path: path.display().to_string(), bytes: bytes.len() as u64 })
    }
}
