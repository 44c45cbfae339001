//! Offers of donations: recorded by any office, each with what remains of
//! it computed from its matches on every read.

use chrono::NaiveDate;
use rusqlite::Row;

use crate::api::matches::as_field;
use crate::api::members::{Filter, opt_date, page_bounds};
use crate::api::not_found;
use crate::api::{Kizuna, new_id};
use crate::dates::today;
use crate::error::{Error, Result};
use crate::fold::fold;
use crate::model::Page;
use crate::model::matching::{CATEGORIES, Commitment, Offer, OfferDetail, OfferInput, OfferQuery, RecordState};
use crate::model::pick;
use crate::prefecture::Prefecture;
use crate::store::CellValue;

/// Quantity in an offer's matches of one status (`o` is the offer); a
/// delivered match counts what was delivered.
macro_rules! offer_sum {
    ($status:literal) => {
        concat!(
            "(SELECT coalesce(sum(coalesce(x.delivered_quantity, x.quantity)), 0) FROM matches x
              WHERE x.offer_id = o.id AND x.deleted = 0 AND x.status = '",
            $status,
            "')"
        )
    };
}

const COMMITTED: &str = concat!(offer_sum!("accepted"), " + ", offer_sum!("delivered"));

const OFFER_COLUMNS: &str = concat!(
    "o.id, o.source_kind, o.member_id, mb.member_no, o.organisation_id, o.donor_id, o.source_name,
    coalesce(o.source_name, mb.name_ja, g.name_ja, d.name_ja, mb.name_en, g.name_en, d.name_en, ''),
    o.category, o.description, o.quantity, o.unit, o.prefecture_code, o.municipality, o.latitude, o.longitude,
    o.offered_on, o.available_until, o.conditions, o.office_id, f.code, ",
    offer_sum!("proposed"),
    ", ",
    offer_sum!("accepted"),
    ", ",
    offer_sum!("delivered")
);

const OFFER_JOINS: &str = "LEFT JOIN members mb ON mb.id = o.member_id
    LEFT JOIN organisations g ON g.id = o.organisation_id
    LEFT JOIN fund_donors d ON d.id = o.donor_id
    LEFT JOIN offices f ON f.id = o.office_id";

const OFFER_ORDER: &str = "o.offered_on DESC, o.id";

fn offer_from_row(r: &Row<'_>, today: NaiveDate) -> rusqlite::Result<Offer> {
    let c = Commitment { proposed: r.get(21)?, accepted: r.get(22)?, delivered: r.get(23)? };
    let quantity: i64 = r.get::<_, Option<i64>>(10)?.unwrap_or(0);
    let available_until = opt_date(r.get(17)?);
    let remaining = quantity.saturating_sub(c.committed());
    Ok(Offer {
        id: r.get(0)?,
        source_kind: r.get(1)?,
        member_id: r.get(2)?,
        member_no: r.get(3)?,
        organisation_id: r.get(4)?,
        donor_id: r.get(5)?,
        source_name: r.get(6)?,
        source_label: r.get(7)?,
        category: r.get::<_, Option<String>>(8)?.unwrap_or_else(|| "other".into()),
        description: r.get(9)?,
        quantity,
        unit: r.get(11)?,
        prefecture_code: r.get(12)?,
        municipality: r.get(13)?,
        latitude: r.get(14)?,
        longitude: r.get(15)?,
        offered_on: opt_date(r.get(16)?),
        available_until,
        conditions: r.get(18)?,
        office_id: r.get(19)?,
        office_code: r.get(20)?,
        proposed: c.proposed,
        committed: c.committed(),
        delivered: c.delivered,
        remaining,
        over_committed: remaining < 0,
        expired: available_until.is_some_and(|d| d < today),
    })
}

/// A field as typed, trimmed; `None` when not given.
pub(crate) fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim)
}

impl Kizuna {
    pub fn offer_add(&mut self, input: &OfferInput) -> Result<OfferDetail> {
        let mut cells = input.to_cells(true, &RecordState::default(), today())?;
        self.offer_source(input, true, &mut cells)?;
        self.recording_office(&input.office, true, &mut cells)?;
        let id = new_id();
        self.store.write(|w| w.insert("offers", &id, &cells).map(|_| ()))?;
        self.offer_show(&id)
    }

    /// An offer with its matches.
    pub fn offer_show(&self, id: &str) -> Result<OfferDetail> {
        let offer = self.offer_get(id)?;
        let matches = self.matches_where("x.offer_id = ?1", &offer.id)?;
        Ok(OfferDetail { offer, matches })
    }

    pub(crate) fn offer_get(&self, id: &str) -> Result<Offer> {
        let id = &self.resolve_id("offers", id)?;
        let today = today();
        self.store
            .conn()
            .query_row(
                &format!("SELECT {OFFER_COLUMNS} FROM offers o {OFFER_JOINS} WHERE o.id = ?1 AND o.deleted = 0"),
                [id],
                |r| offer_from_row(r, today),
            )
            .map_err(not_found("offer", id))
    }

    pub(crate) fn offers_by_id(&self, ids: &[&str]) -> Result<Vec<Offer>> {
        let today = today();
        let select = format!("SELECT {OFFER_COLUMNS} FROM offers o {OFFER_JOINS} WHERE o.id IN");
        self.rows_by_id(&select, ids, |r| offer_from_row(r, today), |o| &o.id)
    }

    /// Changes the fields given. The quantity may not fall below what is
    /// committed, and the category may not change once matches exist.
    pub fn offer_edit(&mut self, id: &str, input: &OfferInput) -> Result<OfferDetail> {
        let current = self.offer_get(id)?;
        let state = RecordState {
            start: current.offered_on,
            end: current.available_until,
            latitude: current.latitude,
            longitude: current.longitude,
            committed: current.committed,
            category: current.category.clone(),
            matched: current.proposed + current.committed > 0,
        };
        let mut cells = input.to_cells(false, &state, today())?;
        state.keeps_category(&cells, "offer")?;
        self.offer_source(input, false, &mut cells)?;
        self.recording_office(&input.office, false, &mut cells)?;
        self.store.write(|w| w.update("offers", &current.id, &cells).map(|_| ()))?;
        self.offer_show(&current.id)
    }

    /// Removes an offer that has no open (proposed or accepted) match; its
    /// delivered matches stay recorded and count nowhere while it is removed.
    pub fn offer_remove(&mut self, id: &str) -> Result<()> {
        let offer = self.offer_get(id)?;
        self.refuse_open_matches("offer_id", &offer.id, "offer")?;
        self.store.write(|w| w.delete("offers", &offer.id).map(|_| ()))
    }

    pub fn offer_list(&self, q: &OfferQuery) -> Result<Page<Offer>> {
        let mut f = Filter::new("o");
        if let Some(c) = q.category.as_deref()
            && let Some(c) = pick("category", c, &CATEGORIES)?
        {
            f.and("o.category = ?", c);
        }
        if let Some(p) = q.prefecture.as_deref().filter(|p| !p.trim().is_empty()) {
            f.and("o.prefecture_code = ?", Prefecture::parse(p)?.code.to_string());
        }
        if let Some(s) = q.search.as_deref().map(fold).filter(|s| !s.trim().is_empty()) {
            f.and("instr(o.search_key, ?) > 0", s.trim().to_string());
        }
        if q.open_only == Some(true) {
            f.and("(o.available_until IS NULL OR o.available_until >= ?)", today().to_string());
            f.sql.push_str(&format!(" AND coalesce(o.quantity, 0) > {COMMITTED}"));
        }
        if q.over_committed == Some(true) {
            f.sql.push_str(&format!(" AND coalesce(o.quantity, 0) < {COMMITTED}"));
        }
        let (offset, limit) = page_bounds(q.offset, q.limit);
        let conn = self.store.conn();
        let total: i64 =
            conn.query_row(&format!("SELECT count(*) FROM offers o WHERE {}", f.sql), f.refs().as_slice(), |r| {
                r.get(0)
            })?;
        let today = today();
        let sql = format!(
            "SELECT {OFFER_COLUMNS} FROM (SELECT o.id FROM offers o WHERE {}
                 ORDER BY {OFFER_ORDER} LIMIT {limit} OFFSET {offset}) p
             JOIN offers o ON o.id = p.id {OFFER_JOINS} ORDER BY {OFFER_ORDER}",
            f.sql
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows =
            stmt.query_map(f.refs().as_slice(), |r| offer_from_row(r, today))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { total, offset, limit, rows })
    }

    /// Who an offer comes from: a fund donor, an organisation of the
    /// directory (a company when its kind says so), a member, or a name as
    /// typed; the kind follows the record given unless one is stated.
    fn offer_source(
        &self,
        input: &OfferInput,
        creating: bool,
        cells: &mut Vec<(&'static str, CellValue)>,
    ) -> Result<()> {
        let mut kind = None;
        if let Some(d) = given(&input.donor) {
            let id = if d.is_empty() {
                None
            } else {
                let d = self.require_live("fund_donors", d).map_err(|e| as_field("donor", e))?;
                kind = Some("donor");
                Some(d)
            };
            cells.push(("donor_id", CellValue::opt_text(id)));
        }
        if let Some(o) = given(&input.organisation) {
            let id = if o.is_empty() {
                None
            } else {
                let org = self.organisation_show(o).map_err(|e| as_field("organisation", e))?;
                kind = Some(if org.kind == "company" { "company" } else { "organisation" });
                Some(org.id)
            };
            cells.push(("organisation_id", CellValue::opt_text(id)));
        }
        if let Some(m) = given(&input.member) {
            let id = if m.is_empty() {
                None
            } else {
                kind = Some("member");
                Some(self.member_resolve(m).map_err(|e| as_field("member", e))?)
            };
            cells.push(("member_id", CellValue::opt_text(id)));
        }
        let named = |v: &Option<String>| given(v).is_some_and(|v| !v.is_empty());
        if creating
            && !(named(&input.donor) || named(&input.organisation) || named(&input.member) || named(&input.source_name))
        {
            return Err(Error::invalid("source", "name who offers: a donor, an organisation, a member or a name"));
        }
        if input.source_kind.is_none()
            && let Some(k) = kind
        {
            cells.push(("source_kind", CellValue::text(k)));
        }
        Ok(())
    }

    /// The recording office: the one given (code or id), else on create this office.
    pub(crate) fn recording_office(
        &self,
        given: &Option<String>,
        creating: bool,
        cells: &mut Vec<(&'static str, CellValue)>,
    ) -> Result<()> {
        match given.as_deref().map(str::trim) {
            Some("") => cells.push(("office_id", CellValue::Null)),
            Some(o) => cells
                .push(("office_id", CellValue::text(self.office_resolve(o).map_err(|e| as_field("office", e))?.id))),
            None if creating => cells.push(("office_id", CellValue::opt_text(self.own_office()?.map(|o| o.id)))),
            None => {}
        }
        Ok(())
    }
}
