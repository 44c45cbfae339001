//! The phase report's tables as a spreadsheet for the donor's finance team
//! (rust_xlsxwriter): the summary figures, the financial statement, the
//! period's expenditures and the sites, one sheet each, in the edition's
//! language. Amounts are numbers with their currency beside them, so the
//! sheet sums them; the document's date is the report's, so the same
//! records give the same file.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::{Lang, PhaseData, figure_value};
use crate::error::{Error, Result};
use crate::money::Money;
use crate::report::figures::FigureKind;

fn failed(e: XlsxError) -> Error {
    Error::Report(format!("writing the spreadsheet: {e}"))
}

fn header(ws: &mut Worksheet, cols: &[&str], bold: &Format) -> std::result::Result<(), XlsxError> {
    for (i, c) in cols.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *c, bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn amount(m: Money) -> f64 {
    m.amount.to_f64().unwrap_or(0.0)
}

pub fn render(d: &PhaseData) -> Result<Vec<u8>> {
    build(d).map_err(failed)
}

fn build(d: &PhaseData) -> std::result::Result<Vec<u8>, XlsxError> {
    let lang = d.lang;
    let t = |en: &'static str, ja: &'static str| lang.t(en, ja);
    let mut wb = Workbook::new();
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} — {}",
                d.profile.acronym,
                lang.pick(&d.detail.phase.title_en, Some(&d.detail.phase.title_ja))
            ))
            .set_author(&d.profile.name_en)
            .set_creation_datetime(&ExcelDateTime::from_timestamp(d.as_of.timestamp())?),
    );
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let period = lang.range(d.figures.period_start, d.figures.period_end);

    // Summary figures, as section 1 states them.
    let ws = wb.add_worksheet().set_name(t("Summary figures", "主要な数値"))?;
    header(ws, &[t("Figure", "項目"), t("Value", "数値"), t("Basis", "根拠"), t("Period", "期間")], &bold)?;
    for (r, f) in super::phase::summary_figures(d).iter().enumerate() {
        let row = r as u32 + 1;
        ws.write_string(row, 0, lang.name(&f.label_en, Some(&f.label_ja)))?;
        match f.kind {
            FigureKind::NoRecords => ws.write_string(row, 1, t("no records for this period", "この期間の記録なし"))?,
            FigureKind::Computed => match f.value.parse::<f64>() {
                Ok(n) => ws.write_number(row, 1, n)?,
                Err(_) => ws.write_string(row, 1, &f.value)?,
            },
            FigureKind::Reported => ws.write_string(row, 1, figure_value(lang, f))?,
        };
        let basis = match f.kind {
            FigureKind::Reported => format!("{} {}", t("As reported:", "報告値:"), f.source),
            _ => t("Computed from the registry for the period", "期間について登録データから算出").to_string(),
        };
        ws.write_string(row, 2, basis)?;
        ws.write_string(row, 3, &period)?;
    }
    ws.set_column_width(0, 50)?;
    ws.set_column_width(1, 24)?;
    ws.set_column_width(2, 50)?;

    // The financial statement, in the grant's currency.
    let fin = &d.figures.finance;
    let cur = d.detail.phase.amount.currency.code();
    let ws = wb.add_worksheet().set_name(t("Financial statement", "収支報告"))?;
    header(
        ws,
        &[
            t("Code", "コード"),
            t("Budget line", "予算項目"),
            t("Budget", "予算"),
            t("Spent in period", "期間中の支出"),
            t("Spent to period end", "期末までの支出累計"),
            t("Currency", "通貨"),
        ],
        &bold,
    )?;
    let mut row = 1;
    for line in &fin.lines {
        ws.write_string(row, 0, line.code.as_deref().unwrap_or(""))?;
        ws.write_string(row, 1, lang.name(&line.name_en, line.name_ja.as_deref()))?;
        if let Some(b) = line.budget {
            ws.write_number_with_format(row, 2, amount(b), &money)?;
        }
        ws.write_number_with_format(row, 3, amount(line.spent_in_period), &money)?;
        ws.write_number_with_format(row, 4, amount(line.spent_to_date), &money)?;
        ws.write_string(row, 5, cur)?;
        row += 1;
    }
    ws.write_string_with_format(row, 1, t("Total", "合計"), &bold)?;
    ws.write_number_with_format(row, 2, amount(fin.budget_total), &money)?;
    ws.write_number_with_format(row, 3, amount(fin.spent_in_period), &money)?;
    ws.write_number_with_format(row, 4, amount(fin.spent_to_date), &money)?;
    ws.write_string(row, 5, cur)?;
    ws.write_string(row + 2, 1, t("Amount granted", "助成額"))?;
    ws.write_number_with_format(row + 2, 2, amount(d.detail.phase.amount), &money)?;
    ws.write_string(row + 3, 1, t("Unspent balance", "未使用残高"))?;
    ws.write_number_with_format(row + 3, 2, amount(fin.unspent), &money)?;
    ws.set_column_width(1, 40)?;
    for c in 2..=4 {
        ws.set_column_width(c, 18)?;
    }

    // The period's expenditures, as paid and as converted.
    let start = d.figures.period_start.first_day();
    let end = d.figures.period_end.last_day();
    let ws = wb.add_worksheet().set_name(t("Expenditures", "支出明細"))?;
    header(
        ws,
        &[
            t("Date", "日付"),
            t("Description", "内容"),
            t("Amount paid", "支払額"),
            t("Currency paid", "支払通貨"),
            t("Rate", "レート"),
            t("Rate date", "レート日付"),
            cur,
        ],
        &bold,
    )?;
    for (row, e) in (1..).zip(d.detail.expenditures.iter().filter(|e| e.spent_on >= start && e.spent_on <= end)) {
        ws.write_string(row, 0, e.spent_on.to_string())?;
        ws.write_string(row, 1, &e.description)?;
        ws.write_number_with_format(row, 2, amount(e.amount), &money)?;
        ws.write_string(row, 3, e.amount.currency.code())?;
        ws.write_number(row, 4, e.rate.to_f64().unwrap_or(0.0))?;
        ws.write_string(row, 5, e.rate_date.map(|d| d.to_string()).unwrap_or_default())?;
        ws.write_number_with_format(row, 6, amount(e.converted), &money)?;
    }
    ws.set_column_width(1, 40)?;

    // Every site the summary counts.
    let ws = wb.add_worksheet().set_name(t("Sites", "拠点"))?;
    header(
        ws,
        &[
            t("Prefecture", "都道府県"),
            t("Municipality", "市区町村"),
            t("Site", "拠点"),
            t("Site (English)", "拠点（英語）"),
            t("Member NGO", "会員NGO"),
            t("Latitude", "緯度"),
            t("Longitude", "経度"),
            t("Closed by the period's end", "期末までに終了"),
        ],
        &bold,
    )?;
    for (r, s) in d.sites.iter().enumerate() {
        let row = r as u32 + 1;
        let pref = crate::prefecture::Prefecture::by_code(&s.prefecture_code)
            .map_or_else(|| s.prefecture_code.clone(), |p| lang.t(p.name_en, p.name_ja).to_string());
        let member = match lang {
            Lang::En => s.member_en.clone().filter(|m| !m.is_empty()).or_else(|| s.member_ja.clone()),
            Lang::Ja => s.member_ja.clone().filter(|m| !m.is_empty()).or_else(|| s.member_en.clone()),
        };
        ws.write_string(row, 0, pref)?;
        ws.write_string(row, 1, &s.municipality)?;
        ws.write_string(row, 2, &s.name)?;
        ws.write_string(row, 3, s.name_en.as_deref().unwrap_or(""))?;
        ws.write_string(row, 4, member.unwrap_or_default())?;
        if let Some((lat, lon)) = s.point {
            ws.write_number(row, 5, lat)?;
            ws.write_number(row, 6, lon)?;
        }
        ws.write_boolean(row, 7, s.closed_in_period)?;
    }
    ws.set_column_width(2, 36)?;
    ws.set_column_width(3, 36)?;
    ws.set_column_width(4, 28)?;
    wb.save_to_buffer()
}
