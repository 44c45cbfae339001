//! Offices and the organisation's profile.

use crate::api::Kizuna;
use crate::error::{Error, Result};
use crate::model::office::Office;
use crate::model::profile::Profile;

impl Kizuna {
    pub fn office_list(&self) -> Result<Vec<Office>> {
        let mut stmt = self.store.conn().prepare(
            "SELECT id, code, name_en, name_ja, prefecture_code, locality_en, locality_ja, is_hq
             FROM offices WHERE deleted = 0 ORDER BY is_hq DESC, prefecture_code",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Office {
                id: r.get(0)?,
                code: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                name_en: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                name_ja: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                prefecture_code: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                locality_en: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                locality_ja: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                is_hq: r.get::<_, Option<i64>>(7)?.unwrap_or(0) == 1,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The office row of this installation, when the network's data has it.
    pub fn own_office(&self) -> Result<Option<Office>> {
        Ok(self.office_list()?.into_iter().find(|o| o.code == self.office_code()))
    }

    pub fn profile(&self) -> Result<Profile> {
        self.store
            .conn()
            .query_row(
                "SELECT id, name_en, name_ja, acronym, founded_year, affiliation_en, affiliation_ja,
                        mission_en, mission_ja, focus_areas, past_responses
                 FROM profiles WHERE deleted = 0 ORDER BY id LIMIT 1",
                [],
                |r| {
                    let s = |i: usize| -> rusqlite::Result<String> {
                        Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
                    };
                    Ok(Profile {
                        id: s(0)?,
                        name_en: s(1)?,
                        name_ja: s(2)?,
                        acronym: s(3)?,
                        founded_year: r.get::<_, Option<i64>>(4)?.unwrap_or(0),
                        affiliation_en: s(5)?,
                        affiliation_ja: s(6)?,
                        mission_en: s(7)?,
                        mission_ja: s(8)?,
                        focus_areas: serde_json::from_str(&s(9)?).unwrap_or_default(),
                        past_responses: serde_json::from_str(&s(10)?).unwrap_or_default(),
                    })
                },
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Error::NotFound { entity: "profile", id: "(none)".into() },
                e => e.into(),
            })
    }
}
