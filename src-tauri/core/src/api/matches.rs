//! Matches between offers and needs, and their steps: proposed, then
//! accepted, then delivered; or declined (before acceptance) or cancelled
//! (after). Each match is its own row with a fresh id, so matches two
//! offices make apart both survive a sync; an offer committed beyond its
//! quantity that way is listed by [`Kizuna::match_conflicts`] until a
//! coordinator resolves it, never trimmed.

use chrono::NaiveDate;
use rusqlite::Row;

use crate::api::lazy_index::write_through;
use crate::api::members::{Filter, opt_date, page_bounds};
use crate::api::not_found;
use crate::api::{Kizuna, new_id};
use crate::dates::{check_order, parse_day, today};
use crate::error::{Error, Result};
use crate::model::Page;
use crate::model::matching::{
    MATCH_STATUSES, Match, MatchAction, MatchConflict, MatchProposal, MatchQuery, MatchStep, committed_by, next_actions,
};
use crate::model::pick;
use crate::model::rules::MAX_QUANTITY;
use crate::model::text;
use crate::store::CellValue;

pub(crate) const MATCH_COLUMNS: &str = "x.id, x.offer_id, x.need_id, x.quantity, x.status,
    x.proposed_on, x.proposed_by, f1.code, x.accepted_on, x.accepted_by, f2.code,
    x.delivered_on, x.delivered_by, f3.code, x.delivered_quantity, x.closed_on, x.closed_by, f4.code, x.notes,
    o.category, coalesce(o.unit, n.unit), coalesce(o.source_name, om.name_ja, og.name_ja, od.name_ja),
    n.member_id, nm.name_ja, nm.name_en";

pub(crate) const MATCH_FROM: &str = "matches x
    LEFT JOIN offers o ON o.id = x.offer_id
    LEFT JOIN needs n ON n.id = x.need_id
    LEFT JOIN members om ON om.id = o.member_id
    LEFT JOIN organisations og ON og.id = o.organisation_id
    LEFT JOIN fund_donors od ON od.id = o.donor_id
    LEFT JOIN members nm ON nm.id = n.member_id
    LEFT JOIN offices f1 ON f1.id = x.proposed_by
    LEFT JOIN offices f2 ON f2.id = x.accepted_by
    LEFT JOIN offices f3 ON f3.id = x.delivered_by
    LEFT JOIN offices f4 ON f4.id = x.closed_by";

pub(crate) fn match_from_row(r: &Row<'_>) -> rusqlite::Result<Match> {
    let status = r.get::<_, Option<String>>(4)?.unwrap_or_else(|| "proposed".into());
    Ok(Match {
        id: r.get(0)?,
        offer_id: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        need_id: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        quantity: r.get::<_, Option<i64>>(3)?.unwrap_or(0),
        actions: next_actions(&status).to_vec(),
        status,
        proposed_on: opt_date(r.get(5)?),
        proposed_by: r.get(6)?,
        proposed_by_code: r.get(7)?,
        accepted_on: opt_date(r.get(8)?),
        accepted_by: r.get(9)?,
        accepted_by_code: r.get(10)?,
        delivered_on: opt_date(r.get(11)?),
        delivered_by: r.get(12)?,
        delivered_by_code: r.get(13)?,
        delivered_quantity: r.get(14)?,
        closed_on: opt_date(r.get(15)?),
        closed_by: r.get(16)?,
        closed_by_code: r.get(17)?,
        notes: r.get(18)?,
        category: r.get(19)?,
        unit: r.get(20)?,
        offer_source: r.get(21)?,
        member_id: r.get(22)?,
        member_name_ja: r.get(23)?,
        member_name_en: r.get(24)?,
    })
}

/// A record named in a field that is not there: the field's error, so the
/// form can point at it.
pub(crate) fn as_field(field: &str, e: Error) -> Error {
    match e {
        Error::NotFound { entity, id } => Error::invalid(field, format!("no {entity} with id {id}")),
        e => e,
    }
}

/// The day a step happens: the one given, else today.
fn step_day(on: &Option<String>) -> Result<NaiveDate> {
    match on.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => parse_day("on", d),
        None => Ok(today()),
    }
}

fn whole(field: &str, n: i64, most: i64) -> Result<i64> {
    if n < 1 {
        return Err(Error::invalid(field, "must be a whole number, 1 or more"));
    }
    if n > most {
        return Err(Error::invalid(field, format!("{n} is more than {most}")));
    }
    Ok(n)
}

/// A step refused in the match's current state.
fn wrong_status(m: &Match, step: &str, from: &str) -> Error {
    Error::invalid("status", format!("match {} is {}: only a {from} match can be {step}", m.id, m.status))
}

impl Kizuna {
    /// Proposes a match. The categories must agree, and the quantity may be
    /// no more than the offer has left or the need still lacks.
    pub fn match_propose(&mut self, p: &MatchProposal) -> Result<Match> {
        let required = |field: &str, v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
                .ok_or_else(|| Error::invalid(field, "is required"))
        };
        let offer = self.offer_get(&required("offer", &p.offer)?).map_err(|e| as_field("offer", e))?;
        let need = self.need_get(&required("need", &p.need)?).map_err(|e| as_field("need", e))?;
        if offer.category != need.category {
            return Err(Error::invalid(
                "need",
                format!("the need is for {} and the offer is of {}", need.category, offer.category),
            ));
        }
        let on = step_day(&p.on)?;
        if let Some(until) = offer.available_until
            && until < on
        {
            return Err(Error::invalid("offer", format!("was available until {until}")));
        }
        let left = offer.remaining.min(need.remaining);
        if left < 1 {
            let (field, what) =
                if offer.remaining < 1 { ("offer", "the offer has nothing left") } else { ("need", "the need is met") };
            return Err(Error::invalid(field, what));
        }
        let quantity = whole("quantity", p.quantity.unwrap_or(left), MAX_QUANTITY)?;
        self.check_room(quantity, offer.remaining, need.remaining)?;
        let notes = p.notes.as_deref().map(|n| text::optional("notes", n, 2_000)).transpose()?.flatten();
        let by = self.own_office()?.map(|o| o.id);
        let cells = vec![
            ("offer_id", CellValue::text(&offer.id)),
            ("need_id", CellValue::text(&need.id)),
            ("quantity", CellValue::Integer(quantity)),
            ("status", CellValue::text("proposed")),
            ("proposed_on", CellValue::text(on.to_string())),
            ("proposed_by", CellValue::opt_text(by)),
            ("notes", CellValue::opt_text(notes)),
        ];
        let id = new_id();
        // A proposal commits nothing: the index stays as it is.
        write_through(
            &mut self.store,
            &self.matching_index,
            |w| w.insert("matches", &id, &cells).map(|_| ()),
            |_, _| {},
        )?;
        self.match_show(&id)
    }

    /// Writes a step of match `m`, and moves its offer's and need's
    /// remainders in the matching index by what the step changes in the
    /// match's commitment.
    fn write_step(&mut self, m: &Match, cells: &[(&'static str, CellValue)]) -> Result<()> {
        let cell = |col: &str| cells.iter().find(|(c, _)| *c == col).map(|(_, v)| v);
        let int = |col: &str| match cell(col) {
            Some(CellValue::Integer(n)) => Some(*n),
            _ => None,
        };
        let status = cell("status").and_then(|v| v.as_str()).unwrap_or(&m.status);
        let after = committed_by(
            status,
            int("quantity").unwrap_or(m.quantity),
            int("delivered_quantity").or(m.delivered_quantity),
        );
        let delta = after - committed_by(&m.status, m.quantity, m.delivered_quantity);
        write_through(
            &mut self.store,
            &self.matching_index,
            |w| w.update("matches", &m.id, cells).map(|_| ()),
            |ix, _| ix.commit(&m.offer_id, &m.need_id, delta),
        )
    }

    fn check_room(&self, quantity: i64, offer_left: i64, need_left: i64) -> Result<()> {
        if quantity > offer_left {
            return Err(Error::invalid(
                "quantity",
                format!("{quantity} is more than the {} the offer has left", offer_left.max(0)),
            ));
        }
        if quantity > need_left {
            return Err(Error::invalid(
                "quantity",
                format!("{quantity} is more than the {} the need still lacks", need_left.max(0)),
            ));
        }
        Ok(())
    }

    /// Accepts a proposed match, for its quantity or less; refused when the
    /// offer has less left (or the need lacks less) than that now.
    pub fn match_accept(&mut self, id: &str, step: &MatchStep) -> Result<Match> {
        let m = self.match_show(id)?;
        if !m.actions.contains(&MatchAction::Accept) {
            return Err(wrong_status(&m, "accepted", "proposed"));
        }
        let quantity = whole("quantity", step.quantity.unwrap_or(m.quantity), m.quantity)?;
        let offer = self.offer_get(&m.offer_id).map_err(|e| as_field("offer", e))?;
        let need = self.need_get(&m.need_id).map_err(|e| as_field("need", e))?;
        self.check_room(quantity, offer.remaining, need.remaining)?;
        let on = step_day(&step.on)?;
        check_order("on", m.proposed_on, Some(on))?;
        let mut cells = self.step_cells("accepted", "accepted_on", "accepted_by", on, step)?;
        if quantity != m.quantity {
            cells.push(("quantity", CellValue::Integer(quantity)));
        }
        self.write_step(&m, &cells)?;
        self.match_show(&m.id)
    }

    /// Records the delivery of an accepted match: all of it, or part (the
    /// rest is released to the offer and the need; a further delivery is a
    /// new match).
    pub fn match_deliver(&mut self, id: &str, step: &MatchStep) -> Result<Match> {
        let m = self.match_show(id)?;
        if !m.actions.contains(&MatchAction::Deliver) {
            return Err(wrong_status(&m, "delivered", "accepted"));
        }
        let delivered = whole("quantity", step.quantity.unwrap_or(m.quantity), m.quantity)?;
        let on = step_day(&step.on)?;
        check_order("on", m.accepted_on.or(m.proposed_on), Some(on))?;
        let mut cells = self.step_cells("delivered", "delivered_on", "delivered_by", on, step)?;
        cells.push(("delivered_quantity", CellValue::Integer(delivered)));
        self.write_step(&m, &cells)?;
        self.match_show(&m.id)
    }

    /// Declines a proposed match.
    pub fn match_decline(&mut self, id: &str, step: &MatchStep) -> Result<Match> {
        self.match_close(id, step, MatchAction::Decline, "proposed", "declined")
    }

    /// Cancels an accepted match, releasing its quantity.
    pub fn match_cancel(&mut self, id: &str, step: &MatchStep) -> Result<Match> {
        self.match_close(id, step, MatchAction::Cancel, "accepted", "cancelled")
    }

    fn match_close(
        &mut self,
        id: &str,
        step: &MatchStep,
        action: MatchAction,
        from: &str,
        to: &'static str,
    ) -> Result<Match> {
        let m = self.match_show(id)?;
        if !m.actions.contains(&action) {
            return Err(wrong_status(&m, to, from));
        }
        let on = step_day(&step.on)?;
        check_order("on", m.accepted_on.or(m.proposed_on), Some(on))?;
        let cells = self.step_cells(to, "closed_on", "closed_by", on, step)?;
        self.write_step(&m, &cells)?;
        self.match_show(&m.id)
    }

    /// Lowers the quantity of a proposed or accepted match: one way to
    /// resolve an over-committed offer without dropping a match.
    pub fn match_reduce(&mut self, id: &str, quantity: i64) -> Result<Match> {
        let m = self.match_show(id)?;
        if !m.actions.contains(&MatchAction::Reduce) {
            return Err(Error::invalid(
                "status",
                format!("match {} is {}: only a proposed or accepted match can be reduced", m.id, m.status),
            ));
        }
        let q = whole("quantity", quantity, m.quantity)?;
        self.write_step(&m, &[("quantity", CellValue::Integer(q))])?;
        self.match_show(&m.id)
    }

    fn step_cells(
        &self,
        status: &'static str,
        on_col: &'static str,
        by_col: &'static str,
        on: NaiveDate,
        step: &MatchStep,
    ) -> Result<Vec<(&'static str, CellValue)>> {
        let mut cells = vec![
            ("status", CellValue::text(status)),
            (on_col, CellValue::text(on.to_string())),
            (by_col, CellValue::opt_text(self.own_office()?.map(|o| o.id))),
        ];
        if let Some(n) = &step.notes {
            cells.push(("notes", CellValue::opt_text(text::optional("notes", n, 2_000)?)));
        }
        Ok(cells)
    }

    pub fn match_show(&self, id: &str) -> Result<Match> {
        let id = &self.resolve_id("matches", id)?;
        self.store
            .conn()
            .query_row(
                &format!("SELECT {MATCH_COLUMNS} FROM {MATCH_FROM} WHERE x.id = ?1 AND x.deleted = 0"),
                [id],
                match_from_row,
            )
            .map_err(not_found("match", id))
    }

    /// The live matches where `condition` (over `x`, one argument) holds, newest proposal first.
    pub(crate) fn matches_where(&self, condition: &str, arg: &str) -> Result<Vec<Match>> {
        let mut stmt = self.store.conn().prepare_cached(&format!(
            "SELECT {MATCH_COLUMNS} FROM {MATCH_FROM} WHERE {condition} AND x.deleted = 0
             ORDER BY x.proposed_on DESC, x.id DESC"
        ))?;
        let rows = stmt.query_map([arg], match_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    pub fn match_list(&self, q: &MatchQuery) -> Result<Page<Match>> {
        let mut f = Filter::new("x");
        if let Some(o) = q.offer.as_deref().filter(|o| !o.trim().is_empty()) {
            f.and("x.offer_id = ?", o.trim().to_string());
        }
        if let Some(n) = q.need.as_deref().filter(|n| !n.trim().is_empty()) {
            f.and("x.need_id = ?", n.trim().to_string());
        }
        if let Some(s) = q.status.as_deref()
            && let Some(s) = pick("status", s, &MATCH_STATUSES)?
        {
            f.and("x.status = ?", s);
        }
        if let Some(m) = q.member.as_deref().filter(|m| !m.trim().is_empty()) {
            let member = self.member_resolve(m).map_err(|e| as_field("member", e))?;
            f.and("x.need_id IN (SELECT id FROM needs WHERE member_id = ?)", member);
        }
        let (offset, limit) = page_bounds(q.offset, q.limit);
        let conn = self.store.conn();
        let total: i64 =
            conn.query_row(&format!("SELECT count(*) FROM matches x WHERE {}", f.sql), f.refs().as_slice(), |r| {
                r.get(0)
            })?;
        let mut stmt = conn.prepare(&format!(
            "SELECT {MATCH_COLUMNS} FROM {MATCH_FROM} WHERE {}
             ORDER BY x.proposed_on DESC, x.id DESC LIMIT {limit} OFFSET {offset}",
            f.sql
        ))?;
        let rows = stmt.query_map(f.refs().as_slice(), match_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { total, offset, limit, rows })
    }

    /// Every over-committed offer (more accepted and delivered than it
    /// holds, as matches made apart on two replicas leave it after a sync),
    /// with the matches competing for it, the most over-committed first.
    pub fn match_conflicts(&self) -> Result<Vec<MatchConflict>> {
        let ids: Vec<String> = {
            let mut stmt = self.store.conn().prepare(
                "SELECT o.id FROM offers o WHERE o.deleted = 0 AND coalesce(o.quantity, 0) <
                    (SELECT coalesce(sum(CASE x.status WHEN 'delivered' THEN coalesce(x.delivered_quantity, x.quantity)
                                          ELSE x.quantity END), 0)
                     FROM matches x WHERE x.offer_id = o.id AND x.deleted = 0 AND x.status IN ('accepted', 'delivered'))",
            )?;
            stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let offer = self.offer_get(&id)?;
            let mut matches = self.matches_where("x.offer_id = ?1 AND x.status IN ('accepted', 'delivered')", &id)?;
            matches.sort_by(|a, b| a.proposed_on.cmp(&b.proposed_on).then(a.id.cmp(&b.id)));
            out.push(MatchConflict { over_by: offer.committed - offer.quantity, offer, matches });
        }
        out.sort_by(|a, b| b.over_by.cmp(&a.over_by).then(a.offer.id.cmp(&b.offer.id)));
        Ok(out)
    }

    /// Refuses to remove an offer or need (`col` of matches) with open matches.
    pub(crate) fn refuse_open_matches(&self, col: &str, id: &str, what: &str) -> Result<()> {
        let open: i64 = self.store.conn().query_row(
            &format!(
                "SELECT count(*) FROM matches WHERE {col} = ?1 AND deleted = 0 AND status IN ('proposed', 'accepted')"
            ),
            [id],
            |r| r.get(0),
        )?;
        if open > 0 {
            return Err(Error::Conflict(format!(
                "the {what} has {open} open match(es): decline or cancel them before removing it"
            )));
        }
        Ok(())
    }
}
