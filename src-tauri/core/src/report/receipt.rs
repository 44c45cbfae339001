//! A gift's receipt and a donor's annual statement: one document in both
//! languages, Japanese and English side by side on the same page, with the
//! reports' embedded font so Japanese names print. The PDF's date is the
//! data's own (the day received, the year's last day), so the same records
//! give the same bytes.

use chrono::{DateTime, NaiveDate, Utc};

use super::layout::{Align, BODY, Column, GREY, Layout, Row, SMALL, Style};
use super::{font, pdf};
use crate::dates::ProjectDate;
use crate::error::Result;
use crate::model::fund::{DonorStatement, FundDonor, Gift, channel_labels};

/// Who issues the receipt: the organisation, from its profile.
pub struct Issuer {
    pub name_en: String,
    pub name_ja: String,
    pub acronym: String,
}

fn both(en: &str, ja: &str) -> String {
    format!("{ja} / {en}")
}

fn date_both(d: NaiveDate) -> String {
    let p = ProjectDate::Day(d);
    format!("{} ({})", p.display_ja(), p.display_en())
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

fn issuer_block(l: &mut Layout, issuer: &Issuer) {
    l.paragraph(&format!("{}（{}）", issuer.name_ja, issuer.acronym), Style::new(11.0).bold(), 0.0);
    l.paragraph(&format!("{} ({})", issuer.name_en, issuer.acronym), BODY.color(GREY), 0.0);
    l.space(10.0);
}

fn donor_facts(donor: &FundDonor) -> Vec<(String, String)> {
    let mut facts = vec![(both("Donor", "寄付者"), donor.display_name())];
    if let Some(a) = donor.address.as_deref() {
        facts.push((both("Address", "住所"), a.to_string()));
    }
    if let Some(c) = donor.country.as_deref() {
        facts.push((both("Country", "国"), c.to_string()));
    }
    facts
}

fn purpose(g: &Gift) -> String {
    g.purpose.clone().unwrap_or_else(|| both("None: the pooled relief fund", "指定なし（共同募金）"))
}

fn finish(l: Layout, issuer: &Issuer, title: &str, right: &str, created: DateTime<Utc>) -> Result<Vec<u8>> {
    let pages = l.finish(
        &format!("{} — {}", issuer.acronym, title),
        right,
        &format!("{} / {}", issuer.name_ja, issuer.name_en),
        |n, t| format!("{n} / {t}"),
    );
    pdf::render(
        pages,
        &pdf::Meta {
            title: &format!("{} — {title}", issuer.acronym),
            author: &issuer.name_en,
            subject: title,
            lang: "ja",
            created,
        },
    )
}

/// One gift's receipt.
pub fn render_receipt(issuer: &Issuer, donor: &FundDonor, g: &Gift) -> Result<Vec<u8>> {
    let mut l = Layout::new(font::face(), pdf::FONT);
    l.heading("領収書 / Receipt", 0, 60.0);
    issuer_block(&mut l, issuer);
    let (channel_en, channel_ja) = channel_labels(&g.channel);
    let mut facts = vec![
        (both("Receipt number", "領収書番号"), g.receipt_no.clone()),
        (both("Date received", "受領日"), date_both(g.received_on)),
    ];
    facts.extend(donor_facts(donor));
    facts.extend([
        (both("Amount", "金額"), g.amount.to_string()),
        (both("Received by", "受領方法"), both(channel_en, channel_ja)),
        (both("Purpose", "使途の指定"), purpose(g)),
    ]);
    l.facts(&facts, 170.0);
    l.space(14.0);
    l.paragraph(
        &format!(
            "上記の金額を、東日本大震災の被災地支援のための{}共同募金へのご寄付として確かに受領いたしました。心より御礼申し上げます。",
            issuer.acronym
        ),
        BODY,
        0.0,
    );
    l.space(4.0);
    l.paragraph(
        &format!(
            "We acknowledge with thanks the receipt of the above amount as a gift to {}'s pooled relief fund for the relief of the areas affected by the Great East Japan Earthquake.",
            issuer.acronym
        ),
        BODY,
        0.0,
    );
    let title = format!("領収書 / Receipt {}", g.receipt_no);
    finish(l, issuer, &title, &g.received_on.to_string(), midnight(g.received_on))
}

/// A donor's gifts of one calendar year, with totals per currency.
pub fn render_statement(issuer: &Issuer, s: &DonorStatement) -> Result<Vec<u8>> {
    let mut l = Layout::new(font::face(), pdf::FONT);
    l.heading(&format!("{}年 寄付明細書 / Annual statement of gifts {}", s.year, s.year), 0, 60.0);
    issuer_block(&mut l, issuer);
    let mut facts = donor_facts(&s.donor);
    facts.push((both("Year", "対象年"), format!("{}年 ({})", s.year, s.year)));
    facts.push((both("Gifts", "寄付の件数"), s.gifts.len().to_string()));
    l.facts(&facts, 170.0);
    l.space(10.0);
    if s.gifts.is_empty() {
        l.paragraph(
            &both("No gift is recorded from this donor in this year.", "この年の寄付の記録はありません。"),
            BODY.color(GREY),
            0.0,
        );
    } else {
        let cols = [
            Column::new(both("Date", "受領日"), 0.18, Align::Left),
            Column::new(both("Receipt no.", "領収書番号"), 0.2, Align::Left),
            Column::new(both("Received by", "受領方法"), 0.2, Align::Left),
            Column::new(both("Purpose", "使途"), 0.2, Align::Left),
            Column::new(both("Amount", "金額"), 0.22, Align::Right),
        ];
        let mut rows: Vec<Row> = s
            .gifts
            .iter()
            .map(|g| {
                let (en, ja) = channel_labels(&g.channel);
                Row::new(vec![
                    g.received_on.to_string(),
                    g.receipt_no.clone(),
                    both(en, ja),
                    g.purpose.clone().unwrap_or_default(),
                    g.amount.to_string(),
                ])
            })
            .collect();
        for t in &s.totals {
            rows.push(Row::total(vec![
                format!("合計 / Total {}", t.currency),
                String::new(),
                String::new(),
                String::new(),
                t.to_string(),
            ]));
        }
        l.table(&cols, rows, SMALL);
    }
    l.space(10.0);
    l.paragraph(
        &format!(
            "{}年中に{}共同募金へお寄せいただいたご寄付の明細です。ご支援に心より御礼申し上げます。",
            s.year, issuer.acronym
        ),
        BODY,
        0.0,
    );
    l.space(4.0);
    l.paragraph(
        &format!(
            "This statement lists the gifts received from you by {}'s pooled relief fund in {}. Thank you for your support.",
            issuer.acronym, s.year
        ),
        BODY,
        0.0,
    );
    let year_end = NaiveDate::from_ymd_opt(s.year, 12, 31).unwrap_or_default();
    let title = format!("{}年 寄付明細書 / Annual statement {}", s.year, s.year);
    finish(l, issuer, &title, &s.year.to_string(), midnight(year_end))
}
