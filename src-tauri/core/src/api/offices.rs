//! Offices and the organisation's profile.

use rusqlite::OptionalExtension;

use crate::api::Kizuna;
use crate::error::{Error, Result};
use crate::model::office::{self, Office, OfficeInput};
use crate::model::profile::Profile;
use crate::model::text::{self, MAX_NAME};
use crate::prefecture::Prefecture;
use crate::store::{CellValue, Writer};

impl Kizuna {
    pub fn office_list(&self) -> Result<Vec<Office>> {
        let mut stmt = self.store.conn().prepare(
            "SELECT id, code, name_en, name_ja, prefecture_code, locality_en, locality_ja, is_hq, number_prefix
             FROM offices WHERE deleted = 0 ORDER BY is_hq DESC, prefecture_code, code",
        )?;
        let rows = stmt.query_map([], |r| {
            let code = r.get::<_, Option<String>>(1)?.unwrap_or_default();
            let number_prefix = office::prefix_of(&code, r.get(8)?);
            Ok(Office {
                id: r.get(0)?,
                name_en: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                name_ja: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                prefecture_code: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                locality_en: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                locality_ja: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                is_hq: r.get::<_, Option<i64>>(7)?.unwrap_or(0) == 1,
                code,
                number_prefix,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// HQ only: adds an office to the network, which HQ can then invite. Its
    /// code and member number prefix must be new to the network (removed
    /// offices included, so that no origin or number is ever reused).
    pub fn office_add(&mut self, input: &OfficeInput) -> Result<Office> {
        if let Some(t) = crate::schema::table("offices") {
            crate::sync::rights::may_write(self.office_code(), t)?;
        }
        let code = office::check_code(&input.code)?;
        let name_ja = text::required("name_ja", &input.name_ja, MAX_NAME)?;
        let name_en = text::required("name_en", &input.name_en, MAX_NAME)?;
        let prefecture = Prefecture::parse(&input.prefecture)?;
        let locality_ja = text::optional("locality_ja", input.locality_ja.as_deref().unwrap_or(""), MAX_NAME)?;
        let locality_en = text::optional("locality_en", input.locality_en.as_deref().unwrap_or(""), MAX_NAME)?;
        let prefix = match input.number_prefix.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => office::check_prefix(p)?,
            None => office::check_prefix(&office::default_prefix(&code)).map_err(|_| {
                Error::invalid("number_prefix", format!("office '{code}' needs a number prefix: 2-4 letters A-Z"))
            })?,
        };
        let id = format!("office:{code}");
        self.store.write(|w| {
            let mut q = w.conn().prepare("SELECT code, number_prefix FROM offices")?;
            let taken = q
                .query_map([], |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Option<String>>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for (c, p) in taken {
                let c = c.unwrap_or_default();
                if c == code {
                    return Err(Error::invalid("code", format!("the network already has an office '{code}'")));
                }
                if office::prefix_of(&c, p) == prefix {
                    return Err(Error::invalid(
                        "number_prefix",
                        format!("office '{c}' already numbers its members {prefix}-…: choose another prefix"),
                    ));
                }
            }
            drop(q);
            w.insert(
                "offices",
                &id,
                &[
                    ("code", CellValue::Text(code.clone())),
                    ("name_ja", CellValue::Text(name_ja)),
                    ("name_en", CellValue::Text(name_en)),
                    ("prefecture_code", CellValue::Text(prefecture.code.to_string())),
                    ("locality_ja", CellValue::opt_text(locality_ja)),
                    ("locality_en", CellValue::opt_text(locality_en)),
                    ("is_hq", CellValue::Integer(0)),
                    ("number_prefix", CellValue::Text(prefix.clone())),
                ],
            )?;
            Ok(())
        })?;
        self.office_resolve(&code)
    }

    /// An office given by code or id.
    pub fn office_resolve(&self, given: &str) -> Result<Office> {
        let given = given.trim();
        self.office_list()?
            .into_iter()
            .find(|o| o.code == given || o.id == given)
            .ok_or_else(|| Error::NotFound { entity: "office", id: given.to_string() })
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

/// HQ, at each invite: counts one more enrolment of `code` and returns
/// the member number series the new enrolment uses (see
/// [`office::series`]). The office must be in the network's data.
pub(crate) fn next_enrolment(w: &mut Writer<'_>, code: &str) -> Result<String> {
    let row: Option<(String, Option<String>, Option<i64>)> = w
        .conn()
        .query_row("SELECT id, number_prefix, enrolments FROM offices WHERE code = ?1 AND deleted = 0", [code], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let Some((id, prefix, enrolments)) = row else {
        return Err(Error::invalid(
            "office",
            format!("the network has no office '{code}': add it first (kizuna office add)"),
        ));
    };
    let prefix = office::prefix_of(code, prefix);
    // An office enrolled before enrolments were counted has used the
    // first series already.
    let enrolled_before: bool =
        w.conn().query_row("SELECT EXISTS (SELECT 1 FROM sync_offices WHERE code = ?1)", [code], |r| r.get(0))?;
    let done = enrolments.unwrap_or(0).max(i64::from(enrolled_before));
    let n = done + 1;
    w.update("offices", &id, &[("enrolments", CellValue::Integer(n))])?;
    Ok(office::series(&prefix, u32::try_from(n).unwrap_or(u32::MAX)))
}
