//! The figures the reports state and the app shows, as plain data: what
//! `api::reports` and `api::dashboard` compute from the records and this
//! module's siblings lay out. Here, not in `api/`, so that `report/` never
//! imports the API it sits under.

use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;

use crate::dates::ProjectDate;
use crate::model::grant::Indicator;
use crate::money::Money;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PrefectureCount {
    /// JIS code, or "other" for every prefecture outside the three.
    pub code: String,
    pub name_en: String,
    pub name_ja: String,
    #[ts(type = "number")]
    pub count: i64,
}

/// Where a figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FigureKind {
    /// From the records, for the period.
    Computed,
    /// As a source published it.
    Reported,
    /// Nothing is recorded for the period to compute it from: the report
    /// says so instead of stating a zero.
    NoRecords,
}

/// A figure as the report states it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ReportFigure {
    pub label_en: String,
    pub label_ja: String,
    pub kind: FigureKind,
    /// The number, without qualifier: "50", "1000000".
    pub value: String,
    /// "over", "average", "about" or "exactly" for reported figures.
    pub qualifier: Option<String>,
    pub unit: Option<String>,
    /// Where a reported figure comes from; for computed ones, how it was computed.
    pub source: String,
    /// What a reported figure measures, when the registry computes the same
    /// ("member_ngos", "active_sites"): the report sets the two side by side.
    pub metric: Option<String>,
    /// A note on the figure, e.g. that the source states two values for it.
    pub note_en: Option<String>,
    pub note_ja: Option<String>,
}

impl ReportFigure {
    /// A figure computed from the period's records.
    pub fn computed(label_en: &str, label_ja: &str, value: impl ToString, unit: Option<&str>) -> ReportFigure {
        ReportFigure {
            label_en: label_en.into(),
            label_ja: label_ja.into(),
            kind: FigureKind::Computed,
            value: value.to_string(),
            qualifier: None,
            unit: unit.map(String::from),
            source: String::new(),
            metric: None,
            note_en: None,
            note_ja: None,
        }
    }

    /// A figure that cannot be computed because the period has no records of its kind.
    pub fn no_records(label_en: &str, label_ja: &str) -> ReportFigure {
        ReportFigure { kind: FigureKind::NoRecords, ..ReportFigure::computed(label_en, label_ja, "", None) }
    }

    /// Computed, or [`ReportFigure::no_records`] when `records` is false.
    pub fn computed_if(
        records: bool,
        label_en: &str,
        label_ja: &str,
        value: impl ToString,
        unit: Option<&str>,
    ) -> ReportFigure {
        if records {
            ReportFigure::computed(label_en, label_ja, value, unit)
        } else {
            ReportFigure::no_records(label_en, label_ja)
        }
    }
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
    /// `budget` less `spent_to_date`; negative when overspent.
    pub remaining: Option<Money>,
    /// More spent to the period's end than budgeted on this line.
    pub overspent: bool,
    /// Why spending differs from the budget, as HQ recorded it.
    pub variance_note: Option<String>,
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
    /// The budget total less everything spent to the end of the period.
    pub remaining: Money,
    /// More spent than the budget lines' total (false without budget lines).
    pub over_budget: bool,
    /// More spent than the amount granted: `unspent` is negative.
    pub overspent: bool,
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
    #[ts(type = "number")]
    pub member_ngos: i64,
    /// Members running at least one site active in the period.
    #[ts(type = "number")]
    pub members_with_active_site: i64,
    /// Sites active at any time in the period.
    #[ts(type = "number")]
    pub active_sites: i64,
    /// Sites whose dates do not say whether they were active in the period
    /// (no opening date, or closed on an unknown day): stated, not counted.
    #[ts(type = "number")]
    pub sites_activity_unknown: i64,
    /// The three affected prefectures always, then any other with a site.
    pub sites_by_prefecture: Vec<PrefectureCount>,
    /// The phase's recorded indicators, computed ones filled in for the period.
    pub indicators: Vec<ReportFigure>,
    pub finance: FinancialStatement,
    pub coordination: CoordinationFigures,
    pub fund: crate::report::fund::FundFigures,
    /// Donation matching for the period (its own block in section 2).
    pub matching: crate::model::matching::MatchingStats,
}

/// What the coordination records give for a period: the computed
/// counterparts of the source's "an average of 20 organizations" per
/// meeting and "over 100 organizations and companies" on the mailing list.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CoordinationFigures {
    #[ts(type = "number")]
    pub meetings: i64,
    /// Meetings with attendance recorded: the per-meeting figures are over these.
    #[ts(type = "number")]
    pub meetings_with_attendance: i64,
    #[ts(type = "string | null")]
    pub organisations_mean: Option<Decimal>,
    #[ts(type = "string | null")]
    pub organisations_median: Option<Decimal>,
    #[ts(type = "number")]
    pub member_ngos_reached: i64,
    #[ts(type = "number")]
    pub other_organisations_reached: i64,
    /// Open follow-ups due before the period's end.
    #[ts(type = "number")]
    pub overdue_follow_ups: i64,
    /// Distinct organisations (member NGOs and others) with a contact on any
    /// mailing list at some time in the period, and of them the companies.
    #[ts(type = "number")]
    pub list_organisations: i64,
    #[ts(type = "number")]
    pub list_companies: i64,
    /// Policy recommendations submitted in the period.
    #[ts(type = "number")]
    pub recommendations_submitted: i64,
}

const COMPUTED_SOURCE_EN: &str = "Computed from the Kizuna registry for the reporting period";

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
            kind: FigureKind::Computed,
            value,
            qualifier: None,
            unit: None,
            source: COMPUTED_SOURCE_EN.into(),
            metric: i.metric.clone(),
            note_en: None,
            note_ja: None,
        };
    }
    ReportFigure {
        label_en: i.label_en.clone(),
        label_ja: i.label_ja.clone(),
        kind: FigureKind::Reported,
        value: i.value.clone().unwrap_or_default(),
        qualifier: i.qualifier.clone(),
        unit: i.unit.clone(),
        source: match (&i.source, &i.as_of) {
            (Some(s), Some(d)) => format!("{s} ({d})"),
            (Some(s), None) => s.clone(),
            (None, _) => "source not recorded".into(),
        },
        metric: i.metric.clone(),
        note_en: None,
        note_ja: None,
    }
}

/// Marks each reported figure in `figs` whose source states another value
/// for the same measure elsewhere in `stated` (the profile's "over 40"
/// organisations against the phase's "over 50"): the report states the
/// figure once, with a note that the source states both.
pub fn note_source_conflicts(figs: &mut [ReportFigure], stated: &[ReportFigure]) {
    use crate::report::{Lang, figure_value};
    for f in figs.iter_mut().filter(|f| f.kind == FigureKind::Reported) {
        let Some(metric) = f.metric.as_deref() else { continue };
        let same = |o: &&ReportFigure| o.kind == FigureKind::Reported && o.metric.as_deref() == Some(metric);
        let mut others: Vec<&ReportFigure> = Vec::new();
        for o in stated.iter().filter(same) {
            let differs = (o.value.as_str(), o.qualifier.as_deref()) != (f.value.as_str(), f.qualifier.as_deref());
            if differs && !others.iter().any(|x| x.value == o.value && x.qualifier == o.qualifier) {
                others.push(o);
            }
        }
        if others.is_empty() {
            continue;
        }
        let list = |lang: Lang| others.iter().map(|o| figure_value(lang, o)).collect::<Vec<_>>();
        f.note_en =
            Some(format!("The source states both {} and {}.", figure_value(Lang::En, f), list(Lang::En).join(" and ")));
        f.note_ja =
            Some(format!("出典には{}と{}の両方の記載がある。", figure_value(Lang::Ja, f), list(Lang::Ja).join("と")));
    }
}
