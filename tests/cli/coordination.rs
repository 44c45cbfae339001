//! Coordination records through the CLI: meetings and attendance, the
//! coordination figures, follow-ups, the directory, mailing lists and
//! their exports, advocacy. Every expected figure is counted by hand from
//! the records each test writes.

use std::path::Path;

use serde_json::{Value, json};

use crate::common::kizuna;
use crate::{db_fingerprint, init, ok_json, stderr};

/// Runs a command that must fail; returns its `--json` error object and stderr.
fn refused(dir: &Path, args: &[&str]) -> (Value, String) {
    let mut full = vec!["--json"];
    full.extend_from_slice(args);
    let out = kizuna(dir, &full);
    assert!(!out.status.success(), "kizuna {args:?} should fail");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON error");
    (v["error"].clone(), stderr(&out))
}

fn text_of(err: &Value) -> &str {
    err["message"].as_str().unwrap_or("")
}

fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_string()
}

fn member(dir: &Path, ja: &str, en: &str) -> (String, String) {
    let m = ok_json(dir, &["member", "add", "--name-ja", ja, "--name-en", en]);
    (id(&m), m["member_no"].as_str().unwrap().to_string())
}

/// Adds a meeting; returns its id.
fn meeting(dir: &Path, date: &str, office: &str, prefecture: &str, topic: &str) -> String {
    let m = ok_json(
        dir,
        &["meeting", "add", "--date", date, "--office", office, "--prefecture", prefecture, "--topic-ja", topic],
    );
    id(&m["meeting"])
}

fn attend(dir: &Path, meeting: &str, extra: &[&str]) -> Value {
    let mut args = vec!["meeting", "attend", meeting];
    args.extend_from_slice(extra);
    ok_json(dir, &args)
}

fn stats(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["meeting", "stats"];
    args.extend_from_slice(extra);
    ok_json(dir, &args)
}

/// The headline figures of `meeting stats`, in the order the report states them.
fn figures(s: &Value) -> (i64, i64, Value, Value, i64, i64) {
    (
        s["meetings"].as_i64().unwrap(),
        s["meetings_with_attendance"].as_i64().unwrap(),
        s["organisations_mean"].clone(),
        s["organisations_median"].clone(),
        s["member_ngos_reached"].as_i64().unwrap(),
        s["other_organisations_reached"].as_i64().unwrap(),
    )
}

#[test]
fn meetings_record_attendance_and_the_figures_follow_office_prefecture_and_period() {
    let dir = init("tokyo");
    let d = dir.path();
    let members: Vec<(String, String)> = (1..=5).map(|i| member(d, &format!("会{i}"), &format!("Group {i}"))).collect();
    let orgs = ok_json(d, &["org", "list"])["total"].as_i64().unwrap();
    let org = ok_json(d, &["org", "add", "--name-ja", "岩手県社会福祉協議会", "--kind", "prefecture"]);
    let org = id(&org);

    // M1 (Tokyo, Iwate): members 1 and 3 by number (3 in lower case), 2 by id,
    // the directory's organisation, and a company added in the same step: 5.
    let m1 = meeting(d, "2024-03-10", "tokyo", "Iwate", "情報共有会議");
    let third = members[2].1.to_lowercase();
    let shown = attend(
        d,
        &m1,
        &[
            "--member",
            &members[0].1,
            "--member",
            &members[1].0,
            "--member",
            &third,
            "--org",
            &org,
            "--new-org-ja",
            "釜石商工会議所",
            "--new-org-en",
            "Kamaishi Chamber of Commerce",
            "--new-org-kind",
            "company",
        ],
    );
    assert_eq!(shown["meeting"]["organisations"], 5, "{shown}");
    // M2 (Tono, Iwate): member 1 and the organisation: 2.
    let m2 = meeting(d, "2024-06-15", "tono", "03", "遠野の会議");
    attend(d, &m2, &["--member", &members[0].0, "--org", &org]);
    // M3 (Tono, Miyagi): members 2, 4, 5: 3.
    let m3 = meeting(d, "2024-09-20", "tono", "宮城県", "石巻の会議");
    attend(d, &m3, &["--member", &members[1].1, "--member", &members[3].1, "--member", &members[4].1]);
    // M4 (Tokyo, Fukushima): nobody recorded.
    meeting(d, "2024-10-01", "tokyo", "Fukushima", "福島の会議");

    let show = ok_json(d, &["meeting", "show", &m1]);
    let attendees = show["attendees"].as_array().unwrap();
    assert_eq!(attendees.len(), 5, "{show}");
    let numbers: Vec<&str> = attendees.iter().filter_map(|a| a["member_no"].as_str()).collect();
    assert_eq!(numbers, [members[0].1.as_str(), members[1].1.as_str(), members[2].1.as_str()], "{show}");
    let company = attendees.iter().find(|a| a["name_ja"] == "釜石商工会議所").expect("the new organisation");
    assert_eq!(company["name_en"], "Kamaishi Chamber of Commerce");
    assert!(company["member_id"].is_null());
    let company_id = company["organisation_id"].as_str().unwrap();
    assert_eq!(ok_json(d, &["org", "show", company_id])["kind"], "company");
    assert!(attendees.iter().any(|a| a["organisation_id"] == org.as_str()));
    assert_eq!(ok_json(d, &["org", "list"])["total"], orgs + 2);
    // Recording an attendee twice is no change.
    assert_eq!(attend(d, &m1, &["--member", &members[0].1])["attendees"].as_array().unwrap().len(), 5);

    // All four meetings: counts 5, 2, 3 (and one without attendance).
    let to = ["--to", "2024-12-31"];
    let all = stats(d, &to);
    assert_eq!(figures(&all), (4, 3, json!("3.3"), json!("3"), 5, 2), "{all}");
    // Tono hosted M2 and M3: counts 2 and 3; members 1, 2, 4, 5; the organisation.
    assert_eq!(
        figures(&stats(d, &["--to", "2024-12-31", "--office", "tono"])),
        (2, 2, json!("2.5"), json!("2.5"), 4, 1)
    );
    // Tokyo hosted M1 and M4: one with attendance, 5 organisations.
    assert_eq!(figures(&stats(d, &["--to", "2024-12-31", "--office", "tokyo"])), (2, 1, json!("5"), json!("5"), 3, 2));
    // Iwate had M1 and M2: counts 5 and 2; members 1, 2, 3.
    assert_eq!(
        figures(&stats(d, &["--to", "2024-12-31", "--prefecture", "Iwate"])),
        (2, 2, json!("3.5"), json!("3.5"), 3, 2)
    );
    // June to September: M2 and M3.
    assert_eq!(
        figures(&stats(d, &["--from", "2024-06-01", "--to", "2024-09-30"])),
        (2, 2, json!("2.5"), json!("2.5"), 4, 1)
    );
    // From June on: M2, M3 and M4.
    assert_eq!(
        figures(&stats(d, &["--from", "2024-06-01", "--to", "2024-12-31"])),
        (3, 2, json!("2.5"), json!("2.5"), 4, 1)
    );
    // Miyagi and Tono together: M3 alone.
    assert_eq!(
        figures(&stats(d, &["--to", "2024-12-31", "--office", "tono", "--prefecture", "04"])),
        (1, 1, json!("3"), json!("3"), 3, 0)
    );
    // Before any meeting: nothing, and no mean to state.
    assert_eq!(figures(&stats(d, &["--to", "2024-01-01"])), (0, 0, Value::Null, Value::Null, 0, 0));

    let human = String::from_utf8(kizuna(d, &["meeting", "stats", "--to", "2024-12-31"]).stdout).unwrap();
    assert!(human.contains("Meetings held:                 4"), "{human}");
    assert!(human.contains("mean 3.3, median 3"), "{human}");
    assert!(human.contains("Member NGOs reached:           5"), "{human}");

    // The list filters the same meetings.
    assert_eq!(ok_json(d, &["meeting", "list", "--office", "tono"])["total"], 2);
    assert_eq!(ok_json(d, &["meeting", "list", "--prefecture", "岩手県"])["total"], 2);
    assert_eq!(ok_json(d, &["meeting", "list", "--from", "2024-06-01", "--to", "2024-09-30"])["total"], 2);
    assert_eq!(ok_json(d, &["meeting", "list", "--search", "石巻"])["rows"][0]["id"], m3.as_str());

    // Unattend by member number; the figures follow.
    let after = ok_json(d, &["meeting", "unattend", &m3, &members[4].1]);
    assert_eq!(after["meeting"]["organisations"], 2);
    assert_eq!(figures(&stats(d, &to)), (4, 3, json!("3"), json!("2"), 4, 2));
}

#[test]
fn the_outreach_list_names_members_absent_for_the_months_given() {
    let dir = init("tokyo");
    let d = dir.path();
    let (recent, _) = member(d, "最近の会", "Recent Group");
    let (lapsed, lapsed_no) = member(d, "久しい会", "Lapsed Group");
    let (never, never_no) = member(d, "未参加の会", "Never Group");
    let (suspended, _) = member(d, "休止の会", "Suspended Group");
    ok_json(d, &["member", "edit", &suspended, "--status", "suspended"]);

    let april = meeting(d, "2025-04-30", "tokyo", "Iwate", "四月の会議");
    attend(d, &april, &["--member", &recent]);
    let october = meeting(d, "2024-10-30", "tono", "Iwate", "十月の会議");
    attend(d, &october, &["--member", &lapsed]);
    // A meeting after `to` does not count.
    let later = meeting(d, "2025-07-15", "tokyo", "Iwate", "七月の会議");
    attend(d, &later, &["--member", &never]);

    let s = stats(d, &["--to", "2025-06-30", "--inactive-months", "6"]);
    assert_eq!(s["inactive_months"], 6);
    let listed: Vec<(&str, &Value)> = s["not_attended"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["member_id"].as_str().unwrap(), &m["last_attended"]))
        .collect();
    assert_eq!(listed, [(never.as_str(), &Value::Null), (lapsed.as_str(), &json!("2024-10-30"))], "{s}");
    let human =
        String::from_utf8(kizuna(d, &["meeting", "stats", "--to", "2025-06-30", "--inactive-months", "6"]).stdout)
            .unwrap();
    assert!(human.contains(&format!("{lapsed_no}  久しい会 / Lapsed Group  last attended 2024-10-30")), "{human}");
    assert!(human.contains(&format!("{never_no}  未参加の会 / Never Group  last attended never")), "{human}");

    // Over a year, October counts as attended.
    let s = stats(d, &["--to", "2025-06-30", "--inactive-months", "12"]);
    let ids: Vec<&str> =
        s["not_attended"].as_array().unwrap().iter().map(|m| m["member_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [never.as_str()], "{s}");
}

#[test]
fn overdue_follow_ups_are_the_open_ones_due_before_the_day_and_a_due_date_before_its_meeting_is_refused() {
    let dir = init("tokyo");
    let d = dir.path();
    let (m, m_no) = member(d, "会", "Group");
    let jan = meeting(d, "2025-01-10", "tokyo", "Miyagi", "一月の会議");
    let open = ok_json(
        d,
        &["follow-up", "add", &jan, "--text", "物資リストを共有する", "--member", &m_no, "--due", "2025-02-01"],
    );
    assert_eq!(open["status"], "open");
    assert_eq!(open["member_id"], m.as_str());
    let done =
        ok_json(d, &["follow-up", "add", &jan, "--text", "市に報告", "--office", "sendai", "--due", "2025-02-15"]);
    assert_eq!(done["office_code"], "sendai");
    let done = ok_json(d, &["follow-up", "edit", &id(&done), "--status", "done", "--done", "2025-02-10"]);
    assert_eq!((&done["status"], &done["done_on"]), (&json!("done"), &json!("2025-02-10")));
    ok_json(d, &["follow-up", "add", &jan, "--text", "次回の日程", "--due", "2025-08-01"]);
    assert_eq!(ok_json(d, &["meeting", "show", &jan])["meeting"]["open_follow_ups"], 2);

    let s = stats(d, &["--to", "2025-03-31"]);
    let overdue: Vec<&str> =
        s["overdue_follow_ups"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(overdue, [id(&open).as_str()], "{s}");
    assert_eq!(s["overdue_follow_ups"][0]["meeting_held_on"], "2025-01-10");
    let human = String::from_utf8(kizuna(d, &["meeting", "stats", "--to", "2025-03-31"]).stdout).unwrap();
    assert!(human.contains("Overdue follow-ups: 1"), "{human}");
    assert!(human.contains("物資リストを共有する"), "{human}");
    // On the due day itself it is not yet overdue.
    assert_eq!(stats(d, &["--to", "2025-02-01"])["overdue_follow_ups"].as_array().unwrap().len(), 0);

    let feb = meeting(d, "2025-02-20", "tokyo", "Miyagi", "二月の会議");
    let before = db_fingerprint(d);
    let (err, text) = refused(d, &["follow-up", "add", &feb, "--text", "早すぎる", "--due", "2025-02-19"]);
    assert_eq!((&err["code"], &err["field"]), (&json!("invalid_input"), &json!("due_on")), "{err}");
    assert!(text.contains("error[invalid_input]: --due: 2025-02-19 is before the meeting (2025-02-20)"), "{text}");
    assert_eq!(db_fingerprint(d), before, "nothing written");
    assert_eq!(ok_json(d, &["meeting", "show", &feb])["follow_ups"], json!([]));
}

#[test]
fn bad_input_is_refused_by_name_and_writes_nothing() {
    let dir = init("tokyo");
    let d = dir.path();
    let (_, m_no) = member(d, "会", "Group");
    let mtg = meeting(d, "2025-03-01", "tokyo", "Iwate", "会議");
    attend(d, &mtg, &["--member", &m_no]);
    let orgs = ok_json(d, &["org", "list"]);

    let before = db_fingerprint(d);
    let (err, text) = refused(d, &["meeting", "attend", &mtg, "--member", "NOPE-9999", "--new-org-ja", "新しい団体"]);
    assert_eq!(err["code"], "not_found", "{err}");
    assert!(text.contains("no member with id NOPE-9999"), "{text}");
    assert_eq!(db_fingerprint(d), before, "nothing written");
    assert_eq!(ok_json(d, &["meeting", "show", &mtg])["meeting"]["organisations"], 1);
    assert_eq!(ok_json(d, &["org", "list"]), orgs, "the new organisation was not added either");

    let contacts = ok_json(d, &["contact", "list"]);
    let (err, _) = refused(d, &["contact", "add", "--name-ja", "山田 花子", "--email", "yamada at example"]);
    assert_eq!((&err["code"], &err["field"]), (&json!("invalid_input"), &json!("email")), "{err}");
    let (err, text) = refused(d, &["contact", "add", "--name-ja", "山田 花子", "--reading", "山田はなこ"]);
    assert_eq!((&err["code"], &err["field"]), (&json!("invalid_input"), &json!("reading")), "{err}");
    assert!(text.contains("'山' is not kana"), "{text}");
    let (err, _) = refused(d, &["org", "add", "--name-ja", "釜石市", "--reading", "釜石し"]);
    assert_eq!(err["field"], "reading", "{err}");
    let (err, _) = refused(d, &["contact", "add", "--name-ja", "山田 花子", "--member", "NOPE-9999"]);
    assert_eq!(err["code"], "not_found", "{err}");
    assert_eq!(ok_json(d, &["contact", "list"]), contacts, "contact list unchanged");
    assert_eq!(db_fingerprint(d), before, "nothing written");

    // The same contact, well formed, is taken; the member given by number.
    let c = ok_json(
        d,
        &[
            "contact",
            "add",
            "--name-ja",
            "山田 花子",
            "--reading",
            "ヤマダ ハナコ",
            "--member",
            &m_no,
            "--email",
            "h@example.jp",
        ],
    );
    assert_eq!(c["affiliation_ja"], "会");
    assert_eq!(ok_json(d, &["contact", "list", "--of", &m_no])["total"], 1);
    assert_eq!(ok_json(d, &["contact", "list", "--search", "やまだ"])["total"], 1);
}

#[test]
fn a_mailing_list_exports_only_reachable_subscribers_and_reports_its_reach() {
    let dir = init("tokyo");
    let d = dir.path();
    let (_, m_no) = member(d, "東北ネット", "Tohoku Net");
    let company =
        id(&ok_json(d, &["org", "add", "--name-ja", "株式会社みらい", "--name-en", "Mirai Inc.", "--kind", "company"]));
    let ngo = id(&ok_json(d, &["org", "add", "--name-ja", "市民の会", "--kind", "ngo"]));
    let hanako = id(&ok_json(
        d,
        &[
            "contact",
            "add",
            "--name-ja",
            "山田 花子",
            "--name-en",
            "Hanako Yamada",
            "--reading",
            "やまだ はなこ",
            "--member",
            &m_no,
            "--email",
            "hanako@example.jp",
        ],
    ));
    let taro = id(&ok_json(
        d,
        &["contact", "add", "--name-ja", "佐藤 太郎", "--org", &company, "--email", "taro@example.co.jp"],
    ));
    let ichiro =
        id(&ok_json(d, &["contact", "add", "--name-ja", "鈴木 一郎", "--org", &ngo, "--email", "ichiro@example.org"]));

    let list = ok_json(d, &["list", "add", "--name-ja", "東北支援情報", "--name-en", "Tohoku update"]);
    let list = id(&list);
    let subs = ok_json(d, &["list", "subscribe", &list, &hanako, &taro, &ichiro, "--on", "2024-04-01"]);
    assert_eq!(subs.as_array().unwrap().len(), 3);
    let out = ok_json(d, &["list", "unsubscribe", &list, &ichiro, "--on", "2024-05-01"]);
    assert_eq!(out["opted_out_on"], "2024-05-01");
    assert_eq!(ok_json(d, &["list", "bounce", &list, &taro])["bounced"], true);
    let shown = ok_json(d, &["list", "show", &list]);
    assert_eq!((&shown["subscribers"], &shown["opted_out"], &shown["bounced"]), (&json!(2), &json!(1), &json!(1)));
    assert_eq!(ok_json(d, &["list", "members", &list]).as_array().unwrap().len(), 3, "the opt-out stays known");

    let file = d.join("tohoku.csv");
    let summary = ok_json(d, &["list", "export", &list, "--format", "csv", "--out", file.to_str().unwrap()]);
    assert_eq!(
        (&summary["exported"], &summary["skipped_bounced"], &summary["skipped_opted_out"]),
        (&json!(1), &json!(1), &json!(1)),
        "{summary}"
    );
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 2, "header and one row: {text}");
    assert!(lines[0].starts_with("氏名 / Name (ja)"), "{text}");
    assert!(lines[1].starts_with("山田 花子,Hanako Yamada,やまだ はなこ,"), "{text}");
    assert!(lines[1].contains("東北ネット") && lines[1].contains("hanako@example.jp"), "{text}");
    assert!(!text.contains("佐藤") && !text.contains("鈴木"), "{text}");

    // vCard to stdout; the summary goes to stderr.
    let o = kizuna(d, &["list", "export", &list, "--format", "vcard"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let card = String::from_utf8(o.stdout.clone()).unwrap().replace("\r\n ", "");
    assert!(card.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\n"), "{card}");
    assert_eq!(card.matches("BEGIN:VCARD").count(), 1, "{card}");
    assert!(card.contains("\r\nN;ALTID=1;PHONETIC=script;SCRIPT=Kana;LANGUAGE=ja:やまだ はなこ;;;;\r\n"), "{card}");
    assert!(card.contains("\r\nFN:山田 花子\r\n"), "{card}");
    assert!(stderr(&o).contains("1 exported; skipped 1 bouncing, 1 opted out"), "{}", stderr(&o));

    // Naming an opted-out contact is an error, and no file is written.
    let refused_file = d.join("ichiro.csv");
    let (err, _) =
        refused(d, &["list", "export", &list, "--contact", &ichiro, "--out", refused_file.to_str().unwrap()]);
    assert_eq!((&err["code"], &err["field"]), (&json!("invalid_input"), &json!("contacts")), "{err}");
    assert!(!refused_file.exists());

    // A fixed address is exported again.
    ok_json(d, &["list", "bounce", &list, &taro, "--fixed"]);
    let e = ok_json(d, &["list", "export", &list]);
    assert_eq!((&e["exported"], &e["skipped_bounced"]), (&json!(2), &json!(0)), "{e}");
    assert!(e["content"].as_str().unwrap().contains("株式会社みらい"));

    // Reach: three contacts at a member, a company and an NGO.
    let reach = |extra: &[&str]| {
        let mut args = vec!["list", "reach"];
        args.extend_from_slice(extra);
        let v = ok_json(d, &args);
        let r = v.as_array().unwrap().iter().find(|r| r["list_id"] == list.as_str()).unwrap().clone();
        (r["contacts"].clone(), r["organisations"].clone(), r["member_ngos"].clone(), r["companies"].clone())
    };
    assert_eq!(reach(&[]), (json!(3), json!(3), json!(1), json!(1)));
    // After the opt-out, the NGO's contact is no longer reached.
    assert_eq!(reach(&["--from", "2024-06-01"]), (json!(2), json!(2), json!(1), json!(1)));
    // Before anyone subscribed, no one.
    assert_eq!(reach(&["--to", "2024-03-31"]), (json!(0), json!(0), json!(0), json!(0)));
}

#[test]
fn advocacy_needs_its_dates_in_order_and_keeps_its_sources() {
    let dir = init("tokyo");
    let d = dir.path();
    let (m, m_no) = member(d, "会", "Group");
    let mtg = meeting(d, "2024-05-20", "tokyo", "Fukushima", "政策提言の準備");
    // The seed may hold records of its own (the JCN seat); compare with them.
    let recommendations = ok_json(d, &["advocacy", "list"]);
    let networks = ok_json(d, &["network", "list"]);

    let before = db_fingerprint(d);
    let (err, text) =
        refused(d, &["advocacy", "add", "--title-ja", "仮設住宅の改善", "--status", "submitted", "--meeting", &mtg]);
    assert_eq!((&err["code"], &err["field"]), (&json!("invalid_input"), &json!("submitted_on")), "{err}");
    assert!(text.contains("--submitted: "), "{text}");
    assert_eq!(db_fingerprint(d), before, "nothing written");
    assert_eq!(ok_json(d, &["advocacy", "list"]), recommendations);

    let r = ok_json(
        d,
        &[
            "advocacy",
            "add",
            "--title-ja",
            "仮設住宅の改善",
            "--title-en",
            "Better temporary housing",
            "--addressee-kind",
            "agency",
            "--addressee",
            "復興庁",
            "--status",
            "submitted",
            "--drafted",
            "2024-06-01",
            "--submitted",
            "2024-07-01",
            "--meeting",
            &mtg,
            "--member",
            &m_no,
        ],
    );
    let shown = ok_json(d, &["advocacy", "show", &id(&r)]);
    assert_eq!(shown["meeting_ids"], json!([mtg]));
    assert_eq!(shown["member_ids"], json!([m]), "the member number resolved to its id");
    assert_eq!((&shown["status"], &shown["submitted_on"]), (&json!("submitted"), &json!("2024-07-01")));
    assert_eq!(shown["addressee"], "復興庁");
    let answered =
        ok_json(d, &["advocacy", "edit", &id(&r), "--status", "adopted_in_part", "--answered", "2024-09-01"]);
    assert_eq!(answered["meeting_ids"], json!([mtg]), "sources kept when not given");
    let adopted = ok_json(d, &["advocacy", "list", "--status", "adopted_in_part"]);
    assert_eq!(adopted.as_array().unwrap().len(), 1, "{adopted}");
    assert_eq!(adopted[0]["id"], r["id"]);
    let drafts = ok_json(d, &["advocacy", "list", "--status", "draft"]);
    assert!(drafts.as_array().unwrap().iter().all(|x| x["id"] != r["id"]), "{drafts}");

    let (err, _) = refused(
        d,
        &[
            "network",
            "add",
            "--network-en",
            "Fukushima NGO Network",
            "--started",
            "2012-04-01",
            "--ended",
            "2012-03-01",
        ],
    );
    assert_eq!((&err["code"], &err["field"]), (&json!("invalid_input"), &json!("ended_on")), "{err}");
    assert!(text_of(&err).contains("end date 2012-03-01 is before start date 2012-04-01"), "{err}");
    assert_eq!(ok_json(d, &["network", "list"]), networks);
    let n = ok_json(
        d,
        &[
            "network",
            "add",
            "--network-ja",
            "ふくしまNGOネットワーク",
            "--network-en",
            "Fukushima NGO Network",
            "--role-en",
            "Member",
            "--started",
            "2012-04-01",
        ],
    );
    let listed = ok_json(d, &["network", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), networks.as_array().unwrap().len() + 1, "{listed}");
    let ours = listed.as_array().unwrap().iter().find(|x| x["id"] == n["id"]).expect("listed").clone();
    assert_eq!((&ours["network_ja"], &ours["started_on"]), (&json!("ふくしまNGOネットワーク"), &json!("2012-04-01")));
    assert!(ours["ended_on"].is_null());
    let ended = ok_json(d, &["network", "edit", &id(&n), "--ended", "2016-03-31"]);
    assert_eq!((&ended["started_on"], &ended["ended_on"]), (&json!("2012-04-01"), &json!("2016-03-31")));
    ok_json(d, &["network", "remove", &id(&n)]);
    assert_eq!(ok_json(d, &["network", "list"]), networks);
}

#[test]
fn meeting_minutes_come_from_a_file_and_edits_change_only_what_is_given() {
    let dir = init("sendai");
    let d = dir.path();
    let minutes = "一、開会\n二、各団体の報告\n".repeat(200);
    let file = d.join("minutes.txt");
    std::fs::write(&file, &minutes).unwrap();
    let m = ok_json(
        d,
        &[
            "meeting",
            "add",
            "--date",
            "2024-11-05",
            "--time",
            "9:30",
            "--topic-en",
            "Cluster meeting",
            "--kind",
            "cluster",
            "--head-count",
            "42",
            "--minutes-ja-file",
            file.to_str().unwrap(),
        ],
    );
    let mid = id(&m["meeting"]);
    // Stored as typed, less the trailing newline the core trims from any text.
    assert!(m["meeting"]["minutes_ja"] == minutes.trim_end(), "minutes not stored as the file holds them");
    assert_eq!(m["meeting"]["start_time"], "09:30");
    assert_eq!(m["meeting"]["office_code"], "sendai", "this office hosts by default");
    let e = ok_json(d, &["meeting", "edit", &mid, "--venue", "仙台市市民活動サポートセンター", "--time", ""]);
    assert_eq!(e["meeting"]["venue"], "仙台市市民活動サポートセンター");
    assert!(e["meeting"]["start_time"].is_null());
    assert_eq!((&e["meeting"]["kind"], &e["meeting"]["head_count"]), (&json!("cluster"), &json!(42)));
    let missing = d.join("no-such-file.txt");
    let (err, _) = refused(d, &["meeting", "edit", &mid, "--minutes-ja-file", missing.to_str().unwrap()]);
    assert_eq!(err["code"], "io", "{err}");
    let human = String::from_utf8(kizuna(d, &["meeting", "show", &mid]).stdout).unwrap();
    assert!(human.contains("2024-11-05  Cluster meeting"), "{human}");
    ok_json(d, &["meeting", "remove", &mid]);
    let (err, _) = refused(d, &["meeting", "show", &mid]);
    assert_eq!(err["code"], "not_found");
}
