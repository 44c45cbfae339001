//! Coordination benchmarks at the sizes the coordination issue sets:
//! meeting statistics over 10,000 meetings of 30 attendees (target < 50 ms),
//! exporting a list of 50,000 contacts (target < 500 ms), and the
//! keystroke-to-rows queries of the meeting and contact lists at those sizes
//! (target < 50 ms). The statistics are timed warm (the in-memory
//! attendance index built) and first after a change (the index rebuilt).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a bench, a panic is a failed assertion

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;
use kizuna_core::model::directory::DirectoryQuery;
use kizuna_core::model::mailing::{ListExportRequest, ListFormat, MailingListInput};
use kizuna_core::model::meeting::{CoordinationQuery, MeetingQuery};
use kizuna_core::store::CellValue;

const MEMBERS: usize = 500;
const ORGANISATIONS: usize = 200;
const MEETINGS: usize = 10_000;
const ATTENDEES: usize = 30;
const CONTACTS: usize = 50_000;

fn id(kind: u8, n: usize) -> String {
    format!("0190b000-0000-7000-8{kind:03}-{n:012}")
}

/// A replica with the registry, 10k meetings of 30 attendees, 50k contacts
/// all on one list; written in one transaction per table, as a sync would.
fn replica() -> (tempfile::TempDir, Kizuna, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut k = Kizuna::init(dir.path(), &InitOptions::default()).unwrap();
    let offices: Vec<String> = k.office_list().unwrap().into_iter().map(|o| o.id).collect();
    k.store_mut()
        .write(|w| {
            for m in 0..MEMBERS {
                w.insert(
                    "members",
                    &id(1, m),
                    &[
                        ("member_no", CellValue::text(format!("TKY-{m:04}"))),
                        ("name_ja", CellValue::text(format!("ベンチ会{m:03}"))),
                        ("name_en", CellValue::text(format!("Bench Group {m:03}"))),
                        ("reading", CellValue::text(format!("べんちかい{m:03}"))),
                        ("status", CellValue::text("active")),
                        ("prefectures", CellValue::text(r#"["04"]"#)),
                    ],
                )?;
            }
            for o in 0..ORGANISATIONS {
                w.insert(
                    "organisations",
                    &id(2, o),
                    &[
                        ("name_ja", CellValue::text(format!("株式会社ベンチ{o:03}"))),
                        ("kind", CellValue::text(if o % 2 == 0 { "company" } else { "municipality" })),
                    ],
                )?;
            }
            for m in 0..MEETINGS {
                let day = chrono::NaiveDate::from_ymd_opt(2011, 4, 1).unwrap() + chrono::Days::new((m % 1_400) as u64);
                w.insert(
                    "meetings",
                    &id(3, m),
                    &[
                        ("held_on", CellValue::text(day.to_string())),
                        ("office_id", CellValue::text(&offices[m % offices.len()])),
                        ("prefecture_code", CellValue::text(["03", "04", "07"][m % 3])),
                        ("kind", CellValue::text("information_sharing")),
                        ("topic_ja", CellValue::text(format!("情報共有会議 第{m}回"))),
                        ("venue", CellValue::text(format!("石巻市役所 会議室{}", m % 20))),
                    ],
                )?;
                for a in 0..ATTENDEES {
                    let row = id(4, m * ATTENDEES + a);
                    let who = if a < 25 {
                        ("member_id", CellValue::text(id(1, (m * 7 + a) % MEMBERS)))
                    } else {
                        ("organisation_id", CellValue::text(id(2, (m + a) % ORGANISATIONS)))
                    };
                    w.insert("meeting_attendance", &row, &[("meeting_id", CellValue::text(id(3, m))), who])?;
                }
            }
            Ok(())
        })
        .unwrap();
    let list = k
        .list_add(&MailingListInput {
            name_ja: Some("東北支援情報".into()),
            name_en: Some("Tohoku update".into()),
            description: None,
        })
        .unwrap()
        .id;
    k.store_mut()
        .write(|w| {
            for c in 0..CONTACTS {
                let org = if c % 3 == 0 {
                    ("member_id", CellValue::text(id(1, c % MEMBERS)))
                } else {
                    ("organisation_id", CellValue::text(id(2, c % ORGANISATIONS)))
                };
                w.insert(
                    "contacts",
                    &id(5, c),
                    &[
                        ("name_ja", CellValue::text(format!("山田 花子{c:05}"))),
                        ("reading", CellValue::text(format!("やまだ はなこ{c:05}"))),
                        ("role", CellValue::text("事務局長")),
                        ("email", CellValue::text(format!("hanako{c:05}@example.org"))),
                        ("phone", CellValue::text("022-123-4567")),
                        ("prefecture_code", CellValue::text("04")),
                        org,
                    ],
                )?;
                w.insert(
                    "subscriptions",
                    &id(6, c),
                    &[
                        ("list_id", CellValue::text(&list)),
                        ("contact_id", CellValue::text(id(5, c))),
                        ("subscribed_on", CellValue::text("2011-05-01")),
                        ("bounced", CellValue::Integer(i64::from(c % 100 == 0))),
                    ],
                )?;
            }
            Ok(())
        })
        .unwrap();
    (dir, k, list)
}

fn coordination(c: &mut Criterion) {
    let (_dir, mut k, list) = replica();
    let stats =
        k.coordination_stats(&CoordinationQuery { to: Some("2015-12-31".into()), ..Default::default() }).unwrap();
    assert_eq!((stats.meetings, stats.meetings_with_attendance), (MEETINGS as i64, MEETINGS as i64));
    assert_eq!(stats.organisations_mean.map(|d| d.to_string()).as_deref(), Some("30"));

    let mut g = c.benchmark_group("coordination");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    g.bench_function("meeting_stats_10k_meetings_30_attendees", |b| {
        b.iter(|| {
            let q = CoordinationQuery { to: Some("2015-12-31".into()), ..Default::default() };
            black_box(k.coordination_stats(&q).unwrap())
        })
    });
    // The first figures after any change rebuild the in-memory attendance
    // index: timed alone, after a one-cell edit each time.
    let first = id(3, 0);
    g.bench_function("meeting_stats_first_after_a_change", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for n in 0..iters {
                let edit = kizuna_core::model::meeting::MeetingInput {
                    head_count: Some(n as i64 % 100),
                    ..Default::default()
                };
                k.meeting_edit(&first, &edit).unwrap();
                let started = std::time::Instant::now();
                let q = CoordinationQuery { to: Some("2015-12-31".into()), ..Default::default() };
                black_box(k.coordination_stats(&q).unwrap());
                spent += started.elapsed();
            }
            spent
        })
    });
    g.bench_function("meeting_stats_one_office_one_year", |b| {
        b.iter(|| {
            let q = CoordinationQuery {
                from: Some("2012-01-01".into()),
                to: Some("2012-12-31".into()),
                office: Some("tono".into()),
                ..Default::default()
            };
            black_box(k.coordination_stats(&q).unwrap())
        })
    });
    g.bench_function("meeting_list_keystroke_10k", |b| {
        b.iter(|| {
            let q = MeetingQuery { search: Some("かいぎしつ7".into()), limit: Some(50), ..Default::default() };
            black_box(k.meeting_list(&q).unwrap())
        })
    });
    g.bench_function("contact_list_keystroke_50k", |b| {
        b.iter(|| {
            let q = DirectoryQuery { search: Some("ﾊﾅｺ0421".into()), limit: Some(50), ..Default::default() };
            black_box(k.contact_list(&q).unwrap())
        })
    });
    let exported = k.list_export(&ListExportRequest { list_id: list.clone(), format: None, contacts: None }).unwrap();
    assert_eq!(exported.exported, (CONTACTS - CONTACTS / 100) as i64);
    for (format, name) in
        [(ListFormat::Csv, "list_export_50k_contacts_csv"), (ListFormat::Vcard, "list_export_50k_contacts_vcard")]
    {
        g.bench_function(name, |b| {
            b.iter(|| {
                let req = ListExportRequest { list_id: list.clone(), format: Some(format), contacts: None };
                black_box(k.list_export(&req).unwrap())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, coordination);
criterion_main!(benches);
