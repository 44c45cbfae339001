//! Direct Relief reports, end to end: the `kizuna` binary writes the PDF,
//! `pdftotext` (poppler) reads it back, and the facts are checked in the text.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

use std::path::{Path, PathBuf};
use std::process::Command;

use kizuna_core::Kizuna;
use kizuna_core::api::ReportOptions;
use kizuna_core::seed::seed_id;
use serde_json::Value;
use tempfile::TempDir;

#[path = "../common/cli.rs"]
mod common;
mod fund;
mod grant_desk;
mod narrative;
use common::kizuna;

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = kizuna(dir, args);
    assert!(out.status.success(), "kizuna {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut a = vec!["--json"];
    a.extend_from_slice(args);
    serde_json::from_str(&ok(dir, &a)).expect("json output")
}

fn seeded() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    ok(dir.path(), &["init"]);
    dir
}

fn phase1() -> String {
    seed_id("phase:erp-1")
}

/// The PDF's text with every run of whitespace made one space, so phrases
/// wrapped across lines still match.
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The same text with no whitespace at all, for Japanese that wraps anywhere.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn report(dir: &Path, args: &[&str], name: &str) -> (PathBuf, String) {
    let file = dir.join(name);
    let mut a = vec!["report"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--out", file.to_str().unwrap()]);
    ok(dir, &a);
    let text = pdf_text(&file);
    (file, text)
}

fn assert_has(text: &str, facts: &[&str]) {
    let missing: Vec<&&str> = facts.iter().filter(|f| !text.contains(**f)).collect();
    assert!(missing.is_empty(), "missing from the PDF text: {missing:?}\n---\n{text}");
}

#[test]
fn profile_states_every_fact_of_the_source_document() {
    let dir = seeded();
    let (file, text) = report(dir.path(), &["profile"], "profile.pdf");
    assert_has(
        &text,
        &[
            "Japan NGO Center for International Cooperation (JANIC)",
            "non-governmental organization (NGO)",
            "1987",
            "NGO leaders who recognized the need for better coordination among Japanese NGOs",
            "no political, religious, or ideological affiliation",
            "Promotion of dialogue and partnerships among NGOs",
            "Strengthened capacity and social responsibility",
            "Policy advocacy",
            "Promotion of citizen support",
            "Collaboration among different sectors of society",
            "Sri Lanka",
            "Pakistan",
            "Chile",
            "Haiti",
            "(2011)",
            "(2010)",
            "Direct Relief",
            "since March 2011",
            "Miyagi, Iwate and Fukushima",
            "over 40 organizations",
            "Japan Recovery and Relief Fund",
            "Matsuzaki, Tono City",
            "Matsuyama, Fukushima",
            "Aoba-ku, Sendai",
            "Nishiwaseda, Tokyo",
            "TOTAL AMOUNT GRANTED",
            "698,709.00 USD",
            "Emergency Relief Program Grant – Phase 1",
            "March 11, 2011 – March 10, 2012",
            "328,709.00 USD",
            "Emergency Relief Program Grant – Phase 2",
            "March 11, 2012 – March 10, 2014",
            "270,000.00 USD",
            "Linking Civil Societies with Nuclear Threat for Joint Advocacy for Future Disaster Prevention",
            "April 2014 – March 2017",
            "100,000.00 USD",
            "over 50 organizations",
            "200 sites",
            "Meeting Coordination",
            "An average of 20 organizations are represented at each information-sharing meeting",
            "Information Collection and Provision",
            "Over 100 organizations and companies participate in the mailing list",
            "Pooled Relief Fund",
            "Over 1,500 donors have contributed over $1 million",
            "over 1,500 donors",
            "over 1,000,000 USD",
            "Donation Matching",
            "dishes, cell phones, computers, maps, staff, and funding",
            "Nonprofit Support",
            "Policy Advocacy",
            "Japan Civil Network (JCN)",
            "Coordination and Support of NGO Activities",
            "External Relations",
            "Japanese officials and relevant agencies",
            "FUKUDEN",
            "Japan Platform",
            "Enhancing Public Knowledge of Radiation Issues",
            "fukushimaontheglobe.com",
            "Create Linkages with Asian Nations",
            "(China, Korea, Taiwan, India, Pakistan)",
            "(Vietnam, Indonesia, Bangladesh, Malaysia)",
            "Carl Williams",
            "Japan Relief and Recovery Coordinator",
            "has clearly been a result of JANIC coordination functions of positive coverage and resource control.",
            "Emiko Fujioka",
            "We will put more emphasis on giving information to those small NGOs.",
            "As reported: Direct Relief partner profile of JANIC",
        ],
    );
    // The third project is known to the month only: no day is ever invented.
    for invented in ["April 1, 2014", "March 31, 2017", "2014-04-01", "2017-03-31"] {
        assert!(!text.contains(invented), "invented day {invented} in the profile");
    }
    // Japanese names sit beside the English ones and extract as the same Unicode.
    let sq = squeezed(&text);
    for ja in [
        "特定非営利活動法人国際協力NGOセンター",
        "仙台市青葉区",
        "遠野市松崎町",
        "福島市松山町",
        "東京都新宿区西早稲田",
        "ダイレクト・リリーフ",
    ] {
        assert!(sq.contains(ja), "{ja} missing");
    }
    assert!(text.contains("Aoba-ku, Sendai (仙台市青葉区)"), "Japanese beside English");
    fonts_are_embedded_subsets(&file);
}

fn fonts_are_embedded_subsets(pdf: &Path) {
    let out = Command::new("pdffonts").arg(pdf).output().expect("pdffonts");
    let listing = String::from_utf8_lossy(&out.stdout);
    let fonts: Vec<&str> = listing.lines().skip(2).collect();
    assert_eq!(fonts.len(), 1, "one font: {listing}");
    assert!(fonts[0].contains("NotoSansJP"), "{listing}");
    let cols: Vec<&str> = fonts[0].split_whitespace().collect();
    // name type encoding emb sub uni object ID
    let n = cols.len();
    assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "embedded, subset, with ToUnicode: {listing}");
}

fn add_spending(dir: &Path, phase: &str) {
    let line = json(
        dir,
        &[
            "budget",
            "add",
            "--phase",
            phase,
            "--name-en",
            "Coordination staff",
            "--name-ja",
            "調整スタッフ",
            "--code",
            "A1",
            "--amount",
            "100000",
            "--currency",
            "USD",
        ],
    );
    let line_id = line["id"].as_str().unwrap().to_string();
    json(dir, &["budget", "add", "--phase", phase, "--name-en", "Meetings", "--amount", "20000", "--currency", "USD"]);
    // ¥1,000,000 at 0.0125 USD/JPY = 12,500.00 USD, in the period.
    ok(
        dir,
        &[
            "spend",
            "add",
            "--phase",
            phase,
            "--line",
            &line_id,
            "--date",
            "2011-06-15",
            "--description",
            "Meeting venue in Sendai",
            "--amount",
            "1000000",
            "--currency",
            "JPY",
            "--rate",
            "0.0125",
            "--rate-date",
            "2011-06-14",
        ],
    );
    // 2,345.67 USD booked to no line, in the period.
    ok(
        dir,
        &[
            "spend",
            "add",
            "--phase",
            phase,
            "--date",
            "2011-09-01",
            "--description",
            "Printing",
            "--amount",
            "2345.67",
            "--currency",
            "USD",
        ],
    );
}

#[test]
fn phase_report_states_cover_figures_money_and_sites() {
    let dir = seeded();
    let p1 = phase1();
    add_spending(dir.path(), &p1);
    ok(dir.path(), &["demo", "--members", "6", "--sites", "40", "--seed", "3"]);
    let (_, text) = report(dir.path(), &["phase", &p1], "phase.pdf");
    assert_has(
        &text,
        &[
            "GRANT REPORT TO DIRECT RELIEF",
            "Japan NGO Center for International Cooperation (JANIC)",
            "Direct Relief (ダイレクト・リリーフ)",
            "Emergency Relief Program Grant – Phase 1",
            "March 11, 2011 – March 10, 2012",
            "328,709.00 USD",
            "Summary figures for the period",
            "Sites active in Miyagi (宮城県)",
            "over 50 organizations",
            "As reported: Direct Relief partner profile of JANIC",
            "Computed from the registry for the period",
            "Meeting Coordination",
            "Financial statement",
            "A1 Coordination staff (調整スタッフ)",
            "100,000.00 USD",
            "120,000.00 USD",
            "12,500.00 USD",
            "2,345.67 USD",
            "Not assigned to a budget line",
            "14,845.67 USD",
            // 328,709.00 − 14,845.67
            "313,863.33 USD",
            "1,000,000 JPY",
            "0.0125 (2011-06-14)",
            "Spending over time (USD)",
            "Appendix: sites active in the period, by prefecture",
            "Page 1 of",
        ],
    );
    // The appendix lists exactly the sites the summary counts.
    let k = Kizuna::open(dir.path()).unwrap();
    let figs = k.report_phase_figures(&p1, &ReportOptions::default()).unwrap();
    assert!(
        figs.active_sites > 0 && figs.active_sites < 40,
        "some demo sites fall outside 2011-12: {}",
        figs.active_sites
    );
    for c in &figs.sites_by_prefecture {
        if c.count > 0 {
            let heading = format!("{} ({}) — {} site", c.name_en, c.name_ja, c.count);
            assert!(text.contains(&heading), "{heading}");
        }
    }
    let listed = text.matches("Sample Site ").count();
    assert_eq!(listed as i64, figs.active_sites, "appendix rows");
}

fn miyagi_count(text: &str) -> i64 {
    let marker = "Miyagi (宮城県) — ";
    match text.find(marker) {
        Some(at) => text[at + marker.len()..].split_whitespace().next().unwrap().replace(',', "").parse().unwrap(),
        None => 0,
    }
}

#[test]
fn adding_a_site_in_miyagi_changes_the_next_report() {
    let dir = seeded();
    let p1 = phase1();
    ok(dir.path(), &["demo", "--members", "3", "--sites", "25", "--seed", "7"]);
    let (_, before) = report(dir.path(), &["phase", &p1], "before.pdf");
    let n = miyagi_count(&before);
    let members = json(dir.path(), &["member", "list"]);
    let member = members["rows"][0]["id"].as_str().unwrap().to_string();
    ok(
        dir.path(),
        &[
            "site",
            "add",
            "--member",
            &member,
            "--prefecture",
            "宮城県",
            "--municipality",
            "石巻市",
            "--name",
            "石巻テスト拠点",
            "--name-en",
            "Ishinomaki test site",
            "--opened",
            "2011-05-01",
        ],
    );
    let (_, after) = report(dir.path(), &["phase", &p1], "after.pdf");
    assert_eq!(miyagi_count(&after), n + 1, "Miyagi figure after adding one site");
    assert!(after.contains("Ishinomaki test site"));
    assert!(squeezed(&after).contains("石巻テスト拠点"));
    // A site with no dates counts from its creation (today): not in 2011–12,
    // but in a period that includes today.
    ok(
        dir.path(),
        &[
            "site",
            "add",
            "--member",
            &member,
            "--prefecture",
            "Miyagi",
            "--municipality",
            "仙台市",
            "--name",
            "日付なし拠点",
            "--name-en",
            "Undated site",
        ],
    );
    let (_, again) = report(dir.path(), &["phase", &p1], "again.pdf");
    assert_eq!(miyagi_count(&again), n + 1);
    let today = chrono::Utc::now().date_naive().to_string();
    let (_, now) = report(dir.path(), &["phase", &p1, "--period-start", &today, "--period-end", &today], "now.pdf");
    assert!(now.contains("Undated site"), "undated site active from its creation");
    assert!(!now.contains("Ishinomaki test site") || now.contains("Undated site"));
}

#[test]
fn japanese_edition_extracts_as_the_same_unicode() {
    let dir = seeded();
    let (_, text) = report(dir.path(), &["phase", &phase1(), "--lang", "ja"], "ja.pdf");
    let sq = squeezed(&text);
    for ja in [
        "ダイレクト・リリーフへの助成報告書",
        "緊急救援プログラム助成フェーズ1",
        "特定非営利活動法人国際協力NGOセンター",
        "2011年3月11日～2012年3月10日",
        "期間の主要な数値",
        "宮城県の活動拠点",
        "50団体以上",
        "収支報告",
        "未使用残高",
        "328,709.00USD",
    ] {
        assert!(sq.contains(ja), "{ja} missing from the Japanese edition:\n{text}");
    }
    let (_, profile) = report(dir.path(), &["profile", "--lang", "ja"], "ja-profile.pdf");
    let sq = squeezed(&profile);
    for ja in [
        "パートナー・プロフィール",
        "2014年4月～2017年3月",
        "698,709.00USD",
        "仙台市青葉区",
        "政治・宗教・思想的な立場に依らない",
    ] {
        assert!(sq.contains(ja), "{ja} missing from the Japanese profile");
    }
}

#[test]
fn same_records_give_identical_bytes() {
    let dir = seeded();
    ok(dir.path(), &["demo", "--members", "5", "--sites", "60", "--seed", "2"]);
    let p1 = phase1();
    let (a, _) = report(dir.path(), &["phase", &p1], "a.pdf");
    let (b, _) = report(dir.path(), &["phase", &p1], "b.pdf");
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "two processes");
    let (c, _) = report(dir.path(), &["profile"], "c.pdf");
    let (d, _) = report(dir.path(), &["profile"], "d.pdf");
    assert_eq!(std::fs::read(&c).unwrap(), std::fs::read(&d).unwrap(), "profile");
    // Twice in one process too (no counter or cache may leak from one report into the next).
    let k = Kizuna::open(dir.path()).unwrap();
    let one = k.report_phase(&p1, &ReportOptions::default()).unwrap();
    let two = k.report_phase(&p1, &ReportOptions::default()).unwrap();
    assert_eq!(one, two, "one process");
    assert_eq!(one, std::fs::read(&a).unwrap(), "CLI and API agree");
    // A different date is a different document.
    let dated = k.report_phase(&p1, &ReportOptions { as_of: Some("2012-04-01".into()), ..Default::default() }).unwrap();
    assert_ne!(one, dated);
}

#[test]
fn bad_options_are_refused_and_write_nothing() {
    let dir = seeded();
    let file = dir.path().join("r.pdf");
    let path = file.to_str().unwrap();
    let p1 = seed_id("phase:erp-1");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["report", "phase", "no-such-phase", "--out", path], "not_found"),
        (
            vec!["report", "phase", &p1, "--out", path, "--period-start", "2012-01-01", "--period-end", "2011-12-31"],
            "--period-end",
        ),
        (vec!["report", "phase", &p1, "--out", path, "--period-start", "2011-02-30"], "--period-start"),
        (vec!["report", "phase", &p1, "--out", path, "--lang", "fr"], "--lang"),
        (vec!["report", "profile", "--out", path, "--as-of", "yesterday"], "--as-of"),
    ];
    for (args, expect) in &cases {
        let out = kizuna(dir.path(), args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(err.contains(expect), "{args:?}: error should name {expect}: {err}");
        assert!(!file.exists(), "{args:?} wrote a file");
    }
    // An existing file is left as it was.
    std::fs::write(&file, b"keep me").unwrap();
    let out = kizuna(dir.path(), &["report", "phase", "no-such-phase", "--out", path]);
    assert!(!out.status.success());
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
    // A period the phase does not cover still reports, on its own dates.
    let (_, text) =
        report(dir.path(), &["phase", &p1, "--period-start", "2011-04-01", "--period-end", "2011-06-30"], "q.pdf");
    assert!(text.contains("April 1, 2011 – June 30, 2011"), "{text}");
}

#[test]
fn a_200_site_report_stays_small() {
    let dir = seeded();
    ok(dir.path(), &["demo", "--members", "20", "--sites", "200", "--seed", "1"]);
    let (file, text) = report(dir.path(), &["phase", &phase1()], "200.pdf");
    let size = std::fs::metadata(&file).unwrap().len();
    assert!(size < 500_000, "200-site report is {size} bytes");
    assert!(text.contains("Sample Site"));
}

#[test]
fn phase_report_states_the_coordination_figures_beside_the_reported_ones() {
    use kizuna_core::model::advocacy::RecommendationInput;
    use kizuna_core::model::directory::{ContactInput, OrganisationInput};
    use kizuna_core::model::mailing::MailingListInput;
    use kizuna_core::model::meeting::{AttendInput, FollowUpInput, MeetingInput};
    use kizuna_core::model::member::MemberInput;

    let dir = seeded();
    let (_, before) = report(dir.path(), &["phase", &phase1()], "before.pdf");
    assert_has(
        &before,
        &[
            "2. Coordination",
            "No meetings or mailing list subscriptions are recorded for this period yet",
            "an average of 20 organizations",
            "over 100 organizations",
        ],
    );

    // Phase 1 runs 2011-03-11 – 2012-03-10. Two meetings in it with 4 and 3
    // organisations (mean and median 3.5), one after it; a company on the
    // mailing list; one recommendation submitted; one follow-up overdue.
    let mut k = Kizuna::open(dir.path()).unwrap();
    let members: Vec<String> = (1..=3)
        .map(|n| {
            let m = MemberInput {
                name_ja: Some(format!("会員{n}")),
                name_en: Some(format!("Member {n}")),
                ..Default::default()
            };
            k.member_add(&m).unwrap().id
        })
        .collect();
    let org = |k: &mut Kizuna, name: &str, kind: &str| {
        let o = OrganisationInput { name_ja: Some(name.into()), kind: Some(kind.into()), ..Default::default() };
        k.organisation_add(&o).unwrap().id
    };
    let company = org(&mut k, "株式会社サンプル", "company");
    let city = org(&mut k, "石巻市", "municipality");
    let mut meeting = |on: &str, members: &[String], orgs: &[String]| {
        let m = MeetingInput {
            held_on: Some(on.into()), topic_ja: Some("情報共有会議".into()), ..Default::default()
        };
        let id = k.meeting_add(&m).unwrap().meeting.id;
        let a =
            AttendInput { members: Some(members.to_vec()), organisations: Some(orgs.to_vec()), new_organisation: None };
        k.meeting_attend(&id, &a).unwrap();
        id
    };
    meeting("2011-06-01", &members, std::slice::from_ref(&company));
    let second = meeting("2011-09-01", &members[..2], std::slice::from_ref(&city));
    meeting("2012-05-01", &members[..1], &[]);
    let f =
        FollowUpInput { text: Some("名簿の共有".into()), due_on: Some("2012-01-01".into()), ..Default::default() };
    k.follow_up_add(&second, &f).unwrap();
    let list = k
        .list_add(&MailingListInput {
            name_ja: Some("東北支援情報".into()),
            name_en: Some("Tohoku update".into()),
            description: None,
        })
        .unwrap();
    let c =
        ContactInput {
            name_ja: Some("鈴木 次郎".into()), organisation: Some(company.clone()), ..Default::default()
        };
    let contact = k.contact_add(&c).unwrap().id;
    k.list_subscribe(&list.id, &[contact], Some("2011-05-01")).unwrap();
    let r = RecommendationInput {
        title_ja: Some("仮設住宅の見守り体制について".into()),
        submitted_on: Some("2011-10-01".into()),
        status: Some("submitted".into()),
        ..Default::default()
    };
    k.recommendation_add(&r).unwrap();
    let figures = k.report_phase_figures(&phase1(), &ReportOptions::default()).unwrap().coordination;
    assert_eq!((figures.meetings, figures.member_ngos_reached, figures.other_organisations_reached), (2, 3, 2));
    assert_eq!(figures.organisations_mean.map(|d| d.to_string()).as_deref(), Some("3.5"));
    assert_eq!(
        (
            figures.list_organisations,
            figures.list_companies,
            figures.recommendations_submitted,
            figures.overdue_follow_ups
        ),
        (1, 1, 1, 1)
    );
    drop(k);

    let (_, text) = report(dir.path(), &["phase", &phase1()], "after.pdf");
    // Squeezed: a label's Japanese half wraps anywhere in the table.
    let sq = squeezed(&text);
    for fact in [
        "(開催した会議)2Computed",
        "(会議ごとの参加団体数（平均）)anaverageof3.5organizationsComputed",
        "(会議ごとの参加団体数（中央値）)3.5organizationsComputed",
        "(会議に参加した会員NGO)3Computed",
        "(情報共有会議ごとの参加団体数)anaverageof20organizationsAsreported",
        "(メーリングリスト参加団体・企業)1Computed",
        "(メーリングリスト参加団体・企業)over100organizationsAsreported",
        "(提出した政策提言)1Computed",
        "(期間末時点で期限を過ぎた申し合わせ事項)1Computed",
    ] {
        assert!(sq.contains(fact), "{fact} missing from the PDF:\n{text}");
    }
    assert!(!text.contains("No meetings or mailing list subscriptions"), "{text}");
    let (_, ja) = report(dir.path(), &["phase", &phase1(), "--lang", "ja"], "after-ja.pdf");
    let sq = squeezed(&ja);
    for fact in ["2.調整・連携", "会議ごとの参加団体数（平均）平均3.5団体", "平均20団体", "100団体以上"]
    {
        assert!(sq.contains(fact), "{fact} missing from the Japanese edition:\n{ja}");
    }
}
