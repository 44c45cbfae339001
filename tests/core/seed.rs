//! The embedded default data set states every fact of the source document.

use kizuna_core::dates::ProjectDate;
use kizuna_core::money::Currency;

use crate::fresh;

#[test]
fn profile_states_who_the_organisation_is() {
    let (_d, k) = fresh("tokyo");
    let p = k.profile().unwrap();
    assert_eq!(p.acronym, "JANIC");
    assert_eq!(p.name_en, "Japan NGO Center for International Cooperation");
    assert_eq!(p.founded_year, 1987);
    assert!(p.affiliation_en.contains("political, religious, or ideological"));
    assert_eq!(p.focus_areas.len(), 5);
    assert!(p.focus_areas.iter().any(|f| f.en == "Policy advocacy"));
    let past: Vec<(String, i32)> = p.past_responses.iter().map(|r| (r.country_en.clone(), r.year)).collect();
    assert_eq!(
        past,
        vec![("Sri Lanka".into(), 2011), ("Pakistan".into(), 2010), ("Chile".into(), 2010), ("Haiti".into(), 2010)]
    );
}

#[test]
fn four_offices_with_their_localities() {
    let (_d, k) = fresh("tono");
    let offices = k.office_list().unwrap();
    let mut found: Vec<(String, String, String, bool)> =
        offices.iter().map(|o| (o.code.clone(), o.locality_en.clone(), o.prefecture_code.clone(), o.is_hq)).collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("fukushima".into(), "Matsuyama, Fukushima".into(), "07".into(), false),
            ("sendai".into(), "Aoba-ku, Sendai".into(), "04".into(), false),
            ("tokyo".into(), "Nishiwaseda, Tokyo".into(), "13".into(), true),
            ("tono".into(), "Matsuzaki, Tono City".into(), "03".into(), false),
        ]
    );
    assert_eq!(k.office_code(), "tono");
    assert_eq!(k.own_office().unwrap().unwrap().locality_ja, "遠野市松崎町");
}

#[test]
fn three_funded_projects_with_exact_dates_and_amounts() {
    let (_d, k) = fresh("tokyo");
    let all = k.grant_list().unwrap();
    let phases: Vec<(String, String, String, String)> = all
        .grants
        .iter()
        .flat_map(|g| g.phases.iter())
        .map(|p| {
            (p.phase.title_en.clone(), p.phase.start.to_string(), p.phase.end.to_string(), p.phase.amount.to_string())
        })
        .collect();
    assert_eq!(
        phases,
        vec![
            (
                "Emergency Relief Program Grant – Phase 1".into(),
                "2011-03-11".into(),
                "2012-03-10".into(),
                "328,709.00 USD".into()
            ),
            (
                "Emergency Relief Program Grant – Phase 2".into(),
                "2012-03-11".into(),
                "2014-03-10".into(),
                "270,000.00 USD".into()
            ),
            (
                "Linking Civil Societies with Nuclear Threat for Joint Advocacy for Future Disaster Prevention".into(),
                "2014-04".into(),
                "2017-03".into(),
                "100,000.00 USD".into()
            ),
        ]
    );
    assert_eq!(all.totals.len(), 1);
    assert_eq!(all.totals[0].currency, Currency::USD);
    assert_eq!(all.totals[0].amount_text(), "698709.00");
    assert!(all.grants.iter().all(|g| g.donor.name_en == "Direct Relief"));
}

#[test]
fn third_project_keeps_month_precision() {
    let (_d, k) = fresh("tokyo");
    let all = k.grant_list().unwrap();
    let p3 = &all.grants[1].phases[0].phase;
    assert_eq!(p3.start, ProjectDate::Month { year: 2014, month: 4 });
    assert_eq!(p3.start.display_en(), "April 2014");
    assert_eq!(p3.end.display_ja(), "2017年3月");
    let p1 = &all.grants[0].phases[0].phase;
    assert_eq!(p1.start.display_en(), "March 11, 2011");
    assert_eq!(p1.end.display_ja(), "2012年3月10日");
}

#[test]
fn activities_partners_and_statements() {
    let (_d, k) = fresh("tokyo");
    let all = k.grant_list().unwrap();
    let titles = |g: usize, p: usize| -> Vec<String> {
        all.grants[g].phases[p].activities.iter().map(|a| a.title_en.clone()).collect()
    };
    assert_eq!(
        titles(0, 0),
        vec![
            "Meeting Coordination",
            "Information Collection and Provision",
            "Pooled Relief Fund",
            "Donation Matching",
            "Nonprofit Support",
            "Policy Advocacy"
        ]
    );
    assert_eq!(
        titles(0, 1),
        vec![
            "Information Collection and Provision",
            "Coordination and Support of NGO Activities",
            "External Relations"
        ]
    );
    assert_eq!(
        titles(1, 0),
        vec!["Enhancing Public Knowledge of Radiation Issues", "Create Linkages with Asian Nations"]
    );
    let matching = &all.grants[0].phases[0].activities[3].description_en;
    for item in ["dishes", "cell phones", "computers", "maps", "staff", "funding"] {
        assert!(matching.contains(item), "donation matching mentions {item}");
    }
    let asia = &all.grants[1].phases[0].activities[1].description_en;
    for c in ["China", "Korea", "Taiwan", "India", "Pakistan", "Vietnam", "Indonesia", "Bangladesh", "Malaysia"] {
        assert!(asia.contains(c), "{c}");
    }
    let p3_partners: Vec<&str> = all.grants[1].phases[0].partners.iter().map(|p| p.name_en.as_str()).collect();
    assert_eq!(p3_partners, vec!["FUKUDEN"]);
    let p1_partners: Vec<&str> =
        all.grants[0].phases[0].partners.iter().map(|p| p.acronym.as_deref().unwrap_or("")).collect();
    assert!(p1_partners.contains(&"JCN") && p1_partners.contains(&"JPF"));
    let people: Vec<&str> = all.grants[0].phases[0].statements.iter().map(|s| s.person.as_str()).collect();
    assert_eq!(people, vec!["Carl Williams", "Emiko Fujioka"]);
}

#[test]
fn reported_figures_are_kept_as_reported_with_source() {
    let (_d, k) = fresh("tokyo");
    let all = k.grant_list().unwrap();
    let reported = |g: usize, p: usize| -> Vec<(String, String)> {
        all.grants[g].phases[p]
            .indicators
            .iter()
            .filter(|i| i.kind == "reported")
            .map(|i| {
                assert!(i.source.as_deref().is_some_and(|s| !s.is_empty()), "{} has a source", i.label_en);
                (i.qualifier.clone().unwrap_or_default(), i.value.clone().unwrap_or_default())
            })
            .collect()
    };
    assert_eq!(
        reported(0, 0),
        vec![
            ("over".into(), "50".into()),
            // The source says "200 sites", with no qualifier.
            (String::new(), "200".into()),
            ("average".into(), "20".into()),
            ("over".into(), "100".into()),
            ("over".into(), "1500".into()),
            ("over".into(), "1000000".into()),
        ]
    );
    assert_eq!(reported(0, 1), vec![("over".into(), "50".into())]);
    // The relationship-level paragraph says "over 40": both figures are kept.
    let overall = k.indicators_for(None).unwrap();
    assert!(overall.iter().any(|i| i.qualifier.as_deref() == Some("over") && i.value.as_deref() == Some("40")));
    let computed = all.grants[0].phases[0].indicators.iter().filter(|i| i.kind == "computed").count();
    assert!(computed >= 1);
}

#[test]
fn seeding_is_identical_on_every_replica() {
    let (_a, hq) = fresh("tokyo");
    let (_b, tono) = fresh("tono");
    assert_eq!(hq.export_json().unwrap(), tono.export_json().unwrap());
}
