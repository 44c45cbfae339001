//! Every write goes through the change log, stamped with a strictly
//! increasing hybrid logical clock and the originating office.

use kizuna_core::model::member::MemberInput;

use crate::fresh;
use crate::registry::{member, site};

fn log(k: &kizuna_core::Kizuna) -> Vec<(i64, String, String, String, String)> {
    let mut stmt = k
        .store()
        .conn()
        .prepare("SELECT hlc, origin, tbl, row_id, col FROM change_log WHERE origin <> 'seed' ORDER BY seq")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn every_write_including_deletes_is_logged_with_increasing_stamps() {
    let (_d, mut k) = fresh("tono");
    let m = k.member_add(&member("遠野の会", "Tono Group", "トオノノカイ")).unwrap();
    let after_add = log(&k);
    assert!(after_add.iter().any(|(_, _, t, r, c)| t == "members" && *r == m.id && c == "name_ja"));
    assert!(after_add.iter().all(|(_, o, ..)| o == "tono"));

    k.member_edit(&m.id, &MemberInput { email: Some("a@b.jp".into()), ..Default::default() }).unwrap();
    let s = k.site_add(&site(&m.id, "Iwate", "遠野拠点")).unwrap();
    k.site_remove(&s.id).unwrap();
    let all = log(&k);
    let edit: Vec<_> = all.iter().filter(|(_, _, t, _, c)| t == "members" && c == "email").collect();
    assert_eq!(edit.len(), 1, "only the changed field is logged");
    assert!(all.iter().any(|(_, _, t, r, c)| t == "sites" && *r == s.id && c == "deleted"), "the delete is logged");

    // One stamp per write, strictly increasing from write to write.
    let mut stamps: Vec<i64> = all.iter().map(|(h, ..)| *h).collect();
    stamps.dedup();
    assert_eq!(stamps.len(), 4, "add, edit, site add, site remove");
    assert!(stamps.windows(2).all(|w| w[0] < w[1]), "{stamps:?}");
    // Seed stamps sit below every local one.
    let seed_max: i64 = k.store().conn().query_row("SELECT max(hlc) FROM change_log WHERE origin = 'seed'", [], |r| r.get(0)).unwrap();
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
            "SELECT value FROM change_log WHERE tbl = 'members' AND row_id = ?1 AND col = 'name_en' ORDER BY hlc DESC, origin DESC LIMIT 1",
            [&m.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, k.member_show(&m.id).unwrap().name_en);
}
