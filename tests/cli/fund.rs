//! The pooled relief fund through the CLI: donors, gifts, a distribution
//! and a conversion, with the ledger checked against hand-computed values;
//! refusals that leave the database byte for byte unchanged.

use std::path::Path;

use serde_json::Value;

use crate::common::kizuna;
use crate::{db_fingerprint, init, ok_json, stderr};

fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_string()
}

/// The ledger's line for one currency as "opening | gifts | conv in | conv out | distributed | closing".
fn line(ledger: &Value, currency: &str) -> String {
    let c = ledger["currencies"].as_array().unwrap().iter().find(|c| c["currency"] == currency).unwrap();
    ["opening", "gifts_in", "converted_in", "converted_out", "distributed_out", "closing"]
        .iter()
        .map(|k| c[*k]["amount"].as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn gift(dir: &Path, donor: &str, date: &str, amount: &str, currency: &str) -> Value {
    ok_json(dir, &["gift", "add", "--donor", donor, "--date", date, "--amount", amount, "--currency", currency])
}

#[test]
fn the_fund_ledger_through_the_cli_matches_hand_counts() {
    let dir = init("tokyo");
    let d = dir.path();
    let members: Vec<String> = ["A", "B", "C"]
        .iter()
        .map(|n| {
            let m = ok_json(d, &["member", "add", "--name-ja", &format!("{n}の会"), "--name-en", n]);
            m["member_no"].as_str().unwrap().to_string()
        })
        .collect();
    let yamada = id(&ok_json(d, &["donor", "add", "--name-ja", "山田 太郎", "--reading", "やまだ たろう"]));
    let corp = id(&ok_json(d, &["donor", "add", "--kind", "organisation", "--name-en", "Sample Corp"]));
    let found = ok_json(d, &["donor", "list", "--search", "ヤマダ"]);
    assert_eq!((found["total"].as_i64(), found["rows"][0]["id"].as_str()), (Some(1), Some(yamada.as_str())));

    let first = gift(d, &yamada, "2011-03-20", "10,000", "JPY");
    assert_eq!(first["receipt_no"], "R2011-000001");
    assert_eq!(gift(d, &corp, "2011-04-01", "1000.25", "USD")["receipt_no"], "R2011-000002");
    gift(d, &yamada, "2011-04-15", "5000", "JPY");

    // ¥10 over three members: 4/3/3; the dry run writes nothing.
    let before = db_fingerprint(d);
    let dry = ok_json(
        d,
        &[
            "fund",
            "distribute",
            "--amount",
            "10",
            "--currency",
            "JPY",
            "--date",
            "2011-05-01",
            "--members",
            &members.join(","),
            "--dry-run",
        ],
    );
    assert_eq!(dry["id"], Value::Null);
    assert_eq!(db_fingerprint(d), before);
    let dist = ok_json(
        d,
        &[
            "fund",
            "distribute",
            "--amount",
            "10",
            "--currency",
            "JPY",
            "--date",
            "2011-05-01",
            "--members",
            &members.join(","),
        ],
    );
    let parts: Vec<&str> =
        dist["shares"].as_array().unwrap().iter().map(|s| s["amount"]["amount"].as_str().unwrap()).collect();
    assert_eq!(parts, ["4", "3", "3"]);
    assert_eq!(dist["shares"][0]["member_no"].as_str(), Some(members[0].as_str()));
    // $1,000.25 → ¥80,020 at 80 (1,000.25 × 80 = 80,020).
    let conv = ok_json(
        d,
        &[
            "fund",
            "convert",
            "--date",
            "2011-06-01",
            "--amount",
            "1000.25",
            "--from",
            "USD",
            "--to",
            "JPY",
            "--rate",
            "80",
        ],
    );
    assert_eq!(conv["to"]["amount"], "80020");

    let all = ok_json(d, &["fund", "ledger"]);
    assert_eq!(line(&all, "JPY"), "0 | 15000 | 80020 | 0 | 10 | 95010");
    assert_eq!(line(&all, "USD"), "0.00 | 1000.25 | 0.00 | 1000.25 | 0.00 | 0.00");
    assert_eq!((all["donors"].as_i64(), all["gifts"].as_i64()), (Some(2), Some(3)));
    let received: Vec<(&str, &str)> = all["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["member_no"].as_str().unwrap(), m["received"][0]["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(received, [(members[0].as_str(), "4"), (members[1].as_str(), "3"), (members[2].as_str(), "3")]);
    // April alone: opening ¥10,000, one yen and one dollar gift by two donors.
    let april = ok_json(d, &["fund", "ledger", "--from", "2011-04-01", "--to", "2011-04-30"]);
    assert_eq!(line(&april, "JPY"), "10000 | 5000 | 0 | 0 | 0 | 15000");
    assert_eq!(line(&april, "USD"), "0.00 | 1000.25 | 0.00 | 0.00 | 0.00 | 1000.25");
    assert_eq!((april["donors"].as_i64(), april["gifts"].as_i64()), (Some(2), Some(2)));
    assert!(april["members"].as_array().unwrap().is_empty());

    // Human output shows exact money with its currency.
    let out = kizuna(d, &["fund", "ledger"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("95,010 JPY") && text.contains("1,000.25 USD"), "{text}");
    let totals =
        ok_json(d, &["fund", "totals", "--from", "2011-03-11", "--to", "2012-03-10", "--usd-per-jpy", "0.0125"]);
    // $1,000.25 + ¥15,000 × 0.0125 = 1,000.25 + 187.50.
    assert_eq!((totals["donors"].as_i64(), totals["usd_total"]["amount"].as_str()), (Some(2), Some("1187.75")));
}

#[test]
fn refused_fund_commands_change_nothing() {
    let dir = init("tokyo");
    let d = dir.path();
    let m = ok_json(d, &["member", "add", "--name-ja", "甲の会", "--name-en", "Ko"]);
    let donor = id(&ok_json(d, &["donor", "add", "--name-ja", "山田"]));
    gift(d, &donor, "2011-04-01", "1000", "JPY");
    let before = db_fingerprint(d);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["gift", "add", "--donor", &donor, "--date", "2011-04-02", "--amount", "-5", "--currency", "JPY"],
            "amount",
        ),
        (
            vec!["gift", "add", "--donor", &donor, "--date", "2011-04-02", "--amount", "1.234", "--currency", "USD"],
            "amount",
        ),
        (
            vec!["gift", "add", "--donor", &donor, "--date", "2011-04-02", "--amount", "10.5", "--currency", "JPY"],
            "amount",
        ),
        (
            vec![
                "fund",
                "distribute",
                "--amount",
                "1001",
                "--currency",
                "JPY",
                "--date",
                "2011-05-01",
                "--members",
                m["id"].as_str().unwrap(),
            ],
            "amount",
        ),
    ];
    for (args, field) in cases {
        let mut full = vec!["--json"];
        full.extend_from_slice(&args);
        let out = kizuna(d, &full);
        assert!(!out.status.success(), "{args:?} should fail");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["error"]["code"], "invalid_input", "{args:?}: {}", stderr(&out));
        assert_eq!(v["error"]["field"], field, "{args:?}");
        assert_eq!(db_fingerprint(d), before, "{args:?} changed the database");
    }
    let out = kizuna(
        d,
        &[
            "fund",
            "distribute",
            "--amount",
            "1001",
            "--currency",
            "JPY",
            "--date",
            "2011-05-01",
            "--members",
            m["id"].as_str().unwrap(),
        ],
    );
    assert!(stderr(&out).contains("1,000 JPY"), "the refusal states the balance: {}", stderr(&out));

    // A field office reads the (empty) fund but may not write it.
    let field = init("tono");
    let f = field.path();
    let before = db_fingerprint(f);
    let out = kizuna(
        f,
        &["--json", "gift", "add", "--donor", "x", "--date", "2011-04-02", "--amount", "5", "--currency", "JPY"],
    );
    assert!(!out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["code"], "unauthorized");
    assert_eq!(db_fingerprint(f), before);
    assert_eq!(ok_json(f, &["gift", "list"])["total"].as_i64(), Some(0));
}
