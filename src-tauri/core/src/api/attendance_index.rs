//! An in-memory index of every live meeting and its attendance.
//!
//! The coordination figures need each meeting's attendance and each
//! member's last meeting: at 10,000 meetings of 30 that is 300,000 rows,
//! which SQLite takes close to 100 ms to hand over one by one, and no B-tree
//! index can aggregate across the meeting and its attendees. Held as small
//! integers, one pass over them takes about a millisecond. Like the site
//! index, it is rebuilt on the first use after the database changed
//! (through this connection or another), so it never answers from stale data.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use crate::api::members::opt_date;
use crate::error::Result;

type Fast = foldhash::fast::RandomState;

pub(crate) struct Meeting {
    pub held_on: NaiveDate,
    pub office_id: Option<String>,
    pub prefecture_code: Option<String>,
}

/// Who attended: a member or another organisation, by position in
/// [`AttendanceIndex::members`] or among the organisations.
#[derive(Clone, Copy)]
pub(crate) enum Who {
    Member(u32),
    Organisation(u32),
}

pub(crate) struct AttendanceIndex {
    stamp: (u64, i64),
    pub meetings: Vec<Meeting>,
    /// (meeting, who), grouped by meeting.
    pub attendance: Vec<(u32, Who)>,
    /// Member ids, by position.
    pub members: Vec<String>,
    pub organisations: u32,
}

fn bytes(v: ValueRef<'_>) -> Option<&[u8]> {
    match v {
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(b),
        _ => None,
    }
}

/// The position of `key` in `map`, added at the end if new.
fn intern(map: &mut HashMap<Box<[u8]>, u32, Fast>, key: &[u8]) -> u32 {
    match map.get(key) {
        Some(at) => *at,
        None => {
            let at = map.len() as u32;
            map.insert(key.into(), at);
            at
        }
    }
}

impl AttendanceIndex {
    pub(crate) fn build(conn: &Connection, stamp: (u64, i64)) -> Result<AttendanceIndex> {
        let mut index = AttendanceIndex {
            stamp,
            meetings: Vec::new(),
            attendance: Vec::new(),
            members: Vec::new(),
            organisations: 0,
        };
        let mut meeting_at: HashMap<Box<[u8]>, u32, Fast> = HashMap::default();
        let mut stmt =
            conn.prepare("SELECT id, held_on, office_id, prefecture_code FROM meetings WHERE deleted = 0")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(held_on) = opt_date(r.get(1)?) else { continue };
            let id: String = r.get(0)?;
            meeting_at.insert(id.into_bytes().into(), index.meetings.len() as u32);
            index.meetings.push(Meeting { held_on, office_id: r.get(2)?, prefecture_code: r.get(3)? });
        }
        // In meeting order from the covering index: nothing is copied per
        // row but a member or organisation seen for the first time.
        let mut member_at: HashMap<Box<[u8]>, u32, Fast> = HashMap::default();
        let mut org_at: HashMap<Box<[u8]>, u32, Fast> = HashMap::default();
        let mut stmt = conn.prepare(
            "SELECT meeting_id, member_id, organisation_id FROM meeting_attendance INDEXED BY meeting_attendance_meeting
             WHERE deleted = 0 ORDER BY meeting_id",
        )?;
        let mut rows = stmt.query([])?;
        let mut current: (Vec<u8>, Option<u32>) = (Vec::new(), None);
        while let Some(r) = rows.next()? {
            let meeting = bytes(r.get_ref(0)?).unwrap_or_default();
            if current.0 != meeting {
                current = (meeting.to_vec(), meeting_at.get(meeting).copied());
            }
            // Attendance of a meeting that is removed (or not yet arrived) counts nowhere.
            let Some(m) = current.1 else { continue };
            if let Some(member) = bytes(r.get_ref(1)?) {
                index.attendance.push((m, Who::Member(intern(&mut member_at, member))));
            } else if let Some(org) = bytes(r.get_ref(2)?) {
                index.attendance.push((m, Who::Organisation(intern(&mut org_at, org))));
            }
        }
        index.members = vec![String::new(); member_at.len()];
        for (id, at) in member_at {
            index.members[at as usize] = String::from_utf8_lossy(&id).into_owned();
        }
        index.organisations = org_at.len() as u32;
        Ok(index)
    }

    pub(crate) fn is_current(&self, stamp: (u64, i64)) -> bool {
        self.stamp == stamp
    }
}
