//! Members and sites through the core API: validation, search, round trips.

use kizuna_core::model::grant::{BudgetLineInput, ExpenditureInput};
use kizuna_core::model::member::{MemberInput, MemberQuery};
use kizuna_core::model::site::{SiteInput, SiteQuery};
use kizuna_core::prefecture::Prefecture;

use crate::fresh;

pub fn member(name_ja: &str, name_en: &str, reading: &str) -> MemberInput {
    MemberInput {
        name_ja: Some(name_ja.into()),
        name_en: Some(name_en.into()),
        reading: Some(reading.into()),
        prefectures: Some(vec!["Miyagi".into()]),
        ..Default::default()
    }
}

pub fn site(member_id: &str, pref: &str, name: &str) -> SiteInput {
    SiteInput {
        member_id: Some(member_id.into()),
        prefecture: Some(pref.into()),
        municipality: Some("石巻市".into()),
        // Under whichever prefecture a test names: the JIS X 0402 check is not these tests' subject.
        municipality_free: Some(true),
        name: Some(name.into()),
        ..Default::default()
    }
}

#[test]
fn japanese_and_hostile_text_round_trips_exactly() {
    let (_d, mut k) = fresh("sendai");
    let notes = "避難所の運営支援 — 髙橋さん・﨑山さん 🌸\n'); DROP TABLE members; -- <script>alert(1)</script>";
    let input = MemberInput {
        address: Some("宮城県仙台市青葉区一番町１－２－３".into()),
        notes: Some(notes.into()),
        contact_person: Some("髙橋 花子".into()),
        ..member("特定非営利活動法人 仙台復興支援の会", "Sendai Recovery Support", "センダイフッコウシエンノカイ")
    };
    let m = k.member_add(&input).unwrap();
    let back = k.member_show(&m.id).unwrap();
    assert_eq!(back.name_ja, "特定非営利活動法人 仙台復興支援の会");
    assert_eq!(back.notes.as_deref(), Some(notes));
    assert_eq!(back.contact_person.as_deref(), Some("髙橋 花子"));
    assert_eq!(back.address.as_deref(), Some("宮城県仙台市青葉区一番町１－２－３"));
    assert_eq!(back.member_no, "SDI-0001");
    assert_eq!(k.member_list(&MemberQuery::default()).unwrap().total, 1);
}

#[test]
fn search_matches_across_kana_and_width_variants() {
    let (_d, mut k) = fresh("fukushima");
    let a = k
        .member_add(&member("ふくしま子ども支援センター", "Fukushima Kids Support", "フクシマコドモシエンセンター"))
        .unwrap();
    let b = k.member_add(&member("ＮＰＯ法人みやぎ", "Miyagi NPO", "ミヤギ")).unwrap();
    let _c = k.member_add(&member("岩手の会", "Iwate Group", "イワテノカイ")).unwrap();
    let find = |q: &str| -> Vec<String> {
        k.member_list(&MemberQuery { search: Some(q.into()), ..Default::default() })
            .unwrap()
            .rows
            .into_iter()
            .map(|m| m.id)
            .collect()
    };
    assert_eq!(find("フクシマ"), vec![a.id.clone()]);
    assert_eq!(find("ﾌｸｼﾏ"), vec![a.id.clone()]);
    assert_eq!(find("ふくしま"), vec![a.id.clone()]);
    assert_eq!(find("npo"), vec![b.id.clone()]);
    assert_eq!(find("ＮＰＯ"), vec![b.id.clone()]);
    assert_eq!(find("MIYAGI npo"), vec![b.id.clone()]);
    assert!(find("おおさか").is_empty());
}

#[test]
fn sites_list_by_prefecture_in_any_spelling() {
    let (_d, mut k) = fresh("sendai");
    let m = k.member_add(&member("仙台の会", "Sendai Group", "センダイノカイ")).unwrap();
    for (pref, name) in [("04", "石巻避難所"), ("Miyagi", "女川拠点"), ("宮城県", "気仙沼拠点"), ("Iwate", "釜石拠点")]
    {
        k.site_add(&site(&m.id, pref, name)).unwrap();
    }
    for spelling in ["4", "04", "miyagi", "宮城県", "宮城"] {
        let page = k.site_list(&SiteQuery { prefecture: Some(spelling.into()), ..Default::default() }).unwrap();
        assert_eq!(page.total, 3, "{spelling}");
        assert!(page.rows.iter().all(|s| s.prefecture_code == "04"));
    }
    assert_eq!(k.member_show(&m.id).unwrap().site_count, 4);
    let d = k.dashboard().unwrap();
    let miyagi = d.active_sites_by_prefecture.iter().find(|p| p.code == "04").unwrap();
    assert_eq!(miyagi.count, 3);
    assert!(Prefecture::parse("Narnia").is_err());
}

#[test]
fn edit_changes_only_the_fields_given() {
    let (_d, mut k) = fresh("tokyo");
    let m = k
        .member_add(&MemberInput {
            email: Some("info@example.org".into()),
            phone: Some("022-123-4567".into()),
            ..member("会", "Group", "カイ")
        })
        .unwrap();
    let edited =
        k.member_edit(&m.id, &MemberInput { name_en: Some("Renamed Group".into()), ..Default::default() }).unwrap();
    assert_eq!(edited.name_en, "Renamed Group");
    assert_eq!(edited.name_ja, "会");
    assert_eq!(edited.email.as_deref(), Some("info@example.org"));
    assert_eq!(edited.phone.as_deref(), Some("022-123-4567"));
    let cleared = k.member_edit(&m.id, &MemberInput { phone: Some(String::new()), ..Default::default() }).unwrap();
    assert_eq!(cleared.phone, None);
    assert!(k.member_edit(&m.id, &MemberInput { name_ja: Some("  ".into()), ..Default::default() }).is_err());
}

#[test]
fn invalid_input_names_the_field_and_writes_nothing() {
    let (_d, mut k) = fresh("tokyo");
    let m = k.member_add(&member("会", "Group", "カイ")).unwrap();
    let before = k.export_json().unwrap();
    let cases: Vec<(&str, kizuna_core::Error)> = vec![
        (
            "email",
            k.member_add(&MemberInput { email: Some("not-an-email".into()), ..member("a", "b", "c") }).unwrap_err(),
        ),
        (
            "prefecture",
            k.member_add(&MemberInput { prefectures: Some(vec!["Atlantis".into()]), ..member("a", "b", "c") })
                .unwrap_err(),
        ),
        ("name_ja", k.member_add(&MemberInput { name_ja: None, ..member("a", "b", "c") }).unwrap_err()),
        (
            "left_on",
            k.member_add(&MemberInput {
                joined_on: Some("2012-01-01".into()),
                left_on: Some("2011-01-01".into()),
                ..member("a", "b", "c")
            })
            .unwrap_err(),
        ),
        (
            "closed_on",
            k.site_add(&SiteInput {
                opened_on: Some("2013-05-01".into()),
                closed_on: Some("2013-04-30".into()),
                ..site(&m.id, "04", "x")
            })
            .unwrap_err(),
        ),
        (
            "opened_on",
            k.site_add(&SiteInput { opened_on: Some("2013-02-30".into()), ..site(&m.id, "04", "x") }).unwrap_err(),
        ),
        (
            "latitude",
            k.site_add(&SiteInput {
                latitude: Some("91".into()),
                longitude: Some("140".into()),
                ..site(&m.id, "04", "x")
            })
            .unwrap_err(),
        ),
        ("member", k.site_add(&site("0000-nope", "04", "x")).unwrap_err()),
        ("status", k.site_add(&SiteInput { status: Some("exploded".into()), ..site(&m.id, "04", "x") }).unwrap_err()),
    ];
    for (field, err) in cases {
        assert_eq!(err.code(), "invalid_input", "{field}: {err}");
        assert_eq!(err.field(), Some(field), "{err}");
        assert!(err.to_string().starts_with(field), "{err}");
    }
    let unknown = k.member_edit("no-such-id", &MemberInput::default()).unwrap_err();
    assert_eq!(unknown.code(), "not_found");
    assert!(unknown.to_string().contains("no-such-id"));
    assert_eq!(k.site_remove("no-such-site").unwrap_err().code(), "not_found");
    assert_eq!(before, k.export_json().unwrap(), "nothing was written");
}

#[test]
fn bulk_site_add_is_all_or_nothing() {
    let (_d, mut k) = fresh("tokyo");
    let m = k.member_add(&member("会", "Group", "カイ")).unwrap();
    let before = k.export_json().unwrap();
    let mut batch: Vec<SiteInput> = (0..50).map(|i| site(&m.id, "04", &format!("拠点{i}"))).collect();
    batch.push(site(&m.id, "Atlantis", "bad"));
    assert!(k.site_add_many(&batch).is_err());
    batch[49].member_id = Some("missing-member".into());
    batch.pop();
    assert!(k.site_add_many(&batch).is_err());
    assert_eq!(before, k.export_json().unwrap());
}

#[test]
fn removing_a_member_removes_its_sites() {
    let (_d, mut k) = fresh("tokyo");
    let m = k.member_add(&member("会", "Group", "カイ")).unwrap();
    let s = k.site_add(&site(&m.id, "04", "拠点")).unwrap();
    assert_eq!(k.member_remove(&m.id, false).unwrap_err().code(), "needs_cascade");
    assert!(k.site_show(&s.id).is_ok(), "a refused removal removed the site");
    assert_eq!(k.member_remove(&m.id, true).unwrap().sites_removed, 1);
    assert_eq!(k.member_show(&m.id).unwrap_err().code(), "not_found");
    assert_eq!(k.site_show(&s.id).unwrap_err().code(), "not_found");
    assert_eq!(k.dashboard().unwrap().sites, 0);
}

#[test]
fn expenditures_convert_at_recorded_rates_exactly() {
    let (_d, mut k) = fresh("tokyo");
    let phase = k.grant_list().unwrap().grants[0].phases[0].phase.id.clone();
    let line = k
        .budget_line_add(&BudgetLineInput {
            phase_id: phase.clone(),
            name_en: "Coordination staff".into(),
            amount: "120,000.00".into(),
            currency: "USD".into(),
            ..Default::default()
        })
        .unwrap();
    let spend = |amount: &str, currency: &str, rate: Option<&str>| ExpenditureInput {
        phase_id: phase.clone(),
        budget_line_id: Some(line.id.clone()),
        spent_on: "2011-06-30".into(),
        description: "会議室 / meeting room".into(),
        amount: amount.into(),
        currency: currency.into(),
        rate: rate.map(str::to_string),
        rate_date: None,
        receipt_ref: None,
    };
    let e = k.expenditure_add(&spend("1,234,567", "JPY", Some("0.0125"))).unwrap();
    assert_eq!(e.converted.amount_text(), "15432.09"); // 15432.0875 rounded half away from zero
    assert_eq!(e.rate_date.unwrap().to_string(), "2011-06-30");
    k.expenditure_add(&spend("0.01", "USD", None)).unwrap();
    let p = k.phase_show(&phase).unwrap();
    assert_eq!(p.spent_total.amount_text(), "15432.10");
    assert_eq!(p.unspent.amount_text(), "313276.90");
    assert_eq!(p.budget_lines[0].spent.amount_text(), "15432.10");
    let before = k.export_json().unwrap();
    for (bad, field) in [
        (spend("-5", "USD", None), "amount"),
        (spend("12.5", "JPY", Some("0.01")), "amount"),
        (spend("abc", "USD", None), "amount"),
        (spend("100", "JPY", None), "rate"),
        (spend("100", "EUR", Some("1")), "currency"),
        (ExpenditureInput { spent_on: "30/06/2011".into(), ..spend("1", "USD", None) }, "spent_on"),
    ] {
        let err = k.expenditure_add(&bad).unwrap_err();
        assert_eq!(err.field(), Some(field), "{err}");
    }
    assert_eq!(before, k.export_json().unwrap());
}

/// The site search answers from an in-memory index; this checks it against
/// the plain SQL scan it replaced, filters and paging included, and that it
/// never answers from data another connection has since changed.
#[test]
fn site_search_agrees_with_a_sql_scan_and_follows_every_write() {
    let (dir, mut k) = fresh("sendai");
    let a = k.member_add(&member("仙台の会", "Sendai Group", "センダイノカイ")).unwrap();
    let b = k.member_add(&member("石巻の会", "Ishinomaki Group", "イシノマキノカイ")).unwrap();
    let prefs = ["04", "03", "07"];
    let statuses = ["planned", "active", "closed"];
    let sectors = ["shelter", "food", "health"];
    let inputs: Vec<SiteInput> = (0..240)
        .map(|i| SiteInput {
            name: Some(format!("{}{i:03}", if i % 2 == 0 { "ひなんじょ" } else { "ボランティア拠点" })),
            name_en: Some(format!("Site {i:03}")),
            status: Some(statuses[i % 3].into()),
            sectors: Some(vec![sectors[i % 3].into(), sectors[(i / 3) % 3].into()]),
            ..site(if i % 5 == 0 { &b.id } else { &a.id }, prefs[i % 3], "x")
        })
        .collect();
    k.site_add_many(&inputs).unwrap();
    let raw = kizuna_core::store::connect(&dir.path().join(kizuna_core::api::DB_FILE)).unwrap();
    let oracle = |needle: &str,
                  pref: Option<&str>,
                  member: Option<&str>,
                  status: Option<&str>,
                  sector: Option<&str>|
     -> Vec<String> {
        let mut stmt = raw
            .prepare(
                "SELECT id FROM sites WHERE deleted = 0 AND instr(search_key, ?1) > 0
                 AND (?2 IS NULL OR prefecture_code = ?2) AND (?3 IS NULL OR member_id = ?3)
                 AND (?4 IS NULL OR status = ?4) AND (?5 IS NULL OR sectors LIKE '%\"' || ?5 || '\"%')
                 ORDER BY prefecture_code, name, id",
            )
            .unwrap();
        stmt.query_map(rusqlite::params![needle, pref, member, status, sector], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let search = |k: &kizuna_core::Kizuna, q: SiteQuery| -> (i64, Vec<String>) {
        let page = k.site_list(&q).unwrap();
        (page.total, page.rows.into_iter().map(|s| s.id).collect())
    };
    // (query, its folded form, prefecture, member "a" or "b", status, sector)
    type Case<'a> = (&'a str, &'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let cases: Vec<Case<'_>> = vec![
        ("ヒナンジョ", "ひなんじょ", None, None, None, None),
        ("ﾎﾞﾗﾝﾃｨｱ", "ぼらんてぃあ", Some("04"), None, None, None),
        ("site 1", "site 1", None, Some("b"), Some("active"), None),
        ("SITE", "site", Some("07"), None, None, Some("food")),
        ("0", "0", None, None, Some("closed"), Some("health")),
        ("拠点", "拠点", Some("03"), Some("a"), Some("planned"), Some("shelter")),
        ("どこにもない", "どこにもない", None, None, None, None),
    ];
    for (query, folded, pref, who, status, sector) in cases {
        let member = who.map(|w| if w == "a" { a.id.clone() } else { b.id.clone() });
        let expected = oracle(folded, pref, member.as_deref(), status, sector);
        for (offset, limit) in [(0, 50), (7, 5), (expected.len() as i64, 10)] {
            let q = SiteQuery {
                search: Some(query.into()),
                prefecture: pref.map(Into::into),
                member_id: member.clone(),
                status: status.map(Into::into),
                sector: sector.map(Into::into),
                offset: Some(offset),
                limit: Some(limit),
            };
            let (total, ids) = search(&k, q);
            assert_eq!(total, expected.len() as i64, "{query}");
            let want: Vec<String> = expected.iter().skip(offset as usize).take(limit as usize).cloned().collect();
            assert_eq!(ids, want, "{query} at {offset}+{limit}");
        }
    }

    // This connection's writes and another connection's both show at once.
    let by_name =
        |k: &kizuna_core::Kizuna, q: &str| search(k, SiteQuery { search: Some(q.into()), ..Default::default() }).1;
    assert!(by_name(&k, "新しい拠点").is_empty());
    let added = k.site_add(&site(&a.id, "04", "新しい拠点")).unwrap();
    assert_eq!(by_name(&k, "新しい拠点"), vec![added.id.clone()]);
    let mut other = kizuna_core::Kizuna::open(dir.path()).unwrap();
    other.site_remove(&added.id).unwrap();
    assert!(by_name(&k, "新しい拠点").is_empty());
    let first = oracle("ひなんじょ", None, None, None, None)[0].clone();
    other.site_edit(&first, &SiteInput { name: Some("改名した拠点".into()), ..Default::default() }).unwrap();
    assert_eq!(by_name(&k, "改名"), vec![first.clone()]);
    assert!(!by_name(&k, "ひなんじょ").contains(&first));
}
