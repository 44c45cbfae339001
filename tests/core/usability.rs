//! Field usability (issue 15) at the core API: one rule for "active" shared
//! by the dashboard and the reports, unknown dates stated as unknown.

use kizuna_core::api::ReportOptions;
use kizuna_core::model::site::SiteInput;

use crate::fresh;
use crate::registry::member;

fn site(member: &str, status: &str, opened: Option<&str>, closed: Option<&str>) -> SiteInput {
    SiteInput {
        member_id: Some(member.into()),
        prefecture: Some("Iwate".into()),
        municipality: Some("大槌町".into()),
        name: Some(format!("拠点 {status} {opened:?} {closed:?}")),
        status: Some(status.into()),
        opened_on: opened.map(str::to_string),
        closed_on: closed.map(str::to_string),
        ..Default::default()
    }
}

#[test]
fn dashboard_and_reports_share_one_active_rule_and_state_unknown_dates() {
    let (_d, mut k) = fresh("tokyo");
    let m = k.member_add(&member("遠野まごころネット", "Tono Magokoro Net", "とおのまごころねっと")).unwrap().id;
    // Opened in 2011 and still active: active in every period since.
    k.site_add(&site(&m, "active", Some("2011-04-01"), None)).unwrap();
    // Active now, opening date never recorded: active today, unknown for 2011.
    k.site_add(&site(&m, "active", None, None)).unwrap();
    // Closed on a day nobody recorded (as older data has it): active in
    // 2011-12 (it opened then), unknown after, not active today.
    let closed = k.site_add(&site(&m, "closed", Some("2011-05-01"), Some("2013-01-01"))).unwrap().id;
    k.store_mut()
        .write(|w| w.update("sites", &closed, &[("closed_on", kizuna_core::cell::CellValue::Null)]).map(|_| ()))
        .unwrap();
    // Planned: never counted, never unknown.
    k.site_add(&site(&m, "planned", None, None)).unwrap();

    let d = k.dashboard().unwrap();
    assert_eq!((d.active_sites, d.activity_unknown), (2, 0));

    let grants = k.grant_list().unwrap();
    let emergency = grants.grants[0].phases[0].phase.id.clone();
    let third = grants.grants[1].phases[0].phase.id.clone();
    let f = k.report_phase_figures(&emergency, &ReportOptions::default()).unwrap();
    assert_eq!((f.active_sites, f.sites_activity_unknown), (2, 1), "2011-03-11 .. 2012-03-10");
    let f = k.report_phase_figures(&third, &ReportOptions::default()).unwrap();
    assert_eq!((f.active_sites, f.sites_activity_unknown), (1, 2), "April 2014 .. March 2017");
}

/// A member renamed or moved onto another member's name and prefecture is
/// the likely duplicate a new one would be: refused until confirmed. An edit
/// that leaves name and prefectures alone never re-raises a confirmed pair.
#[test]
fn editing_a_member_into_a_likely_duplicate_needs_confirmation() {
    use kizuna_core::Error;
    use kizuna_core::model::member::MemberInput;

    let (_d, mut k) = fresh("tokyo");
    let first = k.member_add(&member("遠野まごころネット", "Tono Magokoro Net", "とおのまごころねっと")).unwrap();
    let other = k.member_add(&member("釜石の会", "Kamaishi Group", "かまいしのかい")).unwrap();

    // Renamed to the first one's name, legal form and width aside (both in Miyagi).
    let rename = MemberInput {
        name_ja: Some("特定非営利活動法人　遠野まごころネット".into()), ..Default::default()
    };
    match k.member_edit(&other.id, &rename) {
        Err(Error::LikelyDuplicate { field, existing }) => {
            assert_eq!(field, "name_ja");
            assert_eq!(existing, format!("{} 遠野まごころネット", first.member_no));
        }
        other => panic!("expected likely_duplicate, got {other:?}"),
    }
    assert_eq!(k.member_show(&other.id).unwrap().name_ja, "釜石の会", "a refused edit writes nothing");
    // A member is never a duplicate of itself.
    let same = MemberInput { name_ja: Some("NPO法人遠野まごころネット".into()), ..Default::default() };
    assert_eq!(k.member_edit(&first.id, &same).unwrap().name_ja, "NPO法人遠野まごころネット");

    // The English name is compared too.
    let rename_en = MemberInput { name_en: Some("TONO MAGOKORO NET".into()), ..Default::default() };
    assert!(matches!(k.member_edit(&other.id, &rename_en), Err(Error::LikelyDuplicate { .. })));

    // Same name elsewhere is another organisation; moving it into Miyagi is the duplicate.
    let elsewhere = MemberInput {
        name_ja: Some("遠野まごころネット".into()),
        prefectures: Some(vec!["Iwate".into()]),
        ..Default::default()
    };
    let moved = k.member_edit(&other.id, &elsewhere).unwrap();
    assert_eq!(moved.prefectures, vec!["03"]);
    let back = MemberInput { prefectures: Some(vec!["Iwate".into(), "Miyagi".into()]), ..Default::default() };
    assert!(matches!(k.member_edit(&other.id, &back), Err(Error::LikelyDuplicate { .. })));

    // Confirmed, it is kept; later edits of other fields pass without asking again.
    let confirmed = MemberInput { allow_duplicate: Some(true), ..back };
    assert_eq!(k.member_edit(&other.id, &confirmed).unwrap().prefectures, vec!["03", "04"]);
    let phone = MemberInput { phone: Some("0198-62-0000".into()), ..Default::default() };
    assert_eq!(k.member_edit(&other.id, &phone).unwrap().phone.as_deref(), Some("0198-62-0000"));
}
