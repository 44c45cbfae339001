//! Field usability (issue 15), through the binary: the ids people see, errors
//! that name the flag, plausibility checks, safe removal, Japanese order and
//! names, the small breakages, and joining with data typed before.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use serde_json::Value;

use super::common::{self, kizuna, kizuna_env};
use super::{db_fingerprint, init, ok_json, stderr};

/// A member of the Tono office (TNO-0001 on a fresh replica), its id.
fn tono_member(dir: &std::path::Path, name_ja: &str) -> String {
    let m = ok_json(dir, &["member", "add", "--name-ja", name_ja, "--prefecture", "Iwate"]);
    m["id"].as_str().unwrap().to_string()
}

fn site_args<'a>(member: &'a str, municipality: &'a str, name: &'a str) -> Vec<&'a str> {
    vec!["site", "add", "--member", member, "--prefecture", "岩手県", "--municipality", municipality, "--name", name]
}

#[test]
fn member_numbers_and_unique_id_prefixes_are_accepted_wherever_an_id_is() {
    let dir = init("tono");
    let id = tono_member(dir.path(), "遠野まごころネット");
    // The member number, in any case, where a member id is taken.
    let site = ok_json(dir.path(), &site_args("TNO-0001", "遠野市", "遠野拠点"));
    assert_eq!(site["member_id"], id.as_str());
    assert_eq!(ok_json(dir.path(), &["member", "show", "tno-0001"])["id"], id.as_str());
    let listed = ok_json(dir.path(), &["site", "list", "--member", "TNO-0001"]);
    assert_eq!(listed["total"], 1);
    // A unique prefix of 8+ characters, as git takes an abbreviated hash.
    let site_id = site["id"].as_str().unwrap();
    let shown = ok_json(dir.path(), &["site", "show", &site_id[..24]]);
    assert_eq!(shown["id"], site_id);
    assert_eq!(ok_json(dir.path(), &["member", "show", &id[..30]])["id"], id.as_str());
    let edited = ok_json(dir.path(), &["member", "edit", &id[..30], "--notes", "typed by prefix"]);
    assert_eq!(edited["notes"], "typed by prefix");
    // Seven characters are not a prefix: not found, as a wrong id is.
    let short = kizuna(dir.path(), &["member", "show", &id[..7]]);
    assert!(stderr(&short).contains("error[not_found]"), "{}", stderr(&short));

    // The seed's rows share their stamp, so 8 characters fit every grant:
    // the error lists the candidates instead of picking one.
    let grants = ok_json(dir.path(), &["grant", "list"]);
    let ids: Vec<&str> =
        grants["grants"].as_array().unwrap().iter().map(|g| g["grant"]["id"].as_str().unwrap()).collect();
    let ambiguous = kizuna(dir.path(), &["grant", "show", &ids[0][..8]]);
    assert!(!ambiguous.status.success());
    let err = stderr(&ambiguous);
    assert!(err.contains("error[ambiguous_id]"), "{err}");
    for g in &ids {
        assert!(err.contains(g), "candidate {g} missing from: {err}");
    }
    // And the whole id still works.
    assert_eq!(ok_json(dir.path(), &["grant", "show", ids[0]])["grant"]["id"], ids[0]);
}

#[test]
fn errors_name_the_flag_say_why_and_come_all_at_once() {
    let dir = init("tono");
    tono_member(dir.path(), "遠野まごころネット");
    let before = db_fingerprint(dir.path());
    let mut args = site_args("TNO-0001", "遠野市", "x");
    args.extend(["--opened", "2011-02-30", "--lat", "100", "--status", "someday"]);
    let o = kizuna(dir.path(), &args);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(
            "error[invalid_input]: --opened: '2011-02-30' is not a date: there is no 30 February in 2011 (February 2011 has 28 days)"
        ),
        "{err}"
    );
    assert!(err.contains("error[invalid_input]: --lat: "), "{err}");
    assert!(err.contains("error[invalid_input]: --status: "), "{err}");
    assert!(!err.contains("opened_on"), "an internal column named: {err}");
    assert_eq!(db_fingerprint(dir.path()), before, "a refused add wrote something");
    // --json carries every problem with its field.
    let mut json = vec!["--json"];
    json.extend(&args);
    let o = kizuna(dir.path(), &json);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let fields: Vec<&str> =
        v["error"]["problems"].as_array().unwrap().iter().map(|p| p["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["latitude", "status", "opened_on"]);
}

#[test]
fn implausible_sites_and_members_are_refused_with_the_reason() {
    let dir = init("tono");
    let id = tono_member(dir.path(), "遠野まごころネット");
    let fails = |args: &[&str]| -> String {
        let o = kizuna(dir.path(), args);
        assert!(!o.status.success(), "{args:?} was accepted");
        stderr(&o)
    };
    // 石巻市 is in Miyagi, not Iwate; 大槌町 is Iwate's (JIS X 0402 03461).
    let err = fails(&site_args(&id, "石巻市", "x"));
    assert!(err.contains("--municipality: '石巻市' is in 宮城県 (Miyagi), not in 岩手県 (Iwate)"), "{err}");
    let otsuchi = ok_json(dir.path(), &site_args(&id, "上閉伊郡大槌町", "大槌拠点"));
    assert_eq!(otsuchi["municipality"], "大槌町");
    let mut fukushima = vec!["--json", "site", "add", "--member", &id, "--prefecture", "Fukushima"];
    fukushima.extend(["--municipality", "南相馬市", "--name", "南相馬拠点"]);
    assert!(kizuna(dir.path(), &fukushima).status.success());
    // Free text only when the person says it is not in the list.
    let err = fails(&site_args(&id, "どこか村", "x"));
    assert!(err.contains("not a municipality of 岩手県 (Iwate)"), "{err}");
    let mut free = site_args(&id, "どこか村", "仮設");
    free.push("--municipality-free");
    assert!(kizuna(dir.path(), &free).status.success());
    // Opened in 2031: not yet.
    let mut future = site_args(&id, "釜石市", "x");
    future.extend(["--opened", "2031-04-01"]);
    assert!(fails(&future).contains("--opened: 2031-04-01 is in the future"));
    // A planned site has no opening or closing dates.
    let mut planned = site_args(&id, "釜石市", "x");
    planned.extend(["--status", "planned", "--opened", "2011-04-01", "--closed", "2012-04-01"]);
    let err = fails(&planned);
    assert!(err.contains("--opened: a planned site has not opened"), "{err}");
    assert!(err.contains("--closed: a planned site has not opened"), "{err}");
    // Closing a site without a date closes it today.
    let site = otsuchi["id"].as_str().unwrap();
    let closed = ok_json(dir.path(), &["site", "edit", site, "--status", "closed"]);
    let today = chrono::Local::now().date_naive().to_string();
    assert_eq!(closed["closed_on"], today.as_str());
    // A reading is kana.
    let err = fails(&["member", "add", "--name-ja", "釜石の会", "--reading", "釜石のかい"]);
    assert!(err.contains("--reading: must be written in kana"), "{err}");
    // The same organisation again (legal form and width aside, same prefecture).
    let dup = ["member", "add", "--name-ja", "特定非営利活動法人 遠野まごころネット", "--prefecture", "03"];
    let err = fails(&dup);
    assert!(err.contains("error[likely_duplicate]: --name-ja: looks like TNO-0001 遠野まごころネット"), "{err}");
    assert!(err.contains("--allow-duplicate"), "{err}");
    // In another prefecture it is not the same one; confirmed, it is added.
    assert!(
        kizuna(dir.path(), &["member", "add", "--name-ja", "(特非)遠野まごころネット", "--prefecture", "04"])
            .status
            .success()
    );
    let mut confirmed = dup.to_vec();
    confirmed.push("--allow-duplicate");
    assert_eq!(ok_json(dir.path(), &confirmed)["member_no"], "TNO-0003");
}

#[test]
fn removing_a_member_with_sites_needs_cascade_and_states_what_went() {
    let dir = init("tono");
    let id = tono_member(dir.path(), "遠野まごころネット");
    ok_json(dir.path(), &site_args("TNO-0001", "遠野市", "一"));
    let mut second = site_args("TNO-0001", "釜石市", "二");
    second.extend(["--status", "closed", "--opened", "2011-04-01", "--closed", "2012-03-31"]);
    ok_json(dir.path(), &second);
    let before = db_fingerprint(dir.path());
    let o = kizuna(dir.path(), &["member", "remove", "TNO-0001"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("error[needs_cascade]: TNO-0001 遠野まごころネット has 2 site(s), 1 of them active"), "{err}");
    assert!(err.contains("--cascade"), "{err}");
    assert_eq!(db_fingerprint(dir.path()), before);
    let o = kizuna(dir.path(), &["member", "remove", "TNO-0001", "--cascade"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("Removed member TNO-0001") && said.contains("its 2 site(s), 1 of them active"), "{said}");
    // Listed among the removed records and restorable, by the same mechanism.
    let removed = ok_json(dir.path(), &["removed", "list"]);
    assert_eq!(removed.as_array().unwrap().len(), 3);
    ok_json(dir.path(), &["removed", "restore", &id[..30]]);
    assert_eq!(ok_json(dir.path(), &["member", "show", "TNO-0001"])["id"], id.as_str());
    // A member without sites goes without ceremony.
    tono_member(dir.path(), "釜石の会");
    assert!(kizuna(dir.path(), &["member", "remove", "TNO-0002"]).status.success());
}

#[test]
fn a_japanese_only_member_needs_no_english_name_and_every_command_has_help() {
    let dir = init("tono");
    let m =
        ok_json(dir.path(), &["member", "add", "--name-ja", "遠野まごころネット", "--reading", "とおのまごころねっと"]);
    assert_eq!(m["name_en"], "");
    let help = String::from_utf8(kizuna(dir.path(), &["member", "add", "--help"]).stdout).unwrap();
    assert!(help.contains("--name-ja") && help.contains("(required to add)"), "{help}");
    let help = String::from_utf8(kizuna(dir.path(), &["site", "--help"]).stdout).unwrap();
    for sub in ["add", "list", "show", "edit", "remove"] {
        let line = help.lines().find(|l| l.trim_start().starts_with(sub)).unwrap_or_default();
        assert!(line.trim().len() > sub.len() + 3, "`site {sub}` has no help line: {help}");
    }
}

#[test]
fn lists_name_prefectures_in_the_readers_language_and_sort_by_reading() {
    let dir = init("tono");
    for (name, reading) in [
        ("渡辺の会", "わたなべのかい"),
        ("青空", "あおぞら"),
        ("がんばろう岩手", "ガンバロウイワテ"),
        ("カリタス", "かりたす"),
    ] {
        ok_json(
            dir.path(),
            &["member", "add", "--name-ja", name, "--reading", reading, "--prefecture", "03", "--prefecture", "07"],
        );
    }
    let sorted = ok_json(dir.path(), &["member", "list", "--sort", "reading"]);
    let names: Vec<&str> = sorted["rows"].as_array().unwrap().iter().map(|m| m["name_ja"].as_str().unwrap()).collect();
    assert_eq!(names, ["青空", "カリタス", "がんばろう岩手", "渡辺の会"]);
    let ja =
        kizuna_env(dir.path(), &["member", "list", "--sort", "name_ja"], &[("LANG", "ja_JP.UTF-8"), ("LC_ALL", "")]);
    let text = String::from_utf8(ja.stdout).unwrap();
    assert!(text.contains("岩手県, 福島県"), "{text}");
    assert!(!text.contains("[03,07]"), "{text}");
    let en = kizuna_env(dir.path(), &["member", "list"], &[("LANG", "en_US.UTF-8"), ("LC_ALL", "")]);
    assert!(String::from_utf8(en.stdout).unwrap().contains("Iwate, Fukushima"));
}

#[test]
fn small_breakages_are_fixed() {
    let dir = init("tokyo");
    // `export json | head`: the reader closing the pipe early is no failure.
    let mut child = Command::new(env!("CARGO_BIN_EXE_kizuna"))
        .args(["--data-dir", dir.path().to_str().unwrap(), "export", "json"])
        .env_remove("KIZUNA_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit {:?}: {}", out.status, String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));

    // Reports are ordinary files, readable by others like any document.
    let pdf = dir.path().join("profile.pdf");
    let o = kizuna(dir.path(), &["report", "profile", "--out", pdf.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(&pdf).unwrap().permissions().mode() & 0o777, 0o644);

    // The third project is known to the month: its period may be given so.
    let grants = ok_json(dir.path(), &["grant", "list"]);
    let phase = grants["grants"][1]["phases"][0]["phase"]["id"].as_str().unwrap().to_string();
    let phase_pdf = dir.path().join("phase.pdf");
    let o = kizuna(
        dir.path(),
        &[
            "report",
            "phase",
            &phase,
            "--period-start",
            "2014-04",
            "--period-end",
            "2015-03",
            "--out",
            phase_pdf.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));

    // A freshly joined office holds no grants yet: no half a total.
    let tmp = tempfile::tempdir().unwrap();
    let invite = tmp.path().join("tono.invite");
    let pass = common::invite(dir.path(), "tono", &invite);
    let tono = tmp.path().join("tono");
    assert!(common::join(&tono, &invite, &pass).status.success());
    let text = String::from_utf8(kizuna(&tono, &["grant", "list"]).stdout).unwrap();
    assert!(!text.contains("TOTAL GRANTED: \n") && !text.trim_end().ends_with("TOTAL GRANTED:"), "{text:?}");
    assert!(text.contains("No grants yet"), "{text}");
}

#[test]
fn joining_adopts_the_data_typed_before_enrolment() {
    let tmp = tempfile::tempdir().unwrap();
    let hq = tmp.path().join("hq");
    assert!(kizuna(&hq, &["init"]).status.success());
    let tono = tmp.path().join("tono");
    assert!(kizuna(&tono, &["init", "--office", "tono"]).status.success());
    let id = tono_member(&tono, "遠野まごころネット");
    // Not enrolled: a bundle cannot be made yet.
    let bundle = tmp.path().join("tono.bundle");
    assert!(!kizuna(&tono, &["sync", "export", "--out", bundle.to_str().unwrap()]).status.success());
    // Another office's invite does not fit this database.
    let sendai_invite = tmp.path().join("sendai.invite");
    let pass = common::invite(&hq, "sendai", &sendai_invite);
    let wrong = common::join(&tono, &sendai_invite, &pass);
    assert!(!wrong.status.success());
    assert!(stderr(&wrong).contains("the invite is for 'sendai'"), "{}", stderr(&wrong));
    // Tono's own invite enrols it in place, its data kept.
    let invite = tmp.path().join("tono.invite");
    let pass = common::invite(&hq, "tono", &invite);
    let joined = common::join(&tono, &invite, &pass);
    assert!(joined.status.success(), "{}", stderr(&joined));
    assert_eq!(ok_json(&tono, &["member", "show", "TNO-0001"])["id"], id.as_str());
    // Joining again is refused: it is enrolled now.
    assert!(stderr(&common::join(&tono, &invite, &pass)).contains("already_initialised"));
    // Its changes are the office's own and reach HQ.
    let o = kizuna(&tono, &["sync", "export", "--out", bundle.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = kizuna(&hq, &["sync", "import", bundle.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let at_hq = ok_json(&hq, &["member", "show", &id]);
    assert_eq!(at_hq["name_ja"], "遠野まごころネット");
    assert_eq!(at_hq["member_no"], "TNO-0001");
}

#[test]
fn editing_a_member_into_a_likely_duplicate_needs_allow_duplicate() {
    let dir = init("tono");
    tono_member(dir.path(), "遠野まごころネット");
    tono_member(dir.path(), "釜石の会");
    let before = db_fingerprint(dir.path());
    let rename = ["member", "edit", "TNO-0002", "--name-ja", "NPO法人 遠野まごころネット"];
    let o = kizuna(dir.path(), &rename);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("error[likely_duplicate]: --name-ja: looks like TNO-0001 遠野まごころネット"), "{err}");
    assert!(err.contains("add --allow-duplicate"), "{err}");
    assert_eq!(db_fingerprint(dir.path()), before, "a refused edit writes nothing");
    // Other fields of a member still edit without asking.
    assert_eq!(
        ok_json(dir.path(), &["member", "edit", "TNO-0002", "--phone", "0193-22-1111"])["phone"],
        "0193-22-1111"
    );
    let mut confirmed = rename.to_vec();
    confirmed.push("--allow-duplicate");
    assert_eq!(ok_json(dir.path(), &confirmed)["name_ja"], "NPO法人 遠野まごころネット");
}

/// The core names a day by its column (`received_on` for a tranche and for
/// a gift alike); the error names the flag of the command that ran.
#[test]
fn a_bad_date_names_the_flag_of_the_command_that_ran() {
    let dir = init("tokyo");
    let d = dir.path();
    let grants = ok_json(d, &["grant", "list"]);
    let phase = grants["grants"][0]["phases"][0]["phase"]["id"].as_str().unwrap().to_string();
    let problem_lines = |args: &[&str]| {
        let o = kizuna(d, args);
        assert!(!o.status.success(), "{args:?} succeeded");
        stderr(&o)
    };

    let tranche = ["tranche", "add", "--phase", &phase, "--amount", "1", "--expected", "2011-04-01"];
    let mut bad = tranche.to_vec();
    bad.extend(["--received", "2011-02-30"]);
    let err = problem_lines(&bad);
    assert!(err.contains("error[invalid_input]: --received: "), "{err}");
    assert!(!err.contains("--date"), "a tranche has no --date: {err}");
    let t = ok_json(d, &tranche);
    let err = problem_lines(&["tranche", "edit", t["id"].as_str().unwrap(), "--received", "2011-02-30"]);
    assert!(err.contains("error[invalid_input]: --received: "), "{err}");

    let donor = ok_json(d, &["donor", "add", "--name-ja", "山田 太郎"]);
    let donor = donor["id"].as_str().unwrap();
    let err = problem_lines(&[
        "gift",
        "add",
        "--donor",
        donor,
        "--date",
        "2011-02-30",
        "--amount",
        "100",
        "--currency",
        "JPY",
    ]);
    assert!(err.contains("error[invalid_input]: --date: "), "{err}");
    assert!(!err.contains("received"), "{err}");
}
