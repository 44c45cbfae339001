//! Add-only migrations keyed on `PRAGMA user_version`, each applied in one
//! transaction together with the version bump.

use rusqlite::Connection;

use crate::error::{Error, Result};

const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations/0001_init.sql"),
    include_str!("../../migrations/0002_sync.sql"),
    include_str!("../../migrations/0003_search_index.sql"),
    include_str!("../../migrations/0004_log_digest.sql"),
    include_str!("../../migrations/0005_log_digest_in_writer.sql"),
    include_str!("../../migrations/0006_site_counts_index.sql"),
    include_str!("../../migrations/0007_row_log.sql"),
    include_str!("../../migrations/0008_feeds.sql"),
    include_str!("../../migrations/0009_refused_held.sql"),
    include_str!("../../migrations/0010_office_numbers.sql"),
    include_str!("../../migrations/0011_coordination.sql"),
    include_str!("../../migrations/0012_fund_and_matching.sql"),
    include_str!("../../migrations/0013_grant_desk.sql"),
    include_str!("../../migrations/0014_narratives.sql"),
];

pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn check_version(conn: &Connection) -> Result<i64> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew { found, known: SCHEMA_VERSION });
    }
    Ok(found)
}

pub fn migrate(conn: &mut Connection) -> Result<()> {
    let found = check_version(conn)?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}
