//! Donation matching through the CLI with `--json`: the computers scenario
//! from offer to delivery, refusals that name the field and change no
//! byte, conflicts (none here) and the figures of a period.

use std::path::Path;

use serde_json::Value;

use crate::common::kizuna;
use crate::{db_fingerprint, init, ok_json};

fn id(v: &Value) -> String {
    v["id"].as_str().expect("an id").to_string()
}

fn refused(dir: &Path, args: &[&str]) -> Value {
    let mut full = vec!["--json"];
    full.extend_from_slice(args);
    let out = kizuna(dir, &full);
    assert!(!out.status.success(), "kizuna {args:?} should fail");
    serde_json::from_slice::<Value>(&out.stdout).expect("JSON error")["error"].clone()
}

#[test]
fn an_offer_of_fifty_computers_serves_twenty_at_a_miyagi_site_and_shows_thirty_remaining() {
    let dir = init("tokyo");
    let d = dir.path();
    let m = ok_json(d, &["member", "add", "--name-ja", "石巻支援の会", "--name-en", "Ishinomaki Support"]);
    let s = ok_json(
        d,
        &[
            "site",
            "add",
            "--member",
            &id(&m),
            "--prefecture",
            "Miyagi",
            "--municipality",
            "石巻市",
            "--name",
            "石巻避難所",
            "--lat",
            "38.434",
            "--lon",
            "141.303",
        ],
    );
    let offer = ok_json(
        d,
        &[
            "offer",
            "add",
            "--source-name",
            "株式会社サンプル",
            "--source-kind",
            "company",
            "--category",
            "computers",
            "--quantity",
            "50",
            "--unit",
            "台",
            "--prefecture",
            "13",
            "--offered",
            "2011-04-01",
        ],
    );
    let offer_id = id(&offer["offer"]);
    assert_eq!(
        (offer["offer"]["remaining"].as_i64(), offer["offer"]["source_label"].as_str()),
        (Some(50), Some("株式会社サンプル"))
    );
    ok_json(
        d,
        &[
            "offer",
            "add",
            "--source-name",
            "Small",
            "--category",
            "computers",
            "--quantity",
            "5",
            "--prefecture",
            "27",
            "--offered",
            "2011-04-01",
        ],
    );
    let need = ok_json(
        d,
        &[
            "need",
            "add",
            "--site",
            &id(&s),
            "--category",
            "computers",
            "--quantity",
            "20",
            "--urgency",
            "high",
            "--raised",
            "2011-05-01",
        ],
    );
    let need_id = id(&need["need"]);
    assert_eq!(need["need"]["member_id"], m["id"]);
    assert_eq!(need["need"]["prefecture_code"], "04");

    let found = ok_json(d, &["need", "suggest", &need_id, "--on", "2011-05-01"]);
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0]["offer"]["id"].as_str(), Some(offer_id.as_str()));
    assert_eq!(found[0]["quantity"], 20);
    assert_eq!(found[0]["reasons"][1]["code"], "covers_all");
    assert_eq!(found[0]["reasons"][0]["code"], "elsewhere");
    assert!(found[0]["text_en"].as_str().unwrap().contains("covers all 20"));
    assert!(found[0]["score"].as_f64().unwrap() > found[1]["score"].as_f64().unwrap());
    let back = ok_json(d, &["offer", "suggest", &offer_id, "--on", "2011-05-01"]);
    assert_eq!(back[0]["need"]["id"].as_str(), Some(need_id.as_str()));

    let proposed = ok_json(d, &["match", "propose", "--offer", &offer_id, "--need", &need_id, "--date", "2011-05-02"]);
    let match_id = id(&proposed);
    assert_eq!((proposed["status"].as_str(), proposed["quantity"].as_i64()), (Some("proposed"), Some(20)));
    let accepted = ok_json(d, &["match", "accept", &match_id, "--date", "2011-05-03"]);
    assert_eq!((accepted["status"].as_str(), accepted["accepted_by_code"].as_str()), (Some("accepted"), Some("tokyo")));
    let delivered = ok_json(d, &["match", "deliver", &match_id, "--quantity", "20", "--date", "2011-05-10"]);
    assert_eq!((delivered["status"].as_str(), delivered["delivered_quantity"].as_i64()), (Some("delivered"), Some(20)));
    let shown = ok_json(d, &["offer", "show", &offer_id]);
    assert_eq!(shown["offer"]["remaining"], 30);
    assert_eq!(shown["offer"]["delivered"], 20);
    assert_eq!(shown["matches"][0]["id"].as_str(), Some(match_id.as_str()));
    assert_eq!(ok_json(d, &["need", "show", &need_id])["need"]["remaining"], 0);
    assert_eq!(ok_json(d, &["match", "list", "--status", "delivered"])["total"], 1);
    assert_eq!(ok_json(d, &["match", "conflicts"]).as_array().unwrap().len(), 0);
    assert_eq!(ok_json(d, &["offer", "list", "--category", "computers", "--open"])["total"], 2);

    let stats = ok_json(d, &["matching", "stats", "--from", "2011-03-11", "--to", "2012-03-10"]);
    assert_eq!((stats["offers"].as_i64(), stats["deliveries"].as_i64()), (Some(2), Some(1)));
    assert_eq!(stats["days_to_delivery_mean"], "9");
    let pcs = stats["by_category"].as_array().unwrap().iter().find(|c| c["category"] == "computers").unwrap().clone();
    assert_eq!((pcs["offered_quantity"].as_i64(), pcs["delivered_quantity"].as_i64()), (Some(55), Some(20)));
    assert_eq!(stats["by_member"][0]["quantity"], 20);
    assert_eq!(stats["by_member"][0]["unit"], "台");

    // A second delivery of the same match is refused, naming the status.
    let err = refused(d, &["match", "deliver", &match_id]);
    assert_eq!((err["code"].as_str(), err["field"].as_str()), (Some("invalid_input"), Some("status")));
}

#[test]
fn refused_matching_commands_name_the_field_and_change_no_byte() {
    let dir = init("sendai");
    let d = dir.path();
    let m = ok_json(d, &["member", "add", "--name-ja", "会", "--name-en", "Group"]);
    let offer = ok_json(d, &["offer", "add", "--source-name", "X", "--category", "maps", "--quantity", "3"]);
    let offer_id = id(&offer["offer"]);
    let need = ok_json(d, &["need", "add", "--member", &id(&m), "--category", "maps", "--quantity", "2"]);
    let need_id = id(&need["need"]);
    let before = db_fingerprint(d);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["offer", "add", "--source-name", "X", "--category", "bicycles", "--quantity", "3"], "category"),
        (vec!["offer", "add", "--source-name", "X", "--category", "maps", "--quantity", "0"], "quantity"),
        (vec!["need", "add", "--site", "no-such-site", "--category", "maps", "--quantity", "2"], "site"),
        (vec!["need", "add", "--member", "ghost", "--category", "maps", "--quantity", "2"], "member"),
        (vec!["match", "propose", "--offer", &offer_id, "--need", &need_id, "--quantity", "4"], "quantity"),
        (vec!["match", "propose", "--offer", "nope", "--need", &need_id], "offer"),
        (vec!["offer", "edit", &offer_id, "--category", "   "], "category"),
    ];
    for (args, field) in cases {
        let err = refused(d, &args);
        assert_eq!(
            (err["code"].as_str(), err["field"].as_str()),
            (Some("invalid_input"), Some(field)),
            "{args:?}: {err}"
        );
        assert_eq!(db_fingerprint(d), before, "{args:?} changed the database");
    }
}
