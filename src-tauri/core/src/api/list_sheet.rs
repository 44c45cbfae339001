//! A list screen as a spreadsheet: the members or sites a person is looking
//! at, with the screen's filters and order, every page, the columns named in
//! the person's language and coded values written as words. What a table
//! export (`export_table`) gives a program, this gives a person.

use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::Kizuna;
use crate::api::exchange_export::{ExportSaved, TableFormat};
use crate::api::members::MAX_PAGE;
use crate::error::Result;
use crate::exchange::tabular::{self, Table, Value};
use crate::model::member::{LEGAL_FORMS, MemberQuery, STATUSES as MEMBER_STATUSES};
use crate::model::site::{SECTORS, SITE_STATUSES, SiteQuery};
use crate::prefecture::Prefecture;
use crate::report::Lang;

/// Which list, with the query the screen shows it by (offset and limit are ignored: every row).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "list", content = "query", rename_all = "snake_case")]
#[ts(export)]
pub enum ListSheet {
    Members(MemberQuery),
    Sites(SiteQuery),
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListSheetRequest {
    pub sheet: ListSheet,
    pub format: TableFormat,
    pub path: String,
    /// "en" or "ja": the headers' and the coded values' language.
    pub lang: String,
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn opt(s: Option<impl ToString>) -> Value {
    s.map_or(Value::Empty, |v| Value::Text(v.to_string()))
}

/// The label of `code` in a (code, en, ja) table; the code when unknown.
fn label(table: &[(&str, &str, &str)], code: &str, lang: Lang) -> String {
    table.iter().find(|(c, _, _)| *c == code).map_or(code, |(_, en, ja)| lang.t(en, ja)).to_string()
}

fn prefecture_name(code: &str, lang: Lang) -> String {
    Prefecture::by_code(code).map_or_else(|| code.to_string(), |p| lang.t(p.name_en, p.name_ja).to_string())
}

fn headers(names: &[(&str, &str)], lang: Lang) -> Vec<String> {
    names.iter().map(|(en, ja)| lang.t(en, ja).to_string()).collect()
}

impl Kizuna {
    /// Writes the list as CSV or XLSX to `req.path`.
    pub fn list_sheet(&self, req: &ListSheetRequest) -> Result<ExportSaved> {
        let lang = Lang::parse(Some(&req.lang))?;
        let (table, name) = match &req.sheet {
            ListSheet::Members(q) => (self.member_sheet(q, lang)?, lang.t("Members", "会員団体")),
            ListSheet::Sites(q) => (self.site_sheet(q, lang)?, lang.t("Sites", "活動拠点")),
        };
        let bytes = match req.format {
            TableFormat::Csv => tabular::to_csv(&table)?,
            TableFormat::Xlsx => tabular::to_xlsx(&table, name)?,
        };
        let path = Path::new(req.path.trim());
        crate::files::write_atomic(path, &bytes)?;
        Ok(ExportSaved { path: path.display().to_string(), rows: table.rows.len() as u64, bytes: bytes.len() as u64 })
    }

    fn member_sheet(&self, q: &MemberQuery, lang: Lang) -> Result<Table> {
        let mut table = Table {
            headers: headers(
                &[
                    ("Member no.", "会員番号"),
                    ("Name (Japanese)", "団体名"),
                    ("Name (English)", "英語名"),
                    ("Reading", "フリガナ"),
                    ("Legal form", "法人格"),
                    ("Prefectures", "都道府県"),
                    ("Status", "状態"),
                    ("Contact", "担当者"),
                    ("Email", "メールアドレス"),
                    ("Phone", "電話番号"),
                    ("Joined", "入会日"),
                    ("Sites", "拠点数"),
                    ("Active sites", "活動中の拠点数"),
                ],
                lang,
            ),
            rows: Vec::new(),
        };
        let mut offset = 0;
        loop {
            let page = self.member_list(&MemberQuery { offset: Some(offset), limit: Some(MAX_PAGE), ..q.clone() })?;
            for m in &page.rows {
                let prefectures: Vec<String> = m.prefectures.iter().map(|c| prefecture_name(c, lang)).collect();
                table.rows.push(vec![
                    text(&m.member_no),
                    text(&m.name_ja),
                    text(&m.name_en),
                    opt(m.reading.as_ref()),
                    opt(m.legal_form.as_deref().map(|c| label(&LEGAL_FORMS, c, lang))),
                    text(prefectures.join(lang.t(", ", "、"))),
                    text(label(&MEMBER_STATUSES, &m.status, lang)),
                    opt(m.contact_person.as_ref()),
                    opt(m.email.as_ref()),
                    opt(m.phone.as_ref()),
                    opt(m.joined_on),
                    Value::Integer(m.site_count),
                    Value::Integer(m.active_site_count),
                ]);
            }
            offset += page.rows.len() as i64;
            if page.rows.is_empty() || offset >= page.total {
                return Ok(table);
            }
        }
    }

    fn site_sheet(&self, q: &SiteQuery, lang: Lang) -> Result<Table> {
        let mut table = Table {
            headers: headers(
                &[
                    ("Site", "拠点名"),
                    ("Site (English)", "拠点名（英語）"),
                    ("Member", "会員団体"),
                    ("Prefecture", "都道府県"),
                    ("Municipality", "市区町村"),
                    ("Address", "住所"),
                    ("Sectors", "分野"),
                    ("Status", "状態"),
                    ("Opened", "開設日"),
                    ("Closed", "閉鎖日"),
                    ("Latitude", "緯度"),
                    ("Longitude", "経度"),
                ],
                lang,
            ),
            rows: Vec::new(),
        };
        let mut offset = 0;
        loop {
            let page = self.site_list(&SiteQuery { offset: Some(offset), limit: Some(MAX_PAGE), ..q.clone() })?;
            for s in &page.rows {
                let (first, second) = match lang {
                    Lang::Ja => (&s.member_name_ja, &s.member_name_en),
                    Lang::En => (&s.member_name_en, &s.member_name_ja),
                };
                let member = first.as_ref().or(second.as_ref());
                let sectors: Vec<String> = s.sectors.iter().map(|c| label(&SECTORS, c, lang)).collect();
                table.rows.push(vec![
                    text(&s.name),
                    opt(s.name_en.as_ref()),
                    opt(member),
                    text(prefecture_name(&s.prefecture_code, lang)),
                    text(&s.municipality),
                    opt(s.address.as_ref()),
                    text(sectors.join(lang.t(", ", "、"))),
                    text(label(&SITE_STATUSES, &s.status, lang)),
                    opt(s.opened_on),
                    opt(s.closed_on),
                    s.latitude.map_or(Value::Empty, Value::Real),
                    s.longitude.map_or(Value::Empty, Value::Real),
                ]);
            }
            offset += page.rows.len() as i64;
            if page.rows.is_empty() || offset >= page.total {
                return Ok(table);
            }
        }
    }
}
