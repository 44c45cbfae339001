//! Meetings, their attendance and their follow-ups.

use chrono::NaiveDate;
use rusqlite::Row;

use crate::api::meeting_index::{MEETING_ORDER, MeetingFilters};
use crate::api::members::{Filter, opt_date, page_bounds};
use crate::api::not_found;
use crate::api::{Kizuna, new_id, pair_id};
use crate::dates::today;
use crate::error::{Error, Result};
use crate::fold::fold;
use crate::model::Page;
use crate::model::directory::AttendeeCandidate;
use crate::model::meeting::{
    AttendInput, Attendee, FollowUp, FollowUpInput, MEETING_KINDS, Meeting, MeetingDetail, MeetingInput, MeetingQuery,
};
use crate::model::pick;
use crate::prefecture::Prefecture;
use crate::store::CellValue;

const MEETING_COLUMNS: &str = "m.id, m.held_on, m.start_time, m.office_id, o.code, m.prefecture_code,
    m.municipality, m.venue, m.kind, m.sector, m.topic_ja, m.topic_en, m.minutes_ja, m.minutes_en,
    m.decisions, m.head_count,
    (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.deleted = 0),
    (SELECT count(*) FROM follow_ups f WHERE f.meeting_id = m.id AND f.deleted = 0 AND f.status = 'open')";

/// [`MEETING_COLUMNS`] for a page of the list: the attendance counts come
/// from the attendance index afterwards (see [`Kizuna::count_attendance`]),
/// because counting them in SQL reads each meeting's attendance pages and
/// took 15 of a keystroke's 16 ms under the window's page cache.
const MEETING_PAGE_COLUMNS: &str = "m.id, m.held_on, m.start_time, m.office_id, o.code, m.prefecture_code,
    m.municipality, m.venue, m.kind, m.sector, m.topic_ja, m.topic_en, m.minutes_ja, m.minutes_en,
    m.decisions, m.head_count, 0,
    (SELECT count(*) FROM follow_ups f WHERE f.meeting_id = m.id AND f.deleted = 0 AND f.status = 'open')";

const MEETING_FROM: &str = "meetings m LEFT JOIN offices o ON o.id = m.office_id";

fn meeting_from_row(r: &Row<'_>) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: r.get(0)?,
        held_on: opt_date(r.get(1)?).unwrap_or_default(),
        start_time: r.get(2)?,
        office_id: r.get(3)?,
        office_code: r.get(4)?,
        prefecture_code: r.get(5)?,
        municipality: r.get(6)?,
        venue: r.get(7)?,
        kind: r.get::<_, Option<String>>(8)?.unwrap_or_else(|| "other".into()),
        sector: r.get(9)?,
        topic_ja: r.get(10)?,
        topic_en: r.get(11)?,
        minutes_ja: r.get(12)?,
        minutes_en: r.get(13)?,
        decisions: r.get(14)?,
        head_count: r.get(15)?,
        organisations: r.get(16)?,
        open_follow_ups: r.get(17)?,
    })
}

pub(crate) const FOLLOW_UP_COLUMNS: &str = "f.id, f.meeting_id, f.text, f.member_id, mb.name_ja, mb.name_en,
    f.office_id, o.code, f.due_on, f.status, f.done_on, m.held_on, m.topic_ja, m.topic_en";

pub(crate) const FOLLOW_UP_FROM: &str = "follow_ups f
    LEFT JOIN meetings m ON m.id = f.meeting_id
    LEFT JOIN members mb ON mb.id = f.member_id
    LEFT JOIN offices o ON o.id = f.office_id";

pub(crate) fn follow_up_from_row(r: &Row<'_>) -> rusqlite::Result<FollowUp> {
    Ok(FollowUp {
        id: r.get(0)?,
        meeting_id: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
        text: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
        member_id: r.get(3)?,
        member_name_ja: r.get(4)?,
        member_name_en: r.get(5)?,
        office_id: r.get(6)?,
        office_code: r.get(7)?,
        due_on: opt_date(r.get(8)?),
        status: r.get::<_, Option<String>>(9)?.unwrap_or_else(|| "open".into()),
        done_on: opt_date(r.get(10)?),
        meeting_held_on: opt_date(r.get(11)?),
        meeting_topic_ja: r.get(12)?,
        meeting_topic_en: r.get(13)?,
    })
}

impl Kizuna {
    pub fn meeting_add(&mut self, input: &MeetingInput) -> Result<MeetingDetail> {
        let mut cells = input.to_cells(true, (false, false))?;
        let office_id = match input.office.as_deref().filter(|o| !o.trim().is_empty()) {
            Some(o) => Some(self.office_resolve(o)?.id),
            None => self.own_office()?.map(|o| o.id),
        };
        cells.push(("office_id", CellValue::opt_text(office_id)));
        let id = new_id();
        self.store.write(|w| w.insert("meetings", &id, &cells).map(|_| ()))?;
        self.meeting_show(&id)
    }

    pub fn meeting_show(&self, id: &str) -> Result<MeetingDetail> {
        let id = &self.resolve_id("meetings", id)?;
        let conn = self.store.conn();
        let meeting = conn
            .query_row(
                &format!("SELECT {MEETING_COLUMNS} FROM {MEETING_FROM} WHERE m.id = ?1 AND m.deleted = 0"),
                [id],
                meeting_from_row,
            )
            .map_err(not_found("meeting", id))?;
        let mut stmt = conn.prepare(
            "SELECT a.id, a.member_id, a.organisation_id, mb.member_no,
                    coalesce(mb.name_ja, g.name_ja, ''), coalesce(mb.name_en, g.name_en, mb.name_ja, g.name_ja, '')
             FROM meeting_attendance a
             LEFT JOIN members mb ON mb.id = a.member_id
             LEFT JOIN organisations g ON g.id = a.organisation_id
             WHERE a.meeting_id = ?1 AND a.deleted = 0
             ORDER BY a.member_id IS NULL, coalesce(mb.reading, mb.name_ja, g.reading, g.name_ja)",
        )?;
        let attendees = stmt
            .query_map([id], |r| {
                Ok(Attendee {
                    id: r.get(0)?,
                    member_id: r.get(1)?,
                    organisation_id: r.get(2)?,
                    member_no: r.get(3)?,
                    name_ja: r.get(4)?,
                    name_en: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = conn.prepare(&format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM {FOLLOW_UP_FROM}
             WHERE f.meeting_id = ?1 AND f.deleted = 0 ORDER BY f.due_on IS NULL, f.due_on, f.id"
        ))?;
        let follow_ups = stmt.query_map([id], follow_up_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(MeetingDetail { meeting, attendees, follow_ups })
    }

    pub fn meeting_edit(&mut self, id: &str, input: &MeetingInput) -> Result<MeetingDetail> {
        let current = self.meeting_show(id)?.meeting;
        let mut cells = input.to_cells(false, (current.topic_ja.is_some(), current.topic_en.is_some()))?;
        if let Some(o) = input.office.as_deref() {
            let office_id = if o.trim().is_empty() { None } else { Some(self.office_resolve(o)?.id) };
            cells.push(("office_id", CellValue::opt_text(office_id)));
        }
        self.check_follow_ups_after(&current.id, &cells)?;
        self.store.write(|w| w.update("meetings", &current.id, &cells).map(|_| ()))?;
        self.meeting_show(&current.id)
    }

    /// A meeting moved later must not leave a follow-up due before it.
    fn check_follow_ups_after(&self, meeting_id: &str, cells: &[(&'static str, CellValue)]) -> Result<()> {
        let Some(held) = cells.iter().find(|(c, _)| *c == "held_on").and_then(|(_, v)| v.as_str()) else {
            return Ok(());
        };
        let early: Option<String> = self.store.conn().query_row(
            "SELECT min(due_on) FROM follow_ups WHERE meeting_id = ?1 AND deleted = 0 AND due_on < ?2",
            [meeting_id, held],
            |r| r.get(0),
        )?;
        match early {
            Some(d) => {
                Err(Error::invalid("held_on", format!("a follow-up of this meeting is due on {d}, before {held}")))
            }
            None => Ok(()),
        }
    }

    /// Removes a meeting. Its attendance and follow-ups stay recorded but
    /// count nowhere while it is removed, and come back with it on restore.
    pub fn meeting_remove(&mut self, id: &str) -> Result<()> {
        let id = self.require_live("meetings", id)?;
        self.store.write(|w| w.delete("meetings", &id).map(|_| ()))
    }

    pub fn meeting_list(&self, q: &MeetingQuery) -> Result<Page<Meeting>> {
        let mut by = MeetingFilters::default();
        if let Some(d) = q.from.as_deref().filter(|d| !d.trim().is_empty()) {
            by.from = Some(crate::dates::parse_day("from", d)?.to_string());
        }
        if let Some(d) = q.to.as_deref().filter(|d| !d.trim().is_empty()) {
            by.to = Some(crate::dates::parse_day("to", d)?.to_string());
        }
        if let Some(o) = q.office.as_deref().filter(|o| !o.trim().is_empty()) {
            by.office = Some(self.office_resolve(o)?.id);
        }
        if let Some(p) = q.prefecture.as_deref().filter(|p| !p.trim().is_empty()) {
            by.prefecture = Some(Prefecture::parse(p)?.code.to_string());
        }
        if let Some(k) = q.kind.as_deref() {
            by.kind = pick("kind", k, &MEETING_KINDS)?;
        }
        let (offset, limit) = page_bounds(q.offset, q.limit);
        if let Some(needle) = q.search.as_deref().map(fold).filter(|s| !s.trim().is_empty()) {
            return self.meeting_search(needle.trim(), &by, offset, limit);
        }
        let mut f = Filter::new("m");
        for (sql, v) in [
            ("m.held_on >= ?", &by.from),
            ("m.held_on <= ?", &by.to),
            ("m.office_id = ?", &by.office),
            ("m.prefecture_code = ?", &by.prefecture),
            ("m.kind = ?", &by.kind),
        ] {
            if let Some(v) = v {
                f.and(sql, v.clone());
            }
        }
        let conn = self.store.conn();
        let total: i64 =
            conn.query_row(&format!("SELECT count(*) FROM meetings m WHERE {}", f.sql), f.refs().as_slice(), |r| {
                r.get(0)
            })?;
        // The page's ids are chosen first; the rows, the office and the
        // per-meeting counts are then read for those 50 only (a LIMIT
        // subquery under a join is not flattened), not for every match.
        let sql = format!(
            "SELECT {MEETING_PAGE_COLUMNS} FROM (SELECT m.id FROM meetings m WHERE {}
                 ORDER BY {MEETING_ORDER} LIMIT {limit} OFFSET {offset}) p
             JOIN meetings m ON m.id = p.id LEFT JOIN offices o ON o.id = m.office_id ORDER BY {MEETING_ORDER}",
            f.sql
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query_map(f.refs().as_slice(), meeting_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        self.count_attendance(&mut rows)?;
        Ok(Page { total, offset, limit, rows })
    }

    /// A text search, answered from the in-memory index (see
    /// `meeting_index`); only the page's rows are read from the database.
    fn meeting_search(&self, needle: &str, by: &MeetingFilters, offset: i64, limit: i64) -> Result<Page<Meeting>> {
        self.with_index(&self.meeting_index, |index| {
            let found = index.search(needle, by);
            let page: Vec<&str> = found.iter().copied().skip(offset as usize).take(limit as usize).collect();
            let select = format!("SELECT {MEETING_PAGE_COLUMNS} FROM {MEETING_FROM} WHERE m.id IN");
            let mut rows = self.rows_by_id(&select, &page, meeting_from_row, |r| &r.id)?;
            self.count_attendance(&mut rows)?;
            Ok(Page { total: found.len() as i64, offset, limit, rows })
        })
    }

    /// Fills in each listed meeting's count of attending organisations.
    fn count_attendance(&self, rows: &mut [Meeting]) -> Result<()> {
        self.with_index(&self.attendance_index, |index| {
            for m in rows.iter_mut() {
                m.organisations = index.organisations_at(&m.id);
            }
            Ok(())
        })
    }

    /// Records who attended, in one transaction: members (by id or number),
    /// organisations in the directory, and optionally a new organisation,
    /// added to the directory first. Recording an attendee twice is no
    /// change; one that was removed comes back.
    pub fn meeting_attend(&mut self, meeting_id: &str, input: &AttendInput) -> Result<MeetingDetail> {
        let meeting_id = self.require_live("meetings", meeting_id)?;
        let mut pairs: Vec<(&'static str, String)> = Vec::new();
        for m in input.members.iter().flatten().filter(|m| !m.trim().is_empty()) {
            pairs.push(("member_id", self.member_resolve(m)?));
        }
        for o in input.organisations.iter().flatten().filter(|o| !o.trim().is_empty()) {
            pairs.push(("organisation_id", self.require_live("organisations", o)?));
        }
        let new_org = match &input.new_organisation {
            Some(o) => Some((new_id(), self.organisation_cells(o)?)),
            None => None,
        };
        if pairs.is_empty() && new_org.is_none() {
            return Err(Error::invalid("attendees", "name at least one member or organisation"));
        }
        self.store.write(|w| {
            if let Some((id, cells)) = &new_org {
                w.insert("organisations", id, cells)?;
                pairs.push(("organisation_id", id.clone()));
            }
            for (col, who) in &pairs {
                let id = pair_id("meeting_attendance", &meeting_id, who);
                let state: Option<i64> = {
                    use rusqlite::OptionalExtension;
                    w.conn()
                        .query_row("SELECT deleted FROM meeting_attendance WHERE id = ?1", [&id], |r| r.get(0))
                        .optional()?
                };
                match state {
                    None => {
                        w.insert(
                            "meeting_attendance",
                            &id,
                            &[("meeting_id", CellValue::text(&meeting_id)), (col, CellValue::text(who))],
                        )?;
                    }
                    Some(1) => {
                        w.restore("meeting_attendance", &id)?;
                    }
                    Some(_) => {}
                }
            }
            Ok(())
        })?;
        self.meeting_show(&meeting_id)
    }

    /// Removes one attendee from a meeting: a member (id or number), an
    /// organisation id, or the attendance record's id.
    pub fn meeting_unattend(&mut self, meeting_id: &str, attendee: &str) -> Result<MeetingDetail> {
        let detail = self.meeting_show(meeting_id)?;
        let a = attendee.trim();
        let member = self.member_resolve(a).ok();
        let found = detail
            .attendees
            .iter()
            .find(|x| {
                x.id == a || x.organisation_id.as_deref() == Some(a) || (member.is_some() && x.member_id == member)
            })
            .ok_or_else(|| Error::invalid("attendee", format!("'{a}' is not recorded as attending this meeting")))?;
        let id = found.id.clone();
        self.store.write(|w| w.delete("meeting_attendance", &id).map(|_| ()))?;
        self.meeting_show(&detail.meeting.id)
    }

    /// Members and organisations whose name, reading or number matches what
    /// has been typed so far (kana- and width-insensitive), members first.
    pub fn attendee_search(&self, typed: &str, limit: Option<i64>) -> Result<Vec<AttendeeCandidate>> {
        let key = fold(typed.trim());
        let limit = limit.unwrap_or(10).clamp(1, 50);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        let conn = self.store.conn();
        let mut out = Vec::new();
        let mut stmt = conn.prepare_cached(
            "SELECT id, member_no, name_ja, name_en FROM members
             WHERE deleted = 0 AND instr(search_key, ?1) > 0
             ORDER BY instr(search_key, ?1) > 1, coalesce(reading, name_ja) LIMIT ?2",
        )?;
        let members = stmt.query_map(rusqlite::params![key, limit], |r| {
            Ok(AttendeeCandidate {
                kind: "member".into(),
                id: r.get(0)?,
                member_no: r.get(1)?,
                name_ja: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                name_en: r.get(3)?,
            })
        })?;
        for m in members {
            out.push(m?);
        }
        let left = limit - out.len() as i64;
        if left > 0 {
            let mut stmt = conn.prepare_cached(
                "SELECT id, name_ja, name_en FROM organisations
                 WHERE deleted = 0 AND instr(search_key, ?1) > 0
                 ORDER BY instr(search_key, ?1) > 1, coalesce(reading, name_ja) LIMIT ?2",
            )?;
            let orgs = stmt.query_map(rusqlite::params![key, left], |r| {
                Ok(AttendeeCandidate {
                    kind: "organisation".into(),
                    id: r.get(0)?,
                    member_no: None,
                    name_ja: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    name_en: r.get(2)?,
                })
            })?;
            for o in orgs {
                out.push(o?);
            }
        }
        Ok(out)
    }

    pub fn follow_up_add(&mut self, meeting_id: &str, input: &FollowUpInput) -> Result<FollowUp> {
        let meeting = self.meeting_show(meeting_id)?.meeting;
        let mut cells = input.to_cells(true, meeting.held_on, (None, None, "open"), today())?;
        cells.push(("meeting_id", CellValue::text(&meeting.id)));
        self.follow_up_owner(input, &mut cells)?;
        let id = new_id();
        self.store.write(|w| w.insert("follow_ups", &id, &cells).map(|_| ()))?;
        self.follow_up_show(&id)
    }

    pub fn follow_up_show(&self, id: &str) -> Result<FollowUp> {
        let id = &self.resolve_id("follow_ups", id)?;
        self.store
            .conn()
            .query_row(
                &format!("SELECT {FOLLOW_UP_COLUMNS} FROM {FOLLOW_UP_FROM} WHERE f.id = ?1 AND f.deleted = 0"),
                [id],
                follow_up_from_row,
            )
            .map_err(not_found("follow-up", id))
    }

    pub fn follow_up_edit(&mut self, id: &str, input: &FollowUpInput) -> Result<FollowUp> {
        let current = self.follow_up_show(id)?;
        let held = current.meeting_held_on.unwrap_or(NaiveDate::MIN);
        let mut cells = input.to_cells(false, held, (current.due_on, current.done_on, &current.status), today())?;
        self.follow_up_owner(input, &mut cells)?;
        self.store.write(|w| w.update("follow_ups", &current.id, &cells).map(|_| ()))?;
        self.follow_up_show(&current.id)
    }

    pub fn follow_up_remove(&mut self, id: &str) -> Result<()> {
        let id = self.require_live("follow_ups", id)?;
        self.store.write(|w| w.delete("follow_ups", &id).map(|_| ()))
    }

    /// The responsible member or office of a follow-up, resolved.
    fn follow_up_owner(&self, input: &FollowUpInput, cells: &mut Vec<(&'static str, CellValue)>) -> Result<()> {
        if let Some(m) = &input.member {
            let id = if m.trim().is_empty() { None } else { Some(self.member_resolve(m)?) };
            cells.push(("member_id", CellValue::opt_text(id)));
        }
        if let Some(o) = &input.office {
            let id = if o.trim().is_empty() { None } else { Some(self.office_resolve(o)?.id) };
            cells.push(("office_id", CellValue::opt_text(id)));
        }
        Ok(())
    }
}
