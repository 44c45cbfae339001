//! The phase report's "Donation matching" block: offers received and
//! delivered by category, days from a need to its delivery, and what each
//! member received, as `api::matching_stats` computes them for the period.

use super::layout::{Align, BODY, Column, GREY, Layout, Row, SMALL};
use super::{Lang, PhaseData};
use crate::model::matching::CATEGORIES;
use crate::money::group_thousands;

fn category_name(lang: Lang, code: &str) -> String {
    CATEGORIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, en, ja)| lang.t(en, ja).to_string())
}

fn count(n: i64) -> String {
    group_thousands(&n.to_string())
}

/// Lays out the block, closing the coordination section.
pub fn section(l: &mut Layout, d: &PhaseData, period: &str) {
    let lang = d.lang;
    let m = &d.figures.matching;
    l.heading(lang.t("Donation matching", "寄付のマッチング"), 2, 120.0);
    let method = match lang {
        Lang::En => format!(
            "Computed from the offers, needs and matches recorded for {period}: offers by the day they were offered, deliveries by the day they were delivered (a partial delivery counts what was delivered). Days to delivery run from the day the need was raised."
        ),
        Lang::Ja => format!(
            "{period}に記録された提供・ニーズ・マッチングから算出。提供は提供日、配送は配送日で数える（一部配送は配送した数量）。配送までの日数はニーズ登録日から数える。"
        ),
    };
    l.paragraph(&method, SMALL.color(GREY), 0.0);
    l.space(4.0);
    if m.offers == 0 && m.deliveries == 0 {
        l.paragraph(
            lang.t(
                "No offers or deliveries are recorded for this period yet.",
                "この期間の提供・配送の記録はまだない。",
            ),
            BODY.color(GREY),
            0.0,
        );
        l.space(8.0);
        return;
    }
    let cols = [
        Column::new(lang.t("Category", "分野"), 0.32, Align::Left),
        Column::new(lang.t("Offers", "提供件数"), 0.17, Align::Right),
        Column::new(lang.t("Quantity offered", "提供数量"), 0.17, Align::Right),
        Column::new(lang.t("Deliveries", "配送件数"), 0.17, Align::Right),
        Column::new(lang.t("Quantity delivered", "配送数量"), 0.17, Align::Right),
    ];
    let mut rows: Vec<Row> = m
        .by_category
        .iter()
        .filter(|c| c.offers > 0 || c.deliveries > 0)
        .map(|c| {
            Row::new(vec![
                category_name(lang, &c.category),
                count(c.offers),
                count(c.offered_quantity),
                count(c.deliveries),
                count(c.delivered_quantity),
            ])
        })
        .collect();
    rows.push(Row::total(vec![
        lang.t("Total", "合計").to_string(),
        count(m.offers),
        String::new(),
        count(m.deliveries),
        String::new(),
    ]));
    l.table(&cols, rows, BODY);
    l.space(4.0);
    let days = |v: Option<rust_decimal::Decimal>| v.map_or_else(|| "–".to_string(), |d| d.normalize().to_string());
    let line = match lang {
        Lang::En => format!(
            "Days from need to delivery: mean {}, median {} (over {} deliveries).",
            days(m.days_to_delivery_mean),
            days(m.days_to_delivery_median),
            m.deliveries
        ),
        Lang::Ja => format!(
            "ニーズ登録から配送までの日数：平均{}日、中央値{}日（配送{}件）。",
            days(m.days_to_delivery_mean),
            days(m.days_to_delivery_median),
            m.deliveries
        ),
    };
    l.paragraph(&line, BODY, 0.0);
    if !m.by_member.is_empty() {
        l.heading(lang.t("What members received", "会員が受け取ったもの"), 3, 40.0);
        let cols = [
            Column::new(lang.t("Member NGO", "会員NGO"), 0.46, Align::Left),
            Column::new(lang.t("Category", "分野"), 0.26, Align::Left),
            Column::new(lang.t("Deliveries", "配送件数"), 0.12, Align::Right),
            Column::new(lang.t("Quantity", "数量"), 0.16, Align::Right),
        ];
        let rows = m.by_member.iter().map(|r| {
            let name = lang.name(r.name_en.as_deref().unwrap_or(""), r.name_ja.as_deref());
            let unit = r.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            Row::new(vec![
                name,
                category_name(lang, &r.category),
                count(r.deliveries),
                format!("{}{unit}", count(r.quantity)),
            ])
        });
        l.table(&cols, rows, SMALL);
    }
    if m.over_committed_offers > 0 {
        l.space(4.0);
        let note = match lang {
            Lang::En => format!(
                "{} offer(s) are over-committed (matched apart by two offices) and await a coordinator's decision.",
                m.over_committed_offers
            ),
            Lang::Ja => format!(
                "{}件の提供が超過割当（複数事務所による重複マッチング）となっており、調整待ち。",
                m.over_committed_offers
            ),
        };
        l.paragraph(&note, SMALL.color(GREY), 0.0);
    }
    l.space(8.0);
}
