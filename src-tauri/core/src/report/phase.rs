//! The phase report: what a phase funded and achieved in a period, with its
//! money, for the donor.

use rust_decimal::prelude::ToPrimitive;

use super::layout::{Align, BODY, CELL_PAD_X, CONTENT_W, Column, GREY, Layout, Row, SMALL, STAMP, Style};
use super::profile::{figures_table, page_label};
use super::{Lang, PhaseData, as_of_label, chart, font, money, pdf};
use crate::error::Result;
use crate::money::Money;
use crate::prefecture::Prefecture;
use crate::report::figures::{FigureKind, ReportFigure};

fn pref_name(lang: Lang, code: &str) -> String {
    match Prefecture::by_code(code) {
        Some(p) => lang.name(p.name_en, Some(p.name_ja)),
        None => lang.t("Unknown prefecture", "不明な都道府県").to_string(),
    }
}

fn f64_of(m: Money) -> f64 {
    m.amount.to_f64().unwrap_or(0.0)
}

/// Section 1's figures, each once: a computed figure, then what the source
/// reported for the same measure. The phase's computed indicators are these
/// rows; the coordination and fund figures are stated in their sections.
pub(crate) fn summary_figures(d: &PhaseData) -> Vec<ReportFigure> {
    let f = &d.figures;
    let sites = f.active_sites > 0;
    let reported = |metric: &'static str| {
        f.indicators
            .iter()
            .filter(move |i| i.kind == FigureKind::Reported && i.metric.as_deref() == Some(metric))
            .cloned()
    };
    let mut figs = vec![ReportFigure::computed_if(
        f.member_ngos > 0,
        "Member NGOs (membership overlapping the period)",
        "会員NGO（期間中に在籍）",
        f.member_ngos,
        None,
    )];
    figs.extend(reported("member_ngos"));
    figs.push(ReportFigure::computed_if(
        sites,
        "Member NGOs with a site active in the period",
        "期間中に活動拠点を持つ会員NGO",
        f.members_with_active_site,
        None,
    ));
    figs.push(ReportFigure::computed_if(
        sites,
        "Sites active in the period",
        "期間中に活動した拠点",
        f.active_sites,
        None,
    ));
    figs.extend(reported("active_sites"));
    // Unknown is stated, never folded into "not active" (one rule: site_activity).
    if f.sites_activity_unknown > 0 {
        figs.push(ReportFigure::computed(
            "Sites whose dates do not say whether they were active (unknown)",
            "期間中の活動が日付から不明な拠点",
            f.sites_activity_unknown,
            None,
        ));
    }
    for c in &f.sites_by_prefecture {
        figs.push(ReportFigure::computed_if(
            sites,
            &format!("Sites active in {} ({})", c.name_en, c.name_ja),
            &format!("{}の活動拠点", c.name_ja),
            c.count,
            None,
        ));
    }
    let elsewhere = [
        crate::seed::MEETING_FIGURE_EN,
        crate::seed::LIST_FIGURE_EN,
        super::fund::DONORS_FIGURE_EN,
        super::fund::TOTAL_FIGURE_EN,
    ];
    figs.extend(
        f.indicators
            .iter()
            .filter(|i| i.kind == FigureKind::Reported)
            .filter(|i| !matches!(i.metric.as_deref(), Some("member_ngos" | "active_sites")))
            .filter(|i| !elsewhere.contains(&i.label_en.as_str()))
            .cloned(),
    );
    figs
}

/// Section 2: what the meetings, attendance and mailing lists recorded for
/// the period give, each beside the figure the source reported.
fn coordination(l: &mut Layout, d: &PhaseData, period: &str) {
    let lang = d.lang;
    let c = &d.figures.coordination;
    // The method note and the first rows of the table stay with the heading.
    l.heading(lang.t("2. Coordination", "2. 調整・連携"), 1, 220.0);
    let method = match lang {
        Lang::En => format!(
            "Computed from the meetings, attendance and mailing lists recorded for {period}. Organisations per meeting count the member NGOs and other organisations recorded as attending, over the meetings whose attendance was recorded."
        ),
        Lang::Ja => format!(
            "{period}に記録された会議・出席・メーリングリストから算出。会議ごとの参加団体数は、出席を記録した会議について、出席した会員NGOとその他の団体を数える。"
        ),
    };
    l.paragraph(&method, SMALL.color(GREY), 0.0);
    if c.meetings == 0 && c.list_organisations == 0 {
        l.space(4.0);
        l.paragraph(
            lang.t(
                "No meetings or mailing list subscriptions are recorded for this period yet: only the figures as reported can be stated.",
                "この期間の会議・メーリングリストの記録はまだない。報告値のみを示す。",
            ),
            BODY.color(GREY),
            0.0,
        );
    }
    l.space(6.0);
    let decimal = |v: Option<rust_decimal::Decimal>| v.map_or_else(|| "–".to_string(), |d| d.normalize().to_string());
    let has_mean = c.organisations_mean.is_some();
    // Without meetings (or lists) in the period there is nothing to count:
    // the table says so rather than stating zeros.
    let met = c.meetings > 0;
    let listed = c.list_organisations > 0;
    let mut figs = vec![
        ReportFigure::computed_if(met, "Meetings held", "開催した会議", c.meetings, None),
        ReportFigure {
            qualifier: has_mean.then(|| "average".into()),
            ..ReportFigure::computed_if(
                met,
                "Organizations per meeting (mean)",
                "会議ごとの参加団体数（平均）",
                decimal(c.organisations_mean),
                has_mean.then_some("organizations"),
            )
        },
        ReportFigure::computed_if(
            met,
            "Organizations per meeting (median)",
            "会議ごとの参加団体数（中央値）",
            decimal(c.organisations_median),
            has_mean.then_some("organizations"),
        ),
        ReportFigure::computed_if(
            met,
            "Member NGOs at one or more meetings",
            "会議に参加した会員NGO",
            c.member_ngos_reached,
            None,
        ),
        ReportFigure::computed_if(
            met,
            "Other organizations at one or more meetings",
            "会議に参加したその他の団体",
            c.other_organisations_reached,
            None,
        ),
    ];
    figs.extend(d.figures.indicators.iter().filter(|i| i.label_en == crate::seed::MEETING_FIGURE_EN).cloned());
    figs.push(ReportFigure::computed_if(
        listed,
        "Organizations and companies on the mailing lists",
        "メーリングリスト参加団体・企業",
        c.list_organisations,
        None,
    ));
    figs.extend(d.figures.indicators.iter().filter(|i| i.label_en == crate::seed::LIST_FIGURE_EN).cloned());
    figs.push(ReportFigure::computed_if(listed, "Of which companies", "うち企業", c.list_companies, None));
    figs.push(ReportFigure::computed_if(
        c.recommendations_submitted > 0,
        "Policy recommendations submitted",
        "提出した政策提言",
        c.recommendations_submitted,
        None,
    ));
    figs.push(ReportFigure::computed_if(
        met,
        "Follow-up actions overdue at the period's end",
        "期間末時点で期限を過ぎた申し合わせ事項",
        c.overdue_follow_ups,
        None,
    ));
    figures_table(l, lang, &figs);
    l.space(8.0);
}

/// A budget line's name as the statement prints it, its code first.
fn line_name(lang: Lang, line: &crate::report::figures::StatementLine) -> String {
    let name = lang.name(&line.name_en, line.name_ja.as_deref());
    match &line.code {
        Some(c) => format!("{c} {name}"),
        None => name,
    }
}

/// What overspending the statement shows, said once in words, and the
/// variance explanation HQ recorded for each budget line (an overspent line
/// without one says so).
fn overspend_notes(l: &mut Layout, d: &PhaseData) {
    let lang = d.lang;
    let fin = &d.figures.finance;
    let over: Vec<_> = fin.lines.iter().filter(|x| x.overspent).collect();
    if fin.overspent || fin.over_budget || !over.is_empty() {
        let mut parts = Vec::new();
        if !over.is_empty() {
            parts.push(match lang {
                Lang::En => format!("{} budget line(s) overspent", over.len()),
                Lang::Ja => format!("予算超過の項目が{}件", over.len()),
            });
        }
        if fin.over_budget {
            parts.push(match lang {
                Lang::En => format!("total spending exceeds the budget by {}", money(neg(fin.remaining))),
                Lang::Ja => format!("支出合計が予算を{}超過", money(neg(fin.remaining))),
            });
        }
        if fin.overspent {
            parts.push(match lang {
                Lang::En => format!("spending exceeds the amount granted by {}", money(neg(fin.unspent))),
                Lang::Ja => format!("支出が助成額を{}超過", money(neg(fin.unspent))),
            });
        }
        let text = match lang {
            Lang::En => format!("OVERSPENT: {}.", parts.join("; ")),
            Lang::Ja => format!("超過支出: {}。", parts.join("、")),
        };
        l.space(4.0);
        l.paragraph(&text, BODY.bold().color(OVER), 0.0);
    }
    let explained: Vec<_> = fin.lines.iter().filter(|x| x.overspent || x.variance_note.is_some()).collect();
    if explained.is_empty() {
        return;
    }
    l.heading(lang.t("Variance explanations", "予算との差異の説明"), 3, 40.0);
    for x in explained {
        let note = x
            .variance_note
            .clone()
            .unwrap_or_else(|| lang.t("No explanation recorded.", "説明の記録なし。").to_string());
        l.bullet(&format!("{}: {note}", line_name(lang, x)), BODY, 12.0);
    }
}

/// The amount by which a negative balance is over.
fn neg(m: Money) -> Money {
    Money { amount: -m.amount, currency: m.currency }
}

/// The colour of an overspending notice.
const OVER: (f32, f32, f32) = (0.72, 0.12, 0.1);

pub fn render(d: &PhaseData, progress: &mut dyn FnMut(f32)) -> Result<Vec<u8>> {
    let face = font::face();
    let lang = d.lang;
    let p = &d.profile;
    let ph = &d.detail.phase;
    let f = &d.figures;
    let period = lang.range(f.period_start, f.period_end);
    let mut l = Layout::new(face, pdf::FONT);

    // Cover.
    let donor = lang.name(&d.donor.name_en, Some(&d.donor.name_ja));
    let kicker = match lang {
        Lang::En => format!("GRANT REPORT TO {}", d.donor.name_en.to_uppercase()),
        Lang::Ja => format!("{}への助成報告書", d.donor.name_ja),
    };
    l.space(40.0);
    l.paragraph(&kicker, Style::new(10.0).bold().color(GREY), 0.0);
    l.space(6.0);
    l.heading(lang.pick(&ph.title_en, Some(&ph.title_ja)), 0, 40.0);
    if lang == Lang::En && !ph.title_ja.is_empty() {
        l.paragraph(&ph.title_ja, Style::new(12.0).color(GREY), 0.0);
    }
    l.space(18.0);
    l.facts(
        &[
            (
                lang.t("Grantee", "助成先").into(),
                lang.name(&format!("{} ({})", p.name_en, p.acronym), Some(&p.name_ja)),
            ),
            (lang.t("Donor", "助成元").into(), donor.clone()),
            (lang.t("Grant", "助成").into(), lang.name(&d.grant.title_en, Some(&d.grant.title_ja))),
            (lang.t("Phase", "フェーズ").into(), lang.name(&ph.title_en, Some(&ph.title_ja))),
            (lang.t("Project dates", "事業期間").into(), lang.range(ph.start, ph.end)),
            (lang.t("Reporting period", "報告期間").into(), period.clone()),
            (lang.t("Amount granted", "助成額").into(), money(ph.amount)),
            (lang.t("Records as of", "記録の基準日").into(), as_of_label(lang, d.as_of, d.dated)),
        ],
        130.0,
    );
    l.space(16.0);
    if let Some(notice) = super::narrative::draft_notice(d) {
        l.paragraph(&notice, BODY.bold().color(STAMP), 0.0);
    }
    progress(0.05);

    // Summary figures.
    l.new_page();
    l.heading(lang.t("1. Summary figures for the period", "1. 期間の主要な数値"), 1, 80.0);
    let method = match lang {
        Lang::En => format!(
            "Computed from the network's registry for {period}. A site counts if it was active at any time in the period: from its opening date until its closing date (a site still active, until today). Planned sites are not counted. A site whose dates do not say (no opening date, or closed on an unknown day) is counted as unknown below, not as active. Figures marked \"as reported\" are stated as their source published them."
        ),
        Lang::Ja => format!(
            "{period}について登録データから算出。拠点は期間中に一度でも活動していれば数える（開設日から終了日まで。活動中の拠点は今日まで）。計画中の拠点は含まない。日付から判断できない拠点（開設日なし、終了日不明）は活動中と数えず「不明」として示す。「報告値」は出典の記載のまま。"
        ),
    };
    l.paragraph(&method, SMALL.color(GREY), 0.0);
    l.space(6.0);
    let figs = summary_figures(d);
    figures_table(&mut l, lang, &figs);
    l.space(6.0);
    super::map::draw(&mut l, d);
    progress(0.1);

    coordination(&mut l, d, &period);
    super::matching::section(&mut l, d, &period);
    progress(0.12);

    super::narrative::section(&mut l, d, "3.");
    progress(0.15);

    // Money.
    let fin = &f.finance;
    let cur = ph.amount.currency;
    l.heading(lang.t("4. Financial statement", "4. 収支報告"), 1, 90.0);
    let note = match lang {
        Lang::En => format!(
            "All amounts in {cur}. Expenditures made in another currency are converted at the rate recorded with each expenditure, rounded to the cent."
        ),
        Lang::Ja => {
            format!("金額はすべて{cur}。他通貨の支出は各支出に記録された換算レートで換算（最小単位で四捨五入）。")
        }
    };
    l.paragraph(&note, SMALL.color(GREY), 0.0);
    l.space(4.0);
    let cols = [
        Column::new(lang.t("Budget line", "予算項目"), 0.32, Align::Left),
        Column::new(lang.t("Budget", "予算"), 0.17, Align::Right),
        Column::new(lang.t("Spent in period", "期間中の支出"), 0.17, Align::Right),
        Column::new(lang.t("Spent to period end", "期末までの支出累計"), 0.17, Align::Right),
        Column::new(lang.t("Remaining", "残額"), 0.17, Align::Right),
    ];
    // A negative remainder never prints like any other figure: the core
    // flags it and the cell says so in words, which survive any printer.
    let flagged = |m: Money, over: bool| {
        if over { format!("{}\n{}", money(m), lang.t("OVERSPENT", "超過")) } else { money(m) }
    };
    let mut rows = Vec::new();
    for line in &fin.lines {
        let name = line_name(lang, line);
        rows.push(Row::new(vec![
            name,
            line.budget.map(money).unwrap_or_else(|| "—".into()),
            money(line.spent_in_period),
            money(line.spent_to_date),
            line.remaining.map(|r| flagged(r, line.overspent)).unwrap_or_else(|| "—".into()),
        ]));
    }
    if fin.lines.is_empty() {
        rows.push(Row::new(vec![
            lang.t("No budget lines recorded", "予算項目の記録なし").into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]));
    }
    rows.push(Row::total(vec![
        lang.t("Total", "合計").into(),
        money(fin.budget_total),
        money(fin.spent_in_period),
        money(fin.spent_to_date),
        flagged(fin.remaining, fin.over_budget),
    ]));
    l.table(&cols, rows, SMALL);
    l.facts(
        &[
            (lang.t("Amount granted", "助成額").into(), money(ph.amount)),
            (lang.t("Spent to the end of the period", "期末までの支出累計").into(), money(fin.spent_to_date)),
            (
                lang.t("Unspent balance", "未使用残高").into(),
                if fin.overspent {
                    format!("{} ({})", money(fin.unspent), lang.t("overspent", "超過"))
                } else {
                    money(fin.unspent)
                },
            ),
        ],
        200.0,
    );
    overspend_notes(&mut l, d);
    l.space(8.0);
    let months: Vec<(String, f64)> = fin
        .by_month
        .iter()
        .map(|m| {
            let label = match (m.month.get(..4), m.month.get(5..7)) {
                (Some(y), Some(mo)) => match lang {
                    Lang::En => format!("{}/{}", mo, &y[2..]),
                    Lang::Ja => format!("{}年{}月", &y[2..], mo.trim_start_matches('0')),
                },
                _ => m.month.clone(),
            };
            (label, f64_of(m.spent))
        })
        .collect();
    if months.iter().any(|m| m.1 > 0.0) {
        chart::over_time(
            &mut l,
            &match lang {
                Lang::En => format!("Spending over time ({cur})"),
                Lang::Ja => format!("支出の推移（{cur}）"),
            },
            &months,
            f64_of(ph.amount),
            (
                lang.t("Spent in the month", "月間支出"),
                lang.t("Cumulative, % of amount granted", "累計（助成額に対する%）"),
                lang.t("100% = amount granted", "100% = 助成額"),
            ),
        );
    } else {
        l.paragraph(
            lang.t("No expenditure is recorded in the period.", "期間中の支出の記録はない。"),
            BODY.color(GREY),
            0.0,
        );
    }
    let start = f.period_start.first_day();
    let end = f.period_end.last_day();
    let spent: Vec<_> =
        d.detail.expenditures.iter().filter(|e| !e.outside_phase && e.spent_on >= start && e.spent_on <= end).collect();
    if !spent.is_empty() {
        l.heading(lang.t("Expenditures in the period", "期間中の支出明細"), 3, 40.0);
        let cols = [
            Column::new(lang.t("Date", "日付"), 0.12, Align::Left),
            Column::new(lang.t("Description", "内容"), 0.27, Align::Left),
            Column::new(lang.t("Receipt", "領収書"), 0.10, Align::Left),
            Column::new(lang.t("Amount paid", "支払額"), 0.16, Align::Right),
            Column::new(lang.t("Rate (date)", "レート（日付）"), 0.17, Align::Right),
            Column::new(cur.code(), 0.18, Align::Right),
        ];
        let rows = spent.iter().map(|e| {
            let rate = if e.amount.currency == cur {
                "—".to_string()
            } else {
                let date = e.rate_date.map(|d| format!(" ({d})")).unwrap_or_default();
                format!("{}{date}", e.rate.normalize())
            };
            Row::new(vec![
                e.spent_on.to_string(),
                e.description.clone(),
                e.receipt_ref.clone().unwrap_or_else(|| "—".into()),
                money(e.amount),
                rate,
                money(e.converted),
            ])
        });
        l.table(&cols, rows, SMALL);
    }
    super::fund::section(&mut l, d, &period, "5.");
    super::signoff::section(&mut l, d, "6.");
    progress(0.2);

    // Appendix: every site counted above.
    l.new_page();
    l.heading(
        lang.t("Appendix: sites active in the period, by prefecture", "付録: 期間中に活動した拠点（都道府県別）"),
        1,
        60.0,
    );
    if d.sites.is_empty() {
        l.paragraph(lang.t("No site was active in the period.", "期間中に活動した拠点はない。"), BODY.color(GREY), 0.0);
    }
    let cols = [
        Column::new("#", 0.07, Align::Right),
        Column::new(lang.t("Site", "拠点"), 0.52, Align::Left),
        Column::new(lang.t("Municipality", "市区町村"), 0.14, Align::Left),
        Column::new(lang.t("Member NGO", "会員NGO"), 0.27, Align::Left),
    ];
    let site_w = cols[1].share * CONTENT_W - 2.0 * CELL_PAD_X;
    let total = d.sites.len().max(1);
    let mut done = 0usize;
    let mut i = 0;
    while i < d.sites.len() {
        let code = &d.sites[i].prefecture_code;
        let j = d.sites[i..].iter().position(|s| &s.prefecture_code != code).map_or(d.sites.len(), |k| i + k);
        let group = &d.sites[i..j];
        let title = match lang {
            Lang::En => format!(
                "{} — {} {}",
                pref_name(lang, code),
                super::number(&group.len().to_string()),
                if group.len() == 1 { "site" } else { "sites" }
            ),
            Lang::Ja => format!("{}（{}拠点）", pref_name(lang, code), group.len()),
        };
        l.heading(&title, 2, 50.0);
        let rows = group.iter().enumerate().map(|(n, s)| {
            done += 1;
            if done.is_multiple_of(2000) {
                progress(0.2 + 0.75 * done as f32 / total as f32);
            }
            // The Japanese name goes beside the English one when both fit on a line.
            let site = match (&s.name_en, lang) {
                (Some(en), Lang::En) if !en.is_empty() && en != &s.name => {
                    let beside = lang.name(en, Some(&s.name));
                    if face.width(&beside, SMALL.size) <= site_w { beside } else { format!("{en}\n{}", s.name) }
                }
                _ => s.name.clone(),
            };
            let member = match lang {
                Lang::En => {
                    s.member_en.clone().filter(|m| !m.is_empty()).or_else(|| s.member_ja.clone()).unwrap_or_default()
                }
                Lang::Ja => {
                    s.member_ja.clone().filter(|m| !m.is_empty()).or_else(|| s.member_en.clone()).unwrap_or_default()
                }
            };
            Row::new(vec![(n + 1).to_string(), site, s.municipality.clone(), member])
        });
        let continued = format!("{title} {}", lang.t("(continued)", "（続き）"));
        l.list_continued(&cols, rows, SMALL, &continued);
        i = j;
    }

    let header_left = match lang {
        Lang::En => format!("{} — grant report to {}", p.acronym, d.donor.name_en),
        Lang::Ja => format!("{} — {}への助成報告書", p.acronym, d.donor.name_ja),
    };
    let footer = lang.pick(&ph.title_en, Some(&ph.title_ja)).to_string();
    let mut marks = Vec::new();
    if d.sample {
        marks.push("SAMPLE DATA / サンプルデータ");
    }
    if !d.final_report {
        marks.push(lang.t("DRAFT", "草案"));
    }
    if !marks.is_empty() {
        l.set_stamp(&marks.join(" · "));
    }
    let pages = l.finish(&header_left, &period, &footer, |n, t| page_label(lang, n, t));
    let bytes = pdf::render(
        pages,
        &pdf::Meta {
            title: &format!("{} — {}", p.acronym, lang.pick(&ph.title_en, Some(&ph.title_ja))),
            author: &p.name_en,
            subject: &format!("{} {}", lang.t("Reporting period", "報告期間"), period),
            lang: lang.code(),
            created: d.as_of,
        },
    )?;
    progress(1.0);
    Ok(bytes)
}
