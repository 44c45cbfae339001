//! The directory: organisations beside the registry, and contacts.

use rusqlite::Row;

use crate::api::contact_index::ContactFilters;
use crate::api::members::{Filter, page_bounds};
use crate::api::not_found;
use crate::api::{Kizuna, new_id};
use crate::error::Result;
use crate::fold::fold;
use crate::model::Page;
use crate::model::directory::{
    Contact, ContactInput, DirectoryQuery, ORGANISATION_KINDS, Organisation, OrganisationInput,
};
use crate::model::pick;
use crate::prefecture::Prefecture;
use crate::store::CellValue;

const ORGANISATION_COLUMNS: &str =
    "g.id, g.name_ja, g.name_en, g.reading, g.kind, g.prefecture_code, g.website, g.email, g.phone, g.notes";

fn organisation_from_row(r: &Row<'_>) -> rusqlite::Result<Organisation> {
    Ok(Organisation {
        id: r.get(0)?,
        name_ja: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        name_en: r.get(2)?,
        reading: r.get(3)?,
        kind: r.get::<_, Option<String>>(4)?.unwrap_or_else(|| "other".into()),
        prefecture_code: r.get(5)?,
        website: r.get(6)?,
        email: r.get(7)?,
        phone: r.get(8)?,
        notes: r.get(9)?,
    })
}

pub(crate) const CONTACT_COLUMNS: &str = "c.id, c.name_ja, c.name_en, c.reading, c.role, c.member_id,
    c.organisation_id, coalesce(mb.name_ja, g.name_ja), coalesce(mb.name_en, g.name_en), c.email, c.phone,
    c.prefecture_code, c.notes";

pub(crate) const CONTACT_FROM: &str = "contacts c
    LEFT JOIN members mb ON mb.id = c.member_id
    LEFT JOIN organisations g ON g.id = c.organisation_id";

pub(crate) fn contact_from_row(r: &Row<'_>) -> rusqlite::Result<Contact> {
    Ok(Contact {
        id: r.get(0)?,
        name_ja: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        name_en: r.get(2)?,
        reading: r.get(3)?,
        role: r.get(4)?,
        member_id: r.get(5)?,
        organisation_id: r.get(6)?,
        affiliation_ja: r.get(7)?,
        affiliation_en: r.get(8)?,
        email: r.get(9)?,
        phone: r.get(10)?,
        prefecture_code: r.get(11)?,
        notes: r.get(12)?,
    })
}

impl Kizuna {
    /// Validated cells of a new organisation, this office recorded as its creator.
    pub(crate) fn organisation_cells(&self, input: &OrganisationInput) -> Result<Vec<(&'static str, CellValue)>> {
        let mut cells = input.to_cells(true)?;
        cells.push(("office_id", CellValue::opt_text(self.own_office()?.map(|o| o.id))));
        Ok(cells)
    }

    pub fn organisation_add(&mut self, input: &OrganisationInput) -> Result<Organisation> {
        let cells = self.organisation_cells(input)?;
        let id = new_id();
        self.store.write(|w| w.insert("organisations", &id, &cells).map(|_| ()))?;
        self.organisation_show(&id)
    }

    pub fn organisation_show(&self, id: &str) -> Result<Organisation> {
        let id = &self.resolve_id("organisations", id)?;
        self.store
            .conn()
            .query_row(
                &format!("SELECT {ORGANISATION_COLUMNS} FROM organisations g WHERE g.id = ?1 AND g.deleted = 0"),
                [id],
                organisation_from_row,
            )
            .map_err(not_found("organisation", id))
    }

    pub fn organisation_edit(&mut self, id: &str, input: &OrganisationInput) -> Result<Organisation> {
        let current = self.organisation_show(id)?;
        let cells = input.to_cells(false)?;
        self.store.write(|w| w.update("organisations", &current.id, &cells).map(|_| ()))?;
        self.organisation_show(&current.id)
    }

    pub fn organisation_remove(&mut self, id: &str) -> Result<()> {
        let id = self.require_live("organisations", id)?;
        self.store.write(|w| w.delete("organisations", &id).map(|_| ()))
    }

    pub fn organisation_list(&self, q: &DirectoryQuery) -> Result<Page<Organisation>> {
        let mut f = Filter::new("g");
        if let Some(s) = q.search.as_deref().map(fold).filter(|s| !s.trim().is_empty()) {
            f.and("instr(g.search_key, ?) > 0", s.trim().to_string());
        }
        if let Some(k) = q.kind.as_deref().and_then(|k| pick("kind", k, &ORGANISATION_KINDS).transpose()) {
            f.and("g.kind = ?", k?);
        }
        if let Some(p) = q.prefecture.as_deref().filter(|p| !p.trim().is_empty()) {
            f.and("g.prefecture_code = ?", Prefecture::parse(p)?.code.to_string());
        }
        let (offset, limit) = page_bounds(q.offset, q.limit);
        let conn = self.store.conn();
        let total: i64 = conn.query_row(
            &format!("SELECT count(*) FROM organisations g WHERE {}", f.sql),
            f.refs().as_slice(),
            |r| r.get(0),
        )?;
        let sql = format!(
            "SELECT {ORGANISATION_COLUMNS} FROM organisations g WHERE {}
             ORDER BY coalesce(g.reading, g.name_ja), g.id LIMIT {limit} OFFSET {offset}",
            f.sql
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(f.refs().as_slice(), organisation_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { total, offset, limit, rows })
    }

    pub fn contact_add(&mut self, input: &ContactInput) -> Result<Contact> {
        let mut cells = input.to_cells(true)?;
        self.contact_affiliation(input, &mut cells)?;
        cells.push(("office_id", CellValue::opt_text(self.own_office()?.map(|o| o.id))));
        let id = new_id();
        self.store.write(|w| w.insert("contacts", &id, &cells).map(|_| ()))?;
        self.contact_show(&id)
    }

    pub fn contact_show(&self, id: &str) -> Result<Contact> {
        let id = &self.resolve_id("contacts", id)?;
        self.store
            .conn()
            .query_row(
                &format!("SELECT {CONTACT_COLUMNS} FROM {CONTACT_FROM} WHERE c.id = ?1 AND c.deleted = 0"),
                [id],
                contact_from_row,
            )
            .map_err(not_found("contact", id))
    }

    pub fn contact_edit(&mut self, id: &str, input: &ContactInput) -> Result<Contact> {
        let current = self.contact_show(id)?;
        let mut cells = input.to_cells(false)?;
        self.contact_affiliation(input, &mut cells)?;
        self.store.write(|w| w.update("contacts", &current.id, &cells).map(|_| ()))?;
        self.contact_show(&current.id)
    }

    pub fn contact_remove(&mut self, id: &str) -> Result<()> {
        let id = self.require_live("contacts", id)?;
        self.store.write(|w| w.delete("contacts", &id).map(|_| ()))
    }

    pub fn contact_list(&self, q: &DirectoryQuery) -> Result<Page<Contact>> {
        let mut f = Filter::new("c");
        let mut by = ContactFilters::default();
        if let Some(p) = q.prefecture.as_deref().filter(|p| !p.trim().is_empty()) {
            let code = Prefecture::parse(p)?.code.to_string();
            by.prefecture = Some(code.clone());
            f.and("c.prefecture_code = ?", code);
        }
        if let Some(of) = q.of.as_deref().filter(|o| !o.trim().is_empty()) {
            match self.member_resolve(of) {
                Ok(m) => {
                    by.member = Some(m.clone());
                    f.and("c.member_id = ?", m);
                }
                Err(_) => {
                    let of = self.require_live("organisations", of)?;
                    by.organisation = Some(of.clone());
                    f.and("c.organisation_id = ?", of);
                }
            }
        }
        let (offset, limit) = page_bounds(q.offset, q.limit);
        if let Some(needle) = q.search.as_deref().map(fold).filter(|s| !s.trim().is_empty()) {
            return self.contact_search(needle.trim(), &by, offset, limit);
        }
        let conn = self.store.conn();
        let total: i64 =
            conn.query_row(&format!("SELECT count(*) FROM contacts c WHERE {}", f.sql), f.refs().as_slice(), |r| {
                r.get(0)
            })?;
        // The page first, from the contacts alone; affiliations are then
        // looked up for its rows only (see `meeting_list`).
        let order = "coalesce(c.reading, c.name_ja), c.id";
        let sql = format!(
            "SELECT {CONTACT_COLUMNS} FROM (SELECT c.id FROM contacts c WHERE {}
                 ORDER BY {order} LIMIT {limit} OFFSET {offset}) p
             JOIN contacts c ON c.id = p.id
             LEFT JOIN members mb ON mb.id = c.member_id
             LEFT JOIN organisations g ON g.id = c.organisation_id ORDER BY {order}",
            f.sql
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(f.refs().as_slice(), contact_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { total, offset, limit, rows })
    }

    /// A text search, answered from the in-memory index (see
    /// `contact_index`); only the page's rows are read from the database.
    fn contact_search(&self, needle: &str, by: &ContactFilters, offset: i64, limit: i64) -> Result<Page<Contact>> {
        self.with_index(&self.contact_index, |index| {
            let found = index.search(needle, by);
            let page: Vec<&str> = found.iter().copied().skip(offset as usize).take(limit as usize).collect();
            let select = format!("SELECT {CONTACT_COLUMNS} FROM {CONTACT_FROM} WHERE c.id IN");
            let rows = self.rows_by_id(&select, &page, contact_from_row, |r| &r.id)?;
            Ok(Page { total: found.len() as i64, offset, limit, rows })
        })
    }

    /// The member or organisation a contact belongs to, resolved; giving
    /// one clears the other.
    fn contact_affiliation(&self, input: &ContactInput, cells: &mut Vec<(&'static str, CellValue)>) -> Result<()> {
        if let Some(m) = &input.member {
            let id = if m.trim().is_empty() { None } else { Some(self.member_resolve(m)?) };
            if id.is_some() {
                cells.push(("organisation_id", CellValue::Null));
            }
            cells.push(("member_id", CellValue::opt_text(id)));
        }
        if let Some(o) = &input.organisation {
            let id = if o.trim().is_empty() { None } else { Some(self.require_live("organisations", o)?) };
            if id.is_some() {
                cells.push(("member_id", CellValue::Null));
            }
            cells.push(("organisation_id", CellValue::opt_text(id)));
        }
        Ok(())
    }
}
