//! The phase report's narrative section: a background paragraph from the
//! source, then what the period's narrative records (results against each
//! activity, people reached and its basis, challenges, lessons, next steps),
//! or a plain statement that none is recorded yet.

use super::layout::{BODY, GREY, Layout, SMALL, Style};
use super::{Lang, PhaseData};
use crate::money::group_thousands;

fn not_recorded(lang: Lang) -> &'static str {
    lang.t("Not recorded yet.", "まだ記録されていない。")
}

/// Whether the draft notice applies, and its text.
pub fn draft_notice(d: &PhaseData) -> Option<String> {
    let lang = d.lang;
    match &d.narrative {
        None => Some(
            lang.t(
                "DRAFT: no narrative has been recorded for this reporting period. Results against the activities, challenges, lessons, next steps and the people reached are still to be written, and the report is not signed off.",
                "草案：この報告期間のナラティブ（活動ごとの成果、課題、教訓、今後の予定、裨益者数）はまだ記録されておらず、承認もされていない。",
            )
            .to_string(),
        ),
        Some(n) if !n.missing.is_empty() => Some(match lang {
            Lang::En => format!(
                "DRAFT: the narrative for this reporting period is incomplete ({} part(s) missing) and the report is not final.",
                n.missing.len()
            ),
            Lang::Ja => format!("草案：この報告期間のナラティブは未完成（{}項目が未記入）であり、最終版ではない。", n.missing.len()),
        }),
        Some(_) if !d.final_report => Some(
            lang.t(
                "DRAFT: exported as a draft; the narrative and sign-off are complete.",
                "草案：下書きとして出力。ナラティブと承認はそろっている。",
            )
            .to_string(),
        ),
        Some(_) => None,
    }
}

/// Section 3, numbered `number`.
pub fn section(l: &mut Layout, d: &PhaseData, number: &str) {
    let lang = d.lang;
    let ph = &d.detail.phase;
    l.heading(&format!("{number} {}", lang.t("Results for the period", "期間の成果")), 1, 80.0);

    l.heading(lang.t("Background", "背景"), 3, 30.0);
    if let Some(s) = lang.text(ph.summary_en.as_deref(), ph.summary_ja.as_deref()) {
        l.paragraph(&s, BODY, 0.0);
    }
    if !d.detail.partners.is_empty() {
        let names: Vec<String> = d
            .detail
            .partners
            .iter()
            .map(|pa| {
                let name = lang.name(&pa.name_en, pa.name_ja.as_deref());
                match lang.text(pa.role_en.as_deref(), pa.role_ja.as_deref()) {
                    Some(role) => format!("{name} ({role})"),
                    None => name,
                }
            })
            .collect();
        let sep = lang.t("; ", "、");
        l.paragraph(&format!("{}{}", lang.t("Partners: ", "パートナー："), names.join(sep)), SMALL.color(GREY), 0.0);
    }

    let Some(n) = &d.narrative else {
        l.space(6.0);
        l.paragraph(
            lang.t(
                "No narrative has been recorded for this reporting period yet. It is a draft: results against the activities below, challenges, lessons, next steps and the people reached are still to be written.",
                "この報告期間のナラティブはまだ記録されていない。草案であり、以下の活動ごとの成果、課題、教訓、今後の予定、裨益者数はこれから記入する。",
            ),
            BODY.bold(),
            0.0,
        );
        l.space(4.0);
        for a in &d.detail.activities {
            l.bullet(&lang.name(&a.title_en, Some(&a.title_ja)), BODY, 12.0);
        }
        l.space(8.0);
        return;
    };

    l.heading(lang.t("Results against each activity", "活動ごとの成果"), 2, 40.0);
    for a in &d.detail.activities {
        l.heading(&lang.name(&a.title_en, Some(&a.title_ja)), 3, 24.0);
        let result = n
            .results
            .iter()
            .find(|r| r.activity_id == a.id)
            .and_then(|r| lang.text(r.text_en.as_deref(), r.text_ja.as_deref()));
        match result {
            Some(t) => l.paragraph(&t, BODY, 0.0),
            None => l.paragraph(
                lang.t("No result is recorded for this activity.", "この活動の成果は記録されていない。"),
                BODY.color(GREY),
                0.0,
            ),
        }
    }

    l.heading(lang.t("People reached", "裨益者数"), 2, 30.0);
    match n.people_reached {
        Some(p) => {
            let count = group_thousands(&p.to_string());
            l.paragraph(lang.t(&format!("{count} people"), &format!("{count}人")), Style::new(11.0).bold(), 0.0);
        }
        None => l.paragraph(not_recorded(lang), BODY.color(GREY), 0.0),
    }
    let basis = lang.text(n.people_basis_en.as_deref(), n.people_basis_ja.as_deref());
    l.paragraph(
        &format!("{}{}", lang.t("Basis: ", "算出根拠："), basis.as_deref().unwrap_or(not_recorded(lang))),
        SMALL.color(GREY),
        0.0,
    );

    for (en, ja, text_en, text_ja) in [
        ("Challenges", "課題", &n.challenges_en, &n.challenges_ja),
        ("Lessons learned", "教訓", &n.lessons_en, &n.lessons_ja),
        ("Next steps", "今後の予定", &n.next_steps_en, &n.next_steps_ja),
    ] {
        l.heading(lang.t(en, ja), 2, 30.0);
        match lang.text(text_en.as_deref(), text_ja.as_deref()) {
            Some(t) => l.paragraph(&t, BODY, 0.0),
            None => l.paragraph(not_recorded(lang), BODY.color(GREY), 0.0),
        }
    }
    l.space(8.0);
}
