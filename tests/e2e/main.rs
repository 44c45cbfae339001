//! The desktop app end to end, in the real window: tauri-driver drives
//! WebKitWebDriver, which drives the kizuna-app binary cargo just built.
//! Run under a display: `xvfb-run -a cargo test -p kizuna-app --test e2e`.
//! Each test gets its own data folder (KIZUNA_DATA_DIR) and runs alone: the
//! app is single-instance and one driver serves one session.

mod driver;

use std::path::Path;
use std::sync::Mutex;

use fantoccini::key::Key;
use kizuna_core::Kizuna;
use kizuna_core::model::member::MemberQuery;

use crate::driver::App;

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

/// First start: pick the UI language and the office, then the dashboard.
async fn first_start(app: &App, lang: &str, office: &str) {
    app.find("[data-testid=first-start]").await;
    app.click(&format!(".lang-switch [data-lang={lang}]")).await;
    app.click(&format!("input[name=office][value={office}]")).await;
    app.click("[data-testid=first-start-submit]").await;
    app.find("[data-testid=dashboard]").await;
}

async fn count(app: &App, css: &str) -> i64 {
    let text = app.text(css).await;
    text.replace(',', "").parse().unwrap_or_else(|_| panic!("{css} is not a count: {text:?}"))
}

async fn nav(app: &App, screen: &str) {
    app.click(&format!("[data-nav={screen}]")).await;
    app.find(&format!("[data-testid={screen}]")).await;
}

fn members_in(dir: &Path, search: &str) -> i64 {
    let k = Kizuna::open(dir).expect("open the app's database with the core");
    k.member_list(&MemberQuery { search: Some(search.into()), ..Default::default() }).expect("member list").total
}

#[tokio::test]
async fn first_start_asks_the_office_once_then_opens_on_the_dashboard() {
    let _one = serial();
    let dir = tempfile::tempdir().expect("temp dir");
    let app = App::launch(dir.path()).await;
    first_start(&app, "ja", "fukushima").await;
    assert_eq!(app.text(".sidebar .brand small").await, "福島事務所");
    nav(&app, "settings").await;
    assert_eq!(app.text("[data-testid=settings-data-dir]").await, dir.path().display().to_string());
    app.wait_text("[data-testid=settings-office]", "福島事務所").await;
    app.quit().await;

    assert_eq!(Kizuna::open(dir.path()).expect("initialised").office_code(), "fukushima");

    let app = App::launch(dir.path()).await;
    app.find("[data-testid=dashboard]").await;
    assert!(!app.exists("[data-testid=first-start]").await, "the office question came back after a restart");
    assert_eq!(app.text(".sidebar .brand small").await, "福島事務所");
    app.quit().await;
}

#[tokio::test]
async fn add_a_japanese_member_find_it_by_katakana_add_a_miyagi_site_and_it_all_survives_a_restart() {
    let _one = serial();
    let dir = tempfile::tempdir().expect("temp dir");
    let app = App::launch(dir.path()).await;
    first_start(&app, "ja", "sendai").await;
    let members_before = count(&app, "[data-testid=dash-members]").await;
    let miyagi_before = count(&app, "[data-testid=dash-pref-04]").await;

    nav(&app, "members").await;
    app.click("[data-testid=member-add]").await;
    app.find("[data-testid=member-form]").await;
    app.fill("[data-testid=member-form] input[name=name_ja]", "石巻復興支援の会").await;
    app.fill("[data-testid=member-form] input[name=name_en]", "Ishinomaki Recovery Support").await;
    app.fill("[data-testid=member-form] input[name=reading]", "いしのまきふっこうしえんのかい").await;
    app.click("[data-testid=member-form] input[name=pref-04]").await;
    // Enter in a field submits the form.
    app.press("[data-testid=member-form] input[name=name_en]", Key::Enter).await;
    app.wait_text("[data-testid=member-name]", "石巻復興支援の会").await;

    // Found by its reading typed in katakana (full- and half-width), not by its kanji name.
    nav(&app, "members").await;
    for query in ["イシノマキ", "ｲｼﾉﾏｷ"] {
        app.fill("input[name=search]", query).await;
        app.wait_count("[data-testid=member-table] tbody tr", 1).await;
        assert_eq!(app.text("[data-testid=member-table] tbody tr .name-ja").await, "石巻復興支援の会");
    }
    app.screenshot("registry-ja").await;

    // Rows open with Enter (keyboard use); WebKitWebDriver refuses clicks on <tr>.
    app.press("[data-testid=member-table] tbody tr", Key::Enter).await;
    app.find("[data-testid=member-page]").await;
    app.click("[data-testid=member-add-site]").await;
    app.find("[data-testid=site-form]").await;
    app.fill("[data-testid=site-form] input[name=name]", "渡波地区支援拠点").await;
    app.find("[data-testid=site-form] select[name=prefecture]").await.select_by_value("04").await.expect("choose 宮城県");
    app.fill("[data-testid=site-form] input[name=municipality]", "石巻市").await;
    app.click("[data-testid=site-form] input[name=sector-community]").await;
    app.click("[data-testid=site-save]").await;
    app.wait_gone("[data-testid=site-form]").await;
    app.wait_count("[data-testid=site-table] tbody tr", 1).await;
    assert!(app.text("[data-testid=site-table] tbody tr").await.contains("宮城県"));

    nav(&app, "dashboard").await;
    app.wait_text("[data-testid=dash-members]", &(members_before + 1).to_string()).await;
    app.wait_text("[data-testid=dash-pref-04]", &(miyagi_before + 1).to_string()).await;
    app.quit().await;

    let app = App::launch(dir.path()).await;
    app.find("[data-testid=dashboard]").await;
    app.wait_text("[data-testid=dash-members]", &(members_before + 1).to_string()).await;
    app.wait_text("[data-testid=dash-pref-04]", &(miyagi_before + 1).to_string()).await;
    nav(&app, "members").await;
    app.fill("input[name=search]", "いしのまき").await;
    app.wait_count("[data-testid=member-table] tbody tr", 1).await;
    app.press("[data-testid=member-table] tbody tr", Key::Enter).await;
    app.find("[data-testid=member-page]").await;
    app.wait_count("[data-testid=site-table] tbody tr", 1).await;
    assert!(app.text("[data-testid=site-table] tbody tr").await.contains("渡波地区支援拠点"));
    app.quit().await;
}

#[tokio::test]
async fn an_invalid_entry_shows_the_cores_message_and_saves_nothing() {
    let _one = serial();
    let dir = tempfile::tempdir().expect("temp dir");
    let app = App::launch(dir.path()).await;
    first_start(&app, "en", "tokyo").await;
    let members_before = count(&app, "[data-testid=dash-members]").await;

    nav(&app, "members").await;
    app.click("[data-testid=member-add]").await;
    app.fill("[data-testid=member-form] input[name=name_ja]", "検証テスト協会").await;
    app.fill("[data-testid=member-form] input[name=name_en]", "Validation Test Association").await;
    app.fill("[data-testid=member-form] input[name=email]", "not-an-email").await;
    app.click("[data-testid=member-save]").await;
    // The message is the core's own, under the field the core named.
    app.wait_text(".field.has-error .field-error", "email: 'not-an-email' is not an email address").await;
    assert_eq!(app.all(".field.has-error input[name=email]").await.len(), 1);
    // Escape cancels the form.
    app.press("[data-testid=member-form] input[name=email]", Key::Escape).await;
    app.wait_gone("[data-testid=member-form]").await;
    app.fill("input[name=search]", "Validation").await;
    app.wait_count("[data-testid=member-table] tbody tr", 0).await;
    nav(&app, "dashboard").await;
    app.wait_text("[data-testid=dash-members]", &members_before.to_string()).await;
    app.quit().await;
    assert_eq!(members_in(dir.path(), "Validation"), 0, "the invalid member reached the database");
}

#[tokio::test]
async fn the_language_switches_at_once_and_is_remembered_and_screens_are_captured() {
    let _one = serial();
    let dir = tempfile::tempdir().expect("temp dir");
    let app = App::launch(dir.path()).await;
    first_start(&app, "ja", "tono").await;
    // A few demo records so the registry screenshot shows a filled table.
    {
        let mut k = Kizuna::open(dir.path()).expect("open");
        k.demo(12, 40, 7).expect("demo data");
    }
    app.wait_text("[data-nav=dashboard]", "ダッシュボード").await;
    nav(&app, "dashboard").await;
    app.screenshot("dashboard-ja").await;
    nav(&app, "members").await;
    app.wait_count("[data-testid=member-table] tbody tr", 12).await;
    app.screenshot("members-ja").await;
    nav(&app, "grants").await;
    app.screenshot("grants-ja").await;
    nav(&app, "sites").await;
    app.screenshot("sites-ja").await;

    nav(&app, "settings").await;
    app.click("input[name=language][value=en]").await;
    app.wait_text("[data-nav=dashboard]", "Dashboard").await;
    app.wait_text("[data-testid=settings] h1", "Settings").await;
    let html_lang = app.client.execute("return document.documentElement.lang", vec![]).await.expect("script");
    assert_eq!(html_lang, "en");
    nav(&app, "dashboard").await;
    app.screenshot("dashboard-en").await;
    nav(&app, "members").await;
    app.wait_count("[data-testid=member-table] tbody tr", 12).await;
    app.screenshot("members-en").await;
    nav(&app, "grants").await;
    app.screenshot("grants-en").await;
    nav(&app, "sites").await;
    app.screenshot("sites-en").await;
    app.quit().await;

    let app = App::launch(dir.path()).await;
    app.find("[data-testid=dashboard]").await;
    app.wait_text("[data-nav=dashboard]", "Dashboard").await;
    app.wait_text("[data-testid=dashboard] h1", "Dashboard").await;
    app.quit().await;
}
