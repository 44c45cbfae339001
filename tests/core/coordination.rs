//! Coordination records through the core API: meetings, attendance and
//! follow-ups with their figures checked against hand counts; the
//! directory, mailing lists and advocacy with their rules.

use kizuna_core::model::advocacy::{NetworkMembershipInput, RecommendationInput};
use kizuna_core::model::directory::{ContactInput, DirectoryQuery, OrganisationInput};
use kizuna_core::model::mailing::{ListExportRequest, ListFormat, MailingListInput};
use kizuna_core::model::meeting::{AttendInput, CoordinationQuery, FollowUpInput, MeetingInput, MeetingQuery};
use kizuna_core::model::member::MemberInput;
use kizuna_core::{Error, Kizuna};
use rust_decimal::Decimal;

use crate::fresh;

fn member(k: &mut Kizuna, name: &str, pref: &str) -> String {
    k.member_add(&MemberInput {
        name_ja: Some(format!("{name}の会")),
        name_en: Some(format!("{name} Association")),
        prefectures: Some(vec![pref.into()]),
        ..Default::default()
    })
    .unwrap()
    .id
}

fn org(k: &mut Kizuna, name: &str, kind: &str) -> String {
    k.organisation_add(&OrganisationInput { name_ja: Some(name.into()), kind: Some(kind.into()), ..Default::default() })
        .unwrap()
        .id
}

fn meeting(k: &mut Kizuna, on: &str, office: &str, pref: &str) -> String {
    k.meeting_add(&MeetingInput {
        held_on: Some(on.into()),
        office: Some(office.into()),
        prefecture: Some(pref.into()),
        topic_ja: Some(format!("{on} 情報共有会議")),
        ..Default::default()
    })
    .unwrap()
    .meeting
    .id
}

fn attend(k: &mut Kizuna, meeting: &str, members: &[&String], orgs: &[&String]) {
    k.meeting_attend(
        meeting,
        &AttendInput {
            members: Some(members.iter().map(|m| m.to_string()).collect()),
            organisations: Some(orgs.iter().map(|o| o.to_string()).collect()),
            new_organisation: None,
        },
    )
    .unwrap();
}

fn stats(
    k: &Kizuna,
    from: &str,
    to: &str,
    office: Option<&str>,
    pref: Option<&str>,
) -> kizuna_core::model::meeting::CoordinationStats {
    k.coordination_stats(&CoordinationQuery {
        from: Some(from.into()),
        to: Some(to.into()),
        office: office.map(String::from),
        prefecture: pref.map(String::from),
        inactive_months: Some(2),
    })
    .unwrap()
}

fn dec(s: &str) -> Option<Decimal> {
    Some(s.parse().unwrap())
}

/// Seven members A..G, two other organisations, five meetings:
/// M0 2011-12-01 Tono/Iwate: F.           (before the period)
/// M1 2012-01-10 Tono/Iwate: A B C D + X.  5 organisations
/// M2 2012-02-10 Sendai/Miyagi: A B.       2
/// M3 2012-03-10 Tono/Iwate: C E + Y.      3
/// M4 2012-03-20 Tono/Iwate: nobody recorded.
#[test]
fn meeting_figures_match_hand_counts_for_a_period_an_office_and_a_prefecture() {
    let (_d, mut k) = fresh("tokyo");
    let [a, b, c, d, e, f, g] = ["A", "B", "C", "D", "E", "F", "G"].map(|n| member(&mut k, n, "Iwate"));
    let x = org(&mut k, "釜石市役所", "municipality");
    let y = org(&mut k, "株式会社テスト", "company");
    let m0 = meeting(&mut k, "2011-12-01", "tono", "03");
    let m1 = meeting(&mut k, "2012-01-10", "tono", "03");
    let m2 = meeting(&mut k, "2012-02-10", "sendai", "04");
    let m3 = meeting(&mut k, "2012-03-10", "tono", "03");
    let m4 = meeting(&mut k, "2012-03-20", "tono", "03");
    attend(&mut k, &m0, &[&f], &[]);
    attend(&mut k, &m1, &[&a, &b, &c, &d], &[&x]);
    attend(&mut k, &m2, &[&a, &b], &[]);
    attend(&mut k, &m3, &[&c, &e], &[&y]);
    let _ = &m4;

    let all = stats(&k, "2012-01-01", "2012-03-31", None, None);
    assert_eq!((all.meetings, all.meetings_with_attendance), (4, 3));
    // (5 + 2 + 3) / 3 = 3.33…; the middle of 2, 3, 5 is 3.
    assert_eq!((all.organisations_mean, all.organisations_median), (dec("3.3"), dec("3")));
    assert_eq!((all.member_ngos_reached, all.other_organisations_reached), (5, 2));

    let tono = stats(&k, "2012-01-01", "2012-03-31", Some("tono"), None);
    assert_eq!((tono.meetings, tono.meetings_with_attendance), (3, 2));
    assert_eq!((tono.organisations_mean, tono.organisations_median), (dec("4"), dec("4")));
    assert_eq!((tono.member_ngos_reached, tono.other_organisations_reached), (5, 2));

    let miyagi = stats(&k, "2012-01-01", "2012-03-31", None, Some("Miyagi"));
    assert_eq!((miyagi.meetings, miyagi.organisations_mean, miyagi.member_ngos_reached), (1, dec("2"), 2));

    // Not at any meeting in the two months before 2012-03-31 (since
    // 2012-01-31): G never, F last on 2011-12-01, D last on 2012-01-10.
    let outreach: Vec<(&str, Option<String>)> =
        all.not_attended.iter().map(|m| (m.name_en.as_str(), m.last_attended.map(|d| d.to_string()))).collect();
    assert_eq!(
        outreach,
        vec![
            ("G Association", None),
            ("F Association", Some("2011-12-01".into())),
            ("D Association", Some("2012-01-10".into()))
        ]
    );
    let _ = (&e, &g);

    // Recording an attendee again changes nothing; removing one and adding
    // it back is the same row, restored.
    attend(&mut k, &m2, &[&a], &[]);
    assert_eq!(k.meeting_show(&m2).unwrap().attendees.len(), 2);
    let no = k.member_show(&b).unwrap().member_no;
    k.meeting_unattend(&m2, &no).unwrap();
    assert_eq!(stats(&k, "2012-01-01", "2012-03-31", None, None).organisations_mean, dec("3")); // (5+1+3)/3
    attend(&mut k, &m2, &[&b], &[]);
    assert_eq!(k.meeting_show(&m2).unwrap().attendees.len(), 2);

    // The list's counts, plain and searched, follow each change.
    let listed = |k: &Kizuna, search: Option<&str>| -> Vec<(String, i64)> {
        let q = MeetingQuery { search: search.map(String::from), ..Default::default() };
        k.meeting_list(&q).unwrap().rows.into_iter().map(|m| (m.held_on.to_string(), m.organisations)).collect()
    };
    let expected: Vec<(String, i64)> =
        [("2012-03-20", 0), ("2012-03-10", 3), ("2012-02-10", 2), ("2012-01-10", 5), ("2011-12-01", 1)]
            .map(|(d, n)| (d.to_string(), n))
            .into();
    assert_eq!(listed(&k, None), expected);
    assert_eq!(listed(&k, Some("情報共有")), expected);
    k.meeting_unattend(&m3, &y).unwrap();
    assert_eq!(listed(&k, Some("2012-03-10"))[0], ("2012-03-10".to_string(), 2));
    assert_eq!(listed(&k, None)[1], ("2012-03-10".to_string(), 2));
    attend(&mut k, &m3, &[], &[&y]);

    // A removed meeting counts nowhere, and comes back whole.
    k.meeting_remove(&m1).unwrap();
    let without = stats(&k, "2012-01-01", "2012-03-31", None, None);
    assert_eq!((without.meetings, without.organisations_mean, without.member_ngos_reached), (3, dec("2.5"), 4));
    k.removed_restore(&m1, Some("meetings")).unwrap();
    assert_eq!(k.meeting_show(&m1).unwrap().attendees.len(), 5);
    assert_eq!(stats(&k, "2012-01-01", "2012-03-31", None, None).organisations_mean, dec("3.3"));
}

#[test]
fn attendance_takes_member_numbers_and_adds_a_new_organisation_in_one_step_or_writes_nothing() {
    let (_d, mut k) = fresh("tono");
    let a = member(&mut k, "A", "Iwate");
    let no = k.member_show(&a).unwrap().member_no;
    let m = meeting(&mut k, "2012-05-01", "tono", "Iwate");
    let detail = k
        .meeting_attend(
            &m,
            &AttendInput {
                members: Some(vec![no.to_lowercase()]),
                organisations: None,
                new_organisation: Some(OrganisationInput {
                    name_ja: Some("遠野市社会福祉協議会".into()),
                    kind: Some("other".into()),
                    ..Default::default()
                }),
            },
        )
        .unwrap();
    let names: Vec<&str> = detail.attendees.iter().map(|a| a.name_ja.as_str()).collect();
    assert_eq!(names, vec!["Aの会", "遠野市社会福祉協議会"]);
    let found = k.organisation_list(&DirectoryQuery { search: Some("トオノ".into()), ..Default::default() }).unwrap();
    assert_eq!(found.total, 0, "no reading was given, so the kana search finds nothing");
    let found = k.organisation_list(&DirectoryQuery { search: Some("遠野".into()), ..Default::default() }).unwrap();
    assert_eq!(found.total, 1);

    // One unknown attendee: nothing of the request is written, not even the new organisation.
    let err = k
        .meeting_attend(
            &m,
            &AttendInput {
                members: Some(vec![a.clone(), "TNO-9999".into()]),
                organisations: None,
                new_organisation: Some(OrganisationInput {
                    name_ja: Some("新しい団体".into()), ..Default::default()
                }),
            },
        )
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { entity: "member", .. }), "{err}");
    assert_eq!(k.organisation_list(&DirectoryQuery::default()).unwrap().total, 1);
    assert_eq!(k.meeting_show(&m).unwrap().attendees.len(), 2);

    // Type-ahead: kana- and width-insensitive over names and readings, members first.
    k.member_edit(&a, &MemberInput { reading: Some("エーノカイ".into()), ..Default::default() }).unwrap();
    let hits = k.attendee_search("ｴｰﾉ", None).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].kind.as_str(), hits[0].id.as_str()), ("member", a.as_str()));
    let hits = k.attendee_search("社会福祉", None).unwrap();
    assert_eq!(hits.iter().map(|h| h.kind.as_str()).collect::<Vec<_>>(), vec!["organisation"]);
}

#[test]
fn follow_ups_are_due_after_their_meeting_and_open_ones_past_due_are_overdue() {
    let (_d, mut k) = fresh("tokyo");
    let a = member(&mut k, "A", "Miyagi");
    let m = meeting(&mut k, "2012-06-01", "sendai", "Miyagi");
    let err = k
        .follow_up_add(
            &m,
            &FollowUpInput {
                text: Some("仮設住宅の名簿を共有".into()),
                due_on: Some("2012-05-31".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.field(), Some("due_on"), "{err}");
    assert!(k.meeting_show(&m).unwrap().follow_ups.is_empty());

    let late = k
        .follow_up_add(
            &m,
            &FollowUpInput {
                text: Some("仮設住宅の名簿を共有".into()),
                member: Some(a.clone()),
                due_on: Some("2012-06-15".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let done = k
        .follow_up_add(
            &m,
            &FollowUpInput {
                text: Some("県に報告".into()),
                office: Some("sendai".into()),
                due_on: Some("2012-06-10".into()),
                ..Default::default()
            },
        )
        .unwrap();
    k.follow_up_edit(
        &done.id,
        &FollowUpInput { status: Some("done".into()), done_on: Some("2012-06-09".into()), ..Default::default() },
    )
    .unwrap();
    let not_yet = k
        .follow_up_add(
            &m,
            &FollowUpInput {
                text: Some("次回の議題".into()), due_on: Some("2012-07-31".into()), ..Default::default()
            },
        )
        .unwrap();
    let s = stats(&k, "2012-06-01", "2012-06-30", None, None);
    let overdue: Vec<&str> = s.overdue_follow_ups.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(overdue, vec![late.id.as_str()]);
    assert_eq!(s.overdue_follow_ups[0].member_name_ja.as_deref(), Some("Aの会"));
    let _ = not_yet;

    // Moving the meeting after a follow-up's due date is refused.
    let err =
        k.meeting_edit(&m, &MeetingInput { held_on: Some("2012-06-20".into()), ..Default::default() }).unwrap_err();
    assert_eq!(err.field(), Some("held_on"), "{err}");
}

#[test]
fn directory_input_is_checked_field_by_field_and_nothing_is_written_on_error() {
    let (_d, mut k) = fresh("fukushima");
    let a = member(&mut k, "A", "Fukushima");
    let o = org(&mut k, "福島県庁", "prefecture");
    let ok = |name: &str| ContactInput { name_ja: Some(name.into()), ..Default::default() };
    for (input, field) in [
        (ContactInput { email: Some("not an address".into()), ..ok("山田 花子") }, "email"),
        (ContactInput { reading: Some("山田".into()), ..ok("山田 花子") }, "reading"),
        (ContactInput { member: Some(a.clone()), organisation: Some(o.clone()), ..ok("山田 花子") }, "organisation"),
        (ContactInput { name_ja: Some("  ".into()), ..Default::default() }, "name_ja"),
        (ContactInput { phone: Some("call me".into()), ..ok("山田 花子") }, "phone"),
    ] {
        let err = k.contact_add(&input).unwrap_err();
        assert_eq!(err.field(), Some(field), "{err}");
    }
    let err = k.contact_add(&ContactInput { member: Some("FKS-9999".into()), ..ok("山田 花子") }).unwrap_err();
    assert!(matches!(err, Error::NotFound { entity: "member", .. }), "{err}");
    assert_eq!(k.contact_list(&DirectoryQuery::default()).unwrap().total, 0);

    let c = k
        .contact_add(&ContactInput {
            reading: Some("やまだ はなこ".into()),
            member: Some(k.member_show(&a).unwrap().member_no),
            email: Some("hanako@example.org".into()),
            ..ok("山田 花子")
        })
        .unwrap();
    assert_eq!(c.affiliation_ja.as_deref(), Some("Aの会"));
    // Moving the contact to an organisation clears the member.
    let c = k.contact_edit(&c.id, &ContactInput { organisation: Some(o.clone()), ..Default::default() }).unwrap();
    assert_eq!((c.member_id, c.affiliation_ja.as_deref()), (None, Some("福島県庁")));
    let found = k.contact_list(&DirectoryQuery { search: Some("ﾔﾏﾀﾞ".into()), ..Default::default() }).unwrap();
    assert_eq!(found.total, 1);
    let of = k.contact_list(&DirectoryQuery { of: Some(o.clone()), ..Default::default() }).unwrap();
    assert_eq!(of.total, 1);

    // The search follows every write (its in-memory index is rebuilt), in
    // the list's order, with the same filters as without a search.
    k.contact_add(&ContactInput {
        reading: Some("やまだ たろう".into()), member: Some(a.clone()), ..ok("山田 太郎")
    })
    .unwrap();
    let search = |k: &Kizuna, of: Option<&str>| {
        let q = DirectoryQuery { search: Some("やまだ".into()), of: of.map(String::from), ..Default::default() };
        k.contact_list(&q).unwrap().rows.into_iter().map(|c| c.name_ja).collect::<Vec<_>>()
    };
    assert_eq!(search(&k, None), vec!["山田 太郎", "山田 花子"]);
    assert_eq!(search(&k, Some(&o)), vec!["山田 花子"]);
    k.contact_remove(&c.id).unwrap();
    assert_eq!(search(&k, None), vec!["山田 太郎"]);
}

#[test]
fn a_list_exports_only_who_may_receive_it_and_counts_who_it_reached() {
    let (_d, mut k) = fresh("tokyo");
    let a = member(&mut k, "A", "Iwate");
    let company = org(&mut k, "株式会社サンプル", "company");
    let city = org(&mut k, "石巻市", "municipality");
    let list = k
        .list_add(&MailingListInput {
            name_ja: Some("東北支援情報".into()),
            name_en: Some("Tohoku update".into()),
            description: None,
        })
        .unwrap();
    let contact = |k: &mut Kizuna, name: &str, reading: &str, member: Option<&str>, org: Option<&str>| {
        k.contact_add(&ContactInput {
            name_ja: Some(name.into()),
            reading: Some(reading.into()),
            member: member.map(String::from),
            organisation: org.map(String::from),
            email: Some(format!("{}@example.org", reading.len())),
            ..Default::default()
        })
        .unwrap()
        .id
    };
    let stays = contact(&mut k, "佐藤 一郎", "さとう いちろう", Some(&a), None);
    let leaves = contact(&mut k, "鈴木 次郎", "すずき じろう", None, Some(&company));
    let bounces = contact(&mut k, "高橋 三郎", "たかはし さぶろう", None, Some(&city));
    k.list_subscribe(&list.id, &[stays.clone(), leaves.clone(), bounces.clone()], Some("2012-01-05")).unwrap();
    k.list_unsubscribe(&list.id, &leaves, Some("2012-04-01")).unwrap();
    k.list_bounce(&list.id, &bounces, true).unwrap();
    let shown = k.list_show(&list.id).unwrap();
    assert_eq!((shown.subscribers, shown.opted_out, shown.bounced), (2, 1, 1));

    // As the window runs it: a small page cache, which the export widens
    // for itself and gives back.
    k.set_page_cache_kib(2048).unwrap();
    let csv = k.list_export(&ListExportRequest { list_id: list.id.clone(), format: None, contacts: None }).unwrap();
    let cache: i64 = k.store().conn().pragma_query_value(None, "cache_size", |r| r.get(0)).unwrap();
    assert_eq!(cache, -2048);
    assert_eq!((csv.exported, csv.skipped_bounced, csv.skipped_opted_out), (1, 1, 1));
    assert!(csv.content.starts_with('\u{FEFF}'));
    let lines: Vec<&str> = csv.content.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 2, "{}", csv.content);
    assert!(lines[1].starts_with("佐藤 一郎,,さとう いちろう,,Aの会,A Association,"), "{}", lines[1]);

    let vcf = k
        .list_export(&ListExportRequest { list_id: list.id.clone(), format: Some(ListFormat::Vcard), contacts: None })
        .unwrap();
    assert!(vcf.content.starts_with("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:佐藤 一郎\r\n"), "{}", vcf.content);
    // Long content lines are folded (RFC 6350 3.2): unfold before reading them.
    let unfolded = vcf.content.replace("\r\n ", "");
    assert!(
        unfolded.contains("\r\nN;ALTID=1;PHONETIC=script;SCRIPT=Kana;LANGUAGE=ja:さとう いちろう;;;;\r\n"),
        "{unfolded}"
    );
    assert_eq!(vcf.content.matches("BEGIN:VCARD").count(), 1);

    let err = k
        .list_export(&ListExportRequest {
            list_id: list.id.clone(),
            format: None,
            contacts: Some(vec![leaves.clone()]),
        })
        .unwrap_err();
    assert_eq!(err.field(), Some("contacts"));
    assert!(err.to_string().contains("opted out"), "{err}");

    // Reach over the first quarter: all three were subscribed; their
    // organisations are a member, a company and a city.
    let reach = k.list_reach(Some("2012-01-01"), Some("2012-03-31")).unwrap();
    let r = reach.iter().find(|r| r.list_id == list.id).unwrap();
    assert_eq!((r.contacts, r.organisations, r.member_ngos, r.companies), (3, 3, 1, 1));
    // After the opt-out, the company is no longer reached.
    let reach = k.list_reach(Some("2012-05-01"), Some("2012-05-31")).unwrap();
    let r = reach.iter().find(|r| r.list_id == list.id).unwrap();
    assert_eq!((r.contacts, r.organisations, r.companies), (2, 2, 0));

    // Subscribing again after an opt-out is an explicit act that clears it.
    k.list_subscribe(&list.id, std::slice::from_ref(&leaves), Some("2012-06-01")).unwrap();
    assert_eq!(k.list_show(&list.id).unwrap().opted_out, 0);
}

#[test]
fn recommendations_and_network_memberships_keep_their_dates_in_order() {
    let (_d, mut k) = fresh("tokyo");
    let a = member(&mut k, "A", "Iwate");
    let m = meeting(&mut k, "2012-02-01", "tokyo", "Tokyo");
    let err = k
        .recommendation_add(&RecommendationInput {
            title_ja: Some("仮設住宅の見守り体制について".into()),
            status: Some("submitted".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.field(), Some("submitted_on"), "{err}");
    let err = k
        .recommendation_add(&RecommendationInput {
            title_en: Some("On watch-over in temporary housing".into()),
            drafted_on: Some("2012-03-01".into()),
            submitted_on: Some("2012-02-01".into()),
            status: Some("submitted".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.field(), Some("submitted_on"), "{err}");
    let r = k
        .recommendation_add(&RecommendationInput {
            title_ja: Some("仮設住宅の見守り体制について".into()),
            addressee_kind: Some("ministry".into()),
            addressee: Some("復興庁".into()),
            drafted_on: Some("2012-02-10".into()),
            submitted_on: Some("2012-02-20".into()),
            status: Some("submitted".into()),
            meetings: Some(vec![m.clone()]),
            members: Some(vec![k.member_show(&a).unwrap().member_no]),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((r.meeting_ids.clone(), r.member_ids.clone()), (vec![m.clone()], vec![a.clone()]));
    let r = k
        .recommendation_edit(
            &r.id,
            &RecommendationInput {
                status: Some("adopted_in_part".into()),
                answered_on: Some("2012-04-02".into()),
                outcome: Some("見守り員の配置が予算化された".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(r.status, "adopted_in_part");
    assert_eq!(k.recommendation_list(Some("復興"), None).unwrap().len(), 1);

    let err = k
        .network_add(&NetworkMembershipInput {
            network_en: Some("Japan Platform".into()),
            started_on: Some("2012-01-01".into()),
            ended_on: Some("2011-01-01".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.field(), Some("ended_on"), "{err}");
    // The source's JCN steering committee seat is in the seed.
    let networks = k.network_list().unwrap();
    assert_eq!(networks.len(), 1);
    assert_eq!(networks[0].network_en.as_deref(), Some("Japan Civil Network (JCN)"));
}

#[test]
fn meeting_lists_filter_and_page_through_the_core() {
    let (_d, mut k) = fresh("tokyo");
    for day in 1..=12 {
        let id = meeting(&mut k, &format!("2012-03-{day:02}"), if day % 2 == 0 { "tono" } else { "sendai" }, "Iwate");
        if day == 7 {
            k.meeting_edit(&id, &MeetingInput { venue: Some("ｶﾏｲｼ市民ホール".into()), ..Default::default() }).unwrap();
        }
    }
    let page =
        k.meeting_list(&MeetingQuery { office: Some("tono".into()), limit: Some(4), ..Default::default() }).unwrap();
    assert_eq!((page.total, page.rows.len()), (6, 4));
    assert_eq!(page.rows[0].held_on.to_string(), "2012-03-12");
    let found = k.meeting_list(&MeetingQuery { search: Some("かまいし".into()), ..Default::default() }).unwrap();
    assert_eq!(found.total, 1);
    let ranged = k
        .meeting_list(&MeetingQuery {
            from: Some("2012-03-03".into()),
            to: Some("2012-03-05".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ranged.total, 3);
    let err = k
        .meeting_add(&MeetingInput {
            held_on: Some("2011-02-30".into()),
            topic_en: Some("x".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.field(), Some("held_on"));
    let err = k.meeting_add(&MeetingInput { held_on: Some("2012-03-01".into()), ..Default::default() }).unwrap_err();
    assert_eq!(err.field(), Some("topic_ja"));
    let err = k
        .meeting_add(&MeetingInput {
            held_on: Some("2012-03-01".into()),
            topic_en: Some("x".into()),
            start_time: Some("25:00".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.field(), Some("start_time"));
    assert_eq!(k.meeting_list(&MeetingQuery::default()).unwrap().total, 12);
}
