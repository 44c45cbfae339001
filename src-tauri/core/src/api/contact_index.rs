//! An in-memory index of the live contacts' search keys, in the contact
//! list's order: at 50,000 contacts SQLite scanning the keys twice (the
//! page and the count) took 35-40 ms a keystroke, one `memmem` pass about
//! one. Rebuilt like the site index on the first search after any change.

use rusqlite::Connection;

use crate::api::lazy_index::LazyIndex;
use crate::api::site_index::{FoldedKeys, same};
use crate::error::Result;

struct Entry {
    id: String,
    prefecture: Option<String>,
    member: Option<String>,
    organisation: Option<String>,
}

/// What a contact search combines with its text.
#[derive(Default)]
pub(crate) struct ContactFilters {
    pub prefecture: Option<String>,
    pub member: Option<String>,
    pub organisation: Option<String>,
}

pub(crate) struct ContactIndex {
    stamp: (u64, i64),
    keys: FoldedKeys,
    entries: Vec<Entry>,
}

impl LazyIndex for ContactIndex {
    fn build(conn: &Connection, stamp: (u64, i64)) -> Result<Self> {
        let mut stmt = conn.prepare(
            "SELECT id, prefecture_code, member_id, organisation_id, search_key FROM contacts
             WHERE deleted = 0 ORDER BY coalesce(reading, name_ja), id",
        )?;
        let mut rows = stmt.query([])?;
        let mut index = ContactIndex { stamp, keys: FoldedKeys::default(), entries: Vec::new() };
        while let Some(r) = rows.next()? {
            index.keys.push(r.get_ref(4)?.as_str_or_null().ok().flatten());
            index.entries.push(Entry {
                id: r.get(0)?,
                prefecture: r.get(1)?,
                member: r.get(2)?,
                organisation: r.get(3)?,
            });
        }
        Ok(index)
    }

    fn is_current(&self, stamp: (u64, i64)) -> bool {
        self.stamp == stamp
    }
}

impl ContactIndex {
    /// Ids of the contacts whose key contains `needle` (folded, trimmed)
    /// and that pass `f`, in the contact list's order.
    pub(crate) fn search(&self, needle: &str, f: &ContactFilters) -> Vec<&str> {
        self.keys
            .matching(needle)
            .into_iter()
            .map(|i| &self.entries[i])
            .filter(|e| {
                same(&f.prefecture, &e.prefecture)
                    && same(&f.member, &e.member)
                    && same(&f.organisation, &e.organisation)
            })
            .map(|e| e.id.as_str())
            .collect()
    }
}
