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
