//! The partner profile: the relationship as a whole, as the source document
//! tells it, from the records.

use std::collections::BTreeMap;

use super::layout::{ACCENT, Align, BODY, CONTENT_W, Column, GREY, Layout, MARGIN_X, Row, SMALL, Style};
use super::{Lang, ProfileData, as_of_label, figure_value, font, money, pdf};
use crate::error::Result;
use crate::money::Money;
use crate::prefecture::{AFFECTED, Prefecture};
use crate::report::figures::FigureKind;

fn affected_list(lang: Lang) -> String {
    // The source document's order: Miyagi, Iwate and Fukushima.
    let names: Vec<&str> = [AFFECTED[1], AFFECTED[0], AFFECTED[2]]
        .iter()
        .filter_map(|c| Prefecture::by_code(c))
        .map(|p| lang.t(p.name_en, p.name_ja))
        .collect();
    match lang {
        Lang::En => format!("{}, {} and {}", names[0], names[1], names[2]),
        Lang::Ja => names.join("・"),
    }
}

pub fn render(d: &ProfileData) -> Result<Vec<u8>> {
    let face = font::face();
    let lang = d.lang;
    let p = &d.profile;
    let mut l = Layout::new(face, pdf::FONT);
    let org = lang.name(&format!("{} ({})", p.name_en, p.acronym), Some(&p.name_ja));

    l.heading(lang.t("Partner profile", "パートナー・プロフィール"), 0, 60.0);
    l.paragraph(&org, Style::new(13.0).bold(), 0.0);
    let donors: Vec<String> = {
        let mut v: Vec<String> =
            d.overview.grants.iter().map(|g| lang.name(&g.donor.name_en, Some(&g.donor.name_ja))).collect();
        v.dedup();
        v
    };
    l.space(4.0);
    l.paragraph(
        &format!(
            "{} {} · {} {}",
            lang.t("Prepared for", "提出先:"),
            donors.join(", "),
            lang.t("Records as of", "記録の基準日:"),
            as_of_label(lang, d.as_of, d.dated)
        ),
        BODY.color(GREY),
        0.0,
    );

    // Who the organisation is.
    l.heading(lang.t("About the organization", "団体概要"), 1, 40.0);
    let intro = match lang {
        Lang::En => format!(
            "{} ({}) is a non-governmental organization (NGO). {} It operates with {}.",
            p.name_en,
            p.acronym,
            p.mission_en,
            lowercase_first(&p.affiliation_en)
        ),
        Lang::Ja => {
            format!("{}（{}）は非政府組織（NGO）である。{}{}。", p.name_ja, p.acronym, p.mission_ja, p.affiliation_ja)
        }
    };
    l.paragraph(&intro, BODY, 0.0);
    l.space(4.0);
    let founded = p.founded_year.to_string();
    let past: Vec<String> = p
        .past_responses
        .iter()
        .map(|r| format!("{} ({})", lang.name(&r.country_en, Some(&r.country_ja)), r.year))
        .collect();
    l.facts(
        &[
            (lang.t("Founded", "設立").to_string(), founded),
            (
                lang.t("Affiliation", "立場").to_string(),
                lang.pick(&p.affiliation_en, Some(&p.affiliation_ja)).to_string(),
            ),
            (lang.t("Past disaster responses", "過去の災害対応").to_string(), past.join(", ")),
        ],
        150.0,
    );
    l.heading(lang.t("Focus areas", "重点分野"), 3, 30.0);
    for f in &p.focus_areas {
        l.bullet(&lang.name(&f.en, Some(&f.ja)), BODY, 12.0);
    }

    // Relationship with the donor.
    l.heading(lang.t("Relationship", "支援の関係"), 1, 60.0);
    let since =
        d.overview.grants.iter().flat_map(|g| g.phases.iter()).map(|ph| ph.phase.start).min_by_key(|s| s.first_day());
    let mut funds: Vec<String> = Vec::new();
    for g in &d.overview.grants {
        if let Some(f) = &g.donor.relief_fund_en {
            let name = lang.name(f, g.donor.relief_fund_ja.as_deref());
            if !funds.contains(&name) {
                funds.push(name);
            }
        }
    }
    let mut told: Vec<&str> = Vec::new();
    for g in &d.overview.grants {
        if told.contains(&g.donor.id.as_str()) {
            continue;
        }
        told.push(&g.donor.id);
        let donor = lang.name(&g.donor.name_en, Some(&g.donor.name_ja));
        let since = since.map(|s| month_of(s, lang)).unwrap_or_default();
        let s = match lang {
            Lang::En => format!("{donor} has supported {} since {since}.", p.acronym),
            Lang::Ja => format!("{donor}は{since}から{}を支援している。", p.acronym),
        };
        l.paragraph(&s, BODY, 0.0);
    }
    for g in &d.overview.grants {
        if let Some(n) = lang.text(g.grant.notes.as_deref(), None) {
            let title = lang.pick(&g.grant.title_en, Some(&g.grant.title_ja));
            l.paragraph(&format!("{title}: {n}"), BODY, 0.0);
        }
    }
    l.space(3.0);
    let areas = match lang {
        Lang::En => {
            format!("Areas most severely affected by the earthquake and tsunami: {} prefectures.", affected_list(lang))
        }
        Lang::Ja => format!("地震・津波の被害が最も大きかった地域: {}。", affected_list(lang)),
    };
    l.paragraph(&areas, BODY, 0.0);
    for f in &funds {
        let s = match lang {
            Lang::En => format!("Several of these partner organizations are also supported by Direct Relief's {f}."),
            Lang::Ja => {
                format!("これらのパートナー団体のいくつかは、ダイレクト・リリーフの{f}からも支援を受けている。")
            }
        };
        l.paragraph(&s, BODY, 0.0);
    }
    if !d.relationship.is_empty() {
        l.space(4.0);
        figures_table(&mut l, lang, &d.relationship);
    }

    l.heading(lang.t("Office locations", "事務所所在地"), 1, 50.0);
    let cols = [
        Column::new(lang.t("Prefecture", "都道府県"), 0.26, Align::Left),
        Column::new(lang.t("Office", "事務所"), 0.30, Align::Left),
        Column::new(lang.t("Location", "所在地"), 0.44, Align::Left),
    ];
    let rows = d.offices.iter().map(|o| {
        let pref = Prefecture::by_code(&o.prefecture_code)
            .map(|p| lang.name(&format!("{} Prefecture", p.name_en), Some(p.name_ja)))
            .unwrap_or_else(|| o.prefecture_code.clone());
        Row::new(vec![pref, lang.name(&o.name_en, Some(&o.name_ja)), lang.name(&o.locality_en, Some(&o.locality_ja))])
    });
    l.table(&cols, rows, BODY);

    // Money.
    l.heading(lang.t("Grants", "助成"), 1, 80.0);
    for total in &d.overview.totals {
        l.ensure(30.0);
        let y = l.y();
        l.text_at(MARGIN_X, y + 11.0, lang.t("TOTAL AMOUNT GRANTED", "助成総額"), Style::new(10.0).bold().color(GREY));
        l.text_right(MARGIN_X + CONTENT_W, y + 14.0, &money(*total), Style::new(15.0).bold().color(ACCENT));
        l.space(24.0);
    }
    let cols = [
        Column::new(lang.t("Grant / phase", "助成・フェーズ"), 0.50, Align::Left),
        Column::new(lang.t("Project dates", "事業期間"), 0.28, Align::Left),
        Column::new(lang.t("Amount", "金額"), 0.22, Align::Right),
    ];
    let mut rows = Vec::new();
    let mut totals: BTreeMap<String, Money> = BTreeMap::new();
    for g in &d.overview.grants {
        for ph in &g.phases {
            rows.push(Row::new(vec![
                lang.name(&ph.phase.title_en, Some(&ph.phase.title_ja)),
                lang.range(ph.phase.start, ph.phase.end),
                money(ph.phase.amount),
            ]));
        }
        let t =
            totals.entry(g.total.currency.code().to_string()).or_insert(crate::money::Money::zero(g.total.currency));
        *t = t.add("total_granted", g.total)?;
    }
    for t in totals.values() {
        rows.push(Row::total(vec![lang.t("Total granted", "助成総額").to_string(), String::new(), money(*t)]));
    }
    l.table(&cols, rows, BODY);

    for g in &d.overview.grants {
        for ph in &g.phases {
            let title = lang.pick(&ph.phase.title_en, Some(&ph.phase.title_ja));
            l.heading(title, 1, 90.0);
            if lang == Lang::En && !ph.phase.title_ja.is_empty() {
                l.paragraph(&ph.phase.title_ja, BODY.color(GREY), 0.0);
                l.space(3.0);
            }
            l.facts(
                &[
                    (lang.t("Project dates", "事業期間").to_string(), lang.range(ph.phase.start, ph.phase.end)),
                    (lang.t("Amount", "金額").to_string(), money(ph.phase.amount)),
                    (lang.t("Donor", "助成元").to_string(), lang.name(&g.donor.name_en, Some(&g.donor.name_ja))),
                ],
                110.0,
            );
            if let Some(s) = lang.text(ph.phase.summary_en.as_deref(), ph.phase.summary_ja.as_deref()) {
                l.space(4.0);
                l.paragraph(&s, BODY, 0.0);
            }
            for st in &ph.statements {
                l.space(5.0);
                let text = lang.text(Some(&st.text_en), None).unwrap_or_default();
                let role = lang.text(Some(&st.role_en), None).unwrap_or_default();
                quote(&mut l, &text, &format!("{}, {role}", st.person));
            }
            if !ph.activities.is_empty() {
                l.heading(lang.t("Activities", "活動"), 3, 36.0);
                for a in &ph.activities {
                    let title = lang.name(&a.title_en, Some(&a.title_ja));
                    let desc = lang.text(Some(&a.description_en), a.description_ja.as_deref()).unwrap_or_default();
                    l.bullet(&format!("{title}: {desc}"), BODY, 12.0);
                    l.space(2.0);
                }
            }
            if !ph.partners.is_empty() {
                l.heading(lang.t("Partners", "パートナー"), 3, 30.0);
                for pa in &ph.partners {
                    let mut name = lang.name(&pa.name_en, pa.name_ja.as_deref());
                    if let Some(a) = pa.acronym.as_deref().filter(|a| !name.contains(a)) {
                        name = format!("{name} [{a}]");
                    }
                    let role = lang.pick(pa.role_en.as_deref().unwrap_or(""), pa.role_ja.as_deref()).to_string();
                    let s = if role.is_empty() { name } else { format!("{name}: {role}") };
                    l.bullet(&s, BODY, 12.0);
                }
            }
            // A figure the source states differently elsewhere is stated once,
            // with the relationship's figures above, with a note.
            let noted = |m: &Option<String>| {
                m.is_some() && d.relationship.iter().any(|r| r.note_en.is_some() && r.metric == *m)
            };
            let reported: Vec<_> = ph
                .indicators
                .iter()
                .filter(|i| i.kind == "reported" && !noted(&i.metric))
                .map(|i| crate::report::figures::figure_of(i, 0, 0))
                .collect();
            if !reported.is_empty() {
                l.heading(lang.t("Reported figures", "報告された数値"), 3, 40.0);
                figures_table(&mut l, lang, &reported);
            }
        }
    }

    let header_left = format!("{} — {}", p.acronym, lang.t("Partner profile", "パートナー・プロフィール"));
    let header_right = format!("{} {}", lang.t("Records as of", "基準日"), as_of_label(lang, d.as_of, d.dated));
    let footer = lang.pick(&p.name_en, Some(&p.name_ja)).to_string();
    let pages = l.finish(&header_left, &header_right, &footer, |n, t| page_label(lang, n, t));
    pdf::render(
        pages,
        &pdf::Meta {
            title: &format!("{} — {}", p.acronym, lang.t("Partner profile", "パートナー・プロフィール")),
            author: &p.name_en,
            subject: lang.t("Partner profile for Direct Relief", "ダイレクト・リリーフ向けパートナー・プロフィール"),
            lang: lang.code(),
            created: d.as_of,
        },
    )
}

pub fn page_label(lang: Lang, n: usize, total: usize) -> String {
    match lang {
        Lang::En => format!("Page {n} of {total}"),
        Lang::Ja => format!("{n} / {total} ページ"),
    }
}

fn month_of(d: crate::dates::ProjectDate, lang: Lang) -> String {
    let first = d.first_day();
    let m = crate::dates::ProjectDate::Month {
        year: chrono::Datelike::year(&first),
        month: chrono::Datelike::month(&first),
    };
    lang.date(m)
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A quotation set off by a rule in the margin.
pub fn quote(l: &mut Layout, text: &str, who: &str) {
    let style = Style::new(10.0).color((0.2, 0.2, 0.25));
    let body = format!("“{text}”");
    let h = l.wrap(&body, style, CONTENT_W - 14.0).len() as f32 * style.leading() + SMALL.leading();
    l.ensure(h);
    let (top, page) = (l.y(), l.page_count());
    l.paragraph(&body, style, 14.0);
    l.paragraph(&format!("— {who}"), SMALL.color(GREY), 14.0);
    if l.page_count() == page {
        l.line(MARGIN_X + 4.0, top + 2.0, MARGIN_X + 4.0, l.y() - 2.0, 1.6, ACCENT);
    }
}

/// A reported figure's source in the edition's language: the sources the
/// seed names have a Japanese name; any other prints as recorded, marked.
fn source_name(lang: Lang, source: &str) -> String {
    const KNOWN: [(&str, &str); 1] =
        [("Direct Relief partner profile of JANIC", "ダイレクト・リリーフによるJANICのパートナー・プロフィール")];
    let (name, date) = match source.rsplit_once(" (") {
        Some((n, d)) if d.ends_with(')') => (n, Some(d.trim_end_matches(')'))),
        _ => (source, None),
    };
    let ja = KNOWN.iter().find(|(en, _)| *en == name).map(|(_, ja)| *ja);
    let name = lang.text(Some(name), ja).unwrap_or_default();
    match date {
        Some(d) => format!("{name} ({d})"),
        None => name,
    }
}

/// Figures with their value and source.
pub fn figures_table(l: &mut Layout, lang: Lang, figs: &[crate::report::figures::ReportFigure]) {
    let cols = [
        Column::new(lang.t("Figure", "項目"), 0.42, Align::Left),
        Column::new(lang.t("Value", "数値"), 0.22, Align::Left),
        Column::new(lang.t("Basis", "根拠"), 0.36, Align::Left),
    ];
    let rows = figs.iter().map(|f| {
        let mut basis = match f.kind {
            FigureKind::Computed | FigureKind::NoRecords => {
                lang.t("Computed from the registry for the period", "期間について登録データから算出").to_string()
            }
            FigureKind::Reported => format!("{} {}", lang.t("As reported:", "報告値:"), source_name(lang, &f.source)),
        };
        if let Some(note) = lang.text(f.note_en.as_deref(), f.note_ja.as_deref()) {
            let stop = if lang == Lang::Ja { "。" } else { "." };
            basis = format!("{basis}{} {note}", if basis.ends_with(stop) { "" } else { stop });
        }
        let value = match f.kind {
            FigureKind::NoRecords => lang.t("no records for this period", "この期間の記録なし").to_string(),
            _ => figure_value(lang, f),
        };
        Row::new(vec![lang.name(&f.label_en, Some(&f.label_ja)), value, basis])
    });
    l.table(&cols, rows, BODY);
}
