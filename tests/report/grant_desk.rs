//! The phase report's finance section against HQ's grant desk: overspending
//! marked per budget line and in total, the variance explanations printed,
//! the cumulative line's axis past 100 %, and an expenditure outside the
//! phase refused at entry so that `grant list` and the PDF state the same
//! spending.

use std::path::Path;

use super::{assert_has, json, phase1, report, seeded, squeezed};
use crate::common::kizuna;

fn spend(dir: &Path, phase: &str, line: &str, date: &str, amount: &str) {
    json(
        dir,
        &[
            "spend",
            "add",
            "--phase",
            phase,
            "--line",
            line,
            "--date",
            date,
            "--description",
            "Fuel for supply runs",
            "--amount",
            amount,
            "--currency",
            "USD",
            "--receipt",
            "R-2011-17",
        ],
    );
}

fn overspent(dir: &Path) -> String {
    let p1 = phase1();
    let staff = json(
        dir,
        &[
            "budget",
            "add",
            "--phase",
            &p1,
            "--code",
            "A1",
            "--name-en",
            "Coordination staff",
            "--name-ja",
            "調整スタッフ",
            "--amount",
            "100000",
            "--currency",
            "USD",
        ],
    );
    let travel = json(
        dir,
        &[
            "budget",
            "add",
            "--phase",
            &p1,
            "--code",
            "B2",
            "--name-en",
            "Travel",
            "--name-ja",
            "旅費",
            "--amount",
            "20000",
            "--currency",
            "USD",
        ],
    );
    let (staff, travel) = (staff["id"].as_str().unwrap().to_string(), travel["id"].as_str().unwrap().to_string());
    spend(dir, &p1, &staff, "2011-05-10", "1400000");
    spend(dir, &p1, &travel, "2011-08-01", "25000.50");
    json(dir, &["budget", "edit", &travel, "--variance-note", "Fuel prices doubled after the tsunami."]);
    p1
}

#[test]
fn overspending_is_marked_per_line_and_in_total_with_its_explanation() {
    let dir = seeded();
    let p1 = overspent(dir.path());
    let (_, text) = report(dir.path(), &["phase", &p1], "over.pdf");
    assert_has(
        &text,
        &[
            // Travel: 20,000.00 − 25,000.50; staff: 100,000.00 − 1,400,000.00.
            "-5,000.50 USD OVERSPENT",
            "-1,300,000.00 USD OVERSPENT",
            // The total row: 120,000.00 − 1,425,000.50.
            "-1,305,000.50 USD OVERSPENT",
            "-1,096,291.50 USD (overspent)",
            "OVERSPENT: 2 budget line(s) overspent; total spending exceeds the budget by 1,305,000.50 USD; spending exceeds the amount granted by 1,096,291.50 USD.",
            "Variance explanations",
            "B2 Travel (旅費): Fuel prices doubled after the tsunami.",
            "A1 Coordination staff (調整スタッフ): No explanation recorded.",
            "R-2011-17",
            // 1,425,000.50 / 328,709.00 = 434 %: the share axis runs to 500 %.
            "500%",
        ],
    );
    let (_, ja) = report(dir.path(), &["phase", &p1, "--lang", "ja"], "over-ja.pdf");
    let ja = squeezed(&ja);
    for fact in ["-5,000.50USD超過", "超過支出:", "予算との差異の説明", "B2旅費:Fuelpricesdoubledafterthetsunami."]
    {
        assert!(ja.contains(fact), "missing {fact:?} from the Japanese PDF:\n{ja}");
    }
}

#[test]
fn an_expenditure_outside_the_phase_is_refused_so_grant_list_and_the_pdf_agree() {
    let dir = seeded();
    let d = dir.path();
    let p1 = phase1();
    let line =
        json(d, &["budget", "add", "--phase", &p1, "--name-en", "Staff", "--amount", "300000", "--currency", "USD"]);
    let line = line["id"].as_str().unwrap().to_string();
    spend(d, &p1, &line, "2012-03-10", "242060.50");
    let late = kizuna(
        d,
        &[
            "spend",
            "add",
            "--phase",
            &p1,
            "--line",
            &line,
            "--date",
            "2012-03-11",
            "--description",
            "After the end",
            "--amount",
            "10",
            "--currency",
            "USD",
        ],
    );
    assert!(!late.status.success());
    assert!(String::from_utf8_lossy(&late.stderr).contains("error[invalid_input]: --date"));
    let listed = json(d, &["grant", "list"]);
    assert_eq!(listed["grants"][0]["phases"][0]["spent_total"]["amount"], "242060.50");
    let (_, text) = report(d, &["phase", &p1], "agree.pdf");
    assert_has(&text, &["Spent to the end of the period 242,060.50 USD", "Unspent balance 86,648.50 USD"]);
    assert!(!text.contains("OVERSPENT"), "nothing is overspent here");
}
