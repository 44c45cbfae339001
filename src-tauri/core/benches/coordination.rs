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
use kizuna_core::model::mailing::{ListExportRequest, ListFormat};
use kizuna_core::model::meeting::{CoordinationQuery, MeetingQuery};

const MEMBERS: usize = 500;
const MEETINGS: usize = 10_000;
const ATTENDEES: usize = 30;
const CONTACTS: usize = 50_000;

/// A replica with 500 members, 10k meetings of 30 attendees and 50k
/// contacts all on one list: the demo data set, written one transaction per
/// table as a sync would.
fn replica() -> (tempfile::TempDir, Kizuna, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut k = Kizuna::init(dir.path(), &InitOptions::default()).unwrap();
    k.demo(MEMBERS, 0, 1).unwrap();
    let demo = k.demo_coordination(MEETINGS, ATTENDEES, CONTACTS, 1).unwrap();
    assert_eq!(demo.attendances_added, (MEETINGS * ATTENDEES) as i64);
    (dir, k, demo.list_id.unwrap())
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
    let first = k.meeting_list(&MeetingQuery { limit: Some(1), ..Default::default() }).unwrap().rows[0].id.clone();
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
    // Exports run as the CLI runs them (the core's default page cache); the
    // keystroke queries below with the window's.
    let exported = k.list_export(&ListExportRequest { list_id: list.clone(), format: None, contacts: None }).unwrap();
    assert_eq!(exported.exported + exported.skipped_bounced, CONTACTS as i64);
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
    // A keystroke's query, for the first key typed (it matches every row)
    // and the whole search (a few rows), with the window's page cache; and
    // the exports as the window runs them (the export widens the cache for
    // itself, and each one starts from the small cache the window keeps).
    k.set_page_cache_kib(2_048).unwrap();
    for (format, name) in [
        (ListFormat::Csv, "list_export_50k_contacts_csv_from_the_window"),
        (ListFormat::Vcard, "list_export_50k_contacts_vcard_from_the_window"),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let req = ListExportRequest { list_id: list.clone(), format: Some(format), contacts: None };
                black_box(k.list_export(&req).unwrap())
            })
        });
    }
    for (name, typed) in
        [("meeting_list_keystroke_10k_first_key", "サ"), ("meeting_list_keystroke_10k", "サンプル会場 7")]
    {
        g.bench_function(name, |b| {
            b.iter(|| {
                let q = MeetingQuery { search: Some(typed.into()), limit: Some(50), ..Default::default() };
                black_box(k.meeting_list(&q).unwrap())
            })
        });
    }
    for (name, typed) in [("contact_list_keystroke_50k_first_key", "た"), ("contact_list_keystroke_50k", "ﾀﾝﾄｳｼｬ0421")]
    {
        g.bench_function(name, |b| {
            b.iter(|| {
                let q = DirectoryQuery { search: Some(typed.into()), limit: Some(50), ..Default::default() };
                black_box(k.contact_list(&q).unwrap())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, coordination);
criterion_main!(benches);
