//! HQ's grant desk through the core API: a new grant and its phases with
//! month-precision dates, the instalment schedule and reporting due dates,
//! budget lines and expenditures edited and removed, the one rule for which
//! expenditures a phase counts, overspending flagged, the dashboard's due
//! reports and pending tranches, and a field office refused.

use kizuna_core::api::ReportOptions;
use kizuna_core::model::grant::{BudgetLineInput, ExpenditureInput};
use kizuna_core::model::grant_desk::{
    ActivityInput, BudgetLineEdit, ExpenditureEdit, GrantEdit, GrantInput, PartnerInput, PhaseInput, ReportDueInput,
    TrancheInput,
};
use kizuna_core::seed::seed_id;
use kizuna_core::store::CellValue;

use crate::fresh;

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

fn phase1() -> String {
    seed_id("phase:erp-1")
}

fn line(k: &mut kizuna_core::Kizuna, phase: &str, name: &str, amount: &str) -> String {
    k.budget_line_add(&BudgetLineInput {
        phase_id: phase.into(),
        name_en: name.into(),
        amount: amount.into(),
        currency: "USD".into(),
        ..Default::default()
    })
    .unwrap()
    .id
}

fn spend(phase: &str, line: Option<&str>, on: &str, amount: &str) -> ExpenditureInput {
    ExpenditureInput {
        phase_id: phase.into(),
        budget_line_id: line.map(str::to_string),
        spent_on: on.into(),
        description: "Coordination meeting".into(),
        amount: amount.into(),
        currency: "USD".into(),
        receipt_ref: s("R-001"),
        ..Default::default()
    }
}

fn new_grant() -> GrantInput {
    GrantInput {
        new_donor_en: s("Japan Platform"),
        new_donor_ja: s("ジャパン・プラットフォーム"),
        title_en: "Tohoku Livelihood Recovery".into(),
        title_ja: s("東北生業復興"),
        currency: "JPY".into(),
        phase: PhaseInput {
            title_en: s("Livelihood Recovery – Year 1"),
            start: s("2015-04"),
            end: s("2016-03"),
            amount: s("12,000,000"),
            activities: vec![ActivityInput {
                title_en: "Market stalls".into(),
                title_ja: s("仮設商店街"),
                ..Default::default()
            }],
            partners: vec![
                PartnerInput { name_en: "FUKUDEN".into(), role_en: s("Local partner"), ..Default::default() },
                PartnerInput { name_en: "Sanriku Fishers".into(), ..Default::default() },
            ],
            ..Default::default()
        },
        ..Default::default()
    }
}

#[test]
fn hq_records_a_fourth_grant_from_a_new_donor_with_its_phases_schedule_and_due_reports() {
    let (_d, mut k) = fresh("tokyo");
    let g = k.grant_add(&new_grant()).unwrap();
    assert_eq!(g.donor.name_en, "Japan Platform");
    assert_eq!(g.total.to_string(), "12,000,000 JPY");
    let p = &g.phases[0];
    assert_eq!((p.phase.start.to_string().as_str(), p.phase.end.to_string().as_str()), ("2015-04", "2016-03"));
    assert_eq!(p.activities[0].title_ja, "仮設商店街");
    // FUKUDEN is the seed's partner, reused rather than duplicated.
    let names: Vec<&str> = p.partners.iter().map(|x| x.name_en.as_str()).collect();
    assert!(names.contains(&"FUKUDEN") && names.contains(&"Sanriku Fishers"), "{names:?}");
    let fukuden = p.partners.iter().find(|x| x.name_en == "FUKUDEN").unwrap();
    assert_eq!(fukuden.id, seed_id("partner:fukuden"));

    let overview = k.grant_list().unwrap();
    // The seed's three funded projects are two grants; this is the third.
    assert_eq!(overview.grants.len(), 3);
    let totals: Vec<String> = overview.totals.iter().map(|m| m.to_string()).collect();
    assert_eq!(totals, ["12,000,000 JPY", "698,709.00 USD"]);

    let p2 = k
        .phase_add(&PhaseInput {
            grant_id: Some(g.grant.id.clone()),
            title_en: s("Livelihood Recovery – Year 2"),
            start: s("2016-04-01"),
            end: s("2017-03-31"),
            amount: s("8000000"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(p2.phase.seq, 2);
    assert_eq!(p2.phase.amount.to_string(), "8,000,000 JPY");
    let edited = k.phase_edit(&p2.phase.id, &PhaseInput { amount: s("9000000"), ..Default::default() }).unwrap();
    assert_eq!(edited.phase.amount.to_string(), "9,000,000 JPY");
    assert_eq!(edited.phase.title_en, "Livelihood Recovery – Year 2", "what was not given is kept");
    let g2 = k.grant_edit(&g.grant.id, &GrantEdit { title_en: s("Tohoku Livelihoods"), ..Default::default() }).unwrap();
    assert_eq!(g2.grant.title_en, "Tohoku Livelihoods");
    assert_eq!(g2.total.to_string(), "21,000,000 JPY");

    let t1 = k
        .tranche_add(&TrancheInput {
            phase_id: Some(p.phase.id.clone()),
            amount: s("6000000"),
            expected_on: s("2015-04-15"),
            received_on: s("2015-04-20"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(t1.amount.to_string(), "6,000,000 JPY", "a tranche is in its grant's currency");
    let t2 = k
        .tranche_add(&TrancheInput {
            phase_id: Some(p.phase.id.clone()),
            amount: s("6000000"),
            expected_on: s("2015-10-15"),
            ..Default::default()
        })
        .unwrap();
    // Yen has no minor unit; the schedule may not promise more than the phase.
    for (amount, why) in [("1.5", "decimal places"), ("1", "more than the phase's amount")] {
        let e = k
            .tranche_add(&TrancheInput {
                phase_id: Some(p.phase.id.clone()),
                amount: s(amount),
                expected_on: s("2016-01-15"),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!((e.code(), e.field()), ("invalid_input", Some("amount")), "{e}");
        assert!(e.to_string().contains(why), "{e}");
    }
    let t2 = k.tranche_edit(&t2.id, &TrancheInput { received_on: s("2015-10-20"), ..Default::default() }).unwrap();
    assert_eq!(t2.received_on.unwrap().to_string(), "2015-10-20");
    let due = k
        .report_due_add(&ReportDueInput {
            phase_id: Some(p.phase.id.clone()),
            due_on: s("2016-04-30"),
            label_en: s("Final report"),
            period_start: s("2015-04-01"),
            period_end: s("2016-03-31"),
            ..Default::default()
        })
        .unwrap();
    let shown = k.phase_show(&p.phase.id).unwrap();
    assert_eq!(shown.received_total.to_string(), "12,000,000 JPY");
    assert_eq!(shown.report_dues[0].id, due.id);
    k.report_due_edit(&due.id, &ReportDueInput { submitted_on: s("2016-04-28"), ..Default::default() }).unwrap();
    assert_eq!(k.report_due_show(&due.id).unwrap().submitted_on.unwrap().to_string(), "2016-04-28");
    k.tranche_remove(&t2.id).unwrap();
    assert_eq!(k.phase_show(&p.phase.id).unwrap().tranches.len(), 1);
}

#[test]
fn a_grant_or_phase_that_breaks_a_rule_is_refused_naming_the_field_and_writes_nothing() {
    let (_d, mut k) = fresh("tokyo");
    let before = k.export_json().unwrap();
    let cases: Vec<(GrantInput, &str)> = vec![
        (GrantInput { currency: "EUR".into(), ..new_grant() }, "currency"),
        (GrantInput { new_donor_en: None, ..new_grant() }, "donor"),
        (GrantInput { donor: s("No Such Donor"), ..new_grant() }, "donor"),
        (GrantInput { phase: PhaseInput { end: s("2014-13"), ..new_grant().phase }, ..new_grant() }, "end"),
        (GrantInput { phase: PhaseInput { end: s("2015-03"), ..new_grant().phase }, ..new_grant() }, "end"),
        (GrantInput { phase: PhaseInput { amount: s("10.5"), ..new_grant().phase }, ..new_grant() }, "amount"),
        (GrantInput { title_en: " ".into(), ..new_grant() }, "title_en"),
    ];
    for (input, field) in cases {
        let e = k.grant_add(&input).unwrap_err();
        assert_eq!((e.code(), e.field()), ("invalid_input", Some(field)), "{e}");
    }
    assert_eq!(before, k.export_json().unwrap());
    // An existing donor is named by its name.
    let g = k.grant_add(&GrantInput { donor: s("direct relief"), new_donor_en: None, ..new_grant() }).unwrap();
    assert_eq!(g.donor.id, k.grant_list().unwrap().grants[0].donor.id);
}

#[test]
fn an_expenditure_dated_outside_its_phase_is_refused_and_the_phase_cannot_shrink_past_one() {
    let (_d, mut k) = fresh("tokyo");
    let p = phase1();
    let before = k.export_json().unwrap();
    for day in ["2011-03-10", "2012-03-11", "2013-01-01"] {
        let e = k.expenditure_add(&spend(&p, None, day, "10.00")).unwrap_err();
        assert_eq!((e.code(), e.field()), ("invalid_input", Some("spent_on")), "{e}");
        assert!(e.to_string().contains("2011-03-11 to 2012-03-10"), "{e}");
    }
    assert_eq!(before, k.export_json().unwrap(), "nothing written");
    let last = k.expenditure_add(&spend(&p, None, "2012-03-10", "10.00")).unwrap();
    assert_eq!(last.receipt_ref.as_deref(), Some("R-001"));
    let e = k.expenditure_edit(&last.id, &ExpenditureEdit { spent_on: s("2012-03-11"), ..Default::default() });
    assert_eq!(e.unwrap_err().field(), Some("spent_on"));
    let e = k.phase_edit(&p, &PhaseInput { end: s("2012-02-29"), ..Default::default() }).unwrap_err();
    assert_eq!((e.code(), e.field()), ("invalid_input", Some("end")), "{e}");
    assert!(e.to_string().contains("2012-03-10"), "{e}");
    // The nuclear project is known to the month: its last day is the month's.
    let nuclear = seed_id("phase:nuclear-advocacy");
    k.expenditure_add(&spend(&nuclear, None, "2017-03-31", "5.00")).unwrap();
    let e = k.expenditure_add(&spend(&nuclear, None, "2017-04-01", "5.00")).unwrap_err();
    assert_eq!(e.field(), Some("spent_on"));
}

/// A row written before entry refused it (or by an older HQ build) is counted
/// nowhere, by the same rule, so the grant list, the dashboard and the
/// report's figures agree.
#[test]
fn an_expenditure_stored_outside_its_phase_counts_in_no_total_and_every_view_agrees() {
    let (_d, mut k) = fresh("tokyo");
    let p = phase1();
    k.expenditure_add(&spend(&p, None, "2012-03-10", "242060.50")).unwrap();
    k.store_mut()
        .write(|w| {
            w.insert(
                "expenditures",
                "late-one",
                &[
                    ("phase_id", CellValue::text(&p)),
                    ("spent_on", CellValue::text("2012-03-11")),
                    ("description", CellValue::text("after the end")),
                    ("amount", CellValue::text("10.00")),
                    ("currency", CellValue::text("USD")),
                    ("rate", CellValue::text("1")),
                ],
            )
            .map(|_| ())
        })
        .unwrap();
    let listed = k.grant_list().unwrap().grants[0].phases[0].spent_total;
    assert_eq!(listed.to_string(), "242,060.50 USD");
    let dash = k.dashboard().unwrap().phases.into_iter().find(|x| x.phase_id == p).unwrap().spent;
    let fin = k.report_phase_figures(&p, &ReportOptions::default()).unwrap().finance;
    assert_eq!((dash, fin.spent_to_date), (listed, listed));
    let late = k.phase_show(&p).unwrap().expenditures.into_iter().find(|e| e.id == "late-one").unwrap();
    assert!(late.outside_phase);
    let found = k.doctor().unwrap().findings;
    assert!(found.iter().any(|f| f.row_id == "late-one" && f.column == "spent_on"), "{found:?}");
}

#[test]
fn overspending_is_flagged_per_line_and_in_total_with_an_editable_variance_explanation() {
    let (_d, mut k) = fresh("tokyo");
    let p = phase1();
    let staff = line(&mut k, &p, "Coordination staff", "100000.00");
    let travel = line(&mut k, &p, "Travel", "20000.00");
    k.expenditure_add(&spend(&p, Some(&staff), "2011-06-30", "90000.00")).unwrap();
    k.expenditure_add(&spend(&p, Some(&travel), "2011-07-31", "25000.50")).unwrap();
    let lines = k.budget_list(&p).unwrap();
    let t = lines.iter().find(|b| b.id == travel).unwrap();
    assert_eq!((t.remaining.to_string().as_str(), t.overspent), ("-5,000.50 USD", true));
    let st = lines.iter().find(|b| b.id == staff).unwrap();
    assert_eq!((st.remaining.to_string().as_str(), st.overspent), ("10,000.00 USD", false));
    let detail = k.phase_show(&p).unwrap();
    assert!(!detail.over_budget && !detail.overspent, "115,000.50 of a 120,000.00 budget and 328,709.00 granted");

    let t = k
        .budget_line_edit(
            &travel,
            &BudgetLineEdit { variance_note: s("Fuel prices doubled after the tsunami"), ..Default::default() },
        )
        .unwrap();
    assert_eq!(t.variance_note.as_deref(), Some("Fuel prices doubled after the tsunami"));
    assert_eq!(t.amount.to_string(), "20,000.00 USD", "the amount was not given and is kept");

    k.expenditure_add(&spend(&p, None, "2012-01-15", "400000.00")).unwrap();
    let fin = k.report_phase_figures(&p, &ReportOptions::default()).unwrap().finance;
    assert!(fin.over_budget && fin.overspent, "{fin:?}");
    assert_eq!(fin.remaining.to_string(), "-395,000.50 USD");
    assert_eq!(fin.unspent.to_string(), "-186,291.50 USD");
    let tl = fin.lines.iter().find(|l| l.name_en == "Travel").unwrap();
    assert!(tl.overspent);
    assert_eq!(tl.variance_note.as_deref(), Some("Fuel prices doubled after the tsunami"));
    let detail = k.phase_show(&p).unwrap();
    assert!(detail.over_budget && detail.overspent);

    // Clearing the note: an empty value.
    let t = k.budget_line_edit(&travel, &BudgetLineEdit { variance_note: s(""), ..Default::default() }).unwrap();
    assert_eq!(t.variance_note, None);
}

#[test]
fn a_budget_line_with_expenditures_is_removed_only_together_with_them() {
    let (_d, mut k) = fresh("tokyo");
    let p = phase1();
    let l = line(&mut k, &p, "Office rent", "12000.00");
    let e = k.expenditure_add(&spend(&p, Some(&l), "2011-05-01", "1000.00")).unwrap();
    let before = k.export_json().unwrap();
    let err = k.budget_line_remove(&l, false).unwrap_err();
    assert_eq!(err.code(), "conflict", "{err}");
    assert!(err.to_string().contains("1 expenditure"), "{err}");
    assert_eq!(before, k.export_json().unwrap());
    k.budget_line_remove(&l, true).unwrap();
    assert_eq!(k.budget_line_show(&l).unwrap_err().code(), "not_found");
    assert_eq!(k.expenditure_show(&e.id).unwrap_err().code(), "not_found");
    assert_eq!(k.phase_show(&p).unwrap().spent_total.to_string(), "0.00 USD");
    // Both are removed records, restorable like a member and its sites.
    let removed: Vec<String> = k.removed_list(None).unwrap().into_iter().map(|r| r.table).collect();
    assert!(removed.contains(&"budget_lines".to_string()) && removed.contains(&"expenditures".to_string()));
    k.removed_restore(&l, None).unwrap();
    k.removed_restore(&e.id, None).unwrap();
    assert_eq!(k.budget_line_show(&l).unwrap().spent.to_string(), "1,000.00 USD");
    // An empty line goes without asking.
    let empty = line(&mut k, &p, "Unused", "1.00");
    k.budget_line_remove(&empty, false).unwrap();
}

#[test]
fn an_expenditure_is_edited_in_place_and_keeps_what_was_not_given() {
    let (_d, mut k) = fresh("tokyo");
    let p = phase1();
    let l = line(&mut k, &p, "Staff", "1000.00");
    let e = k.expenditure_add(&spend(&p, None, "2011-05-01", "100.00")).unwrap();
    let e = k
        .expenditure_edit(
            &e.id,
            &ExpenditureEdit {
                budget_line_id: Some(l.clone()),
                amount: s("12,500"),
                currency: s("JPY"),
                rate: s("0.0125"),
                receipt_ref: s("INV-2011-044"),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(e.converted.to_string(), "156.25 USD");
    assert_eq!(e.description, "Coordination meeting");
    assert_eq!(e.receipt_ref.as_deref(), Some("INV-2011-044"));
    assert_eq!(k.budget_line_show(&l).unwrap().spent.to_string(), "156.25 USD");
    let e = k
        .expenditure_edit(&e.id, &ExpenditureEdit { currency: s("USD"), amount: s("5"), ..Default::default() })
        .unwrap();
    assert_eq!((e.converted.to_string().as_str(), e.rate.to_string().as_str()), ("5.00 USD", "1"));
    let other = seed_id("phase:erp-2");
    let l2 = line(&mut k, &other, "Elsewhere", "1.00");
    let err = k.expenditure_edit(&e.id, &ExpenditureEdit { budget_line_id: Some(l2), ..Default::default() });
    assert_eq!(err.unwrap_err().field(), Some("budget_line"));
    k.expenditure_remove(&e.id).unwrap();
    assert_eq!(k.expenditure_list(&p).unwrap().len(), 0);
}

#[test]
fn the_dashboard_lists_reports_due_within_sixty_days_and_tranches_not_received() {
    let (_d, mut k) = fresh("tokyo");
    let g = k
        .grant_add(&GrantInput {
            phase: PhaseInput { start: s("2024-01-01"), end: s("2030-12-31"), ..new_grant().phase },
            ..new_grant()
        })
        .unwrap();
    let p = g.phases[0].phase.id.clone();
    let today = chrono::Local::now().date_naive();
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let due = |label: &str, on: String, submitted: Option<String>| ReportDueInput {
        phase_id: Some(p.clone()),
        due_on: Some(on),
        label_en: s(label),
        submitted_on: submitted,
        ..Default::default()
    };
    for d in [
        due("Overdue report", day(-3), None),
        due("Soon", day(10), None),
        due("Last day of the window", day(60), None),
        due("Too far ahead", day(61), None),
        due("Sent already", day(5), Some(day(-1))),
    ] {
        k.report_due_add(&d).unwrap();
    }
    let tranche = |amount: &str, expected: String, received: Option<String>| TrancheInput {
        phase_id: Some(p.clone()),
        amount: s(amount),
        expected_on: Some(expected),
        received_on: received,
        ..Default::default()
    };
    k.tranche_add(&tranche("1000000", day(-30), Some(day(-28)))).unwrap();
    k.tranche_add(&tranche("2000000", day(-2), None)).unwrap();
    k.tranche_add(&tranche("3000000", day(90), None)).unwrap();
    let d = k.dashboard().unwrap();
    let labels: Vec<(&str, i64)> = d.reports_due.iter().map(|r| (r.label_en.as_str(), r.days_left)).collect();
    assert_eq!(labels, [("Overdue report", -3), ("Soon", 10), ("Last day of the window", 60)]);
    let pending: Vec<(String, bool)> = d.tranches_pending.iter().map(|t| (t.amount.to_string(), t.overdue)).collect();
    assert_eq!(pending, [("2,000,000 JPY".to_string(), true), ("3,000,000 JPY".to_string(), false)]);
}

#[test]
fn a_field_office_may_not_write_any_part_of_the_grant_desk() {
    let (_d, mut k) = fresh("tono");
    let p = phase1();
    let before = k.export_json().unwrap();
    // Refused before the input is read: even a bad input is `unauthorized`.
    let errors = [
        k.grant_add(&GrantInput { currency: "EUR".into(), ..new_grant() }).unwrap_err(),
        k.phase_add(&PhaseInput { grant_id: s("x"), ..Default::default() }).unwrap_err(),
        k.phase_edit(&p, &PhaseInput { amount: s("1"), ..Default::default() }).unwrap_err(),
        k.tranche_add(&TrancheInput { phase_id: Some(p.clone()), amount: s("1"), ..Default::default() }).unwrap_err(),
        k.report_due_add(&ReportDueInput { phase_id: Some(p.clone()), ..Default::default() }).unwrap_err(),
        k.expenditure_add(&spend(&p, None, "2011-05-01", "1.00")).unwrap_err(),
        k.budget_line_remove("x", true).unwrap_err(),
    ];
    for e in errors {
        assert_eq!(e.code(), "unauthorized", "{e}");
    }
    assert_eq!(before, k.export_json().unwrap());
}
