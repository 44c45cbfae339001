//! The pooled fund's donors: people and organisations who gave (HQ only).

use rusqlite::Row;

use crate::api::members::{Filter, page_bounds};
use crate::api::not_found;
use crate::api::{Kizuna, new_id};
use crate::error::{Error, Result};
use crate::fold::fold;
use crate::model::Page;
use crate::model::fund::{FundDonor, FundDonorInput, FundDonorQuery};

pub(crate) const DONOR_COLUMNS: &str =
    "d.id, d.kind, d.name_ja, d.name_en, d.reading, d.country, d.email, d.phone, d.address, d.named_consent, d.notes";

pub(crate) fn donor_from_row(r: &Row<'_>) -> rusqlite::Result<FundDonor> {
    Ok(FundDonor {
        id: r.get(0)?,
        kind: r.get::<_, Option<String>>(1)?.unwrap_or_else(|| "person".into()),
        name_ja: r.get(2)?,
        name_en: r.get(3)?,
        reading: r.get(4)?,
        country: r.get(5)?,
        email: r.get(6)?,
        phone: r.get(7)?,
        address: r.get(8)?,
        named_consent: r.get::<_, Option<i64>>(9)?.unwrap_or(0) == 1,
        notes: r.get(10)?,
    })
}

impl Kizuna {
    /// Refuses a write to a fund table from an office other than HQ before
    /// any other check, so a field office learns why at once (the write path
    /// enforces the same rule on every write).
    pub(crate) fn require_fund_writer(&self, table: &str) -> Result<()> {
        match crate::schema::table(table) {
            Some(t) => crate::sync::rights::may_write(self.office_code(), t),
            None => Err(Error::invalid("table", format!("unknown table {table}"))),
        }
    }

    pub fn donor_add(&mut self, input: &FundDonorInput) -> Result<FundDonor> {
        self.require_fund_writer("fund_donors")?;
        let cells = input.to_cells(true, (false, false))?;
        let id = new_id();
        self.store.write(|w| w.insert("fund_donors", &id, &cells).map(|_| ()))?;
        self.donor_show(&id)
    }

    pub fn donor_show(&self, id: &str) -> Result<FundDonor> {
        let id = &self.resolve_id("fund_donors", id)?;
        self.store
            .conn()
            .query_row(
                &format!("SELECT {DONOR_COLUMNS} FROM fund_donors d WHERE d.id = ?1 AND d.deleted = 0"),
                [id],
                donor_from_row,
            )
            .map_err(not_found("fund donor", id))
    }

    pub fn donor_edit(&mut self, id: &str, input: &FundDonorInput) -> Result<FundDonor> {
        self.require_fund_writer("fund_donors")?;
        let current = self.donor_show(id)?;
        let cells = input.to_cells(false, (current.name_ja.is_some(), current.name_en.is_some()))?;
        self.store.write(|w| w.update("fund_donors", &current.id, &cells).map(|_| ()))?;
        self.donor_show(&current.id)
    }

    /// Removes a donor. A donor with live gifts is kept: the gifts' receipts
    /// name them.
    pub fn donor_remove(&mut self, id: &str) -> Result<()> {
        self.require_fund_writer("fund_donors")?;
        let current = self.donor_show(id)?;
        let gifts: i64 = self.store.conn().query_row(
            "SELECT count(*) FROM gifts WHERE donor_id = ?1 AND deleted = 0",
            [&current.id],
            |r| r.get(0),
        )?;
        if gifts > 0 {
            return Err(Error::invalid("donor", format!("has {gifts} recorded gifts: remove them first")));
        }
        self.store.write(|w| w.delete("fund_donors", &current.id).map(|_| ()))
    }

    /// Donors by reading (else name); `search` matches names, reading and
    /// email, kana- and width-insensitive.
    pub fn donor_list(&self, q: &FundDonorQuery) -> Result<Page<FundDonor>> {
        let mut f = Filter::new("d");
        if let Some(s) = q.search.as_deref().map(fold).filter(|s| !s.trim().is_empty()) {
            f.and("instr(d.search_key, ?) > 0", s.trim().to_string());
        }
        let (offset, limit) = page_bounds(q.offset, q.limit);
        let conn = self.store.conn();
        let total: i64 =
            conn.query_row(&format!("SELECT count(*) FROM fund_donors d WHERE {}", f.sql), f.refs().as_slice(), |r| {
                r.get(0)
            })?;
        let sql = format!(
            "SELECT {DONOR_COLUMNS} FROM fund_donors d WHERE {}
             ORDER BY coalesce(d.reading, d.name_ja, d.name_en), d.id LIMIT {limit} OFFSET {offset}",
            f.sql
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(f.refs().as_slice(), donor_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { total, offset, limit, rows })
    }
}
