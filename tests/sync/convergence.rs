//! The convergence property: four replicas (HQ, which is also the hub, and
//! three offices) make random edits and exchange them by bundles (dropped,
//! duplicated, reordered) and over HTTP in random order. After a final full
//! exchange every replica's export is byte-identical, a reference model of
//! the merge rule agrees on every cell, and a fifth replica fed every change
//! one at a time through the single-entry `Writer::apply`, in a shuffled
//! order (whole and split into single cells), is identical too (the batched merge keeps the same semantics).
//!
//! Attendance at one meeting is edited too, through the API as people do:
//! offices add and remove attendees concurrently, and an attendee that two
//! offices record apart from each other is one record on every replica.
//!
//! `KIZUNA_SYNC_CASES` sets the number of cases (default 100; thousands for
//! a nightly run).

use std::collections::BTreeMap;

use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;
use kizuna_core::hlc::Stamp;
use kizuna_core::model::meeting::{AttendInput, MeetingInput};
use kizuna_core::model::member::MemberInput;
use kizuna_core::store::{CellValue, Entry, parse_cells};
use kizuna_core::sync::{self, HubOptions, SyncConfig, bundle, keys};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use crate::net::*;

const ROWS: usize = 5;
const COLS: [&str; 4] = ["name", "notes", "latitude", "status"];

#[derive(Debug, Clone)]
enum Op {
    Insert {
        at: usize,
        row: usize,
        v: u8,
    },
    Update {
        at: usize,
        row: usize,
        col: usize,
        v: u8,
    },
    Delete {
        at: usize,
        row: usize,
    },
    /// A bundle written (full, or since the last one for `to`) and put in flight.
    Export {
        from: usize,
        to: usize,
        since_last: bool,
    },
    /// An office records a member as attending the shared meeting, or removes them.
    Attend {
        at: usize,
        who: usize,
        present: bool,
    },
    /// An in-flight bundle delivered; it stays in flight, so it may come again.
    Deliver {
        pick: usize,
        to: usize,
    },
    /// An office syncs with the hub over HTTP.
    Http {
        office: usize,
    },
    /// The adversary forges: alters an in-flight bundle's entry
    /// and carries it on as its own bundle (kind 0), stamps a change with an
    /// honest office's origin (kind 1), or pushes such a change to the hub
    /// (kind 2). Nothing forged may ever reach an honest replica.
    Forge {
        kind: u8,
        pick: usize,
        to: usize,
        row: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..4usize, 0..ROWS, any::<u8>()).prop_map(|(at, row, v)| Op::Insert { at, row, v }),
        5 => (0..4usize, 0..ROWS, 0..COLS.len(), any::<u8>()).prop_map(|(at, row, col, v)| Op::Update { at, row, col, v }),
        1 => (0..4usize, 0..ROWS).prop_map(|(at, row)| Op::Delete { at, row }),
        3 => (0..4usize, 0..4usize, any::<bool>()).prop_map(|(from, to, since_last)| Op::Export { from, to, since_last }),
        4 => (any::<usize>(), 0..4usize).prop_map(|(pick, to)| Op::Deliver { pick, to }),
        2 => (1..4usize).prop_map(|office| Op::Http { office }),
        3 => (0..4usize, 0..ATTENDEES, any::<bool>()).prop_map(|(at, who, present)| Op::Attend { at, who, present }),
        2 => (0..3u8, any::<usize>(), 0..4usize, 0..ROWS).prop_map(|(kind, pick, to, row)| Op::Forge { kind, pick, to, row }),
    ]
}

fn value(col: usize, v: u8) -> CellValue {
    match COLS[col] {
        "latitude" => CellValue::Real(38.0 + f64::from(v) / 100.0),
        "status" => CellValue::text(["active", "closed", "planned"][usize::from(v) % 3]),
        c => CellValue::text(format!("{c}-{v}")),
    }
}

/// An in-flight bundle with the first site name in its payload altered,
/// carried on under the adversary's own signature (None if it has none).
fn alter(b: &[u8], by: &keys::Identity, certs: Vec<keys::Cert>) -> Option<Vec<u8>> {
    let mut lines = b.splitn(4, |c| *c == b'\n');
    let (_, manifest, _, payload) = (lines.next()?, lines.next()?, lines.next()?, lines.next()?);
    let manifest: bundle::Manifest = serde_json::from_slice(manifest).ok()?;
    let text = std::str::from_utf8(payload).ok()?;
    let at = text.find("\"name\":\"")? + "\"name\":\"".len();
    let altered = format!("{}forged-{}", &text[..at], &text[at..]);
    let (entries, heads) = (manifest.entries, manifest.heads);
    Some(bundle::seal_payload(by, certs, heads, altered.into_bytes(), entries, 0, 1, false).unwrap())
}

/// The merge rule, stated directly: per cell, the highest (hlc, origin).
#[derive(Default)]
struct Model {
    cells: BTreeMap<(String, &'static str), (Stamp, String, CellValue)>,
}

impl Model {
    fn record(&mut self, row: &str, col: &'static str, stamp: Stamp, origin: &str, v: CellValue) {
        let e = self.cells.entry((row.to_string(), col)).or_insert((Stamp(0), String::new(), CellValue::Null));
        if (stamp, origin) > (e.0, e.1.as_str()) {
            *e = (stamp, origin.to_string(), v);
        }
    }
}

/// Members the random schedule records as attending; two more are kept for
/// the final concurrent check.
const ATTENDEES: usize = 4;

const OFFICES: [&str; 4] = ["tokyo", "tono", "fukushima", "sendai"];

fn row_id(row: usize) -> String {
    format!("0190a000-0000-7000-8000-00000000000{row}")
}

fn live(r: &Replica, id: &str) -> Option<bool> {
    r.k.store()
        .conn()
        .query_row("SELECT deleted FROM sites WHERE id = ?1", [id], |x| x.get::<_, i64>(0))
        .ok()
        .map(|d| d == 0)
}

fn run_case(ops: Vec<Op>, shuffle_seed: u64) -> Result<(), TestCaseError> {
    let mut hq = hq();
    let mut reps = vec![];
    for o in &OFFICES[1..] {
        reps.push(join(&mut hq, o));
    }
    reps.insert(0, hq);
    // The adversary holds Sendai's key (a compromised machine) and forges
    // changes of the other offices; every replica, Sendai's own included,
    // stays honest.
    let mallory_id = keys::identity(reps[3].k.store().conn(), "sendai").unwrap().expect("enrolled");
    let hub = sync::serve(reps[0].dir.path(), "127.0.0.1:0", HubOptions { tls: false, ..HubOptions::default() })
        .expect("serve");
    let url = hub.url();
    let cfg = SyncConfig::default();
    let mut model = Model::default();
    let mut flight: Vec<Vec<u8>> = Vec::new();

    // HQ records six members and a meeting; every office receives them.
    let members: Vec<String> = (0..ATTENDEES + 2)
        .map(|n| {
            let m = MemberInput {
                name_ja: Some(format!("会員{n}")),
                name_en: Some(format!("Member {n}")),
                ..Default::default()
            };
            reps[0].k.member_add(&m).expect("member").id
        })
        .collect();
    let meeting = reps[0]
        .k
        .meeting_add(&MeetingInput {
            held_on: Some("2012-03-11".into()),
            topic_ja: Some("情報共有会議".into()),
            ..Default::default()
        })
        .expect("meeting")
        .meeting
        .id;
    for rep in &mut reps[1..4] {
        rep.k.sync_with_hub(&url, &cfg, &mut |_| {}).expect("first sync");
    }

    for op in ops {
        match op {
            Op::Insert { at, row, v } => {
                let id = row_id(row);
                if live(&reps[at], &id).is_some() {
                    continue;
                }
                let cells = [("name", value(0, v)), ("status", value(3, v))];
                let stamp = reps[at].k.store_mut().write(|w| w.insert("sites", &id, &cells)).expect("insert");
                for (c, val) in cells {
                    model.record(&id, c, stamp, OFFICES[at], val);
                }
            }
            Op::Update { at, row, col, v } => {
                let id = row_id(row);
                if live(&reps[at], &id) != Some(true) {
                    continue;
                }
                let val = value(col, v);
                let stamp = reps[at]
                    .k
                    .store_mut()
                    .write(|w| w.update("sites", &id, &[(COLS[col], val.clone())]))
                    .expect("update");
                if let Some(s) = stamp {
                    model.record(&id, COLS[col], s, OFFICES[at], val);
                }
            }
            Op::Delete { at, row } => {
                let id = row_id(row);
                if live(&reps[at], &id) != Some(true) {
                    continue;
                }
                let s = reps[at].k.store_mut().write(|w| w.delete("sites", &id)).expect("delete");
                model.record(&id, "deleted", s, OFFICES[at], CellValue::Integer(1));
            }
            Op::Attend { at, who, present } => {
                let k = &mut reps[at].k;
                let here = k
                    .meeting_show(&meeting)
                    .expect("meeting")
                    .attendees
                    .iter()
                    .any(|a| a.member_id.as_ref() == Some(&members[who]));
                if present {
                    let input = AttendInput { members: Some(vec![members[who].clone()]), ..Default::default() };
                    k.meeting_attend(&meeting, &input).expect("attend");
                } else if here {
                    k.meeting_unattend(&meeting, &members[who]).expect("unattend");
                }
            }
            Op::Export { from, to, since_last } => {
                let (b, _) = reps[from].k.sync_export(since_last.then_some(OFFICES[to])).expect("export");
                flight.push(b);
            }
            Op::Deliver { pick, to } => {
                if flight.is_empty() {
                    continue;
                }
                let b = &flight[pick % flight.len()];
                reps[to].k.sync_import(b, &cfg).expect("import");
            }
            Op::Http { office } => {
                reps[office].k.sync_with_hub(&url, &cfg, &mut |_| {}).expect("http sync");
            }
            Op::Forge { kind, pick, to, row } => {
                let certs = keys::certs(reps[0].k.store().conn()).unwrap();
                let forged = match kind {
                    0 if !flight.is_empty() => {
                        let Some(b) = alter(&flight[pick % flight.len()], &mallory_id, certs) else { continue };
                        b
                    }
                    _ => {
                        let e = Entry {
                            hlc: Stamp::from_parts(kizuna_core::hlc::system_millis(), 0),
                            origin: OFFICES[to % 3].into(),
                            table: "sites".into(),
                            row_id: row_id(row),
                            cells: vec![("name".into(), CellValue::text(format!("forged-{pick}")))],
                        };
                        bundle::seal(&mallory_id, certs, &[e], 0, 1, false).unwrap()
                    }
                };
                if kind == 2 {
                    let (status, body) = crate::hub::call(&url, &mallory_id, "POST", "/v1/push", &forged, false);
                    prop_assert!(status == 401 || status == 400, "forged push answered {}: {}", status, body);
                } else {
                    let _ = reps[to].k.sync_import(&forged, &cfg);
                }
            }
        }
    }
    // Concurrent attendance, unsynced in between: Tono and Fukushima each
    // record one member, and both record a third. Both edits survive, and
    // the member both recorded is one attendance, not two.
    let [only_tono, shared] = [&members[ATTENDEES], &members[ATTENDEES + 1]];
    for (at, who) in [(1, only_tono), (1, shared), (2, shared)] {
        let input = AttendInput { members: Some(vec![who.clone()]), ..Default::default() };
        reps[at].k.meeting_attend(&meeting, &input).expect("attend");
    }
    // Final full exchange: every office with the hub, twice round.
    for _ in 0..2 {
        for rep in &mut reps[1..4] {
            let r = rep.k.sync_with_hub(&url, &cfg, &mut |_| {}).expect("final sync");
            prop_assert!(r.digests_match);
        }
    }
    hub.stop();
    // The running digest (kept by the writer) never drifts from a full scan.
    for r in &reps {
        let c = r.k.store().conn();
        prop_assert_eq!(sync::hub::digest(c).unwrap(), sync::hub::scan_digest(c).unwrap(), "on {}", r.k.office_code());
    }

    for r in &reps {
        let attendees = r.k.meeting_show(&meeting).expect("meeting").attendees;
        for who in [only_tono, shared] {
            let n = attendees.iter().filter(|a| a.member_id.as_ref() == Some(who)).count();
            prop_assert_eq!(n, 1, "member {} attends {} times on {}", who, n, r.k.office_code());
        }
    }

    let dumps: Vec<String> = reps.iter().map(dump).collect();
    for (i, d) in dumps.iter().enumerate() {
        prop_assert!(!d.contains("forged-"), "a forgery reached {}", OFFICES[i]);
    }
    for (i, d) in dumps.iter().enumerate().skip(1) {
        prop_assert!(d == &dumps[0], "replica {} differs from HQ", OFFICES[i]);
    }
    for ((row, col), (_, _, v)) in &model.cells {
        for r in &reps {
            prop_assert_eq!(&cell(r, row, col), v, "{}.{} on {}", row, col, r.k.office_code());
        }
    }
    for row in 0..ROWS {
        let id = row_id(row);
        if !model.cells.contains_key(&(id.clone(), "name")) {
            prop_assert!(live(&reps[0], &id).is_none(), "row {} exists but was never written", id);
        }
    }

    // The single-entry reference path, in a shuffled order, twice over:
    // every entry whole, and every cell of it again as an entry of its own
    // (as a log converted from per-cell form holds them), so that copies of
    // an entry carrying different cells are united.
    let whole: Vec<Entry> = {
        let c = reps[0].k.store().conn();
        let mut q = c.prepare("SELECT hlc, origin, tbl, row_id, cells FROM change_log").unwrap();
        q.query_map([], |r| Ok((Stamp(r.get(0)?), r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, String>(4)?)))
            .unwrap()
            .map(|r| {
                let (hlc, origin, table, row_id, cells) = r.unwrap();
                Entry { hlc, origin, table, row_id, cells: parse_cells(&cells).unwrap() }
            })
            .collect()
    };
    let split: Vec<Entry> = whole
        .iter()
        .flat_map(|e| e.cells.iter().map(|(c, v)| Entry { cells: vec![(c.clone(), v.clone())], ..e.clone() }))
        .collect();
    let all: Vec<Entry> = whole.into_iter().chain(split.iter().cloned()).collect();
    let mut order: Vec<usize> = (0..all.len()).chain(0..all.len() / 3).collect();
    let mut x = shuffle_seed | 1;
    for i in (1..order.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        order.swap(i, (x % (i as u64 + 1)) as usize);
    }
    let dir = tempfile::tempdir().unwrap();
    let mut reference =
        Kizuna::init(dir.path(), &InitOptions { office: Some("tokyo".into()), empty: Some(true) }).unwrap();
    reference
        .store_mut()
        .write(|w| {
            for &i in &order {
                w.apply(&all[i])?;
            }
            Ok(())
        })
        .unwrap();
    prop_assert!(reference.export_json().unwrap() == dumps[0], "one-at-a-time apply differs from the batched merge");
    let c = reference.store().conn();
    prop_assert_eq!(sync::hub::digest(c).unwrap(), sync::hub::scan_digest(c).unwrap(), "on the one-at-a-time replica");
    prop_assert_eq!(sync::hub::digest(c).unwrap(), sync::hub::digest(reps[0].k.store().conn()).unwrap());

    // The batched merge of the split cells, in two shuffled batches, unites
    // them into the same entries.
    let dir = tempfile::tempdir().unwrap();
    let mut united =
        Kizuna::init(dir.path(), &InitOptions { office: Some("tokyo".into()), empty: Some(true) }).unwrap();
    let shuffled: Vec<Entry> = order.iter().filter(|&&i| i < all.len()).map(|&i| all[i].clone()).collect();
    let (a, b) = shuffled.split_at(shuffled.len() / 2);
    for batch in [a, b] {
        united.store_mut().write(|w| w.apply_batch(batch).map(|_| ())).unwrap();
    }
    prop_assert!(united.export_json().unwrap() == dumps[0], "batched merge of split entries differs");
    let c = united.store().conn();
    prop_assert_eq!(sync::hub::digest(c).unwrap(), sync::hub::scan_digest(c).unwrap(), "on the united replica");
    prop_assert_eq!(sync::hub::digest(c).unwrap(), sync::hub::digest(reps[0].k.store().conn()).unwrap());
    Ok(())
}

#[test]
fn four_replicas_and_a_hub_converge_under_random_schedules() {
    let cases = std::env::var("KIZUNA_SYNC_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(100);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    runner.run(&(prop::collection::vec(op(), 1..40), any::<u64>()), |(ops, seed)| run_case(ops, seed)).unwrap();
}

/// Batches of thousands of rows are planned on a second thread while the
/// first writes (rows of a table with no entries yet), or merged against the
/// stored entries (rows of a table that has some). Both must agree with the
/// one-at-a-time reference, including entries that extend stored copies.
#[test]
fn large_batches_planned_on_a_second_thread_merge_like_one_at_a_time() {
    let base = kizuna_core::hlc::system_millis() - 3_600_000;
    let stamp = |ms: i64, n: i64| Stamp::from_parts(base + ms, n);
    let entry = |hlc: Stamp, origin: &str, row: usize, cells: Vec<(&str, CellValue)>| Entry {
        hlc,
        origin: origin.into(),
        table: "sites".into(),
        row_id: format!("0190d000-0000-7000-8000-{row:012}"),
        cells: cells.into_iter().map(|(c, v)| (c.to_string(), v)).collect(),
    };
    let first = |row: usize| {
        let cells = vec![
            ("name", text(&format!("拠点 {row}"))),
            ("status", text("active")),
            ("prefecture_code", text(["03", "04", "07"][row % 3])),
            ("latitude", CellValue::Real(38.0 + row as f64 / 1e4)),
        ];
        entry(stamp(row as i64 * 3, 0), "tono", row, cells)
    };
    // Batch A, into an empty table: every row's first entry (half of them
    // with only two of its cells), a newer name from Sendai on every third
    // row, an older status and a note from Fukushima on every fifth.
    let mut a = Vec::new();
    for row in 0..6_000 {
        let mut e = first(row);
        if row % 2 == 0 {
            e.cells.truncate(2);
        }
        a.push(e);
        if row % 3 == 0 {
            a.push(entry(stamp(row as i64 * 3 + 1, 0), "sendai", row, vec![("name", text(&format!("Sendai {row}")))]));
        }
        if row % 5 == 0 {
            let cells = vec![("status", text("closed")), ("notes", text(&format!("note {row}")))];
            a.push(entry(stamp(row as i64 * 3 - 1_000, 0), "fukushima", row, cells));
        }
    }
    // Batch B, into a table that has entries now: the whole first entries
    // (extending the stored halves), deletions from HQ on every seventh row,
    // a stale name on every eleventh, and 1,000 rows never seen.
    let mut b = Vec::new();
    for row in 0..7_000 {
        if row >= 6_000 || row % 2 == 0 {
            b.push(first(row));
        }
        if row % 7 == 0 && row < 6_000 {
            b.push(entry(stamp(row as i64 * 3 + 2, 0), "tokyo", row, vec![("deleted", CellValue::Integer(1))]));
        }
        if row % 11 == 0 {
            b.push(entry(stamp(row as i64 * 3 - 5_000, 0), "sendai", row, vec![("name", text("stale"))]));
        }
    }
    b.reverse();
    let replica = || {
        let dir = tempfile::tempdir().unwrap();
        let k = Kizuna::init(dir.path(), &InitOptions { office: Some("tokyo".into()), empty: Some(true) }).unwrap();
        (dir, k)
    };
    let (_d1, mut batched) = replica();
    for batch in [&a, &b] {
        let stats = batched.store_mut().write(|w| w.apply_batch(batch)).unwrap();
        assert!(stats.new > 0);
    }
    let (_d2, mut reference) = replica();
    reference
        .store_mut()
        .write(|w| {
            for e in a.iter().chain(&b) {
                w.apply(e)?;
            }
            Ok(())
        })
        .unwrap();
    assert!(
        batched.export_json().unwrap() == reference.export_json().unwrap(),
        "batched merge differs from one at a time"
    );
    let (c, r) = (batched.store().conn(), reference.store().conn());
    assert_eq!(sync::hub::digest(c).unwrap(), sync::hub::scan_digest(c).unwrap());
    assert_eq!(sync::hub::digest(c).unwrap(), sync::hub::digest(r).unwrap());
    let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM sites"), 7_000);
    assert_eq!(count("SELECT count(*) FROM sites WHERE deleted = 1"), 858);
    assert_eq!(count("SELECT count(*) FROM sites WHERE name LIKE 'Sendai %'"), 2_000);
    // Search keys are those a local write gives (the site search reads them).
    let stale: i64 = c
        .query_row(
            "SELECT count(*) FROM sites s, sites t WHERE s.id = t.id AND s.search_key IS NOT kz_fold(
                 coalesce(t.name, '') || ' ' || coalesce(t.name_en, '') || ' ' || coalesce(t.municipality, '') || ' ' || coalesce(t.address, ''))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stale, 0, "rows whose search key is not their folded search columns");
}
