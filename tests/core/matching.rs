//! Donation matching through the core API: offers, needs, suggestions with
//! their reasons, the steps of a match, refusals that write nothing, and the
//! figures of a period against hand counts.

use kizuna_core::model::matching::{
    MatchProposal, MatchQuery, MatchStep, MatchingQuery, NeedInput, OfferInput, OfferQuery,
};
use kizuna_core::model::member::MemberInput;
use kizuna_core::model::site::SiteInput;
use kizuna_core::model::suggestion::{ReasonCode, SuggestionQuery};
use kizuna_core::{Error, Kizuna};
use rust_decimal::Decimal;

use crate::fresh;

fn member(k: &mut Kizuna, name: &str) -> String {
    k.member_add(&MemberInput {
        name_ja: Some(format!("{name}の会")),
        name_en: Some(format!("{name} Association")),
        ..Default::default()
    })
    .unwrap()
    .id
}

fn site(k: &mut Kizuna, member: &str, pref: &str, town: &str, point: Option<(f64, f64)>) -> String {
    k.site_add(&SiteInput {
        member_id: Some(member.into()),
        prefecture: Some(pref.into()),
        municipality: Some(town.into()),
        name: Some(format!("{town} 拠点")),
        latitude: point.map(|p| p.0.to_string()),
        longitude: point.map(|p| p.1.to_string()),
        ..Default::default()
    })
    .unwrap()
    .id
}

/// An offer from a named company; `point` optional.
fn offer(k: &mut Kizuna, category: &str, quantity: i64, pref: &str, town: &str, point: Option<(f64, f64)>) -> String {
    k.offer_add(&OfferInput {
        source_name: Some("株式会社サンプル".into()),
        source_kind: Some("company".into()),
        category: Some(category.into()),
        quantity: Some(quantity),
        unit: Some("台".into()),
        prefecture: Some(pref.into()),
        municipality: Some(town.into()),
        latitude: point.map(|p| p.0.to_string()),
        longitude: point.map(|p| p.1.to_string()),
        offered_on: Some("2011-04-01".into()),
        ..Default::default()
    })
    .unwrap()
    .offer
    .id
}

fn need(member: &str, category: &str, quantity: i64, urgency: &str, raised: &str) -> NeedInput {
    NeedInput {
        member: Some(member.into()),
        category: Some(category.into()),
        quantity: Some(quantity),
        urgency: Some(urgency.into()),
        raised_on: Some(raised.into()),
        ..Default::default()
    }
}

fn on(day: &str) -> SuggestionQuery {
    SuggestionQuery { limit: None, on: Some(day.into()) }
}

fn step(day: &str) -> MatchStep {
    MatchStep { on: Some(day.into()), ..Default::default() }
}

fn propose(k: &mut Kizuna, offer: &str, need: &str, quantity: Option<i64>) -> String {
    k.match_propose(&MatchProposal {
        offer: Some(offer.into()),
        need: Some(need.into()),
        quantity,
        on: Some("2011-05-02".into()),
        notes: None,
    })
    .unwrap()
    .id
}

fn field_of(e: Error) -> String {
    e.field().unwrap_or_else(|| panic!("no field in {e}")).to_string()
}

const ISHINOMAKI: (f64, f64) = (38.434, 141.303);
const SENDAI: (f64, f64) = (38.268, 140.872);
const FUKUSHIMA: (f64, f64) = (37.760, 140.474);

#[test]
fn fifty_computers_in_tokyo_serve_twenty_needed_at_a_miyagi_site_and_thirty_remain() {
    let (_d, mut k) = fresh("tokyo");
    let m = member(&mut k, "石巻");
    let s = site(&mut k, &m, "Miyagi", "石巻市", Some(ISHINOMAKI));
    let tokyo = offer(&mut k, "computers", 50, "13", "千代田区", None);
    // Distractors: too few in Osaka, the wrong category in Miyagi itself,
    // gone before the need was raised, and nothing left.
    let osaka = offer(&mut k, "computers", 5, "27", "大阪市", None);
    offer(&mut k, "maps", 50, "04", "石巻市", Some(ISHINOMAKI));
    let gone = k
        .offer_add(&OfferInput {
            source_name: Some("Early donor".into()),
            category: Some("computers".into()),
            quantity: Some(100),
            prefecture: Some("04".into()),
            offered_on: Some("2011-03-20".into()),
            available_until: Some("2011-04-30".into()),
            ..Default::default()
        })
        .unwrap()
        .offer
        .id;

    let n = k
        .need_add(&NeedInput {
            site: Some(s.clone()),
            category: Some("パソコン".into()),
            quantity: Some(20),
            unit: Some("台".into()),
            urgency: Some("high".into()),
            raised_on: Some("2011-05-01".into()),
            ..Default::default()
        })
        .unwrap()
        .need;
    // The site gave the member, the place and the point.
    assert_eq!((n.member_id.as_deref(), n.prefecture_code.as_deref()), (Some(m.as_str()), Some("04")));
    assert_eq!(
        (n.municipality.as_deref(), n.latitude, n.longitude),
        (Some("石巻市"), Some(ISHINOMAKI.0), Some(ISHINOMAKI.1))
    );
    assert_eq!(n.category, "computers");

    let found = k.need_suggest(&n.id, &on("2011-05-01")).unwrap();
    let ids: Vec<&str> = found.iter().map(|s| s.offer.id.as_str()).collect();
    assert_eq!(ids, [tokyo.as_str(), osaka.as_str()], "{found:#?}");
    assert!(!ids.contains(&gone.as_str()));
    let top = &found[0];
    assert_eq!(top.quantity, 20);
    let codes: Vec<ReasonCode> = top.reasons.iter().map(|r| r.code).collect();
    assert_eq!(
        codes,
        [
            ReasonCode::Elsewhere,
            ReasonCode::CoversAll,
            ReasonCode::Urgent,
            ReasonCode::OfferedDaysAgo,
            ReasonCode::RaisedDaysAgo
        ]
    );
    let covers = &top.reasons[1];
    assert_eq!((covers.quantity, covers.of), (Some(20), Some(20)));
    assert_eq!(top.reasons[3].value, Some(30.0), "offered 2011-04-01, 30 days before");
    assert!(top.text_en.contains("covers all 20 台 needed"), "{}", top.text_en);
    assert!(top.text_ja.contains("すべて満たす"), "{}", top.text_ja);
    // 5 (elsewhere) + 30 (all) + 12 (high) + 5*30/90 + 0.
    assert!((top.score - 48.67).abs() < 0.01, "{}", top.score);

    // Accept the top suggestion for what it offers, deliver all 20.
    let id = propose(&mut k, &top.offer.id, &n.id, None);
    assert_eq!(k.match_show(&id).unwrap().quantity, 20);
    assert_eq!(k.offer_show(&tokyo).unwrap().offer.remaining, 50, "a proposal commits nothing");
    let accepted = k.match_accept(&id, &step("2011-05-03")).unwrap();
    assert_eq!((accepted.status.as_str(), accepted.accepted_by_code.as_deref()), ("accepted", Some("tokyo")));
    assert_eq!(k.offer_show(&tokyo).unwrap().offer.remaining, 30);
    let delivered =
        k.match_deliver(&id, &MatchStep { on: Some("2011-05-10".into()), quantity: Some(20), notes: None }).unwrap();
    assert_eq!((delivered.status.as_str(), delivered.delivered_quantity), ("delivered", Some(20)));
    let shown = k.offer_show(&tokyo).unwrap();
    assert_eq!((shown.offer.remaining, shown.offer.committed, shown.offer.delivered), (30, 20, 20));
    assert_eq!(shown.matches.len(), 1);
    let met = k.need_show(&n.id).unwrap().need;
    assert_eq!((met.remaining, met.delivered), (0, 20));
    assert!(k.need_suggest(&n.id, &on("2011-05-10")).unwrap().is_empty(), "a need met gets no suggestions");
    // Open offers: the 30 left in Tokyo, not the one that expired.
    let open =
        k.offer_list(&OfferQuery { open_only: Some(true), category: Some("computers".into()), ..Default::default() });
    let open: Vec<String> = open.unwrap().rows.into_iter().map(|o| o.id).collect();
    assert!(open.contains(&tokyo) && !open.contains(&gone), "{open:?}");
}

#[test]
fn a_nearer_offer_outranks_a_farther_one_and_tiers_stand_in_without_points() {
    let (_d, mut k) = fresh("sendai");
    let m = member(&mut k, "石巻");
    let far = offer(&mut k, "tableware", 100, "07", "福島市", Some(FUKUSHIMA));
    let near = offer(&mut k, "tableware", 100, "04", "仙台市", Some(SENDAI));
    let mut input = need(&m, "tableware", 40, "normal", "2011-05-01");
    input.prefecture = Some("04".into());
    input.municipality = Some("石巻市".into());
    input.latitude = Some(ISHINOMAKI.0.to_string());
    input.longitude = Some(ISHINOMAKI.1.to_string());
    let n = k.need_add(&input).unwrap().need.id;
    let found = k.need_suggest(&n, &on("2011-05-01")).unwrap();
    assert_eq!(found.iter().map(|s| s.offer.id.clone()).collect::<Vec<_>>(), [near.clone(), far.clone()]);
    let km = |i: usize| found[i].reasons[0].value.unwrap();
    assert_eq!(found[0].reasons[0].code, ReasonCode::DistanceKm);
    assert!((35.0..45.0).contains(&km(0)), "Sendai–Ishinomaki {}", km(0));
    assert!((95.0..115.0).contains(&km(1)), "Fukushima–Ishinomaki {}", km(1));

    // Without points: the same municipality, then the same prefecture, then elsewhere.
    let (_d2, mut k) = fresh("sendai");
    let m = member(&mut k, "石巻");
    let elsewhere = offer(&mut k, "maps", 10, "03", "遠野市", None);
    let prefecture = offer(&mut k, "maps", 10, "04", "仙台市", None);
    let town = offer(&mut k, "maps", 10, "04", "石巻市", None);
    let mut input = need(&m, "maps", 10, "normal", "2011-05-01");
    input.prefecture = Some("宮城県".into());
    input.municipality = Some("石巻市".into());
    let n = k.need_add(&input).unwrap().need.id;
    let found = k.need_suggest(&n, &on("2011-05-01")).unwrap();
    let ids: Vec<String> = found.iter().map(|s| s.offer.id.clone()).collect();
    assert_eq!(ids, [town, prefecture, elsewhere]);
    let codes: Vec<ReasonCode> = found.iter().map(|s| s.reasons[0].code).collect();
    assert_eq!(codes, [ReasonCode::SameMunicipality, ReasonCode::SamePrefecture, ReasonCode::Elsewhere]);
    // A limit keeps the best.
    let one = k.need_suggest(&n, &SuggestionQuery { limit: Some(1), on: Some("2011-05-01".into()) }).unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].offer.id, ids[0]);
}

#[test]
fn a_critical_need_ranks_first_among_an_offers_suggestions_and_scores_agree_both_ways() {
    let (_d, mut k) = fresh("tono");
    let m = member(&mut k, "遠野");
    let o = offer(&mut k, "mobile_phones", 30, "03", "遠野市", None);
    let mut ids = Vec::new();
    for urgency in ["low", "normal", "critical", "high"] {
        let mut input = need(&m, "mobile_phones", 10, urgency, "2011-05-01");
        input.prefecture = Some("03".into());
        input.municipality = Some("遠野市".into());
        ids.push(k.need_add(&input).unwrap().need.id);
    }
    let found = k.offer_suggest(&o, &on("2011-05-01")).unwrap();
    let ranked: Vec<&str> = found.iter().map(|s| s.need.id.as_str()).collect();
    assert_eq!(ranked, [ids[2].as_str(), ids[3].as_str(), ids[1].as_str(), ids[0].as_str()]);
    assert!((found[0].score - found[2].score - 15.0).abs() < 1e-9, "critical 20 less normal 5");
    assert_eq!(
        found[0].reasons.iter().find(|r| r.code == ReasonCode::Urgent).unwrap().urgency.as_deref(),
        Some("critical")
    );
    assert!(found[3].reasons.iter().all(|r| r.code != ReasonCode::Urgent));
    // The same pair scores the same asked from the need.
    let back = k.need_suggest(&ids[2], &on("2011-05-01")).unwrap();
    assert_eq!(back[0].offer.id, o);
    assert_eq!(back[0].score, found[0].score);
    // An older need outranks a newer one, all else equal.
    let mut older = need(&m, "mobile_phones", 10, "critical", "2011-04-01");
    older.prefecture = Some("03".into());
    older.municipality = Some("遠野市".into());
    let older = k.need_add(&older).unwrap().need.id;
    let found = k.offer_suggest(&o, &on("2011-05-01")).unwrap();
    assert_eq!(found[0].need.id, older);
}

#[test]
fn the_steps_of_a_match_refuse_what_its_state_does_not_allow() {
    let (_d, mut k) = fresh("tokyo");
    let m = member(&mut k, "会");
    let o = offer(&mut k, "vehicles", 10, "04", "仙台市", None);
    let a = k.need_add(&need(&m, "vehicles", 10, "normal", "2011-05-01")).unwrap().need.id;
    let b = k.need_add(&need(&m, "vehicles", 8, "normal", "2011-05-01")).unwrap().need.id;
    let first = propose(&mut k, &o, &a, None);
    let second = propose(&mut k, &o, &b, None);
    assert_eq!(k.match_show(&second).unwrap().quantity, 8);
    k.match_accept(&first, &step("2011-05-03")).unwrap();
    // The offer has nothing left: the second cannot be accepted, and nothing is written.
    let before = k.export_json().unwrap();
    let e = k.match_accept(&second, &step("2011-05-03")).unwrap_err();
    assert_eq!(field_of(e), "quantity");
    assert_eq!(k.export_json().unwrap(), before);
    for e in [
        k.match_accept(&first, &step("2011-05-04")).unwrap_err(),
        k.match_decline(&first, &step("2011-05-04")).unwrap_err(),
        k.match_deliver(&second, &step("2011-05-04")).unwrap_err(),
        k.match_cancel(&second, &step("2011-05-04")).unwrap_err(),
    ] {
        assert!(e.to_string().contains("only a"), "{e}");
        assert_eq!(field_of(e), "status");
    }
    assert_eq!(k.export_json().unwrap(), before, "refused steps write nothing");
    // Delivering more than matched, or before acceptance, is refused.
    let too_much = MatchStep { on: Some("2011-05-10".into()), quantity: Some(11), notes: None };
    assert_eq!(field_of(k.match_deliver(&first, &too_much).unwrap_err()), "quantity");
    assert_eq!(field_of(k.match_deliver(&first, &step("2011-05-01")).unwrap_err()), "on");
    // Decline the second; cancel the first: everything is released.
    // What each status allows, as the match states it for a front end.
    use kizuna_core::model::matching::MatchAction::*;
    assert_eq!(k.match_show(&second).unwrap().actions, [Accept, Decline, Reduce]);
    assert_eq!(k.match_show(&first).unwrap().actions, [Deliver, Cancel, Reduce]);
    let declined = k.match_decline(&second, &step("2011-05-04")).unwrap();
    assert_eq!((declined.status.as_str(), declined.closed_by_code.as_deref()), ("declined", Some("tokyo")));
    assert!(declined.actions.is_empty());
    let cancelled = k.match_cancel(&first, &step("2011-05-05")).unwrap();
    assert!(cancelled.actions.is_empty());
    assert_eq!(k.offer_show(&o).unwrap().offer.remaining, 10);
    assert!(k.match_deliver(&first, &step("2011-05-06")).is_err(), "a cancelled match stays cancelled");

    // A partial delivery commits what was delivered and releases the rest.
    let third = propose(&mut k, &o, &a, Some(10));
    k.match_accept(&third, &step("2011-05-06")).unwrap();
    k.match_deliver(&third, &MatchStep { on: Some("2011-05-08".into()), quantity: Some(7), notes: None }).unwrap();
    let shown = k.offer_show(&o).unwrap();
    assert!(shown.matches.iter().find(|x| x.id == third).unwrap().actions.is_empty(), "a delivered match is closed");
    let shown = shown.offer;
    assert_eq!((shown.committed, shown.delivered, shown.remaining), (7, 7, 3));
    assert_eq!(k.need_show(&a).unwrap().need.remaining, 3);
    // An offer with an open match cannot be removed; without, it can.
    let fourth = propose(&mut k, &o, &a, Some(3));
    assert!(matches!(k.offer_remove(&o).unwrap_err(), Error::Conflict(_)));
    k.match_decline(&fourth, &step("2011-05-09")).unwrap();
    // Its quantity may not fall below what is committed.
    let low = OfferInput { quantity: Some(6), ..Default::default() };
    assert_eq!(field_of(k.offer_edit(&o, &low).unwrap_err()), "quantity");
    k.offer_remove(&o).unwrap();
    assert!(matches!(k.offer_show(&o).unwrap_err(), Error::NotFound { .. }));
    let listed = k.match_list(&MatchQuery { need: Some(a.clone()), ..Default::default() }).unwrap();
    assert_eq!(listed.total, 3);
}

#[test]
fn bad_input_names_the_field_and_writes_nothing() {
    let (_d, mut k) = fresh("fukushima");
    let m = member(&mut k, "会");
    let o = offer(&mut k, "computers", 5, "07", "福島市", None);
    let before = k.export_json().unwrap();
    let good = OfferInput {
        source_name: Some("X".into()),
        category: Some("computers".into()),
        quantity: Some(3),
        ..Default::default()
    };
    let cases: Vec<(Result<(), Error>, &str)> = vec![
        (k.offer_add(&OfferInput { category: Some("bicycles".into()), ..good.clone() }).map(|_| ()), "category"),
        (k.offer_add(&OfferInput { quantity: Some(0), ..good.clone() }).map(|_| ()), "quantity"),
        (k.offer_add(&OfferInput { quantity: None, ..good.clone() }).map(|_| ()), "quantity"),
        (k.offer_add(&OfferInput { source_name: None, ..good.clone() }).map(|_| ()), "source"),
        (k.offer_add(&OfferInput { member: Some("ghost".into()), ..good.clone() }).map(|_| ()), "member"),
        (k.offer_add(&OfferInput { latitude: Some("38.1".into()), ..good.clone() }).map(|_| ()), "longitude"),
        (
            k.offer_add(&OfferInput {
                offered_on: Some("2011-05-01".into()),
                available_until: Some("2011-04-01".into()),
                ..good.clone()
            })
            .map(|_| ()),
            "available_until",
        ),
        (
            k.need_add(&NeedInput {
                site: Some("no-such-site".into()),
                ..need(&m, "computers", 2, "normal", "2011-05-01")
            })
            .map(|_| ()),
            "site",
        ),
        (
            k.need_add(&NeedInput { member: None, ..need(&m, "computers", 2, "normal", "2011-05-01") }).map(|_| ()),
            "member",
        ),
        (k.need_add(&need(&m, "computers", -1, "normal", "2011-05-01")).map(|_| ()), "quantity"),
        (k.need_add(&need(&m, "computers", 2, "panic", "2011-05-01")).map(|_| ()), "urgency"),
        (
            k.match_propose(&MatchProposal {
                offer: Some("nope".into()),
                need: Some("nope".into()),
                ..Default::default()
            })
            .map(|_| ()),
            "offer",
        ),
    ];
    for (result, field) in cases {
        let e = result.expect_err(field);
        assert_eq!(e.code(), "invalid_input", "{e}");
        assert_eq!(e.field(), Some(field), "{e}");
    }
    // A match across categories, or for more than the offer has, is refused.
    let n = k.need_add(&need(&m, "maps", 2, "normal", "2011-05-01")).unwrap().need.id;
    let after_need = k.export_json().unwrap();
    assert_ne!(after_need, before);
    let e =
        k.match_propose(&MatchProposal { offer: Some(o.clone()), need: Some(n), ..Default::default() }).unwrap_err();
    assert_eq!(e.field(), Some("need"));
    let n = k.need_add(&need(&m, "computers", 9, "normal", "2011-05-01")).unwrap().need.id;
    let after_need = k.export_json().unwrap();
    let e = k
        .match_propose(&MatchProposal { offer: Some(o), need: Some(n), quantity: Some(6), ..Default::default() })
        .unwrap_err();
    assert_eq!(e.field(), Some("quantity"));
    assert!(e.to_string().contains("5 the offer has left"), "{e}");
    assert_eq!(k.export_json().unwrap(), after_need);
}

#[test]
fn figures_per_period_match_hand_counts() {
    let (_d, mut k) = fresh("tokyo");
    let a = member(&mut k, "甲");
    let b = member(&mut k, "乙");
    let dated = |k: &mut Kizuna, category: &str, q: i64, day: &str| {
        k.offer_add(&OfferInput {
            source_name: Some("Donor".into()),
            category: Some(category.into()),
            quantity: Some(q),
            offered_on: Some(day.into()),
            unit: Some("units".into()),
            ..Default::default()
        })
        .unwrap()
        .offer
        .id
    };
    // In phase 1 (2011-03-11 – 2012-03-10): computers 50 and 10, maps 100;
    // after it: computers 7.
    let pcs = dated(&mut k, "computers", 50, "2011-03-20");
    let pcs2 = dated(&mut k, "computers", 10, "2011-06-01");
    let maps = dated(&mut k, "maps", 100, "2011-04-01");
    dated(&mut k, "computers", 7, "2013-01-01");
    let na = k.need_add(&need(&a, "computers", 20, "normal", "2011-04-01")).unwrap().need.id;
    let nb = k.need_add(&need(&b, "maps", 30, "normal", "2011-05-01")).unwrap().need.id;
    let na2 = k.need_add(&need(&a, "computers", 8, "normal", "2011-06-01")).unwrap().need.id;
    let deliver = |k: &mut Kizuna, o: &str, n: &str, q: i64, delivered: i64, day: &str| {
        let id = k
            .match_propose(&MatchProposal {
                offer: Some(o.into()),
                need: Some(n.into()),
                quantity: Some(q),
                on: Some(day.into()),
                notes: None,
            })
            .unwrap()
            .id;
        k.match_accept(&id, &step(day)).unwrap();
        k.match_deliver(&id, &MatchStep { on: Some(day.into()), quantity: Some(delivered), notes: None }).unwrap();
    };
    deliver(&mut k, &pcs, &na, 20, 20, "2011-04-11"); // 10 days
    deliver(&mut k, &maps, &nb, 30, 30, "2011-05-31"); // 30 days
    deliver(&mut k, &pcs2, &na2, 8, 5, "2011-06-06"); // 5 days, partial
    let s =
        k.matching_stats(&MatchingQuery { from: Some("2011-03-11".into()), to: Some("2012-03-10".into()) }).unwrap();
    assert_eq!((s.offers, s.needs, s.deliveries), (3, 3, 3));
    let cat = |c: &str| s.by_category.iter().find(|f| f.category == c).unwrap().clone();
    let pcs = cat("computers");
    assert_eq!((pcs.offers, pcs.offered_quantity, pcs.deliveries, pcs.delivered_quantity), (2, 60, 2, 25));
    let m = cat("maps");
    assert_eq!((m.offers, m.offered_quantity, m.deliveries, m.delivered_quantity), (1, 100, 1, 30));
    assert_eq!(s.by_category.len(), 8, "every category, zeros included");
    assert_eq!(s.days_to_delivery_mean, Some(Decimal::new(150, 1)));
    assert_eq!(s.days_to_delivery_median, Some(Decimal::from(10)));
    let received: Vec<(String, String, i64, i64)> =
        s.by_member.iter().map(|r| (r.member_id.clone(), r.category.clone(), r.deliveries, r.quantity)).collect();
    assert!(received.contains(&(a.clone(), "computers".into(), 2, 25)), "{received:?}");
    assert!(received.contains(&(b.clone(), "maps".into(), 1, 30)), "{received:?}");
    assert_eq!(received.len(), 2);
    // A later period sees only the later offer and no delivery.
    let later =
        k.matching_stats(&MatchingQuery { from: Some("2012-03-11".into()), to: Some("2014-03-10".into()) }).unwrap();
    assert_eq!((later.offers, later.deliveries, later.days_to_delivery_mean), (1, 0, None));
    // The phase report's figures carry the same block.
    let phase = k.grant_list().unwrap().grants[0].phases[0].phase.id.clone();
    let f = k.report_phase_figures(&phase, &Default::default()).unwrap();
    assert_eq!((f.matching.offers, f.matching.deliveries), (3, 3));
}

/// The matching index is moved in place by a match's own steps: after each
/// of propose, accept (for less), deliver (in part), cancel and reduce, the
/// suggestions it gives equal those of a fresh connection, which builds the
/// index from the database.
#[test]
fn the_matching_index_moved_by_match_steps_gives_what_a_rebuild_gives() {
    let (dir, mut k) = fresh("tokyo");
    let m = member(&mut k, "A");
    let tokyo = offer(&mut k, "computers", 50, "13", "千代田区", None);
    let miyagi = offer(&mut k, "computers", 30, "04", "石巻市", Some(ISHINOMAKI));
    let n1 = k.need_add(&need(&m, "computers", 20, "high", "2011-04-10")).unwrap().need.id;
    let n2 = k.need_add(&need(&m, "computers", 45, "normal", "2011-04-11")).unwrap().need.id;
    let seen = |k: &Kizuna| {
        let q = on("2011-06-01");
        let all = (
            k.need_suggest(&n1, &q).unwrap(),
            k.need_suggest(&n2, &q).unwrap(),
            k.offer_suggest(&tokyo, &q).unwrap(),
            k.offer_suggest(&miyagi, &q).unwrap(),
        );
        serde_json::to_string(&all).unwrap()
    };
    let same = |k: &Kizuna, after: &str| {
        let rebuilt = Kizuna::open(dir.path()).unwrap();
        assert_eq!(seen(k), seen(&rebuilt), "after {after}");
    };
    same(&k, "nothing");
    let a = propose(&mut k, &tokyo, &n1, Some(20));
    same(&k, "a proposal");
    k.match_accept(&a, &MatchStep { quantity: Some(15), ..step("2011-05-03") }).unwrap();
    same(&k, "an acceptance for less");
    let b = propose(&mut k, &miyagi, &n2, Some(30));
    k.match_accept(&b, &step("2011-05-03")).unwrap();
    k.match_deliver(&b, &MatchStep { quantity: Some(12), ..step("2011-05-10") }).unwrap();
    same(&k, "a partial delivery");
    let c = propose(&mut k, &tokyo, &n2, Some(10));
    k.match_accept(&c, &step("2011-05-04")).unwrap();
    k.match_reduce(&c, 4).unwrap();
    same(&k, "a reduction");
    k.match_cancel(&a, &step("2011-05-05")).unwrap();
    same(&k, "a cancellation");
    let left = k.offer_show(&tokyo).unwrap().offer.remaining;
    assert_eq!(left, 46, "50 less the 4 still accepted");
}
