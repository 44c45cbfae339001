//! Donation matching across offices: matches two offices make apart on the
//! same offer both survive a sync through the hub, and the offer shows as
//! over-committed on every replica until a coordinator resolves it.

use kizuna_core::model::matching::{MatchProposal, MatchStep, NeedInput, OfferInput};
use kizuna_core::model::member::MemberInput;

use crate::hub::{serve, sync_with};
use crate::net::*;

fn need_for(r: &mut Replica, name: &str) -> String {
    let m =
        r.k.member_add(&MemberInput {
            name_ja: Some(format!("{name}の会")),
            name_en: Some(format!("{name} Group")),
            ..Default::default()
        })
        .expect("member")
        .id;
    r.k.need_add(&NeedInput {
        member: Some(m),
        category: Some("computers".into()),
        quantity: Some(30),
        raised_on: Some("2011-05-01".into()),
        ..Default::default()
    })
    .expect("need")
    .need
    .id
}

/// Proposes and accepts 30 of `offer` for `need` at `r`, offline.
fn accept_30(r: &mut Replica, offer: &str, need: &str) -> String {
    let id =
        r.k.match_propose(&MatchProposal {
            offer: Some(offer.into()),
            need: Some(need.into()),
            quantity: Some(30),
            on: Some("2011-05-02".into()),
            notes: None,
        })
        .expect("propose")
        .id;
    r.k.match_accept(&id, &MatchStep { on: Some("2011-05-03".into()), ..Default::default() }).expect("accept");
    id
}

#[test]
fn two_offices_over_commit_an_offer_offline_and_every_replica_shows_the_conflict_until_resolved() {
    let mut hq = hq();
    let mut tono = join(&mut hq, "tono");
    let mut sendai = join(&mut hq, "sendai");
    let hub = serve(&hq);
    let offer =
        hq.k.offer_add(&OfferInput {
            source_name: Some("株式会社サンプル".into()),
            category: Some("computers".into()),
            quantity: Some(50),
            prefecture: Some("13".into()),
            offered_on: Some("2011-04-20".into()),
            ..Default::default()
        })
        .expect("offer")
        .offer
        .id;
    sync_with(&mut tono, &hub);
    sync_with(&mut sendai, &hub);
    let tono_need = need_for(&mut tono, "遠野");
    let sendai_need = need_for(&mut sendai, "仙台");
    assert_eq!(tono.k.offer_show(&offer).expect("offer at tono").offer.remaining, 50);
    assert_eq!(sendai.k.offer_show(&offer).expect("offer at sendai").offer.remaining, 50);

    // Offline, each accepts 30 of the 50: each is within what it can see.
    let at_tono = accept_30(&mut tono, &offer, &tono_need);
    let at_sendai = accept_30(&mut sendai, &offer, &sendai_need);
    assert_eq!(tono.k.offer_show(&offer).expect("offer").offer.remaining, 20);

    sync_with(&mut tono, &hub);
    sync_with(&mut sendai, &hub);
    sync_with(&mut tono, &hub);
    for r in [&hq, &tono, &sendai] {
        let who = r.k.office_code().to_string();
        let shown = r.k.offer_show(&offer).expect("offer");
        let mut ids: Vec<&str> = shown.matches.iter().map(|m| m.id.as_str()).collect();
        ids.sort();
        let mut both = [at_tono.as_str(), at_sendai.as_str()];
        both.sort();
        assert_eq!(ids, both, "{who}: both matches survive");
        assert_eq!((shown.offer.committed, shown.offer.remaining), (60, -10), "{who}");
        assert!(shown.offer.over_committed, "{who}");
        let conflicts = r.k.match_conflicts().expect("conflicts");
        assert_eq!(conflicts.len(), 1, "{who}");
        assert_eq!((conflicts[0].offer.id.as_str(), conflicts[0].over_by), (offer.as_str(), 10), "{who}");
        let mut competing: Vec<&str> = conflicts[0].matches.iter().map(|m| m.id.as_str()).collect();
        competing.sort();
        assert_eq!(competing, both, "{who}");
        let by: Vec<Option<&str>> = conflicts[0].matches.iter().map(|m| m.accepted_by_code.as_deref()).collect();
        assert!(by.contains(&Some("tono")) && by.contains(&Some("sendai")), "{who}: {by:?}");
        let listed = r
            .k
            .offer_list(&kizuna_core::model::matching::OfferQuery { over_committed: Some(true), ..Default::default() });
        assert_eq!(listed.expect("list").rows.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(), [offer.as_str()]);
    }
    assert_eq!(dump(&tono), dump(&hq));
    assert_eq!(dump(&sendai), dump(&hq));

    // Sendai's coordinator resolves it by cancelling their match.
    sendai
        .k
        .match_cancel(&at_sendai, &MatchStep { on: Some("2011-05-04".into()), ..Default::default() })
        .expect("cancel");
    sync_with(&mut sendai, &hub);
    sync_with(&mut tono, &hub);
    for r in [&hq, &tono, &sendai] {
        let who = r.k.office_code().to_string();
        let shown = r.k.offer_show(&offer).expect("offer").offer;
        assert_eq!((shown.remaining, shown.over_committed), (20, false), "{who}");
        assert!(r.k.match_conflicts().expect("conflicts").is_empty(), "{who}");
        let cancelled = r.k.match_show(&at_sendai).expect("match");
        assert_eq!((cancelled.status.as_str(), cancelled.closed_by_code.as_deref()), ("cancelled", Some("sendai")));
    }
    hub.stop();
}
