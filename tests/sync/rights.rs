//! Rights per table, validation of arriving cells and held mass deletes, at
//! the merge boundary: crafted bundles signed with an enrolled office's key.

use kizuna_core::hlc::Stamp;
use kizuna_core::store::{CellValue, Entry};
use kizuna_core::sync::SyncConfig;
use kizuna_core::sync::feed;
use kizuna_core::sync::keys::{self, Identity};

use crate::net::*;

fn identity_of(r: &Replica, office: &str) -> Identity {
    keys::identity(r.k.store().conn(), office).unwrap().expect("an enrolled replica has a key")
}

fn entry(origin: &str, table: &str, row_id: &str, cells: Vec<(&str, CellValue)>) -> Entry {
    static N: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Entry {
        hlc: Stamp::from_parts(kizuna_core::hlc::system_millis(), n),
        origin: origin.into(),
        table: table.into(),
        row_id: row_id.into(),
        cells: cells.into_iter().map(|(c, v)| (c.to_string(), v)).collect(),
    }
}

/// A bundle from `office` whose entries continue that office's own signed
/// feed, as its export would: only rights and cell rules can refuse them.
fn seal(from: &Replica, office: &str, entries: &[Entry]) -> Vec<u8> {
    let conn = from.k.store().conn();
    let cert = keys::certs(conn).unwrap().into_iter().find(|c| c.office == office).expect("certificate");
    let start = feed::held(conn, office, cert.issued_at).unwrap().unwrap_or((0, feed::genesis(office, cert.issued_at)));
    seal_after(from, office, start, entries).0
}

/// As [`seal`], continuing the feed after position `start` (position and
/// chain value); also returns where the bundle leaves it.
fn seal_after(
    from: &Replica,
    office: &str,
    start: (i64, feed::Hash),
    entries: &[Entry],
) -> (Vec<u8>, (i64, feed::Hash)) {
    let conn = from.k.store().conn();
    let id = identity_of(from, office);
    let certs = keys::certs(conn).unwrap();
    let cert = certs.iter().find(|c| c.office == office).expect("certificate").clone();
    let feed_id = cert.issued_at;
    let (mut fseq, mut chain) = start;
    let mut placed = Vec::new();
    for e in entries {
        fseq += 1;
        chain = feed::link(&chain, &feed::entry_digest(e, feed_id, fseq));
        placed.push((e.clone(), Some((feed_id, fseq))));
    }
    let heads = vec![crate::origins::head(&id, cert, fseq, &chain)];
    (crate::origins::forged_bundle(&id, certs, heads, &placed), (fseq, chain))
}

fn scalar(r: &Replica, sql: &str) -> CellValue {
    r.k.store().conn().query_row(sql, [], |row| Ok(CellValue::from_value_ref(row.get_ref(0)?))).unwrap()
}

fn first_phase(r: &Replica) -> String {
    r.k.grant_list().unwrap().grants[0].phases[0].phase.id.clone()
}

#[test]
fn an_hq_only_entry_from_a_field_office_is_refused_and_reported_while_its_honest_entries_merge() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    carry(&mut hq, &mut tono);
    let phase = first_phase(&hq);
    let amount_before = scalar(&hq, &format!("SELECT amount FROM phases WHERE id = '{phase}'"));
    let forged = entry("tono", "phases", &phase, vec![("amount", CellValue::text("9999999.00"))]);
    let honest = entry("tono", "sites", "tono-site", vec![("name", CellValue::text("Tono base"))]);
    let report = hq.k.sync_import(&seal(&tono, "tono", &[forged, honest]), &SyncConfig::default()).unwrap();
    assert_eq!(report.refused, 1, "{report:?}");
    assert_eq!(scalar(&hq, &format!("SELECT amount FROM phases WHERE id = '{phase}'")), amount_before);
    assert_eq!(cell(&hq, "tono-site", "name"), text("Tono base"), "the honest entry of the same bundle merged");
    // Never logged, so never relayed.
    let logged = scalar(&hq, "SELECT count(*) FROM change_log WHERE origin = 'tono' AND tbl = 'phases'");
    assert_eq!(logged, CellValue::Integer(0));
    let refused = hq.k.sync_status().unwrap().refused;
    let r = refused.iter().find(|r| r.table == "phases").expect("refusal listed in sync status");
    assert_eq!((r.origin.as_str(), r.kind.as_str(), r.row_id.as_str()), ("tono", "rights", phase.as_str()));
    assert!(r.reason.contains("only HQ"), "{}", r.reason);
}

#[test]
fn a_local_write_outside_the_office_rights_is_unauthorized() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    carry(&mut hq, &mut tono);
    let phase = first_phase(&tono);
    let input = kizuna_core::model::grant::BudgetLineInput {
        phase_id: phase.clone(),
        name_en: "Forged line".into(),
        amount: "10".into(),
        currency: "USD".into(),
        ..Default::default()
    };
    let e = tono.k.budget_line_add(&input).expect_err("a field office may not add budget lines");
    assert_eq!(e.code(), "unauthorized", "{e}");
    let e = tono.k.store_mut().write(|w| w.delete("phases", &phase)).expect_err("nor delete a phase");
    assert_eq!(e.code(), "unauthorized", "{e}");
    // Shared tables stay open to every office.
    add_site(&mut tono, "s-tono", "Tono");
}

#[test]
fn each_kind_of_poisoned_cell_is_quarantined_with_its_reason_and_never_applied() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    carry(&mut hq, &mut tono);
    let phase = first_phase(&hq);
    add_site(&mut hq, "m-site", "Site");
    hq.k.store_mut()
        .write(|w| {
            w.insert("members", "m1", &[("name_en", text("Member")), ("name_ja", text("会"))])?;
            Ok(())
        })
        .unwrap();
    carry(&mut hq, &mut tono);
    let cases: Vec<(&str, &str, &str, CellValue, &str)> = vec![
        ("phases", phase.as_str(), "amount", text("not a number"), "phases.amount"),
        ("phases", phase.as_str(), "start_date", text("2011-02-30"), "phases.start_date"),
        ("phases", phase.as_str(), "currency", text("JPY"), "does not agree with its grant"),
        ("phases", phase.as_str(), "amount", text("79228162514264337593543950335"), "phases.amount"),
        ("members", "m1", "name_en", text(&"x".repeat(5_000_000)), "members.name_en"),
        ("members", "m1", "prefectures", text("Iwate, Miyagi"), "members.prefectures"),
        ("members", "m1", "status", text("bogus"), "members.status"),
        ("members", "m1", "email", text("not-an-email"), "members.email"),
        ("sites", "m-site", "latitude", CellValue::Real(1e9), "sites.latitude"),
    ];
    for (table, row, column, value, reason) in cases {
        let before = scalar(&tono, &format!("SELECT {column} FROM {table} WHERE id = '{row}'"));
        let e = entry("tokyo", table, row, vec![(column, value)]);
        let r = tono.k.sync_import(&seal(&hq, "tokyo", &[e]), &SyncConfig::default()).unwrap();
        assert_eq!(r.refused, 1, "{table}.{column}: {r:?}");
        assert_eq!(scalar(&tono, &format!("SELECT {column} FROM {table} WHERE id = '{row}'")), before);
        let status = tono.k.sync_status().unwrap();
        let listed = status.refused.iter().find(|x| x.table == table && x.columns == [column]).expect("listed");
        assert_eq!((listed.kind.as_str(), listed.origin.as_str()), ("invalid", "tokyo"));
        assert!(listed.reason.contains(reason), "{table}.{column}: {}", listed.reason);
    }
    // Every screen still opens.
    tono.k.grant_list().unwrap();
    tono.k.dashboard().unwrap();
}

#[test]
fn a_mass_delete_of_other_offices_records_is_held_for_hq_then_approved_or_rejected() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    for i in 0..30 {
        add_site(&mut hq, &format!("hq-{i}"), "HQ site");
    }
    carry(&mut hq, &mut tono);
    let deletes: Vec<Entry> =
        (0..30).map(|i| entry("tono", "sites", &format!("hq-{i}"), vec![("deleted", CellValue::Integer(1))])).collect();
    let r = hq.k.sync_import(&seal(&tono, "tono", &deletes[..25]), &SyncConfig::default()).unwrap();
    assert_eq!(r.held, 25, "{r:?}");
    let live = |r: &Replica| scalar(r, "SELECT count(*) FROM sites WHERE id LIKE 'hq-%' AND deleted = 0");
    assert_eq!(live(&hq), CellValue::Integer(30), "nothing deleted while held");
    let held = hq.k.sync_status().unwrap().held;
    assert_eq!(held.len(), 1);
    assert_eq!((held[0].deletes, held[0].origins.clone()), (25, vec!["tono".to_string()]));
    // Only HQ decides.
    assert_eq!(tono.k.sync_held_approve(held[0].batch).unwrap_err().code(), "unauthorized");
    assert_eq!(hq.k.sync_held_reject(held[0].batch).unwrap(), 25);
    assert_eq!(live(&hq), CellValue::Integer(30));
    assert!(hq.k.sync_held().unwrap().is_empty());
    // Held again on a second attempt, then approved: applied and relayed.
    let r = hq.k.sync_import(&seal(&tono, "tono", &deletes[5..]), &SyncConfig::default()).unwrap();
    assert_eq!(r.held, 25);
    let batch = hq.k.sync_held().unwrap()[0].batch;
    assert_eq!(hq.k.sync_held_approve(batch).unwrap(), 25);
    assert_eq!(live(&hq), CellValue::Integer(5));
    let mut fks = join(&mut hq, "fukushima");
    carry(&mut hq, &mut fks);
    assert_eq!(live(&fks), CellValue::Integer(5), "HQ relays what it approved");
    // A few deletes are not a mass delete.
    let r = hq.k.sync_import(&seal(&tono, "tono", &deletes[..3]), &SyncConfig::default()).unwrap();
    assert_eq!(r.held, 0);
    assert_eq!(live(&hq), CellValue::Integer(2));
}

#[test]
fn removed_records_are_listed_and_restored_by_an_explicit_change_that_syncs() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    add_site(&mut hq, "gone", "Removed site");
    hq.k.store_mut().write(|w| w.delete("sites", "gone").map(|_| ())).unwrap();
    carry(&mut hq, &mut tono);
    let removed = tono.k.removed_list(Some("sites")).unwrap();
    let r = removed.iter().find(|r| r.id == "gone").expect("listed");
    assert_eq!((r.label.as_str(), r.removed_by.as_str()), ("Removed site", "tokyo"));
    tono.k.removed_restore("gone", None).unwrap();
    assert_eq!(cell(&tono, "gone", "deleted"), CellValue::Integer(0));
    carry(&mut tono, &mut hq);
    assert_eq!(cell(&hq, "gone", "deleted"), CellValue::Integer(0), "the restore syncs");
    assert!(hq.k.removed_list(None).unwrap().iter().all(|r| r.id != "gone"));
    assert_eq!(hq.k.removed_restore("gone", None).unwrap_err().code(), "not_found");
}

#[test]
fn an_hq_only_entry_pushed_to_the_hub_is_refused_there_and_never_reaches_another_office() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let mut sendai = join(&mut hq, "sendai");
    let hub = crate::hub::serve_plain(&hq);
    crate::hub::sync_with(&mut tono, &hub);
    crate::hub::sync_with(&mut sendai, &hub);
    let phase = first_phase(&hq);
    let amount = |r: &Replica| scalar(r, &format!("SELECT amount FROM phases WHERE id = '{phase}'"));
    let before = amount(&hq);
    let forged = entry("tono", "phases", &phase, vec![("amount", CellValue::text("9999999.00"))]);
    let honest = entry("tono", "sites", "tono-pushed", vec![("name", CellValue::text("Tono pushed"))]);
    let conn = tono.k.store().conn();
    let cert = keys::certs(conn).unwrap().into_iter().find(|c| c.office == "tono").expect("certificate");
    let start = feed::held(conn, "tono", cert.issued_at).unwrap().unwrap_or((0, feed::genesis("tono", cert.issued_at)));
    let (body, end) = seal_after(&tono, "tono", start, &[forged, honest]);
    let (status, answer) = crate::hub::call(&hub.url(), &identity_of(&tono, "tono"), "POST", "/v1/push", &body, false);
    assert_eq!(status, 200, "the push itself is accepted: {answer}");
    let report: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(report["refused"], 1, "{answer}");
    assert_eq!(amount(&hq), before, "the hub never applied it");
    let refused = hq.k.sync_status().unwrap().refused;
    assert!(refused.iter().any(|r| r.table == "phases" && r.origin == "tono" && r.kind == "rights"), "{refused:?}");
    // HQ applied the honest change of the same run; relayed without the
    // refused one, that run cannot be checked against its head, so Sendai
    // holds it back, and its sync still succeeds and merges everything else.
    assert_eq!(cell(&hq, "tono-pushed", "name"), text("Tono pushed"));
    add_site(&mut hq, "hq-after", "HQ after");
    let r = crate::hub::sync_with(&mut sendai, &hub);
    assert!(r.held_back >= 2, "{r:?}");
    assert_eq!(amount(&sendai), before);
    assert_eq!(cell(&sendai, "hq-after", "name"), text("HQ after"), "other feeds still merge");
    let logged = scalar(&sendai, "SELECT count(*) FROM change_log WHERE origin = 'tono' AND tbl = 'phases'");
    assert_eq!(logged, CellValue::Integer(0));
    // Tono's next change connects again (at the held-back run's signed head).
    let next = entry("tono", "sites", "tono-next", vec![("name", CellValue::text("Tono next"))]);
    let (body, _) = seal_after(&tono, "tono", end, &[next]);
    let (status, answer) = crate::hub::call(&hub.url(), &identity_of(&tono, "tono"), "POST", "/v1/push", &body, false);
    assert_eq!(status, 200, "{answer}");
    crate::hub::sync_with(&mut sendai, &hub);
    assert_eq!(cell(&sendai, "tono-next", "name"), text("Tono next"));
    hub.stop();
}

/// HQ's grant desk (grants, phases, the instalment schedule, due reports):
/// a field office is refused locally, and its crafted entries for those
/// tables are refused at merge while HQ's own merge; a tranche whose
/// currency is not its grant's, or a due date that is no date, is refused
/// even from HQ.
#[test]
fn the_grant_desk_is_hq_only_locally_and_on_merge() {
    use kizuna_core::model::grant_desk::{GrantInput, PhaseInput, ReportDueInput, TrancheInput};
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    carry(&mut hq, &mut tono);
    let phase = first_phase(&tono);
    let some = |v: &str| Some(v.to_string());
    let e = tono
        .k
        .tranche_add(&TrancheInput {
            phase_id: Some(phase.clone()),
            amount: some("1000"),
            expected_on: some("2011-06-01"),
            ..Default::default()
        })
        .expect_err("a field office may not add a tranche");
    assert_eq!(e.code(), "unauthorized", "{e}");
    let e = tono
        .k
        .grant_add(&GrantInput {
            new_donor_en: some("X"),
            title_en: "X".into(),
            currency: "USD".into(),
            phase: PhaseInput { start: some("2015-04"), end: some("2016-03"), amount: some("1"), ..Default::default() },
            ..Default::default()
        })
        .expect_err("nor a grant");
    assert_eq!(e.code(), "unauthorized", "{e}");

    // HQ's honest grant desk entries reach the office.
    hq.k.report_due_add(&ReportDueInput {
        phase_id: Some(phase.clone()),
        due_on: some("2011-09-30"),
        label_en: some("Interim report"),
        ..Default::default()
    })
    .unwrap();
    carry(&mut hq, &mut tono);
    let dues = &tono.k.phase_show(&phase).unwrap().report_dues;
    assert_eq!(dues.iter().map(|d| d.label_en.as_str()).collect::<Vec<_>>(), ["Interim report"]);
    // Crafted: tono signs entries for HQ-only tables; its site still merges.
    let forged = vec![
        entry(
            "tono",
            "tranches",
            "forged-tranche",
            vec![("phase_id", text(&phase)), ("amount", text("5000.00")), ("currency", text("USD"))],
        ),
        entry("tono", "report_dues", "forged-due", vec![("phase_id", text(&phase)), ("due_on", text("2011-09-30"))]),
        entry("tono", "grants", "forged-grant", vec![("title_en", text("Forged")), ("currency", text("USD"))]),
        entry("tono", "sites", "tono-site-2", vec![("name", text("Kamaishi base"))]),
    ];
    let r = hq.k.sync_import(&seal(&tono, "tono", &forged), &SyncConfig::default()).unwrap();
    assert_eq!(r.refused, 3, "{r:?}");
    assert_eq!(cell(&hq, "tono-site-2", "name"), text("Kamaishi base"));
    for t in ["tranches", "report_dues", "grants"] {
        let n = scalar(&hq, &format!("SELECT count(*) FROM {t} WHERE id LIKE 'forged-%'"));
        assert_eq!(n, CellValue::Integer(0), "{t}");
    }
    let refused = hq.k.sync_status().unwrap().refused;
    for t in ["tranches", "report_dues", "grants"] {
        let x = refused.iter().find(|x| x.table == t).expect("listed");
        assert_eq!((x.origin.as_str(), x.kind.as_str()), ("tono", "rights"), "{t}");
    }

    // From HQ, the cell rules and the grant's currency still hold.
    // (table, row, cells, the reason's words)
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, CellValue)>, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            "tranches",
            "jpy-tranche",
            vec![("phase_id", text(&phase)), ("amount", text("5000")), ("currency", text("JPY"))],
            "does not agree with its grant",
        ),
        (
            "report_dues",
            "bad-due",
            vec![("phase_id", text(&phase)), ("due_on", text("2011-02-30"))],
            "report_dues.due_on",
        ),
        ("budget_lines", "bad-note", vec![("variance_note", text(&"x".repeat(3_000)))], "budget_lines.variance_note"),
    ];
    for (table, row, cells, reason) in cases {
        let e = entry("tokyo", table, row, cells);
        let r = tono.k.sync_import(&seal(&hq, "tokyo", &[e]), &SyncConfig::default()).unwrap();
        assert_eq!(r.refused, 1, "{table}: {r:?}");
        let status = tono.k.sync_status().unwrap();
        let listed = status.refused.iter().find(|x| x.table == table && x.row_id == row).expect("listed");
        assert!(listed.reason.contains(reason), "{table}: {}", listed.reason);
    }
}
