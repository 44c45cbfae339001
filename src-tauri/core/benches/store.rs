//! Store benchmarks: inserting 100k sites through the mutation path (change
//! log included), then listing one page of a prefecture and a kana search.
//! Each runs on an encrypted database (the default) and, suffixed
//! `_unencrypted`, on a plain one: what encryption at rest costs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // in a test, a panic is a failed assertion

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use kizuna_core::Kizuna;
use kizuna_core::api::InitOptions;
use kizuna_core::model::member::{MemberInput, MemberQuery};
use kizuna_core::model::site::{SiteInput, SiteQuery};
use kizuna_core::store::AtRest;

const SITES: usize = 100_000;
const TOWNS: [(&str, &str); 6] =
    [("04", "石巻市"), ("04", "気仙沼市"), ("03", "釜石市"), ("03", "宮古市"), ("07", "いわき市"), ("07", "南相馬市")];

const MODES: [(AtRest, &str); 2] = [(AtRest::Encrypted, ""), (AtRest::Plain, "_unencrypted")];

fn fresh(at_rest: AtRest) -> (tempfile::TempDir, Kizuna, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut k = Kizuna::init_at_rest(dir.path(), &InitOptions::default(), at_rest).expect("init");
    let members = (0..100)
        .map(|i| {
            k.member_add(&MemberInput {
                name_ja: Some(format!("ベンチ会{i:03}")),
                name_en: Some(format!("Bench Group {i:03}")),
                reading: Some(format!("ベンチカイ{i:03}")),
                ..Default::default()
            })
            .expect("member")
            .id
        })
        .collect();
    (dir, k, members)
}

fn sites(members: &[String]) -> Vec<SiteInput> {
    (0..SITES)
        .map(|i| {
            let (pref, town) = TOWNS[i % TOWNS.len()];
            SiteInput {
                member_id: Some(members[i % members.len()].clone()),
                prefecture: Some(pref.into()),
                municipality: Some(town.into()),
                name: Some(format!("ひなんじょ{i:06}")),
                name_en: Some(format!("Shelter {i:06}")),
                sectors: Some(vec!["shelter".into()]),
                opened_on: Some("2011-03-20".into()),
                ..Default::default()
            }
        })
        .collect()
}

fn insert(c: &mut Criterion) {
    let mut g = c.benchmark_group("store");
    g.sample_size(10).measurement_time(Duration::from_secs(40)).warm_up_time(Duration::from_secs(1));
    for (at_rest, suffix) in MODES {
        g.bench_function(format!("insert_100k_sites_with_change_log{suffix}"), |b| {
            b.iter_batched(
                || {
                    let (dir, k, members) = fresh(at_rest);
                    let batch = sites(&members);
                    (dir, k, batch)
                },
                |(dir, mut k, batch)| {
                    black_box(k.site_add_many(&batch).expect("insert"));
                    (dir, k)
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

fn queries(c: &mut Criterion) {
    for (at_rest, suffix) in MODES {
        queries_on(c, at_rest, suffix);
    }
}

fn queries_on(c: &mut Criterion, at_rest: AtRest, suffix: &str) {
    let (_dir, mut k, members) = fresh(at_rest);
    k.site_add_many(&sites(&members)).expect("insert");
    let mut g = c.benchmark_group(format!("query_100k_sites{suffix}"));
    g.bench_function("prefecture_page", |b| {
        b.iter(|| {
            let page = k
                .site_list(&SiteQuery {
                    prefecture: Some("Miyagi".into()),
                    offset: Some(2_000),
                    limit: Some(50),
                    ..Default::default()
                })
                .expect("page");
            assert_eq!(page.rows.len(), 50);
            black_box(page)
        })
    });
    g.bench_function("kana_search", |b| {
        // Katakana query against hiragana names: found only through folding.
        b.iter(|| {
            let page = k
                .site_list(&SiteQuery { search: Some("ヒナンジョ04213".into()), ..Default::default() })
                .expect("search");
            assert_eq!(page.total, 10);
            black_box(page)
        })
    });
    g.bench_function("kana_search_in_prefecture", |b| {
        b.iter(|| {
            let page = k
                .site_list(&SiteQuery {
                    prefecture: Some("宮城県".into()),
                    search: Some("ﾋﾅﾝｼﾞｮ".into()),
                    ..Default::default()
                })
                .expect("search");
            black_box(page)
        })
    });
    g.bench_function("member_search", |b| {
        b.iter(|| {
            black_box(
                k.member_list(&MemberQuery { search: Some("べんちかい05".into()), ..Default::default() })
                    .expect("members"),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, insert, queries);
criterion_main!(benches);
