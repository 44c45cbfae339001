//! Pooled relief fund benchmarks at the sizes the fund issue sets: a
//! distribution among 1,000 members (target < 20 ms) and the ledger over
//! 100,000 gifts (target < 100 ms), in one replica holding both. The ledger
//! is timed warm (the in-memory fund index built) and first after a change
//! (the index rebuilt); a distribution is timed as a dry run and written.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a bench, a panic is a failed assertion

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;
use kizuna_core::model::fund::{DistributionInput, LedgerQuery};
use kizuna_core::model::member::MemberQuery;
use kizuna_core::model::site::SiteInput;

const MEMBERS: usize = 1_000;
const DONORS: usize = 2_000;
const GIFTS: usize = 100_000;

/// 1,000 members, each with one site active in Miyagi since 2011-04-01, and
/// 100,000 gifts from 2,000 donors over the first phase.
fn replica() -> (tempfile::TempDir, Kizuna) {
    let dir = tempfile::tempdir().unwrap();
    let mut k = Kizuna::init(dir.path(), &InitOptions::default()).unwrap();
    k.demo(MEMBERS, 0, 1).unwrap();
    let mut ids = Vec::new();
    for offset in (0..MEMBERS).step_by(500) {
        let page = k.member_list(&MemberQuery { offset: Some(offset as i64), limit: Some(500), ..Default::default() });
        ids.extend(page.unwrap().rows.into_iter().map(|m| m.id));
    }
    let sites: Vec<SiteInput> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| SiteInput {
            member_id: Some(id.clone()),
            prefecture: Some("04".into()),
            municipality: Some("石巻市".into()),
            name: Some(format!("サンプル拠点 {n:04}")),
            status: Some("active".into()),
            opened_on: Some("2011-04-01".into()),
            ..Default::default()
        })
        .collect();
    k.site_add_many(&sites).unwrap();
    k.demo_fund(DONORS, GIFTS, 1).unwrap();
    (dir, k)
}

fn distribution(on: &str, dry_run: bool) -> DistributionInput {
    DistributionInput {
        amount: Some("100003".into()),
        currency: Some("JPY".into()),
        distributed_on: Some(on.into()),
        dry_run: Some(dry_run),
        ..Default::default()
    }
}

fn fund(c: &mut Criterion) {
    let (_dir, mut k) = replica();
    let ledger = k.fund_ledger(&LedgerQuery::default()).unwrap();
    assert_eq!(ledger.gifts, GIFTS as i64);
    let dry = k.distribute(&distribution("2012-03-01", true)).unwrap();
    assert_eq!((dry.shares.len(), dry.remainder), (MEMBERS, 3));

    let mut g = c.benchmark_group("fund");
    g.sample_size(20).measurement_time(Duration::from_secs(10));
    g.bench_function("ledger_100k_gifts", |b| b.iter(|| black_box(k.fund_ledger(&LedgerQuery::default()).unwrap())));
    g.bench_function("ledger_100k_gifts_one_quarter", |b| {
        let q = LedgerQuery { from: Some("2011-04-01".into()), to: Some("2011-06-30".into()) };
        b.iter(|| black_box(k.fund_ledger(&q).unwrap()))
    });
    // The first ledger after any change rebuilds the fund index: timed
    // alone, after a one-cell edit of a donor each time.
    let donor = k.donor_list(&Default::default()).unwrap().rows[0].id.clone();
    g.bench_function("ledger_100k_gifts_first_after_a_change", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for n in 0..iters {
                let edit =
                    kizuna_core::model::fund::FundDonorInput { notes: Some(format!("edit {n}")), ..Default::default() };
                k.donor_edit(&donor, &edit).unwrap();
                let started = Instant::now();
                black_box(k.fund_ledger(&LedgerQuery::default()).unwrap());
                spent += started.elapsed();
            }
            spent
        })
    });
    g.bench_function("distribution_1000_members_dry_run", |b| {
        b.iter(|| black_box(k.distribute(&distribution("2012-03-01", true)).unwrap()))
    });
    // Written: each is added to the fund index in place, so the next one's
    // balance check does not rebuild it over the 100,000 gifts.
    g.bench_function("distribution_1000_members_written", |b| {
        b.iter(|| black_box(k.distribute(&distribution("2012-03-01", false)).unwrap()))
    });
    // What HQ waits for when it records a gift and looks at the ledger.
    g.bench_function("gift_then_ledger_100k_gifts", |b| {
        b.iter(|| {
            let input = kizuna_core::model::fund::GiftInput {
                donor: Some(donor.clone()),
                received_on: Some("2011-12-24".into()),
                amount: Some("3000".into()),
                currency: Some("JPY".into()),
                ..Default::default()
            };
            k.gift_add(&input).unwrap();
            black_box(k.fund_ledger(&LedgerQuery::default()).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, fund);
criterion_main!(benches);
