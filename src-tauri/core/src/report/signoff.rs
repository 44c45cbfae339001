//! The phase report's sign-off: who prepared the report, in what role and
//! when, who approved it, the time the records were taken, and how current
//! each office's records were (when this replica last exchanged changes with
//! it, and the latest change it holds from it).

use chrono::{DateTime, Utc};

use super::PhaseData;
use super::layout::{Align, BODY, Column, GREY, Layout, Row, SMALL};

/// How current one office's records are in this replica.
#[derive(Debug, Clone)]
pub struct OfficeSync {
    pub name_en: String,
    pub name_ja: String,
    /// The replica the report was made on.
    pub this_office: bool,
    /// Stamp of the latest change held that this office made.
    pub latest_change: Option<DateTime<Utc>>,
    /// Last exchange (hub sync or bundle) between this replica and the office.
    pub last_sync: Option<DateTime<Utc>>,
}

fn time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The section, numbered `number`.
pub fn section(l: &mut Layout, d: &PhaseData, number: &str) {
    let lang = d.lang;
    l.heading(&format!("{number} {}", lang.t("Sign-off", "承認")), 1, 160.0);
    let n = d.narrative.as_ref();
    let none = || lang.t("not recorded", "未記入").to_string();
    let person = |name: &Option<String>, en: &Option<String>, ja: &Option<String>| match name {
        Some(p) => match lang.text(en.as_deref(), ja.as_deref()) {
            Some(t) => format!("{p}, {t}"),
            None => p.clone(),
        },
        None => none(),
    };
    let day = |d: Option<chrono::NaiveDate>| d.map_or_else(none, |d| lang.date(crate::dates::ProjectDate::Day(d)));
    let records = if d.dated {
        time(d.as_of)
    } else {
        lang.t("the embedded source data set (no change made yet)", "収録の出典データ（変更なし）").to_string()
    };
    l.facts(
        &[
            (
                lang.t("Prepared by", "作成者").into(),
                n.map_or_else(none, |n| person(&n.prepared_by, &n.preparer_title_en, &n.preparer_title_ja)),
            ),
            (lang.t("Date prepared", "作成日").into(), day(n.and_then(|n| n.prepared_on))),
            (
                lang.t("Approved by", "承認者").into(),
                n.map_or_else(none, |n| person(&n.approved_by, &n.approver_title_en, &n.approver_title_ja)),
            ),
            (lang.t("Date approved", "承認日").into(), day(n.and_then(|n| n.approved_on))),
            (lang.t("Records taken as of", "記録の取得時点").into(), records),
        ],
        140.0,
    );
    l.space(6.0);
    l.paragraph(
        lang.t(
            "How current each office's records are in the replica this report was made from: the latest change held from the office, and when the two last exchanged changes.",
            "この報告書を作成したデータベースにおける各事務所の記録の鮮度：保持している最新の変更と、最後に同期した日時。",
        ),
        SMALL.color(GREY),
        0.0,
    );
    let cols = [
        Column::new(lang.t("Office", "事務所"), 0.36, Align::Left),
        Column::new(lang.t("Latest change held", "保持する最新の変更"), 0.32, Align::Left),
        Column::new(lang.t("Last sync", "最終同期"), 0.32, Align::Left),
    ];
    let rows = d.offices.iter().map(|o| {
        let synced = if o.this_office {
            lang.t("this replica", "このデータベース").to_string()
        } else {
            o.last_sync.map_or_else(|| lang.t("never synced with this replica", "未同期").to_string(), time)
        };
        Row::new(vec![
            lang.name(&o.name_en, Some(&o.name_ja)),
            o.latest_change.map_or_else(|| lang.t("no change recorded", "変更の記録なし").to_string(), time),
            synced,
        ])
    });
    l.table(&cols, rows, BODY);
    l.space(8.0);
}
