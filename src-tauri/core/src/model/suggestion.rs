//! How suggestions between offers and needs are ranked, and the reasons a
//! suggestion gives. Pure: the API gathers the candidates.
//!
//! A pair's score is out of 100 and the same whichever side asks:
//! - distance, up to 40: `40 / (1 + km / 100)` when both have a point
//!   (0 km 40, 100 km 20, 300 km 10); else the same municipality 36 (as
//!   about 10 km), the same prefecture 27 (about 50 km), elsewhere 5;
//! - quantity fit, up to 30: the share of what the need still lacks that
//!   the offer's remaining quantity covers;
//! - urgency of the need: low 0, normal 5, high 12, critical 20;
//! - age, up to 10: up to 5 each for how long the offer and the need have
//!   been open (a day's worth up to 90 days), so older ones go first.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::matching::{Need, Offer, URGENCIES};

/// An offer's or a need's place: where the things are, or are wanted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    pub prefecture: Option<String>,
    pub municipality: Option<String>,
    /// Latitude and longitude, when both are known.
    pub point: Option<(f64, f64)>,
}

/// Great-circle distance in kilometres (haversine, mean Earth radius).
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().min(1.0).asin()
}

/// How close two places are, as suggestions rank them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Nearness {
    Km(f64),
    SameMunicipality,
    SamePrefecture,
    Elsewhere,
}

impl Place {
    /// Kilometres when both have a point; else the same municipality (in
    /// the same prefecture), the same prefecture, or elsewhere.
    pub fn nearness(&self, other: &Place) -> Nearness {
        if let (Some(a), Some(b)) = (self.point, other.point) {
            return Nearness::Km(haversine_km(a, b));
        }
        let same = |a: &Option<String>, b: &Option<String>| a.is_some() && a == b;
        if same(&self.prefecture, &other.prefecture) {
            if same(&self.municipality, &other.municipality) {
                Nearness::SameMunicipality
            } else {
                Nearness::SamePrefecture
            }
        } else {
            Nearness::Elsewhere
        }
    }
}

/// What scoring needs of an offer.
#[derive(Debug, Clone)]
pub struct OfferFacts {
    pub place: Place,
    pub remaining: i64,
    pub offered_on: Option<NaiveDate>,
    pub available_until: Option<NaiveDate>,
}

/// What scoring needs of a need.
#[derive(Debug, Clone)]
pub struct NeedFacts {
    pub place: Place,
    pub remaining: i64,
    /// Rank in [`URGENCIES`]: 0 low .. 3 critical.
    pub urgency: usize,
    pub raised_on: Option<NaiveDate>,
    pub needed_by: Option<NaiveDate>,
}

/// Whether an offer can serve a need in time: the offer is not gone before
/// the need was raised, and the need was not over before the offer came.
/// Categories and remaining quantities are checked by the caller.
pub fn in_time(o: &OfferFacts, n: &NeedFacts) -> bool {
    let gone = matches!((o.available_until, n.raised_on), (Some(until), Some(raised)) if until < raised);
    let over = matches!((n.needed_by, o.offered_on), (Some(by), Some(offered)) if by < offered);
    !gone && !over
}

const URGENCY_POINTS: [f64; 4] = [0.0, 5.0, 12.0, 20.0];
const AGE_DAYS: i64 = 90;

/// A pair's assessment, before any text: cheap enough for every candidate.
#[derive(Debug, Clone, Copy)]
pub struct Assessment {
    pub nearness: Nearness,
    /// What the match would carry: the offer's remaining or the need's, whichever is less.
    pub covered: i64,
    pub needed: i64,
    pub urgency: usize,
    pub offer_age: Option<i64>,
    pub need_age: Option<i64>,
    pub score: f64,
}

fn distance_points(n: Nearness) -> f64 {
    match n {
        Nearness::Km(km) => 40.0 / (1.0 + km / 100.0),
        Nearness::SameMunicipality => 36.0,
        Nearness::SamePrefecture => 27.0,
        Nearness::Elsewhere => 5.0,
    }
}

fn age_points(days: Option<i64>) -> f64 {
    5.0 * days.unwrap_or(0).clamp(0, AGE_DAYS) as f64 / AGE_DAYS as f64
}

fn fit_points(covered: i64, needed: i64) -> f64 {
    if needed <= 0 { 0.0 } else { 30.0 * covered.min(needed) as f64 / needed as f64 }
}

/// Scores a pair as of `on` (ages count to that day).
pub fn assess(o: &OfferFacts, n: &NeedFacts, on: NaiveDate) -> Assessment {
    let nearness = o.place.nearness(&n.place);
    let covered = o.remaining.min(n.remaining).max(0);
    let urgency = n.urgency.min(URGENCY_POINTS.len() - 1);
    let offer_age = o.offered_on.map(|d| (on - d).num_days().max(0));
    let need_age = n.raised_on.map(|d| (on - d).num_days().max(0));
    let score = distance_points(nearness)
        + fit_points(covered, n.remaining)
        + URGENCY_POINTS[urgency]
        + age_points(offer_age)
        + age_points(need_age);
    Assessment { nearness, covered, needed: n.remaining, urgency, offer_age, need_age, score }
}

/// Why a suggestion ranks where it does; the UI translates `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReasonCode {
    /// `value` kilometres apart.
    DistanceKm,
    SameMunicipality,
    SamePrefecture,
    /// Neither the same prefecture nor a known distance.
    Elsewhere,
    /// The offer covers all `of` still needed (`quantity`).
    CoversAll,
    /// The offer covers `quantity` of the `of` still needed.
    CoversPart,
    /// The need's urgency (`urgency`) is high or critical.
    Urgent,
    /// The offer was offered `value` days before the day of the suggestion.
    OfferedDaysAgo,
    /// The need was raised `value` days before.
    RaisedDaysAgo,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Reason {
    pub code: ReasonCode,
    /// Kilometres or days.
    pub value: Option<f64>,
    #[ts(type = "number | null")]
    pub quantity: Option<i64>,
    #[ts(type = "number | null")]
    pub of: Option<i64>,
    pub urgency: Option<String>,
    /// What it adds to the score.
    pub points: f64,
    pub text_en: String,
    pub text_ja: String,
}

/// An offer suggested for a need (or a need for an offer).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Suggestion {
    pub offer: Offer,
    pub need: Need,
    /// Out of 100, to two decimal places; higher first.
    pub score: f64,
    /// What a match would carry: the offer's remaining or the need's, whichever is less.
    #[ts(type = "number")]
    pub quantity: i64,
    pub reasons: Vec<Reason>,
    pub text_en: String,
    pub text_ja: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SuggestionQuery {
    /// How many, best first (10 when absent, at most 100).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// The day ages count to (YYYY-MM-DD); today when absent.
    #[ts(optional)]
    pub on: Option<String>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn reason(code: ReasonCode, points: f64, en: String, ja: String) -> Reason {
    Reason {
        code,
        value: None,
        quantity: None,
        of: None,
        urgency: None,
        points: round2(points),
        text_en: en,
        text_ja: ja,
    }
}

/// The reasons of an assessed pair, in the order they weigh, with their text.
pub fn reasons(a: &Assessment, unit: Option<&str>) -> Vec<Reason> {
    let unit = unit.map(|u| format!(" {u}")).unwrap_or_default();
    let mut out = Vec::new();
    let dp = distance_points(a.nearness);
    out.push(match a.nearness {
        Nearness::Km(km) => {
            let km1 = (km * 10.0).round() / 10.0;
            Reason {
                value: Some(km1),
                ..reason(ReasonCode::DistanceKm, dp, format!("{km1} km away"), format!("距離 {km1} km"))
            }
        }
        Nearness::SameMunicipality => {
            reason(ReasonCode::SameMunicipality, dp, "in the same municipality".into(), "同じ市区町村".into())
        }
        Nearness::SamePrefecture => {
            reason(ReasonCode::SamePrefecture, dp, "in the same prefecture".into(), "同じ都道府県".into())
        }
        Nearness::Elsewhere => reason(ReasonCode::Elsewhere, dp, "in another prefecture".into(), "他の都道府県".into()),
    });
    let fp = fit_points(a.covered, a.needed);
    let (q, of) = (a.covered, a.needed);
    out.push(if q >= of {
        Reason {
            quantity: Some(q),
            of: Some(of),
            ..reason(
                ReasonCode::CoversAll,
                fp,
                format!("covers all {of}{unit} needed"),
                format!("必要な{of}{unit}をすべて満たす"),
            )
        }
    } else {
        Reason {
            quantity: Some(q),
            of: Some(of),
            ..reason(
                ReasonCode::CoversPart,
                fp,
                format!("covers {q} of the {of}{unit} needed"),
                format!("必要な{of}{unit}のうち{q}を満たす"),
            )
        }
    });
    if a.urgency >= 2 {
        let (code, en, ja) = URGENCIES[a.urgency];
        out.push(Reason {
            urgency: Some(code.to_string()),
            ..reason(
                ReasonCode::Urgent,
                URGENCY_POINTS[a.urgency],
                format!("{} need", en.to_lowercase()),
                format!("緊急度: {ja}"),
            )
        });
    }
    if let Some(d) = a.offer_age {
        out.push(Reason {
            value: Some(d as f64),
            ..reason(
                ReasonCode::OfferedDaysAgo,
                age_points(Some(d)),
                format!("offered {d} days ago"),
                format!("{d}日前に提供"),
            )
        });
    }
    if let Some(d) = a.need_age {
        out.push(Reason {
            value: Some(d as f64),
            ..reason(
                ReasonCode::RaisedDaysAgo,
                age_points(Some(d)),
                format!("needed for {d} days"),
                format!("{d}日前から必要"),
            )
        });
    }
    out
}

/// A suggestion with its reasons and their text joined.
pub fn suggestion(offer: Offer, need: Need, a: &Assessment) -> Suggestion {
    let reasons = reasons(a, offer.unit.as_deref().or(need.unit.as_deref()));
    let text_en = reasons.iter().map(|r| r.text_en.as_str()).collect::<Vec<_>>().join("; ");
    let text_ja = reasons.iter().map(|r| r.text_ja.as_str()).collect::<Vec<_>>().join("、");
    Suggestion { offer, need, score: round2(a.score), quantity: a.covered, reasons, text_en, text_ja }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(p: &str, m: &str, point: Option<(f64, f64)>) -> Place {
        Place { prefecture: Some(p.into()), municipality: Some(m.into()), point }
    }

    #[test]
    fn haversine_gives_known_distances() {
        // Tokyo station to Sendai station: about 306 km.
        let km = haversine_km((35.681, 139.767), (38.260, 140.882));
        assert!((300.0..312.0).contains(&km), "{km}");
        assert_eq!(haversine_km((38.0, 141.0), (38.0, 141.0)), 0.0);
    }

    #[test]
    fn nearness_falls_back_to_municipality_then_prefecture() {
        let a = place("04", "石巻市", None);
        assert_eq!(a.nearness(&place("04", "石巻市", Some((38.4, 141.3)))), Nearness::SameMunicipality);
        assert_eq!(a.nearness(&place("04", "仙台市", None)), Nearness::SamePrefecture);
        assert_eq!(a.nearness(&place("03", "石巻市", None)), Nearness::Elsewhere);
        assert_eq!(Place::default().nearness(&Place::default()), Nearness::Elsewhere);
    }

    #[test]
    fn scores_add_up_and_reasons_say_why() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let o = OfferFacts {
            place: place("04", "石巻市", Some((38.434, 141.303))),
            remaining: 10,
            offered_on: Some(day("2011-04-01")),
            available_until: None,
        };
        let n = NeedFacts {
            place: place("04", "石巻市", Some((38.434, 141.303))),
            remaining: 20,
            urgency: 3,
            raised_on: Some(day("2011-05-01")),
            needed_by: None,
        };
        let a = assess(&o, &n, day("2011-05-31"));
        // 40 (0 km) + 15 (half covered) + 20 (critical) + 5*60/90 + 5*30/90.
        assert!((a.score - (40.0 + 15.0 + 20.0 + 5.0)).abs() < 1e-9, "{}", a.score);
        let codes: Vec<ReasonCode> = reasons(&a, Some("台")).iter().map(|r| r.code).collect();
        assert_eq!(
            codes,
            [
                ReasonCode::DistanceKm,
                ReasonCode::CoversPart,
                ReasonCode::Urgent,
                ReasonCode::OfferedDaysAgo,
                ReasonCode::RaisedDaysAgo
            ]
        );
        assert_eq!(reasons(&a, Some("台"))[1].text_en, "covers 10 of the 20 台 needed");
    }

    #[test]
    fn an_offer_gone_before_the_need_is_not_in_time() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let o = OfferFacts {
            place: Place::default(),
            remaining: 1,
            offered_on: day("2011-04-01"),
            available_until: day("2011-04-30"),
        };
        let mut n = NeedFacts {
            place: Place::default(),
            remaining: 1,
            urgency: 1,
            raised_on: day("2011-05-01"),
            needed_by: None,
        };
        assert!(!in_time(&o, &n));
        n.raised_on = day("2011-04-30");
        assert!(in_time(&o, &n));
        n.needed_by = day("2011-03-31");
        n.raised_on = day("2011-03-01");
        assert!(!in_time(&o, &n), "the need was over before the offer came");
    }
}
