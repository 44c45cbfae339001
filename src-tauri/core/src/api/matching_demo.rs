//! Synthetic offers and needs for demos and benchmarks, every one labelled
//! "Sample": offers from Tokyo and the three prefectures, needs of the
//! members already recorded, half of each with a point near its
//! prefecture's centre.

use serde::Serialize;
use ts_rs::TS;

use crate::api::demo::{PLACES, SplitMix};
use crate::api::{Kizuna, new_id};
use crate::error::Result;
use crate::model::matching::{CATEGORIES, URGENCIES};
use crate::store::CellValue;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MatchingDemoSummary {
    #[ts(type = "number")]
    pub offers_added: i64,
    #[ts(type = "number")]
    pub needs_added: i64,
}

/// Rough centres of Iwate, Miyagi, Fukushima and Tokyo: a point is placed
/// up to about 40 km from one.
const CENTRES: [(&str, f64, f64); 4] =
    [("03", 39.70, 141.15), ("04", 38.27, 140.87), ("07", 37.75, 140.47), ("13", 35.68, 139.77)];

fn point(rng: &mut SplitMix, pref: &str) -> Option<(f64, f64)> {
    let (_, lat, lon) = CENTRES.iter().find(|(p, _, _)| *p == pref)?;
    let jitter = |rng: &mut SplitMix| (rng.below(801) as f64 - 400.0) / 1000.0;
    Some((lat + jitter(rng), lon + jitter(rng)))
}

fn day(rng: &mut SplitMix) -> String {
    let first = chrono::NaiveDate::from_ymd_opt(2011, 3, 15).unwrap_or_default();
    (first + chrono::Days::new(rng.below(700) as u64)).to_string()
}

impl Kizuna {
    /// `offers` offers and `needs` needs (for the members recorded; none
    /// without members), in one transaction, deterministic for a seed.
    pub fn demo_matching(&mut self, offers: usize, needs: usize, seed: u64) -> Result<MatchingDemoSummary> {
        let members: Vec<String> = {
            let mut stmt =
                self.store.conn().prepare("SELECT id FROM members WHERE deleted = 0 ORDER BY member_no, id")?;
            stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        let office = self.own_office()?.map(|o| o.id);
        let mut rng = SplitMix(seed);
        let needs = if members.is_empty() { 0 } else { needs };
        self.store.write(|w| {
            for n in 0..offers {
                let (pref, town) = if rng.below(4) == 0 {
                    ("13", "千代田区")
                } else {
                    let (pref, towns) = PLACES[rng.below(PLACES.len())];
                    (pref, towns[rng.below(towns.len())].0)
                };
                let (category, en, _) = CATEGORIES[rng.below(CATEGORIES.len())];
                let mut cells = vec![
                    ("source_kind", CellValue::text("company")),
                    ("source_name", CellValue::text(format!("Sample Company {:03}", n % 500))),
                    ("category", CellValue::text(category)),
                    ("description", CellValue::text(format!("Sample offer {n:06}: {en}"))),
                    ("quantity", CellValue::Integer(1 + rng.below(200) as i64)),
                    ("unit", CellValue::text("units")),
                    ("prefecture_code", CellValue::text(pref)),
                    ("municipality", CellValue::text(town)),
                    ("offered_on", CellValue::text(day(&mut rng))),
                    ("office_id", CellValue::opt_text(office.clone())),
                ];
                if rng.below(2) == 0
                    && let Some((lat, lon)) = point(&mut rng, pref)
                {
                    cells.push(("latitude", CellValue::Real(lat)));
                    cells.push(("longitude", CellValue::Real(lon)));
                }
                w.insert("offers", &new_id(), &cells)?;
            }
            for n in 0..needs {
                let (pref, towns) = PLACES[rng.below(PLACES.len())];
                let (town, _) = towns[rng.below(towns.len())];
                let (category, en, _) = CATEGORIES[rng.below(CATEGORIES.len())];
                let mut cells = vec![
                    ("member_id", CellValue::text(&members[rng.below(members.len())])),
                    ("category", CellValue::text(category)),
                    ("description", CellValue::text(format!("Sample need {n:06}: {en}"))),
                    ("quantity", CellValue::Integer(1 + rng.below(100) as i64)),
                    ("unit", CellValue::text("units")),
                    ("urgency", CellValue::text(URGENCIES[rng.below(URGENCIES.len())].0)),
                    ("prefecture_code", CellValue::text(pref)),
                    ("municipality", CellValue::text(town)),
                    ("raised_on", CellValue::text(day(&mut rng))),
                    ("office_id", CellValue::opt_text(office.clone())),
                ];
                if rng.below(2) == 0
                    && let Some((lat, lon)) = point(&mut rng, pref)
                {
                    cells.push(("latitude", CellValue::Real(lat)));
                    cells.push(("longitude", CellValue::Real(lon)));
                }
                w.insert("needs", &new_id(), &cells)?;
            }
            Ok(())
        })?;
        Ok(MatchingDemoSummary { offers_added: offers as i64, needs_added: needs as i64 })
    }
}
