//! Every write goes through the change log, one entry per written row,
//! stamped with a strictly increasing hybrid logical clock and the
//! originating office.

use kizuna_core::model::member::MemberInput;
use kizuna_core::store::{CellValue, parse_cells};

use crate::fresh;
use crate::registry::{member, site};

/// (hlc, origin, table, row id, cells) of a change-log entry.
pub type Logged = (i64, String, String, String, Vec<(String, CellValue)>);

/// Local entries in log order.
fn log(k: &kizuna_core::Kizuna) -> Vec<Logged> {
    let mut stmt = k
        .store()
        .conn()
        .prepare("SELECT hlc, origin, tbl, row_id, cells FROM change_log WHERE origin <> 'seed' ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?)))
        .unwrap()
        .map(|r| {
            let (h, o, t, id, cells) = r.unwrap();
            (h, o, t, id, parse_cells(&cells).unwrap())
        })
        .collect()
}

fn has(cells: &[(String, CellValue)], col: &str) -> bool {
    cells.iter().any(|(c, _)| c == col)
}

#[test]
fn every_write_including_deletes_is_logged_with_increasing_stamps() {
    let (_d, mut k) = fresh("tono");
    let m = k.member_add(&member("遠野の会", "Tono Group", "トオノノカイ")).unwrap();
    let after_add = log(&k);
    assert_eq!(after_add.len(), 1, "one entry for the new row");
    let (_, origin, t, r, cells) = &after_add[0];
    assert!(origin == "tono" && t == "members" && *r == m.id);
    assert!(cells.contains(&("name_ja".to_string(), CellValue::text("遠野の会"))));
    assert!(cells.iter().all(|(_, v)| !v.is_null()), "absent cells are not logged");

    k.member_edit(&m.id, &MemberInput { email: Some("a@b.jp".into()), ..Default::default() }).unwrap();
    let s = k.site_add(&site(&m.id, "Iwate", "遠野拠点")).unwrap();
    k.site_remove(&s.id).unwrap();
    let all = log(&k);
    assert_eq!(all.len(), 4, "add, edit, site add, site remove: one entry each");
    let edit = &all[1];
    assert_eq!((edit.2.as_str(), edit.3.as_str()), ("members", m.id.as_str()));
    assert_eq!(edit.4, vec![("email".to_string(), CellValue::text("a@b.jp"))], "only the changed field is logged");
    assert!(all[2].2 == "sites" && all[2].3 == s.id && has(&all[2].4, "prefecture_code"));
    assert_eq!(all[3].4, vec![("deleted".to_string(), CellValue::Integer(1))], "the delete is logged");
    assert_eq!(all[3].3, s.id);

    // One stamp per write, strictly increasing from write to write.
    let stamps: Vec<i64> = all.iter().map(|(h, ..)| *h).collect();
    assert!(stamps.windows(2).all(|w| w[0] < w[1]), "{stamps:?}");
    // Seed stamps sit below every local one.
    let seed_max: i64 =
        k.store().conn().query_row("SELECT max(hlc) FROM change_log WHERE origin = 'seed'", [], |r| r.get(0)).unwrap();
    assert!(seed_max < stamps[0]);
}

#[test]
fn a_failed_write_logs_nothing() {
    let (_d, mut k) = fresh("tono");
    let before: i64 = k.store().conn().query_row("SELECT count(*) FROM change_log", [], |r| r.get(0)).unwrap();
    assert!(k.member_add(&MemberInput { email: Some("x".into()), ..member("a", "b", "c") }).is_err());
    let after: i64 = k.store().conn().query_row("SELECT count(*) FROM change_log", [], |r| r.get(0)).unwrap();
    assert_eq!(before, after);
}

#[test]
fn domain_state_can_be_rebuilt_from_the_log() {
    let (_d, mut k) = fresh("tokyo");
    let m = k.member_add(&member("会", "Group", "カイ")).unwrap();
    k.member_edit(&m.id, &MemberInput { name_en: Some("Group 2".into()), ..Default::default() }).unwrap();
    let name: String = k
        .store()
        .conn()
        .query_row(
            "SELECT cells ->> 'name_en' FROM change_log WHERE tbl = 'members' AND row_id = ?1 AND cells ->> 'name_en' IS NOT NULL
             ORDER BY hlc DESC, origin DESC LIMIT 1",
            [&m.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, k.member_show(&m.id).unwrap().name_en);
}
