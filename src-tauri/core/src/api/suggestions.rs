//! Suggestions: for a need, the offers that could serve it; for an offer,
//! the needs it could serve; ranked by `model::suggestion`'s score, from the
//! in-memory matching index.

use std::cmp::Ordering;

use chrono::NaiveDate;

use crate::api::Kizuna;
use crate::dates::{parse_day, today};
use crate::error::Result;
use crate::model::suggestion::{Assessment, Suggestion, SuggestionQuery, assess, in_time, suggestion};

/// Suggestions given when the caller names no number, and the most it may ask for.
pub const DEFAULT_SUGGESTIONS: u32 = 10;
const MAX_SUGGESTIONS: u32 = 100;

fn bounds(q: &SuggestionQuery) -> Result<(usize, NaiveDate)> {
    let n = q.limit.unwrap_or(DEFAULT_SUGGESTIONS).clamp(1, MAX_SUGGESTIONS) as usize;
    let on = match q.on.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => parse_day("on", d)?,
        None => today(),
    };
    Ok((n, on))
}

/// The best `n` of scored candidates, best first; ties go to the earlier id
/// so the order is the same on every replica.
fn best(mut scored: Vec<(&str, Assessment)>, n: usize) -> Vec<(&str, Assessment)> {
    let order = |a: &(&str, Assessment), b: &(&str, Assessment)| {
        b.1.score.partial_cmp(&a.1.score).unwrap_or(Ordering::Equal).then_with(|| a.0.cmp(b.0))
    };
    if scored.len() > n {
        scored.select_nth_unstable_by(n - 1, order);
        scored.truncate(n);
    }
    scored.sort_by(order);
    scored
}

impl Kizuna {
    /// Offers for a need: of its category, with something left, not gone
    /// before the need was raised; best first. None for a need already met.
    pub fn need_suggest(&self, need_id: &str, q: &SuggestionQuery) -> Result<Vec<Suggestion>> {
        let (n, on) = bounds(q)?;
        let need = self.need_get(need_id)?;
        let ranked: Vec<(String, Assessment)> = self.with_index(&self.matching_index, |index| {
            let Some(entry) = index.need(&need.id) else { return Ok(Vec::new()) };
            if entry.facts.remaining < 1 {
                return Ok(Vec::new());
            }
            let scored: Vec<(&str, Assessment)> = index
                .offers_of(&need.category)
                .iter()
                .map(|&i| &index.offers[i])
                .filter(|o| o.facts.remaining > 0 && in_time(&o.facts, &entry.facts))
                .map(|o| (o.id.as_str(), assess(&o.facts, &entry.facts, on)))
                .collect();
            Ok(best(scored, n).into_iter().map(|(id, a)| (id.to_string(), a)).collect())
        })?;
        let ids: Vec<&str> = ranked.iter().map(|(id, _)| id.as_str()).collect();
        let offers = self.offers_by_id(&ids)?;
        Ok(ranked
            .iter()
            .filter_map(|(id, a)| offers.iter().find(|o| o.id == *id).map(|o| suggestion(o.clone(), need.clone(), a)))
            .collect())
    }

    /// Needs for an offer: of its category, still lacking something, raised
    /// before the offer was gone and not over before it came; best first.
    pub fn offer_suggest(&self, offer_id: &str, q: &SuggestionQuery) -> Result<Vec<Suggestion>> {
        let (n, on) = bounds(q)?;
        let offer = self.offer_get(offer_id)?;
        let ranked: Vec<(String, Assessment)> = self.with_index(&self.matching_index, |index| {
            let Some(entry) = index.offer(&offer.id) else { return Ok(Vec::new()) };
            if entry.facts.remaining < 1 {
                return Ok(Vec::new());
            }
            let scored: Vec<(&str, Assessment)> = index
                .needs_of(&offer.category)
                .iter()
                .map(|&i| &index.needs[i])
                .filter(|d| d.facts.remaining > 0 && in_time(&entry.facts, &d.facts))
                .map(|d| (d.id.as_str(), assess(&entry.facts, &d.facts, on)))
                .collect();
            Ok(best(scored, n).into_iter().map(|(id, a)| (id.to_string(), a)).collect())
        })?;
        let ids: Vec<&str> = ranked.iter().map(|(id, _)| id.as_str()).collect();
        let needs = self.needs_by_id(&ids)?;
        Ok(ranked
            .iter()
            .filter_map(|(id, a)| needs.iter().find(|d| d.id == *id).map(|d| suggestion(offer.clone(), d.clone(), a)))
            .collect())
    }
}
