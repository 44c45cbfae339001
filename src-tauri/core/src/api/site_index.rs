//! An in-memory index of the live sites' search keys, and the folded-key
//! buffer ([`FoldedKeys`]) that it and the contact index search.
//!
//! A site search is a substring match on folded text, which no B-tree index
//! can serve: SQLite scanning 100k keys costs tens of milliseconds per
//! keystroke, one `memmem` pass over a contiguous buffer about one. The index
//! is rebuilt lazily, on the first search after the database changed (through
//! this connection or another), so it can never answer from stale data.

use memchr::memmem;
use rusqlite::Connection;

use crate::api::lazy_index::LazyIndex;
use crate::error::Result;

/// The filters a search combines with its text, with the same meaning as
/// the SQL `site_list` runs without a search.
#[derive(Default)]
pub(crate) struct Filters {
    pub prefecture: Option<String>,
    pub member: Option<String>,
    pub status: Option<String>,
    /// A canonical sector code: matches sites listing it.
    pub sector: Option<String>,
}

struct Entry {
    id: String,
    prefecture: Option<String>,
    member: Option<String>,
    status: Option<String>,
    sectors: Option<String>,
}

/// Folded search keys of many rows in one contiguous buffer, each followed
/// by a newline (folded keys hold none), in the order of a list: a substring
/// search is one `memmem` pass. The site and contact indexes hold one.
#[derive(Default)]
pub(crate) struct FoldedKeys {
    keys: Vec<u8>,
    /// Where entry i's key ends in `keys`.
    ends: Vec<usize>,
}

impl FoldedKeys {
    pub(crate) fn push(&mut self, key: Option<&str>) {
        if let Some(key) = key {
            // Whitespace folds to a space, but a key written by another
            // version must not be able to straddle two entries.
            self.keys.extend(key.bytes().map(|b| if b == b'\n' { b' ' } else { b }));
        }
        self.keys.push(b'\n');
        self.ends.push(self.keys.len());
    }

    /// The positions of the entries whose key contains `needle` (already
    /// folded and trimmed), in order, each once.
    pub(crate) fn matching(&self, needle: &str) -> Vec<usize> {
        let finder = memmem::Finder::new(needle.as_bytes());
        let mut out = Vec::new();
        let (mut i, mut from) = (0, 0);
        while let Some(found) = finder.find(&self.keys[from..]) {
            let pos = from + found;
            // Matches come in order, so the entry holding one is found by
            // walking on from the last, never by searching from the start.
            while self.ends[i] <= pos {
                i += 1;
            }
            out.push(i);
            // One hit per entry: go on from the next key.
            from = self.ends[i];
            i += 1;
            if i == self.ends.len() {
                break;
            }
        }
        out
    }
}

pub(crate) struct SiteIndex {
    stamp: (u64, i64),
    /// Every live site's search key, in `site_list`'s order.
    keys: FoldedKeys,
    entries: Vec<Entry>,
}

impl LazyIndex for SiteIndex {
    fn build(conn: &Connection, stamp: (u64, i64)) -> Result<Self> {
        let mut stmt = conn.prepare(
            "SELECT id, prefecture_code, member_id, status, sectors, search_key FROM sites
             WHERE deleted = 0 ORDER BY prefecture_code, name, id",
        )?;
        let mut rows = stmt.query([])?;
        let mut index = SiteIndex { stamp, keys: FoldedKeys::default(), entries: Vec::new() };
        while let Some(r) = rows.next()? {
            index.keys.push(r.get_ref(5)?.as_str_or_null().ok().flatten());
            index.entries.push(Entry {
                id: r.get(0)?,
                prefecture: r.get(1)?,
                member: r.get(2)?,
                status: r.get(3)?,
                sectors: r.get(4)?,
            });
        }
        Ok(index)
    }

    fn is_current(&self, stamp: (u64, i64)) -> bool {
        self.stamp == stamp
    }
}

impl SiteIndex {
    /// Ids of the sites whose key contains `needle` (already folded and
    /// trimmed) and that pass `f`, in `site_list`'s order.
    pub(crate) fn search(&self, needle: &str, f: &Filters) -> Vec<&str> {
        let sector = f.sector.as_ref().map(|s| format!("\"{s}\""));
        self.keys
            .matching(needle)
            .into_iter()
            .map(|i| &self.entries[i])
            .filter(|e| {
                same(&f.prefecture, &e.prefecture)
                    && same(&f.member, &e.member)
                    && same(&f.status, &e.status)
                    && sector
                        .as_ref()
                        .is_none_or(|s| e.sectors.as_deref().is_some_and(|list| list.contains(s.as_str())))
            })
            .map(|e| e.id.as_str())
            .collect()
    }
}

/// A filter that is set matches only an equal, non-null value, as `=` in SQL.
pub(crate) fn same(filter: &Option<String>, value: &Option<String>) -> bool {
    filter.as_ref().is_none_or(|f| value.as_ref() == Some(f))
}
