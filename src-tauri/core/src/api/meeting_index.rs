//! An in-memory index of the live meetings' search keys, in the meeting
//! list's order (newest first), so a keystroke in the meeting search is one
//! `memmem` pass rather than a scan and sort in SQLite under the window's
//! small page cache. Rebuilt like the site index on the first search after
//! any change.

use rusqlite::Connection;

use crate::api::lazy_index::LazyIndex;
use crate::api::site_index::{FoldedKeys, same};
use crate::error::Result;

struct Entry {
    id: String,
    held_on: Option<String>,
    office: Option<String>,
    prefecture: Option<String>,
    kind: Option<String>,
}

/// What a meeting search combines with its text; days as YYYY-MM-DD.
#[derive(Default)]
pub(crate) struct MeetingFilters {
    pub from: Option<String>,
    pub to: Option<String>,
    pub office: Option<String>,
    pub prefecture: Option<String>,
    pub kind: Option<String>,
}

pub(crate) struct MeetingIndex {
    stamp: (u64, i64),
    keys: FoldedKeys,
    entries: Vec<Entry>,
}

/// The SQL order of the meeting list, which the index keeps.
pub(crate) const MEETING_ORDER: &str = "m.held_on DESC, m.start_time DESC, m.id";

impl LazyIndex for MeetingIndex {
    fn build(conn: &Connection, stamp: (u64, i64)) -> Result<Self> {
        let mut stmt = conn.prepare(&format!(
            "SELECT m.id, m.held_on, m.office_id, m.prefecture_code, m.kind, m.search_key FROM meetings m
             WHERE m.deleted = 0 ORDER BY {MEETING_ORDER}"
        ))?;
        let mut rows = stmt.query([])?;
        let mut index = MeetingIndex { stamp, keys: FoldedKeys::default(), entries: Vec::new() };
        while let Some(r) = rows.next()? {
            index.keys.push(r.get_ref(5)?.as_str_or_null().ok().flatten());
            index.entries.push(Entry {
                id: r.get(0)?,
                held_on: r.get(1)?,
                office: r.get(2)?,
                prefecture: r.get(3)?,
                kind: r.get(4)?,
            });
        }
        Ok(index)
    }

    fn is_current(&self, stamp: (u64, i64)) -> bool {
        self.stamp == stamp
    }
}

impl MeetingIndex {
    /// Ids of the meetings whose key contains `needle` (folded, trimmed)
    /// and that pass `f`, in the meeting list's order.
    pub(crate) fn search(&self, needle: &str, f: &MeetingFilters) -> Vec<&str> {
        self.keys
            .matching(needle)
            .into_iter()
            .map(|i| &self.entries[i])
            .filter(|e| {
                f.from.as_deref().is_none_or(|d| e.held_on.as_deref().is_some_and(|h| h >= d))
                    && f.to.as_deref().is_none_or(|d| e.held_on.as_deref().is_some_and(|h| h <= d))
                    && same(&f.office, &e.office)
                    && same(&f.prefecture, &e.prefecture)
                    && same(&f.kind, &e.kind)
            })
            .map(|e| e.id.as_str())
            .collect()
    }
}
