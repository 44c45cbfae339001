//! The one way an in-memory index (sites, contacts, meetings, attendance)
//! is kept: built on first use, kept while the database's data stamp is
//! unchanged (through this connection or another), rebuilt on the first
//! use after any change, so it never answers from stale data. And the one
//! way a search answered from such an index reads its page of rows.
//!
//! An index whose rebuild is costly can instead be updated by the writes of
//! its own records ([`write_through`]): only when nothing else changed the
//! database since it was current, so it still equals what a rebuild gives.

use std::cell::RefCell;

use rusqlite::{Connection, Row};

use crate::api::Kizuna;
use crate::error::Result;
use crate::store::{Store, Writer};

pub(crate) trait LazyIndex: Sized {
    fn build(conn: &Connection, stamp: (u64, i64)) -> Result<Self>;
    fn is_current(&self, stamp: (u64, i64)) -> bool;
}

/// An index that a write of this connection can bring up to date.
pub(crate) trait UpdatedIndex: LazyIndex {
    /// Marks the index as matching the database at `stamp`.
    fn restamp(&mut self, stamp: (u64, i64));
}

/// Runs `write` in one transaction, then applies `update` to the index in
/// `cell` if the index was current before and this write is the only
/// change since (one more write of this connection, no other connection's
/// commit); otherwise drops the index, to be rebuilt on its next use.
pub(crate) fn write_through<I: UpdatedIndex, T>(
    store: &mut Store,
    cell: &RefCell<Option<I>>,
    write: impl FnOnce(&mut Writer<'_>) -> Result<T>,
    update: impl FnOnce(&mut I, &T),
) -> Result<T> {
    let before = store.data_stamp()?;
    let out = store.write(write)?;
    let after = store.data_stamp()?;
    let mut cached = cell.borrow_mut();
    match cached.as_mut() {
        Some(index) if index.is_current(before) && after == (before.0 + 1, before.1) => {
            update(index, &out);
            index.restamp(after);
        }
        _ => *cached = None,
    }
    Ok(out)
}

impl Kizuna {
    /// Runs `f` over the current index held in `cell`, building it first
    /// if there is none or the data changed since it was built.
    pub(crate) fn with_index<I: LazyIndex, R>(
        &self,
        cell: &RefCell<Option<I>>,
        f: impl FnOnce(&I) -> Result<R>,
    ) -> Result<R> {
        let stamp = self.store.data_stamp()?;
        let mut cached = cell.borrow_mut();
        let index = match cached.take() {
            Some(index) if index.is_current(stamp) => index,
            _ => I::build(self.store.conn(), stamp)?,
        };
        let out = f(&index);
        *cached = Some(index);
        out
    }

    /// The rows with the given ids, in the order of `ids`: `select` ends in
    /// `WHERE <alias>.id IN` and the list of ids is appended.
    pub(crate) fn rows_by_id<T>(
        &self,
        select: &str,
        ids: &[&str],
        row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
        id_of: impl Fn(&T) -> &str,
    ) -> Result<Vec<T>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!("{select} ({})", vec!["?"; ids.len()].join(", "));
        let mut stmt = self.store.conn().prepare_cached(&sql)?;
        let mut rows =
            stmt.query_map(rusqlite::params_from_iter(ids.iter()), row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.sort_by_key(|r| ids.iter().position(|id| *id == id_of(r)));
        Ok(rows)
    }
}
