//! What the Direct Relief reports state, computed here from the records, and
//! the calls that turn it into PDF. The figures are the same ones the app can
//! show on screen; the PDF only lays them out.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::Kizuna;
use crate::api::dashboard::PrefectureCount;
use crate::dates::{ProjectDate, check_order, parse_day};
use crate::error::{Error, Result};
use crate::model::grant::{GrantDetail, Indicator, PhaseDetail};
use crate::money::Money;
use crate::prefecture::{AFFECTED, Prefecture};
use crate::report::{self, Lang, PhaseData, ProfileData, ReportSite};

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
}

/// Which report to make, as the desktop app's save dialog sends it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportRequest {
    /// "profile" or "phase".
    pub kind: String,
    /// Required for a phase report.
    #[ts(optional)]
    pub phase_id: Option<String>,
    #[serde(default)]
    pub options: ReportOptions,
}

/// Progress of a report being made, for a progress bar.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReportProgress {
    /// "reading", "layout", "writing" or "done".
    pub stage: String,
    /// 0.0 to 1.0 over the whole job.
    pub fraction: f32,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReportSaved {
    pub path: String,
    pub bytes: u64,
}

/// A figure as the report states it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReportFigure {
    pub label_en: String,
    pub label_ja: String,
    /// "computed" (from the records, for the period) or "reported" (as a source published it).
    pub kind: String,
    /// The number, without qualifier: "50", "1000000".
    pub value: String,
    /// "over", "average", "about" or "exactly" for reported figures.
    pub qualifier: Option<String>,
    pub unit: Option<String>,
    /// Where a reported figure comes from; for computed ones, how it was computed.
    pub source: String,
}

/// One budget line against what was spent on it, in the grant's currency.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StatementLine {
    pub name_en: String,
    pub name_ja: Option<String>,
    pub code: Option<String>,
    /// None for spending booked to no budget line.
    pub budget: Option<Money>,
    pub spent_in_period: Money,
    /// Everything spent from the phase's start to the end of the period.
    pub spent_to_date: Money,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MonthSpend {
    /// YYYY-MM.
    pub month: String,
    pub spent: Money,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FinancialStatement {
    pub lines: Vec<StatementLine>,
    pub budget_total: Money,
    pub spent_in_period: Money,
    pub spent_to_date: Money,
    /// The phase's amount less everything spent to the end of the period.
    pub unspent: Money,
    pub by_month: Vec<MonthSpend>,
}

/// Every figure of a phase report, for a period.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PhaseFigures {
    pub phase_id: String,
    /// The period as the report states it: the phase's own dates (to the month
    /// where only the month is known) unless another period was asked for.
    pub period_start: ProjectDate,
    pub period_end: ProjectDate,
    /// Members whose membership overlaps the period.
    pub member_ngos: i64,
    /// Members running at least one site active in the period.
    pub members_with_active_site: i64,
    /// Sites active at any time in the period.
    pub active_sites: i64,
    /// The three affected prefectures always, then any other with a site.
    pub sites_by_prefecture: Vec<PrefectureCount>,
    /// The phase's recorded indicators, computed ones filled in for the period.
    pub indicators: Vec<ReportFigure>,
    pub finance: FinancialStatement,
}

const COMPUTED_SOURCE_EN: &str = "Computed from the Kizuna registry for the reporting period";

struct Period {
    start: NaiveDate,
    end: NaiveDate,
    shown_start: ProjectDate,
    shown_end: ProjectDate,
}

fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

impl Kizuna {
    fn report_lang(opts: &ReportOptions) -> Result<Lang> {
        match opts.lang.as_deref().map(|l| l.trim().to_ascii_lowercase()) {
            None => Ok(Lang::En),
            Some(l) if l.is_empty() || l == "en" => Ok(Lang::En),
            Some(l) if l == "ja" => Ok(Lang::Ja),
            Some(l) => Err(Error::invalid("lang", format!("unknown language '{l}': use en or ja"))),
        }
    }

    fn report_period(detail: &PhaseDetail, opts: &ReportOptions) -> Result<Period> {
        let given = |field: &str, v: &Option<String>| -> Result<Option<NaiveDate>> {
            match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(s) => parse_day(field, s).map(Some),
                None => Ok(None),
            }
        };
        let start = given("period_start", &opts.period_start)?;
        let end = given("period_end", &opts.period_end)?;
        let phase = &detail.phase;
        let p = Period {
            start: start.unwrap_or(phase.start.first_day()),
            end: end.unwrap_or(phase.end.last_day()),
            shown_start: start.map_or(phase.start, ProjectDate::Day),
            shown_end: end.map_or(phase.end, ProjectDate::Day),
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

    fn sites_active_in(&self, start: NaiveDate, end: NaiveDate) -> Result<Vec<ReportSite>> {
        // A site counts from its opening, or from its creation when it has no
        // dates, until it closed; a planned site has not operated yet.
        let mut stmt = self.store.conn().prepare_cached(
            "SELECT s.prefecture_code, s.name, s.name_en, s.municipality, s.member_id, m.name_en, m.name_ja
             FROM sites s LEFT JOIN members m ON m.id = s.member_id
             WHERE s.deleted = 0 AND coalesce(s.status, 'active') <> 'planned'
               AND coalesce(s.opened_on, s.created_on, '0000-01-01') <= ?2
               AND (s.closed_on IS NULL OR s.closed_on >= ?1)
             ORDER BY s.prefecture_code, s.municipality, s.name, s.id",
        )?;
        let rows = stmt.query_map(params![start.to_string(), end.to_string()], |r| {
            Ok(ReportSite {
                prefecture_code: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                name: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                name_en: r.get(2)?,
                municipality: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                member_id: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                member_en: r.get(5)?,
                member_ja: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
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

        // Totals are kept in the grant's currency, which expenditures are converted into.
        let currency = detail.budget_total.currency;
        let zero = Money::zero(currency);
        let mut in_period: BTreeMap<Option<&str>, Money> = BTreeMap::new();
        let mut to_date: BTreeMap<Option<&str>, Money> = BTreeMap::new();
        let mut months: BTreeMap<String, Money> = BTreeMap::new();
        let mut d = NaiveDate::from_ymd_opt(period.start.year(), period.start.month(), 1).unwrap_or(period.start);
        while d <= period.end {
            months.insert(month_key(d), zero);
            d = d.checked_add_months(chrono::Months::new(1)).unwrap_or(NaiveDate::MAX);
        }
        for e in &detail.expenditures {
            if e.spent_on > period.end {
                continue;
            }
            let key = e.budget_line_id.as_deref().filter(|l| detail.budget_lines.iter().any(|b| b.id == *l));
            let slot = to_date.entry(key).or_insert(zero);
            *slot = slot.add("spent", e.converted)?;
            if e.spent_on >= period.start {
                let slot = in_period.entry(key).or_insert(zero);
                *slot = slot.add("spent", e.converted)?;
                if let Some(m) = months.get_mut(&month_key(e.spent_on)) {
                    *m = m.add("by_month", e.converted)?;
                }
            }
        }
        let mut lines: Vec<StatementLine> = detail
            .budget_lines
            .iter()
            .map(|b| StatementLine {
                name_en: b.name_en.clone(),
                name_ja: b.name_ja.clone(),
                code: b.code.clone(),
                budget: Some(b.amount),
                spent_in_period: in_period.get(&Some(b.id.as_str())).copied().unwrap_or(zero),
                spent_to_date: to_date.get(&Some(b.id.as_str())).copied().unwrap_or(zero),
            })
            .collect();
        if to_date.contains_key(&None) {
            lines.push(StatementLine {
                name_en: "Not assigned to a budget line".into(),
                name_ja: Some("予算項目なし".into()),
                code: None,
                budget: None,
                spent_in_period: in_period.get(&None).copied().unwrap_or(zero),
                spent_to_date: to_date.get(&None).copied().unwrap_or(zero),
            });
        }
        let mut spent_in = zero;
        let mut spent_all = zero;
        for l in &lines {
            spent_in = spent_in.add("spent_in_period", l.spent_in_period)?;
            spent_all = spent_all.add("spent_to_date", l.spent_to_date)?;
        }
        let finance = FinancialStatement {
            budget_total: detail.budget_total,
            spent_in_period: spent_in,
            spent_to_date: spent_all,
            unspent: if detail.phase.amount.currency == currency { detail.phase.amount } else { zero }
                .sub("unspent", spent_all)?,
            by_month: months.into_iter().map(|(month, spent)| MonthSpend { month, spent }).collect(),
            lines,
        };
        Ok(PhaseFigures {
            phase_id: detail.phase.id.clone(),
            period_start: period.shown_start,
            period_end: period.shown_end,
            member_ngos: self.members_in(period.start, period.end)?,
            members_with_active_site,
            active_sites,
            sites_by_prefecture: by_pref,
            indicators,
            finance,
        })
    }

    fn phase_for_report(&self, phase_id: &str) -> Result<(GrantDetail, PhaseDetail)> {
        let id = phase_id.trim();
        let not_found = || Error::NotFound { entity: "phase", id: id.to_string() };
        let grant =
            self.grant_show(id).map_err(|e| if matches!(e, Error::NotFound { .. }) { not_found() } else { e })?;
        let phase = grant.phases.iter().find(|p| p.phase.id == id).cloned().ok_or_else(not_found)?;
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
        let (as_of, dated) = self.report_as_of(opts, std::slice::from_ref(&grant))?;
        let sites = self.sites_active_in(period.start, period.end)?;
        let figures = self.figures_for(&detail, &period, &sites)?;
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
        })
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
            relationship: self.indicators_for(None)?.iter().map(|i| figure_of(i, 0, 0)).collect(),
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

    /// Makes the requested report and writes it to `path` atomically: on any
    /// error nothing is written and an existing file is left as it was.
    pub fn report_save(
        &self,
        req: &ReportRequest,
        path: &Path,
        progress: &mut dyn FnMut(&ReportProgress),
    ) -> Result<ReportSaved> {
        let mut tell = |stage: &str, fraction: f32| progress(&ReportProgress { stage: stage.to_string(), fraction });
        tell("reading", 0.0);
        let bytes = match req.kind.trim() {
            "profile" => {
                let data = self.profile_data(&req.options)?;
                tell("layout", 0.2);
                report::profile::render(&data)?
            }
            "phase" => {
                let id = req
                    .phase_id
                    .as_deref()
                    .filter(|p| !p.trim().is_empty())
                    .ok_or_else(|| Error::invalid("phase_id", "is required for a phase report"))?;
                let data = self.phase_data(id, &req.options)?;
                tell("layout", 0.2);
                report::phase::render(&data, &mut |f| tell("layout", 0.2 + 0.7 * f))?
            }
            other => return Err(Error::invalid("kind", format!("unknown report '{other}': use profile or phase"))),
        };
        tell("writing", 0.9);
        crate::files::write_atomic(path, &bytes)?;
        tell("done", 1.0);
        Ok(ReportSaved { path: path.display().to_string(), bytes: bytes.len() as u64 })
    }
}

/// A recorded indicator as the report states it, computed ones filled in.
pub fn figure_of(i: &Indicator, members_with_active_site: i64, active_sites: i64) -> ReportFigure {
    if i.kind == "computed" {
        let value = match i.metric.as_deref() {
            Some("members_with_active_site") => members_with_active_site.to_string(),
            Some("active_sites") => active_sites.to_string(),
            _ => "n/a".to_string(),
        };
        return ReportFigure {
            label_en: i.label_en.clone(),
            label_ja: i.label_ja.clone(),
            kind: "computed".into(),
            value,
            qualifier: None,
            unit: None,
            source: COMPUTED_SOURCE_EN.into(),
        };
    }
    ReportFigure {
        label_en: i.label_en.clone(),
        label_ja: i.label_ja.clone(),
        kind: "reported".into(),
        value: i.value.clone().unwrap_or_default(),
        qualifier: i.qualifier.clone(),
        unit: i.unit.clone(),
        source: match (&i.source, &i.as_of) {
            (Some(s), Some(d)) => format!("{s} ({d})"),
            (Some(s), None) => s.clone(),
            (None, _) => "source not recorded".into(),
        },
    }
}
