//! Importing members, sites, contacts and gifts from a spreadsheet (CSV or
//! XLSX), with a dry run. Each row becomes the same input a person types
//! (`MemberInput`, `SiteInput`, ...) and is checked by the same model rules,
//! so every problem carries manual entry's message, here with its row and
//! column. Likely duplicates of existing records (the name under
//! [`crate::fold::org_name_key`] and the same prefecture) are listed, each
//! with a choice: skip, merge into the existing record, or add anyway; so
//! are rows that repeat an earlier row of the same file under the same rule,
//! with the same choices (merge: into the record the earlier row adds). A
//! commit writes every row in one transaction through the store's writer,
//! so an import syncs like typed records, and nothing is written unless every
//! row passes.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::{Kizuna, new_id};
use crate::cell::CellValue;
use crate::error::{Error, Result};
use crate::exchange::sheet::{self, Grid, SheetCell, column_letter};
use crate::exchange::text::TextEncoding;
use crate::exchange::values::{cell_text, normalise_day};
use crate::fold::fold;
use crate::model::directory::ContactInput;
use crate::model::fund::{FundDonorInput, GiftInput};
use crate::model::member::MemberInput;
use crate::model::site::{SiteInput, SiteState};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportKind {
    Members,
    Sites,
    Contacts,
    /// Gifts to the pooled fund (HQ only); their donors are found or created.
    Gifts,
}

impl ImportKind {
    fn code(self) -> &'static str {
        match self {
            ImportKind::Members => "members",
            ImportKind::Sites => "sites",
            ImportKind::Contacts => "contacts",
            ImportKind::Gifts => "gifts",
        }
    }
}

impl std::str::FromStr for ImportKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<ImportKind> {
        match s.trim() {
            "members" => Ok(ImportKind::Members),
            "sites" => Ok(ImportKind::Sites),
            "contacts" => Ok(ImportKind::Contacts),
            "gifts" => Ok(ImportKind::Gifts),
            other => {
                Err(Error::invalid("kind", format!("cannot import '{other}': use members, sites, contacts or gifts")))
            }
        }
    }
}

/// What to do with a row that looks like a record already held.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DuplicateChoice {
    /// Leave the existing record as it is and do not add the row.
    #[default]
    Skip,
    /// Write the row's non-empty cells into the existing record.
    Merge,
    /// Add the row as a new record.
    Add,
}

impl std::str::FromStr for DuplicateChoice {
    type Err = Error;

    fn from_str(s: &str) -> Result<DuplicateChoice> {
        match s.trim() {
            "skip" => Ok(DuplicateChoice::Skip),
            "merge" => Ok(DuplicateChoice::Merge),
            "add" => Ok(DuplicateChoice::Add),
            other => Err(Error::invalid("on_duplicate", format!("unknown choice '{other}': use skip, merge or add"))),
        }
    }
}

/// A column header mapped to a field (`field` empty: the column is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HeaderField {
    pub header: String,
    pub field: String,
}

/// One row's choice for a likely duplicate, by spreadsheet row number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RowDecision {
    pub row: u32,
    pub choice: DuplicateChoice,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportRequest {
    pub kind: ImportKind,
    /// A .csv or .xlsx file.
    pub path: String,
    /// CSV only: detected when absent (BOM, else valid UTF-8, else CP932).
    #[ts(optional)]
    pub encoding: Option<TextEncoding>,
    /// XLSX only: the worksheet; the first when absent.
    #[ts(optional)]
    pub sheet: Option<String>,
    /// Header mappings for this import, over the saved ones and the built-in names.
    #[ts(optional)]
    pub mapping: Option<Vec<HeaderField>>,
    /// The choice for every likely duplicate without a decision of its own (skip when absent).
    #[ts(optional)]
    pub on_duplicate: Option<DuplicateChoice>,
    #[ts(optional)]
    pub decisions: Option<Vec<RowDecision>>,
    /// Check and report only; write nothing.
    #[ts(optional)]
    pub dry_run: Option<bool>,
}

/// A field a column can be mapped to.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportField {
    pub field: String,
    pub en: String,
    pub ja: String,
    pub required: bool,
}

/// How one column of the file was read.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ColumnMapping {
    /// 1-based column number.
    pub column: u32,
    /// Spreadsheet letter: A, B, ... AA.
    pub letter: String,
    pub header: String,
    /// The field it fills; none when the header is not recognised (the column is ignored).
    pub field: Option<String>,
}

/// A problem with the file or one of its cells; `message` is the one manual entry gives.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportProblem {
    /// Spreadsheet row number (1 = the first line of the file).
    pub row: u32,
    pub column: Option<u32>,
    pub letter: Option<String>,
    pub header: Option<String>,
    /// The input field, as manual entry names it.
    pub field: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(l) = &self.letter {
            write!(f, ", column {l}")?;
            if let Some(h) = self.header.as_deref().filter(|h| !h.is_empty()) {
                write!(f, " ({h})")?;
            }
        }
        match &self.field {
            Some(field) => write!(f, ": {field}: {}", self.message),
            None => write!(f, ": {}", self.message),
        }
    }
}

/// A row that looks like a record already held, or like an earlier row of
/// the same file.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DuplicateCandidate {
    pub row: u32,
    /// The row's name as written.
    pub name: String,
    /// The existing record's id; empty when the row repeats `earlier_row`
    /// (its record does not exist before the commit).
    pub existing_id: String,
    /// The existing record: number and name; or the earlier row: "row N: name".
    pub existing_label: String,
    /// The earlier row of the same file this row repeats.
    pub earlier_row: Option<u32>,
    /// JIS code of the shared prefecture, when there is one.
    pub prefecture: Option<String>,
    /// What the import does with it (the row's decision, else the default).
    pub choice: DuplicateChoice,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub kind: ImportKind,
    pub path: String,
    pub encoding: Option<TextEncoding>,
    pub sheet: Option<String>,
    /// Data rows read (empty rows not counted).
    pub rows: u32,
    pub columns: Vec<ColumnMapping>,
    /// Every problem; the import writes nothing while there is one.
    pub problems: Vec<ImportProblem>,
    pub duplicates: Vec<DuplicateCandidate>,
    /// What the commit did (or, on a dry run, would do).
    pub added: u32,
    pub merged: u32,
    pub skipped: u32,
    /// Fund donors created for gifts whose donor was not yet known.
    pub donors_added: u32,
    pub dry_run: bool,
    /// Whether the rows were written.
    pub committed: bool,
}

/// Where a long import is; the app shows it as a progress bar.
#[derive(Debug, Clone, Copy, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    pub stage: ImportStage,
    pub done: u32,
    pub total: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportStage {
    Reading,
    Checking,
    Writing,
}

/// A field of one kind: its name, labels, whether required, how its cells
/// are read, and the headers (folded) it is known by.
struct Spec {
    field: &'static str,
    en: &'static str,
    ja: &'static str,
    required: bool,
    read: Read,
    aliases: &'static [&'static str],
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    Text,
    Day,
    /// A list: 、 ， ／ and ; read as commas.
    List,
}

const fn spec(
    field: &'static str,
    en: &'static str,
    ja: &'static str,
    required: bool,
    read: Read,
    aliases: &'static [&'static str],
) -> Spec {
    Spec { field, en, ja, required, read, aliases }
}

const MEMBER_FIELDS: &[Spec] = &[
    spec(
        "name_ja",
        "Name (Japanese)",
        "団体名",
        true,
        Read::Text,
        &["団体名", "名称", "法人名", "組織名", "団体名称", "name"],
    ),
    spec(
        "name_en",
        "Name (English)",
        "団体名（英語）",
        false,
        Read::Text,
        &["英語名", "英文名", "英語表記", "english name", "name (english)", "name in english"],
    ),
    spec(
        "reading",
        "Reading (kana)",
        "フリガナ",
        false,
        Read::Text,
        &["ふりがな", "フリガナ", "よみがな", "読み", "カナ", "団体名カナ", "kana"],
    ),
    spec("legal_form", "Legal form", "法人格", false, Read::Text, &["法人格", "法人種別", "法人形態", "legal form"]),
    spec(
        "contact_person",
        "Contact person",
        "担当者",
        false,
        Read::Text,
        &["担当者", "担当者名", "連絡担当者", "contact", "contact person"],
    ),
    spec("email", "Email", "メール", false, Read::Text, &["メール", "メールアドレス", "eメール", "e-mail", "mail"]),
    spec("phone", "Phone", "電話", false, Read::Text, &["電話", "電話番号", "tel", "telephone"]),
    spec("address", "Address", "住所", false, Read::Text, &["住所", "所在地"]),
    spec(
        "prefectures",
        "Prefectures",
        "活動県",
        false,
        Read::List,
        &["都道府県", "活動県", "活動地域", "県", "prefecture"],
    ),
    spec("status", "Status", "状態", false, Read::Text, &["状態", "ステータス"]),
    spec("joined_on", "Joined on", "入会日", false, Read::Day, &["入会日", "加盟日", "加入日", "joined", "joined on"]),
    spec("left_on", "Left on", "退会日", false, Read::Day, &["退会日", "left", "left on"]),
    spec("notes", "Notes", "備考", false, Read::Text, &["備考", "メモ", "note"]),
];

const SITE_FIELDS: &[Spec] = &[
    spec(
        "member",
        "Member (number or name)",
        "会員団体",
        true,
        Read::Text,
        &["会員", "会員番号", "会員団体", "団体", "団体名", "member no", "member number", "member name"],
    ),
    spec("prefecture", "Prefecture", "都道府県", true, Read::Text, &["都道府県", "県", "prefecture code"]),
    spec(
        "municipality",
        "Municipality",
        "市区町村",
        true,
        Read::Text,
        &["市区町村", "市町村", "自治体", "city", "town"],
    ),
    spec(
        "name",
        "Site name",
        "拠点名",
        true,
        Read::Text,
        &["拠点名", "拠点", "サイト名", "活動拠点", "名称", "site", "site name"],
    ),
    spec(
        "name_en",
        "Site name (English)",
        "拠点名（英語）",
        false,
        Read::Text,
        &["拠点名(英語)", "英語名", "english name", "site name (english)"],
    ),
    spec("address", "Address", "住所", false, Read::Text, &["住所", "所在地"]),
    spec("latitude", "Latitude", "緯度", false, Read::Text, &["緯度", "lat"]),
    spec("longitude", "Longitude", "経度", false, Read::Text, &["経度", "lon", "lng", "long"]),
    spec("sectors", "Sectors", "分野", false, Read::List, &["分野", "支援分野", "活動分野", "セクター", "sector"]),
    spec("status", "Status", "状態", false, Read::Text, &["状態", "ステータス"]),
    spec(
        "opened_on",
        "Opened on",
        "開設日",
        false,
        Read::Day,
        &["開設日", "開始日", "開所日", "opened", "start", "start date"],
    ),
    spec(
        "closed_on",
        "Closed on",
        "閉鎖日",
        false,
        Read::Day,
        &["閉鎖日", "終了日", "閉所日", "closed", "end", "end date"],
    ),
    spec("notes", "Notes", "備考", false, Read::Text, &["備考", "メモ", "note"]),
];

const CONTACT_FIELDS: &[Spec] = &[
    spec("name_ja", "Name (Japanese)", "氏名", true, Read::Text, &["氏名", "名前", "担当者名", "name"]),
    spec(
        "name_en",
        "Name (English)",
        "氏名（英語）",
        false,
        Read::Text,
        &["英語名", "english name", "name (english)", "name in english"],
    ),
    spec(
        "reading",
        "Reading (kana)",
        "フリガナ",
        false,
        Read::Text,
        &["ふりがな", "フリガナ", "よみがな", "読み", "カナ", "kana"],
    ),
    spec("role", "Role", "役職", false, Read::Text, &["役職", "役割", "肩書", "title", "position"]),
    spec(
        "member",
        "Member (number or name)",
        "所属団体",
        false,
        Read::Text,
        &["所属", "所属団体", "会員番号", "団体名", "member no", "member number"],
    ),
    spec("email", "Email", "メール", false, Read::Text, &["メール", "メールアドレス", "eメール", "e-mail", "mail"]),
    spec("phone", "Phone", "電話", false, Read::Text, &["電話", "電話番号", "携帯", "tel", "telephone"]),
    spec("prefecture", "Prefecture", "都道府県", false, Read::Text, &["都道府県", "県"]),
    spec("notes", "Notes", "備考", false, Read::Text, &["備考", "メモ", "note"]),
];

const GIFT_FIELDS: &[Spec] = &[
    spec(
        "donor",
        "Donor",
        "寄付者",
        true,
        Read::Text,
        &["寄付者", "寄附者", "寄付者名", "寄附者名", "氏名", "名前", "donor name", "name"],
    ),
    spec(
        "donor_en",
        "Donor (English)",
        "寄付者（英語）",
        false,
        Read::Text,
        &["寄付者(英語)", "英語名", "donor (english)", "english name"],
    ),
    spec(
        "donor_kind",
        "Donor kind",
        "寄付者の種別",
        false,
        Read::Text,
        &["種別", "個人/団体", "個人・団体", "donor kind", "kind"],
    ),
    spec(
        "donor_email",
        "Donor email",
        "寄付者メール",
        false,
        Read::Text,
        &["メール", "メールアドレス", "e-mail", "email", "mail"],
    ),
    spec(
        "received_on",
        "Received on",
        "受領日",
        true,
        Read::Day,
        &["受領日", "入金日", "寄付日", "寄附日", "日付", "date", "received"],
    ),
    spec("amount", "Amount", "金額", true, Read::Text, &["金額", "寄付金額", "寄附金額", "入金額"]),
    spec("currency", "Currency", "通貨", false, Read::Text, &["通貨"]),
    spec("channel", "Channel", "寄付方法", false, Read::Text, &["寄付方法", "入金方法", "方法", "支払方法"]),
    spec("purpose", "Purpose", "使途指定", false, Read::Text, &["使途", "使途指定", "目的", "指定"]),
    spec("notes", "Notes", "備考", false, Read::Text, &["備考", "メモ", "note"]),
];

fn specs(kind: ImportKind) -> &'static [Spec] {
    match kind {
        ImportKind::Members => MEMBER_FIELDS,
        ImportKind::Sites => SITE_FIELDS,
        ImportKind::Contacts => CONTACT_FIELDS,
        ImportKind::Gifts => GIFT_FIELDS,
    }
}

/// The field of this kind that an error naming `model_field` is about: the
/// model names some fields differently from the columns (a prefecture list
/// is checked one prefecture at a time, a donor's name as `name_ja`).
fn field_of_error(kind: ImportKind, model_field: &str) -> Option<&'static str> {
    let renamed = match (kind, model_field) {
        (ImportKind::Members, "prefecture") => "prefectures",
        (ImportKind::Sites, "sector") => "sectors",
        (ImportKind::Contacts, "prefecture" | "prefecture_code") => "prefecture",
        (ImportKind::Contacts, "organisation") => "member",
        (ImportKind::Gifts, "name_ja" | "donor") => "donor",
        (ImportKind::Gifts, "name_en") => "donor_en",
        (ImportKind::Gifts, "kind") => "donor_kind",
        (ImportKind::Gifts, "email") => "donor_email",
        _ => model_field,
    };
    specs(kind).iter().find(|s| s.field == renamed).map(|s| s.field)
}

/// A header as compared: folded (NFKC, kana, case), without spaces, marks
/// of required columns, or brackets' width differences.
fn header_key(h: &str) -> String {
    fold(h).chars().filter(|c| !c.is_whitespace() && !matches!(c, '*' | '※' | '_' | ':')).collect()
}

/// The meta key of a kind's saved header mapping (local: never synced).
fn mapping_key(kind: ImportKind) -> String {
    format!("import.mapping.{}", kind.code())
}

/// The model's error as a problem at (`row`, the column of `field`).
fn problem(row: u32, col: Option<(u32, &str)>, field: Option<&str>, message: impl Into<String>) -> ImportProblem {
    ImportProblem {
        row,
        column: col.map(|c| c.0),
        letter: col.map(|c| column_letter(c.0)),
        header: col.map(|c| c.1.to_string()),
        field: field.map(str::to_string),
        message: message.into(),
    }
}

/// One data row: each mapped field's text (normalised as its [`Read`] says)
/// and the column it came from.
struct RowValues {
    row: u32,
    values: BTreeMap<&'static str, (String, u32)>,
}

impl RowValues {
    fn get(&self, field: &str) -> Option<String> {
        self.values.get(field).map(|(v, _)| v.clone())
    }

    fn text(&self, field: &str) -> Option<&str> {
        self.values.get(field).map(|(v, _)| v.as_str())
    }
}

/// What the commit does with one row.
enum Action {
    /// A new record, its id given before the commit so that a later row of
    /// the file can be merged into it.
    Add(String, Vec<(&'static str, CellValue)>),
    Merge(String, Vec<(&'static str, CellValue)>),
    Skip,
}

/// A gift's donor: an existing one, or one this import creates (by key, once).
enum DonorRef {
    Existing(String),
    New(String, Vec<(&'static str, CellValue)>),
}

/// A prepared row.
struct Prepared {
    action: Action,
    donor: Option<DonorRef>,
    /// The year of a gift's receipt number.
    year: i32,
}

/// Existing records by their duplicate key, with their prefectures and label.
type Known = HashMap<String, Vec<(String, Vec<String>, String)>>;

impl Kizuna {
    /// The fields a column of `kind` can be mapped to.
    pub fn import_fields(&self, kind: ImportKind) -> Vec<ImportField> {
        specs(kind)
            .iter()
            .map(|s| ImportField { field: s.field.into(), en: s.en.into(), ja: s.ja.into(), required: s.required })
            .collect()
    }

    /// The header mapping saved for `kind` (this installation only).
    pub fn import_mapping(&self, kind: ImportKind) -> Result<Vec<HeaderField>> {
        Ok(self.store.meta(&mapping_key(kind))?.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default())
    }

    /// Saves the header mapping of `kind` for the next imports; each field
    /// must be one of the kind's (or empty, to ignore the column).
    pub fn import_mapping_save(&mut self, kind: ImportKind, mapping: &[HeaderField]) -> Result<Vec<HeaderField>> {
        for m in mapping {
            let f = m.field.trim();
            if !f.is_empty() && !specs(kind).iter().any(|s| s.field == f) {
                return Err(Error::invalid("field", format!("'{f}' is not a field of {}", kind.code())));
            }
        }
        let clean: Vec<HeaderField> = mapping
            .iter()
            .filter(|m| !m.header.trim().is_empty())
            .map(|m| HeaderField { header: m.header.trim().into(), field: m.field.trim().into() })
            .collect();
        let json = serde_json::to_string(&clean).map_err(|e| Error::Rejected(e.to_string()))?;
        self.store.write(|w| w.set_meta(&mapping_key(kind), &json))?;
        Ok(clean)
    }

    /// Imports a file (see the module header): a dry run reports, a commit
    /// writes every row in one transaction or none.
    pub fn import(&mut self, req: &ImportRequest) -> Result<ImportReport> {
        self.import_with_progress(req, &mut |_| {})
    }

    pub fn import_with_progress(
        &mut self,
        req: &ImportRequest,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportReport> {
        if req.kind == ImportKind::Gifts {
            self.require_fund_writer("gifts")?;
        }
        progress(ImportProgress { stage: ImportStage::Reading, done: 0, total: 0 });
        let path = Path::new(req.path.trim());
        let grid = sheet::read(path, req.encoding, req.sheet.as_deref())?;
        let mut report = ImportReport {
            kind: req.kind,
            path: req.path.clone(),
            encoding: grid.encoding,
            sheet: grid.sheet.clone(),
            rows: 0,
            columns: Vec::new(),
            problems: Vec::new(),
            duplicates: Vec::new(),
            added: 0,
            merged: 0,
            skipped: 0,
            donors_added: 0,
            dry_run: req.dry_run.unwrap_or(false),
            committed: false,
        };
        let rows = self.read_rows(req, &grid, &mut report)?;
        report.rows = rows.len() as u32;
        let total = report.rows;
        let known = self.known_records(req.kind)?;
        let resolver = self.resolver(req.kind)?;
        let decisions: HashMap<u32, DuplicateChoice> =
            req.decisions.iter().flatten().map(|d| (d.row, d.choice)).collect();
        let default_choice = req.on_duplicate.unwrap_or_default();
        let field_cols: HashMap<&'static str, u32> = report
            .columns
            .iter()
            .filter_map(|c| {
                let f = specs(req.kind).iter().find(|s| Some(s.field) == c.field.as_deref())?;
                Some((f.field, c.column))
            })
            .collect();
        // The id each row's record will have (so a later row can be merged
        // into it), and the rows of this file that add a record, by
        // duplicate key: their index and prefectures.
        let planned: Vec<String> = rows.iter().map(|_| new_id()).collect();
        let mut in_file: HashMap<String, Vec<(usize, Vec<&'static str>)>> = HashMap::new();
        let mut prepared = Vec::with_capacity(rows.len());
        for (n, row) in rows.iter().enumerate() {
            if n % 1000 == 0 {
                progress(ImportProgress { stage: ImportStage::Checking, done: n as u32, total });
            }
            let key = row_key(req.kind, row);
            let dup = key.as_ref().and_then(|k| duplicate_of(k, &known)).or_else(|| {
                let (k, prefs) = key.as_ref()?;
                in_file.get(k)?.iter().find_map(|(i, theirs)| {
                    let shared = same_place(prefs, theirs)?;
                    let earlier = &rows[*i];
                    let label = format!("row {}: {}", earlier.row, duplicate_name(req.kind, earlier));
                    Some(Duplicate {
                        id: planned[*i].clone(),
                        label,
                        prefecture: shared,
                        earlier_row: Some(earlier.row),
                    })
                })
            });
            let choice = match dup {
                Some(d) => {
                    let choice = decisions.get(&row.row).copied().unwrap_or(default_choice);
                    report.duplicates.push(DuplicateCandidate {
                        row: row.row,
                        name: duplicate_name(req.kind, row),
                        existing_id: if d.earlier_row.is_some() { String::new() } else { d.id.clone() },
                        existing_label: d.label,
                        earlier_row: d.earlier_row,
                        prefecture: d.prefecture.map(str::to_string),
                        choice,
                    });
                    Some((d.id, choice))
                }
                None => {
                    if let Some((key, prefs)) = key {
                        in_file.entry(key).or_default().push((n, prefs));
                    }
                    None
                }
            };
            match self.prepare_row(req.kind, row, choice, &planned[n], &resolver, &field_cols) {
                Ok(p) => {
                    match p.action {
                        Action::Add(..) => report.added += 1,
                        Action::Merge(..) => report.merged += 1,
                        Action::Skip => report.skipped += 1,
                    }
                    prepared.push(p);
                }
                Err(mut problems) => {
                    for p in &mut problems {
                        if let Some(c) = p.column.and_then(|c| report.columns.get(c as usize - 1)) {
                            p.header = Some(c.header.clone());
                        }
                    }
                    report.problems.extend(problems)
                }
            }
        }
        let mut new_donors: Vec<&str> = prepared
            .iter()
            .filter_map(|p| match &p.donor {
                Some(DonorRef::New(key, _)) if !matches!(p.action, Action::Skip) => Some(key.as_str()),
                _ => None,
            })
            .collect();
        new_donors.sort_unstable();
        new_donors.dedup();
        report.donors_added = new_donors.len() as u32;
        // Read in file order, found in check order: listed as a person fixes them.
        report.problems.sort_by_key(|p| (p.row, p.column));
        if report.dry_run || !report.problems.is_empty() {
            return Ok(report);
        }
        self.write_import(req.kind, prepared, total, progress)?;
        report.committed = true;
        Ok(report)
    }

    /// The grid's header row mapped to fields, and its data rows read into
    /// field values; file-level and cell-level reading problems go to the report.
    fn read_rows(&self, req: &ImportRequest, grid: &Grid, report: &mut ImportReport) -> Result<Vec<RowValues>> {
        let specs = specs(req.kind);
        let Some(header_at) = grid.rows.iter().position(|r| r.iter().any(|c| !c.is_empty())) else {
            report.problems.push(problem(1, None, None, "the sheet is empty: no header row and no data"));
            return Ok(Vec::new());
        };
        let header_row = header_at as u32 + 1;
        // Saved mapping first, then this import's: the later wins.
        let mut chosen: HashMap<String, String> = HashMap::new();
        for m in self.import_mapping(req.kind)?.into_iter().chain(req.mapping.iter().flatten().cloned()) {
            chosen.insert(header_key(&m.header), m.field.trim().to_string());
        }
        if let Some(bad) = chosen.values().find(|f| !f.is_empty() && !specs.iter().any(|s| s.field == f.as_str())) {
            return Err(Error::invalid("mapping", format!("'{bad}' is not a field of {}", req.kind.code())));
        }
        let headers: Vec<String> = grid.rows[header_at].iter().map(cell_text).collect();
        // Folded once, not once per cell of every row.
        let header_keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
        let mut taken: HashMap<&'static str, u32> = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            let col = i as u32 + 1;
            let key = header_keys[i].clone();
            let field: Option<&'static str> = if key.is_empty() {
                None
            } else if let Some(f) = chosen.get(&key) {
                specs.iter().find(|s| s.field == f.as_str()).map(|s| s.field)
            } else {
                specs
                    .iter()
                    .find(|s| {
                        key == header_key(s.field)
                            || key == header_key(s.en)
                            || key == header_key(s.ja)
                            || s.aliases.iter().any(|a| key == header_key(a))
                    })
                    .map(|s| s.field)
            };
            let field = match field {
                Some(f) if taken.contains_key(f) => {
                    let first = taken.get(f).copied().unwrap_or(0);
                    report.problems.push(problem(
                        header_row,
                        Some((col, h)),
                        Some(f),
                        format!(
                            "column {} already fills this field: map one of them to another field",
                            column_letter(first)
                        ),
                    ));
                    None
                }
                Some(f) => {
                    taken.insert(f, col);
                    Some(f)
                }
                None => None,
            };
            report.columns.push(ColumnMapping {
                column: col,
                letter: column_letter(col),
                header: h.clone(),
                field: field.map(str::to_string),
            });
        }
        for s in specs.iter().filter(|s| s.required) {
            if !taken.contains_key(s.field) {
                report.problems.push(problem(
                    header_row,
                    None,
                    Some(s.field),
                    format!("no column for {} ({}): add one, or map a header to {}", s.ja, s.en, s.field),
                ));
            }
        }
        let width = headers.len();
        let col_fields: Vec<Option<&'static str>> = report
            .columns
            .iter()
            .map(|m| m.field.as_deref().and_then(|f| specs.iter().find(|s| s.field == f)).map(|s| s.field))
            .collect();
        let mut out = Vec::new();
        for (i, cells) in grid.rows.iter().enumerate().skip(header_at + 1) {
            if cells.iter().all(SheetCell::is_empty) {
                continue;
            }
            let row = i as u32 + 1;
            let mut values = BTreeMap::new();
            for (c, cell) in cells.iter().enumerate() {
                let col = c as u32 + 1;
                let header = headers.get(c).map(String::as_str).unwrap_or("");
                let field = col_fields.get(c).copied().flatten();
                match cell {
                    SheetCell::Formula(f) => {
                        report.problems.push(problem(
                            row,
                            Some((col, header)),
                            field,
                            format!(
                                "a formula ({}): Kizuna imports values, not formulas; copy the column and paste it as values",
                                crate::model::text::clip(f)
                            ),
                        ));
                        continue;
                    }
                    SheetCell::Error(e) => {
                        report.problems.push(problem(
                            row,
                            Some((col, header)),
                            field,
                            format!("the spreadsheet shows an error ({e}) in this cell"),
                        ));
                        continue;
                    }
                    _ if cell.is_empty() => continue,
                    _ => {}
                }
                if c >= width || header_keys.get(c).is_none_or(|k| k.is_empty()) {
                    report.problems.push(problem(
                        row,
                        Some((col, header)),
                        None,
                        format!(
                            "'{}' is in a column without a header: are the columns of this row shifted?",
                            crate::model::text::clip(&cell_text(cell))
                        ),
                    ));
                    continue;
                }
                let Some(field) = specs.iter().find(|s| Some(s.field) == field) else { continue };
                let text = cell_text(cell);
                let text = match field.read {
                    Read::Day => normalise_day(&text),
                    // A JSON list, as Kizuna's own table exports write lists, or a typed one.
                    Read::List => match serde_json::from_str::<Vec<String>>(&text) {
                        Ok(list) => list.join(","),
                        Err(_) => text.replace(['、', '，', '／', ';', '；'], ","),
                    },
                    Read::Text => text,
                };
                values.insert(field.field, (text, col));
            }
            out.push(RowValues { row, values });
        }
        if out.is_empty() && report.problems.is_empty() {
            report.problems.push(problem(header_row + 1, None, None, "no data rows under the header"));
        }
        Ok(out)
    }

    /// Every live record of `kind` by its duplicate key, for [`duplicate_of`].
    fn known_records(&self, kind: ImportKind) -> Result<Known> {
        let sql = match kind {
            ImportKind::Members => "SELECT id, name_ja, prefectures, member_no || ' ' || name_ja FROM members WHERE deleted = 0",
            ImportKind::Sites => "SELECT id, name, json_array(prefecture_code), name || ' (' || municipality || ')' FROM sites WHERE deleted = 0",
            ImportKind::Contacts => "SELECT id, name_ja, json_array(prefecture_code), name_ja FROM contacts WHERE deleted = 0",
            ImportKind::Gifts => {
                "SELECT g.id, coalesce(d.name_ja, d.name_en) || ' ' || g.received_on || ' ' || g.amount || ' ' || g.currency,
                        '[]', g.receipt_no || ' ' || coalesce(d.name_ja, d.name_en)
                 FROM gifts g JOIN fund_donors d ON d.id = g.donor_id WHERE g.deleted = 0"
            }
        };
        let mut known: Known = HashMap::new();
        let mut stmt = self.store.conn().prepare(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (id, name): (String, Option<String>) = (r.get(0)?, r.get(1)?);
            let prefs: Vec<String> = r
                .get::<_, Option<String>>(2)?
                .and_then(|s| serde_json::from_str::<Vec<Option<String>>>(&s).ok())
                .unwrap_or_default()
                .into_iter()
                .flatten()
                .collect();
            let label: String = r.get::<_, Option<String>>(3)?.unwrap_or_default();
            let key =
                if kind == ImportKind::Gifts { name.unwrap_or_default() } else { name_key(&name.unwrap_or_default()) };
            known.entry(key).or_default().push((id, prefs, label));
        }
        Ok(known)
    }

    /// Lookups a kind's rows need: members by number, id or name (sites and
    /// contacts), fund donors by email or name (gifts).
    fn resolver(&self, kind: ImportKind) -> Result<Resolver> {
        // As `site_add_many` dates a typed site.
        let mut r = Resolver { today: chrono::Utc::now().date_naive().to_string(), ..Default::default() };
        let conn = self.store.conn();
        match kind {
            ImportKind::Sites | ImportKind::Contacts => {
                let mut stmt = conn.prepare("SELECT id, member_no, name_ja, name_en FROM members WHERE deleted = 0")?;
                let mut rows = stmt.query([])?;
                while let Some(row) = rows.next()? {
                    let id: String = row.get(0)?;
                    r.members.insert(id.to_lowercase(), id.clone());
                    for i in 1..=3 {
                        if let Some(v) = row.get::<_, Option<String>>(i)? {
                            let key = if i == 1 { v.to_uppercase() } else { name_key(&v) };
                            r.members.entry(key).or_insert_with(|| id.clone());
                        }
                    }
                }
                r.office_id = self.own_office()?.map(|o| o.id);
            }
            ImportKind::Gifts => {
                let mut stmt = conn.prepare("SELECT id, name_ja, name_en, email FROM fund_donors WHERE deleted = 0")?;
                let mut rows = stmt.query([])?;
                while let Some(row) = rows.next()? {
                    let id: String = row.get(0)?;
                    for i in 1..=2 {
                        if let Some(v) = row.get::<_, Option<String>>(i)? {
                            r.donors.entry(name_key(&v)).or_insert_with(|| id.clone());
                        }
                    }
                    if let Some(e) = row.get::<_, Option<String>>(3)? {
                        r.donors.entry(format!("@{}", e.to_lowercase())).or_insert_with(|| id.clone());
                    }
                }
            }
            ImportKind::Members => r.office_id = self.own_office()?.map(|o| o.id),
        }
        Ok(r)
    }

    /// Checks one row through the model's own rules, collecting every
    /// problem: after a field fails it is left out and the row checked again,
    /// until it passes or a field fails twice (a required one left out).
    fn prepare_row(
        &self,
        kind: ImportKind,
        row: &RowValues,
        duplicate: Option<(String, DuplicateChoice)>,
        planned: &str,
        resolver: &Resolver,
        field_cols: &HashMap<&'static str, u32>,
    ) -> std::result::Result<Prepared, Vec<ImportProblem>> {
        let choice = duplicate.as_ref().map(|d| d.1);
        if kind == ImportKind::Gifts && choice == Some(DuplicateChoice::Merge) {
            let col = row.values.get("donor").map(|(_, c)| *c);
            return Err(vec![problem(
                row.row,
                col.map(|c| (c, "")),
                Some("donor"),
                "a gift cannot be merged into another (its receipt is issued): choose skip or add",
            )]);
        }
        let mut current = RowValues { row: row.row, values: row.values.clone() };
        if choice == Some(DuplicateChoice::Merge) {
            // The existing record keeps its name: the row only adds to it.
            current.values.remove(name_field(kind));
        }
        let mut problems: Vec<ImportProblem> = Vec::new();
        let mut failed: Vec<&'static str> = Vec::new();
        loop {
            let merging = matches!(choice, Some(DuplicateChoice::Merge));
            let result = match (kind, &duplicate) {
                _ if choice == Some(DuplicateChoice::Skip) => {
                    // A skipped row is still read, so its problems show, but never written.
                    self.row_cells(kind, &current, false, resolver).map(|_| Prepared {
                        action: Action::Skip,
                        donor: None,
                        year: 0,
                    })
                }
                (_, Some((id, _))) if merging => self.row_cells(kind, &current, true, resolver).map(|p| Prepared {
                    action: Action::Merge(id.clone(), p.cells),
                    donor: None,
                    year: p.year,
                }),
                _ => self.row_cells(kind, &current, false, resolver).map(|p| Prepared {
                    action: Action::Add(planned.to_string(), p.cells),
                    donor: p.donor,
                    year: p.year,
                }),
            };
            match result {
                Ok(p) if problems.is_empty() => return Ok(p),
                Ok(_) => return Err(problems),
                Err(Error::Invalid { field, message }) => {
                    let f = field_of_error(kind, &field);
                    let col = f.and_then(|f| row.values.get(f).map(|(_, c)| *c).or_else(|| field_cols.get(f).copied()));
                    problems.push(problem(row.row, col.map(|c| (c, "")), Some(&field), message));
                    // Check the rest of the row without this field: left out,
                    // or, if the record needs it, as a value that passes.
                    match f {
                        Some(f) if !failed.contains(&f) => {
                            failed.push(f);
                            match placeholder(kind, f) {
                                Some(v) => current.values.insert(f, (v.to_string(), 0)),
                                None => current.values.remove(f),
                            };
                        }
                        _ => return Err(problems),
                    }
                }
                // Manual entry's checks report every field at once: each
                // problem goes under its own column.
                Err(Error::InvalidFields { problems: list }) => {
                    for p in list {
                        let f = field_of_error(kind, &p.field);
                        let col =
                            f.and_then(|f| row.values.get(f).map(|(_, c)| *c).or_else(|| field_cols.get(f).copied()));
                        problems.push(problem(row.row, col.map(|c| (c, "")), Some(&p.field), p.message));
                    }
                    return Err(problems);
                }
                Err(e) => {
                    problems.push(problem(row.row, None, None, e.to_string()));
                    return Err(problems);
                }
            }
        }
    }

    /// The cells of one row, as manual entry validates them (`editing`: as
    /// an edit of an existing record, only the row's non-empty cells).
    fn row_cells(&self, kind: ImportKind, row: &RowValues, editing: bool, resolver: &Resolver) -> Result<RowCells> {
        let v = |f: &str| row.get(f);
        let creating = !editing;
        let mut out = RowCells { cells: Vec::new(), donor: None, year: 0 };
        match kind {
            ImportKind::Members => {
                let input = MemberInput {
                    name_ja: v("name_ja"),
                    name_en: v("name_en"),
                    reading: v("reading"),
                    legal_form: v("legal_form"),
                    contact_person: v("contact_person"),
                    email: v("email"),
                    phone: v("phone"),
                    address: v("address"),
                    prefectures: v("prefectures").map(|p| vec![p]),
                    status: v("status"),
                    joined_on: v("joined_on"),
                    left_on: v("left_on"),
                    notes: v("notes"),
                    donor_fund_partner: None,
                    // Likely duplicates are the import's own step (skip, merge, add).
                    allow_duplicate: None,
                };
                out.cells = input.to_cells(creating, (None, None))?;
                if creating {
                    out.cells.push(("office_id", CellValue::opt_text(resolver.office_id.clone())));
                }
            }
            ImportKind::Sites => {
                let member = match v("member") {
                    Some(m) => Some(resolver.member(&m)?),
                    None => None,
                };
                let input = SiteInput {
                    member_id: member,
                    prefecture: v("prefecture"),
                    municipality: v("municipality"),
                    name: v("name"),
                    name_en: v("name_en"),
                    address: v("address"),
                    latitude: v("latitude"),
                    longitude: v("longitude"),
                    sectors: v("sectors").map(|s| vec![s]),
                    status: v("status"),
                    opened_on: v("opened_on"),
                    closed_on: v("closed_on"),
                    notes: v("notes"),
                    municipality_free: None,
                };
                out.cells = input.to_cells(creating, &SiteState::default(), crate::dates::today())?;
                if creating {
                    out.cells.push(("created_on", CellValue::Text(resolver.today.clone())));
                    out.cells.push(("office_id", CellValue::opt_text(resolver.office_id.clone())));
                }
            }
            ImportKind::Contacts => {
                let input = ContactInput {
                    name_ja: v("name_ja"),
                    name_en: v("name_en"),
                    reading: v("reading"),
                    role: v("role"),
                    member: v("member"),
                    organisation: None,
                    email: v("email"),
                    phone: v("phone"),
                    prefecture: v("prefecture"),
                    notes: v("notes"),
                };
                out.cells = input.to_cells(creating)?;
                if let Some(m) = v("member") {
                    out.cells.push(("member_id", CellValue::Text(resolver.member(&m)?)));
                }
                if creating {
                    out.cells.push(("office_id", CellValue::opt_text(resolver.office_id.clone())));
                }
            }
            ImportKind::Gifts => {
                let input = GiftInput {
                    donor: None,
                    received_on: v("received_on"),
                    amount: v("amount"),
                    currency: Some(v("currency").unwrap_or_else(|| "JPY".into())),
                    channel: v("channel"),
                    purpose: v("purpose"),
                    notes: v("notes"),
                };
                out.cells = input.to_cells(true, None)?;
                out.year = out
                    .cells
                    .iter()
                    .find(|(c, _)| *c == "received_on")
                    .and_then(|(_, v)| v.as_str())
                    .and_then(|d| d.get(..4))
                    .and_then(|y| y.parse().ok())
                    .unwrap_or(0);
                let name = v("donor").ok_or_else(|| Error::invalid("donor", "is required"))?;
                let email = v("donor_email");
                let found = email
                    .as_ref()
                    .and_then(|e| resolver.donors.get(&format!("@{}", e.trim().to_lowercase())))
                    .or_else(|| resolver.donors.get(&name_key(&name)));
                out.donor = Some(match found {
                    Some(id) => DonorRef::Existing(id.clone()),
                    None => {
                        let latin = name.is_ascii();
                        let input = FundDonorInput {
                            kind: v("donor_kind"),
                            name_ja: (!latin).then(|| name.clone()),
                            name_en: v("donor_en").or_else(|| latin.then(|| name.clone())),
                            email,
                            ..Default::default()
                        };
                        DonorRef::New(name_key(&name), input.to_cells(true, (false, false))?)
                    }
                });
            }
        }
        Ok(out)
    }

    /// Writes the prepared rows in one transaction.
    fn write_import(
        &mut self,
        kind: ImportKind,
        prepared: Vec<Prepared>,
        total: u32,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<()> {
        let table = match kind {
            ImportKind::Members => "members",
            ImportKind::Sites => "sites",
            ImportKind::Contacts => "contacts",
            ImportKind::Gifts => "gifts",
        };
        let office = self.office_code().to_string();
        self.store.write(|w| {
            let mut donors: HashMap<String, String> = HashMap::new();
            for (n, p) in prepared.into_iter().enumerate() {
                if n % 1000 == 0 {
                    progress(ImportProgress { stage: ImportStage::Writing, done: n as u32, total });
                }
                match p.action {
                    Action::Skip => {}
                    Action::Merge(id, cells) => {
                        w.update(table, &id, &cells)?;
                    }
                    Action::Add(id, mut cells) => {
                        if kind == ImportKind::Members {
                            let no = crate::api::members::next_member_no(w.conn(), &office)?;
                            cells.push(("member_no", CellValue::Text(no)));
                        }
                        if kind == ImportKind::Gifts {
                            let donor = match p.donor {
                                Some(DonorRef::Existing(id)) => id,
                                Some(DonorRef::New(key, donor_cells)) => match donors.get(&key) {
                                    Some(id) => id.clone(),
                                    None => {
                                        let id = new_id();
                                        w.insert("fund_donors", &id, &donor_cells)?;
                                        donors.insert(key, id.clone());
                                        id
                                    }
                                },
                                None => return Err(Error::invalid("donor", "is required")),
                            };
                            cells.push(("donor_id", CellValue::Text(donor)));
                            let no = crate::api::gifts::next_receipt_no(w.conn(), p.year)?;
                            cells.push(("receipt_no", CellValue::Text(no)));
                        }
                        w.insert(table, &id, &cells)?;
                    }
                }
            }
            Ok(())
        })?;
        progress(ImportProgress { stage: ImportStage::Writing, done: total, total });
        Ok(())
    }
}

/// A row's validated cells, and for a gift its donor and receipt year.
struct RowCells {
    cells: Vec<(&'static str, CellValue)>,
    donor: Option<DonorRef>,
    year: i32,
}

#[derive(Default)]
struct Resolver {
    /// Member ids by id (lower case), member number (upper case) and name key.
    members: HashMap<String, String>,
    /// Fund donor ids by name key and by "@" + email.
    donors: HashMap<String, String>,
    office_id: Option<String>,
    /// The day new sites are created on, read once.
    today: String,
}

impl Resolver {
    fn member(&self, given: &str) -> Result<String> {
        let g = given.trim();
        self.members
            .get(&g.to_lowercase())
            .or_else(|| self.members.get(&g.to_uppercase()))
            .or_else(|| self.members.get(&name_key(g)))
            .cloned()
            .ok_or_else(|| {
                Error::invalid("member", format!("no member with number, id or name '{}'", crate::model::text::clip(g)))
            })
    }
}

/// A value that passes a required field's rule, so that the rest of a row
/// whose value failed can still be checked; none when the field is optional
/// (left out instead) or no such value exists (a member must be found).
fn placeholder(kind: ImportKind, field: &str) -> Option<&'static str> {
    let required = specs(kind).iter().any(|s| s.field == field && s.required);
    if !required {
        return None;
    }
    match field {
        "received_on" => Some("2000-01-01"),
        "amount" => Some("1"),
        "prefecture" => Some("13"),
        "member" => None,
        _ => Some("-"),
    }
}

/// The field holding a record's name, for duplicates.
fn name_field(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Members | ImportKind::Contacts => "name_ja",
        ImportKind::Sites => "name",
        ImportKind::Gifts => "donor",
    }
}

/// A row's duplicate key and prefectures (JIS codes), as
/// [`Kizuna::known_records`] keys a record: the name key; for gifts, the
/// donor, day, amount and currency.
fn row_key(kind: ImportKind, row: &RowValues) -> Option<(String, Vec<&'static str>)> {
    if kind == ImportKind::Gifts {
        let donor = row.text("donor")?;
        let amount = crate::money::Currency::parse("currency", row.text("currency").unwrap_or("JPY"))
            .ok()
            .and_then(|c| crate::money::Money::parse_amount("amount", row.text("amount")?, c).ok())?;
        let key = format!("{} {} {} {}", donor, row.text("received_on")?, amount.amount_text(), amount.currency);
        return Some((key, Vec::new()));
    }
    let name = row.text(name_field(kind))?;
    let pref_field = if kind == ImportKind::Members { "prefectures" } else { "prefecture" };
    let prefs: Vec<&'static str> = row
        .text(pref_field)
        .map(|p| p.split(',').filter_map(|p| crate::prefecture::Prefecture::parse(p).ok()).map(|p| p.code).collect())
        .unwrap_or_default();
    Some((name_key(name), prefs))
}

/// The record a row is likely a duplicate of.
struct Duplicate {
    id: String,
    label: String,
    /// The prefecture they share, when they name one.
    prefecture: Option<&'static str>,
    /// When the record is the one an earlier row of the file adds.
    earlier_row: Option<u32>,
}

/// Whether two records with one name key are likely one: they share a
/// prefecture (given back), or neither names one.
fn same_place(ours: &[&'static str], theirs: &[impl AsRef<str>]) -> Option<Option<&'static str>> {
    let shared = ours.iter().find(|p| theirs.iter().any(|t| t.as_ref() == **p)).copied();
    (shared.is_some() || (ours.is_empty() && theirs.is_empty())).then_some(shared)
}

/// The existing record a row likely duplicates, given its [`row_key`].
fn duplicate_of((key, prefs): &(String, Vec<&'static str>), known: &Known) -> Option<Duplicate> {
    known.get(key)?.iter().find_map(|(id, theirs, label)| {
        let prefecture = same_place(prefs, theirs)?;
        Some(Duplicate { id: id.clone(), label: label.clone(), prefecture, earlier_row: None })
    })
}

fn duplicate_name(kind: ImportKind, row: &RowValues) -> String {
    row.text(name_field(kind)).unwrap_or("").to_string()
}

/// The key two names of one organisation share (legal forms, width, kana).
fn name_key(name: &str) -> String {
    crate::fold::org_name_key(name)
}
