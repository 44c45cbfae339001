//! The fund's receipts and annual statements: the `kizuna` binary writes
//! them, `pdftotext` reads them back; both languages, the Japanese name, the
//! amount, number and date are checked in the text, and the same records
//! give the same bytes. The phase report's fund section states its figures
//! beside the reported ones.

use serde_json::Value;

use super::{assert_has, json, ok, pdf_text, phase1, report, seeded, squeezed};

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

#[test]
fn a_receipt_states_number_date_donor_and_amount_in_both_languages() {
    let dir = seeded();
    let d = dir.path();
    // No consent to be named in reports: the donor's own receipt names them all the same.
    let donor =
        id(&json(d, &["donor", "add", "--name-ja", "山田 太郎", "--name-en", "Taro Yamada", "--consent", "false"]));
    json(d, &["gift", "add", "--donor", &donor, "--date", "2011-03-20", "--amount", "10000", "--currency", "JPY"]);
    let second = json(
        d,
        &[
            "gift",
            "add",
            "--donor",
            &donor,
            "--date",
            "2011-04-05",
            "--amount",
            "1234.50",
            "--currency",
            "USD",
            "--channel",
            "card",
        ],
    );
    assert_eq!(second["receipt_no"], "R2011-000002");
    let file = d.join("receipt.pdf");
    ok(d, &["gift", "receipt", "R2011-000002", "--out", file.to_str().unwrap()]);
    let text = pdf_text(&file);
    assert_has(
        &text,
        &[
            "Receipt",
            "R2011-000002",
            "Date received",
            "April 5, 2011",
            "Taro Yamada",
            "1,234.50 USD",
            "Credit card",
            "We acknowledge with thanks",
        ],
    );
    let flat = squeezed(&text);
    for ja in [
        "領収書",
        "領収書番号",
        "受領日",
        "2011年4月5日",
        "山田太郎",
        "寄付者",
        "クレジットカード",
        "確かに受領いたしました",
    ] {
        assert!(flat.contains(ja), "missing {ja}: {text}");
    }
    // The same records give the same bytes.
    let again = d.join("again.pdf");
    ok(d, &["gift", "receipt", &id(&second), "--out", again.to_str().unwrap()]);
    assert_eq!(std::fs::read(&file).unwrap(), std::fs::read(&again).unwrap());
    // Another gift's receipt differs.
    let first = d.join("first.pdf");
    ok(d, &["gift", "receipt", "R2011-000001", "--out", first.to_str().unwrap()]);
    assert_ne!(std::fs::read(&file).unwrap(), std::fs::read(&first).unwrap());
    assert_has(&pdf_text(&first), &["R2011-000001", "10,000 JPY", "March 20, 2011", "Bank transfer"]);
}

#[test]
fn an_annual_statement_lists_the_years_gifts_with_totals_per_currency() {
    let dir = seeded();
    let d = dir.path();
    let donor = id(&json(d, &["donor", "add", "--name-ja", "鈴木 花子", "--name-en", "Hanako Suzuki"]));
    for (date, amount, currency) in [
        ("2011-03-20", "10000", "JPY"),
        ("2011-08-01", "2500", "JPY"),
        ("2011-09-09", "99.99", "USD"),
        ("2012-01-05", "7777", "JPY"),
    ] {
        json(d, &["gift", "add", "--donor", &donor, "--date", date, "--amount", amount, "--currency", currency]);
    }
    let file = d.join("statement.pdf");
    let out = json(d, &["gift", "statement", "--donor", &donor, "--year", "2011", "--out", file.to_str().unwrap()]);
    assert_eq!(out["gifts"], 3);
    let text = pdf_text(&file);
    assert_has(
        &text,
        &["Annual statement of gifts 2011", "Hanako Suzuki", "R2011-000001", "R2011-000003", "12,500 JPY", "99.99 USD"],
    );
    assert!(!text.contains("7,777"), "a gift of another year is not listed: {text}");
    let flat = squeezed(&text);
    for ja in ["寄付明細書", "鈴木花子", "合計", "受領日"] {
        assert!(flat.contains(ja), "missing {ja}: {text}");
    }
    let again = d.join("again.pdf");
    ok(d, &["gift", "statement", "--donor", &donor, "--year", "2011", "--out", again.to_str().unwrap()]);
    assert_eq!(std::fs::read(&file).unwrap(), std::fs::read(&again).unwrap());
}

#[test]
fn phase_report_states_the_fund_figures_beside_the_reported_ones() {
    let dir = seeded();
    let d = dir.path();
    let a = id(&json(d, &["donor", "add", "--name-ja", "山田"]));
    let b = id(&json(d, &["donor", "add", "--name-ja", "鈴木"]));
    // In phase 1 (2011-03-11 – 2012-03-10): 2 donors, 3 gifts; one gift after it.
    json(d, &["gift", "add", "--donor", &a, "--date", "2011-03-20", "--amount", "10000", "--currency", "JPY"]);
    json(d, &["gift", "add", "--donor", &a, "--date", "2011-05-20", "--amount", "1500.50", "--currency", "USD"]);
    json(d, &["gift", "add", "--donor", &b, "--date", "2011-06-01", "--amount", "5000", "--currency", "JPY"]);
    json(d, &["gift", "add", "--donor", &b, "--date", "2012-06-01", "--amount", "3000", "--currency", "JPY"]);
    let (_, text) = report(d, &["phase", &phase1()], "phase.pdf");
    assert_has(
        &text,
        &[
            "5. Pooled relief fund",
            "Donors who gave in the period",
            "2 donors",
            "over 1,500 donors",
            "1,500.50 USD",
            "over 1,000,000 USD",
            "15,000 JPY",
        ],
    );
}
