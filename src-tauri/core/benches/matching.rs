//! Donation matching benchmarks at the size the matching issue sets:
//! suggestions for one need among 100,000 offers (target < 50 ms, warm: the
//! in-memory matching index built), the reverse (needs for one offer among
//! 2,000), the first suggestion after a change (the index rebuilt), and a
//! coordinator's step: accepting a match and listing the suggestions again
//! (the index moved in place by the match's own steps).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a bench, a panic is a failed assertion

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;
use kizuna_core::model::matching::{MatchProposal, MatchStep, NeedQuery, OfferInput, OfferQuery};
use kizuna_core::model::suggestion::SuggestionQuery;

const MEMBERS: usize = 200;
const OFFERS: usize = 100_000;
const NEEDS: usize = 2_000;

fn replica() -> (tempfile::TempDir, Kizuna) {
    let dir = tempfile::tempdir().unwrap();
    let mut k = Kizuna::init(dir.path(), &InitOptions::default()).unwrap();
    k.demo(MEMBERS, 0, 1).unwrap();
    let s = k.demo_matching(OFFERS, NEEDS, 1).unwrap();
    assert_eq!((s.offers_added, s.needs_added), (OFFERS as i64, NEEDS as i64));
    (dir, k)
}

fn matching(c: &mut Criterion) {
    let (_dir, mut k) = replica();
    let need = k.need_list(&NeedQuery { limit: Some(1), ..Default::default() }).unwrap().rows[0].id.clone();
    let offer = k.offer_list(&OfferQuery { limit: Some(1), ..Default::default() }).unwrap().rows[0].id.clone();
    let q = SuggestionQuery { limit: Some(10), on: Some("2013-03-11".into()) };
    let first = k.need_suggest(&need, &q).unwrap();
    assert_eq!(first.len(), 10, "a need of any category finds ten offers among 100k");

    let mut g = c.benchmark_group("matching");
    g.sample_size(30).measurement_time(Duration::from_secs(8));
    g.bench_function("suggest_offers_for_one_need_among_100k", |b| {
        b.iter(|| black_box(k.need_suggest(&need, &q).unwrap()))
    });
    g.bench_function("suggest_needs_for_one_offer_among_2k", |b| {
        b.iter(|| black_box(k.offer_suggest(&offer, &q).unwrap()))
    });
    // Propose and accept one unit of the top offer, then suggest again;
    // the match is cancelled after the timing so the need never runs out.
    g.bench_function("accept_then_suggest_among_100k", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let top = k.need_suggest(&need, &q).unwrap()[0].offer.id.clone();
                let started = std::time::Instant::now();
                let p = MatchProposal {
                    offer: Some(top),
                    need: Some(need.clone()),
                    quantity: Some(1),
                    on: Some("2013-03-11".into()),
                    notes: None,
                };
                let m = k.match_propose(&p).unwrap();
                let step = MatchStep { on: Some("2013-03-11".into()), ..Default::default() };
                k.match_accept(&m.id, &step).unwrap();
                black_box(k.need_suggest(&need, &q).unwrap());
                spent += started.elapsed();
                k.match_cancel(&m.id, &step).unwrap();
            }
            spent
        })
    });
    g.sample_size(10);
    g.bench_function("suggest_first_after_a_change", |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for n in 0..iters {
                let edit = OfferInput { conditions: Some(format!("edit {n}")), ..Default::default() };
                k.offer_edit(&offer, &edit).unwrap();
                let started = std::time::Instant::now();
                black_box(k.need_suggest(&need, &q).unwrap());
                spent += started.elapsed();
            }
            spent
        })
    });
    g.finish();
}

criterion_group!(benches, matching);
criterion_main!(benches);
