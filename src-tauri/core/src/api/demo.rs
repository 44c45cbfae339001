//! A deterministic, clearly labelled synthetic data set for demos and
//! benchmarks. The source document names no member NGOs or sites, so none
//! are invented to look real: every name says "Sample".

use serde::Serialize;
use ts_rs::TS;

use crate::api::Kizuna;
use crate::error::Result;
use crate::model::member::MemberInput;
use crate::model::site::{SECTORS, SiteInput};

/// The note every demo member, organisation and fund donor carries (and a
/// demo list's description): how a report knows it includes sample data.
pub(crate) const DEMO_NOTE: &str = "Synthetic demo record (kizuna demo)";

/// SplitMix64: a fixed, documented generator, so a seed gives the same data
/// set on every machine and in every future build (library RNGs change their
/// streams between major versions).
pub(crate) struct SplitMix(pub(crate) u64);

impl SplitMix {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Real municipalities of the three prefectures, with kana readings.
pub(crate) const PLACES: [(&str, &[(&str, &str)]); 3] = [
    (
        "03",
        &[
            ("宮古市", "Miyako"),
            ("大船渡市", "Ofunato"),
            ("陸前高田市", "Rikuzentakata"),
            ("釜石市", "Kamaishi"),
            ("大槌町", "Otsuchi"),
            ("山田町", "Yamada"),
            ("遠野市", "Tono"),
        ],
    ),
    (
        "04",
        &[
            ("仙台市", "Sendai"),
            ("石巻市", "Ishinomaki"),
            ("気仙沼市", "Kesennuma"),
            ("名取市", "Natori"),
            ("東松島市", "Higashimatsushima"),
            ("南三陸町", "Minamisanriku"),
            ("女川町", "Onagawa"),
        ],
    ),
    (
        "07",
        &[
            ("福島市", "Fukushima"),
            ("郡山市", "Koriyama"),
            ("いわき市", "Iwaki"),
            ("南相馬市", "Minamisoma"),
            ("相馬市", "Soma"),
            ("二本松市", "Nihonmatsu"),
        ],
    ),
];

/// Approximate centres (latitude, longitude) of the municipalities in
/// [`PLACES`]: demo sites sit within about 3 km of them, so a report's map
/// has points to show.
const PLACE_POINTS: [(&str, f64, f64); 20] = [
    ("宮古市", 39.641, 141.957),
    ("大船渡市", 39.082, 141.708),
    ("陸前高田市", 39.015, 141.630),
    ("釜石市", 39.276, 141.886),
    ("大槌町", 39.359, 141.899),
    ("山田町", 39.468, 141.949),
    ("遠野市", 39.328, 141.533),
    ("仙台市", 38.268, 140.872),
    ("石巻市", 38.434, 141.303),
    ("気仙沼市", 38.908, 141.570),
    ("名取市", 38.171, 140.892),
    ("東松島市", 38.426, 141.210),
    ("南三陸町", 38.677, 141.461),
    ("女川町", 38.445, 141.447),
    ("福島市", 37.761, 140.474),
    ("郡山市", 37.400, 140.360),
    ("いわき市", 37.050, 140.888),
    ("南相馬市", 37.642, 140.957),
    ("相馬市", 37.797, 140.919),
    ("二本松市", 37.585, 140.431),
];

/// A demo site's point near its town, from its own number so that the
/// data set's other draws stay what they were. Westward only: the towns
/// are on the coast.
fn demo_point(town: &str, n: usize) -> Option<(String, String)> {
    let (_, lat, lon) = PLACE_POINTS.iter().find(|(t, _, _)| *t == town)?;
    let mut r = SplitMix(0x5EED_0000 ^ n as u64);
    let jitter = |r: &mut SplitMix| (r.below(2001) as f64 - 1000.0) / 1000.0;
    let lat = lat + 0.025 * jitter(&mut r);
    let lon = lon - 0.03 * (jitter(&mut r) + 1.0) / 2.0;
    Some((format!("{lat:.4}"), format!("{lon:.4}")))
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DemoSummary {
    #[ts(type = "number")]
    pub members_added: i64,
    #[ts(type = "number")]
    pub sites_added: i64,
    #[ts(type = "number")]
    pub seed: u64,
}

impl Kizuna {
    pub fn demo(&mut self, members: usize, sites: usize, seed: u64) -> Result<DemoSummary> {
        let mut rng = SplitMix(seed);
        let mut member_ids = Vec::with_capacity(members);
        let width = members.max(sites).to_string().len().max(3);
        let prefixes = self.member_list(&Default::default())?.total;
        for n in 1..=members {
            let no = prefixes as usize + n;
            let (pref, _) = PLACES[rng.below(PLACES.len())];
            let input = MemberInput {
                name_ja: Some(format!("サンプルNGO {no:0width$}")),
                name_en: Some(format!("Sample NGO {no:0width$}")),
                reading: Some(format!("サンプルエヌジーオー {no:0width$}")),
                legal_form: Some(["npo", "general_incorporated", "voluntary"][rng.below(3)].into()),
                email: Some(format!("sample{no}@example.org")),
                prefectures: Some(vec![pref.into()]),
                notes: Some(DEMO_NOTE.into()),
                ..Default::default()
            };
            member_ids.push(self.member_add(&input)?.id);
        }
        if member_ids.is_empty() && sites > 0 {
            member_ids = self
                .member_list(&crate::model::member::MemberQuery { limit: Some(500), ..Default::default() })?
                .rows
                .into_iter()
                .map(|m| m.id)
                .collect();
        }
        let mut inputs = Vec::with_capacity(sites);
        if !member_ids.is_empty() {
            for n in 1..=sites {
                let (pref, towns) = PLACES[rng.below(PLACES.len())];
                let (town, town_en) = towns[rng.below(towns.len())];
                let sector = SECTORS[rng.below(SECTORS.len())].0;
                let status = ["active", "active", "active", "planned", "closed"][rng.below(5)];
                let opened = format!("{}-{:02}-{:02}", 2011 + rng.below(3), 1 + rng.below(12), 1 + rng.below(28));
                let closed = (status == "closed")
                    .then(|| format!("{}-{:02}-{:02}", 2014 + rng.below(3), 1 + rng.below(12), 1 + rng.below(28)));
                let point = demo_point(town, n);
                inputs.push(SiteInput {
                    latitude: point.as_ref().map(|p| p.0.clone()),
                    longitude: point.map(|p| p.1),
                    member_id: Some(member_ids[rng.below(member_ids.len())].clone()),
                    prefecture: Some(pref.into()),
                    municipality: Some(town.into()),
                    name: Some(format!("サンプル拠点 {n:0width$} ({town})")),
                    name_en: Some(format!("Sample Site {n:0width$} ({town_en})")),
                    sectors: Some(vec![sector.into()]),
                    status: Some(status.into()),
                    opened_on: (status != "planned").then_some(opened),
                    closed_on: closed,
                    ..Default::default()
                });
            }
        }
        let added = self.site_add_many(&inputs)?.len();
        Ok(DemoSummary { members_added: members as i64, sites_added: added as i64, seed })
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CoordinationDemoSummary {
    #[ts(type = "number")]
    pub organisations_added: i64,
    #[ts(type = "number")]
    pub meetings_added: i64,
    #[ts(type = "number")]
    pub attendances_added: i64,
    #[ts(type = "number")]
    pub contacts_added: i64,
    /// The sample list every demo contact is subscribed to.
    pub list_id: Option<String>,
}

/// Sample organisations the demo meetings and contacts draw on.
const DEMO_ORGANISATIONS: usize = 50;

impl Kizuna {
    /// Synthetic coordination records over the members already recorded
    /// (run [`Kizuna::demo`] first): `meetings` meetings of `attendees`
    /// distinct organisations each (mostly members), and `contacts`
    /// contacts all subscribed to one sample list. Each table is written in
    /// one transaction; every name says "Sample".
    pub fn demo_coordination(
        &mut self,
        meetings: usize,
        attendees: usize,
        contacts: usize,
        seed: u64,
    ) -> Result<CoordinationDemoSummary> {
        use crate::api::{new_id, pair_id};
        use crate::store::CellValue;

        let members: Vec<String> = {
            let mut stmt =
                self.store.conn().prepare("SELECT id FROM members WHERE deleted = 0 ORDER BY member_no, id")?;
            stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        if members.is_empty() && (meetings > 0 || contacts > 0) {
            return Err(crate::error::Error::invalid("members", "no members are recorded: add demo members first"));
        }
        let offices: Vec<String> = self.office_list()?.into_iter().map(|o| o.id).collect();
        let mut rng = SplitMix(seed);
        let orgs: Vec<String> = (0..DEMO_ORGANISATIONS).map(|_| new_id()).collect();
        let list_id = (contacts > 0).then(new_id);
        let attendees = attendees.min(members.len() + orgs.len());
        let mut attendances = 0i64;
        let first_day = chrono::NaiveDate::from_ymd_opt(2011, 4, 1).unwrap_or_default();
        self.store.write(|w| {
            for (n, id) in orgs.iter().enumerate() {
                let (kind, ja, en) = [
                    ("company", "サンプル企業", "Sample Company"),
                    ("municipality", "サンプル町役場", "Sample Town Hall"),
                ][n % 2];
                w.insert(
                    "organisations",
                    id,
                    &[
                        ("name_ja", CellValue::text(format!("{ja} {n:03}"))),
                        ("name_en", CellValue::text(format!("{en} {n:03}"))),
                        ("kind", CellValue::text(kind)),
                        ("notes", CellValue::text(DEMO_NOTE)),
                    ],
                )?;
            }
            for n in 0..meetings {
                let (pref, towns) = PLACES[rng.below(PLACES.len())];
                let (town, _) = towns[rng.below(towns.len())];
                let day = first_day + chrono::Days::new(rng.below(1_400) as u64);
                let id = new_id();
                let mut cells = vec![
                    ("held_on", CellValue::text(day.to_string())),
                    ("prefecture_code", CellValue::text(pref)),
                    ("municipality", CellValue::text(town)),
                    ("venue", CellValue::text(format!("サンプル会場 {}", rng.below(20)))),
                    ("kind", CellValue::text(["information_sharing", "cluster", "government"][rng.below(3)])),
                    ("topic_ja", CellValue::text(format!("サンプル情報共有会議 {n:05}"))),
                    ("topic_en", CellValue::text(format!("Sample coordination meeting {n:05}"))),
                ];
                if !offices.is_empty() {
                    cells.push(("office_id", CellValue::text(&offices[rng.below(offices.len())])));
                }
                w.insert("meetings", &id, &cells)?;
                // Distinct attendees: consecutive members from a random
                // start, and about one in six from the organisations.
                let from_orgs = (attendees / 6).max(usize::from(attendees > 1));
                let start = rng.below(members.len());
                let mut seen = std::collections::HashSet::new();
                for a in 0..attendees {
                    let (col, who) = if a < attendees - from_orgs {
                        ("member_id", &members[(start + a) % members.len()])
                    } else {
                        ("organisation_id", &orgs[(start + a) % orgs.len()])
                    };
                    if !seen.insert(who) {
                        continue;
                    }
                    let row = pair_id("meeting_attendance", &id, who);
                    w.insert(
                        "meeting_attendance",
                        &row,
                        &[("meeting_id", CellValue::text(&id)), (col, CellValue::text(who))],
                    )?;
                    attendances += 1;
                }
            }
            if let Some(list) = &list_id {
                w.insert(
                    "mailing_lists",
                    list,
                    &[
                        ("name_ja", CellValue::text("サンプル配信リスト")),
                        ("name_en", CellValue::text("Sample mailing list")),
                        ("description", CellValue::text(DEMO_NOTE)),
                    ],
                )?;
            }
            for n in 0..contacts {
                let id = new_id();
                let org = if n % 3 == 0 {
                    ("member_id", CellValue::text(&members[rng.below(members.len())]))
                } else {
                    ("organisation_id", CellValue::text(&orgs[rng.below(orgs.len())]))
                };
                w.insert(
                    "contacts",
                    &id,
                    &[
                        ("name_ja", CellValue::text(format!("サンプル 担当者{n:05}"))),
                        ("name_en", CellValue::text(format!("Sample Contact {n:05}"))),
                        ("reading", CellValue::text(format!("さんぷる たんとうしゃ{n:05}"))),
                        ("role", CellValue::text("事務局")),
                        ("email", CellValue::text(format!("contact{n:05}@example.org"))),
                        ("prefecture_code", CellValue::text(PLACES[rng.below(PLACES.len())].0)),
                        org,
                    ],
                )?;
                if let Some(list) = &list_id {
                    w.insert(
                        "subscriptions",
                        &pair_id("subscriptions", list, &id),
                        &[
                            ("list_id", CellValue::text(list)),
                            ("contact_id", CellValue::text(&id)),
                            ("subscribed_on", CellValue::text("2011-05-01")),
                            ("bounced", CellValue::Integer(i64::from(rng.below(100) == 0))),
                        ],
                    )?;
                }
            }
            Ok(())
        })?;
        Ok(CoordinationDemoSummary {
            organisations_added: orgs.len() as i64,
            meetings_added: meetings as i64,
            attendances_added: attendances,
            contacts_added: contacts as i64,
            list_id,
        })
    }
}
