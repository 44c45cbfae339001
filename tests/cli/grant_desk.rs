//! HQ's grant desk through the CLI: a fourth grant and its phases, budget
//! lines and expenditures listed, edited and removed, the instalment
//! schedule and due reports on the dashboard; refusals that leave the
//! database byte for byte unchanged; a field office refused.

use std::path::Path;

use serde_json::Value;

use crate::common::kizuna;
use crate::{db_fingerprint, init, ok_json, stderr};

fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_string()
}

fn fails(dir: &Path, args: &[&str]) -> String {
    let before = db_fingerprint(dir);
    let o = kizuna(dir, args);
    assert!(!o.status.success(), "kizuna {args:?} should fail");
    assert_eq!(before, db_fingerprint(dir), "kizuna {args:?} wrote something");
    stderr(&o)
}

fn text(dir: &Path, args: &[&str]) -> String {
    let o = kizuna(dir, args);
    assert!(o.status.success(), "kizuna {args:?}: {}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn hq_enters_a_fourth_grant_its_phases_budget_spending_schedule_and_due_reports() {
    let dir = init("tokyo");
    let d = dir.path();
    let g = ok_json(
        d,
        &[
            "grant",
            "add",
            "--new-donor-en",
            "Tohoku Foundation",
            "--title-en",
            "Fishing Cooperatives Recovery",
            "--title-ja",
            "漁協復興",
            "--currency",
            "USD",
            "--start",
            "2015-04",
            "--end",
            "2016-03",
            "--amount",
            "50,000",
            "--activity",
            "Boat repair / 漁船修理",
            "--partner",
            "FUKUDEN: Local partner",
        ],
    );
    assert_eq!(g["donor"]["name_en"], "Tohoku Foundation");
    assert_eq!(g["phases"][0]["phase"]["start"], "2015-04");
    assert_eq!(g["phases"][0]["activities"][0]["title_ja"], "漁船修理");
    let grant = g["grant"]["id"].as_str().unwrap().to_string();
    let phase = g["phases"][0]["phase"]["id"].as_str().unwrap().to_string();
    let list = text(d, &["grant", "list"]);
    assert!(list.contains("TOTAL GRANTED: 748,709.00 USD"), "{list}");
    assert!(list.contains("April 2015 to March 2016"), "{list}");

    let p2 = ok_json(
        d,
        &[
            "phase",
            "add",
            "--grant",
            &grant,
            "--phase-title-en",
            "Year 2",
            "--start",
            "2016-04-01",
            "--end",
            "2017-03-31",
            "--amount",
            "30000",
        ],
    );
    assert_eq!(p2["phase"]["seq"], 2);
    let p2 = p2["phase"]["id"].as_str().unwrap().to_string();
    let edited = ok_json(d, &["phase", "edit", &p2, "--amount", "35000", "--summary-en", "Second year."]);
    assert_eq!(edited["phase"]["amount"]["amount"], "35000.00");
    assert_eq!(edited["phase"]["title_en"], "Year 2");

    let line = ok_json(
        d,
        &[
            "budget",
            "add",
            "--phase",
            &phase,
            "--code",
            "A1",
            "--name-en",
            "Boat parts",
            "--amount",
            "1000",
            "--currency",
            "USD",
        ],
    );
    let line_id = id(&line);
    let e = ok_json(
        d,
        &[
            "spend",
            "add",
            "--phase",
            &phase,
            "--line",
            &line_id,
            "--date",
            "2015-06-01",
            "--description",
            "Engine parts",
            "--amount",
            "1200",
            "--currency",
            "USD",
            "--receipt",
            "INV-77",
        ],
    );
    assert_eq!(e["receipt_ref"], "INV-77");
    let e_id = id(&e);
    // Outside the phase: refused at entry, nothing written.
    let err = fails(
        d,
        &[
            "spend",
            "add",
            "--phase",
            &phase,
            "--date",
            "2016-04-01",
            "--description",
            "Late",
            "--amount",
            "5",
            "--currency",
            "USD",
        ],
    );
    assert!(
        err.contains(
            "error[invalid_input]: --date: 2016-04-01 is outside the phase's period (2015-04-01 to 2016-03-31)"
        ),
        "{err}"
    );

    let budget = text(d, &["budget", "list", "--phase", &phase]);
    assert!(
        budget.contains("A1 Boat parts  budget 1,000.00 USD  spent 1,200.00 USD  remaining -200.00 USD  OVERSPENT"),
        "{budget}"
    );
    let l = ok_json(d, &["budget", "edit", &line_id, "--variance-note", "Engine prices rose"]);
    assert_eq!(l["variance_note"], "Engine prices rose");
    assert_eq!(l["overspent"], true);
    let spent = text(d, &["spend", "list", "--phase", &phase]);
    assert!(spent.contains("Engine parts  1,200.00 USD → 1,200.00 USD  receipt INV-77"), "{spent}");
    let e2 = ok_json(d, &["spend", "edit", &e_id, "--amount", "900", "--receipt", "INV-78"]);
    assert_eq!((e2["converted"]["amount"].as_str(), e2["receipt_ref"].as_str()), (Some("900.00"), Some("INV-78")));
    assert_eq!(e2["description"], "Engine parts");

    // A line with spending goes only together with it.
    let err = fails(d, &["budget", "remove", &line_id]);
    assert!(err.contains("error[conflict]") && err.contains("--with-expenditures"), "{err}");
    ok_json(d, &["budget", "remove", &line_id, "--with-expenditures"]);
    assert_eq!(ok_json(d, &["spend", "list", "--phase", &phase]), serde_json::json!([]));

    // The schedule and the due reports, on the dashboard.
    let today = chrono::Local::now().date_naive();
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let t = ok_json(d, &["tranche", "add", "--phase", &p2, "--amount", "20000", "--expected", &day(-5)]);
    assert_eq!(t["amount"]["currency"], "USD");
    let err = fails(d, &["tranche", "add", "--phase", &p2, "--amount", "20000", "--expected", &day(20)]);
    assert!(err.contains("error[invalid_input]: --amount: the instalments would total 40,000.00 USD"), "{err}");
    ok_json(d, &["due", "add", "--phase", &p2, "--due", &day(30), "--label-en", "Interim report"]);
    let dash = text(d, &["dashboard"]);
    assert!(dash.contains(&format!("Report due {} (in 30 days): Interim report — Year 2", day(30))), "{dash}");
    assert!(
        dash.contains(&format!("Tranche not received: 20,000.00 USD expected {} (overdue) — Year 2", day(-5))),
        "{dash}"
    );
    ok_json(d, &["tranche", "edit", &id(&t), "--received", &day(-1)]);
    let dash = ok_json(d, &["dashboard"]);
    assert_eq!(dash["tranches_pending"], serde_json::json!([]));
    assert_eq!(dash["reports_due"][0]["days_left"], 30);
}

#[test]
fn a_field_office_is_refused_every_grant_desk_write_and_nothing_is_written() {
    let dir = init("tono");
    let d = dir.path();
    let grants = ok_json(d, &["grant", "list"]);
    let phase = grants["grants"][0]["phases"][0]["phase"]["id"].as_str().unwrap().to_string();
    for args in [
        vec![
            "grant",
            "add",
            "--new-donor-en",
            "X",
            "--title-en",
            "X",
            "--currency",
            "USD",
            "--start",
            "2015-04",
            "--end",
            "2016-03",
            "--amount",
            "1",
        ],
        vec!["phase", "edit", &phase, "--amount", "1"],
        vec!["tranche", "add", "--phase", &phase, "--amount", "1", "--expected", "2011-04-01"],
        vec!["due", "add", "--phase", &phase, "--due", "2011-04-01", "--label-en", "X"],
        vec!["budget", "add", "--phase", &phase, "--name-en", "X", "--amount", "1", "--currency", "USD"],
    ] {
        let err = fails(d, &args);
        assert!(err.contains("error[unauthorized]"), "{args:?}: {err}");
    }
}
