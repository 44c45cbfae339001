//! A deterministic, clearly labelled synthetic data set for demos and
//! benchmarks. The source document names no member NGOs or sites, so none
//! are invented to look real: every name says "Sample".

use serde::Serialize;
use ts_rs::TS;

use crate::api::Kizuna;
use crate::error::Result;
use crate::model::member::MemberInput;
use crate::model::site::{SECTORS, SiteInput};

/// SplitMix64: a fixed, documented generator, so a seed gives the same data
/// set on every machine and in every future build (library RNGs change their
/// streams between major versions).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Real municipalities of the three prefectures, with kana readings.
const PLACES: [(&str, &[(&str, &str)]); 3] = [
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
                notes: Some("Synthetic demo record (kizuna demo)".into()),
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
                inputs.push(SiteInput {
                    member_id: Some(member_ids[rng.below(member_ids.len())].clone()),
                    prefecture: Some(pref.into()),
                    municipality: Some(town.into()),
                    name: Some(format!("サンプル拠点 {n:0width$} ({town})")),
                    name_en: Some(format!("Sample Site {n:0width$} ({town_en})")),
                    sectors: Some(vec![sector.into()]),
                    status: Some(status.into()),
                    opened_on: Some(opened),
                    closed_on: closed,
                    ..Default::default()
                });
            }
        }
        let added = self.site_add_many(&inputs)?.len();
        Ok(DemoSummary { members_added: members as i64, sites_added: added as i64, seed })
    }
}
