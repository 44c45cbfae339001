//! Relief sites.

use std::collections::{HashMap, HashSet};

use rusqlite::Row;

use crate::api::matches::as_field;
use crate::api::members::{json_list, opt_date, page_bounds};
use crate::api::not_found;
use crate::api::site_index::Filters;
use crate::api::{Kizuna, new_id};
use crate::dates::today;
use crate::error::{Error, Result};
use crate::fold::fold;
use crate::model::Page;
use crate::model::site::{Site, SiteInput, SiteQuery, SiteState, parse_sector, parse_status};
use crate::prefecture::Prefecture;
use crate::store::CellValue;

const SITE_COLUMNS: &str = "s.id, s.member_id, m.name_en, m.name_ja, s.name, s.name_en, s.prefecture_code,
    s.municipality, s.address, s.latitude, s.longitude, s.sectors, s.status, s.opened_on, s.closed_on,
    s.created_on, s.notes";

fn site_from_row(r: &Row<'_>) -> rusqlite::Result<Site> {
    Ok(Site {
        id: r.get(0)?,
        member_id: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        member_name_en: r.get(2)?,
        member_name_ja: r.get(3)?,
        name: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
        name_en: r.get(5)?,
        prefecture_code: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
        municipality: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
        address: r.get(8)?,
        latitude: r.get(9)?,
        longitude: r.get(10)?,
        sectors: json_list(r.get(11)?),
        status: r.get::<_, Option<String>>(12)?.unwrap_or_else(|| "active".into()),
        opened_on: opt_date(r.get(13)?),
        closed_on: opt_date(r.get(14)?),
        created_on: opt_date(r.get(15)?),
        notes: r.get(16)?,
    })
}

impl Kizuna {
    pub fn site_add(&mut self, input: &SiteInput) -> Result<Site> {
        let ids = self.site_add_many(std::slice::from_ref(input))?;
        self.site_show(&ids[0])
    }

    /// Adds many sites in one transaction: all or none. Used by imports,
    /// the demo data set and benchmarks.
    pub fn site_add_many(&mut self, inputs: &[SiteInput]) -> Result<Vec<String>> {
        let day = today();
        let today = day.to_string();
        let office_id = self.own_office()?.map(|o| o.id);
        let mut prepared = Vec::with_capacity(inputs.len());
        // A member given by number or id prefix is resolved once per spelling.
        let mut members: HashMap<&str, String> = HashMap::new();
        for input in inputs {
            let mut cells = input.to_cells(true, &SiteState::default(), day)?;
            if let Some(given) = input.member_id.as_deref() {
                let id = match members.get(given) {
                    Some(id) => id.clone(),
                    None => {
                        let id = self.member_resolve(given).map_err(|e| as_field("member", e))?;
                        members.insert(given, id.clone());
                        id
                    }
                };
                for cell in cells.iter_mut().filter(|(c, _)| *c == "member_id") {
                    cell.1 = CellValue::Text(id.clone());
                }
            }
            cells.push(("created_on", CellValue::text(&today)));
            cells.push(("office_id", CellValue::opt_text(office_id.clone())));
            prepared.push((new_id(), cells));
        }
        let mut known_members: HashSet<String> = HashSet::new();
        self.store.write(|w| {
            for (id, cells) in &prepared {
                let member = cells.iter().find(|(c, _)| *c == "member_id").and_then(|(_, v)| v.as_str()).unwrap_or("");
                if !known_members.contains(member) {
                    let live: bool = w
                        .conn()
                        .prepare_cached("SELECT count(*) FROM members WHERE id = ?1 AND deleted = 0")?
                        .query_row([member], |r| r.get::<_, i64>(0))?
                        == 1;
                    if !live {
                        return Err(Error::invalid("member", format!("no member with id {member}")));
                    }
                    known_members.insert(member.to_string());
                }
                w.insert("sites", id, cells)?;
            }
            Ok(())
        })?;
        Ok(prepared.into_iter().map(|(id, _)| id).collect())
    }

    pub fn site_show(&self, id: &str) -> Result<Site> {
        let id = &self.resolve_id("sites", id)?;
        let sql = format!(
            "SELECT {SITE_COLUMNS} FROM sites s LEFT JOIN members m ON m.id = s.member_id WHERE s.id = ?1 AND s.deleted = 0"
        );
        self.store.conn().query_row(&sql, [id], site_from_row).map_err(not_found("site", id))
    }

    pub fn site_edit(&mut self, id: &str, input: &SiteInput) -> Result<Site> {
        let current = self.site_show(id)?;
        let id = current.id.as_str();
        let state = SiteState {
            opened_on: current.opened_on,
            closed_on: current.closed_on,
            latitude: current.latitude,
            longitude: current.longitude,
            status: current.status.clone(),
            prefecture_code: current.prefecture_code.clone(),
            municipality: current.municipality.clone(),
        };
        let mut cells = input.to_cells(false, &state, today())?;
        if let Some(member) = &input.member_id {
            let member = self.member_resolve(member).map_err(|e| as_field("member", e))?;
            for cell in cells.iter_mut().filter(|(c, _)| *c == "member_id") {
                cell.1 = CellValue::Text(member.clone());
            }
        }
        self.store.write(|w| w.update("sites", id, &cells).map(|_| ()))?;
        self.site_show(id)
    }

    /// The JIS X 0402 municipalities of a prefecture (code or name), by
    /// code: what the site form offers as the person types.
    pub fn municipality_list(&self, prefecture: &str) -> Result<Vec<crate::municipality::Municipality>> {
        let code = Prefecture::parse(prefecture)?.code;
        Ok(crate::municipality::of_prefecture(code).to_vec())
    }

    pub fn site_remove(&mut self, id: &str) -> Result<()> {
        let id = &self.resolve_id("sites", id)?;
        self.store.write(|w| w.delete("sites", id).map(|_| ()))
    }

    pub fn site_list(&self, q: &SiteQuery) -> Result<Page<Site>> {
        let f = Filters {
            prefecture: q
                .prefecture
                .as_deref()
                .filter(|p| !p.trim().is_empty())
                .map(Prefecture::parse)
                .transpose()?
                .map(|p| p.code.to_string()),
            member: q
                .member_id
                .as_deref()
                .filter(|m| !m.trim().is_empty())
                .map(|m| self.member_resolve(m).map_err(|e| as_field("member", e)))
                .transpose()?,
            status: q.status.as_deref().filter(|s| !s.trim().is_empty()).map(parse_status).transpose()?,
            sector: q.sector.as_deref().filter(|s| !s.trim().is_empty()).map(parse_sector).transpose()?,
        };
        let (offset, limit) = page_bounds(q.offset, q.limit);
        match q.search.as_deref().map(fold).filter(|s| !s.trim().is_empty()) {
            Some(needle) => self.site_search(needle.trim(), &f, offset, limit),
            None => self.site_page(&f, offset, limit),
        }
    }

    fn site_page(&self, f: &Filters, offset: i64, limit: i64) -> Result<Page<Site>> {
        let mut filter = String::from("s.deleted = 0");
        let mut args: Vec<String> = Vec::new();
        for (value, condition) in
            [(&f.prefecture, "s.prefecture_code = ?"), (&f.member, "s.member_id = ?"), (&f.status, "s.status = ?")]
        {
            if let Some(v) = value {
                args.push(v.clone());
                filter.push_str(&format!(" AND {condition}{}", args.len()));
            }
        }
        if let Some(sec) = &f.sector {
            args.push(format!("%\"{sec}\"%"));
            filter.push_str(&format!(" AND s.sectors LIKE ?{}", args.len()));
        }
        let conn = self.store.conn();
        let params = rusqlite::params_from_iter(args.iter());
        let total: i64 =
            conn.query_row(&format!("SELECT count(*) FROM sites s WHERE {filter}"), params.clone(), |r| r.get(0))?;
        let sql = format!(
            "SELECT {SITE_COLUMNS} FROM sites s LEFT JOIN members m ON m.id = s.member_id
             WHERE {filter} ORDER BY s.prefecture_code, s.name, s.id LIMIT {limit} OFFSET {offset}"
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params, site_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { total, offset, limit, rows })
    }

    /// A text search, answered from the in-memory index (see `site_index`);
    /// only the page's rows are read from the database.
    fn site_search(&self, needle: &str, f: &Filters, offset: i64, limit: i64) -> Result<Page<Site>> {
        self.with_index(&self.site_index, |index| {
            let found = index.search(needle, f);
            let page: Vec<&str> = found.iter().copied().skip(offset as usize).take(limit as usize).collect();
            let select =
                format!("SELECT {SITE_COLUMNS} FROM sites s LEFT JOIN members m ON m.id = s.member_id WHERE s.id IN");
            let rows = self.rows_by_id(&select, &page, site_from_row, |r| &r.id)?;
            Ok(Page { total: found.len() as i64, offset, limit, rows })
        })
    }
}
