//! Data exchange through the core API with real files: CSV saved in CP932
//! by Python's `cp932` codec and in UTF-8 with a BOM (tests/fixtures/exchange,
//! made by make_fixtures.py there), XLSX written by a spreadsheet library
//! (rust_xlsxwriter), every bad input the import must explain; table exports
//! read back; backups taken during writes, restored, checked and refused.

use std::path::{Path, PathBuf};

use kizuna_core::api::{
    DuplicateChoice, ImportKind, ImportReport, ImportRequest, ListSheet, ListSheetRequest, RowDecision,
    TableExportRequest, TableFormat,
};
use kizuna_core::exchange::text::TextEncoding;
use kizuna_core::model::member::{MemberInput, MemberQuery};
use kizuna_core::model::site::{SiteInput, SiteQuery};
use kizuna_core::{Error, Kizuna};

use crate::fresh;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/exchange").join(name)
}

fn request(kind: ImportKind, path: &Path, dry_run: bool) -> ImportRequest {
    ImportRequest {
        kind,
        path: path.display().to_string(),
        encoding: None,
        sheet: None,
        mapping: None,
        on_duplicate: None,
        decisions: None,
        dry_run: Some(dry_run),
    }
}

fn log_len(k: &Kizuna) -> i64 {
    k.store().conn().query_row("SELECT count(*) FROM change_log", [], |r| r.get(0)).unwrap()
}

fn members(k: &Kizuna) -> Vec<kizuna_core::model::member::Member> {
    k.member_list(&MemberQuery { limit: Some(500), ..Default::default() }).unwrap().rows
}

fn problems(r: &ImportReport) -> Vec<String> {
    r.problems.iter().map(|p| p.to_string()).collect()
}

fn sendai_support(k: &mut Kizuna) -> String {
    k.member_add(&MemberInput {
        name_ja: Some("仙台復興支援の会".into()),
        name_en: Some("Sendai Recovery Support".into()),
        prefectures: Some(vec!["宮城県".into()]),
        ..Default::default()
    })
    .unwrap()
    .id
}

#[test]
fn a_cp932_csv_from_excel_dry_runs_then_imports_with_dates_normalised_and_the_duplicate_merged() {
    let (_dir, mut k) = fresh("sendai");
    let existing = sendai_support(&mut k);
    let file = fixture("members_cp932.csv");
    let before = log_len(&k);

    let dry = k.import(&request(ImportKind::Members, &file, true)).unwrap();
    assert_eq!(dry.encoding, Some(TextEncoding::Cp932));
    assert_eq!(dry.rows, 3);
    assert!(dry.problems.is_empty(), "{:?}", problems(&dry));
    assert_eq!(dry.duplicates.len(), 1, "特定非営利活動法人 仙台復興支援の会 (宮城県) is the member already held");
    let d = &dry.duplicates[0];
    assert_eq!(
        (d.row, d.existing_id.as_str(), d.prefecture.as_deref(), d.choice),
        (2, existing.as_str(), Some("04"), DuplicateChoice::Skip)
    );
    assert_eq!((dry.added, dry.merged, dry.skipped, dry.committed), (2, 0, 1, false));
    assert_eq!(log_len(&k), before, "a dry run writes nothing");
    assert_eq!(members(&k).len(), 1);

    let mut req = request(ImportKind::Members, &file, false);
    req.decisions = Some(vec![RowDecision { row: 2, choice: DuplicateChoice::Merge }]);
    let done = k.import(&req).unwrap();
    assert!(done.committed, "{:?}", problems(&done));
    assert_eq!((done.added, done.merged, done.skipped), (2, 1, 0));
    // One change-log entry per written row, as typed records get: the import syncs.
    assert_eq!(log_len(&k), before + 3);
    assert_eq!(k.unsynced_changes().unwrap(), 4);

    let all = members(&k);
    assert_eq!(all.len(), 3);
    let merged = all.iter().find(|m| m.id == existing).unwrap();
    assert_eq!(merged.email.as_deref(), Some("info@sendai-fukko.example"));
    assert_eq!(merged.joined_on.unwrap().to_string(), "2011-03-11", "平成23年3月11日");
    let kamaishi = all.iter().find(|m| m.name_ja == "釜石こども未来ネット").unwrap();
    assert_eq!(kamaishi.joined_on.unwrap().to_string(), "2011-03-11", "2011/3/11");
    assert_eq!(kamaishi.phone.as_deref(), Some("0193-22-1111"), "full-width digits folded as manual entry folds them");
    assert_eq!(kamaishi.legal_form.as_deref(), Some("voluntary"));
    assert_eq!(kamaishi.member_no, "SDI-0002");
    let fukushima = all.iter().find(|m| m.name_en.starts_with("Fukushima")).unwrap();
    assert_eq!(fukushima.prefectures, vec!["04".to_string(), "07".to_string()], "福島県、宮城県");
}

#[test]
fn utf8_with_a_bom_reads_as_the_cp932_file_does() {
    let (_dir, mut k) = fresh("sendai");
    let r = k.import(&request(ImportKind::Members, &fixture("members_utf8_bom.csv"), false)).unwrap();
    assert_eq!(r.encoding, Some(TextEncoding::Utf8));
    assert!(r.committed, "{:?}", problems(&r));
    assert_eq!(r.added, 3);
    assert!(members(&k).iter().any(|m| m.name_ja == "特定非営利活動法人 仙台復興支援の会"));
}

#[test]
fn a_cp932_file_read_as_utf8_is_refused_naming_the_line_and_the_encoding() {
    let (_dir, mut k) = fresh("sendai");
    let mut req = request(ImportKind::Members, &fixture("members_cp932.csv"), true);
    req.encoding = Some(TextEncoding::Utf8);
    let e = k.import(&req).unwrap_err();
    assert_eq!((e.code(), e.field()), ("invalid_input", Some("encoding")));
    let msg = e.to_string();
    assert!(msg.contains("line 1") && msg.contains("not UTF-8") && msg.contains("cp932"), "{msg}");
}

#[test]
fn every_bad_cell_is_listed_by_row_and_column_with_manual_entrys_message_and_nothing_is_written() {
    let (_dir, mut k) = fresh("sendai");
    let before = log_len(&k);
    let r = k.import(&request(ImportKind::Members, &fixture("members_bad_cp932.csv"), false)).unwrap();
    assert!(!r.committed);
    assert_eq!(log_len(&k), before, "nothing written");
    assert!(members(&k).is_empty());

    // The message manual entry gives for the same value.
    let typed = k
        .member_add(&MemberInput {
            name_ja: Some("石巻支援ネット".into()),
            name_en: Some("Ishinomaki Support Net".into()),
            joined_on: Some("2011-02-30".into()),
            ..Default::default()
        })
        .unwrap_err();
    let Error::Invalid { message: typed_message, .. } = &typed else { panic!("{typed}") };
    let at = |row: u32, letter: &str| {
        r.problems
            .iter()
            .find(|p| p.row == row && p.letter.as_deref() == Some(letter))
            .unwrap_or_else(|| panic!("no problem at row {row}, column {letter}: {:?}", problems(&r)))
    };
    let date = at(2, "H");
    assert_eq!((date.field.as_deref(), date.header.as_deref()), (Some("joined_on"), Some("入会日")));
    assert_eq!(&date.message, typed_message);
    assert_eq!(date.to_string(), format!("row 2, column H (入会日): joined_on: {typed_message}"));

    assert!(at(3, "F").message.contains("'otsuchi@' is not an email address"));
    assert_eq!(at(3, "E").field.as_deref(), Some("prefecture"), "{:?}", problems(&r));
    assert!(at(4, "H").message.contains("a formula (=TODAY())"), "{:?}", problems(&r));
    let shifted = at(5, "J");
    assert!(shifted.message.contains("'メモ' is in a column without a header") && shifted.message.contains("shifted"));
    // A Japanese-only NGO needs no English name, as in manual entry.
    assert!(r.problems.iter().all(|p| p.row != 6), "{:?}", problems(&r));
}

#[test]
fn an_empty_file_and_a_header_without_rows_are_explained_and_write_nothing() {
    let (_dir, mut k) = fresh("sendai");
    let before = log_len(&k);
    let empty = k.import(&request(ImportKind::Members, &fixture("empty.csv"), false)).unwrap();
    assert_eq!(problems(&empty), vec!["row 1: the sheet is empty: no header row and no data".to_string()]);
    let header = k.import(&request(ImportKind::Members, &fixture("header_only.csv"), false)).unwrap();
    assert_eq!(problems(&header), vec!["row 2: no data rows under the header".to_string()]);
    assert!(!empty.committed && !header.committed);
    assert_eq!(log_len(&k), before);
}

#[test]
fn sites_name_their_member_by_number_and_take_sectors_and_heisei_dates() {
    let (_dir, mut k) = fresh("sendai");
    let m = sendai_support(&mut k);
    let r = k.import(&request(ImportKind::Sites, &fixture("sites_cp932.csv"), false)).unwrap();
    assert!(r.committed, "{:?}", problems(&r));
    assert_eq!(r.added, 2);
    let sites = k.site_list(&Default::default()).unwrap().rows;
    let ishinomaki = sites.iter().find(|s| s.municipality == "石巻市").unwrap();
    assert_eq!(ishinomaki.member_id, m);
    assert_eq!(ishinomaki.sectors, vec!["shelter".to_string(), "food".to_string()]);
    assert_eq!(ishinomaki.opened_on.unwrap().to_string(), "2011-03-20");
    assert_eq!(ishinomaki.latitude, Some(38.4345));
    assert_eq!(sites.iter().find(|s| s.municipality == "大船渡市").unwrap().status, "closed");
}

#[test]
fn gifts_find_or_create_their_donors_and_take_yen_signs_and_commas_at_hq_only() {
    let (_dir, mut k) = fresh("tokyo");
    let r = k.import(&request(ImportKind::Gifts, &fixture("gifts_cp932.csv"), false)).unwrap();
    assert!(r.committed, "{:?}", problems(&r));
    assert_eq!((r.added, r.donors_added), (3, 2), "山田 太郎 is created once for two gifts");
    let gifts = k.gift_list(&Default::default()).unwrap();
    let mut seen: Vec<(String, String, String)> =
        gifts.rows.iter().map(|g| (g.receipt_no.clone(), g.received_on.to_string(), g.amount.to_string())).collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("R2011-000001".into(), "2011-03-20".into(), "10,000 JPY".into()),
            ("R2011-000002".into(), "2011-04-15".into(), "5,000 JPY".into()),
            ("R2011-000003".into(), "2011-04-01".into(), "1,000.25 USD".into()),
        ]
    );
    // The same file again: every row is a likely duplicate, skipped by default.
    let again = k.import(&request(ImportKind::Gifts, &fixture("gifts_cp932.csv"), true)).unwrap();
    assert_eq!((again.duplicates.len(), again.added, again.skipped), (3, 0, 3));

    let (_d2, mut tono) = fresh("tono");
    let e = tono.import(&request(ImportKind::Gifts, &fixture("gifts_cp932.csv"), true)).unwrap_err();
    assert_eq!(e.code(), "unauthorized");
}

/// A row that repeats an earlier row of the same file (the name under
/// `org_name_key`, the same prefecture) is listed in the dry run beside the
/// duplicates of existing records, with the same choices.
#[test]
fn rows_repeating_an_earlier_row_of_the_file_are_listed_and_skipped_merged_or_added() {
    let (_dir, mut k) = fresh("tono");
    let file = fixture("members_repeated_cp932.csv");
    let before = log_len(&k);
    let dry = k.import(&request(ImportKind::Members, &file, true)).unwrap();
    assert!(dry.problems.is_empty(), "{:?}", problems(&dry));
    let seen: Vec<String> = dry
        .duplicates
        .iter()
        .map(|d| {
            let p = d.prefecture.as_deref().unwrap_or("-");
            format!("{} {:?} [{}] {} {p}", d.row, d.earlier_row, d.existing_id, d.existing_label)
        })
        .collect();
    assert_eq!(
        seen,
        vec!["4 Some(2) [] row 2: 遠野まごころネット 03", "6 Some(3) [] row 3: 釜石こども未来ネット 03"],
        "row 5 has row 2's name in another prefecture: another organisation"
    );
    assert!(dry.duplicates.iter().all(|d| d.choice == DuplicateChoice::Skip));
    assert_eq!((dry.added, dry.merged, dry.skipped), (3, 0, 2));
    assert_eq!(log_len(&k), before, "a dry run writes nothing");

    // Row 4 merged into the record row 2 adds, row 6 added anyway.
    let mut req = request(ImportKind::Members, &file, false);
    req.decisions = Some(vec![
        RowDecision { row: 4, choice: DuplicateChoice::Merge },
        RowDecision { row: 6, choice: DuplicateChoice::Add },
    ]);
    let done = k.import(&req).unwrap();
    assert!(done.committed, "{:?}", problems(&done));
    assert_eq!((done.added, done.merged, done.skipped), (4, 1, 0));
    let all = members(&k);
    assert_eq!(all.len(), 4);
    let tono: Vec<_> = all.iter().filter(|m| m.name_en == "Tono Magokoro Net").collect();
    assert_eq!(tono.len(), 1);
    assert_eq!(tono[0].name_ja, "遠野まごころネット", "a merge keeps the first row's name");
    assert_eq!(tono[0].email.as_deref(), Some("info@tono-magokoro.example"));
    assert_eq!(tono[0].phone.as_deref(), Some("0198-62-0000"));
    assert_eq!(tono[0].joined_on.unwrap().to_string(), "2011-03-28");
    assert_eq!(all.iter().filter(|m| m.name_ja.contains("釜石こども未来ネット")).count(), 2);

    // Once held, the same file's rows are duplicates of the records, not of each other.
    let again = k.import(&request(ImportKind::Members, &file, true)).unwrap();
    assert_eq!(again.duplicates.len(), 5);
    assert!(again.duplicates.iter().all(|d| d.earlier_row.is_none() && !d.existing_id.is_empty()));
}

#[test]
fn the_same_gift_twice_in_one_file_is_listed_and_cannot_be_merged() {
    let (_dir, mut k) = fresh("tokyo");
    let file = fixture("gifts_repeated_cp932.csv");
    let dry = k.import(&request(ImportKind::Gifts, &file, true)).unwrap();
    assert!(dry.problems.is_empty(), "{:?}", problems(&dry));
    let seen: Vec<(u32, Option<u32>)> = dry.duplicates.iter().map(|d| (d.row, d.earlier_row)).collect();
    assert_eq!(seen, vec![(4, Some(2))], "平成23年4月15日 and ￥5,000 are row 2's day and amount");
    assert_eq!((dry.added, dry.skipped), (2, 1));

    let mut merge = request(ImportKind::Gifts, &file, true);
    merge.on_duplicate = Some(DuplicateChoice::Merge);
    let refused = k.import(&merge).unwrap();
    assert_eq!(
        problems(&refused),
        vec![
            "row 4, column A (寄付者): donor: a gift cannot be merged into another (its receipt is issued): choose skip or add"
        ]
    );

    let mut add = request(ImportKind::Gifts, &file, false);
    add.on_duplicate = Some(DuplicateChoice::Add);
    let done = k.import(&add).unwrap();
    assert!(done.committed, "{:?}", problems(&done));
    assert_eq!((done.added, done.donors_added), (3, 1));
    assert_eq!(k.gift_list(&Default::default()).unwrap().rows.len(), 3);
}

/// A workbook as a spreadsheet program writes it, by rust_xlsxwriter.
fn workbook(path: &Path, fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) {
    let mut book = rust_xlsxwriter::Workbook::new();
    fill(book.add_worksheet());
    book.save(path).unwrap();
}

#[test]
fn an_xlsx_imports_typed_dates_and_numbers_and_explains_formulas_and_empty_sheets() {
    let (dir, mut k) = fresh("tokyo");
    let good = dir.path().join("gifts.xlsx");
    workbook(&good, |ws| {
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy/m/d");
        for (c, h) in ["寄付者", "受領日", "金額", "通貨"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "佐藤 花子").unwrap();
        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2011, 3, 25).unwrap();
        ws.write_datetime_with_format(1, 1, &day, &date).unwrap();
        ws.write_string(1, 2, "¥1,000,000").unwrap();
        ws.write_string(1, 3, "円").unwrap();
        ws.write_string(2, 0, "佐藤 花子").unwrap();
        ws.write_string(2, 1, "平成23年4月1日").unwrap();
        ws.write_number(2, 2, 20000).unwrap();
    });
    let r = k.import(&request(ImportKind::Gifts, &good, false)).unwrap();
    assert!(r.committed, "{:?}", problems(&r));
    assert_eq!(r.sheet.as_deref(), Some("Sheet1"));
    let gifts = k.gift_list(&Default::default()).unwrap().rows;
    let mut got: Vec<String> = gifts.iter().map(|g| format!("{} {}", g.received_on, g.amount)).collect();
    got.sort();
    assert_eq!(got, vec!["2011-03-25 1,000,000 JPY", "2011-04-01 20,000 JPY"]);

    let formula = dir.path().join("formula.xlsx");
    workbook(&formula, |ws| {
        for (c, h) in ["団体名", "英語名", "入会日"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_string(1, 0, "気仙沼の会").unwrap();
        ws.write_formula(1, 1, "=UPPER(\"kesennuma\")").unwrap();
        ws.write_string(1, 2, "2011-02-30").unwrap();
    });
    let before = log_len(&k);
    let r = k.import(&request(ImportKind::Members, &formula, false)).unwrap();
    assert!(!r.committed);
    let p = problems(&r);
    assert!(
        p.iter().any(|p| p.starts_with("row 2, column B (英語名): name_en: a formula (=UPPER(\"kesennuma\"))")),
        "{p:?}"
    );
    assert!(
        p.iter().any(|p| p
            .starts_with("row 2, column C (入会日): joined_on: '2011-02-30' is not a date: there is no 30 February")),
        "{p:?}"
    );

    let empty = dir.path().join("empty.xlsx");
    workbook(&empty, |_| {});
    let r = k.import(&request(ImportKind::Members, &empty, false)).unwrap();
    assert_eq!(problems(&r), vec!["row 1: the sheet is empty: no header row and no data".to_string()]);
    assert_eq!(log_len(&k), before);
}

#[test]
fn a_saved_header_mapping_reads_unusual_headers() {
    let (dir, mut k) = fresh("sendai");
    let file = dir.path().join("odd.csv");
    std::fs::write(&file, "組織の正式名称,Name in English,設立日\n気仙沼の会,Kesennuma Group,2011/6/1\n").unwrap();
    let r = k.import(&request(ImportKind::Members, &file, true)).unwrap();
    assert!(r.problems.iter().any(|p| p.field.as_deref() == Some("name_ja") && p.message.starts_with("no column")));
    let map = |h: &str, f: &str| kizuna_core::api::HeaderField { header: h.into(), field: f.into() };
    k.import_mapping_save(ImportKind::Members, &[map("組織の正式名称", "name_ja"), map("設立日", "joined_on")])
        .unwrap();
    let r = k.import(&request(ImportKind::Members, &file, false)).unwrap();
    assert!(r.committed, "{:?}", problems(&r));
    let m = &members(&k)[0];
    assert_eq!((m.name_ja.as_str(), m.joined_on.unwrap().to_string().as_str()), ("気仙沼の会", "2011-06-01"));
}

#[test]
fn table_exports_are_excel_friendly_csv_and_xlsx_that_read_back() {
    let (dir, mut k) = fresh("sendai");
    sendai_support(&mut k);
    let csv = dir.path().join("members.csv");
    let saved = k
        .export_table(&TableExportRequest {
            table: "members".into(),
            format: TableFormat::Csv,
            path: csv.display().to_string(),
        })
        .unwrap();
    assert_eq!(saved.rows, 1);
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFid,member_no,name_ja"), "UTF-8 with BOM, id first");
    assert!(String::from_utf8(bytes).unwrap().contains("仙台復興支援の会"));
    // The export imports back (the same headers are field names).
    let (_d2, mut other) = fresh("sendai");
    let back = other.import(&request(ImportKind::Members, &csv, true)).unwrap();
    assert!(back.problems.is_empty(), "{:?}", problems(&back));
    assert_eq!(back.added, 1);

    let xlsx = dir.path().join("members.xlsx");
    k.export_table(&TableExportRequest {
        table: "members".into(),
        format: TableFormat::Xlsx,
        path: xlsx.display().to_string(),
    })
    .unwrap();
    let grid = kizuna_core::exchange::sheet::read(&xlsx, None, None).unwrap();
    assert_eq!(grid.sheet.as_deref(), Some("members"));
    assert_eq!(grid.rows.len(), 2);
    assert!(grid.rows[1].contains(&kizuna_core::exchange::sheet::SheetCell::Text("仙台復興支援の会".into())));

    let e = k
        .export_table(&TableExportRequest {
            table: "nope".into(),
            format: TableFormat::Csv,
            path: csv.display().to_string(),
        })
        .unwrap_err();
    assert_eq!(e.field(), Some("table"));
}

#[test]
fn a_list_screen_exports_every_page_of_its_filtered_rows_with_headers_and_values_in_words() {
    let (dir, mut k) = fresh("sendai");
    let member = sendai_support(&mut k);
    // More sites than one page of the list holds, and three outside the filter.
    let mut miyagi = Vec::new();
    for n in 0..520 {
        miyagi.push(SiteInput { sectors: Some(vec!["food".into(), "shelter".into()]), ..site(&member, n) });
    }
    for n in 0..3 {
        miyagi.push(SiteInput {
            prefecture: Some("岩手県".into()),
            municipality: Some("上閉伊郡大槌町".into()),
            ..site(&member, 1000 + n)
        });
    }
    for input in &miyagi {
        k.site_add(input).unwrap();
    }
    let csv = dir.path().join("sites.csv");
    let saved = k
        .list_sheet(&ListSheetRequest {
            sheet: ListSheet::Sites(SiteQuery { prefecture: Some("04".into()), limit: Some(50), ..Default::default() }),
            format: TableFormat::Csv,
            path: csv.display().to_string(),
            lang: "ja".into(),
        })
        .unwrap();
    assert_eq!(saved.rows, 520, "every page, only Miyagi's sites");
    let text = String::from_utf8(std::fs::read(&csv).unwrap()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}拠点名,拠点名（英語）,会員団体,都道府県,市区町村,住所,分野,状態,開設日,閉鎖日,緯度,経度"
    );
    let first = lines.next().unwrap();
    assert!(first.contains(",仙台復興支援の会,宮城県,石巻市,") && first.contains("食料、避難所・住まい"), "{first}");
    assert!(!text.contains("大槌町"), "a site outside the filter was exported");

    let xlsx = dir.path().join("members.xlsx");
    let saved = k
        .list_sheet(&ListSheetRequest {
            sheet: ListSheet::Members(MemberQuery { search: Some("仙台".into()), ..Default::default() }),
            format: TableFormat::Xlsx,
            path: xlsx.display().to_string(),
            lang: "en".into(),
        })
        .unwrap();
    assert_eq!(saved.rows, 1);
    let grid = kizuna_core::exchange::sheet::read(&xlsx, None, None).unwrap();
    assert_eq!(grid.sheet.as_deref(), Some("Members"));
    assert!(grid.rows[0].contains(&kizuna_core::exchange::sheet::SheetCell::Text("Member no.".into())));
    assert!(grid.rows[1].contains(&kizuna_core::exchange::sheet::SheetCell::Text("Miyagi".into())));

    let e = k
        .list_sheet(&ListSheetRequest {
            sheet: ListSheet::Members(MemberQuery::default()),
            format: TableFormat::Csv,
            path: csv.display().to_string(),
            lang: "fr".into(),
        })
        .unwrap_err();
    assert_eq!(e.field(), Some("lang"));
}

// ---------------------------------------------------------------- backup and restore

fn site(member: &str, n: usize) -> SiteInput {
    SiteInput {
        member_id: Some(member.into()),
        prefecture: Some("Miyagi".into()),
        municipality: Some("石巻市".into()),
        name: Some(format!("拠点 {n}")),
        ..Default::default()
    }
}

fn count(conn: &rusqlite::Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table} WHERE deleted = 0"), [], |r| r.get(0)).unwrap()
}

#[test]
fn a_backup_taken_while_another_connection_writes_is_a_consistent_snapshot_that_restores() {
    let (dir, mut k) = fresh("sendai");
    let member = sendai_support(&mut k);
    let path = dir.path().to_path_buf();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (stop, member, path) = (stop.clone(), member.clone(), path.clone());
        std::thread::spawn(move || {
            let mut w = Kizuna::open(&path).unwrap();
            let mut batches = 0;
            // Batches of 100 sites, each one transaction, until told to stop (at least 5).
            while batches < 5 || !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let inputs: Vec<SiteInput> = (0..100).map(|n| site(&member, batches * 100 + n)).collect();
                w.site_add_many(&inputs).unwrap();
                batches += 1;
            }
            batches
        })
    };
    // Wait (with a deadline) until the writer has committed something.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while count(k.store().conn(), "sites") == 0 {
        assert!(std::time::Instant::now() < deadline, "the writer never committed");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let file = dir.path().join("during.kizuna-backup");
    let saved = k.backup(&file).unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let batches = writer.join().unwrap();
    assert!(saved.bytes > 0);

    let keys = kizuna_core::secret::KeyStore::for_data_dir(dir.path());
    let snap = kizuna_core::store::backup::open_backup(&file, &keys).unwrap();
    let in_backup = count(&snap, "sites");
    assert!(in_backup > 0 && in_backup % 100 == 0, "whole transactions only: {in_backup} sites");
    let logged: i64 = snap.query_row("SELECT count(*) FROM change_log WHERE tbl = 'sites'", [], |r| r.get(0)).unwrap();
    assert_eq!(logged, in_backup, "each site with its change-log entry");
    drop(snap);

    // Everything written after the backup was made here; forced, the restore discards it.
    let now = count(k.store().conn(), "sites");
    assert_eq!(now, batches as i64 * 100);
    let plan = k.restore_check(&file).unwrap();
    assert_eq!(plan.lost_total as i64, now - in_backup);
    let e = k.restore(&file, false).unwrap_err();
    assert_eq!(e.code(), "conflict");
    assert!(e.to_string().contains("no office has received yet") && e.to_string().contains("sites "), "{e}");
    assert_eq!(count(k.store().conn(), "sites"), now, "refused: nothing changed");

    let report = k.restore(&file, true).unwrap();
    assert_eq!(report.discarded_total as i64, now - in_backup);
    assert_eq!(count(k.store().conn(), "sites"), in_backup);
    assert_eq!(k.site_list(&Default::default()).unwrap().total, in_backup, "indexes see the restored data");
    // The clock never goes back: a write after the restore is stamped after everything before it.
    let last_before: i64 = {
        let c = kizuna_core::store::connect(&dir.path().join(kizuna_core::api::DB_FILE)).unwrap();
        c.query_row("SELECT value FROM local_meta WHERE key = 'hlc'", [], |r| r.get::<_, String>(0))
            .unwrap()
            .parse()
            .unwrap()
    };
    k.site_add(&site(&member, 999_999)).unwrap();
    let newest: i64 = k.store().conn().query_row("SELECT max(hlc) FROM change_log", [], |r| r.get(0)).unwrap();
    assert!(newest > last_before);
}

#[test]
fn a_restore_with_nothing_unsynced_needs_no_force_and_a_damaged_backup_is_refused() {
    let (dir, mut k) = fresh("sendai");
    let file = dir.path().join("seeded.kizuna-backup");
    k.backup(&file).unwrap();
    // Nothing made here yet: nothing to lose.
    assert!(k.restore_check(&file).unwrap().lost.is_empty());
    k.restore(&file, false).unwrap();

    let damaged = dir.path().join("damaged.kizuna-backup");
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0xFF;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    let member = sendai_support(&mut k);
    let e = k.restore(&damaged, true).unwrap_err();
    assert!(matches!(e.code(), "rejected" | "key_unavailable"), "{e}");
    assert!(e.to_string().contains("integrity") || e.to_string().contains("damaged"), "{e}");
    assert!(k.member_show(&member).is_ok(), "a refused restore changes nothing");

    let (_other, tono) = fresh("tono");
    let e = tono.restore_check(&file).unwrap_err();
    assert_eq!(e.code(), "key_unavailable", "another data folder's backup needs that folder's key: {e}");
}

#[test]
fn opening_a_data_folder_takes_the_daily_backup_and_keeps_seven_daily_and_four_weekly() {
    let (dir, k) = fresh("sendai");
    drop(k);
    let daily = dir.path().join("backups/daily");
    let weekly = dir.path().join("backups/weekly");
    let files = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> =
            std::fs::read_dir(d).map(|r| r.map(|e| e.unwrap().path()).collect()).unwrap_or_default();
        v.sort();
        v
    };
    let k = Kizuna::open(dir.path()).unwrap();
    assert_eq!(files(&daily).len(), 1);
    assert_eq!(files(&weekly).len(), 1);
    assert_eq!(k.backup_list().unwrap().len(), 2);
    drop(k);
    Kizuna::open(dir.path()).unwrap();
    assert_eq!(files(&daily).len(), 1, "less than a day old: none taken");

    // Ten older daily and six older weekly backups: the next open rotates.
    let day = std::time::Duration::from_secs(24 * 3600);
    let now = std::time::SystemTime::now();
    let src = files(&daily)[0].clone();
    for n in 1..=10u32 {
        let p = daily.join(format!("kizuna-old-{n:02}.sqlite3"));
        std::fs::copy(&src, &p).unwrap();
        std::fs::File::options().write(true).open(&p).unwrap().set_modified(now - day * (n + 1)).unwrap();
    }
    for n in 1..=6u32 {
        let p = weekly.join(format!("kizuna-old-{n:02}.sqlite3"));
        std::fs::copy(&src, &p).unwrap();
        std::fs::File::options().write(true).open(&p).unwrap().set_modified(now - day * 7 * (n + 1)).unwrap();
    }
    std::fs::File::options().write(true).open(&src).unwrap().set_modified(now - day - day / 2).unwrap();
    Kizuna::open(dir.path()).unwrap();
    let kept = files(&daily);
    assert_eq!(kept.len(), 7);
    assert!(!kept.iter().any(|p| p.ends_with("kizuna-old-10.sqlite3")), "the oldest went first");
    assert_eq!(files(&weekly).len(), 4);
}
