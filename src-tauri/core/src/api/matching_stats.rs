//! The donation matching figures for a period: offers received and
//! delivered by category, days from a need to its delivery, and what each
//! member received. Computed from the records on every call; they feed the
//! phase report's "Donation matching" block.

use std::collections::HashMap;

use rusqlite::params;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::api::Kizuna;
use crate::api::coordination::median;
use crate::dates::{check_order, day_or_today, parse_day};
use crate::error::Result;
use crate::model::matching::{CATEGORIES, CategoryFlow, MatchingQuery, MatchingStats, MemberReceipt};

/// Deliveries of live offers to live needs in the period (`?1`..`?2`).
const DELIVERED: &str = "FROM matches x JOIN offers o ON o.id = x.offer_id JOIN needs n ON n.id = x.need_id
    WHERE x.deleted = 0 AND o.deleted = 0 AND n.deleted = 0 AND x.status = 'delivered'
      AND x.delivered_on BETWEEN ?1 AND ?2";

impl Kizuna {
    pub fn matching_stats(&self, q: &MatchingQuery) -> Result<MatchingStats> {
        let from = q.from.as_deref().filter(|d| !d.trim().is_empty()).map(|d| parse_day("from", d)).transpose()?;
        let to = day_or_today("to", q.to.as_deref())?;
        check_order("to", from, Some(to))?;
        let (a, b) = (from.map_or_else(|| "0000-01-01".to_string(), |d| d.to_string()), to.to_string());
        let conn = self.store.conn();

        let mut flows: HashMap<String, CategoryFlow> = HashMap::new();
        let flow = |c: String| -> CategoryFlow {
            CategoryFlow { category: c, offers: 0, offered_quantity: 0, deliveries: 0, delivered_quantity: 0 }
        };
        let mut stmt = conn.prepare_cached(
            "SELECT coalesce(category, 'other'), count(*), coalesce(sum(quantity), 0) FROM offers
             WHERE deleted = 0 AND offered_on BETWEEN ?1 AND ?2 GROUP BY 1",
        )?;
        let mut rows = stmt.query(params![a, b])?;
        while let Some(r) = rows.next()? {
            let c: String = r.get(0)?;
            let f = flows.entry(c.clone()).or_insert_with(|| flow(c));
            f.offers = r.get(1)?;
            f.offered_quantity = r.get(2)?;
        }
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT coalesce(o.category, 'other'), count(*), coalesce(sum(coalesce(x.delivered_quantity, x.quantity)), 0)
             {DELIVERED} GROUP BY 1"
        ))?;
        let mut rows = stmt.query(params![a, b])?;
        while let Some(r) = rows.next()? {
            let c: String = r.get(0)?;
            let f = flows.entry(c.clone()).or_insert_with(|| flow(c));
            f.deliveries = r.get(1)?;
            f.delivered_quantity = r.get(2)?;
        }
        // Every category in the code table's order, then any other code a
        // newer version may have written.
        let mut by_category: Vec<CategoryFlow> =
            CATEGORIES.iter().map(|(c, _, _)| flows.remove(*c).unwrap_or_else(|| flow(c.to_string()))).collect();
        let mut rest: Vec<CategoryFlow> = flows.into_values().collect();
        rest.sort_by(|x, y| x.category.cmp(&y.category));
        by_category.extend(rest);

        let mut stmt = conn.prepare_cached(&format!(
            "SELECT CAST(julianday(x.delivered_on) - julianday(n.raised_on) AS INTEGER) {DELIVERED}
               AND n.raised_on IS NOT NULL"
        ))?;
        let mut days: Vec<i64> = stmt.query_map(params![a, b], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        let mean = (!days.is_empty()).then(|| {
            (Decimal::from(days.iter().sum::<i64>()) / Decimal::from(days.len() as i64))
                .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        });
        let median = median(&mut days);

        let mut stmt = conn.prepare_cached(
            "SELECT n.member_id, mb.member_no, mb.name_ja, mb.name_en, coalesce(o.category, 'other'),
                    coalesce(o.unit, n.unit), count(*), coalesce(sum(coalesce(x.delivered_quantity, x.quantity)), 0)
             FROM matches x JOIN offers o ON o.id = x.offer_id JOIN needs n ON n.id = x.need_id
             LEFT JOIN members mb ON mb.id = n.member_id
             WHERE x.deleted = 0 AND o.deleted = 0 AND n.deleted = 0 AND x.status = 'delivered'
               AND x.delivered_on BETWEEN ?1 AND ?2 AND n.member_id IS NOT NULL
             GROUP BY 1, 5, 6 ORDER BY mb.member_no, 1, 5, 6",
        )?;
        let by_member = stmt
            .query_map(params![a, b], |r| {
                Ok(MemberReceipt {
                    member_id: r.get(0)?,
                    member_no: r.get(1)?,
                    name_ja: r.get(2)?,
                    name_en: r.get(3)?,
                    category: r.get(4)?,
                    unit: r.get(5)?,
                    deliveries: r.get(6)?,
                    quantity: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let needs: i64 = conn.query_row(
            "SELECT count(*) FROM needs WHERE deleted = 0 AND raised_on BETWEEN ?1 AND ?2",
            params![a, b],
            |r| r.get(0),
        )?;
        let over_committed_offers = self.match_conflicts()?.len() as i64;
        Ok(MatchingStats {
            from,
            to,
            offers: by_category.iter().map(|c| c.offers).sum(),
            needs,
            deliveries: by_category.iter().map(|c| c.deliveries).sum(),
            by_category,
            days_to_delivery_mean: mean,
            days_to_delivery_median: median,
            by_member,
            over_committed_offers,
        })
    }
}
