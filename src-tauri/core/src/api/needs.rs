//! Needs of members and their sites: recorded by any office, each with what
//! it still lacks computed from its matches on every read.

use rusqlite::Row;

use crate::api::matches::as_field;
use crate::api::members::{Filter, opt_date, page_bounds};
use crate::api::not_found;
use crate::api::offers::given;
use crate::api::{Kizuna, new_id};
use crate::dates::today;
use crate::error::{Error, Result};
use crate::fold::fold;
use crate::model::Page;
use crate::model::matching::{CATEGORIES, Commitment, Need, NeedDetail, NeedInput, NeedQuery, RecordState, URGENCIES};
use crate::model::pick;
use crate::prefecture::Prefecture;
use crate::store::CellValue;

/// Quantity in a need's matches of one status (`n` is the need).
macro_rules! need_sum {
    ($status:literal) => {
        concat!(
            "(SELECT coalesce(sum(coalesce(x.delivered_quantity, x.quantity)), 0) FROM matches x
              WHERE x.need_id = n.id AND x.deleted = 0 AND x.status = '",
            $status,
            "')"
        )
    };
}

const COMMITTED: &str = concat!(need_sum!("accepted"), " + ", need_sum!("delivered"));

const NEED_COLUMNS: &str = concat!(
    "n.id, n.member_id, mb.member_no, mb.name_ja, mb.name_en, n.site_id, s.name, n.category, n.description,
    n.quantity, n.unit, n.urgency, n.prefecture_code, n.municipality, n.latitude, n.longitude, n.raised_on,
    n.needed_by, n.office_id, f.code, ",
    need_sum!("proposed"),
    ", ",
    need_sum!("accepted"),
    ", ",
    need_sum!("delivered")
);

const NEED_JOINS: &str = "LEFT JOIN members mb ON mb.id = n.member_id
    LEFT JOIN sites s ON s.id = n.site_id
    LEFT JOIN offices f ON f.id = n.office_id";

/// Most urgent first, then the oldest.
const NEED_ORDER: &str = "CASE n.urgency WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'low' THEN 3 ELSE 2 END,
    n.raised_on, n.id";

fn need_from_row(r: &Row<'_>) -> rusqlite::Result<Need> {
    let c = Commitment { proposed: r.get(20)?, accepted: r.get(21)?, delivered: r.get(22)? };
    let quantity: i64 = r.get::<_, Option<i64>>(9)?.unwrap_or(0);
    let remaining = quantity.saturating_sub(c.committed());
    Ok(Need {
        id: r.get(0)?,
        member_id: r.get(1)?,
        member_no: r.get(2)?,
        member_name_ja: r.get(3)?,
        member_name_en: r.get(4)?,
        site_id: r.get(5)?,
        site_name: r.get(6)?,
        category: r.get::<_, Option<String>>(7)?.unwrap_or_else(|| "other".into()),
        description: r.get(8)?,
        quantity,
        unit: r.get(10)?,
        urgency: r.get::<_, Option<String>>(11)?.unwrap_or_else(|| "normal".into()),
        prefecture_code: r.get(12)?,
        municipality: r.get(13)?,
        latitude: r.get(14)?,
        longitude: r.get(15)?,
        raised_on: opt_date(r.get(16)?),
        needed_by: opt_date(r.get(17)?),
        office_id: r.get(18)?,
        office_code: r.get(19)?,
        proposed: c.proposed,
        committed: c.committed(),
        delivered: c.delivered,
        remaining,
        over_filled: remaining < 0,
    })
}

impl Kizuna {
    pub fn need_add(&mut self, input: &NeedInput) -> Result<NeedDetail> {
        let mut cells = input.to_cells(true, &RecordState::default(), today())?;
        self.need_links(input, true, &mut cells)?;
        self.recording_office(&input.office, true, &mut cells)?;
        let id = new_id();
        self.store.write(|w| w.insert("needs", &id, &cells).map(|_| ()))?;
        self.need_show(&id)
    }

    pub fn need_show(&self, id: &str) -> Result<NeedDetail> {
        let need = self.need_get(id)?;
        let matches = self.matches_where("x.need_id = ?1", &need.id)?;
        Ok(NeedDetail { need, matches })
    }

    pub(crate) fn need_get(&self, id: &str) -> Result<Need> {
        let id = &self.resolve_id("needs", id)?;
        self.store
            .conn()
            .query_row(
                &format!("SELECT {NEED_COLUMNS} FROM needs n {NEED_JOINS} WHERE n.id = ?1 AND n.deleted = 0"),
                [id],
                need_from_row,
            )
            .map_err(not_found("need", id))
    }

    pub(crate) fn needs_by_id(&self, ids: &[&str]) -> Result<Vec<Need>> {
        let select = format!("SELECT {NEED_COLUMNS} FROM needs n {NEED_JOINS} WHERE n.id IN");
        self.rows_by_id(&select, ids, need_from_row, |n| &n.id)
    }

    pub fn need_edit(&mut self, id: &str, input: &NeedInput) -> Result<NeedDetail> {
        let current = self.need_get(id)?;
        let state = RecordState {
            start: current.raised_on,
            end: current.needed_by,
            latitude: current.latitude,
            longitude: current.longitude,
            committed: current.committed,
            category: current.category.clone(),
            matched: current.proposed + current.committed > 0,
        };
        let mut cells = input.to_cells(false, &state, today())?;
        state.keeps_category(&cells, "need")?;
        self.need_links(input, false, &mut cells)?;
        self.recording_office(&input.office, false, &mut cells)?;
        self.store.write(|w| w.update("needs", &current.id, &cells).map(|_| ()))?;
        self.need_show(&current.id)
    }

    /// Removes a need that has no open (proposed or accepted) match.
    pub fn need_remove(&mut self, id: &str) -> Result<()> {
        let need = self.need_get(id)?;
        self.refuse_open_matches("need_id", &need.id, "need")?;
        self.store.write(|w| w.delete("needs", &need.id).map(|_| ()))
    }

    pub fn need_list(&self, q: &NeedQuery) -> Result<Page<Need>> {
        let mut f = Filter::new("n");
        if let Some(c) = q.category.as_deref()
            && let Some(c) = pick("category", c, &CATEGORIES)?
        {
            f.and("n.category = ?", c);
        }
        if let Some(u) = q.urgency.as_deref()
            && let Some(u) = pick("urgency", u, &URGENCIES)?
        {
            f.and("n.urgency = ?", u);
        }
        if let Some(p) = q.prefecture.as_deref().filter(|p| !p.trim().is_empty()) {
            f.and("n.prefecture_code = ?", Prefecture::parse(p)?.code.to_string());
        }
        if let Some(m) = q.member.as_deref().filter(|m| !m.trim().is_empty()) {
            f.and("n.member_id = ?", self.member_resolve(m).map_err(|e| as_field("member", e))?);
        }
        if let Some(s) = q.search.as_deref().map(fold).filter(|s| !s.trim().is_empty()) {
            f.and("instr(n.search_key, ?) > 0", s.trim().to_string());
        }
        if q.open_only == Some(true) {
            f.sql.push_str(&format!(" AND coalesce(n.quantity, 0) > {COMMITTED}"));
        }
        let (offset, limit) = page_bounds(q.offset, q.limit);
        let conn = self.store.conn();
        let total: i64 =
            conn.query_row(&format!("SELECT count(*) FROM needs n WHERE {}", f.sql), f.refs().as_slice(), |r| {
                r.get(0)
            })?;
        let sql = format!(
            "SELECT {NEED_COLUMNS} FROM (SELECT n.id FROM needs n WHERE {}
                 ORDER BY {NEED_ORDER} LIMIT {limit} OFFSET {offset}) p
             JOIN needs n ON n.id = p.id {NEED_JOINS} ORDER BY {NEED_ORDER}",
            f.sql
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(f.refs().as_slice(), need_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { total, offset, limit, rows })
    }

    /// The member and site of a need. A site gives its member, and its
    /// prefecture, municipality and point for those the input leaves out
    /// (copied when written: the need keeps the place it was raised for).
    fn need_links(&self, input: &NeedInput, creating: bool, cells: &mut Vec<(&'static str, CellValue)>) -> Result<()> {
        let member = match given(&input.member) {
            Some("") => Some(None),
            Some(m) => Some(Some(self.member_resolve(m).map_err(|e| as_field("member", e))?)),
            None => None,
        };
        let site = match given(&input.site) {
            Some("") => {
                cells.push(("site_id", CellValue::Null));
                None
            }
            Some(s) => Some(self.site_show(s).map_err(|e| as_field("site", e))?),
            None => None,
        };
        match (&site, &member) {
            (Some(site), Some(Some(m))) if *m != site.member_id => {
                return Err(Error::invalid("site", format!("site {} belongs to another member", site.id)));
            }
            (Some(site), _) => {
                cells.push(("site_id", CellValue::text(&site.id)));
                cells.push(("member_id", CellValue::text(&site.member_id)));
                let has = |cells: &[(&'static str, CellValue)], col: &str| cells.iter().any(|(c, _)| *c == col);
                if !has(cells, "prefecture_code") {
                    cells.push(("prefecture_code", CellValue::text(&site.prefecture_code)));
                }
                if !has(cells, "municipality") {
                    cells.push(("municipality", CellValue::text(&site.municipality)));
                }
                if !has(cells, "latitude")
                    && !has(cells, "longitude")
                    && let (Some(lat), Some(lon)) = (site.latitude, site.longitude)
                {
                    cells.push(("latitude", CellValue::Real(lat)));
                    cells.push(("longitude", CellValue::Real(lon)));
                }
            }
            (None, Some(m)) => cells.push(("member_id", CellValue::opt_text(m.clone()))),
            (None, None) => {}
        }
        if creating && site.is_none() && !matches!(member, Some(Some(_))) {
            return Err(Error::invalid("member", "a need is for a member or a site: give one"));
        }
        Ok(())
    }
}
