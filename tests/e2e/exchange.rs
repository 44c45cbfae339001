//! Import, exports, backup and restore in the window: what the CLI tests
//! check for the core, here through the screens a person uses.

use std::path::Path;

use fantoccini::key::Key;
use kizuna_core::Kizuna;
use kizuna_core::model::member::MemberQuery;

use super::{cli, first_start, members_in, nav, select, serial};
use crate::driver::{App, eventually};

/// Text as Excel saves a CSV on a Japanese Windows: CP932, CRLF.
fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable, "every character of the fixture has a CP932 code");
    bytes.into_owned()
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/exchange").join(name).display().to_string()
}

fn notes_of(dir: &Path, name: &str) -> Vec<Option<String>> {
    let k = Kizuna::open(dir).expect("open the app's database");
    let page = k.member_list(&MemberQuery { search: Some(name.into()), ..Default::default() }).expect("list");
    page.rows.into_iter().map(|m| m.notes).collect()
}

/// Waits until no check or import is running and the commit button is enabled or not.
async fn commit_enabled(app: &App, enabled: bool) {
    app.wait_script(
        "return document.querySelector('[data-testid=import-progress]') === null \
         && !document.querySelector('[data-testid=import-commit]').disabled",
        serde_json::json!(enabled),
    )
    .await;
}

#[tokio::test]
async fn a_cp932_member_list_is_checked_mapped_and_imported_and_a_second_import_decides_its_duplicates() {
    let _one = serial();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("hq");
    // The notes column's header is one no built-in name knows: it has to be mapped.
    let good = tmp.path().join("会員一覧.csv");
    std::fs::write(
        &good,
        cp932(
            "団体名,英語名,都道府県,入会日,活動の記録\r\n\
             絆テスト支援会,Kizuna Test Aid,岩手県,平成23年3月11日,遠野で炊き出し\r\n\
             釜石みらい会,,岩手県,2011/3/20,\r\n",
        ),
    )
    .expect("write the CSV");

    let app = App::launch(&dir).await;
    first_start(&app, "ja", "tokyo").await;
    nav(&app, "exchange").await;

    // A file with bad rows: every problem by row and column, in file order; nothing can be committed.
    app.fill("input[name=import_path]", &fixture("members_bad_cp932.csv")).await;
    app.click("[data-testid=import-check]").await;
    app.wait_count("[data-testid=import-problems] tbody tr", 7).await;
    let first =
        app.wait_text_that("[data-testid=import-problems] tbody tr", "row 2 first", |t| t.starts_with('2')).await;
    assert!(first.contains("H 入会日") && first.contains("30 February"), "{first}");
    let all = app.find("[data-testid=import-problems]").await.text().await.expect("problems text");
    for expected in ["=TODAY()", "'otsuchi@' is not an email address", "東京都市", "column without a header"] {
        assert!(all.contains(expected), "{expected} missing from the problems:\n{all}");
    }
    // A file with problems cannot be imported.
    commit_enabled(&app, false).await;
    app.screenshot("import-problems-ja").await;
    assert_eq!(members_in(&dir, "石巻支援ネット"), 0);

    // The good file: CP932 detected, the unknown column mapped by hand, the mapping saved.
    app.fill("input[name=import_path]", &good.display().to_string()).await;
    app.click("[data-testid=import-check]").await;
    app.wait_text_that("[data-testid=import-summary]", "2 rows read", |t| t.contains("2 行") && t.contains("CP932"))
        .await;
    app.wait_script("return document.querySelector('select[name=map-E]').value", serde_json::json!("")).await;
    // Changing the mapping checks the file again.
    select(&app, "select[name=map-E]", "notes").await;
    app.click("[data-testid=import-mapping-save]").await;
    app.wait_text_that(".exchange-import .notice", "mapping saved", |t| t.contains("保存しました")).await;
    commit_enabled(&app, true).await;
    app.wait_text_that("[data-testid=import-commit]", "commit two rows", |t| t.contains("2 行")).await;
    app.click("[data-testid=import-commit]").await;
    app.wait_text_that("[data-testid=import-done]", "two added", |t| t.contains("追加 2")).await;
    assert_eq!(notes_of(&dir, "絆テスト支援会"), vec![Some("遠野で炊き出し".to_string())]);
    assert_eq!(members_in(&dir, "釜石みらい会"), 1);

    // The same file again: the saved mapping applies by itself, each row is a likely duplicate.
    app.fill("input[name=import_path]", &good.display().to_string()).await;
    app.click("[data-testid=import-check]").await;
    app.wait_count("[data-testid=import-duplicates] tbody tr", 2).await;
    app.wait_script("return document.querySelector('select[name=map-E]').value", serde_json::json!("notes")).await;
    app.wait_text_that("[data-testid=import-summary]", "both skipped", |t| t.contains("スキップ 2")).await;
    select(&app, "select[name=dup-2]", "add").await;
    app.wait_text_that("[data-testid=import-summary]", "one added", |t| {
        t.contains("追加 1") && t.contains("スキップ 1")
    })
    .await;
    app.screenshot("import-duplicates-ja").await;
    commit_enabled(&app, true).await;
    app.click("[data-testid=import-commit]").await;
    app.wait_text_that("[data-testid=import-done]", "one added, one skipped", |t| {
        t.contains("追加 1") && t.contains("スキップ 1")
    })
    .await;
    assert_eq!(members_in(&dir, "絆テスト支援会"), 2);
    assert_eq!(members_in(&dir, "釜石みらい会"), 1);
    app.quit().await;
}

#[tokio::test]
async fn exports_write_xlsx_3w_and_iati_and_a_restore_lists_the_unsynced_change_it_discards() {
    let _one = serial();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("hq");
    let at = |name: &str| tmp.path().join(name).display().to_string();

    let app = App::launch(&dir).await;
    first_start(&app, "en", "tokyo").await;
    // One site of a member, typed at the CLI while the window runs, for the 3W to have a row.
    cli(&dir, &["member", "add", "--name-ja", "遠野まごころネット", "--prefecture", "03"]);
    cli(
        &dir,
        &[
            "site",
            "add",
            "--member",
            "TKY-0001",
            "--name",
            "遠野物資拠点",
            "--prefecture",
            "03",
            "--municipality",
            "遠野市",
            "--sector",
            "food",
            "--status",
            "active",
            "--opened",
            "2011-04-01",
        ],
    );
    nav(&app, "exchange").await;

    select(&app, "select[name=export_table]", "sites").await;
    select(&app, "select[name=export_format]", "xlsx").await;
    app.fill("input[name=export_table_path]", &at("sites.xlsx")).await;
    app.click("[data-testid=export-table-run]").await;
    app.wait_text_that("[data-testid=export-table-saved]", "saved", |t| t.contains("sites.xlsx")).await;
    let xlsx = std::fs::read(at("sites.xlsx")).expect("the XLSX was written");
    assert_eq!(&xlsx[..2], b"PK", "an XLSX is a zip");

    app.fill("input[name=export_hxl_path]", &at("3w.csv")).await;
    app.click("[data-testid=export-hxl-run]").await;
    app.wait_text_that("[data-testid=export-hxl-saved]", "one row", |t| {
        t.starts_with("Saved 1 rows") && t.contains("3w.csv")
    })
    .await;
    let w3 = std::fs::read_to_string(at("3w.csv")).expect("the 3W was written");
    assert!(w3.contains("#org+impl+name") && w3.contains("#adm1+code"), "{w3}");
    assert!(w3.contains("遠野物資拠点") && w3.contains("遠野まごころネット"), "the site is not in the 3W:\n{w3}");

    app.fill("input[name=export_iati_path]", &at("iati.xml")).await;
    app.click("[data-testid=export-iati-run]").await;
    app.wait_text_that("[data-testid=export-iati-saved]", "saved", |t| {
        t.contains("activities") && t.contains("iati.xml")
    })
    .await;
    let iati = std::fs::read_to_string(at("iati.xml")).expect("the IATI file was written");
    assert!(iati.contains("<iati-activities") && iati.contains("hierarchy=\"2\""), "{}", &iati[..400.min(iati.len())]);

    // A path the shell refuses is named, and nothing is written.
    app.fill("input[name=export_json_path]", "relative.json").await;
    app.click("[data-testid=export-json-run]").await;
    app.wait_text_that("[data-testid=export-json] .field-error", "the refusal", |t| {
        t.contains("is not an absolute path to a .json file")
    })
    .await;
    app.screenshot("exchange-exports-en").await;

    // The Sites screen's list as it is filtered, every page, headers and values in words.
    nav(&app, "sites").await;
    app.click("[data-testid=sites] [data-tab='03']").await;
    app.click("[data-testid=list-sheet]").await;
    select(&app, "select[name=list_sheet_format]", "csv").await;
    app.fill("input[name=export_list_path]", &at("iwate-sites.csv")).await;
    app.click("[data-testid=export-list-run]").await;
    app.wait_text_that("[data-testid=export-list-saved]", "one site", |t| t.starts_with("Saved 1 rows")).await;
    let sheet = std::fs::read_to_string(at("iwate-sites.csv")).expect("the list was written");
    assert!(sheet.starts_with("\u{feff}Site,Site (English),Member,Prefecture,"), "{sheet}");
    assert!(sheet.contains("遠野物資拠点,,遠野まごころネット,Iwate,遠野市"), "{sheet}");
    app.screenshot("sites-list-export-en").await;
    app.press("input[name=export_list_path]", Key::Escape).await;
    app.wait_gone("[data-testid=list-sheet-form]").await;

    // A backup while the window runs; then a member nobody has received; restoring discards it, listed first.
    nav(&app, "settings").await;
    app.fill("input[name=backup_path]", &at("before.sqlite3")).await;
    app.click("[data-testid=backup-run]").await;
    app.wait_text_that("[data-testid=backup-notice]", "backup saved", |t| t.contains("before.sqlite3")).await;
    cli(&dir, &["member", "add", "--name-ja", "復元で消える会", "--prefecture", "03"]);
    assert_eq!(members_in(&dir, "復元で消える会"), 1);

    app.fill("input[name=restore_path]", &at("before.sqlite3")).await;
    app.click("[data-testid=restore-check]").await;
    let lost = app.wait_text_that("[data-testid=restore-lost]", "the unsynced change", |t| !t.is_empty()).await;
    assert!(lost.contains("reached no other office"), "{lost}");
    let listed = app.find("[data-testid=restore-plan] .lost-changes").await.text().await.expect("list");
    assert!(listed.contains("members"), "{listed}");
    app.screenshot("restore-plan-en").await;
    // Cancelling changes nothing.
    app.click("[data-testid=restore-cancel]").await;
    app.wait_gone("[data-testid=restore-plan]").await;
    assert_eq!(members_in(&dir, "復元で消える会"), 1);

    app.click("[data-testid=restore-check]").await;
    app.click("[data-testid=restore-ok]").await;
    app.wait_text_that("[data-testid=backup-notice]", "restored", |t| t.contains("Restored from")).await;
    eventually("the member is gone after the restore", || {
        let dir = dir.clone();
        async move {
            let n = members_in(&dir, "復元で消える会");
            if n == 0 { Ok(()) } else { Err(format!("{n} such members")) }
        }
    })
    .await;
    // The other screens read the restored data.
    nav(&app, "members").await;
    app.quit().await;
}
