//! The pooled relief fund through the core API: donors, gifts and their
//! receipt numbers, refusals that write nothing, distributions (eligible
//! members, the exact split, the rotating remainder, the balance), the
//! ledger against hand-computed values; and property tests of the split.

use kizuna_core::model::fund::{
    ConversionInput, DistributionInput, FundDonorInput, FundDonorQuery, FundTotalsQuery, GiftInput, GiftQuery,
    LedgerQuery, minor_units, next_cursor, rotate, split_parts, split_remainder,
};
use kizuna_core::model::member::MemberInput;
use kizuna_core::model::site::SiteInput;
use kizuna_core::money::Currency;
use kizuna_core::{Error, Kizuna};
use proptest::prelude::*;

use crate::fresh;

fn donor(k: &mut Kizuna, ja: &str) -> String {
    k.donor_add(&FundDonorInput { name_ja: Some(ja.into()), ..Default::default() }).unwrap().id
}

fn gift(k: &mut Kizuna, donor: &str, on: &str, amount: &str, currency: &str) -> kizuna_core::model::fund::Gift {
    k.gift_add(&GiftInput {
        donor: Some(donor.into()),
        received_on: Some(on.into()),
        amount: Some(amount.into()),
        currency: Some(currency.into()),
        ..Default::default()
    })
    .unwrap()
}

fn member(k: &mut Kizuna, name: &str) -> kizuna_core::model::member::Member {
    k.member_add(&MemberInput {
        name_ja: Some(format!("{name}の会")),
        name_en: Some(format!("{name} Association")),
        ..Default::default()
    })
    .unwrap()
}

fn distribution(amount: &str, currency: &str, on: &str, members: &[&str]) -> DistributionInput {
    DistributionInput {
        amount: Some(amount.into()),
        currency: Some(currency.into()),
        distributed_on: Some(on.into()),
        members: Some(members.iter().map(|m| m.to_string()).collect()),
        ..Default::default()
    }
}

fn invalid_field(e: Error) -> String {
    match e {
        Error::Invalid { field, .. } => field,
        other => panic!("expected invalid_input, got {other:?}"),
    }
}

#[test]
fn donors_are_searched_kana_and_width_insensitively_and_need_a_name() {
    let (_d, mut k) = fresh("tokyo");
    let yamada = k
        .donor_add(&FundDonorInput {
            name_ja: Some("山田 太郎".into()),
            name_en: Some("Taro Yamada".into()),
            reading: Some("やまだ たろう".into()),
            email: Some("taro@example.jp".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((yamada.kind.as_str(), yamada.named_consent), ("person", false));
    donor(&mut k, "株式会社サンプル");
    for typed in ["ヤマダ", "ﾔﾏﾀﾞ", "YAMADA", "taro@example"] {
        let found = k.donor_list(&FundDonorQuery { search: Some(typed.into()), ..Default::default() }).unwrap();
        assert_eq!(found.total, 1, "{typed}");
        assert_eq!(found.rows[0].id, yamada.id);
    }
    assert_eq!(k.donor_list(&FundDonorQuery::default()).unwrap().total, 2);
    let e = k.donor_add(&FundDonorInput { country: Some("Japan".into()), ..Default::default() }).unwrap_err();
    assert_eq!(invalid_field(e), "name_ja");
    let e =
        k.donor_add(&FundDonorInput { name_ja: Some("x".into()), email: Some("nope".into()), ..Default::default() });
    assert_eq!(invalid_field(e.unwrap_err()), "email");
    let edited = k
        .donor_edit(
            &yamada.id,
            &FundDonorInput { named_consent: Some(true), email: Some(String::new()), ..Default::default() },
        )
        .unwrap();
    assert!(edited.named_consent);
    assert_eq!(edited.email, None);
    assert_eq!(edited.name_ja.as_deref(), Some("山田 太郎"));
    // A donor with a gift stays; without, goes.
    gift(&mut k, &yamada.id, "2011-03-20", "10000", "JPY");
    assert_eq!(invalid_field(k.donor_remove(&yamada.id).unwrap_err()), "donor");
    let other = k.donor_list(&FundDonorQuery { search: Some("サンプル".into()), ..Default::default() }).unwrap();
    k.donor_remove(&other.rows[0].id).unwrap();
    assert_eq!(k.donor_list(&FundDonorQuery::default()).unwrap().total, 1);
}

#[test]
fn receipt_numbers_run_per_year_and_are_never_reused_or_changed() {
    let (_d, mut k) = fresh("tokyo");
    let d = donor(&mut k, "佐藤 花子");
    let a = gift(&mut k, &d, "2011-03-20", "5000", "JPY");
    let b = gift(&mut k, &d, "2011-12-31", "100.00", "USD");
    let c = gift(&mut k, &d, "2012-01-01", "3000", "JPY");
    assert_eq!(
        [a.receipt_no.as_str(), b.receipt_no.as_str(), c.receipt_no.as_str()],
        ["R2011-000001", "R2011-000002", "R2012-000001"]
    );
    k.gift_remove(&b.id).unwrap();
    let e = gift(&mut k, &d, "2011-06-01", "1000", "JPY");
    assert_eq!(e.receipt_no, "R2011-000003", "a removed gift's number is never reused");
    // Moving a gift to another year keeps its number.
    let moved =
        k.gift_edit(&a.id, &GiftInput { received_on: Some("2012-02-01".into()), ..Default::default() }).unwrap();
    assert_eq!((moved.receipt_no.as_str(), moved.received_on.to_string().as_str()), ("R2011-000001", "2012-02-01"));
    assert_eq!(gift(&mut k, &d, "2012-03-01", "1000", "JPY").receipt_no, "R2012-000002");
    // A gift is found by its receipt number, any case.
    assert_eq!(k.gift_resolve("r2012-000001").unwrap().id, c.id);
}

#[test]
fn bad_amounts_are_refused_naming_amount_and_write_nothing() {
    let (_d, mut k) = fresh("tokyo");
    let d = donor(&mut k, "田中 一郎");
    gift(&mut k, &d, "2011-04-01", "1000", "JPY");
    for (amount, currency) in [("-5", "JPY"), ("0", "USD"), ("1.234", "USD"), ("10.5", "JPY"), ("abc", "JPY")] {
        let input = GiftInput {
            donor: Some(d.clone()),
            received_on: Some("2011-04-02".into()),
            amount: Some(amount.into()),
            currency: Some(currency.into()),
            ..Default::default()
        };
        let e = k.gift_add(&input).unwrap_err();
        assert_eq!(e.code(), "invalid_input");
        assert_eq!(invalid_field(e), "amount", "{amount} {currency}");
    }
    let missing = GiftInput {
        donor: Some(d.clone()),
        received_on: Some("2011-04-02".into()),
        amount: Some("5".into()),
        ..Default::default()
    };
    assert_eq!(invalid_field(k.gift_add(&missing).unwrap_err()), "currency");
    // An edit into a currency the amount does not fit is refused too.
    let usd = gift(&mut k, &d, "2011-04-03", "10.50", "USD");
    let e = k.gift_edit(&usd.id, &GiftInput { currency: Some("JPY".into()), ..Default::default() }).unwrap_err();
    assert_eq!(invalid_field(e), "amount");
    let page = k.gift_list(&GiftQuery::default()).unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.totals.iter().map(|m| m.to_string()).collect::<Vec<_>>(), ["1,000 JPY", "10.50 USD"]);
    // The next number follows the last written gift: nothing refused took one.
    assert_eq!(gift(&mut k, &d, "2011-05-01", "1", "JPY").receipt_no, "R2011-000003");
}

#[test]
fn a_field_office_reads_the_fund_but_never_writes_it() {
    let (_d, mut k) = fresh("tono");
    let e = k.donor_add(&FundDonorInput { name_ja: Some("山田".into()), ..Default::default() }).unwrap_err();
    assert_eq!(e.code(), "unauthorized");
    let g = GiftInput {
        donor: Some("any".into()),
        received_on: Some("2011-04-01".into()),
        amount: Some("1000".into()),
        currency: Some("JPY".into()),
        ..Default::default()
    };
    assert_eq!(k.gift_add(&g).unwrap_err().code(), "unauthorized");
    let c = ConversionInput {
        converted_on: Some("2011-04-01".into()),
        from_amount: Some("1000".into()),
        from_currency: Some("JPY".into()),
        to_currency: Some("USD".into()),
        rate: Some("0.0125".into()),
        notes: None,
    };
    assert_eq!(k.convert(&c).unwrap_err().code(), "unauthorized");
    assert_eq!(k.distribute(&distribution("100", "JPY", "2011-04-01", &["x"])).unwrap_err().code(), "unauthorized");
    assert_eq!(k.donor_list(&FundDonorQuery::default()).unwrap().total, 0);
    assert_eq!(k.gift_list(&GiftQuery::default()).unwrap().total, 0);
    assert_eq!(k.fund_ledger(&LedgerQuery::default()).unwrap().gifts, 0);
}

/// Three members A, B, C; gifts ¥10,000 (03-20), $250.50 (04-01), ¥5,000
/// (04-15, second donor), ¥2,000 (06-10, first donor again); ¥1,001 →
/// $12.51 on 05-01 (1,001 × 0.0125 = 12.5125); ¥1,000 to A, B, C on 05-10
/// (334/333/333: A's extra yen); $100.01 to A, B on 06-01, where the
/// rotation starts after A, so B gets the extra cent (50.01/50.00).
#[test]
fn the_ledger_matches_hand_computed_values() {
    let (_d, mut k) = fresh("tokyo");
    let (a, b, c) = (member(&mut k, "A"), member(&mut k, "B"), member(&mut k, "C"));
    let d1 = donor(&mut k, "山田 太郎");
    let d2 = donor(&mut k, "鈴木 次郎");
    gift(&mut k, &d1, "2011-03-20", "10000", "JPY");
    gift(&mut k, &d1, "2011-04-01", "250.50", "USD");
    gift(&mut k, &d2, "2011-04-15", "5000", "JPY");
    gift(&mut k, &d1, "2011-06-10", "2000", "JPY");
    let conv = k
        .convert(&ConversionInput {
            converted_on: Some("2011-05-01".into()),
            from_amount: Some("1001".into()),
            from_currency: Some("JPY".into()),
            to_currency: Some("USD".into()),
            rate: Some("0.0125".into()),
            notes: None,
        })
        .unwrap();
    assert_eq!(conv.to.to_string(), "12.51 USD");
    let yen = k.distribute(&distribution("1000", "JPY", "2011-05-10", &[&a.member_no, &b.id, &c.member_no])).unwrap();
    let parts: Vec<String> = yen.shares.iter().map(|s| s.amount.to_string()).collect();
    assert_eq!(parts, ["334 JPY", "333 JPY", "333 JPY"]);
    assert_eq!(yen.shares[0].member_id, a.id);
    let usd = k.distribute(&distribution("100.01", "USD", "2011-06-01", &[&a.id, &b.id])).unwrap();
    assert_eq!((usd.shares[0].member_id.as_str(), usd.cursor), (b.id.as_str(), 1));
    assert_eq!(usd.shares.iter().map(|s| s.amount.to_string()).collect::<Vec<_>>(), ["50.01 USD", "50.00 USD"]);

    let all = k.fund_ledger(&LedgerQuery::default()).unwrap();
    let show = |l: &kizuna_core::model::fund::Ledger| {
        l.currencies
            .iter()
            .map(|c| {
                [&c.opening, &c.gifts_in, &c.converted_in, &c.converted_out, &c.distributed_out, &c.closing]
                    .map(|m| m.to_string())
                    .join(" | ")
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        show(&all),
        [
            "0 JPY | 17,000 JPY | 0 JPY | 1,001 JPY | 1,000 JPY | 14,999 JPY",
            "0.00 USD | 250.50 USD | 12.51 USD | 0.00 USD | 100.01 USD | 163.00 USD",
        ]
    );
    assert_eq!((all.donors, all.gifts), (2, 4));
    assert_eq!(all.currencies[0].total_in.to_string(), "17,000 JPY");
    assert_eq!(all.currencies[0].total_out.to_string(), "2,001 JPY");
    let received: Vec<(String, Vec<String>)> =
        all.members.iter().map(|m| (m.member_id.clone(), m.received.iter().map(|r| r.to_string()).collect())).collect();
    assert_eq!(
        received,
        [
            (a.id.clone(), vec!["334 JPY".to_string(), "50.00 USD".to_string()]),
            (b.id.clone(), vec!["333 JPY".to_string(), "50.01 USD".to_string()]),
            (c.id.clone(), vec!["333 JPY".to_string()]),
        ]
    );

    // April and May: the opening is March's gift; two donors gave ($250.50 and ¥5,000).
    let spring =
        k.fund_ledger(&LedgerQuery { from: Some("2011-04-01".into()), to: Some("2011-05-31".into()) }).unwrap();
    assert_eq!(
        show(&spring),
        [
            "10,000 JPY | 5,000 JPY | 0 JPY | 1,001 JPY | 1,000 JPY | 12,999 JPY",
            "0.00 USD | 250.50 USD | 12.51 USD | 0.00 USD | 0.00 USD | 263.01 USD",
        ]
    );
    assert_eq!((spring.donors, spring.gifts), (2, 2));
    // Received to the period's end: the yen distribution only.
    assert_eq!(spring.members.len(), 3);
    assert!(spring.members.iter().all(|m| m.received.len() == 1 && m.received[0].currency == Currency::JPY));

    // The report's figures: 2 donors, ¥17,000 and $250.50; at 0.0125 USD/JPY, 250.50 + 212.50.
    let totals = k.fund_totals(&FundTotalsQuery::default()).unwrap();
    assert_eq!((totals.donors, totals.gifts, totals.usd_total.to_string()), (2, 4, "250.50 USD".to_string()));
    assert!(totals.basis.contains("stated apart"), "{}", totals.basis);
    let at = k.fund_totals(&FundTotalsQuery { usd_per_jpy: Some("0.0125".into()), ..Default::default() }).unwrap();
    assert_eq!(at.usd_total.to_string(), "463.00 USD");
    let e = k.fund_totals(&FundTotalsQuery { usd_per_jpy: Some("-1".into()), ..Default::default() }).unwrap_err();
    assert_eq!(invalid_field(e), "usd_per_jpy");
}

#[test]
fn distributions_never_exceed_the_balance_then_or_later() {
    let (_d, mut k) = fresh("tokyo");
    let (a, b) = (member(&mut k, "A"), member(&mut k, "B"));
    let d = donor(&mut k, "山田");
    gift(&mut k, &d, "2011-05-01", "10000", "JPY");
    let ids = [a.id.as_str(), b.id.as_str()];
    // Before any gift, and over the balance, and in a currency the fund lacks.
    for (amount, currency, on) in
        [("1", "JPY", "2011-04-30"), ("10001", "JPY", "2011-05-01"), ("1.00", "USD", "2011-06-01")]
    {
        let e = k.distribute(&distribution(amount, currency, on, &ids)).unwrap_err();
        let msg = e.to_string();
        assert_eq!(invalid_field(e), "amount", "{amount} {currency} {on}");
        assert!(msg.contains("balance"), "{msg}");
    }
    let e = k.distribute(&distribution("10001", "JPY", "2011-05-01", &ids)).unwrap_err().to_string();
    assert!(e.contains("10,000 JPY"), "the error states the balance: {e}");
    k.distribute(&distribution("10000", "JPY", "2011-06-01", &ids)).unwrap();
    // Enough on 05-15, but the 06-01 distribution would then overdraw.
    let e = k.distribute(&distribution("5000", "JPY", "2011-05-15", &ids)).unwrap_err().to_string();
    assert!(e.contains("2011-06-01"), "{e}");
    // Removing the gift would overdraw too; a conversion of money already paid out as well.
    let g = k.gift_list(&GiftQuery::default()).unwrap().rows[0].id.clone();
    assert_eq!(invalid_field(k.gift_remove(&g).unwrap_err()), "gift");
    let c = ConversionInput {
        converted_on: Some("2011-06-02".into()),
        from_amount: Some("1".into()),
        from_currency: Some("JPY".into()),
        to_currency: Some("USD".into()),
        rate: Some("0.0125".into()),
        notes: None,
    };
    assert_eq!(invalid_field(k.convert(&c).unwrap_err()), "from_amount");
    assert_eq!(k.distribution_list(&Default::default()).unwrap().len(), 1);
    assert_eq!(k.conversion_list().unwrap().len(), 0);
    assert_eq!(k.gift_list(&GiftQuery::default()).unwrap().total, 1);
}

#[test]
fn by_default_members_with_an_active_site_in_the_affected_prefectures_share() {
    let (_d, mut k) = fresh("tokyo");
    let d = donor(&mut k, "山田");
    gift(&mut k, &d, "2011-04-01", "1000000", "JPY");
    let ms: Vec<_> = ["A", "B", "C", "D", "E", "F"].iter().map(|n| member(&mut k, n)).collect();
    let site = |k: &mut Kizuna, m: &str, pref: &str, status: &str, opened: &str, closed: Option<&str>| {
        k.site_add(&SiteInput {
            member_id: Some(m.into()),
            prefecture: Some(pref.into()),
            municipality: Some("どこか".into()),
            municipality_free: Some(true),
            name: Some(format!("拠点 {m} {pref}")),
            status: Some(status.into()),
            // A planned site has not opened: it takes no date.
            opened_on: (status != "planned").then(|| opened.into()),
            closed_on: closed.map(String::from),
            ..Default::default()
        })
        .unwrap();
    };
    site(&mut k, &ms[0].id, "04", "active", "2011-04-01", None); // A: Miyagi, active
    site(&mut k, &ms[1].id, "03", "active", "2011-05-01", Some("2012-01-01")); // B: Iwate, open that day
    site(&mut k, &ms[2].id, "13", "active", "2011-04-01", None); // C: Tokyo only
    site(&mut k, &ms[3].id, "07", "planned", "2011-04-01", None); // D: planned
    site(&mut k, &ms[4].id, "07", "active", "2011-05-02", None); // E: opens the day after
    site(&mut k, &ms[5].id, "04", "active", "2011-04-01", Some("2011-04-30")); // F: closed before
    site(&mut k, &ms[0].id, "07", "active", "2011-04-01", None); // A again: counted once
    let input = DistributionInput {
        amount: Some("1000".into()),
        currency: Some("JPY".into()),
        distributed_on: Some("2011-05-01".into()),
        dry_run: Some(true),
        ..Default::default()
    };
    let dry = k.distribute(&input).unwrap();
    let who: Vec<&str> = dry.shares.iter().map(|s| s.member_id.as_str()).collect();
    assert_eq!(who, [ms[0].id.as_str(), ms[1].id.as_str()]);
    assert_eq!((dry.id.is_none(), dry.eligible_on.map(|d| d.to_string())), (true, Some("2011-05-01".into())));
    assert_eq!(dry.prefectures, ["03", "04", "07"]);
    assert!(k.distribution_list(&Default::default()).unwrap().is_empty(), "a dry run writes nothing");
    // Tokyo alone, judged on the day E opened.
    let tokyo = DistributionInput {
        prefectures: Some(vec!["Tokyo".into()]),
        eligible_on: Some("2011-05-02".into()),
        dry_run: Some(false),
        ..input.clone()
    };
    let written = k.distribute(&tokyo).unwrap();
    assert_eq!(written.shares.iter().map(|s| s.member_id.as_str()).collect::<Vec<_>>(), [ms[2].id.as_str()]);
    assert_eq!(k.distribution_show(written.id.as_deref().unwrap()).unwrap().shares[0].amount.to_string(), "1,000 JPY");
    // Members and eligibility together are refused.
    let both = DistributionInput { members: Some(vec![ms[0].id.clone()]), ..tokyo };
    assert_eq!(invalid_field(k.distribute(&both).unwrap_err()), "members");
}

#[test]
fn consecutive_distributions_rotate_the_remainder() {
    let (_d, mut k) = fresh("tokyo");
    let ms: Vec<_> = (1..=5).map(|n| member(&mut k, &format!("M{n}"))).collect();
    let ids: Vec<&str> = ms.iter().map(|m| m.id.as_str()).collect();
    let d = donor(&mut k, "山田");
    gift(&mut k, &d, "2011-04-01", "1000", "JPY");
    // 102 over 5: r = 2; then 103: r = 3; then 101: r = 1.
    let extra = |k: &mut Kizuna, amount: &str, on: &str| {
        let dist = k.distribute(&distribution(amount, "JPY", on, &ids)).unwrap();
        let total: i128 = dist.shares.iter().map(|s| minor_units(s.amount)).sum();
        assert_eq!(total.to_string(), amount);
        dist.shares.iter().filter(|s| s.remainder_unit).map(|s| s.member_id.clone()).collect::<Vec<_>>()
    };
    let first = extra(&mut k, "102", "2011-05-01");
    let second = extra(&mut k, "103", "2011-06-01");
    let third = extra(&mut k, "101", "2011-07-01");
    assert_eq!(first, [ids[0], ids[1]]);
    assert_eq!(second, [ids[2], ids[3], ids[4]]);
    assert_eq!(third, [ids[0]]);
    // The same request twice, as dry runs, gives the same split.
    let a = k.distribute(&DistributionInput { dry_run: Some(true), ..distribution("7", "JPY", "2011-08-01", &ids) });
    let b = k.distribute(&DistributionInput { dry_run: Some(true), ..distribution("7", "JPY", "2011-08-01", &ids) });
    let parts = |d: kizuna_core::model::fund::Distribution| {
        d.shares.iter().map(|s| (s.member_id.clone(), s.amount.to_string())).collect::<Vec<_>>()
    };
    assert_eq!(parts(a.unwrap()), parts(b.unwrap()));
}

#[test]
fn conversions_round_half_away_from_zero_to_the_minor_unit() {
    let (_d, mut k) = fresh("tokyo");
    let d = donor(&mut k, "山田");
    gift(&mut k, &d, "2011-04-01", "100000", "JPY");
    gift(&mut k, &d, "2011-04-01", "100.00", "USD");
    let conv = |k: &mut Kizuna, amount: &str, from: &str, to: &str, rate: &str| {
        k.convert(&ConversionInput {
            converted_on: Some("2011-05-01".into()),
            from_amount: Some(amount.into()),
            from_currency: Some(from.into()),
            to_currency: Some(to.into()),
            rate: Some(rate.into()),
            notes: None,
        })
    };
    assert_eq!(conv(&mut k, "1", "JPY", "USD", "0.005").unwrap().to.to_string(), "0.01 USD");
    assert_eq!(conv(&mut k, "1001", "JPY", "USD", "0.0125").unwrap().to.to_string(), "12.51 USD");
    assert_eq!(conv(&mut k, "10.01", "USD", "JPY", "80.5").unwrap().to.to_string(), "806 JPY");
    assert_eq!(invalid_field(conv(&mut k, "1", "JPY", "JPY", "1").unwrap_err()), "to_currency");
    assert_eq!(invalid_field(conv(&mut k, "1", "JPY", "USD", "0").unwrap_err()), "rate");
    assert_eq!(invalid_field(conv(&mut k, "1", "JPY", "USD", "0.001").unwrap_err()), "from_amount");
    assert_eq!(k.conversion_list().unwrap().len(), 3);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Parts sum to T exactly, differ by at most one minor unit, and the
    /// remainder goes to the first r of the order.
    #[test]
    fn a_split_sums_to_the_total_and_is_even(total in 0i128..1_000_000_000_000_000, n in 1usize..1_000) {
        let parts = split_parts(total, n);
        prop_assert_eq!(parts.len(), n);
        prop_assert_eq!(parts.iter().sum::<i128>(), total);
        let (min, max) = (parts.iter().min().copied().unwrap(), parts.iter().max().copied().unwrap());
        prop_assert!(max - min <= 1);
        let r = split_remainder(total, n);
        prop_assert!(parts.iter().take(r).all(|p| *p == max) && parts.iter().skip(r).all(|p| *p == total / n as i128));
        prop_assert_eq!(split_parts(total, n), parts);
    }

    /// Over the same members, two consecutive distributions with r + r' <= n
    /// give their remainder units to different members.
    #[test]
    fn consecutive_remainders_fall_on_different_members(
        n in 1usize..200, cursor in 0usize..200, t1 in 0i128..10_000_000, t2 in 0i128..10_000_000,
    ) {
        let members: Vec<usize> = (0..n).collect();
        let cursor = cursor % n;
        let (r1, r2) = (split_remainder(t1, n), split_remainder(t2, n));
        prop_assume!(r1 + r2 <= n);
        let first: Vec<usize> = rotate(&members, cursor).into_iter().take(r1).collect();
        let second: Vec<usize> = rotate(&members, next_cursor(cursor, r1, n)).into_iter().take(r2).collect();
        prop_assert!(first.iter().all(|m| !second.contains(m)), "{:?} / {:?}", first, second);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Through the API: the stored split always sums to T, spans one unit at
    /// most, and the next distribution's remainder avoids this one's.
    #[test]
    fn stored_distributions_split_exactly_and_rotate(
        n in 1usize..9, amounts in proptest::collection::vec((1i64..100_000, any::<bool>()), 2..4),
    ) {
        let (_d, mut k) = fresh("tokyo");
        let ms: Vec<String> = (0..n).map(|i| member(&mut k, &format!("P{i}")).id).collect();
        let ids: Vec<&str> = ms.iter().map(String::as_str).collect();
        let d = donor(&mut k, "山田");
        gift(&mut k, &d, "2011-04-01", "1000000", "JPY");
        gift(&mut k, &d, "2011-04-01", "10000.00", "USD");
        let mut previous: Option<Vec<String>> = None;
        for (i, (units, usd)) in amounts.iter().enumerate() {
            let (amount, currency) =
                if *usd { (format!("{}.{:02}", units / 100, units % 100), "USD") } else { (units.to_string(), "JPY") };
            let on = format!("2011-05-{:02}", i + 1);
            let dist = k.distribute(&distribution(&amount, currency, &on, &ids)).unwrap();
            let parts: Vec<i128> = dist.shares.iter().map(|s| minor_units(s.amount)).collect();
            prop_assert_eq!(parts.iter().sum::<i128>(), i128::from(*units));
            prop_assert_eq!(minor_units(dist.shares_total), i128::from(*units));
            prop_assert!(parts.iter().max().unwrap() - parts.iter().min().unwrap() <= 1);
            let shown = k.distribution_show(dist.id.as_deref().unwrap()).unwrap();
            prop_assert_eq!(shown.shares.iter().map(|s| minor_units(s.amount)).collect::<Vec<_>>(), parts);
            let extra: Vec<String> =
                dist.shares.iter().filter(|s| s.remainder_unit).map(|s| s.member_id.clone()).collect();
            if let Some(p) = &previous && p.len() + extra.len() <= n {
                prop_assert!(extra.iter().all(|m| !p.contains(m)), "{:?} then {:?}", p, extra);
            }
            previous = Some(extra);
        }
    }
}

/// The fund's in-memory index is updated in place by this connection's own
/// gifts, distributions and conversions: after each of a mixed run of
/// writes, the ledger it gives equals the ledger of a fresh connection,
/// which builds the index from the database.
#[test]
fn the_fund_index_updated_in_place_gives_what_a_rebuild_gives() {
    let (dir, mut k) = fresh("tokyo");
    let ms: Vec<_> = (1..=4).map(|n| member(&mut k, &format!("M{n}"))).collect();
    let ids: Vec<&str> = ms.iter().map(|m| m.id.as_str()).collect();
    let (d1, d2) = (donor(&mut k, "山田"), donor(&mut k, "鈴木"));
    let ledger = |k: &Kizuna| {
        let all = k.fund_ledger(&LedgerQuery::default()).unwrap();
        let q = LedgerQuery { from: Some("2011-05-01".into()), to: Some("2011-06-30".into()) };
        serde_json::to_string(&(all, k.fund_ledger(&q).unwrap())).unwrap()
    };
    let same = |k: &Kizuna, step: &str| {
        let rebuilt = Kizuna::open(dir.path()).unwrap();
        assert_eq!(ledger(k), ledger(&rebuilt), "after {step}");
    };
    gift(&mut k, &d1, "2011-06-01", "5000", "JPY");
    same(&k, "a gift");
    // Earlier than the one before, and in the other currency.
    gift(&mut k, &d2, "2011-04-01", "300.25", "USD");
    gift(&mut k, &d1, "2011-05-15", "7", "JPY");
    same(&k, "gifts out of date order");
    k.distribute(&distribution("1003", "JPY", "2011-06-02", &ids)).unwrap();
    k.distribute(&distribution("10.02", "USD", "2011-05-20", &ids)).unwrap();
    same(&k, "two distributions");
    // The next rotation starts where the in-place index says the last
    // remainder fell, as a rebuilt index says too.
    let mut rebuilt = Kizuna::open(dir.path()).unwrap();
    let planned = rebuilt
        .distribute(&DistributionInput { dry_run: Some(true), ..distribution("5", "JPY", "2011-06-03", &ids) })
        .unwrap();
    let next = k.distribute(&distribution("5", "JPY", "2011-06-03", &ids)).unwrap();
    assert_eq!((next.cursor, planned.cursor), (planned.cursor, 3));
    k.convert(&ConversionInput {
        converted_on: Some("2011-06-05".into()),
        from_amount: Some("1000".into()),
        from_currency: Some("JPY".into()),
        to_currency: Some("USD".into()),
        rate: Some("0.0125".into()),
        notes: None,
    })
    .unwrap();
    same(&k, "a conversion");
    // A write the index is not updated for (a removal) and another
    // connection's write both leave it to be rebuilt.
    k.distribution_remove(&next.id.clone().unwrap()).unwrap();
    same(&k, "a removal");
    Kizuna::open(dir.path())
        .unwrap()
        .gift_add(&GiftInput {
            donor: Some(d2.clone()),
            received_on: Some("2011-05-30".into()),
            amount: Some("1".into()),
            currency: Some("USD".into()),
            ..Default::default()
        })
        .unwrap();
    same(&k, "another connection's gift");
    gift(&mut k, &d2, "2011-06-10", "2.50", "USD");
    same(&k, "a gift after the other connection's");
}
