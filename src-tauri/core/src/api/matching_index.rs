//! An in-memory index of the live offers and needs with what each has left,
//! for suggestions: ranking one need against 100,000 offers reads no row
//! from the database, scores the offers of its category (a pass over a few
//! thousand entries) and reads only the winners' rows. Kept by
//! [`LazyIndex`]: rebuilt on the first use after any change, except that a
//! match's own steps (propose, accept, deliver, cancel, reduce) move its
//! offer's and need's remainders in place (`write_through`): a rebuild at
//! 100,000 offers takes close to 200 ms, which every step would otherwise
//! add to the next suggestion.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::api::lazy_index::{LazyIndex, UpdatedIndex};
use crate::api::members::opt_date;
use crate::error::Result;
use crate::model::matching::urgency_rank;
use crate::model::suggestion::{NeedFacts, OfferFacts, Place};

pub(crate) struct OfferEntry {
    pub id: String,
    pub facts: OfferFacts,
}

pub(crate) struct NeedEntry {
    pub id: String,
    pub facts: NeedFacts,
}

pub(crate) struct MatchingIndex {
    stamp: (u64, i64),
    pub offers: Vec<OfferEntry>,
    pub needs: Vec<NeedEntry>,
    /// Positions in `offers` and `needs` by category.
    offers_by_category: HashMap<String, Vec<usize>>,
    needs_by_category: HashMap<String, Vec<usize>>,
    offer_at: HashMap<String, usize>,
    need_at: HashMap<String, usize>,
}

fn place(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Place> {
    let lat: Option<f64> = r.get(first + 2)?;
    let lon: Option<f64> = r.get(first + 3)?;
    Ok(Place { prefecture: r.get(first)?, municipality: r.get(first + 1)?, point: lat.zip(lon) })
}

impl LazyIndex for MatchingIndex {
    fn build(conn: &Connection, stamp: (u64, i64)) -> Result<Self> {
        // Committed quantities per offer and per need, as `Commitment` counts them.
        let mut offer_committed: HashMap<String, i64> = HashMap::new();
        let mut need_committed: HashMap<String, i64> = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT offer_id, need_id,
                    CASE status WHEN 'delivered' THEN coalesce(delivered_quantity, quantity) ELSE quantity END
             FROM matches WHERE deleted = 0 AND status IN ('accepted', 'delivered')",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let q: i64 = r.get::<_, Option<i64>>(2)?.unwrap_or(0);
            if let Some(o) = r.get::<_, Option<String>>(0)? {
                *offer_committed.entry(o).or_default() += q;
            }
            if let Some(n) = r.get::<_, Option<String>>(1)? {
                *need_committed.entry(n).or_default() += q;
            }
        }
        let mut index = MatchingIndex {
            stamp,
            offers: Vec::new(),
            needs: Vec::new(),
            offers_by_category: HashMap::new(),
            needs_by_category: HashMap::new(),
            offer_at: HashMap::new(),
            need_at: HashMap::new(),
        };
        // Table scans, sorted here by id: said outright, as the planner takes
        // `deleted = 0` for a narrow lookup and would read every row through
        // an index, a random page read each (five times slower at 100k).
        let mut stmt = conn.prepare(
            "SELECT id, category, quantity, prefecture_code, municipality, latitude, longitude, offered_on,
                    available_until
             FROM offers NOT INDEXED WHERE deleted = 0",
        )?;
        let mut rows = stmt.query([])?;
        let mut offers = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let category: String = r.get::<_, Option<String>>(1)?.unwrap_or_else(|| "other".into());
            let quantity: i64 = r.get::<_, Option<i64>>(2)?.unwrap_or(0);
            let committed = offer_committed.get(&id).copied().unwrap_or(0);
            let facts = OfferFacts {
                place: place(r, 3)?,
                remaining: quantity.saturating_sub(committed),
                offered_on: opt_date(r.get(7)?),
                available_until: opt_date(r.get(8)?),
            };
            offers.push((id, category, facts));
        }
        offers.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (id, category, facts) in offers {
            let at = index.offers.len();
            index.offers_by_category.entry(category).or_default().push(at);
            index.offer_at.insert(id.clone(), at);
            index.offers.push(OfferEntry { id, facts });
        }
        let mut stmt = conn.prepare(
            "SELECT id, category, quantity, prefecture_code, municipality, latitude, longitude, urgency,
                    raised_on, needed_by
             FROM needs NOT INDEXED WHERE deleted = 0",
        )?;
        let mut rows = stmt.query([])?;
        let mut needs = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let category: String = r.get::<_, Option<String>>(1)?.unwrap_or_else(|| "other".into());
            let quantity: i64 = r.get::<_, Option<i64>>(2)?.unwrap_or(0);
            let committed = need_committed.get(&id).copied().unwrap_or(0);
            let urgency: Option<String> = r.get(7)?;
            let facts = NeedFacts {
                place: place(r, 3)?,
                remaining: quantity.saturating_sub(committed),
                urgency: urgency_rank(urgency.as_deref().unwrap_or("normal")),
                raised_on: opt_date(r.get(8)?),
                needed_by: opt_date(r.get(9)?),
            };
            needs.push((id, category, facts));
        }
        needs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (id, category, facts) in needs {
            let at = index.needs.len();
            index.needs_by_category.entry(category).or_default().push(at);
            index.need_at.insert(id.clone(), at);
            index.needs.push(NeedEntry { id, facts });
        }
        Ok(index)
    }

    fn is_current(&self, stamp: (u64, i64)) -> bool {
        self.stamp == stamp
    }
}

impl UpdatedIndex for MatchingIndex {
    fn restamp(&mut self, stamp: (u64, i64)) {
        self.stamp = stamp;
    }
}

impl MatchingIndex {
    /// A match's commitment moved by `delta`: its offer and its need have
    /// that much less left (a removed one is not in the index).
    pub(crate) fn commit(&mut self, offer_id: &str, need_id: &str, delta: i64) {
        if let Some(&i) = self.offer_at.get(offer_id) {
            self.offers[i].facts.remaining = self.offers[i].facts.remaining.saturating_sub(delta);
        }
        if let Some(&i) = self.need_at.get(need_id) {
            self.needs[i].facts.remaining = self.needs[i].facts.remaining.saturating_sub(delta);
        }
    }

    /// A live offer's entry and its category's offers' positions.
    pub(crate) fn offer(&self, id: &str) -> Option<&OfferEntry> {
        self.offer_at.get(id).map(|&i| &self.offers[i])
    }

    pub(crate) fn need(&self, id: &str) -> Option<&NeedEntry> {
        self.need_at.get(id).map(|&i| &self.needs[i])
    }

    pub(crate) fn offers_of(&self, category: &str) -> &[usize] {
        self.offers_by_category.get(category).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn needs_of(&self, category: &str) -> &[usize] {
        self.needs_by_category.get(category).map_or(&[], Vec::as_slice)
    }
}
