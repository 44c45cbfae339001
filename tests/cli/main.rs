//! The `kizuna` binary as a black box: arguments in, text/JSON and exit codes out.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

use std::path::Path;
use std::process::Output;

use serde_json::Value;
use sha2::{Digest, Sha256};

#[path = "../common/cli.rs"]
mod common;
mod coordination;
mod fund;
mod grant_desk;
mod matching;
mod secrets;
mod usability;
// Data exchange: import, exports, backup and restore.
mod exchange;
#[path = "../common/process.rs"]
mod process;
use common::kizuna;

fn ok_json(dir: &Path, args: &[&str]) -> Value {
    let mut full = vec!["--json"];
    full.extend_from_slice(args);
    let out = kizuna(dir, &full);
    assert!(out.status.success(), "kizuna {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Hash of every file of the database (main file and any WAL), to prove a
/// rejected command changed nothing at all.
fn db_fingerprint(dir: &Path) -> String {
    let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let mut h = Sha256::new();
    for p in names.iter().filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("kizuna.sqlite3")) {
        h.update(p.file_name().unwrap().to_string_lossy().as_bytes());
        h.update(std::fs::read(p).unwrap());
    }
    format!("{:x}", h.finalize())
}

fn init(office: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = kizuna(dir.path(), &["init", "--office", office]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

#[test]
fn init_seeds_the_source_document() {
    let dir = init("tokyo");
    let offices = ok_json(dir.path(), &["office", "list"]);
    let codes: Vec<&str> = offices.as_array().unwrap().iter().map(|o| o["code"].as_str().unwrap()).collect();
    assert_eq!(codes.len(), 4);
    for c in ["tokyo", "tono", "fukushima", "sendai"] {
        assert!(codes.contains(&c));
    }
    let grants = ok_json(dir.path(), &["grant", "list"]);
    assert_eq!(grants["totals"][0]["amount"], "698709.00");
    assert_eq!(grants["totals"][0]["currency"], "USD");
    let human = String::from_utf8(kizuna(dir.path(), &["grant", "list"]).stdout).unwrap();
    assert!(human.contains("TOTAL GRANTED: 698,709.00 USD"));
    assert!(human.contains("April 2014 to March 2017"));
    assert!(human.contains("March 11, 2011 to March 10, 2012"));
    let profile = ok_json(dir.path(), &["profile", "show"]);
    assert_eq!(profile["acronym"], "JANIC");
    assert_eq!(profile["founded_year"], 1987);

    let again = kizuna(dir.path(), &["init"]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already_initialised"));
}

#[test]
fn grant_show_lists_phases_activities_and_partners() {
    let dir = init("tokyo");
    let grants = ok_json(dir.path(), &["grant", "list"]);
    let nuclear = grants["grants"][1]["grant"]["id"].as_str().unwrap().to_string();
    let shown = String::from_utf8(kizuna(dir.path(), &["grant", "show", &nuclear]).stdout).unwrap();
    assert!(shown.contains("partner: FUKUDEN"));
    assert!(shown.contains("Enhancing Public Knowledge of Radiation Issues"));
    assert!(shown.contains("100,000.00 USD"));
    // A phase id finds its grant too.
    let phase = grants["grants"][0]["phases"][1]["phase"]["id"].as_str().unwrap().to_string();
    let g = ok_json(dir.path(), &["grant", "show", &phase]);
    assert_eq!(g["grant"]["title_en"], "Emergency Relief Program Grant");
    assert_eq!(g["total"]["amount"], "598709.00");
    let missing = kizuna(dir.path(), &["grant", "show", "nope"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("not_found"));
}

#[test]
fn member_and_site_lifecycle_with_japanese_text() {
    let dir = init("sendai");
    let m = ok_json(
        dir.path(),
        &[
            "member",
            "add",
            "--name-ja",
            "仙台復興支援の会",
            "--name-en",
            "Sendai Recovery Support",
            "--reading",
            "センダイフッコウシエンノカイ",
            "--prefecture",
            "宮城県",
            "--prefecture",
            "Iwate",
            "--email",
            "info@example.jp",
        ],
    );
    let id = m["id"].as_str().unwrap().to_string();
    assert_eq!(m["name_ja"], "仙台復興支援の会");
    assert_eq!(m["member_no"], "SDI-0001");
    assert_eq!(m["prefectures"], serde_json::json!(["03", "04"]));

    let found = ok_json(dir.path(), &["member", "list", "--search", "ふっこう"]);
    assert_eq!(found["total"], 1);
    assert_eq!(found["rows"][0]["id"], id.as_str());
    let by_pref = ok_json(dir.path(), &["member", "list", "--prefecture", "04"]);
    assert_eq!(by_pref["total"], 1);
    assert_eq!(ok_json(dir.path(), &["member", "list", "--prefecture", "Fukushima"])["total"], 0);

    let edited = ok_json(dir.path(), &["member", "edit", &id, "--name-en", "Sendai Recovery Network"]);
    assert_eq!(edited["name_en"], "Sendai Recovery Network");
    assert_eq!(edited["email"], "info@example.jp");
    assert_eq!(edited["name_ja"], "仙台復興支援の会");

    let s = ok_json(
        dir.path(),
        &[
            "site",
            "add",
            "--member",
            &id,
            "--prefecture",
            "宮城県",
            "--municipality",
            "石巻市",
            "--name",
            "石巻避難所",
            "--lat",
            "38.43",
            "--lon",
            "141.30",
            "--sector",
            "shelter",
            "--opened",
            "2011-03-20",
        ],
    );
    let sid = s["id"].as_str().unwrap().to_string();
    assert_eq!(s["prefecture_code"], "04");
    assert_eq!(s["member_name_ja"], "仙台復興支援の会");
    let dash = ok_json(dir.path(), &["dashboard"]);
    let miyagi =
        dash["active_sites_by_prefecture"].as_array().unwrap().iter().find(|p| p["code"] == "04").unwrap().clone();
    assert_eq!(miyagi["count"], 1);

    let closed = ok_json(dir.path(), &["site", "edit", &sid, "--status", "closed", "--closed", "2013-03-31"]);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["opened_on"], "2011-03-20");
    assert_eq!(ok_json(dir.path(), &["site", "list", "--member", &id])["total"], 1);
    ok_json(dir.path(), &["site", "remove", &sid]);
    assert_eq!(ok_json(dir.path(), &["site", "list", "--prefecture", "Miyagi"])["total"], 0);
    ok_json(dir.path(), &["member", "remove", &id]);
    let gone = kizuna(dir.path(), &["member", "show", &id]);
    assert!(!gone.status.success());
    assert!(stderr(&gone).contains(&id));
}

#[test]
fn rejected_commands_name_the_problem_and_change_no_byte() {
    let dir = init("tokyo");
    let m = ok_json(dir.path(), &["member", "add", "--name-ja", "会", "--name-en", "Group"]);
    let id = m["id"].as_str().unwrap().to_string();
    let phase =
        ok_json(dir.path(), &["grant", "list"])["grants"][0]["phases"][0]["phase"]["id"].as_str().unwrap().to_string();
    let before = db_fingerprint(dir.path());
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["member", "add", "--name-ja", "x", "--name-en", "y", "--prefecture", "Narnia"], "prefecture"),
        (vec!["member", "add", "--name-ja", "x", "--name-en", "y", "--email", "nope"], "email"),
        // The Japanese name is the one a member needs (a Japanese-only NGO has no English one).
        (vec!["member", "add", "--name-en", "x"], "--name-ja: is required"),
        (vec!["member", "edit", "no-such-id", "--name-en", "z"], "no-such-id"),
        (
            vec![
                "site",
                "add",
                "--member",
                &id,
                "--prefecture",
                "04",
                "--municipality",
                "石巻市",
                "--name",
                "n",
                "--opened",
                "2012-05-01",
                "--closed",
                "2012-04-01",
            ],
            "end date 2012-04-01 is before start date 2012-05-01",
        ),
        (
            vec!["site", "add", "--member", &id, "--prefecture", "99", "--municipality", "石巻市", "--name", "n"],
            "unknown prefecture '99'",
        ),
        (
            vec!["site", "add", "--member", "ghost", "--prefecture", "04", "--municipality", "石巻市", "--name", "n"],
            "no member with id ghost",
        ),
        (
            vec![
                "site",
                "add",
                "--member",
                &id,
                "--prefecture",
                "04",
                "--municipality",
                "石巻市",
                "--name",
                "n",
                "--opened",
                "2011/03/20",
            ],
            "--opened: '2011/03/20' is not a date: use YYYY-MM-DD",
        ),
        (
            vec![
                "spend",
                "add",
                "--phase",
                &phase,
                "--date",
                "2011-05-01",
                "--description",
                "x",
                "--amount",
                "-100",
                "--currency",
                "USD",
            ],
            "must not be negative",
        ),
        (
            vec![
                "spend",
                "add",
                "--phase",
                &phase,
                "--date",
                "2011-05-01",
                "--description",
                "x",
                "--amount",
                "12abc",
                "--currency",
                "USD",
            ],
            "is not an amount",
        ),
        (
            vec!["budget", "add", "--phase", &phase, "--name-en", "Staff", "--amount", "1.234", "--currency", "USD"],
            "more decimal places",
        ),
        (vec!["site", "remove", "no-such-site"], "no site with id no-such-site"),
    ];
    for (args, expect) in cases {
        let out = kizuna(dir.path(), &args);
        assert!(!out.status.success(), "{args:?} should fail");
        let err = stderr(&out);
        assert!(err.contains(expect), "{args:?}: {err}");
        assert_eq!(before, db_fingerprint(dir.path()), "{args:?} changed the database");
    }
    // With --json the error is machine readable too.
    let out = kizuna(dir.path(), &["--json", "member", "add", "--name-ja", "x", "--name-en", "y", "--email", "bad"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "invalid_input");
    assert_eq!(v["error"]["field"], "email");
}

#[test]
fn commands_on_an_uninitialised_folder_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = kizuna(&dir.path().join("empty"), &["member", "list"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("kizuna init"));
    assert!(!dir.path().join("empty").exists());
}

#[test]
fn export_is_identical_across_runs_and_replicas() {
    let a = init("tokyo");
    let b = init("fukushima");
    let dump = |d: &Path| kizuna(d, &["export", "json"]).stdout;
    assert_eq!(dump(a.path()), dump(a.path()));
    assert_eq!(dump(a.path()), dump(b.path()), "seeded replicas hold the same shared data");
    let file = a.path().join("dump.json");
    ok_json(a.path(), &["export", "json", "--out", file.to_str().unwrap()]);
    assert_eq!(std::fs::read(&file).unwrap(), dump(a.path()));
    ok_json(a.path(), &["member", "add", "--name-ja", "会", "--name-en", "Group"]);
    assert_ne!(dump(a.path()), dump(b.path()));
}

#[test]
fn budgets_and_spending_in_two_currencies() {
    let dir = init("tokyo");
    let phase =
        ok_json(dir.path(), &["grant", "list"])["grants"][0]["phases"][0]["phase"]["id"].as_str().unwrap().to_string();
    let line = ok_json(
        dir.path(),
        &[
            "budget",
            "add",
            "--phase",
            &phase,
            "--name-en",
            "Coordination",
            "--name-ja",
            "調整",
            "--amount",
            "100000",
            "--currency",
            "USD",
        ],
    );
    let line_id = line["id"].as_str().unwrap().to_string();
    let spent = ok_json(
        dir.path(),
        &[
            "spend",
            "add",
            "--phase",
            &phase,
            "--line",
            &line_id,
            "--date",
            "2011-04-15",
            "--description",
            "会場費",
            "--amount",
            "250000",
            "--currency",
            "JPY",
            "--rate",
            "0.012",
            "--rate-date",
            "2011-04-15",
        ],
    );
    assert_eq!(spent["converted"]["amount"], "3000.00");
    assert_eq!(spent["amount"]["amount"], "250000");
    let g = ok_json(dir.path(), &["grant", "show", &phase]);
    assert_eq!(g["phases"][0]["spent_total"]["amount"], "3000.00");
    assert_eq!(g["phases"][0]["unspent"]["amount"], "325709.00");
    let no_rate = kizuna(
        dir.path(),
        &[
            "spend",
            "add",
            "--phase",
            &phase,
            "--date",
            "2011-04-15",
            "--description",
            "x",
            "--amount",
            "100",
            "--currency",
            "JPY",
        ],
    );
    assert!(stderr(&no_rate).contains("rate: is required"));
}

#[test]
fn demo_adds_labelled_synthetic_records() {
    let dir = init("tokyo");
    let s = ok_json(dir.path(), &["demo", "--members", "5", "--sites", "40", "--seed", "9"]);
    assert_eq!(s["registry"]["sites_added"], 40);
    assert!(s["coordination"].is_null());
    let members = ok_json(dir.path(), &["member", "list"]);
    assert_eq!(members["total"], 5);
    assert!(
        members["rows"].as_array().unwrap().iter().all(|m| m["name_en"].as_str().unwrap().starts_with("Sample NGO"))
    );
    let d = ok_json(dir.path(), &["dashboard"]);
    assert_eq!(d["sites"], 40);

    // Coordination records over those members: 12 meetings of 6 distinct
    // organisations (5 members and one sample organisation each), 30
    // contacts on one sample list.
    let args = ["demo", "--members", "0", "--sites", "0", "--meetings", "12", "--attendees", "6", "--contacts", "30"];
    let s = ok_json(dir.path(), &args);
    assert_eq!(
        (s["coordination"]["meetings_added"].as_i64(), s["coordination"]["attendances_added"].as_i64()),
        (Some(12), Some(72))
    );
    let stats = ok_json(dir.path(), &["meeting", "stats", "--to", "2015-12-31"]);
    assert_eq!((stats["meetings"].as_i64(), stats["organisations_mean"].as_str()), (Some(12), Some("6")));
    let list = s["coordination"]["list_id"].as_str().unwrap().to_string();
    let shown = ok_json(dir.path(), &["list", "show", &list]);
    assert_eq!(shown["subscribers"], 30);
    assert!(shown["name_en"].as_str().unwrap().starts_with("Sample"));
}

fn first_phase(dir: &Path) -> String {
    ok_json(dir, &["grant", "list"])["grants"][0]["phases"][0]["phase"]["id"].as_str().unwrap().to_string()
}

#[test]
fn a_field_office_may_not_edit_hq_only_tables() {
    let dir = init("sendai");
    let phase = first_phase(dir.path());
    let before = db_fingerprint(dir.path());
    let out = kizuna(
        dir.path(),
        &["budget", "add", "--phase", &phase, "--name-en", "X", "--amount", "10", "--currency", "USD"],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("error[unauthorized]"), "{}", stderr(&out));
    assert!(stderr(&out).contains("only HQ"), "{}", stderr(&out));
    assert_eq!(db_fingerprint(dir.path()), before, "nothing written");
    // Shared records stay open to the office.
    ok_json(dir.path(), &["member", "add", "--name-ja", "会", "--name-en", "Group"]);
}

#[test]
fn an_amount_that_would_overflow_is_a_clear_error_not_a_panic() {
    let dir = init("tokyo");
    let phase = first_phase(dir.path());
    let huge = "79228162514264337593543950335";
    let out = kizuna(
        dir.path(),
        &["budget", "add", "--phase", &phase, "--name-en", "X", "--amount", huge, "--currency", "USD"],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("error[invalid_input]: --amount:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(ok_json(dir.path(), &["grant", "list"])["totals"][0]["amount"], "698709.00");
}

#[test]
fn screens_open_on_bad_data_and_doctor_lists_and_repairs_it_through_the_write_path() {
    let dir = init("tokyo");
    let phase = first_phase(dir.path());
    let other =
        ok_json(dir.path(), &["grant", "list"])["grants"][0]["phases"][1]["phase"]["id"].as_str().unwrap().to_string();
    let huge = "79228162514264337593543950335";
    {
        let k = kizuna_core::Kizuna::open(dir.path()).unwrap();
        k.store()
            .conn()
            .execute_batch(&format!(
                "UPDATE phases SET currency = 'JPY' WHERE id = '{phase}';
                 INSERT INTO budget_lines (id, phase_id, name_en, amount, currency) VALUES
                     ('bad1', '{other}', 'Bad', '{huge}', 'USD'), ('bad2', '{other}', 'Bad', '{huge}', 'USD'),
                     ('bad3', '{other}', 'Bad', 'not a number', 'USD');
                 INSERT INTO members (id, name_en, name_ja, prefectures, joined_on, status)
                     VALUES ('m-bad', 'Bad member', '悪', 'Iwate, Miyagi', '2011-02-30', 'active');"
            ))
            .unwrap();
    }
    // Every screen and report opens.
    ok_json(dir.path(), &["grant", "list"]);
    ok_json(dir.path(), &["grant", "show", &other]);
    ok_json(dir.path(), &["dashboard"]);
    ok_json(dir.path(), &["member", "list"]);
    let pdf = dir.path().join("phase.pdf");
    ok_json(dir.path(), &["report", "phase", &other, "--out", pdf.to_str().unwrap()]);
    assert!(std::fs::metadata(&pdf).unwrap().len() > 0);

    let found = ok_json(dir.path(), &["doctor"]);
    let findings = found["findings"].as_array().unwrap();
    let has = |table: &str, id: &str, column: &str, repair: &str| {
        findings
            .iter()
            .any(|f| f["table"] == table && f["row_id"] == id && f["column"] == column && f["repair"] == repair)
    };
    assert!(has("phases", &phase, "currency", "remove"), "{found}");
    assert!(has("budget_lines", "bad1", "amount", "remove"), "{found}");
    assert!(has("budget_lines", "bad3", "amount", "remove"), "{found}");
    assert!(has("members", "m-bad", "prefectures", "clear"), "{found}");
    assert!(has("members", "m-bad", "joined_on", "clear"), "{found}");
    assert_eq!(findings.len(), 6, "{found}");

    let unsent = |d: &Path| ok_json(d, &["dashboard"])["unsynced_changes"].as_i64().unwrap();
    let before = unsent(dir.path());
    let repaired = ok_json(dir.path(), &["doctor", "--repair"]);
    assert_eq!(repaired["repaired"], 6, "{repaired}");
    assert_eq!(repaired["findings"].as_array().unwrap().len(), 0, "{repaired}");
    assert_eq!(unsent(dir.path()), before + 5, "repairs are logged changes, so they sync");
    assert_eq!(ok_json(dir.path(), &["doctor"])["findings"].as_array().unwrap().len(), 0);
    // Removed rows can be found again.
    let removed = ok_json(dir.path(), &["removed", "list", "--table", "budget_lines"]);
    let ids: Vec<&str> = removed.as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"bad1") && ids.contains(&"bad2") && ids.contains(&"bad3"), "{removed}");
}

#[test]
fn a_removed_member_is_listed_and_restored() {
    let dir = init("fukushima");
    let m = ok_json(dir.path(), &["member", "add", "--name-ja", "会", "--name-en", "Kept Group"]);
    let id = m["id"].as_str().unwrap().to_string();
    ok_json(dir.path(), &["member", "remove", &id]);
    let removed = ok_json(dir.path(), &["removed", "list", "--table", "members"]);
    let row = removed.as_array().unwrap().iter().find(|r| r["id"] == id.as_str()).expect("listed").clone();
    assert_eq!(row["label"], "Kept Group");
    assert_eq!(row["removed_by"], "fukushima");
    ok_json(dir.path(), &["removed", "restore", &id]);
    let list = ok_json(dir.path(), &["member", "list"]);
    assert!(list["rows"].as_array().unwrap().iter().any(|r| r["id"] == id.as_str()), "{list}");
    let again = kizuna(dir.path(), &["removed", "restore", &id]);
    assert!(stderr(&again).contains("error[not_found]"), "{}", stderr(&again));
}
