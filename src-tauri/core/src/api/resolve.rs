//! What a person types for a record: its whole id, a unique prefix of at
//! least [`MIN_ID_PREFIX`] characters (as git takes an abbreviated hash), or
//! for a member its member number (`TNO-0003`, any case). One resolver, called
//! by every API function that takes an id, so the CLI and the app accept the
//! same forms and a prefix shared by several records is refused the same way.

use rusqlite::{OptionalExtension, params};

use crate::api::Kizuna;
use crate::error::{Error, Result};
use crate::schema::entity_name;

/// The shortest prefix accepted in place of a whole id. UUIDv7 ids made in
/// the same minute share their first 8 characters, so a prefix that short is
/// often ambiguous; the error then lists the candidates to pick from.
pub const MIN_ID_PREFIX: usize = 8;

/// How many candidates an ambiguous prefix names.
const MAX_CANDIDATES: usize = 10;

/// Whether a lookup is for records in use or for removed ones (restore).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rows {
    Live,
    Removed,
}

impl Kizuna {
    /// The id of the live record of `table` that `given` names: a whole id,
    /// a unique prefix of 8+ characters, or (members) a member number.
    /// Unknown: `not_found`; a prefix of several ids: `ambiguous_id`, listing them.
    pub fn resolve_id(&self, table: &'static str, given: &str) -> Result<String> {
        self.resolve_rows(table, given, Rows::Live)
    }

    pub(crate) fn resolve_rows(&self, table: &'static str, given: &str, rows: Rows) -> Result<String> {
        let given = given.trim();
        let deleted = i64::from(rows == Rows::Removed);
        let conn = self.store.conn();
        let exact: Option<String> = conn
            .prepare_cached(&format!("SELECT id FROM {table} WHERE id = ?1 AND deleted = ?2"))?
            .query_row(params![given, deleted], |r| r.get(0))
            .optional()?;
        if let Some(id) = exact {
            return Ok(id);
        }
        let entity = entity_name(table);
        if table == "members" && !given.is_empty() {
            let numbered = ids(
                conn,
                "SELECT id FROM members WHERE upper(member_no) = upper(?1) AND deleted = ?2 ORDER BY id LIMIT ?3",
                given,
                deleted,
            )?;
            if let Some(id) = one(entity, given, numbered)? {
                return Ok(id);
            }
        }
        // Ids are lower-case UUIDs: a prefix is hex digits and hyphens.
        let prefix = given.to_ascii_lowercase();
        if prefix.chars().count() >= MIN_ID_PREFIX && prefix.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            // A range over the primary key, not LIKE, so the index serves it;
            // U+10FFFF sorts after every character an id can hold.
            let sql = format!(
                "SELECT id FROM {table} WHERE id >= ?1 AND id < ?1 || char(1114111) AND deleted = ?2 ORDER BY id LIMIT ?3"
            );
            if let Some(id) = one(entity, given, ids(conn, &sql, &prefix, deleted)?)? {
                return Ok(id);
            }
        }
        Err(Error::NotFound { entity, id: given.to_string() })
    }
}

fn ids(conn: &rusqlite::Connection, sql: &str, given: &str, deleted: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let found = stmt
        .query_map(params![given, deleted, MAX_CANDIDATES as i64 + 1], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(found)
}

/// The one id found, none, or the ambiguity error naming the candidates.
fn one(entity: &'static str, given: &str, mut found: Vec<String>) -> Result<Option<String>> {
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        n => {
            let more = n > MAX_CANDIDATES;
            found.truncate(MAX_CANDIDATES);
            Err(Error::Ambiguous { entity, given: given.to_string(), candidates: found, more })
        }
    }
}
