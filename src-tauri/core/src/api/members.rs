//! The member registry.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, ToSql, params};
use serde::Serialize;
use ts_rs::TS;

use crate::api::not_found;
use crate::api::{Kizuna, new_id};
use crate::error::{Error, Result};
use crate::fold::{fold, org_name_key};
use crate::model::Page;
use crate::model::member::{Member, MemberInput, MemberQuery, MemberSort, parse_status};
use crate::model::office;
use crate::prefecture::Prefecture;
use crate::store::CellValue;

const MEMBER_COLUMNS: &str = "m.id, m.member_no, m.name_ja, m.name_en, m.reading, m.legal_form, m.contact_person,
    m.email, m.phone, m.address, m.prefectures, m.status, m.joined_on, m.left_on, m.notes, m.donor_fund_partner,
    m.office_id,
    (SELECT count(*) FROM sites s WHERE s.member_id = m.id AND s.deleted = 0) AS site_count,
    (SELECT count(*) FROM sites s WHERE s.member_id = m.id AND s.deleted = 0 AND s.status = 'active') AS active_count";

pub(crate) fn json_list(s: Option<String>) -> Vec<String> {
    s.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

pub(crate) fn opt_date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

fn member_from_row(r: &Row<'_>) -> rusqlite::Result<Member> {
    Ok(Member {
        id: r.get(0)?,
        member_no: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        name_ja: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        name_en: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
        reading: r.get(4)?,
        legal_form: r.get(5)?,
        contact_person: r.get(6)?,
        email: r.get(7)?,
        phone: r.get(8)?,
        address: r.get(9)?,
        prefectures: json_list(r.get(10)?),
        status: r.get::<_, Option<String>>(11)?.unwrap_or_else(|| "active".into()),
        joined_on: opt_date(r.get(12)?),
        left_on: opt_date(r.get(13)?),
        notes: r.get(14)?,
        donor_fund_partner: r.get::<_, Option<i64>>(15)?.unwrap_or(0) == 1,
        office_id: r.get(16)?,
        site_count: r.get(17)?,
        active_site_count: r.get(18)?,
    })
}

/// The filters of a list query, as SQL over table alias `alias` (live rows
/// only) and their arguments, numbered in order.
pub(crate) struct Filter {
    pub sql: String,
    args: Vec<Box<dyn ToSql>>,
}

impl Filter {
    pub(crate) fn new(alias: &str) -> Filter {
        Filter { sql: format!("{alias}.deleted = 0"), args: Vec::new() }
    }

    pub(crate) fn and(&mut self, sql: &str, v: impl ToSql + 'static) {
        self.args.push(Box::new(v));
        self.sql.push_str(" AND ");
        self.sql.push_str(&sql.replace('?', &format!("?{}", self.args.len())));
    }

    pub(crate) fn refs(&self) -> Vec<&dyn ToSql> {
        self.args.iter().map(|a| a.as_ref()).collect()
    }
}

/// What a member's removal took with it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MemberRemoved {
    pub id: String,
    pub member_no: String,
    #[ts(type = "number")]
    pub sites_removed: i64,
    #[ts(type = "number")]
    pub active_sites_removed: i64,
}

/// Largest page any list returns, whatever the caller asks for.
pub const MAX_PAGE: i64 = 500;

pub(crate) fn page_bounds(offset: Option<i64>, limit: Option<i64>) -> (i64, i64) {
    (offset.unwrap_or(0).max(0), limit.unwrap_or(50).clamp(1, MAX_PAGE))
}

impl Kizuna {
    pub fn member_add(&mut self, input: &MemberInput) -> Result<Member> {
        let mut cells = input.to_cells(true, (None, None))?;
        if !input.allow_duplicate.unwrap_or(false) {
            self.refuse_likely_duplicate(&DuplicateProbe::of_cells(&cells, None), None)?;
        }
        let office = self.office_code().to_string();
        let office_id = self.own_office()?.map(|o| o.id);
        let id = new_id();
        let stored = id.clone();
        self.store.write(|w| {
            let no = next_member_no(w.conn(), &office)?;
            cells.push(("member_no", CellValue::Text(no)));
            cells.push(("office_id", CellValue::opt_text(office_id)));
            w.insert("members", &stored, &cells)?;
            Ok(())
        })?;
        self.member_show(&id)
    }

    pub fn member_show(&self, id: &str) -> Result<Member> {
        let id = &self.member_resolve(id)?;
        let sql = format!("SELECT {MEMBER_COLUMNS} FROM members m WHERE m.id = ?1 AND m.deleted = 0");
        self.store.conn().query_row(&sql, [id], member_from_row).map_err(not_found("member", id))
    }

    pub fn member_edit(&mut self, id: &str, input: &MemberInput) -> Result<Member> {
        let current = self.member_show(id)?;
        let id = current.id.as_str();
        let cells = input.to_cells(false, (current.joined_on, current.left_on))?;
        // Only a new name or new prefectures can make a member look like
        // another; an edit of its phone must not re-raise a pair the person
        // already confirmed as two organisations.
        let probe = DuplicateProbe::of_cells(&cells, Some(&current));
        let before = DuplicateProbe::of_member(&current);
        if !input.allow_duplicate.unwrap_or(false) && probe != before {
            self.refuse_likely_duplicate(&probe, Some(id))?;
        }
        self.store.write(|w| w.update("members", id, &cells).map(|_| ()))?;
        self.member_show(id)
    }

    /// Removes a member. Its sites go with it, in the same transaction, so no
    /// site is left pointing at a member that is gone; a member with sites is
    /// removed only when `cascade` says the person knows (the refusal states
    /// how many). Everything removed is listed and restorable under
    /// `removed_list` / `removed_restore`.
    pub fn member_remove(&mut self, id: &str, cascade: bool) -> Result<MemberRemoved> {
        let member = self.member_show(id)?;
        let site_ids: Vec<String> = {
            let mut stmt = self.store.conn().prepare("SELECT id FROM sites WHERE member_id = ?1 AND deleted = 0")?;
            stmt.query_map([&member.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?
        };
        if !site_ids.is_empty() && !cascade {
            return Err(Error::NeedsCascade {
                record: format!("{} {}", member.member_no, member.name_ja),
                sites: site_ids.len() as i64,
                active_sites: member.active_site_count,
            });
        }
        self.store.write(|w| {
            for s in &site_ids {
                w.delete("sites", s)?;
            }
            w.delete("members", &member.id).map(|_| ())
        })?;
        Ok(MemberRemoved {
            id: member.id,
            member_no: member.member_no,
            sites_removed: site_ids.len() as i64,
            active_sites_removed: member.active_site_count,
        })
    }

    /// Refuses a member (new, or `editing` under its new name or
    /// prefectures) whose Japanese or English name has the same
    /// `org_name_key` as another live member's, when they share a prefecture
    /// (or neither names one).
    fn refuse_likely_duplicate(&self, probe: &DuplicateProbe, editing: Option<&str>) -> Result<()> {
        let keys: Vec<(&str, String)> = [("name_ja", &probe.name_ja), ("name_en", &probe.name_en)]
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(f, v)| (f, org_name_key(v)))
            .collect();
        let prefectures = &probe.prefectures;
        let mut stmt = self.store.conn().prepare(
            "SELECT member_no, name_ja, name_en, prefectures FROM members
             WHERE deleted = 0 AND id IS NOT ?1 ORDER BY member_no",
        )?;
        let mut rows = stmt.query([editing])?;
        while let Some(r) = rows.next()? {
            let (no, ja, en): (Option<String>, Option<String>, Option<String>) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let theirs = json_list(r.get(3)?);
            let shared =
                (theirs.is_empty() && prefectures.is_empty()) || theirs.iter().any(|p| prefectures.contains(p));
            if !shared {
                continue;
            }
            for (field, key) in &keys {
                let same = [&ja, &en].into_iter().flatten().any(|n| !n.trim().is_empty() && &org_name_key(n) == key);
                if same {
                    let name = ja.clone().filter(|n| !n.is_empty()).or(en.clone()).unwrap_or_default();
                    return Err(Error::LikelyDuplicate {
                        field: field.to_string(),
                        existing: format!("{} {name}", no.unwrap_or_default()).trim().to_string(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The id of a live member given by id, unique id prefix or member
    /// number (TNO-0001, any case).
    pub fn member_resolve(&self, given: &str) -> Result<String> {
        self.resolve_id("members", given)
    }

    pub fn member_list(&self, q: &MemberQuery) -> Result<Page<Member>> {
        let mut filter = String::from("m.deleted = 0");
        let mut args: Vec<Box<dyn ToSql>> = Vec::new();
        if let Some(p) = q.prefecture.as_deref().filter(|p| !p.trim().is_empty()) {
            let code = Prefecture::parse(p)?.code;
            args.push(Box::new(format!("%\"{code}\"%")));
            filter.push_str(&format!(" AND m.prefectures LIKE ?{}", args.len()));
        }
        if let Some(s) = q.search.as_deref().map(fold).filter(|s| !s.trim().is_empty()) {
            args.push(Box::new(s.trim().to_string()));
            filter.push_str(&format!(" AND instr(m.search_key, ?{}) > 0", args.len()));
        }
        if let Some(st) = q.status.as_deref().filter(|s| !s.trim().is_empty()) {
            let code = parse_status(st)?.unwrap_or_default();
            args.push(Box::new(code));
            filter.push_str(&format!(" AND m.status = ?{}", args.len()));
        }
        let order = match q.sort.unwrap_or_default() {
            MemberSort::NameEn => "m.name_en COLLATE NOCASE",
            MemberSort::NameJa | MemberSort::Reading => "kz_kana_key(coalesce(m.reading, m.name_ja))",
            MemberSort::MemberNo => "m.member_no",
            MemberSort::Sites => "site_count",
        };
        let dir = if q.descending.unwrap_or(false) { "DESC" } else { "ASC" };
        let (offset, limit) = page_bounds(q.offset, q.limit);
        let conn = self.store.conn();
        let refs: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let total: i64 =
            conn.query_row(&format!("SELECT count(*) FROM members m WHERE {filter}"), refs.as_slice(), |r| r.get(0))?;
        let sql = format!(
            "SELECT {MEMBER_COLUMNS} FROM members m WHERE {filter} ORDER BY {order} {dir}, m.id LIMIT {limit} OFFSET {offset}"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(refs.as_slice(), member_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Page { total, offset, limit, rows })
    }
}

/// What the likely-duplicate rule compares: a member's names and prefectures
/// (sorted: the order they were typed in says nothing).
#[derive(Debug, Default, PartialEq, Eq)]
struct DuplicateProbe {
    name_ja: String,
    name_en: String,
    prefectures: Vec<String>,
}

impl DuplicateProbe {
    fn of_member(m: &Member) -> DuplicateProbe {
        let mut prefectures = m.prefectures.clone();
        prefectures.sort_unstable();
        DuplicateProbe { name_ja: m.name_ja.clone(), name_en: m.name_en.clone(), prefectures }
    }

    /// The record `cells` would leave: their values over `current`'s (a
    /// cleared cell is empty).
    fn of_cells(cells: &[(&'static str, CellValue)], current: Option<&Member>) -> DuplicateProbe {
        let mut probe = current.map(DuplicateProbe::of_member).unwrap_or_default();
        for (c, v) in cells {
            let text = v.as_str().unwrap_or_default().to_string();
            match *c {
                "name_ja" => probe.name_ja = text,
                "name_en" => probe.name_en = text,
                "prefectures" => {
                    probe.prefectures = json_list(Some(text));
                    probe.prefectures.sort_unstable();
                }
                _ => {}
            }
        }
        probe
    }
}

/// Next member number in this replica's series: TNO-0001, TNO-0002, ...
/// The series is the one this enrolment's invite gave (TNO2 for a
/// re-enrolled office), else the office's prefix.
pub(crate) fn next_member_no(conn: &rusqlite::Connection, code: &str) -> Result<String> {
    let from_invite: Option<String> = conn
        .query_row("SELECT value FROM local_meta WHERE key = ?1", [office::META_MEMBER_SERIES], |r| r.get(0))
        .optional()?;
    let series = match from_invite {
        Some(s) => s,
        None => {
            let stored = conn
                .query_row("SELECT number_prefix FROM offices WHERE code = ?1 AND deleted = 0", [code], |r| {
                    r.get::<_, Option<String>>(0)
                })
                .optional()?
                .flatten();
            office::prefix_of(code, stored)
        }
    };
    // GLOB, not LIKE: LIKE ignores case, and 'TNO-%' would not tell TNO-0001
    // from a hand-typed 'tno-x'.
    let last: Option<i64> = conn.query_row(
        "SELECT max(CAST(substr(member_no, ?2) AS INTEGER)) FROM members WHERE member_no GLOB ?1",
        params![format!("{series}-[0-9]*"), series.len() as i64 + 2],
        |r| r.get(0),
    )?;
    Ok(format!("{series}-{:04}", last.unwrap_or(0) + 1))
}
