//! The phase report's pooled relief fund section: what the fund's records
//! give for the period (donors, gifts per currency, distributions), each
//! beside the figure the source reported ("over 1,500 donors have
//! contributed over $1 million"). Its figures are plain data, filled in by
//! `api::reports` from the ledger.

use serde::Serialize;
use ts_rs::TS;

use super::layout::{BODY, GREY, Layout, SMALL};
use super::profile::figures_table;
use super::{Lang, PhaseData};
use crate::money::{Currency, Money};
use crate::report::figures::ReportFigure;

/// The reported figures this section gives computed counterparts of.
pub const DONORS_FIGURE_EN: &str = "Donors to the pooled relief fund";
pub const TOTAL_FIGURE_EN: &str = "Contributed to the pooled relief fund";

/// What the fund's records give for a report's period.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FundFigures {
    /// Distinct donors with a gift in the period.
    #[ts(type = "number")]
    pub donors: i64,
    #[ts(type = "number")]
    pub gifts: i64,
    /// Gifts received in the period, JPY then USD, each in the currency it was received in.
    pub received: Vec<Money>,
    /// Distributed to members in the period, JPY then USD.
    pub distributed: Vec<Money>,
    #[ts(type = "number")]
    pub distributions: i64,
    /// Members that have received from the fund by the period's end.
    #[ts(type = "number")]
    pub members_paid: i64,
}

fn of(list: &[Money], c: Currency) -> Money {
    list.iter().find(|m| m.currency == c).copied().unwrap_or(Money::zero(c))
}

/// The section, numbered `number`.
pub fn section(l: &mut Layout, d: &PhaseData, period: &str, number: &str) {
    let lang = d.lang;
    let f = &d.figures.fund;
    l.heading(&format!("{number} {}", lang.t("Pooled relief fund", "共同募金")), 1, 200.0);
    let method = match lang {
        Lang::En => format!(
            "Computed from the gifts and distributions recorded in the pooled relief fund for {period}. Donors are counted once however many gifts they made. Gifts are stated in the currency they were received in: yen gifts are not converted into the US dollar figure."
        ),
        Lang::Ja => format!(
            "{period}に共同募金に記録された寄付と配分から算出。寄付者は寄付の回数によらず一人と数える。寄付は受領した通貨のまま示し、円の寄付は米ドルの数値に換算していない。"
        ),
    };
    l.paragraph(&method, SMALL.color(GREY), 0.0);
    if f.gifts == 0 && f.distributions == 0 {
        l.space(4.0);
        l.paragraph(
            lang.t(
                "No gifts or distributions are recorded in the fund for this period yet: only the figures as reported can be stated.",
                "この期間の共同募金の寄付・配分の記録はまだない。報告値のみを示す。",
            ),
            BODY.color(GREY),
            0.0,
        );
    }
    l.space(6.0);
    let reported = |label: &'static str| d.figures.indicators.iter().filter(move |i| i.label_en == label).cloned();
    let money_value = |m: Money| m.amount.to_string();
    // Without gifts (or distributions) in the period there is nothing to
    // count: the table says so rather than stating zeros.
    let gave = f.gifts > 0;
    let mut figs = vec![ReportFigure::computed_if(
        gave,
        "Donors who gave in the period",
        "期間中の寄付者",
        f.donors,
        Some("donors"),
    )];
    figs.extend(reported(DONORS_FIGURE_EN));
    figs.push(ReportFigure::computed_if(gave, "Gifts received in the period", "期間中の寄付件数", f.gifts, None));
    figs.push(ReportFigure::computed_if(
        gave,
        "Received in US dollars",
        "米ドルでの寄付受領額",
        money_value(of(&f.received, Currency::USD)),
        Some("USD"),
    ));
    figs.extend(reported(TOTAL_FIGURE_EN));
    figs.push(ReportFigure::computed_if(
        gave,
        "Received in yen (not converted)",
        "円での寄付受領額（換算なし）",
        money_value(of(&f.received, Currency::JPY)),
        Some("JPY"),
    ));
    for c in [Currency::JPY, Currency::USD] {
        let (en, ja) = match c {
            Currency::JPY => ("Distributed to member NGOs (yen)", "会員NGOへの配分額（円）"),
            Currency::USD => ("Distributed to member NGOs (US dollars)", "会員NGOへの配分額（米ドル）"),
        };
        figs.push(ReportFigure::computed_if(
            f.distributions > 0,
            en,
            ja,
            money_value(of(&f.distributed, c)),
            Some(c.code()),
        ));
    }
    figs.push(ReportFigure::computed_if(
        f.members_paid > 0,
        "Member NGOs that have received from the fund by the period's end",
        "期末までに配分を受けた会員NGO",
        f.members_paid,
        None,
    ));
    figures_table(l, lang, &figs);
    l.space(8.0);
}
